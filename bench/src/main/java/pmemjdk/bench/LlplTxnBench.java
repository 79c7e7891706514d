package pmemjdk.bench;

import java.io.File;
import java.util.concurrent.TimeUnit;

import com.intel.pmem.llpl.Transaction;
import com.intel.pmem.llpl.TransactionalHeap;
import com.intel.pmem.llpl.TransactionalMemoryBlock;

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
 * The three TxnBench operations with Intel LLPL (PMDK libpmemobj
 * transactions underneath). Heap file: system property llpl.heap
 * (default /dev/shm/bench-llpl.heap), recreated for each fork.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@Threads(1)
@State(Scope.Thread)
public class LlplTxnBench {

    static final int STORES = 10;
    static final int COPY_BYTES = 1024;
    static final long HEAP_SIZE = 64L << 20;

    String path;
    TransactionalHeap heap;
    TransactionalMemoryBlock a;
    TransactionalMemoryBlock b;
    TransactionalMemoryBlock longs;   // 10 longs
    TransactionalMemoryBlock pbytes;  // 1024 bytes
    TransactionalMemoryBlock head;    // alloc10's list head (a handle)
    byte[] src;
    long counter;

    @Setup
    public void setup() {
        path = System.getProperty("llpl.heap", "/dev/shm/bench-llpl.heap");
        new File(path).delete();
        heap = TransactionalHeap.createHeap(path, HEAP_SIZE);
        a = heap.allocateMemoryBlock(Long.BYTES);
        b = heap.allocateMemoryBlock(Long.BYTES);
        Transaction.create(heap, () -> { a.setLong(0, 1_000_000_000L); b.setLong(0, 0); });
        longs = heap.allocateMemoryBlock(STORES * Long.BYTES);
        pbytes = heap.allocateMemoryBlock(COPY_BYTES);
        head = heap.allocateMemoryBlock(Long.BYTES);
        Transaction.create(heap, () -> head.setLong(0, 0));
        src = new byte[COPY_BYTES];
        for (int i = 0; i < COPY_BYTES; i++) {
            src[i] = (byte) (i * 13);
        }
    }

    @TearDown
    public void tearDown() {
        new File(path).delete();
    }

    /** (i) two-field transfer between two persistent blocks. */
    @Benchmark
    public void transfer() {
        final TransactionalMemoryBlock x = a, y = b;
        Transaction.create(heap, () -> {
            x.setLong(0, x.getLong(0) - 1);
            y.setLong(0, y.getLong(0) + 1);
        });
    }

    /** (ii) 10 long stores into one persistent block in one transaction. */
    @Benchmark
    public void store10() {
        final TransactionalMemoryBlock blk = longs;
        final long v = ++counter;
        Transaction.create(heap, () -> {
            for (int i = 0; i < STORES; i++) {
                blk.setLong(i * Long.BYTES, v + i);
            }
        });
    }

    /** (iii) 1 KiB copy from a Java byte[] into a persistent block in one transaction. */
    @Benchmark
    public void copy1k() {
        final byte[] s = src;
        final TransactionalMemoryBlock d = pbytes;
        Transaction.create(heap, () -> d.copyFromArray(s, 0, 0, COPY_BYTES));
    }

    /**
     * (v) ten 16-byte blocks (a value and the next block's handle) allocated
     * in one transaction, linked into a list whose head goes into a
     * persistent block; the last run's list is freed in the same
     * transaction, as pmem-jdk's collector frees its garbage.
     */
    @Benchmark
    public void alloc10() {
        final TransactionalMemoryBlock h = head;
        final long v = ++counter;
        Transaction.create(heap, () -> {
            long old = h.getLong(0);
            while (old != 0) {
                TransactionalMemoryBlock b = heap.memoryBlockFromHandle(old);
                old = b.getLong(Long.BYTES);
                b.free();
            }
            long list = 0;
            for (int i = 0; i < STORES; i++) {
                TransactionalMemoryBlock l = heap.allocateMemoryBlock(2 * Long.BYTES);
                l.setLong(0, v + i);
                l.setLong(Long.BYTES, list);
                list = l.handle();
            }
            h.setLong(0, list);
        });
    }

    /** (iv) a transaction that only reads. */
    @Benchmark
    public long readOnly() {
        final TransactionalMemoryBlock x = a, y = b;
        return Transaction.create(heap, () -> x.getLong(0) + y.getLong(0));
    }
}
