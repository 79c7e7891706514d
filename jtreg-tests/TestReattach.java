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
 * @summary A heap file is created once, then reopened by later JVMs at the
 *          address it had, whatever -Xmx they run with, so references in it
 *          keep their encoding.
 * @library /test/lib /pmem/lib
 * @modules java.base/jdk.internal.pmem
 * @run driver TestReattach
 */

import jdk.internal.pmem.Pmem;
import jdk.test.lib.process.OutputAnalyzer;

public class TestReattach {
    static String objectsAt(OutputAnalyzer out) {
        return out.firstMatch("Persistent heap mapped at 0x[0-9a-f]+, objects (0x[0-9a-f]+)-", 1);
    }

    static OutputAnalyzer start(String file, String... extra) throws Exception {
        OutputAnalyzer out = PmemTest.runMain(TestReattach.class, PmemTest.concat(PmemTest.flags(file), extra,
            new String[] {"-Xlog:gc+pmem=info", "-Xlog:gc+heap+coops=debug"}), "child");
        out.shouldHaveExitValue(0);
        return out;
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0) {
            System.out.println("firstRun=" + Pmem.isFirstRun() + " capacity=" + Pmem.capacityBytes());
            return;
        }
        String file = PmemTest.heapFile("reattach");

        OutputAnalyzer first = start(file, "-Xmx64m");
        first.shouldContain("Created persistent heap " + file + " (64M)");
        String at = objectsAt(first);
        if (at == null) throw new RuntimeException("no mapping line");
        // A new file goes right below 32G: zero-based compressed oops.
        first.shouldContain("Compressed Oops mode: Zero based");
        first.shouldContain("firstRun=true");
        long capacity = Long.parseLong(first.firstMatch("capacity=(\\d+)", 1));
        if (capacity <= 0 || capacity > 64L << 20) throw new RuntimeException("capacity " + capacity);

        for (String xmx : new String[] {"-Xmx64m", "-Xmx1g", "-Xmx16m", "-Xmx3g"}) {
            OutputAnalyzer again = start(file, xmx, "-XX:PmemSize=512m");
            again.shouldContain("Opened persistent heap " + file + " (64M)");  // keeps its size
            String now = objectsAt(again);
            if (!at.equals(now)) {
                throw new RuntimeException("with " + xmx + " the heap moved from " + at + " to " + now);
            }
            again.shouldContain("Compressed Oops mode: Zero based");
            again.shouldContain("firstRun=false capacity=" + capacity);
        }
        PmemTest.cleanup();
    }
}
