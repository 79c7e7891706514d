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

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * End-to-end tests of examples/docstore, run by `make test`: each command
 * runs docstore.Main in a child JVM on build/jdk with the persistent heap.
 *
 *   commands  every command through the shell, answers checked: find by
 *             scan and by index agree, update moves index entries, delete,
 *             dotted paths, arrays (an entry per element), 2 and 2.0 alike,
 *             errors as one line and nothing changed
 *   restart   one command per JVM (interpreter, C1, C2): documents and
 *             index lookups read back after each restart
 *   rollback  a batch insert whose last document is bad JSON: nothing of
 *             the batch remains (ids, documents, indexes)
 *   crash     a shell child inserting, updating and deleting, killed with
 *             kill -9 at random points, 10 rounds: every acknowledged change
 *             is there, nothing else, and verify finds the indexes equal
 *             to the documents; then a 20,000-document import in one
 *             transaction killed midway: all of it or nothing
 *
 * Usage: java DocStoreTest JAVA CLASSES HEAPDIR [test...]
 * Prints "PASS name" or "FAIL name: why" per test and exits 1 on any failure.
 */
public class DocStoreTest {
    static String javaCmd, classes, heapDir;
    static int failures;

    public static void main(String[] args) throws Exception {
        javaCmd = args[0];
        classes = args[1];
        heapDir = args[2];
        List<String> only = List.of(args).subList(3, args.length);
        for (String t : new String[] {"commands", "restart", "rollback", "crash"}) {
            if (!only.isEmpty() && !only.contains(t)) continue;
            long t0 = System.nanoTime();
            Path heap = Path.of(heapDir, "docstore-test-" + t + "-" + ProcessHandle.current().pid() + ".heap");
            try {
                Files.deleteIfExists(heap);
                switch (t) {
                    case "commands" -> commands(heap);
                    case "restart" -> restart(heap);
                    case "rollback" -> rollback(heap);
                    case "crash" -> crash(heap);
                    default -> throw new IllegalArgumentException(t);
                }
                System.out.printf("PASS %s (%.1f s)%n", t, (System.nanoTime() - t0) / 1e9);
            } catch (Throwable e) {
                failures++;
                System.out.println("FAIL " + t + ": " + e);
                e.printStackTrace(System.out);
            } finally {
                Files.deleteIfExists(heap);
            }
        }
        System.exit(failures == 0 ? 0 : 1);
    }

    static List<String> command(Path heap, String... jvmAndArgs) {
        List<String> cmd = new ArrayList<>(List.of(javaCmd, "--add-exports", "java.base/jdk.internal.pmem=ALL-UNNAMED",
                "-XX:+UsePersistentHeap", "-XX:PmemFile=" + heap, "-XX:PmemSize=128m", "-Xmx256m"));
        int i = 0;
        while (i < jvmAndArgs.length && jvmAndArgs[i].startsWith("-X")) cmd.add(jvmAndArgs[i++]);
        cmd.addAll(List.of("-cp", classes, "docstore.Main"));
        for (; i < jvmAndArgs.length; i++) cmd.add(jvmAndArgs[i]);
        return cmd;
    }

    static Process start(Path heap, String... jvmAndArgs) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command(heap, jvmAndArgs)).redirectErrorStream(true);
        pb.environment().put("PMEM_IS_PMEM_FORCE", "1");
        return pb.start();
    }

    /** Runs one docstore command; returns its output (stdout and stderr), checks the exit status. */
    static String run(Path heap, int wantStatus, String... jvmAndArgs) throws Exception {
        Process p = start(heap, jvmAndArgs);
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("docstore " + String.join(" ", jvmAndArgs) + " hung");
        }
        check(p.exitValue() == wantStatus, "exit " + p.exitValue() + " (want " + wantStatus + ") from docstore " +
              String.join(" ", jvmAndArgs) + ":\n" + out);
        return out;
    }

    /** Feeds lines to a shell; returns its answers, one per command. */
    static List<String> shell(Path heap, String... lines) throws Exception {
        Process p = start(heap, "shell");
        try (Writer w = new OutputStreamWriter(p.getOutputStream(), StandardCharsets.UTF_8)) {
            for (String l : lines) w.write(l + "\n");
        }
        List<String> out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        check(p.waitFor(120, TimeUnit.SECONDS) && p.exitValue() == 0, "shell failed: " + out);
        return out;
    }

    static void check(boolean ok, String what) {
        if (!ok) throw new AssertionError(what);
    }

    static void expect(String got, String want, String what) {
        check(got.equals(want), what + ": got <" + got + ">, want <" + want + ">");
    }

    // --- commands -----------------------------------------------------------

    static void commands(Path heap) throws Exception {
        List<String> a = shell(heap,
            "insert people {\"name\":\"alice\",\"age\":31,\"city\":\"Oslo\",\"tags\":[\"x\",\"y\"],\"addr\":{\"zip\":\"0150\"}}",
            "insert people {\"name\":\"bob\",\"age\":27.0,\"city\":\"Rome\",\"tags\":[\"y\"]}",
            "insert people {\"name\":\"carol\",\"age\":31,\"city\":\"Oslo\",\"note\":\"q\\\"uote\\n\"}",
            "find people city Oslo",                 // scan
            "index people city",
            "find people city Oslo",                 // index
            "find people age 27",                    // 27 finds 27.0 (scan)
            "index people age",
            "find people age 27.0",                  // and by index
            "find people tags y",                    // an element of an array
            "find people addr.zip \"0150\"",         // a dotted path
            "update people 1 {\"city\":\"Rome\",\"age\":null}",
            "find people city Rome",
            "find people city Oslo",
            "find people age 31",
            "get people 1",
            "get people 3",
            "delete people 2",
            "find people city Rome",
            "count people",
            "insert people {\"name\":",               // bad JSON
            "update people 9 {}",                     // no such document
            "get people x",                           // not an id
            "frobnicate",
            "count people",
            "index orders item",
            "insert orders {\"item\":\"pen\",\"qty\":3}",
            "list",
            "verify",
            "unindex people age",
            "find people age 31",                     // a scan again
            "dump people",
            "drop orders",
            "list");
        String[] want = {
            "1", "2", "3",
            "[1, 3]", "OK", "[1, 3]", "[2]", "OK", "[2]", "[1, 2]", "[1]",
            "OK", "[1, 2]", "[3]", "[3]",
            "{\"name\":\"alice\",\"city\":\"Rome\",\"tags\":[\"x\",\"y\"],\"addr\":{\"zip\":\"0150\"}}",
            "{\"name\":\"carol\",\"age\":31,\"city\":\"Oslo\",\"note\":\"q\\\"uote\\n\"}",
            "OK", "[1]", "2",
            "ERR bad JSON at offset 8: unexpected end",
            "ERR no document 9 in people",
            "ERR not a document id: x",
            null,   // unknown command: checked below
            "2",
            "OK", "1",   // an index makes the collection; ids are per collection
        };
        for (int i = 0; i < want.length; i++) {
            if (want[i] != null) expect(a.get(i), want[i], "answer " + i);
        }
        check(a.get(23).startsWith("ERR unknown command 'frobnicate'"), "unknown command: " + a.get(23));
        expect(a.get(27), "orders 1 [item]", "list 1");
        expect(a.get(28), "people 2 [age, city]", "list 2");
        expect(a.get(29), "OK 2 collection(s)", "verify");
        expect(a.get(30), "OK", "unindex");
        expect(a.get(31), "[3]", "scan after unindex");
        expect(a.get(32), "1 {\"name\":\"alice\",\"city\":\"Rome\",\"tags\":[\"x\",\"y\"],\"addr\":{\"zip\":\"0150\"}}", "dump 1");
        expect(a.get(33), "3 {\"name\":\"carol\",\"age\":31,\"city\":\"Oslo\",\"note\":\"q\\\"uote\\n\"}", "dump 2");
        expect(a.get(34), "OK", "drop");
        expect(a.get(35), "people 2 [city]", "list 3");
        check(a.size() == 36, "answers: " + a.size() + " " + a);
        // A one-shot error: one line on stderr, status 1, nothing changed.
        String err = run(heap, 1, "insert", "people", "[1,2]");
        expect(err, "docstore: a document must be a JSON object, not [1,2]", "one-shot error");
        expect(run(heap, 0, "count", "people"), "2", "count after the error");
    }

    // --- restart ------------------------------------------------------------

    static final String[][] TIERS = {{"-Xint"}, {"-XX:TieredStopAtLevel=1"}, {"-XX:-TieredCompilation"}};

    static void restart(Path heap) throws Exception {
        run(heap, 0, "index", "items", "color");
        Map<Long, String> docs = new HashMap<>();
        Random r = new Random(7);
        String[] colors = {"red", "green", "blue"};
        for (int i = 0; i < 6; i++) {
            String[] tier = TIERS[i % TIERS.length];
            String doc = "{\"n\":" + i + ",\"color\":\"" + colors[r.nextInt(3)] + "\",\"w\":" + (i * 1.5) + "}";
            String[] args = concat(tier, "insert", "items", doc);
            long id = Long.parseLong(run(heap, 0, args));
            docs.put(id, doc);
            // Every document so far reads back, and each color's index entry
            // equals a scan, in a new JVM of another tier.
            String[] t2 = TIERS[(i + 1) % TIERS.length];
            for (Map.Entry<Long, String> e : docs.entrySet()) {
                expect(run(heap, 0, concat(t2, "get", "items", "" + e.getKey())), e.getValue(), "doc " + e.getKey());
            }
            for (String c : colors) {
                List<Long> want = new ArrayList<>();
                for (Map.Entry<Long, String> e : docs.entrySet()) {
                    if (e.getValue().contains("\"" + c + "\"")) want.add(e.getKey());
                }
                want.sort(null);
                expect(run(heap, 0, concat(t2, "find", "items", "color", c)), want.toString(), "index " + c);
            }
        }
        expect(run(heap, 0, "verify"), "OK 1 collection(s)", "verify");
    }

    static String[] concat(String[] a, String... b) {
        String[] r = new String[a.length + b.length];
        System.arraycopy(a, 0, r, 0, a.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }

    // --- rollback -----------------------------------------------------------

    static void rollback(Path heap) throws Exception {
        run(heap, 0, "index", "b", "k");
        run(heap, 0, "insert", "b", "{\"k\":\"first\"}");
        Path f = Path.of(heapDir, "docstore-test-batch-" + ProcessHandle.current().pid() + ".jsonl");
        try {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < 500; i++) sb.append("{\"k\":\"v").append(i % 7).append("\",\"i\":").append(i).append("}\n");
            sb.append("{\"k\": oops}\n");
            Files.writeString(f, sb);
            String out = run(heap, 1, "import", "b", f.toString(), "1000");
            check(out.startsWith("docstore: bad JSON at offset 6"), "import error: " + out);
            expect(run(heap, 0, "count", "b"), "1", "count after the undone batch");
            expect(run(heap, 0, "find", "b", "k", "v3"), "[]", "index after the undone batch");
            expect(run(heap, 0, "verify"), "OK 1 collection(s)", "verify");
            // The ids the batch took are given again: nextId was undone too.
            expect(run(heap, 0, "insert", "b", "{\"k\":\"second\"}"), "2", "next id");
        } finally {
            Files.deleteIfExists(f);
        }
    }

    // --- crash --------------------------------------------------------------

    static void crash(Path heap) throws Exception {
        run(heap, 0, "index", "c", "g");
        Map<Long, String> acked = new HashMap<>();   // id -> its document, as acknowledged
        Random r = new Random(11);
        int rounds = 10;
        for (int round = 0; round < rounds; round++) {
            Process p = start(heap, "shell");
            BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            Writer w = new OutputStreamWriter(p.getOutputStream(), StandardCharsets.UTF_8);
            long killAt = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(600 + r.nextInt(900));
            String inFlight = null;   // what the command the kill may interrupt would do
            long inFlightId = -1;
            int ops = 0;
            try {
                while (System.nanoTime() < killAt) {
                    int kind = r.nextInt(10);
                    List<Long> ids = new ArrayList<>(acked.keySet());
                    String line;
                    if (kind < 6 || ids.size() < 5) {
                        String doc = "{\"g\":\"g" + r.nextInt(5) + "\",\"r\":" + round + ",\"x\":\"" + "p".repeat(r.nextInt(40)) + "\"}";
                        line = "insert c " + doc;
                        inFlight = doc;
                        inFlightId = 0;
                    } else if (kind < 8) {
                        long id = ids.get(r.nextInt(ids.size()));
                        line = "update c " + id + " {\"g\":\"g" + r.nextInt(5) + "\"}";
                        inFlight = line.substring(line.indexOf('{'));
                        inFlightId = id;
                    } else {
                        long id = ids.get(r.nextInt(ids.size()));
                        line = "delete c " + id;
                        inFlight = null;
                        inFlightId = id;
                    }
                    w.write(line + "\n");
                    w.flush();
                    String ans = in.readLine();
                    if (ans == null) throw new AssertionError("shell ended: " + line);
                    if (line.startsWith("insert")) {
                        acked.put(Long.parseLong(ans), inFlight);
                    } else if (line.startsWith("update")) {
                        expect(ans, "OK", line);
                        String g = inFlight.substring(inFlight.indexOf("\"g\":\"") + 5, inFlight.indexOf("\"}"));
                        acked.put(inFlightId, acked.get(inFlightId).replaceFirst("\"g\":\"g\\d\"", "\"g\":\"" + g + "\""));
                    } else {
                        expect(ans, "OK", line);
                        acked.remove(inFlightId);
                    }
                    inFlightId = -2;   // nothing in flight between commands
                    ops++;
                }
                // The kill lands while the next command runs, or between two.
                w.write("insert c {\"g\":\"g0\",\"r\":" + round + ",\"x\":\"last\"}\n");
                w.flush();
            } catch (IOException e) {
                // the child died early: reported by the checks below
            }
            p.destroyForcibly();
            p.waitFor();
            // After the restart: the acknowledged documents exactly, plus at
            // most the last unacknowledged insert.
            List<String> dump = List.of(run(heap, 0, "dump", "c").split("\n"));
            Map<Long, String> got = new HashMap<>();
            for (String l : dump) {
                if (l.isEmpty()) continue;
                int sp = l.indexOf(' ');
                got.put(Long.parseLong(l.substring(0, sp)), l.substring(sp + 1));
            }
            for (Map.Entry<Long, String> e : acked.entrySet()) {
                expect(String.valueOf(got.get(e.getKey())), e.getValue(), "round " + round + ": document " + e.getKey());
            }
            for (Map.Entry<Long, String> e : got.entrySet()) {
                if (!acked.containsKey(e.getKey())) {
                    check(e.getValue().contains("\"x\":\"last\"") && e.getValue().contains("\"r\":" + round),
                          "round " + round + ": an unacknowledged document " + e);
                    acked.put(e.getKey(), e.getValue());   // it committed before the kill
                }
            }
            expect(run(heap, 0, "verify"), "OK 1 collection(s)", "round " + round + ": verify");
            check(ops > 0, "round " + round + ": no command answered");
        }
        // A large import, one transaction, killed midway: all or nothing.
        // An uninterrupted import into another collection times it first.
        Path f = Path.of(heapDir, "docstore-test-big-" + ProcessHandle.current().pid() + ".jsonl");
        try {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < 20_000; i++) sb.append("{\"g\":\"big\",\"i\":").append(i).append("}\n");
            Files.writeString(f, sb);
            long t0 = System.nanoTime();
            run(heap, 0, "import", "timing", f.toString(), "20000");
            long ms = (System.nanoTime() - t0) / 1_000_000;
            int[] outcome = new int[2];
            for (int k = 0; k < 4; k++) {
                int before = Integer.parseInt(run(heap, 0, "count", "c"));
                Process p = start(heap, "import", "c", f.toString(), "20000");
                Thread.sleep(ms * (30 + r.nextInt(60)) / 100);
                p.destroyForcibly();
                p.waitFor();
                int after = Integer.parseInt(run(heap, 0, "count", "c"));
                check(after == before || after == before + 20_000, "import killed: " + before + " -> " + after);
                outcome[after == before ? 0 : 1]++;
                String big = run(heap, 0, "find", "c", "g", "big");
                int found = big.equals("[]") ? 0 : big.split(",").length;
                check(found == 20_000 * outcome[1], "index after the import: " + found + " documents");
                expect(run(heap, 0, "verify"), "OK 2 collection(s)", "verify after the import");
            }
            System.out.println("  imports of 20,000 documents (" + ms + " ms) killed midway: " + outcome[0]
                               + " left nothing, " + outcome[1] + " all");
        } finally {
            Files.deleteIfExists(f);
        }
    }
}
