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


#ifndef SHARE_GC_PMEM_PMEMTXN_HPP
#define SHARE_GC_PMEM_PMEMTXN_HPP

#include "gc/pmem/pmemLog.hpp"
#include "memory/allocation.hpp"
#include "runtime/thread.hpp"
#include "utilities/growableArray.hpp"

// A thread's failure-atomic transaction (Pmem.txn). Nested transactions
// flatten into the outermost one, which alone makes the stores durable;
// each level keeps a savepoint so that an exception escaping a nested body
// undoes just that body's stores, and the enclosing body may go on.
//
// Stores are undo-logged once per location and level (a small volatile set
// remembers what is logged); objects allocated inside need no logging and
// are written back whole at commit.
class PmemTxn : public CHeapObj<mtGC> {
  struct Logged { uintptr_t addr; uint32_t len; uint32_t gen; };
  struct Range  { uintptr_t start; uintptr_t end; };

  PmemLog  _log;
  int      _slot;       // the log slot, -1 until the outermost begin claims one
  int      _depth;
  GrowableArrayCHeap<size_t, mtGC> _marks;   // savepoint of each nested level
  GrowableArrayCHeap<Range, mtGC>  _fresh;   // objects allocated inside
  Logged*  _logged;     // open addressing on addr; a slot is in use only
  size_t   _logged_cap; // while its gen is _logged_gen, so forgetting
  size_t   _logged_count; // them all is one increment, not a memset
  uint32_t _logged_gen;

  bool  already_logged(uintptr_t addr, size_t len) const;
  void  remember(uintptr_t addr, size_t len);
  void  forget_logged();
  bool  is_fresh(uintptr_t addr) const;
  void  claim_slot(JavaThread* thread);
  void  release_slot();

public:
  PmemTxn();
  ~PmemTxn();

  // The calling thread's transaction, NULL if it never opened one.
  static PmemTxn* of(Thread* thread);
  static PmemTxn* of_or_create(Thread* thread);
  static bool in_txn(Thread* thread) {
    PmemTxn* t = of(thread);
    return t != NULL && t->_depth > 0;
  }

  int depth() const { return _depth; }

  // Opens a (nested) transaction. The outermost claims a log slot, waiting
  // (safepoint-safe) while every slot is taken.
  void begin(JavaThread* thread);
  // Closes a level; the outermost writes everything back and retires the log.
  void commit();
  // Undoes the stores of the innermost level and closes it.
  void abort();
  // Undoes every level (a thread that ends inside a transaction).
  void abort_all() {
    while (_depth > 0) abort();
  }

  // Logs the len bytes at addr (in the persistent heap) before a store
  // changes them. Returns false if the log is full.
  bool log_store(void* addr, size_t len);
  // log_store in thread's open transaction, if it has one; true otherwise.
  static bool log_if_open(Thread* thread, void* addr, size_t len) {
    PmemTxn* t = of(thread);
    return t == NULL || t->_depth == 0 || t->log_store(addr, len);
  }
  // Records an object allocated inside the transaction.
  void allocated(HeapWord* obj, size_t words);

  // For the collector: what an open transaction must keep alive.
  // f(target, length, old bytes) for each undo log entry...
  template <typename F> void do_log_entries(F f) const {
    if (_depth > 0) _log.do_entries_with_old(f);
  }
  // ...and f(start, end) for each run of objects allocated inside.
  template <typename F> void do_fresh(F f) const {
    if (_depth > 0) {
      for (int i = 0; i < _fresh.length(); i++) f((HeapWord*)_fresh.at(i).start, (HeapWord*)_fresh.at(i).end);
    }
  }

  // At attach, before anything reads the heap: rolls back every
  // transaction that was open when the last run ended. Returns the
  // number of transactions rolled back.
  static size_t recover_all(size_t* entries);

  // Bytes of one log slot.
  static size_t log_capacity();
};

#endif // SHARE_GC_PMEM_PMEMTXN_HPP
