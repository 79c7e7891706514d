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
#include "gc/pmem/pmemHeapFile.hpp"
#include "runtime/os.hpp"
#include "unittest.hpp"

#include <stdio.h>
#include <unistd.h>

namespace {

const PmemFormat::Geometry geometry = { 1 * M, 256 * K, 64 * K, 64 * K, 2 };

struct TempPath {
  char path[256];
  TempPath(const char* name) {
    jio_snprintf(path, sizeof(path), "/tmp/pmem-gtest-%d-%s.heap", os::current_process_id(), name);
    ::unlink(path);
  }
  ~TempPath() { ::unlink(path); }
};

} // namespace

TEST_VM(PmemHeapFile, create_then_reopen) {
  TempPath t("reopen");
  char err[512] = "";
  PmemHeapFile* f = PmemHeapFile::open(t.path, 8 * M, geometry, err, sizeof(err));
  ASSERT_NE(nullptr, f) << err;
  EXPECT_TRUE(f->created());
  EXPECT_EQ((size_t)8 * M, f->size());
  EXPECT_EQ((uint64_t)8 * M, f->header().file_size);
  EXPECT_EQ(0u, f->state().heap_address);
  uint8_t uuid[16];
  memcpy(uuid, f->header().uuid, sizeof(uuid));
  delete f;

  // Reopening keeps the file, its size and its identity; a new size is ignored.
  f = PmemHeapFile::open(t.path, 64 * M, geometry, err, sizeof(err));
  ASSERT_NE(nullptr, f) << err;
  EXPECT_FALSE(f->created());
  EXPECT_EQ((size_t)8 * M, f->size());
  EXPECT_EQ(0, memcmp(uuid, f->header().uuid, sizeof(uuid)));
  delete f;
}

TEST_VM(PmemHeapFile, second_opener_is_refused_while_locked) {
  TempPath t("locked");
  char err[512] = "";
  PmemHeapFile* first = PmemHeapFile::open(t.path, 8 * M, geometry, err, sizeof(err));
  ASSERT_NE(nullptr, first) << err;
  // flock locks belong to the open file description, so a second open in
  // the same process conflicts just as another JVM would.
  PmemHeapFile* second = PmemHeapFile::open(t.path, 8 * M, geometry, err, sizeof(err));
  EXPECT_EQ(nullptr, second);
  EXPECT_NE(nullptr, strstr(err, "is in use by another JVM")) << err;
  delete first;
  second = PmemHeapFile::open(t.path, 8 * M, geometry, err, sizeof(err));
  EXPECT_NE(nullptr, second) << err;
  delete second;
}

TEST_VM(PmemHeapFile, missing_directory_and_too_small) {
  char err[512] = "";
  EXPECT_EQ(nullptr, PmemHeapFile::open("/nonexistent-pmem-gtest/x.heap", 8 * M, geometry, err, sizeof(err)));
  EXPECT_STREQ("-XX:PmemFile=/nonexistent-pmem-gtest/x.heap: directory /nonexistent-pmem-gtest does not exist", err);

  TempPath t("small");
  EXPECT_EQ(nullptr, PmemHeapFile::open(t.path, 1 * M, geometry, err, sizeof(err)));
  EXPECT_NE(nullptr, strstr(err, "is too small; at least")) << err;
  EXPECT_NE(0, ::access(t.path, F_OK)) << "a refused file must not be created";
}

TEST_VM(PmemHeapFile, no_temporary_left_behind) {
  TempPath t("tmp");
  char err[512] = "";
  PmemHeapFile* f = PmemHeapFile::open(t.path, 8 * M, geometry, err, sizeof(err));
  ASSERT_NE(nullptr, f) << err;
  char tmp[300];
  jio_snprintf(tmp, sizeof(tmp), "%s.new-%d", t.path, os::current_process_id());
  EXPECT_NE(0, ::access(tmp, F_OK));
  delete f;
}
