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

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The encodings Redis 7.0 would report for each value (OBJECT ENCODING),
 * with its thresholds (CONFIG SET hash-max-listpack-entries, ...).
 * pmem-kv's own structures do not change with them; what follows Redis is
 * the report, and what depends on it (a small collection's SCAN returns it
 * whole). Redis converts a collection to its large encoding once and never
 * back, so {@link PDict#big} and {@link PZSet#big} remember the
 * conversion; a string made by APPEND or SETRANGE is raw, one made by
 * INCRBYFLOAT is never an integer ({@link PEntry#enc}).
 */
final class Encodings {
    private Encodings() {}

    static final byte DERIVED = 0, RAW = 1, FLOAT = 2;   // PEntry.enc of a string

    /** Thresholds, Redis 7.0's defaults. Lists are quicklists in Redis 7.0 whatever these say. */
    static volatile long hashEntries = 512, hashValue = 64, zsetEntries = 128, zsetValue = 64, intsetEntries = 512;
    static volatile long listSize = -2, listCompressDepth = 0;

    /** Redis's string2ll: a canonical 64-bit integer ("-0", "01", "+1" and " 1" are not). */
    static boolean isInt(byte[] b) {
        if (b.length == 0 || b.length > 20) {
            return false;
        }
        try {
            return Long.toString(Bytes.parseLong(b)).equals(Bytes.str(b));
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** OBJECT ENCODING of an entry's value. */
    static String of(PEntry e) {
        Object v = e.value;
        if (v instanceof byte[] s) {
            if (e.enc == RAW) {
                return "raw";
            }
            if (e.enc == DERIVED && isInt(s)) {
                return "int";
            }
            return s.length <= 44 ? "embstr" : "raw";
        } else if (v instanceof PList) {
            return "quicklist";
        } else if (v instanceof PZSet z) {
            return z.big ? "skiplist" : "listpack";
        } else {
            PDict d = (PDict) v;
            return d.kind == PDict.SET ? (d.big ? "hashtable" : "intset") : d.big ? "hashtable" : "listpack";
        }
    }

    /** OBJECT REFCOUNT: Redis shares the integers 0..9999 (refcount INT_MAX); everything else has one owner. */
    static long refcount(PEntry e) {
        if (e.value instanceof byte[] s && of(e).equals("int")) {
            long n = Bytes.parseLong(s);
            if (n >= 0 && n < 10000) {
                return Integer.MAX_VALUE;
            }
        }
        return 1;
    }

    /** The CONFIG names of the thresholds (7.0's, and the ziplist names it keeps as aliases). */
    static Map<String, String> config() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("hash-max-listpack-entries", Long.toString(hashEntries));
        m.put("hash-max-ziplist-entries", Long.toString(hashEntries));
        m.put("hash-max-listpack-value", Long.toString(hashValue));
        m.put("hash-max-ziplist-value", Long.toString(hashValue));
        m.put("zset-max-listpack-entries", Long.toString(zsetEntries));
        m.put("zset-max-ziplist-entries", Long.toString(zsetEntries));
        m.put("zset-max-listpack-value", Long.toString(zsetValue));
        m.put("zset-max-ziplist-value", Long.toString(zsetValue));
        m.put("set-max-intset-entries", Long.toString(intsetEntries));
        m.put("list-max-listpack-size", Long.toString(listSize));
        m.put("list-max-ziplist-size", Long.toString(listSize));
        m.put("list-compress-depth", Long.toString(listCompressDepth));
        return m;
    }

    /** True if name is a threshold (set to v, checked by check first); false if it is not one of them. */
    static boolean set(String name, long v) {
        switch (name) {
            case "hash-max-listpack-entries", "hash-max-ziplist-entries" -> hashEntries = v;
            case "hash-max-listpack-value", "hash-max-ziplist-value" -> hashValue = v;
            case "zset-max-listpack-entries", "zset-max-ziplist-entries" -> zsetEntries = v;
            case "zset-max-listpack-value", "zset-max-ziplist-value" -> zsetValue = v;
            case "set-max-intset-entries" -> intsetEntries = v;
            case "list-max-listpack-size", "list-max-ziplist-size" -> listSize = v;
            case "list-compress-depth" -> listCompressDepth = v;
            default -> {
                return false;
            }
        }
        return true;
    }

    /** Redis's range for each threshold: list sizes any int, depths and the rest from 0. */
    static boolean inRange(String name, long v) {
        if (name.startsWith("list-max-")) {
            return v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE;
        }
        if (name.equals("list-compress-depth") || name.equals("set-max-intset-entries")) {
            return v >= 0 && v <= Integer.MAX_VALUE;
        }
        return v >= 0;
    }
}
