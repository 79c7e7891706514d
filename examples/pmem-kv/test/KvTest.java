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


import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CyclicBarrier;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * pmem-kv's tests. Each starts the server in a child JVM on a fresh heap
 * file and talks RESP to it, as a client would:
 *
 *   commands    replies and error words of every command group
 *   redis-diff  the same commands sent to pmem-kv and to a real redis-server
 *               (MULTI/EXEC/DISCARD, WATCH across two clients, and blocking
 *               list commands served across three clients, included)
 *   auth        --requirepass as redis-server with it answers (NOAUTH, AUTH,
 *               WRONGPASS, HELLO AUTH, CONFIG SET requirepass), and protected
 *               mode: DENIED for a client from a non-loopback address
 *               (Debian's redis-server, which make/deps.sh installs): edge
 *               cases of the newer commands and random commands over a small
 *               key space (seed printed; -Dkv.seed=N repeats a run), replies
 *               compared exactly, or by their properties where Redis is random
 *   pipeline    1000 requests in one write, replies in order
 *   clients     200 connections at once, per-key isolation (INCR counts)
 *   protocol    malformed and oversized requests: error, disconnect, data intact
 *   redis-cli   unmodified redis-cli and redis-benchmark (Debian redis-tools)
 *   restart     clean restart: data, types and expiry times come back
 *   crash       kill -9 under load from several clients, many times, also
 *               under the persistence-domain simulator: every acknowledged
 *               SET/INCR/LPUSH/MSET/EXEC is there after restart, no partial
 *               command (MSET, LMOVE and SMOVE between two keys, MULTI/EXEC
 *               of three commands), and what BLPOP took from a queue four
 *               writers fill is gone from it, nothing lost or doubled
 *
 * Usage: java KvTest JAVA CLASSES HEAPDIR [test...]   (no test named: all of them)
 * Prints "PASS name" or "FAIL name: why" per test and exits 1 on any failure.
 */
public class KvTest {
    static String javaCmd, classes, heapDir;
    static int failures;

    public static void main(String[] args) throws Exception {
        javaCmd = args[0];
        classes = args[1];
        heapDir = args[2];
        List<String> only = List.of(args).subList(3, args.length);
        String[] all = {"commands", "redis-diff", "replication", "replica", "migrate", "auth", "pipeline", "clients", "protocol", "redis-cli", "restart", "crash"};
        for (String t : all) {
            if (!only.isEmpty() && !only.contains(t)) {
                continue;
            }
            long t0 = System.nanoTime();
            try {
                switch (t) {
                    case "commands" -> commands();
                    case "redis-diff" -> redisDiff();
                    case "replication" -> replication();
                    case "replica" -> replica();
                    case "migrate" -> migrate();
                    case "auth" -> auth();
                    case "pipeline" -> pipeline();
                    case "clients" -> clients();
                    case "protocol" -> protocol();
                    case "redis-cli" -> redisCli();
                    case "restart" -> restart();
                    case "crash" -> crash();
                    default -> throw new IllegalArgumentException(t);
                }
                System.out.printf("PASS %s (%.1f s)%n", t, (System.nanoTime() - t0) / 1e9);
            } catch (Throwable e) {
                failures++;
                System.out.println("FAIL " + t + ": " + e);
                e.printStackTrace(System.out);
            } finally {
                Server.killAll();
            }
        }
        System.exit(failures == 0 ? 0 : 1);
    }

    // --- the server under test -------------------------------------------------

    static final class Server {
        static final List<Server> live = new ArrayList<>();
        final Process p;
        final int port;
        final StringBuffer output = new StringBuffer();

        Server(String heap, String... extra) throws Exception {
            port = freePort();
            List<String> cmd = new ArrayList<>(List.of(javaCmd, "--add-exports", "java.base/jdk.internal.pmem=ALL-UNNAMED",
                    "-XX:+UsePersistentHeap", "-XX:PmemFile=" + heap, "-XX:PmemSize=256m", "-Xmx512m"));
            List<String> serverArgs = new ArrayList<>();
            for (String e : extra) {
                (e.startsWith("-X") || e.startsWith("-D") ? cmd : serverArgs).add(e);
            }
            cmd.addAll(List.of("-cp", classes, "pmemkv.Server", "--port", Integer.toString(port)));
            cmd.addAll(serverArgs);
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
            pb.environment().put("PMEM_IS_PMEM_FORCE", "1");
            p = pb.start();
            live.add(this);
            BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            String line;
            while ((line = r.readLine()) != null) {
                output.append(line).append('\n');
                if (line.startsWith("pmem-kv ready on")) {
                    break;
                }
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("server not ready in 60 s:\n" + output);
                }
            }
            if (line == null) {
                throw new AssertionError("server exited before it was ready:\n" + output);
            }
            Thread drain = new Thread(() -> {
                try {
                    String l;
                    while ((l = r.readLine()) != null) {
                        output.append(l).append('\n');
                    }
                } catch (IOException ignored) {
                    // the process ended
                }
            });
            drain.setDaemon(true);
            drain.start();
        }

        Client client() throws IOException {
            return new Client(port);
        }

        void kill9() throws Exception {
            p.destroyForcibly();   // SIGKILL
            p.waitFor();
            live.remove(this);
        }

        static void killAll() throws Exception {
            for (Server s : new ArrayList<>(live)) {
                s.kill9();
            }
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    static String newHeap(String name) throws IOException {
        Path p = Path.of(heapDir, "pmem-kv-test-" + ProcessHandle.current().pid() + "-" + name + ".heap");
        Files.deleteIfExists(p);
        p.toFile().deleteOnExit();
        return p.toString();
    }

    // --- a RESP client -----------------------------------------------------------

    static final class Client implements AutoCloseable {
        final Socket s;
        final InputStream in;
        final OutputStream out;

        Client(int port) throws IOException {
            this("127.0.0.1", port);
        }

        Client(String host, int port) throws IOException {
            s = new Socket(host, port);
            s.setTcpNoDelay(true);
            s.setSoTimeout(30_000);
            in = new BufferedInputStream(s.getInputStream());
            out = s.getOutputStream();
        }

        static byte[] encode(String... args) {
            return encode((Object[]) args);
        }

        /** A request whose arguments are text (String) or binary (byte[]). */
        static byte[] encode(Object... args) {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            b.writeBytes(("*" + args.length + "\r\n").getBytes(StandardCharsets.UTF_8));
            for (Object a : args) {
                byte[] x = a instanceof byte[] y ? y : ((String) a).getBytes(StandardCharsets.UTF_8);
                b.writeBytes(("$" + x.length + "\r\n").getBytes(StandardCharsets.UTF_8));
                b.writeBytes(x);
                b.writeBytes("\r\n".getBytes(StandardCharsets.UTF_8));
            }
            return b.toByteArray();
        }

        /** Sends a command and returns its reply in a compact text form (see read()). */
        String call(String... args) throws IOException {
            out.write(encode(args));
            out.flush();
            return read();
        }

        /**
         * One reply as text: +OK -> "OK", -ERR x -> "-ERR x", :5 -> "5",
         * $-1 -> "(nil)", bulk -> its text, arrays -> "[a, b]", *-1 -> "(nil array)".
         */
        String read() throws IOException {
            String line = line();
            switch (line.charAt(0)) {
                case '+':
                    return line.substring(1);
                case '-':
                    return line;
                case ':':
                    return line.substring(1);
                case '$': {
                    int n = Integer.parseInt(line.substring(1));
                    if (n < 0) {
                        return "(nil)";
                    }
                    byte[] b = in.readNBytes(n + 2);
                    return new String(b, 0, n, StandardCharsets.UTF_8);
                }
                case '*': {
                    int n = Integer.parseInt(line.substring(1));
                    if (n < 0) {
                        return "(nil array)";
                    }
                    List<String> items = new ArrayList<>();
                    for (int i = 0; i < n; i++) {
                        items.add(read());
                    }
                    return items.toString();
                }
                default:
                    throw new IOException("bad reply line: " + line);
            }
        }

        /** As callValue, with binary arguments (byte[]) among the text ones. */
        Object callBin(Object... args) throws IOException {
            out.write(encode(args));
            out.flush();
            return readValue();
        }

        /** A bulk reply's bytes (DUMP's payload), or null for a nil one. */
        byte[] callBulk(String... args) throws IOException {
            out.write(encode(args));
            out.flush();
            String line = line();
            if (line.equals("$-1")) {
                return null;
            }
            if (line.charAt(0) != '$') {
                throw new IOException("not a bulk reply: " + line);
            }
            int n = Integer.parseInt(line.substring(1));
            return Arrays.copyOf(in.readNBytes(n + 2), n);
        }

        /** Sends a command and returns its reply as a value (see readValue()). */
        Object callValue(String... args) throws IOException {
            out.write(encode(args));
            out.flush();
            return readValue();
        }

        /**
         * One reply with its type kept: "+OK", "-ERR x", ":5", "$text", "$(nil)"
         * for a nil bulk, "*(nil)" for a nil array, a List for an array.
         */
        Object readValue() throws IOException {
            String line = line();
            switch (line.charAt(0)) {
                case '+', '-', ':':
                    return line;
                case '$': {
                    int n = Integer.parseInt(line.substring(1));
                    if (n < 0) {
                        return "$(nil)";
                    }
                    byte[] b = in.readNBytes(n + 2);
                    return "$" + new String(b, 0, n, StandardCharsets.UTF_8);
                }
                case '*': {
                    int n = Integer.parseInt(line.substring(1));
                    if (n < 0) {
                        return "*(nil)";
                    }
                    List<Object> items = new ArrayList<>();
                    for (int i = 0; i < n; i++) {
                        items.add(readValue());
                    }
                    return items;
                }
                default:
                    throw new IOException("bad reply line: " + line);
            }
        }

        String line() throws IOException {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            int c;
            while ((c = in.read()) != '\n') {
                if (c < 0) {
                    throw new IOException("connection closed");
                }
                b.write(c);
            }
            String s = b.toString(StandardCharsets.UTF_8);
            return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
        }

        boolean closedByServer() {
            try {
                return in.read() < 0;
            } catch (IOException e) {
                return true;
            }
        }

        @Override
        public void close() throws IOException {
            s.close();
        }
    }

    static void expect(Client c, String expected, String... cmd) throws IOException {
        String got = c.call(cmd);
        if (!got.equals(expected)) {
            throw new AssertionError(String.join(" ", cmd) + ": expected <" + expected + "> got <" + got + ">");
        }
    }

    static void check(boolean ok, String what) {
        if (!ok) {
            throw new AssertionError(what);
        }
    }

    // --- tests -------------------------------------------------------------------

    static void commands() throws Exception {
        Server s = new Server(newHeap("commands"));
        try (Client c = s.client()) {
            // connection
            expect(c, "PONG", "PING");
            expect(c, "hi", "PING", "hi");
            expect(c, "hello", "ECHO", "hello");
            expect(c, "OK", "SELECT", "0");
            expect(c, "-ERR DB index is out of range", "SELECT", "1");
            check(c.call("HELLO", "2").startsWith("[server, redis, version"), "HELLO 2");
            check(c.call("HELLO", "3").startsWith("-NOPROTO"), "HELLO 3 refused");
            check(Long.parseLong(c.call("COMMAND", "COUNT")) > 80, "COMMAND COUNT");
            expect(c, "[save, , appendonly, no]", "CONFIG", "GET", "save", "appendonly");
            check(Long.parseLong(info(c, "total_commands_processed")) > 3, "commands are counted");
            expect(c, "OK", "CONFIG", "RESETSTAT");
            check(Long.parseLong(info(c, "total_commands_processed")) <= 1, "CONFIG RESETSTAT starts the counters again: "
                    + info(c, "total_commands_processed"));
            expect(c, "0", "DBSIZE");
            expect(c, "-ERR unknown command 'NOSUCH', with args beginning with: 'a' ", "NOSUCH", "a");
            expect(c, "-ERR wrong number of arguments for 'get' command", "GET");
            // strings
            expect(c, "OK", "SET", "s", "hello");
            expect(c, "hello", "GET", "s");
            expect(c, "(nil)", "SET", "s", "x", "NX");
            expect(c, "OK", "SET", "s", "world", "XX");
            expect(c, "world", "SET", "s", "again", "GET");
            expect(c, "(nil)", "SET", "nx", "v", "XX");
            expect(c, "-ERR syntax error", "SET", "s", "v", "NX", "XX");
            expect(c, "-ERR invalid expire time in 'set' command", "SET", "s", "v", "EX", "0");
            expect(c, "-ERR value is not an integer or out of range", "SET", "s", "v", "EX", "ten");
            expect(c, "1", "SETNX", "sn", "1");
            expect(c, "0", "SETNX", "sn", "2");
            expect(c, "1", "GETSET", "sn", "3");
            expect(c, "OK", "MSET", "m1", "a", "m2", "b");
            expect(c, "[a, b, (nil)]", "MGET", "m1", "m2", "m3");
            expect(c, "-ERR wrong number of arguments for 'mset' command", "MSET", "m1", "a", "m2");
            expect(c, "1", "INCR", "n");
            expect(c, "0", "DECR", "n");
            expect(c, "10", "INCRBY", "n", "10");
            expect(c, "7", "DECRBY", "n", "3");
            expect(c, "-ERR value is not an integer or out of range", "INCR", "s");
            expect(c, "OK", "SET", "big", "9223372036854775807");
            expect(c, "-ERR increment or decrement would overflow", "INCR", "big");
            expect(c, "7", "APPEND", "ap", "Hello, ");
            expect(c, "12", "APPEND", "ap", "World");
            expect(c, "12", "STRLEN", "ap");
            expect(c, "World", "GETRANGE", "ap", "-5", "-1");
            expect(c, "Hello", "GETRANGE", "ap", "0", "4");
            expect(c, "", "GETRANGE", "ap", "5", "2");
            expect(c, "12", "SETRANGE", "ap", "7", "Redis");
            expect(c, "Hello, Redis", "GET", "ap");
            expect(c, "5", "SETRANGE", "pad", "2", "abc");
            expect(c, "-ERR offset is out of range", "SETRANGE", "pad", "-1", "x");
            // keys
            expect(c, "string", "TYPE", "s");
            expect(c, "none", "TYPE", "nosuch");
            expect(c, "2", "EXISTS", "s", "m1", "nosuch");
            expect(c, "1", "DEL", "m2", "nosuch");
            expect(c, "OK", "RENAME", "m1", "m9");
            expect(c, "-ERR no such key", "RENAME", "m1", "m8");
            expect(c, "a", "GET", "m9");
            expect(c, "-1", "TTL", "m9");
            expect(c, "-2", "TTL", "nosuch");
            expect(c, "1", "EXPIRE", "m9", "100");
            check(Long.parseLong(c.call("TTL", "m9")) == 100, "TTL after EXPIRE 100");
            check(Long.parseLong(c.call("PTTL", "m9")) > 99_000, "PTTL");
            expect(c, "0", "EXPIRE", "m9", "50", "GT");
            expect(c, "1", "PERSIST", "m9");
            expect(c, "-1", "TTL", "m9");
            expect(c, "1", "PEXPIRE", "m9", "100");
            Thread.sleep(200);
            expect(c, "(nil)", "GET", "m9");                 // lazy expiry
            expect(c, "OK", "SET", "gone", "x", "PX", "100");
            Thread.sleep(600);
            check(!c.call("KEYS", "*").contains("gone"), "expired key listed");
            expect(c, "[ap]", "KEYS", "a?");
            // hashes
            expect(c, "2", "HSET", "h", "f1", "v1", "f2", "v2");
            expect(c, "0", "HSET", "h", "f1", "v1b");
            expect(c, "v1b", "HGET", "h", "f1");
            expect(c, "[v1b, (nil)]", "HMGET", "h", "f1", "nope");
            expect(c, "2", "HLEN", "h");
            expect(c, "1", "HEXISTS", "h", "f2");
            expect(c, "5", "HINCRBY", "h", "cnt", "5");
            expect(c, "-ERR hash value is not an integer", "HINCRBY", "h", "f1", "1");
            expect(c, "1", "HDEL", "h", "f2");
            check(c.call("HGETALL", "h").equals("[f1, v1b, cnt, 5]") || c.call("HGETALL", "h").equals("[cnt, 5, f1, v1b]"), "HGETALL");
            check(c.call("HKEYS", "h").length() == "[f1, cnt]".length(), "HKEYS");
            expect(c, "-WRONGTYPE Operation against a key holding the wrong kind of value", "HGET", "s", "x");
            expect(c, "-WRONGTYPE Operation against a key holding the wrong kind of value", "GET", "h");
            // lists
            expect(c, "3", "RPUSH", "l", "a", "b", "c");
            expect(c, "5", "LPUSH", "l", "y", "z");
            expect(c, "[z, y, a, b, c]", "LRANGE", "l", "0", "-1");
            expect(c, "5", "LLEN", "l");
            expect(c, "a", "LINDEX", "l", "2");
            expect(c, "c", "LINDEX", "l", "-1");
            expect(c, "(nil)", "LINDEX", "l", "9");
            expect(c, "OK", "LSET", "l", "0", "Z");
            expect(c, "-ERR index out of range", "LSET", "l", "9", "x");
            expect(c, "-ERR no such key", "LSET", "nol", "0", "x");
            expect(c, "Z", "LPOP", "l");
            expect(c, "[c, b]", "RPOP", "l", "2");
            expect(c, "4", "RPUSH", "l", "a", "a");
            expect(c, "3", "LREM", "l", "0", "a");
            expect(c, "[y]", "LRANGE", "l", "0", "-1");
            // big commands take the bulk paths (a txn's undo log is bounded)
            List<String> big = new ArrayList<>(List.of("RPUSH", "bigl"));
            List<String> bigz = new ArrayList<>(List.of("ZADD", "bigz"));
            for (int i = 1; i <= 3000; i++) {
                big.add(Integer.toString(i));
                bigz.add(Integer.toString(3000 - i));
                bigz.add("m" + i);
            }
            expect(c, "3000", big.toArray(new String[0]));
            check(c.call("LPOP", "bigl", "2000").startsWith("[1, 2, 3,"), "LPOP 2000");
            expect(c, "1000", "LLEN", "bigl");
            expect(c, "2001", "LINDEX", "bigl", "0");
            check(c.call("RPOP", "bigl", "1500").startsWith("[3000, 2999,"), "RPOP 1500");
            expect(c, "0", "EXISTS", "bigl");
            expect(c, "3000", bigz.toArray(new String[0]));
            expect(c, "3000", "ZCARD", "bigz");
            expect(c, "0", "ZRANK", "bigz", "m3000");
            expect(c, "1", "DEL", "bigz");
            // sets
            expect(c, "3", "SADD", "st", "a", "b", "c");
            expect(c, "0", "SADD", "st", "a");
            expect(c, "1", "SISMEMBER", "st", "b");
            expect(c, "3", "SCARD", "st");
            expect(c, "1", "SREM", "st", "c", "x");
            expect(c, "2", "SADD", "st2", "b", "d");
            expect(c, "[b]", "SINTER", "st", "st2");
            check(c.call("SUNION", "st", "st2").length() == "[a, b, d]".length(), "SUNION");
            check(c.call("SMEMBERS", "st").length() == "[a, b]".length(), "SMEMBERS");
            // sorted sets
            expect(c, "3", "ZADD", "z", "1", "a", "2", "b", "1.5", "c");
            expect(c, "0", "ZADD", "z", "3", "a");
            expect(c, "[c, 1.5, b, 2, a, 3]", "ZRANGE", "z", "0", "-1", "WITHSCORES");
            expect(c, "[a, b]", "ZREVRANGE", "z", "0", "1");
            expect(c, "1", "ZRANK", "z", "b");
            expect(c, "0", "ZREVRANK", "z", "a");
            expect(c, "3", "ZSCORE", "z", "a");
            expect(c, "4.5", "ZINCRBY", "z", "1.5", "a");
            expect(c, "3", "ZCARD", "z");
            expect(c, "[c, b]", "ZRANGEBYSCORE", "z", "-inf", "(4.5");
            expect(c, "[b, 2]", "ZRANGEBYSCORE", "z", "1.5", "+inf", "WITHSCORES", "LIMIT", "1", "1");
            expect(c, "1", "ZREM", "z", "c");
            expect(c, "-ERR value is not a valid float", "ZADD", "z", "x", "m");
            expect(c, "-ERR XX and NX options at the same time are not compatible", "ZADD", "z", "NX", "XX", "1", "m");
            expect(c, "(nil)", "ZSCORE", "z", "c");
            // a command larger than a transaction's log slot is one transaction (the log grows into the heap)
            String[] zadd = new String[2 + 2 * 20_000], zrem = new String[2 + 20_000];
            zadd[0] = "ZADD"; zadd[1] = "bigz"; zrem[0] = "ZREM"; zrem[1] = "bigz";
            for (int i = 0; i < 20_000; i++) {
                zadd[2 + 2 * i] = Integer.toString(i);
                zadd[3 + 2 * i] = "m" + i;
                zrem[2 + i] = "m" + i;
            }
            expect(c, "20000", zadd);
            expect(c, "20000", zrem);
            expect(c, "0", "EXISTS", "bigz");
            // empty aggregates disappear
            expect(c, "1", "SREM", "st2", "b");
            expect(c, "1", "SREM", "st2", "d");
            expect(c, "0", "EXISTS", "st2");
            // scan visits every key exactly as KEYS lists them
            long n = Long.parseLong(c.call("DBSIZE"));
            Set<String> seen = new HashSet<>();
            String cursor = "0";
            do {
                c.out.write(Client.encode("SCAN", cursor, "COUNT", "3"));
                c.out.flush();
                check(c.line().equals("*2"), "SCAN reply shape");
                cursor = c.read();
                String page = c.read();
                if (page.length() > 2) {
                    seen.addAll(List.of(page.substring(1, page.length() - 1).split(", ")));
                }
            } while (!cursor.equals("0"));
            check(seen.size() == n, "SCAN saw " + seen.size() + " keys, DBSIZE " + n);
            check(c.call("INFO").contains("db0:keys=" + n), "INFO keyspace");
            check(c.call("INFO", "persistence").contains("aof_enabled:0"), "INFO persistence");
            expect(c, "OK", "FLUSHDB");
            expect(c, "0", "DBSIZE");
            expect(c, "OK", "QUIT");
            check(c.closedByServer(), "QUIT closes");
        }
    }

    // --- differential test against a real redis-server --------------------------

    /** Commands whose replies are sets: compared with their elements sorted. */
    static final Set<String> UNORDERED = Set.of("SMEMBERS", "SINTER", "SUNION", "SDIFF", "KEYS");
    /** Commands whose replies Redis chooses at random: compared by their properties. */
    static final Set<String> RANDOM = Set.of("SPOP", "SRANDMEMBER", "HRANDFIELD", "ZRANDMEMBER");
    static final Set<String> SCANS = Set.of("SSCAN", "HSCAN", "ZSCAN");

    static String findRedisServer() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            File f = new File(dir, "redis-server");
            if (f.canExecute()) {
                return f.getPath();
            }
        }
        File f = new File("/usr/bin/redis-server");
        return f.canExecute() ? f.getPath() : null;
    }

    /** Runs commands on both servers and records every difference in their replies. */
    static final class Diff {
        final Client kv, redis;
        final List<String> mismatches = new ArrayList<>();
        int cases;
        static final boolean STATS = Boolean.getBoolean("kv.diff.stats");
        final Map<String, Map<String, Integer>> stats = new java.util.TreeMap<>();

        Diff(Client kv, Client redis) {
            this.kv = kv;
            this.redis = redis;
        }

        /** Splits on spaces; "" stands for an empty argument. */
        void run(String line) throws IOException {
            String[] a = line.trim().split(" +");
            for (int i = 0; i < a.length; i++) {
                if (a[i].equals("\"\"")) {
                    a[i] = "";
                }
            }
            call(a);
        }

        void call(String... cmd) throws IOException {
            cases++;
            String name = cmd[0].toUpperCase();
            if (RANDOM.contains(name)) {
                random(cmd);
                return;
            }
            Object a = kv.callValue(cmd), b = redis.callValue(cmd);
            if (STATS) {   // -Dkv.diff.stats: how often each command errs, is empty, or has content
                String kind = b instanceof String x && x.startsWith("-") ? "error"
                        : b.equals(List.of()) || b.equals("$(nil)") || b.equals(":0") ? "empty" : "content";
                stats.computeIfAbsent(name, k -> new java.util.TreeMap<>()).merge(kind, 1, Integer::sum);
            }
            if (UNORDERED.contains(name)) {
                a = sorted(a);
                b = sorted(b);
            } else if (SCANS.contains(name)) {   // pmem-kv's hashes keep no insertion order
                a = sortedScan(a, name.equals("SSCAN") ? 1 : 2);
                b = sortedScan(b, name.equals("SSCAN") ? 1 : 2);
            }
            if (!a.equals(b)) {
                mismatch(cmd, a, b);
            }
        }

        void mismatch(String[] cmd, Object kvReply, Object redisReply) {
            String m = String.join(" ", cmd) + "\n      pmem-kv: " + kvReply + "\n      redis:   " + redisReply;
            mismatches.add(m);
            if (mismatches.size() <= 50) {
                System.out.println("  MISMATCH " + m);
            }
        }

        /** A [cursor, [elements]] reply with its elements (groups of per) sorted. */
        static Object sortedScan(Object o, int per) {
            if (o instanceof List<?> l && l.size() == 2 && l.get(1) instanceof List<?> els) {
                List<String> groups = new ArrayList<>();
                for (int i = 0; i + per <= els.size(); i += per) {
                    groups.add(String.valueOf(els.subList(i, i + per)));
                }
                groups.sort(null);
                return List.of(l.get(0), groups);
            }
            return o;
        }

        /** Whether a random reply's members (with their values, if with) all come from source. */
        static boolean fromSource(List<?> l, Map<Object, Object> source, boolean with, boolean distinct) {
            int step = with ? 2 : 1;
            if (l.size() % step != 0) {
                return false;
            }
            Set<Object> seen = new HashSet<>();
            for (int i = 0; i < l.size(); i += step) {
                if (!source.containsKey(l.get(i)) || (with && !l.get(i + 1).equals(source.get(l.get(i))))
                        || (!seen.add(l.get(i)) && distinct)) {
                    return false;
                }
            }
            return true;
        }

        static Object sorted(Object o) {
            if (o instanceof List<?> l) {
                List<String> x = new ArrayList<>();
                l.forEach(e -> x.add(String.valueOf(e)));
                x.sort(null);
                return x;
            }
            return o;
        }

        /**
         * SPOP, SRANDMEMBER, HRANDFIELD and ZRANDMEMBER: the same shape and
         * size, distinct members where Redis promises them, every member
         * from the collection and, with WITHVALUES/WITHSCORES, each with its
         * own value. After SPOP, the redis-server is given pmem-kv's choice
         * so that both hold the same set.
         */
        void random(String[] cmd) throws IOException {
            String key = cmd.length > 1 ? cmd[1] : "";
            Map<Object, Object> source = new java.util.HashMap<>();   // member -> value, score or null
            Object type = cmd.length > 1 ? kv.callValue("TYPE", key) : "";
            List<?> content = "+set".equals(type) ? (List<?>) kv.callValue("SMEMBERS", key)
                    : "+hash".equals(type) ? (List<?>) kv.callValue("HGETALL", key)
                    : "+zset".equals(type) ? (List<?>) kv.callValue("ZRANGE", key, "0", "-1", "WITHSCORES") : List.of();
            boolean pairsIn = !"+set".equals(type);
            for (int i = 0; i < content.size(); i += pairsIn ? 2 : 1) {
                source.put(content.get(i), pairsIn ? content.get(i + 1) : null);
            }
            Object a = kv.callValue(cmd), b = redis.callValue(cmd);
            boolean spop = cmd[0].equalsIgnoreCase("SPOP");
            boolean with = cmd.length == 4 && !spop && !cmd[0].equalsIgnoreCase("SRANDMEMBER");
            boolean distinct = spop || (cmd.length >= 3 && !cmd[2].startsWith("-"));
            boolean ok;
            if (a instanceof List<?> la && b instanceof List<?> lb) {
                ok = la.size() == lb.size() && fromSource(la, source, with, distinct)
                        && fromSource(lb, source, with, distinct);
            } else if (a instanceof String sa && b instanceof String sb && sa.startsWith("$") && sb.startsWith("$")
                    && !sa.equals("$(nil)") && !sb.equals("$(nil)")) {
                ok = source.containsKey(sa) && source.containsKey(sb);
            } else {
                ok = a.equals(b);   // errors, nil
            }
            if (!ok) {
                mismatch(cmd, a, b);
                return;
            }
            if (spop && !a.equals(b)) {   // bring redis to pmem-kv's state: put back what it took, take what pmem-kv took
                List<String> add = new ArrayList<>(List.of("SADD", key)), rem = new ArrayList<>(List.of("SREM", key));
                for (Object o : b instanceof List<?> lb ? lb : List.of(b)) {
                    add.add(((String) o).substring(1));
                }
                for (Object o : a instanceof List<?> la ? la : List.of(a)) {
                    rem.add(((String) o).substring(1));
                }
                redis.callValue(add.toArray(String[]::new));
                redis.callValue(rem.toArray(String[]::new));
            }
        }
    }

    /** Hand-written edge cases of the commands pmem-kv added after its first release, in the order run. */
    static final String[] DIFF_CASES = {
        // LMOVE, RPOPLPUSH
        "RPUSH l a b c d", "LMOVE l l2 LEFT RIGHT", "LMOVE l l2 RIGHT LEFT", "LRANGE l 0 -1", "LRANGE l2 0 -1",
        "LMOVE l l LEFT RIGHT", "LRANGE l 0 -1", "LMOVE l l RIGHT RIGHT", "LMOVE l2 l2 left left", "LMOVE l l2 UP LEFT",
        "LMOVE nosuch l2 LEFT LEFT", "LMOVE l l2 LEFT", "LMOVE l l2 LEFT LEFT x", "SET str v", "LMOVE str l LEFT LEFT",
        "LMOVE l str LEFT LEFT", "LMOVE nosuch str LEFT LEFT", "LRANGE l 0 -1", "RPOPLPUSH l l3", "RPOPLPUSH l l3",
        "RPOPLPUSH l l3", "EXISTS l", "LRANGE l3 0 -1", "RPOPLPUSH l3 l3", "LRANGE l3 0 -1", "RPOPLPUSH l3 str",
        "RPOPLPUSH str l3", "RPOPLPUSH nosuch l3", "RPOPLPUSH l3", "RPOPLPUSH a b c", "RPUSH one x", "LPOP one x", "RPOP one -1", "LPOP nosuch x",
        "LMOVE one one LEFT RIGHT", "LRANGE one 0 -1", "LMOVE one two RIGHT LEFT", "EXISTS one", "LRANGE two 0 -1",
        // LPOS
        "RPUSH p a b c 1 2 3 c c", "LPOS p c", "LPOS p c RANK 2", "LPOS p c RANK -1", "LPOS p c RANK -2", "LPOS p c RANK 4",
        "LPOS p c COUNT 0", "LPOS p c COUNT 2", "LPOS p c COUNT 0 RANK 2", "LPOS p c COUNT 0 RANK -1", "LPOS p c COUNT 1 RANK -3",
        "LPOS p c MAXLEN 2", "LPOS p c MAXLEN 3", "LPOS p c COUNT 0 MAXLEN 7", "LPOS p c COUNT 0 MAXLEN 0", "LPOS p c RANK -1 MAXLEN 1",
        "LPOS p zz", "LPOS p zz COUNT 0", "LPOS nosuch a", "LPOS nosuch a COUNT 1", "LPOS p c RANK 0", "LPOS p c RANK x",
        "LPOS p c COUNT -1", "LPOS p c COUNT x", "LPOS p c MAXLEN -1", "LPOS p c MAXLEN", "LPOS p c FOO 1",
        "LPOS p c RANK -9223372036854775808", "LPOS p c RANK -9223372036854775808 COUNT 2", "LPOS p c RANK 9223372036854775807", "LPOS str a", "LPOS p", "LPOS p c rank 1 count 2 maxlen 9",
        // SMOVE
        "SADD s1 a b c", "SADD s2 c d", "SMOVE s1 s2 a", "SMOVE s1 s2 c", "SMOVE s1 s2 zz", "SMEMBERS s1", "SMEMBERS s2",
        "SMOVE s1 s1 b", "SMOVE s1 s1 zz", "SMOVE s1 s3 b", "EXISTS s1", "SMEMBERS s3", "SMOVE nosuch s2 a", "SMOVE nosuch str a",
        "SMOVE s2 str a", "SMOVE str s2 a", "SMEMBERS s2", "SMOVE s2 s3", "SMOVE s2 s3 a b",
        // SPOP, SRANDMEMBER
        "SADD r a b c d e f g", "SRANDMEMBER r", "SRANDMEMBER r 3", "SRANDMEMBER r 7", "SRANDMEMBER r 100", "SRANDMEMBER r -3",
        "SRANDMEMBER r -20", "SRANDMEMBER r 0", "SRANDMEMBER r -1", "SRANDMEMBER nosuch", "SRANDMEMBER nosuch 5", "SRANDMEMBER nosuch -5",
        "SRANDMEMBER str", "SRANDMEMBER str 2", "SRANDMEMBER r x", "SRANDMEMBER r 1 2", "SRANDMEMBER",
        "SRANDMEMBER r -9223372036854775808", "SPOP r", "SCARD r", "SPOP r 2", "SCARD r", "SPOP r 0", "SPOP r -1", "SPOP r x",
        "SPOP r 1 2", "SPOP nosuch", "SPOP nosuch 3", "SPOP str", "SPOP str 1", "SPOP", "SPOP r 100", "EXISTS r", "SPOP r",
        "SADD r1 only", "SPOP r1", "EXISTS r1",
        // SINTERSTORE, SUNIONSTORE, SDIFFSTORE
        "SADD i1 a b c d", "SADD i2 b c e", "SADD i3 c d e f", "SINTERSTORE d i1 i2", "SMEMBERS d", "SINTERSTORE d i1 i2 i3",
        "SMEMBERS d", "SINTERSTORE d i1 nosuch", "EXISTS d", "SUNIONSTORE d i1 i2 i3", "SMEMBERS d", "SUNIONSTORE d nosuch",
        "EXISTS d", "SDIFFSTORE d i1 i2", "SMEMBERS d", "SDIFFSTORE d i1 i2 i3", "SMEMBERS d", "SDIFFSTORE d nosuch i1", "EXISTS d",
        "SET d x", "SUNIONSTORE d i1", "TYPE d", "SINTERSTORE i1 i1 i2", "SMEMBERS i1", "SUNIONSTORE i2 i2 i3", "SMEMBERS i2",
        "SDIFFSTORE i3 i3 i3", "EXISTS i3", "SINTERSTORE d i1 str", "SINTERSTORE d nosuch str", "SUNIONSTORE d i1 str",
        "SDIFFSTORE d str i1", "SDIFFSTORE d nosuch str", "SINTERSTORE d", "SUNIONSTORE d", "SDIFFSTORE d", "SET d2 x",
        "EXPIRE d2 100", "SUNIONSTORE d2 i1", "TTL d2", "SMEMBERS d2",
        // ZREMRANGEBYRANK, ZREMRANGEBYSCORE
        "ZADD z 1 a 2 b 3 c 4 d 5 e 6 f", "ZREMRANGEBYRANK z 0 0", "ZRANGE z 0 -1", "ZREMRANGEBYRANK z -2 -1", "ZRANGE z 0 -1",
        "ZREMRANGEBYRANK z 5 10", "ZREMRANGEBYRANK z 2 1", "ZREMRANGEBYRANK z -100 0", "ZRANGE z 0 -1", "ZREMRANGEBYRANK z 0 -1",
        "EXISTS z", "ZREMRANGEBYRANK z 0 -1", "ZREMRANGEBYRANK z x 1", "ZREMRANGEBYRANK str 0 1", "ZREMRANGEBYRANK z 0",
        "ZADD z 1 a 2 b 3 c 4 d 5 e 6 f", "ZREMRANGEBYSCORE z 2 3", "ZRANGE z 0 -1 WITHSCORES", "ZREMRANGEBYSCORE z (4 5",
        "ZRANGE z 0 -1", "ZREMRANGEBYSCORE z (1 (6", "ZREMRANGEBYSCORE z 7 -inf", "ZREMRANGEBYSCORE z 1 (1", "ZREMRANGEBYSCORE z -inf +inf",
        "EXISTS z", "ZREMRANGEBYSCORE z x 1", "ZREMRANGEBYSCORE z 1 nan", "ZREMRANGEBYSCORE str 0 1",
        "ZREMRANGEBYSCORE nosuch 0 1", "ZREMRANGEBYSCORE z 0",
        // ZLEXCOUNT, ZRANGEBYLEX, ZREVRANGEBYLEX, ZREMRANGEBYLEX, ZRANGE BYLEX
        "ZADD x 0 a 0 b 0 c 0 d 0 e 0 f 0 g 0 aa 0 ab", "ZLEXCOUNT x - +", "ZLEXCOUNT x [b [f", "ZLEXCOUNT x (b (f", "ZLEXCOUNT x [a (b",
        "ZLEXCOUNT x + -", "ZLEXCOUNT x - -", "ZLEXCOUNT x + +", "ZLEXCOUNT x [c [c", "ZLEXCOUNT x (c [c", "ZLEXCOUNT x [z +",
        "ZLEXCOUNT x - [", "ZLEXCOUNT x ( +", "ZLEXCOUNT x a b", "ZLEXCOUNT x [a +x", "ZLEXCOUNT nosuch - +", "ZLEXCOUNT str - +",
        "ZLEXCOUNT x - ", "ZRANGEBYLEX x - +", "ZRANGEBYLEX x [aa (c", "ZRANGEBYLEX x - + LIMIT 2 3", "ZRANGEBYLEX x - + LIMIT 2 -1",
        "ZRANGEBYLEX x - + LIMIT -1 3", "ZRANGEBYLEX x - + LIMIT 0 0", "ZRANGEBYLEX x - + LIMIT 20 1", "ZRANGEBYLEX x [b [b",
        "ZRANGEBYLEX x (b (b", "ZRANGEBYLEX x + -", "ZRANGEBYLEX x - + WITHSCORES", "ZRANGEBYLEX x - + LIMIT 1", "ZRANGEBYLEX x - + REV",
        "ZRANGEBYLEX x b c", "ZRANGEBYLEX x - + LIMIT x 1", "ZRANGEBYLEX nosuch - +", "ZRANGEBYLEX str - +", "ZRANGEBYLEX x -",
        "ZREVRANGEBYLEX x + -", "ZREVRANGEBYLEX x [f [b", "ZREVRANGEBYLEX x (f (b", "ZREVRANGEBYLEX x - +", "ZREVRANGEBYLEX x + - LIMIT 1 2",
        "ZREVRANGEBYLEX x + - LIMIT 8 5", "ZREVRANGEBYLEX x + - LIMIT 1 -1", "ZREVRANGEBYLEX x [c - LIMIT 0 2", "ZREVRANGEBYLEX str + -",
        "ZRANGE x [b [e BYLEX", "ZRANGE x [e [b BYLEX REV", "ZRANGE x - + BYLEX LIMIT 1 2", "ZRANGE x + - BYLEX REV LIMIT 1 2",
        "ZRANGE x - + BYLEX WITHSCORES", "ZRANGE x - + BYLEX BYSCORE", "ZRANGE x 0 1 BYSCORE BYSCORE", "ZRANGE x 0 1 REV REV",
        "ZRANGE x 0 -1 LIMIT 0 -1", "ZRANGE x 0 -1 LIMIT 1 -1", "ZRANGE x 0 -1 LIMIT 0 1", "ZREVRANGE x 0 -1 LIMIT 0 1",
        "ZRANGEBYSCORE x 0 1 REV", "ZRANGEBYSCORE x 0 1 LIMIT 1 2", "ZRANGE x a b BYLEX",
        "ZREMRANGEBYLEX x [aa [ab", "ZRANGE x 0 -1", "ZREMRANGEBYLEX x (f +", "ZRANGE x 0 -1", "ZREMRANGEBYLEX x + -",
        "ZREMRANGEBYLEX x [c (e", "ZRANGE x 0 -1", "ZREMRANGEBYLEX x - +", "EXISTS x", "ZREMRANGEBYLEX x - +", "ZREMRANGEBYLEX x a +",
        "ZREMRANGEBYLEX str - +", "ZREMRANGEBYLEX x -",
        // ZMSCORE
        "ZADD ms 1.5 a -2 b inf c", "ZMSCORE ms a b c d", "ZMSCORE ms d", "ZMSCORE nosuch a b", "ZMSCORE str a", "ZMSCORE ms",
        // ZUNIONSTORE, ZINTERSTORE
        "ZADD za 1 a 2 b 3 c", "ZADD zb 10 b 20 c 30 d", "SADD sa a d x", "ZUNIONSTORE u 2 za zb", "ZRANGE u 0 -1 WITHSCORES",
        "ZUNIONSTORE u 2 za zb WEIGHTS 2 0.5", "ZRANGE u 0 -1 WITHSCORES", "ZUNIONSTORE u 2 za zb AGGREGATE MIN", "ZRANGE u 0 -1 WITHSCORES",
        "ZUNIONSTORE u 2 za zb AGGREGATE max WEIGHTS 1 -1", "ZRANGE u 0 -1 WITHSCORES", "ZUNIONSTORE u 3 za zb sa", "ZRANGE u 0 -1 WITHSCORES",
        "ZUNIONSTORE u 3 za nosuch sa WEIGHTS 1 2 3", "ZRANGE u 0 -1 WITHSCORES", "ZUNIONSTORE u 1 nosuch", "EXISTS u",
        "ZINTERSTORE i 2 za zb", "ZRANGE i 0 -1 WITHSCORES", "ZINTERSTORE i 2 za zb WEIGHTS 3 1 AGGREGATE MIN", "ZRANGE i 0 -1 WITHSCORES",
        "ZINTERSTORE i 2 za zb AGGREGATE MAX", "ZRANGE i 0 -1 WITHSCORES", "ZINTERSTORE i 2 za sa", "ZRANGE i 0 -1 WITHSCORES",
        "ZINTERSTORE i 2 za nosuch", "EXISTS i", "ZINTERSTORE i 3 za zb sa", "EXISTS i", "ZADD zi 1 x inf a -inf b",
        "ZADD zj 1 x -inf a -inf b", "ZUNIONSTORE u 2 zi zj", "ZRANGE u 0 -1 WITHSCORES", "ZINTERSTORE i 2 zi zj", "ZRANGE i 0 -1 WITHSCORES",
        "ZUNIONSTORE u 2 zi zj WEIGHTS 0 1", "ZRANGE u 0 -1 WITHSCORES", "ZINTERSTORE i 2 zi zj WEIGHTS 1 0 AGGREGATE MIN",
        "ZRANGE i 0 -1 WITHSCORES", "ZINTERSTORE i 2 zi zj WEIGHTS 0 1 AGGREGATE MAX", "ZRANGE i 0 -1 WITHSCORES",
        "ZUNIONSTORE za 2 za zb", "ZRANGE za 0 -1 WITHSCORES", "SET d x", "ZINTERSTORE d 1 zb", "TYPE d",
        "ZUNIONSTORE u 0 za", "ZUNIONSTORE u -1 za", "ZUNIONSTORE u x za", "ZUNIONSTORE u 3 za zb", "ZUNIONSTORE u 2 za str",
        "ZUNIONSTORE u 2 za zb WEIGHTS 1", "ZUNIONSTORE u 2 za zb WEIGHTS 1 x", "ZUNIONSTORE u 2 za zb WEIGHTS 1 nan",
        "ZUNIONSTORE u 2 za zb AGGREGATE AVG", "ZUNIONSTORE u 2 za zb AGGREGATE", "ZUNIONSTORE u 2 za zb WITHSCORES",
        "ZUNIONSTORE u 2 za zb FOO", "ZINTERSTORE u 1 str", "ZINTERSTORE u 2 nosuch str", "ZINTERSTORE u 1", "ZUNIONSTORE u",
        "ZINTERSTORE i 2 za zb WEIGHTS 1 2 WEIGHTS 3 4", "ZRANGE i 0 -1 WITHSCORES",
        // GETDEL, GETEX
        "SET g v", "GETDEL g", "EXISTS g", "GETDEL g", "GETDEL l3", "GETDEL", "SET g v", "GETEX g", "GETEX g EX 100", "TTL g",
        "GETEX g PERSIST", "TTL g", "GETEX g PX 100000", "TTL g", "GETEX g EXAT 99999999999", "TTL g", "GETEX g PXAT 99999999999000",
        "TTL g", "GETEX g EX 100 EX 200", "TTL g", "GETEX g PERSIST PERSIST", "TTL g", "GETEX g EX 100 PX 100", "GETEX g EX 100 PERSIST",
        "GETEX g PERSIST EX 100", "GETEX g EX", "GETEX g KEEPTTL", "GETEX g NX", "GETEX g EX 0", "GETEX g EX -1", "GETEX g PX 0",
        "GETEX g EX x", "GETEX g EX 9223372036854775807", "GETEX g PX 9223372036854775807", "GETEX nosuch EX x", "GETEX nosuch",
        "GETEX l3", "GETEX l3 EX 1", "GETEX g EXAT 1", "EXISTS g", "SET g v", "GETEX g PXAT 1", "EXISTS g", "GETEX",
        // SMISMEMBER
        "SADD sm a b", "SMISMEMBER sm a c b", "SMISMEMBER nosuch a", "SMISMEMBER str a", "SMISMEMBER sm",
        // COPY
        "SET c1 v", "COPY c1 c2", "GET c2", "COPY c1 c2", "SET c1 w", "COPY c1 c2 REPLACE", "GET c2", "COPY c1 c1",
        "COPY nosuch c2", "COPY nosuch nosuch", "COPY c1 c2 DB 0 REPLACE", "GET c2", "COPY c1 c2 DB x", "COPY c1 c2 DB",
        "COPY c1 c2 FOO", "COPY c1", "EXPIRE c1 100", "COPY c1 c3", "TTL c3", "RPUSH cl a b c", "COPY cl cl2", "RPUSH cl2 d",
        "LRANGE cl 0 -1", "LRANGE cl2 0 -1", "HSET ch f v g w", "COPY ch ch2", "HSET ch2 f z", "HGET ch f", "HGET ch2 f",
        "HLEN ch2", "SADD cs a b", "COPY cs cs2", "SREM cs2 a", "SMEMBERS cs", "SMEMBERS cs2", "ZADD cz 1 a 2 b", "COPY cz cz2",
        "ZADD cz2 5 a", "ZRANGE cz 0 -1 WITHSCORES", "ZRANGE cz2 0 -1 WITHSCORES", "COPY cz str", "COPY cz str REPLACE",
        "TYPE str", "ZRANGE str 0 -1",
        // MULTI/EXEC/DISCARD: queued replies, errors inside (the others still run), refusals while queuing
        "MULTI", "SET mx 1", "INCR mx", "LPUSH mx a", "GET mx", "INCRBY mx 5", "EXEC", "GET mx",
        "MULTI", "SET my 1", "NOSUCH cmd", "EXEC", "GET my", "MULTI", "SET my 1", "GET", "EXEC", "EXISTS my",
        "EXEC", "DISCARD", "MULTI", "MULTI", "WATCH mx", "SET my 2", "DISCARD", "GET my", "MULTI", "EXEC",
        "MULTI", "EXEC x", "EXEC", "EXEC x", "MULTI", "DISCARD x", "DISCARD", "MULTI", "PING", "ECHO hi", "DBSIZE", "EXEC",
        "MULTI", "RPUSH ml a b c", "LPOP ml", "LRANGE ml 0 -1", "SADD ms a", "SMEMBERS ms", "DEL ml ms", "EXEC",
        // WATCH, one client: its own change of a watched key fails EXEC too; UNWATCH forgets
        "WATCH mw", "SET mw 1", "MULTI", "SET mw 2", "EXEC", "GET mw", "WATCH mw", "UNWATCH", "SET mw 3", "MULTI",
        "SET mw 4", "EXEC", "GET mw", "WATCH mw nosuch", "MULTI", "GET mw", "EXEC", "UNWATCH", "WATCH",
        // blocking list commands where they need not wait: elements there, timeouts, errors, inside MULTI
        "RPUSH bq a b c", "BLPOP bq 0", "BRPOP nosuch bq 1", "BLPOP bq 0.01", "BLPOP nosuch 0.01", "BRPOP nosuch 0.01",
        "BLPOP bq -1", "BLPOP bq x", "BLPOP bq", "BRPOP", "SET bs v", "BLPOP nosuch bs 1", "BLPOP bs nosuch 1",
        "BRPOP bs 1", "RPUSH bm1 x y", "BLMOVE bm1 bm2 LEFT RIGHT 0", "BLMOVE bm1 bm1 RIGHT LEFT 0", "LRANGE bm1 0 -1",
        "LRANGE bm2 0 -1", "BLMOVE nosuch bm2 LEFT LEFT 0.01", "BLMOVE bm1 bm2 UP LEFT 1", "BLMOVE bm1 bs LEFT LEFT 1",
        "BLMOVE bs bm1 LEFT LEFT 1", "BLMOVE bm1 bm2 LEFT LEFT -2", "BLMOVE bm1 bm2 LEFT", "BRPOPLPUSH bm2 bm3 0",
        "BRPOPLPUSH bm2 bm3 0.01", "BRPOPLPUSH bm3 bm3 0", "LRANGE bm3 0 -1", "EXISTS bm2", "BRPOPLPUSH bs bm3 1",
        "BRPOPLPUSH nosuch bs 0.01", "MULTI", "BLPOP nosuch 10", "BLMOVE nosuch x LEFT LEFT 10", "RPUSH bx 1",
        "BLPOP bx 10", "EXEC",
        // ZPOPMIN/ZPOPMAX, BZPOPMIN/BZPOPMAX
        "ZADD zp 1 a 2 b 3 c 4 d 5 e", "ZPOPMIN zp", "ZPOPMAX zp", "ZPOPMIN zp 2", "ZPOPMAX zp 5", "EXISTS zp",
        "ZPOPMIN nosuch", "ZPOPMIN nosuch 2", "ZADD zp 1 a", "ZPOPMIN zp -1", "ZPOPMIN zp x", "ZPOPMIN zp 1 2",
        "ZPOPMIN zp 0", "ZPOPMIN bs", "ZPOPMAX", "ZADD zq 1 a 1 b 2 c", "BZPOPMIN zq 0", "BZPOPMAX nosuch zq 0.01",
        "BZPOPMIN nosuch 0.01", "BZPOPMIN bs 1", "BZPOPMIN zq -1", "BZPOPMIN zq x", "BZPOPMAX zq", "MULTI",
        "BZPOPMIN nosuch 10", "BZPOPMAX zq 10", "EXEC", "ZRANGE zq 0 -1 WITHSCORES",
        // LMPOP, BLMPOP, ZMPOP, BZMPOP
        "RPUSH mp1 a b c d", "RPUSH mp2 x", "LMPOP 2 nosuch mp1 LEFT", "LMPOP 2 nosuch mp1 RIGHT COUNT 2",
        "LMPOP 1 mp1 LEFT COUNT 10", "EXISTS mp1", "LMPOP 2 mp1 mp2 RIGHT", "LMPOP 1 mp2 LEFT", "LMPOP 0 mp1 LEFT",
        "LMPOP -1 mp1 LEFT", "LMPOP x mp1 LEFT", "LMPOP 3 a b LEFT", "LMPOP 1 mp1 UP", "LMPOP 1 mp1 LEFT COUNT 0",
        "LMPOP 1 mp1 LEFT COUNT -1", "LMPOP 1 mp1 LEFT COUNT x", "LMPOP 1 mp1 LEFT COUNT 1 COUNT 1",
        "LMPOP 1 mp1 LEFT junk", "LMPOP 2 bs mp1 LEFT", "LMPOP 1", "RPUSH mp3 1 2", "BLMPOP 0 1 mp3 LEFT",
        "BLMPOP 0.01 2 nosuch mp3 RIGHT COUNT 5", "BLMPOP 0.01 1 nosuch LEFT", "BLMPOP -1 1 mp3 LEFT",
        "BLMPOP x 1 mp3 LEFT", "BLMPOP 1 0 mp3 LEFT", "BLMPOP 1 1 bs LEFT", "ZADD zm1 1 a 2 b 3 c",
        "ZMPOP 2 nosuch zm1 MIN", "ZMPOP 1 zm1 MAX COUNT 5", "EXISTS zm1", "ZMPOP 1 zm1 MIN", "ZMPOP 1 zm1 LEFT",
        "ZMPOP 0 zm1 MIN", "ZMPOP 1 bs MIN", "ZMPOP 1 zm1 MIN COUNT 0", "ZADD zm2 5 q", "BZMPOP 0 1 zm2 MAX",
        "BZMPOP 0.01 1 zm2 MIN", "BZMPOP x 1 zm2 MIN", "MULTI", "BLMPOP 10 1 nosuch LEFT", "BZMPOP 10 1 nosuch MIN",
        "EXEC",
        // TOUCH, EXPIRETIME, PEXPIRETIME
        "SET tx1 a", "SET tx2 b EXAT 4102444800", "TOUCH tx1 tx2 nosuch tx1", "TOUCH nosuch", "EXPIRETIME tx1",
        "EXPIRETIME tx2", "PEXPIRETIME tx2", "EXPIRETIME nosuch", "PEXPIRETIME nosuch", "PEXPIREAT tx1 4102444800123",
        "PEXPIRETIME tx1", "EXPIRETIME tx1", "EXPIRETIME", "TOUCH", "EXPIRETIME tx1 tx2",
        // SINTERCARD
        "SADD sc1 a b c d", "SADD sc2 b c d e", "SADD sc3 c d", "SINTERCARD 2 sc1 sc2", "SINTERCARD 3 sc1 sc2 sc3",
        "SINTERCARD 2 sc1 sc2 LIMIT 2", "SINTERCARD 2 sc1 sc2 LIMIT 0", "SINTERCARD 2 sc1 nosuch",
        "SINTERCARD 2 nosuch str", "SINTERCARD 1 str", "SINTERCARD 0 sc1", "SINTERCARD x sc1", "SINTERCARD 3 sc1 sc2",
        "SINTERCARD 1 sc1 LIMIT -1", "SINTERCARD 1 sc1 LIMIT x", "SINTERCARD 1 sc1 LIMIT", "SINTERCARD 1 sc1 junk",
        "SINTERCARD 1 sc1 LIMIT 1 LIMIT 3", "SINTERCARD 1",
        // ZUNION, ZINTER, ZDIFF, ZDIFFSTORE, ZINTERCARD
        "ZADD zo1 1 a 2 b 3 c", "ZADD zo2 4 b 5 c 6 d", "SADD so3 c d e", "ZUNION 2 zo1 zo2",
        "ZUNION 2 zo1 zo2 WITHSCORES", "ZUNION 3 zo1 zo2 so3 WEIGHTS 1 2 3 WITHSCORES",
        "ZUNION 2 zo1 zo2 AGGREGATE MAX WITHSCORES", "ZINTER 2 zo1 zo2 WITHSCORES",
        "ZINTER 3 zo1 zo2 so3 AGGREGATE MIN WITHSCORES", "ZINTER 2 zo1 nosuch", "ZDIFF 2 zo1 zo2 WITHSCORES",
        "ZDIFF 3 zo2 zo1 so3", "ZDIFF 1 zo1", "ZDIFF 2 zo1 zo2 WEIGHTS 1 1", "ZDIFF 2 zo1 zo2 AGGREGATE SUM",
        "ZDIFF 2 nosuch zo1", "ZDIFFSTORE zd 2 zo1 zo2", "ZRANGE zd 0 -1 WITHSCORES", "ZDIFFSTORE zd 2 zo1 zo1",
        "EXISTS zd", "ZDIFFSTORE zd 1 str", "ZINTERCARD 2 zo1 zo2", "ZINTERCARD 3 zo1 zo2 so3",
        "ZINTERCARD 2 zo1 zo2 LIMIT 1", "ZINTERCARD 2 zo1 zo2 WITHSCORES", "ZINTERCARD 0 zo1", "ZINTERCARD 2 zo1 str",
        "ZINTERCARD 1 zo1 LIMIT -1", "ZUNION 0 zo1", "ZUNION 3 zo1 zo2", "ZUNION 2 zo1 str", "ZUNION x zo1",
        "ZINTER 2 zo1 zo2 WEIGHTS 1", "ZINTER 2 zo1 zo2 WEIGHTS 1 x", "ZINTER 2 zo1 zo2 AGGREGATE AVG",
        "ZUNION 1 zo1 WITHSCORES WITHSCORES", "ZUNIONSTORE zu 2 zo1 zo2 WITHSCORES", "ZADD zo4 2 x 2 a 2 m",
        "ZUNION 2 zo4 zo1 AGGREGATE MIN WITHSCORES", "ZINTER 1 zo4 WEIGHTS -1 WITHSCORES", "ZUNION 1",
        // ZRANGESTORE
        "ZRANGESTORE zr zo1 0 -1", "ZRANGE zr 0 -1 WITHSCORES", "ZRANGESTORE zr zo2 (4 +inf BYSCORE",
        "ZRANGE zr 0 -1 WITHSCORES", "ZRANGESTORE zr zo2 5 0 BYSCORE REV LIMIT 0 1", "ZRANGE zr 0 -1 WITHSCORES",
        "ZRANGESTORE zr zo1 [b + BYLEX", "ZRANGE zr 0 -1 WITHSCORES", "ZRANGESTORE zr zo1 5 9", "EXISTS zr",
        "ZRANGESTORE zr nosuch 0 -1", "ZRANGESTORE zr zo1 0 -1 WITHSCORES", "ZRANGESTORE zr str 0 -1",
        "ZRANGESTORE zr zo1 0 -1 LIMIT 0 1", "ZRANGESTORE zr zo1 0", "SET zr x", "ZRANGESTORE zr zo1 0 0", "TYPE zr",
        "ZRANGESTORE zr zo1 -1 0 REV", "ZRANGE zr 0 -1 WITHSCORES",
        // SSCAN, HSCAN, ZSCAN (collections small enough to come back whole)
        // (a set of strings is a hash table in Redis 7.0: which of its members one call with a small COUNT
        // returns depends on the table's layout, so only whole iterations are compared)
        "SADD ss1 a b c d", "SSCAN ss1 0", "SSCAN ss1 0 MATCH [ab]", "SADD ss2 5 -3 100 7", "SSCAN ss2 0 COUNT 2",
        "SSCAN ss2 0", "SSCAN ss2 0 MATCH 1*", "SSCAN nosuch 0", "SSCAN nosuch 0 BADOPT", "SSCAN str 0", "SSCAN ss1 x",
        "SSCAN ss2 -1", "SSCAN ss2 +7", "SSCAN ss2 \"\"", "SSCAN ss2 18446744073709551616", "SSCAN ss2 1.5",
        "SSCAN ss1 0 COUNT 0", "SSCAN ss1 0 COUNT x", "SSCAN ss1 0 MATCH", "SSCAN ss1 0 TYPE set",
        "SSCAN ss1", "HSET hs1 f1 v1 f2 v2 g3 v3", "HSCAN hs1 0", "HSCAN hs1 0 MATCH f*", "HSCAN hs1 0 MATCH * COUNT 1",
        "HSCAN nosuch 0", "HSCAN ss1 0", "ZADD zs1 3 c 1 a 2 b", "ZSCAN zs1 0", "ZSCAN zs1 0 MATCH [bc]",
        "ZADD zs1 2.5 d", "ZSCAN zs1 0", "ZSCAN hs1 0", "ZSCAN zs1 0 junk 1",
        // CLIENT (what does not depend on addresses and ids), SCRIPT FLUSH, FUNCTION FLUSH
        "CLIENT GETNAME", "CLIENT SETNAME my-conn", "CLIENT GETNAME", "CLIENT SETNAME \"\"", "CLIENT GETNAME",
        "CLIENT SETNAME a b", "CLIENT SETNAME", "CLIENT SETNAME é", "CLIENT GETNAME x", "CLIENT FOO", "CLIENT",
        "CLIENT NO-EVICT on", "CLIENT NO-EVICT maybe", "CLIENT KILL 1.2.3.4:5", "CLIENT KILL ID 0", "CLIENT KILL ID x",
        "CLIENT KILL ID 999999", "CLIENT KILL TYPE foo", "CLIENT KILL TYPE master", "CLIENT KILL SKIPME maybe",
        "CLIENT KILL ID", "CLIENT KILL ADDR 1.2.3.4:5 SKIPME no", "CLIENT LIST TYPE foo", "CLIENT LIST TYPE pubsub",
        "CLIENT LIST ID 0", "CLIENT LIST ID x", "CLIENT LIST junk", "CLIENT KILL", "SCRIPT FLUSH", "SCRIPT FLUSH ASYNC",
        "SCRIPT FLUSH x", "SCRIPT FLUSH a b", "FUNCTION FLUSH", "FUNCTION FLUSH SYNC", "FUNCTION FLUSH x",
        "FUNCTION FLUSH a b",
        // HRANDFIELD, ZRANDMEMBER
        "HSET hr f1 v1 f2 v2 f3 v3", "HRANDFIELD hr", "HRANDFIELD hr 2", "HRANDFIELD hr 5", "HRANDFIELD hr -5",
        "HRANDFIELD hr 2 WITHVALUES", "HRANDFIELD hr -4 WITHVALUES", "HRANDFIELD hr 0", "HRANDFIELD nosuch",
        "HRANDFIELD nosuch 3", "HRANDFIELD hr x", "HRANDFIELD hr 1 junk", "HRANDFIELD hr 1 WITHVALUES x",
        "HRANDFIELD hr -9223372036854775808", "HRANDFIELD hr -9223372036854775807 WITHVALUES", "HRANDFIELD str",
        "HRANDFIELD str 1", "ZADD zrm 1 a 2 b 3 c", "ZRANDMEMBER zrm", "ZRANDMEMBER zrm 2 WITHSCORES",
        "ZRANDMEMBER zrm -6 WITHSCORES", "ZRANDMEMBER zrm 9", "ZRANDMEMBER nosuch", "ZRANDMEMBER nosuch 1",
        "ZRANDMEMBER zrm 1 WITHVALUES", "ZRANDMEMBER hr", "ZRANDMEMBER zrm 1 WITHSCORES x", "HRANDFIELD",
        // LCS
        "SET lcs1 ohmytext", "SET lcs2 mynewtext", "LCS lcs1 lcs2", "LCS lcs1 lcs2 LEN", "LCS lcs1 lcs2 IDX",
        "LCS lcs1 lcs2 IDX MINMATCHLEN 4", "LCS lcs1 lcs2 IDX MINMATCHLEN 4 WITHMATCHLEN", "LCS lcs1 lcs2 IDX WITHMATCHLEN",
        "LCS lcs1 nosuch", "LCS nosuch nosuch2 IDX", "LCS lcs1 lcs2 LEN IDX", "LCS lcs1 lcs2 MINMATCHLEN x",
        "LCS lcs1 lcs2 MINMATCHLEN", "LCS lcs1 lcs2 junk", "LCS lcs1 hr", "LCS lcs1", "SET lcs3 abcabcabc",
        "SET lcs4 cbacbacba", "LCS lcs3 lcs4 IDX WITHMATCHLEN", "LCS lcs3 lcs4", "LCS lcs1 lcs2 IDX MINMATCHLEN -3",
        "LCS lcs1 lcs1 IDX", "LCS lcs1 lcs2 WITHMATCHLEN", "SET lcs5 1234", "INCR lcs5", "LCS lcs5 lcs1 IDX",
        "LCS hr lcs1 LEN",
        // SORT, SORT_RO
        "RPUSH sl 3 1 2 10", "SORT sl", "SORT sl DESC", "SORT sl ALPHA", "SORT sl LIMIT 1 2", "SORT sl LIMIT -5 2",
        "SORT sl LIMIT 2 -1", "SORT sl LIMIT 10 3", "SORT nosuch", "SORT str", "SORT sl BY nosort",
        "SORT sl BY nosort DESC LIMIT 1 2", "RPUSH sa b a c", "SORT sa", "SORT sa ALPHA DESC",
        "MSET w_1 30 w_2 20 w_3 10 w_10 0", "SORT sl BY w_*", "SORT sl BY w_* GET # GET w_*", "HSET hw_1 f c",
        "HSET hw_2 f a", "HSET hw_3 f b", "HSET hw_10 f d", "SORT sl BY hw_*->f ALPHA GET hw_*->f GET #",
        "SORT sl GET nosuch_*", "SORT sl GET constant", "SORT sl GET hw_*->", "SORT sl STORE sd", "LRANGE sd 0 -1",
        "SORT sl BY w_* GET # GET nosuch_* STORE sd", "LRANGE sd 0 -1", "SORT nosuch STORE sd", "EXISTS sd",
        "SORT_RO sl", "SORT_RO sl STORE sd", "SADD sset 5 3 9", "SORT sset", "SORT sset DESC LIMIT 0 2",
        "SORT sset BY nosort STORE sd", "LRANGE sd 0 -1", "ZADD szs 1 c 2 a 3 b", "SORT szs ALPHA", "SORT szs BY nosort",
        "SORT szs BY nosort DESC LIMIT 0 2", "SORT sl LIMIT", "SORT sl LIMIT x 1", "SORT sl junk", "SORT sl GET",
        "SORT sl BY", "SORT sl STORE", "RPUSH sf 1.5 -2 1e2 inf \"\"", "SORT sf", "RPUSH sbad 1 x", "SORT sbad",
        "SORT sbad ALPHA", "SORT sl BY w_* ALPHA", "SORT sl BY nosuch_*", "SORT sl BY w_* DESC LIMIT 1 1 GET w_*",
        "SORT", "SORT sl ASC DESC ASC", "SORT sl BY hw_*->f", "SORT sl BY w_*->f",
        // scores as Redis 7.0 prints them (%.17g), and as ZSCAN of a small set returns them (integers kept as such)
        "ZADD sc 0.1 q 1e20 r 123456789012345678 t 1.5e-7 s 3.3 u -2.5 v 0 w", "ZRANGE sc 0 -1 WITHSCORES", "ZSCORE sc q",
        "ZMSCORE sc t s nosuch", "ZINCRBY sc 0.2 q", "ZADD sc INCR 1e-5 u", "ZSCAN sc 0", "ZPOPMAX sc", "ZPOPMIN sc 2",
        "ZRANGEBYSCORE sc -inf +inf WITHSCORES", "ZUNION 2 sc sc WITHSCORES", "ZINTER 1 sc WEIGHTS 0.3 WITHSCORES",
        // OBJECT and the encoding thresholds (small ones here, so that conversions happen), CONFIG SET's checks
        "CONFIG SET hash-max-listpack-entries 4 hash-max-listpack-value 8 zset-max-listpack-entries 4 zset-max-listpack-value 8",
        "CONFIG SET set-max-intset-entries 4", "CONFIG GET hash-max-listpack-entries", "CONFIG GET hash-max-ziplist-value",
        "CONFIG GET zset-max-ziplist-entries", "CONFIG GET zset-max-listpack-value",
        "CONFIG GET set-max-intset-entries", "CONFIG GET list-max-listpack-size", "CONFIG GET list-compress-depth",
        "SET oe1 123", "OBJECT ENCODING oe1", "OBJECT REFCOUNT oe1", "SET oe2 12345", "OBJECT REFCOUNT oe2",
        "OBJECT ENCODING oe2", "SET oe3 hello", "OBJECT ENCODING oe3", "OBJECT REFCOUNT oe3",
        "SET oe4 aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "OBJECT ENCODING oe4",
        "SET oe4b aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "OBJECT ENCODING oe4b", "APPEND oe1 x",
        "OBJECT ENCODING oe1", "APPEND oe5 12", "OBJECT ENCODING oe5", "SETRANGE oe6 0 ab", "OBJECT ENCODING oe6",
        "INCRBYFLOAT oe7 3", "OBJECT ENCODING oe7", "INCR oe8", "OBJECT ENCODING oe8", "OBJECT REFCOUNT oe8",
        "INCRBY oe8 100000", "OBJECT REFCOUNT oe8", "SET oe9 01", "OBJECT ENCODING oe9", "SET oe10 -0",
        "OBJECT ENCODING oe10", "SET oe11 \"\"", "OBJECT ENCODING oe11", "SET oe12 12345678901234567890",
        "OBJECT ENCODING oe12", "SET oe13 -9223372036854775808", "OBJECT ENCODING oe13", "GETSET oe5 7",
        "OBJECT ENCODING oe5", "MSET oe6 8 oe7 9", "OBJECT ENCODING oe6", "OBJECT ENCODING oe7",
        "RPUSH oel a", "OBJECT ENCODING oel",
        "HSET oeh a 1 b 2", "OBJECT ENCODING oeh", "HSET oeh c 3 d 4 e 5", "OBJECT ENCODING oeh",
        "HDEL oeh a b c d", "OBJECT ENCODING oeh", "HSET oeh2 f 123456789", "OBJECT ENCODING oeh2",
        "HSETNX oeh3 f short", "OBJECT ENCODING oeh3", "HSETNX oeh3 f 123456789", "OBJECT ENCODING oeh3",
        "HINCRBY oeh5 n 1", "OBJECT ENCODING oeh5", "HSET oeh6 longfieldname 1", "OBJECT ENCODING oeh6",
        "SADD oes 1 2 3", "OBJECT ENCODING oes", "SADD oes 4 5", "OBJECT ENCODING oes", "SREM oes 1 2 3 4",
        "OBJECT ENCODING oes", "SADD oes2 a", "OBJECT ENCODING oes2", "SADD oes3 1 -0", "OBJECT ENCODING oes3",
        "SADD oes4 01", "OBJECT ENCODING oes4", "SADD oes8 9 -12", "OBJECT ENCODING oes8",
        "ZADD oez 1 a 2 b", "OBJECT ENCODING oez", "ZADD oez 3 c 4 d 5 e", "OBJECT ENCODING oez", "ZREM oez a b c d",
        "OBJECT ENCODING oez", "ZADD oez2 1 abcdefghij", "OBJECT ENCODING oez2", "ZINCRBY oez4 1 m", "OBJECT ENCODING oez4",
        "ZUNIONSTORE oez3 1 oez", "OBJECT ENCODING oez3", "ZUNIONSTORE oez5 2 oez2 oez", "OBJECT ENCODING oez5",
        "ZRANGESTORE oez6 oez2 0 -1", "OBJECT ENCODING oez6",
        "SINTERSTORE oes5 oes oes", "OBJECT ENCODING oes5", "SUNIONSTORE oes6 oes2 oes", "OBJECT ENCODING oes6",
        "SDIFFSTORE oes9 oes3 oes2", "OBJECT ENCODING oes9", "SMOVE oes2 oes7 a", "OBJECT ENCODING oes7",
        "COPY oeh oeh4", "OBJECT ENCODING oeh4", "COPY oes oes10", "OBJECT ENCODING oes10", "COPY oez oez7",
        "OBJECT ENCODING oez7", "COPY oe1 oe1c", "OBJECT ENCODING oe1c", "RENAME oe1 oe1r", "OBJECT ENCODING oe1r",
        "RENAME oeh oehr", "OBJECT ENCODING oehr", "SORT oes ALPHA STORE oesl", "OBJECT ENCODING oesl",
        "OBJECT ENCODING nosuch", "OBJECT REFCOUNT nosuch", "OBJECT", "OBJECT ENCODING", "OBJECT ENCODING a b",
        "OBJECT FOO x", "OBJECT HELP", "OBJECT HELP x", "OBJECT FREQ oe3", "OBJECT FREQ nosuch", "OBJECT IDLETIME nosuch",
        "CONFIG SET hash-max-listpack-entries x", "CONFIG SET foo 1", "CONFIG SET hash-max-listpack-entries -1",
        "CONFIG SET list-max-listpack-size -6", "CONFIG SET hash-max-listpack-entries 1 hash-max-listpack-entries 2",
        "CONFIG SET hash-max-listpack-entries", "CONFIG SET set-max-intset-entries 5 foo 1",
        "CONFIG GET set-max-intset-entries",
        "CONFIG SET hash-max-listpack-entries 512 hash-max-listpack-value 64 zset-max-listpack-entries 128",
        "CONFIG SET zset-max-listpack-value 64 set-max-intset-entries 512 list-max-listpack-size -2",
    };

    /** WATCH across two clients: a change by the other one fails EXEC, a change of another key does not. */
    static final String[][] WATCH_CASES = {
        // {who (1 or 2), command}
        {"1", "SET wk 1"}, {"1", "WATCH wk"}, {"2", "SET wk 2"}, {"1", "MULTI"}, {"1", "SET wk 3"}, {"1", "EXEC"},
        {"1", "GET wk"},
        {"1", "WATCH wk"}, {"2", "SET other 1"}, {"1", "MULTI"}, {"1", "INCR wk"}, {"1", "EXEC"}, {"1", "GET wk"},
        {"1", "WATCH wk"}, {"1", "MULTI"}, {"2", "DEL wk"}, {"1", "SET wk 9"}, {"1", "EXEC"}, {"2", "EXISTS wk"},
        {"1", "SADD wsa x"}, {"1", "WATCH wsa"}, {"2", "SINTERSTORE wsd wsa"}, {"1", "MULTI"}, {"1", "SADD wsa y"},
        {"1", "EXEC"}, {"1", "SMEMBERS wsa"}, {"1", "WATCH wsd"}, {"2", "SUNIONSTORE wsd wsa"}, {"1", "MULTI"},
        {"1", "DEL wsd"}, {"1", "EXEC"}, {"1", "EXISTS wsd"},
        {"1", "WATCH wl"}, {"2", "RPUSH wl a"}, {"2", "LPOP wl"}, {"1", "MULTI"}, {"1", "RPUSH wl b"}, {"1", "EXEC"},
        {"1", "LLEN wl"}, {"1", "WATCH wk"}, {"2", "SET wk same"}, {"1", "UNWATCH"}, {"1", "MULTI"}, {"1", "GET wk"},
        {"1", "EXEC"},
    };

    /** A real redis-server for differential tests (without persistence), and a first client of it. */
    static final class Redis implements AutoCloseable {
        final Process p;
        final int port;
        final Client first;
        private final Thread reaper;

        Redis(String... extra) throws Exception {
            String redisServer = findRedisServer();
            if (redisServer == null) {
                throw new AssertionError("redis-server is missing: this test compares pmem-kv with it; make deps installs"
                        + " the Debian package redis-server (or: apt-get install redis-server)");
            }
            port = freePort();
            List<String> cmd = new ArrayList<>(List.of(redisServer, "--port", Integer.toString(port), "--bind", "127.0.0.1",
                    "--save", "", "--appendonly", "no", "--daemonize", "no", "--dir", heapDir));
            cmd.addAll(List.of(extra));
            p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            reaper = new Thread(p::destroyForcibly);   // also when this JVM is interrupted
            Runtime.getRuntime().addShutdownHook(reaper);
            Client rc = null;
            for (long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20); rc == null; ) {
                try {
                    rc = new Client(port);
                } catch (IOException e) {
                    if (System.nanoTime() > deadline || !p.isAlive()) {
                        close();
                        throw new AssertionError("redis-server did not start on port " + port + ": " + e);
                    }
                    Thread.sleep(50);
                }
            }
            first = rc;
        }

        @Override
        public void close() throws Exception {
            p.destroyForcibly();
            p.waitFor();
            Runtime.getRuntime().removeShutdownHook(reaper);
        }
    }

    /**
     * Replication with an unmodified redis-server as pmem-kv's replica: a
     * full sync of what was there, the stream under writes from four clients
     * (random commands and the ones replication must rewrite: SPOP, float
     * increments, relative expiry times, blocking pops, MULTI/EXEC, SORT
     * STORE, RESTORE), PSYNC continuation after the link dropped, a full
     * sync for a PSYNC that cannot continue, after kill -9 of the replica
     * and after kill -9 of pmem-kv; each time both datasets are
     * compared key by key (values, expiry times) once the replica caught up.
     */
    static void replication() throws Exception {
        String heap = newHeap("repl");
        Server s = new Server(heap, "--repl-backlog-size", "64k");
        java.util.Random rnd = new java.util.Random(Long.getLong("kv.seed", 20261207L));
        try (Client kv = s.client()) {
            for (int i = 0; i < 300; i++) {
                kv.callValue(randomCommand(rnd));
            }
            kv.call("SET", "big", "y".repeat(100_000));
            kv.call("SET", "later", "v", "PX", "600000");
            kv.call("HSET", "h1", "f", "1");
            try (Redis replica = new Redis("--replicaof", "127.0.0.1", Integer.toString(s.port))) {
                Client r = replica.first;
                sameData(kv, r, "after the first full sync");
                replLoad(s, 4, 300, rnd.nextLong());
                check(kv.call("SET", "w", "1").equals("OK") && kv.call("WAIT", "1", "10000").equals("1"),
                        "WAIT 1 answers 1 once the replica acknowledged");
                sameData(kv, r, "under load from four clients");
                String partial0 = info(kv, "sync_partial_ok");
                r.call("CLIENT", "KILL", "TYPE", "master");   // the link drops; the replica comes back with PSYNC
                replLoad(s, 1, 40, rnd.nextLong());
                sameData(kv, r, "after PSYNC");
                check(Long.parseLong(info(kv, "sync_partial_ok")) == Long.parseLong(partial0) + 1,
                        "the replica continued with PSYNC (sync_partial_ok " + info(kv, "sync_partial_ok") + ")");
                long err0 = Long.parseLong(info(kv, "sync_partial_err"));
                r.call("REPLICAOF", "NO", "ONE");   // leaves (and takes a replication id of its own)
                for (int i = 0; i < 100; i++) {   // 100 KB: past the 64 KB backlog
                    kv.call("SET", "fill" + i, "z".repeat(1000));
                }
                r.call("REPLICAOF", "127.0.0.1", Integer.toString(s.port));
                sameData(kv, r, "after a full sync (PSYNC of another history)");
                check(info(kv, "sync_full").equals("2") && Long.parseLong(info(kv, "sync_partial_err")) == err0 + 1,
                        "a replica that cannot continue syncs in full (sync_full " + info(kv, "sync_full") + ", sync_partial_err " + info(kv, "sync_partial_err") + ")");
                String[] role = kv.call("ROLE").replaceAll("[\\[\\]]", "").split(", ");
                check(role[0].equals("master") && role[2].equals("127.0.0.1"), "ROLE lists the replica: " + kv.call("ROLE"));
            }   // kill -9 of the replica
            replLoad(s, 2, 100, rnd.nextLong());
            try (Redis replica = new Redis("--replicaof", "127.0.0.1", Integer.toString(s.port))) {
                sameData(kv, replica.first, "after kill -9 of the replica");
                s.kill9();
                s = new Server(heap, "--repl-backlog-size", "64k");
                try (Client kv2 = s.client()) {
                    replica.first.call("REPLICAOF", "127.0.0.1", Integer.toString(s.port));
                    replLoad(s, 2, 100, rnd.nextLong());
                    sameData(kv2, replica.first, "after kill -9 of pmem-kv (a new replication id: full sync)");
                }
            }
            System.out.println("  " + info(s.client(), "sync_full") + " full syncs in the last run;"
                    + " replicas equal key by key after each phase");
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "\npmem-kv's output:\n" + s.output, e);
        } finally {
            s.kill9();
        }
    }

    /**
     * pmem-kv as the replica of an unmodified redis-server: a full sync
     * (Redis's diskless RDB) of what the master had, after a first one was
     * cut by a crash half way, its stream under writes
     * from four clients, READONLY for clients, kill -9 of pmem-kv in the
     * middle of the stream and a restart that continues with PSYNC from the
     * offset recorded in the persistent heap (every INCR applied exactly
     * once: the datasets are equal key by key), and REPLICAOF NO ONE.
     */
    static void replica() throws Exception {
        try (Redis master = new Redis("--repl-diskless-sync-delay", "0", "--repl-backlog-size", "16mb")) {
            Client r = master.first;
            java.util.Random rnd = new java.util.Random(Long.getLong("kv.seed", 20261207L) + 1);
            for (int i = 0; i < 300; i++) {
                r.callValue(randomCommand(rnd));
            }
            r.call("SET", "big", "y".repeat(100_000));
            r.call("SET", "later", "v", "PX", "600000");
            r.call("HSET", "h1", "f", "1");
            for (int i = 0; i < 300; i++) {   // past the listpack sizes: quicklists, hash tables, skiplists
                r.call("RPUSH", "bl", "e" + i);
                r.call("HSET", "bh", "f" + i, "v" + i);
                r.call("ZADD", "bz", Integer.toString(i % 7), "m" + i);
                r.call("SADD", "bs", Integer.toString(i * 3));
            }
            for (int b = 0; b < 3; b++) {   // 3,000 more keys: a full sync of two batches
                List<String> mset = new ArrayList<>(List.of("MSET"));
                for (int i = 0; i < 1000; i++) {
                    mset.add("fs:" + b + ":" + i);
                    mset.add("v" + i);
                }
                r.call(mset.toArray(String[]::new));
            }
            String heap = newHeap("replica");
            // A crash in the middle of the first full sync (after the first of its batches): the history it
            // dropped first makes the restart sync in full again.
            Server crashing = new Server(heap, "--replicaof", "127.0.0.1 " + master.port, "-Dpmemkv.test.crashAfterBatches=1");
            check(crashing.p.waitFor(60, TimeUnit.SECONDS) && crashing.p.exitValue() == 97,
                    "pmem-kv halted in the middle of its full sync:\n" + crashing.output);
            Server.live.remove(crashing);
            long full0 = Long.parseLong(info(r, "sync_full"));
            Server s = new Server(heap);   // the heap says whose replica it is; it has no history
            try {
                try (Client kv = s.client()) {
                    sameData(kv, r, false, "after a full sync from redis-server that followed a crashed one");
                    check(Long.parseLong(info(r, "sync_full")) == full0 + 1, "the restart synced in full: sync_full "
                            + info(r, "sync_full") + " after " + full0);
                    check(kv.call("SET", "x", "1").startsWith("-READONLY"), "a replica refuses writes: " + kv.call("SET", "x", "1"));
                    check(kv.call("ROLE").startsWith("[slave, 127.0.0.1, " + master.port), "ROLE: " + kv.call("ROLE"));
                    replLoad(master.port, 4, 300, rnd.nextLong());
                    sameData(kv, r, false, "under load from four clients of redis-server");
                }
                long partial0 = Long.parseLong(info(r, "sync_partial_ok"));
                Thread load = new Thread(() -> {
                    try {
                        replLoad(master.port, 2, 600, 99);
                    } catch (Exception e) {
                        throw new RuntimeException(e);
                    }
                });
                load.start();
                Thread.sleep(300);
                s.kill9();   // in the middle of the stream
                load.join();
                s = new Server(heap);   // no --replicaof: the heap says whose replica it is and how far it got
                try (Client kv = s.client()) {
                    sameData(kv, r, false, "after kill -9 of pmem-kv and a restart");
                    check(Long.parseLong(info(r, "sync_partial_ok")) == partial0 + 1,
                            "the restarted replica continued with PSYNC (sync_partial_ok " + info(r, "sync_partial_ok") + ")");
                    check(kv.call("REPLICAOF", "NO", "ONE").equals("OK") && kv.call("SET", "x", "1").equals("OK"),
                            "REPLICAOF NO ONE: writes are taken");
                    System.out.println("  " + s.output.toString().lines().filter(l -> l.contains("full sync")
                            || l.contains("continues")).map(String::trim).collect(java.util.stream.Collectors.joining("; ")));
                }
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + "\npmem-kv's output:\n" + s.output, e);
            } finally {
                s.kill9();
            }
        }
    }

    /**
     * MIGRATE between pmem-kv and a real redis-server, both ways: values and
     * expiry times arrive, the source loses the keys (not with COPY),
     * REPLACE, the target's BUSYKEY, NOKEY, the KEYS form and its checks,
     * MOVE's answers for pmem-kv's one database.
     */
    static void migrate() throws Exception {
        try (Redis redis = new Redis()) {
            Client r = redis.first;
            Server s = new Server(newHeap("migrate"));
            try (Client kv = s.client()) {
                String rp = Integer.toString(redis.port), kp = Integer.toString(s.port);
                kv.call("SET", "m1", "v1", "PX", "500000");
                kv.call("RPUSH", "m2", "a", "b", "c");
                kv.call("HSET", "m3", "f", "1", "g", "2");
                kv.call("ZADD", "m4", "1.5", "x", "2", "y");
                expect(kv, "OK", "MIGRATE", "127.0.0.1", rp, "m1", "0", "5000");
                expect(kv, "OK", "MIGRATE", "127.0.0.1", rp, "", "0", "5000", "KEYS", "m2", "m3", "nosuch");
                expect(kv, "OK", "MIGRATE", "127.0.0.1", rp, "m4", "0", "5000", "COPY");
                expect(kv, "0", "EXISTS", "m1", "m2", "m3");
                expect(kv, "1", "EXISTS", "m4");
                expect(r, "v1", "GET", "m1");
                long pttl = Long.parseLong(r.call("PTTL", "m1"));
                check(pttl > 400_000 && pttl <= 500_000, "the expiry time travels with the key: PTTL " + pttl);
                expect(r, "[a, b, c]", "LRANGE", "m2", "0", "-1");
                expect(r, "1", "HGET", "m3", "f");
                expect(r, "[x, 1.5, y, 2]", "ZRANGE", "m4", "0", "-1", "WITHSCORES");
                expect(kv, "-ERR Target instance replied with error: BUSYKEY Target key name already exists.",
                        "MIGRATE", "127.0.0.1", rp, "m4", "0", "5000");
                kv.call("ZADD", "m4", "3", "z");
                expect(kv, "OK", "MIGRATE", "127.0.0.1", rp, "m4", "0", "5000", "REPLACE");
                expect(r, "3", "ZCARD", "m4");
                expect(kv, "NOKEY", "MIGRATE", "127.0.0.1", rp, "nosuch", "0", "5000");
                expect(kv, "-ERR When using MIGRATE KEYS option, the key argument must be set to the empty string",
                        "MIGRATE", "127.0.0.1", rp, "x", "0", "5000", "KEYS", "a");
                expect(kv, "-ERR syntax error", "MIGRATE", "127.0.0.1", rp, "m1", "0", "5000", "bogus");
                expect(kv, "-ERR value is not an integer or out of range", "MIGRATE", "127.0.0.1", rp, "m1", "x", "5000");
                kv.call("SET", "m5", "v");
                expect(kv, "-IOERR error or timeout writing to target instance", "MIGRATE", "127.0.0.1", "1", "m5", "0", "500");
                expect(kv, "v", "GET", "m5");
                // Redis's own MIGRATE into pmem-kv (SELECT 0, RESTORE ... REPLACE)
                r.call("SET", "r1", "from-redis", "EX", "1000");
                r.call("SADD", "r2", "1", "2", "three");
                expect(r, "OK", "MIGRATE", "127.0.0.1", kp, "", "0", "5000", "REPLACE", "KEYS", "r1", "r2");
                expect(kv, "from-redis", "GET", "r1");
                expect(kv, "3", "SCARD", "r2");
                check(Long.parseLong(kv.call("TTL", "r1")) > 990, "TTL after Redis's MIGRATE: " + kv.call("TTL", "r1"));
                expect(r, "0", "EXISTS", "r1", "r2");
                expect(kv, "-ERR source and destination objects are the same", "MOVE", "m5", "0");
                expect(kv, "-ERR DB index is out of range", "MOVE", "m5", "1");
                expect(kv, "-ERR value is not an integer or out of range", "MOVE", "m5", "x");
                System.out.println("  pmem-kv -> redis-server and redis-server -> pmem-kv: values, expiry times, COPY, REPLACE,"
                        + " BUSYKEY, NOKEY, KEYS");
            } finally {
                s.kill9();
            }
        }
    }

    /** One field of pmem-kv's or Redis's INFO. */
    static String info(Client c, String field) throws IOException {
        return ((String) c.callValue("INFO", "all")).lines().filter(l -> l.startsWith(field + ":")).findFirst()
                .map(l -> l.substring(field.length() + 1).trim()).orElse("?");
    }

    /** Writes from n clients, each count commands: random ones and those replication must rewrite. */
    static void replLoad(Server s, int n, int count, long seed) throws Exception {
        replLoad(s.port, n, count, seed);
    }

    static void replLoad(int port, int n, int count, long seed) throws Exception {
        List<Thread> ts = new ArrayList<>();
        List<Throwable> errors = java.util.Collections.synchronizedList(new ArrayList<>());
        for (int t = 0; t < n; t++) {
            final int id = t;
            Thread th = new Thread(() -> {
                java.util.Random r = new java.util.Random(seed + id);
                try (Client c = new Client(port)) {
                    for (int i = 0; i < count; i++) {
                        if (r.nextInt(3) > 0) {
                            c.callValue(randomCommand(r));
                            continue;
                        }
                        String k = "t" + id + "_" + r.nextInt(8);
                        switch (r.nextInt(14)) {
                            case 0 -> c.callValue("SPOP", pick(r, SET_KEYS), Integer.toString(r.nextInt(3)));
                            case 1 -> c.callValue("INCRBYFLOAT", "f" + id, "0.1");
                            case 2 -> c.callValue("HINCRBYFLOAT", "h1", "f", "1.5");
                            case 3 -> c.callValue("SET", k, "v" + i, "EX", "1000");
                            case 4 -> c.callValue("SET", k, "short", "PX", Integer.toString(1 + r.nextInt(30)));
                            case 5 -> c.callValue("EXPIRE", pick(r, ALL_KEYS), "5000");
                            case 6 -> c.callValue("GETEX", k, "PX", "800000");
                            case 7 -> {
                                c.callValue("RPUSH", "q", "job" + id + "_" + i);
                                c.callValue("BLPOP", "q", "0.01");
                            }
                            case 8 -> c.callValue("BLMOVE", "q", "q2", "LEFT", "RIGHT", "0.01");
                            case 9 -> {
                                c.callValue("ZADD", "zq", Integer.toString(i), "m" + id + "_" + i);
                                c.callValue("BZPOPMIN", "zq", "0.01");
                            }
                            case 10 -> {
                                c.callValue("MULTI");
                                c.callValue("INCR", "cnt" + id);
                                c.callValue("RPUSH", "ml" + id, "x" + i);
                                c.callValue("SPOP", "a1");
                                c.callValue("EXEC");
                            }
                            case 11 -> c.callValue("SORT", pick(r, LIST_KEYS), "ALPHA", "STORE", "sorted" + id);
                            case 12 -> {
                                byte[] p = c.callBulk("DUMP", "big");
                                if (p != null) {
                                    c.callBin("RESTORE", "rs" + id, "100000", p, "REPLACE");
                                }
                            }
                            default -> c.callValue("DEL", k);
                        }
                    }
                } catch (Throwable e) {
                    errors.add(e);
                }
            });
            ts.add(th);
            th.start();
        }
        for (Thread th : ts) {
            th.join();
        }
        check(errors.isEmpty(), "load clients failed: " + errors);
    }

    /** Waits (30 s at most) until redis-server, pmem-kv's replica, processed its whole stream; compares every key. */
    static void sameData(Client kv, Client r, String when) throws Exception {
        sameData(kv, r, true, when);
    }

    /** As above; kvMaster false: pmem-kv is the replica of redis-server. */
    static void sameData(Client kv, Client r, boolean kvMaster, String when) throws Exception {
        Client master = kvMaster ? kv : r, replica = kvMaster ? r : kv;
        String last = "";
        for (int attempt = 0; attempt < 3; attempt++) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            for (;;) {
                String off = info(master, "master_repl_offset");
                if (info(replica, "master_link_status").equals("up") && info(replica, "slave_repl_offset").equals(off)) {
                    break;
                }
                check(System.nanoTime() < deadline, "the replica did not catch up " + when + ": master at " + off
                        + ", replica at " + info(replica, "slave_repl_offset") + ", link "
                        + info(replica, "master_link_status"));
                Thread.sleep(50);
            }
            Diff d = new Diff(kv, r);
            d.call("KEYS", "*");
            List<?> keys = (List<?>) master.callValue("KEYS", "*");
            for (Object o : keys) {
                String k = ((String) o).substring(1);
                compareValue(d, k, k);
                d.call("PEXPIRETIME", k);
            }
            if (d.mismatches.isEmpty()) {
                check(keys.size() > 10, "the datasets hold keys " + when);
                return;
            }
            last = d.mismatches.get(0);   // a key expiring while compared: compare again
            Thread.sleep(200);
        }
        check(false, "the replica differs from pmem-kv " + when + ":\n" + last);
    }

    static void redisDiff() throws Exception {
        try (Redis redis = new Redis()) {
            int rport = redis.port;
            Server s = new Server(newHeap("diff"));
            try (Client kv = s.client(); Client r = redis.first) {
                String version = ((String) r.callValue("INFO", "server")).lines()
                        .filter(l -> l.startsWith("redis_version:")).findFirst().orElse("redis_version:?");
                Diff d = new Diff(kv, r);
                d.call("FLUSHALL");
                for (String line : DIFF_CASES) {
                    d.run(line);
                }
                try (Client kv2 = s.client(); Client r2 = new Client(rport)) {
                    Diff d2 = new Diff(kv2, r2);
                    for (String[] w : WATCH_CASES) {
                        (w[0].equals("1") ? d : d2).run(w[1]);
                    }
                    d.mismatches.addAll(d2.mismatches);
                    d.cases += d2.cases;
                }
                try (Client kvA = s.client(); Client rA = new Client(rport); Client kvC = s.client();
                     Client rC = new Client(rport)) {
                    blockingCases(d, kvA, rA, kvC, rC);
                }
                java.util.Random lr = new java.util.Random(7);   // LCS of random short strings, ranges and all
                for (int i = 0; i < 60; i++) {
                    d.call("SET", "lx", randomText(lr, "abc", 12));
                    d.call("SET", "ly", randomText(lr, "abc", 12));
                    d.call("LCS", "lx", "ly", "IDX", "WITHMATCHLEN");
                    d.call("LCS", "lx", "ly", "IDX", "MINMATCHLEN", "2");
                    d.call("LCS", "lx", "ly");
                }
                dumpCases(d);
                int handWritten = d.cases;
                bulkCases(d);   // sizes past the in-place limits of PZSet and PList
                int bulk = d.cases - handWritten;
                long seed = Long.getLong("kv.seed", 20261207L);
                int n = Integer.getInteger("kv.diff.n", 800);
                d.call("FLUSHALL");
                // Small thresholds: the random commands convert collections (OBJECT ENCODING checked at the end).
                d.run("CONFIG SET hash-max-listpack-entries 6 hash-max-listpack-value 3 zset-max-listpack-entries 5");
                d.run("CONFIG SET zset-max-listpack-value 2 set-max-intset-entries 4");
                java.util.Random rnd = new java.util.Random(seed);
                for (int i = 0; i < n; i++) {
                    d.call(randomCommand(rnd));
                }
                for (String k : ALL_KEYS) {   // the final state, key by key
                    d.call("TYPE", k);
                    d.call("OBJECT", "ENCODING", k);
                    switch (String.valueOf(kv.callValue("TYPE", k))) {
                        case "+string" -> d.call("GET", k);
                        case "+list" -> d.call("LRANGE", k, "0", "-1");
                        case "+set" -> d.call("SMEMBERS", k);
                        case "+zset" -> d.call("ZRANGE", k, "0", "-1", "WITHSCORES");
                        default -> d.call("EXISTS", k);
                    }
                }
                d.run("CONFIG SET hash-max-listpack-entries 512 hash-max-listpack-value 64 zset-max-listpack-entries 128");
                d.run("CONFIG SET zset-max-listpack-value 64 set-max-intset-entries 512");
                if (Diff.STATS) {
                    d.stats.forEach((k, v) -> System.out.println("  " + k + " " + v));
                }
                // what pmem-kv does differently on purpose: one database
                expect(kv, "-ERR DB index is out of range", "COPY", "s1", "c9", "DB", "1");
                System.out.printf("  %s: %d hand-written cases, %d on large keys, %d random commands (seed %d,"
                        + " -Dkv.seed=N to change), %d mismatches%n", version.trim(), handWritten, bulk, n, seed,
                        d.mismatches.size());
                check(d.mismatches.isEmpty(), d.mismatches.size() + " replies differ from redis-server's, first:\n"
                        + (d.mismatches.isEmpty() ? "" : d.mismatches.get(0)));
            }
        }
    }

    /** Up to max characters drawn from alphabet. */
    static String randomText(java.util.Random r, String alphabet, int max) {
        StringBuilder sb = new StringBuilder();
        for (int n = r.nextInt(max + 1); n > 0; n--) {
            sb.append(alphabet.charAt(r.nextInt(alphabet.length())));
        }
        return sb.toString();
    }

    /** Sends cmd to both servers through a second pair of clients, without reading the replies (they block). */
    static void sendBoth(Client kv, Client r, String... cmd) throws IOException {
        for (Client c : new Client[] {kv, r}) {
            c.out.write(Client.encode(cmd));
            c.out.flush();
        }
    }

    /** The replies sendBoth's command got, compared. */
    static void repliedBoth(Diff d, Client kv, Client r, String... cmd) throws IOException {
        d.cases++;
        Object a = kv.readValue(), b = r.readValue();
        if (!a.equals(b)) {
            d.mismatch(cmd, a, b);
        }
    }

    /** Blocking commands across clients: A and C block, d's client pushes; who is served, with what, in what order. */
    static void blockingCases(Diff d, Client kvA, Client rA, Client kvC, Client rC) throws Exception {
        String[] a1 = {"BLPOP", "bw", "5"}, c1 = {"BLPOP", "bw", "5"};
        sendBoth(kvA, rA, a1);
        Thread.sleep(150);
        sendBoth(kvC, rC, c1);
        Thread.sleep(150);
        d.call("RPUSH", "bw", "x", "y", "z");   // A first, then C, one element each
        repliedBoth(d, kvA, rA, a1);
        repliedBoth(d, kvC, rC, c1);
        d.call("LRANGE", "bw", "0", "-1");
        String[] a2 = {"BLMOVE", "bsrc", "bdst", "RIGHT", "LEFT", "5"};
        sendBoth(kvA, rA, a2);
        Thread.sleep(150);
        d.call("LPUSH", "bsrc", "1", "2");
        repliedBoth(d, kvA, rA, a2);
        d.call("LRANGE", "bdst", "0", "-1");
        d.call("LRANGE", "bsrc", "0", "-1");
        String[] a3 = {"BRPOP", "bt", "0.3"};   // times out while others run commands
        sendBoth(kvA, rA, a3);
        d.call("RPUSH", "bt2", "z");
        repliedBoth(d, kvA, rA, a3);
        String[] a4 = {"BLPOP", "bk1", "bk2", "5"};   // a push to another key wakes nothing
        sendBoth(kvA, rA, a4);
        Thread.sleep(150);
        d.call("RPUSH", "bk3", "z");
        d.call("SET", "bk1", "string");   // nor does a write of another type
        d.call("DEL", "bk1");
        d.call("RPUSH", "bk2", "w");
        repliedBoth(d, kvA, rA, a4);
        String[] a5 = {"BLPOP", "bm", "5"}, c5 = {"BRPOPLPUSH", "bm", "bmd", "5"};   // a MULTI's push wakes both
        sendBoth(kvA, rA, a5);
        Thread.sleep(150);
        sendBoth(kvC, rC, c5);
        Thread.sleep(150);
        d.call("MULTI");
        d.call("RPUSH", "bm", "m1");
        d.call("RPUSH", "bm", "m2");
        d.call("EXEC");
        repliedBoth(d, kvA, rA, a5);
        repliedBoth(d, kvC, rC, c5);
        d.call("LRANGE", "bmd", "0", "-1");
        d.call("EXISTS", "bm");
        String[] a6 = {"BZPOPMIN", "bz1", "bz2", "5"}, c6 = {"BZPOPMAX", "bz2", "5"};   // sorted sets
        sendBoth(kvA, rA, a6);
        Thread.sleep(150);
        sendBoth(kvC, rC, c6);
        Thread.sleep(150);
        d.call("ZADD", "bz2", "2", "x", "1", "y", "3", "z");
        repliedBoth(d, kvA, rA, a6);
        repliedBoth(d, kvC, rC, c6);
        d.call("ZRANGE", "bz2", "0", "-1", "WITHSCORES");
        String[] a7 = {"BLMPOP", "5", "2", "bmp1", "bmp2", "RIGHT", "COUNT", "2"}, c7 = {"BZMPOP", "5", "1", "bmz", "MAX"};
        sendBoth(kvA, rA, a7);
        sendBoth(kvC, rC, c7);
        Thread.sleep(150);
        d.call("RPUSH", "bmp2", "a", "b", "c");
        d.call("ZADD", "bmz", "1", "m", "2", "n");
        repliedBoth(d, kvA, rA, a7);
        repliedBoth(d, kvC, rC, c7);
        d.call("LRANGE", "bmp2", "0", "-1");
    }

    /** With a password, as redis-server with the same one answers: NOAUTH before AUTH, WRONGPASS, HELLO AUTH. */
    static final String[] AUTH_CASES = {
        "PING", "GET k", "SET k v", "NOSUCH x", "GET", "MULTI", "EXEC", "WATCH k", "HELLO", "HELLO 2",
        "HELLO 2 AUTH default wrong", "HELLO 2 AUTH other secret", "HELLO 2 AUTH default", "AUTH wrong",
        "AUTH default wrong", "AUTH other secret", "AUTH a b c", "AUTH", "GET k", "AUTH secret", "PING", "SET k v",
        "GET k", "AUTH wrong", "GET k", "AUTH default secret", "MULTI", "INCR n", "EXEC",
    };

    /** Without a password: AUTH as redis-server without one answers. */
    static final String[] NOPASS_CASES = {
        "AUTH x", "AUTH default x", "AUTH other x", "PING", "HELLO 2 AUTH other x", "PING",
    };

    static void auth() throws Exception {
        try (Redis redis = new Redis("--requirepass", "secret"); Redis open = new Redis()) {
            Server s = new Server(newHeap("auth"), "--requirepass", "secret");
            Server o = new Server(newHeap("auth-open"));
            try (Client kv = s.client(); Client r = redis.first; Client kvo = o.client(); Client ro = open.first) {
                Diff d = new Diff(kv, r);
                for (String line : AUTH_CASES) {
                    d.run(line);
                }
                Diff dn = new Diff(kvo, ro);
                for (String line : NOPASS_CASES) {
                    dn.run(line);
                }
                d.mismatches.addAll(dn.mismatches);
                check(d.mismatches.isEmpty(), d.mismatches.size() + " replies differ from redis-server's, first:\n"
                        + (d.mismatches.isEmpty() ? "" : d.mismatches.get(0)));
                // HELLO AUTH authenticates a new connection; CONFIG SET requirepass changes the password for new ones.
                try (Client c = s.client()) {
                    check(String.valueOf(c.callValue("HELLO", "2", "AUTH", "default", "secret")).contains("server"),
                            "HELLO 2 AUTH default secret");
                    expect(c, "PONG", "PING");
                    expect(c, "OK", "CONFIG", "SET", "requirepass", "other");
                    expect(c, "PONG", "PING");   // still authenticated
                }
                try (Client c = s.client()) {
                    expect(c, "-NOAUTH Authentication required.", "GET", "k");
                    expect(c, "-WRONGPASS invalid username-password pair or user is disabled.", "AUTH", "secret");
                    expect(c, "OK", "AUTH", "other");
                    expect(c, "v", "GET", "k");
                }
            }
        }
        // Protected mode: no password, bound to every interface: a client from another address than the
        // loopback one gets Redis's DENIED message and is disconnected; loopback clients are served.
        InetAddress ext = null;
        for (NetworkInterface ni : java.util.Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (ni.isUp() && !ni.isLoopback()) {
                for (InetAddress a : java.util.Collections.list(ni.getInetAddresses())) {
                    if (a instanceof java.net.Inet4Address) {
                        ext = a;
                    }
                }
            }
        }
        check(ext != null, "no non-loopback IPv4 address on this machine to test protected mode from");
        String redisSays;
        try (Redis r = new Redis("--bind", "0.0.0.0"); Client c = new Client(ext.getHostAddress(), r.port)) {
            redisSays = new String(c.in.readAllBytes(), StandardCharsets.UTF_8);   // the server closes after it
        }
        check(redisSays.startsWith("-DENIED Redis is running in protected mode"), "redis-server: " + redisSays);
        Server p = new Server(newHeap("protected"), "--bind", "0.0.0.0");
        try (Client c = new Client(ext.getHostAddress(), p.port)) {
            String line = new String(c.in.readAllBytes(), StandardCharsets.UTF_8);
            check(line.equals(redisSays), "protected mode: pmem-kv says\n" + line + "\nredis-server\n" + redisSays);
        }
        try (Client c = p.client()) {
            expect(c, "PONG", "PING");
            expect(c, "OK", "CONFIG", "SET", "protected-mode", "no");
        }
        try (Client c = new Client(ext.getHostAddress(), p.port)) {
            expect(c, "PONG", "PING");
        }
        Server q = new Server(newHeap("protected-pass"), "--bind", "0.0.0.0", "--requirepass", "pw");
        try (Client c = new Client(ext.getHostAddress(), q.port)) {
            expect(c, "-NOAUTH Authentication required.", "PING");   // a password: any address may authenticate
            expect(c, "OK", "AUTH", "pw");
        }
        System.out.println("  protected mode checked from " + ext.getHostAddress());
    }

    /**
     * DUMP and RESTORE: each server restores the other's payloads (every
     * type, and the encodings Redis 7.0 writes: integers, LZF, listpacks,
     * intsets of each width, hash tables, skiplists), older encodings that
     * Redis still reads (ziplists, quicklists of ziplists, text scores,
     * plain quicklist nodes) crafted here, and RESTORE's options and errors.
     */
    static void dumpCases(Diff d) throws IOException {
        d.call("FLUSHALL");
        String big = "x".repeat(3000), text = "The quick brown fox jumps over the lazy dog, twice: " + "ab".repeat(40);
        String[][] setup = {
            {"SET", "d:int", "12345"}, {"SET", "d:neg", "-7"}, {"SET", "d:bigint", "9223372036854775807"},
            {"SET", "d:str", "hello"}, {"SET", "d:empty", ""}, {"SET", "d:lzf", big}, {"SET", "d:text", text},
            {"RPUSH", "d:list", "a", "b", "12", "-5", "100000", "127", "128", "-4096", "4095", "4096", "-8192", "70000",
             "-70000", "2147483647", "-2147483648", "9223372036854775807", "-9223372036854775808", text, big},
            {"SADD", "d:set16", "1", "2", "-3"}, {"SADD", "d:set32", "1", "70000", "-70000"},
            {"SADD", "d:set64", "1", "1099511627776", "-9223372036854775808"}, {"SADD", "d:setstr", "a", "b", text},
            {"HSET", "d:hash", "f", "v", "n", "123", "long", text}, {"HSET", "d:hashbig", "f", big},
            {"ZADD", "d:zset", "1.5", "m", "2", "n", "-inf", "o", "inf", "p", "0.1", "q"}, {"ZADD", "d:zsetbig", "3", big},
        };
        for (String[] c : setup) {
            d.call(c);
        }
        List<String> keys = new ArrayList<>();
        for (String[] c : setup) {
            keys.add(c[1]);
        }
        for (int i = 0; i < 300; i++) {   // past listpack sizes: quicklists, hash tables, skiplists
            d.call("RPUSH", "d:biglist", "e" + i);
            d.call("SADD", "d:bigset", Integer.toString(i * 7));
            d.call("SADD", "d:bigsetstr", "m" + i);
            d.call("HSET", "d:bighash", "f" + i, "v" + i);
            d.call("ZADD", "d:bigzset", Integer.toString(i % 13), "m" + i);
        }
        keys.addAll(List.of("d:biglist", "d:bigset", "d:bigsetstr", "d:bighash", "d:bigzset"));
        for (String k : keys) {
            byte[] fromRedis = d.redis.callBulk("DUMP", k), fromKv = d.kv.callBulk("DUMP", k);
            check(fromRedis != null && fromKv != null, "DUMP " + k + " has a payload on both servers");
            bothRestore(d, "x:" + k, fromRedis, fromKv);
            compareValue(d, k, "x:" + k);
        }
        // Older encodings Redis 7.0 still restores, crafted: each server gets the same payload.
        byte[][] crafted = {
            payload(10, rdbStr(ziplist("a", 7, -1, 300, -70000, 1 << 20, 1L << 40, 12, "tail"))),          // list ziplist
            payload(14, cat(rdbLen(2), rdbStr(ziplist("x", 1)), rdbStr(ziplist(-128, "y")))),             // quicklist
            payload(18, cat(rdbLen(2), rdbLen(1), rdbStr(b("plain node")), rdbLen(2),
                    rdbStr(listpack("lp", 5, -3000, 100000, -5000000000L)))),                              // plain + packed
            payload(12, rdbStr(ziplist("m3", -4, "m1", 1, "m2", "2.5"))),                                   // zset ziplist
            payload(13, rdbStr(ziplist("f1", "v1", "f2", 22))),                                             // hash ziplist
            payload(3, cat(rdbLen(3), rdbStr(b("a")), new byte[] {3, '1', '.', '5'}, rdbStr(b("b")),
                    new byte[] {(byte) 254}, rdbStr(b("c")), new byte[] {(byte) 255})),                    // zset, text scores
            payload(20, rdbStr(listpack("s1", "s2", 3))),                                                  // set listpack (7.2)
        };
        for (int i = 0; i < crafted.length; i++) {
            if (i == crafted.length - 1 && !d.redis.callValue("INFO", "server").toString().contains("redis_version:7.2")) {
                check(d.kv.callBin("RESTORE", "c:lpset", "0", crafted[i]).equals("+OK"), "a 7.2 listpack set restores");
                check(d.kv.callValue("SMEMBERS", "c:lpset").toString().contains("s2"), "its members");
                continue;   // 7.0 has no listpack sets
            }
            bothRestore(d, "c:" + i, crafted[i], crafted[i]);
            compareValue(d, "c:" + i, "c:" + i);
        }
        // Options and errors, in Redis's order of checks.
        byte[] p = d.redis.callBulk("DUMP", "d:str");
        byte[] newer = p.clone();
        newer[newer.length - 10] = 11;
        resum(newer);
        byte[] flipped = p.clone();
        flipped[1] ^= 1;
        Object[][] cases = {
            {"RESTORE", "d:str", "0", p}, {"RESTORE", "r1", "-1", p}, {"RESTORE", "r1", "abc", p},
            {"RESTORE", "r1", "0", b("garbage")}, {"RESTORE", "r1", "0", newer}, {"RESTORE", "r1", "0", flipped},
            {"RESTORE", "r1", "0", p, "BOGUS"}, {"RESTORE", "r1", "0", p, "IDLETIME", "-1"},
            {"RESTORE", "r1", "0", p, "FREQ", "256"}, {"RESTORE", "r1", "0", p, "FREQ", "-1"},
            {"RESTORE", "r1", "0", p, "IDLETIME", "10", "FREQ", "3"}, {"RESTORE", "r1", "0", p, "IDLETIME"},
            {"RESTORE", "r1", "0", p, "IDLETIME", "x"}, {"RESTORE", "d:str", "-1", b("garbage")},
            {"RESTORE", "r1", "0", p, "IDLETIME", "10"}, {"GET", "r1"},
            {"RESTORE", "r1", "0", p, "REPLACE", "FREQ", "5"}, {"GET", "r1"},
            {"RESTORE", "r1", "1000", p, "REPLACE", "ABSTTL"}, {"EXISTS", "r1"},
            {"RESTORE", "r2", "1000", p, "ABSTTL"}, {"EXISTS", "r2"},
            {"RESTORE", "r1", "100000", p}, {"TTL", "r1"},
            {"RESTORE", "r1", "4102444800000", p, "ABSTTL", "REPLACE"}, {"PEXPIRETIME", "r1"},
            {"RESTORE", "r1", "0", p, "replace", "absttl"}, {"TTL", "r1"},
            {"RESTORE", "r3", "0", payload(99, rdbLen(0))}, {"RESTORE", "r3", "0", payload(1, rdbLen(0))},
            {"RESTORE", "r3", "0", payload(1, cat(rdbLen(2), rdbStr(b("only one"))))},
            {"RESTORE", "r3", "0", payload(0, cat(rdbStr(b("x")), b("trailing")))},
            {"RESTORE", "r3", "0", payload(2, cat(rdbLen(2), rdbStr(b("dup")), rdbStr(b("dup"))))},
            {"EXISTS", "r3"}, {"DUMP", "nosuchkey"}, {"DUMP"}, {"DUMP", "a", "b"}, {"RESTORE", "a", "0"},
        };
        for (Object[] c : cases) {
            d.cases++;
            Object a = d.kv.callBin(c), r = d.redis.callBin(c);
            if (!a.equals(r)) {
                String[] shown = new String[c.length];
                for (int i = 0; i < c.length; i++) {
                    shown[i] = c[i] instanceof byte[] x ? "<" + x.length + " bytes>" : (String) c[i];
                }
                d.mismatch(shown, a, r);
            }
        }
    }

    /** Each server restores its payload at key; the replies compared. */
    static void bothRestore(Diff d, String key, byte[] toKv, byte[] toRedis) throws IOException {
        d.cases++;
        Object a = d.kv.callBin("RESTORE", key, "0", toKv), r = d.redis.callBin("RESTORE", key, "0", toRedis);
        if (!a.equals(r)) {
            d.mismatch(new String[] {"RESTORE", key, "0", "<payload>"}, a, r);
        }
    }

    /** The values at k (and at k2, which must equal it) compared between the servers, element order kept where it means something. */
    static void compareValue(Diff d, String k, String k2) throws IOException {
        for (String key : new String[] {k, k2}) {
            d.call("TYPE", key);
            switch (String.valueOf(d.kv.callValue("TYPE", key))) {
                case "+string" -> d.call("GET", key);
                case "+list" -> d.call("LRANGE", key, "0", "-1");
                case "+set" -> d.call("SMEMBERS", key);
                case "+zset" -> d.call("ZRANGE", key, "0", "-1", "WITHSCORES");
                case "+hash" -> {
                    d.cases++;
                    Object a = pairs(d.kv.callValue("HGETALL", key)), r = pairs(d.redis.callValue("HGETALL", key));
                    if (!a.equals(r)) {
                        d.mismatch(new String[] {"HGETALL", key}, a, r);
                    }
                }
                default -> d.call("EXISTS", key);
            }
        }
        Object a = d.kv.callValue("TYPE", k);
        check(a.equals(d.kv.callValue("TYPE", k2)), k2 + " has " + k + "'s type");
    }

    /** HGETALL's pairs, sorted (hashes keep no order). */
    static Object pairs(Object o) {
        if (!(o instanceof List<?> l)) {
            return o;
        }
        List<String> ps = new ArrayList<>();
        for (int i = 0; i + 1 < l.size(); i += 2) {
            ps.add(l.get(i) + "=" + l.get(i + 1));
        }
        ps.sort(null);
        return ps;
    }

    // --- crafted RDB payloads --------------------------------------------------------

    static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static byte[] cat(byte[]... parts) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        for (byte[] x : parts) {
            o.writeBytes(x);
        }
        return o.toByteArray();
    }

    static byte[] le(long v, int n) {
        byte[] x = new byte[n];
        for (int i = 0; i < n; i++) {
            x[i] = (byte) (v >>> (8 * i));
        }
        return x;
    }

    static byte[] rdbLen(int n) {
        return n < 64 ? new byte[] {(byte) n} : new byte[] {(byte) (0x40 | n >> 8), (byte) n};
    }

    static byte[] rdbStr(byte[] s) {
        return cat(rdbLen(s.length), s);
    }

    /** Redis's CRC-64 (Jones, reflected), written out here so the test does not trust the server's. */
    static long crc64(byte[] b, int len) {
        long crc = 0;
        for (int i = 0; i < len; i++) {
            crc ^= b[i] & 0xff;
            for (int k = 0; k < 8; k++) {
                crc = (crc & 1) != 0 ? (crc >>> 1) ^ 0x95AC9329AC4BC9B5L : crc >>> 1;
            }
        }
        return crc;
    }

    /** A DUMP payload: type, body, RDB version 10, CRC-64. */
    static byte[] payload(int type, byte[] body) {
        byte[] p = cat(new byte[] {(byte) type}, body, le(10, 2), new byte[8]);
        resum(p);
        return p;
    }

    static void resum(byte[] p) {
        System.arraycopy(le(crc64(p, p.length - 8), 8), 0, p, p.length - 8, 8);
    }

    /** A ziplist of strings and integers (each integer in the narrowest of ziplist's encodings). */
    static byte[] ziplist(Object... items) {
        ByteArrayOutputStream entries = new ByteArrayOutputStream();
        int prev = 0, tail = 10;
        for (Object it : items) {
            byte[] enc;
            if (it instanceof String s) {
                enc = cat(new byte[] {(byte) s.length()}, b(s));   // 00pppppp: strings under 64 bytes
            } else {
                long v = ((Number) it).longValue();
                enc = v >= 0 && v <= 12 ? new byte[] {(byte) (0xF1 + v)}
                        : v == (byte) v ? cat(new byte[] {(byte) 0xFE}, le(v, 1))
                        : v == (short) v ? cat(new byte[] {(byte) 0xC0}, le(v, 2))
                        : v >= -(1 << 23) && v < (1 << 23) ? cat(new byte[] {(byte) 0xF0}, le(v, 3))
                        : v == (int) v ? cat(new byte[] {(byte) 0xD0}, le(v, 4))
                        : cat(new byte[] {(byte) 0xE0}, le(v, 8));
            }
            byte[] e = cat(new byte[] {(byte) prev}, enc);   // every entry here is under 254 bytes
            tail = 10 + entries.size();
            entries.writeBytes(e);
            prev = e.length;
        }
        byte[] body = entries.toByteArray();
        return cat(le(10 + body.length + 1, 4), le(tail, 4), le(items.length, 2), body, new byte[] {(byte) 0xFF});
    }

    /** A listpack of strings (under 64 bytes) and integers, in listpack's encodings. */
    static byte[] listpack(Object... items) {
        ByteArrayOutputStream entries = new ByteArrayOutputStream();
        for (Object it : items) {
            byte[] enc;
            if (it instanceof String s) {
                enc = cat(new byte[] {(byte) (0x80 | s.length())}, b(s));
            } else {
                long v = ((Number) it).longValue();
                enc = v >= 0 && v < 128 ? new byte[] {(byte) v}
                        : v >= -4096 && v < 4096 ? new byte[] {(byte) (0xC0 | (v >> 8) & 0x1f), (byte) v}
                        : v == (short) v ? cat(new byte[] {(byte) 0xF1}, le(v, 2))
                        : v >= -(1 << 23) && v < (1 << 23) ? cat(new byte[] {(byte) 0xF2}, le(v, 3))
                        : v == (int) v ? cat(new byte[] {(byte) 0xF3}, le(v, 4))
                        : cat(new byte[] {(byte) 0xF4}, le(v, 8));
            }
            entries.writeBytes(enc);
            entries.write(enc.length);   // the back-length: every entry here is under 128 bytes
        }
        byte[] body = entries.toByteArray();
        return cat(le(6 + body.length + 1, 4), le(items.length, 2), body, new byte[] {(byte) 0xFF});
    }

    /** Commands on a few thousand elements, where PZSet and PList build new structures instead of changing in place. */
    static void bulkCases(Diff d) throws IOException {
        List<String> zadd = new ArrayList<>(List.of("ZADD", "bz")), lex = new ArrayList<>(List.of("ZADD", "bx")),
                sadd = new ArrayList<>(List.of("SADD", "bs")), rpush = new ArrayList<>(List.of("RPUSH", "bl"));
        for (int i = 0; i < 3000; i++) {
            zadd.addAll(List.of(Integer.toString(i % 997), "m" + i));
            lex.addAll(List.of("0", String.format("k%05d", i)));
            sadd.add("m" + (i * 7 % 4000));
            rpush.add("v" + (i % 10));
        }
        d.call(zadd.toArray(String[]::new));
        d.call(lex.toArray(String[]::new));
        d.call(sadd.toArray(String[]::new));
        d.call(rpush.toArray(String[]::new));
        for (String line : new String[] {
            "ZUNIONSTORE bu 2 bz bs WEIGHTS 1 2", "ZRANGE bu 0 -1 WITHSCORES", "ZINTERSTORE bi 2 bz bs AGGREGATE MAX",
            "ZRANGE bi 0 -1 WITHSCORES", "ZREMRANGEBYRANK bu 100 2000", "ZRANGE bu 0 -1 WITHSCORES", "ZREMRANGEBYSCORE bz 100 800",
            "ZRANGE bz 0 -1 WITHSCORES", "ZLEXCOUNT bx [k00100 (k02900", "ZRANGEBYLEX bx (k01000 + LIMIT 5 400",
            "ZREVRANGEBYLEX bx + - LIMIT 1000 300", "ZREMRANGEBYLEX bx [k00100 (k02900", "ZRANGE bx 0 -1", "ZREMRANGEBYLEX bx (k00010 [k02999",
            "ZRANGE bx 0 -1", "SINTERSTORE bsi bs bu", "SMEMBERS bsi", "SADD bs2 m1 m2 m3", "SUNIONSTORE bsu bs bs2", "SCARD bsu",
            "SDIFFSTORE bsd bs bs2", "SMEMBERS bsd", "SPOP bsu 2000", "SCARD bsu", "SRANDMEMBER bs -2500", "SRANDMEMBER bs 2500",
            "COPY bl bl2", "COPY bz bz2", "COPY bs bs3", "RPUSH bl2 tail", "LRANGE bl 0 -1", "LRANGE bl2 0 -1", "ZRANGE bz2 0 -1 WITHSCORES",
            "SMEMBERS bs3", "LPOS bl v3 COUNT 0", "LPOS bl v3 RANK -5 COUNT 10 MAXLEN 2000", "ZMSCORE bz m1 m500 m2999 nosuch",
        }) {
            d.run(line);
        }
        for (int i = 0; i < 1200; i++) {
            if (i % 2 == 0) {
                d.call("LMOVE", "bl", "bl3", "LEFT", "RIGHT");
            } else {
                d.call("RPOPLPUSH", "bl", "bl3");
            }
        }
        d.run("LRANGE bl 0 -1");
        d.run("LRANGE bl3 0 -1");
    }

    static final String[] STR_KEYS = {"s1", "s2"}, LIST_KEYS = {"l1", "l2", "l3"}, SET_KEYS = {"a1", "a2", "a3"},
            ZSET_KEYS = {"z1", "z2", "z3"}, LEX_KEYS = {"x1", "x2"};
    static final String[] ALL_KEYS = {"s1", "s2", "l1", "l2", "l3", "a1", "a2", "a3", "z1", "z2", "z3", "x1", "x2"};
    /** Destinations of commands that store a sorted set or copy a key: not the lex keys, whose scores must all be 0. */
    static final String[] DEST_KEYS = {"s1", "l1", "l2", "l3", "a1", "a2", "a3", "z1", "z2", "z3"};
    static final String[] MEMBERS = {"m0", "m1", "m2", "m3", "m4", "m5"};
    static final String[] LEX_MEMBERS = {"a", "b", "c", "d", "e", "ba", "bb", "c0"};

    static String pick(java.util.Random r, String... xs) {
        return xs[r.nextInt(xs.length)];
    }

    /** A key of the pool, or now and then any key (WRONGTYPE and missing keys). */
    static String key(java.util.Random r, String[] pool) {
        return r.nextInt(12) == 0 ? pick(r, ALL_KEYS) : pick(r, pool);
    }

    /** A destination key: now and then one of another type (never a lex key), else one of the pool. */
    static String dest(java.util.Random r, String[] pool) {
        return r.nextInt(8) == 0 ? pick(r, DEST_KEYS) : pick(r, pool);
    }

    static <T> T pick(java.util.Random r, List<T> xs) {
        return xs.get(r.nextInt(xs.size()));
    }

    static String lexItem(java.util.Random r) {
        return switch (r.nextInt(6)) {
            case 0 -> "-";
            case 1 -> "+";
            case 2, 3 -> "[" + pick(r, LEX_MEMBERS);
            default -> "(" + pick(r, LEX_MEMBERS);
        };
    }

    static String scoreItem(java.util.Random r) {
        return switch (r.nextInt(8)) {
            case 0 -> "-inf";
            case 1 -> "+inf";
            case 2 -> "(" + (r.nextInt(9) - 4);
            default -> Integer.toString(r.nextInt(9) - 4);
        };
    }

    static String[] randomCommand(java.util.Random r) {
        List<String> c = new ArrayList<>();
        int n = 1 + r.nextInt(3);
        switch (r.nextInt(32)) {
            case 0, 1 -> {
                c.addAll(List.of(pick(r, "RPUSH", "LPUSH"), key(r, LIST_KEYS)));
                for (int i = 0; i < n; i++) {
                    c.add(pick(r, MEMBERS));
                }
            }
            case 2 -> c.addAll(List.of("LMOVE", key(r, LIST_KEYS), key(r, LIST_KEYS), pick(r, "LEFT", "RIGHT", "left"),
                    pick(r, "LEFT", "RIGHT", "right")));
            case 3 -> c.addAll(List.of("RPOPLPUSH", key(r, LIST_KEYS), key(r, LIST_KEYS)));
            case 4 -> {
                c.addAll(List.of("LPOS", key(r, LIST_KEYS), pick(r, MEMBERS)));
                if (r.nextBoolean()) {
                    c.addAll(List.of("RANK", Integer.toString(r.nextInt(7) - 3)));
                }
                if (r.nextBoolean()) {
                    c.addAll(List.of("COUNT", Integer.toString(r.nextInt(4))));
                }
                if (r.nextInt(3) == 0) {
                    c.addAll(List.of("MAXLEN", Integer.toString(r.nextInt(6))));
                }
            }
            case 5 -> c.addAll(List.of("LRANGE", key(r, LIST_KEYS), "0", "-1"));
            case 6, 7 -> {
                c.addAll(List.of("SADD", key(r, SET_KEYS)));
                for (int i = 0; i < n; i++) {
                    c.add(pick(r, MEMBERS));
                }
            }
            case 8 -> c.addAll(List.of("SMOVE", key(r, SET_KEYS), key(r, SET_KEYS), pick(r, MEMBERS)));
            case 9 -> {
                c.addAll(List.of("SPOP", key(r, SET_KEYS)));
                if (r.nextBoolean()) {
                    c.add(Integer.toString(r.nextInt(4)));
                }
            }
            case 10 -> {
                c.addAll(List.of("SRANDMEMBER", key(r, SET_KEYS)));
                if (r.nextBoolean()) {
                    c.add(Integer.toString(r.nextInt(13) - 6));
                }
            }
            case 11, 12 -> {
                c.addAll(List.of(pick(r, "SINTERSTORE", "SUNIONSTORE", "SDIFFSTORE"), dest(r, SET_KEYS)));
                for (int i = 0; i < n; i++) {
                    c.add(key(r, SET_KEYS));
                }
            }
            case 13 -> c.addAll(List.of(pick(r, "SMEMBERS", "SCARD"), key(r, SET_KEYS)));
            case 14, 15 -> {
                c.addAll(List.of("ZADD", r.nextInt(12) == 0 ? pick(r, DEST_KEYS) : pick(r, ZSET_KEYS)));   // never a lex key
                for (int i = 0; i < n; i++) {
                    c.addAll(List.of(r.nextInt(10) == 0 ? pick(r, "inf", "-inf") : Integer.toString(r.nextInt(7) - 3),
                            pick(r, MEMBERS)));
                }
            }
            case 16 -> {
                c.addAll(List.of("ZADD", pick(r, LEX_KEYS)));
                for (int i = 0; i < n; i++) {
                    c.addAll(List.of("0", pick(r, LEX_MEMBERS)));
                }
            }
            case 17 -> c.addAll(List.of("ZREMRANGEBYRANK", key(r, ZSET_KEYS), Integer.toString(r.nextInt(7) - 3),
                    Integer.toString(r.nextInt(7) - 3)));
            case 18 -> c.addAll(List.of("ZREMRANGEBYSCORE", key(r, ZSET_KEYS), scoreItem(r), scoreItem(r)));
            case 19 -> c.addAll(List.of(pick(r, "ZLEXCOUNT", "ZREMRANGEBYLEX"), pick(r, LEX_KEYS), lexItem(r), lexItem(r)));
            case 20 -> {
                c.addAll(List.of(pick(r, "ZRANGEBYLEX", "ZREVRANGEBYLEX"), pick(r, LEX_KEYS), lexItem(r), lexItem(r)));
                if (r.nextBoolean()) {
                    c.addAll(List.of("LIMIT", Integer.toString(r.nextInt(4) - 1), Integer.toString(r.nextInt(5) - 1)));
                }
            }
            case 21 -> {
                c.addAll(List.of("ZRANGE", pick(r, LEX_KEYS), lexItem(r), lexItem(r), "BYLEX"));
                if (r.nextBoolean()) {
                    c.add("REV");
                }
            }
            case 22, 23 -> {
                c.addAll(List.of(pick(r, "ZUNIONSTORE", "ZINTERSTORE"), dest(r, ZSET_KEYS), Integer.toString(n)));
                for (int i = 0; i < n; i++) {
                    c.add(r.nextInt(4) == 0 ? key(r, SET_KEYS) : key(r, ZSET_KEYS));
                }
                if (r.nextBoolean()) {
                    c.add("WEIGHTS");
                    for (int i = 0; i < n; i++) {
                        c.add(pick(r, "1", "2", "-1", "0.5", "0"));
                    }
                }
                if (r.nextBoolean()) {
                    c.addAll(List.of("AGGREGATE", pick(r, "SUM", "MIN", "MAX")));
                }
            }
            case 24 -> c.addAll(List.of("ZRANGE", key(r, ZSET_KEYS), "0", "-1", "WITHSCORES"));
            case 25 -> c.addAll(List.of("ZRANGEBYSCORE", key(r, ZSET_KEYS), scoreItem(r), scoreItem(r), "WITHSCORES"));
            case 26 -> {
                c.addAll(List.of("ZMSCORE", key(r, ZSET_KEYS)));
                for (int i = 0; i < n; i++) {
                    c.add(pick(r, MEMBERS));
                }
            }
            case 27 -> c.addAll(List.of("SET", pick(r, STR_KEYS), pick(r, MEMBERS)));
            case 28 -> c.addAll(switch (r.nextInt(3)) {
                case 0 -> List.of("GETDEL", key(r, STR_KEYS));
                case 1 -> List.of("GETEX", key(r, STR_KEYS), "PERSIST");
                default -> List.of("SMISMEMBER", key(r, SET_KEYS), pick(r, MEMBERS), pick(r, MEMBERS));
            });
            case 29 -> c.addAll(List.of("DEL", pick(r, ALL_KEYS)));   // lets a key change type again
            default -> {
                String[] pool = pick(r, List.of(STR_KEYS, LIST_KEYS, SET_KEYS, ZSET_KEYS));
                String src = r.nextInt(4) == 0 ? pick(r, ALL_KEYS) : pick(r, pool), dst = dest(r, pool);
                c.addAll(List.of("COPY", src, dst));
                if (r.nextBoolean()) {
                    c.add("REPLACE");
                }
            }
        }
        return c.toArray(String[]::new);
    }

    static void pipeline() throws Exception {
        Server s = new Server(newHeap("pipeline"));
        try (Client c = s.client()) {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            for (int i = 0; i < 1000; i++) {
                b.writeBytes(Client.encode("INCR", "p"));
                b.writeBytes(Client.encode("RPUSH", "pl", Integer.toString(i)));
            }
            c.out.write(b.toByteArray());
            c.out.flush();
            for (int i = 1; i <= 1000; i++) {
                check(c.read().equals(Integer.toString(i)), "INCR reply " + i);
                check(c.read().equals(Integer.toString(i)), "RPUSH reply " + i);
            }
            expect(c, "1000", "LLEN", "pl");
            expect(c, "999", "LINDEX", "pl", "-1");
            // A failing command in a pipeline leaves nothing and gets its error; the others go on.
            b.reset();
            b.writeBytes(Client.encode("SET", "g1", "a"));
            b.writeBytes(Client.encode("LPUSH", "g1", "x"));   // WRONGTYPE
            b.writeBytes(Client.encode("INCR", "g1"));          // not an integer
            b.writeBytes(Client.encode("SET", "g2", "b"));
            c.out.write(b.toByteArray());
            c.out.flush();
            check(c.read().equals("OK") && c.read().startsWith("-WRONGTYPE") && c.read().startsWith("-ERR value is not")
                    && c.read().equals("OK"), "errors inside a pipeline");
            expect(c, "[a, b]", "MGET", "g1", "g2");
        }
        // An 8 MB value sent in pieces with pauses: the request is whole only
        // at its last byte, and runs once.
        String big = "x".repeat(8 * 1024 * 1024 - 1) + "y";
        try (Client c = s.client()) {
            byte[] req = Client.encode("SET", "big", big);
            int[] cuts = {5, 30, 4 * 1024 * 1024, req.length - 1, req.length};
            int from = 0;
            for (int cut : cuts) {
                c.out.write(req, from, cut - from);
                c.out.flush();
                from = cut;
                Thread.sleep(50);
            }
            check(c.read().equals("OK"), "SET of a value sent in pieces");
            expect(c, Integer.toString(big.length()), "STRLEN", "big");
        }
        // A client that sends 64 GETs of the big value (512 MB of replies)
        // before reading any: the server stops reading its requests while the
        // replies back up, instead of buffering them all, and loses none.
        try (Client c = s.client()) {
            Thread writer = new Thread(() -> {
                try {
                    for (int i = 0; i < 64; i++) {
                        c.out.write(Client.encode("GET", "big"));
                    }
                    c.out.flush();
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            writer.start();
            Thread.sleep(300);
            for (int i = 0; i < 64; i++) {
                String line = c.line();
                check(line.equals("$" + big.length()), "GET big " + i + ": " + line);
                byte[] v = c.in.readNBytes(big.length() + 2);
                check(v.length == big.length() + 2 && v[big.length() - 1] == 'y', "GET big " + i + " value");
            }
            writer.join();
            expect(c, "PONG", "PING");
        }
    }

    static void clients() throws Exception {
        Server s = new Server(newHeap("clients"));
        int n = 200, ops = 50;
        List<Thread> ts = new ArrayList<>();
        List<Throwable> errors = new ArrayList<>();
        CyclicBarrier start = new java.util.concurrent.CyclicBarrier(n);
        for (int t = 0; t < n; t++) {
            final int id = t;
            Thread th = new Thread(() -> {
                try (Client c = s.client()) {
                    start.await();
                    for (int i = 0; i < ops; i++) {
                        c.call("INCR", "shared");
                        c.call("HINCRBY", "hash", "f" + (id % 7), "1");
                        c.call("SET", "own:" + id, Integer.toString(i));
                    }
                } catch (Throwable e) {
                    synchronized (errors) {
                        errors.add(e);
                    }
                }
            });
            ts.add(th);
            th.start();
        }
        for (Thread th : ts) {
            th.join();
        }
        check(errors.isEmpty(), "client errors: " + errors);
        try (Client c = s.client()) {
            expect(c, Integer.toString(n * ops), "GET", "shared");
            long sum = 0;
            for (int f = 0; f < 7; f++) {
                sum += Long.parseLong(c.call("HGET", "hash", "f" + f));
            }
            check(sum == (long) n * ops, "HINCRBY total " + sum);
            expect(c, Integer.toString(ops - 1), "GET", "own:" + (n - 1));
            expect(c, Integer.toString(n + 2), "DBSIZE");
        }
        // CLIENT: ids, names (also by HELLO), LIST, KILL of another connection and of itself.
        try (Client a = s.client(); Client b = s.client(); Client d = s.client()) {
            long ida = Long.parseLong(a.call("CLIENT", "ID")), idb = Long.parseLong(b.call("CLIENT", "ID"));
            check(ida > 0 && idb > 0 && ida != idb, "client ids " + ida + " " + idb);
            expect(a, "OK", "CLIENT", "SETNAME", "alpha");
            expect(a, "alpha", "CLIENT", "GETNAME");
            check(b.call("HELLO", "2", "SETNAME", "beta").contains("id, " + idb), "HELLO's id is CLIENT ID");
            expect(b, "beta", "CLIENT", "GETNAME");
            String list = a.call("CLIENT", "LIST");
            check(list.contains("id=" + ida + " addr=127.0.0.1:") && list.contains(" name=alpha ")
                    && list.contains("id=" + idb + " ") && list.contains(" name=beta ")
                    && list.contains("cmd=client|list"), "CLIENT LIST:\n" + list);
            check(a.call("CLIENT", "LIST", "ID", Long.toString(idb)).startsWith("id=" + idb + " ")
                    && !a.call("CLIENT", "LIST", "ID", Long.toString(idb)).contains("name=alpha"), "CLIENT LIST ID");
            check(a.call("CLIENT", "INFO").startsWith("id=" + ida + " "), "CLIENT INFO");
            expect(a, "1", "CLIENT", "KILL", "ID", Long.toString(idb));
            check(b.closedByServer(), "CLIENT KILL ID left the connection open");
            expect(a, "0", "CLIENT", "KILL", "ID", Long.toString(ida));   // SKIPME yes
            String addrD = a.call("CLIENT", "LIST", "ID", d.call("CLIENT", "ID")).split(" ")[1].substring(5);
            expect(a, "OK", "CLIENT", "KILL", addrD);   // the old form
            check(d.closedByServer(), "CLIENT KILL ip:port left the connection open");
            expect(a, "1", "CLIENT", "KILL", "ID", Long.toString(ida), "SKIPME", "no");   // itself, after the reply
            check(a.closedByServer(), "CLIENT KILL of itself left the connection open");
        }
    }

    static void protocol() throws Exception {
        Server s = new Server(newHeap("protocol"), "--proto-max-bulk-len", "1m", "--max-request", "3m");
        try (Client c = s.client()) {
            expect(c, "OK", "SET", "keep", "me");
        }
        String[][] bad = {
            {"*1\r\n$abc\r\n", "-ERR Protocol error: invalid bulk length"},
            {"*x\r\n", "-ERR Protocol error: invalid multibulk length"},
            {"*1\r\n:5\r\n", "-ERR Protocol error: expected '$', got ':'"},
            {"*1\r\n$2000000\r\n", "-ERR Protocol error: invalid bulk length (at most 1048576 bytes, proto-max-bulk-len)"},
            {"*99999999\r\n", "-ERR Protocol error: invalid multibulk length (at most 1048576 arguments)"},
            {"SET \"unbalanced x\r\n", "-ERR Protocol error: unbalanced quotes in request"},
        };
        for (String[] b : bad) {
            try (Client c = s.client()) {
                c.out.write(b[0].getBytes(StandardCharsets.ISO_8859_1));
                c.out.flush();
                String got = c.read();
                check(got.equals(b[1]), "for " + b[0].replace("\r\n", "\\r\\n") + " expected <" + b[1] + "> got <" + got + ">");
                check(c.closedByServer(), "connection left open after a protocol error");
            }
        }
        // Many bulks that together pass the request limit: refused before they are all read.
        try (Client c = s.client()) {
            StringBuilder req = new StringBuilder("*6\r\n$3\r\nSET\r\n$1\r\nk\r\n");
            c.out.write(req.toString().getBytes(StandardCharsets.ISO_8859_1));
            byte[] mb = new byte[1000 * 1000];
            Arrays.fill(mb, (byte) 'x');
            for (int i = 0; i < 4; i++) {
                c.out.write(("$" + mb.length + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
                c.out.write(mb);
                c.out.write("\r\n".getBytes(StandardCharsets.ISO_8859_1));
            }
            c.out.flush();
            String got = c.read();
            check(got.startsWith("-ERR Protocol error: request too large"), "request limit: " + got);
        } catch (IOException e) {
            // the server may close before all is written; then the reply is lost, which is fine
        }
        // A client that vanishes in the middle of a request changes nothing.
        try (Client c = s.client()) {
            c.out.write("*3\r\n$3\r\nSET\r\n$4\r\nkeep\r\n$10\r\nabc".getBytes(StandardCharsets.ISO_8859_1));
            c.out.flush();
        }
        // Inline commands, as telnet sends them.
        try (Client c = s.client()) {
            c.out.write("GET keep\r\n".getBytes(StandardCharsets.ISO_8859_1));
            c.out.flush();
            check(c.read().equals("me"), "inline GET");
            expect(c, "1", "DBSIZE");
        }
        // Hostile arguments get an error reply; the connection and the
        // replies pipelined before them stay.
        try (Client c = s.client()) {
            String emoji = "\uD83D\uDE00".repeat(60);   // 240 UTF-8 bytes, 120 chars
            c.out.write(Client.encode("SET", "pipelined", "1"));
            c.out.write(Client.encode("NOSUCHCMD", emoji, "\u00e9t\u00e9", "x"));
            c.out.write(Client.encode("SETRANGE", "sr", "9223372036854775807", "x"));
            c.out.write(Client.encode("SETRANGE", "sr", "536870911", "xx"));
            c.out.write(Client.encode("SHUTDOWN", "ABORT"));
            c.out.write(Client.encode("SHUTDOWN", "PLEASE"));
            c.out.write(Client.encode("SHUTDOWN", "NOSAVE", "ABORT"));
            c.out.write(Client.encode("GET", "pipelined"));
            c.out.flush();
            check(c.read().equals("OK"), "the SET before the unknown command");
            String unknown = c.read();
            check(unknown.startsWith("-ERR unknown command 'NOSUCHCMD', with args beginning with: '" + emoji + "' '\u00e9t\u00e9' "),
                  "unknown command with multi-byte arguments: " + unknown);
            String big = "-ERR string exceeds maximum allowed size (proto-max-bulk-len)";
            String got = c.read();
            check(got.equals(big), "SETRANGE at Long.MAX_VALUE: " + got);
            got = c.read();
            check(got.equals(big), "SETRANGE past the maximum size: " + got);
            got = c.read();
            check(got.equals("-ERR Errors trying to abort SHUTDOWN. Check logs."), "SHUTDOWN ABORT: " + got);
            got = c.read();
            check(got.equals("-ERR syntax error"), "SHUTDOWN PLEASE: " + got);
            got = c.read();
            check(got.equals("-ERR syntax error"), "SHUTDOWN NOSAVE ABORT: " + got);
            check(c.read().equals("1"), "GET after the refusals");
            expect(c, "0", "EXISTS", "sr");
        }
        // Requests that announce a million arguments each and never send
        // them: a small heap must not run out, and every event loop must
        // go on serving the clients it has and new ones.
        Server small = new Server(newHeap("announce"), "-Xmx160m");
        List<Client> idle = new ArrayList<>();
        try (Client before = small.client()) {
            expect(before, "OK", "SET", "k", "v");
            for (int i = 0; i < 80; i++) {
                Client c = small.client();
                idle.add(c);
                c.out.write("*1048576\r\n$3\r\nSET\r\n".getBytes(StandardCharsets.ISO_8859_1));
                c.out.flush();
            }
            expect(before, "v", "GET", "k");
            for (int i = 0; i < 8; i++) {   // new connections land on every loop
                try (Client c = small.client()) {
                    expect(c, "PONG", "PING");
                }
            }
        } finally {
            for (Client c : idle) {
                c.close();
            }
        }
    }

    static String run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new AssertionError(String.join(" ", cmd) + " failed:\n" + out);
        }
        return out.trim();
    }

    static void redisCli() throws Exception {
        if (!new File("/usr/bin/redis-cli").canExecute()) {
            throw new AssertionError("redis-cli is missing: make deps installs redis-tools");
        }
        Server s = new Server(newHeap("cli"));
        String p = Integer.toString(s.port);
        check(run("redis-cli", "-p", p, "PING").equals("PONG"), "redis-cli PING");
        check(run("redis-cli", "-p", p, "SET", "cli", "value with spaces").equals("OK"), "redis-cli SET");
        check(run("redis-cli", "-p", p, "GET", "cli").equals("value with spaces"), "redis-cli GET");
        check(run("redis-cli", "-p", p, "RPUSH", "cl", "1", "2").equals("2"), "redis-cli RPUSH");
        check(run("redis-cli", "-p", p, "LRANGE", "cl", "0", "-1").equals("1\n2"), "redis-cli LRANGE");
        check(run("redis-cli", "-p", p, "INFO", "keyspace").contains("db0:keys=2"), "redis-cli INFO");
        check(run("redis-cli", "-p", p, "--scan").lines().count() == 2, "redis-cli --scan");
        String bench = run("redis-benchmark", "-p", p, "-t", "set,get,incr,lpush", "-n", "2000", "-c", "20", "-P", "4", "-q");
        check(bench.contains("SET:") && bench.contains("GET:") && bench.contains("LPUSH:"), "redis-benchmark:\n" + bench);
        System.out.println("  redis-benchmark -n 2000 -c 20 -P 4: " + bench.replace('\n', ' ').replaceAll("\\s+", " "));
    }

    static void restart() throws Exception {
        String heap = newHeap("restart");
        Server s = new Server(heap);
        long at;
        try (Client c = s.client()) {
            expect(c, "OK", "SET", "str", "v");
            expect(c, "2", "RPUSH", "list", "a", "b");
            expect(c, "1", "HSET", "hash", "f", "v");
            expect(c, "1", "SADD", "set", "m");
            expect(c, "1", "ZADD", "zset", "2.5", "m");
            expect(c, "1", "EXPIRE", "str", "1000");
            at = Long.parseLong(c.call("PTTL", "str")) + System.currentTimeMillis();
            expect(c, "OK", "SET", "short", "x", "PX", "1500");
        }
        s.kill9();
        Thread.sleep(1600);
        s = new Server(heap);
        check(s.output.toString().contains("persistent dataset of 6 keys"), "restart banner:\n" + s.output);
        try (Client c = s.client()) {
            expect(c, "(nil)", "GET", "short");   // expired while the server was down
            expect(c, "5", "DBSIZE");
            expect(c, "v", "GET", "str");
            long at2 = Long.parseLong(c.call("PTTL", "str")) + System.currentTimeMillis();
            check(Math.abs(at2 - at) < 1000, "expiry time moved: " + at + " -> " + at2);
            expect(c, "[a, b]", "LRANGE", "list", "0", "-1");
            expect(c, "v", "HGET", "hash", "f");
            expect(c, "1", "SISMEMBER", "set", "m");
            expect(c, "2.5", "ZSCORE", "zset", "m");
            expect(c, "list", "TYPE", "list");
            expect(c, "zset", "TYPE", "zset");
            expect(c, "OK", "SET", "str2", "w");
        }
        // From the second restart of an unchanged server on, nothing moved and
        // nothing was locked: attach walks no object and does not collect,
        // also after kill -9 (the restart's cost does not grow with the data).
        s.kill9();
        s = new Server(heap, "-Xlog:gc+pmem");
        String log = s.output.toString();
        check(log.contains("objects not walked") && log.contains("ended abruptly"), "instant restart:\n" + log);
        try (Client c = s.client()) {
            expect(c, "6", "DBSIZE");
            expect(c, "w", "GET", "str2");
            expect(c, "[a, b]", "LRANGE", "list", "0", "-1");
        }
    }

    /**
     * kill -9 under load. Writers record what was acknowledged; after the
     * restart every acknowledged effect must be there, and each command
     * either took effect whole or not at all.
     */
    static void crash() throws Exception {
        int rounds = Integer.getInteger("kv.crash.rounds", 8);
        for (int r = 0; r < rounds; r++) {
            boolean sim = r % 2 == 1;   // every other round under the persistence-domain simulator
            crashRound(r, sim);
        }
    }

    static void crashRound(int round, boolean sim) throws Exception {
        String heap = newHeap("crash" + round);
        String[] jvm = sim ? new String[] {"-XX:+UnlockDiagnosticVMOptions", "-XX:+PmemSimulator",
                "-XX:PmemSimulatorSeed=" + round} : new String[0];
        Server s = new Server(heap, jvm);
        int writers = 4;
        AtomicBoolean stop = new AtomicBoolean();
        Map<String, String> ackedSet = new ConcurrentHashMap<>();
        AtomicLong[] ackedIncr = new AtomicLong[writers];
        AtomicLong[] ackedPush = new AtomicLong[writers];
        AtomicLong[] ackedExec = new AtomicLong[writers];
        AtomicLong[] ackedPiped = new AtomicLong[writers];   // pipelined INCRs
        Set<String> ackedQueued = ConcurrentHashMap.newKeySet(), ackedPopped = ConcurrentHashMap.newKeySet();
        List<String> poppedTwice = java.util.Collections.synchronizedList(new ArrayList<>());
        List<Thread> ts = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            final int id = w;
            ackedIncr[w] = new AtomicLong();
            ackedPush[w] = new AtomicLong();
            ackedExec[w] = new AtomicLong();
            ackedPiped[w] = new AtomicLong();
            Thread t = new Thread(() -> {
                try (Client c = s.client()) {
                    // ten elements that LMOVE and SMOVE carry between two keys: never lost, never doubled
                    String[] ten = {"0", "1", "2", "3", "4", "5", "6", "7", "8", "9"};
                    List<String> push = new ArrayList<>(List.of("RPUSH", "mla:" + id)), add = new ArrayList<>(List.of("SADD", "msa:" + id));
                    push.addAll(List.of(ten));
                    add.addAll(List.of(ten));
                    c.call(push.toArray(String[]::new));
                    c.call(add.toArray(String[]::new));
                    boolean forward = true;
                    for (long i = 1; !stop.get(); i++) {
                        String la = "mla:" + id, lb = "mlb:" + id;
                        if (c.call("LMOVE", forward ? la : lb, forward ? lb : la, "LEFT", "RIGHT").equals("(nil)")) {
                            forward = !forward;
                        }
                        c.call("SMOVE", i % 20 < 10 ? "msa:" + id : "msb:" + id, i % 20 < 10 ? "msb:" + id : "msa:" + id,
                                Long.toString(i % 10));
                        String k = "k:" + id + ":" + (i % 500);
                        String v = "v" + i + "-" + "x".repeat((int) (i % 200));
                        if (c.call("SET", k, v).equals("OK")) {
                            ackedSet.put(k, v);
                        }
                        if (c.call("INCR", "ctr:" + id).equals(Long.toString(i))) {
                            ackedIncr[id].set(i);
                        }
                        if (c.call("RPUSH", "log:" + id, Long.toString(i)).equals(Long.toString(i))) {
                            ackedPush[id].set(i);
                        }
                        c.call("MSET", "pa:" + id, Long.toString(i), "pb:" + id, Long.toString(i));
                        // MULTI/EXEC: all of it or none after a crash
                        c.call("MULTI");
                        c.call("INCR", "ma:" + id);
                        c.call("INCRBY", "mb:" + id, "2");
                        c.call("SET", "mc:" + id, Long.toString(i));
                        if (c.call("EXEC").equals("[" + i + ", " + 2 * i + ", OK]")) {
                            ackedExec[id].set(i);
                        }
                        String token = id + "-" + i;
                        if (!c.call("RPUSH", "bq", token).startsWith("-")) {
                            ackedQueued.add(token);
                        }
                        // Eight INCRs and eight RPUSHes pipelined
                        java.io.ByteArrayOutputStream pipe = new java.io.ByteArrayOutputStream();
                        for (int p = 0; p < 8; p++) {
                            pipe.writeBytes(Client.encode("INCR", "pc:" + id));
                            pipe.writeBytes(Client.encode("RPUSH", "pl:" + id, "x"));
                        }
                        c.out.write(pipe.toByteArray());
                        c.out.flush();
                        for (int p = 0; p < 8; p++) {
                            String incr = c.read();
                            c.read();
                            ackedPiped[id].set(Long.parseLong(incr));
                        }
                    }
                } catch (IOException e) {
                    // the server was killed
                }
            });
            ts.add(t);
            t.start();
        }
        Thread consumer = new Thread(() -> {   // BLPOP: what it was given is gone from the list, once
            try (Client c = s.client()) {
                while (!stop.get()) {
                    String got = c.call("BLPOP", "bq", "1");
                    if (got.startsWith("[bq, ") && !ackedPopped.add(got.substring(5, got.length() - 1))) {
                        poppedTwice.add(got);
                    }
                }
            } catch (IOException e) {
                // the server was killed
            }
        });
        consumer.start();
        Thread.sleep(300 + ThreadLocalRandom.current().nextInt(700));
        s.kill9();
        stop.set(true);
        for (Thread t : ts) {
            t.join();
        }
        consumer.join();
        check(poppedTwice.isEmpty(), "round " + round + ": BLPOP gave an element twice: " + poppedTwice);
        Server s2 = new Server(heap, jvm);
        try (Client c = s2.client()) {
            for (Map.Entry<String, String> e : ackedSet.entrySet()) {
                // A later SET of the same key may have committed unacknowledged; it is one of this writer's values.
                String got = c.call("GET", e.getKey());
                check(got.startsWith("v"), "round " + round + ": acknowledged SET " + e.getKey() + " lost (got " + got + ")");
                long ackedI = Long.parseLong(e.getValue().substring(1, e.getValue().indexOf('-')));
                long gotI = Long.parseLong(got.substring(1, got.indexOf('-')));
                check(gotI >= ackedI, "round " + round + ": " + e.getKey() + " went back from v" + ackedI + " to v" + gotI);
                check(got.length() == got.indexOf('-') + 1 + (int) (gotI % 200), "round " + round + ": torn value " + got);
            }
            for (int w = 0; w < writers; w++) {
                String ctr = c.call("GET", "ctr:" + w);
                long v = ctr.equals("(nil)") ? 0 : Long.parseLong(ctr);
                check(v >= ackedIncr[w].get() && v <= ackedIncr[w].get() + 1,
                        "round " + round + ": ctr:" + w + " = " + v + ", acknowledged " + ackedIncr[w].get());
                long len = Long.parseLong(c.call("LLEN", "log:" + w));
                check(len >= ackedPush[w].get() && len <= ackedPush[w].get() + 1,
                        "round " + round + ": log:" + w + " has " + len + ", acknowledged " + ackedPush[w].get());
                if (len > 0) {
                    check(c.call("LINDEX", "log:" + w, "-1").equals(Long.toString(len)), "round " + round + ": log tail");
                    check(c.call("LINDEX", "log:" + w, "0").equals("1"), "round " + round + ": log head");
                }
                check(c.call("GET", "pa:" + w).equals(c.call("GET", "pb:" + w)), "round " + round + ": MSET half applied");
                String pc = c.call("GET", "pc:" + w);
                long piped = pc.equals("(nil)") ? 0 : Long.parseLong(pc);
                check(piped >= ackedPiped[w].get() && piped <= ackedPiped[w].get() + 8,
                        "round " + round + ": pipelined pc:" + w + " = " + piped + ", acknowledged " + ackedPiped[w].get());
                long pl = Long.parseLong(c.call("LLEN", "pl:" + w));
                check(pl >= piped - 1 && pl <= piped,   // each INCR's RPUSH follows it
                        "round " + round + ": pipelined pl:" + w + " has " + pl + " for pc " + piped);
                String ma = c.call("GET", "ma:" + w), mb = c.call("GET", "mb:" + w), mc = c.call("GET", "mc:" + w);
                long execs = ma.equals("(nil)") ? 0 : Long.parseLong(ma);
                check(execs >= ackedExec[w].get() && execs <= ackedExec[w].get() + 1
                        && (execs == 0 ? mb.equals("(nil)") && mc.equals("(nil)")
                                       : mb.equals(Long.toString(2 * execs)) && mc.equals(ma)),
                        "round " + round + ": EXEC half applied or lost: ma " + ma + ", mb " + mb + ", mc " + mc
                        + ", acknowledged " + ackedExec[w].get());
                List<String> moved = new ArrayList<>();
                for (String k : new String[] {"mla:", "mlb:"}) {
                    String l = c.call("LRANGE", k + w, "0", "-1");
                    if (!l.equals("[]")) {
                        moved.addAll(List.of(l.substring(1, l.length() - 1).split(", ")));
                    }
                }
                moved.sort(null);
                check(moved.isEmpty() || moved.equals(List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9")),
                        "round " + round + ": LMOVE lost or doubled an element: " + moved);
                long sa = Long.parseLong(c.call("SCARD", "msa:" + w)), sb = Long.parseLong(c.call("SCARD", "msb:" + w));
                check(sa + sb == 0 || sa + sb == 10, "round " + round + ": SMOVE lost or doubled a member: " + sa + " + " + sb);
            }
            // The queue: nothing popped is still there, nothing is there twice, and every acknowledged push
            // was popped or is there, but for at most the one pop the crash kept from being acknowledged.
            String q = c.call("LRANGE", "bq", "0", "-1");
            List<String> left = q.equals("[]") ? List.of() : List.of(q.substring(1, q.length() - 1).split(", "));
            check(new java.util.HashSet<>(left).size() == left.size(), "round " + round + ": an element twice in bq");
            for (String t : left) {
                check(!ackedPopped.contains(t), "round " + round + ": " + t + " popped and still in bq");
            }
            long missing = ackedQueued.stream().filter(t -> !ackedPopped.contains(t) && !left.contains(t)).count();
            check(missing <= 1, "round " + round + ": " + missing + " acknowledged pushes neither popped nor in bq");
            System.out.printf("  crash round %d%s: %d keys acknowledged, counters %s, EXECs %s, %d popped by BLPOP%n",
                    round, sim ? " (simulator)" : "", ackedSet.size(), Arrays.toString(ackedIncr),
                    Arrays.toString(ackedExec), ackedPopped.size());
        }
        s2.kill9();
        Files.deleteIfExists(Path.of(heap));
    }
}
