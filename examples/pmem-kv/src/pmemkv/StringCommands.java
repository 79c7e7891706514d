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


package pmemkv;

import java.util.ArrayList;
import java.util.List;

/** String commands. A string is a persistent byte[]; a changed string is a new array (fresh memory needs no undo log). */
final class StringCommands {
    private StringCommands() {}

    static final long MAX_STRING = 512L * 1024 * 1024;

    static void register(Server s) {
        s.add("GET", 2, false, 1, 1, 1, c -> c.out.bulk(get(c, 1)));
        s.add("SET", -3, true, 1, 1, 1, StringCommands::set);
        s.add("SETNX", 3, true, 1, 1, 1, c -> {
            if (c.lookup(1) != null) {
                c.out.integer(0);
            } else {
                c.db.add(c.arg(1), Bytes.persist(c.arg(2)));
                c.out.integer(1);
            }
        });
        s.add("SETEX", 4, true, 1, 1, 1, c -> setex(c, 1000));
        s.add("PSETEX", 4, true, 1, 1, 1, c -> setex(c, 1));
        s.add("GETSET", 3, true, 1, 1, 1, c -> {
            byte[] old = get(c, 1);
            c.db.set(c.arg(1), Bytes.persist(c.arg(2)), c.now);
            c.out.bulk(old);
        });
        s.add("GETDEL", 2, true, 1, 1, 1, c -> {
            byte[] old = get(c, 1);
            if (old != null) {
                c.db.delete(c.arg(1));
            }
            c.out.bulk(old);
        });
        s.add("GETEX", -2, true, 1, 1, 1, StringCommands::getex);
        s.add("MGET", -2, false, 1, -1, 1, c -> {
            c.out.array(c.argc() - 1);
            for (int i = 1; i < c.argc(); i++) {
                PEntry e = c.lookup(i);
                c.out.bulk(e != null && e.value instanceof byte[] b ? b : null);
            }
        });
        s.add("MSET", -3, true, 1, -1, 2, c -> {
            pairs(c);
            for (int i = 1; i < c.argc(); i += 2) {
                c.db.set(c.arg(i), Bytes.persist(c.arg(i + 1)), c.now);
            }
            c.out.ok();
        });
        s.add("MSETNX", -3, true, 1, -1, 2, c -> {
            pairs(c);
            for (int i = 1; i < c.argc(); i += 2) {
                if (c.lookup(i) != null) {
                    c.out.integer(0);
                    return;
                }
            }
            for (int i = 1; i < c.argc(); i += 2) {
                c.db.set(c.arg(i), Bytes.persist(c.arg(i + 1)), c.now);
            }
            c.out.integer(1);
        });
        s.add("INCR", 2, true, 1, 1, 1, c -> incr(c, 1));
        s.add("DECR", 2, true, 1, 1, 1, c -> incr(c, -1));
        s.add("INCRBY", 3, true, 1, 1, 1, c -> incr(c, c.argLong(2)));
        s.add("DECRBY", 3, true, 1, 1, 1, c -> {
            long d = c.argLong(2);
            if (d == Long.MIN_VALUE) {
                throw new KvError("ERR decrement would overflow");
            }
            incr(c, -d);
        });
        s.add("INCRBYFLOAT", 3, true, 1, 1, 1, StringCommands::incrByFloat);
        s.add("APPEND", 3, true, 1, 1, 1, c -> {
            PEntry e = c.lookup(1);
            byte[] add = c.arg(2);
            if (e == null) {
                c.db.add(c.arg(1), Bytes.persist(add));
                c.out.integer(add.length);
                return;
            }
            if (!(e.value instanceof byte[] cur)) {
                throw KvError.WRONGTYPE;
            }
            checkSize((long) cur.length + add.length);
            byte[] n = Bytes.concat(cur, add);
            e.value = n;   // one lookup: the key's shard lock is held
            e.enc = Encodings.RAW;   // Redis appends to a raw string
            c.out.integer(n.length);
        });
        s.add("STRLEN", 2, false, 1, 1, 1, c -> {
            byte[] v = get(c, 1);
            c.out.integer(v == null ? 0 : v.length);
        });
        s.add("GETRANGE", 4, false, 1, 1, 1, StringCommands::getRange);
        s.add("LCS", -3, false, 1, 2, 1, StringCommands::lcs);
        s.add("SUBSTR", 4, false, 1, 1, 1, StringCommands::getRange);
        s.add("SETRANGE", 4, true, 1, 1, 1, StringCommands::setRange);
    }

    /** The string at key argument {@code i}, null if absent, WRONGTYPE if another type; counts hits. */
    static byte[] get(Ctx c, int i) {
        byte[] v = c.value(i, byte[].class);
        (v == null ? c.server.misses : c.server.hits).incrementAndGet();
        return v;
    }

    private static void pairs(Ctx c) {
        if ((c.argc() - 1) % 2 != 0) {
            throw new KvError("ERR wrong number of arguments for '" + Bytes.str(c.arg(0)).toLowerCase() + "' command");
        }
    }

    private static void checkSize(long n) {
        if (n > MAX_STRING) {
            throw new KvError("ERR string exceeds maximum allowed size (proto-max-bulk-len)");
        }
    }

    /** SET key value [NX|XX] [GET] [EX s|PX ms|EXAT s|PXAT ms|KEEPTTL] */
    private static void set(Ctx c) {
        boolean nx = false, xx = false, get = false, keepTtl = false;
        long at = 0;
        boolean expiry = false;
        for (int i = 3; i < c.argc(); i++) {
            if (c.is(i, "NX") && !xx) {
                nx = true;
            } else if (c.is(i, "XX") && !nx) {
                xx = true;
            } else if (c.is(i, "GET")) {
                get = true;
            } else if (c.is(i, "KEEPTTL") && !expiry) {
                keepTtl = true;
            } else if (!expiry && !keepTtl && i + 1 < c.argc()
                    && (c.is(i, "EX") || c.is(i, "PX") || c.is(i, "EXAT") || c.is(i, "PXAT"))) {
                long t = c.argLong(i + 1);
                boolean secs = c.is(i, "EX") || c.is(i, "EXAT");
                boolean abs = c.is(i, "EXAT") || c.is(i, "PXAT");
                if (t <= 0 || secs && t > Long.MAX_VALUE / 1000) {
                    throw new KvError("ERR invalid expire time in 'set' command");
                }
                at = secs ? t * 1000 : t;
                if (!abs) {
                    if (at > Long.MAX_VALUE - c.now) {
                        throw new KvError("ERR invalid expire time in 'set' command");
                    }
                    at += c.now;
                }
                expiry = true;
                i++;
            } else {
                throw KvError.SYNTAX;
            }
        }
        PEntry e = c.lookup(1);
        byte[] old = null;
        if (get && e != null) {
            if (!(e.value instanceof byte[] b)) {
                throw KvError.WRONGTYPE;
            }
            old = b;
        }
        if (nx && e != null || xx && e == null) {
            if (get) {
                c.out.bulk(old);
            } else {
                c.out.nil();
            }
            return;
        }
        byte[] v = Bytes.persist(c.arg(2));
        if (e == null) {
            e = c.db.add(c.arg(1), v);
        } else {
            e.value = v;
            e.enc = Encodings.DERIVED;
            if (!keepTtl) {
                c.db.setExpire(e, 0);
            }
        }
        if (expiry) {
            if (at <= c.now) {
                c.db.delete(c.arg(1));   // already expired, as Redis does with EXAT in the past
            } else {
                c.db.setExpire(e, at);
            }
        }
        if (get) {
            c.out.bulk(old);
        } else {
            c.out.ok();
        }
    }

    /** GETEX key [EX s|PX ms|EXAT s|PXAT ms|PERSIST], with Redis's option rules and order of checks. */
    private static void getex(Ctx c) {
        int kind = -1;          // the index of the expiry option, -1 for none
        boolean persist = false;
        for (int i = 2; i < c.argc(); i++) {
            boolean more = i + 1 < c.argc();
            boolean ex = c.is(i, "EX"), px = c.is(i, "PX"), exat = c.is(i, "EXAT"), pxat = c.is(i, "PXAT");
            if ((ex || px || exat || pxat) && more && !persist
                    && (kind < 0 || c.is(kind, Bytes.str(c.arg(i))))) {   // the same option again: the last wins
                kind = i;
                i++;
            } else if (c.is(i, "PERSIST") && kind < 0) {
                persist = true;
            } else {
                throw KvError.SYNTAX;
            }
        }
        PEntry e = c.lookup(1);
        if (e == null) {
            c.out.nil();
            return;
        }
        if (!(e.value instanceof byte[] v)) {
            throw KvError.WRONGTYPE;
        }
        long at = 0;
        if (kind >= 0) {
            long t = c.argLong(kind + 1);
            boolean secs = c.is(kind, "EX") || c.is(kind, "EXAT");
            boolean abs = c.is(kind, "EXAT") || c.is(kind, "PXAT");
            if (t <= 0 || secs && t > Long.MAX_VALUE / 1000) {
                throw new KvError("ERR invalid expire time in 'getex' command");
            }
            at = secs ? t * 1000 : t;
            if (!abs) {
                if (at > Long.MAX_VALUE - c.now) {
                    throw new KvError("ERR invalid expire time in 'getex' command");
                }
                at += c.now;
            }
        }
        c.out.bulk(v);
        if (kind >= 0) {
            if (at <= c.now) {
                c.db.delete(c.arg(1));   // EXAT/PXAT in the past
            } else {
                c.db.setExpire(e, at);
            }
        } else if (persist) {
            c.db.setExpire(e, 0);
        }
    }

    private static void setex(Ctx c, long unit) {
        long t = c.argLong(2);
        if (t <= 0 || t > (Long.MAX_VALUE - c.now) / unit) {
            throw new KvError("ERR invalid expire time in '" + Bytes.str(c.arg(0)).toLowerCase() + "' command");
        }
        PEntry e = c.db.set(c.arg(1), Bytes.persist(c.arg(3)), c.now);
        c.db.setExpire(e, c.now + t * unit);
        c.out.ok();
    }

    private static void incr(Ctx c, long by) {
        PEntry e = c.lookup(1);
        long cur = 0;
        if (e != null) {
            if (!(e.value instanceof byte[] b)) {
                throw KvError.WRONGTYPE;
            }
            try {
                cur = Bytes.parseLong(b);
            } catch (NumberFormatException x) {
                throw KvError.NOT_INTEGER;
            }
        }
        long n;
        try {
            n = Math.addExact(cur, by);
        } catch (ArithmeticException x) {
            throw KvError.OVERFLOW;
        }
        byte[] v = Bytes.persist(Bytes.of(Long.toString(n)));
        if (e == null) {
            c.db.add(c.arg(1), v);
        } else {
            e.value = v;   // keeps the key's expiry, as Redis does
            e.enc = Encodings.DERIVED;
        }
        c.out.integer(n);
    }

    private static void incrByFloat(Ctx c) {
        PEntry e = c.lookup(1);
        double cur = 0;
        if (e != null) {
            if (!(e.value instanceof byte[] b)) {
                throw KvError.WRONGTYPE;
            }
            try {
                cur = Bytes.parseDouble(b);
            } catch (NumberFormatException x) {
                throw KvError.NOT_FLOAT;
            }
        }
        double n = cur + c.argDouble(2);
        if (Double.isNaN(n) || Double.isInfinite(n)) {
            throw new KvError("ERR increment would produce NaN or Infinity");
        }
        byte[] v = Bytes.persist(Bytes.formatDouble(n));
        if (e == null) {
            e = c.db.add(c.arg(1), v);
        } else {
            e.value = v;
        }
        e.enc = Encodings.FLOAT;   // Redis makes the result an embedded string, never an integer
        c.propagateAs("SET", c.arg(1), v, "KEEPTTL");   // the result, not the float addition
        c.out.bulk(v);
    }

    /**
     * LCS key1 key2 [LEN] [IDX] [MINMATCHLEN len] [WITHMATCHLEN], as Redis
     * 7.0 computes it: the dynamic-programming table of LCS lengths, then a
     * walk back from its end that emits the matched ranges last to first.
     * A missing key is an empty string; the table may take at most
     * proto-max-bulk-len bytes (4 per cell), as in Redis.
     */
    private static void lcs(Ctx c) {
        PEntry ea = c.lookup(1), eb = c.lookup(2);
        if (ea != null && !(ea.value instanceof byte[]) || eb != null && !(eb.value instanceof byte[])) {
            throw new KvError("ERR The specified keys must contain string values");
        }
        byte[] a = ea == null ? Bytes.EMPTY : (byte[]) ea.value, b = eb == null ? Bytes.EMPTY : (byte[]) eb.value;
        boolean getLen = false, getIdx = false, withMatchLen = false;
        long minMatchLen = 0;
        for (int j = 3; j < c.argc(); j++) {
            if (c.is(j, "IDX")) {
                getIdx = true;
            } else if (c.is(j, "LEN")) {
                getLen = true;
            } else if (c.is(j, "WITHMATCHLEN")) {
                withMatchLen = true;
            } else if (c.is(j, "MINMATCHLEN") && j + 1 < c.argc()) {
                minMatchLen = Math.max(0, c.argLong(++j));
            } else {
                throw KvError.SYNTAX;
            }
        }
        if (getIdx && getLen) {
            throw new KvError("ERR If you want both the length and indexes, please just use IDX.");
        }
        final int alen = a.length, blen = b.length;
        long cells = (long) (alen + 1) * (blen + 1);
        if (cells * 4 > c.server.limits.maxBulk() || cells > Integer.MAX_VALUE - 8) {
            throw new KvError("ERR Insufficient memory, transient memory for LCS exceeds proto-max-bulk-len");
        }
        int[] t = new int[(int) cells];   // t[i * (blen + 1) + j]: LCS of a[0..i) and b[0..j)
        final int w = blen + 1;
        for (int i = 1; i <= alen; i++) {
            for (int j = 1; j <= blen; j++) {
                t[i * w + j] = a[i - 1] == b[j - 1] ? t[(i - 1) * w + j - 1] + 1
                        : Math.max(t[(i - 1) * w + j], t[i * w + j - 1]);
            }
        }
        int idx = t[alen * w + blen];
        if (getLen) {
            c.out.integer(idx);
            return;
        }
        byte[] result = new byte[idx];
        List<long[]> ranges = new ArrayList<>();   // {aStart, aEnd, bStart, bEnd}
        int aStart = alen, aEnd = 0, bStart = 0, bEnd = 0;   // aStart == alen: no range open
        int i = alen, j = blen;
        while (i > 0 && j > 0) {
            boolean emit = false;
            if (a[i - 1] == b[j - 1]) {
                result[idx - 1] = a[i - 1];
                if (aStart == alen) {
                    aStart = aEnd = i - 1;
                    bStart = bEnd = j - 1;
                } else if (aStart == i && bStart == j) {   // contiguous: the range grows backward
                    aStart--;
                    bStart--;
                } else {
                    emit = true;
                }
                if (aStart == 0 || bStart == 0) {
                    emit = true;
                }
                idx--;
                i--;
                j--;
            } else {
                if (t[(i - 1) * w + j] > t[i * w + j - 1]) {
                    i--;
                } else {
                    j--;
                }
                if (aStart != alen) {
                    emit = true;
                }
            }
            if (emit) {
                long matchLen = aEnd - aStart + 1;
                if (minMatchLen == 0 || matchLen >= minMatchLen) {
                    ranges.add(new long[] {aStart, aEnd, bStart, bEnd, matchLen});
                }
                aStart = alen;
            }
        }
        if (!getIdx) {
            c.out.bulk(result);
            return;
        }
        c.out.array(4);
        c.out.bulk("matches");
        c.out.array(ranges.size());
        for (long[] r : ranges) {
            c.out.array(withMatchLen ? 3 : 2);
            c.out.array(2);
            c.out.integer(r[0]);
            c.out.integer(r[1]);
            c.out.array(2);
            c.out.integer(r[2]);
            c.out.integer(r[3]);
            if (withMatchLen) {
                c.out.integer(r[4]);
            }
        }
        c.out.bulk("len");
        c.out.integer(t[alen * w + blen]);
    }

    private static void getRange(Ctx c) {
        long start = c.argLong(2), end = c.argLong(3);
        byte[] v = get(c, 1);
        if (v == null) {
            c.out.bulk(Bytes.EMPTY);
            return;
        }
        long len = v.length;
        if (start < 0 && end < 0 && start > end) {
            c.out.bulk(Bytes.EMPTY);
            return;
        }
        if (start < 0) {
            start = len + start;
        }
        if (end < 0) {
            end = len + end;
        }
        start = Math.max(0, start);
        end = Math.max(0, end);
        if (end >= len) {
            end = len - 1;
        }
        if (start > end || len == 0) {
            c.out.bulk(Bytes.EMPTY);
            return;
        }
        c.out.bulk(v, (int) start, (int) (end - start + 1));
    }

    private static void setRange(Ctx c) {
        long offset = c.argLong(2);
        byte[] add = c.arg(3);
        if (offset < 0) {
            throw new KvError("ERR offset is out of range");
        }
        PEntry e = c.lookup(1);
        byte[] cur = null;
        if (e != null) {
            if (!(e.value instanceof byte[] b)) {
                throw KvError.WRONGTYPE;
            }
            cur = b;
        }
        if (add.length == 0) {
            c.out.integer(cur == null ? 0 : cur.length);
            return;
        }
        checkSize(offset > MAX_STRING ? offset : offset + add.length);   // no overflow past the check
        int curLen = cur == null ? 0 : cur.length;
        int n = (int) Math.max(curLen, offset + add.length);
        byte[] v = jdk.internal.pmem.Pmem.pmake(byte[].class, n);
        if (cur != null) {
            System.arraycopy(cur, 0, v, 0, curLen);
        }
        System.arraycopy(add, 0, v, (int) offset, add.length);
        if (e == null) {
            e = c.db.add(c.arg(1), v);
        } else {
            e.value = v;
        }
        e.enc = Encodings.RAW;   // Redis's SETRANGE makes a raw string
        c.out.integer(n);
    }
}
