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


#ifndef SHARE_GC_PMEM_C2_PMEMINTRINSICSC2_HPP
#define SHARE_GC_PMEM_C2_PMEMINTRINSICSC2_HPP

#include "classfile/vmIntrinsics.hpp"
#include "memory/allStatic.hpp"

class LibraryCallKit;
class Node;

// C2's intrinsics for jdk.internal.pmem.Pmem's fast paths:
//  * pnewFast0(Class) and pmakeFast0(Class, int), for a class that is a
//    compile-time constant, persistable, initialised and in the type table:
//    a bump of the thread's persistent allocation buffer, the header's
//    stores (mark word, length, klass: the order the heap walker relies
//    on), and a write-back of the header's cache line with a fence. The
//    body is zero and durable already (the buffer's memory is made so
//    before it is handed out). null when the buffer has no room: the
//    caller then calls the native path, which refills it. No AllocateNode
//    is made, so escape analysis never sees, let alone scalar-replaces, a
//    persistent allocation, and stores into the result keep their barrier.
//  * txnBeginFast0() and txnCommitFast0(): leaf calls of PmemTxn's fast
//    paths, with no JNI transition or thread state change.
class PmemIntrinsicsC2 : AllStatic {
public:
  // The intrinsic's result, or NULL if it cannot be inlined here (the
  // call then stays a call of the native method).
  static Node* inline_intrinsic(LibraryCallKit* kit, vmIntrinsics::ID id);
};

#endif // SHARE_GC_PMEM_C2_PMEMINTRINSICSC2_HPP
