#!/bin/sh
# make bench: the libsales tools against raw libcsv on five shapes of
# generated data, one whole pipeline against the same pipeline in Miller, and
# the peers (Miller, mawk, datamash).  A benchmark, not a test: it reports,
# it does not fail on a slow figure.  See bench/README.md.
#
#   sh bench/run.sh BUILD_DIR ROWS      (make bench B=... BENCH_ROWS=...)
#
# Every libsales figure is the median of BENCH_RUNS (default 5) runs, each
# round running the raw libcsv baseline and the tools on the same file, the
# order reversed every other round.  Raw runs go to build/bench-data/
# samples.tsv; bench/report.sh turns them into bench/RESULTS.md (run it alone
# to redo the report of an interrupted run).
#
# Knobs (environment): BENCH_RUNS (5), BENCH_TIMEOUT (seconds per command,
# 900), BENCH_SHAPES ("plain quoted notes cyrillic crlf"), BENCH_MLR_ROWS
# (leads for the Miller pipeline: ROWS up to 100000, else 100000),
# BENCH_PEERS (yes; no skips the single peer runs), BENCH_XLSX (yes:
# bench/xlsx.sh on a BENCH_XLSX_ROWS-row sheet, ROWS by default, against
# xlsx2csv), BENCH_PROFILE (yes: where
# perf stat has no counters, bench/profile.sh's cachegrind counts on
# BENCH_PROFILE_ROWS leads, 50000), BENCH_DOCS (invoices for
# bench/doc-release.sh, 20000), ZSV_SRC (a copy of the
# liquidaty/zsv sources: zsv joins the references; without it, skipped).
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
RUNS=${BENCH_RUNS:-5}
case $RUNS in
'' | *[!0-9]* | 0) echo "bench: BENCH_RUNS must be a positive number, not '$RUNS'" >&2; exit 2 ;;
esac
TIMEOUT=${BENCH_TIMEOUT:-900}
SHAPES=${BENCH_SHAPES:-plain quoted notes cyrillic crlf}
for s in $SHAPES; do
	case $s in
	plain | quoted | notes | cyrillic | crlf) ;;
	*) echo "bench: unknown shape '$s' in BENCH_SHAPES" >&2; exit 2 ;;
	esac
done
if [ -n "${BENCH_MLR_ROWS:-}" ]; then
	MN=$BENCH_MLR_ROWS
elif [ "$N" -le 50000 ]; then
	MN=$N
else
	MN=50000
fi
case $MN in
'' | *[!0-9]* | 0) echo "bench: BENCH_MLR_ROWS must be a positive number, not '$MN'" >&2; exit 2 ;;
esac
PEERS=${BENCH_PEERS:-yes}
D=build/bench-data
O=$D/out
SAMPLES=$D/samples.tsv	# group tool threads round wall cpu kb rc
CHECKS=$D/checks.tsv	# group tool threads rows note
PEERTSV=$D/peers.tsv	# task leads tool wall cpu kb rows note
BYTES=$D/bytes.tsv	# group bytes (of its input files, once)
PERF=$D/perf.tsv	# group tool threads cycles instructions cache-misses branch-misses
KPI=$D/kpi.md		# bench/kpi-report.sh's tables
HEAD=$D/head.md		# machine, versions, data: the top of RESULTS.md
CC=${CC:-cc}
mkdir -p "$B/bench" "$O" || exit 1
# --threads is passed explicitly; the environment must not override it
unset LS_THREADS
# one clock for lead-assign's assigned_at, which Miller's round robin writes too
SOURCE_DATE_EPOCH=1800000000
export SOURCE_DATE_EPOCH

say() { echo "bench: $*" >&2; }
T0=$(date +%s)

# ---- peers: install what is missing when we may, else say what is skipped ----

missing_pkgs() {
	m=""
	command -v mlr >/dev/null 2>&1 || m="$m miller"
	command -v datamash >/dev/null 2>&1 || m="$m datamash"
	command -v mawk >/dev/null 2>&1 || m="$m mawk"
	[ -x /usr/bin/time ] || m="$m time"
	command -v xlsx2csv >/dev/null 2>&1 || m="$m xlsx2csv"
	command -v valgrind >/dev/null 2>&1 || m="$m valgrind"
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
$CC -std=c11 -O2 -Wall -Wextra -Wpedantic -o "$B/bench/floor" bench/floor.c || exit 1
GEN=$B/bench/gen
CSVPARSE=$B/bench/csvparse
FLOOR=$B/bench/floor
# The references beside the old baseline (issue 31): libcsv at its defaults,
# zsv's SIMD parser, the reader alone, and the floor (memchr, cat).  zsv is
# built from ZSV_SRC with -O3 and the SIMD flags its configure picks here
# (-mavx2 when the processor has it); nothing of zsv is kept in the project.
ZSVPARSE="" ZSVNOTE=""
if [ -z "${ZSV_SRC:-}" ]; then
	ZSVNOTE="skipped: ZSV_SRC not set (a copy of github.com/liquidaty/zsv)"
elif [ ! -f "$ZSV_SRC/src/zsv.c" ] || [ ! -f "$ZSV_SRC/include/zsv.h.in" ]; then
	ZSVNOTE="skipped: no src/zsv.c and include/zsv.h.in under ZSV_SRC=$ZSV_SRC"
else
	mkdir -p "$B/bench/zsv-include"
	sed 's/__ZSV_EXTRAS__DEFINE__//' "$ZSV_SRC/include/zsv.h.in" > "$B/bench/zsv-include/zsv.h"
	zsimd=""
	grep -qw avx2 /proc/cpuinfo 2>/dev/null && zsimd=-mavx2
	if $CC -std=gnu11 -O3 -DNDEBUG -DNO_UTF8_CHECK -D_GNU_SOURCE -fsigned-char $zsimd \
	    -I"$B/bench/zsv-include" -I"$ZSV_SRC/include" -I"$ZSV_SRC/src" \
	    -o "$B/bench/zsvparse" bench/zsvparse.c "$ZSV_SRC/src/zsv.c" 2> "$B/bench/zsv-build.log"; then
		ZSVPARSE=$B/bench/zsvparse
		zv=$(git -C "$ZSV_SRC" log -1 --format='%h %cd' --date=short 2>/dev/null)
		ZSVNOTE="zsv from $ZSV_SRC${zv:+ ($zv)}, -O3 ${zsimd:-(no AVX2)}"
	else
		ZSVNOTE="skipped: zsv did not build from ZSV_SRC=$ZSV_SRC (see $B/bench/zsv-build.log)"
	fi
fi
say "zsv: $ZSVNOTE"
# the reader alone (bench/lsparse.c, as parse-ratio.sh builds it)
LSPARSE=""
if [ -f "$B/libsales.a" ]; then
	inc=$(for d in libsales libsales/*/; do printf ' -I%s' "$d"; done)
	# shellcheck disable=SC2086
	$CC -std=c11 -O2 -Wall -Wextra -Wpedantic -D_DEFAULT_SOURCE $inc -o "$B/bench/lsparse" bench/lsparse.c \
	    "$B/libsales.a" -lcsv -lyaml -lzip -lexpat -lfreexl -lm -pthread && LSPARSE=$B/bench/lsparse
fi
# the single-file data of make bench before the shapes
rm -f "$D/leads.csv" "$D/calls.csv" "$D/stamp"

# rows SHAPE: leads generated for SHAPE (notes: a tenth, its rows are ~15× longer)
rows() {
	if [ "$1" = notes ]; then
		r=$((N / 10))
		[ "$r" -ge 1 ] || r=1
		echo "$r"
	else
		echo "$N"
	fi
}

# gendata SHAPE ROWS DIR: DIR/leads.csv (ROWS) and DIR/calls.csv (2 × ROWS)
gendata() {
	mkdir -p "$3" || exit 1
	stamp="$2 $1 $(cksum < bench/gen.c)"
	if [ -f "$3/leads.csv" ] && [ -f "$3/calls.csv" ] && [ "$(cat "$3/stamp" 2>/dev/null)" = "$stamp" ]; then
		say "reusing $3/ ($1, $2 leads)"
		return
	fi
	say "generating $3/ ($1, $2 leads, $(($2 * 2)) calls)"
	rm -f "$3/stamp"
	"$GEN" -s "$1" leads "$2" > "$3/leads.csv" &&
		"$GEN" -s "$1" calls "$(($2 * 2))" "$2" > "$3/calls.csv" || exit 1
	echo "$stamp" > "$3/stamp"
}
for s in $SHAPES; do
	gendata "$s" "$(rows "$s")" "$D/$s"
done
# the Miller pipeline's data: plain, MN leads
MD=$D/plain-$MN
if [ "$MN" = "$N" ] && case " $SHAPES " in *" plain "*) true ;; *) false ;; esac; then
	MD=$D/plain
else
	gendata plain "$MN" "$MD"
fi
# the peers run on the quoted shape, as make bench did before the shapes;
# Miller's qualify on MN leads of it
QD=$D/quoted
QM=$D/quoted-$MN
if [ "$PEERS" != no ]; then
	gendata quoted "$N" "$QD"
	if [ "$MN" = "$N" ]; then
		QM=$QD
	else
		gendata quoted "$MN" "$QM"
	fi
fi
if [ "${BENCH_GEN_ONLY:-no}" = yes ]; then
	say "BENCH_GEN_ONLY=yes: data generated, nothing measured"
	exit 0
fi
# the small data of an earlier BENCH_MLR_ROWS
for d in "$D"/plain-* "$D"/quoted-*; do
	[ -d "$d" ] && [ "$d" != "$MD" ] && [ "$d" != "$QM" ] && rm -rf "$d"
done
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

: > "$SAMPLES"
: > "$CHECKS"
: > "$PEERTSV"
: > "$BYTES"
: > "$PERF"
rm -f "$KPI" "$D/doc-release.md" "$D/doc-pdf.md"
ERR=$D/stderr.txt
TIME=$D/time.txt

# timed OUT CMD...: run CMD once, stdout to OUT; sets rc, wall, cpu (user +
# system, children included) and kb (peak RSS of the largest process).
timed() {
	out=$1
	shift
	case $TIMER in
	gnu)
		/usr/bin/time -f '%e %U %S %M' -o "$TIME" $LIMIT "$@" > "$out" 2> "$ERR"
		rc=$?
		set -- $(tail -n 1 "$TIME")
		wall=${1:--}
		cpu=$(awk -v u="${2:-0}" -v s="${3:-0}" 'BEGIN { printf "%.2f", u + s }')
		kb=${4:--}
		;;
	bash)
		bash -c 'TIMEFORMAT="%R %U %S"; o=$1 e=$2; shift 2; { time "$@" > "$o" 2> "$e"; } 2>&1' \
		    bench "$out" "$ERR" $LIMIT "$@" > "$TIME"
		rc=$?
		set -- $(tail -n 1 "$TIME")
		wall=${1:--}
		cpu=$(awk -v u="${2:-0}" -v s="${3:-0}" 'BEGIN { printf "%.2f", u + s }')
		kb=-
		;;
	*)
		t0=$(date +%s.%N)
		$LIMIT "$@" > "$out" 2> "$ERR"
		rc=$?
		wall=$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.2f", b - a }') cpu=- kb=-
		;;
	esac
	if [ "$rc" -ne 0 ]; then
		if [ "$rc" -eq 124 ] && [ -n "$LIMIT" ]; then
			fail="timed out after ${TIMEOUT}s"
		else
			fail="failed, exit $rc: $(head -n 1 "$ERR" | cut -c1-100)"
		fi
	else
		fail=""
	fi
}

# data rows of a CSV file (header excluded), counted by libcsv
csvrows() {
	"$CSVPARSE" "$1" 2>/dev/null | awk '{ print $2 - 1 }'
}

# isref TOOL: a reference row (issue 31), timed like the baseline, no CSV out
isref() {
	case $1 in "libcsv defaults"* | zsv* | "reader alone"* | "memchr floor"* | "cat floor"*) return 0 ;; esac
	return 1
}

# FLOOR_PASSES: the floor reads its files this many times over, so that its
# CPU seconds are not lost in the timer's 10 ms steps; the bytes count them all
FLOOR_PASSES=10
times10() { k=0; while [ "$k" -lt "$FLOOR_PASSES" ]; do printf ' %s' "$@"; k=$((k + 1)); done; }

# refs LABEL FILES...: the reference variants of a group, after its baseline;
# gbytes GROUP FILES...: the group's bytes into bytes.tsv (for MB per CPU s)
refs() {
	rl=$1
	shift
	variant "libcsv defaults ($rl)#-#$CSVPARSE -d $*"
	[ -n "$ZSVPARSE" ] && variant "zsv ($rl)#-#$ZSVPARSE $*"
	[ -n "$LSPARSE" ] && variant "reader alone, lsparse ($rl)#-#$LSPARSE $*"
	variant "memchr floor, $FLOOR_PASSES passes ($rl)#-#$FLOOR$(times10 "$@")"
	variant "cat floor, $FLOOR_PASSES passes ($rl)#-#cat$(times10 "$@")"
}
gbytes() {
	g=$1
	shift
	printf '%s\t%s\n' "$g" "$(cat "$@" | wc -c)" >> "$BYTES"
}

# A variant is "TOOL#THREADS#COMMAND": TOOL is its name in the report,
# THREADS its --threads (- for the baseline), COMMAND words split on spaces
# (no file name here holds one).  V_1 ... V_n hold a group's variants, V_1
# the baseline.
nv=0 KEEP_ALL=""
variant() {
	nv=$((nv + 1))
	eval "V_$nv=\$1"
}

# parsev VARIANT: sets vtool, vthr and vcmd
parsev() {
	vtool=${1%%#*}
	rest=${1#*#}
	vthr=${rest%%#*}
	vcmd=${rest#*#}
}

# check GROUP EXPECTED: run each tool of the group once, untimed (it also
# warms the page cache and the CPU), output to a file: count its rows against
# EXPECTED, compare --threads 2's output with --threads 1's.  Records the
# result in checks.tsv.  An untimed baseline run comes first, as a warm-up.
check() {
	group=$1 want=$2
	parsev "$V_1"
	# shellcheck disable=SC2086
	base=$($vcmd 2>/dev/null)
	ptool="" pfile="" pthr="" pgot=""
	i=1
	while [ "$i" -lt "$nv" ]; do
		i=$((i + 1))
		eval "parsev \"\$V_$i\""
		f=$O/check.$i.csv
		if isref "$vtool"; then
			# a reference counts, it writes no CSV: its counts must be the baseline's
			# shellcheck disable=SC2086
			case $vtool in
			cat*) $vcmd > /dev/null 2>&1; note="reference: the bytes copied, nothing parsed" ;;
			memchr*) note="reference: bytes and lines $($vcmd 2>/dev/null)" ;;
			*)
				got=$($vcmd 2>/dev/null)
				if [ "$got" = "$base" ]; then
					note="reference: same fields and rows as raw libcsv ($got)"
				else
					note="reference: COUNTS DIFFER from raw libcsv's: $got, not $base"
					say "$group: $vtool: $note"
				fi
				;;
			esac
			printf '%s\t%s\t%s\t%s\t%s\n' "$group" "$vtool" "$vthr" "-" "$note" >> "$CHECKS"
			continue
		fi
		# shellcheck disable=SC2086
		timed "$f" $vcmd
		if [ -n "$fail" ]; then
			note=$fail
			got=-
		else
			note=""
			# the same tool with another --threads must write the same bytes
			# (then they are the same rows: no need to count them again)
			if [ "$ptool" = "$vtool" ] && [ -f "$pfile" ] && cmp -s "$pfile" "$f"; then
				got=$pgot
				note="output identical to --threads $pthr's"
			elif [ "$ptool" = "$vtool" ] && [ -f "$pfile" ]; then
				got=$(csvrows "$f")
				note="OUTPUT DIFFERS from --threads $pthr's ($(cmp "$pfile" "$f" 2>&1 | sed 's/.*differ: //'))"
			else
				got=$(csvrows "$f")
			fi
			[ "$got" = "$want" ] || note="ROW COUNT $got != $want${note:+; $note}"
		fi
		case $note in *"ROW COUNT"* | *DIFFERS* | failed* | timed*) say "$group: $vtool --threads $vthr: $note" ;; esac
		printf '%s\t%s\t%s\t%s\t%s\n' "$group" "$vtool" "$vthr" "$got" "${note:--}" >> "$CHECKS"
		# keep the outputs for a comparison outside when asked
		[ -n "${KEEP_ALL:-}" ] && cp "$f" "$KEEP_ALL.$i.csv"
		[ -n "$pfile" ] && rm -f "$pfile"
		ptool=$vtool pfile=$f pthr=$vthr pgot=$got
	done
	rm -f "$O"/check.*.csv
}

# series GROUP: RUNS rounds of the group's variants, outputs to /dev/null,
# V_1 (the baseline) first in odd rounds and last in even ones.  One line per
# run in samples.tsv.
series() {
	group=$1
	r=1
	while [ "$r" -le "$RUNS" ]; do
		if [ $((r % 2)) -eq 1 ]; then i=1 step=1 end=$((nv + 1)); else i=$nv step=-1 end=0; fi
		while [ "$i" -ne "$end" ]; do
			eval "parsev \"\$V_$i\""
			# shellcheck disable=SC2086
			timed /dev/null $vcmd
			if [ -n "$fail" ]; then
				say "$group: $vtool --threads $vthr: $fail"
				printf '%s\t%s\t%s\t%s\t-\t-\t-\t%s\n' "$group" "$vtool" "$vthr" "$r" "$fail" >> "$SAMPLES"
			else
				printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t0\n' "$group" "$vtool" "$vthr" "$r" "$wall" "$cpu" "$kb" >> "$SAMPLES"
			fi
			i=$((i + step))
		done
		r=$((r + 1))
	done
	awk -F'\t' -v g="$group" '$1 == g && $8 == 0 { w[$2 " --threads " $3] = w[$2 " --threads " $3] " " $5 }
		END { for (k in w) printf "bench: %s: %s: wall%s\n", g, k, w[k] }' "$SAMPLES" | sort >&2
}

LQ=$B/bin/lead-qualify
LA=$B/bin/lead-assign
LSCAT=$B/bin/ls-cat
have_lq=no have_la=no have_cat=no
usable "$LQ" && have_lq=yes
usable "$LA" && have_la=yes
usable "$LSCAT" && have_cat=yes
for t in "$LQ" "$LA" "$LSCAT"; do
	usable "$t" || say "skipping ${t##*/}: not built yet (--help exits 2 or is missing)"
done

# ---- perf stat, when the counters are there (not in most VMs) ----

PERFOK=no
if ! have perf; then
	PERFNOTE="skipped: perf not installed"
elif perf stat -x, -e instructions true 2>&1 >/dev/null | grep -q '^[0-9]'; then
	PERFOK=yes
	PERFNOTE="cycles, instructions, cache-misses, branch-misses: one run per tool (--threads 1) and reference, per shape"
else
	PERFNOTE="skipped: \`perf stat -e instructions true\` says $(perf stat -x, -e instructions true 2>&1 >/dev/null | cut -d, -f1 | head -n 1 | cut -c1-60) here (no hardware counters in this VM)"
fi

# perfstat GROUP: one perf stat run of each variant but --threads 2 into perf.tsv
perfstat() {
	[ "$PERFOK" = yes ] || return 0
	i=0
	while [ "$i" -lt "$nv" ]; do
		i=$((i + 1))
		eval "parsev \"\$V_$i\""
		[ "$vthr" = 2 ] && continue
		# shellcheck disable=SC2086
		perf stat -x, -o "$O/perf.txt" -e cycles,instructions,cache-misses,branch-misses $vcmd > /dev/null 2>&1 || continue
		awk -F, -v OFS='\t' -v g="$1" -v t="$vtool" -v th="$vthr" '
			$3 ~ /^cycles/ { c = $1 } $3 ~ /^instructions/ { n = $1 }
			$3 ~ /^cache-misses/ { m = $1 } $3 ~ /^branch-misses/ { b = $1 }
			END { print g, t, th, c, n, m, b }' "$O/perf.txt" >> "$PERF"
	done
}

# ---- the head of the report: machine, versions, data ----

version() { "$@" 2>&1 | head -n 1; }
{
	echo "- machine: $(nproc 2>/dev/null || echo '?') CPUs, $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo 2>/dev/null | head -n 1), $(uname -sr); load average at the start: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null)"
	echo "- libsales: $B ($(git log -1 --format='%h %cd' --date=short 2>/dev/null || echo '?'), $("$LQ" --version 2>&1 | head -n 1)); timer: $TIMER$( [ "$TIMER" = gnu ] || echo ' (no peak RSS)'); $RUNS runs per figure$( [ -f "$B/pgo/trained" ] && echo '; built with profile-guided optimisation (bench/train.sh)')"
	echo "- libcsv: $(dpkg-query -W -f '${Version}' libcsv-dev 2>/dev/null || echo '?'); compiler: $(version $CC --version)"
	have mlr && echo "- peer: $(version mlr --version)"
	have mawk && echo "- peer: $(version mawk -W version)"
	have datamash && echo "- peer: $(version datamash --version)"
	echo "- references (issue 31): libcsv defaults (\`csvparse -d\`: no space function, CSV_STRICT); $ZSVNOTE;$( [ -n "$LSPARSE" ] && echo ' the reader alone (bench/lsparse.c);') the floor: bench/floor.c (read() in 1 MiB blocks, memchr for each newline) and \`cat > /dev/null\`, each reading its files $FLOOR_PASSES times over"
	echo "- perf stat: $PERFNOTE"
	echo "- data (bench/gen.c), leads + calls:"
	for s in $SHAPES; do
		echo "  - $s: $(rows "$s") leads ($(mb "$D/$s/leads.csv") MB), $(($(rows "$s") * 2)) calls ($(mb "$D/$s/calls.csv") MB)"
	done
} > "$HEAD"

# ---- per shape: pass-through and qualify, --threads 1 and 2 ----

for s in $SHAPES; do
	L=$D/$s/leads.csv
	C=$D/$s/calls.csv
	n=$(rows "$s")
	say "shape $s: $n leads"

	nv=0
	variant "raw libcsv (leads)#-#$CSVPARSE $L"
	refs leads "$L"
	gbytes "$s/leads" "$L"
	if [ "$have_cat" = yes ]; then
		variant "ls-cat#1#$LSCAT --threads 1 $L"
		variant "ls-cat#2#$LSCAT --threads 2 $L"
	fi
	if [ "$have_la" = yes ]; then
		variant "lead-assign -c solo.yaml --dry-run#1#$LA -c bench/solo.yaml --state $D/bench-solo.state --dry-run --threads 1 $L"
		variant "lead-assign -c solo.yaml --dry-run#2#$LA -c bench/solo.yaml --state $D/bench-solo.state --dry-run --threads 2 $L"
	fi
	check "$s/leads" "$n"
	series "$s/leads"
	perfstat "$s/leads"

	nv=0
	variant "raw libcsv (calls + leads)#-#$CSVPARSE $C $L"
	refs "calls + leads" "$C" "$L"
	gbytes "$s/qualify" "$C" "$L"
	if [ "$have_lq" = yes ]; then
		variant "lead-qualify -r rules.yaml --calls#1#$LQ -r bench/rules.yaml --calls $C --threads 1 $L"
		variant "lead-qualify -r rules.yaml --calls#2#$LQ -r bench/rules.yaml --calls $C --threads 2 $L"
	fi
	check "$s/qualify" "$n"
	series "$s/qualify"
	perfstat "$s/qualify"
done

# ---- the whole pipeline: lead-qualify | lead-assign --dry-run ----

PL=$D/plain
[ -d "$PL" ] && [ -f "$PL/leads.csv" ] || { PL=$D/$(echo $SHAPES | cut -d' ' -f1); }
if [ "$have_lq" = yes ] && [ "$have_la" = yes ]; then
	pn=$(awk '{ print $1 }' "$PL/stamp")
	say "pipeline: $pn leads (${PL##*/})"
	nv=0
	variant "raw libcsv (calls + leads)#-#$CSVPARSE $PL/calls.csv $PL/leads.csv"
	variant "libcsv defaults (calls + leads)#-#$CSVPARSE -d $PL/calls.csv $PL/leads.csv"
	gbytes "pipeline/${PL##*/}-$pn" "$PL/calls.csv" "$PL/leads.csv"
	variant "lead-qualify | lead-assign#1#sh bench/pipeline.sh ls $B/bin 1 $PL/calls.csv $PL/leads.csv $D/bench-team.state"
	variant "lead-qualify | lead-assign#2#sh bench/pipeline.sh ls $B/bin 2 $PL/calls.csv $PL/leads.csv $D/bench-team.state"
	check "pipeline/${PL##*/}-$pn" "$pn"
	series "pipeline/${PL##*/}-$pn"

	# the same pipeline in Miller, on MN leads
	if have mlr; then
		say "pipeline in Miller: $MN leads (${MD##*/})"
		nv=0
		variant "raw libcsv (calls + leads)#-#$CSVPARSE $MD/calls.csv $MD/leads.csv"
		variant "libcsv defaults (calls + leads)#-#$CSVPARSE -d $MD/calls.csv $MD/leads.csv"
		gbytes "mlr-pipeline/plain-$MN" "$MD/calls.csv" "$MD/leads.csv"
		variant "lead-qualify | lead-assign#1#sh bench/pipeline.sh ls $B/bin 1 $MD/calls.csv $MD/leads.csv $D/bench-team.state"
		variant "mlr put -f qualify.mlr | mlr put (round robin)#-#sh bench/pipeline.sh mlr $B/bench/qualify.mlr $MD/calls.csv $MD/leads.csv"
		KEEP_ALL=$O/keep
		check "mlr-pipeline/plain-$MN" "$MN"
		KEEP_ALL=""
		# did Miller write the same bytes?
		a=$O/keep.3.csv b=$O/keep.4.csv
		if [ ! -f "$a" ] || [ ! -f "$b" ]; then
			same="not compared: a pipeline failed"
		elif cmp -s "$a" "$b"; then
			same="output identical to the libsales pipeline's"
		else
			same="OUTPUT DIFFERS from the libsales pipeline's ($(cmp "$a" "$b" 2>&1 | sed 's/.*differ: //'))"
			say "Miller pipeline: $same"
		fi
		rm -f "$O"/keep.*.csv
		awk -F'\t' -v OFS='\t' -v g="mlr-pipeline/plain-$MN" -v x="$same" \
		    '$1 == g && $2 ~ /^mlr/ { $5 = ($5 == "-" ? x : $5 "; " x) } { print }' "$CHECKS" > "$CHECKS.tmp" &&
			mv "$CHECKS.tmp" "$CHECKS"
		series "mlr-pipeline/plain-$MN"
	else
		say "pipeline in Miller: skipped, Miller not installed"
		printf '%s\t%s\t%s\t%s\t%s\n' "mlr-pipeline/-" "mlr" "-" "-" "skipped: Miller not installed" >> "$CHECKS"
	fi
fi

# ---- peers: one run each, on the quoted shape, beside libcsv and the tool ----

# peer TASK LEADS TOOL NOTE COUNT OUT CMD...: one timed run into peers.tsv.
# COUNT: csv (data rows, by libcsv), lines (minus the header), none.
peer() {
	task=$1 pleads=$2 tool=$3 pnote=$4 count=$5 out=$6
	shift 6
	timed "$out" "$@"
	if [ -n "$fail" ]; then
		printf '%s\t%s\t%s\t-\t-\t-\t-\t%s\n' "$task" "$pleads" "$tool" "$fail" >> "$PEERTSV"
		say "peer $task: $tool: $fail"
		return
	fi
	case $count in
	csv) prows=$(csvrows "$out") ;;
	lines) prows=$(($(wc -l < "$out") - 1)) ;;
	*) prows=- ;;
	esac
	[ "$prows" = - ] || [ "$prows" = "$pleads" ] || pnote=${pnote:+$pnote; }"ROW COUNT != $pleads"
	printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$task" "$pleads" "$tool" "$wall" "$cpu" "$kb" "$prows" "${pnote:--}" >> "$PEERTSV"
	say "peer $task: $tool: ${wall}s wall, ${cpu}s CPU, peak RSS ${kb} KB, $prows rows"
}
pna() { printf '%s\t%s\t%s\t-\t-\t-\t-\t%s\n' "$1" "$2" "$3" "$4" >> "$PEERTSV"; say "peer $1: $3: $4"; }

# same TASK OUT_A OUT_B NAME: add to the note of the task's last row
same() {
	if [ -f "$2" ] && [ -f "$3" ]; then
		if cmp -s "$2" "$3"; then
			x="output identical to $4's"
		else
			x="output differs from $4's ($(cmp "$2" "$3" 2>&1 | sed 's/.*differ: //'))"
			say "peer $1: $x"
		fi
		awk -F'\t' -v OFS='\t' -v x="$x" -v n="$(awk -F'\t' -v t="$1" '$1 == t { k = NR } END { print k }' "$PEERTSV")" \
		    'NR == n { $8 = ($8 == "-" ? x : $8 "; " x) } { print }' "$PEERTSV" > "$PEERTSV.tmp" &&
			mv "$PEERTSV.tmp" "$PEERTSV"
	fi
	rm -f "$2" "$3"
}

if [ "$PEERS" = no ]; then
	say "peers: skipped (BENCH_PEERS=no)"
else
	QL=$QD/leads.csv
	# parse: read the leads and write them back
	"$CSVPARSE" "$QL" > /dev/null
	peer parse "$N" "raw libcsv (leads)" "baseline" none /dev/null "$CSVPARSE" "$QL"
	[ "$have_cat" = yes ] && peer parse "$N" "ls-cat --threads 1" "" csv "$O/parse.ls.csv" "$LSCAT" --threads 1 "$QL"
	rm -f "$O/parse.ls.csv"
	if have mlr; then
		peer parse "$N" "mlr --icsv --ocsv cat" "" csv "$O/parse.mlr.csv" mlr --icsv --ocsv cat "$QL"
		rm -f "$O/parse.mlr.csv"
	else
		pna parse "$N" mlr "skipped: Miller not installed"
	fi
	if have mawk; then
		peer parse "$N" "mawk -F, '{print}'" "not CSV-aware: splits on every comma, keeps quotes" lines \
		    "$O/parse.mawk.csv" mawk -F, '{print}' "$QL"
		rm -f "$O/parse.mawk.csv"
	else
		pna parse "$N" mawk "skipped: mawk not installed"
	fi
	if have datamash; then
		pna parse "$N" datamash "n/a: no quoted-CSV parsing (splits on every comma)"
	else
		pna parse "$N" datamash "skipped: datamash not installed"
	fi

	# qualify: on MN leads (Miller needs minutes and ~10 GB at 1M)
	"$CSVPARSE" "$QM/calls.csv" "$QM/leads.csv" > /dev/null
	peer qualify "$MN" "raw libcsv (calls + leads)" "baseline" none /dev/null "$CSVPARSE" "$QM/calls.csv" "$QM/leads.csv"
	if [ "$have_lq" = yes ]; then
		peer qualify "$MN" "lead-qualify --threads 1" "" csv "$O/qualify.lq.csv" \
		    "$LQ" -r bench/rules.yaml --calls "$QM/calls.csv" --threads 1 "$QM/leads.csv"
	fi
	# Miller keeps its maps as boxed values: 11-15 KB of RAM per lead.
	# Skip it rather than swap or meet the OOM killer.
	need_mb=$((MN * 16 / 1024 + 512))
	avail_mb=$(awk '/^MemAvailable:/ { print int($2 / 1024) }' /proc/meminfo 2>/dev/null)
	if ! have mlr; then
		pna qualify "$MN" mlr "skipped: Miller not installed"
	elif [ -n "$avail_mb" ] && [ "$avail_mb" -lt "$need_mb" ]; then
		pna qualify "$MN" mlr "skipped: needs ~${need_mb} MB of RAM, ${avail_mb} MB available"
	else
		peer qualify "$MN" "mlr put -f qualify.mlr" "same steps, all rows out" csv "$O/qualify.mlr.csv" \
		    mlr --icsv --ocsv put -f "$B/bench/qualify.mlr" "$QM/calls.csv" "$QM/leads.csv"
		same qualify "$O/qualify.lq.csv" "$O/qualify.mlr.csv" "lead-qualify"
	fi
	rm -f "$O/qualify.lq.csv" "$O/qualify.mlr.csv"

	# assign: round robin over five managers
	"$CSVPARSE" "$QL" > /dev/null
	peer assign "$N" "raw libcsv (leads)" "baseline" none /dev/null "$CSVPARSE" "$QL"
	if [ "$have_la" = yes ]; then
		peer assign "$N" "lead-assign -c team.yaml --threads 1" "" csv "$O/assign.la.csv" \
		    "$LA" -c bench/team.yaml --state "$D/bench-team.state" --dry-run --threads 1 "$QL"
	fi
	if have mlr; then
		peer assign "$N" "mlr put (round robin)" "" csv "$O/assign.mlr.csv" \
		    mlr --icsv --ocsv put '$manager = ["ivanov","petrova","sidorov","lee","smith"][(NR - 1) % 5 + 1]; $assign_reason = "round_robin"; $assigned_at = sec2gmt(int(ENV["SOURCE_DATE_EPOCH"]))' "$QL"
		same assign "$O/assign.la.csv" "$O/assign.mlr.csv" "lead-assign"
	else
		pna assign "$N" mlr "skipped: Miller not installed"
	fi
	rm -f "$O/assign.la.csv" "$O/assign.mlr.csv"
fi

# ---- counters without perf: cachegrind's simulation (bench/profile.sh) ----

rm -f "$D/profile.md"
if [ "$PERFOK" = no ] && have valgrind && [ "${BENCH_PROFILE:-yes}" = yes ]; then
	PN=${BENCH_PROFILE_ROWS:-50000}
	say "cachegrind: $PN leads of each shape (bench/profile.sh; BENCH_PROFILE=no skips it)"
	{ echo "rows: $PN"; BENCH_SHAPES="$SHAPES" sh bench/profile.sh "$B" "$PN"; } > "$D/profile.md" 2> "$O/profile.err" || {
		say "cachegrind profile failed: $(head -n 1 "$O/profile.err")"
		rm -f "$D/profile.md"
	}
fi

# ---- kpi-report against mawk's count and sum (bench/kpi-report.sh) ----

KN=$((N * 2))
if usable "$B/bin/kpi-report"; then
	say "kpi-report: $KN calls over a month, $((KN / 10)) deals, $RUNS runs each"
	KPI_RUNS=$RUNS sh bench/kpi-report.sh "$B" "$KN" > "$KPI" 2> "$O/kpi.err" ||
		say "kpi-report bench failed: $(head -n 1 "$O/kpi.err")"
else
	say "kpi-report: skipped, not built yet"
fi

# ---- .xlsx in: ls-cat against xlsx2csv (bench/xlsx.sh) ----

XN=${BENCH_XLSX_ROWS:-$N}
rm -f "$D/xlsx.md"
if [ "${BENCH_XLSX:-yes}" = yes ] && [ "$have_cat" = yes ]; then
	say "xlsx: a $XN-row sheet (shared strings), ls-cat and xlsx2csv, $RUNS runs each"
	BENCH_RUNS=$RUNS sh bench/xlsx.sh "$B" "$XN" shared > "$D/xlsx.md" 2> "$O/xlsx.err" || {
		say "xlsx bench failed: $(grep -v '^bench: ' "$O/xlsx.err" | head -n 1)"
		rm -f "$D/xlsx.md"
	}
fi

# ---- doc-render's gate: render, approve, release (bench/doc-release.sh) ----

DRN=${BENCH_DOCS:-20000}
if usable "$B/bin/doc-render"; then
	say "doc-render: $DRN invoices rendered with -m, approved, released"
	sh bench/doc-release.sh "$B" "$DRN" > "$D/doc-release.md" 2> "$O/doc-release.err" ||
		say "doc-render bench failed: $(head -n 1 "$O/doc-release.err")"
else
	say "doc-render: skipped, not built yet"
fi

# ---- doc-render release --pdf: one Chromium for the batch (bench/doc-pdf.sh) ----

PDN=${BENCH_PDF_DOCS:-1000}
if ! usable "$B/bin/doc-render"; then
	say "doc-render --pdf: skipped, not built yet"
elif ! command -v chromium > /dev/null 2>&1; then
	echo "skipped: chromium is not installed (apt-get install chromium)" > "$D/doc-pdf.md"
	say "doc-render --pdf: skipped, no chromium"
else
	say "doc-render --pdf: $PDN invoices printed to PDF by release --pdf"
	sh bench/doc-pdf.sh "$B" "$PDN" > "$D/doc-pdf.md" 2> "$O/doc-pdf.err" ||
		say "doc-render --pdf bench failed: $(head -n 1 "$O/doc-pdf.err")"
fi

echo "- run: $(( ($(date +%s) - T0) / 60 )) min; load average at the end: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null)" >> "$HEAD"
sh bench/report.sh "$D" bench/RESULTS.md
