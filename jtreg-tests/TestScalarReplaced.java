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
 * @summary C2 scalar-replaces an object whose stores carry the persistent
 *          store barrier: the object is made in one inlined method and
 *          stored into by another, so the barrier cannot be left out when
 *          the store is parsed (inside a transaction the object would be
 *          persistent), yet escape analysis then finds that it never
 *          escapes. The barrier's casts of the object's address must go with
 *          it; before, macro expansion looped forever on them, and a JVM
 *          with -Xcomp hung while starting. Runs -Xcomp C2 and -Xbatch C2,
 *          inside and outside transactions, in child JVMs with a 120 s limit.
 * @library /test/lib /pmem/lib
 * @modules java.base/jdk.internal.pmem
 * @run driver TestScalarReplaced
 */

import jdk.internal.pmem.Pmem;

public class TestScalarReplaced {
    static final class Box {
        long a;
        int b;
        Object ref;
    }

    static final class Holder {
        long sum;
    }

    static Box make() {
        return new Box();
    }

    static void fill(Box x, long v, Object r) {
        x.a = v;
        x.b = (int) v;
        x.ref = r;   // a reference store: card mark and barrier share the cast
    }

    // The Box never escapes: C2 replaces it by its fields.
    static long work(long v, Object r) {
        Box x = make();
        fill(x, v, r);
        return x.a + x.b + (x.ref == r ? 1 : 0);
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0) {
            run();
            return;
        }
        String[][] modes = {
            {"-XX:-TieredCompilation", "-Xcomp"},
            {"-XX:-TieredCompilation", "-Xbatch"},
            {"-Xcomp"},
        };
        for (String[] mode : modes) {
            String file = PmemTest.heapFile("scalar-replaced");
            if (PmemTest.runKilled(TestScalarReplaced.class, PmemTest.concat(PmemTest.flags(file), mode),
                                   120_000, "run") != 0) {
                throw new RuntimeException("FAILED: the JVM hung with " + String.join(" ", mode));
            }
        }
        PmemTest.cleanup();
    }

    static void run() {
        Holder h = Pmem.pnew(Holder.class);
        Object r = new Object();
        long expect = 0;
        for (int i = 0; i < 20_000; i++) {
            long v = i;
            expect += 2 * v + 1;
            long got = work(v, r);
            if (got != 2 * v + 1) throw new RuntimeException("FAILED: work(" + v + ") = " + got);
            Pmem.txn(() -> { h.sum += work(v, h); });
        }
        if (h.sum != expect) throw new RuntimeException("FAILED: sum " + h.sum + ", expected " + expect);
        System.out.println("ALL CHECKS PASSED");
    }
}
