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
#include "unittest.hpp"

namespace {

const PmemFormat::Geometry geometry = { 1 * M, 256 * K, 64 * K, 256 * K, 4 };
const PmemLayoutFlags flags = { true, true, 8 };
const uint8_t uuid[16] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16 };

struct File {
  union {
    PmemFileHeader header;
    char page[PmemFormat::header_area_size];
  };
  size_t length;

  File(size_t size) : length(size) {
    memset(page, 0, sizeof(page));
    char err[256];
    EXPECT_TRUE(PmemFormat::init_header(&header, size, geometry, flags, uuid, err, sizeof(err))) << err;
  }

  PmemFormat::Result validate(const PmemLayoutFlags& f, char* err, size_t err_len) {
    return PmemFormat::validate(page, sizeof(page), length, f, "/pm/x.heap", err, err_len);
  }
  PmemFormat::Result validate(char* err, size_t err_len) { return validate(flags, err, err_len); }

  void rechecksum() { header.checksum = PmemFormat::checksum(&header); }
};

} // namespace

TEST(PmemFormat, new_header_is_valid_and_areas_do_not_overlap) {
  File f(64 * M);
  char err[256] = "";
  ASSERT_EQ(PmemFormat::ok, f.validate(err, sizeof(err))) << err;
  const PmemFileHeader& h = f.header;
  EXPECT_EQ(PmemFormat::current_version, h.format_version);
  EXPECT_EQ((uint64_t)64 * M, h.file_size);
  // Areas come in order, aligned, each after the previous one.
  uint64_t areas[][2] = {
    { h.region_table_offset, h.region_table_size }, { h.type_table_offset, h.type_table_size },
    { h.roots_offset, h.roots_size }, { h.log_offset, h.log_size },
    { h.card_meta_offset, h.card_meta_size }, { h.objects_offset, h.objects_size } };
  uint64_t end = PmemFormat::header_area_size;
  for (auto& a : areas) {
    EXPECT_GE(a[0], end);
    EXPECT_EQ(0u, a[0] % PmemFormat::area_alignment);
    end = a[0] + a[1];
  }
  EXPECT_LE(end, h.file_size);
  EXPECT_GE(h.log_size, (uint64_t)geometry.log_slot_size * geometry.log_slots);
  EXPECT_EQ(0u, h.objects_offset % geometry.region_size);
  EXPECT_GE(h.objects_size, (uint64_t)geometry.region_size);
}

TEST(PmemFormat, too_small_file_is_refused_with_the_minimum) {
  size_t min = PmemFormat::min_file_size(geometry);
  PmemFileHeader h;
  char err[256];
  EXPECT_TRUE(PmemFormat::init_header(&h, min, geometry, flags, uuid, err, sizeof(err))) << err;
  EXPECT_FALSE(PmemFormat::init_header(&h, min - geometry.region_size, geometry, flags, uuid, err, sizeof(err)));
  EXPECT_NE(nullptr, strstr(err, "is too small; at least")) << err;
}

TEST(PmemFormat, foreign_file) {
  File f(64 * M);
  memcpy(f.page, "\x7f" "ELF", 4);
  char err[256];
  EXPECT_EQ(PmemFormat::not_ours, f.validate(err, sizeof(err)));
  EXPECT_STREQ("/pm/x.heap is not a pmem-jdk heap file", err);
  char empty[4] = { 0 };
  EXPECT_EQ(PmemFormat::not_ours,
            PmemFormat::validate(empty, 0, 0, flags, "/pm/x.heap", err, sizeof(err)));
}

TEST(PmemFormat, truncated_file) {
  File f(64 * M);
  f.length = 32 * M;
  char err[256];
  EXPECT_EQ(PmemFormat::truncated, f.validate(err, sizeof(err)));
  EXPECT_STREQ("/pm/x.heap is truncated: 33554432 bytes, its header says 67108864", err);
  f.length = 100;  // shorter than the header page itself
  EXPECT_EQ(PmemFormat::truncated, f.validate(err, sizeof(err)));
}

TEST(PmemFormat, newer_and_older_versions) {
  File f(64 * M);
  char err[256];
  f.header.format_version = PmemFormat::current_version + 1;
  f.rechecksum();
  EXPECT_EQ(PmemFormat::newer_format, f.validate(err, sizeof(err)));
  EXPECT_NE(nullptr, strstr(err, "newer than this JVM's")) << err;
  f.header.format_version = 0;
  f.rechecksum();
  EXPECT_EQ(PmemFormat::older_format, f.validate(err, sizeof(err)));
}

TEST(PmemFormat, damaged_header) {
  File f(64 * M);
  char err[256];
  f.header.objects_size += 1;  // without a new checksum
  EXPECT_EQ(PmemFormat::damaged, f.validate(err, sizeof(err)));
  EXPECT_STREQ("/pm/x.heap has a damaged header (checksum mismatch)", err);
  f.header.objects_size = f.header.file_size;  // consistent checksum, impossible area
  f.rechecksum();
  EXPECT_EQ(PmemFormat::damaged, f.validate(err, sizeof(err)));
}

TEST(PmemFormat, layout_flags_must_match) {
  File f(64 * M);
  char err[256];
  PmemLayoutFlags other = flags;
  other.compressed_oops = false;
  EXPECT_EQ(PmemFormat::layout_mismatch, f.validate(other, err, sizeof(err)));
  EXPECT_STREQ("/pm/x.heap was created with -XX:+UseCompressedOops; start this JVM with it too", err);
  other = flags;
  other.compressed_class_pointers = false;
  EXPECT_EQ(PmemFormat::layout_mismatch, f.validate(other, err, sizeof(err)));
  other = flags;
  other.object_alignment = 16;
  EXPECT_EQ(PmemFormat::layout_mismatch, f.validate(other, err, sizeof(err)));
  EXPECT_STREQ("/pm/x.heap was created with -XX:ObjectAlignmentInBytes=8; start this JVM with it too", err);
}

TEST(PmemFormat, state_fields_are_outside_the_checksum) {
  File f(64 * M);
  PmemFileState* state = (PmemFileState*)(f.page + PmemFormat::state_offset);
  state->clean_shutdown = 1;
  state->heap_address = 0x7c0000000;
  char err[256];
  EXPECT_EQ(PmemFormat::ok, f.validate(err, sizeof(err))) << err;
}

// A header whose checksum holds is still checked for a geometry the
// runtime can live with: each case is one edit, with the checksum redone.
TEST(PmemFormat, geometry_is_checked_even_with_a_good_checksum) {
  struct Case { const char* field; void (*edit)(PmemFileHeader*); };
  const Case cases[] = {
    { "log_slots 0 at header offset",     [](PmemFileHeader* h) { h->log_slots = 0; } },
    { "log_slots 5000",                   [](PmemFileHeader* h) { h->log_slots = 5000; } },
    { "log_size",                         [](PmemFileHeader* h) { h->log_slots = 1000; } },
    { "type_table_size 0",                [](PmemFileHeader* h) { h->type_table_size = 0; } },
    { "type_table_size 1024",             [](PmemFileHeader* h) { h->type_table_size = 1024; } },
    { "roots_size 0",                     [](PmemFileHeader* h) { h->roots_size = 0; } },
    { "log_offset",                       [](PmemFileHeader* h) { h->log_offset = h->roots_offset; } },
    { "objects_offset",                   [](PmemFileHeader* h) { h->objects_offset = h->log_offset + 64 * K; } },
    { "objects_offset",                   [](PmemFileHeader* h) { h->objects_offset += 1 * M; h->objects_size -= 1 * M; } },
    { "objects_offset",                   [](PmemFileHeader* h) { h->objects_size -= 2 * M; } },
    { "type_table_offset",                [](PmemFileHeader* h) { h->type_table_offset += 8; } },
  };
  for (const Case& c : cases) {
    File f(64 * M);
    c.edit(&f.header);
    f.rechecksum();
    char err[256] = "";
    EXPECT_EQ(PmemFormat::damaged, f.validate(err, sizeof(err))) << c.field;
    EXPECT_NE(nullptr, strstr(err, "/pm/x.heap has a damaged header (")) << err;
    EXPECT_NE(nullptr, strstr(err, c.field)) << err;
  }
}

// A file that grew (-XX:PmemMaxSize) records its objects area's new size in
// the state; offsets up to it are valid, and the size only ever grows
// within what the region table covers.
TEST(PmemFormat, grown_objects_size_in_the_state) {
  PmemFormat::Geometry g = geometry;
  g.max_file_size = 1 * G;
  PmemFileHeader h;
  char err[256] = "";
  ASSERT_TRUE(PmemFormat::init_header(&h, 64 * M, g, flags, uuid, err, sizeof(err))) << err;
  EXPECT_GE(h.region_table_size * PmemFormat::region_granule, (uint64_t)1 * G);   // covers the maximum
  PmemFileState st;
  memset(&st, 0, sizeof(st));
  st.objects_top = h.objects_size + 8;
  EXPECT_FALSE(PmemFormat::validate_state(&st, &h, "/pm/x.heap", err, sizeof(err)));
  EXPECT_TRUE(strstr(err, "objects_top") != NULL) << err;
  st.objects_size = h.objects_size + 64 * M;
  EXPECT_EQ(h.objects_size + 64 * M, PmemFormat::objects_size(&h, &st));
  EXPECT_TRUE(PmemFormat::validate_state(&st, &h, "/pm/x.heap", err, sizeof(err))) << err;
  st.objects_size = h.objects_size - PmemFormat::area_alignment;   // smaller than created
  st.objects_top = 0;
  EXPECT_FALSE(PmemFormat::validate_state(&st, &h, "/pm/x.heap", err, sizeof(err)));
  EXPECT_TRUE(strstr(err, "objects_size") != NULL) << err;
  st.objects_size = h.region_table_size * PmemFormat::region_granule;   // past the region table
  EXPECT_FALSE(PmemFormat::validate_state(&st, &h, "/pm/x.heap", err, sizeof(err)));
}
