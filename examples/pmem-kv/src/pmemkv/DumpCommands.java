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
