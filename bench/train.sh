#!/bin/sh
# train.sh B - the training run of the release build's profile-guided
# optimisation (the Makefile's PGO=yes; see README.md).
#
# Runs the instrumented tools in B/bin on the work they are built for, so
# that gcc learns which branches are taken and which calls are hot: the
# bench's five shapes of data, small (20,000 leads and 40,000 calls each;
# notes 2,000 and 4,000), through lead-qualify, lead-assign --dry-run and
# ls-cat at one and two threads, then the example department's whole day
# (examples/daily.sh), which also runs doc-render, ticket-log and
# kpi-report.  Everything it writes goes under B/pgo/.  The counts land in
# B/**/*.gcda, beside the objects.
#
# A failing tool fails the training, and with it the build: a profile of a
# run that stopped half-way would teach gcc the error path.
set -eu

B=${1:?usage: train.sh BUILD_DIR}
W=$B/pgo
mkdir -p "$W/data"
${CC:-cc} -std=c11 -O2 -o "$W/gen" bench/gen.c
unset LS_THREADS

for s in plain quoted notes cyrillic crlf; do
	n=20000
	[ "$s" = notes ] && n=2000
	"$W/gen" -s "$s" leads "$n" > "$W/data/$s-leads.csv"
	"$W/gen" -s "$s" calls $((n * 2)) "$n" > "$W/data/$s-calls.csv"
	for t in 1 2; do
		"$B/bin/lead-qualify" -r bench/rules.yaml --calls "$W/data/$s-calls.csv" \
		    --threads "$t" -o "$W/data/qualified.csv" "$W/data/$s-leads.csv"
		"$B/bin/lead-assign" -c bench/solo.yaml --dry-run --threads "$t" \
		    "$W/data/qualified.csv" > /dev/null
		"$B/bin/ls-cat" --threads "$t" "$W/data/$s-leads.csv" > /dev/null
	done
done

rm -rf "$W/day"
case $B in
/*) bin=$B/bin ;;
*) bin=$(pwd)/$B/bin ;;
esac
PATH="$bin:$PATH" sh examples/daily.sh "$W/day" > "$W/day.log" 2>&1 || {
	cat "$W/day.log" >&2
	echo "train.sh: examples/daily.sh failed with the instrumented tools" >&2
	exit 1
}
