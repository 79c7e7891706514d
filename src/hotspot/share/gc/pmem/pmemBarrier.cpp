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
#include "classfile/symbolTable.hpp"
#include "classfile/vmSymbols.hpp"
#include "gc/pmem/pmemAllocator.hpp"
#include "gc/pmem/pmemBarrier.hpp"
#include "gc/pmem/pmemDeferred.hpp"
#include "gc/pmem/pmemFault.hpp"
#include "gc/pmem/pmemHeap.hpp"
#include "gc/pmem/pmemMark.hpp"
#include "gc/pmem/pmemRemSet.hpp"
#include "gc/pmem/pmemTxn.hpp"
#include "gc/pmem/pmemWriteback.hpp"
#include "memory/resourceArea.hpp"
#include "oops/access.inline.hpp"
#include "oops/arrayKlass.hpp"
#include "oops/instanceKlass.hpp"
#include "oops/method.hpp"
#include "oops/methodData.hpp"
#include "oops/objArrayKlass.hpp"
#include "oops/oop.inline.hpp"
#include "oops/typeArrayKlass.hpp"
#include "oops/typeArrayOop.inline.hpp"
#include "runtime/deoptimization.hpp"
#include "runtime/fieldDescriptor.inline.hpp"
#include "runtime/interfaceSupport.inline.hpp"
#include "runtime/jniHandles.inline.hpp"
#include "utilities/formatBuffer.hpp"
#include "utilities/ostream.hpp"

// "java.lang.Object[]" rather than "[Ljava.lang.Object;".
static const char* java_name(Klass* k) {
  if (!k->is_array_klass()) {
    return k->external_name();
  }
  ArrayKlass* ak = ArrayKlass::cast(k);
  Klass* bottom = k->is_objArray_klass() ? ObjArrayKlass::cast(k)->bottom_klass() : k;
  const char* base = bottom->is_typeArray_klass()
      ? type2name_tab[TypeArrayKlass::cast(bottom)->element_type()] : bottom->external_name();
  stringStream ss;
  ss.print("%s", base);
  for (int i = 0; i < ak->dimension(); i++) ss.print("[]");
  return ss.as_string();
}

void PmemBarrier::describe(oop holder, const void* addr, char* buf, size_t len) {
  if (holder == NULL) {   // an Unsafe store with no base object
    jio_snprintf(buf, len, "persistent memory at " PTR_FORMAT, p2i(addr));
    return;
  }
  const int offset = (int)pointer_delta(addr, cast_from_oop<void*>(holder), 1);
  Klass* k = holder->klass();
  if (k->is_array_klass()) {
    const BasicType et = ArrayKlass::cast(k)->element_type();
    const int index = (offset - arrayOopDesc::base_offset_in_bytes(et)) / type2aelembytes(et);
    jio_snprintf(buf, len, "element [%d] of persistent %s", index, java_name(k));
    return;
  }
  fieldDescriptor fd;
  if (InstanceKlass::cast(k)->find_field_from_offset(offset, false, &fd)) {
    jio_snprintf(buf, len, "persistent field %s.%s", fd.field_holder()->external_name(),
                 fd.name()->as_C_string());
  } else {
    jio_snprintf(buf, len, "offset %d of persistent %s", offset, k->external_name());
  }
}

// What a persistent object may refer to: null and persistent objects.
static bool may_refer_to(oop val) {
  return val == NULL || PmemHeap::is_in(cast_from_oop<void*>(val));
}

// Every reference store into a persistent object passes one of the two
// checks below (no safepoint between them and the store): its card joins
// the remembered set of incremental collections (PmemRemSet).
static void remember(oop holder, const void* addr, oop val) {
  if (val != NULL && PmemHeap::is_in(addr) &&
      (holder == NULL || !PmemHeap::is_in(cast_from_oop<void*>(holder)) ||
       PmemMark::may_be_old(cast_from_oop<void*>(holder)))) {
    PmemRemSet::remember(addr);   // a young holder is traced whole when it is marked
  }
}

void PmemBarrier::check_reference(oop holder, const void* addr, oop val, TRAPS) {
  if (PmemTxn::reference_ok(THREAD, holder, addr, val)) {
    remember(holder, addr, val);
    return;
  }
  ResourceMark rm(THREAD);
  char where[512];
  describe(holder, addr, where, sizeof(where));
  if (may_refer_to(val)) {   // a persistent object that a transaction made and left referring to a volatile one
    THROW_MSG(vmSymbols::java_lang_IllegalArgumentException(),
              err_msg("cannot store a reference to a persistent %s in %s: it was made in a transaction "
                      "and still refers to a volatile object, which persistent objects may not reach",
                      java_name(val->klass()), where));
  }
  THROW_MSG(vmSymbols::java_lang_IllegalArgumentException(),
            FormatBuffer<1024>("cannot store a reference to a volatile %s in %s: a persistent object "
                    "may refer only to persistent objects (Pmem.pnew, Pmem.pmake) and null%s",
                    java_name(val->klass()), where,
                    PmemTxn::of(THREAD) != NULL && PmemTxn::of(THREAD)->depth() > 0 ? "" :
                    "; outside a transaction nothing new is persistent: change persistent collections "
                    "(put, add, ...) inside Pmem.txn"));
}

// jdk.internal.pmem.TransactionTooLargeException (an IllegalStateException):
// looked up by name, java.base has it.
void PmemBarrier::throw_log_full(TRAPS) {
  TempNewSymbol name = SymbolTable::new_symbol("jdk/internal/pmem/TransactionTooLargeException");
  THROW_MSG(name,
            err_msg("transaction too large: its undo log needs more room than the persistent heap "
                    "has free (" SIZE_FORMAT "K free of " SIZE_FORMAT "K; see -XX:PmemSize and -XX:PmemMaxSize)",
                    PmemAllocator::free_bytes() / K, PmemHeap::size_in_bytes() / K));
}

void PmemBarrier::before_write(const void* addr, size_t len, TRAPS) {
  if (!PmemTxn::log_if_open(THREAD, (void*)addr, len)) {
    throw_log_full(THREAD);
  }
}

void PmemBarrier::after_write(const void* addr, size_t len) {
  Thread* const thread = Thread::current();
  if (!PmemTxn::in_txn(thread)) {
    if (!PmemDeferred::store_waits(thread, addr, len)) {   // in an object not durable yet: it waits
      PmemWriteback::persist(addr, len);
    }
  } else {
    PmemWriteback::maybe_evict(addr);
    PmemFault::reached("txn-stored");
  }
}

void* PmemBarrier::critical_copy(typeArrayOop a, jboolean* is_copy) {
  if (!is_persistent(a)) {
    return NULL;
  }
  const BasicType et = TypeArrayKlass::cast(a->klass())->element_type();
  const size_t size = (size_t)a->length() * type2aelembytes(et);
  void* copy = NEW_C_HEAP_ARRAY(char, MAX2(size, (size_t)1), mtInternal);
  memcpy(copy, a->base(et), size);
  if (is_copy != NULL) {
    *is_copy = JNI_TRUE;
  }
  return copy;
}

bool PmemBarrier::release_critical_copy(typeArrayOop a, void* carray, jint mode, TRAPS) {
  if (!is_persistent(a)) {
    return false;
  }
  const BasicType et = TypeArrayKlass::cast(a->klass())->element_type();
  const size_t size = (size_t)a->length() * type2aelembytes(et);
  if (mode == 0 || mode == JNI_COMMIT) {
    PmemWriteGuard guard(a->base(et), size, THREAD);
    if (!HAS_PENDING_EXCEPTION) {   // a full log: nothing copied back
      memcpy(a->base(et), carray, size);
    }
  }
  if (mode == 0 || mode == JNI_ABORT) {
    FREE_C_HEAP_ARRAY(char, carray);
  }
  return true;
}

void PmemBarrier::check_array_copy(arrayOop s, size_t src_offset, arrayOop d, size_t dst_offset, int length,
                                   TRAPS) {
  if (!is_persistent(d)) {
    return;
  }
  for (int i = 0; i < length; i++) {
    oop e = HeapAccess<IS_ARRAY>::oop_load_at(s, src_offset + (size_t)i * heapOopSize);
    check_reference(d, cast_from_oop<char*>(d) + dst_offset + (size_t)i * heapOopSize, e, CHECK);
  }
}

bool PmemBarrier::is_persistent_constant(jobject handle) {
  ThreadInVMfromNative tivn(JavaThread::current());
  return PmemHeap::is_in(cast_from_oop<void*>(JNIHandles::resolve(handle)));
}

JRT_LEAF(void, PmemBarrier::after_store(void* addr, int len))
  after_write(addr, (size_t)len);
JRT_END

JRT_LEAF(jint, PmemBarrier::c1_before_store(oopDesc* holder, void* addr, oopDesc* val, jint len))
  if (!PmemTxn::reference_ok(Thread::current(), holder, addr, val)) {
    return 1;
  }
  remember(holder, addr, val);
  return PmemTxn::log_if_open(Thread::current(), addr, (size_t)len) ? 0 : 2;
JRT_END

int PmemBarrier::speculation_reason() {
  return Deoptimization::Reason_intrinsic;
}

static void record_persistent_store(MethodData* md) {
  if (md->trap_count(PmemBarrier::speculation_reason()) == 0) {
    md->inc_trap_count(PmemBarrier::speculation_reason());   // racy, and 1 is enough
  }
}

JRT_LEAF(void, PmemBarrier::c1_profile_persistent_store(MethodData* md))
  record_persistent_store(md);
JRT_END

// The method has no MethodData until the interpreter has run it for a
// while; a store before that is not recorded, and C2 compiles only methods
// that have one.
JRT_LEAF(void, PmemBarrier::interpreter_after_store(void* addr, int len, Method* m))
  after_write(addr, (size_t)len);
  MethodData* md = m->method_data();
  if (md != NULL) {
    record_persistent_store(md);
  }
JRT_END

static void refuse(jint why, oop holder, void* addr, oop val, TRAPS) {
  if (why == 1) {
    PmemBarrier::check_reference(holder, addr, val, CHECK);
    return;   // it became acceptable meanwhile (cannot happen: same thread, no safepoint)
  }
  PmemBarrier::throw_log_full(THREAD);
}

JRT_ENTRY(void, PmemBarrier::c1_throw(JavaThread* current, jint why, oopDesc* holder,
                                      void* addr, oopDesc* val))
  refuse(why, holder, addr, val, current);
JRT_END

JRT_ENTRY(void, PmemBarrier::interpreter_refuse(JavaThread* current, oopDesc* holder,
                                                void* addr, oopDesc* val))
  refuse(PmemTxn::reference_ok(current, holder, addr, val) ? 2 : 1, holder, addr, val, current);
JRT_END
