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

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import jdk.internal.pmem.Pmem;

/**
 * pmem-kv as a replica of a Redis master ({@code REPLICAOF host port},
 * {@code --replicaof host port}), with Redis's protocol.
 *
 * <p>Where it replicates from and how far it got live in the persistent
 * heap ({@link State}, named {@value #STATE_NAME}): each command of the
 * master's stream is applied in one transaction together with the new
 * offset, so after kill -9 the replica has applied exactly the commands
 * up to its recorded offset, and it continues with {@code PSYNC replid
 * offset+1} where the master's backlog still holds the rest. A full sync
 * clears the recorded history in its first transaction, loads the master's
 * RDB in batches, and records the master's id and offset in its last: a
 * crash in between leaves no history, so the next start syncs in full.
 *
 * <p>As a Redis replica does, it refuses writes from clients
 * ({@code READONLY}), deletes no expired key on its own (clients do not see
 * them; the master's DEL removes them), and applies the master's commands
 * with expired keys still there.
 */
final class ReplicaLink {
    static final String STATE_NAME = "pmem-kv-replica";

    /** Persistent: the master, and the stream applied so far. */
    static final class State {
        byte[] host;       // null: not a replica
        int port;
        byte[] replid;     // the master's replication id; null: no history, a full sync is due
        long offset;       // bytes of the master's stream applied
    }

    private final Server server;
    final State state;
    private final Ctx ctx;                    // the master's commands run as this client
    private volatile Thread thread;
    private volatile Socket sock;
    volatile String link = "down";            // INFO's master_link_status
    volatile boolean syncing;
    volatile long lastIoMs;
    volatile long processed;                  // stream bytes applied, also the ones not recorded yet (PINGs)
    volatile long fullSyncs;
    final String masterauth;

    ReplicaLink(Server server, String masterauth) {
        this.server = server;
        this.masterauth = masterauth;
        State s = Pmem.get(STATE_NAME, State.class);
        if (s == null) {
            s = Pmem.txn(() -> {
                State n = Pmem.pnew(State.class);
                Pmem.put(STATE_NAME, n);
                return n;
            });
        }
        this.state = s;
        this.processed = s.offset;
        this.ctx = new Ctx(server, new Resp.Reply());
        this.ctx.fromMaster = true;
        this.ctx.authenticated = true;
        server.db.replica = s.host != null;
    }

    boolean isReplica() {
        return state.host != null;
    }

    String host() {
        byte[] h = state.host;
        return h == null ? "" : Bytes.str(h);
    }

    /** At startup: a replica goes on replicating (its master was recorded). */
    void start() {
        if (isReplica()) {
            startThread();
        }
    }

    private synchronized void startThread() {
        Thread t = new Thread(this::loop, "pmem-kv-replica-of-" + host() + ":" + state.port);
        t.setDaemon(true);
        thread = t;
        t.start();
    }

    private synchronized void stopThread() {
        Thread t = thread;
        thread = null;
        Socket s = sock;
        if (s != null) {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
        if (t != null && t != Thread.currentThread()) {
            try {
                t.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        link = "down";
    }

    /** REPLICAOF host port / REPLICAOF NO ONE (host null). The master's history stays for a PSYNC. */
    void replicaOf(String host, int port) {
        stopThread();
        Pmem.txn(() -> {
            state.host = host == null ? null : Bytes.persist(Bytes.of(host));
            state.port = port;
        });
        server.db.replica = host != null;
        if (host != null) {
            startThread();
            System.out.println("pmem-kv: replica of " + host + ":" + port);
        } else {
            System.out.println("pmem-kv: a master again (REPLICAOF NO ONE)");
        }
    }

    private void loop() {
        while (thread == Thread.currentThread()) {
            try {
                session();
            } catch (IOException | RuntimeException e) {
                if (thread == Thread.currentThread()) {
                    System.out.println("pmem-kv: link to master " + host() + ":" + state.port + " lost: " + e.getMessage());
                }
            } finally {
                link = "down";
                syncing = false;
            }
            try {
                Thread.sleep(1000);   // Redis's replicas try again every second too
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void session() throws IOException {
        Socket s = new Socket();
        sock = s;
        try (s) {
            s.connect(new InetSocketAddress(host(), state.port), 5000);
            s.setTcpNoDelay(true);
            s.setSoTimeout(60_000);   // repl-timeout: the master PINGs every 10 s
            InputStream in = new BufferedInputStream(s.getInputStream(), 1 << 16);
            OutputStream out = s.getOutputStream();
            link = "connecting";
            send(out, "PING");
            String pong = line(in);
            if (pong.startsWith("-") && !pong.startsWith("-NOAUTH") && !pong.startsWith("-NOPERM")) {
                throw new IOException("PING answered " + pong);
            }
            if (masterauth != null) {
                send(out, "AUTH", masterauth);
                expectOk(in, "AUTH");
            }
            send(out, "REPLCONF", "listening-port", Integer.toString(server.port));
            expectOk(in, "REPLCONF listening-port");
            send(out, "REPLCONF", "capa", "eof", "capa", "psync2");
            expectOk(in, "REPLCONF capa");
            byte[] id = state.replid;
            long from = state.offset;
            send(out, "PSYNC", id == null ? "?" : Bytes.str(id), id == null ? "-1" : Long.toString(from + 1));
            String r;
            do {
                r = line(in);   // a master may send empty lines while it prepares
            } while (r.isEmpty());
            if (r.startsWith("+FULLRESYNC ")) {
                String[] p = r.split(" ");
                fullSync(in, p[1], Long.parseLong(p[2]));
            } else if (r.startsWith("+CONTINUE")) {
                String[] p = r.split(" ");
                if (p.length > 1 && !p[1].equals(Bytes.str(id))) {
                    Pmem.txn(() -> state.replid = Bytes.persist(Bytes.of(p[1])));   // the master's new id (failover)
                }
                processed = state.offset;
                System.out.println("pmem-kv: replica continues from offset " + (from + 1) + " (PSYNC)");
            } else {
                throw new IOException("PSYNC answered " + r);
            }
            link = "up";
            lastIoMs = System.currentTimeMillis();
            Thread acker = new Thread(() -> {
                try {
                    while (!s.isClosed()) {
                        Thread.sleep(1000);
                        sendAck(out);   // every second, as Redis's replicas do
                    }
                } catch (IOException | InterruptedException e) {
                    // the link is gone: the stream's reader notices
                }
            }, "pmem-kv-replica-ack");
            acker.setDaemon(true);
            acker.start();
            stream(in, out);
        } finally {
            sock = null;
        }
    }

    /** The master's RDB into the dataset: history dropped, keys in batches, history recorded last. */
    private void fullSync(InputStream in, String replid, long offset) throws IOException {
        syncing = true;
        long t0 = System.nanoTime();
        byte[] rdb = readRdb(in);
        long all = server.db.lockAll();
        int[] keys = {0};
        try {
            Pmem.txn(() -> {
                state.replid = null;
                state.offset = 0;
                server.db.flush();
            });
            List<Object[]> batch = new ArrayList<>();
            Rdb.readFile(rdb, (db, key, value, expireAt) -> {
                if (db != 0) {
                    return;   // pmem-kv has database 0 only
                }
                batch.add(new Object[] {key, value, expireAt});
                if (batch.size() == 2000) {
                    load(batch);
                    keys[0] += 2000;
                    batch.clear();
                }
            });
            keys[0] += batch.size();
            load(batch);
            Pmem.txn(() -> {
                state.replid = Bytes.persist(Bytes.of(replid));
                state.offset = offset;
            });
            processed = offset;
        } finally {
            server.db.unlock(all);
            syncing = false;
        }
        fullSyncs++;
        MultiCommands.touchAll();
        System.out.printf("pmem-kv: full sync from %s:%d: %d keys from a %d-byte RDB in %d ms (offset %d)%n",
                host(), state.port, keys[0], rdb.length, (System.nanoTime() - t0) / 1_000_000, offset);
    }

    private void load(List<Object[]> batch) {
        Pmem.txn(() -> {
            for (Object[] k : batch) {
                byte[] key = (byte[]) k[0];
                server.db.delete(key);   // a file with a key twice: the last one wins
                PEntry e = server.db.add(key, Rdb.materialize((Rdb.Value) k[1]));
                server.db.setExpire(e, (Long) k[2]);
            }
        });
        if (--crashAfterBatches == 0) {
            Runtime.getRuntime().halt(97);   // KvTest: a crash in the middle of a full sync
        }
    }

    /** -Dpmemkv.test.crashAfterBatches=N: the process halts after the Nth batch of a full sync (KvTest). */
    private int crashAfterBatches = Integer.getInteger("pmemkv.test.crashAfterBatches", -1);

    /** "$len" and that many bytes, or "$EOF:mark" and bytes up to the mark (diskless sync). */
    private static byte[] readRdb(InputStream in) throws IOException {
        String h;
        do {
            h = line(in);
        } while (h.isEmpty());
        if (!h.startsWith("$")) {
            throw new IOException("expected the RDB, got " + h);
        }
        if (h.startsWith("$EOF:")) {
            byte[] mark = h.substring(5).getBytes(StandardCharsets.US_ASCII);
            byte[] b = new byte[1 << 16];
            int n = 0;
            for (;;) {
                int c = in.read();
                if (c < 0) {
                    throw new IOException("the master closed the link during the RDB");
                }
                if (n == b.length) {
                    b = Arrays.copyOf(b, b.length * 2);
                }
                b[n++] = (byte) c;
                if (c == mark[mark.length - 1] && n >= mark.length
                        && Arrays.equals(b, n - mark.length, n, mark, 0, mark.length)) {
                    return Arrays.copyOf(b, n - mark.length);
                }
            }
        }
        long n = Long.parseLong(h.substring(1));
        if (n < 0 || n > Integer.MAX_VALUE - 16) {
            throw new IOException("RDB of " + n + " bytes");
        }
        byte[] b = in.readNBytes((int) n);
        if (b.length != n) {
            throw new IOException("the master closed the link during the RDB");
        }
        return b;
    }

    /** Applies the master's stream; each command (or MULTI ... EXEC) with its offset in one transaction. */
    private void stream(InputStream in, OutputStream out) throws IOException {
        CountingReader r = new CountingReader(in);
        int db = 0;
        List<byte[][]> multi = null;
        for (;;) {
            byte[][] argv = r.read();
            if (argv == null) {
                throw new IOException("the master closed the link");
            }
            lastIoMs = System.currentTimeMillis();
            long end = processed + r.lastBytes;
            String name = new String(argv[0], StandardCharsets.ISO_8859_1).toUpperCase();
            switch (name) {
                case "PING" -> processed = end;
                case "REPLCONF" -> {
                    if (argv.length > 1 && Bytes.eqIgnoreCase(argv[1], "GETACK")) {
                        sendAck(out);   // the offset before the GETACK, as Redis's replicas answer
                    }
                    processed = end;
                }
                case "SELECT" -> {
                    db = argv.length > 1 ? (int) Bytes.parseLong(argv[1]) : 0;
                    processed = end;
                }
                case "MULTI" -> {
                    multi = new ArrayList<>();
                    processed = end;
                }
                case "EXEC" -> {
                    List<byte[][]> cmds = multi == null ? List.of() : multi;
                    multi = null;
                    apply(db == 0 ? cmds : List.of(), end);
                }
                default -> {
                    if (multi != null) {
                        multi.add(argv);
                        processed = end;   // recorded with the EXEC
                    } else {
                        apply(db == 0 ? List.<byte[][]>of(argv) : List.of(), end);
                    }
                }
            }
        }
    }

    private void sendAck(OutputStream out) throws IOException {
        synchronized (out) {
            send(out, "REPLCONF", "ACK", Long.toString(processed));
        }
    }

    /** Runs cmds (a failing one leaves nothing, as in EXEC) and records end as the offset, in one transaction. */
    private void apply(List<byte[][]> cmds, long end) {
        server.applyFromMaster(ctx, cmds, () -> state.offset = end);
        processed = end;
        ctx.out.truncate(0);
    }

    // ---- RESP on a blocking stream ----

    private static void send(OutputStream out, String... args) throws IOException {
        out.write(Replication.encode(Replication.argv(args)));
        out.flush();
    }

    private static void expectOk(InputStream in, String what) throws IOException {
        String r = line(in);
        if (!r.startsWith("+")) {
            throw new IOException(what + " answered " + r);
        }
    }

    static String line(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (;;) {
            int c = in.read();
            if (c < 0) {
                throw new IOException("the master closed the link");
            }
            if (c == '\n') {
                break;
            }
            b.write(c);
        }
        String s = b.toString(StandardCharsets.ISO_8859_1);
        return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
    }

    /** Reads the master's commands (multibulk), counting the bytes of each. */
    private static final class CountingReader {
        private final InputStream in;
        long lastBytes;
        private long count;

        CountingReader(InputStream in) {
            this.in = in;
        }

        private int read1() throws IOException {
            int c = in.read();
            if (c < 0) {
                throw new IOException("the master closed the link");
            }
            count++;
            return c;
        }

        private long number() throws IOException {
            long v = 0;
            boolean neg = false;
            int c = read1();
            if (c == '-') {
                neg = true;
                c = read1();
            }
            while (c != '\r') {
                if (c < '0' || c > '9') {
                    throw new IOException("bad number in the master's stream");
                }
                v = v * 10 + (c - '0');
                c = read1();
            }
            read1();   // \n
            return neg ? -v : v;
        }

        /** The next command, null at the end of the stream. */
        byte[][] read() throws IOException {
            count = 0;
            int c = in.read();
            if (c < 0) {
                return null;
            }
            count++;
            if (c != '*') {
                // an inline command (never sent by Redis masters): read the line
                StringBuilder sb = new StringBuilder().append((char) c);
                while ((c = read1()) != '\n') {
                    sb.append((char) c);
                }
                lastBytes = count;
                String[] w = sb.toString().trim().split(" +");
                byte[][] a = new byte[w.length][];
                for (int i = 0; i < w.length; i++) {
                    a[i] = Bytes.of(w[i]);
                }
                return a;
            }
            int n = (int) number();
            byte[][] argv = new byte[n][];
            for (int i = 0; i < n; i++) {
                if (read1() != '$') {
                    throw new IOException("bad bulk in the master's stream");
                }
                int len = (int) number();
                byte[] b = in.readNBytes(len);
                if (b.length != len) {
                    throw new IOException("the master closed the link");
                }
                count += len;
                read1();
                read1();
                argv[i] = b;
            }
            lastBytes = count;
            return argv;
        }
    }

    // ---- INFO and ROLE ----

    String info() {
        StringBuilder sb = new StringBuilder("# Replication\r\nrole:slave\r\n");
        long now = System.currentTimeMillis();
        byte[] id = state.replid;
        sb.append("master_host:").append(host()).append("\r\n")
          .append("master_port:").append(state.port).append("\r\n")
          .append("master_link_status:").append(link.equals("up") ? "up" : "down").append("\r\n")
          .append("master_last_io_seconds_ago:").append(lastIoMs == 0 ? -1 : (now - lastIoMs) / 1000).append("\r\n")
          .append("master_sync_in_progress:").append(syncing ? 1 : 0).append("\r\n")
          .append("slave_read_repl_offset:").append(processed).append("\r\n")
          .append("slave_repl_offset:").append(processed).append("\r\n")
          .append("pmem_replica_recorded_offset:").append(state.offset).append("\r\n")
          .append("slave_priority:100\r\nslave_read_only:1\r\nreplica_announced:1\r\nconnected_slaves:0\r\n")
          .append("master_failover_state:no-failover\r\n")
          .append("master_replid:").append(id == null ? "0000000000000000000000000000000000000000" : Bytes.str(id))
          .append("\r\n")
          .append("master_replid2:0000000000000000000000000000000000000000\r\n")
          .append("master_repl_offset:").append(processed).append("\r\n")
          .append("second_repl_offset:-1\r\nrepl_backlog_active:0\r\nrepl_backlog_size:0\r\n")
          .append("repl_backlog_first_byte_offset:0\r\nrepl_backlog_histlen:0\r\n\r\n");
        return sb.toString();
    }

    void role(Ctx c) {
        c.out.array(5);
        c.out.bulk("slave");
        c.out.bulk(host());
        c.out.integer(state.port);
        c.out.bulk(link.equals("up") ? "connected" : syncing ? "sync" : "connect");
        c.out.integer(processed);
    }
}
