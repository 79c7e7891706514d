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
#include "classfile/javaClasses.inline.hpp"
#include "classfile/systemDictionary.hpp"
#include "classfile/vmClasses.hpp"
#include "classfile/vmSymbols.hpp"
#include "gc/pmem/pmemAllocator.hpp"
#include "gc/pmem/pmemCollector.hpp"
#include "gc/pmem/pmemFault.hpp"
#include "gc/pmem/pmemHeap.hpp"
#include "gc/pmem/pmemHeapFile.hpp"
#include "gc/pmem/pmemBarrier.hpp"
#include "gc/pmem/pmemRedirect.hpp"
#include "gc/pmem/pmemRoots.hpp"
#include "gc/pmem/pmemTxn.hpp"
#include "gc/pmem/pmemTypeTable.hpp"
#include "gc/pmem/pmemWriteback.hpp"
#include "jni.h"
#include "jvm_io.h"
#include "logging/log.hpp"
#include "memory/oopFactory.hpp"
#include "memory/resourceArea.hpp"
#include "oops/arrayKlass.hpp"
#include "oops/instanceKlass.hpp"
#include "oops/klass.inline.hpp"
#include "oops/objArrayKlass.hpp"
#include "oops/objArrayOop.inline.hpp"
#include "oops/oop.inline.hpp"
#include "oops/typeArrayKlass.hpp"
#include "oops/typeArrayOop.hpp"
#include "gc/shared/gc_globals.hpp"
#include "runtime/globals.hpp"
#include "runtime/handles.inline.hpp"
#include "runtime/interfaceSupport.inline.hpp"
#include "runtime/vframe.inline.hpp"
#include "runtime/jniHandles.inline.hpp"
#include "utilities/align.hpp"
#include "utilities/copy.hpp"
#include "utilities/debug.hpp"
#include "utilities/growableArray.hpp"

// Native methods of jdk.internal.pmem.Pmem. HotSpot binds them itself
// (see nativeLookup.cpp), as it does for Unsafe, so they can reach the
// heap without a JNI library of their own. The Java side checks that the
// persistent heap is enabled before calling any but isEnabled0/fileName0.

// A file that waits for its classes' loader (PmemHeap::attach_deferred)
// attaches on the first call that needs it, through the given loader or,
// if none, the loader of the first caller that is not a class of the boot
// or platform loader (the application's code, not the JDK's).
static bool attach_with(jclass cls, Handle loader, TRAPS) {
  if (!PmemHeap::attach_pending()) {
    return false;
  }
  if (loader.is_null()) {
    for (vframeStream vfst(THREAD); !vfst.at_end(); vfst.next()) {
      oop l = vfst.method()->method_holder()->class_loader();
      if (l != NULL && !SystemDictionary::is_platform_class_loader(l)) {
        if (!SystemDictionary::is_system_class_loader(l)) {
          loader = Handle(THREAD, l);
        }
        break;
      }
    }
  }
  return PmemHeap::attach_deferred(loader, Handle(THREAD, JNIHandles::resolve_non_null(cls)), THREAD);
}

#define ATTACHED_OR_RETURN(value)                   \
  attach_with(cls, Handle(), THREAD);               \
  if (HAS_PENDING_EXCEPTION) return value;

JVM_ENTRY(jboolean, Pmem_attach0(JNIEnv* env, jclass cls, jobject loader)) {
  Handle l(THREAD, JNIHandles::resolve(loader));
  if (l.not_null() && (SystemDictionary::is_system_class_loader(l()) ||
                       SystemDictionary::is_platform_class_loader(l()))) {
    l = Handle();   // their classes resolve without it; the caller's may not
  }
  return attach_with(cls, l, THREAD) ? JNI_TRUE : JNI_FALSE;
} JVM_END

JVM_ENTRY(jboolean, Pmem_isEnabled0(JNIEnv* env, jclass cls)) {
  return UsePersistentHeap ? JNI_TRUE : JNI_FALSE;
} JVM_END

JVM_ENTRY(jstring, Pmem_fileName0(JNIEnv* env, jclass cls)) {
  if (!UsePersistentHeap || PmemFile == NULL) {
    return NULL;
  }
  ThreadToNativeFromVM ttnfv(thread);
  return env->NewStringUTF(PmemFile);
} JVM_END

JVM_ENTRY(jboolean, Pmem_isFirstRun0(JNIEnv* env, jclass cls)) {
  return PmemHeap::file() != NULL && PmemHeap::file()->created() ? JNI_TRUE : JNI_FALSE;
} JVM_END

JVM_ENTRY(jlong, Pmem_capacityBytes0(JNIEnv* env, jclass cls)) {
  return (jlong)PmemHeap::size_in_bytes();
} JVM_END

JVM_ENTRY(jlong, Pmem_usedBytes0(JNIEnv* env, jclass cls)) {
  ATTACHED_OR_RETURN(0)
  return (jlong)PmemAllocator::used_bytes();
} JVM_END

JVM_ENTRY(jstring, Pmem_persistenceDomain0(JNIEnv* env, jclass cls)) {
  ATTACHED_OR_RETURN(NULL)
  oop s = java_lang_String::create_oop_from_str(PmemWriteback::domain(), CHECK_NULL);
  return (jstring)JNIHandles::make_local(THREAD, s);
} JVM_END

JVM_ENTRY(jboolean, Pmem_compact0(JNIEnv* env, jclass cls)) {
  ATTACHED_OR_RETURN(false)
  return PmemCollector::compact(THREAD) ? JNI_TRUE : JNI_FALSE;
} JVM_END

JVM_ENTRY(void, Pmem_collect0(JNIEnv* env, jclass cls)) {
  ATTACHED_OR_RETURN()
  PmemCollector::collect_now(THREAD);
} JVM_END

static void throw_refused(Klass* k, const char* why, TRAPS) {
  ResourceMark rm(THREAD);
  char msg[512];
  jio_snprintf(msg, sizeof(msg), "%s cannot be persistent: %s", k->external_name(), why);
  THROW_MSG(vmSymbols::java_lang_IllegalArgumentException(), msg);
}

static Klass* klass_of(jclass type, TRAPS) {
  oop mirror = JNIHandles::resolve(type);
  if (mirror == NULL) {
    THROW_NULL(vmSymbols::java_lang_NullPointerException());
  }
  Klass* k = java_lang_Class::as_Klass(mirror);
  if (k == NULL) {
    THROW_MSG_NULL(vmSymbols::java_lang_IllegalArgumentException(),
                   "a primitive type cannot be persistent");
  }
  return k;
}

JVM_ENTRY(jobject, Pmem_pnew0(JNIEnv* env, jclass cls, jclass type)) {
  ATTACHED_OR_RETURN(NULL)
  Klass* k = klass_of(type, CHECK_NULL);
  if (k->is_array_klass()) {
    THROW_MSG_NULL(vmSymbols::java_lang_IllegalArgumentException(), "use pmake for arrays");
  }
  const char* why = PmemTypeTable::refusal(k);
  if (why != NULL) {
    throw_refused(k, why, CHECK_NULL);
  }
  InstanceKlass* ik = InstanceKlass::cast(k);
  ik->initialize(CHECK_NULL);   // as new does: the class is initialised first
  oop obj = PmemRedirect::allocate_formatted(ik, ik->size_helper(), -1, CHECK_NULL);
  return JNIHandles::make_local(THREAD, obj);
} JVM_END

JVM_ENTRY(jobject, Pmem_pmake0(JNIEnv* env, jclass cls, jclass type, jint length)) {
  ATTACHED_OR_RETURN(NULL)
  Klass* k = klass_of(type, CHECK_NULL);
  if (!k->is_array_klass()) {
    THROW_MSG_NULL(vmSymbols::java_lang_IllegalArgumentException(), "pmake needs an array type");
  }
  if (length < 0) {
    THROW_MSG_NULL(vmSymbols::java_lang_NegativeArraySizeException(), err_msg("%d", length));
  }
  const char* why = PmemTypeTable::refusal(k);
  if (why != NULL) {
    throw_refused(k, why, CHECK_NULL);
  }
  ArrayKlass* ak = ArrayKlass::cast(k);
  if (length > arrayOopDesc::max_array_length(ak->element_type())) {
    THROW_MSG_NULL(vmSymbols::java_lang_OutOfMemoryError(), "Requested array size exceeds VM limit");
  }
  // Header and elements, as the layout helper describes any array class.
  int lh = k->layout_helper();
  size_t bytes = (size_t)Klass::layout_helper_header_size(lh) +
                 ((size_t)length << Klass::layout_helper_log2_element_size(lh));
  size_t words = align_up(bytes, (size_t)MinObjAlignmentInBytes) / HeapWordSize;
  oop obj = PmemRedirect::allocate_formatted(k, words, length, CHECK_NULL);
  return JNIHandles::make_local(THREAD, obj);
} JVM_END

// Pmem.pnew(Supplier): the result counts as stored into an older object,
// so commit checks that it reaches no volatile one.
JVM_ENTRY(void, Pmem_publish0(JNIEnv* env, jclass cls, jobject obj)) {
  PmemTxn::reference_ok(THREAD, NULL, NULL, JNIHandles::resolve(obj));
} JVM_END

JVM_ENTRY(jboolean, Pmem_inPmem0(JNIEnv* env, jclass cls, jobject obj)) {
  oop o = JNIHandles::resolve(obj);
  return o != NULL && PmemHeap::is_in(o) ? JNI_TRUE : JNI_FALSE;
} JVM_END

// A reference that is stored into the roots must be persistent (or null)
// and, outside a transaction, reach no volatile object; inside one, commit
// checks that (PmemVolatileRefs).
static oop bindable(jobject obj, TRAPS) {
  oop o = JNIHandles::resolve(obj);
  if (o != NULL && PmemHeap::is_in(o) && !PmemTxn::reference_ok(THREAD, NULL, NULL, o)) {
    ResourceMark rm(THREAD);
    THROW_MSG_NULL(vmSymbols::java_lang_IllegalArgumentException(),
                   err_msg("%s was made in a transaction and still refers to a volatile object, "
                           "which persistent objects may not reach", o->klass()->external_name()));
  }
  return o;
}

// A reference that is stored into the roots must be persistent (or null).
static oop persistent_or_null(jobject obj, TRAPS) {
  oop o = JNIHandles::resolve(obj);
  if (o != NULL && !PmemHeap::is_in(o)) {
    ResourceMark rm(THREAD);
    THROW_MSG_NULL(vmSymbols::java_lang_IllegalArgumentException(),
                   err_msg("%s is not a persistent object (allocate it with pnew or pmake)",
                           o->klass()->external_name()));
  }
  return o;
}

JVM_ENTRY(void, Pmem_persist0(JNIEnv* env, jclass cls, jobject obj)) {
  oop o = persistent_or_null(obj, CHECK);
  if (o != NULL) {
    PmemWriteback::persist(cast_from_oop<void*>(o), o->size() * HeapWordSize);
  }
} JVM_END

JVM_ENTRY(jobject, Pmem_root0(JNIEnv* env, jclass cls)) {
  ATTACHED_OR_RETURN(NULL)
  return JNIHandles::make_local(THREAD, PmemRoots::root());
} JVM_END

JVM_ENTRY(void, Pmem_setRoot0(JNIEnv* env, jclass cls, jobject obj)) {
  ATTACHED_OR_RETURN()
  oop o = persistent_or_null(obj, CHECK);
  o = bindable(obj, CHECK);
  if (!PmemRoots::set_root(o)) {
    PmemBarrier::throw_log_full(THREAD);
  }
} JVM_END

// The bytes of a name in standard UTF-8 (a supplementary character takes 4
// bytes, as String.getBytes(UTF_8) gives, not modified UTF-8's 6), checked
// for length and for what UTF-8 cannot hold. NULL with an exception.
static char* name_of(jstring name, TRAPS) {
  oop s = JNIHandles::resolve(name);
  if (s == NULL) {
    THROW_NULL(vmSymbols::java_lang_NullPointerException());
  }
  int n;
  jchar* chars = java_lang_String::as_unicode_string(s, n, CHECK_NULL);
  char* utf8 = NEW_RESOURCE_ARRAY(char, PmemRoots::max_name_bytes + 1);
  size_t len = 0;
  for (int i = 0; i < n; i++) {
    uint32_t cp = chars[i];
    if (cp >= 0xd800 && cp <= 0xdbff && i + 1 < n && chars[i + 1] >= 0xdc00 && chars[i + 1] <= 0xdfff) {
      cp = 0x10000 + ((cp - 0xd800) << 10) + (chars[++i] - 0xdc00);
    }
    if ((cp >= 0xd800 && cp <= 0xdfff) || cp == 0) {
      THROW_MSG_NULL(vmSymbols::java_lang_IllegalArgumentException(),
                     err_msg("a name must be valid Unicode without U+0000: %s at index %d",
                             cp == 0 ? "U+0000" : "an unpaired surrogate", i));
    }
    char b[4];
    size_t k;
    if (cp < 0x80)         { b[0] = (char)cp; k = 1; }
    else if (cp < 0x800)   { b[0] = (char)(0xc0 | (cp >> 6));  b[1] = (char)(0x80 | (cp & 0x3f)); k = 2; }
    else if (cp < 0x10000) { b[0] = (char)(0xe0 | (cp >> 12)); b[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
                             b[2] = (char)(0x80 | (cp & 0x3f)); k = 3; }
    else                   { b[0] = (char)(0xf0 | (cp >> 18)); b[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
                             b[2] = (char)(0x80 | ((cp >> 6) & 0x3f)); b[3] = (char)(0x80 | (cp & 0x3f)); k = 4; }
    if (len + k > PmemRoots::max_name_bytes) {
      len = 0;   // too long
      break;
    }
    memcpy(utf8 + len, b, k);
    len += k;
  }
  if (len == 0) {
    THROW_MSG_NULL(vmSymbols::java_lang_IllegalArgumentException(),
                   err_msg("a name must have 1 to " SIZE_FORMAT " bytes in UTF-8", PmemRoots::max_name_bytes));
  }
  utf8[len] = '\0';
  return utf8;
}

// A name read back from the file as a String. Malformed bytes (a damaged
// file) become U+FFFD.
static Handle name_string(const char* utf8, TRAPS) {
  const size_t n = strlen(utf8);
  jchar* chars = NEW_RESOURCE_ARRAY(jchar, 2 * n + 1);
  int len = 0;
  for (size_t i = 0; i < n; ) {
    const uint8_t c = (uint8_t)utf8[i];
    const size_t k = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xe ? 3 : (c >> 3) == 0x1e ? 4 : 0;
    uint32_t cp = k == 1 ? c : k == 2 ? (c & 0x1f) : k == 3 ? (c & 0x0f) : (c & 0x07);
    bool ok = k > 0 && i + k <= n;
    for (size_t j = 1; ok && j < k; j++) {
      const uint8_t d = (uint8_t)utf8[i + j];
      ok = (d & 0xc0) == 0x80;
      cp = (cp << 6) | (d & 0x3f);
    }
    if (!ok || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) {
      chars[len++] = 0xfffd;
      i++;
      continue;
    }
    if (cp >= 0x10000) {
      chars[len++] = (jchar)(0xd800 + ((cp - 0x10000) >> 10));
      chars[len++] = (jchar)(0xdc00 + ((cp - 0x10000) & 0x3ff));
    } else {
      chars[len++] = (jchar)cp;
    }
    i += k;
  }
  return java_lang_String::create_from_unicode(chars, len, THREAD);
}

JVM_ENTRY(jobject, Pmem_get0(JNIEnv* env, jclass cls, jstring name)) {
  ATTACHED_OR_RETURN(NULL)
  ResourceMark rm(THREAD);
  char* n = name_of(name, CHECK_NULL);
  return JNIHandles::make_local(THREAD, PmemRoots::get(n));
} JVM_END

JVM_ENTRY(void, Pmem_put0(JNIEnv* env, jclass cls, jstring name, jobject obj)) {
  ATTACHED_OR_RETURN()
  ResourceMark rm(THREAD);
  char* n = name_of(name, CHECK);
  oop o = persistent_or_null(obj, CHECK);
  if (o == NULL) {
    THROW_MSG(vmSymbols::java_lang_NullPointerException(), "use remove to unbind a name");
  }
  o = bindable(obj, CHECK);
  PmemRoots::PutResult r = PmemRoots::put(n, o);
  if (r == PmemRoots::table_full) {
    THROW_MSG(vmSymbols::java_lang_IllegalStateException(),
              err_msg("the named-object table is full (" SIZE_FORMAT " names)", PmemRoots::capacity()));
  } else if (r == PmemRoots::log_full) {
    PmemBarrier::throw_log_full(THREAD);
  }
} JVM_END

JVM_ENTRY(jboolean, Pmem_remove0(JNIEnv* env, jclass cls, jstring name)) {
  ATTACHED_OR_RETURN(false)
  ResourceMark rm(THREAD);
  char* n = name_of(name, CHECK_false);
  PmemRoots::PutResult r = PmemRoots::remove(n);
  if (r == PmemRoots::log_full) {
    PmemBarrier::throw_log_full(CHECK_false);
  }
  return r == PmemRoots::done ? JNI_TRUE : JNI_FALSE;
} JVM_END

JVM_ENTRY(jobjectArray, Pmem_names0(JNIEnv* env, jclass cls)) {
  ATTACHED_OR_RETURN(NULL)
  ResourceMark rm(THREAD);
  GrowableArray<const char*> names;
  PmemRoots::names(&names);
  objArrayOop a = oopFactory::new_objArray(vmClasses::String_klass(), names.length(), CHECK_NULL);
  objArrayHandle h(THREAD, a);
  for (int i = 0; i < names.length(); i++) {
    Handle s = name_string(names.at(i), CHECK_NULL);
    h->obj_at_put(i, s());
  }
  return (jobjectArray)JNIHandles::make_local(THREAD, h());
} JVM_END

#define CC (char*)  /* cast a literal from (const char*) */
#define FN_PTR(f) CAST_FROM_FN_PTR(void*, &f)
#define SIG_OBJ "Ljava/lang/Object;"
#define SIG_STR "Ljava/lang/String;"
#define SIG_CLS "Ljava/lang/Class;"

// Levels whose Pmem.txn frames are gone. An abort call that itself met a
// StackOverflowError never ran, and its level stayed open after the frame
// unwound; Pmem then passes reconcile and each of these natives first undoes
// the levels beyond the Pmem.txn(Supplier) frames still on the stack (the
// caller's included), whose bodies threw. Walks the stack: only after such
// a miss.
static void reconcile(JavaThread* thread, int own_levels) {
  PmemTxn* txn = PmemTxn::of(thread);
  if (txn == NULL) {
    return;
  }
  int frames = 0;
  for (vframeStream vfst(thread); !vfst.at_end(); vfst.next()) {
    Method* m = vfst.method();
    if (m->name()->equals("txn") && m->signature()->equals("(Ljava/util/function/Supplier;)Ljava/lang/Object;") &&
        m->method_holder()->name()->equals("jdk/internal/pmem/Pmem")) {
      frames++;
    }
  }
  // own_levels: the levels the calling frame holds (0 at its begin, 1 after).
  const int expected = MAX2(frames - 1 + own_levels, 0);
  if (txn->depth() > expected) {
    log_info(gc, pmem)("Undoing %d transaction level(s) whose abort a StackOverflowError prevented",
                       txn->depth() - expected);
  }
  while (txn->depth() > expected) {
    txn->abort();
  }
}

JVM_ENTRY(void, Pmem_txnBegin0(JNIEnv* env, jclass cls, jboolean reconcile_first)) {
  ATTACHED_OR_RETURN()
  if (reconcile_first) {
    reconcile(THREAD, 0);
  }
  if (!PmemTxn::of_or_create(THREAD)->begin(THREAD)) {
    char msg[512];
    PmemTxn::no_slot_message(msg, sizeof(msg));
    THROW_MSG(vmSymbols::java_lang_IllegalStateException(), msg);
  }
} JVM_END

JVM_ENTRY(jboolean, Pmem_txnBeginFast0(JNIEnv* env, jclass cls)) {
  return PmemTxn::fast_begin();
} JVM_END

JVM_ENTRY(jboolean, Pmem_txnCommitFast0(JNIEnv* env, jclass cls)) {
  return PmemTxn::fast_commit();
} JVM_END

// Interpreted (and where the compilers do not inline them): the caller
// takes the full path.
JVM_ENTRY(jobject, Pmem_pnewFast0(JNIEnv* env, jclass cls, jclass type)) {
  return NULL;
} JVM_END

JVM_ENTRY(jobject, Pmem_pmakeFast0(JNIEnv* env, jclass cls, jclass type, jint length)) {
  return NULL;
} JVM_END

static PmemTxn* open_txn(TRAPS) {
  PmemTxn* txn = PmemTxn::of(THREAD);
  if (txn == NULL || txn->depth() == 0) {
    THROW_MSG_NULL(vmSymbols::java_lang_IllegalStateException(), "no transaction is open");
  }
  return txn;
}

JVM_ENTRY(void, Pmem_txnCommit0(JNIEnv* env, jclass cls, jboolean reconcile_first)) {
  if (reconcile_first) {
    reconcile(THREAD, 1);
  }
  PmemTxn* txn = open_txn(CHECK);
  txn->commit_checked(THREAD);
} JVM_END

JVM_ENTRY(void, Pmem_txnAbort0(JNIEnv* env, jclass cls, jboolean reconcile_first)) {
  if (reconcile_first) {
    reconcile(THREAD, 1);
  }
  PmemTxn* txn = open_txn(CHECK);
  txn->abort();
} JVM_END

JVM_ENTRY(jint, Pmem_txnDepth0(JNIEnv* env, jclass cls)) {
  PmemTxn* txn = PmemTxn::of(THREAD);
  return txn == NULL ? 0 : txn->depth();
} JVM_END

static JNINativeMethod pmem_methods[] = {
  {CC "isEnabled0",     CC "()Z",                FN_PTR(Pmem_isEnabled0)},
  {CC "attach0",        CC "(Ljava/lang/ClassLoader;)Z", FN_PTR(Pmem_attach0)},
  {CC "fileName0",      CC "()" SIG_STR,             FN_PTR(Pmem_fileName0)},
  {CC "isFirstRun0",    CC "()Z",                FN_PTR(Pmem_isFirstRun0)},
  {CC "capacityBytes0", CC "()J",                FN_PTR(Pmem_capacityBytes0)},
  {CC "usedBytes0",     CC "()J",                FN_PTR(Pmem_usedBytes0)},
  {CC "compact0",       CC "()Z",                FN_PTR(Pmem_compact0)},
  {CC "collect0",       CC "()V",                FN_PTR(Pmem_collect0)},
  {CC "persistenceDomain0", CC "()" SIG_STR,     FN_PTR(Pmem_persistenceDomain0)},
  {CC "pnew0",          CC "(" SIG_CLS ")" SIG_OBJ,      FN_PTR(Pmem_pnew0)},
  {CC "pmake0",         CC "(" SIG_CLS "I)" SIG_OBJ,     FN_PTR(Pmem_pmake0)},
  {CC "inPmem0",        CC "(" SIG_OBJ ")Z",         FN_PTR(Pmem_inPmem0)},
  {CC "persist0",       CC "(" SIG_OBJ ")V",         FN_PTR(Pmem_persist0)},
  {CC "root0",          CC "()" SIG_OBJ,             FN_PTR(Pmem_root0)},
  {CC "publish0",       CC "(" SIG_OBJ ")V",         FN_PTR(Pmem_publish0)},
  {CC "setRoot0",       CC "(" SIG_OBJ ")V",         FN_PTR(Pmem_setRoot0)},
  {CC "get0",           CC "(" SIG_STR ")" SIG_OBJ,      FN_PTR(Pmem_get0)},
  {CC "put0",           CC "(" SIG_STR SIG_OBJ ")V",     FN_PTR(Pmem_put0)},
  {CC "remove0",        CC "(" SIG_STR ")Z",         FN_PTR(Pmem_remove0)},
  {CC "txnBegin0",      CC "(Z)V",               FN_PTR(Pmem_txnBegin0)},
  {CC "txnBeginFast0",  CC "()Z",                FN_PTR(Pmem_txnBeginFast0)},
  {CC "txnCommitFast0", CC "()Z",                FN_PTR(Pmem_txnCommitFast0)},
  {CC "pnewFast0",      CC "(" SIG_CLS ")" SIG_OBJ,      FN_PTR(Pmem_pnewFast0)},
  {CC "pmakeFast0",     CC "(" SIG_CLS "I)" SIG_OBJ,     FN_PTR(Pmem_pmakeFast0)},
  {CC "txnCommit0",     CC "(Z)V",               FN_PTR(Pmem_txnCommit0)},
  {CC "txnAbort0",      CC "(Z)V",               FN_PTR(Pmem_txnAbort0)},
  {CC "txnDepth0",      CC "()I",                FN_PTR(Pmem_txnDepth0)},
  {CC "names0",         CC "()[" SIG_STR,            FN_PTR(Pmem_names0)},
};

#undef CC
#undef FN_PTR
#undef SIG_OBJ
#undef SIG_STR
#undef SIG_CLS

JVM_ENTRY(void, JVM_RegisterPmemMethods(JNIEnv* env, jclass pmem_class)) {
  ThreadToNativeFromVM ttnfv(thread);
  int ok = env->RegisterNatives(pmem_class, pmem_methods,
                                sizeof(pmem_methods) / sizeof(JNINativeMethod));
  guarantee(ok == 0, "register jdk.internal.pmem.Pmem natives");
} JVM_END
