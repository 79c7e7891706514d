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

#ifndef SHARE_GC_PMEM_PMEMCOLLECTOR_HPP
#define SHARE_GC_PMEM_PMEMCOLLECTOR_HPP

#include "gc/shared/gcCause.hpp"
#include "memory/allStatic.hpp"
#include "utilities/globalDefinitions.hpp"

class JavaThread;
class ObjectClosure;
class outputStream;

// Garbage collection of the persistent part, as a phase of Serial's full
// GC (gc/serial/genMarkSweep.cpp calls in before and after marking).
//
// Not every full GC collects it: one that the volatile heap needs treats
// persistent objects as live and never looks inside them, so its pause
// does not grow with persistent data. The persistent part is collected
//  * when an allocation in it fails, or top would pass the soft limit
//    (see PmemAllocator), by a full GC of its own;
//  * in any full GC once PmemGCTriggerPercent of it is in use;
//  * on request: System.gc(), jcmd GC.run, jmap -histo:live, heap dumps of
//    live objects, JVMTI ForceGarbageCollection, WhiteBox.fullGC;
//  * in every full GC with -XX:+PmemAlwaysCollect (diagnostic).
// Attach never collects, not even after a crash (restart stays O(1)).
// Such a collection marks from every root (the root, named objects, what
// open transactions' undo logs hold and allocated, and every volatile
// reference) into a side bitmap (PmemMark) and sweeps each run of unmarked
// space into one tagged free chunk (PmemWalk), which the allocator reuses.
// Every tag is a single 8-byte store, so a crash at any point leaves a file
// the next run parses, with every reachable object in it. Then, when asked
// to or when the free space is fragmented, it compacts (PmemCompact).
//
// Most collections are incremental (-XX:+PmemIncrementalGC): the marks of
// the last collection are kept (PmemMark), so every object that survived
// it counts as live without being traced; the roots and the references in
// remembered lines (PmemRemSet: a reference store into an old persistent
// object remembers its field's line) mark the objects allocated since, and
// only the ranges handed out since (PmemAllocator's young ranges) are
// swept. The cost is the young
// objects', the remembered lines' and the roots', not the live data's. Old
// garbage waits for a full collection, which the policy chooses
//  * for the first collection of a run, and after a compaction;
//  * when asked for one: System.gc(), jcmd GC.run, heap inspection and
//    dumps, JVMTI, WhiteBox (the caller wants every dead object gone),
//    Pmem.compact(), -XX:-PmemIncrementalGC;
//  * when what incremental ones kept grew by PmemFullGCOldGrowthPercent of
//    what the last full one found live;
//  * when an incremental one made too little room for an allocation.
// Each says why in its log line (-Xlog:gc+pmem).
class PmemCollector : AllStatic {
  friend class VM_PmemCollect;

  static bool _attached;     // the heap is open to Java: GCs may look inside
  static bool _requested;    // the full GC under way is the allocator's
  static bool _collecting;   // ... and it collects the persistent part
  static volatile bool _compact_requested;   // by Pmem.compact(), for the next collection
  static uint _collections;
  static uint _incremental_collections;

  static bool should_collect(GCCause::Cause cause);
  static void mark_roots();
  static void sweep(const char* why, size_t used_before, jlong started);
  static void collect_for_allocation(JavaThread* thread, uint before, size_t words);
  static void collect(JavaThread* thread, uint before);

public:
  // At attach, after the type table is resolved and headers rewritten.
  // After a crash, collects (persistent roots only); else the free list is
  // what the attach walk found tagged in the file.
  static void attach(bool after_crash);
  static bool is_attached() { return _attached; }

  // Called by Serial's full GC, at a safepoint, around its marking phase.
  static void begin_full_gc(GCCause::Cause cause);
  static void end_marking();

  // For pnew and pmake: allocates, collecting when the allocator asks for
  // it. NULL if the persistent heap is full even after a collection.
  static HeapWord* allocate(JavaThread* thread, size_t words, bool may_defer = false);

  static uint collections() { return _collections; }
  static uint incremental_collections() { return _incremental_collections; }

  // Pmem.collect(): a collection now, incremental unless the policy says
  // full (see above).
  static void collect_now(JavaThread* thread);

  // Pmem.compact(): a collection that also compacts (PmemCompact). False
  // if it could not compact (a transaction open in some thread).
  static bool compact(JavaThread* thread);

  // A transaction's undo log grows in chunks of the persistent part, taken
  // where no collection can run (the barrier). So an outermost transaction
  // begins with a collection when the room left (free chunks and the
  // file's unused rest) is short and garbage may hold more: some was
  // allocated since the last collection, or none ran yet in this run.
  static bool room_is_short();
  static void make_room_before_txn(JavaThread* thread);

  // The persistent objects, for heap inspection and dumps (skips free space).
  static void object_iterate(ObjectClosure* cl);
  // -XX:+VerifyBeforeGC etc.: walks and checks the persistent part.
  static void verify();
  static void print_on(outputStream* st);

  // At the end of an orderly exit: the next run needs no recovery sweep.
  static void detach();
};

#endif // SHARE_GC_PMEM_PMEMCOLLECTOR_HPP
