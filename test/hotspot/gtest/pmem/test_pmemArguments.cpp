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
#include "gc/pmem/pmemArguments.hpp"
#include "gc/shared/gc_globals.hpp"
#include "runtime/globals.hpp"
#include "unittest.hpp"

static void check_expand(const char* pattern, int pid, const char* expected) {
  char buf[256];
  ASSERT_TRUE(PmemArguments::expand_file_name(pattern, pid, buf, sizeof(buf))) << pattern;
  EXPECT_STREQ(expected, buf) << pattern;
}

TEST(PmemArguments, expand_plain_path_unchanged) {
  check_expand("/mnt/pmem/app.heap", 42, "/mnt/pmem/app.heap");
  check_expand("", 42, "");
}

TEST(PmemArguments, expand_pid) {
  check_expand("/dev/shm/jt-%p.heap", 4711, "/dev/shm/jt-4711.heap");
  check_expand("%p", 7, "7");
  check_expand("%p-%p", 12, "12-12");
}

TEST(PmemArguments, expand_percent_escapes) {
  check_expand("100%%.heap", 1, "100%.heap");
  check_expand("a%%p", 99, "a%p");     // %% binds first: no pid here
  check_expand("odd%q%", 3, "odd%q%");  // unknown sequences stay as they are
}

TEST(PmemArguments, expand_refuses_overflow) {
  char buf[8];
  EXPECT_TRUE(PmemArguments::expand_file_name("1234567", 1, buf, sizeof(buf)));
  EXPECT_STREQ("1234567", buf);
  EXPECT_FALSE(PmemArguments::expand_file_name("12345678", 1, buf, sizeof(buf)));
  EXPECT_FALSE(PmemArguments::expand_file_name("abc-%p", 123456, buf, sizeof(buf)));
}

TEST_VM(PmemFlags, defaults_when_off) {
  // The gtest VM runs without -XX:+UsePersistentHeap: the flag must be off
  // and must not have changed the collector choice.
  EXPECT_FALSE(UsePersistentHeap);
  EXPECT_EQ((size_t)1 * G, PmemSize);
  EXPECT_GE(PmemAllocationBufferSize, (size_t)4 * K);
  EXPECT_GE(PmemLogSlots, (uintx)1);
}
