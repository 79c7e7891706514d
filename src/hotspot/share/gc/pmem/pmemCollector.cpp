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
#include "gc/pmem/pmemCompact.hpp"
#include "gc/pmem/pmemEnums.hpp"
#include "gc/pmem/pmemFault.hpp"
#include "gc/pmem/pmemFormat.hpp"
#include "gc/pmem/pmemHeap.hpp"
#include "gc/pmem/pmemJfr.hpp"
#include "gc/pmem/pmemHeapFile.hpp"
#include "gc/pmem/pmemLocking.hpp"
#include "gc/pmem/pmemMark.hpp"
#include "gc/pmem/pmemRoots.hpp"
#include "gc/pmem/pmemTxn.hpp"
#include "gc/pmem/pmemVolatileRefs.hpp"
#include "gc/pmem/pmemVerify.hpp"
#include "gc/pmem/pmemWalk.hpp"
#include "gc/pmem/pmemWriteback.hpp"
#include "gc/shared/gcLocker.hpp"
#include "gc/shared/gcVMOperations.hpp"
#include "gc/shared/genCollectedHeap.hpp"
#include "logging/log.hpp"
#include "memory/iterator.inline.hpp"
#include "memory/universe.hpp"
#include "oops/compressedOops.inline.hpp"
#include "oops/oop.inline.hpp"
#include "runtime/mutexLocker.hpp"
#include "runtime/os.hpp"
#include "runtime/threadSMR.hpp"
#include "runtime/vmThread.hpp"
#include "utilities/growableArray.hpp"
#include "utilities/ostream.hpp"

bool PmemCollector::_attached = false;
bool PmemCollector::_requested = false;
bool PmemCollector::_collecting = false;
volatile bool PmemCollector::_compact_requested = false;
uint PmemCollector::_collections = 0;

static const char* _why = NULL;      // of the collection under way, for the log
static size_t _used_before = 0;
static jlong _started = 0;


static double ms_since(jlong t) {
  return (double)(os::elapsed_counter() - t) * 1000.0 / (double)os::elapsed_frequency();
}

// f(obj) for each object in [from, to), which must start at an object or
// free space.
template <typename F> static void objects_do(HeapWord* from, HeapWord* to, F f) {
  for (HeapWord* p = PmemWalk::next_object(from, to); p < to; p = PmemWalk::next_object(p + cast_to_oop(p)->size(), to)) {
    f(cast_to_oop(p));
  }
}

// -- roots --------------------------------------------------------------

static void mark(oop obj) {
  PmemMark::mark_and_trace(obj);
}

// An undo log entry in the objects area: the bytes it would restore.
struct LoggedRange {
  char*       target;
  size_t      len;
  const char* old;
};

static int by_target(LoggedRange* a, LoggedRange* b) {
  return a->target < b->target ? -1 : (a->target > b->target ? 1 : 0);
}

// Marks the references an undo would put back into one logged range.
class OldValueClosure : public BasicOopIterateClosure {
  const LoggedRange& _r;
  template <typename T> void work(T* p) {
    const char* at = (const char*)p;
    if (at < _r.target || at + sizeof(T) > _r.target + _r.len) {
      return;   // a neighbour of the range, not logged
    }
    T v;
    memcpy(&v, _r.old + (at - _r.target), sizeof(T));
    if (!CompressedOops::is_null(v)) {
      mark(CompressedOops::decode_not_null(v));
    }
  }
public:
  OldValueClosure(const LoggedRange& r) : _r(r) {}
  virtual void do_oop(oop* p)       { work(p); }
  virtual void do_oop(narrowOop* p) { work(p); }
};

// An open transaction may be undone: the objects its log would write into
// must stay where they are, and the references it would put back must stay
// valid. The log holds addresses, not objects, so one walk finds the
// object each entry lies in (an entry never spans objects; an Unsafe store
// to a raw address, which could, writes primitives only).
static void mark_logged(GrowableArrayCHeap<LoggedRange, mtGC>& ranges) {
  ranges.sort(by_target);
  HeapWord* top = PmemAllocator::top();
  int j = 0;
  for (HeapWord* p = PmemWalk::next_object(PmemHeap::bottom(), top); p < top && j < ranges.length(); ) {
    oop obj = cast_to_oop(p);
    HeapWord* end = p + obj->size();
    while (j < ranges.length() && ranges.at(j).target < (char*)p) {
      j++;   // in free space: nothing to keep
    }
    for (int k = j; k < ranges.length() && ranges.at(k).target < (char*)end; k++) {
      const LoggedRange& r = ranges.at(k);
      mark(obj);
      OldValueClosure cl(r);
      obj->oop_iterate(&cl, MemRegion(align_down((HeapWord*)r.target, HeapWordSize),
                                      align_up((HeapWord*)(r.target + r.len), HeapWordSize)));
    }
    p = PmemWalk::next_object(end, top);
  }
}

void PmemCollector::mark_roots() {
  PmemRoots::objects_do(mark);
  PmemEnums::objects_do(mark);
  GrowableArrayCHeap<LoggedRange, mtGC> ranges;
  for (JavaThreadIteratorWithHandle jtiwh; JavaThread* t = jtiwh.next(); ) {
    PmemTxn* txn = PmemTxn::of(t);
    if (txn == NULL) {
      continue;
    }
    // Objects allocated inside: a commit writes them back, and a store to
    // them is not logged, so their memory must not change hands.
    txn->do_fresh([&](HeapWord* start, HeapWord* end) { objects_do(start, end, mark); });
    txn->do_log_chunks([&](HeapWord* chunk) { mark(cast_to_oop(chunk)); });
    txn->do_log_entries([&](char* target, size_t len, const char* old) {
      if (PmemHeap::is_in(target)) {
        LoggedRange r = { target, len, old };
        ranges.append(r);
      } else if (PmemRoots::is_reference_slot(target)) {
        oop o = PmemRoots::decode(*(const uint64_t*)old);
        if (o != NULL) {
          mark(o);
        }
      }
    });
  }
  if (ranges.length() > 0) {
    mark_logged(ranges);
  }
}

// -- sweep --------------------------------------------------------------

// Makes [start, end) one free chunk: a single aligned 8-byte store, not
// repeated when the file already says so.
static bool free_run(HeapWord* start, HeapWord* end) {
  const size_t words = pointer_delta(end, start);
  PmemVolatileRefs::freed(start, words);
  PmemAllocator::add_free(start, words);
  const uint64_t tag = PmemWalk::free_tag(words);
  if (PmemWalk::mark_bits(start) == tag) {
    return false;
  }
  *(volatile uint64_t*)start = tag;
  PmemWriteback::flush(start, sizeof(uint64_t));
  PmemFault::reached("gc-swept");
  return true;
}

// The fresh ranges of open transactions' logs (PmemTxn::covers), sorted:
// recovery would free each one whole, so nothing inside is handed to
// anyone else before its transaction ends. Their objects are marked (the
// transaction keeps them); what the sweep leaves is the unused end of a
// retired buffer, which stays zero until a later sweep.
class FreshRanges : public StackObj {
  struct R { HeapWord* start; HeapWord* end; };
  GrowableArrayCHeap<R, mtGC> _r;
  static int by_start(R* a, R* b) { return a->start < b->start ? -1 : (a->start > b->start ? 1 : 0); }
public:
  FreshRanges() : _r(4) {
    for (JavaThreadIteratorWithHandle jtiwh; JavaThread* t = jtiwh.next(); ) {
      PmemTxn* txn = PmemTxn::of(t);
      if (txn != NULL) {
        txn->do_fresh_logged([&](HeapWord* s, HeapWord* e) { R r = { s, e }; _r.append(r); });
      }
    }
    _r.sort(by_start);
  }
  // f(start, end) for the parts of [start, end) outside every range.
  template <typename F> bool outside_do(HeapWord* start, HeapWord* end, F f) const {
    bool any = false;
    for (int i = 0; i < _r.length() && start < end; i++) {
      if (_r.at(i).end <= start || _r.at(i).start >= end) {
        continue;
      }
      if (_r.at(i).start > start) {
        any |= f(start, _r.at(i).start);
      }
      start = MAX2(start, _r.at(i).end);
    }
    if (start < end) {
      any |= f(start, end);
    }
    return any;
  }
};

void PmemCollector::sweep(const char* why, size_t used_before, jlong started) {
  const double mark_ms = ms_since(started);
  PmemJfr::marking_done();
  const jlong sweep_started = os::elapsed_counter();
  PmemFault::reached("gc-marked");
  HeapWord* top = PmemAllocator::top();
  PmemAllocator::begin_rebuild();
  size_t live_words = 0;
  size_t tags = 0;
  HeapWord* cur = PmemHeap::bottom();
  FreshRanges fresh;
  for (HeapWord* obj = PmemMark::next_marked(cur, top); obj < top; obj = PmemMark::next_marked(cur, top)) {
    if (obj > cur && fresh.outside_do(cur, obj, free_run)) {
      tags++;
    }
    const size_t words = cast_to_oop(obj)->size();
    live_words += words;
    cur = obj + words;
    PmemCompact::live_run(obj, cur);
  }
  if (cur < top && fresh.outside_do(cur, top, free_run)) {
    tags++;
  }
  PmemWriteback::drain();
  PmemVolatileRefs::prune();   // fields of loose objects just freed
  const size_t objects = PmemMark::marked_objects();
  PmemMark::end();
  PmemAllocator::end_rebuild(live_words * HeapWordSize);
  _collections++;
  // Used is the live size right after a sweep; top is how much of the
  // file was ever handed out.
  log_info(gc, pmem)("Persistent heap collected (%s): used " SIZE_FORMAT "K (live, " SIZE_FORMAT " objects), "
                     SIZE_FORMAT "K freed, free " SIZE_FORMAT "K in " SIZE_FORMAT " chunks (largest "
                     SIZE_FORMAT "K), top " SIZE_FORMAT "K of " SIZE_FORMAT "K, " SIZE_FORMAT
                     " tags written; mark %.3fms sweep %.3fms",
                     why, live_words * HeapWordSize / K, objects,
                     (used_before - MIN2(used_before, live_words * HeapWordSize)) / K,
                     PmemAllocator::free_bytes() / K, PmemAllocator::free_chunks(),
                     PmemAllocator::largest_free_bytes() / K,
                     pointer_delta(top, PmemHeap::bottom(), 1) / K, PmemHeap::size_in_bytes() / K,
                     tags, mark_ms, ms_since(sweep_started));
  PmemJfr::collection(why, objects, live_words * HeapWordSize,
                      used_before - MIN2(used_before, live_words * HeapWordSize),
                      PmemAllocator::free_bytes(), PmemAllocator::free_chunks());
  PmemCompact::after_sweep(live_words);
}

// -- in Serial's full GC ------------------------------------------------

bool PmemCollector::should_collect(GCCause::Cause cause) {
  if (Atomic::load_acquire(&_compact_requested)) {
    _why = "Pmem.compact()";
    return true;
  }
  if (_requested) {
    _why = "allocation";
    return true;
  }
  if (PmemAlwaysCollect) {
    _why = "PmemAlwaysCollect";
    return true;
  }
  switch (cause) {
    case GCCause::_java_lang_system_gc:
    case GCCause::_dcmd_gc_run:
    case GCCause::_heap_inspection:
    case GCCause::_heap_dump:
    case GCCause::_jvmti_force_gc:
    case GCCause::_wb_full_gc:
      _why = GCCause::to_string(cause);
      return true;
    default:
      break;
  }
  if (PmemAllocator::used_bytes() >= PmemHeap::size_in_bytes() / 100 * PmemGCTriggerPercent) {
    _why = "PmemGCTriggerPercent";
    return true;
  }
  return false;
}

void PmemCollector::begin_full_gc(GCCause::Cause cause) {
  assert(SafepointSynchronize::is_at_safepoint(), "in a full GC");
  PmemCompact::full_gc_begins();
  _collecting = _attached && should_collect(cause);
  if (!_collecting) {
    return;
  }
  PmemCompact::begin_collection(_compact_requested);
  _compact_requested = false;
  _started = os::elapsed_counter();
  PmemJfr::collection_started();
  _used_before = PmemAllocator::used_bytes();
  PmemAllocator::retire_buffers();
  PmemMark::begin();
  mark_roots();
}

void PmemCollector::end_marking() {
  if (_collecting) {
    sweep(_why, _used_before, _started);
    _collecting = false;
  }
}

// -- allocation ---------------------------------------------------------

// A full GC that collects the persistent part, for an allocation that found
// no room; skipped when another one finished meanwhile.
class VM_PmemCollect : public VM_GenCollectFull {
  uint _before;
public:
  VM_PmemCollect(uint gc_count, uint full_count, uint before) :
    VM_GenCollectFull(gc_count, full_count, GCCause::_allocation_failure, GenCollectedHeap::OldGen),
    _before(before) {}
  virtual bool skip_operation() const { return PmemCollector::collections() != _before; }
  virtual void doit() {
    PmemCollector::_requested = true;
    VM_GenCollectFull::doit();
    PmemCollector::_requested = false;
  }
};

void PmemCollector::collect_for_allocation(JavaThread* thread, uint before, size_t words) {
  log_debug(gc, pmem)("Persistent allocation of " SIZE_FORMAT " bytes found no room below the soft limit ("
                      SIZE_FORMAT "K): collecting", words * HeapWordSize, PmemAllocator::soft_limit_bytes() / K);
  collect(thread, before);
}

void PmemCollector::collect(JavaThread* thread, uint before) {
  // A JNI critical region may hold the GC off (GCLocker): wait for it a few times.
  for (int attempt = 0; attempt < 3 && _collections == before; attempt++) {
    uint gc_count, full_count;
    {
      MutexLocker ml(Heap_lock);
      gc_count = Universe::heap()->total_collections();
      full_count = Universe::heap()->total_full_collections();
    }
    VM_PmemCollect op(gc_count, full_count, before);
    VMThread::execute(&op);
    if (_collections == before && GCLocker::is_active_and_needs_gc() && !thread->in_critical()) {
      GCLocker::stall_until_clear();
    }
  }
}

bool PmemCollector::compact(JavaThread* thread) {
  const uint before = PmemCompact::compactions();
  const uint collections = _collections;
  Atomic::release_store(&_compact_requested, true);
  collect(thread, collections);
  return PmemCompact::compactions() != before;
}

static size_t room_wanted() {
  return MAX2(4 * PmemTxn::log_capacity(), PmemHeap::size_in_bytes() / 16);
}

// What allocation can have without a collection: free chunks, the file's
// never-used rest, and what it may still grow by (PmemMaxSize).
static size_t room_left() {
  return PmemAllocator::free_bytes() + pointer_delta(PmemHeap::end(), PmemAllocator::top(), 1) +
         pointer_delta(PmemHeap::max_end(), PmemHeap::end(), 1);
}

bool PmemCollector::room_is_short() {
  const size_t want = room_wanted();
  return _attached && room_left() < want &&
         (_collections == 0 || PmemAllocator::allocated_since_gc() >= want / 2);
}

void PmemCollector::make_room_before_txn(JavaThread* thread) {
  const uint before = _collections;
  if (room_is_short()) {
    log_debug(gc, pmem)("A transaction begins with " SIZE_FORMAT "K of room in the persistent part, less than "
                        SIZE_FORMAT "K for its undo log to grow into: collecting", room_left() / K, room_wanted() / K);
    collect(thread, before);
  }
}

HeapWord* PmemCollector::allocate(JavaThread* thread, size_t words) {
  const uint before = _collections;
  HeapWord* mem = PmemAllocator::allocate(thread, words, false);
  if (mem == NULL && _attached) {
    collect_for_allocation(thread, before, words);
    mem = PmemAllocator::allocate(thread, words, false);
    if (mem == NULL) {
      // The collection freed too little, or nothing holds this size:
      // grow rather than collect at every such request.
      PmemAllocator::raise_soft_limit();
      mem = PmemAllocator::allocate(thread, words, true);
    }
    if (mem == NULL && PmemAllocator::free_bytes() >= words * HeapWordSize &&
        PmemAllocator::largest_free_bytes() < words * HeapWordSize) {
      // Enough is free, in pieces each too small: slide them together.
      log_debug(gc, pmem)("Persistent allocation of " SIZE_FORMAT " bytes fits no free chunk (largest " SIZE_FORMAT
                          "K of " SIZE_FORMAT "K free): compacting", words * HeapWordSize,
                          PmemAllocator::largest_free_bytes() / K, PmemAllocator::free_bytes() / K);
      if (compact(thread)) {
        mem = PmemAllocator::allocate(thread, words, true);
      }
    }
  }
  return mem;
}

// -- attach and exit ----------------------------------------------------

void PmemCollector::attach(bool after_crash) {
  if (after_crash) {
    // Objects allocated but never linked, or unlinked by a committed txn
    // whose sweep never came, are garbage like any other: unreachable,
    // walkable, and freed by the next collection. Collecting here would
    // make restart O(live objects).
    log_info(gc, pmem)("Recovery: the last run of %s ended abruptly; the next collection frees "
                       "what it left unreachable", PmemHeap::file()->path());
  }
  // The chunks the attach walk listed, if it walked.
  PmemAllocator::end_rebuild(PmemAllocator::used_bytes());
  // From now until an orderly exit, an abrupt end calls for recovery.
  if (PmemHeap::state()->clean_shutdown != 0) {
    PmemWriteback::store_persist(&PmemHeap::state()->clean_shutdown, 0);
  }
  _attached = true;
}

void PmemCollector::detach() {
  if (_attached) {
    PmemLocking::at_exit();
    PmemWriteback::store_persist(&PmemHeap::state()->clean_shutdown, 1);
  }
}

// -- inspection ---------------------------------------------------------

void PmemCollector::object_iterate(ObjectClosure* cl) {
  if (!_attached) {
    return;
  }
  objects_do(PmemHeap::bottom(), PmemAllocator::top(), [&](oop obj) { cl->do_object(obj); });
}

void PmemCollector::verify() {
  if (!_attached) {
    return;
  }
  char err[1024];
  if (!PmemVerify::verify(err, sizeof(err), false /* at_attach */)) {
    fatal("%s", err);
  }
}

void PmemCollector::print_on(outputStream* st) {
  if (PmemHeap::file() == NULL || PmemAllocator::top() == NULL) {
    return;   // not mapped, or before attach
  }
  st->print_cr(" persistent part total " SIZE_FORMAT "K, used " SIZE_FORMAT "K, free " SIZE_FORMAT "K in "
               SIZE_FORMAT " chunks, top " SIZE_FORMAT "K [" PTR_FORMAT ", " PTR_FORMAT ")",
               PmemHeap::size_in_bytes() / K, PmemAllocator::used_bytes() / K, PmemAllocator::free_bytes() / K,
               PmemAllocator::free_chunks(), pointer_delta(PmemAllocator::top(), PmemHeap::bottom(), 1) / K,
               p2i(PmemHeap::bottom()), p2i(PmemHeap::end()));
}
