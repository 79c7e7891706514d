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
 * @summary Bad heap files and settings end the JVM with a one-line message
 *          and leave the file exactly as it was.
 * @library /test/lib /pmem/lib
 * @modules java.base/jdk.internal.pmem
 * @run driver TestFileErrors
 */

import java.io.File;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import jdk.test.lib.process.OutputAnalyzer;
import jdk.test.lib.process.ProcessTools;

public class TestFileErrors {
    // Offsets in PmemFileHeader (gc/pmem/pmemFormat.hpp).
    static final int VERSION_OFFSET = 16;
    static final int CHECKSUM_OFFSET = 152;

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("hold")) {  // child: keep the file open
            System.out.println("holding " + jdk.internal.pmem.Pmem.fileName());
            Thread.sleep(60_000);
            return;
        }

        // Missing directory: named, and nothing is created.
        String noDir = "/nonexistent-pmem-dir-" + ProcessHandle.current().pid() + "/a.heap";
        PmemTest.failsWith("-XX:PmemFile=" + noDir + ": directory " + new File(noDir).getParent() + " does not exist",
                           PmemTest.concat(PmemTest.flags(noDir), new String[] {"-version"}));

        // A new file that cannot hold the metadata: refused before creation.
        String small = PmemTest.heapFile("small");
        OutputAnalyzer tooSmall = PmemTest.run(PmemTest.concat(PmemTest.flags(small),
                                               new String[] {"-XX:PmemSize=1m", "-version"}));
        tooSmall.shouldNotHaveExitValue(0);
        tooSmall.shouldMatch("persistent heap size 1024K is too small; at least \\d+K is needed");
        if (new File(small).exists()) throw new RuntimeException("too-small file was created");

        // A foreign file.
        String foreign = PmemTest.heapFile("foreign");
        Files.write(Path.of(foreign), "just some text, not a heap\n".repeat(200).getBytes());
        PmemTest.failsUnchanged(foreign, foreign + " is not a pmem-jdk heap file");

        // A good file, made by a first run.
        String good = PmemTest.heapFile("good");
        PmemTest.run(PmemTest.concat(PmemTest.flags(good), new String[] {"-version"})).shouldHaveExitValue(0);
        long size = new File(good).length();

        // Truncated copy.
        String truncated = PmemTest.heapFile("truncated");
        Files.copy(Path.of(good), Path.of(truncated));
        try (RandomAccessFile f = new RandomAccessFile(truncated, "rw")) { f.setLength(size / 2); }
        PmemTest.failsUnchanged(truncated, truncated + " is truncated: " + (size / 2) + " bytes, its header says " + size);

        // Newer format version (with a valid checksum, as a newer JVM would write it).
        String newer = PmemTest.heapFile("newer");
        Files.copy(Path.of(good), Path.of(newer));
        patchHeader(newer, VERSION_OFFSET, 99);
        PmemTest.failsUnchanged(newer, newer + " has heap format version 99, newer than this JVM's 1; open it with a newer pmem-jdk");

        // Layout flags that differ from the file's. (The reference width
        // alone converts the file: TestWidthChange; with another flag too
        // it is refused as it is.)
        PmemTest.failsUnchanged(good, good + " was created with -XX:+UseCompressedClassPointers; start this JVM with it too",
                                "-XX:-UseCompressedOops", "-XX:-UseCompressedClassPointers");
        PmemTest.failsUnchanged(good, good + " was created with -XX:+UseCompressedClassPointers; start this JVM with it too",
                                "-XX:-UseCompressedClassPointers");
        PmemTest.failsUnchanged(good, good + " was created with -XX:ObjectAlignmentInBytes=8; start this JVM with it too",
                                "-XX:ObjectAlignmentInBytes=16");

        // A second JVM on a file in use.
        ProcessBuilder pb = ProcessTools.createLimitedTestJavaProcessBuilder(PmemTest.concat(
            new String[] {"--add-exports", "java.base/jdk.internal.pmem=ALL-UNNAMED",
                          "-cp", System.getProperty("test.class.path")},
            PmemTest.flags(good), new String[] {TestFileErrors.class.getName(), "hold"}));
        Process holder = pb.start();
        try {
            String line = new java.io.BufferedReader(new java.io.InputStreamReader(holder.getInputStream())).readLine();
            if (line == null || !line.startsWith("holding ")) throw new RuntimeException("holder did not start: " + line);
            PmemTest.failsUnchanged(good, good + " is in use by another JVM");
        } finally {
            holder.destroyForcibly();
            holder.waitFor(30, TimeUnit.SECONDS);
        }
        // And the file is usable again once the holder is gone.
        PmemTest.run(PmemTest.concat(PmemTest.flags(good), new String[] {"-version"})).shouldHaveExitValue(0);

        PmemTest.cleanup();
    }

    // Sets a 4-byte header field and recomputes the header checksum (FNV-1a 64).
    static void patchHeader(String path, int offset, int value) throws Exception {
        try (RandomAccessFile f = new RandomAccessFile(path, "rw")) {
            byte[] h = new byte[CHECKSUM_OFFSET + 8];
            f.readFully(h);
            ByteBuffer b = ByteBuffer.wrap(h).order(ByteOrder.LITTLE_ENDIAN);
            b.putInt(offset, value);
            long fnv = 0xcbf29ce484222325L;
            for (int i = 0; i < CHECKSUM_OFFSET; i++) {
                fnv ^= (h[i] & 0xff);
                fnv *= 0x100000001b3L;
            }
            b.putLong(CHECKSUM_OFFSET, fnv);
            f.seek(0);
            f.write(h);
        }
    }
}
