#!/bin/bash
# Builds the working tree the JDK is compiled from:
#   pristine upstream + pmem-gc-patches/ (in series order) + our new files.
#
# The desired content of every file we manage is first assembled in a
# staging directory; then only files whose content differs from the working
# tree are copied over it. Unchanged files keep their mtime, so OpenJDK's
# make recompiles exactly what changed. Files we managed before but no
# longer do are restored from upstream (or removed if upstream lacks them).
. "$(dirname "$0")/common.sh"

[ -f "$UPSTREAM_DIR/.pmem-unpacked" ] || die "no upstream tree in $UPSTREAM_DIR; run make/fetch.sh first"

if [ ! -f "$TREE_DIR/.pmem-tree" ] || [ "$(cat "$TREE_DIR/.pmem-tree")" != "$UPSTREAM_VERSION" ]; then
  note "creating working tree $TREE_DIR"
  rm -rf "$TREE_DIR"
  cp -a "$UPSTREAM_DIR" "$TREE_DIR"   # the build dir inside it goes too: a new upstream rebuilds all
  rm -f "$TREE_DIR/.pmem-unpacked" "$TREE_DIR/.pmem-managed"
  echo "$UPSTREAM_VERSION" > "$TREE_DIR/.pmem-tree"
fi

STAGE="$PMEM_CACHE/stage"
rm -rf "$STAGE"; mkdir -p "$STAGE"

# 1. Patches: copy the pristine files they touch, then apply in order.
SERIES="$PMEM_ROOT/pmem-gc-patches/series"
patches=()
if [ -f "$SERIES" ]; then
  while read -r p; do
    p="${p%%#*}"; p="$(echo "$p" | xargs)"
    [ -n "$p" ] || continue
    [ -f "$PMEM_ROOT/pmem-gc-patches/$p" ] || die "pmem-gc-patches/series names $p, which does not exist"
    patches+=("$p")
  done < "$SERIES"
fi
for p in "${patches[@]}"; do
  sed -n 's/^+++ b\/\([^[:space:]]*\).*/\1/p' "$PMEM_ROOT/pmem-gc-patches/$p" | while read -r f; do
    if [ -f "$UPSTREAM_DIR/$f" ] && [ ! -f "$STAGE/$f" ]; then
      mkdir -p "$STAGE/$(dirname "$f")"; cp -p "$UPSTREAM_DIR/$f" "$STAGE/$f"
    fi
  done
done
for p in "${patches[@]}"; do
  patch -p1 -d "$STAGE" -s --batch --forward --no-backup-if-mismatch -r - -F 0 \
    < "$PMEM_ROOT/pmem-gc-patches/$p" >"$PMEM_CACHE/patch.log" 2>&1 \
    || { cat "$PMEM_CACHE/patch.log" >&2; die "pmem-gc-patches/$p does not apply to $UPSTREAM_VERSION"; }
done

# 2. Our new files, at the paths they take in the OpenJDK tree.
overlay() { # repo-dir tree-dir
  [ -d "$PMEM_ROOT/$1" ] || return 0
  (cd "$PMEM_ROOT/$1" && find . -type f ! -name '*~' ! -name '.*' -printf '%P\n') | while read -r f; do
    [ -e "$STAGE/$2/$f" ] && die "$1/$f is both patched and overlaid"
    [ -e "$UPSTREAM_DIR/$2/$f" ] && die "$1/$f would replace an upstream file; change it with a patch instead"
    mkdir -p "$STAGE/$2/$(dirname "$f")"; cp -p "$PMEM_ROOT/$1/$f" "$STAGE/$2/$f"
  done
}
overlay src src
overlay test/hotspot/gtest/pmem test/hotspot/gtest/pmem
overlay jtreg-tests test/hotspot/jtreg/pmem

# 3. Sync the staging area into the working tree, by content.
changed=0
NEW_MANIFEST="$PMEM_CACHE/managed.new"
(cd "$STAGE" && find . -type f -printf '%P\n' | sort) > "$NEW_MANIFEST"
while read -r f; do
  if ! cmp -s "$STAGE/$f" "$TREE_DIR/$f"; then
    mkdir -p "$TREE_DIR/$(dirname "$f")"
    cp "$STAGE/$f" "$TREE_DIR/$f"
    changed=$((changed + 1))
  fi
done < "$NEW_MANIFEST"

# 4. Files no longer managed go back to upstream's content.
if [ -f "$TREE_DIR/.pmem-managed" ]; then
  comm -23 "$TREE_DIR/.pmem-managed" "$NEW_MANIFEST" | while read -r f; do
    if [ -f "$UPSTREAM_DIR/$f" ]; then
      cmp -s "$UPSTREAM_DIR/$f" "$TREE_DIR/$f" || cp "$UPSTREAM_DIR/$f" "$TREE_DIR/$f"
    else
      rm -f "$TREE_DIR/$f"
    fi
    note "restored $f"
  done
fi
mv "$NEW_MANIFEST" "$TREE_DIR/.pmem-managed"
note "overlay: ${#patches[@]} patches, $(wc -l < "$TREE_DIR/.pmem-managed") managed files, $changed updated"
