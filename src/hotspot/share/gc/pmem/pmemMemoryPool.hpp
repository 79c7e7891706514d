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

#ifndef SHARE_GC_PMEM_PMEMMEMORYPOOL_HPP
#define SHARE_GC_PMEM_PMEMMEMORYPOOL_HPP

#include "services/memoryPool.hpp"
#include "utilities/growableArray.hpp"

class GCMemoryManager;

// The persistent part as a heap memory pool, "Persistent Heap", of the
// full collections' manager (MarkSweepCompact): what MemoryPoolMXBean,
// JConsole, VisualVM and jstat-style tools show for it. Committed is the
// objects area as it is now, max what -XX:PmemMaxSize lets it grow to,
// used what PmemAllocator hands out (free chunks excluded), and the usage
// after each collection is recorded as for the other pools. Used counts 0
// until the file is attached. Only with -XX:+UsePersistentHeap.
class PmemMemoryPool : public CollectedMemoryPool {
  static PmemMemoryPool* _pool;
public:
  PmemMemoryPool();
  size_t used_in_bytes();
  MemoryUsage get_memory_usage();

  // SerialHeap::initialize_serviceability: makes the pool, managed by manager.
  static void initialize(GCMemoryManager* manager);
  // SerialHeap::memory_pools: appends it.
  static void add_to(GrowableArray<MemoryPool*>* pools);
};

#endif // SHARE_GC_PMEM_PMEMMEMORYPOOL_HPP
