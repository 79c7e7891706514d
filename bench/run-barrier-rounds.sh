#!/bin/bash
# BarrierBench in interleaved rounds, for differences smaller than this
# machine's run-to-run noise: each round runs stock Serial (stock JDK 17,
# -XX:+UseSerialGC), pmem-jdk without the flag (-XX:+UseSerialGC) and
# pmem-jdk with -XX:+UsePersistentHeap, one after the other; the table is
# each kernel's median over the rounds (the minimum in brackets) and the
# ratios to stock Serial. ~3 min per round.
# Usage: bench/run-barrier-rounds.sh [ROUNDS (5)] [KERNEL REGEX (.*)]
. "$(dirname "$0")/common.sh"
STOCK_JDK=${STOCK_JDK:-/usr/lib/jvm/java-17-openjdk-amd64}
HEAP=${HEAP:-/dev/shm/bench-barrier-rounds.heap}
ROUNDS=${1:-5}
RE=${2:-.*}
bench_out barrier-rounds
for r in $(seq 1 "$ROUNDS"); do
  for cfg in serial off on; do
    case $cfg in
      serial) jdk=$STOCK_JDK; args="-XX:+UseSerialGC" ;;
      off)    jdk=$PMEM_JDK; args="-XX:+UseSerialGC" ;;
      on)     jdk=$PMEM_JDK; args="-XX:+UsePersistentHeap -XX:PmemFile=$HEAP -XX:PmemSize=256m" ;;
    esac
    rm -f "$HEAP"
    PMEM_IS_PMEM_FORCE=1 run_jmh "round $r, $cfg" "$jdk" "pmemjdk\\.bench\\.BarrierBench\\.($RE)\$" "$cfg-$r" "$args" \
        -f 1 -wi 3 -w 1 -i 5 -r 1
  done
done
rm -f "$HEAP"
python3 - "$OUT" "$ROUNDS" <<'PY' | tee "$OUT/table.md"
import csv, statistics, sys
out, rounds = sys.argv[1], int(sys.argv[2])
d = {}
for cfg in ("serial", "off", "on"):
    for r in range(1, rounds + 1):
        with open(f"{out}/{cfg}-{r}.csv", newline="") as f:
            for row in csv.DictReader(f):
                d.setdefault((row["Benchmark"].rsplit(".", 1)[-1], cfg), []).append(float(row["Score"]))
print("| kernel (ns/op) | stock Serial | pmem-jdk, flag off | pmem-jdk, flag on | on / Serial | off / Serial |")
print("|---|---|---|---|---|---|")
for k in sorted({k for k, _ in d}):
    med = {c: statistics.median(d[(k, c)]) for c in ("serial", "off", "on")}
    cell = lambda c: f"{med[c]:,.1f} ({min(d[(k, c)]):,.1f})"
    print(f"| {k} | {cell('serial')} | {cell('off')} | {cell('on')} | "
          f"{med['on'] / med['serial']:.2f} | {med['off'] / med['serial']:.2f} |")
PY
echo "raw results: $OUT" >&2
