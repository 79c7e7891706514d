#!/bin/bash
# Transaction throughput, one thread, emulated pmem (files on /dev/shm,
# PMEM_IS_PMEM_FORCE=1 so libpmem writes back with cache-line flush
# instructions instead of msync):
#   pmem-jdk  TxnBench on build/jdk -XX:+UsePersistentHeap -XX:PmemFile=/dev/shm/bench-txn.heap
#   LLPL      LlplTxnBench (LLPL 1.2.0 over PMDK libpmemobj 1.12.1) on the
#             stock JDK 17 (LLPL_JDK=... to use another, e.g. build/jdk without flags)
# Prints ops/s side by side with the ratio pmem-jdk/LLPL. ~1 min in all.
# Extra JMH options may follow, e.g. ./run-txn.sh -f 3
set -euo pipefail
cd "$(dirname "$0")"
PMEM_JDK=${PMEM_JDK:-$(cd .. && pwd)/build/jdk}
LLPL_JDK=${LLPL_JDK:-/usr/lib/jvm/java-17-openjdk-amd64}
HEAP=${HEAP:-/dev/shm/bench-txn.heap}
LLPL_HEAP=${LLPL_HEAP:-/dev/shm/bench-llpl.heap}
JAR=target/benchmarks.jar
[ -f "$JAR" ] || mvn -q package
OUT=${OUT:-target/results/txn-$(date +%Y%m%d-%H%M%S)}
mkdir -p "$OUT"
export PMEM_IS_PMEM_FORCE=1

echo "=== pmem-jdk: $PMEM_JDK" >&2
rm -f "$HEAP"
"$PMEM_JDK/bin/java" -jar "$JAR" 'pmemjdk\.bench\.TxnBench\.' -rf csv -rff "$OUT/pmem-jdk.csv" \
    -jvmArgsAppend "-XX:+UsePersistentHeap -XX:PmemFile=$HEAP -XX:PmemSize=256m" "$@" \
    > "$OUT/pmem-jdk.log" 2>&1 || { tail -30 "$OUT/pmem-jdk.log" >&2; exit 1; }
rm -f "$HEAP"

echo "=== LLPL on $LLPL_JDK" >&2
"$LLPL_JDK/bin/java" -jar "$JAR" 'pmemjdk\.bench\.LlplTxnBench\.' -rf csv -rff "$OUT/llpl.csv" \
    -jvmArgsAppend "-Dllpl.heap=$LLPL_HEAP" "$@" \
    > "$OUT/llpl.log" 2>&1 || { tail -30 "$OUT/llpl.log" >&2; exit 1; }
rm -f "$LLPL_HEAP"

python3 compare.py pmem-jdk="$OUT/pmem-jdk.csv" LLPL="$OUT/llpl.csv" --ratio pmem-jdk/LLPL \
    | tee "$OUT/table.md"
echo "raw results: $OUT" >&2
