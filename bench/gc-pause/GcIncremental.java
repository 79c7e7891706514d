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

import java.util.SplittableRandom;
import jdk.internal.pmem.Pmem;

/**
 * Incremental collections of the persistent part (issue 23 item 4): n old
 * persistent nodes in one array (built once, kept in the file), then per
 * round `young` new nodes, half of them linked into random old places
 * (half into old nodes' fields, half into the old array's elements: each
 * remembers a line), half garbage, then Pmem.collect(). The collector's
 * log line (gc+pmem) gives mark and sweep times, -Xlog:gc the pause.
 * Args: n young rounds [full|clustered]; with "full" each round ends in
 * System.gc(); with "clustered" the linked half forms one new list hung
 * off one old node (one remembered store per round).
 */
public class GcIncremental {
    static class Node {
        long value;
        Node next;
    }

    public static void main(String[] args) {
        int n = Integer.parseInt(args[0]);
        int young = Integer.parseInt(args[1]);
        int rounds = Integer.parseInt(args[2]);
        boolean full = args.length > 3 && args[3].equals("full");
        boolean clustered = args.length > 3 && args[3].equals("clustered");
        Node[] nodes = build(n);
        SplittableRandom rnd = new SplittableRandom(1);
        Pmem.collect();   // the first of the run: full
        System.out.println("MARK rounds");
        for (int r = 0; r < rounds; r++) {
            Node head = null;
            for (int i = 0; i < young; i++) {
                Node y = Pmem.pnew(Node.class);
                y.value = i;
                if (clustered) {
                    if ((i & 1) == 0) {
                        y.next = head;
                        head = y;
                    }
                } else if ((i & 1) == 0) {
                    int at = rnd.nextInt(n);
                    if ((i & 2) == 0) {
                        nodes[at].next = y;     // an old node's field
                    } else {
                        nodes[at] = y;          // an old array element (the old node becomes garbage)
                    }
                }
            }
            if (clustered) {
                nodes[rnd.nextInt(n)].next = head;
            }
            if (full) {
                System.gc();
            } else {
                Pmem.collect();
            }
        }
        System.out.println("done " + nodes.length);
    }

    static Node[] build(int n) {
        if (Pmem.root() instanceof Node[] nodes && nodes.length == n) {
            return nodes;
        }
        Node[] nodes = Pmem.pmake(Node[].class, n);
        long t0 = System.nanoTime();
        for (int from = 0; from < n; from += 4096) {
            final int f = from;
            Pmem.txn(() -> {
                for (int i = f; i < Math.min(n, f + 4096); i++) {
                    Node x = Pmem.pnew(Node.class);
                    x.value = i;
                    nodes[i] = x;
                }
            });
        }
        Pmem.setRoot(nodes);
        System.out.printf("built %d persistent nodes in %.1f s%n", n, (System.nanoTime() - t0) / 1e9);
        return nodes;
    }
}
