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

#ifndef SHARE_GC_PMEM_PMEMREMSET_INLINE_HPP
#define SHARE_GC_PMEM_PMEMREMSET_INLINE_HPP

#include "gc/pmem/pmemRemSet.hpp"

#include "gc/pmem/pmemHeap.hpp"
#include "gc/shared/cardTable.hpp"

template <typename F> void PmemRemSet::dirty_runs_do(HeapWord* to, F f) {
  if (to <= PmemHeap::bottom()) {
    return;
  }
  const jbyte clean = (jbyte)CardTable::clean_card_val();
  volatile jbyte* c = card_for(PmemHeap::bottom());
  volatile jbyte* last = card_for(to - 1);
  while (c <= last) {
    // Clean cards a word at a time: most are.
    if (is_aligned((void*)c, BytesPerWord) && c + BytesPerWord - 1 <= last &&
        *(volatile intptr_t*)c == (intptr_t)-1) {
      c += BytesPerWord;
      continue;
    }
    if (*c == clean) {
      c++;
      continue;
    }
    volatile jbyte* run = c;
    while (c <= last && *c != clean) {
      c++;
    }
    f(MAX2(addr_for(run), PmemHeap::bottom()), MIN2(addr_for(c - 1) + CardTable::card_size_in_words, to));
  }
}

#endif // SHARE_GC_PMEM_PMEMREMSET_INLINE_HPP
