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
#include "gc/pmem/pmemDeferred.hpp"
#include "gc/pmem/pmemFault.hpp"
#include "gc/pmem/pmemFormat.hpp"
#include "gc/pmem/pmemHeap.hpp"
#include "gc/pmem/pmemMark.hpp"
#include "gc/pmem/pmemThreadLocalData.hpp"
#include "gc/pmem/pmemTxn.hpp"
#include "gc/pmem/pmemWalk.hpp"
#include "gc/pmem/pmemWriteback.hpp"
#include "logging/log.hpp"
#include "oops/oop.inline.hpp"
#include "runtime/atomic.hpp"
#include "runtime/mutex.hpp"
#include "runtime/mutexLocker.hpp"
#include "runtime/orderAccess.hpp"
#include "runtime/safepoint.hpp"
#include "runtime/thread.hpp"

STATIC_ASSERT(sizeof(((PmemFileState*)NULL)->defer_slots) / sizeof(PmemDeferSlot) == PmemDeferred::slot_count);

// The running JVM's view of each slot: what the file's slot says, as
// addresses. Read without the lock (a slot's fields change only under it,
// and a racy read is rechecked under it before anything is written).
struct DeferView {
  Thread* volatile   owner;   // NULL: free; detached(): no thread bumps in it
  HeapWord* volatile start;
  HeapWord* volatile end;
  HeapWord* volatile mark;
};

static DeferView _view[PmemDeferred::slot_count];
// The owner of a detached slot: its thread may have ended since.
static Thread* detached() { return (Thread*)(uintptr_t)1; }
static volatile int _owned = 0;        // slots with an owner: 0 makes the checks one load
static volatile int _used = 0;         // slots at this index and above were never claimed
static Mutex* volatile _lock = NULL;   // guards claims, raises and ends
static bool _full_logged = false;
// Every slot is some thread's current one: claims fail without the lock
// until a slot is detached or freed (compiled pnew asks at each object
// while its thread holds none).
static volatile bool _full = false;

static Mutex* lock() {
  if (Atomic::load_acquire(&_lock) == NULL) {
    // Nothing is locked under it; ranked below the allocator's lock, which
    // a caller may hold.
    Mutex* m = new Mutex(Mutex::leaf - 1, "PmemDeferred_lock", true, Mutex::_safepoint_check_never);
    if (Atomic::cmpxchg(&_lock, (Mutex*)NULL, m) != NULL) {
      delete m;
    }
  }
  return _lock;
}

static PmemDeferSlot* file_slot(int i) {
  return &PmemHeap::state()->defer_slots[i];
}

static uint64_t offset_of_word(HeapWord* p) {
  return (uint64_t)pointer_delta(p, PmemHeap::bottom(), 1);
}

// Writes back [from, to) of the objects area and fences.
static void write_back(HeapWord* from, HeapWord* to) {
  if (to > from) {
    PmemWriteback::flush(from, pointer_delta(to, from, 1));
    PmemWriteback::drain();
  }
}

// Under the lock: the thread's slot (-1: none) and the part of it above
// the mark, [lo, hi), where its stores may wait (store_waits).
static void set_thread_slot(Thread* thread, int slot, HeapWord* lo, HeapWord* hi) {
  PmemThreadLocalData::set_defer_slot(thread, slot);
  PmemThreadLocalData::set_defer_hi(thread, (uintptr_t)hi);
  Atomic::release_store(PmemThreadLocalData::defer_lo_addr(thread), (uintptr_t)lo);
}

// Under the lock: frees slot i, durably unless told not to.
static void free_locked(int i, bool durably) {
  DeferView& v = _view[i];
  Thread* const owner = v.owner;
  if (owner != detached() && owner != NULL) {
    // (Slots are detached before they are freed; should a current one be
    // freed, its owner must stop letting stores wait on it.)
    set_thread_slot(owner, -1, NULL, NULL);
  }
  if (durably) {
    PmemWriteback::store_persist(&file_slot(i)->start, 0);
  } else {
    file_slot(i)->start = 0;
    PmemWriteback::flush(&file_slot(i)->start, sizeof(uint64_t));
  }
  Atomic::release_store(&v.owner, (Thread*)NULL);
  Atomic::dec(&_owned);
  Atomic::release_store(&_full, false);
}

// Under the lock, the table full: a detached slot (no thread bumps in it)
// written back whole and freed. Its objects may be linked later, so they
// cannot just be freed. -1 if every slot is some thread's current one.
static int reclaim_locked() {
  for (int j = 0; j < PmemDeferred::slot_count; j++) {
    DeferView& v = _view[j];
    if (v.owner == detached()) {
      write_back(v.mark, v.end);
      free_locked(j, true);
      return j;
    }
  }
  return -1;
}

static bool claim(Thread* thread, HeapWord* mem, HeapWord* end);

bool PmemDeferred::covers(Thread* thread, HeapWord* mem, size_t words) {
  // Only an object bumped in the thread's buffer: a large one has a chunk
  // of its own, which no slot covers.
  if (PmemTxn::in_txn(thread) || PmemThreadLocalData::buffer_top(thread) != mem + words) {
    return false;
  }
  const int i = PmemThreadLocalData::defer_slot(thread);
  if (i >= 0) {
    const DeferView& v = _view[i];
    return mem >= v.start && mem < v.end;
  }
  return claim(thread, mem, PmemThreadLocalData::buffer_end(thread));
}

// Claims a slot for [mem, end) of the thread's buffer, the thread holding
// none. False if the table is full of current slots.
static bool claim(Thread* thread, HeapWord* mem, HeapWord* end) {
  assert(PmemThreadLocalData::defer_slot(thread) < 0, "the thread's slot is detached first");
  if (Atomic::load_acquire(&_full)) {
    return false;
  }
  MutexLocker ml(lock(), Mutex::_no_safepoint_check_flag);
  int free = -1;
  for (int j = 0; j < PmemDeferred::slot_count && free < 0; j++) {
    if (_view[j].owner == NULL) free = j;
  }
  if (free < 0) {
    free = reclaim_locked();
  }
  if (free < 0) {
    Atomic::release_store(&_full, true);
    if (!_full_logged) {
      _full_logged = true;
      log_info(gc, pmem)("All %d deferred allocation buffers are in use: more threads allocate outside "
                         "transactions at once; their objects are written back one by one", PmemDeferred::slot_count);
    }
    return false;
  }
  // The slot's bounds are durable before it counts (start last), and it
  // counts before any object of it is made: a crash then frees the
  // buffer's rest, never parses it.
  PmemDeferSlot* d = file_slot(free);
  d->end = offset_of_word(end);
  d->mark = offset_of_word(mem);
  PmemWriteback::persist(d, sizeof(*d));
  PmemWriteback::store_persist(&d->start, offset_of_word(mem) + 1);
  DeferView& v = _view[free];
  if (free >= _used) {
    Atomic::release_store(&_used, free + 1);   // claims take the lowest free slot: few threads, a short scan
  }
  v.start = mem;
  v.end = end;
  v.mark = mem;
  Atomic::release_store(&v.owner, thread);
  Atomic::inc(&_owned);
  set_thread_slot(thread, free, mem, end);
  log_trace(gc, pmem, alloc)("Deferred buffer slot %d claimed at offset " UINT64_FORMAT " (" SIZE_FORMAT " bytes)",
                      free, offset_of_word(mem), pointer_delta(end, mem, 1));
  return true;
}

// The thread stops deferring in its slot's buffer: the slot ends at the
// buffer's top, so that what is allocated above it later (a transaction's
// objects, objects written back one by one, another owner's after a sweep
// freed the rest) is not freed by recovery. The buffer's rest stays the
// thread's: its zeros are durable (PmemAllocator::take_chunk), so it
// parses without the slot. The cut needs no fence of its own: whatever
// makes an object above it durable (a commit, a write-back, a claim) is
// this thread's and fences after it, and a sweep's reuse comes after a
// safepoint. The objects below stay deferred until a collection or a link.
void PmemDeferred::detach(Thread* thread) {
  const int i = PmemThreadLocalData::defer_slot(thread);
  if (i < 0) {
    return;
  }
  MutexLocker ml(lock(), Mutex::_no_safepoint_check_flag);
  DeferView& v = _view[i];
  HeapWord* top = PmemThreadLocalData::buffer_top(thread);
  // This thread's stores above the cut are written back from now on; the
  // ones it made before wait for the slot's raise or collection as before.
  set_thread_slot(thread, -1, NULL, NULL);
  if (top == NULL || top < v.mark || top > v.end) {
    top = v.mark;   // (cannot happen: the buffer is the slot's)
  }
  if (top == v.mark) {
    free_locked(i, false);   // nothing deferred in it
    return;
  }
  file_slot(i)->end = offset_of_word(top);
  PmemWriteback::flush(&file_slot(i)->end, sizeof(uint64_t));
  v.end = top;
  Atomic::release_store(&v.owner, detached());
  Atomic::release_store(&_full, false);   // reclaimable now
}

// The slot whose non-durable part holds p, or -1 (racy; see DeferView).
static int find(const void* p) {
  if (Atomic::load_acquire(&_owned) == 0) {
    return -1;
  }
  const int used = Atomic::load_acquire(&_used);
  for (int i = 0; i < used; i++) {
    const DeferView& v = _view[i];
    if (Atomic::load_acquire(&v.owner) != NULL && p >= (const void*)v.mark && p < (const void*)v.end) {
      return i;
    }
  }
  return -1;
}

bool PmemDeferred::is_deferred(const void* p) {
  return find(p) >= 0;
}

bool PmemDeferred::store_waits(Thread* thread, const void* addr, size_t len) {
  const uintptr_t a = (uintptr_t)addr;
  volatile uintptr_t* lo = PmemThreadLocalData::defer_lo_addr(thread);
  if (a < *lo || a + len > PmemThreadLocalData::defer_hi(thread)) {
    return false;   // (no fence: a write-back is never wrong)
  }
  OrderAccess::fence();
  return a >= Atomic::load_acquire(lo);
}

void PmemDeferred::before_reference(oop holder, oop val) {
  HeapWord* const p = cast_from_oop<HeapWord*>(val);
  const int i = p == NULL ? -1 : find(p);
  if (i < 0) {
    return;
  }
  HeapWord* const h = cast_from_oop<HeapWord*>(holder);
  {
    const DeferView& v = _view[i];
    if (h != NULL && h > p && h >= v.start && h < v.end) {
      return;   // a raise past the holder passes val too
    }
  }
  MutexLocker ml(lock(), Mutex::_no_safepoint_check_flag);
  DeferView& v = _view[i];
  if (v.owner == NULL || p < v.mark || p >= v.end) {
    return;   // ended, or raised past it, meanwhile
  }
  HeapWord* const to = p + val->size();
  // The owner's stores below to stop waiting first (store_waits): then
  // the write-back sees every store the owner let wait.
  Thread* const owner = v.owner;
  if (owner != detached()) {
    Atomic::release_store(PmemThreadLocalData::defer_lo_addr(owner), (uintptr_t)to);
  }
  OrderAccess::fence();
  // The objects first, then the mark that says they are there.
  write_back(v.mark, to);
  PmemFault::reached("deferred-written-back");
  PmemWriteback::store_persist(&file_slot(i)->mark, offset_of_word(to));
  v.mark = to;
}

void PmemDeferred::write_back_marked() {
  assert(SafepointSynchronize::is_at_safepoint(), "threads must be stopped");
  if (Atomic::load(&_owned) == 0) {
    return;
  }
  for (int i = 0; i < slot_count; i++) {
    const DeferView& v = _view[i];
    if (v.owner == NULL) continue;
    for (HeapWord* p = PmemMark::next_marked(v.mark, v.end); p < v.end; ) {
      const size_t words = cast_to_oop(p)->size();
      PmemWriteback::flush(p, words * HeapWordSize);
      p = p + words < v.end ? PmemMark::next_marked(p + words, v.end) : v.end;
    }
  }
}

void PmemDeferred::free_all() {
  assert(SafepointSynchronize::is_at_safepoint(), "threads must be stopped");
  if (Atomic::load(&_owned) == 0) {
    return;
  }
  MutexLocker ml(lock(), Mutex::_no_safepoint_check_flag);
  for (int i = 0; i < slot_count; i++) {
    if (_view[i].owner != NULL) {
      assert(_view[i].owner == detached(), "a current slot at a collection");
      free_locked(i, false);
    }
  }
  PmemWriteback::drain();
}

static size_t free_above_marks(char* objects, PmemFileState* st, bool durably, int* slots) {
  size_t freed = 0;
  int n = 0;
  for (int i = 0; i < PmemDeferred::slot_count; i++) {
    PmemDeferSlot* d = &st->defer_slots[i];
    if (d->start == 0) {
      continue;
    }
    n++;
    if (d->mark < d->end) {
      HeapWord* at = (HeapWord*)(objects + d->mark);
      *(volatile uint64_t*)at = PmemWalk::free_tag((size_t)(d->end - d->mark) / HeapWordSize);
      if (durably) PmemWriteback::persist(at, HeapWordSize);
      freed += (size_t)(d->end - d->mark);
    }
    if (durably) {
      PmemWriteback::store_persist(&d->start, 0);
    } else {
      d->start = 0;
    }
  }
  if (slots != NULL) *slots = n;
  return freed;
}

size_t PmemDeferred::recover(int* slots) {
  return free_above_marks((char*)PmemHeap::bottom(), PmemHeap::state(), true, slots);
}

void PmemDeferred::recover_copy(char* objects, PmemFileState* state) {
  free_above_marks(objects, state, false, NULL);
}
