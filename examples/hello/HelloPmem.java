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
 * The smallest pmem-jdk program: tells whether this JVM has a persistent
 * heap and which file backs it. Start it with
 *
 *   build/jdk/bin/java -XX:+UsePersistentHeap -XX:PmemFile=/dev/shm/hello.heap \
 *       --add-exports java.base/jdk.internal.pmem=ALL-UNNAMED HelloPmem.java
 */
public class HelloPmem {
    public static void main(String[] args) {
        if (!Pmem.isEnabled()) {
            System.out.println("No persistent heap: start with -XX:+UsePersistentHeap -XX:PmemFile=<path>");
            return;
        }
        System.out.println("Persistent heap enabled, file " + Pmem.fileName());
        System.out.println("Collector: " + java.lang.management.ManagementFactory
            .getGarbageCollectorMXBeans().stream().map(b -> b.getName())
            .reduce((a, b) -> a + ", " + b).orElse("?"));
    }
}
