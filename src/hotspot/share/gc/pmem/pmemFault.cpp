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
#include "gc/pmem/pmemOs.hpp"
#include "jvm_io.h"
#include "runtime/atomic.hpp"
#include "runtime/java.hpp"
#include "runtime/os.hpp"
#include "utilities/formatBuffer.hpp"


// Every fault point, in the order a run meets them.
static const char* const points[] = {
  "create-allocated",     // a new file: space allocated, header not written
  "create-written",       // a new file: header written and synced, not linked
  "refill",               // allocation buffer claimed, its top not persisted
  "chunk-zeroed",         // a reused free chunk zeroed and its rest tagged, its own tag not cleared
  "allocated",            // pnew/pmake: an object written back (or deferred), not yet returned
  "relocate-begun",       // a relocation step recorded, no reference rewritten yet
  "relocate-first-pass",  // two steps in one walk: a chunk's first pass durable, its second not begun
  "relocate-rewritten",   // a chunk's references rewritten and written back, the cursor not moved
  "relocate-chunk-done",  // a chunk of references rewritten and the cursor persisted
  "relocate-placed",      // every reference rewritten and the new placement recorded, step not closed
  "compact-begun",        // a compaction recorded, no reference rewritten yet
  "compact-rewritten",    // a chunk of references rewritten and written back, the cursor not moved
  "compact-forwarded",    // every reference rewritten to its new offset, nothing moved yet
  "compact-piece",        // a piece of a run of objects copied down, its progress not recorded
  "compact-slid",         // a run of objects moved and the gap above it tagged free
  "compact-slid-all",     // every object moved, references not yet back in this placement
  "convert-written",      // a file converted to the other reference width, synced, not yet renamed over the old one
  "convert-renamed",      // the converted file renamed over the old one, attach not yet finished
  "migrate-begun",        // a class migration recorded and room taken, no copy written
  "migrate-copied",       // the copies in the new layout written back, references not forwarded
  "migrate-forwarding",   // a chunk of references forwarded to the copies
  "migrate-forwarded",    // every reference forwarded, the old objects not yet freed
  "migrate-freed",        // the old objects freed, the type table not yet updated
  "swizzle-tagged",       // a chunk's headers tagged with their types
  "swizzle-rewritten",    // a chunk's klass words rewritten, tags still set
  "swizzle-chunk-done",   // a chunk finished and the cursor persisted
  "swizzle-finishing",    // all headers rewritten, type table not updated
  "recovery-restored",    // an unfinished txn's old values restored, log not retired
  "log-appended",         // an undo log entry durable, its store not yet done
  "log-fresh",            // a fresh range durable in the log, the objects it covers not yet made
  "log-linked",           // the log goes on in a new chunk: its continuation durable
  "txn-stored",           // a store inside a txn done (not yet written back)
  "deferred-written-back", // deferred objects up to one about to be linked written back, the mark not raised
  "commit-written-back",  // a txn's lines written back and fenced, log not retired
  "commit-retired",       // a txn's log retired (the txn is durable)
  "abort-restored",       // an aborted txn's old values restored, log not retired
  "enum-twins-written",   // an enum's persistent constants and new registry written back, not linked
  "enum-registered",      // the new enum registry linked, references not yet replaced
  "grow-extended",        // the file's new part allocated, its size not yet recorded
  "grow-recorded",        // the file's new size recorded
  "gc-marked",            // a collection of the persistent part marked, nothing swept
  "gc-swept",             // a sweep wrote one free chunk's tag
  NULL
};

static volatile uintx _hits = 0;

void PmemFault::check_flag() {
  if (PmemFaultPoint == NULL) {
    return;
  }
  char known[1024] = "";
  size_t len = 0;
  for (int i = 0; points[i] != NULL; i++) {
    if (strcmp(points[i], PmemFaultPoint) == 0) {
      return;
    }
    len += jio_snprintf(known + len, sizeof(known) - len, "%s%s", i == 0 ? "" : ", ", points[i]);
  }
  vm_exit_during_initialization(FormatBuffer<2048>("-XX:PmemFaultPoint=%s is not a fault point; they are: %s",
                                                  PmemFaultPoint, known));
}

void PmemFault::hit(const char* name) {
  if (strcmp(name, PmemFaultPoint) == 0 && Atomic::add(&_hits, (uintx)1) == PmemFaultCount) {
    crash(name, PmemFaultCount);
  }
}

void PmemFault::crash(const char* name, uintx count) {
  // stderr without buffering, then end at once: no exit hooks, no flushes.
  char msg[160];
  int n = jio_snprintf(msg, sizeof(msg), "pmem fault point %s reached (#" UINTX_FORMAT ", exit %d)\n",
                       name, count, exit_code);
  if (n > 0) {
    (void)os::write(2, msg, (size_t)n);
  }
  PmemOs::exit_now(exit_code);
}
