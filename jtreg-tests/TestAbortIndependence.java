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
 * @summary A rollback undoes only what its own transaction stored. One
 *          thread commits increments of element 0 (of a long[], int[],
 *          byte[] and Object[]) or of one int field, while another stores
 *          into element 1 (or the neighbouring field) and aborts: every
 *          committed increment must survive the other thread's aborts, in
 *          the interpreter, C1, C2 and tiered, with and without the
 *          persistence-domain simulator. Then the same workload crashes at
 *          fault points, at random write-backs under the simulator and at
 *          random kill -9 moments, while the aborting thread's transaction
 *          is open: after recovery every acknowledged commit is there and
 *          none of the aborting thread's stores is.
 * @library /test/lib /pmem/lib
 * @modules java.base/jdk.internal.pmem
 * @run driver/timeout=1200 TestAbortIndependence
 */

import java.io.File;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Random;

import jdk.internal.pmem.Pmem;
import jdk.test.lib.process.OutputAnalyzer;

public class TestAbortIndependence {
    // The variables the two threads share a cache line (and an object) in.
    static final class Cells {
        long[] longs;
        int[] ints;
        byte[] bytes;
        Object[] refs;
        Pair pair;
        Node poison;    // what the aborting thread stores into refs[1]
    }

    static final class Pair {
        int counter;    // the committing thread's
        int other;      // the aborting thread's, right beside it
    }

    static final class Node {
        long value;
    }

    static final String[] KINDS = {"long", "int", "byte", "ref", "field"};

    static final String[][] TIERS = PmemTest.TIERS;

    public static void main(String[] args) throws Exception {
        if (args.length > 0) {
            child(args);
            return;
        }
        String file = PmemTest.heapFile("independence");
        // 1. No crash: all kinds in each tier, with and without the simulator.
        for (String[] tier : TIERS) {
            for (boolean sim : new boolean[] {false, true}) {
                String[] jvm = PmemTest.concat(tier, PmemTest.flags(file),
                        sim ? new String[] {"-XX:+UnlockDiagnosticVMOptions", "-XX:+PmemSimulator"} : new String[0]);
                OutputAnalyzer out = PmemTest.runMain(TestAbortIndependence.class, jvm, "run", "600");
                System.out.println(out.getOutput());
                out.shouldHaveExitValue(0);
                out.shouldContain("ALL CHECKS PASSED");
            }
        }
        // 2. Crashes while the aborting thread's transaction is open.
        Random rnd = new Random(Long.getLong("seed", System.nanoTime()));
        String ack = file + ".ack";
        int crashes = 0, round = 0;
        String[][] faults = {
            {"-XX:PmemFaultPoint=log-appended", "-XX:PmemFaultCount=%d"},
            {"-XX:PmemFaultPoint=txn-stored", "-XX:PmemFaultCount=%d"},
            {"-XX:PmemFaultPoint=abort-restored", "-XX:PmemFaultCount=%d"},
            {"-XX:PmemFaultPoint=commit-written-back", "-XX:PmemFaultCount=%d"},
            {"-XX:+PmemSimulator", "-XX:PmemCrashAfterWritebacks=%d", "-XX:PmemSimulatorEvictPPM=20000"},
            {"kill"},
        };
        for (String kind : KINDS) {
            for (String[] fault : faults) {
                String[] tier = TIERS[round++ % TIERS.length];
                int count = 200 + rnd.nextInt(20_000);
                if (fault[0].equals("kill")) {
                    crashes += PmemTest.runKilled(TestAbortIndependence.class, PmemTest.concat(tier, PmemTest.flags(file)),
                                                500 + rnd.nextInt(1500), "crash", kind, ack, "60000");
                } else {
                    String[] f = new String[fault.length];
                    for (int i = 0; i < f.length; i++) f[i] = String.format(fault[i], count);
                    String[] jvm = PmemTest.concat(tier, new String[] {"-XX:+UnlockDiagnosticVMOptions"},
                                                   PmemTest.flags(file), f);
                    OutputAnalyzer out = PmemTest.runMain(TestAbortIndependence.class, jvm, "crash", kind, ack, "3000");
                    int rc = out.getExitValue();
                    if (rc != 97 && rc != 0) {
                        System.out.println(out.getOutput());
                        throw new RuntimeException("worker failed with exit " + rc);
                    }
                    crashes += rc == 97 ? 1 : 0;
                }
                check(file, kind, ack);
            }
        }
        System.out.println("crashes: " + crashes);
        if (crashes < 20) throw new RuntimeException("too few crashes: " + crashes);
        new File(ack).delete();
        PmemTest.cleanup();
    }

    static void check(String file, String kind, String ack) throws Exception {
        OutputAnalyzer out = PmemTest.runMain(TestAbortIndependence.class, PmemTest.flags(file), "check", kind, ack);
        if (out.getExitValue() != 0) {
            System.out.println(out.getOutput());
            throw new RuntimeException("a committed value was lost or an aborted one kept (" + kind + ")");
        }
        out.shouldContain("CHECK OK");
    }

    // ---- the child ----

    static void child(String[] args) throws Exception {
        Cells c = cells();
        switch (args[0]) {
            case "run" -> {
                for (String kind : KINDS) {
                    race(c, kind, Integer.parseInt(args[1]), null);
                }
                System.out.println("ALL CHECKS PASSED");
            }
            case "crash" -> {
                MappedByteBuffer ack = ackFile(args[2]);
                ack.putLong(0, read0(c, args[1]));
                race(c, args[1], Integer.parseInt(args[3]), ack);
            }
            case "check" -> {
                MappedByteBuffer ack = ackFile(args[2]);
                String kind = args[1];
                long v = read0(c, kind), acked = ack.getLong(0);
                long mask = mask(kind);
                // The commit in flight at the crash may or may not be there.
                if (((v - acked) & mask) > 1) {
                    throw new RuntimeException(kind + ": element 0 is " + v + " but " + acked + " was acknowledged");
                }
                checkUntouched(c, kind);
                ack.putLong(0, v);
                System.out.println("CHECK OK " + kind + " " + v + " acknowledged " + acked);
            }
            default -> throw new IllegalArgumentException(args[0]);
        }
    }

    static MappedByteBuffer ackFile(String path) throws Exception {
        try (FileChannel ch = FileChannel.open(Path.of(path), StandardOpenOption.CREATE,
                                               StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            return ch.map(FileChannel.MapMode.READ_WRITE, 0, 4096);
        }
    }

    static Cells cells() {
        Cells c = Pmem.get("cells", Cells.class);
        if (c != null) {
            return c;
        }
        return Pmem.txn(() -> {
            Cells n = Pmem.pnew(Cells.class);
            n.longs = Pmem.pmake(long[].class, 8);
            n.ints = Pmem.pmake(int[].class, 8);
            n.bytes = Pmem.pmake(byte[].class, 16);
            n.refs = Pmem.pmake(Object[].class, 8);
            n.pair = Pmem.pnew(Pair.class);
            n.poison = Pmem.pnew(Node.class);
            n.poison.value = -1;
            Node zero = Pmem.pnew(Node.class);
            n.refs[0] = zero;
            Pmem.put("cells", n);
            return n;
        });
    }

    static long mask(String kind) {
        return switch (kind) {
            case "long", "ref" -> -1L;
            case "int", "field" -> 0xffff_ffffL;
            default -> 0xffL;
        };
    }

    static long read0(Cells c, String kind) {
        return switch (kind) {
            case "long" -> c.longs[0];
            case "int" -> c.ints[0] & 0xffff_ffffL;
            case "byte" -> c.bytes[0] & 0xffL;
            case "ref" -> ((Node) c.refs[0]).value;
            default -> c.pair.counter & 0xffff_ffffL;
        };
    }

    static void checkUntouched(Cells c, String kind) {
        boolean ok = switch (kind) {
            case "long" -> c.longs[1] == 0;
            case "int" -> c.ints[1] == 0;
            case "byte" -> c.bytes[1] == 0;
            case "ref" -> c.refs[1] == null;
            default -> c.pair.other == 0;
        };
        if (!ok) throw new RuntimeException(kind + ": the aborting thread's store is still there");
    }

    // The committing thread's transaction body.
    static void increment(Cells c, int kind) {
        switch (kind) {
            case 0 -> c.longs[0]++;
            case 1 -> c.ints[0]++;
            case 2 -> c.bytes[0]++;
            case 3 -> {
                Node n = Pmem.pnew(Node.class);
                n.value = ((Node) c.refs[0]).value + 1;
                c.refs[0] = n;
            }
            default -> c.pair.counter++;
        }
    }

    // The aborting thread's transaction body: a store beside element 0, then an exception.
    static void spoil(Cells c, int kind) {
        switch (kind) {
            case 0 -> c.longs[1] = 42;
            case 1 -> c.ints[1] = 42;
            case 2 -> c.bytes[1] = 42;
            case 3 -> c.refs[1] = c.poison;
            default -> c.pair.other = 42;
        }
        throw new IllegalStateException("abort");
    }

    // Runs the two threads for millis; with ack, records each commit there
    // after Pmem.txn returns (what a crash must not lose).
    static void race(Cells c, String kindName, int millis, MappedByteBuffer ack) throws Exception {
        final int kind = java.util.Arrays.asList(KINDS).indexOf(kindName);
        final long start = read0(c, kindName);
        try {
            checkUntouched(c, kindName);   // a run before left it so, or its write-back did
        } catch (RuntimeException e) {
            throw new RuntimeException("at the start: " + e.getMessage());
        }
        final long deadline = System.nanoTime() + millis * 1_000_000L;
        final long[] commits = new long[1], aborts = new long[1];
        Thread committer = new Thread(() -> {
            long n = 0;
            while (System.nanoTime() < deadline) {
                Pmem.txn(() -> increment(c, kind));
                n++;
                if (ack != null) ack.putLong(0, start + n);
            }
            commits[0] = n;
        });
        Thread aborter = new Thread(() -> {
            long n = 0;
            while (System.nanoTime() < deadline) {
                try {
                    Pmem.txn(() -> spoil(c, kind));
                } catch (IllegalStateException expected) {
                    n++;
                }
            }
            aborts[0] = n;
        });
        committer.start();
        aborter.start();
        committer.join();
        aborter.join();
        long v = read0(c, kindName);
        long m = mask(kindName);
        System.out.println(kindName + ": " + commits[0] + " commits, " + aborts[0] + " aborts, element 0 "
                           + start + " -> " + v);
        if (((start + commits[0]) & m) != v) {
            throw new RuntimeException(kindName + ": " + commits[0] + " commits from " + start + " but element 0 is "
                                       + v + ": an abort undid committed stores");
        }
        if (aborts[0] == 0) throw new RuntimeException(kindName + ": the aborting thread never ran");
        checkUntouched(c, kindName);
    }
}
