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
#include "classfile/classLoaderData.hpp"
#include "classfile/javaClasses.hpp"
#include "classfile/symbolTable.hpp"
#include "classfile/systemDictionary.hpp"
#include "classfile/vmClasses.hpp"
#include "gc/pmem/pmemHeap.hpp"
#include "gc/pmem/pmemMigrate.hpp"
#include "gc/pmem/pmemHeapFile.hpp"
#include "gc/pmem/pmemTypeTable.hpp"
#include "gc/pmem/pmemWriteback.hpp"
#include "jvm_io.h"
#include "logging/log.hpp"
#include "oops/compressedOops.inline.hpp"
#include "oops/fieldStreams.inline.hpp"
#include "oops/instanceKlass.hpp"
#include "oops/klass.inline.hpp"
#include "oops/objArrayKlass.hpp"
#include "runtime/atomic.hpp"
#include "runtime/handles.inline.hpp"
#include "runtime/jniHandles.hpp"
#include "runtime/mutex.hpp"
#include "runtime/mutexLocker.hpp"

STATIC_ASSERT(sizeof(PmemTypeEntry) == 1024);

struct PmemTypeArea {
  uint64_t      count;
  uint64_t      reserved[7];
  PmemTypeEntry entries[1];
};

static Mutex* _lock = NULL;
static Klass** _resolved = NULL;   // this run's class of each entry, after resolve_all

// Klasses known to have an entry, so record() is a lookup after the first
// time. Open addressing, insert-only; lock-free reads.
static const size_t known_size = 8192;   // > the most entries a file holds
static Klass* volatile _known[known_size];

static PmemTypeArea* area() {
  return (PmemTypeArea*)(PmemHeap::file_base() + PmemHeap::file()->header().type_table_offset);
}

static size_t capacity() {
  return PmemTypeTable::capacity_of(PmemHeap::file()->header().type_table_size);
}

static size_t slot(Klass* k) {
  return ((uintptr_t)k >> 3) * 0x9E3779B97F4A7C15ULL >> 51;  // 13 bits
}

static bool is_known(Klass* k) {
  for (size_t i = slot(k), n = 0; n < known_size; i = (i + 1) % known_size, n++) {
    Klass* e = Atomic::load_acquire(&_known[i]);
    if (e == k) return true;
    if (e == NULL) return false;
  }
  return false;
}

static void add_known(Klass* k) {
  for (size_t i = slot(k), n = 0; n < known_size; i = (i + 1) % known_size, n++) {
    if (_known[i] == NULL) {
      Atomic::release_store(&_known[i], k);
      return;
    }
  }
}

// Klasses that new, inside a transaction, keeps volatile (may_redirect).
// Insert-only like _known; a full table only means refusal() runs again.
static const size_t refused_size = 4096;
static Klass* volatile _refused[refused_size];

static bool is_refused(Klass* k) {
  for (size_t i = slot(k) % refused_size, n = 0; n < refused_size; i = (i + 1) % refused_size, n++) {
    Klass* e = Atomic::load_acquire(&_refused[i]);
    if (e == k) return true;
    if (e == NULL) return false;
  }
  return false;
}

static void add_refused(Klass* k) {
  for (size_t i = slot(k) % refused_size, n = 0; n < refused_size; i = (i + 1) % refused_size, n++) {
    Klass* e = Atomic::cmpxchg(&_refused[i], (Klass*)NULL, k);
    if (e == NULL || e == k) return;
  }
}

bool PmemTypeTable::may_redirect(Klass* k) {
  if (is_known(k)) {
    return true;
  }
  if (is_refused(k)) {
    return false;
  }
  // A String that a constructor made has its value; only pnew's zeroed
  // one is refused.
  if (k == vmClasses::String_klass() || refusal(k) == NULL) {
    return true;   // the allocation records it
  }
  add_refused(k);
  return false;
}

void PmemTypeTable::initialize() {
  _lock = new Mutex(Mutex::leaf, "PmemTypeTable_lock", true, Mutex::_safepoint_check_never);
}

uint64_t PmemTypeTable::count_in(const char* table) {
  return ((const PmemTypeArea*)table)->count;
}

PmemTypeEntry* PmemTypeTable::entries_in(char* table) {
  return ((PmemTypeArea*)table)->entries;
}

size_t PmemTypeTable::capacity_of(size_t table_size) {
  return (table_size - offset_of(PmemTypeArea, entries)) / sizeof(PmemTypeEntry);
}

size_t PmemTypeTable::count() {
  return (size_t)area()->count;
}

bool PmemTypeTable::has_entry(Klass* k) {
  return is_known(k);
}

PmemTypeEntry* PmemTypeTable::entry(size_t i) {
  return &area()->entries[i];
}

Klass* PmemTypeTable::resolved(size_t i) {
  return _resolved[i];
}

uint64_t PmemTypeTable::klass_value(Klass* k) {
  return UseCompressedClassPointers ? (uint64_t)CompressedKlassPointers::encode(k) : (uint64_t)(uintptr_t)k;
}

static Klass* element_klass(Klass* k) {
  return k->is_objArray_klass() ? ObjArrayKlass::cast(k)->bottom_klass() : k;
}

static PmemTypeTable::LoaderKind loader_kind(Klass* k) {
  ClassLoaderData* cld = k->class_loader_data();
  if (cld->is_boot_class_loader_data()) return PmemTypeTable::boot_loader;
  if (cld->is_platform_class_loader_data()) return PmemTypeTable::platform_loader;
  if (SystemDictionary::is_system_class_loader(cld->class_loader())) return PmemTypeTable::app_loader;
  return PmemTypeTable::custom_loader;
}

// A class with persistent instances must outlive them: their headers hold
// its klass. Boot, platform and application classes are never unloaded; a
// custom loader's are kept by a global handle to their mirror (it reaches
// the loader), also so that a Klass* in _known never names a new class.
static void keep_alive(Klass* k) {
  Klass* e = element_klass(k);
  if (e->is_instance_klass() && loader_kind(e) == PmemTypeTable::custom_loader) {
    JNIHandles::make_global(Handle(Thread::current(), k->java_mirror()));
  }
}

// Classes whose instances the VM itself writes into, behind the barrier
// (a Throwable's backtrace, a thread's native state, a member name's
// method), or whose invariants a zeroed instance breaks (a String with no
// value, an enum constant that is not one of its class's constants).
static const char* refusal_by_contents(InstanceKlass* ik) {
  if (ik == vmClasses::String_klass()) {
    return "a zeroed java.lang.String has no value array; keep text in a persistent byte[] or char[]";
  }
  for (Klass* s = ik->super(); s != NULL; s = s->super()) {
    if (s->name()->equals("java/lang/Enum")) {
      return "it is an enum: its constants exist once per run; store the constants themselves into "
             "persistent objects inside Pmem.txn";
    }
  }
  // A thread that waits for a (volatile) lock inside a transaction queues a
  // node; a waiter outside one links its own node after it. Persistent, the
  // node would refuse that link, and the threads it links exist in one run.
  for (Klass* s = ik; s != NULL; s = s->super()) {
    if (s->name()->equals("java/util/concurrent/locks/AbstractQueuedSynchronizer$Node") ||
        s->name()->equals("java/util/concurrent/locks/AbstractQueuedLongSynchronizer$Node")) {
      return "it is a lock's wait-queue node: the threads it links exist in one run";
    }
  }
  static const struct { InstanceKlass* (*klass)(); const char* why; } vm_written[] = {
    { vmClasses::Throwable_klass,          "the VM writes a volatile stack trace into a Throwable" },
    { vmClasses::Thread_klass,             "the VM writes a Thread's native state into it" },
    { vmClasses::Module_klass,             "the VM writes a Module's native state into it" },
    { vmClasses::StackTraceElement_klass,  "the VM fills in a StackTraceElement" },
    { vmClasses::StackFrameInfo_klass,     "the VM fills in a StackFrameInfo" },
    { vmClasses::MemberName_klass,         "the VM writes a MemberName's method into it" },
    { vmClasses::ResolvedMethodName_klass, "it is a VM-internal type" },
    { vmClasses::MethodHandle_klass,       "the VM links a MethodHandle's internals" },
    { vmClasses::MethodType_klass,         "the VM links a MethodType's internals" },
    { vmClasses::CallSite_klass,           "the VM links a CallSite's target" },
  };
  for (const auto& v : vm_written) {
    if (ik->is_subclass_of(v.klass())) {
      return v.why;
    }
  }
  return NULL;
}

const char* PmemTypeTable::refusal(Klass* k) {
  Klass* e = element_klass(k);
  if (e->is_typeArray_klass()) {
    return NULL;   // primitive arrays: always fine
  }
  InstanceKlass* ik = InstanceKlass::cast(e);
  if (ik->is_hidden())                       return "it is a hidden class";
  if (k != e) {
    return NULL;   // an array holds references; its elements are checked when stored
  }
  if (ik->is_interface() || ik->is_abstract()) return "it is abstract";
  if (ik == vmClasses::Class_klass())        return "java.lang.Class instances cannot be persistent";
  if (ik->reference_type() != REF_NONE)      return "it is a java.lang.ref.Reference";
  if (ik->has_finalizer())                   return "it has a finalizer";
  if (ik->is_mirror_instance_klass() || ik->is_class_loader_instance_klass()) {
    return "it is a VM-internal type";
  }
  return refusal_by_contents(ik);
}

bool PmemTypeTable::never_persistent(Klass* k) {
  Klass* e = element_klass(k);
  if (e->is_typeArray_klass()) {
    return false;
  }
  InstanceKlass* ik = InstanceKlass::cast(e);
  if (ik->is_interface()) {
    return false;   // the verifier lets any object pass for an interface type
  }
  // A hidden class has no subclasses. For arrays, elements of a subtype
  // likewise.
  if (ik->is_hidden()) {
    return true;
  }
  if (k != e) {
    return false;
  }
  // Inherited by every subclass.
  return ik == vmClasses::Class_klass() || ik->reference_type() != REF_NONE || ik->has_finalizer() ||
         ik->is_class_loader_instance_klass();
}

void PmemTypeTable::describe(Klass* k, char* layout, size_t layout_len, uint64_t* fingerprint) {
  stringStream ss(layout, layout_len);   // cut short if too long; the fingerprint is not
  uint64_t h = UCONST64(0xcbf29ce484222325);
  auto mix = [&](const char* s) {
    for (const char* p = s; *p != '\0'; p++) { h ^= (uint8_t)*p; h *= UCONST64(0x100000001b3); }
  };
  if (k->is_instance_klass()) {
    // Supers first, so a field keeps its place when a subclass is described.
    GrowableArray<InstanceKlass*> chain;
    for (InstanceKlass* c = InstanceKlass::cast(k); c != NULL; c = c->java_super()) {
      chain.push(c);
    }
    for (int i = chain.length() - 1; i >= 0; i--) {
      for (JavaFieldStream fs(chain.at(i)); !fs.done(); fs.next()) {
        if (fs.access_flags().is_static()) continue;
        char item[512];
        jio_snprintf(item, sizeof(item), "%s:%s@%d ", fs.name()->as_C_string(),
                     fs.signature()->as_C_string(), fs.offset());
        ss.print_raw(item);
        mix(item);
      }
    }
  }
  mix(k->name()->as_C_string());
  *fingerprint = h;
}

bool PmemTypeTable::record(Klass* k) {
  if (is_known(k)) {
    return true;
  }
  keep_alive(k);   // before the lock: it may allocate a handle block
  ResourceMark rm;
  MutexLocker ml(_lock, Mutex::_no_safepoint_check_flag);
  if (is_known(k)) {
    return true;
  }
  PmemTypeArea* a = area();
  if (a->count >= capacity()) {
    return false;
  }
  PmemTypeEntry* e = &a->entries[a->count];
  memset(e, 0, sizeof(*e));
  const char* name = k->name()->as_C_string();
  e->klass_value = klass_value(k);
  e->klass_value_new = e->klass_value;
  e->loader = (uint8_t)loader_kind(element_klass(k));
  e->name_len = (uint16_t)MIN2(strlen(name), sizeof(e->name) - 1);
  memcpy(e->name, name, e->name_len);
  describe(k, e->layout, sizeof(e->layout), &e->fingerprint);
  e->layout_len = (uint16_t)strlen(e->layout);
  // The entry, durable, then the count that makes it part of the table.
  PmemWriteback::persist(e, sizeof(*e));
  Atomic::release_store(&a->count, a->count + 1);
  PmemWriteback::persist(&a->count, sizeof(a->count));
  if (_resolved != NULL) {
    _resolved[a->count - 1] = k;
  }
  add_known(k);
  return true;
}

// The first field where two layout texts differ, for the error message.
static void first_difference(const char* was, const char* now, char* out, size_t out_len) {
  const char* w = was;
  const char* n = now;
  while (*w != '\0' && *n != '\0') {
    const char* we = strchr(w, ' ');
    const char* ne = strchr(n, ' ');
    size_t wl = we != NULL ? (size_t)(we - w) : strlen(w);
    size_t nl = ne != NULL ? (size_t)(ne - n) : strlen(n);
    if (wl != nl || strncmp(w, n, wl) != 0) {
      jio_snprintf(out, out_len, "field %.*s is now %.*s", (int)wl, w, (int)nl, n);
      return;
    }
    w += wl + (we != NULL ? 1 : 0);
    n += nl + (ne != NULL ? 1 : 0);
  }
  if (*w != '\0') {
    const char* we = strchr(w, ' ');
    jio_snprintf(out, out_len, "field %.*s is gone", (int)(we != NULL ? we - w : (int)strlen(w)), w);
  } else if (*n != '\0') {
    const char* ne = strchr(n, ' ');
    jio_snprintf(out, out_len, "field %.*s is new", (int)(ne != NULL ? ne - n : (int)strlen(n)), n);
  } else {
    jio_snprintf(out, out_len, "its fields changed");
  }
}

static void external_name(const char* internal, char* out, size_t out_len) {
  jio_snprintf(out, out_len, "%s", internal);
  for (char* p = out; *p != '\0'; p++) {
    if (*p == '/') *p = '.';
  }
}

void PmemTypeTable::initialize_classes(TRAPS) {
  for (size_t i = 0; i < count(); i++) {
    Klass* k = _resolved[i];
    if (!k->is_instance_klass()) {
      continue;   // arrays need no initialization
    }
    InstanceKlass::cast(k)->initialize(THREAD);
    if (HAS_PENDING_EXCEPTION) {
      ResourceMark rm(THREAD);
      oop ex = PENDING_EXCEPTION;
      log_warning(gc, pmem)("class %s has objects in %s but its initialization failed: %s",
                            k->external_name(), PmemHeap::file()->path(), ex->klass()->external_name());
      CLEAR_PENDING_EXCEPTION;
    }
  }
}

bool PmemTypeTable::has_custom_entries() {
  PmemTypeArea* a = area();
  if (a->count > capacity()) {
    return false;
  }
  for (uint64_t i = 0; i < a->count; i++) {
    if (a->entries[i].loader == custom_loader) {
      return true;
    }
  }
  return false;
}

Klass* PmemTypeTable::resolve_entry(const PmemTypeEntry* e, uint64_t i, uint64_t at, Handle custom, const char* path,
                                    char* err, size_t err_len, TRAPS) {
  if (e->name_len == 0 || e->name_len >= sizeof(e->name) || memchr(e->name, '\0', e->name_len) != NULL ||
      e->layout_len > sizeof(e->layout) || e->loader > custom_loader || e->migrating > 1) {
    jio_snprintf(err, err_len, "%s is damaged: type table entry " UINT64_FORMAT " at file offset " UINT64_FORMAT
                 " has a name length of %u, a layout length of %u and loader %u", path, i, at,
                 (unsigned)e->name_len, (unsigned)e->layout_len, (unsigned)e->loader);
    return NULL;
  }
  char name[sizeof(e->name)];
  memcpy(name, e->name, e->name_len);
  name[e->name_len] = '\0';
  char ext[sizeof(e->name)];
  external_name(name, ext, sizeof(ext));

  Handle loader;
  if (e->loader == platform_loader) {
    loader = Handle(THREAD, SystemDictionary::java_platform_loader());
  } else if (e->loader == app_loader || (e->loader == custom_loader && custom.is_null())) {
    loader = Handle(THREAD, SystemDictionary::java_system_loader());
  } else if (e->loader == custom_loader) {
    loader = custom;
  }
  TempNewSymbol sym = SymbolTable::new_symbol(name);
  Klass* k = SystemDictionary::resolve_or_null(sym, loader, Handle(), THREAD);
  if (HAS_PENDING_EXCEPTION) {
    CLEAR_PENDING_EXCEPTION;
    k = NULL;
  }
  if (k == NULL && e->loader == custom_loader) {
    jio_snprintf(err, err_len, "class %s has objects in %s but %s does not find it; "
                 "attach the file with the loader that defines it: Pmem.attach(loader)", ext, path,
                 custom.is_null() ? "the application class loader"
                                  : custom()->klass()->external_name());
    return NULL;
  }
  if (k == NULL) {
    jio_snprintf(err, err_len, "class %s has objects in %s but is not found; "
                 "put it back on the class path", ext, path);
    return NULL;
  }
  return k;
}

bool PmemTypeTable::resolve_all(Handle custom, char* err, size_t err_len, TRAPS) {
  PmemTypeArea* a = area();
  const char* path = PmemHeap::file()->path();
  const uint64_t table_at = PmemHeap::file()->header().type_table_offset;
  if (a->count > capacity()) {
    jio_snprintf(err, err_len, "%s is damaged: the type count " UINT64_FORMAT " at file offset " UINT64_FORMAT
                 " exceeds the type table's " SIZE_FORMAT " entries", path, a->count, table_at, capacity());
    return false;
  }
  PmemMigrate::reset();
  if (_resolved == NULL) {   // a deferred attach that failed may try again
    _resolved = NEW_C_HEAP_ARRAY(Klass*, capacity(), mtGC);
  }
  for (uint64_t i = 0; i < a->count; i++) {
    ResourceMark rm(THREAD);
    HandleMark hm(THREAD);
    PmemTypeEntry* e = &a->entries[i];
    const uint64_t at = table_at + offset_of(PmemTypeArea, entries) + i * sizeof(PmemTypeEntry);
    Klass* k = resolve_entry(e, i, at, custom, path, err, err_len, THREAD);
    if (k == NULL) {
      return false;
    }
    char ext[sizeof(e->name)];
    external_name(k->name()->as_C_string(), ext, sizeof(ext));
    char layout[sizeof(e->layout)];
    uint64_t fp;
    describe(k, layout, sizeof(layout), &fp);
    if (fp != e->fingerprint) {
      char was[sizeof(e->layout) + 1];   // NUL-terminated whatever the file holds
      memcpy(was, e->layout, e->layout_len);
      was[e->layout_len] = '\0';
      if (!k->is_instance_klass()) {
        char diff[512];
        first_difference(was, layout, diff, sizeof(diff));
        jio_snprintf(err, err_len, "class %s has objects in %s but changed since they were written: %s",
                     ext, path, diff);
        return false;
      }
      // Fields added or removed: its objects are migrated (PmemMigrate).
      if (!PmemMigrate::plan(i, InstanceKlass::cast(k), fp, was, e->layout_len >= sizeof(e->layout) - 1,
                             err, err_len)) {
        return false;
      }
    }
    _resolved[i] = k;
    if (!is_known(k)) {
      keep_alive(k);
      add_known(k);
    }
  }
  return true;
}
