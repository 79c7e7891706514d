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

#ifndef SHARE_GC_PMEM_PMEMPROGRESS_HPP
#define SHARE_GC_PMEM_PMEMPROGRESS_HPP

#include "logging/log.hpp"
#include "runtime/os.hpp"
#include "utilities/globalDefinitions.hpp"

// Progress of a long pass over the persistent objects (an attach walk, a
// relocation, a migration), logged at -Xlog:gc+pmem about once a second:
// "Relocating FILE: 512M of 4096M (12%)". Quiet for passes under a second.
class PmemProgress {
  const char* const _what;
  const size_t _total;
  jlong _next;
public:
  PmemProgress(const char* what, size_t total_bytes) :
    _what(what), _total(total_bytes), _next(os::javaTimeNanos() + NANOSECS_PER_SEC) {}
  void at(size_t done_bytes) {
    const jlong now = os::javaTimeNanos();
    if (now >= _next) {
      _next = now + NANOSECS_PER_SEC;
      log_info(gc, pmem)("%s: " SIZE_FORMAT "M of " SIZE_FORMAT "M (" SIZE_FORMAT "%%)", _what, done_bytes / M,
                         _total / M, _total == 0 ? (size_t)100 : MIN2((size_t)100, done_bytes * 100 / _total));
    }
  }
};

#endif // SHARE_GC_PMEM_PMEMPROGRESS_HPP
