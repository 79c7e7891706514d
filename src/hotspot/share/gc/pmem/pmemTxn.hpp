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
#include "gc/pmem/pmemThreadLocalData.hpp"
#include "gc/shared/tlab_globals.hpp"
#include "memory/allocation.hpp"
#include "oops/oopsHierarchy.hpp"
#include "runtime/thread.hpp"
#include "utilities/growableArray.hpp"
#include "utilities/ticks.hpp"

// A thread's failure-atomic transaction (Pmem.txn). Nested transactions
// flatten into the outermost one, which alone makes the stores durable;
// each level keeps a savepoint so that an exception escaping a nested body
// undoes just that body's stores, and the enclosing body may go on.
//
// Stores are undo-logged byte-exact: an entry holds the old value of just
// the bytes a store changes, so a rollback never touches a neighbouring
// field or element (another thread's variable, which it may have changed
// and committed meanwhile) nor an object header (lock state, identity
// hash). A small volatile set of lines, with a mask of the bytes logged,
// lets later stores to those bytes go unlogged: a counter bumped ten times
// in a transaction is logged once.
//
// Objects allocated inside need no logging and are written back whole at
// commit. Most of them come from the thread's allocation buffer, which
// compiled pnew bumps inline: the part of the buffer used since begin (or
// since the buffer was replaced) is one open range, read from the buffer's
// top when needed, so inline allocation needs no bookkeeping.
//
// Begin and commit need no VM state: compiled code calls fast_begin and
// fast_commit as leaf calls, with no JNI transition. The outermost begin
// claims a log slot with one compare-and-swap (the thread's last slot
// first) and commit gives it back; only a thread that finds every slot
// taken waits, in the native begin. C2 commits a transaction that has
// nothing to write back (it only read, or stored into volatile objects)
// inline, without the call (_work); C1's commit stub does the same.
class PmemTxn : public CHeapObj<mtGC> {
  struct Logged { uintptr_t line; uint64_t mask; uint32_t gen; };
  struct Range  { uintptr_t start; uintptr_t end; };
  struct FreshRange { uintptr_t start; uintptr_t end; size_t mark; };

  Thread*  _thread;
  PmemLog  _log;
  int      _slot;       // the log slot, -1 outside a transaction
  int      _last_slot;  // where the next claim looks first
  int      _depth;
  GrowableArrayCHeap<size_t, mtGC> _marks;   // savepoint of each nested level
  GrowableArrayCHeap<Range, mtGC>  _fresh;   // objects allocated inside
  // For each nested level, the first of _fresh made inside it (begin
  // closes the open range): a store into an object that an enclosing
  // level made is logged, for this level's savepoint.
  GrowableArrayCHeap<int, mtGC>    _fresh_marks;
  // Persistent objects stored into objects older than the transaction
  // (or bound to a root) that may reach a volatile one: made inside, or
  // tainted by an earlier transaction (PmemVolatileRefs). Commit checks them.
  GrowableArrayCHeap<uintptr_t, mtGC> _published;
  // Reference fields of older objects into which the transaction stored a
  // volatile immutable value: commit stores a persistent copy there.
  GrowableArrayCHeap<uintptr_t, mtGC> _pending;
  HeapWord* _open_from; // the open range: [_open_from, buffer top)
  // The fresh ranges the log holds (PmemLog::append_fresh), each with the
  // log position it was appended at (a nested abort cuts those after its
  // savepoint). Until the transaction ends, the collector frees nothing
  // inside them: recovery would turn them into free chunks whole.
  GrowableArrayCHeap<FreshRange, mtGC> _fresh_logged;
  void  write_back_fresh();
  GrowableArrayCHeap<Range, mtGC>  _written; // what commit writes back
  Logged*  _logged;     // open addressing on line; a slot is in use only
  size_t   _logged_cap; // while its gen is _logged_gen, so forgetting
  size_t   _logged_count; // them all is one increment, not a memset
  uint32_t _logged_gen;
  // 0 until the transaction has something for commit to do beyond ending
  // it (a log entry, an object allocated outside the open range): while 0,
  // C2 commits inline, with no call (PmemIntrinsicsC2).
  int      _work;
  // JFR's jdk.PmemTransaction (PmemJfr): on from an outermost begin that
  // found the event enabled; _work is then 1, so that compiled code calls
  // fast_commit, which leaves a transaction past the event's threshold to
  // the native commit, where the event is written.
  bool     _jfr_on;
  int      _jfr_depth;   // the deepest nesting so far
  Ticks    _jfr_started;
  void  report_jfr(bool committed);

  Logged* find_line(uintptr_t line) const;
  void  remember(uintptr_t start, uintptr_t end);
  void  forget_logged();
  bool  is_fresh(uintptr_t addr) const;       // made inside the innermost level
  bool  grow_log();
  bool  try_claim_slot();
  bool  claim_slot(JavaThread* thread);
  void  release_slot();
  void  open(HeapWord* buffer_top);
  void  close();
  void  close_open_range(HeapWord* old_top, HeapWord* new_start);
  bool  in_open_range(uintptr_t addr) const;
  void  finish();
  void  verify_ended(JavaThread* thread) const;

public:
  PmemTxn(Thread* thread);
  ~PmemTxn();

  // The calling thread's transaction, NULL if it never opened one.
  static PmemTxn* of(Thread* thread);
  static PmemTxn* of_or_create(Thread* thread);
  static bool in_txn(Thread* thread) {
    PmemTxn* t = of(thread);
    return t != NULL && t->_depth > 0;
  }

  int depth() const { return _depth; }
  // What commit must check (PmemVolatileRefs).
  const GrowableArrayCHeap<uintptr_t, mtGC>& published() const { return _published; }
  const GrowableArrayCHeap<uintptr_t, mtGC>& pending() const   { return _pending; }
  bool is_fresh_any(uintptr_t addr) const;   // made inside the transaction (any level)

  // Opens a (nested) transaction. The outermost claims a log slot if the
  // thread holds none, waiting (safepoint-safe) while every slot is taken
  // and transactions keep ending; false, with nothing opened, when none
  // ended for a while (the holders may wait for a lock this thread holds).
  bool begin(JavaThread* thread);
  static void no_slot_message(char* buf, size_t len);
  // Closes a level; the outermost writes everything back and retires the log.
  void commit();
  // commit, for the native commit: the outermost first gives volatile
  // immutable values that its objects refer to persistent copies, and
  // checks that no persistent object older than the transaction now
  // reaches a volatile one; if one does, undoes the transaction and throws
  // IllegalArgumentException naming the field and both classes.
  void commit_checked(TRAPS);
  // Whether a reference store of val at addr (in the persistent heap) may
  // go ahead in the thread's state: val null or persistent (noted when
  // commit must check it), or volatile and addr in an object the open
  // transaction made (checked at commit), or a volatile immutable value
  // stored inside a transaction (copied at commit), or into a transient
  // field (a cache, such as HashMap's keySet: dropped at the next start).
  // False: refuse it. holder may be NULL (a root, or unknown).
  static bool reference_ok(Thread* thread, oop holder, const void* addr, oop val);
  // Undoes the stores of the innermost level and closes it.
  void abort();
  // Undoes every level (a thread that ends inside a transaction).
  void abort_all() {
    while (_depth > 0) abort();
  }
  // The thread ends (every level undone): holds no log slot.
  void detach();

  // Leaf calls for compiled code (no safepoint, no thread state change).
  // fast_begin returns false if it cannot begin without blocking or
  // allocating (first transaction of the thread, every slot taken); the
  // caller then calls the native begin. fast_commit returns false if the
  // commit has more than a little to write back: the native commit does
  // that, so a long write-back does not delay a safepoint.
  static jboolean fast_begin();
  static jboolean fast_commit();

  // What compiled code's inline commit reads: it may end the outermost
  // transaction itself when depth is 1, _work 0 and nothing was allocated
  // in the buffer since begin (_open_from is the buffer's top).
  static ByteSize depth_offset()     { return byte_offset_of(PmemTxn, _depth); }
  static ByteSize work_offset()      { return byte_offset_of(PmemTxn, _work); }
  static ByteSize open_from_offset() { return byte_offset_of(PmemTxn, _open_from); }
  static ByteSize slot_offset()      { return byte_offset_of(PmemTxn, _slot); }
  static address  slot_flags_addr();   // the address of the slot flags' base pointer
  static ByteSize tlab_end_source_offset();   // where the TLAB's end is kept while a transaction runs

  // ...and how it ends it: the stores finish() makes that such a
  // transaction needs, in this order (the slot flag's release last, as
  // another thread may claim the slot from then on). C2's inline commit
  // and C1's commit stub both emit exactly these through an emitter of
  // their own, so the two cannot drift apart; -XX:+VerifyPersistentHeap
  // checks the state at the next outermost begin (verify_ended).
  template <typename E> static void emit_inline_end(E& e) {
    e.store_txn_int(depth_offset(), 0);
    e.store_txn_null(open_from_offset());
    e.store_thread_zero(PmemThreadLocalData::in_txn_offset());
    if (UseTLAB) {   // PmemRedirect::resume_tlab
      e.copy_thread_word(tlab_end_source_offset(), Thread::tlab_end_offset());
    }
    e.release_slot(slot_offset(), slot_flags_addr());
  }

  // Logs the len bytes at addr (in the persistent heap), and only those,
  // before a store changes them. Returns false if the log is full.
  bool log_store(void* addr, size_t len);
  // log_store in thread's open transaction, if it has one; true otherwise.
  static bool log_if_open(Thread* thread, void* addr, size_t len) {
    PmemTxn* t = of(thread);
    return t == NULL || t->_depth == 0 || t->log_store(addr, len);
  }
  // Records an object allocated inside the transaction.
  void allocated(HeapWord* obj, size_t words);
  // Whether the object just allocated at obj needs no write-back of its
  // own: inside a transaction, its words are in a fresh range of the log,
  // logged now if need be (one fenced entry per buffer and transaction,
  // instead of one write-back and fence per object). Commit writes the
  // objects back; after a crash, recovery frees the range. False outside a
  // transaction, or when the log is full: the caller writes obj back.
  bool covers(HeapWord* obj, size_t words);
  // covers() for thread's transaction, if it has one.
  static bool covers(Thread* thread, HeapWord* obj, size_t words) {
    PmemTxn* t = of(thread);
    return t != NULL && t->covers(obj, words);
  }
  // Before an allocation that must outlive thread's transaction whatever
  // becomes of it (PmemEnums' twins and registry, made durable and linked
  // by stores of their own): if a fresh range covers the thread's buffer,
  // the buffer is retired, so that the object lands outside every fresh
  // range, which recovery would free whole.
  static void leave_fresh_buffer(Thread* thread);
  // For the collector: f(start, end) for each fresh range of the log.
  template <typename F> void do_fresh_logged(F f) const {
    for (int i = 0; i < _fresh_logged.length(); i++) f((HeapWord*)_fresh_logged.at(i).start, (HeapWord*)_fresh_logged.at(i).end);
  }
  // The thread's allocation buffer is replaced (refill, or a collection
  // retired it: new_start NULL).
  void buffer_replaced(HeapWord* old_top, HeapWord* new_start);

  // For the collector: what an open transaction must keep alive.
  // f(target, length, old bytes) for each undo log entry...
  template <typename F> void do_log_entries(F f) const {
    if (_depth > 0) _log.do_entries_with_old(f);
  }
  // ...the chunks the log holds (long[] objects), in a transaction or not...
  template <typename F> void do_log_chunks(F f) const { _log.do_chunks(f); }
  // Between transactions (outermost level finished), a compaction may
  // move the objects the log's chunks are: f(old object) is the new one.
  bool is_idle() const {
    return _depth == 0 && _open_from == NULL && _fresh.is_empty() && _written.is_empty() && _fresh_logged.is_empty();
  }
  template <typename F> void log_chunks_moved(F f) { _log.chunks_moved(f); }
  // ...and f(start, end) for each run of objects allocated inside.
  template <typename F> void do_fresh(F f) const;
  // The same, also while the outermost level ends (depth already 0).
  template <typename F> void do_fresh_ranges(F f) const;
  template <typename F> void do_pending(F f) const {
    if (_depth > 0) for (int i = 0; i < _pending.length(); i++) f(_pending.at(i));
  }

  // At attach, before anything reads the heap: rolls back every
  // transaction that was open when the last run ended. Returns the
  // number of transactions rolled back.
  static size_t recover_all(size_t* entries);
  // Before recover_all, reading only: every entry of an unfinished
  // transaction restores bytes inside the objects area, or a reference
  // slot of the roots. On damage writes a one-line message to err.
  static bool check_logs(char* err, size_t err_len);
  // At attach, before recovery: if an unfinished transaction changed the
  // root slot, the value recovery restores there (so that roots are
  // checked as recovery will leave them).
  static bool root_after_recovery(const void* slot, uint64_t* value);

  // Bytes of one log slot.
  static size_t log_capacity();
};

template <typename F> void PmemTxn::do_fresh(F f) const {
  if (_depth > 0) do_fresh_ranges(f);
}

template <typename F> void PmemTxn::do_fresh_ranges(F f) const {
  for (int i = 0; i < _fresh.length(); i++) f((HeapWord*)_fresh.at(i).start, (HeapWord*)_fresh.at(i).end);
  HeapWord* top = PmemThreadLocalData::buffer_top(_thread);
  if (_open_from != NULL && top > _open_from) f(_open_from, top);
}

#endif // SHARE_GC_PMEM_PMEMTXN_HPP
