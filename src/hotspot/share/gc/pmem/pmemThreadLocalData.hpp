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


#ifndef SHARE_GC_PMEM_PMEMTHREADLOCALDATA_HPP
#define SHARE_GC_PMEM_PMEMTHREADLOCALDATA_HPP

#include "gc/shared/gc_globals.hpp"
#include "runtime/thread.hpp"
#include "utilities/debug.hpp"
#include "utilities/sizes.hpp"

class PmemTxn;

// What the persistent heap keeps per thread, in Thread's GC data area
// (the Serial collector leaves it unused).
class PmemThreadLocalData {
  PmemTxn*  _txn;         // created at the thread's first Pmem.txn
  HeapWord* _buffer_top;  // the persistent allocation buffer (PmemAllocator)
  HeapWord* _buffer_end;
  // The bytes the open transaction logged last, [_hot_lo, _hot_lo + _hot_size):
  // C2 stores a primitive into them inline, without the runtime call
  // (the log holds their old values, commit writes them back). Empty
  // outside a transaction.
  uintptr_t _hot_lo;
  uintptr_t _hot_size;
  // 1 from the outermost begin to the end of its commit or abort: compiled
  // code stores a primitive outside a transaction inline, then writes it
  // back (PmemBarrierSetC2).
  uintptr_t _in_txn;
  // Static initializers running in this thread: their objects are the
  // class's, not the transaction's, and stay volatile (PmemRedirect).
  int       _in_clinit;
  // The buffer's end while the open transaction's log holds a fresh range
  // to it (PmemTxn::covers): objects bumped in the buffer need no
  // write-back of their own, compiled pnew included. NULL otherwise; a
  // new buffer clears it.
  HeapWord* _fresh_end;
  // The slot of the file's table of deferred buffers this thread's buffer
  // holds (PmemDeferred), or -1. A word: compiled pnew tests its sign.
  intptr_t  _defer_slot;
  // That slot's part above its mark, [_defer_lo, _defer_hi), or empty: a
  // store there outside a transaction needs no write-back of its own
  // (PmemDeferred::store_waits). Another thread raising the mark moves
  // _defer_lo up, under PmemDeferred's lock; otherwise the range is set by
  // this thread, or by the VM thread at a safepoint (a collection's buffer
  // retirement).
  volatile uintptr_t _defer_lo;
  uintptr_t _defer_hi;

  PmemThreadLocalData() : _txn(NULL), _buffer_top(NULL), _buffer_end(NULL), _hot_lo(0), _hot_size(0),
                          _in_txn(0), _in_clinit(0), _fresh_end(NULL), _defer_slot(-1),
                          _defer_lo(0), _defer_hi(0) {}

  static PmemThreadLocalData* data(Thread* thread) {
    assert(UsePersistentHeap, "only with the persistent heap");
    return thread->gc_data<PmemThreadLocalData>();
  }

public:
  static void create(Thread* thread)  { new (data(thread)) PmemThreadLocalData(); }
  static PmemTxn* txn(Thread* thread) { return data(thread)->_txn; }
  static void set_txn(Thread* thread, PmemTxn* t) { data(thread)->_txn = t; }

  static HeapWord* buffer_top(Thread* thread) { return data(thread)->_buffer_top; }
  static HeapWord* buffer_end(Thread* thread) { return data(thread)->_buffer_end; }
  static void set_buffer(Thread* thread, HeapWord* top, HeapWord* end) {
    data(thread)->_buffer_top = top;
    data(thread)->_buffer_end = end;
    data(thread)->_fresh_end = NULL;   // no fresh range reaches into a new buffer yet
  }
  static HeapWord* fresh_end(Thread* thread) { return data(thread)->_fresh_end; }
  static void set_fresh_end(Thread* thread, HeapWord* end) { data(thread)->_fresh_end = end; }
  static void set_buffer_top(Thread* thread, HeapWord* top) { data(thread)->_buffer_top = top; }
  static void set_hot(Thread* thread, uintptr_t lo, uintptr_t size) {
    data(thread)->_hot_lo = lo;
    data(thread)->_hot_size = size;
  }
  static void set_in_txn(Thread* thread, bool in) { data(thread)->_in_txn = in ? 1 : 0; }
  static bool in_txn(Thread* thread) { return data(thread)->_in_txn != 0; }
  // Inside a transaction, new objects of the thread's Java code go to the
  // persistent heap (PmemRedirect).
  static bool redirects(Thread* thread) {
    PmemThreadLocalData* d = data(thread);
    return d->_in_txn != 0 && d->_in_clinit == 0;
  }
  static int  defer_slot(Thread* thread) { return (int)data(thread)->_defer_slot; }
  static void set_defer_slot(Thread* thread, int i) { data(thread)->_defer_slot = i; }
  static volatile uintptr_t* defer_lo_addr(Thread* thread) { return &data(thread)->_defer_lo; }
  static uintptr_t defer_hi(Thread* thread) { return data(thread)->_defer_hi; }
  static void set_defer_hi(Thread* thread, uintptr_t hi) { data(thread)->_defer_hi = hi; }
  static void enter_clinit(Thread* thread) { data(thread)->_in_clinit++; }
  static void exit_clinit(Thread* thread)  { data(thread)->_in_clinit--; }
  static uintptr_t hot_lo(Thread* thread)   { return data(thread)->_hot_lo; }
  static uintptr_t hot_size(Thread* thread) { return data(thread)->_hot_size; }

  static ByteSize buffer_top_offset() {
    return Thread::gc_data_offset() + byte_offset_of(PmemThreadLocalData, _buffer_top);
  }
  static ByteSize fresh_end_offset() {
    return Thread::gc_data_offset() + byte_offset_of(PmemThreadLocalData, _fresh_end);
  }
  static ByteSize buffer_end_offset() {
    return Thread::gc_data_offset() + byte_offset_of(PmemThreadLocalData, _buffer_end);
  }
  static ByteSize hot_lo_offset() {
    return Thread::gc_data_offset() + byte_offset_of(PmemThreadLocalData, _hot_lo);
  }
  static ByteSize hot_size_offset() {
    return Thread::gc_data_offset() + byte_offset_of(PmemThreadLocalData, _hot_size);
  }
  static ByteSize defer_slot_offset() {
    return Thread::gc_data_offset() + byte_offset_of(PmemThreadLocalData, _defer_slot);
  }
  static ByteSize defer_lo_offset() {
    return Thread::gc_data_offset() + byte_offset_of(PmemThreadLocalData, _defer_lo);
  }
  static ByteSize defer_hi_offset() {
    return Thread::gc_data_offset() + byte_offset_of(PmemThreadLocalData, _defer_hi);
  }
  static ByteSize in_txn_offset() {
    return Thread::gc_data_offset() + byte_offset_of(PmemThreadLocalData, _in_txn);
  }
  static ByteSize txn_offset() {
    return Thread::gc_data_offset() + byte_offset_of(PmemThreadLocalData, _txn);
  }
};

#endif // SHARE_GC_PMEM_PMEMTHREADLOCALDATA_HPP
