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


#ifndef SHARE_GC_PMEM_C2_PMEMDIAMONDC2_HPP
#define SHARE_GC_PMEM_C2_PMEMDIAMONDC2_HPP

#include "gc/pmem/pmemHeap.hpp"
#include "opto/cfgnode.hpp"
#include "opto/graphKit.hpp"
#include "opto/subnode.hpp"

// Builds   if (test_x in the persistent heap) slow else fast   (or any
// other test that picks the slow arm) and merges control, memory, i/o and
// an optional result after both are emitted. The caller emits the fast
// path, calls end_fast, emits the slow path (which may throw), then calls
// end_slow.
class PmemDiamond : public StackObj {
  GraphKit*   _kit;
  RegionNode* _region;
  PhiNode*    _mem;
  PhiNode*    _io;
  PhiNode*    _result;
  Node*       _slow_ctl;
  Node*       _mem_before;
  Node*       _io_before;

  void add(uint i, Node* result) {
    _region->init_req(i, _kit->control());
    _mem->init_req(i, _kit->reset_memory());
    _io->init_req(i, _kit->i_o());
    if (_result != NULL) {
      _result->init_req(i, result);
    }
  }

public:
  // True where test_x lies in the persistent heap.
  static Node* in_pmem(GraphKit* kit, Node* test_x) {
    PhaseGVN& gvn = kit->gvn();
    Node* off = gvn.transform(new SubXNode(test_x, kit->MakeConX((intptr_t)PmemHeap::bottom())));
    Node* size = kit->MakeConX((intptr_t)PmemHeap::max_size_in_bytes());   // it may grow
    Node* cmp = gvn.transform(new CmpULNode(off, size));
    return gvn.transform(new BoolNode(cmp, BoolTest::lt));
  }

  PmemDiamond(GraphKit* kit, Node* test_x, const Type* result_type) :
    PmemDiamond(kit, in_pmem(kit, test_x), PROB_UNLIKELY_MAG(3), result_type) {}

  PmemDiamond(GraphKit* kit, Node* slow_test, float slow_prob, const Type* result_type) : _kit(kit) {
    PhaseGVN& gvn = kit->gvn();
    IfNode* iff = kit->create_and_map_if(kit->control(), slow_test, slow_prob, COUNT_UNKNOWN);
    _slow_ctl = gvn.transform(new IfTrueNode(iff));
    kit->set_control(gvn.transform(new IfFalseNode(iff)));
    _mem_before = kit->reset_memory();
    kit->set_all_memory(_mem_before);
    _io_before = kit->i_o();
    _region = new RegionNode(3);
    _mem = new PhiNode(_region, Type::MEMORY, TypePtr::BOTTOM);
    _io = new PhiNode(_region, Type::ABIO);
    _result = result_type != NULL ? new PhiNode(_region, result_type) : NULL;
  }

  void end_fast(Node* result) {
    add(1, result);
    _kit->set_control(_slow_ctl);
    _kit->set_all_memory(_mem_before);
    _kit->set_i_o(_io_before);
  }

  Node* end_slow(Node* result) {
    add(2, result);
    PhaseGVN& gvn = _kit->gvn();
    _kit->set_control(gvn.transform(_region));
    _kit->set_all_memory(gvn.transform(_mem));
    _kit->set_i_o(gvn.transform(_io));
    return _result != NULL ? gvn.transform(_result) : NULL;
  }
};

#endif // SHARE_GC_PMEM_C2_PMEMDIAMONDC2_HPP
