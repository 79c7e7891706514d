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
#include "gc/pmem/pmemAllocator.hpp"
#include "gc/pmem/pmemAttach.hpp"
#include "gc/pmem/pmemCompact.hpp"
#include "gc/pmem/pmemEnums.hpp"
#include "gc/pmem/pmemFault.hpp"
#include "gc/pmem/pmemFormat.hpp"
#include "gc/pmem/pmemHeap.hpp"
#include "gc/pmem/pmemJfr.hpp"
#include "gc/pmem/pmemHeapFile.hpp"
#include "gc/pmem/pmemLocking.hpp"
#include "gc/pmem/pmemMigrate.hpp"
#include "gc/pmem/pmemProgress.hpp"
#include "gc/pmem/pmemRelocate.hpp"
#include "gc/pmem/pmemRoots.hpp"
#include "gc/pmem/pmemTypeTable.hpp"
#include "gc/pmem/pmemWalk.hpp"
#include "memory/resourceArea.hpp"
#include "gc/pmem/pmemWriteback.hpp"
#include "jvm_io.h"
#include "logging/log.hpp"
#include "memory/iterator.inline.hpp"
#include "oops/access.inline.hpp"
#include "oops/compressedOops.inline.hpp"
#include "oops/markWord.hpp"
#include "oops/oop.inline.hpp"
#include "utilities/growableArray.hpp"
#include "utilities/powerOfTwo.hpp"

// While a header is rewritten, its mark word carries type index + 1 in
// bits the mark word leaves unused (above the identity hash).
static const int      tag_shift = 40;
static const uint64_t tag_mask = UCONST64(0xffff) << tag_shift;

static bool   _walked = false;
static size_t _objects = 0;
static size_t _rewritten = 0;

static const char* _walk_reason = "";

bool   PmemAttach::walked()            { return _walked; }
const char* PmemAttach::walk_reason()  { return _walk_reason; }
size_t PmemAttach::objects_seen()      { return _objects; }
size_t PmemAttach::headers_rewritten() { return _rewritten; }



// The mark word an object of a new run starts with: lock, bias and age bits
// of the previous run are meaningless now. An identity hash survives where
// the mark word held it (unlocked); a locked object's hash was kept in a
// lock record of the dead process and is lost.
// Tags are only ever set on clean, unlocked marks. A mark word that holds a
// lock pointer (an object locked when the last run ended) has high bits too,
// but is no tag.
static bool is_tagged(uint64_t m) {
  return (m & markWord::biased_lock_mask_in_place) == markWord::unlocked_value && (m & tag_mask) != 0;
}

uint64_t PmemAttach::clean_mark(uint64_t m) {
  m &= ~tag_mask;
  if ((m & markWord::biased_lock_mask_in_place) == markWord::unlocked_value) {
    return (m & markWord::hash_mask_in_place) | markWord::unlocked_value;
  }
  return markWord::prototype().value();
}

// Old klass value -> type index, open addressing.
class ValueMap {
  uint64_t* _keys;
  int*      _vals;
  size_t    _size;
public:
  ValueMap(size_t n) : _size(round_up_power_of_2(n * 2 + 2)) {
    _keys = NEW_C_HEAP_ARRAY(uint64_t, _size, mtGC);
    _vals = NEW_C_HEAP_ARRAY(int, _size, mtGC);
    for (size_t i = 0; i < _size; i++) _vals[i] = -1;
  }
  ~ValueMap() {
    FREE_C_HEAP_ARRAY(uint64_t, _keys);
    FREE_C_HEAP_ARRAY(int, _vals);
  }
  void put(uint64_t k, int v) {
    size_t i = (size_t)(k * UCONST64(0x9E3779B97F4A7C15)) & (_size - 1);
    while (_vals[i] >= 0 && _keys[i] != k) i = (i + 1) & (_size - 1);
    _keys[i] = k;
    _vals[i] = v;
  }
  int get(uint64_t k) const {
    size_t i = (size_t)(k * UCONST64(0x9E3779B97F4A7C15)) & (_size - 1);
    while (_vals[i] >= 0) {
      if (_keys[i] == k) return _vals[i];
      i = (i + 1) & (_size - 1);
    }
    return -1;
  }
};

// References of the last run to volatile objects: transient caches of
// reachable objects (PmemVolatileRefs), and fields of loose objects. Set to
// null, as deserialization leaves a transient field.
class DropVolatileClosure : public BasicOopIterateClosure {
  bool _dropped = false;
  template <typename T> void work(T* p) {
    T v = RawAccess<>::oop_load(p);
    if (!CompressedOops::is_null(v) && !PmemHeap::is_in(cast_from_oop<void*>(CompressedOops::decode_not_null(v)))) {
      RawAccess<>::oop_store(p, (oop)NULL);
      PmemWriteback::flush(p, sizeof(T));
      _dropped = true;
    }
  }
public:
  virtual void do_oop(oop* p)       { work(p); }
  virtual void do_oop(narrowOop* p) { work(p); }
  bool dropped() const { return _dropped; }
};

class AttachWalk {
  ValueMap   _old;       // klass values of headers not rewritten yet
  ValueMap   _new;       // the values an interrupted rewrite moved them to
  HeapWord*  _top;
  char*      _err;
  size_t     _err_len;
  size_t     _count;

  int index_of(HeapWord* p) {
    uint64_t m = PmemWalk::mark_bits(p);
    if (is_tagged(m)) {
      int idx = (int)((m & tag_mask) >> tag_shift) - 1;
      return (size_t)idx < _count ? idx : -1;
    }
    return _old.get(PmemWalk::raw_klass(p));
  }

  HeapWord* _prev = NULL;   // the last object the walk accepted, for the message
  int       _prev_idx = -1;

  bool damaged(HeapWord* p, const char* what) {
    char before[256] = "none";
    if (_prev != NULL) {
      ResourceMark rm;
      jio_snprintf(before, sizeof(before), "%s at offset " SIZE_FORMAT,
                   PmemTypeTable::resolved(_prev_idx)->external_name(), pointer_delta(_prev, PmemHeap::bottom(), 1));
    }
    // The header words and the object before tell a wrong size from a
    // header that never reached the file.
    jio_snprintf(_err, _err_len, "%s is damaged: %s at offset " SIZE_FORMAT " (header words " PTR64_FORMAT
                 " " PTR64_FORMAT "; the object before it: %s)", PmemHeap::file()->path(), what,
                 pointer_delta(p, PmemHeap::bottom(), 1), PmemWalk::mark_bits(p), ((volatile uint64_t*)p)[1], before);
    return false;
  }

  void accepted(HeapWord* p, int idx) {
    _prev = p;
    _prev_idx = idx;
  }

  // Size and references of the object at q of type idx: by this run's
  // class, or by its recorded layout while its class migrates.
  static size_t words_at(HeapWord* q, int idx) {
    return PmemMigrate::is_old(idx, pointer_delta(q, PmemHeap::bottom(), 1))
           ? PmemMigrate::old_words(idx) : cast_to_oop(q)->size_given_klass(PmemTypeTable::resolved(idx));
  }
  static void oops_at(HeapWord* q, int idx, OopIterateClosure* cl) {
    if (PmemMigrate::is_old(idx, pointer_delta(q, PmemHeap::bottom(), 1))) {
      PmemMigrate::old_oops_do(idx, q, cl);
    } else {
      OopIteratorClosureDispatch::oop_oop_iterate(cl, cast_to_oop(q), PmemTypeTable::resolved(idx));
    }
  }

public:
  AttachWalk(char* err, size_t err_len) :
    _old(PmemTypeTable::count()), _new(PmemTypeTable::count()), _top(PmemAllocator::top()),
    _err(err), _err_len(err_len), _count(PmemTypeTable::count()) {
    for (size_t i = 0; i < _count; i++) {
      _old.put(PmemTypeTable::entry(i)->klass_value, (int)i);
      _new.put(PmemTypeTable::entry(i)->klass_value_new, (int)i);
    }
  }

  // Cleans the mark words of objs (tags, lock state), durably.
  // types: of each object, to find its fields by this run's class (the
  // header may still hold another run's klass value during a resumed rewrite).
  void clean(const GrowableArray<HeapWord*>& objs, const GrowableArray<int>& types) {
    bool cleaned = false;
    DropVolatileClosure drop;
    for (int i = 0; i < objs.length(); i++) {
      uint64_t m = PmemWalk::mark_bits(objs.at(i));
      if (PmemAttach::clean_mark(m) != m) {
        *(volatile uint64_t*)objs.at(i) = PmemAttach::clean_mark(m);
        PmemWriteback::flush(objs.at(i), sizeof(uint64_t));
        cleaned = true;
      }
      oops_at(objs.at(i), types.at(i), &drop);
    }
    cleaned |= drop.dropped();
    if (cleaned) {
      PmemWriteback::drain();
    }
  }

  // Resuming an interrupted rewrite: below the cursor every header holds
  // its new value, and the chunk the crash hit may still be tagged.
  void untag_below(size_t cursor) {
    HeapWord* end = PmemHeap::bottom() + cursor / HeapWordSize;
    GrowableArray<HeapWord*> tagged;
    GrowableArray<int> types;
    for (HeapWord* q = PmemWalk::next_object(PmemHeap::bottom(), end); q < end; ) {
      const uint64_t m = PmemWalk::mark_bits(q);
      const int idx = is_tagged(m) ? (int)((m & tag_mask) >> tag_shift) - 1 : _new.get(PmemWalk::raw_klass(q));
      if (is_tagged(m)) {
        tagged.append(q);
        types.append(idx);
      }
      q = PmemWalk::next_object(q + words_at(q, idx), end);
    }
    clean(tagged, types);
  }

  // Two entries claiming one klass value would give the objects of one
  // class the other's type.
  bool unique_values() {
    ValueMap seen(_count);
    for (size_t i = 0; i < _count; i++) {
      const uint64_t v = PmemTypeTable::entry(i)->klass_value;
      const int other = seen.get(v);
      if (other >= 0) {
        jio_snprintf(_err, _err_len, "%s is damaged: type table entries %d and " SIZE_FORMAT
                     " both hold klass value " UINT64_FORMAT, PmemHeap::file()->path(), other, i, v);
        return false;
      }
      seen.put(v, (int)i);
    }
    return true;
  }

  // The type of the object at q while headers below cursor were rewritten.
  int type_at(HeapWord* q, HeapWord* cursor) {
    return q < cursor && !is_tagged(PmemWalk::mark_bits(q)) ? _new.get(PmemWalk::raw_klass(q)) : index_of(q);
  }

  // Reads only: every object below top has a type (its tag, or its klass
  // value as recorded: the new one below an interrupted rewrite's cursor)
  // and a size within the used part. Run before the walk writes anything,
  // so damage refuses the start with the file unchanged.
  bool check(size_t rewritten_below) {
    HeapWord* cursor = PmemHeap::bottom() + rewritten_below / HeapWordSize;
    for (HeapWord* q = PmemWalk::next_object(PmemHeap::bottom(), _top); q < _top; ) {
      const int idx = type_at(q, cursor);
      if (idx < 0) {
        return damaged(q, "an object of unknown type");
      }
      const size_t words = words_at(q, idx);
      if (words == 0 || words > pointer_delta(_top, q)) {
        return damaged(q, "an object of impossible size");
      }
      accepted(q, idx);
      q = PmemWalk::next_object(q + words, _top);
    }
    return true;
  }

  // After check(rewritten_below): the objects from offset on, each to
  // each(object, type), a chunk (about 1 MB) at a time, each chunk's end
  // offset to end(). Chunks are cut the same way from a given start, so a
  // walk resumed at a chunk's start meets the same chunks.
  template <typename E, typename C> void chunks_do(size_t offset, size_t rewritten_below, E each, C end) {
    const size_t chunk_words = 1 * M / HeapWordSize;
    HeapWord* cursor = PmemHeap::bottom() + rewritten_below / HeapWordSize;
    HeapWord* p = PmemHeap::bottom() + offset / HeapWordSize;
    while (p < _top) {
      HeapWord* limit = MIN2(p + chunk_words, _top);
      HeapWord* q = PmemWalk::next_object(p, _top);
      while (q < limit) {
        const int idx = type_at(q, cursor);
        guarantee(idx >= 0, "check() found every object's type");
        each(q, idx);
        q = PmemWalk::next_object(q + words_at(q, idx), _top);
      }
      end(pointer_delta(q, PmemHeap::bottom(), 1));
      p = q;
    }
  }

  // Every reference field from offset on to cl, a chunk at a time.
  void oops_do(size_t offset, size_t rewritten_below, OopIterateClosure* cl, PmemChunkDone* done, bool old_layout) {
    chunks_do(offset, rewritten_below,
              [&](HeapWord* q, int idx) {
                if (old_layout || !PmemMigrate::is_old(idx, pointer_delta(q, PmemHeap::bottom(), 1))) {
                  oops_at(q, idx, cl);
                }
              },
              [&](size_t end) { done->done(end); });
  }

  // Per chunk from offset on, first's pass (unless the chunk ends at or
  // below first_done_below), then second's.
  void oops_do_twice(size_t offset, size_t rewritten_below, OopIterateClosure* first, PmemChunkDone* first_done,
                     size_t first_done_below, OopIterateClosure* second, PmemChunkDone* second_done) {
    GrowableArray<HeapWord*> objs;
    GrowableArray<int> types;
    size_t start = offset;
    chunks_do(offset, rewritten_below,
              [&](HeapWord* q, int idx) {
                objs.append(q);
                types.append(idx);
              },
              [&](size_t end) {
                guarantee(end <= first_done_below || start >= first_done_below, "a resumed walk meets the same chunks");
                if (end > first_done_below) {
                  for (int i = 0; i < objs.length(); i++) oops_at(objs.at(i), types.at(i), first);
                  first_done->done(end);
                }
                for (int i = 0; i < objs.length(); i++) oops_at(objs.at(i), types.at(i), second);
                second_done->done(end);
                objs.clear();
                types.clear();
                start = end;
              });
  }

  // After check(rewritten_below): every object in [from, to) to v.
  void objects_do(size_t from, size_t to, size_t rewritten_below, PmemObjectVisitor* v) {
    HeapWord* cursor = PmemHeap::bottom() + rewritten_below / HeapWordSize;
    HeapWord* end = MIN2(PmemHeap::bottom() + to / HeapWordSize, _top);
    for (HeapWord* q = PmemWalk::next_object(PmemHeap::bottom() + from / HeapWordSize, end); q < end; ) {
      const int idx = type_at(q, cursor);
      guarantee(idx >= 0, "check() found every object's type");
      const size_t words = words_at(q, idx);
      v->visit(q, pointer_delta(q, PmemHeap::bottom(), 1), idx, words);
      q = PmemWalk::next_object(q + words, end);
    }
  }

  // Rewrites (when swizzle) and cleans every header from offset on, a
  // chunk at a time; each chunk's changes are durable before the next.
  // With list_free, hands every free chunk it passes to the allocator.
  bool walk(size_t offset, bool swizzle, bool list_free) {
    const size_t chunk_words = 1 * M / HeapWordSize;
    auto on_free = [&](HeapWord* start, size_t words) {
      if (list_free) PmemAllocator::add_free(start, words);
    };
    HeapWord* p = PmemHeap::bottom() + offset / HeapWordSize;
    GrowableArray<HeapWord*> objs;
    GrowableArray<int> types;
    PmemProgress progress(swizzle ? "Attach: rewriting object headers" : "Attach: cleaning object headers",
                          pointer_delta(_top, PmemHeap::bottom(), 1));
    while (p < _top) {
      progress.at(pointer_delta(p, PmemHeap::bottom(), 1));
      objs.clear();
      types.clear();
      HeapWord* limit = MIN2(p + chunk_words, _top);
      HeapWord* q = PmemWalk::next_object(p, _top, on_free);
      while (q < limit) {
        int idx = index_of(q);
        if (idx < 0) {
          return damaged(q, "an object of unknown type");
        }
        size_t words = words_at(q, idx);
        if (words == 0 || words > pointer_delta(_top, q)) {
          return damaged(q, "an object of impossible size");
        }
        accepted(q, idx);
        objs.append(q);
        types.append(idx);
        q = PmemWalk::next_object(q + words, _top, on_free);
      }
      HeapWord* chunk_end = q;
      _objects += objs.length();
      if (swizzle) {
        bool any = false;
        for (int i = 0; i < objs.length(); i++) {       // 1: tag
          PmemTypeEntry* e = PmemTypeTable::entry(types.at(i));
          if (e->klass_value != e->klass_value_new) {
            uint64_t m = PmemAttach::clean_mark(PmemWalk::mark_bits(objs.at(i)));
            *(volatile uint64_t*)objs.at(i) = m | ((uint64_t)(types.at(i) + 1) << tag_shift);
            any = true;
          }
        }
        if (any) {
          PmemWriteback::persist(p, pointer_delta(chunk_end, p) * HeapWordSize);
          PmemFault::reached("swizzle-tagged");
          for (int i = 0; i < objs.length(); i++) {     // 2: new klass
            if (is_tagged(PmemWalk::mark_bits(objs.at(i)))) {
              PmemWalk::set_raw_klass(objs.at(i), PmemTypeTable::entry(types.at(i))->klass_value_new);
              _rewritten++;
            }
          }
          PmemWriteback::persist(p, pointer_delta(chunk_end, p) * HeapWordSize);
          PmemFault::reached("swizzle-rewritten");
        }
      }
      // 3: the chunk is rewritten; then untag and clean. In this order, an
      // untagged header above the cursor always holds its old value (a
      // crash before the cursor moved leaves the chunk tagged), and one
      // below it its new value, tagged or not (untag_below).
      if (swizzle) {
        PmemWriteback::store_persist(&PmemHeap::state()->swizzle_cursor, (uint64_t)pointer_delta(chunk_end, PmemHeap::bottom(), 1));
        PmemFault::reached("swizzle-chunk-done");
      }
      clean(objs, types);
      p = chunk_end;
    }
    return true;
  }
};

// The rewrite is complete: the new values become the recorded ones.
static void finish_swizzle() {
  PmemFault::reached("swizzle-finishing");
  for (size_t i = 0; i < PmemTypeTable::count(); i++) {
    PmemTypeEntry* e = PmemTypeTable::entry(i);
    e->klass_value = e->klass_value_new;
  }
  PmemWriteback::persist(PmemTypeTable::entry(0), PmemTypeTable::count() * sizeof(PmemTypeEntry));
  PmemWriteback::store_persist(&PmemHeap::state()->swizzle_phase, 0);
  PmemWriteback::store_persist(&PmemHeap::state()->swizzle_cursor, 0);
}

// Where an interrupted header rewrite left its cursor (0: none): the walks
// below find types as check() does.
static size_t rewritten_below() {
  const PmemFileState* st = PmemHeap::state();
  return st->swizzle_phase != 0 ? (size_t)st->swizzle_cursor : 0;
}

void PmemAttach::oops_do(size_t offset, OopIterateClosure* cl, PmemChunkDone* done, bool old_layout) {
  if (PmemTypeTable::count() != 0) {   // else no objects
    char err[16];
    AttachWalk(err, sizeof(err)).oops_do(offset, rewritten_below(), cl, done, old_layout);
  }
}

void PmemAttach::oops_do_twice(size_t offset, OopIterateClosure* first, PmemChunkDone* first_done,
                               size_t first_done_below, OopIterateClosure* second, PmemChunkDone* second_done) {
  if (PmemTypeTable::count() != 0) {
    char err[16];
    AttachWalk(err, sizeof(err)).oops_do_twice(offset, rewritten_below(), first, first_done, first_done_below,
                                               second, second_done);
  }
}

void PmemAttach::objects_do(size_t from, size_t to, PmemObjectVisitor* v) {
  if (PmemTypeTable::count() != 0) {
    char err[16];
    AttachWalk(err, sizeof(err)).objects_do(from, to, rewritten_below(), v);
  }
}

bool PmemAttach::run(char* err, size_t err_len) {
  _walked = false;
  _objects = 0;
  _rewritten = 0;
  const size_t n = PmemTypeTable::count();
  PmemFileState* st = PmemHeap::state();
  const bool compacting = st->compact_phase != 0;
  if (n == 0) {
    PmemLocking::headers_cleaned();   // no types, no objects
    // no objects: only ends steps a crash left
    return (!compacting || PmemCompact::resume(err, err_len)) && PmemRelocate::run(err, err_len);
  }
  if (!PmemMigrate::check(err, err_len)) {
    return false;
  }
  if (compacting) {
    // The one write before the check: the objects area parses again.
    PmemCompact::finish_unit();
  }
  {
    // Nothing is written before the file proved consistent.
    AttachWalk pre(err, err_len);
    if (!pre.unique_values()) {
      return false;
    }
    bool moves = false;
    for (size_t i = 0; i < n; i++) {
      moves |= PmemTypeTable::entry(i)->klass_value != PmemTypeTable::klass_value(PmemTypeTable::resolved(i));
    }
    if ((st->swizzle_phase != 0 || moves || !PmemLocking::headers_clean() || PmemRelocate::needed() ||
         PmemMigrate::needed() || compacting) &&
        !pre.check(rewritten_below())) {
      return false;
    }
  }
  // A compaction first: its phases are in the recorded placement, and the
  // checks of roots and enums it held off come after it.
  if (compacting && (!PmemCompact::resume(err, err_len) || !PmemRoots::check_targets(err, err_len) ||
                     !PmemEnums::check(err, err_len))) {
    return false;
  }
  // References first: the header walk below drops those outside this run's range.
  if (PmemRelocate::needed()) {
    PmemJfr::attach_relocated();
    if (!PmemRelocate::run(err, err_len)) {
      return false;
    }
  }
  if (st->swizzle_phase != 0) {
    log_info(gc, pmem)("Finishing a header rewrite interrupted at offset " UINT64_FORMAT, st->swizzle_cursor);
    AttachWalk resume(err, err_len);
    resume.untag_below((size_t)st->swizzle_cursor);   // check() found every type and size below it
    if (!resume.walk((size_t)st->swizzle_cursor, true, false)) {
      return false;
    }
    finish_swizzle();
  }
  // Objects of classes whose fields changed, before the header rewrite
  // below (which would give old objects their class's new klass value).
  if (PmemMigrate::needed()) {
    PmemJfr::attach_migrated();
    if (!PmemMigrate::run(err, err_len)) {
      return false;
    }
  }

  bool moved = false;
  for (size_t i = 0; i < n; i++) {
    PmemTypeEntry* e = PmemTypeTable::entry(i);
    e->klass_value_new = PmemTypeTable::klass_value(PmemTypeTable::resolved(i));
    moved |= e->klass_value_new != e->klass_value;
  }
  if (moved) {
    PmemWriteback::persist(PmemTypeTable::entry(0), n * sizeof(PmemTypeEntry));
    PmemWriteback::store_persist(&st->swizzle_cursor, 0);
    PmemWriteback::store_persist(&st->swizzle_phase, 1);
  }
  if (!moved && PmemLocking::headers_clean()) {
    return true;
  }
  _objects = 0;
  _walked = true;
  _walk_reason = moved ? (PmemLocking::headers_clean() ? "classes moved" : "classes moved and lock state")
                       : "lock state";
  AttachWalk walk(err, err_len);
  PmemAllocator::begin_rebuild();
  if (!walk.walk(0, moved, true)) {
    return false;
  }
  if (moved) {
    finish_swizzle();
  }
  PmemLocking::headers_cleaned();
  return true;
}
