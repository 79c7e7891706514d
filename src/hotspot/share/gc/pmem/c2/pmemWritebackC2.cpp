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
#include "ci/ciField.hpp"
#include "ci/ciStreams.hpp"
#include "gc/pmem/c2/pmemDiamondC2.hpp"
#include "gc/pmem/c2/pmemWritebackC2.hpp"
#include "gc/pmem/pmemThreadLocalData.hpp"
#include "gc/pmem/pmemWriteback.hpp"
#include "gc/shared/c2/barrierSetC2.hpp"
#include "logging/log.hpp"
#include "opto/addnode.hpp"
#include "opto/castnode.hpp"
#include "opto/matcher.hpp"
#include "opto/memnode.hpp"
#include "opto/mulnode.hpp"
#include "opto/parse.hpp"
#include "opto/runtime.hpp"
#include "runtime/interfaceSupport.inline.hpp"

bool PmemWritebackC2::by_instructions() {
  return PmemWriteback::by_instructions() && Matcher::has_match_rule(Op_CacheWB) &&
         Matcher::has_match_rule(Op_CacheWBPostSync);
}

const TypeFunc* PmemWritebackC2::leaf_Type() {
  const Type** fields = TypeTuple::fields(3);
  fields[TypeFunc::Parms + 0] = TypeRawPtr::BOTTOM;
  fields[TypeFunc::Parms + 1] = TypeLong::LONG;
  fields[TypeFunc::Parms + 2] = Type::HALF;
  const TypeTuple* domain = TypeTuple::make(TypeFunc::Parms + 3, fields);
  return TypeFunc::make(domain, TypeTuple::make(TypeFunc::Parms, TypeTuple::fields(0)));
}

Node* PmemWritebackC2::thread_word(GraphKit* kit, ByteSize offset) {
  PhaseGVN& gvn = kit->gvn();
  Node* thread = gvn.transform(new ThreadLocalNode());
  Node* adr = kit->basic_plus_adr(kit->top(), thread, in_bytes(offset));
  return kit->make_load(kit->control(), adr, TypeX_X, TypeX_X->basic_type(), Compile::AliasIdxRaw,
                        MemNode::unordered);
}

Node* PmemWritebackC2::in_txn(GraphKit* kit) {
  PhaseGVN& gvn = kit->gvn();
  Node* flag = thread_word(kit, PmemThreadLocalData::in_txn_offset());
  return gvn.transform(new BoolNode(gvn.transform(new CmpXNode(flag, kit->MakeConX(0))), BoolTest::ne));
}

// Where write-backs are simulated, counted or done by msync.
static void pmem_c2_persist(void* addr, jlong len);
JRT_LEAF(void, pmem_c2_persist(void* addr, jlong len))
  PmemWriteback::persist(addr, (size_t)len);
  // (Tests count these to see stores in one line share a write-back.)
  log_trace(gc, pmem)("Compiled store written back at " PTR_FORMAT, p2i(addr));
JRT_END

// Writes back and fences the line of adr_x. Both nodes take and make all
// of memory: the store before them, in its own slice, stays before them.
// The line's address is adr_x & -64: a CastX2P of CastP2X(base) + offset
// would fold into a pointer derived from base with no base of its own,
// which GC could meet live across the runtime call of the other arm.
static void write_back(GraphKit* kit, Node* adr_x) {
  if (PmemWriteback::fences_only()) {
    return;
  }
  PhaseGVN& gvn = kit->gvn();
  Node* line_x = gvn.transform(new AndXNode(adr_x, kit->MakeConX(-(intptr_t)PmemFormat::cache_line)));
  Node* adr = gvn.transform(new CastX2PNode(line_x));
  if (PmemWritebackC2::by_instructions()) {
    Node* wb = gvn.transform(new CacheWBNode(kit->control(), kit->reset_memory(), adr));
    kit->set_all_memory(wb);
    Node* sync = gvn.transform(new CacheWBPostSyncNode(kit->control(), kit->reset_memory()));
    kit->set_all_memory(sync);
  } else {
    kit->make_runtime_call(GraphKit::RC_LEAF | GraphKit::RC_NO_IO, PmemWritebackC2::leaf_Type(),
                           CAST_FROM_FN_PTR(address, pmem_c2_persist), "pmem_persist",
                           TypePtr::BOTTOM, adr, kit->longcon(PmemFormat::cache_line), kit->top());
  }
}

// write_back, unless adr_x lies above the mark of the thread's own
// deferred buffer (PmemDeferred::store_waits, whose test this is): in the
// range, then a StoreLoad fence, then its lower bound again, which a
// raise by another thread may have moved past adr_x meanwhile. The range
// is an object's bytes whole (a raise ends at an object's end), so the
// store's first byte decides.
static void write_back_unless_deferred(GraphKit* kit, Node* adr_x) {
  if (PmemWriteback::fences_only()) {
    return;
  }
  PhaseGVN& gvn = kit->gvn();
  Node* lo = PmemWritebackC2::thread_word(kit, PmemThreadLocalData::defer_lo_offset());
  Node* hi = PmemWritebackC2::thread_word(kit, PmemThreadLocalData::defer_hi_offset());
  Node* off = gvn.transform(new SubXNode(adr_x, lo));
  Node* span = gvn.transform(new SubXNode(hi, lo));
  Node* in = gvn.transform(new BoolNode(gvn.transform(new CmpULNode(off, span)), BoolTest::lt));
  PmemDiamond deferred(kit, in, PROB_FAIR, NULL);
  write_back(kit, adr_x);
  deferred.end_fast(NULL);
  kit->insert_mem_bar(Op_MemBarVolatile);
  Node* lo_again = PmemWritebackC2::thread_word(kit, PmemThreadLocalData::defer_lo_offset());
  Node* raised = gvn.transform(new BoolNode(gvn.transform(new CmpULNode(adr_x, lo_again)), BoolTest::lt));
  PmemDiamond waits(kit, raised, PROB_UNLIKELY_MAG(3), NULL);
  waits.end_fast(NULL);
  write_back(kit, adr_x);
  waits.end_slow(NULL);
  deferred.end_slow(NULL);
}

// Bytecodes that push a primitive computed from locals and constants, and
// can neither throw, call, trap nor branch.
static bool pushes_quietly(Bytecodes::Code c) {
  switch (c) {
    case Bytecodes::_iconst_m1: case Bytecodes::_iconst_0: case Bytecodes::_iconst_1:
    case Bytecodes::_iconst_2:  case Bytecodes::_iconst_3: case Bytecodes::_iconst_4:
    case Bytecodes::_iconst_5:  case Bytecodes::_lconst_0: case Bytecodes::_lconst_1:
    case Bytecodes::_fconst_0:  case Bytecodes::_fconst_1: case Bytecodes::_fconst_2:
    case Bytecodes::_dconst_0:  case Bytecodes::_dconst_1:
    case Bytecodes::_bipush:    case Bytecodes::_sipush:    case Bytecodes::_ldc2_w:
    case Bytecodes::_iload:   case Bytecodes::_lload:   case Bytecodes::_fload:   case Bytecodes::_dload:
    case Bytecodes::_iload_0: case Bytecodes::_iload_1: case Bytecodes::_iload_2: case Bytecodes::_iload_3:
    case Bytecodes::_lload_0: case Bytecodes::_lload_1: case Bytecodes::_lload_2: case Bytecodes::_lload_3:
    case Bytecodes::_fload_0: case Bytecodes::_fload_1: case Bytecodes::_fload_2: case Bytecodes::_fload_3:
    case Bytecodes::_dload_0: case Bytecodes::_dload_1: case Bytecodes::_dload_2: case Bytecodes::_dload_3:
    case Bytecodes::_iadd: case Bytecodes::_ladd: case Bytecodes::_isub: case Bytecodes::_lsub:
    case Bytecodes::_imul: case Bytecodes::_lmul: case Bytecodes::_ineg: case Bytecodes::_lneg:
    case Bytecodes::_ishl: case Bytecodes::_lshl: case Bytecodes::_ishr: case Bytecodes::_lshr:
    case Bytecodes::_iushr: case Bytecodes::_lushr: case Bytecodes::_iand: case Bytecodes::_land:
    case Bytecodes::_ior: case Bytecodes::_lor: case Bytecodes::_ixor: case Bytecodes::_lxor:
    case Bytecodes::_i2l: case Bytecodes::_i2f: case Bytecodes::_i2d: case Bytecodes::_l2i:
    case Bytecodes::_l2f: case Bytecodes::_l2d: case Bytecodes::_f2i: case Bytecodes::_f2l:
    case Bytecodes::_f2d: case Bytecodes::_d2i: case Bytecodes::_d2l: case Bytecodes::_d2f:
    case Bytecodes::_i2b: case Bytecodes::_i2c: case Bytecodes::_i2s:
      return true;
    default:
      return false;
  }
}

static int aload_index(ciBytecodeStream& s) {
  switch (s.cur_bc()) {
    case Bytecodes::_aload_0: return 0;
    case Bytecodes::_aload_1: return 1;
    case Bytecodes::_aload_2: return 2;
    case Bytecodes::_aload_3: return 3;
    case Bytecodes::_aload:   return s.get_index();
    default:                  return -1;
  }
}

// The offset of the next putfield of a primitive into base if the
// bytecodes from the current putfield's successor to it are
//   aload n (n holds base), then pushes_quietly..., then that putfield
// all in the parser's current block; -1 otherwise.
static int next_put_offset(Parse* p, Node* base) {
  if (p->bc() != Bytecodes::_putfield) {
    return -1;
  }
  ciBytecodeStream s(p->method());
  s.reset_to_bci(p->iter().next_bci());
  const int limit = p->block()->limit();
  if (s.next() == ciBytecodeStream::EOBC() || s.cur_bci() >= limit) {
    return -1;
  }
  const int n = aload_index(s);
  if (n < 0 || n >= (int)p->jvms()->loc_size() || p->local(n)->uncast() != base->uncast()) {
    return -1;
  }
  for (int pushes = 0; pushes < 8; pushes++) {
    const Bytecodes::Code c = s.next();
    if (c == ciBytecodeStream::EOBC() || s.cur_bci() >= limit) {
      return -1;
    }
    if (c == Bytecodes::_putfield) {
      bool will_link;
      ciField* f = s.get_field(will_link);
      if (!will_link || f->is_static() || f->is_volatile() || !is_java_primitive(f->layout_type())) {
        return -1;
      }
      return f->offset_in_bytes();
    }
    if (!pushes_quietly(c)) {
      return -1;
    }
  }
  return -1;
}

// The constant offset of a putfield's address from base, or -1.
static intptr_t field_offset(C2Access& access, Node* base) {
  Node* adr = access.addr().node();
  if (!adr->is_AddP() || adr->in(AddPNode::Base) != base || adr->in(AddPNode::Address) != base) {
    return -1;
  }
  return adr->in(AddPNode::Offset)->find_intptr_t_con(-1);
}

void PmemWritebackC2::after_store_outside_txn(GraphKit* kit, C2Access& access, Node* adr_x) {
  Parse* p = kit->is_Parse();
  Node* base = access.base();
  const intptr_t off = p != NULL && base != NULL ? field_offset(access, base) : -1;
  const int next = off >= 0 ? next_put_offset(p, base) : -1;
  const intptr_t line = (intptr_t)PmemFormat::cache_line;
  if (next < 0 || next - off >= line || off - next >= line) {
    write_back_unless_deferred(kit, adr_x);
    return;
  }
  // The next store may be in this line: then it writes it back.
  PhaseGVN& gvn = kit->gvn();
  Node* next_x = gvn.transform(new AddXNode(gvn.transform(new CastP2XNode(NULL, base)), kit->MakeConX(next)));
  Node* lines = gvn.transform(new XorXNode(adr_x, next_x));
  Node* apart = gvn.transform(new URShiftXNode(lines, kit->intcon(exact_log2(PmemFormat::cache_line))));
  Node* test = gvn.transform(new BoolNode(gvn.transform(new CmpXNode(apart, kit->MakeConX(0))), BoolTest::ne));
  PmemDiamond d(kit, test, PROB_UNLIKELY(0.2), NULL);
  d.end_fast(NULL);
  write_back_unless_deferred(kit, adr_x);
  d.end_slow(NULL);
}
