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
#include "classfile/vmSymbols.hpp"
#include "gc/pmem/pmemAllocator.hpp"
#include "gc/pmem/pmemCollector.hpp"
#include "gc/pmem/pmemFault.hpp"
#include "gc/pmem/pmemHeap.hpp"
#include "gc/pmem/pmemDeferred.hpp"
#include "gc/pmem/pmemRedirect.hpp"
#include "gc/pmem/pmemTxn.hpp"
#include "gc/pmem/pmemTypeTable.hpp"
#include "gc/pmem/pmemWriteback.hpp"
#include "gc/shared/threadLocalAllocBuffer.inline.hpp"
#include "gc/shared/tlab_globals.hpp"
#include "jvm_io.h"
#include "logging/log.hpp"
#include "memory/resourceArea.hpp"
#include "oops/arrayOop.hpp"
#include "oops/klass.inline.hpp"
#include "oops/objArrayKlass.hpp"
#include "oops/objArrayOop.inline.hpp"
#include "oops/oop.inline.hpp"
#include "runtime/handles.inline.hpp"
#include "runtime/thread.inline.hpp"
#include "utilities/align.hpp"

static void throw_full(size_t bytes, TRAPS) {
  char msg[512];
  jio_snprintf(msg, sizeof(msg), "persistent heap is full: " SIZE_FORMAT " bytes requested, "
               SIZE_FORMAT " of " SIZE_FORMAT " in use after a full collection, largest free chunk "
               SIZE_FORMAT " bytes (see -XX:PmemSize and -XX:PmemMaxSize)", bytes,
               PmemAllocator::used_bytes(), PmemHeap::size_in_bytes(), PmemAllocator::largest_free_bytes());
  THROW_MSG(vmSymbols::java_lang_OutOfMemoryError(), msg);
}

oop PmemRedirect::allocate_formatted(Klass* k, size_t words, int length, TRAPS) {
  if (!PmemTypeTable::record(k)) {
    THROW_MSG_NULL(vmSymbols::java_lang_OutOfMemoryError(),
                   "persistent heap type table is full: too many classes have persistent instances");
  }
  HeapWord* mem = PmemCollector::allocate(THREAD, words, true);
  if (mem == NULL) {
    throw_full(words * HeapWordSize, CHECK_NULL);
  }
  oopDesc::set_mark(mem, k->prototype_header());
  if (length >= 0) {
    arrayOopDesc::set_length(mem, length);
  }
  oopDesc::release_set_klass(mem, k);
  // The header must be durable before any store into the body can reach
  // memory (the heap walker finds objects by their headers), unless the
  // object is in a fresh range of the open transaction's log, which
  // recovery frees whole, or, outside a transaction, in a deferred buffer
  // (written back when it becomes reachable; recovery frees the rest).
  if (!PmemTxn::covers(THREAD, mem, words) && !PmemDeferred::covers(THREAD, mem, words)) {
    PmemWriteback::persist(mem, words * HeapWordSize);
  }
  PmemFault::reached("allocated");
  // (Tests count these to tell the native path from compiled bump allocation.)
  if (log_is_enabled(Trace, gc, pmem)) {
    ResourceMark rm(THREAD);
    log_trace(gc, pmem)("Native path allocated a %s at " PTR_FORMAT, k->external_name(), p2i(mem));
  }
  PmemTxn* txn = PmemTxn::of(THREAD);
  if (txn != NULL) {
    txn->allocated(mem, words);   // inside a txn: written back again at commit, never logged
  }
  return cast_to_oop(mem);
}

bool PmemRedirect::may_redirect(Klass* k) {
  return PmemTypeTable::may_redirect(k);
}

oop PmemRedirect::instance(InstanceKlass* k, TRAPS) {
  if (!PmemTypeTable::may_redirect(k)) {
    return NULL;
  }
  return allocate_formatted(k, k->size_helper(), -1, THREAD);
}

oop PmemRedirect::array(Klass* ak, int length, TRAPS) {
  const BasicType et = ArrayKlass::cast(ak)->element_type();
  if (length < 0 || length > arrayOopDesc::max_array_length(et) || !PmemTypeTable::may_redirect(ak)) {
    return NULL;   // the usual path throws, or allocates a volatile array
  }
  const int lh = ak->layout_helper();
  const size_t bytes = (size_t)Klass::layout_helper_header_size(lh) +
                       ((size_t)length << Klass::layout_helper_log2_element_size(lh));
  return allocate_formatted(ak, align_up(bytes, (size_t)MinObjAlignmentInBytes) / HeapWordSize, length, THREAD);
}

// As ObjArrayKlass::multi_allocate: every dimension is checked before any
// array is made, and arrays below a zero length are not made.
oop PmemRedirect::multi(ArrayKlass* ak, int rank, const jint* dims, TRAPS) {
  for (int i = 0; i < rank; i++) {
    if (dims[i] < 0) {
      return NULL;   // NegativeArraySizeException from the usual path
    }
  }
  oop a = array(ak, dims[0], CHECK_NULL);
  if (a == NULL || rank == 1) {
    return a;
  }
  objArrayHandle outer(THREAD, objArrayOop(a));
  ArrayKlass* sub = ArrayKlass::cast(ObjArrayKlass::cast(ak)->element_klass());
  for (int i = 0; i < dims[0]; i++) {
    oop s = multi(sub, rank - 1, dims + 1, CHECK_NULL);
    if (s == NULL) {
      s = sub->multi_allocate(rank - 1, const_cast<jint*>(dims + 1), CHECK_NULL);
    }
    // A fresh array of this transaction: no log, written back at commit.
    outer->obj_at_put(i, s);
  }
  return outer();
}

void PmemRedirect::stop_tlab(Thread* thread) {
  if (UseTLAB && thread->tlab().end() != NULL) {
    *(HeapWord**)((address)thread + in_bytes(Thread::tlab_end_offset())) = thread->tlab().top();
  }
}

void PmemRedirect::resume_tlab(Thread* thread) {
  if (UseTLAB) {
    thread->tlab().set_back_allocation_end();
  }
}

// ThreadLocalAllocBuffer keeps _allocation_end right after _end;
// PmemTxn checks that at a thread's first transaction.
ByteSize PmemRedirect::tlab_allocation_end_offset() {
  return in_ByteSize(in_bytes(Thread::tlab_end_offset()) + wordSize);
}
