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


import java.util.ArrayList;
import java.util.List;

import jdk.internal.pmem.Pmem;

/**
 * Full-GC pauses against live persistent data (bench/run-gc-pause.sh).
 * With the persistent heap on, makes sure the root holds n live persistent
 * objects (an array of n nodes), then
 *  1. forces full GCs of the volatile heap the usual way, by filling the
 *     old generation with large arrays ("Pause Full (Allocation Failure)"):
 *     these treat persistent objects as live and never trace them;
 *  2. calls System.gc(), which also collects the persistent part.
 * The pauses are read from -Xlog:gc by the script.
 */
public class GcPause {
    static class Node {
        long value;
        Node next;
    }

    public static void main(String[] args) {
        int n = Integer.parseInt(args[0]);
        int rounds = Integer.parseInt(args[1]);
        if (Boolean.getBoolean("pmem")) {   // so the stock JDK never loads Pmem
            PmemPart.build(n);
        }
        // Some volatile live data, the same in every configuration.
        List<long[]> keep = new ArrayList<>();
        for (int i = 0; i < 100_000; i++) {
            keep.add(new long[4]);
        }
        // 1. Allocation-failure full GCs: each large array lands in the old
        // generation, which the previous one (now garbage) fills. (Before
        // the mark, building the persistent data has its own collections.)
        System.out.println("MARK volatile-gc");
        long total = Runtime.getRuntime().maxMemory();
        byte[] big = null;
        for (int i = 0; i < rounds; i++) {
            big = null;
            big = new byte[(int) (total * 2 / 5)];
            big[i] = 1;
        }
        System.out.println("MARK system-gc");
        // 2. Collections of the persistent part (and the volatile heap).
        for (int i = 0; i < rounds; i++) {
            System.gc();
        }
        System.out.println("kept " + keep.size() + (big != null ? " big" : ""));
    }
}

// The persistent side, in a class of its own.
class PmemPart {
    static void build(int n) {
        Object root = Pmem.root();
        if (root instanceof GcPause.Node[] nodes && nodes.length == n) {
            return;
        }
        GcPause.Node[] nodes = Pmem.pmake(GcPause.Node[].class, n);
        long t0 = System.nanoTime();
        for (int from = 0; from < n; from += 4096) {
            final int f = from;
            Pmem.txn(() -> {
                for (int i = f; i < Math.min(n, f + 4096); i++) {
                    GcPause.Node x = Pmem.pnew(GcPause.Node.class);
                    x.value = i;
                    nodes[i] = x;
                }
            });
        }
        Pmem.setRoot(nodes);
        System.gc();   // the garbage of earlier sizes goes
        System.out.printf("built %d persistent nodes in %.1f s%n", n, (System.nanoTime() - t0) / 1e9);
    }
}
