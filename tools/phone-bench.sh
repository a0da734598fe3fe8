#!/bin/sh
# phone-bench.sh - CPU cost of lead-qualify's phone normalisation.
# usage: sh tools/phone-bench.sh ROWS LEAD_QUALIFY [LEAD_QUALIFY_BEFORE]
# Generates ROWS leads with awk (RU, KZ, BY, foreign and bad phones in
# everyday spellings, fixed seed), runs `lead-qualify` with no rules three
# times per binary (interleaved), and prints the median user+system CPU
# seconds, wall seconds and peak RSS of each as a markdown table.
set -eu
rows=${1:?usage: phone-bench.sh ROWS LEAD_QUALIFY [LEAD_QUALIFY_BEFORE]}
new=${2:?usage: phone-bench.sh ROWS LEAD_QUALIFY [LEAD_QUALIFY_BEFORE]}
old=${3:-}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM

awk -v n="$rows" 'BEGIN {
	srand(42)
	print "lead_id,company,contact_name,phone,email"
	split("916 903 926 985 495 499 812 843 383 701 777 747 727", ru, " ")
	for (i = 1; i <= n; i++) {
		c = ru[int(rand() * 13) + 1]
		a = int(rand() * 1000); b = int(rand() * 100); d = int(rand() * 100)
		k = int(rand() * 12)
		if (k == 0)      p = sprintf("+7 (%s) %03d-%02d-%02d", c, a, b, d)
		else if (k == 1) p = sprintf("8 %s %03d %02d %02d", c, a, b, d)
		else if (k == 2) p = sprintf("7%s%03d%02d%02d", c, a, b, d)
		else if (k == 3) p = sprintf("%s%03d%02d%02d", c, a, b, d)
		else if (k == 4) p = sprintf("8(%s)%03d-%02d-%02d", c, a, b, d)
		else if (k == 5) p = sprintf("+375 29 %03d-%02d-%02d", a, b, d)
		else if (k == 6) p = sprintf("+49 30 %03d%02d%02d", a, b, d)
		else if (k == 7) p = sprintf("+44 20 79%02d %02d%02d", b, d, a % 100)
		else if (k == 8) p = sprintf("8 %s %03d-%02d-%d", c, a, b, d % 10)
		else if (k == 9) p = sprintf("+7 %s %03d %02d %02d ext 5", c, a, b, d)
		else if (k == 10) p = ""
		else             p = sprintf("+1 212 %03d %02d%02d", 200 + a % 800, b, d)
		printf "%d,Co %d,Name %d,%s,u%d@example.com\n", i, i % 5000, i, p, i
	}
}' >"$tmp/leads.csv"

run() {	# binary -> "cpu wall rss" of one run
	/usr/bin/time -f '%U %S %e %M' -o "$tmp/t" "$1" "$tmp/leads.csv" >/dev/null
	awk '{ printf "%.2f %.2f %d\n", $1 + $2, $3, $4 }' "$tmp/t"
}
median() {	# three "cpu wall rss" lines -> the one with the median cpu
	sort -n | sed -n 2p
}
: >"$tmp/new"
: >"$tmp/old"
for i in 1 2 3; do
	[ -n "$old" ] && run "$old" >>"$tmp/old"
	run "$new" >>"$tmp/new"
done
echo "| binary | rows | CPU s (median of 3) | wall s | peak RSS KB |"
echo "|---|---:|---:|---:|---:|"
if [ -n "$old" ]; then
	set -- $(median <"$tmp/old")
	echo "| before | $rows | $1 | $2 | $3 |"
fi
set -- $(median <"$tmp/new")
echo "| after | $rows | $1 | $2 | $3 |"
