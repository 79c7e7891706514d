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


#ifndef SHARE_GC_PMEM_PMEMINLINEALLOC_HPP
#define SHARE_GC_PMEM_PMEMINLINEALLOC_HPP

#include "memory/allocation.hpp"
#include "utilities/globalDefinitions.hpp"

class ciInstance;
class ciKlass;
class Klass;

// What C1 and C2 need to compile pnewFast0/pmakeFast0 to a bump of the
// thread's persistent allocation buffer (PmemThreadLocalData top/end):
//   pad    = (((top & 63) + 8) >> 6) << 3   (a header never crosses a line)
//   obj    = top + pad; new top = obj + size; new top >u end: the native path
//   stores: top, mark word, array length, narrow klass (the walker's order)
//   nothing more when a fresh range of the transaction's log or, outside
//   one, the thread's deferred buffer covers the object (PmemDeferred:
//   written back when it becomes reachable); else the allocated() leaf
// The body is zero and durable already: a buffer's memory is made so
// before it is handed out. Inside a transaction commit writes the new
// objects back (they lie above the buffer top the txn began with).
class PmemInlineAlloc : public StackObj {
public:
  Klass* klass;        // the class, or the array class
  bool   is_array;
  int    size;         // instance size in bytes (instances)
  int    header;       // array header in bytes (arrays)
  int    log2_elem;    // log2 of the element size (arrays)
  jint   max_len;      // longer arrays take a chunk of their own: native path

  // The class a constant mirror names, if loaded and not primitive.
  static ciKlass* class_of_mirror(ciInstance* mirror);

  // Fills this in and returns true if compiled code may allocate instances
  // (is_array false) or arrays (true) of k inline: the native path would
  // allocate them (the type may be persistent), the type table holds k
  // already (as it does once the native path made one), an instance class
  // is initialized and has no slow-path layout, and the header is the
  // 12-byte one with a constant mark word.
  bool plan(ciKlass* k, bool want_array);

  // Leaf: writes the new object back, unless a fresh range of the open
  // transaction's log covers it (PmemTxn::covers, which logs one for the
  // buffer) or, outside a transaction, the thread's deferred buffer does
  // (PmemDeferred::covers, which claims a slot for the buffer's rest), and
  // passes the "allocated" fault point. Compiled code calls it when
  // neither is in place yet.
  static void allocated(void* obj, jlong bytes);
};

#endif // SHARE_GC_PMEM_PMEMINLINEALLOC_HPP
