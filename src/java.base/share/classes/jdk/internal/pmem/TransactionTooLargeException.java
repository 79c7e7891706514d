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

package jdk.internal.pmem;

/**
 * Thrown by a store inside {@link Pmem#txn(Runnable)} when the transaction's
 * undo log needs more room than the persistent heap has free (log space is
 * taken from the heap as a transaction grows, and the file grows up to
 * {@code -XX:PmemMaxSize}). The transaction is then undone whole: nothing of
 * it remains. It extends {@link IllegalStateException}, which code written
 * before it existed catches.
 */
public class TransactionTooLargeException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    /**
     * Makes one with a message (the runtime gives the heap's free and total
     * space).
     *
     * @param message the detail message
     */
    public TransactionTooLargeException(String message) {
        super(message);
    }
}
