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

#include "gc/shared/c1/cardTableBarrierSetC1.hpp"

// C1's part of the persistent-store barrier, for now a refusal: C1 does
// not compile a method with a heap store or atomic that may hit the
// persistent heap (it records the method not compilable at its tiers, so
// tiered compilation takes it to C2, whose code has the barrier, and C1-only
// runs keep it in the interpreter, which has it too). Stores C1 can prove
// volatile (new objects, a constructor's receiver, class mirrors) compile
// as before. A C1 slow path is future work: its exception and
// deoptimization states need the store's full JVM state, which C1 keeps
// only for some stores.
class PmemBarrierSetC1 : public CardTableBarrierSetC1 {
protected:
  virtual void store_at_resolved(LIRAccess& access, LIR_Opr value);
  virtual LIR_Opr atomic_cmpxchg_at_resolved(LIRAccess& access, LIRItem& cmp_value, LIRItem& new_value);
  virtual LIR_Opr atomic_xchg_at_resolved(LIRAccess& access, LIRItem& value);
  virtual LIR_Opr atomic_add_at_resolved(LIRAccess& access, LIRItem& value);
};

#endif // SHARE_GC_PMEM_C1_PMEMBARRIERSETC1_HPP
