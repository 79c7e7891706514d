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
#include "gc/pmem/pmemAllocator.hpp"
#include "gc/pmem/pmemCollector.hpp"
#include "gc/pmem/pmemDeferred.hpp"
#include "gc/pmem/pmemEnums.hpp"
#include "gc/pmem/pmemFault.hpp"
#include "gc/pmem/pmemFormat.hpp"
#include "gc/pmem/pmemHeap.hpp"
#include "gc/pmem/pmemHeapFile.hpp"
#include "gc/pmem/pmemJfr.hpp"
#include "gc/pmem/pmemRedirect.hpp"
#include "gc/pmem/pmemRoots.hpp"
#include "gc/pmem/pmemThreadLocalData.hpp"
#include "gc/pmem/pmemTxn.hpp"
#include "gc/pmem/pmemTypeTable.hpp"
#include "gc/pmem/pmemVolatileRefs.hpp"
#include "gc/pmem/pmemWriteback.hpp"
#include "jvm_io.h"
#include "logging/log.hpp"
#include "memory/universe.hpp"
#include "oops/arrayOop.hpp"
#include "oops/oop.inline.hpp"
#include "runtime/atomic.hpp"
#include "runtime/interfaceSupport.inline.hpp"
#include "runtime/os.hpp"
#include "utilities/align.hpp"

#include <string.h>

static volatile uint8_t* _slot_taken = NULL;   // one flag per log slot
// Slots claimed so far. Racy (a lost increment is fine): a thread waiting
// for a slot only asks whether it changed, that is, whether any transaction
// ended and let another begin.
static volatile uint64_t _claims = 0;

// A thread that waits this long for a log slot while no transaction ends
// anywhere gives up: every slot holder may be waiting for a lock it holds.
static const jlong slot_wait_without_progress_ms = 2000;

// A commit with more than this to write back goes through the native
// commit, where a safepoint need not wait for it.
static const size_t fast_commit_max_bytes = 256 * K;

static size_t slot_size() {
  const PmemFileHeader& h = PmemHeap::file()->header();
  return align_down(h.log_size / h.log_slots, PmemFormat::cache_line);
}

static char* slot_base(int i) {
  return PmemHeap::file_base() + PmemHeap::file()->header().log_offset + (size_t)i * slot_size();
}

size_t PmemTxn::log_capacity() {
  return slot_size();
}

PmemTxn::PmemTxn(Thread* thread) : _thread(thread), _slot(-1), _last_slot(0), _depth(0), _marks(4), _fresh(4), _fresh_marks(4),
                     _published(16), _pending(4), _open_from(NULL), _fresh_logged(2), _written(16),
                     _logged(NULL), _logged_cap(0), _logged_count(0),
                     _logged_gen(1), _work(0), _jfr_on(false), _jfr_depth(0) {}

PmemTxn::~PmemTxn() {
  abort_all();   // normally done already, at the thread's detach
  detach();
  FREE_C_HEAP_ARRAY(Logged, _logged);
}

PmemTxn* PmemTxn::of(Thread* thread) {
  return PmemThreadLocalData::txn(thread);
}

PmemTxn* PmemTxn::of_or_create(Thread* thread) {
  PmemTxn* t = PmemThreadLocalData::txn(thread);
  if (t == NULL) {
    t = new PmemTxn(thread);
    PmemThreadLocalData::set_txn(thread, t);
  }
  return t;
}

// Tries the slot this thread used last first: with fewer threads than
// slots each keeps to its own, and its flag's cache line stays local.
bool PmemTxn::try_claim_slot() {
  const int slots = (int)PmemHeap::file()->header().log_slots;
  for (int n = 0; n < slots; n++) {
    const int i = (_last_slot + n) % slots;
    if (_slot_taken[i] == 0 && Atomic::cmpxchg(&_slot_taken[i], (uint8_t)0, (uint8_t)1) == 0) {
      _slot = i;
      _last_slot = i;
      Atomic::store(&_claims, Atomic::load(&_claims) + 1);
      _log.init(PmemHeap::file_base(), PmemHeap::max_file_size(), slot_base(i), slot_size());   // it may grow
      return true;
    }
  }
  return false;
}

// More threads in transactions than log slots (PmemLogSlots): waits for
// one, safepoint-safely, as long as transactions keep ending somewhere.
// When none ends for slot_wait_without_progress_ms, the slot holders may
// all be waiting for a lock this thread holds (it took it before its
// transaction, they inside theirs): then it gives up rather than deadlock.
bool PmemTxn::claim_slot(JavaThread* thread) {
  if (try_claim_slot()) {
    return true;
  }
  uint64_t seen = Atomic::load(&_claims);
  jlong since = os::javaTimeMillis();
  for (;;) {
    {
      ThreadBlockInVM tbivm(thread);
      os::naked_short_sleep(1);
    }
    if (try_claim_slot()) {
      return true;
    }
    const uint64_t now = Atomic::load(&_claims);
    if (now != seen) {
      seen = now;
      since = os::javaTimeMillis();
    } else if (os::javaTimeMillis() - since >= slot_wait_without_progress_ms) {
      return false;
    }
  }
}

void PmemTxn::no_slot_message(char* buf, size_t len) {
  jio_snprintf(buf, len, "no undo log slot came free in " JLONG_FORMAT " ms: all %u are held by open "
               "transactions that made no progress, maybe waiting for a lock this thread holds; take "
               "locks inside Pmem.txn, or create the file with more -XX:PmemLogSlots",
               slot_wait_without_progress_ms, PmemHeap::file()->header().log_slots);
}

void PmemTxn::release_slot() {
  if (_slot >= 0) {
    Atomic::release_store(&_slot_taken[_slot], (uint8_t)0);
    _slot = -1;
  }
}

void PmemTxn::detach() {
  assert(_depth == 0, "transaction still open");
  release_slot();
}

// The outermost level starts: nothing allocated inside yet, nothing logged.
void PmemTxn::open(HeapWord* buffer_top) {
  _log.begin();
  _work = 0;
  _jfr_on = PmemJfr::transactions_on();
  if (_jfr_on) {
    _jfr_started = Ticks::now();
    _jfr_depth = 0;
    _work = 1;
  }
  _fresh.clear();
  _fresh_marks.clear();
  _published.clear();
  _pending.clear();
  _written.clear();
  _open_from = buffer_top;
}

// Folds the open range into the closed ones.
void PmemTxn::close() {
  HeapWord* top = PmemThreadLocalData::buffer_top(_thread);
  close_open_range(top, top);
}

// Ends the open range at old_top (recording it) and opens one at new_start.
void PmemTxn::close_open_range(HeapWord* old_top, HeapWord* new_start) {
  if (_open_from != NULL && old_top > _open_from) {
    Range r = { (uintptr_t)_open_from, (uintptr_t)old_top };
    _fresh.push(r);
    _work = 1;
  }
  _open_from = new_start;
}

bool PmemTxn::in_open_range(uintptr_t addr) const {
  return _open_from != NULL && addr >= (uintptr_t)_open_from &&
         addr < (uintptr_t)PmemThreadLocalData::buffer_top(_thread);
}

// The outermost level ended (committed or undone).
void PmemTxn::finish() {
  _fresh_logged.clear();
  PmemThreadLocalData::set_fresh_end(_thread, NULL);
  _fresh.clear();
  _fresh_marks.clear();
  _published.clear();
  _pending.clear();
  _written.clear();
  _open_from = NULL;
  _work = 0;
  _jfr_on = false;
  forget_logged();
  if (_log.chunks() > 0) {
    // A big transaction's chunks are free at once: nothing refers to them.
    _log.trim_chunks(4 * slot_size(), [&](HeapWord* obj) {
      PmemAllocator::release(obj, cast_to_oop(obj)->size());
    });
  }
  PmemThreadLocalData::set_in_txn(_thread, false);
  PmemRedirect::resume_tlab(_thread);
  release_slot();
}

bool PmemTxn::begin(JavaThread* thread) {
  if (_depth == 0) {
    if (VerifyPersistentHeap) {
      verify_ended(thread);
    }
    if (_slot < 0) {
      PmemCollector::make_room_before_txn(thread);   // before the slot: a collection may take long
    }
    if (_slot < 0 && !claim_slot(thread)) {   // fast_begin may have claimed it
      return false;
    }
    // The transaction's objects are covered by its log, not by a deferred
    // buffer, whose mark would not pass them at commit.
    PmemDeferred::detach(thread);
    open(PmemThreadLocalData::buffer_top(thread));
    PmemThreadLocalData::set_in_txn(thread, true);
    PmemRedirect::stop_tlab(thread);   // new objects take the runtime path, which redirects them
  } else {
    _marks.push(_log.mark());
    close();   // objects made from here on are the nested level's own
    _fresh_marks.push(_fresh.length());
  }
  forget_logged();   // a nested level logs again what it changes, for its savepoint
  _depth++;
  _jfr_depth = MAX2(_jfr_depth, _depth);
  return true;
}

void PmemTxn::commit() {
  assert(_depth > 0, "no transaction");
  if (--_depth > 0) {
    _marks.pop();
    _fresh_marks.pop();
    return;
  }
  // Write back every logged part and every new object, fence, retire.
  close();
  if (_jfr_on) {
    report_jfr(true);
  }
  bool wrote = _log.is_active();
  for (int i = 0; i < _written.length(); i++) {
    PmemWriteback::flush((void*)_written.at(i).start, _written.at(i).end - _written.at(i).start);
  }
  for (int i = 0; i < _fresh.length(); i++) {
    PmemWriteback::flush((void*)_fresh.at(i).start, _fresh.at(i).end - _fresh.at(i).start);
    wrote = true;
  }
  if (wrote) {
    PmemWriteback::drain();
    PmemFault::reached("commit-written-back");
    _log.retire();
    PmemFault::reached("commit-retired");
  }
  finish();
}

void PmemTxn::commit_checked(TRAPS) {
  if (_depth == 1 && !PmemVolatileRefs::settle_native(this, THREAD)) {
    return;   // undone, the exception pending
  }
  commit();
}

bool PmemTxn::reference_ok(Thread* thread, oop holder, const void* addr, oop val) {
  if (val == NULL) {
    return true;
  }
  PmemTxn* t = of(thread);
  const bool open = t != NULL && t->_depth > 0;
  const uintptr_t v = cast_from_oop<uintptr_t>(val);
  const bool own = open && t->is_fresh_any((uintptr_t)addr);   // a field of the transaction's object
  // A deferred object is made durable before a reference to it can be
  // (PmemDeferred's rule spares a holder above it in its own buffer).
  PmemDeferred::before_reference(holder, val);
  if (own || PmemVolatileRefs::is_loose(addr)) {
    if (!own && !PmemHeap::is_in((void*)v)) {
      PmemVolatileRefs::add_slot(addr);   // a GC root from now on
    }
    return true;   // anything goes: anchoring checks it later
  }
  // A field of an anchored object (or a root).
  if (PmemHeap::is_in((void*)v)) {
    if (open) {
      if (t->is_fresh_any(v) || PmemVolatileRefs::is_loose((void*)v)) {
        t->_published.append(v);   // commit checks what it reaches, and anchors it
        t->_work = 1;
      }
      return true;
    }
    return !PmemVolatileRefs::is_loose((void*)v) || PmemVolatileRefs::anchor(val);
  }
  if (holder != NULL && PmemEnums::is_constant(holder)) {
    return true;   // a persistent enum constant: its fields belong to the run (PmemEnums)
  }
  if (holder != NULL && PmemVolatileRefs::is_cache_field(holder, addr, val)) {
    PmemVolatileRefs::add_transient_slot(addr);   // a GC root; the next start drops it
    return true;
  }
  if (open && addr != NULL &&
      (PmemVolatileRefs::is_value(val) || PmemEnums::is_constant(val) || PmemEnums::is_universe(val))) {
    t->_pending.append((uintptr_t)addr);   // commit stores a persistent copy there
    t->_work = 1;
    return true;
  }
  return false;
}

// At the outermost level's end, before the log is retired.
void PmemTxn::report_jfr(bool committed) {
  size_t logged = 0;
  _log.do_entries([&](char*, size_t len) { logged += len; });
  size_t allocated = 0;
  do_fresh_ranges([&](HeapWord* s, HeapWord* e) { allocated += pointer_delta(e, s, 1); });
  PmemJfr::transaction(_jfr_started, committed, _jfr_depth, logged, _log.entries(), allocated);
}

void PmemTxn::abort() {
  assert(_depth > 0, "no transaction");
  write_back_fresh();
  if (--_depth > 0) {
    const size_t mark = _marks.pop();
    _log.undo_to(mark);
    // The fresh ranges logged after the savepoint are cut with it.
    while (!_fresh_logged.is_empty() && _fresh_logged.top().mark >= mark) {
      if ((HeapWord*)_fresh_logged.top().end == PmemThreadLocalData::fresh_end(_thread)) {
        PmemThreadLocalData::set_fresh_end(_thread, NULL);
      }
      _fresh_logged.pop();
    }
    _fresh_marks.pop();
    forget_logged();
    return;
  }
  if (_jfr_on) {
    report_jfr(false);
  }
  _log.undo_to(PmemLog::header_size);
  _log.retire();
  PmemVolatileRefs::abandon(this);   // what it made is loose: volatile objects may still use it
  finish();
}

ByteSize PmemTxn::tlab_end_source_offset() {
  return PmemRedirect::tlab_allocation_end_offset();
}

// At an outermost begin: the last transaction ended as finish() and
// emit_inline_end() end one.
void PmemTxn::verify_ended(JavaThread* thread) const {
  guarantee(_depth == 0 && _open_from == NULL && _fresh.is_empty() && _written.is_empty() &&
            _fresh_logged.is_empty() && PmemThreadLocalData::fresh_end(thread) == NULL &&
            !PmemThreadLocalData::in_txn(thread),
            "the last transaction of this thread did not end cleanly: depth %d, open range " PTR_FORMAT
            ", %d fresh ranges, in_txn %d", _depth, p2i(_open_from), _fresh.length(),
            (int)PmemThreadLocalData::in_txn(thread));
  // begin() set the TLAB's end to its top; the end gives its end back.
  const ThreadLocalAllocBuffer& tlab = thread->tlab();
  HeapWord* const allocation_end = *(HeapWord**)((address)thread + in_bytes(tlab_end_source_offset()));
  guarantee(!UseTLAB || tlab.end() == NULL || tlab.end() != tlab.top() || allocation_end == tlab.top(),
            "the last transaction of this thread did not give the TLAB its end back");
}

address PmemTxn::slot_flags_addr() {
  return (address)&_slot_taken;
}

JRT_LEAF(jboolean, PmemTxn::fast_begin())
  JavaThread* thread = JavaThread::current();
  PmemTxn* t = of(thread);
  if (t == NULL || (t->_depth == 0 && (PmemCollector::room_is_short() || !t->try_claim_slot()))) {
    return false;   // the native begin waits for a slot, or collects
  }
  t->begin(thread);   // holds a slot: never blocks
  return true;
JRT_END

JRT_LEAF(jboolean, PmemTxn::fast_commit())
  PmemTxn* t = of(JavaThread::current());
  if (t == NULL || t->_depth == 0) {
    return false;   // the native commit says what is wrong
  }
  // Tests count these: C2 commits a transaction with nothing to do inline.
  log_trace(gc, pmem)("Transaction committed by a runtime call at depth %d%s", t->_depth,
                      t->_work != 0 ? ", with work" : "");
  if (t->_depth == 1 && t->_jfr_on) {
    if (PmemJfr::over_threshold(t->_jfr_started)) {
      return false;   // the native commit writes the event: JFR writes no events in a leaf
    }
    t->_jfr_on = false;
  }
  if (t->_depth == 1) {
    size_t bytes = 0;
    for (int i = 0; i < t->_written.length(); i++) bytes += t->_written.at(i).end - t->_written.at(i).start;
    t->do_fresh([&](HeapWord* s, HeapWord* e) { bytes += pointer_delta(e, s, 1); });
    if (bytes > fast_commit_max_bytes || !PmemVolatileRefs::settle_in_leaf(t)) {
      return false;   // a long write-back, or copies and refusals: the native commit
    }
  }
  t->commit();
  return true;
JRT_END

// The set of logged lines: open addressing, linear probing. The home slot
// mixes the line number (Fibonacci hashing): with the bare line number, a
// run of neighbouring lines (a large array cleared) fills a run of slots,
// and every scattered line homed inside it probed to its end (HashMap's
// resize in a transaction spent 40% of a 1e6-put benchmark there).
static size_t home_slot(uintptr_t line, size_t cap) {
  return (size_t)(((uint64_t)(line >> 6) * 0x9E3779B97F4A7C15ULL) >> 32) & (cap - 1);
}

static uint64_t byte_mask(size_t offset, size_t len) {
  return len >= 64 ? ~(uint64_t)0 : (((uint64_t)1 << len) - 1) << offset;
}

PmemTxn::Logged* PmemTxn::find_line(uintptr_t line) const {
  if (_logged_count == 0) return NULL;
  for (size_t i = home_slot(line, _logged_cap); _logged[i].gen == _logged_gen; i = (i + 1) & (_logged_cap - 1)) {
    if (_logged[i].line == line) {
      return &_logged[i];
    }
  }
  return NULL;
}

// Records [start, end) as logged, line by line.
void PmemTxn::remember(uintptr_t start, uintptr_t end) {
  const size_t line_size = PmemFormat::cache_line;
  for (uintptr_t line = align_down(start, line_size); line < end; line += line_size) {
    const uintptr_t lo = MAX2(line, start);
    const uintptr_t hi = MIN2(line + line_size, end);
    if (2 * (_logged_count + 1) > _logged_cap) {
      Logged* old = _logged;
      const size_t old_cap = _logged_cap;
      const uint32_t old_gen = _logged_gen;
      _logged_cap = old_cap == 0 ? 256 : 2 * old_cap;
      _logged = NEW_C_HEAP_ARRAY(Logged, _logged_cap, mtGC);
      memset(_logged, 0, _logged_cap * sizeof(Logged));
      _logged_count = 0;
      _logged_gen = 1;
      for (size_t i = 0; i < old_cap; i++) {
        if (old[i].gen == old_gen) {
          size_t j = home_slot(old[i].line, _logged_cap);
          while (_logged[j].gen == _logged_gen) j = (j + 1) & (_logged_cap - 1);
          _logged[j] = old[i];
          _logged[j].gen = _logged_gen;
          _logged_count++;
        }
      }
      FREE_C_HEAP_ARRAY(Logged, old);
    }
    size_t i = home_slot(line, _logged_cap);
    while (_logged[i].gen == _logged_gen && _logged[i].line != line) {
      i = (i + 1) & (_logged_cap - 1);
    }
    if (_logged[i].gen != _logged_gen) {
      _logged_count++;
      _logged[i].gen = _logged_gen;
      _logged[i].line = line;
      _logged[i].mask = 0;
    }
    _logged[i].mask |= byte_mask(lo - line, hi - lo);
  }
}

void PmemTxn::forget_logged() {
  PmemThreadLocalData::set_hot(_thread, 0, 0);
  if (_logged_count > 0) {
    _logged_count = 0;
    if (++_logged_gen == 0) {   // wrapped: old gens would look current again
      memset(_logged, 0, _logged_cap * sizeof(Logged));
      _logged_gen = 1;
    }
  }
}

bool PmemTxn::is_fresh(uintptr_t addr) const {
  if (in_open_range(addr)) {
    return true;
  }
  const int floor = _fresh_marks.is_empty() ? 0 : _fresh_marks.top();
  for (int i = _fresh.length() - 1; i >= floor; i--) {
    if (addr >= _fresh.at(i).start && addr < _fresh.at(i).end) return true;
  }
  return false;
}

bool PmemTxn::is_fresh_any(uintptr_t addr) const {
  if (in_open_range(addr)) {
    return true;
  }
  for (int i = _fresh.length() - 1; i >= 0; i--) {
    if (addr >= _fresh.at(i).start && addr < _fresh.at(i).end) return true;
  }
  return false;
}

void PmemTxn::allocated(HeapWord* obj, size_t words) {
  if (_depth == 0) return;
  const uintptr_t start = (uintptr_t)obj;
  const uintptr_t end = start + words * HeapWordSize;
  if (in_open_range(start)) {
    return;   // in the buffer's open range already
  }
  _work = 1;
  // Bump allocation makes neighbours: grow the last range when it touches.
  if (_fresh.length() > 0 && _fresh.at(_fresh.length() - 1).end == start) {
    _fresh.at(_fresh.length() - 1).end = end;
  } else {
    Range r = { start, end };
    _fresh.push(r);
  }
}

bool PmemTxn::covers(HeapWord* obj, size_t words) {
  if (_depth == 0) {
    return false;
  }
  // Bumped in the buffer (obj's end is its top): the range runs to the
  // buffer's end, and covers the transaction's later objects there too. A
  // chunk of its own: just the object.
  const bool in_buffer = obj + words == PmemThreadLocalData::buffer_top(_thread);
  HeapWord* const buffer_end = PmemThreadLocalData::buffer_end(_thread);
  if (in_buffer && buffer_end != NULL && PmemThreadLocalData::fresh_end(_thread) == buffer_end) {
    return true;
  }
  HeapWord* const end = in_buffer ? buffer_end : obj + words;
  const size_t mark = _log.mark();
  if (!_log.append_fresh(obj, pointer_delta(end, obj))) {
    return false;   // the log is full: this one is written back
  }
  FreshRange r = { (uintptr_t)obj, (uintptr_t)end, mark };
  _fresh_logged.append(r);
  log_trace(gc, pmem)("Fresh range logged at offset " SIZE_FORMAT ": " SIZE_FORMAT " words",
                      pointer_delta(obj, PmemHeap::bottom(), 1), pointer_delta(end, obj));
  _work = 1;
  if (in_buffer) {
    PmemThreadLocalData::set_fresh_end(_thread, buffer_end);
  }
  return true;
}

void PmemTxn::leave_fresh_buffer(Thread* thread) {
  if (PmemThreadLocalData::fresh_end(thread) == NULL) {
    return;
  }
  PmemAllocator::retire_buffer(thread);   // the collector keeps its unused end while the range lives
}

// Before an abort cuts the log: the objects made inside become durable as
// they are, so that the heap parses without the fresh ranges that recovery
// would have freed (and volatile code may still use them).
void PmemTxn::write_back_fresh() {
  if (_fresh_logged.is_empty()) {
    return;
  }
  do_fresh_ranges([&](HeapWord* s, HeapWord* e) { PmemWriteback::flush(s, pointer_delta(e, s, 1)); });
  PmemWriteback::drain();
}

void PmemTxn::buffer_replaced(HeapWord* old_top, HeapWord* new_start) {
  if (_depth == 0) return;
  close_open_range(old_top, new_start);
}

// Logs exactly the bytes the store changes, never more: a rollback (abort
// or recovery) may restore only what its own transaction stored. Another
// field or element in the same cache line, even of the same object, is
// another variable to the Java memory model, which another thread may
// change and commit meanwhile; and the header holds lock state and the
// identity hash, which change outside any barrier. A store to bytes the
// level logged already logs nothing.
bool PmemTxn::log_store(void* addr, size_t len) {
  assert(_depth > 0, "no transaction");
  const size_t line_size = PmemFormat::cache_line;
  const uintptr_t a = (uintptr_t)addr;
  if (is_fresh(a)) {
    return true;
  }
  const uintptr_t line = align_down(a, line_size);
  const bool one_line = a + len <= line + line_size;
  if (one_line) {
    Logged* e = find_line(line);
    const uint64_t want = byte_mask(a - line, len);
    if (e != NULL && (e->mask & want) == want) {
      return true;
    }
  }
  // Ranges (arraycopy, JNI regions) are logged in entries of at most
  // PmemLog::max_entry_data bytes.
  for (uintptr_t p = a; p < a + len; ) {
    const size_t n = MIN2((size_t)(a + len - p), PmemLog::max_entry_data);
    _work = 1;
    if (!_log.append((void*)p, n) && !(grow_log() && _log.append((void*)p, n))) {
      return false;
    }
    Range r = { p, p + n };
    _written.push(r);
    p += n;
  }
  if (len <= PmemLog::max_entry_data) {
    remember(a, a + len);
  }
  if (one_line) {
    PmemThreadLocalData::set_hot(_thread, a, len);   // C2's next stores there go inline
  }
  return true;
}

// The log slot and the chunks held are full: one more chunk, twice what
// the log holds so far (at most max_log_chunk), or less when the heap has
// less. Taken from the persistent part without a collection (a barrier
// may call this where no safepoint can be), past the soft limit. A chunk
// is larger than a quarter allocation buffer, so it never comes from the
// thread's buffer (where it would count as an object the transaction made).
static const size_t max_log_chunk = 16 * M;

bool PmemTxn::grow_log() {
  Klass* k = Universe::longArrayKlassObj();
  if (!PmemTypeTable::record(k)) {
    return false;
  }
  const size_t min = align_up(MAX2((size_t)64 * K, PmemAllocationBufferSize / 4 + 4 * K), 4 * K);
  const int base = arrayOopDesc::base_offset_in_bytes(T_LONG);
  for (size_t bytes = MAX2(MIN2(slot_size() + _log.chunk_bytes(), max_log_chunk), min); bytes >= min; bytes /= 2) {
    bytes = align_down(bytes, 4 * K);
    const size_t words = align_up(base + bytes, (size_t)MinObjAlignmentInBytes) / HeapWordSize;
    HeapWord* mem = PmemAllocator::allocate(_thread, words, true);
    if (mem == NULL) {
      continue;
    }
    oopDesc::set_mark(mem, markWord::prototype());
    arrayOopDesc::set_length(mem, (int)(bytes / sizeof(jlong)));
    oopDesc::release_set_klass(mem, k);
    PmemWriteback::persist(mem, base);   // the heap walker finds it by its header
    _log.add_chunk(mem, (char*)mem + base, bytes);
    log_debug(gc, pmem)("Transaction log of thread " PTR_FORMAT " goes on in a chunk of " SIZE_FORMAT
                        "K at offset " SIZE_FORMAT " (" SIZE_FORMAT " entries so far)", p2i(_thread), bytes / K,
                        pointer_delta(mem, PmemHeap::bottom(), 1), _log.entries());
    return true;
  }
  return false;
}

bool PmemTxn::check_logs(char* err, size_t err_len) {
  const PmemFileHeader& h = PmemHeap::file()->header();
  char* base = PmemHeap::file_base();
  for (uint32_t i = 0; i < h.log_slots; i++) {
    size_t bad_at = 0, bad_len = 0;
    const size_t used = PmemHeap::file()->used_file_size();
    const bool ok = PmemLog::check_recorded(base, used, slot_base((int)i), slot_size(),
                                            [&](size_t at, size_t len) {
      const bool in_objects = at >= h.objects_offset && at + len <= used;
      const bool a_root = len == sizeof(uint64_t) && PmemRoots::is_reference_slot(base + at);
      bad_at = at;
      bad_len = len;
      return in_objects || a_root;
    });
    if (!ok) {
      jio_snprintf(err, err_len, "%s is damaged: undo log slot %u at file offset " SIZE_FORMAT " names "
                   SIZE_FORMAT " bytes at file offset " SIZE_FORMAT ", outside the objects and the roots",
                   PmemHeap::file()->path(), i, (size_t)(slot_base((int)i) - base), bad_len, bad_at);
      return false;
    }
  }
  return true;
}

// A root slot an unfinished transaction changed, and the value recovery
// gives it back: what its first (oldest) log entry for the slot holds.
struct RootRestore { uintptr_t slot; uint64_t value; };
static GrowableArrayCHeap<RootRestore, mtGC>* _root_restores = NULL;

bool PmemTxn::root_after_recovery(const void* slot, uint64_t* value) {
  if (_root_restores == NULL) {
    _root_restores = new GrowableArrayCHeap<RootRestore, mtGC>(4);
    const PmemFileHeader& h = PmemHeap::file()->header();
    char* base = PmemHeap::file_base();
    for (uint32_t i = 0; i < h.log_slots; i++) {
      PmemLog::recorded_entries_do(base, PmemHeap::file()->used_file_size(), slot_base((int)i), slot_size(),
                                   [&](size_t at, size_t len, const char* old) {
        const uintptr_t s = (uintptr_t)(base + at);
        if (len != sizeof(uint64_t) || !PmemRoots::is_reference_slot((void*)s)) {
          return;
        }
        for (int j = 0; j < _root_restores->length(); j++) {
          if (_root_restores->at(j).slot == s) return;   // an older entry of it came first
        }
        RootRestore r = { s, *(const uint64_t*)old };
        _root_restores->append(r);
      });
    }
  }
  for (int j = 0; j < _root_restores->length(); j++) {
    if (_root_restores->at(j).slot == (uintptr_t)slot) {
      *value = _root_restores->at(j).value;
      return true;
    }
  }
  return false;
}

size_t PmemTxn::recover_all(size_t* entries) {
  const PmemFileHeader& h = PmemHeap::file()->header();
  _slot_taken = NEW_C_HEAP_ARRAY(uint8_t, h.log_slots, mtGC);
  memset((void*)_slot_taken, 0, h.log_slots);
  size_t txns = 0;
  *entries = 0;
  if (_root_restores != NULL) {
    _root_restores->clear();   // the logs are about to be undone and retired
  }
  for (uint32_t i = 0; i < h.log_slots; i++) {
    if ((*(volatile uint64_t*)slot_base((int)i) & 1) != 0) {
      *entries += PmemLog::recover(PmemHeap::file_base(), PmemHeap::file()->used_file_size(), slot_base((int)i),
                                   slot_size());
      txns++;
    }
  }
  return txns;
}
