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
 * @summary Attach walks the heap only when it must. With no class moved and
 *          no persistent object locked since the last walk it does not walk
 *          at all; a run that ends (halt or exit) while a persistent object
 *          is locked, by the interpreter, C1 or C2 fast path, or as an
 *          inflated monitor under contention, makes the next attach clean
 *          every header: the objects then lock, wait and hash normally.
 *          Caches that reads fill (a persistent TreeSet's key set) are
 *          dropped by an orderly exit, so the next attach does not walk;
 *          after a kill it walks and drops them. Locks of objects no root
 *          reaches (made in a transaction, a class loaded inside one) need
 *          no walk, unless such an object is anchored afterwards.
 * @library /test/lib /pmem/lib
 * @modules java.base/jdk.internal.pmem
 * @run driver TestHeaderLocks
 */

import java.util.concurrent.CountDownLatch;

import jdk.internal.pmem.Pmem;
import jdk.test.lib.process.OutputAnalyzer;

public class TestHeaderLocks {
    static final int NODES = 64;

    static final class Node {
        long value;
        long count;
    }

    static final class Holder {
        Node[] nodes;
        java.util.TreeSet<Long> set;
        Node late;
    }

    // Loaded for the first time inside a transaction: its loader's lock
    // object for it is made there, persistent and loose.
    static final class LoadedInTxn {
        static int touch() { return 1; }
    }

    static final String WALKED = "Attached .*: \\d+ types, \\d+ objects, \\d+ headers rewritten";
    static final String NOT_WALKED = "Attached .*: \\d+ types, objects not walked";
    // Attach did not walk for lock state: it did not walk, or walked only
    // because a class sits elsewhere than in the last run, which identical
    // runs do not always avoid (another thread loading a class meanwhile
    // moves the classes loaded after it: seen under a loaded machine).
    static final String NO_LOCK_WALK = "(?m)" + NOT_WALKED + "|walked for: classes moved$";

    public static void main(String[] args) throws Exception {
        if (args.length > 0) {
            switch (args[0]) {
                case "populate" -> populate();
                case "read" -> read(false);
                case "check" -> read(true);
                case "caches" -> caches(args[1]);
                case "looselock" -> looseLock(false);
                case "anchorlock" -> looseLock(true);
                default -> hold(args[0], args[1]);
            }
            return;
        }
        String file = PmemTest.heapFile("locks");
        child(file, "populate");
        // The second run may rewrite headers (its classes load in type-table
        // order); from the third on nothing moves and nothing is locked.
        child(file, "read");
        child(file, "read").shouldMatch(NO_LOCK_WALK);
        child(file, "read").shouldMatch(NO_LOCK_WALK);

        // Reads that fill cache fields: an exit drops them, a halt leaves
        // them to the next attach's walk.
        child(file, "caches", "exit").shouldMatch(NO_LOCK_WALK);
        child(file, "caches", "exit").shouldMatch(NO_LOCK_WALK);
        child(file, "caches", "kill").shouldMatch(NO_LOCK_WALK);   // killed: exit status 137
        child(file, "read").shouldMatch(WALKED);
        child(file, "read").shouldMatch(NO_LOCK_WALK);
        // Locks of loose objects die with the run; anchoring one after its
        // lock makes the next attach clean headers.
        child(file, "looselock").shouldMatch(NO_LOCK_WALK);
        child(file, "read").shouldMatch(NO_LOCK_WALK);
        child(file, "anchorlock").shouldMatch(NO_LOCK_WALK);
        child(file, "read").shouldMatch(WALKED);
        child(file, "read").shouldMatch(NO_LOCK_WALK);

        String[][] tiers = {
            {"interpreter", "-Xint"},
            {"c1", "-XX:TieredStopAtLevel=1", "-Xbatch", "-XX:+PrintCompilation"},
            {"c2", "-XX:-TieredCompilation", "-Xbatch", "-XX:+PrintCompilation"},
            {"contended"},
        };
        for (String[] tier : tiers) {
            for (String end : new String[] {"halt", "exit"}) {
                String[] jvm = java.util.Arrays.copyOfRange(tier, 1, tier.length);
                OutputAnalyzer h = child(file, PmemTest.concat(jvm, new String[] {tier[0], end}));
                h.shouldContain("HOLDING");
                if (tier[0].matches("c[12]")) {
                    h.shouldMatch("TestHeaderLocks::hold \\(");   // compiled before it held the lock
                }
                // The lock was taken: the next attach cleans every header, and
                // checks that lock (so the one after walks too); then a run
                // that locks nothing leaves the headers clean.
                child(file, "check").shouldMatch(WALKED);
                child(file, "read").shouldMatch(WALKED);
                child(file, "read").shouldMatch(NO_LOCK_WALK);
            }
        }
        PmemTest.cleanup();
    }

    static OutputAnalyzer child(String file, String... args) throws Exception {
        String[] jvm = PmemTest.concat(PmemTest.flags(file), new String[] {"-Xlog:gc+pmem"});
        String[] extra = new String[0];
        int i = 0;
        while (i < args.length && args[i].startsWith("-")) i++;
        extra = java.util.Arrays.copyOfRange(args, 0, i);
        OutputAnalyzer out = PmemTest.runMain(TestHeaderLocks.class, PmemTest.concat(jvm, extra),
                                              java.util.Arrays.copyOfRange(args, i, args.length));
        System.out.println(out.getOutput());
        out.shouldHaveExitValue(args[args.length - 1].equals("kill") ? 137 : 0);
        return out;
    }

    static void populate() {
        Holder h = Pmem.pnew(Holder.class);
        h.nodes = Pmem.pmake(Node[].class, NODES);
        for (int i = 0; i < NODES; i++) {
            Node n = Pmem.pnew(Node.class);
            n.value = i;
            h.nodes[i] = n;
        }
        Pmem.put("holder", h);
    }

    static void caches(String end) {
        Holder h = Pmem.get("holder", Holder.class);
        if (h.set == null) {
            Pmem.txn(() -> {
                h.set = new java.util.TreeSet<>();
                for (long i = 0; i < 100; i++) h.set.add(i);
            });
        }
        // Iteration and views fill the TreeSet's TreeMap's key-set cache,
        // outside any transaction.
        long sum = 0;
        for (long v : h.set) sum += v;
        if (sum != 4950 || h.set.headSet(10L).size() != 10 || !h.set.descendingSet().first().equals(99L)) {
            throw new RuntimeException("set: " + h.set);
        }
        System.out.println("CACHES OK");
        if (end.equals("kill")) {   // a crash: no orderly exit drops the caches
            System.out.flush();
            try {
                new ProcessBuilder("kill", "-9", Long.toString(ProcessHandle.current().pid())).start().waitFor();
                Thread.sleep(10_000);
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        }
    }

    static void looseLock(boolean anchor) {
        Holder h = Pmem.get("holder", Holder.class);
        Pmem.txn(() -> {
            Node n = new Node();
            synchronized (n) {
                n.count = LoadedInTxn.touch();
            }
            if (anchor) {
                h.late = n;   // anchored by the commit, after its lock
            }
        });
        System.out.println("LOCKED " + (anchor ? "AND ANCHORED" : "LOOSE"));
    }

    static void read(boolean lock) throws Exception {
        Holder h = Pmem.get("holder", Holder.class);
        for (int i = 0; i < NODES; i++) {
            Node n = h.nodes[i];
            if (n.value != i) throw new RuntimeException("node " + i + " holds " + n.value);
            if (lock) {
                // A header left locked by the dead run would send these to
                // its stack or its monitors.
                int hash = System.identityHashCode(n);
                synchronized (n) {
                    n.wait(1);
                    Pmem.txn(() -> n.count++);
                }
                if (System.identityHashCode(n) != hash) throw new RuntimeException("hash of node " + i + " changed");
            }
        }
        System.out.println("READ OK");
    }

    static final Node warm = new Node();   // volatile, of the same class: no type trap at the lock
    static final CountDownLatch holding = new CountDownLatch(1);
    static volatile Node target;

    // Locks o with whatever tier runs this; for target, holds the lock until
    // the process ends.
    static void hold(Node o) {
        synchronized (o) {
            o.count++;
            if (o == target) {
                holding.countDown();
                while (true) {
                    Thread.onSpinWait();
                }
            }
        }
    }

    static void hold(String tier, String end) throws Exception {
        Holder h = Pmem.get("holder", Holder.class);
        for (int i = 0; i < 30_000; i++) {
            hold(warm);
        }
        Node n = h.nodes[7];
        target = n;
        Thread holder = new Thread(() -> hold(n));
        holder.setDaemon(true);
        holder.start();
        holding.await();
        if (tier.equals("contended")) {
            // A second locker waits: the lock inflates to a monitor.
            Thread waiter = new Thread(() -> { synchronized (n) { n.count++; } });
            waiter.setDaemon(true);
            waiter.start();
            while (waiter.getState() != Thread.State.BLOCKED) {
                Thread.sleep(1);
            }
        }
        System.out.println("HOLDING");
        System.out.flush();
        if (end.equals("halt")) {
            Runtime.getRuntime().halt(0);
        }
        System.exit(0);
    }
}
