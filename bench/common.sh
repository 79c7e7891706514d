# Shared by bench/run-*.sh (sourced): the JMH jar, the output folder, and
# run_jmh, which runs one JMH pattern on one JDK into $OUT/NAME.{csv,log}.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[1]}")"
PMEM_JDK=${PMEM_JDK:-$(cd .. && pwd)/build/jdk}
LLPL_JDK=${LLPL_JDK:-/usr/lib/jvm/java-17-openjdk-amd64}
JAR=target/benchmarks.jar
[ -f "$JAR" ] || mvn -q package

# bench_out KIND: sets OUT (target/results/KIND-DATE unless OUT is set).
bench_out() {
  OUT=${OUT:-target/results/$1-$(date +%Y%m%d-%H%M%S)}
  mkdir -p "$OUT"
}

# run_jmh LABEL JDK PATTERN NAME JVMARGS [JMH options...]   (JVMARGS may be empty)
run_jmh() {
  local label=$1 jdk=$2 pattern=$3 name=$4 jvmargs=$5
  shift 5
  echo "=== $label: $jdk/bin/java $jvmargs" >&2
  "$jdk/bin/java" -version 2>&1 | sed -n 2p >&2
  local extra=()
  [ -n "$jvmargs" ] && extra=(-jvmArgsAppend "$jvmargs")
  "$jdk/bin/java" -jar "$JAR" "$pattern" -rf csv -rff "$OUT/$name.csv" ${extra[@]+"${extra[@]}"} "$@" \
      > "$OUT/$name.log" 2>&1 || { tail -30 "$OUT/$name.log" >&2; exit 1; }
}
