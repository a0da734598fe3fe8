# gen.awk: items for deals of 1, 20 and 120 lines (print-closing-pdf), made here rather than
# taken from examples/items.csv: names from two words to three printed lines
# (a pseudo-random walk over word lists, the same under mawk and gawk: 16807 x mod 2^31-1 is
# exact in a double), VAT rates 10%, 22% (the context's table) and none in turn, quantities
# with and without decimals, prices with kopecks.
function rnd(n) { seed = (seed * 16807) % 2147483647; return seed % n }
BEGIN {
	seed = 20261207
	nn = split("Стеллаж|Контейнер|Поддон|Штабелёр|Ящик|Паллетоупаковщик|Шкаф|Верстак", noun, "|")
	na = split("складской|пластиковый|оцинкованный|усиленный|гидравлический|сборно-разборный|морозостойкий", adj, "|")
	ns = split("с крышкой и замком|цвет серый RAL 7035|до 1500 кг|для улицы|", spec, "|")
	nu = split("шт.:796|компл.:839|м:006|усл.:876|кг:166", unit, "|")
	print "deal_id,name,qty,unit,unit_code,price,vat_rate,code,country_code,country,customs_decl"
	split("L1:1 L20:20 L120:120", deals, " ")
	for (d = 1; d <= 3; d++) {
		split(deals[d], dn, ":")
		for (i = 1; i <= dn[2]; i++) {
			name = noun[rnd(nn) + 1] " " adj[rnd(na) + 1]
			s = spec[rnd(ns) + 1]
			if (s != "")
				name = name " " s
			# every fourth line two printed lines long
			if (i % 4 == 0)
				name = name ", ТУ 5285-001-12345678-2026, поз. " i " спецификации"
			split(unit[rnd(nu) + 1], u, ":")
			qty = rnd(40) + 1
			if (i % 3 == 0)
				qty = qty ".25"
			price = (rnd(250000) + 100) "." sprintf("%02d", rnd(100))
			rate = i % 3 == 1 ? "10" : i % 3 == 2 ? "" : "none"
			imported = i % 7 == 0
			printf "%s,\"%s\",%s,%s,%s,%s,%s,А-%05d,%s,%s,%s\n", dn[1], name, qty, u[1], u[2], price, rate,
			    rnd(100000), imported ? "156" : "", imported ? "КИТАЙ" : "",
			    imported ? "10702070/0" sprintf("%05d", rnd(100000)) "/" sprintf("%07d", rnd(10000000)) : ""
		}
	}
}
