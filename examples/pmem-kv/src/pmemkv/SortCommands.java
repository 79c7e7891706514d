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
import java.util.Arrays;
import java.util.List;

/**
 * SORT key [BY pattern] [LIMIT offset count] [GET pattern ...] [ASC|DESC]
 * [ALPHA] [STORE destination], and SORT_RO (no STORE), after Redis 7.0's
 * sortCommandGeneric: the options first, then the key (a list, set or
 * sorted set); elements compared as numbers (or bytes with ALPHA), ties by
 * the elements' bytes; BY and GET patterns replace the first '*' with the
 * element and read a string key or, with "->field", a hash field; "#" is
 * the element; a pattern without '*' sorts nothing. Patterns may name any
 * key, so SORT holds every shard's lock (it declares no keys).
 */
final class SortCommands {
    private SortCommands() {}

    static void register(Server s) {
        s.add("SORT", -2, true, 0, 0, 0, c -> sort(c, false));
        s.add("SORT_RO", -2, false, 0, 0, 0, c -> sort(c, true));
    }

    private static final class Item {
        final byte[] element;
        double score;
        byte[] by;   // ALPHA with BY: the weight's bytes, null if missing

        Item(byte[] element) {
            this.element = element;
        }
    }

    /** Runs with every shard locked (Server.execute: BY and GET patterns read any key). */
    private static void sort(Ctx c, boolean readOnly) {
        boolean desc = false, alpha = false, dontSort = false;
        long limitStart = 0, limitCount = -1;
        byte[] sortBy = null, store = null;
        List<byte[]> gets = new ArrayList<>();
        for (int j = 2; j < c.argc(); j++) {
            int left = c.argc() - j - 1;
            if (c.is(j, "ASC")) {
                desc = false;
            } else if (c.is(j, "DESC")) {
                desc = true;
            } else if (c.is(j, "ALPHA")) {
                alpha = true;
            } else if (c.is(j, "LIMIT") && left >= 2) {
                limitStart = c.argLong(j + 1);
                limitCount = c.argLong(j + 2);
                j += 2;
            } else if (c.is(j, "STORE") && left >= 1 && !readOnly) {
                store = c.arg(++j);
            } else if (c.is(j, "BY") && left >= 1) {
                sortBy = c.arg(++j);
                if (indexOf(sortBy, (byte) '*', 0) < 0) {
                    dontSort = true;   // a constant pattern: nothing to sort by
                }
            } else if (c.is(j, "GET") && left >= 1) {
                gets.add(c.arg(++j));
            } else {
                throw KvError.SYNTAX;
            }
        }
        PEntry e = c.lookup(1);
        Object v = e == null ? null : e.value;
        if (v != null && !(v instanceof PList || v instanceof PZSet || v instanceof PDict d && d.kind == PDict.SET)) {
            throw KvError.WRONGTYPE;
        }
        if (dontSort && v instanceof PDict && store != null) {
            dontSort = false;   // a set's order is its hash table's: sorted, so the stored list is the same everywhere
            alpha = true;
            sortBy = null;
        }
        long len = v instanceof PList l ? l.size() : v instanceof PZSet z ? z.size() : v instanceof PDict d ? d.size() : 0;
        long start = Math.max(0, limitStart);
        long end = limitCount < 0 ? len - 1 : start + limitCount - 1;
        if (start >= len) {
            start = len - 1;
            end = len - 2;
        }
        if (end >= len) {
            end = len - 1;
        }
        List<Item> items = new ArrayList<>();
        if (dontSort && (v instanceof PList || v instanceof PZSet)) {
            // The collection's own order (reversed with DESC), only the LIMIT range.
            if (end >= start) {
                long from = desc ? len - 1 - end : start, to = desc ? len - 1 - start : end;
                List<byte[]> range = new ArrayList<>();
                if (v instanceof PList l) {
                    l.range(from, to, range::add);
                } else {
                    ((PZSet) v).range(from, to, false, (m, sc) -> range.add(m));
                }
                if (desc) {
                    java.util.Collections.reverse(range);
                }
                range.forEach(m -> items.add(new Item(m)));
                end -= start;
                start = 0;
            }
        } else if (v instanceof PList l) {
            l.range(0, len - 1, m -> items.add(new Item(m)));
        } else if (v instanceof PZSet z) {
            z.dict.forEach(x -> items.add(new Item(x.key)));
        } else if (v instanceof PDict d) {
            d.forEach(x -> items.add(new Item(x.key)));
        }
        if (!dontSort) {
            boolean badScore = false;
            for (Item it : items) {
                if (sortBy != null) {
                    byte[] w = byPattern(c, sortBy, it.element);
                    if (w == null) {
                        continue;
                    }
                    if (alpha) {
                        it.by = w;
                    } else {
                        Double d = strtod(w);
                        badScore |= d == null;
                        it.score = d == null ? 0 : d;
                    }
                } else if (!alpha) {
                    Double d = strtod(it.element);
                    badScore |= d == null;
                    it.score = d == null ? 0 : d;
                }
            }
            if (badScore) {
                throw new KvError("ERR One or more scores can't be converted into double");
            }
            final boolean a = alpha, byPattern = sortBy != null, dsc = desc;
            items.sort((x, y) -> {
                int cmp;
                if (!a) {
                    cmp = x.score > y.score ? 1 : x.score < y.score ? -1 : Arrays.compareUnsigned(x.element, y.element);
                } else if (byPattern) {
                    cmp = x.by == null || y.by == null ? (x.by == y.by ? 0 : x.by == null ? -1 : 1)
                            : Arrays.compareUnsigned(x.by, y.by);
                } else {
                    cmp = Arrays.compareUnsigned(x.element, y.element);
                }
                return dsc ? -cmp : cmp;
            });
        }
        List<byte[]> out = new ArrayList<>();   // null: nil
        for (long j = start; j <= end; j++) {
            Item it = items.get((int) j);
            if (gets.isEmpty()) {
                out.add(it.element);
            }
            for (byte[] g : gets) {
                out.add(byPattern(c, g, it.element));
            }
        }
        if (store == null) {
            c.out.array(out.size());
            out.forEach(c.out::bulk);
            return;
        }
        c.db.delete(store);
        if (!out.isEmpty()) {
            PList l = PList.create();
            byte[][] values = new byte[out.size()][];
            for (int i = 0; i < values.length; i++) {
                values[i] = out.get(i) == null ? Bytes.EMPTY : out.get(i);
            }
            l.pushAll(values, false);
            c.db.add(store, l);
        }
        c.out.integer(out.size());
    }

    /**
     * Redis's lookupKeyByPattern: "#" is the element itself; otherwise the
     * first '*' becomes the element and the key named is read as a string,
     * or with "->field" after the '*' as that hash field. Null if the
     * pattern has no '*', or the key, the field or the type is not there.
     */
    private static byte[] byPattern(Ctx c, byte[] pattern, byte[] element) {
        if (pattern.length == 1 && pattern[0] == '#') {
            return element;
        }
        int star = indexOf(pattern, (byte) '*', 0);
        if (star < 0) {
            return null;
        }
        int arrow = -1;
        for (int i = star + 1; i + 1 < pattern.length; i++) {
            if (pattern[i] == '-' && pattern[i + 1] == '>') {
                arrow = i + 2 < pattern.length ? i : -1;   // "->" at the very end is part of the key
                break;
            }
        }
        int keyEnd = arrow < 0 ? pattern.length : arrow;
        byte[] key = new byte[star + element.length + keyEnd - star - 1];
        System.arraycopy(pattern, 0, key, 0, star);
        System.arraycopy(element, 0, key, star, element.length);
        System.arraycopy(pattern, star + 1, key, star + element.length, keyEnd - star - 1);
        PEntry e = c.db.lookup(key, c.now);
        if (e == null) {
            return null;
        }
        if (arrow >= 0) {
            if (!(e.value instanceof PDict d && d.kind == PDict.HASH)) {
                return null;
            }
            PEntry f = d.find(Arrays.copyOfRange(pattern, arrow + 2, pattern.length));
            return f == null ? null : (byte[]) f.value;
        }
        return e.value instanceof byte[] b ? b : null;
    }

    private static int indexOf(byte[] b, byte x, int from) {
        for (int i = from; i < b.length; i++) {
            if (b[i] == x) {
                return i;
            }
        }
        return -1;
    }

    /**
     * C's strtod as SORT uses it: leading white space skipped, the whole
     * rest a number (an empty rest is 0), no overflow, not NaN; null if not.
     */
    private static Double strtod(byte[] b) {
        String s = Bytes.str(b);
        int i = 0;
        while (i < s.length() && " \t\n\u000b\f\r".indexOf(s.charAt(i)) >= 0) {
            i++;
        }
        s = s.substring(i);
        if (s.isEmpty()) {
            return 0.0;
        }
        try {
            double d = Bytes.parseDouble(Bytes.of(s));
            return Double.isInfinite(d) && !s.toLowerCase().contains("inf") ? null : d;   // ERANGE
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
