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

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import jdk.internal.pmem.Pmem;

/**
 * MULTI, EXEC, DISCARD, WATCH and UNWATCH, as Redis defines them. Between
 * MULTI and EXEC a connection's commands are checked (name, arity) and
 * queued; a refused one makes EXEC fail with EXECABORT. EXEC runs the
 * queue holding every shard lock, inside one {@code Pmem.txn}: all or
 * nothing after a crash, durable before the reply. Each queued write runs
 * in a nested transaction, so a command that fails (WRONGTYPE, ...) leaves
 * nothing and the others still run, as in Redis. WATCH: a key changed by
 * another command (a successful write naming it, a flush) or expired since
 * makes EXEC reply with a null array and run nothing.
 */
final class MultiCommands {
    private MultiCommands() {}

    /** Commands a connection in MULTI runs at once instead of queuing. */
    static final Set<String> IMMEDIATE = Set.of("EXEC", "DISCARD", "MULTI", "WATCH", "QUIT", "RESET");

    /** Per connection (Ctx.multi): the queue and the watched keys. */
    static final class State {
        boolean open;                // between MULTI and EXEC/DISCARD
        boolean refused;             // a command was refused while queuing: EXEC aborts
        final List<byte[][]> queue = new ArrayList<>();
        final Map<ByteBuffer, Long> watched = new ConcurrentHashMap<>();   // key -> its expiry when watched (0: none)
        volatile boolean touched;    // a watched key changed since
    }

    /** The watchers of each watched key, server-wide. */
    static final Map<ByteBuffer, Set<Ctx>> WATCHERS = new ConcurrentHashMap<>();

    static void register(Server s) {
        s.add("MULTI", 1, false, 0, 0, 0, c -> {
            if (c.multi.open) {
                throw new KvError("ERR MULTI calls can not be nested");
            }
            c.multi.open = true;
            c.out.ok();
        });
        s.add("DISCARD", 1, false, 0, 0, 0, c -> {
            if (!c.multi.open) {
                throw new KvError("ERR DISCARD without MULTI");
            }
            reset(c);
            c.out.ok();
        });
        s.add("WATCH", -2, false, 1, -1, 1, c -> {   // the keys are locked while they are noted
            if (c.multi.open) {
                throw new KvError("ERR WATCH inside MULTI is not allowed");
            }
            for (int i = 1; i < c.argc(); i++) {
                ByteBuffer k = ByteBuffer.wrap(c.arg(i).clone());
                PEntry e = c.lookup(i);
                c.multi.watched.putIfAbsent(k, e == null ? 0L : e.expireAt);
                WATCHERS.computeIfAbsent(k, x -> ConcurrentHashMap.newKeySet()).add(c);
            }
            c.out.ok();
        });
        s.add("UNWATCH", 1, false, 0, 0, 0, c -> {
            unwatch(c);
            c.out.ok();
        });
        s.add("EXEC", 1, false, 0, 0, 0, c -> exec(s, c));
    }

    /** A command while MULTI is open: queued (true), or refused and the transaction marked. */
    static void queue(Ctx c, byte[][] argv) {
        c.multi.queue.add(argv);
        c.out.simple("QUEUED");
    }

    static void refused(Ctx c) {
        if (c.multi.open) {
            c.multi.refused = true;
        }
    }

    private static void exec(Server s, Ctx c) {
        State m = c.multi;
        if (!m.open) {
            throw new KvError("ERR EXEC without MULTI");
        }
        if (m.refused) {
            reset(c);
            throw new KvError("EXECABORT Transaction discarded because of previous errors.");
        }
        List<byte[][]> queue = new ArrayList<>(m.queue);
        long all = c.db.lockAll();
        try {
            if (m.touched || expiredSinceWatched(c)) {
                reset(c);
                c.out.nilArray();
                return;
            }
            reset(c);
            int mark = c.out.mark();
            try {
                List<byte[]> batch = new ArrayList<>();   // the stream's bytes, sent after the commit
                s.repl.beforeTxn();
                try {
                    runQueue(s, c, queue, mark, batch);
                } finally {
                    s.repl.afterCommit();   // keys that expired inside it, even if it failed
                }
                s.repl.execDone(c, batch);
            } catch (OutOfMemoryError | IllegalStateException | IllegalArgumentException e) {
                c.out.truncate(mark);   // nothing of it stays
                c.out.error("EXECABORT Transaction discarded: " + e.getMessage());
            }
        } finally {
            c.db.unlock(all);
        }
    }

    /** EXEC's queue as one transaction, each write a nested one; their stream bytes go to batch. */
    private static void runQueue(Server s, Ctx c, List<byte[][]> queue, int mark, List<byte[]> batch) {
        Pmem.txn(() -> {
            c.out.truncate(mark);   // a retry (none today) would start the replies again
            c.out.array(queue.size());
            c.inExec = true;
            batch.clear();
            c.replBatch = batch;
            try {
                for (byte[][] argv : queue) {
                    s.run(c, argv);
                }
            } finally {
                c.inExec = false;
                c.replBatch = null;
            }
        });
    }

    /** A watched key that had an expiry when watched and is past it now (Redis 7: EXEC fails). */
    private static boolean expiredSinceWatched(Ctx c) {
        long now = System.currentTimeMillis();
        for (Long at : c.multi.watched.values()) {
            if (at != 0 && at <= now) {
                return true;
            }
        }
        return false;
    }

    /** Ends the transaction (EXEC, DISCARD) and drops the watches. */
    static void reset(Ctx c) {
        c.multi.open = false;
        c.multi.refused = false;
        c.multi.queue.clear();
        unwatch(c);
    }

    static void unwatch(Ctx c) {
        for (ByteBuffer k : c.multi.watched.keySet()) {
            WATCHERS.computeIfPresent(k, (x, set) -> {
                set.remove(c);
                return set.isEmpty() ? null : set;
            });
        }
        c.multi.watched.clear();
        c.multi.touched = false;
    }

    /** key changed: its watchers' next EXEC fails. */
    static void touch(byte[] key) {
        if (WATCHERS.isEmpty()) {
            return;
        }
        Set<Ctx> w = WATCHERS.get(ByteBuffer.wrap(key));
        if (w != null) {
            for (Ctx c : w) {
                c.multi.touched = true;
            }
        }
    }

    /** The dataset was emptied: every watcher's next EXEC fails. */
    static void touchAll() {
        for (Set<Ctx> w : WATCHERS.values()) {
            for (Ctx c : w) {
                c.multi.touched = true;
            }
        }
    }

    /**
     * A write command succeeded: the keys it changed (its key arguments, but
     * for the commands that only read some) fail their watchers' EXEC and
     * wake the connections blocked on them.
     */
    static void written(Cmd cmd, byte[][] argv) {
        switch (cmd.name()) {
            case "sinterstore", "sunionstore", "sdiffstore", "zunionstore", "zinterstore", "zdiffstore",
                 "zrangestore" -> changed(argv[1]);
            case "copy" -> changed(argv[2]);
            default -> {
                for (byte[] k : cmd.keys(argv)) {
                    changed(k);
                }
            }
        }
    }

    private static void changed(byte[] key) {
        touch(key);
        BlockingCommands.signal(key);
    }
}
