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

import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;

import jdk.internal.pmem.Pmem;

/**
 * A persistent hash table with incremental rehash, after Redis's dict (and
 * go-redis-pmem's): two bucket arrays, and while the table grows or shrinks
 * every change moves one bucket of the old array to the new one, so no
 * single command pays for a whole rehash and no transaction logs more than
 * a bucket's worth of links.
 *
 * <p>Every object here is persistent. Methods that change the table must
 * run inside a {@code Pmem.txn} (the command layer opens one per command),
 * so a crash in the middle of an insert, a removal or a rehash step rolls
 * the table back to where it was; there is no recovery code. The caller
 * also holds the lock that guards this table: a transaction gives
 * atomicity, not isolation.
 *
 * <p>Objects are made with {@code Pmem.pnew}/{@code Pmem.pmake}, which run
 * no constructor, so the factory methods fill the fields.
 */
final class PDict {
    /** What the table is: the keyspace, a hash's fields, a set's members, an expiry index. */
    static final byte KEYS = 0, HASH = 1, SET = 2, EXPIRES = 3, ZSET = 4;

    private static final int MIN_SIZE = 4;
    private static final int EMPTY_VISITS = 10;   // empty buckets one rehash step may pass

    PEntry[] t0;        // the table; the old one while rehashing
    PEntry[] t1;        // the new table while rehashing, else null
    long used0, used1;  // entries in t0 and t1
    int rehashIdx;      // next bucket of t0 to move, -1 when not rehashing
    byte kind;
    boolean big;        // a hash or set Redis would have converted to a hash table by now (Encodings): never reset

    static PDict create(byte kind) {
        PDict d = Pmem.pnew(PDict.class);
        d.t0 = Pmem.pmake(PEntry[].class, MIN_SIZE);
        d.rehashIdx = -1;
        d.kind = kind;
        return d;
    }

    long size() {
        return used0 + used1;
    }

    boolean rehashing() {
        return rehashIdx >= 0;
    }

    PEntry find(byte[] key) {
        if (size() == 0) {
            return null;
        }
        int h = Bytes.hash(key);
        PEntry e = chain(t0, h);
        for (; e != null; e = e.next) {
            if (e.hash == h && Bytes.equal(e.key, key)) {
                return e;
            }
        }
        if (t1 != null) {
            for (e = chain(t1, h); e != null; e = e.next) {
                if (e.hash == h && Bytes.equal(e.key, key)) {
                    return e;
                }
            }
        }
        return null;
    }

    private static PEntry chain(PEntry[] t, int h) {
        return t[h & (t.length - 1)];
    }

    /**
     * Adds {@code key}, which must not be in the table, with {@code value}
     * (null or persistent). The key is copied into persistent memory
     * unless it is persistent already. Returns the new entry. In a txn.
     */
    PEntry add(byte[] key, Object value) {
        step();
        if (!rehashing() && used0 >= t0.length) {
            resize(t0.length * 2);
        }
        PEntry e = PEntry.create(Pmem.inPmem(key) ? key : Bytes.persist(key), Bytes.hash(key), value);
        if (!big && (kind == HASH || kind == SET)) {
            note(key, value, size() + 1);
        }
        if (rehashing()) {
            int i = e.hash & (t1.length - 1);
            e.next = t1[i];
            t1[i] = e;
            used1++;
        } else {
            int i = e.hash & (t0.length - 1);
            e.next = t0[i];
            t0[i] = e;
            used0++;
        }
        return e;
    }

    /**
     * Redis's conversion rules (Encodings), for an insertion that makes the
     * size n: a hash past its listpack limits, a set with a member that is
     * not an integer or past the intset's size, is a hash table from now on.
     */
    void note(byte[] key, Object value, long n) {
        boolean conv = kind == HASH
                ? n > Encodings.hashEntries || key.length > Encodings.hashValue
                        || value instanceof byte[] v && v.length > Encodings.hashValue
                : n > Encodings.intsetEntries || !Encodings.isInt(key);
        if (conv && !big) {
            big = true;
        }
    }

    /** Removes {@code key}; returns its entry, or null if it was absent. In a txn. */
    PEntry remove(byte[] key) {
        if (size() == 0) {
            return null;
        }
        step();
        int h = Bytes.hash(key);
        PEntry e = unlink(t0, h, key);
        if (e != null) {
            used0--;
        } else if (t1 != null && (e = unlink(t1, h, key)) != null) {
            used1--;
        }
        if (e != null && !rehashing() && t0.length > MIN_SIZE && used0 * 10 < t0.length) {
            resize(Math.max(MIN_SIZE, Integer.highestOneBit((int) Math.max(used0, 1)) * 2));
        }
        return e;
    }

    private static PEntry unlink(PEntry[] t, int h, byte[] key) {
        int i = h & (t.length - 1);
        PEntry prev = null;
        for (PEntry e = t[i]; e != null; prev = e, e = e.next) {
            if (e.hash == h && Bytes.equal(e.key, key)) {
                if (prev == null) {
                    t[i] = e.next;
                } else {
                    prev.next = e.next;
                }
                return e;
            }
        }
        return null;
    }

    /** Empties the table (the entries become garbage for the collector). In a txn. */
    void clear() {
        t0 = Pmem.pmake(PEntry[].class, MIN_SIZE);
        t1 = null;
        used0 = used1 = 0;
        rehashIdx = -1;
    }

    private void resize(int size) {
        t1 = Pmem.pmake(PEntry[].class, size);
        rehashIdx = 0;
    }

    /** One step of an incremental rehash: moves a bucket of t0 to t1. In a txn. */
    private void step() {
        if (!rehashing()) {
            return;
        }
        int visits = EMPTY_VISITS;
        while (rehashIdx < t0.length && t0[rehashIdx] == null) {
            rehashIdx++;
            if (--visits == 0 && rehashIdx < t0.length) {
                return;
            }
        }
        if (rehashIdx < t0.length) {
            PEntry e = t0[rehashIdx];
            t0[rehashIdx] = null;
            while (e != null) {
                PEntry next = e.next;
                int i = e.hash & (t1.length - 1);
                e.next = t1[i];
                t1[i] = e;
                used0--;
                used1++;
                e = next;
            }
            rehashIdx++;
        }
        if (rehashIdx >= t0.length) {   // done: t1 becomes the table
            t0 = t1;
            used0 = used1;
            t1 = null;
            used1 = 0;
            rehashIdx = -1;
        }
    }

    /** An entry chosen at random (not uniformly: a random bucket's chain), or null if empty. */
    PEntry random() {
        if (size() == 0) {
            return null;
        }
        ThreadLocalRandom r = ThreadLocalRandom.current();
        for (;;) {
            PEntry[] t = t1 != null && r.nextLong(size()) < used1 ? t1 : t0;
            int from = t == t0 && rehashing() ? rehashIdx : 0;   // t0 below rehashIdx is empty
            if (from >= t.length) {
                continue;
            }
            PEntry e = t[from + r.nextInt(t.length - from)];
            if (e != null) {
                int n = 0;
                for (PEntry c = e; c != null; c = c.next) {
                    n++;
                }
                for (int k = r.nextInt(n); k > 0; k--) {
                    e = e.next;
                }
                return e;
            }
        }
    }

    void forEach(Consumer<PEntry> action) {
        visitAll(t0, action);
        if (t1 != null) {
            visitAll(t1, action);
        }
    }

    private static void visitAll(PEntry[] t, Consumer<PEntry> action) {
        for (PEntry head : t) {
            for (PEntry e = head; e != null; e = e.next) {
                action.accept(e);
            }
        }
    }

    /**
     * Redis's dictScan: visits the buckets of cursor {@code v} and returns
     * the next cursor (0 when done). The cursor counts in bit-reversed
     * order, so every entry present from the first call to the last is
     * visited at least once even if the table is resized in between.
     */
    long scan(long v, Consumer<PEntry> action) {
        if (size() == 0) {
            return 0;
        }
        if (t1 == null) {
            long m0 = t0.length - 1;
            visitBucket(t0, (int) (v & m0), action);
            return next(v, m0);
        }
        PEntry[] small = t0, big = t1;
        if (small.length > big.length) {
            small = t1;
            big = t0;
        }
        long m0 = small.length - 1, m1 = big.length - 1;
        visitBucket(small, (int) (v & m0), action);
        do {
            visitBucket(big, (int) (v & m1), action);
            v = next(v, m1);
        } while ((v & (m0 ^ m1)) != 0);
        return v;
    }

    private static long next(long v, long mask) {
        v |= ~mask;
        v = Long.reverse(v);
        v++;
        return Long.reverse(v);
    }

    private static void visitBucket(PEntry[] t, int i, Consumer<PEntry> action) {
        for (PEntry e = t[i]; e != null; e = e.next) {
            action.accept(e);
        }
    }
}
