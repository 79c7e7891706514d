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
#include "runtime/os.hpp"
#include "utilities/align.hpp"
#include "utilities/debug.hpp"

#include <errno.h>
#include <sys/mman.h>

void PmemWriteback::persist(const void* addr, size_t len) {
  if (len == 0) {
    return;
  }
  // msync works on every file system; cache-line flushes for real (or
  // emulated) pmem come with libpmem.
  const uintptr_t page = os::vm_page_size();
  uintptr_t start = align_down((uintptr_t)addr, page);
  uintptr_t end = align_up((uintptr_t)addr + len, page);
  int rc = ::msync((void*)start, end - start, MS_SYNC);
  guarantee(rc == 0, "msync of the persistent heap failed: %s", os::strerror(errno));
}
