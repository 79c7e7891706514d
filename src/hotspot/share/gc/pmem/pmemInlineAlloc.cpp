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
#include "ci/ciInstance.hpp"
#include "ci/ciInstanceKlass.hpp"
#include "ci/ciUtilities.inline.hpp"
#include "gc/pmem/pmemDeferred.hpp"
#include "gc/pmem/pmemFault.hpp"
#include "gc/pmem/pmemInlineAlloc.hpp"
#include "gc/pmem/pmemTxn.hpp"
#include "gc/pmem/pmemTypeTable.hpp"
#include "gc/pmem/pmemWriteback.hpp"
#include "gc/shared/gc_globals.hpp"
#include "oops/klass.hpp"
#include "runtime/globals.hpp"
#include "runtime/interfaceSupport.inline.hpp"

ciKlass* PmemInlineAlloc::class_of_mirror(ciInstance* mirror) {
  if (mirror == NULL) {
    return NULL;
  }
  ciType* t = mirror->java_mirror_type();
  if (t == NULL || !t->is_klass() || !t->as_klass()->is_loaded()) {
    return NULL;
  }
  return t->as_klass();
}

bool PmemInlineAlloc::plan(ciKlass* k, bool want_array) {
  if (!UseCompressedClassPointers || UseBiasedLocking || k == NULL || want_array != k->is_array_klass()) {
    return false;
  }
  is_array = want_array;
  const jint lh = k->layout_helper();
  size = header = log2_elem = 0;
  max_len = 0;
  if (is_array) {
    header = Klass::layout_helper_header_size(lh);
    log2_elem = Klass::layout_helper_log2_element_size(lh);
    max_len = (jint)((PmemAllocationBufferSize / 4 - header) >> log2_elem);
  } else {
    ciInstanceKlass* ik = k->as_instance_klass();
    if (!ik->is_initialized() || Klass::layout_helper_needs_slow_path(lh)) {
      return false;
    }
    size = Klass::layout_helper_size_in_bytes(lh);
  }
  VM_ENTRY_MARK;
  klass = (Klass*)k->constant_encoding();
  return PmemTypeTable::refusal(klass) == NULL && PmemTypeTable::has_entry(klass);
}

JRT_LEAF(void, PmemInlineAlloc::allocated(void* obj, jlong bytes))
  JavaThread* t = JavaThread::current();
  const size_t words = (size_t)bytes / HeapWordSize;
  if (!PmemTxn::covers(t, (HeapWord*)obj, words) && !PmemDeferred::covers(t, (HeapWord*)obj, words)) {
    // Outside a transaction the header's line is enough: the body is zero
    // and durable already (PmemAllocator::take_chunk), and the header never
    // crosses a line. (A full slot table sends each object here.)
    PmemWriteback::persist(obj, PmemTxn::in_txn(t) ? (size_t)bytes : MIN2((size_t)bytes, 2 * (size_t)HeapWordSize));
  }
  PmemFault::reached("allocated");
JRT_END
