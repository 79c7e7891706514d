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

#ifndef SHARE_GC_PMEM_PMEMVOLATILEREFS_HPP
#define SHARE_GC_PMEM_PMEMVOLATILEREFS_HPP

#include "memory/allStatic.hpp"
#include "oops/oopsHierarchy.hpp"
#include "utilities/exceptions.hpp"

class OopClosure;
class PmemTxn;
class Thread;

// Persistent objects that refer to volatile ones.
//
// Inside a transaction Java code allocates persistent objects (PmemRedirect)
// and may store anything into them: an iterator over a volatile list, a
// varargs array, a node of a class loader's lock map. The rule that a
// persistent object refers only to persistent ones must hold for what is
// reachable from the roots after a restart. So the objects a transaction
// made are of two kinds once it commits:
//  * anchored: reachable from what the transaction stored into objects
//    older than itself (or bound to a root); none may reach a volatile
//    object, except immutable values (String, boxes, BigInteger,
//    BigDecimal, UUID, java.time values, objects with no fields such as
//    HashSet's PRESENT, empty arrays such as ArrayList's), which commit
//    replaces by persistent deep copies (equal, not identical). If one
//    does, the transaction is undone and IllegalArgumentException names
//    the field;
//  * loose: the rest (temporaries, objects only volatile ones refer to).
//    No root reaches them, so a restart drops them. Any reference may be
//    stored into a loose object; storing a loose object into an anchored
//    one anchors it, if it reaches no volatile object (else the store is
//    refused, or inside a transaction checked at commit).
// A transient field of an anchored object that caches a view of it (such
// as HashMap's keySet) may refer to a volatile object too; the next start
// sets it to null.
// A bitmap (a bit per word of each loose object) tells loose objects from
// anchored ones by any field address. The GCs of the volatile heap treat
// the references to volatile objects from an open transaction's objects,
// from the fields of pending copies and from loose objects as roots
// (GenCollectedHeap::process_roots) and update them when their targets
// move. A collection of the persistent part frees unreachable loose objects.
class InstanceKlass;

class PmemVolatileRefs : AllStatic {
public:
  static bool is_loose(const void* p);   // p inside a loose object
  // Before thread locks obj (persistent): true if no root reaches obj (it
  // is loose, or made by the thread's open transaction), so its lock state
  // needs no cleaning at the next attach. Noted, so that anchoring obj
  // later makes the next attach clean headers after all.
  static bool lock_dies_with_run(Thread* thread, oop obj);
  // Outside a transaction, before a loose obj is stored into an anchored
  // object: true if obj reaches no volatile object (it, and the loose
  // objects it reaches, are then anchored).
  static bool anchor(oop obj);
  // A field of a loose object now refers to a volatile object.
  static void add_slot(const void* field);
  // Whether addr is a transient reference field of holder: a cache (such
  // as HashMap's keySet and values), which may refer to a volatile object.
  // Such a field is a GC root while it does; the next start sets it to
  // null (PmemAttach walks the heap once), as deserialization would.
  static bool is_transient_field(oop holder, const void* addr);
  // Whether storing val (volatile) at addr of holder fills a cache: a
  // transient field given a view of holder (an object referring to it) or
  // an immutable value.
  static bool is_cache_field(oop holder, const void* addr, oop val);
  static void add_transient_slot(const void* field);
  // Whether the reference field at offset of k's instances may refer to a
  // volatile object while its object is anchored (a transient field, or
  // one of the enum type fields): what a run may leave there.
  static bool may_refer_to_volatile(InstanceKlass* k, int offset);
  // A volatile object commit may replace with a persistent copy.
  static bool is_value(oop obj);

  // The outermost commit of t: copies, checks, anchors and makes loose
  // (see above). In the leaf: false if only the native commit can finish
  // (values to copy, a refusal). Native: false if the transaction was
  // undone, with an exception pending.
  static bool settle_in_leaf(PmemTxn* t);
  static bool settle_native(PmemTxn* t, TRAPS);
  // The outermost level of t is undone: every object it made is loose.
  static void abandon(PmemTxn* t);

  // GC roots: every reference to a volatile object from a persistent one.
  static void oops_do(OopClosure* cl);
  // A collection of the persistent part freed [start, start + words).
  static void freed(HeapWord* start, size_t words);
  // After its sweep.
  static void prune();
  static size_t slot_count();
  // Whether field is one of the slots above (at a safepoint).
  static bool is_slot(const void* field);
  // A compaction moved [from, from + words) to to: its loose and locked
  // bits follow. Called run by run in address order (to <= from).
  static void slide_bits(HeapWord* from, HeapWord* to, size_t words);
  // ... and the slots: forward(field) is where a field is now.
  static void slots_moved(void* forward(const void* field));
  // An orderly exit: sets every cache field that refers to a volatile
  // object to null, durably (so the next attach need not walk to do it).
  // Returns how many.
  static size_t drop_caches();
};

#endif // SHARE_GC_PMEM_PMEMVOLATILEREFS_HPP
