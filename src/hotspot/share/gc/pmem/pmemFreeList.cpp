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
#include "gc/pmem/pmemFreeList.hpp"
#include "utilities/powerOfTwo.hpp"

int PmemFreeList::bin_of(size_t words) {
  return log2i(words);
}

void PmemFreeList::add(HeapWord* start, size_t words) {
  assert(words >= min_chunk_words, "too short to list");
  Chunk c = { start, words };
  _bin[bin_of(words)].push(c);
  _free_words += words;
  _chunks++;
}

bool PmemFreeList::take_from(int b, size_t min, size_t scan, Chunk* out) {
  GrowableArrayCHeap<Chunk, mtGC>& bin = _bin[b];
  if (bin.is_empty()) {
    return false;
  }
  int found = -1;
  if (bin_of(min) < b) {
    found = bin.length() - 1;   // every chunk here is at least 2^b > min
  } else {
    // The bin of min itself holds shorter chunks too: look at scan of them.
    for (int i = bin.length() - 1, seen = 0; i >= 0 && (size_t)seen < scan; i--, seen++) {
      if (bin.at(i).words >= min) {
        found = i;
        break;
      }
    }
  }
  if (found < 0) {
    return false;
  }
  *out = bin.at(found);
  bin.delete_at(found);
  _free_words -= out->words;
  _chunks--;
  return true;
}

bool PmemFreeList::take(size_t min, size_t want, Chunk* out) {
  assert(min >= min_chunk_words && want >= min, "bad request");
  // Smallest chunk that holds want: a buffer cut from it leaves big chunks
  // whole for big objects.
  for (int b = bin_of(want); b < bins; b++) {
    if (take_from(b, want, SIZE_MAX, out)) {   // a big request must not miss a fit
      return true;
    }
  }
  // Else the largest that holds min.
  for (int b = bin_of(want); b >= bin_of(min); b--) {
    if (take_from(b, min, 16, out)) {
      return true;
    }
  }
  return false;
}

void PmemFreeList::clear() {
  for (int b = 0; b < bins; b++) {
    _bin[b].clear();
  }
  _free_words = 0;
  _chunks = 0;
}

size_t PmemFreeList::largest() const {
  for (int b = bins - 1; b >= 0; b--) {
    if (!_bin[b].is_empty()) {
      size_t max = 0;
      for (int i = 0; i < _bin[b].length(); i++) {
        max = MAX2(max, _bin[b].at(i).words);
      }
      return max;
    }
  }
  return 0;
}
