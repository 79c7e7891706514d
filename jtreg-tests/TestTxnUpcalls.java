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
 * @summary What a transaction runs for the first time links code (a lambda,
 *          a string concatenation, a method reference, a record's toString,
 *          Class.forName of a class not loaded yet) and may wait for locks;
 *          the objects the VM's linking and class-loading upcalls make for
 *          that (java.lang.invoke's caches, spun classes, the class loader's
 *          URLs, streams and lock objects) and a lock's wait-queue nodes stay
 *          volatile, so the same code and locks work afterwards
 *          outside transactions and from other threads. Before, the first
 *          lambda linked inside a transaction left persistent caches that a
 *          later link refused (BootstrapMethodError), and a thread that waited
 *          for a lock inside one made every later waiter fail
 *          (IllegalArgumentException from AbstractQueuedSynchronizer). In the
 *          four tiers.
 * @library /test/lib /pmem/lib
 * @modules java.base/jdk.internal.pmem
 * @run driver TestTxnUpcalls
 */

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.function.Supplier;

import jdk.internal.pmem.Pmem;
import jdk.test.lib.process.OutputAnalyzer;

public class TestTxnUpcalls {
    static final class Holder {
        String text;
        long n;
    }

    record Point(int x, int y) {}

    /** Loaded first by Class.forName inside a transaction. */
    static final class LoadedLate {
        static final java.util.List<String> NAMES = new java.util.ArrayList<>(java.util.List.of("a", "b"));
    }

    static String describe(int i) {
        return "item-" + i;
    }

    static void check(boolean ok, String what) {
        if (!ok) {
            throw new RuntimeException("FAILED: " + what);
        }
    }

    /** Code linked for the first time inside a transaction, then run outside one and by another thread. */
    static void linkage() throws Exception {
        Holder h = Pmem.pnew(Holder.class);
        Pmem.put("holder", h);
        int[] k = {7};
        long l7 = 7;
        double d2 = 2.5;
        float f3 = 3.25f;
        short s4 = 4;
        char c5 = 'x';
        Pmem.txn(() -> {
            // Call sites of types no startup code linked: their method types' invokers and forms are made here.
            Supplier<String> odd = () -> "odd-" + l7 + "," + d2 + "," + f3 + "," + s4 + "," + c5 + "," + k[0];
            String concat = "c" + l7 + d2 + f3 + s4 + c5 + k.length + h.n;
            Supplier<String> s = () -> "lambda-" + k[0];                // a lambda, a string concatenation
            Function<Integer, String> f = TestTxnUpcalls::describe;     // a method reference
            String r = new Point(3, 4).toString();                      // ObjectMethods' bootstrap
            Class<?> c;
            try {
                c = Class.forName("TestTxnUpcalls$LoadedLate");         // the app loader, from inside
            } catch (ClassNotFoundException e) {
                throw new RuntimeException(e);
            }
            h.text = s.get() + "/" + f.apply(5) + "/" + r + "/" + c.getSimpleName() + LoadedLate.NAMES.size()
                    + "/" + odd.get() + "/" + concat;
            h.n = h.text.length();
        });
        String want = "lambda-7/item-5/Point[x=3, y=4]/LoadedLate2/odd-7,2.5,3.25,4,x,7/c72.53.254x10";
        check(want.equals(h.text), "text made in the transaction: " + h.text);
        for (int round = 0; round < 3; round++) {   // the same sites, linked now, outside a transaction
            Supplier<String> s = () -> "lambda-" + k[0];
            Function<Integer, String> f = TestTxnUpcalls::describe;
            check((s.get() + "/" + f.apply(5) + "/" + new Point(3, 4)).equals("lambda-7/item-5/Point[x=3, y=4]"),
                  "the sites run outside");
            Supplier<String> odd = () -> "odd-" + l7 + "," + d2 + "," + f3 + "," + s4 + "," + c5 + "," + k[0];
            String concat = "c" + l7 + d2 + f3 + s4 + c5 + k.length + round;
            check(odd.get().equals("odd-7,2.5,3.25,4,x,7") && concat.equals("c72.53.254x1" + round), "odd sites run outside");
        }
        Thread t = new Thread(() -> {
            Supplier<String> s = () -> "other-" + k[0];
            LoadedLate.NAMES.add("c");   // the class's static list is volatile: changed outside a txn
            check(s.get().equals("other-7") && LoadedLate.NAMES.size() == 3, "another thread");
        });
        t.start();
        t.join();
        check(!Pmem.inPmem(LoadedLate.NAMES), "a class loaded in a transaction keeps volatile statics");
        System.out.println("linkage: " + h.text);
    }

    /** Threads that wait for a volatile lock (and a condition) inside and outside transactions. */
    static void locks() throws Exception {
        ReentrantLock lock = new ReentrantLock();
        Condition cond = lock.newCondition();
        Holder h = Pmem.pnew(Holder.class);
        Pmem.put("counter", h);
        for (int round = 0; round < 5; round++) {
            Throwable[] failed = new Throwable[1];
            lock.lock();
            Thread inTxn = new Thread(() -> {
                try {
                    Pmem.txn(() -> {
                        lock.lock();   // waits inside the transaction: queues a node
                        try {
                            h.n++;
                        } finally {
                            lock.unlock();
                        }
                    });
                } catch (Throwable e) {
                    failed[0] = e;
                }
            });
            inTxn.start();
            while (lock.getQueueLength() < 1) {
                Thread.onSpinWait();
            }
            Thread outside = new Thread(() -> {
                try {
                    lock.lock();   // waits outside: links its node after that one
                    try {
                        h.n += 10;
                    } finally {
                        lock.unlock();
                    }
                } catch (Throwable e) {
                    failed[0] = e;
                }
            });
            outside.start();
            while (lock.getQueueLength() < 2) {
                Thread.onSpinWait();
            }
            lock.unlock();
            inTxn.join();
            outside.join();
            if (failed[0] != null) {
                throw new RuntimeException("a waiter failed in round " + round, failed[0]);
            }
        }
        check(h.n == 55, "both waiters ran each round: " + h.n);

        // A condition's waiters: the first waits inside a transaction, the second outside.
        Throwable[] failed = new Throwable[1];
        int[] woken = {0};
        Runnable await = () -> {
            lock.lock();
            try {
                if (cond.await(30, TimeUnit.SECONDS)) {
                    woken[0]++;
                }
            } catch (Throwable e) {
                failed[0] = e;
            } finally {
                lock.unlock();
            }
        };
        Thread a = new Thread(() -> Pmem.txn(await));
        a.start();
        while (!hasWaiters(lock, cond)) {
            Thread.onSpinWait();
        }
        Thread b = new Thread(await);
        b.start();
        while (waiters(lock, cond) < 2) {
            Thread.onSpinWait();
        }
        lock.lock();
        cond.signalAll();
        lock.unlock();
        a.join();
        b.join();
        if (failed[0] != null) {
            throw new RuntimeException("a condition waiter failed", failed[0]);
        }
        check(woken[0] == 2, "both condition waiters woke: " + woken[0]);
        System.out.println("locks: counter " + h.n + ", condition waiters woken " + woken[0]);
    }

    static boolean hasWaiters(ReentrantLock lock, Condition c) {
        return waiters(lock, c) > 0;
    }

    static int waiters(ReentrantLock lock, Condition c) {
        lock.lock();
        try {
            return lock.getWaitQueueLength(c);
        } finally {
            lock.unlock();
        }
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0) {
            linkage();
            locks();
            System.out.println("ALL CHECKS PASSED");
            return;
        }
        for (String[] tier : PmemTest.TIERS) {
            String file = PmemTest.heapFile("upcalls");
            // The trace names each object the native path made persistent: the transaction's own
            // objects (a String, the Holder's text), never the linkage's (ASM's class writer,
            // java.lang.invoke's caches, a spun class's bytes), the class loader's (the class
            // file's URL and stream, its code source, its parallel-lock object) or a lock's
            // queue nodes.
            OutputAnalyzer out = PmemTest.runMain(TestTxnUpcalls.class,
                PmemTest.concat(PmemTest.flags(file), tier, new String[] {"-Xlog:gc+pmem=trace"}), "run");
            System.out.println(out.getOutput());
            out.shouldHaveExitValue(0);
            out.shouldContain("ALL CHECKS PASSED");
            out.shouldNotContain("BootstrapMethodError");
            out.shouldNotMatch("Native path allocated a (jdk\\.internal\\.org\\.objectweb\\.asm|java\\.lang\\.invoke|"
                               + "java\\.util\\.concurrent\\.locks|java\\.net\\.URL|java\\.io\\.File|java\\.security\\.|"
                               + "jdk\\.internal\\.loader|java\\.util\\.concurrent\\.ConcurrentHashMap|java\\.lang\\.Object )");
            out.shouldMatch("Native path allocated a java\\.lang\\.String");
        }
        PmemTest.cleanup();
    }
}
