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
 * @summary Transactions of any size: a transaction that outgrows its undo
 *          log slot goes on in log chunks taken from the persistent heap.
 *          A transaction that logs 100 MB commits, aborts, and is rolled
 *          back after a crash; element and reference stores in every tier
 *          log past the slot, and a collection inside the transaction keeps
 *          the chunks and the old referents they hold; nested levels undo
 *          across chunks and log again into a cut chunk; a log larger than
 *          the heap's free space fails whole with "transaction too large".
 *          Chunks given back at a transaction's end and incremental
 *          collections: no chunk is listed free twice.
 *          A log that links a chunk writes nothing past its slot: another
 *          thread's unfinished transaction in the next slot is rolled back
 *          after a crash at the link, in every tier.
 *          Crash campaign: workers killed at the log's fault points (the
 *          link to a chunk included) and under the persistence-domain
 *          simulator, each restart checked (every element and item of the
 *          last committed generation, the heap verified).
 * @library /test/lib /pmem/lib
 * @modules java.base/jdk.internal.pmem
 * @run driver/timeout=1800 TestLargeTxn
 */

import java.util.Arrays;
import java.util.Random;

import jdk.internal.pmem.Pmem;
import jdk.test.lib.process.OutputAnalyzer;

public class TestLargeTxn {
    // The crash workload: data and items always hold generation gen.
    static class State {
        long gen;
        long[] data;
        Item[] items;
    }

    static class Item {
        long v;
    }

    static final int BIG = 13_000_000;   // 104 MB of longs: a 100 MB log
    static final int DATA = 300_000;     // the crash workload's 2.4 MB: 7 MB of entries
    static final int ITEMS = 40_000;     // reference stores: ~1 MB of entries

    public static void main(String[] args) throws Exception {
        if (args.length > 0) {
            child(args);
            return;
        }
        Random rnd = new Random(Long.getLong("seed", System.nanoTime()));

        // 100 MB: commit, abort, and a crash with the whole log written.
        String big = PmemTest.heapFile("big");
        String[] bigFlags = PmemTest.concat(PmemTest.flags(big), new String[] {"-XX:PmemSize=320m"});
        OutputAnalyzer out = PmemTest.runMain(TestLargeTxn.class,
                PmemTest.concat(bigFlags, new String[] {"-Xlog:gc+pmem=debug"}), "big");
        System.out.println(out.getOutput());
        out.shouldHaveExitValue(0);
        out.shouldContain("goes on in a chunk of 16384K");
        expectPassed(PmemTest.runMain(TestLargeTxn.class, bigFlags, "big-check", "1"));
        out = PmemTest.runMain(TestLargeTxn.class, bigFlags, "big-crash");
        out.shouldHaveExitValue(97);
        out = PmemTest.runMain(TestLargeTxn.class, PmemTest.concat(bigFlags, new String[] {"-Xlog:gc+pmem"}),
                               "big-check", "1");
        expectPassed(out);
        out.shouldContain("1 unfinished transaction(s)");

        // Element and reference stores past the slot, a collection inside, nesting: every tier.
        for (String[] tier : PmemTest.TIERS) {
            String f = PmemTest.heapFile("tiers");
            String[] flags = PmemTest.concat(PmemTest.flags(f), new String[] {"-XX:PmemSize=96m",
                    "-XX:+UnlockDiagnosticVMOptions", "-XX:+PmemAlwaysCollect"}, tier);
            expectPassed(PmemTest.runMain(TestLargeTxn.class, flags, "stores"));
            expectPassed(PmemTest.runMain(TestLargeTxn.class, flags, "check"));
        }

        // A log that goes on in a chunk leaves the next slot alone: another
        // thread's unfinished transaction there is rolled back after a crash.
        // (16K slots, as 256K ones by default: 8-byte stores log 24-byte
        // entries, and the continuation ends the slot exactly.)
        for (String[] tier : PmemTest.TIERS) {
            String f = PmemTest.heapFile("neighbour");
            String[] flags = PmemTest.concat(PmemTest.flags(f), new String[] {"-XX:PmemLogSize=16k"}, tier);
            out = PmemTest.runMain(TestLargeTxn.class, PmemTest.concat(flags, new String[] {
                    "-XX:+UnlockDiagnosticVMOptions", "-XX:PmemFaultPoint=log-linked", "-XX:PmemFaultCount=1"}),
                    "neighbour");
            if (out.getExitValue() != 97) {
                System.out.println(out.getOutput());
                throw new RuntimeException("the neighbour workload did not reach its crash: exit " + out.getExitValue());
            }
            expectPassed(PmemTest.runMain(TestLargeTxn.class, flags, "neighbour-check"));
        }

        // Chunks a finished transaction gives back, then incremental
        // collections: each chunk listed free once, so later chunks never
        // overlap (they did: the sweep listed the released chunks again).
        for (String[] tier : new String[][] {{"-Xint"}, {"-XX:-TieredCompilation"}}) {
            String f = PmemTest.heapFile("released");
            String[] flags = PmemTest.concat(PmemTest.flags(f), new String[] {"-XX:PmemSize=96m"}, tier);
            expectPassed(PmemTest.runMain(TestLargeTxn.class, PmemTest.concat(flags,
                    new String[] {"-Xlog:gc+pmem=debug"}), "released"));
            expectPassed(PmemTest.runMain(TestLargeTxn.class, flags, "check"));
        }

        // More to log than the heap has free: refused whole, the heap usable after.
        String small = PmemTest.heapFile("small");
        expectPassed(PmemTest.runMain(TestLargeTxn.class, PmemTest.concat(PmemTest.flags(small),
                new String[] {"-XX:PmemSize=32m"}), "too-large"));

        // Crashes: fault points of the log and the commit, and the simulator.
        int crashes = 0;
        int target = Integer.getInteger("crashes", 40);
        String file = PmemTest.heapFile("crash");
        String[] base = PmemTest.concat(PmemTest.flags(file), new String[] {"-XX:PmemSize=96m",
                "-XX:+UnlockDiagnosticVMOptions", "-XX:+PmemAlwaysCollect"});
        expectPassed(PmemTest.runMain(TestLargeTxn.class, base, "init"));
        String[] points = {"log-linked", "log-appended", "txn-stored", "commit-written-back", "commit-retired",
                           "abort-restored", "allocated"};
        for (int i = 0; crashes < target; i++) {
            String[] tier = PmemTest.TIERS[i % PmemTest.TIERS.length];
            String[] fault;
            if (i % 3 == 2) {
                fault = PmemTest.simulatorCrash(rnd, 200_000, i % 2 != 0);
            } else {
                String p = points[(i / 3 + i) % points.length];
                int count = p.equals("log-linked") ? 1 + rnd.nextInt(12)
                          : p.equals("log-appended") || p.equals("txn-stored") ? 1 + rnd.nextInt(150_000)
                          : 1 + rnd.nextInt(6);
                fault = PmemTest.faultPoint(p, count);
            }
            out = PmemTest.runMain(TestLargeTxn.class, PmemTest.concat(base, tier, fault),
                                   "work", Long.toString(rnd.nextLong()));
            int rc = out.getExitValue();
            if (rc != 97 && rc != 0) {
                System.out.println(out.getOutput());
                throw new RuntimeException("worker failed with exit " + rc);
            }
            crashes += rc == 97 ? 1 : 0;
            if (i % 10 == 9) {   // a crash while recovering is recovered by the next start
                out = PmemTest.runMain(TestLargeTxn.class, PmemTest.concat(base, new String[] {
                        "-XX:PmemFaultPoint=recovery-restored"}), "check");
                if (out.getExitValue() != 97 && out.getExitValue() != 0) {
                    System.out.println(out.getOutput());
                    throw new RuntimeException("recovery failed with exit " + out.getExitValue());
                }
            }
            expectPassed(PmemTest.runMain(TestLargeTxn.class, base, "check"));
            if (i > 20 * target) throw new RuntimeException("too few crashes: " + crashes + " in " + i + " runs");
        }
        System.out.println("crashes survived: " + crashes);
        PmemTest.cleanup();
    }

    static void expectPassed(OutputAnalyzer out) {
        PmemTest.passed(out);
    }

    static void expect(boolean ok, String what) {
        if (!ok) throw new RuntimeException("FAILED: " + what);
    }

    static void child(String[] args) throws Exception {
        switch (args[0]) {
            case "big" -> big();
            case "big-check" -> expectAll(Pmem.get("big", long[].class), Long.parseLong(args[1]), "big");
            case "big-crash" -> bigCrash();
            case "stores" -> stores();
            case "too-large" -> tooLarge();
            case "released" -> released();
            case "neighbour" -> neighbour();
            case "neighbour-check" -> neighbourCheck();
            case "init" -> init();
            case "work" -> work(Long.parseLong(args[1]));
            case "check" -> check();
            default -> throw new IllegalArgumentException(args[0]);
        }
        System.out.println("ALL CHECKS PASSED");
    }

    static void expectAll(long[] a, long v, String what) {
        for (int i = 0; i < a.length; i++) {
            if (a[i] != v) throw new RuntimeException("FAILED: " + what + "[" + i + "] is " + a[i] + ", not " + v);
        }
    }

    static long[] filled(int n, long v) {
        long[] a = new long[n];
        Arrays.fill(a, v);
        return a;
    }

    // One transaction copies 104 MB over a persistent array: ~100 MB of log.
    static void big() {
        long[] a = Pmem.pmake(long[].class, BIG);
        Pmem.put("big", a);
        long[] ones = filled(BIG, 1);
        long t0 = System.nanoTime();
        Pmem.txn(() -> System.arraycopy(ones, 0, a, 0, BIG));
        System.out.printf("100 MB txn committed in %d ms%n", (System.nanoTime() - t0) / 1_000_000);
        expectAll(a, 1, "after commit");
        long[] twos = filled(BIG, 2);
        try {
            Pmem.txn(() -> {
                System.arraycopy(twos, 0, a, 0, BIG);
                throw new IllegalStateException("undo");
            });
            throw new RuntimeException("FAILED: the txn did not throw");
        } catch (IllegalStateException expected) {
            expect(expected.getMessage().equals("undo"), "the body's exception: " + expected);
        }
        expectAll(a, 1, "after abort");
        // The chunks a thread keeps are bounded: a collection frees the rest.
        long before = Pmem.usedBytes();
        System.gc();
        System.out.printf("used %d MB, after a collection %d MB%n", before >> 20, Pmem.usedBytes() >> 20);
        expect(Pmem.usedBytes() < (long) BIG * 8 + (24 << 20), "the big txn's chunks are freed: " + Pmem.usedBytes());
    }

    static void bigCrash() {
        long[] a = Pmem.get("big", long[].class);
        long[] threes = filled(BIG, 3);
        Pmem.txn(() -> {
            System.arraycopy(threes, 0, a, 0, BIG);
            Runtime.getRuntime().halt(97);   // the log is whole, the stores in memory: a crash
        });
    }

    // Element stores, reference stores, a collection and nesting, all past the slot.
    static void stores() {
        init();
        State s = Pmem.get("state", State.class);
        // 300K logged element stores (7 MB of entries), committed.
        Pmem.txn(() -> {
            for (int i = 0; i < DATA; i++) s.data[i] = 5;
            for (Item it : s.items) it.v = 5;
            s.gen = 5;
        });
        expectAll(s.data, 5, "element stores committed");
        // New items in every slot, a collection, 20 MB of new objects that
        // would take freed chunks or old items, then an abort: the old
        // items, with their values, come back.
        try {
            Pmem.txn(() -> {
                for (int i = 0; i < ITEMS; i++) {
                    Item it = new Item();
                    it.v = -1;
                    s.items[i] = it;
                }
                for (int i = 0; i < DATA; i++) s.data[i] = -1;
                System.gc();
                for (int i = 0; i < 2000; i++) {
                    long[] junk = new long[1250];
                    Arrays.fill(junk, -7);
                }
                System.gc();
                throw new IllegalStateException("undo");
            });
        } catch (IllegalStateException expected) {
        }
        for (int i = 0; i < ITEMS; i++) {
            expect(s.items[i].v == 5, "item " + i + " keeps its value: " + s.items[i].v);
        }
        expectAll(s.data, 5, "element stores undone");
        // Nesting: the outer level logs past the slot, an inner one logs
        // more and is undone, the outer goes on logging into the cut chunk
        // and commits.
        int third = DATA / 3;
        Pmem.txn(() -> {
            for (int i = 0; i < third; i++) s.data[i] = 6;
            try {
                Pmem.txn(() -> {
                    for (int i = third; i < 2 * third; i++) s.data[i] = 7;
                    for (int i = 0; i < third; i++) s.data[i] = 8;   // logged again, for the inner savepoint
                    throw new IllegalStateException("inner");
                });
            } catch (IllegalStateException expected) {
            }
            for (int i = 2 * third; i < DATA; i++) s.data[i] = 6;
        });
        for (int i = 0; i < DATA; i++) {
            long want = i < third || i >= 2 * third ? 6 : 5;
            expect(s.data[i] == want, "nested: data[" + i + "] is " + s.data[i] + ", not " + want);
        }
        // The same, and the outer level undone too.
        try {
            Pmem.txn(() -> {
                for (int i = 0; i < DATA; i++) s.data[i] = 9;
                try {
                    Pmem.txn(() -> {
                        for (int i = 0; i < DATA; i++) s.data[i] = 10;
                        throw new IllegalStateException("inner");
                    });
                } catch (IllegalStateException expected) {
                }
                for (int i = 0; i < DATA; i++) expect(s.data[i] == 9, "inner undone inside the outer");
                throw new IllegalStateException("outer");
            });
        } catch (IllegalStateException expected) {
        }
        for (int i = 0; i < DATA; i++) {
            long want = i < third || i >= 2 * third ? 6 : 5;
            expect(s.data[i] == want, "both undone: data[" + i + "] is " + s.data[i] + ", not " + want);
        }
        // Leave the crash workload's invariant for "check".
        Pmem.txn(() -> {
            for (int i = 0; i < DATA; i++) s.data[i] = 11;
            for (Item it : s.items) it.v = 11;
            s.gen = 11;
        });
    }

    static class Cell {
        long v;
    }

    static void await(java.util.concurrent.CountDownLatch l) {
        try {
            expect(l.await(60, java.util.concurrent.TimeUnit.SECONDS), "the other thread went on");
        } catch (InterruptedException e) {
            throw new RuntimeException(e);
        }
    }

    // A worker opens a transaction in slot 0, then the main thread one in
    // slot 1 that stores 2 over 1 and waits; the worker logs until its slot
    // is full and links a chunk, where the fault point ends the JVM.
    static void neighbour() {
        Cell c = Pmem.pnew(Cell.class);
        long[] a = Pmem.pmake(long[].class, 2000);
        Pmem.txn(() -> { c.v = 1; });
        Pmem.put("cell", c);
        Pmem.put("array", a);
        var workerIn = new java.util.concurrent.CountDownLatch(1);
        var mainStored = new java.util.concurrent.CountDownLatch(1);
        Thread worker = new Thread(() -> Pmem.txn(() -> {
            a[0] = -1;
            workerIn.countDown();
            await(mainStored);
            for (int i = 1; i < a.length; i++) a[i] = -1;   // 2000 entries: more than a 16K slot holds
        }));
        worker.start();
        await(workerIn);
        Pmem.txn(() -> {
            c.v = 2;
            mainStored.countDown();
            await(new java.util.concurrent.CountDownLatch(1));   // the crash comes first
        });
        throw new RuntimeException("FAILED: no crash at the worker's first chunk");
    }

    static void neighbourCheck() {
        expect(Pmem.get("cell", Cell.class).v == 1, "the main thread's unfinished store of 2 is rolled back: "
                                                     + Pmem.get("cell", Cell.class).v);
        expectAll(Pmem.get("array", long[].class), 0, "the worker's unfinished stores are rolled back");
    }

    // Rounds of a transaction that logs 7 MB (its chunks past the first
    // megabyte go back to the free list when it ends), an incremental
    // collection, and an aborted transaction that logs as much into chunks
    // taken from that free list. With a chunk listed twice, two chunks of
    // one log overlapped, and the abort restored garbage or crashed.
    static void released() {
        init();
        State s = Pmem.get("state", State.class);
        Pmem.collect();   // the run's first collection is full; the next ones are incremental
        for (int round = 0; round < 6; round++) {
            long g = s.gen + 1;
            Pmem.txn(() -> {
                for (int i = 0; i < DATA; i++) s.data[i] = g;
                for (Item it : s.items) it.v = g;
                s.gen = g;
            });
            Pmem.collect();
            try {
                Pmem.txn(() -> {
                    for (int i = 0; i < DATA; i++) s.data[i] = -1;
                    for (Item it : s.items) it.v = -1;
                    throw new IllegalStateException("undo");
                });
            } catch (IllegalStateException expected) {
            }
            check();
        }
    }

    static void tooLarge() {
        long[] a = Pmem.pmake(long[].class, 2_000_000);   // 16 MB of a 22 MB objects area
        Pmem.put("a", a);
        long[] ones = filled(a.length, 1);
        try {
            Pmem.txn(() -> System.arraycopy(ones, 0, a, 0, a.length));
            throw new RuntimeException("FAILED: a log larger than the heap committed");
        } catch (IllegalStateException e) {
            System.out.println(e.getMessage());
            expect(e instanceof jdk.internal.pmem.TransactionTooLargeException, "a distinct exception: " + e);
            expect(e.getMessage().startsWith("transaction too large: its undo log needs more room than the "
                                             + "persistent heap has free"), "message: " + e.getMessage());
        }
        expectAll(a, 0, "nothing of it remains");
        System.gc();
        Pmem.txn(() -> { for (int i = 0; i < 1000; i++) a[i] = 2; });   // the heap is usable after
        expect(a[999] == 2 && a[1000] == 0, "a small txn after it");
    }

    static void init() {
        State s = Pmem.pnew(State.class);
        Pmem.txn(() -> {
            s.data = Pmem.pmake(long[].class, DATA);
            s.items = Pmem.pmake(Item[].class, ITEMS);
            for (int i = 0; i < ITEMS; i++) s.items[i] = Pmem.pnew(Item.class);
        });
        Pmem.put("state", s);
    }

    // Generations until a fault point ends the JVM (exit 97), in three
    // ways of logging: a bulk copy, element stores, new items.
    static void work(long seed) {
        State s = Pmem.get("state", State.class);
        Random rnd = new Random(seed);
        for (int round = 0; round < 8; round++) {
            long g = s.gen + 1;
            int how = rnd.nextInt(4);
            boolean abort = rnd.nextInt(4) == 0;
            try {
                Pmem.txn(() -> {
                    if (how == 0) {
                        System.arraycopy(filled(DATA, g), 0, s.data, 0, DATA);
                    } else {
                        for (int i = 0; i < DATA; i++) s.data[i] = g;
                    }
                    for (int i = 0; i < ITEMS; i++) {
                        if (how == 2) {
                            Item it = new Item();
                            it.v = g;
                            s.items[i] = it;
                        } else {
                            s.items[i].v = g;
                        }
                    }
                    if (how == 3) System.gc();
                    s.gen = g;
                    if (abort) throw new IllegalStateException("abort");
                });
            } catch (IllegalStateException expected) {
            }
            check();
        }
    }

    static void check() {
        State s = Pmem.get("state", State.class);
        long g = s.gen;
        expectAll(s.data, g, "data of generation " + g);
        for (int i = 0; i < ITEMS; i++) {
            expect(s.items[i] != null && s.items[i].v == g, "item " + i + " of generation " + g);
        }
    }
}
