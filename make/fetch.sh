#!/bin/bash
# Fetches the pinned openjdk-17 source package with apt-get source,
# verifies every file against make/upstream.sha256 and unpacks it with
# dpkg-source -x (which applies Debian's own patches) into the cache.
. "$(dirname "$0")/common.sh"

STAMP="$UPSTREAM_DIR/.pmem-unpacked"
if [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$UPSTREAM_VERSION" ]; then
  exit 0
fi

verify() { (cd "$SRC_DIR" && sha256sum --quiet -c "$PMEM_ROOT/make/upstream.sha256") >/dev/null 2>&1; }

mkdir -p "$SRC_DIR"
if ! verify; then
  # apt-get source needs deb-src entries: derive them from the machine's
  # own deb entries, so no registry host is written down here.
  if ! apt-cache showsrc "$UPSTREAM_PKG" 2>/dev/null | grep -qx "Version: $UPSTREAM_VERSION"; then
    SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO=sudo
    for f in /etc/apt/sources.list.d/*.sources; do
      [ -f "$f" ] || continue
      case "$f" in *pmem-jdk-src.sources) continue;; esac
      grep -q '^Types:.*\bdeb\b' "$f" && sed 's/^Types:.*/Types: deb-src/' "$f"
      echo
    done | $SUDO tee /etc/apt/sources.list.d/pmem-jdk-src.sources >/dev/null
    if [ -f /etc/apt/sources.list ]; then
      grep -E '^deb ' /etc/apt/sources.list | sed 's/^deb /deb-src /' \
        | $SUDO tee /etc/apt/sources.list.d/pmem-jdk-src.list >/dev/null || true
    fi
    $SUDO apt-get update -q >/dev/null || die "apt-get update failed; check the network and /etc/apt/sources.list.d/pmem-jdk-src.*"
  fi
  note "fetching $UPSTREAM_PKG $UPSTREAM_VERSION"
  (cd "$SRC_DIR" && apt-get source --download-only -q "$UPSTREAM_PKG=$UPSTREAM_VERSION" >/dev/null 2>&1) \
    || die "could not fetch $UPSTREAM_PKG=$UPSTREAM_VERSION with apt-get source; if the archive dropped this version, pin a new one in make/upstream.conf and make/upstream.sha256"
  verify || die "checksum mismatch for $UPSTREAM_PKG $UPSTREAM_VERSION in $SRC_DIR; delete that directory and run make again, or re-pin make/upstream.sha256 after review"
fi

note "unpacking $UPSTREAM_PKG $UPSTREAM_VERSION into $UPSTREAM_DIR"
rm -rf "$UPSTREAM_DIR" "$UPSTREAM_DIR.tmp"
dsc="$(ls "$SRC_DIR"/*.dsc)"
dpkg-source --no-check -x "$dsc" "$UPSTREAM_DIR.tmp" >"$PMEM_CACHE/unpack.log" 2>&1 \
  || die "dpkg-source -x failed, see $PMEM_CACHE/unpack.log"
mv "$UPSTREAM_DIR.tmp" "$UPSTREAM_DIR"
echo "$UPSTREAM_VERSION" > "$STAMP"
