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

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;

/**
 * A durable String -> byte[] map: 16-byte keys, 100-byte values, one put per
 * transaction or commit, then random gets. Not JMH: each store runs once
 * per JVM (a persistent heap or a database file is state), so
 * bench/run-map.sh starts one JVM per store and prints them side by side.
 *
 *   MapBench STORE DIR N      STORE: pmem (a java.util.HashMap in the
 *                             persistent heap; run on build/jdk with the
 *                             heap flags), hashmap (volatile, the get
 *                             baseline), mvstore, rocksdb, mapdb, chronicle
 *
 * Each put phase stops after N puts or PUT_SECONDS (property
 * map.putSeconds, 60); gets are 2 * N random lookups of inserted keys.
 * Prints "RESULT store puts put_ops_s get_ops_s".
 */
public final class MapBench {
    interface Store extends AutoCloseable {
        void put(String k, byte[] v) throws Exception;
        byte[] get(String k) throws Exception;
        @Override default void close() throws Exception {}
    }

    public static void main(String[] args) throws Exception {
        String kind = args[0];
        File dir = new File(args[1]);
        int n = Integer.parseInt(args[2]);
        double putSeconds = Double.parseDouble(System.getProperty("map.putSeconds", "60"));
        String[] keys = new String[n];
        for (int i = 0; i < n; i++) {
            keys[i] = String.format("k%015d", i);   // 16 bytes
        }
        byte[][] values = new byte[256][];
        Random rnd = new Random(42);
        for (int i = 0; i < values.length; i++) {
            values[i] = new byte[100];
            rnd.nextBytes(values[i]);
        }
        try (Store s = open(kind, dir, n)) {
            // Warm-up on keys of their own (at most a tenth of the put
            // phase's time: MapDB commits about 250 puts a second), then
            // the measured puts.
            long warmEnd = System.nanoTime() + (long) (putSeconds * 1e8);
            for (int i = 0; i < Math.min(20_000, n) && ((i & 63) != 0 || System.nanoTime() < warmEnd); i++) {
                s.put("w" + i, values[i & 255]);
            }
            long t0 = System.nanoTime();
            long deadline = t0 + (long) (putSeconds * 1e9);
            int puts = 0;
            while (puts < n && ((puts & 1023) != 0 || System.nanoTime() < deadline)) {
                s.put(keys[puts], values[puts & 255]);
                puts++;
            }
            double putSec = (System.nanoTime() - t0) / 1e9;
            int gets = 2 * n;
            long sum = 0;
            for (int i = 0; i < Math.min(gets, 200_000); i++) {   // warm-up
                sum += s.get(keys[rnd.nextInt(puts)]).length;
            }
            long t1 = System.nanoTime();
            for (int i = 0; i < gets; i++) {
                sum += s.get(keys[rnd.nextInt(puts)]).length;
            }
            double getSec = (System.nanoTime() - t1) / 1e9;
            if (sum != 100L * (gets + Math.min(gets, 200_000))) throw new IllegalStateException("lost values");
            System.out.printf("RESULT %s %d %.0f %.0f%n", kind, puts, puts / putSec, gets / getSec);
        }
    }

    static Store open(String kind, File dir, int n) throws Exception {
        dir.mkdirs();
        switch (kind) {
            case "pmem":
                return MapBenchPmem.open();
            case "hashmap": {
                Map<String, byte[]> m = new HashMap<>();
                return new Store() {
                    public void put(String k, byte[] v) { m.put(k, v.clone()); }
                    public byte[] get(String k) { return m.get(k); }
                };
            }
            case "mvstore": {
                // H2's MVStore, one commit per put (no autocommit).
                org.h2.mvstore.MVStore st = new org.h2.mvstore.MVStore.Builder()
                        .fileName(new File(dir, "map.mv").getPath()).autoCommitDisabled().open();
                org.h2.mvstore.MVMap<String, byte[]> m = st.openMap("map");
                return new Store() {
                    public void put(String k, byte[] v) { m.put(k, v); st.commit(); }
                    public byte[] get(String k) { return m.get(k); }
                    public void close() { st.close(); }
                };
            }
            case "rocksdb": {
                // RocksDB with its write-ahead log synced at every put.
                org.rocksdb.RocksDB.loadLibrary();
                org.rocksdb.Options o = new org.rocksdb.Options().setCreateIfMissing(true);
                org.rocksdb.RocksDB db = org.rocksdb.RocksDB.open(o, new File(dir, "rocks").getPath());
                org.rocksdb.WriteOptions w = new org.rocksdb.WriteOptions().setSync(true);
                return new Store() {
                    public void put(String k, byte[] v) throws Exception { db.put(w, k.getBytes(StandardCharsets.UTF_8), v); }
                    public byte[] get(String k) throws Exception { return db.get(k.getBytes(StandardCharsets.UTF_8)); }
                    public void close() { db.close(); o.close(); w.close(); }
                };
            }
            case "mapdb": {
                // MapDB with transactions (its write-ahead log), one commit per put.
                org.mapdb.DB db = org.mapdb.DBMaker.fileDB(new File(dir, "map.db")).transactionEnable()
                        .fileMmapEnableIfSupported().make();
                @SuppressWarnings("unchecked")
                Map<String, byte[]> m = (Map<String, byte[]>) db.hashMap("map", org.mapdb.Serializer.STRING,
                        org.mapdb.Serializer.BYTE_ARRAY).createOrOpen();
                return new Store() {
                    public void put(String k, byte[] v) { m.put(k, v); db.commit(); }
                    public byte[] get(String k) { return m.get(k); }
                    public void close() { db.close(); }
                };
            }
            case "chronicle": {
                // Chronicle Map persisted to a file (memory-mapped; a put is
                // not durable on its own, so this is an upper bound).
                net.openhft.chronicle.map.ChronicleMap<String, byte[]> m = net.openhft.chronicle.map.ChronicleMap
                        .of(String.class, byte[].class).entries(n + 30_000L).averageKeySize(16).averageValueSize(100)
                        .createPersistedTo(new File(dir, "chronicle.dat"));
                return new Store() {
                    public void put(String k, byte[] v) { m.put(k, v); }
                    public byte[] get(String k) { return m.get(k); }
                    public void close() { m.close(); }
                };
            }
            default:
                throw new IllegalArgumentException(kind);
        }
    }
}
