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
#include "jvm_io.h"
#include "compiler/compiler_globals.hpp"
#include "gc/shared/gc_globals.hpp"
#include "runtime/globals.hpp"
#include "runtime/globals_extension.hpp"
#include "runtime/java.hpp"
#include "runtime/os.hpp"
#include "utilities/debug.hpp"
#include "utilities/formatBuffer.hpp"

bool PmemArguments::expand_file_name(const char* pattern, int pid, char* buf, size_t buflen) {
  size_t out = 0;
  for (const char* p = pattern; *p != '\0'; p++) {
    char pid_text[16];
    const char* piece = pid_text;
    size_t len;
    if (p[0] == '%' && p[1] == 'p') {
      len = (size_t)jio_snprintf(pid_text, sizeof(pid_text), "%d", pid);
      p++;
    } else if (p[0] == '%' && p[1] == '%') {
      piece = "%";
      len = 1;
      p++;
    } else {
      piece = p;
      len = 1;
    }
    if (out + len >= buflen) {
      return false;
    }
    memcpy(buf + out, piece, len);
    out += len;
  }
  if (out >= buflen) {
    return false;
  }
  buf[out] = '\0';
  return true;
}

// The collector flags that -XX:+UsePersistentHeap cannot be combined with.
static const char* other_selected_gc() {
  if (UseG1GC)         return "-XX:+UseG1GC";
  if (UseParallelGC)   return "-XX:+UseParallelGC";
  if (UseEpsilonGC)    return "-XX:+UseEpsilonGC";
  if (UseZGC)          return "-XX:+UseZGC";
  if (UseShenandoahGC) return "-XX:+UseShenandoahGC";
  if (!UseSerialGC && !FLAG_IS_DEFAULT(UseSerialGC)) return "-XX:-UseSerialGC";
  return NULL;
}

void PmemArguments::select_gc() {
  if (!UsePersistentHeap) {
    if (PmemFile != NULL) {
      warning("-XX:PmemFile has no effect without -XX:+UsePersistentHeap");
    }
    return;
  }
  if (PmemFile == NULL || PmemFile[0] == '\0') {
    vm_exit_during_initialization("-XX:+UsePersistentHeap needs -XX:PmemFile=<path> "
                                  "(the persistent heap file, created if absent)");
  }
  const char* other = other_selected_gc();
  if (other != NULL) {
    vm_exit_during_initialization(err_msg("-XX:+UsePersistentHeap works only with the "
                                          "Serial collector; remove %s", other));
  }
  // HotSpot's heap on a file (NV-DIMM) and ours exclude each other: say so
  // rather than ignore it.
  if (AllocateHeapAt != NULL) {
    vm_exit_during_initialization(err_msg("-XX:AllocateHeapAt=%s cannot be combined with -XX:+UsePersistentHeap: "
                                          "the persistent part lives in -XX:PmemFile and the rest of the heap in "
                                          "memory; remove -XX:AllocateHeapAt", AllocateHeapAt));
  }
  FLAG_SET_ERGO(UseSerialGC, true);
  // A biased lock writes a thread pointer into a header with no runtime
  // call, where PmemLocking cannot see it.
  if (UseBiasedLocking) {
    if (!FLAG_IS_DEFAULT(UseBiasedLocking)) {
      warning("-XX:+UseBiasedLocking is ignored with -XX:+UsePersistentHeap");
    }
    FLAG_SET_ERGO(UseBiasedLocking, false);
  }
#ifdef COMPILER2
  // C2's fill intrinsic writes arrays with a stub that has no persistent-store barrier.
  if (OptimizeFill) {
    if (!FLAG_IS_DEFAULT(OptimizeFill)) {
      warning("-XX:+OptimizeFill is ignored with -XX:+UsePersistentHeap");
    }
    FLAG_SET_ERGO(OptimizeFill, false);
  }
#endif

  char expanded[JVM_MAXPATHLEN];
  if (strcmp(PmemPersistenceDomain, "auto") != 0 && strcmp(PmemPersistenceDomain, "cpu-cache") != 0 &&
      strcmp(PmemPersistenceDomain, "write-back") != 0 && strcmp(PmemPersistenceDomain, "msync") != 0) {
    vm_exit_during_initialization(err_msg("-XX:PmemPersistenceDomain=%s is not one of auto, cpu-cache, "
                                          "write-back, msync", PmemPersistenceDomain));
  }
  if (!expand_file_name(PmemFile, os::current_process_id(), expanded, sizeof(expanded))) {
    vm_exit_during_initialization(err_msg("-XX:PmemFile=%s: path too long", PmemFile));
  }
  if (strcmp(expanded, PmemFile) != 0) {
    FLAG_SET_ERGO(PmemFile, expanded);
  }
}
