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
  static const size_t size = 256 * K;
  static const size_t slot_at = 4 * K;
  static const size_t slot_size = 4 * K;
  static const size_t data_at = 16 * K;
  char* bytes;
  Image() { bytes = NEW_C_HEAP_ARRAY(char, size, mtTest); memset(bytes, 0, size); }
  ~Image() { FREE_C_HEAP_ARRAY(char, bytes); }
  char* slot() { return bytes + slot_at; }
  uint64_t* data() { return (uint64_t*)(bytes + data_at); }
  // Two 32K log chunks, where the heap would have long[]s.
  static const size_t chunk_size = 32 * K;
  char* chunk(int i) { return bytes + 64 * K + i * 64 * K; }
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

// Appends 8-byte entries for data()[from, to), storing i + 1000 after each;
// gives the log a chunk whenever it asks for one.
static void log_stores(OpenLog& img, int from, int to, int* chunks_used) {
  for (int i = from; i < to; i++) {
    if (!img.log.append(&img.data()[i], 8)) {
      ASSERT_LT(*chunks_used, 2) << "more chunks than the image has";
      char* c = img.chunk((*chunks_used)++);
      img.log.add_chunk((HeapWord*)c, c, Image::chunk_size);
      ASSERT_TRUE(img.log.append(&img.data()[i], 8));
    }
    img.data()[i] = (uint64_t)i + 1000;
  }
}

TEST(PmemLog, chunks_continue_the_log_and_recovery_follows_them) {
  OpenLog img;
  for (int i = 0; i < 2000; i++) img.data()[i] = (uint64_t)i;
  int used = 0;
  log_stores(img, 0, 2000, &used);   // a 4K slot, a 32K chunk and part of the next
  EXPECT_EQ(2, used);
  EXPECT_EQ((size_t)2000, img.log.entries());
  int n = 0;
  img.log.do_entries([&](char* target, size_t len) {
    EXPECT_EQ((char*)&img.data()[n], target);
    n++;
  });
  EXPECT_EQ(2000, n);
  // The process dies: recovery reads the chain from the file alone.
  EXPECT_EQ((size_t)2000, img.recover());
  for (int i = 0; i < 2000; i++) ASSERT_EQ((uint64_t)i, img.data()[i]) << "element " << i;
}

TEST(PmemLog, undo_across_chunks_and_log_again_into_a_cut_one) {
  OpenLog img;
  for (int i = 0; i < 2000; i++) img.data()[i] = (uint64_t)i;
  int used = 0;
  log_stores(img, 0, 100, &used);          // in the slot
  const size_t mark = img.log.mark();
  log_stores(img, 100, 1800, &used);       // into both chunks
  EXPECT_EQ(2, used);
  img.log.undo_to(mark);
  for (int i = 100; i < 1800; i++) ASSERT_EQ((uint64_t)i, img.data()[i]) << "undone " << i;
  EXPECT_EQ((uint64_t)1099, img.data()[99]);
  EXPECT_EQ((size_t)100, img.log.entries());
  // Logging again reuses the chunks the log holds.
  log_stores(img, 100, 2000, &used);
  EXPECT_EQ(2, used);
  EXPECT_EQ((size_t)2000, img.recover());
  for (int i = 0; i < 2000; i++) ASSERT_EQ((uint64_t)i, img.data()[i]) << "element " << i;
}

// 8-byte entries take 24 bytes, as a continuation does: in a slot of 64 +
// 168 * 24 bytes and chunks of 1024 * 24 the continuation ends its segment
// exactly. The word after a segment belongs to someone else (the next
// slot's state word, the object after a chunk) and must stay as it was.
TEST(PmemLog, a_continuation_that_fills_its_segment_writes_nothing_past_it) {
  OpenLog img;
  const uint64_t guard = 0x5a5a5a5a5a5a5af3;
  const size_t chunk_size = 1024 * 24;
  ASSERT_EQ((size_t)0, (Image::slot_size - PmemLog::header_size) % 24);
  uint64_t* after_slot = (uint64_t*)(img.slot() + Image::slot_size);
  *after_slot = guard;
  for (int c = 0; c < 2; c++) *(uint64_t*)(img.chunk(c) + chunk_size) = guard;
  const int n = 1300;   // the slot, all of chunk 0, part of chunk 1
  for (int i = 0; i < n; i++) img.data()[i] = (uint64_t)i;
  int used = 0;
  for (int i = 0; i < n; i++) {
    if (!img.log.append(&img.data()[i], 8)) {
      ASSERT_LT(used, 2);
      char* c = img.chunk(used++);
      img.log.add_chunk((HeapWord*)c, c, chunk_size);
      ASSERT_TRUE(img.log.append(&img.data()[i], 8));
    }
    img.data()[i] = (uint64_t)i + 1000;
  }
  EXPECT_EQ(2, used);
  EXPECT_EQ(guard, *after_slot) << "the slot's continuation wrote past the slot";
  EXPECT_EQ(guard, *(uint64_t*)(img.chunk(0) + chunk_size)) << "chunk 0's continuation wrote past it";
  EXPECT_EQ(guard, *(uint64_t*)(img.chunk(1) + chunk_size));
  EXPECT_EQ((size_t)n, img.recover());
  for (int i = 0; i < n; i++) ASSERT_EQ((uint64_t)i, img.data()[i]) << "element " << i;
  EXPECT_EQ(guard, *after_slot);
}

TEST(PmemLog, a_damaged_continuation_ends_the_scan) {
  OpenLog img;
  for (int i = 0; i < 400; i++) img.data()[i] = (uint64_t)i;
  int used = 0;
  log_stores(img, 0, 400, &used);
  ASSERT_EQ(1, used);
  // Find the slot's continuation (length 0) and make its chunk reach past
  // the file's end: its checksum no longer holds.
  uint64_t* e = NULL;
  for (size_t pos = PmemLog::header_size; pos + 24 <= Image::slot_size; pos += 24) {
    uint64_t* c = (uint64_t*)(img.slot() + pos);
    if ((c[0] & 0xffff) == 0 && c[0] != 0) { e = c; break; }
  }
  ASSERT_TRUE(e != NULL);
  const size_t in_slot = (size_t)((char*)e - img.slot() - PmemLog::header_size) / 24;
  e[2] = Image::size;
  // Only the slot's entries count: the chunk's stores never happened as far as recovery knows.
  bool chunk_seen = false;
  PmemLog::check_recorded(img.bytes, Image::size, img.slot(), Image::slot_size, [&](size_t, size_t len) {
    chunk_seen |= len == Image::chunk_size;
    return true;
  });
  EXPECT_FALSE(chunk_seen);
  EXPECT_EQ(in_slot, img.recover());
  EXPECT_EQ((uint64_t)0, img.data()[0]);
  EXPECT_EQ((uint64_t)399 + 1000, img.data()[399]);
}

TEST(PmemLog, check_recorded_names_chunks_and_trim_keeps_the_first) {
  OpenLog img;
  int used = 0;
  log_stores(img, 0, 2000, &used);
  int chunks = 0;
  PmemLog::check_recorded(img.bytes, Image::size, img.slot(), Image::slot_size, [&](size_t at, size_t len) {
    if (len == Image::chunk_size) {
      EXPECT_EQ((size_t)(img.chunk(chunks) - img.bytes), at);
      chunks++;
    }
    return true;
  });
  EXPECT_EQ(2, chunks);
  img.log.retire();
  int dropped = 0;
  img.log.trim_chunks(Image::chunk_size, [&](HeapWord* obj) {
    EXPECT_EQ((HeapWord*)img.chunk(1), obj);
    dropped++;
  });
  EXPECT_EQ(1, dropped);
  EXPECT_EQ(1, img.log.chunks());
}
