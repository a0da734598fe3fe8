/* test_kpi.c - KPI formulas, period bucketing, partials that merge in any order, formats. */
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

static char *
write_tmp(const char *text)
{
	char *path = strdup("/tmp/test_kpi.XXXXXX");
	int fd = mkstemp(path);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	return path;
}

static struct ls_kpi_config *
config(const char *text, struct ls_error *err)
{
	char *path = write_tmp(text);
	struct ls_kpi_config *c = ls_kpi_config_load(path, err);

	unlink(path);
	free(path);
	return c;
}

static const char *calls_hdr[] = { "lead_id", "manager", "started_at", "duration_s", "outcome" };
static const char *deals_hdr[] = { "deal_id", "manager", "stage", "amount", "closed_at" };

static void
bind(struct ls_kpi *k, enum ls_kpi_input in, const char **names, size_t n)
{
	struct ls_str h[8];
	struct ls_error err = { 0 };

	for (size_t i = 0; i < n; i++) {
		h[i].p = names[i];
		h[i].n = strlen(names[i]);
	}
	assert_int_equal(ls_kpi_bind(k, in, h, n, "t.csv", &err), 0);
}

/* Add one record given as fields; returns ls_kpi_add()'s status. */
static int
add(struct ls_kpi *k, enum ls_kpi_input in, struct ls_error *err, int n, ...)
{
	struct ls_str f[8];
	struct ls_record rec = { 0 };
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
	rec.line = 7;
	return ls_kpi_add(k, in, &rec, err);
}

static const char *
cell(const struct ls_kpi_table *t, size_t row, const char *col)
{
	long c;

	assert_non_null(t);
	c = ls_kpi_table_col(t, col, strlen(col));
	assert_true(c >= 0);
	assert_true(row < ls_kpi_table_rows(t));
	return ls_kpi_table_cell(t, row, (size_t)c);
}

static struct ls_kpi *
day_kpi(const struct ls_kpi_config *c, enum ls_period per)
{
	struct ls_kpi_opts o = { 0 };
	struct ls_error err = { 0 };
	struct ls_kpi *k;

	o.period = per;
	assert_non_null(c);
	k = ls_kpi_new(c, &o, &err);
	assert_non_null(k);
	bind(k, LS_KPI_IN_CALLS, calls_hdr, 5);
	bind(k, LS_KPI_IN_DEALS, deals_hdr, 5);
	return k;
}

static const char base_cfg[] =
    "timezone: Europe/Moscow\n"
    "targets:\n"
    "  default: {calls: 3, connect_rate: 0.5, revenue: 1000.005, win_rate: 0.4}\n"
    "  a: {calls: 2}\n";

/* Every formula of kpi-report(1), with its rounding and its empty denominators. */
static void
test_formulas(void **state)
{
	struct ls_error err = { 0 };
	struct ls_kpi_config *c = config(base_cfg, &err);
	struct ls_kpi *k;
	struct ls_kpi_table *t;

	(void)state;
	assert_non_null(c);
	k = day_kpi(c, LS_PERIOD_DAY);
	/* a: 3 calls, 2 connected, 1 interested, 100 s; 2 won (1000.00 + 0.01), 1 lost */
	assert_int_equal(add(k, LS_KPI_IN_CALLS, &err, 5, "1", "a", "2026-11-26T10:00:00+03:00", "60", "interested"), 0);
	assert_int_equal(add(k, LS_KPI_IN_CALLS, &err, 5, "2", "a", "2026-11-26T11:00:00+03:00", "40", "callback"), 0);
	assert_int_equal(add(k, LS_KPI_IN_CALLS, &err, 5, "3", "a", "2026-11-26T12:00:00+03:00", "", "no_answer"), 0);
	assert_int_equal(add(k, LS_KPI_IN_DEALS, &err, 5, "D1", "a", "won", "1000", "2026-11-26T12:00:00+03:00"), 0);
	assert_int_equal(add(k, LS_KPI_IN_DEALS, &err, 5, "D2", "a", "won", "0.01", "2026-11-26"), 0);
	assert_int_equal(add(k, LS_KPI_IN_DEALS, &err, 5, "D3", "a", "lost", "", "2026-11-26"), 0);
	assert_int_equal(add(k, LS_KPI_IN_DEALS, &err, 5, "D4", "a", "open", "junk", ""), 0);
	/* b: only a call that was not answered */
	assert_int_equal(add(k, LS_KPI_IN_CALLS, &err, 5, "4", "b", "2026-11-26T13:00:00+03:00", "0", "wrong_number"), 0);
	t = ls_kpi_table(k, LS_KPI_BY_MANAGER, &err);
	assert_non_null(t);
	assert_int_equal(ls_kpi_table_rows(t), 3);
	assert_string_equal(cell(t, 0, "period"), "2026-11-26");
	assert_string_equal(cell(t, 0, "manager"), "a");
	assert_string_equal(cell(t, 0, "calls"), "3");
	assert_string_equal(cell(t, 0, "connected"), "2");
	assert_string_equal(cell(t, 0, "connect_rate"), "0.667");	/* 2 / 3 */
	assert_string_equal(cell(t, 0, "talk_time_s"), "100");
	assert_string_equal(cell(t, 0, "avg_call_s"), "33.3");		/* 100 / 3 */
	assert_string_equal(cell(t, 0, "interested"), "1");
	assert_string_equal(cell(t, 0, "deals_won"), "2");
	assert_string_equal(cell(t, 0, "deals_lost"), "1");
	assert_string_equal(cell(t, 0, "win_rate"), "0.667");		/* 2 / (2 + 1) */
	assert_string_equal(cell(t, 0, "revenue"), "1000.01");
	assert_string_equal(cell(t, 0, "avg_deal"), "500.01");		/* 1000.01 / 2 = 500.005, half away */
	assert_string_equal(cell(t, 0, "plan_calls"), "2");		/* a's own plan */
	assert_string_equal(cell(t, 0, "calls_pct"), "150.0");
	assert_string_equal(cell(t, 0, "plan_connect_rate"), "0.500");
	assert_string_equal(cell(t, 0, "connect_rate_pct"), "133.3");
	assert_string_equal(cell(t, 0, "plan_revenue"), "1000.01");	/* 1000.005 shown at 2 places */
	assert_string_equal(cell(t, 0, "revenue_pct"), "100.0");	/* 1000.01 / 1000.005 */
	assert_string_equal(cell(t, 0, "win_rate_pct"), "166.7");
	/* b: the rates' denominators are empty, never NaN */
	assert_string_equal(cell(t, 1, "manager"), "b");
	assert_string_equal(cell(t, 1, "connected"), "0");
	assert_string_equal(cell(t, 1, "connect_rate"), "0.000");
	assert_string_equal(cell(t, 1, "win_rate"), "");
	assert_string_equal(cell(t, 1, "avg_deal"), "");
	assert_string_equal(cell(t, 1, "win_rate_pct"), "");
	assert_string_equal(cell(t, 1, "plan_calls"), "3");		/* default */
	assert_string_equal(cell(t, 1, "calls_pct"), "33.3");
	/* TOTAL: sums, additive plans summed, a rate's plan the default's */
	assert_string_equal(cell(t, 2, "manager"), "TOTAL");
	assert_int_equal(ls_kpi_table_total(t, 2), 1);
	assert_string_equal(cell(t, 2, "calls"), "4");
	assert_string_equal(cell(t, 2, "connect_rate"), "0.500");
	assert_string_equal(cell(t, 2, "avg_call_s"), "25.0");
	assert_string_equal(cell(t, 2, "plan_calls"), "5");
	assert_string_equal(cell(t, 2, "calls_pct"), "80.0");
	assert_string_equal(cell(t, 2, "plan_revenue"), "2000.01");
	assert_string_equal(cell(t, 2, "plan_connect_rate"), "0.500");
	assert_int_equal(ls_kpi_table_col(t, "tickets_handled", 15), -1);
	ls_kpi_table_free(t);
	ls_kpi_free(k);
	ls_kpi_config_free(c);
}

/* Bad records are refused whole, naming file and line. */
static void
test_bad_records(void **state)
{
	struct ls_error err = { 0 };
	struct ls_kpi_config *c = config(base_cfg, &err);
	struct ls_kpi *k = day_kpi(c, LS_PERIOD_DAY);
	struct ls_kpi_table *t;
	const char *oc, *file;
	long line;

	(void)state;
	assert_int_equal(add(k, LS_KPI_IN_CALLS, &err, 5, "1", "a", "2026-11-26T10:00:00", "60", "interested"), 0);
	assert_int_equal(add(k, LS_KPI_IN_CALLS, &err, 5, "1", "a", "26/11/2026", "60", "interested"), LS_EDATA);
	assert_string_equal(err.file, "t.csv");
	assert_int_equal(err.line, 7);
	assert_non_null(strstr(err.msg, "bad started_at '26/11/2026'"));
	assert_int_equal(add(k, LS_KPI_IN_CALLS, &err, 5, "1", "a", "2026-11-26T10:00:00Z", "-1", "interested"), LS_EDATA);
	assert_non_null(strstr(err.msg, "negative duration_s"));
	assert_int_equal(add(k, LS_KPI_IN_CALLS, &err, 5, "1", "a", "2026-11-26T10:00:00Z", "1.5", "interested"), LS_EDATA);
	assert_int_equal(add(k, LS_KPI_IN_DEALS, &err, 5, "D", "a", "won", "12,34", "2026-11-26"), LS_EDATA);
	assert_non_null(strstr(err.msg, "not money"));
	assert_int_equal(add(k, LS_KPI_IN_DEALS, &err, 5, "D", "a", "won", "1", "yesterday"), LS_EDATA);
	assert_int_equal(add(k, LS_KPI_IN_CALLS, &err, 5, "2", "a", "2026-11-26T10:00:00Z", "5", "busy"), 0);
	assert_int_equal(add(k, LS_KPI_IN_CALLS, &err, 5, "3", "a", "2026-11-26T10:00:00Z", "5", "gone"), 0);
	assert_int_equal(ls_kpi_unknown_outcomes(k, &oc, &file, &line), 2);
	assert_string_equal(oc, "busy");
	t = ls_kpi_table(k, LS_KPI_BY_MANAGER, &err);
	assert_non_null(t);
	assert_string_equal(cell(t, 0, "calls"), "3");
	assert_string_equal(cell(t, 0, "connected"), "1");
	assert_string_equal(cell(t, 0, "talk_time_s"), "70");
	assert_string_equal(cell(t, 0, "revenue"), "0.00");
	ls_kpi_table_free(t);
	ls_kpi_free(k);
	ls_kpi_config_free(c);
}

/*
 * The leads' and tickets' dates, a won deal's currency compared whatever its
 * length, and a caller that wants no message: each record refused says why.
 */
static void
test_bad_records_other_inputs(void **state)
{
	static const char *leads_hdr[] = { "lead_id", "manager", "assign_reason", "created_at" };
	static const char *tickets_hdr[] = { "agent", "status", "updated_at", "sla" };
	static const char *deals_cur_hdr[] = { "deal_id", "manager", "stage", "amount", "closed_at", "currency" };
	struct ls_error err = { 0 };
	struct ls_kpi_config *c = config("timezone: UTC\ncurrency: RUB\n", &err);
	struct ls_kpi_opts o = { 0 };
	struct ls_kpi *k;
	struct ls_kpi_table *t;

	(void)state;
	assert_non_null(c);
	assert_non_null(k = ls_kpi_new(c, &o, &err));
	bind(k, LS_KPI_IN_LEADS, leads_hdr, 4);
	bind(k, LS_KPI_IN_TICKETS, tickets_hdr, 4);
	bind(k, LS_KPI_IN_DEALS, deals_cur_hdr, 6);
	assert_int_equal(add(k, LS_KPI_IN_LEADS, &err, 4, "L1", "a", "weighted", "26.13.2026"), LS_EDATA);
	assert_int_equal(err.line, 7);
	assert_non_null(strstr(err.msg, "bad created_at '26.13.2026'"));
	assert_int_equal(add(k, LS_KPI_IN_TICKETS, &err, 4, "a", "solved", "soon", "met"), LS_EDATA);
	assert_non_null(strstr(err.msg, "bad updated_at 'soon'"));
	/* a ticket not handled yet is not looked at, its date neither */
	assert_int_equal(add(k, LS_KPI_IN_TICKETS, &err, 4, "a", "open", "soon", ""), 0);
	assert_int_equal(add(k, LS_KPI_IN_DEALS, &err, 6, "D1", "a", "won", "5", "2026-11-26", "RUBLE"), LS_EDATA);
	assert_string_equal(err.msg, "deal in another currency: 'RUBLE': the report sums RUB only (currency: in "
	    "the config; rate tables are not supported yet)");
	assert_int_equal(add(k, LS_KPI_IN_DEALS, &err, 6, "D2", "a", "won", "5", "2026-11-26", "rub"), 0);
	/* no error struct: the status alone */
	{
		struct ls_str f[4] = { { "L2", 2 }, { "a", 1 }, { "weighted", 8 }, { "x", 1 } };
		struct ls_record rec = { 0 };

		rec.fields = f;
		rec.nfields = 4;
		rec.file = "t.csv";
		rec.line = 9;
		assert_int_equal(ls_kpi_add(k, LS_KPI_IN_LEADS, &rec, NULL), LS_EDATA);
	}
	assert_non_null(t = ls_kpi_table(k, LS_KPI_BY_MANAGER, &err));
	assert_string_equal(cell(t, 0, "revenue"), "5.00");
	assert_string_equal(cell(t, 0, "deals_won"), "1");
	ls_kpi_table_free(t);
	ls_kpi_free(k);
	ls_kpi_config_free(c);
}

struct bucket_case {
	const char *zone;
	enum ls_period per;
	const char *ts;
	const char *period;
};

static const struct bucket_case buckets[] = {
	/* a day boundary in the zone */
	{ "Europe/Moscow", LS_PERIOD_DAY, "2026-11-25T20:59:59Z", "2026-11-25" },
	{ "Europe/Moscow", LS_PERIOD_DAY, "2026-11-25T21:00:00Z", "2026-11-26" },
	{ "Europe/Moscow", LS_PERIOD_DAY, "2026-11-26T23:59:59+03:00", "2026-11-26" },
	{ "Europe/Moscow", LS_PERIOD_DAY, "2026-11-26T00:00:00-05:00", "2026-11-26" },
	{ "Europe/Moscow", LS_PERIOD_DAY, "2026-11-26 00:00:00", "2026-11-26" },
	{ "Europe/Moscow", LS_PERIOD_DAY, "26.11.2026 23:59", "2026-11-26" },
	{ "Europe/Moscow", LS_PERIOD_DAY, "26.11.2026", "2026-11-26" },
	{ "America/New_York", LS_PERIOD_DAY, "2026-11-26T04:59:59Z", "2026-11-25" },
	/* DST in Berlin: 25-hour and 23-hour days */
	{ "Europe/Berlin", LS_PERIOD_DAY, "2026-10-24T21:59:59Z", "2026-10-24" },
	{ "Europe/Berlin", LS_PERIOD_DAY, "2026-10-24T22:00:00Z", "2026-10-25" },
	{ "Europe/Berlin", LS_PERIOD_DAY, "2026-10-25T22:59:59Z", "2026-10-25" },
	{ "Europe/Berlin", LS_PERIOD_DAY, "2026-10-25T23:00:00Z", "2026-10-26" },
	{ "Europe/Berlin", LS_PERIOD_DAY, "2026-03-28T22:59:59Z", "2026-03-28" },
	{ "Europe/Berlin", LS_PERIOD_DAY, "2026-03-28T23:00:00Z", "2026-03-29" },
	{ "Europe/Berlin", LS_PERIOD_DAY, "2026-03-29T21:59:59Z", "2026-03-29" },
	{ "Europe/Berlin", LS_PERIOD_DAY, "2026-03-29T22:00:00Z", "2026-03-30" },
	{ "Europe/Berlin", LS_PERIOD_DAY, "2026-03-29 02:30:00", "2026-03-29" },
	/* ISO weeks across a year end */
	{ "Europe/Berlin", LS_PERIOD_WEEK, "2026-12-27T23:59:59+01:00", "2026-W52" },
	{ "Europe/Berlin", LS_PERIOD_WEEK, "2026-12-28T00:00:00+01:00", "2026-W53" },
	{ "Europe/Berlin", LS_PERIOD_WEEK, "2027-01-03T23:59:59+01:00", "2026-W53" },
	{ "Europe/Berlin", LS_PERIOD_WEEK, "2027-01-04T00:00:00+01:00", "2027-W01" },
	{ "Europe/Berlin", LS_PERIOD_WEEK, "2024-12-30T00:00:00+01:00", "2025-W01" },
	{ "Europe/Berlin", LS_PERIOD_WEEK, "2026-01-01T00:00:00+01:00", "2026-W01" },
	{ "Europe/Moscow", LS_PERIOD_WEEK, "2026-11-26T12:00:00+03:00", "2026-W48" },
	/* month ends */
	{ "Europe/Moscow", LS_PERIOD_MONTH, "2026-02-28T20:59:59Z", "2026-02" },
	{ "Europe/Moscow", LS_PERIOD_MONTH, "2026-02-28T21:00:00Z", "2026-03" },
	{ "Europe/Moscow", LS_PERIOD_MONTH, "2024-02-29T12:00:00+03:00", "2024-02" },
	{ "Europe/Moscow", LS_PERIOD_MONTH, "2026-12-31T23:59:59+03:00", "2026-12" },
	{ "Europe/Moscow", LS_PERIOD_MONTH, "2026-12-31T21:00:00Z", "2027-01" },
};

static void
test_bucketing(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(buckets) / sizeof(buckets[0]); i++) {
		const struct bucket_case *b = &buckets[i];
		char text[128];
		struct ls_error err = { 0 };
		struct ls_kpi_config *c;
		struct ls_kpi *k;
		struct ls_kpi_table *t;

		snprintf(text, sizeof(text), "timezone: %s\n", b->zone);
		c = config(text, &err);
		assert_non_null(c);
		k = day_kpi(c, b->per);
		assert_int_equal(add(k, LS_KPI_IN_CALLS, &err, 5, "1", "m", b->ts, "1", "interested"), 0);
		t = ls_kpi_table(k, LS_KPI_BY_MANAGER, &err);
		assert_non_null(t);
		if (strcmp(cell(t, 0, "period"), b->period) != 0)
			fail_msg("%s in %s: got %s, expected %s", b->ts, b->zone, cell(t, 0, "period"), b->period);
		ls_kpi_table_free(t);
		ls_kpi_free(k);
		ls_kpi_config_free(c);
	}
}

/* --from/--to keep local days of the zone; every day of the range shows, with everyone on the roster. */
static void
test_range(void **state)
{
	struct ls_error err = { 0 };
	struct ls_kpi_config *c = config("timezone: Europe/Moscow\nteams: {t: [x, y]}\n", &err);
	struct ls_kpi_opts o = { 0 };
	struct ls_kpi *k;
	struct ls_kpi_table *t;

	(void)state;
	o.has_from = o.has_to = 1;
	o.from = (struct ls_date){ 2026, 11, 26 };
	o.to = (struct ls_date){ 2026, 11, 27 };
	assert_non_null(c);
	k = ls_kpi_new(c, &o, &err);
	assert_non_null(k);
	bind(k, LS_KPI_IN_CALLS, calls_hdr, 5);
	assert_int_equal(add(k, LS_KPI_IN_CALLS, &err, 5, "1", "x", "2026-11-25T20:59:59Z", "1", "interested"), 0);
	assert_int_equal(add(k, LS_KPI_IN_CALLS, &err, 5, "1", "x", "2026-11-25T21:00:00Z", "1", "interested"), 0);
	assert_int_equal(add(k, LS_KPI_IN_CALLS, &err, 5, "1", "z", "2026-11-27T20:59:59Z", "1", "interested"), 0);
	assert_int_equal(add(k, LS_KPI_IN_CALLS, &err, 5, "1", "", "2026-11-27T21:00:00Z", "1", "interested"), 0);
	t = ls_kpi_table(k, LS_KPI_BY_MANAGER, &err);
	assert_non_null(t);
	assert_int_equal(ls_kpi_table_rows(t), 7);	/* 26th: x y TOTAL; 27th: x y z TOTAL */
	assert_string_equal(cell(t, 0, "calls"), "1");
	assert_string_equal(cell(t, 1, "manager"), "y");
	assert_string_equal(cell(t, 1, "calls"), "0");
	assert_string_equal(cell(t, 5, "manager"), "z");
	assert_string_equal(cell(t, 6, "calls"), "1");
	ls_kpi_table_free(t);
	t = ls_kpi_table(k, LS_KPI_BY_TEAM, &err);
	assert_non_null(t);
	assert_string_equal(ls_kpi_table_name(t, 1), "team");
	assert_string_equal(cell(t, 2, "team"), "(no team)");
	assert_string_equal(cell(t, 3, "team"), "t");
	ls_kpi_table_free(t);
	ls_kpi_free(k);
	ls_kpi_config_free(c);
}

static char *
partial_of(struct ls_kpi *k, size_t *n)
{
	struct ls_buf b = { 0 };
	struct ls_error err = { 0 };

	assert_int_equal(ls_kpi_write_partial(k, &b, &err), 0);
	*n = b.n;
	return b.p;
}

static char *
render(const struct ls_kpi *k, enum ls_kpi_format f)
{
	struct ls_error err = { 0 };
	struct ls_kpi_table *t = ls_kpi_table(k, LS_KPI_BY_MANAGER, &err);
	struct ls_buf b = { 0 };

	assert_non_null(t);
	assert_int_equal(ls_kpi_render(t, f, &b, &err), 0);
	ls_kpi_table_free(t);
	return b.p;
}

static void
add_generated(struct ls_kpi *k, int i)
{
	static const char *mgr[] = { "a", "b", "Борис", "c,d", "100%" };
	static const char *out[] = { "interested", "no_answer", "callback", "busy" };
	char ts[40], dur[16], amt[24];
	struct ls_error err = { 0 };

	snprintf(ts, sizeof(ts), "2026-11-%02dT%02d:%02d:00+03:00", 1 + i % 28, i % 24, i % 60);
	snprintf(dur, sizeof(dur), "%d", (i * 37) % 901);
	if (i % 3 == 0) {
		snprintf(amt, sizeof(amt), "%d.%02d", i * 13, i % 100);
		assert_int_equal(add(k, LS_KPI_IN_DEALS, &err, 5, "D", mgr[i % 5], i % 2 ? "won" : "lost", amt, ts), 0);
	} else {
		assert_int_equal(add(k, LS_KPI_IN_CALLS, &err, 5, "L", mgr[i % 5], ts, dur, out[i % 4]), 0);
	}
}

/* Any split, merged in any order and grouping, gives the single run's bytes. */
static void
test_merge_any_order(void **state)
{
	enum { NPARTS = 4, NREC = 2000 };
	struct ls_error err = { 0 };
	struct ls_kpi_config *c = config("timezone: Europe/Moscow\ntargets: {default: {calls: 10, revenue: 100}}\n", &err);
	struct ls_kpi *whole = day_kpi(c, LS_PERIOD_WEEK), *part[NPARTS];
	char *single, *p[NPARTS];
	size_t n[NPARTS];
	static const int orders[][NPARTS] = {
		{ 0, 1, 2, 3 }, { 3, 2, 1, 0 }, { 2, 0, 3, 1 }, { 1, 3, 0, 2 },
	};

	(void)state;
	for (int j = 0; j < NPARTS; j++)
		part[j] = day_kpi(c, LS_PERIOD_WEEK);
	for (int i = 0; i < NREC; i++) {
		add_generated(whole, i);
		/* an uneven split: part 0 gets most, part 3 a few */
		add_generated(part[(i * i + i / 7) % 11 < 6 ? 0 : (i % 5 == 0 ? 3 : 1 + i % 2)], i);
	}
	single = render(whole, LS_KPI_CSV);
	for (int j = 0; j < NPARTS; j++)
		p[j] = partial_of(part[j], &n[j]);
	for (size_t o = 0; o < sizeof(orders) / sizeof(orders[0]); o++) {
		struct ls_kpi *m = ls_kpi_new_merge(c, &err);
		char *got;

		assert_non_null(m);
		for (int j = 0; j < NPARTS; j++)
			assert_int_equal(ls_kpi_merge(m, p[orders[o][j]], n[orders[o][j]], "p", &err), 0);
		got = render(m, LS_KPI_CSV);
		assert_string_equal(got, single);
		free(got);
		ls_kpi_free(m);
	}
	/* grouping: (p0 + p2) as a partial, (p3 + p1) as a partial, then the two */
	{
		struct ls_kpi *l = ls_kpi_new_merge(c, &err), *r = ls_kpi_new_merge(c, &err), *m;
		char *lp, *rp, *got;
		size_t ln, rn;

		assert_non_null(l);
		assert_non_null(r);
		assert_int_equal(ls_kpi_merge(l, p[0], n[0], "p", &err), 0);
		assert_int_equal(ls_kpi_merge(l, p[2], n[2], "p", &err), 0);
		assert_int_equal(ls_kpi_merge(r, p[3], n[3], "p", &err), 0);
		assert_int_equal(ls_kpi_merge(r, p[1], n[1], "p", &err), 0);
		lp = partial_of(l, &ln);
		rp = partial_of(r, &rn);
		m = ls_kpi_new_merge(c, &err);
		assert_non_null(m);
		assert_int_equal(ls_kpi_merge(m, rp, rn, "r", &err), 0);
		assert_int_equal(ls_kpi_merge(m, lp, ln, "l", &err), 0);
		got = render(m, LS_KPI_CSV);
		assert_string_equal(got, single);
		free(got);
		free(lp);
		free(rp);
		ls_kpi_free(l);
		ls_kpi_free(r);
		ls_kpi_free(m);
	}
	free(single);
	for (int j = 0; j < NPARTS; j++) {
		free(p[j]);
		ls_kpi_free(part[j]);
	}
	ls_kpi_free(whole);
	ls_kpi_config_free(c);
}

/* Partials of another config, another period, cut short, or no partial at all are refused. */
static void
test_merge_refused(void **state)
{
	struct ls_error err = { 0 };
	struct ls_kpi_config *c = config("timezone: Europe/Moscow\n", &err);
	struct ls_kpi_config *c2 = config("timezone: Europe/Berlin\n", &err);
	struct ls_kpi *day = day_kpi(c, LS_PERIOD_DAY), *week = day_kpi(c, LS_PERIOD_WEEK), *m;
	char *pd, *pw, *cut;
	size_t nd, nw;

	(void)state;
	assert_non_null(c2);
	add_generated(day, 1);
	add_generated(week, 1);
	pd = partial_of(day, &nd);
	pw = partial_of(week, &nw);
	m = ls_kpi_new_merge(c2, &err);
	assert_non_null(m);
	assert_int_equal(ls_kpi_merge(m, pd, nd, "p", &err), LS_EDATA);
	assert_non_null(strstr(err.msg, "another config"));
	ls_kpi_free(m);
	m = ls_kpi_new_merge(c, &err);
	assert_non_null(m);
	assert_int_equal(ls_kpi_merge(m, pd, nd, "p", &err), 0);
	assert_int_equal(ls_kpi_merge(m, pw, nw, "w", &err), LS_EDATA);
	assert_string_equal(err.file, "w");
	assert_int_equal(err.line, 6);
	assert_int_equal(ls_kpi_merge(m, "lead_id,manager\n", 16, "x", &err), LS_EDATA);
	assert_non_null(strstr(err.msg, "not a partial of kpi-report --partial"));
	assert_int_equal(ls_kpi_merge(m, "# kpi-partial v4\n", 17, "x", &err), LS_EDATA);
	assert_non_null(strstr(err.msg, "newer version"));
	assert_int_equal(ls_kpi_merge(m, "kpi-partial,1\n", 14, "x", &err), LS_EDATA);
	assert_non_null(strstr(err.msg, "older kpi-report"));
	cut = strstr(pd, "end\t");
	assert_non_null(cut);
	assert_int_equal(ls_kpi_merge(m, pd, (size_t)(cut - pd), "p", &err), LS_EDATA);
	assert_non_null(strstr(err.msg, "truncated"));
	assert_int_equal(ls_kpi_merged(m), 1);
	ls_kpi_free(m);
	free(pd);
	free(pw);
	ls_kpi_free(day);
	ls_kpi_free(week);
	ls_kpi_config_free(c);
	ls_kpi_config_free(c2);
}

static void
test_config_errors(void **state)
{
	struct ls_error err = { 0 };
	struct ls_kpi_config *c;

	(void)state;
	c = config("timezone: UTC\ntargets:\n  default: {calls: 1}\n  ivanov: {revenu: 5}\n", &err);
	assert_null(c);
	assert_int_equal(err.status, LS_ECONFIG);
	assert_int_equal(err.line, 4);
	assert_int_equal(err.col, 12);
	assert_non_null(strstr(err.msg, "unknown key 'revenu'"));
	c = config("timezone: UTC\nteam: {}\n", &err);
	assert_null(c);
	assert_int_equal(err.line, 2);
	c = config("targets: {default: {calls: many}}\n", &err);
	assert_null(c);
	assert_non_null(strstr(err.msg, "expected a plan"));
	c = config("teams: {a: x}\n", &err);
	assert_null(c);
	c = config("columns: {manager: who, started_at: ts}\n", &err);
	assert_non_null(c);
	ls_kpi_config_free(c);
}

/* Every section of the config, each of its wrong shapes: the message and where. */
static void
test_config_shapes(void **state)
{
	static const struct { const char *text; long line, col; const char *msg; } t[] = {
		{ "timezone: [a]\n", 1, 11, "expected a string, got a sequence" },
		{ "connected_outcomes: talked\n", 1, 21, "expected a sequence, got 'talked'" },
		{ "connected_outcomes: [a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15, a16, "
		  "a17, a18, a19, a20, a21, a22, a23, a24, a25, a26, a27, a28, a29, a30, a31, a32, a33]\n",
		  1, 21, "too many connected_outcomes (at most 32)" },
		{ "connected_outcomes: [[a]]\n", 1, 22, "expected a string, got a sequence" },
		{ "teams: [a]\n", 1, 8, "expected a mapping, got a sequence" },
		{ "teams: {t: [[a]]}\n", 1, 13, "expected a string, got a sequence" },
		{ "targets: [a]\n", 1, 10, "expected a mapping, got a sequence" },
		{ "targets: {default: 5}\n", 1, 20, "expected a mapping, got '5'" },
		{ "targets: {a: {calls: -1}}\n", 1, 22, "expected a plan (a number >= 0) for calls, got '-1'" },
		{ "targets: {a: {calls: [1]}}\n", 1, 22, "expected a scalar, got a sequence" },
		{ "columns: {manager: [a]}\n", 1, 20, "expected a string, got a sequence" },
		{ "columns: {boss: a}\n", 1, 11, "unknown key 'boss'" },
		{ "timezone: Mars/Olympus\n", 1, 11, "Mars/Olympus" },
		{ "aliases: [a]\n", 1, 10, "expected a mapping, got a sequence" },
		{ "aliases: {a: [b]}\n", 1, 14, "expected a string, got a sequence" },
		{ "aliases: {\" \": ivanov}\n", 1, 11, "an alias needs a manager id on both sides" },
		{ "aliases: {Иванов: \"\\u00a0\"}\n", 1, 19, "an alias needs a manager id on both sides" },
		{ "currency: \"\"\n", 1, 11, "currency must name one (RUB, EUR, ...)" },
		{ "currency: {a: 1}\n", 1, 11, "expected a string, got a mapping" },
		{ "outcomes: {connected: [a], taked: [b]}\n", 1, 28, "unknown key 'taked'" },
		{ "outcomes: {interested: demo}\n", 1, 24, "expected a sequence, got 'demo'" },
		{ "speed_to_lead: [1h]\n", 1, 16, "expected a string, got a sequence" },
	};
	struct ls_error err;
	struct ls_kpi_config *c;

	(void)state;
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		memset(&err, 0, sizeof(err));
		c = config(t[i].text, &err);
		assert_null(c);
		assert_int_equal(err.status, LS_ECONFIG);
		if (err.line != t[i].line || err.col != t[i].col || strstr(err.msg, t[i].msg) == NULL)
			fail_msg("%s: got %ld:%ld '%s', want %ld:%ld '%s'", t[i].text, err.line, err.col,
			    err.msg, t[i].line, t[i].col, t[i].msg);
	}
	assert_null(ls_kpi_config_load("/nonexistent/kpi.yaml", &err));
	assert_int_equal(err.status, LS_ECONFIG);
	assert_non_null(strstr(err.msg, "cannot open: No such file or directory"));
	ls_kpi_config_free(NULL);
	/* the zone the config names is the one its days are counted in */
	assert_non_null(c = config("timezone: Asia/Tokyo\n", &err));
	assert_non_null(ls_kpi_config_tz(c));
	assert_string_equal(ls_tz_name(ls_kpi_config_tz(c)), "Asia/Tokyo");
	ls_kpi_config_free(c);
}

/*
 * Each line of a partial checked in turn: FP stands for the config's
 * fingerprint, SUMS for this version's sums line; the message and its line.
 */
static void
test_merge_shapes(void **state)
{
	static const char sums[] =
	    "sums\tday\tmanager\tcalls\tconnected\ttalk_s\tinterested\tleads\twon\tlost\trevenue_minor\ttickets\tsla_met";
	static const char head[] = "# kpi-partial v3\nconfig\tFP\nperiod\tday\nrange\t\t\ninputs\tcalls\nSUMS\n";
	static const struct { const char *text; long line; const char *msg; } t[] = {
		{ "# kpi-partial v3\nconfg\tx\n", 2, "bad partial: expected 'config\\tFINGERPRINT'" },
		{ "# kpi-partial v3\nconfig\tFP\tx\n", 2, "bad partial: expected 'config\\tFINGERPRINT'" },
		{ "# kpi-partial v3\nconfig\tFP\nperiod\n", 3, "bad partial: expected 'period\\tday|week|month'" },
		{ "# kpi-partial v3\nconfig\tFP\nperiod\tyear\n", 3, "bad partial: unknown period kind" },
		{ "# kpi-partial v3\nconfig\tFP\nperiod\tday\nrange\tx\t\n", 4, "bad partial: expected 'range\\tFROM\\tTO'" },
		{ "# kpi-partial v3\nconfig\tFP\nperiod\tday\nrange\t\n", 4, "bad partial: expected 'range\\tFROM\\tTO'" },
		{ "# kpi-partial v3\nconfig\tFP\nperiod\tday\nrange\t\t\ninputs\tfax\n", 5,
		  "bad partial: expected 'inputs\\tNAME...' (calls, deals, leads, tickets)" },
		{ "# kpi-partial v3\nconfig\tFP\nperiod\tday\nrange\t\t\ntickets\t0\n", 5,
		  "bad partial: expected 'inputs\\tNAME...' (calls, deals, leads, tickets)" },
		{ "# kpi-partial v3\nconfig\tFP\nperiod\tday\nrange\t\t\ninputs\tcalls\nsums\tday\n", 6,
		  "bad partial: its sums are not this version's" },
		{ "# kpi-partial v3\nconfig\tFP\nperiod\tday\nrange\t\t\ninputs\tcalls\nsums\tday\tmanager\tcalls\tconnected\t"
		  "talk_s\tinterested\tleads\twon\tlost\trevenue_minor\ttickets\tsla_mat\n", 6,
		  "bad partial: its sums are not this version's" },
		{ "# kpi-partial v3\nconfig\tFP\nperiod\tday\nrange\t\t\ninputs\tcalls\nsums\tday\tmgr\tcalls\tconnected\t"
		  "talk_s\tinterested\tleads\twon\tlost\trevenue_minor\ttickets\tsla_met\n", 6,
		  "bad partial: its sums are not this version's" },
		/* the head cut short: the partial ends where a record was wanted */
		{ "# kpi-partial v3\nconfig\tFP\nperiod\tday\n", 3, "bad partial: expected 'range\\tFROM\\tTO'" },
		{ "HEAD", 6, "truncated partial: no 'end' line" },
		{ "HEADend\t3\n", 7, "truncated partial: its 'end' line counts other groups" },
		{ "HEADg\t2026-13-01\ta\t1\t1\t1\t1\t1\t1\t1\t1\t1\t1\n", 7, "bad partial: expected 'g\\tDAY\\tMANAGER\\tSUMS...'" },
		{ "HEADg\t2026-11-01\ta\t1\t1\t1\tx\t1\t1\t1\t1\t1\t1\n", 7, "bad partial: a sum is not an integer" },
		{ "HEADg\t2026-11-01\ta\t1\t1\t1\t1234567890123456789\t1\t1\t1\t1\t1\t1\n", 7,
		  "bad partial: a sum is not an integer" },
		{ "# kpi-partial v3\nconfig\tFP\nperiod\tweek\nrange\t\t\ninputs\tcalls\nSUMS\n"
		  "g\t2026-11-04\ta\t1\t1\t1\t1\t1\t1\t1\t1\t1\t1\n", 7,
		  "bad partial: a group's day is not the start of a period in its range" },
		/* sums of 18 digits at most, added up past INT64_MAX on the tenth */
#define G18 "g\t2026-11-01\ta\t999999999999999999\t1\t1\t1\t1\t1\t1\t1\t1\t1\n"
		{ "HEAD" G18 G18 G18 G18 G18 G18 G18 G18 G18 G18 "end\t10\n", 16, "sum overflow" },
#undef G18
	};
	struct ls_error err = { 0 };
	struct ls_kpi_config *c = config("timezone: UTC\n", &err);
	char fp[17], text[1024], *p;
	struct ls_kpi *k;

	(void)state;
	assert_non_null(c);
	snprintf(fp, sizeof(fp), "%016llx", (unsigned long long)ls_kpi_config_fingerprint(c));
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		snprintf(text, sizeof(text), "%s", t[i].text);
		if (strncmp(text, "HEAD", 4) == 0)
			snprintf(text, sizeof(text), "%s%s", head, t[i].text + 4);
		while ((p = strstr(text, "FP")) != NULL) {
			memmove(p + 16, p + 2, strlen(p + 2) + 1);
			memcpy(p, fp, 16);
		}
		while ((p = strstr(text, "SUMS")) != NULL) {
			memmove(p + strlen(sums), p + 4, strlen(p + 4) + 1);
			memcpy(p, sums, strlen(sums));
		}
		assert_non_null(k = ls_kpi_new_merge(c, &err));
		memset(&err, 0, sizeof(err));
		assert_int_equal(ls_kpi_merge(k, text, strlen(text), "p.csv", &err), LS_EDATA);
		if (err.line != t[i].line || strstr(err.msg, t[i].msg) == NULL || strcmp(err.file, "p.csv") != 0)
			fail_msg("case %zu: got %ld '%s', want %ld '%s'", i, err.line, err.msg, t[i].line, t[i].msg);
		ls_kpi_free(k);
	}
	/* blank lines between partials are passed over */
	snprintf(text, sizeof(text), "\n\n%send\t0\n\n", head);
	while ((p = strstr(text, "FP")) != NULL) {
		memmove(p + 16, p + 2, strlen(p + 2) + 1);
		memcpy(p, fp, 16);
	}
	while ((p = strstr(text, "SUMS")) != NULL) {
		memmove(p + strlen(sums), p + 4, strlen(p + 4) + 1);
		memcpy(p, sums, strlen(sums));
	}
	assert_non_null(k = ls_kpi_new_merge(c, &err));
	assert_int_equal(ls_kpi_merge(k, text, strlen(text), "p.csv", &err), 0);
	assert_int_equal(ls_kpi_merged(k), 1);
	ls_kpi_free(k);
	ls_kpi_config_free(c);
}

/* --fail-under as the command does it: parsed once (-2: refused there), then checked */
static long
floors_check(const struct ls_kpi_table *t, const char *spec, struct ls_buf *b)
{
	struct ls_error err = { 0 };
	struct ls_kpi_floors *f;
	long n;

	assert_non_null(t);
	if (ls_kpi_floors_parse(spec, &f, &err) != 0) {
		assert_int_equal(err.status, LS_EUSAGE);
		assert_null(f);
		return -2;
	}
	n = ls_kpi_floors_check(t, f, b, &err);
	ls_kpi_floors_free(f);
	return n;
}

static void
test_width_and_formats(void **state)
{
	struct ls_error err = { 0 };
	struct ls_kpi_config *c = config("timezone: UTC\ntargets: {default: {calls: 2}}\n", &err);
	struct ls_kpi *k = day_kpi(c, LS_PERIOD_DAY);
	struct ls_kpi_table *t;
	struct ls_buf b = { 0 };
	enum ls_kpi_format f;
	char *out;

	(void)state;
	assert_int_equal(ls_kpi_width("abc"), 3);
	assert_int_equal(ls_kpi_width("Пётр"), 4);
	assert_int_equal(ls_kpi_width("е\xcc\x88"), 1);	/* e + combining diaeresis */
	assert_int_equal(ls_kpi_format_parse("md", &f, &err), 0);
	assert_int_equal(f, LS_KPI_MD);
	assert_int_equal(ls_kpi_format_parse("xls", &f, &err), LS_EUSAGE);

	assert_int_equal(add(k, LS_KPI_IN_CALLS, &err, 5, "1", "Пётр", "2026-11-26T10:00:00Z", "5", "interested"), 0);
	assert_int_equal(add(k, LS_KPI_IN_CALLS, &err, 5, "1", "a|b\"c", "2026-11-26T10:00:00Z", "5", "interested"), 0);
	assert_int_equal(add(k, LS_KPI_IN_CALLS, &err, 5, "1", "a|b\"c", "2026-11-26T11:00:00Z", "5", "interested"), 0);
	out = render(k, LS_KPI_TABLE);
	/* "Пётр" and "TOTAL" pad to the same display width as "a|b\"c" */
	assert_non_null(strstr(out, "\n2026-11-26  Пётр         1"));
	assert_non_null(strstr(out, "\n2026-11-26  a|b\"c        2"));
	free(out);
	out = render(k, LS_KPI_CSV);
	assert_non_null(strstr(out, "\n2026-11-26,\"a|b\"\"c\",2,"));
	free(out);
	out = render(k, LS_KPI_MD);
	assert_non_null(strstr(out, "| a\\|b\"c |"));
	free(out);
	out = render(k, LS_KPI_JSON);
	assert_non_null(strstr(out, "{\"period\":\"2026-11-26\",\"manager\":\"a|b\\\"c\",\"calls\":2,"));
	assert_non_null(strstr(out, "\"win_rate\":null"));
	free(out);
	out = render(k, LS_KPI_HTML);
	assert_non_null(strstr(out, "a|b&quot;c"));
	assert_null(strstr(out, "<script"));
	free(out);

	t = ls_kpi_table(k, LS_KPI_BY_MANAGER, &err);
	assert_non_null(t);
	assert_int_equal(floors_check(t, "calls=2", &b), 1);
	assert_string_equal(b.p, "2026-11-26 Пётр: calls 1 < 2\n");
	b.n = 0;
	assert_int_equal(floors_check(t, "calls_pct=100,connect_rate=1", &b), 1);
	assert_int_equal(floors_check(t, "calls_pct=50", &b), 0);
	assert_int_equal(floors_check(t, "win_rate=1", &b), 0);	/* empty: not compared */
	assert_int_equal(floors_check(t, "nope=1", &b), -1);
	assert_int_equal(floors_check(t, "calls", &b), -2);	/* refused when parsed */
	ls_buf_free(&b);
	ls_kpi_table_free(t);
	ls_kpi_free(k);
	ls_kpi_config_free(c);
}

/* stages: and outcomes: map a CRM's words; a stage nobody named is skipped and counted. */
static void
test_mapping(void **state)
{
	struct ls_error err = { 0 };
	struct ls_kpi_config *c;
	struct ls_kpi *k;
	struct ls_kpi_table *t;
	const char *what, *file;
	long line;

	(void)state;
	c = config("timezone: UTC\n"
	    "stages: {won: [won, Выиграна, \"Успешно реализовано\"], lost: [lost, Проиграна]}\n"
	    "outcomes: {connected: [Дозвон], interested: [Интерес], not_connected: [Недозвон]}\n", &err);
	assert_non_null(c);
	k = day_kpi(c, LS_PERIOD_DAY);
	assert_int_equal(add(k, LS_KPI_IN_DEALS, &err, 5, "D1", "a", "Выиграна", "100", "2026-11-26"), 0);
	assert_int_equal(add(k, LS_KPI_IN_DEALS, &err, 5, "D2", "a", "Успешно реализовано", "50", "2026-11-26"), 0);
	assert_int_equal(add(k, LS_KPI_IN_DEALS, &err, 5, "D3", "a", "Проиграна", "", "2026-11-26"), 0);
	assert_int_equal(add(k, LS_KPI_IN_DEALS, &err, 5, "D4", "a", "open", "", ""), 0);
	assert_int_equal(ls_kpi_unknown_stages(k, &what, &file, &line), 0);
	assert_int_equal(add(k, LS_KPI_IN_DEALS, &err, 5, "D5", "a", "Переговоры", "9", "2026-11-26"), 0);
	assert_int_equal(add(k, LS_KPI_IN_DEALS, &err, 5, "D6", "a", "Переговоры2", "", ""), 0);
	assert_int_equal(ls_kpi_unknown_stages(k, &what, &file, &line), 2);
	assert_string_equal(what, "Переговоры");
	assert_int_equal(line, 7);
	assert_int_equal(add(k, LS_KPI_IN_CALLS, &err, 5, "L1", "a", "2026-11-26T10:00:00Z", "60", "Интерес"), 0);
	assert_int_equal(add(k, LS_KPI_IN_CALLS, &err, 5, "L2", "a", "2026-11-26T11:00:00Z", "30", "Дозвон"), 0);
	assert_int_equal(add(k, LS_KPI_IN_CALLS, &err, 5, "L3", "a", "2026-11-26T12:00:00Z", "0", "Недозвон"), 0);
	assert_int_equal(ls_kpi_unknown_outcomes(k, &what, &file, &line), 0);
	t = ls_kpi_table(k, LS_KPI_BY_MANAGER, &err);
	assert_non_null(t);
	assert_string_equal(cell(t, 0, "deals_won"), "2");
	assert_string_equal(cell(t, 0, "deals_lost"), "1");
	assert_string_equal(cell(t, 0, "revenue"), "150.00");
	assert_string_equal(cell(t, 0, "calls"), "3");
	assert_string_equal(cell(t, 0, "connected"), "2");	/* Интерес connects too */
	assert_string_equal(cell(t, 0, "interested"), "1");
	ls_kpi_table_free(t);
	ls_kpi_free(k);
	ls_kpi_config_free(c);

	/* a name under two lists, both outcome forms at once */
	c = config("stages: {won: [won, x], lost: [x]}\n", &err);
	assert_null(c);
	assert_non_null(strstr(err.msg, "'x' is under both won and lost"));
	assert_int_equal(err.col, 32);
	c = config("connected_outcomes: [a]\noutcomes: {connected: [b]}\n", &err);
	assert_null(c);
	assert_non_null(strstr(err.msg, "do not go together"));
	c = config("stages: {closed: [x]}\n", &err);
	assert_null(c);
	assert_non_null(strstr(err.msg, "unknown key 'closed'"));
}

/* "ivanov ", "IVANOV" and an alias are one manager, shown as the config spells them; one plan each. */
static void
test_manager_ids(void **state)
{
	struct ls_error err = { 0 };
	struct ls_kpi_config *c;
	struct ls_kpi *k;
	struct ls_kpi_table *t;

	(void)state;
	c = config("timezone: UTC\naliases: {Иванов: ivanov, \"ПЁТР \": Petrov}\n"
	    "teams: {m: [ivanov, Petrov]}\ntargets: {default: {calls: 12}}\n", &err);
	assert_non_null(c);
	k = day_kpi(c, LS_PERIOD_DAY);
	assert_int_equal(add(k, LS_KPI_IN_CALLS, &err, 5, "L1", "ivanov ", "2026-11-26", "1", "no_answer"), 0);
	assert_int_equal(add(k, LS_KPI_IN_CALLS, &err, 5, "L2", "\xc2\xa0 IVANOV\xc2\xa0", "2026-11-26", "1", "no_answer"), 0);
	assert_int_equal(add(k, LS_KPI_IN_CALLS, &err, 5, "L3", "Иванов", "2026-11-26", "1", "no_answer"), 0);
	assert_int_equal(add(k, LS_KPI_IN_CALLS, &err, 5, "L4", "Sidorov", "2026-11-26", "1", "no_answer"), 0);
	assert_int_equal(add(k, LS_KPI_IN_CALLS, &err, 5, "L5", "sidorov", "2026-11-26", "1", "no_answer"), 0);
	assert_int_equal(add(k, LS_KPI_IN_CALLS, &err, 5, "L6", "  ", "2026-11-26", "1", "no_answer"), 0);
	assert_int_equal(add(k, LS_KPI_IN_CALLS, &err, 5, "L7", "пётр", "2026-11-26", "1", "no_answer"), 0);
	t = ls_kpi_table(k, LS_KPI_BY_MANAGER, &err);
	assert_non_null(t);
	assert_int_equal(ls_kpi_table_rows(t), 5);
	assert_string_equal(cell(t, 0, "manager"), "(none)");
	assert_string_equal(cell(t, 1, "manager"), "ivanov");
	assert_string_equal(cell(t, 1, "calls"), "3");
	assert_string_equal(cell(t, 2, "manager"), "Petrov");
	assert_string_equal(cell(t, 2, "calls"), "1");
	assert_string_equal(cell(t, 3, "manager"), "Sidorov");	/* the smallest spelling in the data */
	assert_string_equal(cell(t, 3, "calls"), "2");
	assert_string_equal(cell(t, 4, "manager"), "TOTAL");
	assert_string_equal(cell(t, 4, "plan_calls"), "36");	/* ivanov, petrov, sidorov: not five */
	ls_kpi_table_free(t);
	ls_kpi_free(k);
	ls_kpi_config_free(c);

	c = config("aliases: {a: b, b: c}\n", &err);
	assert_null(c);
	assert_non_null(strstr(err.msg, "names another alias"));
	c = config("aliases: {A: b, \"a \": c}\n", &err);
	assert_null(c);
	assert_non_null(strstr(err.msg, "given twice"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_formulas),
		cmocka_unit_test(test_bad_records),
		cmocka_unit_test(test_bad_records_other_inputs),
		cmocka_unit_test(test_bucketing),
		cmocka_unit_test(test_range),
		cmocka_unit_test(test_merge_any_order),
		cmocka_unit_test(test_merge_refused),
		cmocka_unit_test(test_config_errors),
		cmocka_unit_test(test_config_shapes),
		cmocka_unit_test(test_merge_shapes),
		cmocka_unit_test(test_width_and_formats),
		cmocka_unit_test(test_mapping),
		cmocka_unit_test(test_manager_ids),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
