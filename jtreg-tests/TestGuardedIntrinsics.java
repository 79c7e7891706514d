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

/*
 * @test
 * @summary C2's String intrinsics that write a destination array (inflate,
 *          getChars, compress; the ISO-8859-1 encoder's array store is
 *          exercised too) are used with the persistent heap on, behind a
 *          range test of the destination
 *          (PmemBarrierSetC2::guard_intrinsic): compiled on volatile arrays
 *          they are intrinsics (PrintIntrinsics); a persistent destination
 *          traps and the call runs in the interpreter with the barrier, so
 *          inside a transaction that aborts the arrays are unchanged, and
 *          outside one, under the simulator and a halt, what was written is
 *          durable in the next JVM. After the trap the call site is compiled
 *          as a call.
 * @requires vm.flagless
 * @library /test/lib /pmem/lib
 * @modules java.base/jdk.internal.pmem
 * @run driver TestGuardedIntrinsics
 */

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.StandardCharsets;

import jdk.internal.pmem.Pmem;
import jdk.test.lib.process.OutputAnalyzer;

public class TestGuardedIntrinsics {
    static final String LATIN1 = "persistent heap, latin-1 text " + "x".repeat(40);
    static final String UTF16 = "persistent \u0100\u0101 UTF-16 text " + "y".repeat(40);
    static final int N = LATIN1.length();
    static final int M = UTF16.length();
    static final int WARM = 40_000;

    static class Holder {
        char[] latin1;
        char[] utf16;
        byte[] iso;
    }

    public static void main(String[] args) throws Exception {
        if (PmemTest.child(args, TestGuardedIntrinsics::run, TestGuardedIntrinsics::verify)) {
            return;
        }
        String file = PmemTest.heapFile("guarded");
        OutputAnalyzer out = PmemTest.runThenVerify(TestGuardedIntrinsics.class, file,
                "-XX:-TieredCompilation", "-Xbatch", "-XX:+UnlockDiagnosticVMOptions", "-XX:+PrintIntrinsics",
                "-XX:+PmemSimulator", "-Dhalt=true");
        // Intrinsics with the flag on (before the guard they were all off).
        out.shouldMatch("java.lang.StringLatin1::inflate \\(\\d+ bytes\\)\\s+\\(intrinsic\\)");
        out.shouldMatch("java.lang.StringUTF16::getChars \\(\\d+ bytes\\)\\s+\\(intrinsic\\)");
        out.shouldMatch("java.lang.StringUTF16::compress \\(\\d+ bytes\\)\\s+\\(intrinsic\\)");
        // After a persistent destination trapped there: a call.
        out.shouldMatch("java.lang.StringLatin1::inflate \\(\\d+ bytes\\)\\s+failed to inline \\(intrinsic\\)");
        PmemTest.cleanup();
    }

    static void expect(boolean ok, String what) {
        if (!ok) throw new RuntimeException("FAILED: " + what);
    }

    // Never inlined into each other: each has its own call sites.
    static void latin1Chars(char[] dst) {
        LATIN1.getChars(0, N, dst, 0);              // StringLatin1.inflate(byte[], int, char[], int, int)
    }

    static void utf16Chars(char[] dst) {
        UTF16.getChars(0, M, dst, 0);               // StringUTF16.getChars(byte[], int, int, char[], int)
    }

    static void isoEncode(CharsetEncoder enc, byte[] dst) {
        enc.reset();
        enc.encode(CharBuffer.wrap(LATIN1), ByteBuffer.wrap(dst), true);   // implEncodeISOArray
    }

    static int compress(char[] src) {
        return new String(src).length();            // StringUTF16.compress(char[], int, byte[], int, int)
    }

    static void warm() {
        char[] a = new char[N];
        char[] b = new char[M];
        byte[] c = new byte[N];
        char[] s = LATIN1.toCharArray();
        CharsetEncoder enc = StandardCharsets.ISO_8859_1.newEncoder();
        for (int i = 0; i < WARM; i++) {
            latin1Chars(a);
            utf16Chars(b);
            isoEncode(enc, c);
            compress(s);
        }
        expect(new String(a).equals(LATIN1) && new String(b).equals(UTF16)
               && new String(c, StandardCharsets.ISO_8859_1).equals(LATIN1), "volatile results");
    }

    static void run() throws Exception {
        warm();
        Holder h = Pmem.txn(() -> {
            Holder n = new Holder();
            n.latin1 = new char[N];
            n.utf16 = new char[M];
            n.iso = new byte[N];
            Pmem.put("holder", n);
            return n;
        });
        CharsetEncoder enc = StandardCharsets.ISO_8859_1.newEncoder();
        // In a transaction that aborts: the interpreter's barrier logged every store.
        try {
            Pmem.txn(() -> {
                latin1Chars(h.latin1);
                utf16Chars(h.utf16);
                isoEncode(enc, h.iso);
                throw new IllegalStateException("abort");
            });
        } catch (IllegalStateException expected) {
        }
        for (int i = 0; i < N; i++) {
            expect(h.latin1[i] == 0 && h.iso[i] == 0, "aborted writes undone at " + i);
        }
        for (int i = 0; i < M; i++) {
            expect(h.utf16[i] == 0, "aborted UTF-16 writes undone at " + i);
        }
        // Outside a transaction: each store durable; volatile ones still fine.
        latin1Chars(h.latin1);
        utf16Chars(h.utf16);
        isoEncode(enc, h.iso);
        char[] v = new char[N];
        for (int i = 0; i < WARM; i++) {
            latin1Chars(v);
        }
        expect(new String(h.latin1).equals(LATIN1) && new String(v).equals(LATIN1), "written");
        if (Boolean.getBoolean("halt")) {
            System.out.println("ALL CHECKS PASSED");
            Runtime.getRuntime().halt(0);
        }
    }

    static void verify() {
        Holder h = Pmem.get("holder", Holder.class);
        expect(new String(h.latin1).equals(LATIN1), "Latin-1 chars durable: " + new String(h.latin1));
        expect(new String(h.utf16).equals(UTF16), "UTF-16 chars durable");
        expect(new String(h.iso, StandardCharsets.ISO_8859_1).equals(LATIN1), "encoded bytes durable");
    }
}
