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
#include "gc/pmem/pmemFault.hpp"
#include "gc/pmem/pmemHeap.hpp"
#include "gc/pmem/pmemHeapFile.hpp"
#include "gc/pmem/pmemThreadLocalData.hpp"
#include "gc/pmem/pmemTxn.hpp"
#include "gc/pmem/pmemWriteback.hpp"
#include "logging/log.hpp"
#include "runtime/atomic.hpp"
#include "runtime/interfaceSupport.inline.hpp"
#include "runtime/os.hpp"
#include "utilities/align.hpp"

#include <string.h>

static volatile uint8_t* _slot_taken = NULL;   // one flag per log slot

static size_t slot_size() {
  const PmemFileHeader& h = PmemHeap::file()->header();
  return align_down(h.log_size / h.log_slots, PmemFormat::cache_line);
}

static char* slot_base(int i) {
  return PmemHeap::file_base() + PmemHeap::file()->header().log_offset + (size_t)i * slot_size();
}

size_t PmemTxn::log_capacity() {
  return slot_size();
}

PmemTxn::PmemTxn() : _slot(-1), _depth(0), _marks(4), _fresh(4),
                     _logged(NULL), _logged_cap(0), _logged_count(0), _logged_gen(1) {}

PmemTxn::~PmemTxn() {
  abort_all();   // normally done already, at the thread's detach
  FREE_C_HEAP_ARRAY(Logged, _logged);
}

PmemTxn* PmemTxn::of(Thread* thread) {
  return PmemThreadLocalData::txn(thread);
}

PmemTxn* PmemTxn::of_or_create(Thread* thread) {
  PmemTxn* t = PmemThreadLocalData::txn(thread);
  if (t == NULL) {
    t = new PmemTxn();
    PmemThreadLocalData::set_txn(thread, t);
  }
  return t;
}

void PmemTxn::claim_slot(JavaThread* thread) {
  const int slots = (int)PmemHeap::file()->header().log_slots;
  for (;;) {
    for (int i = 0; i < slots; i++) {
      if (_slot_taken[i] == 0 && Atomic::cmpxchg(&_slot_taken[i], (uint8_t)0, (uint8_t)1) == 0) {
        _slot = i;
        _log.init(PmemHeap::file_base(), PmemHeap::file()->header().file_size, slot_base(i), slot_size());
        return;
      }
    }
    // More open transactions than log slots (PmemLogSlots): wait for one.
    ThreadBlockInVM tbivm(thread);
    os::naked_short_sleep(1);
  }
}

void PmemTxn::release_slot() {
  Atomic::release_store(&_slot_taken[_slot], (uint8_t)0);
  _slot = -1;
}

void PmemTxn::begin(JavaThread* thread) {
  if (_depth == 0) {
    claim_slot(thread);
    _log.begin();
    _fresh.clear();
  } else {
    _marks.push(_log.mark());
  }
  forget_logged();   // a nested level logs again what it changes, for its savepoint
  _depth++;
}

void PmemTxn::commit() {
  assert(_depth > 0, "no transaction");
  if (--_depth > 0) {
    _marks.pop();
    return;
  }
  // Write back every line stored to and every new object, fence, retire.
  bool wrote = _log.is_active();
  _log.do_entries([](char* addr, size_t len) { PmemWriteback::flush(addr, len); });
  for (int i = 0; i < _fresh.length(); i++) {
    PmemWriteback::flush((void*)_fresh.at(i).start, _fresh.at(i).end - _fresh.at(i).start);
    wrote = true;
  }
  if (wrote) {
    PmemWriteback::drain();
    PmemFault::reached("commit-written-back");
    _log.retire();
    PmemFault::reached("commit-retired");
  }
  _fresh.clear();
  forget_logged();
  release_slot();
}

void PmemTxn::abort() {
  assert(_depth > 0, "no transaction");
  if (--_depth > 0) {
    _log.undo_to(_marks.pop());
    forget_logged();
    return;
  }
  _log.undo_to(PmemLog::header_size);
  _log.retire();
  _fresh.clear();
  forget_logged();
  release_slot();
}

// The set of logged locations: open addressing, linear probing.

bool PmemTxn::already_logged(uintptr_t addr, size_t len) const {
  if (_logged_count == 0) return false;
  for (size_t i = (addr >> 3) & (_logged_cap - 1); _logged[i].gen == _logged_gen; i = (i + 1) & (_logged_cap - 1)) {
    if (_logged[i].addr == addr) {
      return _logged[i].len >= len;
    }
  }
  return false;
}

void PmemTxn::remember(uintptr_t addr, size_t len) {
  if (2 * (_logged_count + 1) > _logged_cap) {
    Logged* old = _logged;
    const size_t old_cap = _logged_cap;
    const uint32_t old_gen = _logged_gen;
    _logged_cap = old_cap == 0 ? 256 : 2 * old_cap;
    _logged = NEW_C_HEAP_ARRAY(Logged, _logged_cap, mtGC);
    memset(_logged, 0, _logged_cap * sizeof(Logged));
    _logged_count = 0;
    _logged_gen = 1;
    for (size_t i = 0; i < old_cap; i++) {
      if (old[i].gen == old_gen) remember(old[i].addr, old[i].len);
    }
    FREE_C_HEAP_ARRAY(Logged, old);
  }
  size_t i = (addr >> 3) & (_logged_cap - 1);
  while (_logged[i].gen == _logged_gen && _logged[i].addr != addr) {
    i = (i + 1) & (_logged_cap - 1);
  }
  if (_logged[i].gen != _logged_gen) {
    _logged_count++;
    _logged[i].gen = _logged_gen;
    _logged[i].addr = addr;
    _logged[i].len = 0;
  }
  _logged[i].len = MAX2(_logged[i].len, (uint32_t)len);
}

void PmemTxn::forget_logged() {
  if (_logged_count > 0) {
    _logged_count = 0;
    if (++_logged_gen == 0) {   // wrapped: old gens would look current again
      memset(_logged, 0, _logged_cap * sizeof(Logged));
      _logged_gen = 1;
    }
  }
}

bool PmemTxn::is_fresh(uintptr_t addr) const {
  for (int i = _fresh.length() - 1; i >= 0; i--) {
    if (addr >= _fresh.at(i).start && addr < _fresh.at(i).end) return true;
  }
  return false;
}

void PmemTxn::allocated(HeapWord* obj, size_t words) {
  if (_depth == 0) return;
  const uintptr_t start = (uintptr_t)obj;
  const uintptr_t end = start + words * HeapWordSize;
  // Bump allocation makes neighbours: grow the last range when it touches.
  if (_fresh.length() > 0 && _fresh.at(_fresh.length() - 1).end == start) {
    _fresh.at(_fresh.length() - 1).end = end;
  } else {
    Range r = { start, end };
    _fresh.push(r);
  }
}

bool PmemTxn::log_store(void* addr, size_t len) {
  assert(_depth > 0, "no transaction");
  const uintptr_t a = (uintptr_t)addr;
  if (is_fresh(a) || (len <= sizeof(jlong) && already_logged(a, len))) {
    return true;
  }
  // Ranges (arraycopy, JNI regions) are logged in entries of at most
  // PmemLog::max_entry_data bytes.
  for (size_t done = 0; done < len; ) {
    const size_t n = MIN2(len - done, PmemLog::max_entry_data);
    if (!_log.append((char*)addr + done, n)) {
      return false;
    }
    done += n;
  }
  if (len <= sizeof(jlong)) {
    remember(a, len);
  }
  return true;
}

size_t PmemTxn::recover_all(size_t* entries) {
  const PmemFileHeader& h = PmemHeap::file()->header();
  _slot_taken = NEW_C_HEAP_ARRAY(uint8_t, h.log_slots, mtGC);
  memset((void*)_slot_taken, 0, h.log_slots);
  size_t txns = 0;
  *entries = 0;
  for (uint32_t i = 0; i < h.log_slots; i++) {
    if ((*(volatile uint64_t*)slot_base((int)i) & 1) != 0) {
      *entries += PmemLog::recover(PmemHeap::file_base(), h.file_size, slot_base((int)i), slot_size());
      txns++;
    }
  }
  return txns;
}
