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

#ifndef SHARE_GC_PMEM_PMEMWALK_HPP
#define SHARE_GC_PMEM_PMEMWALK_HPP

#include "memory/allStatic.hpp"
#include "oops/oop.hpp"
#include "runtime/globals.hpp"
#include "utilities/globalDefinitions.hpp"

// How the objects area is parsed, without help from the allocator:
//  * a free chunk, which the collector made of dead objects, starts with a
//    tag word that gives its length; what follows is whatever the dead
//    objects left. One aligned 8-byte store turns a run of dead objects into
//    a chunk, so a crash in the middle of a sweep leaves a parsable heap;
//  * memory never handed out, or handed out and not yet used, is zero, and
//    zero is never a mark word;
//  * an allocation cut short by a crash leaves a mark word without a klass
//    (never the reverse: a header never crosses a cache line, and the mark
//    word is stored first), followed by zeros;
//  * everything else is an object whose header gives its size.
// A free tag has the lock bits of a GC-marked mark word, which no
// persistent header ever holds (no collector writes marks into them), and a
// fixed byte under the length, so it is neither a mark word nor zero.
class PmemWalk : AllStatic {
public:
  static const uint64_t free_tag_byte = 0xf3;

  static uint64_t mark_bits(HeapWord* p) { return *(volatile uint64_t*)p; }

  static uint64_t free_tag(size_t words)   { return ((uint64_t)words << 8) | free_tag_byte; }
  static bool     is_free_tag(uint64_t m)  { return (m & 0xff) == free_tag_byte; }
  static size_t   free_words(uint64_t m)   { return (size_t)(m >> 8); }

  // The klass as the header holds it (narrow or full), 0 if none.
  static uint64_t raw_klass(HeapWord* p) {
    address k = (address)p + oopDesc::klass_offset_in_bytes();
    return UseCompressedClassPointers ? (uint64_t)*(volatile narrowKlass*)k
                                      : (uint64_t)*(volatile uintptr_t*)k;
  }

  static void set_raw_klass(HeapWord* p, uint64_t v) {
    address k = (address)p + oopDesc::klass_offset_in_bytes();
    if (UseCompressedClassPointers) {
      *(volatile narrowKlass*)k = (narrowKlass)v;
    } else {
      *(volatile uintptr_t*)k = (uintptr_t)v;
    }
  }

  // The first object at or after p (below end), passing over free chunks,
  // zero words and headers of allocations that a crash cut short; end if
  // none. Each free chunk passed is given to on_free(start, words).
  template <typename F>
  static HeapWord* next_object(HeapWord* p, HeapWord* end, F on_free) {
    while (p < end) {
      const uint64_t m = mark_bits(p);
      if (m == 0) {
        p++;
      } else if (is_free_tag(m)) {
        const size_t words = MIN2(free_words(m), pointer_delta(end, p));
        on_free(p, words);
        p += MAX2(words, (size_t)1);
      } else if (p + 1 < end && raw_klass(p) == 0) {
        p += 2;   // a mark word alone: never handed out, zeros follow
      } else {
        return p;
      }
    }
    return end;
  }

  static HeapWord* next_object(HeapWord* p, HeapWord* end) {
    return next_object(p, end, [](HeapWord*, size_t) {});
  }
};

#endif // SHARE_GC_PMEM_PMEMWALK_HPP
