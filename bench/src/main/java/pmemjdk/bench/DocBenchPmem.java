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

import docstore.DocStore;

/**
 * DocBench's pmem-jdk store: examples/docstore itself, its collection
 * "docs" indexed on "city". (Its own class, so that DocBench loads on a
 * stock JDK, which has no jdk.internal.pmem.)
 */
final class DocBenchPmem {
    static DocBench.Store open() {
        DocStore ds = DocStore.open("bench");
        ds.createIndex("docs", "city");   // false when a restart finds it
        return new DocBench.Store() {
            public void insert(String json, String city) { ds.insert("docs", json); }
            public int find(String city) { return ds.find("docs", "city", city).size(); }
            public int count() { return ds.count("docs"); }
        };
    }
}
