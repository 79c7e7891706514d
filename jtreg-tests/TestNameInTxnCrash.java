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
 * @summary A name (and the root) bound inside a transaction to an object
 *          the transaction made (pnew, pmake), on a fresh file, crashed
 *          under the simulator at every other write-back of the run: each
 *          start after the crash attaches (the roots are checked as
 *          recovery will leave them) and sees the name unbound, or bound
 *          to the whole object. (Written after TestTxnCrash once refused
 *          its file after a crash in its first, bank-making transaction:
 *          "named entry 0 ... refers to 1, which does not point to an
 *          object"; this test has not reproduced that, with or without the
 *          recovery-aware check.)
 * @library /test/lib /pmem/lib
 * @modules java.base/jdk.internal.pmem
 * @run driver TestNameInTxnCrash
 */

import jdk.internal.pmem.Pmem;
import jdk.test.lib.process.OutputAnalyzer;

public class TestNameInTxnCrash {
    static final class Box {
        long[] payload;
        long check;
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0) {
            if (args[0].equals("bind")) {
                Pmem.txn(() -> {
                    // As TestTxnCrash's first run makes its bank: pnew and
                    // pmake inside the transaction.
                    Box b = Pmem.pnew(Box.class);
                    b.payload = Pmem.pmake(long[].class, 600);   // many lines for the commit to write back
                    for (int i = 0; i < b.payload.length; i++) b.payload[i] = i;
                    b.check = 42;
                    Pmem.put("box", b);
                    Pmem.setRoot(b);
                });
                System.out.println("BOUND");
            } else {
                Box b = Pmem.get("box", Box.class);
                Object root = Pmem.root();
                if (b == null ? root != null : (root != b || b.check != 42 || b.payload[599] != 599)) {
                    throw new RuntimeException("torn: " + b + " " + root);
                }
                System.out.println("CHECKED " + (b == null ? "unbound" : "bound"));
            }
            return;
        }
        String file = PmemTest.heapFile("name-in-txn");
        // How many write-backs the whole binding run makes.
        OutputAnalyzer whole = PmemTest.runMain(TestNameInTxnCrash.class, PmemTest.concat(PmemTest.flags(file),
                new String[] {"-XX:+UnlockDiagnosticVMOptions", "-XX:+PmemSimulator"}), "bind");
        whole.shouldHaveExitValue(0);
        int crashes = 0, bound = 0;
        boolean completed = false;
        for (int k = 1; k < 400; k += 2) {
            java.nio.file.Files.deleteIfExists(java.nio.file.Path.of(file));
            OutputAnalyzer run = PmemTest.runMain(TestNameInTxnCrash.class, PmemTest.concat(PmemTest.flags(file),
                    new String[] {"-XX:+UnlockDiagnosticVMOptions", "-XX:+PmemSimulator",
                                  "-XX:PmemCrashAfterWritebacks=" + k}), "bind");
            if (run.getExitValue() == 0) {
                completed = true;
                break;   // past the last write-back
            }
            run.shouldHaveExitValue(97);
            crashes++;
            if (!java.nio.file.Files.exists(java.nio.file.Path.of(file))) {
                continue;   // crashed while the file was made
            }
            OutputAnalyzer check = PmemTest.runMain(TestNameInTxnCrash.class, PmemTest.flags(file), "check");
            System.out.println("crash after write-back " + k + ": " + check.getOutput().trim());
            check.shouldHaveExitValue(0);
            bound += check.getOutput().contains("CHECKED bound") ? 1 : 0;
        }
        System.out.println("crashes: " + crashes + ", bound after " + bound);
        // Every other write-back of the run was a crash point, up to the run's end. (The run made
        // about 40 write-backs until what linking its code allocated inside the transaction stayed
        // volatile; now about 28.)
        if (!completed || crashes < 10) throw new RuntimeException("too few crashes: " + crashes + ", completed " + completed);
        PmemTest.cleanup();
    }
}
