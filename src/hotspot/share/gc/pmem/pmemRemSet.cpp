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

#include "precompiled.hpp"
#include "gc/pmem/pmemFormat.hpp"
#include "gc/pmem/pmemHeap.hpp"
#include "gc/pmem/pmemRemSet.inline.hpp"
#include "runtime/atomic.hpp"

volatile uint8_t* PmemRemSet::_bits = NULL;
HeapWord* PmemRemSet::_covered_end = NULL;

void PmemRemSet::initialize() {
  const PmemFileHeader* h = (const PmemFileHeader*)PmemHeap::file_base();
  // A bit per line of the objects area, as far as the area (a byte per
  // 512 bytes of the file at the largest size it was made for) reaches;
  // 8-byte aligned for runs_do.
  assert(is_aligned(h->card_meta_offset, BytesPerWord), "aligned");
  const size_t covered_bytes = MIN2((size_t)h->card_meta_size * 8 << line_shift, PmemHeap::max_size_in_bytes());
  _covered_end = PmemHeap::bottom() + covered_bytes / HeapWordSize;
  _bits = (volatile uint8_t*)(PmemHeap::file_base() + h->card_meta_offset);
}

void PmemRemSet::set(const void* field) {
  if ((HeapWord*)field >= _covered_end) {
    return;   // past the area: collections are full while objects lie here
  }
  const size_t line = pointer_delta(field, PmemHeap::bottom(), 1) >> line_shift;
  volatile uint8_t* byte = _bits + (line >> 3);
  const uint8_t bit = (uint8_t)(1u << (line & 7));
  if ((*byte & bit) == 0) {   // set already: the usual case for a field stored into again
    Atomic::fetch_then_or(byte, bit);
  }
}

void PmemRemSet::remember_range(const void* start, size_t bytes) {
  if (_bits == NULL || bytes == 0 || !PmemHeap::is_in(start)) {
    return;
  }
  const char* last = (const char*)start + bytes - 1;
  for (const char* p = (const char*)start; p <= last; p += ((size_t)1 << line_shift)) {
    set(p);
  }
  set(last);
}

void PmemRemSet::clear(HeapWord* to) {
  to = MIN2(to, _covered_end);
  if (_bits == NULL || to <= PmemHeap::bottom()) {
    return;
  }
  const size_t lines = (pointer_delta(to, PmemHeap::bottom()) + line_words - 1) / line_words;
  memset((void*)_bits, 0, align_up(lines, (size_t)64) / 8);
}
