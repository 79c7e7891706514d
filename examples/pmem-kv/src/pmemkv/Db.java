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
import java.util.concurrent.locks.ReentrantLock;

import jdk.internal.pmem.Pmem;

/**
 * The dataset: a {@link KvRoot} in the persistent heap, its keyspace split
 * into {@value #SHARDS} shards, each a {@link PDict} guarded by a (volatile)
 * lock. A command locks the shards of its keys, in shard order, and runs as
 * one transaction; commands on keys of different shards run in parallel.
 *
 * <p>Finding the dataset again after a restart is one name lookup: nothing
 * here walks or rebuilds the data. Expired keys are removed lazily (when a
 * command touches them) and by a background sweep of the expiry index.
 */
final class Db {
    static final String ROOT_NAME = "pmem-kv";
    static final int FORMAT = 1;
    static final int SHARDS = 64;   // a power of two

    final KvRoot root;
    private final ReentrantLock[] locks = new ReentrantLock[SHARDS];

    private Db(KvRoot root) {
        this.root = root;
        for (int i = 0; i < SHARDS; i++) {
            locks[i] = new ReentrantLock();
        }
    }

    /** Finds the dataset in the persistent heap, or creates an empty one (atomically). */
    static Db open() {
        KvRoot r = Pmem.get(ROOT_NAME, KvRoot.class);
        if (r == null) {
            r = Pmem.txn(() -> {
                KvRoot n = Pmem.pnew(KvRoot.class);
                n.keys = Pmem.pmake(PDict[].class, SHARDS);
                n.expires = Pmem.pmake(PDict[].class, SHARDS);
                for (int i = 0; i < SHARDS; i++) {
                    n.keys[i] = PDict.create(PDict.KEYS);
                    n.expires[i] = PDict.create(PDict.EXPIRES);
                }
                n.createdMs = System.currentTimeMillis();
                n.format = FORMAT;
                Pmem.put(ROOT_NAME, n);
                return n;
            });
        } else if (r.format != FORMAT || r.keys.length != SHARDS) {
            throw new IllegalStateException("the heap holds a pmem-kv dataset of format " + r.format
                    + " with " + r.keys.length + " shards; this server reads format " + FORMAT + " with " + SHARDS);
        }
        return new Db(r);
    }

    /** The shard of a key: the hash's top bits (PDict buckets use the low ones). */
    static int shard(byte[] key) {
        return Bytes.hash(key) >>> (32 - Integer.numberOfTrailingZeros(SHARDS));
    }

    // --- locking -------------------------------------------------------------

    /** Locks the shards of {@code keys} in shard order; returns the bit set to pass to unlock. */
    long lock(List<byte[]> keys) {
        long set = 0;
        for (byte[] k : keys) {
            set |= 1L << shard(k);
        }
        lockSet(set);
        return set;
    }

    long lockAll() {
        long set = SHARDS == 64 ? -1L : (1L << SHARDS) - 1;
        lockSet(set);
        return set;
    }

    void lockSet(long set) {
        for (long s = set; s != 0; s &= s - 1) {
            locks[Long.numberOfTrailingZeros(s)].lock();
        }
    }

    void unlock(long set) {
        for (long s = set; s != 0; s &= s - 1) {
            locks[Long.numberOfTrailingZeros(s)].unlock();
        }
    }

    // --- keys (the caller holds the key's shard lock) -----------------------

    /** The live entry of {@code key}, or null; an expired key is deleted on the way. */
    PEntry lookup(byte[] key, long now) {
        int s = shard(key);
        PEntry e = root.keys[s].find(key);
        if (e != null && e.expireAt != 0 && e.expireAt <= now) {
            if (replica) {
                return null;   // expired for clients; only the master's DEL deletes it
            }
            Pmem.txn(() -> delete(s, e.key));
            onExpired.accept(e.key);
            return null;
        }
        return e;
    }

    /** The entry of {@code key}, expired or not, touching nothing. */
    PEntry peek(byte[] key) {
        return root.keys[shard(key)].find(key);
    }

    /** Every entry, shard by shard. The caller holds every lock. */
    void forEachEntry(java.util.function.Consumer<PEntry> action) {
        for (PDict d : root.keys) {
            d.forEach(action);
        }
    }

    /** A replica (ReplicaLink): deletes no expired key on its own. */
    volatile boolean replica;

    /** Told of each key expiry deletes (its shard locked): replication streams a DEL. */
    volatile java.util.function.Consumer<byte[]> onExpired = k -> { };

    /** Removes {@code key} and its expiry; returns its entry or null. In a txn. */
    PEntry delete(byte[] key) {
        return delete(shard(key), key);
    }

    private PEntry delete(int s, byte[] key) {
        PEntry e = root.keys[s].remove(key);
        if (e != null && e.expireAt != 0) {
            root.expires[s].remove(e.key);
        }
        return e;
    }

    /** Adds {@code key} (absent) with {@code value}; returns the new entry. In a txn. */
    PEntry add(byte[] key, Object value) {
        return root.keys[shard(key)].add(key, value);
    }

    /** Sets the value of {@code key}, creating it if needed and dropping any expiry (SET). In a txn. */
    PEntry set(byte[] key, Object value, long now) {
        PEntry e = lookup(key, now);
        if (e == null) {
            return add(key, value);
        }
        e.value = value;
        e.enc = Encodings.DERIVED;
        setExpire(e, 0);
        return e;
    }

    /** Sets (at > 0) or removes (at == 0) the expiry of a live entry. In a txn. */
    void setExpire(PEntry e, long at) {
        if (e.expireAt == at) {
            return;
        }
        int s = shard(e.key);
        if (at == 0) {
            root.expires[s].remove(e.key);
        } else if (e.expireAt == 0) {
            root.expires[s].add(e.key, e);
        }
        e.expireAt = at;
    }

    long size() {
        long n = 0;
        for (PDict d : root.keys) {
            n += d.size();
        }
        return n;
    }

    long expiresSize() {
        long n = 0;
        for (PDict d : root.expires) {
            n += d.size();
        }
        return n;
    }

    /** Empties the dataset: new empty tables; the old ones become garbage. Caller holds all locks. */
    void flush() {
        Pmem.txn(() -> {
            for (int i = 0; i < SHARDS; i++) {
                root.keys[i].clear();
                root.expires[i].clear();
            }
        });
    }

    // --- active expiry -------------------------------------------------------

    /**
     * One round of Redis's active expiry: per shard, sample up to 20 keys
     * with an expiry and delete the expired ones, again while more than a
     * quarter of a sample had expired. Returns the number deleted.
     */
    long expireCycle(long now, long budgetNanos) {
        if (replica) {
            return 0;
        }
        long deadline = System.nanoTime() + budgetNanos;
        long deleted = 0;
        for (int s = 0; s < SHARDS; s++) {
            PDict ex = root.expires[s];
            if (ex.size() == 0) {
                continue;
            }
            locks[s].lock();
            try {
                int expired;
                do {
                    List<byte[]> dead = new ArrayList<>();
                    int samples = (int) Math.min(20, ex.size());
                    for (int i = 0; i < samples; i++) {
                        PEntry x = ex.random();
                        if (x != null && ((PEntry) x.value).expireAt <= now) {
                            dead.add(x.key);
                        }
                    }
                    expired = dead.size();
                    if (expired > 0) {
                        final int shard = s;
                        List<byte[]> gone = new ArrayList<>();
                        Pmem.txn(() -> {
                            gone.clear();
                            for (byte[] k : dead) {
                                if (delete(shard, k) != null) {   // a key sampled twice is simply not found again
                                    gone.add(k);
                                }
                            }
                        });
                        gone.forEach(onExpired);
                        deleted += expired;
                    }
                } while (expired > 5 && System.nanoTime() < deadline);
            } finally {
                locks[s].unlock();
            }
            if (System.nanoTime() >= deadline) {
                break;
            }
        }
        return deleted;
    }
}
