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

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
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

    /** Reads requests from a stream, with its own buffer so pipelined requests cost one read. */
    static final class Reader {
        private final InputStream in;
        private final Limits limits;
        private final byte[] buf = new byte[64 * 1024];
        private int pos, end;

        Reader(InputStream in, Limits limits) {
            this.in = in;
            this.limits = limits;
        }

        /** True if a whole request may already be buffered (so replies can wait: pipelining). */
        boolean hasBuffered() {
            return pos < end;
        }

        /** The next request's arguments, null at a clean end of stream; empty inline lines are skipped. */
        byte[][] read() throws IOException, ProtocolError {
            for (;;) {
                if (!fill()) {
                    return null;
                }
                if (buf[pos] == '*') {
                    pos++;
                    return readArray();
                }
                byte[][] inline = readInline();
                if (inline.length > 0) {
                    return inline;
                }
            }
        }

        private byte[][] readArray() throws IOException, ProtocolError {
            long n = readNumber("invalid multibulk length");
            if (n > limits.maxArgs()) {
                throw new ProtocolError("invalid multibulk length (at most " + limits.maxArgs() + " arguments)");
            }
            if (n <= 0) {
                return new byte[0][];
            }
            byte[][] args = new byte[(int) n][];
            long total = 0;
            for (int i = 0; i < n; i++) {
                if (!fill()) {
                    throw new EOFException();
                }
                if (buf[pos] != '$') {
                    throw new ProtocolError("expected '$', got '" + printable(buf[pos]) + "'");
                }
                pos++;
                long len = readNumber("invalid bulk length");
                if (len < 0 || len > limits.maxBulk()) {
                    throw new ProtocolError("invalid bulk length" + (len > limits.maxBulk()
                            ? " (at most " + limits.maxBulk() + " bytes, proto-max-bulk-len)" : ""));
                }
                total += len;
                if (total > limits.maxRequest()) {
                    throw new ProtocolError("request too large (at most " + limits.maxRequest() + " bytes)");
                }
                byte[] a = new byte[(int) len];
                int got = 0;
                while (got < len) {
                    if (!fill()) {
                        throw new EOFException();
                    }
                    int k = Math.min(end - pos, (int) len - got);
                    System.arraycopy(buf, pos, a, got, k);
                    pos += k;
                    got += k;
                }
                expectCrlf();
                args[i] = a;
            }
            return args;
        }

        // "<digits>\r\n"
        private long readNumber(String what) throws IOException, ProtocolError {
            long v = 0;
            boolean neg = false;
            int digits = 0;
            for (;;) {
                if (!fill()) {
                    throw new EOFException();
                }
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
            if (!fill()) {
                throw new EOFException();
            }
            if (buf[pos++] != '\n') {
                throw new ProtocolError(what);
            }
            return neg ? -v : v;
        }

        private void expectCrlf() throws IOException, ProtocolError {
            for (int i = 0; i < 2; i++) {
                if (!fill()) {
                    throw new EOFException();
                }
                if (buf[pos++] != (i == 0 ? '\r' : '\n')) {
                    throw new ProtocolError("expected CRLF after a bulk string");
                }
            }
        }

        // A line of space-separated words, with "double" and 'single' quotes as redis-cli understands them.
        private byte[][] readInline() throws IOException, ProtocolError {
            byte[] line = new byte[128];
            int n = 0;
            for (;;) {
                if (!fill()) {
                    if (n == 0) {
                        return new byte[0][];
                    }
                    throw new EOFException();
                }
                byte b = buf[pos++];
                if (b == '\n') {
                    break;
                }
                if (n == limits.maxInline()) {
                    throw new ProtocolError("too big inline request");
                }
                if (n == line.length) {
                    line = Arrays.copyOf(line, n * 2);
                }
                line[n++] = b;
            }
            if (n > 0 && line[n - 1] == '\r') {
                n--;
            }
            return splitInline(new String(line, 0, n, StandardCharsets.ISO_8859_1));
        }

        // True when a byte is buffered, reading more if none is; false at end of stream.
        private boolean fill() throws IOException {
            if (pos < end) {
                return true;
            }
            pos = end = 0;
            int k = in.read(buf, 0, buf.length);
            if (k <= 0) {
                return false;
            }
            end = k;
            return true;
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

        void writeTo(OutputStream out) throws IOException {
            out.write(buf, 0, len);
            len = 0;
            if (buf.length > 1024 * 1024) {
                buf = new byte[16 * 1024];   // give back a big pipeline's buffer
            }
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
