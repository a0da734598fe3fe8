/*
 * test_kpi_plan.c - plans that follow the calendar and the team file
 * (a week with a holiday, a manager away, a Saturday, a month, the month to
 * date), each manager's own time zone (Vladivostok, a DST zone), the
 * previous period of --compare, and no plan for an input not given.
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

static char dir[64];

static void
put_file(const char *name, const char *text)
{
	char path[128];
	FILE *fp;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	assert_non_null(fp = fopen(path, "w"));
	fputs(text, fp);
	fclose(fp);
}

/*
 * A department of three: ivanov in Moscow, petrova away on 1 and 2
 * December, lee in Vladivostok, lkim in New York; a calendar of Monday to
 * Friday with 4 and 31 December off.  kpi is the config's own text.
 */
static struct ls_kpi_config *
department(const char *kpi, struct ls_error *err)
{
	char path[128];

	snprintf(dir, sizeof(dir), "/tmp/test_kpi_plan.XXXXXX");
	assert_non_null(mkdtemp(dir));
	put_file("calendar.yaml", "timezone: Europe/Moscow\nhours: {mon-fri: \"09:00-18:00\"}\n"
	    "holidays: [2026-12-04, 2026-12-31]\n");
	put_file("team.yaml", "managers:\n"
	    "  - {id: ivanov}\n"
	    "  - {id: petrova, away: [2026-12-01..2026-12-02]}\n"
	    "  - {id: lee, timezone: Asia/Vladivostok}\n"
	    "  - {id: kim, timezone: America/New_York}\n"
	    "  - {id: gone, active: false}\n");
	put_file("kpi.yaml", kpi);
	snprintf(path, sizeof(path), "%s/kpi.yaml", dir);
	return ls_kpi_config_load(path, err);
}

static void
cleanup(void)
{
	char path[128];

	for (const char *const *f = (const char *const[]){ "calendar.yaml", "team.yaml", "kpi.yaml", NULL }; *f;
	    f++) {
		snprintf(path, sizeof(path), "%s/%s", dir, *f);
		unlink(path);
	}
	rmdir(dir);
}

static const char KPI[] = "timezone: Europe/Moscow\ncalendar: calendar.yaml\nteam: team.yaml\n"
    "targets:\n  default: {calls: 10, revenue: 1000, connect_rate: 0.5}\n  kim: {calls: 4}\n";

static struct ls_kpi *
run(const struct ls_kpi_config *c, enum ls_period per, const char *date, const char *from, const char *to,
    unsigned inputs, int compare, int mtd)
{
	static const char *const hdr[] = { "manager", "started_at", "duration_s", "outcome" };
	struct ls_kpi_opts o = { 0 };
	struct ls_error err = { 0 };
	struct ls_str h[4];
	struct ls_kpi *k;

	o.period = per;
	o.inputs = inputs;
	o.compare = compare;
	o.mtd = mtd;
	assert_int_equal(ls_kpi_opts_dates(&o, c, 1796000000, date, from, to, &err), 0);
	assert_non_null(k = ls_kpi_new(c, &o, &err));
	for (int i = 0; i < 4; i++) {
		h[i].p = hdr[i];
		h[i].n = strlen(hdr[i]);
	}
	assert_int_equal(ls_kpi_bind(k, LS_KPI_IN_CALLS, h, 4, "calls.csv", &err), 0);
	return k;
}

static void
call(struct ls_kpi *k, const char *who, const char *at, const char *outcome)
{
	struct ls_str f[4] = { { who, strlen(who) }, { at, strlen(at) }, { "60", 2 }, { outcome, strlen(outcome) } };
	struct ls_record rec = { .fields = f, .nfields = 4, .file = "calls.csv", .line = 2 };
	struct ls_error err = { 0 };

	assert_int_equal(ls_kpi_add(k, LS_KPI_IN_CALLS, &rec, &err), 0);
}

/* The cell of the row (period, who) and column col; NULL when the table has no such column. */
static const char *
at(const struct ls_kpi_table *t, const char *period, const char *who, const char *col)
{
	long c = ls_kpi_table_col(t, col, strlen(col));

	if (c < 0)
		return NULL;
	for (size_t r = 0; r < ls_kpi_table_rows(t); r++)
		if (strcmp(ls_kpi_table_cell(t, r, 0), period) == 0 && strcmp(ls_kpi_table_cell(t, r, 1), who) == 0)
			return ls_kpi_table_cell(t, r, (size_t)c);
	fail_msg("no row %s %s", period, who);
	return NULL;
}

static struct ls_kpi_table *
table(const struct ls_kpi *k, enum ls_kpi_by by)
{
	struct ls_error err = { 0 };
	struct ls_kpi_table *t = ls_kpi_table(k, by, &err);

	assert_non_null(t);
	return t;
}

/* W49: 30 Nov to 6 Dec, Friday the 4th a holiday: four working days, petrova's two. */
static void
test_week_holiday_away(void **state)
{
	struct ls_error err = { 0 };
	struct ls_kpi_config *c = department(KPI, &err);
	struct ls_kpi *k;
	struct ls_kpi_table *t;

	(void)state;
	assert_non_null(c);
	k = run(c, LS_PERIOD_WEEK, "2026-12-02", NULL, NULL, 1u << LS_KPI_IN_CALLS, 0, 0);
	call(k, "ivanov", "2026-12-01T10:00:00+03:00", "interested");
	t = table(k, LS_KPI_BY_MANAGER);
	assert_string_equal(at(t, "2026-W49", "ivanov", "plan_calls"), "40");
	assert_string_equal(at(t, "2026-W49", "ivanov", "calls_pct"), "2.5");
	assert_string_equal(at(t, "2026-W49", "petrova", "plan_calls"), "20");
	assert_string_equal(at(t, "2026-W49", "kim", "plan_calls"), "16");
	/* a rate's target is not scaled */
	assert_string_equal(at(t, "2026-W49", "petrova", "plan_connect_rate"), "0.500");
	assert_string_equal(at(t, "2026-W49", "TOTAL", "plan_calls"), "116");
	assert_string_equal(at(t, "2026-W49", "TOTAL", "plan_connect_rate"), "0.500");
	/* active: false is not on the roster; revenue has no plan without --deals */
	assert_int_equal(ls_kpi_table_rows(t), 5);
	assert_null(at(t, "2026-W49", "TOTAL", "plan_revenue"));
	ls_kpi_table_free(t);
	ls_kpi_free(k);
	ls_kpi_config_free(c);
	cleanup();
}

/* A Saturday, a holiday, and petrova's days away: no plan at all, nobody behind it. */
static void
test_days_off(void **state)
{
	struct ls_error err = { 0 };
	struct ls_kpi_config *c = department(KPI, &err);
	struct ls_kpi *k;
	struct ls_kpi_table *t;

	(void)state;
	assert_non_null(c);
	k = run(c, LS_PERIOD_DAY, NULL, "2026-12-01", "2026-12-05", (1u << LS_KPI_IN_CALLS) | (1u << LS_KPI_IN_DEALS),
	    0, 0);
	call(k, "ivanov", "2026-12-05T10:00:00+03:00", "interested");
	t = table(k, LS_KPI_BY_MANAGER);
	assert_string_equal(at(t, "2026-12-05", "ivanov", "calls"), "1");
	assert_string_equal(at(t, "2026-12-05", "ivanov", "plan_calls"), "");
	assert_string_equal(at(t, "2026-12-05", "ivanov", "calls_pct"), "");
	assert_string_equal(at(t, "2026-12-05", "TOTAL", "plan_calls"), "");
	assert_string_equal(at(t, "2026-12-05", "TOTAL", "plan_connect_rate"), "");
	assert_string_equal(at(t, "2026-12-04", "TOTAL", "plan_revenue"), "");
	assert_string_equal(at(t, "2026-12-01", "petrova", "plan_calls"), "");
	assert_string_equal(at(t, "2026-12-01", "petrova", "plan_connect_rate"), "");
	assert_string_equal(at(t, "2026-12-01", "petrova", "revenue_pct"), "");
	assert_string_equal(at(t, "2026-12-03", "petrova", "plan_revenue"), "1000.00");
	assert_string_equal(at(t, "2026-12-01", "TOTAL", "plan_calls"), "24");
	ls_kpi_table_free(t);
	ls_kpi_free(k);
	ls_kpi_config_free(c);
	cleanup();
}

/* December: 23 weekdays less 4 and 31 December; the month to the 8th: the 1st-3rd, 7th and 8th. */
static void
test_month_and_mtd(void **state)
{
	struct ls_error err = { 0 };
	struct ls_kpi_config *c = department(KPI, &err);
	struct ls_kpi *k;
	struct ls_kpi_table *t;

	(void)state;
	assert_non_null(c);
	k = run(c, LS_PERIOD_MONTH, "2026-12-20", NULL, NULL, 1u << LS_KPI_IN_CALLS, 0, 0);
	t = table(k, LS_KPI_BY_MANAGER);
	assert_string_equal(at(t, "2026-12", "ivanov", "plan_calls"), "210");
	assert_string_equal(at(t, "2026-12", "petrova", "plan_calls"), "190");
	ls_kpi_table_free(t);
	ls_kpi_free(k);
	k = run(c, LS_PERIOD_MONTH, "2026-12-08", NULL, NULL, 1u << LS_KPI_IN_CALLS, 0, 1);
	call(k, "ivanov", "2026-12-08T10:00:00+03:00", "interested");
	call(k, "ivanov", "2026-12-09T10:00:00+03:00", "interested");	/* after the 8th: not counted */
	t = table(k, LS_KPI_BY_MANAGER);
	assert_string_equal(at(t, "2026-12", "ivanov", "calls"), "1");
	assert_string_equal(at(t, "2026-12", "ivanov", "plan_calls"), "50");
	assert_string_equal(at(t, "2026-12", "petrova", "plan_calls"), "30");
	assert_string_equal(at(t, "2026-12", "TOTAL", "plan_calls"), "150");
	ls_kpi_table_free(t);
	ls_kpi_free(k);
	ls_kpi_config_free(c);
	cleanup();
}

/* 06:30 on 2 December in Vladivostok is 2 December, however it is written; 23:30 in Moscow stays the 1st. */
static void
test_zones(void **state)
{
	struct ls_error err = { 0 };
	struct ls_kpi_config *c = department(KPI, &err);
	struct ls_kpi *k;
	struct ls_kpi_table *t;

	(void)state;
	assert_non_null(c);
	k = run(c, LS_PERIOD_DAY, NULL, NULL, NULL, 1u << LS_KPI_IN_CALLS, 0, 0);
	call(k, "lee", "2026-12-02 06:30:00", "interested");
	call(k, "lee", "2026-12-01T20:30:00Z", "interested");
	call(k, "ivanov", "2026-12-01T20:30:00Z", "interested");
	/* New York: 23:30 on 7 March is EST (UTC-5), 23:30 on 8 March EDT (UTC-4): each its own day */
	call(k, "kim", "2026-03-08T04:30:00Z", "interested");
	call(k, "kim", "2026-03-09T03:30:00Z", "interested");
	call(k, "kim", "2026-03-08 23:30:00", "interested");
	t = table(k, LS_KPI_BY_MANAGER);
	assert_string_equal(at(t, "2026-12-02", "lee", "calls"), "2");
	assert_string_equal(at(t, "2026-12-01", "lee", "calls"), "0");
	assert_string_equal(at(t, "2026-12-01", "ivanov", "calls"), "1");
	assert_string_equal(at(t, "2026-03-07", "kim", "calls"), "1");
	assert_string_equal(at(t, "2026-03-08", "kim", "calls"), "2");
	assert_string_equal(at(t, "2026-03-09", "kim", "calls"), "0");
	ls_kpi_table_free(t);
	ls_kpi_free(k);
	ls_kpi_config_free(c);
	cleanup();
}

/* This week against last: prev_ and _change_pct; a previous week before the data is empty, not 0. */
static void
test_previous_period(void **state)
{
	struct ls_error err = { 0 };
	struct ls_kpi_config *c = department(KPI, &err);
	struct ls_kpi *k;
	struct ls_kpi_table *t;

	(void)state;
	assert_non_null(c);
	k = run(c, LS_PERIOD_WEEK, NULL, "2026-11-30", "2026-12-13", 1u << LS_KPI_IN_CALLS, 1, 0);
	for (int i = 0; i < 4; i++)
		call(k, "ivanov", "2026-11-30T10:00:00+03:00", i ? "no_answer" : "interested");
	call(k, "ivanov", "2026-12-07T10:00:00+03:00", "interested");
	call(k, "ivanov", "2026-12-08T10:00:00+03:00", "no_answer");
	call(k, "ivanov", "2026-12-09T10:00:00+03:00", "interested");
	t = table(k, LS_KPI_BY_MANAGER);
	/* W49 is the first week of the data: its previous week is not in it */
	assert_string_equal(at(t, "2026-W49", "ivanov", "prev_calls"), "");
	assert_string_equal(at(t, "2026-W49", "ivanov", "calls_change_pct"), "");
	assert_string_equal(at(t, "2026-W50", "ivanov", "prev_calls"), "4");
	assert_string_equal(at(t, "2026-W50", "ivanov", "calls_change_pct"), "-25.0");
	assert_string_equal(at(t, "2026-W50", "ivanov", "prev_connect_rate"), "0.250");
	assert_string_equal(at(t, "2026-W50", "ivanov", "connect_rate_change_pct"), "166.7");
	assert_string_equal(at(t, "2026-W50", "lee", "prev_calls"), "0");
	assert_string_equal(at(t, "2026-W50", "lee", "calls_change_pct"), "");
	assert_string_equal(at(t, "2026-W50", "TOTAL", "prev_calls"), "4");
	assert_null(at(t, "2026-W50", "TOTAL", "prev_revenue"));
	ls_kpi_table_free(t);
	ls_kpi_free(k);
	/* the month to the 8th against November to the 8th, read before --date's month */
	k = run(c, LS_PERIOD_MONTH, "2026-12-08", NULL, NULL, 1u << LS_KPI_IN_CALLS, 1, 1);
	call(k, "ivanov", "2026-11-02T10:00:00+03:00", "interested");
	call(k, "ivanov", "2026-11-08T10:00:00+03:00", "interested");
	call(k, "ivanov", "2026-11-09T10:00:00+03:00", "interested");	/* past November's 8th */
	call(k, "ivanov", "2026-12-03T10:00:00+03:00", "interested");
	t = table(k, LS_KPI_BY_MANAGER);
	assert_int_equal(ls_kpi_table_rows(t), 5);
	assert_string_equal(at(t, "2026-12", "ivanov", "prev_calls"), "2");
	assert_string_equal(at(t, "2026-12", "ivanov", "calls_change_pct"), "-50.0");
	ls_kpi_table_free(t);
	ls_kpi_free(k);
	ls_kpi_config_free(c);
	cleanup();
}

/* A day against the working day before: Monday against Friday, Monday 7 December against Thursday the 3rd. */
static void
test_previous_workday(void **state)
{
	struct ls_error err = { 0 };
	struct ls_kpi_config *c = department(KPI, &err);
	struct ls_kpi *k;
	struct ls_kpi_table *t;

	(void)state;
	assert_non_null(c);
	k = run(c, LS_PERIOD_DAY, NULL, "2026-12-05", "2026-12-07", 1u << LS_KPI_IN_CALLS, 1, 0);
	call(k, "ivanov", "2026-12-03T10:00:00+03:00", "interested");
	call(k, "ivanov", "2026-12-03T11:00:00+03:00", "interested");
	call(k, "ivanov", "2026-12-04T10:00:00+03:00", "interested");	/* the holiday: no day's previous */
	call(k, "ivanov", "2026-12-06T10:00:00+03:00", "interested");
	call(k, "ivanov", "2026-12-07T10:00:00+03:00", "interested");
	t = table(k, LS_KPI_BY_MANAGER);
	assert_string_equal(at(t, "2026-12-07", "ivanov", "prev_calls"), "2");
	assert_string_equal(at(t, "2026-12-07", "ivanov", "calls_change_pct"), "-50.0");
	assert_string_equal(at(t, "2026-12-06", "ivanov", "prev_calls"), "2");
	assert_string_equal(at(t, "2026-12-05", "TOTAL", "prev_calls"), "2");
	ls_kpi_table_free(t);
	ls_kpi_free(k);
	ls_kpi_config_free(c);
	cleanup();
}

/* A config naming neither calendar: nor team: keeps the older plans: a target per period as it stands. */
static void
test_older_config(void **state)
{
	struct ls_error err = { 0 };
	struct ls_kpi_config *c = department("timezone: Europe/Moscow\ntargets: {default: {calls: 10}}\n", &err);
	struct ls_kpi *k;
	struct ls_kpi_table *t;

	(void)state;
	assert_non_null(c);
	k = run(c, LS_PERIOD_WEEK, "2026-12-02", NULL, NULL, 1u << LS_KPI_IN_CALLS, 0, 0);
	call(k, "ivanov", "2026-12-05T10:00:00+03:00", "interested");
	t = table(k, LS_KPI_BY_MANAGER);
	assert_string_equal(at(t, "2026-W49", "ivanov", "plan_calls"), "10");
	assert_string_equal(at(t, "2026-W49", "ivanov", "calls_pct"), "10.0");
	ls_kpi_table_free(t);
	ls_kpi_free(k);
	ls_kpi_config_free(c);
	cleanup();
}

/* A bad team file is the config's error, naming the team file's line and column. */
static void
test_team_errors(void **state)
{
	struct ls_error err = { 0 };
	struct ls_kpi_config *c;

	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/test_kpi_plan.XXXXXX");
	assert_non_null(mkdtemp(dir));
	put_file("team.yaml", "managers:\n  - {id: lee, timezone: Asia/Atlantis}\n");
	put_file("kpi.yaml", "team: team.yaml\n");
	put_file("calendar.yaml", "");
	{
		char path[128];

		snprintf(path, sizeof(path), "%s/kpi.yaml", dir);
		assert_null(c = ls_kpi_config_load(path, &err));
		assert_int_equal(err.status, LS_ECONFIG);
		assert_non_null(strstr(err.file, "team.yaml"));
		assert_int_equal(err.line, 2);
		assert_non_null(strstr(err.msg, "Asia/Atlantis"));
		put_file("kpi.yaml", "team: nowhere.yaml\n");
		assert_null(c = ls_kpi_config_load(path, &err));
		assert_non_null(strstr(err.file, "nowhere.yaml"));
		put_file("kpi.yaml", "team: \"\"\n");
		assert_null(c = ls_kpi_config_load(path, &err));
		assert_int_equal(err.line, 1);
		assert_non_null(strstr(err.msg, "team: expected a file name"));
	}
	cleanup();
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_week_holiday_away),
		cmocka_unit_test(test_days_off),
		cmocka_unit_test(test_month_and_mtd),
		cmocka_unit_test(test_zones),
		cmocka_unit_test(test_previous_period),
		cmocka_unit_test(test_previous_workday),
		cmocka_unit_test(test_older_config),
		cmocka_unit_test(test_team_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
