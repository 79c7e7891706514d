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

import jdk.internal.pmem.Pmem;

/**
 * A persistent map-like table for GC tests: n slots, each holding an entry
 * with its key, the round that wrote it and a value array of a size fixed
 * by the key, filled with the round. Replacing every entry once makes one
 * table's worth of garbage; the live size never changes.
 */
public final class ChurnTable {
    public static final class Entry {
        int key;
        int round;
        byte[] value;
    }

    public static final class Table {
        Entry[] slots;
        int rounds;   // completed rounds
    }

    private ChurnTable() {}

    static int valueLength(int key) {
        return 48 + (key * 37) % 160;
    }

    /** The table named name, created with n slots (round 0) if absent. */
    public static Table open(String name, int n) {
        Table t = Pmem.get(name, Table.class);
        if (t != null) {
            return t;
        }
        return Pmem.txn(() -> {
            Table nt = Pmem.pnew(Table.class);
            nt.slots = Pmem.pmake(Entry[].class, n);
            for (int i = 0; i < n; i++) {
                nt.slots[i] = entry(i, 0);
            }
            Pmem.put(name, nt);
            return nt;
        });
    }

    static Entry entry(int key, int round) {
        Entry e = Pmem.pnew(Entry.class);
        e.key = key;
        e.round = round;
        e.value = Pmem.pmake(byte[].class, valueLength(key));
        java.util.Arrays.fill(e.value, (byte) round);
        return e;
    }

    /** Replaces slot i with a new entry of round r, in one transaction. */
    public static void replace(Table t, int i, int r) {
        Pmem.txn(() -> {
            t.slots[i] = entry(i, r);
        });
    }

    /** One round: every slot from..to-1 replaced, then the round counted. */
    public static void round(Table t, int from, int to, int r) {
        for (int i = from; i < to; i++) {
            replace(t, i, r);
        }
    }

    /**
     * Checks every entry: right key, value of the right size, its bytes
     * all equal to its round, and its round one of the last two (a crash
     * may land between the rounds of two slots). Returns the lowest round.
     */
    public static int check(Table t) {
        int min = Integer.MAX_VALUE, max = Integer.MIN_VALUE;
        for (int i = 0; i < t.slots.length; i++) {
            Entry e = t.slots[i];
            if (e == null || e.key != i || e.value == null || e.value.length != valueLength(i)) {
                throw new RuntimeException("slot " + i + " broken: " + (e == null ? "null" : "key " + e.key));
            }
            for (byte b : e.value) {
                if (b != (byte) e.round) {
                    throw new RuntimeException("slot " + i + " round " + e.round + " has a byte " + b);
                }
            }
            min = Math.min(min, e.round);
            max = Math.max(max, e.round);
        }
        return min;
    }
}
