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
 * @summary Allocation outside a transaction without a write-back per
 *          object: pnew and pmake outside a transaction leave the object
 *          in a deferred buffer, written back only when a reference to it
 *          is stored into an older object or a root (or inside a
 *          transaction); objects never linked are freed after a crash.
 *          Workers link objects top-down (the new object into an old one),
 *          bottom-up (a child made first, into its parent, the parent
 *          linked after), across threads, around transactions (some of
 *          them aborted, under the object's lock), and leave
 *          garbage, with collections in between (the marked deferred
 *          objects written back, the rest swept); they are crashed at the
 *          allocation, at the write-back before a link, at stores, in
 *          sweeps, and under the persistence-domain simulator, in every
 *          tier. Each restart checks every linked node
 *          and its child, verifies the heap, runs a full collection and a
 *          heap dump of all objects (the linear walks), and the restart
 *          after a crash reports the deferred buffers it freed; before it,
 *          jpmem info reports them and jpmem check passes on the file as
 *          the crash left it. Stores into objects not durable yet are not
 *          written back (counted under the simulator, every tier), and a
 *          pnew then a transaction, round after round, keeps the thread's
 *          buffer and claims a slot again after each transaction; 80
 *          threads allocating at once fill the 64-slot table.
 * @library /test/lib /pmem/lib
 * @modules java.base/jdk.internal.pmem jdk.management
 * @run driver/timeout=1200 TestDeferredAlloc
 */

import java.lang.management.ManagementFactory;
import java.util.Random;

import com.sun.management.HotSpotDiagnosticMXBean;
import jdk.internal.pmem.Pmem;
import jdk.test.lib.process.OutputAnalyzer;

public class TestDeferredAlloc {
    public static class Node {
        long v;
        Node next;
        Child child;
        long[] data;
    }

    public static class Child {
        long v;
    }

    public static class Head {
        Node first;
        Node last;
        long count;   // nodes linked; written after each link, so the list may be one longer
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0) {
            switch (args[0]) {
                case "init" -> init();
                case "work" -> work(Long.parseLong(args[1]), args.length > 2);
                case "mixed" -> mixed(Integer.parseInt(args[1]));
                case "stores" -> stores();
                case "many" -> many();
                case "check" -> check(args.length > 1 ? args[1] : null);
                default -> throw new IllegalArgumentException(args[0]);
            }
            System.out.println("ALL CHECKS PASSED");
            return;
        }
        Random rnd = new Random(Long.getLong("seed", System.nanoTime()));
        String file = PmemTest.heapFile("deferred");
        String[] base = PmemTest.concat(PmemTest.flags(file), new String[] {"-XX:+UnlockDiagnosticVMOptions"});
        expectPassed(PmemTest.runMain(TestDeferredAlloc.class, base, "init"));

        // An orderly run leaves its slots (daemon threads may still link
        // then): the next start frees what was never linked.
        OutputAnalyzer out = PmemTest.runMain(TestDeferredAlloc.class,
                PmemTest.concat(base, new String[] {"-Xint", "-Xlog:gc+pmem+alloc=trace"}), "work", "1");
        expectPassed(out);
        out.shouldContain("Deferred buffer slot");
        out = PmemTest.runMain(TestDeferredAlloc.class, PmemTest.concat(base, new String[] {"-Xlog:gc+pmem"}), "check");
        expectPassed(out);
        out.shouldMatch("Attach: [0-9]+ allocation buffer\\(s\\) of deferred write-back");

        // A pnew then a transaction, round after round, in every tier: each
        // transaction cuts the slot, the thread keeps its buffer, and the
        // first pnew after it, compiled too, claims a slot again. The list
        // grows by 3 MB, which takes 10 to 20 collections as the heap's
        // soft limit grows; dropping the buffer's rest at each begin took
        // a collection every 64 rounds or so (over 300).
        for (String[] tier : PmemTest.TIERS) {
            out = PmemTest.runMain(TestDeferredAlloc.class,
                    PmemTest.concat(base, tier, new String[] {"-Xbatch", "-Xlog:gc+pmem", "-Xlog:gc+pmem+alloc=trace"}),
                    "mixed", "20000");
            expectPassed(out);
            long collections = out.getOutput().lines().filter(l -> l.contains("Persistent heap collected")).count();
            long claims = out.getOutput().lines().filter(l -> l.contains("Deferred buffer slot")).count();
            System.out.println(String.join(" ", tier) + ": " + collections + " collections, " + claims + " claims");
            expect(collections <= 60, collections + " collections in 20000 rounds of pnew and a transaction: "
                                     + "buffers are dropped at each transaction's begin");
            expect(claims >= 19000, "only " + claims + " slots claimed in 20000 rounds: "
                                    + "pnew after a transaction writes back instead of deferring");
        }
        expectPassed(PmemTest.runMain(TestDeferredAlloc.class, base, "check"));

        // Stores into objects not durable yet wait for the raise that makes
        // them so: 50 rounds of 1000 objects with four stores each and one
        // link stay far under 5000 write-backs, where a write-back per
        // store would take 200000 (the simulator crashes the run at the
        // 5000th), and the linked nodes hold their stores after the restart.
        // A new file each time: an attach that rewrites headers writes each
        // back, and the raises made the garbage below the links durable.
        for (String[] tier : PmemTest.TIERS) {
            String storesFile = PmemTest.heapFile("deferred-stores");
            String[] storesBase = PmemTest.concat(PmemTest.flags(storesFile),
                                                  new String[] {"-XX:+UnlockDiagnosticVMOptions"});
            expectPassed(PmemTest.runMain(TestDeferredAlloc.class, storesBase, "init"));
            out = PmemTest.runMain(TestDeferredAlloc.class,
                    PmemTest.concat(storesBase, tier, new String[] {"-Xbatch", "-XX:+PmemSimulator",   // compiled before the loop ends
                                                                    "-XX:PmemCrashAfterWritebacks=5000"}),
                    "stores");
            if (out.getExitValue() == 97) {
                System.out.println(out.getOutput());
                throw new RuntimeException(String.join(" ", tier) + ": 5000 write-backs reached: "
                                           + "stores into objects not durable yet are written back one by one");
            }
            expectPassed(out);
            expectPassed(PmemTest.runMain(TestDeferredAlloc.class, storesBase, "check"));
        }

        // More threads allocating at once than the table has slots: the
        // last ones write their objects back one by one, and claims fail
        // without taking the lock until a slot is freed. (A file large
        // enough, and buffers small enough, that no collection frees the
        // slots before all 80 threads hold one.)
        String manyFile = PmemTest.heapFile("deferred-many");
        String[] manyBase = PmemTest.concat(PmemTest.flags(manyFile), new String[] {"-XX:+UnlockDiagnosticVMOptions",
                                            "-XX:PmemSize=1g", "-XX:PmemAllocationBufferSize=16k"});
        expectPassed(PmemTest.runMain(TestDeferredAlloc.class, manyBase, "init"));
        out = PmemTest.runMain(TestDeferredAlloc.class, PmemTest.concat(manyBase, new String[] {"-Xlog:gc+pmem"}), "many");
        expectPassed(out);
        out.shouldContain("All 64 deferred allocation buffers are in use");
        expectPassed(PmemTest.runMain(TestDeferredAlloc.class, manyBase, "check"));

        // Collections in the middle: the marked deferred objects are written
        // back, the rest swept, the slots freed (every full GC collects the
        // persistent part here, and the check runs one).
        expectPassed(PmemTest.runMain(TestDeferredAlloc.class,
                PmemTest.concat(base, new String[] {"-XX:+PmemAlwaysCollect", "-Xint"}), "work", "2", "gc"));
        expectPassed(PmemTest.runMain(TestDeferredAlloc.class, base, "check"));

        String[] points = {"allocated", "deferred-written-back", "txn-stored", "commit-retired", "gc-swept"};
        int crashes = 0, freedReported = 0, jpmemSawSlots = 0;
        int target = Integer.getInteger("crashes", 24);
        for (int i = 0; crashes < target; i++) {
            String[] tier = PmemTest.TIERS[i % PmemTest.TIERS.length];
            String[] fault;
            String p = "";
            if (i % 3 == 2) {
                fault = PmemTest.simulatorCrash(rnd, 3000, i % 2 != 0);
            } else {
                p = points[(i / 3 + i) % points.length];
                int count = p.equals("allocated") ? 1 + rnd.nextInt(400)
                          : p.equals("deferred-written-back") ? 1 + rnd.nextInt(60)
                          : p.equals("gc-swept") ? 1 + rnd.nextInt(300)
                          : 1 + rnd.nextInt(30);
                fault = PmemTest.faultPoint(p, count);
            }
            String[] work = i % 5 == 4 || p.equals("gc-swept") ? new String[] {"work", Long.toString(rnd.nextLong()), "gc"}
                                       : new String[] {"work", Long.toString(rnd.nextLong())};
            out = PmemTest.runMain(TestDeferredAlloc.class, PmemTest.concat(base, tier, fault), work);
            int rc = out.getExitValue();
            if (rc != 97 && rc != 0) {
                System.out.println(out.getOutput());
                throw new RuntimeException("worker failed with exit " + rc);
            }
            crashes += rc == 97 ? 1 : 0;
            if (rc == 97) {   // as the crash left it: jpmem reads the deferred buffers' rest as free
                String jpmem = System.getProperty("test.jdk") + "/bin/jpmem";
                OutputAnalyzer info = new OutputAnalyzer(new ProcessBuilder(jpmem, "info", file).start());
                info.shouldHaveExitValue(0);
                if (info.getOutput().contains("of objects never linked, which the next start frees")) {
                    jpmemSawSlots++;
                }
                OutputAnalyzer check = new OutputAnalyzer(new ProcessBuilder(jpmem, "check", file).start());
                if (check.getExitValue() != 0) {
                    System.out.println(check.getOutput());
                    throw new RuntimeException("jpmem check failed on the file a crash left");
                }
            }
            out = PmemTest.runMain(TestDeferredAlloc.class, PmemTest.concat(base, new String[] {"-Xlog:gc+pmem"}),
                                   "check", "dump-" + i + ".hprof");
            expectPassed(out);
            if (rc == 97 && out.getOutput().contains("allocation buffer(s) of deferred write-back")) {
                freedReported++;
            }
            if (i > 20 * target) throw new RuntimeException("too few crashes: " + crashes + " in " + i + " runs");
        }
        System.out.println("crashes survived: " + crashes + ", restarts that freed deferred buffers: " + freedReported
                           + ", crashed files whose deferred buffers jpmem reported: " + jpmemSawSlots);
        if (freedReported == 0 || jpmemSawSlots == 0) {
            throw new RuntimeException("no restart after a crash found a deferred buffer to free, or jpmem saw none");
        }
        PmemTest.cleanup();
    }

    static void expectPassed(OutputAnalyzer out) {
        PmemTest.passed(out);
    }

    static void expect(boolean ok, String what) {
        PmemTest.check(ok, "FAILED: " + what);
    }

    static void init() {
        Head h = Pmem.pnew(Head.class);
        Pmem.put("head", h);
    }

    // A node as the list needs it: v = its index, its child's v = -index,
    // its data array [index, index * 2].
    static Node make(long index) {
        Child c = Pmem.pnew(Child.class);
        c.v = -index;
        long[] d = Pmem.pmake(long[].class, 2);
        d[0] = index;
        d[1] = index * 2;
        Node n = Pmem.pnew(Node.class);   // made after its parts: linking them into it is free
        n.v = index;
        n.child = c;
        n.data = d;
        return n;
    }

    static void append(Head h, Node n) {
        if (h.last == null) {
            h.first = n;   // a root-reachable holder: n written back first
        } else {
            h.last.next = n;
        }
        h.last = n;
        h.count = n.v + 1;
    }

    static Head openList() {
        Head h = Pmem.get("head", Head.class);
        long length = 0;
        Node last = null;
        for (Node n = h.first; n != null; n = n.next) {
            length++;
            last = n;
        }
        h.last = last;   // a crash between a link and these stores left them one short
        h.count = length;
        return h;
    }

    // Made outside, linked inside a transaction that allocates too.
    static void linkInTxn(Head h) {
        Node n = make(h.count);
        Pmem.txn(() -> {
            Child c = Pmem.pnew(Child.class);   // in the buffer's rest above the slot's cut
            c.v = -n.v;
            n.child = c;
            append(h, n);
        });
    }

    static void mixed(int rounds) {
        Head h = openList();
        for (int i = 0; i < rounds; i++) {
            linkInTxn(h);
        }
    }

    static void stores() {
        Head h = openList();
        for (int round = 0; round < 50; round++) {
            for (int i = 0; i < 1000; i++) {
                Child c = Pmem.pnew(Child.class);
                c.v = i;
                c.v += round;
                c.v *= 3;
                c.v = -c.v;
            }
            append(h, make(h.count));   // five stores into its parts before the link, which raises past them
        }
    }

    static void many() throws Exception {
        Head h = openList();
        int n = 80;
        java.util.concurrent.CyclicBarrier all = new java.util.concurrent.CyclicBarrier(n);
        Thread[] threads = new Thread[n];
        Throwable[] failure = new Throwable[1];
        for (int t = 0; t < n; t++) {
            threads[t] = new Thread(() -> {
                try {
                    Child[] kept = new Child[200];
                    for (int i = 0; i < kept.length; i++) {   // a slot held by each thread from here on
                        kept[i] = Pmem.pnew(Child.class);
                        kept[i].v = i;
                    }
                    all.await();
                    for (int i = 0; i < 2000; i++) {   // compiled, with the table full for some
                        Pmem.pnew(Child.class).v = -1;
                    }
                    synchronized (h) {
                        Node node = make(h.count);
                        node.child.v = kept[kept.length - 1].v == kept.length - 1 ? node.child.v : 1;
                        append(h, node);
                    }
                } catch (Throwable e) {
                    failure[0] = e;
                }
            });
            threads[t].start();
        }
        for (Thread t : threads) {
            t.join();
        }
        if (failure[0] != null) {
            throw new RuntimeException(failure[0]);
        }
    }

    static void work(long seed, boolean gc) throws Exception {
        Head h = openList();
        Random rnd = new Random(seed);
        for (int round = 0; round < 60; round++) {
            switch (rnd.nextInt(7)) {
                case 0 -> {   // bottom-up, then linked
                    append(h, make(h.count));
                }
                case 1 -> {   // top-down: the node first, its parts stored into it after
                    Node n = Pmem.pnew(Node.class);
                    n.v = h.count;
                    append(h, n);
                    Child c = Pmem.pnew(Child.class);
                    c.v = -n.v;
                    long[] d = Pmem.pmake(long[].class, 2);
                    d[0] = n.v;
                    d[1] = n.v * 2;
                    n.data = d;
                    n.child = c;
                }
                case 2 -> {   // garbage, never linked
                    for (int i = 0; i < 20; i++) {
                        Node g = Pmem.pnew(Node.class);
                        g.v = -1;
                        g.data = Pmem.pmake(long[].class, 1 + rnd.nextInt(50));
                    }
                }
                case 3 -> {   // made by another thread, linked by this one
                    Node[] box = new Node[1];
                    long index = h.count;
                    Thread t = new Thread(() -> box[0] = make(index));
                    t.start();
                    t.join();
                    append(h, box[0]);
                }
                case 4 -> {   // made outside, linked inside a transaction
                    Node n = make(h.count);
                    Pmem.txn(() -> append(h, n));
                }
                case 5 -> {   // the same with an allocation inside, a few times: the buffer outlives each cut
                    for (int k = 0; k < 3; k++) {
                        linkInTxn(h);
                    }
                }
                default -> {   // made outside, under its lock a transaction links it and aborts; linked after
                    Node n = make(h.count);
                    Node last = h.last;
                    synchronized (n) {
                        try {
                            Pmem.txn(() -> {
                                n.v = -7;   // logged: a store into an object not durable until the link below
                                Child c = Pmem.pnew(Child.class);
                                c.v = -7;
                                n.child = c;
                                append(h, n);
                                throw new IllegalStateException("abort");
                            });
                        } catch (IllegalStateException expected) {
                        }
                        expect(n.v == h.count && n.child.v == -n.v && h.last == last, "the aborted link undone");
                    }
                    append(h, n);
                }
            }
            if (gc && round % 7 == 3) {   // deferred objects held only by locals across a collection
                Node kept = make(h.count);
                Node garbage = Pmem.pnew(Node.class);
                garbage.v = -1;
                System.gc();
                append(h, kept);
            }
        }
        for (int i = 0; i < 5; i++) {   // left at exit, never linked: the next start frees them
            Pmem.pnew(Node.class).v = -2;
        }
    }

    static void check(String dump) throws Exception {
        Head h = Pmem.get("head", Head.class);
        long i = 0;
        Node prev = null;
        for (Node n = h.first; n != null; prev = n, n = n.next, i++) {
            expect(n.v == i, "node " + i + " has v " + n.v);
            // A node linked top-down may lack the parts stored into it after the link.
            if (n.child != null) expect(n.child.v == -i, "node " + i + "'s child has v " + n.child.v);
            if (n.data != null) {
                expect(n.data.length == 2 && n.data[0] == i && n.data[1] == 2 * i, "node " + i + "'s data");
            }
            // Links outside a transaction are single stores: a crash may come between
            // the link and the head's last.
            if (n.next == null) expect(h.last == n || h.last == prev, "the last node is the head's last");
        }
        expect(i == h.count || i == h.count + 1, "list of " + i + " nodes, count " + h.count);
        System.gc();   // a full collection: marks, and sweeps the whole used part linearly
        if (dump != null) {   // every object, reachable or not: a linear walk of the persistent part
            ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class).dumpHeap(dump, false);
            new java.io.File(dump).delete();
        }
        System.out.println("list of " + i + " nodes");
    }
}
