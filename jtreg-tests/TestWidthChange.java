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
 * @summary A file made with compressed references opens in a JVM without
 *          them (-XX:-UseCompressedOops, -Xmx40g) and back: it is converted
 *          into a new file renamed over the old one, every object, reference,
 *          root, name, identity hash and enum kept, in every tier. The old
 *          file's unfinished transactions are undone first. A crash before
 *          the rename leaves the old file as it was (and the next start
 *          converts again, removing the leftover); a crash after it leaves
 *          the converted file. A file with an unfinished compaction is
 *          refused unchanged, with what to do.
 * @library /test/lib /pmem/lib
 * @modules java.base/jdk.internal.pmem
 * @run driver/timeout=900 TestWidthChange
 */

import java.io.File;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.TreeMap;

import jdk.internal.pmem.Pmem;
import jdk.test.lib.process.OutputAnalyzer;

public class TestWidthChange {
    static final String WIDE = "-XX:-UseCompressedOops";
    static final String NARROW = "-XX:+UseCompressedOops";
    static final int KEYS = 4000;

    enum Color { RED, GREEN, BLUE }

    record Point(int x, long y, String label) {}

    static final class Node {
        int id;
        long big;
        byte b;
        Node next;
        Object any;
        Node(int id) {
            this.id = id;
            this.big = id * 1_000_000_007L;
            this.b = (byte) id;
        }
    }

    static final class Store {
        HashMap<String, Point> map = new HashMap<>();
        TreeMap<Integer, String> sorted = new TreeMap<>();
        ArrayList<Color> colors = new ArrayList<>();
        Node head;
        Object[] mixed;
        int[] ints;
        double[] doubles;
        String text;
        int headHash;
        long gen;
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0) {
            child(args);
            return;
        }
        String file = PmemTest.heapFile("width");
        PmemTest.ok(run(file, "write", NARROW));
        PmemTest.ok(run(file, "check", NARROW)).shouldNotContain("Converted");

        // There and back, in each tier, the contents checked and changed each time.
        String[] widths = {WIDE, NARROW, "-Xmx40g", "-Xmx256m"};
        boolean compressed = true;
        for (int i = 0; i < widths.length; i++) {
            String[] tier = PmemTest.TIERS[i % PmemTest.TIERS.length];
            OutputAnalyzer out = PmemTest.ok(run(file, "check", PmemTest.concat(new String[] {widths[i]}, tier)));
            String from = compressed ? "compressed" : "wide";
            String to = compressed ? "wide" : "compressed";
            out.shouldMatch("Converted .* from " + from + " to " + to + " references: \\d+ objects");
            compressed = !compressed;
            PmemTest.ok(run(file, "check", widths[i])).shouldNotContain("Converted");
        }

        // An unfinished transaction of the old width is undone before the
        // conversion.
        OutputAnalyzer crash = run(file, "crash-in-txn", NARROW);
        crash.shouldHaveExitValue(97);
        PmemTest.ok(run(file, "check", WIDE)).shouldContain("1 unfinished transaction(s) undone");

        // A crash before the rename: the old file is as it was, and opens
        // as it is; the next start in the other width converts it, removing
        // what the crash left.
        String before = PmemTest.fingerprint(file);
        crash = run(file, "check", NARROW, "-XX:+UnlockDiagnosticVMOptions", "-XX:PmemFaultPoint=convert-written");
        crash.shouldHaveExitValue(97);
        PmemTest.check(before.equals(PmemTest.fingerprint(file)), "a crash before the rename changed the file");
        PmemTest.check(leftovers(file) == 1, "no leftover of the crashed conversion");
        PmemTest.ok(run(file, "check", WIDE)).shouldNotContain("Converted");
        PmemTest.ok(run(file, "check", NARROW)).shouldContain("an unfinished conversion of").shouldContain("Converted");
        PmemTest.check(leftovers(file) == 0, "the leftover of the crashed conversion was not removed");

        // A crash right after the rename: the converted file stays.
        crash = run(file, "check", WIDE, "-XX:+UnlockDiagnosticVMOptions", "-XX:PmemFaultPoint=convert-renamed");
        crash.shouldHaveExitValue(97);
        PmemTest.ok(run(file, "check", WIDE)).shouldNotContain("Converted");
        PmemTest.ok(run(file, "check", NARROW)).shouldContain("Converted");

        // Refused unchanged: an unfinished compaction (finished by the old width).
        crash = run(file, "compact", NARROW, "-XX:+UnlockDiagnosticVMOptions", "-XX:PmemFaultPoint=compact-forwarded");
        crash.shouldHaveExitValue(97);
        PmemTest.failsUnchanged(file, file + " has compressed (4-byte) references and an unfinished compaction; start a "
                                + "JVM with -XX:+UseCompressedOops once to finish it, then change the width", WIDE);
        PmemTest.check(leftovers(file) == 0, "a refused conversion left a file");
        PmemTest.ok(run(file, "check", NARROW)).shouldContain("Finished the compaction");
        PmemTest.ok(run(file, "check", WIDE)).shouldContain("Converted");
        PmemTest.cleanup();
    }

    static int leftovers(String file) {
        File f = new File(file);
        String[] names = f.getParentFile().list((dir, name) -> name.startsWith(f.getName() + ".convert-"));
        return names == null ? 0 : names.length;
    }

    static OutputAnalyzer run(String file, String what, String... extra) throws Exception {
        OutputAnalyzer out = PmemTest.run(PmemTest.concat(PmemTest.flags(file), extra,
                new String[] {"-Xlog:gc+pmem=info", "--add-exports", "java.base/jdk.internal.pmem=ALL-UNNAMED",
                              "-cp", System.getProperty("test.class.path"), "TestWidthChange", what}));
        System.out.println(out.getOutput());
        return out;
    }

    // -- the child ----------------------------------------------------------

    static void child(String[] args) {
        switch (args[0]) {
            case "write" -> Pmem.txn(() -> {
                Store s = new Store();
                for (int i = 0; i < KEYS; i++) {
                    s.map.put("k" + i, new Point(i, -i, "p" + i));
                    s.sorted.put(i, "v" + i);
                }
                for (int i = 0; i < 300; i++) s.colors.add(Color.values()[i % 3]);
                Node prev = null;
                for (int i = 0; i < 1000; i++) {
                    Node n = new Node(i);
                    n.next = prev;
                    n.any = i % 2 == 0 ? "str" + i : new int[] {i};
                    prev = n;
                }
                s.head = prev;
                s.mixed = new Object[] {"x", 42L, Color.BLUE, new Point(1, 2, "q"), null, s.head};
                s.ints = new int[] {1, 2, 3};
                s.doubles = new double[] {0.5, -1e300};
                s.text = "hello, wide world";
                s.headHash = System.identityHashCode(s.head);
                Pmem.setRoot(s);
                Pmem.put("store", s);
                Pmem.put("node3", s.head.next.next.next);
                return null;
            });
            case "check" -> {
                check();
                // Keep changing it: each width writes in its own layout.
                Store s = (Store) Pmem.root();
                Pmem.txn(() -> {
                    s.gen++;
                    s.map.put("gen", new Point((int) s.gen, s.gen, "g" + s.gen));
                    s.sorted.put(-1, "gen" + s.gen);
                    return null;
                });
                check();
            }
            case "crash-in-txn" -> {
                Store s = (Store) Pmem.root();
                Pmem.txn(() -> {
                    s.gen = -7;
                    s.map.put("gen", new Point(-7, -7, "lost"));
                    s.head.id = -7;
                    Runtime.getRuntime().halt(97);   // a crash with the transaction open
                    return null;
                });
            }
            case "compact" -> {
                check();
                Store s = (Store) Pmem.root();
                Pmem.txn(() -> {   // garbage between live objects, so there is something to move
                    for (int i = 0; i < KEYS; i += 2) s.map.put("k" + i, new Point(i, -i, "p" + i));
                    return null;
                });
                PmemTest.check(Pmem.compact(), "Pmem.compact() did not compact");
            }
            default -> throw new IllegalArgumentException(args[0]);
        }
        System.out.println("CHECKED");
    }

    static void check() {
        Store s = (Store) Pmem.root();
        PmemTest.check(s != null && s == Pmem.get("store", Store.class), "the root and the named store");
        PmemTest.check(s.map.size() == KEYS + (s.gen > 0 ? 1 : 0), "map size " + s.map.size());
        for (int i = 0; i < KEYS; i++) {
            Point p = s.map.get("k" + i);
            PmemTest.check(p != null && p.x() == i && p.y() == -i && p.label().equals("p" + i), "point " + i);
            PmemTest.check(s.sorted.get(i).equals("v" + i), "sorted " + i);
        }
        if (s.gen > 0) {
            PmemTest.check(s.map.get("gen").equals(new Point((int) s.gen, s.gen, "g" + s.gen)), "gen point");
            PmemTest.check(s.sorted.get(-1).equals("gen" + s.gen), "gen entry");
        }
        PmemTest.check(s.gen >= 0, "an unfinished transaction survived: gen " + s.gen);
        PmemTest.check(s.sorted.firstKey() == (s.gen > 0 ? -1 : 0) && s.sorted.lastKey() == KEYS - 1, "sorted bounds");
        PmemTest.check(s.colors.size() == 300, "colors");
        for (int i = 0; i < 300; i++) PmemTest.check(s.colors.get(i) == Color.values()[i % 3], "color " + i);
        int n = 0;
        for (Node x = s.head; x != null; x = x.next, n++) {
            int id = 999 - n;
            PmemTest.check(x.id == id && x.big == id * 1_000_000_007L && x.b == (byte) id, "node " + n);
            PmemTest.check(id % 2 == 0 ? ("str" + id).equals(x.any) : ((int[]) x.any)[0] == id, "node any " + n);
        }
        PmemTest.check(n == 1000, "nodes " + n);
        PmemTest.check(s.mixed.length == 6 && s.mixed[0].equals("x") && s.mixed[1].equals(42L) && s.mixed[2] == Color.BLUE
              && s.mixed[3].equals(new Point(1, 2, "q")) && s.mixed[4] == null && s.mixed[5] == s.head, "mixed");
        PmemTest.check(Arrays.equals(s.ints, new int[] {1, 2, 3}) && Arrays.equals(s.doubles, new double[] {0.5, -1e300})
              && s.text.equals("hello, wide world"), "arrays and text");
        PmemTest.check(System.identityHashCode(s.head) == s.headHash, "identity hash");
        PmemTest.check(Pmem.get("node3", Node.class) == s.head.next.next.next, "named node");
        PmemTest.check(Color.valueOf("GREEN") == s.colors.get(1), "enum identity");
    }
}
