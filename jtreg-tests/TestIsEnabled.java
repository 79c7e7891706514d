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
 * @summary Pmem.isEnabled() and Pmem.fileName() tell whether the JVM runs
 *          with a persistent heap and which file backs it (%p expanded).
 * @library /test/lib /pmem/lib
 * @modules java.base/jdk.internal.pmem
 * @run driver TestIsEnabled
 */

import jdk.internal.pmem.Pmem;
import jdk.test.lib.process.OutputAnalyzer;

public class TestIsEnabled {
    public static void main(String[] args) throws Exception {
        if (args.length > 0) {  // the child
            System.out.println("enabled=" + Pmem.isEnabled());
            System.out.println("file=" + Pmem.fileName());
            System.out.println("pid=" + ProcessHandle.current().pid());
            if (!Pmem.isEnabled()) {
                try {
                    Pmem.isFirstRun();
                    System.out.println("isFirstRun did not throw");
                } catch (IllegalStateException e) {
                    System.out.println("ISE: " + e.getMessage());
                }
            }
            return;
        }

        OutputAnalyzer off = PmemTest.runMain(TestIsEnabled.class, new String[0], "child");
        off.shouldHaveExitValue(0);
        off.shouldContain("enabled=false");
        off.shouldContain("file=null");
        off.shouldContain("ISE: no persistent heap: start the JVM with -XX:+UsePersistentHeap -XX:PmemFile=<path>");

        String file = PmemTest.heapFile("enabled");
        OutputAnalyzer on = PmemTest.runMain(TestIsEnabled.class,
            PmemTest.flags(file), "child");
        on.shouldHaveExitValue(0);
        on.shouldContain("enabled=true");
        on.shouldContain("file=" + file);

        // %p expands to the child's process id, as -Xlog file names do.
        String pattern = PmemTest.heapFile("pid-%p");
        OutputAnalyzer pid = PmemTest.runMain(TestIsEnabled.class,
            PmemTest.flags(pattern), "child");
        pid.shouldHaveExitValue(0);
        String childPid = pid.firstMatch("pid=(\\d+)", 1);
        pid.shouldContain("file=" + pattern.replace("%p", childPid));
        java.nio.file.Files.deleteIfExists(java.nio.file.Path.of(pattern.replace("%p", childPid)));
        PmemTest.cleanup();
    }
}
