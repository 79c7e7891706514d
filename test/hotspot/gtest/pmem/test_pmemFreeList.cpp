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
#include "gc/pmem/pmemFreeList.hpp"
#include "gc/pmem/pmemWalk.hpp"
#include "unittest.hpp"

// The volatile free list, and how the walker passes free chunks, on plain
// memory.

static HeapWord* at(size_t word) {
  return (HeapWord*)(uintptr_t)(0x100000 + word * HeapWordSize);   // never dereferenced
}

TEST(PmemFreeList, prefers_the_smallest_chunk_that_holds_a_buffer) {
  PmemFreeList fl;
  fl.add(at(0), 3);
  fl.add(at(100), 5000);
  fl.add(at(10000), 600);
  fl.add(at(20000), 40);
  EXPECT_EQ((size_t)5643, fl.free_words());
  EXPECT_EQ((size_t)4, fl.chunks());
  EXPECT_EQ((size_t)5000, fl.largest());

  PmemFreeList::Chunk c;
  ASSERT_TRUE(fl.take(10, 512, &c));        // a buffer: 600 fits, 5000 stays whole
  EXPECT_EQ(at(10000), c.start);
  EXPECT_EQ((size_t)600, c.words);
  ASSERT_TRUE(fl.take(10, 512, &c));        // then the big one
  EXPECT_EQ(at(100), c.start);
  ASSERT_TRUE(fl.take(10, 512, &c));        // then the largest below the buffer size
  EXPECT_EQ((size_t)40, c.words);
  EXPECT_FALSE(fl.take(10, 512, &c));       // 3 words hold no 10-word object
  ASSERT_TRUE(fl.take(3, 3, &c));
  EXPECT_EQ(at(0), c.start);
  EXPECT_EQ((size_t)0, fl.free_words());
  EXPECT_EQ((size_t)0, fl.chunks());
  EXPECT_EQ((size_t)0, fl.largest());
}

TEST(PmemFreeList, a_bin_holds_shorter_chunks_than_its_request) {
  PmemFreeList fl;
  fl.add(at(0), 70);        // both in the 64..127 bin
  fl.add(at(1000), 100);
  PmemFreeList::Chunk c;
  ASSERT_TRUE(fl.take(90, 90, &c));
  EXPECT_EQ((size_t)100, c.words);
  EXPECT_FALSE(fl.take(90, 90, &c));
  fl.clear();
  EXPECT_EQ((size_t)0, fl.chunks());
  EXPECT_FALSE(fl.take(2, 2, &c));
}

TEST(PmemWalk, free_tags_are_neither_marks_nor_zero) {
  for (size_t words = 1; words < ((size_t)1 << 40); words = words * 3 + 1) {
    uint64_t tag = PmemWalk::free_tag(words);
    EXPECT_TRUE(PmemWalk::is_free_tag(tag));
    EXPECT_EQ(words, PmemWalk::free_words(tag));
    EXPECT_NE((uint64_t)0, tag);
    EXPECT_EQ(markWord::marked_value, (int)(tag & markWord::lock_mask_in_place));
  }
  EXPECT_FALSE(PmemWalk::is_free_tag(markWord::prototype().value()));
  EXPECT_FALSE(PmemWalk::is_free_tag(0));
}

TEST(PmemWalk, passes_free_chunks_and_zeros) {
  // [0] zero, [1..4] a free chunk of 4 words whose body holds junk,
  // [5..6] a mark word alone (a torn allocation) then zero, [7] an object.
  uint64_t words[16];
  memset(words, 0, sizeof(words));
  words[1] = PmemWalk::free_tag(4);
  words[2] = 0x1234;   // dead data under the tag
  words[3] = 0x1;
  words[5] = markWord::prototype().value();
  words[7] = markWord::prototype().value();
  PmemWalk::set_raw_klass((HeapWord*)&words[7], 0x42);
  HeapWord* base = (HeapWord*)words;
  size_t freed = 0;
  HeapWord* chunk = NULL;
  HeapWord* p = PmemWalk::next_object(base, base + 16, [&](HeapWord* s, size_t n) { chunk = s; freed += n; });
  EXPECT_EQ(base + 7, p);
  EXPECT_EQ(base + 1, chunk);
  EXPECT_EQ((size_t)4, freed);
  EXPECT_EQ(base + 16, PmemWalk::next_object(base + 8, base + 16));
}
