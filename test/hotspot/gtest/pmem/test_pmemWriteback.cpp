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
#include "gc/pmem/pmemWriteback.hpp"
#include "jvm_io.h"
#include "unittest.hpp"

#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

// Detection of the CPU caches in the power-fail domain (eADR), from a fake
// sysfs tree: bus/nd/devices/region*/persistence_domain, as Linux has it.

static void write_file(const char* path, const char* text) {
  FILE* f = fopen(path, "w");
  ASSERT_TRUE(f != NULL);
  fputs(text, f);
  fclose(f);
}

// A sysfs root with one region per domain given (NULL: a region without
// the file, as kernels before 4.17 have).
static void make_root(char* root, size_t len, const char* const* domains, int n) {
  jio_snprintf(root, len, "/tmp/pmem-gtest-sysfs-XXXXXX");
  ASSERT_TRUE(mkdtemp(root) != NULL);
  char path[512];
  jio_snprintf(path, sizeof(path), "%s/bus", root);
  mkdir(path, 0700);
  jio_snprintf(path, sizeof(path), "%s/bus/nd", root);
  mkdir(path, 0700);
  jio_snprintf(path, sizeof(path), "%s/bus/nd/devices", root);
  mkdir(path, 0700);
  jio_snprintf(path, sizeof(path), "%s/bus/nd/devices/ndbus0", root);   // not a region
  mkdir(path, 0700);
  for (int i = 0; i < n; i++) {
    jio_snprintf(path, sizeof(path), "%s/bus/nd/devices/region%d", root, i);
    mkdir(path, 0700);
    if (domains[i] != NULL) {
      jio_snprintf(path, sizeof(path), "%s/bus/nd/devices/region%d/persistence_domain", root, i);
      write_file(path, domains[i]);
    }
  }
}

static void remove_root(const char* root) {
  char cmd[600];
  jio_snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
  ASSERT_EQ(0, system(cmd));
}

static bool eadr(const char* const* domains, int n) {
  char root[256];
  make_root(root, sizeof(root), domains, n);
  const bool result = PmemWriteback::caches_in_power_fail_domain(root);
  remove_root(root);
  return result;
}

TEST(PmemWriteback, caches_in_power_fail_domain_when_every_region_says_so) {
  const char* all[] = {"cpu_cache\n", "cpu_cache\n"};
  EXPECT_TRUE(eadr(all, 2));
}

TEST(PmemWriteback, not_when_one_region_has_only_the_memory_controller) {
  const char* mixed[] = {"cpu_cache\n", "memory_controller\n"};
  EXPECT_FALSE(eadr(mixed, 2));
  const char* adr[] = {"memory_controller\n"};
  EXPECT_FALSE(eadr(adr, 1));
}

TEST(PmemWriteback, not_without_regions_or_without_the_file) {
  EXPECT_FALSE(eadr(NULL, 0));
  const char* unknown[] = {NULL};
  EXPECT_FALSE(eadr(unknown, 1));
  EXPECT_FALSE(PmemWriteback::caches_in_power_fail_domain("/nonexistent-sysfs-root"));
}
