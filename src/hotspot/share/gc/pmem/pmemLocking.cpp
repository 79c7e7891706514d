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
#include "gc/pmem/pmemLocking.hpp"
#include "gc/pmem/pmemWriteback.hpp"
#include "logging/log.hpp"
#include "oops/oop.inline.hpp"
#include "runtime/atomic.hpp"

volatile bool PmemLocking::_noted = false;

// Racing first lockers each persist the same 0; none locks before its own
// store or before seeing _noted, which is set only after one.
void PmemLocking::note_first_lock() {
  if (Atomic::load_acquire(&_noted)) {
    return;
  }
  PmemWriteback::store_persist(&PmemHeap::state()->marks_clean, 0);
  Atomic::release_store(&_noted, true);
  log_debug(gc, pmem)("A persistent object was locked: the next attach cleans every header");
}

void PmemLocking::persist_header(oop obj) {
  PmemWriteback::persist(cast_from_oop<void*>(obj), oopDesc::mark_offset_in_bytes() + sizeof(markWord));
}

bool PmemLocking::headers_clean() {
  return PmemHeap::state()->marks_clean == 1;
}

void PmemLocking::headers_cleaned() {
  if (PmemHeap::state()->marks_clean != 1) {
    PmemWriteback::store_persist(&PmemHeap::state()->marks_clean, 1);
  }
}
