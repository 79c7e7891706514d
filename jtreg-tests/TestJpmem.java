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
 * @summary jpmem, the offline heap-file inspector (bin/jpmem): info, check,
 *          histo, roots, print and dump (an HPROF file, read back with the
 *          test library's HPROF reader) on a healthy file, on one a crash left
 *          with a transaction open, and on damaged copies (a clear one-line
 *          error or the problem named with its offset, never a stack
 *          trace); the file is never changed by it.
 * @library /test/lib /pmem/lib
 * @modules java.base/jdk.internal.pmem
 * @run driver TestJpmem
 */

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jdk.internal.pmem.Pmem;
import jdk.test.lib.hprof.model.JavaClass;
import jdk.test.lib.hprof.model.JavaHeapObject;
import jdk.test.lib.hprof.model.JavaObject;
import jdk.test.lib.hprof.model.JavaObjectArray;
import jdk.test.lib.hprof.model.JavaValueArray;
import jdk.test.lib.hprof.model.Root;
import jdk.test.lib.hprof.model.Snapshot;
import jdk.test.lib.hprof.parser.Reader;
import jdk.test.lib.process.OutputAnalyzer;

public class TestJpmem {
    static final class Order {
        String customer;
        long cents;
        Order next;
        int[] items;
    }

    static final class Shop {
        HashMap<String, Order> byCustomer = new HashMap<>();
        ArrayList<String> log = new ArrayList<>();
        Order[] recent = new Order[4];
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0) {
            child(args[0]);
            return;
        }
        String file = PmemTest.heapFile("jpmem");
        PmemTest.ok(PmemTest.runMain(TestJpmem.class, PmemTest.flags(file), "write"));
        String before = PmemTest.fingerprint(file);

        OutputAnalyzer info = jpmem(0, "info", file);
        info.shouldContain("pmem-jdk heap, version 1").shouldContain("compressed (4-byte) references")
            .shouldContain("transactions    none open").shouldContain("exited normally")
            .shouldMatch("named objects   2, and a root");
        OutputAnalyzer check = jpmem(0, "check", file);
        check.shouldContain("no problem found").shouldMatch("checked .*: \\d+ objects in the used part, \\d+ reachable");
        OutputAnalyzer histo = jpmem(0, "histo", file);
        histo.shouldMatch("\\s+1000\\s+\\d+\\s+1000\\s+\\d+\\s+TestJpmem\\$Order");
        OutputAnalyzer roots = jpmem(0, "roots", file);
        roots.shouldMatch("'shop'\\s+TestJpmem\\$Shop @\\d+").shouldMatch("'first'\\s+TestJpmem\\$Order @\\d+")
             .shouldMatch("root\\s+TestJpmem\\$Shop @\\d+");
        OutputAnalyzer print = jpmem(0, "print", file, "first");
        print.shouldMatch("first @\\d+: TestJpmem\\$Order, 32 bytes").shouldContain("long cents = 999")
             .shouldContain("java.lang.String customer = java.lang.String @").shouldContain("\"c999\"");
        jpmem(0, "print", file, "first/next/next").shouldContain("long cents = 997");
        jpmem(0, "print", file, "shop/recent/2").shouldContain("long cents = 2");
        jpmem(0, "print", file, "first/items").shouldContain("length 3").shouldContain("[2] 999");
        jpmem(1, "print", file, "nosuch").shouldContain("no object is named 'nosuch'");
        jpmem(1, "print", file, "first/cents").shouldContain("has no reference field cents");
        jpmem(2, "frobnicate", file);
        checkDump(file);
        PmemTest.check(before.equals(PmemTest.fingerprint(file)), "jpmem changed the file");

        // A crash with a transaction open: reported, and the file still checks out.
        OutputAnalyzer crash = PmemTest.runMain(TestJpmem.class, PmemTest.flags(file), "crash");
        crash.shouldHaveExitValue(97);
        jpmem(0, "info", file).shouldContain("1 unfinished: the next start rolls them back");
        jpmem(0, "check", file).shouldContain("1 unfinished transaction(s)").shouldContain("no problem found");
        String crashDump = Path.of("crashed-" + ProcessHandle.current().pid() + ".hprof").toAbsolutePath().toString();
        jpmem(0, "dump", file, crashDump).shouldMatch("Dumped \\d+ reachable objects");
        Files.delete(Path.of(crashDump));
        String crashed = PmemTest.fingerprint(file);

        // Damaged copies: one line, exit 1, no stack trace.
        String damaged = copy(file, "header");
        patch(damaged, 40, 0x5a);   // inside the uuid: the checksum no longer holds
        jpmem(1, "info", damaged).shouldContain(damaged + " has a damaged header (checksum mismatch)");
        String truncated = copy(file, "truncated");
        try (RandomAccessFile f = new RandomAccessFile(truncated, "rw")) {
            f.setLength(f.length() / 2);
        }
        jpmem(1, "check", truncated).shouldContain(truncated + " is truncated or damaged");
        String foreign = copy(file, "foreign");
        patch(foreign, 0, 'X');
        jpmem(1, "roots", foreign).shouldContain(foreign + " is not a pmem-jdk heap file");
        jpmem(1, "info", file + ".nosuch").shouldContain("no such file");

        // A reachable object's class word and a reference field damaged: check names each with its offset.
        long objects = Long.parseLong(find(info.getOutput(), "objects at (\\d+)"));
        long first = Long.parseLong(find(print.getOutput(), "first @(\\d+):"));
        long next = Long.parseLong(find(print.getOutput(), "\\+(\\d+)\\s+TestJpmem\\$Order next"));
        long address = Long.parseLong(find(info.getOutput(), "last mapped at  0x([0-9a-f]+)"), 16);
        long base = Long.parseLong(find(info.getOutput(), "narrow oop base 0x([0-9a-f]+)"), 16);
        long shift = Long.parseLong(find(info.getOutput(), "narrow oop base 0x[0-9a-f]+, shift (\\d+)"));
        String badRef = copy(file, "badref");   // a reference into the middle of the object
        patchInt(badRef, objects + first + next, (int) ((address + first + 16 - base) >> shift));
        jpmem(1, "check", badRef).shouldMatch("PROBLEM reference at offset " + (first + next)
                + " \\(in a TestJpmem\\$Order at " + first + "\\) names offset " + (first + 16)
                + ", where no object starts");
        String farRef = copy(file, "farref");   // a reference off the file, after an orderly exit
        patchInt(farRef, objects + first + next, 0x00ffff01);
        jpmem(1, "check", farRef).shouldMatch("PROBLEM reference at offset " + (first + next)
                + " \\(in a TestJpmem\\$Order at " + first + "\\) names no object of the file");
        String badType = copy(file, "badtype");
        patchInt(badType, objects + first + 8, 0x7777);   // the class word
        jpmem(1, "check", badType).shouldContain("PROBLEM object at offset " + first + ": its type")
            .shouldContain("problem(s) found");
        PmemTest.check(crashed.equals(PmemTest.fingerprint(file)), "jpmem changed the file");

        // A compaction cut short: its references are in an intermediate placement, so check says
        // what it checked (not damage); once the next start finished it, the full check passes.
        String compacting = PmemTest.heapFile("jpmem-compact");
        PmemTest.ok(PmemTest.runMain(TestJpmem.class, PmemTest.flags(compacting), "write"));
        OutputAnalyzer cut = PmemTest.runMain(TestJpmem.class, PmemTest.concat(PmemTest.flags(compacting),
                new String[] {"-XX:+UnlockDiagnosticVMOptions", "-XX:PmemFaultPoint=compact-rewritten"}), "compact");
        cut.shouldHaveExitValue(97);
        jpmem(0, "info", compacting).shouldContain("unfinished work a compaction: the next start finishes it");
        jpmem(0, "check", compacting).shouldContain("a compaction was interrupted").shouldContain("no problem found");
        PmemTest.ok(PmemTest.runMain(TestJpmem.class, PmemTest.flags(compacting), "read"));
        jpmem(0, "info", compacting).shouldContain("unfinished work none");
        jpmem(0, "check", compacting).shouldMatch("checked .*: \\d+ objects in the used part, \\d+ reachable")
            .shouldContain("no problem found");
        PmemTest.cleanup();
    }

    /**
     * jpmem dump, read back: the reachable dump has the 1000 orders with
     * their fields, Strings and arrays; the named objects are roots;
     * --all dumps at least as much; an existing file is not overwritten.
     */
    static void checkDump(String file) throws Exception {
        String hprof = Path.of("jpmem-" + ProcessHandle.current().pid() + ".hprof").toAbsolutePath().toString();
        Files.deleteIfExists(Path.of(hprof));
        jpmem(0, "dump", file, hprof).shouldMatch("Dumped \\d+ reachable objects \\(\\d+K\\) of .* to " + hprof);
        jpmem(1, "dump", file, hprof).shouldContain(hprof + " exists; jpmem does not overwrite files");
        try (Snapshot snap = Reader.readFile(hprof, false, 0)) {
            snap.resolve(true);
            JavaClass order = snap.findClass("TestJpmem$Order");
            PmemTest.check(order != null, "no class TestJpmem$Order in the dump");
            PmemTest.check(order.getInstancesCount(false) == 1000, "orders: " + order.getInstancesCount(false));
            JavaObject c999 = null;
            for (var e = order.getInstances(false); e.hasMoreElements(); ) {
                JavaObject o = (JavaObject) e.nextElement();
                if (o.getField("cents").toString().equals("999")) c999 = o;
            }
            PmemTest.check(c999 != null, "no order with cents 999");
            PmemTest.check(c999.getField("customer").toString().equals("c999"), "customer " + c999.getField("customer"));
            JavaObject next = (JavaObject) c999.getField("next");
            PmemTest.check(next.getField("cents").toString().equals("998"), "next " + next.getField("cents"));
            JavaValueArray items = (JavaValueArray) c999.getField("items");
            PmemTest.check(items.valueString().equals("{997, 998, 999}"), "items " + items.valueString());
            JavaClass shop = snap.findClass("TestJpmem$Shop");
            PmemTest.check(shop.getInstancesCount(false) == 1, "shops: " + shop.getInstancesCount(false));
            JavaObject theShop = (JavaObject) shop.getInstances(false).nextElement();
            JavaObjectArray recent = (JavaObjectArray) theShop.getField("recent");
            PmemTest.check(recent.getLength() == 4 && ((JavaObject) recent.getElements()[2]).getField("cents")
                    .toString().equals("2"), "recent " + recent);
            PmemTest.check(snap.findClass("java.util.HashMap").getInstancesCount(false) >= 1, "no HashMap");
            int rooted = 0;
            for (Root r : snap.getRootsArray()) {
                JavaHeapObject o = snap.findThing(r.getId());
                if (o == theShop || o == c999) rooted++;
            }
            PmemTest.check(rooted >= 2, "the named objects are not roots (" + rooted + ")");
        }
        Files.delete(Path.of(hprof));
        OutputAnalyzer all = jpmem(0, "dump", file, hprof, "--all");
        long n = Long.parseLong(find(all.getOutput(), "Dumped (\\d+) objects"));
        PmemTest.check(n >= 3000, "--all dumped " + n + " objects");
        try (Snapshot snap = Reader.readFile(hprof, false, 0)) {
            snap.resolve(false);
            PmemTest.check(snap.findClass("TestJpmem$Order").getInstancesCount(false) == 1000, "--all orders");
        }
        Files.delete(Path.of(hprof));
    }

    static String find(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        PmemTest.check(m.find(), "no " + regex + " in:\n" + text);
        return m.group(1);
    }

    static String copy(String file, String name) throws Exception {
        String c = PmemTest.heapFile(name);
        Files.copy(Path.of(file), Path.of(c));
        return c;
    }

    static void patch(String file, long at, int b) throws Exception {
        try (RandomAccessFile f = new RandomAccessFile(file, "rw")) {
            f.seek(at);
            f.write(b);
        }
    }

    static void patchInt(String file, long at, int v) throws Exception {
        try (RandomAccessFile f = new RandomAccessFile(file, "rw")) {
            f.seek(at);
            f.writeInt(Integer.reverseBytes(v));
        }
    }

    /** Runs build/jdk's bin/jpmem; it must exit with rc and print no stack trace. */
    static OutputAnalyzer jpmem(int rc, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(System.getProperty("test.jdk") + "/bin/jpmem"));
        cmd.addAll(List.of(args));
        OutputAnalyzer out = new OutputAnalyzer(new ProcessBuilder(cmd).start());
        System.out.println("[jpmem] " + String.join(" ", args) + " -> exit " + out.getExitValue() + "\n" + out.getOutput());
        out.shouldHaveExitValue(rc);
        out.shouldNotContain("Exception").shouldNotMatch("\\tat [a-z]");
        return out;
    }

    static void child(String what) {
        switch (what) {
            case "write" -> Pmem.txn(() -> {
                Shop s = new Shop();
                Order prev = null;
                for (int i = 0; i < 1000; i++) {
                    Order o = new Order();
                    o.customer = "c" + i;
                    o.cents = i;
                    o.next = prev;
                    o.items = new int[] {i - 2, i - 1, i};
                    s.byCustomer.put(o.customer, o);
                    s.log.add("order " + i);
                    if (i < 4) s.recent[i] = o;
                    prev = o;
                }
                Pmem.setRoot(s);
                Pmem.put("shop", s);
                Pmem.put("first", prev);
                return null;
            });
            case "crash" -> {
                Shop s = Pmem.get("shop", Shop.class);
                Pmem.txn(() -> {
                    s.recent[0].cents = -1;
                    Runtime.getRuntime().halt(97);
                    return null;
                });
            }
            case "compact" -> {
                // Half of the orders become garbage, between live ones: something to slide down.
                Shop s = Pmem.get("shop", Shop.class);
                Pmem.txn(() -> {
                    s.byCustomer.keySet().removeIf(k -> Integer.parseInt(k.substring(1)) % 2 == 0);
                    s.log.clear();
                    return null;
                });
                Pmem.compact();
                System.out.println("COMPACTED");
            }
            case "read" -> {
                Shop s = Pmem.get("shop", Shop.class);
                PmemTest.check(s.byCustomer.size() == 500 && s.byCustomer.get("c999").cents == 999,
                               "orders after the compaction: " + s.byCustomer.size());
                System.out.println("ALL CHECKS PASSED");
            }
            default -> throw new IllegalArgumentException(what);
        }
    }
}
