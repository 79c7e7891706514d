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
#include "classfile/vmSymbols.hpp"
#include "gc/pmem/pmemAllocator.hpp"
#include "gc/pmem/pmemAttach.hpp"
#include "gc/pmem/pmemCollector.hpp"
#include "gc/pmem/pmemConvert.hpp"
#include "gc/pmem/pmemFault.hpp"
#include "gc/pmem/pmemHeapFile.hpp"
#include "gc/pmem/pmemJfr.hpp"
#include "gc/pmem/pmemOs.hpp"
#include "gc/pmem/pmemEnums.hpp"
#include "gc/pmem/pmemDeferred.hpp"
#include "gc/pmem/pmemHeap.hpp"
#include "gc/pmem/pmemRelocate.hpp"
#include "gc/pmem/pmemRoots.hpp"
#include "gc/pmem/pmemTxn.hpp"
#include "gc/pmem/pmemTypeTable.hpp"
#include "gc/pmem/pmemVerify.hpp"
#include "gc/pmem/pmemWriteback.hpp"
#include "gc/shared/cardTableRS.hpp"
#include "gc/shared/genCollectedHeap.hpp"
#include "logging/log.hpp"
#include "memory/resourceArea.hpp"
#include "oops/compressedOops.hpp"
#include "gc/shared/gc_globals.hpp"
#include "runtime/globals.hpp"
#include "runtime/handles.inline.hpp"
#include "runtime/java.hpp"
#include "runtime/os.hpp"
#include "runtime/synchronizer.hpp"
#include "services/memTracker.hpp"
#include "utilities/align.hpp"
#include "utilities/formatBuffer.hpp"

#include <errno.h>

PmemHeapFile* PmemHeap::_file = NULL;
volatile bool PmemHeap::_attach_pending = false;
char* PmemHeap::_attach_error = NULL;
char*     PmemHeap::_file_base = NULL;
HeapWord* PmemHeap::_bottom = NULL;
HeapWord* volatile PmemHeap::_end = NULL;
HeapWord* PmemHeap::_max_end = NULL;
size_t    PmemHeap::_max_file_size = 0;

// Where a new file goes without compressed oops: a fixed, high address, so
// the raw references in the file stay valid in the next run.
static const uintptr_t uncompressed_top = (uintptr_t)512 * G;

// A reserved heap space whose memory we reserved ourselves, at the address
// the persistent part needs. A ReservedHeapSpace of size 0 reserves nothing.
// With prefix, [base, base + prefix) is the no-access page that heap-based
// compressed oops need: their base lies there, so that no object encodes as
// 0 (null) and a null's decoded address faults (implicit null checks).
class PmemReservedHeapSpace : public ReservedHeapSpace {
public:
  PmemReservedHeapSpace(char* base, size_t size, size_t alignment, size_t page_size, size_t prefix) :
    ReservedHeapSpace(0, alignment, page_size, NULL) {
    initialize_members(base, size, alignment, page_size, false, false);
    if (prefix > 0) {
      if (!os::protect_memory(_base, prefix, os::MEM_PROT_NONE, false)) {
        fatal("cannot protect the page below the heap");
      }
      _noaccess_prefix = prefix;
      _base += prefix;
      _size -= prefix;
    }
  }
};

// The no-access prefix a heap at [at, at + size) needs: heap-based
// compressed oops, above what zero-based ones reach.
static size_t prefix_for(const char* at, size_t size, size_t alignment) {
  return UseCompressedOops && (uintptr_t)at + size > (uintptr_t)OopEncodingHeapMax
         ? lcm((size_t)os::vm_page_size(), alignment) : 0;
}

size_t PmemHeap::open_file(size_t alignment) {
  assert(UsePersistentHeap && _file == NULL, "once, with the flag");
  PmemFault::check_flag();
  char err[1024];
  _file = PmemHeapFile::open(PmemFile, PmemSize, PmemHeapFile::geometry_from_flags(), err, sizeof(err), true);
  if (_file != NULL && _file->width_differs()) {
    _file = PmemConvert::prepare(_file, err, sizeof(err));   // the heap maps the converted file
  }
  if (_file == NULL) {
    vm_exit_during_initialization(err);
  }
  // What the file may grow to: -XX:PmemMaxSize, within what its region
  // table covers and, with compressed oops, what their encoding reaches from
  // the file's recorded address.
  const size_t now = _file->used_file_size();
  size_t max = now;
  if (PmemMaxSize > now) {
    const size_t covered = (size_t)_file->header().region_table_size * PmemFormat::region_granule;
    max = MAX2(now, align_down(MIN2((size_t)PmemMaxSize, covered), PmemFormat::region_granule));
    const uint64_t recorded = _file->state().heap_address;
    if (UseCompressedOops && (recorded != 0 || PmemHeapAddress != 0)) {
      const uintptr_t file_at = recorded != 0 ? recorded - _file->header().objects_offset : PmemHeapAddress;
      if (file_at < OopEncodingHeapMax) {
        max = MIN2(max, MAX2(now, align_down((size_t)(OopEncodingHeapMax - file_at), PmemFormat::region_granule)));
      }
    }
    if (max < (size_t)PmemMaxSize) {
      log_info(gc, pmem)("%s may grow to " SIZE_FORMAT "M, not " SIZE_FORMAT "M: its region table or the "
                         "reference encoding at its address reaches no further", _file->path(), max / M,
                         (size_t)PmemMaxSize / M);
    }
  }
  _max_file_size = max;
  if (max > now) {
    log_info(gc, pmem)("%s persistent heap %s (" SIZE_FORMAT "M, may grow to " SIZE_FORMAT "M)",
                       _file->created() ? "Created" : "Opened", _file->path(), _file->size() / M, max / M);
  } else {
    log_info(gc, pmem)("%s persistent heap %s (" SIZE_FORMAT "M)",
                       _file->created() ? "Created" : "Opened", _file->path(), _file->size() / M);
  }
  return align_up(max, alignment);
}

// Where a file goes when nothing else decides: right below the top of what
// zero-based compressed oops reach, or a fixed high address without them.
static uintptr_t default_address(size_t file_part) {
  return (UseCompressedOops ? (uintptr_t)OopEncodingHeapMax : uncompressed_top) - file_part;
}

static bool fits(uintptr_t file_at, size_t volatile_size, size_t alignment) {
  return is_aligned(file_at, alignment) && file_at >= volatile_size + os::vm_page_size();
}

// -XX:+PmemForceRelocation: another address each run, in turn one whose
// references do not overlap the recorded ones, one that overlaps them (two
// steps), and one above what zero-based compressed oops reach (another
// encoding).
static uintptr_t forced_address(uintptr_t recorded, size_t file_part, size_t volatile_size, size_t alignment,
                                uint64_t run_count) {
  const size_t step = align_up(file_part / 2, alignment);
  const uintptr_t far = (UseCompressedOops ? 2 * (uintptr_t)OopEncodingHeapMax : 2 * uncompressed_top) - file_part;
  const uintptr_t candidates[] = { recorded > 2 * step ? recorded - 2 * step : 0, recorded + step, far };
  for (int i = 0; i < 3; i++) {
    const uintptr_t at = candidates[(run_count + i) % 3];
    if (at != 0 && at != recorded && fits(at, volatile_size, alignment)) {
      return at;
    }
  }
  return default_address(file_part) != recorded ? default_address(file_part) : far;
}

char* PmemHeap::choose_base(size_t total, size_t volatile_size, size_t alignment) {
  const size_t file_part = total - volatile_size;
  uintptr_t file_at;
  const uint64_t recorded = _file->state().heap_address;
  if (recorded != 0) {
    const uintptr_t recorded_at = recorded - _file->header().objects_offset;
    file_at = recorded_at;
    if (PmemHeapAddress != 0 && PmemHeapAddress != recorded_at) {
      file_at = PmemHeapAddress;
      PmemRelocate::set_reason("-XX:PmemHeapAddress names another address");
    } else if (PmemForceRelocation) {
      file_at = forced_address(recorded_at, file_part, volatile_size, alignment, _file->state().run_count);
      PmemRelocate::set_reason("-XX:+PmemForceRelocation");
    } else if (!fits(file_at, volatile_size, alignment)) {
      file_at = default_address(file_part);
      PmemRelocate::set_reason("its recorded address leaves no room for the volatile heap below it");
    }
  } else if (PmemHeapAddress != 0) {
    file_at = PmemHeapAddress;
  } else {
    file_at = default_address(file_part);
  }
  if (!fits(file_at, volatile_size, alignment)) {
    vm_exit_during_initialization(err_msg("cannot place the persistent heap %s at " PTR_FORMAT
                                          " with a " SIZE_FORMAT "M volatile heap below it",
                                          _file->path(), file_at, volatile_size / M));
  }
  return (char*)(file_at - volatile_size);
}

// Maps all the file may grow to: the part past its end faults until the
// file grows (grow), and no access goes there before.
void PmemHeap::map_file(char* at) {
  const size_t size = _max_file_size;
  void* p;
  void* shadow = NULL;
  bool dax = false;
  int err = 0;
  if (PmemSimulator) {
    // The heap is a private copy of the file; only write-backs reach the
    // file, through a second, shared mapping (see PmemWriteback).
    p = PmemOs::map(at, size, _file->fd(), PmemOs::map_private, &err);
    shadow = PmemOs::map(NULL, size, _file->fd(), PmemOs::map_shared, &err);
    if (shadow == NULL) {
      vm_exit_during_initialization(err_msg("cannot map %s for the simulator: %s",
                                            _file->path(), os::strerror(err)));
    }
  } else {
    // MAP_SYNC makes the mapping's page tables persistent on DAX; other file
    // systems refuse it and get a plain shared mapping (write-back by msync).
    p = PmemOs::map(at, size, _file->fd(), PmemOs::map_dax, &err);
    dax = p != NULL;
    if (p == NULL && (err == EOPNOTSUPP || err == EINVAL)) {
      p = PmemOs::map(at, size, _file->fd(), PmemOs::map_shared, &err);
    }
  }
  if (p == NULL || p != at) {
    vm_exit_during_initialization(err_msg("cannot map %s at " PTR_FORMAT ": %s",
                                          _file->path(), p2i(at), os::strerror(err)));
  }
  _file_base = at;
  PmemWriteback::initialize(at, size, shadow, dax, _file->fd());
  _bottom = (HeapWord*)(at + _file->header().objects_offset);
  _end = (HeapWord*)((char*)_bottom + _file->objects_size());
  _max_end = (HeapWord*)(at + size);
}

// Remembers where the objects area is, so the next run maps it there again.
void PmemHeap::record_placement() {
  PmemFileState* st = state();
  PmemRelocate::record(st, PmemRelocate::current());
  // The klass encoding of this run, for tools that decode headers without
  // a JVM (the type table's klass values are in it); attach never reads it.
  st->narrow_klass_base = UseCompressedClassPointers ? (uint64_t)(uintptr_t)CompressedKlassPointers::base() : 0;
  st->narrow_klass_shift = UseCompressedClassPointers ? (uint64_t)CompressedKlassPointers::shift() : 0;
  st->run_count++;
  PmemWriteback::flush(&st->narrow_klass_base, 2 * sizeof(uint64_t));
  PmemWriteback::persist(&st->run_count, sizeof(st->run_count));
}

ReservedHeapSpace PmemHeap::reserve_heap(size_t total, size_t alignment, size_t page_size) {
  assert(_file != NULL, "open_file first");
  const size_t file_part = align_up(_max_file_size, alignment);
  assert(total > file_part, "the volatile heap comes first");
  const size_t volatile_size = total - file_part;
  const bool recorded = _file->state().heap_address != 0 || PmemHeapAddress != 0;

  char* base = choose_base(total, volatile_size, alignment);
  size_t prefix = prefix_for(base, total, alignment);
  char* got = (uintptr_t)base >= prefix + os::vm_page_size() ? os::attempt_reserve_memory_at(base - prefix, total + prefix)
                                                              : NULL;
  if (got == NULL && PmemHeapAddress != 0) {
    vm_exit_during_initialization(err_msg("cannot map %s at -XX:PmemHeapAddress=" PTR_FORMAT ": the range is in use",
                                          _file->path(), p2i(base + volatile_size)));
  }
  if (got == NULL && recorded) {
    // An existing file moves (PmemRelocate rewrites its references at attach).
    PmemRelocate::set_reason("its recorded address range is in use");
    const uintptr_t fallback = default_address(file_part);
    if (fallback != (uintptr_t)(base + volatile_size) && fits(fallback, volatile_size, alignment)) {
      prefix = prefix_for((char*)(fallback - volatile_size), total, alignment);
      got = os::attempt_reserve_memory_at((char*)(fallback - volatile_size - prefix), total + prefix);
    }
  }
  if (got == NULL) {
    // Anywhere: a new file's references are written in this run, and an
    // existing file's are rewritten at attach. Likely above 32 GB, so with
    // room for the prefix.
    prefix = UseCompressedOops ? lcm((size_t)os::vm_page_size(), alignment) : 0;
    got = os::reserve_memory_aligned(total + prefix, alignment);
    if (got == NULL) {
      vm_exit_during_initialization(err_msg("cannot reserve " SIZE_FORMAT "M for the Java heap "
                                            "and the persistent heap %s", total / M, _file->path()));
    }
  }
  MemTracker::record_virtual_memory_type((address)got, mtJavaHeap);
  map_file(got + prefix + volatile_size);
  log_info(gc, pmem)("Persistent heap mapped at " PTR_FORMAT ", objects " PTR_FORMAT "-" PTR_FORMAT,
                     p2i(_file_base), p2i(_bottom), p2i(_end));
  return PmemReservedHeapSpace(got, total + prefix, alignment, page_size, prefix);
}

// The card table spans the whole reservation, but Serial commits cards only
// for young and old. Reference stores into persistent objects mark cards
// too, so the persistent part's cards must be backed. The last page of the
// card table, the guard page, is committed already.
void PmemHeap::commit_cards() {
  GenCollectedHeap* heap = GenCollectedHeap::heap();
  CardTable* ct = heap->rem_set();
  const size_t page = os::vm_page_size();
  char* from = align_down((char*)ct->byte_for(_file_base), page);
  char* to = align_up((char*)ct->byte_for(_max_end - 1) + 1, page);   // the growth's too
  char* guard = align_down((char*)(ct->byte_map_base() +
                                   ((uintptr_t)heap->reserved_region().end() >> CardTable::card_shift)), page);
  to = MIN2(to, guard);
  if (from < to) {
    os::commit_memory_or_exit(from, to - from, false, "card table of the persistent heap");
  }
}

// Whether the last run ended without an orderly exit (the state as the
// file was opened, before anything in this run changed it).
bool PmemHeap::after_crash() {
  return _file->state().clean_shutdown == 0 && !_file->created();
}

// The checks that need no classes: all a file waiting for its loader gets
// at startup.
bool PmemHeap::check_without_classes(char* err, size_t err_len) {
  return check_regions(err, err_len) && PmemRoots::check(err, err_len) && PmemTxn::check_logs(err, err_len);
}

// Every check that can refuse the file reads only, and comes before the
// first write: a refused attach leaves the file as it was. Then undoes the
// transactions the last run left open, before anything reads the heap.
bool PmemHeap::check_and_recover(Handle loader, char* err, size_t err_len, TRAPS) {
  if (!check_without_classes(err, err_len) ||
      !PmemTypeTable::resolve_all(loader, err, err_len, THREAD) || !PmemRoots::check_targets(err, err_len) ||
      !PmemEnums::check(err, err_len)) {
    return false;
  }
  size_t entries;
  const Ticks recovery_started = Ticks::now();
  const size_t txns = PmemTxn::recover_all(&entries);
  int slots = 0;
  const size_t unlinked = PmemDeferred::recover(&slots);
  if (slots > 0) {
    log_info(gc, pmem)("%s: %d allocation buffer(s) of deferred write-back: " SIZE_FORMAT
                       "K above their durable prefixes freed (objects never linked)",
                       after_crash() ? "Recovery" : "Attach", slots, unlinked / K);
  }
  if (after_crash() || txns > 0) {
    PmemJfr::recovery(after_crash(), txns, entries, Ticks::now() - recovery_started);
  }
  if (txns > 0) {
    log_info(gc, pmem)("Recovery: rolled back %s: " SIZE_FORMAT " unfinished transaction(s), "
                       SIZE_FORMAT " stores undone", _file->path(), txns, entries);
  }
  return true;
}

bool PmemHeap::finish_attach(char* err, size_t err_len, TRAPS) {
  if (!PmemRoots::check(err, err_len) || !PmemAttach::run(err, err_len)) {
    return false;
  }
  PmemEnums::reset();   // the twins' references of the last run: gone before anything reads them
  // Before the collector clears the clean-shutdown flag.
  if (VerifyPersistentHeap && !PmemVerify::verify(err, err_len, true)) {
    return false;
  }
  PmemCollector::attach(after_crash());
  PmemJfr::attach_ended(PmemAttach::walked(), PmemAttach::headers_rewritten(), PmemAllocator::used_bytes());
  if (PmemAttach::walked()) {
    log_info(gc, pmem)("Attached %s: " SIZE_FORMAT " types, " SIZE_FORMAT " objects, " SIZE_FORMAT
                       " headers rewritten, " SIZE_FORMAT "K of " SIZE_FORMAT "K in use; walked for: %s",
                       _file->path(), PmemTypeTable::count(), PmemAttach::objects_seen(),
                       PmemAttach::headers_rewritten(), PmemAllocator::used_bytes() / K,
                       pointer_delta(_end, _bottom, 1) / K, PmemAttach::walk_reason());
  } else {
    log_info(gc, pmem)("Attached %s: " SIZE_FORMAT " types, objects not walked (no class moved, no "
                       "header locked), " SIZE_FORMAT "K of " SIZE_FORMAT "K handed out",
                       _file->path(), PmemTypeTable::count(), PmemAllocator::used_bytes() / K,
                       pointer_delta(_end, _bottom, 1) / K);
  }
  // Only a JVM that passed every check leaves a trace in the file.
  record_placement();
  record_regions();
  PmemTypeTable::initialize_classes(THREAD);
  return PmemEnums::rebind(err, err_len, THREAD);
}

void PmemHeap::attach(TRAPS) {
  PmemJfr::attach_started();
  commit_cards();
  PmemTypeTable::initialize();
  PmemRoots::initialize();
  ResourceMark rm(THREAD);
  char err[1024];
  if (PmemConvert::pending()) {
    PmemJfr::attach_converted();
  }
  if (PmemConvert::pending() && !PmemConvert::run(err, sizeof(err), THREAD)) {
    PmemConvert::abandon();   // the old file stays as it was
    vm_exit_during_initialization(err);
  }
  PmemAllocator::initialize();
  if (PmemTypeTable::has_custom_entries()) {
    // Classes of a loader the program makes (the source launcher's, a
    // URLClassLoader's) cannot be found before main. Check what can be
    // checked now; the rest waits for the program's first use of the heap.
    if (!check_without_classes(err, sizeof(err))) {
      vm_exit_during_initialization(err);
    }
    log_info(gc, pmem)("Attach of %s waits for its first use: it holds objects of classes of other "
                       "class loaders", _file->path());
    Atomic::release_store(&_attach_pending, true);
    return;
  }
  if (!check_and_recover(Handle(), err, sizeof(err), THREAD) ||
      !finish_attach(err, sizeof(err), THREAD)) {
    vm_exit_during_initialization(err);
  }
}

bool PmemHeap::attach_deferred(Handle loader, Handle monitor, TRAPS) {
  if (!attach_pending()) {
    return false;
  }
  // One thread attaches; the others wait here, then find it done. A Java
  // monitor (the Pmem class), as resolving classes runs Java code.
  ObjectLocker ol(monitor, THREAD);
  if (_attach_error != NULL) {
    THROW_MSG_(vmSymbols::java_lang_IllegalStateException(), _attach_error, false);
  }
  if (!attach_pending()) {
    return false;
  }
  ResourceMark rm(THREAD);
  char err[1024];
  PmemJfr::attach_started();   // the deferred part: what startup did is small
  if (!check_and_recover(loader, err, sizeof(err), THREAD)) {
    THROW_MSG_(vmSymbols::java_lang_IllegalStateException(), err, false);   // nothing written: may retry
  }
  if (!finish_attach(err, sizeof(err), THREAD)) {
    _attach_error = os::strdup(err, mtGC);   // written already: refuse from now on
    THROW_MSG_(vmSymbols::java_lang_IllegalStateException(), err, false);
  }
  Atomic::release_store(&_attach_pending, false);
  return true;
}

// -- growth and the region table ----------------------------------------------

static uint8_t expected_type(size_t offset, size_t objects_offset, size_t used) {
  return offset < objects_offset ? PmemFormat::mem_metadata
                                 : (offset < used ? PmemFormat::mem_objects : PmemFormat::mem_unrecorded);
}

bool PmemHeap::check_regions(char* err, size_t err_len) {
  const PmemFileHeader& h = _file->header();
  const uint8_t* table = (const uint8_t*)(_file_base + h.region_table_offset);
  const size_t regions = _max_file_size / PmemFormat::region_granule;
  const size_t used = used_file_size();
  if (table[0] != PmemFormat::mem_metadata) {
    // Not recorded yet, or a crash cut its recording short (region 0 is
    // typed last): record_regions does it again.
    return true;
  }
  for (size_t i = 0; i < regions; i++) {
    const size_t at = i * PmemFormat::region_granule;
    const uint8_t want = expected_type(at, h.objects_offset, used);
    // Past the end, a growth that a crash cut short may have typed its regions.
    const bool ok = table[i] == want || (want == PmemFormat::mem_unrecorded && table[i] == PmemFormat::mem_objects);
    if (!ok) {
      jio_snprintf(err, err_len, "%s is damaged: region " SIZE_FORMAT " (file offset " SIZE_FORMAT ") has memory "
                   "type %u in the region table at file offset " SIZE_FORMAT ", expected %u", _file->path(), i, at,
                   (unsigned)table[i], (size_t)h.region_table_offset + i, (unsigned)want);
      return false;
    }
  }
  return true;
}

void PmemHeap::mark_regions(size_t from, size_t to, uint8_t type) {
  uint8_t* table = (uint8_t*)(_file_base + _file->header().region_table_offset);
  const size_t first = from / PmemFormat::region_granule;
  const size_t last = align_up(to, PmemFormat::region_granule) / PmemFormat::region_granule;
  for (size_t i = first; i < last; i++) {
    table[i] = type;
  }
  PmemWriteback::persist(table + first, last - first);
}

void PmemHeap::record_regions() {
  const PmemFileHeader& h = _file->header();
  const uint8_t* table = (const uint8_t*)(_file_base + h.region_table_offset);
  if (table[0] == PmemFormat::mem_metadata) {
    return;
  }
  // Region 0 last: its type says the table is complete.
  mark_regions(h.objects_offset, used_file_size(), PmemFormat::mem_objects);
  mark_regions(PmemFormat::region_granule, h.objects_offset, PmemFormat::mem_metadata);
  mark_regions(0, PmemFormat::region_granule, PmemFormat::mem_metadata);
}

bool PmemHeap::grow(size_t bytes) {
  const size_t now = size_in_bytes();
  const size_t max = max_size_in_bytes();
  if (now >= max) {
    return false;
  }
  const size_t step = MAX3(bytes, now / 4, (size_t)64 * M);
  const size_t target = MIN2(align_up(now + step, PmemFormat::region_granule), max);
  if (target - now < bytes) {
    return false;
  }
  const jlong start = os::javaTimeNanos();
  const size_t from = _file->header().objects_offset + now;
  const size_t to = _file->header().objects_offset + target;
  // The new part of the file: allocated (zero) and its length durable
  // before anything says it exists. A crash from here on leaves a longer
  // file of the old size, which grows again.
  const int rc = PmemOs::extend(_file->fd(), from, to - from);
  if (rc != 0) {
    log_warning(gc, pmem)("%s cannot grow from " SIZE_FORMAT "M to " SIZE_FORMAT "M: %s", _file->path(),
                          now / M, target / M, os::strerror(rc));
    return false;
  }
  PmemFault::reached("grow-extended");
  mark_regions(from, to, PmemFormat::mem_objects);
  PmemWriteback::store_persist(&state()->objects_size, (uint64_t)target);
  PmemFault::reached("grow-recorded");
  Atomic::release_store(&_end, (HeapWord*)((char*)_bottom + target));
  log_info(gc, pmem)("Grew %s from " SIZE_FORMAT "M to " SIZE_FORMAT "M of objects (at most " SIZE_FORMAT
                     "M) in %.1f ms", _file->path(), now / M, target / M, max / M,
                     (os::javaTimeNanos() - start) / 1e6);
  return true;
}
