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

#ifndef SHARE_GC_PMEM_PMEMWRITEBACK_HPP
#define SHARE_GC_PMEM_PMEMWRITEBACK_HPP

#include "memory/allStatic.hpp"
#include "utilities/globalDefinitions.hpp"

// The one path by which anything in the persistent heap is made durable.
// Every write-back goes through here: it is where the persistence-domain
// simulator and crash-after-N-write-backs hook in.
//
// On persistent memory (DAX, or any file when PMEM_IS_PMEM_FORCE=1, which
// is how tests emulate pmem on /dev/shm) it flushes cache lines and fences
// with libpmem's pmem_persist; elsewhere it uses msync. libpmem is loaded
// when the heap is mapped, not linked: a JVM without the flag, or a machine
// without libpmem1, never needs it.
class PmemWriteback : AllStatic {
public:
  // Decides the method for the mapping [base, base + size).
  static void initialize(void* base, size_t size);

  // Writes [addr, addr + len) back to the persistence domain and waits for it.
  static void persist(const void* addr, size_t len);

  // "pmem_persist" or "msync", for logs and tests.
  static const char* method();
};

#endif // SHARE_GC_PMEM_PMEMWRITEBACK_HPP
