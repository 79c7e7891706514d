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

#ifndef SHARE_GC_PMEM_PMEMHEAPFILE_HPP
#define SHARE_GC_PMEM_PMEMHEAPFILE_HPP

#include "gc/pmem/pmemFormat.hpp"
#include "memory/allocation.hpp"

// The persistent heap file: created (crash-safely) when absent, locked
// against other JVMs, its header checked before anything is written to it.
// Its code is the file system's calls through and through, so it lives
// with the OS: os/linux/gc/pmem/pmemHeapFile_linux.cpp (the other calls of
// the persistent heap go through PmemOs).
class PmemHeapFile : public CHeapObj<mtGC> {
  int            _fd;
  char*          _path;
  size_t         _size;
  bool           _created;
  PmemFileHeader _header;     // a checked copy of the file's header
  PmemFileState  _state;      // and of its state when opened

  PmemHeapFile(int fd, const char* path, size_t size, bool created);

  static int  create(const char* path, size_t size, const PmemFormat::Geometry& g,
                     char* err, size_t err_len);
  bool        lock(char* err, size_t err_len);
  bool        read_header(char* err, size_t err_len, bool any_width);

public:
  ~PmemHeapFile();

  // Opens path, creating a file of new_size bytes laid out by g when it does
  // not exist, locks it and checks its header against this JVM's flags.
  // Returns NULL with a one-line message in err; the file is then unchanged.
  // With any_width, a file made with the other reference width
  // (-XX:-UseCompressedOops or +) is opened too: width_differs() tells.
  static PmemHeapFile* open(const char* path, size_t new_size, const PmemFormat::Geometry& g,
                        char* err, size_t err_len, bool any_width = false);
  // A new file for path written under the name tmp, with uuid, not linked
  // to path (PmemConvert renames it over path when it is complete); locked.
  static PmemHeapFile* create_unlinked(const char* path, const char* tmp, size_t size,
                                       const PmemFormat::Geometry& g, const uint8_t uuid[16],
                                       char* err, size_t err_len);
  // Whether its references have the other width than this JVM's.
  bool width_differs() const;

  // The geometry of a new file from the command-line flags.
  static PmemFormat::Geometry geometry_from_flags();

  const char*           path() const    { return _path; }
  int                   fd() const      { return _fd; }
  size_t                size() const    { return _size; }
  // The objects area's size and the bytes of the file in use, as opened
  // (PmemHeap follows growth).
  size_t objects_size() const   { return (size_t)PmemFormat::objects_size(&_header, &_state); }
  size_t used_file_size() const { return (size_t)_header.objects_offset + objects_size(); }
  bool                  created() const { return _created; }
  const PmemFileHeader& header() const  { return _header; }
  const PmemFileState&  state() const   { return _state; }
};

#endif // SHARE_GC_PMEM_PMEMHEAPFILE_HPP
