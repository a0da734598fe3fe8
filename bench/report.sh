#!/bin/sh
# report.sh [DATA_DIR] [RESULTS] - bench/RESULTS.md from the raw runs of
# bench/run.sh (DATA_DIR: build/bench-data; RESULTS: bench/RESULTS.md).
# run.sh calls it at the end; run it alone to redo the report of an
# interrupted run from what was measured.  Prints the tables too.
#
# Inputs, all tab-separated, written by run.sh into DATA_DIR:
#   samples.tsv  group tool threads round wall cpu kb rc     (one line a run)
#   checks.tsv   group tool threads rows note                (the untimed run)
#   peers.tsv    task leads tool wall cpu kb rows note       (one run each)
#   head.md      machine, versions, data sizes
#   bytes.tsv    group bytes                                 (its input files, once)
#   perf.tsv     group tool threads cycles instructions cache-misses branch-misses
#   kpi.md       bench/kpi-report.sh's table and ratios
#   xlsx.md      bench/xlsx.sh's table (ls-cat and xlsx2csv on one sheet)
#   profile.md   bench/profile.sh's cachegrind table, where perf stat has no counters
#   doc-release.md  bench/doc-release.sh's table
#   doc-pdf.md      bench/doc-pdf.sh's table (or why it was skipped)
set -u
D=${1:-build/bench-data}
R=${2:-bench/RESULTS.md}
# The sections below the line KEEP (written by hand: runs of the other bench scripts, measured
# by someone, with their dates) are carried over from the old file unchanged, after the new tables.
KEEP='<!-- bench/report.sh keeps everything below this line: sections written by hand -->'
kept=$(mktemp)
trap 'rm -f "$kept"' EXIT
if [ -f "$R" ] && grep -qxF "$KEEP" "$R"; then
	sed -n "\|^$KEEP\$|,\$p" "$R" >"$kept"
else
	printf '\n%s\n' "$KEEP" >"$kept"
fi
S=$D/samples.tsv
C=$D/checks.tsv
P=$D/peers.tsv
for f in "$S" "$C"; do
	[ -f "$f" ] || { echo "report: $f missing: run make bench first" >&2; exit 2; }
done
[ -f "$P" ] || : > "$P"
BY=$D/bytes.tsv
PF=$D/perf.tsv
[ -f "$BY" ] || : > "$BY"

# medians: one line per (group, tool, threads), in the order of first run:
# group tool threads runs cpu_median wall_median kb_max wall_min wall_max failures
#   cpu_round wall_round: the median over the rounds of the run's figure over the raw libcsv
#   baseline's in the same round ("-" without one): a busy spell slows both sides of a round,
#   so this ratio moves less than the ratio of the medians when the machine is shared
#   cpu_round_d wall_round_d: the same over "libcsv defaults" (issue 31's anchor)
MED=$D/medians.tsv
awk -F'\t' -v OFS='\t' '
function median(s,    a, n, i, j, t) {
	n = split(substr(s, 2), a, " ")
	for (i = 1; i <= n; i++) a[i] += 0
	for (i = 2; i <= n; i++)
		for (j = i; j > 1 && a[j - 1] > a[j]; j--) { t = a[j]; a[j] = a[j - 1]; a[j - 1] = t }
	if (n == 0) return "-"
	return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
}
{
	k = $1 SUBSEP $2 SUBSEP $3
	if (!(k in seen)) { seen[k] = 1; order[++n] = k }
	if ($8 != "0") { fails[k]++; next }
	runs[k]++
	w[k] = w[k] " " $5
	c[k] = c[k] " " $6
	rd[k] = rd[k] " " $4 ":" $6 ":" $5
	if ($2 ~ /^raw libcsv/) { bcr[$1 SUBSEP $4] = $6; bwr[$1 SUBSEP $4] = $5 }
	if ($2 ~ /^libcsv defaults/) { dcr[$1 SUBSEP $4] = $6; dwr[$1 SUBSEP $4] = $5 }
	if ($7 != "-" && $7 + 0 > kb[k] + 0) kb[k] = $7
	if (!(k in lo) || $5 + 0 < lo[k]) lo[k] = $5 + 0
	if (!(k in hi) || $5 + 0 > hi[k]) hi[k] = $5 + 0
}
END {
	for (i = 1; i <= n; i++) {
		k = order[i]
		split(k, f, SUBSEP)
		if (runs[k] + 0 == 0) {
			print f[1], f[2], f[3], 0, "-", "-", "-", "-", "-", fails[k] + 0, "-", "-", "-", "-"
			continue
		}
		cr = ""; wr = ""; cd = ""; wd = ""
		m = split(substr(rd[k], 2), s, " ")
		for (j = 1; j <= m; j++) {
			split(s[j], x, ":")
			b = f[1] SUBSEP x[1]
			if (bcr[b] + 0 > 0) cr = cr " " x[2] / bcr[b]
			if (bwr[b] + 0 > 0) wr = wr " " x[3] / bwr[b]
			if (dcr[b] + 0 > 0) cd = cd " " x[2] / dcr[b]
			if (dwr[b] + 0 > 0) wd = wd " " x[3] / dwr[b]
		}
		print f[1], f[2], f[3], runs[k], sprintf("%.2f", median(c[k])), sprintf("%.2f", median(w[k])),
		    (k in kb ? kb[k] : "-"), sprintf("%.2f", lo[k]), sprintf("%.2f", hi[k]), fails[k] + 0,
		    (cr == "" ? "-" : sprintf("%.2f", median(cr))), (wr == "" ? "-" : sprintf("%.2f", median(wr))),
		    (cd == "" ? "-" : sprintf("%.2f", median(cd))), (wd == "" ? "-" : sprintf("%.2f", median(wd)))
	}
}' "$S" > "$MED"

runs=$(awk -F'\t' '{ if ($4 > n) n = $4 } END { print n + 0 }' "$S")

# the table of a set of groups: AWK regex on the group name
table() {
	echo "| data | tool | threads | CPU s | wall s | × libcsv defaults CPU | × old anchor CPU | × libcsv defaults wall | MB per CPU s | peak RSS MB | wall min–max | rows out, check |"
	echo "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|"
	awk -F'\t' -v re="$1" '
	FILENAME == ARGV[1] { by[$1] = $2; next }
	FILENAME == ARGV[2] { if ($1 ~ re) chk[$1 SUBSEP $2 SUBSEP $3] = (($4 == "-") ? "" : $4) (($5 == "-") ? "" : (($4 == "-") ? "" : "; ") $5); next }
	$1 !~ re { next }
	{
		g = $1
		if ($2 ~ /^raw libcsv/) { bc[g] = $5; bw[g] = $6 }
		if ($2 ~ /^libcsv defaults/) { dc[g] = $5; dw[g] = $6 }
		floor = ($2 ~ /floor/)
		rc = "-"; rw = "-"; rd = "-"; mbs = "-"
		if (!floor && $5 != "-" && bc[g] + 0 > 0) rc = sprintf("%.2f", $5 / bc[g])
		if (!floor && $6 != "-" && dw[g] + 0 > 0) rw = sprintf("%.2f", $6 / dw[g])
		if (!floor && $5 != "-" && dc[g] + 0 > 0) rd = sprintf("%.2f", $5 / dc[g])
		if ($2 ~ /^raw libcsv/) rd = "(" (dc[g] + 0 > 0 ? sprintf("%.2f", $5 / dc[g]) : "-") ")"
		# the floor reads its files 10 times over (run.sh: FLOOR_PASSES)
		b = by[g] * (floor ? 10 : 1)
		if ($5 != "-" && $5 + 0 > 0 && b > 0) mbs = sprintf("%.0f", b / 1048576 / $5)
		else if ($5 != "-" && b > 0) mbs = sprintf("> %.0f", b / 1048576 / 0.01)
		rss = ($7 == "-") ? "-" : sprintf("%.1f", $7 / 1024)
		tool = $2
		if (tool !~ /^raw libcsv/ && tool !~ /^mlr/ && tool !~ /^(libcsv defaults|zsv|reader alone|memchr|cat floor)/) tool = "**" tool "**"
		ck = chk[$1 SUBSEP $2 SUBSEP $3]
		if ($10 > 0) ck = (ck == "" ? "" : ck "; ") $10 " runs failed"
		if ($2 ~ /^raw libcsv/) ck = "baseline"
		data = g; sub(/\/.*/, "", data)
		if (g ~ /pipeline/) { data = g; sub(/^[^\/]*\//, "", data); sub(/-/, ", ", data); data = data " leads" }
		gsub(/\|/, "\\|", tool)
		printf "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s–%s | %s |\n", data, tool, $3, $5, $6, rd, rc, rw, mbs, rss, $8, $9, (ck == "" ? "-" : ck)
	}' "$BY" "$C" "$MED"
}

{
	echo "# make bench results"
	echo
	echo "Generated by \`bench/run.sh\` on $(date -u '+%Y-%m-%d %H:%M UTC'); do not edit. How to read it: bench/README.md."
	echo
	cat "$D/head.md" 2>/dev/null
	echo
	echo "**The machine was shared** with other engineers' builds during the run (see the load averages above):"
	echo "wall seconds are noisy and CPU seconds are the figures to read.  CPU seconds also move in the timer's 10 ms"
	echo "steps: a figure near 0.1 s is good to about ±10%, one of 0.02-0.05 s (zsv, the reader alone and the cat floor at"
	echo "200k rows) to a third or worse, so read their ratios as an order of magnitude, or run with more ROWS."
	echo
	echo "Every libsales and baseline figure is the median of $runs runs; each round runs the raw libcsv"
	echo "baseline, the references and every tool of its table row group on the same files, output to"
	echo "\`/dev/null\`, the order reversed every other round.  CPU s = user + system (both stages of a pipeline)."
	echo "**× libcsv defaults** (issue 31's anchor, the fastest libcsv a user has: no space function, CSV_STRICT) and"
	echo "**× old anchor** (raw libcsv as the libsales reader sets it up: a space function that keeps spaces, as every"
	echo "ratio before issue 31): the median divided by the median of that baseline in the same group; the old"
	echo "baseline's own row shows its cost over the new anchor in parentheses.  MB per CPU s: the group's input"
	echo "bytes (MiB) over the CPU median (the floor rows read their files 10 times over and count all the bytes)."
	echo "Peak RSS: the largest of the runs (a pipeline: its largest process).  \"rows out, check\": rows of an untimed"
	echo "run written to a file, counted by libcsv, and whether \`--threads 2\` wrote the same bytes as \`--threads 1\`;"
	echo "for a reference, its counts against raw libcsv's."
	echo
	echo "## Per shape"
	echo
	table '^(plain|quoted|notes|cyrillic|crlf)/'
	echo
	echo "## Issue 31: the anchors"
	echo
	echo "CPU medians, --threads 1, each over a reference of its own group: the old anchor (raw libcsv with the space"
	echo "function), libcsv's defaults, zsv's SIMD parser, and the floor: CPU per input byte over the memchr pass's"
	echo "and over \`cat > /dev/null\`'s.  MB per CPU s beside the memchr floor's on the same files."
	echo
	echo "| data | tool | × old anchor | × libcsv defaults | × zsv | × memchr floor | × cat floor | MB per CPU s | memchr floor MB per CPU s | cat floor MB per CPU s |"
	echo "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|"
	awk -F'\t' '
	FILENAME == ARGV[1] { by[$1] = $2; next }
	$1 !~ /^(plain|quoted|notes|cyrillic|crlf)\// || $5 == "-" { next }
	$2 ~ /^raw libcsv/ { bc[$1] = $5 }
	$2 ~ /^libcsv defaults/ { dc[$1] = $5 }
	$2 ~ /^zsv/ { zc[$1] = $5 }
	$2 ~ /^memchr floor/ { mf[$1] = $5 }
	$2 ~ /^cat floor/ { cf[$1] = $5 }
	$3 != "2" && $2 !~ /floor/ { n++; g[n] = $1; t[n] = $2; c[n] = $5 }
	function r(a, b) { return (b + 0 > 0) ? sprintf("%.2f", a / b) : "-" }
	function mbs(b, cpu) { return (cpu + 0 > 0) ? sprintf("%.0f", b / 1048576 / cpu) : "-" }
	END {
		for (i = 1; i <= n; i++) {
			k = g[i]; data = k; sub(/\/.*/, "", data)
			tool = t[i]; gsub(/\|/, "\\|", tool)
			if (tool !~ /^(raw libcsv|libcsv defaults|zsv|reader alone)/) tool = "**" tool "**"
			printf "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", data, tool, r(c[i], bc[k]), r(c[i], dc[k]), r(c[i], zc[k]),
			    r(c[i] * 10, mf[k]), r(c[i] * 10, cf[k]), mbs(by[k], c[i]), mbs(by[k] * 10, mf[k]), mbs(by[k] * 10, cf[k])
		}
	}' "$BY" "$MED"
	echo
	echo "## Does the reading thread pay for itself?"
	echo
	echo "Issue 14: the thread may be on by default only where it lowers wall time and raises CPU time by at most 10%."
	echo
	echo "| data | tool | CPU 2 / CPU 1 | wall 2 / wall 1 | verdict |"
	echo "|---|---|---:|---:|---|"
	awk -F'\t' '
	$3 == "1" { c1[$1 SUBSEP $2] = $5; w1[$1 SUBSEP $2] = $6 }
	$3 == "2" && ($1 SUBSEP $2) in c1 {
		k = $1 SUBSEP $2
		if ($5 == "-" || c1[k] == "-" || c1[k] + 0 == 0 || w1[k] + 0 == 0) next
		rc = $5 / c1[k]; rw = $6 / w1[k]
		v = (rw < 1 && rc <= 1.10) ? "pays: lower wall, CPU within +10%" : \
		    (rw < 1 ? sprintf("does not pay: wall %+.0f%% for CPU %+.0f%%", (rw - 1) * 100, (rc - 1) * 100) : \
		    sprintf("does not pay: no lower wall (%+.0f%%), CPU %+.0f%%", (rw - 1) * 100, (rc - 1) * 100))
		data = $1; sub(/\/.*/, "", data)
		if ($1 ~ /pipeline/) { data = $1 }
		tool = $2; gsub(/\|/, "\\|", tool)
		printf "| %s | %s | %.2f | %.2f | %s |\n", data, tool, rc, rw, v
	}' "$MED"
	echo
	echo "## The whole pipeline"
	echo
	echo "\`lead-qualify -r rules.yaml --calls calls.csv leads.csv | lead-assign -c team.yaml --dry-run\` (\`bench/pipeline.sh\`),"
	echo "timed as one \`sh\` (CPU: both stages), against the same two stages in Miller (\`qualify.mlr\`, then the round robin)."
	echo "Miller runs on a smaller file of the same shape when ROWS is over 50000 (BENCH_MLR_ROWS): see the data column."
	echo
	table '^(pipeline|mlr-pipeline)/'
	echo
	awk -F'\t' '
	$1 ~ /^mlr-pipeline\// && $2 ~ /^lead-qualify/ { lc = $5; lw = $6; g = $1 }
	$1 ~ /^mlr-pipeline\// && $2 ~ /^mlr/ { mc = $5; mw = $6 }
	END {
		if (lc + 0 > 0 && lw + 0 > 0 && mc != "" && mc != "-") {
			sub(/^mlr-pipeline\//, "", g); sub(/-/, ", ", g); g = g " leads"
			printf "On %s: Miller'"'"'s pipeline takes %.1f× the CPU and %.1f× the wall time of the libsales pipeline (--threads 1).\n", g, mc / lc, mw / lw
		}
	}' "$MED"
	echo
	echo "## Issue 14 targets"
	echo
	echo "Pass-through (\`ls-cat\`, \`lead-assign --dry-run\`): CPU ≤ 0.8× raw libcsv.  \`lead-qualify\` with rules and \`--calls\`: CPU ≤ 1.5× and wall ≤ 1.2×."
	echo "Each ratio two ways: the medians' ratio (as in the tables above), and the median of the rounds' ratios (each run"
	echo "over the baseline run of its own round), which a busy spell on a shared machine moves less.  The verdict is the"
	echo "rounds' ratio's."
	echo
	echo "| data | tool | threads | CPU × libcsv, medians | CPU × libcsv, rounds | CPU target | wall × libcsv, medians | wall × libcsv, rounds | wall target |"
	echo "|---|---|---:|---:|---:|---|---:|---:|---|"
	awk -F'\t' '
	function mark(ok) { return ok ? "met" : "**missed**" }
	$2 ~ /^raw libcsv/ { bc[$1] = $5; bw[$1] = $6; next }
	$1 ~ /pipeline/ || $5 == "-" || bc[$1] + 0 == 0 || $11 == "-" { next }
	{
		data = $1; sub(/\/.*/, "", data)
		rc = $5 / bc[$1]; rw = $6 / bw[$1]
		if ($2 ~ /^ls-cat/ || $2 ~ /^lead-assign/)
			printf "| %s | %s | %s | %.2f | %.2f | ≤ 0.8: %s | %.2f | %.2f | - |\n", data, $2, $3, rc, $11, mark($11 <= 0.8), rw, $12
		else if ($2 ~ /^lead-qualify/)
			printf "| %s | %s | %s | %.2f | %.2f | ≤ 1.5: %s | %.2f | %.2f | ≤ 1.2: %s |\n", data, $2, $3, rc, $11, mark($11 <= 1.5), rw, $12, mark($12 <= 1.2)
	}' "$MED"
	echo
	echo "## Issue 31 targets"
	echo
	echo "CPU × libcsv defaults (CSV_STRICT, no space function), --threads 1, the median of the rounds' ratios: round trip"
	echo "(\`ls-cat\`, one-manager \`lead-assign --dry-run\`) ≤ 0.5; \`lead-qualify\` ≤ 1.0 in CPU and ≤ 1.1 in wall, peak RSS ≤ 64 MB"
	echo "for 1M leads + 2M calls (here: the leads of the data column); the reader alone within 1.5× zsv's CPU."
	echo
	echo "| data | tool | CPU × libcsv defaults, rounds | CPU target | wall × libcsv defaults, rounds | wall target | peak RSS MB |"
	echo "|---|---|---:|---|---:|---|---:|"
	awk -F'\t' '
	function mark(ok) { return ok ? "met" : "**missed**" }
	function markr(x, lim) { return x == "-" ? "n/a" : mark(x <= lim) }
	$1 !~ /^(plain|quoted|notes|cyrillic|crlf)\// || $5 == "-" { next }
	$2 ~ /^zsv/ { zc[$1] = $5 }
	$3 == "1" || $2 ~ /^reader alone/ { n++; g[n] = $1; t[n] = $2; c[n] = $5; cd[n] = $13; wd[n] = $14; kb[n] = $7 }
	END {
		for (i = 1; i <= n; i++) {
			data = g[i]; sub(/\/.*/, "", data)
			rss = (kb[i] == "-") ? "-" : sprintf("%.1f", kb[i] / 1024)
			if (t[i] ~ /^(ls-cat|lead-assign)/)
				printf "| %s | %s | %s | ≤ 0.5: %s | %s | - | %s |\n", data, t[i], cd[i], markr(cd[i], 0.5), wd[i], rss
			else if (t[i] ~ /^lead-qualify/)
				printf "| %s | %s | %s | ≤ 1.0: %s | %s | ≤ 1.1: %s | %s |\n", data, t[i], cd[i], markr(cd[i], 1.0), wd[i], markr(wd[i], 1.1), rss
			else if (zc[g[i]] + 0 > 0)
				printf "| %s | %s | %.2f × zsv | ≤ 1.5× zsv: %s | - | - | %s |\n", data, t[i], c[i] / zc[g[i]], mark(c[i] <= 1.5 * zc[g[i]]), rss
			else
				printf "| %s | %s | - | ≤ 1.5× zsv: not measured (no zsv) | - | - | %s |\n", data, t[i], rss
		}
	}' "$MED"
	if [ -s "$P" ]; then
		echo
		echo "## Peers (the speed targets)"
		echo
		echo "One run each (Miller's qualify alone takes minutes at 1M rows: it runs on the leads shown), on the quoted shape,"
		echo "each task with its own raw libcsv run and libsales tool run beside the peers.  × tool = the peer's wall over the"
		echo "libsales tool's."
		echo
		echo "| task | leads | tool | CPU s | wall s | × libcsv CPU | × libcsv wall | × tool wall | peak RSS MB | rows out | note |"
		echo "|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---|"
		awk -F'\t' '
		$3 ~ /^raw libcsv/ { bc[$1] = $5; bw[$1] = $4 }
		$3 ~ /^(ls-cat|lead-)/ { tw[$1] = $4 }
		{
			rc = (($5 != "-" && bc[$1] + 0 > 0) ? sprintf("%.2f", $5 / bc[$1]) : "-")
			rw = (($4 != "-" && bw[$1] + 0 > 0) ? sprintf("%.2f", $4 / bw[$1]) : "-")
			x = (($4 != "-" && tw[$1] + 0 > 0 && $3 !~ /^(raw libcsv|ls-cat|lead-)/) ? sprintf("%.1f", $4 / tw[$1]) : "-")
			rss = ($6 == "-") ? "-" : sprintf("%.1f", $6 / 1024)
			tool = $3
			if (tool ~ /^(ls-cat|lead-)/) tool = "**" tool "**"
			printf "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", $1, $2, tool, $5, $4, rc, rw, x, rss, $7, $8
		}' "$P"
		echo
		echo "Against the speed targets (--threads 1): ≤ 1.5× raw libcsv in wall (the quoted shape's medians above), ≥ 5× faster"
		echo "than Miller (the runs of this table), peak RSS < 16 MB except for what a tool must remember (lead-qualify: < 250 MB"
		echo "for 1M leads, its de-duplication keys; lead-assign: < 64 MB for 1M leads, the leads dealt that its state keeps)."
		echo
		awk -F'\t' '
		function mark(ok) { return ok ? "met" : "**missed**" }
		FNR == NR {
			if ($1 != "quoted/leads" && $1 != "quoted/qualify") next
			if ($2 ~ /^raw libcsv/) { bw[$1] = $6; next }
			if ($3 != "1" || $6 == "-") next
			task = ($2 ~ /^ls-cat/) ? "parse" : ($2 ~ /^lead-assign/ ? "assign" : "qualify")
			line[++n] = task; tool[n] = $2; w[n] = $6; kb[n] = $7; grp[n] = $1
			next
		}
		$3 ~ /^mlr/ && $4 != "-" { mlr[$1] = $4 }
		$3 ~ /^(ls-cat|lead-)/ && $4 != "-" { tw[$1] = $4 }
		END {
			for (i = 1; i <= n; i++) {
				s = sprintf("- %s (%s):", tool[i], line[i])
				if (bw[grp[i]] + 0 > 0) s = s sprintf(" %.2f× raw libcsv (%s);", w[i] / bw[grp[i]], mark(w[i] <= 1.5 * bw[grp[i]]))
				t = line[i]
				if (t in mlr && tw[t] + 0 > 0) s = s sprintf(" %.1f× faster than Miller (%s%s);", mlr[t] / tw[t], mark(mlr[t] >= 5 * tw[t]), t == "assign" ? ", as lead-assign -c team.yaml in the table" : "")
				lim = t == "qualify" ? 250 : t == "assign" ? 64 : 16
				if (kb[i] != "-") s = s sprintf(" %.1f MB peak RSS (%s, limit %d MB)", kb[i] / 1024, mark(kb[i] < lim * 1024), lim)
				sub(/;$/, "", s)
				print s
			}
		}' "$MED" "$P"
	fi
	echo
	echo "## kpi-report against mawk's count and sum"
	echo
	if [ -s "$D/kpi.md" ]; then
		echo "\`bench/kpi-report.sh\`: the same month of calls (2 × ROWS calls, 20 managers) for every command; issue 31 asks"
		echo "kpi-report (its calls-only row) to be faster than mawk doing only its count and sum of duration per manager and"
		echo "day over the same calls (mawk splits on every comma; these calls have none inside quotes)."
		echo
		cat "$D/kpi.md"
	else
		echo "Not run (kpi-report not built, or the run stopped before it)."
	fi
	echo
	echo "## .xlsx in: ls-cat against xlsx2csv"
	echo
	if [ -s "$D/xlsx.md" ]; then
		echo "\`bench/xlsx.sh\`: one sheet with its strings in the shared-strings table (as Excel and 1C save it; written by"
		echo "bench/xlsxgen.c), read to CSV by \`ls-cat\` (the reader every tool uses) and by Debian's xlsx2csv, both to /dev/null;"
		echo "issue 30 asks for at least 10 times xlsx2csv's speed on a million rows."
		echo
		echo '```'
		cat "$D/xlsx.md"
		echo '```'
	else
		echo "Not run (BENCH_XLSX=no, ls-cat not built, or xlsx2csv missing)."
	fi
	echo
	echo "## doc-render: render, approve, release"
	echo
	if [ -s "$D/doc-release.md" ]; then
		echo "\`bench/doc-release.sh\`: BENCH_DOCS example invoices (5-20 items each) rendered into a manifest with \`-m\`,"
		echo "all approved, all released; one run each.  Issue 26 asks release to take at most half the wall time of rendering."
		echo
		cat "$D/doc-release.md"
	else
		echo "Not run (doc-render not built, or the run stopped before it)."
	fi
	echo
	echo "## doc-render release --pdf"
	echo
	if [ -s "$D/doc-pdf.md" ]; then
		echo "\`bench/doc-pdf.sh\`: BENCH_PDF_DOCS (1000) example invoices rendered, approved and released as HTML, then"
		echo "printed to PDF by \`release --pdf\` (one headless Chromium for the batch; its CPU counted as far as doc-render"
		echo "reaps it); documents per second of each step.  Issue 27 asks for the PDF rate beside the HTML render rate."
		echo
		cat "$D/doc-pdf.md"
	else
		echo "Not run (doc-render not built, or the run stopped before it)."
	fi
	echo
	echo "## perf stat"
	echo
	if [ -s "$PF" ]; then
		echo "One run each, --threads 1: hardware counters from \`perf stat -e cycles,instructions,cache-misses,branch-misses\`."
		echo
		echo "| data | tool | cycles | instructions | IPC | cache-misses | branch-misses | instructions per input byte |"
		echo "|---|---|---:|---:|---:|---:|---:|---:|"
		awk -F'\t' '
		FILENAME == ARGV[1] { by[$1] = $2; next }
		{
			data = $1; tool = $2; gsub(/\|/, "\\|", tool)
			ipc = ($4 + 0 > 0) ? sprintf("%.2f", $5 / $4) : "-"
			b = by[$1] * (($2 ~ /floor/) ? 10 : 1)
			ipb = (b > 0 && $5 + 0 > 0) ? sprintf("%.1f", $5 / b) : "-"
			printf "| %s | %s | %s | %s | %s | %s | %s | %s |\n", data, tool, $4, $5, ipc, $6, $7, ipb
		}' "$BY" "$PF"
	else
		echo "Skipped: $(sed -n 's/^- perf stat: //p' "$D/head.md" 2>/dev/null | sed 's/^skipped: //')."
		if [ -s "$D/profile.md" ]; then
			echo
			echo "In their place, the same work counted by valgrind's cachegrind (bench/profile.sh: simulated caches and"
			echo "branch predictor, not measured; no cycles), on $(sed -n 's/^rows: //p' "$D/profile.md") leads and twice as many calls of each shape:"
			echo
			grep -v '^rows: ' "$D/profile.md"
		fi
	fi
} > "$R"
cat "$kept" >>"$R"

sed -n '/^## Per shape/,$p' "$R"
echo "report: written to $R" >&2
