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
#include "gc/pmem/pmemFormat.hpp"
#include "jvm_io.h"
#include "runtime/globals.hpp"
#include "utilities/align.hpp"
#include "utilities/globalDefinitions.hpp"

const char PmemFormat::magic[16] = "pmem-jdk heap";
// Definitions, so the constants may be bound to references (C++14).
const uint32_t PmemFormat::current_version;
const size_t   PmemFormat::header_area_size;
const size_t   PmemFormat::state_offset;
const size_t   PmemFormat::area_alignment;
const size_t   PmemFormat::cache_line;
const size_t   PmemFormat::max_log_slots;
const size_t   PmemFormat::min_log_slot_size;
const size_t   PmemFormat::min_table_size;
const size_t   PmemFormat::max_type_table_size;
const size_t   PmemFormat::max_roots_size;
const size_t   PmemFormat::max_region_size;

STATIC_ASSERT(sizeof(PmemFileHeader) <= PmemFormat::state_offset);
STATIC_ASSERT(PmemFormat::state_offset + sizeof(PmemFileState) <= PmemFormat::header_area_size);

PmemLayoutFlags PmemLayoutFlags::current() {
  PmemLayoutFlags f;
  f.compressed_oops = UseCompressedOops;
  f.compressed_class_pointers = UseCompressedClassPointers;
  f.object_alignment = (uint32_t)ObjectAlignmentInBytes;
  return f;
}

uint64_t PmemFormat::checksum(const PmemFileHeader* header) {
  // FNV-1a, 64 bit: enough to tell a damaged header from a good one.
  const uint8_t* p = (const uint8_t*)header;
  const size_t n = offset_of(PmemFileHeader, checksum);
  uint64_t h = UCONST64(0xcbf29ce484222325);
  for (size_t i = 0; i < n; i++) {
    h ^= p[i];
    h *= UCONST64(0x100000001b3);
  }
  return h;
}

uint64_t PmemFormat::placement_check(const PmemFileState* st) {
  const uint64_t words[] = { st->heap_address, st->narrow_oop_base, st->narrow_oop_shift };
  uint64_t h = UCONST64(0xcbf29ce484222325);
  for (uint64_t w : words) {
    h = (h ^ w) * UCONST64(0x100000001b3);
  }
  return h | 1;
}

// A run a compaction slides: down, inside the used part, word-aligned.
static bool slide_unit_ok(const PmemSlideUnit* u, uint64_t top) {
  return u->to <= u->from && u->from <= top && u->bytes <= top - u->from && u->moved <= u->bytes && u->batch <= 1 &&
         (u->bytes == 0 || u->to < u->from) &&
         (u->from | u->to | u->bytes | u->moved) % HeapWordSize == 0;
}

bool PmemFormat::validate_state(const PmemFileState* st, const PmemFileHeader* h,
                                const char* path, char* err, size_t err_len) {
#define PMEM_STATE_AT(field) (PmemFormat::state_offset + offset_of(PmemFileState, field))
  struct { const char* name; uint64_t value; size_t at; bool ok; } fields[] = {
    { "objects_size",    st->objects_size,    PMEM_STATE_AT(objects_size),
      st->objects_size == 0 ||
      (st->objects_size >= h->objects_size && st->objects_size % area_alignment == 0 &&
       st->objects_size <= h->region_table_size * region_granule - h->objects_offset) },
    { "objects_top",     st->objects_top,     PMEM_STATE_AT(objects_top),
      st->objects_top <= objects_size(h, st) && st->objects_top % HeapWordSize == 0 },
    { "swizzle_cursor",  st->swizzle_cursor,  PMEM_STATE_AT(swizzle_cursor),
      st->swizzle_cursor <= objects_size(h, st) },
    { "swizzle_phase",   st->swizzle_phase,   PMEM_STATE_AT(swizzle_phase),  st->swizzle_phase <= 1 },
    { "reloc_phase",     st->reloc_phase,     PMEM_STATE_AT(reloc_phase),
      st->reloc_phase == 0 || (st->reloc_phase <= 2 && st->heap_address != 0 && st->reloc_address != 0 &&
                               st->reloc_address % (4 * K) == 0 && st->reloc_shift <= 3 &&
                               st->reloc_base <= st->reloc_address &&
                               (st->reloc_phase == 1 || (st->reloc_mid != 0 && st->reloc_mid % (4 * K) == 0 &&
                                                         st->reloc_mid_cursor <= objects_size(h, st)))) },
    { "migr_phase",      st->migr_phase,      PMEM_STATE_AT(migr_phase),
      st->migr_phase <= 3 && (st->migr_phase == 0 || (st->migr_tail <= objects_size(h, st) &&
                                                       st->migr_tail % HeapWordSize == 0)) },
    { "compact_phase",   st->compact_phase,   PMEM_STATE_AT(compact_phase),
      st->compact_phase <= 3 &&
      (st->compact_phase == 0 ||
       (st->compact_mid != 0 && st->compact_mid % (4 * K) == 0 && st->compact_top <= st->objects_top &&
        st->compact_top % HeapWordSize == 0 && st->compact_cursor <= objects_size(h, st) &&
        st->compact_cursor % HeapWordSize == 0 && st->compact_unit <= 1 &&
        slide_unit_ok(&st->compact_units[st->compact_unit & 1], st->objects_top))) },
    { "reloc_cursor",    st->reloc_cursor,    PMEM_STATE_AT(reloc_cursor),
      st->reloc_cursor <= objects_size(h, st) && st->reloc_cursor % HeapWordSize == 0 },
    { "clean_shutdown",  st->clean_shutdown,  PMEM_STATE_AT(clean_shutdown), st->clean_shutdown <= 1 },
    { "marks_clean",     st->marks_clean,     PMEM_STATE_AT(marks_clean),    st->marks_clean <= 1 },
    { "heap_address",    st->heap_address,    PMEM_STATE_AT(heap_address),
      st->heap_address % (4 * K) == 0 &&
      (st->placement_check == 0 || st->placement_check == placement_check(st)) },
  };
#undef PMEM_STATE_AT
  for (const auto& f : fields) {
    if (!f.ok) {
      jio_snprintf(err, err_len, "%s has a damaged state area: %s " UINT64_FORMAT " at file offset " SIZE_FORMAT
                   " is out of range or fails its check", path, f.name, f.value, f.at);
      return false;
    }
  }
  // A deferred buffer lies in what was handed out, its mark inside it.
  const size_t slots = sizeof(st->defer_slots) / sizeof(st->defer_slots[0]);
  for (size_t i = 0; i < slots; i++) {
    const PmemDeferSlot& d = st->defer_slots[i];
    if (d.start == 0) {
      continue;
    }
    if (!(d.start - 1 <= d.mark && d.mark <= d.end && d.end <= st->objects_top &&
          (d.start - 1) % HeapWordSize == 0 && d.mark % HeapWordSize == 0 && d.end % HeapWordSize == 0)) {
      jio_snprintf(err, err_len, "%s has a damaged state area: deferred buffer slot " SIZE_FORMAT " (start "
                   UINT64_FORMAT ", mark " UINT64_FORMAT ", end " UINT64_FORMAT ") at file offset " SIZE_FORMAT
                   " is out of range", path, i, d.start - 1, d.mark, d.end,
                   (size_t)(PmemFormat::state_offset + offset_of(PmemFileState, defer_slots) +
                            i * sizeof(PmemDeferSlot)));
      return false;
    }
  }
  return true;
}

// Lays out the metadata areas after the header page; returns the offset at
// which the objects area starts.
static size_t layout_areas(PmemFileHeader* h, size_t file_size, const PmemFormat::Geometry& g) {
  const size_t a = PmemFormat::area_alignment;
  size_t pos = align_up(PmemFormat::header_area_size, a);
  // One byte of region table per region of the whole file: kind and memtype.
  h->region_table_offset = pos;
  const size_t covered = MAX2(file_size, g.max_file_size);   // a file may grow to max_file_size
  h->region_table_size = align_up(covered / PmemFormat::region_granule + 1, a);
  pos += h->region_table_size;
  h->type_table_offset = pos;
  h->type_table_size = align_up(g.type_table_size, a);
  pos += h->type_table_size;
  h->roots_offset = pos;
  h->roots_size = align_up(g.roots_size, a);
  pos += h->roots_size;
  h->log_slots = g.log_slots;
  h->log_offset = pos;
  h->log_size = align_up(g.log_slot_size * g.log_slots, a);
  pos += h->log_size;
  // A byte per 512 bytes: the remembered set of incremental collections,
  // a bit per 64-byte line of objects (PmemRemSet).
  h->card_meta_offset = pos;
  h->card_meta_size = align_up(covered / 512 + 1, a);
  pos += h->card_meta_size;
  return align_up(pos, g.region_size);
}

size_t PmemFormat::min_file_size(const Geometry& g) {
  // The card metadata grows with the file; iterate to a fixed point.
  PmemFileHeader h;
  size_t size = g.region_size;
  for (int i = 0; i < 8; i++) {
    size_t need = layout_areas(&h, size, g) + g.region_size;
    if (need <= size) {
      break;
    }
    size = need;
  }
  return size;
}

bool PmemFormat::init_header(PmemFileHeader* h, size_t file_size, const Geometry& g,
                             const PmemLayoutFlags& flags, const uint8_t uuid[16],
                             char* err, size_t err_len) {
  memset(h, 0, sizeof(*h));
  size_t objects = layout_areas(h, file_size, g);
  if (objects + g.region_size > file_size) {
    jio_snprintf(err, err_len, "persistent heap size " SIZE_FORMAT "K is too small; "
                 "at least " SIZE_FORMAT "K is needed", file_size / K, min_file_size(g) / K);
    return false;
  }
  memcpy(h->magic, magic, sizeof(h->magic));
  h->format_version = current_version;
  h->header_size = sizeof(PmemFileHeader);
  h->file_size = file_size;
  memcpy(h->uuid, uuid, sizeof(h->uuid));
  h->compressed_oops = flags.compressed_oops ? 1 : 0;
  h->compressed_class_pointers = flags.compressed_class_pointers ? 1 : 0;
  h->object_alignment = (uint16_t)flags.object_alignment;
  h->objects_offset = objects;
  h->objects_size = align_down(file_size - objects, g.region_size);
  h->checksum = checksum(h);
  return true;
}

static bool area_ok(uint64_t offset, uint64_t size, uint64_t file_size) {
  return offset >= PmemFormat::header_area_size && offset <= file_size && size <= file_size - offset;
}

// Whether the geometry of a header whose areas lie inside the file is
// wrong, and what (in what): the areas must come in their order, aligned and without
// overlap, the objects last and right after the card metadata, and each
// table must be of a size the runtime can hold.
static bool bad_geometry(const PmemFileHeader* h, char* what, size_t what_len) {
  const uint64_t a = PmemFormat::area_alignment;
#define PMEM_AREA(name) { h->name##_offset, h->name##_size, #name "_offset", offset_of(PmemFileHeader, name##_offset) }
  const struct { uint64_t offset, size; const char* name; size_t at; } areas[] = {
    PMEM_AREA(region_table), PMEM_AREA(type_table), PMEM_AREA(roots),
    PMEM_AREA(log), PMEM_AREA(card_meta), PMEM_AREA(objects),
  };
#undef PMEM_AREA
  uint64_t end = PmemFormat::header_area_size;
  for (const auto& area : areas) {
    if (area.offset % a != 0 || area.offset < end) {
      jio_snprintf(what, what_len, "%s " UINT64_FORMAT " at header offset " SIZE_FORMAT " overlaps the area "
                   "before it or is not " SIZE_FORMAT "K aligned", area.name, area.offset, area.at, (size_t)(a / K));
      return true;
    }
    end = area.offset + area.size;
  }
  if (h->objects_offset - (h->card_meta_offset + h->card_meta_size) >= PmemFormat::max_region_size ||
      h->objects_size < a || h->file_size - end >= PmemFormat::max_region_size) {
    jio_snprintf(what, what_len, "objects_offset " UINT64_FORMAT " at header offset " SIZE_FORMAT ": the objects "
                 "area must follow the metadata and reach the end of the file", h->objects_offset,
                 offset_of(PmemFileHeader, objects_offset));
    return true;
  }
  if (h->log_slots == 0 || h->log_slots > PmemFormat::max_log_slots) {
    jio_snprintf(what, what_len, "log_slots %u at header offset " SIZE_FORMAT " is not in 1.." SIZE_FORMAT,
                 h->log_slots, offset_of(PmemFileHeader, log_slots), PmemFormat::max_log_slots);
    return true;
  }
  if (align_down(h->log_size / h->log_slots, PmemFormat::cache_line) < PmemFormat::min_log_slot_size) {
    jio_snprintf(what, what_len, "log_size " UINT64_FORMAT " at header offset " SIZE_FORMAT " leaves less than "
                 SIZE_FORMAT "K to each of %u log slots", h->log_size, offset_of(PmemFileHeader, log_size),
                 PmemFormat::min_log_slot_size / K, h->log_slots);
    return true;
  }
  if (h->type_table_size < PmemFormat::min_table_size || h->type_table_size > PmemFormat::max_type_table_size) {
    jio_snprintf(what, what_len, "type_table_size " UINT64_FORMAT " at header offset " SIZE_FORMAT " is not in "
                 SIZE_FORMAT "K.." SIZE_FORMAT "K", h->type_table_size, offset_of(PmemFileHeader, type_table_size),
                 PmemFormat::min_table_size / K, PmemFormat::max_type_table_size / K);
    return true;
  }
  if (h->roots_size < PmemFormat::min_table_size || h->roots_size > PmemFormat::max_roots_size) {
    jio_snprintf(what, what_len, "roots_size " UINT64_FORMAT " at header offset " SIZE_FORMAT " is not in "
                 SIZE_FORMAT "K.." SIZE_FORMAT "K", h->roots_size, offset_of(PmemFileHeader, roots_size),
                 PmemFormat::min_table_size / K, PmemFormat::max_roots_size / K);
    return true;
  }
  return false;
}

static const char* plus_minus(bool b) { return b ? "+" : "-"; }

PmemFormat::Result PmemFormat::validate(const void* bytes, size_t len, size_t file_len,
                                        const PmemLayoutFlags& flags, const char* path,
                                        char* err, size_t err_len) {
  const PmemFileHeader* h = (const PmemFileHeader*)bytes;
  const size_t magic_len = strlen(magic) + 1;
  if (len < magic_len || memcmp(h->magic, magic, magic_len) != 0) {
    jio_snprintf(err, err_len, "%s is not a pmem-jdk heap file", path);
    return not_ours;
  }
  if (len < sizeof(PmemFileHeader) || file_len < header_area_size) {
    jio_snprintf(err, err_len, "%s is truncated: " SIZE_FORMAT " bytes, shorter than its header",
                 path, file_len);
    return truncated;
  }
  if (h->format_version > current_version) {
    jio_snprintf(err, err_len, "%s has heap format version %u, newer than this JVM's %u; "
                 "open it with a newer pmem-jdk", path, h->format_version, current_version);
    return newer_format;
  }
  if (h->format_version < current_version) {
    jio_snprintf(err, err_len, "%s has heap format version %u, which this JVM (version %u) "
                 "no longer reads", path, h->format_version, current_version);
    return older_format;
  }
  if (h->header_size != sizeof(PmemFileHeader) || h->checksum != checksum(h)) {
    jio_snprintf(err, err_len, "%s has a damaged header (checksum mismatch)", path);
    return damaged;
  }
  if (file_len < h->file_size) {
    jio_snprintf(err, err_len, "%s is truncated: " SIZE_FORMAT " bytes, its header says " UINT64_FORMAT,
                 path, file_len, h->file_size);
    return truncated;
  }
  if (!area_ok(h->region_table_offset, h->region_table_size, h->file_size) ||
      !area_ok(h->type_table_offset, h->type_table_size, h->file_size) ||
      !area_ok(h->roots_offset, h->roots_size, h->file_size) ||
      !area_ok(h->log_offset, h->log_size, h->file_size) ||
      !area_ok(h->card_meta_offset, h->card_meta_size, h->file_size) ||
      !area_ok(h->objects_offset, h->objects_size, h->file_size)) {
    jio_snprintf(err, err_len, "%s has a damaged header (an area lies outside the file)", path);
    return damaged;
  }
  char bad[128];
  if (bad_geometry(h, bad, sizeof(bad))) {
    jio_snprintf(err, err_len, "%s has a damaged header (%s)", path, bad);
    return damaged;
  }
  if ((h->compressed_oops != 0) != flags.compressed_oops) {
    jio_snprintf(err, err_len, "%s was created with -XX:%sUseCompressedOops; start this JVM with it too",
                 path, plus_minus(h->compressed_oops != 0));
    return layout_mismatch;
  }
  if ((h->compressed_class_pointers != 0) != flags.compressed_class_pointers) {
    jio_snprintf(err, err_len, "%s was created with -XX:%sUseCompressedClassPointers; start this JVM with it too",
                 path, plus_minus(h->compressed_class_pointers != 0));
    return layout_mismatch;
  }
  if (h->object_alignment != flags.object_alignment) {
    jio_snprintf(err, err_len, "%s was created with -XX:ObjectAlignmentInBytes=%u; start this JVM with it too",
                 path, (unsigned)h->object_alignment);
    return layout_mismatch;
  }
  return ok;
}
