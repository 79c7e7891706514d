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

import java.lang.reflect.Field;

import jdk.internal.pmem.Pmem;

/**
 * Migration time against heap size (bench/run-migrate.sh). Node comes in
 * two versions on the class path the script gives (a field added); "build
 * n" makes a list of n nodes, each also referring to a node 1000 back,
 * "check n" walks it, which proves every reference after a migration.
 */
public class MigrateBench {
    public static void main(String[] args) throws Exception {
        int n = Integer.parseInt(args[1]);
        Class<?> node = Class.forName("Node");
        Field value = node.getField("value"), next = node.getField("next"), other = node.getField("other");
        if (args[0].equals("build")) {
            Object[] window = new Object[1000];
            Object[] head = new Object[1];
            for (int done = 0; done < n; ) {
                final int from = done, to = Math.min(n, done + 100_000);
                Pmem.txn(() -> {
                    try {
                        for (int i = from; i < to; i++) {
                            Object x = node.getConstructor().newInstance();
                            value.setLong(x, i);
                            next.set(x, head[0]);
                            other.set(x, window[i % 1000]);
                            window[i % 1000] = x;
                            head[0] = x;
                        }
                    } catch (ReflectiveOperationException e) {
                        throw new RuntimeException(e);
                    }
                    Pmem.setRoot(head[0]);
                    return null;
                });
                done = to;
            }
        }
        long sum = 0;
        int count = 0;
        for (Object x = Pmem.root(); x != null; x = next.get(x)) {
            sum += value.getLong(x);
            count++;
        }
        System.out.println("nodes " + count + " sum " + sum);
        if (count != n) throw new IllegalStateException("nodes " + count + " != " + n);
    }
}
