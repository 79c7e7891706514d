#!/bin/bash
# examples/docstore against what a Java developer would write instead
# (issue 21 item 7), DocBench in one JVM per store and phase, files on
# /dev/shm (emulated pmem, PMEM_IS_PMEM_FORCE=1):
#   pmem      examples/docstore on build/jdk (java.util collections in the
#             persistent heap, one Pmem.txn per insert)
#   jsonlog   the same maps, volatile, each insert appended to a JSON-lines
#             file and forced (FileChannel.force); a restart parses the file
#   jsonfile  TinyDB's way: the whole collection rewritten as one JSON file
#             per insert (forced, renamed into place)
#   h2        H2 2.2.224 embedded: the document text and an indexed city
#             column, autocommit
# For each N in SIZES: N inserts (a store stops after INSERT_SECONDS), then
# 100,000 finds by an indexed field, then a restart in a new JVM: time from
# the JVM's start to the first find answered.
. "$(dirname "$0")/common.sh"
SIZES=${SIZES:-"100000 1000000"}
INSERT_SECONDS=${INSERT_SECONDS:-60}
DIR=${DIR:-/dev/shm/bench-doc}
STOCK_JDK=${STOCK_JDK:-/usr/lib/jvm/java-17-openjdk-amd64}
bench_out docstore
export PMEM_IS_PMEM_FORCE=1

one() { # store n jdk jvmargs...
  local store=$1 n=$2 jdk=$3; shift 3
  rm -rf "$DIR"; mkdir -p "$DIR"
  echo "=== $store N=$n: $jdk/bin/java $*" >&2
  local k=0
  for phase in load restart restart; do
    k=$((k + 1))
    "$jdk/bin/java" -Xmx8g "$@" -Ddoc.insertSeconds="$INSERT_SECONDS" -cp "$JAR" pmemjdk.bench.DocBench \
        "$store" "$DIR" "$n" $phase > "$OUT/$store-$n-$phase$k.log" 2>&1 ||
      { tail -20 "$OUT/$store-$n-$phase$k.log" >&2; echo "FAILED $store $n $phase" >> "$OUT/results.txt"; }
    grep -E '^(RESULT|RESTART)' "$OUT/$store-$n-$phase$k.log" | sed "s/^RESTART/RESTART$k/; s/^/$n /" |
      tee -a "$OUT/results.txt" >&2
  done
}

: > "$OUT/results.txt"
for n in $SIZES; do
  one pmem "$n" "$PMEM_JDK" -XX:+UsePersistentHeap -XX:PmemFile="$DIR/docs.heap" -XX:PmemSize=6g \
      --add-exports java.base/jdk.internal.pmem=ALL-UNNAMED
  one jsonlog "$n" "$STOCK_JDK"
  one jsonfile "$n" "$STOCK_JDK"
  one h2 "$n" "$STOCK_JDK"
done
rm -rf "$DIR"

python3 - "$OUT/results.txt" <<'PY' | tee "$OUT/table.md"
import sys
load, restart = {}, {}
for line in open(sys.argv[1]):
    f = line.split()
    if len(f) < 3 or f[0] == "FAILED":
        continue
    n, kind, store = int(f[0]), f[1], f[2]
    if kind == "RESULT":
        load[(n, store)] = (int(f[3]), float(f[4]), float(f[5]))
    elif kind.startswith("RESTART"):
        restart[(n, store, kind[7:])] = (int(f[3]), float(f[4]), float(f[5]))
print("| N | store | documents | inserts/s | finds/s | 1st restart to first find (ms) | 2nd (ms) | of the 2nd, open (ms) |")
print("|---|---|---|---|---|---|---|---|")
for (n, s), (docs, ins, finds) in sorted(load.items(), key=lambda kv: (kv[0][0], kv[0][1] != "pmem", kv[0][1])):
    r1 = restart.get((n, s, "2"), (0, 0, 0))
    r2 = restart.get((n, s, "3"), (0, 0, 0))
    print(f"| {n:,} | {s} | {docs:,} | {ins:,.0f} | {finds:,.0f} | {r1[1]:,.0f} | {r2[1]:,.0f} | {r2[2]:,.1f} |")
for key in list(restart):
    restart[(key[0], key[1])] = restart[key] if key[2] == "3" else restart.get((key[0], key[1]), restart[key])
for n in sorted({k[0] for k in load}):
    p = load.get((n, "pmem"))
    if not p:
        continue
    for s in ("jsonlog", "jsonfile", "h2"):
        o = load.get((n, s))
        if o and o[1] > 0:
            r1, r2 = restart.get((n, "pmem")), restart.get((n, s))
            rr = f", restart {r2[1] / r1[1]:.1f}x faster" if r1 and r2 and r1[1] > 0 else ""
            print(f"N={n:,}: pmem vs {s}: inserts {p[1] / o[1]:.1f}x, finds {p[2] / o[2]:.1f}x{rr}")
PY
