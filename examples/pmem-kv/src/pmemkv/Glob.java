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

/**
 * Glob-style matching exactly as Redis's {@code stringmatchlen} (util.c,
 * 7.2, case-sensitive) does it for KEYS, SCAN MATCH and the like:
 * {@code *}, {@code ?}, {@code [abc]}, {@code [^abc]}, {@code [a-z]}
 * (a reversed range {@code [z-a]} is the same range), {@code \x} matches
 * {@code x}. Its corner cases are kept: an unclosed {@code [} takes the
 * rest of the pattern as its set, a lone trailing {@code \} matches a
 * {@code \}, and a range compares bytes as signed chars (as x86 builds do),
 * so {@code [a-\xff]} is not a range over the high bytes. Like Redis's,
 * it matches nothing against an empty string unless the pattern is empty
 * ({@code *} does not match ""): KEYS and SCAN in Redis skip matching for
 * the pattern {@code *}, and so should their callers here.
 *
 * <p>Blowup on many stars is cut as Redis does: once the rest of a pattern
 * after a star matches at no position of the rest of the string, no
 * earlier star is tried longer (so the cost is polynomial), and patterns
 * nested more than 1000 stars deep match nothing.
 */
final class Glob {
    private Glob() {}

    static boolean match(byte[] pattern, byte[] string) {
        return match(pattern, 0, pattern.length, string, 0, string.length, new boolean[1], 0);
    }

    /** The pattern byte at {@code i}, or 0 past its end (Redis reads the sds terminator there). */
    private static int at(byte[] p, int i) {
        return i < p.length ? p[i] : 0;
    }

    private static boolean match(byte[] p, int pi, int plen, byte[] s, int si, int slen,
                                 boolean[] skipLongerMatches, int nesting) {
        if (nesting > 1000) {
            return false;
        }
        while (plen > 0 && slen > 0) {
            switch (p[pi]) {
                case '*' -> {
                    while (plen > 1 && p[pi + 1] == '*') {
                        pi++;
                        plen--;
                    }
                    if (plen == 1) {
                        return true;
                    }
                    while (slen > 0) {
                        if (match(p, pi + 1, plen - 1, s, si, slen, skipLongerMatches, nesting + 1)) {
                            return true;
                        }
                        if (skipLongerMatches[0]) {
                            return false;
                        }
                        si++;
                        slen--;
                    }
                    // The rest of the pattern matches from no position of the rest of
                    // the string: no earlier star can help by matching more.
                    skipLongerMatches[0] = true;
                    return false;
                }
                case '?' -> {
                    si++;
                    slen--;
                }
                case '[' -> {
                    pi++;
                    plen--;
                    boolean not = at(p, pi) == '^';
                    if (not) {
                        pi++;
                        plen--;
                    }
                    boolean match = false;
                    int c = s[si];
                    for (;;) {
                        int pc = at(p, pi);
                        if (pc == '\\' && plen >= 2) {
                            pi++;
                            plen--;
                            if (p[pi] == c) {
                                match = true;
                            }
                        } else if (pc == ']') {
                            break;
                        } else if (plen == 0) {
                            pi--;
                            plen++;
                            break;
                        } else if (plen >= 3 && p[pi + 1] == '-') {
                            int start = pc;
                            int end = p[pi + 2];
                            if (start > end) {
                                int t = start;
                                start = end;
                                end = t;
                            }
                            pi += 2;
                            plen -= 2;
                            if (c >= start && c <= end) {
                                match = true;
                            }
                        } else if (pc == c) {
                            match = true;
                        }
                        pi++;
                        plen--;
                    }
                    if (not) {
                        match = !match;
                    }
                    if (!match) {
                        return false;
                    }
                    si++;
                    slen--;
                }
                default -> {
                    if (p[pi] == '\\' && plen >= 2) {
                        pi++;
                        plen--;
                    }
                    if (p[pi] != s[si]) {
                        return false;
                    }
                    si++;
                    slen--;
                }
            }
            pi++;
            plen--;
            if (slen == 0) {
                while (at(p, pi) == '*') {
                    pi++;
                    plen--;
                }
                break;
            }
        }
        return plen == 0 && slen == 0;
    }
}
