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

#ifndef SHARE_GC_PMEM_PMEMREDIRECT_HPP
#define SHARE_GC_PMEM_PMEMREDIRECT_HPP

#include "gc/pmem/pmemThreadLocalData.hpp"
#include "memory/allStatic.hpp"
#include "memory/oopFactory.hpp"
#include "memory/universe.hpp"
#include "oops/arrayKlass.hpp"
#include "oops/instanceKlass.hpp"
#include "utilities/exceptions.hpp"

// Inside a transaction, the objects that the thread's Java code makes
// (new, newarray, anewarray, multianewarray, Array.newInstance,
// Constructor.newInstance) are allocated in the persistent heap, so that a
// constructor, a collection's put or a String concatenation run in a txn
// build persistent objects with ordinary Java code. Objects of types that
// can never be persistent (PmemTypeTable::may_redirect: Throwables,
// hidden classes such as lambdas, enums, classes of custom loaders, ...)
// and everything the VM allocates for itself (mirrors, interned strings,
// a static initializer's objects) stay volatile.
//
// The fast paths of all three tiers bump the TLAB; an outermost begin makes
// the TLAB look full (stop_tlab), so every allocation of the transaction
// reaches the runtime entries, which call the functions below in place of
// the usual ones. A transaction's new objects are written back at commit
// and need no undo log (PmemTxn's fresh ranges).
class PmemRedirect : AllStatic {
  static oop instance(InstanceKlass* k, TRAPS);
  static oop array(Klass* array_klass, int length, TRAPS);
  static oop multi(ArrayKlass* ak, int rank, const jint* dims, TRAPS);

public:
  static bool active(Thread* thread) {
    return UsePersistentHeap && PmemThreadLocalData::redirects(thread);
  }

  // Each returns NULL only with an exception pending, as the call it replaces.
  static oop allocate_instance(InstanceKlass* k, TRAPS) {
    if (active(THREAD)) {
      oop o = instance(k, CHECK_NULL);
      if (o != NULL) return o;
    }
    return k->allocate_instance(THREAD);
  }
  static oop new_typeArray(BasicType type, int length, bool zero, TRAPS) {
    if (active(THREAD)) {
      oop o = array(Universe::typeArrayKlassObj(type), length, CHECK_NULL);
      if (o != NULL) return o;
    }
    return zero ? oopFactory::new_typeArray(type, length, THREAD)
                : oopFactory::new_typeArray_nozero(type, length, THREAD);
  }
  static oop new_objArray(Klass* element, int length, TRAPS) {
    if (active(THREAD)) {
      Klass* ak = element->array_klass(CHECK_NULL);
      oop o = array(ak, length, CHECK_NULL);
      if (o != NULL) return o;
    }
    return oopFactory::new_objArray(element, length, THREAD);
  }
  static oop multi_allocate(ArrayKlass* ak, int rank, jint* dims, TRAPS) {
    if (active(THREAD)) {
      oop o = multi(ak, rank, dims, CHECK_NULL);
      if (o != NULL) return o;
    }
    return ak->multi_allocate(rank, dims, THREAD);
  }

  // Object.clone's copy (JVM_Clone): persistent inside a transaction, for
  // a type that may be; NULL otherwise (or with an exception pending).
  static oop clone_target(Klass* k, size_t words, int length, TRAPS) {
    if (!active(THREAD) || !may_redirect(k)) return NULL;
    return allocate_formatted(k, words, length, THREAD);
  }
  static bool may_redirect(Klass* k);

  // Allocates and formats an object of k in the persistent heap (header,
  // zeroed body, array length), written back before it is used; records
  // it in an open transaction. Throws OutOfMemoryError when the
  // persistent heap is full. Shared with Pmem.pnew and Pmem.pmake.
  static oop allocate_formatted(Klass* k, size_t words, int length, TRAPS);

  // The outermost begin empties the thread's TLAB for compiled and
  // interpreted fast paths (its end set to its top); the end of the
  // outermost level gives the TLAB back its end.
  static void stop_tlab(Thread* thread);
  static void resume_tlab(Thread* thread);
  // Where the TLAB's real end is: C2's inline commit copies it to the end.
  static ByteSize tlab_allocation_end_offset();
};

#endif // SHARE_GC_PMEM_PMEMREDIRECT_HPP
