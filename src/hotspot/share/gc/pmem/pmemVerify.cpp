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
#include "gc/pmem/pmemHeap.hpp"
#include "gc/pmem/pmemHeapFile.hpp"
#include "gc/pmem/pmemTypeTable.hpp"
#include "gc/pmem/pmemVerify.hpp"
#include "gc/pmem/pmemWalk.hpp"
#include "jvm_io.h"
#include "logging/log.hpp"
#include "memory/iterator.inline.hpp"
#include "memory/resourceArea.hpp"
#include "oops/access.inline.hpp"
#include "oops/compressedOops.inline.hpp"
#include "oops/markWord.hpp"
#include "oops/oop.inline.hpp"
#include "utilities/bitMap.inline.hpp"

// Checks every reference field of one object against the object starts.
class PmemVerifyRefs : public BasicOopIterateClosure {
  const CHeapBitMap& _starts;
  HeapWord*          _bad_field;
  size_t             _refs;

  template <typename T> void check(T* p) {
    T heap_oop = RawAccess<>::oop_load(p);
    _refs++;
    if (CompressedOops::is_null(heap_oop) || _bad_field != NULL) {
      return;
    }
    HeapWord* target = cast_from_oop<HeapWord*>(CompressedOops::decode_not_null(heap_oop));
    if (!PmemHeap::is_in(target) || !_starts.at(pointer_delta(target, PmemHeap::bottom()))) {
      _bad_field = (HeapWord*)p;
    }
  }

public:
  PmemVerifyRefs(const CHeapBitMap& starts) : _starts(starts), _bad_field(NULL), _refs(0) {}
  virtual void do_oop(oop* p)       { check(p); }
  virtual void do_oop(narrowOop* p) { check(p); }
  HeapWord* bad_field() const { return _bad_field; }
  size_t refs() const { return _refs; }
};

bool PmemVerify::verify(char* err, size_t err_len, bool at_attach) {
  HeapWord* bottom = PmemHeap::bottom();
  HeapWord* top = PmemAllocator::top();
  const char* path = PmemHeap::file()->path();
  CHeapBitMap starts(pointer_delta(PmemHeap::end(), bottom), mtGC);
  size_t objects = 0;

  for (HeapWord* p = PmemWalk::next_object(bottom, top); p < top; ) {
    size_t off = pointer_delta(p, bottom, 1);
    oop obj = cast_to_oop(p);
    Klass* k = obj->klass_or_null();
    if (k == NULL || !PmemTypeTable::has_entry(k)) {
      jio_snprintf(err, err_len, "VerifyPersistentHeap: %s: object at offset " SIZE_FORMAT
                   " has a type outside the type table", path, off);
      return false;
    }
    uint64_t m = obj->mark().value();
    // At attach nothing may be locked yet: an unlocked mark, maybe a hash.
    if (at_attach && (m & ~markWord::hash_mask_in_place) != markWord::unlocked_value) {
      jio_snprintf(err, err_len, "VerifyPersistentHeap: %s: object at offset " SIZE_FORMAT
                   " has a stale mark word " PTR_FORMAT, path, off, (uintptr_t)m);
      return false;
    }
    size_t words = obj->size();
    if (words == 0 || words > pointer_delta(top, p)) {
      jio_snprintf(err, err_len, "VerifyPersistentHeap: %s: object at offset " SIZE_FORMAT
                   " extends past the used part", path, off);
      return false;
    }
    starts.set_bit(pointer_delta(p, bottom));
    objects++;
    p = PmemWalk::next_object(p + words, top);
  }

  PmemVerifyRefs refs(starts);
  BitMap::idx_t limit = pointer_delta(top, bottom);
  for (BitMap::idx_t i = starts.get_next_one_offset(0, limit); i < limit;
       i = starts.get_next_one_offset(i + 1, limit)) {
    oop obj = cast_to_oop(bottom + i);
    obj->oop_iterate(&refs);
    if (refs.bad_field() != NULL) {
      ResourceMark rm;
      jio_snprintf(err, err_len, "VerifyPersistentHeap: %s: a reference in %s at offset " SIZE_FORMAT
                   " points outside the persistent heap's objects", path, obj->klass()->external_name(),
                   pointer_delta(refs.bad_field(), bottom, 1));
      return false;
    }
  }
  log_info(gc, pmem)("Verified persistent heap %s: " SIZE_FORMAT " objects, " SIZE_FORMAT " references",
                     path, objects, refs.refs());
  return true;
}
