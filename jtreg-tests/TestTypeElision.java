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
 * @summary C2 leaves out the barrier of stores into objects whose static
 *          type can never be persistent, because the refusal holds for every
 *          subtype (issue 7): a finalizable class, a Reference subclass
 *          (-Xlog:gc+pmem=trace names each elision), and keeps it for types
 *          whose refusal is not inherited: an abstract class whose concrete
 *          subclass is persistent, and a class of a custom loader and arrays
 *          of it (such classes may be persistent since issue 21). Under the simulator, then a halt, a store
 *          through the abstract type outside a txn is durable in the next
 *          JVM, and one inside an aborted txn is undone.
 * @requires vm.flagless
 * @library /test/lib /pmem/lib
 * @modules java.base/jdk.internal.pmem
 * @run driver TestTypeElision
 */

import java.io.InputStream;
import java.lang.reflect.Method;
import jdk.internal.pmem.Pmem;
import jdk.test.lib.process.OutputAnalyzer;

public class TestTypeElision {
    // Loaded a second time by a custom loader (CustomLoader): may be persistent.
    public static class Box {
        long a;
        int b;

        public static long fill(Box x, Box[] xs, long v) {
            x.a = v;
            x.b = (int) v;
            xs[(int) (v & 3)] = x;
            return x.a + xs.length;
        }
    }

    // Finalizable (an empty finalize() would not count): refused, and so is
    // every subclass.
    static class Fin {
        static int finalized;
        long a;

        @Override
        @SuppressWarnings("removal")
        protected void finalize() {
            finalized++;
        }
    }

    static class WeakBox extends java.lang.ref.WeakReference<Object> {
        long a;

        WeakBox() {
            super(null);
        }
    }

    // Abstract: refused itself, but Conc is persistent.
    abstract static class Abs {
        long a;
        long b;
    }

    static final class Conc extends Abs {
        long c;
    }

    // A second subclass, so that storeAbs's profile names no single type
    // and C2 decides on the static type Abs.
    static final class Conc2 extends Abs {
        int d;
    }

    static long storeFin(Fin f, long v) {
        f.a = v;
        return f.a;
    }

    static long storeWeak(WeakBox w, long v) {
        w.a = v;
        return w.a;
    }

    static void storeAbs(Abs x, long v) {
        x.a = v;
        x.b = v + 1;
    }

    static class CustomLoader extends ClassLoader {
        CustomLoader() {
            super(TestTypeElision.class.getClassLoader());
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (!name.equals(Box.class.getName())) {
                return super.loadClass(name, resolve);
            }
            synchronized (getClassLoadingLock(name)) {
                Class<?> c = findLoadedClass(name);
                if (c == null) {
                    try (InputStream in = getParent().getResourceAsStream(name.replace('.', '/') + ".class")) {
                        byte[] b = in.readAllBytes();
                        c = defineClass(name, b, 0, b.length);
                    } catch (java.io.IOException e) {
                        throw new ClassNotFoundException(name, e);
                    }
                }
                return c;
            }
        }
    }

    public static void main(String[] args) throws Exception {
        if (PmemTest.child(args, TestTypeElision::run, TestTypeElision::verify)) {
            return;
        }
        String file = PmemTest.heapFile("type-elision");
        OutputAnalyzer run = PmemTest.runThenVerify(TestTypeElision.class, file,
                "-XX:-TieredCompilation", "-Xbatch", "-XX:+UnlockDiagnosticVMOptions", "-XX:+PmemSimulator",
                "-Dhalt=true", "-Xlog:gc+pmem=trace");
        run.shouldNotContain("no barrier for a store into TestTypeElision$Box");
        run.shouldNotContain("no barrier for a store into [LTestTypeElision$Box;");
        run.shouldContain("C2: no barrier for a store into TestTypeElision$Fin (never persistent)");
        run.shouldContain("C2: no barrier for a store into TestTypeElision$WeakBox (never persistent)");
        run.shouldNotContain("no barrier for a store into TestTypeElision$Abs");
        run.shouldNotContain("no barrier for a store into TestTypeElision$Conc");
        PmemTest.cleanup();
    }

    static void expect(boolean ok, String what) {
        if (!ok) throw new RuntimeException("FAILED: " + what);
    }

    static void run() throws Exception {
        Class<?> box = Class.forName(Box.class.getName(), true, new CustomLoader());
        expect(box != Box.class && box.getClassLoader() instanceof CustomLoader, "Box from the custom loader");
        Method fill = box.getMethod("fill", box, box.arrayType(), long.class);
        Object x = box.getDeclaredConstructor().newInstance();
        Object xs = java.lang.reflect.Array.newInstance(box, 4);
        Fin f = new Fin();
        WeakBox w = new WeakBox();
        Abs[] vols = {new Conc(), new Conc2()};
        for (int i = 0; i < 20_000; i++) {
            expect((long) fill.invoke(null, x, xs, (long) i) == i + 4, "Box.fill");
            expect(storeFin(f, i) == i && storeWeak(w, i) == i, "Fin and WeakBox");
            storeAbs(vols[i & 1], i);
        }
        expect(vols[1].a == 19_999 && vols[1].b == 20_000, "volatile Conc2");

        // The compiled storeAbs on a persistent Conc: outside a txn the
        // stores are durable; inside an aborted txn they are undone.
        Conc p = Pmem.pnew(Conc.class);
        Pmem.setRoot(p);
        storeAbs(p, 41);
        try {
            Pmem.txn(() -> {
                storeAbs(p, 99);
                throw new IllegalStateException("abort");
            });
        } catch (IllegalStateException expected) {
        }
        expect(p.a == 41 && p.b == 42, "aborted txn undone");
        if (Boolean.getBoolean("halt")) {
            System.out.println("ALL CHECKS PASSED");
            Runtime.getRuntime().halt(0);
        }
    }

    static void verify() {
        Conc p = (Conc) Pmem.root();
        expect(p.a == 41 && p.b == 42, "durable through the abstract type: " + p.a + " " + p.b);
    }
}
