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
#include "gc/pmem/pmemDeferred.hpp"
#include "gc/pmem/pmemEnums.hpp"
#include "gc/pmem/pmemFault.hpp"
#include "gc/pmem/pmemFormat.hpp"
#include "gc/pmem/pmemHeap.hpp"
#include "gc/pmem/pmemJfr.hpp"
#include "gc/pmem/pmemHeapFile.hpp"
#include "gc/pmem/pmemLocking.hpp"
#include "gc/pmem/pmemMark.hpp"
#include "gc/pmem/pmemRemSet.inline.hpp"
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
#include "runtime/prefetch.inline.hpp"
#include "runtime/threadSMR.hpp"
#include "runtime/vmThread.hpp"
#include "utilities/growableArray.hpp"
#include "utilities/ostream.hpp"

bool PmemCollector::_attached = false;
bool PmemCollector::_requested = false;
bool PmemCollector::_collecting = false;
volatile bool PmemCollector::_compact_requested = false;
uint PmemCollector::_collections = 0;
uint PmemCollector::_incremental_collections = 0;

static const char* _why = NULL;      // of the collection under way, for the log
static size_t _used_before = 0;
static jlong _started = 0;

// Incremental collections (PmemIncrementalGC): see the class comment.
static bool _marks_valid = false;    // every object that survived the last collection is marked
static bool _incremental = false;    // the collection under way is one
static const char* _full_why = NULL; // why the collection under way is full
static const char* _next_full = NULL;// the policy's reason to make the next one full
static size_t _live_at_full = 0;     // bytes live after the last full collection
static bool _young_requested = false;// Pmem.collect()
static bool _last_incremental = false;
static double _roots_ms = 0;         // of the mark phase: our roots, the remembered set
static double _remembered_ms = 0;

// The young ranges of the collection under way, sorted and merged.
static GrowableArrayCHeap<PmemAllocator::Range, mtGC>* _young = NULL;


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

// The sorted young range holding p, or -1.
static int young_index(const void* p) {
  int lo = 0, hi = _young->length() - 1;
  while (lo <= hi) {
    const int mid = (lo + hi) / 2;
    const PmemAllocator::Range& r = _young->at(mid);
    if ((HeapWord*)p < r.start) {
      hi = mid - 1;
    } else if ((HeapWord*)p >= r.end) {
      lo = mid + 1;
    } else {
      return mid;
    }
  }
  return -1;
}

// In an incremental collection: the object holding p, without walking the
// part: in old space the last mark at or below p is its object's start
// (every old object is marked); in young space a walk from the range's
// start (or from the object found last, for ranges sorted by address).
static oop object_containing(HeapWord* p, HeapWord** hint) {
  const int i = young_index(p);
  if (i < 0) {
    HeapWord* o = PmemMark::prev_marked(p, PmemHeap::bottom());
    return o != NULL && o + cast_to_oop(o)->size() > p ? cast_to_oop(o) : (oop)NULL;
  }
  const PmemAllocator::Range& r = _young->at(i);
  HeapWord* from = *hint != NULL && *hint >= r.start && *hint <= p ? *hint : r.start;
  for (HeapWord* o = PmemWalk::next_object(from, r.end); o <= p && o < r.end;
       o = PmemWalk::next_object(o + cast_to_oop(o)->size(), r.end)) {
    if (o + cast_to_oop(o)->size() > p) {
      *hint = o;
      return cast_to_oop(o);
    }
  }
  return NULL;
}

static void mark_logged_incremental(GrowableArrayCHeap<LoggedRange, mtGC>& ranges) {
  ranges.sort(by_target);
  HeapWord* hint = NULL;
  for (int k = 0; k < ranges.length(); k++) {
    const LoggedRange& r = ranges.at(k);
    oop obj = object_containing((HeapWord*)align_down(r.target, HeapWordSize), &hint);
    if (obj == NULL) {
      continue;
    }
    mark(obj);
    OldValueClosure cl(r);
    obj->oop_iterate(&cl, MemRegion(align_down((HeapWord*)r.target, HeapWordSize),
                                    align_up((HeapWord*)(r.target + r.len), HeapWordSize)));
  }
}

// The remembered set: the references that the marked objects in
// remembered lines hold. Runs come in address order, so the object that
// covers a run's start is the last one looked at, or begins after it: the
// search back for it never passes what was scanned already. Remembered
// lines lie anywhere in the part, so each costs cache misses (the line,
// its mark bits, the object's class); the runs are listed first, and the
// lines and bits of the runs a few ahead are prefetched.
static size_t scan_remembered_set() {
  GrowableArrayCHeap<PmemAllocator::Range, mtGC> runs(1024);
  size_t lines = 0;
  PmemRemSet::runs_do(PmemAllocator::top(), [&](HeapWord* s, HeapWord* e) {
    lines += (pointer_delta(e, s) + PmemRemSet::line_words - 1) / PmemRemSet::line_words;
    PmemAllocator::Range r = { s, e };
    runs.append(r);
  });
  const int ahead = 8;
  HeapWord* last = NULL;                  // the last object looked at
  HeapWord* last_end = PmemHeap::bottom();
  for (int i = 0; i < runs.length(); i++) {
    if (i + ahead < runs.length()) {
      HeapWord* p = runs.at(i + ahead).start;
      Prefetch::read(p, 0);
      Prefetch::read(p, -(intx)PmemFormat::cache_line);   // where an object covering p may begin
      PmemMark::prefetch(p);
    }
    HeapWord* const s = runs.at(i).start;
    HeapWord* const e = runs.at(i).end;
    HeapWord* cur = s;
    if (last_end > s) {
      PmemMark::trace_fields(cast_to_oop(last), MemRegion(s, MIN2(e, last_end)));
      cur = last_end;
    } else {
      HeapWord* c = PmemMark::prev_marked(s, last_end);
      if (c != NULL && c + cast_to_oop(c)->size() > s) {
        last = c;
        last_end = c + cast_to_oop(c)->size();
        PmemMark::trace_fields(cast_to_oop(c), MemRegion(s, MIN2(e, last_end)));
        cur = last_end;
      }
    }
    for (HeapWord* o = cur < e ? PmemMark::next_marked(cur, e) : e; o < e;
         o = last_end < e ? PmemMark::next_marked(last_end, e) : e) {
      last = o;
      last_end = o + cast_to_oop(o)->size();
      PmemMark::trace_fields(cast_to_oop(o), MemRegion(o, MIN2(e, last_end)));
    }
  }
  return lines;
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
    txn->do_fresh([&](HeapWord* start, HeapWord* end) {
      objects_do(start, end, [&](oop o) {
        mark(o);
        if (_incremental) {
          // Marked by an earlier collection perhaps, and stored into since
          // by code that skips the barrier (PmemRemSet): traced again.
          PmemMark::trace_fields(o, MemRegion(cast_from_oop<HeapWord*>(o), o->size()));
        }
      });
    });
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
    if (_incremental) {
      mark_logged_incremental(ranges);
    } else {
      mark_logged(ranges);
    }
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
// retired buffer, which stays zero, and young: the next collection,
// incremental or not, sweeps it.
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
  // f(start, end) for the parts of [start, end) inside a range.
  template <typename F> void inside_do(HeapWord* start, HeapWord* end, F f) const {
    for (int i = 0; i < _r.length(); i++) {
      if (_r.at(i).start < end && _r.at(i).end > start) {
        f(MAX2(start, _r.at(i).start), MIN2(end, _r.at(i).end));
      }
    }
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
  PmemDeferred::write_back_marked();   // the sweep frees the rest of the deferred buffers
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
  PmemDeferred::free_all();   // once the write-backs and tags above are durable
  PmemVolatileRefs::prune();   // fields of loose objects just freed
  const size_t objects = PmemMark::marked_objects();
  PmemMark::end();
  PmemAllocator::end_rebuild(live_words * HeapWordSize);
  GrowableArrayCHeap<PmemAllocator::Range, mtGC> pinned;
  fresh.inside_do(PmemHeap::bottom(), top, [&](HeapWord* a, HeapWord* b) {
    PmemAllocator::Range r = { a, b };
    pinned.append(r);
  });
  PmemAllocator::keep_young(pinned.length() > 0 ? pinned.adr_at(0) : NULL, pinned.length());
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
  // The marks now say what is live; a compaction moves it all.
  _live_at_full = live_words * HeapWordSize;
  _next_full = NULL;
  _marks_valid = !PmemCompact::after_sweep(live_words);
}

// An incremental collection sweeps the young ranges only: old objects are
// marked whether live or not (a full collection frees old garbage).
static void sweep_incremental(const char* why, size_t used_before, jlong started, size_t lines) {
  const double mark_ms = ms_since(started);
  PmemJfr::marking_done();
  const jlong sweep_started = os::elapsed_counter();
  PmemFault::reached("gc-marked");
  PmemDeferred::write_back_marked();
  FreshRanges fresh;
  size_t kept_words = 0, young_words = 0, tags = 0;
  GrowableArrayCHeap<PmemAllocator::Range, mtGC> keep;
  for (int i = 0; i < _young->length(); i++) {
    const PmemAllocator::Range r = _young->at(i);
    young_words += pointer_delta(r.end, r.start);
    HeapWord* cur = r.start;
    for (HeapWord* obj = PmemMark::next_marked(cur, r.end); obj < r.end; obj = cur < r.end ? PmemMark::next_marked(cur, r.end) : r.end) {
      if (obj > cur && fresh.outside_do(cur, obj, free_run)) {
        tags++;
      }
      const size_t words = cast_to_oop(obj)->size();
      kept_words += words;
      cur = obj + words;
    }
    if (cur < r.end && fresh.outside_do(cur, r.end, free_run)) {
      tags++;
    }
    // The parts in an open transaction's fresh range were not swept: the
    // next collection sweeps them (only them: what this one freed around
    // them is listed already).
    fresh.inside_do(r.start, r.end, [&](HeapWord* a, HeapWord* b) {
      PmemAllocator::Range k = { a, b };
      keep.append(k);
    });
  }
  PmemWriteback::drain();
  PmemDeferred::free_all();
  PmemVolatileRefs::prune();
  const size_t objects = PmemMark::marked_objects();
  PmemMark::end();
  PmemAllocator::end_incremental(keep.length() > 0 ? keep.adr_at(0) : NULL, keep.length());
  const size_t used = PmemAllocator::used_bytes();
  const size_t freed = used_before - MIN2(used_before, used);
  log_info(gc, pmem)("Persistent heap collected (%s, incremental): used " SIZE_FORMAT "K, " SIZE_FORMAT
                     " objects allocated since the last collection kept (" SIZE_FORMAT "K of " SIZE_FORMAT
                     "K young), " SIZE_FORMAT "K freed, " SIZE_FORMAT " remembered lines, free " SIZE_FORMAT "K in "
                     SIZE_FORMAT " chunks (largest " SIZE_FORMAT "K), top " SIZE_FORMAT "K of " SIZE_FORMAT "K, "
                     SIZE_FORMAT " tags written; mark %.3fms (roots %.3fms, remembered set %.3fms) sweep %.3fms",
                     why, used / K, objects, kept_words * HeapWordSize / K, young_words * HeapWordSize / K,
                     freed / K, lines, PmemAllocator::free_bytes() / K, PmemAllocator::free_chunks(),
                     PmemAllocator::largest_free_bytes() / K,
                     pointer_delta(PmemAllocator::top(), PmemHeap::bottom(), 1) / K, PmemHeap::size_in_bytes() / K,
                     tags, mark_ms, _roots_ms, _remembered_ms, ms_since(sweep_started));
  char cause[160];
  jio_snprintf(cause, sizeof(cause), "%s, incremental", why);
  PmemJfr::collection(cause, objects, kept_words * HeapWordSize, freed,
                      PmemAllocator::free_bytes(), PmemAllocator::free_chunks());
  // What incremental collections keep includes old garbage: past a share
  // of what the last full one found live, the next one is full.
  const size_t limit = _live_at_full + MAX2(_live_at_full / 100 * PmemFullGCOldGrowthPercent,
                                            (size_t)PmemAllocationBufferSize);
  if (used > limit) {
    _next_full = "what incremental collections kept grew past PmemFullGCOldGrowthPercent";
  }
}

// -- marks across an orderly exit ---------------------------------------

// An orderly exit saves the marks, so that the next run's first
// collection can be incremental. The young objects of this run are marked
// too (unreachable ones wait for a full collection): the next run then
// starts with no young object, and no old one can refer to one, so no
// line needs remembering. The bitmap goes into a free chunk at the top (the
// walkers skip it); the next run reads it at its first collection, then
// lists the chunk as free.
static HeapWord* _saved = NULL;     // the last run's saved marks, not read yet
static HeapWord* _saved_to = NULL;  // what they cover
static bool _marks_saved = false;   // by this run's exit

static void load_saved_marks(bool list_chunk);

static void forget_saved_marks() {
  // Called with the allocator's lock held: the store needs no lock.
  PmemWriteback::store_persist(&PmemHeap::state()->marks_offset, 0);
}

static void persist_saved(HeapWord* chunk) {
  PmemFileState* st = PmemHeap::state();
  PmemWriteback::store_persist(&st->marks_top, st->objects_top);
  PmemWriteback::store_persist(&st->marks_offset, (uint64_t)pointer_delta(chunk, PmemHeap::bottom(), 1) + 1);
  PmemAllocator::on_next_change(forget_saved_marks);
  _marks_saved = true;
}

class VM_PmemSaveMarks : public VM_Operation {
public:
  VMOp_Type type() const { return VMOp_Cleanup; }   // a cleanup at exit; no type of its own needed
  const char* name() const { return "pmem: save the marks at exit"; }
  void doit() {
    const jlong started = os::elapsed_counter();
    if (_saved != NULL && PmemAllocator::young_ranges() == 0) {
      // No collection and no allocation in this run: the last run's marks
      // still describe the file.
      persist_saved(_saved);
      return;
    }
    // Unread marks of the last run: read now (their chunk stays free space
    // that the next full collection lists).
    load_saved_marks(false);
    if (!_marks_valid) {
      return;
    }
    PmemAllocator::retire_buffers();
    PmemMark::cover_heap();   // the file may have grown since the last collection
    size_t young = 0;
    for (int i = 0; i < PmemAllocator::young_ranges(); i++) {
      const PmemAllocator::Range r = PmemAllocator::young_range(i);
      objects_do(r.start, r.end, [&](oop o) {
        if (!PmemDeferred::is_deferred(cast_from_oop<void*>(o))) {   // the next start frees those
          PmemMark::set_mark(cast_from_oop<HeapWord*>(o));
          young++;
        }
      });
    }
    HeapWord* to = PmemAllocator::top();
    const size_t words = PmemMark::words_for(to);
    HeapWord* chunk = PmemAllocator::take_top(words + 1);
    if (chunk == NULL) {
      log_info(gc, pmem)("Exit: no room at the top of %s for the marks (" SIZE_FORMAT "K): "
                         "the next run's first collection is full", PmemHeap::file()->path(), words * 8 / K);
      return;
    }
    PmemMark::copy_out(to, (uint64_t*)(chunk + 1));
    PmemRemSet::clear(to);   // nothing is young in the next run
    *(volatile uint64_t*)chunk = PmemWalk::free_tag(words + 1);
    PmemWriteback::flush(chunk, (words + 1) * HeapWordSize);
    PmemWriteback::drain();
    persist_saved(chunk);
    log_info(gc, pmem)("Exit: marks saved (" SIZE_FORMAT "K, " SIZE_FORMAT " young objects made old) in %.3fms: "
                       "the next run's first collection may be incremental", words * 8 / K, young, ms_since(started));
  }
};

// At attach after an orderly exit: the marks the last run saved, if they
// still describe the file (no allocation, migration or compaction since).
static void find_saved_marks() {
  PmemFileState* st = PmemHeap::state();
  const uint64_t off = st->marks_offset;
  if (off == 0) {
    return;
  }
  PmemWriteback::store_persist(&st->marks_offset, 0);   // read once: this run changes what they describe
  HeapWord* top = PmemAllocator::top();
  HeapWord* chunk = (HeapWord*)((char*)PmemHeap::bottom() + (off - 1));
  if (off - 1 >= st->objects_top || !is_aligned(off - 1, HeapWordSize) || st->marks_top != st->objects_top ||
      !PmemWalk::is_free_tag(PmemWalk::mark_bits(chunk)) ||
      PmemWalk::free_words(PmemWalk::mark_bits(chunk)) > pointer_delta(top, chunk) ||
      PmemWalk::free_words(PmemWalk::mark_bits(chunk)) < PmemMark::words_for(chunk) + 1) {
    log_info(gc, pmem)("The marks the last run saved do not describe %s any more: the first collection is full",
                       PmemHeap::file()->path());
    return;
  }
  _saved = chunk;
  _saved_to = chunk;   // what the marks cover: the objects below the chunk
  if (PmemAllocator::free_chunks() > 0) {
    load_saved_marks(false);   // the attach walk listed the chunk: read it before anything reuses it
  }
}

static void load_saved_marks(bool list_chunk) {
  if (_saved == NULL) {
    return;
  }
  const size_t words = PmemWalk::free_words(PmemWalk::mark_bits(_saved));
  PmemMark::copy_in(_saved_to, (const uint64_t*)(_saved + 1));
  _marks_valid = true;
  _live_at_full = PmemAllocator::used_bytes();
  if (list_chunk) {
    PmemAllocator::add_free(_saved, words);   // free space from now on
  }
  log_debug(gc, pmem)("Read the marks the last run saved (" SIZE_FORMAT "K)", words * 8 / K);
  _saved = NULL;
}

// At an orderly exit, before the clean-shutdown flag.
static void save_marks_at_exit() {
  if (!PmemIncrementalGC || VMThread::vm_thread() == NULL || !Thread::current()->is_Java_thread() ||
      (!_marks_valid && _saved == NULL)) {
    return;   // no marks to save, or no safepoint to save them at
  }
  VM_PmemSaveMarks op;
  VMThread::execute(&op);
}

// -- in Serial's full GC ------------------------------------------------

// A collection someone asked for: System.gc, jcmd GC.run, heap inspection
// and dumps, JVMTI, WhiteBox.
static bool is_requested(GCCause::Cause cause) {
  switch (cause) {
    case GCCause::_java_lang_system_gc:
    case GCCause::_dcmd_gc_run:
    case GCCause::_heap_inspection:
    case GCCause::_heap_dump:
    case GCCause::_jvmti_force_gc:
    case GCCause::_wb_full_gc:
      return true;
    default:
      return false;
  }
}

bool PmemCollector::should_collect(GCCause::Cause cause) {
  if (Atomic::load_acquire(&_compact_requested)) {
    _why = "Pmem.compact()";
    return true;
  }
  if (_young_requested) {
    _why = "Pmem.collect()";
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
  if (is_requested(cause)) {
    _why = GCCause::to_string(cause);
    return true;
  }
  if (PmemAllocator::used_bytes() >= PmemHeap::size_in_bytes() / 100 * PmemGCTriggerPercent) {
    _why = "PmemGCTriggerPercent";
    return true;
  }
  return false;
}

// Why the collection about to run must be full, or NULL: it may be
// incremental.
static const char* full_reason(GCCause::Cause cause, bool compact, uint collections) {
  if (!PmemIncrementalGC) {
    return "-XX:-PmemIncrementalGC";
  }
  if (compact) {
    return "compaction";
  }
  if (!_marks_valid) {
    return collections == 0 ? "the first in this run" : "the last one compacted";
  }
  if (PmemHeap::end() > PmemRemSet::covered_end()) {
    return "the objects area grew past what the file's card metadata covers";
  }
  if (is_requested(cause)) {
    return "requested";   // what the caller wants to see is every dead object gone
  }
  return _next_full;
}

static size_t _lines = 0;   // remembered lines the collection under way scanned

static int by_start(PmemAllocator::Range* a, PmemAllocator::Range* b) {
  return a->start < b->start ? -1 : (a->start > b->start ? 1 : 0);
}

// The allocator's young ranges, sorted by address, adjacent ones merged.
static void snapshot_young() {
  if (_young == NULL) {
    _young = new GrowableArrayCHeap<PmemAllocator::Range, mtGC>(64);
  }
  _young->clear();
  for (int i = 0; i < PmemAllocator::young_ranges(); i++) {
    _young->append(PmemAllocator::young_range(i));
  }
  _young->sort(by_start);
  int n = 0;
  for (int i = 0; i < _young->length(); i++) {
    if (n > 0 && _young->at(n - 1).end >= _young->at(i).start) {
      _young->adr_at(n - 1)->end = MAX2(_young->at(n - 1).end, _young->at(i).end);
    } else {
      _young->at_put(n++, _young->at(i));
    }
  }
  _young->trunc_to(n);
}

void PmemCollector::begin_full_gc(GCCause::Cause cause) {
  assert(SafepointSynchronize::is_at_safepoint(), "in a full GC");
  PmemCompact::full_gc_begins();
  _collecting = _attached && should_collect(cause);
  if (!_collecting) {
    return;
  }
  _young_requested = false;
  if (_marks_saved) {
    forget_saved_marks();   // a collection during the exit changes what they describe
    _marks_saved = false;
  }
  load_saved_marks(true);
  _full_why = full_reason(cause, _compact_requested, _collections);
  _incremental = _full_why == NULL;
  if (!_incremental) {
    PmemCompact::begin_collection(_compact_requested);
    _compact_requested = false;
  }
  _started = os::elapsed_counter();
  PmemJfr::collection_started();
  _used_before = PmemAllocator::used_bytes();
  PmemAllocator::retire_buffers();
  if (_incremental) {
    snapshot_young();
  }
  PmemMark::begin(_incremental);
  mark_roots();
  _roots_ms = ms_since(_started);
  _lines = _incremental ? scan_remembered_set() : 0;
  _remembered_ms = ms_since(_started) - _roots_ms;
}

void PmemCollector::end_marking() {
  if (!_collecting) {
    return;
  }
  HeapWord* top = PmemAllocator::top();
  if (_incremental) {
    sweep_incremental(_why, _used_before, _started, _lines);
  } else {
    char why[160];
    if (strcmp(_full_why, "requested") == 0 || strcmp(_full_why, "compaction") == 0) {
      jio_snprintf(why, sizeof(why), "%s", _why);
    } else {
      jio_snprintf(why, sizeof(why), "%s; full: %s", _why, _full_why);
    }
    sweep(why, _used_before, _started);
  }
  // No object is young now: no old one refers to one. But the objects of
  // open transactions may still be stored into by compiled code that skips
  // the barrier (see PmemRemSet): their lines stay remembered.
  PmemRemSet::clear(MAX2(top, PmemAllocator::top()));
  for (JavaThreadIteratorWithHandle jtiwh; JavaThread* t = jtiwh.next(); ) {
    PmemTxn* txn = PmemTxn::of(t);
    if (txn != NULL) {
      txn->do_fresh([&](HeapWord* start, HeapWord* end) {
        PmemRemSet::remember_range(start, pointer_delta(end, start, 1));
      });
    }
  }
  _collections++;
  _incremental_collections += _incremental ? 1 : 0;
  _last_incremental = _incremental;
  _collecting = false;
  _incremental = false;
}

void PmemCollector::collect_now(JavaThread* thread) {
  _young_requested = true;
  collect(thread, _collections);
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

HeapWord* PmemCollector::allocate(JavaThread* thread, size_t words, bool may_defer) {
  const uint before = _collections;
  HeapWord* mem = PmemAllocator::allocate(thread, words, false, may_defer);
  if (mem == NULL && _attached) {
    collect_for_allocation(thread, before, words);
    mem = PmemAllocator::allocate(thread, words, false, may_defer);
    if (mem == NULL && _last_incremental) {
      // What it kept may be old garbage, which only a full one frees.
      _next_full = "an incremental one made too little room";
      collect_for_allocation(thread, _collections, words);
      mem = PmemAllocator::allocate(thread, words, false, may_defer);
    }
    if (mem == NULL) {
      // The collection freed too little, or nothing holds this size:
      // grow rather than collect at every such request.
      PmemAllocator::raise_soft_limit();
      mem = PmemAllocator::allocate(thread, words, true, may_defer);
    }
    if (mem == NULL && PmemAllocator::free_bytes() >= words * HeapWordSize &&
        PmemAllocator::largest_free_bytes() < words * HeapWordSize) {
      // Enough is free, in pieces each too small: slide them together.
      log_debug(gc, pmem)("Persistent allocation of " SIZE_FORMAT " bytes fits no free chunk (largest " SIZE_FORMAT
                          "K of " SIZE_FORMAT "K free): compacting", words * HeapWordSize,
                          PmemAllocator::largest_free_bytes() / K, PmemAllocator::free_bytes() / K);
      if (compact(thread)) {
        mem = PmemAllocator::allocate(thread, words, true, may_defer);
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
  if (!after_crash) {
    find_saved_marks();
  }
  PmemRemSet::initialize();
  // From now until an orderly exit, an abrupt end calls for recovery.
  if (PmemHeap::state()->clean_shutdown != 0) {
    PmemWriteback::store_persist(&PmemHeap::state()->clean_shutdown, 0);
  }
  _attached = true;
}

void PmemCollector::detach() {
  if (_attached) {
    PmemLocking::at_exit();
    save_marks_at_exit();
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
