/*
 * Copyright (c) 2026, the pmem-jdk authors. All rights reserved.
 * DO NOT ALTER OR REMOVE COPYRIGHT NOTICES OR THIS FILE HEADER.
 *
 * This code is free software; you can redistribute it and/or modify it
 * under the terms of the GNU General Public License version 2 only, as
 * published by the Free Software Foundation.  The pmem-jdk authors
 * designate this particular file as subject to the "Classpath" exception
 * as provided in the LICENSE file that accompanied this code.
 *
 * This code is distributed in the hope that it will be useful, but WITHOUT
 * ANY WARRANTY; without even the implied warranty of MERCHANTABILITY or
 * FITNESS FOR A PARTICULAR PURPOSE.  See the GNU General Public License
 * version 2 for more details (a copy is included in the LICENSE file that
 * accompanied this code).
 *
 * You should have received a copy of the GNU General Public License version
 * 2 along with this work; if not, write to the Free Software Foundation,
 * Inc., 51 Franklin St, Fifth Floor, Boston, MA 02110-1301 USA.
 */

/*
 * @test
 * @summary -XX:+UsePersistentHeap is a product flag that selects the Serial
 *          collector and rejects bad flag combinations with one-line errors.
 * @library /test/lib /pmem/lib
 * @run driver TestFlags
 */

import jdk.test.lib.process.OutputAnalyzer;

public class TestFlags {
    static final String NEEDS_FILE =
        "-XX:+UsePersistentHeap needs -XX:PmemFile=<path> (the persistent heap file, created if absent)";

    public static void main(String[] args) throws Exception {
        String file = PmemTest.heapFile("flags");

        // The flag without a file is an error, whatever else is given.
        PmemTest.failsWith(NEEDS_FILE, "-XX:+UsePersistentHeap", "-version");
        PmemTest.failsWith(NEEDS_FILE, "-XX:+UsePersistentHeap", "-XX:PmemFile=", "-version");

        // Any other collector asked for explicitly is refused, by name.
        String[][] others = {
            {"-XX:+UseG1GC"}, {"-XX:+UseParallelGC"}, {"-XX:-UseSerialGC"},
            {"-XX:+UnlockExperimentalVMOptions", "-XX:+UseEpsilonGC"},
        };
        for (String[] other : others) {
            String gc = other[other.length - 1];
            String[] cmd = PmemTest.concat(PmemTest.flags(file), other, new String[] {"-version"});
            PmemTest.failsWith("-XX:+UsePersistentHeap works only with the Serial collector; remove " + gc, cmd);
        }

        // HotSpot's heap on a file is refused, not ignored (with an existing directory or not).
        for (String dir : new String[] {"/no/such/dir", System.getProperty("java.io.tmpdir")}) {
            PmemTest.failsWith("-XX:AllocateHeapAt=" + dir + " cannot be combined with -XX:+UsePersistentHeap: the "
                    + "persistent part lives in -XX:PmemFile and the rest of the heap in memory; remove "
                    + "-XX:AllocateHeapAt", PmemTest.concat(PmemTest.flags(file),
                    new String[] {"-XX:AllocateHeapAt=" + dir, "-version"}));
        }

        // An unknown fault point lists every one, none cut off.
        PmemTest.failsWith("-XX:PmemFaultPoint=help is not a fault point; they are: create-allocated, "
            + "create-written, refill, chunk-zeroed, allocated, relocate-begun, relocate-first-pass, relocate-rewritten, "
            + "relocate-chunk-done, relocate-placed, compact-begun, compact-rewritten, compact-forwarded, "
            + "compact-piece, compact-slid, compact-slid-all, convert-written, convert-renamed, migrate-begun, "
            + "migrate-copied, migrate-forwarding, "
            + "migrate-forwarded, migrate-freed, swizzle-tagged, swizzle-rewritten, "
            + "swizzle-chunk-done, swizzle-finishing, recovery-restored, log-appended, log-fresh, log-linked, txn-stored, "
            + "deferred-written-back, commit-written-back, commit-retired, abort-restored, enum-twins-written, enum-registered, "
            + "grow-extended, grow-recorded, "
            + "gc-marked, gc-swept",
            PmemTest.concat(PmemTest.flags(file), new String[] {"-XX:+UnlockDiagnosticVMOptions",
                "-XX:PmemFaultPoint=help", "-version"}));

        // Serial is selected ergonomically, and may be named explicitly.
        for (String[] extra : new String[][] {{}, {"-XX:+UseSerialGC"}}) {
            String[] cmd = PmemTest.concat(PmemTest.flags(file), extra,
                                           new String[] {"-XX:+PrintFlagsFinal", "-version"});
            OutputAnalyzer out = PmemTest.run(cmd);
            out.shouldHaveExitValue(0);
            out.shouldMatch("bool UsePersistentHeap += true +\\{product\\} \\{command line\\}");
            out.shouldMatch("bool UseSerialGC += true");
            out.shouldMatch("bool UseG1GC += false");
        }

        // Off by default: stock collector choice, no pmem flags set.
        OutputAnalyzer off = PmemTest.run("-XX:+PrintFlagsFinal", "-version");
        off.shouldHaveExitValue(0);
        off.shouldMatch("bool UsePersistentHeap += false +\\{product\\} \\{default\\}");
        off.shouldMatch("ccstr PmemFile += +\\{product\\} \\{default\\}");
        off.shouldMatch("size_t PmemSize += 1073741824 ");

        // A file without the flag does nothing, but says so.
        OutputAnalyzer warn = PmemTest.run("-XX:PmemFile=" + file, "-version");
        warn.shouldHaveExitValue(0);
        warn.shouldContain("warning: -XX:PmemFile has no effect without -XX:+UsePersistentHeap");

        // Diagnostic flags need unlocking, as HotSpot's own do.
        OutputAnalyzer diag = PmemTest.run("-XX:+PmemSimulator", "-version");
        diag.shouldNotHaveExitValue(0);
        diag.shouldContain("must be enabled via -XX:+UnlockDiagnosticVMOptions");
        PmemTest.cleanup();
    }
}
