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

// How the objects area is parsed, without help from the allocator: free
// memory is zero, and zero is never a mark word; an allocation cut short by
// a crash leaves a mark word without a klass (never the reverse: a header
// never crosses a cache line, and the mark word is stored first), followed
// by zeros. Everything else is an object whose header gives its size.
class PmemWalk : AllStatic {
public:
  static uint64_t mark_bits(HeapWord* p) { return *(volatile uint64_t*)p; }

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

  // The first object at or after p (below end), passing over free words
  // and headers of allocations that a crash cut short; end if none.
  static HeapWord* next_object(HeapWord* p, HeapWord* end) {
    while (p < end) {
      if (mark_bits(p) == 0) {
        p++;
      } else if (p + 1 < end && raw_klass(p) == 0) {
        p += 2;   // a mark word alone: never handed out, zeros follow
      } else {
        return p;
      }
    }
    return end;
  }
};

#endif // SHARE_GC_PMEM_PMEMWALK_HPP
