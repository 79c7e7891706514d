#!/bin/bash
# pmem-kv against redis-server: redis-benchmark throughput (SET GET INCR LPUSH
# HSET ZADD; -c 1/50, -P 1/16, -d 64/1024) for pmem-kv on emulated pmem
# (/dev/shm, PMEM_IS_PMEM_FORCE=1) and Redis with appendfsync always,
# everysec and no persistence (AOF in build/bench-kv on the project's disk),
# then restart time against data size (1e5, 1e6, 1e7 keys): pmem-kv after
# an orderly stop and after kill -9, Redis reloading its AOF and its RDB.
# Prints the table with ratios; writes results.json, table.md and PNG plots
# to bench/target/results/kv-DATE. About 25 min in all; options go to
# bench/kv/kvbench.py (e.g. --keys 100000,1000000 --skip-throughput).
#
# Installs redis-server and python3-matplotlib (Debian) if missing: the
# benchmark's own dependencies, not the build's.
set -euo pipefail
cd "$(dirname "$0")"
need=()
command -v redis-server >/dev/null || need+=(redis-server)
command -v redis-benchmark >/dev/null || need+=(redis-tools)
# Debian's python3, where python3-matplotlib goes (a python3 earlier on PATH may lack it)
PY=/usr/bin/python3
"$PY" -c 'import matplotlib' 2>/dev/null || need+=(python3-matplotlib)
if [ ${#need[@]} -gt 0 ]; then
  echo "installing ${need[*]}" >&2
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO=sudo
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -q >/dev/null
  # The package's own service would hold port 6379: the benchmark uses its own port.
  $SUDO apt-get install -y -q --no-install-recommends "${need[@]}" >/dev/null
fi
../examples/pmem-kv/bin/pmem-kv --build-only
OUT=${OUT:-target/results/kv-$(date +%Y%m%d-%H%M%S)}
mkdir -p "$OUT"
"$PY" kv/kvbench.py --out "$OUT" "$@"
echo "raw results and plots: bench/$OUT" >&2
