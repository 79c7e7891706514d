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

#ifndef SHARE_GC_PMEM_PMEMFORMAT_HPP
#define SHARE_GC_PMEM_PMEMFORMAT_HPP

#include "memory/allStatic.hpp"
#include "utilities/globalDefinitions.hpp"

// The on-file format of a persistent heap, version 1.
//
//   page 0      PmemFileHeader: identity and layout (immutable, checksummed);
//               at state_offset, PmemFileState: 8-byte fields updated in place
//   ...         region table, type table, roots, undo log slots, card
//               metadata (PmemRemSet's bits): each area starts on a
//               PmemFormat::area_alignment boundary, in this order
//   ...         objects, up to file_size
//
// Everything is native-endian (x86_64 only) and offsets are from the start
// of the file, so the areas survive mapping the file elsewhere.

// The layout-relevant settings of a JVM: a file is only usable by a JVM
// whose settings equal the ones it was created with.
struct PmemLayoutFlags {
  bool     compressed_oops;
  bool     compressed_class_pointers;
  uint32_t object_alignment;       // ObjectAlignmentInBytes

  static PmemLayoutFlags current();
};

struct PmemFileHeader {
  char     magic[16];              // PmemFormat::magic, zero padded
  uint32_t format_version;         // PmemFormat::current_version when written
  uint32_t header_size;            // sizeof(PmemFileHeader)
  uint64_t file_size;              // the file is at least this long
  uint8_t  uuid[16];               // identifies this heap, never changes

  uint8_t  compressed_oops;        // PmemLayoutFlags of the creating JVM
  uint8_t  compressed_class_pointers;
  uint16_t object_alignment;
  uint32_t log_slots;              // number of undo log slots

  uint64_t region_table_offset;    // one PmemFormat area each: offset, size
  uint64_t region_table_size;
  uint64_t type_table_offset;
  uint64_t type_table_size;
  uint64_t roots_offset;
  uint64_t roots_size;
  uint64_t log_offset;
  uint64_t log_size;               // log_slots * slot size
  uint64_t card_meta_offset;
  uint64_t card_meta_size;
  uint64_t objects_offset;
  uint64_t objects_size;           // up to file_size

  uint64_t checksum;               // FNV-1a of every field above
};

// What a compaction moves down at a time (PmemCompact): the bytes at
// offset from go to offset to. Either one run of live objects longer than
// the distance, copied in pieces, the first moved bytes durably so far
// (batch 0); or the runs of live objects (and the free chunks between
// them) in bytes from from, which all fit below from, copied again from
// the start after a crash (batch 1).
struct PmemSlideUnit {
  uint64_t from;
  uint64_t to;
  uint64_t bytes;
  uint64_t moved;
  uint64_t batch;
};

// An allocation buffer whose objects are not written back one by one
// (PmemDeferred): objects-area offsets. start is the buffer's first byte
// plus 1 (0: the slot is free), end its end, mark the end of its durable
// prefix: the objects below it are written back, and so is everything they
// refer to. After a crash [mark, end) is freed.
struct PmemDeferSlot {
  uint64_t start;
  uint64_t end;
  uint64_t mark;
};

// Fields the runtime changes in place, each with one persisted, aligned
// 8-byte store, so none of them is ever torn. Not checksummed for that reason.
struct PmemFileState {
  uint64_t heap_address;        // where the objects area was mapped last
  uint64_t narrow_oop_base;     // reference encoding of the last run
  uint64_t narrow_oop_shift;
  uint64_t narrow_klass_base;
  uint64_t narrow_klass_shift;
  uint64_t clean_shutdown;      // 1 after an orderly exit
  uint64_t swizzle_phase;       // 1 while object headers are being rewritten
  uint64_t swizzle_cursor;      // objects below this offset are rewritten
  uint64_t run_count;           // JVMs that attached so far
  uint64_t objects_top;         // bytes of the objects area handed out so far
  uint64_t root_offset;         // the root object: objects-area offset + 1, 0 for null
  uint64_t marks_clean;         // 1: no object header holds lock state of an ended run
                                // (0 in files from before the field: attach cleans them)
  uint64_t placement_check;     // PmemFormat::placement_check of the fields above it,
                                // 0 while they change (and in files from before the field)
  uint64_t objects_size;        // the objects area's size once it grew (-XX:PmemMaxSize);
                                // 0: the header's objects_size
  // A relocation step under way (PmemRelocate): references are being
  // rewritten from the placement above to this one.
  uint64_t reloc_phase;         // 1 while a step runs; 2: two steps in one walk,
                                // through reloc_mid, a chunk at a time
  uint64_t reloc_cursor;        // objects below this offset are rewritten
  uint64_t reloc_address;       // the step's target: objects area address,
  uint64_t reloc_base;          // narrow oop base and shift
  uint64_t reloc_shift;
  uint64_t reloc_mid;           // phase 2: the intermediate placement's address (zero-based)
  uint64_t reloc_mid_cursor;    // phase 2: below this offset the first pass is done
  // A class migration under way (PmemMigrate): objects of classes whose
  // fields changed are copied to the new layout from migr_tail on.
  uint64_t migr_phase;          // 1 copying, 2 forwarding references, 3 freeing the old objects
  uint64_t migr_tail;           // objects-area offset where the copies start
  uint64_t migr_check;          // the new layouts' fingerprints, mixed
  // A compaction under way (PmemCompact): the live objects slide down to
  // close the free space between them.
  uint64_t compact_phase;       // 1 references to their new offsets in compact_mid's encoding,
                                // 2 sliding the objects, 3 references back to this placement
  uint64_t compact_mid;         // the intermediate placement's address (zero-based)
  uint64_t compact_cursor;      // phases 1 and 3: objects below this offset are rewritten
  uint64_t compact_top;         // where the objects end once slid together
  uint64_t compact_unit;        // phase 2: which of compact_units is the current one
  PmemSlideUnit compact_units[2];
  // The marks of incremental collections, saved by an orderly exit
  // (PmemCollector): a free chunk at objects-area offset marks_offset - 1
  // holds, after its tag, the mark bitmap (a bit per word from the
  // objects area's start); valid only while objects_top equals marks_top
  // and clean_shutdown is 1. 0: none (and in files from before the field).
  uint64_t marks_offset;
  uint64_t marks_top;
  // Buffers of deferred write-back (PmemDeferred); all free after an
  // orderly exit, and in files from before the field.
  PmemDeferSlot defer_slots[64];
};

class PmemFormat : AllStatic {
public:
  static const char     magic[16];
  static const uint32_t current_version = 1;
  static const size_t   header_area_size = 4 * K;   // header + state page
  static const size_t   state_offset = 2 * K;       // PmemFileState in that page
  static const size_t   area_alignment = 64 * K;
  static const size_t   cache_line = 64;            // unit of write-back

  // Bounds on the geometry a header may describe, checked even when its
  // checksum holds (a file may have been edited, or written by a buggy
  // tool): what the runtime sizes its own tables by.
  static const size_t   max_log_slots = 4096;         // PmemLogSlots' range
  static const size_t   min_log_slot_size = 16 * K;   // PmemLogSize's range
  static const size_t   min_table_size = 64 * K;      // type table, roots
  static const size_t   max_type_table_size = 4 * M;  // PmemTypeTable's lookup table
  static const size_t   max_roots_size = 64 * M;
  static const size_t   max_region_size = 1 * M;      // the gap allowed before objects

  // Sizes of the metadata areas of a new file.
  struct Geometry {
    size_t region_size;       // granule of the region table
    size_t type_table_size;
    size_t roots_size;
    size_t log_slot_size;
    uint32_t log_slots;
    size_t max_file_size;     // what the file may grow to (the region table and card
                              // metadata cover it); 0: its size
  };

  // Smallest file that can hold the metadata of g and one region of objects.
  static size_t min_file_size(const Geometry& g);

  // Fills header for a new file of file_size bytes. Returns false (and a
  // message in err) if the file is too small for g.
  static bool init_header(PmemFileHeader* header, size_t file_size, const Geometry& g,
                          const PmemLayoutFlags& flags, const uint8_t uuid[16],
                          char* err, size_t err_len);

  static uint64_t checksum(const PmemFileHeader* header);
  // The objects area's size now: the header's, or what it grew to.
  static uint64_t objects_size(const PmemFileHeader* header, const PmemFileState* state) {
    return state->objects_size != 0 ? state->objects_size : header->objects_size;
  }
  // The region table's granule: one byte of memory type per region.
  static const size_t   region_granule = 1 * M;
  // Memory types of the region table.
  enum MemType { mem_unrecorded = 0, mem_metadata = 1, mem_objects = 2 };
  // What PmemFileState::placement_check holds for the placement fields
  // (heap_address and the reference encoding); never 0.
  static uint64_t placement_check(const PmemFileState* state);

  // Checks the state area against the header: every offset within the
  // objects area, every flag 0 or 1, the placement against its check word.
  // On failure writes a one-line message naming the field and its file
  // offset to err and returns false.
  static bool validate_state(const PmemFileState* state, const PmemFileHeader* header,
                             const char* path, char* err, size_t err_len);

  enum Result {
    ok,
    not_ours,         // no pmem-jdk magic: a foreign file
    truncated,        // shorter than its header says, or than a header
    newer_format,     // written by a newer pmem-jdk
    older_format,     // a format this JVM no longer reads
    damaged,          // checksum or area bounds wrong
    layout_mismatch   // compressed oops/class pointers/alignment differ
  };

  // Checks the first bytes of a file (len of them are readable, file_len is
  // its length) against the format and this JVM's flags. On failure writes
  // a one-line message, starting with path, to err.
  static Result validate(const void* bytes, size_t len, size_t file_len,
                         const PmemLayoutFlags& flags, const char* path,
                         char* err, size_t err_len);
};

#endif // SHARE_GC_PMEM_PMEMFORMAT_HPP
