/*
 * Copyright (c) 2026, the pmem-jdk authors. All rights reserved.
 * DO NOT ALTER OR REMOVE COPYRIGHT NOTICES OR THIS FILE HEADER.
 *
 * This code is free software; you can redistribute it and/or modify it
 * under the terms of the GNU General Public License version 2 only, as
 * published by the Free Software Foundation.
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

import jdk.internal.pmem.Pmem;

/**
 * DUMP and RESTORE, with Redis's RDB payloads ({@link Rdb}): a value
 * dumped by pmem-kv restores into Redis and the other way round.
 */
final class DumpCommands {
    private DumpCommands() {}

    static void register(Server s) {
        s.add("DUMP", 2, false, 1, 1, 1, c -> {
            PEntry e = c.lookup(1);
            if (e == null) {
                c.out.nil();
            } else {
                c.out.bulk(Rdb.dump(e.value));
            }
        });
        s.add("RESTORE", -4, true, 1, 1, 1, DumpCommands::restore);
        s.add("OBJECT", -2, false, 2, 2, 1, DumpCommands::object);
        // Not a write command here: its network part runs outside a transaction (see migrate).
        s.add("MIGRATE", -6, false, 3, 3, 1, DumpCommands::migrate);
        s.add("MOVE", 3, true, 1, 1, 1, c -> {
            long db = c.argLong(2);
            if (db < Integer.MIN_VALUE || db > Integer.MAX_VALUE) {
                throw KvError.NOT_INTEGER;
            }
            throw new KvError(db == 0 ? "ERR source and destination objects are the same"
                    : "ERR DB index is out of range");   // one database
        });
    }

    /**
     * MIGRATE host port key|"" db timeout [COPY] [REPLACE] [AUTH pw] [AUTH2 user pw] [KEYS key...]:
     * each key goes to the target as Redis sends it (SELECT, RESTORE key
     * ttl payload [REPLACE]), then, without COPY, is deleted here (a DEL
     * for replicas). The keys stay locked throughout; the network part
     * runs outside any transaction (a transaction's allocations would make
     * the socket's objects persistent), the deletion in one.
     */
    private static void migrate(Ctx c) {
        if (c.server.replicaLink.isReplica()) {
            throw new KvError("READONLY You can't write against a read only replica.");
        }
        boolean copy = false, replace = false;
        String user = null, password = null;
        int firstKey = 3, numKeys = 1;
        for (int j = 6; j < c.argc(); j++) {
            int more = c.argc() - 1 - j;
            if (c.is(j, "COPY")) {
                copy = true;
            } else if (c.is(j, "REPLACE")) {
                replace = true;
            } else if (c.is(j, "AUTH")) {
                if (more < 1) {
                    throw KvError.SYNTAX;
                }
                password = Bytes.str(c.arg(++j));
            } else if (c.is(j, "AUTH2")) {
                if (more < 2) {
                    throw KvError.SYNTAX;
                }
                user = Bytes.str(c.arg(++j));
                password = Bytes.str(c.arg(++j));
            } else if (c.is(j, "KEYS")) {
                if (c.arg(3).length != 0) {
                    throw new KvError("ERR When using MIGRATE KEYS option, the key argument must be set to the empty string");
                }
                firstKey = j + 1;
                numKeys = c.argc() - j - 1;
                break;
            } else {
                throw KvError.SYNTAX;
            }
        }
        long timeout = c.argLong(5), db = c.argLong(4);
        if (timeout <= 0) {
            timeout = 1000;
        }
        java.util.List<byte[]> keys = new java.util.ArrayList<>();
        for (int j = firstKey; j < firstKey + numKeys; j++) {
            keys.add(c.arg(j));
        }
        {   // every shard is locked (Server.execute): the KEYS form names its keys after the options

            java.util.List<byte[]> found = new java.util.ArrayList<>();
            java.util.List<byte[]> payloads = new java.util.ArrayList<>();
            java.util.List<Long> ttls = new java.util.ArrayList<>();
            for (byte[] k : keys) {
                PEntry e = c.db.lookup(k, c.now);
                if (e != null) {
                    found.add(k);
                    payloads.add(Rdb.dump(e.value));
                    ttls.add(e.expireAt == 0 ? 0 : Math.max(1, e.expireAt - c.now));
                }
            }
            if (found.isEmpty()) {
                c.out.simple("NOKEY");
                return;
            }
            java.util.List<String> replies = send(Bytes.str(c.arg(1)), (int) c.argLong(2), (int) timeout, user, password,
                    db, found, payloads, ttls, replace);
            String error = null;
            java.util.List<byte[]> moved = new java.util.ArrayList<>();
            int r = (password != null ? 1 : 0) + 1;   // AUTH's and SELECT's replies first
            for (int i = 0; i < r; i++) {
                if (replies.get(i).startsWith("-")) {
                    c.out.error("ERR Target instance replied with error: " + replies.get(i).substring(1));
                    return;
                }
            }
            for (int i = 0; i < found.size(); i++) {
                String reply = replies.get(r + i);
                if (reply.startsWith("-")) {
                    if (error == null) {
                        error = "ERR Target instance replied with error: " + reply.substring(1);
                    }
                } else {
                    moved.add(found.get(i));
                }
            }
            if (!copy && !moved.isEmpty()) {
                Pmem.txn(() -> moved.forEach(c.db::delete));
                moved.forEach(c.server.repl::deleted);
                moved.forEach(k -> MultiCommands.written(c.server.commands.get("DEL"), new byte[][] {Bytes.of("DEL"), k}));
            }
            if (error != null) {
                c.out.error(error);
            } else {
                c.out.ok();
            }
        }
    }

    /** Sends MIGRATE's commands to the target in one write, returns its replies (first line of each). */
    private static java.util.List<String> send(String host, int port, int timeoutMs, String user, String password, long db,
                                               java.util.List<byte[]> keys, java.util.List<byte[]> payloads,
                                               java.util.List<Long> ttls, boolean replace) {
        java.io.ByteArrayOutputStream req = new java.io.ByteArrayOutputStream();
        int n = 0;
        if (password != null) {
            req.writeBytes(Replication.encode(user == null ? Replication.argv("AUTH", password)
                    : Replication.argv("AUTH", user, password)));
            n++;
        }
        req.writeBytes(Replication.encode(Replication.argv("SELECT", Long.toString(db))));
        n++;
        for (int i = 0; i < keys.size(); i++) {
            byte[][] a = new byte[replace ? 5 : 4][];
            a[0] = Bytes.of("RESTORE");
            a[1] = keys.get(i);
            a[2] = Bytes.of(Long.toString(ttls.get(i)));
            a[3] = payloads.get(i);
            if (replace) {
                a[4] = Bytes.of("REPLACE");
            }
            req.writeBytes(Replication.encode(a));
            n++;
        }
        java.util.List<String> replies = new java.util.ArrayList<>();
        try (java.net.Socket s = new java.net.Socket()) {
            try {
                s.connect(new java.net.InetSocketAddress(host, port), timeoutMs);
                s.setSoTimeout(timeoutMs);
                s.getOutputStream().write(req.toByteArray());
                s.getOutputStream().flush();
            } catch (java.io.IOException e) {
                throw new KvError("IOERR error or timeout writing to target instance");
            }
            try {
                java.io.InputStream in = new java.io.BufferedInputStream(s.getInputStream());
                for (int i = 0; i < n; i++) {
                    replies.add(ReplicaLink.line(in));
                }
            } catch (java.io.IOException e) {
                throw new KvError("IOERR error or timeout reading to target instance");
            }
        } catch (java.io.IOException e) {
            throw new KvError("IOERR error or timeout writing to target instance");
        }
        return replies;
    }

    private static final String[] OBJECT_HELP = {
        "OBJECT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
        "ENCODING <key>",
        "    Return the kind of internal representation used in order to store the value",
        "    associated with a <key>.",
        "FREQ <key>",
        "    Return the access frequency index of the <key>. The returned integer is",
        "    proportional to the logarithm of the recent access frequency of the key.",
        "IDLETIME <key>",
        "    Return the idle time of the <key>, that is the approximated number of",
        "    seconds elapsed since the last access to the key.",
        "REFCOUNT <key>",
        "    Return the number of references of the value associated with the specified",
        "    <key>.",
        "HELP",
        "    Prints this help.",
    };

    /**
     * OBJECT ENCODING, REFCOUNT, IDLETIME, FREQ, HELP: what Redis 7.0 would
     * report (Encodings). No access times or frequencies are kept: IDLETIME
     * is 0, and FREQ answers as Redis does without an LFU policy.
     */
    private static void object(Ctx c) {
        String sub = Bytes.str(c.arg(1)).toLowerCase();
        boolean known = sub.equals("encoding") || sub.equals("refcount") || sub.equals("idletime") || sub.equals("freq");
        if (!known && !sub.equals("help")) {
            throw new KvError("ERR unknown subcommand '" + Bytes.str(c.arg(1)) + "'. Try OBJECT HELP.");
        }
        if (c.argc() != (known ? 3 : 2)) {
            throw new KvError("ERR wrong number of arguments for 'object|" + sub + "' command");
        }
        if (!known) {
            c.out.array(OBJECT_HELP.length);
            for (String l : OBJECT_HELP) {
                c.out.simple(l);
            }
            return;
        }
        PEntry e = c.lookup(2);
        if (e == null) {
            c.out.nil();
            return;
        }
        switch (sub) {
            case "encoding" -> c.out.bulk(Encodings.of(e));
            case "refcount" -> c.out.integer(Encodings.refcount(e));
            case "idletime" -> c.out.integer(0);
            default -> throw new KvError("ERR An LFU maxmemory policy is not selected, access frequency not tracked. Please"
                    + " note that when switching between policies at runtime LRU and LFU data will take some time to adjust.");
        }
    }

    /** RESTORE key ttl payload [REPLACE] [ABSTTL] [IDLETIME s] [FREQ f], checked in Redis 7.0's order. */
    private static void restore(Ctx c) {
        boolean replace = false, absttl = false;
        boolean idle = false, freq = false;
        for (int j = 4; j < c.argc(); j++) {
            boolean more = j + 1 < c.argc();
            if (c.is(j, "REPLACE")) {
                replace = true;
            } else if (c.is(j, "ABSTTL")) {
                absttl = true;
            } else if (c.is(j, "IDLETIME") && more && !freq) {
                if (c.argLong(++j) < 0) {
                    throw new KvError("ERR Invalid IDLETIME value, must be >= 0");
                }
                idle = true;   // accepted; pmem-kv keeps no access times
            } else if (c.is(j, "FREQ") && more && !idle) {
                long f = c.argLong(++j);
                if (f < 0 || f > 255) {
                    throw new KvError("ERR Invalid FREQ value, must be >= 0 and <= 255");
                }
                freq = true;   // accepted; pmem-kv keeps no access frequencies
            } else {
                throw KvError.SYNTAX;
            }
        }
        if (!replace && c.lookup(1) != null) {
            throw new KvError("BUSYKEY Target key name already exists.");
        }
        long ttl = c.argLong(2);
        if (ttl < 0) {
            throw new KvError("ERR Invalid TTL value, must be >= 0");
        }
        byte[] payload = c.arg(3);
        if (!Rdb.payloadOk(payload)) {
            throw new KvError("ERR DUMP payload version or checksum are wrong");
        }
        Rdb.Value v;
        try {
            v = Rdb.undump(payload);
        } catch (Rdb.BadData e) {
            throw new KvError("ERR Bad data format");
        }
        if (replace) {
            c.db.delete(c.arg(1));
        }
        if (ttl != 0 && !absttl) {
            ttl += c.now;
        }
        if (ttl != 0 && ttl <= c.now) {
            c.out.ok();   // already expired: the old value is gone and nothing is added
            return;
        }
        Object value;
        try {
            value = Rdb.materialize(v);
        } catch (Rdb.BadData e) {
            throw new KvError("ERR Bad data format");   // rolls back the delete
        }
        PEntry e = c.db.add(c.arg(1), value);
        if (ttl != 0) {
            c.db.setExpire(e, ttl);
        }
        c.out.ok();
    }
}
