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
 * @summary -XX:PmemMaxSize: a full persistent heap grows online from 64 MB
 *          to 4 GB under a workload, and what it holds survives restarts
 *          (also without the flag, and with stores from C1 and C2 into the
 *          grown part); a crash at every step of a growth, and under the
 *          persistence-domain simulator, leaves the old or the new size
 *          and every acknowledged transaction; a file cut shorter than it
 *          grew and a damaged region table are refused with one line and
 *          left unchanged.
 * @library /test/lib /pmem/lib
 * @modules java.base/jdk.internal.pmem
 * @run driver/timeout=900 TestGrowth
 */

import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

import jdk.internal.pmem.Pmem;
import jdk.test.lib.process.OutputAnalyzer;

public class TestGrowth {
    static final class Root {
        Object[] chunks;
        int count;
    }

    static void check(boolean ok, String what) {
        if (!ok) throw new RuntimeException("FAILED: " + what);
    }

    static byte fill(int i, int j) {
        return (byte) (i * 31 + j * 7);
    }

    static Root root(int slots) {
        Root r = (Root) Pmem.root();
        if (r == null) {
            Root n = Pmem.pnew(Root.class);
            n.chunks = Pmem.pmake(Object[].class, slots);
            Pmem.setRoot(n);
            r = n;
        }
        return r;
    }

    // Adds chunks of size bytes until the heap holds total bytes of them;
    // each is linked in a transaction and acknowledged.
    static void fillUp(long total, int size, int slots) {
        Root r = root(slots);
        while ((long) r.count * size < total && r.count < slots) {
            int i = r.count;
            byte[] b = Pmem.pmake(byte[].class, size);
            for (int j = 0; j < size; j += 4096) b[j] = fill(i, j);
            b[size - 1] = fill(i, size - 1);
            Pmem.persist(b);
            Pmem.txn(() -> {
                r.chunks[i] = b;
                r.count = i + 1;
            });
            System.out.println("ACK " + (i + 1) + " capacity " + Pmem.capacityBytes());
        }
    }

    static void verify(int acked, long minCapacity) {
        Root r = (Root) Pmem.root();
        if (r == null) {
            check(acked == 0, "root lost after " + acked + " acknowledged chunks");
            return;
        }
        check(r.count >= acked, r.count + " chunks, " + acked + " acknowledged");
        for (int i = 0; i < r.count; i++) {
            byte[] b = (byte[]) r.chunks[i];
            check(b != null, "chunk " + i + " missing");
            for (int j = 0; j < b.length; j += 4096) {
                check(b[j] == fill(i, j), "chunk " + i + " byte " + j);
            }
            check(b[b.length - 1] == fill(i, b.length - 1), "chunk " + i + " last byte");
        }
        check(Pmem.capacityBytes() >= minCapacity, "capacity " + Pmem.capacityBytes() + " < " + minCapacity);
        System.out.println("chunks " + r.count + " capacity " + Pmem.capacityBytes());
    }

    // Rewrites every chunk's first bytes in transactions, many times, so that
    // C1 or C2 compile the stores (into objects of the grown part), then
    // halts without an orderly exit: the commits must be durable already.
    static void compiledStores(int round) {
        Root r = (Root) Pmem.root();
        for (int k = 0; k < 1500; k++) {
            for (int i = 0; i < r.count; i++) {
                byte[] b = (byte[]) r.chunks[i];
                int v = k;
                Pmem.txn(() -> { b[1] = (byte) v; b[2] = (byte) round; });
            }
        }
        System.out.println("STEP DONE");
        Runtime.getRuntime().halt(0);
    }

    static void checkStores(int round) {
        Root r = (Root) Pmem.root();
        for (int i = 0; i < r.count; i++) {
            byte[] b = (byte[]) r.chunks[i];
            check(b[1] == (byte) 1499 && b[2] == (byte) round, "chunk " + i + " store of round " + round);
        }
    }

    static int lastAck(OutputAnalyzer out) {
        int ack = 0;
        for (String l : out.asLines()) {
            if (l.startsWith("ACK ")) ack = Integer.parseInt(l.split(" ")[1]);
        }
        return ack;
    }

    static String[] flags(String file, String size, String max) {
        return PmemTest.concat(PmemTest.flags(file), new String[] {"-XX:PmemSize=" + size, "-XX:PmemMaxSize=" + max,
                                                                 "-Xlog:gc+pmem=info"});
    }

    static void ok(OutputAnalyzer out) {
        System.out.println(out.getOutput());
        out.shouldHaveExitValue(0);
        out.shouldContain("STEP DONE");
    }

    // A header field: region_table_offset at 56, objects_offset at 136.
    static long headerField(String file, int at) throws Exception {
        try (RandomAccessFile f = new RandomAccessFile(file, "r")) {
            byte[] h = new byte[256];
            f.readFully(h);
            return ByteBuffer.wrap(h).order(ByteOrder.LITTLE_ENDIAN).getLong(at);
        }
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0) {
            switch (args[0]) {
                case "fill" -> fillUp(Long.parseLong(args[1]), Integer.parseInt(args[2]), Integer.parseInt(args[3]));
                case "verify" -> verify(Integer.parseInt(args[1]), Long.parseLong(args[2]));
                case "stores" -> compiledStores(Integer.parseInt(args[1]));
                case "checkStores" -> checkStores(Integer.parseInt(args[1]));
                default -> throw new IllegalArgumentException(args[0]);
            }
            System.out.println("STEP DONE");
            return;
        }
        try {
            // 64 MB to 4 GB under a workload of 4 MB chunks.
            String big = PmemTest.heapFile("big");
            OutputAnalyzer fill = PmemTest.runMain(TestGrowth.class, flags(big, "64m", "4g"),
                                                   "fill", String.valueOf(3900L << 20), String.valueOf(4 << 20), "1000");
            ok(fill);
            fill.shouldContain("Grew ");
            check(Files.size(Path.of(big)) >= 4000L << 20, "file size " + Files.size(Path.of(big)));
            // Again, with and without the flag: the size it grew to stays.
            ok(PmemTest.runMain(TestGrowth.class, flags(big, "64m", "4g"), "verify", "975", String.valueOf(3900L << 20)));
            ok(PmemTest.runMain(TestGrowth.class, PmemTest.flags(big), "verify", "975", String.valueOf(3900L << 20)));
            Files.delete(Path.of(big));

            // Stores from the interpreter, C1 and C2 into objects of the grown part.
            String grown = PmemTest.heapFile("tiers");
            ok(PmemTest.runMain(TestGrowth.class, flags(grown, "16m", "256m"), "fill",
                                String.valueOf(100L << 20), String.valueOf(1 << 20), "200"));
            String[][] tiers = {{"-Xint"}, {"-XX:TieredStopAtLevel=1"}, {"-XX:-TieredCompilation"}};
            for (int t = 0; t < tiers.length; t++) {
                ok(PmemTest.runMain(TestGrowth.class, PmemTest.concat(flags(grown, "16m", "256m"), tiers[t]),
                                    "stores", String.valueOf(t)));
                ok(PmemTest.runMain(TestGrowth.class, flags(grown, "16m", "256m"), "checkStores", String.valueOf(t)));
            }

            // Refusals, the file unchanged: cut shorter than it grew; a damaged region table.
            long used = Files.size(Path.of(grown));
            try (RandomAccessFile f = new RandomAccessFile(grown, "rw")) {
                f.setLength(used - (8 << 20));
            }
            PmemTest.failsUnchanged(grown, grown + " is truncated: it is " + (used - (8 << 20))
                                    + " bytes long, but its objects area grew to end at " + used);
            try (RandomAccessFile f = new RandomAccessFile(grown, "rw")) {
                f.setLength(used);
                long at = headerField(grown, 56);
                f.seek(at + 3);
                f.write(7);
            }
            PmemTest.failsUnchanged(grown, grown + " is damaged: region 3 (file offset " + (3 << 20)
                                    + ") has memory type 7 in the region table at file offset "
                                    + (headerField(grown, 56) + 3) + ", expected "
                                    + ((3 << 20) < headerField(grown, 136) ? 1 : 2));

            // Crashes at each step of a growth: the old or the new size, and
            // every acknowledged chunk; then the workload goes on.
            int crashes = 0;
            String[][] points = {{"grow-extended", "1"}, {"grow-extended", "2"}, {"grow-recorded", "1"},
                                 {"grow-recorded", "3"}};
            for (String[] p : points) {
                String file = PmemTest.heapFile("fault-" + p[0] + p[1]);
                OutputAnalyzer out = PmemTest.runMain(TestGrowth.class, PmemTest.concat(flags(file, "16m", "512m"),
                        new String[] {"-XX:+UnlockDiagnosticVMOptions", "-XX:PmemFaultPoint=" + p[0],
                                      "-XX:PmemFaultCount=" + p[1]}),
                        "fill", String.valueOf(400L << 20), String.valueOf(1 << 20), "500");
                out.shouldHaveExitValue(97);
                crashes++;
                ok(PmemTest.runMain(TestGrowth.class, flags(file, "16m", "512m"), "verify",
                                    String.valueOf(lastAck(out)), "0"));
                ok(PmemTest.runMain(TestGrowth.class, flags(file, "16m", "512m"), "fill",
                                    String.valueOf(400L << 20), String.valueOf(1 << 20), "500"));
                ok(PmemTest.runMain(TestGrowth.class, flags(file, "16m", "512m"), "verify", "400", "0"));
                Files.delete(Path.of(file));
            }
            // The simulator: only written-back lines reach the file.
            Random rnd = new Random();
            long seed = rnd.nextLong();
            System.out.println("simulator seed " + seed);
            rnd = new Random(seed);
            for (int i = 0; i < 24; i++) {
                String file = PmemTest.heapFile("simulator");
                OutputAnalyzer out = PmemTest.runMain(TestGrowth.class, PmemTest.concat(flags(file, "16m", "256m"),
                        new String[] {"-XX:+UnlockDiagnosticVMOptions"}, PmemTest.simulatorCrash(rnd, 3000, false)),
                        "fill", String.valueOf(200L << 20), String.valueOf(256 << 10), "1000");
                int rc = out.getExitValue();
                check(rc == 97 || rc == 0, "simulator run exit " + rc + "\n" + out.getOutput());
                crashes += rc == 97 ? 1 : 0;
                ok(PmemTest.runMain(TestGrowth.class, flags(file, "16m", "256m"), "verify",
                                    String.valueOf(lastAck(out)), "0"));
                Files.delete(Path.of(file));
            }
            System.out.println("crashes survived: " + crashes);
            check(crashes >= 20, "too few crashes: " + crashes);
        } finally {
            PmemTest.cleanup();
        }
    }
}
