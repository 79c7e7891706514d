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
 * @summary Pmem.txn: commit, rollback on exception, nesting with savepoints,
 *          roots inside a txn, objects allocated inside, stores outside a txn,
 *          and the volatile-reference check on every store path (putfield,
 *          aastore, arraycopy, Unsafe, JNI-free reflection, VarHandle), in the
 *          interpreter and with the compilers on.
 * @library /test/lib /pmem/lib
 * @modules java.base/jdk.internal.pmem java.base/jdk.internal.misc
 * @run driver TestTxn
 */

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.AtomicInteger;

import jdk.internal.misc.Unsafe;
import jdk.internal.pmem.Pmem;
import jdk.test.lib.process.OutputAnalyzer;

public class TestTxn {
    static class Acct {
        long balance;
        int count;
        byte tag;
        boolean open;
        char code;
        short small;
        float rate;
        double total;
        Object ref;
        long[] history;
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0) {
            checks();
            System.out.println("ALL CHECKS PASSED");
            return;
        }
        for (String[] tier : new String[][] {{"-Xint"}, {"-XX:TieredStopAtLevel=1"}, {"-XX:-TieredCompilation"}}) {
            String file = PmemTest.heapFile("txn" + tier[0].replaceAll("[^A-Za-z0-9]", ""));
            String[] jvm = PmemTest.concat(PmemTest.flags(file), tier,
                                           new String[] {"--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED"});
            for (int run = 0; run < 2; run++) {   // the second run checks what the first left
                OutputAnalyzer out = PmemTest.runMain(TestTxn.class, jvm, "child");
                System.out.println(out.getOutput());
                out.shouldHaveExitValue(0);
                out.shouldContain("ALL CHECKS PASSED");
            }
        }
        PmemTest.cleanup();
    }

    static void expect(boolean ok, String what) {
        if (!ok) throw new RuntimeException("FAILED: " + what);
    }

    static void expectIAE(Runnable r, String... parts) {
        try {
            r.run();
        } catch (IllegalArgumentException e) {
            for (String p : parts) {
                expect(e.getMessage().contains(p), "message '" + e.getMessage() + "' names " + p);
            }
            return;
        }
        throw new RuntimeException("FAILED: no IllegalArgumentException for " + String.join(" ", parts));
    }

    static final VarHandle BALANCE;
    static final VarHandle REF;
    static {
        try {
            BALANCE = MethodHandles.lookup().findVarHandle(Acct.class, "balance", long.class);
            REF = MethodHandles.lookup().findVarHandle(Acct.class, "ref", Object.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    static void checks() throws Exception {
        Acct a = (Acct) Pmem.get("acct", Acct.class);
        if (a != null) {
            // What the previous run left: its last committed state, nothing of its aborted txns.
            expect(a.balance == 42 && a.count == 7 && a.tag == 3 && a.open && a.code == 'x' && a.small == 9,
                   "committed primitive fields survive a restart");
            expect(a.rate == 1.5f && a.total == 2.25, "committed float and double survive");
            expect(a.history != null && a.history.length == 4 && a.history[3] == 33, "committed array survives");
            expect(a.ref == a.history, "committed reference survives");
            expect(Pmem.get("rolled-back", Acct.class) == null, "a name put in an aborted txn is gone");
            Pmem.remove("acct");
        }
        Acct x = Pmem.pnew(Acct.class);
        Pmem.put("acct", x);

        // Commit: all stores of every type.
        Pmem.txn(() -> {
            x.balance = 42; x.count = 7; x.tag = 3; x.open = true; x.code = 'x'; x.small = 9;
            x.rate = 1.5f; x.total = 2.25;
            x.history = Pmem.pmake(long[].class, 4);   // allocated inside: not logged
            x.history[3] = 33;
            x.ref = x.history;
        });
        expect(Pmem.txnDepth() == 0, "depth back to 0");

        // Rollback: every store of the body is undone, including roots and arrays.
        RuntimeException boom = new RuntimeException("boom");
        try {
            Pmem.txn(() -> {
                x.balance = -1; x.count = -1; x.tag = -1; x.open = false; x.code = 'y'; x.small = -1;
                x.rate = -1f; x.total = -1; x.history[3] = -1; x.ref = null;
                x.history[0] = 5;
                System.arraycopy(new long[] {9, 9}, 0, x.history, 1, 2);
                Pmem.put("rolled-back", x);
                expect(Pmem.txnDepth() == 1, "depth 1 inside");
                throw boom;
            });
            throw new RuntimeException("FAILED: txn swallowed the exception");
        } catch (RuntimeException e) {
            expect(e == boom, "the body's exception is rethrown as is");
        }
        expect(x.balance == 42 && x.count == 7 && x.tag == 3 && x.open && x.code == 'x' && x.small == 9,
               "primitive stores rolled back");
        expect(x.rate == 1.5f && x.total == 2.25, "float and double rolled back");
        expect(x.history[0] == 0 && x.history[1] == 0 && x.history[2] == 0 && x.history[3] == 33,
               "array stores and arraycopy rolled back");
        expect(x.ref == x.history, "reference store rolled back");
        expect(Pmem.get("rolled-back", Acct.class) == null, "put rolled back");

        // Nesting: an inner failure undoes the inner body only; the outer commits.
        Pmem.txn(() -> {
            x.count = 8;
            try {
                Pmem.txn(() -> { x.count = 100; x.balance = 100; throw new IllegalStateException("inner"); });
            } catch (IllegalStateException expected) {
            }
            expect(x.count == 8 && x.balance == 42, "inner txn undone to its savepoint");
            Pmem.txn(() -> { x.small = 10; });
            expect(Pmem.txnDepth() == 1, "back in the outer txn");
        });
        expect(x.count == 8 && x.small == 10, "outer and committed inner stores kept");
        // An outer failure undoes a committed inner txn too.
        try {
            Pmem.txn(() -> {
                Pmem.txn(() -> { x.small = 11; });
                throw new RuntimeException("outer");
            });
        } catch (RuntimeException expected) {
        }
        expect(x.small == 10, "inner txn undone with its outer one");
        x.count = 7; x.small = 9;   // outside a txn: durable one by one

        // Supplier form.
        long got = Pmem.txn(() -> { x.balance += 0; return x.balance; });
        expect(got == 42, "txn(Supplier) returns the body's result");

        // Volatile references are refused on every path, and change nothing.
        Object vol = new Object();
        Object[] parr = Pmem.pmake(Object[].class, 3);
        expectIAE(() -> x.ref = vol, "TestTxn$Acct.ref", "java.lang.Object");
        Object volBuilder = new StringBuilder();   // made before the transaction: volatile
        expectIAE(() -> Pmem.txn(() -> { x.ref = volBuilder; }), "TestTxn$Acct.ref", "java.lang.StringBuilder");
        expectIAE(() -> parr[1] = "volatile string", "element [1]", "java.lang.Object[]", "java.lang.String");
        expectIAE(() -> System.arraycopy(new Object[] {null, vol}, 0, parr, 0, 2), "element [1]", "java.lang.Object");
        expectIAE(() -> REF.set(x, vol), "TestTxn$Acct.ref");
        expectIAE(() -> REF.compareAndSet(x, x.history, vol), "TestTxn$Acct.ref");
        long refOffset = Unsafe.getUnsafe().objectFieldOffset(Acct.class, "ref");
        expectIAE(() -> Unsafe.getUnsafe().putReference(x, refOffset, vol), "TestTxn$Acct.ref");
        expect(x.ref == x.history && parr[0] == null && parr[1] == null, "refused stores changed nothing");
        parr[2] = x;                 // persistent references are fine
        expect(parr[2] == x, "persistent reference stored");

        // Unsafe and VarHandle primitive paths are logged too.
        try {
            Pmem.txn(() -> {
                BALANCE.set(x, 1L);
                BALANCE.compareAndSet(x, 1L, 2L);
                Unsafe.getUnsafe().putInt(x, Unsafe.getUnsafe().objectFieldOffset(Acct.class, "count"), 99);
                new AtomicInteger().incrementAndGet();   // volatile: untouched by the txn
                throw new RuntimeException("undo");
            });
        } catch (RuntimeException expected) {
        }
        expect(x.balance == 42 && x.count == 7, "VarHandle and Unsafe stores rolled back");

        // Unsafe bulk writes into a persistent array: copyMemory, copySwapMemory, setMemory.
        long[] bulk = Pmem.pmake(long[].class, 4);
        long base = Unsafe.ARRAY_LONG_BASE_OFFSET;
        long[] from = {0x0102030405060708L, 2, 3, 4};
        boolean[] wrote = {false};
        try {
            Pmem.txn(() -> {
                Unsafe.getUnsafe().copyMemory(from, base, bulk, base, 16);
                Unsafe.getUnsafe().copySwapMemory(from, base, bulk, base + 16, 16, 8);
                Unsafe.getUnsafe().setMemory(bulk, base + 8, 8, (byte) 1);
                wrote[0] = bulk[0] == from[0] && bulk[2] == Long.reverseBytes(from[0])
                           && bulk[1] == 0x0101010101010101L;
                throw new RuntimeException("undo");
            });
        } catch (RuntimeException expected) {
        }
        expect(wrote[0], "Unsafe bulk writes wrote");
        for (long v : bulk) expect(v == 0, "Unsafe bulk writes rolled back");

        // A transaction larger than its log slot goes on in log chunks
        // (TestLargeTxn covers them, and the heap running out).
        long[] big = Pmem.pmake(long[].class, 100_000);
        Pmem.txn(() -> { for (int i = 0; i < big.length; i++) big[i] = i + 1; });
        for (int i = 0; i < big.length; i++) expect(big[i] == i + 1, "a txn larger than its slot committed");
        expect(Pmem.txnDepth() == 0, "depth 0 after all");
    }
}
