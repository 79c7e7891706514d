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

#ifndef SHARE_GC_PMEM_PMEMFAULT_HPP
#define SHARE_GC_PMEM_PMEMFAULT_HPP

#include "memory/allStatic.hpp"
#include "gc/shared/gc_globals.hpp"
#include "runtime/globals.hpp"
#include "utilities/globalDefinitions.hpp"

// Fault points for crash tests: -XX:PmemFaultPoint=NAME -XX:PmemFaultCount=N
// ends the process the Nth time NAME is reached, at once and without exit
// hooks, as a power cut would (data already stored to the mapping still
// reaches the file, as the page cache keeps it: the persistence-domain
// simulator is what drops unflushed stores).
class PmemFault : AllStatic {
public:
  static const int exit_code = 97;

  static void reached(const char* name) {
    if (PmemFaultPoint != NULL) {
      hit(name);
    }
  }

  // Exits with a one-line message if PmemFaultPoint names no fault point.
  static void check_flag();

  // Ends the process now, as a power cut would, naming why.
  static void crash(const char* name, uintx count);

private:
  static void hit(const char* name);
};

#endif // SHARE_GC_PMEM_PMEMFAULT_HPP
