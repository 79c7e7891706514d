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
#include "gc/pmem/pmemFault.hpp"
#include "gc/pmem/pmemFormat.hpp"
#include "gc/pmem/pmemHeap.hpp"
#include "gc/pmem/pmemWriteback.hpp"
#include "runtime/atomic.hpp"
#include "gc/shared/gc_globals.hpp"
#include "runtime/globals.hpp"
#include "utilities/copy.hpp"

HeapWord* volatile PmemAllocator::_top = NULL;

// The calling thread's allocation buffer. Memory left in a buffer when its
// thread ends stays unused (zero) until the persistent heap is collected.
static THREAD_LOCAL HeapWord* _buffer_top = NULL;
static THREAD_LOCAL HeapWord* _buffer_end = NULL;

static PmemFileState* state() {
  return (PmemFileState*)(PmemHeap::file_base() + PmemFormat::state_offset);
}

void PmemAllocator::initialize() {
  size_t used = (size_t)state()->objects_top;
  size_t capacity = PmemHeap::size_in_bytes();
  _top = (HeapWord*)((char*)PmemHeap::bottom() + MIN2(used, capacity));
}

void PmemAllocator::persist_top(HeapWord* top) {
  // Raise the recorded top to at least ours. Another thread may have
  // raised it further; it is never lowered, so racing refills cannot
  // hide each other's memory. Writing the line back makes whatever value
  // it holds durable, which covers ours.
  uint64_t mine = (uint64_t)pointer_delta(top, PmemHeap::bottom(), 1);
  volatile uint64_t* recorded = &state()->objects_top;
  uint64_t cur = Atomic::load(recorded);
  while (cur < mine) {
    uint64_t prev = Atomic::cmpxchg(recorded, cur, mine);
    if (prev == cur) {
      break;
    }
    cur = prev;
  }
  PmemWriteback::persist((const void*)recorded, sizeof(uint64_t));
}

HeapWord* PmemAllocator::claim(size_t words) {
  HeapWord* cur = Atomic::load(&_top);
  for (;;) {
    if (pointer_delta(PmemHeap::end(), cur) < words) {
      return NULL;
    }
    HeapWord* prev = Atomic::cmpxchg(&_top, cur, cur + words);
    if (prev == cur) {
      PmemFault::reached("refill");
      persist_top(cur + words);
      return cur;
    }
    cur = prev;
  }
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

HeapWord* PmemAllocator::allocate(size_t words) {
  const size_t buffer_words = PmemAllocationBufferSize / HeapWordSize;
  HeapWord* mem;
  if (_buffer_top != NULL && pointer_delta(_buffer_end, _buffer_top) >= words + header_pad(_buffer_top)) {
    mem = _buffer_top + header_pad(_buffer_top);
    _buffer_top = mem + words;
  } else if (words > buffer_words / 4) {
    // Large: directly, keeping the buffer for small objects.
    mem = claim(words + 1);
    if (mem != NULL) {
      mem += header_pad(mem);
    }
  } else {
    HeapWord* buf = claim(buffer_words);
    if (buf == NULL) {
      mem = claim(words + 1);   // the last bytes of the heap
      if (mem != NULL) {
        mem += header_pad(mem);
      }
    } else {
      mem = buf + header_pad(buf);
      _buffer_top = mem + words;
      _buffer_end = buf + buffer_words;
    }
  }
  if (mem != NULL) {
    // Fresh file space is zero; memory reused after a crash may not be.
    Copy::zero_to_words(mem, words);
  }
  return mem;
}

size_t PmemAllocator::used_bytes() {
  return pointer_delta(Atomic::load(&_top), PmemHeap::bottom(), 1);
}
