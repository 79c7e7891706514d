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

#ifndef SHARE_GC_PMEM_PMEMLOCKING_HPP
#define SHARE_GC_PMEM_PMEMLOCKING_HPP

#include "asm/register.hpp"
#include "gc/pmem/pmemHeap.hpp"
#include "memory/allStatic.hpp"
#include "oops/oopsHierarchy.hpp"
#include "runtime/atomic.hpp"

class Label;
class MacroAssembler;

// Lock state in the headers of persistent objects.
//
// Locking an object rewrites its mark word: a stack lock points into the
// locking thread's stack, an inflated one to a monitor in the C heap. A run
// that ends while a persistent object is locked leaves such a pointer in
// the file, and the next run would follow it. Attach therefore cleans every
// header, a walk over the whole heap, unless the file says no persistent
// object was locked since the last cleaning (PmemFileState::marks_clean).
//
// To keep that flag true, the lock fast paths of the interpreter, C1, C2
// and the native wrappers send persistent objects to the runtime
// (divert_persistent); there the first lock of one in a run clears the
// flag, durably, before any header changes. A persistent object's monitor
// enter thus always costs a runtime call; volatile objects keep every fast
// path, and with the flag off no code changes at all.
class PmemLocking : AllStatic {
  friend class VM_PmemDropCaches;
  static volatile bool _noted;   // this run cleared marks_clean already
  static volatile bool _locked;  // because a persistent header was locked
  static void note_first_lock();

public:
  // ObjectSynchronizer's enter paths, before the mark word changes.
  // A lock of an object no root reaches (a class loader's lock object made
  // inside a transaction) dies with the run and needs no cleaning.
  static void before_lock(oop obj) {
    if (!_locked && PmemHeap::is_in(cast_from_oop<void*>(obj)) && !lock_dies_with_run(obj)) {
      note_anchored_lock();
    }
  }
  static bool lock_dies_with_run(oop obj);
  // A persistent object that roots reach may hold lock state.
  static void note_anchored_lock() {
    note_first_lock();
    Atomic::release_store(&_locked, true);
  }

  // FastHashCode installed an identity hash in obj's unlocked header: a
  // persistent object's header is written back, so its hash survives a
  // crash or power loss as attach keeps hashes of unlocked objects. (A hash
  // installed while the object is locked lives in the lock until unlock.)
  static void hash_installed(oop obj) {
    if (PmemHeap::is_in(cast_from_oop<void*>(obj))) {
      persist_header(obj);
    }
  }
  static void persist_header(oop obj);

  // A persistent object's transient field now refers to a volatile object
  // (PmemVolatileRefs): the next attach walks the objects and drops it,
  // unless an orderly exit drops it first (at_exit).
  static void note_needs_cleaning() {
    if (!_noted) {
      note_first_lock();
    }
  }

  // An orderly exit: when only caches cleared the flag (no persistent
  // header was locked), drops them at a safepoint and sets it again, so
  // that the next attach need not walk (reading a persistent TreeSet fills
  // its key-set cache, which would make every restart O(heap)).
  static void at_exit();

  // Attach: whether it may skip cleaning, and that it cleaned.
  static bool headers_clean();
  static void headers_cleaned();

  // Emits: if obj is persistent, jump to slow with ZF clear (C2's fast
  // lock reports failure in ZF). tmp is clobbered. Nothing without the flag.
  static void divert_persistent(MacroAssembler* masm, Register obj, Register tmp, Label& slow);
};

#endif // SHARE_GC_PMEM_PMEMLOCKING_HPP
