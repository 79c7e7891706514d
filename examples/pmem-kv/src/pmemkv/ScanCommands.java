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

/**
 * SSCAN, HSCAN and ZSCAN key cursor [MATCH pattern] [COUNT count], after
 * Redis's scanGenericCommand. A collection Redis would keep compact (a set
 * of at most 512 integers, a hash or sorted set of at most 128 entries of
 * at most 64 bytes: 7.0's defaults) comes back whole with cursor 0, as
 * Redis's does; a larger one is scanned with PDict's bit-reversed cursor,
 * COUNT buckets' worth at a time (at most ten times COUNT visits), so every
 * element present from the first call to the last is returned at least
 * once. Checks come in Redis's order: the cursor, the key and its type,
 * then the options.
 */
final class ScanCommands {
    private ScanCommands() {}

    static void register(Server s) {
        s.add("SSCAN", -3, false, 1, 1, 1, c -> scan(c, PDict.SET));
        s.add("HSCAN", -3, false, 1, 1, 1, c -> scan(c, PDict.HASH));
        s.add("ZSCAN", -3, false, 1, 1, 1, c -> scan(c, PDict.ZSET));
    }


    private static void scan(Ctx c, byte kind) {
        long cursor = cursor(c.arg(2));
        PDict dict;
        PZSet z = null;
        if (kind == PDict.ZSET) {
            z = c.value(1, PZSet.class);
            dict = z == null ? null : z.dict;
        } else {
            dict = c.dict(1, kind);
        }
        if (dict == null) {
            c.out.array(2);
            c.out.bulk(Bytes.of("0"));
            c.out.array(0);
            return;
        }
        byte[] pattern = null;
        long count = 10;
        for (int i = 3; i < c.argc(); i += 2) {
            if (c.is(i, "COUNT") && i + 1 < c.argc()) {
                count = c.argLong(i + 1);
                if (count < 1) {
                    throw KvError.SYNTAX;
                }
            } else if (c.is(i, "MATCH") && i + 1 < c.argc()) {
                pattern = c.arg(i + 1);
                if (pattern.length == 1 && pattern[0] == '*') {
                    pattern = null;
                }
            } else {
                throw KvError.SYNTAX;
            }
        }
        List<byte[]> out = new ArrayList<>();   // elements, or field/member and value/score pairs
        final byte[] pat = pattern;
        final boolean pairs = kind != PDict.SET;
        final PZSet zs = z;
        java.util.function.Consumer<PEntry> take = e -> {
            if (pat == null || Glob.match(pat, e.key)) {
                out.add(e.key);
                if (pairs) {
                    out.add(zs != null ? Bytes.formatScore(((PZSet.Node) e.value).score) : (byte[]) e.value);
                }
            }
        };
        long next = 0;
        if (compact(dict, zs)) {
            if (zs != null) {   // a listpack is in score order
                zs.range(0, zs.size() - 1, false, (m, sc) -> {
                    if (pat == null || Glob.match(pat, m)) {
                        out.add(m);
                        out.add(Bytes.formatScoreCompact(sc));
                    }
                });
            } else {
                dict.forEach(take);
                if (kind == PDict.SET) {   // an intset is sorted
                    out.sort(java.util.Comparator.comparingLong(Bytes::parseLong));
                }
            }
        } else {
            long visits = count * 10;
            next = cursor;
            do {
                next = dict.scan(next, take);
            } while (next != 0 && visits-- > 0 && out.size() / (pairs ? 2 : 1) < count);
        }
        c.out.array(2);
        c.out.bulk(Bytes.of(Long.toUnsignedString(next)));
        c.out.array(out.size());
        out.forEach(c.out::bulk);
    }

    /**
     * A cursor as Redis reads one, with C's strtoul: an optional sign, then
     * decimal digits, nothing else; "-n" wraps around (2^64 - n), "" is 0;
     * more than 64 bits is "ERR invalid cursor", as is anything else.
     */
    static long cursor(byte[] b) {
        int i = 0;
        boolean neg = false;
        if (b.length > 0 && (b[0] == '-' || b[0] == '+')) {
            neg = b[0] == '-';
            i = 1;
        }
        if (i < b.length || b.length == 0) {
            long v = 0;
            for (; i < b.length; i++) {
                int d = b[i] - '0';
                if (d < 0 || d > 9 || Long.compareUnsigned(v, Long.divideUnsigned(-1L, 10)) > 0) {
                    throw new KvError("ERR invalid cursor");
                }
                long next = v * 10 + d;
                if (Long.compareUnsigned(next, v * 10) < 0) {
                    throw new KvError("ERR invalid cursor");   // past 2^64 - 1
                }
                v = next;
            }
            return neg ? -v : v;
        }
        throw new KvError("ERR invalid cursor");   // a sign alone
    }

    /** Whether Redis 7.0 would have this collection in an intset or listpack (Encodings): SCAN returns it whole. */
    private static boolean compact(PDict dict, PZSet z) {
        return z != null ? !z.big : !dict.big;
    }
}
