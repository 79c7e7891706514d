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

#ifndef SHARE_GC_PMEM_PMEMCOMPACT_HPP
#define SHARE_GC_PMEM_PMEMCOMPACT_HPP

#include "gc/pmem/pmemHeap.hpp"
#include "memory/allStatic.hpp"
#include "oops/access.hpp"
#include "oops/oopsHierarchy.hpp"
#include "utilities/globalDefinitions.hpp"

// Compaction of the persistent part: the live objects slide down, in
// address order, so that all free space becomes one chunk. It runs inside
// a collection of the persistent part, after its sweep, when no thread has
// a transaction open; either on request (Pmem.compact()) or when at least
// PmemCompactPercent of the free space lies outside the largest free chunk.
//
// The file is changed in three recorded phases (compact_* in the state
// area), each resumable by the next attach after a crash:
//  1. every reference in the objects is rewritten to its target's new
//     offset in an intermediate placement (compact_mid), whose value range
//     is disjoint from the heap's, so a value says whether its field was
//     rewritten; root slots go from offset + 1 to new offset + 2. The
//     sweep made all dead space free chunks, so the live objects, and thus
//     every new offset, are what a walk of the file finds again.
//  2. the runs of live objects between free chunks are copied down, in
//     address order: as many runs at once as fit below the first one's
//     source (the distance only grows, so soon thousands at once), copied
//     again from the start after a crash; a run longer than its distance
//     alone, in pieces no longer than the distance, the bytes copied
//     persisted after each (a piece overwrites only source bytes copied
//     before). The gap left above is tagged free. What is being moved is
//     one of two records in the state area, switched by a single store,
//     so the layout below it is always compacted, the one above it the old
//     one, and the file parses once the current record is ended or voided.
//  3. the references go from the intermediate placement to this one, and
//     root slots back to offset + 1.
// The volatile side follows in memory: Serial's adjust phase takes a moved
// object's new address from forwardee(), and the tables keyed by
// persistent addresses (loose and locked bitmaps, cache slots, enum twins,
// undo log chunks) are moved along.
class PmemCompact : AllStatic {
  static bool _forwarding;
  static uint _compactions;

public:
  // Every full GC, first: the last compaction's forwarding is over, and
  // its tables are freed.
  static void full_gc_begins();

  // -- in a collection of the persistent part, at a safepoint --
  // Before marking: whether this collection was asked to compact.
  static void begin_collection(bool requested);
  // From the sweep, in address order: a run of live objects.
  static void live_run(HeapWord* start, HeapWord* end);
  // After the sweep. Compacts if asked to or if the free space is
  // fragmented enough, and no transaction is open. True if it compacted.
  static bool after_sweep(size_t live_words);

  // Serial's adjust phase, for a reference to a persistent object.
  static bool is_forwarding() { return _forwarding; }
  static oop forwardee(oop obj);
  // MarkSweep::adjust_pointer of field p, which refers to obj. A persistent
  // obj's mark word may hold a hash, never a forwardee: a compaction of the
  // persistent part keeps its forwarding on the side. Returns whether obj
  // is persistent (p then needs nothing more).
  template <class T> static bool adjust_if_persistent(T* p, oop obj) {
    if (!PmemHeap::is_in(obj)) {
      return false;
    }
    if (_forwarding) {
      RawAccess<IS_NOT_NULL>::oop_store(p, forwardee(obj));
    }
    return true;
  }
  static uint compactions() { return _compactions; }

  // -- at attach --
  // Phase 2: ends the copy of the current run (no type information needed)
  // so that the objects area parses again. Before attach's check walk.
  static void finish_unit();
  // After the check walk: finishes a compaction a crash interrupted.
  // False with a one-line message in err if the file cannot be finished.
  static bool resume(char* err, size_t err_len);
};

#endif // SHARE_GC_PMEM_PMEMCOMPACT_HPP
