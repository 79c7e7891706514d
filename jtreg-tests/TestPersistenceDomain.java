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
 * @summary Where durability ends is found at start and said in the log and
 *          by Pmem.persistenceDomain(): a memory file system, emulated
 *          persistent memory, an ordinary file; forced by
 *          -XX:PmemPersistenceDomain (a wrong value refused, the file
 *          unchanged). A committed transaction survives a crash in each mode.
 * @library /test/lib /pmem/lib
 * @modules java.base/jdk.internal.pmem
 * @run driver TestPersistenceDomain
 */

import java.nio.file.Files;
import java.nio.file.Path;

import jdk.internal.pmem.Pmem;
import jdk.test.lib.process.OutputAnalyzer;
import jdk.test.lib.process.ProcessTools;

public class TestPersistenceDomain {
    public static void main(String[] args) throws Exception {
        if (args.length > 0) {
            child(args);
            return;
        }
        String shm = PmemTest.heapFile("domain");   // on /dev/shm
        PmemTest.ok(run(shm, false, "count", "3")).shouldContain("Persistence domain: memory-file-system: a memory file system "
            + "(tmpfs): survives process crashes, not power loss").shouldContain("domain=memory-file-system");
        PmemTest.ok(run(shm, true, "check", "3")).shouldContain("Persistence domain: emulated: emulated persistent memory "
            + "(PMEM_IS_PMEM_FORCE=1 on a memory file system)").shouldContain("domain=emulated");

        // An ordinary file where the test runs (a disk file system here).
        Path disk = Path.of(System.getProperty("user.dir"), "domain-disk.heap").toAbsolutePath();
        boolean diskIsTmpfs = Files.getFileStore(disk.getParent()).type().equals("tmpfs");
        String expected = diskIsTmpfs ? "memory-file-system" : "msync";
        PmemTest.ok(run(disk.toString(), false, "count", "2")).shouldContain("Persistence domain: " + expected)
            .shouldContain("domain=" + expected);

        // Forced, each way; without DAX, a sysfs that says eADR changes nothing.
        PmemTest.ok(run(shm, false, "check", "3", "-XX:PmemPersistenceDomain=cpu-cache"))
            .shouldContain("Persistence domain: cpu-cache").shouldContain("Write-back: none needed (fences only)");
        PmemTest.ok(run(shm, false, "check", "3", "-XX:PmemPersistenceDomain=write-back"))
            .shouldContain("Persistence domain: write-back").shouldContain("Write-back: pmem_flush and pmem_drain");
        PmemTest.ok(run(shm, false, "check", "3", "-XX:PmemPersistenceDomain=msync"))
            .shouldContain("Persistence domain: msync").shouldContain("Write-back: msync");
        Path sysfs = fakeSysfs();
        PmemTest.ok(run(shm, false, "check", "3", "-XX:PmemSysfsRoot=" + sysfs))
            .shouldContain("Persistence domain: memory-file-system");
        PmemTest.failsUnchanged(shm, "-XX:PmemPersistenceDomain=adr is not one of auto, cpu-cache, write-back, msync",
                                "-XX:PmemPersistenceDomain=adr");

        // A crash right after the 5th commit: its value is there, in every mode.
        String[][] modes = {{}, {"-XX:PmemPersistenceDomain=cpu-cache"}, {"-XX:PmemPersistenceDomain=write-back"},
                            {"-XX:PmemPersistenceDomain=msync"}};
        for (String[] mode : modes) {
            String f = PmemTest.heapFile("domain-crash");
            Files.deleteIfExists(Path.of(f));
            OutputAnalyzer c = run(f, false, "count", "100", PmemTest.concat(mode, new String[] {
                "-XX:PmemFaultPoint=commit-retired", "-XX:PmemFaultCount=6"}));
            c.shouldHaveExitValue(97);
            PmemTest.ok(run(f, false, "check", "5", mode));
        }
        Files.deleteIfExists(disk);
        PmemTest.cleanup();
    }

    static Path fakeSysfs() throws Exception {
        Path root = Files.createTempDirectory(Path.of(System.getProperty("user.dir")), "sysfs");
        Path region = Files.createDirectories(root.resolve("bus/nd/devices/region0"));
        Files.writeString(region.resolve("persistence_domain"), "cpu_cache\n");
        return root.toAbsolutePath();
    }

    static OutputAnalyzer run(String file, boolean forcePmem, String what, String n, String... extra) throws Exception {
        String[] args = PmemTest.concat(PmemTest.flags(file), new String[] {"-XX:+UnlockDiagnosticVMOptions"}, extra,
            new String[] {"-Xlog:gc+pmem=info", "--add-exports", "java.base/jdk.internal.pmem=ALL-UNNAMED",
                          "-cp", System.getProperty("test.class.path"), "TestPersistenceDomain", what, n});
        ProcessBuilder pb = ProcessTools.createLimitedTestJavaProcessBuilder(args);
        if (forcePmem) {
            pb.environment().put("PMEM_IS_PMEM_FORCE", "1");
        }
        OutputAnalyzer out = new OutputAnalyzer(pb.start());
        System.out.println("[child] " + String.join(" ", args) + " -> exit " + out.getExitValue());
        System.out.println(out.getOutput());
        return out;
    }

    static void child(String[] args) {
        int n = Integer.parseInt(args[1]);
        long[] counter = Pmem.get("counter", long[].class);
        if (args[0].equals("count")) {
            if (counter == null) {
                counter = Pmem.txn(() -> {
                    long[] c = new long[1];
                    Pmem.put("counter", c);
                    return c;
                });
            }
            final long[] c = counter;
            for (int i = 1; i <= n; i++) {
                final int v = i;
                Pmem.txn(() -> { c[0] = v; });
            }
        }
        PmemTest.check(counter != null && counter[0] == n, "counter " + (counter == null ? "missing" : counter[0])
                       + ", expected " + n);
        System.out.println("domain=" + Pmem.persistenceDomain());
    }
}
