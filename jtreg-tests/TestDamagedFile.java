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
 * @summary Heap-file metadata is checked before it is trusted, and a
 *          refused start writes nothing. Copies of a good file get one
 *          damaged field each: header geometry with its checksum redone,
 *          state-area fields, the type table's count and name lengths, the
 *          named-object table's count, name lengths and references, a
 *          root that points into an object, klass values (duplicated, or
 *          held by no header), an undo log entry aimed at the header (its
 *          checksum redone), an object's klass word (found by
 *          VerifyPersistentHeap). Each start
 *          must end in a one-line error naming the field, no crash and no
 *          hs_err file, and leave the file byte for byte as it was. A start
 *          after a crash inside a transaction with the class path missing a
 *          class is refused before the transaction is rolled back. Then
 *          random byte flips over the metadata: each start is refused
 *          cleanly or reads the data back intact.
 * @library /test/lib /pmem/lib
 * @modules java.base/jdk.internal.pmem
 * @run driver/timeout=900 TestDamagedFile
 */

import java.io.File;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Random;

import jdk.internal.pmem.Pmem;
import jdk.test.lib.process.OutputAnalyzer;

public class TestDamagedFile {
    // PmemFileHeader (gc/pmem/pmemFormat.hpp)
    static final int LOG_SLOTS = 52, TYPE_TABLE_OFFSET = 72, TYPE_TABLE_SIZE = 80, ROOTS_OFFSET = 88,
                     LOG_OFFSET = 104, OBJECTS_OFFSET = 136, OBJECTS_SIZE = 144, CHECKSUM = 152;
    // PmemFileState, at 2 KiB
    static final int STATE = 2048;
    static final int HEAP_ADDRESS = STATE, SWIZZLE_PHASE = STATE + 48, OBJECTS_TOP = STATE + 72,
                     ROOT_OFFSET = STATE + 80, RELOC_PHASE = STATE + 112, MIGR_PHASE = STATE + 168,
                     COMPACT_PHASE = STATE + 192, STATE_END = STATE + 312;
    // After marks_offset and marks_top: 64 deferred buffer slots (start + 1, end, mark).
    static final int DEFER_SLOTS = STATE + 8 * (29 + 10) + 16;
    // The type table: count, then 1024-byte entries from offset 64 (name_len at 26).
    // The roots area: count, then 128-byte entries from offset 128 (object at 0, name_len at 8).

    static final class Node {
        long value;
        Node next;
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0) {
            child(args[0]);
            return;
        }
        String good = PmemTest.heapFile("good");
        run(good, "populate").shouldHaveExitValue(0);
        run(good, "read").shouldHaveExitValue(0);   // a second run records the placement check

        long typeTable = readLong(good, TYPE_TABLE_OFFSET), roots = readLong(good, ROOTS_OFFSET);
        long objects = readLong(good, OBJECTS_OFFSET), objectsSize = readLong(good, OBJECTS_SIZE);
        long logOffset = readLong(good, LOG_OFFSET);

        // Header geometry, with the checksum redone.
        refused(good, "log_slots 0 at header offset 52", f -> { putInt(f, LOG_SLOTS, 0); fixChecksum(f); });
        refused(good, "type_table_size 0 at header offset 80", f -> { putLong(f, TYPE_TABLE_SIZE, 0); fixChecksum(f); });
        refused(good, "type_table_size 1024 at header offset 80", f -> { putLong(f, TYPE_TABLE_SIZE, 1024); fixChecksum(f); });
        refused(good, "log_offset " + roots + " at header offset 104", f -> { putLong(f, LOG_OFFSET, roots); fixChecksum(f); });
        refused(good, "objects_offset " + (objects + (1 << 20)) + " at header offset 136", f -> {
            putLong(f, OBJECTS_OFFSET, objects + (1 << 20));
            putLong(f, OBJECTS_SIZE, objectsSize - (1 << 20));
            fixChecksum(f);
        });
        refused(good, "has a damaged header (checksum mismatch)", f -> putLong(f, LOG_OFFSET, logOffset + 65536));

        // The state area.
        refused(good, "heap_address", f -> flip(f, HEAP_ADDRESS + 2));
        refused(good, "heap_address", f -> flip(f, HEAP_ADDRESS));
        refused(good, "objects_top " + (objectsSize + 8) + " at file offset 2120",
                f -> putLong(f, OBJECTS_TOP, objectsSize + 8));
        refused(good, "swizzle_phase 7 at file offset 2096", f -> putLong(f, SWIZZLE_PHASE, 7));
        // A relocation step or a class migration that no run recorded.
        refused(good, "reloc_phase 1 at file offset " + RELOC_PHASE, f -> putLong(f, RELOC_PHASE, 1));
        refused(good, "holds a migration of objects to other versions of their classes",
                f -> putLong(f, MIGR_PHASE, 2));
        // A compaction no run recorded, or of no known phase.
        refused(good, "compact_phase 1 at file offset " + COMPACT_PHASE, f -> putLong(f, COMPACT_PHASE, 1));
        refused(good, "compact_phase 7 at file offset " + COMPACT_PHASE, f -> putLong(f, COMPACT_PHASE, 7));
        // A deferred allocation buffer's slot out of the used part, or its mark below its start.
        refused(good, "deferred buffer slot 0 (start 0, mark 0, end " + objectsSize * 2 + ") at file offset "
                + DEFER_SLOTS + " is out of range", f -> {
            putLong(f, DEFER_SLOTS, 1);
            putLong(f, DEFER_SLOTS + 8, objectsSize * 2);
            putLong(f, DEFER_SLOTS + 16, 0);
        });
        refused(good, "deferred buffer slot 3 (start 64, mark 8, end 128) at file offset " + (DEFER_SLOTS + 72)
                + " is out of range", f -> {
            putLong(f, DEFER_SLOTS + 72, 65);
            putLong(f, DEFER_SLOTS + 80, 128);
            putLong(f, DEFER_SLOTS + 88, 8);
        });
        refused(good, "root_offset", f -> putLong(f, ROOT_OFFSET, Long.MAX_VALUE));
        refused(good, "root_offset", f -> putLong(f, ROOT_OFFSET, -4));
        refused(good, "root_offset", f -> putLong(f, ROOT_OFFSET, readLongF(f, ROOT_OFFSET) + 4));
        refused(good, "at file offset 2128 does not point to an object",
                f -> putLong(f, ROOT_OFFSET, readLongF(f, ROOT_OFFSET) + 16));

        // The type table.
        refused(good, "the type count 100000 at file offset " + typeTable, f -> putLong(f, typeTable, 100000));
        refused(good, "type table entry 0 at file offset " + (typeTable + 64) + " has a name length of 4000",
                f -> putShort(f, typeTable + 64 + 26, 4000));
        refused(good, "type table entry 0 at file offset " + (typeTable + 64) + " has a name length of 65535",
                f -> putShort(f, typeTable + 64 + 26, 65535));

        // Klass values: two entries with one value, and a value no header holds
        // (attach then walks, and finds the objects' type missing, before writing).
        refused(good, "both hold klass value", f -> putLong(f, typeTable + 64 + 1024, readLongF(f, typeTable + 64)));
        refused(good, "an object of unknown type", f -> putLong(f, typeTable + 64, 12345));

        // The named-object table.
        refused(good, "the named-object count 1000000 at file offset " + roots, f -> putLong(f, roots, 1_000_000));
        refused(good, "named entry 0 at file offset " + (roots + 128) + " has a name length of 500",
                f -> putInt(f, roots + 128 + 8, 500));
        refused(good, "named entry 0 at file offset " + (roots + 128) + " refers to",
                f -> putLong(f, roots + 128, readLongF(f, roots + 128) + 4));

        // An object's klass word: VerifyPersistentHeap refuses, and the
        // clean-shutdown flag stays as it was.
        refused(good, "has a type outside the type table", f -> putInt(f, objects + 8, 0x7eadbeef));

        // A crash inside a transaction, then a start whose class path lacks
        // the class of the file's objects: refused before the rollback.
        String crashed = PmemTest.heapFile("crashed");
        Files.copy(Path.of(good), Path.of(crashed), StandardCopyOption.REPLACE_EXISTING);
        run(crashed, "halt-in-txn").shouldHaveExitValue(7);
        String before = PmemTest.fingerprint(crashed);
        OutputAnalyzer noClass = PmemTest.run(PmemTest.concat(PmemTest.flags(crashed),
                new String[] {"-cp", "/nonexistent", "-Xlog:gc+pmem", "-version"}));
        System.out.println(noClass.getOutput());
        noClass.shouldNotHaveExitValue(0);
        noClass.shouldContain("class TestDamagedFile$Node has objects in " + crashed + " but is not found");
        noClass.shouldNotContain("Recovery: rolled back");
        if (!before.equals(PmemTest.fingerprint(crashed))) throw new RuntimeException("the refused start changed " + crashed);
        // An undo log entry, checksum redone, aimed at the header: refused
        // before recovery would write there.
        long slot0 = readLong(crashed, LOG_OFFSET);
        refused(crashed, "undo log slot 0 at file offset " + slot0 + " names", f -> {
            if ((readLongF(f, slot0) & 1) == 0) throw new RuntimeException("slot 0 holds no open transaction");
            long w0 = readLongF(f, slot0 + 64), w1 = readLongF(f, slot0 + 72);
            int len = (int) (w0 & 0xffff);
            long[] data = new long[(len + 7) / 8];
            for (int i = 0; i < data.length; i++) data[i] = readLongF(f, slot0 + 80 + 8L * i);
            long aimed = (16L << 16) | len;   // target: file offset 16, in the header
            putLong(f, slot0 + 64, aimed);
            putLong(f, slot0 + 72, (w1 & 0xffffffff00000000L) | entryChecksum(aimed, w1 >>> 32, data));
        });
        OutputAnalyzer recovered = run(crashed, "read");
        recovered.shouldHaveExitValue(0);
        recovered.shouldContain("Recovery: rolled back");

        // Every field of the header (its checksum redone, and not) and of the
        // state area, changed: a clean refusal, or a start that reads the data.
        int[][] headerFields = {{16, 4}, {20, 4}, {24, 8}, {32, 8}, {40, 8}, {48, 1}, {49, 1}, {50, 2}, {52, 4},
                                {56, 8}, {64, 8}, {72, 8}, {80, 8}, {88, 8}, {96, 8}, {104, 8}, {112, 8},
                                {120, 8}, {128, 8}, {136, 8}, {144, 8}};
        int fieldRefusals = 0;
        for (int[] hf : headerFields) {
            for (boolean fix : new boolean[] {true, false}) {
                fieldRefusals += changed(good, "header field at " + hf[0] + (fix ? ", checksum redone" : ""), f -> {
                    bump(f, hf[0], hf[1]);
                    if (fix) fixChecksum(f);
                });
            }
        }
        for (int off = STATE; off < STATE_END; off += 8) {
            final int at = off;
            fieldRefusals += changed(good, "state field at " + at, f -> bump(f, at, 8));
        }
        System.out.println("every field: " + fieldRefusals + " refusals of " + (2 * headerFields.length + (STATE_END - STATE) / 8));

        // Random flips over the metadata: a clean refusal, or a start. A
        // start may read back other data where a flip leaves a field valid
        // (a shorter name, another object's offset): the program sees it,
        // the JVM does not crash.
        Random rnd = new Random(Long.getLong("seed", System.nanoTime()));
        long[][] areas = {{0, 160}, {STATE, STATE_END}, {typeTable, typeTable + 64 + 4 * 1024}, {roots, roots + 128 + 4 * 128}};
        int refusals = 0, intact = 0, different = 0;
        for (int i = 0; i < 60; i++) {
            long[] area = areas[i % areas.length];
            long at = area[0] + (long) (rnd.nextDouble() * (area[1] - area[0]));
            int bit = rnd.nextInt(8);
            String copy = PmemTest.heapFile("flip");
            Files.copy(Path.of(good), Path.of(copy), StandardCopyOption.REPLACE_EXISTING);
            try (RandomAccessFile f = new RandomAccessFile(copy, "rw")) {
                f.seek(at);
                int b = f.read();
                f.seek(at);
                f.write(b ^ (1 << bit));
            }
            String fp = PmemTest.fingerprint(copy);
            OutputAnalyzer out = run(copy, "read");
            String what = "flip of bit " + bit + " at " + at;
            checkNoCrash(out, what);
            if (out.getExitValue() == 0) {
                out.shouldContain("DATA INTACT");
                intact++;
            } else if (out.getOutput().contains("Error occurred during initialization of VM")) {
                if (!fp.equals(PmemTest.fingerprint(copy))) throw new RuntimeException(what + ": refused, but the file changed");
                refusals++;
            } else if (out.getOutput().contains("DATA DIFFERS")) {
                different++;
            } else {
                System.out.println(out.getOutput());
                throw new RuntimeException(what + ": neither a start nor a clean refusal");
            }
            System.out.println(what + ": exit " + out.getExitValue());
        }
        System.out.println("random flips: " + refusals + " refused, " + intact + " read the data intact, "
                           + different + " read other data");
        PmemTest.cleanup();
    }

    interface Edit {
        void apply(RandomAccessFile f) throws Exception;
    }

    static OutputAnalyzer run(String file, String step) throws Exception {
        return PmemTest.runMain(TestDamagedFile.class, PmemTest.concat(PmemTest.flags(file), new String[] {"-Xlog:gc+pmem"}), step);
    }

    // A copy of good with edits applied must be refused with message, unchanged.
    static void refused(String good, String message, Edit... edits) throws Exception {
        String copy = PmemTest.heapFile("damaged");
        Files.copy(Path.of(good), Path.of(copy), StandardCopyOption.REPLACE_EXISTING);
        try (RandomAccessFile f = new RandomAccessFile(copy, "rw")) {
            for (Edit e : edits) e.apply(f);
        }
        String before = PmemTest.fingerprint(copy);
        OutputAnalyzer out = run(copy, "read");
        System.out.println(out.getOutput());
        checkNoCrash(out, message);
        out.shouldNotHaveExitValue(0);
        boolean oneLine = out.asLines().stream().anyMatch(l -> l.contains(message) && !l.startsWith("\tat "));
        if (!oneLine) throw new RuntimeException("no line with: " + message);
        if (!before.equals(PmemTest.fingerprint(copy))) throw new RuntimeException("refused (" + message + "), but the file changed");
        new File(copy).delete();
    }

    // Adds 64 KiB + 8 to a field (its low byte for one-byte fields): an
    // aligned, plausible-looking wrong value.
    static void bump(RandomAccessFile f, long at, int size) throws Exception {
        f.seek(at);
        if (size == 1) {
            int b = f.read();
            f.seek(at);
            f.write(b ^ 0x01);
        } else if (size == 2) {
            f.seek(at);
            int v = Short.reverseBytes(f.readShort()) & 0xffff;
            putShort(f, at, v + 8);
        } else if (size == 4) {
            f.seek(at);
            int v = Integer.reverseBytes(f.readInt());
            putInt(f, at, v + 8);
        } else {
            putLong(f, at, readLongF(f, at) + 65536 + 8);
        }
    }

    // A copy of good with the edit: refused cleanly (file unchanged, returns 1)
    // or started with the data intact (returns 0). Anything else fails.
    static int changed(String good, String what, Edit edit) throws Exception {
        String copy = PmemTest.heapFile("field");
        Files.copy(Path.of(good), Path.of(copy), StandardCopyOption.REPLACE_EXISTING);
        try (RandomAccessFile f = new RandomAccessFile(copy, "rw")) {
            edit.apply(f);
        }
        String fp = PmemTest.fingerprint(copy);
        OutputAnalyzer out = run(copy, "read");
        checkNoCrash(out, what);
        System.out.println(what + ": exit " + out.getExitValue());
        if (out.getExitValue() == 0) {
            out.shouldContain("DATA INTACT");
            return 0;
        }
        if (!out.getOutput().contains("Error occurred during initialization of VM")) {
            System.out.println(out.getOutput());
            throw new RuntimeException(what + ": neither a start nor a clean refusal");
        }
        if (!fp.equals(PmemTest.fingerprint(copy))) throw new RuntimeException(what + ": refused, but the file changed");
        new File(copy).delete();
        return 1;
    }

    static void checkNoCrash(OutputAnalyzer out, String what) {
        String o = out.getOutput();
        if (o.contains("A fatal error has been detected") || o.contains("hs_err_pid") || o.contains("SIGSEGV")
                || out.getExitValue() == 134 || out.getExitValue() == 139) {
            System.out.println(o);
            throw new RuntimeException(what + ": the JVM crashed");
        }
    }

    static void flip(RandomAccessFile f, long at) throws Exception {
        f.seek(at);
        int b = f.read();
        f.seek(at);
        f.write(b ^ 0x01);
    }

    static long readLong(String file, long at) throws Exception {
        try (RandomAccessFile f = new RandomAccessFile(file, "r")) {
            return readLongF(f, at);
        }
    }

    static long readLongF(RandomAccessFile f, long at) throws Exception {
        f.seek(at);
        return Long.reverseBytes(f.readLong());
    }

    static void putLong(RandomAccessFile f, long at, long v) throws Exception {
        f.seek(at);
        f.writeLong(Long.reverseBytes(v));
    }

    static void putInt(RandomAccessFile f, long at, int v) throws Exception {
        f.seek(at);
        f.writeInt(Integer.reverseBytes(v));
    }

    static void putShort(RandomAccessFile f, long at, int v) throws Exception {
        f.seek(at);
        f.writeShort(Short.reverseBytes((short) v));
    }

    // FNV-1a over the header's bytes before the checksum, as PmemFormat::checksum.
    static void fixChecksum(RandomAccessFile f) throws Exception {
        byte[] h = new byte[CHECKSUM];
        f.seek(0);
        f.readFully(h);
        long x = 0xcbf29ce484222325L;
        for (byte b : h) {
            x ^= (b & 0xff);
            x *= 0x100000001b3L;
        }
        putLong(f, CHECKSUM, x);
    }

    // PmemLog::checksum: FNV-1a over the entry's words, folded to 32 bits, never 0.
    static long entryChecksum(long w0, long gen, long[] data) {
        long h = 0xcbf29ce484222325L;
        h = (h ^ w0) * 0x100000001b3L;
        h = (h ^ gen) * 0x100000001b3L;
        for (long d : data) h = (h ^ d) * 0x100000001b3L;
        return ((h ^ (h >>> 32)) & 0xffffffffL) | 1;
    }

    // ---- the child ----

    static void child(String step) {
        switch (step) {
            case "populate" -> Pmem.txn(() -> {
                Node head = null;
                for (int i = 0; i < 100; i++) {
                    Node n = Pmem.pnew(Node.class);
                    n.value = i;
                    n.next = head;
                    head = n;
                }
                Pmem.setRoot(head);
                Pmem.put("list", head);
                Pmem.put("numbers", Pmem.pmake(long[].class, 10));
            });
            case "read" -> {
                try {
                    Node head = (Node) Pmem.root();
                    int n = 0;
                    for (Node x = head; x != null && n <= 100; x = x.next) {
                        if (x.value != 99 - n) throw new RuntimeException("node " + n + " holds " + x.value);
                        n++;
                    }
                    long[] numbers = Pmem.get("numbers", long[].class);
                    if (n != 100 || Pmem.get("list", Node.class) != head || numbers == null || numbers.length != 10) {
                        throw new RuntimeException(n + " nodes");
                    }
                } catch (RuntimeException e) {
                    System.out.println("DATA DIFFERS: " + e);
                    System.exit(3);
                }
                System.out.println("DATA INTACT");
            }
            case "halt-in-txn" -> Pmem.txn(() -> {
                Node head = (Node) Pmem.root();
                head.value = -1;
                head.next.value = -2;
                Runtime.getRuntime().halt(7);
            });
            default -> throw new IllegalArgumentException(step);
        }
    }
}
