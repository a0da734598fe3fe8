#!/bin/sh
# Regenerate the example department's base and call sheet (deterministic).
#   sh examples/gen/make.sh [N]      (default 2000 leads)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
n=${1:-2000}
# the base as Excel saves it for a Russian user: cp1251, ';', CRLF
awk -v what=base -v n="$n" -f "$here/department.awk" | sed 's/$/\r/' |
    iconv -f UTF-8 -t CP1251 > "$here/../base.csv"
awk -v what=calls -v n="$n" -f "$here/department.awk" > "$here/../calls.csv"
awk -v what=deals -v n="$n" -f "$here/department.awk" > "$here/../crm-deals.csv"
