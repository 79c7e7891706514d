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

import java.util.HashMap;

import jdk.internal.pmem.Pmem;

/**
 * MapBench's pmem-jdk store: a plain java.util.HashMap in the persistent
 * heap, one put per transaction, durable when Pmem.txn returns. The key is
 * a String made outside the transaction (stored as a persistent copy); the
 * value array is copied inside it, as a program must for a mutable array
 * it got from elsewhere. (Its own class, so that MapBench loads on a stock
 * JDK, which has no jdk.internal.pmem.)
 */
final class MapBenchPmem {
    static MapBench.Store open() {
        @SuppressWarnings("unchecked")
        HashMap<String, byte[]> found = (HashMap<String, byte[]>) Pmem.get("map", HashMap.class);
        HashMap<String, byte[]> m = found != null ? found : Pmem.pnew(() -> new HashMap<String, byte[]>());
        if (found == null) {
            Pmem.put("map", m);
        }
        return new MapBench.Store() {
            public void put(String k, byte[] v) { Pmem.txn(() -> m.put(k, v.clone())); }
            public byte[] get(String k) { return m.get(k); }
        };
    }
}
