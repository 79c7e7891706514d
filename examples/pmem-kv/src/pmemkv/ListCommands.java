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
            count = c.argLong(2);
            if (count < 0) {
                throw new KvError("ERR value is out of range, must be positive");
            }
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
}
