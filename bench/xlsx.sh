#!/bin/sh
# bench/xlsx.sh - reading a .xlsx sheet: the toolkit's reader against
# Debian's xlsx2csv (the tool a user has for the job), on the same workbook.
# A benchmark, not a test: it prints figures and never fails on a slow one.
#
#   sh bench/xlsx.sh BUILD_DIR ROWS [shared|inline]
#
# Writes one workbook of ROWS rows (not timed; kept in build/bench-data/xlsx/
# and made again only when missing) in one of two shapes:
#   shared  (default) strings in the shared-strings table, as Excel, 1C and
#           LibreOffice save them: bench/xlsxgen.c, with libxlsxwriter;
#   inline  every string inline in its cell (t="inlineStr"), as openpyxl's
#           write-only mode and some exporters write them: with openpyxl
#           (python3-openpyxl).
# Both are shaped as a purchased base or a CRM export is: ids, company and
# manager names repeated (shared strings), a phone and an INN as numbers of
# 11 and 10 digits, an amount with kopecks, a date and a date-time cell with
# number formats, a boolean, a free-text note with Cyrillic and commas, and
# an empty cell now and then.  Then times, each BENCH_RUNS times (default
# 3; the median shown): ls-cat FILE.xlsx (the reader every tool uses, to CSV), and
# xlsx2csv FILE.xlsx, both to /dev/null.  Figures: wall and CPU seconds
# (user + system) and peak RSS, from /usr/bin/time.  The CSVs of both are
# compared once (the count of rows; the cells differ by documented
# conversions: xlsx2csv writes dates in its own format).
set -u
B=${1:?usage: sh bench/xlsx.sh BUILD_DIR ROWS [shared|inline]}
N=${2:?usage: sh bench/xlsx.sh BUILD_DIR ROWS [shared|inline]}
SHAPE=${3:-shared}
case $N in '' | *[!0-9]*) echo "bench: ROWS must be a number" >&2; exit 2 ;; esac
case $SHAPE in shared | inline) ;; *) echo "bench: shape '$SHAPE' is neither shared nor inline" >&2; exit 2 ;; esac
CAT=$B/bin/ls-cat
[ -x "$CAT" ] || { echo "bench: no $CAT (run make first)" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "bench: /usr/bin/time is missing (apt-get install time)" >&2; exit 2; }
D=build/bench-data/xlsx
mkdir -p "$D" || exit 1
X=$D/$SHAPE-$N.xlsx
say() { echo "bench: $*" >&2; }
if [ "$SHAPE" = shared ] && [ ! -s "$X" ]; then
	say "writing $X ($N rows, bench/xlsxgen.c)"
	${CC:-cc} -std=c11 -O2 -o "$D/xlsxgen" bench/xlsxgen.c -lxlsxwriter || exit 1
	"$D/xlsxgen" "$X.tmp" "$N" && mv "$X.tmp" "$X" || exit 1
elif [ ! -s "$X" ]; then
	/usr/bin/python3 -c 'import openpyxl' 2>/dev/null || { echo "bench: python3-openpyxl is missing" >&2; exit 2; }
	say "writing $X ($N rows, openpyxl)"
	/usr/bin/python3 - "$X.tmp" "$N" <<'PY' && mv "$X.tmp" "$X" || exit 1
import datetime, sys
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
path, n = sys.argv[1], int(sys.argv[2])
wb = Workbook(write_only=True)
ws = wb.create_sheet("База")
ws.append(["lead_id", "company", "manager", "phone", "inn", "amount", "created", "called_at", "vip", "note"])
companies = ["ООО «Ромашка-%d»" % i for i in range(5000)]
managers = ["ivanov", "petrova", "sidorov", "lee", "smith", "kuznetsova", "orlov", "popova"]
x = 2463534242
def rnd():
    global x
    x ^= (x << 13) & 0xFFFFFFFF; x ^= x >> 17; x ^= (x << 5) & 0xFFFFFFFF
    return x
d0 = datetime.date(2026, 1, 1)
t0 = datetime.datetime(2026, 1, 1, 9, 0, 0)
for i in range(1, n + 1):
    r = rnd()
    day = WriteOnlyCell(ws, d0 + datetime.timedelta(days=r % 330)); day.number_format = "DD.MM.YYYY"
    at = WriteOnlyCell(ws, t0 + datetime.timedelta(seconds=r % 28000000)); at.number_format = "DD.MM.YYYY HH:MM:SS"
    ws.append(["L-%07d" % i, companies[r % 5000], managers[r % 8], 79000000000 + r % 999999999,
               7700000000 + r % 99999999, (r % 10000000) / 100, day, at, r % 7 == 0,
               None if r % 11 == 0 else "Перезвонить после %d:00, спросить про опт, скидку" % (9 + r % 9)])
wb.save(path)
PY
fi
say "$SHAPE: $(ls -l "$X" | awk '{ print $5 }') bytes"
RUNS=${BENCH_RUNS:-3}
case $RUNS in '' | *[!0-9]* | 0) echo "bench: BENCH_RUNS must be a positive number" >&2; exit 2 ;; esac
# runs CMD... RUNS times; prints the median run's (by CPU) wall, CPU and peak RSS
measure() {
	k=0
	: > "$D/times"
	while [ "$k" -lt "$RUNS" ]; do
		k=$((k + 1))
		/usr/bin/time -f '%e %U %S %M' -o "$D/t" "$@" > /dev/null 2> "$D/err" || { cat "$D/err" >&2; return 1; }
		cat "$D/t" >> "$D/times"
	done
	awk '{ printf "%.2f %.2f %d\n", $1, $2 + $3, $4 }' "$D/times" | sort -n -k2 | sed -n "$(((RUNS + 1) / 2))p"
}
printf '%-28s %8s %8s %10s\n' "reader" "wall s" "CPU s" "peak KB"
r1=$(measure "$CAT" "$X") && printf '%-28s %8s %8s %10s\n' "ls-cat FILE.xlsx" $r1
if command -v xlsx2csv > /dev/null; then
	r2=$(measure xlsx2csv "$X") && printf '%-28s %8s %8s %10s\n' "xlsx2csv FILE.xlsx" $r2
	[ -n "${r1:-}" ] && [ -n "${r2:-}" ] && echo "$r1 $r2" | awk '{ printf "xlsx2csv / ls-cat: %.1fx CPU, %.1fx wall\n", $5 / $2, $4 / $1 }'
	a=$("$CAT" "$X" | wc -l); b=$(xlsx2csv "$X" | wc -l)
	echo "lines out: ls-cat $a, xlsx2csv $b"
else
	echo "xlsx2csv: not installed (apt-get install xlsx2csv), skipped"
fi
