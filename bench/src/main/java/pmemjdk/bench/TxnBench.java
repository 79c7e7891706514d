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
 * Failure-atomic transaction throughput on pmem-jdk's persistent heap.
 * Run only on pmem-jdk with -XX:+UsePersistentHeap -XX:PmemFile=... (see
 * run-txn.sh); the same three operations with LLPL are in LlplTxnBench.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsPrepend = {"--add-exports", "java.base/jdk.internal.pmem=ALL-UNNAMED"})
@Threads(1)
@State(Scope.Thread)
public class TxnBench {

    /** A persistent account: one long field. */
    public static final class Account {
        long balance;
    }

    static final int STORES = 10;
    static final int COPY_BYTES = 1024;

    Account a;
    Account b;
    long[] longs;     // persistent long[10]
    byte[] pbytes;    // persistent byte[1024]
    byte[] src;       // ordinary byte[1024]
    long counter;

    @Setup
    public void setup() {
        if (!Pmem.isEnabled()) {
            throw new IllegalStateException(
                "TxnBench needs pmem-jdk with -XX:+UsePersistentHeap -XX:PmemFile=<file>");
        }
        a = Pmem.pnew(Account.class);
        b = Pmem.pnew(Account.class);
        Pmem.txn(() -> { a.balance = 1_000_000_000L; b.balance = 0; });
        longs = Pmem.pmake(long[].class, STORES);
        pbytes = Pmem.pmake(byte[].class, COPY_BYTES);
        heads = Pmem.pmake(Link[].class, 1);
        src = new byte[COPY_BYTES];
        for (int i = 0; i < COPY_BYTES; i++) {
            src[i] = (byte) (i * 13);
        }
        if (!Pmem.inPmem(a) || !Pmem.inPmem(longs) || !Pmem.inPmem(pbytes)) {
            throw new IllegalStateException("objects are not in the persistent heap");
        }
    }

    /** (i) two-field transfer between two persistent objects. */
    @Benchmark
    public void transfer() {
        final Account x = a, y = b;
        Pmem.txn(() -> { x.balance -= 1; y.balance += 1; });
    }

    /** (ii) 10 long stores into a persistent long[] in one transaction. */
    @Benchmark
    public void store10() {
        final long[] arr = longs;
        final long v = ++counter;
        Pmem.txn(() -> {
            for (int i = 0; i < STORES; i++) {
                arr[i] = v + i;
            }
        });
    }

    /** (iii) 1 KiB System.arraycopy into a persistent byte[] in one transaction. */
    @Benchmark
    public void copy1k() {
        final byte[] s = src, d = pbytes;
        Pmem.txn(() -> System.arraycopy(s, 0, d, 0, COPY_BYTES));
    }

    /** A small persistent object that links to another. */
    public static final class Link {
        long value;
        Link next;
    }

    Link[] heads;     // persistent Link[1]: what alloc10 links its list into

    /**
     * (v) a transaction that allocates ten small objects, links them into a
     * list and links the list into a persistent object (the last run's list
     * becomes garbage).
     */
    @Benchmark
    public void alloc10() {
        final Link[] h = heads;
        final long v = ++counter;
        Pmem.txn(() -> {
            Link list = null;
            for (int i = 0; i < STORES; i++) {
                Link l = new Link();
                l.value = v + i;
                l.next = list;
                list = l;
            }
            h[0] = list;
        });
    }

    /** (iv) a transaction that only reads: nothing to log or write back. */
    @Benchmark
    public long readOnly() {
        final Account x = a, y = b;
        return Pmem.txn(() -> x.balance + y.balance);
    }
}
