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

import jdk.internal.pmem.Pmem;

/**
 * Compaction time against heap size (bench/run-compact.sh). "build n"
 * makes 2n persistent list nodes and links every other one, so that the
 * other n are garbage interleaved with the live ones: after a collection
 * half of the used part is free, in chunks of one node. Each live node has
 * a second reference (to a live node 1000 back) and every 16th a String.
 * "compact n" calls Pmem.compact() and walks the list, so that every run
 * proves the references; "walk n" only walks it (run-width.sh: after a
 * change of reference width).
 */
public class CompactBench {
    static final class Node {
        long value;
        Node next;
        Object other;
    }

    public static void main(String[] args) {
        int n = Integer.parseInt(args[1]);
        if (args[0].equals("build")) {
            Node[] window = new Node[1000];
            Node[] head = new Node[1];
            Node[] dropped = new Node[1];
            for (int done = 0; done < n; ) {
                final int from = done, to = Math.min(n, done + 100_000);
                Pmem.txn(() -> {
                    for (int i = from; i < to; i++) {
                        Node x = new Node();
                        x.value = i;
                        x.next = head[0];
                        x.other = i % 16 == 0 ? "s" + i : window[i % 1000];
                        window[i % 1000] = x;
                        head[0] = x;
                        Node garbage = new Node();   // linked from a volatile variable only
                        garbage.value = -i;
                        dropped[0] = garbage;
                    }
                    Pmem.setRoot(head[0]);
                    return null;
                });
                done = to;
            }
        } else if (args[0].equals("compact") && !Pmem.compact()) {
            throw new IllegalStateException("did not compact");
        }
        long sum = 0;
        int count = 0;
        for (Node x = (Node) Pmem.root(); x != null; x = x.next) {
            sum += x.value + (x.other instanceof Node o ? o.value & 1 : 0);
            count++;
        }
        System.out.println("nodes " + count + " sum " + sum);
        if (count != n) throw new IllegalStateException("nodes " + count + " != " + n);
    }
}
