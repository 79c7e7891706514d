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

#ifndef SHARE_GC_PMEM_PMEMMIGRATE_HPP
#define SHARE_GC_PMEM_PMEMMIGRATE_HPP

#include "memory/allStatic.hpp"
#include "utilities/globalDefinitions.hpp"

class InstanceKlass;
class OopIterateClosure;

// Class evolution: a persisted class that gained or lost instance fields
// since its objects were written. Compatible means every field the class
// still has (by name, and by position among fields of that name up the
// hierarchy) keeps its type; a field whose type changed is refused, as is
// a class whose recorded layout was cut short, an enum, or a file in the
// middle of a header rewrite.
//
// Attach migrates the objects of such classes (and of their subclasses,
// whose layout changes with them), crash-safely, in three recorded phases
// (PmemFileState::migr_*):
//   1. copies: each old object gets a copy in this run's layout at the end
//      of the used part (from migr_tail on, in the old objects' order, so a
//      walk finds every copy's place again): its identity hash, the fields
//      it kept, zero or null for new ones; all written back;
//   2. forwarding: every reference to an old object, in any object or root,
//      now refers to its copy (a value either names an old object or not,
//      so a crash means redoing the pass);
//   3. the old objects become free chunks, then the type table takes the
//      new layouts, then migr_phase is cleared.
// Until phase 3 ends, an object of a migrating type below migr_tail has the
// old layout (its size and references come from the recorded layout text);
// a copy, at or above it, the new one. A crash resumes the recorded phase;
// a different version of the classes then is refused (migr_check).
class PmemMigrate : AllStatic {
public:
  // resolve_all, for an entry whose recorded layout (was) differs from k's
  // (whose fingerprint is given):
  // true if its objects can be migrated (plans it), else false with a
  // one-line message in err.
  static bool plan(size_t idx, InstanceKlass* k, uint64_t fingerprint, const char* was, bool cut_short,
                   char* err, size_t err_len);
  // Forgets every plan (resolve_all starts again).
  static void reset();

  // Whether attach has objects to migrate, or a migration to finish.
  static bool needed();
  // Whether the object of type idx at offset has the recorded (old) layout.
  static bool is_old(size_t idx, size_t offset);
  // Its size and references, by the recorded layout.
  static size_t old_words(size_t idx);
  static void old_oops_do(size_t idx, void* obj, OopIterateClosure* cl);

  // Read only, before any walk: a migration a crash interrupted is one to
  // this run's class versions. Else a one-line message in err and false.
  static bool check(char* err, size_t err_len);
  // Migrates (or finishes a migration), after relocation and any header
  // rewrite left by a crash. False with a one-line message in err if the
  // file has no room for the copies or a crash left a migration to other
  // class versions.
  static bool run(char* err, size_t err_len);
};

#endif // SHARE_GC_PMEM_PMEMMIGRATE_HPP
