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
 * Relocation time against heap size (bench/run-relocate.sh). "build n"
 * makes n persistent objects: nodes of a list, each with a second
 * reference (to a node 1000 back) and every 16th with a String, so a
 * relocation has about 2.1 references per object to rewrite. "check n"
 * walks them and prints the sum, so that every run proves the references.
 */
public class RelocBench {
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
                    }
                    Pmem.setRoot(head[0]);
                    return null;
                });
                done = to;
            }
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
