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
 * @summary Crash consistency of plain java.util collections changed in
 *          transactions: four threads move money between accounts of a
 *          persistent TreeMap<String, Account> (opening accounts with
 *          computeIfAbsent), append to an ArrayList journal, index it in a
 *          HashMap<Long, String> and keep the last ids in an ArrayDeque, all
 *          under one lock. Each thread acknowledges a transfer in a shared
 *          file once Pmem.txn returned. The workload is crashed at
 *          transaction and allocation fault points, under the
 *          persistence-domain simulator (random write-back counts, random
 *          early evictions) and by kill -9, in every tier; after each
 *          restart the money is conserved, no balance is negative, journal,
 *          index and deque agree, every acknowledged transfer is there, and
 *          the heap verifies. -Dcrashes=N sets the number of crashes
 *          (make torture runs more).
 * @library /test/lib /pmem/lib
 * @modules java.base/jdk.internal.pmem
 * @run driver/timeout=1800 TestCollectionsCrash
 */

import java.io.File;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.*;

import jdk.internal.pmem.Pmem;
import jdk.test.lib.process.OutputAnalyzer;

public class TestCollectionsCrash {
    static final int THREADS = 4;
    static final int START_ACCOUNTS = 8;
    static final long START = 1_000_000;

    static final class Account {
        final String name;
        long balance;
        int transfers;
        Account(String name, long balance) {
            this.name = name;
            this.balance = balance;
        }
    }

    static final class Bank {
        final TreeMap<String, Account> accounts = new TreeMap<>();
        final ArrayList<Long> journal = new ArrayList<>();
        final HashMap<Long, String> index = new HashMap<>();
        final ArrayDeque<Long> recent = new ArrayDeque<>();
        long nextId;
        Bank() {
            for (int i = 0; i < START_ACCOUNTS; i++) {
                accounts.put("acct" + i, new Account("acct" + i, START));
            }
        }
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0) {
            child(args);
            return;
        }
        int wanted = Integer.getInteger("crashes", 150);
        String file = PmemTest.heapFile("collections-crash");
        // A HashMap resize rewrites every node's next field in one transaction: undo log slots of 4 MB.
        // The journal only grows, by every transfer committed before a crash:
        // how many depends on the machine's speed (about 720,000 entries,
        // 150 MB, after make test's 150 crashes with nothing to write back
        // on /dev/shm), so the file may grow (PmemMaxSize reserves address
        // space, and the file takes room only as it grows).
        String[] geometry = {"-XX:PmemSize=192m", "-XX:PmemMaxSize=4g", "-XX:PmemLogSize=4m", "-XX:PmemLogSlots=8"};
        String ack = file + ".ack";
        new File(ack).delete();
        Random rnd = new Random(Long.getLong("seed", System.nanoTime()));
        String[][] faults = {
            {"-XX:PmemFaultPoint=log-appended", "-XX:PmemFaultCount=%d"},
            {"-XX:PmemFaultPoint=txn-stored", "-XX:PmemFaultCount=%d"},
            {"-XX:PmemFaultPoint=allocated", "-XX:PmemFaultCount=%d"},
            {"-XX:PmemFaultPoint=commit-written-back", "-XX:PmemFaultCount=%d"},
            {"-XX:PmemFaultPoint=commit-retired", "-XX:PmemFaultCount=%d"},
            {"-XX:+PmemSimulator", "-XX:PmemCrashAfterWritebacks=%d", "-XX:PmemSimulatorEvictPPM=20000"},
            {"kill"},
        };
        String only = System.getProperty("faults");   // e.g. -Dfaults=kill, to chase one kind
        if (only != null) {
            faults = Arrays.stream(faults).filter(f -> String.join(" ", f).contains(only)).toArray(String[][]::new);
        }
        int crashes = 0, runs = 0;
        while (crashes < wanted) {
            String[] fault = faults[runs % faults.length];
            String[] tier = PmemTest.TIERS[(runs / faults.length) % PmemTest.TIERS.length];
            runs++;
            int count = 50 + rnd.nextInt(fault[0].contains("Simulator") ? 40_000 : 3_000);
            if (fault[0].equals("kill")) {
                crashes += PmemTest.runKilled(TestCollectionsCrash.class, PmemTest.concat(tier, PmemTest.flags(file), geometry),
                                              300 + rnd.nextInt(1200), "work", ack, "100000");
            } else {
                String[] f = new String[fault.length];
                for (int i = 0; i < f.length; i++) f[i] = String.format(fault[i], count);
                String[] jvm = PmemTest.concat(tier, new String[] {"-XX:+UnlockDiagnosticVMOptions"},
                                               PmemTest.flags(file), geometry, f);
                OutputAnalyzer out = PmemTest.runMain(TestCollectionsCrash.class, jvm, "work", ack, "3000");
                int rc = out.getExitValue();
                if (rc != 97 && rc != 0) {
                    System.out.println(out.getOutput());
                    throw new RuntimeException("worker failed with exit " + rc);
                }
                crashes += rc == 97 ? 1 : 0;
            }
            OutputAnalyzer out = PmemTest.runMain(TestCollectionsCrash.class, PmemTest.flags(file), "check", ack);
            if (out.getExitValue() != 0 || !out.getOutput().contains("CHECK OK")) {
                System.out.println(out.getOutput());
                throw new RuntimeException("invariants broken after crash " + crashes + " (" + String.join(" ", fault) + ")");
            }
            System.out.println(out.asLines().stream().filter(l -> l.startsWith("CHECK OK")).findFirst().get());
            if (runs > 4 * wanted) {
                throw new RuntimeException("too few crashes: " + crashes + " in " + runs + " runs");
            }
        }
        System.out.println("crashes: " + crashes + " in " + runs + " runs");
        new File(ack).delete();
        PmemTest.cleanup();
    }

    static MappedByteBuffer ackFile(String path) throws Exception {
        try (FileChannel ch = FileChannel.open(Path.of(path), StandardOpenOption.CREATE,
                                               StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            return ch.map(FileChannel.MapMode.READ_WRITE, 0, 4096);
        }
    }

    static Bank bank() {
        Bank b = Pmem.get("bank", Bank.class);
        if (b == null) {
            b = Pmem.pnew(Bank::new);
            Pmem.put("bank", b);
        }
        return b;
    }

    static void child(String[] args) throws Exception {
        Bank bank = bank();
        MappedByteBuffer ack = ackFile(args[1]);
        if (args[0].equals("check")) {
            check(bank, ack);
            System.out.println("CHECK OK journal " + bank.journal.size() + ", accounts " + bank.accounts.size());
            return;
        }
        int perThread = Integer.parseInt(args[2]);
        Object lock = new Object();
        Thread[] ts = new Thread[THREADS];
        for (int t = 0; t < THREADS; t++) {
            final int me = t;
            ts[t] = new Thread(() -> {
                Thread.currentThread().setUncaughtExceptionHandler((th, e) -> {
                    e.printStackTrace();
                    Runtime.getRuntime().halt(1);   // a failed transaction is a failed test
                });
                Random rnd = new Random(me * 7919L + System.nanoTime());
                for (int i = 0; i < perThread; i++) {
                    long id;
                    synchronized (lock) {
                        id = Pmem.txn(() -> transfer(bank, rnd));
                    }
                    ack.putLong(8 * me, id);   // acknowledged: durable from here on
                }
            });
            ts[t].start();
        }
        for (Thread t : ts) t.join();
        System.out.println("worker done");
    }

    // One transfer: every structure changes in the same transaction.
    static long transfer(Bank bank, Random rnd) {
        long id = ++bank.nextId;
        int n = bank.accounts.size();
        String from = "acct" + rnd.nextInt(n);
        String to = rnd.nextInt(20) == 0 ? "acct" + n : "acct" + rnd.nextInt(n);   // sometimes a new account
        Account a = bank.accounts.get(from);
        Account b = bank.accounts.computeIfAbsent(to, k -> new Account(k, 0));
        long amount = a.balance == 0 ? 0 : 1 + rnd.nextInt((int) Math.min(a.balance, 1000));
        a.balance -= amount;
        b.balance += amount;
        a.transfers++;
        b.transfers++;
        bank.journal.add(id);
        bank.index.put(id, from + "->" + to + ":" + amount);
        bank.recent.addLast(id);
        if (bank.recent.size() > 50) {
            bank.recent.pollFirst();
        }
        return id;
    }

    static void check(Bank bank, MappedByteBuffer ack) {
        long total = 0;
        for (Map.Entry<String, Account> e : bank.accounts.entrySet()) {
            Account a = e.getValue();
            expect(a.name.equals(e.getKey()), "account under its name");
            expect(a.balance >= 0, a.name + " is negative: " + a.balance);
            total += a.balance;
        }
        expect(total == START * START_ACCOUNTS, "money not conserved: " + total);
        expect(bank.journal.size() == bank.nextId, "journal " + bank.journal.size() + " vs next id " + bank.nextId);
        if (bank.index.size() != bank.journal.size()) {
            List<Long> extra = new ArrayList<>();
            for (Long k : bank.index.keySet()) if (k > bank.nextId || k < 1) extra.add(k);
            int nodes = 0;
            for (Map.Entry<Long, String> e : bank.index.entrySet()) nodes++;
            System.out.println("index size " + bank.index.size() + ", nodes " + nodes + ", keys beyond the journal " + extra
                               + (extra.isEmpty() ? "" : " -> " + bank.index.get(extra.get(0))) + ", recent last " + bank.recent.peekLast());
        }
        expect(bank.index.size() == bank.journal.size(), "index " + bank.index.size() + " vs journal " + bank.journal.size());
        for (int i = 0; i < bank.journal.size(); i++) {
            long id = bank.journal.get(i);
            expect(id == i + 1, "journal entry " + i + " is " + id);
            expect(bank.index.containsKey(id), "id " + id + " missing from the index");
        }
        expect(bank.recent.size() == Math.min(50, bank.journal.size()), "deque size " + bank.recent.size());
        long expected = bank.nextId - bank.recent.size() + 1;
        for (long id : bank.recent) {
            expect(id == expected++, "deque out of order at " + id);
        }
        for (int t = 0; t < THREADS; t++) {
            long acked = ack.getLong(8 * t);
            expect(acked <= bank.nextId && (acked == 0 || bank.index.containsKey(acked)),
                   "acknowledged transfer " + acked + " of thread " + t + " lost (next id " + bank.nextId + ")");
        }
        // The next run acknowledges afresh.
        for (int t = 0; t < THREADS; t++) ack.putLong(8 * t, 0);
    }

    static void expect(boolean ok, String what) {
        if (!ok) throw new RuntimeException("FAILED: " + what);
    }
}
