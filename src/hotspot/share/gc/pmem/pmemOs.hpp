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



#ifndef SHARE_GC_PMEM_PMEMOS_HPP
#define SHARE_GC_PMEM_PMEMOS_HPP

#include "memory/allStatic.hpp"
#include "utilities/globalDefinitions.hpp"

// The operating-system calls of the persistent heap outside the heap file's
// own (PmemHeapFile), in one file per OS (os/linux/gc/pmem/pmemOs_linux.cpp),
// as ZGC keeps its own in zSyscall_linux. Calls that fail return an errno
// value (0: done) unless said otherwise.
class PmemOs : AllStatic {
public:
  enum MapKind {
    map_dax,       // shared, page tables persistent (MAP_SYNC): DAX file systems only
    map_shared,    // shared
    map_private    // a private copy: the simulator's heap, a conversion's source
  };

  // Maps the first size bytes of fd at at (NULL: where the OS places it).
  // NULL on failure, with *err the errno value.
  static void* map(void* at, size_t size, int fd, MapKind kind, int* err);
  static void  unmap(void* addr, size_t size);
  // [addr, addr + len) of a shared mapping written to the file, synchronously.
  static int   sync_mapping(void* addr, size_t len);

  // [from, from + len) of fd allocated, zero, and the file's length durable.
  static int   extend(int fd, size_t from, size_t len);
  // fd is on a memory file system (tmpfs: gone at power loss).
  static bool  on_memory_fs(int fd);
  // The first len - 1 bytes of a small file (sysfs), NUL-terminated ("" if
  // it cannot be read).
  static void  read_small(const char* path, char* buf, size_t len);
  // f(name, arg) for every entry of dir whose name starts with prefix;
  // false if dir cannot be read.
  static bool  each_entry(const char* dir, const char* prefix, void (*f)(const char* name, void* arg), void* arg);
  // Removes path unless a process holds its lock (flock); true if removed.
  static bool  remove_unlocked(const char* path);
  static void  remove(const char* path);
  // fd's data and length durable.
  static int   sync_file(int fd);
  // Renames from to to, then makes dir's entries durable.
  static int   rename_durably(const char* from, const char* to, const char* dir);

  // Ends the process at once, as a crash would: no exit hooks, no flushes.
  static void  exit_now(int code);
};

#endif // SHARE_GC_PMEM_PMEMOS_HPP
