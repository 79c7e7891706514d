#!/bin/bash
# Writes pmem-gc-patches/NAME.patch from the working tree's versions of
# FILES, diffed against pristine upstream. Edit upstream files in the
# working tree ($PMEM_JDK_CACHE/tree), then run
#   make/mkpatch.sh NAME path/in/tree ...
# and add NAME.patch to pmem-gc-patches/series if it is new.
. "$(dirname "$0")/common.sh"
[ $# -ge 2 ] || die "usage: make/mkpatch.sh NAME FILE..."
name="$1"; shift
out="$PMEM_ROOT/pmem-gc-patches/$name.patch"
: > "$out.tmp"
for f in "$@"; do
  a="$UPSTREAM_DIR/$f"; [ -f "$a" ] || a=/dev/null
  (cd "$PMEM_CACHE" && diff -u --label "a/$f" --label "b/$f" "$a" "$TREE_DIR/$f" >> "$out.tmp") || true
done
[ -s "$out.tmp" ] || { rm -f "$out.tmp"; die "no differences in $*"; }
mv "$out.tmp" "$out"
note "wrote $out ($(grep -c '^[+-][^+-]' "$out") changed lines)"
