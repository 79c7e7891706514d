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

/*
 * @test
 * @summary C2 and C1 commit a transaction with nothing to write back inline,
 *          without the runtime call (issue 7): read-only transactions,
 *          ones that only store into volatile objects, and the outer level
 *          of a nested pair make no call (-Xlog:gc+pmem=trace names each
 *          commit by call), while transactions that log a store, allocate,
 *          or close a nested level still call. Under the simulator with a
 *          halt after the loops, every logged store and every object
 *          allocated and filled inside a transaction is durable in the next
 *          JVM. Four threads on a file with two log slots run the same
 *          kernels: an inline commit that kept its slot would starve them.
 * @requires vm.flagless
 * @library /test/lib /pmem/lib
 * @modules java.base/jdk.internal.pmem
 * @run driver TestInlineCommit
 */

import java.util.function.Supplier;
import jdk.internal.pmem.Pmem;

public class TestInlineCommit {
    static class Acct {
        long x;
    }

    static final int N = 4000;
    static final int THREADS = 4;

    public static void main(String[] args) throws Exception {
        if (PmemTest.child(args, TestInlineCommit::run, TestInlineCommit::verify)) {
            return;
        }
        String[] common = {"-Xcomp", "-Xbatch", "-XX:CompileCommand=quiet",
                           "-XX:CompileCommand=compileonly,TestInlineCommit::k*",
                           "-XX:PmemLogSlots=2", "-XX:+UnlockDiagnosticVMOptions", "-XX:+PmemSimulator",
                           "-Dhalt=true"};
        String[][] tiers = {{"-XX:-TieredCompilation"}, {"-XX:TieredStopAtLevel=1"}};
        for (int i = 0; i < tiers.length; i++) {
            long calls = PmemTest.runThenVerifyCounting(TestInlineCommit.class,
                                                        PmemTest.heapFile("inline-commit-" + i),
                                                        "Transaction committed by a runtime call",
                                                        PmemTest.concat(tiers[i], common));
            // Per thread and round: kWrite, kAlloc and kNested's inner level
            // call (3); kRead, kVolatile and kNested's outer level do not (3
            // more with no inline commit). The warm-up (2 rounds) and setup
            // add at most 20.
            long expected = 3L * N * THREADS;
            System.out.println(tiers[i][0] + ": commits by call: " + calls + ", expected " + expected
                               + " and a few");
            if (calls < expected || calls > expected + 20) {
                throw new RuntimeException(tiers[i][0] + ": " + calls + " commits by runtime call, expected "
                                           + expected + "..." + (expected + 20));
            }
        }
        PmemTest.cleanup();
    }

    static void expect(boolean ok, String what) {
        if (!ok) throw new RuntimeException("FAILED: " + what);
    }

    // The kernels, compiled by C2 or C1 (-Xcomp) with Pmem.txn inlined. Their
    // bodies come from the (interpreted) driver, so that no kernel links
    // an invokedynamic: C2 code would trap there and run interpreted.
    static long kRead(Supplier<Long> body) {
        return Pmem.txn(body);
    }

    static void kVolatile(Runnable body) {
        Pmem.txn(body);
    }

    static void kWrite(Runnable body) {
        Pmem.txn(body);
    }

    static Acct kAlloc(Supplier<Acct> body) {
        return Pmem.txn(body);
    }

    static long kNested(Supplier<Long> body) {
        return Pmem.txn(body);
    }

    // One thread's rounds; root holds its written Acct and allocated ones.
    static void work(Object[] root, int t, int rounds) {
        Acct w = (Acct) root[0];
        Acct r = (Acct) root[1];
        Object[] made = (Object[]) root[2];
        Acct vol = new Acct();
        long sum = 0;
        for (int i = 0; i < rounds; i++) {
            final long k = i;
            sum += kRead(() -> (w.x + r.x) & 63);   // a cached box: a Long made inside would be persistent
            kVolatile(() -> { vol.x = k; });
            kWrite(() -> { w.x = k; });
            made[i] = kAlloc(() -> {
                Acct n = Pmem.pnew(Acct.class);
                n.x = k * 7 + t;   // not logged, not written back until commit
                return n;
            });
            sum += kNested(() -> Pmem.txn(() -> (w.x - r.x) & 63));
        }
        expect(vol.x == rounds - 1 && w.x == rounds - 1 && sum != 0, "thread " + t + " results");
    }

    static Object[] newRoot() {
        Object[] root = Pmem.pmake(Object[].class, 3);
        root[0] = Pmem.pnew(Acct.class);
        Acct r = Pmem.pnew(Acct.class);
        r.x = 1;
        root[1] = r;
        root[2] = Pmem.pmake(Object[].class, N);
        return root;
    }

    static void run() throws Exception {
        Object[] roots = Pmem.pmake(Object[].class, THREADS);
        Pmem.setRoot(roots);
        for (int t = 0; t < THREADS; t++) {
            roots[t] = newRoot();
        }
        // Compile every kernel before the threads start: -Xcomp -Xbatch
        // compiles at the first call, but a thread that calls a kernel
        // while another compiles it runs it interpreted, and calls.
        Pmem.txn(() -> { });   // links Pmem.txn(Runnable)'s own lambda
        work(newRoot(), 0, 2);
        Thread[] ts = new Thread[THREADS];
        for (int t = 0; t < THREADS; t++) {
            final int id = t;
            ts[t] = new Thread(() -> work((Object[]) roots[id], id, N));
            ts[t].start();
        }
        for (Thread th : ts) {
            th.join();
        }
        expect(Pmem.txnDepth() == 0, "depth after the threads");
        if (Boolean.getBoolean("halt")) {
            System.out.println("ALL CHECKS PASSED");
            Runtime.getRuntime().halt(0);
        }
    }

    static void verify() {
        Object[] roots = (Object[]) Pmem.root();
        for (int t = 0; t < THREADS; t++) {
            Object[] root = (Object[]) roots[t];
            expect(((Acct) root[0]).x == N - 1, "logged store of thread " + t);
            Object[] made = (Object[]) root[2];
            for (int k = 0; k < N; k++) {
                expect(made[k] != null && ((Acct) made[k]).x == k * 7L + t, "object " + k + " of thread " + t);
            }
        }
    }
}
