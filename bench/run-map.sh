#!/bin/bash
# A durable String -> byte[] map (issue 21 item 6): 16-byte keys, 100-byte
# values, one put per transaction (or commit, or synced write), then random
# gets, MapBench in one JVM per store, all files on /dev/shm (emulated
# pmem, PMEM_IS_PMEM_FORCE=1):
#   pmem-jdk   a java.util.HashMap in the persistent heap (build/jdk)
#   HashMap    a volatile java.util.HashMap on the stock JDK 17 (gets' baseline)
#   MVStore    H2 2.2.224, commit per put
#   RocksDB    rocksdbjni 10.10.1.1, WAL synced per put
#   MapDB      3.1.0 with transactions, commit per put
#   Chronicle  Chronicle Map 3.25ea6 persisted to a file (not durable per put)
# N=1000000 by default; a peer's puts stop after PUT_SECONDS (60).
# Prints a table with put and get rates and the ratios the goals name.
. "$(dirname "$0")/common.sh"
N=${N:-1000000}
PUT_SECONDS=${PUT_SECONDS:-60}
DIR=${DIR:-/dev/shm/bench-map}
STOCK_JDK=${STOCK_JDK:-/usr/lib/jvm/java-17-openjdk-amd64}
bench_out map
export PMEM_IS_PMEM_FORCE=1
OPENS="--add-opens java.base/java.lang=ALL-UNNAMED --add-opens java.base/java.lang.reflect=ALL-UNNAMED
  --add-opens java.base/java.nio=ALL-UNNAMED --add-opens java.base/sun.nio.ch=ALL-UNNAMED
  --add-opens java.base/jdk.internal.misc=ALL-UNNAMED --add-exports java.base/jdk.internal.ref=ALL-UNNAMED
  --add-exports java.base/sun.nio.ch=ALL-UNNAMED --add-exports java.base/jdk.internal.misc=ALL-UNNAMED
  --add-exports jdk.unsupported/sun.misc=ALL-UNNAMED --add-opens jdk.compiler/com.sun.tools.javac=ALL-UNNAMED --add-exports jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED --add-opens jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED
  --add-opens java.base/java.io=ALL-UNNAMED --add-opens java.base/java.util=ALL-UNNAMED"

one() { # store jdk jvmargs...   (store pmem-fs: MapBench's pmem, labelled apart)
  local store=$1 jdk=$2; shift 2
  rm -rf "$DIR"; mkdir -p "$DIR"
  echo "=== $store: $jdk/bin/java $*" >&2
  "$jdk/bin/java" -Xmx6g "$@" -Dmap.putSeconds="$PUT_SECONDS" -cp "$JAR" pmemjdk.bench.MapBench "${store%-fs}" "$DIR" "$N" \
      > "$OUT/$store.log" 2>&1 || { tail -20 "$OUT/$store.log" >&2; echo "RESULT $store 0 0 0" >> "$OUT/$store.log"; }
  grep '^RESULT' "$OUT/$store.log" | tail -1 | sed "s/^RESULT [^ ]*/RESULT $store/" | tee -a "$OUT/results.txt" >&2
}

: > "$OUT/results.txt"
one pmem "$PMEM_JDK" -XX:+UsePersistentHeap -XX:PmemFile="$DIR/map.heap" -XX:PmemSize=2g \
    --add-exports java.base/jdk.internal.pmem=ALL-UNNAMED
# The same in the memory-file-system persistence domain (fences only): on
# tmpfs the guarantee the peers' synced writes have there.
(unset PMEM_IS_PMEM_FORCE; one pmem-fs "$PMEM_JDK" -XX:+UsePersistentHeap -XX:PmemFile="$DIR/map.heap" -XX:PmemSize=2g \
    --add-exports java.base/jdk.internal.pmem=ALL-UNNAMED)
one hashmap "$STOCK_JDK"
one mvstore "$STOCK_JDK"
one rocksdb "$STOCK_JDK"
one mapdb "$STOCK_JDK"
# shellcheck disable=SC2086
one chronicle "$STOCK_JDK" -Dchronicle.analytics.disable=true $OPENS
rm -rf "$DIR"

python3 - "$OUT/results.txt" <<'PY' | tee "$OUT/table.md"
import sys
rows = {}
for line in open(sys.argv[1]):
    _, store, puts, put, get = line.split()
    rows[store] = (int(puts), float(put), float(get))
print("| store | puts done | puts/s | gets/s |")
print("|---|---|---|---|")
for s, (n, p, g) in rows.items():
    print(f"| {s} | {n} | {p:,.0f} | {g:,.0f} |")
durable = {s: v for s, v in rows.items() if s in ("mvstore", "rocksdb", "mapdb") and v[1] > 0}
if "pmem" in rows and durable:
    best = max(durable, key=lambda s: durable[s][1])
    print(f"\nput: pmem-jdk / fastest durable peer ({best}) = {rows['pmem'][1] / durable[best][1]:.2f}x (goal >= 5x)")
    if "pmem-fs" in rows:
        print(f"put, fences only: pmem-jdk / {best} = {rows['pmem-fs'][1] / durable[best][1]:.2f}x")
if "pmem" in rows and "hashmap" in rows and rows["pmem"][2] > 0:
    print(f"get: volatile HashMap / pmem-jdk = {rows['hashmap'][2] / rows['pmem'][2]:.2f}x (goal <= 1.5x)")
PY
