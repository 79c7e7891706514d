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
#include "utilities/growableArray.hpp"

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
// A transaction that outgrows the slot goes on in chunks: long[] objects
// of the persistent part that the caller allocates (add_chunk). The last
// entry of a full slot or chunk is a continuation, length 0, whose target
// is the next chunk's first byte and whose one data word is its size; the
// chunk holds entries from its first byte on, in the same format. The
// chunk's first word is zeroed durably before the continuation is, so the
// scan never reads a stale entry there. A continuation counts like any
// entry (generation, checksum), so after a retire, or a crash, the chain
// is followed only for the transaction that wrote it; the chunks are
// unreachable objects that the collector keeps while a thread holds them
// (do_chunks) and frees otherwise.
//
// A fresh range (length field 0xffff, one data word) records that the
// transaction allocates from start on, whose objects are not written back
// one by one: their headers and stores may reach the file in any order
// until commit writes them back. Its data word is a free chunk's tag for
// the range, and recovery "restores" it like old bytes, so after a crash
// the range parses as one free chunk. An abort in the running JVM leaves
// it alone (the transaction writes its objects back instead).
//
// Offsets, not addresses, so a log survives the file being mapped elsewhere.
class PmemLog {
  struct Chunk { HeapWord* obj; char* base; size_t size; };

  char*    _file_base;    // offsets are from here
  size_t   _file_size;
  char*    _slot;         // the slot's first byte
  size_t   _slot_size;
  GrowableArrayCHeap<Chunk, mtGC> _chunks;   // segment i + 1 is _chunks.at(i)
  int      _seg;          // the segment entries go to: 0 the slot, else a chunk
  size_t   _cursor;       // where the next entry goes in it (volatile, like the scan)
  uint32_t _gen;          // generation of the open transaction
  bool     _active;       // the state word says active (an entry was written)
  size_t   _entries;

  volatile uint64_t* state() const { return (volatile uint64_t*)_slot; }
  char*  seg_base(int seg) const { return seg == 0 ? _slot : _chunks.at(seg - 1).base; }
  size_t seg_size(int seg) const { return seg == 0 ? _slot_size : _chunks.at(seg - 1).size; }
  static uint32_t checksum(uint64_t word0, uint32_t gen, const uint64_t* data, size_t words);
  // The entry at pos of the segment [base, base + size) if it counts for
  // generation gen, else false. A continuation (length 0) counts only if
  // its chunk lies inside the file.
  bool entry_at(const char* base, size_t size, size_t pos, uint32_t gen, uint64_t* word0, size_t* next) const;
  // Calls f(segment index, base, size, start) for the slot and each chunk
  // the open transaction's chain reaches in the file.
  template <typename F> void segments_do(F f) const;
  void write_entry(uint64_t* e, uint64_t w0, size_t words, bool terminate);
  void link_next();
  void restore_from(size_t from, bool recovering, size_t* restored);

public:
  static const size_t header_size = 64;
  static const size_t max_entry_data = 4096;
  static const size_t fresh_len = 0xffff;   // the length field of a fresh range
  // The bytes an entry of length field len restores.
  static size_t stored_len(size_t len) { return len == fresh_len ? sizeof(uint64_t) : len; }
  static const size_t continuation_size = 3 * sizeof(uint64_t);

  // Positions (marks) are segment << 40 | offset in the segment.
  static size_t position(int seg, size_t offset) { return ((size_t)seg << 40) | offset; }

  PmemLog() : _file_base(NULL), _file_size(0), _slot(NULL), _slot_size(0), _chunks(0), _seg(0),
              _cursor(header_size), _gen(0), _active(false), _entries(0) {}

  // Points the log at a slot; the chunks it holds stay its own.
  void init(char* file_base, size_t file_size, char* slot, size_t slot_size);

  // Opens a transaction in this slot. Writes nothing: a transaction that
  // stores nothing costs no write-back and no fence.
  void begin();

  // Records the len (<= max_entry_data) bytes at target and makes them
  // durable. Returns false, recording nothing, when the slot and every
  // chunk the log holds are full: add_chunk, then try again.
  bool append(const void* target, size_t len);

  // Records, durably, that the transaction allocates the words from start
  // on without writing each object back (see the class comment). Returns
  // false, recording nothing, when the log is full.
  bool append_fresh(HeapWord* start, size_t words);
  // A chunk for the log to go on in: size bytes at base, the elements of
  // the long[] at obj (persistent, its header durable).
  void add_chunk(HeapWord* obj, char* base, size_t size);
  // Between transactions: forgets the chunks beyond the first
  // keep_bytes' worth, calling f(long[] object) for each.
  template <typename F> void trim_chunks(size_t keep_bytes, F f) {
    assert(!_active, "a transaction uses them");
    size_t n = 0;
    int keep = 0;
    while (keep < _chunks.length() && n + _chunks.at(keep).size <= keep_bytes) {
      n += _chunks.at(keep++).size;
    }
    for (int i = keep; i < _chunks.length(); i++) f(_chunks.at(i).obj);
    _chunks.trunc_to(keep);
  }
  size_t chunk_bytes() const;
  int chunks() const { return _chunks.length(); }
  // A compaction moved the chunks' objects: f(old object) is the new one.
  template <typename F> void chunks_moved(F f) {
    for (int i = 0; i < _chunks.length(); i++) {
      Chunk& c = _chunks.at(i);
      HeapWord* to = f(c.obj);
      c.base = (char*)to + (c.base - (char*)c.obj);
      c.obj = to;
    }
  }
  // f(long[] object) for each chunk held, used or not.
  template <typename F> void do_chunks(F f) const {
    for (int i = 0; i < _chunks.length(); i++) f(_chunks.at(i).obj);
  }

  // Calls f(target address, length, old bytes) for each entry of the open
  // transaction, oldest first.
  template <typename F> void do_entries_with_old(F f) const {
    if (!_active) return;
    segments_do([&](int, const char* base, size_t size, size_t start) {
      uint64_t w0;
      size_t next;
      for (size_t pos = start; entry_at(base, size, pos, _gen, &w0, &next) && (w0 & 0xffff) != 0; pos = next) {
        if ((w0 & 0xffff) != fresh_len) {   // old bytes only
          f(_file_base + (w0 >> 16), (size_t)(w0 & 0xffff), base + pos + 2 * sizeof(uint64_t));
        }
      }
    });
  }

  // Calls f(target address, length) for each entry of the open transaction.
  template <typename F> void do_entries(F f) const {
    do_entries_with_old([&](char* target, size_t len, const char*) { f(target, len); });
  }

  // The end of the entries: a savepoint for undo_to().
  size_t mark() const { return position(_seg, _cursor); }
  size_t entries() const { return _entries; }
  bool is_active() const { return _active; }

  // Restores (durably) every entry from mark on, newest first, and forgets them.
  void undo_to(size_t mark);

  // Ends the transaction: one persisted write of the state word. Callers
  // write back the stored-to lines first.
  void retire();

  // At attach, before recovery: calls f(target offset, length) for each
  // entry of the slot's unfinished transaction, if it has one, and for
  // each chunk its chain reaches (f(chunk offset, chunk size)); returns
  // true, or false at the first call that returns false.
  template <typename F>
  static bool check_recorded(char* file_base, size_t file_size, char* slot, size_t slot_size, F f) {
    return walk_recorded(file_base, file_size, slot, slot_size,
                         [&](size_t at, size_t len, const char* old) { return f(at, len); });
  }

  // At attach, before recovery: calls f(target offset, length, old bytes)
  // for each entry of the slot's unfinished transaction, in log order (the
  // first entry for some bytes holds what recovery restores there).
  template <typename F>
  static void recorded_entries_do(char* file_base, size_t file_size, char* slot, size_t slot_size, F f) {
    walk_recorded(file_base, file_size, slot, slot_size, [&](size_t at, size_t len, const char* old) {
      if (old != NULL) f(at, len, old);
      return true;
    });
  }

private:
  // f(offset, length, old bytes) per entry and f(offset, size, NULL) per chunk.
  template <typename F>
  static bool walk_recorded(char* file_base, size_t file_size, char* slot, size_t slot_size, F f) {
    PmemLog log;
    log.init(file_base, file_size, slot, slot_size);
    if (!log._active) {
      return true;
    }
    bool ok = true;
    log.segments_do([&](int seg, const char* base, size_t size, size_t start) {
      if (!ok || (seg > 0 && !f((size_t)(base - file_base), size, (const char*)NULL))) {
        ok = false;
        return;
      }
      uint64_t w0;
      size_t next;
      for (size_t pos = start; ok && log.entry_at(base, size, pos, log._gen, &w0, &next) && (w0 & 0xffff) != 0;
           pos = next) {
        ok = f((size_t)(w0 >> 16), stored_len((size_t)(w0 & 0xffff)), base + pos + 2 * sizeof(uint64_t));
      }
    });
    return ok;
  }

public:

  // At attach: if the slot holds an unfinished transaction, restores its
  // entries and retires it. Returns the number of entries restored.
  static size_t recover(char* file_base, size_t file_size, char* slot, size_t slot_size);
};

template <typename F> void PmemLog::segments_do(F f) const {
  const char* base = _slot;
  size_t size = _slot_size;
  size_t pos = header_size;
  // A damaged chain could loop: no transaction has more chunks than fit the file.
  const int most = (int)MIN2(_file_size / (4 * max_entry_data), (size_t)INT_MAX - 1);
  for (int seg = 0; seg <= most; seg++) {
    f(seg, base, size, pos);
    uint64_t w0;
    size_t next;
    while (entry_at(base, size, pos, _gen, &w0, &next) && (w0 & 0xffff) != 0) {
      pos = next;
    }
    if (!entry_at(base, size, pos, _gen, &w0, &next)) {
      return;   // the end of the entries
    }
    size = (size_t)((const uint64_t*)(base + pos))[2];
    base = _file_base + (w0 >> 16);
    pos = 0;
  }
}

#endif // SHARE_GC_PMEM_PMEMLOG_HPP
