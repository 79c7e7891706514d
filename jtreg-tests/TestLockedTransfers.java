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
 * @summary Per-object locks and rollbacks together: 1000 persistent
 *          accounts and a persistent long[] of balances, three threads
 *          transferring between random pairs while holding both accounts'
 *          monitors (taken in index order), one transfer in seven throwing
 *          half-way. A rollback must leave lock state in headers and other
 *          threads' elements alone: no thread may hang (a watchdog fails the
 *          run), and money is conserved, in the interpreter, C1, C2 and
 *          tiered. Then the workload is killed at random moments (and under
 *          the simulator at random write-backs), and after each restart the
 *          accounts and the array agree and add up.
 * @library /test/lib /pmem/lib
 * @modules java.base/jdk.internal.pmem
 * @run driver/timeout=1200 TestLockedTransfers
 */

import java.util.Map;
import java.util.Random;

import jdk.internal.pmem.Pmem;
import jdk.test.lib.process.OutputAnalyzer;

public class TestLockedTransfers {
    static final int ACCOUNTS = 1000;
    static final long START = 1000;
    static final int THREADS = 3;

    static final class Account {
        long balance;
        int id;
    }

    static final class Bank {
        Account[] accounts;
        long[] balances;   // balances[i] == accounts[i].balance, always
    }

    static final String[][] TIERS = PmemTest.TIERS;

    public static void main(String[] args) throws Exception {
        if (args.length > 0) {
            child(args);
            return;
        }
        String file = PmemTest.heapFile("transfers");
        for (String[] tier : TIERS) {
            OutputAnalyzer out = PmemTest.runMain(TestLockedTransfers.class,
                    PmemTest.concat(tier, PmemTest.flags(file)), "run", "2000");
            System.out.println(out.getOutput());
            out.shouldHaveExitValue(0);
            out.shouldContain("ALL CHECKS PASSED");
        }
        Random rnd = new Random(Long.getLong("seed", System.nanoTime()));
        int crashes = 0;
        java.nio.file.Path before = java.nio.file.Path.of(file + ".before-round");
        for (int i = 0; i < 12; i++) {
            String[] tier = TIERS[i % TIERS.length];
            // Kept for a failure's post-mortem: the file before this round.
            java.nio.file.Files.copy(java.nio.file.Path.of(file), before, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            if (i % 3 == 2) {
                // The simulator: only written-back lines survive the crash.
                String[] jvm = PmemTest.concat(tier, new String[] {"-XX:+UnlockDiagnosticVMOptions",
                        "-XX:+PmemSimulator", "-XX:PmemSimulatorEvictPPM=20000",
                        "-XX:PmemCrashAfterWritebacks=" + (500 + rnd.nextInt(30_000))}, PmemTest.flags(file));
                OutputAnalyzer out = PmemTest.runMain(TestLockedTransfers.class, jvm, "run", "4000");
                if (out.getExitValue() != 97 && out.getExitValue() != 0) {
                    System.out.println(out.getOutput());
                    throw new RuntimeException("worker failed with exit " + out.getExitValue());
                }
                crashes += out.getExitValue() == 97 ? 1 : 0;
            } else {
                crashes += PmemTest.runKilled(TestLockedTransfers.class, PmemTest.concat(tier, PmemTest.flags(file)),
                                               600 + rnd.nextInt(2000), "run", "60000");
            }
            OutputAnalyzer check = PmemTest.runMain(TestLockedTransfers.class, PmemTest.flags(file), "check");
            System.out.println(check.getOutput());
            if (check.getExitValue() != 0) {
                // Keep the file as the crash left it and as it was before the round.
                String keep = System.getProperty("java.io.tmpdir") + "/TestLockedTransfers-" + ProcessHandle.current().pid()
                              + "-round" + i;
                java.nio.file.Files.copy(java.nio.file.Path.of(file), java.nio.file.Path.of(keep + "-after.heap"));
                java.nio.file.Files.copy(before, java.nio.file.Path.of(keep + "-before.heap"));
                System.out.println("kept " + keep + "-after.heap and " + keep + "-before.heap");
            }
            check.shouldHaveExitValue(0);
            check.shouldContain("ALL CHECKS PASSED");
        }
        java.nio.file.Files.deleteIfExists(before);
        System.out.println("crashes: " + crashes);
        if (crashes < 8) throw new RuntimeException("too few crashes: " + crashes);
        PmemTest.cleanup();
    }

    // ---- the child ----

    static void child(String[] args) throws Exception {
        Bank bank = bank();
        verify(bank);
        if (args[0].equals("run")) {
            transfer(bank, Integer.parseInt(args[1]));
            verify(bank);
        }
        System.out.println("ALL CHECKS PASSED");
    }

    static Bank bank() {
        Bank b = Pmem.get("bank", Bank.class);
        if (b != null) {
            return b;
        }
        return Pmem.txn(() -> {
            Bank n = Pmem.pnew(Bank.class);
            n.accounts = Pmem.pmake(Account[].class, ACCOUNTS);
            n.balances = Pmem.pmake(long[].class, ACCOUNTS);
            for (int i = 0; i < ACCOUNTS; i++) {
                Account a = Pmem.pnew(Account.class);
                a.id = i;
                a.balance = START;
                n.accounts[i] = a;
                n.balances[i] = START;
            }
            Pmem.put("bank", n);
            return n;
        });
    }

    static void verify(Bank b) {
        long total = 0, array = 0;
        for (int i = 0; i < ACCOUNTS; i++) {
            Account a = b.accounts[i];
            if (a.id != i) throw new RuntimeException("account " + i + " has id " + a.id);
            if (a.balance != b.balances[i]) {
                throw new RuntimeException("account " + i + ": balance " + a.balance + " but balances[" + i + "] "
                                           + b.balances[i]);
            }
            if (a.balance < 0) throw new RuntimeException("account " + i + " is negative: " + a.balance);
            total += a.balance;
            array += b.balances[i];
        }
        if (total != ACCOUNTS * START || array != ACCOUNTS * START) {
            throw new RuntimeException("money not conserved: accounts " + total + ", array " + array);
        }
    }

    static void move(Bank b, int from, int to, long amount, boolean fail) {
        Account f = b.accounts[from], t = b.accounts[to];
        f.balance -= amount;
        b.balances[from] -= amount;
        if (fail) throw new IllegalStateException("deliberate");
        t.balance += amount;
        b.balances[to] += amount;
    }

    static void transfer(Bank b, int millis) throws Exception {
        final long deadline = System.nanoTime() + millis * 1_000_000L;
        final long[] done = new long[THREADS], failed = new long[THREADS];
        Thread[] ts = new Thread[THREADS];
        for (int t = 0; t < THREADS; t++) {
            final int me = t;
            final Random rnd = new Random(System.nanoTime() + t);
            ts[t] = new Thread(() -> {
                while (System.nanoTime() < deadline) {
                    int i = rnd.nextInt(ACCOUNTS), j = rnd.nextInt(ACCOUNTS - 1);
                    if (j >= i) j++;
                    Account lo = b.accounts[Math.min(i, j)], hi = b.accounts[Math.max(i, j)];
                    final int from = i, to = j;
                    final boolean fail = rnd.nextInt(7) == 0;
                    synchronized (lo) {
                        synchronized (hi) {
                            long have = b.accounts[from].balance;
                            long amount = have == 0 ? 0 : 1 + rnd.nextInt((int) Math.min(have, 100));
                            try {
                                Pmem.txn(() -> move(b, from, to, amount, fail));
                                done[me]++;
                            } catch (IllegalStateException deliberate) {
                                failed[me]++;
                            }
                        }
                    }
                }
            });
            ts[t].start();
        }
        // A watchdog: a deadlock or a lost wake-up fails the run, not the suite's timeout.
        long limit = millis + 60_000;
        for (Thread t : ts) {
            t.join(Math.max(1, limit - (System.nanoTime() - (deadline - millis * 1_000_000L)) / 1_000_000L));
            if (t.isAlive()) {
                System.out.println("HANG: a transfer thread did not finish");
                for (Map.Entry<Thread, StackTraceElement[]> e : Thread.getAllStackTraces().entrySet()) {
                    System.out.println(e.getKey() + " " + e.getKey().getState());
                    for (StackTraceElement s : e.getValue()) System.out.println("    at " + s);
                }
                System.out.flush();
                Runtime.getRuntime().halt(3);
            }
        }
        long sum = 0, sumFailed = 0;
        for (int t = 0; t < THREADS; t++) {
            sum += done[t];
            sumFailed += failed[t];
        }
        System.out.println(sum + " transfers committed, " + sumFailed + " rolled back");
        if (sum == 0 || sumFailed == 0) throw new RuntimeException("the workload did not run");
    }
}
