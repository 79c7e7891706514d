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


#ifndef SHARE_GC_PMEM_C2_PMEMWRITEBACKC2_HPP
#define SHARE_GC_PMEM_C2_PMEMWRITEBACKC2_HPP

#include "memory/allStatic.hpp"

#include "utilities/sizes.hpp"

class C2Access;
class GraphKit;
class Node;
class TypeFunc;

// C2's primitive store to persistent memory outside a transaction: the
// store inline, then its line written back and fenced before the thread
// goes on (README.pmem.md, "Store semantics": each such store is durable
// on its own), with no runtime call. The write-back is two instructions (clwb or clflushopt,
// sfence), or a leaf call where write-backs are simulated or counted.
// A store into an object of the thread's own deferred buffer above its
// slot's mark skips it (PmemDeferred::store_waits): the object is not
// durable yet, and the raise that makes it so writes the store back. It
// pays a StoreLoad fence (a locked add) instead, against a raise by
// another thread.
//
// Merged write-backs. A putfield whose next effect is another putfield of
// a primitive into the same object, in the same basic block with only
// locals, constants and arithmetic that cannot throw between them, skips
// its write-back when the next store's bytes lie in the same cache line:
// that store's write-back takes the line, and both, back. Nothing can run
// between the two (no call, safepoint, branch or exception), and a line
// reaches memory whole, so no crash can leave the second store durable
// and the first lost: the states a crash can leave are those of per-store
// fences. Stores in different lines are each fenced in program order.
class PmemWritebackC2 : AllStatic {
public:
  // Can C2 write back with CacheWB and CacheWBPostSync nodes here
  // (PmemWriteback::by_instructions, and the matcher has the rules)?
  static bool by_instructions();
  // The type of the leaf calls that write back instead: (address, bytes).
  static const TypeFunc* leaf_Type();

  // A word of the current thread's PmemThreadLocalData.
  static Node* thread_word(GraphKit* kit, ByteSize offset);

  // In a transaction (the thread's PmemThreadLocalData::_in_txn): the
  // runtime logs; outside one, store_outside_txn.
  static Node* in_txn(GraphKit* kit);

  // After the inline store at adr_x (the address as a long; an aligned
  // store of at most 8 bytes, so it lies in one line).
  static void after_store_outside_txn(GraphKit* kit, C2Access& access, Node* adr_x);
};

#endif // SHARE_GC_PMEM_C2_PMEMWRITEBACKC2_HPP
