#!/usr/bin/env bash
# make bench: every figure is a ratio against a baseline measured in the same run (these machines are noisy).
# Never used by tests. Usage: scripts/bench.sh BUILD_DIR
set -uo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
export SAFEGUARD_RULES="$PWD/rules" SAFEGUARD_HOME="$PWD"
work=$(mktemp -d /tmp/sgbench.XXXXXX)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done; rm -rf "$work"; }
trap cleanup EXIT

echo "== calendar";  "$build/bench/bench_calendar" rules
echo "== clocks";    "$build/bench/bench_clocks" 1000000
echo "== templates"; "$build/bench/bench_template" | grep -E '500|ratio' | head -4
echo "== audit";     "$build/bench/bench_audit"
echo "== search";    "$build/bench/bench_search" 100000 400

echo "== http (wrk -t1 -c32, 5 s each, against servers started here)"
db="$work/bench.db"
"$build/safeguard" migrate --db "$db" >/dev/null
"$build/safeguard" seed-demo --db "$db" >/dev/null
SAFEGUARD_COOKIE_SECURE=0 "$build/safeguard" serve --db "$db" --listen 127.0.0.1:0 --port-file "$work/sg.port" \
  --access-log "" 2>"$work/sg.log" &
pids+=($!); sgpid=$!
"$build/bench/hello_server" "$work/hello.port" 2 &
pids+=($!)
for f in sg.port hello.port; do for _ in $(seq 100); do [ -s "$work/$f" ] && break; sleep 0.1; done; done
sg=$(cat "$work/sg.port"); hello=$(cat "$work/hello.port")
login=$(curl -s -D "$work/h" -H 'Content-Type: application/json' \
  -d '{"username":"erin.walsh","password":"safeguard-demo-2026"}' "http://127.0.0.1:$sg/api/v1/session")
cookie=$(grep -i '^Set-Cookie: sg_session=' "$work/h" | sed 's/^[^:]*: //; s/;.*//' | tr -d '\r')
csrf=$(echo "$login" | sed 's/.*"csrf_token":"\([^"]*\)".*/\1/')
child=$(curl -s -b "$cookie" "http://127.0.0.1:$sg/api/v1/children?q=Ashworth" | sed 's/.*"id":"\(chd_[a-z0-9]*\)".*/\1/' | head -c 40)
# A child with a chronology of 500 entries, for the page benchmark.
for i in $(seq 500); do
  curl -s -o /dev/null -b "$cookie" -H "X-CSRF-Token: $csrf" -H 'Content-Type: application/json' \
    -d "{\"event_date\":\"2026-0$(( (i % 9) + 1 ))-1$(( i % 10 ))T10:00\",\"event_type\":\"partner_contribution\",\"summary\":\"Benchmark entry $i\"}" \
    "http://127.0.0.1:$sg/api/v1/children/$child/chronology"
done
rate() { wrk -t1 -c32 -d5s "$@" 2>/dev/null | awk '/Requests\/sec/ {print $2}'; }
median_ms() { wrk -t1 -c1 -d3s --latency "$@" 2>/dev/null | awk '$1 == "50%" {v=$2; if (v ~ /us$/) {sub(/us/,"",v); v/=1000} else if (v ~ /ms$/) {sub(/ms/,"",v)} else if (v ~ /s$/) {sub(/s/,"",v); v*=1000}; print v}'; }
h=$(rate "http://127.0.0.1:$hello/")
r=$(rate -H "Cookie: $cookie" "http://127.0.0.1:$sg/api/v1/children/$child")
awk -v r="$r" -v h="$h" 'BEGIN {printf "read: GET one child as JSON %.0f req/s; bare libmicrohttpd hello %.0f req/s; ratio %.2f (target >= 0.5)\n", r, h, r/h}'
rss=$(awk '/VmRSS/ {print $2}' "/proc/$sgpid/status")
awk -v k="$rss" 'BEGIN {printf "memory: safeguard serve resident %.1f MiB after the read benchmark (target < 64 MiB)\n", k/1024}'
pj=$(median_ms -H "Cookie: $cookie" "http://127.0.0.1:$sg/api/v1/children/$child")
ph=$(median_ms -H "Cookie: $cookie" "http://127.0.0.1:$sg/children/$child")
bytes=$(curl -s -b "$cookie" "http://127.0.0.1:$sg/children/$child" | wc -c)
awk -v a="$ph" -v b="$pj" -v n="$bytes" 'BEGIN {printf "child page (500 chronology entries): median %.2f ms; JSON read of the same child %.2f ms; ratio %.2f (target: under 10 ms); page weight %.1f KB (target < 150 KB)\n", a, b, a/b, n/1024}'
"$build/bench/bench_write" "$sg" "$cookie" "$csrf" "$work" 2000 8
