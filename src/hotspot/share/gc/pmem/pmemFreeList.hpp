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

#ifndef SHARE_GC_PMEM_PMEMFREELIST_HPP
#define SHARE_GC_PMEM_PMEMFREELIST_HPP

#include "memory/allocation.hpp"
#include "utilities/globalDefinitions.hpp"
#include "utilities/growableArray.hpp"

// The free chunks of the persistent part, as the last sweep found them:
// volatile, rebuilt by every collection (and at attach), never persisted.
// The file knows a chunk only by its tag word (see PmemWalk). Chunks sit in
// bins by the power of two below their length, so a request finds a chunk
// that surely fits by popping the first non-empty bin above its own.
// Not thread-safe: PmemAllocator serialises access.
class PmemFreeList {
public:
  struct Chunk {
    HeapWord* start;
    size_t    words;
  };

private:
  static const int bins = BitsPerWord;
  GrowableArrayCHeap<Chunk, mtGC> _bin[bins];
  size_t _free_words;
  size_t _chunks;

  static int bin_of(size_t words);
  bool take_from(int b, size_t min, size_t scan, Chunk* out);   // >= min words, in bin b

public:
  // Chunks shorter than this hold no object; they stay tagged in the file
  // (counted free) but are not handed out.
  static const size_t min_chunk_words = 2;

  PmemFreeList() : _free_words(0), _chunks(0) {}

  void add(HeapWord* start, size_t words);

  // Removes a chunk of at least min words. Prefers the smallest chunk of at
  // least want words (an allocation buffer, split by the caller), then the
  // largest one below that. False if no chunk holds min words.
  bool take(size_t min, size_t want, Chunk* out);

  void clear();

  size_t free_words() const { return _free_words; }
  size_t chunks() const     { return _chunks; }
  size_t largest() const;
};

#endif // SHARE_GC_PMEM_PMEMFREELIST_HPP
