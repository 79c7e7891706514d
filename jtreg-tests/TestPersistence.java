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
 * @summary pnew, pmake, the root and named objects: what one JVM writes the
 *          next one finds, through young and full GCs, with every element
 *          type; refused types and a full heap get clear exceptions.
 * @library /test/lib /pmem/lib
 * @modules java.base/jdk.internal.pmem
 * @run driver TestPersistence
 */

import java.util.Arrays;
import java.util.Set;

import jdk.internal.pmem.Pmem;
import jdk.test.lib.process.OutputAnalyzer;

public class TestPersistence {
    static class Node {
        long value;
        int small;
        boolean flag;
        double real;
        Node next;
        Object any;
    }

    enum Color { RED, GREEN }

    static class Finalizable {
        static int finalized;

        @Override
        @SuppressWarnings("removal")
        protected void finalize() {   // not empty: HotSpot ignores empty finalizers
            finalized++;
        }
    }

    static final int N = 2000;

    public static void main(String[] args) throws Exception {
        if (args.length > 0) {
            switch (args[0]) {
                case "write" -> write();
                case "read" -> read();
                case "refusals" -> refusals();
                case "fill" -> fill();
            }
            return;
        }
        String file = PmemTest.heapFile("persistence");
        run(file, "write").shouldContain("wrote " + N);
        for (int i = 0; i < 2; i++) {  // twice: reading changes nothing
            run(file, "read").shouldContain("read ok");
        }
        run(file, "refusals").shouldContain("refusals ok");

        String small = PmemTest.heapFile("full");
        OutputAnalyzer full = PmemTest.runMain(TestPersistence.class,
            PmemTest.concat(PmemTest.flags(small), new String[] {"-XX:PmemSize=16m"}), "fill");
        full.shouldHaveExitValue(0);
        full.shouldMatch("full after \\d+ MiB: persistent heap is full: \\d+ bytes requested, "
            + "\\d+ of \\d+ in use after a full collection, largest free chunk \\d+ bytes");
        PmemTest.cleanup();
    }

    static OutputAnalyzer run(String file, String what) throws Exception {
        OutputAnalyzer out = PmemTest.runMain(TestPersistence.class,
            PmemTest.concat(PmemTest.flags(file), new String[] {"-Xmx64m", "-Xlog:gc+pmem=info"}), what);
        System.out.println(out.getOutput());
        out.shouldHaveExitValue(0);
        return out;
    }

    static void check(boolean ok, String what) {
        if (!ok) throw new RuntimeException("check failed: " + what);
    }

    static void write() {
        check(Pmem.isFirstRun(), "first run");
        check(Pmem.root() == null && Pmem.names().isEmpty(), "empty heap");
        long used0 = Pmem.usedBytes();

        Node head = null;
        for (int i = N - 1; i >= 0; i--) {
            Node n = Pmem.pnew(Node.class);
            check(Pmem.inPmem(n) && n.value == 0 && n.next == null, "zeroed node");
            n.value = i * 3L;
            n.small = -i;
            n.flag = (i % 2) == 0;
            n.real = i / 4.0;
            n.next = head;
            Pmem.persist(n);
            head = n;
        }
        Pmem.setRoot(head);

        long[] longs = Pmem.pmake(long[].class, 100);
        for (int i = 0; i < longs.length; i++) longs[i] = (long) i * i;
        byte[] bytes = Pmem.pmake(byte[].class, 37);
        Arrays.fill(bytes, (byte) 7);
        char[] chars = Pmem.pmake(char[].class, 5);
        "hello".getChars(0, 5, chars, 0);
        boolean[] bools = Pmem.pmake(boolean[].class, 3);
        bools[1] = true;
        float[] floats = Pmem.pmake(float[].class, 2);
        floats[0] = 1.5f;
        short[] shorts = Pmem.pmake(short[].class, 2);
        shorts[1] = -2;
        int[] ints = Pmem.pmake(int[].class, 0);
        double[] doubles = Pmem.pmake(double[].class, 1);
        doubles[0] = Math.PI;
        Node[] nodes = Pmem.pmake(Node[].class, 3);
        nodes[0] = head;
        nodes[2] = head.next;
        Object[][] nested = Pmem.pmake(Object[][].class, 2);
        nested[1] = Pmem.pmake(Object[].class, 1);
        nested[1][0] = longs;
        head.any = chars;
        for (Object o : new Object[] {longs, bytes, chars, bools, floats, shorts, ints, doubles, nodes, nested, nested[1], head}) {
            check(Pmem.inPmem(o), "persistent " + o.getClass());
            Pmem.persist(o);
        }
        Pmem.put("longs", longs);
        Pmem.put("bytes", bytes);
        Pmem.put("bools", bools);
        Pmem.put("floats", floats);
        Pmem.put("shorts", shorts);
        Pmem.put("ints", ints);
        Pmem.put("doubles", doubles);
        Pmem.put("nodes", nodes);
        Pmem.put("nested", nested);
        Pmem.put("gone", ints);
        check(Pmem.remove("gone") && !Pmem.remove("gone"), "remove");
        Pmem.put("ints", ints);  // rebinding keeps one entry

        // Volatile references to persistent objects survive young and full
        // GCs, and the persistent objects are neither moved nor changed.
        Object[] keep = new Object[] {head, longs, nodes};
        long addressCheck = System.identityHashCode(head);
        for (int gc = 0; gc < 3; gc++) {
            for (int i = 0; i < 200_000; i++) {
                keep[i % 3 == 0 ? 0 : 0] = keep[0];
                new Object[8].hashCode();   // young garbage
            }
            System.gc();
        }
        check(keep[0] == head && System.identityHashCode(head) == addressCheck, "same object after GC");
        long[] hash = Pmem.pmake(long[].class, 1);   // the identity hash survives the JVM too
        hash[0] = addressCheck;
        Pmem.persist(hash);
        Pmem.put("hash", hash);
        verifyList(head);
        check(Pmem.usedBytes() > used0 && Pmem.usedBytes() <= Pmem.capacityBytes(), "usedBytes");
        System.out.println("wrote " + N);
    }

    static void verifyList(Node head) {
        int i = 0;
        for (Node n = head; n != null; n = n.next, i++) {
            check(Pmem.inPmem(n), "node " + i + " persistent");
            check(n.value == i * 3L && n.small == -i && n.flag == ((i % 2) == 0) && n.real == i / 4.0,
                  "node " + i + " fields");
        }
        check(i == N, "list length " + i);
    }

    static void read() {
        check(!Pmem.isFirstRun(), "not the first run");
        Node head = (Node) Pmem.root();
        verifyList(head);
        check(Pmem.names().equals(Set.of("longs", "bytes", "bools", "floats", "shorts", "ints", "doubles",
                                         "nodes", "nested", "hash")), "names " + Pmem.names());
        check(System.identityHashCode(head) == Pmem.get("hash", long[].class)[0], "identity hash kept");
        long[] longs = Pmem.get("longs", long[].class);
        for (int i = 0; i < longs.length; i++) check(longs[i] == (long) i * i, "longs");
        byte[] bytes = Pmem.get("bytes", byte[].class);
        check(bytes.length == 37 && bytes[36] == 7, "bytes");
        check(new String((char[]) head.any).equals("hello"), "chars via a field");
        boolean[] bools = Pmem.get("bools", boolean[].class);
        check(!bools[0] && bools[1] && !bools[2], "bools");
        check(Pmem.get("floats", float[].class)[0] == 1.5f, "floats");
        check(Pmem.get("shorts", short[].class)[1] == -2, "shorts");
        check(Pmem.get("ints", int[].class).length == 0, "ints");
        check(Pmem.get("doubles", double[].class)[0] == Math.PI, "doubles");
        Node[] nodes = Pmem.get("nodes", Node[].class);
        check(nodes[0] == head && nodes[1] == null && nodes[2] == head.next, "nodes");
        Object[][] nested = Pmem.get("nested", Object[][].class);
        check(nested[0] == null && nested[1][0] == longs, "nested");
        check(Pmem.get("absent", Object.class) == null, "absent name");
        try {
            Pmem.get("longs", int[].class);
            check(false, "ClassCastException expected");
        } catch (ClassCastException expected) {
        }
        System.gc();
        verifyList(head);
        System.out.println("read ok");
    }

    static void refused(String expected, Runnable r) {
        try {
            r.run();
            throw new RuntimeException("no exception, expected: " + expected);
        } catch (IllegalArgumentException | NegativeArraySizeException e) {
            System.out.println("refused: " + e.getMessage());
            check(e.getMessage().contains(expected), "message '" + e.getMessage() + "' lacks '" + expected + "'");
        }
    }

    static void refusals() throws Exception {
        refused("java.lang.Runnable cannot be persistent: it is abstract", () -> Pmem.pnew(Runnable.class));
        refused("cannot be persistent: it is a java.lang.ref.Reference",
                () -> Pmem.pnew(java.lang.ref.WeakReference.class));
        refused("TestPersistence$Finalizable cannot be persistent: it has a finalizer",
                () -> Pmem.pnew(Finalizable.class));
        refused("java.lang.Class cannot be persistent", () -> Pmem.pnew(Class.class));
        refused("a primitive type cannot be persistent", () -> Pmem.pnew(int.class));
        refused("use pmake for arrays", () -> Pmem.pnew(long[].class));
        refused("pmake needs an array type", () -> Pmem.pmake(String.class, 1));
        refused("-1", () -> Pmem.pmake(long[].class, -1));
        refused("is not a persistent object", () -> Pmem.setRoot(new Object()));
        refused("is not a persistent object", () -> Pmem.put("x", new int[1]));
        refused("a name must have 1 to 111 bytes", () -> Pmem.put("n".repeat(112), Pmem.pmake(int[].class, 1)));
        // Names are measured in standard UTF-8: an emoji is 4 bytes (6 in modified UTF-8).
        String emoji = "\uD83D\uDE00".repeat(27);   // 108 bytes
        int[] named = Pmem.pmake(int[].class, 1);
        Pmem.put(emoji, named);
        check(Pmem.get(emoji, int[].class) == named, "a 27-emoji name binds");
        check(Pmem.names().contains(emoji), "names() gives the emoji name back: " + Pmem.names());
        check(Pmem.remove(emoji), "the emoji name is removed");
        refused("a name must have 1 to 111 bytes", () -> Pmem.put(emoji + "\uD83D\uDE00", named));
        refused("an unpaired surrogate at index 1", () -> Pmem.put("a\uD83Db", named));
        refused("U+0000 at index 1", () -> Pmem.put("a\u0000b", named));
        // Classes a zeroed instance would break, or the VM writes into behind the barrier.
        refused("a zeroed java.lang.String has no value array", () -> Pmem.pnew(String.class));
        refused("it is an enum", () -> Pmem.pnew(Color.class));
        refused("the VM writes a volatile stack trace into a Throwable", () -> Pmem.pnew(IllegalStateException.class));
        refused("the VM writes a Thread's native state into it", () -> Pmem.pnew(Thread.class));
        refused("the VM fills in a StackTraceElement", () -> Pmem.pnew(StackTraceElement.class));
        Pmem.pmake(String[].class, 1);   // arrays of them hold references: fine
        var lookup = java.lang.invoke.MethodHandles.lookup();
        byte[] bytes;
        try (var in = TestPersistence.class.getResourceAsStream("TestPersistence$Node.class")) {
            bytes = in.readAllBytes();
        }
        Class<?> hidden = lookup.defineHiddenClass(bytes, false).lookupClass();
        refused("it is a hidden class", () -> Pmem.pnew(hidden));
        // Nothing was bound by the refused calls.
        check(Pmem.get("x", Object.class) == null, "no binding");
        System.out.println("refusals ok");
    }

    static void fill() {
        int mib = 0;
        // Held by volatile references, so no collection can free them.
        java.util.List<byte[]> held = new java.util.ArrayList<>();
        try {
            while (true) {
                held.add(Pmem.pmake(byte[].class, 1 << 20));
                mib++;
            }
        } catch (OutOfMemoryError e) {
            System.out.println("full after " + mib + " MiB: " + e.getMessage());
            check(Pmem.usedBytes() <= Pmem.capacityBytes(), "used within capacity");
            // Small objects still fit in what is left, or fail the same way.
            try {
                Pmem.pnew(Node.class);
            } catch (OutOfMemoryError again) {
                check(again.getMessage().contains("persistent heap"), "second OOM message");
            }
        }
    }
}
