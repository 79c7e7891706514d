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
package docstore;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

import jdk.internal.pmem.Pmem;

/**
 * A JSON document store whose data are plain {@code java.util} collections
 * in pmem-jdk's persistent heap: collections of documents, insert, find by
 * field (through an index or a scan), update, delete, and an index per
 * field. The only persistence-specific code is the named root in
 * {@link #open} and {@code Pmem.txn} around each change: a change is all or
 * nothing, durable when its method returns, and the store is simply there
 * again after an exit, a kill or a power cut. No file format, no
 * serialization, no recovery code, no load at startup.
 *
 * <p>A document is a JSON object held as the values {@link Json} makes
 * ({@code LinkedHashMap}, {@code ArrayList}, {@code String}, {@code Long},
 * {@code Double}, {@code Boolean}). An index maps each scalar value of a
 * field (each element, for an array) to the ids of the documents that have
 * it. Numbers compare by value: 2 and 2.0 are the same key. Methods are
 * synchronized: one change at a time, reads see committed state.
 */
public final class DocStore {
    /** Everything the store keeps, bound to a name in the persistent heap. */
    static final class Root {
        final HashMap<String, Coll> colls = new HashMap<>();
    }

    /** One collection. */
    static final class Coll {
        long nextId = 1;
        final TreeMap<Long, Map<String, Object>> docs = new TreeMap<>();
        /** field -> value -> ids of the documents with that value */
        final HashMap<String, HashMap<Object, TreeSet<Long>>> indexes = new HashMap<>();
    }

    private final Root root;

    private DocStore(Root root) {
        this.root = root;
    }

    /** The store bound to {@code name} in the persistent heap, made on first use. */
    public static DocStore open(String name) {
        Root r = Pmem.get(name, Root.class);
        if (r == null) {
            r = Pmem.pnew(Root::new);   // the constructor runs; its HashMap is persistent too
            Pmem.put(name, r);
        }
        return new DocStore(r);
    }

    // --- changes: each one transaction ------------------------------------

    /** Inserts a document given as JSON text; returns its id. */
    public synchronized long insert(String coll, String json) {
        // Parsed inside the transaction, so the document's maps, lists and
        // strings are made in the persistent heap.
        return Pmem.txn(() -> add(coll, Json.parseObject(json)));
    }

    /** Inserts documents, all in one transaction; returns the first id. */
    public synchronized long insertAll(String coll, List<String> jsons) {
        return Pmem.txn(() -> {
            long first = -1;
            for (String j : jsons) {
                long id = add(coll, Json.parseObject(j));
                if (first < 0) first = id;
            }
            return first;
        });
    }

    private long add(String coll, Map<String, Object> doc) {
        Coll c = root.colls.computeIfAbsent(coll, k -> new Coll());
        long id = c.nextId++;
        c.docs.put(id, doc);
        for (Map.Entry<String, HashMap<Object, TreeSet<Long>>> e : c.indexes.entrySet()) {
            indexAdd(e.getValue(), id, path(doc, e.getKey()));
        }
        return id;
    }

    /**
     * Merges the members of a JSON object into document {@code id}: each
     * replaces the document's member of that name, and a null removes it.
     * Returns false if there is no such document.
     */
    public synchronized boolean update(String coll, long id, String json) {
        return Pmem.txn(() -> {
            Coll c = root.colls.get(coll);
            Map<String, Object> doc = c == null ? null : c.docs.get(id);
            if (doc == null) {
                return false;
            }
            Map<String, Object> patch = Json.parseObject(json);
            unindex(c, id, doc);
            for (Map.Entry<String, Object> e : patch.entrySet()) {
                if (e.getValue() == null) doc.remove(e.getKey());
                else doc.put(e.getKey(), e.getValue());
            }
            reindex(c, id, doc);
            return true;
        });
    }

    /** Deletes document {@code id}; false if there is none. */
    public synchronized boolean delete(String coll, long id) {
        return Pmem.txn(() -> {
            Coll c = root.colls.get(coll);
            Map<String, Object> doc = c == null ? null : c.docs.remove(id);
            if (doc == null) {
                return false;
            }
            unindex(c, id, doc);
            return true;
        });
    }

    /** Indexes {@code field} of every document (one transaction); false if it was indexed. */
    public synchronized boolean createIndex(String coll, String field) {
        return Pmem.txn(() -> {
            Coll c = root.colls.computeIfAbsent(coll, k -> new Coll());
            if (c.indexes.containsKey(field)) {
                return false;
            }
            HashMap<Object, TreeSet<Long>> idx = new HashMap<>();
            for (Map.Entry<Long, Map<String, Object>> e : c.docs.entrySet()) {
                indexAdd(idx, e.getKey(), path(e.getValue(), field));
            }
            c.indexes.put(field, idx);
            return true;
        });
    }

    public synchronized boolean dropIndex(String coll, String field) {
        return Pmem.txn(() -> {
            Coll c = root.colls.get(coll);
            return c != null && c.indexes.remove(field) != null;
        });
    }

    /** Drops a collection, its documents and indexes; false if there was none. */
    public synchronized boolean drop(String coll) {
        return Pmem.txn(() -> root.colls.remove(coll) != null);
    }

    // --- reads ---------------------------------------------------------------

    /** Document {@code id} (a read-only view), or null. */
    public synchronized Map<String, Object> get(String coll, long id) {
        Coll c = root.colls.get(coll);
        Map<String, Object> doc = c == null ? null : c.docs.get(id);
        return doc == null ? null : Collections.unmodifiableMap(doc);
    }

    /**
     * Ids of the documents whose {@code field} (a dotted path, such as
     * {@code address.city}) equals {@code value} or, for an array, holds it;
     * in id order. Uses the field's index if there is one, else scans.
     */
    public synchronized List<Long> find(String coll, String field, Object value) {
        Coll c = root.colls.get(coll);
        if (c == null) {
            return List.of();
        }
        HashMap<Object, TreeSet<Long>> idx = c.indexes.get(field);
        if (idx != null) {
            TreeSet<Long> ids = idx.get(key(value));
            return ids == null ? List.of() : new ArrayList<>(ids);
        }
        List<Long> out = new ArrayList<>();
        Object want = key(value);
        for (Map.Entry<Long, Map<String, Object>> e : c.docs.entrySet()) {
            if (keysOf(path(e.getValue(), field)).contains(want)) {
                out.add(e.getKey());
            }
        }
        return out;
    }

    public synchronized int count(String coll) {
        Coll c = root.colls.get(coll);
        return c == null ? 0 : c.docs.size();
    }

    public synchronized List<String> collections() {
        return new ArrayList<>(new TreeMap<>(root.colls).keySet());
    }

    public synchronized List<String> indexes(String coll) {
        Coll c = root.colls.get(coll);
        return c == null ? List.of() : new ArrayList<>(new TreeMap<>(c.indexes).keySet());
    }

    /** Every document of a collection as "id JSON" lines, in id order. */
    public synchronized List<String> dump(String coll) {
        Coll c = root.colls.get(coll);
        List<String> out = new ArrayList<>();
        if (c != null) {
            for (Map.Entry<Long, Map<String, Object>> e : c.docs.entrySet()) {
                out.add(e.getKey() + " " + Json.write(e.getValue()));
            }
        }
        return out;
    }

    /**
     * Checks a collection: every index equals one rebuilt from the
     * documents, and every id is below nextId. Returns the problems found.
     */
    public synchronized List<String> verify(String coll) {
        List<String> problems = new ArrayList<>();
        Coll c = root.colls.get(coll);
        if (c == null) {
            return problems;
        }
        if (!c.docs.isEmpty() && c.docs.lastKey() >= c.nextId) {
            problems.add(coll + ": id " + c.docs.lastKey() + " is not below the next id " + c.nextId);
        }
        for (Map.Entry<String, HashMap<Object, TreeSet<Long>>> e : c.indexes.entrySet()) {
            HashMap<Object, TreeSet<Long>> rebuilt = new HashMap<>();
            for (Map.Entry<Long, Map<String, Object>> d : c.docs.entrySet()) {
                indexAdd(rebuilt, d.getKey(), path(d.getValue(), e.getKey()));
            }
            if (!rebuilt.equals(e.getValue())) {
                problems.add(coll + ": index " + e.getKey() + " has " + e.getValue().size()
                             + " values, the documents " + rebuilt.size());
            }
        }
        return problems;
    }

    // --- indexes ---------------------------------------------------------------

    private static void unindex(Coll c, long id, Map<String, Object> doc) {
        for (Map.Entry<String, HashMap<Object, TreeSet<Long>>> e : c.indexes.entrySet()) {
            for (Object k : keysOf(path(doc, e.getKey()))) {
                TreeSet<Long> ids = e.getValue().get(k);
                if (ids != null && ids.remove(id) && ids.isEmpty()) {
                    e.getValue().remove(k);
                }
            }
        }
    }

    private static void reindex(Coll c, long id, Map<String, Object> doc) {
        for (Map.Entry<String, HashMap<Object, TreeSet<Long>>> e : c.indexes.entrySet()) {
            indexAdd(e.getValue(), id, path(doc, e.getKey()));
        }
    }

    private static void indexAdd(HashMap<Object, TreeSet<Long>> idx, long id, Object value) {
        for (Object k : keysOf(value)) {
            idx.computeIfAbsent(k, x -> new TreeSet<>()).add(id);
        }
    }

    /** The index keys of a field's value: itself if scalar, its scalar elements if an array. */
    private static List<Object> keysOf(Object v) {
        if (v == null || v instanceof Map) {
            return List.of();
        }
        if (v instanceof List) {
            List<Object> out = new ArrayList<>();
            for (Object x : (List<?>) v) {
                if (x != null && !(x instanceof Map) && !(x instanceof List)) out.add(key(x));
            }
            return out;
        }
        return List.of(key(v));
    }

    /** Numbers by value: an integral Double is the Long of the same value. */
    static Object key(Object v) {
        if (v instanceof Double) {
            double d = (Double) v;
            if (d == Math.rint(d) && Math.abs(d) < 0x1p62) return (long) d;
        } else if (v instanceof Integer || v instanceof Short || v instanceof Byte) {
            return ((Number) v).longValue();
        }
        return v;
    }

    /** The value at a dotted path, or null. */
    static Object path(Map<String, Object> doc, String field) {
        Object v = doc;
        int from = 0;
        while (true) {
            if (!(v instanceof Map)) {
                return null;
            }
            int dot = field.indexOf('.', from);
            String name = dot < 0 ? field.substring(from) : field.substring(from, dot);
            v = ((Map<?, ?>) v).get(name);
            if (dot < 0) {
                return v;
            }
            from = dot + 1;
        }
    }

    @Override
    public String toString() {
        return "DocStore" + collections();
    }
}
