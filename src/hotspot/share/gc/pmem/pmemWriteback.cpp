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
#include "gc/pmem/pmemOs.hpp"
#include "gc/pmem/pmemWriteback.hpp"
#include "gc/shared/gc_globals.hpp"
#include "jvm_io.h"
#include "logging/log.hpp"
#include "runtime/atomic.hpp"
#include "runtime/os.hpp"
#include "runtime/vm_version.hpp"
#include "runtime/orderAccess.hpp"
#include "utilities/align.hpp"
#include "utilities/debug.hpp"

#include <string.h>

typedef int  (*pmem_is_pmem_fn)(const void* addr, size_t len);
typedef void (*pmem_flush_fn)(const void* addr, size_t len);
typedef void (*pmem_drain_fn)(void);
typedef void* (*pmem_memset_nodrain_fn)(void* dest, int c, size_t len);

// by_fence: stores are durable once they leave the store buffer (the CPU
// caches are in the power-fail domain, or only a process crash is to be
// survived): nothing to write back, a fence orders them.
enum WritebackMethod { none, by_msync, by_libpmem, by_simulator, by_fence };

static WritebackMethod _method = none;
static pmem_flush_fn   _pmem_flush = NULL;
static pmem_memset_nodrain_fn _pmem_memset_nodrain = NULL;
static pmem_drain_fn   _pmem_drain = NULL;
static uint64_t        _random_state = 0;
static const char*     _domain = "none";        // PmemWriteback::domain()
static const char*     _description = "none";   // what survives what, for the log and jcmd

char*    PmemWriteback::_shadow = NULL;
char*    PmemWriteback::_base = NULL;
size_t   PmemWriteback::_size = 0;
volatile uint64_t PmemWriteback::_count = 0;

static void sfence() {
  __asm__ volatile("sfence" ::: "memory");   // also orders non-temporal stores (large memcpy)
}

// As PMDK's pmem_has_auto_flush: every persistent memory region says its
// persistence domain is the CPU cache (eADR, CXL Global Persistent Flush).
struct RegionCount {
  const char* dir;
  int regions;
  int cpu_cache;
};

static void count_region(const char* name, void* arg) {
  RegionCount* c = (RegionCount*)arg;
  char path[JVM_MAXPATHLEN];
  jio_snprintf(path, sizeof(path), "%s/%s/persistence_domain", c->dir, name);
  char buf[64];
  PmemOs::read_small(path, buf, sizeof(buf));
  c->regions++;
  c->cpu_cache += strncmp(buf, "cpu_cache", 9) == 0 ? 1 : 0;
}

bool PmemWriteback::caches_in_power_fail_domain(const char* sysfs_root) {
  char dir_path[JVM_MAXPATHLEN];
  jio_snprintf(dir_path, sizeof(dir_path), "%s/bus/nd/devices", sysfs_root);
  RegionCount c = { dir_path, 0, 0 };
  if (!PmemOs::each_entry(dir_path, "region", count_region, &c)) {
    return false;
  }
  return c.regions > 0 && c.cpu_cache == c.regions;
}

static void use(WritebackMethod m, const char* domain, const char* description) {
  _method = m;
  _domain = domain;
  _description = description;
}

void PmemWriteback::initialize(void* base, size_t size, void* shadow, bool dax, int fd) {
  _base = (char*)base;
  _size = size;
  if (shadow != NULL) {
    _shadow = (char*)shadow;
    use(by_simulator, "simulator", "the persistence-domain simulator: only written-back lines reach the file");
    _random_state = PmemSimulatorSeed != 0 ? PmemSimulatorSeed : (uint64_t)os::javaTimeNanos() | 1;
    log_info(gc, pmem)("Write-back: %s (evictions %lu per million stores, seed " UINT64_FORMAT ")",
                       method(), (unsigned long)PmemSimulatorEvictPPM, _random_state);
    return;
  }
  pmem_is_pmem_fn is_pmem = NULL;
  char ebuf[512];
  void* lib = os::dll_load("libpmem.so.1", ebuf, sizeof(ebuf));
  if (lib != NULL) {
    is_pmem = (pmem_is_pmem_fn)os::dll_lookup(lib, "pmem_is_pmem");
    _pmem_flush = (pmem_flush_fn)os::dll_lookup(lib, "pmem_flush");
    _pmem_drain = (pmem_drain_fn)os::dll_lookup(lib, "pmem_drain");
    _pmem_memset_nodrain = (pmem_memset_nodrain_fn)os::dll_lookup(lib, "pmem_memset_nodrain");
  }
  const bool libpmem = is_pmem != NULL && _pmem_flush != NULL && _pmem_drain != NULL;
  if (!libpmem) {
    log_info(gc, pmem)("libpmem.so.1 not found (%s): cache lines cannot be written back",
                       lib == NULL ? ebuf : "incomplete");
  }
  const bool tmpfs = PmemOs::on_memory_fs(fd);
  const char* forced = PmemPersistenceDomain;
  if (strcmp(forced, "cpu-cache") == 0) {
    use(by_fence, "cpu-cache", "the CPU caches, as -XX:PmemPersistenceDomain=cpu-cache says: fences only");
  } else if (strcmp(forced, "write-back") == 0 && libpmem) {
    use(by_libpmem, "write-back", "the memory controller, as -XX:PmemPersistenceDomain=write-back says: "
                                  "cache lines written back and fenced");
  } else if (strcmp(forced, "write-back") == 0 || strcmp(forced, "msync") == 0) {
    use(by_msync, "msync", strcmp(forced, "msync") == 0
        ? "the file, by msync, as -XX:PmemPersistenceDomain=msync says"
        : "the file, by msync: -XX:PmemPersistenceDomain=write-back needs libpmem.so.1");
  } else if (dax && caches_in_power_fail_domain(PmemSysfsRoot)) {
    use(by_fence, "cpu-cache", "persistent memory (DAX, MAP_SYNC) whose CPU caches are in the power-fail "
                               "domain (eADR): fences only; survives power loss");
  } else if (dax && libpmem) {
    use(by_libpmem, "memory-controller", "persistent memory (DAX, MAP_SYNC), the memory controller in the "
                                         "power-fail domain (ADR): cache lines written back and fenced; "
                                         "survives power loss");
  } else if (dax) {
    use(by_msync, "msync", "persistent memory (DAX) written back by msync: libpmem.so.1 is missing");
  } else if (libpmem && is_pmem(base, size) != 0) {
    use(by_libpmem, "emulated", tmpfs
        ? "emulated persistent memory (PMEM_IS_PMEM_FORCE=1 on a memory file system): cache lines written "
          "back and fenced as on real pmem; survives process crashes, not power loss"
        : "declared persistent memory (PMEM_IS_PMEM_FORCE=1): cache lines written back and fenced");
  } else if (tmpfs) {
    use(by_fence, "memory-file-system", "a memory file system (tmpfs): survives process crashes, not power "
                                        "loss or a kernel crash; nothing to write back, fences only");
  } else {
    use(by_msync, "msync", "an ordinary file: written back by msync; survives power loss");
  }
  log_info(gc, pmem)("Persistence domain: %s: %s", _domain, _description);
  log_info(gc, pmem)("Write-back: %s", method());
}

const char* PmemWriteback::method() {
  switch (_method) {
    case by_libpmem:   return "pmem_flush and pmem_drain (cache-line write-back and fence)";
    case by_simulator: return "persistence-domain simulator";
    case by_msync:     return "msync";
    case by_fence:     return "none needed (fences only)";
    default:           return "none";
  }
}

const char* PmemWriteback::domain()      { return _domain; }
const char* PmemWriteback::description() { return _description; }

bool PmemWriteback::by_instructions() {
  return _method == by_libpmem && PmemCrashAfterWritebacks == 0 && PmemFaultPoint == NULL &&
         VM_Version::supports_data_cache_line_flush();
}

bool PmemWriteback::fences_only() {
  return _method == by_fence && PmemCrashAfterWritebacks == 0 && PmemFaultPoint == NULL;
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
    case by_fence:
      break;
    default: {
      const uintptr_t page = os::vm_page_size();
      uintptr_t start = align_down((uintptr_t)addr, page);
      uintptr_t end = align_up((uintptr_t)addr + len, page);
      int rc = PmemOs::sync_mapping((void*)start, end - start);
      guarantee(rc == 0, "msync of the persistent heap failed: %s", os::strerror(rc));
    }
  }
}

void PmemWriteback::zero_nodrain(void* addr, size_t len) {
  if (_method == by_libpmem && _pmem_memset_nodrain != NULL) {
    if (len > 0) {
      counted();
      _pmem_memset_nodrain(addr, 0, len);
    }
    return;
  }
  ::memset(addr, 0, len);
  flush(addr, len);
}

void PmemWriteback::drain() {
  if (_method == by_libpmem) {
    _pmem_drain();
  } else if (_method == by_simulator) {
    OrderAccess::fence();
  } else if (_method == by_fence) {
    sfence();
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
