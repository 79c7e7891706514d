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

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The docstore command line (examples/docstore/bin/docstore runs it with
 * the persistent heap's flags). One command per run, or many with
 * {@code shell}, which reads commands from standard input and answers each
 * on one line of standard output (after the change is durable).
 */
public final class Main {
    static final String USAGE = String.join("\n",
        "usage: docstore COMMAND [ARGS]",
        "  insert COLL JSON         insert a document; prints its id",
        "  import COLL FILE [BATCH] insert one document per line of FILE, BATCH per transaction (1)",
        "  get COLL ID              print a document",
        "  find COLL FIELD VALUE    ids of documents whose FIELD (a.b.c) is VALUE (JSON, or text)",
        "  update COLL ID JSON      merge JSON's members into a document (null removes one)",
        "  delete COLL ID           delete a document",
        "  index COLL FIELD         index FIELD over the collection's documents",
        "  unindex COLL FIELD       drop an index",
        "  count COLL               number of documents",
        "  list                     collections with their counts and indexed fields",
        "  dump COLL                every document, as 'id JSON' lines",
        "  verify [COLL]            check that every index agrees with the documents",
        "  drop COLL                drop a collection",
        "  shell                    read commands from standard input, one per line");

    /** A command's error: printed as one line, exit status 1 (or "ERR ..." in the shell). */
    static final class Failure extends RuntimeException {
        Failure(String msg) {
            super(msg);
        }
    }

    public static void main(String[] args) throws IOException {
        if (args.length == 0 || args[0].equals("-h") || args[0].equals("--help")) {
            System.out.println(USAGE);
            return;
        }
        DocStore store = DocStore.open("docstore");
        if (args[0].equals("shell")) {
            shell(store);
            return;
        }
        try {
            run(store, args, System.out);
        } catch (Failure | IllegalArgumentException e) {
            System.err.println("docstore: " + e.getMessage());
            System.exit(1);
        }
    }

    static void shell(DocStore store) throws IOException {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
        for (String line; (line = in.readLine()) != null; ) {
            line = line.strip();
            if (line.isEmpty() || line.startsWith("#")) continue;
            if (line.equals("quit") || line.equals("exit")) break;
            String cmd = line.split(" ", 2)[0];
            try {
                run(store, split(line, arity(cmd)), out);
            } catch (Failure | IllegalArgumentException e) {
                out.println("ERR " + e.getMessage());
            }
            out.flush();
        }
        out.flush();
    }

    /** How many words a command line has: the last one takes the rest of the line. */
    static int arity(String cmd) {
        switch (cmd) {
            case "insert": case "get": case "delete": case "index": case "unindex": return 3;
            case "import": case "find": case "update": return 4;
            case "count": case "dump": case "verify": case "drop": return 2;
            default: return 1;
        }
    }

    static String[] split(String line, int n) {
        String[] w = line.split(" +", n);
        return w;
    }

    static void need(String[] a, int n) {
        if (a.length < n) throw new Failure("'" + a[0] + "' needs " + (n - 1) + " argument(s); see docstore --help");
    }

    static long id(String s) {
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            throw new Failure("not a document id: " + s);
        }
    }

    /** A query value: JSON if it parses as a scalar, else the text itself. */
    static Object value(String s) {
        try {
            Object v = Json.parse(s);
            if (!(v instanceof Map) && !(v instanceof List)) return v;
        } catch (IllegalArgumentException e) {
            // bare text
        }
        return s;
    }

    static void run(DocStore st, String[] a, PrintStream out) throws IOException {
        switch (a[0]) {
            case "insert":
                need(a, 3);
                out.println(st.insert(a[1], a[2]));
                break;
            case "import": {
                need(a, 3);
                int batch = a.length > 3 ? Integer.parseInt(a[3].strip()) : 1;
                long t0 = System.nanoTime(), n = 0;
                List<String> pending = new ArrayList<>();
                try (BufferedReader r = Files.newBufferedReader(Path.of(a[2].strip()), StandardCharsets.UTF_8)) {
                    for (String line; (line = r.readLine()) != null; ) {
                        if (line.isBlank()) continue;
                        pending.add(line);
                        if (pending.size() >= batch) {
                            st.insertAll(a[1], pending);
                            n += pending.size();
                            pending.clear();
                        }
                    }
                }
                if (!pending.isEmpty()) {
                    st.insertAll(a[1], pending);
                    n += pending.size();
                }
                double s = (System.nanoTime() - t0) / 1e9;
                out.printf("imported %d documents in %.2f s (%.0f/s)%n", n, s, n / s);
                break;
            }
            case "get": {
                need(a, 3);
                Map<String, Object> d = st.get(a[1], id(a[2]));
                if (d == null) throw new Failure("no document " + a[2] + " in " + a[1]);
                out.println(Json.write(d));
                break;
            }
            case "find":
                need(a, 4);
                out.println(st.find(a[1], a[2], value(a[3])));
                break;
            case "update":
                need(a, 4);
                if (!st.update(a[1], id(a[2]), a[3])) throw new Failure("no document " + a[2] + " in " + a[1]);
                out.println("OK");
                break;
            case "delete":
                need(a, 3);
                if (!st.delete(a[1], id(a[2]))) throw new Failure("no document " + a[2] + " in " + a[1]);
                out.println("OK");
                break;
            case "index":
                need(a, 3);
                out.println(st.createIndex(a[1], a[2]) ? "OK" : "OK (already indexed)");
                break;
            case "unindex":
                need(a, 3);
                if (!st.dropIndex(a[1], a[2])) throw new Failure("no index on " + a[2] + " in " + a[1]);
                out.println("OK");
                break;
            case "count":
                need(a, 2);
                out.println(st.count(a[1]));
                break;
            case "list":
                for (String c : st.collections()) {
                    out.println(c + " " + st.count(c) + " " + st.indexes(c));
                }
                break;
            case "dump":
                need(a, 2);
                for (String line : st.dump(a[1])) out.println(line);
                break;
            case "verify": {
                List<String> colls = a.length > 1 ? List.of(a[1]) : st.collections();
                List<String> problems = new ArrayList<>();
                for (String c : colls) problems.addAll(st.verify(c));
                if (!problems.isEmpty()) throw new Failure(String.join("; ", problems));
                out.println("OK " + colls.size() + " collection(s)");
                break;
            }
            case "drop":
                need(a, 2);
                if (!st.drop(a[1])) throw new Failure("no collection " + a[1]);
                out.println("OK");
                break;
            default:
                throw new Failure("unknown command '" + a[0] + "'; commands: " +
                                  Arrays.toString(new String[] {"insert", "import", "get", "find", "update",
                                      "delete", "index", "unindex", "count", "list", "dump", "verify", "drop", "shell"}));
        }
    }
}
