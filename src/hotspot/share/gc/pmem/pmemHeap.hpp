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

#ifndef SHARE_GC_PMEM_PMEMHEAP_HPP
#define SHARE_GC_PMEM_PMEMHEAP_HPP

#include "gc/pmem/pmemFormat.hpp"
#include "memory/allStatic.hpp"
#include "memory/virtualspace.hpp"
#include "runtime/atomic.hpp"
#include "runtime/handles.hpp"
#include "utilities/exceptions.hpp"
#include "utilities/globalDefinitions.hpp"

class PmemHeapFile;

// The persistent part of the Serial heap. The heap reservation becomes
//   young | old | persistent
// with the heap file mapped MAP_SHARED|MAP_FIXED over the persistent part,
// so compressed oops, the card table and is_in() cover it unchanged.
//
// Placement: the file keeps the address it had in the previous run, and a
// new file goes right below OopEncodingHeapMax (zero-based compressed oops,
// shift 3), so that a changed -Xmx moves only the volatile part and
// references in the file keep their encoding.
class PmemHeap : AllStatic {
  static PmemHeapFile* _file;
  static char*     _file_base;   // where the whole file is mapped
  static HeapWord* _bottom;      // the objects area: the persistent part proper
  static HeapWord* volatile _end;   // of the objects area now
  static HeapWord* _max_end;        // what it may grow to: the reservation's end
  static size_t    _max_file_size;

  static char* choose_base(size_t total, size_t volatile_size, size_t alignment);
  static void  map_file(char* at);
  static void  record_placement();
  static void  commit_cards();
  static void  mark_regions(size_t from, size_t to, uint8_t type);
  static volatile bool _attach_pending;
  static char* _attach_error;   // set when a deferred attach failed after writing
  static bool  after_crash();
  static bool  check_without_classes(char* err, size_t err_len);
  static bool  check_and_recover(Handle loader, char* err, size_t err_len, TRAPS);
  static bool  finish_attach(char* err, size_t err_len, TRAPS);

public:
  // Opens (or creates) and checks PmemFile. Returns the bytes the
  // persistent part adds to the heap reservation. Exits the VM with a
  // one-line message on bad input; the file is then left unchanged.
  static size_t open_file(size_t alignment);

  // Reserves total bytes (volatile part first, then the file) and maps the
  // file at the top. Called by Universe::reserve_heap instead of the
  // default placement.
  static ReservedHeapSpace reserve_heap(size_t total, size_t alignment, size_t page_size);

  // Just before main runs: resolves the type table against this run's
  // classes and opens the heap to the Java API. Exits the VM with a
  // one-line message if a persisted class is gone or changed. A file that
  // holds objects of a custom loader's classes waits instead (after its
  // read-only checks) until the program first uses it: attach_deferred.
  static void attach(TRAPS);

  // Whether the file waits for attach_deferred; nothing reads or writes
  // its objects until then.
  static bool attach_pending() { return Atomic::load_acquire(&_attach_pending); }
  // Attaches a waiting file, resolving custom-loader classes through
  // loader (the application loader if NULL), holding monitor (the Pmem
  // class) while it works. Returns true if this call attached it. On a missing or changed class throws
  // IllegalStateException and leaves the file as it was (a later call may
  // try another loader).
  static bool attach_deferred(Handle loader, Handle monitor, TRAPS);

  // In the persistent part's reservation: objects lie below end(), and
  // nothing else ever lies in the rest (it grows into it).
  static bool is_in(const void* p) {
    return (HeapWord*)p >= _bottom && (HeapWord*)p < _max_end;
  }

  // Grows the objects area by at least bytes (-XX:PmemMaxSize), crash-safely:
  // the file's new part first, then its regions' memory type, then its size
  // in the state area. False if the maximum or the file system forbids it.
  // Called with the allocator's lock held.
  static bool grow(size_t bytes);
  // Read-only, before anything is written: every recorded region type fits
  // the layout. On damage a one-line message in err and false.
  static bool check_regions(char* err, size_t err_len);
  // After the checks: records the region types of a file that has none yet.
  static void record_regions();

  static PmemHeapFile*  file()      { return _file; }
  static char*      file_base() { return _file_base; }
  // The file's in-place state, as mapped (PmemHeapFile::state() is a copy from opening).
  static PmemFileState* state() { return (PmemFileState*)(_file_base + PmemFormat::state_offset); }
  static HeapWord*  bottom()    { return _bottom; }
  static HeapWord*  end()       { return Atomic::load_acquire(&_end); }
  static HeapWord*  max_end()   { return _max_end; }
  static size_t     size_in_bytes() { return pointer_delta(end(), _bottom, 1); }   // of the objects area
  static size_t     max_size_in_bytes() { return pointer_delta(_max_end, _bottom, 1); }
  // The file's bytes in use now, and all it may grow to.
  static size_t     used_file_size() { return pointer_delta(end(), (HeapWord*)_file_base, 1); }
  static size_t     max_file_size()  { return _max_file_size; }
};

#endif // SHARE_GC_PMEM_PMEMHEAP_HPP
