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
 * @summary Garbage collection of the persistent heap: a table whose entries
 *          are replaced 100 times over stays within twice its live size in
 *          a file far smaller than all it allocated, and reads back right;
 *          what open transactions' logs hold survives a collection in the
 *          middle of the transaction and an abort after it; weakly held
 *          persistent objects are freed; a large allocation collects before
 *          OutOfMemoryError; class histograms and heap dumps see persistent
 *          objects; heap verification passes around every GC.
 * @library /test/lib /pmem/lib
 * @modules java.base/jdk.internal.pmem java.management jdk.management
 * @run driver/timeout=600 TestGC
 */

import java.lang.management.ManagementFactory;
import java.lang.ref.WeakReference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.management.ObjectName;

import com.sun.management.HotSpotDiagnosticMXBean;
import jdk.internal.pmem.Pmem;
import jdk.test.lib.process.OutputAnalyzer;

public class TestGC {
    static final int SLOTS = 20000;

    public static class Node {
        long value;
        Node next;
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0) {
            child(args);
            return;
        }
        churn();
        for (String mode : new String[] {"txnroots", "weak", "inspect", "bigalloc"}) {
            String file = PmemTest.heapFile(mode);
            OutputAnalyzer out = PmemTest.runMain(TestGC.class, PmemTest.concat(PmemTest.flags(file),
                new String[] {"-Xlog:gc+pmem", "-XX:PmemSize=32m"}), mode);
            System.out.println(out.getOutput());
            out.shouldHaveExitValue(0);
            out.shouldContain(mode + " ok");
            OutputAnalyzer again = PmemTest.runMain(TestGC.class, PmemTest.concat(PmemTest.flags(file),
                new String[] {"-XX:PmemSize=32m"}), mode + "-verify");
            System.out.println(again.getOutput());
            again.shouldHaveExitValue(0);
            again.shouldContain(mode + "-verify ok");
        }
        PmemTest.cleanup();
    }

    // 100 rounds of SLOTS replacements: about 100 times the live size
    // allocated in a 64 MB file.
    static void churn() throws Exception {
        String file = PmemTest.heapFile("churn");
        OutputAnalyzer out = PmemTest.runMain(TestGC.class, PmemTest.concat(PmemTest.flags(file),
            new String[] {"-Xlog:gc+pmem"}), "churn", "100");
        System.out.println(out.getOutput());
        out.shouldHaveExitValue(0);
        out.shouldContain("churn ok");
        long live = value(out, "live=(\\d+)");
        long maxUsed = value(out, "maxUsed=(\\d+)");
        long allocated = value(out, "allocated=(\\d+)");
        long maxTop = 0;
        int collections = 0;
        Matcher m = Pattern.compile("Persistent heap collected \\(.*top (\\d+)K of").matcher(out.getOutput());
        while (m.find()) {
            maxTop = Math.max(maxTop, Long.parseLong(m.group(1)) * 1024);
            collections++;
        }
        System.out.println("live " + live + ", max used " + maxUsed + ", max top " + maxTop + ", allocated "
                           + allocated + ", " + collections + " collections");
        if (allocated < 4 * 64L * 1024 * 1024) throw new RuntimeException("churn allocated too little: " + allocated);
        if (maxUsed > 2 * live) throw new RuntimeException("used grew past twice the live size");
        if (maxTop > 2 * live) throw new RuntimeException("the file's used part grew past twice the live size");
        if (collections < 10) throw new RuntimeException("too few collections: " + collections);

        // The next run reads every entry back, with the heap verified around
        // each GC while it churns some more.
        OutputAnalyzer again = PmemTest.runMain(TestGC.class, PmemTest.concat(PmemTest.flags(file),
            new String[] {"-Xlog:gc+pmem", "-XX:+UnlockDiagnosticVMOptions", "-XX:+VerifyBeforeGC",
                          "-XX:+VerifyAfterGC"}), "churn", "5");
        System.out.println(again.getOutput());
        again.shouldHaveExitValue(0);
        again.shouldContain("found round 100");
        again.shouldContain("churn ok");
    }

    static long value(OutputAnalyzer out, String regex) {
        Matcher m = Pattern.compile(regex).matcher(out.getOutput());
        if (!m.find()) throw new RuntimeException("no " + regex + " in output");
        return Long.parseLong(m.group(1));
    }

    static void check(boolean ok, String what) {
        if (!ok) throw new RuntimeException("check failed: " + what);
    }

    static void child(String[] args) throws Exception {
        switch (args[0]) {
            case "churn" -> churnChild(Integer.parseInt(args[1]));
            case "txnroots" -> txnRoots();
            case "txnroots-verify" -> txnRootsVerify();
            case "weak" -> weak();
            case "weak-verify", "bigalloc-verify", "inspect-verify" -> System.out.println(args[0] + " ok");
            case "inspect" -> inspect();
            case "bigalloc" -> bigAlloc();
            default -> throw new IllegalArgumentException(args[0]);
        }
    }

    static void churnChild(int rounds) {
        ChurnTable.Table t = ChurnTable.open("table", SLOTS);
        int start = t.rounds;
        System.out.println("found round " + start);
        check(ChurnTable.check(t) == start, "every entry of the last round");
        System.gc();
        long live = Pmem.usedBytes();
        long maxUsed = 0;
        long allocated = 0;
        for (int r = start + 1; r <= start + rounds; r++) {
            long before = Pmem.usedBytes();
            ChurnTable.round(t, 0, SLOTS, r);
            final int done = r;
            Pmem.txn(() -> { t.rounds = done; });
            maxUsed = Math.max(maxUsed, Pmem.usedBytes());
            allocated += live;   // a round replaces the whole table
        }
        check(ChurnTable.check(t) == start + rounds, "every entry of the last round after churning");
        System.out.println("live=" + live + " maxUsed=" + maxUsed + " allocated=" + allocated);
        System.out.println("churn ok");
    }

    // A collection in the middle of a transaction, then an abort: the undo
    // log puts back references to objects nothing else holds, into objects
    // nothing else holds, and both must be intact.
    static void txnRoots() {
        Node keep = Pmem.pnew(Node.class);     // reachable: named
        Node old = Pmem.pnew(Node.class);      // reachable only through keep.next
        old.value = 4242;
        keep.next = old;
        Pmem.put("keep", keep);
        Pmem.put("named", chain(3, 7000));
        old = null;
        List<Node> fresh = new ArrayList<>();
        Node loose = Pmem.pnew(Node.class);    // held only by this frame
        loose.next = chain(5, 9000);
        try {
            Pmem.txn(() -> {
                keep.next = Pmem.pnew(Node.class);   // old node: held by the log alone
                Pmem.put("named", Pmem.pnew(Node.class));   // named chain: by the log alone
                loose.value = 77;                     // loose: holder of an entry
                loose.next = null;                    // its chain: by the log alone
                System.gc();
                // Whatever the collection freed is reused now.
                for (int i = 0; i < 20000; i++) {
                    Node n = Pmem.pnew(Node.class);
                    n.value = i;
                    fresh.add(n);
                }
                throw new IllegalStateException("abort");
            });
        } catch (IllegalStateException expected) {
        }
        check(keep.next != null && keep.next.value == 4242, "the unlinked node came back intact");
        checkChain(Pmem.get("named", Node.class), 3, 7000);
        check(loose.value == 0, "the holder's field rolled back");
        checkChain(loose.next, 5, 9000);
        for (int i = 0; i < fresh.size(); i++) {
            check(fresh.get(i).value == i, "new objects untouched by the undo");
        }
        Pmem.put("loose", loose);
        System.gc();
        checkChain(Pmem.get("named", Node.class), 3, 7000);
        System.out.println("txnroots ok");
    }

    static void txnRootsVerify() {
        check(Pmem.get("keep", Node.class).next.value == 4242, "after restart");
        checkChain(Pmem.get("named", Node.class), 3, 7000);
        checkChain(Pmem.get("loose", Node.class).next, 5, 9000);
        System.out.println("txnroots-verify ok");
    }

    static Node chain(int n, long base) {
        Node head = null;
        for (int i = n - 1; i >= 0; i--) {
            Node x = Pmem.pnew(Node.class);
            x.value = base + i;
            x.next = head;
            head = x;
        }
        return head;
    }

    static void checkChain(Node head, int n, long base) {
        for (int i = 0; i < n; i++) {
            check(head != null && head.value == base + i, "chain element " + i);
            head = head.next;
        }
        check(head == null, "chain end");
    }

    // A persistent object only a WeakReference holds is freed and the
    // reference cleared; a strongly held one is not.
    static void weak() {
        System.gc();
        long base = Pmem.usedBytes();
        WeakReference<long[]> weak = new WeakReference<>(Pmem.pmake(long[].class, 100000));
        long[] strong = Pmem.pmake(long[].class, 1000);
        check(Pmem.usedBytes() >= base + 800000, "allocated");
        System.gc();
        check(weak.get() == null, "weakly reachable persistent array cleared");
        check(Pmem.usedBytes() < base + 800000, "and freed: " + Pmem.usedBytes());
        check(strong.length == 1000, "strong one kept");
        System.out.println("weak ok");
    }

    // Class histogram (jmap -histo, GC.class_histogram) and heap dumps
    // walk the persistent part too, free chunks included.
    static void inspect() throws Exception {
        Node[] held = new Node[1234];
        for (int i = 0; i < held.length; i++) {
            held[i] = Pmem.pnew(Node.class);
            Pmem.pnew(Node.class);   // garbage, swept below into free chunks
        }
        Pmem.setRoot(Pmem.pmake(Node[].class, 1));
        System.gc();
        String histo = (String) ManagementFactory.getPlatformMBeanServer().invoke(
            new ObjectName("com.sun.management:type=DiagnosticCommand"), "gcClassHistogram",
            new Object[] {new String[0]}, new String[] {String[].class.getName()});
        Matcher m = Pattern.compile("\\s(\\d+)\\s+\\d+\\s+TestGC\\$Node\\s").matcher(histo);
        check(m.find(), "TestGC$Node in the histogram");
        check(Integer.parseInt(m.group(1)) == held.length, "live count " + m.group(1));
        Path dump = Path.of(System.getProperty("java.io.tmpdir"), "pmem-gc-" + ProcessHandle.current().pid() + ".hprof");
        ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class).dumpHeap(dump.toString(), true);
        byte[] bytes = Files.readAllBytes(dump);
        Files.delete(dump);
        check(new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1).contains("TestGC$Node"), "dump names TestGC$Node");
        System.out.println("inspect ok (" + histo.lines().filter(l -> l.contains("TestGC$Node")).findFirst().get().trim() + ")");
    }

    // 24 MB of garbage fill a 32 MB file (27 MB of objects area); a 20 MB
    // array fits only once the garbage is collected. Held, a second does not.
    static void bigAlloc() {
        for (int i = 0; i < 24; i++) {
            Pmem.pmake(byte[].class, 1 << 20);
        }
        byte[] big = Pmem.pmake(byte[].class, 20 << 20);
        check(big.length == 20 << 20, "the big array fits after a collection");
        try {
            Pmem.pmake(byte[].class, 20 << 20);
            throw new RuntimeException("a second 20 MB array cannot fit");
        } catch (OutOfMemoryError e) {
            System.out.println(e.getMessage());
            check(e.getMessage().contains("after a full collection"), "message");
        }
        System.out.println("bigalloc ok");
    }
}
