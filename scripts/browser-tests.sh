#!/usr/bin/env bash
# browser-tests.sh [FILTER...]: the browser tests (tests/browser/test_*.mjs) against the real server.
#
# Starts `safeguard serve` the way tests/lib/testsrv.c does (a new temporary directory, `migrate`, `seed-demo`,
# `serve --listen 127.0.0.1:0 --port-file`, SAFEGUARD_COOKIE_SECURE=0), runs tests/browser/run.mjs in headless
# Chromium, stops the server, appends "browser FILE PASSED FAILED" lines to BUILD/test-results (the format of
# scripts/run-tests.sh, summed by scripts/test-summary.sh) and ends with "browser: N passed, N failed".
# Exits non-zero if anything failed. FILTER keeps the tests whose file or name contains it.
#
# Environment: BUILD (default build), SAFEGUARD_BIN (default BUILD/safeguard), CHROMIUM (default /usr/bin/chromium),
# SAFEGUARD_KEEP_TEST_DIR=1 keeps the server's directory (database, logs), SAFEGUARD_UPDATE_SCREENSHOTS=1 writes
# the README's screenshots into docs/screenshots/ (otherwise they go to BUILD/screenshots/).
set -uo pipefail
cd "$(dirname "$0")/.."
root=$PWD
build=${BUILD:-build}
bin=${SAFEGUARD_BIN:-$build/safeguard}
logs=$build/test-logs
mkdir -p "$logs"

finish() {
	local passed=$1 failed=$2
	echo "browser: $passed passed, $failed failed"
	[ "$failed" -eq 0 ]
	exit $?
}

if [ ! -x "$bin" ]; then
	echo "browser-tests.sh: $bin is missing: run 'make all' first" >&2
	echo "browser launcher 0 1" >>"$build/test-results"
	finish 0 1
fi
for need in node sqlite3 "${CHROMIUM:-/usr/bin/chromium}"; do
	if ! command -v "$need" >/dev/null 2>&1; then
		echo "browser-tests.sh: $need is missing: run 'make setup' (as root) first" >&2
		echo "browser launcher 0 1" >>"$build/test-results"
		finish 0 1
	fi
done
if [ ! -f node_modules/playwright-core/package.json ] || [ ! -f node_modules/axe-core/axe.min.js ]; then
	echo "browser-tests.sh: node_modules lacks playwright-core or axe-core: run 'make setup' (or npm ci)" >&2
	echo "browser launcher 0 1" >>"$build/test-results"
	finish 0 1
fi
if [ ! -f build/assets/govuk-frontend.min.css ]; then
	scripts/assets.sh >/dev/null || finish 0 1
fi

dir=$(mktemp -d /tmp/sgbrowser.XXXXXX)
db=$dir/t.db
pid=
stop_server() {
	if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
		kill -TERM "$pid"
		for _ in $(seq 1 100); do
			kill -0 "$pid" 2>/dev/null || break
			sleep 0.1
		done
		kill -0 "$pid" 2>/dev/null && kill -KILL "$pid"
		wait "$pid" 2>/dev/null
	fi
	pid=
}
cleanup() {
	stop_server
	cp "$dir/server.log" "$logs/browser-server.log" 2>/dev/null
	if [ -z "${SAFEGUARD_KEEP_TEST_DIR:-}" ]; then rm -rf "$dir"; else echo "browser-tests.sh: kept $dir" >&2; fi
}
trap cleanup EXIT

export SAFEGUARD_DB=$db
if ! "$bin" migrate --home "$root" >"$dir/setup.log" 2>&1 || ! "$bin" seed-demo --home "$root" >>"$dir/setup.log" 2>&1; then
	echo "browser-tests.sh: could not prepare the test database:" >&2
	cat "$dir/setup.log" >&2
	echo "browser setup 0 1" >>"$build/test-results"
	finish 0 1
fi
SAFEGUARD_COOKIE_SECURE=0 "$bin" serve --listen 127.0.0.1:0 --home "$root" --port-file "$dir/port" \
	--access-log "$dir/access.log" >"$dir/server.log" 2>&1 &
pid=$!
port=
for _ in $(seq 1 200); do
	port=$(cat "$dir/port" 2>/dev/null)
	[ -n "$port" ] && [ "$port" -gt 0 ] 2>/dev/null && break
	if ! kill -0 "$pid" 2>/dev/null; then
		echo "browser-tests.sh: the server exited during start-up:" >&2
		cat "$dir/server.log" >&2
		pid=
		echo "browser setup 0 1" >>"$build/test-results"
		finish 0 1
	fi
	port=
	sleep 0.05
done
if [ -z "$port" ]; then
	echo "browser-tests.sh: the server did not start within 10 s" >&2
	echo "browser setup 0 1" >>"$build/test-results"
	finish 0 1
fi

shots=$build/screenshots
[ -n "${SAFEGUARD_UPDATE_SCREENSHOTS:-}" ] && shots=$root/docs/screenshots
: >"$dir/results"
SAFEGUARD_URL="http://127.0.0.1:$port" SAFEGUARD_TEST_DB="$db" SAFEGUARD_TEST_RESULTS="$dir/results" \
	SAFEGUARD_SCREENSHOT_DIR="$shots" SAFEGUARD_TEST_LOGS="$logs" \
	node tests/browser/run.mjs "$@" 2>&1 | tee "$logs/browser.log"
rc=${PIPESTATUS[0]}
stop_server

# A run that died before reporting (the browser would not start, say) still counts as a failure.
if [ "$rc" -ne 0 ] && ! awk '$4 > 0 {bad=1} END {exit !bad}' "$dir/results"; then
	echo "browser run 0 1" >>"$dir/results"
fi
cat "$dir/results" >>"$build/test-results"
read -r passed failed < <(awk '{p+=$3; f+=$4} END {print p+0, f+0}' "$dir/results")
finish "$passed" "$failed"
