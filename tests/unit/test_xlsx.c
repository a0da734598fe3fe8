/* test_xlsx.c - .xlsx cell values as text (xlsx_cell.c), one table row per case; the workbook side is in tests/cli/shared/xlsx-*. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "xlsx.h"
#include "xlsx_impl.h"
#include "xlsx_write.h"

struct ncase {
	const char *v, *want;	/* want NULL: not a number */
};

static const struct ncase numbers[] = {
	{ "79161234567", "79161234567" }, { "0.1", "0.1" }, { "-5", "-5" }, { "1E+21", "1000000000000000000000" },
	{ "1.0000000000000001E-5", "0.00001" }, { "0.30000000000000004", "0.30000000000000004" },
	{ "123456789012345678", "123456789012345680" }, { "-0", "0" }, { "007.50", "7.5" },
	{ "1.5E-7", "0.00000015" }, { "2.5e2", "250" },
	{ "1234.4000000000001", "1234.4" }, { "abc", NULL }, { "", NULL }, { "inf", NULL }, { "0x10", NULL },
};

static void
test_numbers(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(numbers) / sizeof(numbers[0]); i++) {
		struct ls_buf b = { 0 };
		int rc = ls_xlsx_put_number(&b, numbers[i].v);
		if (numbers[i].want == NULL) {
			assert_int_equal(rc, LS_EDATA);
		} else {
			assert_int_equal(rc, 0);
			assert_string_equal(b.p, numbers[i].want);
		}
		ls_buf_free(&b);
	}
	/* the largest exponent written out: a 1 and 308 zeros */
	struct ls_buf b = { 0 };
	assert_int_equal(ls_xlsx_put_number(&b, "1e308"), 0);
	assert_int_equal(b.n, 309);
	assert_int_equal(strspn(b.p + 1, "0"), 308);
	ls_buf_free(&b);
}

/*
 * ls_xlsx_parse_double reads the common spellings without strtod (m / 10^k
 * for m below 2^53): every spelling gives strtod's very double, bit for
 * bit, on the edges of the fast path and on decimals drawn at random.
 */
static void
check_double(const char *v)
{
	double want = strtod(v, NULL), got = 0;

	assert_int_equal(ls_xlsx_parse_double(v, &got), 0);
	if (memcmp(&want, &got, sizeof(want)) != 0)
		fail_msg("'%s': %.17g, strtod says %.17g", v, got, want);
}

static void
test_parse_double(void **state)
{
	static const char *const edges[] = {
		"0", "-0", "0.0", ".5", "5.", "-.5", "007.50", "46198", "46295.03836805555",
		"9007199254740991", "9007199254740992", "9007199254740993", "900719925474099.3",
		"0.0000000000000000000001", "0.00000000000000000000001", "1.0000000000000000000000",
		"123456789012345678", "0.30000000000000004", "45383.99999999", " 5", "5 ", "1e3", "2.5E-7",
	};
	static const char *const bad[] = { "", "-", ".", "1.2.3", "inf", "nan", "0x10", "1,5", "--1", "1e" };
	uint64_t x = 88172645463325252ull;
	char v[64];
	double d;

	(void)state;
	for (size_t i = 0; i < sizeof(edges) / sizeof(edges[0]); i++)
		check_double(edges[i]);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (ls_xlsx_parse_double(bad[i], &d) == 0)
			fail_msg("'%s' read as %g", bad[i], d);
	for (int i = 0; i < 200000; i++) {
		uint64_t m;
		int k, n;

		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		m = (x >> 11) >> (x % 40);		/* 53 bits and fewer */
		k = (int)(x >> 3 & 31) % 25;		/* 0..24 decimals: past 22 goes to strtod */
		n = snprintf(v, sizeof(v), "%s%0*llu", x & 4 ? "-" : "", k + 1, (unsigned long long)m);
		if (k > 0) {
			memmove(v + n - k + 1, v + n - k, (size_t)k + 1);
			v[n - k] = '.';
		}
		check_double(v);
	}
}

/*
 * rec->raw, the row as one CSV line (what --rejects writes for a bad row):
 * a workbook written by xlsx_write.c and read back; cells with a comma, a
 * quote, a line break quoted, quotes doubled, empty cells kept.
 */
static void
test_raw(void **state)
{
	static const char tsv[] = "a\tb\tc\td\n" "x,y\tsay \"hi\"\t\tline\\nbreak\n" "\"\"\tplain\t1\t\n";
	static const char *const want[] = {
		"a,b,c,d",
		"\"x,y\",\"say \"\"hi\"\"\",,\"line\nbreak\"",
		"\"\"\"\"\"\",plain,1,",
	};
	struct ls_buf book = { 0 };
	struct ls_error err = { 0 };
	struct ls_record rec;
	struct ls_xlsx *x;

	(void)state;
	assert_int_equal(ls_xlsxw_table("S", tsv, sizeof(tsv) - 1, NULL, &book, &err), 0);
	x = ls_xlsx_open_mem(book.p, book.n, "raw.xlsx", NULL, &err);
	assert_non_null(x);
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		assert_int_equal(ls_xlsx_next(x, &rec, &err), 1);
		assert_int_equal(rec.raw.n, strlen(want[i]));
		assert_string_equal(rec.raw.p, want[i]);
	}
	assert_int_equal(ls_xlsx_next(x, &rec, &err), 0);
	ls_xlsx_free(x);
	ls_buf_free(&book);
}

struct dcase {
	const char *v;
	enum ls_xlsx_kind kind;
	int d1904;
	const char *want;
};

static const struct dcase dates[] = {
	{ "1", LS_XK_DATE, 0, "1900-01-01" }, { "59", LS_XK_DATE, 0, "1900-02-28" },
	{ "60", LS_XK_DATE, 0, "1900-02-29" }, { "61", LS_XK_DATE, 0, "1900-03-01" },
	{ "45352", LS_XK_DATE, 0, "2024-03-01" }, { "45352.520833333336", LS_XK_DATETIME, 0, "2024-03-01 12:30:00" },
	{ "45383.99999999", LS_XK_DATE, 0, "2024-04-01" }, { "45383.99999999", LS_XK_DATETIME, 0, "2024-04-02 00:00:00" },
	{ "0.34375", LS_XK_TIME, 0, "08:15:00" }, { "0.5", LS_XK_DATE, 0, "12:00:00" }, { "1.25", LS_XK_TIME, 0, "30:00:00" },
	{ "2958465", LS_XK_DATE, 0, "9999-12-31" }, { "2958466", LS_XK_DATE, 0, "2958466" }, { "-1", LS_XK_DATE, 0, "-1" },
	{ "0", LS_XK_DATE, 1, "1904-01-01" }, { "43464.25", LS_XK_DATETIME, 1, "2022-12-31 06:00:00" },
};

static void
test_dates(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(dates) / sizeof(dates[0]); i++) {
		struct ls_buf b = { 0 };
		assert_int_equal(ls_xlsx_put_date(&b, dates[i].v, dates[i].kind, dates[i].d1904), 0);
		assert_string_equal(b.p, dates[i].want);
		ls_buf_free(&b);
	}
}

static void
test_format_kinds(void **state)
{
	(void)state;
	assert_int_equal(ls_xlsx_format_kind("General"), LS_XK_NUMBER);
	assert_int_equal(ls_xlsx_format_kind("#,##0.00\\ \"руб.\""), LS_XK_NUMBER);
	assert_int_equal(ls_xlsx_format_kind("0.00\"dys\""), LS_XK_NUMBER);
	assert_int_equal(ls_xlsx_format_kind("[Red]0.00;[Blue]-0.00"), LS_XK_NUMBER);
	assert_int_equal(ls_xlsx_format_kind("dd\\.mm\\.yyyy"), LS_XK_DATE);
	assert_int_equal(ls_xlsx_format_kind("[$-419]d mmmm yyyy \"г.\";@"), LS_XK_DATE);
	assert_int_equal(ls_xlsx_format_kind("mmm"), LS_XK_DATE);
	assert_int_equal(ls_xlsx_format_kind("dd/mm/yyyy hh:mm"), LS_XK_DATETIME);
	assert_int_equal(ls_xlsx_format_kind("h:mm AM/PM"), LS_XK_TIME);
	assert_int_equal(ls_xlsx_format_kind("mm:ss"), LS_XK_TIME);
	assert_int_equal(ls_xlsx_format_kind("[h]:mm:ss"), LS_XK_TIME);
	assert_int_equal(ls_xlsx_builtin_kind(14), LS_XK_DATE);
	assert_int_equal(ls_xlsx_builtin_kind(22), LS_XK_DATETIME);
	assert_int_equal(ls_xlsx_builtin_kind(46), LS_XK_TIME);
	assert_int_equal(ls_xlsx_builtin_kind(2), LS_XK_NUMBER);
}

static void
test_refs_and_escapes(void **state)
{
	long col, row;
	char name[8], s[64];
	size_t n;

	(void)state;
	assert_int_equal(ls_xlsx_cellref("A1", &col, &row), 0);
	assert_int_equal(col, 0);
	assert_int_equal(row, 1);
	assert_int_equal(ls_xlsx_cellref("XFD1048576", &col, &row), 0);
	assert_int_equal(col, 16383);
	assert_int_equal(ls_xlsx_cellref("XFE1", &col, &row), -1);
	assert_int_equal(ls_xlsx_cellref("A1048577", &col, &row), -1);
	assert_int_equal(ls_xlsx_cellref("A0", &col, &row), -1);
	assert_int_equal(ls_xlsx_cellref("a1", &col, &row), -1);
	/* lengths: three letters and seven digits at most, however the value wraps past them */
	assert_int_equal(ls_xlsx_cellref("A0000001", &col, &row), 0);
	assert_int_equal(row, 1);
	assert_int_equal(ls_xlsx_cellref("A00000001", &col, &row), -1);
	assert_int_equal(ls_xlsx_cellref("AAAA1", &col, &row), -1);
	assert_int_equal(ls_xlsx_cellref("ZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZA1", &col, &row), -1);
	assert_int_equal(ls_xlsx_cellref("A18446744073709551617", &col, &row), -1);
	assert_int_equal(ls_xlsx_cellref("", &col, &row), -1);
	assert_int_equal(ls_xlsx_cellref("A", &col, &row), -1);
	assert_int_equal(ls_xlsx_cellref("12", &col, &row), -1);
	assert_int_equal(ls_xlsx_cellref("B2 ", &col, &row), -1);
	assert_int_equal(ls_xlsx_cellref("XFD1", &col, &row), 0);
	assert_int_equal(col, 16383);
	ls_xlsx_colname(10, name);
	assert_string_equal(name, "K");
	ls_xlsx_colname(16383, name);
	assert_string_equal(name, "XFD");
	strcpy(s, "a_x000D_b_x005F_x_x0000_c_x044F_");
	n = ls_xlsx_unescape(s, strlen(s));
	s[n] = '\0';
	assert_string_equal(s, "a\rb_x_x0000_c\xd1\x8f");
	assert_int_equal(ls_xlsx_is_path("Base.XLSX"), 1);
	assert_int_equal(ls_xlsx_is_path("base.xls"), 1);	/* read through FreeXL (xls.c) */
	assert_int_equal(ls_xls_is_path("base.XLS"), 1);
	assert_int_equal(ls_xls_is_path("base.xlsx"), 0);
	assert_int_equal(ls_xlsx_is_path("base.csv"), 0);
	assert_int_equal(ls_xlsx_is_path(NULL), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_numbers),
		cmocka_unit_test(test_parse_double),
		cmocka_unit_test(test_raw),
		cmocka_unit_test(test_dates),
		cmocka_unit_test(test_format_kinds),
		cmocka_unit_test(test_refs_and_escapes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
