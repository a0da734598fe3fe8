/* test_kpi_funnel.c - the funnel's join on lead_id, speed to lead in business time, its percentiles. */
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
#include "kpi_funnel.h"

static char dir[] = "/tmp/test_kpi_funnel.XXXXXX";

static const char cal_yaml[] =
    "timezone: Europe/Moscow\n"
    "hours: {mon-fri: \"09:00-18:00\"}\n"
    "lunch: \"13:00-14:00\"\n"
    "holidays: [2026-11-04]\n";

static void
put_file(const char *name, const char *text)
{
	char path[128];
	FILE *fp;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	assert_non_null(fp = fopen(path, "w"));
	assert_int_equal(fputs(text, fp) >= 0, 1);
	assert_int_equal(fclose(fp), 0);
}

/* A config from text, written beside the calendar (calendar: cal.yaml is relative to it). */
static struct ls_kpi_config *
config(const char *text, struct ls_error *err)
{
	char path[128];

	put_file("kpi.yaml", text);
	snprintf(path, sizeof(path), "%s/kpi.yaml", dir);
	return ls_kpi_config_load(path, err);
}

static int
setup(void **state)
{
	(void)state;
	if (mkdtemp(dir) == NULL)
		return -1;
	put_file("cal.yaml", cal_yaml);
	return 0;
}

static int
teardown(void **state)
{
	char path[128];

	(void)state;
	snprintf(path, sizeof(path), "%s/cal.yaml", dir);
	unlink(path);
	snprintf(path, sizeof(path), "%s/kpi.yaml", dir);
	unlink(path);
	return rmdir(dir);
}

static const char *leads_hdr[] = { "lead_id", "manager", "assigned_at" };
static const char *calls_hdr[] = { "lead_id", "manager", "started_at", "duration_s", "outcome" };
static const char *deals_hdr[] = { "lead_id", "manager", "stage", "amount", "closed_at" };

static int
bind(struct ls_kpi *k, enum ls_kpi_input in, const char **names, size_t n, struct ls_error *err)
{
	struct ls_str h[8];

	for (size_t i = 0; i < n; i++) {
		h[i].p = names[i];
		h[i].n = strlen(names[i]);
	}
	return ls_kpi_bind(k, in, h, n, "t.csv", err);
}

/* Add one record given as fields; returns ls_kpi_add()'s status. */
static int
add(struct ls_kpi *k, enum ls_kpi_input in, int n, ...)
{
	struct ls_str f[8];
	struct ls_record rec = { 0 };
	struct ls_error err = { 0 };
	va_list ap;

	va_start(ap, n);
	for (int i = 0; i < n; i++) {
		f[i].p = va_arg(ap, const char *);
		f[i].n = strlen(f[i].p);
	}
	va_end(ap);
	rec.nfields = (size_t)n;
	rec.fields = f;
	rec.file = "t.csv";
	rec.line = 3;
	return ls_kpi_add(k, in, &rec, &err);
}

static struct ls_kpi *
funnel(const struct ls_kpi_config *c, enum ls_period per)
{
	struct ls_kpi_opts o = { 0 };
	struct ls_error err = { 0 };
	struct ls_kpi *k;

	o.period = per;
	o.funnel = 1;
	assert_non_null(k = ls_kpi_new(c, &o, &err));
	assert_int_equal(bind(k, LS_KPI_IN_LEADS, leads_hdr, 3, &err), 0);
	assert_int_equal(bind(k, LS_KPI_IN_CALLS, calls_hdr, 5, &err), 0);
	assert_int_equal(bind(k, LS_KPI_IN_DEALS, deals_hdr, 5, &err), 0);
	return k;
}

static const char *
cell(const struct ls_kpi_table *t, size_t row, const char *col)
{
	long c = ls_kpi_table_col(t, col, strlen(col));

	assert_true(c >= 0);
	assert_true(row < ls_kpi_table_rows(t));
	return ls_kpi_table_cell(t, row, (size_t)c);
}

/* Nearest rank, no interpolation: the value at ceil(p * n / 100). */
static void
test_percentile(void **state)
{
	static const int64_t v[] = { 10, 20, 30, 40, 50, 60, 70, 80, 90, 100 };

	(void)state;
	assert_int_equal(ls_kpi_percentile(v, 1, 50), 10);
	assert_int_equal(ls_kpi_percentile(v, 1, 90), 10);
	assert_int_equal(ls_kpi_percentile(v, 2, 50), 10);	/* the lower middle */
	assert_int_equal(ls_kpi_percentile(v, 2, 90), 20);
	assert_int_equal(ls_kpi_percentile(v, 3, 50), 20);
	assert_int_equal(ls_kpi_percentile(v, 10, 50), 50);
	assert_int_equal(ls_kpi_percentile(v, 10, 90), 90);	/* 9 of 10 at or below */
	assert_int_equal(ls_kpi_percentile(v, 9, 90), 90);	/* ceil(8.1) = 9 */
	assert_int_equal(ls_kpi_percentile(v, 10, 100), 100);
}

/* Business seconds over the calendar; wall clock without one; a call before the lead waited 0. */
static void
test_speed_secs(void **state)
{
	struct ls_error err = { 0 };
	struct ls_kpi_config *cal, *wall;
	/* Monday 2026-11-02 12:50 MSK, 14:10 MSK, Tuesday 17:30, Thursday 09:30 */
	const int64_t mon1250 = 1793613000, mon1410 = 1793617800, tue1730 = 1793716200,
	    thu0930 = 1793860200;

	(void)state;
	assert_non_null(cal = config("timezone: Europe/Moscow\ncalendar: cal.yaml\nspeed_to_lead: 1h\n", &err));
	assert_non_null(wall = config("timezone: Europe/Moscow\n", &err));
	assert_int_equal(ls_kpi_speed_secs(cal, mon1250, mon1410), 20 * 60);	/* lunch left out */
	assert_int_equal(ls_kpi_speed_secs(wall, mon1250, mon1410), 80 * 60);
	assert_int_equal(ls_kpi_speed_secs(cal, tue1730, thu0930), 60 * 60);	/* the holiday left out */
	assert_int_equal(ls_kpi_speed_secs(wall, tue1730, thu0930), 40 * 3600);
	assert_int_equal(ls_kpi_speed_secs(cal, mon1410, mon1250), 0);
	ls_kpi_config_free(cal);
	ls_kpi_config_free(wall);
}

/*
 * The join: a call read before its lead waits for it; one before the
 * assignment does not count; the first row with a time decides; a won deal
 * counts whenever it closed; leads of another period are another cohort.
 */
static void
test_join(void **state)
{
	struct ls_error err = { 0 };
	struct ls_kpi_config *c;
	struct ls_kpi *k;
	struct ls_kpi_table *t;
	unsigned long nc, nd;
	const char *first;
	size_t nfirst;

	(void)state;
	assert_non_null(c = config("timezone: Europe/Moscow\ncalendar: cal.yaml\nspeed_to_lead: 30m\n", &err));
	k = funnel(c, LS_PERIOD_DAY);
	/* calls first: L1's wait for its row */
	assert_int_equal(add(k, LS_KPI_IN_CALLS, 5, "L1", "a", "2026-11-02T08:00:00+03:00", "5", "interested"), 0);
	assert_int_equal(add(k, LS_KPI_IN_CALLS, 5, "L1", "a", "2026-11-02T09:45:00+03:00", "5", "no_answer"), 0);
	assert_int_equal(add(k, LS_KPI_IN_CALLS, 5, "L1", "a", "2026-11-02T11:00:00+03:00", "5", "callback"), 0);
	assert_int_equal(add(k, LS_KPI_IN_CALLS, 5, "L9", "a", "2026-11-02T11:00:00+03:00", "5", "callback"), 0);
	assert_int_equal(add(k, LS_KPI_IN_CALLS, 5, "", "a", "2026-11-02T11:00:00+03:00", "5", "callback"), 0);
	assert_int_equal(add(k, LS_KPI_IN_DEALS, 5, "L2", "b", "won", "100.50", "2026-12-20"), 0);
	assert_int_equal(add(k, LS_KPI_IN_DEALS, 5, "L2", "b", "lost", "7", "2026-12-20"), 0);
	assert_int_equal(add(k, LS_KPI_IN_DEALS, 5, "L8", "b", "won", "1", "2026-12-20"), 0);
	/* then the leads: L1 at 09:30 (the 08:00 call came before), a repeat later */
	assert_int_equal(add(k, LS_KPI_IN_LEADS, 3, "L1", "A ", "2026-11-02T09:30:00+03:00"), 0);
	assert_int_equal(add(k, LS_KPI_IN_LEADS, 3, "L1", "a", "2026-11-03T09:30:00+03:00"), 0);
	assert_int_equal(add(k, LS_KPI_IN_LEADS, 3, "L2", "b", "2026-11-02T10:00:00+03:00"), 0);
	assert_int_equal(add(k, LS_KPI_IN_LEADS, 3, "L3", "b", "2026-11-03T10:00:00+03:00"), 0);
	/* a call after the leads: L3 called after 40 business minutes, interested */
	assert_int_equal(add(k, LS_KPI_IN_CALLS, 5, "L3", "b", "2026-11-03T10:40:00+03:00", "5", "interested"), 0);
	/* a lead without a lead_id is refused; nothing of it counts */
	assert_int_equal(add(k, LS_KPI_IN_LEADS, 3, "", "b", "2026-11-03T10:00:00+03:00"), LS_EDATA);

	assert_int_equal(ls_kpi_funnel_unmatched(k, &nc, &nd, &first, &nfirst), 3);
	assert_int_equal(nc, 2);
	assert_int_equal(nd, 1);
	assert_int_equal(nfirst, 2);
	assert_memory_equal(first, "L8", 2);

	assert_non_null(t = ls_kpi_funnel_table(k, LS_KPI_BY_MANAGER, &err));
	assert_int_equal(ls_kpi_table_rows(t), 5);	/* a, b, TOTAL on the 2nd; b, TOTAL on the 3rd */
	assert_string_equal(cell(t, 0, "manager"), "A");
	assert_string_equal(cell(t, 0, "assigned"), "1");
	assert_string_equal(cell(t, 0, "called"), "1");
	assert_string_equal(cell(t, 0, "connected"), "1");	/* the callback */
	assert_string_equal(cell(t, 0, "interested"), "0");	/* the interested call came before */
	assert_string_equal(cell(t, 0, "speed_median_min"), "15.0");
	assert_string_equal(cell(t, 0, "within_target"), "1");
	assert_string_equal(cell(t, 1, "manager"), "b");
	assert_string_equal(cell(t, 1, "called"), "0");
	assert_string_equal(cell(t, 1, "not_called"), "1");
	assert_string_equal(cell(t, 1, "won"), "1");
	assert_string_equal(cell(t, 1, "won_rate"), "");	/* nobody interested to divide by */
	assert_string_equal(cell(t, 1, "revenue"), "100.50");
	assert_string_equal(cell(t, 1, "speed_median_min"), "");
	assert_string_equal(cell(t, 1, "within_target_rate"), "0.000");
	assert_string_equal(cell(t, 2, "manager"), "TOTAL");
	assert_string_equal(cell(t, 2, "assigned"), "2");
	assert_string_equal(cell(t, 2, "called_rate"), "0.500");
	assert_string_equal(cell(t, 2, "revenue_per_lead"), "50.25");
	assert_string_equal(cell(t, 3, "period"), "2026-11-03");
	assert_string_equal(cell(t, 3, "interested_of_assigned"), "1.000");
	assert_string_equal(cell(t, 3, "speed_p90_min"), "40.0");
	assert_string_equal(cell(t, 3, "within_target"), "0");
	ls_kpi_table_free(t);

	/* the same by team: nobody is in one */
	assert_non_null(t = ls_kpi_funnel_table(k, LS_KPI_BY_TEAM, &err));
	assert_int_equal(ls_kpi_table_rows(t), 4);
	assert_string_equal(cell(t, 0, "team"), "(no team)");
	assert_string_equal(cell(t, 0, "assigned"), "2");
	assert_string_equal(cell(t, 0, "speed_p90_min"), "15.0");
	ls_kpi_table_free(t);
	ls_kpi_free(k);
	ls_kpi_config_free(c);
}

/* Without speed_to_lead there is no target to be within: no such columns.  Without --leads' lead_id, an error. */
static void
test_columns_and_binding(void **state)
{
	static const char *no_id[] = { "manager", "assigned_at" };
	static const char *no_at[] = { "lead_id", "manager" };
	struct ls_kpi_opts o = { 0 };
	struct ls_error err = { 0 };
	struct ls_kpi_config *c;
	struct ls_kpi *k;
	struct ls_kpi_table *t;

	(void)state;
	assert_non_null(c = config("timezone: Europe/Moscow\n", &err));
	k = funnel(c, LS_PERIOD_WEEK);
	assert_int_equal(add(k, LS_KPI_IN_LEADS, 3, "L1", "a", "2026-11-02T09:30:00+03:00"), 0);
	assert_non_null(t = ls_kpi_funnel_table(k, LS_KPI_BY_MANAGER, &err));
	assert_int_equal(ls_kpi_table_col(t, "within_target", 13), -1);
	assert_int_equal(ls_kpi_table_cols(t), 19);
	assert_string_equal(cell(t, 0, "period"), "2026-W45");
	ls_kpi_table_free(t);
	ls_kpi_free(k);

	o.funnel = 1;
	assert_non_null(k = ls_kpi_new(c, &o, &err));
	assert_int_equal(bind(k, LS_KPI_IN_LEADS, no_id, 2, &err), LS_EDATA);
	assert_non_null(strstr(err.msg, "no column 'lead_id' (needed by --report funnel)"));
	assert_string_equal(err.file, "t.csv");
	assert_int_equal(bind(k, LS_KPI_IN_LEADS, no_at, 2, &err), LS_EDATA);
	assert_non_null(strstr(err.msg, "no column 'assigned_at'"));
	/* the KPI report needs neither */
	ls_kpi_free(k);
	o.funnel = 0;
	assert_non_null(k = ls_kpi_new(c, &o, &err));
	assert_int_equal(bind(k, LS_KPI_IN_LEADS, no_id, 2, &err), 0);
	assert_null(ls_kpi_funnel_table(k, LS_KPI_BY_MANAGER, &err));
	ls_kpi_free(k);
	ls_kpi_config_free(c);
}

/* speed_to_lead: a duration; "1d" is a working day over the calendar. */
static void
test_target_config(void **state)
{
	struct ls_error err = { 0 };
	struct ls_kpi_config *c;
	struct ls_kpi *k;
	struct ls_kpi_table *t;

	(void)state;
	assert_null(config("timezone: Europe/Moscow\nspeed_to_lead: 1 hour\n", &err));
	assert_int_equal(err.status, LS_ECONFIG);
	assert_int_equal(err.line, 2);
	assert_null(config("timezone: Europe/Moscow\nspeed_to_lead: 0s\n", &err));
	/* a lead dealt Monday 09:00, called Tuesday 09:00: one working day of 8 hours, within "1d" */
	assert_non_null(c = config("timezone: Europe/Moscow\ncalendar: cal.yaml\nspeed_to_lead: 1d\n", &err));
	k = funnel(c, LS_PERIOD_DAY);
	assert_int_equal(add(k, LS_KPI_IN_LEADS, 3, "L1", "a", "2026-11-02T09:00:00+03:00"), 0);
	assert_int_equal(add(k, LS_KPI_IN_CALLS, 5, "L1", "a", "2026-11-03T09:00:00+03:00", "5", "no_answer"), 0);
	assert_non_null(t = ls_kpi_funnel_table(k, LS_KPI_BY_MANAGER, &err));
	assert_string_equal(cell(t, 0, "speed_median_min"), "480.0");
	assert_string_equal(cell(t, 0, "within_target"), "1");
	ls_kpi_table_free(t);
	ls_kpi_free(k);
	ls_kpi_config_free(c);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_percentile),
		cmocka_unit_test(test_speed_secs),
		cmocka_unit_test(test_join),
		cmocka_unit_test(test_columns_and_binding),
		cmocka_unit_test(test_target_config),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
