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
 * @summary jcmd's PmemHeap.info, PmemHeap.verify and PmemHeap.compact on a
 *          running JVM's persistent heap; without -XX:+UsePersistentHeap
 *          jcmd lists none of them.
 * @library /test/lib /pmem/lib
 * @modules java.base/jdk.internal.pmem java.management
 * @run main/othervm -XX:+UsePersistentHeap -XX:PmemFile=/dev/shm/pmem-test-dcmd-%p.heap -XX:PmemSize=64m
 *                   -XX:PmemCompactPercent=100 TestDCmd
 * @run main/othervm TestDCmd off
 */

import java.io.File;

import jdk.internal.pmem.Pmem;
import jdk.test.lib.dcmd.CommandExecutor;
import jdk.test.lib.dcmd.JMXExecutor;
import jdk.test.lib.process.OutputAnalyzer;

public class TestDCmd {
    public static void main(String[] args) throws Exception {
        CommandExecutor jcmd = new JMXExecutor();
        if (args.length > 0) {
            jcmd.execute("help").shouldNotContain("PmemHeap");
            return;
        }
        String file = "/dev/shm/pmem-test-dcmd-" + ProcessHandle.current().pid() + ".heap";
        new File(file).deleteOnExit();
        jcmd.execute("help").shouldContain("PmemHeap.info").shouldContain("PmemHeap.verify")
            .shouldContain("PmemHeap.compact");

        // Arrays kept and as many dropped between them: fragmented free space.
        int n = 2000;
        Object[] keep = Pmem.pmake(Object[].class, n);
        Pmem.put("kept", keep);
        Object[] drop = new Object[n];
        for (int i = 0; i < n; i++) {
            long[] a = Pmem.pmake(long[].class, 100);
            a[0] = i;
            Pmem.persist(a);
            keep[i] = a;
            drop[i] = Pmem.pmake(long[].class, 100);
        }
        drop = null;
        System.gc();

        OutputAnalyzer info = jcmd.execute("PmemHeap.info");
        info.shouldContain("File:          " + file + " (format 1");
        info.shouldContain("Named objects: 1 of");
        info.shouldMatch("Free: +\\d+K in \\d+ chunks");
        info.shouldMatch("Collections: +\\d+ in this run \\(\\d+ incremental\\), 0 of them compacted");

        jcmd.execute("PmemHeap.verify").shouldContain("Verified " + file + ": no problem found");

        OutputAnalyzer compacted = jcmd.execute("PmemHeap.compact");
        compacted.shouldMatch("Compacted: free \\d+K in 1 chunk\\(s\\)");
        jcmd.execute("PmemHeap.info").shouldMatch("Collections: +\\d+ in this run \\(\\d+ incremental\\), 1 of them compacted");
        for (int i = 0; i < n; i++) {
            PmemTest.check(((long[]) keep[i])[0] == i, "array " + i + " after the compaction");
        }
        PmemTest.check(Pmem.get("kept", Object[].class) == keep, "the named object after the compaction");
        jcmd.execute("PmemHeap.verify").shouldContain("no problem found");
    }
}
