#!/bin/sh
# Copies the GOV.UK Frontend and MoJ Frontend files the pages use from node_modules/ into build/assets/.
# The server serves /assets/* from build/assets/ and web/assets/ (Safeguard's own app.css and app.js).
# Safe to run again: it rebuilds build/assets/ from scratch each time, so nothing stale survives an upgrade.
#
# Usage: scripts/assets.sh [OUTPUT_DIR]   (default build/assets; run from anywhere)
set -eu

root=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-"$root/build/assets"}
govuk="$root/node_modules/govuk-frontend/dist/govuk"
moj="$root/node_modules/@ministryofjustice/frontend/moj"

die() {
	echo "assets.sh: $*" >&2
	exit 1
}

[ -d "$root/node_modules" ] || die "node_modules/ is missing: run 'npm ci' (or 'make setup') in $root first"
for f in "$govuk/govuk-frontend.min.css" "$govuk/govuk-frontend.min.js" "$govuk/assets/manifest.json" \
	"$govuk/assets/fonts" "$govuk/assets/images" "$moj/moj-frontend.min.css" "$moj/moj-frontend.min.js" \
	"$moj/assets/images"; do
	[ -e "$f" ] || die "$f is missing: node_modules is incomplete or from another version; run 'npm ci'"
done

# Build beside the target and swap it in, so a failed copy never leaves a half-filled directory behind.
tmp="$out.tmp.$$"
trap 'rm -rf "$tmp"' EXIT
rm -rf "$tmp"
mkdir -p "$tmp"

# GOV.UK Frontend: the compiled CSS and JS (ES module) and the fonts, images and manifest they refer to as
# /assets/fonts/..., /assets/images/... and /assets/manifest.json.
cp "$govuk/govuk-frontend.min.css" "$govuk/govuk-frontend.min.js" "$tmp/"
cp -R "$govuk/assets/fonts" "$govuk/assets/images" "$tmp/"
cp "$govuk/assets/manifest.json" "$tmp/"

# MoJ Frontend: its CSS refers to /assets/images/... too; no file name there clashes with GOV.UK's.
cp "$moj/moj-frontend.min.css" "$moj/moj-frontend.min.js" "$tmp/"
for img in "$moj"/assets/images/*; do
	name=$(basename "$img")
	[ ! -e "$tmp/images/$name" ] || die "MoJ image $name would overwrite GOV.UK's; adjust scripts/assets.sh"
	cp "$img" "$tmp/images/"
done

# Record what was copied, so a page can be traced to the exact front-end versions.
node -e 'for (const p of process.argv.slice(1)) { const j = require(p); console.log(j.name + " " + j.version) }' \
	"$root/node_modules/govuk-frontend/package.json" \
	"$root/node_modules/@ministryofjustice/frontend/package.json" >"$tmp/VERSIONS"

mkdir -p "$(dirname "$out")"
rm -rf "$out"
mv "$tmp" "$out"
trap - EXIT
echo "assets.sh: $(wc -l <"$out/VERSIONS" | tr -d ' ') packages copied into $out"
