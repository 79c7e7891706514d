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

#ifndef SHARE_GC_PMEM_PMEMDCMD_HPP
#define SHARE_GC_PMEM_PMEMDCMD_HPP

#include "memory/allStatic.hpp"

// jcmd's commands for the persistent heap, registered only with
// -XX:+UsePersistentHeap (without it jcmd lists what stock HotSpot lists):
//   PmemHeap.info     the file, its capacity, use, free space, placement,
//                     types, names and collections
//   PmemHeap.verify   -XX:+VerifyPersistentHeap's walk, at a safepoint
//   PmemHeap.compact  Pmem.compact(): a collection that compacts
class PmemDCmds : AllStatic {
public:
  static void register_dcmds();
};

#endif // SHARE_GC_PMEM_PMEMDCMD_HPP
