#!/bin/sh
# tests/layers.sh - the library's layers, lowest first: a file may include
# headers of its own layer and of the layers below it, never above.
#   base  error, util, keyset, sha256: no I/O, no formats
#   io    streams and files: reader, reading thread, writer, locks, record files, columns, cli
#   text  configs, expressions, dates and zones, money, phones, e-mails, templates
#   sales the tools' logic: qualify, assign, tickets, documents, KPIs
# Also: every .c and .h of libsales/ lives in one of these folders.
# usage: tests/layers.sh [TOP]   (prints each breach; exit 1 when any)
set -u
top=${1:-$(cd "$(dirname "$0")/.." && pwd)}
cd "$top/libsales" || exit 2
layers="base io text sales"
rank() {
	r=0
	for l in $layers; do
		[ "$l" = "$1" ] && { echo $r; return; }
		r=$((r + 1))
	done
	echo -1
}
bad=0
for f in *.c *.h; do
	[ -e "$f" ] || continue
	echo "libsales/$f: not in a layer folder ($layers)"
	bad=1
done
for l in $layers; do
	mine=$(rank $l)
	for f in $l/*.c $l/*.h; do
		[ -e "$f" ] || continue
		for h in $(sed -n 's/^#include "\([^"]*\)".*/\1/p' "$f"); do
			found=""
			for m in $layers; do
				[ -e "$m/$h" ] && found=$m
			done
			if [ -z "$found" ]; then
				echo "libsales/$f: includes \"$h\", found in no layer"
				bad=1
			elif [ "$(rank $found)" -gt "$mine" ]; then
				echo "libsales/$f: $l includes $found/$h, a higher layer"
				bad=1
			fi
		done
	done
done
[ $bad = 0 ] && echo "layers ok: $(ls */*.c | wc -l) files in $layers"
exit $bad
