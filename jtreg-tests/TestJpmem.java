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
 *          histo, roots and print on a healthy file, on one a crash left
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
        PmemTest.check(before.equals(PmemTest.fingerprint(file)), "jpmem changed the file");

        // A crash with a transaction open: reported, and the file still checks out.
        OutputAnalyzer crash = PmemTest.runMain(TestJpmem.class, PmemTest.flags(file), "crash");
        crash.shouldHaveExitValue(97);
        jpmem(0, "info", file).shouldContain("1 unfinished: the next start rolls them back");
        jpmem(0, "check", file).shouldContain("1 unfinished transaction(s)").shouldContain("no problem found");
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
        PmemTest.cleanup();
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
            default -> throw new IllegalArgumentException(what);
        }
    }
}
