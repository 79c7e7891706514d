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

#include "precompiled.hpp"
#include "gc/pmem/pmemBarrier.hpp"
#include "gc/pmem/pmemBarrierSetRuntime.hpp"
#include "oops/access.inline.hpp"
#include "oops/oop.inline.hpp"
#include "runtime/atomic.hpp"
#include "runtime/interfaceSupport.inline.hpp"
#include "utilities/align.hpp"

static void store_bits(void* p, size_t len, jlong bits) {
  if (!is_aligned(p, len)) {
    memcpy(p, &bits, len);    // mismatched Unsafe access; little-endian
    return;
  }
  switch (len) {
    case 1: Atomic::store((volatile jbyte*)p,  (jbyte)bits);  break;
    case 2: Atomic::store((volatile jshort*)p, (jshort)bits); break;
    case 4: Atomic::store((volatile jint*)p,   (jint)bits);   break;
    case 8: Atomic::store((volatile jlong*)p,  bits);         break;
    default: ShouldNotReachHere();
  }
}

JRT_ENTRY(void, PmemBarrierSetRuntime::store(oopDesc* holder, jlong addr, jlong bits, oopDesc* ref, jint kind,
                JavaThread* current))
  void* p = (void*)addr;
  const size_t len = kind & kind_size_mask;
  if ((kind & kind_ref) != 0) {
    PmemBarrier::check_reference(holder, p, ref, CHECK);
    PmemBarrier::before_write(p, len, CHECK);
    if (UseCompressedOops) {
      RawAccess<>::oop_store((narrowOop*)p, oop(ref));
    } else {
      RawAccess<>::oop_store((oop*)p, oop(ref));
    }
  } else {
    PmemBarrier::before_write(p, len, CHECK);
    store_bits(p, len, bits);
  }
  PmemBarrier::after_write(p, len);
JRT_END

// Byte and short atomics, done with a 4-byte CAS on the aligned word that
// holds them (objects are 8-byte aligned, so the word is the object's).
template <typename T>
static T sub_word_atomic(T* p, int op, T expected, T value) {
  volatile jint* w = (volatile jint*)align_down(p, sizeof(jint));
  const int shift = (int)pointer_delta(p, (void*)w, 1) * BitsPerByte;   // little-endian
  const juint mask = right_n_bits(sizeof(T) * BitsPerByte) << shift;
  for (;;) {
    const jint cur = Atomic::load(w);
    const T old = (T)((juint)cur >> shift);
    T nv;
    switch (op) {
      case PmemBarrierSetRuntime::op_cmpxchg_bool:
      case PmemBarrierSetRuntime::op_cmpxchg_val: if (old != expected) return old; nv = value; break;
      case PmemBarrierSetRuntime::op_xchg:        nv = value; break;
      case PmemBarrierSetRuntime::op_add:         nv = (T)(old + value); break;
      default:             ShouldNotReachHere(); return old;
    }
    const jint next = (jint)(((juint)cur & ~mask) | (((juint)nv << shift) & mask));
    if (Atomic::cmpxchg(w, cur, next) == cur) {
      return old;
    }
  }
}

template <typename T>
static T word_atomic(T* p, int op, T expected, T value) {
  switch (op) {
    case PmemBarrierSetRuntime::op_cmpxchg_bool:
    case PmemBarrierSetRuntime::op_cmpxchg_val: return Atomic::cmpxchg(p, expected, value);
    case PmemBarrierSetRuntime::op_xchg:        return Atomic::xchg(p, value);
    case PmemBarrierSetRuntime::op_add:         return Atomic::fetch_and_add(p, value);
    default:             ShouldNotReachHere(); return 0;
  }
}

JRT_ENTRY(jlong, PmemBarrierSetRuntime::atomic(jlong addr, jlong value, jlong expected, jint kind,
                JavaThread* current))
  void* p = (void*)addr;
  const size_t len = kind & kind_size_mask;
  const int op = kind >> kind_op_shift;
  PmemBarrier::before_write(p, len, CHECK_0);
  // expected is narrowed to the access's width, as old comes back sign-extended from it.
  jlong old;
  switch (len) {
    case 1: expected = (jbyte)expected;  old = sub_word_atomic((jbyte*)p,  op, (jbyte)expected,  (jbyte)value);  break;
    case 2: expected = (jshort)expected; old = sub_word_atomic((jshort*)p, op, (jshort)expected, (jshort)value); break;
    case 4: expected = (jint)expected;   old = word_atomic((jint*)p,  op, (jint)expected, (jint)value);          break;
    case 8:                              old = word_atomic((jlong*)p, op, expected, value);                      break;
    default: ShouldNotReachHere(); old = 0;
  }
  PmemBarrier::after_write(p, len);
  return op == op_cmpxchg_bool ? (jlong)(old == expected) : old;
JRT_END

// For a boolean CAS returns whether it succeeded. Otherwise the old
// reference goes back in vm_result, which is a GC root: the return to
// compiled code may pass a safepoint, and a collection of the persistent
// part may free an object that only the overwritten field held.
JRT_ENTRY(jlong, PmemBarrierSetRuntime::atomic_oop(oopDesc* holder, jlong addr, oopDesc* value, oopDesc* expected,
                                    jint kind, JavaThread* current))
  void* p = (void*)addr;
  const int op = kind >> kind_op_shift;
  PmemBarrier::check_reference(holder, p, value, CHECK_0);
  PmemBarrier::before_write(p, heapOopSize, CHECK_0);
  oop old;
  if (op == op_xchg) {
    old = UseCompressedOops ? RawAccess<>::oop_atomic_xchg((narrowOop*)p, oop(value))
                            : RawAccess<>::oop_atomic_xchg((oop*)p, oop(value));
  } else {
    old = UseCompressedOops ? RawAccess<>::oop_atomic_cmpxchg((narrowOop*)p, oop(expected), oop(value))
                            : RawAccess<>::oop_atomic_cmpxchg((oop*)p, oop(expected), oop(value));
  }
  PmemBarrier::after_write(p, heapOopSize);
  if (op == op_cmpxchg_bool) {
    return old == oop(expected);
  }
  current->set_vm_result(old);
  return 0;
JRT_END
