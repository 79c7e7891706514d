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
#include "gc/pmem/pmemOs.hpp"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/vfs.h>
#include <unistd.h>
#include <linux/magic.h>

#ifndef MAP_SHARED_VALIDATE
#define MAP_SHARED_VALIDATE 0x03
#endif
#ifndef MAP_SYNC
#define MAP_SYNC 0x80000
#endif

void* PmemOs::map(void* at, size_t size, int fd, MapKind kind, int* err) {
  int flags = kind == map_private ? MAP_PRIVATE
            : kind == map_dax ? MAP_SHARED_VALIDATE | MAP_SYNC
            : MAP_SHARED;
  if (at != NULL) {
    flags |= MAP_FIXED;
  }
  void* p = ::mmap(at, size, PROT_READ | PROT_WRITE, flags, fd, 0);
  if (p == MAP_FAILED) {
    *err = errno;
    return NULL;
  }
  return p;
}

void PmemOs::unmap(void* addr, size_t size) {
  ::munmap(addr, size);
}

int PmemOs::sync_mapping(void* addr, size_t len) {
  return ::msync(addr, len, MS_SYNC) == 0 ? 0 : errno;
}

int PmemOs::extend(int fd, size_t from, size_t len) {
  int rc = ::posix_fallocate(fd, (off_t)from, (off_t)len);
  if (rc == 0 && ::fdatasync(fd) != 0) {
    rc = errno;
  }
  return rc;
}

bool PmemOs::on_memory_fs(int fd) {
  struct statfs fs;
  return ::fstatfs(fd, &fs) == 0 && fs.f_type == TMPFS_MAGIC;
}

void PmemOs::read_small(const char* path, char* buf, size_t len) {
  buf[0] = '\0';
  int fd = ::open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    return;
  }
  ssize_t n = ::read(fd, buf, len - 1);
  buf[n > 0 ? n : 0] = '\0';
  ::close(fd);
}

bool PmemOs::each_entry(const char* dir, const char* prefix, void (*f)(const char* name, void* arg), void* arg) {
  DIR* d = ::opendir(dir);
  if (d == NULL) {
    return false;
  }
  const size_t n = strlen(prefix);
  for (struct dirent* e = ::readdir(d); e != NULL; e = ::readdir(d)) {
    if (strncmp(e->d_name, prefix, n) == 0) {
      f(e->d_name, arg);
    }
  }
  ::closedir(d);
  return true;
}

bool PmemOs::remove_unlocked(const char* path) {
  int fd = ::open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    return false;
  }
  const bool unlocked = ::flock(fd, LOCK_EX | LOCK_NB) == 0;
  if (unlocked) {
    ::unlink(path);
  }
  ::close(fd);
  return unlocked;
}

void PmemOs::remove(const char* path) {
  ::unlink(path);
}

int PmemOs::sync_file(int fd) {
  return ::fsync(fd) == 0 ? 0 : errno;
}

void PmemOs::exit_now(int code) {
  ::_exit(code);
}

int PmemOs::rename_durably(const char* from, const char* to, const char* dir) {
  if (::rename(from, to) != 0) {
    return errno;
  }
  int dfd = ::open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd >= 0) {
    (void)::fsync(dfd);
    ::close(dfd);
  }
  return 0;
}
