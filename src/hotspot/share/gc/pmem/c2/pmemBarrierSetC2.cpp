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
#include "ci/ciEnv.hpp"
#include "ci/ciMethod.hpp"
#include "gc/pmem/c2/pmemBarrierSetC2.hpp"
#include "gc/pmem/c2/pmemDiamondC2.hpp"
#include "gc/pmem/c2/pmemWritebackC2.hpp"
#include "gc/pmem/pmemBarrier.hpp"
#include "gc/pmem/pmemBarrierSetRuntime.hpp"
#include "gc/pmem/pmemHeap.hpp"
#include "gc/pmem/pmemThreadLocalData.hpp"
#include "gc/pmem/pmemTypeTable.hpp"
#include "gc/shared/cardTable.hpp"
#include "logging/log.hpp"
#include "memory/resourceArea.hpp"
#include "ci/ciUtilities.inline.hpp"
#include "oops/access.inline.hpp"
#include "opto/callnode.hpp"
#include "opto/castnode.hpp"
#include "opto/cfgnode.hpp"
#include "opto/compile.hpp"
#include "opto/convertnode.hpp"
#include "opto/graphKit.hpp"
#include "opto/addnode.hpp"
#include "opto/macro.hpp"
#include "opto/memnode.hpp"
#include "opto/movenode.hpp"
#include "opto/mulnode.hpp"
#include "opto/runtime.hpp"
#include "opto/subnode.hpp"
#include "opto/type.hpp"
#include "runtime/deoptimization.hpp"
#include "runtime/atomic.hpp"
#include "runtime/interfaceSupport.inline.hpp"
#include "utilities/align.hpp"

address PmemBarrierSetC2::_store_stub      = NULL;
address PmemBarrierSetC2::_atomic_stub     = NULL;
address PmemBarrierSetC2::_atomic_oop_stub = NULL;
address PmemBarrierSetC2::_atomic_oop_val_stub = NULL;

// ---------------------------------------------------------------------------
// Call types and stubs.

static const TypeFunc* store_Type() {
  const Type** fields = TypeTuple::fields(7);
  fields[TypeFunc::Parms + 0] = TypeInstPtr::BOTTOM;   // holder, may be null
  fields[TypeFunc::Parms + 1] = TypeLong::LONG;        // address
  fields[TypeFunc::Parms + 2] = Type::HALF;
  fields[TypeFunc::Parms + 3] = TypeLong::LONG;        // primitive value's bits
  fields[TypeFunc::Parms + 4] = Type::HALF;
  fields[TypeFunc::Parms + 5] = TypeInstPtr::BOTTOM;   // reference value
  fields[TypeFunc::Parms + 6] = TypeInt::INT;          // kind
  const TypeTuple* domain = TypeTuple::make(TypeFunc::Parms + 7, fields);
  const TypeTuple* range = TypeTuple::make(TypeFunc::Parms, TypeTuple::fields(0));
  return TypeFunc::make(domain, range);
}

static const TypeTuple* long_result() {
  const Type** fields = TypeTuple::fields(2);
  fields[TypeFunc::Parms + 0] = TypeLong::LONG;
  fields[TypeFunc::Parms + 1] = Type::HALF;
  return TypeTuple::make(TypeFunc::Parms + 2, fields);
}

static const TypeFunc* atomic_Type() {
  const Type** fields = TypeTuple::fields(7);
  fields[TypeFunc::Parms + 0] = TypeLong::LONG;        // address
  fields[TypeFunc::Parms + 1] = Type::HALF;
  fields[TypeFunc::Parms + 2] = TypeLong::LONG;        // new value or addend
  fields[TypeFunc::Parms + 3] = Type::HALF;
  fields[TypeFunc::Parms + 4] = TypeLong::LONG;        // expected value
  fields[TypeFunc::Parms + 5] = Type::HALF;
  fields[TypeFunc::Parms + 6] = TypeInt::INT;          // kind
  return TypeFunc::make(TypeTuple::make(TypeFunc::Parms + 7, fields), long_result());
}

static const TypeFunc* atomic_oop_Type() {
  const Type** fields = TypeTuple::fields(6);
  fields[TypeFunc::Parms + 0] = TypeInstPtr::BOTTOM;   // holder
  fields[TypeFunc::Parms + 1] = TypeLong::LONG;        // address
  fields[TypeFunc::Parms + 2] = Type::HALF;
  fields[TypeFunc::Parms + 3] = TypeInstPtr::BOTTOM;   // new value
  fields[TypeFunc::Parms + 4] = TypeInstPtr::BOTTOM;   // expected value
  fields[TypeFunc::Parms + 5] = TypeInt::INT;          // kind
  return TypeFunc::make(TypeTuple::make(TypeFunc::Parms + 6, fields), long_result());
}

// The same call, returning the old reference (through vm_result, which the
// stub loads after the call, as for new_instance).
static const TypeFunc* atomic_oop_val_Type() {
  const TypeFunc* t = atomic_oop_Type();
  const Type** fields = TypeTuple::fields(1);
  fields[TypeFunc::Parms + 0] = TypeRawPtr::BOTTOM;
  return TypeFunc::make(t->domain(), TypeTuple::make(TypeFunc::Parms + 1, fields));
}

bool PmemBarrierSetC2::generate_stubs(ciEnv* env) {
  _store_stub = OptoRuntime::generate_stub(env, store_Type, CAST_FROM_FN_PTR(address, PmemBarrierSetRuntime::store),
                                           "pmem_store", 0, false, false);
  _atomic_stub = OptoRuntime::generate_stub(env, atomic_Type, CAST_FROM_FN_PTR(address, PmemBarrierSetRuntime::atomic),
                                            "pmem_atomic", 0, false, false);
  _atomic_oop_stub = OptoRuntime::generate_stub(env, atomic_oop_Type,
                                                CAST_FROM_FN_PTR(address, PmemBarrierSetRuntime::atomic_oop),
                                                "pmem_atomic_oop", 0, false, false);
  _atomic_oop_val_stub = OptoRuntime::generate_stub(env, atomic_oop_val_Type,
                                                    CAST_FROM_FN_PTR(address, PmemBarrierSetRuntime::atomic_oop),
                                                    "pmem_atomic_oop_val", 0, true /* result in vm_result */, false);
  return _store_stub != NULL && _atomic_stub != NULL && _atomic_oop_stub != NULL && _atomic_oop_val_stub != NULL;
}

// ---------------------------------------------------------------------------
// The graph side.

// Whether objects of static type k can never be persistent
// (PmemTypeTable::never_persistent); logged at gc+pmem=trace.
static bool never_persistent(ciKlass* k) {
  if (k == NULL || !k->is_loaded()) {
    return false;
  }
  bool never;
  {
    VM_ENTRY_MARK;
    never = PmemTypeTable::never_persistent((Klass*)k->constant_encoding());
  }
  if (never && log_is_enabled(Trace, gc, pmem)) {
    ResourceMark rm;
    log_trace(gc, pmem)("C2: no barrier for a store into %s (never persistent)", k->name()->as_utf8());
  }
  return never;
}

// Whether two parse states are in one inlined frame: the same method,
// called from the same places.
static bool same_frame(const JVMState* a, const JVMState* b) {
  if (a->depth() != b->depth() || a->method() != b->method()) {
    return false;
  }
  return a->caller() == NULL || a->caller()->same_calls_as(b->caller());
}

// Whether a store parsed at here is at the transaction level of an
// allocation parsed at alloc: in the same frame, or in constructors called
// (inlined) from that frame, such as HashMap.newNode's new Node(...) and
// the super() calls under it. Transaction levels change only in Pmem.txn's
// frame, and no constructor is one.
static bool allocation_level(const JVMState* here, const JVMState* alloc) {
  for (const JVMState* j = here; j != NULL; j = j->caller()) {
    if (same_frame(j, alloc)) {
      return true;
    }
    if (!j->method()->is_object_initializer()) {
      return false;
    }
  }
  return false;
}

static bool may_be_persistent(C2Access& access) {
  if (!access.is_parse_access()) {
    return false;   // expansion-time accesses write fresh objects only
  }
  if ((access.decorators() & IN_NATIVE) != 0) {
    return false;   // off-heap; Unsafe accesses to an unknown base have neither IN_ flag
  }
  Node* base = access.base();
  if (base == NULL || base->is_top()) {
    return true;
  }
  PhaseGVN& gvn = access.gvn();
  // Allocated by new in this compilation: volatile, or made by the open
  // transaction (PmemRedirect), whose objects need neither a log entry
  // (commit writes them back) nor a check (commit checks them). Only if
  // the store is in the new's inlined frame or a constructor called from
  // it: a frame never spans a transaction's begin or end (those are in
  // Pmem.txn's frame), so the object is then the store's own transaction
  // level's.
  JVMState* here = static_cast<C2ParseAccess&>(access).kit()->jvms();
  AllocateNode* alloc = AllocateNode::Ideal_allocation(base, &gvn);
  if (alloc != NULL && alloc->jvms() != NULL && allocation_level(here, alloc->jvms())) {
    return false;
  }
  const TypeOopPtr* t = gvn.type(base)->isa_oopptr();
  if (t != NULL && t->const_oop() != NULL) {
    return PmemBarrier::is_persistent_constant(t->const_oop()->constant_encoding());
  }
  if (t != NULL && never_persistent(t->klass())) {
    return false;   // its type, or any subtype, cannot be persistent
  }
  // A constructor's receiver, stored into by the constructor's own frame:
  // volatile, or made by the transaction level the constructor runs in
  // (new and its constructor call are in one frame).
  Compile* C = Compile::current();
  if (!C->is_osr_compilation() && C->method()->is_object_initializer() && here->depth() == 1) {
    Node* b = base->uncast();
    if (b->is_Proj() && b->in(0)->is_Start() && b->as_Proj()->_con == TypeFunc::Parms) {
      return false;
    }
  }
  return true;
}

static Node* holder_of(GraphKit* kit, C2Access& access) {
  Node* base = access.base();
  if (base != NULL && !base->is_top() && kit->gvn().type(base)->isa_oopptr() != NULL) {
    return base;
  }
  return kit->null();
}

// A primitive value as the 64 bits the runtime stores.
static Node* to_bits(GraphKit* kit, BasicType bt, Node* v) {
  PhaseGVN& gvn = kit->gvn();
  switch (bt) {
    case T_FLOAT:  return gvn.transform(new ConvI2LNode(gvn.transform(new MoveF2INode(v))));
    case T_DOUBLE: return gvn.transform(new MoveD2LNode(v));
    case T_LONG:   return v;
    default:       return gvn.transform(new ConvI2LNode(v));
  }
}

// The access's address as a long: the base object's address plus the
// offsets of the AddP chain. A CastP2X of the derived pointer itself would
// leave a derived pointer live across the slow call with no base the oop
// map can name. (If the call moves a volatile base, the stale long still
// lies outside the persistent heap, and persistent objects never move.)
static Node* address_bits(GraphKit* kit, C2Access& access) {
  PhaseGVN& gvn = kit->gvn();
  Node* adr = access.addr().node();
  if (adr->is_AddP() && !adr->in(AddPNode::Base)->is_top()) {
    Node* base = adr->in(AddPNode::Base);
    Node* sum = NULL;
    Node* a = adr;
    while (a->is_AddP() && a->in(AddPNode::Base) == base) {
      Node* off = a->in(AddPNode::Offset);
      sum = sum == NULL ? off : gvn.transform(new AddXNode(sum, off));
      a = a->in(AddPNode::Address);
    }
    if (a == base) {
      return gvn.transform(new AddXNode(gvn.transform(new CastP2XNode(NULL, base)), sum));
    }
  }
  return gvn.transform(new CastP2XNode(NULL, adr));
}

// What the range test looks at: the base object when there is one. An
// object lies wholly inside or wholly outside the persistent heap, and the
// base is loop-invariant where the address is not, so loop unswitching can
// hoist the test out of a loop over a volatile array and leave the plain
// loop free to unroll and vectorize.
// A base that is a cast of a just-loaded (DecodeN) object is tested
// uncast: a test made before its null check (before_field_store) is then
// the same node, and dominates.
static Node* test_bits(GraphKit* kit, C2Access& access) {
  Node* adr = access.addr().node();
  if (adr->is_AddP() && !adr->in(AddPNode::Base)->is_top()) {
    Node* base = adr->in(AddPNode::Base);
    if (base->uncast()->Opcode() == Op_DecodeN) {
      base = base->uncast();
    }
    return kit->gvn().transform(new CastP2XNode(NULL, base));
  }
  return address_bits(kit, access);
}

// Whether a primitive store may skip the runtime when it falls in the bytes
// the thread's open transaction logged last (PmemThreadLocalData::_hot_lo):
// not under the simulator or a fault point, which count and evict at every
// store in a transaction. (Misaligned Unsafe accesses, which could run past
// them, always call the runtime.)
static bool may_store_inline_when_logged() {
  return !PmemSimulator && PmemFaultPoint == NULL;
}

// True (the slow arm) unless all len bytes at adr_x lie in the hot bytes;
// outside a transaction they are empty. The hot bytes are exactly what the
// last log entry holds, which may be less than a field (an Unsafe store
// into part of it), so the store's end is tested, not only its start.
// A store that starts below the hot bytes has a negative offset, and
// offset + len wraps to 0..len-1 for one that ends at or in them (HashMap's
// size, just below modCount, went inline unlogged after ++modCount logged
// modCount): the offset's sign, spread over the word, makes that end huge.
static Node* outside_logged(GraphKit* kit, Node* adr_x, int len) {
  PhaseGVN& gvn = kit->gvn();
  Node* lo = PmemWritebackC2::thread_word(kit, PmemThreadLocalData::hot_lo_offset());
  Node* size = PmemWritebackC2::thread_word(kit, PmemThreadLocalData::hot_size_offset());
  Node* off = gvn.transform(new SubXNode(adr_x, lo));
  Node* below = gvn.transform(new RShiftXNode(off, kit->intcon(BitsPerWord - 1)));   // -1 if adr_x < lo
  Node* end = gvn.transform(new OrXNode(gvn.transform(new AddXNode(off, kit->MakeConX(len))), below));
  return gvn.transform(new BoolNode(gvn.transform(new CmpULNode(end, size)), BoolTest::gt));
}

// Speculation that a store never meets a persistent object: for a
// putfield or array store bytecode in a method that has never failed it,
// the barrier is the range test alone, and a persistent destination takes
// an uncommon trap that re-executes the bytecode in the interpreter (whose
// barrier does the store) and recompiles the method without speculation.
// A call on the slow arm would make C2 spill every value live across the
// loop around the store; a trap spills nothing on the fast path. The trap
// reason is Reason_intrinsic because it is one MethodData counts per
// method and bytecode and that no putfield or array store uses otherwise.
// Returns the number of stack slots the bytecode popped before the store
// (the trap puts them back), or -1 where not to speculate.
static const Deoptimization::DeoptReason speculation_reason =
  (Deoptimization::DeoptReason)PmemBarrier::speculation_reason();

static int speculation_slots(GraphKit* kit, BasicType bt) {
  if (!ProfileTraps) {
    return -1;   // a failed speculation would not be remembered: trap after trap
  }
  ciMethod* m = kit->method();
  int slots;
  switch (m->java_code_at_bci(kit->bci())) {
    case Bytecodes::_putfield:
      slots = type2size[bt];   // the value; the receiver is popped after the store
      break;
    case Bytecodes::_iastore: case Bytecodes::_lastore: case Bytecodes::_fastore: case Bytecodes::_dastore:
    case Bytecodes::_aastore: case Bytecodes::_bastore: case Bytecodes::_castore: case Bytecodes::_sastore:
      slots = type2size[bt] + 2;   // array, index, value
      break;
    default:
      return -1;   // intrinsics and other stores keep the whole barrier
  }
  ciMethodData* md = m->method_data();
  if (md == NULL || !md->is_mature()) {
    return -1;   // too little profile (-Xcomp, or an early compile): the code need not last
  }
  if (md->trap_count(speculation_reason) > 0 || Compile::current()->too_many_traps(speculation_reason, md)) {
    return -1;   // a store of this method met a persistent object before
  }
  return slots;
}

// The speculated test: true where the object whose address bits are bits
// is volatile. See store_at_resolved for its forms.
static Node* speculated_volatile(GraphKit* kit, Node* bits, BasicType bt) {
  PhaseGVN& gvn = kit->gvn();
  const bool narrow_base = bits->in(1) != NULL && bits->in(1)->Opcode() == Op_DecodeN;
  const int shift = !is_reference_type(bt) && !narrow_base &&
                    is_aligned(PmemHeap::bottom(), (size_t)1 << CardTable::card_shift)
                    ? CardTable::card_shift : 0;
  if (shift > 0) {
    bits = gvn.transform(new URShiftXNode(bits, kit->intcon(shift)));
  }
  Node* cmp = gvn.transform(new CmpULNode(bits, kit->MakeConX((intptr_t)PmemHeap::bottom() >> shift)));
  return gvn.transform(new BoolNode(cmp, BoolTest::lt));
}

// Where volatile_dest fails, the speculation's trap: the code is made not
// entrant, and the bytecode re-executes in the interpreter with the
// barrier. extra_sp: slots the parser popped already and the interpreter
// needs back.
static void trap_unless(GraphKit* kit, Node* volatile_dest, int extra_sp) {
  BuildCutout unless(kit, volatile_dest, PROB_MAX);
  kit->inc_sp(extra_sp);
  kit->uncommon_trap(speculation_reason, Deoptimization::Action_make_not_entrant);
}

void PmemBarrierSetC2::before_field_store(GraphKit* kit, Node* receiver, BasicType bt) {
  if (receiver->Opcode() != Op_DecodeN || speculation_slots(kit, bt) < 0) {
    return;
  }
  const TypeOopPtr* t = kit->gvn().type(receiver)->isa_oopptr();
  if (t != NULL && never_persistent(t->klass())) {
    return;
  }
  // A null receiver tests volatile (narrow 0 is below every bound) and
  // meets its null check next. The stack is whole: the trap re-executes
  // the putfield with nothing to put back.
  trap_unless(kit, speculated_volatile(kit, kit->gvn().transform(new CastP2XNode(NULL, receiver)), bt), 0);
}

Node* PmemBarrierSetC2::store_at_resolved(C2Access& access, C2AccessValue& val) const {
  const BasicType bt = access.type();
  if (!may_be_persistent(access) || !(is_java_primitive(bt) || is_reference_type(bt))) {
    return CardTableBarrierSetC2::store_at_resolved(access, val);
  }
  GraphKit* kit = static_cast<C2ParseAccess&>(access).kit();
  const int slots = speculation_slots(kit, bt);
  if (slots >= 0) {
    // The base is a heap object, and the persistent part ends the heap's
    // reservation: below its bottom is volatile. One compare. When the
    // base was just loaded from a field or element it is (DecodeN n), and
    // pmem_x86_64.ad compares n itself with the narrow bottom: no decode,
    // and an immediate. Otherwise, for a primitive store the base is
    // shifted right by the card shift: bottom >> 9 fits an immediate where
    // bottom does not, so no register holds the constant
    // (fieldStoresPrimitive 935 -> 751 ns). Not for references: their card
    // mark then had to reload the card table base instead
    // (fieldStoresReference 813 -> 842 ns).
    trap_unless(kit, speculated_volatile(kit, test_bits(kit, access), bt), slots);
    if (log_is_enabled(Trace, gc, pmem)) {
      ResourceMark rm;
      log_trace(gc, pmem)("C2: a store at %s@%d speculated volatile", kit->method()->name()->as_utf8(), kit->bci());
    }
    return CardTableBarrierSetC2::store_at_resolved(access, val);
  }
  const bool is_ref = is_reference_type(bt);
  Node* adr_x = address_bits(kit, access);
  Node* bits = is_ref ? kit->longcon(0) : to_bits(kit, bt, val.node());
  Node* ref  = is_ref ? val.node() : kit->null();
  const jint kind = type2aelembytes(bt) | (is_ref ? PmemBarrierSetRuntime::kind_ref : 0);
  auto call_runtime = [&]() {
    Node* call = kit->make_runtime_call(GraphKit::RC_NO_LEAF, store_Type(), _store_stub, "pmem_store",
                                        TypePtr::BOTTOM, holder_of(kit, access), adr_x, kit->top(),
                                        bits, kit->top(), ref, kit->intcon(kind));
    kit->make_slow_call_ex(call, kit->env()->Throwable_klass(), false);
  };

  PmemDiamond d(kit, test_bits(kit, access), NULL);
  Node* store = CardTableBarrierSetC2::store_at_resolved(access, val);
  d.end_fast(NULL);
  if (is_ref || (access.decorators() & (C2_MISMATCHED | C2_UNALIGNED)) != 0) {
    call_runtime();   // a reference is checked; a misaligned access may cross a line
  } else {
    // A persistent destination outside a transaction: the store inline,
    // then its write-back (PmemWritebackC2).
    PmemDiamond outside(kit, PmemWritebackC2::in_txn(kit), PROB_FAIR, NULL);
    CardTableBarrierSetC2::store_at_resolved(access, val);
    PmemWritebackC2::after_store_outside_txn(kit, access, adr_x);
    outside.end_fast(NULL);
    if (may_store_inline_when_logged()) {
      // In a transaction, into bytes it logged already (the usual case for
      // the second and later stores into an object's line): the log holds
      // the old bytes and commit writes these back.
      PmemDiamond logged(kit, outside_logged(kit, adr_x, type2aelembytes(bt)), PROB_FAIR, NULL);
      CardTableBarrierSetC2::store_at_resolved(access, val);
      logged.end_fast(NULL);
      call_runtime();
      logged.end_slow(NULL);
    } else {
      call_runtime();
    }
    outside.end_slow(NULL);
  }
  d.end_slow(NULL);
  // The store is on one arm only: the access fence must not pin a membar to it.
  access.set_raw_access(NULL);
  return store;
}

// The atomic's slow path; fast_result is what the plain atomic produced.
static Node* atomic_slow_path(C2AtomicParseAccess& access, PmemDiamond& d, int op,
                              Node* expected, Node* new_val, const Type* value_type,
                              address prim_stub, address oop_stub, address oop_val_stub) {
  GraphKit* kit = access.kit();
  PhaseGVN& gvn = kit->gvn();
  const BasicType bt = access.type();
  const bool is_ref = access.is_oop();
  const jint kind = type2aelembytes(bt) | (is_ref ? PmemBarrierSetRuntime::kind_ref : 0) |
                    (op << PmemBarrierSetRuntime::kind_op_shift);
  Node* adr_x = address_bits(kit, access);
  Node* call;
  if (is_ref) {
    const bool val = op != PmemBarrierSetRuntime::op_cmpxchg_bool;
    call = kit->make_runtime_call(GraphKit::RC_NO_LEAF, val ? atomic_oop_val_Type() : atomic_oop_Type(),
                                  val ? oop_val_stub : oop_stub, val ? "pmem_atomic_oop_val" : "pmem_atomic_oop",
                                  TypePtr::BOTTOM, holder_of(kit, access), adr_x, kit->top(), new_val,
                                  expected != NULL ? expected : kit->null(), kit->intcon(kind));
  } else {
    Node* ev = expected != NULL ? to_bits(kit, bt, expected) : kit->longcon(0);
    call = kit->make_runtime_call(GraphKit::RC_NO_LEAF, atomic_Type(), prim_stub, "pmem_atomic",
                                  TypePtr::BOTTOM, adr_x, kit->top(), to_bits(kit, bt, new_val), kit->top(),
                                  ev, kit->top(), kit->intcon(kind));
  }
  kit->make_slow_call_ex(call, kit->env()->Throwable_klass(), false);
  Node* r = gvn.transform(new ProjNode(call, TypeFunc::Parms));
  Node* result;
  if (op == PmemBarrierSetRuntime::op_cmpxchg_bool || !(is_ref || bt == T_LONG)) {
    result = gvn.transform(new ConvL2INode(r));
  } else if (bt == T_LONG) {
    result = r;
  } else {
    result = gvn.transform(new CheckCastPPNode(kit->control(), r, value_type));   // r: the vm_result load
  }
  Node* merged = d.end_slow(result);
  access.set_raw_access(NULL);
  return merged;
}

static const Type* atomic_result_type(C2AtomicParseAccess& access, int op, const Type* value_type) {
  if (op == PmemBarrierSetRuntime::op_cmpxchg_bool) return TypeInt::BOOL;
  if (access.is_oop())       return value_type;
  return access.type() == T_LONG ? (const Type*)TypeLong::LONG : (const Type*)TypeInt::INT;
}

#define PMEM_ATOMIC(op, expected, new_val, fast_call)                                      \
  if (!may_be_persistent(access)) {                                                        \
    return fast_call;                                                                      \
  }                                                                                        \
  PmemDiamond d(access.kit(), test_bits(access.kit(), access),                             \
                atomic_result_type(access, op, value_type));                               \
  d.end_fast(fast_call);                                                                   \
  return atomic_slow_path(access, d, op, expected, new_val, value_type,                    \
                          _atomic_stub, _atomic_oop_stub, _atomic_oop_val_stub);

Node* PmemBarrierSetC2::atomic_cmpxchg_val_at_resolved(C2AtomicParseAccess& access, Node* expected_val,
                                                       Node* new_val, const Type* value_type) const {
  PMEM_ATOMIC(PmemBarrierSetRuntime::op_cmpxchg_val, expected_val, new_val,
              CardTableBarrierSetC2::atomic_cmpxchg_val_at_resolved(access, expected_val, new_val, value_type))
}

Node* PmemBarrierSetC2::atomic_cmpxchg_bool_at_resolved(C2AtomicParseAccess& access, Node* expected_val,
                                                        Node* new_val, const Type* value_type) const {
  PMEM_ATOMIC(PmemBarrierSetRuntime::op_cmpxchg_bool, expected_val, new_val,
              CardTableBarrierSetC2::atomic_cmpxchg_bool_at_resolved(access, expected_val, new_val, value_type))
}

Node* PmemBarrierSetC2::atomic_xchg_at_resolved(C2AtomicParseAccess& access, Node* new_val,
                                                const Type* value_type) const {
  PMEM_ATOMIC(PmemBarrierSetRuntime::op_xchg, NULL, new_val,
              CardTableBarrierSetC2::atomic_xchg_at_resolved(access, new_val, value_type))
}

Node* PmemBarrierSetC2::atomic_add_at_resolved(C2AtomicParseAccess& access, Node* new_val,
                                               const Type* value_type) const {
  PMEM_ATOMIC(PmemBarrierSetRuntime::op_add, NULL, new_val,
              CardTableBarrierSetC2::atomic_add_at_resolved(access, new_val, value_type))
}

#undef PMEM_ATOMIC

// The object never exists, so none of its barriers may run: the card
// stores go (as CardTableBarrierSetC2 does it), then address 0, which lies
// below the persistent heap, replaces the cast and folds every range test
// to the volatile path. The card table's own version assumes the cast's
// only use is the card shift; with a range test beside it the cast would
// stay, and process_users_of_allocation would loop on it forever.
void PmemBarrierSetC2::eliminate_gc_barrier(PhaseMacroExpand* macro, Node* node) const {
  assert(node->Opcode() == Op_CastP2X, "CastP2X required");
  Node_List card_uses;
  for (DUIterator_Fast imax, i = node->fast_outs(imax); i < imax; i++) {
    Node* shift = node->fast_out(i);
    if (shift->Opcode() != Op_URShiftX) {
      continue;
    }
    for (DUIterator_Fast jmax, j = shift->fast_outs(jmax); j < jmax; j++) {
      Node* addp = shift->fast_out(j);
      if (!addp->is_AddP()) {
        continue;
      }
      for (DUIterator_Fast kmax, k = addp->fast_outs(kmax); k < kmax; k++) {
        Node* mem = addp->fast_out(k);
        if (mem->is_Store() || (UseCondCardMark && mem->Opcode() == Op_LoadB)) {
          card_uses.push(mem);
        }
      }
    }
  }
  while (card_uses.size() > 0) {
    Node* mem = card_uses.pop();
    if (mem->is_Load()) {
      macro->replace_node(mem, macro->intcon(0));   // card "already dirty" test folds
    } else {
      macro->replace_node(mem, mem->in(MemNode::Memory));
    }
  }
  macro->replace_node(node, LP64_ONLY(macro->longcon(0)) NOT_LP64(macro->intcon(0)));
}

bool PmemBarrierSetC2::array_copy_requires_gc_barriers(bool tightly_coupled_alloc, BasicType type,
                                                       bool is_clone, bool is_clone_instance,
                                                       ArrayCopyPhase phase) const {
  if (phase == Optimization && !tightly_coupled_alloc && !is_clone) {
    return true;
  }
  return CardTableBarrierSetC2::array_copy_requires_gc_barriers(tightly_coupled_alloc, type, is_clone,
                                                                is_clone_instance, phase);
}

// The argument that is the destination array of a guarded intrinsic, or
// -1. All are static, with only int and array arguments before it.
static int guarded_destination(vmIntrinsics::ID id) {
  switch (id) {
    case vmIntrinsics::_compressStringC:      // StringUTF16.compress(char[], int, byte[] dst, int, int)
    case vmIntrinsics::_compressStringB:      // StringUTF16.compress(byte[], int, byte[] dst, int, int)
    case vmIntrinsics::_inflateStringC:       // StringLatin1.inflate(byte[], int, char[] dst, int, int)
    case vmIntrinsics::_inflateStringB:       // StringLatin1.inflate(byte[], int, byte[] dst, int, int)
    case vmIntrinsics::_encodeISOArray:       // ISO_8859_1.Encoder.implEncodeISOArray(char[], int, byte[] dst, ...)
    case vmIntrinsics::_encodeByteISOArray:   // StringCoding.implEncodeISOArray(byte[], int, byte[] dst, ...)
    case vmIntrinsics::_encodeAsciiArray:     // StringCoding.implEncodeAsciiArray(char[], int, byte[] dst, ...)
      return 2;
    case vmIntrinsics::_getCharsStringU:      // StringUTF16.getChars(byte[], int, int, char[] dst, int)
      return 3;
    default:
      return -1;
  }
}

bool PmemBarrierSetC2::guard_intrinsic(GraphKit* kit, vmIntrinsics::ID id) {
  const int dst = guarded_destination(id);
  if (dst < 0) {
    return true;
  }
  if (kit->too_many_traps(speculation_reason)) {
    return false;   // this call site met a persistent destination: the call
  }
  trap_unless(kit, speculated_volatile(kit, kit->gvn().transform(new CastP2XNode(NULL, kit->argument(dst))),
                                       T_BYTE), 0);
  return true;
}

bool PmemBarrierSetC2::writes_without_barrier(vmIntrinsics::ID id) {
  if (guarded_destination(id) >= 0) {
    return false;   // guard_intrinsic
  }
  switch (id) {
    case vmIntrinsics::_copyMemory:
    case vmIntrinsics::_multiplyToLen:
    case vmIntrinsics::_squareToLen:
    case vmIntrinsics::_mulAdd:
    case vmIntrinsics::_montgomeryMultiply:
    case vmIntrinsics::_montgomerySquare:
    case vmIntrinsics::_bigIntegerRightShiftWorker:
    case vmIntrinsics::_bigIntegerLeftShiftWorker:
    case vmIntrinsics::_aescrypt_encryptBlock:
    case vmIntrinsics::_aescrypt_decryptBlock:
    case vmIntrinsics::_cipherBlockChaining_encryptAESCrypt:
    case vmIntrinsics::_cipherBlockChaining_decryptAESCrypt:
    case vmIntrinsics::_electronicCodeBook_encryptAESCrypt:
    case vmIntrinsics::_electronicCodeBook_decryptAESCrypt:
    case vmIntrinsics::_counterMode_AESCrypt:
    case vmIntrinsics::_md5_implCompress:
    case vmIntrinsics::_sha_implCompress:
    case vmIntrinsics::_sha2_implCompress:
    case vmIntrinsics::_sha5_implCompress:
    case vmIntrinsics::_sha3_implCompress:
    case vmIntrinsics::_digestBase_implCompressMB:
    case vmIntrinsics::_base64_encodeBlock:
    case vmIntrinsics::_base64_decodeBlock:
    case vmIntrinsics::_ghash_processBlocks:
    case vmIntrinsics::_VectorStoreOp:
    case vmIntrinsics::_VectorScatterOp:
      return true;
    default:
      return false;
  }
}
