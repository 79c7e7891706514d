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
#include "gc/pmem/pmemBarrierSet.hpp"
#include "gc/pmem/pmemDeferred.hpp"
#include "gc/pmem/pmemThreadLocalData.hpp"
#include "gc/pmem/pmemTxn.hpp"
#include "gc/shared/barrierSetAssembler.hpp"
#include CPU_HEADER(gc/pmem/pmemBarrierSetAssembler)
#ifdef COMPILER1
#include "gc/pmem/c1/pmemBarrierSetC1.hpp"
#endif
#ifdef COMPILER2
#include "gc/pmem/c2/pmemBarrierSetC2.hpp"
#endif

PmemBarrierSet::PmemBarrierSet(CardTable* card_table) :
  CardTableBarrierSet(make_barrier_set_assembler<PmemBarrierSetAssembler>(),
                      make_barrier_set_c1<PmemBarrierSetC1>(),
                      make_barrier_set_c2<PmemBarrierSetC2>(),
                      card_table,
                      BarrierSet::FakeRtti(BarrierSet::CardTableBarrierSet)) {}

void PmemBarrierSet::on_thread_create(Thread* thread) {
  CardTableBarrierSet::on_thread_create(thread);
  PmemThreadLocalData::create(thread);
}

// A thread that ends inside a transaction undoes it here, under
// Threads_lock and before it leaves the thread list: until then a
// collection sees its log among the roots, so what the undo writes into and
// puts back is still there. (on_thread_destroy can come much later.)
void PmemBarrierSet::on_thread_detach(Thread* thread) {
  PmemTxn* txn = PmemThreadLocalData::txn(thread);
  if (txn != NULL) {
    txn->abort_all();
    txn->detach();
  }
  PmemDeferred::detach(thread);   // its objects stay deferred until linked or collected
  CardTableBarrierSet::on_thread_detach(thread);
}

void PmemBarrierSet::on_thread_destroy(Thread* thread) {
  PmemTxn* txn = PmemThreadLocalData::txn(thread);
  if (txn != NULL) {
    PmemThreadLocalData::set_txn(thread, NULL);
    delete txn;
  }
  CardTableBarrierSet::on_thread_destroy(thread);
}
