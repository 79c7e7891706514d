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
#include "gc/pmem/pmemJfr.hpp"
#include "utilities/macros.hpp"
#if INCLUDE_JFR
#include "jfr/jfrEvents.hpp"
#include "jfr/recorder/jfrEventSetting.inline.hpp"
#include "jfr/utilities/jfrTime.hpp"
#endif

Ticks    PmemJfr::_attach_started;
Tickspan PmemJfr::_attach_time;
bool     PmemJfr::_walked = false;
bool     PmemJfr::_relocated = false;
bool     PmemJfr::_migrated = false;
bool     PmemJfr::_converted = false;
size_t   PmemJfr::_headers_rewritten = 0;
size_t   PmemJfr::_used_at_attach = 0;
bool     PmemJfr::_recovered = false;
bool     PmemJfr::_crashed = false;
size_t   PmemJfr::_txns_rolled_back = 0;
size_t   PmemJfr::_stores_undone = 0;
Tickspan PmemJfr::_recovery_time;
Ticks    PmemJfr::_collection_started;
Tickspan PmemJfr::_mark_time;

bool PmemJfr::transactions_on() {
  JFR_ONLY(return EventPmemTransaction::is_enabled();)
  NOT_JFR_RETURN_(false);
}

bool PmemJfr::over_threshold(const Ticks& started) {
#if INCLUDE_JFR
  const Ticks now = Ticks::now();
  // In the clock the event's threshold is kept in (JfrEvent::evaluate).
  const jlong took = JfrTime::is_ft_enabled() ? now.ft_value() - started.ft_value() : now.value() - started.value();
  return took >= JfrEventSetting::threshold(EventPmemTransaction::eventId);
#else
  return false;
#endif
}

void PmemJfr::transaction(const Ticks& started, bool committed, int depth, size_t bytes_logged,
                          size_t entries, size_t bytes_allocated) {
#if INCLUDE_JFR
  EventPmemTransaction e(UNTIMED);
  e.set_starttime(started);
  e.set_endtime(Ticks::now());
  if (e.should_commit()) {
    e.set_committed(committed);
    e.set_nestingDepth(depth);
    e.set_bytesLogged(bytes_logged);
    e.set_logEntries(entries);
    e.set_bytesAllocated(bytes_allocated);
    e.commit();
  }
#endif
}

void PmemJfr::collection_started() {
  _collection_started = Ticks::now();
}

void PmemJfr::collection(const char* cause, size_t live_objects, size_t live_bytes, size_t freed_bytes,
                         size_t free_bytes, size_t free_chunks) {
#if INCLUDE_JFR
  EventPmemCollection e(UNTIMED);
  e.set_starttime(_collection_started);
  e.set_endtime(Ticks::now());
  if (e.should_commit()) {
    e.set_cause(cause);
    e.set_liveObjects(live_objects);
    e.set_liveBytes(live_bytes);
    e.set_freedBytes(freed_bytes);
    e.set_freeBytes(free_bytes);
    e.set_freeChunks(free_chunks);
    e.set_markTime(_mark_time);
    e.commit();
  }
#endif
}

void PmemJfr::attach_started() {
  _attach_started = Ticks::now();
}

void PmemJfr::attach_ended(bool walked, size_t headers_rewritten, size_t used) {
  _attach_time = Ticks::now() - _attach_started;
  _walked = walked;
  _headers_rewritten = headers_rewritten;
  _used_at_attach = used;
}

void PmemJfr::recovery(bool crashed, size_t txns, size_t stores, const Tickspan& took) {
  _recovered = true;
  _crashed = crashed;
  _txns_rolled_back = txns;
  _stores_undone = stores;
  _recovery_time = took;
}

void PmemJfr::send_attach() {
#if INCLUDE_JFR
  if (!UsePersistentHeap || PmemHeap::file() == NULL) {
    return;
  }
  EventPmemAttach e;
  e.set_file(PmemHeap::file()->path());
  e.set_created(PmemHeap::file()->created());
  e.set_capacity(PmemHeap::size_in_bytes());
  e.set_used(_used_at_attach);
  e.set_walked(_walked);
  e.set_headersRewritten(_headers_rewritten);
  e.set_relocated(_relocated);
  e.set_migrated(_migrated);
  e.set_converted(_converted);
  e.set_attachTime(_attach_time);
  e.commit();
#endif
}

void PmemJfr::send_recovery() {
#if INCLUDE_JFR
  if (!UsePersistentHeap || PmemHeap::file() == NULL || !_recovered) {
    return;
  }
  EventPmemRecovery e;
  e.set_file(PmemHeap::file()->path());
  e.set_lastRunCrashed(_crashed);
  e.set_transactionsRolledBack(_txns_rolled_back);
  e.set_storesUndone(_stores_undone);
  e.set_recoveryTime(_recovery_time);
  e.commit();
#endif
}
