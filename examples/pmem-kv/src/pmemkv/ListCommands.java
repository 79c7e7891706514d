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

/** List commands. A list is a {@link PList} of persistent byte[]. */
final class ListCommands {
    private ListCommands() {}

    static void register(Server s) {
        s.add("LPUSH", -3, true, 1, 1, 1, c -> push(c, true, false));
        s.add("RPUSH", -3, true, 1, 1, 1, c -> push(c, false, false));
        s.add("LPUSHX", -3, true, 1, 1, 1, c -> push(c, true, true));
        s.add("RPUSHX", -3, true, 1, 1, 1, c -> push(c, false, true));
        s.add("LPOP", -2, true, 1, 1, 1, c -> pop(c, true));
        s.add("RPOP", -2, true, 1, 1, 1, c -> pop(c, false));
        s.add("LLEN", 2, false, 1, 1, 1, c -> {
            PList l = c.value(1, PList.class);
            c.out.integer(l == null ? 0 : l.size());
        });
        s.add("LINDEX", 3, false, 1, 1, 1, c -> {
            long i = c.argLong(2);
            PList l = c.value(1, PList.class);
            long n = l == null ? 0 : l.size();
            if (i < 0) {
                i += n;
            }
            c.out.bulk(i < 0 || i >= n ? null : l.get(i));
        });
        s.add("LSET", 4, true, 1, 1, 1, c -> {
            long i = c.argLong(2);
            PList l = c.value(1, PList.class);
            if (l == null) {
                throw KvError.NO_SUCH_KEY;
            }
            if (i < 0) {
                i += l.size();
            }
            if (i < 0 || i >= l.size()) {
                throw new KvError("ERR index out of range");
            }
            l.set(i, Bytes.persist(c.arg(3)));
            c.out.ok();
        });
        s.add("LRANGE", 4, false, 1, 1, 1, c -> {
            long start = c.argLong(2), stop = c.argLong(3);
            PList l = c.value(1, PList.class);
            long[] r = normalize(start, stop, l == null ? 0 : l.size());
            if (r == null) {
                c.out.array(0);
                return;
            }
            c.out.array(r[1] - r[0] + 1);
            l.range(r[0], r[1], c.out::bulk);
        });
        s.add("LREM", 4, true, 1, 1, 1, c -> {
            long count = c.argLong(2);
            PList l = c.value(1, PList.class);
            long n = 0;
            if (l != null) {
                n = l.remove(c.arg(3), count);
                c.dropIfEmpty(l.size());
            }
            c.out.integer(n);
        });
        s.add("LTRIM", 4, true, 1, 1, 1, c -> {
            long start = c.argLong(2), stop = c.argLong(3);
            PList l = c.value(1, PList.class);
            if (l != null) {
                long[] r = normalize(start, stop, l.size());
                if (r == null) {
                    c.db.delete(c.arg(1));
                } else {
                    l.trim(r[0], r[1]);
                }
            }
            c.out.ok();
        });
        s.add("LINSERT", 5, true, 1, 1, 1, c -> {
            boolean before;
            if (c.is(2, "BEFORE")) {
                before = true;
            } else if (c.is(2, "AFTER")) {
                before = false;
            } else {
                throw KvError.SYNTAX;
            }
            PList l = c.value(1, PList.class);
            if (l == null) {
                c.out.integer(0);
                return;
            }
            long i = l.indexOf(c.arg(3));
            if (i < 0) {
                c.out.integer(-1);
                return;
            }
            l.insert(before ? i : i + 1, Bytes.persist(c.arg(4)));
            c.out.integer(l.size());
        });
        s.add("LMOVE", 5, true, 1, 2, 1, c -> {
            boolean from = side(c, 3), to = side(c, 4);
            move(c, from, to);
        });
        s.add("RPOPLPUSH", 3, true, 1, 2, 1, c -> move(c, false, true));
        s.add("LPOS", -3, false, 1, 1, 1, ListCommands::lpos);
    }

    /** Redis's range rule: negative indexes count from the end; null when the range is empty. */
    static long[] normalize(long start, long stop, long n) {
        if (start < 0) {
            start += n;
        }
        if (stop < 0) {
            stop += n;
        }
        if (start < 0) {
            start = 0;
        }
        if (start > stop || start >= n) {
            return null;
        }
        if (stop >= n) {
            stop = n - 1;
        }
        return new long[] {start, stop};
    }

    private static void push(Ctx c, boolean left, boolean onlyIfExists) {
        PList l = c.value(1, PList.class);
        if (l == null) {
            if (onlyIfExists) {
                c.out.integer(0);
                return;
            }
            l = PList.create();
            c.db.add(c.arg(1), l);
        }
        byte[][] vs = new byte[c.argc() - 2][];
        for (int i = 2; i < c.argc(); i++) {
            vs[i - 2] = Bytes.persist(c.arg(i));
        }
        l.pushAll(vs, left);
        c.out.integer(l.size());
    }

    private static void pop(Ctx c, boolean left) {
        if (c.argc() > 3) {
            throw KvError.SYNTAX;
        }
        long count = -1;
        if (c.argc() == 3) {
            count = positive(c, 2, "ERR value is out of range, must be positive");   // Redis's words for "x" too
        }
        PList l = c.value(1, PList.class);
        if (l == null) {
            if (count < 0) {
                c.out.nil();
            } else {
                c.out.nilArray();
            }
            return;
        }
        if (count < 0) {
            c.out.bulk(l.pop(left));
        } else {
            long n = Math.min(count, l.size());
            c.out.array(n);
            if (n <= 1000) {
                for (long i = 0; i < n; i++) {
                    c.out.bulk(l.pop(left));
                }
            } else {   // one new array instead of n logged pops: a txn's undo log is bounded
                long size = l.size();
                if (left) {
                    l.range(0, n - 1, c.out::bulk);
                    l.trim(n, size - 1);
                } else {
                    java.util.List<byte[]> tail = new java.util.ArrayList<>();
                    l.range(size - n, size - 1, tail::add);
                    for (int i = tail.size() - 1; i >= 0; i--) {
                        c.out.bulk(tail.get(i));
                    }
                    l.trim(0, size - n - 1);
                }
            }
        }
        c.dropIfEmpty(l.size());
    }

    /** LEFT (true) or RIGHT (false) at argument {@code i}, else a syntax error. */
    static boolean side(Ctx c, int i) {
        if (c.is(i, "LEFT")) {
            return true;
        } else if (c.is(i, "RIGHT")) {
            return false;
        }
        throw KvError.SYNTAX;
    }

    /**
     * LMOVE/RPOPLPUSH: pops from the list at argument 1 and pushes onto the
     * list at argument 2 (the same list when the keys are equal), in the
     * command's one transaction. A missing source is nil whatever the
     * destination holds, as in Redis.
     */
    private static void move(Ctx c, boolean fromLeft, boolean toLeft) {
        PList src = c.value(1, PList.class);
        if (src == null) {
            c.out.nil();
            return;
        }
        c.out.bulk(moveFrom(c, src, fromLeft, toLeft));
    }

    /** Pops from src (the non-empty list at argument 1) onto the list at argument 2 (made if absent); returns the element. */
    static byte[] moveFrom(Ctx c, PList src, boolean fromLeft, boolean toLeft) {
        PList dst = c.value(2, PList.class);   // WRONGTYPE before anything changes
        byte[] v = src.pop(fromLeft);
        if (dst == null) {
            dst = PList.create();
            c.db.add(c.arg(2), dst);
        }
        dst.push(v, toLeft);
        c.dropIfEmpty(src.size());
        return v;
    }

    /** LPOS key element [RANK rank] [COUNT num-matches] [MAXLEN len] */
    private static void lpos(Ctx c) {
        long rank = 1, count = -1, maxlen = 0;
        for (int i = 3; i < c.argc(); i++) {
            boolean more = i + 1 < c.argc();
            if (c.is(i, "RANK") && more) {
                rank = c.argLong(++i);   // LONG_MIN is accepted, and wraps below as in Redis's C
                if (rank == 0) {
                    throw new KvError("ERR RANK can't be zero: use 1 to start from the first match, 2 from the second ... "
                            + "or use negative to start from the end of the list");
                }
            } else if (c.is(i, "COUNT") && more) {
                count = positive(c, ++i, "ERR COUNT can't be negative");
            } else if (c.is(i, "MAXLEN") && more) {
                maxlen = positive(c, ++i, "ERR MAXLEN can't be negative");
            } else {
                throw KvError.SYNTAX;
            }
        }
        PList l = c.value(1, PList.class);
        if (l == null) {
            if (count != -1) {
                c.out.array(0);
            } else {
                c.out.nil();
            }
            return;
        }
        boolean fromTail = rank < 0;
        if (fromTail) {
            rank = -rank;   // -LONG_MIN stays negative: every match counts, as in Redis
        }
        byte[] ele = c.arg(2);
        long n = l.size(), matches = 0;
        java.util.List<Long> found = new java.util.ArrayList<>();
        for (long index = 0; index < n && (maxlen == 0 || index < maxlen); index++) {
            long at = fromTail ? n - index - 1 : index;
            if (Bytes.equal(l.get(at), ele)) {
                matches++;
                if (matches >= rank) {
                    found.add(at);
                    if (count == -1 || count != 0 && matches - rank + 1 >= count) {
                        break;
                    }
                }
            }
        }
        if (count == -1) {
            if (found.isEmpty()) {
                c.out.nil();
            } else {
                c.out.integer(found.get(0));
            }
        } else {
            c.out.array(found.size());
            found.forEach(c.out::integer);
        }
    }

    /** A count argument that must be >= 0; {@code msg} for a negative or non-integer one, as Redis words it. */
    static long positive(Ctx c, int i, String msg) {
        long v;
        try {
            v = Bytes.parseLong(c.arg(i));
        } catch (NumberFormatException e) {
            throw new KvError(msg);
        }
        if (v < 0) {
            throw new KvError(msg);
        }
        return v;
    }
}
