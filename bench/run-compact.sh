#!/bin/bash
# Compaction time against heap size: for 1e5, 1e6 and 1e7 live persistent
# objects (SIZES=...), one JVM builds them with as many dead objects
# interleaved (CompactBench: every other node is garbage, so the used part
# is 50% free in chunks of one node), then ROUNDS (default 3) times a new
# build and a JVM that calls Pmem.compact(). Times are those -Xlog:gc+pmem
# reports for the compaction's three phases (the collection's mark and
# sweep before it are not included). Emulated pmem: /dev/shm with
# PMEM_IS_PMEM_FORCE=1 (cache-line write-back instructions and fences).
set -euo pipefail
cd "$(dirname "$0")"
PMEM_JDK=${PMEM_JDK:-$(cd .. && pwd)/build/jdk}
HEAP=${HEAP:-/dev/shm/bench-compact.heap}
ROUNDS=${ROUNDS:-3}
SIZES=${SIZES:-"100000 1000000 10000000"}
OUT=${OUT:-target/results/compact-$(date +%Y%m%d-%H%M%S)}
mkdir -p "$OUT" target/compact
"$PMEM_JDK/bin/javac" --add-exports java.base/jdk.internal.pmem=ALL-UNNAMED -d target/compact compact/CompactBench.java
export PMEM_IS_PMEM_FORCE=1
VM=(--add-exports java.base/jdk.internal.pmem=ALL-UNNAMED -XX:+UsePersistentHeap -XX:PmemFile="$HEAP"
    -XX:PmemSize=2g -Xmx1g -XX:PmemCompactPercent=100 -cp target/compact -Xlog:gc+pmem)

median() { sort -n | awk '{a[NR]=$1} END {if (NR == 0) print "-"; else print a[int((NR+1)/2)]}'; }
printf '| live objects | live, MB | moved, MB | references | references, ms | slide, ms | references back, ms | total, ms | ms per GB live |\n'
printf '|---|---|---|---|---|---|---|---|---|\n'
for n in $SIZES; do
  : > "$OUT/compact-$n.log"
  for r in $(seq "$ROUNDS"); do
    rm -f "$HEAP"
    "$PMEM_JDK/bin/java" "${VM[@]}" CompactBench build "$n" > "$OUT/build-$n.log" 2>&1 || { tail "$OUT/build-$n.log" >&2; exit 1; }
    "$PMEM_JDK/bin/java" "${VM[@]}" CompactBench compact "$n" >> "$OUT/compact-$n.log" 2>&1 \
        || { tail "$OUT/compact-$n.log" >&2; exit 1; }
  done
  line() { grep 'Persistent heap compacted' "$OUT/compact-$n.log"; }
  live=$(line | head -1 | sed -n 's/.*: \([0-9]*\)K of objects.*/\1/p')
  moved=$(line | head -1 | sed -n 's/.* \([0-9]*\)K moved.*/\1/p')
  refs=$(line | head -1 | sed -n 's/.* \([0-9]*\) references rewritten.*/\1/p')
  p1=$(line | sed -n 's/.*references \([0-9.]*\) ms, slide.*/\1/p' | median)
  p2=$(line | sed -n 's/.*slide \([0-9.]*\) ms.*/\1/p' | median)
  p3=$(line | sed -n 's/.*references back \([0-9.]*\) ms$/\1/p' | median)
  total=$(awk -v a="$p1" -v b="$p2" -v c="$p3" 'BEGIN { printf "%.1f", a + b + c }')
  perg=$(awk -v t="$total" -v u="$live" 'BEGIN { if (u > 0) printf "%.0f", t / (u / 1048576.0); else print "-" }')
  printf '| %s | %s | %s | %s | %s | %s | %s | %s | %s |\n' "$n" "$((live / 1024))" "$((moved / 1024))" "$refs" \
      "$p1" "$p2" "$p3" "$total" "$perg"
done | tee "$OUT/table.md"
rm -f "$HEAP"
echo "raw logs: $OUT" >&2
