#!/bin/sh
# scan-levels.sh [B] [N] [DATA] [SHAPE...] - the reader's scans against each other: AVX2, SSE2, portable.
#
# Issue 31: does AVX2 pay, shape by shape?  For each SHAPE (default: all
# five) under DATA (default build/bench-data, as make bench leaves it; each
# SHAPE/leads.csv and SHAPE/calls.csv), three commands under LS_SCAN=avx2,
# sse2 and scalar (libsales-formats(5)):
#   lsparse leads          the reader alone, leads.csv five times over
#   lsparse calls + leads  the reader alone, calls.csv then leads.csv, twice
#   ls-cat leads           reader and writer, --threads 1, leads.csv twice, to /dev/null
# First the instructions each executes (valgrind --tool=callgrind, one run:
# they repeat exactly) on the first SCAN_CG_ROWS rows (default 100000) of
# each file; then N rounds (default 7) of CPU seconds (user + system), the
# three levels in turn inside each round so that the machine's load falls on
# all of them alike; the medians.  Tab-separated lines on standard output:
#   cg    SHAPE COMMAND LEVEL INSTRUCTIONS
#   cpu   SHAPE COMMAND LEVEL MEDIAN_S RUNS...
# Needs $B/libsales.a and $B/bin/ls-cat (make RELEASE=1), /usr/bin/time and
# valgrind (SCAN_CG=no skips the instruction counts).
B=${1:-build/rel}
N=${2:-7}
DATA=${3:-build/bench-data}
shift 3 2>/dev/null
SHAPES=${*:-plain quoted notes cyrillic crlf}
CG_ROWS=${SCAN_CG_ROWS:-100000}
LSPARSE=$B/bench/lsparse
LSCAT=$B/bin/ls-cat
LEVELS="avx2 sse2 scalar"

[ -x /usr/bin/time ] || { echo "scan-levels: needs /usr/bin/time (apt-get install time)" >&2; exit 2; }
[ -e "$B/libsales.a" ] && [ -x "$LSCAT" ] || { echo "scan-levels: $B/libsales.a or $LSCAT missing: run make first" >&2; exit 2; }
mkdir -p "$B/bench"
inc=$(for d in libsales libsales/*/; do printf ' -I%s' "$d"; done)
# shellcheck disable=SC2086
${CC:-cc} -std=c11 -O2 -Wall -Wextra -Wpedantic -D_DEFAULT_SOURCE $inc -o "$LSPARSE" bench/lsparse.c \
    "$B/libsales.a" -lcsv -lyaml -lzip -lexpat -lfreexl -lm -pthread || exit 1
unset LS_THREADS LS_SCALAR LS_SCAN
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM

cpu() {	# cpu LEVEL COMMAND FILES...: user + system seconds
	l=$1
	shift
	LS_SCAN=$l /usr/bin/time -f '%U %S' sh -c '"$0" "$@" > /dev/null' "$@" 2>&1 | tail -n 1 | awk '{ print $1 + $2 }'
}
# the command's files: name, then the files (several times over, so that a run is long enough to time)
files() {	# files COMMAND DIR
	case $1 in
	"lsparse leads") echo "$2/leads.csv $2/leads.csv $2/leads.csv $2/leads.csv $2/leads.csv" ;;
	"lsparse calls + leads") echo "$2/calls.csv $2/leads.csv $2/calls.csv $2/leads.csv" ;;
	"ls-cat leads") echo "$2/leads.csv $2/leads.csv" ;;
	esac
}
exe() {	# the program behind a command
	case $1 in ls-cat*) echo "$LSCAT --threads 1" ;; *) echo "$LSPARSE" ;; esac
}

for s in $SHAPES; do
	d=$DATA/$s
	[ -e "$d/leads.csv" ] && [ -e "$d/calls.csv" ] || { echo "scan-levels: $d/leads.csv or calls.csv missing" >&2; exit 2; }
	if [ "${SCAN_CG:-yes}" != no ]; then
		mkdir -p "$tmp/$s"
		head -n "$CG_ROWS" "$d/leads.csv" > "$tmp/$s/leads.csv"
		head -n "$CG_ROWS" "$d/calls.csv" > "$tmp/$s/calls.csv"
		for c in "lsparse leads" "lsparse calls + leads" "ls-cat leads"; do
			for l in $LEVELS; do
				# shellcheck disable=SC2046
				n=$(LS_SCAN=$l valgrind --tool=callgrind --callgrind-out-file=/dev/null $(exe "$c") \
				    $(files "$c" "$tmp/$s") 2>&1 >/dev/null | sed -n 's/.*Collected : *//p')
				printf 'cg\t%s\t%s\t%s\t%s\n' "$s" "$c" "$l" "$n"
			done
		done
	fi
	for c in "lsparse leads" "lsparse calls + leads" "ls-cat leads"; do
		i=0
		while [ "$i" -lt "$N" ]; do
			for l in $LEVELS; do
				# shellcheck disable=SC2046
				echo "$l $(cpu "$l" $(exe "$c") $(files "$c" "$d"))"
			done
			i=$((i + 1))
		done | awk -v s="$s" -v c="$c" '
			function med(x, n,  i, j, t) {
				for (i = 1; i <= n; i++)
					for (j = i + 1; j <= n; j++)
						if (x[j] < x[i]) { t = x[i]; x[i] = x[j]; x[j] = t }
				return x[int((n + 1) / 2)]
			}
			{ k = ++n[$1]; v[$1, k] = $2; all[$1] = all[$1] " " $2 }
			END {
				split("avx2 sse2 scalar", L, " ")
				for (i = 1; i <= 3; i++) {
					l = L[i]
					for (k = 1; k <= n[l]; k++) x[k] = v[l, k]
					printf "cpu\t%s\t%s\t%s\t%.3f\t%s\n", s, c, l, med(x, n[l]), all[l]
				}
			}'
	done
done
