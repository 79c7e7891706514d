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

package jpmem;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes the persistent objects of a heap file as an HPROF 1.0.2 heap dump
 * (the format of jmap and -XX:+HeapDumpOnOutOfMemoryError), which Eclipse
 * MAT, VisualVM and jhat-style tools open.
 *
 * What the file cannot tell is made up plainly: a class's superclass is not
 * recorded, so every class extends java.lang.Object and declares all its
 * instance fields itself (the layout's, supers' included); classes have no
 * static fields and no loader. Object ids are the addresses the objects had
 * in the last run that mapped the file. The root object, the enum registry
 * and every named object are JNI-global roots, classes sticky-class roots.
 * A reference to an object not in the dump (the last run's volatile
 * objects, or garbage when only reachable objects are dumped) is written
 * as null. HPROF values are big-endian; the file's are little-endian.
 */
final class Hprof {
    // Record tags, heap-dump sub-record tags and basic type codes of the HPROF format.
    private static final int UTF8 = 0x01, LOAD_CLASS = 0x02, STACK_TRACE = 0x05, HEAP_DUMP_SEGMENT = 0x1c,
            HEAP_DUMP_END = 0x2c;
    private static final int ROOT_JNI_GLOBAL = 0x01, ROOT_STICKY_CLASS = 0x05, CLASS_DUMP = 0x20,
            INSTANCE_DUMP = 0x21, OBJ_ARRAY_DUMP = 0x22, PRIM_ARRAY_DUMP = 0x23;
    private static final int T_OBJECT = 2, T_BOOLEAN = 4, T_CHAR = 5, T_FLOAT = 6, T_DOUBLE = 7, T_BYTE = 8,
            T_SHORT = 9, T_INT = 10, T_LONG = 11;
    private static final int STACK_SERIAL = 1;                // the one (empty) stack trace
    private static final long STRING_IDS = 1L << 62;          // string ids apart from object and class ids
    private static final int SEGMENT = 8 << 20;               // flush a heap-dump segment at about this size
    private static final long MAX_ARRAY_BYTES = (1L << 31) - 4096;   // a sub-record must fit a segment's u4 length

    private final HeapFile f;
    private final OutputStream out;
    private final long base;                                   // an object's id is base + its offset
    private final Map<String, Long> strings = new HashMap<>();
    private final long[] classIds;
    private long objectClassId, classClassId, loaderClassId;
    private ByteBuffer seg = ByteBuffer.allocate(SEGMENT + 4096).order(ByteOrder.BIG_ENDIAN);
    private BitSet included;                                  // a bit per word: the objects dumped
    long objects, bytes, truncatedArrays;

    private Hprof(HeapFile f, OutputStream out) {
        this.f = f;
        this.out = out;
        long addr = f.state.get("heap_address");
        this.base = addr != 0 ? addr : 1L << 32;
        this.classIds = new long[f.types.size()];
    }

    /**
     * Dumps the objects reachable from the roots, or with all every object
     * of the used part (garbage included), to a new file to. Returns the
     * writer, whose counts say what was written.
     */
    static Hprof dump(HeapFile f, Path to, boolean all) throws IOException, HeapFile.Bad {
        if (Files.exists(to)) {
            throw new HeapFile.Bad(to + " exists; jpmem does not overwrite files");
        }
        try (OutputStream os = new BufferedOutputStream(Files.newOutputStream(to, StandardOpenOption.CREATE_NEW), 1 << 20)) {
            Hprof h = new Hprof(f, os);
            h.write(all);
            return h;
        }
    }

    private void write(boolean all) throws IOException, HeapFile.Bad {
        included = new BitSet();
        if (all) {
            f.walk((o, t) -> {
                long size = t == null ? -1 : f.sizeOf(o, t);
                if (size <= 0) return -1;   // as histo: the walk cannot go past an unknown size
                included.set((int) (o / 8));
                return size;
            });
        } else {
            included = f.markReachable((t, o) -> { });
        }
        header();
        stackTrace();
        classes();
        roots();
        for (int w = included.nextSetBit(0); w >= 0; w = included.nextSetBit(w + 1)) {   // in file order
            object(w * 8L, f.typeAt(w * 8L));
        }
        flushSegment();
        record(HEAP_DUMP_END, 0);
    }

    // --- records ---------------------------------------------------------------

    private void header() throws IOException {
        out.write("JAVA PROFILE 1.0.2\0".getBytes(StandardCharsets.ISO_8859_1));
        ByteBuffer b = ByteBuffer.allocate(12);
        b.putInt(8).putLong(System.currentTimeMillis());
        out.write(b.array());
    }

    private void record(int tag, int length) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(9);
        b.put((byte) tag).putInt(0).putInt(length);
        out.write(b.array());
    }

    private void record(int tag, ByteBuffer body) throws IOException {
        record(tag, body.position());
        out.write(body.array(), 0, body.position());
    }

    private long string(String s) throws IOException {
        Long id = strings.get(s);
        if (id == null) {
            id = STRING_IDS + strings.size() + 1;
            strings.put(s, id);
            byte[] utf = s.getBytes(StandardCharsets.UTF_8);
            ByteBuffer b = ByteBuffer.allocate(8 + utf.length);
            b.putLong(id).put(utf);
            record(UTF8, b);
        }
        return id;
    }

    private void stackTrace() throws IOException {
        ByteBuffer b = ByteBuffer.allocate(12);
        b.putInt(STACK_SERIAL).putInt(0).putInt(0);   // serial, thread serial, no frames
        record(STACK_TRACE, b);
    }

    // --- classes ----------------------------------------------------------------

    /** A class id: small numbers, below any object's address. */
    private static long classId(int n) {
        return 8L * (n + 1);
    }

    private void classes() throws IOException {
        int serial = 0;
        Map<String, Integer> byName = new HashMap<>();
        for (HeapFile.Type t : f.types) {
            byName.putIfAbsent(t.name, t.index);
            classIds[t.index] = classId(t.index);
        }
        // The classes every dump reader expects; made up when the file has none of them.
        int extra = f.types.size();
        objectClassId = byName.containsKey("java/lang/Object") ? classIds[byName.get("java/lang/Object")] : classId(extra++);
        classClassId = byName.containsKey("java/lang/Class") ? classIds[byName.get("java/lang/Class")] : classId(extra++);
        loaderClassId = byName.containsKey("java/lang/ClassLoader") ? classIds[byName.get("java/lang/ClassLoader")]
                : classId(extra++);
        if (classId(extra) >= base) {
            throw new IllegalStateException("class ids would collide with object ids");
        }
        for (HeapFile.Type t : f.types) {
            loadClass(++serial, classIds[t.index], t.name);
        }
        if (!byName.containsKey("java/lang/Object")) loadClass(++serial, objectClassId, "java/lang/Object");
        if (!byName.containsKey("java/lang/Class")) loadClass(++serial, classClassId, "java/lang/Class");
        if (!byName.containsKey("java/lang/ClassLoader")) loadClass(++serial, loaderClassId, "java/lang/ClassLoader");

        for (HeapFile.Type t : f.types) {
            List<HeapFile.Field> fields = instanceFields(t);
            sub(ROOT_STICKY_CLASS, 8).putLong(classIds[t.index]);
            ByteBuffer b = sub(CLASS_DUMP, 8 + 4 + 8 * 6 + 4 + 2 + 2 + 2 + fields.size() * 9);
            b.putLong(classIds[t.index]).putInt(STACK_SERIAL);
            b.putLong(classIds[t.index] == objectClassId ? 0 : objectClassId);
            b.putLong(0).putLong(0).putLong(0).putLong(0).putLong(0);   // loader, signers, domain, reserved x2
            b.putInt((int) (t.isArray() ? 0 : Math.max(t.instanceBytes, 0)));
            b.putShort((short) 0).putShort((short) 0);                  // constant pool, statics
            b.putShort((short) fields.size());
            for (HeapFile.Field fd : fields) {
                b.putLong(string(fd.name())).put((byte) typeCode(fd.sig().charAt(0)));
            }
        }
        for (long id : new long[] {objectClassId, classClassId, loaderClassId}) {
            if (id < classId(f.types.size())) continue;   // in the file: dumped above
            sub(ROOT_STICKY_CLASS, 8).putLong(id);
            ByteBuffer b = sub(CLASS_DUMP, 8 + 4 + 8 * 6 + 4 + 6);
            b.putLong(id).putInt(STACK_SERIAL).putLong(id == objectClassId ? 0 : objectClassId);
            b.putLong(0).putLong(0).putLong(0).putLong(0).putLong(0);
            b.putInt(id == objectClassId ? 16 : 0).putShort((short) 0).putShort((short) 0).putShort((short) 0);
        }
    }

    private void loadClass(int serial, long id, String name) throws IOException {
        long nameId = string(name);
        ByteBuffer b = ByteBuffer.allocate(24);
        b.putInt(serial).putLong(id).putInt(STACK_SERIAL).putLong(nameId);
        record(LOAD_CLASS, b);
    }

    /** The fields an instance dump of t lists, in that order: the recorded layout's, by offset. */
    private static List<HeapFile.Field> instanceFields(HeapFile.Type t) {
        List<HeapFile.Field> fs = new ArrayList<>(t.isArray() ? List.of() : t.fields);
        fs.sort(Comparator.comparingInt(HeapFile.Field::offset));
        return fs;
    }

    private static int typeCode(char sig) {
        return switch (sig) {
            case 'Z' -> T_BOOLEAN; case 'C' -> T_CHAR; case 'F' -> T_FLOAT; case 'D' -> T_DOUBLE;
            case 'B' -> T_BYTE; case 'S' -> T_SHORT; case 'I' -> T_INT; case 'J' -> T_LONG;
            default -> T_OBJECT;
        };
    }

    private static int valueSize(int code) {
        return switch (code) {
            case T_BOOLEAN, T_BYTE -> 1; case T_CHAR, T_SHORT -> 2; case T_FLOAT, T_INT -> 4; default -> 8;
        };
    }

    // --- roots and objects -----------------------------------------------------

    private void roots() throws HeapFile.Bad {
        List<Long> roots = new ArrayList<>(f.names().values());
        roots.add(f.state.get("root_offset"));
        roots.add(f.enumRegistry());
        for (long v : roots) {
            if (v != 0 && v - 1 < f.top && included.get((int) ((v - 1) / 8))) {
                long id = base + v - 1;
                sub(ROOT_JNI_GLOBAL, 16).putLong(id).putLong(id);
            }
        }
    }

    /** The id a reference field at the objects-area offset at holds in the dump: 0 unless its target is dumped. */
    private long refId(long at) {
        long target = f.referenceAt(at);
        return target >= 0 && target % 8 == 0 && included.get((int) (target / 8)) ? base + target : 0;
    }

    private void object(long o, HeapFile.Type t) {
        long id = base + o;
        long size = f.sizeOf(o, t);
        objects++;
        bytes += Math.max(size, 0);
        if (!t.isArray()) {
            List<HeapFile.Field> fields = instanceFields(t);
            int n = 0;
            for (HeapFile.Field fd : fields) n += valueSize(typeCode(fd.sig().charAt(0)));
            ByteBuffer b = sub(INSTANCE_DUMP, 8 + 4 + 8 + 4 + n);
            b.putLong(id).putInt(STACK_SERIAL).putLong(classIds[t.index]).putInt(n);
            for (HeapFile.Field fd : fields) {
                long a = f.objectsOff + o + fd.offset();
                switch (typeCode(fd.sig().charAt(0))) {
                    case T_BOOLEAN, T_BYTE -> b.put((byte) f.u8(a));
                    case T_CHAR, T_SHORT -> b.putShort((short) f.u16(a));
                    case T_FLOAT, T_INT -> b.putInt(f.i32(a));
                    case T_DOUBLE, T_LONG -> b.putLong(f.u64(a));
                    default -> b.putLong(refId(o + fd.offset()));
                }
            }
            return;
        }
        char e = t.name.charAt(1);
        long length = f.lengthOf(o);
        long first = o + f.arrayBase();
        if (e == 'L' || e == '[') {
            long n = Math.min(length, MAX_ARRAY_BYTES / 8);
            if (n < length) truncatedArrays++;
            ByteBuffer b = sub(OBJ_ARRAY_DUMP, 8 + 4 + 4 + 8 + (int) n * 8);
            b.putLong(id).putInt(STACK_SERIAL).putInt((int) n).putLong(classIds[t.index]);
            for (long i = 0; i < n; i++) {
                b.putLong(refId(first + i * f.refSize()));
            }
            return;
        }
        int code = typeCode(e);
        int es = valueSize(code);
        long n = Math.min(length, MAX_ARRAY_BYTES / es);
        if (n < length) truncatedArrays++;
        ByteBuffer b = sub(PRIM_ARRAY_DUMP, 8 + 4 + 4 + 1 + (int) (n * es));
        b.putLong(id).putInt(STACK_SERIAL).putInt((int) n).put((byte) code);
        // Read in pieces that never cross one of HeapFile's windows, swapping each value's bytes.
        long done = 0, total = n * es;
        while (done < total) {
            int piece = (int) Math.min(total - done, 256 << 10);
            ByteBuffer src = ByteBuffer.wrap(f.bytes(f.objectsOff + first + done, piece)).order(ByteOrder.LITTLE_ENDIAN);
            switch (es) {
                case 1 -> b.put(src);
                case 2 -> { while (src.hasRemaining()) b.putShort(src.getShort()); }
                case 4 -> { while (src.hasRemaining()) b.putInt(src.getInt()); }
                default -> { while (src.hasRemaining()) b.putLong(src.getLong()); }
            }
            done += piece;
        }
    }

    // --- heap-dump segments -----------------------------------------------------

    /** Room for a sub-record of tag with len bytes after the tag, in the current segment (flushed when full). */
    private ByteBuffer sub(int tag, int len) {
        if (seg.position() > 0 && seg.position() + 1 + len > SEGMENT) {
            flushSegment();
        }
        if (seg.capacity() < 1 + len) {
            seg = ByteBuffer.allocate(1 + len).order(ByteOrder.BIG_ENDIAN);
        }
        return seg.put((byte) tag);
    }

    private void flushSegment() {
        if (seg.position() == 0) return;
        try {
            record(HEAP_DUMP_SEGMENT, seg);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        seg.clear();
        if (seg.capacity() > SEGMENT + 4096) {
            seg = ByteBuffer.allocate(SEGMENT + 4096).order(ByteOrder.BIG_ENDIAN);
        }
    }
}
