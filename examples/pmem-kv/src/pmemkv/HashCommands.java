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

/** Hash commands. A hash is a {@link PDict} of kind HASH: field -> persistent byte[] value. */
final class HashCommands {
    private HashCommands() {}

    static void register(Server s) {
        s.add("HSET", -4, true, 1, 1, 1, c -> c.out.integer(hset(c, false)));
        s.add("HMSET", -4, true, 1, 1, 1, c -> {
            hset(c, false);
            c.out.ok();
        });
        s.add("HSETNX", 4, true, 1, 1, 1, c -> c.out.integer(hset(c, true)));
        s.add("HGET", 3, false, 1, 1, 1, c -> {
            PDict h = c.dict(1, PDict.HASH);
            PEntry f = h == null ? null : h.find(c.arg(2));
            c.out.bulk(f == null ? null : (byte[]) f.value);
        });
        s.add("HMGET", -3, false, 1, 1, 1, c -> {
            PDict h = c.dict(1, PDict.HASH);
            c.out.array(c.argc() - 2);
            for (int i = 2; i < c.argc(); i++) {
                PEntry f = h == null ? null : h.find(c.arg(i));
                c.out.bulk(f == null ? null : (byte[]) f.value);
            }
        });
        s.add("HDEL", -3, true, 1, 1, 1, c -> {
            PDict h = c.dict(1, PDict.HASH);
            long n = 0;
            if (h != null) {
                for (int i = 2; i < c.argc(); i++) {
                    n += h.remove(c.arg(i)) != null ? 1 : 0;
                }
                c.dropIfEmpty(h.size());
            }
            c.out.integer(n);
        });
        s.add("HLEN", 2, false, 1, 1, 1, c -> {
            PDict h = c.dict(1, PDict.HASH);
            c.out.integer(h == null ? 0 : h.size());
        });
        s.add("HSTRLEN", 3, false, 1, 1, 1, c -> {
            PDict h = c.dict(1, PDict.HASH);
            PEntry f = h == null ? null : h.find(c.arg(2));
            c.out.integer(f == null ? 0 : ((byte[]) f.value).length);
        });
        s.add("HEXISTS", 3, false, 1, 1, 1, c -> {
            PDict h = c.dict(1, PDict.HASH);
            c.out.integer(h != null && h.find(c.arg(2)) != null ? 1 : 0);
        });
        s.add("HGETALL", 2, false, 1, 1, 1, c -> all(c, true, true));
        s.add("HRANDFIELD", -2, false, 1, 1, 1, c -> SetCommands.randomPairs(c, PDict.HASH, "WITHVALUES"));
        s.add("HKEYS", 2, false, 1, 1, 1, c -> all(c, true, false));
        s.add("HVALS", 2, false, 1, 1, 1, c -> all(c, false, true));
        s.add("HINCRBY", 4, true, 1, 1, 1, c -> {
            long by = c.argLong(3);
            PEntry f = field(c);
            long cur = 0;
            if (f.value != null) {
                try {
                    cur = Bytes.parseLong((byte[]) f.value);
                } catch (NumberFormatException e) {
                    throw new KvError("ERR hash value is not an integer");
                }
            }
            long n;
            try {
                n = Math.addExact(cur, by);
            } catch (ArithmeticException e) {
                throw KvError.OVERFLOW;
            }
            f.value = Bytes.persist(Bytes.of(Long.toString(n)));
            c.out.integer(n);
        });
        s.add("HINCRBYFLOAT", 4, true, 1, 1, 1, c -> {
            double by = c.argDouble(3);
            PEntry f = field(c);
            double cur = 0;
            if (f.value != null) {
                try {
                    cur = Bytes.parseDouble((byte[]) f.value);
                } catch (NumberFormatException e) {
                    throw new KvError("ERR hash value is not a float");
                }
            }
            double n = cur + by;
            if (Double.isNaN(n) || Double.isInfinite(n)) {
                throw new KvError("ERR increment would produce NaN or Infinity");
            }
            byte[] v = Bytes.persist(Bytes.formatDouble(n));
            f.value = v;
            c.propagateAs("HSET", c.arg(1), c.arg(2), v);   // the result, not the float addition
            c.out.bulk(v);
        });
    }

    /** The hash at argument 1, created if absent. In a txn. */
    static PDict hashForWrite(Ctx c) {
        PDict h = c.dict(1, PDict.HASH);
        if (h == null) {
            h = PDict.create(PDict.HASH);
            c.db.add(c.arg(1), h);
        }
        return h;
    }

    // The entry of field argument 2, added with a null value if absent (the caller sets it). In a txn.
    private static PEntry field(Ctx c) {
        PDict h = hashForWrite(c);
        PEntry f = h.find(c.arg(2));
        return f != null ? f : h.add(c.arg(2), null);
    }

    private static long hset(Ctx c, boolean nx) {
        if (c.argc() % 2 != 0) {
            throw new KvError("ERR wrong number of arguments for '" + Bytes.str(c.arg(0)).toLowerCase() + "' command");
        }
        PDict h = hashForWrite(c);
        // Redis converts on any long argument of HSET, set or not; HSETNX only on what it inserts
        for (int i = 2; i < c.argc(); i++) {
            if (c.arg(i).length > Encodings.hashValue && (!nx || h.find(c.arg(2)) == null)) {
                h.note(c.arg(i), null, h.size());
            }
        }
        long added = 0;
        for (int i = 2; i < c.argc(); i += 2) {
            PEntry f = h.find(c.arg(i));
            if (f == null) {
                h.add(c.arg(i), Bytes.persist(c.arg(i + 1)));
                added++;
            } else if (!nx) {
                f.value = Bytes.persist(c.arg(i + 1));
            }
        }
        return added;
    }

    private static void all(Ctx c, boolean keys, boolean values) {
        PDict h = c.dict(1, PDict.HASH);
        if (h == null) {
            c.out.array(0);
            return;
        }
        List<PEntry> es = new ArrayList<>();
        h.forEach(es::add);
        c.out.array((long) es.size() * ((keys ? 1 : 0) + (values ? 1 : 0)));
        for (PEntry e : es) {
            if (keys) {
                c.out.bulk(e.key);
            }
            if (values) {
                c.out.bulk((byte[]) e.value);
            }
        }
    }
}
