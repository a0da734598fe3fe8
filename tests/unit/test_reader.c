/* test_reader.c - the reader's parts through its public API (record.h): the input side
 * (reader_input.c: files, stdin, BOM, encodings), line ends (reader_lines.c), the memchr
 * split (reader_split.c), quoted lines through libcsv (reader_libcsv.c) and the reading
 * thread (reader_thread.c): every table case read four ways gives the same records. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "error.h"
#include "record.h"
#include "scan.h"

/* The records of a reader as text: "LINE:f1|f2\n" per record, "LINE!message\n" per data error. */
static char *
dump(struct ls_reader *r)
{
	static char out[1 << 19];
	size_t len = 0;
	struct ls_record rec;
	struct ls_error err;
	int rc;

	out[0] = '\0';
	for (;;) {
		memset(&err, 0, sizeof err);
		rc = ls_reader_next(r, &rec, &err);
		if (rc == 0)
			break;
		if (rc < 0) {
			len += (size_t)snprintf(out + len, sizeof out - len, "%ld!%s\n", err.line, err.msg);
			if (err.status != LS_EDATA)
				break;
			continue;
		}
		len += (size_t)snprintf(out + len, sizeof out - len, "%ld:", rec.line);
		for (size_t i = 0; i < rec.nfields; i++) {
			assert_int_equal(rec.fields[i].p[rec.fields[i].n], '\0');
			len += (size_t)snprintf(out + len, sizeof out - len, "%s%.*s", i ? "|" : "",
			    (int)rec.fields[i].n, rec.fields[i].p);
		}
		len += (size_t)snprintf(out + len, sizeof out - len, "\n");
	}
	return out;
}

static char *
header(struct ls_reader *r)
{
	static char out[1024];
	size_t len = 0;
	const struct ls_str *h = ls_reader_header(r);

	out[0] = '\0';
	for (size_t i = 0; i < ls_reader_ncols(r); i++)
		len += (size_t)snprintf(out + len, sizeof out - len, "%s%.*s", i ? "|" : "", (int)h[i].n, h[i].p);
	return out;
}

struct rd_case {
	const char *name;
	const char *in;
	size_t n;		/* 0: strlen(in) */
	enum ls_format fmt;
	char delim;
	const char *hdr;	/* the header as read */
	const char *want;	/* dump() */
	char want_delim;
};

#define CSV	LS_FMT_AUTO
static const struct rd_case cases[] = {
	{ "plain", "a,b\n1,2\n3,4\n", 0, CSV, 0, "a|b", "2:1|2\n3:3|4\n", ',' },
	{ "no final line end", "a,b\n1,2\n3,4", 0, CSV, 0, "a|b", "2:1|2\n3:3|4\n", ',' },
	{ "header only", "a,b\n", 0, CSV, 0, "a|b", "", ',' },
	{ "CRLF", "a,b\r\n1,2\r\n3,4\r\n", 0, CSV, 0, "a|b", "2:1|2\n3:3|4\n", ',' },
	{ "CR only", "a,b\r1,2\r3,4\r", 0, CSV, 0, "a|b", "2:1|2\n3:3|4\n", ',' },
	{ "blank lines skipped, lines counted", "a,b\n\n1,2\n\n\n3,4\n", 0, CSV, 0, "a|b", "3:1|2\n6:3|4\n", ',' },
	{ "BOM dropped", "\xef\xbb\xbf" "a,b\n1,2\n", 0, CSV, 0, "a|b", "2:1|2\n", ',' },
	{ "spaces are data", "a,b\n 1 , 2 \n", 0, CSV, 0, "a|b", "2: 1 | 2 \n", ',' },
	{ "empty fields", "a,b,c\n,,\n1,,3\n", 0, CSV, 0, "a|b|c", "2:||\n3:1||3\n", ',' },
	{ "quoted comma and quote", "a,b\n\"x,y\",\"say \"\"hi\"\"\"\n", 0, CSV, 0, "a|b", "2:x,y|say \"hi\"\n", ',' },
	{ "quoted line end: one record, two lines", "a,b\n\"1\n2\",3\n4,5\n", 0, CSV, 0, "a|b", "2:1\n2|3\n4:4|5\n", ',' },
	{ "semicolon found", "a;b;c\n1;2,5;3\n", 0, CSV, 0, "a|b|c", "2:1|2,5|3\n", ';' },
	{ "tab found in CSV", "a\tb\n1\t2\n", 0, CSV, 0, "a|b", "2:1|2\n", '\t' },
	{ "pipe found", "a|b\n1|2\n", 0, CSV, 0, "a|b", "2:1|2\n", '|' },
	{ "delimiter given", "a;b\n1;2\n", 0, CSV, ';', "a|b", "2:1|2\n", ';' },
	{ "TSV escapes", "a\tb\nx\\ty\tl1\\nl2\\\\\n", 0, LS_FMT_TSV, 0, "a|b", "2:x\ty|l1\nl2\\\n", '\t' },
	{ "TSV quotes are text", "a\tb\n\"q\"\t1\n", 0, LS_FMT_TSV, 0, "a|b", "2:\"q\"|1\n", '\t' },
	{ "too many fields", "a,b\n1,2,3\n4,5\n", 0, CSV, 0, "a|b", "2!expected 2 fields, got 3\n3:4|5\n", ',' },
	{ "too few fields", "a,b\n1\n4,5\n", 0, CSV, 0, "a|b", "2!expected 2 fields, got 1\n3:4|5\n", ',' },
	{ "unterminated quote", "a,b\n1,\"2\n", 0, CSV, 0, "a|b", "2!unterminated quoted field (opened on this line)\n", ',' },
	{ "long field", NULL, 0, CSV, 0, "a|b", NULL, ',' },
};

static FILE *
input(const char *p, size_t n)
{
	FILE *fp = tmpfile();

	assert_non_null(fp);
	if (n > 0)
		assert_int_equal(fwrite(p, 1, n, fp), n);
	rewind(fp);
	return fp;
}

/* way: 0 direct, 1 every line through libcsv, 2 on the reading thread, 3 portable scans, 4 SSE2 scans */
static void
read_case(const struct rd_case *c, const char *in, size_t n, const char *want, int way)
{
	struct ls_reader_opts o = { .format = c->fmt, .delim = c->delim };
	struct ls_error err = { 0 };
	FILE *fp = input(in, n);
	struct ls_reader *r;
	const char *got;

	o.all_libcsv = way == 1;
	o.readahead = way == 2;
	ls_scan_force(way == 3 ? LS_SCAN_SCALAR : way == 4 ? LS_SCAN_SSE2 : 0);
	r = ls_reader_open_fp(fp, "in.csv", &o, &err);
	if (r == NULL)
		fail_msg("%s (way %d): open: %s", c->name, way, err.msg);
	if (strcmp(header(r), c->hdr) != 0)
		fail_msg("%s (way %d): header %s, expected %s", c->name, way, header(r), c->hdr);
	assert_int_equal(ls_reader_delim(r), c->want_delim);
	got = dump(r);
	if (strcmp(got, want) != 0)
		fail_msg("%s (way %d):\n%s--- expected\n%s", c->name, way, got, want);
	assert_string_equal(ls_reader_file(r), "in.csv");
	ls_reader_free(r);
	fclose(fp);
	ls_scan_force_scalar(0);
}

static void
test_cases(void **state)
{
	static char big[300000], bigwant[300000];

	(void)state;
	/* a field bigger than any buffer the reader starts with */
	strcpy(big, "a,b\n1,");
	memset(big + 6, 'z', 200000);
	strcpy(big + 6 + 200000, "\n2,3\n");
	snprintf(bigwant, sizeof bigwant, "2:1|%.*s\n3:2|3\n", 200000, big + 6);
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const struct rd_case *c = &cases[i];
		const char *in = c->in ? c->in : big, *want = c->want ? c->want : bigwant;
		size_t n = c->n ? c->n : strlen(in);

		for (int way = 0; way < 5; way++) {
			if (way == 1 && c->fmt == LS_FMT_TSV)
				continue;	/* libcsv reads CSV only */
			read_case(c, in, n, want, way);
		}
	}
}

/* Files by name: TSV for *.tsv, several files with one header as one stream, a missing file. */
static void
test_files(void **state)
{
	char dir[] = "/tmp/test_reader.XXXXXX", a[64], b[64], t[64], none[64];
	const char *paths[2];
	struct ls_error err = { 0 };
	struct ls_reader *r;
	FILE *fp;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(a, sizeof a, "%s/a.csv", dir);
	snprintf(b, sizeof b, "%s/b.csv", dir);
	snprintf(t, sizeof t, "%s/c.tsv", dir);
	snprintf(none, sizeof none, "%s/none.csv", dir);
	fp = fopen(a, "w");
	fputs("id,name\n1,x\n", fp);
	fclose(fp);
	fp = fopen(b, "w");
	fputs("id,name\n\n2,y\n", fp);
	fclose(fp);
	fp = fopen(t, "w");
	fputs("id\tname\n3\tz,w\n", fp);
	fclose(fp);

	paths[0] = a;
	paths[1] = b;
	r = ls_reader_open(paths, 2, NULL, &err);
	assert_non_null(r);
	assert_string_equal(header(r), "id|name");
	assert_int_equal(ls_reader_col(r, "name"), 1);
	assert_int_equal(ls_reader_col(r, "nope"), -1);
	/* lines count in each file from its own start: b.csv's record is on its line 3 */
	assert_string_equal(dump(r), "2:1|x\n3:2|y\n");
	assert_string_equal(ls_reader_file(r), b);
	ls_reader_free(r);

	paths[0] = t;
	r = ls_reader_open(paths, 1, NULL, &err);
	assert_non_null(r);
	assert_int_equal(ls_reader_format(r), LS_FMT_TSV);
	assert_string_equal(dump(r), "2:3|z,w\n");
	ls_reader_free(r);

	/* a second file with another header */
	fp = fopen(t, "w");
	fputs("id,other\n4,q\n", fp);
	fclose(fp);
	paths[0] = a;
	paths[1] = t;
	r = ls_reader_open(paths, 2, NULL, &err);
	if (r != NULL) {
		struct ls_record rec;
		int rc;

		while ((rc = ls_reader_next(r, &rec, &err)) == 1)
			;
		assert_int_equal(rc, -1);
		ls_reader_free(r);
	}
	assert_non_null(strstr(err.msg, "header"));

	paths[0] = none;
	memset(&err, 0, sizeof err);
	assert_null(ls_reader_open(paths, 1, NULL, &err));
	assert_int_equal(err.status, LS_EIO);
	assert_string_equal(err.file, none);

	unlink(a);
	unlink(b);
	unlink(t);
	rmdir(dir);
}

/* An encoding: cp1251 bytes come out as UTF-8; invalid UTF-8 without one is a data error naming the byte. */
static void
test_encoding(void **state)
{
	static const char cp[] = "name\n\xcf\xf0\xe8\xe2\xe5\xf2\n";
	struct ls_reader_opts o = { .encoding = "CP1251" };
	struct ls_error err = { 0 };
	struct ls_reader *r;
	FILE *fp = input(cp, sizeof cp - 1);
	const char *got;

	(void)state;
	r = ls_reader_open_fp(fp, "in.csv", &o, &err);
	assert_non_null(r);
	assert_string_equal(dump(r), "2:\xd0\x9f\xd1\x80\xd0\xb8\xd0\xb2\xd0\xb5\xd1\x82\n");
	ls_reader_free(r);
	fclose(fp);

	fp = input(cp, sizeof cp - 1);
	r = ls_reader_open_fp(fp, "in.csv", NULL, &err);
	assert_non_null(r);
	got = dump(r);
	assert_memory_equal(got, "2!", 2);
	assert_non_null(strstr(got, "UTF-8"));
	ls_reader_free(r);
	fclose(fp);
}

/* The reading thread stopped early: next() then says the end, the header stays. */
static void
test_stop(void **state)
{
	struct ls_reader_opts o = { .readahead = 1 };
	struct ls_error err = { 0 };
	struct ls_record rec;
	struct ls_reader *r;
	FILE *fp;
	char *in = malloc(2000000);
	size_t n = 0;

	(void)state;
	assert_non_null(in);
	n += (size_t)sprintf(in, "k,v\n");
	for (int i = 0; i < 100000; i++)
		n += (size_t)sprintf(in + n, "%d,%d\n", i, i * 3);
	fp = input(in, n);
	r = ls_reader_open_fp(fp, "in.csv", &o, &err);
	assert_non_null(r);
	for (int i = 0; i < 5; i++) {
		assert_int_equal(ls_reader_next(r, &rec, &err), 1);
		assert_int_equal(rec.line, i + 2);
		assert_int_equal(atoi(rec.fields[1].p), i * 3);
	}
	ls_reader_stop(r);
	ls_reader_stop(r);
	assert_int_equal(ls_reader_next(r, &rec, &err), 0);
	assert_string_equal(header(r), "k|v");
	ls_reader_free(r);
	ls_reader_free(NULL);
	fclose(fp);
	free(in);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cases),
		cmocka_unit_test(test_files),
		cmocka_unit_test(test_encoding),
		cmocka_unit_test(test_stop),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
