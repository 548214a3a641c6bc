#!/usr/bin/env bash
# Installs what `make run`, `make test` and `make bench` need and the machine lacks: Debian packages through
# apt-get (as root), npm packages through npm ci. Installs nothing that is already there, so it is fast to re-run.
set -euo pipefail
cd "$(dirname "$0")/.."

debs=(gcc make pkg-config libmicrohttpd-dev libjansson-dev libsqlite3-dev libsodium-dev libcmocka-dev
      libcairo2-dev libpango1.0-dev poppler-utils
      sqlite3 nodejs npm chromium fonts-liberation wrk)
missing=()
for p in "${debs[@]}"; do
  # nodejs from another repository (NodeSource) provides npm itself: accept a working npm.
  if [ "$p" = npm ] && command -v npm >/dev/null 2>&1; then continue; fi
  if [ "$p" = nodejs ] && command -v node >/dev/null 2>&1; then continue; fi
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "setup: missing Debian packages: ${missing[*]}" >&2
    echo "setup: run as root, or: sudo apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
  echo "setup: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# npm packages (GOV.UK Frontend, MoJ Frontend, playwright-core, axe-core), exactly as locked.
if [ -f package.json ]; then
  if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    echo "setup: installing npm packages"
    npm ci --no-audit --no-fund --loglevel=error >/dev/null
  fi
  if [ -x scripts/assets.sh ]; then
    scripts/assets.sh >/dev/null
  fi
fi
