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

template <typename F> void PmemRemSet::runs_do(HeapWord* to, F f) {
  to = MIN2(to, _covered_end);
  if (_bits == NULL || to <= PmemHeap::bottom()) {
    return;
  }
  HeapWord* const bottom = PmemHeap::bottom();
  const size_t lines = (pointer_delta(to, bottom) + line_words - 1) / line_words;
  const volatile uint64_t* words = (const volatile uint64_t*)_bits;
  size_t run = SIZE_MAX;   // first line of the open run
  for (size_t w = 0; w * 64 < lines; w++) {
    uint64_t v = words[w];
    if (v == 0 && run == SIZE_MAX) {
      continue;   // 64 clear lines (4 KB) at a time
    }
    for (size_t b = 0; b < 64 && w * 64 + b < lines; b++) {
      const size_t line = w * 64 + b;
      const bool set = (v >> b) & 1;
      if (set && run == SIZE_MAX) {
        run = line;
      } else if (!set && run != SIZE_MAX) {
        f(bottom + run * line_words, bottom + line * line_words);
        run = SIZE_MAX;
      }
    }
  }
  if (run != SIZE_MAX) {
    f(bottom + run * line_words, to);
  }
}

#endif // SHARE_GC_PMEM_PMEMREMSET_INLINE_HPP
