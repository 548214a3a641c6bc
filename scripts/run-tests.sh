#!/usr/bin/env bash
# run-tests.sh SUITE BUILD_DIR BINARY...: runs each test binary from the repository root, keeps its output in
# BUILD_DIR/test-logs/, prints a line per binary, and appends the counts to BUILD_DIR/test-results.
# Exits non-zero if any binary failed.
set -uo pipefail
suite=$1; build=$2; shift 2
cd "$(dirname "$0")/.."
mkdir -p "$build/test-logs"
export SAFEGUARD_RULES="$PWD/rules" SAFEGUARD_HOME="$PWD"
# Sanitizer builds: library caches that live until exit are not leaks (see the file); the server inherits this.
export LSAN_OPTIONS="suppressions=$PWD/tests/lsan.supp:print_suppressions=0${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
failed=0
for bin in "$@"; do
  name=$(basename "$bin")
  log="$build/test-logs/$name.log"
  start=$(date +%s%N)
  "$bin" >"$log" 2>&1
  rc=$?
  ms=$(( ($(date +%s%N) - start) / 1000000 ))
  secs="$((ms / 1000)).$(( (ms % 1000) / 100 ))"
  passed=$(grep -oE '\[  PASSED  \] [0-9]+' "$log" | awk '{s+=$4} END {print s+0}')
  nfail=$(grep -oE '\[  FAILED  \] [0-9]+' "$log" | awk '{s+=$4} END {print s+0}')
  if [ "$rc" -ne 0 ] && [ "$nfail" -eq 0 ]; then nfail=1; fi
  echo "$suite $name $passed $nfail" >>"$build/test-results"
  if [ "$rc" -eq 0 ]; then
    printf '  ok    %-28s %4d passed  (%ss)\n' "$suite/$name" "$passed" "$secs"
  else
    printf '  FAIL  %-28s %4d passed, %d failed  (%ss): see %s\n' "$suite/$name" "$passed" "$nfail" "$secs" "$log"
    grep -E '\[  (FAILED|ERROR) \]|Assertion|ERROR|runtime error|AddressSanitizer' "$log" | head -20 | sed 's/^/        /'
    failed=1
  fi
done
exit $failed
