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

#include "precompiled.hpp"
#include "gc/pmem/pmemHeap.hpp"
#include "gc/pmem/pmemRemSet.inline.hpp"
#include "gc/shared/cardTable.hpp"
#include "gc/shared/cardTableRS.hpp"
#include "gc/shared/genCollectedHeap.hpp"

static CardTable* card_table() {
  return GenCollectedHeap::heap()->rem_set();
}

volatile jbyte* PmemRemSet::card_for(const void* p) {
  return (volatile jbyte*)card_table()->byte_for(p);
}

HeapWord* PmemRemSet::addr_for(const volatile jbyte* card) {
  return card_table()->addr_for((CardTable::CardValue*)card);
}

void PmemRemSet::dirty(const void* field) {
  volatile jbyte* c = card_for(field);
  if (*c != (jbyte)CardTable::dirty_card_val()) {
    *c = (jbyte)CardTable::dirty_card_val();
  }
}

void PmemRemSet::dirty_range(const void* start, size_t bytes) {
  if (bytes == 0 || !PmemHeap::is_in(start)) {
    return;
  }
  volatile jbyte* last = card_for((const char*)start + bytes - 1);
  for (volatile jbyte* c = card_for(start); c <= last; c++) {
    *c = (jbyte)CardTable::dirty_card_val();
  }
}

void PmemRemSet::clean(HeapWord* from, HeapWord* to) {
  if (to <= from) {
    return;
  }
  volatile jbyte* first = card_for(from);
  volatile jbyte* last = card_for(to - 1);
  memset((void*)first, CardTable::clean_card_val(), pointer_delta((void*)(last + 1), (void*)first, 1));
}

size_t PmemRemSet::dirty_cards(HeapWord* to) {
  size_t n = 0;
  dirty_runs_do(to, [&](HeapWord* s, HeapWord* e) {
    n += (pointer_delta(e, s, 1) + CardTable::card_size - 1) / CardTable::card_size;
  });
  return n;
}
