# department.awk - the example department's cold base and call sheet, with
# the mess real exports have.  Deterministic: the same files every run.
#   awk -v what=base -v n=2000 -f department.awk      (UTF-8, ';', LF; daily
#   awk -v what=calls -v n=2000 -f department.awk      converts to Excel's form)
# examples/gen/make.sh writes examples/base.csv (cp1251, ';', CRLF, as
# Excel saves "CSV (разделители — точка с запятой)") and examples/calls.csv.
# Park-Miller: the products stay below 2^53, exact in awk's doubles
function rnd(m) { seed = (seed * 16807) % 2147483647; return int(seed / 65536) % m }
function big(m) { return (rnd(32768) * 32768 + rnd(32768)) % m }
function pick(list,   a, k) { k = split(list, a, "|"); return a[rnd(k) + 1] }
function pad(v, w) { return sprintf("%0" w "d", v) }
function csv(s) { if (s ~ /[;"\r\n]/) { gsub(/"/, "\"\"", s); return "\"" s "\"" } return s }
function phone(d,   f, a, b, c, e, p) {
	# d: ten digits of a Russian number; f: how a person typed it
	a = substr(d, 1, 3); b = substr(d, 4, 3); c = substr(d, 7, 2); e = substr(d, 9, 2)
	f = rnd(16)
	if (f == 0) return "+7 (" a ") " b "-" c "-" e
	if (f == 1) return "8 (" a ") " b "-" c "-" e
	if (f == 2) return "8" d
	if (f == 3) return "+7" d
	if (f == 4) return "7-" a "-" b "-" c "-" e
	if (f == 5) return "8 " a " " b " " c " " e
	if (f == 6) return "+7 " a " " b c e
	if (f == 7) return a b c e
	if (f == 8) return "8 (" a ") " b "–" c "–" e		# an en dash, as Word makes it
	if (f == 9) return "+7 8 (" a ") " b "-" c "-" e	# the trunk 8 kept after +7
	if (f == 10) return "тел. 8" d				# words: refused
	if (f == 11) return ""
	if (f == 12) return "8 " a " " b "-" c "-" substr(e, 1, 1)	# a digit lost
	if (f == 13) return "+375 29 " b "-" c "-" e		# a Belarusian lead
	if (f == 14) return "+7 (" a ") " b "-" c "-" e " доб. 12"	# an extension
	return "8-" a "-" b c e
}
BEGIN {
	seed = 20261126
	n = n ? n : 2000
	forms = "ООО|ООО|ИП|АО|ЗАО|ПАО"
	words = "Ромашка|Вектор|Север|Восток|Гамма|Альфа|Технопарк|СтройМир|Логистик|ТрансСервис|Мега|Орбита|Магистраль|Кедр|Берёзка|Меридиан|Фортуна|Весна|Сибирь|Волга|Урал|Сфера|Квант|Феникс|Атлант"
	first = "Иван|Анна|Пётр|Мария|Сергей|Ольга|Дмитрий|Елена|Алексей|Наталья|Андрей|Татьяна|Михаил|Юлия"
	last = "Иванов|Петров|Сидоров|Смирнов|Кузнецов|Попов|Волков|Соколов|Лебедев|Козлов|Новиков|Морозов"
	lat = "ivan|anna|petr|maria|sergey|olga|dmitry|elena|alexey|natalia|andrey|tatiana|mikhail|julia"
	codes = "916|903|925|926|985|999|495|499|812|843|343|383"
	regions = "msk|msk|msk|spb|spb|kzn|ekb|nsk"
	industries = "retail|logistics|horeca|it|manufacturing|construction|retail|logistics"
	sources = "cold_base|cold_base|website|exhibition|partner|purchased"
	if (what == "base") {
		print "lead_id;company;contact_name;phone;email;region;industry;employees;source;created_at"
		for (i = 1; i <= n; i++) {
			id = "L" pad(i, 5)
			w = pick(words) pick("|-Плюс|-Трейд|-Сервис|-Инвест|-Строй|-Пром|-Торг|-Групп|-М|-Нева"); f = pick(forms)
			q = rnd(4)
			co = f == "ИП" ? "ИП " pick(last) : (q == 0 ? f " «" w "»" : q == 1 ? f " \"" w "\"" : q == 2 ? f " " w : w " " f)
			if (rnd(25) == 0) co = co "; филиал " pick("Москва|Казань|Тверь")
			fi = rnd(14) + 1
			split(first, fa, "|"); split(lat, la, "|")
			sn = pick(last)
			name = fa[fi] " " sn (fi % 2 == 0 ? "а" : "")
			d = pick(codes) pad(big(10000000), 7)
			mail = la[fi] "." big(10000) "@" (rnd(3) ? "company" rnd(400) ".ru" : pick("mail.ru|yandex.ru|gmail.com"))
			m = rnd(12)
			if (m == 0) mail = toupper(mail)
			else if (m == 1) mail = " " mail " "
			else if (m == 2) { sub(/@/, "+promo@", mail) }
			else if (m == 3) mail = ""
			else if (m == 4) { sub(/@.*/, "@", mail) }
			ph = phone(d)
			# about one lead in twenty is an earlier one again, spelt another way
			if (i > 50 && rnd(20) == 0) {
				j = rnd(i - 1) + 1
				ph = phone(seen_d[j]); mail = toupper(seen_m[j])
			}
			seen_d[i] = d; seen_m[i] = mail
			emp = rnd(9) == 0 ? "" : pick("3|8|15|40|55|120|250|600|1500|3000")
			day = 10 + rnd(20)
			cr = rnd(3) == 0 ? sprintf("%02d.11.2026 %02d:%02d", day, 9 + rnd(9), rnd(60)) : sprintf("2026-11-%02dT%02d:%02d:00+03:00", day, 9 + rnd(9), rnd(60))
			print id ";" csv(co) ";" csv(name) ";" csv(ph) ";" csv(mail) ";" pick(regions) ";" pick(industries) ";" emp ";" pick(sources) ";" cr
		}
	} else if (what == "deals") {
		# the deals the managers closed or still hold: the KPI report's revenue
		print "deal_id,manager,stage,amount,closed_at,lead_id,currency"
		for (i = 1; i <= n / 25; i++) {
			st = pick("won|won|lost|open")
			amt = (5 + big(120)) * 1000 + big(100) * 10
			printf "K-%04d,%s,%s,%d.%02d,%s,L%s,RUB\n", i,
			    pick("ivanov|ivanov|sidorov|smirnova|kuznetsova|popov|volkova|volkova|orlov"), st,
			    amt, rnd(100), st == "open" ? "" : sprintf("%sT%02d:%02d:00+03:00", pick("2026-11-26|2026-11-27|2026-11-30|2026-12-01|2026-12-01"), 10 + rnd(8), rnd(60)),
			    pad(1 + big(n), 5)
		}
	} else if (what == "calls") {
		print "lead_id,manager,started_at,duration_s,outcome"
		# petrova is on vacation; the others call as much as they do
		callers = "ivanov|ivanov|ivanov|sidorov|sidorov|smirnova|kuznetsova|kuznetsova|kuznetsova|popov|popov|volkova|volkova|volkova|orlov"
		days = "2026-11-23|2026-11-24|2026-11-25|2026-11-26|2026-11-27|2026-11-30|2026-12-01"
		for (i = 1; i <= n; i++) {
			if (rnd(10) >= 4) continue
			k = 1 + rnd(3)
			for (c = 0; c < k; c++) {
				o = pick("no_answer|no_answer|interested|not_interested|callback|wrong_number|do_not_call|interested")
				dur = o == "no_answer" || o == "wrong_number" ? rnd(15) : 30 + rnd(600)
				printf "L%s,%s,%sT%02d:%02d:%02d+03:00,%d,%s\n", pad(i, 5), pick(callers), pick(days), 9 + c * 2 + rnd(2), rnd(60), rnd(60), dur, o
			}
		}
	}
}
