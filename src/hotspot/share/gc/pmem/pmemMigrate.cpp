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
#include "classfile/javaClasses.hpp"
#include "classfile/classLoaderData.inline.hpp"
#include "classfile/vmSymbols.hpp"
#include "gc/pmem/pmemAllocator.hpp"
#include "gc/pmem/pmemAttach.hpp"
#include "gc/pmem/pmemFault.hpp"
#include "gc/pmem/pmemFormat.hpp"
#include "gc/pmem/pmemHeap.hpp"
#include "gc/pmem/pmemHeapFile.hpp"
#include "gc/pmem/pmemLayoutText.hpp"
#include "gc/pmem/pmemProgress.hpp"
#include "gc/pmem/pmemMigrate.hpp"
#include "gc/pmem/pmemRoots.hpp"
#include "gc/pmem/pmemTypeTable.hpp"
#include "gc/pmem/pmemWalk.hpp"
#include "gc/pmem/pmemWriteback.hpp"
#include "jvm_io.h"
#include "logging/log.hpp"
#include "memory/iterator.hpp"
#include "memory/resourceArea.hpp"
#include "oops/access.inline.hpp"
#include "oops/compressedOops.inline.hpp"
#include "oops/fieldStreams.inline.hpp"
#include "oops/instanceKlass.hpp"
#include "oops/instanceOop.hpp"
#include "runtime/handles.inline.hpp"
#include "runtime/os.hpp"
#include "utilities/align.hpp"
#include "utilities/growableArray.hpp"

namespace {

// A field kept by the new layout: where its bytes were and go.
struct Kept {
  int from;
  int to;
  int size;
};

// What migrating the objects of one type takes.
struct Plan : public CHeapObj<mtGC> {
  uint64_t new_fp;          // the class's layout fingerprint in this run
  size_t old_words;
  size_t new_words;
  GrowableArrayCHeap<int, mtGC>  old_refs;   // reference fields of the old layout, byte offsets
  GrowableArrayCHeap<Kept, mtGC> kept;
};

Plan**  _plans = NULL;      // by type index; NULL: not migrating
size_t  _plans_len = 0;
int     _planned = 0;

int field_size(char sig) {
  return PmemLayoutText::field_size(sig, heapOopSize);
}

typedef PmemLayoutText::Item Item;

bool same(const char* a, int a_len, const char* b) {
  return (int)strlen(b) == a_len && strncmp(a, b, a_len) == 0;
}

// The index-th item named name (index-th among fields of that name up the
// hierarchy), or -1.
int find(const GrowableArray<Item>& items, const char* name, int index) {
  for (int i = 0; i < items.length(); i++) {
    if (same(items.at(i).name, items.at(i).name_len, name) && index-- == 0) {
      return i;
    }
  }
  return -1;
}

bool is_enum(InstanceKlass* k) {
  for (Klass* s = k->super(); s != NULL; s = s->super()) {
    if (s->name()->equals("java/lang/Enum") && s->class_loader_data()->is_boot_class_loader_data()) return true;
  }
  return false;
}

Plan* plan_of(size_t idx) {
  return idx < _plans_len ? _plans[idx] : NULL;
}

// The new layouts' fingerprints, mixed: what a resumed migration must find.
uint64_t plans_check() {
  uint64_t h = UCONST64(0xcbf29ce484222325);
  for (size_t i = 0; i < _plans_len; i++) {
    if (_plans[i] != NULL) {
      h = (h ^ i) * UCONST64(0x100000001b3);
      h = (h ^ _plans[i]->new_words) * UCONST64(0x100000001b3);
      for (int j = 0; j < _plans[i]->kept.length(); j++) {
        const Kept& f = _plans[i]->kept.at(j);
        h = (h ^ (((uint64_t)f.from << 32) | ((uint64_t)f.to << 8) | (uint64_t)f.size)) * UCONST64(0x100000001b3);
      }
    }
  }
  return h | 1;
}

}  // namespace

void PmemMigrate::reset() {
  for (size_t i = 0; i < _plans_len; i++) {
    delete _plans[i];
  }
  FREE_C_HEAP_ARRAY(Plan*, _plans);
  _plans = NULL;
  _plans_len = 0;
  _planned = 0;
}

bool PmemMigrate::plan(size_t idx, InstanceKlass* k, uint64_t fingerprint, const char* was, bool cut_short,
                       char* err, size_t err_len) {
  const char* path = PmemHeap::file()->path();
  ResourceMark rm;
  GrowableArray<Item> old_items;
  if (cut_short || !PmemLayoutText::parse(was, &old_items)) {
    jio_snprintf(err, err_len, "class %s has objects in %s but changed since they were written, and its recorded "
                 "layout is too long to migrate them; restore its fields", k->external_name(), path);
    return false;
  }
  if (is_enum(k)) {
    jio_snprintf(err, err_len, "class %s has objects in %s but changed since they were written: the fields of an "
                 "enum stored in the persistent heap cannot change", k->external_name(), path);
    return false;
  }
  Plan* p = new Plan();
  p->new_fp = fingerprint;
  size_t end = instanceOopDesc::base_offset_in_bytes();
  for (int i = 0; i < old_items.length(); i++) {
    const Item& it = old_items.at(i);
    const int size = field_size(*it.sig);
    end = MAX2(end, (size_t)it.offset + size);
    if (*it.sig == 'L' || *it.sig == '[') {
      p->old_refs.append(it.offset);
    }
  }
  p->old_words = align_object_size(align_up(end, (size_t)HeapWordSize) / HeapWordSize);
  p->new_words = k->size_helper();
  // The new layout, supers first (as PmemTypeTable::describe writes it).
  GrowableArray<InstanceKlass*> chain;
  for (InstanceKlass* c = k; c != NULL; c = c->java_super()) {
    chain.push(c);
  }
  GrowableArray<const char*> seen;
  for (int i = chain.length() - 1; i >= 0; i--) {
    for (JavaFieldStream fs(chain.at(i)); !fs.done(); fs.next()) {
      if (fs.access_flags().is_static()) continue;
      const char* name = fs.name()->as_C_string();
      const char* sig = fs.signature()->as_C_string();
      int index = 0;
      for (int j = 0; j < seen.length(); j++) {
        index += strcmp(seen.at(j), name) == 0 ? 1 : 0;
      }
      seen.append(name);
      const int o = find(old_items, name, index);
      if (o < 0) {
        continue;   // a new field: zero or null
      }
      const Item& it = old_items.at(o);
      if (!same(it.sig, it.sig_len, sig)) {
        jio_snprintf(err, err_len, "class %s has objects in %s but changed since they were written: field %.*s:%.*s@%d "
                     "is now %s:%s@%d; only fields added or removed can be migrated", k->external_name(), path,
                     it.name_len, it.name, it.sig_len, it.sig, it.offset, name, sig, fs.offset());
        delete p;
        return false;
      }
      Kept f = { it.offset, fs.offset(), field_size(*sig) };
      p->kept.append(f);
    }
  }
  if (_plans_len <= idx) {
    const size_t len = MAX2(idx + 1, PmemTypeTable::count());
    Plan** a = NEW_C_HEAP_ARRAY(Plan*, len, mtGC);
    for (size_t i = 0; i < len; i++) a[i] = i < _plans_len ? _plans[i] : NULL;
    FREE_C_HEAP_ARRAY(Plan*, _plans);
    _plans = a;
    _plans_len = len;
  }
  delete _plans[idx];
  _plans[idx] = p;
  _planned++;
  return true;
}

bool PmemMigrate::needed() {
  return _planned > 0 || PmemHeap::state()->migr_phase != 0;
}

bool PmemMigrate::is_old(size_t idx, size_t offset) {
  if (plan_of(idx) == NULL) {
    return false;
  }
  const PmemFileState* st = PmemHeap::state();
  return st->migr_phase == 0 || offset < st->migr_tail;
}

size_t PmemMigrate::old_words(size_t idx) {
  return plan_of(idx)->old_words;
}

void PmemMigrate::old_oops_do(size_t idx, void* obj, OopIterateClosure* cl) {
  const Plan* p = plan_of(idx);
  for (int i = 0; i < p->old_refs.length(); i++) {
    void* f = (char*)obj + p->old_refs.at(i);
    if (UseCompressedOops) cl->do_oop((narrowOop*)f); else cl->do_oop((oop*)f);
  }
}

namespace {

// The old objects below the tail, in address order, and their copies' places.
class Olds : public PmemObjectVisitor {
  const size_t _tail;
public:
  GrowableArrayCHeap<size_t, mtGC> offsets;
  GrowableArrayCHeap<int, mtGC>    types;
  GrowableArrayCHeap<size_t, mtGC> copies;   // offset of each copy
  size_t bytes = 0;                          // of all copies

  Olds(size_t tail) : _tail(tail) {}
  virtual void visit(HeapWord* obj, size_t offset, int idx, size_t words) {
    if (offset < _tail && plan_of(idx) != NULL) {
      offsets.append(offset);
      types.append(idx);
      copies.append(_tail + bytes);
      bytes += plan_of(idx)->new_words * HeapWordSize;
    }
  }
};

// Once the copies are durable, an old object's mark word (its identity
// hash went to the copy) says where its copy is: the copy's offset above a
// low byte that no persistent header holds otherwise (lock bits 11, but not
// a free tag).
const uint64_t forward_byte = 0x0b;

bool forwarded_to(HeapWord* obj, size_t tail, size_t* copy) {
  if (pointer_delta(obj, PmemHeap::bottom(), 1) >= tail) return false;
  const uint64_t m = PmemWalk::mark_bits(obj);
  if ((m & 0xff) != forward_byte) return false;
  *copy = (size_t)(m >> 8);
  return true;
}

// Points every reference to an old object at its copy. Written back a line
// at a time; fields come in address order.
class Forward : public BasicOopIterateClosure {
  const size_t _tail;
  PmemLineFlusher _lines;
public:
  size_t forwarded = 0;
  Forward(size_t tail) : _tail(tail) {}
  template <typename T> void work(T* p) {
    T v = RawAccess<>::oop_load(p);
    if (CompressedOops::is_null(v)) return;
    oop o = CompressedOops::decode_not_null(v);
    size_t copy;
    if (!forwarded_to(cast_from_oop<HeapWord*>(o), _tail, &copy)) return;
    RawAccess<>::oop_store(p, cast_to_oop((char*)PmemHeap::bottom() + copy));
    forwarded++;
    _lines.changed(p);
  }
  virtual void do_oop(oop* p)       { work(p); }
  virtual void do_oop(narrowOop* p) { work(p); }
  void written_back() { _lines.flush(); }
};

class ForwardChunks : public PmemChunkDone {
  Forward* _f;
  PmemProgress _progress;
public:
  ForwardChunks(Forward* f) : _f(f), _progress("Migrating: forwarding references", (size_t)PmemHeap::state()->objects_top) {}
  virtual void done(size_t end_offset) {
    _progress.at(end_offset);
    _f->written_back();
    PmemWriteback::drain();
    PmemFault::reached("migrate-forwarding");
  }
};

// Sets the mark word of each old object to value(its index), durably.
template <typename F> void set_mark_words(const Olds& olds, F value) {
  PmemLineFlusher lines;
  for (int i = 0; i < olds.offsets.length(); i++) {
    HeapWord* obj = PmemHeap::bottom() + olds.offsets.at(i) / HeapWordSize;
    *(volatile uint64_t*)obj = value(i);
    lines.changed(obj);
  }
  lines.flush();
  PmemWriteback::drain();
}

void forward_root(volatile uint64_t* slot, void* ctx) {
  const size_t tail = *(const size_t*)ctx;
  size_t copy;
  if (*slot != 0 && forwarded_to(PmemHeap::bottom() + (*slot - 1) / HeapWordSize, tail, &copy)) {
    PmemWriteback::store_persist(slot, (uint64_t)copy + 1);   // offset + 1 (PmemRoots::encode)
  }
}

}  // namespace

// Whether a migration a crash left is one to this run's classes: every
// entry marked migrating has this run's class at the new layout it
// recorded, and (before phase 3, where entries updated so far plan nothing
// any more) the plans are exactly the marked entries, as recorded.
static bool same_versions() {
  const PmemFileState* st = PmemHeap::state();
  int marked = 0;
  for (size_t i = 0; i < PmemTypeTable::count(); i++) {
    const PmemTypeEntry* e = PmemTypeTable::entry(i);
    const bool planned = plan_of(i) != NULL;
    if (e->migrating == 0) {
      if (planned) return false;   // a change of another class: after this migration
      continue;
    }
    marked++;
    // Without a plan the class has the entry's layout (resolve_all).
    const uint64_t fp = planned ? plan_of(i)->new_fp : e->fingerprint;
    if ((uint16_t)fp != e->migrating_fp) return false;
    if (st->migr_phase < 3 && !planned) return false;
  }
  return marked > 0 && (st->migr_phase == 3 || st->migr_check == plans_check());
}

bool PmemMigrate::check(char* err, size_t err_len) {
  const PmemFileState* st = PmemHeap::state();
  if (st->migr_phase != 0 && !same_versions()) {
    // Copies in other layouts exist (or references to them): only those
    // classes can finish the migration.
    jio_snprintf(err, err_len, "%s holds a migration of objects to other versions of their classes, interrupted "
                 "by a crash; start it once with the classes of that run", PmemHeap::file()->path());
    return false;
  }
  return true;
}

bool PmemMigrate::run(char* err, size_t err_len) {
  PmemFileState* st = PmemHeap::state();
  const char* path = PmemHeap::file()->path();
  if (!needed()) {
    return true;
  }
  uint64_t phase = st->migr_phase;
  const uint64_t check = plans_check();
  const jlong start = os::javaTimeNanos();
  const size_t tail = phase != 0 ? (size_t)st->migr_tail
                                 : pointer_delta(PmemAllocator::top(), PmemHeap::bottom(), 1);
  Olds olds(tail);
  PmemAttach::objects_do(0, tail, &olds);
  if (phase == 0) {
    if (tail + olds.bytes > PmemHeap::size_in_bytes()) {
      PmemHeap::grow(tail + olds.bytes - PmemHeap::size_in_bytes());   // if -XX:PmemMaxSize allows
    }
    if (tail + olds.bytes > PmemHeap::size_in_bytes()) {
      jio_snprintf(err, err_len, "%s has no room to migrate " SIZE_FORMAT " objects of changed classes: they need "
                   SIZE_FORMAT "K after the used part, " SIZE_FORMAT "K are left (a larger -XX:PmemMaxSize, or the "
                   "old classes)", path, (size_t)olds.offsets.length(), olds.bytes / K,
                   (PmemHeap::size_in_bytes() - tail) / K);
      return false;
    }
    st->migr_tail = tail;
    st->migr_check = check;
    PmemWriteback::persist(st, sizeof(*st));
    // Which types migrate, and to what: a start after a crash compares them
    // with its classes (same_versions), whatever phase the crash left.
    for (size_t i = 0; i < _plans_len; i++) {
      if (_plans[i] != NULL) {
        PmemTypeEntry* e = PmemTypeTable::entry(i);
        e->migrating_fp = (uint16_t)_plans[i]->new_fp;
        e->migrating = 1;
        PmemWriteback::persist(e, offset_of(PmemTypeEntry, name));
      }
    }
    PmemWriteback::store_persist(&st->migr_phase, 1);
    phase = 1;
    PmemFault::reached("migrate-begun");
  }
  if (phase == 1) {
    // Above the used part until all are written: a walk after a crash here
    // never meets a copy cut short.
    PmemProgress progress("Migrating: copying objects", olds.bytes);
    for (int i = 0; i < olds.offsets.length(); i++) {
      if ((i & 4095) == 0) progress.at(olds.copies.at(i) - tail);
      const Plan* p = plan_of(olds.types.at(i));
      char* from = (char*)PmemHeap::bottom() + olds.offsets.at(i);
      char* to = (char*)PmemHeap::bottom() + olds.copies.at(i);
      memset(to, 0, p->new_words * HeapWordSize);
      // The identity hash stays; lock state of a dead run does not.
      *(uint64_t*)to = PmemAttach::clean_mark(PmemWalk::mark_bits((HeapWord*)from));
      PmemWalk::set_raw_klass((HeapWord*)to, PmemWalk::raw_klass((HeapWord*)from));
      for (int j = 0; j < p->kept.length(); j++) {
        const Kept& f = p->kept.at(j);
        switch (f.size) {   // no call per field
          case 1:  *(uint8_t*)(to + f.to) = *(uint8_t*)(from + f.from);   break;
          case 2:  *(uint16_t*)(to + f.to) = *(uint16_t*)(from + f.from); break;
          case 4:  *(uint32_t*)(to + f.to) = *(uint32_t*)(from + f.from); break;
          default: *(uint64_t*)(to + f.to) = *(uint64_t*)(from + f.from); break;
        }
      }
    }
    PmemWriteback::persist((char*)PmemHeap::bottom() + tail, olds.bytes);   // the copies lie together
    PmemAllocator::raise_top(PmemHeap::bottom() + (tail + olds.bytes) / HeapWordSize);
    PmemFault::reached("migrate-copied");
    PmemWriteback::store_persist(&st->migr_phase, 2);
    phase = 2;
  }
  size_t forwarded = 0;
  if (phase == 2) {
    set_mark_words(olds, [&](int i) { return ((uint64_t)olds.copies.at(i) << 8) | forward_byte; });
    Forward fwd(tail);
    ForwardChunks chunks(&fwd);
    PmemAttach::oops_do(0, &fwd, &chunks, false);   // the old objects' references are dead
    fwd.written_back();
    PmemWriteback::drain();
    size_t roots_tail = tail;
    PmemRoots::slots_do(forward_root, &roots_tail);
    forwarded = fwd.forwarded;
    PmemWriteback::store_persist(&st->migr_phase, 3);
    phase = 3;
    PmemFault::reached("migrate-forwarded");
  }
  // 3: the old objects become free chunks (those a crash freed already are
  // free chunks now, which the walk passes over), then the type table takes
  // the new layouts.
  set_mark_words(olds, [&](int i) { return PmemWalk::free_tag(plan_of(olds.types.at(i))->old_words); });
  PmemFault::reached("migrate-freed");
  // Each entry takes its new layout, then drops its mark; a crash between
  // leaves an entry that no longer plans anything, marked with this layout.
  int types = 0;
  for (size_t i = 0; i < PmemTypeTable::count(); i++) {
    PmemTypeEntry* e = PmemTypeTable::entry(i);
    if (e->migrating == 0) {
      continue;
    }
    PmemTypeTable::describe(PmemTypeTable::resolved(i), e->layout, sizeof(e->layout), &e->fingerprint);
    e->layout_len = (uint16_t)strlen(e->layout);
    PmemWriteback::persist(e, sizeof(*e));
    e->migrating = 0;
    e->migrating_fp = 0;
    PmemWriteback::persist(e, offset_of(PmemTypeEntry, name));
    types++;
  }
  PmemWriteback::store_persist(&st->migr_phase, 0);
  const int objects = olds.offsets.length();
  reset();
  log_info(gc, pmem)("Migrated %s: %d objects of %d changed class(es) to their new fields (" SIZE_FORMAT
                     "K of copies), " SIZE_FORMAT " references forwarded, %.1f ms", path, objects, types,
                     olds.bytes / K, forwarded, (os::javaTimeNanos() - start) / 1e6);
  return true;
}
