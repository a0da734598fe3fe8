#!/bin/sh
# qualify-ratio.sh [B] [N] [SHAPE] - lead-qualify against raw libcsv, in turns.
#
# make bench reports medians of rounds; this is the quick look at one tool:
# raw libcsv and lead-qualify (--threads 1) alternately, N pairs (default 7),
# on the data make bench generated for SHAPE (default plain), each pair's
# wall ratio and the median.  Needs a make bench run first (for the data and
# $B/bench/csvparse).
B=${1:-build/rel}
N=${2:-7}
D=build/bench-data/${3:-plain}
CSVPARSE=$B/bench/csvparse
LQ=$B/bin/lead-qualify
OUT=build/bench-data/out/ratio.csv

for f in "$CSVPARSE" "$LQ" "$D/leads.csv" "$D/calls.csv"; do
	[ -e "$f" ] || { echo "qualify-ratio: $f missing: run make bench first" >&2; exit 2; }
done
[ -x /usr/bin/time ] || { echo "qualify-ratio: needs /usr/bin/time (apt-get install time)" >&2; exit 2; }
mkdir -p build/bench-data/out
unset LS_THREADS

secs() {	# secs CMD...: wall seconds of CMD, stdout to $OUT
	/usr/bin/time -f %e "$@" 2>&1 > "$OUT" | tail -n 1
}

i=0
while [ "$i" -lt "$N" ]; do
	a=$(secs "$CSVPARSE" "$D/calls.csv" "$D/leads.csv")
	b=$(secs "$LQ" -r bench/rules.yaml --calls "$D/calls.csv" --threads 1 "$D/leads.csv")
	echo "$a $b"
	i=$((i + 1))
done | awk '
	{ printf "raw libcsv %.2f s  lead-qualify %.2f s  ratio %.2f\n", $1, $2, $2 / $1; r[NR] = $2 / $1 }
	END {
		for (i = 1; i <= NR; i++)
			for (j = i + 1; j <= NR; j++)
				if (r[j] < r[i]) { t = r[i]; r[i] = r[j]; r[j] = t }
		printf "median ratio of %d pairs: %.2f (target: 1.5 at most)\n", NR, r[int((NR + 1) / 2)]
	}'
rm -f "$OUT"
