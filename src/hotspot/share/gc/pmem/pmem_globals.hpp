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

#ifndef SHARE_GC_PMEM_PMEM_GLOBALS_HPP
#define SHARE_GC_PMEM_PMEM_GLOBALS_HPP

#include "runtime/globals_shared.hpp"

//
// All flags of the persistent heap, declared in one go: this header is
// pulled into gc_globals.hpp, so changing it recompiles all of libjvm.
// Add a flag here only together with a batch of others.
//

#define GC_PMEM_FLAGS(develop,                                              \
                      develop_pd,                                           \
                      product,                                              \
                      product_pd,                                           \
                      notproduct,                                           \
                      range,                                                \
                      constraint)                                           \
                                                                            \
  product(bool, UsePersistentHeap, false,                                   \
          "Give the Java heap a persistent part backed by PmemFile "        \
          "(selects the Serial collector)")                                 \
                                                                            \
  product(ccstr, PmemFile, NULL,                                            \
          "Persistent heap file, created if absent; %p expands to the "     \
          "process id")                                                     \
                                                                            \
  product(size_t, PmemSize, 1*G,                                            \
          "Size of a newly created persistent heap file; an existing "      \
          "file keeps its size")                                            \
          range(0, max_uintx)                                               \
                                                                            \
  product(size_t, PmemMaxSize, 0,                                           \
          "Size up to which a full persistent heap file grows, online and " \
          "crash-safely (0: the file keeps its size); the address range "   \
          "for it is reserved up front")                                    \
          range(0, max_uintx)                                               \
                                                                            \
  product(bool, VerifyPersistentHeap, false,                                \
          "Walk the persistent heap at attach and around GCs, checking "    \
          "headers, types and that no reference leaves it")                 \
                                                                            \
  product(size_t, PmemAllocationBufferSize, 64*K,                           \
          "Size of the thread-local persistent allocation buffers that "    \
          "pnew and pmake carve from")                                      \
          range(4*K, 64*M)                                                  \
                                                                            \
  product(size_t, PmemLogSize, 256*K,                                       \
          "Size of one per-thread undo log area in a new file")             \
          range(16*K, 1*G)                                                  \
                                                                            \
  product(uintx, PmemLogSlots, 32,                                          \
          "Number of undo log areas in a new file: the most transactions "  \
          "that can be open at once")                                       \
          range(1, 4096)                                                    \
                                                                            \
  product(uintx, PmemGCTriggerPercent, 80,                                  \
          "Collect the persistent part in the next full GC once this "      \
          "percentage of it is in use")                                     \
          range(0, 100)                                                     \
                                                                            \
  product(uintx, PmemCompactPercent, 50,                                    \
          "A collection of the persistent part also compacts it when at "  \
          "least this percentage of its free space lies outside its "     \
          "largest free chunk (100: only on request, Pmem.compact())")     \
          range(0, 100)                                                     \
                                                                            \
  product(ccstr, PmemPersistenceDomain, "auto",                            \
          "Where stores to the persistent heap become durable: auto "      \
          "(detected at start), cpu-cache (the CPU caches are in the "     \
          "power-fail domain: fences only), write-back (cache lines "      \
          "written back and fenced), msync (an ordinary file)")            \
                                                                            \
  product(ccstr, PmemSysfsRoot, "/sys", DIAGNOSTIC,                         \
          "Where auto detection reads persistent memory regions' "         \
          "persistence_domain (tests give it a fake tree)")                \
                                                                            \
  product(uintx, PmemHeapAddress, 0,                                        \
          "Address at which to map the persistent part; 0 keeps the "       \
          "address recorded in the file, or picks one for a new file")      \
                                                                            \
  product(ccstr, PmemFaultPoint, NULL, DIAGNOSTIC,                          \
          "Name of a fault point at which the process ends abruptly, as "   \
          "on power loss (no exit hooks); see -XX:PmemFaultPoint=help")     \
                                                                            \
  product(uintx, PmemFaultCount, 1, DIAGNOSTIC,                             \
          "End the process at the Nth time PmemFaultPoint is reached")      \
          range(1, max_uintx)                                               \
                                                                            \
  product(bool, PmemSimulator, false, DIAGNOSTIC,                           \
          "Persistence-domain simulator: map the heap privately, so that "  \
          "the file receives only cache lines that are written back")      \
                                                                            \
  product(uintx, PmemSimulatorEvictPPM, 0, DIAGNOSTIC,                      \
          "Simulator: chance per million stores that a random dirty line " \
          "reaches the file early, as a cache eviction would")              \
          range(0, 1000000)                                                 \
                                                                            \
  product(uintx, PmemSimulatorSeed, 0, DIAGNOSTIC,                          \
          "Simulator: random seed for evictions; 0 picks one and logs it")  \
                                                                            \
  product(uintx, PmemCrashAfterWritebacks, 0, DIAGNOSTIC,                   \
          "End the process abruptly after this many write-backs to the "    \
          "persistent heap (0: never); used to crash at random moments")    \
                                                                            \
  product(bool, PmemForceRelocation, false, DIAGNOSTIC,                     \
          "At attach, treat the heap as moved and relocate every "          \
          "reference (tests the relocation path)")                          \
                                                                            \
  product(bool, PmemAlwaysCollect, false, DIAGNOSTIC,                       \
          "Collect the persistent part in every full GC")                   \
                                                                            \
  product(bool, PmemIncrementalGC, true,                                    \
          "Collect only the persistent objects allocated since the last "   \
          "collection, with the cards of older ones as remembered set, "    \
          "unless the policy calls for a full collection")                  \
                                                                            \
  product(uintx, PmemFullGCOldGrowthPercent, 50,                            \
          "Make the next collection of the persistent part full once "      \
          "what incremental ones kept grew by this percentage of what "     \
          "the last full one found live")                                   \
          range(1, 10000)

// end of GC_PMEM_FLAGS

#endif // SHARE_GC_PMEM_PMEM_GLOBALS_HPP
