/*
 * test_kpi_lang.c - kpi-report's human formats in Russian (kpi_lang.c):
 * digit groups, money and its currency, talk time as h:mm, periods, the
 * label table with its fallback, and lang: in kpi.yaml.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kpi.h"
#include "kpi_lang.h"

#define G	"\xe2\x80\xaf"	/* the digit group: U+202F */
#define NB	"\xc2\xa0"	/* before the currency: U+00A0 */
#define MINUS	"\xe2\x88\x92"

typedef int (*fmt_fn)(struct ls_buf *, const char *);

static void
check(fmt_fn f, const char *in, const char *want)
{
	struct ls_buf b = { 0 };

	assert_int_equal(f(&b, in), 0);
	assert_string_equal(b.p ? b.p : "", want);
	ls_buf_free(&b);
}

static void
test_number(void **state)
{
	(void)state;
	check(ls_kpi_fmt_number, "0", "0");
	check(ls_kpi_fmt_number, "999", "999");
	check(ls_kpi_fmt_number, "1234", "1" G "234");
	check(ls_kpi_fmt_number, "1234567.5", "1" G "234" G "567,5");
	check(ls_kpi_fmt_number, "123456", "123" G "456");
	check(ls_kpi_fmt_number, "0.630", "0,630");
	check(ls_kpi_fmt_number, "-12345.10", MINUS "12" G "345,10");
	/* a zero rounded from a small negative has no sign */
	check(ls_kpi_fmt_number, "-0.0", "0,0");
	/* not a number the tools print: as it is */
	check(ls_kpi_fmt_number, "", "");
	check(ls_kpi_fmt_number, "n/a", "n/a");
	check(ls_kpi_fmt_number, "1.", "1.");
	check(ls_kpi_fmt_number, "1e5", "1e5");
	check(ls_kpi_fmt_number, "-", "-");
}

static int
rub(struct ls_buf *b, const char *v)
{
	return ls_kpi_fmt_money(b, v, "RUB");
}

static int
eur(struct ls_buf *b, const char *v)
{
	return ls_kpi_fmt_money(b, v, "EUR");
}

static int
none(struct ls_buf *b, const char *v)
{
	return ls_kpi_fmt_money(b, v, NULL);
}

static void
test_money(void **state)
{
	(void)state;
	check(rub, "211562.11", "211" G "562,11" NB "₽");
	check(rub, "1296751.87", "1" G "296" G "751,87" NB "₽");
	check(rub, "0.00", "0,00" NB "₽");
	check(rub, "-5000.50", MINUS "5" G "000,50" NB "₽");
	check(eur, "99.00", "99,00" NB "EUR");
	check(none, "150000.00", "150" G "000,00" NB "₽");
	/* an empty cell (no deal to average) stays empty: no lone currency sign */
	check(rub, "", "");
}

static void
test_hmm(void **state)
{
	(void)state;
	check(ls_kpi_fmt_hmm, "0", "0:00");
	check(ls_kpi_fmt_hmm, "29", "0:00");
	check(ls_kpi_fmt_hmm, "30", "0:01");	/* half a minute up */
	check(ls_kpi_fmt_hmm, "29.5", "0:01");
	check(ls_kpi_fmt_hmm, "3600", "1:00");
	check(ls_kpi_fmt_hmm, "9559", "2:39");
	check(ls_kpi_fmt_hmm, "86399", "24:00");
	check(ls_kpi_fmt_hmm, "90000", "25:00");	/* not wrapped at a day */
	check(ls_kpi_fmt_hmm, "3600000", "1000:00");
	check(ls_kpi_fmt_hmm, "-300", MINUS "0:05");	/* a delta below the other */
	check(ls_kpi_fmt_hmm, "-10", "0:00");
	check(ls_kpi_fmt_hmm, "", "");
	check(ls_kpi_fmt_hmm, "abc", "abc");
	check(ls_kpi_fmt_hmm, "1234567890123456789", "1234567890123456789");	/* past any sum: as it is */
}

static void
test_period(void **state)
{
	(void)state;
	check(ls_kpi_fmt_period, "2026-11-26", "26.11.2026");
	check(ls_kpi_fmt_period, "2026-W48", "48-я неделя 2026");
	check(ls_kpi_fmt_period, "2027-W01", "1-я неделя 2027");
	check(ls_kpi_fmt_period, "2026-11", "ноябрь 2026");
	check(ls_kpi_fmt_period, "2027-01", "январь 2027");
	check(ls_kpi_fmt_period, "2026-13", "2026-13");
	check(ls_kpi_fmt_period, "TOTAL", "TOTAL");
	/* the shape of a key with a letter where a digit goes: kept as it is */
	check(ls_kpi_fmt_period, "2026-1x-26", "2026-1x-26");
	check(ls_kpi_fmt_period, "20x6-W48", "20x6-W48");
	check(ls_kpi_fmt_period, "2026-0x", "2026-0x");
	check(ls_kpi_fmt_period, "", "");
}

static void
label(enum ls_kpi_lang l, const char *name, const char *want)
{
	struct ls_buf b = { 0 };

	assert_int_equal(ls_kpi_label(l, name, &b), 0);
	assert_string_equal(b.p, want);
	ls_buf_free(&b);
}

static void
test_labels(void **state)
{
	(void)state;
	label(LS_KPI_LANG_RU, "calls", "Звонки");
	label(LS_KPI_LANG_RU, "talk_time_s", "Время разговоров");
	label(LS_KPI_LANG_RU, "revenue", "Выручка");
	label(LS_KPI_LANG_RU, "plan_calls", "План: звонки");
	label(LS_KPI_LANG_RU, "calls_pct", "% плана: звонки");
	label(LS_KPI_LANG_RU, "plan_talk_time_s", "План: время разговоров");
	label(LS_KPI_LANG_RU, "sla_met_pct", "SLA соблюдён, %");
	label(LS_KPI_LANG_RU, "speed_median_min", "Скорость: медиана, мин");
	/* --compare's columns */
	label(LS_KPI_LANG_RU, "prev_calls", "Прошлый период: звонки");
	label(LS_KPI_LANG_RU, "revenue_change_pct", "Изменение, %: выручка");
	label(LS_KPI_LANG_RU, "prev_unknown", "prev_unknown");
	label(LS_KPI_LANG_RU, "unknown_change_pct", "unknown_change_pct");
	/* a column nobody labelled yet prints its name, also as plan_X and X_pct */
	label(LS_KPI_LANG_RU, "calls_prev", "calls_prev");
	label(LS_KPI_LANG_RU, "plan_unknown", "plan_unknown");
	label(LS_KPI_LANG_RU, "unknown_pct", "unknown_pct");
	label(LS_KPI_LANG_RU, "_pct", "_pct");
	label(LS_KPI_LANG_EN, "calls", "calls");
	label(LS_KPI_LANG_EN, "plan_calls", "plan_calls");
}

static void
test_parse(void **state)
{
	struct ls_error err = { 0 };
	enum ls_kpi_lang l = LS_KPI_LANG_EN;

	(void)state;
	assert_int_equal(ls_kpi_lang_parse("ru", &l, &err), 0);
	assert_int_equal(l, LS_KPI_LANG_RU);
	assert_int_equal(ls_kpi_lang_parse("en", &l, &err), 0);
	assert_int_equal(l, LS_KPI_LANG_EN);
	assert_int_equal(ls_kpi_lang_parse("RU", &l, &err), LS_EUSAGE);
	assert_string_equal(err.msg, "--lang: expected en or ru, got 'RU'");
	assert_int_equal(ls_kpi_lang_parse("", &l, NULL), LS_EUSAGE);
}

static struct ls_kpi_config *
config(const char *text, struct ls_error *err)
{
	char path[] = "/tmp/test_kpi_lang.XXXXXX";
	struct ls_kpi_config *c;
	int fd = mkstemp(path);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	c = ls_kpi_config_load(path, err);
	unlink(path);
	return c;
}

static void
test_config(void **state)
{
	struct ls_error err = { 0 };
	struct ls_kpi_config *c;

	(void)state;
	assert_non_null(c = config("timezone: UTC\nlang: ru\n", &err));
	assert_int_equal(ls_kpi_config_lang(c), LS_KPI_LANG_RU);
	ls_kpi_config_free(c);
	assert_non_null(c = config("timezone: UTC\n", &err));
	assert_int_equal(ls_kpi_config_lang(c), LS_KPI_LANG_EN);
	ls_kpi_config_free(c);
	assert_null(config("timezone: UTC\nlang: de\n", &err));
	assert_int_equal(err.status, LS_ECONFIG);
	assert_int_equal(err.line, 2);
	assert_string_equal(err.msg, "lang: expected en or ru, got 'de'");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_number),
		cmocka_unit_test(test_money),
		cmocka_unit_test(test_hmm),
		cmocka_unit_test(test_period),
		cmocka_unit_test(test_labels),
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_config),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
