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
import java.util.Comparator;
import java.util.List;

/** Set commands. A set is a {@link PDict} of kind SET: member -> null. */
final class SetCommands {
    private SetCommands() {}

    static void register(Server s) {
        s.add("SADD", -3, true, 1, 1, 1, c -> {
            PDict set = c.dict(1, PDict.SET);
            if (set == null) {
                set = PDict.create(PDict.SET);
                c.db.add(c.arg(1), set);
            }
            long n = 0;
            for (int i = 2; i < c.argc(); i++) {
                if (set.find(c.arg(i)) == null) {
                    set.add(c.arg(i), null);
                    n++;
                }
            }
            c.out.integer(n);
        });
        s.add("SREM", -3, true, 1, 1, 1, c -> {
            PDict set = c.dict(1, PDict.SET);
            long n = 0;
            if (set != null) {
                for (int i = 2; i < c.argc(); i++) {
                    n += set.remove(c.arg(i)) != null ? 1 : 0;
                }
                c.dropIfEmpty(set.size());
            }
            c.out.integer(n);
        });
        s.add("SMEMBERS", 2, false, 1, 1, 1, c -> {
            PDict set = c.dict(1, PDict.SET);
            List<byte[]> out = new ArrayList<>();
            if (set != null) {
                set.forEach(e -> out.add(e.key));
            }
            reply(c, out);
        });
        s.add("SISMEMBER", 3, false, 1, 1, 1, c -> {
            PDict set = c.dict(1, PDict.SET);
            c.out.integer(set != null && set.find(c.arg(2)) != null ? 1 : 0);
        });
        s.add("SMISMEMBER", -3, false, 1, 1, 1, c -> {
            PDict set = c.dict(1, PDict.SET);
            c.out.array(c.argc() - 2);
            for (int i = 2; i < c.argc(); i++) {
                c.out.integer(set != null && set.find(c.arg(i)) != null ? 1 : 0);
            }
        });
        s.add("SCARD", 2, false, 1, 1, 1, c -> {
            PDict set = c.dict(1, PDict.SET);
            c.out.integer(set == null ? 0 : set.size());
        });
        s.add("SINTER", -2, false, 1, -1, 1, c -> reply(c, inter(c, 1)));
        s.add("SUNION", -2, false, 1, -1, 1, c -> reply(c, combine(c, 1, false)));
        s.add("SDIFF", -2, false, 1, -1, 1, c -> reply(c, combine(c, 1, true)));
        s.add("SINTERSTORE", -3, true, 1, -1, 1, c -> store(c, inter(c, 2)));
        s.add("SUNIONSTORE", -3, true, 1, -1, 1, c -> store(c, combine(c, 2, false)));
        s.add("SDIFFSTORE", -3, true, 1, -1, 1, c -> store(c, combine(c, 2, true)));
        s.add("SINTERCARD", -3, false, -1, 0, 1, SetCommands::sintercard);
        s.add("SMOVE", 4, true, 1, 2, 1, SetCommands::smove);
        s.add("SPOP", -2, true, 1, 1, 1, SetCommands::spop);
        s.add("SRANDMEMBER", -2, false, 1, 1, 1, SetCommands::srandmember);
    }

    /** SINTERCARD numkeys key [key ...] [LIMIT limit]: the intersection's size, counted up to limit (0: all). */
    private static void sintercard(Ctx c) {
        long numkeys = numkeys(c, 1, "ERR numkeys should be greater than 0");
        if (numkeys > c.argc() - 2) {
            throw new KvError("ERR Number of keys can't be greater than number of args");
        }
        int n = (int) numkeys;
        long limit = 0;
        for (int j = 2 + n; j < c.argc(); j++) {
            if (c.is(j, "LIMIT") && j + 1 < c.argc()) {
                limit = limit(c, ++j);
            } else {
                throw KvError.SYNTAX;
            }
        }
        List<PDict> sets = new ArrayList<>();
        for (int i = 2; i < 2 + n; i++) {
            sets.add(c.dict(i, PDict.SET));
        }
        long count = 0;
        if (!sets.contains(null)) {
            sets.sort(Comparator.comparingLong(PDict::size));
            long[] n2 = {0};
            final long lim = limit;
            sets.get(0).forEach(e -> {
                if (lim != 0 && n2[0] >= lim) {
                    return;
                }
                boolean all = true;
                for (int k = 1; k < sets.size() && all; k++) {
                    all = sets.get(k).find(e.key) != null;
                }
                n2[0] += all ? 1 : 0;
            });
            count = n2[0];
        }
        c.out.integer(count);
    }

    /** A numkeys argument: an integer of at least 1, else msg (Redis's getRangeLongFromObjectOrReply). */
    static long numkeys(Ctx c, int i, String msg) {
        return atLeast(c, i, 1, msg);
    }

    /** A LIMIT argument: an integer of at least 0. */
    static long limit(Ctx c, int i) {
        return atLeast(c, i, 0, "ERR LIMIT can't be negative");
    }

    private static long atLeast(Ctx c, int i, long min, String msg) {
        try {
            long v = Bytes.parseLong(c.arg(i));
            if (v >= min) {
                return v;
            }
        } catch (NumberFormatException e) {
            // the same message
        }
        throw new KvError(msg);
    }

    private static void reply(Ctx c, List<byte[]> members) {
        c.out.array(members.size());
        members.forEach(c.out::bulk);
    }

    /** The sets of arguments {@code from..}; a missing key is null, any other type WRONGTYPE (Redis checks all). */
    private static List<PDict> sets(Ctx c, int from) {
        List<PDict> sets = new ArrayList<>();
        for (int i = from; i < c.argc(); i++) {
            sets.add(c.dict(i, PDict.SET));
        }
        return sets;
    }

    private static List<byte[]> inter(Ctx c, int from) {
        List<PDict> sets = sets(c, from);
        List<byte[]> out = new ArrayList<>();
        if (!sets.contains(null)) {
            sets.sort(Comparator.comparingLong(PDict::size));   // walk the smallest
            sets.get(0).forEach(e -> {
                for (int i = 1; i < sets.size(); i++) {
                    if (sets.get(i).find(e.key) == null) {
                        return;
                    }
                }
                out.add(e.key);
            });
        }
        return out;
    }

    private static List<byte[]> combine(Ctx c, int from, boolean diff) {
        List<PDict> sets = sets(c, from);
        java.util.LinkedHashMap<java.nio.ByteBuffer, byte[]> acc = new java.util.LinkedHashMap<>();
        for (int i = 0; i < sets.size(); i++) {
            PDict set = sets.get(i);
            if (set == null) {
                if (diff && i == 0) {
                    break;   // nothing minus anything
                }
                continue;
            }
            if (!diff || i == 0) {
                set.forEach(e -> acc.put(java.nio.ByteBuffer.wrap(e.key), e.key));
            } else {
                set.forEach(e -> acc.remove(java.nio.ByteBuffer.wrap(e.key)));
            }
        }
        return new ArrayList<>(acc.values());
    }

    /**
     * S*STORE: the result replaces whatever the key of argument 1 held (its
     * expiry too); an empty result deletes it. All in the command's
     * transaction, so the destination is never seen half written.
     */
    private static void store(Ctx c, List<byte[]> members) {
        c.lookup(1);            // an expired destination goes first, with its expiry entry
        c.db.delete(c.arg(1));
        if (!members.isEmpty()) {
            PDict set = PDict.create(PDict.SET);
            for (byte[] m : members) {
                set.add(m, null);   // members of other persistent sets are shared, not copied: keys never change
            }
            c.db.add(c.arg(1), set);
        }
        c.out.integer(members.size());
    }

    private static void smove(Ctx c) {
        PDict src = c.dict(1, PDict.SET);
        if (src == null) {
            c.out.integer(0);
            return;
        }
        PDict dst = c.dict(2, PDict.SET);
        if (src == dst) {
            c.out.integer(src.find(c.arg(3)) != null ? 1 : 0);
            return;
        }
        PEntry e = src.remove(c.arg(3));
        if (e == null) {
            c.out.integer(0);
            return;
        }
        c.dropIfEmpty(src.size());
        if (dst == null) {
            dst = PDict.create(PDict.SET);
            c.db.add(c.arg(2), dst);
        }
        if (dst.find(e.key) == null) {
            dst.add(e.key, null);
        }
        c.out.integer(1);
    }

    /** SPOP key [count]: members removed at random (Redis's choice is random too). */
    private static void spop(Ctx c) {
        if (c.argc() > 3) {
            throw KvError.SYNTAX;
        }
        long count = c.argc() == 3 ? ListCommands.positive(c, 2, "ERR value is out of range, must be positive") : -1;
        PDict set = c.dict(1, PDict.SET);
        if (set == null) {
            if (count < 0) {
                c.out.nil();
            } else {
                c.out.array(0);
            }
            return;
        }
        if (count < 0) {
            PEntry e = set.random();
            set.remove(e.key);
            c.dropIfEmpty(set.size());
            c.propagateAs("SREM", c.arg(1), e.key);   // replicas remove what was drawn here
            c.out.bulk(e.key);
            return;
        }
        List<byte[]> out = new ArrayList<>();
        if (count >= set.size()) {   // all of it: drop the key, no member by member removal
            set.forEach(e -> out.add(e.key));
            c.db.delete(c.arg(1));
        } else {
            for (long i = 0; i < count; i++) {
                PEntry e = set.random();
                set.remove(e.key);
                out.add(e.key);
            }
        }
        if (!out.isEmpty()) {
            byte[][] srem = new byte[out.size() + 2][];
            srem[0] = Bytes.of("SREM");
            srem[1] = c.arg(1);
            for (int i = 0; i < out.size(); i++) {
                srem[i + 2] = out.get(i);
            }
            c.propagateAs((Object[]) srem);
        }
        reply(c, out);
    }

    /** SRANDMEMBER key [count]: count >= 0 distinct members, count < 0 -count members with repeats. */
    private static void srandmember(Ctx c) {
        if (c.argc() > 3) {
            throw KvError.SYNTAX;
        }
        boolean withCount = c.argc() == 3;
        long count = 0;
        if (withCount) {
            count = c.argLong(2);
            if (count == Long.MIN_VALUE) {
                throw new KvError("ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807");
            }
        }
        PDict set = c.dict(1, PDict.SET);
        if (!withCount) {
            PEntry e = set == null ? null : set.random();
            c.out.bulk(e == null ? null : e.key);
            return;
        }
        if (set == null || count == 0) {
            c.out.array(0);
            return;
        }
        List<byte[]> out = new ArrayList<>();
        sample(set, count).forEach(e -> out.add(e.key));
        reply(c, out);
    }

    /**
     * Random entries of d for SRANDMEMBER, HRANDFIELD and ZRANDMEMBER with
     * a count: distinct ones (all of them if count reaches the size) for a
     * positive count, -count draws with repeats for a negative one.
     */
    static List<PEntry> sample(PDict d, long count) {
        List<PEntry> out = new ArrayList<>();
        if (count < 0) {
            for (long i = 0; i < -count; i++) {
                out.add(d.random());
            }
        } else if (count >= d.size()) {
            d.forEach(out::add);
        } else {
            List<PEntry> all = new ArrayList<>();
            d.forEach(all::add);
            java.util.Collections.shuffle(all, java.util.concurrent.ThreadLocalRandom.current());
            out.addAll(all.subList(0, (int) count));
        }
        return out;
    }

    /**
     * HRANDFIELD key [count [WITHVALUES]] and ZRANDMEMBER key [count
     * [WITHSCORES]] (kind HASH or ZSET), in Redis's order of checks: the
     * count, the option, then the key.
     */
    static void randomPairs(Ctx c, byte kind, String option) {
        if (c.argc() == 2) {
            PDict d = kind == PDict.ZSET ? zdict(c) : c.dict(1, kind);
            PEntry e = d == null ? null : d.random();
            c.out.bulk(e == null ? null : e.key);
            return;
        }
        long count = c.argLong(2);
        if (count == Long.MIN_VALUE) {
            throw new KvError("ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807");
        }
        boolean with = false;
        if (c.argc() == 4 && c.is(3, option)) {
            with = true;
            if (count < -Long.MAX_VALUE / 2) {
                throw new KvError("ERR value is out of range");
            }
        } else if (c.argc() >= 4) {
            throw KvError.SYNTAX;
        }
        PDict d = kind == PDict.ZSET ? zdict(c) : c.dict(1, kind);
        if (d == null || count == 0) {
            c.out.array(0);
            return;
        }
        List<PEntry> picked = sample(d, count);
        c.out.array(with ? 2L * picked.size() : picked.size());
        for (PEntry e : picked) {
            c.out.bulk(e.key);
            if (with) {
                c.out.bulk(kind == PDict.ZSET ? Bytes.formatScore(((PZSet.Node) e.value).score) : (byte[]) e.value);
            }
        }
    }

    private static PDict zdict(Ctx c) {
        PZSet z = c.value(1, PZSet.class);
        return z == null ? null : z.dict;
    }
}
