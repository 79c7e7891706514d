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
 * @summary A deoptimization at the barrier's runtime call must not repeat
 *          or lose an atomic: threads add to persistent counters with
 *          compiled getAndAdd and compareAndSet loops, inside and outside
 *          txns, while another thread deoptimizes all compiled code again
 *          and again (C2's slow call is a safepoint; C1's are leaves). Every
 *          counter must end at exactly the number of adds, also after a
 *          restart.
 * @library /test/lib /pmem/lib
 * @modules java.base/jdk.internal.pmem
 * @build jdk.test.whitebox.WhiteBox
 * @run driver jdk.test.lib.helpers.ClassFileInstaller jdk.test.whitebox.WhiteBox
 * @run driver TestDeoptAtomic
 */

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import jdk.internal.pmem.Pmem;
import jdk.test.whitebox.WhiteBox;

public class TestDeoptAtomic {
    static class Counters {
        int plain;    // getAndAdd outside a txn
        long inTxn;   // getAndAdd inside txns
        int cas;      // a compareAndSet loop
    }

    static final VarHandle PLAIN, IN_TXN, CAS;
    static {
        try {
            MethodHandles.Lookup lk = MethodHandles.lookup();
            PLAIN = lk.findVarHandle(Counters.class, "plain", int.class);
            IN_TXN = lk.findVarHandle(Counters.class, "inTxn", long.class);
            CAS = lk.findVarHandle(Counters.class, "cas", int.class);
        } catch (ReflectiveOperationException e) {
            throw new Error(e);
        }
    }

    static final int THREADS = 2;
    static final int ADDS = 200_000;

    public static void main(String[] args) throws Exception {
        if (PmemTest.child(args, TestDeoptAtomic::run, TestDeoptAtomic::verify)) {
            return;
        }
        String[][] tiers = {
            {"-XX:-TieredCompilation"},
            {"-XX:TieredStopAtLevel=1"},
            {},
        };
        for (String[] tier : tiers) {
            String file = PmemTest.heapFile("deopt" + tier.length + (tier.length > 0 ? tier[0].length() : 0));
            String[] wb = {"-Xbootclasspath/a:.", "-XX:+UnlockDiagnosticVMOptions", "-XX:+WhiteBoxAPI"};
            PmemTest.runThenVerify(TestDeoptAtomic.class, file, PmemTest.concat(tier, wb));
        }
        PmemTest.cleanup();
    }

    static void addPlain(Counters c) {
        PLAIN.getAndAdd(c, 1);
    }

    static void addInTxn(Counters c) {
        IN_TXN.getAndAdd(c, 1L);
    }

    static void addCas(Counters c) {
        int v;
        do {
            v = (int) CAS.getVolatile(c);
        } while (!CAS.compareAndSet(c, v, v + 1));
    }

    static void run() throws Exception {
        Counters c = Pmem.pnew(Counters.class);
        Pmem.txn(() -> Pmem.put("counters", c));
        WhiteBox wb = WhiteBox.getWhiteBox();
        Thread[] workers = new Thread[THREADS];
        for (int t = 0; t < THREADS; t++) {
            workers[t] = new Thread(() -> {
                for (int n = 0; n < ADDS; n++) {
                    addPlain(c);
                    addCas(c);
                    if (n % 8 == 0) {
                        Pmem.txn(() -> addInTxn(c));
                    }
                }
            });
            workers[t].start();
        }
        Thread deopt = new Thread(() -> {
            // Often, but not so often that compiled code never runs: a
            // worker is inside the barrier's call for much of its loop.
            while (workers[0].isAlive() || workers[THREADS - 1].isAlive()) {
                wb.deoptimizeAll();
                try {
                    Thread.sleep(2);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        deopt.setDaemon(true);
        deopt.start();
        for (Thread w : workers) {
            w.join();
        }
        check(c);
    }

    static void check(Counters c) {
        System.out.println("plain=" + c.plain + " cas=" + c.cas + " inTxn=" + c.inTxn);
        if (c.plain != THREADS * ADDS || c.cas != THREADS * ADDS || c.inTxn != THREADS * ((ADDS + 7) / 8)) {
            throw new RuntimeException("FAILED: an atomic was repeated or lost: plain=" + c.plain
                    + " cas=" + c.cas + " inTxn=" + c.inTxn + ", expected " + THREADS * ADDS
                    + " and " + THREADS * ((ADDS + 7) / 8));
        }
    }

    static void verify() {
        check(Pmem.get("counters", Counters.class));
    }
}
