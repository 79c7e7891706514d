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

/** The persistent root of pmem-kv's dataset, bound to the name {@value Db#ROOT_NAME}. */
final class KvRoot {
    PDict[] keys;      // the keyspace, one table per shard
    PDict[] expires;   // per shard: the keys that have an expiry (key -> its keyspace entry)
    long createdMs;    // when the dataset was created
    int format;        // Db.FORMAT
}
