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

// Lays out the metadata areas after the header page; returns the offset at
// which the objects area starts.
static size_t layout_areas(PmemFileHeader* h, size_t file_size, const PmemFormat::Geometry& g) {
  const size_t a = PmemFormat::area_alignment;
  size_t pos = align_up(PmemFormat::header_area_size, a);
  // One byte of region table per region of the whole file: kind and memtype.
  h->region_table_offset = pos;
  h->region_table_size = align_up(file_size / g.region_size + 1, a);
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
  // Object starts per 512-byte card, one byte each, as the block offset
  // table keeps them.
  h->card_meta_offset = pos;
  h->card_meta_size = align_up(file_size / 512 + 1, a);
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
