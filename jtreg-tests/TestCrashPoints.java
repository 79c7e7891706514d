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
 * @summary A JVM that dies while creating the heap file leaves no file; one
 *          that dies while refilling an allocation buffer leaves a heap that
 *          verifies and holds every object it had linked; write-back uses
 *          cache-line flushes where the file is (or is declared) pmem.
 * @library /test/lib /pmem/lib
 * @modules java.base/jdk.internal.pmem
 * @run driver TestCrashPoints
 */

import java.io.File;

import jdk.internal.pmem.Pmem;
import jdk.test.lib.process.OutputAnalyzer;
import jdk.test.lib.process.ProcessTools;

public class TestCrashPoints {
    static class Node {
        long value;
        Node next;
        long[] payload;
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0) {
            grow(Integer.parseInt(args[0]));
            return;
        }
        // Dying while the file is created leaves no file at all.
        for (String point : new String[] {"create-allocated", "create-written"}) {
            String file = PmemTest.heapFile(point);
            OutputAnalyzer dead = crash(file, point, 1, "100");
            dead.shouldContain("pmem fault point " + point + " reached");
            if (new File(file).exists()) throw new RuntimeException(point + ": a half-made file was left");
            OutputAnalyzer next = child(file, "100");
            next.shouldContain("first=true");
        }

        // Dying in the middle of allocation: the linked prefix survives.
        String file = PmemTest.heapFile("refill");
        long expected = 0;
        for (int n : new int[] {2, 5, 9}) {
            crash(file, "refill", n, "1000000").shouldContain("pmem fault point refill reached");
            OutputAnalyzer after = child(file, "0");   // attach, verify, walk the list
            long len = Long.parseLong(after.firstMatch("length=(\\d+)", 1));
            if (len < expected) throw new RuntimeException("lost nodes: " + len + " < " + expected);
            expected = len;
        }
        if (expected == 0) throw new RuntimeException("nothing was ever linked");

        // Write-back method: none on /dev/shm (a memory file system: only a
        // process crash to survive), cache-line flushes when declared pmem.
        String wb = PmemTest.heapFile("writeback");
        child(wb, "10").shouldContain("Persistence domain: memory-file-system")
                       .shouldContain("Write-back: none needed (fences only)");
        ProcessBuilder pb = ProcessTools.createLimitedTestJavaProcessBuilder(PmemTest.concat(
            PmemTest.flags(wb), new String[] {"-Xlog:gc+pmem=info", "--add-exports",
            "java.base/jdk.internal.pmem=ALL-UNNAMED", "-cp", System.getProperty("test.class.path"),
            "TestCrashPoints", "10"}));
        pb.environment().put("PMEM_IS_PMEM_FORCE", "1");
        OutputAnalyzer forced = new OutputAnalyzer(pb.start());
        forced.shouldHaveExitValue(0);
        forced.shouldContain("Persistence domain: emulated");
        forced.shouldContain("Write-back: pmem_flush and pmem_drain (cache-line write-back and fence)");
        forced.shouldContain("length=20");
        PmemTest.cleanup();
    }

    static OutputAnalyzer crash(String file, String point, int count, String nodes) throws Exception {
        OutputAnalyzer out = PmemTest.run(PmemTest.concat(PmemTest.flags(file), new String[] {
            "-XX:+UnlockDiagnosticVMOptions", "-XX:PmemFaultPoint=" + point, "-XX:PmemFaultCount=" + count,
            "-XX:PmemAllocationBufferSize=4k", "--add-exports", "java.base/jdk.internal.pmem=ALL-UNNAMED",
            "-cp", System.getProperty("test.class.path"), "TestCrashPoints", nodes}));
        out.shouldHaveExitValue(97);
        return out;
    }

    static OutputAnalyzer child(String file, String nodes) throws Exception {
        OutputAnalyzer out = PmemTest.runMain(TestCrashPoints.class,
            PmemTest.concat(PmemTest.flags(file), new String[] {"-Xlog:gc+pmem=info"}), nodes);
        System.out.println(out.getOutput());
        out.shouldHaveExitValue(0);
        return out;
    }

    // Checks the list under the root, then grows it by n nodes, each linked
    // only once it is complete and durable.
    static void grow(int n) {
        System.out.println("first=" + Pmem.isFirstRun());
        long len = 0;
        Node head = (Node) Pmem.root();
        for (Node x = head; x != null; x = x.next, len++) {
            if (x.value != countFrom(x) || x.payload == null || x.payload[0] != x.value) {
                throw new RuntimeException("bad node at " + len);
            }
        }
        for (int i = 0; i < n; i++) {
            Node node = Pmem.pnew(Node.class);
            node.payload = Pmem.pmake(long[].class, 16);
            node.payload[0] = head == null ? 0 : head.value + 1;
            Pmem.persist(node.payload);
            node.value = node.payload[0];
            node.next = head;
            Pmem.persist(node);
            Pmem.setRoot(node);
            head = node;
            len++;
        }
        System.out.println("length=" + len);
    }

    static long countFrom(Node x) {
        long c = 0;
        for (Node y = x.next; y != null; y = y.next) c++;
        return c;
    }
}
