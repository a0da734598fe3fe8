#!/bin/sh
# run.sh - differential test of lead-qualify's phone normalisation against
# Google's libphonenumber (npm google-libphonenumber, pinned below).
# usage: sh tests/phone-diff/run.sh [LEAD_QUALIFY]
# Prints the agreement table per country and every disagreement by class;
# exits 1 below 99% agreement (documented policies counted as agreement) or
# on any wrong E.164 under default_country RU.  Skips (exit 0, a "skipped:"
# line on stderr) where node/npm are absent or the package cannot be had.
# The package is installed once into $LIBSALES_NPM_CACHE
# (default $HOME/.cache/libsales-npm).
set -u
LP_VERSION=3.2.47
here=$(cd "$(dirname "$0")" && pwd)
lq=${1:-lead-qualify}
cache=${LIBSALES_NPM_CACHE:-${HOME:-/tmp}/.cache/libsales-npm}

skip() {
	echo "skipped: $*" >&2
	exit 0
}
command -v node >/dev/null 2>&1 || skip "node not installed"
command -v npm >/dev/null 2>&1 || skip "npm not installed"
if [ ! -f "$cache/node_modules/google-libphonenumber/package.json" ] ||
    ! grep -q "\"version\": \"$LP_VERSION\"" "$cache/node_modules/google-libphonenumber/package.json"; then
	mkdir -p "$cache" || skip "cannot create $cache"
	npm install --prefix "$cache" --no-audit --no-fund --silent \
	    --fetch-retries=1 --fetch-timeout=20000 \
	    "google-libphonenumber@$LP_VERSION" >/dev/null 2>&1 ||
	    skip "npm could not install google-libphonenumber@$LP_VERSION"
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
regions=$(node "$here/diff.js" corpus "$cache" "$tmp") || exit 1
for r in $regions; do
	printf 'default_country: %s\n' "$r" >"$tmp/rules-$r.yaml"
	"$lq" -r "$tmp/rules-$r.yaml" "$tmp/in-$r.csv" >"$tmp/out-$r.csv" || exit 1
done
node "$here/diff.js" compare "$cache" "$tmp"
