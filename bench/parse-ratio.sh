#!/bin/sh
# parse-ratio.sh [B] [N] [SHAPE...] - the reader merely parsing against raw libcsv, in turns.
#
# Issue 14's moonshot: the reader parses at 2x raw libcsv's speed or more.
# For each SHAPE (default: all five), N rounds (default 7) of raw libcsv
# (csvparse), libcsv at its defaults (csvparse -d: issue 31's anchor, no
# space function), the reader with its SSE2 scans (lsparse) and the reader with
# the portable ones (LS_SCALAR=1 lsparse), each on leads.csv given five
# times over (so that a run is long enough to time); the medians of CPU
# seconds (user + system) and how many times faster than each libcsv.  Needs the
# data of a make bench run (BENCH_GEN_ONLY=yes is enough) and $B/libsales.a.
B=${1:-build/rel}
N=${2:-7}
shift 2 2>/dev/null
SHAPES=${*:-plain quoted notes cyrillic crlf}
CSVPARSE=$B/bench/csvparse
LSPARSE=$B/bench/lsparse

[ -x /usr/bin/time ] || { echo "parse-ratio: needs /usr/bin/time (apt-get install time)" >&2; exit 2; }
[ -e "$B/libsales.a" ] || { echo "parse-ratio: $B/libsales.a missing: run make first" >&2; exit 2; }
mkdir -p "$B/bench"
[ -x "$CSVPARSE" ] || ${CC:-cc} -std=c11 -O2 -o "$CSVPARSE" bench/csvparse.c -lcsv || exit 1
inc=$(for d in libsales libsales/*/; do printf ' -I%s' "$d"; done)
# shellcheck disable=SC2086
${CC:-cc} -std=c11 -O2 -Wall -Wextra -Wpedantic -D_DEFAULT_SOURCE $inc -o "$LSPARSE" bench/lsparse.c \
    "$B/libsales.a" -lcsv -lyaml -lzip -lexpat -lfreexl -lm -pthread || exit 1
unset LS_THREADS LS_SCALAR

cpu() {	# cpu CMD...: user + system seconds of CMD
	/usr/bin/time -f '%U %S' "$@" 2>&1 >/dev/null | tail -n 1 | awk '{ print $1 + $2 }'
}

for s in $SHAPES; do
	f=build/bench-data/$s/leads.csv
	[ -e "$f" ] || { echo "parse-ratio: $f missing: run make bench first" >&2; exit 2; }
	i=0
	while [ "$i" -lt "$N" ]; do
		a=$(cpu "$CSVPARSE" "$f" "$f" "$f" "$f" "$f")
		b=$(cpu "$LSPARSE" "$f" "$f" "$f" "$f" "$f")
		c=$(LS_SCALAR=1 cpu "$LSPARSE" "$f" "$f" "$f" "$f" "$f")
		d=$(cpu "$CSVPARSE" -d "$f" "$f" "$f" "$f" "$f")
		echo "$a $b $c $d"
		i=$((i + 1))
	done | awk -v s="$s" '
		function med(x, n,  i, j, t) {
			for (i = 1; i <= n; i++)
				for (j = i + 1; j <= n; j++)
					if (x[j] < x[i]) { t = x[i]; x[i] = x[j]; x[j] = t }
			return x[int((n + 1) / 2)]
		}
		{ a[NR] = $1; b[NR] = $2; c[NR] = $3; d[NR] = $4 }
		END {
			ma = med(a, NR); mb = med(b, NR); mc = med(c, NR); md = med(d, NR)
			printf "%-9s raw libcsv %.2f s, defaults %.2f s  reader %.2f s (%.2fx, %.2fx defaults)  LS_SCALAR=1 %.2f s (%.2fx, %.2fx defaults)\n",
			    s, ma, md, mb, ma / mb, md / mb, mc, ma / mc, md / mc
		}'
done
