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
 * @summary Objects of classes of other class loaders survive restarts
 *          (issue 21): a program run by the source launcher (java Demo.java)
 *          keeps a list of its own Node class, records and a HashMap across
 *          four runs in four tiers; a URLClassLoader plugin's TreeMap of
 *          records survives restarts, its file attached on first use with
 *          the loader of the type get() is given; a host whose loader does
 *          not see the plugin's classes gets a one-line IllegalStateException
 *          naming the class and Pmem.attach, leaves the file unchanged, and
 *          attaches with Pmem.attach(loader) after.
 * @library /test/lib /pmem/lib
 * @modules java.base/jdk.internal.pmem
 * @run driver/timeout=600 TestClassLoaders
 */

import java.io.File;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.tools.ToolProvider;

import jdk.internal.pmem.Pmem;
import jdk.test.lib.process.OutputAnalyzer;

public class TestClassLoaders {
    static final String DEMO = """
        import java.util.*;
        import jdk.internal.pmem.Pmem;

        public class Demo {
            static class Node { long value; Node next; }
            record Visit(int run, String who) {}
            static class Book {
                Node first;
                long size;
                ArrayList<Visit> visits = new ArrayList<>();
                HashMap<String, Integer> counts = new HashMap<>();
            }

            public static void main(String[] args) {
                Book b = (Book) Pmem.root();   // attaches with this class's loader
                if (b == null) {
                    b = Pmem.pnew(() -> new Book());
                    Pmem.setRoot(b);
                }
                Book book = b;
                Pmem.txn(() -> {
                    Node n = new Node();
                    n.value = book.size + 1;
                    n.next = book.first;
                    book.first = n;
                    book.size++;
                    book.visits.add(new Visit((int) book.size, args[0]));
                    book.counts.merge(args[0], 1, Integer::sum);
                });
                StringBuilder sb = new StringBuilder();
                for (Node n = b.first; n != null; n = n.next) sb.append(n.value).append(n.next != null ? " -> " : "");
                System.out.println("Run " + b.size + ": " + sb + " " + b.visits + " " + new TreeMap<>(b.counts));
            }
        }
        """;

    static final String PLUGIN = """
        package plugin;
        import java.util.TreeMap;
        import jdk.internal.pmem.Pmem;

        public class Inventory {
            public record Item(String name, int qty) {}
            static final class Store {
                final TreeMap<String, Item> items = new TreeMap<>();
                long changes;
            }

            public static String add(String name) {
                Store s = Pmem.get("inventory", Store.class);   // attaches with this loader
                if (s == null) {
                    s = Pmem.pnew(() -> new Store());
                    Pmem.put("inventory", s);
                }
                Store st = s;
                Pmem.txn(() -> {
                    st.items.merge(name, new Item(name, 1), (a, b) -> new Item(a.name(), a.qty() + b.qty()));
                    st.changes++;
                });
                return st.changes + " " + st.items.values();
            }
        }
        """;

    static final String[] EXPORT = {"--add-exports", "java.base/jdk.internal.pmem=ALL-UNNAMED"};

    static void check(boolean ok, String what) {
        if (!ok) throw new RuntimeException("FAILED: " + what);
    }

    // The child: mode plugin (the plugin finds the file), host-first (the
    // host's own call comes first), host-only (the host's call, nothing else).
    static void child(String mode, String dir, String item) throws Exception {
        if (!mode.equals("plugin")) {
            try {
                Pmem.root();
                throw new RuntimeException("FAILED: the host's loader attached a file with plugin classes");
            } catch (IllegalStateException e) {
                System.out.println("REFUSED: " + e.getMessage());
            }
            if (mode.equals("host-only")) {
                return;
            }
        }
        URLClassLoader loader = new URLClassLoader(new URL[] {new File(dir).toURI().toURL()},
                                                   TestClassLoaders.class.getClassLoader());
        if (mode.equals("host-first")) {
            check(Pmem.attach(loader), "attach(loader) attached the file");
            check(!Pmem.attach(loader), "a second attach does nothing");
        }
        Object r = loader.loadClass("plugin.Inventory").getMethod("add", String.class).invoke(null, item);
        System.out.println("RESULT: " + r);
    }

    static OutputAnalyzer launch(String file, String... args) throws Exception {
        OutputAnalyzer out = PmemTest.run(PmemTest.concat(PmemTest.flags(file), EXPORT, args));
        out.shouldHaveExitValue(0);
        return out;
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 3) {
            child(args[0], args[1], args[2]);
            return;
        }
        Path dir = Files.createTempDirectory(Path.of(System.getProperty("user.dir")), "loaders");

        // The source launcher: classes of its in-memory loader, in every tier.
        Path demo = dir.resolve("Demo.java");
        Files.writeString(demo, DEMO);
        String file = PmemTest.heapFile("source-launcher");
        String[] who = {"alice", "bob", "alice", "carol"};
        String expect = "";
        for (int i = 0; i < PmemTest.TIERS.length; i++) {
            OutputAnalyzer out = launch(file, PmemTest.concat(PmemTest.TIERS[i],
                    new String[] {"-Xlog:gc+pmem=info", demo.toString(), who[i]}));
            StringBuilder list = new StringBuilder();
            for (int n = i + 1; n >= 1; n--) list.append(n).append(n > 1 ? " -> " : "");
            out.shouldContain("Run " + (i + 1) + ": " + list + " [Visit[run=1, who=alice]");
            if (i > 0) {
                out.shouldContain("waits for its first use: it holds objects of classes of other class loaders");
            }
            expect = out.getStdout();
        }
        check(expect.contains("Visit[run=4, who=carol]] {alice=2, bob=1, carol=1}"), "the last run: " + expect);

        // A URLClassLoader plugin.
        Path classes = dir.resolve("plugin-classes");
        Path src = dir.resolve("Inventory.java");
        Files.writeString(src, PLUGIN);
        int rc = ToolProvider.getSystemJavaCompiler().run(null, null, null, "--add-exports",
                "java.base/jdk.internal.pmem=ALL-UNNAMED", "-d", classes.toString(), src.toString());
        check(rc == 0, "the plugin compiles");
        String[] cp = {"-cp", System.getProperty("test.class.path"), "TestClassLoaders"};
        file = PmemTest.heapFile("plugin");
        launch(file, PmemTest.concat(cp, new String[] {"plugin", classes.toString(), "bolt"}))
            .shouldContain("RESULT: 1 [Item[name=bolt, qty=1]]");
        launch(file, PmemTest.concat(new String[] {"-XX:-TieredCompilation"}, cp,
                                     new String[] {"plugin", classes.toString(), "nut"}))
            .shouldContain("RESULT: 2 [Item[name=bolt, qty=1], Item[name=nut, qty=1]]");
        // The host's loader does not see plugin classes: refused, file unchanged.
        String before = PmemTest.fingerprint(file);
        OutputAnalyzer out = launch(file, PmemTest.concat(cp, new String[] {"host-only", classes.toString(), "-"}));
        out.shouldContain("REFUSED: class plugin.Inventory$Store has objects in " + file
                          + " but the application class loader does not find it; attach the file with the "
                          + "loader that defines it: Pmem.attach(loader)");
        check(before.equals(PmemTest.fingerprint(file)), "a refused attach leaves the file unchanged");
        launch(file, PmemTest.concat(new String[] {"-Xint"}, cp, new String[] {"host-first", classes.toString(), "bolt"}))
            .shouldContain("RESULT: 3 [Item[name=bolt, qty=2], Item[name=nut, qty=1]]");
        launch(file, PmemTest.concat(cp, new String[] {"plugin", classes.toString(), "nut"}))
            .shouldContain("RESULT: 4 [Item[name=bolt, qty=2], Item[name=nut, qty=2]]");
        PmemTest.cleanup();
    }
}
