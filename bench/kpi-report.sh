#!/bin/sh
# bench/kpi-report.sh BUILD_DIR N - kpi-report against its peers.
#
# N calls and N/10 deals over November 2026, 20 managers; the task is the
# daily per-manager report for the month (calls, connected, talk time; won
# deals and revenue).  Peers: raw libcsv parsing of the same files (the
# bench's csvparse), Miller's stats1, datamash (with its sort), mawk.  The
# peers get the day by cutting the timestamp's date, which is right here
# only because every timestamp is written in the report's zone; mawk also
# splits at every comma, quoted or not.  Each command runs KPI_RUNS times
# (default 1; make bench passes BENCH_RUNS) and the table gives the medians;
# CPU is user + system seconds, RSS the peak.  Prints a markdown table and
# the ratios, among them issue 31's target: kpi-report (calls only) faster
# than mawk doing only its count and sum per manager and day over the same
# calls.
set -eu
RUNS=${KPI_RUNS:-1}
B=${1:?usage: bench/kpi-report.sh BUILD_DIR N}
N=${2:?usage: bench/kpi-report.sh BUILD_DIR N}
top=$(cd "$(dirname "$0")/.." && pwd)
case $B in /*) ;; *) B="$top/$B" ;; esac
D="$top/build/bench-data/kpi-$N"
mkdir -p "$D" "$B/bench"
[ -x "$B/bench/csvparse" ] || ${CC:-cc} -O2 -o "$B/bench/csvparse" "$top/bench/csvparse.c" -lcsv

if [ ! -s "$D/calls.csv" ]; then
	echo "generating $N calls and $((N / 10)) deals in $D" >&2
	awk -v n="$N" 'BEGIN { print "lead_id,manager,started_at,duration_s,outcome";
		split("interested not_interested no_answer callback wrong_number do_not_call", o, " ");
		for (i = 0; i < n; i++)
			printf "L%08d,manager%02d,2026-11-%02dT%02d:%02d:%02d+03:00,%d,%s\n", i, (i * 7) % 20,
			    1 + int(i * 30 / n), 8 + i % 11, i % 60, (i * 7) % 60, (i * 13) % 900, o[1 + (i * 5) % 6] }' > "$D/calls.csv"
	awk -v n="$((N / 10))" 'BEGIN { print "deal_id,manager,stage,amount,closed_at";
		split("won lost open", s, " ");
		for (i = 0; i < n; i++)
			printf "D%08d,manager%02d,%s,%d.%02d,2026-11-%02dT%02d:00:00+03:00\n", i, (i * 3) % 20, s[1 + i % 3],
			    1000 + (i * 7919) % 900000, i % 100, 1 + int(i * 30 / n), 9 + i % 9 }' > "$D/deals.csv"
	cat > "$D/kpi.yaml" <<'EOF'
timezone: Europe/Moscow
targets: {default: {calls: 3000, revenue: 1000000}}
EOF
fi

# run NAME CMD...: RUNS timed runs; prints a table row of the medians
run() {
	name=$1
	shift
	if ! command -v "$1" >/dev/null 2>&1 && [ ! -x "$1" ]; then
		echo "| $name | skipped: $1 not installed | | | |"
		return
	fi
	: > "$D/times"
	r=0
	while [ "$r" -lt "$RUNS" ]; do
		/usr/bin/time -f "%e %U %S %M" -o "$D/time" "$@" > "$D/out" 2>"$D/err" || {
			echo "| $name | failed: $(head -c 200 "$D/err") | | | |"
			return
		}
		tail -1 "$D/time" >> "$D/times"
		r=$((r + 1))
	done
	set -- $(awk '
		function med(x, n,  i, j, t) {
			for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (x[j] < x[i]) { t = x[i]; x[i] = x[j]; x[j] = t }
			return n % 2 ? x[(n + 1) / 2] : (x[n / 2] + x[n / 2 + 1]) / 2
		}
		{ w[NR] = $1; c[NR] = $2 + $3; if ($4 > kb) kb = $4 }
		END { printf "%.2f %.2f %d\n", med(w, NR), med(c, NR), kb }' "$D/times")
	echo "$name $1 $2 $3" >> "$D/results"
	echo "| $name | $1 | $2 | $(( $3 / 1024 )) | $(wc -l < "$D/out") |"
}

rm -f "$D/results"
echo "kpi-report bench: $N calls, $((N / 10)) deals, daily per-manager report for a month; medians of $RUNS runs"
echo
echo "| task | wall s | CPU s | peak RSS MB | output lines |"
echo "|---|---:|---:|---:|---:|"
run "libcsv parse only (calls + deals)" "$B/bench/csvparse" "$D/calls.csv" "$D/deals.csv"
run "libcsv defaults parse only (calls + deals)" "$B/bench/csvparse" -d "$D/calls.csv" "$D/deals.csv"
run "kpi-report (calls + deals)" "$B/bin/kpi-report" -c "$D/kpi.yaml" --calls "$D/calls.csv" --deals "$D/deals.csv" \
	--from 2026-11-01 --to 2026-11-30
run "kpi-report calls only" "$B/bin/kpi-report" -c "$D/kpi.yaml" --calls "$D/calls.csv" --from 2026-11-01 --to 2026-11-30
run "mlr stats1 calls" mlr --icsv --ocsv put -S '$day = substr($started_at, 0, 9)' \
	then stats1 -a count,sum -f duration_s -g day,manager "$D/calls.csv"
run "datamash calls (with sort)" sh -c 'cut -d, -f2-4 "$1" | tail -n +2 | sed "s/T[^,]*//" | datamash -t, -s -g 2,1 count 3 sum 3' sh "$D/calls.csv"
run "mawk calls" mawk -F, 'NR > 1 { k = substr($3, 1, 10) FS $2; n[k]++; s[k] += $4 } END { for (k in n) print k, n[k], s[k] }' "$D/calls.csv"
echo
# ratios against raw parsing and the peers, in CPU seconds
awk '/^libcsv parse/ { parse = $(NF - 1) } /^libcsv defaults/ { dparse = $(NF - 1) } /^kpi-report \(calls \+ deals\)/ { kpi = $(NF - 1) } /^kpi-report calls only/ { kc = $(NF - 1) }
	/^mlr/ { mlr = $(NF - 1) } /^datamash/ { dm = $(NF - 1) } /^mawk/ { mk = $(NF - 1) }
	END {
		if (parse > 0) printf "kpi-report CPU / libcsv parsing CPU: %.2f (issue 14: at most 1.5)\n", kpi / parse
		if (dparse > 0) printf "kpi-report CPU / libcsv defaults parsing CPU: %.2f\n", kpi / dparse
		if (kc > 0 && mlr > 0) printf "mlr stats1 CPU / kpi-report calls CPU: %.1f (target at least 5)\n", mlr / kc
		if (kc > 0 && dm > 0) printf "datamash CPU / kpi-report calls CPU: %.1f (target above 1)\n", dm / kc
		if (kc > 0 && mk > 0) printf "mawk CPU / kpi-report calls CPU: %.2f (issue 31: above 1, kpi-report faster than mawk: %s)\n", mk / kc, (mk > kc) ? "met" : "**missed**"
	}' "$D/results"
