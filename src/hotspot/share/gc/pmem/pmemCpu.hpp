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


#ifndef SHARE_GC_PMEM_PMEMCPU_HPP
#define SHARE_GC_PMEM_PMEMCPU_HPP

#include "memory/allStatic.hpp"

// What the CPU offers for writing cache lines back, beyond what VM_Version
// reports: JDK 17 sets CLWB only for Intel CPUs, though AMD's Zen 2 and
// later have it too (CPUID leaf 7, EBX bit 24), and there clwb costs half
// of clflushopt (bench/RESULTS.md). With the persistent heap on, compiled
// write-backs (MacroAssembler::cache_wb) use clwb wherever the CPU has it;
// without the flag the JDK keeps its own choice.
class PmemCpu : AllStatic {
public:
  static bool use_clwb();
};

#endif // SHARE_GC_PMEM_PMEMCPU_HPP
