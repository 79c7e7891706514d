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
import java.util.List;

/**
 * A command of the table: its arity as Redis counts it (the name included;
 * negative = at least), whether it writes (then it runs as one transaction),
 * and where its keys are (first, last (negative: from the end), step), so
 * the server can lock their shards before it runs. A negative first is a
 * count of keys: it is at argument -first and the keys follow it (LMPOP,
 * ZMPOP, and their blocking forms).
 */
record Cmd(String name, int arity, boolean write, int firstKey, int lastKey, int step, Handler handler) {

    interface Handler {
        void run(Ctx c);
    }

    /** The keys of a request, by the table's key positions. */
    List<byte[]> keys(byte[][] argv) {
        List<byte[]> keys = new ArrayList<>();
        if (firstKey < 0) {
            int at = -firstKey;
            long n;
            try {
                n = at < argv.length ? Bytes.parseLong(argv[at]) : 0;
            } catch (NumberFormatException e) {
                n = 0;   // the command refuses it
            }
            for (int i = at + 1; i <= at + n && i < argv.length; i++) {
                keys.add(argv[i]);
            }
            return keys;
        }
        if (firstKey == 0) {
            return keys;
        }
        int last = lastKey < 0 ? argv.length + lastKey : lastKey;
        for (int i = firstKey; i <= last && i < argv.length; i += step) {
            keys.add(argv[i]);
        }
        return keys;
    }

    boolean arityOk(int argc) {
        return arity >= 0 ? argc == arity : argc >= -arity;
    }
}
