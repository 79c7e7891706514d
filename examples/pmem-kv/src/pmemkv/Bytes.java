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

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import jdk.internal.pmem.Pmem;

/** Byte-string helpers: persistent copies, hashing, numbers as Redis reads and writes them. */
final class Bytes {
    private Bytes() {}

    static final byte[] EMPTY = new byte[0];

    /** A persistent copy of {@code b} (network buffers are volatile and may not be stored). */
    static byte[] persist(byte[] b) {
        return persist(b, 0, b.length);
    }

    static byte[] persist(byte[] b, int from, int len) {
        byte[] p = Pmem.pmake(byte[].class, len);
        System.arraycopy(b, from, p, 0, len);
        return p;
    }

    /** Persistent {@code a + b}. */
    static byte[] concat(byte[] a, byte[] b) {
        byte[] p = Pmem.pmake(byte[].class, a.length + b.length);
        System.arraycopy(a, 0, p, 0, a.length);
        System.arraycopy(b, 0, p, a.length, b.length);
        return p;
    }

    /**
     * A hash that is the same in every run (identity hashes and String's
     * hash of a byte[] are not what a persistent table may store): FNV-1a
     * over 8-byte words with a final 64-bit mix.
     */
    static int hash(byte[] b) {
        long h = 0xcbf29ce484222325L ^ b.length;
        int i = 0;
        for (; i + 8 <= b.length; i += 8) {
            h = (h ^ longAt(b, i)) * 0x100000001b3L;
        }
        for (; i < b.length; i++) {
            h = (h ^ (b[i] & 0xff)) * 0x100000001b3L;
        }
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return (int) h;
    }

    private static long longAt(byte[] b, int i) {
        return (b[i] & 0xffL) | (b[i + 1] & 0xffL) << 8 | (b[i + 2] & 0xffL) << 16 | (b[i + 3] & 0xffL) << 24
                | (b[i + 4] & 0xffL) << 32 | (b[i + 5] & 0xffL) << 40 | (b[i + 6] & 0xffL) << 48 | (b[i + 7] & 0xffL) << 56;
    }

    static boolean equal(byte[] a, byte[] b) {
        return Arrays.equals(a, b);
    }

    static byte[] of(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static String str(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    static boolean eqIgnoreCase(byte[] b, String ascii) {
        if (b.length != ascii.length()) {
            return false;
        }
        for (int i = 0; i < b.length; i++) {
            int c = b[i];
            if (c >= 'a' && c <= 'z') {
                c -= 32;
            }
            int d = ascii.charAt(i);
            if (d >= 'a' && d <= 'z') {
                d -= 32;
            }
            if (c != d) {
                return false;
            }
        }
        return true;
    }

    /** The decimal integer in {@code b}, as Redis's string2ll: no spaces, no '+', no leading zeros. */
    static long parseLong(byte[] b) throws NumberFormatException {
        int n = b.length;
        if (n == 0 || n > 20) {
            throw new NumberFormatException();
        }
        if (n == 1 && b[0] == '0') {
            return 0;
        }
        int i = 0;
        boolean neg = false;
        if (b[0] == '-') {
            neg = true;
            i = 1;
            if (n == 1) {
                throw new NumberFormatException();
            }
        }
        if (b[i] < '1' || b[i] > '9') {
            throw new NumberFormatException();
        }
        long v = 0;  // accumulated negatively, so Long.MIN_VALUE fits
        for (; i < n; i++) {
            int d = b[i] - '0';
            if (d < 0 || d > 9 || v < (Long.MIN_VALUE + d) / 10) {
                throw new NumberFormatException();
            }
            v = v * 10 - d;
        }
        if (!neg) {
            if (v == Long.MIN_VALUE) {
                throw new NumberFormatException();
            }
            v = -v;
        }
        return v;
    }

    /** A double as Redis accepts it (also inf, -inf, +inf); NaN is refused. */
    static double parseDouble(byte[] b) throws NumberFormatException {
        String s = str(b);
        if (s.isEmpty() || Character.isWhitespace(s.charAt(0)) || Character.isWhitespace(s.charAt(s.length() - 1))) {
            throw new NumberFormatException();
        }
        double d;
        switch (s.toLowerCase()) {
            case "inf", "+inf", "infinity", "+infinity" -> d = Double.POSITIVE_INFINITY;
            case "-inf", "-infinity" -> d = Double.NEGATIVE_INFINITY;
            default -> {
                char last = s.charAt(s.length() - 1);
                if (last == 'd' || last == 'D' || last == 'f' || last == 'F') {
                    throw new NumberFormatException();   // Java suffixes Redis does not know
                }
                d = Double.parseDouble(s);
            }
        }
        if (Double.isNaN(d)) {
            throw new NumberFormatException();
        }
        return d;
    }

    /**
     * A sorted-set score as Redis 7.0 replies it (addReplyDouble): printf's
     * {@code %.17g}, so 0.1 is 0.10000000000000001 and 1e20 is 1e+20.
     */
    static byte[] formatScore(double d) {
        return of(g17(d));
    }

    /**
     * A score as Redis 7.0 keeps it in a listpack, which ZSCAN of a small
     * sorted set returns (d2string): an integral value in long's range as
     * that integer, anything else as {@code %.17g}.
     */
    static byte[] formatScoreCompact(double d) {
        if (d == Math.rint(d) && Math.abs(d) < 9.2e18) {
            return of(Long.toString((long) d));
        }
        return of(g17(d));
    }

    /** C's printf("%.17g", d): 17 significant digits, trailing zeros dropped, an exponent below 1e-4 or from 1e17. */
    static String g17(double d) {
        if (Double.isInfinite(d)) {
            return d > 0 ? "inf" : "-inf";
        }
        if (d == 0) {
            return 1 / d < 0 ? "-0" : "0";
        }
        java.math.BigDecimal bd = new java.math.BigDecimal(d)
                .round(new java.math.MathContext(17, java.math.RoundingMode.HALF_EVEN));
        int exp = bd.precision() - bd.scale() - 1;   // the leading digit's power of ten
        if (exp < -4 || exp >= 17) {
            String digits = bd.unscaledValue().abs().toString().replaceFirst("0+$", "");
            String mant = digits.length() > 1 ? digits.charAt(0) + "." + digits.substring(1) : digits;
            return (d < 0 ? "-" : "") + mant + "e" + (exp < 0 ? "-" : "+") + (Math.abs(exp) < 10 ? "0" : "") + Math.abs(exp);
        }
        String plain = bd.toPlainString();
        if (plain.indexOf('.') >= 0) {
            plain = plain.replaceFirst("0+$", "").replaceFirst("\\.$", "");
        }
        return plain;
    }

    /** A double as INCRBYFLOAT and HINCRBYFLOAT print it: shortest round-trip, integers without ".0". */
    static byte[] formatDouble(double d) {
        if (Double.isInfinite(d)) {
            return of(d > 0 ? "inf" : "-inf");
        }
        if (d == Math.rint(d) && Math.abs(d) < 1e17) {
            return of(Long.toString((long) d));
        }
        String s = Double.toString(d);
        int e = s.indexOf('E');
        if (e >= 0) {   // 1.0E20 -> 1e+20, as printf("%.17g") would
            String mant = s.substring(0, e);
            if (mant.endsWith(".0")) {
                mant = mant.substring(0, mant.length() - 2);
            }
            int exp = Integer.parseInt(s.substring(e + 1));
            s = mant + "e" + (exp < 0 ? "-" : "+") + (Math.abs(exp) < 10 ? "0" : "") + Math.abs(exp);
        }
        return of(s);
    }
}
