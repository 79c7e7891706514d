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
 * @summary A class whose objects come back from the heap file is linked and
 *          initialized at attach, as pnew initialized it when they were made:
 *          virtual calls on those objects work (an unlinked class has no
 *          vtable: the call jumped to address 0), static state is set up, and
 *          a static initializer that fails leaves a warning and an erroneous
 *          class (static use throws NoClassDefFoundError), not a crash.
 * @library /test/lib /pmem/lib
 * @modules java.base/jdk.internal.pmem
 * @run driver TestClassInit
 */

import jdk.internal.pmem.Pmem;
import jdk.test.lib.process.OutputAnalyzer;

public class TestClassInit {
    static abstract class Shape {
        abstract long area();
    }

    /** Only ever reached through the heap in the verify run: no new, no static access there. */
    static final class Rect extends Shape {
        static final long SCALE;
        static {
            SCALE = Long.getLong("test.scale", 3);
            System.out.println("Rect initialized, SCALE=" + SCALE);
        }
        long w, h;

        @Override
        long area() {
            return w * h * SCALE;
        }
    }

    static final class Fragile {
        static {
            if (Boolean.getBoolean("test.fail")) {
                throw new IllegalStateException("initializer refuses");
            }
        }
        long v;

        long value() {
            return v;
        }

        static long twice(long x) {
            return 2 * x;
        }
    }

    static void write() {
        Rect r = Pmem.pnew(Rect.class);
        r.w = 6;
        r.h = 7;
        Pmem.put("rect", r);
        Fragile f = Pmem.pnew(Fragile.class);
        f.v = 5;
        Pmem.put("fragile", f);
    }

    static void read(boolean expectFragileFails) {
        Shape s = (Shape) Pmem.get("rect", Object.class);   // no reference to Rect here
        long a = s.area();                                // a virtual call on the heap's object
        System.out.println("area=" + a);
        if (a != 6 * 7 * 5) {
            throw new RuntimeException("area " + a + ", expected " + (6 * 7 * 5));
        }
        Fragile f = (Fragile) Pmem.get("fragile", Object.class);
        if (f.value() != 5) {   // instance methods run even on an erroneous class, as in any JVM
            throw new RuntimeException("Fragile.value() = " + f.value());
        }
        try {
            long v = Fragile.twice(f.value());
            if (expectFragileFails || v != 10) {
                throw new RuntimeException("Fragile.twice() = " + v);
            }
        } catch (NoClassDefFoundError e) {
            if (!expectFragileFails) {
                throw e;
            }
            System.out.println("Fragile unusable as expected: " + e);
        }
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0) {
            switch (args[0]) {
                case "write" -> write();
                case "read" -> read(Boolean.getBoolean("test.fail"));
                default -> throw new IllegalArgumentException(args[0]);
            }
            System.out.println("ALL CHECKS PASSED");
            return;
        }
        String file = PmemTest.heapFile("classinit");
        OutputAnalyzer w = PmemTest.runMain(TestClassInit.class, PmemTest.flags(file), "write");
        System.out.println(w.getOutput());
        w.shouldHaveExitValue(0);
        w.shouldContain("ALL CHECKS PASSED");

        // The class is initialized at attach, before main, with this run's properties.
        OutputAnalyzer r = PmemTest.runMain(TestClassInit.class,
            PmemTest.concat(PmemTest.flags(file), new String[] {"-Dtest.scale=5", "-Xint"}), "read");
        System.out.println(r.getOutput());
        r.shouldHaveExitValue(0);
        r.shouldContain("Rect initialized, SCALE=5");
        r.shouldContain("area=210");
        r.shouldContain("ALL CHECKS PASSED");

        // The same with the JIT, and with an initializer that fails this time.
        OutputAnalyzer f = PmemTest.runMain(TestClassInit.class,
            PmemTest.concat(PmemTest.flags(file), new String[] {"-Dtest.scale=5", "-Dtest.fail=true"}), "read");
        System.out.println(f.getOutput());
        f.shouldHaveExitValue(0);
        f.shouldMatch("class TestClassInit\\$Fragile has objects in .* but its initialization failed: java.lang.ExceptionInInitializerError");
        f.shouldContain("Fragile unusable as expected: java.lang.NoClassDefFoundError");
        f.shouldContain("ALL CHECKS PASSED");
        PmemTest.cleanup();
    }
}
