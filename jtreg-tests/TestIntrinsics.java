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
 * @summary The compiled fast paths of pnew, pmake and txn (issue 7):
 *          C2 bump-allocates persistent objects inline (PrintIntrinsics
 *          shows pnewFast0 and pmakeFast0 as intrinsics), C1 and C2 begin
 *          and commit through leaf calls, and the interpreter keeps the
 *          native path. In every tier: objects are persistent, typed, zero
 *          and parse (the heap is verified at the next attach) across many
 *          buffer refills and a collection; a compiled allocation that does
 *          not escape still allocates; stores into a pnew'd object published
 *          later in the same method, and loops mixing persistent and
 *          volatile arrays (OSR too), keep their barrier; objects allocated
 *          inside a txn are written back by its commit and dropped by its
 *          abort; a deoptimization in the middle of a txn leaves it whole;
 *          a txn's undo of a cache line never reverts another object in
 *          that line (another thread's durable store survives the abort).
 *          Run with real write-back instructions (PMEM_IS_PMEM_FORCE=1) and
 *          under the persistence-domain simulator with a halt, so a store
 *          that lost its barrier or write-back is missing in the second JVM.
 * @library /test/lib /pmem/lib
 * @modules java.base/jdk.internal.pmem
 * @run driver TestIntrinsics
 */

import jdk.internal.pmem.Pmem;
import jdk.test.lib.process.OutputAnalyzer;

public class TestIntrinsics {
    static class Rec {
        long l;
        double d;
        Object ref;
        int i;
    }

    // Loaded first inside a txn by a compiled method: an uncommon trap there.
    static class LateLoaded {
        static long value(long v) { return v * 7; }
    }

    static final int ALLOCS = 150_000;   // ~10 MB: many buffer refills
    static final int RING = 512;

    public static void main(String[] args) throws Exception {
        if (PmemTest.child(args, TestIntrinsics::run, TestIntrinsics::verify)) {
            return;
        }
        String[][] modes = {
            {"-XX:-TieredCompilation", "-Xbatch"},                       // C2
            {"-XX:TieredStopAtLevel=1", "-Xbatch"},                      // C1
            {"-Xint"},
            {"-XX:-TieredCompilation", "-Xcomp", "-Xbatch",
             "-XX:CompileCommand=quiet", "-XX:CompileCommand=compileonly,TestIntrinsics*::*",
             "-XX:CompileCommand=compileonly,jdk.internal.pmem.Pmem::*"},
        };
        String[] diag = {"-XX:+UnlockDiagnosticVMOptions", "-XX:+PrintIntrinsics"};
        for (int m = 0; m < modes.length; m++) {
            boolean c2 = m == 0 || m == 3;
            // Real write-back instructions: the inline header write-back.
            String file = PmemTest.heapFile("intrinsics-" + m);
            OutputAnalyzer run = PmemTest.runForcedPmem(PmemTest.concat(
                    new String[] {"--add-exports", "java.base/jdk.internal.pmem=ALL-UNNAMED",
                                  "-cp", System.getProperty("test.class.path")},
                    PmemTest.flags(file), modes[m], diag, new String[] {TestIntrinsics.class.getName(), "run"}));
            System.out.println(run.getOutput());
            run.shouldHaveExitValue(0);
            run.shouldContain("ALL CHECKS PASSED");
            if (c2) {
                run.shouldMatch("Pmem::pnewFast0 \\(0 bytes\\)\\s+\\(intrinsic\\)");
                run.shouldMatch("Pmem::pmakeFast0 \\(0 bytes\\)\\s+\\(intrinsic\\)");
                run.shouldMatch("Pmem::txnBeginFast0 \\(0 bytes\\)\\s+\\(intrinsic\\)");
                run.shouldMatch("Pmem::txnCommitFast0 \\(0 bytes\\)\\s+\\(intrinsic\\)");
            }
            OutputAnalyzer check = PmemTest.runMain(TestIntrinsics.class, PmemTest.flags(file), "verify");
            System.out.println(check.getOutput());
            check.shouldHaveExitValue(0);
            check.shouldContain("ALL CHECKS PASSED");

            // The simulator, ending in a halt: only what was written back survives.
            String sim = PmemTest.heapFile("intrinsics-sim-" + m);
            PmemTest.runThenVerify(TestIntrinsics.class, sim, PmemTest.concat(modes[m],
                    new String[] {"-XX:+UnlockDiagnosticVMOptions", "-XX:+PmemSimulator", "-Dhalt=true"}));
        }
        PmemTest.cleanup();
    }

    static void expect(boolean ok, String what) {
        if (!ok) throw new RuntimeException("FAILED: " + what);
    }

    // ---- compiled kernels ----

    // Allocates and checks; keeps every k-th object in the persistent ring.
    static long allocate(Object[] ring, int n, int off) {
        long sum = 0;
        for (int k = 0; k < n; k++) {
            Rec r = Pmem.pnew(Rec.class);
            long[] a = Pmem.pmake(long[].class, k % 70);   // 16..576 bytes: headers land on every word of a line
            byte[] b = Pmem.pmake(byte[].class, k % 13);
            if (r.l != 0 || r.ref != null || a.length != k % 70 || b.length != k % 13
                    || (a.length > 0 && a[a.length - 1] != 0) || !Pmem.inPmem(r) || !Pmem.inPmem(a)) {
                throw new RuntimeException("bad object at " + k);
            }
            r.l = k;
            r.ref = a;
            if (a.length > 0) a[0] = k;
            if (k % 97 == 0) {
                ring[(off + k / 97) % RING] = r;
            }
            sum += a.length;
        }
        return sum;
    }

    // The object never escapes: it is still allocated in the persistent heap.
    static long noEscape(long v) {
        Rec r = Pmem.pnew(Rec.class);
        r.l = v;
        return r.l + (Pmem.inPmem(r) ? 1 : 0);
    }

    // Stores into a new persistent object, which is published afterwards.
    static Rec publishLater(Object[] holder, int slot, long v) {
        Rec r = Pmem.pnew(Rec.class);
        r.l = v;
        r.d = v / 2.0;
        r.i = (int) v;
        long[] a = Pmem.pmake(long[].class, 4);
        a[3] = v;
        r.ref = a;
        holder[slot] = r;
        return r;
    }

    // One loop, persistent and volatile arrays in turn.
    static long mix(long[] p, long[] v, int n) {
        long s = 0;
        for (int i = 0; i < n; i++) {
            long[] t = (i & 1) == 0 ? p : v;
            t[i % t.length] = i;
            s += t[(i + 1) % t.length];
        }
        return s;
    }

    static void txnAllocate(Object[] ring, int i) {
        Pmem.txn(() -> {
            Rec r = Pmem.pnew(Rec.class);
            r.l = -i;                     // fresh: not logged, written back by the commit
            long[] a = Pmem.pmake(long[].class, 3);
            a[2] = i;
            r.ref = a;
            ring[i % RING] = r;
        });
    }

    static void txnAllocateAbort(Object[] ring, int i) {
        try {
            Pmem.txn(() -> {
                Rec r = Pmem.pnew(Rec.class);
                r.l = 12345;
                ring[i % RING] = r;
                throw new IllegalStateException("abort");
            });
            throw new RuntimeException("no exception");
        } catch (IllegalStateException expected) {
        }
    }

    static boolean lateLoad;

    // A txn whose compiled body traps halfway (LateLoaded is not loaded
    // when it is compiled) and goes on in the interpreter.
    static void txnDeopt(Rec r, long[] a, boolean fail) {
        try {
            Pmem.txn(() -> {
                r.l = 1;
                a[0] = 1;
                if (lateLoad) {
                    r.d = LateLoaded.value(3);
                }
                a[1] = 2;
                r.i = 3;
                if (fail) throw new IllegalStateException("abort");
            });
        } catch (IllegalStateException expected) {
        }
    }

    // Three adjacent objects (40 bytes each): x shares the line of x.l with
    // the end of p or the start of n. This thread stores x.l in a txn, then
    // another thread stores p's and n's fields outside any txn (durable),
    // then the txn aborts: those must keep the other thread's values.
    static void neighbours(Rec[] three) throws Exception {
        Rec p = three[0], x = three[1], n = three[2];
        try {
            Pmem.txn(() -> {
                x.l = 111;
                Thread t = new Thread(() -> {
                    p.l = 222; p.i = 223; n.l = 224; n.i = 225;
                });
                t.start();
                try {
                    t.join();
                } catch (InterruptedException e) {
                    throw new RuntimeException(e);
                }
                throw new IllegalStateException("abort");
            });
        } catch (IllegalStateException expected) {
        }
        expect(x.l == 0 && p.l == 222 && p.i == 223 && n.l == 224 && n.i == 225,
               "neighbours: x.l " + x.l + ", p " + p.l + "/" + p.i + ", n " + n.l + "/" + n.i);
    }

    // ---- the run ----

    static void run() throws Exception {
        Object[] ring = Pmem.pmake(Object[].class, RING);
        Pmem.put("ring", ring);
        long used0 = Pmem.usedBytes();
        long sum = 0;
        for (int round = 0; round < 5; round++) {
            sum += allocate(ring, ALLOCS / 5, round * (ALLOCS / 5 / 97 + 1));
            if (round == 2) System.gc();   // a collection with buffers in use
        }
        expect(sum > 0 && Pmem.usedBytes() > used0, "allocated " + sum);

        // inPmem(r) is a native call: r must exist, in the persistent heap.
        long t = 0;
        for (int k = 0; k < 20_000; k++) t += noEscape(k);
        expect(t == (long) 20_000 * 19_999 / 2 + 20_000, "noEscape sum " + t);

        Object[] pub = Pmem.pmake(Object[].class, 8);
        Pmem.put("pub", pub);
        for (int k = 0; k < 20_000; k++) publishLater(pub, k & 7, k);

        long[] p = Pmem.pmake(long[].class, 64);
        Pmem.put("mix", p);
        long[] v = new long[64];
        for (int k = 0; k < 200; k++) mix(p, v, 5_000);   // OSR, then compiled

        Object[] tring = Pmem.pmake(Object[].class, RING);
        Pmem.put("tring", tring);
        for (int i = 0; i < 20_000; i++) {
            txnAllocate(tring, i);
            if (i % 10 == 0) txnAllocateAbort(tring, i + 1);
        }

        Rec r = Pmem.pnew(Rec.class);
        long[] a = Pmem.pmake(long[].class, 2);
        Pmem.put("deoptRec", r);
        Pmem.put("deoptArr", a);
        for (int k = 0; k < 20_000; k++) txnDeopt(r, a, true);
        expect(r.l == 0 && a[0] == 0 && a[1] == 0 && r.i == 0, "warm-up aborts left stores");
        lateLoad = true;
        txnDeopt(r, a, true);   // traps, goes on interpreted, aborts
        expect(r.l == 0 && a[0] == 0 && a[1] == 0 && r.i == 0 && r.d == 0, "deopt + abort left stores");
        txnDeopt(r, a, false);  // commits
        expect(r.l == 1 && a[0] == 1 && a[1] == 2 && r.i == 3 && r.d == 21, "deopt + commit lost stores");
        expect(Pmem.txnDepth() == 0, "txn depth " + Pmem.txnDepth());

        Rec[] three = { Pmem.pnew(Rec.class), Pmem.pnew(Rec.class), Pmem.pnew(Rec.class) };
        Object[] keep = Pmem.pmake(Object[].class, 3);
        for (int k = 0; k < 3; k++) keep[k] = three[k];
        Pmem.put("three", keep);
        neighbours(three);

        if (Boolean.getBoolean("halt")) {
            System.out.println("ALL CHECKS PASSED");
            Runtime.getRuntime().halt(0);   // no orderly exit: only written-back data survives
        }
    }

    static void verify() {
        Object[] ring = Pmem.get("ring", Object[].class);
        int seen = 0;
        for (Object o : ring) {
            if (o == null) continue;
            Rec r = (Rec) o;
            long[] a = (long[]) r.ref;
            expect(r.l % 97 == 0 && a.length == r.l % 70, "ring rec " + r.l + " length " + a.length);
            expect(a.length == 0 || a[0] == r.l, "ring array of " + r.l);
            seen++;
        }
        expect(seen == RING, "ring has " + seen);
        Object[] pub = Pmem.get("pub", Object[].class);
        for (int s = 0; s < 8; s++) {
            Rec r = (Rec) pub[s];
            long v = 20_000 - 8 + s;
            expect(r.l == v && r.d == v / 2.0 && r.i == v && ((long[]) r.ref)[3] == v, "published slot " + s + ": " + r.l);
        }
        long[] p = Pmem.get("mix", long[].class);
        for (int k = 0; k < 64; k += 2) {
            // the last even i written to index k in the last call of mix
            long last = 0;
            for (int i = 0; i < 5_000; i++) if ((i & 1) == 0 && i % 64 == k) last = i;
            expect(p[k] == last, "mix[" + k + "] = " + p[k] + ", want " + last);
        }
        Object[] tring = Pmem.get("tring", Object[].class);
        for (int j = 0; j < RING; j++) {
            Rec r = (Rec) tring[j];
            expect(r != null && r.l != 12345, "tring " + j + " holds an aborted object");
            long i = -r.l;
            expect(i % RING == j && ((long[]) r.ref)[2] == i, "tring " + j + ": " + i);
        }
        Rec r = Pmem.get("deoptRec", Rec.class);
        long[] a = Pmem.get("deoptArr", long[].class);
        expect(r.l == 1 && a[0] == 1 && a[1] == 2 && r.i == 3 && r.d == 21, "deopt txn not durable");
        Object[] keep = Pmem.get("three", Object[].class);
        Rec kp = (Rec) keep[0], kx = (Rec) keep[1], kn = (Rec) keep[2];
        expect(kx.l == 0 && kp.l == 222 && kp.i == 223 && kn.l == 224 && kn.i == 225, "neighbours after restart");
    }
}
