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

package jpmem;

import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * jpmem: looks into a pmem-jdk heap file without a JVM attaching it, and
 * never writes it.
 *
 *   jpmem info FILE            header, layout, areas, use, state, open transactions
 *   jpmem check FILE           every header, type, reference, name and free chunk;
 *                              exit 0 if sound, 1 with each problem (offset, class)
 *   jpmem histo FILE           objects and bytes per class (all, and reachable ones)
 *   jpmem roots FILE           the root and the named objects, with their classes
 *   jpmem print FILE WHAT      one object's fields; WHAT is a name, "root", or
 *                              @OFFSET, followed by /field or /index steps:
 *                              orders/table/3
 *   jpmem dump FILE OUT [--all]  an HPROF heap dump of the objects reachable
 *                              from the roots (--all: every object of the used
 *                              part) for Eclipse MAT, VisualVM, ...
 *
 * A bad file gives a one-line error and exit 1, never a stack trace.
 */
public final class Main {
    private final HeapFile f;
    private final PrintStream out;
    private int problems;

    private Main(HeapFile f, PrintStream out) {
        this.f = f;
        this.out = out;
    }

    static final String USAGE = String.join("\n",
            "usage: jpmem info FILE | check FILE | histo FILE | roots FILE | print FILE NAME[/FIELD|/INDEX]...",
            "             | dump FILE OUT.hprof [--all]",
            "  info   the file's header, layout, areas, space in use, state and open transactions",
            "  check  every header, type, reference, name and free chunk; exit status 0 if sound, 1 if not",
            "  histo  objects and bytes per class, in all of the used part and reachable from the roots",
            "  roots  the root object and the named objects, with their classes and offsets",
            "  print  one object's fields: NAME is a named object, root, or @OFFSET (objects-area offset)",
            "  dump   an HPROF heap dump (Eclipse MAT, VisualVM) of the objects reachable from the roots,",
            "         or with --all of every object in the used part; OUT must not exist",
            "jpmem reads the file only; run it while no JVM has the file open.");

    public static void main(String[] args) {
        if (args.length == 1 && (args[0].equals("-h") || args[0].equals("--help") || args[0].equals("help"))) {
            System.out.println(USAGE);
            return;
        }
        boolean dumpArgs = args.length >= 1 && args[0].equals("dump")
                && (args.length == 3 || (args.length == 4 && args[3].equals("--all")));
        if (args.length < 2 || (args[0].equals("dump") ? !dumpArgs
                : args[0].equals("print") ? args.length != 3 : args.length != 2)) {
            System.err.println(USAGE);
            System.exit(2);
        }
        int rc;
        try (HeapFile f = HeapFile.open(args[1])) {
            Main m = new Main(f, System.out);
            rc = switch (args[0]) {
                case "info" -> m.info();
                case "check" -> m.check();
                case "histo" -> m.histo();
                case "roots" -> m.roots();
                case "print" -> m.print(args[2]);
                case "dump" -> m.dump(args[2], args.length == 4);
                default -> {
                    System.err.println("jpmem: unknown command " + args[0] + "\n" + USAGE);
                    yield 2;
                }
            };
        } catch (HeapFile.Bad e) {
            System.err.println("jpmem: " + e.getMessage());
            rc = 1;
        } catch (IOException | RuntimeException e) {
            System.err.println("jpmem: " + args[1] + ": " + e);   // one line, whatever went wrong
            rc = 1;
        }
        System.exit(rc);
    }

    // --- info ----------------------------------------------------------------

    private int info() throws HeapFile.Bad {
        Map<String, Long> st = f.state;
        out.printf("file            %s (%d bytes)%n", f.path, f.fileLength);
        out.printf("format          pmem-jdk heap, version %d, uuid %s%n", f.version, f.uuid);
        out.printf("layout          %s references, %s class pointers, %d-byte alignment%n",
                f.compressedOops ? "compressed (4-byte)" : "wide (8-byte)",
                f.compressedClassPointers ? "compressed" : "wide", f.alignment);
        out.printf("areas           type table %dK at %d, roots %dK at %d, %d undo log slots (%dK) at %d, objects at %d%n",
                f.typesSize / 1024, f.typesOff, f.rootsSize / 1024, f.rootsOff, f.logSlots, f.logSize / 1024, f.logOff,
                f.objectsOff);
        long[] free = new long[3];   // bytes, chunks, largest
        long[] objects = new long[2];
        boolean[] complete = {true};
        f.walk(new HeapFile.Visitor() {
            public long object(long o, HeapFile.Type t) {
                long size = t == null ? -1 : f.sizeOf(o, t);
                if (size <= 0) {
                    complete[0] = false;
                    return -1;
                }
                objects[0]++;
                objects[1] += size;
                return size;
            }

            public void free(long o, long bytes) {
                free[0] += bytes;
                free[1]++;
                free[2] = Math.max(free[2], bytes);
            }
        });
        out.printf("capacity        %dK of objects area (%s)%n", f.objectsSize / 1024,
                st.get("objects_size") != 0 ? "grown" : "as created");
        out.printf("used            %dK handed out (top), %dK never used%n", f.top / 1024, (f.objectsSize - f.top) / 1024);
        out.printf("objects         %d objects, %dK%s%n", objects[0], objects[1] / 1024,
                complete[0] ? "" : " (the walk stopped early; jpmem check tells why)");
        out.printf("free chunks     %d, %dK, the largest %dK%n", free[1], free[0] / 1024, free[2] / 1024);
        long marks = st.get("marks_offset");
        out.printf("saved marks     %s%n", marks == 0 ? "none: the next run's first collection is full"
                : st.get("marks_top") == f.top && st.get("clean_shutdown") != 0
                ? String.format("in the free chunk at offset %d: the next run's first collection may be incremental",
                                marks - 1)
                : "stale (ignored by the next run)");
        out.printf("types           %d%n", f.types.size());
        out.printf("named objects   %d%s%n", f.names().size(), st.get("root_offset") != 0 ? ", and a root" : "");
        out.printf("last mapped at  0x%x (%s)%n", st.get("heap_address"), f.compressedOops
                ? String.format("narrow oop base 0x%x, shift %d", st.get("narrow_oop_base"), st.get("narrow_oop_shift"))
                : "references are addresses");
        out.printf("runs            %d JVMs attached it; the last one %s%n", st.get("run_count"),
                st.get("clean_shutdown") != 0 ? "exited normally" : "did not exit normally (a crash, or still running)");
        int open = f.openTransactions();
        out.printf("transactions    %s%n", open == 0 ? "none open"
                : open + " unfinished: the next start rolls them back");
        long deferredBytes = 0;
        for (long[] d : f.deferredSlots()) deferredBytes += d[1] - d[2];
        out.printf("deferred        %s%n", f.deferredSlots().isEmpty() ? "no allocation buffer"
                : f.deferredSlots().size() + " allocation buffer(s): " + deferredBytes / 1024
                  + "K of objects never linked, which the next start frees");
        String work = st.get("reloc_phase") != 0 ? "a relocation" : st.get("migr_phase") != 0 ? "a class migration"
                : st.get("compact_phase") != 0 ? "a compaction" : st.get("swizzle_phase") != 0 ? "a header rewrite" : null;
        out.printf("unfinished work %s%n", work == null ? "none" : work + ": the next start finishes it");
        return 0;
    }

    // --- check ---------------------------------------------------------------

    private void problem(String what) {
        problems++;
        if (problems <= 50) {
            out.println("PROBLEM " + what);
        }
    }

    private int check() throws HeapFile.Bad {
        // An interrupted compaction has references and root slots in an intermediate placement
        // (PmemCompact), and the objects half moved: the next start finishes it. Nothing here reads
        // that placement, so the check stops at what does not depend on it (header, areas, type
        // table, names table), rather than report its values as damage.
        if (f.state.get("compact_phase") != 0) {
            f.names();
            int open = f.openTransactions();
            out.printf("checked %s: header, areas, type table and names table only: a compaction was interrupted "
                    + "(phase %d), and its references are in an intermediate placement until the next start "
                    + "finishes it%s%n", f.path, f.state.get("compact_phase"),
                    open > 0 ? "; " + open + " unfinished transaction(s), which the next start rolls back" : "");
            out.println("no problem found");
            return 0;
        }
        // 1. The used part, linearly: every object of a known type, inside it; free chunks inside it.
        BitSet starts = new BitSet((int) Math.min(Integer.MAX_VALUE, f.top / 8 + 1));
        long[] seen = new long[4];   // objects walked, references checked, outside the file, into fresh ranges
        long[] walkedTo = {f.top};
        f.walk(new HeapFile.Visitor() {
            public long object(long o, HeapFile.Type t) {
                if (t == null) {
                    problem(String.format("object at offset %d: its type (header words 0x%016x 0x%016x) is not in the "
                            + "type table; the walk of the used part stops here", o, f.word(o), f.word(o + 8)));
                    walkedTo[0] = o;
                    return -1;
                }
                long size = f.sizeOf(o, t);
                if (size < 0) {
                    out.printf("NOTE the walk of the used part stops at offset %d: the layout of %s was recorded cut "
                            + "short and this JVM does not have the class (jpmem --class-path)%n", o, t.external());
                    walkedTo[0] = o;
                    return -1;
                }
                if (o + size > f.top) {
                    problem(String.format("%s at offset %d: its %d bytes reach past the used part (%d)", t.external(), o,
                            size, f.top));
                    walkedTo[0] = o;
                    return -1;
                }
                starts.set((int) (o / 8));
                seen[0]++;
                return size;
            }

            public void free(long o, long bytes) {
                if (o + bytes > f.top) {
                    problem(String.format("free chunk at offset %d: its %d bytes reach past the used part", o, bytes));
                }
            }
        });
        // 2. What the roots reach: every reference names an object start of a known type (as the JVM's
        //    -XX:+VerifyPersistentHeap, garbage aside, which may name freed space).
        BitSet marked = new BitSet();
        ArrayDeque<long[]> stack = new ArrayDeque<>();   // {object, the field that named it (-1: a root)}
        boolean cleanExit = f.state.get("clean_shutdown") != 0;
        long[] reachable = {0};
        java.util.function.BiConsumer<String, Long> root = (what, v) -> {
            if (v == 0) return;
            long o = v - 1;
            if (o >= f.top || o % 8 != 0 || f.typeAt(o) == null || (o < walkedTo[0] && !starts.get((int) (o / 8)))) {
                problem(what + " names offset " + o + ", where no object starts");
            } else {
                stack.push(new long[] {o, -1});
            }
        };
        root.accept("the root", f.state.get("root_offset"));
        root.accept("the enum registry", f.enumRegistry());
        for (Map.Entry<String, Long> e : f.names().entrySet()) {
            root.accept("named object '" + e.getKey() + "'", e.getValue());
        }
        while (!stack.isEmpty()) {
            long o = stack.pop()[0];
            if (marked.get((int) (o / 8))) continue;
            marked.set((int) (o / 8));
            reachable[0]++;
            HeapFile.Type t = f.typeAt(o);
            if (f.sizeOf(o, t) < 0) {
                out.printf("NOTE %s at offset %d: its fields past the recorded layout are not checked%n", t.external(), o);
            }
            f.forEachReference(o, t, (field, fd) -> {
                long target = f.referenceAt(field);
                seen[1]++;
                if (target == -2 && cleanExit && !runOwned(t, fd)) {
                    problem(String.format("reference at offset %d (in a %s at %d) names no object of the file, after "
                            + "an orderly exit", field, t.external(), o));
                } else if (target == -2) {
                    seen[2]++;
                } else if (target >= 0 && f.isDeferred(target)) {
                    problem(String.format("reference at offset %d (in a %s at %d) names offset %d, in a deferred "
                            + "allocation buffer's part that was never written back (the next start frees it)",
                            field, t.external(), o, target));
                } else if (target >= 0 && f.freshRangeOf(target) >= 0) {
                    seen[3]++;   // an unfinished transaction's store: the next start undoes it
                } else if (target >= 0 && !marked.get((int) (target / 8))) {
                    if (target % 8 != 0 || f.typeAt(target) == null
                            || (target < walkedTo[0] && !starts.get((int) (target / 8)))) {
                        problem(String.format("reference at offset %d (in a %s at %d) names offset %d, where no object "
                                + "starts", field, t.external(), o, target));
                    } else {
                        stack.push(new long[] {target, field});
                    }
                }
            });
        }
        int open = f.openTransactions();
        out.printf("checked %s: %d objects in the used part%s, %d reachable, %d references%s%s%n", f.path, seen[0],
                walkedTo[0] < f.top ? " (walked up to offset " + walkedTo[0] + ")" : "", reachable[0], seen[1],
                (seen[2] > 0 ? ", " + seen[2] + " of them to the last run's volatile objects (enum constants' and cache "
                        + "fields)" : "")
                + (seen[3] > 0 ? ", " + seen[3] + " into objects of unfinished transactions (stores the next start undoes)"
                        : ""),
                open > 0 ? "; " + open + " unfinished transaction(s), which the next start rolls back" : "");
        if (problems > 50) {
            out.println("... and " + (problems - 50) + " more problems");
        }
        out.println(problems == 0 ? "no problem found" : problems + " problem(s) found");
        return problems == 0 ? 0 : 1;
    }

    /**
     * Whether a reference field may name an object of the last run's
     * volatile heap even after an orderly exit: an enum constant's fields
     * (they belong to the run), EnumMap.keyType and EnumSet.elementType.
     * (Transient cache fields are set to null at an orderly exit, so after
     * one any other such reference is damage; after a crash it may be a
     * cache field.)
     */
    private static boolean runOwned(HeapFile.Type t, HeapFile.Field fd) {
        List<HeapFile.Field> fs = t.fields;
        boolean enumConstant = fs.size() >= 2 && fs.get(0).name().equals("name") && fs.get(0).sig().equals("Ljava/lang/String;")
                && fs.get(1).name().equals("ordinal") && fs.get(1).sig().equals("I");
        return enumConstant || fd != null && ((fd.name().equals("keyType") && t.name.equals("java/util/EnumMap"))
                || (fd.name().equals("elementType") && t.name.contains("EnumSet")));
    }

    // --- histo ---------------------------------------------------------------

    private int histo() throws HeapFile.Bad {
        for (HeapFile.Type t : f.types) {
            t.count = 0;
            t.bytes = 0;
        }
        long[] total = new long[2];
        String[] stop = {null};
        f.walk((o, t) -> {
            long size = t == null ? -1 : f.sizeOf(o, t);
            if (size <= 0) {
                stop[0] = t == null ? "an object of a type outside the type table at offset " + o
                        : "an object of " + t.external() + " at offset " + o + ", whose recorded layout was cut short";
                return -1;
            }
            t.count++;
            t.bytes += size;
            total[0]++;
            total[1] += size;
            return size;
        });
        long[][] live = reachable();
        out.printf(" %5s %12s %14s %12s %14s  %s%n", "num", "#instances", "#bytes", "#reachable", "#bytes", "class name");
        List<HeapFile.Type> sorted = new ArrayList<>(f.types);
        sorted.sort(Comparator.comparingLong((HeapFile.Type t) -> -t.bytes).thenComparing(t -> t.name));
        int i = 0;
        for (HeapFile.Type t : sorted) {
            if (t.count == 0 && live[0][t.index] == 0) continue;
            out.printf(" %5d %12d %14d %12d %14d  %s%n", ++i, t.count, t.bytes, live[0][t.index], live[1][t.index],
                    t.external());
        }
        long lc = 0, lb = 0;
        for (int k = 0; k < f.types.size(); k++) {
            lc += live[0][k];
            lb += live[1][k];
        }
        out.printf(" %5s %12d %14d %12d %14d%n", "Total", total[0], total[1], lc, lb);
        if (stop[0] != null) {
            out.println("(the walk of the used part stopped at " + stop[0] + ")");
        }
        return 0;
    }

    /** Objects and bytes per type reachable from the root, the enum registry and the names. */
    private long[][] reachable() throws HeapFile.Bad {
        long[][] per = new long[2][f.types.size()];
        f.markReachable((t, o) -> {
            per[0][t.index]++;
            per[1][t.index] += Math.max(f.sizeOf(o, t), 0);
        });
        return per;
    }

    // --- roots ---------------------------------------------------------------

    private int roots() throws HeapFile.Bad {
        describeRoot("root", f.state.get("root_offset"));
        for (Map.Entry<String, Long> e : f.names().entrySet()) {
            describeRoot("'" + e.getKey() + "'", e.getValue());
        }
        if (f.enumRegistry() != 0) {
            describeRoot("(enum registry)", f.enumRegistry());
        }
        return 0;
    }

    private void describeRoot(String name, long v) {
        if (v == 0) {
            out.printf("%-24s null%n", name);
            return;
        }
        long o = v - 1;
        HeapFile.Type t = o < f.top ? f.typeAt(o) : null;
        out.printf("%-24s %s @%d%n", name, t == null ? "(no object there)" : t.external(), o);
    }

    // --- dump ----------------------------------------------------------------

    private int dump(String to, boolean all) throws IOException, HeapFile.Bad {
        long t0 = System.nanoTime();
        Hprof h = Hprof.dump(f, java.nio.file.Path.of(to), all);
        out.printf("Dumped %d %sobjects (%dK) of %s to %s in %d ms%n", h.objects, all ? "" : "reachable ",
                h.bytes / 1024, f.path, to, (System.nanoTime() - t0) / 1_000_000);
        if (h.truncatedArrays > 0) {
            out.printf("%d array(s) over 2 GB were cut short: an HPROF record holds at most 4 GB%n", h.truncatedArrays);
        }
        return 0;
    }

    // --- print ---------------------------------------------------------------

    private int print(String what) throws HeapFile.Bad {
        String[] steps = what.split("/");
        long o;
        if (steps[0].startsWith("@")) {
            o = Long.parseLong(steps[0].substring(1));
        } else if (steps[0].equals("root")) {
            o = f.state.get("root_offset") - 1;
        } else {
            Long v = f.names().get(steps[0]);
            if (v == null) {
                System.err.println("jpmem: no object is named '" + steps[0] + "' in " + f.path);
                return 1;
            }
            o = v - 1;
        }
        for (int i = 1; i < steps.length; i++) {
            HeapFile.Type t = o >= 0 && o < f.top ? f.typeAt(o) : null;
            if (t == null) {
                System.err.println("jpmem: " + String.join("/", java.util.Arrays.copyOf(steps, i)) + " is no object");
                return 1;
            }
            long field = -1;
            if (t.isArray()) {
                try {
                    long idx = Long.parseLong(steps[i]);
                    if (idx >= 0 && idx < f.lengthOf(o)) field = o + f.arrayBase() + idx * f.refSize();
                } catch (NumberFormatException ignored) {
                    // no such element
                }
            } else {
                for (HeapFile.Field fd : t.fields) {
                    if (fd.name().equals(steps[i]) && fd.isReference()) field = o + fd.offset();
                }
            }
            if (field < 0 || (t.isArray() && "LZBCSIJFD".indexOf(t.name.charAt(1)) > 0)) {
                System.err.println("jpmem: " + t.external() + " has no reference " + (t.isArray() ? "element " : "field ")
                        + steps[i]);
                return 1;
            }
            o = f.referenceAt(field);
        }
        if (o < 0) {
            out.println(what + " = null");
            return 0;
        }
        HeapFile.Type t = o < f.top ? f.typeAt(o) : null;
        if (t == null) {
            System.err.println("jpmem: no object starts at offset " + o);
            return 1;
        }
        long size = f.sizeOf(o, t);
        out.printf("%s @%d: %s, %s bytes, header 0x%016x%n", what, o, t.external(), size < 0 ? "?" : size, f.word(o));
        if (t.isArray()) {
            long n = f.lengthOf(o);
            char e = t.name.charAt(1);
            int es = HeapFile.elementSize(t.name, f.refSize());
            out.printf("  length %d%n", n);
            for (long i = 0; i < Math.min(n, 100); i++) {
                out.printf("  [%d] %s%n", i, value(o + f.arrayBase() + i * es, String.valueOf(e)));
            }
            if (n > 100) out.printf("  ... %d more%n", n - 100);
        } else {
            for (HeapFile.Field fd : t.fields) {
                out.printf("  +%-4d %s %s = %s%n", fd.offset(), typeName(fd.sig()), fd.name(), value(o + fd.offset(), fd.sig()));
            }
            if (t.cutShort && !t.fromClass) out.println("  ... (more fields: the recorded layout was cut short)");
        }
        return 0;
    }

    private static String typeName(String sig) {
        return switch (sig.charAt(0)) {
            case 'Z' -> "boolean"; case 'B' -> "byte"; case 'C' -> "char"; case 'S' -> "short"; case 'I' -> "int";
            case 'J' -> "long"; case 'F' -> "float"; case 'D' -> "double";
            case 'L' -> sig.substring(1, sig.length() - 1).replace('/', '.');
            default -> sig;
        };
    }

    private String value(long at, String sig) {
        long a = f.objectsOff + at;
        return switch (sig.charAt(0)) {
            case 'Z' -> Boolean.toString(f.u8(a) != 0);
            case 'B' -> Byte.toString((byte) f.u8(a));
            case 'C' -> "'" + (char) f.u16(a) + "'";
            case 'S' -> Short.toString((short) f.u16(a));
            case 'I' -> Integer.toString(f.i32(a));
            case 'J' -> Long.toString(f.u64(a));
            case 'F' -> Float.toString(Float.intBitsToFloat(f.i32(a)));
            case 'D' -> Double.toString(Double.longBitsToDouble(f.u64(a)));
            default -> {
                long target = f.referenceAt(at);
                if (target == -1) yield "null";
                if (target == -2) yield "(an object outside the file: a cache field of the last run)";
                HeapFile.Type t = f.typeAt(target);
                String s = (t == null ? "?" : t.external()) + " @" + target;
                if (t != null && t.name.equals("java/lang/String")) s += " " + stringValue(target, t);
                yield s;
            }
        };
    }

    /** A String's text, from its value byte[] and coder (Latin-1 or UTF-16). */
    private String stringValue(long o, HeapFile.Type t) {
        long value = -1;
        int coder = 0;
        for (HeapFile.Field fd : t.fields) {
            if (fd.name().equals("value")) value = f.referenceAt(o + fd.offset());
            if (fd.name().equals("coder")) coder = f.u8(f.objectsOff + o + fd.offset());
        }
        if (value < 0) return "";
        long n = f.lengthOf(value);
        byte[] b = f.bytes(f.objectsOff + value + f.arrayBase(), (int) Math.min(n, 200));
        String s = coder == 0 ? new String(b, java.nio.charset.StandardCharsets.ISO_8859_1)
                              : new String(b, java.nio.charset.StandardCharsets.UTF_16LE);
        return "\"" + s + (n > 200 ? "...\"" : "\"");
    }
}
