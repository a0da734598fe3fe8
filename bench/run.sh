#!/bin/sh
# make bench: the libsales tools against raw libcsv, Miller, mawk and datamash
# on generated data (SPEC section 4).  A benchmark, not a test: it reports,
# it does not fail on a slow figure.  See bench/README.md.
#
#   sh bench/run.sh BUILD_DIR ROWS      (make bench B=... BENCH_ROWS=...)
#
# Writes bench/RESULTS.md and prints the same table.  Data and outputs go to
# build/bench-data/ (kept, and reused while ROWS and bench/gen.c are unchanged).
# BENCH_TIMEOUT (seconds, default 900) stops any one command that hangs.
set -u

B=${1:-build/rel}
N=${2:-1000000}
case $N in
'' | *[!0-9]*) echo "bench: ROWS must be a positive number, not '$N'" >&2; exit 2 ;;
esac
if [ "$N" -lt 1 ]; then
	echo "bench: ROWS must be a positive number, not '$N'" >&2
	exit 2
fi
NCALLS=$((N * 2))
TIMEOUT=${BENCH_TIMEOUT:-900}
D=build/bench-data
O=$D/out
RESULTS=bench/RESULTS.md
TSV=$D/results.tsv
CC=${CC:-cc}
mkdir -p "$B/bench" "$O" || exit 1

say() { echo "bench: $*" >&2; }

# ---- peers: install what is missing when we may, else say what is skipped ----

missing_pkgs() {
	m=""
	command -v mlr >/dev/null 2>&1 || m="$m miller"
	command -v datamash >/dev/null 2>&1 || m="$m datamash"
	command -v mawk >/dev/null 2>&1 || m="$m mawk"
	[ -x /usr/bin/time ] || m="$m time"
	echo "$m"
}
pkgs=$(missing_pkgs)
if [ -n "$pkgs" ]; then
	apt=""
	if [ "$(id -u)" = 0 ]; then
		apt="env"
	elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
		apt="sudo -n env"
	fi
	if [ -n "$apt" ] && command -v apt-get >/dev/null 2>&1; then
		say "installing peers:$pkgs"
		# shellcheck disable=SC2086
		$apt DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $pkgs >/dev/null 2>&1 ||
			{ $apt apt-get update -qq >/dev/null 2>&1 &&
			  $apt DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $pkgs >/dev/null 2>&1; } ||
			say "apt-get install$pkgs failed"
		pkgs=$(missing_pkgs)
	fi
	[ -n "$pkgs" ] && say "not installed, skipped:$pkgs (as root: apt-get install$pkgs)"
fi
have() { command -v "$1" >/dev/null 2>&1; }

if [ -x /usr/bin/time ]; then
	TIMER=gnu
elif have bash; then
	TIMER=bash
	say "no /usr/bin/time: timing with bash, peak RSS not measured"
else
	TIMER="date"
	say "no /usr/bin/time nor bash: timing with date, peak RSS not measured"
fi
if have timeout; then
	LIMIT="timeout $TIMEOUT"
else
	LIMIT=""
fi

# A libsales tool is benchmarked once it is real: the placeholders print
# "not built yet" and exit 2, even on --help.
usable() {
	[ -x "$1" ] || return 1
	h=$("$1" --help 2>&1)
	rc=$?
	[ "$rc" -eq 2 ] && return 1
	case $h in *"not built yet"*) return 1 ;; esac
	return 0
}

# ---- build the two helpers, generate (or reuse) the data ----

$CC -std=c11 -O2 -Wall -Wextra -Wpedantic -o "$B/bench/gen" bench/gen.c || exit 1
$CC -std=c11 -O2 -Wall -Wextra -Wpedantic -o "$B/bench/csvparse" bench/csvparse.c -lcsv || exit 1
GEN=$B/bench/gen
CSVPARSE=$B/bench/csvparse
LEADS=$D/leads.csv
CALLS=$D/calls.csv

stamp="$N $(cksum < bench/gen.c)"
if [ -f "$LEADS" ] && [ -f "$CALLS" ] && [ "$(cat "$D/stamp" 2>/dev/null)" = "$stamp" ]; then
	say "reusing $LEADS ($N rows) and $CALLS ($NCALLS rows)"
else
	say "generating $N leads and $NCALLS calls into $D/"
	rm -f "$D/stamp"
	"$GEN" leads "$N" > "$LEADS" && "$GEN" calls "$NCALLS" "$N" > "$CALLS" || exit 1
	echo "$stamp" > "$D/stamp"
fi
mb() { awk -v b="$(wc -c < "$1")" 'BEGIN { printf "%.1f", b / 1048576 }'; }

# Miller's version of lead-qualify's work with bench/rules.yaml: normalise the
# phone to E.164 (RU/KZ/BY/UA lengths) and the e-mail, de-duplicate on both,
# join the latest call, score the six rules, pick the status, list reasons
# (an empty phone or e-mail is missing, not bad, as in lead-qualify).
# calls.csv is read first in the same pass; its records are not emitted.
# The e-mail regex is WHATWG's, less the 63-character label limit: Go's
# regexp makes {0,61} ten times slower, and a Miller user would drop it.
cat > "$B/bench/qualify.mlr" <<'EOF'
func add(str r, str x): str {
  return r == "" ? x : r . ";" . x;
}
begin {
  @n = {}; @at = {}; @out = {}; @phone = {}; @mail = {};
}
if (is_present($outcome)) {
  id = $lead_id;
  @n[id] += 1;
  if (is_absent(@at[id]) || $started_at >= @at[id]) {
    @at[id] = $started_at;
    @out[id] = $outcome;
  }
  filter false;
} else {
  filter true;   # put's filter condition outlives the record
  r = "";
  d = gsub(string($phone), "[^0-9]", "");
  e = "";
  if (string($phone) =~ "^ *[+]") {
    e = "+" . d;
  } elif (strlen(d) == 11 && (d =~ "^[78]")) {
    e = "+7" . substr1(d, 2, 11);
  } elif (strlen(d) == 10) {
    e = "+7" . d;
  }
  phone_ok = e =~ "^[+](7[0-9]{10}|375[0-9]{9}|380[0-9]{9})$";
  if (phone_ok) { $phone = e } elif (strip(string($phone)) != "") { r = add(r, "bad_phone") }
  m = tolower(strip($email));
  email_ok = m =~ "^[a-z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-z0-9]([a-z0-9-]*[a-z0-9])?([.][a-z0-9]([a-z0-9-]*[a-z0-9])?)*$";
  if (email_ok) { $email = m } elif (m != "") { r = add(r, "bad_email") }
  if (!phone_ok && !email_ok && r == "") { r = "no_contact" }

  dup = "";
  key = sub(m, "[+][^@]*@", "@");
  if (phone_ok && is_present(@phone[e])) { dup = @phone[e] }
  if (dup == "" && email_ok && is_present(@mail[key])) { dup = @mail[key] }
  # a duplicate's new keys lead back to the original, as in lead-qualify
  owner = dup == "" ? $lead_id : dup;
  if (phone_ok && is_absent(@phone[e])) { @phone[e] = owner }
  if (email_ok && is_absent(@mail[key])) { @mail[key] = owner }
  if (dup != "") { r = add(r, "duplicate_of=" . dup) }

  id = $lead_id;
  co = ""; cn = 0; ca = "";
  if (is_present(@out[id])) { co = @out[id]; cn = @n[id]; ca = @at[id] }

  s = 0;
  rejected = false;
  if (int($employees) >= 50) { s += 20; r = add(r, "big_company") }
  if ($industry == "retail" || $industry == "logistics") { s += 15; r = add(r, "target_industry") }
  if ($region == "msk" || $region == "spb") { s += 10; r = add(r, "home_region") }
  if ($source == "web" || $source == "referral") { s += 10; r = add(r, "inbound") }
  if (co == "interested") { s += 40; r = add(r, "hot") }
  if (co == "do_not_call") { rejected = true; r = add(r, "do_not_call") }

  $score = s;
  if (!phone_ok && !email_ok) {
    $status = "invalid";
  } elif (dup != "") {
    $status = "duplicate";
  } elif (rejected) {
    $status = "rejected";
  } elif (s >= 30) {
    $status = "qualified";
  } elif (co == "callback" || co == "no_answer") {
    $status = "callback";
  } else {
    $status = "unqualified";
  }
  $reasons = r;
  $call_outcome = co; $call_count = cn; $last_call_at = ca;
}
EOF

# ---- measuring ----

: > "$TSV"
ERR=$D/stderr.txt
TIME=$D/time.txt

# record TASK KIND TOOL SECS RSS_KB ROWS NOTE
# KIND: base (the raw libcsv row of the task), ls (a libsales tool), peer, na.
record() {
	printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" "$5" "$6" "$7" "${8:--}" >> "$TSV"
}

# data rows of a CSV file (header excluded), counted by libcsv
csvrows() {
	"$CSVPARSE" "$1" 2>/dev/null | awk '{ print $2 - 1 }'
}

# timed OUT CMD...: run CMD once, stdout to OUT; sets rc, secs and kb.
timed() {
	out=$1
	shift
	case $TIMER in
	gnu)
		/usr/bin/time -f '%e %M %U %S' -o "$TIME" $LIMIT "$@" > "$out" 2> "$ERR"
		rc=$?
		secs=$(tail -n 1 "$TIME" | cut -d' ' -f1)
		kb=$(tail -n 1 "$TIME" | cut -d' ' -f2)
		cpu=$(tail -n 1 "$TIME" | awk '{ printf "%.2f", $3 + $4 }')
		;;
	bash)
		bash -c 'TIMEFORMAT=%R; o=$1 e=$2; shift 2; { time "$@" > "$o" 2> "$e"; } 2>&1' \
		    bench "$out" "$ERR" $LIMIT "$@" > "$TIME"
		rc=$?
		secs=$(tail -n 1 "$TIME") kb=- cpu=-
		;;
	*)
		t0=$(date +%s.%N)
		$LIMIT "$@" > "$out" 2> "$ERR"
		rc=$?
		secs=$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.2f", b - a }') kb=- cpu=-
		;;
	esac
}

# bench TASK KIND TOOL NOTE OUT COUNT CMD...
# Runs CMD with stdout to OUT and records time, peak RSS and output rows.
# COUNT: csv (data rows, by libcsv), lines (minus the header), none, or csvparseK
# (CMD is csvparse on K files: it prints "fields rows", K of them headers).
# The baseline (KIND base) and the libsales tools (KIND ls) run three times
# and keep their best time, the same rule on both sides of every ratio: on a
# shared VM one run of a second-long task swings by a third (page reclaim
# after Miller's gigabytes, a busy neighbour), and a slow baseline would
# flatter every tool as a slow tool run would wrong it.  Peers run once:
# Miller's qualify run alone takes minutes.
bench() {
	task=$1 kind=$2 tool=$3 bnote=$4 out=$5 count=$6
	shift 6
	timed "$out" "$@"
	if { [ "$kind" = base ] || [ "$kind" = ls ]; } && [ "$rc" -eq 0 ]; then
		best=$secs bcpu=$cpu bkb=$kb
		for _ in 2 3; do
			timed "$out" "$@"
			[ "$rc" -eq 0 ] || break
			if awk -v a="$best" -v b="$secs" 'BEGIN { exit !(b < a) }'; then
				best=$secs bcpu=$cpu bkb=$kb
			fi
		done
		secs=$best cpu=$bcpu kb=$bkb
		bnote=${bnote:+$bnote; }"best of 3"
	fi
	note=""
	if [ "$rc" -ne 0 ]; then
		if [ "$rc" -eq 124 ] && [ -n "$LIMIT" ]; then
			note="timed out after ${TIMEOUT}s"
		else
			note="failed, exit $rc: $(head -n 1 "$ERR" | cut -c1-100)"
		fi
		record "$task" "$kind" "$tool" - - - "$note"
		say "$task: $tool: $note"
		return
	fi
	case $count in
	csv) rows=$(csvrows "$out") ;;
	lines) rows=$(($(wc -l < "$out") - 1)) ;;
	csvparse*) rows=$(awk -v k="${count#csvparse}" '{ print $2 - k }' "$out") ;;
	*) rows=- ;;
	esac
	[ "$out" != /dev/null ] && [ -z "$KEEP" ] && rm -f "$out"
	record "$task" "$kind" "$tool" "$secs" "$kb" "$rows" "$bnote" "$cpu"
	say "$task: $tool: ${secs}s, peak RSS ${kb} KB, $rows rows"
}

KEEP=""

# annotate TASK TOOL TEXT: add TEXT to the note of that row
annotate() {
	awk -F'\t' -v OFS='\t' -v t="$1" -v n="$2" -v x="$3" \
	    '$1 == t && $3 == n { $7 = ($7 == "" ? x : $7 "; " x) } { print }' "$TSV" > "$TSV.tmp" &&
		mv "$TSV.tmp" "$TSV"
}

# same TASK PEER_TOOL LS_OUT PEER_OUT NAME: does the peer's output match byte for byte?
same() {
	if [ -f "$3" ] && [ -f "$4" ]; then
		if cmp -s "$3" "$4"; then
			annotate "$1" "$2" "output identical to $5's"
		else
			annotate "$1" "$2" "output differs from $5's ($(cmp "$3" "$4" 2>&1 | sed 's/.*differ: //'))"
		fi
	fi
	rm -f "$3" "$4"
}

na() {	# na TASK TOOL NOTE
	record "$1" na "$2" - - - "$3"
	say "$1: $2: $3"
}

# Before each task: pull the files into the page cache and wake the CPU with
# one unrecorded libcsv pass, so the baseline, measured first, is not the
# run that pays for a cold start.
warm() { "$CSVPARSE" "$@" > /dev/null; }

LQ=$B/bin/lead-qualify
LA=$B/bin/lead-assign
LSCAT=$B/bin/ls-cat
for t in "$LQ" "$LA" "$LSCAT"; do
	usable "$t" || say "skipping ${t##*/}: not built yet (--help exits 2 or is missing)"
done

# ---- 1. parse: read every field of leads.csv (and write it back) ----

warm "$LEADS"
bench parse base "raw libcsv (csvparse)" "" "$O/parse.count" csvparse1 "$CSVPARSE" "$LEADS"
if usable "$LSCAT"; then
	bench parse ls "ls-cat > file" "reader + writer" "$O/parse.ls-cat.csv" csv "$LSCAT" "$LEADS"
	bench parse ls "ls-cat > /dev/null" "" /dev/null none "$LSCAT" "$LEADS"
else
	na parse ls-cat "skipped: not built yet"
fi
if have mlr; then
	bench parse peer "mlr --icsv --ocsv cat" "" "$O/parse.mlr.csv" csv mlr --icsv --ocsv cat "$LEADS"
else
	na parse mlr "skipped: Miller not installed"
fi
if have mawk; then
	bench parse peer "mawk -F, '{print}'" "not CSV-aware: splits on every comma, keeps quotes" \
	    "$O/parse.mawk.csv" lines mawk -F, '{print}' "$LEADS"
else
	na parse mawk "skipped: mawk not installed"
fi
if have datamash; then
	na parse datamash "n/a: no quoted-CSV parsing (splits on every comma)"
else
	na parse datamash "skipped: datamash not installed"
fi

# ---- 2. qualify: normalise, de-duplicate, join calls, score, status ----

warm "$LEADS" "$CALLS"
bench qualify base "raw libcsv (csvparse calls+leads)" "rows: calls + leads" "$O/qualify.count" csvparse2 "$CSVPARSE" "$CALLS" "$LEADS"
KEEP=yes
if usable "$LQ"; then
	bench qualify ls "lead-qualify -r rules.yaml --calls" "" "$O/qualify.lq.csv" csv \
	    "$LQ" -r bench/rules.yaml --calls "$CALLS" "$LEADS"
else
	na qualify lead-qualify "skipped: not built yet"
fi
# Miller keeps its maps as boxed values: 11-15 KB of RAM per lead (11-15 GB
# at 1M rows).  Skip it rather than swap or meet the OOM killer.
need_mb=$((N * 16 / 1024 + 512))
avail_mb=$(awk '/^MemAvailable:/ { print int($2 / 1024) }' /proc/meminfo 2>/dev/null)
if ! have mlr; then
	na qualify mlr "skipped: Miller not installed"
elif [ -n "$avail_mb" ] && [ "$avail_mb" -lt "$need_mb" ]; then
	na qualify mlr "skipped: needs ~${need_mb} MB of RAM, ${avail_mb} MB available"
else
	bench qualify peer "mlr put -f qualify.mlr" "same steps, all rows out" "$O/qualify.mlr.csv" csv \
	    mlr --icsv --ocsv put -f "$B/bench/qualify.mlr" "$CALLS" "$LEADS"
fi
KEEP=""
same qualify "mlr put -f qualify.mlr" "$O/qualify.lq.csv" "$O/qualify.mlr.csv" lead-qualify

# ---- 3. assign: round robin over five managers ----

warm "$LEADS"
bench assign base "raw libcsv (csvparse)" "" "$O/assign.count" csvparse1 "$CSVPARSE" "$LEADS"
KEEP=yes
if usable "$LA"; then
	bench assign ls "lead-assign -c team.yaml --dry-run" "" "$O/assign.la.csv" csv \
	    "$LA" -c bench/team.yaml --state "$D/bench-team.state" --dry-run "$LEADS"
else
	na assign lead-assign "skipped: not built yet"
fi
if have mlr; then
	bench assign peer "mlr put (round robin)" "" "$O/assign.mlr.csv" csv \
	    mlr --icsv --ocsv put '$manager = ["ivanov","petrova","sidorov","lee","smith"][(NR - 1) % 5 + 1]; $assign_reason = "round_robin"' "$LEADS"
else
	na assign mlr "skipped: Miller not installed"
fi
KEEP=""
same assign "mlr put (round robin)" "$O/assign.la.csv" "$O/assign.mlr.csv" lead-assign

# ---- the report ----

# Every tool that ran must have written one row per input lead.
bad=$(awk -F'\t' -v n="$N" '$2 != "base" && $6 != "-" && $6 != n { print $1 ": " $3 " wrote " $6 " rows, not " n }' "$TSV")
if [ -n "$bad" ]; then
	echo "$bad" | while IFS= read -r l; do say "ROW COUNT MISMATCH: $l"; done
	awk -F'\t' -v OFS='\t' -v n="$N" '$2 != "base" && $6 != "-" && $6 != n { $7 = ($7 == "" ? "" : $7 "; ") "ROW COUNT != " n } { print }' "$TSV" > "$TSV.tmp" &&
		mv "$TSV.tmp" "$TSV"
fi

version() { "$@" 2>&1 | head -n 1; }
{
	echo "# make bench results"
	echo
	echo "Generated by \`bench/run.sh\` on $(date -u '+%Y-%m-%d %H:%M UTC'); do not edit. How to read it: bench/README.md."
	echo
	echo "- rows: $N leads ($(mb "$LEADS") MB), $NCALLS calls ($(mb "$CALLS") MB); every field quoted"
	echo "- machine: $(nproc 2>/dev/null || echo '?') CPUs, $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo 2>/dev/null | head -n 1), $(uname -sr)"
	echo "- libsales build: $B; timer: $TIMER$( [ "$TIMER" = gnu ] || echo ' (no peak RSS)')"
	have mlr && echo "- peer: $(version mlr --version)"
	have mawk && echo "- peer: $(version mawk -W version)"
	have datamash && echo "- peer: $(version datamash --version)"
	echo "- libcsv: $(dpkg-query -W -f '${Version}' libcsv-dev 2>/dev/null || echo '?')"
	echo
	echo "| task | tool | seconds | CPU s | × raw libcsv | peak RSS MB | rows out | note |"
	echo "|---|---|---:|---:|---:|---:|---:|---|"
	awk -F'\t' '
	$2 == "base" { base[$1] = $4 }
	{
		ratio = "-"
		if ($4 != "-" && base[$1] != "" && base[$1] + 0 > 0)
			ratio = sprintf("%.2f", $4 / base[$1])
		rss = ($5 == "-" ? "-" : sprintf("%.1f", $5 / 1024))
		tool = $3
		if ($2 == "ls") tool = "**" tool "**"
		printf "| %s | %s | %s | %s | %s | %s | %s | %s |\n", $1, tool, $4, $8, ratio, rss, $6, $7
	}' "$TSV"
	echo
	echo "## Against SPEC section 4"
	echo
	echo "Targets for each libsales tool: ≤ 1.5× raw libcsv, ≥ 5× faster than Miller, faster than mawk/datamash where they can do the task (neither parses quoted CSV, so their rows are for reference), peak RSS < 16 MB (lead-qualify may add its de-duplication keys: < 250 MB for 1M leads).  Seconds are wall-clock; the libsales tools read on a second thread, so their CPU seconds (user + system) can exceed them."
	echo
	awk -F'\t' '
	function mark(ok) { return ok ? "met" : "**missed**" }
	$2 == "base" { base[$1] = $4 }
	$2 == "peer" && $3 ~ /^mlr/ && $4 != "-" { mlr[$1] = $4 }
	$2 == "peer" && $3 ~ /^mawk/ && $4 != "-" { mawk[$1] = $4 }
	$2 == "ls" { ls[++n] = $0 }
	END {
		for (i = 1; i <= n; i++) {
			split(ls[i], f, "\t")
			if (f[4] == "-") { printf "- %s (%s): did not run: %s\n", f[3], f[1], f[7]; continue }
			s = f[4] + 0
			line = sprintf("- %s (%s):", f[3], f[1])
			if (f[7] ~ /ROW COUNT/)
				line = line " **wrong row count**, figures not comparable;"
			if (base[f[1]] + 0 > 0)
				line = line sprintf(" %.2f× raw libcsv (%s);", s / base[f[1]], mark(s <= 1.5 * base[f[1]]))
			if (f[1] in mlr) {
				if (s > 0)
					line = line sprintf(" %.1f× faster than Miller (%s);", mlr[f[1]] / s, mark(mlr[f[1]] >= 5 * s))
				else
					line = line " faster than Miller (met: below the timer resolution);"
			}
			if (f[1] in mawk)	# mawk splits on every comma: a reference, not a target
				line = line sprintf(" %s than mawk (not CSV-aware, for reference);", s < mawk[f[1]] ? "faster" : "slower")
			# lead-qualify keeps its de-duplication keys: its issue bounds it at 250 MB for 1M leads
			lim = f[1] == "qualify" ? 250 : 16
			if (f[5] != "-")
				line = line sprintf(" %.1f MB peak RSS (%s, limit %d MB)", f[5] / 1024, mark(f[5] < lim * 1024), lim)
			sub(/;$/, "", line)
			print line
		}
		if (n == 0) print "- no libsales tool ran"
	}' "$TSV"
} > "$RESULTS"

sed -n '/^| task/,/^$/p' "$RESULTS"
sed -n '/^## Against/,$p' "$RESULTS" | sed 1,2d
echo "bench: written to $RESULTS" >&2
