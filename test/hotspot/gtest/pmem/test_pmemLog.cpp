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
#include "gc/pmem/pmemLog.hpp"
#include "unittest.hpp"

// The undo log on a plain buffer (write-back does nothing before the heap
// is mapped): what counts as an entry, and what recovery restores.
namespace {

struct Image {
  static const size_t size = 64 * K;
  static const size_t slot_at = 4 * K;
  static const size_t slot_size = 4 * K;
  static const size_t data_at = 16 * K;
  char* bytes;
  Image() { bytes = NEW_C_HEAP_ARRAY(char, size, mtTest); memset(bytes, 0, size); }
  ~Image() { FREE_C_HEAP_ARRAY(char, bytes); }
  char* slot() { return bytes + slot_at; }
  uint64_t* data() { return (uint64_t*)(bytes + data_at); }
  size_t recover() { return PmemLog::recover(bytes, size, slot(), slot_size); }
};

// An image with a transaction open in its slot.
struct OpenLog : public Image {
  PmemLog log;
  OpenLog() {
    log.init(bytes, size, slot(), slot_size);
    log.begin();
  }
};

} // namespace

TEST(PmemLog, recovery_restores_newest_first) {
  OpenLog img;
  PmemLog& log = img.log;
  img.data()[0] = 1;
  ASSERT_TRUE(log.append(&img.data()[0], 8));
  img.data()[0] = 2;
  ASSERT_TRUE(log.append(&img.data()[0], 8));   // a nested level logs again
  img.data()[0] = 3;
  ASSERT_TRUE(log.is_active());
  // The process dies here: recovery restores the oldest value.
  EXPECT_EQ((size_t)2, img.recover());
  EXPECT_EQ((uint64_t)1, img.data()[0]);
  // Idempotent: the log is retired, a second recovery does nothing.
  EXPECT_EQ((size_t)0, img.recover());
  EXPECT_EQ((uint64_t)1, img.data()[0]);
}

TEST(PmemLog, torn_entry_ends_the_scan) {
  OpenLog img;
  PmemLog& log = img.log;
  img.data()[0] = 10;
  img.data()[1] = 20;
  ASSERT_TRUE(log.append(&img.data()[0], 8));
  ASSERT_TRUE(log.append(&img.data()[1], 8));
  img.data()[0] = 11;
  img.data()[1] = 21;
  // Tear the second entry's old bytes: its checksum no longer holds, so its
  // store never happened as far as recovery knows, and it is skipped.
  uint64_t* second = (uint64_t*)(img.slot() + PmemLog::header_size + 24);
  second[2] ^= 0xff;
  EXPECT_EQ((size_t)1, img.recover());
  EXPECT_EQ((uint64_t)10, img.data()[0]);
  EXPECT_EQ((uint64_t)21, img.data()[1]);
}

TEST(PmemLog, commit_retires_and_old_entries_never_count) {
  OpenLog img;
  PmemLog& log = img.log;
  img.data()[0] = 5;
  ASSERT_TRUE(log.append(&img.data()[0], 8));
  img.data()[0] = 6;
  log.retire();                                 // committed
  EXPECT_FALSE(log.is_active());
  EXPECT_EQ((size_t)0, img.recover());
  EXPECT_EQ((uint64_t)6, img.data()[0]);
  // The next transaction's generation differs: the old entry is not its own.
  log.begin();
  int n = 0;
  log.do_entries([&](char*, size_t) { n++; });
  EXPECT_EQ(0, n);
}

TEST(PmemLog, undo_to_savepoint_and_full_slot) {
  OpenLog img;
  PmemLog& log = img.log;
  img.data()[0] = 1;
  ASSERT_TRUE(log.append(&img.data()[0], 8));
  img.data()[0] = 2;
  size_t mark = log.mark();
  img.data()[1] = 7;
  ASSERT_TRUE(log.append(&img.data()[1], 8));
  img.data()[1] = 8;
  log.undo_to(mark);
  EXPECT_EQ((uint64_t)7, img.data()[1]);
  EXPECT_EQ((uint64_t)2, img.data()[0]);
  EXPECT_EQ((size_t)1, log.entries());
  // Entries of up to 4096 bytes until the slot is full.
  int appended = 0;
  while (log.append(img.bytes + Image::data_at, PmemLog::max_entry_data)) appended++;
  EXPECT_EQ(0, appended);   // a 4K slot holds no 4K entry besides its header
  EXPECT_TRUE(log.append(&img.data()[2], 8));
  log.retire();
}
