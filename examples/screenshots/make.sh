#!/bin/sh
# Remake the README's pictures from the example department's day (make demo
# first): the HTML KPI report and a rendered invoice, as headless Chromium
# shows them, the Russian report's trend page as Chromium prints it, and the
# act and the УПД of the example deal D-0001 (rendered here by the build's
# doc-render).   sh examples/screenshots/make.sh [DEMO_FOLDER]
set -eu
here=$(cd "$(dirname "$0")" && pwd)
demo=${1:-$here/../../build/demo}
command -v chromium >/dev/null || { echo "screenshots: chromium is not installed" >&2; exit 1; }
profile=$(mktemp -d)
docs=$(mktemp -d)
trap 'rm -rf "$profile" "$docs"' EXIT
shot() {	# shot HTML PNG WIDTH HEIGHT
	chromium --headless --no-sandbox --disable-gpu --no-first-run --disable-background-networking \
	    --disable-component-update --disable-sync --hide-scrollbars --user-data-dir="$profile" \
	    --window-size="$3,$4" --screenshot="$2" "file://$1" >/dev/null 2>&1
}
shot "$demo/kpi.html" "$here/kpi-report.png" 1280 1400
shot "$(ls "$demo"/outbox/*.html | head -1)" "$here/invoice.png" 900 1270
# the Russian report of the example week (kpi-report --lang ru --from --to), printed on A4 as a
# head of sales would: the page with its trend section, through poppler's pdftoppm
kpi=${KPI_REPORT:-$here/../../build/dev/bin/kpi-report}
ex=$here/..
"$kpi" -c "$ex/kpi.yaml" --calls "$ex/calls.csv" --deals "$ex/crm-deals.csv" --from 2026-11-23 --to 2026-11-27 \
    --format html --lang ru -o "$profile/kpi-ru.html"
chromium --headless --no-sandbox --disable-gpu --no-first-run --disable-background-networking \
    --disable-component-update --disable-sync --user-data-dir="$profile" --no-pdf-header-footer \
    --print-to-pdf="$profile/kpi-ru.pdf" "file://$profile/kpi-ru.html" >/dev/null 2>&1
pages=$(pdfinfo "$profile/kpi-ru.pdf" | awk '/^Pages:/ { print $2 }')
for p in $(seq 1 "$pages"); do
	if pdftotext -f "$p" -l "$p" "$profile/kpi-ru.pdf" - | grep -q 'Динамика по периодам'; then
		pdftoppm -f "$p" -l "$p" -png -r 110 -singlefile "$profile/kpi-ru.pdf" "$here/kpi-report-ru"
		break
	fi
done
for t in act_ru upd_ru; do
	"$here/../../build/dev/bin/doc-render" -T "$ex/templates/$t.html" -c "$ex/company.yaml" \
	    --items "$ex/items.csv" --key deal_id -o "$docs/$t" "$ex/deals.csv" >/dev/null
done
shot "$docs/act_ru/D-0001.html" "$here/act.png" 800 650
shot "$docs/upd_ru/D-0001.html" "$here/upd.png" 1150 560
ls -l "$here"/*.png
