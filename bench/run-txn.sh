#!/bin/bash
# Transaction throughput, one thread, emulated pmem (files on /dev/shm,
# PMEM_IS_PMEM_FORCE=1 so libpmem writes back with cache-line flush
# instructions instead of msync):
#   pmem-jdk  TxnBench on build/jdk -XX:+UsePersistentHeap -XX:PmemFile=/dev/shm/bench-txn.heap
#   LLPL      LlplTxnBench (LLPL 1.2.0 over PMDK libpmemobj 1.12.1) on the
#             stock JDK 17 (LLPL_JDK=... to use another, e.g. build/jdk without flags)
# Prints ops/s side by side with the ratio pmem-jdk/LLPL. ~1 min in all.
# Extra JMH options may follow, e.g. ./run-txn.sh -f 3
. "$(dirname "$0")/common.sh"
HEAP=${HEAP:-/dev/shm/bench-txn.heap}
LLPL_HEAP=${LLPL_HEAP:-/dev/shm/bench-llpl.heap}
bench_out txn
export PMEM_IS_PMEM_FORCE=1

rm -f "$HEAP"
run_jmh pmem-jdk "$PMEM_JDK" 'pmemjdk\.bench\.TxnBench\.' pmem-jdk \
    "-XX:+UsePersistentHeap -XX:PmemFile=$HEAP -XX:PmemSize=256m" "$@"
rm -f "$HEAP"
run_jmh LLPL "$LLPL_JDK" 'pmemjdk\.bench\.LlplTxnBench\.' llpl "-Dllpl.heap=$LLPL_HEAP" "$@"
rm -f "$LLPL_HEAP"

python3 compare.py pmem-jdk="$OUT/pmem-jdk.csv" LLPL="$OUT/llpl.csv" --ratio pmem-jdk/LLPL \
    | tee "$OUT/table.md"

# Durable stores outside a txn (DurableStoreBench): one, four in a run
# (C2 merges the write-backs of stores in one line), four split apart.
rm -f "$HEAP"
run_jmh "pmem-jdk, stores outside a txn" "$PMEM_JDK" 'pmemjdk\.bench\.DurableStoreBench\.' durable \
    "-XX:+UsePersistentHeap -XX:PmemFile=$HEAP -XX:PmemSize=256m" "$@"
rm -f "$HEAP"
python3 - "$OUT/durable.csv" <<'PY' | tee -a "$OUT/table.md"
import csv, sys
with open(sys.argv[1], newline="") as f:
    rows = {r["Benchmark"].rsplit(".", 1)[-1]: (float(r["Score"]), float(r["Score Error (99.9%)"])) for r in csv.DictReader(f)}
print()
print("| stores outside a txn | ns/op | ns per store |")
print("|---|---|---|")
for k, n in (("one", 1), ("run4", 4), ("split4", 4)):
    s, e = rows[k]
    print(f"| {k} | {s:,.1f} ± {e:,.1f} | {s / n:,.1f} |")
print(f"\nsplit4/run4: {rows['split4'][0] / rows['run4'][0]:.2f}")
PY
echo "raw results: $OUT" >&2
