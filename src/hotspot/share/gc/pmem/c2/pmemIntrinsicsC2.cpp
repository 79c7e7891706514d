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
#include "ci/ciArrayKlass.hpp"
#include "ci/ciInstance.hpp"
#include "gc/pmem/c2/pmemDiamondC2.hpp"
#include "gc/pmem/c2/pmemIntrinsicsC2.hpp"
#include "gc/pmem/c2/pmemWritebackC2.hpp"
#include "gc/pmem/pmemFormat.hpp"
#include "gc/pmem/pmemInlineAlloc.hpp"
#include "gc/pmem/pmemThreadLocalData.hpp"
#include "gc/pmem/pmemRedirect.hpp"
#include "gc/shared/tlab_globals.hpp"
#include "gc/pmem/pmemTxn.hpp"
#include "gc/pmem/pmemWriteback.hpp"
#include "oops/arrayOop.hpp"
#include "oops/klass.hpp"
#include "opto/addnode.hpp"
#include "opto/castnode.hpp"
#include "opto/cfgnode.hpp"
#include "opto/convertnode.hpp"
#include "opto/library_call.hpp"
#include "opto/memnode.hpp"
#include "opto/mulnode.hpp"
#include "opto/runtime.hpp"
#include "opto/subnode.hpp"

static const TypeFunc* bool_leaf_Type() {
  const TypeTuple* domain = TypeTuple::make(TypeFunc::Parms, TypeTuple::fields(0));
  const Type** fields = TypeTuple::fields(1);
  fields[TypeFunc::Parms] = TypeInt::BOOL;
  return TypeFunc::make(domain, TypeTuple::make(TypeFunc::Parms + 1, fields));
}

// begin and commit change what the barrier's runtime does with every
// persistent store, so the call orders all memory around it.
static Node* txn_call(LibraryCallKit* kit, address fn, const char* name) {
  Node* call = kit->make_runtime_call(GraphKit::RC_LEAF, bool_leaf_Type(), fn, name, TypePtr::BOTTOM);
  return kit->gvn().transform(new ProjNode(call, TypeFunc::Parms));
}

static Node* raw_adr(LibraryCallKit* kit, Node* base, ByteSize offset) {
  return kit->basic_plus_adr(kit->top(), base, in_bytes(offset));
}

static Node* raw_load(LibraryCallKit* kit, Node* adr, const Type* t, BasicType bt) {
  return kit->make_load(kit->control(), adr, t, bt, MemNode::unordered);
}

static void raw_store(LibraryCallKit* kit, Node* adr, Node* val, BasicType bt,
                      MemNode::MemOrd mo = MemNode::unordered) {
  kit->store_to_memory(kit->control(), adr, val, bt, Compile::AliasIdxRaw, mo);
}

// The stores of PmemTxn::emit_inline_end, as C2 nodes.
struct C2InlineEnd {
  LibraryCallKit* kit;
  Node* txn;
  Node* thread;
  void store_txn_int(ByteSize off, jint v) {
    raw_store(kit, raw_adr(kit, txn, off), kit->intcon(v), T_INT);
  }
  void store_txn_null(ByteSize off) {
    raw_store(kit, raw_adr(kit, txn, off), kit->makecon(TypeRawPtr::NULL_PTR), T_ADDRESS);
  }
  void store_thread_zero(ByteSize off) {
    raw_store(kit, raw_adr(kit, thread, off), kit->MakeConX(0), TypeX_X->basic_type());
  }
  void copy_thread_word(ByteSize from, ByteSize to) {
    Node* v = raw_load(kit, raw_adr(kit, thread, from), TypeRawPtr::BOTTOM, T_ADDRESS);
    raw_store(kit, raw_adr(kit, thread, to), v, T_ADDRESS);
  }
  void release_slot(ByteSize slot_off, address flags_addr) {
    Node* slot = raw_load(kit, raw_adr(kit, txn, slot_off), TypeInt::INT, T_INT);
    Node* flags = raw_load(kit, kit->makecon(TypeRawPtr::make(flags_addr)), TypeRawPtr::BOTTOM, T_ADDRESS);
    Node* flag_adr = kit->basic_plus_adr(kit->top(), flags, kit->ConvI2L(slot));
    raw_store(kit, raw_adr(kit, txn, slot_off), kit->intcon(-1), T_INT);
    raw_store(kit, flag_adr, kit->intcon(0), T_BYTE, MemNode::release);
  }
};

// txnCommitFast0: an outermost transaction that has nothing to write back
// or retire (PmemTxn::_work is 0, nothing allocated in the buffer since
// begin) ends here without a call, with the stores of
// PmemTxn::emit_inline_end (those of finish() it needs).
// Anything else (nested level, log entries, new objects, no PmemTxn) is
// the leaf call of fast_commit. No store to persistent memory happened in
// such a transaction (each would have been logged or fresh), so nothing
// needs ordering against the end but the barrier's own in_txn test, which
// reads the raw slice these stores write.
static Node* inline_commit(LibraryCallKit* kit) {
  PhaseGVN& gvn = kit->gvn();
  const address fn = CAST_FROM_FN_PTR(address, PmemTxn::fast_commit);
  Node* thread = gvn.transform(new ThreadLocalNode());
  Node* txn = raw_load(kit, raw_adr(kit, thread, PmemThreadLocalData::txn_offset()), TypeRawPtr::BOTTOM, T_ADDRESS);
  Node* txn_x = gvn.transform(new CastP2XNode(NULL, txn));
  Node* no_txn = gvn.transform(new BoolNode(gvn.transform(new CmpXNode(txn_x, kit->MakeConX(0))), BoolTest::eq));
  PmemDiamond have(kit, no_txn, PROB_UNLIKELY_MAG(4), TypeInt::BOOL);

  Node* depth = raw_load(kit, raw_adr(kit, txn, PmemTxn::depth_offset()), TypeInt::INT, T_INT);
  Node* work = raw_load(kit, raw_adr(kit, txn, PmemTxn::work_offset()), TypeInt::INT, T_INT);
  Node* from = raw_load(kit, raw_adr(kit, txn, PmemTxn::open_from_offset()), TypeRawPtr::BOTTOM, T_ADDRESS);
  Node* top = raw_load(kit, raw_adr(kit, thread, PmemThreadLocalData::buffer_top_offset()), TypeRawPtr::BOTTOM, T_ADDRESS);
  // (depth ^ 1) | work | (open_from ^ top): zero exactly when commit has nothing to do.
  Node* busy = gvn.transform(new OrINode(gvn.transform(new XorINode(depth, kit->intcon(1))), work));
  Node* moved = gvn.transform(new XorXNode(gvn.transform(new CastP2XNode(NULL, from)),
                                           gvn.transform(new CastP2XNode(NULL, top))));
  busy = gvn.transform(new OrXNode(kit->ConvI2L(busy), moved));
  Node* call_needed = gvn.transform(new BoolNode(gvn.transform(new CmpXNode(busy, kit->MakeConX(0))), BoolTest::ne));
  PmemDiamond empty(kit, call_needed, PROB_FAIR, TypeInt::BOOL);

  C2InlineEnd end = { kit, txn, thread };
  PmemTxn::emit_inline_end(end);
  empty.end_fast(kit->intcon(1));
  Node* r = empty.end_slow(txn_call(kit, fn, "pmem_txn_commit"));
  have.end_fast(r);
  return have.end_slow(txn_call(kit, fn, "pmem_txn_commit"));
}

// The class behind a constant mirror, if it is loaded and not primitive.
static ciKlass* constant_class(LibraryCallKit* kit, Node* mirror) {
  const TypeInstPtr* t = kit->gvn().type(mirror)->isa_instptr();
  if (t == NULL || t->const_oop() == NULL) {
    return NULL;
  }
  return PmemInlineAlloc::class_of_mirror(t->const_oop()->as_instance());
}

static Node* inline_alloc(LibraryCallKit* kit, bool is_array) {
  ciKlass* k = constant_class(kit, kit->argument(0));
  PmemInlineAlloc plan;
  if (!plan.plan(k, is_array)) {
    return NULL;
  }
  const int header = plan.header, log2_elem = plan.log2_elem;
  const jint max_len = plan.max_len, size = plan.size;
  // Arrays: is the length known to be fine, or must it be tested?
  bool test_length = false;
  if (is_array) {
    const TypeInt* lt = kit->gvn().type(kit->argument(1))->is_int();
    if (lt->_hi < 0 || lt->_lo > max_len) {
      return NULL;   // known to be negative or large: the native path
    }
    test_length = lt->_lo < 0 || lt->_hi > max_len;
  }

  PhaseGVN& gvn = kit->gvn();
  RegionNode* region = new RegionNode(test_length ? 4 : 3);   // 1: done, 2: no room, 3: length
  const TypeOopPtr* exact = TypeOopPtr::make_from_klass(k)->cast_to_exactness(true)->is_oopptr();
  const TypeOopPtr* obj_type = exact->cast_to_ptr_type(TypePtr::NotNull)->is_oopptr();
  PhiNode* result = new PhiNode(region, exact->cast_to_ptr_type(TypePtr::BotPTR));
  PhiNode* raw_mem = new PhiNode(region, Type::MEMORY, TypeRawPtr::BOTTOM);
  Node* raw_before = kit->memory(Compile::AliasIdxRaw);

  Node* size_x;
  Node* len = NULL;
  if (is_array) {
    len = kit->argument(1);
    if (test_length) {
      // 0 <= len <= max_len, in one unsigned compare.
      Node* bad = gvn.transform(new BoolNode(gvn.transform(new CmpUNode(len, kit->intcon(max_len))), BoolTest::gt));
      IfNode* iff = kit->create_and_map_if(kit->control(), bad, PROB_UNLIKELY_MAG(4), COUNT_UNKNOWN);
      region->init_req(3, gvn.transform(new IfTrueNode(iff)));
      result->init_req(3, kit->null());
      raw_mem->init_req(3, raw_before);
      kit->set_control(gvn.transform(new IfFalseNode(iff)));
    }
    Node* bytes = gvn.transform(new LShiftXNode(gvn.transform(new ConvI2LNode(len)), kit->intcon(log2_elem)));
    bytes = gvn.transform(new AddXNode(bytes, kit->MakeConX(header + MinObjAlignmentInBytes - 1)));
    size_x = gvn.transform(new AndXNode(bytes, kit->MakeConX(-(intptr_t)MinObjAlignmentInBytes)));
  } else {
    size_x = kit->MakeConX(size);
  }

  // top and end of the thread's buffer (both NULL when it has none).
  Node* thread = gvn.transform(new ThreadLocalNode());
  Node* top_adr = kit->basic_plus_adr(kit->top(), thread, in_bytes(PmemThreadLocalData::buffer_top_offset()));
  Node* end_adr = kit->basic_plus_adr(kit->top(), thread, in_bytes(PmemThreadLocalData::buffer_end_offset()));
  Node* top = kit->make_load(kit->control(), top_adr, TypeRawPtr::BOTTOM, T_ADDRESS, MemNode::unordered);
  Node* end = kit->make_load(kit->control(), end_adr, TypeRawPtr::BOTTOM, T_ADDRESS, MemNode::unordered);
  Node* top_x = gvn.transform(new CastP2XNode(NULL, top));
  // A header must not cross a cache line (PmemAllocator::allocate): when
  // top is a line's last word, the object starts one word on. Branch-free:
  // (((top & 63) + 8) >> 6) << 3 is 8 there and 0 elsewhere.
  Node* in_line = gvn.transform(new AndXNode(top_x, kit->MakeConX(PmemFormat::cache_line - 1)));
  Node* pad = gvn.transform(new AddXNode(in_line, kit->MakeConX(HeapWordSize)));
  pad = gvn.transform(new URShiftXNode(pad, kit->intcon(exact_log2(PmemFormat::cache_line))));
  pad = gvn.transform(new LShiftXNode(pad, kit->intcon(LogHeapWordSize)));
  Node* obj_x = gvn.transform(new AddXNode(top_x, pad));
  Node* new_top_x = gvn.transform(new AddXNode(obj_x, size_x));
  Node* end_x = gvn.transform(new CastP2XNode(NULL, end));
  Node* room = gvn.transform(new BoolNode(gvn.transform(new CmpULNode(new_top_x, end_x)), BoolTest::le));
  IfNode* iff = kit->create_and_map_if(kit->control(), room, PROB_LIKELY_MAG(3), COUNT_UNKNOWN);
  region->init_req(2, gvn.transform(new IfFalseNode(iff)));
  result->init_req(2, kit->null());
  raw_mem->init_req(2, raw_before);
  kit->set_control(gvn.transform(new IfTrueNode(iff)));

  // The stores, in the order the heap walker relies on: top, then the
  // mark word, the length, the klass, all in the header's one line.
  Node* obj = gvn.transform(new CastX2PNode(obj_x));
  kit->store_to_memory(kit->control(), top_adr, gvn.transform(new CastX2PNode(new_top_x)), T_ADDRESS,
                       Compile::AliasIdxRaw, MemNode::unordered);
  kit->store_to_memory(kit->control(), kit->basic_plus_adr(kit->top(), obj, oopDesc::mark_offset_in_bytes()),
                       kit->MakeConX(markWord::prototype().value()), TypeX_X->basic_type(),
                       Compile::AliasIdxRaw, MemNode::unordered);
  if (is_array) {
    kit->store_to_memory(kit->control(), kit->basic_plus_adr(kit->top(), obj, arrayOopDesc::length_offset_in_bytes()),
                         len, T_INT, Compile::AliasIdxRaw, MemNode::unordered);
  }
  kit->store_to_memory(kit->control(), kit->basic_plus_adr(kit->top(), obj, oopDesc::klass_offset_in_bytes()),
                       kit->makecon(TypeKlassPtr::make(k)), T_METADATA, Compile::AliasIdxRaw, MemNode::release);
  if (PmemWriteback::fences_only()) {
    // Nothing to write back: the header is durable once visible.
  } else {
    // In a fresh range of the open transaction's log (PmemTxn::covers):
    // nothing to write back. Outside a transaction, in a deferred buffer
    // (PmemDeferred): written back when it becomes reachable. Else the
    // leaf decides: in a transaction it logs a fresh range for the buffer;
    // outside one it claims a slot for the buffer's rest (the first
    // allocation after a transaction) or writes the object back. Raw
    // memory only, as the rest of this path: the leaf writes the log, the
    // slot table and thread words, no Java memory.
    Node* raw = kit->memory(Compile::AliasIdxRaw);
    RegionNode* wb_region = new RegionNode(4);
    PhiNode* wb_mem = new PhiNode(wb_region, Type::MEMORY, TypeRawPtr::BOTTOM);
    Node* fresh_end = PmemWritebackC2::thread_word(kit, PmemThreadLocalData::fresh_end_offset());
    Node* covered = gvn.transform(new BoolNode(gvn.transform(new CmpXNode(fresh_end, kit->MakeConX(0))),
                                               BoolTest::ne));
    IfNode* cov_if = kit->create_and_map_if(kit->control(), covered, PROB_FAIR, COUNT_UNKNOWN);
    wb_region->init_req(1, gvn.transform(new IfTrueNode(cov_if)));
    wb_mem->init_req(1, raw);
    kit->set_control(gvn.transform(new IfFalseNode(cov_if)));
    RegionNode* leaf_region = new RegionNode(3);
    IfNode* txn_if = kit->create_and_map_if(kit->control(), PmemWritebackC2::in_txn(kit), PROB_FAIR, COUNT_UNKNOWN);
    leaf_region->init_req(1, gvn.transform(new IfTrueNode(txn_if)));
    kit->set_control(gvn.transform(new IfFalseNode(txn_if)));
    Node* slot = PmemWritebackC2::thread_word(kit, PmemThreadLocalData::defer_slot_offset());
    Node* deferred = gvn.transform(new BoolNode(gvn.transform(new CmpXNode(slot, kit->MakeConX(0))), BoolTest::ge));
    IfNode* def_if = kit->create_and_map_if(kit->control(), deferred, PROB_LIKELY_MAG(2), COUNT_UNKNOWN);
    wb_region->init_req(2, gvn.transform(new IfTrueNode(def_if)));
    wb_mem->init_req(2, raw);
    leaf_region->init_req(2, gvn.transform(new IfFalseNode(def_if)));
    kit->set_control(gvn.transform(leaf_region));
    kit->set_memory(raw, Compile::AliasIdxRaw);
    kit->make_runtime_call(GraphKit::RC_LEAF | GraphKit::RC_NO_IO | GraphKit::RC_NARROW_MEM,
                           PmemWritebackC2::leaf_Type(), CAST_FROM_FN_PTR(address, PmemInlineAlloc::allocated),
                           "pmem_allocated", TypeRawPtr::BOTTOM, obj, size_x, kit->top());
    wb_region->init_req(3, kit->control());
    wb_mem->init_req(3, kit->memory(Compile::AliasIdxRaw));
    kit->set_control(gvn.transform(wb_region));
    kit->set_memory(gvn.transform(wb_mem), Compile::AliasIdxRaw);
  }
  region->init_req(1, kit->control());
  result->init_req(1, gvn.transform(new CheckCastPPNode(kit->control(), obj, obj_type)));
  raw_mem->init_req(1, kit->memory(Compile::AliasIdxRaw));

  kit->set_control(gvn.transform(region));
  kit->set_memory(gvn.transform(raw_mem), Compile::AliasIdxRaw);
  return gvn.transform(result);
}

Node* PmemIntrinsicsC2::inline_intrinsic(LibraryCallKit* kit, vmIntrinsics::ID id) {
  switch (id) {
    case vmIntrinsics::_pmem_pnewFast:      return inline_alloc(kit, false);
    case vmIntrinsics::_pmem_pmakeFast:     return inline_alloc(kit, true);
    case vmIntrinsics::_pmem_txnBeginFast:
      return txn_call(kit, CAST_FROM_FN_PTR(address, PmemTxn::fast_begin), "pmem_txn_begin");
    case vmIntrinsics::_pmem_txnCommitFast:
      return inline_commit(kit);
    default:
      return NULL;
  }
}
