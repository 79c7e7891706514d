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

/**
 * A command's error reply (WRONGTYPE, ERR ...). Thrown inside a command's
 * transaction it rolls back whatever the command changed, so a command is
 * all or nothing even when it fails half way.
 */
final class KvError extends RuntimeException {
    static final KvError WRONGTYPE = new KvError("WRONGTYPE Operation against a key holding the wrong kind of value");
    static final KvError NOT_INTEGER = new KvError("ERR value is not an integer or out of range");
    static final KvError NOT_FLOAT = new KvError("ERR value is not a valid float");
    static final KvError SYNTAX = new KvError("ERR syntax error");
    static final KvError NO_SUCH_KEY = new KvError("ERR no such key");
    static final KvError OVERFLOW = new KvError("ERR increment or decrement would overflow");

    KvError(String msg) {
        super(msg, null, false, false);   // no stack trace: errors are replies, not bugs
    }
}
