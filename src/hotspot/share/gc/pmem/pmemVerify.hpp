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

#ifndef SHARE_GC_PMEM_PMEMVERIFY_HPP
#define SHARE_GC_PMEM_PMEMVERIFY_HPP

#include "memory/allStatic.hpp"
#include "utilities/globalDefinitions.hpp"

// -XX:+VerifyPersistentHeap: walks the persistent objects and checks that
// each header names a type of the type table with a clean mark word, that
// objects lie within the used part, and that every reference held by an
// object the roots reach is null or points to the start of a persistent
// object (garbage may hold anything until a collection frees it).
class PmemVerify : AllStatic {
public:
  // Returns false with a one-line message in err at the first problem.
  // At attach no object may be locked yet; later, locks are normal.
  static bool verify(char* err, size_t err_len, bool at_attach);
};

#endif // SHARE_GC_PMEM_PMEMVERIFY_HPP
