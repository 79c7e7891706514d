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

/** Key commands: DEL, UNLINK, EXISTS, TYPE, RENAME, RENAMENX, COPY, KEYS, SCAN, RANDOMKEY, (P)EXPIRE(AT), (P)TTL, PERSIST. */
final class KeyCommands {
    private KeyCommands() {}

    static void register(Server s) {
        s.add("DEL", -2, true, 1, -1, 1, KeyCommands::del);
        s.add("UNLINK", -2, true, 1, -1, 1, KeyCommands::del);
        s.add("EXISTS", -2, false, 1, -1, 1, KeyCommands::countExisting);
        s.add("TYPE", 2, false, 1, 1, 1, c -> {
            PEntry e = c.lookup(1);
            c.out.simple(e == null ? "none" : Ctx.typeName(e.value));
        });
        s.add("RENAME", 3, true, 1, 2, 1, c -> rename(c, false));
        s.add("RENAMENX", 3, true, 1, 2, 1, c -> rename(c, true));
        s.add("COPY", -3, true, 1, 2, 1, KeyCommands::copy);
        s.add("KEYS", 2, false, 0, 0, 0, KeyCommands::keys);
        s.add("SCAN", -2, false, 0, 0, 0, KeyCommands::scan);
        s.add("RANDOMKEY", 1, false, 0, 0, 0, KeyCommands::randomKey);
        s.add("EXPIRE", -3, true, 1, 1, 1, c -> expire(c, 1000, false));
        s.add("PEXPIRE", -3, true, 1, 1, 1, c -> expire(c, 1, false));
        s.add("EXPIREAT", -3, true, 1, 1, 1, c -> expire(c, 1000, true));
        s.add("PEXPIREAT", -3, true, 1, 1, 1, c -> expire(c, 1, true));
        s.add("TOUCH", -2, false, 1, -1, 1, KeyCommands::countExisting);   // no access times are kept
        s.add("EXPIRETIME", 2, false, 1, 1, 1, c -> expireTime(c, 1000));
        s.add("PEXPIRETIME", 2, false, 1, 1, 1, c -> expireTime(c, 1));
        s.add("TTL", 2, false, 1, 1, 1, c -> ttl(c, 1000));
        s.add("PTTL", 2, false, 1, 1, 1, c -> ttl(c, 1));
        s.add("PERSIST", 2, true, 1, 1, 1, c -> {
            PEntry e = c.lookup(1);
            if (e == null || e.expireAt == 0) {
                c.out.integer(0);
            } else {
                c.db.setExpire(e, 0);
                c.out.integer(1);
            }
        });
    }

    /** EXISTS, TOUCH: how many of the keys exist (a key named twice counts twice). */
    private static void countExisting(Ctx c) {
        long n = 0;
        for (int i = 1; i < c.argc(); i++) {
            n += c.lookup(i) != null ? 1 : 0;
        }
        c.out.integer(n);
    }

    private static void del(Ctx c) {
        long n = 0;
        for (int i = 1; i < c.argc(); i++) {
            if (c.lookup(i) != null && c.db.delete(c.arg(i)) != null) {
                n++;
            }
        }
        c.out.integer(n);
    }

    private static void rename(Ctx c, boolean nx) {
        PEntry src = c.lookup(1);
        if (src == null) {
            throw KvError.NO_SUCH_KEY;
        }
        if (Bytes.equal(c.arg(1), c.arg(2))) {
            if (nx) {
                c.out.integer(0);
            } else {
                c.out.ok();
            }
            return;
        }
        if (nx && c.lookup(2) != null) {
            c.out.integer(0);
            return;
        }
        Object value = src.value;
        long expireAt = src.expireAt;
        c.db.delete(c.arg(1));
        c.db.delete(c.arg(2));
        PEntry dst = c.db.add(c.arg(2), value);
        dst.enc = src.enc;
        c.db.setExpire(dst, expireAt);
        if (nx) {
            c.out.integer(1);
        } else {
            c.out.ok();
        }
    }

    /** COPY source destination [DB 0] [REPLACE]: a deep copy of the value, its expiry too. */
    private static void copy(Ctx c) {
        boolean replace = false;
        for (int i = 3; i < c.argc(); i++) {
            if (c.is(i, "REPLACE")) {
                replace = true;
            } else if (c.is(i, "DB") && i + 1 < c.argc()) {
                long db = c.argLong(++i);
                if (db < Integer.MIN_VALUE || db > Integer.MAX_VALUE) {
                    throw KvError.NOT_INTEGER;
                }
                if (db != 0) {
                    throw new KvError("ERR DB index is out of range");   // one database
                }
            } else {
                throw KvError.SYNTAX;
            }
        }
        if (Bytes.equal(c.arg(1), c.arg(2))) {
            throw new KvError("ERR source and destination objects are the same");
        }
        PEntry src = c.lookup(1);
        if (src == null) {
            c.out.integer(0);
            return;
        }
        if (c.lookup(2) != null) {
            if (!replace) {
                c.out.integer(0);
                return;
            }
            c.db.delete(c.arg(2));
        }
        PEntry dst = c.db.add(c.arg(2), deepCopy(src.value));
        dst.enc = src.enc;   // Redis's copy keeps the encoding
        c.db.setExpire(dst, src.expireAt);
        c.out.integer(1);
    }

    /**
     * A copy of a value that shares nothing that can change: strings and
     * members (never changed in place) are shared, the structures are new.
     * New objects need no undo log, so a large copy is cheap to log.
     */
    static Object deepCopy(Object v) {
        if (v instanceof PList l) {
            PList n = PList.create();
            byte[][] items = new byte[(int) l.size()][];
            int[] at = {0};
            if (items.length > 0) {
                l.range(0, l.size() - 1, b -> items[at[0]++] = b);
            }
            n.pushAll(items, false);
            return n;
        } else if (v instanceof PZSet z) {
            PZSet n = PZSet.create();
            n.big = z.big;   // Redis's copy keeps the encoding
            z.range(0, z.size() - 1, false, n::add);
            return n;
        } else if (v instanceof PDict d) {
            PDict n = PDict.create(d.kind);
            n.big = d.big;
            d.forEach(e -> n.add(e.key, e.value));   // a hash's field values are strings, shared
            return n;
        }
        return v;   // a string: immutable
    }

    private static boolean live(PEntry e, long now) {
        return e.expireAt == 0 || e.expireAt > now;
    }

    private static void keys(Ctx c) {
        byte[] pattern = c.arg(1);
        boolean all = pattern.length == 1 && pattern[0] == '*';   // as Redis: also the empty key
        List<byte[]> out = new ArrayList<>();
        for (int s = 0; s < Db.SHARDS; s++) {   // a shard at a time: no global pause
            long l = 1L << s;
            c.db.lockSet(l);
            try {
                c.db.root.keys[s].forEach(e -> {
                    if (live(e, c.now) && (all || Glob.match(pattern, e.key))) {
                        out.add(e.key);
                    }
                });
            } finally {
                c.db.unlock(l);
            }
        }
        c.out.array(out.size());
        out.forEach(c.out::bulk);
    }

    /**
     * SCAN cursor [MATCH pattern] [COUNT n] [TYPE type]. The cursor holds
     * the shard in its low bits and that shard's table cursor (PDict.scan)
     * above them.
     */
    private static void scan(Ctx c) {
        long cursor = ScanCommands.cursor(c.arg(1));
        byte[] pattern = null;
        String type = null;
        long count = 10;
        for (int i = 2; i < c.argc(); i += 2) {
            if (i + 1 >= c.argc()) {
                throw KvError.SYNTAX;
            }
            if (c.is(i, "MATCH")) {
                pattern = c.arg(i + 1);
                if (pattern.length == 1 && pattern[0] == '*') {
                    pattern = null;   // as Redis: "*" matches every key (Glob's "*" needs a byte)
                }
            } else if (c.is(i, "COUNT")) {
                count = c.argLong(i + 1);
                if (count < 1) {
                    throw KvError.SYNTAX;
                }
            } else if (c.is(i, "TYPE")) {
                type = Bytes.str(c.arg(i + 1)).toLowerCase();
            } else {
                throw KvError.SYNTAX;
            }
        }
        int shardBits = Integer.numberOfTrailingZeros(Db.SHARDS);
        int s = (int) (cursor & (Db.SHARDS - 1));
        long v = cursor >>> shardBits;
        List<byte[]> found = new ArrayList<>();
        final byte[] pat = pattern;
        final String ty = type;
        long visited = 0;
        while (visited < count) {
            long l = 1L << s;
            c.db.lockSet(l);
            long[] seen = {0};
            try {
                v = c.db.root.keys[s].scan(v, e -> {
                    seen[0]++;
                    if (live(e, c.now) && (pat == null || Glob.match(pat, e.key))
                            && (ty == null || ty.equals(Ctx.typeName(e.value)))) {
                        found.add(e.key);
                    }
                });
            } finally {
                c.db.unlock(l);
            }
            visited += Math.max(1, seen[0]);
            if (v == 0) {
                if (++s == Db.SHARDS) {
                    break;
                }
            }
        }
        long next = s == Db.SHARDS ? 0 : (v << shardBits) | s;
        c.out.array(2);
        c.out.bulk(Long.toUnsignedString(next));
        c.out.array(found.size());
        found.forEach(c.out::bulk);
    }

    private static void randomKey(Ctx c) {
        if (c.db.size() == 0) {
            c.out.nil();
            return;
        }
        java.util.concurrent.ThreadLocalRandom r = java.util.concurrent.ThreadLocalRandom.current();
        for (int tries = 0; tries < 100; tries++) {
            int s = r.nextInt(Db.SHARDS);
            long l = 1L << s;
            c.db.lockSet(l);
            try {
                PEntry e = c.db.root.keys[s].random();
                if (e != null && live(e, c.now)) {
                    c.out.bulk(e.key);
                    return;
                }
            } finally {
                c.db.unlock(l);
            }
        }
        c.out.nil();
    }

    /** EXPIRE key time [NX|XX|GT|LT] and relatives; unit is 1000 (seconds) or 1 (ms). */
    private static void expire(Ctx c, long unit, boolean absolute) {
        long t = c.argLong(2);
        boolean nx = false, xx = false, gt = false, lt = false;
        for (int i = 3; i < c.argc(); i++) {
            if (c.is(i, "NX")) {
                nx = true;
            } else if (c.is(i, "XX")) {
                xx = true;
            } else if (c.is(i, "GT")) {
                gt = true;
            } else if (c.is(i, "LT")) {
                lt = true;
            } else {
                throw new KvError("ERR Unsupported option " + Bytes.str(c.arg(i)));
            }
        }
        if (nx && (xx || gt || lt)) {
            throw new KvError("ERR NX and XX, GT or LT options at the same time are not compatible");
        }
        if (gt && lt) {
            throw new KvError("ERR GT and LT options at the same time are not compatible");
        }
        long at;
        try {
            at = Math.multiplyExact(t, unit);
            if (!absolute) {
                at = Math.addExact(at, c.now);
            }
        } catch (ArithmeticException e) {
            throw new KvError("ERR invalid expire time in '" + Bytes.str(c.arg(0)).toLowerCase() + "' command");
        }
        PEntry e = c.lookup(1);
        if (e == null) {
            c.out.integer(0);
            return;
        }
        long cur = e.expireAt;   // 0: none, which GT treats as infinite and LT as larger than any time
        if (nx && cur != 0 || xx && cur == 0 || gt && (cur == 0 || at <= cur) || lt && cur != 0 && at >= cur) {
            c.out.integer(0);
            return;
        }
        if (at <= c.now) {
            c.db.delete(c.arg(1));
        } else {
            c.db.setExpire(e, Math.max(at, 1));
        }
        c.out.integer(1);
    }

    /** EXPIRETIME, PEXPIRETIME: the absolute Unix time of the expiry; -2 no key, -1 no expiry. */
    private static void expireTime(Ctx c, long unit) {
        PEntry e = c.lookup(1);
        c.out.integer(e == null ? -2 : e.expireAt == 0 ? -1 : e.expireAt / unit);
    }

    private static void ttl(Ctx c, long unit) {
        PEntry e = c.lookup(1);
        if (e == null) {
            c.out.integer(-2);
        } else if (e.expireAt == 0) {
            c.out.integer(-1);
        } else {
            long left = Math.max(0, e.expireAt - c.now);
            c.out.integer(unit == 1 ? left : (left + 500) / 1000);
        }
    }
}
