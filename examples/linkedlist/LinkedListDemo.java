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
 * A linked list that outlives the JVM. Each run appends one node holding
 * the run's number and prints the whole list: run it several times and the
 * list grows. No serialization, no files of its own: the nodes live in the
 * persistent heap and the list is found again through a named root.
 *
 *   build/jdk/bin/java -XX:+UsePersistentHeap -XX:PmemFile=/dev/shm/list.heap \
 *       --add-exports java.base/jdk.internal.pmem=ALL-UNNAMED LinkedListDemo.java
 *
 * Each run's change is one failure-atomic transaction: the new node, the
 * link to it and the new size become durable together when txn returns, so
 * a crash at any point leaves the old list or the new one, never a list
 * whose size disagrees with its nodes.
 */
public class LinkedListDemo {
    static class Node {
        long value;
        Node next;
    }

    static class ListHead {
        Node first;
        long size;
    }

    public static void main(String[] args) {
        ListHead list = Pmem.txn(() -> {
            ListHead l = Pmem.get("demo-list", ListHead.class);
            if (l == null) {
                System.out.println(Pmem.isFirstRun() ? "First run: creating the list" : "Creating the list");
                l = new ListHead();                 // persistent: made inside the transaction
                Pmem.put("demo-list", l);           // the next run finds it
            }
            Node node = new Node();
            node.value = l.size + 1;
            node.next = l.first;
            l.first = node;
            l.size++;
            return l;
        });                                         // durable here, all of it or none

        StringBuilder sb = new StringBuilder();
        for (Node n = list.first; n != null; n = n.next) {
            sb.append(n.value).append(n.next != null ? " -> " : "");
        }
        System.out.println("Run " + list.size + ": " + sb);
        System.out.printf("Persistent heap: %d of %d KiB used%n", Pmem.usedBytes() / 1024, Pmem.capacityBytes() / 1024);
    }
}
