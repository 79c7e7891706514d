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
 * @summary The barrier in compiled code: stores, atomics, arraycopy, fill and
 *          String.getChars into persistent objects from methods compiled by
 *          C2 and by C1 (each with -Xcomp, and as hot loops that it compiles
 *          and OSR-compiles; C1 also with a field resolved only after
 *          compilation, its offset patched in) are
 *          logged inside a txn (an exception undoes them), checked (a volatile
 *          reference is refused, also by a handler in the same compiled
 *          method), and outside a txn written back: the run is under the
 *          persistence-domain simulator, halts without Pmem.persist, and a
 *          second JVM finds every value. Each check fails if its path loses
 *          the barrier.
 * @library /test/lib /pmem/lib
 * @modules java.base/jdk.internal.pmem
 * @run driver TestCompiledBarrier
 */

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;

import jdk.internal.pmem.Pmem;
import jdk.test.lib.process.OutputAnalyzer;

public class TestCompiledBarrier {
    static class Rec {
        long l;
        int i;
        short s;
        char c;
        byte b;
        boolean z;
        float f;
        double d;
        Object ref;
        volatile long vl;
        int counter;
        long lcounter;
        Object slot;
        byte flag;
    }

    // Loaded only after lateStore is compiled: C1 compiles that store with
    // the field unresolved and patches its offset in on first execution.
    static class Late {
        long x;
        Object o;
        volatile int vx;   // C1 deoptimizes when it patches a volatile field access
    }

    static void lateStore(Object late, long v, Object o) {
        if (late != null) {
            Late l = (Late) late;
            l.x = v;
            l.o = o;
            l.vx = (int) v;
        }
    }

    static final VarHandle I, L, REF, B;
    static {
        try {
            MethodHandles.Lookup lk = MethodHandles.lookup();
            I = lk.findVarHandle(Rec.class, "counter", int.class);
            L = lk.findVarHandle(Rec.class, "lcounter", long.class);
            REF = lk.findVarHandle(Rec.class, "slot", Object.class);
            B = lk.findVarHandle(Rec.class, "flag", byte.class);
        } catch (ReflectiveOperationException e) {
            throw new Error(e);
        }
    }
    static final VarHandle LONGS = MethodHandles.arrayElementVarHandle(long[].class);

    static final int WARM = 20_000;   // calls that make C2 compile a method
    static final int LAST = 4242;     // the value the stores end with

    public static void main(String[] args) throws Exception {
        if (PmemTest.child(args, TestCompiledBarrier::run, TestCompiledBarrier::verify)) {
            return;
        }
        String[][] modes = {
            {"-XX:-TieredCompilation", "-Xcomp", "-Xbatch",
             "-XX:CompileCommand=quiet", "-XX:CompileCommand=compileonly,TestCompiledBarrier*::*"},
            {"-XX:-TieredCompilation", "-Xbatch"},
            {"-XX:TieredStopAtLevel=1", "-Xcomp", "-Xbatch", "-XX:+PrintCompilation",
             "-XX:CompileCommand=quiet", "-XX:CompileCommand=compileonly,TestCompiledBarrier*::*"},
            {"-XX:TieredStopAtLevel=1"},   // C1 warmed up, OSR included
        };
        for (String[] mode : modes) {
            String file = PmemTest.heapFile("compiled" + mode.length);
            OutputAnalyzer run = PmemTest.runThenVerify(TestCompiledBarrier.class, file,
                    PmemTest.concat(mode, new String[] {"-XX:+UnlockDiagnosticVMOptions", "-XX:+PmemSimulator"}));
            // C1 compiled every kernel, barrier included, instead of refusing it.
            run.shouldNotContain("COMPILE SKIPPED");
        }
        PmemTest.cleanup();
    }

    static void expect(boolean ok, String what) {
        if (!ok) throw new RuntimeException("FAILED: " + what);
    }

    // ---- the compiled kernels ----

    static void storeAll(Rec r, long[] a, Object[] objs, int v) {
        r.l = v * 3L;
        r.i = v;
        r.s = (short) v;
        r.c = (char) v;
        r.b = (byte) v;
        r.z = (v & 1) == 0;
        r.f = v / 2.0f;
        r.d = v / 4.0;
        r.vl = -v;
        r.ref = a;
        for (int k = 0; k < a.length; k++) {
            a[k] = v + k;
        }
        objs[v & 3] = r;
    }

    static void atomics(Rec r, int v) {
        I.getAndAdd(r, 1);
        L.compareAndSet(r, (long) L.get(r), (long) v);
        B.compareAndSet(r, (byte) B.get(r), (byte) (v & 0x7f));
        REF.getAndSet(r, r);
        LONGS.setVolatile((long[]) r.ref, 0, (long) v);
    }

    static void copyInto(long[] src, long[] dst, Object[] osrc, Object[] odst) {
        System.arraycopy(src, 0, dst, 0, dst.length);
        System.arraycopy(src, 1, dst, 0, 3);          // small: C2 may turn it into loads and stores
        System.arraycopy(osrc, 0, odst, 0, odst.length);
    }

    static void fillAndChars(long[] a, char[] cs, String s) {
        Arrays.fill(a, 99L);
        s.getChars(0, cs.length, cs, 0);
    }

    static String refuseVolatile(Rec r, Object[] objs, Object vol) {
        String msg = null;
        try {
            r.ref = vol;
        } catch (IllegalArgumentException e) {   // a handler in the compiled method itself
            msg = e.getMessage();
        }
        try {
            objs[0] = vol;
            return null;
        } catch (IllegalArgumentException e) {
            return msg + "|" + e.getMessage();
        }
    }

    static boolean refuseVolatileCas(Rec r, Object vol) {
        try {
            REF.compareAndSet(r, REF.get(r), vol);
            return false;
        } catch (IllegalArgumentException e) {
            return e.getMessage().contains("TestCompiledBarrier$Rec.slot");
        }
    }

    // ---- the run under the simulator ----

    static void run() {
        for (int n = 0; n < WARM; n++) {
            lateStore(null, n, null);   // compiled before Late is loaded
        }
        Rec r = Pmem.pnew(Rec.class);
        long[] a = Pmem.pmake(long[].class, 8);
        Object[] objs = Pmem.pmake(Object[].class, 4);
        char[] cs = Pmem.pmake(char[].class, 5);
        long[] copy = Pmem.pmake(long[].class, 8);
        Object[] ocopy = Pmem.pmake(Object[].class, 4);
        Pmem.txn(() -> {
            Pmem.put("rec", r);
            Pmem.put("longs", a);
            Pmem.put("objs", objs);
            Pmem.put("chars", cs);
            Pmem.put("copy", copy);
            Pmem.put("ocopy", ocopy);
        });

        // Outside a txn: each store is durable on its own (checked by verify()).
        // Warm up with other values, so that only compiled code stores LAST.
        for (int n = 0; n < WARM; n++) {
            storeAll(r, a, objs, n % 1000);
        }
        storeAll(r, a, objs, LAST);
        long[] src = new long[8];
        for (int k = 0; k < src.length; k++) src[k] = 100 + k;
        Object[] osrc = {r, a, null, objs};
        for (int n = 0; n < WARM; n++) {
            copyInto(src, copy, osrc, ocopy);
        }
        r.counter = 0;
        for (int n = 0; n < WARM; n++) {
            atomics(r, n);
        }
        atomics(r, LAST);

        // Inside a txn that fails: every compiled store is undone.
        String snapshot = describe(r, a, objs, cs, copy, ocopy);
        for (int n = 0; n < WARM; n++) {
            final int v = n;
            try {
                Pmem.txn(() -> {
                    storeAll(r, a, objs, v);
                    atomics(r, v);
                    copyInto(new long[] {7, 7, 7, 7, 7, 7, 7, 7}, copy, new Object[] {a, a, a, a}, ocopy);
                    fillAndChars(a, cs, "xyzzy");
                    throw new IllegalStateException("abort " + v);
                });
                expect(false, "txn did not throw");
            } catch (IllegalStateException e) {
                expect(e.getMessage().equals("abort " + v), "the body's exception, got " + e);
            }
            if (n % 5000 == 0 || n == WARM - 1) {
                expect(describe(r, a, objs, cs, copy, ocopy).equals(snapshot),
                       "rollback after " + n + ":\n" + describe(r, a, objs, cs, copy, ocopy) + "\nexpected\n" + snapshot);
            }
        }

        // The late-resolved field store: rolled back in a failing txn, then
        // durable on its own.
        Late late = Pmem.pnew(Late.class);
        Pmem.txn(() -> Pmem.put("late", late));
        try {
            Pmem.txn(() -> {
                lateStore(late, 77, r);
                throw new IllegalStateException("abort");
            });
        } catch (IllegalStateException e) {
            expect(late.x == 0 && late.o == null && late.vx == 0, "late-resolved stores rolled back");
        }
        lateStore(late, LAST, a);

        // Committed fill and getChars (outside a txn, durable on their own).
        fillAndChars(copy, cs, "hello");

        // Volatile references are refused and nothing changes.
        for (int n = 0; n < WARM; n++) {
            String m = refuseVolatile(r, objs, new StringBuilder("v"));
            expect(m != null && m.contains("volatile java.lang.StringBuilder in persistent field TestCompiledBarrier$Rec.ref")
                   && m.contains("element [0] of persistent java.lang.Object[]"), "refusal message: " + m);
            expect(refuseVolatileCas(r, new Object()), "CAS of a volatile reference refused");
        }
        expect(r.ref == a && r.slot == r, "refused stores left the fields alone");
        try {
            System.arraycopy(new Object[] {new Object()}, 0, ocopy, 0, 1);
            expect(false, "arraycopy of a volatile reference");
        } catch (IllegalArgumentException e) {
            expect(ocopy[0] == r, "refused arraycopy left the element alone");
        }
        System.out.println(describe(r, a, objs, cs, copy, ocopy));
        System.out.println("ALL CHECKS PASSED");
        // No Pmem.persist, no clean exit: only what the barrier wrote back survives.
        Runtime.getRuntime().halt(0);
    }

    static String describe(Rec r, long[] a, Object[] objs, char[] cs, long[] copy, Object[] ocopy) {
        return "l=" + r.l + " i=" + r.i + " s=" + r.s + " c=" + (int) r.c + " b=" + r.b + " z=" + r.z
               + " f=" + r.f + " d=" + r.d + " vl=" + r.vl + " ref=" + (r.ref == a) + " counter=" + r.counter
               + " lcounter=" + r.lcounter + " flag=" + r.flag + " slot=" + (r.slot == r)
               + " a=" + Arrays.toString(a) + " objs=" + Arrays.toString(Arrays.stream(objs).map(o -> o == r).toArray())
               + " cs=" + new String(cs).replace('\0', '_') + " copy=" + Arrays.toString(copy)
               + " ocopy=" + Arrays.toString(Arrays.stream(ocopy).map(o -> o == r ? "r" : o == a ? "a" : o == objs ? "objs" : String.valueOf(o)).toArray());
    }

    // ---- the second JVM: what the first left in the file ----

    static void verify() {
        Rec r = Pmem.get("rec", Rec.class);
        long[] a = Pmem.get("longs", long[].class);
        Object[] objs = Pmem.get("objs", Object[].class);
        char[] cs = Pmem.get("chars", char[].class);
        long[] copy = Pmem.get("copy", long[].class);
        Object[] ocopy = Pmem.get("ocopy", Object[].class);
        System.out.println(describe(r, a, objs, cs, copy, ocopy));
        int v = LAST;
        expect(r.l == v * 3L && r.i == v && r.s == (short) v && r.c == (char) v && r.b == (byte) v
               && r.z == ((v & 1) == 0) && r.f == v / 2.0f && r.d == v / 4.0 && r.vl == -v, "primitive fields");
        expect(r.ref == a && r.slot == r, "reference fields");
        expect(a[0] == LAST && a[7] == v + 7, "long[] elements and the atomic array store");
        for (int k = 0; k < 4; k++) expect(objs[k] == r, "Object[] element " + k);
        expect(r.counter == WARM + 1, "getAndAdd count " + r.counter);
        expect(r.lcounter == LAST && r.flag == (byte) (LAST & 0x7f), "CAS values");
        expect(new String(cs).equals("hello"), "getChars");
        for (long x : copy) expect(x == 99L, "fill");
        expect(ocopy[0] == r && ocopy[1] == a && ocopy[2] == null && ocopy[3] == objs, "Object[] arraycopy");
        Late late = Pmem.get("late", Late.class);
        expect(late.x == LAST && late.o == a && late.vx == LAST, "late-resolved field stores");
    }
}
