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

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import jdk.internal.pmem.Pmem;

/**
 * pmem-kv: a Redis-protocol (RESP2) server whose whole dataset lives in
 * the persistent Java heap of pmem-jdk. Every write command is one
 * {@code Pmem.txn}, and its reply is sent only after the commit, so an
 * acknowledged write survives kill -9 and power loss. There is no AOF, no
 * snapshot and no recovery code here: after a crash the JVM rolls back the
 * transactions that had not committed, and the server finds its data again
 * through one named root.
 *
 * <p>Connections are served by a few event loops ({@code --io-threads},
 * {@link Conn}); commands lock the shards of their keys ({@link Db}), so
 * commands on different keys run in parallel and commands on one key are
 * serialized. EXEC holds every shard; a blocked command ({@link
 * BlockingCommands}) holds none while it waits.
 */
public final class Server {
    static final String VERSION = "0.1";
    static final String REDIS_VERSION = "7.0.15";   // the protocol level we follow, for clients that ask

    final Db db;
    final Resp.Limits limits;
    final Map<String, Cmd> commands = new TreeMap<>();
    final long startMs = System.currentTimeMillis();
    final long readyMs;                 // process start to the first accept
    final int port;
    final AtomicInteger clients = new AtomicInteger();
    final AtomicLong connectionsReceived = new AtomicLong();
    final AtomicLong nextClientId = new AtomicLong();
    final java.util.concurrent.ConcurrentHashMap<Long, Ctx> connections = new java.util.concurrent.ConcurrentHashMap<>();
    final AtomicLong commandsProcessed = new AtomicLong();
    final AtomicLong expiredKeys = new AtomicLong();
    final AtomicLong hits = new AtomicLong(), misses = new AtomicLong();
    final int maxClients;
    volatile String requirepass;        // --requirepass / CONFIG SET requirepass; null: none
    volatile boolean protectedMode = true;   // no password: refuse clients not on the loopback interface
    final Replication repl;
    ReplicaLink replicaLink;   // set once, before the first client
    private final int ioThreads;
    private final ServerSocketChannel listener;

    private Server(Db db, ServerSocketChannel listener, Resp.Limits limits, int maxClients, int ioThreads,
                   long readyMs, int backlogSize, long replBufferLimit) throws IOException {
        this.db = db;
        this.repl = new Replication(this, backlogSize, replBufferLimit);
        db.onExpired = repl::deleted;
        this.listener = listener;
        this.port = ((InetSocketAddress) listener.getLocalAddress()).getPort();
        this.ioThreads = ioThreads;
        this.limits = limits;
        this.maxClients = maxClients;
        this.readyMs = readyMs;
        ServerCommands.register(this);
        KeyCommands.register(this);
        StringCommands.register(this);
        ListCommands.register(this);
        HashCommands.register(this);
        SetCommands.register(this);
        ScanCommands.register(this);
        ClientCommands.register(this);
        SortCommands.register(this);
        ZSetCommands.register(this);
        DumpCommands.register(this);
        MultiCommands.register(this);
        AuthCommands.register(this);
        BlockingCommands.register(this);
        Replication.register(this);
    }

    void add(String name, int arity, boolean write, int first, int last, int step, Cmd.Handler h) {
        commands.put(name, new Cmd(name.toLowerCase(), arity, write, first, last, step, h));
    }

    static final String USAGE = String.join("\n",
            "usage: pmem-kv [--port N] [--bind ADDR] [--requirepass PASSWORD] [--protected-mode yes|no] [--maxclients N]",
            "               [--io-threads N] [--proto-max-bulk-len BYTES] [--max-request BYTES]",
            "               [--repl-backlog-size BYTES] [--repl-buffer-limit BYTES] [--replicaof 'HOST PORT']",
            "               [--masterauth PASSWORD]",
            "  (the JVM runs with -XX:+UsePersistentHeap -XX:PmemFile=<file>; bin/pmem-kv sets them: see --help there)");

    public static void main(String[] args) throws IOException {
        int port = 6379, maxClients = 10000;
        int ioThreads = Runtime.getRuntime().availableProcessors();
        String bind = "127.0.0.1";
        String requirepass = null;
        boolean protectedMode = true;
        Resp.Limits lim = Resp.Limits.DEFAULT;
        int maxBulk = lim.maxBulk();
        long maxRequest = lim.maxRequest();
        int backlogSize = 1 << 20;
        long replBufferLimit = 256L << 20;
        String replicaOf = null, masterauth = null;
        try {
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                if (a.equals("--help") || a.equals("-h")) {
                    System.out.println(USAGE);
                    return;
                }
                if (i + 1 >= args.length) {
                    fail("option " + a + " needs a value\n" + USAGE);
                }
                String v = args[++i];
                switch (a) {
                    case "--port" -> port = Integer.parseInt(v);
                    case "--bind" -> bind = v;
                    case "--maxclients" -> maxClients = Integer.parseInt(v);
                    case "--io-threads" -> ioThreads = Math.max(1, Integer.parseInt(v));
                    case "--proto-max-bulk-len" -> maxBulk = (int) Math.min(Integer.MAX_VALUE - 16, parseSize(v));
                    case "--max-request" -> maxRequest = parseSize(v);
                    case "--requirepass" -> requirepass = v.isEmpty() ? null : v;
                    case "--repl-backlog-size" -> backlogSize = (int) Math.max(16 * 1024, Math.min(1L << 30, parseSize(v)));
                    case "--repl-buffer-limit" -> replBufferLimit = Math.max(1 << 20, parseSize(v));
                    case "--replicaof" -> replicaOf = v;   // "host port"
                    case "--masterauth" -> masterauth = v;
                    case "--protected-mode" -> {
                        if (!v.equals("yes") && !v.equals("no")) {
                            fail("--protected-mode takes yes or no\n" + USAGE);
                        }
                        protectedMode = v.equals("yes");
                    }
                    default -> fail("unknown option " + a + "\n" + USAGE);
                }
            }
        } catch (NumberFormatException e) {
            fail("bad number: " + e.getMessage() + "\n" + USAGE);
        }
        if (!Pmem.isEnabled()) {
            fail("pmem-kv needs a persistent heap: start the JVM with -XX:+UsePersistentHeap -XX:PmemFile=<file> (bin/pmem-kv does)");
        }
        long t0 = System.nanoTime();
        Db db = Db.open();
        long openUs = (System.nanoTime() - t0) / 1000;
        ServerSocketChannel ss = ServerSocketChannel.open();
        ss.setOption(StandardSocketOptions.SO_REUSEADDR, true);
        try {
            ss.bind(new InetSocketAddress(InetAddress.getByName(bind), port), 511);
        } catch (IOException e) {
            fail("cannot listen on " + bind + ":" + port + ": " + e.getMessage());
        }
        // bin/pmem-kv passes the time it started the JVM; /proc's start time has a resolution of a
        // second (the boot time it counts from is in seconds), too coarse for a startup figure.
        long launched = Long.getLong("pmemkv.launched", 0);
        long ready = launched > 0 ? System.currentTimeMillis() - launched
                : ProcessHandle.current().info().startInstant().map(s -> System.currentTimeMillis() - s.toEpochMilli())
                        .orElse(-1L);
        Server server = new Server(db, ss, new Resp.Limits(lim.maxArgs(), maxBulk, maxRequest, lim.maxInline()), maxClients,
                ioThreads, ready, backlogSize, replBufferLimit);
        server.requirepass = requirepass;
        server.protectedMode = protectedMode;
        server.replicaLink = new ReplicaLink(server, masterauth);
        String[] master = null;
        if (replicaOf != null) {
            master = replicaOf.trim().split("[ :]+");
            if (master.length != 2 || !master[1].matches("[0-9]{1,5}")) {
                fail("--replicaof takes 'HOST PORT'\n" + USAGE);
            }
        }
        System.out.printf("pmem-kv %s: %s dataset of %d keys in %s (opened in %d us, ready %d ms after process start)%n",
                VERSION, Pmem.isFirstRun() ? "new" : "persistent", db.size(), Pmem.fileName(), openUs, ready);
        System.out.println("pmem-kv ready on " + bind + ":" + server.port);
        System.out.flush();
        if (master != null) {   // replication starts once the server has said it is ready
            server.replicaLink.replicaOf(master[0], Integer.parseInt(master[1]));
        } else {
            server.replicaLink.start();   // a replica before the restart goes on replicating
        }
        server.serve();
    }

    private static void fail(String msg) {
        System.err.println("pmem-kv: " + msg);
        System.exit(2);
    }

    static long parseSize(String v) {
        String s = v.trim().toLowerCase();
        long mul = 1;
        if (s.endsWith("k") || s.endsWith("kb")) {
            mul = 1024;
        } else if (s.endsWith("m") || s.endsWith("mb")) {
            mul = 1024 * 1024;
        } else if (s.endsWith("g") || s.endsWith("gb")) {
            mul = 1024L * 1024 * 1024;
        }
        return Long.parseLong(s.replaceAll("[kmgb]+$", "")) * mul;
    }

    private void serve() throws IOException {
        Thread expiry = new Thread(this::expiryLoop, "pmem-kv-expiry");
        expiry.setDaemon(true);
        expiry.start();
        Conn.Loop[] loops = new Conn.Loop[ioThreads];
        for (int i = 0; i < loops.length; i++) {
            loops[i] = new Conn.Loop(this);
            Thread t = new Thread(loops[i], "pmem-kv-io-" + i);
            t.setDaemon(true);
            t.start();
        }
        for (long n = 0; ; n++) {
            SocketChannel ch = listener.accept();
            connectionsReceived.incrementAndGet();
            if (AuthCommands.deniedByProtectedMode(this, ch)) {
                try (ch) {
                    ch.write(ByteBuffer.wrap((AuthCommands.DENIED + "\r\n").getBytes(StandardCharsets.US_ASCII)));
                } catch (IOException ignored) {
                    // the client went away
                }
                continue;
            }
            if (clients.incrementAndGet() > maxClients) {
                try (ch) {
                    ch.write(ByteBuffer.wrap("-ERR max number of clients reached\r\n".getBytes(StandardCharsets.US_ASCII)));
                } catch (IOException ignored) {
                    // the client went away
                }
                clients.decrementAndGet();
                continue;
            }
            try {
                ch.configureBlocking(false);
                ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
            } catch (IOException e) {
                ch.close();
                clients.decrementAndGet();
                continue;
            }
            loops[(int) (n % loops.length)].add(ch);
        }
    }

    private void expiryLoop() {
        for (;;) {
            try {
                Thread.sleep(100);
                BlockingCommands.timeouts(System.currentTimeMillis());
                repl.cron(System.currentTimeMillis());
                expiredKeys.addAndGet(db.expireCycle(System.currentTimeMillis(), 25_000_000L));
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException | OutOfMemoryError e) {
                System.err.println("pmem-kv: active expiry: " + e);
            }
        }
    }

    /** Runs one request; a write command is one transaction, and its reply is only buffered until it commits. */
    void execute(Ctx c, byte[][] argv) {
        Resp.Reply out = c.out;
        String name = new String(argv[0], StandardCharsets.ISO_8859_1).toUpperCase();
        Cmd cmd = commands.get(name);
        c.lastMs = System.currentTimeMillis();
        c.lastCmd = cmd == null ? "NULL" : argv.length > 1 && ClientCommands.HAS_SUBCOMMANDS.contains(name)
                ? name.toLowerCase() + "|" + Bytes.str(argv[1]).toLowerCase() : name.toLowerCase();
        if (cmd == null) {
            StringBuilder sb = new StringBuilder();
            for (int i = 1; i < argv.length && sb.length() < 128; i++) {
                sb.append('\'').append(truncate(Bytes.str(argv[i]))).append("' ");   // chars, not bytes
            }
            out.error("ERR unknown command '" + truncate(new String(argv[0], StandardCharsets.UTF_8))
                    + "', with args beginning with: " + sb);
            MultiCommands.refused(c);
            return;
        }
        if (!cmd.arityOk(argv.length)) {
            reject(c, name, "ERR wrong number of arguments for '" + cmd.name() + "' command");
            return;
        }
        if (!c.authenticated && !AuthCommands.NO_AUTH.contains(name)) {
            reject(c, name, "NOAUTH Authentication required.");
            return;
        }
        if (replicaLink != null && replicaLink.isReplica() && (cmd.write() || name.startsWith("FLUSH"))) {
            reject(c, name, "READONLY You can't write against a read only replica.");
            return;
        }
        if (c.multi.open && !MultiCommands.IMMEDIATE.contains(name)) {
            MultiCommands.queue(c, argv);
            return;
        }
        List<byte[]> keys = cmd.keys(argv);
        // SORT's BY and GET patterns read any key, MIGRATE's KEYS come after its options: they lock every
        // shard, before SORT's transaction begins.
        long locked = cmd.name().startsWith("sort") || cmd.name().equals("migrate") ? db.lockAll()
                : keys.isEmpty() ? 0 : db.lock(keys);
        try {
            run(c, cmd, argv);
        } finally {
            db.unlock(locked);
        }
    }

    /** A command refused before it runs: inside MULTI the transaction fails; a refused EXEC discards it, as Redis does. */
    private static void reject(Ctx c, String name, String error) {
        if (name.equals("EXEC")) {
            MultiCommands.reset(c);
            c.out.error("EXECABORT Transaction discarded because of: " + (error.startsWith("ERR ") ? error.substring(4) : error));
            return;
        }
        c.out.error(error);
        MultiCommands.refused(c);
    }

    /** A queued command of EXEC (every shard locked, inside its transaction). */
    void run(Ctx c, byte[][] argv) {
        run(c, command(argv), argv);
    }

    /** The table's command named by argv[0] (any case), or null. */
    Cmd command(byte[][] argv) {
        return commands.get(new String(argv[0], StandardCharsets.ISO_8859_1).toUpperCase());
    }

    /** Runs cmd with its keys' shards locked: a write as one (maybe nested) transaction; an error replaces its reply. */
    private void run(Ctx c, Cmd cmd, byte[][] argv) {
        Resp.Reply out = c.out;
        commandsProcessed.incrementAndGet();
        c.argv = argv;
        c.now = c.fromMaster ? 0 : System.currentTimeMillis();   // the master's commands see expired keys
        c.replForms = null;
        int mark = out.mark();
        try {
            if (cmd.write()) {
                repl.beforeTxn();
                try {
                    Pmem.txn(() -> {
                        c.replForms = null;   // a txn that runs again starts over
                        cmd.handler().run(c);
                    });
                } finally {
                    repl.afterCommit();   // also after a failure: keys still locked, so the stream keeps their order
                }
                if (c.blocked == null) {   // a command that blocked changed nothing
                    MultiCommands.written(cmd, argv);
                    repl.propagate(c, cmd, argv);   // its keys still locked: the stream keeps their order
                }
            } else {
                cmd.handler().run(c);
                if (cmd.name().startsWith("flush")) {
                    MultiCommands.touchAll();
                }
            }
        } catch (KvError e) {
            out.truncate(mark);
            out.error(e.getMessage());
        } catch (OutOfMemoryError e) {
            out.truncate(mark);
            out.error("OOM command not allowed: " + e.getMessage());
        } catch (IllegalStateException | IllegalArgumentException e) {
            out.truncate(mark);   // the txn left nothing
            out.error("ERR " + e.getMessage());
        }
    }

    /**
     * A replica applies its master's commands (one, or an EXEC's) with
     * their keys locked, in one transaction that also runs record (the new
     * offset); a command that fails leaves nothing, as in EXEC.
     */
    void applyFromMaster(Ctx c, List<byte[][]> cmds, Runnable record) {
        boolean all = cmds.size() != 1;
        List<byte[]> keys = new java.util.ArrayList<>();
        Cmd[] found = new Cmd[cmds.size()];
        for (int i = 0; i < found.length; i++) {
            Cmd cmd = found[i] = command(cmds.get(i));
            if (cmd == null || cmd.name().startsWith("sort") || cmd.name().startsWith("flush")) {
                all = true;
            } else {
                keys.addAll(cmd.keys(cmds.get(i)));
            }
        }
        long locked = all ? db.lockAll() : keys.isEmpty() ? 0 : db.lock(keys);
        try {
            Pmem.txn(() -> {
                for (int i = 0; i < found.length; i++) {
                    if (found[i] != null) {   // a command pmem-kv lacks changes nothing here
                        run(c, found[i], cmds.get(i));   // a write nests its own transaction
                    }
                }
                record.run();
            });
        } finally {
            db.unlock(locked);
        }
    }

    private static String truncate(String s) {
        return s.length() > 128 ? s.substring(0, 128) : s;
    }

    long uptimeSeconds() {
        return (System.currentTimeMillis() - startMs) / 1000;
    }

}
