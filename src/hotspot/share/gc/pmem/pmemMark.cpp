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
#include "gc/pmem/pmemMark.hpp"
#include "gc/shared/taskqueue.hpp"
#include "memory/iterator.inline.hpp"
#include "oops/access.inline.hpp"
#include "oops/compressedOops.inline.hpp"
#include "oops/objArrayOop.inline.hpp"
#include "oops/oop.inline.hpp"
#include "runtime/atomic.hpp"
#include "runtime/prefetch.inline.hpp"
#include "utilities/bitMap.inline.hpp"
#include "utilities/stack.inline.hpp"

bool PmemMark::_active = false;

// A bit per word of the objects area; its words are read directly to
// search back a word at a time and to save and restore the marks.
class PmemBits : public CHeapBitMap {
public:
  PmemBits() : CHeapBitMap(mtGC) {}
  using BitMap::map;
};
static PmemBits _bits;
static Stack<oop, mtGC> _stack;       // marked, fields not yet visited
static Stack<ObjArrayTask, mtGC> _arrays;   // big arrays, a stride at a time
static size_t _marked = 0;
static volatile bool _ready = false;   // the bitmap holds this run's marks (see may_be_old)

static BitMap::idx_t index_of(const void* p) {
  return pointer_delta((HeapWord*)p, PmemHeap::bottom());
}

static void mark_and_push(oop obj) {
  if (!PmemHeap::is_in(cast_from_oop<void*>(obj))) {
    return;   // cannot happen: the barrier keeps volatile objects out
  }
  const BitMap::idx_t i = index_of(cast_from_oop<void*>(obj));
  if (!_bits.at(i)) {
    _bits.set_bit(i);
    _marked++;
    _stack.push(obj);
  }
}

class PmemMarkClosure : public BasicOopIterateClosure {
  template <typename T> void work(T* p) {
    T heap_oop = RawAccess<>::oop_load(p);
    if (!CompressedOops::is_null(heap_oop)) {
      mark_and_push(CompressedOops::decode_not_null(heap_oop));
    }
  }
public:
  virtual void do_oop(oop* p)       { work(p); }
  virtual void do_oop(narrowOop* p) { work(p); }
};

static void drain() {
  PmemMarkClosure cl;
  while (!_stack.is_empty() || !_arrays.is_empty()) {
    while (!_stack.is_empty()) {
      oop obj = _stack.pop();
      if (obj->is_objArray()) {
        _arrays.push(ObjArrayTask(obj, 0));   // a long array would flood the stack
      } else {
        obj->oop_iterate(&cl);
      }
    }
    if (!_arrays.is_empty()) {
      ObjArrayTask t = _arrays.pop();
      objArrayOop a = objArrayOop(t.obj());
      const int end = MIN2(a->length(), t.index() + (int)ObjArrayMarkingStride);
      a->oop_iterate_range(&cl, t.index(), end);
      if (end < a->length()) {
        _arrays.push(ObjArrayTask(a, end));
      }
    }
  }
}

// Sizes the bitmap to the objects area, which may have grown since.
void PmemMark::cover_heap() {
  const size_t bits = pointer_delta(PmemHeap::end(), PmemHeap::bottom());
  if (_bits.size() == 0) {
    _bits.initialize(bits);
  } else if (_bits.size() < bits) {
    _bits.resize(bits);   // the file grew: the new bits are clear
  }
}

void PmemMark::begin(bool incremental) {
  cover_heap();
  if (!incremental) {
    _bits.clear_range(0, index_of(PmemAllocator::top()));
  }
  _marked = 0;
  _active = true;
}

void PmemMark::end() {
  assert(_stack.is_empty() && _arrays.is_empty(), "marking not finished");
  _active = false;
  Atomic::release_store(&_ready, true);
}

void PmemMark::mark_and_trace(oop obj) {
  assert(_active, "not marking");
  mark_and_push(obj);
  drain();
}

bool PmemMark::may_be_old(const void* obj) {
  if (!Atomic::load_acquire(&_ready)) {
    return true;
  }
  const BitMap::idx_t i = index_of(obj);
  return i >= _bits.size() || _bits.at(i);
}

bool PmemMark::is_marked(oop obj) {
  return _bits.at(index_of(cast_from_oop<void*>(obj)));
}

class PmemFieldsClosure : public BasicOopIterateClosure {
  template <typename T> void work(T* p) {
    T heap_oop = RawAccess<>::oop_load(p);
    if (!CompressedOops::is_null(heap_oop)) {
      oop o = CompressedOops::decode_not_null(heap_oop);
      if (PmemHeap::is_in(cast_from_oop<void*>(o)) && !_bits.at(index_of(cast_from_oop<void*>(o)))) {
        mark_and_push(o);
        drain();
      }
    }
  }
public:
  virtual void do_oop(oop* p)       { work(p); }
  virtual void do_oop(narrowOop* p) { work(p); }
};

void PmemMark::trace_fields(oop obj, MemRegion mr) {
  assert(_active, "not marking");
  PmemFieldsClosure cl;
  obj->oop_iterate(&cl, mr);
}

HeapWord* PmemMark::next_marked(HeapWord* from, HeapWord* limit) {
  return PmemHeap::bottom() + _bits.get_next_one_offset(index_of(from), index_of(limit));
}

HeapWord* PmemMark::prev_marked(HeapWord* at, HeapWord* limit) {
  if (_bits.size() == 0 || at < limit) {
    return NULL;
  }
  const BitMap::idx_t lo = index_of(limit);
  // i is one past the bit to test. Bit by bit to a word boundary, then a
  // word at a time: a run without marks (a long array, young space) is
  // passed 64 words per load.
  for (BitMap::idx_t i = index_of(at) + 1; i > lo; ) {
    if ((i & (BitsPerWord - 1)) == 0 && i - lo >= (BitMap::idx_t)BitsPerWord &&
        _bits.map()[(i >> LogBitsPerWord) - 1] == 0) {
      i -= BitsPerWord;
      continue;
    }
    i--;
    if (_bits.at(i)) {
      return PmemHeap::bottom() + i;
    }
  }
  return NULL;
}

void PmemMark::clear(HeapWord* start, size_t words) {
  if (_bits.size() >= index_of(start + words)) {
    _bits.clear_range(index_of(start), index_of(start + words));
  }
}

void PmemMark::prefetch(const void* p) {
  Prefetch::read((void*)(_bits.map() + (index_of(p) >> LogBitsPerWord)), 0);
}

void PmemMark::set_mark(HeapWord* obj) {
  _bits.set_bit(index_of(obj));
}

size_t PmemMark::words_for(HeapWord* to) {
  return (index_of(to) + BitsPerWord - 1) / BitsPerWord;
}

void PmemMark::copy_out(HeapWord* to, uint64_t* dest) {
  memcpy(dest, _bits.map(), words_for(to) * sizeof(uint64_t));
}

void PmemMark::copy_in(HeapWord* to, const uint64_t* src) {
  cover_heap();
  _bits.clear();
  memcpy(_bits.map(), src, words_for(to) * sizeof(uint64_t));
  // Bits past to in the last word came from the file: clear them.
  _bits.clear_range(index_of(to), MIN2(_bits.size(), align_up(index_of(to), (BitMap::idx_t)BitsPerWord)));
  Atomic::release_store(&_ready, true);
}

size_t PmemMark::marked_objects() {
  return _marked;
}
