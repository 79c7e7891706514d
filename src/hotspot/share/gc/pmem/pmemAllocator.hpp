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

#ifndef SHARE_GC_PMEM_PMEMALLOCATOR_HPP
#define SHARE_GC_PMEM_PMEMALLOCATOR_HPP

#include "gc/pmem/pmemFreeList.hpp"
#include "memory/allStatic.hpp"
#include "utilities/globalDefinitions.hpp"

class Mutex;
class Thread;

// Allocation in the persistent part. Each thread bump-allocates in its own
// buffer (PmemAllocationBufferSize), refilled from a free chunk that the
// collector left, or else from the never-used rest of the file above a
// shared top. Objects larger than a quarter buffer take a chunk (or top
// space) of their own.
//
// Crash safety rests on two rules:
//  * top's high-water mark (PmemFileState::objects_top) is raised and
//    persisted before any memory above the old one is handed out, and that
//    memory is zero, so a crash leaves at most unreachable objects below it;
//  * a free chunk is made zero, its remainder tagged as a chunk of its own,
//    both persisted, and only then its own tag cleared (persisted): at any
//    moment the walker sees a tagged chunk, or zeros and whole objects.
// The buffers and the free list are volatile: a collection retires every
// buffer and rebuilds the list (a full one), or adds what it freed (an
// incremental one, which sweeps only the ranges handed out since the last
// collection: the young ranges).
class PmemAllocator : AllStatic {
  static HeapWord* volatile _top;      // next never-used word of the objects area
  static HeapWord* _soft_limit;        // top grows past this only after a collection
  static PmemFreeList _free;
  static size_t _unlisted_free_words;  // swept free but too short to hand out
  static size_t _allocated_since_gc;   // bytes handed out since the last collection
  static Mutex* _lock;                 // guards all of the above but _top's reads

  static HeapWord* claim_top(size_t words, bool past_limit);
  static void      persist_top(HeapWord* top);
  static HeapWord* take_chunk(size_t min, size_t want, size_t* got);
  static HeapWord* take_locked(size_t min, size_t want, bool past_limit, size_t* got);

public:
  // Resumes from the top recorded in the file.
  static void initialize();

  // Returns size words of zeroed persistent memory, or NULL when neither
  // a free chunk nor the file's rest holds them (or the rest would grow
  // past the soft limit, unless past_limit). Never safepoints. may_defer:
  // outside a transaction the object may lie in a deferred buffer
  // (PmemDeferred), whose caller writes it back only when it is linked
  // through the store barrier; other callers get memory outside any.
  static HeapWord* allocate(Thread* thread, size_t words, bool past_limit, bool may_defer = false);

  // Gives back an unreachable object that nothing can reach again (an
  // undo log chunk): tagged free in the file, then listed.
  static void release(HeapWord* obj, size_t words);

  // Bytes handed out and not known free: live objects, the garbage made
  // since the last collection and the unused rest of thread buffers.
  static size_t used_bytes();
  static HeapWord* top() { return _top; }
  // At attach, before anything allocates: raises top (durably) to t.
  static void raise_top(HeapWord* t) {
    if (t > _top) {
      _top = t;
    }
    persist_top(t);
  }
  static size_t allocated_since_gc() { return _allocated_since_gc; }

  // -- for the collector, at a safepoint --
  // Forgets every thread's buffer (their unused rest is zero, and free to
  // the sweep that follows).
  static void retire_buffers();
  // Forgets thread's buffer (its own, or at a safepoint).
  static void retire_buffer(Thread* thread);
  // Replaces the free list with the chunks of a sweep; each chunk is
  // tagged in the file already. live_bytes sets the next soft limit.
  static void begin_rebuild();
  static void add_free(HeapWord* start, size_t words);
  static void end_rebuild(size_t live_bytes);
  // A collection did not make room below the soft limit: let top grow a
  // step past where it is, so the next allocations do not collect again.
  static void raise_soft_limit();

  static size_t free_bytes()        { return (_free.free_words() + _unlisted_free_words) * HeapWordSize; }
  static size_t free_chunks()       { return _free.chunks(); }
  static size_t largest_free_bytes() { return _free.largest() * HeapWordSize; }
  static size_t soft_limit_bytes();

  // -- young ranges: what was handed out since the last collection, in
  // the order it was, adjacent ones merged --
  struct Range { HeapWord* start; HeapWord* end; };
  static int young_ranges();
  static Range young_range(int i);
  // After an incremental sweep: the young ranges are kept (they lie in an
  // open transaction's fresh range: swept again next time), the free list
  // keeps its chunks and what the sweep added; the soft limit stays.
  static void end_incremental(const Range* keep, int n);
  // After a full sweep: what it could not sweep (open transactions' fresh
  // ranges) is young, for the next collection to sweep.
  static void keep_young(const Range* keep, int n);
  // The marks were saved for the next run (an orderly exit): the next
  // hand-out or release calls f, since what it changes would be neither
  // marked nor young in that run.
  static void on_next_change(void (*f)());
  // Room for the saved marks: words at the top, past any limit but the
  // file's; NULL if the file has none.
  static HeapWord* take_top(size_t words);
};

#endif // SHARE_GC_PMEM_PMEMALLOCATOR_HPP
