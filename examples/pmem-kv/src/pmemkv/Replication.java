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

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import jdk.internal.pmem.Pmem;

/**
 * pmem-kv as a Redis master: an unmodified {@code redis-server --replicaof}
 * (or {@code REPLICAOF}) syncs from it with Redis's protocol.
 *
 * <ul>
 * <li>The <em>stream</em> is every change as a command, in the order the
 *     commands changed their keys (each is appended while its keys' shard
 *     locks are held). Commands whose effect is not a function of their
 *     arguments are rewritten as Redis does it: SPOP as SREM of what it drew,
 *     INCRBYFLOAT as SET KEEPTTL, blocking pops as the pops they did,
 *     relative expiry times as absolute ones, an EXEC as MULTI ... EXEC
 *     after its commit; an expired key is a DEL.</li>
 * <li>The <em>backlog</em> keeps the last {@code --repl-backlog-size} bytes
 *     of the stream (created when the first replica connects), so a replica
 *     that reconnects with {@code PSYNC replid offset} gets {@code +CONTINUE}
 *     and the bytes it missed.</li>
 * <li>Otherwise a full sync: every shard locked for the time it takes to
 *     write the dataset as an RDB file in memory, then {@code +FULLRESYNC},
 *     the file, and the stream from that point.</li>
 * <li>Each replica has a link with two threads: one sends (its queue is the
 *     replica's output buffer, {@code --repl-buffer-limit}), one reads its
 *     {@code REPLCONF ACK}s (for {@code WAIT}, {@code ROLE}, {@code INFO}).</li>
 * </ul>
 *
 * The replication id changes with every start: the backlog is volatile, so
 * replicas of a restarted pmem-kv sync in full.
 */
final class Replication {
    private final Server server;
    final String replid = newId();
    final int backlogSize;
    final long bufferLimit;
    private long offset;                // master_repl_offset: bytes in the stream so far
    private byte[] backlog;             // ring of the stream's last bytes; null until a replica asks
    private long histlen;               // bytes of the stream the backlog holds
    private volatile boolean active;    // a backlog exists: changes are streamed
    final List<Link> links = new CopyOnWriteArrayList<>();
    final AtomicLong fullSyncs = new AtomicLong(), partialOk = new AtomicLong(), partialErr = new AtomicLong();
    private final Set<Ctx> waiting = ConcurrentHashMap.newKeySet();   // WAIT
    private long lastPingMs;

    Replication(Server server, int backlogSize, long bufferLimit) {
        this.server = server;
        this.backlogSize = backlogSize;
        this.bufferLimit = bufferLimit;
    }

    private static String newId() {
        byte[] b = new byte[20];
        new SecureRandom().nextBytes(b);
        StringBuilder sb = new StringBuilder();
        for (byte x : b) {
            sb.append(String.format("%02x", x));
        }
        return sb.toString();
    }

    boolean active() {
        return active;
    }

    synchronized long offset() {
        return offset;
    }

    synchronized long firstByte() {
        return offset - histlen + 1;
    }

    synchronized long histlen() {
        return histlen;
    }

    // ---- the stream ----

    private static final byte[] CRLF = {'\r', '\n'};

    /** RESP's encoding of a command. */
    static byte[] encode(byte[][] argv) {
        int n = 16;
        for (byte[] a : argv) {
            n += a.length + 16;
        }
        java.io.ByteArrayOutputStream o = new java.io.ByteArrayOutputStream(n);
        o.writeBytes(("*" + argv.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
        for (byte[] a : argv) {
            o.writeBytes(("$" + a.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
            o.writeBytes(a);
            o.writeBytes(CRLF);
        }
        return o.toByteArray();
    }

    static byte[][] argv(String... words) {
        byte[][] a = new byte[words.length][];
        for (int i = 0; i < words.length; i++) {
            a[i] = Bytes.of(words[i]);
        }
        return a;
    }

    /**
     * Stream bytes made inside a transaction (a key that expired on a
     * command's lookup, EXEC's commands): appended after the commit, since
     * what a transaction allocates is persistent and the queues' nodes must
     * not be. Holds only persistent or transaction-made arrays.
     */
    private final ThreadLocal<List<byte[]>> deferred = ThreadLocal.withInitial(java.util.ArrayList::new);

    /** Appends bytes to the stream, or defers them to the end of the transaction it runs in. */
    private void append(byte[] b) {
        List<byte[]> d = deferred.get();
        if (Pmem.txnDepth() > 0) {
            d.add(b);
            return;
        }
        if (!d.isEmpty()) {
            d.forEach(this::appendNow);
            d.clear();
        }
        appendNow(b);
    }

    /** Before a command's transaction: the thread's deferred list exists outside any transaction. */
    void beforeTxn() {
        if (active) {
            deferred.get();
        }
    }

    /** After a command's commit (its keys still locked): what expired inside it goes out. */
    void afterCommit() {
        if (!active || Pmem.txnDepth() > 0) {
            return;
        }
        List<byte[]> d = deferred.get();
        if (!d.isEmpty()) {
            d.forEach(this::appendNow);
            d.clear();
        }
    }

    private synchronized void appendNow(byte[] b) {
        offset += b.length;
        int cap = backlog.length;
        long start = (offset - b.length) % cap;
        int from = Math.max(0, b.length - cap);   // more than the backlog holds: its last cap bytes
        for (int i = from; i < b.length; ) {
            int at = (int) ((start + i) % cap);
            int n = Math.min(b.length - i, cap - at);
            System.arraycopy(b, i, backlog, at, n);
            i += n;
        }
        histlen = Math.min(cap, histlen + b.length);
        for (Link l : links) {
            l.send(b);
        }
    }

    /** The stream from byte index from (1-based) to its end, out of the backlog. */
    private synchronized byte[] backlogFrom(long from) {
        int n = (int) (offset + 1 - from);
        byte[] out = new byte[n];
        int cap = backlog.length;
        for (int i = 0; i < n; ) {
            int at = (int) ((from - 1 + i) % cap);
            int k = Math.min(n - i, cap - at);
            System.arraycopy(backlog, at, out, i, k);
            i += k;
        }
        return out;
    }

    /**
     * A write command succeeded (its keys still locked): streams its
     * effect. Inside EXEC the bytes wait for the commit ({@link #execDone}).
     */
    void propagate(Ctx c, Cmd cmd, byte[][] argv) {
        if (!active) {
            return;
        }
        List<byte[][]> forms = c.replForms != null ? c.replForms : forms(c, cmd.name(), argv);
        for (byte[][] f : forms) {
            byte[] b = encode(f);
            if (c.replBatch != null) {
                c.replBatch.add(b);
            } else {
                append(b);
                c.replOffset = offset();
            }
        }
    }

    /** EXEC committed: its commands' bytes as MULTI ... EXEC, one piece of the stream. */
    void execDone(Ctx c, List<byte[]> batch) {
        if (!active || batch.isEmpty()) {
            return;
        }
        afterCommit();   // keys that expired inside it: deleted before it ran
        java.io.ByteArrayOutputStream o = new java.io.ByteArrayOutputStream();
        o.writeBytes(encode(argv("MULTI")));
        batch.forEach(o::writeBytes);
        o.writeBytes(encode(argv("EXEC")));
        append(o.toByteArray());
        c.replOffset = offset();
    }

    /**
     * A key was deleted outside a write command, by expiry or MIGRATE (its
     * shard locked): a DEL for replicas, as Redis's get from their master.
     */
    void deleted(byte[] key) {
        if (active) {
            append(encode(new byte[][] {Bytes.of("DEL"), key}));
        }
    }

    /** A FLUSHALL or FLUSHDB (every shard locked). */
    void flushed(byte[][] argv) {
        if (active) {
            append(encode(argv));
        }
    }

    /** The blocking commands, SPOP and the float increments say what they did (Ctx.propagateAs) or nothing. */
    private static final Set<String> EXPLICIT = Set.of("blpop", "brpop", "blmove", "brpoplpush", "blmpop",
            "bzpopmin", "bzpopmax", "bzmpop", "spop", "incrbyfloat", "hincrbyfloat");

    /** How a command is streamed: as itself, unless it reads the clock or chance. */
    private List<byte[][]> forms(Ctx c, String name, byte[][] argv) {
        if (EXPLICIT.contains(name)) {
            return List.of();   // it blocked or changed nothing
        }
        switch (name) {
            case "expire", "pexpire", "expireat", "pexpireat", "getex":
                return one(ttlForm(c, argv[1]));
            case "setex", "psetex":
                return one(valueForm(c, argv[1]));
            case "set":
                for (int i = 3; i < argv.length; i++) {
                    if (Bytes.eqIgnoreCase(argv[i], "EX") || Bytes.eqIgnoreCase(argv[i], "PX")) {
                        return one(valueForm(c, argv[1]));
                    }
                }
                return one(argv);
            case "restore": {
                boolean abs = false;
                for (int i = 4; i < argv.length; i++) {
                    abs |= Bytes.eqIgnoreCase(argv[i], "ABSTTL");
                }
                return abs || Bytes.equal(argv[2], Bytes.of("0")) ? one(argv) : one(valueForm(c, argv[1]));
            }
            case "sort", "sort_ro":
                for (int i = 2; i + 1 < argv.length; i++) {
                    if (Bytes.eqIgnoreCase(argv[i], "STORE")) {
                        return one(valueForm(c, argv[i + 1]));
                    }
                }
                return List.of();   // a read
            default:
                return one(argv);
        }
    }

    private static List<byte[][]> one(byte[][] argv) {
        return java.util.Collections.singletonList(argv);
    }

    /** key's expiry as it is now: PEXPIREAT at, PERSIST, or DEL when it is gone. */
    private static byte[][] ttlForm(Ctx c, byte[] key) {
        PEntry e = c.db.peek(key);
        if (e == null) {
            return new byte[][] {Bytes.of("DEL"), key};
        }
        return e.expireAt != 0 ? new byte[][] {Bytes.of("PEXPIREAT"), key, Bytes.of(Long.toString(e.expireAt))}
                : new byte[][] {Bytes.of("PERSIST"), key};
    }

    /** key's value and expiry as they are now: RESTORE ... REPLACE ABSTTL, or DEL when it is gone. */
    private static byte[][] valueForm(Ctx c, byte[] key) {
        PEntry e = c.db.peek(key);
        if (e == null) {
            return new byte[][] {Bytes.of("DEL"), key};
        }
        return new byte[][] {Bytes.of("RESTORE"), key, Bytes.of(Long.toString(e.expireAt)), Rdb.dump(e.value),
            Bytes.of("REPLACE"), Bytes.of("ABSTTL")};
    }

    /** The expiry thread, every 100 ms: a PING into the stream every 10 s keeps idle replicas' links alive. */
    void cron(long now) {
        if (active && !links.isEmpty() && now - lastPingMs >= 10_000) {
            lastPingMs = now;
            append(encode(argv("PING")));
        }
    }

    // ---- replicas ----

    /**
     * PSYNC replid offset (SYNC: replid null): the connection's channel,
     * handed over by its event loop, becomes a replica link. Runs on that
     * loop; a full sync locks every shard while it writes the dataset.
     */
    void attach(SocketChannel ch, Ctx c, String wantId, long wantOffset) throws IOException {
        Link l = new Link(ch, c);
        synchronized (this) {
            if (backlog == null) {
                backlog = new byte[backlogSize];
                active = true;
                lastPingMs = System.currentTimeMillis();
            }
            if (wantId != null && wantId.equals(replid) && wantOffset >= offset - histlen + 1 && wantOffset <= offset + 1) {
                l.sendFirst(("+CONTINUE " + replid + "\r\n").getBytes(StandardCharsets.US_ASCII));
                l.sendFirst(backlogFrom(wantOffset));
                links.add(l);
                partialOk.incrementAndGet();
                l.start();
                System.out.println("pmem-kv: replica " + l.name() + " continues from offset " + wantOffset);
                return;
            }
        }
        if (wantId != null && !wantId.equals("?")) {
            partialErr.incrementAndGet();
        }
        long t0 = System.nanoTime();
        long all = server.db.lockAll();
        byte[] rdb;
        long at;
        try {
            synchronized (this) {
                at = offset;
                rdb = Rdb.file(server.db, replid, at, System.currentTimeMillis());
                if (wantId != null) {
                    l.sendFirst(("+FULLRESYNC " + replid + " " + at + "\r\n").getBytes(StandardCharsets.US_ASCII));
                }
                l.sendFirst(("$" + rdb.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
                l.sendFirst(rdb);
                links.add(l);   // from here on it gets the stream after `at`
            }
        } finally {
            server.db.unlock(all);
        }
        fullSyncs.incrementAndGet();
        l.start();
        System.out.printf("pmem-kv: replica %s: full sync, %d keys in a %d-byte RDB written in %d ms (offset %d)%n",
                l.name(), server.db.size(), rdb.length, (System.nanoTime() - t0) / 1_000_000, at);
    }

    /** Replicas whose acknowledged offset reached off. */
    int acked(long off) {
        int n = 0;
        for (Link l : links) {
            if (l.ack >= off) {
                n++;
            }
        }
        return n;
    }

    /** WAIT numreplicas timeout: blocks the connection until enough replicas acknowledged its writes. */
    void waitCommand(Ctx c) {
        long want = c.argLong(1);
        long timeout = c.argLong(2);
        if (timeout < 0) {
            throw new KvError("ERR timeout is negative");
        }
        long deadline = c.blockedSince != null ? c.blockedSince.deadline() : timeout == 0 ? 0 : c.now + timeout;
        int n = acked(c.replOffset);
        waiting.remove(c);
        if (n >= want || c.inTransaction() || (deadline != 0 && deadline <= System.currentTimeMillis())) {
            c.out.integer(n);
            return;
        }
        waiting.add(c);
        BlockingCommands.blockFor(c, deadline);
        if (c.blockedSince == null && active) {
            append(encode(argv("REPLCONF", "GETACK", "*")));   // ask for acks now, not at the next second
        }
    }

    private void ackArrived() {
        for (Ctx c : waiting) {
            c.wake();
        }
    }

    /** ROLE's reply for a master. */
    void role(Ctx c) {
        c.out.array(3);
        c.out.bulk("master");
        c.out.integer(offset());
        c.out.array(links.size());
        for (Link l : links) {
            c.out.array(3);
            c.out.bulk(l.ip);
            c.out.bulk(Integer.toString(l.ctx.replListeningPort));
            c.out.bulk(Long.toString(l.ack));
        }
    }

    /** INFO's replication section. */
    String info() {
        StringBuilder sb = new StringBuilder("# Replication\r\nrole:master\r\n");
        sb.append("connected_slaves:").append(links.size()).append("\r\n");
        int i = 0;
        long now = System.currentTimeMillis();
        for (Link l : links) {
            sb.append("slave").append(i++).append(":ip=").append(l.ip).append(",port=").append(l.ctx.replListeningPort)
              .append(",state=").append(l.online ? "online" : "wait_bgsave").append(",offset=").append(l.ack)
              .append(",lag=").append(l.ackMs == 0 ? 0 : (now - l.ackMs) / 1000).append("\r\n");
        }
        long off = offset();
        sb.append("master_failover_state:no-failover\r\n")
          .append("master_replid:").append(replid).append("\r\n")
          .append("master_replid2:0000000000000000000000000000000000000000\r\n")
          .append("master_repl_offset:").append(off).append("\r\n")
          .append("second_repl_offset:-1\r\n")
          .append("repl_backlog_active:").append(active ? 1 : 0).append("\r\n")
          .append("repl_backlog_size:").append(backlogSize).append("\r\n")
          .append("repl_backlog_first_byte_offset:").append(active ? firstByte() : 0).append("\r\n")
          .append("repl_backlog_histlen:").append(histlen()).append("\r\n\r\n");
        return sb.toString();
    }

    /** A connected replica: a sender thread draining its queue, a reader thread taking its acks. */
    final class Link {
        final SocketChannel ch;
        final Ctx ctx;
        final String ip;
        private final LinkedBlockingQueue<byte[]> queue = new LinkedBlockingQueue<>();
        private final AtomicLong queued = new AtomicLong();   // stream bytes not sent yet
        volatile long ack;
        volatile long ackMs;
        volatile boolean online;   // the RDB or the backlog's bytes went out
        private volatile boolean closed;
        private int firstItems;    // the preamble's items (not counted against the limit)

        Link(SocketChannel ch, Ctx ctx) throws IOException {
            this.ch = ch;
            this.ctx = ctx;
            String a = ctx.addr;
            this.ip = a.contains(":") ? a.substring(0, a.lastIndexOf(':')) : a;
        }

        String name() {
            return ip + ":" + ctx.replListeningPort;
        }

        void sendFirst(byte[] b) {
            queue.add(b);
            firstItems++;
        }

        /** Queues stream bytes; past the buffer limit the replica is dropped (it will sync again). */
        void send(byte[] b) {
            if (closed) {
                return;
            }
            if (queued.addAndGet(b.length) > bufferLimit) {
                close("its output buffer passed --repl-buffer-limit " + bufferLimit + " bytes");
                return;
            }
            queue.add(b);
        }

        void start() {
            Thread w = new Thread(this::sendLoop, "pmem-kv-replica-out-" + name());
            Thread r = new Thread(this::readLoop, "pmem-kv-replica-in-" + name());
            w.setDaemon(true);
            r.setDaemon(true);
            w.start();
            r.start();
        }

        private void sendLoop() {
            try {
                int sent = 0;
                while (!closed) {
                    byte[] b = queue.poll(1, TimeUnit.SECONDS);
                    if (b == null) {
                        continue;
                    }
                    ByteBuffer bb = ByteBuffer.wrap(b);
                    while (bb.hasRemaining()) {
                        ch.write(bb);
                    }
                    if (++sent > firstItems) {
                        queued.addAndGet(-b.length);
                    } else if (sent == firstItems) {
                        online = true;
                    }
                }
            } catch (IOException | InterruptedException e) {
                close("write: " + e.getMessage());
            }
        }

        private void readLoop() {
            Resp.Reader in = new Resp.Reader(server.limits);
            try {
                for (;;) {
                    if (in.readFrom(ch) < 0) {
                        close("it closed the connection");
                        return;
                    }
                    for (byte[][] a; (a = in.read()) != null; ) {
                        if (a.length >= 3 && Bytes.eqIgnoreCase(a[0], "REPLCONF") && Bytes.eqIgnoreCase(a[1], "ACK")) {
                            try {
                                ack = Math.max(ack, Bytes.parseLong(a[2]));
                            } catch (NumberFormatException ignored) {
                                // not an offset: ignored, as Redis ignores it
                            }
                            ackMs = System.currentTimeMillis();
                            online = true;
                            ackArrived();
                        }
                    }
                }
            } catch (IOException | Resp.ProtocolError e) {
                close("read: " + e.getMessage());
            }
        }

        void close(String why) {
            if (closed) {
                return;
            }
            closed = true;
            links.remove(this);
            queue.clear();
            try {
                ch.close();
            } catch (IOException ignored) {
                // gone anyway
            }
            System.out.println("pmem-kv: replica " + name() + " dropped: " + why);
        }
    }

    // ---- the commands a replica sends, and those about replication ----

    static void register(Server s) {
        s.add("REPLCONF", -1, false, 0, 0, 0, c -> {
            for (int i = 1; i < c.argc(); i += 2) {
                if (c.is(i, "ACK") || c.is(i, "FACK") || c.is(i, "GETACK")) {
                    return;   // never answered
                }
                if (i + 1 >= c.argc()) {
                    throw KvError.SYNTAX;
                }
                if (c.is(i, "listening-port")) {
                    long p = c.argLong(i + 1);
                    c.replListeningPort = (int) p;
                } else if (!c.is(i, "ip-address") && !c.is(i, "capa") && !c.is(i, "rdb-only")
                        && !c.is(i, "rdb-filter-only")) {
                    throw new KvError("ERR Unrecognized REPLCONF option: " + Bytes.str(c.arg(i)));
                }
            }
            c.out.ok();
        });
        s.add("PSYNC", -3, false, 0, 0, 0, c -> {
            if (s.replicaLink.isReplica()) {
                throw new KvError("ERR pmem-kv replicas do not serve replicas of their own (no chained replication)");
            }
            if (c.inTransaction()) {
                throw new KvError("ERR Replica can't interact with the keyspace");
            }
            c.psync = new String[] {Bytes.str(c.arg(1)), Bytes.str(c.arg(2))};
        });
        s.add("SYNC", 1, false, 0, 0, 0, c -> {
            if (s.replicaLink.isReplica()) {
                throw new KvError("ERR pmem-kv replicas do not serve replicas of their own (no chained replication)");
            }
            if (c.inTransaction()) {
                throw new KvError("ERR Replica can't interact with the keyspace");
            }
            c.psync = new String[] {null, "-1"};
        });
        s.add("WAIT", 3, false, 0, 0, 0, c -> s.repl.waitCommand(c));
        s.add("ROLE", 1, false, 0, 0, 0, c -> {
            if (s.replicaLink.isReplica()) {
                s.replicaLink.role(c);
            } else {
                s.repl.role(c);
            }
        });
        for (String name : new String[] {"REPLICAOF", "SLAVEOF"}) {
            s.add(name, 3, false, 0, 0, 0, c -> {
                if (c.inTransaction()) {
                    throw new KvError("ERR Command not allowed inside a transaction");
                }
                if (c.is(1, "NO") && c.is(2, "ONE")) {
                    if (s.replicaLink.isReplica()) {
                        s.replicaLink.replicaOf(null, 0);
                    }
                    c.out.ok();
                    return;
                }
                long port = c.argLong(2);
                if (port < 0 || port > 65535) {
                    throw new KvError("ERR Invalid master port");
                }
                String host = Bytes.str(c.arg(1));
                if (s.replicaLink.isReplica() && s.replicaLink.host().equalsIgnoreCase(host)
                        && s.replicaLink.state.port == port) {
                    c.out.simple("OK Already connected to specified master");
                    return;
                }
                s.replicaLink.replicaOf(host, (int) port);
                c.out.ok();
            });
        }
    }

    /** Hands the connection over (its event loop calls this after PSYNC or SYNC ran). */
    void handOver(SocketChannel ch, Ctx c) throws IOException {
        String[] p = c.psync;
        c.psync = null;
        long off;
        try {
            off = Long.parseLong(p[1]);
        } catch (NumberFormatException e) {
            off = -1;
        }
        attach(ch, c, p[0], off);
    }
}
