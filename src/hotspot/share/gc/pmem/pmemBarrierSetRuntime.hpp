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

#ifndef SHARE_GC_PMEM_PMEMBARRIERSETRUNTIME_HPP
#define SHARE_GC_PMEM_PMEMBARRIERSETRUNTIME_HPP

#include "memory/allStatic.hpp"
#include "oops/oopsHierarchy.hpp"
#include "utilities/globalDefinitions.hpp"

class JavaThread;

// The VM side of C2's slow-path calls (as ZGC's ZBarrierSetRuntime): C2
// calls these through the stubs PmemBarrierSetC2::generate_stubs makes, in
// Java thread state, only for addresses in the persistent heap. Persistent
// objects never move, so the raw addresses stay valid across a safepoint.
class PmemBarrierSetRuntime : AllStatic {
public:
  // The kind word the calls pass: access size in bytes, whether it is a
  // reference, and for atomics the operation.
  enum {
    kind_size_mask  = 0xff,
    kind_ref        = 0x100,
    kind_op_shift   = 12,
    op_cmpxchg_bool = 1,
    op_cmpxchg_val  = 2,
    op_xchg         = 3,
    op_add          = 4
  };

  // A store of kind's size: bits (a primitive) or ref into holder (null:
  // an Unsafe access with no base) at addr, checked and logged first.
  static void store(oopDesc* holder, jlong addr, jlong bits, oopDesc* ref, jint kind, JavaThread* current);
  // A primitive atomic; a boolean CAS returns whether it succeeded, the
  // others the old value.
  static jlong atomic(jlong addr, jlong value, jlong expected, jint kind, JavaThread* current);
  // A reference atomic: for a boolean CAS whether it succeeded; otherwise
  // the old reference goes back in vm_result, which is a GC root (the
  // return to compiled code may pass a safepoint, and a collection of the
  // persistent part may free an object only the overwritten field held).
  static jlong atomic_oop(oopDesc* holder, jlong addr, oopDesc* value, oopDesc* expected, jint kind,
                          JavaThread* current);
};

#endif // SHARE_GC_PMEM_PMEMBARRIERSETRUNTIME_HPP
