/*
 * fmt.c - amounts and dates in words, grouped amounts, UTF-8 case mapping
 * (fmt.h).  Amounts are read and grouped by money.c, dates read by date.c;
 * digits are written with civil.h's.  What is fmt.c's alone: the words,
 * in both languages, and the month names in them.
 */
#include <stdlib.h>
#include <string.h>

#include "civil.h"
#include "date.h"
#include "fmt.h"
#include "money.h"

static int
puts_(struct ls_buf *b, const char *s)
{
	return ls_buf_puts(b, s);
}

int
ls_fmt_parse_amount(const char *s, size_t n, int64_t *out, struct ls_error *err)
{
	if (ls_money_parse(s, n, 2, LS_MONEY_ROUND, out, NULL) == 0)
		return 0;
	if (ls_money_parse(s, n, 2, LS_MONEY_ROUND | LS_MONEY_DECIMAL_COMMA, out, NULL) == 0)
		return 0;
	return ls_error_set(err, LS_EDATA, NULL, 0, 0, "'%.*s' is not an amount",
	    (int)(n > 64 ? 64 : n), s);
}

int
ls_fmt_money(struct ls_buf *b, int64_t v, enum ls_locale loc)
{
	struct ls_money_fmt f;
	char buf[LS_MONEY_BUFSZ];

	if (loc == LS_LOCALE_EN) {
		f.group = ",";
		f.decimal = '.';
	} else {
		f.group = "\xc2\xa0";
		f.decimal = ',';
	}
	if (ls_money_format_ex(v, 2, &f, buf, sizeof buf) != 0)
		return LS_EDATA;
	return puts_(b, buf);
}

int
ls_fmt_number(struct ls_buf *b, const char *s, size_t n, enum ls_locale loc,
    struct ls_error *err)
{
	struct ls_money_fmt f;
	char buf[LS_MONEY_BUFSZ];
	int64_t v;
	size_t k;

	if (ls_money_parse(s, n, 6, 0, &v, NULL) != 0 &&
	    ls_money_parse(s, n, 6, LS_MONEY_DECIMAL_COMMA, &v, NULL) != 0)
		return ls_error_set(err, LS_EDATA, NULL, 0, 0, "'%.*s' is not a number",
		    (int)(n > 64 ? 64 : n), s);
	f.group = loc == LS_LOCALE_EN ? "," : "\xc2\xa0";
	f.decimal = loc == LS_LOCALE_EN ? '.' : ',';
	if (ls_money_format_ex(v, 6, &f, buf, sizeof buf) != 0)
		return LS_EDATA;
	k = strlen(buf);
	while (buf[k - 1] == '0')
		k--;
	if (buf[k - 1] == f.decimal)
		k--;
	return ls_buf_put(b, buf, k);
}

/* Russian plural class of n: 0 one (1, 21), 1 few (2-4, 22), 2 many (0, 5-20, 25). */
static int
ru_plural(uint64_t n)
{
	if (n % 100 >= 11 && n % 100 <= 19)
		return 2;
	if (n % 10 == 1)
		return 0;
	if (n % 10 >= 2 && n % 10 <= 4)
		return 1;
	return 2;
}

static const char *const ru_units_m[] = { "", "один", "два", "три", "четыре", "пять",
	"шесть", "семь", "восемь", "девять" };
static const char *const ru_units_f[] = { "", "одна", "две", "три", "четыре", "пять",
	"шесть", "семь", "восемь", "девять" };
static const char *const ru_teens[] = { "десять", "одиннадцать", "двенадцать", "тринадцать",
	"четырнадцать", "пятнадцать", "шестнадцать", "семнадцать", "восемнадцать",
	"девятнадцать" };
static const char *const ru_tens[] = { "", "", "двадцать", "тридцать", "сорок", "пятьдесят",
	"шестьдесят", "семьдесят", "восемьдесят", "девяносто" };
static const char *const ru_hundreds[] = { "", "сто", "двести", "триста", "четыреста",
	"пятьсот", "шестьсот", "семьсот", "восемьсот", "девятьсот" };

/* Append the words of n (1..999), feminine when fem, each word preceded by a space when *sep. */
static int
ru_triple(struct ls_buf *b, unsigned n, int fem, int *sep)
{
	const char *w[3];
	int k = 0, i;

	if (n / 100)
		w[k++] = ru_hundreds[n / 100];
	n %= 100;
	if (n >= 10 && n <= 19)
		w[k++] = ru_teens[n - 10];
	else {
		if (n / 10)
			w[k++] = ru_tens[n / 10];
		if (n % 10)
			w[k++] = (fem ? ru_units_f : ru_units_m)[n % 10];
	}
	for (i = 0; i < k; i++) {
		if ((*sep && puts_(b, " ")) || puts_(b, w[i]))
			return LS_ENOMEM;
		*sep = 1;
	}
	return 0;
}

static int
kopecks(struct ls_buf *b, unsigned k, const char *const forms[3], int space)
{
	char d[3] = { 0, 0, 0 };

	ls_civil_put2(d, (int)k);

	if ((space && puts_(b, " ")) || puts_(b, d) || puts_(b, " ") ||
	    puts_(b, forms[ru_plural(k)]))
		return LS_ENOMEM;
	return 0;
}

int
ls_fmt_words_ru(struct ls_buf *b, int64_t v)
{
	static const struct { const char *f[3]; int fem; } scale[] = {
		{ { "", "", "" }, 0 },
		{ { "тысяча", "тысячи", "тысяч" }, 1 },
		{ { "миллион", "миллиона", "миллионов" }, 0 },
		{ { "миллиард", "миллиарда", "миллиардов" }, 0 },
		{ { "триллион", "триллиона", "триллионов" }, 0 },
		{ { "квадриллион", "квадриллиона", "квадриллионов" }, 0 },
		{ { "квинтиллион", "квинтиллиона", "квинтиллионов" }, 0 },
	};
	static const char *const rub[3] = { "рубль", "рубля", "рублей" };
	static const char *const kop[3] = { "копейка", "копейки", "копеек" };
	uint64_t u = v < 0 ? (uint64_t)(-(v + 1)) + 1 : (uint64_t)v;
	uint64_t whole = u / 100;
	unsigned groups[7];
	int ng = 0, i, sep = 0;

	if (v < 0) {
		if (puts_(b, "минус"))
			return LS_ENOMEM;
		sep = 1;
	}
	if (whole == 0) {
		if ((sep && puts_(b, " ")) || puts_(b, "ноль"))
			return LS_ENOMEM;
		sep = 1;
	}
	for (uint64_t w = whole; w; w /= 1000)
		groups[ng++] = (unsigned)(w % 1000);
	for (i = ng - 1; i >= 0; i--) {
		if (groups[i] == 0)
			continue;
		if (ru_triple(b, groups[i], scale[i].fem, &sep))
			return LS_ENOMEM;
		if (i > 0 && (puts_(b, " ") || puts_(b, scale[i].f[ru_plural(groups[i])])))
			return LS_ENOMEM;
	}
	if (puts_(b, " ") || puts_(b, rub[ru_plural(whole)]))
		return LS_ENOMEM;
	return kopecks(b, (unsigned)(u % 100), kop, 1);
}

static const char *const en_small[] = { "zero", "one", "two", "three", "four", "five", "six",
	"seven", "eight", "nine", "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen",
	"sixteen", "seventeen", "eighteen", "nineteen" };
static const char *const en_tens[] = { "", "", "twenty", "thirty", "forty", "fifty", "sixty",
	"seventy", "eighty", "ninety" };

static int
en_triple(struct ls_buf *b, unsigned n, int *sep)
{
	if (n / 100) {
		if ((*sep && puts_(b, " ")) || puts_(b, en_small[n / 100]) || puts_(b, " hundred"))
			return LS_ENOMEM;
		*sep = 1;
	}
	n %= 100;
	if (n == 0)
		return 0;
	if (*sep && puts_(b, " "))
		return LS_ENOMEM;
	*sep = 1;
	if (n < 20)
		return puts_(b, en_small[n]);
	if (puts_(b, en_tens[n / 10]))
		return LS_ENOMEM;
	if (n % 10 && (puts_(b, "-") || puts_(b, en_small[n % 10])))
		return LS_ENOMEM;
	return 0;
}

int
ls_fmt_words_en(struct ls_buf *b, int64_t v)
{
	static const char *const scale[] = { "", " thousand", " million", " billion",
		" trillion", " quadrillion", " quintillion" };
	uint64_t u = v < 0 ? (uint64_t)(-(v + 1)) + 1 : (uint64_t)v;
	uint64_t whole = u / 100;
	unsigned groups[7], c = (unsigned)(u % 100);
	int ng = 0, i, sep = 0;
	char frac[16] = " and 00/100";

	if (v < 0) {
		if (puts_(b, "minus"))
			return LS_ENOMEM;
		sep = 1;
	}
	if (whole == 0) {
		if ((sep && puts_(b, " ")) || puts_(b, "zero"))
			return LS_ENOMEM;
	}
	for (uint64_t w = whole; w; w /= 1000)
		groups[ng++] = (unsigned)(w % 1000);
	for (i = ng - 1; i >= 0; i--) {
		if (groups[i] == 0)
			continue;
		if (en_triple(b, groups[i], &sep) || puts_(b, scale[i]))
			return LS_ENOMEM;
	}
	ls_civil_put2(frac + 5, (int)c);
	return puts_(b, frac);
}

int
ls_fmt_parse_date(const char *s, size_t n, int *y, int *m, int *d)
{
	struct ls_date dt;
	int ru;

	while (n && (*s == ' ' || *s == '\t'))
		s++, n--;
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	if (n < 10)
		return LS_EDATA;
	/* the date part is date.h's; what may follow it: a time of day, as ls_time_parse() spells it */
	ru = s[2] == '.' && s[5] == '.';
	if (!(n == 10 || s[10] == ' ' || (!ru && (s[10] == 'T' || s[10] == 't'))))
		return LS_EDATA;
	if (ls_date_parse(s, 10, &dt, NULL) != 0)
		return LS_EDATA;
	*y = dt.year;
	*m = dt.month;
	*d = dt.day;
	return 0;
}

int
ls_fmt_date(struct ls_buf *b, const char *s, size_t n, enum ls_locale loc,
    struct ls_error *err)
{
	static const char *const ru[] = { "января", "февраля", "марта", "апреля", "мая", "июня",
		"июля", "августа", "сентября", "октября", "ноября", "декабря" };
	static const char *const en[] = { "January", "February", "March", "April", "May", "June",
		"July", "August", "September", "October", "November", "December" };
	char num[16];
	int y, m, d;

	if (ls_fmt_parse_date(s, n, &y, &m, &d) != 0)
		return ls_error_set(err, LS_EDATA, NULL, 0, 0, "'%.*s' is not a date",
		    (int)(n > 64 ? 64 : n), s);
	ls_civil_put2(num, d);
	num[2] = '\0';
	if (loc == LS_LOCALE_RU) {
		if (puts_(b, d < 10 ? num + 1 : num) || puts_(b, " ") || puts_(b, ru[m - 1]) ||
		    puts_(b, " "))
			return LS_ENOMEM;
	} else {
		if (puts_(b, en[m - 1]) || puts_(b, " ") || puts_(b, d < 10 ? num + 1 : num) ||
		    puts_(b, ", "))
			return LS_ENOMEM;
	}
	ls_civil_put4(num, y);
	num[4] = '\0';
	if (puts_(b, num))
		return LS_ENOMEM;
	return loc == LS_LOCALE_RU ? puts_(b, " г.") : 0;
}

/* Map one code point for case: how 'U' or 'L'. */
static unsigned
map_case(unsigned c, int how)
{
	if (how == 'U') {
		if ((c >= 'a' && c <= 'z') || (c >= 0xE0 && c <= 0xFE && c != 0xF7) ||
		    (c >= 0x430 && c <= 0x44F))
			return c - 0x20;
		if (c >= 0x450 && c <= 0x45F)
			return c - 0x50;
	} else {
		if ((c >= 'A' && c <= 'Z') || (c >= 0xC0 && c <= 0xDE && c != 0xD7) ||
		    (c >= 0x410 && c <= 0x42F))
			return c + 0x20;
		if (c >= 0x400 && c <= 0x40F)
			return c + 0x50;
	}
	return c;
}

int
ls_fmt_case(struct ls_buf *b, const char *s, size_t n, int how)
{
	const unsigned char *p = (const unsigned char *)s, *e = p + n;
	int first = 1;

	while (p < e) {
		unsigned c = *p, len = 1;
		char out[2];

		if (c >= 0xC0 && c < 0xE0 && e - p >= 2 && (p[1] & 0xC0) == 0x80) {
			c = ((c & 0x1F) << 6) | (p[1] & 0x3F);
			len = 2;
		} else if (c >= 0x80) {
			/* longer sequences, stray bytes: copied as they are */
			while (len < (unsigned)(e - p) && (p[len] & 0xC0) == 0x80)
				len++;
			if (ls_buf_put(b, (const char *)p, len))
				return LS_ENOMEM;
			p += len;
			first = 0;
			continue;
		}
		if (how != 'C')
			c = map_case(c, how);
		else if (first && c != ' ')
			c = map_case(c, 'U');
		if (c != ' ')
			first = 0;
		if (c < 0x80) {
			out[0] = (char)c;
			if (ls_buf_put(b, out, 1))
				return LS_ENOMEM;
		} else {
			out[0] = (char)(0xC0 | (c >> 6));
			out[1] = (char)(0x80 | (c & 0x3F));
			if (ls_buf_put(b, out, 2))
				return LS_ENOMEM;
		}
		p += len;
	}
	return 0;
}

int
ls_fmt_locale_parse(const char *word, enum ls_locale *out)
{
	if (strcmp(word, "ru") == 0)
		*out = LS_LOCALE_RU;
	else if (strcmp(word, "en") == 0)
		*out = LS_LOCALE_EN;
	else
		return -1;
	return 0;
}
