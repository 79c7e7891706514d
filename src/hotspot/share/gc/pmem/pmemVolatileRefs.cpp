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
#include "classfile/vmClasses.hpp"
#include "classfile/vmSymbols.hpp"
#include "gc/pmem/pmemBarrier.hpp"
#include "gc/pmem/pmemCollector.hpp"
#include "gc/pmem/pmemEnums.hpp"
#include "gc/pmem/pmemHeap.hpp"
#include "gc/pmem/pmemLocking.hpp"
#include "gc/pmem/pmemMark.hpp"
#include "runtime/fieldDescriptor.inline.hpp"
#include "gc/pmem/pmemRedirect.hpp"
#include "gc/pmem/pmemRemSet.hpp"
#include "gc/pmem/pmemTxn.hpp"
#include "gc/pmem/pmemTypeTable.hpp"
#include "gc/pmem/pmemVolatileRefs.hpp"
#include "gc/pmem/pmemWalk.hpp"
#include "gc/pmem/pmemWriteback.hpp"
#include "logging/log.hpp"
#include "memory/iterator.inline.hpp"
#include "memory/resourceArea.hpp"
#include "oops/access.inline.hpp"
#include "oops/arrayOop.hpp"
#include "oops/instanceKlass.hpp"
#include "oops/oop.inline.hpp"
#include "runtime/handles.inline.hpp"
#include "runtime/mutex.hpp"
#include "runtime/mutexLocker.hpp"
#include "runtime/orderAccess.hpp"
#include "runtime/os.hpp"
#include "runtime/safepoint.hpp"
#include "runtime/thread.hpp"
#include "runtime/threadSMR.hpp"
#include "utilities/bitMap.inline.hpp"
#include "utilities/copy.hpp"
#include "utilities/formatBuffer.hpp"
#include "utilities/growableArray.hpp"

// -- helpers --------------------------------------------------------------

static oop load_at(void* p) {
  return UseCompressedOops ? RawAccess<>::oop_load((narrowOop*)p) : RawAccess<>::oop_load((oop*)p);
}

static void store_at(void* p, oop v) {
  if (v != NULL && PmemHeap::is_in(p)) {
    PmemRemSet::remember(p);   // a value's copy, younger than the field's object perhaps
  }
  if (UseCompressedOops) {
    RawAccess<>::oop_store((narrowOop*)p, v);
  } else {
    RawAccess<>::oop_store((oop*)p, v);
  }
}

static bool is_volatile(oop v) {
  return v != NULL && !PmemHeap::is_in(cast_from_oop<void*>(v));
}

// f(address of the field) for each reference field of obj.
template <typename F> class RefFieldClosure : public BasicOopIterateClosure {
  F& _f;
public:
  RefFieldClosure(F& f) : _f(f) {}
  virtual void do_oop(oop* p)       { _f((void*)p); }
  virtual void do_oop(narrowOop* p) { _f((void*)p); }
};

// Enum constants made persistent (PmemEnums) during a commit lie among the
// transaction's objects in its allocation buffer, but the enum registry
// anchors them, and their fields belong to the run: never walked, never loose.
static bool walks_into(oop o) {
  return !PmemEnums::is_constant(o);
}

template <typename F> static void fields_do(oop obj, F f) {
  RefFieldClosure<F> cl(f);
  obj->oop_iterate(&cl);
}

// f(obj) for each object the transaction made.
template <typename F> static void fresh_objects_do(PmemTxn* t, F f) {
  t->do_fresh_ranges([&](HeapWord* from, HeapWord* to) {
    for (HeapWord* p = PmemWalk::next_object(from, to); p < to;
         p = PmemWalk::next_object(p + cast_to_oop(p)->size(), to)) {
      f(cast_to_oop(p));
    }
  });
}

// -- loose objects: a bit per word of each, so that a field's address tells --

static Mutex* _lock = NULL;            // guards _slots and the bitmap's creation
// Over the whole persistent part, in memory the OS hands out zeroed and
// on first touch: only the pages over loose objects are ever backed (a
// cleared C-heap bitmap made a JVM's first transaction on a 6 GB file
// spend 300 ms in memset).
static BitMapView _loose;
static volatile bool _loose_ready = false;
// A bit at the start of each object locked while no root could reach it
// (loose, or made by the locking thread's open transaction): its lock state
// dies with the run, unless it is anchored later (check_locks_of_anchored).
static BitMapView _locked;
static volatile bool _locked_ready = false;

static Mutex* lock() {
  if (Atomic::load_acquire(&_lock) == NULL) {
    Mutex* m = new Mutex(Mutex::leaf, "PmemVolatileRefs_lock", true, Mutex::_safepoint_check_never);
    if (Atomic::cmpxchg(&_lock, (Mutex*)NULL, m) != NULL) {
      delete m;
    }
  }
  return _lock;
}

static BitMap::idx_t index_of(const void* p) {
  return pointer_delta((HeapWord*)p, PmemHeap::bottom());
}

bool PmemVolatileRefs::is_loose(const void* p) {
  return Atomic::load_acquire(&_loose_ready) && PmemHeap::is_in(p) && _loose.at(index_of(p));
}

// A bit per word of the persistent part, made on first use.
static void make_bitmap(BitMapView* map, volatile bool* ready, const char* what) {
  MutexLocker ml(lock(), Mutex::_no_safepoint_check_flag);
  if (!*ready) {
    const size_t bits = pointer_delta(PmemHeap::max_end(), PmemHeap::bottom());   // what it may grow to
    const size_t bytes = align_up(BitMap::calc_size_in_words(bits) * BytesPerWord, os::vm_page_size());
    char* mem = os::reserve_memory(bytes, false, mtGC);
    if (mem == NULL) {
      vm_exit_out_of_memory(bytes, OOM_MMAP_ERROR, "%s", what);
    }
    os::commit_memory_or_exit(mem, bytes, false, what);
    *map = BitMapView((BitMap::bm_word_t*)mem, bits);
    Atomic::release_store(ready, true);
  }
}

static void set_loose(oop obj, bool loose) {
  if (!Atomic::load_acquire(&_loose_ready)) {
    if (!loose) return;
    make_bitmap(&_loose, &_loose_ready, "bitmap of loose persistent objects");
  }
  const BitMap::idx_t i = index_of(cast_from_oop<void*>(obj));
  _loose.par_at_put_range(i, i + obj->size(), loose);   // threads share bitmap words
}

// What the sweep of a collection freed, in address order, for prune().
struct FreedRange { HeapWord* start; HeapWord* end; };
static GrowableArrayCHeap<FreedRange, mtGC>* _freed = NULL;

void PmemVolatileRefs::freed(HeapWord* start, size_t words) {
  if (_loose_ready) {
    _loose.clear_range(index_of(start), index_of(start) + words);
  }
  if (_locked_ready) {
    _locked.clear_range(index_of(start), index_of(start) + words);
  }
  if (_freed == NULL) {
    _freed = new GrowableArrayCHeap<FreedRange, mtGC>(64);
  }
  FreedRange r = { start, start + words };
  _freed->append(r);
}

static bool in_freed(const void* p) {
  int lo = 0, hi = _freed == NULL ? 0 : _freed->length();
  while (lo < hi) {
    const int mid = (lo + hi) / 2;
    if ((HeapWord*)p < _freed->at(mid).start) hi = mid;
    else if ((HeapWord*)p >= _freed->at(mid).end) lo = mid + 1;
    else return true;
  }
  return false;
}

// -- fields of loose objects that refer to volatile objects: GC roots ------
// An address set, open addressing with tombstones.

static uintptr_t* _set = NULL;
static size_t     _cap = 0;
static size_t     _used = 0;           // live entries and tombstones
static volatile size_t _count = 0;     // live entries
static const uintptr_t tombstone = 1;

static size_t hash_of(uintptr_t a) {
  return (size_t)((a >> 2) * 0x9E3779B97F4A7C15ULL >> 17);
}

static size_t find(uintptr_t a) {   // the slot of a, or the empty one where it would go
  size_t i = hash_of(a) & (_cap - 1);
  while (_set[i] != 0 && _set[i] != a) i = (i + 1) & (_cap - 1);
  return i;
}

static void rehash(size_t cap) {
  uintptr_t* old = _set;
  const size_t old_cap = _cap;
  _set = NEW_C_HEAP_ARRAY(uintptr_t, cap, mtGC);
  memset(_set, 0, cap * sizeof(uintptr_t));
  _cap = cap;
  _used = 0;
  for (size_t i = 0; i < old_cap; i++) {
    if (old[i] > tombstone) {
      _set[find(old[i])] = old[i];
      _used++;
    }
  }
  FREE_C_HEAP_ARRAY(uintptr_t, old);
}

static void add_slot_locked(uintptr_t a) {
  if (2 * (_used + 1) > _cap) {
    rehash(round_up_power_of_2(MAX2((size_t)256, 4 * (size_t)Atomic::load(&_count) + 4)));
  }
  const size_t i = find(a);
  if (_set[i] != a) {
    _set[i] = a;
    _used++;
    Atomic::store(&_count, _count + 1);
  }
}

bool PmemVolatileRefs::is_slot(const void* field) {
  return _cap != 0 && _set[find((uintptr_t)field)] == (uintptr_t)field;
}

// At a safepoint, after a compaction: every entry at its field's new
// address (forwarding keeps distinct fields distinct).
void PmemVolatileRefs::slots_moved(void* forward(const void* field)) {
  for (size_t i = 0; i < _cap; i++) {
    if (_set[i] > tombstone) {
      _set[i] = (uintptr_t)forward((const void*)_set[i]);
    }
  }
  if (_cap > 0) {
    rehash(_cap);
  }
}

static void slide_bits_of(BitMapView* map, BitMap::idx_t from, BitMap::idx_t to, size_t n) {
  GrowableArrayCHeap<BitMap::idx_t, mtGC> set;
  for (BitMap::idx_t i = map->get_next_one_offset(from, from + n); i < from + n;
       i = map->get_next_one_offset(i + 1, from + n)) {
    set.append(i - from);
  }
  // The source first: the destination may overlap it, and every bit below
  // it was moved or cleared already.
  map->clear_range(from, from + n);
  for (int k = 0; k < set.length(); k++) {
    map->set_bit(to + set.at(k));
  }
}

void PmemVolatileRefs::slide_bits(HeapWord* from, HeapWord* to, size_t words) {
  if (_loose_ready) {
    slide_bits_of(&_loose, index_of(from), index_of(to), words);
  }
  if (_locked_ready) {
    slide_bits_of(&_locked, index_of(from), index_of(to), words);
  }
}

void PmemVolatileRefs::add_slot(const void* field) {
  MutexLocker ml(lock(), Mutex::_no_safepoint_check_flag);
  add_slot_locked((uintptr_t)field);
}

size_t PmemVolatileRefs::slot_count() {
  return Atomic::load(&_count);
}

// A transient field is a cache only when what it holds is a view of its
// holder (HashMap's keySet, TreeMap's descendingMap, a synchronized map's
// entry set: an object with a field that refers back to the holder, made
// again on demand) or an immutable value (BigDecimal's stringCache). Most
// transient fields of the JDK's collections are their data (HashMap.table,
// ArrayList.elementData, HashSet.map, TreeSet.m), transient only for their
// serial form: a volatile object there would be lost at the next start, so
// it is refused like any other.
static bool is_view_of(oop v, oop holder) {
  if (!v->klass()->is_instance_klass()) {
    return false;
  }
  bool found = false;
  fields_do(v, [&](void* p) { found |= load_at(p) == holder; });
  return found;
}

bool PmemVolatileRefs::is_transient_field(oop holder, const void* addr) {
  Klass* k = holder->klass();
  if (!k->is_instance_klass()) {
    return false;
  }
  fieldDescriptor fd;
  const int offset = (int)pointer_delta(addr, cast_from_oop<void*>(holder), 1);
  return InstanceKlass::cast(k)->find_field_from_offset(offset, false, &fd) && fd.access_flags().is_transient();
}

// EnumMap.keyType and EnumSet.elementType: the component type of the
// universe array they hold too, found again from it when the next run
// finds them null (java-util-enums.patch).
static bool is_enum_type_field(const fieldDescriptor& fd) {
  Symbol* h = fd.field_holder()->name();
  return (h->equals("java/util/EnumMap") && fd.name()->equals("keyType")) ||
         (h->equals("java/util/EnumSet") && fd.name()->equals("elementType"));
}

static bool is_enum_type_field(oop holder, const void* addr, oop val) {
  Klass* k = holder->klass();
  if (val->klass() != vmClasses::Class_klass() || !k->is_instance_klass()) {
    return false;
  }
  fieldDescriptor fd;
  const int offset = (int)pointer_delta(addr, cast_from_oop<void*>(holder), 1);
  return InstanceKlass::cast(k)->find_field_from_offset(offset, false, &fd) && is_enum_type_field(fd);
}

bool PmemVolatileRefs::may_refer_to_volatile(InstanceKlass* k, int offset) {
  fieldDescriptor fd;
  return k->find_field_from_offset(offset, false, &fd) && (fd.access_flags().is_transient() || is_enum_type_field(fd));
}

bool PmemVolatileRefs::is_cache_field(oop holder, const void* addr, oop val) {
  return (is_transient_field(holder, addr) && (is_view_of(val, holder) || is_value(val))) ||
         is_enum_type_field(holder, addr, val);
}

void PmemVolatileRefs::add_transient_slot(const void* field) {
  PmemLocking::note_needs_cleaning();   // the next attach walks the objects, and drops it
  add_slot(field);
}

// -- locks of objects no root reaches --------------------------------------
// The locker sets the bit, then reads the loose bit; the anchorer clears
// the loose bit, then reads the locked one; a fence between each pair, so
// at least one of them sees the other and the lock is noted.

bool PmemVolatileRefs::lock_dies_with_run(Thread* thread, oop obj) {
  const uintptr_t a = cast_from_oop<uintptr_t>(obj);
  PmemTxn* t = PmemTxn::of(thread);
  const bool mine = t != NULL && t->depth() > 0 && t->is_fresh_any(a);   // only this thread commits it
  if (!mine && !is_loose((void*)a)) {
    return false;
  }
  if (!Atomic::load_acquire(&_locked_ready)) {
    make_bitmap(&_locked, &_locked_ready, "bitmap of locked loose persistent objects");
  }
  _locked.par_set_bit(index_of((void*)a));
  OrderAccess::fence();
  return mine || is_loose((void*)a);
}

static void check_locks_of_anchored(GrowableArray<oop>* anchored) {
  if (!Atomic::load_acquire(&_locked_ready)) {
    return;
  }
  OrderAccess::fence();
  for (int i = 0; i < anchored->length(); i++) {
    if (_locked.at(index_of(cast_from_oop<void*>(anchored->at(i))))) {
      PmemLocking::note_anchored_lock();   // its header may hold a lock: the next attach cleans
      return;
    }
  }
}

// -- immutable values ---------------------------------------------------------

static bool value_class(InstanceKlass* ik) {
  static const char* const names[] = {
    "java/lang/String", "java/lang/Boolean", "java/lang/Character", "java/lang/Byte", "java/lang/Short",
    "java/lang/Integer", "java/lang/Long", "java/lang/Float", "java/lang/Double",
    "java/math/BigInteger", "java/math/BigDecimal", "java/util/UUID",
    "java/time/Instant", "java/time/LocalDate", "java/time/LocalTime", "java/time/LocalDateTime",
    "java/time/OffsetDateTime", "java/time/OffsetTime", "java/time/ZonedDateTime", "java/time/ZoneOffset",
    "java/time/Duration", "java/time/Period", "java/time/Year", "java/time/YearMonth", "java/time/MonthDay",
  };
  if (!PmemTypeTable::may_redirect(ik)) {
    return false;   // enums, Throwables, hidden classes, ...
  }
  if (ik->size_helper() == instanceOopDesc::header_size()) {
    return true;    // no fields: only its identity, which a copy cannot keep anyway
  }
  if (!ik->class_loader_data()->is_the_null_class_loader_data()) {
    return false;
  }
  for (const char* n : names) {
    if (ik->name()->equals(n)) return true;
  }
  return false;
}

bool PmemVolatileRefs::is_value(oop obj) {
  Klass* k = obj->klass();
  if (k->is_array_klass()) {
    return arrayOop(obj)->length() == 0 && PmemTypeTable::may_redirect(k);
  }
  return value_class(InstanceKlass::cast(k));
}

struct Twin {
  Handle orig;
  oop    copy;   // persistent: never moves
};

// A persistent deep copy of v (which is volatile), made in the transaction:
// every volatile object it reaches is copied too. NULL, with *why set, if
// one of them cannot be persistent; NULL with an exception pending when
// the persistent heap is full.
static oop copy_of(Handle v, GrowableArray<Twin>* memo, const char** why, TRAPS) {
  for (int i = 0; i < memo->length(); i++) {
    if (memo->at(i).orig() == v()) return memo->at(i).copy;
  }
  Klass* k = v->klass();
  if (!PmemTypeTable::may_redirect(k)) {
    *why = k->external_name();
    return NULL;
  }
  const int length = k->is_array_klass() ? arrayOop(v())->length() : -1;
  const size_t words = v->size();
  oop c = PmemRedirect::allocate_formatted(k, words, length, CHECK_NULL);
  // Everything after the klass: an array's length again, then the body.
  const size_t from = oopDesc::klass_offset_in_bytes() +
                      (UseCompressedClassPointers ? sizeof(narrowKlass) : sizeof(Klass*));
  Copy::conjoint_jbytes(cast_from_oop<char*>(v()) + from, cast_from_oop<char*>(c) + from,
                        words * HeapWordSize - from);
  Twin tw = { v, c };
  memo->append(tw);
  GrowableArray<void*> fields;
  fields_do(c, [&](void* p) { fields.append(p); });
  for (int i = 0; i < fields.length(); i++) {
    oop x = load_at(fields.at(i));   // read again: a collection may have moved it
    if (is_volatile(x)) {
      Handle xh(THREAD, x);
      oop xc = copy_of(xh, memo, why, CHECK_NULL);
      if (xc == NULL) return NULL;
      store_at(fields.at(i), xc);
    }
  }
  return c;
}

// -- commit -------------------------------------------------------------------

// The objects a walk has seen: open addressing that grows, for a large
// transaction reaches millions (a fixed-size chained table made a commit
// of 20,000 JSON documents take seconds).
class Visited : public StackObj {
  uintptr_t* _tab;
  size_t     _cap;
  size_t slot(uintptr_t a) const {
    size_t i = (size_t)((uint64_t)(a >> LogMinObjAlignmentInBytes) * 0x9E3779B97F4A7C15ULL >> 32) & (_cap - 1);
    while (_tab[i] != 0 && _tab[i] != a) i = (i + 1) & (_cap - 1);
    return i;
  }
  void grow() {
    uintptr_t* old = _tab;
    const size_t old_cap = _cap;
    _cap *= 2;
    _tab = NEW_C_HEAP_ARRAY(uintptr_t, _cap, mtGC);
    memset(_tab, 0, _cap * sizeof(uintptr_t));
    for (size_t i = 0; i < old_cap; i++) {
      if (old[i] != 0) _tab[slot(old[i])] = old[i];
    }
    FREE_C_HEAP_ARRAY(uintptr_t, old);
  }
public:
  GrowableArray<oop> all;
  Visited() : _cap(256) {
    _tab = NEW_C_HEAP_ARRAY(uintptr_t, _cap, mtGC);
    memset(_tab, 0, _cap * sizeof(uintptr_t));
  }
  ~Visited() { FREE_C_HEAP_ARRAY(uintptr_t, _tab); }
  bool has(oop o) const { return _tab[slot(cast_from_oop<uintptr_t>(o))] != 0; }
  void put(oop o) {
    const uintptr_t a = cast_from_oop<uintptr_t>(o);
    size_t i = slot(a);
    if (_tab[i] == a) return;
    _tab[i] = a;
    all.append(o);
    if (2 * (size_t)all.length() > _cap) grow();
  }
};

// Whether obj (persistent) reaches a volatile object through loose objects
// and, given t, through objects t made. Those it passes are added to seen.
static bool reaches_volatile(oop obj, PmemTxn* t, Visited* seen, oop* holder, void** field) {
  GrowableArray<oop> stack;
  seen->put(obj);
  stack.push(obj);
  while (!stack.is_empty()) {
    oop o = stack.pop();
    bool found = false;
    fields_do(o, [&](void* p) {
      if (found) return;
      oop v = load_at(p);
      if (v == NULL) return;
      if (is_volatile(v)) {
        found = true;
        *holder = o;
        *field = p;
      } else if (!seen->has(v) && walks_into(v) && ((t != NULL && t->is_fresh_any(cast_from_oop<uintptr_t>(v))) ||
                                   PmemVolatileRefs::is_loose(cast_from_oop<void*>(v)))) {
        seen->put(v);
        stack.push(v);
      }
    });
    if (found) return true;
  }
  return false;
}

bool PmemVolatileRefs::anchor(oop obj) {
  ResourceMark rm;
  Visited seen;
  oop holder = NULL;
  void* field = NULL;
  if (reaches_volatile(obj, NULL, &seen, &holder, &field)) {
    return false;
  }
  for (int i = 0; i < seen.all.length(); i++) set_loose(seen.all.at(i), false);
  check_locks_of_anchored(&seen.all);
  return true;
}

static void violation(PmemTxn* t, oop holder, void* field, TRAPS) {
  ResourceMark rm(THREAD);
  char where[512];
  PmemBarrier::describe(holder, field, where, sizeof(where));
  const char* what = load_at(field)->klass()->external_name();
  t->abort();
  THROW_MSG(vmSymbols::java_lang_IllegalArgumentException(),
            err_msg("transaction undone: %s refers to a volatile %s, which the transaction made reachable "
                    "from persistent objects older than it: a persistent object may refer only to persistent "
                    "objects and null (objects made inside a transaction are persistent, immutable values "
                    "such as String are copied)", where, what));
}

static void make_loose(oop o) {
  if (!walks_into(o)) return;
  set_loose(o, true);
  fields_do(o, [&](void* p) { if (is_volatile(load_at(p))) PmemVolatileRefs::add_slot(p); });
}

// Commit of the outermost level, in the leaf (native false: no safepoint,
// no allocation) or the native commit. Returns true when done; false when
// the leaf cannot finish it (values to copy, a violation to report), or,
// native, when the transaction was undone with an exception pending.
static bool settle(PmemTxn* t, bool native, TRAPS) {
  ResourceMark rm;
  Visited seen;
  GrowableArray<oop> stack;
  GrowableArray<Twin> memo;
  auto consider = [&](oop v) {
    if (v != NULL && !is_volatile(v) && !seen.has(v) && walks_into(v) &&
        (t->is_fresh_any(cast_from_oop<uintptr_t>(v)) || PmemVolatileRefs::is_loose(cast_from_oop<void*>(v)))) {
      seen.put(v);
      stack.push(v);
    }
  };
  // Gives the field at p a persistent copy of its volatile value; false if
  // that is not to be done here.
  auto copy_into = [&](oop holder, void* p) -> bool {
    if (native && (PmemEnums::is_constant(load_at(p)) || PmemEnums::is_universe(load_at(p)))) {
      // An enum constant (or EnumMap's universe): its twin, the same
      // object to every reference from now on.
      Handle vh(THREAD, load_at(p));
      oop twin = PmemEnums::promote(vh, THREAD);
      if (twin == NULL) {
        return false;   // the persistent heap is full: the exception is pending
      }
      store_at(p, twin);
      return true;
    }
    if (!native || !PmemVolatileRefs::is_value(load_at(p))) {
      return false;
    }
    Handle vh(THREAD, load_at(p));
    const char* why = NULL;
    oop c = copy_of(vh, &memo, &why, THREAD);
    if (c == NULL) {
      return false;
    }
    store_at(p, c);
    consider(c);
    return true;
  };
  // Fields of older objects given volatile values, and what the
  // transaction stored into older objects: nothing they reach may be volatile.
  for (int i = 0; i < t->pending().length(); i++) {
    void* p = (void*)t->pending().at(i);
    if (is_volatile(load_at(p)) && !copy_into(NULL, p)) {
      if (native && !HAS_PENDING_EXCEPTION) violation(t, NULL, p, THREAD);
      if (native && HAS_PENDING_EXCEPTION && t->depth() > 0) t->abort();
      return false;
    }
    if (native && HAS_PENDING_EXCEPTION) { t->abort(); return false; }
  }
  for (int i = 0; i < t->published().length(); i++) {
    consider(cast_to_oop(t->published().at(i)));
  }
  while (!stack.is_empty()) {
    oop o = stack.pop();
    if (PmemEnums::is_universe(o)) {
      // Class.getEnumConstantsShared ran in the transaction: EnumMap's and
      // EnumSet's universe is persistent, and the registry must know it.
      if (!native) return false;
      Handle oh(THREAD, o);
      if (PmemEnums::promote(oh, THREAD) == NULL) {
        t->abort();   // the persistent heap is full: nothing of the transaction remains
        return false;
      }
    }
    GrowableArray<void*> fields;
    fields_do(o, [&](void* p) { fields.append(p); });
    for (int i = 0; i < fields.length(); i++) {
      void* p = fields.at(i);
      oop v = load_at(p);
      if (!is_volatile(v)) {
        consider(v);
      } else if (is_enum_type_field(o, p, v)) {
        PmemVolatileRefs::add_transient_slot(p);   // a cache: a GC root, null in the next run
      } else if (!copy_into(o, p)) {
        if (native && HAS_PENDING_EXCEPTION) {
          t->abort();   // the persistent heap is full: nothing of the transaction remains
        } else if (native) {
          violation(t, o, p, THREAD);
        }
        return false;
      } else if (HAS_PENDING_EXCEPTION) {
        t->abort();
        return false;
      }
    }
  }
  // What the transaction published is anchored: reachable from older
  // objects, it will be after a restart. The rest of its objects are loose.
  for (int i = 0; i < seen.all.length(); i++) {
    oop o = seen.all.at(i);
    if (PmemVolatileRefs::is_loose(cast_from_oop<void*>(o))) set_loose(o, false);
  }
  check_locks_of_anchored(&seen.all);
  fresh_objects_do(t, [&](oop o) {
    if (!seen.has(o)) make_loose(o);
  });
  return true;
}

void PmemVolatileRefs::abandon(PmemTxn* t) {
  fresh_objects_do(t, make_loose);
}

bool PmemVolatileRefs::settle_in_leaf(PmemTxn* t) {
  JavaThread* thread = JavaThread::current();
  return settle(t, false, thread);
}

bool PmemVolatileRefs::settle_native(PmemTxn* t, TRAPS) {
  HandleMark hm(THREAD);
  return settle(t, true, THREAD);
}

// -- collections ----------------------------------------------------------

void PmemVolatileRefs::oops_do(OopClosure* cl) {
  if (!PmemCollector::is_attached()) {
    return;
  }
  PmemEnums::oops_do(cl);
  auto apply = [&](void* p) {
    if (is_volatile(load_at(p))) {
      if (UseCompressedOops) {
        cl->do_oop((narrowOop*)p);
      } else {
        cl->do_oop((oop*)p);
      }
    }
  };
  for (JavaThreadIteratorWithHandle jtiwh; JavaThread* jt = jtiwh.next(); ) {
    PmemTxn* t = PmemTxn::of(jt);
    if (t == NULL || t->depth() == 0) continue;
    fresh_objects_do(t, [&](oop o) { fields_do(o, apply); });
    t->do_pending([&](uintptr_t p) { apply((void*)p); });
  }
  for (size_t i = 0; i < _cap; i++) {
    if (_set[i] > tombstone) {
      apply((void*)_set[i]);
    }
  }
}

// At a safepoint of an orderly exit. A slot of an object that is not loose
// is a cache (a loose object that reached a volatile one never anchors).
size_t PmemVolatileRefs::drop_caches() {
  assert(SafepointSynchronize::is_at_safepoint(), "no Java code may fill a cache meanwhile");
  size_t n = 0;
  for (size_t i = 0; i < _cap; i++) {
    void* p = (void*)_set[i];
    if (_set[i] > tombstone && !is_loose(p) && is_volatile(load_at(p))) {
      store_at(p, NULL);
      PmemWriteback::flush(p, heapOopSize);
      n++;
    }
  }
  PmemWriteback::drain();
  return n;
}

// After a collection of the persistent part swept (freed objects are no
// longer loose): forgets fields of objects freed or anchored since, and
// fields that no longer hold a volatile reference.
void PmemVolatileRefs::prune() {
  if (_cap == 0) {
    if (_freed != NULL) _freed->clear();
    return;
  }
  for (size_t i = 0; i < _cap; i++) {
    if (_set[i] > tombstone && (in_freed((void*)_set[i]) || !is_volatile(load_at((void*)_set[i])))) {
      _set[i] = tombstone;
      _count--;
    }
  }
  rehash(_cap);
  if (_freed != NULL) _freed->clear();
}
