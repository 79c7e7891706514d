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
#include "gc/pmem/pmemAttach.hpp"
#include "gc/pmem/pmemCompact.hpp"
#include "gc/pmem/pmemEnums.hpp"
#include "gc/pmem/pmemFault.hpp"
#include "gc/pmem/pmemFormat.hpp"
#include "gc/pmem/pmemHeap.hpp"
#include "gc/pmem/pmemHeapFile.hpp"
#include "gc/pmem/pmemProgress.hpp"
#include "gc/pmem/pmemRelocate.hpp"
#include "gc/pmem/pmemRoots.hpp"
#include "gc/pmem/pmemTxn.hpp"
#include "gc/pmem/pmemVolatileRefs.hpp"
#include "gc/pmem/pmemWalk.hpp"
#include "gc/pmem/pmemWriteback.hpp"
#include "gc/shared/genCollectedHeap.hpp"
#include "jvm_io.h"
#include "logging/log.hpp"
#include "memory/iterator.inline.hpp"
#include "memory/universe.hpp"
#include "oops/compressedOops.hpp"
#include "oops/oop.inline.hpp"
#include "runtime/globals.hpp"
#include "runtime/os.hpp"
#include "runtime/threadSMR.hpp"
#include "utilities/growableArray.hpp"

bool PmemCompact::_forwarding = false;
uint PmemCompact::_compactions = 0;

// A run of live objects, as offsets (bytes) into the objects area: [from,
// end), and where it goes.
struct SlideRun {
  size_t from;
  size_t end;
  size_t to;
};

// The runs of the compaction under way (or the last one, while Serial's
// adjust phase asks forwardee()), in address order.
static GrowableArrayCHeap<SlideRun, mtGC>* _runs = NULL;
static size_t _live_bytes = 0;      // of the runs so far: where the next one goes
static bool   _recording = false;   // the sweep under way reports runs
static bool   _requested = false;   // Pmem.compact()

static void clear_runs() {
  if (_runs == NULL) {
    _runs = new GrowableArrayCHeap<SlideRun, mtGC>(64);
  }
  _runs->clear();
  _live_bytes = 0;
}

static void add_run(size_t from, size_t end) {
  const int n = _runs->length();
  if (n > 0 && _runs->at(n - 1).end == from) {
    _runs->at(n - 1).end = end;
  } else {
    SlideRun r = { from, end, _live_bytes };
    _runs->append(r);
  }
  _live_bytes += end - from;
}

// The first run that ends after the start of each 512-byte block of the
// objects area: forward_offset scans a few runs from there.
static const int block_shift = 9;
static uint32_t* _block_first = NULL;
static size_t    _blocks = 0;

static void index_runs() {
  FREE_C_HEAP_ARRAY(uint32_t, _block_first);
  const int n = _runs->length();
  const size_t top = n == 0 ? 0 : _runs->at(n - 1).end;
  _blocks = (top >> block_shift) + 1;
  _block_first = NEW_C_HEAP_ARRAY(uint32_t, _blocks, mtGC);
  int i = 0;
  for (size_t b = 0; b < _blocks; b++) {
    while (i < n && _runs->at(i).end <= (b << block_shift)) {
      i++;
    }
    _block_first[b] = (uint32_t)i;
  }
}

// The new offset of a byte of a live object: its run's distance down.
static uint64_t forward_offset(uint64_t offset) {
  const int n = _runs->length();
  int i = _block_first[MIN2((size_t)(offset >> block_shift), _blocks - 1)];
  while (i < n && _runs->at(i).end <= offset) {
    i++;
  }
  if (i < n && _runs->at(i).from <= offset) {
    return offset - (_runs->at(i).from - _runs->at(i).to);
  }
  // In no run (a damaged reference): as far down as the run below it.
  return i == 0 ? offset : offset - (_runs->at(i - 1).from - _runs->at(i - 1).to);
}

static char* base() {
  return (char*)PmemHeap::bottom();
}

static void* forward_field(const void* p) {
  return base() + forward_offset(pointer_delta(p, base(), 1));
}

static HeapWord* forward_word(HeapWord* p) {
  return (HeapWord*)forward_field(p);
}

static oop forward_oop(oop obj) {
  return cast_to_oop(forward_field(cast_from_oop<void*>(obj)));
}

oop PmemCompact::forwardee(oop obj) {
  return forward_oop(obj);
}

static uint64_t objects_size() {
  return PmemFormat::objects_size(&PmemHeap::file()->header(), PmemHeap::state());
}

// -- the file's phases ------------------------------------------------------

// Root slots hold offset + 1; during a compaction a rewritten one holds
// new offset + 2 (PmemRoots::check accepts both then).
static void root_to_new(volatile uint64_t* slot, void*) {
  const uint64_t v = *slot;
  if (v != 0 && (v - 1) % HeapWordSize == 0) {
    PmemWriteback::store_persist(slot, forward_offset(v - 1) + 2);
  }
}

static void root_back(volatile uint64_t* slot, void*) {
  const uint64_t v = *slot;
  if (v != 0 && (v - 2) % HeapWordSize == 0) {
    PmemWriteback::store_persist(slot, v - 1);
  }
}

// Persists compact_cursor after each chunk of a rewrite.
class CursorChunks : public PmemChunkDone {
  PmemRewriteClosure* const _cl;
  PmemProgress _progress;
public:
  CursorChunks(PmemRewriteClosure* cl, const char* what) :
    _cl(cl), _progress(what, (size_t)PmemHeap::state()->objects_top) {}
  virtual void done(size_t end_offset) {
    _progress.at(end_offset);
    _cl->written_back();
    PmemWriteback::drain();
    PmemFault::reached("compact-rewritten");
    PmemWriteback::store_persist(&PmemHeap::state()->compact_cursor, (uint64_t)end_offset);
  }
};

// Online (headers hold this run's klasses): every reference of the
// objects in runs [from, end), told to done every megabyte or so and at
// the end.
class OnlineOops {
  OopIterateClosure* const _cl;
  PmemChunkDone* const _done;
  size_t _chunk = 0;   // where the chunk under way began
  size_t _at = 0;
public:
  OnlineOops(OopIterateClosure* cl, PmemChunkDone* done) : _cl(cl), _done(done) {}
  void run(size_t from, size_t end) {
    for (_at = from; _at < end; ) {
      oop obj = cast_to_oop(base() + _at);
      obj->oop_iterate(_cl);
      _at += obj->size() * HeapWordSize;
      if (_at - _chunk >= M) {
        _done->done(_at);
        _chunk = _at;
      }
    }
  }
  void finish() {
    if (_at != _chunk) {
      _done->done(_at);
    }
  }
};

static void tag_free(uint64_t at, uint64_t bytes) {
  HeapWord* p = (HeapWord*)(base() + at);
  *(volatile uint64_t*)p = PmemWalk::free_tag(bytes / HeapWordSize);
  PmemWriteback::persist(p, HeapWordSize);
}

static PmemSlideUnit* current_unit() {
  PmemFileState* st = PmemHeap::state();
  return &st->compact_units[st->compact_unit & 1];
}

// A run longer than its distance, copied down a piece at a time: a piece
// is no longer than the distance, so it overwrites only source bytes
// copied (durably) before it. Then the gap it leaves above it tagged free.
static void finish_pieces(PmemSlideUnit* u, size_t* pieces) {
  const uint64_t distance = u->from - u->to;
  while (u->moved < u->bytes) {
    const uint64_t n = MIN3(u->bytes - u->moved, distance, (uint64_t)M);
    memcpy(base() + u->to + u->moved, base() + u->from + u->moved, n);
    PmemWriteback::flush(base() + u->to + u->moved, n);
    PmemWriteback::drain();
    PmemFault::reached("compact-piece");
    PmemWriteback::store_persist(&u->moved, u->moved + n);
    (*pieces)++;
  }
  tag_free(u->to + u->bytes, distance);
}

// Makes the next unit current: the gap below its source one free chunk,
// the other record filled, then switched to with one store.
static PmemSlideUnit* start_unit(uint64_t from, uint64_t to, uint64_t bytes, bool batch) {
  PmemFileState* st = PmemHeap::state();
  tag_free(to, from - to);
  const uint64_t next = (st->compact_unit + 1) & 1;
  PmemSlideUnit* u = &st->compact_units[next];
  u->from = from;
  u->to = to;
  u->bytes = bytes;
  u->moved = 0;
  u->batch = batch ? 1 : 0;
  PmemWriteback::persist(u, sizeof(*u));
  PmemWriteback::store_persist(&st->compact_unit, next);
  return u;
}

// Runs [i, j) in one unit: their copies all lie below the first one's
// source (they take at most its distance), so no copy overwrites a source
// and a crash lets the next start copy the batch again from the start.
static void copy_batch(int i, int j, size_t* pieces) {
  const SlideRun& first = _runs->at(i);
  const SlideRun& last = _runs->at(j - 1);
  start_unit(first.from, first.to, last.end - first.from, true);
  for (int k = i; k < j; k++) {
    const SlideRun& r = _runs->at(k);
    memcpy(base() + r.to, base() + r.from, r.end - r.from);
    PmemFault::reached("compact-piece");
  }
  const uint64_t live_end = last.to + (last.end - last.from);
  PmemWriteback::flush(base() + first.to, live_end - first.to);
  PmemWriteback::drain();
  tag_free(live_end, last.end - live_end);
  (*pieces)++;
}

// Phase 2 from run i on, then the space above the objects one free chunk.
// The distance only grows from run to run, so after the first gaps most
// runs go in batches of many.
static void slide(int i, size_t* pieces) {
  const int n = _runs->length();
  PmemProgress progress("Compacting: sliding objects", n == 0 ? 0 : _runs->at(n - 1).end);
  while (i < n) {
    const SlideRun& r = _runs->at(i);
    const uint64_t distance = r.from - r.to;
    if (distance == 0) {
      i++;   // below the first gap
      continue;
    }
    progress.at(r.from);
    if (r.end - r.from > distance) {
      finish_pieces(start_unit(r.from, r.to, r.end - r.from, false), pieces);
      i++;
    } else {
      const uint64_t room = MIN2(distance, (uint64_t)(64 * M));
      uint64_t live = 0;
      int j = i;
      while (j < n && live + (_runs->at(j).end - _runs->at(j).from) <= room) {
        live += _runs->at(j).end - _runs->at(j).from;
        j++;
      }
      copy_batch(i, j, pieces);
      i = j;
    }
    PmemFault::reached("compact-slid");
  }
  PmemFileState* st = PmemHeap::state();
  if (st->objects_top > st->compact_top) {
    tag_free(st->compact_top, st->objects_top - st->compact_top);
  }
  PmemWriteback::store_persist(&st->compact_cursor, 0);
  PmemWriteback::store_persist(&st->compact_phase, 3);
  PmemFault::reached("compact-slid-all");
}

static void begin_sliding() {
  PmemFileState* st = PmemHeap::state();
  PmemWriteback::store_persist(&st->compact_phase, 2);
  PmemFault::reached("compact-forwarded");
}

static void end_phases() {
  PmemRoots::slots_do(root_back, NULL);
  PmemWriteback::store_persist(&PmemHeap::state()->compact_phase, 0);
}

// -- in a collection --------------------------------------------------------

void PmemCompact::full_gc_begins() {
  _forwarding = false;
  if (_runs != NULL && !_recording) {
    _runs->clear_and_deallocate();
    FREE_C_HEAP_ARRAY(uint32_t, _block_first);
    _block_first = NULL;
    _blocks = 0;
  }
}

void PmemCompact::begin_collection(bool requested) {
  _requested = requested;
  _recording = true;
  clear_runs();
}

void PmemCompact::live_run(HeapWord* start, HeapWord* end) {
  if (_recording) {
    add_run(pointer_delta(start, base(), 1), pointer_delta(end, base(), 1));
  }
}

static bool _promoting = false;
static void promoting(oop) {
  _promoting = true;
}

// Why no compaction can run now, or NULL.
static const char* busy() {
  for (JavaThreadIteratorWithHandle jtiwh; JavaThread* t = jtiwh.next(); ) {
    PmemTxn* txn = PmemTxn::of(t);
    if (txn != NULL && !txn->is_idle()) {
      return "a transaction is open";
    }
  }
  _promoting = false;
  PmemEnums::objects_do(promoting);
  return _promoting ? "an enum is being made persistent" : NULL;
}

bool PmemCompact::after_sweep(size_t live_words) {
  if (!_recording) {
    return false;
  }
  _recording = false;
  PmemFileState* st = PmemHeap::state();
  const size_t top = (size_t)st->objects_top;
  const size_t gaps = _runs->length() == 0 ? 0 : _runs->at(_runs->length() - 1).end - _live_bytes;
  const size_t rest = pointer_delta(PmemHeap::end(), PmemAllocator::top(), 1);
  const size_t free = PmemAllocator::free_bytes() + rest;
  const size_t largest = MAX2(PmemAllocator::largest_free_bytes(), rest);
  const bool fragmented = PmemCompactPercent < 100 && free > 0 &&
                          (free - MIN2(free, largest)) * 100 >= free * PmemCompactPercent;
  const char* why = _requested ? "requested" : "fragmented";
  if (!(_requested || fragmented) || gaps == 0) {
    if (_requested) {
      log_info(gc, pmem)("Persistent heap not compacted (requested): no free space between its objects");
    }
    return false;
  }
  const char* no = busy();
  PmemPlacement mid;
  if (no == NULL) {
    // Disjoint from every value this run's references take: the volatile
    // heap's too, since cache fields and loose objects refer to it.
    const PmemPlacement here = PmemRelocate::current();
    MemRegion all = GenCollectedHeap::heap()->reserved_region();
    const uint64_t lo_addr = MIN2((uint64_t)(uintptr_t)all.start(), (uint64_t)(uintptr_t)PmemHeap::bottom());
    const uint64_t hi_addr = MAX2((uint64_t)(uintptr_t)all.end(), (uint64_t)(uintptr_t)PmemHeap::max_end());
    const uint64_t lo = UseCompressedOops ? (lo_addr - MIN2(lo_addr, here.base)) >> here.shift : lo_addr;
    const uint64_t hi = UseCompressedOops ? (hi_addr - here.base) >> here.shift : hi_addr;
    if (!PmemRelocate::intermediate_outside(lo, hi, objects_size(), &mid)) {
      no = "the reference encoding has no free range to go through";
    }
  }
  if (no != NULL) {
    log_info(gc, pmem)("Persistent heap not compacted (%s): %s", why, no);
    return false;
  }

  const jlong started = os::javaTimeNanos();
  index_runs();
  const PmemPlacement here = PmemRelocate::recorded(st);
  st->compact_mid = mid.address;
  st->compact_top = _live_bytes;
  st->compact_cursor = 0;
  st->compact_unit = 0;
  memset(st->compact_units, 0, sizeof(st->compact_units));
  PmemWriteback::persist(st, sizeof(*st));
  PmemWriteback::store_persist(&st->compact_phase, 1);
  PmemFault::reached("compact-begun");

  // 1: references to their new offsets, in the intermediate encoding.
  PmemRoots::slots_do(root_to_new, NULL);
  PmemRewriteClosure to_mid(here, mid, objects_size(), forward_offset, false /* cache fields hold volatile objects */);
  {
    CursorChunks chunks(&to_mid, "Compacting: forwarding references");
    OnlineOops oops(&to_mid, &chunks);
    for (int i = 0; i < _runs->length(); i++) {
      oops.run(_runs->at(i).from, _runs->at(i).end);
    }
    oops.finish();
  }
  const jlong forwarded = os::javaTimeNanos();
  begin_sliding();
  // 2
  size_t pieces = 0;
  slide(0, &pieces);
  const jlong slid = os::javaTimeNanos();
  // 3: back to this placement.
  PmemRewriteClosure back(mid, here, objects_size(), NULL, false);
  {
    CursorChunks chunks(&back, "Compacting: references back");
    OnlineOops oops(&back, &chunks);
    oops.run(0, (size_t)st->compact_top);
    oops.finish();
  }
  end_phases();

  // The volatile side follows.
  size_t moved_bytes = 0;
  for (int i = 0; i < _runs->length(); i++) {
    const SlideRun& r = _runs->at(i);
    if (r.from != r.to) {
      PmemVolatileRefs::slide_bits((HeapWord*)(base() + r.from), (HeapWord*)(base() + r.to),
                                   (r.end - r.from) / HeapWordSize);
      moved_bytes += r.end - r.from;
    }
  }
  PmemVolatileRefs::slots_moved(forward_field);
  PmemEnums::twins_moved(forward_oop);
  for (JavaThreadIteratorWithHandle jtiwh; JavaThread* t = jtiwh.next(); ) {
    PmemTxn* txn = PmemTxn::of(t);
    if (txn != NULL) {
      txn->log_chunks_moved(forward_word);
    }
  }
  _forwarding = true;   // for Serial's adjust phase, until the next full GC

  // One free chunk above the objects.
  HeapWord* new_top = (HeapWord*)(base() + st->compact_top);
  PmemAllocator::begin_rebuild();
  if (top > st->compact_top) {
    PmemAllocator::add_free(new_top, (top - st->compact_top) / HeapWordSize);
  }
  PmemAllocator::end_rebuild(live_words * HeapWordSize);
  _compactions++;
  log_info(gc, pmem)("Persistent heap compacted (%s): " SIZE_FORMAT "K of objects in %d runs, " SIZE_FORMAT
                     "K moved (" SIZE_FORMAT " pieces), " SIZE_FORMAT " references rewritten; free " SIZE_FORMAT
                     "K in " SIZE_FORMAT " chunk(s) (largest " SIZE_FORMAT "K) and " SIZE_FORMAT
                     "K never used; references %.1f ms, slide %.1f ms, references back %.1f ms",
                     why, _live_bytes / K, _runs->length(), moved_bytes / K, pieces, to_mid.rewritten(),
                     PmemAllocator::free_bytes() / K, PmemAllocator::free_chunks(),
                     PmemAllocator::largest_free_bytes() / K, pointer_delta(PmemHeap::end(), PmemAllocator::top(), 1) / K,
                     (forwarded - started) / 1e6, (slid - forwarded) / 1e6, (os::javaTimeNanos() - slid) / 1e6);
  return true;
}

// -- at attach ----------------------------------------------------------

void PmemCompact::finish_unit() {
  PmemSlideUnit* u = current_unit();
  if (PmemHeap::state()->compact_phase != 2 || u->bytes == 0) {
    return;   // none started
  }
  if (u->batch != 0) {
    tag_free(u->to, u->from - u->to);   // its copies are void: the batch goes again
  } else {
    size_t pieces = 0;
    finish_pieces(u, &pieces);
  }
}

// The runs of live objects in [from, objects_top), the first going to to.
class RunsOf : public PmemObjectVisitor {
public:
  virtual void visit(HeapWord* obj, size_t offset, int type, size_t words) {
    add_run(offset, offset + words * HeapWordSize);
  }
  static void collect(size_t from, size_t to) {
    clear_runs();
    _live_bytes = to;
    RunsOf v;
    PmemAttach::objects_do(from, (size_t)PmemHeap::state()->objects_top, &v);
    index_runs();
  }
};

bool PmemCompact::resume(char* err, size_t err_len) {
  PmemFileState* st = PmemHeap::state();
  const uint64_t phase = st->compact_phase;
  if (phase == 0) {
    return true;
  }
  const jlong started = os::javaTimeNanos();
  const PmemPlacement here = PmemRelocate::recorded(st);
  const PmemPlacement mid = PmemRelocate::mid_at(st->compact_mid);
  size_t pieces = 0;
  size_t rewritten = 0;
  if (phase == 1) {
    RunsOf::collect(0, 0);
    if (_live_bytes != st->compact_top) {
      jio_snprintf(err, err_len, "%s is damaged: its objects take " SIZE_FORMAT " bytes, but the compaction under "
                   "way recorded " UINT64_FORMAT, PmemHeap::file()->path(), _live_bytes, st->compact_top);
      return false;
    }
    PmemRoots::slots_do(root_to_new, NULL);
    PmemRewriteClosure to_mid(here, mid, objects_size(), forward_offset, true /* the last run's volatile objects */);
    CursorChunks chunks(&to_mid, "Compacting: forwarding references");
    PmemAttach::oops_do((size_t)st->compact_cursor, &to_mid, &chunks);
    rewritten += to_mid.rewritten();
    begin_sliding();
    slide(0, &pieces);
  } else if (phase == 2) {
    // finish_unit() ended the current run, or voided the current batch:
    // the rest lies above the one, from the start of the other.
    const PmemSlideUnit* u = current_unit();
    if (u->batch != 0) {
      RunsOf::collect(u->from, u->to);
    } else {
      RunsOf::collect(u->from + u->bytes, u->to + u->bytes);
    }
    if (_live_bytes != st->compact_top) {
      jio_snprintf(err, err_len, "%s is damaged: its objects end at " SIZE_FORMAT " once slid together, but the "
                   "compaction under way recorded " UINT64_FORMAT, PmemHeap::file()->path(), _live_bytes,
                   st->compact_top);
      return false;
    }
    slide(0, &pieces);
  }
  PmemRewriteClosure back(mid, here, objects_size(), NULL, true);
  CursorChunks chunks(&back, "Compacting: references back");
  PmemAttach::oops_do((size_t)st->compact_cursor, &back, &chunks);
  rewritten += back.rewritten();
  end_phases();
  clear_runs();
  log_info(gc, pmem)("Finished the compaction of %s that a crash interrupted (phase " UINT64_FORMAT "): "
                     SIZE_FORMAT " references rewritten, " SIZE_FORMAT " pieces copied, %.1f ms",
                     PmemHeap::file()->path(), phase, rewritten, pieces, (os::javaTimeNanos() - started) / 1e6);
  return true;
}
