#!/bin/bash
# Barrier-cost kernels (BarrierBench) on ordinary objects, in four JVM configs:
#   a        stock Debian JDK 17, default flags (G1)
#   b        pmem-jdk, no flags (G1)
#   c        pmem-jdk -XX:+UsePersistentHeap -XX:PmemFile=/dev/shm/bench-barrier.heap
#            (forces the Serial collector), PMEM_IS_PMEM_FORCE=1
#   a-serial stock JDK 17 with -XX:+UseSerialGC (same collector as c; set
#            NO_SERIAL=1 to skip it)
# Prints a markdown table with ratios b/a, c/a (and c/a-serial). ~1 min per config.
# Extra JMH options may follow, e.g. ./run-barrier.sh -f 3
. "$(dirname "$0")/common.sh"
STOCK_JDK=${STOCK_JDK:-/usr/lib/jvm/java-17-openjdk-amd64}
HEAP=${HEAP:-/dev/shm/bench-barrier.heap}
bench_out barrier
BENCH='pmemjdk\.bench\.BarrierBench\.'

run() { # label jdk jvmArgsAppend [jmh options...]
  local label=$1 jdk=$2 args=$3
  shift 3
  run_jmh "$label" "$jdk" "$BENCH" "$label" "$args" "$@"
}

shift_args=("$@")
run a "$STOCK_JDK" "" ${shift_args[@]+"${shift_args[@]}"}
run b "$PMEM_JDK" "" ${shift_args[@]+"${shift_args[@]}"}
rm -f "$HEAP"
export PMEM_IS_PMEM_FORCE=1
run c "$PMEM_JDK" \
    "-XX:+UsePersistentHeap -XX:PmemFile=$HEAP -XX:PmemSize=256m" ${shift_args[@]+"${shift_args[@]}"}
unset PMEM_IS_PMEM_FORCE
rm -f "$HEAP"
cols=(a="$OUT/a.csv" b="$OUT/b.csv" c="$OUT/c.csv")
ratios=(--ratio b/a --ratio c/a)
if [ -z "${NO_SERIAL:-}" ]; then
  run a-serial "$STOCK_JDK" "-XX:+UseSerialGC" ${shift_args[@]+"${shift_args[@]}"}
  cols+=(a-serial="$OUT/a-serial.csv")
  ratios+=(--ratio c/a-serial)
fi
python3 compare.py "${cols[@]}" "${ratios[@]}" | tee "$OUT/table.md"
echo "raw results: $OUT" >&2
