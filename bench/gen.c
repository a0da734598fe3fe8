/*
 * gen - deterministic, seeded test data for `make bench`.
 *
 *   gen [-s SHAPE] leads N [SEED]        leads stream: lead_id,company,
 *                              contact_name,phone,email,region,industry,
 *                              employees,source,created_at
 *   gen [-s SHAPE] calls N LEADS [SEED]  calls stream: lead_id,manager,
 *                              started_at,duration_s,outcome (ids in 1..LEADS)
 *
 * SHAPE (default quoted) is how the same kind of data is written:
 *   quoted    every field quoted, as some CRM exports do, so a CSV reader
 *             cannot take a quote-free shortcut (the bytes make bench used
 *             before the shapes existed)
 *   plain     the common export: quotes only where RFC 4180 needs them (a
 *             company or contact name with a comma or a quote)
 *   notes     plain, plus a last column `note` of about 2 KB of free text
 *             with embedded line breaks, commas and quotes (quoted)
 *   cyrillic  plain, every contact and company Russian, plus a column `city`
 *             (after region) in Russian: most text bytes are two-byte UTF-8
 *   crlf      plain with CRLF line ends (calls too)
 * Calls have no field that needs quotes: every shape but quoted writes them
 * bare (crlf: with CRLF).  The quoted shape's bytes do not depend on the
 * others' code: its rows come out of the same random sequence as before.
 *
 * The data is messy on purpose: Russian and
 * English names (UTF-8), commas and doubled quotes inside fields, phones in
 * half a dozen national and international spellings with about 3% repeats of
 * an earlier number, e-mails with mixed case, stray spaces, +tags and a few
 * invalid ones.  Outside the notes shape no field holds a line break, so
 * one line is one record; run.sh relies on that only for the mawk row.  The same arguments always
 * give the same bytes (splitmix64, no libc rand()).  Output goes to stdout.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

static uint64_t rng;

static uint64_t
next64(void)
{
	uint64_t z = (rng += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* Uniform in [0, n) without a division per call (Lemire's multiply-shift). */
static uint32_t
below(uint32_t n)
{
	return (uint32_t)(((next64() >> 32) * n) >> 32);
}

/* True with probability permille/1000. */
static int
chance(unsigned permille)
{
	return below(1000) < permille;
}

/* ---- the row being built ---- */

enum shape { QUOTED, PLAIN, NOTES, CYRILLIC, CRLF };
static const char *const shape_names[] = { "quoted", "plain", "notes", "cyrillic", "crlf" };
static enum shape shape = QUOTED;

static char row[8192];	/* one record, every field quoted (notes: up to ~2.5 KB) */
static char out[8192];	/* the same record in the shape's quoting */
static char *p;

static void
put(const char *s)
{
	size_t n = strlen(s);

	memcpy(p, s, n);
	p += n;
}

static void
putch(char c)
{
	*p++ = c;
}

/* Decimal, zero-padded to at least width digits. */
static void
putnum(unsigned long v, int width)
{
	char tmp[24];
	int n = 0;

	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v != 0);
	while (n < width)
		tmp[n++] = '0';
	while (n > 0)
		*p++ = tmp[--n];
}

/* s as the body of a quoted field: quotes doubled (RFC 4180). */
static void
putbody(const char *s)
{
	for (; *s != '\0'; s++) {
		if (*s == '"')
			*p++ = '"';
		*p++ = *s;
	}
}

static void
putq(const char *s)
{
	putch('"');
	putbody(s);
	putch('"');
}

static void
endfield(void)
{
	putch('"');
	putch(',');
}

/*
 * The record in row[] has every field quoted.  The quoted shape writes it as
 * it is; the others write each field bare unless it holds a comma, a quote or
 * a line break, and crlf ends the record with CR LF.
 */
static void
endrow(void)
{
	const char *r = row, *end;
	char *o = out, *body;
	int need;

	p[-1] = '\n';	/* the last field's comma */
	if (shape == QUOTED) {
		fwrite(row, 1, (size_t)(p - row), stdout);
		return;
	}
	end = p;
	while (r < end) {
		/* r is at the opening quote of a field */
		r++;
		body = o + 1;	/* leave room for an opening quote */
		need = 0;
		for (;;) {
			if (*r == '"') {
				if (r[1] == '"') {
					need = 1;
					*body++ = '"';
					*body++ = '"';
					r += 2;
					continue;
				}
				r++;
				break;
			}
			if (*r == ',' || *r == '\n' || *r == '\r')
				need = 1;
			*body++ = *r++;
		}
		if (need) {
			*o = '"';
			*body++ = '"';
			o = body;
		} else {
			memmove(o, o + 1, (size_t)(body - o - 1));
			o = body - 1;
		}
		/* r is at the separator: a comma, or the record's end */
		if (*r == '\n' && shape == CRLF)
			*o++ = '\r';
		*o++ = *r++;
	}
	fwrite(out, 1, (size_t)(o - out), stdout);
}

/* The header line, in the shape's line end. */
static void
header(const char *h)
{
	fputs(h, stdout);
	fputs(shape == CRLF ? "\r\n" : "\n", stdout);
}

static void
putspan(const char *s, int from, int to)
{
	memcpy(p, s + from, (size_t)(to - from));
	p += to - from;
}

/* ---- time: seconds since 2026-01-01T00:00:00 local, written with +03:00 ---- */

#define YEAR_SECONDS (365L * 86400)	/* 2026 is not a leap year */

static void
puttime(long t)
{
	static const int mdays[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	long day, sec;
	int m = 0;

	if (t >= YEAR_SECONDS)
		t = YEAR_SECONDS - 1;
	day = t / 86400;
	sec = t % 86400;

	while (m < 11 && day >= mdays[m])
		day -= mdays[m++];
	put("2026-");
	putnum((unsigned long)m + 1, 2);
	putch('-');
	putnum((unsigned long)day + 1, 2);
	putch('T');
	putnum((unsigned long)(sec / 3600), 2);
	putch(':');
	putnum((unsigned long)(sec / 60 % 60), 2);
	putch(':');
	putnum((unsigned long)(sec % 60), 2);
	put("+03:00");
}

/* ---- word lists ---- */

struct name {
	const char *cyr, *lat;
};

static const struct name ru_male[] = {
	{ "Иван", "ivan" }, { "Сергей", "sergey" }, { "Дмитрий", "dmitry" },
	{ "Алексей", "alexey" }, { "Пётр", "petr" }, { "Андрей", "andrey" },
	{ "Михаил", "mikhail" }, { "Николай", "nikolay" },
};
static const struct name ru_female[] = {
	{ "Анна", "anna" }, { "Мария", "maria" }, { "Ольга", "olga" },
	{ "Елена", "elena" }, { "Наталья", "natalia" }, { "Татьяна", "tatiana" },
	{ "Ксения", "ksenia" }, { "Юлия", "yulia" },
};
/* Surnames in the masculine form; the feminine adds "а"/"a". */
static const struct name ru_surname[] = {
	{ "Иванов", "ivanov" }, { "Петров", "petrov" }, { "Смирнов", "smirnov" },
	{ "Кузнецов", "kuznetsov" }, { "Попов", "popov" }, { "Соколов", "sokolov" },
	{ "Лебедев", "lebedev" }, { "Козлов", "kozlov" }, { "Новиков", "novikov" },
	{ "Морозов", "morozov" }, { "Волков", "volkov" }, { "Орлов", "orlov" },
};
static const char *en_first[] = {
	"John", "Mary", "James", "Linda", "Robert", "Susan", "Michael", "Karen",
	"David", "Emma", "Peter", "Grace",
};
static const char *en_last[] = {
	"Smith", "Johnson", "Brown", "Lee", "Taylor", "Wilson", "Clark", "Walker",
	"Young", "Hall",
};
static const char *ru_form[] = { "ООО", "ООО", "ООО", "АО", "ПАО", "ЗАО" };
static const char *ru_word[] = {
	"Ромашка", "Вектор", "Север", "Альфа", "Гранит", "Меридиан", "Восток",
	"Импульс", "Орион", "Спектр", "Прогресс", "Балтика", "Урал", "Волга",
	"Сибирь", "Техно",
};
static const char *ru_tail[] = {
	"", "", "", "", "", "", "", "-Трейд", "-Строй", "Сервис",
};
static const char *en_word[] = {
	"Acme", "Northwind", "Blue Sky", "Globex", "Initech", "Contoso",
	"Fabrikam", "Redwood", "Silverline", "Harbor",
};
static const char *en_form[] = { "Ltd", "Inc.", "LLC", "Group", "Trading", "Corp" };
static const char *domains[] = {
	"mail.ru", "yandex.ru", "gmail.com", "bk.ru", "inbox.ru", "outlook.com",
	"example.com", "corp.example.ru",
};
static const char *tags[] = { "crm", "sales", "b2b", "news" };
static const char *regions[] = { "msk", "msk", "spb", "ekb", "nsk", "kzn" };
static const char *industries[] = { "retail", "logistics", "it", "manufacturing", "horeca" };
static const char *sources[] = { "web", "cold_base", "referral", "exhibition", "partner" };
static const char *by_codes[] = { "25", "29", "33", "44" };

/* ---- leads ---- */

/* The person behind a lead; kept so that a later lead can reuse the e-mail. */
struct person {
	unsigned char ru, female, first, last, dom, style;
	unsigned num;		/* makes the mailbox name rarely shared */
};

static void
put_lower_first_cap(const char *s, int cap)
{
	putch(cap && *s >= 'a' && *s <= 'z' ? (char)(*s - 'a' + 'A') : *s);
	put(s + 1);
}

static void
put_company(void)
{
	char buf[256], *save;

	putch('"');
	switch (below(shape == CYRILLIC ? 7 : 10)) {	/* cyrillic: Russian names only */
	case 0: case 1: case 2: case 3:	/* ООО «Ромашка» */
		put(ru_form[below(N_OF(ru_form))]);
		put(" «");
		put(ru_word[below(N_OF(ru_word))]);
		put(ru_tail[below(N_OF(ru_tail))]);
		put("»");
		break;
	case 4: case 5:			/* АО "Вектор" -> АО ""Вектор"" */
		save = p;
		p = buf;
		put(ru_form[below(N_OF(ru_form))]);
		put(" \"");
		put(ru_word[below(N_OF(ru_word))]);
		put(ru_tail[below(N_OF(ru_tail))]);
		putch('"');
		*p = '\0';
		p = save;
		putbody(buf);
		break;
	case 6: {			/* ИП Смирнова, Анна */
		int f = (int)below(2);
		const struct name *fn = f ? &ru_female[below(N_OF(ru_female))]
		    : &ru_male[below(N_OF(ru_male))];

		put("ИП ");
		put(ru_surname[below(N_OF(ru_surname))].cyr);
		if (f)
			put("а");
		put(", ");
		put(fn->cyr);
		break;
	}
	case 7: case 8:			/* Northwind Trading, Inc. */
		put(en_word[below(N_OF(en_word))]);
		putch(' ');
		put(en_form[below(N_OF(en_form))]);
		if (chance(300))
			put(", Inc.");
		break;
	default:			/* "Blue Sky" Ltd -> ""Blue Sky"" Ltd */
		put("\"\"");
		put(en_word[below(N_OF(en_word))]);
		put("\"\" ");
		put(en_form[below(N_OF(en_form))]);
		break;
	}
	endfield();
}

static void
put_contact(const struct person *ps)
{
	putch('"');
	if (ps->ru) {
		const struct name *fn = ps->female ? &ru_female[ps->first] : &ru_male[ps->first];

		if (ps->style % 2 == 0) {	/* Анна Иванова */
			put(fn->cyr);
			putch(' ');
			put(ru_surname[ps->last].cyr);
			if (ps->female)
				put("а");
		} else {			/* Иванова А. */
			put(ru_surname[ps->last].cyr);
			if (ps->female)
				put("а");
			putch(' ');
			putspan(fn->cyr, 0, 2);	/* one Cyrillic letter, two bytes */
			putch('.');
		}
	} else if (ps->style % 5 == 0) {	/* Smith, John */
		put(en_last[ps->last]);
		put(", ");
		put(en_first[ps->first]);
	} else if (ps->style % 7 == 1) {	/* Robert ""Bob"" Lee */
		put(en_first[ps->first]);
		put(" \"\"");
		putch(en_first[ps->first][0]);
		put("\"\" ");
		put(en_last[ps->last]);
	} else {
		put(en_first[ps->first]);
		putch(' ');
		put(en_last[ps->last]);
	}
	endfield();
}

static void
put_email(const struct person *ps)
{
	const char *first, *last;
	int cap = 0, upper = 0, female_ru;
	char *start;

	putch('"');
	if (chance(15)) {		/* missing */
		endfield();
		return;
	}
	if (ps->ru) {
		first = ps->female ? ru_female[ps->first].lat : ru_male[ps->first].lat;
		last = ru_surname[ps->last].lat;
	} else {
		first = en_first[ps->first];
		last = en_last[ps->last];
	}
	female_ru = ps->ru && ps->female;
	if (chance(40))
		putch(' ');
	if (chance(120))
		cap = 1;
	else if (chance(30))
		upper = 1;
	start = p;
	switch (ps->style % 4) {
	case 0:
		put_lower_first_cap(first, cap);
		putch('.');
		put_lower_first_cap(last, cap);
		if (female_ru)
			putch('a');
		break;
	case 1:
		putch(first[0]);
		putch('.');
		put_lower_first_cap(last, cap);
		if (female_ru)
			putch('a');
		break;
	case 2:
		put_lower_first_cap(last, cap);
		if (female_ru)
			putch('a');
		break;
	default:
		put_lower_first_cap(first, cap);
		putch('_');
		put_lower_first_cap(last, cap);
		if (female_ru)
			putch('a');
		break;
	}
	putnum(ps->num, 0);
	if (chance(50)) {
		putch('+');
		put(tags[below(N_OF(tags))]);
	}
	switch (below(1000)) {	/* about 1.5% invalid */
	case 0: case 1: case 2: case 3:
		put("@@");
		break;
	case 4: case 5: case 6: case 7:
		putch('.');	/* user.mail.ru: no @ */
		break;
	case 8: case 9: case 10:
		put(" at ");
		break;
	case 11: case 12: case 13: case 14:
		put("@");
		endfield();
		return;
	default:
		putch('@');
		break;
	}
	put(domains[ps->dom]);
	for (char *q = start; q < p; q++) {
		if (!cap && !upper && (unsigned char)*q >= 'A' && (unsigned char)*q <= 'Z')
			*q = (char)(*q - 'A' + 'a');	/* en names are capitalised in the table */
		else if (upper && *q >= 'a' && *q <= 'z')
			*q = (char)(*q - 'a' + 'A');
		else if (cap && q > start && q[-1] == '@' && *q >= 'a' && *q <= 'z')
			*q = (char)(*q - 'a' + 'A');	/* Ivan.Petrov@Mail.ru */
	}
	if (chance(40))
		put("  ");
	endfield();
}

/* A phone number: country 0 = RU (10 national digits), 1 = BY (9 digits). */
struct phone {
	unsigned char country;
	char digits[11];
};

static void
new_phone(struct phone *ph)
{
	int i;

	if (chance(30)) {
		ph->country = 1;
		memcpy(ph->digits, by_codes[below(N_OF(by_codes))], 2);
		for (i = 2; i < 9; i++)
			ph->digits[i] = (char)('0' + below(10));
		/* assigned ranges only (lead-qualify knows them): 25 5-7, 25 9, 29 1-9 */
		if (ph->digits[0] == '2' && ph->digits[1] == '5')
			ph->digits[2] = "5679"[(ph->digits[2] - '0') % 4];
		else if (ph->digits[0] == '2' && ph->digits[2] == '0')
			ph->digits[2] = '1';
		ph->digits[9] = '\0';
	} else {
		ph->country = 0;
		ph->digits[0] = '9';
		for (i = 1; i < 10; i++)
			ph->digits[i] = (char)('0' + below(10));
		ph->digits[10] = '\0';
	}
}

static void
put_phone(const struct phone *ph)
{
	const char *d = ph->digits;

	putch('"');
	if (ph->country == 1) {		/* +375 29 123-45-67 */
		put(chance(500) ? "+375 " : "+375");
		putspan(d, 0, 2);
		putch(' ');
		putspan(d, 2, 5);
		putch('-');
		putspan(d, 5, 7);
		putch('-');
		putspan(d, 7, 9);
		endfield();
		return;
	}
	switch (below(6)) {
	case 0:				/* +7 (916) 123-45-67 */
		put("+7 (");
		putspan(d, 0, 3);
		put(") ");
		putspan(d, 3, 6);
		putch('-');
		putspan(d, 6, 8);
		putch('-');
		putspan(d, 8, 10);
		break;
	case 1:				/* 8 916 1234567 */
		put("8 ");
		putspan(d, 0, 3);
		putch(' ');
		putspan(d, 3, 10);
		break;
	case 2:				/* 79161234567 */
		putch('7');
		put(d);
		break;
	case 3:				/* 9161234567 */
		put(d);
		break;
	case 4:				/* 8(916)123-45-67 */
		put("8(");
		putspan(d, 0, 3);
		putch(')');
		putspan(d, 3, 6);
		putch('-');
		putspan(d, 6, 8);
		putch('-');
		putspan(d, 8, 10);
		break;
	default:			/* +79161234567 */
		put("+7");
		put(d);
		break;
	}
	endfield();
}

/* Russian names of the regions' cities, for the cyrillic shape's city column. */
static const char *cities[] = {
	"Москва", "Москва", "Санкт-Петербург", "Екатеринбург", "Новосибирск", "Казань",
};

/* Words of a manager's free-text note (the notes shape). */
static const char *note_words[] = {
	"клиент", "просил", "перезвонить", "после", "обеда", "в", "пятницу",
	"счёт", "отправлен", "на", "почту", "договор", "согласовании", "у",
	"юристов", "скидка", "не", "интересует", "уточнить", "объём", "поставки",
	"склад", "в", "Подольске", "директор", "в", "отпуске", "до", "конца",
	"месяца", "called", "back", "asked", "for", "the", "price", "list",
	"sent", "a", "quote", "decision", "next", "week", "needs", "approval",
	"from", "HQ", "10%", "15%", "—", "КП", "отправлено", "ждём", "ответа",
	"тендер", "объявят", "в", "марте", "ИНН", "7701234567", "доставка",
	"самовывоз", "оплата", "50/50",
};

/* About 2 KB of text in lines of 40-110 bytes, some commas, a quoted word. */
static void
put_note(void)
{
	size_t want = 1900 + below(300), lmax = 40 + below(70);
	char *start, *line;

	putch('"');
	start = line = p;
	while ((size_t)(p - start) < want) {
		const char *w = note_words[below(N_OF(note_words))];

		if (p > line) {
			if ((size_t)(p - line) >= lmax) {
				putch('\n');
				line = p;
				lmax = 40 + below(70);
			} else {
				putch(' ');
			}
		}
		if (chance(20)) {	/* a "quoted" word: doubled in the field */
			put("\"\"");
			put(w);
			put("\"\"");
		} else {
			put(w);
		}
		if (chance(80))
			putch(chance(500) ? ',' : '.');
	}
	endfield();
}

#define RING 4096	/* how far back a duplicate may reach */

static int
gen_leads(unsigned long n)
{
	static struct phone phones[RING];
	static struct person people[RING];
	unsigned long i, seen = 0, nphones = 0;
	long step = n > 0 ? YEAR_SECONDS / (long)n : 0;

	if (shape == CYRILLIC)
		header("lead_id,company,contact_name,phone,email,region,city,"
		    "industry,employees,source,created_at");
	else if (shape == NOTES)
		header("lead_id,company,contact_name,phone,email,region,industry,"
		    "employees,source,created_at,note");
	else
		header("lead_id,company,contact_name,phone,email,region,industry,"
		    "employees,source,created_at");
	for (i = 1; i <= n; i++) {
		struct phone ph;
		struct person ps;
		unsigned long x = below(5000), y = below(5000), z = below(5000);
		uint32_t r;

		p = row;
		putch('"');
		putch('L');
		putnum(i, 7);
		endfield();
		put_company();

		if (seen > 0 && chance(10)) {		/* same person (and e-mail) again */
			ps = people[below(seen < RING ? (uint32_t)seen : RING)];
		} else {
			ps.ru = (unsigned char)(shape == CYRILLIC ? 1 : chance(600));
			ps.female = (unsigned char)below(2);
			ps.first = (unsigned char)(ps.ru ? below(8) : below(N_OF(en_first)));
			ps.last = (unsigned char)(ps.ru ? below(N_OF(ru_surname)) : below(N_OF(en_last)));
			ps.dom = (unsigned char)below(N_OF(domains));
			ps.style = (unsigned char)below(100);
			ps.num = below(100000);
		}
		put_contact(&ps);

		if (chance(20)) {
			put("\"n/a\",");
		} else if (chance(10)) {
			put("\"\",");
		} else if (chance(8)) {		/* too short for any plan */
			putch('"');
			putnum(below(100000), 5);
			endfield();
		} else {
			if (nphones > 0 && chance(31))	/* an earlier number, maybe spelt otherwise */
				ph = phones[below(nphones < RING ? (uint32_t)nphones : RING)];
			else
				new_phone(&ph);
			put_phone(&ph);
			phones[nphones++ % RING] = ph;
		}
		put_email(&ps);
		r = below(N_OF(regions));
		putq(regions[r]);
		putch(',');
		if (shape == CYRILLIC) {
			putq(cities[r]);
			putch(',');
		}
		putq(industries[below(N_OF(industries))]);
		putch(',');
		putch('"');
		putnum(1 + x * y / 4999 * z / 4999, 0);	/* 1..5000, mostly small */
		endfield();
		putq(sources[below(N_OF(sources))]);
		putch(',');
		putch('"');
		puttime((long)(i - 1) * step + (long)below((uint32_t)step + 1));
		endfield();
		if (shape == NOTES)
			put_note();
		endrow();

		people[seen % RING] = ps;
		seen++;
	}
	return 0;
}

/* ---- calls ---- */

static const char *managers[] = { "ivanov", "petrova", "sidorov", "lee", "smith" };

static int
gen_calls(unsigned long n, unsigned long leads)
{
	/* Weights per mille: most calls go unanswered or nowhere. */
	static const struct {
		const char *name;
		unsigned w;
	} outcomes[] = {
		{ "no_answer", 350 }, { "not_interested", 250 }, { "callback", 150 },
		{ "interested", 120 }, { "wrong_number", 80 }, { "do_not_call", 50 },
	};
	unsigned long i;
	long step = n > 0 ? YEAR_SECONDS / (long)n : 0;

	header("lead_id,manager,started_at,duration_s,outcome");
	for (i = 0; i < n; i++) {
		unsigned r = below(1000), k = 0, dur;

		while (k + 1 < N_OF(outcomes) && r >= outcomes[k].w)
			r -= outcomes[k++].w;
		p = row;
		putch('"');
		putch('L');
		putnum(leads > 0 ? 1 + (unsigned long)(next64() % leads) : 1, 7);
		endfield();
		putq(managers[below(N_OF(managers))]);
		putch(',');
		putch('"');
		/* The phone system exports in call order. */
		puttime((long)i * step + (long)below((uint32_t)step + 1));
		endfield();
		if (k == 0)
			dur = 0;
		else if (k == 4)
			dur = 5 + below(25);
		else
			dur = 20 + below(880);
		putch('"');
		putnum(dur, 0);
		endfield();
		putq(outcomes[k].name);
		putch(',');
		endrow();
	}
	return 0;
}

static unsigned long
number(const char *s, const char *what)
{
	char *end;
	unsigned long v = strtoul(s, &end, 10);

	if (*s == '\0' || *end != '\0' || *s == '-') {
		fprintf(stderr, "gen: bad %s: %s\n", what, s);
		exit(2);
	}
	return v;
}

static void
usage(void)
{
	fputs("usage: gen [-s SHAPE] leads N [SEED]\n"
	    "       gen [-s SHAPE] calls N LEADS [SEED]\n"
	    "SHAPE: quoted (default), plain, notes, cyrillic, crlf\n", stderr);
	exit(2);
}

int
main(int argc, char *argv[])
{
	static char obuf[1 << 20];
	unsigned long seed = 1;
	int rc;

	setvbuf(stdout, obuf, _IOFBF, sizeof(obuf));
	if (argc >= 3 && strcmp(argv[1], "-s") == 0) {
		size_t k;

		for (k = 0; k < N_OF(shape_names); k++)
			if (strcmp(argv[2], shape_names[k]) == 0)
				break;
		if (k == N_OF(shape_names)) {
			fprintf(stderr, "gen: unknown shape: %s\n", argv[2]);
			usage();
		}
		shape = (enum shape)k;
		argc -= 2;
		argv += 2;
	}
	if (argc >= 3 && strcmp(argv[1], "leads") == 0 && argc <= 4) {
		if (argc == 4)
			seed = number(argv[3], "seed");
		rng = seed;
		rc = gen_leads(number(argv[2], "row count"));
	} else if (argc >= 4 && strcmp(argv[1], "calls") == 0 && argc <= 5) {
		if (argc == 5)
			seed = number(argv[4], "seed");
		rng = seed ^ 0x63616c6c73ULL;	/* not the leads' sequence */
		rc = gen_calls(number(argv[2], "row count"), number(argv[3], "lead count"));
	} else {
		usage();
		return 2;
	}
	if (fflush(stdout) != 0 || ferror(stdout)) {
		perror("gen: write");
		return 1;
	}
	return rc;
}
