#!/bin/bash
# Runs pmem-jdk's demos: HelloPmem, then the persistent linked list three
# times in a row on one new heap file. In a tarball (pmem/demo.sh) it uses
# the JDK it lies in; make/demo.sh runs it on build/jdk.
#   demo.sh [HEAP_DIR]   (default /dev/shm, else a temporary directory)
# Settings make/demo.sh passes: PMEM_JDK, PMEM_DEMO_EXAMPLES (the examples
# directory), PMEM_DEMO_CLASSES and PMEM_DEMO_HEAP (kept afterwards; else
# temporary).
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
JDK="${PMEM_JDK:-$(cd "$HERE/.." && pwd)}"
EXAMPLES="${PMEM_DEMO_EXAMPLES:-$HERE/examples}"
[ -x "$JDK/bin/java" ] || { echo "demo.sh: no JDK at $JDK" >&2; exit 1; }
CLASSES="${PMEM_DEMO_CLASSES:-}"
HEAP="${PMEM_DEMO_HEAP:-}"
cleanup=()
if [ -z "$CLASSES" ]; then CLASSES="$(mktemp -d)"; cleanup+=("$CLASSES"); fi
if [ -z "$HEAP" ]; then
  DIR="${1:-/dev/shm}"
  [ -d "$DIR" ] && [ -w "$DIR" ] || DIR="$(mktemp -d)"
  HEAP="$DIR/pmem-demo-$(id -u)-$$.heap"
  cleanup+=("$HEAP")
fi
trap 'rm -rf ${cleanup[@]+"${cleanup[@]}"}' EXIT
mkdir -p "$CLASSES"
EXPORTS=(--add-exports java.base/jdk.internal.pmem=ALL-UNNAMED)
"$JDK/bin/javac" "${EXPORTS[@]}" -d "$CLASSES" "$EXAMPLES/hello/HelloPmem.java" \
    "$EXAMPLES/linkedlist/LinkedListDemo.java"
RUN=("$JDK/bin/java" -XX:+UsePersistentHeap -XX:PmemFile="$HEAP" -XX:PmemSize=64m "${EXPORTS[@]}" -cp "$CLASSES")
echo "demo: java -XX:+UsePersistentHeap -XX:PmemFile=$HEAP HelloPmem"
"${RUN[@]}" HelloPmem
rm -f "$HEAP"
echo "demo: the persistent linked list, three JVMs in a row on a new $HEAP"
for i in 1 2 3; do
  "${RUN[@]}" LinkedListDemo
done
[ -n "${PMEM_DEMO_HEAP:-}" ] && echo "demo: run it again to see the list grow: ${RUN[*]} LinkedListDemo"
exit 0
