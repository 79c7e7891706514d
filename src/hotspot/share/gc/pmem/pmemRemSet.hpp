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

#ifndef SHARE_GC_PMEM_PMEMREMSET_HPP
#define SHARE_GC_PMEM_PMEMREMSET_HPP

#include "memory/allStatic.hpp"
#include "utilities/globalDefinitions.hpp"

// The remembered set of an incremental collection of the persistent part
// (PmemCollector): a bit per 64-byte line of the objects area, kept in the
// file's card-metadata area (PmemFileHeader::card_meta_*: a byte per 512
// bytes, so exactly a bit per line). A reference store into an old
// persistent object (PmemMark::may_be_old: one that survived a collection)
// sets its field's bit, whichever path does it: every such store passes
// PmemBarrier::check_reference or c1_before_store (no safepoint between
// them and the store); commit's copies of values and an abort's restored
// bytes set theirs too. A young holder needs none: the collection that
// marks it traces all of its fields. The stores that skip the barrier (C2's
// stores into an object allocated in the same frame) write objects their
// transaction allocated, which every collection rescans whole. An
// incremental collection treats the references of the marked objects in
// set lines as roots, then clears every bit: after it no object is young,
// so no old object can refer to one. A line, not Serial's 512-byte card:
// small objects are scanned eight times less (bench/RESULTS.md).
// The bits are a cache: nothing reads them after a crash (the first
// collection is then full and clears them), and a stale bit only costs a
// scan. (The area was reserved by format version 1 for block offsets and
// never written, so files made before incremental collections have it
// zero.)
class PmemRemSet : AllStatic {
  static volatile uint8_t* _bits;   // NULL before attach
  static HeapWord* _covered_end;    // the area covers the objects below this

public:
  static const int line_shift = 6;
  static const size_t line_words = (size_t)1 << (line_shift - LogHeapWordSize);

  static void initialize();
  // The area was sized for the file's largest size when it was made; a
  // later -XX:PmemMaxSize may let the objects grow past what it covers.
  // Stores there are not remembered, so while the objects area ends past
  // covered_end() every collection is full.
  static HeapWord* covered_end() { return _covered_end; }
  static void remember(const void* field) {
    if (_bits != NULL) {
      set(field);
    }
  }
  static void remember_range(const void* start, size_t bytes);
  // Clears the bits of [PmemHeap::bottom(), to).
  static void clear(HeapWord* to);
  // f(start, end) for each run of set lines in [PmemHeap::bottom(), to),
  // in address order, clipped to it.
  template <typename F> static void runs_do(HeapWord* to, F f);

private:
  static void set(const void* field);
};

#endif // SHARE_GC_PMEM_PMEMREMSET_HPP
