#!/bin/bash
# Brings build/jdk up to date: overlay (copies only changed files), configure
# when its inputs changed, then OpenJDK's incremental `make images`.
. "$(dirname "$0")/common.sh"

bash "$PMEM_ROOT/make/overlay.sh"

want="$({ cat "$PMEM_ROOT/configure"; [ -f "$PMEM_CACHE/configure.extra" ] && cat "$PMEM_CACHE/configure.extra"; echo; echo "$UPSTREAM_VERSION"; } | sha256sum)"
if [ ! -f "$BUILD_DIR/spec.gmk" ] || [ "$(cat "$BUILD_DIR/.pmem-configured" 2>/dev/null)" != "$want" ]; then
  bash "$PMEM_ROOT/configure"
fi

note "building the JDK in $BUILD_DIR (log: $PMEM_CACHE/build.log)"
start=$(date +%s)
set +e
make -C "$BUILD_DIR" jdk-image JOBS="$(nproc)" 2>&1 | tee "$PMEM_CACHE/build.log" \
  | grep --line-buffered -E '^(Compiling|Creating|Building target|Finished building|ERROR)|error:'
rc=${PIPESTATUS[0]}
set -e
if [ "$rc" != 0 ]; then
  grep -E 'error:|Error [0-9]|ERROR' "$PMEM_CACHE/build.log" | head -20 >&2
  die "the JDK build failed, see $PMEM_CACHE/build.log"
fi
bash "$PMEM_ROOT/make/jpmem.sh"   # the offline heap-file inspector, into the image
mkdir -p "$PMEM_ROOT/build"
ln -sfn "$BUILD_DIR/images/jdk" "$PMEM_ROOT/build/jdk"
# Like Debian's own package, trust the system's CA store (ca-certificates-java,
# which the boot JDK pulls in), so tools such as Maven work on this JDK.
if [ -f /etc/ssl/certs/java/cacerts ]; then
  ln -sfn /etc/ssl/certs/java/cacerts "$BUILD_DIR/images/jdk/lib/security/cacerts"
fi
note "build/jdk is ready ($(( $(date +%s) - start ))s): $("$PMEM_ROOT/build/jdk/bin/java" -version 2>&1 | sed -n 2p)"
