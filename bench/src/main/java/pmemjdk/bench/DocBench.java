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

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;

import docstore.Json;

/**
 * examples/docstore against what a Java developer would write instead
 * (issue 21 item 7), one JVM per store and phase (bench/run-docstore.sh):
 *
 *   DocBench STORE DIR N load      N inserts (one durable change each, with
 *                                  an index on "city"; stops after
 *                                  doc.insertSeconds, 60), then 100,000
 *                                  finds by city. Prints
 *                                  "RESULT store docs inserts_s finds_s"
 *   DocBench STORE DIR N restart   opens what load left and answers one
 *                                  find. Prints "RESTART store docs ms
 *                                  ms_open" (from the JVM's start; open only).
 *                                  run-docstore.sh restarts twice: pmem-jdk's
 *                                  first start after the load run may walk
 *                                  the heap (its classes load in another
 *                                  order than in the loading program)
 *
 * STORE: pmem (docstore.DocStore on build/jdk), jsonlog (the same documents
 * in java.util maps, each insert appended to a JSON-lines file and forced
 * to it; a restart reads and parses the file), jsonfile (TinyDB's way: the
 * whole collection rewritten as one JSON file per insert), h2 (H2 2.2.224
 * embedded, a table with the document text and an indexed city column,
 * autocommit). Documents are about 150 bytes of JSON, 1000 cities.
 */
public final class DocBench {
    interface Store extends AutoCloseable {
        void insert(String json, String city) throws Exception;
        int find(String city) throws Exception;   // the ids of the documents that have it, as a list; its size
        int count() throws Exception;
        @Override default void close() throws Exception {}
    }

    static String doc(int i, Random r) {
        return "{\"name\":\"user" + i + "\",\"age\":" + (18 + r.nextInt(60)) + ",\"city\":\"city-" + r.nextInt(1000)
               + "\",\"email\":\"user" + i + "@example.com\",\"tags\":[\"t" + r.nextInt(10) + "\",\"t"
               + r.nextInt(10) + "\"],\"score\":" + r.nextInt(1000) / 10.0 + "}";
    }

    static String cityOf(String json) {
        int a = json.indexOf("\"city\":\"") + 8;
        return json.substring(a, json.indexOf('"', a));
    }

    public static void main(String[] args) throws Exception {
        String kind = args[0];
        File dir = new File(args[1]);
        int n = Integer.parseInt(args[2]);
        String phase = args[3];
        dir.mkdirs();
        if (phase.equals("restart")) {
            long start = ProcessHandle.current().info().startInstant().orElseThrow().toEpochMilli();
            long t0 = System.nanoTime();
            try (Store s = open(kind, dir, false)) {
                int hits = s.find("city-1");
                long now = System.currentTimeMillis();
                double openMs = (System.nanoTime() - t0) / 1e6;
                if (hits < 0) throw new IllegalStateException();
                System.out.printf("RESTART %s %d %d %.1f%n", kind, s.count(), now - start, openMs);
            }
            return;
        }
        double seconds = Double.parseDouble(System.getProperty("doc.insertSeconds", "60"));
        Random r = new Random(42);
        try (Store s = open(kind, dir, true)) {
            for (int i = 0; i < 2000; i++) {   // warm-up, in another collection or table where possible
                String d = doc(-i, r);
                if (i < 200 || !kind.equals("jsonfile")) s.insert(d, cityOf(d));
            }
            int before = s.count();
            long t0 = System.nanoTime(), deadline = t0 + (long) (seconds * 1e9);
            int done = 0;
            while (done < n && ((done & 63) != 0 || System.nanoTime() < deadline)) {
                String d = doc(done, r);
                s.insert(d, cityOf(d));
                done++;
            }
            double insSec = (System.nanoTime() - t0) / 1e9;
            if (s.count() != before + done) throw new IllegalStateException("lost documents");
            int finds = 100_000;
            long hits = 0;
            for (int i = 0; i < 10_000; i++) hits += s.find("city-" + r.nextInt(1000));
            long t1 = System.nanoTime();
            for (int i = 0; i < finds; i++) hits += s.find("city-" + r.nextInt(1000));
            double findSec = (System.nanoTime() - t1) / 1e9;
            if (hits <= 0) throw new IllegalStateException("found nothing");
            System.out.printf("RESULT %s %d %.0f %.0f%n", kind, s.count(), done / insSec, finds / findSec);
        }
    }

    static Store open(String kind, File dir, boolean fresh) throws Exception {
        switch (kind) {
            case "pmem": return DocBenchPmem.open();
            case "jsonlog": return new JsonLog(new File(dir, "docs.jsonl").toPath());
            case "jsonfile": return new JsonFile(new File(dir, "docs.json").toPath());
            case "h2": return h2(dir, fresh);
            default: throw new IllegalArgumentException(kind);
        }
    }

    /** Documents in java.util maps with an index, as DocStore keeps them, but volatile. */
    static class InMemory {
        final TreeMap<Long, Map<String, Object>> docs = new TreeMap<>();
        final HashMap<Object, TreeSet<Long>> byCity = new HashMap<>();
        long nextId = 1;

        long add(String json) {
            Map<String, Object> d = Json.parseObject(json);
            long id = nextId++;
            docs.put(id, d);
            byCity.computeIfAbsent(d.get("city"), k -> new TreeSet<>()).add(id);
            return id;
        }

        public int find(String city) {   // the ids as a new list, as DocStore.find and H2's rows give them
            TreeSet<Long> ids = byCity.get(city);
            return ids == null ? 0 : new ArrayList<>(ids).size();
        }
    }

    /** Appends each document as a line and forces the file: durable per insert. */
    static final class JsonLog extends InMemory implements Store {
        final FileChannel ch;

        JsonLog(Path f) throws IOException {
            if (Files.exists(f)) {
                try (BufferedReader r = Files.newBufferedReader(f, StandardCharsets.UTF_8)) {
                    for (String line; (line = r.readLine()) != null; ) add(line);
                }
            }
            ch = FileChannel.open(f, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        }

        public void insert(String json, String city) throws IOException {
            add(json);
            ch.write(ByteBuffer.wrap((json + "\n").getBytes(StandardCharsets.UTF_8)));
            ch.force(false);
        }

        public int count() { return docs.size(); }
        public void close() throws IOException { ch.close(); }
    }

    /** TinyDB's way: the whole collection, one JSON document, rewritten at each insert. */
    static final class JsonFile extends InMemory implements Store {
        final Path f;

        @SuppressWarnings("unchecked")
        JsonFile(Path f) throws IOException {
            this.f = f;
            if (Files.exists(f)) {
                Map<String, Object> all = Json.parseObject(Files.readString(f));
                for (Map.Entry<String, Object> e : all.entrySet()) {
                    long id = Long.parseLong(e.getKey());
                    Map<String, Object> d = (Map<String, Object>) e.getValue();
                    docs.put(id, d);
                    byCity.computeIfAbsent(d.get("city"), k -> new TreeSet<>()).add(id);
                    nextId = Math.max(nextId, id + 1);
                }
            }
        }

        public void insert(String json, String city) throws IOException {
            add(json);
            StringBuilder b = new StringBuilder("{");
            for (Map.Entry<Long, Map<String, Object>> e : docs.entrySet()) {
                if (b.length() > 1) b.append(',');
                b.append('"').append(e.getKey()).append("\":");
                Json.write(b, e.getValue());
            }
            b.append('}');
            Path tmp = f.resolveSibling(f.getFileName() + ".tmp");
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                                                   StandardOpenOption.TRUNCATE_EXISTING)) {
                ch.write(ByteBuffer.wrap(b.toString().getBytes(StandardCharsets.UTF_8)));
                ch.force(false);
            }
            Files.move(tmp, f, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        }

        public int count() { return docs.size(); }
    }

    static Store h2(File dir, boolean fresh) throws Exception {
        Connection c = DriverManager.getConnection("jdbc:h2:" + new File(dir, "docs").getAbsolutePath());
        if (fresh) {
            try (Statement s = c.createStatement()) {
                s.execute("CREATE TABLE IF NOT EXISTS docs(id BIGINT AUTO_INCREMENT PRIMARY KEY, city VARCHAR(32), body VARCHAR(1000))");
                s.execute("CREATE INDEX IF NOT EXISTS docs_city ON docs(city)");
            }
        }
        PreparedStatement ins = c.prepareStatement("INSERT INTO docs(city, body) VALUES (?, ?)");
        PreparedStatement find = c.prepareStatement("SELECT id FROM docs WHERE city = ? ORDER BY id");
        PreparedStatement count = c.prepareStatement("SELECT COUNT(*) FROM docs");
        return new Store() {
            public void insert(String json, String city) throws Exception {
                Json.parseObject(json);   // what the others do: a document is checked JSON
                ins.setString(1, city);
                ins.setString(2, json);
                ins.executeUpdate();       // autocommit
            }
            public int find(String city) throws Exception {
                find.setString(1, city);
                int k = 0;
                try (ResultSet rs = find.executeQuery()) {
                    while (rs.next()) k++;
                }
                return k;
            }
            public int count() throws Exception {
                try (ResultSet rs = count.executeQuery()) {
                    rs.next();
                    return rs.getInt(1);
                }
            }
            public void close() throws Exception { c.close(); }
        };
    }
}
