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

#ifndef SHARE_GC_PMEM_PMEMMARK_HPP
#define SHARE_GC_PMEM_PMEMMARK_HPP

#include "gc/pmem/pmemHeap.hpp"
#include "memory/allStatic.hpp"
#include "memory/memRegion.hpp"
#include "oops/oopsHierarchy.hpp"
#include "utilities/globalDefinitions.hpp"

// Marking of the persistent part, in a volatile side bitmap (one bit per
// word): nothing is written into persistent headers, so a crash during a
// collection leaves the file as the mutator left it. Persistent objects
// refer only to persistent objects, so marking one marks everything it
// reaches at once, with a stack of its own; Serial's full GC calls in when
// its tracing of the volatile heap meets a persistent object.
// Active from PmemMark::begin() to end(), only in collections of the
// persistent part.
// The marks are sticky: an incremental collection (PmemCollector) keeps
// those of the last one, so every object that survived it counts as live
// and is not traced again; only the objects allocated since are marked
// from the roots and the remembered set (PmemRemSet). Free space never
// holds a mark: sweeps free only unmarked runs, and memory given back
// otherwise (PmemAllocator::release) is cleared.
class PmemMark : AllStatic {
  static bool _active;

public:
  static bool is_active() { return _active; }

  // Clears the bitmap below the allocator's top (full), or keeps it
  // (incremental).
  static void begin(bool incremental);
  static void end();

  // Marks obj, which must be persistent, and everything it reaches.
  static void mark_and_trace(oop obj);
  static bool is_marked(oop obj);
  // For the remembered set (PmemRemSet), from any thread: whether obj may
  // be old (it survived a collection), so a reference stored into it must
  // be remembered. Before the first marks of the run every object may be.
  static bool may_be_old(const void* obj);
  // Marks (and traces) what obj's reference fields within mr refer to:
  // the remembered set's old objects. Tests each mark inline: most are
  // old, and marked.
  static void trace_fields(oop obj, MemRegion mr);
  // What Serial's is-alive closure answers for a persistent object.
  static bool is_live(oop obj) { return !_active || is_marked(obj); }
  // Serial's full GC meets obj (MarkSweep::mark_and_push, follow_root). No
  // mark bit is ever written into a persistent object: while this GC
  // collects the persistent part, a side bitmap marks it and all it reaches
  // (persistent objects refer only to persistent ones); else it is live by
  // definition and not traced. Returns whether obj is persistent.
  static bool mark_if_persistent(oop obj) {
    if (!PmemHeap::is_in(obj)) {
      return false;
    }
    if (_active) {
      mark_and_trace(obj);
    }
    return true;
  }

  // The first marked address in [from, limit), or limit.
  static HeapWord* next_marked(HeapWord* from, HeapWord* limit);
  // The last marked address in [limit, at], or NULL.
  static HeapWord* prev_marked(HeapWord* at, HeapWord* limit);
  // [start, start + words) holds no object any more.
  static void clear(HeapWord* start, size_t words);
  // Brings the mark bits of p (and the word before) into the cache.
  static void prefetch(const void* p);
  // Sizes the bitmap to the objects area (it grows with the file).
  static void cover_heap();
  // Marks obj without tracing it (an orderly exit makes the young old).
  static void set_mark(HeapWord* obj);
  // The bitmap's words for [bottom, to), and back (a saved copy).
  static size_t words_for(HeapWord* to);
  static void copy_out(HeapWord* to, uint64_t* dest);
  static void copy_in(HeapWord* to, const uint64_t* src);
  static size_t marked_objects();
};

#endif // SHARE_GC_PMEM_PMEMMARK_HPP
