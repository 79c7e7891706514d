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
package pmemjdk.bench;

import java.util.concurrent.TimeUnit;

import jdk.internal.pmem.Pmem;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Stores outside a transaction, each durable on its own: the four long
 * fields of a persistent object of 48 bytes, taking turns over four
 * consecutive ones (their fields lie in one cache line for three of them,
 * across two for the fourth). run4 stores them back to back, which C2
 * writes back once per line; split4 reads a static field between the
 * stores, which ends each run, so every store is written back and fenced;
 * one is a single store.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsPrepend = {"--add-exports", "java.base/jdk.internal.pmem=ALL-UNNAMED"})
@Threads(1)
@State(Scope.Thread)
public class DurableStoreBench {

    public static final class Quad {
        long a, b, c, d;
    }

    static long step = 1;   // read between the stores of split4

    final Quad[] qs = new Quad[4];   // a volatile array of persistent objects
    long v;

    @Setup
    public void setup() {
        if (!Pmem.isEnabled()) {
            throw new IllegalStateException(
                "DurableStoreBench needs pmem-jdk with -XX:+UsePersistentHeap -XX:PmemFile=<file>");
        }
        for (int i = 0; i < qs.length; i++) {
            qs[i] = Pmem.pnew(Quad.class);
        }
    }

    @Benchmark
    public void one() {
        final long w = ++v;
        qs[(int) w & 3].a = w;
    }

    @Benchmark
    public void run4() {
        final long w = ++v;
        final Quad x = qs[(int) w & 3];
        x.a = w;
        x.b = w + 1;
        x.c = w + 2;
        x.d = w + 3;
    }

    @Benchmark
    public void split4() {
        final long w = ++v;
        final Quad x = qs[(int) w & 3];
        x.a = w;
        x.b = w + step;
        x.c = w + step;
        x.d = w + step;
    }
}
