#!/bin/sh
# Remake the README's pictures from the example department's day (make demo
# first): the HTML KPI report and a rendered invoice, as headless Chromium
# shows them.   sh examples/screenshots/make.sh [DEMO_FOLDER]
set -eu
here=$(cd "$(dirname "$0")" && pwd)
demo=${1:-$here/../../build/demo}
command -v chromium >/dev/null || { echo "screenshots: chromium is not installed" >&2; exit 1; }
profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT
shot() {	# shot HTML PNG WIDTH HEIGHT
	chromium --headless --no-sandbox --disable-gpu --no-first-run --disable-background-networking \
	    --disable-component-update --disable-sync --hide-scrollbars --user-data-dir="$profile" \
	    --window-size="$3,$4" --screenshot="$2" "file://$1" >/dev/null 2>&1
}
shot "$demo/kpi.html" "$here/kpi-report.png" 1280 1400
shot "$(ls "$demo"/outbox/*.html | head -1)" "$here/invoice.png" 900 1270
ls -l "$here"/*.png
