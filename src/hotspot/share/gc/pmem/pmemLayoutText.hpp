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

#ifndef SHARE_GC_PMEM_PMEMLAYOUTTEXT_HPP
#define SHARE_GC_PMEM_PMEMLAYOUTTEXT_HPP

#include "memory/allStatic.hpp"
#include "utilities/globalDefinitions.hpp"
#include "utilities/growableArray.hpp"

#include <stdlib.h>
#include <string.h>

// The layout text a type table entry records for a class (PmemTypeTable::
// describe): "name:signature@offset " per instance field, supers first.
// Class migration and the reference-width conversion read it back.
class PmemLayoutText : AllStatic {
public:
  // One "name:signature@offset" item.
  struct Item {
    const char* name;
    int name_len;
    const char* sig;
    int sig_len;
    int offset;
  };

  // Bytes of a field of signature sig with references of ref_size bytes; -1 if no field type.
  static int field_size(char sig, int ref_size) {
    switch (sig) {
      case 'B': case 'Z': return 1;
      case 'C': case 'S': return 2;
      case 'I': case 'F': return 4;
      case 'J': case 'D': return 8;
      case 'L': case '[': return ref_size;
      default:            return -1;
    }
  }

  // Appends the items of text to out; false if text is malformed.
  static bool parse(const char* text, GrowableArray<Item>* out) {
    const char* p = text;
    while (*p != '\0') {
      const char* end = strchr(p, ' ');
      if (end == NULL) end = p + strlen(p);
      const char* at = NULL;
      const char* colon = NULL;
      for (const char* q = p; q < end; q++) {
        if (*q == '@') at = q;
      }
      for (const char* q = p; q < (at != NULL ? at : end); q++) {
        if (*q == ':') colon = q;
      }
      if (at == NULL || colon == NULL || colon == p || at == colon + 1) {
        return false;
      }
      Item it = { p, (int)(colon - p), colon + 1, (int)(at - colon - 1), atoi(at + 1) };
      if (field_size(*it.sig, 4) < 0 || it.offset <= 0) {
        return false;
      }
      out->append(it);
      p = *end == ' ' ? end + 1 : end;
    }
    return true;
  }
};

#endif // SHARE_GC_PMEM_PMEMLAYOUTTEXT_HPP
