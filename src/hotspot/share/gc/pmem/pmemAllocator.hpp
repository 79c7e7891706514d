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

#ifndef SHARE_GC_PMEM_PMEMALLOCATOR_HPP
#define SHARE_GC_PMEM_PMEMALLOCATOR_HPP

#include "memory/allStatic.hpp"
#include "utilities/globalDefinitions.hpp"

struct PmemFileState;

// Allocation in the persistent part: each thread bump-allocates in its own
// buffer (PmemAllocationBufferSize), refilled from a shared top whose
// high-water mark is persisted before any of the memory is handed out.
// A crash therefore leaves at most unreachable objects below the persisted
// top, never an object beyond it. Free memory is zero, and a zero word is
// never an object header, so the objects area stays parsable.
class PmemAllocator : AllStatic {
  static HeapWord* volatile _top;   // next free word in the objects area

  static HeapWord* claim(size_t words);
  static void      persist_top(HeapWord* top);

public:
  // Resumes from the top recorded in the file.
  static void initialize();

  // Returns size words of zeroed persistent memory, or NULL when the
  // persistent heap is full.
  static HeapWord* allocate(size_t words);

  static size_t used_bytes();
  static HeapWord* top() { return _top; }
};

#endif // SHARE_GC_PMEM_PMEMALLOCATOR_HPP
