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
 * @summary Crash consistency of persistent garbage collection: two threads
 *          replace the entries of a persistent table in transactions while
 *          collections run, and are killed in the middle of marking, of the
 *          sweep (at many free-chunk tags), of reusing a free chunk, right
 *          after allocating (objects never linked), in the first sweep
 *          after a crash, and at random write-backs under the
 *          persistence-domain simulator with random early evictions. After
 *          each restart every entry is whole, the heap verifies, and after
 *          the first collection the used size is the live size: it freed
 *          everything the crash left unreachable (attach does not collect:
 *          restart stays O(1)).
 * @library /test/lib /pmem/lib
 * @modules java.base/jdk.internal.pmem
 * @run driver/timeout=1200 TestGCCrash
 */

import java.util.Random;

import jdk.internal.pmem.Pmem;
import jdk.test.lib.process.OutputAnalyzer;

public class TestGCCrash {
    static final int SLOTS = 3000;

    public static void main(String[] args) throws Exception {
        if (args.length > 0) {
            if (args[0].equals("work")) {
                work(Long.parseLong(args[1]));
            } else {
                verify(args[1].equals("crashed"));
            }
            return;
        }
        Random rnd = new Random();
        long seed = rnd.nextLong();
        System.out.println("seed " + seed);
        rnd = new Random(seed);
        int crashes = 0;

        // Fault points, each at several counts.
        String file = PmemTest.heapFile("faults");
        String[][] points = {
            {"gc-marked", "1", "2", "4"},
            {"gc-swept", "1", "3", "10", "40", "150", "600", "2500"},
            {"chunk-zeroed", "1", "2", "5", "20", "60"},
            {"allocated", "1", "100", "2000", "7000", "15000"},
            {"refill", "3", "30"},
        };
        for (String[] p : points) {
            for (int i = 1; i < p.length; i++) {
                crashes += crash(file, rnd, "-XX:PmemFaultPoint=" + p[0], "-XX:PmemFaultCount=" + p[i]);
            }
        }

        // A crash in the first sweep after a crash, the one that frees
        // what the first crash left unreachable.
        OutputAnalyzer w = PmemTest.runMain(TestGCCrash.class, PmemTest.concat(PmemTest.flags(file),
            new String[] {"-XX:+UnlockDiagnosticVMOptions", "-XX:PmemFaultPoint=allocated", "-XX:PmemFaultCount=3000"}),
            "work", "1");
        w.shouldHaveExitValue(97);
        OutputAnalyzer rec = PmemTest.runMain(TestGCCrash.class, PmemTest.concat(PmemTest.flags(file),
            new String[] {"-XX:+UnlockDiagnosticVMOptions", "-XX:PmemFaultPoint=gc-swept", "-XX:PmemFaultCount=1"}),
            "verify", "crashed");
        System.out.println(rec.getOutput());
        rec.shouldHaveExitValue(97);
        check(file, true);

        // The simulator: the file holds only written-back lines.
        String sim = PmemTest.heapFile("simulator");
        for (int i = 0; i < 60; i++) {
            crashes += crash(sim, rnd, PmemTest.simulatorCrash(rnd, 60000, i % 2 != 0));
        }
        System.out.println("crashes survived: " + crashes);
        if (crashes < 70) throw new RuntimeException("too few crashes: " + crashes);
        PmemTest.cleanup();
    }

    static int crash(String file, Random rnd, String... faultFlags) throws Exception {
        String[] jvm = PmemTest.concat(new String[] {"-XX:+UnlockDiagnosticVMOptions"}, PmemTest.flags(file),
                                       new String[] {"-XX:PmemSize=16m"}, faultFlags);
        OutputAnalyzer out = PmemTest.runMain(TestGCCrash.class, jvm, "work", Long.toString(rnd.nextLong()));
        int rc = out.getExitValue();
        if (rc != 97 && rc != 0) {
            System.out.println(out.getOutput());
            throw new RuntimeException("worker failed with exit " + rc);
        }
        check(file, rc == 97);
        return rc == 97 ? 1 : 0;
    }

    static void check(String file, boolean crashed) throws Exception {
        OutputAnalyzer out = PmemTest.runMain(TestGCCrash.class,
            PmemTest.concat(PmemTest.flags(file), new String[] {"-Xlog:gc+pmem"}), "verify", crashed ? "crashed" : "clean");
        if (out.getExitValue() != 0) {
            System.out.println(out.getOutput());
            throw new RuntimeException("invariants broken after a crash");
        }
        out.shouldContain("INVARIANTS OK");
        if (crashed) {
            out.shouldMatch("Recovery: the last run of .* ended abruptly; the next collection frees what it left unreachable");
        }
    }

    // Two threads, each its own half of the table, about four rounds each,
    // with a collection every 500 replacements; the 16 MB file holds far
    // less than they allocate.
    static void work(long seed) throws Exception {
        ChurnTable.Table t = ChurnTable.open("table", SLOTS);
        ChurnTable.check(t);
        Thread[] ts = new Thread[2];
        for (int k = 0; k < ts.length; k++) {
            final int from = k * SLOTS / 2, to = (k + 1) * SLOTS / 2;
            final Random rnd = new Random(seed + k);
            ts[k] = new Thread(() -> {
                for (int n = 0; n < 6000; n++) {
                    int i = from + rnd.nextInt(to - from);
                    ChurnTable.replace(t, i, t.slots[i].round + 1);
                    if (n % 500 == 250) {
                        System.gc();
                    }
                }
            });
            ts[k].start();
        }
        for (Thread x : ts) x.join();
        System.out.println("WORK DONE");
    }

    static void verify(boolean crashed) {
        // A crash before the table was named leaves nothing reachable, and
        // open() then builds a new table, whose allocation buffer's unused
        // rest counts as used until a collection: compare only what the
        // first collection left.
        boolean existed = Pmem.get("table", ChurnTable.Table.class) != null;
        ChurnTable.Table t = ChurnTable.open("table", SLOTS);
        ChurnTable.check(t);
        System.gc();   // the first collection since the crash
        long used = Pmem.usedBytes();
        System.gc();
        long live = Pmem.usedBytes();
        if (crashed && existed && used != live) {
            throw new RuntimeException("used " + used + " after the first collection, but live " + live + ": a leak");
        }
        System.out.println("INVARIANTS OK used=" + used + " live=" + live);
    }
}
