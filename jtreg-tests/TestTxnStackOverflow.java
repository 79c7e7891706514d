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
 * @summary A StackOverflowError through nested Pmem.txn leaves no
 *          transaction open: a recursion that nests a transaction per
 *          level until the stack overflows is caught outside; then no
 *          level is open (txnDepth() 0), every nested store is undone, and
 *          a later plain store is durable on its own (it survives a halt
 *          under the persistence-domain simulator and the next start), in
 *          the interpreter, C1, C2 and tiered. Also when the program
 *          catches the error inside an outer transaction and commits it.
 * @library /test/lib /pmem/lib
 * @modules java.base/jdk.internal.pmem
 * @run driver TestTxnStackOverflow
 */

import jdk.internal.pmem.Pmem;
import jdk.test.lib.process.OutputAnalyzer;

public class TestTxnStackOverflow {
    static final int ROUNDS = 40;
    static final class Holder {
        long deepest;        // the deepest level that stored
        long[] cells;        // one store per level, round robin
        long after;          // a plain store after the overflow
        long committed;      // stored by the outer txn that caught the overflow
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0) {
            if (args[0].equals("run")) {
                run();
            } else {
                verify();
            }
            return;
        }
        int reconciled = 0;
        for (String[] tier : PmemTest.TIERS) {
            String file = PmemTest.heapFile("soe");
            OutputAnalyzer out = PmemTest.runMain(TestTxnStackOverflow.class,
                    PmemTest.concat(tier, PmemTest.flags(file), new String[] {"-Xss512k", "-Xlog:gc+pmem",
                                 // each level logs again: C2's small frames nest thousands deep
                                 "-XX:PmemSize=128m", "-XX:PmemLogSlots=2", "-XX:PmemLogSize=16m",
                                 "-XX:+UnlockDiagnosticVMOptions", "-XX:+PmemSimulator"}), "run");
            System.out.println(out.getOutput());
            out.shouldHaveExitValue(0);
            out.shouldContain("RUN DONE");
            reconciled += (int) out.asLines().stream().filter(l -> l.contains("whose abort a StackOverflowError prevented")).count();
            OutputAnalyzer check = PmemTest.runMain(TestTxnStackOverflow.class, PmemTest.flags(file), "verify");
            System.out.println(check.getOutput());
            check.shouldHaveExitValue(0);
            check.shouldContain("VERIFIED");
            PmemTest.cleanup();
        }
        // The case this test is about, an abort that itself overflowed, comes
        // a few times per run (where the stack runs out is not exact), and
        // each time the build before the reconciliation left a level open.
        System.out.println("levels undone after a missed abort: " + reconciled);
    }

    static void nest(Holder h, long level) {
        Pmem.txn(() -> {
            h.deepest = level;
            h.cells[(int) (level & 63)] = level;
            nest(h, level + 1);
        });
    }

    // depth frames of varying size, then the nested transactions.
    static long pad(Holder h, int depth) {
        long a = depth, b = depth * 3L, c = depth * 7L;
        if (depth > 0) {
            return pad(h, depth - 1) + a + b + c;
        }
        nest(h, 1);
        return 0;
    }

    static void check(boolean ok, String what) {
        if (!ok) throw new RuntimeException(what);
    }

    static void undone(Holder h, String when) {
        check(Pmem.txnDepth() == 0, when + ": " + Pmem.txnDepth() + " transaction level(s) still open");
        check(h.deepest == 0, when + ": deepest is " + h.deepest + ", not undone");
        for (long c : h.cells) check(c == 0, when + ": a nested store was not undone: " + c);
    }

    static void run() {
        Holder h = Pmem.txn(() -> {
            Holder n = Pmem.pnew(Holder.class);
            n.cells = Pmem.pmake(long[].class, 64);
            Pmem.setRoot(n);
            return n;
        });
        // Where the stack runs out moves with the frames below the first
        // level: sometimes in a body, sometimes in the abort call itself.
        for (int round = 0; round < ROUNDS; round++) {
            try {
                pad(h, round % 13);
                check(false, "no StackOverflowError");
            } catch (StackOverflowError expected) {
            }
            undone(h, "round " + round);
        }
        // The program catches the overflow inside an outer transaction and commits it.
        Pmem.txn(() -> {
            try {
                nest(h, 1);
            } catch (StackOverflowError expected) {
            }
            h.committed = 42;
        });
        undone(h, "after the outer commit");
        check(h.committed == 42, "the outer transaction's store is there");
        h.after = 7;   // outside any transaction: durable on its own
        System.out.println("RUN DONE");
        System.out.flush();
        Runtime.getRuntime().halt(0);   // under the simulator: what was not written back is gone
    }

    static void verify() {
        Holder h = (Holder) Pmem.root();
        undone(h, "after restart");
        check(h.committed == 42, "the outer commit survived: " + h.committed);
        check(h.after == 7, "the plain store after the overflow survived: " + h.after);
        System.out.println("VERIFIED");
    }
}
