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
 * @summary Enum constants in the persistent heap: in fields, arrays, records,
 *          HashMap/HashSet/TreeMap/ArrayList, EnumMap and EnumSet (regular
 *          and jumbo), constants with bodies and with fields (a lambda
 *          among them), JDK enums; made in each tier, then read and changed
 *          after restarts in every tier (and with -Xshare:off): ==, switch,
 *          ordinal(), name(), valueOf, values(), hash lookups, identity
 *          hashes. An aborted transaction leaves nothing. A stored constant
 *          that no longer exists, a reordered one and an EnumSet's enum that
 *          gained constants are refused with one line, the file unchanged;
 *          a constant added at the end works. Crashes at the fault points
 *          of a promotion and under the persistence-domain simulator leave
 *          every acknowledged transaction and only constants equal to this
 *          run's.
 * @library /test/lib /pmem/lib
 * @modules java.base/jdk.internal.pmem
 * @run driver/timeout=900 TestEnums
 */

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DayOfWeek;
import java.util.*;
import java.util.concurrent.TimeUnit;
import java.util.function.IntBinaryOperator;

import javax.tools.ToolProvider;

import jdk.internal.pmem.Pmem;

// Top level, so that the driver can compile other versions of them.
enum Palette { RED, GREEN }

enum Shade { LIGHT, DARK }

public class TestEnums {
    enum Color {
        RED, GREEN,
        BLUE { @Override public String toString() { return "blue!"; } };
    }

    enum Op {
        PLUS("+", (a, b) -> a + b), TIMES("*", (a, b) -> a * b);
        final String symbol;
        final IntBinaryOperator f;
        String label;   // set later: a constant's field changed at run time
        Op(String symbol, IntBinaryOperator f) { this.symbol = symbol; this.f = f; }
    }

    enum Big {
        B0, B1, B2, B3, B4, B5, B6, B7, B8, B9, B10, B11, B12, B13, B14, B15, B16, B17, B18, B19, B20, B21,
        B22, B23, B24, B25, B26, B27, B28, B29, B30, B31, B32, B33, B34, B35, B36, B37, B38, B39, B40, B41,
        B42, B43, B44, B45, B46, B47, B48, B49, B50, B51, B52, B53, B54, B55, B56, B57, B58, B59, B60, B61,
        B62, B63, B64, B65, B66
    }

    record Task(String name, Color color, TimeUnit unit) {}

    static final class Root {
        Color color;
        Op op;
        Color[] colors;
        Task task;
        ArrayList<Color> list;
        HashMap<Color, Integer> hashes;        // identity hashes of the first run
        HashSet<DayOfWeek> days;
        TreeMap<Color, String> sorted;
        EnumMap<Color, List<String>> byColor;
        EnumSet<Color> set;
        EnumSet<Big> big;
        Thread.State state;
        Object palette;
        Object shade;
        int rounds;
        ArrayList<Object> consts;           // the crash workload
        ArrayList<String> names;
        EnumMap<Color, Integer> counts;
    }

    static void check(boolean ok, String what) {
        if (!ok) throw new RuntimeException("FAILED: " + what);
    }

    static void create() {
        Root r = Pmem.pnew(() -> new Root());
        Pmem.setRoot(r);
        Pmem.txn(() -> {
            r.color = Color.GREEN;
            r.op = Op.TIMES;
            r.colors = new Color[] {Color.BLUE, null, Color.RED};
            r.task = new Task("t", Color.BLUE, TimeUnit.SECONDS);
            r.list = new ArrayList<>(List.of(Color.RED, Color.BLUE, Color.RED));
            r.hashes = new HashMap<>();
            for (Color c : Color.values()) r.hashes.put(c, System.identityHashCode(c));
            r.days = new HashSet<>(List.of(DayOfWeek.MONDAY, DayOfWeek.SUNDAY));
            r.sorted = new TreeMap<>(Map.of(Color.BLUE, "b", Color.RED, "r"));
            r.byColor = new EnumMap<>(Color.class);
            r.byColor.computeIfAbsent(Color.GREEN, k -> new ArrayList<>()).add("g0");
            r.set = EnumSet.of(Color.RED, Color.BLUE);
            r.big = EnumSet.of(Big.B0, Big.B64, Big.B66);
            r.state = Thread.State.WAITING;
        });
        // Nothing of an aborted transaction stays, the constants it stored included.
        try {
            Pmem.txn(() -> {
                r.color = Color.BLUE;
                r.byColor.put(Color.RED, new ArrayList<>());
                r.set.add(Color.GREEN);
                throw new IllegalStateException("abort");
            });
            throw new RuntimeException("FAILED: no exception");
        } catch (IllegalStateException expected) {
        }
        check(r.color == Color.GREEN && !r.byColor.containsKey(Color.RED) && !r.set.contains(Color.GREEN),
              "aborted transaction undone");
        Op.PLUS.label = "plus, run 1";   // a constant's own field: belongs to the run
        checkAll(r, 0);
    }

    // Reads everything many times, so that C1 and C2 compile the readers.
    static void checkAll(Root r, int rounds) {
        for (int i = 0; i < 20_000; i++) {
            check(r.color == Color.GREEN, "== constant");
            switch (r.color) {
                case GREEN: break;
                default: throw new RuntimeException("FAILED: switch went to " + r.color);
            }
            check(r.color.ordinal() == 1 && r.color.name().equals("GREEN"), "ordinal and name");
            check(r.colors[0] == Color.BLUE && r.colors[1] == null && r.colors[2] == Color.RED, "array");
            check(r.colors[0].toString().equals("blue!") && r.colors[0].getDeclaringClass() == Color.class,
                  "constant with a body");
            check(r.op == Op.TIMES && r.op.f.applyAsInt(6, 7) == 42 && r.op.symbol.equals("*"), "constant with fields");
            check(r.task.color() == Color.BLUE && r.task.unit() == TimeUnit.SECONDS &&
                  r.task.equals(new Task("t", Color.BLUE, TimeUnit.SECONDS)), "record");
            check(r.list.indexOf(Color.BLUE) == 1 && r.list.lastIndexOf(Color.RED) == 2, "list");
            check(r.days.contains(DayOfWeek.SUNDAY) && !r.days.contains(DayOfWeek.FRIDAY), "HashSet of a JDK enum");
            check(r.sorted.firstKey() == Color.RED && r.sorted.get(Color.BLUE).equals("b"), "TreeMap");
            check(r.byColor.get(Color.GREEN).size() == rounds + 1 && r.byColor.containsKey(Color.GREEN) &&
                  !r.byColor.containsKey(Color.RED), "EnumMap");
            check(r.set.contains(Color.RED) && !r.set.contains(Color.GREEN) && r.set.size() == 2, "EnumSet");
            check(r.big.contains(Big.B64) && r.big.contains(Big.B66) && r.big.size() == 3 + Math.min(rounds, 1),
                  "jumbo EnumSet");
            check(r.state == Thread.State.WAITING, "Thread.State");
        }
        for (Color c : Color.values()) {
            check(r.hashes.get(c) == System.identityHashCode(c), "identity hash of " + c + " kept");
            check(c.hashCode() == System.identityHashCode(c), "Enum.hashCode is the identity hash");
        }
        check(Color.valueOf("GREEN") == r.color && Color.values()[1] == r.color, "valueOf and values()");
        check(EnumSet.complementOf(r.set).equals(EnumSet.of(Color.GREEN)), "complementOf");
        check(r.byColor.equals(new EnumMap<>(r.byColor)) && r.byColor.keySet().iterator().next() == Color.GREEN,
              "EnumMap copy and iteration");
        check(r.rounds == rounds, "rounds " + r.rounds + " != " + rounds);
    }

    static void restart(int rounds) {
        Root r = (Root) Pmem.root();
        check(r != null, "root");
        check(Op.PLUS.label == null, "a constant's own field starts the run null, as its class made it");
        checkAll(r, rounds);
        Pmem.txn(() -> {
            r.byColor.get(Color.GREEN).add("g" + (rounds + 1));
            r.big.add(Big.B1);
            r.rounds++;
        });
        Op.PLUS.label = "plus, run " + (rounds + 2);
        checkAll(r, rounds + 1);
    }

    // -- crashes ------------------------------------------------------------

    static final Enum<?>[] POOL = {
        Color.RED, Op.PLUS, Big.B17, Palette.GREEN, Shade.DARK, Thread.State.BLOCKED, DayOfWeek.FRIDAY,
        TimeUnit.HOURS, java.time.Month.MAY, java.math.RoundingMode.HALF_UP, Color.BLUE, Op.TIMES, Big.B66,
        java.nio.file.StandardOpenOption.APPEND, java.time.temporal.ChronoUnit.DAYS,
    };

    // One constant per transaction, in random order, each acknowledged.
    static void crashWork(long seed) {
        Root found = (Root) Pmem.root();
        if (found == null) {
            Root n = Pmem.pnew(() -> new Root());
            Pmem.txn(() -> {
                n.consts = new ArrayList<>();
                n.names = new ArrayList<>();
                n.counts = new EnumMap<>(Color.class);
            });
            Pmem.setRoot(n);
            found = n;
        }
        Root r = found;
        Random rnd = new Random(seed);
        for (int i = 0; i < 40; i++) {
            Enum<?> e = POOL[rnd.nextInt(POOL.length)];
            Color c = Color.values()[i % 3];
            Pmem.txn(() -> {
                r.consts.add(e);
                r.names.add(e.getDeclaringClass().getName() + "." + e.name());
                r.counts.merge(c, 1, Integer::sum);
            });
            System.out.println("ACK " + r.consts.size());
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    static void crashCheck(int acked) throws Exception {
        Root r = (Root) Pmem.root();
        if (r == null) {
            check(acked == 0, "root lost after " + acked + " acknowledged transactions");
            return;
        }
        if (r.consts == null) {
            check(acked == 0, "lists lost");
            return;
        }
        check(r.consts.size() >= acked, r.consts.size() + " constants, " + acked + " acknowledged");
        check(r.consts.size() == r.names.size(), "constants and names differ in number");
        int total = 0;
        for (int n : r.counts.values()) total += n;
        check(total == r.consts.size(), "counts " + total + " != " + r.consts.size());
        for (int i = 0; i < r.consts.size(); i++) {
            Enum<?> e = (Enum<?>) r.consts.get(i);
            Class cls = e.getDeclaringClass();
            check((cls.getName() + "." + e.name()).equals(r.names.get(i)), "constant " + i + " is " + e);
            check(Enum.valueOf(cls, e.name()) == e, "constant " + i + " is this run's " + e);
        }
    }

    static int lastAck(jdk.test.lib.process.OutputAnalyzer out) {
        int ack = 0;
        for (String l : out.asLines()) {
            if (l.startsWith("ACK ")) ack = Integer.parseInt(l.substring(4).trim());
        }
        return ack;
    }

    // Crashes the workload with flags, then checks; returns 1 if it crashed.
    static int crashAndCheck(String file, String[] flags, long seed) throws Exception {
        jdk.test.lib.process.OutputAnalyzer work = PmemTest.runMain(TestEnums.class,
                PmemTest.concat(PmemTest.flags(file), new String[] {"-XX:+UnlockDiagnosticVMOptions"}, flags),
                "crashWork", String.valueOf(seed));
        int rc = work.getExitValue();
        if (rc != 97 && rc != 0) {
            System.out.println(work.getOutput());
            throw new RuntimeException("workload failed with exit " + rc);
        }
        OutputAnalyzerCheck.ok(PmemTest.runMain(TestEnums.class, PmemTest.flags(file), "crashCheck",
                                                String.valueOf(lastAck(work))));
        return rc == 97 ? 1 : 0;
    }

    static void crashes() throws Exception {
        int crashes = 0;
        String[][] points = {
            {"enum-twins-written", "1"}, {"enum-twins-written", "2"}, {"enum-twins-written", "5"},
            {"enum-registered", "1"}, {"enum-registered", "3"}, {"enum-registered", "6"},
            {"commit-retired", "4"}, {"commit-written-back", "7"},
        };
        for (String[] p : points) {
            String file = PmemTest.heapFile("fault-" + p[0] + "-" + p[1]);
            crashes += crashAndCheck(file, new String[] {"-XX:PmemFaultPoint=" + p[0], "-XX:PmemFaultCount=" + p[1]},
                                     p[1].hashCode());
            crashes += crashAndCheck(file, new String[0], 7);   // goes on from there
        }
        Random rnd = new Random();
        long seed = rnd.nextLong();
        System.out.println("simulator seed " + seed);
        rnd = new Random(seed);
        for (int i = 0; i < 40; i++) {
            String file = PmemTest.heapFile("simulator");   // afresh: every promotion happens again
            crashes += crashAndCheck(file, PmemTest.simulatorCrash(rnd, 1200, i % 2 != 0), rnd.nextLong());
            crashAndCheck(file, new String[0], i);
        }
        System.out.println("crashes survived: " + crashes);
        check(crashes >= 40, "too few crashes: " + crashes);
    }

    // -- versions of Palette and Shade -------------------------------------

    static void storeVersioned() {
        Root r = Pmem.pnew(() -> new Root());
        Pmem.setRoot(r);
        Pmem.txn(() -> {
            r.palette = Palette.GREEN;
            r.shade = EnumSet.of(Shade.DARK);
        });
    }

    static void appended() {
        Root r = (Root) Pmem.root();
        check(r.palette == Palette.GREEN && ((Palette) r.palette).ordinal() == 1, "constant kept");
        Palette added = Palette.valueOf("BLUE");
        Pmem.txn(() -> r.palette = added);   // a constant of this run becomes persistent too
        check(r.palette == added && added.ordinal() == 2, "new constant stored");
    }

    static void appendedAgain() {
        Root r = (Root) Pmem.root();
        check(r.palette == Palette.valueOf("BLUE"), "new constant kept");
    }

    static Path compile(String name, String source) throws Exception {
        Path dir = Files.createTempDirectory(Path.of("."), "enums-" + name);   // jtreg's scratch directory
        Path src = dir.resolve(name.replaceAll("[0-9]", "") + ".java");
        Files.writeString(src, source);
        int rc = ToolProvider.getSystemJavaCompiler().run(null, System.out, System.err, "-d", dir.toString(),
                                                              src.toString());
        check(rc == 0, "javac " + name);
        return dir;
    }

    static String classPath(Path first) {
        return first + java.io.File.pathSeparator + System.getProperty("test.class.path");
    }

    static void versions() throws Exception {
        String file = PmemTest.heapFile("versions");
        PmemTest.runMain(TestEnums.class, PmemTest.flags(file), "storeVersioned").shouldHaveExitValue(0);
        String removed = file + " holds the enum constant Palette.GREEN, which class Palette no longer has "
                         + "(restore the constant, or remove what refers to it with the class of the last run)";
        PmemTest.failsUnchanged(file, removed, "-cp", classPath(compile("Palette1", "enum Palette { RED }")));
        String reordered = file + " holds the enum constant Palette.RED as ordinal 0, which is 1 now: "
                           + "constants of an enum stored in the persistent heap may only be added at the end";
        PmemTest.failsUnchanged(file, reordered, "-cp",
                                classPath(compile("Palette2", "enum Palette { GREEN, RED }")));
        String grown = file + " holds EnumMaps or EnumSets of enum Shade, which had 2 constants then and has 3 now: "
                       + "adding constants to such an enum is not supported yet";
        PmemTest.failsUnchanged(file, grown, "-cp",
                                classPath(compile("Shade3", "enum Shade { LIGHT, DARK, DIM }")));
        // Added at the end: the stored constants keep their ordinals.
        String cp = classPath(compile("Palette4", "enum Palette { RED, GREEN, BLUE }"));
        for (String step : new String[] {"appended", "appendedAgain"}) {
            OutputAnalyzerCheck.ok(PmemTest.run(PmemTest.concat(
                    new String[] {"--add-exports", "java.base/jdk.internal.pmem=ALL-UNNAMED", "-cp", cp},
                    PmemTest.flags(file), new String[] {TestEnums.class.getName(), step})));
        }
    }

    static final class OutputAnalyzerCheck {
        static void ok(jdk.test.lib.process.OutputAnalyzer out) {
            System.out.println(out.getOutput());
            out.shouldHaveExitValue(0);
            out.shouldContain("STEP DONE");
        }
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0) {
            switch (args[0]) {
                case "create" -> create();
                case "restart" -> restart(Integer.parseInt(args[1]));
                case "storeVersioned" -> storeVersioned();
                case "appended" -> appended();
                case "appendedAgain" -> appendedAgain();
                case "crashWork" -> crashWork(Long.parseLong(args[1]));
                case "crashCheck" -> crashCheck(Integer.parseInt(args[1]));
                default -> throw new IllegalArgumentException(args[0]);
            }
            System.out.println("STEP DONE");
            return;
        }
        try {
            for (int t = 0; t < PmemTest.TIERS.length; t++) {
                String file = PmemTest.heapFile("tier" + t);
                OutputAnalyzerCheck.ok(PmemTest.runMain(TestEnums.class,
                        PmemTest.concat(PmemTest.flags(file), PmemTest.TIERS[t]), "create"));
                // Restarted in every tier, then with classes elsewhere (no CDS).
                String[][] after = {{"-Xint"}, {"-XX:TieredStopAtLevel=1"}, {"-XX:-TieredCompilation"}, {"-Xshare:off"}};
                for (int i = 0; i < after.length; i++) {
                    OutputAnalyzerCheck.ok(PmemTest.runMain(TestEnums.class,
                            PmemTest.concat(PmemTest.flags(file), after[i]), "restart", String.valueOf(i)));
                }
            }
            versions();
            crashes();
        } finally {
            PmemTest.cleanup();
        }
    }
}
