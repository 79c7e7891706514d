package pmemjdk.bench;

import java.io.File;
import java.util.concurrent.TimeUnit;

import com.intel.pmem.llpl.PersistentHeap;
import com.intel.pmem.llpl.PersistentMemoryBlock;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * AllocBench's two persistent allocations with Intel LLPL: a durable
 * (fail-safe) allocation from a PersistentHeap of the same payload sizes
 * (32 bytes; 64 longs). LLPL has no collector, so each op frees the block
 * it allocated the time before; an op is one allocation and one free.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@Threads(1)
@State(Scope.Thread)
public class LlplAllocBench {

    static final long HEAP_SIZE = 64L << 20;

    String path;
    PersistentHeap heap;
    PersistentMemoryBlock last;

    @Setup
    public void setup() {
        path = System.getProperty("llpl.heap", "/dev/shm/bench-llpl.heap");
        new File(path).delete();
        heap = PersistentHeap.createHeap(path, HEAP_SIZE);
    }

    @TearDown
    public void tearDown() {
        new File(path).delete();
    }

    private Object cycle(long size) {
        PersistentMemoryBlock b = heap.allocateMemoryBlock(size);
        if (last != null) {
            last.freeMemory();
        }
        last = b;
        return b;
    }

    @Benchmark
    public Object pnewSmall() {
        return cycle(32);
    }

    @Benchmark
    public Object pmakeLongs64() {
        return cycle(64 * Long.BYTES);
    }
}
