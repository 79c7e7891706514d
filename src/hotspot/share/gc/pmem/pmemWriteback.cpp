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
#include "gc/pmem/pmemFault.hpp"
#include "gc/pmem/pmemFormat.hpp"
#include "gc/pmem/pmemWriteback.hpp"
#include "gc/shared/gc_globals.hpp"
#include "logging/log.hpp"
#include "runtime/atomic.hpp"
#include "runtime/os.hpp"
#include "runtime/vm_version.hpp"
#include "runtime/orderAccess.hpp"
#include "utilities/align.hpp"
#include "utilities/debug.hpp"

#include <dlfcn.h>
#include <errno.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

typedef int  (*pmem_is_pmem_fn)(const void* addr, size_t len);
typedef void (*pmem_flush_fn)(const void* addr, size_t len);
typedef void (*pmem_drain_fn)(void);

enum WritebackMethod { none, by_msync, by_libpmem, by_simulator };

static WritebackMethod _method = none;
static pmem_flush_fn   _pmem_flush = NULL;
static pmem_drain_fn   _pmem_drain = NULL;
static uint64_t        _random_state = 0;

char*    PmemWriteback::_shadow = NULL;
char*    PmemWriteback::_base = NULL;
size_t   PmemWriteback::_size = 0;
volatile uint64_t PmemWriteback::_count = 0;

void PmemWriteback::initialize(void* base, size_t size, void* shadow) {
  _base = (char*)base;
  _size = size;
  if (shadow != NULL) {
    _shadow = (char*)shadow;
    _method = by_simulator;
    _random_state = PmemSimulatorSeed != 0 ? PmemSimulatorSeed : (uint64_t)os::javaTimeNanos() | 1;
    log_info(gc, pmem)("Write-back: %s (evictions %lu per million stores, seed " UINT64_FORMAT ")",
                       method(), (unsigned long)PmemSimulatorEvictPPM, _random_state);
    return;
  }
  _method = by_msync;
  void* lib = ::dlopen("libpmem.so.1", RTLD_NOW | RTLD_LOCAL);
  if (lib == NULL) {
    log_info(gc, pmem)("libpmem.so.1 not found (%s); writing back with msync", ::dlerror());
    return;
  }
  pmem_is_pmem_fn is_pmem = (pmem_is_pmem_fn)::dlsym(lib, "pmem_is_pmem");
  _pmem_flush = (pmem_flush_fn)::dlsym(lib, "pmem_flush");
  _pmem_drain = (pmem_drain_fn)::dlsym(lib, "pmem_drain");
  if (is_pmem != NULL && _pmem_flush != NULL && _pmem_drain != NULL && is_pmem(base, size) != 0) {
    _method = by_libpmem;
  }
  log_info(gc, pmem)("Write-back: %s", method());
}

const char* PmemWriteback::method() {
  switch (_method) {
    case by_libpmem:   return "pmem_flush and pmem_drain (cache-line write-back and fence)";
    case by_simulator: return "persistence-domain simulator";
    case by_msync:     return "msync";
    default:           return "none";
  }
}

bool PmemWriteback::by_instructions() {
  return _method == by_libpmem && PmemCrashAfterWritebacks == 0 && PmemFaultPoint == NULL &&
         VM_Version::supports_data_cache_line_flush();
}

void PmemWriteback::counted() {
  if (PmemCrashAfterWritebacks != 0 &&
      Atomic::add(&_count, (uint64_t)1) == (uint64_t)PmemCrashAfterWritebacks) {
    PmemFault::crash("write-back", PmemCrashAfterWritebacks);
  }
}

// Simulator: the lines covering [start, end) of the private mapping reach
// the file. Hardware writes a line back whole, with what it holds when it
// goes: two threads writing the same line back must not interleave, or one
// could read a word before the other's newer store and write it after that
// store's copy (an abort's restore lost to the other thread's commit, which
// shares the word). So each line is copied under a lock of its stripe.
static volatile int _line_locks[1024];

void PmemWriteback::copy_lines(uintptr_t start, uintptr_t end) {
  start = align_down(start, PmemFormat::cache_line);
  end = align_up(end, PmemFormat::cache_line);
  for (uintptr_t line = start; line < end; line += PmemFormat::cache_line) {
    volatile int* lock = &_line_locks[(line / PmemFormat::cache_line) % ARRAY_SIZE(_line_locks)];
    while (Atomic::cmpxchg(lock, 0, 1) != 0) {
      SpinPause();
    }
    for (uintptr_t p = line; p < line + PmemFormat::cache_line; p += sizeof(uint64_t)) {
      const size_t off = p - (uintptr_t)_base;
      *(volatile uint64_t*)(_shadow + off) = *(volatile uint64_t*)p;
    }
    Atomic::release_store(lock, 0);
  }
}

void PmemWriteback::flush(const void* addr, size_t len) {
  if (len == 0 || _method == none) {
    return;
  }
  counted();
  switch (_method) {
    case by_libpmem:
      _pmem_flush(addr, len);
      break;
    case by_simulator:
      copy_lines((uintptr_t)addr, (uintptr_t)addr + len);
      break;
    default: {
      const uintptr_t page = os::vm_page_size();
      uintptr_t start = align_down((uintptr_t)addr, page);
      uintptr_t end = align_up((uintptr_t)addr + len, page);
      int rc = ::msync((void*)start, end - start, MS_SYNC);
      guarantee(rc == 0, "msync of the persistent heap failed: %s", os::strerror(errno));
    }
  }
}

void PmemWriteback::drain() {
  if (_method == by_libpmem) {
    _pmem_drain();
  } else if (_method == by_simulator) {
    OrderAccess::fence();
  }
}

void PmemWriteback::maybe_evict(const void* addr) {
  if (_method != by_simulator || PmemSimulatorEvictPPM == 0) {
    return;
  }
  // xorshift64: racy updates between threads only make it more random.
  uint64_t x = _random_state;
  x ^= x << 13; x ^= x >> 7; x ^= x << 17;
  _random_state = x;
  if (x % 1000000 < PmemSimulatorEvictPPM) {
    copy_lines((uintptr_t)addr, (uintptr_t)addr + 1);
  }
}

void PmemWriteback::store_persist(volatile uint64_t* field, uint64_t v) {
  Atomic::release_store(field, v);
  persist((const void*)field, sizeof(uint64_t));
}
