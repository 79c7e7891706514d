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


package pmemkv;

import java.util.function.Consumer;

import jdk.internal.pmem.Pmem;

/**
 * A persistent list of byte strings (a Redis list): a circular array of
 * persistent {@code byte[]} values that doubles when full and halves when a
 * quarter full.
 *
 * <p>Every object here is persistent. Methods that change the list must run
 * inside a {@code Pmem.txn} opened by the caller, who also holds the lock
 * that guards the list. A store into an array allocated before the current
 * transaction is undo-logged (a cache line at a time) and a transaction's
 * log is bounded, so changes that would move many elements of an existing
 * array (growing, shrinking, LREM, a long LTRIM, a far LINSERT, a long
 * multi-value push) build a new array instead, whose stores are not
 * logged, and swap it in. The default 256K log holds about 3300 cache
 * lines, some 52000 neighbouring slots: a command that pops many elements
 * should read them with {@link #range} and drop them with {@link #trim}
 * rather than call {@link #pop} in a loop, and a multi-value push should
 * use {@link #pushAll}.
 *
 * <p>Indexes passed in are already normalized by the caller: 0 is the head,
 * {@code size() - 1} the tail, ranges are inclusive.
 */
final class PList {
    private static final int MIN_CAPACITY = 8;          // a power of two
    /** More elements than this in one push or one in-place shift build a new array. */
    private static final int MAX_IN_PLACE = 4096;       // 256 cache lines of references

    byte[][] items;     // circular; capacity a power of two; unused slots null
    int head;           // slot of element 0
    int size;

    static PList create() {
        PList l = Pmem.pnew(PList.class);
        l.items = Pmem.pmake(byte[][].class, MIN_CAPACITY);
        return l;
    }

    long size() {
        return size;
    }

    private int slot(long index) {
        return (int) ((head + index) & (items.length - 1));
    }

    /** Adds {@code value} (persistent) at the head or the tail. In a txn. */
    void push(byte[] value, boolean left) {
        if (size == items.length) {
            resize(items.length * 2);
        }
        if (left) {
            head = (head - 1) & (items.length - 1);
            items[head] = value;
        } else {
            items[slot(size)] = value;
        }
        size++;
    }

    /**
     * Adds {@code values} (persistent) one after the other at the head or
     * the tail, as LPUSH/RPUSH with several arguments do: with
     * {@code left} the last value ends up first. In a txn.
     */
    void pushAll(byte[][] values, boolean left) {
        int n = values.length;
        if (n <= MAX_IN_PLACE) {
            for (byte[] v : values) {
                push(v, left);
            }
            return;
        }
        if ((long) size + n > Integer.MAX_VALUE / 2) {
            throw new IllegalStateException("list too long");
        }
        byte[][] a = Pmem.pmake(byte[][].class, capacityFor(size + n));
        int at = 0;
        if (left) {
            for (int i = n - 1; i >= 0; i--) {
                a[at++] = values[i];
            }
        }
        copyTo(a, at);
        at += size;
        if (!left) {
            System.arraycopy(values, 0, a, at, n);
        }
        items = a;
        head = 0;
        size += n;
    }

    /** Removes and returns the head or the tail; null if the list is empty. In a txn. */
    byte[] pop(boolean left) {
        if (size == 0) {
            return null;
        }
        byte[] v;
        if (left) {
            v = items[head];
            items[head] = null;
            head = (head + 1) & (items.length - 1);
        } else {
            int s = slot(size - 1);
            v = items[s];
            items[s] = null;
        }
        size--;
        if (items.length > MIN_CAPACITY && size <= items.length / 4) {
            resize(items.length / 2);
        }
        return v;
    }

    byte[] get(long index) {
        return items[slot(index)];
    }

    /** Replaces element {@code index} with {@code value} (persistent). In a txn. */
    void set(long index, byte[] value) {
        items[slot(index)] = value;
    }

    /**
     * LREM: removes elements equal to {@code value}: the first {@code count}
     * from the head if {@code count > 0}, the first {@code -count} from the
     * tail if {@code count < 0}, all if 0. Returns how many were removed.
     * When any is, the survivors move to a new array. In a txn.
     */
    long remove(byte[] value, long count) {
        long limit = count == 0 ? Long.MAX_VALUE : Math.abs(count);
        java.util.BitSet gone = null;
        int removed = 0;
        if (count >= 0) {
            for (int i = 0; i < size && removed < limit; i++) {
                if (Bytes.equal(items[slot(i)], value)) {
                    (gone == null ? gone = new java.util.BitSet(size) : gone).set(i);
                    removed++;
                }
            }
        } else {
            for (int i = size - 1; i >= 0 && removed < limit; i--) {
                if (Bytes.equal(items[slot(i)], value)) {
                    (gone == null ? gone = new java.util.BitSet(size) : gone).set(i);
                    removed++;
                }
            }
        }
        if (removed == 0) {
            return 0;
        }
        int n = size - removed;
        byte[][] a = Pmem.pmake(byte[][].class, capacityFor(n));
        int at = 0;
        for (int i = 0; i < size; i++) {
            if (!gone.get(i)) {
                a[at++] = items[slot(i)];
            }
        }
        items = a;
        head = 0;
        size = n;
        return removed;
    }

    /**
     * LTRIM: keeps elements {@code start..stop} (normalized, inclusive) and
     * drops the rest; {@code start > stop} empties the list. Drops a few
     * elements at the ends in place, else moves the kept ones to a new
     * array. LPOP/RPOP with a count are a {@link #range} and a trim. In a txn.
     */
    void trim(long start, long stop) {
        int n = start > stop ? 0 : (int) (stop - start + 1);
        if (n == size) {
            return;
        }
        int first = n == 0 ? 0 : (int) start;
        if (size - n <= MAX_IN_PLACE) {
            int mask = items.length - 1;
            for (int i = 0; i < first; i++) {
                items[(head + i) & mask] = null;
            }
            for (int i = first + n; i < size; i++) {
                items[(head + i) & mask] = null;
            }
            head = (head + first) & mask;
            size = n;
            if (items.length > MIN_CAPACITY && size <= items.length / 4) {
                resize(capacityFor(size));
            }
            return;
        }
        byte[][] a = Pmem.pmake(byte[][].class, capacityFor(n));
        for (int i = 0; i < n; i++) {
            a[i] = items[slot(first + i)];
        }
        items = a;
        head = 0;
        size = n;
    }

    /** The index of the first element equal to {@code value}, or -1. */
    long indexOf(byte[] value) {
        for (int i = 0; i < size; i++) {
            if (Bytes.equal(items[slot(i)], value)) {
                return i;
            }
        }
        return -1;
    }

    /**
     * Inserts {@code value} (persistent) so that it becomes element
     * {@code index}, {@code 0 <= index <= size()} (LINSERT: before the pivot
     * at {@code i} is {@code insert(i, v)}, after it {@code insert(i + 1, v)}).
     * Shifts the shorter side in place when it is short, else builds a new
     * array. In a txn.
     */
    void insert(long index, byte[] value) {
        int at = (int) index;
        if (at == 0) {
            push(value, true);
            return;
        }
        if (at == size) {
            push(value, false);
            return;
        }
        int before = at, after = size - at;
        if (size < items.length && Math.min(before, after) <= MAX_IN_PLACE) {
            int mask = items.length - 1;
            if (before <= after) {   // move elements 0..at-1 one slot toward the front
                head = (head - 1) & mask;
                for (int i = 0; i < at; i++) {
                    items[(head + i) & mask] = items[(head + i + 1) & mask];
                }
            } else {                 // move elements at..size-1 one slot toward the back
                for (int i = size; i > at; i--) {
                    items[(head + i) & mask] = items[(head + i - 1) & mask];
                }
            }
            items[(head + at) & mask] = value;
            size++;
            return;
        }
        byte[][] a = Pmem.pmake(byte[][].class, capacityFor(size + 1));
        for (int i = 0; i < at; i++) {
            a[i] = items[slot(i)];
        }
        a[at] = value;
        for (int i = at; i < size; i++) {
            a[i + 1] = items[slot(i)];
        }
        items = a;
        head = 0;
        size++;
    }

    /** Calls {@code action} on elements {@code start..stop} (normalized, inclusive), head to tail. */
    void range(long start, long stop, Consumer<byte[]> action) {
        for (long i = start; i <= stop; i++) {
            action.accept(items[slot(i)]);
        }
    }

    /** The smallest capacity (a power of two, at least MIN_CAPACITY) with room for n elements and one more. */
    private static int capacityFor(int n) {
        int c = Integer.highestOneBit(Math.max(n, 1)) * 2;
        return Math.max(MIN_CAPACITY, c);
    }

    private void resize(int capacity) {
        byte[][] a = Pmem.pmake(byte[][].class, capacity);
        copyTo(a, 0);
        items = a;
        head = 0;
    }

    /** Copies the elements, in order, into {@code a} from {@code at}. */
    private void copyTo(byte[][] a, int at) {
        int first = Math.min(size, items.length - head);
        System.arraycopy(items, head, a, at, first);
        System.arraycopy(items, 0, a, at + first, size - first);
    }
}
