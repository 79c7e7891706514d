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


#ifndef SHARE_GC_PMEM_PMEMBARRIER_HPP
#define SHARE_GC_PMEM_PMEMBARRIER_HPP

#include "gc/pmem/pmemHeap.hpp"
#include "gc/shared/gc_globals.hpp"
#include "jni.h"
#include "memory/allStatic.hpp"
#include "oops/oopsHierarchy.hpp"
#include "utilities/exceptions.hpp"

class JavaThread;

// The slow path of the persistent-store barrier, shared by the
// interpreter, the compilers and the C++ runtime (JNI, Unsafe, arraycopy).
// Every store whose destination is in the persistent heap comes here:
//   before it: a reference store is checked (only persistent objects and
//              null may be stored), and inside a txn the old bytes are logged;
//   after it:  outside a txn the bytes are written back and fenced, so the
//              store is durable before the thread goes on.
class Method;
class MethodData;

class PmemBarrier : AllStatic {
public:
  static bool is_persistent(const void* p) {
    return UsePersistentHeap && PmemHeap::is_in(p);
  }

  // C++ runtime paths. before_write throws if a transaction's log is full;
  // check_reference throws IllegalArgumentException naming the field and
  // both classes if val is a volatile object. Neither stores anything.
  static void check_reference(oop holder, const void* addr, oop val, TRAPS);
  static void before_write(const void* addr, size_t len, TRAPS);
  static void after_write(const void* addr, size_t len);
  static void throw_log_full(TRAPS);

  static void after_store(void* addr, int len);   // leaf
  // The interpreter's after_store: also records the store in m's profile
  // (as c1_profile_persistent_store does), so that C2 without tiered
  // compilation does not speculate on a method that stored into persistent
  // objects.
  static void interpreter_after_store(void* addr, int len, Method* m);   // leaf

  // The interpreter's and C1's calls (only for persistent destinations).
  // c1_before_store is a leaf, so no safepoint falls between it and the
  // store: it checks val (null for a primitive store) and logs, and
  // returns 0, or why the store must not happen: 1, val is volatile; 2,
  // the log is full. c1_throw (C1) and interpreter_refuse throw that.
  static jint c1_before_store(oopDesc* holder, void* addr, oopDesc* val, jint len);

  // C2 speculates that a store of a method that never met a persistent
  // object stores into volatile ones, and traps with this reason where it
  // does not (PmemBarrierSetC2). Profiled C1 code (tier 3) records a
  // persistent store the same way, through this leaf, and so does the
  // interpreter (interpreter_after_store), so that C2 does not speculate in
  // methods known to store into persistent objects.
  static int speculation_reason();
  static void c1_profile_persistent_store(MethodData* md);   // leaf
  static void c1_throw(JavaThread* current, jint why, oopDesc* holder, void* addr, oopDesc* val);
  static void interpreter_refuse(JavaThread* current, oopDesc* holder, void* addr, oopDesc* val);

  // For the compilers (threads in native state): is the constant object
  // behind the handle persistent?
  static bool is_persistent_constant(jobject handle);

  // Writes "persistent field Foo.bar" or "element [3] of persistent Foo[]".
  static void describe(oop holder, const void* addr, char* buf, size_t len);

  // The hooks of upstream runtime code, one call each:
  // jni_GetPrimitiveArrayCritical of a persistent array hands out a copy
  // (a persistent array never moves, but writes through a direct pointer
  // would bypass the barrier), NULL for a volatile one;
  // jni_ReleasePrimitiveArrayCritical stores it back through the barrier
  // and frees it as mode says, false (nothing done) for a volatile one.
  static void* critical_copy(typeArrayOop a, jboolean* is_copy);
  static bool release_critical_copy(typeArrayOop a, void* carray, jint mode, TRAPS);
  // An object array copy into a persistent array: every element checked
  // (only persistent objects and null) before anything is copied.
  static void check_array_copy(arrayOop s, size_t src_offset, arrayOop d, size_t dst_offset, int length, TRAPS);
};

// Brackets a write by C++ runtime code (JNI, Unsafe, arraycopy) of len
// bytes at addr: logs them first inside a txn, writes them back after
// outside one; does nothing for volatile destinations. Use as
//   PmemWriteGuard g(addr, len, CHECK);   ...the write...
// (a full log throws and leaves g inert). The write-back happens when g
// goes out of scope, after the write.
class PmemWriteGuard : public StackObj {
  const void* _addr;
  size_t      _len;
  bool        _on;
public:
  PmemWriteGuard(const void* addr, size_t len, TRAPS)
    : _addr(addr), _len(len), _on(PmemBarrier::is_persistent(addr)) {
    if (_on) {
      PmemBarrier::before_write(addr, len, THREAD);
      _on = !HAS_PENDING_EXCEPTION;
    }
  }
  ~PmemWriteGuard() {
    if (_on) {
      PmemBarrier::after_write(_addr, _len);
    }
  }
};

// A reference store by C++ runtime code (JNI, Unsafe) of val into holder
// at addr: into a persistent object val is checked first (only persistent
// objects and null; else it throws and the guard stays inert), then the
// write is guarded as by PmemWriteGuard. Use as
//   PmemGuardedRef g(holder, addr, val, CHECK);   ...the store...
class PmemGuardedRef : public StackObj {
  PmemWriteGuard _guard;
  static const void* checked(oop holder, const void* addr, oop val, TRAPS) {
    if (holder != NULL && PmemBarrier::is_persistent(addr)) {
      PmemBarrier::check_reference(holder, addr, val, THREAD);
      if (HAS_PENDING_EXCEPTION) return NULL;
    }
    return addr;
  }
public:
  PmemGuardedRef(oop holder, const void* addr, oop val, TRAPS)
    : _guard(checked(holder, addr, val, THREAD), heapOopSize, THREAD) {}
};

#endif // SHARE_GC_PMEM_PMEMBARRIER_HPP
