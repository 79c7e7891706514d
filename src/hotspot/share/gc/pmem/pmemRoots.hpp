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

#ifndef SHARE_GC_PMEM_PMEMROOTS_HPP
#define SHARE_GC_PMEM_PMEMROOTS_HPP

#include "memory/allStatic.hpp"
#include "oops/oopsHierarchy.hpp"
#include "utilities/globalDefinitions.hpp"
#include "utilities/growableArray.hpp"

// The entry points into the persistent heap: the root object and a table of
// named objects, kept in the file's roots area as offsets into the objects
// area (so they survive a move of the heap). Each change is one persisted
// 8-byte store; a new name is written and persisted before the store that
// makes it visible, so a crash shows either the old or the new binding.
class PmemRoots : AllStatic {
public:
  static const size_t max_name_bytes = 111;   // UTF-8, without the terminator

  static void initialize();

  // Inside a transaction, changes to the roots are undo-logged with the
  // other stores; log_full means the log had no room and nothing changed.
  enum PutResult { done, absent, table_full, log_full };

  static oop  root();
  // false if the transaction's log is full.
  static bool set_root(oop obj);

  // NULL if absent.
  static oop  get(const char* name);
  static PutResult put(const char* name, oop obj);
  static PutResult remove(const char* name);

  // Appends a resource-allocated copy of each bound name to out.
  static void names(GrowableArray<const char*>* out);

  static size_t capacity();   // names the table can hold

  // At attach, before anything is written: the root and every entry of
  // the named table must be in bounds (count within the table, names of 1
  // to max_name_bytes bytes without a NUL, references 8-byte aligned below
  // the used part). On damage writes a one-line message naming the field
  // and its file offset to err and returns false.
  static bool check(char* err, size_t err_len);
  // After the type table is read, before anything is written: each root
  // points to what looks like an object start (a header whose klass value
  // is in the type table), not into free space or the middle of an object.
  // (Only -XX:+VerifyPersistentHeap's walk proves it is a live object.)
  static bool check_targets(char* err, size_t err_len);

  // The registry of enum constants (PmemEnums), NULL if none; set_enums
  // persists the new one (outside any transaction: it is never undone).
  static oop  enums();
  static void set_enums(oop registry);

  // Calls f(obj) for the root, every named object and the enum registry.
  static void objects_do(void f(oop));

  // Whether addr is a slot holding an encoded reference (the root or a
  // named entry's object), as an undo log entry may target.
  static bool is_reference_slot(const void* addr);

  // Each slot that holds a reference (the root, the enum registry, every
  // named object), for a rewrite at attach; f stores and persists itself.
  static void slots_do(void f(volatile uint64_t* slot, void* ctx), void* ctx);

  // Encoding of a persistent reference as an objects-area offset + 1.
  static uint64_t encode(oop obj);
  static oop      decode(uint64_t v);
};

// One named-table entry: 128 bytes, two cache lines.
struct PmemNamedEntry {
  uint64_t object;            // PmemRoots::encode(obj); 0: the entry is free
  uint32_t name_len;
  uint32_t reserved;
  char     name[PmemRoots::max_name_bytes + 1];
};

struct PmemRootsArea {
  uint64_t       count;       // entries in use or used before (high-water)
  uint64_t       enums;       // encoded: the registry of persistent enum constants (PmemEnums)
  uint64_t       reserved[14];
  PmemNamedEntry entries[1];  // as many as the area holds
};

#endif // SHARE_GC_PMEM_PMEMROOTS_HPP
