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
 * @summary Incremental collections of the persistent part (sticky marks,
 *          remembered lines): young objects linked into old
 *          ones by every store path (interpreted, C1 and C2 putfield and
 *          aastore, arraycopy, VarHandle CAS and setVolatile, ordinary
 *          Java in a transaction, values copied at commit) survive while
 *          young garbage is freed and its space reused; a collection in
 *          the middle of a transaction keeps what its undo log holds; the
 *          policy makes the first collection of a run, System.gc() and a
 *          collection after old growth full, each with why; two threads
 *          churning a table under incremental collections, and crashes in
 *          their marking and sweeps (fault points, the simulator), leave
 *          every entry whole; saved marks that no longer describe the
 *          file (damaged offset, stale top, a split chunk) are ignored
 *          with a log line and the first collection is full; a file
 *          grown past what its card metadata covers is collected fully.
 * @library /test/lib /pmem/lib
 * @modules java.base/jdk.internal.pmem
 * @run driver/timeout=900 TestIncrementalGC
 */

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jdk.internal.pmem.Pmem;
import jdk.test.lib.process.OutputAnalyzer;

public class TestIncrementalGC {
    public static class Node {
        long value;
        Node next;
        Node ref;
        String name;
        public Node() {}
        public Node(long value) { this.value = value; }
    }

    public static class Holder {
        Node list;       // OLD nodes, linked by next
        Node[] arr;
    }

    static final int OLD = 2000;
    static final VarHandle REF;
    static {
        try {
            REF = MethodHandles.lookup().findVarHandle(Node.class, "ref", Node.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0) {
            child(args);
            return;
        }
        paths();
        policy();
        damagedMarks();
        beyondCardMetadata();
        long seed = new Random().nextLong();
        System.out.println("seed " + seed);
        crashes(new Random(seed));
        PmemTest.cleanup();
    }

    // -- store paths ---------------------------------------------------------

    static void paths() throws Exception {
        for (String[] tier : PmemTest.TIERS) {
            String file = PmemTest.heapFile("paths");
            OutputAnalyzer out = PmemTest.runMain(TestIncrementalGC.class, PmemTest.concat(PmemTest.flags(file), tier,
                new String[] {"-Xlog:gc+pmem", "-XX:PmemSize=64m"}), "paths");
            System.out.println(out.getOutput());
            out.shouldHaveExitValue(0);
            out.shouldContain("paths ok");
            out.shouldMatch("Persistent heap collected \\(System.gc\\(\\); full: the first in this run\\)");
            int incremental = count(out, "Persistent heap collected \\(Pmem.collect\\(\\), incremental\\)");
            PmemTest.check(incremental >= 5, "incremental collections: " + incremental);
            // Young garbage is freed by incremental ones.
            Matcher m = Pattern.compile("incremental\\).* (\\d+)K freed").matcher(out.getOutput());
            long freed = 0;
            while (m.find()) freed += Long.parseLong(m.group(1));
            PmemTest.check(freed > 4096, "incremental collections freed " + freed + "K");
            OutputAnalyzer again = PmemTest.runMain(TestIncrementalGC.class, PmemTest.concat(PmemTest.flags(file),
                new String[] {"-Xlog:gc+pmem", "-XX:PmemSize=64m", "-XX:+UnlockDiagnosticVMOptions",
                              "-XX:+VerifyAfterGC"}), "paths-verify");
            System.out.println(again.getOutput());
            again.shouldHaveExitValue(0);
            again.shouldContain("paths-verify ok");
            // The marks saved at the orderly exit make the next run's first
            // collection incremental.
            out.shouldContain("Exit: marks saved");
            again.shouldContain("Persistent heap collected (Pmem.collect(), incremental)");
            again.shouldNotContain("full: the first in this run");
        }
    }

    static int count(OutputAnalyzer out, String regex) {
        Matcher m = Pattern.compile(regex).matcher(out.getOutput());
        int n = 0;
        while (m.find()) n++;
        return n;
    }

    static long expect(int path, int k) {
        return path * 1_000_000L + k;
    }

    static Node old(Holder h, int i) {
        Node n = h.list;
        for (int j = 0; j < i; j++) n = n.next;
        return n;
    }

    // Compiled in the C1 and C2 runs: a putfield and an aastore of young
    // objects into old ones.
    static void putRef(Node o, Node y) { o.ref = y; }
    static void putElem(Node[] a, int i, Node y) { a[i] = y; }

    static void pathsChild() {
        Holder h = Pmem.txn(() -> {
            Holder x = Pmem.pnew(Holder.class);
            x.arr = Pmem.pmake(Node[].class, 4096);
            Node prev = null;
            for (int i = OLD - 1; i >= 0; i--) {
                Node n = Pmem.pnew(Node.class);
                n.value = i;
                n.next = prev;
                prev = n;
            }
            x.list = prev;
            Pmem.put("h", x);
            return x;
        });
        System.gc();   // full: all of it old now
        Node[] olds = new Node[OLD];
        for (int i = 0; i < OLD; i++) olds[i] = old(h, i);

        // 1: putfield outside a transaction, many times over (the earlier
        // young nodes become garbage), so that C1 and C2 compile it.
        for (int it = 0; it < 40_000; it++) {
            int i = it % 200;
            Node y = Pmem.pnew(Node.class);
            y.value = expect(1, it);
            putRef(olds[i], y);
        }
        Pmem.collect();
        // 2: aastore into the old array.
        for (int it = 0; it < 40_000; it++) {
            Node y = Pmem.pnew(Node.class);
            y.value = expect(2, it);
            putElem(h.arr, it % 1000, y);
        }
        // 3: arraycopy from a young array into the old one.
        Node[] src = Pmem.pmake(Node[].class, 100);
        for (int k = 0; k < 100; k++) {
            src[k] = Pmem.pnew(Node.class);
            src[k].value = expect(3, k);
        }
        System.arraycopy(src, 0, h.arr, 3000, 100);
        Pmem.collect();
        // 4: VarHandle compareAndSet and setVolatile.
        for (int k = 0; k < 100; k++) {
            Node y = Pmem.pnew(Node.class);
            y.value = expect(4, k);
            if (!REF.compareAndSet(olds[200 + k], (Node) null, y)) throw new RuntimeException("CAS failed");
            Node z = Pmem.pnew(Node.class);
            z.value = expect(5, k);
            REF.setVolatile(olds[300 + k], z);
        }
        // 6: ordinary Java inside transactions (new redirected), and
        // 7: a String copied at commit.
        for (int k = 0; k < 100; k++) {
            final int kk = k;
            Pmem.txn(() -> {
                olds[400 + kk].ref = new Node(expect(6, kk));
                olds[500 + kk].name = "name-" + kk;
            });
        }
        Pmem.collect();
        // 8: a collection inside a transaction that is then aborted, and
        // one in a transaction that commits.
        for (int k = 0; k < 100; k++) {
            Node y = Pmem.pnew(Node.class);
            y.value = expect(8, k);
            olds[600 + k].ref = y;
        }
        try {
            Pmem.txn(() -> {
                for (int k = 0; k < 100; k++) {
                    olds[600 + k].ref = new Node(-5);   // logged: the old value is y
                }
                Pmem.collect();
                throw new IllegalStateException("abort");
            });
        } catch (IllegalStateException expected) {
        }
        Pmem.txn(() -> {
            for (int k = 0; k < 100; k++) {
                olds[700 + k].ref = new Node(expect(9, k));
            }
            Pmem.collect();
            for (int k = 0; k < 100; k++) {
                olds[700 + k].ref.next = new Node(expect(10, k));
            }
        });
        // Garbage, then collections: freed young space is reused, so an
        // object freed while reachable would be overwritten.
        for (int round = 0; round < 4; round++) {
            for (int g = 0; g < 100_000; g++) {
                Node x = Pmem.pnew(Node.class);
                x.value = -1;
            }
            Pmem.collect();
        }
        checkPaths(h);
        System.out.println("paths ok");
    }

    static void checkPaths(Holder h) {
        Node n = h.list;
        for (int i = 0; i < OLD; i++, n = n.next) {
            PmemTest.check(n != null && n.value == i, "old node " + i);
            if (i < 200) {
                int last = 40_000 - 200 + i;
                PmemTest.check(n.ref != null && n.ref.value == expect(1, last), "putfield " + i);
            } else if (i < 300) {
                PmemTest.check(n.ref != null && n.ref.value == expect(4, i - 200), "CAS " + i);
            } else if (i < 400) {
                PmemTest.check(n.ref != null && n.ref.value == expect(5, i - 300), "setVolatile " + i);
            } else if (i < 500) {
                PmemTest.check(n.ref != null && n.ref.value == expect(6, i - 400), "txn new " + i);
            } else if (i < 600) {
                PmemTest.check(("name-" + (i - 500)).equals(n.name) && Pmem.inPmem(n.name), "committed String " + i);
            } else if (i < 700) {
                PmemTest.check(n.ref != null && n.ref.value == expect(8, i - 600), "aborted txn " + i);
            } else if (i < 800) {
                PmemTest.check(n.ref != null && n.ref.value == expect(9, i - 700) && n.ref.next != null
                               && n.ref.next.value == expect(10, i - 700), "committed txn " + i);
            }
        }
        for (int i = 0; i < 1000; i++) {
            int last = 40_000 - 1000 + i;
            PmemTest.check(h.arr[i] != null && h.arr[i].value == expect(2, last), "aastore " + i);
        }
        for (int k = 0; k < 100; k++) {
            PmemTest.check(h.arr[3000 + k] != null && h.arr[3000 + k].value == expect(3, k), "arraycopy " + k);
        }
    }

    // -- saved marks that do not describe the file ----------------------------

    // PmemFileState: marks_offset and marks_top follow compact_unit and two
    // 5-word slide units (state at 2048).
    static final long MARKS_OFFSET = 2048 + 8 * (29 + 10), MARKS_TOP = MARKS_OFFSET + 8;

    static long u64(java.io.RandomAccessFile f, long at) throws Exception {
        f.seek(at);
        return Long.reverseBytes(f.readLong());
    }

    static void put64(java.io.RandomAccessFile f, long at, long v) throws Exception {
        f.seek(at);
        f.writeLong(Long.reverseBytes(v));
    }

    // Damaged or stale saved marks are a cache: ignored with a log line, the
    // first collection is then full, and every object reads back.
    static void damagedMarks() throws Exception {
        String[] damages = {"offset-past-top", "offset-misaligned", "top-stale", "chunk-split"};
        for (String damage : damages) {
            String file = PmemTest.heapFile("marks-" + damage);
            String[] jvm = PmemTest.concat(PmemTest.flags(file), new String[] {"-Xlog:gc+pmem", "-XX:PmemSize=64m"});
            OutputAnalyzer out = PmemTest.runMain(TestIncrementalGC.class, jvm, "marks-build");
            System.out.println(out.getOutput());
            out.shouldHaveExitValue(0);
            out.shouldContain("Exit: marks saved");
            try (var f = new java.io.RandomAccessFile(file, "rw")) {
                long off = u64(f, MARKS_OFFSET);
                PmemTest.check(off != 0, "marks recorded");
                switch (damage) {
                    case "offset-past-top" -> put64(f, MARKS_OFFSET, (1L << 40) + 1);
                    case "offset-misaligned" -> put64(f, MARKS_OFFSET, off + 4);
                    case "top-stale" -> put64(f, MARKS_TOP, u64(f, MARKS_TOP) - 8);
                    case "chunk-split" -> {
                        // Two free chunks where the marks' one was (the file
                        // still parses): too short to hold the marks.
                        // PmemFileHeader::objects_offset is at 136; a free
                        // tag is (words << 8) | 0xf3.
                        long at = u64(f, 136) + off - 1;
                        long words = u64(f, at) >>> 8;
                        put64(f, at + 16, ((words - 2) << 8) | 0xf3);
                        put64(f, at, (2L << 8) | 0xf3);
                    }
                    default -> throw new IllegalArgumentException(damage);
                }
            }
            OutputAnalyzer again = PmemTest.runMain(TestIncrementalGC.class, jvm, "marks-check");
            System.out.println(again.getOutput());
            again.shouldHaveExitValue(0);
            again.shouldContain("marks-check ok");
            again.shouldMatch("The marks the last run saved do not describe .*: the first collection is full");
            again.shouldContain("full: the first in this run");
        }
    }

    static void marksBuild() {
        Node[] a = Pmem.txn(() -> {
            Node[] x = Pmem.pmake(Node[].class, 1000);
            for (int i = 0; i < x.length; i++) x[i] = new Node(i);
            Pmem.put("marks", x);
            return x;
        });
        Pmem.collect();
        for (int i = 0; i < a.length; i += 2) {
            Node y = Pmem.pnew(Node.class);
            y.value = -i;
            a[i].ref = y;
        }
        Pmem.collect();
        System.out.println("marks-build ok");
    }

    static void marksCheck() {
        Node[] a = Pmem.get("marks", Node[].class);
        Pmem.collect();
        for (int g = 0; g < 50_000; g++) Pmem.pnew(Node.class).value = 7;   // reuses what was freed
        Pmem.collect();
        for (int i = 0; i < a.length; i++) {
            PmemTest.check(a[i].value == i, "node " + i);
            PmemTest.check(i % 2 == 1 || (a[i].ref != null && a[i].ref.value == -i), "ref " + i);
        }
        System.out.println("marks-check ok");
    }

    // -- a file grown past what its card metadata covers ----------------------

    // A 16 MB file made without -XX:PmemMaxSize has card metadata for 32 MB
    // of objects; a later run may let it grow further. Stores past that are
    // not remembered, so every collection is then full, and nothing is
    // written past the area.
    static void beyondCardMetadata() throws Exception {
        String file = PmemTest.heapFile("beyond");
        OutputAnalyzer made = PmemTest.runMain(TestIncrementalGC.class,
            PmemTest.concat(PmemTest.flags(file), new String[] {"-XX:PmemSize=16m",
                // Low enough for compressed oops to reach past its end when it grows.
                "-XX:PmemHeapAddress=0x400000000"}), "beyond-make");
        made.shouldHaveExitValue(0);
        String[] jvm = PmemTest.concat(PmemTest.flags(file), new String[] {"-Xlog:gc+pmem", "-XX:PmemSize=16m",
                                                                         "-XX:PmemMaxSize=256m"});
        OutputAnalyzer out = PmemTest.runMain(TestIncrementalGC.class, jvm, "beyond-fill");
        System.out.println(out.getOutput());
        out.shouldHaveExitValue(0);
        out.shouldContain("beyond-fill ok");
        out.shouldContain("full: the objects area grew past what the file's card metadata covers");
        OutputAnalyzer again = PmemTest.runMain(TestIncrementalGC.class, jvm, "beyond-check");
        System.out.println(again.getOutput());
        again.shouldHaveExitValue(0);
        again.shouldContain("beyond-check ok");
    }

    static final int BEYOND_CHUNKS = 48, BEYOND_CHUNK = 1 << 20;

    static void beyondFill() {
        Object[] slots = Pmem.txn(() -> {
            Object[] x = Pmem.pmake(Object[].class, BEYOND_CHUNKS + 1);
            Pmem.put("beyond", x);
            return x;
        });
        Node[] nodes = Pmem.pmake(Node[].class, 1000);
        slots[BEYOND_CHUNKS] = nodes;
        for (int i = 0; i < BEYOND_CHUNKS; i++) {
            byte[] b = Pmem.pmake(byte[].class, BEYOND_CHUNK);
            java.util.Arrays.fill(b, (byte) i);
            Pmem.persist(b);
            slots[i] = b;
            Pmem.pmake(byte[].class, BEYOND_CHUNK / 4);   // garbage
            if (i % 4 == 3) {
                Pmem.collect();
                // Old nodes (far up the file by now) given young ones.
                for (int k = 0; k < nodes.length; k++) {
                    if (nodes[k] == null) {
                        nodes[k] = Pmem.pnew(Node.class);
                        nodes[k].value = k;
                    }
                    Node y = Pmem.pnew(Node.class);
                    y.value = -(i * 1000L + k);
                    nodes[k].ref = y;
                }
            }
        }
        Pmem.collect();
        for (int g = 0; g < 200_000; g++) Pmem.pnew(Node.class).value = 7;   // reuses what was freed
        Pmem.collect();
        checkBeyond(slots);
        System.out.println("beyond-fill ok");
    }

    static void checkBeyond(Object[] slots) {
        for (int i = 0; i < BEYOND_CHUNKS; i++) {
            byte[] b = (byte[]) slots[i];
            PmemTest.check(b.length == BEYOND_CHUNK && b[0] == (byte) i && b[BEYOND_CHUNK - 1] == (byte) i, "chunk " + i);
        }
        Node[] nodes = (Node[]) slots[BEYOND_CHUNKS];
        int last = (BEYOND_CHUNKS / 4) * 4 - 1;
        for (int k = 0; k < nodes.length; k++) {
            PmemTest.check(nodes[k].value == k && nodes[k].ref != null && nodes[k].ref.value == -(last * 1000L + k),
                           "node " + k);
        }
    }

    // -- policy ----------------------------------------------------------------

    static void policy() throws Exception {
        String file = PmemTest.heapFile("policy");
        OutputAnalyzer out = PmemTest.runMain(TestIncrementalGC.class, PmemTest.concat(PmemTest.flags(file),
            new String[] {"-Xlog:gc+pmem", "-XX:PmemSize=64m", "-XX:PmemFullGCOldGrowthPercent=20"}), "churn", "1");
        System.out.println(out.getOutput());
        out.shouldHaveExitValue(0);
        out.shouldContain("churn ok");
        out.shouldContain("Persistent heap collected (Pmem.collect(); full: the first in this run)");
        out.shouldContain("Persistent heap collected (Pmem.collect(); full: what incremental collections kept grew past PmemFullGCOldGrowthPercent)");
        PmemTest.check(count(out, "Persistent heap collected \\(Pmem.collect\\(\\), incremental\\)") >= 10,
                       "incremental collections");
        // Off: every collection is full.
        OutputAnalyzer off = PmemTest.runMain(TestIncrementalGC.class, PmemTest.concat(PmemTest.flags(file),
            new String[] {"-Xlog:gc+pmem", "-XX:PmemSize=64m", "-XX:-PmemIncrementalGC"}), "churn", "1");
        System.out.println(off.getOutput());
        off.shouldHaveExitValue(0);
        off.shouldContain("churn ok");
        off.shouldNotContain("incremental)");
        off.shouldContain("full: -XX:-PmemIncrementalGC");
        // The churn in every tier.
        for (String[] tier : PmemTest.TIERS) {
            String f = PmemTest.heapFile("churn-tier");
            OutputAnalyzer o = PmemTest.runMain(TestIncrementalGC.class, PmemTest.concat(PmemTest.flags(f), tier,
                new String[] {"-Xlog:gc+pmem", "-XX:PmemSize=64m"}), "churn", "1");
            System.out.println(o.getOutput());
            o.shouldHaveExitValue(0);
            o.shouldContain("churn ok");
            o.shouldContain("incremental)");
            PmemTest.cleanup();
        }
    }

    // Two threads replace the entries of a table (young entries stored
    // into the old slots array, in transactions), each collecting every
    // 250 replacements.
    static void churn(long seed, int rounds) throws Exception {
        final int slots = 3000;
        ChurnTable.Table t = ChurnTable.open("table", slots);
        ChurnTable.check(t);
        Thread[] ts = new Thread[2];
        for (int k = 0; k < ts.length; k++) {
            final int from = k * slots / 2, to = (k + 1) * slots / 2;
            final Random rnd = new Random(seed + k);
            ts[k] = new Thread(() -> {
                for (int n = 0; n < 3000 * rounds; n++) {
                    int i = from + rnd.nextInt(to - from);
                    if (n % 7 == 3) {
                        // Its own entry locked, a replacement aborted: the
                        // old entry comes back into the old slots array.
                        ChurnTable.Entry old = t.slots[i];
                        synchronized (old) {
                            try {
                                Pmem.txn(() -> {
                                    t.slots[i] = ChurnTable.entry(i, old.round + 1);
                                    throw new IllegalStateException("abort");
                                });
                            } catch (IllegalStateException expected) {
                            }
                        }
                        PmemTest.check(t.slots[i] == old, "aborted replacement undone");
                    }
                    ChurnTable.replace(t, i, t.slots[i].round + 1);
                    if (n % 250 == 125) {
                        Pmem.collect();
                    }
                }
            });
            ts[k].start();
        }
        for (Thread x : ts) x.join();
        ChurnTable.check(t);
        System.out.println("churn ok");
    }

    // -- crashes ---------------------------------------------------------------

    static void crashes(Random rnd) throws Exception {
        String file = PmemTest.heapFile("crash");
        int crashes = 0;
        String[][] points = {
            {"gc-marked", "2", "3", "5"},
            {"gc-swept", "20", "100", "400", "1500"},
            {"chunk-zeroed", "30", "200"},
        };
        for (String[] p : points) {
            for (int i = 1; i < p.length; i++) {
                crashes += crash(file, rnd, "-XX:PmemFaultPoint=" + p[0], "-XX:PmemFaultCount=" + p[i]);
            }
        }
        String sim = PmemTest.heapFile("crash-sim");
        int simCrashes = Integer.getInteger("crashes", 12);   // make torture: 2000
        for (int i = 0; i < simCrashes; i++) {
            crashes += crash(sim, rnd, PmemTest.simulatorCrash(rnd, 80000, i % 2 != 0));
        }
        System.out.println("crashes survived: " + crashes);
        PmemTest.check(crashes >= 10, "too few crashes: " + crashes);
    }

    static int crash(String file, Random rnd, String... faultFlags) throws Exception {
        String[] jvm = PmemTest.concat(new String[] {"-XX:+UnlockDiagnosticVMOptions", "-Xlog:gc+pmem"},
                                       PmemTest.flags(file), new String[] {"-XX:PmemSize=16m"}, faultFlags);
        OutputAnalyzer out = PmemTest.runMain(TestIncrementalGC.class, jvm, "work", Long.toString(rnd.nextLong()));
        int rc = out.getExitValue();
        if (rc != 97 && rc != 0) {
            System.out.println(out.getOutput());
            throw new RuntimeException("worker failed with exit " + rc);
        }
        if (rc == 97 && !out.getOutput().contains("incremental")) {
            System.out.println("(crashed before an incremental collection)");
        }
        OutputAnalyzer v = PmemTest.runMain(TestIncrementalGC.class,
            PmemTest.concat(PmemTest.flags(file), new String[] {"-Xlog:gc+pmem", "-XX:+UnlockDiagnosticVMOptions",
                                                                "-XX:+VerifyAfterGC"}), "verify");
        if (v.getExitValue() != 0) {
            System.out.println(out.getOutput());
            System.out.println(v.getOutput());
            throw new RuntimeException("invariants broken after a crash");
        }
        v.shouldContain("INVARIANTS OK");
        return rc == 97 ? 1 : 0;
    }

    static void verify() throws Exception {
        ChurnTable.Table t = ChurnTable.open("table", 3000);
        ChurnTable.check(t);
        Pmem.collect();     // full: the first of the run
        churnSome(t, 600);  // young entries into the old table
        Pmem.collect();     // incremental
        churnSome(t, 600);
        Pmem.collect();
        ChurnTable.check(t);
        System.out.println("INVARIANTS OK");
    }

    static void churnSome(ChurnTable.Table t, int n) {
        Random rnd = new Random(n);
        for (int k = 0; k < n; k++) {
            int i = rnd.nextInt(t.slots.length);
            ChurnTable.replace(t, i, t.slots[i].round + 1);
            Pmem.pmake(byte[].class, 64);   // garbage
        }
    }

    static void child(String[] args) throws Exception {
        switch (args[0]) {
            case "paths" -> pathsChild();
            case "paths-verify" -> {
                Holder h = Pmem.get("h", Holder.class);
                checkPaths(h);
                Pmem.collect();
                checkPaths(h);
                System.out.println("paths-verify ok");
            }
            case "churn" -> churn(42, Integer.parseInt(args[1]));
            case "marks-build" -> marksBuild();
            case "beyond-make" -> Pmem.setRoot(Pmem.pmake(Object[].class, 1));
            case "beyond-fill" -> beyondFill();
            case "beyond-check" -> {
                Object[] slots = Pmem.get("beyond", Object[].class);
                checkBeyond(slots);
                Pmem.collect();
                checkBeyond(slots);
                System.out.println("beyond-check ok");
            }
            case "marks-check" -> marksCheck();
            case "work" -> churn(Long.parseLong(args[1]), 1);
            case "verify" -> verify();
            default -> throw new IllegalArgumentException(args[0]);
        }
    }
}
