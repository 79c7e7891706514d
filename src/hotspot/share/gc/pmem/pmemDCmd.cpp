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
#include "gc/pmem/pmemAllocator.hpp"
#include "gc/pmem/pmemCollector.hpp"
#include "gc/pmem/pmemCompact.hpp"
#include "gc/pmem/pmemDCmd.hpp"
#include "gc/pmem/pmemFormat.hpp"
#include "gc/pmem/pmemHeap.hpp"
#include "gc/pmem/pmemHeapFile.hpp"
#include "gc/pmem/pmemRoots.hpp"
#include "gc/pmem/pmemTypeTable.hpp"
#include "gc/pmem/pmemVerify.hpp"
#include "gc/pmem/pmemWriteback.hpp"
#include "gc/shared/gc_globals.hpp"
#include "memory/resourceArea.hpp"
#include "runtime/globals.hpp"
#include "runtime/mutexLocker.hpp"
#include "runtime/vmOperations.hpp"
#include "runtime/vmThread.hpp"
#include "services/diagnosticCommand.hpp"
#include "services/diagnosticFramework.hpp"
#include "utilities/growableArray.hpp"
#include "utilities/ostream.hpp"

static JavaPermission monitor_permission() {
  JavaPermission p = { "java.lang.management.ManagementPermission", "monitor", NULL };
  return p;
}

static JavaPermission control_permission() {
  JavaPermission p = { "java.lang.management.ManagementPermission", "control", NULL };
  return p;
}

// False (with a line to out) if this JVM's persistent heap is not open to Java yet.
static bool attached(outputStream* out) {
  if (PmemHeap::file() == NULL || !PmemCollector::is_attached()) {
    out->print_cr("The persistent heap is not attached yet (its classes' loader attaches it on first use)");
    return false;
  }
  return true;
}

class PmemInfoDCmd : public DCmd {
public:
  PmemInfoDCmd(outputStream* output, bool heap) : DCmd(output, heap) {}
  static const char* name() { return "PmemHeap.info"; }
  static const char* description() {
    return "The persistent heap: file, capacity, use, free space, placement, types, names, collections.";
  }
  static const char* impact() { return "Low"; }
  static const JavaPermission permission() { return monitor_permission(); }
  virtual void execute(DCmdSource source, TRAPS) {
    outputStream* out = output();
    if (!attached(out)) {
      return;
    }
    MutexLocker hl(THREAD, Heap_lock);   // no collection meanwhile
    const PmemFileHeader& h = PmemHeap::file()->header();
    const PmemFileState* st = PmemHeap::state();
    ResourceMark rm(THREAD);
    GrowableArray<const char*> names;
    PmemRoots::names(&names);
    out->print_cr("File:          %s (format %u, " SIZE_FORMAT "K, %s)", PmemHeap::file()->path(), h.format_version,
                  PmemHeap::used_file_size() / K, h.compressed_oops ? "compressed references" : "wide references");
    out->print_cr("Objects area:  " SIZE_FORMAT "K at " PTR_FORMAT " (may grow to " SIZE_FORMAT "K)",
                  PmemHeap::size_in_bytes() / K, p2i(PmemHeap::bottom()), PmemHeap::max_size_in_bytes() / K);
    out->print_cr("In use:        " SIZE_FORMAT "K; top " SIZE_FORMAT "K", PmemAllocator::used_bytes() / K,
                  pointer_delta(PmemAllocator::top(), PmemHeap::bottom(), 1) / K);
    out->print_cr("Free:          " SIZE_FORMAT "K in " SIZE_FORMAT " chunks (largest " SIZE_FORMAT "K), "
                  SIZE_FORMAT "K never used", PmemAllocator::free_bytes() / K, PmemAllocator::free_chunks(),
                  PmemAllocator::largest_free_bytes() / K,
                  pointer_delta(PmemHeap::end(), PmemAllocator::top(), 1) / K);
    out->print_cr("Types:         " SIZE_FORMAT, PmemTypeTable::count());
    out->print_cr("Named objects: %d of " SIZE_FORMAT " (root %s)", names.length(), PmemRoots::capacity(),
                  st->root_offset != 0 ? "set" : "not set");
    out->print_cr("Runs:          " UINT64_FORMAT " attached so far", st->run_count);
    out->print_cr("Collections:   %u in this run (%u incremental), %u of them compacted",
                  PmemCollector::collections(), PmemCollector::incremental_collections(),
                  PmemCompact::compactions());
    out->print_cr("Durability:    %s: %s", PmemWriteback::domain(), PmemWriteback::description());
    out->print_cr("Write-back:    %s", PmemWriteback::method());
  }
};

// PmemVerify walks the heap: at a safepoint, with nothing allocating.
class VM_PmemVerify : public VM_Operation {
  char _err[1024];
  bool _ok;
public:
  VM_PmemVerify() : _ok(false) { _err[0] = '\0'; }
  VMOp_Type type() const { return VMOp_Cleanup; }   // no type of its own needed
  virtual void doit() {
    // Threads' buffers stay: their unused rest is zero, which the walk passes.
    _ok = PmemVerify::verify(_err, sizeof(_err), false /* at_attach */);
  }
  bool ok() const { return _ok; }
  const char* error() const { return _err; }
};

class PmemVerifyDCmd : public DCmd {
public:
  PmemVerifyDCmd(outputStream* output, bool heap) : DCmd(output, heap) {}
  static const char* name() { return "PmemHeap.verify"; }
  static const char* description() {
    return "Walks the persistent heap at a safepoint and checks every header, type and reachable reference.";
  }
  static const char* impact() { return "High: a safepoint as long as a walk of the persistent objects"; }
  static const JavaPermission permission() { return monitor_permission(); }
  virtual void execute(DCmdSource source, TRAPS) {
    if (!attached(output())) {
      return;
    }
    VM_PmemVerify op;
    VMThread::execute(&op);
    if (op.ok()) {
      output()->print_cr("Verified %s: no problem found", PmemHeap::file()->path());
    } else {
      output()->print_cr("%s", op.error());
    }
  }
};

class PmemCompactDCmd : public DCmd {
public:
  PmemCompactDCmd(outputStream* output, bool heap) : DCmd(output, heap) {}
  static const char* name() { return "PmemHeap.compact"; }
  static const char* description() {
    return "Collects the persistent heap and compacts it (as Pmem.compact()).";
  }
  static const char* impact() { return "High: a full GC whose pause covers the live persistent objects"; }
  static const JavaPermission permission() { return control_permission(); }
  virtual void execute(DCmdSource source, TRAPS) {
    if (!attached(output())) {
      return;
    }
    const bool done = PmemCollector::compact(THREAD);
    output()->print_cr(done ? "Compacted: free " SIZE_FORMAT "K in " SIZE_FORMAT " chunk(s), the largest " SIZE_FORMAT "K"
                            : "Not compacted (a transaction was open, or no free space lay between objects); free "
                              SIZE_FORMAT "K in " SIZE_FORMAT " chunk(s), the largest " SIZE_FORMAT "K",
                       PmemAllocator::free_bytes() / K, PmemAllocator::free_chunks(),
                       PmemAllocator::largest_free_bytes() / K);
  }
};

void PmemDCmds::register_dcmds() {
  if (!UsePersistentHeap) {
    return;
  }
  const uint32_t full_export = DCmd_Source_Internal | DCmd_Source_AttachAPI | DCmd_Source_MBean;
  DCmdFactory::register_DCmdFactory(new DCmdFactoryImpl<PmemInfoDCmd>(full_export, true, false));
  DCmdFactory::register_DCmdFactory(new DCmdFactoryImpl<PmemVerifyDCmd>(full_export, true, false));
  DCmdFactory::register_DCmdFactory(new DCmdFactoryImpl<PmemCompactDCmd>(full_export, true, false));
}
