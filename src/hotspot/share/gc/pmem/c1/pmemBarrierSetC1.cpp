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
#include "c1/c1_Compilation.hpp"
#include "c1/c1_FrameMap.hpp"
#include "c1/c1_IR.hpp"
#include "c1/c1_Instruction.hpp"
#include "c1/c1_LIRGenerator.hpp"
#include "c1/c1_Runtime1.hpp"
#include "c1/c1_ValueStack.hpp"
#include "ci/ciMethod.hpp"
#include "ci/ciMethodData.hpp"
#include "gc/pmem/c1/pmemBarrierSetC1.hpp"
#include "gc/pmem/pmemBarrier.hpp"
#include "gc/pmem/pmemHeap.hpp"
#include "gc/shared/barrierSet.hpp"
#include CPU_HEADER(gc/pmem/pmemBarrierSetAssembler)

static IRScope* scope_of(Instruction* x) {
  if (x == NULL) return NULL;
  ValueStack* s = x->state_before() != NULL ? x->state_before() : x->exception_state();
  return s != NULL ? s->scope() : NULL;
}

static bool may_be_persistent(LIRAccess& access) {
  if ((access.decorators() & IN_NATIVE) != 0) {
    return false;
  }
  Value base = access.base().item().value();
  Compilation* comp = access.gen()->compilation();
  IRScope* here = scope_of(comp->current_instruction());
  // Allocated by new in this compilation: volatile, or made by the open
  // transaction level (PmemRedirect), which needs no log entry nor check,
  // when the store is in the new's inlined frame (frames never span a
  // transaction's begin or end); see PmemBarrierSetC2.
  if ((base->as_NewInstance() != NULL || base->as_NewArray() != NULL) &&
      here != NULL && scope_of(base) == here) {
    return false;
  }
  Constant* c = base->as_Constant();
  if (c != NULL && c->type()->as_ObjectType() != NULL && c->type()->is_constant()) {
    ciObject* obj = c->type()->as_ObjectType()->constant_value();
    return obj != NULL && !obj->is_null_object() && PmemBarrier::is_persistent_constant(obj->constant_encoding());
  }
  // A constructor's receiver, stored into by the constructor's own frame.
  Local* l = base->as_Local();
  if (l != NULL && l->java_index() == 0 && !comp->is_osr_compile() &&
      comp->method()->is_object_initializer() && here != NULL && here == comp->hir()->top_scope()) {
    return false;
  }
  return true;
}

static void refuse(LIRAccess& access) {
  access.gen()->compilation()->bailout("may store to the persistent heap where C1 has no exception state to throw from");
}

#define __ gen->lir()->

// Decides whether the access gets a barrier; if so, finds its exception
// state and its address in a register. Bails out of the compilation where
// the barrier could not throw.
bool PmemBarrierSetC1::prepare(LIRAccess& access, CodeEmitInfo** info, LIR_Opr* addr) {
  if (!may_be_persistent(access)) {
    return false;
  }
  LIRGenerator* gen = access.gen();
  Instruction* x = gen->compilation()->current_instruction();
  if (x == NULL || x->exception_state() == NULL) {
    refuse(access);
    return false;
  }
  *info = gen->state_for(x);
  // A copy of the access's address: the register allocator rewrites an
  // address in place, so two ops must not share one.
  LIR_Address* a = access.resolved_addr()->as_address_ptr();
  LIR_Opr copy = LIR_OprFact::address(new LIR_Address(a->base(), a->index(), a->scale(), a->disp(), a->type()));
  *addr = gen->new_pointer_register();
  if ((access.decorators() & C1_NEEDS_PATCHING) != 0) {
    // An unresolved field: the lea gets its offset patched in, as the
    // store does, on first execution.
    __ leal(copy, *addr, lir_patch_normal, new CodeEmitInfo(access.patch_emit_info()));
  } else {
    __ leal(copy, *addr);
  }
  return true;
}

void PmemBarrierSetC1::barrier(LIRAccess& access, bool before, LIR_Opr addr, LIR_Opr value,
                               int len, CodeEmitInfo* info) {
  LIRGenerator* gen = access.gen();
  // Operands of the stub, a call for the register allocator, go in the
  // C argument registers, like a call's arguments.
  LIR_Opr holder_arg = FrameMap::as_oop_opr(c_rarg0);
  LIR_Opr addr_arg = FrameMap::as_pointer_opr(c_rarg1);
  LIR_Opr value_arg = value->is_valid() ? FrameMap::as_oop_opr(c_rarg2) : LIR_OprFact::illegalOpr;
  __ move(access.base().opr(), holder_arg);
  __ move(addr, addr_arg);
  if (value->is_valid()) {
    __ move(value, value_arg);
  }
  LIR_Opr off = gen->new_pointer_register();
  LIR_Opr last = gen->new_pointer_register();
  __ move(addr, off);
  __ sub(off, LIR_OprFact::longConst((jlong)(intptr_t)PmemHeap::bottom()), off);
  __ move(LIR_OprFact::longConst((jlong)PmemHeap::max_size_in_bytes() - 1), last);   // it may grow
  __ cmp(lir_cond_belowEqual, off, last);   // unsigned: in the persistent heap
  // Profiled code records a persistent store in the MethodData of the
  // method the store is in (PmemBarrier::speculation_reason).
  MethodData* profile = NULL;
  if (before && info != NULL && gen->compilation()->is_profiling()) {
    ciMethodData* md = info->scope()->method()->method_data_or_null();
    if (md != NULL) {
      profile = (MethodData*)md->constant_encoding();
    }
  }
  CodeStub* stub = new PmemBarrierStubC1(before, holder_arg, addr_arg, value_arg, len, info, profile);
  __ branch(lir_cond_belowEqual, stub);
  __ branch_destination(stub->continuation());
}

static int access_len(LIRAccess& access) {
  return access.is_oop() ? heapOopSize : type2aelembytes(access.type());
}

// The reference an atomic stores, for the barrier to check.
static LIR_Opr stored_reference(LIRAccess& access, LIRItem& value) {
  if (!access.is_oop()) {
    return LIR_OprFact::illegalOpr;
  }
  value.load_item();
  return value.result();
}

void PmemBarrierSetC1::store_at_resolved(LIRAccess& access, LIR_Opr value) {
  CodeEmitInfo* info;
  LIR_Opr addr;
  if (!prepare(access, &info, &addr)) {
    CardTableBarrierSetC1::store_at_resolved(access, value);
    return;
  }
  const int len = access_len(access);
  barrier(access, true, addr, access.is_oop() ? value : LIR_OprFact::illegalOpr, len, info);
  CardTableBarrierSetC1::store_at_resolved(access, value);
  barrier(access, false, addr, LIR_OprFact::illegalOpr, len, NULL);
}

LIR_Opr PmemBarrierSetC1::atomic_cmpxchg_at_resolved(LIRAccess& access, LIRItem& cmp_value, LIRItem& new_value) {
  CodeEmitInfo* info;
  LIR_Opr addr;
  if (!prepare(access, &info, &addr)) {
    return CardTableBarrierSetC1::atomic_cmpxchg_at_resolved(access, cmp_value, new_value);
  }
  const int len = access_len(access);
  barrier(access, true, addr, stored_reference(access, new_value), len, info);
  LIR_Opr result = CardTableBarrierSetC1::atomic_cmpxchg_at_resolved(access, cmp_value, new_value);
  barrier(access, false, addr, LIR_OprFact::illegalOpr, len, NULL);
  return result;
}

LIR_Opr PmemBarrierSetC1::atomic_xchg_at_resolved(LIRAccess& access, LIRItem& value) {
  CodeEmitInfo* info;
  LIR_Opr addr;
  if (!prepare(access, &info, &addr)) {
    return CardTableBarrierSetC1::atomic_xchg_at_resolved(access, value);
  }
  const int len = access_len(access);
  barrier(access, true, addr, stored_reference(access, value), len, info);
  LIR_Opr result = CardTableBarrierSetC1::atomic_xchg_at_resolved(access, value);
  barrier(access, false, addr, LIR_OprFact::illegalOpr, len, NULL);
  return result;
}

LIR_Opr PmemBarrierSetC1::atomic_add_at_resolved(LIRAccess& access, LIRItem& value) {
  CodeEmitInfo* info;
  LIR_Opr addr;
  if (!prepare(access, &info, &addr)) {
    return CardTableBarrierSetC1::atomic_add_at_resolved(access, value);
  }
  const int len = access_len(access);
  barrier(access, true, addr, LIR_OprFact::illegalOpr, len, info);
  LIR_Opr result = CardTableBarrierSetC1::atomic_add_at_resolved(access, value);
  barrier(access, false, addr, LIR_OprFact::illegalOpr, len, NULL);
  return result;
}

#undef __

bool PmemBarrierSetC1::refuses_intrinsic(vmIntrinsics::ID id) {
  switch (id) {
    case vmIntrinsics::_arraycopy:   // the native System.arraycopy is guarded
    case vmIntrinsics::_putReference:
    case vmIntrinsics::_putBoolean:
    case vmIntrinsics::_putByte:
    case vmIntrinsics::_putShort:
    case vmIntrinsics::_putChar:
    case vmIntrinsics::_putInt:
    case vmIntrinsics::_putLong:
    case vmIntrinsics::_putFloat:
    case vmIntrinsics::_putDouble:
    case vmIntrinsics::_putReferenceVolatile:
    case vmIntrinsics::_putBooleanVolatile:
    case vmIntrinsics::_putByteVolatile:
    case vmIntrinsics::_putShortVolatile:
    case vmIntrinsics::_putCharVolatile:
    case vmIntrinsics::_putIntVolatile:
    case vmIntrinsics::_putLongVolatile:
    case vmIntrinsics::_putFloatVolatile:
    case vmIntrinsics::_putDoubleVolatile:
    case vmIntrinsics::_putShortUnaligned:
    case vmIntrinsics::_putCharUnaligned:
    case vmIntrinsics::_putIntUnaligned:
    case vmIntrinsics::_putLongUnaligned:
    case vmIntrinsics::_getAndAddInt:
    case vmIntrinsics::_getAndAddLong:
    case vmIntrinsics::_getAndSetInt:
    case vmIntrinsics::_getAndSetLong:
    case vmIntrinsics::_getAndSetReference:
      return true;
    default:
      return false;
  }
}

void PmemBarrierStubC1::emit_code(LIR_Assembler* ce) {
  PmemBarrierSetAssembler* bs = (PmemBarrierSetAssembler*)BarrierSet::barrier_set()->barrier_set_assembler();
  bs->gen_c1_stub(ce, this);
}

class PmemC1ThrowCodeGenClosure : public StubAssemblerCodeGenClosure {
  virtual OopMapSet* generate_code(StubAssembler* sasm) {
    PmemBarrierSetAssembler* bs = (PmemBarrierSetAssembler*)BarrierSet::barrier_set()->barrier_set_assembler();
    return bs->generate_c1_throw_stub(sasm);
  }
};

void PmemBarrierSetC1::generate_c1_runtime_stubs(BufferBlob* buffer_blob) {
  PmemC1ThrowCodeGenClosure cl;
  _throw_blob = Runtime1::generate_blob(buffer_blob, -1, "pmem_c1_throw", true, &cl);
}
