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

#ifndef SHARE_GC_PMEM_PMEMRELOCATE_HPP
#define SHARE_GC_PMEM_PMEMRELOCATE_HPP

#include "gc/pmem/pmemWriteback.hpp"
#include "memory/allStatic.hpp"
#include "memory/iterator.hpp"
#include "oops/oopsHierarchy.hpp"
#include "utilities/globalDefinitions.hpp"

struct PmemFileState;

// Where the objects area lies and how a reference encodes an address in it:
// a reference's value is (address + offset - base) >> shift with compressed
// oops, address + offset without.
struct PmemPlacement {
  uint64_t address;
  uint64_t base;
  uint64_t shift;

  uint64_t value_of(uint64_t offset) const;
  uint64_t offset_in(uint64_t value) const;
  // Whether value refers into an objects area of size bytes placed so.
  bool holds(uint64_t value, uint64_t size) const {
    return value >= value_of(0) && value < value_of(size);
  }
  bool operator==(const PmemPlacement& o) const {
    return address == o.address && base == o.base && shift == o.shift;
  }
};

// Rewrites each reference in from's range to to's encoding of the same
// offset, or of forward(offset) if given; leaves null and values in to's
// range alone (written for the target before a crash, or from == to), and
// sets other values (a run's volatile objects) to null if drop_others.
// Written back a cache line at a time (fields come in address order); the
// caller calls written_back() and drains per chunk.
class PmemRewriteClosure : public BasicOopIterateClosure {
public:
  typedef uint64_t (*Forward)(uint64_t offset);
private:
  const PmemPlacement _from;
  const PmemPlacement _to;
  const uint64_t      _size;
  const Forward       _forward;
  const bool          _drop_others;
  size_t _rewritten = 0;
  size_t _dropped = 0;
  PmemLineFlusher _lines;

  void set(void* p, uint64_t v);
  void work(void* p);
public:
  PmemRewriteClosure(const PmemPlacement& from, const PmemPlacement& to, uint64_t size,
                     Forward forward = NULL, bool drop_others = true) :
    _from(from), _to(to), _size(size), _forward(forward), _drop_others(drop_others) {}
  virtual void do_oop(oop* p)       { work(p); }
  virtual void do_oop(narrowOop* p) { work(p); }
  // Starts writing back the last changed line.
  void written_back() { _lines.flush(); }
  size_t lines() const { return _lines.lines(); }
  size_t rewritten() const { return _rewritten; }
  size_t dropped() const { return _dropped; }
};

// Relocation: the file's objects area is mapped somewhere else, or
// references encode addresses differently (another compressed oop base or
// shift), than in the run that wrote it. Attach then rewrites every
// reference in the objects (roots, named objects and logs hold offsets and
// need nothing) before anything reads them.
//
// The rewrite goes in steps, each from the recorded placement to a target
// recorded in the state area (reloc_*) with reloc_phase set, a chunk of
// objects at a time, reloc_cursor persisted after each. A step's source and
// target value ranges never overlap, so a value says whether it has been
// rewritten: a crash anywhere leaves every field old or new, and the next
// attach finishes the recorded step (wherever the file is mapped then) and
// never rewrites a field twice. When the ranges of the old and the new
// placement overlap, the rewrite goes through an intermediate placement
// disjoint from both (two steps). A step ends by recording its target as
// the placement, then clearing reloc_phase.
//
// After a crash, before a step begins, references that are in no
// placement's range (the last run's volatile objects in cache fields) are
// set to null, so that none can be mistaken for a rewritten one.
class PmemRelocate : AllStatic {
  static const char* _reason;
public:
  // This run's placement (after the heap is reserved).
  static PmemPlacement current();
  // The placement the file records.
  static PmemPlacement recorded(const PmemFileState* st);
  // Records pl as the file's placement, crash-safely.
  static void record(PmemFileState* st, const PmemPlacement& pl);

  // Why the heap was mapped away from its recorded address (for the log).
  static void set_reason(const char* why) { _reason = why; }

  // Whether attach has references to rewrite.
  static bool needed();
  // Rewrites every reference for this run's placement. Called by attach
  // after its read-only checks and recovery. False with a one-line message
  // in err if no intermediate placement can be found.
  static bool run(char* err, size_t err_len);

  // Whether the value ranges of a and b (objects areas of size bytes) are
  // disjoint, so that a step from one to the other can tell values apart.
  static bool disjoint(const PmemPlacement& a, const PmemPlacement& b, uint64_t size);
  // A placement to go through from a to b when their ranges overlap: its
  // range disjoint from both, its address a whole number of gigabytes.
  // False if the value space has no room for one.
  static bool intermediate(const PmemPlacement& a, const PmemPlacement& b, uint64_t size, PmemPlacement* mid);
  // The same for the values [lo, hi) of this run's encoding.
  static bool intermediate_outside(uint64_t lo, uint64_t hi, uint64_t size, PmemPlacement* mid);
  // The intermediate placement whose address is address.
  static PmemPlacement mid_at(uint64_t address);

  // A reference field read before run() (attach's read-only checks): its
  // object in this run's mapping, whatever placement its value was written for.
  static oop load(const void* field);
};

#endif // SHARE_GC_PMEM_PMEMRELOCATE_HPP
