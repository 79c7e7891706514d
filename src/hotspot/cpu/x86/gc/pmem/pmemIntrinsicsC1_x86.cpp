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
#include "c1/c1_LIRAssembler.hpp"
#include "c1/c1_MacroAssembler.hpp"
#include "gc/pmem/c1/pmemIntrinsicsC1.hpp"
#include "gc/pmem/pmemFormat.hpp"
#include "gc/pmem/pmemInlineAlloc.hpp"
#include "gc/pmem/pmemThreadLocalData.hpp"
#include "gc/pmem/pmemTxn.hpp"
#include "oops/arrayOop.hpp"
#include "oops/compressedOops.inline.hpp"
#include "oops/markWord.hpp"
#include "oops/oop.hpp"

#define __ masm->

// PmemInlineAlloc's fast path; see there. top and end are NULL when the
// thread has no buffer, and then the compare fails.
void PmemAllocStubC1::emit_code(LIR_Assembler* ce) {
  MacroAssembler* masm = ce->masm();
  const Register obj = _result->as_register();
  const Register top = _tmp1->as_pointer_register();
  const Register new_top = _tmp2->as_pointer_register();
  const Register pad = _tmp3->as_pointer_register();
  const Address top_adr(r15_thread, PmemThreadLocalData::buffer_top_offset());
  const Address end_adr(r15_thread, PmemThreadLocalData::buffer_end_offset());
  Label slow;

  __ bind(_entry);
  if (_is_array) {
    const Register len = _len->as_register();
    __ cmpl(len, _max_len);
    __ jcc(Assembler::above, slow);   // unsigned: negative lengths too
    __ movslq(new_top, len);          // the size: header + len << log2, aligned
    __ shlptr(new_top, _log2_elem);
    __ addptr(new_top, _header + MinObjAlignmentInBytes - 1);
    __ andptr(new_top, -MinObjAlignmentInBytes);
  }
  __ movptr(top, top_adr);
  __ movptr(pad, top);
  __ andptr(pad, PmemFormat::cache_line - 1);
  __ addptr(pad, HeapWordSize);
  __ shrptr(pad, exact_log2(PmemFormat::cache_line));
  __ shlptr(pad, LogHeapWordSize);
  __ lea(obj, Address(top, pad, Address::times_1));
  if (_is_array) {
    __ addptr(new_top, obj);
  } else {
    __ lea(new_top, Address(obj, _size));
  }
  __ cmpptr(new_top, end_adr);
  __ jcc(Assembler::above, slow);

  // top, then the header in the walker's order: mark, length, klass.
  __ movptr(top_adr, new_top);
  __ movptr(Address(obj, oopDesc::mark_offset_in_bytes()), (int32_t)markWord::prototype().value());
  if (_is_array) {
    __ movl(Address(obj, arrayOopDesc::length_offset_in_bytes()), _len->as_register());
  }
  // The class outlives this code: persistable classes belong to the boot,
  // platform or application loader, which never unload.
  __ movl(Address(obj, oopDesc::klass_offset_in_bytes()), (int32_t)CompressedKlassPointers::encode(_klass));
  // In a fresh range of the open transaction's log: nothing to write back
  // (PmemTxn::covers). Outside a transaction, in a deferred buffer
  // (PmemDeferred): written back when it becomes reachable. Else the leaf
  // decides: in a transaction it logs a fresh range for the buffer;
  // outside one it claims a slot for the buffer's rest (the first
  // allocation after a transaction) or writes the object back.
  Label leaf;
  __ cmpptr(Address(r15_thread, PmemThreadLocalData::fresh_end_offset()), (int32_t)NULL_WORD);
  __ jcc(Assembler::notEqual, _continuation);
  __ cmpptr(Address(r15_thread, PmemThreadLocalData::in_txn_offset()), (int32_t)0);
  __ jcc(Assembler::notEqual, leaf);
  __ cmpptr(Address(r15_thread, PmemThreadLocalData::defer_slot_offset()), (int32_t)0);
  __ jcc(Assembler::greaterEqual, _continuation);
  __ bind(leaf);
  __ subptr(new_top, obj);            // the size, for the write-back
  __ push_CPU_state();                // every value live here survives
  __ push(obj);                       // (either may be an argument register)
  __ push(new_top);
  __ pop(c_rarg1);
  __ pop(c_rarg0);
  __ call_VM_leaf(CAST_FROM_FN_PTR(address, PmemInlineAlloc::allocated), 2);
  __ pop_CPU_state();
  __ jmp(_continuation);

  __ bind(slow);
  __ xorptr(obj, obj);                // null: the native path
  __ jmp(_continuation);
}

// Every register is free here (the stub counts as a call); the result is
// rax, the leaf call's, written last.
// The stores of PmemTxn::emit_inline_end, as x86 instructions; txn holds
// the PmemTxn, tmp is free, and both are clobbered.
struct C1InlineEnd {
  MacroAssembler* masm;
  Register txn;
  Register tmp;
  void store_txn_int(ByteSize off, jint v)   { masm->movl(Address(txn, off), v); }
  void store_txn_null(ByteSize off)          { masm->movptr(Address(txn, off), (int32_t)NULL_WORD); }
  void store_thread_zero(ByteSize off)       { masm->movptr(Address(r15_thread, off), (int32_t)0); }
  void copy_thread_word(ByteSize from, ByteSize to) {
    masm->movptr(tmp, Address(r15_thread, from));
    masm->movptr(Address(r15_thread, to), tmp);
  }
  void release_slot(ByteSize slot_off, address flags_addr) {
    masm->movslq(tmp, Address(txn, slot_off));
    masm->movl(Address(txn, slot_off), -1);
    masm->movptr(txn, ExternalAddress(flags_addr));
    masm->movb(Address(txn, tmp, Address::times_1), 0);   // a plain store releases on x86
  }
};

void PmemCommitStubC1::emit_code(LIR_Assembler* ce) {
  MacroAssembler* masm = ce->masm();
  const Register txn = rscratch1;
  const Register tmp = rscratch2;
  Label call;
  __ bind(_entry);
  __ movptr(txn, Address(r15_thread, PmemThreadLocalData::txn_offset()));
  __ testptr(txn, txn);
  __ jcc(Assembler::zero, call);
  __ cmpl(Address(txn, PmemTxn::depth_offset()), 1);
  __ jcc(Assembler::notEqual, call);
  __ cmpl(Address(txn, PmemTxn::work_offset()), 0);
  __ jcc(Assembler::notEqual, call);
  __ movptr(tmp, Address(txn, PmemTxn::open_from_offset()));
  __ cmpptr(tmp, Address(r15_thread, PmemThreadLocalData::buffer_top_offset()));
  __ jcc(Assembler::notEqual, call);
  // Nothing to write back: end it with PmemTxn::emit_inline_end's stores.
  C1InlineEnd end = { masm, txn, tmp };
  PmemTxn::emit_inline_end(end);
  __ movl(_result->as_register(), 1);
  __ jmp(_continuation);
  __ bind(call);
  __ call_VM_leaf(CAST_FROM_FN_PTR(address, PmemTxn::fast_commit), 0);
  assert(_result->as_register() == rax, "the call's result register");
  __ jmp(_continuation);
}

#undef __
