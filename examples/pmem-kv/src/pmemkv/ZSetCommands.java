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
            c.out.bulk(Bytes.formatDouble(n));
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
            c.out.bulk(z == null || !z.has(c.arg(2)) ? null : Bytes.formatDouble(z.score(c.arg(2))));
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
        s.add("ZRANGE", -4, false, 1, 1, 1, c -> range(c, 4, false, false));
        s.add("ZREVRANGE", -4, false, 1, 1, 1, c -> range(c, 4, true, false));
        s.add("ZRANGEBYSCORE", -4, false, 1, 1, 1, c -> range(c, 4, false, true));
        s.add("ZREVRANGEBYSCORE", -4, false, 1, 1, 1, c -> range(c, 4, true, true));
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
            c.out.bulk(Double.isNaN(last) ? null : Bytes.formatDouble(last));
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

    /**
     * ZRANGE key start stop [BYSCORE] [REV] [LIMIT offset count] [WITHSCORES],
     * and the older ZREVRANGE, ZRANGEBYSCORE, ZREVRANGEBYSCORE.
     */
    private static void range(Ctx c, int optsFrom, boolean rev, boolean byScore) {
        boolean withScores = false, limit = false;
        long offset = 0, count = -1;
        boolean modern = Bytes.eqIgnoreCase(c.arg(0), "ZRANGE");
        for (int i = optsFrom; i < c.argc(); i++) {
            if (c.is(i, "WITHSCORES")) {
                withScores = true;
            } else if (c.is(i, "LIMIT") && i + 2 < c.argc() && (byScore || modern)) {
                offset = c.argLong(i + 1);
                count = c.argLong(i + 2);
                limit = true;
                i += 2;
            } else if (modern && c.is(i, "BYSCORE")) {
                byScore = true;
            } else if (modern && c.is(i, "REV")) {
                rev = true;
            } else {
                throw KvError.SYNTAX;
            }
        }
        if (limit && !byScore) {
            throw new KvError("ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX");
        }
        PZSet z;
        final boolean ws = withScores;
        java.util.List<byte[]> out = new java.util.ArrayList<>();
        PZSet.ZConsumer collect = (m, sc) -> {
            out.add(m);
            if (ws) {
                out.add(Bytes.formatDouble(sc));
            }
        };
        if (byScore) {
            // ZRANGEBYSCORE key min max; ZREVRANGEBYSCORE and ZRANGE ... BYSCORE REV take max first
            Bound a = bound(c.arg(2)), b = bound(c.arg(3));
            Bound min = rev ? b : a, max = rev ? a : b;
            z = c.value(1, PZSet.class);
            if (z != null) {
                z.rangeByScore(min.v, min.excl, max.v, max.excl, offset, count, rev, collect);
            }
        } else {
            long start = c.argLong(2), stop = c.argLong(3);
            z = c.value(1, PZSet.class);
            long[] r = z == null ? null : ListCommands.normalize(start, stop, z.size());
            if (r != null) {
                z.range(r[0], r[1], rev, collect);
            }
        }
        c.out.array(out.size());
        out.forEach(c.out::bulk);
    }
}
