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
 * @summary Crash consistency of transactions: a bank of accounts with
 *          random transfers in several threads, a persistent linked list and
 *          an array workload are killed at every transaction fault point and
 *          at 200+ random write-backs under the persistence-domain simulator
 *          (with random early evictions); after each restart the total is
 *          unchanged, no account is negative, the list's count matches its
 *          length, and the heap verifies. The workers rotate through the
 *          interpreter, C1 and C2 (warmed up, and -Xcomp).
 * @library /test/lib /pmem/lib
 * @modules java.base/jdk.internal.pmem
 * @run driver/timeout=1200 TestTxnCrash
 */

import java.util.Random;

import jdk.internal.pmem.Pmem;
import jdk.test.lib.process.OutputAnalyzer;

public class TestTxnCrash {
    static final int ACCOUNTS = 16;
    static final long START = 1000;

    static class Bank {
        long[] balances;
        long transfers;
        Node list;          // the linked-list workload
        long listCount;
        long[] mirror;      // the array workload: always a copy of balances
    }

    static class Node {
        long value;
        Node next;
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0) {
            work(Integer.parseInt(args[0]), Long.parseLong(args[1]));
            return;
        }
        Random rnd = new Random(Long.getLong("seed", System.nanoTime()));
        int crashes = 0;
        // Every fault point a transaction passes, at several counts.
        String[] points = {"log-appended", "txn-stored", "commit-written-back", "commit-retired", "abort-restored"};
        String file = PmemTest.heapFile("faults");
        for (String point : points) {
            for (int count : new int[] {1, 7, 50, 333}) {
                crashes += crash(file, PmemTest.faultPoint(point, count), rnd);
            }
        }
        // A crash while recovering is recovered by the next start.
        OutputAnalyzer mid = PmemTest.runMain(TestTxnCrash.class, PmemTest.concat(PmemTest.flags(file),
            new String[] {"-Xint", "-XX:+UnlockDiagnosticVMOptions", "-XX:PmemFaultPoint=log-appended",
                          "-XX:PmemFaultCount=20"}), "3", "7");
        mid.shouldHaveExitValue(97);
        OutputAnalyzer rec = PmemTest.runMain(TestTxnCrash.class, PmemTest.concat(PmemTest.flags(file),
            new String[] {"-XX:+UnlockDiagnosticVMOptions", "-XX:PmemFaultPoint=recovery-restored"}), "0", "1");
        rec.shouldHaveExitValue(97);
        check(file);

        // The simulator: only written-back lines reach the file; crash at random write-backs.
        String sim = PmemTest.heapFile("simulator");
        for (int i = 0; i < 210; i++) {
            String[] flags = {"-XX:+PmemSimulator", "-XX:PmemCrashAfterWritebacks=" + (1 + rnd.nextInt(3000)),
                              "-XX:PmemSimulatorEvictPPM=" + (i % 2 == 0 ? 0 : 20000),
                              "-XX:PmemSimulatorSeed=" + (1 + rnd.nextInt(1 << 30))};
            crashes += crash(sim, flags, rnd);
        }
        System.out.println("crashes survived: " + crashes);
        if (crashes < 200) throw new RuntimeException("too few crashes: " + crashes);
        PmemTest.cleanup();
    }

    // The workers take turns in each execution tier: the interpreter, C1
    // (which refuses methods that may store to pmem, so they stay
    // interpreted), C2 after a short warm-up, and C2 for every test method
    // from its first call.
    static final String[][] TIERS = {
        {"-Xint"},
        {"-XX:TieredStopAtLevel=1"},
        {"-XX:-TieredCompilation", "-XX:CompileThreshold=100"},
        {"-XX:-TieredCompilation", "-Xcomp", "-XX:CompileCommand=quiet",
         "-XX:CompileCommand=compileonly,TestTxnCrash*::*"},
    };
    static int workers;

    // One child that works until it crashes (or finishes), then one that checks.
    static int crash(String file, String[] faultFlags, Random rnd) throws Exception {
        String[] jvm = PmemTest.concat(TIERS[workers++ % TIERS.length],
                                       new String[] {"-XX:+UnlockDiagnosticVMOptions"},
                                       PmemTest.flags(file), faultFlags);
        OutputAnalyzer out = PmemTest.runMain(TestTxnCrash.class, jvm, "3", Long.toString(rnd.nextLong()));
        int rc = out.getExitValue();
        if (rc != 97 && rc != 0) {
            System.out.println(out.getOutput());
            throw new RuntimeException("worker failed with exit " + rc);
        }
        check(file);
        return rc == 97 ? 1 : 0;
    }

    static void check(String file) throws Exception {
        OutputAnalyzer out = PmemTest.runMain(TestTxnCrash.class, PmemTest.flags(file), "0", "0");
        if (out.getExitValue() != 0) {
            System.out.println(out.getOutput());
            // Kept for the post-mortem, as the crash left it (the check refused it before writing).
            java.nio.file.Path keep = java.nio.file.Path.of(System.getProperty("java.io.tmpdir"),
                    "TestTxnCrash-" + ProcessHandle.current().pid() + "-damaged.heap");
            java.nio.file.Files.copy(java.nio.file.Path.of(file), keep, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            System.out.println("kept " + keep);
            throw new RuntimeException("invariants broken after a crash");
        }
        out.shouldContain("INVARIANTS OK");
    }

    static void work(int threads, long seed) throws Exception {
        Bank bank = Pmem.get("bank", Bank.class);
        if (bank == null) {
            bank = Pmem.txn(() -> {
                Bank b = Pmem.pnew(Bank.class);
                b.balances = Pmem.pmake(long[].class, ACCOUNTS);
                b.mirror = Pmem.pmake(long[].class, ACCOUNTS);
                for (int i = 0; i < ACCOUNTS; i++) {
                    b.balances[i] = START;
                    b.mirror[i] = START;
                }
                Pmem.put("bank", b);
                return b;
            });
        }
        verify(bank);
        System.out.println("INVARIANTS OK transfers=" + bank.transfers + " list=" + bank.listCount);
        if (threads == 0) return;
        final Bank b = bank;
        Thread[] ts = new Thread[threads];
        for (int t = 0; t < threads; t++) {
            final Random rnd = new Random(seed + t);
            ts[t] = new Thread(() -> {
                for (int i = 0; i < 150; i++) {
                    synchronized (b) {
                        try {
                            Pmem.txn(() -> step(b, rnd));
                        } catch (IllegalStateException deliberate) {
                            // a body that failed on purpose: rolled back
                        }
                    }
                }
            });
            ts[t].start();
        }
        for (Thread t : ts) t.join();
    }

    static void step(Bank b, Random rnd) {
        int from = rnd.nextInt(ACCOUNTS), to = rnd.nextInt(ACCOUNTS);
        long amount = b.balances[from] == 0 ? 0 : 1 + (long) rnd.nextInt((int) Math.min(b.balances[from], 500));
        b.balances[from] -= amount;
        b.balances[to] += amount;
        b.transfers++;
        switch (rnd.nextInt(4)) {
            case 0:   // the linked-list workload
                Node n = Pmem.pnew(Node.class);
                n.value = b.listCount;
                n.next = b.list;
                b.list = n;
                b.listCount++;
                break;
            case 1:   // the array workload: mirror the balances
                System.arraycopy(b.balances, 0, b.mirror, 0, ACCOUNTS);
                break;
            case 2:   // a body that fails half-way must leave nothing
                if (rnd.nextInt(3) == 0) throw new IllegalStateException("deliberate");
                break;
            default:
                break;
        }
    }

    static void verify(Bank b) {
        long total = 0;
        for (long v : b.balances) {
            if (v < 0) throw new RuntimeException("negative balance " + v);
            total += v;
        }
        if (total != ACCOUNTS * START) throw new RuntimeException("total " + total + " != " + ACCOUNTS * START);
        long len = 0;
        for (Node n = b.list; n != null; n = n.next) {
            if (n.value != b.listCount - 1 - len) throw new RuntimeException("list node " + len + " holds " + n.value);
            len++;
        }
        if (len != b.listCount) throw new RuntimeException("list length " + len + " != count " + b.listCount);
        long mtotal = 0;
        for (long v : b.mirror) mtotal += v;
        if (mtotal != ACCOUNTS * START) throw new RuntimeException("mirror total " + mtotal);
    }
}
