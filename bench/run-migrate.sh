#!/bin/bash
# Class migration time against heap size: for 1e5, 1e6 and 1e7 persistent
# objects (SIZES=...), one JVM builds a list of Node (a long and two
# references) with version 1 of the class, then a JVM with version 2 (an
# int field added) migrates every node at attach, and a JVM with version 1
# again migrates them back (the field removed). Times are those
# -Xlog:gc+pmem reports for the migration alone. Emulated pmem: /dev/shm
# with PMEM_IS_PMEM_FORCE=1.
set -euo pipefail
cd "$(dirname "$0")"
PMEM_JDK=${PMEM_JDK:-$(cd .. && pwd)/build/jdk}
HEAP=${HEAP:-/dev/shm/bench-migrate.heap}
SIZES=${SIZES:-"100000 1000000 10000000"}
OUT=${OUT:-target/results/migrate-$(date +%Y%m%d-%H%M%S)}
T=target/migrate
mkdir -p "$OUT" "$T/v1" "$T/v2"
echo 'public class Node { public long value; public Node next; public Node other; }' > "$T/v1/Node.java"
echo 'public class Node { public long value; public int extra; public Node next; public Node other; }' > "$T/v2/Node.java"
"$PMEM_JDK/bin/javac" -d "$T/v1" "$T/v1/Node.java"
"$PMEM_JDK/bin/javac" -d "$T/v2" "$T/v2/Node.java"
"$PMEM_JDK/bin/javac" --add-exports java.base/jdk.internal.pmem=ALL-UNNAMED -d "$T" migrate/MigrateBench.java
export PMEM_IS_PMEM_FORCE=1
VM=(--add-exports java.base/jdk.internal.pmem=ALL-UNNAMED -XX:+UsePersistentHeap -XX:PmemFile="$HEAP"
    -XX:PmemSize=3g -Xmx1g -Xlog:gc+pmem)
ms() { sed -n 's/.*Migrated .*: \([0-9]*\) objects.* \([0-9.]*\) ms$/\2/p' "$1"; }
printf '| objects | copies, MB | field added, ms | field removed, ms | ms per GB of copies (added) |\n'
printf '|---|---|---|---|---|\n'
for n in $SIZES; do
  rm -f "$HEAP"
  "$PMEM_JDK/bin/java" "${VM[@]}" -cp "$T:$T/v1" MigrateBench build "$n" > "$OUT/build-$n.log" 2>&1 || { tail "$OUT/build-$n.log" >&2; exit 1; }
  "$PMEM_JDK/bin/java" "${VM[@]}" -cp "$T:$T/v2" MigrateBench check "$n" > "$OUT/add-$n.log" 2>&1 || { tail "$OUT/add-$n.log" >&2; exit 1; }
  "$PMEM_JDK/bin/java" "${VM[@]}" -cp "$T:$T/v1" MigrateBench check "$n" > "$OUT/remove-$n.log" 2>&1 || { tail "$OUT/remove-$n.log" >&2; exit 1; }
  copies=$(sed -n 's/.*fields (\([0-9]*\)K of copies).*/\1/p' "$OUT/add-$n.log")
  add=$(ms "$OUT/add-$n.log"); rem=$(ms "$OUT/remove-$n.log")
  perg=$(awk -v t="$add" -v k="$copies" 'BEGIN { printf "%.0f", t / (k / 1048576.0) }')
  printf '| %s | %s | %s | %s | %s |\n' "$n" "$((copies / 1024))" "$add" "$rem" "$perg"
done | tee "$OUT/table.md"
rm -f "$HEAP"
echo "raw logs: $OUT" >&2
