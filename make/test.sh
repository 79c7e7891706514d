#!/bin/bash
# Runs pmem-jdk's test suites against build/jdk and prints pass/fail counts:
#   1. HotSpot gtests named Pmem* (through the JDK's gtest launcher)
#   2. our jtreg tests (jtreg-tests/, overlaid to test/hotspot/jtreg/pmem)
#   3. chosen HotSpot and java/util jtreg tests (make/hotspot-tests.txt,
#      make/jdk-tests.txt), once as they are and once with -XX:+UsePersistentHeap
#   4. pmem-kv's tests (examples/pmem-kv/test/KvTest.java): the Redis-protocol
#      server end to end, with redis-cli, restarts and kill -9 crash rounds,
#      and its replies compared with a real redis-server's (redis-diff)
#   5. docstore's tests (examples/docstore/test/DocStoreTest.java): every
#      command, restarts in each tier, rollback, kill -9 crash rounds
#   6. the demos make runs (make/demo.sh), their output checked
#   7. make dist's tarball: checksum, layout, unpacked elsewhere, its demos run
# `make/test.sh quick` runs only 1, 2, 4, 5, 6 and 7; `make/test.sh dist` only 7.
# `make/test.sh torture` (make torture) runs only the long crash campaigns:
#   TestCollectionsCrash, TestLargeTxn, TestRelocation, TestEvolution,
#   TestCompaction, TestFreshRanges and TestDeferredAlloc, each with PMEM_TORTURE_CRASHES
#   crashes (default 2000; a third of TestLargeTxn's under the simulator,
#   all of TestRelocation's, TestEvolution's and TestCompaction's in the
#   middle of a relocation, a class migration or a compaction, and
#   TestFreshRanges' under the simulator, besides its 15 at fault points).
. "$(dirname "$0")/common.sh"
set +e +o pipefail   # count failures; never stop at the first one

JDK="$PMEM_ROOT/build/jdk"
[ -x "$JDK/bin/java" ] || die "no build/jdk; run make first"
MODE="${1:-all}"
JT_WORK="$PMEM_CACHE/jtreg"
JOBS="$(nproc)"
PMEM_TMP="${PMEM_TEST_DIR:-/dev/shm}"   # emulated persistent memory

total_pass=0; total_fail=0
summary=()
failures=()   # one line per failed test, repeated at the end (CI shows the tail)
failed() { failures+=("$(printf '%.220s' "$*")"); }
record() { # name pass fail
  summary+=("$(printf '%-34s %5s passed, %s failed' "$1" "$2" "$3")")
  total_pass=$((total_pass + $2)); total_fail=$((total_fail + $3))
}

# --- 1. gtest -------------------------------------------------------------
run_gtest() {
  local launcher="$BUILD_DIR/hotspot/variant-server/libjvm/gtest/gtestLauncher"
  [ -x "$launcher" ] || die "no gtest launcher at $launcher (was the JDK configured with --with-gtest?)"
  note "gtest: Pmem*"
  local log="$PMEM_CACHE/gtest.log"
  "$launcher" -jdk:"$JDK" --gtest_filter='Pmem*' >"$log" 2>&1 || true
  grep -E '^\[ +(OK|FAILED) +\]' "$log" | sed 's/^/  /' || true
  while IFS= read -r l; do failed "gtest: $l"; done < <(grep -E '^\[ +FAILED +\] [A-Za-z_]+\.' "$log" | sort -u)
  local pass fail
  pass=$(grep -cE '^\[ +OK +\]' "$log" || true)
  fail=$(grep -E '^\[ +FAILED +\] [A-Za-z_]+\.' "$log" | sort -u | wc -l)
  if ! grep -qE '^\[==========\] [0-9]+ tests? from .* ran' "$log"; then
    echo "  gtest did not run to completion:"; tail -20 "$log" | sed 's/^/  /'
    fail=$((fail + 1))
  fi
  [ "$pass" -gt 0 ] || { echo "  no Pmem* gtest ran"; fail=$((fail + 1)); }
  record "gtest Pmem*" "$pass" "$fail"
}

# --- 2./3. jtreg ------------------------------------------------------------
run_jtreg() { # root (under test/), name, extra jtreg args..., then -- tests...
  local root="$TREE_DIR/test/$1" name="$2"; shift 2
  local args=() tests=()
  while [ $# -gt 0 ] && [ "$1" != "--" ]; do args+=("$1"); shift; done
  shift; tests=("$@")
  local dir="$JT_WORK/$name"
  rm -rf "$dir"; mkdir -p "$dir"
  note "jtreg: $name"
  (cd "$root" && jtreg -jdk:"$JDK" -w:"$dir/work" -r:"$dir/report" \
      -conc:"$JOBS" -agentvm -timeoutFactor:4 -ignore:quiet -v:fail,error,summary -noreport \
      -javaoption:-Djava.io.tmpdir="$PMEM_TMP" \
      "${args[@]}" "${tests[@]}") >"$dir/jtreg.log" 2>&1 || true
  grep -E '^(FAILED|Error|TEST RESULT: (Failed|Error))' "$dir/jtreg.log" | sed 's/^/  /' | head -40 || true
  local line pass fail err
  line="$(grep -E '^Test results:' "$dir/jtreg.log" | tail -1)"
  pass=$(echo "$line" | sed -n 's/.*passed: \([0-9,]*\).*/\1/p' | tr -d ,)
  fail=$(echo "$line" | sed -n 's/.*failed: \([0-9,]*\).*/\1/p' | tr -d ,)
  err=$(echo "$line" | sed -n 's/.*error: \([0-9,]*\).*/\1/p' | tr -d ,)
  pass=${pass:-0}; fail=$(( ${fail:-0} + ${err:-0} ))
  while IFS= read -r l; do failed "jtreg $name: $l"; done < <(awk '
      /^TEST: / { t = $2 }
      /^TEST RESULT: (Failed|Error)/ { sub(/^TEST RESULT: /, ""); print t ": " $0 }' "$dir/jtreg.log")
  if [ -z "$line" ]; then
    echo "  jtreg printed no results:"; tail -20 "$dir/jtreg.log" | sed 's/^/  /'
    fail=$((fail + 1))
  fi
  echo "  $line (log: $dir/jtreg.log)"
  record "jtreg $name" "$pass" "$fail"
}

# --- 4./5. the examples' end-to-end tests -------------------------------------
# run_example NAME TESTCLASS: builds examples/NAME (bin/NAME --build-only)
# and runs examples/NAME/test/TESTCLASS.java, which prints PASS/FAIL lines.
run_example() {
  local name="$1" test="$2"
  note "$name: examples/$name/test/$test.java"
  local out="$PMEM_CACHE/$name-test" log="$PMEM_CACHE/$name-test.log" pass fail
  rm -rf "$out"; mkdir -p "$out"
  if ! bash "$PMEM_ROOT/examples/$name/bin/$name" --build-only >"$log" 2>&1 ||
     ! "$JDK/bin/javac" -d "$out" "$PMEM_ROOT/examples/$name/test/$test.java" >>"$log" 2>&1; then
    echo "  $name did not compile:"; tail -20 "$log" | sed 's/^/  /'
    record "$name" 0 1
    return
  fi
  "$JDK/bin/java" -cp "$out" "$test" "$JDK/bin/java" "$PMEM_ROOT/build/examples/$name/classes" "$PMEM_TMP" \
      >>"$log" 2>&1 || true
  grep -E '^(PASS|FAIL) ' "$log" | sed 's/^/  /'
  pass=$(grep -c '^PASS ' "$log" || true)
  fail=$(grep -c '^FAIL ' "$log" || true)
  while IFS= read -r l; do failed "$name: $l"; done < <(grep '^FAIL ' "$log")
  [ $((pass + fail)) -gt 0 ] || { echo "  $test printed no results:"; tail -20 "$log" | sed 's/^/  /'; fail=1; }
  echo "  (log: $log)"
  record "$name" "$pass" "$fail"
}

# The demos that `make` runs (make/demo.sh): each prints what it must.
run_demos() {
  note "demos: make/demo.sh (HelloPmem, LinkedListDemo three times)"
  local log="$PMEM_CACHE/demo-test.log" pass=0 fail=0 want
  bash "$PMEM_ROOT/make/demo.sh" >"$log" 2>&1
  for want in "Persistent heap enabled, file " "First run: creating the list" "Run 1: 1" \
              "Run 2: 2 -> 1" "Run 3: 3 -> 2 -> 1"; do
    if grep -qF -- "$want" "$log"; then
      pass=$((pass + 1))
    else
      echo "  FAIL demos: no line '$want'"
      failed "demos: no line '$want'"
      fail=$((fail + 1))
    fi
  done
  echo "  (log: $log)"
  record demos "$pass" "$fail"
}

# make dist's tarball, unpacked elsewhere: its checksum, its layout, and the
# demos run by the JDK inside it (pmem/demo.sh).
run_dist() {
  note "dist: make/dist.sh, unpacked and run elsewhere"
  local log="$PMEM_CACHE/dist-test.log" pass=0 fail=0 where tarball top
  check() { # what, then a command
    local what="$1"; shift
    if "$@" >>"$log" 2>&1; then pass=$((pass + 1)); else echo "  FAIL dist: $what"; failed "dist: $what"; fail=$((fail + 1)); fi
  }
  : >"$log"
  check "make/dist.sh builds the tarball" bash "$PMEM_ROOT/make/dist.sh"
  tarball="$(ls "$PMEM_ROOT"/build/dist/pmem-jdk-*-linux-x64.tar.gz 2>/dev/null | head -1)"
  where="$(mktemp -d)"
  check "its sha256 matches" bash -c "cd '$PMEM_ROOT/build/dist' && sha256sum -c '$(basename "$tarball").sha256'"
  check "it unpacks" tar -xzf "$tarball" -C "$where"
  top="$where/$(basename "$tarball" -linux-x64.tar.gz)"
  check "one top directory with bin/java, bin/jpmem, release, jmods and pmem/" \
      bash -c "[ \$(ls '$where' | wc -l) = 1 ] && [ -x '$top/bin/java' ] && [ -f '$top/release' ] && [ -d '$top/jmods' ] && [ -f '$top/pmem/README.md' ] && [ -f '$top/pmem/docs/ARCHITECTURE.md' ] && [ -x '$top/pmem/examples/pmem-kv/bin/pmem-kv' ] && [ -x '$top/bin/jpmem' ] && [ -f '$top/lib/jpmem.jar' ]"
  check "its java is pmem-jdk" bash -c "'$top/bin/java' -version 2>&1 | grep -q pmem-jdk"
  bash "$top/pmem/demo.sh" "$PMEM_TMP" >"$where/demo.log" 2>&1
  cat "$where/demo.log" >>"$log"
  for want in "Persistent heap enabled, file " "Run 1: 1" "Run 2: 2 -> 1" "Run 3: 3 -> 2 -> 1"; do
    check "pmem/demo.sh prints '$want'" grep -qF -- "$want" "$where/demo.log"
  done
  check "pmem-kv builds with the unpacked JDK" bash "$top/pmem/examples/pmem-kv/bin/pmem-kv" --build-only
  rm -rf "$where" "$PMEM_ROOT/build/dist"
  echo "  (log: $log)"
  record dist "$pass" "$fail"
}

bash "$PMEM_ROOT/make/overlay.sh" >/dev/null   # tests are read from the working tree

if [ "$MODE" = dist ]; then
  run_dist
elif [ "$MODE" = torture ]; then
  run_jtreg hotspot/jtreg torture -javaoption:-Dcrashes="${PMEM_TORTURE_CRASHES:-2000}" \
      -- pmem/TestCollectionsCrash.java pmem/TestLargeTxn.java pmem/TestRelocation.java pmem/TestEvolution.java \
      pmem/TestCompaction.java pmem/TestFreshRanges.java pmem/TestIncrementalGC.java pmem/TestDeferredAlloc.java
else
  run_gtest
  run_jtreg hotspot/jtreg pmem -- pmem
  run_example pmem-kv KvTest
  run_example docstore DocStoreTest
  run_demos
  run_dist
fi

list() { sed 's/#.*//; /^[[:space:]]*$/d' "$PMEM_ROOT/make/$1"; }
if [ "$MODE" = all ]; then
  mapfile -t HS_TESTS < <(list hotspot-tests.txt)
  mapfile -t JDK_TESTS < <(list jdk-tests.txt)
  EXCLUDE="$PMEM_ROOT/make/hotspot-tests.exclude"
  # A small heap file per JVM (%p), on disk: hundreds of JVMs start here,
  # and files in /dev/shm would hold memory until the run ends.
  HEAPS="$JT_WORK/heaps"; rm -rf "$HEAPS"; mkdir -p "$HEAPS"
  # Every full GC also collects the persistent part (PmemAlwaysCollect), so
  # HotSpot's tests run its marking through their volatile roots.
  # -XX:+UseSerialGC (which the flag selects anyway) tells jtreg that this
  # is a Serial JVM: its vm.gc property comes from the -XX:+Use*GC options.
  PMEM_OPTS=(-vmoption:-XX:+UseSerialGC -vmoption:-XX:+UsePersistentHeap -vmoption:-XX:PmemFile="$HEAPS/jt-%p.heap"
             -vmoption:-XX:PmemSize=16m -vmoption:-XX:+VerifyPersistentHeap
             -vmoption:-XX:+UnlockDiagnosticVMOptions -vmoption:-XX:+PmemAlwaysCollect)
  run_jtreg hotspot/jtreg hotspot -exclude:"$EXCLUDE" -- "${HS_TESTS[@]}"
  run_jtreg hotspot/jtreg hotspot-pmem -exclude:"$EXCLUDE" -exclude:"$PMEM_ROOT/make/hotspot-tests-pmem.exclude" \
      "${PMEM_OPTS[@]}" -- "${HS_TESTS[@]}"
  run_jtreg jdk java-util -- "${JDK_TESTS[@]}"
  run_jtreg jdk java-util-pmem "${PMEM_OPTS[@]}" -- "${JDK_TESTS[@]}"
  rm -rf "$HEAPS"
fi

echo
echo "pmem-jdk test summary"
for s in "${summary[@]}"; do echo "  $s"; done
if [ ${#failures[@]} -gt 0 ]; then
  echo "failed:"
  for f in "${failures[@]}"; do echo "  $f"; done
fi
echo "pmem-jdk: $total_pass passed, $total_fail failed"
[ "$total_fail" -eq 0 ]
