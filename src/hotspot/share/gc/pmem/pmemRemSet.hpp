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
// (PmemCollector): the cards of Serial's card table that cover it. A
// reference store into a persistent object dirties the card of its field,
// whichever path does it (the checks every such store passes through,
// PmemBarrier::check_reference and c1_before_store; commit's copies of
// values; an abort's restored bytes). An incremental collection treats
// the references in the dirty cards' old objects as roots, then every
// card is clean again: after it no object is young, so no old object can
// refer to one. Serial's own collections never scan or clean these cards
// (they lie in no generation).
class PmemRemSet : AllStatic {
public:
  static void dirty(const void* field);
  static void dirty_range(const void* start, size_t bytes);
  // Cleans the cards of [from, to) (Serial commits them dirty).
  static void clean(HeapWord* from, HeapWord* to);
  // f(start, end) for each run of dirty cards in [PmemHeap::bottom(), to),
  // in address order, clipped to it.
  template <typename F> static void dirty_runs_do(HeapWord* to, F f);
  static size_t dirty_cards(HeapWord* to);   // for the log

private:
  static volatile jbyte* card_for(const void* p);
  static HeapWord* addr_for(const volatile jbyte* card);
};

#endif // SHARE_GC_PMEM_PMEMREMSET_HPP
