#!/bin/bash
# Runs the demo from examples/ on build/jdk, with the persistent heap on.
. "$(dirname "$0")/common.sh"
JDK="$PMEM_ROOT/build/jdk"
[ -x "$JDK/bin/java" ] || die "no build/jdk; run make first"
DIR="${PMEM_TEST_DIR:-/dev/shm}"
[ -d "$DIR" ] && [ -w "$DIR" ] || DIR="$PMEM_ROOT/build"
HEAP="$DIR/pmem-demo-$(id -u).heap"
OUT="$PMEM_ROOT/build/examples"
mkdir -p "$OUT"
EXPORTS=(--add-exports java.base/jdk.internal.pmem=ALL-UNNAMED)
"$JDK/bin/javac" "${EXPORTS[@]}" -d "$OUT" "$PMEM_ROOT/examples/hello/HelloPmem.java" \
    "$PMEM_ROOT/examples/linkedlist/LinkedListDemo.java"
RUN=("$JDK/bin/java" -XX:+UsePersistentHeap -XX:PmemFile="$HEAP" -XX:PmemSize=64m "${EXPORTS[@]}" -cp "$OUT")
note "demo: java -XX:+UsePersistentHeap -XX:PmemFile=$HEAP HelloPmem"
"${RUN[@]}" HelloPmem
note "demo: the persistent linked list, three JVMs in a row on a new $HEAP"
rm -f "$HEAP"
for i in 1 2 3; do
  "${RUN[@]}" LinkedListDemo
done
note "run it again to see the list grow: ${RUN[*]} LinkedListDemo"
