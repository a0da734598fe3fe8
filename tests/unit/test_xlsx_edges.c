/*
 * test_xlsx_edges.c - the .xlsx reader (xlsx.c, xlsx_part.c) over workbooks
 * made here, part by part, in memory: the package's missing and broken
 * parts, the sheet's limits (rows, columns, a cell's length), cells that
 * name what is not there, prefixed XML, phonetic runs.  Each case says
 * exactly what the reader must answer; the workbooks Excel and LibreOffice
 * write are read in tests/cli/shared/xlsx-*.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

#include "buf.h"
#include "error.h"
#include "xlsx.h"

/* a part of the package: its name and its text (NULL: left out) */
struct part {
	const char *name, *text;
};

static const char ROOT_RELS[] =
    "<?xml version=\"1.0\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
    "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\""
    " Target=\"xl/workbook.xml\"/></Relationships>";
static const char WORKBOOK[] =
    "<workbook xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">"
    "<sheets><sheet name=\"Leads\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>";
static const char WB_RELS[] =
    "<Relationships>"
    "<Relationship Id=\"rId1\" Type=\"http://x/relationships/worksheet\" Target=\"worksheets/sheet1.xml\"/>"
    "<Relationship Id=\"rId2\" Type=\"http://x/relationships/styles\" Target=\"styles.xml\"/>"
    "<Relationship Id=\"rId3\" Type=\"http://x/relationships/sharedStrings\" Target=\"sharedStrings.xml\"/>"
    "</Relationships>";
/* xf 0: general; xf 1: a date (built-in 14) */
static const char STYLES[] =
    "<styleSheet><cellXfs count=\"2\"><xf numFmtId=\"0\"/><xf numFmtId=\"14\"/></cellXfs></styleSheet>";
static const char SST[] = "<sst><si><t>company</t></si><si><t>phone</t></si></sst>";

/*
 * The workbook: the default parts above, each replaced by the one of the
 * same name in over[] (a NULL text leaves the part out), then the sheet.
 * Stored, not deflated, so that a test can find a part's bytes and spoil them.
 */
static void *
workbook(const char *sheet, const struct part *over, size_t nover, size_t *size)
{
	struct part parts[] = {
		{ "_rels/.rels", ROOT_RELS }, { "xl/workbook.xml", WORKBOOK },
		{ "xl/_rels/workbook.xml.rels", WB_RELS }, { "xl/styles.xml", STYLES },
		{ "xl/sharedStrings.xml", SST }, { "xl/worksheets/sheet1.xml", sheet },
	};
	zip_error_t ze;
	zip_source_t *src;
	zip_t *z;
	zip_stat_t st;
	void *out;

	for (size_t i = 0; i < nover; i++)
		for (size_t k = 0; k < sizeof parts / sizeof parts[0]; k++)
			if (strcmp(parts[k].name, over[i].name) == 0)
				parts[k].text = over[i].text;
	zip_error_init(&ze);
	assert_non_null(src = zip_source_buffer_create(NULL, 0, 0, &ze));
	assert_non_null(z = zip_open_from_source(src, ZIP_TRUNCATE, &ze));
	zip_source_keep(src);
	for (size_t k = 0; k < sizeof parts / sizeof parts[0]; k++) {
		zip_source_t *s;
		zip_int64_t i;

		if (parts[k].text == NULL)
			continue;
		assert_non_null(s = zip_source_buffer(z, parts[k].text, strlen(parts[k].text), 0));
		assert_true((i = zip_file_add(z, parts[k].name, s, 0)) >= 0);
		assert_int_equal(zip_set_file_compression(z, (zip_uint64_t)i, ZIP_CM_STORE, 0), 0);
	}
	assert_int_equal(zip_close(z), 0);
	assert_int_equal(zip_source_stat(src, &st), 0);
	assert_non_null(out = malloc(st.size));
	assert_int_equal(zip_source_open(src), 0);
	assert_int_equal(zip_source_read(src, out, st.size), (zip_int64_t)st.size);
	zip_source_close(src);
	zip_source_free(src);
	zip_error_fini(&ze);
	*size = st.size;
	return out;
}

/* a sheet of rows (the text inside <sheetData>) */
static char *
sheet_of(const char *rows)
{
	struct ls_buf b = { 0 };

	assert_int_equal(ls_buf_printf(&b, "<worksheet><sheetData>%s</sheetData></worksheet>", rows), 0);
	return b.p;
}

/* Open a workbook of rows; NULL with err filled when the open fails. */
static struct ls_xlsx *
open_rows(const char *rows, const struct part *over, size_t nover, void **mem, struct ls_error *err)
{
	char *sheet = rows ? sheet_of(rows) : NULL;
	size_t n;
	struct ls_xlsx *x;

	*mem = workbook(sheet, over, nover, &n);
	free(sheet);
	x = ls_xlsx_open_mem(*mem, n, "book.xlsx", NULL, err);
	return x;
}

/* The whole sheet as text, a line per record ("!message" for a row refused); the last error in err. */
static char *
read_all(struct ls_xlsx *x, struct ls_error *err)
{
	struct ls_buf b = { 0 };
	struct ls_record rec;
	int rc;

	assert_int_equal(ls_buf_puts(&b, ""), 0);
	while ((rc = ls_xlsx_next(x, &rec, err)) != 0) {
		if (rc < 0) {
			assert_int_equal(ls_buf_printf(&b, "!%s\n", err->msg), 0);
			if (err->status != LS_EDATA)
				break;	/* final */
			continue;
		}
		assert_int_equal(ls_buf_printf(&b, "%ld:", rec.line), 0);
		for (size_t i = 0; i < rec.nfields; i++)
			assert_int_equal(ls_buf_printf(&b, "%s%.*s", i ? "|" : "", (int)rec.fields[i].n,
			    rec.fields[i].p), 0);
		assert_int_equal(ls_buf_puts(&b, "\n"), 0);
	}
	return b.p;
}

static void
expect_sheet(const char *rows, const char *want)
{
	struct ls_error err = { 0 };
	void *mem;
	struct ls_xlsx *x = open_rows(rows, NULL, 0, &mem, &err);
	char *got;

	if (x == NULL)
		fail_msg("open: %s", err.msg);
	got = read_all(x, &err);
	if (strcmp(got, want) != 0)
		fail_msg("rows %.200s:\ngot\n%s\nwant\n%s", rows, got, want);
	free(got);
	ls_xlsx_free(x);
	free(mem);
}

static void
expect_open_fails(const struct part *over, size_t nover, int status, const char *msg)
{
	struct ls_error err = { 0 };
	void *mem;
	struct ls_xlsx *x = open_rows("<row r=\"1\"><c t=\"inlineStr\"><is><t>a</t></is></c></row>", over,
	    nover, &mem, &err);

	assert_null(x);
	assert_int_equal(err.status, status);
	if (strcmp(err.msg, msg) != 0)
		fail_msg("got '%s', want '%s'", err.msg, msg);
	free(mem);
}

#define IS(v) "<c t=\"inlineStr\"><is><t>" v "</t></is></c>"
#define HEAD "<row r=\"1\">" IS("a") IS("b") "</row>"

/* Prefixed elements and attributes (a namespace prefix on each) read as unprefixed ones. */
static void
test_prefixed(void **state)
{
	(void)state;
	expect_sheet("<x:row r=\"1\"><x:c t=\"inlineStr\"><x:is><x:t>a</x:t></x:is></x:c>"
	    "<x:c t=\"inlineStr\"><x:is><x:t>b</x:t></x:is></x:c></x:row>"
	    "<x:row r=\"2\"><x:c><x:f>1+1</x:f><x:v>2</x:v></x:c><x:c x:s=\"1\"><x:v>46357</x:v></x:c>"
	    "<x:ext><x:cv/></x:ext></x:row>",
	    "1:a|b\n2:2|2026-12-01\n");
}

/*
 * A cell's text: the phonetic run of an inline string left out; a type
 * longer than any Excel writes is read as text; a style written with a
 * sign or blanks read as atol() reads it; attributes other than r, s and t
 * (cm, prefixed ones) ignored.
 */
static void
test_cell_text(void **state)
{
	(void)state;
	expect_sheet(HEAD "<row r=\"2\"><c r=\"A2\" cm=\"1\" t=\"inlineStr\"><is><t>漢字</t><rPh sb=\"0\" eb=\"2\">"
	    "<t>かんじ</t></rPh></is></c><c t=\"someNewerType\"><v>as is</v></c></row>"
	    "<row r=\"3\"><c s=\"+1\"><v>46357</v></c><c s=\"00000000001\"><v>46358</v></c></row>",
	    "1:a|b\n2:漢字|as is\n3:2026-12-01|2026-12-02\n");
}

/* An empty shared string is an empty cell: in the header, a column without a name. */
static void
test_empty_shared_string(void **state)
{
	static const struct part sst = { "xl/sharedStrings.xml", "<sst><si><t>company</t></si><si/></sst>" };
	struct ls_error err = { 0 };
	void *mem;
	struct ls_xlsx *x = open_rows("<row r=\"1\"><c t=\"s\"><v>0</v></c><c t=\"s\"><v>1</v></c>" IS("x") "</row>"
	    "<row r=\"2\"><c t=\"s\"><v>1</v></c>" IS("y") "</row>", &sst, 1, &mem, &err);
	char *got;

	(void)state;
	assert_non_null(x);
	got = read_all(x, &err);
	assert_string_equal(got, "1:company||x\n2:|y|\n");
	free(got);
	ls_xlsx_free(x);
	free(mem);
}

/* Cells that name what is not there: the row refused with the first of its errors, the next read. */
static void
test_bad_cells(void **state)
{
	(void)state;
	expect_sheet(HEAD
	    "<row r=\"2\"><c t=\"s\"><v>2</v></c><c t=\"s\"><v>x</v></c></row>"
	    "<row r=\"3\"><c t=\"s\"><v> 1</v></c><c t=\"s\"><v>0</v></c></row>"
	    "<row r=\"4\"><c><v>12,5</v></c></row>"
	    "<row r=\"5\"><c r=\"XFD5\"><v>1</v></c></row>"
	    "<row r=\"abc\"><c><v>1</v></c></row>"
	    "<row r=\"+7\"><c><v>7</v></c></row>",
	    "1:a|b\n"
	    "!sheet 'Leads' row 2: cell A2: no shared string 2 (the table holds 2)\n"
	    "3:phone|company\n"
	    "!sheet 'Leads' row 4: cell A4: '12,5' is not a number\n"
	    "!sheet 'Leads' row 5: cell XFD5 beyond the header's 2 columns\n"
	    "!sheet 'Leads' row 6: row number 'abc' outside 1..1048576\n"
	    "7:7|\n");
}

/* The sheet's last row and column: a row past 1048576, a cell past XFD. */
static void
test_limits(void **state)
{
	(void)state;
	expect_sheet(HEAD "<row r=\"1048576\"><c><v>1</v></c></row><row><c><v>2</v></c></row>",
	    "1:a|b\n1048576:1|\n!sheet 'Leads' row 1048576: more than 1048576 rows\n");
	expect_sheet("<row r=\"1\"><c r=\"XFC1\" t=\"inlineStr\"><is><t>a</t></is></c>"
	    "<c t=\"inlineStr\"><is><t>b</t></is></c><c t=\"inlineStr\"><is><t>c</t></is></c></row>",
	    "!sheet 'Leads' row 1: more than 16384 columns (XFD)\n");
}

/* A cell of more than 1 MiB of text is refused (its row), the sheet read on. */
static void
test_long_cell(void **state)
{
	size_t n = ((size_t)1 << 20) + 1;
	char *big = malloc(n + 1);
	struct ls_buf rows = { 0 };

	(void)state;
	assert_non_null(big);
	memset(big, 'x', n);
	big[n] = '\0';
	assert_int_equal(ls_buf_printf(&rows, HEAD "<row r=\"2\"><c t=\"inlineStr\"><is><t>%s</t></is></c></row>"
	    "<row r=\"3\">" IS("ok") "</row>", big), 0);
	expect_sheet(rows.p, "1:a|b\n!sheet 'Leads' row 2: cell A2 longer than 1 MiB\n3:ok|\n");
	/* exactly 1 MiB is a cell */
	big[n - 1] = '\0';
	rows.n = 0;
	assert_int_equal(ls_buf_printf(&rows, HEAD "<row r=\"2\"><c t=\"inlineStr\"><is><t>%s</t></is></c>"
	    "</row>", big), 0);
	{
		struct ls_error err = { 0 };
		struct ls_record rec;
		void *mem;
		struct ls_xlsx *x = open_rows(rows.p, NULL, 0, &mem, &err);

		assert_non_null(x);
		assert_int_equal(ls_xlsx_ncols(x), 0);
		assert_int_equal(ls_xlsx_next(x, &rec, &err), 1);
		assert_int_equal(ls_xlsx_ncols(x), 2);
		assert_int_equal(ls_xlsx_next(x, &rec, &err), 1);
		assert_int_equal(rec.fields[0].n, n - 1);
		assert_int_equal(ls_xlsx_next(x, &rec, &err), 0);
		ls_xlsx_free(x);
		free(mem);
	}
	free(big);
	ls_buf_free(&rows);
}

/* An error in the header row is final: told by that call and every later one. */
static void
test_header_error(void **state)
{
	struct ls_error err = { 0 }, again = { 0 };
	struct ls_record rec;
	void *mem;
	struct ls_xlsx *x = open_rows("<row r=\"1\"><c t=\"s\"><v>9</v></c></row><row r=\"2\">" IS("x") "</row>",
	    NULL, 0, &mem, &err);

	(void)state;
	assert_non_null(x);
	assert_int_equal(ls_xlsx_next(x, &rec, &err), -1);
	assert_int_equal(err.status, LS_EIO);
	assert_string_equal(err.msg, "sheet 'Leads' row 1: cell A1: no shared string 9 (the table holds 2)");
	assert_int_equal(ls_xlsx_next(x, &rec, &again), -1);
	assert_string_equal(again.msg, err.msg);
	assert_int_equal(ls_xlsx_next(x, &rec, NULL), -1);
	ls_xlsx_free(x);
	free(mem);
}

/* The package's parts missing, broken or pointing nowhere: LS_EIO naming the part. */
static void
test_package(void **state)
{
	static const struct { struct part p; const char *msg; } t[] = {
		{ { "_rels/.rels", NULL }, "_rels/.rels: part missing from the workbook" },
		{ { "xl/workbook.xml", "<workbook><sheets>" },
		    "xl/workbook.xml: broken XML at line 1: no element found" },
		{ { "xl/workbook.xml", "<workbook><sheets><sheet name=\"NoId\"/></sheets></workbook>" },
		    "xl/workbook.xml: the workbook lists no sheet" },
		{ { "xl/workbook.xml", "<workbook xmlns:r=\"r\"><sheets><sheet name=\"S\" r:id=\"rId9\"/></sheets></workbook>" },
		    "sheet 'S': no relationship rId9 in the workbook's rels" },
		{ { "xl/_rels/workbook.xml.rels", NULL }, "xl/_rels/workbook.xml.rels: part missing from the workbook" },
		{ { "xl/styles.xml", NULL }, "xl/styles.xml: part missing from the workbook" },
		{ { "xl/styles.xml", "<styleSheet><cellXfs>" }, "xl/styles.xml: broken XML at line 1: no element found" },
		{ { "xl/sharedStrings.xml", "<sst><si>" },
		    "xl/sharedStrings.xml: broken XML at line 1: no element found" },
		{ { "xl/sharedStrings.xml", "<!DOCTYPE sst [<!ENTITY e \"x\">]><sst/>" },
		    "xl/sharedStrings.xml: DOCTYPE or entity declaration refused (no .xlsx part has one)" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
		expect_open_fails(&t[i].p, 1, LS_EIO, t[i].msg);
}

/* A part whose bytes were spoiled in the archive: its CRC says so when it is read. */
static void
test_broken_part(void **state)
{
	struct ls_error err = { 0 };
	size_t n;
	char *sheet = sheet_of(HEAD "<row r=\"2\">" IS("SPOIL") "</row>");
	char *mem = workbook(sheet, NULL, 0, &n), *p, *got;
	struct ls_xlsx *x;

	(void)state;
	for (p = mem; p + 5 <= mem + n && memcmp(p, "SPOIL", 5) != 0; p++)
		;
	assert_true(p + 5 <= mem + n);	/* stored: the text is there as it was written */
	p[0] = 'Z';
	assert_non_null(x = ls_xlsx_open_mem(mem, n, "book.xlsx", NULL, &err));
	/* the sheet is parsed as it inflates: what came before the CRC's check at its end is read */
	got = read_all(x, &err);
	assert_string_equal(got, "1:a|b\n2:ZPOIL|\n!xl/worksheets/sheet1.xml: broken archive: CRC error\n");
	assert_int_equal(err.status, LS_EIO);
	free(got);
	ls_xlsx_free(x);
	free(mem);
	free(sheet);
}

/* More relationships, or sheets, than any workbook has: refused, not grown without end. */
static void
test_counts(void **state)
{
	struct ls_buf b = { 0 };
	struct part p;

	(void)state;
	assert_int_equal(ls_buf_puts(&b, "<Relationships>"), 0);
	for (int i = 0; i <= 100000; i++)
		assert_int_equal(ls_buf_printf(&b, "<Relationship Id=\"r%d\" Target=\"t\"/>", i), 0);
	assert_int_equal(ls_buf_puts(&b, "</Relationships>"), 0);
	p = (struct part){ "xl/_rels/workbook.xml.rels", b.p };
	expect_open_fails(&p, 1, LS_EIO, "xl/_rels/workbook.xml.rels: more than 100000 relationships");
	b.n = 0;
	assert_int_equal(ls_buf_puts(&b, "<workbook xmlns:r=\"r\"><sheets>"), 0);
	for (int i = 0; i <= 100000; i++)
		assert_int_equal(ls_buf_printf(&b, "<sheet name=\"s%d\" r:id=\"rId1\"/>", i), 0);
	assert_int_equal(ls_buf_puts(&b, "</sheets></workbook>"), 0);
	p = (struct part){ "xl/workbook.xml", b.p };
	expect_open_fails(&p, 1, LS_EIO, "xl/workbook.xml: more than 100000 sheets");
	/* more cell formats than 2^20 (number formats have the same bound: not made here, 40 MB of XML) */
	b.n = 0;
	assert_int_equal(ls_buf_puts(&b, "<styleSheet><cellXfs>"), 0);
	for (long i = 0; i <= 1L << 20; i++)
		assert_int_equal(ls_buf_puts(&b, "<xf/>"), 0);
	assert_int_equal(ls_buf_puts(&b, "</cellXfs></styleSheet>"), 0);
	p = (struct part){ "xl/styles.xml", b.p };
	expect_open_fails(&p, 1, LS_EIO, "xl/styles.xml: too many cell formats, or out of memory");
	ls_buf_free(&b);
}

/* Not a zip at all. */
static void
test_not_zip(void **state)
{
	struct ls_error err = { 0 };
	static const char text[] = "a,b\n1,2\n";

	(void)state;
	assert_null(ls_xlsx_open_mem(text, sizeof text - 1, "plain.xlsx", NULL, &err));
	assert_int_equal(err.status, LS_EIO);
	assert_string_equal(err.file, "plain.xlsx");
	assert_string_equal(err.msg, "not an .xlsx workbook (Not a zip archive)");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_prefixed),
		cmocka_unit_test(test_cell_text),
		cmocka_unit_test(test_empty_shared_string),
		cmocka_unit_test(test_bad_cells),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_long_cell),
		cmocka_unit_test(test_header_error),
		cmocka_unit_test(test_package),
		cmocka_unit_test(test_broken_part),
		cmocka_unit_test(test_counts),
		cmocka_unit_test(test_not_zip),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
