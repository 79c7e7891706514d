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
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * BLPOP, BRPOP, BLMOVE, BRPOPLPUSH, BZPOPMIN, BZPOPMAX, BLMPOP and BZMPOP
 * (LMPOP and ZMPOP too, which share their code). A command that finds its lists (sorted sets) empty
 * blocks its connection (no further request of it is read) and waits on
 * its keys; a write that changes one of them wakes the waiters, whose
 * event loops run their command again (first come, first served); the
 * expiry thread wakes those whose timeout passed, which get Redis's null
 * reply. Inside MULTI/EXEC they do not block. A pop is a transaction like
 * any write: an element popped and acknowledged is gone after a crash, one
 * not acknowledged may be (Redis's contract too).
 */
final class BlockingCommands {
    private BlockingCommands() {}

    /** A blocked connection: the request to run again, its keys, when it gives up (ms; 0: never). */
    record Blocked(byte[][] argv, List<ByteBuffer> keys, long deadline) {}

    /** The connections waiting on each key, in the order they came. */
    private static final Map<ByteBuffer, Set<Ctx>> WAITERS = new ConcurrentHashMap<>();
    private static final Set<Ctx> BLOCKED = ConcurrentHashMap.newKeySet();

    static void register(Server s) {
        s.add("BLPOP", -3, true, 1, -2, 1, c -> pop(c, true));
        s.add("BRPOP", -3, true, 1, -2, 1, c -> pop(c, false));
        s.add("BLMOVE", 6, true, 1, 2, 1, c -> move(c, ListCommands.side(c, 3), ListCommands.side(c, 4), 5));
        s.add("BRPOPLPUSH", 4, true, 1, 2, 1, c -> move(c, false, true, 3));
        s.add("BZPOPMIN", -3, true, 1, -2, 1, c -> zpop(c, false));
        s.add("BZPOPMAX", -3, true, 1, -2, 1, c -> zpop(c, true));
        s.add("LMPOP", -4, true, -1, 0, 1, c -> mpop(c, false, false));
        s.add("BLMPOP", -5, true, -2, 0, 1, c -> mpop(c, true, false));
        s.add("ZMPOP", -4, true, -1, 0, 1, c -> mpop(c, false, true));
        s.add("BZMPOP", -5, true, -2, 0, 1, c -> mpop(c, true, true));
    }

    /**
     * [B]LMPOP [timeout] numkeys key... LEFT|RIGHT [COUNT n] and [B]ZMPOP ...
     * MIN|MAX [COUNT n]: up to n elements of the first non-empty list (sorted
     * set): [key, [elements]] ([key, [[member, score]...]]), else null.
     */
    private static void mpop(Ctx c, boolean block, boolean zset) {
        int at = block ? 2 : 1;   // numkeys
        long numkeys;
        try {
            numkeys = Bytes.parseLong(c.arg(at));
        } catch (NumberFormatException e) {
            numkeys = 0;
        }
        if (numkeys <= 0) {
            throw new KvError("ERR numkeys should be greater than 0");
        }
        if (numkeys > c.argc() - at - 2) {
            throw KvError.SYNTAX;
        }
        int where = at + (int) numkeys + 1;
        boolean first;   // LEFT or MIN
        if (c.is(where, zset ? "MIN" : "LEFT")) {
            first = true;
        } else if (c.is(where, zset ? "MAX" : "RIGHT")) {
            first = false;
        } else {
            throw KvError.SYNTAX;
        }
        long count = -1;
        for (int j = where + 1; j < c.argc(); j++) {
            if (c.is(j, "COUNT") && j + 1 < c.argc() && count == -1) {
                count = ListCommands.positive(c, ++j, "ERR count should be greater than 0");
                if (count == 0) {
                    throw new KvError("ERR count should be greater than 0");
                }
            } else {
                throw KvError.SYNTAX;
            }
        }
        count = Math.max(count, 1);
        long deadline = block ? deadline(c, 1) : 0;
        for (int i = at + 1; i < where; i++) {
            if (zset) {
                PZSet z = c.blockedSince == null ? c.value(i, PZSet.class) : other(c, i, PZSet.class);
                if (z != null && z.size() > 0) {
                    long n = Math.min(count, z.size());
                    c.out.array(2);
                    c.out.bulk(c.arg(i));
                    c.out.array(n);
                    ZSetCommands.popInto(c, z, n, !first, true);
                    dropIfEmpty(c, i, z.size());
                    c.propagateAs(first ? "ZPOPMIN" : "ZPOPMAX", c.arg(i), Long.toString(n));
                    return;
                }
            } else {
                PList l = list(c, i);
                if (l != null && l.size() > 0) {
                    long n = Math.min(count, l.size());
                    c.out.array(2);
                    c.out.bulk(c.arg(i));
                    c.out.array(n);
                    for (long k = 0; k < n; k++) {
                        c.out.bulk(l.pop(first));
                    }
                    dropIfEmpty(c, i, l.size());
                    c.propagateAs(first ? "LPOP" : "RPOP", c.arg(i), Long.toString(n));
                    return;
                }
            }
        }
        if (!block) {
            c.out.nilArray();
            return;
        }
        blockOrNull(c, deadline, at + 1, where - 1, true);
    }

    private static void dropIfEmpty(Ctx c, int i, long size) {
        if (size == 0) {
            c.db.delete(c.arg(i));
        }
    }

    /** The timeout argument (seconds, a float) as a deadline in ms, 0 for none; Redis's errors. */
    private static long deadline(Ctx c, int i) {
        double t;
        try {
            t = Bytes.parseDouble(c.arg(i));
        } catch (NumberFormatException e) {
            throw new KvError("ERR timeout is not a float or out of range");
        }
        if (t < 0) {
            throw new KvError("ERR timeout is negative");
        }
        if (Double.isInfinite(t) || t * 1000 > Long.MAX_VALUE / 2) {
            throw new KvError("ERR timeout is out of range");
        }
        if (c.blockedSince != null) {
            return c.blockedSince.deadline();   // woken, run again: the first attempt's deadline holds
        }
        return t == 0 ? 0 : c.now + (long) Math.ceil(t * 1000);
    }

    /**
     * The list at key argument i, or null; another type is WRONGTYPE, except
     * when the command runs again after a wake: then, as in Redis 7.0, a key
     * that became another type does not serve it and it waits on.
     */
    private static PList list(Ctx c, int i) {
        return c.blockedSince == null ? c.value(i, PList.class) : other(c, i, PList.class);
    }

    private static void pop(Ctx c, boolean left) {
        long deadline = deadline(c, c.argc() - 1);
        for (int i = 1; i < c.argc() - 1; i++) {
            PList l = list(c, i);   // WRONGTYPE at the first key that holds another type
            if (l != null && l.size() > 0) {
                byte[] v = l.pop(left);
                dropIfEmpty(c, i, l.size());
                c.propagateAs(left ? "LPOP" : "RPOP", c.arg(i));
                c.out.array(2);
                c.out.bulk(c.arg(i));
                c.out.bulk(v);
                return;
            }
        }
        blockOrNull(c, deadline, 1, c.argc() - 2, true);
    }

    /** BZPOPMIN/BZPOPMAX key... timeout: [key, member, score] from the first non-empty sorted set. */
    private static void zpop(Ctx c, boolean max) {
        long deadline = deadline(c, c.argc() - 1);
        for (int i = 1; i < c.argc() - 1; i++) {
            PZSet z = c.blockedSince == null ? c.value(i, PZSet.class) : other(c, i, PZSet.class);
            if (z != null && z.size() > 0) {
                c.out.array(3);
                c.out.bulk(c.arg(i));
                ZSetCommands.popInto(c, z, 1, max, false);
                dropIfEmpty(c, i, z.size());
                c.propagateAs(max ? "ZPOPMAX" : "ZPOPMIN", c.arg(i));
                return;
            }
        }
        blockOrNull(c, deadline, 1, c.argc() - 2, true);
    }

    /** The value of type type at key argument i, or null (also for another type: see list()). */
    private static <T> T other(Ctx c, int i, Class<T> type) {
        PEntry e = c.lookup(i);
        return e != null && type.isInstance(e.value) ? type.cast(e.value) : null;
    }

    private static void move(Ctx c, boolean fromLeft, boolean toLeft, int timeoutArg) {
        long deadline = deadline(c, timeoutArg);
        PList src = list(c, 1);
        if (src == null || src.size() == 0) {
            blockOrNull(c, deadline, 1, 1, false);
            return;
        }
        c.out.bulk(ListCommands.moveFrom(c, src, fromLeft, toLeft));
        c.propagateAs("LMOVE", c.arg(1), c.arg(2), fromLeft ? "LEFT" : "RIGHT", toLeft ? "LEFT" : "RIGHT");
    }

    /**
     * Nothing to pop: block on keys [from, to] (under their shard locks), or
     * the null reply: a null array after a timeout; inside a transaction what
     * the command without B answers (BLPOP a null array, BLMOVE a null bulk).
     */
    private static void blockOrNull(Ctx c, long deadline, int from, int to, boolean arrayInTxn) {
        if (c.inTransaction()) {
            if (arrayInTxn) {
                c.out.nilArray();
            } else {
                c.out.nil();
            }
            return;
        }
        if (deadline != 0 && deadline <= c.now) {
            c.out.nilArray();
            return;
        }
        List<ByteBuffer> keys = new ArrayList<>();
        for (int i = from; i <= to; i++) {
            ByteBuffer k = ByteBuffer.wrap(c.arg(i).clone());
            keys.add(k);
            WAITERS.computeIfAbsent(k, x -> java.util.Collections.synchronizedSet(new LinkedHashSet<>())).add(c);
        }
        c.blocked = new Blocked(c.argv, keys, deadline);
        BLOCKED.add(c);
    }

    /** Blocks c on no key (WAIT): it runs again when woken by its own waker or its deadline (0: none). */
    static void blockFor(Ctx c, long deadline) {
        c.blocked = new Blocked(c.argv, List.of(), deadline);
        BLOCKED.add(c);
    }

    /** Forgets c's waits (woken, timed out, or disconnected). */
    static void unblock(Ctx c) {
        Blocked b = c.blocked;
        if (b == null) {
            return;
        }
        c.blocked = null;
        BLOCKED.remove(c);
        for (ByteBuffer k : b.keys()) {
            WAITERS.computeIfPresent(k, (x, set) -> {
                set.remove(c);
                return set.isEmpty() ? null : set;
            });
        }
    }

    /**
     * key may hold new elements: its first waiter runs its command again.
     * That is a write too when it pops, which wakes the next one, and so on
     * while elements last: served in the order they blocked, as in Redis.
     */
    static void signal(byte[] key) {
        if (WAITERS.isEmpty()) {
            return;
        }
        Set<Ctx> w = WAITERS.get(ByteBuffer.wrap(key));
        if (w != null) {
            Ctx first = null;
            synchronized (w) {
                if (!w.isEmpty()) {
                    first = w.iterator().next();
                }
            }
            if (first != null) {
                first.wake();
            }
        }
    }

    /** c disconnected while blocked: what it was woken for (if it was) goes to the next waiter. */
    static void gone(Ctx c) {
        Blocked b = c.blocked;
        unblock(c);
        if (b != null) {
            for (ByteBuffer k : b.keys()) {
                signal(k.array());
            }
        }
    }

    /** The expiry thread: wakes the connections whose timeout passed (they reply null). */
    static void timeouts(long now) {
        for (Ctx c : BLOCKED) {
            Blocked b = c.blocked;
            if (b != null && b.deadline() != 0 && b.deadline() <= now) {
                c.wake();
            }
        }
    }
}
