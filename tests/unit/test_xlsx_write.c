/*
 * test_xlsx_write.c - tables written as .xlsx (xlsx_write.c, xlsx_table.c,
 * split.c's names): every workbook is read back by the toolkit's own .xlsx
 * reader (xlsx.h) and its sheet XML looked at through libzip, so that a
 * number is a number cell, a formula-looking text a string, and no cell a
 * formula.  openpyxl reads the tools' workbooks in tests/xlsx/xlsxout.py.
 */
#define _XOPEN_SOURCE 700	/* posix_openpt() and the pseudo-terminal calls of test_terminal */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zip.h>

#include "split.h"
#include "xlsx.h"
#include "xlsx_write.h"

static const struct ls_xlsxw_col cols[] = {
	{ "company", LS_XLSXW_TEXT, 0 },
	{ "calls", LS_XLSXW_NUMBER, 0 },
	{ "revenue", LS_XLSXW_MONEY, 2 },
	{ "win_rate", LS_XLSXW_RATIO, 3 },
	{ "plan_pct", LS_XLSXW_PERCENT, 1 },
	{ "day", LS_XLSXW_DATE, 0 },
	{ "at", LS_XLSXW_DATETIME, 0 },
};
#define NCOLS (sizeof(cols) / sizeof(cols[0]))

/* The text of part name of the workbook xlsx[0..n), NUL-terminated; the caller frees it. */
static char *
part(const struct ls_buf *xlsx, const char *name)
{
	zip_error_t ze;
	zip_source_t *src;
	zip_t *z;
	zip_file_t *f;
	zip_stat_t st;
	char *text;

	zip_error_init(&ze);
	assert_non_null(src = zip_source_buffer_create(xlsx->p, xlsx->n, 0, &ze));
	assert_non_null(z = zip_open_from_source(src, ZIP_RDONLY, &ze));
	assert_int_equal(zip_stat(z, name, 0, &st), 0);
	assert_non_null(text = calloc(1, st.size + 1));
	assert_non_null(f = zip_fopen(z, name, 0));
	assert_int_equal(zip_fread(f, text, st.size), (zip_int64_t)st.size);
	zip_fclose(f);
	zip_discard(z);
	return text;
}

/* Row r (0: the header) of the workbook's sheet, read back by xlsx.h, its cells joined by '|'. */
static void
row_text(const struct ls_buf *xlsx, const char *sheet, long r, char *out, size_t size)
{
	struct ls_xlsx_opts o = { .sheet = sheet };
	struct ls_error err = { 0 };
	struct ls_record rec;
	struct ls_xlsx *x;
	size_t n = 0;

	assert_non_null(x = ls_xlsx_open_mem(xlsx->p, xlsx->n, "t.xlsx", &o, &err));
	for (long i = 0; i <= r; i++)
		assert_int_equal(ls_xlsx_next(x, &rec, &err), 1);
	out[0] = '\0';
	for (size_t c = 0; c < rec.nfields; c++)
		n += (size_t)snprintf(out + n, size - n, "%s%.*s", c ? "|" : "", (int)rec.fields[c].n, rec.fields[c].p);
	ls_xlsx_free(x);
}

static void
cells(struct ls_xlsxw *w, const char *const *v, unsigned look)
{
	struct ls_error err = { 0 };

	for (size_t c = 0; c < NCOLS; c++)
		assert_int_equal(ls_xlsxw_cell(w, c, v[c], strlen(v[c]), look, &err), 0);
	ls_xlsxw_end(w);
}

static void
test_typed_cells(void **state)
{
	static const char *const r1[] = { "Acme", "1234567", "750000.50", "0.667", "93.8", "2026-11-26",
	    "2026-11-26T09:05:00+03:00" };
	static const char *const r2[] = { "=HYPERLINK(\"http://evil\",\"x\")", "12 345", "n/a", "", "",
	    "26.11.2026", "2026-11-26" };
	static const char *const r3[] = { "@SUM(A1:A2)", "-5", "-0.01", "1", "100.0", "2026-02-29",
	    "2026-11-26 25:00" };
	struct ls_error err = { 0 };
	struct ls_buf out = { 0 };
	struct ls_xlsxw *w;
	char line[1024], *xml, *styles;

	(void)state;
	assert_non_null(w = ls_xlsxw_new(&err));
	assert_int_equal(ls_xlsxw_sheet(w, "KPI", cols, NCOLS, &err), 0);
	cells(w, r1, 0);
	cells(w, r2, LS_XLSXW_BOLD);
	cells(w, r3, LS_XLSXW_BEHIND);
	assert_int_equal(ls_xlsxw_rows(w), 3);
	assert_int_equal(ls_xlsxw_close(w, &out, &err), 0);
	ls_xlsxw_free(w);
	assert_true(out.n > 100 && memcmp(out.p, "PK", 2) == 0);

	/* read back: numbers, dates and date-times as xlsx.h prints them; text as it was */
	row_text(&out, "KPI", 0, line, sizeof(line));
	assert_string_equal(line, "company|calls|revenue|win_rate|plan_pct|day|at");
	row_text(&out, "KPI", 1, line, sizeof(line));
	assert_string_equal(line, "Acme|1234567|750000.5|0.667|0.938|2026-11-26|2026-11-26 09:05:00");
	/* a cell that is not of its column's type stays as it was, text; a date alone in a date-time column is a date */
	row_text(&out, "KPI", 2, line, sizeof(line));
	assert_string_equal(line, "=HYPERLINK(\"http://evil\",\"x\")|12 345|n/a|||26.11.2026|2026-11-26");
	/* 2026 has no 29 February and no hour 25: text */
	row_text(&out, "KPI", 3, line, sizeof(line));
	assert_string_equal(line, "@SUM(A1:A2)|-5|-0.01|1|1|2026-02-29|2026-11-26 25:00");

	xml = part(&out, "xl/worksheets/sheet1.xml");
	/* no formula anywhere; the formula-looking texts are strings (inline, with constant memory) */
	assert_null(strstr(xml, "<f>"));
	assert_null(strstr(xml, "<f "));
	assert_non_null(strstr(xml, "t=\"inlineStr\"><is><t>=HYPERLINK"));
	assert_non_null(strstr(xml, "<t>@SUM(A1:A2)</t>"));
	/* numbers are number cells: B2 holds 1234567 with no type (n) */
	assert_non_null(strstr(xml, "<v>1234567</v>"));
	/* the header frozen below row 1, an autofilter over the table, column widths set */
	assert_non_null(strstr(xml, "<pane ySplit=\"1\" topLeftCell=\"A2\" activePane=\"bottomLeft\" state=\"frozen\"/>"));
	assert_non_null(strstr(xml, "<autoFilter ref=\"A1:G4\"/>"));
	assert_non_null(strstr(xml, "<cols>"));
	free(xml);
	styles = part(&out, "xl/styles.xml");
	assert_non_null(strstr(styles, "formatCode=\"#,##0.00\""));
	assert_non_null(strstr(styles, "formatCode=\"0.0%\""));
	assert_non_null(strstr(styles, "formatCode=\"yyyy-mm-dd\""));
	assert_non_null(strstr(styles, "formatCode=\"yyyy-mm-dd hh:mm:ss\""));
	/* BEHIND: kpi-report's HTML red on its light red */
	assert_non_null(strstr(styles, "FFB71C1C"));
	assert_non_null(strstr(styles, "FFFDE0E0"));
	free(styles);
	ls_buf_free(&out);
}

static void
test_sheet_names(void **state)
{
	static const struct {
		const char *in, *want;
	} cases[] = {
		{ "ivanov", "ivanov" },
		{ "a/b", "a_b" },
		{ "[x]:*?\\", "_x_____" },
		{ "'quoted'", "quoted" },
		{ "''", "_" },
		{ "", "_" },
		{ "tab\there", "tab_here" },
		{ "Иванов Иван Иванович, отдел продаж", "Иванов Иван Иванович, отдел про" },
		{ "1234567890123456789012345678901234", "1234567890123456789012345678901" },
	};
	const char *used[] = { "ivanov", "ИВАНОВ", "1234567890123456789012345678901" };
	char buf[LS_XLSXW_SHEET_NAME];

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		ls_xlsxw_sheet_name(cases[i].in, strlen(cases[i].in), NULL, 0, buf);
		assert_string_equal(buf, cases[i].want);
	}
	/* taken, case aside (Cyrillic too): a number replaces the end, within 31 characters */
	ls_xlsxw_sheet_name("IVANOV", 6, used, 3, buf);
	assert_string_equal(buf, "IVANOV~2");
	ls_xlsxw_sheet_name("иванов", strlen("иванов"), used, 3, buf);
	assert_string_equal(buf, "иванов~2");
	ls_xlsxw_sheet_name("12345678901234567890123456789012", 32, used, 3, buf);
	assert_string_equal(buf, "12345678901234567890123456789~2");
	used[0] = "IVANOV~2";
	ls_xlsxw_sheet_name("ivanov", 6, used, 1, buf);
	assert_string_equal(buf, "ivanov");
	used[1] = "ivanov";
	ls_xlsxw_sheet_name("Ivanov", 6, used, 2, buf);
	assert_string_equal(buf, "Ivanov~3");
}

static void
test_bad_sheets(void **state)
{
	struct ls_error err = { 0 };
	struct ls_buf out = { 0 };
	struct ls_xlsxw *w;
	char big[LS_XLSXW_MAX_CELL + 2];

	(void)state;
	assert_non_null(w = ls_xlsxw_new(&err));
	assert_int_equal(ls_xlsxw_sheet(w, "a/b", cols, NCOLS, &err), LS_EUSAGE);
	assert_string_equal(err.msg, "xlsx: sheet name 'a/b': holds one of []:*?/\\");
	assert_int_equal(ls_xlsxw_sheet(w, "12345678901234567890123456789012", cols, NCOLS, &err), LS_EUSAGE);
	assert_int_equal(ls_xlsxw_sheet(w, "x", cols, 0, &err), LS_EUSAGE);
	assert_int_equal(ls_xlsxw_sheet(w, "Ivanov", cols, NCOLS, &err), 0);
	assert_int_equal(ls_xlsxw_sheet(w, "IVANOV", cols, NCOLS, &err), LS_EUSAGE);
	assert_string_equal(err.msg, "xlsx: sheet names 'Ivanov' and 'IVANOV' differ only in case");
	/* a text longer than a cell holds: a data error naming the sheet, row and column */
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	assert_int_equal(ls_xlsxw_cell(w, 0, big, strlen(big), 0, &err), LS_EDATA);
	assert_string_equal(err.msg, "xlsx: sheet 'Ivanov', row 2, column 'company': 32768 characters (a cell holds 32767)");
	assert_int_equal(ls_xlsxw_cell(w, 0, big, LS_XLSXW_MAX_CELL, 0, &err), 0);
	assert_int_equal(ls_xlsxw_cell(w, NCOLS, "x", 1, 0, &err), LS_EUSAGE);
	ls_xlsxw_end(w);
	assert_int_equal(ls_xlsxw_close(w, &out, &err), 0);
	assert_int_equal(ls_xlsxw_close(w, &out, &err), LS_EUSAGE);
	/* a closed workbook takes no more sheets or cells */
	assert_int_equal(ls_xlsxw_sheet(w, "Later", cols, NCOLS, &err), LS_EUSAGE);
	assert_string_equal(err.msg, "xlsx: the workbook is closed");
	assert_int_equal(ls_xlsxw_cell(w, 0, "x", 1, 0, &err), LS_EUSAGE);
	assert_string_equal(err.msg, "xlsx: a cell outside the sheet's columns");
	ls_xlsxw_free(w);
	ls_buf_free(&out);

	/* Excel's other rules for a sheet's name */
	{
		static const struct { const char *name, *msg; } bad[] = {
			{ "", "xlsx: sheet name '': empty" },
			{ "a\tb", "xlsx: sheet name 'a\tb': holds a control character" },
			{ "'quoted", "xlsx: sheet name ''quoted': starts or ends with '" },
			{ "quoted'", "xlsx: sheet name 'quoted'': starts or ends with '" },
		};

		assert_non_null(w = ls_xlsxw_new(&err));
		for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
			assert_int_equal(ls_xlsxw_sheet(w, bad[i].name, cols, NCOLS, &err), LS_EUSAGE);
			assert_string_equal(err.msg, bad[i].msg);
		}
		/* ' inside a name is Excel's to allow */
		assert_int_equal(ls_xlsxw_sheet(w, "O'Brien", cols, NCOLS, &err), 0);
		ls_xlsxw_free(w);
	}

	/* a workbook without a sheet still gets the one Excel needs; free without close is clean */
	assert_non_null(w = ls_xlsxw_new(&err));
	assert_int_equal(ls_xlsxw_close(w, &out, &err), 0);
	ls_xlsxw_free(w);
	assert_true(out.n > 0);
	ls_buf_free(&out);
	assert_non_null(w = ls_xlsxw_new(&err));
	ls_xlsxw_free(w);
	ls_xlsxw_free(NULL);
}

/*
 * Every number format with every look in one sheet: 16 formats (text's
 * none included) by 8 looks, each made once.  The formats used to be kept
 * in a table of 64: the 65th pair failed its cell as "out of memory".
 */
static void
test_every_format(void **state)
{
	static const struct ls_xlsxw_col all[] = {
		{ "n0", LS_XLSXW_NUMBER, 0 }, { "n1", LS_XLSXW_NUMBER, 1 }, { "n2", LS_XLSXW_NUMBER, 2 },
		{ "n3", LS_XLSXW_NUMBER, 3 }, { "n4", LS_XLSXW_NUMBER, 4 }, { "n5", LS_XLSXW_NUMBER, 5 },
		{ "n6", LS_XLSXW_NUMBER, 9 }, { "p0", LS_XLSXW_PERCENT, 0 }, { "p1", LS_XLSXW_PERCENT, 1 },
		{ "p2", LS_XLSXW_PERCENT, 2 }, { "p3", LS_XLSXW_PERCENT, 3 }, { "p4", LS_XLSXW_RATIO, 6 },
		{ "d", LS_XLSXW_DATE, 0 }, { "dt", LS_XLSXW_DATETIME, 0 }, { "dur", LS_XLSXW_DURATION, 0 },
		{ "t", LS_XLSXW_TEXT, 0 },
	};
	static const char *const v[] = { "1", "1", "1", "1", "1", "1", "1", "1", "1", "1", "1", "0.5",
	    "2026-12-01", "2026-12-01T09:30:00", "90000", "x" };
	struct ls_error err = { 0 };
	struct ls_buf out = { 0 };
	struct ls_xlsxw *w;
	char row[400];

	(void)state;
	assert_non_null(w = ls_xlsxw_new(&err));
	assert_int_equal(ls_xlsxw_sheet(w, "All", all, 16, &err), 0);
	for (unsigned look = 0; look < 16; look++) {	/* 8..15: bits beyond the three looks ignored */
		for (size_t c = 0; c < 16; c++)
			if (ls_xlsxw_cell(w, c, v[c], strlen(v[c]), look, &err) != 0)
				fail_msg("look %u column %zu: %s", look, c, err.msg);
		ls_xlsxw_end(w);
	}
	assert_int_equal(ls_xlsxw_rows(w), 16);
	assert_int_equal(ls_xlsxw_close(w, &out, &err), 0);
	ls_xlsxw_free(w);
	row_text(&out, "All", 16, row, sizeof row);
	/* (the reader shows [h]:mm, 25:00 here, as a date-time: its rule for a time format) */
	assert_string_equal(row, "1|1|1|1|1|1|1|0.01|0.01|0.01|0.01|0.5|2026-12-01|2026-12-01 09:30:00|1900-01-01 01:00:00|x");
	ls_buf_free(&out);
}

/* A sheet holds 1048576 rows, the header's among them: the next is a data error. */
static void
test_max_rows(void **state)
{
	static const struct ls_xlsxw_col one[] = { { "n", LS_XLSXW_NUMBER, 0 } };
	struct ls_error err = { 0 };
	struct ls_xlsxw *w;

	(void)state;
	assert_non_null(w = ls_xlsxw_new(&err));
	assert_int_equal(ls_xlsxw_sheet(w, "Big", one, 1, &err), 0);
	/* rows of no cells take their line without a call into libxlsxwriter: a million of them is quick */
	for (size_t r = 1; r < LS_XLSXW_MAX_ROWS - 1; r++)
		assert_int_equal(ls_xlsxw_row(w, NULL, 0, &err), 0);
	assert_int_equal(ls_xlsxw_cell(w, 0, "7", 1, 0, &err), 0);
	ls_xlsxw_end(w);
	assert_int_equal(ls_xlsxw_rows(w), LS_XLSXW_MAX_ROWS - 1);
	assert_int_equal(ls_xlsxw_cell(w, 0, "8", 1, 0, &err), LS_EDATA);
	assert_string_equal(err.msg, "xlsx: sheet 'Big': more than 1048575 rows (a sheet's most)");
	ls_xlsxw_free(w);
}

/* No folder for the temporary file; standard output that fails. */
static void
test_io_fails(void **state)
{
	struct ls_error err = { 0 };
	const char *old = getenv("TMPDIR");
	char *save = old ? strdup(old) : NULL;
	FILE *full;

	(void)state;
	setenv("TMPDIR", "/nonexistent-dir", 1);
	assert_null(ls_xlsxw_new(&err));
	assert_int_equal(err.status, LS_EIO);
	assert_int_equal(strncmp(err.file, "/nonexistent-dir/libsales-xlsx-", 31), 0);
	assert_string_equal(err.msg, "No such file or directory");
	if (save) {
		setenv("TMPDIR", save, 1);
		free(save);
	} else
		unsetenv("TMPDIR");
	/* the disk full under standard output: the write's error, named "stdout" */
	if ((full = fopen("/dev/full", "w")) == NULL) {
		skip();
		return;
	}
	assert_int_equal(ls_xlsxw_output(NULL, full, "PK", 2, &err), LS_EIO);
	assert_string_equal(err.file, "stdout");
	assert_string_equal(err.msg, "No space left on device");
	fclose(full);
}

static void
test_table(void **state)
{
	static const struct ls_xlsxw_col types[] = {
		{ "seq", LS_XLSXW_NUMBER, 0 }, { "ts", LS_XLSXW_DATETIME, 0 }, { NULL, LS_XLSXW_TEXT, 0 }
	};
	static const char tsv[] = "seq\tts\ttext\n1\t2026-11-26T09:05:00+03:00\ttwo\\nlines\n"
	    "2\t\t+79161234567\n";
	struct ls_error err = { 0 };
	struct ls_buf out = { 0 };
	char line[256], *xml;

	(void)state;
	assert_int_equal(ls_xlsxw_table("events", tsv, sizeof(tsv) - 1, types, &out, &err), 0);
	row_text(&out, "events", 1, line, sizeof(line));
	assert_string_equal(line, "1|2026-11-26 09:05:00|two\nlines");
	row_text(&out, "events", 2, line, sizeof(line));
	/* a phone in an untyped column stays a string: its + and its digits */
	assert_string_equal(line, "2||+79161234567");
	xml = part(&out, "xl/worksheets/sheet1.xml");
	assert_non_null(strstr(xml, "<t>+79161234567</t>"));
	free(xml);
	ls_buf_free(&out);
	/* nothing: an empty workbook, not an error */
	assert_int_equal(ls_xlsxw_table("events", "", 0, types, &out, &err), 0);
	assert_true(out.n > 0);
	ls_buf_free(&out);
}

static void
test_paths(void **state)
{
	struct ls_error err = { 0 };

	(void)state;
	assert_true(ls_xlsxw_path("kpi.xlsx"));
	assert_true(ls_xlsxw_path("out/KPI.XLSX"));
	assert_false(ls_xlsxw_path(".xlsx"));
	assert_false(ls_xlsxw_path("kpi.xls"));
	assert_false(ls_xlsxw_path("kpi.xlsx.csv"));
	assert_false(ls_xlsxw_path(NULL));
	assert_int_equal(ls_xlsxw_output_check("x.xlsx", stdout, &err), 0);
}

/* Standard output on a terminal (a pseudo-terminal here): refused, unless -o names a file. */
static void
test_terminal(void **state)
{
	struct ls_error err = { 0 };
	int master;
	FILE *tty;

	(void)state;
	if ((master = posix_openpt(O_RDWR | O_NOCTTY)) < 0 || grantpt(master) != 0 || unlockpt(master) != 0) {
		skip();
		return;
	}
	assert_non_null(tty = fopen(ptsname(master), "w"));
	assert_int_equal(ls_xlsxw_output_check(NULL, tty, &err), LS_EUSAGE);
	assert_string_equal(err.msg, "an .xlsx workbook is not for a terminal: give -o FILE.xlsx or redirect the output");
	assert_int_equal(ls_xlsxw_output_check("-", tty, &err), LS_EUSAGE);
	assert_int_equal(ls_xlsxw_output_check("kpi.xlsx", tty, &err), 0);
	fclose(tty);
	close(master);
}

static void
test_file_names(void **state)
{
	static const struct {
		const char *in, *want;
	} cases[] = {
		{ "ivanov", "ivanov.csv" },
		{ "../evil", "_._evil.csv" },
		{ "..", "_..csv" },
		{ ".hidden", "_hidden.csv" },
		{ "a/b\\c", "a_b_c.csv" },
		{ "con:x*?\"<>|", "con_x______.csv" },
		{ "", "_.csv" },
		{ "line\nbreak", "line_break.csv" },
		{ "Пётр", "Пётр.csv" },
	};
	const char *used[] = { "a_b.csv", "ПЁТР.csv" };
	char buf[LS_SPLIT_NAME], longname[400];

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		ls_split_file_name(cases[i].in, strlen(cases[i].in), ".csv", NULL, 0, buf);
		assert_string_equal(buf, cases[i].want);
	}
	ls_split_file_name("a/b", 3, ".csv", used, 2, buf);
	assert_string_equal(buf, "a_b~2.csv");
	ls_split_file_name("пётр", strlen("пётр"), ".csv", used, 2, buf);
	assert_string_equal(buf, "пётр~2.csv");
	/* at most 200 bytes before the ending, cut at a whole character */
	for (size_t i = 0; i + 2 <= 398; i += 2)
		memcpy(longname + i, "я", 2);
	ls_split_file_name(longname, 398, ".tsv", NULL, 0, buf);
	assert_int_equal(strlen(buf), 200 + 4);
	assert_string_equal(buf + 200, ".tsv");
}

/* The split into files: a CSV per key in a folder made for it, and an .xlsx with a sheet per key. */
static void
test_split(void **state)
{
	static const char *const h[] = { "lead_id", "company", "manager" };
	static const char *const rows[][3] = {
		{ "L1", "=cmd|' /C calc'!A0", "../up" }, { "L2", "b", "ivanov" }, { "L3", "c", "../up" },
	};
	char dir[] = "/tmp/test_xlsx_write.XXXXXX", path[256], text[512], line[256];
	struct ls_split_opts o = { .wo = { .format = LS_FMT_CSV } };
	struct ls_str hv[3], rv[3];
	struct ls_error err = { 0 };
	struct ls_split *sp;
	struct ls_buf wb = { 0 };
	FILE *fp;
	size_t n;

	(void)state;
	assert_non_null(mkdtemp(dir));
	for (int c = 0; c < 3; c++)
		hv[c] = (struct ls_str){ h[c], strlen(h[c]) };
	for (int xlsx = 0; xlsx < 2; xlsx++) {
		snprintf(path, sizeof(path), "%s/%s", dir, xlsx ? "leads.xlsx" : "out");
		o.path = path;
		o.xlsx = xlsx;
		assert_non_null(sp = ls_split_new(&o, hv, 3, &err));
		for (int r = 0; r < 3; r++) {
			for (int c = 0; c < 3; c++)
				rv[c] = (struct ls_str){ rows[r][c], strlen(rows[r][c]) };
			assert_int_equal(ls_split_row(sp, rows[r][2], strlen(rows[r][2]), rv, &err), 0);
		}
		assert_int_equal(ls_split_count(sp), 2);
		assert_string_equal(ls_split_key(sp, 0), "../up");
		assert_string_equal(ls_split_name(sp, 0), xlsx ? ".._up" : "_._up.csv");
		assert_int_equal(ls_split_rows(sp, 0), 2);
		/* nothing in place before the commit */
		snprintf(text, sizeof(text), "%s/%s", path, "ivanov.csv");
		assert_int_equal(access(xlsx ? path : text, F_OK), -1);
		assert_int_equal(ls_split_commit(sp, &err), 0);
		ls_split_free(sp);
	}
	snprintf(path, sizeof(path), "%s/out/_._up.csv", dir);
	assert_non_null(fp = fopen(path, "r"));
	n = fread(text, 1, sizeof(text) - 1, fp);
	text[n] = '\0';
	fclose(fp);
	assert_string_equal(text, "lead_id,company,manager\nL1,=cmd|' /C calc'!A0,../up\nL3,c,../up\n");
	/* the sheet: the formula-looking company a string, read back as it was */
	snprintf(path, sizeof(path), "%s/leads.xlsx", dir);
	assert_non_null(fp = fopen(path, "rb"));
	while ((n = fread(text, 1, sizeof(text), fp)) > 0)
		assert_int_equal(ls_buf_put(&wb, text, n), 0);
	fclose(fp);
	row_text(&wb, ".._up", 1, line, sizeof(line));
	assert_string_equal(line, "L1|=cmd|' /C calc'!A0|../up");
	row_text(&wb, "ivanov", 1, line, sizeof(line));
	assert_string_equal(line, "L2|b|ivanov");
	ls_buf_free(&wb);
	snprintf(path, sizeof(path), "rm -rf '%s'", dir);
	assert_int_equal(system(path), 0);
}

/*
 * A split that cannot be made: its folder's parent missing; a part's file
 * name taken by a folder; an .xlsx split with no room for libxlsxwriter's
 * temporary file (nothing written in place); an .xlsx split of no rows
 * (no workbook).
 */
static void
test_split_fails(void **state)
{
	char dir[] = "/tmp/test_xlsx_write.XXXXXX", path[256], cmd[300];
	struct ls_split_opts o = { .wo = { .format = LS_FMT_CSV } };
	struct ls_str hv[1] = { { "manager", 7 } }, rv[1] = { { "ivanov", 6 } };
	struct ls_error err = { 0 };
	struct ls_split *sp;
	const char *old = getenv("TMPDIR");
	char *save = old ? strdup(old) : NULL;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/no/out", dir);
	o.path = path;
	assert_null(ls_split_new(&o, hv, 1, &err));
	assert_int_equal(err.status, LS_EIO);
	assert_string_equal(err.file, path);
	assert_string_equal(err.msg, "No such file or directory");

	snprintf(path, sizeof(path), "%s/out/ivanov.csv", dir);
	snprintf(cmd, sizeof(cmd), "mkdir -p '%s'", path);
	assert_int_equal(system(cmd), 0);
	snprintf(path, sizeof(path), "%s/out", dir);
	assert_non_null(sp = ls_split_new(&o, hv, 1, &err));
	/* the part is written beside its name, and refused when it is renamed onto the folder */
	assert_int_equal(ls_split_row(sp, "ivanov", 6, rv, &err), 0);
	assert_int_equal(ls_split_commit(sp, &err), LS_EIO);
	snprintf(path, sizeof(path), "%s/out/ivanov.csv", dir);
	assert_string_equal(err.file, path);
	assert_string_equal(err.msg, "cannot rename into place: Is a directory");
	ls_split_free(sp);

	snprintf(path, sizeof(path), "%s/leads.xlsx", dir);
	o.xlsx = 1;
	assert_non_null(sp = ls_split_new(&o, hv, 1, &err));
	assert_int_equal(ls_split_commit(sp, &err), 0);
	assert_int_equal(access(path, F_OK), -1);	/* no rows, no workbook */
	ls_split_free(sp);
	assert_non_null(sp = ls_split_new(&o, hv, 1, &err));
	assert_int_equal(ls_split_row(sp, "ivanov", 6, rv, &err), 0);
	setenv("TMPDIR", "/nonexistent-dir", 1);
	assert_int_equal(ls_split_commit(sp, &err), LS_EIO);
	assert_string_equal(err.msg, "No such file or directory");
	assert_int_equal(access(path, F_OK), -1);
	if (save) {
		setenv("TMPDIR", save, 1);
		free(save);
	} else
		unsetenv("TMPDIR");
	ls_split_free(sp);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_typed_cells),
		cmocka_unit_test(test_sheet_names),
		cmocka_unit_test(test_bad_sheets),
		cmocka_unit_test(test_every_format),
		cmocka_unit_test(test_max_rows),
		cmocka_unit_test(test_io_fails),
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_paths),
		cmocka_unit_test(test_terminal),
		cmocka_unit_test(test_file_names),
		cmocka_unit_test(test_split),
		cmocka_unit_test(test_split_fails),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
