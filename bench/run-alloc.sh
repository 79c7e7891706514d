#!/bin/bash
# Allocation cost, one thread, emulated pmem (heap files on /dev/shm,
# PMEM_IS_PMEM_FORCE=1: libpmem, and pmem-jdk's compiled code, write back
# with cache-line flush instructions and a fence):
#   pmem-jdk  AllocBench: new and pnew/pmake in one JVM with -XX:+UsePersistentHeap
#   LLPL      LlplAllocBench (LLPL 1.2.0 PersistentHeap, alloc + free) on the stock JDK 17
# Prints ns/op with the ratios pnew/new (goal <= 2) and LLPL/pnew (goal >= 40).
# ~1 min. Extra JMH options may follow, e.g. ./run-alloc.sh -f 3
set -euo pipefail
cd "$(dirname "$0")"
PMEM_JDK=${PMEM_JDK:-$(cd .. && pwd)/build/jdk}
LLPL_JDK=${LLPL_JDK:-/usr/lib/jvm/java-17-openjdk-amd64}
HEAP=${HEAP:-/dev/shm/bench-alloc.heap}
LLPL_HEAP=${LLPL_HEAP:-/dev/shm/bench-llpl-alloc.heap}
JAR=target/benchmarks.jar
[ -f "$JAR" ] || mvn -q package
OUT=${OUT:-target/results/alloc-$(date +%Y%m%d-%H%M%S)}
mkdir -p "$OUT"
export PMEM_IS_PMEM_FORCE=1

echo "=== pmem-jdk: $PMEM_JDK" >&2
rm -f "$HEAP"
"$PMEM_JDK/bin/java" -jar "$JAR" 'pmemjdk\.bench\.AllocBench\.' -rf csv -rff "$OUT/pmem-jdk.csv" \
    -jvmArgsAppend "-XX:+UsePersistentHeap -XX:PmemFile=$HEAP -XX:PmemSize=1g" "$@" \
    > "$OUT/pmem-jdk.log" 2>&1 || { tail -30 "$OUT/pmem-jdk.log" >&2; exit 1; }
rm -f "$HEAP"

echo "=== LLPL on $LLPL_JDK" >&2
"$LLPL_JDK/bin/java" -jar "$JAR" 'pmemjdk\.bench\.LlplAllocBench\.' -rf csv -rff "$OUT/llpl.csv" \
    -jvmArgsAppend "-Dllpl.heap=$LLPL_HEAP" "$@" \
    > "$OUT/llpl.log" 2>&1 || { tail -30 "$OUT/llpl.log" >&2; exit 1; }
rm -f "$LLPL_HEAP"

python3 - "$OUT/pmem-jdk.csv" "$OUT/llpl.csv" <<'PY' | tee "$OUT/table.md"
import csv, sys
def load(p):
    with open(p, newline="") as f:
        return {r["Benchmark"].rsplit(".", 1)[-1]: (float(r["Score"]), r["Score Error (99.9%)"]) for r in csv.DictReader(f)}
pj, ll = load(sys.argv[1]), load(sys.argv[2])
def cell(d, k):
    s, e = d[k]
    return f"{s:.1f} ± {float(e):.1f}"
print("| object | new (ns/op) | pnew/pmake (ns/op) | LLPL alloc+free (ns/op) | pnew/new | LLPL/pnew |")
print("|---|---|---|---|---|---|")
for what, n, p in (("small (32 B)", "newSmall", "pnewSmall"), ("long[64]", "newLongs64", "pmakeLongs64")):
    print(f"| {what} | {cell(pj, n)} | {cell(pj, p)} | {cell(ll, p)} | {pj[p][0] / pj[n][0]:.2f} | {ll[p][0] / pj[p][0]:.1f} |")
PY
echo "raw results: $OUT" >&2
