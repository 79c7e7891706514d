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

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * A pmem-jdk heap file, read only (mapped read-only: nothing here can write
 * it), as the JVM lays it out (docs/ARCHITECTURE.md, "The file"; the C++
 * side is gc/pmem/pmemFormat.hpp): the header and state page, the type
 * table, the roots and names, the undo log slots and the objects, parsed as
 * PmemWalk parses them. No class of the program is needed: sizes and
 * fields come from the type table's recorded layouts.
 */
final class HeapFile implements AutoCloseable {
    static final class Bad extends Exception {
        Bad(String msg) {
            super(msg);
        }
    }

    // Header (PmemFileHeader) and state (PmemFileState, at 2K) field offsets.
    static final int H_VERSION = 16, H_HEADER_SIZE = 20, H_FILE_SIZE = 24, H_UUID = 32, H_COOPS = 48, H_CCP = 49,
            H_ALIGN = 50, H_LOG_SLOTS = 52, H_REGION_OFF = 56, H_TYPES_OFF = 72, H_TYPES_SIZE = 80, H_ROOTS_OFF = 88,
            H_ROOTS_SIZE = 96, H_LOG_OFF = 104, H_LOG_SIZE = 112, H_OBJECTS_OFF = 136, H_OBJECTS_SIZE = 144,
            H_CHECKSUM = 152;
    static final int STATE = 2048;
    static final String[] STATE_FIELDS = {"heap_address", "narrow_oop_base", "narrow_oop_shift", "narrow_klass_base",
        "narrow_klass_shift", "clean_shutdown", "swizzle_phase", "swizzle_cursor", "run_count", "objects_top",
        "root_offset", "marks_clean", "placement_check", "objects_size", "reloc_phase", "reloc_cursor",
        "reloc_address", "reloc_base", "reloc_shift", "reloc_mid", "reloc_mid_cursor", "migr_phase", "migr_tail",
        "migr_check", "compact_phase", "compact_mid", "compact_cursor", "compact_top", "compact_unit"};
    // After compact_unit come two PmemSlideUnits (5 words each), then these.
    static final int STATE_MARKS_OFFSET = STATE + 8 * (29 + 10), STATE_MARKS_TOP = STATE_MARKS_OFFSET + 8;
    // Then 64 PmemDeferSlots (start + 1, end, mark: objects-area offsets) of deferred write-back.
    static final int STATE_DEFER_SLOTS = STATE_MARKS_TOP + 8, DEFER_SLOTS = 64;
    static final String MAGIC = "pmem-jdk heap";
    static final int TYPE_ENTRY = 1024, TYPE_AREA_HEADER = 64, NAME_ENTRY = 128, ROOTS_HEADER = 128;
    static final long FREE_TAG_BYTE = 0xf3;

    final Path path;
    private final FileChannel ch;
    private final List<MappedByteBuffer> windows = new ArrayList<>();
    private static final long WINDOW = 1L << 30, OVERLAP = 1L << 20;   // an object read never crosses a window
    final long fileLength;

    // Decoded header and state.
    final int version;
    final long fileSize, typesOff, typesSize, rootsOff, rootsSize, logOff, logSize, objectsOff, objectsSize;
    final int logSlots, alignment;
    final boolean compressedOops, compressedClassPointers;
    final String uuid;
    final Map<String, Long> state = new HashMap<>();
    final long top;            // bytes of the objects area handed out

    // The type table.
    final List<Type> types = new ArrayList<>();
    private final Map<Long, Type> byKlass = new HashMap<>();

    /** A type table entry: its class name (internal), loader kind, and layout when instances have one. */
    static final class Type {
        final int index;
        final String name;
        final int loader;
        final long klassValue;
        final String layoutText;
        final boolean cutShort;
        final List<Field> fields = new ArrayList<>();
        long instanceBytes;      // instances: from the layout (0 if cut short and not found)
        boolean fromClass;       // the layout was cut short and came from this JVM's class
        long count, bytes;       // filled by walks

        Type(int index, String name, int loader, long klassValue, String layoutText, boolean cutShort) {
            this.index = index;
            this.name = name;
            this.loader = loader;
            this.klassValue = klassValue;
            this.layoutText = layoutText;
            this.cutShort = cutShort;
        }

        boolean isArray() {
            return name.startsWith("[");
        }

        /** Java's name: java.lang.String, int[], p.C[]. */
        String external() {
            int dims = 0;
            while (dims < name.length() && name.charAt(dims) == '[') dims++;
            String base = name.substring(dims);
            if (dims > 0) {
                base = switch (base) {
                    case "Z" -> "boolean"; case "B" -> "byte"; case "C" -> "char"; case "S" -> "short";
                    case "I" -> "int"; case "J" -> "long"; case "F" -> "float"; case "D" -> "double";
                    default -> base.substring(1, base.length() - 1);
                };
            }
            return base.replace('/', '.') + "[]".repeat(dims);
        }
    }

    /** An instance field as the layout recorded it. */
    record Field(String name, String sig, int offset) {
        boolean isReference() {
            return sig.startsWith("L") || sig.startsWith("[");
        }
    }

    HeapFile(Path path) throws IOException, Bad {
        this.path = path;
        try {
            ch = FileChannel.open(path, StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            throw new Bad(path + ": no such file");
        }
        fileLength = ch.size();
        if (fileLength < 4096) {
            close();
            throw new Bad(path + " is not a pmem-jdk heap file (" + fileLength + " bytes)");
        }
        for (long at = 0; at < fileLength; at += WINDOW) {
            MappedByteBuffer m = ch.map(FileChannel.MapMode.READ_ONLY, at, Math.min(WINDOW + OVERLAP, fileLength - at));
            m.order(ByteOrder.LITTLE_ENDIAN);
            windows.add(m);
        }
        byte[] magic = bytes(0, 16);
        int end = 0;
        while (end < 16 && magic[end] != 0) end++;
        if (!new String(magic, 0, end, StandardCharsets.ISO_8859_1).equals(MAGIC)) {
            close();
            throw new Bad(path + " is not a pmem-jdk heap file");
        }
        version = i32(H_VERSION);
        if (version != 1) {
            close();
            throw new Bad(path + " has heap format version " + version + "; this jpmem reads version 1");
        }
        if (i32(H_HEADER_SIZE) != 160 || checksum() != u64(H_CHECKSUM)) {
            close();
            throw new Bad(path + " has a damaged header (checksum mismatch)");
        }
        fileSize = u64(H_FILE_SIZE);
        byte[] u = bytes(H_UUID, 16);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 16; i++) {
            sb.append(String.format("%02x", u[i] & 0xff));
            if (i == 3 || i == 5 || i == 7 || i == 9) sb.append('-');
        }
        uuid = sb.toString();
        compressedOops = u8(H_COOPS) != 0;
        compressedClassPointers = u8(H_CCP) != 0;
        alignment = u16(H_ALIGN);
        logSlots = i32(H_LOG_SLOTS);
        typesOff = u64(H_TYPES_OFF);
        typesSize = u64(H_TYPES_SIZE);
        rootsOff = u64(H_ROOTS_OFF);
        rootsSize = u64(H_ROOTS_SIZE);
        logOff = u64(H_LOG_OFF);
        logSize = u64(H_LOG_SIZE);
        objectsOff = u64(H_OBJECTS_OFF);
        for (int i = 0; i < STATE_FIELDS.length; i++) {
            state.put(STATE_FIELDS[i], u64(STATE + 8L * i));
        }
        state.put("marks_offset", u64(STATE_MARKS_OFFSET));
        state.put("marks_top", u64(STATE_MARKS_TOP));
        long grown = state.get("objects_size");
        objectsSize = grown != 0 ? grown : u64(H_OBJECTS_SIZE);
        if (fileLength < fileSize || objectsOff + objectsSize > fileLength || typesOff + typesSize > fileLength
                || rootsOff + rootsSize > fileLength || logOff + logSize > fileLength || logSlots <= 0) {
            close();
            throw new Bad(path + " is truncated or damaged: its areas reach past its " + fileLength + " bytes");
        }
        top = state.get("objects_top");
        if (top > objectsSize || top % 8 != 0) {
            close();
            throw new Bad(path + " is damaged: objects_top " + top + " (state offset " + (STATE + 72)
                    + ") is outside the objects area of " + objectsSize + " bytes");
        }
        readTypes();
    }

    private void readTypes() throws Bad {
        long count = u64(typesOff);
        long capacity = (typesSize - TYPE_AREA_HEADER) / TYPE_ENTRY;
        if (count > capacity) {
            throw new Bad(path + " is damaged: the type count " + count + " at file offset " + typesOff
                    + " exceeds the type table's " + capacity + " entries");
        }
        int refSize = compressedOops ? 4 : 8;
        int header = compressedClassPointers ? 12 : 16;
        for (int i = 0; i < count; i++) {
            long e = typesOff + TYPE_AREA_HEADER + (long) i * TYPE_ENTRY;
            int nameLen = u16(e + 26), layoutLen = u16(e + 28);
            if (nameLen == 0 || nameLen >= 224 || layoutLen > 768) {
                throw new Bad(path + " is damaged: type table entry " + i + " at file offset " + e + " has a name length of "
                        + nameLen + " and a layout length of " + layoutLen);
            }
            String name = new String(bytes(e + 32, nameLen), StandardCharsets.UTF_8);
            String layout = new String(bytes(e + 256, layoutLen), StandardCharsets.UTF_8);
            Type t = new Type(i, name, u8(e + 24), u64(e), layout, layoutLen >= 767);
            long end = header;
            for (String item : layout.split(" ")) {
                int colon = item.lastIndexOf(':', item.indexOf('@') < 0 ? item.length() : item.indexOf('@'));
                int at = item.lastIndexOf('@');
                if (item.isEmpty() || colon <= 0 || at < colon) continue;
                Field f = new Field(item.substring(0, colon), item.substring(colon + 1, at),
                        Integer.parseInt(item.substring(at + 1)));
                t.fields.add(f);
                end = Math.max(end, f.offset() + fieldSize(f.sig(), refSize));
            }
            t.instanceBytes = t.isArray() || t.cutShort ? 0 : align(end, Math.max(8, alignment));
            if (t.cutShort && !t.isArray()) {
                layoutFromClass(t, refSize, header);
            }
            types.add(t);
            byKlass.put(t.klassValue, t);
        }
    }

    /**
     * A layout too long for its type table entry: when this JVM has the
     * class (a JDK class; the program's classes with --class-path) and lays
     * it out with the file's reference width, its fields and size come from
     * here, once the recorded part agrees.
     */
    private static void layoutFromClass(Type t, int refSize, int header) {
        jdk.internal.misc.Unsafe u = jdk.internal.misc.Unsafe.getUnsafe();
        if (u.arrayIndexScale(Object[].class) != refSize) {
            return;
        }
        Class<?> c;
        try {
            c = Class.forName(t.name.replace('/', '.'), false, ClassLoader.getSystemClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            return;
        }
        List<Class<?>> chain = new ArrayList<>();
        for (Class<?> k = c; k != null; k = k.getSuperclass()) chain.add(0, k);
        List<Field> fields = new ArrayList<>();
        long end = header;
        for (Class<?> k : chain) {
            for (java.lang.reflect.Field f : k.getDeclaredFields()) {
                if (java.lang.reflect.Modifier.isStatic(f.getModifiers())) continue;
                Field fd = new Field(f.getName(), f.getType().descriptorString(), (int) u.objectFieldOffset(f));
                fields.add(fd);
                end = Math.max(end, fd.offset() + fieldSize(fd.sig(), refSize));
            }
        }
        for (int i = 0; i < t.fields.size(); i++) {   // the recorded ones are a prefix of the same layout
            if (i >= fields.size() || !t.fields.get(i).equals(fields.get(i))) {
                return;
            }
        }
        t.fields.clear();
        t.fields.addAll(fields);
        t.instanceBytes = align(end, 8);
        t.fromClass = true;
    }

    static int fieldSize(String sig, int refSize) {
        return switch (sig.charAt(0)) {
            case 'Z', 'B' -> 1;
            case 'C', 'S' -> 2;
            case 'I', 'F' -> 4;
            case 'J', 'D' -> 8;
            default -> refSize;
        };
    }

    static long align(long v, long a) {
        return (v + a - 1) / a * a;
    }

    private long checksum() {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < H_CHECKSUM; i++) {
            h ^= u8(i);
            h *= 0x100000001b3L;
        }
        return h;
    }

    // --- reads at file offsets ------------------------------------------------

    private MappedByteBuffer window(long off) {
        return windows.get((int) (off / WINDOW));
    }

    long u64(long off) {
        return window(off).getLong((int) (off % WINDOW));
    }

    int i32(long off) {
        return window(off).getInt((int) (off % WINDOW));
    }

    long u32(long off) {
        return Integer.toUnsignedLong(i32(off));
    }

    int u16(long off) {
        return Short.toUnsignedInt(window(off).getShort((int) (off % WINDOW)));
    }

    int u8(long off) {
        return Byte.toUnsignedInt(window(off).get((int) (off % WINDOW)));
    }

    byte[] bytes(long off, int n) {
        byte[] b = new byte[n];
        window(off).get((int) (off % WINDOW), b);
        return b;
    }

    // --- objects (offsets in the objects area) -------------------------------

    long word(long o) {
        return u64(objectsOff + o);
    }

    /** The raw klass of the object at o (narrow or full), 0 if none. */
    long rawKlass(long o) {
        return compressedClassPointers ? u32(objectsOff + o + 8) : u64(objectsOff + o + 8);
    }

    Type typeAt(long o) {
        long k = rawKlass(o);
        return k == 0 ? null : byKlass.get(k);
    }

    int refSize() {
        return compressedOops ? 4 : 8;
    }

    long arrayBase() {
        return compressedClassPointers ? 16 : 24;
    }

    long lengthOf(long o) {
        return u32(objectsOff + o + (compressedClassPointers ? 12 : 16));
    }

    static int elementSize(String arrayName, int refSize) {
        return fieldSize(arrayName.substring(1), refSize);
    }

    /** Bytes of the object at o of type t, or -1 if the type table cannot tell (a layout recorded cut short). */
    long sizeOf(long o, Type t) {
        if (t.isArray()) {
            return align(arrayBase() + lengthOf(o) * elementSize(t.name, refSize()), Math.max(8, alignment));
        }
        return t.instanceBytes == 0 ? -1 : t.instanceBytes;
    }

    /** The objects-area offset a reference field at o holds, -1 for null, -2 for a value outside the objects. */
    long referenceAt(long o) {
        long v = compressedOops ? u32(objectsOff + o) : u64(objectsOff + o);
        if (v == 0) return -1;
        long addr = compressedOops ? state.get("narrow_oop_base") + (v << state.get("narrow_oop_shift")) : v;
        long off = addr - state.get("heap_address");
        return off >= 0 && off < top ? off : -2;
    }

    /** Called with each reference field (its objects-area offset) of an object; field is null for an array element. */
    interface FieldVisitor {
        void at(long fieldOffset, Field field);
    }

    /** Each reference field (its objects-area offset) of the object at o. */
    void forEachReference(long o, Type t, FieldVisitor v) {
        if (t.isArray()) {
            char e = t.name.charAt(1);
            if (e == 'L' || e == '[') {
                long n = lengthOf(o);
                for (long i = 0; i < n; i++) {
                    v.at(o + arrayBase() + i * refSize(), null);
                }
            }
        } else {
            for (Field fd : t.fields) {
                if (fd.isReference()) v.at(o + fd.offset(), fd);
            }
        }
    }

    /**
     * Marks what the root, the enum registry and the names reach, calling
     * each with every object reached (once); returns the marks, a bit per
     * word (offset / 8). References that name no object of a known type are
     * not followed (jpmem check reports them).
     */
    BitSet markReachable(java.util.function.ObjLongConsumer<Type> each) throws Bad {
        BitSet marked = new BitSet();
        ArrayDeque<Long> stack = new ArrayDeque<>();
        List<Long> roots = new ArrayList<>(names().values());
        roots.add(state.get("root_offset"));
        roots.add(enumRegistry());
        for (long v : roots) {
            if (v != 0 && v - 1 < top && (v - 1) % 8 == 0) stack.push(v - 1);
        }
        while (!stack.isEmpty()) {
            long o = stack.pop();
            if (marked.get((int) (o / 8))) continue;
            Type t = typeAt(o);
            if (t == null) continue;
            marked.set((int) (o / 8));
            each.accept(t, o);
            if (sizeOf(o, t) < 0 && !t.isArray()) continue;   // its fields past the recorded ones are unknown
            forEachReference(o, t, (field, fd) -> {
                long target = referenceAt(field);
                if (target >= 0 && target % 8 == 0 && !marked.get((int) (target / 8))) stack.push(target);
            });
        }
        return marked;
    }

    /** What the walk finds at o: an object (its offset), or the offset to go on from. */
    interface Visitor {
        /** An object at o of type t (null: a klass outside the type table). Returns its size, or -1 to stop. */
        long object(long o, Type t);

        default void free(long o, long bytes) {}
    }

    /**
     * Walks [0, top) as PmemWalk does: zero words, free chunks, lone mark words, objects. The
     * fresh ranges of unfinished transactions count as free chunks: the next start frees them,
     * and until then their objects may have stores without headers.
     */
    void walk(Visitor v) {
        Map<Long, Long> fresh = freshRanges();
        long o = 0;
        while (o < top) {
            long m = word(o);
            Long freshBytes = fresh.get(o);
            if (freshBytes != null) {
                long n = Math.min(freshBytes, top - o);
                v.free(o, n);
                o += Math.max(n, 8);
            } else if (m == 0) {
                o += 8;
            } else if ((m & 0xff) == FREE_TAG_BYTE) {
                long n = Math.min((m >>> 8) * 8, top - o);
                v.free(o, n);
                o += Math.max(n, 8);
            } else if (o + 8 < top && rawKlass(o) == 0) {
                o += 16;
            } else {
                long size = v.object(o, typeAt(o));
                if (size <= 0) return;
                o += size;
            }
        }
    }

    private NavigableMap<Long, Long> fresh;

    /**
     * The fresh ranges (PmemLog::append_fresh) that the unfinished transactions' logs hold:
     * objects-area offset -> bytes. Recovery frees each one whole.
     */
    NavigableMap<Long, Long> freshRanges() {
        if (fresh != null) {
            return fresh;
        }
        fresh = new TreeMap<>();   // by offset: freshRangeOf looks up the range below
        long slotSize = (logSize / logSlots) / 64 * 64;
        for (int i = 0; i < logSlots; i++) {
            long slot = logOff + i * slotSize;
            long st = u64(slot);
            if ((st & 1) == 0) continue;
            int gen = (int) (st >>> 1);
            long base = slot, size = slotSize, pos = LOG_HEADER;
            for (long seg = 0; seg <= fileLength / (4 * LOG_MAX_DATA); seg++) {
                long[] e;
                while ((e = logEntry(base, size, pos, gen)) != null && (e[0] & 0xffff) != 0) {
                    if ((e[0] & 0xffff) == LOG_FRESH) {
                        long tag = u64(base + pos + 16);
                        fresh.put((e[0] >>> 16) - objectsOff, (tag >>> 8) * 8);
                    }
                    pos = e[1];
                }
                if (e == null) break;   // the end of the entries
                size = u64(base + pos + 16);   // a continuation: the next chunk
                base = e[0] >>> 16;
                pos = 0;
            }
        }
        // What lies above a deferred buffer's mark was never linked and may
        // lack headers: the next start frees it whole, as a fresh range.
        for (long[] d : deferredSlots()) {
            if (d[2] < d[1]) fresh.put(d[2], d[1] - d[2]);
        }
        return fresh;
    }

    /** The deferred buffers the last run left: {start, end, mark} each, objects-area offsets. */
    List<long[]> deferredSlots() {
        if (deferred != null) {
            return deferred;
        }
        List<long[]> slots = new ArrayList<>();
        for (int i = 0; i < DEFER_SLOTS; i++) {
            long at = STATE_DEFER_SLOTS + 24L * i;
            long start = u64(at), end = u64(at + 8), mark = u64(at + 16);
            if (start != 0 && start - 1 <= mark && mark <= end && end <= top) {
                slots.add(new long[] {start - 1, end, mark});
            }
        }
        deferred = slots;
        return slots;
    }

    private List<long[]> deferred;

    /** The offset (in the objects area) of the fresh range that holds o, or -1. */
    long freshRangeOf(long o) {
        Map.Entry<Long, Long> r = freshRanges().floorEntry(o);   // ranges never overlap
        return r != null && o < r.getKey() + r.getValue() && !isDeferred(r.getKey()) ? r.getKey() : -1;
    }

    /** Whether o lies above the mark of a deferred buffer (never linked: a reachable reference there is damage). */
    boolean isDeferred(long o) {
        for (long[] d : deferredSlots()) {
            if (o >= d[2] && o < d[1]) return true;
        }
        return false;
    }

    private static final long LOG_HEADER = 64, LOG_MAX_DATA = 4096, LOG_FRESH = 0xffff;

    /** PmemLog::entry_at: {word 0, the next entry's position} if the entry at pos counts for gen, else null. */
    private long[] logEntry(long base, long size, long pos, int gen) {
        if (pos < 0 || pos + 16 > size || base + pos + 16 > fileLength) return null;
        long w0 = u64(base + pos), w1 = u64(base + pos + 8);
        long len = w0 & 0xffff, target = w0 >>> 16;
        if (w0 == 0 || (len > LOG_MAX_DATA && len != LOG_FRESH) || (int) (w1 >>> 32) != gen) return null;
        long words = len == 0 || len == LOG_FRESH ? 1 : (len + 7) / 8;
        long end = pos + (2 + words) * 8;
        if (end > size || base + end > fileLength) return null;
        long h = 0xcbf29ce484222325L;
        h = (h ^ w0) * 0x100000001b3L;
        h = (h ^ Integer.toUnsignedLong(gen)) * 0x100000001b3L;
        for (long i = 0; i < words; i++) {
            h = (h ^ u64(base + pos + 16 + 8 * i)) * 0x100000001b3L;
        }
        if (((int) (h ^ (h >>> 32)) | 1) != (int) w1) return null;
        if (len == 0) {
            long chunk = u64(base + pos + 16);
            if (target % 8 != 0 || chunk < 4 * LOG_MAX_DATA || chunk > fileLength || target > fileLength - chunk) return null;
        } else if (target + (len == LOG_FRESH ? 8 : len) > fileLength) {
            return null;
        }
        return new long[] {w0, end};
    }

    /** Unfinished transactions: the log slots whose state word says active. */
    int openTransactions() {
        long slot = (logSize / logSlots) / 64 * 64;
        int n = 0;
        for (int i = 0; i < logSlots; i++) {
            if ((u64(logOff + i * slot) & 1) != 0) n++;
        }
        return n;
    }

    /** The names table: name -> objects-area offset + 1 (0: none). */
    Map<String, Long> names() throws Bad {
        long count = u64(rootsOff);
        long capacity = (rootsSize - ROOTS_HEADER) / NAME_ENTRY;
        if (count > capacity) {
            throw new Bad(path + " is damaged: its names table counts " + count + " entries, room for " + capacity);
        }
        Map<String, Long> out = new java.util.TreeMap<>();
        for (long i = 0; i < count; i++) {
            long e = rootsOff + ROOTS_HEADER + i * NAME_ENTRY;
            long obj = u64(e);
            int len = i32(e + 8);
            if (obj == 0) continue;
            if (len <= 0 || len > 111) {
                throw new Bad(path + " is damaged: the name entry at file offset " + e + " has length " + len);
            }
            out.put(new String(bytes(e + 16, len), StandardCharsets.UTF_8), obj);
        }
        return out;
    }

    long enumRegistry() {
        return u64(rootsOff + 8);
    }

    @Override
    public void close() throws IOException {
        ch.close();
    }

    static HeapFile open(String file) throws IOException, Bad {
        Path p = Path.of(file);
        if (Files.isDirectory(p)) {
            throw new Bad(file + " is a directory");
        }
        return new HeapFile(p);
    }
}
