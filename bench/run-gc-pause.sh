#!/bin/bash
# Full-GC pause against live persistent objects (0, 1e6, 1e7 by default),
# emulated pmem (/dev/shm, PMEM_IS_PMEM_FORCE=1). For each size, one JVM
# (-Xmx512m -Xmn32m, Serial) with the persistent heap on builds the objects
# (kept between runs in the file), then:
#   volatile full GC    "Pause Full (Allocation Failure)": the old generation
#                       filled; persistent objects are live and not traced
#   persistent full GC  "Pause Full (System.gc())": also marks and sweeps the
#                       persistent part (mark and sweep times from gc+pmem)
# and the stock JDK 17 (Serial, same heap) gives the volatile baseline.
# Prints medians over ROUNDS (default 7) pauses per kind. ~3 min in all.
set -euo pipefail
cd "$(dirname "$0")"
PMEM_JDK=${PMEM_JDK:-$(cd .. && pwd)/build/jdk}
STOCK_JDK=${STOCK_JDK:-/usr/lib/jvm/java-17-openjdk-amd64}
HEAP=${HEAP:-/dev/shm/bench-gc-pause.heap}
ROUNDS=${ROUNDS:-7}
SIZES=${SIZES:-"0 1000000 10000000"}
OUT=${OUT:-target/results/gc-pause-$(date +%Y%m%d-%H%M%S)}
mkdir -p "$OUT" target/gc-pause
"$PMEM_JDK/bin/javac" --add-exports java.base/jdk.internal.pmem=ALL-UNNAMED -d target/gc-pause gc-pause/GcPause.java
export PMEM_IS_PMEM_FORCE=1
VM=(-Xmx512m -Xmn32m -Xlog:gc -cp target/gc-pause)

median() { sort -n | awk '{a[NR]=$1} END {if (NR == 0) print "-"; else print a[int((NR+1)/2)]}'; }
pauses() { # log, cause: pause times in ms, between the program's two marks
  sed -n '/MARK volatile-gc/,$p' "$1" | grep "Pause Full ($2)" | sed -n 's/.* \([0-9.]*\)ms$/\1/p' | median
}
field() { # log, regex with one number
  grep "Persistent heap collected (System.gc())" "$1" | sed -n "s/.*$2.*/\1/p" | median
}

"$STOCK_JDK/bin/java" -XX:+UseSerialGC "${VM[@]}" GcPause 0 "$ROUNDS" > "$OUT/stock.log" 2>&1
printf '| live persistent objects | volatile full GC, ms | persistent collection (System.gc), ms | of which mark, ms | sweep, ms | persistent live |\n'
printf '|---|---|---|---|---|---|\n'
printf '| stock JDK 17 Serial (no persistent heap) | %s | %s | - | - | - |\n' \
  "$(pauses "$OUT/stock.log" 'Allocation Failure')" "$(pauses "$OUT/stock.log" 'System.gc()')"
rm -f "$HEAP"
for n in $SIZES; do
  log="$OUT/pmem-$n.log"
  "$PMEM_JDK/bin/java" --add-exports java.base/jdk.internal.pmem=ALL-UNNAMED -XX:+UsePersistentHeap \
      -XX:PmemFile="$HEAP" -XX:PmemSize=1g -Dpmem=true "${VM[@]}" -Xlog:gc+pmem GcPause "$n" "$ROUNDS" > "$log" 2>&1 \
    || { tail -20 "$log" >&2; exit 1; }
  live=$(grep "Persistent heap collected (System.gc())" "$log" | tail -1 | sed -n 's/.*: used \([0-9]*K\) (live.*/\1/p')
  printf '| %s | %s | %s | %s | %s | %s |\n' "$n" \
    "$(pauses "$log" 'Allocation Failure')" "$(pauses "$log" 'System.gc()')" \
    "$(field "$log" 'mark \([0-9.]*\)ms')" "$(field "$log" 'sweep \([0-9.]*\)ms')" "$live"
done | tee "$OUT/table.md"
rm -f "$HEAP"
echo "raw logs: $OUT" >&2
