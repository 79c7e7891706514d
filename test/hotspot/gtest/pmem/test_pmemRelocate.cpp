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
#include "gc/pmem/pmemRelocate.hpp"
#include "runtime/globals.hpp"
#include "unittest.hpp"

// The value arithmetic of relocation steps, in the gtest VM (compressed
// oops, as a default JVM has them; TEST_VM: flags are set by ergonomics).

namespace {

const PmemPlacement zero_based = { UCONST64(0x7c0c00000), 0, 3 };            // 31 GB, shift 3
const PmemPlacement heap_based = { UCONST64(0xff8a00000), UCONST64(0xe87200000), 3 };
const PmemPlacement unscaled   = { UCONST64(0x80000000), 0, 0 };             // 2 GB, shift 0

} // namespace

TEST_VM(PmemRelocate, values_and_offsets_round_trip) {
  ASSERT_TRUE(UseCompressedOops);
  for (const PmemPlacement& p : { zero_based, heap_based, unscaled }) {
    for (uint64_t off : { UCONST64(0), UCONST64(16), UCONST64(0x123458), UCONST64(1) << 29 }) {
      EXPECT_EQ(off, p.offset_in(p.value_of(off)));
      EXPECT_TRUE(p.holds(p.value_of(off), UCONST64(1) << 30));
    }
    EXPECT_FALSE(p.holds(p.value_of(UCONST64(1) << 30), UCONST64(1) << 30));   // one past the end
  }
  EXPECT_EQ(zero_based.value_of(8), (zero_based.address + 8) >> 3);
  EXPECT_EQ(heap_based.value_of(0), (heap_based.address - heap_based.base) >> 3);
}

TEST_VM(PmemRelocate, overlapping_ranges_go_through_a_disjoint_intermediate) {
  ASSERT_TRUE(UseCompressedOops);
  const uint64_t size = 1 * G;
  const PmemPlacement moved = { zero_based.address + 512 * M, 0, 3 };   // overlaps zero_based
  const PmemPlacement far = { zero_based.address - 2 * G, 0, 3 };         // does not
  EXPECT_FALSE(PmemRelocate::disjoint(zero_based, moved, size));
  EXPECT_TRUE(PmemRelocate::disjoint(zero_based, far, size));
  // Another encoding: heap-based values are small, zero-based ones near 2^32.
  EXPECT_TRUE(PmemRelocate::disjoint(zero_based, heap_based, size));

  PmemPlacement mid;
  ASSERT_TRUE(PmemRelocate::intermediate(zero_based, moved, size, &mid));
  EXPECT_TRUE(PmemRelocate::disjoint(mid, zero_based, size));
  EXPECT_TRUE(PmemRelocate::disjoint(mid, moved, size));
  EXPECT_EQ(0u, mid.address % G);
  EXPECT_NE(0u, mid.value_of(0));                               // never null
  EXPECT_LE(mid.value_of(size), UCONST64(1) << 32);             // 32-bit values
}

TEST_VM(PmemRelocate, no_intermediate_for_a_file_that_fills_the_value_space) {
  ASSERT_TRUE(UseCompressedOops);
  {
    // Less than half of that leaves room above.
    PmemPlacement mid;
    const PmemPlacement a = { 16 * G, 0, 3 }, b = { 17 * G, 0, 3 };
    ASSERT_TRUE(PmemRelocate::intermediate(a, b, 7 * G, &mid));
    EXPECT_TRUE(PmemRelocate::disjoint(mid, a, 7 * G) && PmemRelocate::disjoint(mid, b, 7 * G));
    EXPECT_EQ(24 * G, mid.address);   // above both, where there is room
  }
  // 15 GB at 16 GB and at 17 GB: together they cover 16-32 GB of the 32
  // GB that zero-based compressed values reach, and below 16 GB no 15 GB
  // range starts at a whole gigabyte above null.
  const uint64_t size = 15 * G;
  const PmemPlacement a = { 16 * G, 0, 3 };
  const PmemPlacement b = { 17 * G, 0, 3 };
  PmemPlacement mid;
  EXPECT_FALSE(PmemRelocate::disjoint(a, b, size));
  EXPECT_FALSE(PmemRelocate::intermediate(a, b, size, &mid));
}
