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

#ifndef SHARE_GC_PMEM_PMEMENUMS_HPP
#define SHARE_GC_PMEM_PMEMENUMS_HPP

#include "memory/allStatic.hpp"
#include "oops/oopsHierarchy.hpp"
#include "runtime/handles.hpp"
#include "utilities/exceptions.hpp"

class Klass;
class OopClosure;

// Enum constants in the persistent heap.
//
// A constant exists once per run and code compares it with ==, so a
// persistent object cannot hold a copy of it. Instead the first commit that
// makes a constant reachable from persistent objects *promotes* its class:
// every constant of the enum gets a persistent twin (same class, same
// fields, same identity hash), recorded with its name in the registry (a
// persistent Object[] of (constant, name bytes) pairs the roots area
// refers to), and at a safepoint every reference to the volatile constant
// (heap, stacks, compiled code, handles) is replaced by the twin. From then
// on the twin *is* the constant.
//
// At the next attach the registry is checked before anything is written
// (every stored constant still exists, with the same ordinal); then the
// twins' reference fields, which held the last run's volatile objects, are
// set to null; once the classes are initialized each twin takes the fields
// of the constant its class's initializer made, and that constant is
// replaced by the twin everywhere, as above. So ==, switch, ordinal(),
// EnumMap and EnumSet work with the constants of the run.
//
// A constant's own fields belong to the run: they may refer to volatile
// objects (a GC root while they do) and are not part of the file's state.
// An enum array from Class.getEnumConstantsShared (the universe of EnumMap
// and EnumSet) is promoted the same way, with no name.
//
// With the flag, an enum constant's identity hash is a function of its
// class and name, so that a twin and the constant of another run agree and
// hash-based collections keyed by constants survive both the replacement
// and restarts.
class PmemEnums : AllStatic {
public:
  // obj is an enum constant: its class, or that class's super (a constant
  // with a body), extends java.lang.Enum directly.
  static bool is_constant(oop obj);
  // Whether k's instances are enum constants (as above).
  static bool is_constant_class(Klass* k);
  // obj is an enum array that promotion makes persistent: the Enum[] of
  // an enum class's constants.
  static bool is_universe(oop obj);
  // The identity hash of an enum constant with a name, from its class's
  // and its name's characters; 0 for any other object.
  static intptr_t stable_hash(oop obj);

  // The persistent twin of v (a volatile enum constant or universe),
  // promoting its class first if needed. Needs a safepoint. NULL with an
  // exception pending when the persistent heap is full.
  static oop promote(Handle v, TRAPS);

  // Attach, before anything is written: the registry is well formed and
  // every stored constant still exists with its ordinal. Else a one-line
  // message in err and false.
  static bool check(char* err, size_t err_len);
  // Attach, after recovery, before collections see the persistent part:
  // forgets the last run's references of the twins.
  static void reset();
  // Attach, after the classes are initialized: the twins become this run's
  // constants. A constant of another ordinal or class, or a universe of
  // another length: a one-line message in err and false.
  static bool rebind(char* err, size_t err_len, TRAPS);

  // GC roots: the twins' references to volatile objects.
  static void oops_do(OopClosure* cl);
  // Roots for a collection of the persistent part: what a promotion under
  // way made that the registry does not reach yet.
  static void objects_do(void f(oop));
  // Number of twins (constants and universes) of this run.
  static int count();
  // A compaction moved persistent objects: forward(obj) is where obj is now.
  // Never while a promotion holds objects (objects_do passes none).
  static void twins_moved(oop forward(oop));
};

#endif // SHARE_GC_PMEM_PMEMENUMS_HPP
