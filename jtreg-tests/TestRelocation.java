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
 * @summary A heap file that must map elsewhere, or whose references encode
 *          addresses differently in this run, is relocated at attach: every
 *          reference rewritten, once, crash-safely (fault points and the
 *          persistence-domain simulator inside the rewrite), with a class
 *          move and with a pending rollback; a second run does not move it.
 * @library /test/lib /pmem/lib
 * @modules java.base/jdk.internal.pmem
 * @run driver/timeout=900 TestRelocation
 */

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jdk.internal.pmem.Pmem;
import jdk.test.lib.process.OutputAnalyzer;
import jdk.test.lib.process.ProcessTools;

public class TestRelocation {
    static final int KEYS = 20_000;   // about 200,000 objects, 8 MB: several 1 MB chunks to rewrite
    static final String[] DIAG = {"-XX:+UnlockDiagnosticVMOptions"};

    record Item(String name, long v, int[] arr, String key) {}

    static final class Store {
        HashMap<String, ArrayList<Long>> map = new HashMap<>();
        TreeMap<Integer, Item> tree = new TreeMap<>();
        Object[] mixed = new Object[64];
        Store self = this;
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0) {
            child(args[0]);
            return;
        }
        Random rnd = new Random(Long.getLong("seed", System.nanoTime()));
        int simCrashes = Integer.getInteger("crashes", 120);

        String file = PmemTest.heapFile("reloc");
        PmemTest.ok(run(file, "write"));
        OutputAnalyzer first = PmemTest.ok(run(file, "verify"));
        first.shouldNotContain("Relocated");

        // -XX:+PmemForceRelocation: a new address each run, by turns disjoint
        // from the old one, overlapping it (two steps) and above what
        // zero-based compressed oops reach (another encoding).
        boolean oneStep = false, twoSteps = false;
        for (int i = 0; i < 3; i++) {
            OutputAnalyzer out = PmemTest.ok(run(file, "verify", force()));
            out.shouldContain("(-XX:+PmemForceRelocation)");
            oneStep |= out.getOutput().contains(" 1 step(s)");
            twoSteps |= out.getOutput().contains(" 2 step(s)");
            PmemTest.check(references(out) >= 5 * KEYS, "too few references rewritten: " + references(out));
            PmemTest.ok(run(file, "verify")).shouldNotContain("Relocated");   // once moved, it stays
        }
        PmemTest.check(oneStep && twoSteps, "forced relocations took one step and two steps: " + oneStep + " " + twoSteps);

        // -XX:PmemHeapAddress names another address: the file moves there and stays.
        PmemTest.ok(run(file, "verify", "-XX:PmemHeapAddress=0x600000000"))
            .shouldContain("(-XX:PmemHeapAddress names another address)");
        PmemTest.ok(run(file, "verify")).shouldNotContain("Relocated").shouldContain("mapped at 0x0000000600000000");

        // Above 32 GB compressed oops are heap-based: their base follows the
        // volatile heap's size, so a new -Xmx changes the encoding of every
        // reference with the file in place.
        PmemTest.ok(run(file, "verify", "-XX:PmemHeapAddress=0x1000000000", "-Xmx256m", "-Xshare:off"));   // no object may encode as null
        PmemTest.ok(run(file, "verify", "-Xmx1g")).shouldContain("(the reference encoding changed)");
        PmemTest.ok(run(file, "verify", "-Xmx1g")).shouldNotContain("Relocated");
        PmemTest.ok(run(file, "verify", "-Xmx300m")).shouldContain("(the reference encoding changed)");

        // A volatile heap that does not fit below the recorded address.
        PmemTest.ok(run(file, "verify", "-XX:PmemHeapAddress=0x400000000"));
        PmemTest.ok(run(file, "verify", "-Xmx20g", "-Xms64m"))
            .shouldContain("(its recorded address leaves no room for the volatile heap below it)");

        // The recorded range is taken (a library preloaded into the launcher
        // maps it first): the file moves; named explicitly, it is refused.
        PmemTest.ok(run(file, "verify", "-XX:PmemHeapAddress=0x500000000"));
        Path taker = takerLibrary();
        PmemTest.ok(runTaken(taker, 0x500000000L, PmemTest.concat(PmemTest.flags(file), log(), exported("verify"))))
            .shouldContain("(its recorded address range is in use)");
        PmemTest.ok(run(file, "verify", "-XX:PmemHeapAddress=0x500000000"));
        String before = PmemTest.fingerprint(file);
        OutputAnalyzer refused = runTaken(taker, 0x500000000L, PmemTest.concat(PmemTest.flags(file),
                new String[] {"-XX:PmemHeapAddress=0x500000000", "-version"}));
        refused.shouldNotHaveExitValue(0);
        refused.shouldContain("cannot map " + file + " at -XX:PmemHeapAddress=0x0000000500000000: the range is in use");
        PmemTest.check(before.equals(PmemTest.fingerprint(file)), "a refused start changed the file");

        // A rollback pending from a crash inside a transaction: recovery
        // restores the old references, then relocation rewrites them.
        OutputAnalyzer dead = run(file, "scramble", "-XX:PmemFaultPoint=commit-written-back", "-XX:PmemFaultCount=1");
        dead.shouldHaveExitValue(97);
        OutputAnalyzer rolled = PmemTest.ok(run(file, "verify", force()));
        rolled.shouldContain("Recovery: rolled back");
        rolled.shouldContain("Relocated");

        // Crashes inside the rewrite, at each of its fault points; the next
        // run finishes the recorded step wherever it maps the file (forced
        // to move again or not, with the classes moved or not).
        String[][] points = {{"relocate-begun", "1"}, {"relocate-first-pass", "1", "5"},
                             {"relocate-rewritten", "1", "3", "7"}, {"relocate-chunk-done", "1", "4", "6"},
                             {"relocate-placed", "1"}};
        int crashes = 0;
        for (String[] p : points) {
            for (int k = 1; k < p.length; k++) {
                String share = crashes % 3 == 0 ? "-Xshare:off" : "-Xshare:auto";
                OutputAnalyzer c = run(file, "verify", force(), share, "-XX:PmemFaultPoint=" + p[0],
                                       "-XX:PmemFaultCount=" + p[k]);
                if (c.getExitValue() == 0) {
                    continue;   // a one-step move has no first pass
                }
                c.shouldHaveExitValue(97);
                c.shouldContain("pmem fault point " + p[0] + " reached");
                crashes++;
                boolean again = rnd.nextBoolean();
                OutputAnalyzer after = PmemTest.ok(again ? run(file, "verify", force(), crashes % 2 == 0 ? "-Xshare:off" : "-Xshare:auto")
                                                : run(file, "verify"));
                after.shouldContain("(resumed after a crash)");
            }
        }
        PmemTest.check(crashes >= 8, "too few fault-point crashes: " + crashes);

        // The persistence-domain simulator: the rewrite dies at a random
        // write-back, with random early evictions of lines it stored.
        OutputAnalyzer measured = PmemTest.ok(run(file, "verify", force()));
        Matcher lm = Pattern.compile("(\\d+) cache lines written back").matcher(measured.getOutput());
        PmemTest.check(lm.find(), "no line count logged");
        int perStep = Integer.parseInt(lm.group(1)) / (measured.getOutput().contains(" 2 step(s)") ? 2 : 1);
        int simulated = 0;
        for (int i = 0; i < simCrashes; i++) {
            OutputAnalyzer c = run(file, "verify", force(), "-XX:+PmemSimulator",
                                   "-XX:PmemCrashAfterWritebacks=" + (1 + rnd.nextInt(perStep * 3 / 2)),
                                   "-XX:PmemSimulatorEvictPPM=" + (i % 2 == 0 ? 0 : 20000),
                                   "-XX:PmemSimulatorSeed=" + (1 + rnd.nextInt(1 << 30)));
            PmemTest.check(c.getExitValue() == 97 || c.getExitValue() == 0, "simulator run: exit " + c.getExitValue()
                  + "\n" + c.getOutput());
            simulated += c.getExitValue() == 97 ? 1 : 0;
            PmemTest.ok(i % 3 == 0 ? run(file, "verify", force()) : run(file, "verify"));
        }
        System.out.println(crashes + " fault-point crashes and " + simulated + " simulator crashes inside relocations");
        PmemTest.check(simulated >= simCrashes / 2, "too few simulator crashes: " + simulated);

        // Without compressed oops references are addresses: the same moves.
        String wide = PmemTest.heapFile("reloc-wide");
        PmemTest.ok(run(wide, "write", "-XX:-UseCompressedOops"));
        for (int i = 0; i < 3; i++) {
            PmemTest.ok(run(wide, "verify", "-XX:-UseCompressedOops", force())).shouldContain("Relocated");
        }
        PmemTest.ok(run(wide, "verify", "-XX:-UseCompressedOops")).shouldNotContain("Relocated");
        OutputAnalyzer c = run(wide, "verify", "-XX:-UseCompressedOops", force(),
                               "-XX:PmemFaultPoint=relocate-chunk-done", "-XX:PmemFaultCount=2");
        c.shouldHaveExitValue(97);
        PmemTest.ok(run(wide, "verify", "-XX:-UseCompressedOops")).shouldContain("(resumed after a crash)");
        PmemTest.cleanup();
    }

    static String force() {
        return "-XX:+PmemForceRelocation";
    }

    static String[] log() {
        return new String[] {"-Xlog:gc+pmem=info"};
    }

    static String[] exported(String what) {
        return new String[] {"--add-exports", "java.base/jdk.internal.pmem=ALL-UNNAMED",
                             "-cp", System.getProperty("test.class.path"), "TestRelocation", what};
    }

    static OutputAnalyzer run(String file, String what, String... extra) throws Exception {
        OutputAnalyzer out = PmemTest.run(PmemTest.concat(PmemTest.flags(file), DIAG, extra, log(), exported(what)));
        System.out.println(out.getOutput());
        return out;
    }


    static int references(OutputAnalyzer out) {
        Matcher m = Pattern.compile("Relocated .*: (\\d+) references rewritten").matcher(out.getOutput());
        PmemTest.check(m.find(), "no relocation logged");
        return Integer.parseInt(m.group(1));
    }

    // A shared library whose constructor maps [TAKE_ADDR, +16 MB) before
    // the JVM reserves its heap (the launcher loads libjvm in its process).
    static Path takerLibrary() throws Exception {
        Path dir = Files.createTempDirectory(Path.of("."), "taker");
        Path src = dir.resolve("taker.c");
        Files.writeString(src, """
            #include <stdlib.h>
            #include <sys/mman.h>
            __attribute__((constructor)) static void take(void) {
              const char* a = getenv("TAKE_ADDR");
              if (a != NULL) {
                mmap((void*)strtoul(a, NULL, 0), 16 << 20, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
              }
            }
            """);
        Path lib = dir.resolve("libtaker.so").toAbsolutePath();
        Process cc = new ProcessBuilder("gcc", "-shared", "-fPIC", "-o", lib.toString(), src.toString())
                .inheritIO().start();
        PmemTest.check(cc.waitFor() == 0, "gcc failed (the JDK build needs it, so make test has it)");
        return lib;
    }

    static OutputAnalyzer runTaken(Path lib, long address, String[] args) throws Exception {
        ProcessBuilder pb = ProcessTools.createLimitedTestJavaProcessBuilder(args);
        pb.environment().put("LD_PRELOAD", lib.toString());
        pb.environment().put("TAKE_ADDR", "0x" + Long.toHexString(address));
        OutputAnalyzer out = new OutputAnalyzer(pb.start());
        System.out.println("[child, range taken] " + String.join(" ", args) + " -> exit " + out.getExitValue());
        System.out.println(out.getOutput());
        return out;
    }

    // -- the child ----------------------------------------------------------

    static void child(String what) {
        switch (what) {
            case "write" -> {
                Pmem.txn(() -> {
                    Store s = new Store();
                    for (int i = 0; i < KEYS; i++) {
                        String key = "k" + i;
                        s.map.put(key, new ArrayList<>(List.of((long) i, i * 7L, (long) -i)));
                        s.tree.put(i, new Item("n" + i, 3L * i, new int[] {i, i + 1}, key));
                    }
                    for (int i = 0; i < s.mixed.length; i++) {
                        s.mixed[i] = i % 2 == 0 ? s.tree.get(i) : s.map.get("k" + i);
                    }
                    Pmem.setRoot(s);
                    return null;
                });
                System.out.println("written");
            }
            case "verify" -> {
                verify((Store) Pmem.root());
                System.out.println("verified");
            }
            case "scramble" -> {
                // Changes every list and record reference in one
                // transaction; the fault point ends the JVM before it commits.
                Store s = (Store) Pmem.root();
                Pmem.txn(() -> {
                    for (int i = 0; i < KEYS; i += 10) {
                        s.map.put("k" + i, new ArrayList<>(List.of(-1L)));
                        s.tree.put(i, new Item("x", 0, null, null));
                    }
                    s.mixed = new Object[1];
                    s.self = null;
                    return null;
                });
                throw new RuntimeException("the fault point did not end the JVM");
            }
            default -> throw new IllegalArgumentException(what);
        }
    }

    static void verify(Store s) {
        PmemTest.check(s != null && s.self == s, "root");
        PmemTest.check(s.map.size() == KEYS && s.tree.size() == KEYS, "sizes " + s.map.size() + " " + s.tree.size());
        for (int i = 0; i < KEYS; i++) {
            String key = "k" + i;
            List<Long> l = s.map.get(key);
            PmemTest.check(l != null && l.size() == 3 && l.get(0) == i && l.get(1) == i * 7L && l.get(2) == -i, "list " + i);
            Item it = s.tree.get(i);
            PmemTest.check(it != null && it.name().equals("n" + i) && it.v() == 3L * i && it.arr()[0] == i
                  && it.arr()[1] == i + 1, "item " + i);
            PmemTest.check(it.key().equals(key), "key " + i);
        }
        for (int i = 0; i < s.mixed.length; i++) {
            PmemTest.check(s.mixed[i] == (i % 2 == 0 ? s.tree.get(i) : s.map.get("k" + i)), "mixed " + i);
        }
        // The record's key is the map's key object: identity survives.
        int shared = 0;
        for (var e : s.map.entrySet()) {
            Item it = s.tree.get(Integer.parseInt(e.getKey().substring(1)));
            shared += it.key() == e.getKey() ? 1 : 0;
        }
        PmemTest.check(shared == KEYS, "shared key objects: " + shared);
    }
}
