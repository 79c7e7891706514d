#!/bin/bash
# Runs chosen tests of our jtreg suite against build/jdk, for development:
#   make/jt.sh TestTxn [TestFlags ...]
# (make test runs them all). Logs under $PMEM_JDK_CACHE/jtreg/dev.
. "$(dirname "$0")/common.sh"
[ $# -ge 1 ] || die "usage: make/jt.sh TEST..."
bash "$PMEM_ROOT/make/overlay.sh" >/dev/null
dir="$PMEM_CACHE/jtreg/dev"; rm -rf "$dir"; mkdir -p "$dir"
tests=(); for t in "$@"; do tests+=("pmem/$t.java"); done
mkdir -p "${PMEM_TMP:-/dev/shm}"
cd "$TREE_DIR/test/hotspot/jtreg" && jtreg -jdk:"$PMEM_ROOT/build/jdk" -w:"$dir/work" -r:"$dir/report" \
  -agentvm -timeoutFactor:4 -v:fail,error,summary -noreport \
  -javaoption:-Djava.io.tmpdir="${PMEM_TMP:-/dev/shm}" "${tests[@]}"
