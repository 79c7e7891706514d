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

/** Sorted-set commands. A sorted set is a {@link PZSet}: a member table and a skiplist with spans. */
final class ZSetCommands {
    private ZSetCommands() {}

    static void register(Server s) {
        s.add("ZADD", -4, true, 1, 1, 1, ZSetCommands::zadd);
        s.add("ZINCRBY", 4, true, 1, 1, 1, c -> {
            double by = c.argDouble(2);
            PZSet z = forWrite(c);
            double cur = z.has(c.arg(3)) ? z.score(c.arg(3)) : 0;
            double n = cur + by;
            if (Double.isNaN(n)) {
                throw new KvError("ERR resulting score is not a number (NaN)");
            }
            z.add(c.arg(3), n);
            c.out.bulk(Bytes.formatScore(n));
        });
        s.add("ZREM", -3, true, 1, 1, 1, c -> {
            PZSet z = c.value(1, PZSet.class);
            long n = 0;
            if (z != null) {
                for (int i = 2; i < c.argc(); i++) {
                    n += z.remove(c.arg(i)) ? 1 : 0;
                }
                c.dropIfEmpty(z.size());
            }
            c.out.integer(n);
        });
        s.add("ZSCORE", 3, false, 1, 1, 1, c -> {
            PZSet z = c.value(1, PZSet.class);
            c.out.bulk(z == null || !z.has(c.arg(2)) ? null : Bytes.formatScore(z.score(c.arg(2))));
        });
        s.add("ZCARD", 2, false, 1, 1, 1, c -> {
            PZSet z = c.value(1, PZSet.class);
            c.out.integer(z == null ? 0 : z.size());
        });
        s.add("ZRANK", 3, false, 1, 1, 1, c -> rank(c, false));
        s.add("ZREVRANK", 3, false, 1, 1, 1, c -> rank(c, true));
        s.add("ZCOUNT", 4, false, 1, 1, 1, c -> {
            Bound min = bound(c.arg(2)), max = bound(c.arg(3));
            PZSet z = c.value(1, PZSet.class);
            c.out.integer(z == null ? 0 : z.countByScore(min.v, min.excl, max.v, max.excl));
        });
        s.add("ZRANGE", -4, false, 1, 1, 1, c -> range(c, false, RANK, false));
        s.add("ZREVRANGE", -4, false, 1, 1, 1, c -> range(c, true, RANK, false));
        s.add("ZRANGEBYSCORE", -4, false, 1, 1, 1, c -> range(c, false, SCORE, false));
        s.add("ZREVRANGEBYSCORE", -4, false, 1, 1, 1, c -> range(c, true, SCORE, false));
        s.add("ZRANGEBYLEX", -4, false, 1, 1, 1, c -> range(c, false, LEX, false));
        s.add("ZREVRANGEBYLEX", -4, false, 1, 1, 1, c -> range(c, true, LEX, false));
        s.add("ZLEXCOUNT", 4, false, 1, 1, 1, c -> {
            PZSet.Lex min = lex(c.arg(2)), max = lex(c.arg(3));
            PZSet z = c.value(1, PZSet.class);
            c.out.integer(z == null ? 0 : z.countByLex(min, max));
        });
        s.add("ZRANDMEMBER", -2, false, 1, 1, 1, c -> SetCommands.randomPairs(c, PDict.ZSET, "WITHSCORES"));
        s.add("ZMSCORE", -3, false, 1, 1, 1, c -> {
            PZSet z = c.value(1, PZSet.class);
            c.out.array(c.argc() - 2);
            for (int i = 2; i < c.argc(); i++) {
                c.out.bulk(z == null || !z.has(c.arg(i)) ? null : Bytes.formatScore(z.score(c.arg(i))));
            }
        });
        s.add("ZPOPMIN", -2, true, 1, 1, 1, c -> zpop(c, false));
        s.add("ZPOPMAX", -2, true, 1, 1, 1, c -> zpop(c, true));
        s.add("ZREMRANGEBYRANK", 4, true, 1, 1, 1, c -> {
            long start = c.argLong(2), stop = c.argLong(3);
            PZSet z = c.value(1, PZSet.class);
            long[] r = z == null ? null : ListCommands.normalize(start, stop, z.size());
            removed(c, z, r == null ? 0 : z.removeRangeByRank(r[0], r[1]));
        });
        s.add("ZREMRANGEBYSCORE", 4, true, 1, 1, 1, c -> {
            Bound min = bound(c.arg(2)), max = bound(c.arg(3));
            PZSet z = c.value(1, PZSet.class);
            removed(c, z, z == null ? 0 : z.removeRangeByScore(min.v, min.excl, max.v, max.excl));
        });
        s.add("ZREMRANGEBYLEX", 4, true, 1, 1, 1, c -> {
            PZSet.Lex min = lex(c.arg(2)), max = lex(c.arg(3));
            PZSet z = c.value(1, PZSet.class);
            removed(c, z, z == null ? 0 : z.removeRangeByLex(min, max));
        });
        // numkeys keys follow; locking every argument's shard (weights too) is harmless and simple
        s.add("ZUNIONSTORE", -4, true, 1, -1, 1, c -> setOp(c, UNION, true, false));
        s.add("ZINTERSTORE", -4, true, 1, -1, 1, c -> setOp(c, INTER, true, false));
        s.add("ZDIFFSTORE", -4, true, 1, -1, 1, c -> setOp(c, DIFF, true, false));
        s.add("ZUNION", -3, false, -1, 0, 1, c -> setOp(c, UNION, false, false));
        s.add("ZINTER", -3, false, -1, 0, 1, c -> setOp(c, INTER, false, false));
        s.add("ZDIFF", -3, false, -1, 0, 1, c -> setOp(c, DIFF, false, false));
        s.add("ZINTERCARD", -3, false, -1, 0, 1, c -> setOp(c, INTER, false, true));
        s.add("ZRANGESTORE", -5, true, 1, 2, 1, c -> range(c, false, RANK, true));
    }

    private static PZSet forWrite(Ctx c) {
        PZSet z = c.value(1, PZSet.class);
        if (z == null) {
            z = PZSet.create();
            c.db.add(c.arg(1), z);
        }
        return z;
    }

    /** ZADD key [NX|XX] [GT|LT] [CH] [INCR] score member [score member ...] */
    private static void zadd(Ctx c) {
        boolean nx = false, xx = false, gt = false, lt = false, ch = false, incr = false;
        int i = 2;
        for (; i < c.argc(); i++) {
            if (c.is(i, "NX")) {
                nx = true;
            } else if (c.is(i, "XX")) {
                xx = true;
            } else if (c.is(i, "GT")) {
                gt = true;
            } else if (c.is(i, "LT")) {
                lt = true;
            } else if (c.is(i, "CH")) {
                ch = true;
            } else if (c.is(i, "INCR")) {
                incr = true;
            } else {
                break;
            }
        }
        int pairs = c.argc() - i;
        if (pairs == 0 || pairs % 2 != 0) {
            throw KvError.SYNTAX;
        }
        if (nx && xx) {
            throw new KvError("ERR XX and NX options at the same time are not compatible");
        }
        if (gt && lt || nx && (gt || lt)) {
            throw new KvError("ERR GT, LT, and/or NX options at the same time are not compatible");
        }
        if (incr && pairs != 2) {
            throw new KvError("ERR INCR option supports a single increment-element pair");
        }
        double[] scores = new double[pairs / 2];
        for (int k = 0; k < scores.length; k++) {
            scores[k] = c.argDouble(i + 2 * k);   // all parsed before anything changes
        }
        PZSet z = c.value(1, PZSet.class);
        if (z == null) {
            if (xx) {
                if (incr) {
                    c.out.nil();
                } else {
                    c.out.integer(0);
                }
                return;
            }
            z = PZSet.create();
            int longest = 0;
            for (int k = 0; k < scores.length; k++) {
                longest = Math.max(longest, c.arg(i + 2 * k + 1).length);
            }
            z.big = scores.length > Encodings.zsetEntries || longest > Encodings.zsetValue;   // as zsetTypeCreate sizes it
            c.db.add(c.arg(1), z);
        }
        if (!nx && !xx && !gt && !lt && !ch && !incr) {
            // The plain form in one bulk call: a large ZADD builds new nodes instead of logging each link.
            byte[][] members = new byte[scores.length][];
            for (int k = 0; k < scores.length; k++) {
                members[k] = c.arg(i + 2 * k + 1);
            }
            c.out.integer(z.addAll(members, scores));
            return;
        }
        long added = 0, changed = 0;
        double last = Double.NaN;
        for (int k = 0; k < scores.length; k++) {
            byte[] member = c.arg(i + 2 * k + 1);
            double score = scores[k];
            boolean exists = z.has(member);
            if (nx && exists || xx && !exists) {
                last = Double.NaN;
                continue;
            }
            if (exists) {
                double cur = z.score(member);
                if (incr) {
                    score += cur;
                    if (Double.isNaN(score)) {
                        throw new KvError("ERR resulting score is not a number (NaN)");
                    }
                }
                if (gt && score <= cur || lt && score >= cur) {
                    last = Double.NaN;
                    continue;
                }
                if (score != cur) {
                    z.add(member, score);
                    changed++;
                }
            } else {
                z.add(member, score);
                added++;
            }
            last = score;
        }
        c.dropIfEmpty(z.size());
        if (incr) {
            c.out.bulk(Double.isNaN(last) ? null : Bytes.formatScore(last));
        } else {
            c.out.integer(ch ? added + changed : added);
        }
    }

    private static void rank(Ctx c, boolean reverse) {
        PZSet z = c.value(1, PZSet.class);
        long r = z == null ? -1 : z.rank(c.arg(2), reverse);
        if (r < 0) {
            c.out.nil();
        } else {
            c.out.integer(r);
        }
    }

    private record Bound(double v, boolean excl) {}

    private static Bound bound(byte[] b) {
        boolean excl = b.length > 0 && b[0] == '(';
        try {
            double v = Bytes.parseDouble(excl ? java.util.Arrays.copyOfRange(b, 1, b.length) : b);
            return new Bound(v, excl);
        } catch (NumberFormatException e) {
            throw new KvError("ERR min or max is not a float");
        }
    }

    private static final int RANK = 0, SCORE = 1, LEX = 2;

    /** A lexicographic range item: {@code -}, {@code +}, {@code (member} or {@code [member}. */
    private static PZSet.Lex lex(byte[] b) {
        if (b.length == 1 && b[0] == '-') {
            return new PZSet.Lex(null, true, -1);
        } else if (b.length == 1 && b[0] == '+') {
            return new PZSet.Lex(null, true, 1);
        } else if (b.length > 0 && (b[0] == '(' || b[0] == '[')) {
            return new PZSet.Lex(java.util.Arrays.copyOfRange(b, 1, b.length), b[0] == '(', 0);
        }
        throw new KvError("ERR min or max not valid string range item");
    }

    /** Replies how many a ZREMRANGEBY* removed, dropping the key when the set became empty. In a txn. */
    private static void removed(Ctx c, PZSet z, long n) {
        if (z != null) {
            c.dropIfEmpty(z.size());
        }
        c.out.integer(n);
    }

    /**
     * ZRANGE key start stop [BYSCORE|BYLEX] [REV] [LIMIT offset count] [WITHSCORES],
     * and the older ZREVRANGE, ZRANGEBYSCORE, ZREVRANGEBYSCORE, ZRANGEBYLEX,
     * ZREVRANGEBYLEX, whose direction and range type are fixed. The checks
     * come in Redis's order: options, their conflicts, the range, the key.
     */
    private static void range(Ctx c, boolean rev, int by, boolean store) {
        final int k = store ? 1 : 0;   // ZRANGESTORE dst src ...: every argument one further
        boolean withScores = false;
        long offset = 0, count = -1;
        boolean modern = store || Bytes.eqIgnoreCase(c.arg(0), "ZRANGE");
        boolean dirSet = !modern, bySet = !modern;
        for (int i = 4 + k; i < c.argc(); i++) {
            if (!store && c.is(i, "WITHSCORES")) {
                withScores = true;
            } else if (c.is(i, "LIMIT") && i + 2 < c.argc()) {
                offset = c.argLong(i + 1);
                count = c.argLong(i + 2);
                i += 2;
            } else if (!dirSet && c.is(i, "REV")) {
                rev = true;
                dirSet = true;
            } else if (!bySet && c.is(i, "BYSCORE")) {
                by = SCORE;
                bySet = true;
            } else if (!bySet && c.is(i, "BYLEX")) {
                by = LEX;
                bySet = true;
            } else {
                throw KvError.SYNTAX;
            }
        }
        if (count != -1 && by == RANK) {   // Redis tests the count: LIMIT n -1 passes and is ignored
            throw new KvError("ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX");
        }
        if (withScores && by == LEX) {
            throw new KvError("ERR syntax error, WITHSCORES not supported in combination with BYLEX");
        }
        PZSet z;
        final boolean ws = withScores || store;
        java.util.List<byte[]> out = new java.util.ArrayList<>();
        PZSet.ZConsumer collect = (m, sc) -> {
            out.add(m);
            if (ws) {
                out.add(Bytes.formatScore(sc));
            }
        };
        if (by == SCORE) {
            // ZRANGEBYSCORE key min max; ZREVRANGEBYSCORE and ZRANGE ... BYSCORE REV take max first
            Bound a = bound(c.arg(2 + k)), b = bound(c.arg(3 + k));
            Bound min = rev ? b : a, max = rev ? a : b;
            z = c.value(1 + k, PZSet.class);
            if (z != null) {
                z.rangeByScore(min.v, min.excl, max.v, max.excl, offset, count, rev, collect);
            }
        } else if (by == LEX) {
            PZSet.Lex a = lex(c.arg(2 + k)), b = lex(c.arg(3 + k));
            PZSet.Lex min = rev ? b : a, max = rev ? a : b;
            z = c.value(1 + k, PZSet.class);
            if (z != null) {
                z.rangeByLex(min, max, offset, count, rev, collect);
            }
        } else {
            long start = c.argLong(2 + k), stop = c.argLong(3 + k);
            z = c.value(1 + k, PZSet.class);
            long[] r = z == null ? null : ListCommands.normalize(start, stop, z.size());
            if (r != null) {
                z.range(r[0], r[1], rev, collect);
            }
        }
        if (store) {   // members and scores, in pairs
            c.db.delete(c.arg(1));
            if (!out.isEmpty()) {
                PZSet dst = PZSet.building();
                for (int i = 0; i < out.size(); i += 2) {
                    dst.add(out.get(i), Bytes.parseDouble(out.get(i + 1)));
                }
                dst.finishBuild();
                c.db.add(c.arg(1), dst);
            }
            c.out.integer(out.size() / 2);
            return;
        }
        c.out.array(out.size());
        out.forEach(c.out::bulk);
    }

    private static final int SUM = 0, MIN = 1, MAX = 2;

    /** One input of ZUNIONSTORE/ZINTERSTORE: a sorted set, a set (every score 1), or nothing. */
    private record Src(Object v, double weight) {
        long size() {
            return v instanceof PZSet z ? z.size() : v instanceof PDict d ? d.size() : 0;
        }

        void forEach(PZSet.ZConsumer action) {
            if (v instanceof PZSet z) {
                z.range(0, z.size() - 1, false, action);
            } else if (v instanceof PDict d) {
                d.forEach(e -> action.accept(e.key, 1.0));
            }
        }

        /** The member's score here, or NaN if it is absent. */
        double score(byte[] m) {
            if (v instanceof PZSet z) {
                return z.score(m);
            }
            return v instanceof PDict d && d.find(m) != null ? 1.0 : Double.NaN;
        }
    }

    private static double aggregate(double target, double val, int agg) {
        if (agg == SUM) {
            double r = target + val;
            return Double.isNaN(r) ? 0.0 : r;
        } else if (agg == MIN) {
            return val < target ? val : target;
        }
        return val > target ? val : target;
    }

    private static final int UNION = 0, INTER = 1, DIFF = 2;

    /**
     * ZUNION/ZINTER/ZDIFF numkeys key [key ...] [WEIGHTS w ...] [AGGREGATE
     * SUM|MIN|MAX] [WITHSCORES], their *STORE forms (destination first, no
     * WITHSCORES) and ZINTERCARD numkeys key [key ...] [LIMIT n], after
     * Redis's zunionInterDiffGenericCommand: every input is read (and its
     * type checked) before the options, the inputs are sorted by size, a
     * destination is replaced in the command's transaction.
     */
    private static void setOp(Ctx c, int op, boolean store, boolean cardOnly) {
        final int numkeysAt = store ? 2 : 1;
        long setnum;
        try {
            setnum = Bytes.parseLong(c.arg(numkeysAt));
        } catch (NumberFormatException e) {
            throw new KvError("ERR value is not an integer or out of range");
        }
        if (setnum < 1) {
            throw new KvError("ERR at least 1 input key is needed for '" + Bytes.str(c.arg(0)).toLowerCase() + "' command");
        }
        if (setnum > c.argc() - numkeysAt - 1) {
            throw KvError.SYNTAX;
        }
        int n = (int) setnum;
        Object[] vs = new Object[n];
        for (int i = 0; i < n; i++) {
            PEntry e = c.lookup(numkeysAt + 1 + i);
            if (e != null) {
                if (!(e.value instanceof PZSet || e.value instanceof PDict d && d.kind == PDict.SET)) {
                    throw KvError.WRONGTYPE;
                }
                vs[i] = e.value;
            }
        }
        double[] w = new double[n];
        java.util.Arrays.fill(w, 1.0);
        int agg = SUM;
        boolean withScores = false;
        long limit = 0;
        int j = numkeysAt + 1 + n;
        while (j < c.argc()) {
            int remaining = c.argc() - j;
            if (op != DIFF && !cardOnly && remaining >= n + 1 && c.is(j, "WEIGHTS")) {
                j++;
                for (int i = 0; i < n; i++, j++) {
                    try {
                        w[i] = Bytes.parseDouble(c.arg(j));
                    } catch (NumberFormatException e) {
                        throw new KvError("ERR weight value is not a float");
                    }
                }
            } else if (op != DIFF && !cardOnly && remaining >= 2 && c.is(j, "AGGREGATE")) {
                j++;
                if (c.is(j, "SUM")) {
                    agg = SUM;
                } else if (c.is(j, "MIN")) {
                    agg = MIN;
                } else if (c.is(j, "MAX")) {
                    agg = MAX;
                } else {
                    throw KvError.SYNTAX;
                }
                j++;
            } else if (!store && !cardOnly && c.is(j, "WITHSCORES")) {
                withScores = true;
                j++;
            } else if (cardOnly && remaining >= 2 && c.is(j, "LIMIT")) {
                limit = SetCommands.limit(c, j + 1);
                j += 2;
            } else {
                throw KvError.SYNTAX;
            }
        }
        java.util.List<Src> src = new java.util.ArrayList<>();
        for (int i = 0; i < n; i++) {
            src.add(new Src(vs[i], w[i]));
        }
        if (op != DIFF) {
            src.sort(java.util.Comparator.comparingLong(Src::size));   // stable, as glibc's qsort is here
        }
        java.util.LinkedHashMap<java.nio.ByteBuffer, double[]> acc = new java.util.LinkedHashMap<>();
        java.util.Map<java.nio.ByteBuffer, byte[]> members = new java.util.HashMap<>();
        final int ag = agg;
        final long lim = limit;
        if (op == UNION) {
            for (Src sr : src) {
                sr.forEach((m, sc) -> {
                    double score = sr.weight() * sc;
                    if (Double.isNaN(score)) {
                        score = 0;
                    }
                    java.nio.ByteBuffer k = java.nio.ByteBuffer.wrap(m);
                    double[] cur = acc.get(k);
                    if (cur == null) {
                        acc.put(k, new double[] {score});
                        members.put(k, m);
                    } else {
                        cur[0] = aggregate(cur[0], score, ag);
                    }
                });
            }
        } else if (src.get(0).size() > 0) {
            Src first = src.get(0);
            first.forEach((m, sc) -> {
                if (cardOnly && lim != 0 && acc.size() >= lim) {
                    return;
                }
                double score = first.weight() * sc;
                if (Double.isNaN(score)) {
                    score = 0;
                }
                for (int i = 1; i < src.size(); i++) {
                    double v = src.get(i).score(m);
                    if (op == DIFF) {
                        if (!Double.isNaN(v)) {
                            return;   // in a later input
                        }
                        continue;
                    }
                    if (Double.isNaN(v)) {
                        return;   // not in every input
                    }
                    score = aggregate(score, v * src.get(i).weight(), ag);
                }
                java.nio.ByteBuffer k = java.nio.ByteBuffer.wrap(m);
                acc.put(k, new double[] {score});
                members.put(k, m);
            });
        }
        if (cardOnly) {
            c.out.integer(acc.size());
            return;
        }
        if (store) {
            c.db.delete(c.arg(1));
            if (!acc.isEmpty()) {
                PZSet z = PZSet.building();
                for (var e : acc.entrySet()) {
                    z.add(members.get(e.getKey()), e.getValue()[0]);   // a persistent member is shared, not copied
                }
                z.finishBuild();
                c.db.add(c.arg(1), z);
            }
            c.out.integer(acc.size());
            return;
        }
        // The reply is in the order of a sorted set: by score, then member.
        java.util.List<java.util.Map.Entry<java.nio.ByteBuffer, double[]>> sorted = new java.util.ArrayList<>(acc.entrySet());
        sorted.sort((a, b) -> {
            int byScore = Double.compare(a.getValue()[0], b.getValue()[0]);
            return byScore != 0 ? byScore : java.util.Arrays.compareUnsigned(members.get(a.getKey()), members.get(b.getKey()));
        });
        c.out.array(withScores ? 2L * sorted.size() : sorted.size());
        for (var e : sorted) {
            c.out.bulk(members.get(e.getKey()));
            if (withScores) {
                c.out.bulk(Bytes.formatScore(e.getValue()[0]));
            }
        }
    }

    /** ZPOPMIN/ZPOPMAX key [count]: a flat array of member, score pairs, lowest (highest) first. */
    private static void zpop(Ctx c, boolean max) {
        if (c.argc() > 3) {
            throw KvError.SYNTAX;
        }
        long count = c.argc() == 3 ? ListCommands.positive(c, 2, "ERR value is out of range, must be positive") : 1;
        PZSet z = c.value(1, PZSet.class);
        if (z == null || count == 0) {
            c.out.array(0);
            return;
        }
        long n = Math.min(count, z.size());
        c.out.array(2 * n);
        popInto(c, z, n, max, false);
        c.dropIfEmpty(z.size());
    }

    /**
     * Pops the n lowest (highest) members of z, replying member and score
     * for each, flat or (pairs) as a two-element array each (ZMPOP).
     */
    static void popInto(Ctx c, PZSet z, long n, boolean max, boolean pairs) {
        z.range(0, n - 1, max, (member, score) -> {
            if (pairs) {
                c.out.array(2);
            }
            c.out.bulk(member);
            c.out.bulk(Bytes.formatScore(score));
        });
        long size = z.size();
        z.removeRangeByRank(max ? size - n : 0, max ? size - 1 : n - 1);
    }
}
