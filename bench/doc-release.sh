#!/bin/sh
# doc-render's gate at scale: N invoices rendered into a manifest (-m),
# approved, released, each timed with /usr/bin/time (wall and CPU seconds,
# peak RSS).  Issue 26 asks release to take at most half the wall time of
# rendering: both make their files durable once per batch (an fdatasync(2)
# per file, a few at once, and an fsync(2) of each folder: io/durable.h).  A benchmark, not a test:
# it reports, it does not fail on a slow figure.
#
#   sh bench/doc-release.sh BUILD_DIR N        (e.g. build/rel 20000)
#
# The documents are the example Russian HTML invoice with 5-20 items each,
# written under build/bench-data/doc-release (emptied first; the file
# system the bench runs on is the one measured).
set -u
B=${1:-build/rel}
N=${2:-20000}
case $N in
'' | *[!0-9]* | 0) echo "bench: N must be a positive number, not '$N'" >&2; exit 2 ;;
esac
top=$(cd "$(dirname "$0")/.." && pwd)
case $B in /*) ;; *) B="$top/$B" ;; esac
DR="$B/bin/doc-render"
[ -x "$DR" ] || { echo "bench: $DR is not built (make)" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "bench: /usr/bin/time is missing (apt-get install time)" >&2; exit 2; }
W="$top/build/bench-data/doc-release"
rm -rf "$W" && mkdir -p "$W" || exit 2
say() { echo "bench: $*" >&2; }

sh "$top/bench/deals.sh" "$N" "$W" || exit 2
cp "$top/examples/company.yaml" "$top/examples/calendar.yaml" "$W/"
cd "$W" || exit 2

row() {	# step documents wall user sys rss_kb
	awk -v name="$1" -v docs="$2" -v wall="$3" -v user="$4" -v sys="$5" -v rss="$6" 'BEGIN {
		printf "| %s | %d | %.2f | %.2f | %.2f | %.2f | %.1f |\n", name, docs, wall, user + sys, \
		    user, sys, rss / 1024
	}'
}
timed() {	# step command...: one timed run, its row printed, its wall kept in $wall
	step=$1; shift
	if ! /usr/bin/time -f '%e %U %S %M' -o time.txt "$@" > out.txt 2> err.txt; then
		grep -q refused err.txt || { say "$step failed: $(head -n 1 err.txt)"; exit 1; }
	fi
	set -- $(cat time.txt)
	row "$step" "$N" "$1" "$2" "$3" "$4"
	wall=$1
}

say "$N invoices, $(($(wc -l < items.csv) - 1)) items, in $W"
echo "| step | documents | wall s | CPU s | user s | sys s | peak RSS MB |"
echo "|---|---|---|---|---|---|---|"
timed "render -m" "$DR" -T "$top/examples/templates/invoice_ru.html" -c company.yaml \
    --items items.csv --key deal_id -o drafts -m manifest.csv deals.csv
render=$wall
timed approve "$DR" approve --by ivanov -c company.yaml manifest.csv
timed release "$DR" release manifest.csv -o outbox
release=$wall
n=$(ls outbox | wc -l)
[ "$n" = "$N" ] || say "warning: $n documents in the outbox, not $N"
awk -v r="$render" -v l="$release" 'BEGIN {
	printf "\nrelease: %.2f of the wall time of rendering (issue 26 asks at most 0.5)\n", (r > 0 ? l / r : 0)
}'
