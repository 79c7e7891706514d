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

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jdk.internal.pmem.Pmem;

/** Connection and server commands: PING, ECHO, SELECT, QUIT, HELLO, COMMAND, CONFIG, INFO, DBSIZE, FLUSHDB, FLUSHALL, TIME, SHUTDOWN. */
final class ServerCommands {
    private ServerCommands() {}

    static void register(Server s) {
        s.add("PING", -1, false, 0, 0, 0, c -> {
            if (c.argc() > 2) {
                throw new KvError("ERR wrong number of arguments for 'ping' command");
            }
            if (c.argc() == 2) {
                c.out.bulk(c.arg(1));
            } else {
                c.out.simple("PONG");
            }
        });
        s.add("ECHO", 2, false, 0, 0, 0, c -> c.out.bulk(c.arg(1)));
        s.add("SELECT", 2, false, 0, 0, 0, c -> {
            if (c.argLong(1) != 0) {
                throw new KvError("ERR DB index is out of range");
            }
            c.out.ok();
        });
        s.add("QUIT", -1, false, 0, 0, 0, c -> {
            c.out.ok();
            c.quit = true;
        });
        s.add("HELLO", -1, false, 0, 0, 0, c -> hello(s, c));
        s.add("COMMAND", -1, false, 0, 0, 0, c -> command(s, c));
        s.add("CONFIG", -2, false, 0, 0, 0, c -> config(s, c));
        s.add("INFO", -1, false, 0, 0, 0, c -> c.out.bulk(info(s, c.argc() > 1 ? Bytes.str(c.arg(1)).toLowerCase() : "default")));
        s.add("DBSIZE", 1, false, 0, 0, 0, c -> c.out.integer(c.db.size()));
        s.add("FLUSHDB", -1, false, 0, 0, 0, ServerCommands::flush);
        s.add("FLUSHALL", -1, false, 0, 0, 0, ServerCommands::flush);
        s.add("TIME", 1, false, 0, 0, 0, c -> {
            long us = System.currentTimeMillis() * 1000 + (System.nanoTime() / 1000) % 1000;
            c.out.array(2);
            c.out.bulk(Long.toString(us / 1_000_000));
            c.out.bulk(Long.toString(us % 1_000_000));
        });
        s.add("SHUTDOWN", -1, false, 0, 0, 0, c -> {
            // SHUTDOWN [NOSAVE|SAVE] [NOW] [FORCE] [ABORT], as Redis 7 reads it;
            // ABORT cancels a shutdown in progress, and there never is one.
            boolean abort = false, other = false;
            for (int i = 1; i < c.argc(); i++) {
                if (c.is(i, "ABORT")) {
                    abort = true;
                } else if (c.is(i, "NOSAVE") || c.is(i, "SAVE") || c.is(i, "NOW") || c.is(i, "FORCE")) {
                    other = true;
                } else {
                    throw KvError.SYNTAX;
                }
            }
            if (abort && other) {
                throw KvError.SYNTAX;
            }
            if (abort) {
                throw new KvError("ERR Errors trying to abort SHUTDOWN. Check logs.");
            }
            // Nothing to save: every acknowledged write is already durable.
            System.out.println("pmem-kv: SHUTDOWN from a client; exiting");
            System.out.flush();
            Runtime.getRuntime().halt(0);
        });
    }

    private static void flush(Ctx c) {
        if (c.argc() > 2 || c.argc() == 2 && !c.is(1, "ASYNC") && !c.is(1, "SYNC")) {
            throw KvError.SYNTAX;
        }
        long all = c.db.lockAll();
        try {
            c.db.flush();
            c.server.repl.flushed(c.argv);
        } finally {
            c.db.unlock(all);
        }
        c.out.ok();
    }

    private static void hello(Server s, Ctx c) {
        String user = null;
        byte[] password = null;
        byte[] clientName = null;
        if (c.argc() > 1) {
            long proto;
            try {
                proto = Bytes.parseLong(c.arg(1));
            } catch (NumberFormatException e) {
                throw new KvError("ERR Protocol version is not an integer or out of range");
            }
            if (proto != 2) {
                throw new KvError("NOPROTO this server speaks RESP2 only");
            }
            for (int i = 2; i < c.argc(); i++) {
                if (c.is(i, "AUTH") && i + 2 < c.argc()) {
                    user = Bytes.str(c.arg(i + 1));
                    password = c.arg(i + 2);
                    i += 2;
                } else if (c.is(i, "SETNAME") && i + 1 < c.argc()) {
                    clientName = c.arg(++i);
                } else {
                    throw new KvError("ERR Syntax error in HELLO option '" + Bytes.str(c.arg(i)) + "'");
                }
            }
        }
        AuthCommands.hello(s, c, user, password);
        if (clientName != null) {
            ClientCommands.setName(c, clientName);
        }
        c.out.array(14);
        c.out.bulk("server");
        c.out.bulk("redis");
        c.out.bulk("version");
        c.out.bulk(Server.REDIS_VERSION);
        c.out.bulk("proto");
        c.out.integer(2);
        c.out.bulk("id");
        c.out.integer(c.id);
        c.out.bulk("mode");
        c.out.bulk("standalone");
        c.out.bulk("role");
        c.out.bulk("master");
        c.out.bulk("modules");
        c.out.array(0);
    }

    private static void command(Server s, Ctx c) {
        if (c.argc() == 1) {
            c.out.array(s.commands.size());
            s.commands.values().forEach(cmd -> commandInfo(c, cmd));
        } else if (c.is(1, "COUNT")) {
            c.out.integer(s.commands.size());
        } else if (c.is(1, "DOCS")) {
            c.out.array(0);   // no docs; redis-cli then works without hints
        } else if (c.is(1, "INFO")) {
            c.out.array(c.argc() - 2);
            for (int i = 2; i < c.argc(); i++) {
                Cmd cmd = s.commands.get(Bytes.str(c.arg(i)).toUpperCase());
                if (cmd == null) {
                    c.out.nilArray();
                } else {
                    commandInfo(c, cmd);
                }
            }
        } else if (c.is(1, "LIST")) {
            c.out.array(s.commands.size());
            s.commands.values().forEach(cmd -> c.out.bulk(cmd.name()));
        } else {
            throw new KvError("ERR unknown subcommand '" + Bytes.str(c.arg(1)) + "'. Try COMMAND HELP.");
        }
    }

    private static void commandInfo(Ctx c, Cmd cmd) {
        c.out.array(6);
        c.out.bulk(cmd.name());
        c.out.integer(cmd.arity());
        c.out.array(1);
        c.out.simple(cmd.write() ? "write" : "readonly");
        c.out.integer(cmd.firstKey());
        c.out.integer(cmd.lastKey());
        c.out.integer(cmd.step());
    }

    private static void config(Server s, Ctx c) {
        if (c.is(1, "GET")) {
            Map<String, String> conf = new java.util.LinkedHashMap<>();
            conf.put("save", "");                 // no snapshots: the heap is the data
            conf.put("appendonly", "no");         // no AOF either
            conf.put("appendfsync", "no");
            conf.put("databases", "1");
            conf.put("port", Integer.toString(s.port));
            conf.put("maxclients", Integer.toString(s.maxClients));
            conf.put("proto-max-bulk-len", Integer.toString(s.limits.maxBulk()));
            conf.put("maxmemory", Long.toString(Pmem.capacityBytes()));
            conf.put("pmem-file", Pmem.fileName());
            conf.put("requirepass", s.requirepass == null ? "" : s.requirepass);
            conf.put("protected-mode", s.protectedMode ? "yes" : "no");
            conf.putAll(Encodings.config());
            List<String> out = new ArrayList<>();
            for (int i = 2; i < c.argc(); i++) {
                byte[] pat = Bytes.of(Bytes.str(c.arg(i)).toLowerCase());
                conf.forEach((k, v) -> {
                    if (Glob.match(pat, Bytes.of(k)) && !out.contains(k)) {
                        out.add(k);
                        out.add(v);
                    }
                });
            }
            c.out.array(out.size());
            out.forEach(c.out::bulk);
        } else if (c.is(1, "SET")) {
            configSet(s, c);
        } else if (c.is(1, "RESETSTAT") && c.argc() == 2) {
            // INFO stats' counters start again, as in Redis (connected clients and the dataset are not stats)
            for (java.util.concurrent.atomic.AtomicLong a : new java.util.concurrent.atomic.AtomicLong[] {
                    s.connectionsReceived, s.commandsProcessed, s.expiredKeys, s.hits, s.misses,
                    s.repl.fullSyncs, s.repl.partialOk, s.repl.partialErr}) {
                a.set(0);
            }
            c.out.ok();
        } else if (c.is(1, "RESETSTAT") || c.is(1, "REWRITE")) {
            throw new KvError("ERR CONFIG " + Bytes.str(c.arg(1)).toUpperCase()
                    + " is not supported by pmem-kv (its settings are command-line options)");
        } else {
            throw new KvError("ERR unknown subcommand '" + Bytes.str(c.arg(1)) + "'. Try CONFIG HELP.");
        }
    }

    /**
     * CONFIG SET param value [param value ...], as Redis 7.0: every pair
     * checked before any is applied. The parameters: requirepass,
     * protected-mode, and the encoding thresholds (Encodings).
     */
    private static void configSet(Server s, Ctx c) {
        if (c.argc() < 4 || c.argc() % 2 != 0) {
            throw new KvError("ERR wrong number of arguments for 'config|set' command");
        }
        java.util.Map<String, String> set = new java.util.LinkedHashMap<>();
        for (int i = 2; i < c.argc(); i += 2) {
            String name = Bytes.str(c.arg(i)).toLowerCase(), v = Bytes.str(c.arg(i + 1));
            if (set.containsKey(name)) {
                throw new KvError("ERR CONFIG SET failed (possibly related to argument '" + name + "') - duplicate parameter");
            }
            switch (name) {
                case "requirepass" -> { }
                case "protected-mode" -> {
                    if (!v.equalsIgnoreCase("yes") && !v.equalsIgnoreCase("no")) {
                        throw new KvError("ERR CONFIG SET failed (possibly related to argument 'protected-mode') - argument "
                                + "must be 'yes' or 'no'");
                    }
                }
                default -> {
                    if (!Encodings.config().containsKey(name)) {
                        throw new KvError("ERR Unknown option or number of arguments for CONFIG SET - '" + name + "'");
                    }
                    long n;
                    try {
                        n = Bytes.parseLong(c.arg(i + 1));
                    } catch (NumberFormatException e) {
                        throw new KvError("ERR CONFIG SET failed (possibly related to argument '" + name
                                + "') - argument couldn't be parsed into an integer");
                    }
                    if (!Encodings.inRange(name, n)) {
                        throw new KvError("ERR CONFIG SET failed (possibly related to argument '" + name
                                + "') - argument must be between " + (name.startsWith("list-max-") ? Integer.MIN_VALUE : 0) + " and "
                                + (name.startsWith("list-") || name.equals("set-max-intset-entries") ? Integer.MAX_VALUE
                                        : Long.MAX_VALUE) + " inclusive");
                    }
                }
            }
            set.put(name, v);
        }
        set.forEach((name, v) -> {
            switch (name) {
                case "requirepass" -> s.requirepass = v.isEmpty() ? null : v;   // clients authenticated so far stay so
                case "protected-mode" -> s.protectedMode = v.equalsIgnoreCase("yes");
                default -> Encodings.set(name, Long.parseLong(v));
            }
        });
        c.out.ok();
    }

    static String info(Server s, String section) {
        boolean all = section.equals("all") || section.equals("everything") || section.equals("default");
        StringBuilder sb = new StringBuilder();
        if (all || section.equals("server")) {
            sb.append("# Server\r\n")
              .append("redis_version:").append(Server.REDIS_VERSION).append("\r\n")
              .append("pmem_kv_version:").append(Server.VERSION).append("\r\n")
              .append("redis_mode:standalone\r\n")
              .append("os:").append(System.getProperty("os.name")).append(' ').append(System.getProperty("os.arch")).append("\r\n")
              .append("java_version:").append(System.getProperty("java.vm.version")).append("\r\n")
              .append("process_id:").append(ProcessHandle.current().pid()).append("\r\n")
              .append("tcp_port:").append(s.port).append("\r\n")
              .append("uptime_in_seconds:").append(s.uptimeSeconds()).append("\r\n")
              .append("uptime_in_days:").append(s.uptimeSeconds() / 86400).append("\r\n\r\n");
        }
        if (all || section.equals("clients")) {
            sb.append("# Clients\r\n")
              .append("connected_clients:").append(s.clients.get()).append("\r\n")
              .append("maxclients:").append(s.maxClients).append("\r\n\r\n");
        }
        if (all || section.equals("memory")) {
            Runtime rt = Runtime.getRuntime();
            sb.append("# Memory\r\n")
              .append("used_memory:").append(Pmem.usedBytes()).append("\r\n")
              .append("pmem_heap_used:").append(Pmem.usedBytes()).append("\r\n")
              .append("pmem_heap_capacity:").append(Pmem.capacityBytes()).append("\r\n")
              .append("volatile_heap_used:").append(rt.totalMemory() - rt.freeMemory()).append("\r\n\r\n");
        }
        if (all || section.equals("persistence")) {
            sb.append("# Persistence\r\n")
              .append("loading:0\r\n")
              .append("async_loading:0\r\n")
              .append("rdb_changes_since_last_save:0\r\n")
              .append("rdb_bgsave_in_progress:0\r\n")
              .append("rdb_last_bgsave_status:ok\r\n")
              .append("aof_enabled:0\r\n")
              .append("aof_rewrite_in_progress:0\r\n")
              .append("pmem_enabled:1\r\n")
              .append("pmem_file:").append(Pmem.fileName()).append("\r\n")
              .append("pmem_durability:every acknowledged write (one transaction per command)\r\n")
              .append("pmem_first_run:").append(Pmem.isFirstRun() ? 1 : 0).append("\r\n")
              .append("pmem_dataset_created_ms:").append(s.db.root.createdMs).append("\r\n")
              .append("pmem_ready_ms_after_process_start:").append(s.readyMs).append("\r\n\r\n");
        }
        if (all || section.equals("stats")) {
            sb.append("# Stats\r\n")
              .append("total_connections_received:").append(s.connectionsReceived.get()).append("\r\n")
              .append("total_commands_processed:").append(s.commandsProcessed.get()).append("\r\n")
              .append("expired_keys:").append(s.expiredKeys.get()).append("\r\n")
              .append("keyspace_hits:").append(s.hits.get()).append("\r\n")
              .append("keyspace_misses:").append(s.misses.get()).append("\r\n")
              .append("sync_full:").append(s.repl.fullSyncs.get()).append("\r\n")
              .append("sync_partial_ok:").append(s.repl.partialOk.get()).append("\r\n")
              .append("sync_partial_err:").append(s.repl.partialErr.get()).append("\r\n")
              .append("gc_time_ms:").append(ManagementFactory.getGarbageCollectorMXBeans().stream()
                      .mapToLong(b -> Math.max(0, b.getCollectionTime())).sum()).append("\r\n\r\n");
        }
        if (all || section.equals("replication")) {
            sb.append(s.replicaLink != null && s.replicaLink.isReplica() ? s.replicaLink.info() : s.repl.info());
        }
        if (all || section.equals("keyspace")) {
            sb.append("# Keyspace\r\n");
            long keys = s.db.size();
            if (keys > 0) {
                sb.append("db0:keys=").append(keys).append(",expires=").append(s.db.expiresSize())
                  .append(",avg_ttl=0\r\n");
            }
        }
        return sb.toString();
    }
}
