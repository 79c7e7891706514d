#!/bin/bash
# Makes LLPL usable for LlplTxnBench.
# The Maven Central jar com.intel.pmem:llpl:1.2.0-release already carries its
# JNI library (com/intel/pmem/llpl/linux/amd64/libllpl.so, extracted to a temp
# file and System.load()ed at first use), so nothing has to be compiled; the
# -sources jar holds only .java files, no C sources. libllpl.so needs PMDK's
# libpmemobj.so.1 and libpmempool.so.1 (Debian bookworm: 1.12.1), which this
# script installs, then checks that every dependency of libllpl.so resolves.
set -euo pipefail
cd "$(dirname "$0")"
if ! ldconfig -p | grep -q 'libpmemobj\.so\.1 ' || ! ldconfig -p | grep -q 'libpmempool\.so\.1 '; then
  apt-get -y install libpmemobj1 libpmempool1 libpmem1
fi
[ -f target/benchmarks.jar ] || mvn -q package
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
unzip -q -o target/benchmarks.jar 'com/intel/pmem/llpl/linux/amd64/libllpl.so' -d "$tmp"
so=$tmp/com/intel/pmem/llpl/linux/amd64/libllpl.so
if ldd "$so" | grep 'not found'; then
  echo "libllpl.so has unresolved dependencies (above)" >&2
  exit 1
fi
ldd "$so" | grep pmem
echo "LLPL native library OK"
