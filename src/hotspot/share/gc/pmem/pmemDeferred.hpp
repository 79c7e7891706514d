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


#ifndef SHARE_GC_PMEM_PMEMDEFERRED_HPP
#define SHARE_GC_PMEM_PMEMDEFERRED_HPP

#include "memory/allocation.hpp"
#include "oops/oopsHierarchy.hpp"
#include "utilities/globalDefinitions.hpp"

class Thread;
struct PmemFileState;

// Objects allocated outside a transaction without a write-back of their
// own: an object is made durable when it becomes reachable, not when it is
// made.
//
// A thread that allocates outside a transaction claims a slot of the
// file's table (PmemFileState::defer_slots) for the rest of its allocation
// buffer, durably (one fence per buffer). The slot's mark ends the
// buffer's durable prefix: objects below it are written back. Objects
// above it are not, and after a crash [mark, end) is freed whole: restart
// costs a free-chunk tag per slot, not a walk.
//
// A reference to an object above its buffer's mark is about to be stored
// (into an older persistent object, a root, or inside a transaction): the
// mark is first raised past it, writing back what lies between (two
// fences: the objects, then the mark). One exception keeps the common
// initialisation pattern free: a reference stored into an object of the
// same buffer that lies above the referent, since whatever raises the
// mark past the holder passes the referent too. So every object below a
// mark refers only to durable objects, and no raise has to trace.
//
// A thread that stops deferring in the buffer (a refill, a transaction's
// begin: the undo log's fresh ranges cover a transaction's objects) cuts
// the slot at its top and leaves it; it may go on bumping above the cut,
// since a buffer's zeros are durable, and its first object outside a
// transaction after that claims a slot for the rest. A collection writes back the marked
// objects above the marks, its sweep frees the rest, and the slots are
// freed: garbage is never written back. A full table reclaims a detached
// slot by writing it back whole.
class PmemDeferred : AllStatic {
public:
  static const int slot_count = 64;

  // Whether the object of words just bumped at mem (native path or compiled
  // code) may skip its write-back: outside a transaction, in the thread's
  // buffer, which defers (claimed here if need be: after a transaction
  // the first allocation claims the buffer's rest).
  static bool covers(Thread* thread, HeapWord* mem, size_t words);
  // The thread stops deferring in its buffer (a refill, a collection's
  // retirement, a transaction's begin, an object its caller writes back,
  // the thread's end): the slot ends at the buffer's top and its objects
  // stay deferred.
  static void detach(Thread* thread);

  // A collection, marking done: the marked objects above the marks written
  // back (the sweep frees the rest); after the sweep, every slot freed.
  static void write_back_marked();
  static void free_all();
  // Before a reference to val is stored into holder (NULL: a root or a
  // field of unknown holder): val is made durable unless the rule above
  // spares it.
  static void before_reference(oop holder, oop val);
  // Whether p lies above the mark of some slot (not yet durable).
  static bool is_deferred(const void* p);
  // Outside a transaction, right after a store of len bytes at addr: true
  // if its write-back may wait, addr lying above the mark of the thread's
  // own slot (the raise that makes the object durable writes it back).
  // Dekker style: the store, a fence, then the thread's bound, which a
  // raiser moves before it writes back and fences; so either the raise's
  // write-back sees the store, or this thread sees the raise and writes
  // the store back itself. C2 inlines the same test
  // (PmemWritebackC2::after_store_outside_txn).
  static bool store_waits(Thread* thread, const void* addr, size_t len);

  // At attach, before anything walks the heap: frees [mark, end) of every
  // slot the last run left (an orderly exit leaves them too: Java threads
  // may still run then), writes the slots free, all durably. Returns the
  // bytes freed; *slots the slots found.
  static size_t recover(int* slots);
  // The same on a copy of a file (a conversion's private mapping), nothing
  // written back: objects is the objects area's first byte there.
  static void recover_copy(char* objects, PmemFileState* state);
};

#endif // SHARE_GC_PMEM_PMEMDEFERRED_HPP
