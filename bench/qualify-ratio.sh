#!/bin/sh
# qualify-ratio.sh [B] [N] - lead-qualify against raw libcsv, run in turns.
#
# make bench times each side three times in a row; on a shared VM whose
# speed drifts by a third within minutes, that can catch the two sides in
# different moods.  This runs them alternately, N pairs (default 7), on the
# data make bench generated, and prints each pair's ratio and the median.
# Needs a make bench run first (for the data and $B/bench/csvparse).
B=${1:-build/rel}
N=${2:-7}
D=build/bench-data
CSVPARSE=$B/bench/csvparse
LQ=$B/bin/lead-qualify
OUT=$D/out/ratio.csv

for f in "$CSVPARSE" "$LQ" "$D/leads.csv" "$D/calls.csv"; do
	[ -e "$f" ] || { echo "qualify-ratio: $f missing: run make bench first" >&2; exit 2; }
done
[ -x /usr/bin/time ] || { echo "qualify-ratio: needs /usr/bin/time (apt-get install time)" >&2; exit 2; }
mkdir -p "$D/out"

secs() {	# secs CMD...: wall seconds of CMD, stdout to $OUT
	/usr/bin/time -f %e "$@" 2>&1 > "$OUT" | tail -n 1
}

i=0
while [ "$i" -lt "$N" ]; do
	a=$(secs "$CSVPARSE" "$D/calls.csv" "$D/leads.csv")
	b=$(secs "$LQ" -r bench/rules.yaml --calls "$D/calls.csv" "$D/leads.csv")
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
