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

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Arrays;
import java.util.List;

import jdk.test.lib.process.OutputAnalyzer;
import jdk.test.lib.process.ProcessTools;

/**
 * Shared helpers of the pmem-jdk jtreg tests: child JVMs that run without
 * the jtreg VM options (each test sets the pmem flags it means to test),
 * and heap files in the emulated-pmem directory.
 */
public final class PmemTest {
    private PmemTest() {}

    private static final List<String> created = new ArrayList<>();

    /**
     * A heap file name for this test, in java.io.tmpdir (/dev/shm under make
     * test: emulated pmem). It is deleted by {@link #cleanup()}.
     */
    public static synchronized String heapFile(String name) {
        String path = new File(System.getProperty("java.io.tmpdir"),
                               "pmem-test-" + ProcessHandle.current().pid() + "-" + name + ".heap").getPath();
        // jtreg runs drivers in one agent JVM, so an earlier test that
        // failed before its cleanup() may have left a file of this name.
        try {
            Files.deleteIfExists(Path.of(path));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        created.add(path);
        return path;
    }

    /**
     * Deletes every file heapFile() named, and the temporaries (NAME.new-PID,
     * NAME.convert-PID) that a crash in the middle of creating or converting
     * one leaves behind.
     */
    public static synchronized void cleanup() throws Exception {
        for (String path : created) {
            Path p = Path.of(path);
            Files.deleteIfExists(p);
            for (String temp : new String[] {".new-*", ".convert-*"}) {
                try (var temps = Files.newDirectoryStream(p.getParent(), p.getFileName() + temp)) {
                    for (Path t : temps) {
                        Files.deleteIfExists(t);
                    }
                }
            }
        }
        created.clear();
    }

    /** The flags of a JVM with a small persistent heap in file, verified at attach. */
    public static String[] flags(String file) {
        return new String[] {"-XX:+UsePersistentHeap", "-XX:PmemFile=" + file, "-XX:PmemSize=64m",
                             "-XX:+VerifyPersistentHeap"};
    }

    /** Size, mtime and SHA-256 of a file: what must not change. */
    public static String fingerprint(String file) throws Exception {
        Path p = Path.of(file);
        if (!Files.exists(p)) {
            return "absent";
        }
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        md.update(Files.readAllBytes(p));
        return Files.size(p) + " " + Files.getLastModifiedTime(p) + " " + HexFormat.of().formatHex(md.digest());
    }

    /**
     * Starts a JVM on file with extra flags; it must fail with message on a
     * line of its own, and leave the file exactly as it was.
     */
    public static OutputAnalyzer failsUnchanged(String file, String message, String... extra) throws Exception {
        String before = fingerprint(file);
        OutputAnalyzer out = failsWith(message, concat(flags(file), extra, new String[] {"-version"}));
        String after = fingerprint(file);
        if (!before.equals(after)) {
            throw new RuntimeException(file + " changed: " + before + " -> " + after);
        }
        return out;
    }

    /** Fails the test with what unless ok. */
    public static void check(boolean ok, String what) {
        if (!ok) throw new RuntimeException(what);
    }

    /** A child that exited normally and printed "ALL CHECKS PASSED"; else its output is printed. */
    public static OutputAnalyzer passed(OutputAnalyzer out) {
        if (out.getExitValue() != 0 || !out.getOutput().contains("ALL CHECKS PASSED")) {
            System.out.println(out.getOutput());
            throw new RuntimeException("child failed with exit " + out.getExitValue());
        }
        return out;
    }

    /** A child that exited normally and printed no exception. */
    public static OutputAnalyzer ok(OutputAnalyzer out) {
        out.shouldHaveExitValue(0);
        out.shouldNotContain("Exception");
        return out;
    }

    public static String[] concat(String[]... parts) {
        List<String> all = new ArrayList<>();
        for (String[] p : parts) {
            all.addAll(Arrays.asList(p));
        }
        return all.toArray(new String[0]);
    }

    /** Runs build/jdk's java with exactly these arguments. */
    public static OutputAnalyzer run(String... args) throws Exception {
        ProcessBuilder pb = ProcessTools.createLimitedTestJavaProcessBuilder(args);
        OutputAnalyzer out = new OutputAnalyzer(pb.start());
        System.out.println("[child] " + String.join(" ", args) + " -> exit " + out.getExitValue());
        return out;
    }

    /**
     * Runs build/jdk's java with these arguments and PMEM_IS_PMEM_FORCE=1:
     * libpmem then treats the file as persistent memory (as the benchmarks
     * do), and compiled code writes back with cache-line instructions.
     */
    public static OutputAnalyzer runForcedPmem(String... args) throws Exception {
        ProcessBuilder pb = ProcessTools.createLimitedTestJavaProcessBuilder(args);
        pb.environment().put("PMEM_IS_PMEM_FORCE", "1");
        OutputAnalyzer out = new OutputAnalyzer(pb.start());
        System.out.println("[child, PMEM_IS_PMEM_FORCE=1] " + String.join(" ", args) + " -> exit " + out.getExitValue());
        return out;
    }

    /** Runs main of cls in a child JVM with jvmArgs, jdk.internal.pmem exported. */
    public static OutputAnalyzer runMain(Class<?> cls, String[] jvmArgs, String... mainArgs) throws Exception {
        return run(concat(new String[] {"--add-exports", "java.base/jdk.internal.pmem=ALL-UNNAMED",
                                         "-cp", System.getProperty("test.class.path")},
                          jvmArgs, new String[] {cls.getName()}, mainArgs));
    }

    /** The flags of a run that crashes (exit 97) the count-th time it passes the fault point. */
    public static String[] faultPoint(String point, int count) {
        return new String[] {"-XX:PmemFaultPoint=" + point, "-XX:PmemFaultCount=" + count};
    }

    /**
     * The flags of a run under the persistence-domain simulator that
     * crashes after 1 to maxWritebacks write-backs, evicting unflushed
     * lines (20,000 per million) or not, with a random seed.
     */
    public static String[] simulatorCrash(java.util.Random rnd, int maxWritebacks, boolean evict) {
        return simulatorCrash(rnd, maxWritebacks, evict ? 20000 : 0);
    }

    /** The same with evictPPM evictions per million stores. */
    public static String[] simulatorCrash(java.util.Random rnd, int maxWritebacks, int evictPPM) {
        return new String[] {"-XX:+PmemSimulator", "-XX:PmemCrashAfterWritebacks=" + (1 + rnd.nextInt(maxWritebacks)),
                             "-XX:PmemSimulatorEvictPPM=" + evictPPM,
                             "-XX:PmemSimulatorSeed=" + (1 + rnd.nextInt(1 << 30))};
    }

    /** The execution tiers a workload is run in: interpreter, C1, C2, tiered. */
    public static final String[][] TIERS = {
        {"-Xint"},
        {"-XX:TieredStopAtLevel=1"},
        {"-XX:-TieredCompilation"},
        {},
    };

    /**
     * Starts main of cls with jvmArgs and kills it (SIGKILL, as a crash)
     * after millis. Returns 1 if it was killed, 0 if it had ended (with
     * exit 0; another exit fails).
     */
    public static int runKilled(Class<?> cls, String[] jvmArgs, int millis, String... mainArgs) throws Exception {
        String[] cmd = concat(new String[] {"--add-exports", "java.base/jdk.internal.pmem=ALL-UNNAMED",
                                            "-cp", System.getProperty("test.class.path")},
                              jvmArgs, new String[] {cls.getName()}, mainArgs);
        Process p = ProcessTools.createLimitedTestJavaProcessBuilder(cmd).inheritIO().start();
        boolean ended = p.waitFor(millis, java.util.concurrent.TimeUnit.MILLISECONDS);
        p.destroyForcibly();
        p.waitFor();
        System.out.println("[child] " + String.join(" ", mainArgs) + (ended ? ": ended, exit " + p.exitValue()
                                                                          : ": killed after " + millis + " ms"));
        if (ended && p.exitValue() != 0) throw new RuntimeException("child failed with exit " + p.exitValue());
        return ended ? 0 : 1;
    }

    /** A step of a child JVM's main. */
    public interface Step {
        void run() throws Exception;
    }

    /**
     * The child side of runThenVerify: for args "run" or "verify" runs that
     * step and prints ALL CHECKS PASSED, returning true; returns false when
     * args is empty (main is the test driver).
     */
    public static boolean child(String[] args, Step run, Step verify) throws Exception {
        if (args.length == 0) {
            return false;
        }
        if (args[0].equals("run")) {
            run.run();
        } else {
            verify.run();
        }
        System.out.println("ALL CHECKS PASSED");
        return true;
    }

    /**
     * Runs main of cls with "run" (flags of file plus runArgs), then a second
     * JVM with "verify" on the same file; both must exit 0 and print ALL
     * CHECKS PASSED. Returns the run's output.
     */
    public static OutputAnalyzer runThenVerify(Class<?> cls, String file, String... runArgs) throws Exception {
        return verifyAfter(cls, file, runMain(cls, concat(flags(file), runArgs), "run"));
    }

    // The second half of runThenVerify: checks the run, then verifies in a new JVM.
    private static OutputAnalyzer verifyAfter(Class<?> cls, String file, OutputAnalyzer run) throws Exception {
        System.out.println(run.getOutput());
        run.shouldHaveExitValue(0);
        run.shouldContain("ALL CHECKS PASSED");
        OutputAnalyzer check = runMain(cls, flags(file), "verify");
        System.out.println(check.getOutput());
        check.shouldHaveExitValue(0);
        check.shouldContain("ALL CHECKS PASSED");
        return run;
    }

    /**
     * As runThenVerify, but the run has PMEM_IS_PMEM_FORCE=1: compiled code
     * then writes back with cache-line instructions of its own.
     */
    public static OutputAnalyzer runForcedThenVerify(Class<?> cls, String file, String... runArgs) throws Exception {
        return verifyAfter(cls, file, runForcedPmem(concat(
                new String[] {"--add-exports", "java.base/jdk.internal.pmem=ALL-UNNAMED",
                              "-cp", System.getProperty("test.class.path")},
                flags(file), runArgs, new String[] {cls.getName(), "run"})));
    }

    /**
     * runThenVerify with the run logging -Xlog:gc+pmem=trace to a file;
     * returns how many lines of that log contain marker.
     */
    public static long runThenVerifyCounting(Class<?> cls, String file, String marker, String... runArgs)
            throws Exception {
        String log = file + ".log";
        runThenVerify(cls, file, concat(runArgs, new String[] {"-Xlog:gc+pmem=trace:file=" + log}));
        long n;
        try (var lines = Files.lines(Path.of(log))) {
            n = lines.filter(l -> l.contains(marker)).count();
        }
        Files.delete(Path.of(log));
        System.out.println(String.join(" ", runArgs) + ": " + n + " log lines with \"" + marker + "\"");
        return n;
    }

    /** Runs a child that must fail at startup with exactly this one-line message. */
    public static OutputAnalyzer failsWith(String message, String... args) throws Exception {
        OutputAnalyzer out = run(args);
        out.shouldNotHaveExitValue(0);
        out.shouldContain(message);
        // The message is a line of its own, not buried in a stack trace.
        boolean ownLine = out.asLines().stream().anyMatch(l -> l.trim().equals(message));
        if (!ownLine) {
            throw new RuntimeException("message is not on a line of its own: " + message);
        }
        return out;
    }
}
