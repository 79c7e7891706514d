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

#ifndef SHARE_GC_PMEM_PMEMARGUMENTS_HPP
#define SHARE_GC_PMEM_PMEMARGUMENTS_HPP

#include "memory/allStatic.hpp"
#include "utilities/globalDefinitions.hpp"

// Command-line checking for -XX:+UsePersistentHeap. The persistent heap is
// a part of the Serial heap, so the flag selects Serial and refuses any
// other collector that was asked for explicitly.
class PmemArguments : AllStatic {
public:
  // Called by GCConfig::select_gc() before a collector is chosen. Exits the
  // VM with a one-line message on a bad combination.
  static void select_gc();

  // Expands %p in a PmemFile pattern to pid and %% to %, as -Xlog file
  // names do. Returns false if the result does not fit in buflen bytes.
  static bool expand_file_name(const char* pattern, int pid, char* buf, size_t buflen);
};

#endif // SHARE_GC_PMEM_PMEMARGUMENTS_HPP
