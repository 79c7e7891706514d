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
 * @summary Persisted classes are checked at attach: a class that is gone or
 *          whose fields changed stops the JVM with a message naming the
 *          class and the field, and the file stays as it was; classes that
 *          sit elsewhere in a new run get their headers rewritten, also
 *          when the JVM dies in the middle of that and starts again.
 * @library /test/lib /pmem/lib
 * @modules java.base/jdk.internal.pmem
 * @run driver TestTypes
 */

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.tools.ToolProvider;

import jdk.internal.pmem.Pmem;
import jdk.test.lib.process.OutputAnalyzer;

public class TestTypes {
    static final String V1 = "public class Data { public long a; public int b; public Data next; }";
    static final String V2 = "public class Data { public long a; public String b; public Data next; }";
    static final int COUNT = 150_000;  // about 5 MB: several 1 MB chunks of headers to rewrite

    public static void main(String[] args) throws Exception {
        if (args.length > 0) {
            child(args[0]);
            return;
        }
        Path v1 = compile("v1", V1);
        Path v2 = compile("v2", V2);
        Path none = Files.createTempDirectory(Path.of("."), "none");
        String file = PmemTest.heapFile("types");

        run(file, v1, "write").shouldContain("wrote " + COUNT);
        run(file, v1, "read").shouldContain("read " + COUNT);

        PmemTest.failsUnchanged(file, "class Data has objects in " + file + " but is not found; put it back on the class path",
                                "-cp", cp(none), "TestTypes", "read");
        OutputAnalyzer changed = PmemTest.run(PmemTest.concat(PmemTest.flags(file),
                                              new String[] {"-cp", cp(v2), "TestTypes", "read"}));
        changed.shouldNotHaveExitValue(0);
        changed.shouldMatch("class Data has objects in " + file.replace(".", "\\.")
                            + " but changed since they were written: field b:I@\\d+ is now b:Ljava/lang/String;@\\d+");
        String before = PmemTest.fingerprint(file);
        PmemTest.run(PmemTest.concat(PmemTest.flags(file), new String[] {"-cp", cp(v2), "TestTypes", "read"}))
                .shouldNotHaveExitValue(0);
        if (!before.equals(PmemTest.fingerprint(file))) throw new RuntimeException("file changed by a refused start");

        // Without the CDS archive every class, the JDK's too, sits elsewhere:
        // all headers are rewritten, and rewritten back with it.
        for (String share : new String[] {"-Xshare:off", "-Xshare:auto", "-Xshare:off"}) {
            OutputAnalyzer out = run(file, v1, "read", share);
            out.shouldContain("read " + COUNT);
            out.shouldMatch("Attached .*: \\d+ types, \\d+ objects, [1-9]\\d* headers rewritten");
        }

        // A JVM that dies while rewriting leaves a file the next one finishes,
        // whichever placement of classes that next JVM has.
        String[] points = {"swizzle-tagged", "swizzle-rewritten", "swizzle-chunk-done", "swizzle-finishing"};
        boolean fileShared = false;   // the headers hold the -Xshare:off placement now
        int crashes = 0;
        for (String point : points) {
            for (int n = 1; n <= (point.equals("swizzle-finishing") ? 1 : 3); n++) {
                boolean crashShared = !fileShared;   // so that the crashing JVM must rewrite
                OutputAnalyzer dead = PmemTest.run(PmemTest.concat(PmemTest.flags(file), new String[] {
                    share(crashShared), "-XX:+UnlockDiagnosticVMOptions",
                    "-XX:PmemFaultPoint=" + point, "-XX:PmemFaultCount=" + n,
                    "--add-exports", "java.base/jdk.internal.pmem=ALL-UNNAMED",
                    "-cp", cp(v1), "TestTypes", "read"}));
                dead.shouldHaveExitValue(97);
                dead.shouldContain("pmem fault point " + point + " reached");
                crashes++;
                boolean nextShared = (crashes % 2) == 0;
                OutputAnalyzer after = run(file, v1, "read", share(nextShared));
                after.shouldContain("Finishing a header rewrite interrupted at offset");
                after.shouldContain("read " + COUNT);
                fileShared = nextShared;
            }
        }
        System.out.println(crashes + " crashes while rewriting headers, all recovered");
        PmemTest.cleanup();
    }

    static String share(boolean on) {
        return on ? "-Xshare:auto" : "-Xshare:off";
    }

    static Path compile(String dir, String source) throws Exception {
        Path d = Files.createTempDirectory(Path.of("."), dir);
        Path src = d.resolve("Data.java");
        Files.writeString(src, source);
        int rc = ToolProvider.getSystemJavaCompiler().run(null, null, null, "-d", d.toString(), src.toString());
        if (rc != 0) throw new RuntimeException("javac failed for " + dir);
        Files.delete(src);
        return d;
    }

    static String cp(Path dataDir) {
        return System.getProperty("test.class.path") + File.pathSeparator + dataDir.toAbsolutePath();
    }

    static OutputAnalyzer run(String file, Path dataDir, String what, String... extra) throws Exception {
        OutputAnalyzer out = PmemTest.run(PmemTest.concat(PmemTest.flags(file), extra, new String[] {
            "-Xlog:gc+pmem=info", "--add-exports", "java.base/jdk.internal.pmem=ALL-UNNAMED",
            "-cp", cp(dataDir), "TestTypes", what}));
        System.out.println(out.getOutput());
        out.shouldHaveExitValue(0);
        return out;
    }

    static void child(String what) throws Exception {
        Class<?> data = Class.forName("Data");
        var a = data.getField("a");
        var b = data.getField("b");
        var next = data.getField("next");
        if (what.equals("write")) {
            Object head = null;
            for (int i = 0; i < COUNT; i++) {
                Object d = Pmem.pnew(data);
                a.setLong(d, i);
                b.setInt(d, -i);
                next.set(d, head);
                Pmem.persist(d);
                head = d;
            }
            Pmem.put("data", head);
            System.out.println("wrote " + COUNT);
        } else {
            int n = 0;
            for (Object d = Pmem.get("data", data); d != null; d = next.get(d)) {
                int i = COUNT - 1 - n;
                if (a.getLong(d) != i || b.getInt(d) != -i) throw new RuntimeException("bad element " + n);
                n++;
            }
            if (n != COUNT) throw new RuntimeException("read " + n);
            System.out.println("read " + n);
        }
    }
}
