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
#include "gc/pmem/pmemDeferred.hpp"
#include "gc/pmem/pmemFault.hpp"
#include "gc/pmem/pmemFormat.hpp"
#include "gc/pmem/pmemHeap.hpp"
#include "gc/pmem/pmemMark.hpp"
#include "gc/pmem/pmemThreadLocalData.hpp"
#include "gc/pmem/pmemTxn.hpp"
#include "gc/pmem/pmemWalk.hpp"
#include "gc/pmem/pmemWriteback.hpp"
#include "gc/shared/gc_globals.hpp"
#include "logging/log.hpp"
#include "runtime/atomic.hpp"
#include "runtime/globals.hpp"
#include "runtime/mutex.hpp"
#include "runtime/mutexLocker.hpp"
#include "runtime/thread.hpp"
#include "runtime/threadSMR.hpp"
#include "utilities/copy.hpp"
#include "utilities/growableArray.hpp"

HeapWord* volatile PmemAllocator::_top = NULL;
HeapWord* PmemAllocator::_soft_limit = NULL;
PmemFreeList PmemAllocator::_free;
size_t PmemAllocator::_unlisted_free_words = 0;
size_t PmemAllocator::_allocated_since_gc = 0;
Mutex* PmemAllocator::_lock = NULL;
// Guarded by _lock; read and reset by collections, at a safepoint.
static GrowableArrayCHeap<PmemAllocator::Range, mtGC>* _young = NULL;

static void (*volatile _on_change)() = NULL;

static void changed() {
  if (_on_change != NULL) {
    _on_change();
    _on_change = NULL;
  }
}

static void add_young(HeapWord* start, size_t words) {
  if (_young == NULL) {
    _young = new GrowableArrayCHeap<PmemAllocator::Range, mtGC>(64);
  }
  if (_young->length() > 0 && _young->at(_young->length() - 1).end == start) {
    _young->adr_at(_young->length() - 1)->end = start + words;   // the next step of top
    return;
  }
  PmemAllocator::Range r = { start, start + words };
  _young->append(r);
}

// Memory given back to the free list is no longer young: an incremental
// sweep would find it unmarked and list it a second time, and two owners
// would later get overlapping pieces of it.
static void remove_young(HeapWord* start, size_t words) {
  if (_young == NULL) {
    return;
  }
  HeapWord* const end = start + words;
  for (int i = _young->length() - 1; i >= 0; i--) {
    const PmemAllocator::Range r = _young->at(i);
    if (r.end <= start || r.start >= end) {
      continue;
    }
    if (r.start < start && r.end > end) {   // the middle goes: two ranges
      _young->adr_at(i)->end = start;
      PmemAllocator::Range tail = { end, r.end };
      _young->insert_before(i + 1, tail);
    } else if (r.start < start) {
      _young->adr_at(i)->end = start;
    } else if (r.end > end) {
      _young->adr_at(i)->start = end;
    } else {
      _young->remove_at(i);
    }
  }
}


// Before the first collection of a run, and as a floor after each, top
// may grow this far without one: 1/64 of the file, at least 16 buffers.
static size_t soft_floor_bytes() {
  return MAX2(PmemHeap::size_in_bytes() / 64, 16 * PmemAllocationBufferSize);
}

// As Serial sizes the old generation: after a collection, keep at least
// MinHeapFreeRatio percent of the space up to the soft limit free.
static HeapWord* soft_limit_for(size_t live_bytes) {
  const size_t free_pct = MIN2(MinHeapFreeRatio, (uintx)90);
  const size_t target = live_bytes / (100 - free_pct) * 100;
  const size_t bytes = MIN2(MAX2(target, soft_floor_bytes()), PmemHeap::size_in_bytes());
  return PmemHeap::bottom() + bytes / HeapWordSize;
}

void PmemAllocator::initialize() {
  size_t used = (size_t)PmemHeap::state()->objects_top;
  size_t capacity = PmemHeap::size_in_bytes();
  _top = (HeapWord*)((char*)PmemHeap::bottom() + align_down(MIN2(used, capacity), HeapWordSize));
  _soft_limit = soft_limit_for(used);
  _lock = new Mutex(Mutex::leaf, "PmemAllocator_lock", true, Mutex::_safepoint_check_never);
}

void PmemAllocator::persist_top(HeapWord* top) {
  // Raise the recorded top to at least ours; it is never lowered.
  uint64_t mine = (uint64_t)pointer_delta(top, PmemHeap::bottom(), 1);
  volatile uint64_t* recorded = &PmemHeap::state()->objects_top;
  if (Atomic::load(recorded) < mine) {
    Atomic::store(recorded, mine);
  }
  PmemWriteback::persist((const void*)recorded, sizeof(uint64_t));
}

HeapWord* PmemAllocator::claim_top(size_t words, bool past_limit) {
  HeapWord* cur = _top;
  if (pointer_delta(PmemHeap::end(), cur) < words) {
    // Full after a collection: grow the file, if it may (-XX:PmemMaxSize),
    // and fill what it grew by before collecting again.
    if (!past_limit || !PmemHeap::grow((words - pointer_delta(PmemHeap::end(), cur)) * HeapWordSize)) {
      return NULL;
    }
    _soft_limit = PmemHeap::end();
  }
  if (!past_limit && cur + words > _soft_limit) {
    return NULL;
  }
  Atomic::store(&_top, cur + words);
  log_trace(gc, pmem)("Top at offset " SIZE_FORMAT ": " SIZE_FORMAT " words taken",
                      pointer_delta(cur, PmemHeap::bottom(), 1), words);
  PmemFault::reached("refill");
  persist_top(cur + words);
  return cur;
}

// Hands out the first got words (want, or the whole chunk when the rest
// would be too short to list) of a free chunk of at least min words; see
// the class comment for the order of the writes.
HeapWord* PmemAllocator::take_chunk(size_t min, size_t want, size_t* got) {
  PmemFreeList::Chunk ch;
  if (!_free.take(min, want, &ch)) {
    return NULL;
  }
  HeapWord* c = ch.start;
  const size_t n = ch.words;
  const size_t m = n - MIN2(n, want) >= PmemFreeList::min_chunk_words ? want : n;
  if (m < n) {
    *(volatile uint64_t*)(c + m) = PmemWalk::free_tag(n - m);   // hidden by c's tag so far
  }
  // The zeros are made durable even for a buffer that will defer its
  // objects' write-backs (PmemDeferred): the part of it above a slot's cut
  // (a transaction's begin) then parses, and stays the thread's buffer.
  // Non-temporal stores make that cheaper than zeroing alone.
  PmemWriteback::zero_nodrain(c + 1, (m - 1) * HeapWordSize);
  if (m < n) {
    PmemWriteback::flush(c + m, HeapWordSize);   // the remainder's tag
  }
  PmemWriteback::drain();
  PmemFault::reached("chunk-zeroed");
  *(volatile uint64_t*)c = 0;
  PmemWriteback::persist(c, HeapWordSize);
  if (m < n) {
    _free.add(c + m, n - m);
  }
  log_trace(gc, pmem)("Free chunk at offset " SIZE_FORMAT " (" SIZE_FORMAT " words): " SIZE_FORMAT " words taken",
                      pointer_delta(c, PmemHeap::bottom(), 1), n, m);
  *got = m;
  return c;
}

HeapWord* PmemAllocator::take_locked(size_t min, size_t want, bool past_limit, size_t* got) {
  MutexLocker ml(_lock, Mutex::_no_safepoint_check_flag);
  HeapWord* c = take_chunk(min, want, got);
  if (c == NULL) {
    *got = want;
    c = claim_top(want, past_limit);
    if (c == NULL && want > min) {
      *got = min;   // the last words of the file
      c = claim_top(min, past_limit);
    }
  }
  if (c != NULL) {
    _allocated_since_gc += *got * HeapWordSize;
    add_young(c, *got);
    changed();
  }
  return c;
}

// An object header (mark word, klass, array length: 16 bytes) must not
// cross a cache line: the stores that format it reach persistent memory
// line by line, and the heap walker relies on "mark word first" (a header
// is either absent, a mark word alone, or whole). A header starting in the
// last word of a line is moved one word on; the skipped word stays zero,
// which the walker passes over.
static size_t header_pad(HeapWord* p) {
  return ((uintptr_t)p & (PmemFormat::cache_line - 1)) == PmemFormat::cache_line - HeapWordSize ? 1 : 0;
}

static const size_t deferred_buffer_factor = 4;

HeapWord* PmemAllocator::allocate(Thread* thread, size_t words, bool past_limit, bool may_defer) {
  const size_t buffer_words = PmemAllocationBufferSize / HeapWordSize;
  if (!may_defer) {
    // The object goes above the slot's end, written back by its caller; the
    // refill below then finds no slot to detach.
    PmemDeferred::detach(thread);
  }
  HeapWord* top = PmemThreadLocalData::buffer_top(thread);
  HeapWord* mem;
  size_t got;
  if (top != NULL && pointer_delta(PmemThreadLocalData::buffer_end(thread), top) >= words + header_pad(top)) {
    mem = top + header_pad(top);
    PmemThreadLocalData::set_buffer_top(thread, mem + words);
  } else if (words > buffer_words / 4) {
    // Large: a chunk of its own (a word more, for a pad), keeping the buffer.
    HeapWord* c = take_locked(words + 1, words + 1, past_limit, &got);
    if (c == NULL) {
      return NULL;
    }
    mem = c + header_pad(c);
  } else {
    // The rest of the old buffer stays zero; the next sweep frees it.
    // Outside a transaction the buffer will be a deferred one (PmemDeferred,
    // claimed by the first object's caller): larger, so that the slots
    // cover what is allocated between two collections and a full table
    // seldom writes one back.
    const bool defer = may_defer && !PmemTxn::in_txn(thread);
    PmemDeferred::detach(thread);   // the old buffer's slot ends at its top
    HeapWord* c = take_locked(words + 1, defer ? deferred_buffer_factor * buffer_words : buffer_words,
                              past_limit, &got);
    if (c == NULL) {
      return NULL;
    }
    mem = c + header_pad(c);
    PmemTxn* txn = PmemTxn::of(thread);
    if (txn != NULL) {
      txn->buffer_replaced(top, mem);   // an open txn's fresh objects now start here too
    }
    PmemThreadLocalData::set_buffer(thread, mem + words, c + got);
  }
  // Fresh and reused memory are zero already; this is cheap insurance.
  Copy::zero_to_words(mem, words);
  return mem;
}

void PmemAllocator::release(HeapWord* obj, size_t words) {
  assert(words >= PmemFreeList::min_chunk_words, "too short to list");
  MutexLocker ml(_lock, Mutex::_no_safepoint_check_flag);
  log_trace(gc, pmem)("Released offset " SIZE_FORMAT " (" SIZE_FORMAT " words)",
                      pointer_delta(obj, PmemHeap::bottom(), 1), words);
  *(volatile uint64_t*)obj = PmemWalk::free_tag(words);   // the walker skips it from now on
  PmemWriteback::persist(obj, HeapWordSize);
  PmemMark::clear(obj, words);   // marked if a collection saw it: the next owner's objects are young
  remove_young(obj, words);
  _free.add(obj, words);
  changed();
}

size_t PmemAllocator::used_bytes() {
  return pointer_delta(Atomic::load(&_top), PmemHeap::bottom(), 1) - free_bytes();
}

size_t PmemAllocator::soft_limit_bytes() {
  return pointer_delta(_soft_limit, PmemHeap::bottom(), 1);
}

void PmemAllocator::retire_buffer(Thread* thread) {
  PmemDeferred::detach(thread);
  PmemTxn* txn = PmemTxn::of(thread);
  if (txn != NULL) {
    txn->buffer_replaced(PmemThreadLocalData::buffer_top(thread), NULL);
  }
  PmemThreadLocalData::set_buffer(thread, NULL, NULL);
}

void PmemAllocator::retire_buffers() {
  assert(SafepointSynchronize::is_at_safepoint(), "threads must be stopped");
  for (JavaThreadIteratorWithHandle jtiwh; JavaThread* t = jtiwh.next(); ) {
    retire_buffer(t);
  }
}

void PmemAllocator::begin_rebuild() {
  _free.clear();
  _unlisted_free_words = 0;
}

void PmemAllocator::add_free(HeapWord* start, size_t words) {
  if (words >= PmemFreeList::min_chunk_words) {
    _free.add(start, words);
  } else {
    _unlisted_free_words += words;
  }
}

void PmemAllocator::raise_soft_limit() {
  MutexLocker ml(_lock, Mutex::_no_safepoint_check_flag);
  HeapWord* step = _top + soft_floor_bytes() / HeapWordSize;
  _soft_limit = MAX2(_soft_limit, MIN2(step, PmemHeap::end()));
}

void PmemAllocator::end_rebuild(size_t live_bytes) {
  _allocated_since_gc = 0;
  _soft_limit = soft_limit_for(live_bytes);
  if (_young != NULL) {
    _young->clear();
  }
}

void PmemAllocator::on_next_change(void (*f)()) {
  MutexLocker ml(_lock, Mutex::_no_safepoint_check_flag);
  _on_change = f;
}

HeapWord* PmemAllocator::take_top(size_t words) {
  MutexLocker ml(_lock, Mutex::_no_safepoint_check_flag);
  if (pointer_delta(PmemHeap::end(), _top) < words) {
    return NULL;
  }
  return claim_top(words, true);
}

int PmemAllocator::young_ranges() {
  return _young == NULL ? 0 : _young->length();
}

PmemAllocator::Range PmemAllocator::young_range(int i) {
  return _young->at(i);
}

void PmemAllocator::keep_young(const Range* keep, int n) {
  assert(SafepointSynchronize::is_at_safepoint(), "threads must be stopped");
  for (int i = 0; i < n; i++) {
    add_young(keep[i].start, pointer_delta(keep[i].end, keep[i].start));
  }
}

void PmemAllocator::end_incremental(const Range* keep, int n) {
  assert(SafepointSynchronize::is_at_safepoint(), "threads must be stopped");
  if (_young != NULL) {
    _young->clear();
  }
  keep_young(keep, n);
  // The soft limit stays the last full collection's: what incremental
  // ones keep includes old garbage, and growing with it would let the file
  // fill with garbage. When they stop making room below it, an allocation
  // fails and the collector turns to a full collection.
  _allocated_since_gc = 0;
}
