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
#include "gc/pmem/pmemWriteback.hpp"
#include "logging/log.hpp"
#include "runtime/os.hpp"
#include "utilities/align.hpp"
#include "utilities/debug.hpp"

#include <dlfcn.h>
#include <errno.h>
#include <sys/mman.h>

typedef int  (*pmem_is_pmem_fn)(const void* addr, size_t len);
typedef void (*pmem_persist_fn)(const void* addr, size_t len);

static pmem_persist_fn _pmem_persist = NULL;   // NULL: msync

void PmemWriteback::initialize(void* base, size_t size) {
  void* lib = ::dlopen("libpmem.so.1", RTLD_NOW | RTLD_LOCAL);
  if (lib == NULL) {
    log_info(gc, pmem)("libpmem.so.1 not found (%s); writing back with msync", ::dlerror());
    return;
  }
  pmem_is_pmem_fn is_pmem = (pmem_is_pmem_fn)::dlsym(lib, "pmem_is_pmem");
  pmem_persist_fn persist = (pmem_persist_fn)::dlsym(lib, "pmem_persist");
  if (is_pmem != NULL && persist != NULL && is_pmem(base, size) != 0) {
    _pmem_persist = persist;
  }
  log_info(gc, pmem)("Write-back: %s", method());
}

const char* PmemWriteback::method() {
  return _pmem_persist != NULL ? "pmem_persist (cache-line flush and fence)" : "msync";
}

void PmemWriteback::persist(const void* addr, size_t len) {
  if (len == 0) {
    return;
  }
  if (_pmem_persist != NULL) {
    _pmem_persist(addr, len);
    return;
  }
  const uintptr_t page = os::vm_page_size();
  uintptr_t start = align_down((uintptr_t)addr, page);
  uintptr_t end = align_up((uintptr_t)addr + len, page);
  int rc = ::msync((void*)start, end - start, MS_SYNC);
  guarantee(rc == 0, "msync of the persistent heap failed: %s", os::strerror(errno));
}
