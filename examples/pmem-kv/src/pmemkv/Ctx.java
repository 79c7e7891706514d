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

/** What a command runs with: its arguments, the reply buffer, the dataset, the time. */
final class Ctx {
    final Server server;
    final Db db;
    final Resp.Reply out;
    byte[][] argv;
    long now;          // ms, read once per command (a command sees one instant)
    boolean quit;      // QUIT: close after the reply
    final MultiCommands.State multi = new MultiCommands.State();   // MULTI/EXEC and WATCH
    boolean authenticated;   // AUTH (or HELLO AUTH) given, or no password set
    boolean inExec;          // running EXEC's queue: blocking commands do not block
    volatile BlockingCommands.Blocked blocked;   // waiting for a push (BLPOP, ...): no request is read
    BlockingCommands.Blocked blockedSince;       // woken: the wait the command runs again for
    Runnable waker;          // asks the connection's event loop to run the blocked command again
    // CLIENT (ClientCommands): who this connection is.
    final long id;                  // CLIENT ID: one per connection, never reused
    final long createdMs = System.currentTimeMillis();
    volatile byte[] name;           // CLIENT SETNAME; null: none
    volatile long lastMs = createdMs;   // when its last command ran
    volatile String lastCmd = "NULL";
    String addr = "", laddr = "";   // ip:port of the client, and of the server's end
    Runnable killer;                // CLIENT KILL from another connection: closes it on its own loop

    // Replication: what the running write command propagates instead of itself (null: the default form),
    // the stream bytes EXEC's commands propagate (sent together, after its commit), and the stream offset
    // after this connection's last propagated write (WAIT).
    java.util.List<byte[][]> replForms;
    java.util.List<byte[]> replBatch;
    long replOffset;
    String[] psync;        // PSYNC/SYNC asked: the connection becomes a replica link (Conn hands it over)
    int replListeningPort; // REPLCONF listening-port

    /** The running write command is propagated to replicas as argv (strings or byte[]), once per call. */
    void propagateAs(Object... argv) {
        byte[][] a = new byte[argv.length][];
        for (int i = 0; i < argv.length; i++) {
            a[i] = argv[i] instanceof byte[] b ? b : Bytes.of((String) argv[i]);
        }
        if (replForms == null) {
            replForms = new java.util.ArrayList<>();
        }
        replForms.add(a);
    }

    boolean fromMaster;    // the replica link's client: the master's commands, which see expired keys

    boolean inTransaction() {
        return multi.open || inExec;
    }

    void wake() {
        Runnable w = waker;
        if (w != null) {
            w.run();
        }
    }

    Ctx(Server server, Resp.Reply out) {
        this.server = server;
        this.db = server.db;
        this.out = out;
        this.authenticated = server.requirepass == null;
        this.id = server.nextClientId.incrementAndGet();
    }

    byte[] arg(int i) {
        return argv[i];
    }

    int argc() {
        return argv.length;
    }

    boolean is(int i, String word) {
        return Bytes.eqIgnoreCase(argv[i], word);
    }

    long argLong(int i) {
        try {
            return Bytes.parseLong(argv[i]);
        } catch (NumberFormatException e) {
            throw KvError.NOT_INTEGER;
        }
    }

    double argDouble(int i) {
        try {
            return Bytes.parseDouble(argv[i]);
        } catch (NumberFormatException e) {
            throw KvError.NOT_FLOAT;
        }
    }

    /** The live entry of key argument {@code i}, or null. */
    PEntry lookup(int i) {
        return db.lookup(argv[i], now);
    }

    /** As {@link #lookup}, but a value of another type than {@code type} is WRONGTYPE. */
    <T> T value(int i, Class<T> type) {
        PEntry e = lookup(i);
        if (e == null) {
            return null;
        }
        if (!type.isInstance(e.value)) {
            throw KvError.WRONGTYPE;
        }
        return type.cast(e.value);
    }

    /** A hash (kind HASH) or set (kind SET) at key argument {@code i}, or null; else WRONGTYPE. */
    PDict dict(int i, byte kind) {
        PDict d = value(i, PDict.class);
        if (d != null && d.kind != kind) {
            throw KvError.WRONGTYPE;
        }
        return d;
    }

    /** Deletes the key of argument 1 when its aggregate became empty (Redis has no empty aggregates). In a txn. */
    void dropIfEmpty(long size) {
        if (size == 0) {
            db.delete(argv[1]);
        }
    }

    static String typeName(Object v) {
        if (v instanceof byte[]) {
            return "string";
        } else if (v instanceof PList) {
            return "list";
        } else if (v instanceof PZSet) {
            return "zset";
        } else if (v instanceof PDict d) {
            return d.kind == PDict.HASH ? "hash" : "set";
        }
        return "none";
    }
}
