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
 * @summary The identity hash of a persistent object survives a power loss:
 *          under the persistence-domain simulator a run hashes objects
 *          (interpreted and compiled) and halts without any other
 *          write-back; the next run gets the same System.identityHashCode.
 * @library /test/lib /pmem/lib
 * @modules java.base/jdk.internal.pmem
 * @run driver TestIdentityHash
 */

import jdk.internal.pmem.Pmem;
import jdk.test.lib.process.OutputAnalyzer;

public class TestIdentityHash {
    static final class Box {
        long value;
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0) {
            child(args);
            return;
        }
        for (String[] tier : new String[][] {{"-Xint"}, {"-Xcomp", "-XX:-TieredCompilation"}}) {
            String file = PmemTest.heapFile("hash");
            PmemTest.runMain(TestIdentityHash.class, PmemTest.flags(file), "create").shouldHaveExitValue(0);
            OutputAnalyzer run = PmemTest.runMain(TestIdentityHash.class, PmemTest.concat(tier, PmemTest.flags(file),
                    new String[] {"-XX:+UnlockDiagnosticVMOptions", "-XX:+PmemSimulator"}), "hash");
            System.out.println(run.getOutput());
            run.shouldHaveExitValue(5);   // halted: what was not written back is gone
            String hashes = run.firstMatch("HASHES (.*)", 1);
            OutputAnalyzer check = PmemTest.runMain(TestIdentityHash.class, PmemTest.flags(file), "check", hashes);
            System.out.println(check.getOutput());
            check.shouldHaveExitValue(0);
            check.shouldContain("SAME HASHES");
            PmemTest.cleanup();
        }
    }

    static void child(String[] args) {
        switch (args[0]) {
            case "create" -> Pmem.txn(() -> {
                Box[] boxes = Pmem.pmake(Box[].class, 8);
                for (int i = 0; i < boxes.length; i++) boxes[i] = Pmem.pnew(Box.class);
                Pmem.setRoot(boxes);
            });
            case "hash" -> {
                Box[] boxes = (Box[]) Pmem.root();
                StringBuilder sb = new StringBuilder();
                for (Box b : boxes) sb.append(System.identityHashCode(b)).append(',');
                sb.append(System.identityHashCode(boxes));
                System.out.println("HASHES " + sb);
                System.out.flush();
                Runtime.getRuntime().halt(5);
            }
            default -> {
                // HotSpot's hash sequence is the same in every run: draw a
                // few first, so a hash that was lost cannot come back equal.
                for (int i = 0; i < 5; i++) System.identityHashCode(new Object());
                Box[] boxes = (Box[]) Pmem.root();
                StringBuilder sb = new StringBuilder();
                for (Box b : boxes) sb.append(System.identityHashCode(b)).append(',');
                sb.append(System.identityHashCode(boxes));
                if (!sb.toString().equals(args[1])) {
                    throw new RuntimeException("identity hashes changed: " + args[1] + " -> " + sb);
                }
                System.out.println("SAME HASHES");
            }
        }
    }
}
