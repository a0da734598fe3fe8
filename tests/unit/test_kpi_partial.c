/*
 * test_kpi_partial.c - the partial codec (kpi_partial.c): the bytes
 * written, names percent-encoded, what merges back and what is refused;
 * and the command line's dates (kpi_input.c).
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

static struct ls_kpi_config *
config(const char *text)
{
	char path[] = "/tmp/test_kpi_partial.XXXXXX";
	struct ls_error err = { 0 };
	struct ls_kpi_config *c;
	int fd = mkstemp(path);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	c = ls_kpi_config_load(path, &err);
	unlink(path);
	assert_non_null(c);
	return c;
}

static void
call(struct ls_kpi *k, const char *who, const char *at, const char *secs)
{
	const char *v[3] = { who, at, secs };
	struct ls_str f[3];
	struct ls_record rec = { 0 };
	struct ls_error err = { 0 };

	for (int i = 0; i < 3; i++)
		f[i] = (struct ls_str){ v[i], strlen(v[i]) };
	rec.fields = f;
	rec.nfields = 3;
	assert_int_equal(ls_kpi_add(k, LS_KPI_IN_CALLS, &rec, &err), 0);
}

static struct ls_kpi *
calls_kpi(const struct ls_kpi_config *c)
{
	static const char *const hdr[] = { "manager", "started_at", "duration_s", "outcome" };
	struct ls_kpi_opts o = { 0 };
	struct ls_error err = { 0 };
	struct ls_str h[4];
	struct ls_kpi *k;

	assert_int_equal(ls_date_parse("2026-11-26", 10, &o.from, NULL), 0);
	o.to = o.from;
	o.has_from = o.has_to = 1;
	assert_non_null(k = ls_kpi_new(c, &o, &err));
	for (int i = 0; i < 4; i++)
		h[i] = (struct ls_str){ hdr[i], strlen(hdr[i]) };
	assert_int_equal(ls_kpi_bind(k, LS_KPI_IN_CALLS, h, 4, "t.csv", &err), 0);
	return k;
}

static char *
head(const struct ls_kpi_config *c)
{
	static char buf[256];

	snprintf(buf, sizeof(buf), "kpi-partial,1\nconfig,%016llx\nperiod,day\nrange,2026-11-26,2026-11-26\n"
	    "tickets,0\nsums,day,manager,calls,connected,talk_s,interested,leads,won,lost,revenue_minor,tickets,sla_met\n",
	    (unsigned long long)ls_kpi_config_fingerprint(c));
	return buf;
}

/* The bytes of a partial, and a name with the format's own bytes in it. */
static void
test_written(void **state)
{
	struct ls_kpi_config *c = config("timezone: UTC\n");
	struct ls_kpi *k = calls_kpi(c);
	struct ls_error err = { 0 };
	struct ls_buf b = { 0 }, want = { 0 };

	(void)state;
	call(k, "Ива,нов 100%", "2026-11-26T10:00:00Z", "30");
	call(k, "Ива,нов 100%", "2026-11-26T11:00:00Z", "");
	call(k, "b\tc", "26.11.2026 12:00", "5");	/* the Russian spelling is read as local time */
	assert_int_equal(ls_kpi_write_partial(k, &b, &err), 0);
	ls_buf_puts(&want, head(c));
	ls_buf_puts(&want, "g,2026-11-26,Ива%2Cнов 100%25,2,0,30,0,0,0,0,0,0,0\n"
	    "g,2026-11-26,b%09c,1,0,5,0,0,0,0,0,0,0\nend,2\n");
	assert_string_equal(b.p, want.p);
	ls_buf_free(&want);
	ls_buf_free(&b);
	ls_kpi_free(k);
	ls_kpi_config_free(c);
}

/* Written then merged, twice (concatenated), and a partial typed by hand: the sums add up. */
static void
test_round_trip(void **state)
{
	struct ls_kpi_config *c = config("timezone: UTC\n");
	struct ls_kpi *k = calls_kpi(c), *m;
	struct ls_kpi_table *t;
	struct ls_error err = { 0 };
	struct ls_buf b = { 0 };

	(void)state;
	call(k, "a,b", "2026-11-26T10:00:00Z", "30");
	assert_int_equal(ls_kpi_write_partial(k, &b, &err), 0);
	ls_buf_put(&b, b.p, b.n);	/* two partials, one after the other */
	/* lower-case hex and CRLF line ends, as an editor may leave them */
	ls_buf_puts(&b, "kpi-partial,1\r\n");
	ls_buf_puts(&b, strchr(head(c), '\n') + 1);
	ls_buf_puts(&b, "g,2026-11-26,a%2cb,1,0,10,0,0,0,0,0,0,0\r\nend,1\r\n");
	assert_non_null(m = ls_kpi_new_merge(c, &err));
	assert_int_equal(ls_kpi_merge(m, b.p, b.n, "p", &err), 0);
	assert_int_equal(ls_kpi_merged(m), 3);
	assert_non_null(t = ls_kpi_table(m, LS_KPI_BY_MANAGER, &err));
	assert_string_equal(ls_kpi_table_cell(t, 0, 1), "a,b");
	assert_string_equal(ls_kpi_table_cell(t, 0, 2), "3");		/* calls */
	assert_string_equal(ls_kpi_table_cell(t, 0, 5), "70");		/* talk_time_s */
	ls_kpi_table_free(t);
	ls_kpi_free(m);
	ls_buf_free(&b);
	ls_kpi_free(k);
	ls_kpi_config_free(c);
}

/* What is refused, with the line it is on. */
static void
test_refused(void **state)
{
	static const struct {
		const char *body;	/* after head() */
		long line;
		const char *msg;
	} cases[] = {
		{ "g,2026-11-26,a,1,0,0,0,0,0,0,0,0,0\n", 7, "truncated partial: no 'end' line" },
		{ "end,2\n", 7, "truncated partial: its 'end' line counts other groups" },
		{ "g,2026-11-26,a%G1,1,0,0,0,0,0,0,0,0,0\nend,1\n", 7, "bad partial: expected 'g,DAY,MANAGER,SUMS...'" },
		{ "g,2026-11-26,a%2,1,0,0,0,0,0,0,0,0,0\nend,1\n", 7, "bad partial: expected 'g,DAY,MANAGER,SUMS...'" },
		{ "g,2026-11-26,a,1,0,0,0,0,0,0,0,0\nend,1\n", 7, "bad partial: expected 'g,DAY,MANAGER,SUMS...'" },
		{ "g,2026-11-26,a,x,0,0,0,0,0,0,0,0,0\nend,1\n", 7, "bad partial: a sum is not an integer" },
		{ "g,2026-11-27,a,1,0,0,0,0,0,0,0,0,0\nend,1\n", 7, "bad partial: a group's day is not the start" },
	};
	struct ls_kpi_config *c = config("timezone: UTC\n");
	struct ls_error err;
	struct ls_buf b = { 0 };
	struct ls_kpi *m;

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		memset(&err, 0, sizeof(err));
		b.n = 0;
		ls_buf_puts(&b, head(c));
		ls_buf_puts(&b, cases[i].body);
		assert_non_null(m = ls_kpi_new_merge(c, &err));
		assert_int_equal(ls_kpi_merge(m, b.p, b.n, "p.part", &err), LS_EDATA);
		assert_string_equal(err.file, "p.part");
		assert_int_equal(err.line, cases[i].line);
		if (strncmp(err.msg, cases[i].msg, strlen(cases[i].msg)) != 0)
			fail_msg("case %zu: %s", i, err.msg);
		ls_kpi_free(m);
	}
	/* another config, another version, not a partial at all */
	assert_non_null(m = ls_kpi_new_merge(c, &err));
	assert_int_equal(ls_kpi_merge(m, "kpi-partial,1\nconfig,0000000000000000\n", 37, "p", &err), LS_EDATA);
	assert_non_null(strstr(err.msg, "another config"));
	assert_int_equal(ls_kpi_merge(m, "kpi-partial,2\n", 14, "p", &err), LS_EDATA);
	assert_int_equal(err.line, 1);
	assert_int_equal(ls_kpi_merge(m, "period,manager\n", 15, "p", &err), LS_EDATA);
	assert_int_equal(ls_kpi_merged(m), 0);
	ls_kpi_free(m);
	ls_buf_free(&b);
	ls_kpi_config_free(c);
}

/* --date, --from, --to in the config's zone, at a pinned instant. */
static void
test_dates(void **state)
{
	struct ls_kpi_config *c = config("timezone: Europe/Moscow\n");
	const int64_t now = 1764540000;	/* 2025-11-30T22:00:00Z: already 1 December in Moscow */
	struct ls_error err = { 0 };
	struct ls_kpi_opts o = { 0 };
	char a[16], z[16], l[16];

	(void)state;
	assert_int_equal(ls_kpi_opts_dates(&o, c, now, NULL, NULL, NULL, &err), 0);
	assert_int_equal(o.has_from | o.has_to, 0);
	ls_date_format(&o.lead_day, l, sizeof(l));
	assert_string_equal(l, "2025-12-01");

	memset(&o, 0, sizeof(o));
	o.period = LS_PERIOD_WEEK;
	assert_int_equal(ls_kpi_opts_dates(&o, c, now, "-1d", NULL, NULL, &err), 0);
	ls_date_format(&o.from, a, sizeof(a));
	ls_date_format(&o.to, z, sizeof(z));
	ls_date_format(&o.lead_day, l, sizeof(l));
	assert_string_equal(a, "2025-11-24");	/* the ISO week holding 30 November */
	assert_string_equal(z, "2025-11-30");
	assert_string_equal(l, "2025-11-30");

	memset(&o, 0, sizeof(o));
	o.period = LS_PERIOD_MONTH;
	assert_int_equal(ls_kpi_opts_dates(&o, c, now, "15.02.2024", NULL, NULL, &err), 0);
	ls_date_format(&o.to, z, sizeof(z));
	assert_string_equal(z, "2024-02-29");

	memset(&o, 0, sizeof(o));
	assert_int_equal(ls_kpi_opts_dates(&o, c, now, NULL, "2026-11-01", "2026-11-02", &err), 0);
	ls_date_format(&o.lead_day, l, sizeof(l));
	assert_string_equal(l, "2026-11-02");
	assert_int_equal(o.has_from & o.has_to, 1);

	assert_int_equal(ls_kpi_opts_dates(&o, c, now, NULL, "2026-11-03", "2026-11-02", &err), LS_EUSAGE);
	assert_string_equal(err.msg, "--from is after --to");
	assert_int_equal(ls_kpi_opts_dates(&o, c, now, "2026-13-01", NULL, NULL, &err), LS_EUSAGE);
	assert_string_equal(err.msg, "--date: bad date '2026-13-01' (expected YYYY-MM-DD, today, yesterday or -Nd)");
	assert_int_equal(ls_kpi_opts_dates(&o, c, now, NULL, NULL, "soon", &err), LS_EUSAGE);
	assert_non_null(strstr(err.msg, "--to: bad date 'soon'"));
	ls_kpi_config_free(c);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_written),
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_dates),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
