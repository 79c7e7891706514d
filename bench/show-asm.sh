#!/bin/bash
# Prints the C2 code of two hot loops (bench/asm/AsmDemo.java): an inline
# pnew, and a txn of two stores into a persistent long[]. Product builds
# have no PrintOptoAssembly and no hsdis here, so -XX:+PrintAssembly prints
# hex and asm/hotspot-dis.py disassembles it with objdump (binutils).
# Usage: bench/show-asm.sh [alloc|txn]   (default: both)
set -euo pipefail
cd "$(dirname "$0")"
JDK=${PMEM_JDK:-$(cd .. && pwd)/build/jdk}
OUT=${OUT:-target/asm}
HEAP=/dev/shm/bench-asm-$$.heap
mkdir -p "$OUT/classes"
trap 'rm -f "$HEAP"' EXIT
X=(--add-exports java.base/jdk.internal.pmem=ALL-UNNAMED)
"$JDK/bin/javac" "${X[@]}" -d "$OUT/classes" asm/AsmDemo.java
for what in ${1:-alloc txn pair}; do
  case $what in
    alloc) m=allocLoop ;;
    txn) m=txnStore ;;
    pair) m=durablePair ;;
    *) echo "usage: $0 [alloc|txn|pair]" >&2; exit 2 ;;
  esac
  rm -f "$HEAP"
  # -TieredCompilation: straight to C2; the last nmethod printed is the
  # steady state (earlier ones may have been an OSR compile or deoptimized).
  PMEM_IS_PMEM_FORCE=1 "$JDK/bin/java" "${X[@]}" -cp "$OUT/classes" \
      -XX:+UsePersistentHeap -XX:PmemFile="$HEAP" -XX:PmemSize=256m \
      -XX:-TieredCompilation -XX:+UnlockDiagnosticVMOptions \
      -XX:CompileCommand=quiet -XX:CompileCommand=dontinline,AsmDemo::$m \
      -XX:CompileCommand=print,AsmDemo::$m AsmDemo > "$OUT/$m.log"
  echo "=== C2 code of AsmDemo::$m (raw log: bench/$OUT/$m.log)"
  python3 asm/hotspot-dis.py "$OUT/$m.log"
done
