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


#ifndef SHARE_GC_PMEM_C2_PMEMBARRIERSETC2_HPP
#define SHARE_GC_PMEM_C2_PMEMBARRIERSETC2_HPP

#include "classfile/vmIntrinsics.hpp"
#include "gc/shared/c2/cardTableBarrierSetC2.hpp"

class ciEnv;

// C2's part of the persistent-store barrier. Every heap store or atomic
// that may hit the persistent heap becomes
//   if ((base - pmem_bottom) <u pmem_size) { persistent paths } else { plain access }
// (base: the object accessed, or the address where there is none).
// On the persistent side:
//  - a primitive store outside a transaction is done inline, then its
//    cache line written back (PmemWritebackC2; nothing in fence-only
//    persistence domains);
//  - a primitive store in a transaction into bytes it logged already
//    (PmemTxn's set of logged lines) is done inline: commit writes it back;
//  - everything else (reference stores, which must be checked, the first
//    store into a line in a transaction, misaligned or mismatched accesses,
//    atomics) is a call to PmemBarrierSetRuntime, a safepoint that may
//    throw, which does the whole access in the VM: reference check, undo
//    logging, the store or atomic, the write-back outside a transaction.
//    Doing the access there, not around a compiled one, keeps
//    deoptimization simple: a frame deoptimized at the call resumes after
//    the bytecode, whose effect is complete.
//
// Where a putfield or array store has never met a persistent object, C2
// speculates that it never will: the barrier is the range test alone, and
// a persistent destination takes an uncommon trap that re-executes the
// bytecode in the interpreter and recompiles without speculation (see
// speculation_slots).
//
// Stores that provably hit a volatile object get no barrier: objects
// allocated in this compilation, the receiver of a constructor (pnew runs
// none), and constants outside the persistent heap (class mirrors, so
// every putstatic).
class PmemBarrierSetC2 : public CardTableBarrierSetC2 {
  static address _store_stub;
  static address _atomic_stub;
  static address _atomic_oop_stub;       // boolean CAS of a reference
  static address _atomic_oop_val_stub;   // xchg, compare-and-exchange: old value in vm_result

protected:
  virtual Node* store_at_resolved(C2Access& access, C2AccessValue& val) const;
  virtual Node* atomic_cmpxchg_val_at_resolved(C2AtomicParseAccess& access, Node* expected_val,
                                               Node* new_val, const Type* value_type) const;
  virtual Node* atomic_cmpxchg_bool_at_resolved(C2AtomicParseAccess& access, Node* expected_val,
                                                Node* new_val, const Type* value_type) const;
  virtual Node* atomic_xchg_at_resolved(C2AtomicParseAccess& access, Node* new_val,
                                        const Type* value_type) const;
  virtual Node* atomic_add_at_resolved(C2AtomicParseAccess& access, Node* new_val,
                                       const Type* value_type) const;

public:
  // A CastP2X of an object C2 scalar-replaced: the card mark's, the
  // persistent-store barrier's range test and log address, or both (GVN
  // shares one node).
  virtual void eliminate_gc_barrier(PhaseMacroExpand* macro, Node* node) const;

  // Small copies into an array that may be persistent stay ArrayCopyNodes
  // (whose expansion sends persistent destinations to the VM) instead of
  // becoming plain loads and stores.
  virtual bool array_copy_requires_gc_barriers(bool tightly_coupled_alloc, BasicType type,
                                               bool is_clone, bool is_clone_instance,
                                               ArrayCopyPhase phase) const;

  // Parse's putfield, before the receiver's null check: where the receiver
  // was just loaded (a DecodeN) and the store would be speculated, the
  // range test goes first, on the compressed oop (pmem_x86_64.ad), so that
  // the store directly follows the null check, which then stays implicit
  // (the store's own fault), as with Serial. store_at_resolved's identical
  // test is then dominated, and IGVN removes it.
  static void before_field_store(GraphKit* kit, Node* receiver, BasicType bt);

  // The runtime stubs the slow paths call; made by OptoRuntime::generate.
  static bool generate_stubs(ciEnv* env);

  // Intrinsics whose code writes arrays or memory with no barrier: C2 does
  // not use them while the persistent heap is on (the Java or native code
  // they replace runs instead, and its stores have the barrier). Not those
  // guard_intrinsic guards.
  static bool writes_without_barrier(vmIntrinsics::ID id);

  // The String intrinsics that write one destination array (compress,
  // inflate, getChars, the ISO-8859-1 and ASCII encoders), before their
  // code (LibraryCallKit::try_to_inline): a persistent destination takes
  // an uncommon trap that re-executes the call in the interpreter (the
  // Java code it replaces, with the barrier), and a call site that trapped
  // so is compiled as a call from then on. Returns false where the
  // intrinsic must not be used.
  static bool guard_intrinsic(GraphKit* kit, vmIntrinsics::ID id);
};

#endif // SHARE_GC_PMEM_C2_PMEMBARRIERSETC2_HPP
