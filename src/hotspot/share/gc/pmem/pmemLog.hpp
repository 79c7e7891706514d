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


#ifndef SHARE_GC_PMEM_PMEMLOG_HPP
#define SHARE_GC_PMEM_PMEMLOG_HPP

#include "memory/allocation.hpp"
#include "utilities/globalDefinitions.hpp"

// One undo log slot in the heap file: the old bytes of every location a
// transaction stores to, made durable before the store can reach memory.
//
//   line 0    state word: generation << 1 | active
//   then      entries, each 8-byte aligned:
//               word 0: target offset in the file << 16 | length (1..4096)
//               word 1: generation << 32 | checksum of the entry
//               the old bytes, zero padded to 8
//             a zero word ends the entries
//
// A transaction's generation is one more than the slot's last one. An
// entry counts only if its generation is the active one and its checksum
// holds, so a torn entry, or one left from an earlier transaction, ends
// the scan. Each entry is written back and fenced before its store, so an
// entry that does not count never guarded a store that reached memory.
// Retiring the log (commit) is one persisted 8-byte write of the state.
// Undoing restores entries newest first and can be repeated: a crash while
// undoing is undone again at the next start.
//
// Offsets, not addresses, so a log survives the file being mapped elsewhere.
class PmemLog {
  char*    _file_base;    // offsets are from here
  size_t   _file_size;
  char*    _slot;         // the slot's first byte
  size_t   _slot_size;
  size_t   _cursor;       // where the next entry goes (volatile, like the scan)
  uint32_t _gen;          // generation of the open transaction
  bool     _active;       // the state word says active (an entry was written)
  size_t   _entries;

  volatile uint64_t* state() const { return (volatile uint64_t*)_slot; }
  static uint32_t checksum(uint64_t word0, uint32_t gen, const uint64_t* data, size_t words);
  // The entry at pos if it counts for generation gen, else false.
  bool entry_at(size_t pos, uint32_t gen, uint64_t* word0, size_t* next) const;
  void restore_from(size_t from, size_t* restored);

public:
  static const size_t header_size = 64;
  static const size_t max_entry_data = 4096;

  PmemLog() : _file_base(NULL), _file_size(0), _slot(NULL), _slot_size(0),
              _cursor(header_size), _gen(0), _active(false), _entries(0) {}

  void init(char* file_base, size_t file_size, char* slot, size_t slot_size);

  // Opens a transaction in this slot. Writes nothing: a transaction that
  // stores nothing costs no write-back and no fence.
  void begin();

  // Records the len (<= max_entry_data) bytes at target and makes them
  // durable. Returns false, recording nothing, when the slot is full.
  bool append(const void* target, size_t len);

  // Calls f(target address, length, old bytes) for each entry of the open
  // transaction, oldest first.
  template <typename F> void do_entries_with_old(F f) const {
    uint64_t w0;
    size_t next;
    for (size_t pos = header_size; pos < _cursor && entry_at(pos, _gen, &w0, &next); pos = next) {
      f(_file_base + (w0 >> 16), (size_t)(w0 & 0xffff), (const char*)(_slot + pos + 2 * sizeof(uint64_t)));
    }
  }

  // Calls f(target address, length) for each entry of the open transaction.
  template <typename F> void do_entries(F f) const {
    do_entries_with_old([&](char* target, size_t len, const char*) { f(target, len); });
  }

  // The end of the entries: a savepoint for undo_to().
  size_t mark() const { return _cursor; }
  size_t entries() const { return _entries; }
  bool is_active() const { return _active; }

  // Restores (durably) every entry from mark on, newest first, and forgets them.
  void undo_to(size_t mark);

  // Ends the transaction: one persisted write of the state word. Callers
  // write back the stored-to lines first.
  void retire();

  // At attach, before recovery: calls f(target offset, length) for each
  // entry of the slot's unfinished transaction, if it has one, and returns
  // true; stops and returns false at the first entry for which f does.
  template <typename F>
  static bool check_recorded(char* file_base, size_t file_size, char* slot, size_t slot_size, F f) {
    PmemLog log;
    log.init(file_base, file_size, slot, slot_size);
    uint64_t w0;
    size_t next;
    for (size_t pos = header_size; log._active && log.entry_at(pos, log._gen, &w0, &next); pos = next) {
      if (!f((size_t)(w0 >> 16), (size_t)(w0 & 0xffff))) {
        return false;
      }
    }
    return true;
  }

  // At attach: if the slot holds an unfinished transaction, restores its
  // entries and retires it. Returns the number of entries restored.
  static size_t recover(char* file_base, size_t file_size, char* slot, size_t slot_size);
};

#endif // SHARE_GC_PMEM_PMEMLOG_HPP
