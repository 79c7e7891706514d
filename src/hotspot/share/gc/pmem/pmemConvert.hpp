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

#ifndef SHARE_GC_PMEM_PMEMCONVERT_HPP
#define SHARE_GC_PMEM_PMEMCONVERT_HPP

#include "memory/allStatic.hpp"
#include "utilities/exceptions.hpp"
#include "utilities/globalDefinitions.hpp"

class PmemHeapFile;

// A change of reference width: a file made with compressed oops opened by
// a JVM without them (-XX:-UseCompressedOops, -Xmx32g and more), or the
// reverse. Every reference-holding layout differs between the two (field
// offsets, object-array element size), so the file is converted as a whole
// into a new one, which is renamed over it once complete and synced: a crash
// leaves the old file or the new one, never a mix.
//
//  * prepare (while the heap is reserved, before any class is loaded): the
//    old file is mapped privately (nothing is ever written to it); a new
//    file with its uuid and geometry, sized for the converted objects, is
//    created as PATH.convert-PID and mapped as the heap in its place.
//  * run (first thing at attach): undoes the old file's unfinished
//    transactions in the private copy; resolves each type and records it
//    in the new type table in this run's layout (the same class version is
//    required: only offsets may differ); walks the old objects twice, to
//    give each its new offset (same order, sizes in the new width) and to
//    write it in the new layout (identity hash kept, stale lock state
//    dropped, references re-encoded for this run's placement, references to
//    objects of an ended run's volatile heap cleared); converts the roots
//    and names; records the state; writes it all back, syncs, renames.
// The normal attach then opens the converted file as if this width had
// made it. Files with an unfinished relocation, migration or compaction, or
// with classes of custom class loaders, are refused with what to do.
class PmemConvert : AllStatic {
public:
  // old: the file at -XX:PmemFile, opened and checked but for its width.
  // Returns the new file to map instead (old is kept until run), or NULL
  // with a one-line message in err (old is closed, nothing written).
  static PmemHeapFile* prepare(PmemHeapFile* old, char* err, size_t err_len);
  // Whether attach has a conversion to run.
  static bool pending();
  // Converts; false with a one-line message in err, the old file as it was.
  static bool run(char* err, size_t err_len, TRAPS);
  // A refused start: removes the unfinished new file.
  static void abandon();
};

#endif // SHARE_GC_PMEM_PMEMCONVERT_HPP
