/*
 * test_fmt.c - text for people (fmt.c): grouped amounts, amounts in Russian
 * and English words, dates in words, UTF-8 case mapping.  These are
 * doc-render's Mustache filters; every case is the exact text a document
 * would show.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fmt.h"

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))
#define NBSP		"\xc2\xa0"	/* U+00A0, ru's thousands separator */

static void
test_money(void **state)
{
	static const struct { int64_t v; const char *ru, *en; } c[] = {
		{ 0, "0,00", "0.00" },
		{ 5, "0,05", "0.05" },
		{ 100, "1,00", "1.00" },
		{ 99999, "999,99", "999.99" },
		{ 100000, "1" NBSP "000,00", "1,000.00" },
		{ 123456789, "1" NBSP "234" NBSP "567,89", "1,234,567.89" },
		{ 100000000, "1" NBSP "000" NBSP "000,00", "1,000,000.00" },
		{ -123456, "-1" NBSP "234,56", "-1,234.56" },
	};
	struct ls_buf b = { 0 };
	size_t i;

	(void)state;
	for (i = 0; i < NELEM(c); i++) {
		b.n = 0;
		assert_int_equal(ls_fmt_money(&b, c[i].v, LS_LOCALE_RU), 0);
		assert_string_equal(b.p, c[i].ru);
		b.n = 0;
		assert_int_equal(ls_fmt_money(&b, c[i].v, LS_LOCALE_EN), 0);
		assert_string_equal(b.p, c[i].en);
	}
	ls_buf_free(&b);
}

static void
test_parse_amount(void **state)
{
	static const struct { const char *in; int64_t v; } ok[] = {
		{ "1234.5", 123450 }, { "1 234,50", 123450 }, { "-3", -300 }, { "1,5", 150 },
		{ "1,234", 123400 }, { "0.005", 1 }, { "12", 1200 },
	};
	static const char *const bad[] = { "abc", "", "1.2.3", "--1" };
	struct ls_error err;
	int64_t v;
	size_t i;

	(void)state;
	for (i = 0; i < NELEM(ok); i++) {
		v = 0;
		if (ls_fmt_parse_amount(ok[i].in, strlen(ok[i].in), &v, NULL) != 0 || v != ok[i].v)
			fail_msg("'%s': %lld, want %lld", ok[i].in, (long long)v, (long long)ok[i].v);
	}
	for (i = 0; i < NELEM(bad); i++) {
		memset(&err, 0, sizeof(err));
		assert_int_equal(ls_fmt_parse_amount(bad[i], strlen(bad[i]), &v, &err), LS_EDATA);
	}
	assert_string_equal(err.msg, "'--1' is not an amount");
}

static void
test_number(void **state)
{
	static const struct { const char *in, *ru, *en; } c[] = {
		{ "1234.5", "1" NBSP "234,5", "1,234.5" },
		{ "3", "3", "3" },
		{ "0.125", "0,125", "0.125" },
		{ "1000000", "1" NBSP "000" NBSP "000", "1,000,000" },
		{ "2,50", "2,5", "2.5" },
	};
	struct ls_buf b = { 0 };
	struct ls_error err;
	size_t i;

	(void)state;
	for (i = 0; i < NELEM(c); i++) {
		b.n = 0;
		assert_int_equal(ls_fmt_number(&b, c[i].in, strlen(c[i].in), LS_LOCALE_RU, NULL), 0);
		assert_string_equal(b.p, c[i].ru);
		b.n = 0;
		assert_int_equal(ls_fmt_number(&b, c[i].in, strlen(c[i].in), LS_LOCALE_EN, NULL), 0);
		assert_string_equal(b.p, c[i].en);
	}
	memset(&err, 0, sizeof(err));
	assert_int_equal(ls_fmt_number(&b, "x1", 2, LS_LOCALE_RU, &err), LS_EDATA);
	assert_string_equal(err.msg, "'x1' is not a number");
	ls_buf_free(&b);
}

/* Agreement in gender (одна тысяча, два рубля) and plural (пять тысяч, двадцать один рубль). */
static void
test_words_ru(void **state)
{
	static const struct { int64_t v; const char *want; } c[] = {
		{ 0, "ноль рублей 00 копеек" },
		{ 100, "один рубль 00 копеек" },
		{ 200, "два рубля 00 копеек" },
		{ 500, "пять рублей 00 копеек" },
		{ 1100, "одиннадцать рублей 00 копеек" },
		{ 2100, "двадцать один рубль 00 копеек" },
		{ 2200, "двадцать два рубля 00 копеек" },
		{ 1, "ноль рублей 01 копейка" },
		{ 2, "ноль рублей 02 копейки" },
		{ 5, "ноль рублей 05 копеек" },
		{ 11, "ноль рублей 11 копеек" },
		{ 21, "ноль рублей 21 копейка" },
		{ 123405, "одна тысяча двести тридцать четыре рубля 05 копеек" },
		{ 200000, "две тысячи рублей 00 копеек" },
		{ 500000, "пять тысяч рублей 00 копеек" },
		{ 2100000, "двадцать одна тысяча рублей 00 копеек" },
		{ 100000000, "один миллион рублей 00 копеек" },
		{ 200000000, "два миллиона рублей 00 копеек" },
		{ 100100099, "один миллион одна тысяча рублей 99 копеек" },
		{ -150, "минус один рубль 50 копеек" },
		{ -1, "минус ноль рублей 01 копейка" },
	};
	struct ls_buf b = { 0 };
	size_t i;

	(void)state;
	for (i = 0; i < NELEM(c); i++) {
		b.n = 0;
		assert_int_equal(ls_fmt_words_ru(&b, c[i].v), 0);
		if (strcmp(b.p, c[i].want) != 0)
			fail_msg("%lld: '%s', want '%s'", (long long)c[i].v, b.p, c[i].want);
	}
	ls_buf_free(&b);
}

static void
test_words_en(void **state)
{
	static const struct { int64_t v; const char *want; } c[] = {
		{ 0, "zero and 00/100" },
		{ 100, "one and 00/100" },
		{ 200, "two and 00/100" },
		{ 500, "five and 00/100" },
		{ 1100, "eleven and 00/100" },
		{ 2100, "twenty-one and 00/100" },
		{ 5, "zero and 05/100" },
		{ 123405, "one thousand two hundred thirty-four and 05/100" },
		{ 100000000, "one million and 00/100" },
		{ 100100099, "one million one thousand and 99/100" },
		{ 1000000, "ten thousand and 00/100" },
		{ -150, "minus one and 50/100" },
	};
	struct ls_buf b = { 0 };
	size_t i;

	(void)state;
	for (i = 0; i < NELEM(c); i++) {
		b.n = 0;
		assert_int_equal(ls_fmt_words_en(&b, c[i].v), 0);
		if (strcmp(b.p, c[i].want) != 0)
			fail_msg("%lld: '%s', want '%s'", (long long)c[i].v, b.p, c[i].want);
	}
	ls_buf_free(&b);
}

static void
test_dates(void **state)
{
	static const struct { const char *in, *ru, *en; } c[] = {
		{ "2026-11-26", "26 ноября 2026 г.", "November 26, 2026" },
		{ "2026-01-05", "5 января 2026 г.", "January 5, 2026" },
		{ "26.11.2026", "26 ноября 2026 г.", "November 26, 2026" },
		{ "01.03.2024 14:03", "1 марта 2024 г.", "March 1, 2024" },
		{ "2026-12-31T23:59:59+03:00", "31 декабря 2026 г.", "December 31, 2026" },
		{ "2024-02-29", "29 февраля 2024 г.", "February 29, 2024" },
		{ "  2026-05-09 ", "9 мая 2026 г.", "May 9, 2026" },
	};
	static const char *const bad[] = {
		"2026-02-29", "2026-13-01", "0000-01-01", "26.11.2026T10:00", "2026/11/26",
		"2026-11-2", "tomorrow", "",
	};
	struct ls_buf b = { 0 };
	struct ls_error err;
	size_t i;

	(void)state;
	for (i = 0; i < NELEM(c); i++) {
		b.n = 0;
		assert_int_equal(ls_fmt_date(&b, c[i].in, strlen(c[i].in), LS_LOCALE_RU, NULL), 0);
		assert_string_equal(b.p, c[i].ru);
		b.n = 0;
		assert_int_equal(ls_fmt_date(&b, c[i].in, strlen(c[i].in), LS_LOCALE_EN, NULL), 0);
		assert_string_equal(b.p, c[i].en);
	}
	for (i = 0; i < NELEM(bad); i++) {
		memset(&err, 0, sizeof(err));
		if (ls_fmt_date(&b, bad[i], strlen(bad[i]), LS_LOCALE_RU, &err) != LS_EDATA)
			fail_msg("'%s' taken for a date", bad[i]);
	}
	assert_string_equal(err.msg, "'' is not a date");
	ls_buf_free(&b);
}

static void
test_case(void **state)
{
	static const struct { const char *in; int how; const char *want; } c[] = {
		{ "ооо «ромашка»", 'U', "ООО «РОМАШКА»" },
		{ "ЁЛКА и ёж", 'L', "ёлка и ёж" },
		{ "ёлка", 'U', "ЁЛКА" },
		{ "иван петров", 'C', "Иван петров" },
		{ "Straße Café", 'U', "STRAßE CAFÉ" },
		{ "ÀÉÎ ABC", 'L', "àéî abc" },
		{ "єї ЄЇ", 'U', "ЄЇ ЄЇ" },
		{ "123 - №5", 'U', "123 - №5" },
		{ "bad \xff\xfe utf", 'U', "BAD \xff\xfe UTF" },
		{ "", 'U', "" },
	};
	struct ls_buf b = { 0 };
	size_t i;

	(void)state;
	for (i = 0; i < NELEM(c); i++) {
		b.n = 0;
		assert_int_equal(ls_fmt_case(&b, c[i].in, strlen(c[i].in), c[i].how), 0);
		/* b.n, not strcmp: nothing is appended for "", so b.p keeps the last text */
		if (b.n != strlen(c[i].want) || memcmp(b.p, c[i].want, b.n) != 0)
			fail_msg("%c '%s': '%.*s', want '%s'", c[i].how, c[i].in, (int)b.n, b.p,
			    c[i].want);
	}
	ls_buf_free(&b);
}

/* the --lang and lang: words: ru and en, nothing else (not even in capitals) */
static void
test_locale_words(void **state)
{
	enum ls_locale l = LS_LOCALE_EN;

	(void)state;
	assert_int_equal(ls_fmt_locale_parse("ru", &l), 0);
	assert_int_equal(l, LS_LOCALE_RU);
	assert_int_equal(ls_fmt_locale_parse("en", &l), 0);
	assert_int_equal(l, LS_LOCALE_EN);
	assert_int_equal(ls_fmt_locale_parse("RU", &l), -1);
	assert_int_equal(ls_fmt_locale_parse("", &l), -1);
	assert_int_equal(ls_fmt_locale_parse("de", &l), -1);
	assert_int_equal(l, LS_LOCALE_EN);	/* untouched when refused */
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_locale_words),
		cmocka_unit_test(test_money),
		cmocka_unit_test(test_parse_amount),
		cmocka_unit_test(test_number),
		cmocka_unit_test(test_words_ru),
		cmocka_unit_test(test_words_en),
		cmocka_unit_test(test_dates),
		cmocka_unit_test(test_case),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
