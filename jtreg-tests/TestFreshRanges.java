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
 * @summary Objects allocated inside a transaction are not written back one
 *          by one (issue 23): the log records a fresh range per buffer, commit
 *          writes the objects back, and after a crash recovery frees the range
 *          whole. Workers allocate small objects, arrays and large arrays (a
 *          chunk of their own) in transactions, store into them, link them,
 *          abort some, and run persistent collections inside open
 *          transactions while another thread commits allocations of its own
 *          (the collector must not hand out a fresh range's unused end). They
 *          are crashed under the persistence-domain simulator at random
 *          write-backs (headers and stores of fresh objects lost or evicted
 *          early) and at the fault points around a fresh range, in every
 *          execution tier. After each crash jpmem check passes on the file as
 *          the crash left it, and the next JVM verifies the heap
 *          (-XX:+VerifyPersistentHeap) and finds exactly the committed lists.
 *          A trace counts fresh ranges: a transaction of 2000 allocations logs
 *          a handful, not 2000 write-backs.
 * @library /test/lib /pmem/lib
 * @modules java.base/jdk.internal.pmem
 * @run driver/timeout=1200 TestFreshRanges
 */

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import jdk.internal.pmem.Pmem;
import jdk.test.lib.process.OutputAnalyzer;

public class TestFreshRanges {
    static final int SLOTS = 8;

    static class Link {
        long value;
        Link next;
        long[] payload;   // sometimes a large array: a chunk of its own
    }

    static class Holder {
        Link[] lists = new Link[SLOTS];
        long[] lengths = new long[SLOTS];
        long[] sums = new long[SLOTS];
        long commits;
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0) {
            switch (args[0]) {
                case "work" -> work(Long.parseLong(args[1]));
                case "verify" -> System.out.println("INVARIANTS OK commits=" + verify(holder())
                                                    + "+" + verify(holder("fresh-main")));
                case "count" -> count();
                default -> throw new IllegalArgumentException(args[0]);
            }
            return;
        }
        Random rnd = new Random(Long.getLong("seed", System.nanoTime()));
        countRanges();
        int crashes = 0;
        String file = PmemTest.heapFile("fresh");
        // The fault points around a fresh range: just after one is logged,
        // after an allocation it covers, and in commit and abort.
        String[] points = {"log-fresh", "allocated", "commit-written-back", "abort-restored", "gc-swept"};
        int tier = 0;
        for (String point : points) {
            for (int count : new int[] {1, 5, 40}) {
                crashes += crash(file, tier++, rnd, PmemTest.faultPoint(point, count));
            }
        }
        // The simulator: only written-back lines reach the file.
        String sim = PmemTest.heapFile("fresh-sim");
        int simCrashes = Integer.getInteger("crashes", 60);   // make torture: 2000
        for (int i = 0; i < simCrashes; i++) {
            crashes += crash(sim, tier++, rnd, PmemTest.simulatorCrash(rnd, 4000, i % 2 == 0 ? 0 : 50000));
        }
        System.out.println("crashes survived: " + crashes + ", files checked by jpmem: " + checked);
        if (crashes < 50 || checked < 40) throw new RuntimeException("too few crashes or checks: " + crashes + ", " + checked);
        PmemTest.cleanup();
    }

    static final String[][] TIERS = {
        {"-Xint"},
        {"-XX:TieredStopAtLevel=1"},
        {"-XX:-TieredCompilation", "-XX:CompileThreshold=100"},
        {},
    };

    static int checked;

    static int crash(String file, int tier, Random rnd, String... faultFlags) throws Exception {
        String[] jvm = PmemTest.concat(TIERS[tier % TIERS.length],
                                       new String[] {"-XX:+UnlockDiagnosticVMOptions", "-XX:+PmemAlwaysCollect"},
                                       PmemTest.flags(file), faultFlags);
        OutputAnalyzer out = PmemTest.runMain(TestFreshRanges.class, jvm, "work", Long.toString(rnd.nextLong()));
        int rc = out.getExitValue();
        if (rc != 97 && rc != 0) {
            System.out.println(out.getOutput());
            throw new RuntimeException("worker failed with exit " + rc);
        }
        // As the crash left it: jpmem reads it, the fresh ranges as free
        // chunks (not where a compaction was cut short: its references are
        // mid-rewrite until the next start finishes it).
        String jpmem = System.getProperty("test.jdk") + "/bin/jpmem";
        OutputAnalyzer info = new OutputAnalyzer(new ProcessBuilder(jpmem, "info", file).start());
        if (info.getOutput().contains("unfinished work none")) {
            OutputAnalyzer check = new OutputAnalyzer(new ProcessBuilder(jpmem, "check", file).start());
            if (check.getExitValue() != 0) {
                System.out.println(check.getOutput());
                throw new RuntimeException("jpmem check failed on the file a crash left");
            }
            checked++;
        }
        OutputAnalyzer v = PmemTest.runMain(TestFreshRanges.class, PmemTest.flags(file), "verify");
        if (v.getExitValue() != 0) {
            System.out.println(out.getOutput());
            System.out.println(v.getOutput());
            throw new RuntimeException("invariants broken after a crash (" + String.join(" ", faultFlags) + ")");
        }
        v.shouldContain("INVARIANTS OK");
        return rc == 97 ? 1 : 0;
    }

    static Holder holder() {
        return holder("fresh");
    }

    static Holder holder(String name) {
        Holder h = Pmem.get(name, Holder.class);
        if (h == null) {
            h = Pmem.txn(() -> {
                Holder n = new Holder();
                Pmem.put(name, n);
                return n;
            });
        }
        return h;
    }

    // Each list's length and sum are recorded with it, in the same txn.
    static long verify(Holder h) {
        for (int s = 0; s < SLOTS; s++) {
            long n = 0, sum = 0;
            for (Link l = h.lists[s]; l != null; l = l.next) {
                n++;
                sum += l.value;
                if (l.payload != null) {
                    for (int i = 0; i < l.payload.length; i += 97) {
                        if (l.payload[i] != l.value + i) throw new RuntimeException("payload of " + l.value);
                    }
                }
            }
            if (n != h.lengths[s] || sum != h.sums[s]) {
                throw new RuntimeException("list " + s + ": " + n + " links, sum " + sum + "; recorded "
                                           + h.lengths[s] + ", " + h.sums[s]);
            }
        }
        return h.commits;
    }

    // Replaces a list with a new one of 1..300 links, some with payloads.
    static void rebuild(Holder h, Random rnd, boolean abort) {
        int s = rnd.nextInt(SLOTS);
        int links = 1 + rnd.nextInt(300);
        long base = rnd.nextInt(1 << 20);
        Link list = null;
        long sum = 0;
        for (int i = 0; i < links; i++) {
            Link l = new Link();
            l.value = base + i;
            int p = rnd.nextInt(100);
            if (p < 3) {
                l.payload = new long[20_000];   // over a quarter of a buffer
            } else if (p < 20) {
                l.payload = new long[1 + rnd.nextInt(200)];
            }
            if (l.payload != null) {
                for (int j = 0; j < l.payload.length; j++) l.payload[j] = l.value + j;
            }
            l.next = list;
            list = l;
            sum += l.value;
        }
        h.lists[s] = list;
        h.lengths[s] = links;
        h.sums[s] = sum;
        h.commits++;
        if (abort) throw new IllegalStateException("deliberate");
    }

    static void work(long seed) throws Exception {
        Holder h = holder();
        verify(h);
        Holder mine = holder("fresh-main");   // only this thread's
        verify(mine);
        Random rnd = new Random(seed);
        // Another thread commits allocations of its own while the main one
        // holds transactions open across collections.
        Thread other = new Thread(() -> {
            Random r = new Random(seed + 1);
            for (int i = 0; i < 60; i++) {
                synchronized (h) {
                    Pmem.txn(() -> rebuild(h, r, false));
                }
            }
        });
        other.start();
        for (int i = 0; i < 60; i++) {
            final boolean abort = rnd.nextInt(6) == 0;
            final boolean gc = rnd.nextInt(4) == 0;
            try {
                synchronized (h) {
                    Pmem.txn(() -> {
                        rebuild(h, rnd, false);
                        if (gc) {
                            System.gc();   // -XX:+PmemAlwaysCollect: the persistent part too
                        }
                        rebuild(h, rnd, abort);
                    });
                }
            } catch (IllegalStateException deliberate) {
            }
            if (gc) {
                // Open across a collection while the other thread commits.
                // Into a holder no other thread uses: a lock on h released
                // before this commit would let the other thread's
                // transaction build on stores that a crash then undoes (an
                // isolation the contract leaves to the program, which must
                // hold its locks to the end of the transaction).
                Pmem.txn(() -> {
                    Link keep = new Link();
                    keep.value = 1;
                    System.gc();
                    try {
                        Thread.sleep(2);
                    } catch (InterruptedException e) {
                        throw new RuntimeException(e);
                    }
                    rebuild(mine, rnd, false);
                });
            }
        }
        other.join();
        verify(h);
        verify(mine);
    }

    // A transaction of 2000 allocations logs a handful of fresh ranges.
    static void count() {
        Holder h = holder();
        Pmem.txn(() -> {
            Link list = null;
            long sum = 0;
            for (int i = 0; i < 2000; i++) {
                Link l = new Link();
                l.value = i;
                l.next = list;
                list = l;
                sum += i;
            }
            h.lists[0] = list;
            h.lengths[0] = 2000;
            h.sums[0] = sum;
        });
        verify(h);
        System.out.println("INVARIANTS OK");
    }

    static void countRanges() throws Exception {
        String file = PmemTest.heapFile("fresh-count");
        String log = file + ".log";
        OutputAnalyzer out = PmemTest.runMain(TestFreshRanges.class, PmemTest.concat(PmemTest.flags(file),
                new String[] {"-Xlog:gc+pmem=trace:file=" + log}), "count");
        System.out.println(out.getOutput());
        out.shouldHaveExitValue(0);
        List<String> lines = java.nio.file.Files.readAllLines(java.nio.file.Path.of(log));
        long ranges = lines.stream().filter(l -> l.contains("Fresh range logged")).count();
        long allocations = lines.stream().filter(l -> l.contains("Native path allocated a TestFreshRanges$Link")).count();
        System.out.println(allocations + " Link allocations on the native path, " + ranges + " fresh ranges logged");
        if (allocations < 2000 || ranges < 1 || ranges > 10) {
            throw new RuntimeException("expected 2000 allocations under 1..10 fresh ranges: " + allocations
                                       + " allocations, " + ranges + " ranges");
        }
        OutputAnalyzer v = PmemTest.runMain(TestFreshRanges.class, PmemTest.flags(file), "verify");
        v.shouldHaveExitValue(0);
    }
}
