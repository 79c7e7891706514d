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
#include "gc/pmem/pmemEnums.hpp"
#include "gc/pmem/pmemHeap.hpp"
#include "gc/pmem/pmemHeapFile.hpp"
#include "gc/pmem/pmemRoots.hpp"
#include "gc/pmem/pmemTypeTable.hpp"
#include "gc/pmem/pmemVerify.hpp"
#include "gc/pmem/pmemVolatileRefs.hpp"
#include "gc/pmem/pmemWalk.hpp"
#include "jvm_io.h"
#include "logging/log.hpp"
#include "memory/iterator.inline.hpp"
#include "memory/resourceArea.hpp"
#include "memory/universe.hpp"
#include "oops/access.inline.hpp"
#include "oops/compressedOops.inline.hpp"
#include "oops/markWord.hpp"
#include "oops/oop.inline.hpp"
#include "utilities/align.hpp"
#include "utilities/bitMap.inline.hpp"
#include "utilities/stack.inline.hpp"

// Follows the references of reachable objects: each must be null or the
// start of an object; those not reached yet are queued.
class PmemVerifyRefs : public BasicOopIterateClosure {
  const CHeapBitMap& _starts;
  CHeapBitMap        _reached;
  Stack<oop, mtGC>   _queue;
  bool               _failed;     // a bad reference was found
  const void*        _bad;        // its slot (NULL for a root)
  size_t             _refs;
  bool               _run_fields;   // the fields being checked belong to the run (an enum twin's)

public:
  PmemVerifyRefs(const CHeapBitMap& starts) :
    _starts(starts), _reached(starts.size(), mtGC), _failed(false), _bad(NULL), _refs(0), _run_fields(false) {}

  void reach(oop obj, const void* slot) {
    HeapWord* target = cast_from_oop<HeapWord*>(obj);
    if (_run_fields && !PmemHeap::is_in(target)) {
      return;   // an enum constant's field may refer to a volatile object (PmemEnums)
    }
    if (slot != NULL && !PmemHeap::is_in(target) && PmemVolatileRefs::is_slot(slot) &&
        Universe::heap()->is_in(target)) {
      return;   // a cache field (such as HashMap.keySet) this run filled: a root of the volatile heap
    }
    // Aligned first: the start-bit index of a misaligned address would
    // round down to the object it lies in.
    if (!is_aligned(target, HeapWordSize) || !PmemHeap::is_in(target) || target >= PmemHeap::end() ||
        !_starts.at(pointer_delta(target, PmemHeap::bottom()))) {
      if (!_failed) {
        _failed = true;
        _bad = slot;
      }
      return;
    }
    const BitMap::idx_t i = pointer_delta(target, PmemHeap::bottom());
    if (!_reached.at(i)) {
      _reached.set_bit(i);
      _queue.push(obj);
    }
  }

  template <typename T> void check(T* p) {
    T heap_oop = RawAccess<>::oop_load(p);
    _refs++;
    if (!CompressedOops::is_null(heap_oop)) {
      reach(CompressedOops::decode_not_null(heap_oop), p);
    }
  }
  virtual void do_oop(oop* p)       { check(p); }
  virtual void do_oop(narrowOop* p) { check(p); }

  // The object whose fields hold the first bad reference, or NULL.
  oop drain() {
    while (!_queue.is_empty() && !_failed) {
      oop obj = _queue.pop();
      _run_fields = PmemEnums::is_constant(obj);
      obj->oop_iterate(this);
      _run_fields = false;
      if (_failed) return obj;
    }
    return NULL;
  }
  // The first index set in marks whose object the roots reach, or marks.size().
  BitMap::idx_t first_reached_of(const CHeapBitMap& marks) const {
    for (BitMap::idx_t i = marks.get_next_one_offset(0); i < marks.size(); i = marks.get_next_one_offset(i + 1)) {
      if (_reached.at(i)) return i;
    }
    return marks.size();
  }
  bool failed() const     { return _failed; }
  const void* bad() const { return _bad; }
  size_t refs() const     { return _refs; }
};

static bool stale_mark(oop obj) {
  return (obj->mark().value() & ~markWord::hash_mask_in_place) != markWord::unlocked_value;
}

static PmemVerifyRefs* _verifying = NULL;   // for the roots callback
static void reach_root(oop obj) {
  _verifying->reach(obj, NULL);
}

bool PmemVerify::verify(char* err, size_t err_len, bool at_attach) {
  HeapWord* bottom = PmemHeap::bottom();
  HeapWord* top = PmemAllocator::top();
  const char* path = PmemHeap::file()->path();
  CHeapBitMap starts(pointer_delta(PmemHeap::end(), bottom), mtGC);
  CHeapBitMap stale(at_attach ? pointer_delta(PmemHeap::end(), bottom) : 0, mtGC);
  size_t objects = 0;
  HeapWord* prev = NULL;   // the last object passed, for the message

  for (HeapWord* p = PmemWalk::next_object(bottom, top); p < top; ) {
    size_t off = pointer_delta(p, bottom, 1);
    oop obj = cast_to_oop(p);
    Klass* k = obj->klass_or_null();
    if (k == NULL || !PmemTypeTable::has_entry(k)) {
      ResourceMark rm;
      char before[256] = "none";
      if (prev != NULL) {
        jio_snprintf(before, sizeof(before), "%s at offset " SIZE_FORMAT, cast_to_oop(prev)->klass()->external_name(),
                     pointer_delta(prev, bottom, 1));
      }
      jio_snprintf(err, err_len, "VerifyPersistentHeap: %s: object at offset " SIZE_FORMAT
                   " has a type outside the type table (header words " PTR64_FORMAT " " PTR64_FORMAT
                   "; the object before it: %s)", path, off, PmemWalk::mark_bits(p), ((volatile uint64_t*)p)[1], before);
      return false;
    }
    // At attach nothing reachable may be locked yet: an unlocked mark,
    // maybe a hash. (Checked below, with reachability: an object no root
    // reaches may keep the lock state of a run that crashed; see
    // PmemVolatileRefs::lock_dies_with_run.)
    if (at_attach && stale_mark(obj)) {
      stale.set_bit(pointer_delta(p, bottom));
    }
    size_t words = obj->size();
    if (words == 0 || words > pointer_delta(top, p)) {
      jio_snprintf(err, err_len, "VerifyPersistentHeap: %s: object at offset " SIZE_FORMAT
                   " extends past the used part", path, off);
      return false;
    }
    starts.set_bit(pointer_delta(p, bottom));
    objects++;
    prev = p;
    p = PmemWalk::next_object(p + words, top);
  }

  // References are checked in what the roots reach. Unreachable objects
  // are garbage; after a crash, until a collection frees them, their
  // fields may hold what never reached the persistence domain.
  PmemVerifyRefs refs(starts);
  _verifying = &refs;
  PmemRoots::objects_do(reach_root);
  _verifying = NULL;
  if (refs.failed()) {
    jio_snprintf(err, err_len, "VerifyPersistentHeap: %s: a root points outside the persistent heap's objects", path);
    return false;
  }
  oop holder = refs.drain();
  if (holder != NULL) {
    ResourceMark rm;
    jio_snprintf(err, err_len, "VerifyPersistentHeap: %s: a reference in %s at offset " SIZE_FORMAT
                 " points outside the persistent heap's objects", path, holder->klass()->external_name(),
                 pointer_delta((HeapWord*)refs.bad(), bottom, 1));
    return false;
  }
  const BitMap::idx_t first_stale = at_attach ? refs.first_reached_of(stale) : 0;
  if (at_attach && first_stale < stale.size()) {
    jio_snprintf(err, err_len, "VerifyPersistentHeap: %s: object at offset " SIZE_FORMAT
                 " has a stale mark word " PTR_FORMAT, path, first_stale * HeapWordSize,
                 (uintptr_t)cast_to_oop(bottom + first_stale)->mark().value());
    return false;
  }
  log_info(gc, pmem)("Verified persistent heap %s: " SIZE_FORMAT " objects, " SIZE_FORMAT " references "
                     "of reachable ones", path, objects, refs.refs());
  return true;
}
