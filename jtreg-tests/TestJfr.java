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
 * @summary JFR events of the persistent heap: jdk.PmemTransaction (one per
 *          outermost transaction, committed or rolled back, with its
 *          nesting depth, logged and allocated bytes, in every tier, the
 *          compiled inline commit included), jdk.PmemCollection,
 *          jdk.PmemAttach and jdk.PmemRecovery (after a crash at a fault
 *          point with a transaction open); and none of them without the flag.
 * @library /test/lib /pmem/lib
 * @modules java.base/jdk.internal.pmem jdk.jfr
 * @run driver TestJfr
 */

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import jdk.internal.pmem.Pmem;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;

public class TestJfr {
    static final class Account {
        long cents;
        Account next;
    }

    static final int WARM = 20_000, LOOP = 2_000;

    public static void main(String[] args) throws Exception {
        if (args.length > 0) {
            child(args[0]);
            return;
        }
        for (String[] tier : PmemTest.TIERS) {
            String file = PmemTest.heapFile("jfr");
            String[] flags = PmemTest.concat(PmemTest.flags(file), tier,
                    new String[] {"-XX:+UnlockDiagnosticVMOptions", "-XX:+PmemAlwaysCollect"});
            PmemTest.ok(PmemTest.runMain(TestJfr.class, flags, "txns"));
            // The process ends at the transaction's first store, as power loss would end it.
            PmemTest.runMain(TestJfr.class, PmemTest.concat(flags, new String[] {"-XX:PmemFaultPoint=txn-stored"}),
                             "crash").shouldHaveExitValue(97);
            PmemTest.ok(PmemTest.runMain(TestJfr.class, flags, "recovered"));
            PmemTest.cleanup();
        }
        // Without the flag the events exist but none is written.
        PmemTest.ok(PmemTest.runMain(TestJfr.class, new String[0], "none"));
    }

    static Recording start() {
        Recording r = new Recording();
        r.enable("jdk.PmemTransaction").withThreshold(Duration.ZERO);
        r.enable("jdk.PmemCollection").withThreshold(Duration.ZERO);
        r.enable("jdk.PmemAttach");
        r.enable("jdk.PmemRecovery");
        r.start();
        return r;
    }

    static List<RecordedEvent> stop(Recording r, String name) throws Exception {
        r.stop();
        Path p = Path.of(name + "-" + ProcessHandle.current().pid() + ".jfr");
        r.dump(p);
        r.close();
        List<RecordedEvent> all = RecordingFile.readAllEvents(p);
        List<RecordedEvent> out = new ArrayList<>();
        for (RecordedEvent e : all) {
            if (e.getEventType().getName().startsWith("jdk.Pmem")) out.add(e);
        }
        return out;
    }

    static List<RecordedEvent> named(List<RecordedEvent> events, String name) {
        List<RecordedEvent> out = new ArrayList<>();
        for (RecordedEvent e : events) {
            if (e.getEventType().getName().equals(name)) out.add(e);
        }
        return out;
    }

    static void child(String what) throws Exception {
        switch (what) {
            case "txns" -> {
                Account a = Pmem.pnew(Account.class);
                Pmem.put("a", a);
                // Warm up with the event off, so the loop below runs compiled code.
                for (int i = 0; i < WARM; i++) bump(a);
                for (int i = 0; i < WARM; i++) nothing(a);
                Recording r = start();
                for (int i = 0; i < LOOP; i++) bump(a);      // one logged store each
                for (int i = 0; i < LOOP; i++) nothing(a);   // read only: compiled code commits these inline
                Pmem.txn(() -> {                               // nested three deep, allocating
                    Pmem.txn(() -> Pmem.txn(() -> {
                        Account b = new Account();
                        b.cents = 7;
                        a.next = b;
                    }));
                });
                try {
                    Pmem.txn(() -> {
                        a.cents = -1;
                        throw new IllegalStateException("rolled back");
                    });
                } catch (IllegalStateException expected) {
                    // the transaction is undone
                }
                PmemTest.check(a.cents == WARM + LOOP, "cents " + a.cents);
                Pmem.txn(() -> { a.next = null; });   // the new Account is garbage now
                System.gc();
                List<RecordedEvent> ev = stop(r, "txns");
                List<RecordedEvent> txns = named(ev, "jdk.PmemTransaction");
                int committed = 0, rolledBack = 0, logged = 0, deep = 0, allocating = 0;
                for (RecordedEvent e : txns) {
                    if (e.getBoolean("committed")) committed++; else rolledBack++;
                    if (e.getLong("bytesLogged") >= 4 && e.getLong("logEntries") >= 1) logged++;   // a narrow reference: 4 bytes
                    if (e.getInt("nestingDepth") == 3) {
                        deep++;
                        if (e.getLong("bytesAllocated") >= 16 && e.getBoolean("committed")) allocating++;
                    }
                    PmemTest.check(e.getInt("nestingDepth") >= 1, "depth " + e);
                }
                System.out.println("transactions " + txns.size() + ": committed " + committed + ", rolled back "
                        + rolledBack + ", with log entries " + logged + ", three deep " + deep + " (allocating " 
                        + allocating + ")");
                PmemTest.check(committed == 2 * LOOP + 2, "committed: " + committed);   // and the nested one, the unlink
                PmemTest.check(rolledBack == 1, "rolled back: " + rolledBack);
                PmemTest.check(logged >= LOOP + 2, "logged: " + logged);   // the bumps, the nested one, the rollback, the unlink
                PmemTest.check(deep == 1 && allocating == 1, "deep " + deep + ", allocating " + allocating);
                List<RecordedEvent> gcs = named(ev, "jdk.PmemCollection");
                PmemTest.check(!gcs.isEmpty(), "no jdk.PmemCollection");
                RecordedEvent gc = gcs.get(gcs.size() - 1);
                System.out.println(gc);
                PmemTest.check(gc.getLong("liveObjects") >= 1 && gc.getLong("liveBytes") > 0
                        && gc.getString("cause") != null && gc.getLong("freedBytes") >= 16, "collection " + gc);
                RecordedEvent attach = named(ev, "jdk.PmemAttach").get(0);
                System.out.println(attach);
                PmemTest.check(attach.getBoolean("created") && !attach.getBoolean("relocated")
                        && attach.getString("file").equals(Pmem.fileName()), "attach " + attach);
                PmemTest.check(named(ev, "jdk.PmemRecovery").isEmpty(), "recovery on a new file");
            }
            case "crash" -> {
                Account a = Pmem.get("a", Account.class);
                Pmem.txn(() -> {
                    a.cents = 5;
                    Runtime.getRuntime().halt(97);
                });
            }
            case "recovered" -> {
                Recording r = start();
                Account a = Pmem.get("a", Account.class);
                PmemTest.check(a.cents == WARM + LOOP, "not rolled back: " + a.cents);
                List<RecordedEvent> ev = stop(r, "recovered");
                RecordedEvent rec = named(ev, "jdk.PmemRecovery").get(0);
                System.out.println(rec);
                PmemTest.check(rec.getBoolean("lastRunCrashed") && rec.getLong("transactionsRolledBack") == 1
                        && rec.getLong("storesUndone") >= 1, "recovery " + rec);
                RecordedEvent attach = named(ev, "jdk.PmemAttach").get(0);
                PmemTest.check(!attach.getBoolean("created") && !attach.getBoolean("walked")
                        && attach.getLong("used") > 0, "attach " + attach);
            }
            case "none" -> {
                Recording r = start();
                System.gc();
                PmemTest.check(stop(r, "none").isEmpty(), "events without the flag");
            }
            default -> throw new IllegalArgumentException(what);
        }
    }

    static void bump(Account a) {
        Pmem.txn(() -> { a.cents++; });
    }

    static long sink;

    static void nothing(Account a) {
        Pmem.txn(() -> { sink = a.cents; });
    }
}
