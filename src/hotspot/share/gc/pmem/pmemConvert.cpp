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
#include "classfile/symbolTable.hpp"
#include "gc/pmem/pmemAttach.hpp"
#include "gc/pmem/pmemConvert.hpp"
#include "gc/pmem/pmemDeferred.hpp"
#include "gc/pmem/pmemEnums.hpp"
#include "gc/pmem/pmemFault.hpp"
#include "gc/pmem/pmemFormat.hpp"
#include "gc/pmem/pmemHeap.hpp"
#include "gc/pmem/pmemHeapFile.hpp"
#include "gc/pmem/pmemLayoutText.hpp"
#include "gc/pmem/pmemLog.hpp"
#include "gc/pmem/pmemOs.hpp"
#include "gc/pmem/pmemProgress.hpp"
#include "gc/pmem/pmemRelocate.hpp"
#include "gc/pmem/pmemRoots.hpp"
#include "gc/pmem/pmemTypeTable.hpp"
#include "gc/pmem/pmemVolatileRefs.hpp"
#include "gc/pmem/pmemWalk.hpp"
#include "gc/pmem/pmemWriteback.hpp"
#include "jvm_io.h"
#include "logging/log.hpp"
#include "memory/resourceArea.hpp"
#include "oops/arrayOop.hpp"
#include "oops/compressedOops.inline.hpp"
#include "oops/instanceKlass.hpp"
#include "oops/klass.inline.hpp"
#include "oops/typeArrayKlass.hpp"
#include "runtime/globals.hpp"
#include "runtime/handles.inline.hpp"
#include "runtime/os.hpp"
#include "utilities/align.hpp"
#include "utilities/bitMap.inline.hpp"
#include "utilities/growableArray.hpp"

#include <string.h>

static PmemHeapFile* _old = NULL;    // the file being converted, locked
static char*  _old_base = NULL;      // its private mapping
static size_t _old_len = 0;
static char   _tmp[JVM_MAXPATHLEN];  // the new file's name until the rename
static bool   _pending = false;

static const char* plus_minus(bool b) { return b ? "+" : "-"; }
static const char* width(bool compressed) { return compressed ? "compressed (4-byte)" : "wide (8-byte)"; }

bool PmemConvert::pending() {
  return _pending;
}

static void close_old() {
  if (_old_base != NULL) {
    PmemOs::unmap(_old_base, _old_len);
    _old_base = NULL;
  }
  delete _old;   // closes it, which drops its lock
  _old = NULL;
}

void PmemConvert::abandon() {
  if (_pending) {
    PmemOs::remove(_tmp);
    close_old();
    _pending = false;
  }
}

// The directory of path into dir ("." for none); returns path's last component.
static const char* split_dir(const char* path, char dir[JVM_MAXPATHLEN]) {
  jio_snprintf(dir, JVM_MAXPATHLEN, "%s", path);
  char* slash = strrchr(dir, '/');
  if (slash == NULL) {
    strcpy(dir, ".");
    return path;
  }
  const char* base = path + (slash - dir) + 1;
  if (slash == dir) slash[1] = '\0'; else *slash = '\0';
  return base;
}

struct StaleScan {
  const char* dir;
  const char* path;
};

static void remove_if_stale(const char* name, void* arg) {
  const StaleScan* s = (const StaleScan*)arg;
  char full[JVM_MAXPATHLEN];
  jio_snprintf(full, sizeof(full), "%s/%s", s->dir, name);
  if (PmemOs::remove_unlocked(full)) {
    log_info(gc, pmem)("Removed %s, an unfinished conversion of %s", full, s->path);
  }
}

// PATH.convert-PID files a JVM left when it died converting: removed when
// no JVM holds their lock.
static void remove_stale(const char* path) {
  char dir[JVM_MAXPATHLEN];
  const char* base = split_dir(path, dir);
  char prefix[JVM_MAXPATHLEN];
  jio_snprintf(prefix, sizeof(prefix), "%s.convert-", base);
  StaleScan s = { dir, path };
  PmemOs::each_entry(dir, prefix, remove_if_stale, &s);
}

PmemHeapFile* PmemConvert::prepare(PmemHeapFile* old, char* err, size_t err_len) {
  const PmemFileHeader& h = old->header();
  const PmemFileState& st = old->state();
  const bool from = h.compressed_oops != 0;
  const char* path = old->path();
  const char* unfinished = st.swizzle_phase != 0 ? "header rewrite"
                         : st.reloc_phase != 0 ? "relocation"
                         : st.migr_phase != 0 ? "class migration"
                         : st.compact_phase != 0 ? "compaction" : NULL;
  if (unfinished != NULL) {
    jio_snprintf(err, err_len, "%s has %s references and an unfinished %s; start a JVM with "
                 "-XX:%sUseCompressedOops once to finish it, then change the width", path, width(from),
                 unfinished, plus_minus(from));
    delete old;
    return NULL;
  }
  _old_len = old->used_file_size();
  int map_err = 0;
  void* p = PmemOs::map(NULL, _old_len, old->fd(), PmemOs::map_private, &map_err);
  if (p == NULL) {
    jio_snprintf(err, err_len, "cannot map %s to convert it: %s", path, os::strerror(map_err));
    delete old;
    return NULL;
  }
  _old_base = (char*)p;
  _old = old;
  char* table = _old_base + h.type_table_offset;
  const uint64_t types = PmemTypeTable::count_in(table);
  if (types > PmemTypeTable::capacity_of(h.type_table_size)) {
    jio_snprintf(err, err_len, "%s is damaged: the type count " UINT64_FORMAT " at file offset " UINT64_FORMAT
                 " exceeds the type table's " SIZE_FORMAT " entries", path, types, h.type_table_offset,
                 PmemTypeTable::capacity_of(h.type_table_size));
    close_old();
    return NULL;
  }
  for (uint64_t i = 0; i < types; i++) {
    if (PmemTypeTable::entries_in(table)[i].loader == PmemTypeTable::custom_loader) {
      jio_snprintf(err, err_len, "%s has %s references and objects of classes of other class loaders, whose "
                   "width this JVM cannot change; start it with -XX:%sUseCompressedOops", path, width(from),
                   plus_minus(from));
      close_old();
      return NULL;
    }
  }

  // Room for the converted objects: each at most doubles (wider references)
  // and may gain a pad word (PmemAllocator keeps headers within a line).
  const size_t top = (size_t)st.objects_top;
  const size_t need = align_up((from ? top / 2 * 5 : top / 2 * 3) + PmemFormat::region_granule,
                               PmemFormat::region_granule);
  const size_t objects = MAX2((size_t)PmemFormat::objects_size(&h, &st), need);
  PmemFormat::Geometry g = PmemHeapFile::geometry_from_flags();
  g.type_table_size = h.type_table_size;
  g.roots_size = h.roots_size;
  g.log_slots = h.log_slots;
  g.log_slot_size = align_down(h.log_size / h.log_slots, PmemFormat::cache_line);
  size_t size = align_up(old->used_file_size() - (size_t)PmemFormat::objects_size(&h, &st) + objects,
                         g.region_size);
  for (int i = 0; i < 8; i++) {   // the card metadata grows with the file
    PmemFileHeader nh;
    if (!PmemFormat::init_header(&nh, size, g, PmemLayoutFlags::current(), h.uuid, err, err_len)) {
      close_old();
      return NULL;
    }
    if (nh.objects_size >= objects) break;
    size += align_up(objects - nh.objects_size, g.region_size);
  }
  if (jio_snprintf(_tmp, sizeof(_tmp), "%s.convert-%d", path, os::current_process_id()) < 0) {
    jio_snprintf(err, err_len, "%s: path too long", path);
    close_old();
    return NULL;
  }
  remove_stale(path);
  PmemHeapFile* f = PmemHeapFile::create_unlinked(path, _tmp, size, g, h.uuid, err, err_len);
  if (f == NULL) {
    close_old();
    return NULL;
  }
  _pending = true;
  log_info(gc, pmem)("%s has %s references, this JVM %s ones: converting it into a new file of "
                     SIZE_FORMAT "M (%s) at attach", path, width(from), from ? "wide" : "compressed",
                     size / M, _tmp);
  return f;
}

namespace {

// How the objects of one type change.
struct FieldMove {
  int from;
  int to;
  int size;           // 0: a reference
  bool volatile_ok;   // a reference that may name an ended run's volatile object (a cache field)
};

struct TypeMove : public CHeapObj<mtGC> {
  Klass* k;
  BasicType elem;               // arrays: the element type; T_VOID for instances
  size_t old_words, new_words;  // instances
  GrowableArrayCHeap<FieldMove, mtGC> fields;
  const char* refused;          // why its objects cannot be converted (only reachable ones matter)
  TypeMove() : k(NULL), elem(T_VOID), old_words(0), new_words(0), fields(0), refused(NULL) {}
};

// The conversion's view of the old file.
class Converter {
  const PmemFileHeader& _h;
  const PmemFileState&  _st;
  const char*           _path;
  const bool            _from;       // old references compressed
  const int             _old_ref;
  char*                 _err;
  size_t                _err_len;
  HeapWord*             _old_bottom;
  HeapWord*             _old_top;
  GrowableArrayCHeap<TypeMove*, mtGC> _types;
  GrowableArrayCHeap<uint64_t, mtGC>  _keys;   // old klass value -> type index (open addressing)
  GrowableArrayCHeap<int, mtGC>       _vals;
  GrowableArrayCHeap<uint64_t, mtGC>  _old_at;   // old offset of each object, ascending
  GrowableArrayCHeap<uint64_t, mtGC>  _new_at;   // and its new one
  size_t _references = 0;
  size_t _dropped = 0;
  CHeapBitMap _marked;   // reachable old objects, a bit per word

public:
  Converter(char* err, size_t err_len) :
    _h(_old->header()), _st(_old->state()), _path(_old->path()), _from(_old->header().compressed_oops != 0),
    _old_ref(_old->header().compressed_oops != 0 ? 4 : 8), _err(err), _err_len(err_len),
    _old_bottom((HeapWord*)(_old_base + _old->header().objects_offset)),
    _old_top((HeapWord*)(_old_base + _old->header().objects_offset + _old->state().objects_top)),
    _types(16), _keys(0), _vals(0), _old_at(1024), _new_at(1024), _marked(mtGC) {}
  ~Converter() {
    for (int i = 0; i < _types.length(); i++) delete _types.at(i);
  }

  // The old file's unfinished transactions, undone in the private copy:
  // each slot's entries in reverse order (the oldest entry for some bytes
  // holds what they were when the transaction began).
  size_t undo_logs() {
    struct Undo { size_t at; size_t len; const char* old; };
    const size_t slot_size = align_down(_h.log_size / _h.log_slots, PmemFormat::cache_line);
    size_t txns = 0;
    for (uint32_t i = 0; i < _h.log_slots; i++) {
      char* slot = _old_base + _h.log_offset + (size_t)i * slot_size;
      if ((*(volatile uint64_t*)slot & 1) == 0) continue;
      GrowableArrayCHeap<Undo, mtGC> undo(64);
      PmemLog::recorded_entries_do(_old_base, _old_len, slot, slot_size,
                                   [&](size_t at, size_t len, const char* old) {
        Undo u = { at, len, old };
        undo.append(u);
      });
      for (int j = undo.length() - 1; j >= 0; j--) {
        const Undo& u = undo.at(j);
        if (u.at + u.len <= _old_len) memmove(_old_base + u.at, u.old, u.len);
      }
      txns++;
    }
    // And the objects never linked in its deferred buffers, freed.
    PmemDeferred::recover_copy(_old_base + _h.objects_offset,
                               (PmemFileState*)(_old_base + PmemFormat::state_offset));
    return txns;
  }

  // Resolves each old type and records it in the new file's table, at the
  // same index, in this run's layout.
  bool plan_types(TRAPS) {
    char* table = _old_base + _h.type_table_offset;
    const uint64_t n = PmemTypeTable::count_in(table);
    PmemTypeEntry* entries = PmemTypeTable::entries_in(table);
    const size_t header = UseCompressedClassPointers ? 12 : 16;
    for (uint64_t i = 0; i < n; i++) {
      ResourceMark rm(THREAD);
      const PmemTypeEntry* e = &entries[i];
      const uint64_t at = _h.type_table_offset + (uint64_t)((char*)e - table);
      Klass* k = PmemTypeTable::resolve_entry(e, i, at, Handle(), _path, _err, _err_len, THREAD);
      if (k == NULL) {
        return false;
      }
      if (!PmemTypeTable::record(k) || PmemTypeTable::count() != i + 1) {
        jio_snprintf(_err, _err_len, "%s is damaged: type table entry " UINT64_FORMAT " names class %s again",
                     _path, i, k->external_name());
        return false;
      }
      TypeMove* t = new TypeMove();
      t->k = k;
      _types.append(t);
      if (k->is_objArray_klass()) {
        t->elem = T_OBJECT;
      } else if (k->is_typeArray_klass()) {
        t->elem = TypeArrayKlass::cast(k)->element_type();
      } else {
        char was[sizeof(e->layout) + 1];
        memcpy(was, e->layout, e->layout_len);
        was[e->layout_len] = '\0';
        GrowableArray<PmemLayoutText::Item> old_items;
        GrowableArray<PmemLayoutText::Item> new_items;
        const PmemTypeEntry* ne = PmemTypeTable::entry(i);
        char now[sizeof(ne->layout) + 1];
        memcpy(now, ne->layout, ne->layout_len);
        now[ne->layout_len] = '\0';
        bool same = e->layout_len < sizeof(e->layout) - 1 && ne->layout_len < sizeof(ne->layout) - 1 &&
                    PmemLayoutText::parse(was, &old_items) && PmemLayoutText::parse(now, &new_items) &&
                    old_items.length() == new_items.length();
        for (int f = 0; same && f < old_items.length(); f++) {
          const PmemLayoutText::Item& o = old_items.at(f);
          const PmemLayoutText::Item& w = new_items.at(f);
          same = o.name_len == w.name_len && o.sig_len == w.sig_len && strncmp(o.name, w.name, o.name_len) == 0 &&
                 strncmp(o.sig, w.sig, o.sig_len) == 0;
        }
        if (!same) {
          // Only an error if a reachable object has this type (see mark).
          t->refused = e->layout_len >= sizeof(e->layout) - 1
                       ? "has more fields than its type table entry can record the offsets of"
                       : "changed since its objects were written (start a JVM with the old width once, so they "
                         "migrate to the new class)";
        }
        size_t old_end = header;
        size_t new_end = header;
        for (int f = 0; t->refused == NULL && f < old_items.length(); f++) {
          const PmemLayoutText::Item& o = old_items.at(f);
          const PmemLayoutText::Item& w = new_items.at(f);
          const bool ref = *o.sig == 'L' || *o.sig == '[';
          // An enum constant's fields belong to the run that set them (PmemEnums).
          FieldMove m = { o.offset, w.offset, ref ? 0 : PmemLayoutText::field_size(*o.sig, 0),
                          ref && (PmemEnums::is_constant_class(k) ||
                                  PmemVolatileRefs::may_refer_to_volatile(InstanceKlass::cast(k), w.offset)) };
          t->fields.append(m);
          old_end = MAX2(old_end, (size_t)o.offset + PmemLayoutText::field_size(*o.sig, _old_ref));
          new_end = MAX2(new_end, (size_t)w.offset + PmemLayoutText::field_size(*w.sig, heapOopSize));
        }
        t->old_words = align_up(old_end, (size_t)MinObjAlignmentInBytes) / HeapWordSize;
        t->new_words = InstanceKlass::cast(k)->size_helper();
        if (t->refused == NULL && align_up(new_end, (size_t)MinObjAlignmentInBytes) / HeapWordSize != t->new_words) {
          t->refused = "has fields its type table entry does not name";
        }
      }
      // Old klass value -> index.
      if (_keys.length() == 0) {
        const int cap = (int)round_up_power_of_2(n * 2 + 2);
        _keys.at_put_grow(cap - 1, 0);
        _vals.at_put_grow(cap - 1, -1, -1);
      }
      const uint64_t key = e->klass_value;
      int s = (int)((key * UCONST64(0x9E3779B97F4A7C15)) >> 40) & (_keys.length() - 1);
      while (_vals.at(s) >= 0) s = (s + 1) & (_keys.length() - 1);
      _keys.at_put(s, key);
      _vals.at_put(s, (int)i);
    }
    return true;
  }

  int type_of(HeapWord* p) const {
    if (_keys.length() == 0) return -1;
    const uint64_t key = PmemWalk::raw_klass(p);
    for (int s = (int)((key * UCONST64(0x9E3779B97F4A7C15)) >> 40) & (_keys.length() - 1); _vals.at(s) >= 0;
         s = (s + 1) & (_keys.length() - 1)) {
      if (_keys.at(s) == key) return _vals.at(s);
    }
    return -1;
  }

  static int length_of(HeapWord* p) {
    return *(int*)((char*)p + arrayOopDesc::length_offset_in_bytes());
  }

  size_t old_words(HeapWord* p, const TypeMove* t) const {
    if (t->elem == T_VOID) return t->old_words;
    const int esize = t->elem == T_OBJECT ? _old_ref : type2aelembytes(t->elem);
    return align_up(arrayOopDesc::base_offset_in_bytes(t->elem) + (size_t)length_of(p) * esize,
                    (size_t)MinObjAlignmentInBytes) / HeapWordSize;
  }

  static size_t new_words(HeapWord* p, const TypeMove* t) {
    if (t->elem == T_VOID) return t->new_words;
    const int esize = t->elem == T_OBJECT ? heapOopSize : type2aelembytes(t->elem);
    return align_up(arrayOopDesc::base_offset_in_bytes(t->elem) + (size_t)length_of(p) * esize,
                    (size_t)MinObjAlignmentInBytes) / HeapWordSize;
  }

  // The old offset a reference value names, or -1 for none (null, or an
  // object of an ended run's volatile heap).
  int64_t target(const char* field) const {
    const uint64_t v = _from ? *(const uint32_t*)field : *(const uint64_t*)field;
    if (v == 0) return -1;
    const uint64_t off = _from ? _st.narrow_oop_base + (v << _st.narrow_oop_shift) - _st.heap_address
                               : v - _st.heap_address;
    return off < _st.objects_top ? (int64_t)off : -1;
  }

  // f(field address, whether it may name a volatile object) for each
  // reference field of the old object at p.
  template <typename F> void refs_do(HeapWord* p, const TypeMove* t, F f) const {
    char* o = (char*)p;
    if (t->elem == T_VOID) {
      for (int i = 0; i < t->fields.length(); i++) {
        const FieldMove& m = t->fields.at(i);
        if (m.size == 0) f(o + m.from, m.volatile_ok);
      }
    } else if (t->elem == T_OBJECT) {
      const int base = arrayOopDesc::base_offset_in_bytes(T_OBJECT);
      for (int i = 0, n = length_of(p); i < n; i++) f(o + base + (size_t)i * _old_ref, false);
    }
  }

  // What the roots reach: only that is converted, so the garbage of the
  // last runs (of classes that may no longer convert) stays behind.
  bool mark() {
    const size_t words = _st.objects_top / HeapWordSize;
    _marked.reinitialize(words);
    GrowableArrayCHeap<uint64_t, mtGC> stack(1024);
    const char* what = "a root";
    uint64_t from_off = 0;
    auto reach = [&](uint64_t off) -> bool {
      HeapWord* p = _old_bottom + off / HeapWordSize;
      if (off % HeapWordSize != 0 || type_of(p) < 0) {
        jio_snprintf(_err, _err_len, "%s is damaged: %s at offset " UINT64_FORMAT " names offset " UINT64_FORMAT
                     ", where no object starts", _path, what, from_off, off);
        return false;
      }
      if (!_marked.at(off / HeapWordSize)) {
        _marked.set_bit(off / HeapWordSize);
        stack.push(off);
      }
      return true;
    };
    const PmemRootsArea* r = (const PmemRootsArea*)(_old_base + _h.roots_offset);
    const size_t cap = (_h.roots_size - offset_of(PmemRootsArea, entries)) / sizeof(PmemNamedEntry);
    if (r->count > cap) {
      jio_snprintf(_err, _err_len, "%s is damaged: its names table counts " UINT64_FORMAT " entries", _path, r->count);
      return false;
    }
    uint64_t roots[2] = { _st.root_offset, r->enums };
    for (int i = 0; i < 2; i++) {
      if (roots[i] != 0 && (roots[i] - 1 >= _st.objects_top || !reach(roots[i] - 1))) {
        if (roots[i] - 1 >= _st.objects_top) {
          jio_snprintf(_err, _err_len, "%s is damaged: a root names offset " UINT64_FORMAT ", outside the objects",
                       _path, roots[i] - 1);
        }
        return false;
      }
    }
    for (uint64_t i = 0; i < r->count; i++) {
      const uint64_t v = r->entries[i].object;
      if (v != 0 && (v - 1 >= _st.objects_top || !reach(v - 1))) {
        if (v - 1 >= _st.objects_top) {
          jio_snprintf(_err, _err_len, "%s is damaged: a named object is at offset " UINT64_FORMAT
                       ", outside the objects", _path, v - 1);
        }
        return false;
      }
    }
    what = "a reference";
    bool ok = true;
    while (ok && stack.is_nonempty()) {
      const uint64_t off = stack.pop();
      HeapWord* p = _old_bottom + off / HeapWordSize;
      const TypeMove* t = _types.at(type_of(p));
      if (t->refused != NULL) {
        jio_snprintf(_err, _err_len, "%s has %s references and reachable objects of class %s, which %s; it cannot "
                     "change its width now: start this JVM with -XX:%sUseCompressedOops", _path, width(_from),
                     t->k->external_name(), t->refused, plus_minus(_from));
        return false;
      }
      refs_do(p, t, [&](const char* field, bool volatile_ok) {
        const int64_t to = target(field);
        from_off = (uint64_t)(field - (char*)_old_bottom);
        if (ok && to >= 0) {
          ok = reach((uint64_t)to);
        } else if (ok && !volatile_ok && (_from ? *(const uint32_t*)field : *(const uint64_t*)field) != 0) {
          // Only a cache field of a reachable object may name something
          // outside the objects (an ended run's volatile object).
          jio_snprintf(_err, _err_len, "%s is damaged: the reference at offset " UINT64_FORMAT " (in a %s) names "
                       "no object of the file", _path, from_off, t->k->external_name());
          ok = false;
        }
      });
    }
    return ok;
  }

  // Pass 1: each reachable object's new offset, in the old order (the
  // garbage of the last runs, whose sizes old layout texts may not tell, stays behind).
  bool place(size_t capacity) {
    size_t to = 0;
    PmemProgress progress("Converting (placing objects)", pointer_delta(_old_top, _old_bottom, 1));
    const BitMap::idx_t words = _marked.size();
    for (BitMap::idx_t w = _marked.get_next_one_offset(0); w < words; w = _marked.get_next_one_offset(w + 1)) {
      HeapWord* p = _old_bottom + w;
      const TypeMove* t = _types.at(type_of(p));   // mark checked it
      if (old_words(p, t) > pointer_delta(_old_top, p)) {
        jio_snprintf(_err, _err_len, "%s is damaged: the object at offset " SIZE_FORMAT " (%s) reaches past the "
                     "used part", _path, pointer_delta(p, _old_bottom, 1), t->k->external_name());
        return false;
      }
      if (to % PmemFormat::cache_line == PmemFormat::cache_line - HeapWordSize) {
        to += HeapWordSize;   // a header never crosses a cache line (PmemAllocator)
      }
      _old_at.append(pointer_delta(p, _old_bottom, 1));
      _new_at.append(to);
      to += new_words(p, t) * HeapWordSize;
      if (to > capacity) {
        jio_snprintf(_err, _err_len, "%s: its objects need more than the " SIZE_FORMAT "M made for them in the "
                     "converted file", _path, capacity / M);
        return false;
      }
      progress.at(pointer_delta(p, _old_bottom, 1));
    }
    return true;
  }

  size_t objects() const { return (size_t)_old_at.length(); }
  size_t new_top() const {
    if (_old_at.length() == 0) return 0;
    const int last = _old_at.length() - 1;
    HeapWord* p = _old_bottom + _old_at.at(last) / HeapWordSize;
    return _new_at.at(last) + new_words(p, _types.at(type_of(p))) * HeapWordSize;
  }

  // The new offset of the object at old offset off, or -1.
  int64_t moved(uint64_t off) const {
    int lo = 0, hi = _old_at.length() - 1;
    while (lo <= hi) {
      const int mid = (lo + hi) / 2;
      const uint64_t v = _old_at.at(mid);
      if (v == off) return (int64_t)_new_at.at(mid);
      if (v < off) lo = mid + 1; else hi = mid - 1;
    }
    return -1;
  }

  // A reference field: its old value at from, its new one written at to
  // (mark reached every target, so each has a new place).
  void reference(const char* from, char* to) {
    const int64_t off = target(from);
    uint64_t nv = 0;
    if (off >= 0) {
      oop o = cast_to_oop((char*)PmemHeap::bottom() + moved((uint64_t)off));
      nv = UseCompressedOops ? (uint64_t)CompressedOops::encode_not_null(o) : (uint64_t)cast_from_oop<uintptr_t>(o);
      _references++;
    } else if ((_from ? *(const uint32_t*)from : *(const uint64_t*)from) != 0) {
      _dropped++;   // an object of an ended run's volatile heap (a cache field)
    }
    if (UseCompressedOops) *(uint32_t*)to = (uint32_t)nv; else *(uint64_t*)to = nv;
  }

  // Pass 2: every object written in the new layout.
  bool copy() {
    char* nb = (char*)PmemHeap::bottom();
    PmemProgress progress("Converting (writing objects)", objects());
    for (int j = 0; j < _old_at.length(); j++) {
      HeapWord* p = _old_bottom + _old_at.at(j) / HeapWordSize;
      char* from = (char*)p;
      char* to = nb + _new_at.at(j);
      const TypeMove* t = _types.at(type_of(p));
      *(uint64_t*)to = PmemAttach::clean_mark(PmemWalk::mark_bits(p));
      PmemWalk::set_raw_klass((HeapWord*)to, PmemTypeTable::klass_value(t->k));
      if (t->elem == T_VOID) {
        for (int f = 0; f < t->fields.length(); f++) {
          const FieldMove& m = t->fields.at(f);
          if (m.size == 0) {
            reference(from + m.from, to + m.to);
          } else {
            memcpy(to + m.to, from + m.from, m.size);
          }
        }
      } else {
        const int len = length_of(p);
        *(int*)(to + arrayOopDesc::length_offset_in_bytes()) = len;
        const int base = arrayOopDesc::base_offset_in_bytes(t->elem);
        if (t->elem == T_OBJECT) {
          for (int e = 0; e < len; e++) {
            reference(from + base + (size_t)e * _old_ref, to + base + (size_t)e * heapOopSize);
          }
        } else {
          memcpy(to + base, from + base, (size_t)len * type2aelembytes(t->elem));
        }
      }
      progress.at((size_t)j);
    }
    return true;
  }

  // A roots-area value (objects-area offset + 1, 0 for none).
  bool root(uint64_t v, uint64_t* out, const char* what) {
    if (v == 0) {
      *out = 0;
      return true;
    }
    const int64_t n = v - 1 < _st.objects_top ? moved(v - 1) : -1;
    if (n < 0) {
      jio_snprintf(_err, _err_len, "%s is damaged: %s names offset " UINT64_FORMAT ", where no object starts",
                   _path, what, v - 1);
      return false;
    }
    *out = (uint64_t)n + 1;
    return true;
  }

  bool roots() {
    const PmemRootsArea* o = (const PmemRootsArea*)(_old_base + _h.roots_offset);
    PmemRootsArea* r = (PmemRootsArea*)(PmemHeap::file_base() + PmemHeap::file()->header().roots_offset);
    const size_t cap = (PmemHeap::file()->header().roots_size - offset_of(PmemRootsArea, entries)) /
                       sizeof(PmemNamedEntry);
    if (o->count > cap) {
      jio_snprintf(_err, _err_len, "%s is damaged: its names table counts " UINT64_FORMAT " entries", _path, o->count);
      return false;
    }
    if (!root(o->enums, &r->enums, "the enum registry")) return false;
    for (uint64_t i = 0; i < o->count; i++) {
      const PmemNamedEntry& e = o->entries[i];
      if (!root(e.object, &r->entries[i].object, "a named object")) return false;
      r->entries[i].name_len = e.name_len;
      memcpy(r->entries[i].name, e.name, sizeof(e.name));
    }
    r->count = o->count;
    PmemFileState* st = PmemHeap::state();
    if (!root(_st.root_offset, &st->root_offset, "the root")) return false;
    PmemWriteback::persist(r, offset_of(PmemRootsArea, entries) + o->count * sizeof(PmemNamedEntry));
    return true;
  }

  size_t references() const { return _references; }
  size_t dropped() const { return _dropped; }
};

} // namespace

bool PmemConvert::run(char* err, size_t err_len, TRAPS) {
  assert(_pending, "nothing to convert");
  const jlong started = os::javaTimeNanos();
  const char* path = PmemHeap::file()->path();   // the same name as the old file's
  const bool from = _old->header().compressed_oops != 0;
  Converter c(err, err_len);
  const size_t txns = c.undo_logs();
  const size_t capacity = PmemHeap::file()->objects_size();
  if (!c.plan_types(THREAD) || !c.mark() || !c.place(capacity) || !c.copy() || !c.roots()) {
    return false;
  }
  const size_t top = c.new_top();
  PmemFileState* st = PmemHeap::state();
  st->objects_top = top;
  st->run_count = _old->state().run_count;
  st->marks_clean = 1;
  st->clean_shutdown = 1;
  PmemRelocate::record(st, PmemRelocate::current());
  PmemWriteback::persist(PmemHeap::bottom(), top);
  PmemWriteback::persist(st, sizeof(*st));
  // The whole file durable under its temporary name, then renamed over the old one.
  int rc = PmemOs::sync_file(PmemHeap::file()->fd());
  if (rc != 0) {
    jio_snprintf(err, err_len, "cannot sync the converted %s: %s", path, os::strerror(rc));
    return false;
  }
  PmemFault::reached("convert-written");
  char dir[JVM_MAXPATHLEN];
  split_dir(path, dir);   // the new name durable too
  rc = PmemOs::rename_durably(_tmp, path, dir);
  if (rc != 0) {
    jio_snprintf(err, err_len, "cannot rename the converted %s over it: %s", path, os::strerror(rc));
    return false;
  }
  _pending = false;
  PmemFault::reached("convert-renamed");
  const size_t old_top = (size_t)_old->state().objects_top;
  const jlong converted = os::javaTimeNanos();
  close_old();   // the file system frees the old file's blocks now: that takes time per GB of file
  log_info(gc, pmem)("Converted %s from %s to %s references: " SIZE_FORMAT " objects (" SIZE_FORMAT "K, now "
                     SIZE_FORMAT "K), " SIZE_FORMAT " references re-encoded, " SIZE_FORMAT " to an ended run's "
                     "volatile objects cleared, " SIZE_FORMAT " unfinished transaction(s) undone; %.1f ms, and "
                     "%.1f ms to release the old file", path, from ? "compressed" : "wide", from ? "wide" : "compressed",
                     c.objects(), old_top / K, top / K, c.references(), c.dropped(), txns,
                     (converted - started) / 1e6, (os::javaTimeNanos() - converted) / 1e6);
  return true;
}
