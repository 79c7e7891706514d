#!/bin/bash
# Conversion time of a change of reference width against heap size: for
# 1e5, 1e6 and 1e7 live persistent objects (SIZES=...), one JVM with
# compressed oops builds them with as many dead objects interleaved
# (CompactBench build: a list whose nodes also point 1000 back, every 16th a
# String), then ROUNDS (default 3) times a JVM with -XX:-UseCompressedOops
# converts the file to wide references and one with +UseCompressedOops
# converts it back; each walks the list. Times are those -Xlog:gc+pmem
# reports for the conversion (undo, mark, place, copy, roots, write-back,
# fsync, rename), and apart from them the time the file system takes to
# free the replaced file's blocks when it is closed (it grows with the
# file's size, not its contents). Emulated pmem: /dev/shm with
# PMEM_IS_PMEM_FORCE=1.
set -euo pipefail
cd "$(dirname "$0")"
PMEM_JDK=${PMEM_JDK:-$(cd .. && pwd)/build/jdk}
HEAP=${HEAP:-/dev/shm/bench-width.heap}
ROUNDS=${ROUNDS:-3}
SIZES=${SIZES:-"100000 1000000 10000000"}
OUT=${OUT:-target/results/width-$(date +%Y%m%d-%H%M%S)}
mkdir -p "$OUT" target/compact
"$PMEM_JDK/bin/javac" --add-exports java.base/jdk.internal.pmem=ALL-UNNAMED -d target/compact compact/CompactBench.java
export PMEM_IS_PMEM_FORCE=1
VM=(--add-exports java.base/jdk.internal.pmem=ALL-UNNAMED -XX:+UsePersistentHeap -XX:PmemFile="$HEAP"
    -XX:PmemSize=3g -Xmx2g -cp target/compact -Xlog:gc+pmem)

median() { sort -n | awk '{a[NR]=$1} END {if (NR == 0) print "-"; else print a[int((NR+1)/2)]}'; }
printf '| live objects | compressed, MB | wide, MB | to wide, ms | back, ms | us per object | old file released, ms |\n'
printf '|---|---|---|---|---|---|---|\n'
for n in $SIZES; do
  rm -f "$HEAP"
  "$PMEM_JDK/bin/java" "${VM[@]}" -XX:+UseCompressedOops CompactBench build "$n" > "$OUT/build-$n.log" 2>&1 \
      || { tail "$OUT/build-$n.log" >&2; exit 1; }
  : > "$OUT/wide-$n.log"; : > "$OUT/back-$n.log"
  for r in $(seq "$ROUNDS"); do
    "$PMEM_JDK/bin/java" "${VM[@]}" -XX:-UseCompressedOops CompactBench walk "$n" >> "$OUT/wide-$n.log" 2>&1 \
        || { tail "$OUT/wide-$n.log" >&2; exit 1; }
    "$PMEM_JDK/bin/java" "${VM[@]}" -XX:+UseCompressedOops CompactBench walk "$n" >> "$OUT/back-$n.log" 2>&1 \
        || { tail "$OUT/back-$n.log" >&2; exit 1; }
  done
  conv() { grep -a 'Converted' "$OUT/$1-$n.log"; }
  narrow=$(conv back | head -1 | sed -n 's/.*, now \([0-9]*\)K).*/\1/p')
  wide=$(conv wide | head -1 | sed -n 's/.*, now \([0-9]*\)K).*/\1/p')
  tw=$(conv wide | sed -n 's/.*; \([0-9.]*\) ms, and.*/\1/p' | median)
  tb=$(conv back | sed -n 's/.*; \([0-9.]*\) ms, and.*/\1/p' | median)
  rel=$(cat "$OUT/wide-$n.log" "$OUT/back-$n.log" | grep -a Converted | sed -n 's/.*and \([0-9.]*\) ms to release.*/\1/p' | median)
  objs=$(conv wide | head -1 | sed -n 's/.*references: \([0-9]*\) objects.*/\1/p')
  per=$(awk -v a="$tw" -v b="$tb" -v o="$objs" 'BEGIN { if (o > 0) printf "%.2f", (a + b) / 2 * 1000 / o; else print "-" }')
  printf '| %s | %s | %s | %s | %s | %s | %s |\n' "$objs" "$((narrow / 1024))" "$((wide / 1024))" "$tw" "$tb" "$per" "$rel"
done | tee "$OUT/table.md"
rm -f "$HEAP"
echo "raw logs: $OUT" >&2
