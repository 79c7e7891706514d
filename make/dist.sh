#!/bin/bash
# make dist: build/dist/pmem-jdk-<version>-linux-x64.tar.gz and its .sha256.
#
# Laid out like other JDK tarballs: one top directory, pmem-jdk-<version>/,
# holding the JDK image (bin, conf, include, jmods, legal, lib, man,
# release), plus pmem/ with the user guide (README.md), the architecture
# (docs/), the examples' sources and demo.sh, which runs the demos with the
# JDK it is in. The archive is reproducible: names sorted, owner root,
# times those of the last commit, gzip without a name or time.
. "$(dirname "$0")/common.sh"
JDK="$PMEM_ROOT/build/jdk"
[ -x "$JDK/bin/java" ] || die "no build/jdk; run make first"
VERSION="$(sed -n 's/^JAVA_RUNTIME_VERSION="\([^"-]*\).*"$/\1/p' "$JDK/release")"
[ -n "$VERSION" ] || die "no JAVA_RUNTIME_VERSION in $JDK/release"
NAME="pmem-jdk-$VERSION"
TARBALL="$NAME-linux-x64.tar.gz"
OUT="$PMEM_ROOT/build/dist"
STAGE="$PMEM_CACHE/dist-stage"
rm -rf "$STAGE" "$OUT"; mkdir -p "$STAGE/$NAME" "$OUT"
note "dist: staging $NAME"
cp -a "$(readlink -f "$JDK")/." "$STAGE/$NAME/"
P="$STAGE/$NAME/pmem"
mkdir -p "$P/docs"
cp "$PMEM_ROOT/README.pmem.md" "$P/README.md"
cp "$PMEM_ROOT/docs/"*.md "$P/docs/"
# The examples as the repository has them (sources, scripts, tests), no build output.
(cd "$PMEM_ROOT" && git ls-files -z examples 2>/dev/null || find examples -type f -print0) |
  (cd "$PMEM_ROOT" && xargs -0 cp --parents -t "$P")
cp "$PMEM_ROOT/make/dist-demo.sh" "$P/demo.sh"
chmod +x "$P/demo.sh"
when="$(cd "$PMEM_ROOT" && git log -1 --format=%ct 2>/dev/null || date +%s)"
note "dist: packing $TARBALL"
tar --sort=name --owner=0 --group=0 --numeric-owner --mtime="@$when" -C "$STAGE" -cf - "$NAME" |
  gzip -n -6 > "$OUT/$TARBALL"
(cd "$OUT" && sha256sum "$TARBALL" > "$TARBALL.sha256")
rm -rf "$STAGE"
note "dist: $OUT/$TARBALL ($(du -h "$OUT/$TARBALL" | cut -f1)), sha256 $(cut -c1-16 "$OUT/$TARBALL.sha256")..."
