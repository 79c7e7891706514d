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
import java.net.InetSocketAddress;
import java.nio.channels.SocketChannel;
import java.security.MessageDigest;
import java.util.Set;

/**
 * AUTH, HELLO's AUTH option and protected mode, as Redis 7 has them for its
 * default user. With a password (--requirepass, CONFIG SET requirepass)
 * every command but AUTH, HELLO and QUIT answers NOAUTH until the client
 * authenticates. Without one, protected mode (on unless --protected-mode
 * no) refuses clients that do not come from the loopback interface, with
 * Redis's DENIED message.
 */
final class AuthCommands {
    private AuthCommands() {}

    /** What a client may send before it authenticates. */
    static final Set<String> NO_AUTH = Set.of("AUTH", "HELLO", "QUIT");

    static final String DENIED = "-DENIED Redis is running in protected mode because protected mode is enabled and no "
            + "password is set for the default user. In this mode connections are only accepted from the loopback "
            + "interface. If you want to connect from external computers to Redis you may adopt one of the following "
            + "solutions: 1) Just disable protected mode sending the command 'CONFIG SET protected-mode no' from the "
            + "loopback interface by connecting to Redis from the same host the server is running, however MAKE SURE "
            + "Redis is not publicly accessible from internet if you do so. Use CONFIG REWRITE to make this change "
            + "permanent. 2) Alternatively you can just disable the protected mode by editing the Redis configuration "
            + "file, and setting the protected mode option to 'no', and then restarting the server. 3) If you started "
            + "the server manually just for testing, restart it with the '--protected-mode no' option. 4) Setup a an "
            + "authentication password for the default user. NOTE: You only need to do one of the above things in "
            + "order for the server to start accepting connections from the outside.";

    static void register(Server s) {
        s.add("AUTH", -2, false, 0, 0, 0, c -> {
            if (c.argc() > 3) {
                throw KvError.SYNTAX;
            }
            String user = c.argc() == 3 ? Bytes.str(c.arg(1)) : "default";
            if (c.argc() == 2 && s.requirepass == null) {
                throw new KvError("ERR AUTH <password> called without any password configured for the default user. "
                        + "Are you sure your configuration is correct?");
            }
            check(s, c, user, c.arg(c.argc() - 1));
            c.out.ok();
        });
    }

    /** Authenticates c as user with password, or WRONGPASS. */
    static void check(Server s, Ctx c, String user, byte[] password) {
        String pass = s.requirepass;
        boolean ok = user.equals("default") && (pass == null
                || MessageDigest.isEqual(Bytes.of(pass), password));   // constant time
        if (!ok) {
            throw new KvError("WRONGPASS invalid username-password pair or user is disabled.");
        }
        c.authenticated = true;
    }

    /** HELLO: its AUTH option, or NOAUTH for a client that must authenticate first. */
    static void hello(Server s, Ctx c, String user, byte[] password) {
        if (password != null) {
            check(s, c, user, password);
        } else if (!c.authenticated) {
            throw new KvError("NOAUTH HELLO must be called with the client already authenticated, otherwise the HELLO "
                    + "AUTH <user> <pass> option can be used to authenticate the client and select the RESP protocol "
                    + "version at the same time");
        }
    }

    /** Protected mode: no password, and a client that is not on the loopback interface. */
    static boolean deniedByProtectedMode(Server s, SocketChannel ch) {
        if (!s.protectedMode || s.requirepass != null) {
            return false;
        }
        try {
            return ch.getRemoteAddress() instanceof InetSocketAddress a && !a.getAddress().isLoopbackAddress();
        } catch (IOException e) {
            return true;   // gone already
        }
    }
}
