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
 * @summary pnew and pmake compiled by C1 and by C2 bump-allocate in the
 *          thread's persistent buffer and call the native path only to
 *          refill it (issue 7): -Xlog:gc+pmem=trace names every native
 *          allocation, and a compiled loop of 40 000 allocations makes at
 *          most a few hundred of them (with the intrinsics disabled it
 *          makes all 40 000: the control that shows the count tells the
 *          paths apart). Instances, arrays of every element size and
 *          lengths around the buffer's array limit and a line's end; with
 *          write-back instructions, and through the simulator's write-back
 *          call, then a halt: every object the loop kept is whole in the
 *          next JVM.
 * @requires vm.flagless
 * @library /test/lib /pmem/lib
 * @modules java.base/jdk.internal.pmem
 * @run driver TestCompiledAlloc
 */

import jdk.internal.pmem.Pmem;

public class TestCompiledAlloc {
    static class Rec {
        long l;
        int i;
        Object ref;
    }

    static final int N = 10_000;   // rounds of 4 allocations
    static final int KEEP = 64;

    public static void main(String[] args) throws Exception {
        if (PmemTest.child(args, TestCompiledAlloc::run, TestCompiledAlloc::verify)) {
            return;
        }
        String[] only = {"-XX:CompileCommand=quiet", "-XX:CompileCommand=compileonly,TestCompiledAlloc::alloc*",
                         "-XX:CompileCommand=compileonly,jdk.internal.pmem.Pmem::*", "-Xcomp", "-Xbatch"};
        String[][] tiers = {
            {"-XX:TieredStopAtLevel=1"},    // C1
            {"-XX:-TieredCompilation"},     // C2
        };
        for (String[] tier : tiers) {
            long inline = natives(PmemTest.concat(tier, only), "fast-" + tier[0].length());
            if (inline > 400) {
                throw new RuntimeException(tier[0] + ": " + inline + " native allocations of " + 4 * N
                                           + ": compiled pnew/pmake do not bump-allocate");
            }
            long control = natives(PmemTest.concat(tier, only, new String[] {"-XX:+UnlockDiagnosticVMOptions",
                                   "-XX:DisableIntrinsic=_pmem_pnewFast,_pmem_pmakeFast"}), "ctl");
            if (control < 4 * N) {
                throw new RuntimeException(tier[0] + ": without the intrinsics only " + control
                                           + " native allocations: the count does not see the native path");
            }
            // The write-back call the simulator needs, then a halt.
            long sim = natives(PmemTest.concat(tier, only, new String[] {"-XX:+UnlockDiagnosticVMOptions",
                               "-XX:+PmemSimulator", "-Dhalt=true"}), "sim");
            if (sim > 400) {
                throw new RuntimeException(tier[0] + ", simulator: " + sim + " native allocations");
            }
        }
        PmemTest.cleanup();
    }

    // Runs "run" then "verify" on a new file; returns the native allocations of "run".
    static long natives(String[] flags, String name) throws Exception {
        return PmemTest.runThenVerifyCounting(TestCompiledAlloc.class, PmemTest.heapFile("calloc-" + name),
                                              "Native path allocated", flags);
    }

    static void expect(boolean ok, String what) {
        if (!ok) throw new RuntimeException("FAILED: " + what);
    }

    // Compiled (the only methods compiled besides Pmem's): the calls under test.
    static Rec allocRec(int k) {
        Rec r = Pmem.pnew(Rec.class);
        r.l = k;
        r.i = -k;
        return r;
    }

    static Object allocArray(int k) {
        switch (k % 4) {
            case 0:  return Pmem.pmake(byte[].class, k % 67);     // every word of a line
            case 1:  return Pmem.pmake(char[].class, k % 29);
            case 2:  return Pmem.pmake(long[].class, k % 131);
            default: return Pmem.pmake(Object[].class, k % 9);
        }
    }

    static long[] allocLong(int len) {
        return Pmem.pmake(long[].class, len);
    }

    static void run() throws Exception {
        Object[] keep = Pmem.pmake(Object[].class, KEEP);
        Pmem.setRoot(keep);
        // Compiled code bump-allocates only types the type table holds, as
        // it does once the native path made one: -Xcomp compiles before.
        Pmem.pnew(Rec.class);
        Pmem.pmake(byte[].class, 1);
        Pmem.pmake(char[].class, 1);
        Pmem.pmake(long[].class, 1);
        for (int k = 0; k < N; k++) {
            Rec r = allocRec(k);
            Object a = allocArray(k);
            Object b = allocArray(k + 1);
            long[] c = allocLong(k % 40);
            expect(Pmem.inPmem(r) && Pmem.inPmem(a) && Pmem.inPmem(b) && Pmem.inPmem(c), "persistent at " + k);
            expect(r.l == k && r.ref == null && c.length == k % 40, "fields at " + k);
            r.ref = a;
            if (c.length > 0) c[c.length - 1] = k;
            if (k % 157 == 0) {
                keep[(k / 157) % KEEP] = r;
            }
        }
        // Lengths the compiled code refuses (negative) or leaves to the
        // native path (too long for a buffer).
        try {
            allocLong(-1);
            throw new RuntimeException("negative length allowed");
        } catch (NegativeArraySizeException expected) {
        }
        long[] big = allocLong(1 << 20);
        expect(big.length == 1 << 20 && big[big.length - 1] == 0 && Pmem.inPmem(big), "large array");
        if (Boolean.getBoolean("halt")) {
            System.out.println("ALL CHECKS PASSED");
            Runtime.getRuntime().halt(0);
        }
    }

    static void verify() {
        Object[] keep = (Object[]) Pmem.root();
        int seen = 0;
        for (Object o : keep) {
            if (o == null) continue;
            Rec r = (Rec) o;
            expect(r.i == -r.l && r.l % 157 == 0, "kept record " + r.l);
            int k = (int) r.l;
            Object a = r.ref;
            Class<?>[] classes = {byte[].class, char[].class, long[].class, Object[].class};
            expect(a != null && a.getClass() == classes[k % 4], "array class at " + k);
            seen++;
        }
        expect(seen == KEEP, "kept " + seen);
    }
}
