#!/bin/bash
# Full sync of an unmodified redis-server replica from pmem-kv and from
# redis-server, same dataset, same run (bench/kv/replbench.py): time until
# the replica is in sync and the master's write pause, at 1e5 and 1e6 keys
# by default (--keys N,M). Needs redis-server and redis-tools (make deps
# installs them).
set -euo pipefail
cd "$(dirname "$0")"
../examples/pmem-kv/bin/pmem-kv --build-only
exec /usr/bin/python3 kv/replbench.py "$@"
