#!/bin/bash
# Transaction and allocation cost per persistence domain: TxnBench and
# AllocBench on build/jdk in each write-back mode, LLPL's TxnBench beside
# them (emulated pmem for LLPL: PMEM_IS_PMEM_FORCE=1). Files on /dev/shm:
#   emulated            PMEM_IS_PMEM_FORCE=1: cache-line write-back and fence
#   cpu-cache           -XX:PmemPersistenceDomain=cpu-cache: fences only (eADR)
#   memory-file-system  tmpfs detected: fences only, survives process crashes
#   msync               -XX:PmemPersistenceDomain=msync
# Extra JMH options may follow, e.g. ./run-domains.sh -f 1 -wi 2 -i 3
. "$(dirname "$0")/common.sh"
HEAP=${HEAP:-/dev/shm/bench-domain.heap}
LLPL_HEAP=${LLPL_HEAP:-/dev/shm/bench-llpl.heap}
bench_out domains
VM="-XX:+UsePersistentHeap -XX:PmemFile=$HEAP -XX:PmemSize=256m"

run_mode() { # name env-force(0/1) extra-flags [JMH options...]
  local name=$1 force=$2 flags=$3
  shift 3
  rm -f "$HEAP"
  if [ "$force" = 1 ]; then export PMEM_IS_PMEM_FORCE=1; else unset PMEM_IS_PMEM_FORCE; fi
  run_jmh "pmem-jdk $name" "$PMEM_JDK" 'pmemjdk\.bench\.(TxnBench|AllocBench)\.' "$name" "$VM $flags" "$@"
}
run_mode emulated 1 "" "$@"
run_mode cpu-cache 0 "-XX:PmemPersistenceDomain=cpu-cache" "$@"
run_mode memory-file-system 0 "" "$@"
run_mode msync 0 "-XX:PmemPersistenceDomain=msync" "$@"
rm -f "$HEAP"
export PMEM_IS_PMEM_FORCE=1
run_jmh LLPL "$LLPL_JDK" 'pmemjdk\.bench\.(LlplTxnBench|LlplAllocBench)\.' llpl "-Dllpl.heap=$LLPL_HEAP" "$@"
rm -f "$LLPL_HEAP"

python3 compare.py emulated="$OUT/emulated.csv" cpu-cache="$OUT/cpu-cache.csv" \
    memory-fs="$OUT/memory-file-system.csv" msync="$OUT/msync.csv" LLPL="$OUT/llpl.csv" \
    --ratio cpu-cache/LLPL | tee "$OUT/table.md"
