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
#include "gc/pmem/pmemAttach.hpp"
#include "gc/pmem/pmemFault.hpp"
#include "gc/pmem/pmemFormat.hpp"
#include "gc/pmem/pmemHeap.hpp"
#include "gc/pmem/pmemHeapFile.hpp"
#include "gc/pmem/pmemProgress.hpp"
#include "gc/pmem/pmemRelocate.hpp"
#include "gc/pmem/pmemWriteback.hpp"
#include "jvm_io.h"
#include "logging/log.hpp"
#include "memory/iterator.hpp"
#include "oops/compressedOops.hpp"
#include "runtime/globals.hpp"
#include "runtime/os.hpp"
#include "utilities/align.hpp"

const char* PmemRelocate::_reason = NULL;

uint64_t PmemPlacement::value_of(uint64_t offset) const {
  return UseCompressedOops ? (address + offset - base) >> shift : address + offset;
}

uint64_t PmemPlacement::offset_in(uint64_t value) const {
  return UseCompressedOops ? base + (value << shift) - address : value - address;
}

PmemPlacement PmemRelocate::current() {
  PmemPlacement pl;
  pl.address = (uint64_t)(uintptr_t)PmemHeap::bottom();
  pl.base = UseCompressedOops ? (uint64_t)(uintptr_t)CompressedOops::base() : 0;
  pl.shift = UseCompressedOops ? (uint64_t)CompressedOops::shift() : 0;
  return pl;
}

PmemPlacement PmemRelocate::recorded(const PmemFileState* st) {
  PmemPlacement pl = { st->heap_address, st->narrow_oop_base, st->narrow_oop_shift };
  return pl;
}

static PmemPlacement target(const PmemFileState* st) {
  PmemPlacement pl = { st->reloc_address, st->reloc_base, st->reloc_shift };
  return pl;
}

// An intermediate placement is zero-based, with the smallest shift.
PmemPlacement PmemRelocate::mid_at(uint64_t address) {
  PmemPlacement pl = { address, 0, UseCompressedOops ? (uint64_t)LogMinObjAlignmentInBytes : 0 };
  return pl;
}

// The placement fields change under a zero check word, so a crash between
// their stores leaves a file that is not refused; once they are durable the
// check word is set, and a damaged heap_address no longer goes unnoticed.
void PmemRelocate::record(PmemFileState* st, const PmemPlacement& pl) {
  if (recorded(st) == pl && st->placement_check == PmemFormat::placement_check(st)) {
    return;
  }
  PmemWriteback::store_persist(&st->placement_check, 0);
  st->heap_address = pl.address;   // aligned 8-byte stores: never torn
  st->narrow_oop_base = pl.base;
  st->narrow_oop_shift = pl.shift;
  PmemWriteback::persist(st, sizeof(*st));
  PmemWriteback::store_persist(&st->placement_check, PmemFormat::placement_check(st));
}

bool PmemRelocate::needed() {
  const PmemFileState* st = PmemHeap::state();
  return st->heap_address != 0 && (st->reloc_phase != 0 || !(recorded(st) == current()));
}

static uint64_t objects_size() {
  return PmemFormat::objects_size(&PmemHeap::file()->header(), PmemHeap::state());
}

void PmemRewriteClosure::set(void* p, uint64_t v) {
  if (UseCompressedOops) {
    *(volatile uint32_t*)p = (uint32_t)v;
  } else {
    *(volatile uint64_t*)p = v;
  }
  _lines.changed(p);
}

void PmemRewriteClosure::work(void* p) {
  const uint64_t v = UseCompressedOops ? *(volatile uint32_t*)p : *(volatile uint64_t*)p;
  if (v == 0 || _to.holds(v, _size)) {
    return;
  }
  if (_from.holds(v, _size)) {
    const uint64_t offset = _from.offset_in(v);
    set(p, _to.value_of(_forward != NULL ? _forward(offset) : offset));
    _rewritten++;
  } else if (_drop_others) {
    set(p, 0);
    _dropped++;
  }
}

// Whether the value ranges of a and b (objects areas of size bytes) are disjoint.
bool PmemRelocate::disjoint(const PmemPlacement& a, const PmemPlacement& b, uint64_t size) {
  return a.value_of(size) <= b.value_of(0) || b.value_of(size) <= a.value_of(0);
}

// A placement whose value range is disjoint from a's and b's, to go
// through when theirs overlap. This run never maps it: only its values are
// written (a run after a crash may map the file there). With compressed oops it must fit the 32-bit values (zero-based,
// the smallest shift of an 8-byte alignment).
bool PmemRelocate::intermediate(const PmemPlacement& a, const PmemPlacement& b, uint64_t size, PmemPlacement* mid) {
  return intermediate_outside(MIN2(a.value_of(0), b.value_of(0)), MAX2(a.value_of(size), b.value_of(size)), size, mid);
}

bool PmemRelocate::intermediate_outside(uint64_t lo, uint64_t hi, uint64_t size, PmemPlacement* mid) {
  if (!UseCompressedOops) {
    *mid = mid_at(align_up(hi, (uint64_t)G) + G);
    return true;
  }
  const uint64_t shift = LogMinObjAlignmentInBytes;
  const uint64_t len = (size >> shift) + 1;
  // A whole number of gigabytes: a later run may map the file there.
  const uint64_t page = G >> shift;
  uint64_t start = align_up(hi, page);
  if (start + len > (UCONST64(1) << 32)) {
    if (lo < len + 2 * page) {
      return false;
    }
    start = align_down(lo - len, page);
  }
  *mid = mid_at(start << shift);
  return true;
}

// Runs cl over every reference from the cursor on; with a step (step),
// persists the cursor after each chunk.
class StepChunks : public PmemChunkDone {
  PmemRewriteClosure* const _cl;
  const bool _step;
  PmemProgress _progress;
public:
  StepChunks(PmemRewriteClosure* cl, bool step) :
    _cl(cl), _step(step), _progress(step ? "Relocating references" : "Dropping references to a crashed run's objects",
                                    (size_t)PmemHeap::state()->objects_top) {}
  virtual void done(size_t end_offset) {
    _progress.at(end_offset);
    _cl->written_back();
    PmemWriteback::drain();
    if (_step) {
      PmemFault::reached("relocate-rewritten");
      PmemWriteback::store_persist(&PmemHeap::state()->reloc_cursor, (uint64_t)end_offset);
      PmemFault::reached("relocate-chunk-done");
    }
  }
};

// The first pass of a two-pass chunk: its lines durable, then the mark
// that the chunk holds no value of the source placement any more.
class FirstPassDone : public PmemChunkDone {
  PmemRewriteClosure* const _cl;
public:
  FirstPassDone(PmemRewriteClosure* cl) : _cl(cl) {}
  virtual void done(size_t end_offset) {
    _cl->written_back();
    PmemWriteback::drain();
    PmemWriteback::store_persist(&PmemHeap::state()->reloc_mid_cursor, (uint64_t)end_offset);
    PmemFault::reached("relocate-first-pass");
  }
};

// Two steps in one walk (phase 2): per chunk, from the recorded placement
// to the intermediate one, durably, then from it to the target. A chunk's
// values are source or intermediate during the first pass, intermediate or
// target during the second: never source and target at once, which may
// overlap.
static void rewrite_twice(PmemRewriteClosure* first, PmemRewriteClosure* second) {
  PmemFileState* st = PmemHeap::state();
  FirstPassDone first_done(first);
  StepChunks second_done(second, true);
  PmemAttach::oops_do_twice((size_t)st->reloc_cursor, first, &first_done, (size_t)st->reloc_mid_cursor,
                            second, &second_done);
  second->written_back();
  PmemWriteback::drain();
}

static void rewrite(PmemRewriteClosure* cl, bool step) {
  StepChunks chunks(cl, step);
  PmemAttach::oops_do(step ? (size_t)PmemHeap::state()->reloc_cursor : 0, cl, &chunks);
  cl->written_back();
  PmemWriteback::drain();
}

static void log_step(const char* what, const PmemPlacement& from, const PmemPlacement& to, const PmemRewriteClosure& cl) {
  log_debug(gc, pmem)("Relocation %s: " PTR64_FORMAT " (base " PTR64_FORMAT ", shift " UINT64_FORMAT ") -> " PTR64_FORMAT
                      " (base " PTR64_FORMAT ", shift " UINT64_FORMAT "): " SIZE_FORMAT " references rewritten, "
                      SIZE_FORMAT " set to null", what, from.address, from.base, from.shift, to.address, to.base,
                      to.shift, cl.rewritten(), cl.dropped());
}

bool PmemRelocate::run(char* err, size_t err_len) {
  PmemFileState* st = PmemHeap::state();
  if (!needed()) {
    return true;   // in place, or never attached (no reference written yet)
  }
  const PmemPlacement here = current();
  const PmemPlacement from = recorded(st);
  const uint64_t size = objects_size();
  const jlong start = os::javaTimeNanos();
  size_t rewritten = 0;
  size_t dropped = 0;
  size_t lines = 0;
  int steps = 0;
  const bool resumed = st->reloc_phase != 0;
  bool swept = false;   // no reference outside the recorded placement's range
  // At most: finish a recorded step, then go through an intermediate placement.
  for (int round = 0; round < 4; round++) {
    if (st->reloc_phase == 1) {
      const PmemPlacement to = target(st);
      PmemRewriteClosure cl(recorded(st), to, size);
      rewrite(&cl, true);
      log_step(round == 0 ? "resumed" : "step", recorded(st), to, cl);
      rewritten += cl.rewritten();
      dropped += cl.dropped();
      lines += cl.lines();
      steps++;
    } else if (st->reloc_phase == 2) {
      const PmemPlacement to = target(st);
      const PmemPlacement mid = mid_at(st->reloc_mid);
      PmemRewriteClosure first(recorded(st), mid, size);
      PmemRewriteClosure second(mid, to, size);
      rewrite_twice(&first, &second);
      log_step(round == 0 ? "resumed, first pass" : "first pass", recorded(st), mid, first);
      log_step(round == 0 ? "resumed, second pass" : "second pass", mid, to, second);
      rewritten += first.rewritten() + second.rewritten();
      dropped += first.dropped() + second.dropped();
      lines += first.lines() + second.lines();
      steps += 2;
    }
    if (st->reloc_phase != 0) {
      const PmemPlacement to = target(st);
      record(st, to);
      PmemFault::reached("relocate-placed");
      PmemWriteback::store_persist(&st->reloc_phase, 0);
      swept = true;
    }
    const PmemPlacement now = recorded(st);
    if (now == here) {
      break;
    }
    PmemPlacement mid;
    const bool direct = disjoint(now, here, size);
    if (!direct && !intermediate(now, here, size, &mid)) {
      jio_snprintf(err, err_len, "cannot relocate %s from " PTR64_FORMAT " to " PTR64_FORMAT ": its " UINT64_FORMAT
                   "M of objects leave no range of compressed references to go through; map it at its recorded "
                   "address or further away (-XX:PmemHeapAddress)", PmemHeap::file()->path(), now.address,
                   here.address, size / M);
      return false;
    }
    if (!swept && st->clean_shutdown == 0) {
      // References that are in no placement's range: none may remain when
      // values start to tell rewritten fields from old ones. Only a crash
      // leaves them where they matter: an orderly exit sets every cache
      // field to null, and persistent objects refer to volatile ones only
      // there and in enum twins (PmemEnums::reset clears those). What else
      // holds one is garbage, which nothing traces or reads.
      PmemRewriteClosure drop(now, now, size);
      rewrite(&drop, false);
      dropped += drop.dropped();
      lines += drop.lines();
      swept = true;
    }
    st->reloc_address = here.address;
    st->reloc_base = here.base;
    st->reloc_shift = here.shift;
    st->reloc_cursor = 0;
    st->reloc_mid = direct ? 0 : mid.address;
    st->reloc_mid_cursor = 0;
    PmemWriteback::persist(st, sizeof(*st));
    PmemWriteback::store_persist(&st->reloc_phase, direct ? 1 : 2);
    PmemFault::reached("relocate-begun");
  }
  guarantee(recorded(st) == here && st->reloc_phase == 0, "relocation reached this run's placement");
  log_info(gc, pmem)("Relocated %s%s from " PTR64_FORMAT " to " PTR64_FORMAT " (%s): " SIZE_FORMAT
                     " references rewritten, " SIZE_FORMAT " to the last run's volatile objects set to null, "
                     SIZE_FORMAT " cache lines written back, %d step(s), %.1f ms",
                     PmemHeap::file()->path(), resumed ? " (resumed after a crash)" : "", from.address, here.address,
                     _reason != NULL ? _reason
                                     : resumed ? "the relocation a crash interrupted"
                                               : (from.address == here.address ? "the reference encoding changed"
                                                                               : "mapped elsewhere"),
                     rewritten, dropped, lines, steps, (os::javaTimeNanos() - start) / 1e6);
  return true;
}

oop PmemRelocate::load(const void* field) {
  const PmemFileState* st = PmemHeap::state();
  const uint64_t v = UseCompressedOops ? *(volatile uint32_t*)field : *(volatile uint64_t*)field;
  const uint64_t size = objects_size();
  if (v == 0) {
    return NULL;
  }
  // In a two-pass step the source and target ranges may overlap: where the
  // field lies says which of them its value can be in.
  const size_t at = pointer_delta(field, PmemHeap::bottom(), 1);
  const bool may_be_target = st->reloc_phase == 1 || (st->reloc_phase == 2 && at < st->reloc_mid_cursor);
  const bool may_be_source = st->reloc_phase != 2 || at >= st->reloc_cursor;
  uint64_t offset;
  if (may_be_target && target(st).holds(v, size)) {
    offset = target(st).offset_in(v);
  } else if (st->reloc_phase == 2 && mid_at(st->reloc_mid).holds(v, size)) {
    offset = mid_at(st->reloc_mid).offset_in(v);
  } else if (!may_be_source) {
    return NULL;
  } else if (st->heap_address == 0 || recorded(st).holds(v, size)) {
    offset = st->heap_address == 0 ? current().offset_in(v) : recorded(st).offset_in(v);
  } else {
    return NULL;   // a volatile object of the last run
  }
  return cast_to_oop((char*)PmemHeap::bottom() + offset);
}
