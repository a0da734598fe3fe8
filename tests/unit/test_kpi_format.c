/*
 * test_kpi_format.c - the KPI table in each format, byte for byte, and
 * --fail-under's floors (kpi_format.c, kpi_floors.c).
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

/* A table of one day's calls, rows[nrows][5], by manager. */
static struct ls_kpi_table *
table_rows(const char *cfg_text, const char *const (*rows)[5], size_t nrows, struct ls_kpi_config **cp,
    struct ls_kpi **kp)
{
	static const char *const hdr[] = { "lead_id", "manager", "started_at", "duration_s", "outcome" };
	char path[] = "/tmp/test_kpi_format.XXXXXX";
	struct ls_kpi_opts o = { 0 };
	struct ls_error err = { 0 };
	struct ls_str h[5], f[5];
	struct ls_kpi_table *t;
	int fd = mkstemp(path);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, cfg_text, strlen(cfg_text)), (ssize_t)strlen(cfg_text));
	close(fd);
	*cp = ls_kpi_config_load(path, &err);
	unlink(path);
	assert_non_null(*cp);
	assert_non_null(*kp = ls_kpi_new(*cp, &o, &err));
	for (int i = 0; i < 5; i++)
		h[i] = (struct ls_str){ hdr[i], strlen(hdr[i]) };
	assert_int_equal(ls_kpi_bind(*kp, LS_KPI_IN_CALLS, h, 5, "t.csv", &err), 0);
	for (size_t r = 0; r < nrows; r++) {
		struct ls_record rec = { 0 };

		for (int i = 0; i < 5; i++)
			f[i] = (struct ls_str){ rows[r][i], strlen(rows[r][i]) };
		rec.fields = f;
		rec.nfields = 5;
		rec.file = "t.csv";
		rec.line = (long)r + 2;
		assert_int_equal(ls_kpi_add(*kp, LS_KPI_IN_CALLS, &rec, &err), 0);
	}
	assert_non_null(t = ls_kpi_table(*kp, LS_KPI_BY_MANAGER, &err));
	return t;
}

/* A table of one day: a|b"c<&> with two calls, "Пётр" with one, and the TOTAL. */
static struct ls_kpi_table *
table(const char *cfg_text, struct ls_kpi_config **cp, struct ls_kpi **kp)
{
	static const char *const rows[][5] = {
		{ "1", "Пётр", "2026-11-26T10:00:00Z", "5", "interested" },
		{ "2", "a|b\"c<&>", "2026-11-26T10:00:00Z", "5", "interested" },
		{ "3", "a|b\"c<&>", "2026-11-26T11:00:00Z", "10", "no_answer" },
	};

	return table_rows(cfg_text, rows, sizeof(rows) / sizeof(rows[0]), cp, kp);
}

static char *
render(const struct ls_kpi_table *t, enum ls_kpi_format f)
{
	struct ls_buf b = { 0 };
	struct ls_error err = { 0 };

	assert_int_equal(ls_kpi_render(t, f, &b, &err), 0);
	assert_non_null(b.p);
	return b.p;
}

static void
test_formats_exact(void **state)
{
	struct ls_kpi_config *c;
	struct ls_kpi *k;
	struct ls_kpi_table *t = table("timezone: UTC\n", &c, &k);
	char *s;

	(void)state;
	assert_int_equal(ls_kpi_table_rows(t), 3);
	assert_int_equal(ls_kpi_table_cols(t), 14);
	assert_string_equal(ls_kpi_table_name(t, 13), "avg_deal");
	assert_string_equal(ls_kpi_table_cell(t, 0, 1), "a|b\"c<&>");	/* by strcmp: Cyrillic after Latin */
	assert_int_equal(ls_kpi_table_total(t, 2), 1);
	assert_int_equal(ls_kpi_table_total(t, 1), 0);
	assert_int_equal(ls_kpi_table_col(t, "connect_rate", 12), 4);
	assert_int_equal(ls_kpi_table_col(t, "nope", 4), -1);

	s = render(t, LS_KPI_CSV);
	assert_string_equal(s,
	    "period,manager,calls,connected,connect_rate,talk_time_s,avg_call_s,interested,"
	    "leads_assigned,deals_won,deals_lost,win_rate,revenue,avg_deal\n"
	    "2026-11-26,\"a|b\"\"c<&>\",2,1,0.500,15,7.5,1,0,0,0,,0.00,\n"
	    "2026-11-26,Пётр,1,1,1.000,5,5.0,1,0,0,0,,0.00,\n"
	    "2026-11-26,TOTAL,3,2,0.667,20,6.7,2,0,0,0,,0.00,\n");
	free(s);
	s = render(t, LS_KPI_TSV);
	assert_non_null(strstr(s, "\n2026-11-26\ta|b\"c<&>\t2\t1\t0.500\t15\t7.5\t1\t0\t0\t0\t\t0.00\t\n"));
	free(s);
	s = render(t, LS_KPI_MD);
	assert_non_null(strstr(s, "| 2026-11-26 | a\\|b\"c\\<&> | 2 |"));	/* < would start HTML in Markdown */
	free(s);
	s = render(t, LS_KPI_JSON);
	assert_non_null(strstr(s, "{\"period\":\"2026-11-26\",\"manager\":\"a|b\\\"c<&>\",\"calls\":2,"
	    "\"connected\":1,\"connect_rate\":0.500,"));
	assert_non_null(strstr(s, "\"win_rate\":null"));
	free(s);
	s = render(t, LS_KPI_TABLE);
	/* display width, not bytes: "Пётр" is four columns */
	assert_non_null(strstr(s, "\n2026-11-26  a|b\"c<&>      2 "));
	assert_non_null(strstr(s, "\n2026-11-26  Пётр          1 "));
	free(s);
	ls_kpi_table_free(t);
	ls_kpi_free(k);
	ls_kpi_config_free(c);
}

/* The HTML page escapes every name through ls_escape_put: no markup of the data's gets through. */
static void
test_html_escaped(void **state)
{
	struct ls_kpi_config *c;
	struct ls_kpi *k;
	struct ls_kpi_table *t = table("timezone: UTC\ntargets: {default: {calls: 2}}\n", &c, &k);
	char *s;

	(void)state;
	s = render(t, LS_KPI_HTML);
	assert_true(strncmp(s, "<!DOCTYPE html>", 15) == 0);
	assert_non_null(strstr(s, "<td>a|b&quot;c&lt;&amp;&gt;</td>"));
	assert_null(strstr(s, "c<&>"));
	assert_non_null(strstr(s, "</html>\n"));
	free(s);
	ls_kpi_table_free(t);
	ls_kpi_free(k);
	ls_kpi_config_free(c);
}

/*
 * A manager's name with a line break and control characters (a quoted CSV
 * field may hold them): Markdown keeps the row on one line, JSON escapes
 * them as \\u00XX; and a page where every manager met the plan says so.
 */
static void
test_control_characters(void **state)
{
	static const char *const rows[][5] = {
		{ "1", "a\nb\x01" "c\rd", "2026-11-26T10:00:00Z", "5", "interested" },
		{ "2", "e", "2026-11-26T10:00:00Z", "5", "interested" },
	};
	struct ls_kpi_config *c;
	struct ls_kpi *k;
	struct ls_kpi_table *t = table_rows("timezone: UTC\ntargets: {default: {calls: 1}}\n", rows, 2, &c, &k);
	char *s;

	(void)state;
	s = render(t, LS_KPI_MD);
	assert_non_null(strstr(s, "\n| 2026-11-26 | a b\x01" "c d | 1 |"));
	free(s);
	s = render(t, LS_KPI_JSON);
	assert_non_null(strstr(s, "\"manager\":\"a\\u000ab\\u0001c\\u000dd\""));
	free(s);
	s = render(t, LS_KPI_HTML);
	assert_non_null(strstr(s, ">Nobody is behind plan.</p>\n"));
	free(s);
	ls_kpi_table_free(t);
	ls_kpi_free(k);
	ls_kpi_config_free(c);
}

static void
test_format_parse(void **state)
{
	struct ls_error err = { 0 };
	enum ls_kpi_format f = LS_KPI_CSV;

	(void)state;
	assert_int_equal(ls_kpi_format_parse("html", &f, &err), 0);
	assert_int_equal(f, LS_KPI_HTML);
	assert_int_equal(ls_kpi_format_parse("tsv", &f, &err), 0);
	assert_int_equal(f, LS_KPI_TSV);
	assert_int_equal(ls_kpi_format_parse("CSV", &f, &err), LS_EUSAGE);
	assert_string_equal(err.msg, "unknown format 'CSV' (expected csv, tsv, table, md, json, html or xlsx)");
	assert_int_equal(ls_kpi_width(""), 0);
	assert_int_equal(ls_kpi_width("Пётр"), 4);
}

static void
test_floors(void **state)
{
	static const char *const bad[] = { "calls", "=2", "calls=", "calls=x", "calls=2,", "calls=2,,win_rate=1" };
	struct ls_kpi_config *c;
	struct ls_kpi *k;
	struct ls_kpi_table *t = table("timezone: UTC\ntargets: {default: {calls: 2}}\n", &c, &k);
	struct ls_kpi_floors *f;
	struct ls_error err = { 0 };
	struct ls_buf b = { 0 };

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		f = (struct ls_kpi_floors *)1;
		assert_int_equal(ls_kpi_floors_parse(bad[i], &f, &err), LS_EUSAGE);
		assert_null(f);
		assert_non_null(strstr(err.msg, "--fail-under: expected KPI=N[,KPI=N...], got '"));
	}
	assert_int_equal(ls_kpi_floors_parse("calls=x", &f, &err), LS_EUSAGE);
	assert_string_equal(err.msg, "--fail-under: expected KPI=N[,KPI=N...], got 'calls=x'");

	/* two floors, the second's text kept as given ("2.50") */
	assert_int_equal(ls_kpi_floors_parse("calls=2,calls_pct=2.50e0", &f, &err), LS_EUSAGE);
	assert_int_equal(ls_kpi_floors_parse("calls=2,talk_time_s=10.50", &f, &err), 0);
	assert_int_equal(ls_kpi_floors_check(t, f, &b, &err), 2);
	assert_string_equal(b.p, "2026-11-26 Пётр: calls 1 < 2\n2026-11-26 Пётр: talk_time_s 5 < 10.50\n");
	ls_kpi_floors_free(f);

	/* a column the table lacks is found only at the check: the targets and --tickets make columns */
	assert_int_equal(ls_kpi_floors_parse("sla_met_pct=90", &f, &err), 0);
	assert_int_equal(ls_kpi_floors_check(t, f, &b, &err), -1);
	assert_int_equal(err.status, LS_EUSAGE);
	assert_string_equal(err.msg, "--fail-under: no column 'sla_met_pct' in this report");
	ls_kpi_floors_free(f);
	/* period and manager are not KPIs */
	assert_int_equal(ls_kpi_floors_parse("manager=1", &f, &err), 0);
	assert_int_equal(ls_kpi_floors_check(t, f, &b, &err), -1);
	ls_kpi_floors_free(f);
	/* empty values (win_rate without deals) and TOTAL rows are not compared */
	b.n = 0;
	assert_int_equal(ls_kpi_floors_parse("win_rate=1,calls=3", &f, &err), 0);
	assert_int_equal(ls_kpi_floors_check(t, f, &b, &err), 2);
	assert_string_equal(b.p, "2026-11-26 a|b\"c<&>: calls 2 < 3\n2026-11-26 Пётр: calls 1 < 3\n");
	ls_kpi_floors_free(f);
	ls_kpi_floors_free(NULL);
	ls_buf_free(&b);
	ls_kpi_table_free(t);
	ls_kpi_free(k);
	ls_kpi_config_free(c);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_formats_exact),
		cmocka_unit_test(test_html_escaped),
		cmocka_unit_test(test_control_characters),
		cmocka_unit_test(test_format_parse),
		cmocka_unit_test(test_floors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
