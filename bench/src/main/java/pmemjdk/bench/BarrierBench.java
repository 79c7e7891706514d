package pmemjdk.bench;

import java.util.Arrays;
import java.util.HashMap;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Barrier-cost kernels: ordinary (volatile-heap) Java objects only, so any
 * difference between JVM configurations is the cost of the persistent-store
 * checks that pmem-jdk puts on ordinary stores (plus, with
 * -XX:+UsePersistentHeap, the forced Serial collector).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class BarrierBench {

    static final int OBJECTS = 1024;
    static final int LONGS = 4096;
    static final int INTS = 4096;
    static final int KEYS = 1000;
    static final int STRING_PARTS = 64;

    /** A small object with a primitive and a reference field. */
    static final class Node {
        int count;
        long sum;
        Object ref;
    }

    Node[] nodes;
    Object[] refs;
    long[] longs;
    int[] intSrc;
    int[] intDst;
    HashMap<Integer, Integer> map;
    Integer[] boxedKeys;
    String text = "a Latin-1 string of 256 chars; ".repeat(9).substring(0, 256);
    char[] chars = new char[256];
    long value;

    @Setup
    public void setup() {
        nodes = new Node[OBJECTS];
        refs = new Object[OBJECTS];
        for (int i = 0; i < OBJECTS; i++) {
            nodes[i] = new Node();
            refs[i] = Integer.valueOf(i);
        }
        longs = new long[LONGS];
        intSrc = new int[INTS];
        intDst = new int[INTS];
        for (int i = 0; i < INTS; i++) {
            intSrc[i] = i * 31;
        }
        map = new HashMap<>(2 * KEYS);
        boxedKeys = new Integer[KEYS];
        for (int i = 0; i < KEYS; i++) {
            boxedKeys[i] = Integer.valueOf(i * 7919);
        }
    }

    /** Primitive field stores (int and long) over 1024 small objects. */
    @Benchmark
    public Node[] fieldStoresPrimitive() {
        Node[] ns = nodes;
        long v = ++value;
        for (int i = 0; i < ns.length; i++) {
            Node n = ns[i];
            n.count = (int) v + i;
            n.sum = v * i;
        }
        return ns;
    }

    /** Reference field stores over 1024 small objects (GC post-barrier too). */
    @Benchmark
    public Node[] fieldStoresReference() {
        Node[] ns = nodes;
        Object[] rs = refs;
        int shift = (int) (++value & 1023);
        for (int i = 0; i < ns.length; i++) {
            ns[i].ref = rs[(i + shift) & (OBJECTS - 1)];
        }
        return ns;
    }

    /** Arrays.fill on a long[4096]. */
    @Benchmark
    public long[] fillArraysFill() {
        Arrays.fill(longs, ++value);
        return longs;
    }

    /** Hand-written fill loop on a long[4096]. */
    @Benchmark
    public long[] fillManualLoop() {
        long[] a = longs;
        long v = ++value;
        for (int i = 0; i < a.length; i++) {
            a[i] = v;
        }
        return a;
    }

    /** System.arraycopy of 4096 ints. */
    @Benchmark
    public int[] arraycopyInts() {
        System.arraycopy(intSrc, 0, intDst, 0, INTS);
        return intDst;
    }

    /** HashMap&lt;Integer,Integer&gt;: 1000 puts, cleared each op. */
    @Benchmark
    public int hashMapPuts() {
        HashMap<Integer, Integer> m = map;
        m.clear();
        Integer[] ks = boxedKeys;
        for (int i = 0; i < ks.length; i++) {
            m.put(ks[i], ks[(i + 1) % KEYS]);
        }
        return m.size();
    }

    /**
     * A String's chars into a char[] and back into a String: the
     * StringLatin1.inflate and StringUTF16.compress intrinsics, which
     * write their destination array.
     */
    @Benchmark
    public int stringChars() {
        String s = text;
        char[] c = chars;
        s.getChars(0, c.length, c, 0);
        return new String(c).hashCode();
    }

    /** StringBuilder appends, toString and hashCode. */
    @Benchmark
    public int stringBuild() {
        StringBuilder sb = new StringBuilder();
        long v = ++value;
        for (int i = 0; i < STRING_PARTS; i++) {
            sb.append("k").append(i).append('=').append(v + i).append(';');
        }
        String s = sb.toString();
        return s.hashCode() + s.length();
    }
}
