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
#include "gc/pmem/pmemFormat.hpp"
#include "gc/pmem/pmemHeap.hpp"
#include "gc/pmem/pmemHeapFile.hpp"
#include "gc/pmem/pmemRoots.hpp"
#include "gc/pmem/pmemTxn.hpp"
#include "gc/pmem/pmemTypeTable.hpp"
#include "gc/pmem/pmemWalk.hpp"
#include "gc/pmem/pmemWriteback.hpp"
#include "jvm_io.h"
#include "memory/resourceArea.hpp"
#include "oops/oop.inline.hpp"
#include "runtime/atomic.hpp"
#include "runtime/mutex.hpp"
#include "runtime/mutexLocker.hpp"

STATIC_ASSERT(sizeof(PmemNamedEntry) == 128);

// All named-table changes are serialised; lookups take the lock too, as the
// table is small and rarely on a hot path.
static Mutex* _lock = NULL;

void PmemRoots::initialize() {
  _lock = new Mutex(Mutex::leaf, "PmemRoots_lock", true, Mutex::_safepoint_check_never);
}

static Mutex* roots_lock() {
  return _lock;
}

static PmemRootsArea* pmem_roots_area() {
  return (PmemRootsArea*)(PmemHeap::file_base() + PmemHeap::file()->header().roots_offset);
}


size_t PmemRoots::capacity() {
  return (PmemHeap::file()->header().roots_size - offset_of(PmemRootsArea, entries)) / sizeof(PmemNamedEntry);
}

uint64_t PmemRoots::encode(oop obj) {
  if (obj == NULL) {
    return 0;
  }
  assert(PmemHeap::is_in(obj), "only persistent objects");
  return (uint64_t)pointer_delta(cast_from_oop<HeapWord*>(obj), PmemHeap::bottom(), 1) + 1;
}

oop PmemRoots::decode(uint64_t v) {
  if (v == 0) {
    return NULL;
  }
  return cast_to_oop((char*)PmemHeap::bottom() + (v - 1));
}

// Inside a transaction the old value is logged first, so that the change
// is undone with the transaction's other stores. False: the log is full.
static bool log_in_txn(volatile uint64_t* field) {
  return PmemTxn::log_if_open(Thread::current(), (void*)field, sizeof(uint64_t));
}


// Whether v, an encoded reference, can name an object: null, or 8-byte
// aligned below the used part of the objects area.
// During a compaction a slot may hold its object's new offset + 2 instead
// (PmemCompact).
static bool encoded_ok(uint64_t v) {
  const PmemFileState* st = PmemHeap::state();
  return v == 0 || ((v - 1) % HeapWordSize == 0 && v - 1 < st->objects_top) ||
         (st->compact_phase != 0 && (v - 2) % HeapWordSize == 0 && v - 2 < st->compact_top);
}

bool PmemRoots::check(char* err, size_t err_len) {
  const PmemFileHeader& h = PmemHeap::file()->header();
  const char* path = PmemHeap::file()->path();
  const uint64_t root = PmemHeap::state()->root_offset;
  if (!encoded_ok(root)) {
    jio_snprintf(err, err_len, "%s is damaged: root_offset " UINT64_FORMAT " at file offset " SIZE_FORMAT
                 " is not an object of the used part", path, root,
                 PmemFormat::state_offset + offset_of(PmemFileState, root_offset));
    return false;
  }
  PmemRootsArea* a = pmem_roots_area();
  if (!encoded_ok(a->enums)) {
    jio_snprintf(err, err_len, "%s is damaged: the enum registry reference " UINT64_FORMAT " at file offset "
                 UINT64_FORMAT " is not an object of the used part", path, a->enums,
                 h.roots_offset + offset_of(PmemRootsArea, enums));
    return false;
  }
  if (a->count > capacity()) {
    jio_snprintf(err, err_len, "%s is damaged: the named-object count " UINT64_FORMAT " at file offset "
                 UINT64_FORMAT " exceeds the table's " SIZE_FORMAT " entries", path, a->count,
                 h.roots_offset, capacity());
    return false;
  }
  for (uint64_t i = 0; i < a->count; i++) {
    const PmemNamedEntry* e = &a->entries[i];
    const uint64_t at = h.roots_offset + offset_of(PmemRootsArea, entries) + i * sizeof(PmemNamedEntry);
    if (e->object == 0) {
      continue;   // free: its name is never read
    }
    if (e->name_len == 0 || e->name_len > max_name_bytes || memchr(e->name, '\0', e->name_len) != NULL) {
      jio_snprintf(err, err_len, "%s is damaged: named entry " UINT64_FORMAT " at file offset " UINT64_FORMAT
                   " has a name length of %u", path, i, at, e->name_len);
      return false;
    }
    if (!encoded_ok(e->object)) {
      jio_snprintf(err, err_len, "%s is damaged: named entry " UINT64_FORMAT " at file offset " UINT64_FORMAT
                   " refers to " UINT64_FORMAT ", not an object of the used part", path, i, at, e->object);
      return false;
    }
  }
  return true;
}

// Whether the header at offset v - 1 holds a klass value of the type table
// (the recorded one, or the one an interrupted header rewrite moves to).
static bool looks_like_object(uint64_t v) {
  HeapWord* p = (HeapWord*)((char*)PmemHeap::bottom() + (v - 1));
  const uint64_t m = PmemWalk::mark_bits(p);
  if (m == 0 || PmemWalk::is_free_tag(m)) {
    return false;
  }
  const uint64_t k = PmemWalk::raw_klass(p);
  for (size_t i = 0; i < PmemTypeTable::count(); i++) {
    if (PmemTypeTable::entry(i)->klass_value == k || PmemTypeTable::entry(i)->klass_value_new == k) {
      return true;
    }
  }
  return false;
}

// A slot's value as recovery will leave it: an unfinished transaction may
// have bound a name to an object it made, whose header only its commit
// would have written back.
static uint64_t after_recovery(const uint64_t* slot) {
  uint64_t v = *slot;
  PmemTxn::root_after_recovery((const void*)slot, &v);
  return v;
}

bool PmemRoots::check_targets(char* err, size_t err_len) {
  if (PmemHeap::state()->compact_phase != 0) {
    return true;   // new offsets of a layout not there yet: checked once the compaction is finished
  }
  const char* path = PmemHeap::file()->path();
  const uint64_t root = after_recovery(&PmemHeap::state()->root_offset);
  if (root != 0 && !looks_like_object(root)) {
    jio_snprintf(err, err_len, "%s is damaged: root_offset " UINT64_FORMAT " at file offset " SIZE_FORMAT
                 " does not point to an object", path, root,
                 PmemFormat::state_offset + offset_of(PmemFileState, root_offset));
    return false;
  }
  PmemRootsArea* a = pmem_roots_area();
  if (a->enums != 0 && !looks_like_object(a->enums)) {
    jio_snprintf(err, err_len, "%s is damaged: the enum registry reference " UINT64_FORMAT " at file offset "
                 UINT64_FORMAT " does not point to an object", path, a->enums,
                 PmemHeap::file()->header().roots_offset + offset_of(PmemRootsArea, enums));
    return false;
  }
  for (uint64_t i = 0; i < a->count; i++) {
    const uint64_t v = after_recovery(&a->entries[i].object);
    if (v != 0 && !looks_like_object(v)) {
      jio_snprintf(err, err_len, "%s is damaged: named entry " UINT64_FORMAT " at file offset " UINT64_FORMAT
                   " refers to " UINT64_FORMAT ", which does not point to an object", path, i,
                   PmemHeap::file()->header().roots_offset + offset_of(PmemRootsArea, entries) +
                   i * sizeof(PmemNamedEntry), v);
      return false;
    }
  }
  return true;
}

void PmemRoots::objects_do(void f(oop)) {
  struct Each {
    static void slot(volatile uint64_t* slot, void* ctx) {
      if (*slot != 0) {
        (*(void (**)(oop))ctx)(decode(*slot));
      }
    }
  };
  slots_do(Each::slot, &f);
}

oop PmemRoots::enums() {
  return decode(Atomic::load_acquire(&pmem_roots_area()->enums));
}

void PmemRoots::set_enums(oop registry) {
  PmemWriteback::store_persist(&pmem_roots_area()->enums, encode(registry));
}

bool PmemRoots::is_reference_slot(const void* addr) {
  if (addr == (const void*)&PmemHeap::state()->root_offset) {
    return true;
  }
  PmemRootsArea* a = pmem_roots_area();
  const char* first = (const char*)&a->entries[0];
  const char* p = (const char*)addr;
  return p >= first && p < (const char*)&a->entries[a->count] &&
         (size_t)(p - first) % sizeof(PmemNamedEntry) == offset_of(PmemNamedEntry, object);
}

oop PmemRoots::root() {
  return decode(Atomic::load_acquire(&PmemHeap::state()->root_offset));
}

bool PmemRoots::set_root(oop obj) {
  MutexLocker ml(roots_lock(), Mutex::_no_safepoint_check_flag);
  if (!log_in_txn(&PmemHeap::state()->root_offset)) {
    return false;
  }
  PmemWriteback::store_persist(&PmemHeap::state()->root_offset, encode(obj));
  return true;
}

static PmemNamedEntry* find(PmemRootsArea* a, const char* name) {
  size_t len = strlen(name);
  for (uint64_t i = 0; i < a->count; i++) {
    PmemNamedEntry* e = &a->entries[i];
    if (e->object != 0 && e->name_len == len && memcmp(e->name, name, len) == 0) {
      return e;
    }
  }
  return NULL;
}

oop PmemRoots::get(const char* name) {
  MutexLocker ml(roots_lock(), Mutex::_no_safepoint_check_flag);
  PmemNamedEntry* e = find(pmem_roots_area(), name);
  return e == NULL ? (oop)NULL : decode(e->object);
}

PmemRoots::PutResult PmemRoots::put(const char* name, oop obj) {
  assert(obj != NULL && strlen(name) <= max_name_bytes, "checked by the caller");
  MutexLocker ml(roots_lock(), Mutex::_no_safepoint_check_flag);
  PmemRootsArea* a = pmem_roots_area();
  PmemNamedEntry* e = find(a, name);
  if (e != NULL) {
    if (!log_in_txn(&e->object)) {
      return log_full;
    }
    PmemWriteback::store_persist(&e->object, encode(obj));   // rebind in one store
    return done;
  }
  // A free entry: one that was removed, or the next never used.
  for (uint64_t i = 0; i < a->count && e == NULL; i++) {
    if (a->entries[i].object == 0) {
      e = &a->entries[i];
    }
  }
  if (e == NULL) {
    if (a->count >= capacity()) {
      return table_full;
    }
    e = &a->entries[a->count];
    memset(e, 0, sizeof(*e));
    PmemWriteback::persist(e, sizeof(*e));
    PmemWriteback::store_persist(&a->count, a->count + 1);
  }
  // The name first, durable, then the reference that makes the entry live.
  // (A free entry's name needs no undo: an entry without a reference is free.)
  if (!log_in_txn(&e->object)) {
    return log_full;
  }
  size_t len = strlen(name);
  memset(e->name, 0, sizeof(e->name));
  memcpy(e->name, name, len);
  e->name_len = (uint32_t)len;
  PmemWriteback::persist(e, sizeof(*e));
  PmemWriteback::store_persist(&e->object, encode(obj));
  return done;
}

PmemRoots::PutResult PmemRoots::remove(const char* name) {
  MutexLocker ml(roots_lock(), Mutex::_no_safepoint_check_flag);
  PmemNamedEntry* e = find(pmem_roots_area(), name);
  if (e == NULL) {
    return absent;
  }
  if (!log_in_txn(&e->object)) {
    return log_full;
  }
  PmemWriteback::store_persist(&e->object, 0);
  return done;
}

void PmemRoots::names(GrowableArray<const char*>* out) {
  MutexLocker ml(roots_lock(), Mutex::_no_safepoint_check_flag);
  PmemRootsArea* a = pmem_roots_area();
  for (uint64_t i = 0; i < a->count; i++) {
    PmemNamedEntry* e = &a->entries[i];
    if (e->object != 0) {
      char* copy = NEW_RESOURCE_ARRAY(char, e->name_len + 1);
      memcpy(copy, e->name, e->name_len);
      copy[e->name_len] = '\0';
      out->append(copy);
    }
  }
}

void PmemRoots::slots_do(void f(volatile uint64_t* slot, void* ctx), void* ctx) {
  PmemRootsArea* a = pmem_roots_area();
  f(&PmemHeap::state()->root_offset, ctx);
  f(&a->enums, ctx);
  for (uint64_t i = 0; i < a->count; i++) {
    if (a->entries[i].object != 0) {
      f(&a->entries[i].object, ctx);
    }
  }
}
