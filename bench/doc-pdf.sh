#!/bin/sh
# doc-render release --pdf at scale (issue 27): N invoices rendered into a
# manifest (-m), approved, released as HTML, then printed to PDF by
# release --pdf (one headless Chromium for the whole batch), each step one
# timed run with /usr/bin/time (wall and CPU seconds, peak RSS), and the
# documents per second of the PDF step beside the rendering's.  A
# benchmark, not a test: it reports, it does not fail on a slow figure.
#
#   sh bench/doc-pdf.sh BUILD_DIR N        (e.g. build/rel 1000)
#
# The CPU time of the PDF step counts Chromium's processes that doc-render
# reaps (the browser, and through it its zygote's); helpers still alive when
# the browser exits are killed with its process group and not counted.
# The documents are bench/doc-release.sh's: the example Russian HTML invoice
# with 5-20 items each, under build/bench-data/doc-pdf (emptied first).
set -u
B=${1:-build/rel}
N=${2:-1000}
case $N in
'' | *[!0-9]* | 0) echo "bench: N must be a positive number, not '$N'" >&2; exit 2 ;;
esac
top=$(cd "$(dirname "$0")/.." && pwd)
case $B in /*) ;; *) B="$top/$B" ;; esac
DR="$B/bin/doc-render"
[ -x "$DR" ] || { echo "bench: $DR is not built (make)" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "bench: /usr/bin/time is missing (apt-get install time)" >&2; exit 2; }
command -v "${CHROMIUM:-chromium}" > /dev/null 2>&1 ||
    { echo "bench: ${CHROMIUM:-chromium} is missing (apt-get install chromium)" >&2; exit 2; }
W="$top/build/bench-data/doc-pdf"
rm -rf "$W" && mkdir -p "$W" || exit 2
say() { echo "bench: $*" >&2; }

sh "$top/bench/deals.sh" "$N" "$W" || exit 2
cp "$top/examples/company.yaml" "$top/examples/calendar.yaml" "$W/"
cd "$W" || exit 2

row() {	# step documents wall user sys rss_kb
	awk -v name="$1" -v docs="$2" -v wall="$3" -v user="$4" -v sys="$5" -v rss="$6" 'BEGIN {
		printf "| %s | %d | %.2f | %.1f | %.2f | %.2f | %.2f | %.1f |\n", name, docs, wall, \
		    (wall > 0 ? docs / wall : 0), user + sys, user, sys, rss / 1024
	}'
}
timed() {	# step command...: one timed run, its row printed, its wall kept in $wall
	step=$1; shift
	if ! /usr/bin/time -f '%e %U %S %M' -o time.txt "$@" > out.txt 2> err.txt; then
		say "$step failed: $(head -n 3 err.txt)"; exit 1
	fi
	set -- $(cat time.txt)
	row "$step" "$N" "$1" "$2" "$3" "$4"
	wall=$1
}

say "$N invoices, $(($(wc -l < items.csv) - 1)) items, in $W, $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null)"
echo "| step | documents | wall s | documents/s | CPU s | user s | sys s | peak RSS MB |"
echo "|---|---|---|---|---|---|---|---|"
timed "render -m (HTML)" "$DR" -T "$top/examples/templates/invoice_ru.html" -c company.yaml \
    --items items.csv --key deal_id -o drafts -m manifest.csv deals.csv
timed approve "$DR" approve --by ivanov -c company.yaml manifest.csv
timed "release (HTML)" "$DR" release manifest.csv -o outbox
timed "release --pdf (the PDF step)" "$DR" release manifest.csv -o outbox --pdf ${CHROMIUM:+--chromium "$CHROMIUM"}
n=$(ls outbox | grep -c '\.pdf$')
[ "$n" = "$N" ] || say "warning: $n PDFs in the outbox, not $N"
timed "release --pdf again (nothing to print)" "$DR" release manifest.csv -o outbox --pdf
p=$(grep -c '	printed	' manifest.csv.journal)
echo
echo "$n PDFs in the outbox, $p printed records in the journal; PDF sizes: $(du -sh outbox | cut -f1) with the HTML"
