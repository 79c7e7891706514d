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
 * @summary The persistent part is a heap memory pool, "Persistent Heap",
 *          managed by the full collections' manager (MarkSweepCompact):
 *          MemoryPoolMXBean shows its capacity (committed), what it may
 *          grow to (max), what is in use, the usage after a collection and
 *          usage thresholds. Without the flag there is no such pool.
 * @library /test/lib /pmem/lib
 * @modules java.base/jdk.internal.pmem
 * @run driver TestMemoryPool
 */

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.Arrays;

import jdk.internal.pmem.Pmem;
import jdk.test.lib.process.OutputAnalyzer;

public class TestMemoryPool {
    static final String NAME = "Persistent Heap";

    public static void main(String[] args) throws Exception {
        if (args.length > 0) {
            child(args[0]);
            return;
        }
        String file = PmemTest.heapFile("pool");
        PmemTest.ok(PmemTest.runMain(TestMemoryPool.class, PmemTest.concat(PmemTest.flags(file), new String[] {
                "-XX:+UnlockDiagnosticVMOptions", "-XX:+PmemAlwaysCollect"}), "with")).shouldContain("POOL OK");
        // A file that may grow: max is what it may grow to.
        String grow = PmemTest.heapFile("pool-grow");
        PmemTest.ok(PmemTest.runMain(TestMemoryPool.class, PmemTest.concat(PmemTest.flags(grow), new String[] {
                "-XX:PmemMaxSize=256m"}), "grows")).shouldContain("POOL OK");
        PmemTest.ok(PmemTest.runMain(TestMemoryPool.class, new String[] {"-XX:+UseSerialGC"}, "without"))
                .shouldContain("POOL OK");
        PmemTest.cleanup();
    }

    static MemoryPoolMXBean pool() {
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getName().equals(NAME)) return p;
        }
        return null;
    }

    static void child(String what) {
        MemoryPoolMXBean p = pool();
        switch (what) {
            case "without" -> PmemTest.check(p == null, "a " + NAME + " pool without the flag");
            case "grows" -> {
                PmemTest.check(p != null, "no " + NAME + " pool");
                long max = p.getUsage().getMax();
                PmemTest.check(p.getUsage().getCommitted() == Pmem.capacityBytes() && max > Pmem.capacityBytes()
                      && max <= 256L << 20, "committed " + p.getUsage() + ", capacity " + Pmem.capacityBytes());
            }
            case "with" -> {
                PmemTest.check(p != null, "no " + NAME + " pool");
                PmemTest.check(p.getType() == MemoryType.HEAP && p.isValid(), "type " + p.getType());
                PmemTest.check(Arrays.asList(p.getMemoryManagerNames()).equals(Arrays.asList("MarkSweepCompact")),
                      "managers " + Arrays.toString(p.getMemoryManagerNames()));
                PmemTest.check(p.getUsage().getCommitted() == Pmem.capacityBytes()
                      && p.getUsage().getMax() == Pmem.capacityBytes(), "usage " + p.getUsage());
                long before = p.getUsage().getUsed();
                PmemTest.check(before == Pmem.usedBytes(), "used " + before + " vs Pmem.usedBytes() " + Pmem.usedBytes());
                // 16 MB reachable, then half of it dropped.
                Object[] kept = Pmem.pmake(Object[].class, 16);
                Pmem.setRoot(kept);
                p.setUsageThreshold(before + (12L << 20));
                for (int i = 0; i < 16; i++) {
                    kept[i] = Pmem.pmake(long[].class, 1 << 17);   // 1 MB
                }
                long full = p.getUsage().getUsed();
                for (int i = 1; i < 16; i += 2) kept[i] = null;
                PmemTest.check(full >= before + (16L << 20), "used after 16 MB: " + full + ", before " + before);
                // (The crossing count is the low memory detector's, which samples when it runs: not checked.)
                PmemTest.check(p.isUsageThresholdExceeded(),
                      "threshold of " + p.getUsageThreshold() + " not exceeded at " + full);
                System.gc();
                long after = p.getCollectionUsage().getUsed();
                PmemTest.check(after < full - (7L << 20) && after >= before + (8L << 20),
                      "usage after the collection " + after + ", before it " + full);
                PmemTest.check(p.getUsage().getUsed() == Pmem.usedBytes(), "used after the collection");
                System.out.println(NAME + ": " + p.getUsage() + ", after the collection " + p.getCollectionUsage());
            }
            default -> throw new IllegalArgumentException(what);
        }
        System.out.println("POOL OK");
    }
}
