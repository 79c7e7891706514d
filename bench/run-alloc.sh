#!/bin/bash
# Allocation cost, one thread, emulated pmem (heap files on /dev/shm,
# PMEM_IS_PMEM_FORCE=1: libpmem, and pmem-jdk's compiled code, write back
# with cache-line flush instructions and a fence):
#   pmem-jdk  AllocBench: new and pnew/pmake in one JVM with -XX:+UsePersistentHeap
#   LLPL      LlplAllocBench (LLPL 1.2.0 PersistentHeap, alloc + free) on the stock JDK 17
# Prints ns/op with the ratios pnew/new (goal <= 2) and LLPL/pnew (goal >= 40).
# ~1 min. Extra JMH options may follow, e.g. ./run-alloc.sh -f 3
. "$(dirname "$0")/common.sh"
HEAP=${HEAP:-/dev/shm/bench-alloc.heap}
LLPL_HEAP=${LLPL_HEAP:-/dev/shm/bench-llpl-alloc.heap}
bench_out alloc
export PMEM_IS_PMEM_FORCE=1

rm -f "$HEAP"
run_jmh pmem-jdk "$PMEM_JDK" 'pmemjdk\.bench\.AllocBench\.' pmem-jdk \
    "-XX:+UsePersistentHeap -XX:PmemFile=$HEAP -XX:PmemSize=1g" "$@"
rm -f "$HEAP"
run_jmh LLPL "$LLPL_JDK" 'pmemjdk\.bench\.LlplAllocBench\.' llpl "-Dllpl.heap=$LLPL_HEAP" "$@"
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
for what, n, p in (("small (32 B)", "newSmall", "pnewSmall"), ("small, two fields set", "newSmallInit", "pnewSmallInit"),
                   ("long[64]", "newLongs64", "pmakeLongs64")):
    if p in ll:
        print(f"| {what} | {cell(pj, n)} | {cell(pj, p)} | {cell(ll, p)} | {pj[p][0] / pj[n][0]:.2f} | {ll[p][0] / pj[p][0]:.1f} |")
    else:
        print(f"| {what} | {cell(pj, n)} | {cell(pj, p)} | - | {pj[p][0] / pj[n][0]:.2f} | - |")
print(f"| small, set, then linked by a txn | - | {cell(pj, 'pnewThenTxn')} | - | - | - |")
PY
echo "raw results: $OUT" >&2
