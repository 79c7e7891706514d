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

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * CLIENT ID, GETNAME, SETNAME, INFO, LIST (TYPE, ID), KILL (the old
 * ip:port form and the ID/ADDR/LADDR/TYPE/USER/SKIPME filters), NO-EVICT
 * and HELP, as Redis 7.0 answers them; and SCRIPT FLUSH and FUNCTION FLUSH,
 * which clients and tools send on connect or reset, as no-ops (pmem-kv has
 * no scripting). CLIENT LIST's fields are Redis's; memory fields that have
 * no counterpart here are 0 and fd is -1.
 */
final class ClientCommands {
    private ClientCommands() {}

    /** Commands whose first argument is a subcommand (for CLIENT LIST's cmd=). */
    static final Set<String> HAS_SUBCOMMANDS = Set.of("CLIENT", "CONFIG", "COMMAND", "SCRIPT", "FUNCTION", "OBJECT");

    static void register(Server s) {
        s.add("CLIENT", -2, false, 0, 0, 0, c -> client(s, c));
        s.add("SCRIPT", -2, false, 0, 0, 0, c -> flushOnly(c, "SCRIPT"));
        s.add("FUNCTION", -2, false, 0, 0, 0, c -> flushOnly(c, "FUNCTION"));
    }

    private static void arity(Ctx c, boolean ok, String sub) {
        if (!ok) {
            throw new KvError("ERR wrong number of arguments for 'client|" + sub + "' command");
        }
    }

    private static void client(Server s, Ctx c) {
        String sub = Bytes.str(c.arg(1)).toLowerCase();
        int n = c.argc();
        switch (sub) {
            case "id" -> {
                arity(c, n == 2, sub);
                c.out.integer(c.id);
            }
            case "getname" -> {
                arity(c, n == 2, sub);
                c.out.bulk(c.name);
            }
            case "setname" -> {
                arity(c, n == 3, sub);
                setName(c, c.arg(2));
                c.out.ok();
            }
            case "info" -> {
                arity(c, n == 2, sub);
                c.out.bulk(line(c, c.now));
            }
            case "list" -> list(s, c);
            case "kill" -> {
                arity(c, n >= 3, sub);
                kill(s, c);
            }
            case "no-evict" -> {
                arity(c, n == 3, sub);
                if (!c.is(2, "ON") && !c.is(2, "OFF")) {
                    throw KvError.SYNTAX;
                }
                c.out.ok();   // nothing is evicted here
            }
            case "help" -> {
                arity(c, n == 2, sub);
                String[] help = {
                    "CLIENT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
                    "GETNAME", "    Return the name of the current connection.",
                    "ID", "    Return the ID of the current connection.",
                    "INFO", "    Return information about the current client connection.",
                    "KILL <ip:port>", "    Kill connection made from <ip:port>.",
                    "KILL <option> <value> [<option> <value> [...]]",
                    "    Kill connections. Options are: ID <client-id>, ADDR <ip:port>, LADDR <ip:port>,",
                    "    TYPE (NORMAL|MASTER|REPLICA|PUBSUB), USER <username>, SKIPME (YES|NO).",
                    "LIST [TYPE (NORMAL|MASTER|REPLICA|PUBSUB)] [ID <client-id> ...]",
                    "    Return information about client connections.",
                    "NO-EVICT (ON|OFF)", "    Accepted; pmem-kv evicts nothing.",
                    "SETNAME <name>", "    Assign the name <name> to the current connection.",
                    "HELP", "    Print this help."};
                c.out.array(help.length);
                for (String h : help) {
                    c.out.simple(h);
                }
            }
            default -> throw new KvError("ERR unknown subcommand '" + truncate(Bytes.str(c.arg(1)))
                    + "'. Try CLIENT HELP.");
        }
    }

    private static String truncate(String s) {
        return s.length() > 128 ? s.substring(0, 128) : s;
    }

    /** CLIENT SETNAME, HELLO SETNAME: printable characters other than the space; "" removes the name. */
    static void setName(Ctx c, byte[] name) {
        for (byte b : name) {
            if (b < '!' || b > '~') {
                throw new KvError("ERR Client names cannot contain spaces, newlines or special characters.");
            }
        }
        c.name = name.length == 0 ? null : name;
    }

    private static void list(Server s, Ctx c) {
        List<Long> ids = null;
        boolean none = false;   // TYPE master, replica or pubsub: there are no such clients here
        for (int i = 2; i < c.argc(); i++) {
            if (c.is(i, "TYPE") && i + 1 < c.argc()) {
                String t = Bytes.str(c.arg(++i)).toLowerCase();
                switch (t) {
                    case "normal" -> { }
                    case "master", "replica", "slave", "pubsub" -> none = true;
                    default -> throw new KvError("ERR Unknown client type '" + Bytes.str(c.arg(i)) + "'");
                }
            } else if (c.is(i, "ID") && i + 1 < c.argc()) {
                ids = new ArrayList<>();
                for (i++; i < c.argc(); i++) {
                    try {
                        ids.add(Bytes.parseLong(c.arg(i)));   // 0 or less names no client
                    } catch (NumberFormatException e) {
                        throw new KvError("ERR Invalid client ID");
                    }
                }
            } else {
                throw KvError.SYNTAX;
            }
        }
        StringBuilder sb = new StringBuilder();
        if (!none) {
            for (Ctx x : new java.util.TreeMap<>(s.connections).values()) {
                if (ids == null || ids.contains(x.id)) {
                    sb.append(line(x, c.now)).append('\n');
                }
            }
        }
        c.out.bulk(sb.toString());
    }

    /** One client's CLIENT LIST line (without the newline). */
    private static String line(Ctx x, long now) {
        byte[] name = x.name;
        BlockingCommands.Blocked blocked = x.blocked;
        String flags = (x.multi.open ? "x" : "") + (blocked != null ? "b" : "");
        return "id=" + x.id + " addr=" + x.addr + " laddr=" + x.laddr + " fd=-1 name="
                + (name == null ? "" : Bytes.str(name)) + " age=" + Math.max(0, (now - x.createdMs) / 1000)
                + " idle=" + Math.max(0, (now - x.lastMs) / 1000) + " flags=" + (flags.isEmpty() ? "N" : flags)
                + " db=0 sub=0 psub=0 ssub=0 multi=" + (x.multi.open ? x.multi.queue.size() : -1)
                + " qbuf=0 qbuf-free=0 argv-mem=0 multi-mem=0 rbs=0 rbp=0 obl=0 oll=0 omem=0 tot-mem=0 events=r cmd="
                + x.lastCmd + " user=default redir=-1 resp=2";
    }

    private static void kill(Server s, Ctx c) {
        if (c.argc() == 3) {   // the old form: CLIENT KILL ip:port
            String addr = Bytes.str(c.arg(2));
            for (Ctx x : s.connections.values()) {
                if (x.addr.equals(addr)) {
                    kill(c, x);
                    c.out.ok();
                    return;
                }
            }
            throw new KvError("ERR No such client");
        }
        Long id = null;
        String addr = null, laddr = null, user = null;
        boolean skipMe = true, none = false;
        for (int i = 2; i < c.argc(); i += 2) {
            if (i + 1 >= c.argc()) {
                throw KvError.SYNTAX;
            }
            String v = Bytes.str(c.arg(i + 1));
            if (c.is(i, "ID")) {
                long x;
                try {
                    x = Bytes.parseLong(c.arg(i + 1));
                } catch (NumberFormatException e) {
                    x = 0;
                }
                if (x <= 0) {
                    throw new KvError("ERR client-id should be greater than 0");
                }
                id = x;
            } else if (c.is(i, "ADDR")) {
                addr = v;
            } else if (c.is(i, "LADDR")) {
                laddr = v;
            } else if (c.is(i, "USER")) {
                if (!v.equals("default")) {
                    throw new KvError("ERR No such user '" + v + "'");
                }
                user = v;
            } else if (c.is(i, "TYPE")) {
                switch (v.toLowerCase()) {
                    case "normal" -> { }
                    case "master", "replica", "slave", "pubsub" -> none = true;
                    default -> throw new KvError("ERR Unknown client type '" + v + "'");
                }
            } else if (c.is(i, "SKIPME")) {
                if (v.equalsIgnoreCase("yes")) {
                    skipMe = true;
                } else if (v.equalsIgnoreCase("no")) {
                    skipMe = false;
                } else {
                    throw KvError.SYNTAX;
                }
            } else {
                throw KvError.SYNTAX;
            }
        }
        long killed = 0;
        if (!none) {
            for (Ctx x : s.connections.values()) {
                if ((id == null || x.id == id) && (addr == null || x.addr.equals(addr))
                        && (laddr == null || x.laddr.equals(laddr)) && !(skipMe && x == c)) {
                    kill(c, x);
                    killed++;
                }
            }
        }
        c.out.integer(killed);
    }

    /** Closes x: at once from its own loop, or after this reply if x is the caller (as Redis does). */
    private static void kill(Ctx self, Ctx x) {
        if (x == self) {
            self.quit = true;
        } else if (x.killer != null) {
            x.killer.run();
        }
    }

    /** SCRIPT FLUSH, FUNCTION FLUSH [ASYNC|SYNC]: nothing to flush; any other subcommand says so. */
    private static void flushOnly(Ctx c, String what) {
        if (c.is(1, "FLUSH") && (c.argc() == 2 || c.argc() == 3 && (c.is(2, "ASYNC") || c.is(2, "SYNC")))) {
            c.out.ok();
            return;
        }
        if (c.is(1, "FLUSH")) {   // Redis's words differ between the two
            throw new KvError(what.equals("SCRIPT") ? "ERR SCRIPT FLUSH only support SYNC|ASYNC option"
                    : c.argc() == 3 ? "ERR FUNCTION FLUSH only supports SYNC|ASYNC option"
                    : "ERR unknown subcommand or wrong number of arguments for 'FLUSH'. Try FUNCTION HELP.");
        }
        throw new KvError("ERR " + what + " " + Bytes.str(c.arg(1)).toUpperCase()
                + " is not supported: pmem-kv has no scripting");
    }

    /** ip:port as Redis writes it ([ip]:port for IPv6). */
    static String format(SocketAddress a) {
        if (a instanceof InetSocketAddress i) {
            String ip = i.getAddress().getHostAddress();
            return (ip.contains(":") ? "[" + ip + "]" : ip) + ":" + i.getPort();
        }
        return String.valueOf(a);
    }
}
