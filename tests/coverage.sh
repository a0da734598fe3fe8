#!/bin/sh
# Line coverage of each libsales/ module from a --coverage build's .gcda
# files (make coverage).   usage: tests/coverage.sh BUILD_DIR
set -u
B=${1:?usage: coverage.sh BUILD_DIR}
top=$(cd "$(dirname "$0")/.." && pwd)
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
cd "$out" || exit 1
for c in "$top"/libsales/*/*.c; do
	layer=$(basename "$(dirname "$c")")
	gcov -n -o "$top/$B/lib/$layer" "$c" 2>/dev/null | awk -v f="$(basename "$c")" '
	    /^File / { cur = $2; gsub(/\047/, "", cur) }
	    /^Lines executed:/ && cur ~ ("/" f "$") {
		split($2, a, ":"); pct = a[2]; sub(/%/, "", pct); n = $4
		printf "%-16s %6.1f%% of %5d lines\n", f, pct, n; exit }'
done | sort -k2 -n | tee "$out/table"
awk '{ n = $4; hit += $2 * n / 100; tot += n } END { printf "libsales/ total   %6.1f%% of %5d lines\n", 100 * hit / tot, tot }' "$out/table"
