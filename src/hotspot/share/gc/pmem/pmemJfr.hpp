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

#ifndef SHARE_GC_PMEM_PMEMJFR_HPP
#define SHARE_GC_PMEM_PMEMJFR_HPP

#include "memory/allStatic.hpp"
#include "utilities/globalDefinitions.hpp"
#include "utilities/ticks.hpp"

// The JFR events of the persistent heap (jdk.PmemTransaction,
// jdk.PmemCollection, jdk.PmemAttach, jdk.PmemRecovery; metadata.xml in
// jfr-events.patch). Attach and recovery happen before a recording can
// start, so they are kept here and sent at each chunk, as the heap's
// configuration events are. Without JFR in the build all of this is empty.
class PmemJfr : AllStatic {
  // Startup facts, recorded as they happen.
  static Ticks  _attach_started;
  static Tickspan _attach_time;
  static bool   _walked, _relocated, _migrated, _converted;
  static size_t _headers_rewritten, _used_at_attach;
  static bool   _recovered;        // the last run crashed, or left transactions open (Runtime.halt)
  static bool   _crashed;
  static size_t _txns_rolled_back, _stores_undone;
  static Tickspan _recovery_time;
  static Ticks  _collection_started;
  static Tickspan _mark_time;

public:
  // Transactions: whether the event is on (checked at each outermost begin,
  // so a recording that starts mid-transaction sees the next one), and
  // whether one begun at started has lasted past the event's threshold.
  static bool transactions_on();
  static bool over_threshold(const Ticks& started);
  static void transaction(const Ticks& started, bool committed, int depth, size_t bytes_logged,
                          size_t entries, size_t bytes_allocated);

  static void collection_started();
  static void marking_done()      { _mark_time = Ticks::now() - _collection_started; }
  static void collection(const char* cause, size_t live_objects, size_t live_bytes, size_t freed_bytes,
                         size_t free_bytes, size_t free_chunks);

  static void attach_started();
  static void attach_relocated()  { _relocated = true; }
  static void attach_migrated()   { _migrated = true; }
  static void attach_converted()  { _converted = true; }
  static void attach_ended(bool walked, size_t headers_rewritten, size_t used);
  static void recovery(bool crashed, size_t txns, size_t stores, const Tickspan& took);

  // Called by JFR's periodic events (jfrPeriodic.cpp).
  static void send_attach();
  static void send_recovery();
};

#endif // SHARE_GC_PMEM_PMEMJFR_HPP
