#!/bin/bash
# Incremental collections of the persistent part against full ones
# (issue 23 item 4), emulated pmem (/dev/shm, PMEM_IS_PMEM_FORCE=1): N old
# persistent nodes (default 1e7), YOUNG new ones per round (default 1e5,
# half linked into random old nodes and array elements, half garbage),
# then a collection: Pmem.collect() (incremental) or System.gc() (full);
# and once more with the linked half as one new list hung off one old node
# (one remembered store per round).
# Prints medians over ROUNDS (default 9) collections of each kind: the
# persistent part's mark and sweep (gc+pmem) and the whole Serial pause
# (which also collects the small volatile heap). ~3 min.
set -euo pipefail
cd "$(dirname "$0")"
PMEM_JDK=${PMEM_JDK:-$(cd .. && pwd)/build/jdk}
HEAP=${HEAP:-/dev/shm/bench-gc-incremental.heap}
N=${N:-10000000}
YOUNG=${YOUNG:-100000}
ROUNDS=${ROUNDS:-9}
OUT=${OUT:-target/results/gc-incremental-$(date +%Y%m%d-%H%M%S)}
mkdir -p "$OUT" target/gc-pause
"$PMEM_JDK/bin/javac" --add-exports java.base/jdk.internal.pmem=ALL-UNNAMED -d target/gc-pause gc-pause/GcIncremental.java
export PMEM_IS_PMEM_FORCE=1
VM=(--add-exports java.base/jdk.internal.pmem=ALL-UNNAMED -XX:+UsePersistentHeap -XX:PmemFile="$HEAP"
    -XX:PmemSize=2g -Xmx1g -Xmn64m -Xlog:gc,gc+pmem -cp target/gc-pause)

median() { sort -n | awk '{a[NR]=$1} END {if (NR == 0) print "-"; else print a[int((NR+1)/2)]}'; }
after_mark() { sed -n '/MARK rounds/,$p' "$1"; }
pmem_field() { # log, line pattern, regex with one number
  after_mark "$1" | grep "Persistent heap collected ($2" | sed -n "s/.*$3.*/\1/p" | median
}
pause() { # log, cause
  after_mark "$1" | grep "Pause Full ($2)" | sed -n 's/.* \([0-9.]*\)ms$/\1/p' | median
}

rm -f "$HEAP"
"$PMEM_JDK/bin/java" "${VM[@]}" GcIncremental "$N" "$YOUNG" "$ROUNDS" > "$OUT/incremental.log" 2>&1 \
  || { tail -20 "$OUT/incremental.log" >&2; exit 1; }
"$PMEM_JDK/bin/java" "${VM[@]}" GcIncremental "$N" "$YOUNG" "$ROUNDS" clustered > "$OUT/clustered.log" 2>&1 \
  || { tail -20 "$OUT/clustered.log" >&2; exit 1; }
"$PMEM_JDK/bin/java" "${VM[@]}" GcIncremental "$N" "$YOUNG" "$ROUNDS" full > "$OUT/full.log" 2>&1 \
  || { tail -20 "$OUT/full.log" >&2; exit 1; }
rm -f "$HEAP"
printf '| collection (%s old nodes, %s new per round) | mark, ms | of which remembered set, ms | sweep, ms | whole pause, ms | remembered lines | freed |\n' "$N" "$YOUNG"
printf '|---|---|---|---|---|---|---|\n'
for kind in incremental clustered; do
  printf '| incremental (Pmem.collect), new objects linked %s | %s | %s | %s | %s | %s | %sK |\n' \
    "$([ $kind = incremental ] && echo 'from random old places' || echo 'as one list from one old node')" \
    "$(pmem_field "$OUT/$kind.log" 'Pmem.collect(), incremental' 'mark \([0-9.]*\)ms')" \
    "$(pmem_field "$OUT/$kind.log" 'Pmem.collect(), incremental' 'remembered set \([0-9.]*\)ms')" \
    "$(pmem_field "$OUT/$kind.log" 'Pmem.collect(), incremental' 'sweep \([0-9.]*\)ms')" \
    "$(pause "$OUT/$kind.log" 'Allocation Failure')" \
    "$(pmem_field "$OUT/$kind.log" 'Pmem.collect(), incremental' ' \([0-9]*\) remembered lines')" \
    "$(pmem_field "$OUT/$kind.log" 'Pmem.collect(), incremental' ' \([0-9]*\)K freed')"
done
printf '| full (System.gc) | %s | - | %s | %s | - | %sK |\n' \
  "$(pmem_field "$OUT/full.log" 'System.gc()' 'mark \([0-9.]*\)ms')" \
  "$(pmem_field "$OUT/full.log" 'System.gc()' 'sweep \([0-9.]*\)ms')" \
  "$(pause "$OUT/full.log" 'System.gc()')" \
  "$(pmem_field "$OUT/full.log" 'System.gc()' ' \([0-9]*\)K freed')"
echo "raw logs: $OUT" >&2
