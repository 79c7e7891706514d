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

#ifndef SHARE_GC_PMEM_PMEMVOLATILESCOPE_HPP
#define SHARE_GC_PMEM_PMEMVOLATILESCOPE_HPP

#include "gc/pmem/pmemThreadLocalData.hpp"
#include "memory/allocation.hpp"
#include "runtime/globals.hpp"

class Thread;

// Java code that the VM calls up to link code (a call site's bootstrap
// method, a method handle constant, a method type) or to load a class (a
// loader's loadClass and addClass) makes objects that belong to the run,
// not to the data: caches of java.lang.invoke, spun lambda classes, a
// loader's URLs, streams and lock objects. Inside a transaction they would
// be redirected to the persistent heap, and the volatile objects later
// linked into them would be refused. Within this scope the thread
// allocates as outside a transaction, as during a static initializer.
class PmemVolatileScope : public StackObj {
  Thread* const _thread;
public:
  explicit PmemVolatileScope(Thread* thread) : _thread(UsePersistentHeap ? thread : NULL) {
    if (_thread != NULL) PmemThreadLocalData::enter_clinit(_thread);
  }
  ~PmemVolatileScope() {
    if (_thread != NULL) PmemThreadLocalData::exit_clinit(_thread);
  }
};

#endif // SHARE_GC_PMEM_PMEMVOLATILESCOPE_HPP
