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


#ifndef SHARE_GC_PMEM_PMEMBARRIERSET_HPP
#define SHARE_GC_PMEM_PMEMBARRIERSET_HPP

#include "gc/shared/cardTableBarrierSet.hpp"

// The Serial collector's card-table barrier set, plus the persistent-store
// barrier: its interpreter, C1 and C2 parts send every store into the
// persistent part through PmemBarrier. It keeps the card-table
// kind, so the C++ runtime's accesses are the card table's; the runtime
// paths that write Java objects check PmemBarrier::is_persistent themselves.
class PmemBarrierSet : public CardTableBarrierSet {
public:
  PmemBarrierSet(CardTable* card_table);

  virtual void on_thread_create(Thread* thread);
  virtual void on_thread_destroy(Thread* thread);
  virtual void on_thread_detach(Thread* thread);
};

#endif // SHARE_GC_PMEM_PMEMBARRIERSET_HPP
