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
 * @summary C2 stores a primitive into a persistent object outside a txn
 *          inline and writes its line back (issue 7), and a run of
 *          putfields into one object shares the write-back of each cache
 *          line: under the persistence-domain simulator, with a halt right
 *          after, every field of every object is durable (objects at every
 *          alignment, so runs cross lines at every field), and the compiled
 *          code wrote back at most once per line an object spans, not once
 *          per store (-Xlog:gc+pmem=trace names each compiled write-back).
 *          The same kernels in C1 and the interpreter, with real write-back
 *          instructions, and runs broken by a call, a branch, a volatile
 *          field and a txn.
 * @requires vm.flagless
 * @library /test/lib /pmem/lib
 * @modules java.base/jdk.internal.pmem
 * @run driver TestMergedWriteBack
 */

import jdk.internal.pmem.Pmem;

public class TestMergedWriteBack {
    // 16-byte header (12 + pad) and 10 longs: 96 bytes, 2 or 3 lines.
    static class W {
        long a, b, c, d, e, f, g, h, i, j;
    }

    // Mixed sizes, and a volatile field that ends a run.
    static class M {
        byte b;
        short s;
        char c;
        int i;
        float f;
        double d;
        volatile long v;
        long l;
    }

    static final int N = 3000;

    public static void main(String[] args) throws Exception {
        if (PmemTest.child(args, TestMergedWriteBack::run, TestMergedWriteBack::verify)) {
            return;
        }
        String[] c2only = {"-XX:-TieredCompilation", "-Xcomp", "-Xbatch", "-XX:CompileCommand=quiet",
                           "-XX:CompileCommand=compileonly,TestMergedWriteBack::fill*",
                           "-XX:CompileCommand=compileonly,TestMergedWriteBack::mixed*"};
        // The simulator: compiled write-backs are leaf calls, each logged.
        long wbs = PmemTest.runThenVerifyCounting(TestMergedWriteBack.class, PmemTest.heapFile("merged-sim"),
                "Compiled store written back", PmemTest.concat(c2only, new String[] {
                "-XX:+UnlockDiagnosticVMOptions", "-XX:+PmemSimulator", "-Dhalt=true"}));
        // Per k: fill, 10 stores in 2-3 lines: 2-3 write-backs; fillBroken,
        // runs {a b} c d {e..j}: 4-7; mixed, runs {b s c i} v {f d l}
        // (an ldc of a float ends a run too): 3-5. A store each: 28.
        long stores = 28L * N;
        System.out.println("compiled write-backs: " + wbs + " for " + stores + " stores");
        if (wbs > 15L * N || wbs < 9L * N) {
            throw new RuntimeException(wbs + " compiled write-backs for " + stores + " stores: expected "
                                       + (9L * N) + ".." + (15L * N));
        }

        // Real write-back instructions, each tier; then the next JVM checks.
        String[][] tiers = {c2only, {"-XX:TieredStopAtLevel=1", "-Xbatch"}, {"-Xint"}};
        for (int t = 0; t < tiers.length; t++) {
            PmemTest.runForcedThenVerify(TestMergedWriteBack.class, PmemTest.heapFile("merged-" + t), tiers[t]);
        }
        PmemTest.cleanup();
    }

    static void expect(boolean ok, String what) {
        if (!ok) throw new RuntimeException("FAILED: " + what);
    }

    // One run of ten putfields: only locals, constants and arithmetic between.
    static void fill(W w, long k) {
        w.a = k;
        w.b = k + 1;
        w.c = k * 3;
        w.d = -k;
        w.e = k << 2;
        w.f = k + 1000000007L;
        w.g = k ^ 0x5555;
        w.h = (int) k;
        w.i = k - 9;
        w.j = ~k;
    }

    // Runs broken up: by a call, a branch, and a volatile store.
    static void fillBroken(W w, long k) {
        w.a = k;
        w.b = k + 1;
        helper(k);
        w.c = k * 3;
        if (k >= 0) {
            w.d = -k;
        }
        w.e = k << 2;
        w.f = k + 1000000007L;
        w.g = k ^ 0x5555;
        w.h = (int) k;
        w.i = k - 9;
        w.j = ~k;
    }

    static long sink;

    static void helper(long k) {
        sink += k;
    }

    static void mixed(M m, int k) {
        m.b = (byte) k;
        m.s = (short) (k * 3);
        m.c = (char) (k + 7);
        m.i = k * 11;
        m.v = k;          // volatile: ends the run
        m.f = k * 0.5f;
        m.d = k * 0.25;
        m.l = (long) k << 33;
    }

    static void check(W w, long k) {
        expect(w.a == k && w.b == k + 1 && w.c == k * 3 && w.d == -k && w.e == k << 2
               && w.f == k + 1000000007L && w.g == (k ^ 0x5555) && w.h == (int) k && w.i == k - 9
               && w.j == ~k, "W " + k);
    }

    static void check(M m, int k) {
        expect(m.b == (byte) k && m.s == (short) (k * 3) && m.c == (char) (k + 7) && m.i == k * 11
               && m.v == k && m.f == k * 0.5f && m.d == k * 0.25 && m.l == (long) k << 33, "M " + k);
    }

    static void run() throws Exception {
        Object[] ws = Pmem.pmake(Object[].class, N);
        Object[] bs = Pmem.pmake(Object[].class, N);
        Object[] ms = Pmem.pmake(Object[].class, N);
        Object[] root = Pmem.pmake(Object[].class, 3);
        Pmem.setRoot(root);
        root[0] = ws;
        root[1] = bs;
        root[2] = ms;
        // Each object linked before its stores: then it is durable, and
        // each store, or run of stores, is written back (stores into an
        // object not linked yet wait for its link: PmemDeferred).
        for (int k = 0; k < N; k++) {
            W w = Pmem.pnew(W.class);
            ws[k] = w;
            fill(w, k);
            W b = Pmem.pnew(W.class);
            bs[k] = b;
            fillBroken(b, k);
            M m = Pmem.pnew(M.class);
            ms[k] = m;
            mixed(m, k);
            if (k % 64 == 0) {
                Pmem.pnew(M.class);   // shift the next objects' alignment
            }
        }
        // Inside a txn the same compiled code logs instead; abort undoes it.
        W t = (W) ws[5];
        try {
            Pmem.txn(() -> {
                fill(t, 123456);
                throw new IllegalStateException("abort");
            });
        } catch (IllegalStateException expected) {
        }
        check(t, 5);
        Pmem.txn(() -> fill((W) ws[6], 6));
        for (int k = 0; k < N; k++) {
            check((W) ws[k], k);
            check((W) bs[k], k);
            check((M) ms[k], k);
        }
        if (Boolean.getBoolean("halt")) {
            System.out.println("ALL CHECKS PASSED");
            Runtime.getRuntime().halt(0);
        }
    }

    static void verify() {
        Object[] root = (Object[]) Pmem.root();
        Object[] ws = (Object[]) root[0], bs = (Object[]) root[1], ms = (Object[]) root[2];
        for (int k = 0; k < N; k++) {
            check((W) ws[k], k);
            check((W) bs[k], k);
            check((M) ms[k], k);
        }
    }
}
