/*
 * Copyright (c) 2026, the pmem-jdk authors. All rights reserved.
 * DO NOT ALTER OR REMOVE COPYRIGHT NOTICES OR THIS FILE HEADER.
 *
 * This code is free software; you can redistribute it and/or modify it
 * under the terms of the GNU General Public License version 2 only, as
 * published by the Free Software Foundation.
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

package pmemkv;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Redis's RDB serialization, version 10 (Redis 7.0): the payloads of DUMP
 * and RESTORE, and whole files as replication sends them.
 *
 * <p>Writing uses the generic encodings every Redis since 2.x loads
 * (string, list, set, hash, and zset with binary scores); Redis converts
 * them to its compact encodings on load. Reading takes what Redis 7.0 and
 * older write as well: integer- and LZF-encoded strings, quicklists of
 * listpacks or ziplists, ziplists, listpacks and intsets (and 7.2's
 * listpack sets). Modules, streams and zipmaps are refused as bad data.
 *
 * <p>Reading builds volatile values ({@link Value}) that
 * {@link #materialize} turns into persistent ones inside the caller's
 * transaction, so a malformed payload is refused before anything is
 * written.
 */
final class Rdb {
    private Rdb() {}

    static final int VERSION = 10;

    // Object types (rdb.h).
    static final int T_STRING = 0, T_LIST = 1, T_SET = 2, T_ZSET = 3, T_HASH = 4, T_ZSET_2 = 5,
            T_HASH_ZIPLIST = 13, T_LIST_ZIPLIST = 10, T_SET_INTSET = 11, T_ZSET_ZIPLIST = 12,
            T_LIST_QUICKLIST = 14, T_HASH_LISTPACK = 16, T_ZSET_LISTPACK = 17, T_LIST_QUICKLIST_2 = 18,
            T_SET_LISTPACK = 20;
    // File opcodes.
    static final int OP_FUNCTION2 = 0xF5, OP_MODULE_AUX = 0xF7, OP_IDLE = 0xF8, OP_FREQ = 0xF9, OP_AUX = 0xFA,
            OP_RESIZEDB = 0xFB, OP_EXPIRETIME_MS = 0xFC, OP_EXPIRETIME = 0xFD, OP_SELECTDB = 0xFE, OP_EOF = 0xFF;

    /** Malformed input: RESTORE answers "Bad data format". */
    static final class BadData extends RuntimeException {
        BadData(String why) {
            super(why, null, false, false);
        }
    }

    // ---- CRC-64 (Jones polynomial, reflected), as Redis's crc64.c computes it ----

    private static final long[] CRC_TABLE = new long[256];
    static {
        final long poly = 0x95AC9329AC4BC9B5L;   // 0xad93d23594c935a9 bit-reversed
        for (int i = 0; i < 256; i++) {
            long c = i;
            for (int k = 0; k < 8; k++) {
                c = (c & 1) != 0 ? (c >>> 1) ^ poly : c >>> 1;
            }
            CRC_TABLE[i] = c;
        }
    }

    static long crc64(long crc, byte[] b, int off, int len) {
        for (int i = off; i < off + len; i++) {
            crc = CRC_TABLE[(int) ((crc ^ b[i]) & 0xff)] ^ (crc >>> 8);
        }
        return crc;
    }

    // ---- writing ----

    /** A growable byte buffer in RDB's encodings. */
    static final class Out {
        byte[] buf = new byte[256];
        int n;

        void ensure(int more) {
            if (n + more > buf.length) {
                long want = Math.max((long) buf.length * 2, (long) n + more);
                if (want > Integer.MAX_VALUE - 16) {
                    throw new KvError("ERR value too large to serialize");
                }
                buf = java.util.Arrays.copyOf(buf, (int) want);
            }
        }

        void u8(int b) {
            ensure(1);
            buf[n++] = (byte) b;
        }

        void raw(byte[] b, int off, int len) {
            ensure(len);
            System.arraycopy(b, off, buf, n, len);
            n += len;
        }

        void le(long v, int bytes) {
            ensure(bytes);
            for (int i = 0; i < bytes; i++) {
                buf[n++] = (byte) (v >>> (8 * i));
            }
        }

        /** RDB's length: 6, 14, 32 or 64 bits, big-endian beyond the first byte. */
        void len(long v) {
            if (v < 64) {
                u8((int) v);
            } else if (v < 16384) {
                u8(0x40 | (int) (v >>> 8));
                u8((int) v & 0xff);
            } else if (v <= 0xffffffffL) {
                u8(0x80);
                for (int i = 3; i >= 0; i--) {
                    u8((int) (v >>> (8 * i)) & 0xff);
                }
            } else {
                u8(0x81);
                for (int i = 7; i >= 0; i--) {
                    u8((int) (v >>> (8 * i)) & 0xff);
                }
            }
        }

        void str(byte[] s) {
            len(s.length);
            raw(s, 0, s.length);
        }

        void str(String s) {
            str(s.getBytes(StandardCharsets.UTF_8));
        }

        byte[] toArray() {
            return java.util.Arrays.copyOf(buf, n);
        }
    }

    /**
     * Writes value's type byte, key (unless null: DUMP has none) and body.
     * Reads the persistent value: the caller holds its key's shard lock.
     */
    static void writeObject(Out o, byte[] key, Object v) {
        o.u8(v instanceof byte[] ? T_STRING : v instanceof PList ? T_LIST : v instanceof PZSet ? T_ZSET_2
                : v instanceof PDict d && d.kind == PDict.HASH ? T_HASH : T_SET);
        if (key != null) {
            o.str(key);
        }
        if (v instanceof byte[] s) {
            o.str(s);
        } else if (v instanceof PList l) {
            o.len(l.size());
            if (l.size() > 0) {
                l.range(0, l.size() - 1, o::str);
            }
        } else if (v instanceof PZSet z) {
            o.len(z.size());
            if (z.size() > 0) {
                z.range(0, z.size() - 1, false, (m, score) -> {
                    o.str(m);
                    o.le(Double.doubleToRawLongBits(score), 8);
                });
            }
        } else if (v instanceof PDict d) {
            boolean hash = d.kind == PDict.HASH;
            o.len(d.size());
            d.forEach(e -> {
                o.str(e.key);
                if (hash) {
                    o.str((byte[]) e.value);
                }
            });
        } else {
            throw new IllegalArgumentException("not a value: " + v);
        }
    }

    /** DUMP's payload: the object, the RDB version (2 bytes) and a CRC-64 of both (8 bytes), little-endian. */
    static byte[] dump(Object v) {
        Out o = new Out();
        writeObject(o, null, v);
        o.le(VERSION, 2);
        o.le(crc64(0, o.buf, 0, o.n), 8);
        return o.toArray();
    }

    /**
     * The dataset as an RDB file, as a master sends it for a full sync: aux
     * fields (the replication id and offset among them), database 0, every
     * key not expired at now with its expiry, EOF and the CRC-64. The caller
     * holds every shard lock.
     */
    static byte[] file(Db db, String replid, long offset, long now) {
        Out o = new Out();
        byte[] magic = ("REDIS00" + VERSION).getBytes(StandardCharsets.US_ASCII);
        o.raw(magic, 0, magic.length);
        String[][] aux = {{"redis-ver", Server.REDIS_VERSION}, {"redis-bits", "64"},
            {"ctime", Long.toString(now / 1000)}, {"used-mem", "0"}, {"repl-stream-db", "0"}, {"repl-id", replid},
            {"repl-offset", Long.toString(offset)}, {"aof-base", "0"}};
        for (String[] a : aux) {
            o.u8(OP_AUX);
            o.str(a[0]);
            o.str(a[1]);
        }
        o.u8(OP_SELECTDB);
        o.len(0);
        o.u8(OP_RESIZEDB);
        o.len(db.size());
        o.len(db.expiresSize());
        db.forEachEntry(e -> {
            if (e.expireAt != 0) {
                if (e.expireAt <= now) {
                    return;
                }
                o.u8(OP_EXPIRETIME_MS);
                o.le(e.expireAt, 8);
            }
            writeObject(o, e.key, e.value);
        });
        o.u8(OP_EOF);
        o.le(crc64(0, o.buf, 0, o.n), 8);
        return o.toArray();
    }

    /** Receives each key of an RDB file. */
    interface FileSink {
        void key(int db, byte[] key, Value value, long expireAt);
    }

    /**
     * Reads an RDB file (versions up to 11: Redis 7.2): aux fields,
     * databases, expiry times, keys; modules and streams are BadData. Checks
     * the CRC-64 at its end (0 means none).
     */
    static void readFile(byte[] f, FileSink sink) {
        if (f.length < 9 || !new String(f, 0, 5, StandardCharsets.US_ASCII).equals("REDIS")) {
            throw new BadData("not an RDB file");
        }
        int ver;
        try {
            ver = Integer.parseInt(new String(f, 5, 4, StandardCharsets.US_ASCII));
        } catch (NumberFormatException e) {
            throw new BadData("RDB version");
        }
        if (ver < 1 || ver > 11) {
            throw new BadData("RDB version " + ver);
        }
        In in = new In(f, 9, f.length);
        int db = 0;
        long expireAt = 0;
        for (;;) {
            int op = in.u8();
            switch (op) {
                case OP_AUX -> {
                    in.str();
                    in.str();
                }
                case OP_RESIZEDB -> {
                    in.len();
                    in.len();
                }
                case OP_EXPIRETIME_MS -> expireAt = in.le(8);
                case OP_EXPIRETIME -> expireAt = in.le(4) * 1000;
                case OP_SELECTDB -> db = in.count();
                case OP_IDLE -> in.len();
                case OP_FREQ -> in.u8();
                case OP_FUNCTION2 -> in.str();   // a function library: pmem-kv runs no scripts
                case OP_MODULE_AUX -> throw new BadData("module data");
                case OP_EOF -> {
                    if (ver >= 5 && in.end - in.p >= 8) {
                        long want = in.le(8);
                        if (want != 0 && crc64(0, f, 0, in.p - 8) != want) {
                            throw new BadData("RDB checksum");
                        }
                    }
                    return;
                }
                default -> {
                    byte[] key = in.str();
                    Value v = readObject(in, op);
                    sink.key(db, key, v, expireAt);
                    expireAt = 0;
                }
            }
        }
    }

    /** RESTORE's check of a payload: its version is one we read, its checksum matches. */
    static boolean payloadOk(byte[] p) {
        if (p.length < 10) {
            return false;
        }
        int f = p.length - 10;
        int ver = (p[f] & 0xff) | (p[f + 1] & 0xff) << 8;
        if (ver > VERSION) {
            return false;
        }
        long crc = 0;
        for (int i = 7; i >= 0; i--) {
            crc = crc << 8 | (p[f + 2 + i] & 0xff);
        }
        return crc64(0, p, 0, p.length - 8) == crc;
    }

    // ---- reading ----

    /**
     * A value read from RDB, still volatile: a string (byte[]); a list
     * (elements); a set (members); a hash (fields and values alternating);
     * a sorted set (members, with scores).
     */
    record Value(int type, byte[] string, List<byte[]> items, double[] scores) {
        static final int STRING = 0, LIST = 1, SET = 2, HASH = 3, ZSET = 4;
    }

    /** A reader over bytes; every overrun is {@link BadData}. */
    static final class In {
        final byte[] b;
        int p;
        final int end;

        In(byte[] b, int off, int end) {
            this.b = b;
            this.p = off;
            this.end = end;
        }

        int u8() {
            if (p >= end) {
                throw new BadData("truncated");
            }
            return b[p++] & 0xff;
        }

        long le(int bytes) {
            need(bytes);
            long v = 0;
            for (int i = bytes - 1; i >= 0; i--) {
                v = v << 8 | (b[p + i] & 0xff);
            }
            p += bytes;
            return v;
        }

        void need(long n) {
            if (n < 0 || n > end - p) {
                throw new BadData("truncated");
            }
        }

        /** A length; -1 - encoding for a specially encoded string (int or LZF). */
        long len() {
            int c = u8();
            switch (c >> 6) {
                case 0:
                    return c & 0x3f;
                case 1:
                    return (c & 0x3f) << 8 | u8();
                case 2:
                    if (c == 0x80) {
                        long v = 0;
                        for (int i = 0; i < 4; i++) {
                            v = v << 8 | u8();
                        }
                        return v;
                    } else if (c == 0x81) {
                        long v = 0;
                        for (int i = 0; i < 8; i++) {
                            v = v << 8 | u8();
                        }
                        if (v < 0) {
                            throw new BadData("length");
                        }
                        return v;
                    }
                    throw new BadData("length encoding");
                default:
                    return -1 - (c & 0x3f);
            }
        }

        /** A count of elements: a plain length that fits an int. */
        int count() {
            long n = len();
            if (n < 0 || n > Integer.MAX_VALUE - 16) {
                throw new BadData("count");
            }
            return (int) n;
        }

        byte[] str() {
            long n = len();
            if (n >= 0) {
                return take(this, n);
            }
            switch ((int) (-1 - n)) {
                case 0:
                    return Bytes.of(Long.toString((byte) u8()));
                case 1:
                    return Bytes.of(Long.toString((short) le(2)));
                case 2:
                    return Bytes.of(Long.toString((int) le(4)));
                case 3: {
                    long clen = len(), ulen = len();
                    if (clen < 0 || ulen < 0 || ulen > Integer.MAX_VALUE - 16) {
                        throw new BadData("lzf lengths");
                    }
                    need(clen);
                    byte[] out = lzf(b, p, (int) clen, (int) ulen);
                    p += (int) clen;
                    return out;
                }
                default:
                    throw new BadData("string encoding");
            }
        }
    }

    /** LZF decompression (liblzf's format, as Redis writes it). */
    static byte[] lzf(byte[] in, int off, int len, int outLen) {
        byte[] out = new byte[outLen];
        int ip = off, op = 0, end = off + len;
        while (ip < end) {
            int ctrl = in[ip++] & 0xff;
            if (ctrl < 32) {                      // a literal run of ctrl + 1 bytes
                int n = ctrl + 1;
                if (op + n > outLen || ip + n > end) {
                    throw new BadData("lzf");
                }
                System.arraycopy(in, ip, out, op, n);
                ip += n;
                op += n;
            } else {                              // a back reference
                int n = ctrl >> 5;
                if (ip >= end) {
                    throw new BadData("lzf");
                }
                if (n == 7) {
                    n += in[ip++] & 0xff;
                    if (ip >= end) {
                        throw new BadData("lzf");
                    }
                }
                int ref = op - ((ctrl & 0x1f) << 8) - 1 - (in[ip++] & 0xff);
                n += 2;
                if (ref < 0 || op + n > outLen) {
                    throw new BadData("lzf");
                }
                for (int i = 0; i < n; i++) {
                    out[op++] = out[ref++];
                }
            }
        }
        if (op != outLen) {
            throw new BadData("lzf length");
        }
        return out;
    }

    /** Reads an object of type (its type byte read already). Empty aggregates are bad data, as in Redis 7.0. */
    static Value readObject(In in, int type) {
        List<byte[]> items = new ArrayList<>();
        switch (type) {
            case T_STRING:
                return new Value(Value.STRING, in.str(), null, null);
            case T_LIST: {
                int n = in.count();
                for (int i = 0; i < n; i++) {
                    items.add(in.str());
                }
                return nonEmpty(new Value(Value.LIST, null, items, null));
            }
            case T_SET: {
                int n = in.count();
                for (int i = 0; i < n; i++) {
                    items.add(in.str());
                }
                return nonEmpty(new Value(Value.SET, null, items, null));
            }
            case T_HASH: {
                int n = in.count();
                for (int i = 0; i < n; i++) {
                    items.add(in.str());
                    items.add(in.str());
                }
                return nonEmpty(new Value(Value.HASH, null, items, null));
            }
            case T_ZSET:
            case T_ZSET_2: {
                int n = in.count();
                double[] scores = new double[n];
                for (int i = 0; i < n; i++) {
                    items.add(in.str());
                    scores[i] = type == T_ZSET_2 ? Double.longBitsToDouble(in.le(8)) : asciiScore(in);
                    if (Double.isNaN(scores[i])) {
                        throw new BadData("NaN score");
                    }
                }
                return nonEmpty(new Value(Value.ZSET, null, items, scores));
            }
            case T_LIST_QUICKLIST:
            case T_LIST_QUICKLIST_2: {
                int nodes = in.count();
                for (int i = 0; i < nodes; i++) {
                    int container = type == T_LIST_QUICKLIST ? 2 : in.count();
                    byte[] blob = in.str();
                    if (container == 1) {
                        items.add(blob);                    // a plain node: one element
                    } else if (container == 2) {
                        if (type == T_LIST_QUICKLIST) {
                            ziplist(blob, items);
                        } else {
                            listpack(blob, items);
                        }
                    } else {
                        throw new BadData("quicklist container");
                    }
                }
                return nonEmpty(new Value(Value.LIST, null, items, null));
            }
            case T_LIST_ZIPLIST:
                ziplist(in.str(), items);
                return nonEmpty(new Value(Value.LIST, null, items, null));
            case T_SET_INTSET:
                intset(in.str(), items);
                return nonEmpty(new Value(Value.SET, null, items, null));
            case T_SET_LISTPACK:
                listpack(in.str(), items);
                return nonEmpty(new Value(Value.SET, null, items, null));
            case T_HASH_ZIPLIST:
            case T_HASH_LISTPACK:
                if (type == T_HASH_ZIPLIST) {
                    ziplist(in.str(), items);
                } else {
                    listpack(in.str(), items);
                }
                if (items.size() % 2 != 0) {
                    throw new BadData("odd hash");
                }
                return nonEmpty(new Value(Value.HASH, null, items, null));
            case T_ZSET_ZIPLIST:
            case T_ZSET_LISTPACK: {
                List<byte[]> flat = new ArrayList<>();
                if (type == T_ZSET_ZIPLIST) {
                    ziplist(in.str(), flat);
                } else {
                    listpack(in.str(), flat);
                }
                if (flat.size() % 2 != 0) {
                    throw new BadData("odd zset");
                }
                double[] scores = new double[flat.size() / 2];
                for (int i = 0; i < flat.size(); i += 2) {
                    items.add(flat.get(i));
                    try {
                        scores[i / 2] = Bytes.parseDouble(flat.get(i + 1));
                    } catch (NumberFormatException e) {
                        throw new BadData("zset score");
                    }
                }
                return nonEmpty(new Value(Value.ZSET, null, items, scores));
            }
            default:
                throw new BadData("unsupported type " + type);
        }
    }

    private static Value nonEmpty(Value v) {
        if (v.items().isEmpty()) {
            throw new BadData("empty key");
        }
        return v;
    }

    /** RDB_TYPE_ZSET's score: a length byte, 253 NaN, 254 +inf, 255 -inf, else that many ASCII bytes. */
    private static double asciiScore(In in) {
        int n = in.u8();
        switch (n) {
            case 253:
                return Double.NaN;
            case 254:
                return Double.POSITIVE_INFINITY;
            case 255:
                return Double.NEGATIVE_INFINITY;
            default:
                in.need(n);
                String s = new String(in.b, in.p, n, StandardCharsets.US_ASCII);
                in.p += n;
                try {
                    return Double.parseDouble(s);
                } catch (NumberFormatException e) {
                    throw new BadData("zset score");
                }
        }
    }

    /** Appends a listpack's entries (listpack.c's encodings) to out. */
    static void listpack(byte[] lp, List<byte[]> out) {
        In in = new In(lp, 0, lp.length);
        long total = in.le(4);
        if (total != lp.length) {
            throw new BadData("listpack size");
        }
        in.le(2);   // the element count; 65535 means "count them"
        for (;;) {
            int start = in.p;
            int c = in.u8();
            if (c == 0xFF) {
                break;
            }
            if ((c & 0x80) == 0) {
                out.add(Bytes.of(Integer.toString(c)));
            } else if ((c & 0xC0) == 0x80) {
                out.add(take(in, c & 0x3f));
            } else if ((c & 0xE0) == 0xC0) {
                int v = (c & 0x1f) << 8 | in.u8();
                out.add(Bytes.of(Integer.toString(v >= 1 << 12 ? v - (1 << 13) : v)));
            } else if ((c & 0xF0) == 0xE0) {
                out.add(take(in, (c & 0x0f) << 8 | in.u8()));
            } else {
                switch (c) {
                    case 0xF0 -> out.add(take(in, in.le(4)));
                    case 0xF1 -> out.add(Bytes.of(Long.toString((short) in.le(2))));
                    case 0xF2 -> out.add(Bytes.of(Long.toString((in.le(3) << 40) >> 40)));
                    case 0xF3 -> out.add(Bytes.of(Long.toString((int) in.le(4))));
                    case 0xF4 -> out.add(Bytes.of(Long.toString(in.le(8))));
                    default -> throw new BadData("listpack encoding");
                }
            }
            long entry = in.p - start;   // encoding and data; the back-length follows
            int back = entry < 128 ? 1 : entry < 16384 ? 2 : entry < 2097152 ? 3 : entry < 268435456 ? 4 : 5;
            in.need(back);
            in.p += back;
        }
        if (in.p != lp.length) {
            throw new BadData("listpack end");
        }
    }

    /** Appends a ziplist's entries (ziplist.c's encodings) to out. */
    static void ziplist(byte[] zl, List<byte[]> out) {
        In in = new In(zl, 0, zl.length);
        long total = in.le(4);
        if (total != zl.length) {
            throw new BadData("ziplist size");
        }
        in.le(4);   // tail offset
        in.le(2);   // count
        for (;;) {
            int prev = in.u8();
            if (prev == 0xFF) {
                break;
            }
            if (prev == 0xFE) {
                in.le(4);
            }
            int c = in.u8();
            switch (c >> 6) {
                case 0 -> out.add(take(in, c & 0x3f));
                case 1 -> out.add(take(in, (c & 0x3f) << 8 | in.u8()));
                case 2 -> {
                    long n = 0;
                    for (int i = 0; i < 4; i++) {
                        n = n << 8 | in.u8();
                    }
                    out.add(take(in, n));
                }
                default -> {
                    long v;
                    if (c == 0xC0) {
                        v = (short) in.le(2);
                    } else if (c == 0xD0) {
                        v = (int) in.le(4);
                    } else if (c == 0xE0) {
                        v = in.le(8);
                    } else if (c == 0xF0) {
                        v = (in.le(3) << 40) >> 40;
                    } else if (c == 0xFE) {
                        v = (byte) in.u8();
                    } else if (c >= 0xF1 && c <= 0xFD) {
                        v = (c & 0x0f) - 1;
                    } else {
                        throw new BadData("ziplist encoding");
                    }
                    out.add(Bytes.of(Long.toString(v)));
                }
            }
        }
        if (in.p != zl.length) {
            throw new BadData("ziplist end");
        }
    }

    /** Appends an intset's members to out. */
    static void intset(byte[] is, List<byte[]> out) {
        In in = new In(is, 0, is.length);
        int width = (int) in.le(4);
        long n = in.le(4);
        if ((width != 2 && width != 4 && width != 8) || n * width != is.length - 8) {
            throw new BadData("intset");
        }
        for (long i = 0; i < n; i++) {
            long v = in.le(width);
            v = width == 2 ? (short) v : width == 4 ? (int) v : v;
            out.add(Bytes.of(Long.toString(v)));
        }
    }

    private static byte[] take(In in, long n) {
        in.need(n);
        byte[] s = java.util.Arrays.copyOfRange(in.b, in.p, in.p + (int) n);
        in.p += (int) n;
        return s;
    }

    /** Reads a DUMP payload checked by {@link #payloadOk}. */
    static Value undump(byte[] p) {
        In in = new In(p, 0, p.length - 10);
        return readObject(in, in.u8());   // bytes after the object are ignored, as Redis ignores them
    }

    /** The persistent value of v (strings, members and fields copied); a duplicate member is BadData. In a txn. */
    static Object materialize(Value v) {
        switch (v.type()) {
            case Value.STRING:
                return Bytes.persist(v.string());
            case Value.LIST: {
                byte[][] items = new byte[v.items().size()][];
                for (int i = 0; i < items.length; i++) {
                    items[i] = Bytes.persist(v.items().get(i));
                }
                PList l = PList.create();
                l.pushAll(items, false);
                return l;
            }
            case Value.SET: {
                PDict d = PDict.create(PDict.SET);
                for (byte[] m : v.items()) {
                    if (d.find(m) != null) {
                        throw new BadData("duplicate set member");
                    }
                    d.add(m, null);
                }
                return d;
            }
            case Value.HASH: {
                PDict d = PDict.create(PDict.HASH);
                List<byte[]> it = v.items();
                for (int i = 0; i < it.size(); i += 2) {
                    if (d.find(it.get(i)) != null) {
                        throw new BadData("duplicate hash field");
                    }
                    d.add(it.get(i), Bytes.persist(it.get(i + 1)));
                }
                return d;
            }
            default: {
                PZSet z = PZSet.building();   // as Redis loads a sorted set
                for (int i = 0; i < v.items().size(); i++) {
                    if (!z.add(v.items().get(i), v.scores()[i])) {
                        throw new BadData("duplicate zset member");
                    }
                }
                z.finishBuild();
                return z;
            }
        }
    }
}
