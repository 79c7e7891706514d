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

#ifndef SHARE_GC_PMEM_PMEMTYPETABLE_HPP
#define SHARE_GC_PMEM_PMEMTYPETABLE_HPP

#include "memory/allStatic.hpp"
#include "runtime/handles.hpp"
#include "utilities/exceptions.hpp"
#include "utilities/globalDefinitions.hpp"

class Klass;
class outputStream;

// The persistent type table: one entry per class that has instances in the
// persistent heap, with what the next run needs to find the class again
// (internal name, loader kind) and to tell whether it is still the same
// (its field layout), and the narrow klass value it had when its objects
// were written.
struct PmemTypeEntry {
  uint64_t klass_value;     // narrow (or full) klass in object headers written so far
  uint64_t klass_value_new; // the value a header rewrite (swizzle) under way moves to
  uint64_t fingerprint;     // FNV-1a of the layout text and the name
  uint8_t  loader;          // PmemTypeTable::LoaderKind
  uint8_t  migrating;       // 1 while its objects migrate to a new layout (PmemMigrate)
  uint16_t name_len;
  uint16_t layout_len;      // bytes of layout text kept (may be cut short)
  uint16_t migrating_fp;    // then: the new layout's fingerprint, low 16 bits
  char     name[224];       // internal name: java/lang/String, [J, [Lp/C;
  char     layout[768];     // "name:signature@offset " per field, supers first
};

class PmemTypeTable : AllStatic {
public:
  // custom_loader: any other loader. Such a class is found again through
  // the loader the program attaches the file with (PmemHeap::attach_deferred).
  enum LoaderKind { boot_loader = 0, platform_loader = 1, app_loader = 2, custom_loader = 3 };

  // Why k cannot have persistent instances, or NULL if it can. For arrays
  // the element type decides.
  static const char* refusal(Klass* k);
  // True when no instance of k or of any subtype can be persistent: the
  // reason refusal() gives holds for every subtype too (a hidden class,
  // Class, Reference, a finalizer, a class loader, or an
  // array of such elements). Compiled stores into such a type need no
  // barrier.
  static bool never_persistent(Klass* k);
  // Whether new, inside a transaction, makes a persistent instance of k
  // (PmemRedirect): refusal() is NULL, or k is String, whose constructor
  // gives it a value. Remembered per class.
  static bool may_redirect(Klass* k);

  // Makes sure k has an entry (durable before this returns), so objects of
  // it may be written. Returns false if the table is full.
  static bool record(Klass* k);

  // At attach: resolves every entry against this run's classes and checks
  // its layout; custom_loader entries through custom (a NULL handle: the
  // application loader). On a missing or changed class, writes a one-line
  // message to err and returns false; nothing in the file is changed.
  static bool resolve_all(Handle custom, char* err, size_t err_len, TRAPS);
  // This run's class of entry e (entry number i, at file offset at of
  // path); custom_loader entries through custom (NULL: the application
  // loader). NULL with a one-line message in err if e is damaged or its
  // class is not found.
  static Klass* resolve_entry(const PmemTypeEntry* e, uint64_t i, uint64_t at, Handle custom, const char* path,
                              char* err, size_t err_len, TRAPS);
  // The type table area that starts at table, of any mapped file.
  static uint64_t       count_in(const char* table);
  static PmemTypeEntry* entries_in(char* table);
  static size_t         capacity_of(size_t table_size);
  // Whether some entry names a class of a custom loader (read only; a
  // damaged entry counts as no, resolve_all reports it).
  static bool has_custom_entries();
  // After attach: links and initializes each resolved class, as the
  // objects of a class exist only once it is initialized (pnew initializes
  // it first). Without this a method called on an object from the heap
  // would find its class unlinked (no entry points). A class whose static
  // initializer fails stays erroneous (NoClassDefFoundError when used).
  static void initialize_classes(TRAPS);

  // After resolve_all: the entries and this run's class of each.
  static PmemTypeEntry* entry(size_t i);
  static Klass*         resolved(size_t i);
  // What an object header holds for k in this run.
  static uint64_t       klass_value(Klass* k);

  static void initialize();
  static size_t count();
  // Whether objects of k may be in the persistent heap.
  static bool has_entry(Klass* k);

  // Layout description and fingerprint of k (exposed for tests).
  static void describe(Klass* k, char* layout, size_t layout_len, uint64_t* fingerprint);
};

#endif // SHARE_GC_PMEM_PMEMTYPETABLE_HPP
