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

import jdk.internal.pmem.Pmem;

/** An entry of a {@link PDict}: a persistent key, its value and, in the keyspace, its expiry. */
final class PEntry {
    byte[] key;
    Object value;     // byte[] (string or hash field), PList, PDict (hash, set), PZSet;
                      // null in a set; the skiplist node (PZSet.Node) in a sorted set's dict
    PEntry next;      // the bucket's chain
    int hash;         // Bytes.hash(key), kept so a rehash reads no key
    long expireAt;    // keyspace only: Unix time in ms, 0 = no expiry
    byte enc;         // keyspace only, a string's encoding as Redis would report it (Encodings.RAW, FLOAT)

    static PEntry create(byte[] key, int hash, Object value) {
        PEntry e = Pmem.pnew(PEntry.class);
        e.key = key;
        e.hash = hash;
        e.value = value;
        return e;
    }
}
