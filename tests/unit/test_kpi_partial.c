/*
 * test_kpi_partial.c - the partial codec (kpi_partial.c): the bytes
 * written, names through recfile's escape, what merges back and what is
 * refused (an older partial among it); and the command line's dates
 * (kpi_input.c).
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
#include "recfile.h"

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
	o.inputs = 1u << LS_KPI_IN_CALLS;
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

	snprintf(buf, sizeof(buf), "# kpi-partial v3\nconfig\t%016llx\nperiod\tday\nrange\t2026-11-26\t2026-11-26\n"
	    "inputs\tcalls\nsums\tday\tmanager\tcalls\tconnected\ttalk_s\tinterested\tleads\twon\tlost\t"
	    "revenue_minor\ttickets\tsla_met\n",
	    (unsigned long long)ls_kpi_config_fingerprint(c));
	return buf;
}

/* The bytes of a partial, and names with the record file's own bytes in them. */
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
	call(k, "b\tc\\d", "26.11.2026 12:00", "5");	/* the Russian spelling is read as local time */
	assert_int_equal(ls_kpi_write_partial(k, &b, &err), 0);
	ls_buf_puts(&want, head(c));
	/* only recfile's four escapes: commas, percent signs and UTF-8 are bytes as they are */
	ls_buf_puts(&want, "g\t2026-11-26\tИва,нов 100%\t2\t0\t30\t0\t0\t0\t0\t0\t0\t0\n"
	    "g\t2026-11-26\tb\\tc\\\\d\t1\t0\t5\t0\t0\t0\t0\t0\t0\t0\nend\t2\n");
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
	const char *h;

	(void)state;
	call(k, "a,b", "2026-11-26T10:00:00Z", "30");
	assert_int_equal(ls_kpi_write_partial(k, &b, &err), 0);
	ls_buf_put(&b, b.p, b.n);	/* two partials, one after the other */
	/* CRLF line ends, as an editor may leave them */
	for (h = head(c); *h; h++)
		ls_buf_puts(&b, *h == '\n' ? "\r\n" : (char[]){ *h, 0 });
	ls_buf_puts(&b, "g\t2026-11-26\ta,b\t1\t0\t10\t0\t0\t0\t0\t0\t0\t0\r\nend\t1\r\n");
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

/*
 * Manager names holding the format's bytes (tab, line feed, carriage
 * return, backslash), the old format's (percent sign, comma) and UTF-8:
 * each is written as one field and merged back to the same manager, shown
 * as the single run shows it.  (Shown names are trimmed: the odd bytes sit
 * inside them.)
 */
static void
test_names_round_trip(void **state)
{
	static const char *const names[] = {
		"tab\there", "line\nfeed", "cr\rhere", "back\\slash", "\\t not a tab", "100%", "%41",
		"a,b,,c", "Пётр Иванов", "«ООО» 日本", "x\t\n\r\\,%y", "trailing\\",
	};
	enum { N = sizeof(names) / sizeof(names[0]) };
	struct ls_kpi_config *c = config("timezone: UTC\n");
	struct ls_kpi *whole = calls_kpi(c), *part[2], *m;
	struct ls_kpi_table *tw, *tm;
	struct ls_error err = { 0 };
	struct ls_buf b = { 0 };
	struct ls_str f[16];
	size_t seen = 0;
	char *line, *nl;

	(void)state;
	part[0] = calls_kpi(c);
	part[1] = calls_kpi(c);
	for (size_t i = 0; i < N; i++) {
		call(whole, names[i], "2026-11-26T10:00:00Z", "30");
		call(whole, names[i], "2026-11-26T11:00:00Z", "7");
		call(part[0], names[i], "2026-11-26T10:00:00Z", "30");
		call(part[1], names[i], "2026-11-26T11:00:00Z", "7");
	}
	assert_int_equal(ls_kpi_write_partial(part[0], &b, &err), 0);
	/* every group one line of 13 fields, its name as the run keeps it */
	for (line = b.p; (nl = strchr(line, '\n')) != NULL; line = nl + 1) {
		if (strncmp(line, "g\t", 2) != 0)
			continue;
		assert_int_equal(ls_tsv_split(line, (size_t)(nl - line), f, 16), 13);
		for (size_t i = 0; i < N; i++)
			if (f[2].n == strlen(names[i]) && memcmp(f[2].p, names[i], f[2].n) == 0)
				seen |= (size_t)1 << i;
	}
	assert_int_equal(seen, ((size_t)1 << N) - 1);
	b.n = 0;
	assert_int_equal(ls_kpi_write_partial(part[0], &b, &err), 0);
	assert_int_equal(ls_kpi_write_partial(part[1], &b, &err), 0);
	assert_non_null(m = ls_kpi_new_merge(c, &err));
	assert_int_equal(ls_kpi_merge(m, b.p, b.n, "p", &err), 0);
	assert_int_equal(ls_kpi_merged(m), 2);
	assert_non_null(tw = ls_kpi_table(whole, LS_KPI_BY_MANAGER, &err));
	assert_non_null(tm = ls_kpi_table(m, LS_KPI_BY_MANAGER, &err));
	assert_int_equal(ls_kpi_table_rows(tm), ls_kpi_table_rows(tw));
	for (size_t r = 0; r < ls_kpi_table_rows(tw); r++)
		for (size_t col = 0; col < 6; col++)
			assert_string_equal(ls_kpi_table_cell(tm, r, col), ls_kpi_table_cell(tw, r, col));
	ls_kpi_table_free(tw);
	ls_kpi_table_free(tm);
	ls_kpi_free(m);
	ls_buf_free(&b);
	ls_kpi_free(part[0]);
	ls_kpi_free(part[1]);
	ls_kpi_free(whole);
	ls_kpi_config_free(c);
}

/* What is refused, with the line it is on. */
static void
test_refused(void **state)
{
	static const struct {
		const char *body;	/* after head() */
		size_t len;		/* of body when it holds a NUL byte, else 0 */
		long line;
		const char *msg;
	} cases[] = {
		{ "g\t2026-11-26\ta\t1\t0\t0\t0\t0\t0\t0\t0\t0\t0\n", 0, 7, "truncated partial: no 'end' line" },
		{ "end\t2\n", 0, 7, "truncated partial: its 'end' line counts other groups" },
		{ "end\t0", 0, 7, "truncated partial: its last line has no line end" },
		{ "g\t2026-11-26\ta\t1\t0\t0\t0\t0\t0\t0\t0\t0\t0\nend\t", 0, 8,
		  "truncated partial: its last line has no line end" },
		{ "g\t2026-11-26\ta\\q\t1\t0\t0\t0\t0\t0\t0\t0\t0\t0\nend\t1\n", 0, 7, "bad partial: a bad escape" },
		{ "g\t2026-11-26\ta\t1\t0\t0\t0\t0\t0\t0\t0\t0\t0\\\nend\t1\n", 0, 7, "bad partial: a bad escape" },
		{ "g\t2026-11-26\ta\0b\t1\t0\t0\t0\t0\t0\t0\t0\t0\t0\nend\t1\n", 43, 7, "bad partial: a NUL byte" },
		{ "g\t2026-11-26\ta\t1\t0\t0\t0\t0\t0\t0\t0\t0\nend\t1\n", 0, 7,
		  "bad partial: expected 'g\\tDAY\\tMANAGER\\tSUMS...'" },
		{ "g\t2026-11-26\ta\t1\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\nend\t1\n", 0, 7,
		  "bad partial: expected 'g\\tDAY\\tMANAGER\\tSUMS...'" },
		/* a v1 line in a v3 partial: commas are not separators */
		{ "g,2026-11-26,a,1,0,0,0,0,0,0,0,0,0\nend\t1\n", 0, 7,
		  "bad partial: expected 'g\\tDAY\\tMANAGER\\tSUMS...'" },
		{ "g\t2026-11-26\ta\tx\t0\t0\t0\t0\t0\t0\t0\t0\t0\nend\t1\n", 0, 7, "bad partial: a sum is not an integer" },
		{ "g\t2026-11-27\ta\t1\t0\t0\t0\t0\t0\t0\t0\t0\t0\nend\t1\n", 0, 7, "bad partial: a group's day is not the start" },
		{ "end\t0\nkpi-partial,1\n", 0, 8, "a partial written by an older kpi-report (format v1; this one reads v3): "
		  "make it again with this kpi-report --partial" },
		{ "end\t0\n\n# kpi-partial v4\n", 0, 9, "written by a newer version (format v4; this one reads up to v3)" },
		{ "end\t0\n\n# kpi-partial v2\n", 0, 9, "a partial written by an older kpi-report (format v2; this one reads v3): "
		  "make it again with this kpi-report --partial" },
		{ "end\t0\nend\t0\n", 0, 8, "not a partial of kpi-report --partial (its first line should be '# kpi-partial v3')" },
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
		ls_buf_put(&b, cases[i].body, cases[i].len ? cases[i].len : strlen(cases[i].body));
		assert_non_null(m = ls_kpi_new_merge(c, &err));
		assert_int_equal(ls_kpi_merge(m, b.p, b.n, "p.part", &err), LS_EDATA);
		assert_string_equal(err.file, "p.part");
		if (err.line != cases[i].line || strncmp(err.msg, cases[i].msg, strlen(cases[i].msg)) != 0)
			fail_msg("case %zu: %ld: %s", i, err.line, err.msg);
		ls_kpi_free(m);
	}
	/* another config, a version-1 partial, a newer one, not a partial at all */
	assert_non_null(m = ls_kpi_new_merge(c, &err));
	assert_int_equal(ls_kpi_merge(m, "# kpi-partial v3\nconfig\t0000000000000000\n", 41, "p", &err), LS_EDATA);
	assert_non_null(strstr(err.msg, "another config"));
	assert_int_equal(err.line, 2);
	assert_int_equal(ls_kpi_merge(m, "kpi-partial,1\nconfig,0000000000000000\n", 37, "old.part", &err), LS_EDATA);
	assert_string_equal(err.file, "old.part");
	assert_int_equal(err.line, 1);
	assert_string_equal(err.msg, "a partial written by an older kpi-report (format v1; this one reads v3): "
	    "make it again with this kpi-report --partial");
	assert_int_equal(ls_kpi_merge(m, "\n\nkpi-partial,1\n", 16, "p", &err), LS_EDATA);
	assert_int_equal(err.line, 3);
	assert_non_null(strstr(err.msg, "older kpi-report"));
	assert_int_equal(ls_kpi_merge(m, "# kpi-partial v4\n", 17, "p", &err), LS_EDATA);
	assert_int_equal(err.line, 1);
	assert_non_null(strstr(err.msg, "newer version"));
	assert_int_equal(ls_kpi_merge(m, "period\tmanager\n", 15, "p", &err), LS_EDATA);
	assert_non_null(strstr(err.msg, "not a partial"));
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
	assert_string_equal(err.msg, "--date: bad date '2026-13-01' (expected YYYY-MM-DD, today, yesterday, last-workday or -Nd)");
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
		cmocka_unit_test(test_names_round_trip),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_dates),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
