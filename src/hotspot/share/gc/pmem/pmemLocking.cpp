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
#include "gc/pmem/pmemVolatileRefs.hpp"
#include "gc/pmem/pmemWriteback.hpp"
#include "logging/log.hpp"
#include "oops/oop.inline.hpp"
#include "runtime/atomic.hpp"
#include "runtime/vmOperation.hpp"
#include "runtime/vmThread.hpp"

volatile bool PmemLocking::_noted = false;
volatile bool PmemLocking::_locked = false;

// Racing first lockers each persist the same 0; none locks before its own
// store or before seeing _noted, which is set only after one.
void PmemLocking::note_first_lock() {
  if (Atomic::load_acquire(&_noted)) {
    return;
  }
  PmemWriteback::store_persist(&PmemHeap::state()->marks_clean, 0);
  Atomic::release_store(&_noted, true);
  log_debug(gc, pmem)("A persistent object was locked, or given a volatile cache: the next attach cleans "
                      "every header, unless an orderly exit drops the caches and nothing stays locked");
}

bool PmemLocking::lock_dies_with_run(oop obj) {
  return PmemVolatileRefs::lock_dies_with_run(Thread::current(), obj);
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

class VM_PmemDropCaches : public VM_Operation {
public:
  VMOp_Type type() const { return VMOp_Cleanup; }   // a cleanup at exit; no type of its own needed
  const char* name() const { return "pmem: drop cache fields at exit"; }
  void doit() {
    const size_t n = PmemVolatileRefs::drop_caches();
    if (Atomic::load_acquire(&PmemLocking::_locked)) {
      return;   // a header was locked meanwhile: the next attach walks anyway
    }
    PmemLocking::headers_cleaned();
    Atomic::release_store(&PmemLocking::_noted, false);   // a later cache or lock clears the flag again
    log_debug(gc, pmem)("Exit: %zu cache field(s) set to null; the next attach need not walk", n);
  }
};

void PmemLocking::at_exit() {
  if (!Atomic::load_acquire(&_noted) || Atomic::load_acquire(&_locked) ||
      VMThread::vm_thread() == NULL || !Thread::current()->is_Java_thread()) {
    return;   // nothing to drop, or no safepoint to drop it at: the next attach walks
  }
  VM_PmemDropCaches op;
  VMThread::execute(&op);
}
