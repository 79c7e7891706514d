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


#ifndef CPU_X86_GC_PMEM_PMEMBARRIERSETASSEMBLER_X86_HPP
#define CPU_X86_GC_PMEM_PMEMBARRIERSETASSEMBLER_X86_HPP

#include "asm/macroAssembler.hpp"
#include "gc/shared/cardTableBarrierSetAssembler.hpp"

#ifdef COMPILER1
class LIR_Assembler;
class OopMapSet;
class PmemBarrierStubC1;
class StubAssembler;
#endif

// The interpreter's persistent-store barrier. The fast path, taken by
// every store to a volatile object, is one unsigned range test of the
// destination against the persistent part; stores into it call
// PmemBarrier before (check, undo log) and after (write-back) the store.
class PmemBarrierSetAssembler : public CardTableBarrierSetAssembler {
  void save_state(MacroAssembler* masm);
  void restore_state(MacroAssembler* masm);

public:
  virtual void store_at(MacroAssembler* masm, DecoratorSet decorators, BasicType type,
                        Address dst, Register val, Register tmp1, Register tmp2);

#ifdef COMPILER1
  // C1's out-of-line barrier calls (see PmemBarrierSetC1).
  void gen_c1_stub(LIR_Assembler* ce, PmemBarrierStubC1* stub);
  OopMapSet* generate_c1_throw_stub(StubAssembler* sasm);
#endif
};

#endif // CPU_X86_GC_PMEM_PMEMBARRIERSETASSEMBLER_X86_HPP
