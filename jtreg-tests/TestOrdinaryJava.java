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
 * @summary Ordinary Java in the persistent heap: constructors run by
 *          Pmem.pnew(Supplier), and java.util collections, records, Strings,
 *          boxes, BigInteger, BigDecimal, UUID and java.time values built and
 *          changed by plain code inside Pmem.txn, in the interpreter, C1, C2
 *          and tiered; an exception undoes a change; everything reads back
 *          after a restart (also with classes elsewhere, -Xshare:off). Values
 *          made outside a transaction are stored as persistent copies; a
 *          mutable volatile object reachable from older persistent objects
 *          undoes the transaction with a message naming the field;
 *          temporaries (iterators over volatile lists) keep working after
 *          commit and GC, and cost no persistent space after a collection;
 *          Object.clone in a transaction makes a persistent copy.
 * @library /test/lib /pmem/lib
 * @modules java.base/jdk.internal.pmem
 * @run driver/timeout=900 TestOrdinaryJava
 */

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.*;
import java.util.concurrent.ConcurrentHashMap;

import jdk.internal.pmem.Pmem;

public class TestOrdinaryJava {
    record Order(long id, BigDecimal price, String note) {}

    static final class Account {
        final String name;
        long balance;
        final List<String> history = new ArrayList<>();
        Account(String name, long balance) {
            this.name = name;
            this.balance = balance;
            history.add("open " + balance);
        }
    }

    static final class Holder {
        Object o;
    }

    static final class Root {
        HashMap<String, List<Order>> orders;
        TreeMap<String, Account> accounts;
        LinkedHashMap<Integer, String> linked;
        ArrayDeque<Long> deque;
        LinkedList<String> linkedList;
        HashSet<String> hashSet;
        TreeSet<Integer> treeSet;
        ConcurrentHashMap<String, Integer> concurrent;
        BitSet bits;
        ArrayList<Object> values;
        Holder slot;
        ArrayList<String> listCopy;
        ArrayDeque<Long> dequeCopy;
        long[] longs;
    }

    static final int ORDERS = 3000;

    static void check(boolean ok, String what) {
        if (!ok) throw new RuntimeException("check failed: " + what);
    }

    static <T extends Throwable> T expect(Class<T> type, Runnable r) {
        try {
            r.run();
        } catch (Throwable t) {
            if (type.isInstance(t)) {
                System.out.println("expected: " + t);
                return type.cast(t);
            }
            throw new RuntimeException("expected " + type.getName() + ", got " + t, t);
        }
        throw new RuntimeException("expected " + type.getName() + ", nothing thrown");
    }

    @SuppressWarnings("unchecked")
    static void run() {
        // Constructors, and everything they allocate, persistent.
        Account alice = Pmem.pnew(() -> new Account("alice", 100));
        check(Pmem.inPmem(alice) && Pmem.inPmem(alice.name) && Pmem.inPmem(alice.history)
              && Pmem.inPmem(alice.history.get(0)), "pnew(Supplier) makes the object and its parts persistent");
        expect(IllegalArgumentException.class, () -> Pmem.pnew(() -> Thread.currentThread()));
        IllegalArgumentException refused = expect(IllegalArgumentException.class, () -> Pmem.pnew(() -> {
            Holder h = new Holder();
            h.o = new Thread();   // a Thread stays volatile: the result may not reach it
            return h;
        }));
        check(refused.getMessage().contains("TestOrdinaryJava$Holder.o refers to a volatile java.lang.Thread"),
              refused.getMessage());

        Root r = Pmem.pnew(() -> {
            Root x = new Root();
            x.orders = new HashMap<>();
            x.accounts = new TreeMap<>();
            x.linked = new LinkedHashMap<>();
            x.deque = new ArrayDeque<>();
            x.linkedList = new LinkedList<>();
            x.hashSet = new HashSet<>();
            x.treeSet = new TreeSet<>();
            x.concurrent = new ConcurrentHashMap<>();
            x.bits = new BitSet();
            x.values = new ArrayList<>();
            return x;
        });
        Pmem.setRoot(r);

        for (int i = 0; i < ORDERS; i++) {
            String customer = "cust" + (i % 37);   // made outside the transaction: stored as a copy
            long id = i;
            Pmem.txn(() -> r.orders.computeIfAbsent(customer, k -> new ArrayList<>())
                    .add(new Order(id, BigDecimal.valueOf(id, 2), "n" + id)));
            int n = i;
            Pmem.txn(() -> {
                r.linked.put(n, "v" + n);
                r.deque.addLast((long) n);
                if (r.deque.size() > 100) r.deque.pollFirst();
                r.linkedList.add("s" + n);
                r.hashSet.add("h" + (n % 100));
                r.treeSet.add(n % 50);
                r.concurrent.merge(customer, 1, Integer::sum);
                r.bits.set(n * 3);
            });
        }
        check(r.orders.size() == 37 && r.orders.get("cust1").get(0).id() == 1, "orders");
        String key = r.orders.keySet().iterator().next();
        check(Pmem.inPmem(key), "a key made outside the transaction is stored as a persistent copy");

        Pmem.txn(() -> r.accounts.put("alice", alice));
        String literal = "a literal";
        Integer boxed = 123456;
        Pmem.txn(() -> Collections.addAll(r.values, BigInteger.TWO.pow(100), UUID.nameUUIDFromBytes(new byte[] {1}),
                Instant.ofEpochSecond(1000), LocalDate.of(2026, 12, 4), Duration.ofMinutes(5), boxed, literal,
                new BigDecimal("3.14159")));
        check(r.values.get(6).equals(literal) && r.values.get(6) != literal && Pmem.inPmem(r.values.get(6)),
              "a literal is stored as an equal persistent copy");
        check(r.values.get(5).equals(boxed) && Pmem.inPmem(r.values.get(5)), "a box is copied");

        // Object.clone in a transaction makes a persistent copy; outside, a volatile one.
        ArrayList<String> src = new ArrayList<>(List.of("x", "y"));
        long[] vlongs = {1, 2, 3};
        Pmem.txn(() -> {
            r.listCopy = (ArrayList<String>) src.clone();
            r.dequeCopy = r.deque.clone();
            r.longs = vlongs.clone();
        });
        check(Pmem.inPmem(r.listCopy) && Pmem.inPmem(r.dequeCopy) && Pmem.inPmem(r.longs)
              && r.dequeCopy.size() == 100 && r.longs[2] == 3, "clone in a transaction is persistent");
        check(!Pmem.inPmem(r.deque.clone()) && !Pmem.inPmem(r.longs.clone()), "clone outside is volatile");

        // An exception undoes the whole change, including what plain code did inside.
        int linkedBefore = r.linked.size();
        expect(IllegalStateException.class, () -> Pmem.txn(() -> {
            r.orders.clear();
            r.linked.put(-1, "gone");
            r.accounts.get("alice").balance = 0;
            r.accounts.get("alice").history.add("lost");
            throw new IllegalStateException("boom");
        }));
        check(r.orders.size() == 37 && alice.balance == 100 && alice.history.size() == 1
              && r.linked.size() == linkedBefore && !r.linked.containsKey(-1), "the aborted transaction left nothing");

        // Outside a transaction nothing new is persistent: a change that
        // allocates (a collection's table or array growing) is refused with
        // a hint, and leaves the collection as it was. (Transient fields
        // that are data, not caches, are no exception.)
        HashMap<String, String> outside = Pmem.pnew(() -> new HashMap<String, String>());
        ArrayList<String> outsideList = Pmem.pnew(() -> new ArrayList<String>());
        IllegalArgumentException grown = expect(IllegalArgumentException.class, () -> outside.put("k", "v"));
        check(grown.getMessage().contains("persistent field java.util.HashMap.table")
              && grown.getMessage().endsWith("change persistent collections (put, add, ...) inside Pmem.txn"),
              "put outside a transaction: " + grown.getMessage());
        grown = expect(IllegalArgumentException.class, () -> outsideList.add("x"));
        check(grown.getMessage().contains("persistent field java.util.ArrayList.elementData"), grown.getMessage());
        check(outside.isEmpty() && outside.get("k") == null && outsideList.isEmpty(), "the refused changes left nothing");
        Pmem.txn(() -> { outside.put("k", "v"); outsideList.add("x"); });
        check(outside.keySet().contains("k") && outsideList.get(0).equals("x"), "the same changes in a transaction");

        // A mutable volatile object may not become reachable from older persistent objects.
        Thread volatileThread = new Thread();
        IllegalArgumentException e = expect(IllegalArgumentException.class, () -> Pmem.txn(() -> {
            r.linked.put(-2, "undone");
            r.values.add(new Object[] {volatileThread});
        }));
        check(e.getMessage().contains("element [0] of persistent java.lang.Object[] refers to a volatile java.lang.Thread"),
              "the message names the field and both classes: " + e.getMessage());
        check(!r.linked.containsKey(-2) && r.values.size() == 8, "the refused transaction was undone");
        e = expect(IllegalArgumentException.class, () -> Pmem.txn(() -> r.values.set(0, volatileThread)));
        check(e.getMessage().contains("cannot store a reference to a volatile java.lang.Thread in element"),
              "a direct store names the element: " + e.getMessage());

        // Temporaries: they may refer to volatile objects, and keep working.
        List<String> vol = new ArrayList<>(List.of("a", "b", "c"));
        Iterator<String> it = Pmem.txn(() -> vol.iterator());
        check(Pmem.inPmem(it), "an iterator made in a transaction is persistent");
        System.gc();
        check(it.next().equals("a") && it.next().equals("b"), "the iterator works after commit and GC");
        Holder loose = Pmem.txn(() -> {
            Holder h = new Holder();
            h.o = vol;
            return h;
        });
        e = expect(IllegalArgumentException.class, () -> r.slot = loose);
        check(e.getMessage().contains("made in a transaction and still refers to a volatile object"), e.getMessage());
        loose.o = null;
        r.slot = loose;   // reaches nothing volatile now: anchored
        check(r.slot == loose, "a loose object that reaches nothing volatile may be linked");

        // Transient caches (HashMap.values()) may hold volatile views.
        int count = 0;
        for (List<Order> l : r.orders.values()) count += l.size();
        check(count == ORDERS, "values view");

        // Temporaries cost no persistent space after a collection.
        System.gc();
        long before = Pmem.usedBytes();
        for (int i = 0; i < 2000; i++) {
            Pmem.txn(() -> {
                int s = 0;
                for (String x : vol) s += x.length();
                return new StringBuilder().append(s).append(vol).toString();
            });
        }
        System.gc();
        long after = Pmem.usedBytes();
        System.out.println("used before " + before + ", after 2000 transactions of temporaries and a GC " + after);
        check(after - before < 64 * 1024, "temporaries were collected: " + (after - before) + " bytes remain");
    }

    static void verify() {
        Root r = (Root) Pmem.root();
        check(r.orders.size() == 37, "orders " + r.orders.size());
        int n = 0;
        for (List<Order> l : r.orders.values()) n += l.size();
        check(n == ORDERS, "order count " + n);
        check(r.orders.get("cust5").get(0).equals(new Order(5, BigDecimal.valueOf(5, 2), "n5")), "record equals");
        check(r.accounts.get("alice").history.equals(List.of("open 100")) && r.accounts.get("alice").balance == 100,
              "account");
        check(r.linked.size() == ORDERS && r.linked.get(ORDERS - 1).equals("v" + (ORDERS - 1))
              && r.linked.keySet().iterator().next() == 0, "LinkedHashMap keeps its order");
        check(r.deque.size() == 100 && r.deque.peekLast() == ORDERS - 1, "ArrayDeque");
        check(r.linkedList.size() == ORDERS && r.linkedList.get(3).equals("s3"), "LinkedList");
        check(r.hashSet.size() == 100 && r.hashSet.contains("h42"), "HashSet");
        check(r.treeSet.size() == 50 && r.treeSet.first() == 0 && r.treeSet.last() == 49, "TreeSet");
        check(r.concurrent.get("cust0") == (ORDERS + 36) / 37, "ConcurrentHashMap " + r.concurrent.get("cust0"));
        check(r.bits.get(3 * (ORDERS - 1)) && r.bits.cardinality() == ORDERS, "BitSet");
        check(r.values.equals(List.of(BigInteger.TWO.pow(100), UUID.nameUUIDFromBytes(new byte[] {1}),
                Instant.ofEpochSecond(1000), LocalDate.of(2026, 12, 4), Duration.ofMinutes(5), 123456, "a literal",
                new BigDecimal("3.14159"))), "values " + r.values);
        check(r.slot != null && r.slot.o == null, "the anchored holder");
        check(r.listCopy.equals(List.of("x", "y")) && r.dequeCopy.peekLast() == ORDERS - 1
              && Arrays.equals(r.longs, new long[] {1, 2, 3}), "clones");
        // Changes after the restart, in a transaction.
        Pmem.txn(() -> {
            r.orders.remove("cust1");
            r.accounts.put("bob", new Account("bob", 7));
            r.hashSet.removeIf(s -> s.endsWith("1"));
        });
        check(r.orders.size() == 36 && r.accounts.get("bob").balance == 7 && r.hashSet.size() == 90, "changed again");
        // Set.remove says whether the element was there, although the sets'
        // shared value object is a persistent copy in the persistent heap.
        boolean[] removed = Pmem.txn(() -> new boolean[] {r.hashSet.remove("h42"), r.hashSet.remove("h42"),
                                                          r.treeSet.remove(7), r.treeSet.remove(7)});
        check(removed[0] && !removed[1] && removed[2] && !removed[3] && r.hashSet.size() == 89
              && r.treeSet.size() == 49, "HashSet/TreeSet.remove report what they removed " + Arrays.toString(removed));
    }

    public static void main(String[] args) throws Exception {
        if (PmemTest.child(args, TestOrdinaryJava::run, TestOrdinaryJava::verify)) {
            return;
        }
        for (String[] tier : PmemTest.TIERS) {
            String file = PmemTest.heapFile("ordinary" + tier.length + (tier.length > 0 ? tier[0].length() : 0));
            PmemTest.runThenVerify(TestOrdinaryJava.class, file, PmemTest.concat(tier, new String[] {"-Xmx256m"}));
        }
        // Classes elsewhere on the next start: hash-based collections still find their keys.
        String file = PmemTest.heapFile("ordinary-moved");
        PmemTest.runThenVerify(TestOrdinaryJava.class, file, "-Xshare:off");
        PmemTest.cleanup();
    }
}
