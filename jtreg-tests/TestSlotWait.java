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
 * @summary More threads in transactions than log slots, some taking a Java
 *          lock before Pmem.txn and others inside it: the wait for a slot
 *          must not deadlock with the lock. A thread that holds the lock
 *          and finds every slot held by transactions waiting for that lock
 *          gets IllegalStateException ("no undo log slot came free") from
 *          Pmem.txn with nothing opened, lets the lock go, and every thread
 *          finishes; the committed counts match the transactions that
 *          returned. A watchdog fails the run if any thread hangs.
 * @library /test/lib /pmem/lib
 * @modules java.base/jdk.internal.pmem
 * @run driver TestSlotWait
 */

import jdk.internal.pmem.Pmem;
import jdk.test.lib.process.OutputAnalyzer;

public class TestSlotWait {
    static final class Counters {
        long outer;   // incremented by transactions begun under the lock
        long inner;   // incremented by transactions that take the lock inside
    }

    static final Object LOCK = new Object();

    public static void main(String[] args) throws Exception {
        if (args.length > 0) {
            child();
            return;
        }
        String file = PmemTest.heapFile("slots");
        OutputAnalyzer out = PmemTest.runMain(TestSlotWait.class,
                PmemTest.concat(PmemTest.flags(file), new String[] {"-XX:PmemLogSlots=2"}), "run");
        System.out.println(out.getOutput());
        out.shouldHaveExitValue(0);
        out.shouldContain("ALL CHECKS PASSED");
        PmemTest.cleanup();
    }

    static void child() throws Exception {
        Counters c = Pmem.txn(() -> {
            Counters n = Pmem.pnew(Counters.class);
            Pmem.setRoot(n);
            return n;
        });
        final long deadline = System.nanoTime() + 4_000_000_000L;
        final long[] outerDone = new long[1], innerDone = new long[1], gaveUp = new long[1];
        Thread[] ts = new Thread[12];
        for (int t = 0; t < ts.length; t++) {
            final boolean outer = t % 2 == 0;
            ts[t] = new Thread(() -> {
                while (System.nanoTime() < deadline) {
                    if (outer) {
                        try {
                            synchronized (LOCK) {
                                Pmem.txn(() -> { c.outer++; });
                                outerDone[0]++;
                            }
                        } catch (IllegalStateException e) {
                            if (!e.getMessage().contains("no undo log slot came free")) throw e;
                            synchronized (gaveUp) {
                                gaveUp[0]++;
                            }
                        }
                    } else {
                        try {
                            Pmem.txn(() -> {   // holds a slot from here
                                synchronized (LOCK) {
                                    c.inner++;
                                    innerDone[0]++;
                                }
                            });
                        } catch (IllegalStateException e) {   // it may give up waiting too
                            if (!e.getMessage().contains("no undo log slot came free")) throw e;
                            synchronized (gaveUp) {
                                gaveUp[0]++;
                            }
                        }
                    }
                }
            });
            ts[t].start();
        }
        for (Thread t : ts) {
            t.join(60_000);
            if (t.isAlive()) {
                System.out.println("HANG: a thread is still waiting after 60 s");
                Runtime.getRuntime().halt(3);
            }
        }
        System.out.println("outer " + outerDone[0] + ", inner " + innerDone[0] + ", gave up " + gaveUp[0]);
        if (c.outer != outerDone[0] || c.inner != innerDone[0]) {
            throw new RuntimeException("counts " + c.outer + "/" + c.inner + " differ from commits "
                                       + outerDone[0] + "/" + innerDone[0]);
        }
        if (outerDone[0] + innerDone[0] == 0) throw new RuntimeException("nothing committed");
        System.out.println("ALL CHECKS PASSED");
    }
}
