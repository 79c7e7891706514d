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
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * RESP2, the Redis protocol: reads requests (arrays of bulk strings, and
 * inline commands as telnet sends them) and builds replies.
 */
final class Resp {
    private Resp() {}

    /** A request the server refuses: the client gets "-ERR Protocol error: ..." and is disconnected. */
    static final class ProtocolError extends Exception {
        ProtocolError(String msg) {
            super(msg);
        }
    }

    /** Limits that keep a bad or hostile request from exhausting the JVM. */
    record Limits(int maxArgs, int maxBulk, long maxRequest, int maxInline) {
        static final Limits DEFAULT = new Limits(1024 * 1024, 512 * 1024 * 1024, 1024L * 1024 * 1024, 64 * 1024);
    }

    /**
     * Parses requests from the bytes a connection received, as they arrive:
     * {@link #read} returns a request once all of it is buffered. A
     * multibulk request's finished arguments are kept between reads, so a
     * large or slowly sent one is parsed once, not again at every read.
     */
    static final class Reader {
        /** Not enough bytes yet: the parser rewinds to where the unfinished element began. */
        private static final class Incomplete extends Exception {
            Incomplete() {
                super(null, null, false, false);
            }
        }
        private static final Incomplete INCOMPLETE = new Incomplete();
        private static final int INITIAL = 64 * 1024;

        private final Limits limits;
        private byte[] buf = new byte[INITIAL];
        private int pos, end;
        private byte[][] args;       // the multibulk request being read, or null
        private int argn;            // its announced number of arguments
        private int argi;            // its arguments read so far
        private long total;          // and their bytes

        Reader(Limits limits) {
            this.limits = limits;
        }

        /**
         * Reads what the channel has into the buffer, growing it for a request
         * larger than the buffer; -1 at end of stream.
         */
        int readFrom(ReadableByteChannel ch) throws IOException, ProtocolError {
            if (pos == end) {
                pos = end = 0;
                if (buf.length > 4 * INITIAL && args == null) {
                    buf = new byte[INITIAL];   // give back a big request's buffer
                }
            } else if (end == buf.length) {
                if (pos > 0) {
                    System.arraycopy(buf, pos, buf, 0, end - pos);
                    end -= pos;
                    pos = 0;
                } else {
                    // One element fills the buffer: grow it (the limits were checked at its header).
                    buf = Arrays.copyOf(buf, (int) Math.min(Integer.MAX_VALUE - 16, buf.length * 2L));
                }
            }
            int k = ch.read(ByteBuffer.wrap(buf, end, buf.length - end));
            if (k > 0) {
                end += k;
            }
            return k;
        }

        /** The next whole request's arguments, null if none is buffered; empty inline lines are skipped. */
        byte[][] read() throws ProtocolError {
            for (;;) {
                int start = pos;
                try {
                    if (args == null) {
                        need();
                        if (buf[pos] != '*') {
                            byte[][] inline = readInline();
                            if (inline.length > 0) {
                                return inline;
                            }
                            continue;
                        }
                        pos++;
                        long n = readNumber("invalid multibulk length");
                        if (n > limits.maxArgs()) {
                            throw new ProtocolError("invalid multibulk length (at most " + limits.maxArgs() + " arguments)");
                        }
                        if (n <= 0) {
                            return new byte[0][];
                        }
                        // What a header alone may make the server allocate is
                        // bounded: the array grows as the arguments arrive.
                        argn = (int) n;
                        args = new byte[Math.min(argn, 16)][];
                        argi = 0;
                        total = 0;
                    }
                    while (argi < argn) {
                        start = pos;
                        byte[] a = readBulk();
                        if (argi == args.length) {
                            args = Arrays.copyOf(args, (int) Math.min(argn, 2L * args.length));
                        }
                        args[argi++] = a;
                    }
                    byte[][] r = args;
                    args = null;
                    return r;
                } catch (Incomplete e) {
                    pos = start;
                    return null;
                }
            }
        }

        // "$<len>\r\n<len bytes>\r\n", whole or not at all
        private byte[] readBulk() throws ProtocolError, Incomplete {
            need();
            if (buf[pos] != '$') {
                throw new ProtocolError("expected '$', got '" + printable(buf[pos]) + "'");
            }
            pos++;
            long len = readNumber("invalid bulk length");
            if (len < 0 || len > limits.maxBulk()) {
                throw new ProtocolError("invalid bulk length" + (len > limits.maxBulk()
                        ? " (at most " + limits.maxBulk() + " bytes, proto-max-bulk-len)" : ""));
            }
            if (total + len > limits.maxRequest()) {
                throw new ProtocolError("request too large (at most " + limits.maxRequest() + " bytes)");
            }
            if (end - pos < len + 2) {
                throw INCOMPLETE;
            }
            byte[] a = Arrays.copyOfRange(buf, pos, pos + (int) len);
            pos += (int) len;
            if (buf[pos] != '\r' || buf[pos + 1] != '\n') {
                throw new ProtocolError("expected CRLF after a bulk string");
            }
            pos += 2;
            total += len;
            return a;
        }

        // "<digits>\r\n"
        private long readNumber(String what) throws ProtocolError, Incomplete {
            long v = 0;
            boolean neg = false;
            int digits = 0;
            for (;;) {
                need();
                byte b = buf[pos++];
                if (b == '\r') {
                    break;
                }
                if (b == '-' && digits == 0 && !neg) {
                    neg = true;
                } else if (b >= '0' && b <= '9' && digits < 18) {
                    v = v * 10 + (b - '0');
                    digits++;
                } else {
                    throw new ProtocolError(what);
                }
            }
            if (digits == 0) {
                throw new ProtocolError(what);
            }
            need();
            if (buf[pos++] != '\n') {
                throw new ProtocolError(what);
            }
            return neg ? -v : v;
        }

        // A line of space-separated words, with "double" and 'single' quotes as redis-cli understands them.
        private byte[][] readInline() throws ProtocolError, Incomplete {
            int from = pos;
            int nl = from;
            while (nl < end && buf[nl] != '\n') {
                if (nl - from == limits.maxInline()) {
                    throw new ProtocolError("too big inline request");
                }
                nl++;
            }
            if (nl == end) {
                throw INCOMPLETE;
            }
            pos = nl + 1;
            int n = nl - from;
            if (n > 0 && buf[from + n - 1] == '\r') {
                n--;
            }
            return splitInline(new String(buf, from, n, StandardCharsets.ISO_8859_1));
        }

        private void need() throws Incomplete {
            if (pos >= end) {
                throw INCOMPLETE;
            }
        }
    }

    static byte[][] splitInline(String s) throws ProtocolError {
        java.util.List<byte[]> out = new java.util.ArrayList<>();
        int i = 0, n = s.length();
        while (i < n) {
            while (i < n && s.charAt(i) == ' ' || i < n && s.charAt(i) == '\t') {
                i++;
            }
            if (i == n) {
                break;
            }
            java.io.ByteArrayOutputStream w = new java.io.ByteArrayOutputStream();
            char q = s.charAt(i);
            if (q == '"' || q == '\'') {
                i++;
                boolean closed = false;
                while (i < n) {
                    char c = s.charAt(i++);
                    if (c == q) {
                        closed = true;
                        break;
                    }
                    if (c == '\\' && i < n && q == '"') {
                        char e = s.charAt(i++);
                        switch (e) {
                            case 'n' -> c = '\n';
                            case 'r' -> c = '\r';
                            case 't' -> c = '\t';
                            default -> c = e;
                        }
                    }
                    w.write(c);
                }
                if (!closed || i < n && s.charAt(i) != ' ') {
                    throw new ProtocolError("unbalanced quotes in request");
                }
            } else {
                while (i < n && s.charAt(i) != ' ' && s.charAt(i) != '\t') {
                    w.write(s.charAt(i++));
                }
            }
            out.add(w.toByteArray());
        }
        return out.toArray(new byte[0][]);
    }

    static String printable(byte b) {
        return b >= 32 && b < 127 ? String.valueOf((char) b) : String.format("\\x%02x", b & 0xff);
    }

    /**
     * A connection's reply buffer. Commands append to it; the server sends
     * it when no further pipelined request is buffered. A command's replies
     * are appended inside its transaction but sent only after the commit,
     * and a failed command's partial reply is cut off with {@link #truncate}.
     */
    static final class Reply {
        private byte[] buf = new byte[16 * 1024];
        private int len;

        int mark() {
            return len;
        }

        void truncate(int mark) {
            len = mark;
        }

        int size() {
            return len;
        }

        /**
         * Writes the buffered replies to a non-blocking channel and empties
         * the buffer; returns what the channel did not take, or null.
         */
        ByteBuffer drainTo(WritableByteChannel ch) throws IOException {
            ByteBuffer b = ByteBuffer.wrap(buf, 0, len);
            while (b.hasRemaining() && ch.write(b) > 0) {
                // the socket takes more
            }
            ByteBuffer rest = b.hasRemaining() ? ByteBuffer.wrap(Arrays.copyOfRange(buf, b.position(), len)) : null;
            len = 0;
            if (buf.length > 1024 * 1024) {
                buf = new byte[16 * 1024];   // give back a big pipeline's buffer
            }
            return rest;
        }

        private void room(int n) {
            if (len + n > buf.length) {
                buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + n));
            }
        }

        private void raw(byte b) {
            room(1);
            buf[len++] = b;
        }

        private void raw(byte[] b) {
            room(b.length);
            System.arraycopy(b, 0, buf, len, b.length);
            len += b.length;
        }

        private void crlf() {
            room(2);
            buf[len++] = '\r';
            buf[len++] = '\n';
        }

        private void number(long v) {
            raw(Long.toString(v).getBytes(StandardCharsets.ISO_8859_1));
        }

        private static final byte[] OK = "+OK\r\n".getBytes(StandardCharsets.ISO_8859_1);
        private static final byte[] NIL = "$-1\r\n".getBytes(StandardCharsets.ISO_8859_1);

        void ok() {
            raw(OK);
        }

        void simple(String s) {
            raw((byte) '+');
            raw(s.getBytes(StandardCharsets.UTF_8));
            crlf();
        }

        /** An error reply; {@code msg} starts with its code (ERR, WRONGTYPE, ...). */
        void error(String msg) {
            raw((byte) '-');
            raw(msg.replace('\r', ' ').replace('\n', ' ').getBytes(StandardCharsets.UTF_8));
            crlf();
        }

        void integer(long v) {
            raw((byte) ':');
            number(v);
            crlf();
        }

        void bulk(byte[] b) {
            if (b == null) {
                raw(NIL);
                return;
            }
            raw((byte) '$');
            number(b.length);
            crlf();
            raw(b);
            crlf();
        }

        void bulk(byte[] b, int from, int n) {
            raw((byte) '$');
            number(n);
            crlf();
            room(n);
            System.arraycopy(b, from, buf, len, n);
            len += n;
            crlf();
        }

        void bulk(String s) {
            bulk(s == null ? null : s.getBytes(StandardCharsets.UTF_8));
        }

        void nil() {
            raw(NIL);
        }

        void array(long n) {
            raw((byte) '*');
            number(n);
            crlf();
        }

        void nilArray() {
            raw((byte) '*');
            number(-1);
            crlf();
        }
    }
}
