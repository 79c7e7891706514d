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
#include "c1/c1_Instruction.hpp"
#include "c1/c1_LIRGenerator.hpp"
#include "c1/c1_ValueType.hpp"
#include "gc/pmem/c1/pmemIntrinsicsC1.hpp"
#include "gc/pmem/pmemInlineAlloc.hpp"

#define __ gen->lir()->

void PmemIntrinsicsC1::do_alloc(LIRGenerator* gen, Intrinsic* x, bool is_array) {
  assert(x->number_of_arguments() == (is_array ? 2 : 1), "mirror, and length for arrays");
  InstanceConstant* c = x->argument_at(0)->type()->as_InstanceConstant();
  PmemInlineAlloc plan;
  if (c == NULL || !plan.plan(PmemInlineAlloc::class_of_mirror(c->value()), is_array)) {
    LIR_Opr result = gen->rlock_result(x);
    __ move(LIR_OprFact::oopConst(NULL), result);   // the native path
    return;
  }
  LIR_Opr len = LIR_OprFact::illegalOpr;
  if (is_array) {
    LIRItem length(x->argument_at(1), gen);
    length.load_item();
    len = length.result();
  }
  LIR_Opr result = gen->rlock_result(x);
  CodeStub* stub = new PmemAllocStubC1(plan.klass, is_array, plan.size, plan.header, plan.log2_elem, plan.max_len, len, result,
                                       gen->new_pointer_register(), gen->new_pointer_register(),
                                       gen->new_pointer_register());
  __ branch(lir_cond_always, stub);
  __ branch_destination(stub->continuation());
}

void PmemIntrinsicsC1::do_commit(LIRGenerator* gen, Intrinsic* x) {
  assert(x->number_of_arguments() == 0, "no arguments");
  // The stub counts as a call, which kills every register: its result must
  // be the call's result register, as for a runtime call.
  LIR_Opr phys = LIRGenerator::result_register_for(x->type());
  CodeStub* stub = new PmemCommitStubC1(phys);
  __ branch(lir_cond_always, stub);
  __ branch_destination(stub->continuation());
  __ move(phys, gen->rlock_result(x));
}

#undef __
