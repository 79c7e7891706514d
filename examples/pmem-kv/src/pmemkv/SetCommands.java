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

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Set commands. A set is a {@link PDict} of kind SET: member -> null. */
final class SetCommands {
    private SetCommands() {}

    static void register(Server s) {
        s.add("SADD", -3, true, 1, 1, 1, c -> {
            PDict set = c.dict(1, PDict.SET);
            if (set == null) {
                set = PDict.create(PDict.SET);
                c.db.add(c.arg(1), set);
            }
            long n = 0;
            for (int i = 2; i < c.argc(); i++) {
                if (set.find(c.arg(i)) == null) {
                    set.add(c.arg(i), null);
                    n++;
                }
            }
            c.out.integer(n);
        });
        s.add("SREM", -3, true, 1, 1, 1, c -> {
            PDict set = c.dict(1, PDict.SET);
            long n = 0;
            if (set != null) {
                for (int i = 2; i < c.argc(); i++) {
                    n += set.remove(c.arg(i)) != null ? 1 : 0;
                }
                c.dropIfEmpty(set.size());
            }
            c.out.integer(n);
        });
        s.add("SMEMBERS", 2, false, 1, 1, 1, c -> {
            PDict set = c.dict(1, PDict.SET);
            List<byte[]> out = new ArrayList<>();
            if (set != null) {
                set.forEach(e -> out.add(e.key));
            }
            reply(c, out);
        });
        s.add("SISMEMBER", 3, false, 1, 1, 1, c -> {
            PDict set = c.dict(1, PDict.SET);
            c.out.integer(set != null && set.find(c.arg(2)) != null ? 1 : 0);
        });
        s.add("SMISMEMBER", -3, false, 1, 1, 1, c -> {
            PDict set = c.dict(1, PDict.SET);
            c.out.array(c.argc() - 2);
            for (int i = 2; i < c.argc(); i++) {
                c.out.integer(set != null && set.find(c.arg(i)) != null ? 1 : 0);
            }
        });
        s.add("SCARD", 2, false, 1, 1, 1, c -> {
            PDict set = c.dict(1, PDict.SET);
            c.out.integer(set == null ? 0 : set.size());
        });
        s.add("SINTER", -2, false, 1, -1, 1, SetCommands::inter);
        s.add("SUNION", -2, false, 1, -1, 1, c -> combine(c, false));
        s.add("SDIFF", -2, false, 1, -1, 1, c -> combine(c, true));
    }

    private static void reply(Ctx c, List<byte[]> members) {
        c.out.array(members.size());
        members.forEach(c.out::bulk);
    }

    private static List<PDict> sets(Ctx c) {
        List<PDict> sets = new ArrayList<>();
        for (int i = 1; i < c.argc(); i++) {
            sets.add(c.dict(i, PDict.SET));   // WRONGTYPE for any non-set, as Redis checks all keys
        }
        return sets;
    }

    private static void inter(Ctx c) {
        List<PDict> sets = sets(c);
        List<byte[]> out = new ArrayList<>();
        if (!sets.contains(null)) {
            sets.sort(Comparator.comparingLong(PDict::size));   // walk the smallest
            sets.get(0).forEach(e -> {
                for (int i = 1; i < sets.size(); i++) {
                    if (sets.get(i).find(e.key) == null) {
                        return;
                    }
                }
                out.add(e.key);
            });
        }
        reply(c, out);
    }

    private static void combine(Ctx c, boolean diff) {
        List<PDict> sets = sets(c);
        java.util.LinkedHashMap<java.nio.ByteBuffer, byte[]> acc = new java.util.LinkedHashMap<>();
        for (int i = 0; i < sets.size(); i++) {
            PDict set = sets.get(i);
            if (set == null) {
                continue;
            }
            if (!diff || i == 0) {
                set.forEach(e -> acc.put(java.nio.ByteBuffer.wrap(e.key), e.key));
            } else {
                set.forEach(e -> acc.remove(java.nio.ByteBuffer.wrap(e.key)));
            }
        }
        reply(c, new ArrayList<>(acc.values()));
    }
}
