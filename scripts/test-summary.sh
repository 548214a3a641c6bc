#!/usr/bin/env bash
# Prints the closing line of `make test`: the totals over every suite run (plain build and sanitizer build).
cd "$(dirname "$0")/.."
cat build/test-results build-san/test-results 2>/dev/null |
  awk '{p+=$3; f+=$4} END {printf "tests: %d passed, %d failed\n", p, f; exit (f > 0)}'
