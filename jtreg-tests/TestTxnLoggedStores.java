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

/*
 * @test
 * @summary C2 stores a primitive inline, without the runtime call, when it
 *          falls in the bytes its thread's transaction logged last. Every
 *          case where that would be wrong is checked in C2-compiled code:
 *          a later store to the same object rolls back with the first; the
 *          neighbour object in the same cache line is logged on its own; a
 *          nested level logs again for its savepoint; nothing carries over
 *          to the next transaction or outside one; a store just below the
 *          bytes logged last (descending fields, as HashMap's ++modCount then
 *          ++size) is logged, not taken for inside them; a JVM halted in the
 *          middle of a transaction leaves none of its stores after recovery.
 *          PrintCompilation shows the methods compiled by C2 before use.
 * @library /test/lib /pmem/lib
 * @modules java.base/jdk.internal.pmem
 * @run driver TestTxnLoggedStores
 */

import jdk.internal.pmem.Pmem;
import jdk.test.lib.process.OutputAnalyzer;

public class TestTxnLoggedStores {
    // 8 longs: 64 bytes of fields, so two adjacent objects share a line.
    static final class Rec {
        long a, b, c, d, e, f, g, h;
    }

    // 24 bytes each: of three allocated in a row, two share a cache line.
    static final class Small {
        long a;
    }

    static final class Pair {
        Rec x, y;
        Small s1, s2, s3;
    }

    static final int WARM = 30_000;

    public static void main(String[] args) throws Exception {
        if (args.length > 0) {
            if (args[0].equals("run")) {
                run();
            } else {
                verifyHalted();
            }
            return;
        }
        String file = PmemTest.heapFile("logged");
        String[] c2 = {"-XX:-TieredCompilation", "-Xbatch", "-XX:+PrintCompilation"};
        OutputAnalyzer out = PmemTest.runMain(TestTxnLoggedStores.class,
                PmemTest.concat(PmemTest.flags(file), c2), "run");
        System.out.println(out.getOutput());
        out.shouldHaveExitValue(97);   // the halt in the middle of the last txn
        out.shouldContain("ALL CHECKS PASSED");
        out.shouldMatch("TestTxnLoggedStores::storeAll \\(");
        out.shouldMatch("TestTxnLoggedStores::storeTwo \\(");
        out.shouldMatch("TestTxnLoggedStores::storeSmall \\(");
        out.shouldMatch("TestTxnLoggedStores::storeDown \\(");
        OutputAnalyzer after = PmemTest.runMain(TestTxnLoggedStores.class, PmemTest.flags(file), "verify");
        System.out.println(after.getOutput());
        after.shouldHaveExitValue(0);
        after.shouldContain("HALTED TXN UNDONE");
        PmemTest.cleanup();
    }

    static void check(boolean ok, String what) {
        if (!ok) throw new RuntimeException("FAILED: " + what);
    }

    // Eight stores into one object: the first logs its line, the rest may go inline.
    static void storeAll(Rec r, long v) {
        r.a = v; r.b = v; r.c = v; r.d = v; r.e = v; r.f = v; r.g = v; r.h = v;
    }

    // Each store ends where the one before it starts: its offset from the
    // bytes logged last is negative, and offset + 8 is 0.
    static void storeDown(Rec r, long v) {
        r.h = v; r.g = v; r.f = v; r.e = v; r.d = v; r.c = v; r.b = v; r.a = v;
    }

    // Two stores into each of two objects.
    static void storeTwo(Rec x, long vx, Rec y, long vy) {
        x.a = vx;
        x.b = vx;
        y.a = vy;
        y.b = vy;
    }

    // One store into each of two small objects, maybe in one line.
    static void storeSmall(Small u, Small w, long v) {
        u.a = v;
        w.a = v;
    }

    // Runs body in a transaction that an exception then rolls back.
    static void aborted(Runnable body) {
        try {
            Pmem.txn(() -> {
                body.run();
                throw new IllegalStateException("abort");
            });
        } catch (IllegalStateException expected) {
        }
    }

    static boolean all(Rec r, long v) {
        return r.a == v && r.b == v && r.c == v && r.d == v && r.e == v && r.f == v && r.g == v && r.h == v;
    }

    static void run() {
        Pair p = Pmem.pnew(Pair.class);
        Pmem.txn(() -> {
            p.x = Pmem.pnew(Rec.class);
            p.y = Pmem.pnew(Rec.class);
            p.s1 = Pmem.pnew(Small.class);
            p.s2 = Pmem.pnew(Small.class);
            p.s3 = Pmem.pnew(Small.class);
        });
        Pmem.put("pair", p);
        Rec x = p.x, y = p.y;
        Small s1 = p.s1, s2 = p.s2, s3 = p.s3;
        // Compile the store methods on persistent objects, in transactions.
        for (int i = 0; i < WARM; i++) {
            long v = i;
            Pmem.txn(() -> storeAll(x, v));
            Pmem.txn(() -> storeTwo(x, v, y, v));
            Pmem.txn(() -> storeSmall(s1, s2, v));
            Pmem.txn(() -> storeSmall(s2, s3, v));
            Pmem.txn(() -> storeDown(y, v));
        }
        Pmem.txn(() -> { storeAll(x, 1); storeAll(y, 1); storeSmall(s1, s2, 1); storeSmall(s2, s3, 1); });

        // 1. Later stores into a logged object roll back with the first.
        aborted(() -> storeAll(x, 2));
        check(all(x, 1), "stores after the first into a logged line rolled back");

        // 1b. Stores just below the bytes logged last are logged too.
        aborted(() -> storeDown(y, 2));
        check(all(y, 1), "descending stores rolled back: " + y.a + " " + y.d + " " + y.h);

        // 2. The neighbour in the same line is not covered by x's log.
        aborted(() -> storeTwo(x, 3, y, 3));
        check(x.a == 1 && x.b == 1 && y.a == 1 && y.b == 1, "both objects rolled back");
        // Of s1, s2, s3 two adjacent ones share a line: their stores roll back
        // both, the second object's bytes logged on their own.
        for (Small[] uw : new Small[][] {{s1, s2}, {s2, s3}}) {
            aborted(() -> storeSmall(uw[0], uw[1], 3));
            check(uw[0].a == 1 && uw[1].a == 1, "neighbours in one line rolled back");
        }

        // 3. A nested level logs again: its abort restores what it changed,
        //    the outer level's stores commit.
        Pmem.txn(() -> {
            storeAll(x, 4);
            aborted(() -> storeAll(x, 5));
            check(all(x, 4), "nested abort restored the outer level's values");
        });
        check(all(x, 4), "outer level committed");

        // 4. Nothing carries over: a committed txn, then one that aborts.
        Pmem.txn(() -> storeAll(x, 6));
        aborted(() -> storeTwo(x, 7, y, 7));
        check(all(x, 6) && all(y, 1), "a new transaction logs anew");

        // 5. Outside a transaction the store is plain and durable; then an
        //    aborted transaction still restores it.
        storeAll(x, 8);
        aborted(() -> storeAll(x, 9));
        check(all(x, 8), "a store outside a txn, then an aborted txn");
        System.out.println("ALL CHECKS PASSED");
        System.out.flush();

        // 6. A JVM that stops in the middle of a transaction: recovery
        //    restores every byte, the inline stores included.
        Pmem.txn(() -> {
            storeAll(x, 10);
            storeTwo(x, 11, y, 11);
            Runtime.getRuntime().halt(97);
        });
    }

    static void verifyHalted() {
        Pair p = Pmem.get("pair", Pair.class);
        check(all(p.x, 8), "x after recovery: " + p.x.a + " " + p.x.h);
        check(all(p.y, 1), "y after recovery: " + p.y.a + " " + p.y.h);
        System.out.println("HALTED TXN UNDONE");
    }
}
