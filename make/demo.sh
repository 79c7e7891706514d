#!/bin/bash
# Runs the demos from examples/ on build/jdk, with the persistent heap on
# (make/dist-demo.sh, which a tarball ships as pmem/demo.sh). The heap file
# stays, so the list grows when run again.
. "$(dirname "$0")/common.sh"
JDK="$PMEM_ROOT/build/jdk"
[ -x "$JDK/bin/java" ] || die "no build/jdk; run make first"
DIR="${PMEM_TEST_DIR:-/dev/shm}"
[ -d "$DIR" ] && [ -w "$DIR" ] || DIR="$PMEM_ROOT/build"
PMEM_JDK="$JDK" PMEM_DEMO_EXAMPLES="$PMEM_ROOT/examples" PMEM_DEMO_CLASSES="$PMEM_ROOT/build/examples" \
  PMEM_DEMO_HEAP="$DIR/pmem-demo-$(id -u).heap" bash "$PMEM_ROOT/make/dist-demo.sh"
