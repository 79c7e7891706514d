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
#include "classfile/classLoaderDataGraph.hpp"
#include "classfile/javaClasses.hpp"
#include "classfile/symbolTable.hpp"
#include "classfile/vmClasses.hpp"
#include "classfile/vmSymbols.hpp"
#include "code/codeCache.hpp"
#include "gc/pmem/pmemCollector.hpp"
#include "gc/pmem/pmemEnums.hpp"
#include "gc/pmem/pmemFault.hpp"
#include "gc/pmem/pmemHeap.hpp"
#include "gc/pmem/pmemRelocate.hpp"
#include "gc/pmem/pmemHeapFile.hpp"
#include "gc/pmem/pmemLocking.hpp"
#include "gc/pmem/pmemRoots.hpp"
#include "gc/pmem/pmemTxn.hpp"
#include "gc/pmem/pmemTypeTable.hpp"
#include "gc/pmem/pmemVolatileRefs.hpp"
#include "gc/pmem/pmemWalk.hpp"
#include "gc/pmem/pmemWriteback.hpp"
#include "gc/shared/genCollectedHeap.hpp"
#include "gc/shared/generation.hpp"
#include "gc/shared/oopStorageSet.hpp"
#include "gc/shared/oopStorage.inline.hpp"
#include "logging/log.hpp"
#include "memory/iterator.inline.hpp"
#include "memory/resourceArea.hpp"
#include "memory/universe.hpp"
#include "oops/access.inline.hpp"
#include "oops/compressedOops.inline.hpp"
#include "oops/fieldStreams.inline.hpp"
#include "oops/instanceKlass.inline.hpp"
#include "oops/objArrayKlass.hpp"
#include "oops/objArrayOop.inline.hpp"
#include "oops/oop.inline.hpp"
#include "oops/typeArrayOop.inline.hpp"
#include "runtime/handles.inline.hpp"
#include "runtime/mutex.hpp"
#include "runtime/mutexLocker.hpp"
#include "runtime/os.hpp"
#include "runtime/thread.hpp"
#include "runtime/vmOperations.hpp"
#include "runtime/vmThread.hpp"
#include "utilities/growableArray.hpp"
#include "utilities/quickSort.hpp"
#include "utilities/utf8.hpp"

static Symbol* volatile _enum_symbol = NULL;   // java/lang/Enum
static int _name_offset = -1;                  // Enum.name
static int _ordinal_offset = -1;               // Enum.ordinal
static int _constants_offset = -1;             // Class.enumConstants

// The twins of this run (constants, not universes): GC roots for their
// fields, which belong to the run.
static GrowableArrayCHeap<oop, mtGC>* _twins = NULL;
// What a promotion under way has allocated and the registry does not
// reach yet: a collection of the persistent part must not free it.
static GrowableArrayCHeap<oop, mtGC>* _held = NULL;
static Mutex* _lock = NULL;

static Symbol* enum_symbol() {
  Symbol* s = Atomic::load_acquire(&_enum_symbol);
  if (s == NULL) {
    s = SymbolTable::new_permanent_symbol("java/lang/Enum");   // the same Symbol for every caller
    Atomic::release_store(&_enum_symbol, s);
  }
  return s;
}

// The enum class that declares the constants of k's instances: k, or its
// super for a constant with a body. NULL if k is not such a class.
static InstanceKlass* declaring_enum(Klass* k) {
  if (!k->is_instance_klass()) {
    return NULL;
  }
  Klass* s = k->super();
  if (s == NULL) {
    return NULL;
  }
  Symbol* e = enum_symbol();
  if (s->name() == e) {
    return InstanceKlass::cast(k);
  }
  Klass* ss = s->super();
  return ss != NULL && ss->name() == e ? InstanceKlass::cast(s) : NULL;
}

static int field_offset(InstanceKlass* ik, const char* name, bool is_static) {
  for (JavaFieldStream fs(ik); !fs.done(); fs.next()) {
    if (fs.access_flags().is_static() == is_static && fs.name()->equals(name)) {
      return fs.offset();
    }
  }
  return -1;
}

static void find_offsets(InstanceKlass* decl) {
  if (_name_offset < 0) {
    InstanceKlass* e = InstanceKlass::cast(decl->super());   // java.lang.Enum
    _ordinal_offset = field_offset(e, "ordinal", false);
    _name_offset = field_offset(e, "name", false);
    guarantee(_name_offset > 0 && _ordinal_offset > 0, "java.lang.Enum has name and ordinal");
  }
}

static int constants_offset() {
  if (_constants_offset < 0) {
    _constants_offset = field_offset(vmClasses::Class_klass(), "enumConstants", false);
    guarantee(_constants_offset > 0, "java.lang.Class has enumConstants");
  }
  return _constants_offset;
}

static bool is_volatile(oop o) {
  return o != NULL && !PmemHeap::is_in(cast_from_oop<void*>(o));
}

bool PmemEnums::is_constant(oop obj) {
  return is_constant_class(obj->klass());
}

bool PmemEnums::is_constant_class(Klass* k) {
  return declaring_enum(k) != NULL;
}

bool PmemEnums::is_universe(oop obj) {
  Klass* k = obj->klass();
  if (!k->is_objArray_klass()) {
    return false;
  }
  Klass* e = ObjArrayKlass::cast(k)->element_klass();
  return declaring_enum(e) == e && e->java_mirror()->obj_field(constants_offset()) == obj;
}

// Spreads the bits of a String hash over the mark word's hash bits.
static intptr_t stable_hash_of(Symbol* cls, unsigned name_hash) {
  uint32_t h = name_hash;
  for (int i = 0; i < cls->utf8_length(); i++) {
    h = 31 * h + (uint8_t)cls->char_at(i);
  }
  h ^= h >> 16;
  h *= 0x85ebca6bU;
  h ^= h >> 13;
  const uintptr_t v = (uintptr_t)h & markWord::hash_mask;
  return v != markWord::no_hash ? (intptr_t)v : 1;
}

intptr_t PmemEnums::stable_hash(oop obj) {
  InstanceKlass* e = declaring_enum(obj->klass());
  if (e == NULL) {
    return 0;
  }
  find_offsets(e);
  oop name = obj->obj_field(_name_offset);
  return name == NULL ? 0 : stable_hash_of(e->name(), java_lang_String::hash_code(name));
}

// -- the registry --------------------------------------------------------------
// An Object[] of pairs (twin, name): a constant and its name as a char[],
// or a universe and null.

static objArrayOop registry() {
  return (objArrayOop)PmemRoots::enums();
}

template <typename F> static void ref_fields_do(oop obj, F f) {
  InstanceKlass* ik = InstanceKlass::cast(obj->klass());
  OopMapBlock* map = ik->start_of_nonstatic_oop_maps();
  OopMapBlock* const end = map + ik->nonstatic_oop_map_count();
  for (; map < end; map++) {
    char* p = cast_from_oop<char*>(obj) + map->offset();
    for (uint i = 0; i < map->count(); i++, p += heapOopSize) {
      f((void*)p);
    }
  }
}

static oop load_at(void* p) {
  return UseCompressedOops ? CompressedOops::decode(*(narrowOop*)p) : *(oop*)p;
}

// A persistent object outside any transaction: a twin must not become one
// of the committing transaction's objects (they turn loose if not anchored).
static oop allocate(Klass* k, size_t words, int length, TRAPS) {
  if (!PmemTypeTable::record(k)) {
    THROW_MSG_NULL(vmSymbols::java_lang_OutOfMemoryError(),
                   "persistent heap type table is full: too many classes have persistent instances");
  }
  // Durable and linked outside any transaction: never in a fresh range.
  PmemTxn::leave_fresh_buffer(THREAD);
  HeapWord* mem = PmemCollector::allocate(THREAD->as_Java_thread(), words);
  if (mem == NULL) {
    THROW_MSG_NULL(vmSymbols::java_lang_OutOfMemoryError(),
                   "persistent heap is full: no room for the persistent twins of enum constants");
  }
  oopDesc::set_mark(mem, k->prototype_header());
  if (length >= 0) {
    arrayOopDesc::set_length(mem, length);
  }
  oopDesc::release_set_klass(mem, k);
  PmemWriteback::persist(mem, words * HeapWordSize);   // the heap stays parsable
  oop o = cast_to_oop(mem);
  _held->append(o);
  return o;
}

static size_t array_words(Klass* ak, int length) {
  const int lh = ak->layout_helper();
  const size_t bytes = (size_t)Klass::layout_helper_header_size(lh) +
                       ((size_t)length << Klass::layout_helper_log2_element_size(lh));
  return align_up(bytes, (size_t)MinObjAlignmentInBytes) / HeapWordSize;
}

// Everything after the klass word: an array's length again, then the body.
static void copy_body(oop from, oop to) {
  const size_t at = oopDesc::klass_offset_in_bytes() +
                    (UseCompressedClassPointers ? sizeof(narrowKlass) : sizeof(Klass*));
  Copy::conjoint_jbytes(cast_from_oop<char*>(from) + at, cast_from_oop<char*>(to) + at,
                        from->size() * HeapWordSize - at);
}

// The header a twin starts a run with: unlocked, with its stable hash.
static markWord twin_mark(Klass* k, intptr_t hash) {
  markWord m = k->prototype_header();
  return hash != 0 ? m.copy_set_hash(hash) : m;
}

// -- replacing volatile objects by their twins ---------------------------------

struct Replacement {
  oop from;
  oop to;
};

static int by_from(Replacement a, Replacement b) {
  const uintptr_t x = cast_from_oop<uintptr_t>(a.from), y = cast_from_oop<uintptr_t>(b.from);
  return x < y ? -1 : (x > y ? 1 : 0);
}

class PmemReplaceClosure : public BasicOopIterateClosure {
  const Replacement* _r;
  const int _n;
  size_t _count;

  oop twin_of(oop o) const {
    int lo = 0, hi = _n - 1;
    while (lo <= hi) {
      const int mid = (lo + hi) / 2;
      if (_r[mid].from == o) return _r[mid].to;
      if (cast_from_oop<uintptr_t>(_r[mid].from) < cast_from_oop<uintptr_t>(o)) lo = mid + 1; else hi = mid - 1;
    }
    return NULL;
  }
  template <typename T> void work(T* p) {
    T v = RawAccess<>::oop_load(p);
    if (CompressedOops::is_null(v)) {
      return;
    }
    oop t = twin_of(CompressedOops::decode_not_null(v));
    if (t != NULL) {
      RawAccess<>::oop_store(p, t);
      _count++;
    }
  }
public:
  PmemReplaceClosure(const Replacement* r, int n) : _r(r), _n(n), _count(0) {}
  virtual void do_oop(oop* p)       { work(p); }
  virtual void do_oop(narrowOop* p) { work(p); }
  virtual ReferenceIterationMode reference_iteration_mode() { return DO_FIELDS; }
  size_t count() const { return _count; }
};

// Every reference the VM knows of: what a full collection adjusts. The
// persistent part holds references to volatile objects only where
// PmemVolatileRefs::oops_do finds them (open transactions, loose objects,
// caches, twins), so it is not walked: the cost is that of the volatile heap.
class VM_PmemReplace : public VM_Operation {
  GrowableArray<Handle>* _from;
  GrowableArray<oop>*    _to;
  size_t                 _count;
public:
  VM_PmemReplace(GrowableArray<Handle>* from, GrowableArray<oop>* to) : _from(from), _to(to), _count(0) {}
  VMOp_Type type() const { return VMOp_Cleanup; }   // no type of its own needed
  const char* name() const { return "pmem: enum constants become persistent"; }
  size_t count() const { return _count; }
  void doit() {
    const int n = _from->length();
    Replacement* r = NEW_C_HEAP_ARRAY(Replacement, n, mtGC);
    for (int i = 0; i < n; i++) {   // before the handles themselves are replaced
      r[i].from = _from->at(i)();
      r[i].to = _to->at(i);
    }
    QuickSort::sort(r, n, by_from, false);
    PmemReplaceClosure cl(r, n);
    Threads::oops_do(&cl, NULL);
    CodeBlobToOopClosure blobs(&cl, CodeBlobToOopClosure::FixRelocations);
    CodeCache::blobs_do(&blobs);
    CLDToOopClosure clds(&cl, ClassLoaderData::_claim_none);
    ClassLoaderDataGraph::cld_do(&clds);
    for (OopStorage* s : OopStorageSet::Range<OopStorageSet::Id>()) {
      s->oops_do(&cl);
    }
    GenCollectedHeap* heap = GenCollectedHeap::heap();
    heap->ensure_parsability(false);   // fills the unused ends of TLABs
    heap->young_gen()->oop_iterate(&cl);
    heap->old_gen()->oop_iterate(&cl);
    PmemVolatileRefs::oops_do(&cl);   // the twins' fields included
    _count = cl.count();
    FREE_C_HEAP_ARRAY(Replacement, r);
  }
};

static jlong _replace_nanos = 0;   // of the last replace()

static size_t replace(GrowableArray<Handle>* from, GrowableArray<oop>* to) {
  _replace_nanos = 0;
  if (from->is_empty()) {
    return 0;
  }
  const jlong start = os::javaTimeNanos();
  VM_PmemReplace op(from, to);
  VMThread::execute(&op);
  _replace_nanos = os::javaTimeNanos() - start;
  return op.count();
}

// -- promotion ----------------------------------------------------------------

static Mutex* lock() {
  return _lock;
}

static void init_lists() {
  enum_symbol();
  if (_lock == NULL) {
    _lock = new Mutex(Mutex::nonleaf + 5, "PmemEnums_lock", true, Mutex::_safepoint_check_always);
    _twins = new GrowableArrayCHeap<oop, mtGC>(16);
    _held = new GrowableArrayCHeap<oop, mtGC>(16);
  }
}

// The twin of constant c (volatile), made and recorded in pairs.
static oop make_twin(Handle c, GrowableArray<Handle>* from, GrowableArray<oop>* to,
                     GrowableArray<oop>* pairs, TRAPS) {
  Klass* k = c->klass();
  oop t = allocate(k, c->size(), -1, CHECK_NULL);
  copy_body(c(), t);
  const markWord m = c->mark();
  if (m.is_neutral()) {
    intptr_t h = m.hash();
    if (h == 0) h = PmemEnums::stable_hash(c());
    t->set_mark(twin_mark(k, h));
  } else {
    t->set_mark(m);   // locked: the lock moves with the references; the next attach cleans the header
    PmemLocking::note_anchored_lock();
  }
  _twins->append(t);   // its fields (the name, ...) are volatile: GC roots from now on
  int len;
  oop name = c->obj_field(_name_offset);
  jchar* chars = java_lang_String::as_unicode_string(name, len, CHECK_NULL);
  Klass* ck = Universe::typeArrayKlassObj(T_CHAR);
  typeArrayOop n = (typeArrayOop)allocate(ck, array_words(ck, len), len, CHECK_NULL);
  if (len > 0) {
    memcpy(n->char_at_addr(0), chars, len * sizeof(jchar));
  }
  PmemWriteback::flush(cast_from_oop<void*>(t), t->size() * HeapWordSize);
  PmemWriteback::flush(cast_from_oop<void*>(n), n->size() * HeapWordSize);
  from->append(c);
  to->append(t);
  pairs->append(t);
  pairs->append(n);
  return t;
}

// The twin of the constant or universe that from/to map v to.
static oop twin_in(oop v, GrowableArray<Handle>* from, GrowableArray<oop>* to) {
  for (int i = 0; i < from->length(); i++) {
    if (from->at(i)() == v) return to->at(i);
  }
  return NULL;
}

// A new registry: the old pairs, then these. Durable before the switch,
// and the switch before any persistent object can refer to what it adds.
static bool append_to_registry(GrowableArray<oop>* pairs, TRAPS) {
  objArrayOop old = registry();
  const int old_len = old == NULL ? 0 : old->length();
  Klass* rk = Universe::objectArrayKlassObj();
  objArrayOop reg = (objArrayOop)allocate(rk, array_words(rk, old_len + pairs->length()),
                                          old_len + pairs->length(), CHECK_false);
  old = registry();
  for (int i = 0; i < old_len; i++) {
    reg->obj_at_put(i, old->obj_at(i));
  }
  for (int i = 0; i < pairs->length(); i++) {
    reg->obj_at_put(old_len + i, pairs->at(i));
  }
  PmemWriteback::flush(cast_from_oop<void*>(reg), reg->size() * HeapWordSize);
  PmemWriteback::drain();
  PmemFault::reached("enum-twins-written");
  PmemRoots::set_enums(reg);
  PmemFault::reached("enum-registered");
  _held->clear();
  return true;
}

static bool is_registered(oop u) {
  objArrayOop reg = registry();
  for (int i = 0; reg != NULL && i < reg->length(); i += 2) {
    if (reg->obj_at(i) == u) return true;
  }
  return false;
}

static void log_promoted(InstanceKlass* e, const char* what, int n, size_t refs) {
  ResourceMark rm;
  log_info(gc, pmem)("Enum %s: %d %s made persistent, " SIZE_FORMAT " reference(s) to them replaced "
                     "(%.1f ms)", e->external_name(), n, what, refs, _replace_nanos / 1e6);
}

oop PmemEnums::promote(Handle v, TRAPS) {
  MutexLocker ml(THREAD, lock());
  const bool universe = !is_constant(v());
  if (!is_volatile(v()) && (!universe || is_registered(v()))) {
    return v();   // promoted by another thread meanwhile: the handle holds the twin
  }
  ResourceMark rm(THREAD);
  HandleMark hm(THREAD);
  InstanceKlass* e = universe ? InstanceKlass::cast(ObjArrayKlass::cast(v->klass())->element_klass())
                              : declaring_enum(v->klass());
  find_offsets(e);
  GrowableArray<Handle> from;
  GrowableArray<oop> to;      // persistent: never move
  GrowableArray<oop> pairs;   // new registry entries
  // Every constant of the class: one safepoint for all of them.
  for (JavaFieldStream fs(e); !fs.done(); fs.next()) {
    if (!fs.access_flags().is_static() || (fs.access_flags().as_int() & JVM_ACC_ENUM) == 0) {
      continue;
    }
    oop c = e->java_mirror()->obj_field(fs.offset());
    if (is_volatile(c) && is_constant(c) && twin_in(c, &from, &to) == NULL) {
      make_twin(Handle(THREAD, c), &from, &to, &pairs, CHECK_NULL);
    }
  }
  if (!universe && twin_in(v(), &from, &to) == NULL) {
    make_twin(v, &from, &to, &pairs, CHECK_NULL);   // the class is being initialized: not in its field yet
  }
  if (!pairs.is_empty()) {
    if (!append_to_registry(&pairs, THREAD)) return NULL;
    log_promoted(e, "constant(s)", from.length(), replace(&from, &to));
  }
  if (!universe) {
    assert(!is_volatile(v()), "the handle is a root: replaced");
    return v();
  }
  // A universe (Class.getEnumConstantsShared): its elements are twins now.
  // A volatile one gets a twin. So does one made inside the open
  // transaction: it lies among the transaction's objects, which an abort
  // or a crash before the commit frees, while the registry is durable at
  // once (a crash then left the registry referring to freed memory: a
  // TestEnums simulator crash at write-back 80-84). References to it from
  // the transaction's own objects stay, and go with them.
  pairs.clear();
  from.clear();
  to.clear();
  objArrayOop u = objArrayOop(v());
  PmemTxn* txn = PmemTxn::of(THREAD);
  if (is_volatile(v()) || (txn != NULL && txn->is_fresh_any((uintptr_t)cast_from_oop<void*>(v())))) {
    const int len = objArrayOop(v())->length();
    Klass* ak = v->klass();
    u = (objArrayOop)allocate(ak, array_words(ak, len), len, CHECK_NULL);
    for (int i = 0; i < len; i++) {
      u->obj_at_put(i, objArrayOop(v())->obj_at(i));
    }
    from.append(v);
    to.append(u);
  }
  for (int i = 0; i < u->length(); i++) {
    guarantee(!is_volatile(u->obj_at(i)), "every constant of %s has a twin", e->external_name());
  }
  PmemWriteback::flush(cast_from_oop<void*>(u), u->size() * HeapWordSize);
  pairs.append(u);
  pairs.append(NULL);
  if (!append_to_registry(&pairs, THREAD)) return NULL;
  log_promoted(e, "universe", 1, replace(&from, &to));
  return u;
}

// -- attach -------------------------------------------------------------------

// What the raw header at p names, by the type table (before a header
// rewrite finished, an old or a new klass value).
static Klass* klass_of(oop obj) {
  const uint64_t k = PmemWalk::raw_klass(cast_from_oop<HeapWord*>(obj));
  for (size_t i = 0; i < PmemTypeTable::count(); i++) {
    if (PmemTypeTable::entry(i)->klass_value == k || PmemTypeTable::entry(i)->klass_value_new == k) {
      return PmemTypeTable::resolved(i);
    }
  }
  return NULL;
}

// o is an object start of the used part whose header names a known type,
// and (an array) whose length keeps it inside.
static Klass* checked_klass(oop o) {
  const size_t at = pointer_delta(cast_from_oop<void*>(o), PmemHeap::bottom(), 1);
  const size_t top = (size_t)PmemHeap::state()->objects_top;
  if (!PmemHeap::is_in(cast_from_oop<void*>(o)) || !is_aligned(at, HeapWordSize) || at + 2 * HeapWordSize > top) {
    return NULL;
  }
  Klass* k = klass_of(o);
  if (k != NULL && k->is_array_klass() &&
      (arrayOop(o)->length() < 0 || at + array_words(k, arrayOop(o)->length()) * HeapWordSize > top)) {
    return NULL;
  }
  return k;
}

static const char* utf8_of(typeArrayOop chars) {
  int len = chars->length();
  return UNICODE::as_utf8((const jchar*)chars->char_at_addr(0), len);   // resource allocated
}

static const void* element_addr(objArrayOop a, int i) {
  return cast_from_oop<char*>(a) + arrayOopDesc::base_offset_in_bytes(T_OBJECT) + (size_t)i * heapOopSize;
}

bool PmemEnums::check(char* err, size_t err_len) {
  if (PmemHeap::state()->compact_phase != 0) {
    return true;   // references to a layout not there yet: checked once the compaction is finished
  }
  objArrayOop reg = registry();
  if (reg == NULL) {
    return true;
  }
  const char* path = PmemHeap::file()->path();
  Klass* rk = checked_klass(reg);
  if (rk != Universe::objectArrayKlassObj() || reg->length() % 2 != 0) {
    jio_snprintf(err, err_len, "%s is damaged: the enum registry at " PTR_FORMAT " is not an Object[] of pairs",
                 path, p2i(reg));
    return false;
  }
  for (int i = 0; i < reg->length(); i += 2) {
    // Read before references are relocated: values of the last placement.
    oop t = PmemRelocate::load(element_addr(reg, i));
    oop n = PmemRelocate::load(element_addr(reg, i + 1));
    Klass* tk = t != NULL ? checked_klass(t) : NULL;
    Klass* nk = n != NULL ? checked_klass(n) : NULL;
    InstanceKlass* e = tk == NULL ? NULL : declaring_enum(tk->is_objArray_klass()
                                                          ? ObjArrayKlass::cast(tk)->element_klass() : tk);
    if (e == NULL || (n == NULL) != tk->is_objArray_klass() ||
        (n != NULL && nk != Universe::typeArrayKlassObj(T_CHAR))) {
      jio_snprintf(err, err_len, "%s is damaged: entry %d of the enum registry at " PTR_FORMAT
                   " is not an enum constant and its name", path, i / 2, p2i(reg));
      return false;
    }
    // The constants in declaration order, as compilers emit their fields
    // and number them.
    ResourceMark rm;
    const char* name = n == NULL ? NULL : utf8_of((typeArrayOop)n);
    int index = -1;
    int constants = 0;
    for (JavaFieldStream fs(e); !fs.done(); fs.next()) {
      if (fs.access_flags().is_static() && (fs.access_flags().as_int() & JVM_ACC_ENUM) != 0) {
        if (name != NULL && fs.name()->equals(name)) index = constants;
        constants++;
      }
    }
    if (n == NULL) {
      if (objArrayOop(t)->length() != constants) {
        jio_snprintf(err, err_len, "%s holds EnumMaps or EnumSets of enum %s, which had %d constants then and "
                     "has %d now: adding constants to such an enum is not supported yet", path,
                     e->external_name(), objArrayOop(t)->length(), constants);
        return false;
      }
      continue;
    }
    find_offsets(e);
    if (index < 0) {
      jio_snprintf(err, err_len, "%s holds the enum constant %s.%s, which class %s no longer has "
                   "(restore the constant, or remove what refers to it with the class of the last run)",
                   path, e->external_name(), name, e->external_name());
      return false;
    }
    if (index != t->int_field(_ordinal_offset)) {
      jio_snprintf(err, err_len, "%s holds the enum constant %s.%s as ordinal %d, which is %d now: "
                   "constants of an enum stored in the persistent heap may only be added at the end",
                   path, e->external_name(), name, t->int_field(_ordinal_offset), index);
      return false;
    }
  }
  return true;
}

void PmemEnums::reset() {
  init_lists();
  objArrayOop reg = registry();
  if (reg == NULL) {
    return;
  }
  for (int i = 0; i < reg->length(); i += 2) {
    oop t = reg->obj_at(i);
    typeArrayOop n = (typeArrayOop)reg->obj_at(i + 1);
    if (n == NULL) {
      continue;   // a universe: holds twins only
    }
    InstanceKlass* e = declaring_enum(t->klass());
    find_offsets(e);
    ref_fields_do(t, [&](void* p) {
      if (UseCompressedOops) *(narrowOop*)p = CompressedOops::encode((oop)NULL); else *(oop*)p = NULL;
    });
    const unsigned h = n->length() > 0 ? java_lang_String::hash_code(n->char_at_addr(0), n->length())
                                       : java_lang_String::hash_code((const jchar*)NULL, 0);
    t->set_mark(twin_mark(t->klass(), stable_hash_of(e->name(), h)));
    PmemWriteback::flush(cast_from_oop<void*>(t), t->size() * HeapWordSize);
    _twins->append(t);
  }
  PmemWriteback::drain();
}

bool PmemEnums::rebind(char* err, size_t err_len, TRAPS) {
  objArrayOop reg = registry();
  if (reg == NULL) {
    return true;
  }
  ResourceMark rm(THREAD);
  HandleMark hm(THREAD);
  const char* path = PmemHeap::file()->path();
  GrowableArray<Handle> from;
  GrowableArray<oop> to;
  GrowableArray<oop> copy_to;
  GrowableArray<Handle> copy_from;
  for (int i = 0; i < registry()->length(); i += 2) {
    oop t = registry()->obj_at(i);
    typeArrayOop n = (typeArrayOop)registry()->obj_at(i + 1);
    if (n == NULL) {
      continue;
    }
    InstanceKlass* e = declaring_enum(t->klass());
    e->initialize(THREAD);
    if (HAS_PENDING_EXCEPTION) {
      CLEAR_PENDING_EXCEPTION;
      jio_snprintf(err, err_len, "%s holds constants of enum %s, whose initialization failed",
                   path, e->external_name());
      return false;
    }
    t = registry()->obj_at(i);
    n = (typeArrayOop)registry()->obj_at(i + 1);
    const char* name = utf8_of(n);
    oop c = NULL;
    for (JavaFieldStream fs(e); !fs.done(); fs.next()) {
      if (fs.access_flags().is_static() && (fs.access_flags().as_int() & JVM_ACC_ENUM) != 0 &&
          fs.name()->equals(name)) {
        c = e->java_mirror()->obj_field(fs.offset());
        break;
      }
    }
    if (c == t) {
      continue;   // a deferred attach that ran before
    }
    if (c == NULL || !is_volatile(c) || c->klass() != t->klass() ||
        c->int_field(_ordinal_offset) != t->int_field(_ordinal_offset)) {
      jio_snprintf(err, err_len, "%s holds the enum constant %s.%s as ordinal %d of class %s; this run's is %s%d "
                   "of class %s: the constants of an enum stored in the persistent heap may only be added at the end",
                   path, e->external_name(), name, t->int_field(_ordinal_offset), t->klass()->external_name(),
                   c == NULL ? "missing, " : "ordinal ", c == NULL ? -1 : c->int_field(_ordinal_offset),
                   c == NULL ? "-" : c->klass()->external_name());
      return false;
    }
    copy_from.append(Handle(THREAD, c));
    copy_to.append(t);
  }
  // The universes of EnumMaps and EnumSets: this run's Class.enumConstants.
  for (int i = 0; i < registry()->length(); i += 2) {
    oop u = registry()->obj_at(i);
    if (registry()->obj_at(i + 1) != NULL) {
      continue;
    }
    InstanceKlass* e = InstanceKlass::cast(ObjArrayKlass::cast(u->klass())->element_klass());
    oop cur = e->java_mirror()->obj_field(constants_offset());
    if (cur != u) {
      if (is_volatile(cur)) {
        from.append(Handle(THREAD, cur));
        to.append(u);
      }
      e->java_mirror()->obj_field_put_raw(constants_offset(), u);
    }
  }
  // Each twin takes the fields this run's constant got from its class's
  // initializer (its name, its ordinal, what its constructor stored).
  for (int i = 0; i < copy_from.length(); i++) {
    copy_body(copy_from.at(i)(), copy_to.at(i));
    from.append(copy_from.at(i));
    to.append(copy_to.at(i));
  }
  const size_t refs = replace(&from, &to);
  if (!from.is_empty()) {
    log_info(gc, pmem)("Enums: %d persistent constant(s) and universe(s) bound to this run, " SIZE_FORMAT
                       " reference(s) replaced (%.1f ms)", from.length(), refs, _replace_nanos / 1e6);
  }
  return true;
}

// -- collections ----------------------------------------------------------------

void PmemEnums::oops_do(OopClosure* cl) {
  if (_twins == NULL) {
    return;
  }
  for (int i = 0; i < _twins->length(); i++) {
    ref_fields_do(_twins->at(i), [&](void* p) {
      if (is_volatile(load_at(p))) {
        if (UseCompressedOops) cl->do_oop((narrowOop*)p); else cl->do_oop((oop*)p);
      }
    });
  }
}

void PmemEnums::objects_do(void f(oop)) {
  if (_held == NULL) {
    return;
  }
  for (int i = 0; i < _held->length(); i++) {
    f(_held->at(i));
  }
}

void PmemEnums::twins_moved(oop forward(oop)) {
  assert(_held == NULL || _held->is_empty(), "no promotion under way");
  if (_twins != NULL) {
    for (int i = 0; i < _twins->length(); i++) {
      _twins->at_put(i, forward(_twins->at(i)));
    }
  }
}

int PmemEnums::count() {
  return _twins == NULL ? 0 : _twins->length();
}
