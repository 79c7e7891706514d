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
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.Iterator;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * One client connection, served by an event loop. Requests are parsed as
 * their bytes arrive and run in order; the replies of all requests a read
 * brought in go out in one write (pipelining). While a client does not take
 * its replies, its requests are not read (backpressure), so a slow reader
 * holds at most one reply buffer.
 */
final class Conn {
    private final Server server;
    private final SocketChannel ch;
    private final SelectionKey key;
    private final Resp.Reader in;
    private final Resp.Reply out = new Resp.Reply();
    private final Ctx ctx;
    private ByteBuffer pending;      // reply bytes the socket did not take yet
    private boolean closing;         // QUIT or a protocol error: close once the replies are out

    private Conn(Server server, SocketChannel ch, Selector sel, Loop loop) throws IOException {
        this.server = server;
        this.ch = ch;
        this.in = new Resp.Reader(server.limits);
        this.ctx = new Ctx(server, out);
        this.key = ch.register(sel, SelectionKey.OP_READ, this);
        this.ctx.waker = () -> loop.wake(this);
        this.ctx.killer = () -> loop.kill(this);
        this.ctx.addr = ClientCommands.format(ch.getRemoteAddress());
        this.ctx.laddr = ClientCommands.format(ch.getLocalAddress());
        server.connections.put(ctx.id, ctx);
    }

    /** Woken (a push to a key it waits on, or its timeout): runs the blocked command again, then what followed it. */
    private void retry() throws IOException {
        BlockingCommands.Blocked b = ctx.blocked;
        if (b == null || !key.isValid()) {
            return;   // served already, or gone
        }
        BlockingCommands.unblock(ctx);
        ctx.blockedSince = b;
        try {
            server.execute(ctx, b.argv());
        } finally {
            ctx.blockedSince = null;
        }
        run();
    }

    private void readable() throws IOException {
        int k;
        try {
            k = in.readFrom(ch);
        } catch (Resp.ProtocolError e) {
            refuse(e);
            return;
        }
        if (k < 0) {
            close();   // possibly in the middle of a request: nothing of it ran
            return;
        }
        run();
    }

    // Runs every whole request buffered, then sends the replies.
    private void run() throws IOException {
        while (!closing && pending == null && ctx.blocked == null) {
            byte[][] argv;
            try {
                argv = in.read();
            } catch (Resp.ProtocolError e) {
                refuse(e);
                return;
            }
            if (argv == null) {
                break;
            }
            if (argv.length > 0) {
                server.execute(ctx, argv);
            }
            if (ctx.psync != null) {
                handOver();
                return;
            }
            closing = ctx.quit;
            if (out.size() > 256 * 1024) {
                send();
            }
        }
        send();
    }

    /**
     * PSYNC or SYNC ran: the channel leaves this loop for a replica link
     * (blocking, with threads of its own); replies already made go first.
     */
    private void handOver() throws IOException {
        server.connections.remove(ctx.id);
        MultiCommands.unwatch(ctx);
        key.cancel();
        key.selector().selectNow();   // deregisters it, so the channel may block
        server.clients.decrementAndGet();
        ch.configureBlocking(true);
        ByteBuffer rest = pending != null ? pending : out.size() > 0 ? out.drainTo(ch) : null;
        while (rest != null && rest.hasRemaining()) {
            ch.write(rest);
        }
        pending = null;
        server.repl.handOver(ch, ctx);
    }

    private void refuse(Resp.ProtocolError e) throws IOException {
        out.error("ERR Protocol error: " + e.getMessage());
        closing = true;
        send();
    }

    private void send() throws IOException {
        if (pending == null && out.size() > 0) {
            pending = out.drainTo(ch);
        }
        if (pending != null) {
            key.interestOps(SelectionKey.OP_WRITE);
        } else if (closing) {
            close();
        }
    }

    private void writable() throws IOException {
        ch.write(pending);
        if (pending.hasRemaining()) {
            return;
        }
        pending = null;
        key.interestOps(SelectionKey.OP_READ);
        run();   // requests that waited in the buffer
    }

    private void close() {
        server.connections.remove(ctx.id);
        MultiCommands.unwatch(ctx);
        BlockingCommands.gone(ctx);
        if (key.isValid()) {
            key.cancel();
            server.clients.decrementAndGet();
        }
        try {
            ch.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    /** A thread with a selector; the acceptor hands it connections. */
    static final class Loop implements Runnable {
        private final Server server;
        private final Selector sel;
        private final ConcurrentLinkedQueue<SocketChannel> incoming = new ConcurrentLinkedQueue<>();
        private final ConcurrentLinkedQueue<Conn> woken = new ConcurrentLinkedQueue<>();
        private final ConcurrentLinkedQueue<Conn> killed = new ConcurrentLinkedQueue<>();

        /** From any thread: c is to be closed (CLIENT KILL), on this loop. */
        void kill(Conn c) {
            killed.add(c);
            sel.wakeup();
        }

        /** From any thread: c's blocked command is to run again, on this loop. */
        void wake(Conn c) {
            woken.add(c);
            sel.wakeup();
        }

        Loop(Server server) throws IOException {
            this.server = server;
            this.sel = Selector.open();
        }

        void add(SocketChannel ch) {
            incoming.add(ch);
            sel.wakeup();
        }

        @Override
        public void run() {
            for (;;) {
                try {
                    sel.select();
                } catch (IOException e) {
                    System.err.println("pmem-kv: selector: " + e);
                    return;
                }
                for (SocketChannel ch; (ch = incoming.poll()) != null; ) {
                    try {
                        new Conn(server, ch, sel, this);
                    } catch (IOException | OutOfMemoryError e) {   // the client went away, or no room for it
                        server.clients.decrementAndGet();
                        try {
                            ch.close();
                        } catch (IOException ignored) {
                        }
                    }
                }
                for (Conn c; (c = woken.poll()) != null; ) {
                    serve(c, Conn::retry);
                }
                for (Conn c; (c = killed.poll()) != null; ) {
                    c.close();
                }
                Iterator<SelectionKey> it = sel.selectedKeys().iterator();
                while (it.hasNext()) {
                    SelectionKey k = it.next();
                    it.remove();
                    Conn c = (Conn) k.attachment();
                    serve(c, x -> {
                        if (k.isValid() && k.isWritable()) {
                            x.writable();
                        }
                        if (k.isValid() && k.isReadable()) {
                            x.readable();
                        }
                    });
                }
            }
        }

        private interface Step {
            void run(Conn c) throws IOException;
        }

        /** Runs a step of c; a failure closes c, never the loop. */
        private void serve(Conn c, Step step) {
            try {
                step.run(c);
            } catch (ClosedChannelException e) {
                c.close();
            } catch (RuntimeException | StackOverflowError e) {   // a bug in a command: this client goes, the server stays
                e.printStackTrace();
                c.close();
            } catch (OutOfMemoryError e) {
                // The loop's other clients go on: this one's buffers are dropped with it.
                System.err.println("pmem-kv: out of memory serving a client; closing it: " + e.getMessage());
                c.close();
            } catch (IOException e) {
                if (!"Connection reset by peer".equals(e.getMessage()) && !"Broken pipe".equals(e.getMessage())) {
                    System.err.println("pmem-kv: connection: " + e);
                }
                c.close();
            }
        }
    }
}
