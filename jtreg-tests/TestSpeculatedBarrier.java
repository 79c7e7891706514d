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
 * @summary C2 speculates that a putfield or array store whose method never
 *          met a persistent object stores into volatile ones (issue 7): its
 *          barrier is the range test alone, and a persistent destination
 *          takes an uncommon trap that re-executes the store in the
 *          interpreter. Methods warmed on volatile objects only are
 *          compiled so (-Xlog:gc+pmem=trace names each speculated store),
 *          then meet persistent ones: inside a txn that aborts the stores
 *          are undone, a volatile reference stored into a persistent object
 *          is still refused, and outside a txn, under the simulator with a
 *          halt, the stores are durable in the next JVM. The recompiled
 *          methods do not speculate again: each store site is speculated in
 *          one compilation only, though the methods are compiled again.
 *          Profiled code records persistent stores (C1's tier 3 with
 *          tiered compilation, the interpreter without), and C2 compiles a
 *          method that made them with its barrier from the start.
 * @requires vm.flagless
 * @library /test/lib /pmem/lib
 * @modules java.base/jdk.internal.pmem
 * @run driver TestSpeculatedBarrier
 */

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import jdk.internal.pmem.Pmem;
import jdk.test.lib.process.OutputAnalyzer;

public class TestSpeculatedBarrier {
    static class Node {
        long a;
        int b;
        Object ref;
    }

    static final int WARM = 30_000;

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("tiered")) {
            tiered();
            return;
        }
        if (PmemTest.child(args, TestSpeculatedBarrier::run, TestSpeculatedBarrier::verify)) {
            return;
        }
        // Tiered: profiled C1 code records persistent stores, and C2 then
        // compiles durable() with its barrier, not a speculation. Without
        // tiered compilation the interpreter records them.
        profiled("tiered", "-XX:+TieredCompilation");
        profiled("interpreter", "-XX:-TieredCompilation");

        String file = PmemTest.heapFile("speculated");
        String log = file + ".log";
        OutputAnalyzer out = PmemTest.runThenVerify(TestSpeculatedBarrier.class, file,
                "-XX:-TieredCompilation", "-Xbatch", "-XX:CompileCommand=quiet",
                "-XX:CompileCommand=dontinline,TestSpeculatedBarrier::fill",
                "-XX:CompileCommand=dontinline,TestSpeculatedBarrier::put",
                "-XX:CompileCommand=dontinline,TestSpeculatedBarrier::link",
                "-XX:CompileCommand=dontinline,TestSpeculatedBarrier::fillLoaded",
                "-XX:CompileCommand=dontinline,TestSpeculatedBarrier::linkLoaded",
                "-XX:CompileCommand=dontinline,TestSpeculatedBarrier::storeLoaded", "-XX:+UnlockDiagnosticVMOptions", "-XX:+PmemSimulator",
                "-XX:+PrintCompilation", "-Dhalt=true", "-Xlog:gc+pmem=trace:file=" + log);
        List<String> spec = Files.readAllLines(Path.of(log)).stream()
                .filter(l -> l.contains("speculated volatile"))
                .map(l -> l.substring(l.indexOf("C2:"))).collect(Collectors.toList());
        Files.delete(Path.of(log));
        spec.forEach(System.out::println);
        for (String m : new String[] {"fill", "put", "link", "fillLoaded", "linkLoaded"}) {
            long sites = spec.stream().filter(l -> l.contains(" " + m + "@")).count();
            long distinct = spec.stream().filter(l -> l.contains(" " + m + "@")).distinct().count();
            long compiles = out.asLines().stream()
                    .filter(l -> l.contains("TestSpeculatedBarrier::" + m + " ") && !l.contains("made not entrant"))
                    .count();
            System.out.println(m + ": " + sites + " speculated stores at " + distinct + " sites, " + compiles
                               + " compilations");
            if (distinct == 0) {
                throw new RuntimeException(m + ": no store was speculated volatile");
            }
            if (sites != distinct) {
                throw new RuntimeException(m + ": a store site was speculated again after its method trapped");
            }
            if (compiles < 2) {
                throw new RuntimeException(m + ": compiled " + compiles + " time(s), expected a recompilation");
            }
        }
        PmemTest.cleanup();
    }

    // durable() stores into persistent objects before C2 compiles it, in
    // profiled code (C1 tier 3, or the interpreter): C2 must compile it
    // without speculating.
    static void profiled(String name, String tiering) throws Exception {
        String tfile = PmemTest.heapFile("speculated-" + name);
        String tlog = tfile + ".log";
        OutputAnalyzer t = PmemTest.runMain(TestSpeculatedBarrier.class, PmemTest.concat(PmemTest.flags(tfile),
                new String[] {tiering, "-Xbatch", "-XX:+PrintCompilation", "-XX:CompileCommand=quiet",
                              "-XX:CompileCommand=dontinline,TestSpeculatedBarrier::durable",
                              "-Xlog:gc+pmem=trace:file=" + tlog}), "tiered");
        System.out.println(t.getOutput());
        t.shouldHaveExitValue(0);
        t.shouldContain("ALL CHECKS PASSED");
        // PrintCompilation shows the tier with tiered compilation only.
        String c2line = tiering.equals("-XX:+TieredCompilation") ? ".*\\s4\\s+TestSpeculatedBarrier::durable .*"
                                                               : ".*\\sTestSpeculatedBarrier::durable .*";
        boolean c2 = t.asLines().stream().anyMatch(l -> l.matches(c2line));
        long tspec = Files.readAllLines(Path.of(tlog)).stream()
                .filter(l -> l.contains("speculated volatile") && l.contains(" durable@")).count();
        Files.delete(Path.of(tlog));
        System.out.println(name + ": durable: compiled by C2 " + c2 + ", speculated stores " + tspec);
        if (!c2 || tspec != 0) {
            throw new RuntimeException(name + ": durable(): C2 compiled it " + c2 + ", with " + tspec
                                       + " speculated stores after profiled code stored into persistent objects");
        }
    }

    static void expect(boolean ok, String what) {
        if (!ok) throw new RuntimeException("FAILED: " + what);
    }

    // The kernels, never inlined, so that each store site is compiled in
    // its own method only: C2 compiles them on volatile objects first.
    static void fill(Node n, long v) {
        n.a = v;
        n.b = (int) v;
    }

    static void put(long[] arr, int i, long v) {
        arr[i] = v;
    }

    static void link(Node n, Object[] refs, Object r) {
        n.ref = r;
        refs[0] = r;
    }

    // Receivers loaded from an element (a compressed oop, DecodeN in C2):
    // the range test compares the narrow oop before the null check, which
    // stays implicit (PmemBarrierSetC2::before_field_store).
    static void fillLoaded(Node[] ns, int i, long v) {
        ns[i].a = v;
        ns[i].b = (int) v;
    }

    static void linkLoaded(Node[] ns, int i, Object r) {
        ns[i].ref = r;
    }

    // The same shape, for a null receiver: NullPointerException from
    // compiled code whose null check is the store's own fault.
    static void storeLoaded(Node[] ns, int i, long v) {
        ns[i].a = v;
    }

    static void warm(int rounds) {
        Node vol = new Node();
        long[] varr = new long[4];
        Object[] vrefs = new Object[2];
        Node[] vns = {new Node(), new Node()};
        for (int k = 0; k < rounds; k++) {
            fill(vol, k);
            put(varr, k & 3, k);
            link(vol, vrefs, vol);
            fillLoaded(vns, k & 1, k);
            linkLoaded(vns, k & 1, vol);
            storeLoaded(vns, k & 1, k);
        }
    }

    static void durable(Node n, long v) {
        n.a = v;
        n.b = (int) v;
    }

    static void tiered() {
        Node p = Pmem.pnew(Node.class);
        Pmem.setRoot(p);
        for (int r = 0; r < 6; r++) {
            final int base = r * 20_000;
            Pmem.txn(() -> {
                for (int k = 0; k < 20_000; k++) {
                    durable(p, base + k);
                }
            });
        }
        expect(p.a == 119_999, "tiered stores");
        System.out.println("ALL CHECKS PASSED");
    }

    static void run() throws Exception {
        warm(WARM);   // compiled, speculating
        Node p = Pmem.pnew(Node.class);
        long[] parr = Pmem.pmake(long[].class, 4);
        Object[] prefs = Pmem.pmake(Object[].class, 2);
        Object[] root = Pmem.pmake(Object[].class, 4);
        Node q = Pmem.pnew(Node.class);
        Pmem.setRoot(root);
        root[0] = p;
        root[1] = parr;
        root[2] = prefs;
        root[3] = q;
        Node[] pns = {q, null};   // a volatile array holding a persistent object
        for (int k = 0; k < 3; k++) {
            try {
                storeLoaded(pns, 1, k);
                throw new RuntimeException("FAILED: a store into a null receiver did not throw");
            } catch (NullPointerException expected) {
            }
        }
        // Each first persistent store traps; the interpreter logs it.
        try {
            Pmem.txn(() -> {
                fill(p, 77);
                put(parr, 1, 77);
                link(p, prefs, parr);
                fillLoaded(pns, 0, 77);
                linkLoaded(pns, 0, parr);
                throw new IllegalStateException("abort");
            });
        } catch (IllegalStateException expected) {
        }
        expect(p.a == 0 && p.b == 0 && parr[1] == 0 && p.ref == null && prefs[0] == null, "aborted stores undone");
        expect(q.a == 0 && q.b == 0 && q.ref == null, "aborted stores through a loaded receiver undone");
        try {
            linkLoaded(pns, 0, new Node());
            throw new RuntimeException("FAILED: a volatile reference was stored through a loaded receiver");
        } catch (IllegalArgumentException expected) {
        }
        try {
            link(p, prefs, new Node());
            throw new RuntimeException("FAILED: a volatile reference was stored into a persistent object");
        } catch (IllegalArgumentException expected) {
        }
        // Recompiled, now with the barrier: mixed volatile and persistent.
        Node vol = new Node();
        long[] varr = new long[4];
        Object[] vrefs = new Object[2];
        for (int k = 1; k <= WARM; k++) {
            fill(vol, k);
            fill(p, k);
            put(varr, k & 3, k);
            put(parr, k & 3, k);
            link(vol, vrefs, vol);
            link(p, prefs, (k & 1) == 0 ? parr : p);
            fillLoaded(pns, 0, k);
            linkLoaded(pns, 0, p);
        }
        expect(p.a == WARM && vol.a == WARM && parr[WARM & 3] == WARM && p.ref == parr, "stores");
        if (Boolean.getBoolean("halt")) {
            System.out.println("ALL CHECKS PASSED");
            Runtime.getRuntime().halt(0);
        }
    }

    static void verify() {
        Object[] root = (Object[]) Pmem.root();
        Node p = (Node) root[0];
        long[] parr = (long[]) root[1];
        Object[] prefs = (Object[]) root[2];
        expect(p.a == WARM && p.b == WARM, "fields durable");
        for (int i = 0; i < 4; i++) {
            expect(parr[i] == WARM - ((WARM - i) & 3), "element " + i + " durable: " + parr[i]);
        }
        expect(p.ref == parr && prefs[0] == parr, "references durable");
        Node q = (Node) root[3];
        expect(q.a == WARM && q.b == WARM && q.ref == p, "stores through a loaded receiver durable");
    }
}
