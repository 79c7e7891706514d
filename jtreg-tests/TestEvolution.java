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
 * @summary A persisted class that gained or lost instance fields has its
 *          objects migrated at attach: kept fields keep their values, new
 *          ones start zero or null, identity (== and the identity hash)
 *          survives, in collections, arrays and subclasses; a field whose
 *          type changed is refused with the file unchanged; crashes at
 *          every phase of a migration and under the simulator are resumed.
 * @library /test/lib /pmem/lib
 * @modules java.base/jdk.internal.pmem
 * @run driver/timeout=900 TestEvolution
 */

import java.io.File;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Random;
import java.util.TreeMap;

import javax.tools.ToolProvider;

import jdk.internal.pmem.Pmem;
import jdk.test.lib.process.OutputAnalyzer;

public class TestEvolution {
    static final int COUNT = 30_000;   // about 2 MB of accounts: several chunks of references to forward

    // Account and its subclass Savings in four versions.
    static final String V1 = "public class Account { public String name; public long balance; public Account next; }";
    static final String V2 = "public class Account { public String name; public int version; public long balance; "
                             + "public java.util.List<String> tags; public Account next; }";
    static final String V3 = "public class Account { public String name; public int version; "
                             + "public java.util.List<String> tags; public Account next; }";
    static final String V4 = "public class Account { public String name; public String version; "
                             + "public java.util.List<String> tags; public Account next; }";
    static final String V5 = "public class Account { public String name; public int version; public String email; "
                             + "public Account next; }";
    static final String SAVINGS = "public class Savings extends Account { public double rate; }";

    public static void main(String[] args) throws Exception {
        if (args.length > 0) {
            child(args[0]);
            return;
        }
        Random rnd = new Random(Long.getLong("seed", System.nanoTime()));
        int simCrashes = Integer.getInteger("crashes", 30);
        Path v1 = compile("v1", V1), v2 = compile("v2", V2), v3 = compile("v3", V3), v4 = compile("v4", V4);
        Path v5 = compile("v5", V5);
        String file = PmemTest.heapFile("evolution");

        // Each migration takes about 1 MB after the used part.
        ok(run(file, v1, "write", "-XX:PmemSize=" + (256 + 2 * simCrashes) + "m"));
        ok(run(file, v1, "check")).shouldNotContain("Migrated");

        // A changed class and a changed reference width at once: refused,
        // the file unchanged (one change per start).
        String unchanged = PmemTest.fingerprint(file);
        OutputAnalyzer both = run(file, v2, "check", "-XX:-UseCompressedOops");
        both.shouldHaveExitValue(1);
        both.shouldMatch("has compressed \\(4-byte\\) references and reachable objects of class (Account|Savings), "
                         + "which changed since its objects were written .*; it cannot change its width now: start "
                         + "this JVM with -XX:\\+UseCompressedOops");
        check(unchanged.equals(PmemTest.fingerprint(file)), "a refused width change changed the file");

        // Fields added: objects migrated once, kept values kept, new ones zero.
        ok(run(file, v2, "check")).shouldMatch("Migrated .*: " + COUNT + " objects of 2 changed class\\(es\\)");
        ok(run(file, v2, "update"));
        ok(run(file, v2, "check")).shouldNotContain("Migrated");

        // A field removed (balance), the new ones keep what update stored.
        ok(run(file, v3, "check")).shouldContain("Migrated");
        ok(run(file, v3, "check")).shouldNotContain("Migrated");

        // Both at once (tags removed, email added), and back (email removed,
        // balance and tags added).
        ok(run(file, v5, "check")).shouldContain("Migrated");
        ok(run(file, v2, "check")).shouldContain("Migrated");

        // A field whose type changed: refused, the file as it was.
        String before = PmemTest.fingerprint(file);
        OutputAnalyzer refused = run(file, v4, "check");
        refused.shouldNotHaveExitValue(0);
        refused.shouldMatch("class (Account|Savings) has objects in .* but changed since they were written: field "
                            + "version:I@\\d+ is now version:Ljava/lang/String;@\\d+; only fields added or removed "
                            + "can be migrated");
        check(before.equals(PmemTest.fingerprint(file)), "a refused start changed the file");

        // With a relocation in the same start.
        ok(run(file, v3, "check", "-XX:+PmemForceRelocation")).shouldContain("Migrated").shouldContain("Relocated");

        // Crashes at each phase; the next start with the same classes
        // finishes, one with other classes is refused and changes nothing.
        String[][] points = {{"migrate-begun", "1"}, {"migrate-copied", "1"}, {"migrate-forwarding", "1", "2"},
                             {"migrate-forwarded", "1"}, {"migrate-freed", "1"}};
        Path now = v3;
        int crashes = 0;
        for (String[] p : points) {
            for (int k = 1; k < p.length; k++) {
                Path next = now == v2 ? v3 : v2;
                OutputAnalyzer dead = run(file, next, "check", "-XX:PmemFaultPoint=" + p[0], "-XX:PmemFaultCount=" + p[k]);
                dead.shouldHaveExitValue(97);
                dead.shouldContain("pmem fault point " + p[0] + " reached");
                crashes++;
                {
                    String was = PmemTest.fingerprint(file);
                    OutputAnalyzer other = run(file, now, "check");
                    other.shouldNotHaveExitValue(0);
                    other.shouldContain("holds a migration of objects to other versions of their classes, "
                                        + "interrupted by a crash; start it once with the classes of that run");
                    check(was.equals(PmemTest.fingerprint(file)), "a refused start changed the file");
                }
                ok(run(file, next, "check")).shouldContain("Migrated");
                now = next;
            }
        }

        // The simulator: a migration dies at a random write-back, with
        // random early evictions of the lines it stored.
        int simulated = 0;
        for (int i = 0; i < simCrashes; i++) {
            Path next = now == v2 ? v3 : v2;
            OutputAnalyzer c = run(file, next, "check", PmemTest.simulatorCrash(rnd, 2 * COUNT, i % 2 != 0));
            check(c.getExitValue() == 97 || c.getExitValue() == 0, "simulator run: exit " + c.getExitValue()
                  + "\n" + c.getOutput());
            simulated += c.getExitValue() == 97 ? 1 : 0;
            ok(run(file, next, "check"));
            now = next;
        }
        System.out.println(crashes + " fault-point crashes and " + simulated + " simulator crashes in migrations");
        check(simulated >= simCrashes / 2, "too few simulator crashes: " + simulated);
        PmemTest.cleanup();
    }

    static Path compile(String dir, String account) throws Exception {
        Path d = Files.createTempDirectory(Path.of("."), dir);
        Files.writeString(d.resolve("Account.java"), account);
        Files.writeString(d.resolve("Savings.java"), SAVINGS);
        int rc = ToolProvider.getSystemJavaCompiler().run(null, null, null, "-d", d.toString(),
                d.resolve("Account.java").toString(), d.resolve("Savings.java").toString());
        check(rc == 0, "javac failed for " + dir);
        return d;
    }

    static OutputAnalyzer run(String file, Path classes, String what, String... extra) throws Exception {
        OutputAnalyzer out = PmemTest.run(PmemTest.concat(PmemTest.flags(file), new String[] {
            "-XX:+UnlockDiagnosticVMOptions", "-Xlog:gc+pmem=info"}, extra, new String[] {
            "--add-exports", "java.base/jdk.internal.pmem=ALL-UNNAMED",
            "-cp", System.getProperty("test.class.path") + File.pathSeparator + classes.toAbsolutePath(),
            "TestEvolution", what}));
        System.out.println(out.getOutput());
        return out;
    }

    static OutputAnalyzer ok(OutputAnalyzer out) {
        out.shouldHaveExitValue(0);
        out.shouldContain("checked");
        return out;
    }

    static void check(boolean ok, String what) {
        if (!ok) throw new RuntimeException(what);
    }

    // -- the child: Account's version is whatever the class path holds ------

    static Field field(Class<?> c, String name) {
        try {
            return c.getField(name);
        } catch (NoSuchFieldException e) {
            return null;
        }
    }

    static final class Holder {
        HashMap<String, Object> byName = new HashMap<>();
        ArrayList<Object> list = new ArrayList<>();
        Object[] array = new Object[COUNT];
        TreeMap<Long, Object> byHash = new TreeMap<>();
        Object head;
        boolean updated;
    }

    static void child(String what) throws Exception {
        Class<?> account = Class.forName("Account");
        Class<?> savings = Class.forName("Savings");
        Field name = field(account, "name"), next = field(account, "next"), balance = field(account, "balance");
        Field version = field(account, "version"), tags = field(account, "tags"), rate = field(savings, "rate");
        Field email = field(account, "email");
        if (what.equals("write")) {
            Pmem.txn(() -> {
                try {
                    Holder h = new Holder();
                    Object head = null;
                    for (int i = 0; i < COUNT; i++) {
                        Object a = (i % 10 == 0 ? savings : account).getConstructor().newInstance();
                        name.set(a, "a" + i);
                        balance.setLong(a, 10L * i);
                        if (i % 10 == 0) rate.setDouble(a, i / 100.0);
                        next.set(a, head);
                        head = a;
                        h.byName.put("a" + i, a);
                        h.list.add(a);
                        h.array[i] = a;
                        if (i % 100 == 0) h.byHash.put((long) System.identityHashCode(a), a);
                    }
                    h.head = head;
                    Pmem.setRoot(h);
                } catch (ReflectiveOperationException e) {
                    throw new RuntimeException(e);
                }
                return null;
            });
        } else if (what.equals("update")) {
            Holder h = (Holder) Pmem.root();
            Pmem.txn(() -> {
                try {
                    for (Object a : h.list) {
                        version.setInt(a, 7);
                        tags.set(a, new ArrayList<>(java.util.List.of("t" + name.get(a))));
                    }
                    h.updated = true;
                } catch (ReflectiveOperationException e) {
                    throw new RuntimeException(e);
                }
                return null;
            });
        }
        Holder h = (Holder) Pmem.root();
        int n = 0;
        Boolean kept = null;
        Boolean tagged = null;
        for (Object a = h.head; a != null; a = next.get(a)) {
            int i = COUNT - 1 - n;
            check(a.getClass() == (i % 10 == 0 ? savings : account), "class of " + i);
            check(("a" + i).equals(name.get(a)), "name of " + i);
            if (balance != null) {
                // V1 wrote it; a version without it dropped it, and one that
                // brings it back starts it at zero: all or none.
                long b = balance.getLong(a);
                if (kept == null) kept = b == 10L * i;
                check(b == (kept ? 10L * i : 0), "balance of " + i + ": " + b);
            }
            if (version != null) {
                int v = version.getInt(a);
                check(v == (h.updated ? 7 : 0), "version of " + i + ": " + v);
            }
            if (tags != null) {
                // Set by update, unless a version without them came between: all or none.
                Object t = tags.get(a);
                if (tagged == null) tagged = t != null;
                check(tagged ? h.updated && t.toString().equals("[ta" + i + "]") : t == null, "tags of " + i + ": " + t);
            }
            if (email != null) {
                check(email.get(a) == null, "email of " + i);
            }
            if (i % 10 == 0) check(rate.getDouble(a) == i / 100.0, "rate of " + i);
            check(h.byName.get("a" + i) == a && h.list.get(i) == a && h.array[i] == a, "identity of " + i);
            if (i % 100 == 0) check(h.byHash.get((long) System.identityHashCode(a)) == a, "identity hash of " + i);
            n++;
        }
        check(n == COUNT && h.byName.size() == COUNT && h.byHash.size() == COUNT / 100, "count " + n);
        System.out.println("checked " + n);
    }
}
