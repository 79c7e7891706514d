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
#include "c1/c1_Instruction.hpp"
#include "c1/c1_LIRGenerator.hpp"
#include "ci/ciMethod.hpp"
#include "gc/pmem/c1/pmemBarrierSetC1.hpp"
#include "gc/pmem/pmemBarrier.hpp"
#include "gc/pmem/pmemHeap.hpp"

static bool may_be_persistent(LIRAccess& access) {
  if ((access.decorators() & IN_NATIVE) != 0) {
    return false;
  }
  Value base = access.base().item().value();
  if (base->as_NewInstance() != NULL || base->as_NewArray() != NULL) {
    return false;   // allocated by new in this compilation: volatile
  }
  Constant* c = base->as_Constant();
  if (c != NULL && c->type()->as_ObjectType() != NULL && c->type()->is_constant()) {
    ciObject* obj = c->type()->as_ObjectType()->constant_value();
    return obj != NULL && !obj->is_null_object() && PmemBarrier::is_persistent_constant(obj->constant_encoding());
  }
  // A constructor's receiver (pnew and pmake run no constructor).
  Local* l = base->as_Local();
  Compilation* comp = access.gen()->compilation();
  if (l != NULL && l->java_index() == 0 && !comp->is_osr_compile() &&
      comp->method()->is_object_initializer()) {
    return false;
  }
  return true;
}

static void refuse(LIRAccess& access) {
  access.gen()->compilation()->bailout("may store to the persistent heap (C1 has no pmem barrier)");
}

void PmemBarrierSetC1::store_at_resolved(LIRAccess& access, LIR_Opr value) {
  if (may_be_persistent(access)) {
    refuse(access);
  }
  CardTableBarrierSetC1::store_at_resolved(access, value);
}

LIR_Opr PmemBarrierSetC1::atomic_cmpxchg_at_resolved(LIRAccess& access, LIRItem& cmp_value, LIRItem& new_value) {
  if (may_be_persistent(access)) {
    refuse(access);
  }
  return CardTableBarrierSetC1::atomic_cmpxchg_at_resolved(access, cmp_value, new_value);
}

LIR_Opr PmemBarrierSetC1::atomic_xchg_at_resolved(LIRAccess& access, LIRItem& value) {
  if (may_be_persistent(access)) {
    refuse(access);
  }
  return CardTableBarrierSetC1::atomic_xchg_at_resolved(access, value);
}

LIR_Opr PmemBarrierSetC1::atomic_add_at_resolved(LIRAccess& access, LIRItem& value) {
  if (may_be_persistent(access)) {
    refuse(access);
  }
  return CardTableBarrierSetC1::atomic_add_at_resolved(access, value);
}
