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

package jdk.internal.pmem;

/**
 * The persistent heap of pmem-jdk.
 *
 * <p>A JVM started with {@code -XX:+UsePersistentHeap -XX:PmemFile=<path>}
 * has a third part in its Java heap, backed by that file. Objects allocated
 * there survive JVM exits, crashes and power loss, and are found again on
 * the next start through named roots. See README.pmem.md for the user's
 * contract (flags, store semantics, transactions, failure modes).
 *
 * <p>This class is in {@code java.base} but not exported: applications
 * compile and run with
 * {@code --add-exports java.base/jdk.internal.pmem=ALL-UNNAMED}.
 *
 * <p>All methods are static and thread-safe.
 */
public final class Pmem {

    private Pmem() {}

    private static native void registerNatives();
    static {
        registerNatives();
    }

    /**
     * Tells whether this JVM runs with a persistent heap.
     *
     * @return {@code true} if the JVM was started with
     *         {@code -XX:+UsePersistentHeap}; never changes while it runs
     */
    public static boolean isEnabled() {
        return isEnabled0();
    }

    /**
     * Returns the path of the persistent heap file, with {@code %p}
     * already expanded to the process id.
     *
     * @return the file's path, or {@code null} if {@link #isEnabled()} is
     *         {@code false}
     */
    public static String fileName() {
        return fileName0();
    }

    /**
     * Tells whether this JVM created the heap file, as opposed to finding it
     * from an earlier run (go-pmem's {@code Init} result). A program uses it
     * to decide whether to build its persistent data or to look it up.
     *
     * <p>The file is created complete or not at all: a JVM that crashed
     * while creating it leaves no file, and the next JVM is a first run
     * again.
     *
     * @return {@code true} if the file did not exist when this JVM started
     * @throws IllegalStateException if {@link #isEnabled()} is {@code false}
     */
    public static boolean isFirstRun() {
        checkEnabled();
        return isFirstRun0();
    }

    /**
     * Returns the size of the persistent part of the heap: the bytes that
     * persistent objects may occupy. The file is larger by its metadata
     * (header, type table, roots, undo logs).
     *
     * @return the capacity in bytes, fixed when the file was created
     * @throws IllegalStateException if {@link #isEnabled()} is {@code false}
     */
    public static long capacityBytes() {
        checkEnabled();
        return capacityBytes0();
    }

    private static void checkEnabled() {
        if (!isEnabled0()) {
            throw new IllegalStateException(
                "no persistent heap: start the JVM with -XX:+UsePersistentHeap -XX:PmemFile=<path>");
        }
    }

    private static native boolean isEnabled0();
    private static native String fileName0();
    private static native boolean isFirstRun0();
    private static native long capacityBytes0();
}
