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


#ifndef SHARE_GC_PMEM_C1_PMEMBARRIERSETC1_HPP
#define SHARE_GC_PMEM_C1_PMEMBARRIERSETC1_HPP

#include "c1/c1_CodeStubs.hpp"
#include "classfile/vmIntrinsics.hpp"
#include "gc/shared/c1/cardTableBarrierSetC1.hpp"

// C1's part of the persistent-store barrier. Every heap store or atomic
// that may hit the persistent heap becomes
//   if ((addr - bottom) <u size) call before   (check; undo log in a txn)
//   the access
//   if ((addr - bottom) <u size) call after    (write-back outside a txn)
// as in the interpreter. Both calls are leaves: no safepoint can fall
// between the log entry and the store, so C1 needs no JVM state to resume
// there. A refused store (volatile reference, full log) throws from a
// second call that carries the access's exception state, the way C1
// throws a NullPointerException. The out-of-line calls count as calls for
// the register allocator (values live across a barrier sit on the stack),
// which lets the throw unwind like an exception from a callee.
//
// C1 has no exception state for its Unsafe put and get-and-set/add
// intrinsics, so it does not use them (refuses_intrinsic): the Java or
// native Unsafe code runs instead (the natives are guarded, the Java
// get-and-set loops use the compareAndSet intrinsic, which has a barrier).
// A store to a field not resolved yet gets the address of its barrier
// patched in on first execution, as the store's own offset is (prepare).
class PmemBarrierSetC1 : public CardTableBarrierSetC1 {
  CodeBlob* _throw_blob;   // Runtime1 stub: enters the VM and throws

  void barrier(LIRAccess& access, bool before, LIR_Opr addr, LIR_Opr value, int len, CodeEmitInfo* info);
  bool prepare(LIRAccess& access, CodeEmitInfo** info, LIR_Opr* addr);

protected:
  virtual void store_at_resolved(LIRAccess& access, LIR_Opr value);
  virtual LIR_Opr atomic_cmpxchg_at_resolved(LIRAccess& access, LIRItem& cmp_value, LIRItem& new_value);
  virtual LIR_Opr atomic_xchg_at_resolved(LIRAccess& access, LIRItem& value);
  virtual LIR_Opr atomic_add_at_resolved(LIRAccess& access, LIRItem& value);

public:
  PmemBarrierSetC1() : _throw_blob(NULL) {}
  CodeBlob* throw_blob() const { return _throw_blob; }
  virtual void generate_c1_runtime_stubs(BufferBlob* buffer_blob);

  // Intrinsics C1 must not use while UsePersistentHeap is on.
  static bool refuses_intrinsic(vmIntrinsics::ID id);
};

// The out-of-line half of one barrier: a call of PmemBarrier::c1_before_store
// (then, if it refuses, of the throw stub) or of PmemBarrier::after_store.
class PmemBarrierStubC1 : public CodeStub {
  const bool    _before;
  LIR_Opr       _holder;   // the accessed object, for messages
  LIR_Opr       _addr;     // pointer register: the accessed address
  LIR_Opr       _value;    // stored reference (checked), or illegal
  const int     _len;
  CodeEmitInfo* _info;     // exception state, before only
  MethodData*   _profile;  // profiled code: where to record a persistent store

public:
  PmemBarrierStubC1(bool before, LIR_Opr holder, LIR_Opr addr, LIR_Opr value, int len, CodeEmitInfo* info,
                    MethodData* profile)
    : _before(before), _holder(holder), _addr(addr), _value(value), _len(len), _info(info),
      _profile(profile) {}

  bool before() const       { return _before; }
  LIR_Opr holder() const    { return _holder; }
  LIR_Opr addr() const      { return _addr; }
  LIR_Opr value() const     { return _value; }
  int len() const           { return _len; }
  CodeEmitInfo* info() const { return _info; }
  MethodData* profile() const { return _profile; }

  virtual void emit_code(LIR_Assembler* ce);
  virtual void visit(LIR_OpVisitState* visitor) {
    visitor->do_call();   // all registers are dead here, see above
    if (_info != NULL) {
      visitor->do_slow_case(_info);
    } else {
      visitor->do_slow_case();
    }
    visitor->do_input(_holder);
    visitor->do_input(_addr);
    if (_value->is_valid()) {
      visitor->do_input(_value);
    }
  }
#ifndef PRODUCT
  virtual void print_name(outputStream* out) const { out->print("PmemBarrierStubC1"); }
#endif
};

#endif // SHARE_GC_PMEM_C1_PMEMBARRIERSETC1_HPP
