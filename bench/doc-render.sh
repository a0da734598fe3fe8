#!/bin/sh
# doc-render against the npm `mustache` package: N invoices with 5-20 items
# each from CSV, rendered with the example Russian HTML invoice.  Prints a
# small markdown table: documents, wall, user, system and CPU seconds, documents per second,
# peak RSS.  A benchmark, not a test.
#
#   sh bench/doc-render.sh BUILD_DIR N        (e.g. build/rel 10000)
#   QR=no sh bench/doc-render.sh BUILD_DIR N  (both render the invoice without
#                                              its payment QR code)
#
# The example invoice draws the GOST payment QR code ({{{payment_qr}}}, an
# SVG doc-render makes with libqrencode); the node peer has no such value
# and leaves it empty, so by default doc-render does more work than its
# peer: most of its CPU time is that QR code.  QR=no gives both the same
# template with that line taken out, the work issue 31 compared.
#
# The peer is one node process (its best case: data parsed, joined and
# formatted in JavaScript, mustache.render() per document, one
# writeFileSync each, no fsync); it gets the same template with each
# `{{x | filter}}` replaced by a value the script computes beforehand
# (mustache.js has no filters).  `mustache` is installed from npm into
# build/bench-data/npm when missing; without node or npm the peer is skipped,
# saying so.  doc-render's figures include its fsync of all documents.
set -u
B=${1:-build/rel}
N=${2:-10000}
case $N in
'' | *[!0-9]*) echo "bench: N must be a positive number, not '$N'" >&2; exit 2 ;;
esac
top=$(cd "$(dirname "$0")/.." && pwd)
case $B in /*) ;; *) B="$top/$B" ;; esac
DR="$B/bin/doc-render"
[ -x "$DR" ] || { echo "bench: $DR is not built (make)" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "bench: /usr/bin/time is missing (apt-get install time)" >&2; exit 2; }
NPM_DIR="$top/build/bench-data/npm"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
say() { echo "bench: $*" >&2; }

# ---- data: N deals, 5..20 items each, deterministic ----
awk -v n="$N" -v deals="$tmp/deals.csv" -v items="$tmp/items.csv" 'BEGIN {
	srand(7)
	print "deal_id,date,manager,client,client_inn,client_kpp,client_address,contract" > deals
	print "deal_id,name,qty,unit,price,vat_rate" > items
	for (i = 1; i <= n; i++) {
		id = sprintf("D-%06d", i)
		printf "%s,2026-%02d-%02d,m%d,ООО «Клиент %d»,77%08d,770101001,\"г. Москва, ул. Примерная, д. %d\",№ %d/26 от 02.03.2026\n", \
		    id, i % 12 + 1, i % 28 + 1, i % 7, i, i, i % 100 + 1, i >> deals
		k = 5 + int(rand() * 16)
		for (j = 1; j <= k; j++)
			printf "%s,Товар складской %d-%d (артикул %d),%d,шт.,%d.%02d,\n", id, i, j, \
			    int(rand() * 100000), 1 + int(rand() * 50), 100 + int(rand() * 90000), \
			    int(rand() * 100) >> items
	}
}'
# the company names its working calendar beside it (due dates count working days)
cp "$top/examples/company.yaml" "$top/examples/calendar.yaml" "$tmp/"
TPL="$top/examples/templates/invoice_ru.html"
case ${QR:-yes} in
no)	grep -v '{{{payment_qr}}}' "$TPL" > "$tmp/invoice_ru.html"
	TPL="$tmp/invoice_ru.html"
	say "QR=no: the invoice without its payment QR code, for both" ;;
*)	say "doc-render draws each invoice's payment QR code, the peer does not (QR=no: neither)" ;;
esac
nitems=$(($(wc -l < "$tmp/items.csv") - 1))
say "$N invoices, $nitems items"

row() {	# name docs wall user sys rss_kb
	awk -v name="$1" -v docs="$2" -v wall="$3" -v user="$4" -v sys="$5" -v rss="$6" 'BEGIN {
		cpu = user + sys
		printf "| %s | %d | %.2f | %.2f | %.2f | %.2f | %.0f | %.1f |\n", name, docs, wall,
		    user, sys, cpu, (wall > 0 ? docs / wall : 0), rss / 1024
	}'
}

echo "| tool | documents | wall s | user s | system s | CPU s | documents/s (wall) | peak RSS MB |"
echo "|---|---|---|---|---|---|---|---|"

# ---- doc-render ----
/usr/bin/time -f '%e %U %S %M' -o "$tmp/time.dr" "$DR" -T "$TPL" -c "$tmp/company.yaml" \
    --items "$tmp/items.csv" --key deal_id -o "$tmp/dr" "$tmp/deals.csv" > "$tmp/manifest.csv" ||
    { say "doc-render failed"; exit 1; }
ndr=$(ls "$tmp/dr" | wc -l)
set -- $(cat "$tmp/time.dr")
row doc-render "$ndr" "$1" "$2" "$3" "$4"
dr_wall=$1 dr_cpu=$(awk -v u="$2" -v s="$3" 'BEGIN { print u + s }')

# ---- npm mustache in one node process ----
if ! command -v node >/dev/null 2>&1; then
	say "skipped: node not installed (apt-get install nodejs npm)"
	exit 0
fi
if [ ! -f "$NPM_DIR/node_modules/mustache/package.json" ]; then
	if command -v npm >/dev/null 2>&1; then
		say "installing mustache from npm into $NPM_DIR"
		mkdir -p "$NPM_DIR"
		npm install --prefix "$NPM_DIR" --no-audit --no-fund --silent mustache@4 >&2 ||
		    say "npm install mustache failed"
	fi
fi
if [ ! -f "$NPM_DIR/node_modules/mustache/package.json" ]; then
	say "skipped: npm mustache not installed (no npm, or no network)"
	exit 0
fi
cat > "$tmp/company.json" <<'EOF'
{ "vat_mode": "added", "payment_days": 5,
  "seller": { "name": "ООО «Ромашка»", "full_name": "Общество с ограниченной ответственностью «Ромашка»",
    "inn": "7701234560", "kpp": "770101001", "ogrn": "1157746123456",
    "address": "125009, г. Москва, ул. Тверская, д. 7, офис 412", "phone": "+7 495 123-45-67",
    "email": "sales@romashka.example", "director": "Иванов И. И.", "accountant": "Петрова А. С.",
    "bank": { "name": "ПАО «Банк Пример», г. Москва", "bik": "044525000",
      "account": "40702810900000012345", "corr_account": "30101810400000000225" } } }
EOF
cat > "$tmp/peer.js" <<'EOF'
const fs = require('fs');
const path = require('path');
const Mustache = require(process.argv[2] + '/node_modules/mustache');
const [tplPath, companyPath, dealsPath, itemsPath, outDir] = process.argv.slice(3);
function parseCSV(text) {
	const rows = []; let row = [], f = '', q = false;
	for (let i = 0; i < text.length; i++) {
		const c = text[i];
		if (q) { if (c === '"') { if (text[i + 1] === '"') { f += '"'; i++; } else q = false; } else f += c; }
		else if (c === '"') q = true;
		else if (c === ',') { row.push(f); f = ''; }
		else if (c === '\n') { row.push(f); rows.push(row); row = []; f = ''; }
		else f += c;
	}
	if (f !== '' || row.length) { row.push(f); rows.push(row); }
	const h = rows.shift();
	return rows.map(r => Object.fromEntries(h.map((k, i) => [k, r[i]])));
}
const kop = s => { const [a, b = ''] = s.split('.'); return BigInt(a) * 100n + BigInt((b + '00').slice(0, 2)); };
const plain = v => { const neg = v < 0n; if (neg) v = -v; return (neg ? '-' : '') + (v / 100n) + '.' + String(v % 100n).padStart(2, '0'); };
const money = s => { const v = kop(s); const neg = v < 0n; const a = (neg ? -v : v);
	const w = String(a / 100n).replace(/\B(?=(\d{3})+(?!\d))/g, '\u00a0');
	return (neg ? '-' : '') + w + ',' + String(a % 100n).padStart(2, '0'); };
const divRound = (n, d) => { const q = n / d, r = n % d; return 2n * (r < 0n ? -r : r) >= d ? q + (n < 0n ? -1n : 1n) : q; };
const U = ['', 'один', 'два', 'три', 'четыре', 'пять', 'шесть', 'семь', 'восемь', 'девять'];
const UF = ['', 'одна', 'две', ...U.slice(3)];
const T10 = ['десять', 'одиннадцать', 'двенадцать', 'тринадцать', 'четырнадцать', 'пятнадцать', 'шестнадцать', 'семнадцать', 'восемнадцать', 'девятнадцать'];
const T = ['', '', 'двадцать', 'тридцать', 'сорок', 'пятьдесят', 'шестьдесят', 'семьдесят', 'восемьдесят', 'девяносто'];
const H = ['', 'сто', 'двести', 'триста', 'четыреста', 'пятьсот', 'шестьсот', 'семьсот', 'восемьсот', 'девятьсот'];
const plural = n => (n % 100 >= 11 && n % 100 <= 19) ? 2 : n % 10 === 1 ? 0 : (n % 10 >= 2 && n % 10 <= 4) ? 1 : 2;
const SC = [[['', '', ''], 0], [['тысяча', 'тысячи', 'тысяч'], 1], [['миллион', 'миллиона', 'миллионов'], 0], [['миллиард', 'миллиарда', 'миллиардов'], 0]];
function wordsRu(s) {
	const v = kop(s); const whole = Number(v / 100n), k = Number(v % 100n); const w = [];
	if (whole === 0) w.push('ноль');
	for (let g = 3, x = whole; g >= 0; g--) {
		const t = Math.floor(x / 1000 ** g) % 1000; if (!t) continue;
		if (t >= 100) w.push(H[Math.floor(t / 100)]);
		const r = t % 100;
		if (r >= 10 && r <= 19) w.push(T10[r - 10]); else { if (r >= 20) w.push(T[Math.floor(r / 10)]); if (r % 10) w.push((SC[g][1] ? UF : U)[r % 10]); }
		if (g) w.push(SC[g][0][plural(t)]);
	}
	w.push(['рубль', 'рубля', 'рублей'][plural(whole)], String(k).padStart(2, '0'), ['копейка', 'копейки', 'копеек'][plural(k)]);
	const out = w.join(' '); return out[0].toUpperCase() + out.slice(1);
}
const MON = ['января', 'февраля', 'марта', 'апреля', 'мая', 'июня', 'июля', 'августа', 'сентября', 'октября', 'ноября', 'декабря'];
const dateRu = s => { const [y, m, d] = s.split('-').map(Number); return `${d} ${MON[m - 1]} ${y} г.`; };
const numberRu = s => s.replace('.', ',');
const F = { money, words_ru_capitalize: wordsRu, date_ru: dateRu, number: numberRu };
// {{x | f | g}} -> {{x__f_g}}; the values are added to the view below
const pairs = new Map();
const tpl = fs.readFileSync(tplPath, 'utf8').replace(/\{\{\s*([\w.]+)\s*\|\s*([\w\s|]+?)\s*\}\}/g, (m, name, fl) => {
	const key = fl.split('|').map(x => x.trim()).join('_'); pairs.set(name + '__' + key, [name, key]); return `{{${name}__${key}}}`;
});
const addFiltered = o => { for (const [k, [name, f]] of pairs) if (o[name] !== undefined && o[name] !== '') o[k] = F[f](o[name]); return o; };
const company = JSON.parse(fs.readFileSync(companyPath, 'utf8'));
const items = new Map();
for (const it of parseCSV(fs.readFileSync(itemsPath, 'utf8'))) { if (!items.has(it.deal_id)) items.set(it.deal_id, []); items.get(it.deal_id).push(it); }
Mustache.parse(tpl);
fs.mkdirSync(outDir, { recursive: true });
for (const row of parseCSV(fs.readFileSync(dealsPath, 'utf8'))) {
	const rate = row.date >= '2026-01-01' ? 22n : 20n;
	let sub = 0n, vat = 0n;
	const lines = (items.get(row.deal_id) || []).map((it, i) => {
		const lt = divRound(kop(it.price) * BigInt(Math.round(Number(it.qty) * 1000)), 1000n), lv = divRound(lt * rate, 100n);
		sub += lt; vat += lv;
		return addFiltered({ ...it, n: String(i + 1), line_total: plain(lt), line_vat: plain(lv) });
	});
	const view = addFiltered({ ...company, items: lines, subtotal: plain(sub), vat_total: plain(vat), total: plain(sub + vat),
		vat_rate: String(rate), vat_none: false, vat_included: false, items_count: String(lines.length), ...row });
	fs.writeFileSync(path.join(outDir, row.deal_id + '.html'), Mustache.render(tpl, view));
}
EOF
/usr/bin/time -f '%e %U %S %M' -o "$tmp/time.js" node "$tmp/peer.js" "$NPM_DIR" "$TPL" "$tmp/company.json" \
    "$tmp/deals.csv" "$tmp/items.csv" "$tmp/js" || { say "node peer failed"; exit 1; }
njs=$(ls "$tmp/js" | wc -l)
set -- $(cat "$tmp/time.js")
row "node + npm mustache" "$njs" "$1" "$2" "$3" "$4"
# the same totals in both: the peer is doing the same work
a=$(grep -o 'Всего к оплате:</td><td class="sum">[^<]*' "$tmp/dr/D-000001.html")
b=$(grep -o 'Всего к оплате:</td><td class="sum">[^<]*' "$tmp/js/D-000001.html")
[ "$a" = "$b" ] || say "warning: the peer's D-000001 total differs: '$a' vs '$b'"
awk -v dw="$dr_wall" -v dc="$dr_cpu" -v jw="$1" -v ju="$2" -v js="$3" 'BEGIN {
	jc = ju + js
	printf "\ndoc-render: %.1fx the documents/s of node + mustache (wall), %.1fx less CPU\n",
	    (dw > 0 ? jw / dw : 0), (dc > 0 ? jc / dc : 0)
}'
