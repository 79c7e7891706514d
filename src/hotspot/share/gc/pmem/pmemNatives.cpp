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
#include "gc/pmem/pmemHeap.hpp"
#include "gc/pmem/pmemHeapFile.hpp"
#include "jni.h"
#include "runtime/globals.hpp"
#include "runtime/interfaceSupport.inline.hpp"
#include "utilities/debug.hpp"

// Native methods of jdk.internal.pmem.Pmem. HotSpot binds them itself
// (see nativeLookup.cpp), as it does for Unsafe, so they can reach the
// heap without a JNI library of their own.

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
  return (jlong)pointer_delta(PmemHeap::end(), PmemHeap::bottom(), 1);
} JVM_END

#define CC (char*)  /* cast a literal from (const char*) */
#define FN_PTR(f) CAST_FROM_FN_PTR(void*, &f)

static JNINativeMethod pmem_methods[] = {
  {CC "isEnabled0", CC "()Z",                  FN_PTR(Pmem_isEnabled0)},
  {CC "fileName0",  CC "()Ljava/lang/String;", FN_PTR(Pmem_fileName0)},
  {CC "isFirstRun0", CC "()Z",                 FN_PTR(Pmem_isFirstRun0)},
  {CC "capacityBytes0", CC "()J",              FN_PTR(Pmem_capacityBytes0)},
};

#undef CC
#undef FN_PTR

JVM_ENTRY(void, JVM_RegisterPmemMethods(JNIEnv* env, jclass pmem_class)) {
  ThreadToNativeFromVM ttnfv(thread);
  int ok = env->RegisterNatives(pmem_class, pmem_methods,
                                sizeof(pmem_methods) / sizeof(JNINativeMethod));
  guarantee(ok == 0, "register jdk.internal.pmem.Pmem natives");
} JVM_END
