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
#include "gc/pmem/pmemFault.hpp"
#include "gc/pmem/pmemLog.hpp"
#include "gc/pmem/pmemRemSet.hpp"
#include "gc/pmem/pmemWalk.hpp"
#include "gc/pmem/pmemWriteback.hpp"
#include "runtime/orderAccess.hpp"
#include "utilities/align.hpp"
#include "utilities/debug.hpp"
#include "utilities/growableArray.hpp"

#include <string.h>

void PmemLog::init(char* file_base, size_t file_size, char* slot, size_t slot_size) {
  _file_base = file_base;
  _file_size = file_size;
  _slot = slot;
  _slot_size = slot_size;
  _seg = 0;
  _cursor = header_size;
  _active = (*state() & 1) != 0;
  _gen = (uint32_t)(*state() >> 1);
}

uint32_t PmemLog::checksum(uint64_t word0, uint32_t gen, const uint64_t* data, size_t words) {
  // FNV-1a over 64-bit words, folded to 32 bits: enough to tell a torn
  // entry (some lines written, some not) from a whole one.
  uint64_t h = UCONST64(0xcbf29ce484222325);
  h = (h ^ word0) * UCONST64(0x100000001b3);
  h = (h ^ gen) * UCONST64(0x100000001b3);
  for (size_t i = 0; i < words; i++) {
    h = (h ^ data[i]) * UCONST64(0x100000001b3);
  }
  return (uint32_t)(h ^ (h >> 32)) | 1;   // never 0: a zero word ends the log
}

bool PmemLog::entry_at(const char* base, size_t size, size_t pos, uint32_t gen, uint64_t* word0, size_t* next) const {
  if (pos + 2 * sizeof(uint64_t) > size) {
    return false;
  }
  const uint64_t* e = (const uint64_t*)(base + pos);
  const uint64_t w0 = e[0];
  const uint64_t w1 = e[1];
  const size_t len = (size_t)(w0 & 0xffff);
  const uint64_t target = w0 >> 16;
  if (w0 == 0 || (len > max_entry_data && len != fresh_len) || (uint32_t)(w1 >> 32) != gen) {
    return false;
  }
  const size_t words = len == 0 || len == fresh_len ? 1 : align_up(len, sizeof(uint64_t)) / sizeof(uint64_t);
  const size_t end = pos + (2 + words) * sizeof(uint64_t);
  if (end > size || (uint32_t)w1 != checksum(w0, gen, e + 2, words)) {
    return false;
  }
  if (len == 0) {   // a continuation: its chunk must be in the file, aligned and big enough
    const uint64_t chunk = e[2];
    if (!is_aligned(target, sizeof(uint64_t)) || chunk < 4 * max_entry_data || chunk > _file_size ||
        target > _file_size - chunk) {
      return false;
    }
  } else if (target + stored_len(len) > _file_size || (len == fresh_len && !is_aligned(target, sizeof(uint64_t)))) {
    return false;
  }
  *word0 = w0;
  *next = end;
  return true;
}

void PmemLog::begin() {
  assert(!_active, "a transaction is open in this slot");
  _gen = (uint32_t)(*state() >> 1) + 1;
  _seg = 0;
  _cursor = header_size;
  _entries = 0;
}

// Fills in the entry at e (its data words written) and, for an entry the
// scan may read past, the zero word after it. A continuation gets none: it
// may end its segment exactly, and the word after a segment belongs to
// whatever follows (the next slot's state word, the object or free chunk
// after a log chunk).
void PmemLog::write_entry(uint64_t* e, uint64_t w0, size_t words, bool terminate) {
  e[0] = w0;
  e[1] = ((uint64_t)_gen << 32) | checksum(w0, _gen, e + 2, words);
  if (terminate) {
    e[2 + words] = 0;        // ends the scan here
  }
  PmemWriteback::flush(e, (2 + words + (terminate ? 1 : 0)) * sizeof(uint64_t));
  if (!_active) {
    *state() = ((uint64_t)_gen << 1) | 1;
    PmemWriteback::flush(_slot, sizeof(uint64_t));
    _active = true;
  }
  PmemWriteback::drain();
}

// The segment is full: a continuation to the next chunk ends it.
void PmemLog::link_next() {
  const Chunk& c = _chunks.at(_seg);   // segment _seg + 1
  *(volatile uint64_t*)c.base = 0;     // no stale entry at its start
  PmemWriteback::flush(c.base, sizeof(uint64_t));
  uint64_t* e = (uint64_t*)(seg_base(_seg) + _cursor);
  e[2] = c.size;
  write_entry(e, (uint64_t)(c.base - _file_base) << 16, 1, false);
  _seg++;
  _cursor = 0;
  PmemFault::reached("log-linked");
}

bool PmemLog::append(const void* target, size_t len) {
  assert(len > 0 && len <= max_entry_data, "entry of " SIZE_FORMAT " bytes", len);
  const size_t words = align_up(len, sizeof(uint64_t)) / sizeof(uint64_t);
  const size_t size = (2 + words) * sizeof(uint64_t);
  // Room for the entry, then a continuation or the zero word that ends the log.
  while (_cursor + size + continuation_size > seg_size(_seg)) {
    if (_seg >= _chunks.length()) {
      return false;
    }
    link_next();
  }
  uint64_t* e = (uint64_t*)(seg_base(_seg) + _cursor);
  e[1 + words] = 0;          // the last data word gets its padding zeroed
  memcpy(e + 2, target, len);
  write_entry(e, ((uint64_t)((const char*)target - _file_base) << 16) | len, words, true);
  _cursor += size;
  _entries++;
  PmemFault::reached("log-appended");
  return true;
}

bool PmemLog::append_fresh(HeapWord* start, size_t words) {
  const size_t size = 3 * sizeof(uint64_t);
  while (_cursor + size + continuation_size > seg_size(_seg)) {
    if (_seg >= _chunks.length()) {
      return false;
    }
    link_next();
  }
  uint64_t* e = (uint64_t*)(seg_base(_seg) + _cursor);
  e[2] = PmemWalk::free_tag(words);
  write_entry(e, ((uint64_t)((const char*)start - _file_base) << 16) | fresh_len, 1, true);
  _cursor += size;
  PmemFault::reached("log-fresh");
  return true;
}

void PmemLog::add_chunk(HeapWord* obj, char* base, size_t size) {
  assert(size >= 4 * max_entry_data && is_aligned(base, sizeof(uint64_t)), "bad log chunk");
  Chunk c = { obj, base, size };
  _chunks.append(c);
}

size_t PmemLog::chunk_bytes() const {
  size_t n = 0;
  for (int i = 0; i < _chunks.length(); i++) n += _chunks.at(i).size;
  return n;
}

// Restores the entries from position from on, newest first, durably: the
// segments last to first, each one's entries found first (they vary in size).
void PmemLog::restore_from(size_t from, bool recovering, size_t* restored) {
  struct Span { const char* base; size_t size; size_t start; };
  GrowableArrayCHeap<Span, mtGC> spans;
  segments_do([&](int, const char* base, size_t size, size_t start) {
    Span s = { base, size, start };
    spans.append(s);
  });
  const int from_seg = (int)(from >> 40);
  const size_t from_pos = from & ((UCONST64(1) << 40) - 1);
  GrowableArrayCHeap<size_t, mtGC> at;
  size_t n = 0;
  for (int s = spans.length() - 1; s >= from_seg; s--) {
    const Span& sp = spans.at(s);
    at.clear();
    uint64_t w0;
    size_t next;
    for (size_t pos = sp.start; entry_at(sp.base, sp.size, pos, _gen, &w0, &next) && (w0 & 0xffff) != 0;
         pos = next) {
      // A fresh range is freed by recovery only: after an abort in this
      // run its objects stay (volatile code may still hold them).
      const bool fresh = (w0 & 0xffff) == fresh_len;
      if ((s > from_seg || pos >= from_pos) && (recovering || !fresh)) at.append(pos);
    }
    for (int i = at.length() - 1; i >= 0; i--) {
      const uint64_t* e = (const uint64_t*)(sp.base + at.at(i));
      char* target = _file_base + (e[0] >> 16);
      const size_t len = stored_len((size_t)(e[0] & 0xffff));
      memcpy(target, e + 2, len);
      PmemWriteback::flush(target, len);
      PmemRemSet::remember_range(target, len);   // old references back, perhaps to young objects
      n += (e[0] & 0xffff) != fresh_len ? 1 : 0;
    }
  }
  PmemWriteback::drain();
  *restored = n;
}

void PmemLog::undo_to(size_t mark) {
  const int seg = (int)(mark >> 40);
  const size_t pos = mark & ((UCONST64(1) << 40) - 1);
  assert(seg < _seg || (seg == _seg && pos >= (seg == 0 ? header_size : 0) && pos <= _cursor), "bad mark");
  if (!_active) {
    return;
  }
  size_t restored;
  restore_from(mark, false, &restored);
  PmemFault::reached("abort-restored");
  // Cut the log at mark: the entries after it are undone.
  char* cut = seg_base(seg) + pos;
  *(volatile uint64_t*)cut = 0;
  PmemWriteback::persist(cut, sizeof(uint64_t));
  _seg = seg;
  _cursor = pos;
  _entries -= restored;
}

void PmemLog::retire() {
  if (!_active) {
    return;    // nothing was logged: nothing to retire
  }
  OrderAccess::storestore();
  *state() = (uint64_t)_gen << 1;
  PmemWriteback::persist(_slot, sizeof(uint64_t));
  _active = false;
  _seg = 0;
  _cursor = header_size;
  _entries = 0;
}

size_t PmemLog::recover(char* file_base, size_t file_size, char* slot, size_t slot_size) {
  PmemLog log;
  log.init(file_base, file_size, slot, slot_size);
  if (!log._active) {
    return 0;
  }
  size_t restored;
  log.restore_from(position(0, header_size), true, &restored);
  PmemFault::reached("recovery-restored");
  log.retire();
  return restored;
}
