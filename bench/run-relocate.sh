#!/bin/bash
# Relocation time against heap size: for 1e5, 1e6 and 1e7 persistent
# objects (SIZES=...), one JVM builds them (RelocBench), then ROUNDS
# (default 6) JVMs each move the file with -XX:+PmemForceRelocation, which
# by turns takes one step (disjoint addresses), two steps (overlapping: through an
# intermediate placement) and one step across 32 GB (another compressed
# oop encoding). Times are those -Xlog:gc+pmem reports for the rewrite
# alone; the JVM's start is not included. Emulated pmem: /dev/shm with
# PMEM_IS_PMEM_FORCE=1 (cache-line write-back instructions and fences).
set -euo pipefail
cd "$(dirname "$0")"
PMEM_JDK=${PMEM_JDK:-$(cd .. && pwd)/build/jdk}
HEAP=${HEAP:-/dev/shm/bench-relocate.heap}
ROUNDS=${ROUNDS:-6}
SIZES=${SIZES:-"100000 1000000 10000000"}
OUT=${OUT:-target/results/relocate-$(date +%Y%m%d-%H%M%S)}
mkdir -p "$OUT" target/relocate
"$PMEM_JDK/bin/javac" --add-exports java.base/jdk.internal.pmem=ALL-UNNAMED -d target/relocate relocate/RelocBench.java
export PMEM_IS_PMEM_FORCE=1
VM=(--add-exports java.base/jdk.internal.pmem=ALL-UNNAMED -XX:+UsePersistentHeap -XX:PmemFile="$HEAP"
    -XX:PmemSize=2g -Xmx1g -cp target/relocate -Xlog:gc+pmem)

median() { sort -n | awk '{a[NR]=$1} END {if (NR == 0) print "-"; else print a[int((NR+1)/2)]}'; }
printf '| objects | in use, MB | references | one step, ms | two steps, ms | ms per GB (one step) |\n'
printf '|---|---|---|---|---|---|\n'
for n in $SIZES; do
  rm -f "$HEAP"
  "$PMEM_JDK/bin/java" "${VM[@]}" RelocBench build "$n" > "$OUT/build-$n.log" 2>&1 || { tail "$OUT/build-$n.log" >&2; exit 1; }
  used=$(grep -o '[0-9]*K of [0-9]*K in use\|[0-9]*K of [0-9]*K handed out' "$OUT/build-$n.log" | tail -1 | sed 's/K.*//')
  : > "$OUT/moves-$n.log"
  for r in $(seq "$ROUNDS"); do
    "$PMEM_JDK/bin/java" "${VM[@]}" -XX:+UnlockDiagnosticVMOptions -XX:+PmemForceRelocation RelocBench check "$n" \
        >> "$OUT/moves-$n.log" 2>&1 || { tail "$OUT/moves-$n.log" >&2; exit 1; }
  done
  # The bytes in use: from a run that walks the heap (a relocation does).
  used=$(grep -o '[0-9]*K of [0-9]*K in use' "$OUT/moves-$n.log" | tail -1 | sed 's/K.*//')
  refs=$(grep 'Relocated' "$OUT/moves-$n.log" | grep ' 1 step' | head -1 | sed -n 's/.*: \([0-9]*\) references rewritten.*/\1/p')
  one=$(grep 'Relocated' "$OUT/moves-$n.log" | grep ' 1 step' | sed -n 's/.* \([0-9.]*\) ms$/\1/p' | median)
  two=$(grep 'Relocated' "$OUT/moves-$n.log" | grep ' 2 step' | sed -n 's/.* \([0-9.]*\) ms$/\1/p' | median)
  perg=$(awk -v t="$one" -v u="$used" 'BEGIN { if (u > 0 && t != "-") printf "%.0f", t / (u / 1048576.0); else print "-" }')
  printf '| %s | %s | %s | %s | %s | %s |\n' "$n" "$((used / 1024))" "$refs" "$one" "$two" "$perg"
done | tee "$OUT/table.md"
rm -f "$HEAP"
echo "raw logs: $OUT" >&2
