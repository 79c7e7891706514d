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
#include "asm/macroAssembler.inline.hpp"
#include "gc/pmem/pmemLocking.hpp"
#include "gc/shared/gc_globals.hpp"

#define __ masm->

// The persistent part is the top of the heap reservation: an object at or
// above bottom is persistent. Comparing with bottom - 1 makes the taken
// branch an unsigned "above", which leaves ZF clear.
void PmemLocking::divert_persistent(MacroAssembler* masm, Register obj, Register tmp, Label& slow) {
  if (!UsePersistentHeap) {
    return;
  }
  assert(PmemHeap::bottom() != NULL, "lock code generated before the heap is mapped");
  __ mov64(tmp, (int64_t)(PmemHeap::bottom()) - 1);
  __ cmpptr(obj, tmp);
  __ jcc(Assembler::above, slow);
}

#undef __
