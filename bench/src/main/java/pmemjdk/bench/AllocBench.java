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
 * Allocation: pnew and pmake against new, in the same JVM (pmem-jdk with
 * -XX:+UsePersistentHeap, so both run under the same Serial collector).
 * Each op allocates one object and returns it (JMH consumes it, so escape
 * analysis cannot remove the new). The persistent objects become garbage
 * at once and are collected by the persistent collections their
 * allocation triggers, which the scores include, as young collections are
 * included in new's. LlplAllocBench is the LLPL side.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsPrepend = {"--add-exports", "java.base/jdk.internal.pmem=ALL-UNNAMED"})
@Threads(1)
@State(Scope.Thread)
public class AllocBench {

    /** A small object: 16 bytes of header and 16 of fields. */
    public static final class Small {
        long a;
        int b;
        Object c;
    }

    static final int LONGS = 64;

    private Small holder;

    @Setup
    public void setup() {
        if (!Pmem.isEnabled()) {
            throw new IllegalStateException(
                "AllocBench needs pmem-jdk with -XX:+UsePersistentHeap -XX:PmemFile=<file>");
        }
        holder = Pmem.pnew(Small.class);
        Pmem.put("alloc-bench-holder", holder);
    }

    @Benchmark
    public Object newSmall() {
        return new Small();
    }

    @Benchmark
    public Object pnewSmall() {
        return Pmem.pnew(Small.class);
    }

    /** The same with two fields set: stores outside a transaction into an object not yet durable. */
    @Benchmark
    public Object newSmallInit() {
        Small s = new Small();
        s.a = 1;
        s.b = 2;
        return s;
    }

    @Benchmark
    public Object pnewSmallInit() {
        Small s = Pmem.pnew(Small.class);
        s.a = 1;
        s.b = 2;
        return s;
    }

    /**
     * Built outside a transaction, published inside one: a pnew, a field
     * set, then a transaction that links the object into a persistent
     * holder. Each transaction cuts the thread's deferred buffer's slot,
     * and the next pnew claims one again.
     */
    @Benchmark
    public Object pnewThenTxn() {
        Small s = Pmem.pnew(Small.class);
        s.a = 1;
        Pmem.txn(() -> holder.c = s);
        return s;
    }

    @Benchmark
    public Object newLongs64() {
        return new long[LONGS];
    }

    @Benchmark
    public Object pmakeLongs64() {
        return Pmem.pmake(long[].class, LONGS);
    }
}
