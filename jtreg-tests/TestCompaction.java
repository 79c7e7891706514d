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
 * @summary A collection of the persistent part compacts it on request
 *          (Pmem.compact()) or when its free space is fragmented: the live
 *          objects slide together, every reference follows (persistent,
 *          volatile, locals, locks, loose objects, cache fields), and the
 *          free space becomes one chunk. Crashes at its fault points and
 *          under the persistence-domain simulator, with a multi-threaded
 *          workload running, are finished by the next start. The live
 *          workload (threads committing and aborting transactions while
 *          another compacts) runs in every tier.
 * @library /test/lib /pmem/lib
 * @modules java.base/jdk.internal.pmem
 * @run driver/timeout=900 TestCompaction
 */

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jdk.internal.pmem.Pmem;
import jdk.test.lib.process.OutputAnalyzer;

public class TestCompaction {
    static final int KEYS = 20_000;   // about 100,000 objects, several 1 MB chunks
    static final String[] DIAG = {"-XX:+UnlockDiagnosticVMOptions"};

    static final class Item {
        int key;
        int gen;
        String name;
        int[] arr;
        Item self;
        Item(int key, int gen) {
            this.key = key;
            this.gen = gen;
            this.name = "n" + key + "/" + gen;
            this.arr = new int[] {key, gen};
            this.self = this;
        }
    }

    static final class Store {
        HashMap<Integer, Item> map = new HashMap<>();
        Item[] byKey = new Item[KEYS];
        ArrayList<String> notes = new ArrayList<>();
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0) {
            child(args[0], args.length > 1 ? Long.parseLong(args[1]) : 1);
            return;
        }
        Random rnd = new Random(Long.getLong("seed", System.nanoTime()));
        int simCrashes = Integer.getInteger("crashes", 40);
        String file = PmemTest.heapFile("compact");
        PmemTest.ok(run(file, "write", 1));
        PmemTest.ok(run(file, "verify", 1));

        // On request: half the items replaced leaves the used part half
        // garbage, interleaved; compaction leaves one free chunk.
        OutputAnalyzer c = PmemTest.ok(run(file, "cycle", 2));
        Matcher m = Pattern.compile("Persistent heap compacted \\(requested\\): .* free (\\d+)K in (\\d+) chunk\\(s\\) "
                                    + "\\(largest (\\d+)K\\)").matcher(c.getOutput());
        PmemTest.check(m.find(), "no compaction logged");
        PmemTest.check(m.group(2).equals("1") && m.group(1).equals(m.group(3)) && Long.parseLong(m.group(1)) > 1000,
              "free space not one chunk: " + m.group());
        PmemTest.ok(run(file, "verify", 1)).shouldNotContain("compaction");

        // HotSpot's heap verification before and after the full GC that
        // compacts: every reference, volatile and persistent, is valid.
        PmemTest.ok(run(file, "cycle", 6, "-XX:+VerifyBeforeGC", "-XX:+VerifyAfterGC"))
            .shouldContain("Persistent heap compacted (requested)");

        // By itself, when the free space is fragmented enough.
        OutputAnalyzer t = PmemTest.ok(run(file, "cycle-gc", 3, "-XX:PmemCompactPercent=0"));
        t.shouldContain("Persistent heap compacted (fragmented)");
        PmemTest.ok(run(file, "cycle-gc", 4, "-XX:PmemCompactPercent=100")).shouldNotContain("Persistent heap compacted");

        // An allocation that fits no free chunk, with enough free in pieces
        // and too little never used: it compacts, then succeeds.
        String full = PmemTest.heapFile("compact-full");
        PmemTest.ok(run(full, "bigalloc", 1, "-XX:PmemCompactPercent=100"))
            .shouldContain("Persistent heap compacted (requested)").shouldContain("allocated ");

        // Without compressed oops references are addresses: the same.
        String wide = PmemTest.heapFile("compact-wide");
        PmemTest.ok(run(wide, "write", 1, "-XX:-UseCompressedOops"));
        PmemTest.ok(run(wide, "cycle", 2, "-XX:-UseCompressedOops")).shouldContain("Persistent heap compacted");
        PmemTest.ok(run(wide, "verify", 1, "-XX:-UseCompressedOops"));

        // Threads run transactions while another compacts, again and again.
        OutputAnalyzer live = PmemTest.ok(run(file, "live", 5));
        PmemTest.check(count(live.getOutput(), "Persistent heap compacted") >= 3,
              "too few compactions under the live workload");
        PmemTest.ok(run(file, "verify", 1));

        // The same in each tier: compiled loops hold the items and the store
        // in registers and frames across the compactions, and some of their
        // transactions abort.
        for (String[] tier : PmemTest.TIERS) {
            OutputAnalyzer lt = PmemTest.ok(run(file, "live", 20 + tier.length, tier));
            PmemTest.check(count(lt.getOutput(), "Persistent heap compacted") >= 2,
                  "too few compactions under the live workload with " + String.join(" ", tier));
            PmemTest.ok(run(file, "verify", 1));
        }

        // Crashes at each fault point of a compaction, single- and
        // multi-threaded; the next start finishes it (with the classes
        // moved or not).
        String[][] points = {{"compact-begun", "1"}, {"compact-rewritten", "1", "3", "6"},
                             {"compact-forwarded", "1"}, {"compact-piece", "1", "7", "40"},
                             {"compact-slid", "1", "5", "60"}, {"compact-slid-all", "1"}};
        int crashes = 0;
        for (String[] p : points) {
            for (int k = 1; k < p.length; k++) {
                String op = crashes % 3 == 2 ? "live" : "cycle";
                OutputAnalyzer d = run(file, op, 10 + crashes, "-XX:PmemFaultPoint=" + p[0],
                                       "-XX:PmemFaultCount=" + p[k]);
                if (d.getExitValue() == 0) {
                    continue;   // fewer runs or chunks than the count
                }
                d.shouldHaveExitValue(97);
                d.shouldContain("pmem fault point " + p[0] + " reached");
                crashes++;
                // Finished wherever the next start maps the file, with the
                // classes moved or not.
                String[] next = crashes % 4 == 1 ? new String[] {"-XX:+PmemForceRelocation"}
                              : crashes % 4 == 2 ? new String[] {"-Xshare:off"} : new String[0];
                OutputAnalyzer after = PmemTest.ok(run(file, "verify", 1, next));
                after.shouldContain("Finished the compaction of");
                if (crashes % 4 == 1) after.shouldContain("Relocated");
                PmemTest.ok(run(file, "verify", 1)).shouldNotContain("Finished the compaction");
            }
        }
        PmemTest.check(crashes >= 10, "too few fault-point crashes: " + crashes);

        // The persistence-domain simulator: a compaction dies at a random
        // write-back, with random early evictions. First find how many
        // write-backs one takes.
        int bound = 1024;
        int simulated = 0;
        int resumed = 0;
        for (;; bound *= 2) {
            PmemTest.ok(run(file, "churn", 100 + bound));
            OutputAnalyzer d = run(file, "compact", 1, "-XX:+PmemSimulator", "-XX:PmemCrashAfterWritebacks=" + bound);
            if (d.getExitValue() == 0) break;
            d.shouldHaveExitValue(97);
            simulated++;
            PmemTest.ok(run(file, "verify", 1));   // the crash may come before the compaction, in the sweep
        }
        for (int i = 0; i < simCrashes; i++) {
            PmemTest.ok(run(file, "churn", 1000 + i));
            OutputAnalyzer d = run(file, "compact", 1, PmemTest.simulatorCrash(rnd, bound, i % 2 != 0));
            PmemTest.check(d.getExitValue() == 97 || d.getExitValue() == 0, "simulator run: exit " + d.getExitValue()
                  + "\n" + d.getOutput());
            simulated += d.getExitValue() == 97 ? 1 : 0;
            resumed += PmemTest.ok(run(file, "verify", 1)).getOutput().contains("Finished the compaction of") ? 1 : 0;
        }
        System.out.println(crashes + " fault-point crashes and " + simulated + " simulator crashes, "
                           + resumed + " of them inside a compaction");
        PmemTest.check(simulated >= simCrashes / 2 && resumed >= simCrashes / 4, "too few simulator crashes: " + simulated
              + ", inside a compaction: " + resumed);
        PmemTest.cleanup();
    }

    static int count(String s, String what) {
        int n = 0;
        for (int i = s.indexOf(what); i >= 0; i = s.indexOf(what, i + 1)) n++;
        return n;
    }

    static OutputAnalyzer run(String file, String what, long seed, String... extra) throws Exception {
        OutputAnalyzer out = PmemTest.run(PmemTest.concat(PmemTest.flags(file), DIAG, extra,
                new String[] {"-Xlog:gc+pmem=info", "--add-exports", "java.base/jdk.internal.pmem=ALL-UNNAMED",
                              "-cp", System.getProperty("test.class.path"), "TestCompaction", what, "" + seed}));
        System.out.println(out.getOutput());
        return out;
    }


    // -- the child ----------------------------------------------------------

    static void child(String what, long seed) throws Exception {
        Random rnd = new Random(seed);
        switch (what) {
            case "write" -> {
                Pmem.txn(() -> {
                    Store s = new Store();
                    for (int k = 0; k < KEYS; k++) {
                        Item it = new Item(k, 0);
                        s.map.put(k, it);
                        s.byKey[k] = it;
                    }
                    Pmem.setRoot(s);
                    Pmem.put("first", s.byKey[0]);
                    Pmem.put("last", s.byKey[KEYS - 1]);
                    return null;
                });
            }
            case "verify" -> verify(store());
            case "cycle", "cycle-gc" -> {
                Store s = store();
                verify(s);
                // What volatile code holds across the compaction: locals, a
                // volatile list, a locked and a waited-on object, a loose
                // object, a cache field (the map's key set).
                Item held = s.byKey[7];
                Item[] heldArray = s.byKey;
                List<Item> heldList = new ArrayList<>();
                for (int k = 0; k < KEYS; k += 97) heldList.add(s.byKey[k]);
                Item loose = Pmem.txn(() -> new Item(-1, 0));
                var keys = s.map.keySet();
                churn(s, rnd, KEYS / 2);
                Item kept = s.byKey[7];
                boolean compacted;
                synchronized (kept) {
                    synchronized (held) {
                        held.wait(1);   // inflates its monitor
                    }
                    if (what.equals("cycle")) {
                        compacted = Pmem.compact();
                    } else {
                        System.gc();
                        compacted = true;
                    }
                }
                PmemTest.check(compacted, "Pmem.compact() did not compact");
                PmemTest.check(heldArray == s.byKey && held.self == held && loose.self == loose && loose.key == -1
                      && kept == s.byKey[7] && kept.self == kept, "volatile references after compaction");
                PmemTest.check(held.name.equals("n7/" + held.gen) && held.arr[0] == 7, "held item's fields");
                for (int i = 0; i < heldList.size(); i++) {
                    Item it = heldList.get(i);
                    PmemTest.check(it.self == it && it.key == i * 97 && it.name.equals("n" + it.key + "/" + it.gen),
                          "a held item after compaction");
                }
                PmemTest.check(keys.size() == KEYS && keys == s.map.keySet(), "the key set after compaction");
                verify(s);
                // The heap works on: allocate into the freed chunk, again.
                churn(s, rnd, KEYS / 10);
                verify(s);
            }
            case "bigalloc" -> {
                // Half of the objects area in 8 KB arrays kept, as many dropped.
                long cap = Pmem.capacityBytes();
                int pairs = (int) (cap * 7 / 8 / (2 * 8016));
                Object[] keep = Pmem.pmake(Object[].class, pairs);
                Pmem.setRoot(keep);
                Object[] drop = new Object[pairs];   // volatile: live until the end of the loop
                for (int i = 0; i < pairs; i++) {
                    long[] a = Pmem.pmake(long[].class, 1000);
                    a[0] = i;
                    Pmem.persist(a);
                    keep[i] = a;   // outside a transaction: durable at once
                    drop[i] = Pmem.pmake(long[].class, 1000);
                }
                drop = null;
                System.gc();   // frees the dropped arrays, compacts nothing (PmemCompactPercent=100)
                int want = (int) (cap / 4 / 8);
                long[] big = Pmem.pmake(long[].class, want);
                big[want - 1] = 7;
                for (int i = 0; i < pairs; i++) {
                    PmemTest.check(((long[]) keep[i])[0] == i, "kept array " + i);
                }
                System.out.println("allocated " + want * 8L / 1024 + "K");
            }
            case "churn" -> {
                Store s = store();
                churn(s, rnd, KEYS / 2);
                verify(s);
            }
            case "compact" -> {
                Store s = store();
                PmemTest.check(Pmem.compact(), "Pmem.compact() did not compact");
                verify(s);
            }
            case "live" -> {
                Store s = store();
                verify(s);
                int threads = 3;
                AtomicBoolean stop = new AtomicBoolean();
                AtomicInteger done = new AtomicInteger();
                AtomicInteger aborted = new AtomicInteger();
                AtomicInteger failed = new AtomicInteger();
                List<Thread> workers = new ArrayList<>();
                for (int w = 0; w < threads; w++) {
                    final int part = w;
                    Thread th = new Thread(() -> {
                        Random r = new Random(seed * 31 + part);
                        while (!stop.get()) {
                            int k = part + threads * r.nextInt(KEYS / threads);
                            if (r.nextInt(5) == 0) {
                                // An aborted transaction: its new item is
                                // dropped, the old one stays (only this
                                // thread touches key k).
                                Item before = s.byKey[k];
                                int gen = before.gen;
                                try {
                                    Pmem.txn(() -> {
                                        replace(s, k);
                                        throw new IllegalStateException("abort");
                                    });
                                } catch (IllegalStateException expected) {
                                }
                                Item after = s.byKey[k];
                                PmemTest.check(after == before && after.gen == gen && after.self == after
                                      && s.map.get(k) == after, "an aborted replace of item " + k + " left it changed");
                                aborted.incrementAndGet();
                                continue;
                            }
                            Pmem.txn(() -> {
                                replace(s, k);
                                return null;
                            });
                            done.incrementAndGet();
                            if (r.nextInt(4) == 0) {
                                try { Thread.sleep(1); } catch (InterruptedException e) { return; }
                            }
                        }
                    });
                    th.setUncaughtExceptionHandler((t, e) -> {
                        e.printStackTrace();
                        failed.incrementAndGet();
                    });
                    th.start();
                    workers.add(th);
                }
                Thread.sleep(300);   // the workers' loops get compiled first (in the tiers that compile)
                int compacted = 0;
                for (int i = 0; i < 40 && compacted < 8; i++) {
                    Thread.sleep(20);
                    compacted += Pmem.compact() ? 1 : 0;
                }
                stop.set(true);
                for (Thread th : workers) th.join();
                System.out.println("live: " + done.get() + " transactions, " + aborted.get() + " aborted, "
                                   + compacted + " compactions");
                PmemTest.check(failed.get() == 0, "a worker failed");
                verify(s);
            }
            default -> throw new IllegalArgumentException(what);
        }
    }

    static Store store() {
        Store s = (Store) Pmem.root();
        PmemTest.check(s != null, "no root");
        return s;
    }

    // Replaces n random items in one transaction: the old ones become
    // garbage between live objects.
    static void churn(Store s, Random rnd, int n) {
        Pmem.txn(() -> {
            for (int i = 0; i < n; i++) {
                replace(s, rnd.nextInt(KEYS));
            }
            s.notes.add("churn " + n);
            if (s.notes.size() > 50) s.notes.clear();
            return null;
        });
    }

    static void replace(Store s, int k) {
        Item it = new Item(k, s.byKey[k].gen + 1);
        s.map.put(k, it);
        s.byKey[k] = it;
        if (k == 0) Pmem.put("first", it);
        if (k == KEYS - 1) Pmem.put("last", it);
    }

    static void verify(Store s) {
        PmemTest.check(s.map.size() == KEYS, "map size " + s.map.size());
        for (int k = 0; k < KEYS; k++) {
            Item it = s.byKey[k];
            PmemTest.check(it != null && it.key == k && it.self == it && s.map.get(k) == it, "item " + k);
            PmemTest.check(it.name.equals("n" + k + "/" + it.gen) && it.arr.length == 2 && it.arr[0] == k
                  && it.arr[1] == it.gen, "fields of item " + k);
        }
        PmemTest.check(Pmem.get("first", Item.class) == s.byKey[0] && Pmem.get("last", Item.class) == s.byKey[KEYS - 1], "named objects");
        for (String n : s.notes) PmemTest.check(n.startsWith("churn "), "note " + n);
    }
}
