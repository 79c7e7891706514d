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

import jdk.internal.vm.annotation.ForceInline;
import jdk.internal.vm.annotation.IntrinsicCandidate;

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

    // Fixed for the JVM's life: a constant to the JIT, so checkEnabled()
    // costs nothing in compiled code.
    private static final boolean ENABLED = isEnabled0();

    /**
     * Tells whether this JVM runs with a persistent heap.
     *
     * @return {@code true} if the JVM was started with
     *         {@code -XX:+UsePersistentHeap}; never changes while it runs
     */
    public static boolean isEnabled() {
        return ENABLED;
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

    /**
     * Returns the bytes of the persistent part handed out to objects so far,
     * in this run and earlier ones.
     *
     * @return bytes in use, at most {@link #capacityBytes()}
     * @throws IllegalStateException if {@link #isEnabled()} is {@code false}
     */
    public static long usedBytes() {
        checkEnabled();
        return usedBytes0();
    }

    /**
     * Returns where stores to the persistent heap become durable, as the
     * JVM found at start (or {@code -XX:PmemPersistenceDomain} forced), and
     * so what a committed transaction survives:
     * <ul>
     * <li>{@code "cpu-cache"}: persistent memory whose CPU caches are in the
     *     power-fail domain (eADR): power loss; only fences are needed;</li>
     * <li>{@code "memory-controller"}: persistent memory mapped with
     *     {@code MAP_SYNC} (ADR): power loss; cache lines are written back;</li>
     * <li>{@code "emulated"}: a file libpmem was told is persistent memory
     *     ({@code PMEM_IS_PMEM_FORCE=1}), written back as such;</li>
     * <li>{@code "memory-file-system"}: a file on tmpfs such as
     *     {@code /dev/shm}: the process's crash, not power loss;</li>
     * <li>{@code "msync"}: an ordinary file, written back by {@code msync}:
     *     power loss;</li>
     * <li>{@code "write-back"}: forced cache-line write-back;</li>
     * <li>{@code "simulator"}: the persistence-domain simulator.</li>
     * </ul>
     * {@code -Xlog:gc+pmem} says the same at start.
     *
     * @return the persistence domain's name
     * @throws IllegalStateException if {@link #isEnabled()} is {@code false}
     */
    public static String persistenceDomain() {
        checkEnabled();
        return persistenceDomain0();
    }

    /**
     * Collects the persistent part now, as its collections usually run:
     * incrementally, so that the time is that of the objects allocated
     * since the last collection (and of the persistent objects that
     * reference stores changed since), not that of all live ones; fully
     * when the collector's policy says so (the first collection of a run,
     * one after a compaction, or once what incremental collections kept
     * grew by {@code -XX:PmemFullGCOldGrowthPercent}). An incremental
     * collection frees only unreachable objects allocated since the last
     * collection; {@link System#gc()} always collects fully. Collections
     * also run by themselves when the persistent part fills up.
     *
     * @throws IllegalStateException if {@link #isEnabled()} is {@code false}
     */
    public static void collect() {
        checkEnabled();
        collect0();
    }

    /**
     * Collects the persistent part and compacts it: its live objects slide
     * together, so that all of its free space becomes one chunk (followed
     * by the part of the file never used yet). Compaction is crash-safe: a
     * crash during it leaves a file that the next start finishes compacting.
     * It takes time proportional to the live objects; references held by
     * volatile objects and local variables follow the objects. A collection
     * also compacts by itself when at least {@code -XX:PmemCompactPercent}
     * (default 50) percent of the free space lies outside the largest free
     * chunk.
     *
     * @return {@code true} if it compacted; {@code false} if there was
     *         nothing to close or a transaction was open in some thread
     *         (compaction waits for a moment with none; the collection
     *         still ran)
     * @throws IllegalStateException if {@link #isEnabled()} is {@code false}
     */
    public static boolean compact() {
        checkEnabled();
        return compact0();
    }

    /**
     * Allocates an instance of {@code type} in the persistent heap. Its
     * fields are zero (null, false); no constructor runs. The class is
     * initialised first, as {@code new} would. The object is durable in
     * that state when this method returns, but reachable after a restart
     * only once it is linked from the root, a named object, or another
     * reachable persistent object.
     *
     * @param <T> the type of the object
     * @param type a class of the boot, platform or application class
     *             loader, not abstract, hidden, finalizable, a
     *             {@code java.lang.ref.Reference} or {@code Class}
     * @return the new persistent object
     * @throws IllegalArgumentException if the type cannot be persistent,
     *         with the reason
     * @throws OutOfMemoryError if the persistent heap is full (the message
     *         says "persistent heap")
     * @throws IllegalStateException if {@link #isEnabled()} is {@code false}
     */
    @ForceInline
    public static <T> T pnew(Class<T> type) {
        checkEnabled();
        Object obj = pnewFast0(type);
        if (obj == null) {
            obj = pnew0(type);
        }
        return type.cast(obj);
    }

    /**
     * Makes a persistent object by running ordinary Java code, typically a
     * constructor: {@code Pmem.pnew(() -> new Account("alice", 100))}.
     * {@code constructor} runs as a transaction (see {@link #txn(Runnable)}),
     * so every object it allocates, the result, its fields' objects,
     * arrays, Strings, boxes and collections' internals, is persistent;
     * volatile immutable values it stores (a String literal, a boxed value
     * made elsewhere) are replaced by persistent copies. The result and
     * everything it reaches are durable when this method returns, but
     * reachable after a restart only once linked from the root, a named
     * object, or another reachable persistent object. Inside a
     * transaction it joins that transaction.
     *
     * @param <T> the result type
     * @param constructor makes the object
     * @return the object {@code constructor} returned, persistent
     * @throws IllegalArgumentException if {@code constructor} returned
     *         {@code null} or a volatile object (one of a type that cannot
     *         be persistent, or one made before), or if the result reaches a
     *         volatile object that is not an immutable value; nothing of
     *         the transaction remains
     * @throws OutOfMemoryError if the persistent heap is full
     * @throws IllegalStateException if {@link #isEnabled()} is {@code false}
     */
    public static <T> T pnew(java.util.function.Supplier<T> constructor) {
        return txn(() -> {
            T obj = constructor.get();
            if (obj == null || !inPmem0(obj)) {
                throw new IllegalArgumentException("Pmem.pnew: the constructor returned "
                        + (obj == null ? "null" : "a volatile " + obj.getClass().getName())
                        + ", not an object it made (types that cannot be persistent stay volatile)");
            }
            publish0(obj);   // commit checks that it reaches no volatile object
            return obj;
        });
    }

    /**
     * Allocates an array in the persistent heap, with every element zero
     * (null, false). Any element type is allowed: primitives, and classes
     * of the boot, platform or application class loader.
     *
     * @param <A> the array type
     * @param arrayType the array class, e.g. {@code long[].class}
     * @param length the number of elements
     * @return the new persistent array
     * @throws IllegalArgumentException if {@code arrayType} is not an array
     *         class or its element type cannot be persistent
     * @throws NegativeArraySizeException if {@code length} is negative
     * @throws OutOfMemoryError if the persistent heap is full
     * @throws IllegalStateException if {@link #isEnabled()} is {@code false}
     */
    @ForceInline
    public static <A> A pmake(Class<A> arrayType, int length) {
        checkEnabled();
        Object array = pmakeFast0(arrayType, length);
        if (array == null) {
            array = pmake0(arrayType, length);
        }
        return arrayType.cast(array);
    }

    /**
     * Tells whether {@code obj} lives in the persistent heap.
     *
     * @param obj any object, or {@code null}
     * @return {@code false} for {@code null} and for volatile objects, and
     *         always when the persistent heap is not enabled
     */
    public static boolean inPmem(Object obj) {
        return ENABLED && inPmem0(obj);
    }

    /**
     * Runs {@code body} as one failure-atomic transaction.
     *
     * <p>Every store to persistent memory that {@code body} makes, in any
     * method it calls, is undo-logged; when {@code body} returns, all of
     * them become durable together, and only then does this method return.
     * A crash or power loss before that leaves none of them: the next JVM
     * on the file rolls the transaction back before the program sees the
     * heap. Objects allocated with {@link #pnew} and {@link #pmake} inside
     * are written back at commit as well.
     *
     * <p>If {@code body} throws, its persistent stores are undone, durably,
     * and the exception is rethrown. Transactions nest: an inner one becomes
     * durable with the outermost one, and an exception escaping an inner
     * body undoes just that body's stores. Volatile objects are never
     * rolled back.
     *
     * <p>A transaction gives atomicity, not isolation: share persistent
     * objects between threads under locks, as volatile ones, and hold each
     * lock until the transaction that stored under it has ended (take it
     * outside {@code txn}). A lock released inside a transaction lets
     * another thread build on stores that an abort or a crash then undoes.
     *
     * @param body the transaction's work
     * @throws TransactionTooLargeException if the transaction's undo log
     *         needs more room than the persistent heap has left (then nothing
     *         of it remains)
     * @throws IllegalStateException if {@link #isEnabled()} is {@code false}
     */
    @ForceInline
    public static void txn(Runnable body) {
        txn(() -> {
            body.run();
            return null;
        });
    }

    /**
     * Runs {@code body} as one failure-atomic transaction and returns its
     * result; in every other way as {@link #txn(Runnable)}.
     *
     * @param <T> the result type
     * @param body the transaction's work
     * @return what {@code body} returned, once its stores are durable
     * @throws IllegalStateException as {@link #txn(Runnable)}
     */
    @ForceInline
    public static <T> T txn(java.util.function.Supplier<T> body) {
        checkEnabled();
        final boolean missed = abortMissed;
        if (missed || !txnBeginFast0()) {
            txnBegin0(missed);
        }
        boolean done = false;
        try {
            T result = body.get();
            done = true;
            return result;
        } finally {
            if (done) {
                if (abortMissed || !txnCommitFast0()) {
                    txnCommit0(abortMissed);
                }
            } else {
                try {
                    txnAbort0(abortMissed);
                } catch (StackOverflowError e) {
                    // The abort never ran: its level is still open. From now on
                    // begin, commit and abort go through the natives, which undo
                    // the levels whose Pmem.txn frames are gone before their own.
                    abortMissed = true;
                    throw e;
                }
            }
        }
    }

    // Set once, when a StackOverflowError kept an abort from running.
    // Assigned here so that the catch above finds the field resolved: it runs
    // with the stack exhausted, where a resolution call would overflow again.
    private static volatile boolean abortMissed = false;

    /**
     * Tells how deeply the calling thread is nested in transactions.
     *
     * @return 0 outside any transaction, 1 in one, 2 in a nested one, ...
     */
    public static int txnDepth() {
        return ENABLED ? txnDepth0() : 0;
    }

    /**
     * Writes {@code obj} back to persistent memory and waits until it is
     * durable (go-pmem's {@code PersistRange} over the whole object). Stores
     * outside a transaction are already durable one by one; this is for
     * the rare object changed by other means.
     *
     * @param obj a persistent object, or {@code null} (does nothing)
     * @throws IllegalArgumentException if {@code obj} is not persistent
     * @throws IllegalStateException if {@link #isEnabled()} is {@code false}
     */
    public static void persist(Object obj) {
        checkEnabled();
        persist0(obj);
    }

    /**
     * Returns the root object: the entry point into the persistent heap
     * that {@link #setRoot} set in this run or an earlier one.
     *
     * @return the root, or {@code null} if none was set
     * @throws IllegalStateException if {@link #isEnabled()} is {@code false}
     */
    public static Object root() {
        checkEnabled();
        return root0();
    }

    /**
     * Makes {@code obj} the root object. Outside a transaction the change
     * is durable when this method returns, and a crash leaves the old root
     * or the new one; inside one it commits or rolls back with the
     * transaction, as do {@link #put} and {@link #remove}.
     *
     * @param obj a persistent object, or {@code null}
     * @throws IllegalArgumentException if {@code obj} is not persistent
     * @throws IllegalStateException if {@link #isEnabled()} is {@code false}
     */
    public static void setRoot(Object obj) {
        checkEnabled();
        setRoot0(obj);
    }

    /**
     * Returns the persistent object bound to {@code name}.
     *
     * @param <T> the type the caller expects
     * @param name a name of 1 to 111 bytes in UTF-8
     * @param type the type the caller expects
     * @return the object, or {@code null} if the name is not bound
     * @throws ClassCastException if the object is not of {@code type}
     * @throws IllegalArgumentException if the name is empty or too long
     * @throws IllegalStateException if {@link #isEnabled()} is {@code false}
     */
    public static <T> T get(String name, Class<T> type) {
        checkEnabled();
        if (!attached) {
            attach0(type.getClassLoader());   // the type's loader sees the classes the caller expects
            attached = true;
        }
        return type.cast(get0(name));
    }

    /**
     * Binds {@code name} to a persistent object, replacing any earlier
     * binding. The change is durable when this method returns; a crash
     * leaves the old binding or the new one.
     *
     * @param name a name of 1 to 111 bytes in UTF-8
     * @param obj a persistent object
     * @throws NullPointerException if {@code obj} is {@code null} (use
     *         {@link #remove})
     * @throws IllegalArgumentException if {@code obj} is not persistent, or
     *         the name is empty or too long
     * @throws IllegalStateException if the table of names is full, or
     *         {@link #isEnabled()} is {@code false}
     */
    public static void put(String name, Object obj) {
        checkEnabled();
        put0(name, obj);
    }

    /**
     * Unbinds {@code name}; durable when this method returns.
     *
     * @param name the name to unbind
     * @return {@code true} if the name was bound
     * @throws IllegalStateException if {@link #isEnabled()} is {@code false}
     */
    public static boolean remove(String name) {
        checkEnabled();
        return remove0(name);
    }

    /**
     * Returns the bound names, in no particular order.
     *
     * @return a new, unmodifiable set
     * @throws IllegalStateException if {@link #isEnabled()} is {@code false}
     */
    public static java.util.Set<String> names() {
        checkEnabled();
        return java.util.Set.of(names0());
    }

    /**
     * Attaches a file that waits for its classes' loader, resolving the
     * classes of loaders other than the boot, platform and application
     * ones through {@code loader}.
     *
     * <p>A file whose objects include instances of such classes (the
     * source launcher's, a {@code URLClassLoader}'s, a plugin's) cannot be
     * attached when the JVM starts: their loader exists only once the
     * program made it. The JVM then checks what it can (the file's header
     * and transaction logs) and leaves the rest until the program first
     * uses the persistent heap; until then it reads and writes none of its
     * objects, and a crash before that point leaves the file as it was.
     * The first call that needs the heap attaches it with the loader of the
     * class that called (for {@link #get}, the loader of the given type);
     * a program whose persistent classes that loader cannot see calls this
     * method first. All such classes of one file are found through one
     * loader: a loader that delegates to the others, if there are several.
     *
     * @param loader the loader that finds the classes
     * @return {@code true} if this call attached the file, {@code false}
     *         if it was attached already
     * @throws IllegalStateException if a class is not found or changed
     *         (the file is left as it was, and another loader may be tried),
     *         or {@link #isEnabled()} is {@code false}
     */
    public static boolean attach(ClassLoader loader) {
        checkEnabled();
        boolean did = attach0(java.util.Objects.requireNonNull(loader));
        attached = true;
        return did;
    }

    // Set once the file is known to be attached: get() then skips attach0.
    private static boolean attached;

    private static void checkEnabled() {
        if (!ENABLED) {
            throw new IllegalStateException(
                "no persistent heap: start the JVM with -XX:+UsePersistentHeap -XX:PmemFile=<path>");
        }
    }

    private static native boolean isEnabled0();
    private static native boolean attach0(ClassLoader loader);
    private static native String fileName0();
    private static native boolean isFirstRun0();
    private static native long capacityBytes0();
    private static native long usedBytes0();
    private static native boolean compact0();
    private static native void collect0();
    private static native String persistenceDomain0();
    private static native Object pnew0(Class<?> type);
    private static native Object pmake0(Class<?> arrayType, int length);
    private static native boolean inPmem0(Object obj);
    private static native void publish0(Object obj);
    private static native void persist0(Object obj);
    private static native Object root0();
    private static native void setRoot0(Object obj);
    private static native Object get0(String name);
    private static native void put0(String name, Object obj);
    private static native boolean remove0(String name);
    private static native String[] names0();
    private static native void txnBegin0(boolean reconcile);

    // The fast paths (pnew, pmake and txn are always inlined, so the class
    // is a constant wherever the caller names it). C1 and C2 compile
    // pnewFast0 and pmakeFast0 to a bump
    // of the thread's persistent allocation buffer when the class is a
    // constant already in the type table; C1 and C2 compile the txn pair
    // to leaf calls, with no JNI transition. Each returns null or false
    // when it cannot do the work (a new buffer is needed, every log slot is
    // taken, a large write-back), and the caller then takes the full native
    // path. Interpreted, pnewFast0 and pmakeFast0 always return null.
    @IntrinsicCandidate
    private static native Object pnewFast0(Class<?> type);
    @IntrinsicCandidate
    private static native Object pmakeFast0(Class<?> arrayType, int length);
    @IntrinsicCandidate
    private static native boolean txnBeginFast0();
    @IntrinsicCandidate
    private static native boolean txnCommitFast0();
    private static native void txnCommit0(boolean reconcile);
    private static native void txnAbort0(boolean reconcile);
    private static native int txnDepth0();
}
