#!/bin/sh
# Line and branch coverage of each libsales/ module from a --coverage
# build's .gcda files (make coverage), through gcovr (Debian's gcovr
# package).  usage: tests/coverage.sh BUILD_DIR [MIN_LINE_PERCENT [MIN_BRANCH_PERCENT]]
#
# Prints one line per module (lines and branches, each as a percentage of
# how many), the total, and writes BUILD_DIR/coverage/uncovered.txt (every
# line never run, per file) and BUILD_DIR/coverage/index.html (the source
# annotated, branches included).  Exits 1 when the total of lines is under
# MIN_LINE_PERCENT or that of branches under MIN_BRANCH_PERCENT: the gate,
# 90% and 81%, about two points under what the suite alone reached
# (92.2%, 83.4% on 8 December 2026; README.md, Coverage): a regression floor
# that a test tool CI could not install (its cases skip) does not trip.
# Issue 32 asks for 95% and 90%.  What stays uncovered, and why, is in
# tests/coverage-exclusions.txt.
set -u
B=${1:?usage: coverage.sh BUILD_DIR [MIN_LINE_PERCENT [MIN_BRANCH_PERCENT]]}
min=${2:-90}
minbr=${3:-81}
top=$(cd "$(dirname "$0")/.." && pwd)
case $B in /*) ;; *) B="$top/$B" ;; esac
command -v gcovr >/dev/null || { echo "coverage: gcovr is not installed (apt-get install gcovr)" >&2; exit 1; }
out="$B/coverage"
rm -rf "$out"
mkdir -p "$out"
cd "$top" || exit 1
# only libsales/; the tools' own files and the tests are not measured here
gcovr -r "$top" --object-directory "$B/lib" --filter 'libsales/' --gcov-ignore-parse-errors \
    --json-summary "$out/summary.json" --txt "$out/uncovered.txt" \
    --html-details "$out/index.html" "$B/lib" >"$out/gcovr.log" 2>&1 || {
	cat "$out/gcovr.log"
	exit 1
}
python3 - "$out/summary.json" "$min" "$minbr" <<'EOF'
import json, sys
s = json.load(open(sys.argv[1]))
rows = []
for f in s["files"]:
	name = f["filename"].rsplit("/", 1)[-1]
	rows.append((f["line_percent"], name, f["line_covered"], f["line_total"],
	    f["branch_covered"], f["branch_total"]))
def pct(a, b):
	return 100.0 * a / b if b else 100.0
print("%-16s %8s %12s %8s %12s" % ("module", "lines", "of", "branches", "of"))
for _, name, lc, lt, bc, bt in sorted(rows):
	print("%-16s %7.1f%% %6d/%5d %7.1f%% %6d/%5d" % (name, pct(lc, lt), lc, lt, pct(bc, bt), bc, bt))
lc = sum(r[2] for r in rows); lt = sum(r[3] for r in rows)
bc = sum(r[4] for r in rows); bt = sum(r[5] for r in rows)
print("%-16s %7.1f%% %6d/%5d %7.1f%% %6d/%5d" % ("libsales/ total", pct(lc, lt), lc, lt, pct(bc, bt), bc, bt))
bad = 0
if pct(lc, lt) < float(sys.argv[2]):
	print("coverage: lines %.1f%% is under %s%%" % (pct(lc, lt), sys.argv[2]))
	bad = 1
if pct(bc, bt) < float(sys.argv[3]):
	print("coverage: branches %.1f%% is under %s%%" % (pct(bc, bt), sys.argv[3]))
	bad = 1
if not bad:
	print("coverage: lines %.1f%% (gate %s%%), branches %.1f%% (gate %s%%)" %
	    (pct(lc, lt), sys.argv[2], pct(bc, bt), sys.argv[3]))
sys.exit(bad)
EOF
rc=$?
echo "coverage: uncovered lines per file in $out/uncovered.txt, annotated source in $out/index.html"
exit $rc
