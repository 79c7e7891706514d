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
#include "gc/pmem/pmemAllocator.hpp"
#include "gc/pmem/pmemHeap.hpp"
#include "gc/pmem/pmemMemoryPool.hpp"
#include "gc/shared/gc_globals.hpp"
#include "runtime/globals.hpp"
#include "services/memoryManager.hpp"

PmemMemoryPool* PmemMemoryPool::_pool = NULL;

PmemMemoryPool::PmemMemoryPool() :
  CollectedMemoryPool("Persistent Heap", PmemHeap::size_in_bytes(), PmemHeap::max_size_in_bytes(),
                      true /* support_usage_threshold */) {}

size_t PmemMemoryPool::used_in_bytes() {
  // Before attach (or while it waits for a class loader) nothing is counted.
  return PmemAllocator::top() == NULL || PmemHeap::attach_pending() ? 0 : PmemAllocator::used_bytes();
}

MemoryUsage PmemMemoryPool::get_memory_usage() {
  const size_t committed = PmemHeap::size_in_bytes();
  return MemoryUsage(initial_size(), MIN2(used_in_bytes(), committed), committed, max_size());
}

void PmemMemoryPool::initialize(GCMemoryManager* manager) {
  if (UsePersistentHeap) {
    _pool = new PmemMemoryPool();
    manager->add_pool(_pool);
  }
}

void PmemMemoryPool::add_to(GrowableArray<MemoryPool*>* pools) {
  if (_pool != NULL) {
    pools->append(_pool);
  }
}
