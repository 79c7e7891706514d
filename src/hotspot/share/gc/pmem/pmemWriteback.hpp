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

#include "gc/pmem/pmemFormat.hpp"
#include "memory/allStatic.hpp"
#include "utilities/globalDefinitions.hpp"

// The one path by which anything in the persistent heap is made durable.
// Every write-back goes through here: it is where the persistence-domain
// simulator and crash-after-N-write-backs hook in.
//
// The method follows the persistence domain, detected when the heap is
// mapped (-XX:PmemPersistenceDomain=auto) or forced:
//  * persistent memory mapped with MAP_SYNC (DAX) whose regions all say
//    their persistence_domain is cpu_cache (eADR): fences only;
//  * other DAX (ADR): libpmem's pmem_flush (cache-line write-back) and
//    pmem_drain (fence), never msync;
//  * any file libpmem calls pmem (PMEM_IS_PMEM_FORCE=1, how benchmarks
//    emulate pmem on /dev/shm): the same;
//  * a memory file system (tmpfs): survives process crashes only, which
//    need nothing written back: fences only;
//  * an ordinary file: msync.
// libpmem is loaded when the heap is mapped, not linked: a JVM without the
// flag, or a machine without libpmem1, never needs it.
//
// Under -XX:+PmemSimulator the heap is mapped privately and "flushing" a
// line copies it into a second, shared mapping of the file: the file then
// holds exactly what the persistence domain of real hardware could hold
// after a power cut (plus random early evictions, PmemSimulatorEvictPPM).
// Before initialize() (GoogleTests on plain buffers) write-back does nothing.
class PmemWriteback : AllStatic {
  static char*    _shadow;        // simulator: the shared mapping of the file
  static char*    _base;          // the heap's mapping
  static size_t   _size;
  static volatile uint64_t _count;  // write-backs so far, for PmemCrashAfterWritebacks

  static void counted();
  static void copy_lines(uintptr_t start, uintptr_t end);

public:
  // Decides the method for the mapping [base, base + size) of the file fd.
  // shadow is the simulator's shared mapping of the same file, or NULL;
  // dax: the mapping was made with MAP_SYNC.
  static void initialize(void* base, size_t size, void* shadow, bool dax, int fd);

  // Whether every persistent memory region under sysfs_root (normally
  // /sys) has the CPU caches in its persistence domain.
  static bool caches_in_power_fail_domain(const char* sysfs_root);
  // "cpu-cache", "memory-controller", "emulated", "memory-file-system",
  // "msync", "simulator" (or "write-back" when forced); and what it means.
  static const char* domain();
  static const char* description();

  // Starts writing [addr, addr + len) back; drain() waits for all of it.
  static void flush(const void* addr, size_t len);
  static void drain();
  // Zeros [addr, addr + len) and starts writing it back, as memset then
  // flush would. Where libpmem writes back, its pmem_memset_nodrain uses
  // non-temporal stores past a few lines: 5.5 us per 256 KB here, against
  // 7 us for memset alone and 15 us with the write-back.
  static void zero_nodrain(void* addr, size_t len);

  // flush + drain: [addr, addr + len) is durable when this returns.
  static void persist(const void* addr, size_t len) {
    flush(addr, len);
    drain();
  }

  // One aligned 8-byte store, durable when this returns: how every field
  // of PmemFileState and the roots area changes.
  static void store_persist(volatile uint64_t* field, uint64_t v);

  // Simulator: with the chance PmemSimulatorEvictPPM, lets the cache line
  // at addr reach the file now, as a cache eviction might.
  static void maybe_evict(const void* addr);

  static bool simulating() { return _shadow != NULL; }

  // May compiled code write back with cache-line instructions and a fence
  // of its own? Only where libpmem does the same, the CPU can, and no
  // write-back is being counted or watched (simulator,
  // PmemCrashAfterWritebacks, PmemFaultPoint). Where not, compiled code
  // calls a leaf that writes back through here.
  static bool by_instructions();
  // Nothing to write back (fences only: the caches are in the persistence
  // domain, or only a process crash is to be survived) and no write-back
  // counted or watched: compiled code emits nothing for a write-back,
  // since x86 makes stores visible, and so durable, in program order.
  static bool fences_only();

  // "pmem_persist", "msync", "simulator", for logs and tests.
  static const char* method();
};

// For passes that store to scattered words in address order (attach's
// rewrites): writes back each cache line once, when the pass leaves it.
class PmemLineFlusher {
  uintptr_t _line = 0;   // a changed line not written back yet, or 0
  size_t    _lines = 0;
public:
  // p (and the bytes after it in its line) changed.
  void changed(const void* p) {
    const uintptr_t line = (uintptr_t)p & ~(uintptr_t)(PmemFormat::cache_line - 1);
    if (line != _line) {
      flush();
      _line = line;
    }
  }
  // Starts writing back the last changed line.
  void flush() {
    if (_line != 0) {
      PmemWriteback::flush((void*)_line, PmemFormat::cache_line);
      _line = 0;
      _lines++;
    }
  }
  size_t lines() const { return _lines; }
};

#endif // SHARE_GC_PMEM_PMEMWRITEBACK_HPP
