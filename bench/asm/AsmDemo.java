import jdk.internal.pmem.Pmem;

/**
 * Hot loops whose C2 code bench/show-asm.sh prints: an inline pnew and a
 * small txn of two stores into a persistent long[].
 */
public class AsmDemo {
    static final class Small { long a; int b; Object c; }
    static Object sink;

    static int allocLoop(int n) {
        int h = 0;
        for (int i = 0; i < n; i++) {
            Object o = Pmem.pnew(Small.class);
            h += o.hashCode() & 1;
            sink = o;
        }
        return h;
    }

    static void txnStore(long[] a, long v) {
        Pmem.txn(() -> { a[0] = v; a[1] = v; });
    }

    static final class Pair {
        long x, y;
    }

    // Two stores outside a txn, a run: one write-back when they share a line.
    static void durablePair(Pair p, long v) {
        p.x = v;
        p.y = v + 1;
    }

    public static void main(String[] args) {
        Pair p = Pmem.pnew(Pair.class);
        for (int r = 0; r < 30000; r++) durablePair(p, r);
        long[] a = Pmem.pmake(long[].class, 16);
        for (int r = 0; r < 3000; r++) allocLoop(1000);
        for (int r = 0; r < 30000; r++) txnStore(a, r);
        System.out.println("AsmDemo done");
    }
}
