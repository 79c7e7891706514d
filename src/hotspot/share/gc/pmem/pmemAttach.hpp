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

#ifndef SHARE_GC_PMEM_PMEMATTACH_HPP
#define SHARE_GC_PMEM_PMEMATTACH_HPP

#include "memory/allStatic.hpp"
#include "utilities/globalDefinitions.hpp"

// The attach-time pass over the persistent objects: clears lock bits left
// by the previous run, rewrites klass values in headers when classes sit
// elsewhere in this run ("swizzling"), and lists the free chunks.
//
// The pass is skipped when it has nothing to do: no class moved and no
// header holds lock state (PmemLocking). Attach then costs nothing per
// object, and the free chunks wait for the first collection to list them
// (until then allocation takes the never-used rest of the file).
//
// Swizzling is crash-safe. The new value of every type is recorded in the
// type table and swizzle_phase set before any header changes; headers are
// then rewritten a chunk at a time in three persisted steps: tag each
// object's mark word with its type index, store the new klass, clear the
// tag; swizzle_cursor records finished chunks. A header is thus always
// either untagged with an old value (not reached yet), untagged with a new
// value (below the cursor), or tagged, and a tag names the type whatever
// the klass word holds. A run that finds swizzle_phase set first finishes
// the interrupted rewrite with the recorded values, then starts its own.
class OopIterateClosure;

// Told the end offset of each chunk PmemAttach::oops_do finished.
class PmemChunkDone {
public:
  virtual void done(size_t end_offset) = 0;
};

// Told each object PmemAttach::objects_do passes: its offset in the objects
// area, its type index and its size in words.
class PmemObjectVisitor {
public:
  virtual void visit(HeapWord* obj, size_t offset, int type, size_t words) = 0;
};

class PmemAttach : AllStatic {
public:
  // Returns false with a one-line message in err if the heap is damaged.
  static bool run(char* err, size_t err_len);

  // During run(), after its read-only check: every reference field of
  // every object from offset on, a chunk (about 1 MB) at a time, each
  // chunk's end told to done. Types are found as the check found them,
  // whatever state an interrupted header rewrite left.
  // Without old_layout, objects that a migration under way has copied are
  // passed over.
  static void oops_do(size_t offset, OopIterateClosure* cl, PmemChunkDone* done, bool old_layout = true);

  // As oops_do, with two passes per chunk: first over its references to
  // first (skipped for chunks that end at or below first_done_below), then
  // first_done told the chunk's end, then second, then second_done.
  static void oops_do_twice(size_t offset, OopIterateClosure* first, PmemChunkDone* first_done,
                            size_t first_done_below, OopIterateClosure* second, PmemChunkDone* second_done);

  // During run(), after its read-only check: every object in [from, to)
  // (offsets), in address order.
  static void objects_do(size_t from, size_t to, PmemObjectVisitor* v);

  // The mark word an object of a new run starts with (identity hash kept).
  static uint64_t clean_mark(uint64_t m);

  // Counters of the last run(), for logging and tests.
  static bool   walked();
  // Why it walked: "classes moved", "lock state" (a header may hold a lock
  // of the last run), or both.
  static const char* walk_reason();
  static size_t objects_seen();
  static size_t headers_rewritten();
};

#endif // SHARE_GC_PMEM_PMEMATTACH_HPP
