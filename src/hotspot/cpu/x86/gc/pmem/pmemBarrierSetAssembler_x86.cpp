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
#include "gc/pmem/pmemBarrier.hpp"
#include "gc/pmem/pmemBarrierSetAssembler_x86.hpp"
#include "gc/pmem/pmemHeap.hpp"
#include "gc/shared/gc_globals.hpp"
#include "runtime/frame.inline.hpp"
#ifdef COMPILER1
#include "c1/c1_LIRAssembler.hpp"
#include "c1/c1_MacroAssembler.hpp"
#include "gc/pmem/c1/pmemBarrierSetC1.hpp"
#endif

#define __ masm->

// Every register, and xmm0 (float and double values live there), survive
// the runtime calls of the slow path.
void PmemBarrierSetAssembler::save_state(MacroAssembler* masm) {
  __ pusha();
  __ subptr(rsp, 2 * wordSize);
  __ movdbl(Address(rsp, 0), xmm0);
}

void PmemBarrierSetAssembler::restore_state(MacroAssembler* masm) {
  __ movdbl(xmm0, Address(rsp, 0));
  __ addptr(rsp, 2 * wordSize);
  __ popa();
}

// Where save_state keeps rscratch1 (popa's layout, above xmm0's slot).
static Address saved_rscratch1() {
  return Address(rsp, (2 + 5) * wordSize);
}

void PmemBarrierSetAssembler::store_at(MacroAssembler* masm, DecoratorSet decorators, BasicType type,
                                       Address dst, Register val, Register tmp1, Register tmp2) {
  if (!UsePersistentHeap || (decorators & IN_HEAP) == 0) {
    CardTableBarrierSetAssembler::store_at(masm, decorators, type, dst, val, tmp1, tmp2);
    return;
  }
  const Register addr = rscratch1;
  const Register tmp = rscratch2;
  assert(!dst.uses(addr) && !dst.uses(tmp) && val != addr && val != tmp, "registers in use");
  assert(dst.base() != noreg, "stores are relative to their object");
  const bool is_ref = is_reference_type(type);
  const int len = is_ref ? heapOopSize : type2aelembytes(type);
  Label volatile_dst, refused, done;

  // Fast path: (dst - bottom) >= size, unsigned, means a volatile destination.
  __ lea(addr, dst);
  __ mov64(tmp, (int64_t)PmemHeap::bottom());
  __ subptr(addr, tmp);
  __ mov64(tmp, (int64_t)PmemHeap::max_size_in_bytes());   // it may grow
  __ cmpptr(addr, tmp);
  __ jcc(Assembler::aboveEqual, volatile_dst);

  // Persistent destination. Before the store: check, and log in a txn, in
  // a leaf call (the one C1 uses): no safepoint may fall here. The store
  // template has popped its operands into registers, and the registers
  // saved below now fill those expression stack slots, which the frame's
  // oop map still describes as the operands: a GC walking this frame would
  // read a saved register as a reference.
  save_state(masm);
  const Register v = is_ref && val != noreg ? val : noreg;
  __ lea(addr, dst);
  if (is_ref) {
    __ movptr(tmp, dst.base());
  } else {
    __ xorptr(tmp, tmp);
  }
  if (v != noreg) {
    __ movptr(c_rarg2, v);   // first: v may be any argument register
  } else {
    __ xorptr(c_rarg2, c_rarg2);
  }
  __ movptr(c_rarg0, tmp);
  __ movptr(c_rarg1, addr);
  __ movl(c_rarg3, len);
  __ MacroAssembler::call_VM_leaf_base(CAST_FROM_FN_PTR(address, PmemBarrier::c1_before_store), 4);
  __ movptr(saved_rscratch1(), rax);   // the result outlives the restore in addr, a scratch register
  restore_state(masm);
  __ testl(addr, addr);
  __ jcc(Assembler::notZero, refused);

  // The store (the card table's code may change the address registers, so
  // the address waits on the stack), then write-back outside a txn and the
  // store recorded in the method's profile. Only the template interpreter
  // calls this (stubs store raw), so rbp is an interpreter frame.
  __ lea(addr, dst);
  __ push(addr);
  CardTableBarrierSetAssembler::store_at(masm, decorators, type, dst, val, tmp1, tmp2);
  __ pop(addr);
  save_state(masm);
  __ movl(tmp, len);
  __ movptr(c_rarg2, Address(rbp, frame::interpreter_frame_method_offset * wordSize));
  __ call_VM_leaf(CAST_FROM_FN_PTR(address, PmemBarrier::interpreter_after_store), addr, tmp, c_rarg2);
  restore_state(masm);
  __ jmp(done);

  // Refused (a volatile reference, or a full log): throw, with every
  // register as the template left it and nothing extra on the stack.
  __ bind(refused);
  __ lea(addr, dst);
  if (is_ref) {
    __ movptr(tmp, dst.base());
  } else {
    __ xorptr(tmp, tmp);
  }
  // (A null or primitive store is refused only for a full log; what goes
  // in val's place then is never looked at.)
  __ call_VM(noreg, CAST_FROM_FN_PTR(address, PmemBarrier::interpreter_refuse), tmp, addr,
             v != noreg ? v : tmp);
  __ should_not_reach_here();

  __ bind(volatile_dst);
  CardTableBarrierSetAssembler::store_at(masm, decorators, type, dst, val, tmp1, tmp2);
  __ bind(done);
}

#undef __

#ifdef COMPILER1

#define __ ce->masm()->

// The register allocator treats this stub as a call: no value lives in a
// register here, so the leaf calls need no saving and a throw unwinds like
// an exception from a callee. The operands come in the C argument
// registers: holder, address, value (see PmemBarrierSetC1::barrier).
void PmemBarrierSetAssembler::gen_c1_stub(LIR_Assembler* ce, PmemBarrierStubC1* stub) {
  __ bind(*stub->entry());
  assert(stub->holder()->as_register() == c_rarg0 && stub->addr()->as_pointer_register() == c_rarg1 &&
         (!stub->value()->is_valid() || stub->value()->as_register() == c_rarg2), "operands in argument registers");
  if (!stub->before()) {
    __ mov(c_rarg0, c_rarg1);
    __ movl(c_rarg1, stub->len());
    __ call_VM_leaf(CAST_FROM_FN_PTR(address, PmemBarrier::after_store), 2);
    __ jmp(*stub->continuation());
    return;
  }
  if (!stub->value()->is_valid()) {
    __ xorptr(c_rarg2, c_rarg2);   // a primitive store: nothing to check
  }
  // The throw stub finds them in the reserved argument area.
  ce->store_parameter(c_rarg0, 0);
  ce->store_parameter(c_rarg1, 1);
  ce->store_parameter(c_rarg2, 2);
  __ movl(c_rarg3, stub->len());
  __ call_VM_leaf(CAST_FROM_FN_PTR(address, PmemBarrier::c1_before_store), 4);
  __ testl(rax, rax);
  if (stub->profile() != NULL) {
    Label refused;
    __ jcc(Assembler::notZero, refused);
    __ mov_metadata(c_rarg0, (Metadata*)stub->profile());
    __ call_VM_leaf(CAST_FROM_FN_PTR(address, PmemBarrier::c1_profile_persistent_store), 1);
    __ jmp(*stub->continuation());
    __ bind(refused);
  } else {
    __ jcc(Assembler::zero, *stub->continuation());
  }
  ce->store_parameter(rax, 3);
  PmemBarrierSetC1* bs = (PmemBarrierSetC1*)BarrierSet::barrier_set()->barrier_set_c1();
  __ call(RuntimeAddress(bs->throw_blob()->code_begin()));
  ce->add_call_info_here(stub->info());   // the access's exception state
  __ should_not_reach_here();
}

#undef __
#define __ sasm->

// Enters the VM to throw why c1_before_store refused a store. Arguments in
// the caller's reserved argument area: holder, address, value, why.
OopMapSet* PmemBarrierSetAssembler::generate_c1_throw_stub(StubAssembler* sasm) {
  __ prologue("pmem_c1_throw", false);
  __ load_parameter(3, c_rarg1);
  __ load_parameter(0, c_rarg2);
  __ load_parameter(1, c_rarg3);
  __ load_parameter(2, c_rarg4);
  // No frame size is set yet, so call_RT forwards the exception with
  // leave + StubRoutines::forward_exception_entry(): right for a caller
  // whose registers are all dead. Runtime1's own forward_exception stub
  // would restore registers this stub never saved.
  const int call_offset = __ call_RT(noreg, noreg, CAST_FROM_FN_PTR(address, PmemBarrier::c1_throw), 4);
  __ should_not_reach_here();
  __ set_frame_size(2);   // return address and saved rbp
  OopMapSet* oop_maps = new OopMapSet();
  oop_maps->add_gc_map(call_offset, new OopMap(2 * VMRegImpl::slots_per_word, 0));
  return oop_maps;
}

#undef __

#endif // COMPILER1
