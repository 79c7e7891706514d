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


#ifndef SHARE_GC_PMEM_C1_PMEMINTRINSICSC1_HPP
#define SHARE_GC_PMEM_C1_PMEMINTRINSICSC1_HPP

#include "c1/c1_CodeStubs.hpp"
#include "memory/allStatic.hpp"

class Intrinsic;
class LIRGenerator;

// C1's pnewFast0 and pmakeFast0: for a class that is a compile-time
// constant (Pmem.pnew inlined into a method that names the class), the
// bump allocation of PmemInlineAlloc, with no call; null otherwise, or when
// the buffer has no room, which sends Pmem to the native path.
class PmemIntrinsicsC1 : AllStatic {
public:
  static void do_alloc(LIRGenerator* gen, Intrinsic* x, bool is_array);
  // txnCommitFast0: PmemCommitStubC1.
  static void do_commit(LIRGenerator* gen, Intrinsic* x);
};

// C1's txnCommitFast0, as C2's (PmemIntrinsicsC2): an outermost
// transaction with nothing to write back ends in machine code, as
// PmemTxn::finish() would end it; anything else calls the leaf
// PmemTxn::fast_commit from here. It counts as a call for linear scan (the
// leaf call kills every register), as the barrier's stub does.
class PmemCommitStubC1 : public CodeStub {
public:
  LIR_Opr _result;

  PmemCommitStubC1(LIR_Opr result) : _result(result) {}

  virtual void emit_code(LIR_Assembler* ce);   // cpu/*/gc/pmem/pmemIntrinsicsC1_*.cpp
  virtual void visit(LIR_OpVisitState* visitor) {
    visitor->do_call();
    visitor->do_slow_case();
    visitor->do_output(_result);
  }
#ifndef PRODUCT
  virtual void print_name(outputStream* out) const { out->print("PmemCommitStubC1"); }
#endif
};

// The allocation's code. C1 has no LIR for a cache-line write-back, so the
// whole fast path is machine code here, reached by a jump from the
// method's straight-line code and jumping back (no call, no frame).
// Operands: the array length (arrays), the result, three temporaries.
class PmemAllocStubC1 : public CodeStub {
public:
  Klass*  const _klass;
  const bool    _is_array;
  const int     _size;        // instances
  const int     _header;      // arrays
  const int     _log2_elem;
  const jint    _max_len;
  LIR_Opr       _len;         // arrays, else illegal
  LIR_Opr       _result;
  LIR_Opr       _tmp1, _tmp2, _tmp3;

  PmemAllocStubC1(Klass* klass, bool is_array, int size, int header, int log2_elem, jint max_len,
                  LIR_Opr len, LIR_Opr result, LIR_Opr tmp1, LIR_Opr tmp2, LIR_Opr tmp3)
    : _klass(klass), _is_array(is_array), _size(size), _header(header), _log2_elem(log2_elem),
      _max_len(max_len), _len(len), _result(result), _tmp1(tmp1), _tmp2(tmp2), _tmp3(tmp3) {}

  virtual void emit_code(LIR_Assembler* ce);   // cpu/*/gc/pmem/pmemIntrinsicsC1_*.cpp
  virtual void visit(LIR_OpVisitState* visitor) {
    if (_len->is_valid()) {
      visitor->do_input(_len);
      visitor->do_temp(_len);   // read after the result is written: not its register
    }
    visitor->do_temp(_tmp1);
    visitor->do_temp(_tmp2);
    visitor->do_temp(_tmp3);
    visitor->do_output(_result);
  }
#ifndef PRODUCT
  virtual void print_name(outputStream* out) const { out->print("PmemAllocStubC1"); }
#endif
};

#endif // SHARE_GC_PMEM_C1_PMEMINTRINSICSC1_HPP
