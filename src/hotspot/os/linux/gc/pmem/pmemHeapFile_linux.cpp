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
#include "gc/pmem/pmemFault.hpp"
#include "gc/pmem/pmemHeapFile.hpp"
#include "jvm_io.h"
#include "gc/shared/gc_globals.hpp"
#include "runtime/globals.hpp"
#include "runtime/os.hpp"
#include "utilities/align.hpp"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

PmemFormat::Geometry PmemHeapFile::geometry_from_flags() {
  PmemFormat::Geometry g;
  g.region_size = 1 * M;
  g.type_table_size = 1 * M;
  g.roots_size = 256 * K;
  g.log_slot_size = PmemLogSize;
  g.log_slots = (uint32_t)PmemLogSlots;
  g.max_file_size = PmemMaxSize;
  return g;
}

PmemHeapFile::PmemHeapFile(int fd, const char* path, size_t size, bool created) :
  _fd(fd), _path(os::strdup(path, mtGC)), _size(size), _created(created) {
  memset(&_header, 0, sizeof(_header));
  memset(&_state, 0, sizeof(_state));
}

PmemHeapFile::~PmemHeapFile() {
  if (_fd >= 0) {
    ::close(_fd);  // also drops the lock
  }
  os::free(_path);
}

static bool write_fully(int fd, const void* buf, size_t len, off_t offset) {
  const char* p = (const char*)buf;
  while (len > 0) {
    ssize_t n = ::pwrite(fd, p, len, offset);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    p += n; len -= (size_t)n; offset += n;
  }
  return true;
}

static void random_uuid(uint8_t uuid[16]) {
  int fd = ::open("/dev/urandom", O_RDONLY);
  ssize_t n = fd >= 0 ? ::read(fd, uuid, 16) : -1;
  if (fd >= 0) ::close(fd);
  if (n != 16) {
    for (int i = 0; i < 16; i++) {
      uuid[i] = (uint8_t)os::random();
    }
  }
}

// Writes a new file of size bytes at tmp (which must not exist): allocated,
// its header for g and uuid written, synced. Returns its descriptor, or -1
// with a message naming path (the file's final name) in err, tmp removed.
static int write_new_file(const char* path, const char* tmp, size_t size, const PmemFormat::Geometry& g,
                          const uint8_t uuid[16], char* err, size_t err_len) {
  PmemFileHeader header;
  if (!PmemFormat::init_header(&header, size, g, PmemLayoutFlags::current(), uuid, err, err_len)) {
    return -1;
  }
  int fd = ::open(tmp, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) {
    jio_snprintf(err, err_len, "cannot create %s: %s", path, os::strerror(errno));
    return -1;
  }
  const char* failed = NULL;
  int rc = posix_fallocate(fd, 0, (off_t)size);
  if (rc == EOPNOTSUPP || rc == EINVAL) {
    rc = ::ftruncate(fd, (off_t)size) == 0 ? 0 : errno;
  }
  if (rc != 0) {
    errno = rc;
    failed = "allocate";
  }
  if (failed == NULL) {
    PmemFault::reached("create-allocated");
    if (!write_fully(fd, &header, sizeof(header), 0)) failed = "write";
  }
  if (failed == NULL && ::fsync(fd) != 0) {
    failed = "sync";
  }
  if (failed != NULL) {
    int saved = errno;
    ::close(fd);
    ::unlink(tmp);
    if (saved == ENOSPC) {
      jio_snprintf(err, err_len, "cannot create %s: no space for " SIZE_FORMAT "M", path, size / M);
    } else {
      jio_snprintf(err, err_len, "cannot create %s (%s): %s", path, failed, os::strerror(saved));
    }
    return -1;
  }
  return fd;
}

// A new file appears under its name complete or not at all: it is built
// under a temporary name, synced, then linked to path (which fails if
// another JVM created path meanwhile).
int PmemHeapFile::create(const char* path, size_t size, const PmemFormat::Geometry& g,
                     char* err, size_t err_len) {
  uint8_t uuid[16];
  random_uuid(uuid);
  char tmp[JVM_MAXPATHLEN];
  if (jio_snprintf(tmp, sizeof(tmp), "%s.new-%d", path, os::current_process_id()) < 0) {
    jio_snprintf(err, err_len, "%s: path too long", path);
    return -1;
  }
  int fd = write_new_file(path, tmp, size, g, uuid, err, err_len);
  if (fd < 0) {
    return -1;
  }
  PmemFault::reached("create-written");
  if (::link(tmp, path) != 0) {
    int saved = errno;
    ::unlink(tmp);
    ::close(fd);
    jio_snprintf(err, err_len, "cannot create %s (link): %s", path, os::strerror(saved));
    return -1;
  }
  ::unlink(tmp);
  return fd;
}

PmemHeapFile* PmemHeapFile::create_unlinked(const char* path, const char* tmp, size_t size,
                                            const PmemFormat::Geometry& g, const uint8_t uuid[16],
                                            char* err, size_t err_len) {
  int fd = write_new_file(path, tmp, size, g, uuid, err, err_len);
  if (fd < 0) {
    return NULL;
  }
  PmemHeapFile* file = new PmemHeapFile(fd, path, size, false);
  if (!file->lock(err, err_len) || !file->read_header(err, err_len, false)) {
    delete file;
    ::unlink(tmp);
    return NULL;
  }
  return file;
}

bool PmemHeapFile::lock(char* err, size_t err_len) {
  if (::flock(_fd, LOCK_EX | LOCK_NB) != 0) {
    if (errno == EWOULDBLOCK) {
      jio_snprintf(err, err_len, "%s is in use by another JVM", _path);
    } else {
      jio_snprintf(err, err_len, "cannot lock %s: %s", _path, os::strerror(errno));
    }
    return false;
  }
  return true;
}

bool PmemHeapFile::read_header(char* err, size_t err_len, bool any_width) {
  char page[PmemFormat::header_area_size];
  memset(page, 0, sizeof(page));
  ssize_t n = ::pread(_fd, page, sizeof(page), 0);
  if (n < 0) {
    jio_snprintf(err, err_len, "cannot read %s: %s", _path, os::strerror(errno));
    return false;
  }
  PmemLayoutFlags flags = PmemLayoutFlags::current();
  if (any_width && (size_t)n >= sizeof(PmemFileHeader)) {
    // Checked as if made with this width; the caller converts it.
    flags.compressed_oops = ((const PmemFileHeader*)page)->compressed_oops != 0;
  }
  if (PmemFormat::validate(page, (size_t)n, _size, flags, _path, err, err_len) != PmemFormat::ok) {
    return false;
  }
  memcpy(&_header, page, sizeof(_header));
  memcpy(&_state, page + PmemFormat::state_offset, sizeof(_state));
  if (!PmemFormat::validate_state(&_state, &_header, _path, err, err_len)) {
    return false;
  }
  if (_size < used_file_size()) {
    jio_snprintf(err, err_len, "%s is truncated: it is " SIZE_FORMAT " bytes long, but its objects area grew "
                 "to end at " SIZE_FORMAT, _path, _size, used_file_size());
    return false;
  }
  return true;
}

PmemHeapFile* PmemHeapFile::open(const char* path, size_t new_size, const PmemFormat::Geometry& g,
                         char* err, size_t err_len, bool any_width) {
  // Name the missing directory rather than failing on the file.
  char dir[JVM_MAXPATHLEN];
  jio_snprintf(dir, sizeof(dir), "%s", path);
  char* slash = strrchr(dir, '/');
  if (slash != NULL) {
    if (slash == dir) slash[1] = '\0'; else *slash = '\0';
    struct stat st;
    if (::stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
      jio_snprintf(err, err_len, "-XX:PmemFile=%s: directory %s does not exist", path, dir);
      return NULL;
    }
  }

  bool created = false;
  int fd = ::open(path, O_RDWR | O_CLOEXEC);
  if (fd < 0 && errno == ENOENT) {
    fd = create(path, align_up(new_size, g.region_size), g, err, err_len);
    if (fd < 0) {
      return NULL;
    }
    created = true;
    // The new name must be durable too, not only the file's contents.
    int dfd = ::open(slash != NULL ? dir : ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd >= 0) {
      (void)::fsync(dfd);
      ::close(dfd);
    }
  } else if (fd < 0) {
    jio_snprintf(err, err_len, "cannot open %s: %s", path, os::strerror(errno));
    return NULL;
  }

  struct stat st;
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    jio_snprintf(err, err_len, "%s is not a regular file", path);
    ::close(fd);
    return NULL;
  }
  PmemHeapFile* file = new PmemHeapFile(fd, path, (size_t)st.st_size, created);
  if (!file->lock(err, err_len) || !file->read_header(err, err_len, any_width)) {
    delete file;
    return NULL;
  }
  return file;
}

bool PmemHeapFile::width_differs() const {
  return (_header.compressed_oops != 0) != PmemLayoutFlags::current().compressed_oops;
}
