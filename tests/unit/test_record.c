/* test_record.c - the record reader and writer: stream rules, errors, temp-and-rename. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "error.h"
#include "record.h"
#include "scan.h"
#include "utf8.h"
#include "writer.h"

/* A stream holding the n bytes at p, positioned at the start. */
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

/* A growing text buffer for dumps. */
struct text {
	char *p;
	size_t n, cap;
};

static void
put(struct text *t, const char *p, size_t n)
{
	if (t->n + n + 1 > t->cap) {
		t->cap = (t->n + n + 1) * 2;
		t->p = realloc(t->p, t->cap);
		assert_non_null(t->p);
	}
	memcpy(t->p + t->n, p, n);
	t->n += n;
	t->p[t->n] = '\0';
}

static void
puts_(struct text *t, const char *s)
{
	put(t, s, strlen(s));
}

/* A field with its line breaks and tabs made visible, so a dump is one line per record. */
static void
put_field(struct text *t, const struct ls_str *f)
{
	assert_int_equal(f->p[f->n], '\0');
	for (size_t i = 0; i < f->n; i++) {
		char c = f->p[i];
		if (c == '\n')
			puts_(t, "\\n");
		else if (c == '\r')
			puts_(t, "\\r");
		else if (c == '\t')
			puts_(t, "\\t");
		else if (c == '\0')
			puts_(t, "\\0");
		else
			put(t, &c, 1);
	}
}

/* Data errors by a short name: the dumps stay readable. */
static const char *
short_msg(const char *msg)
{
	if (strncmp(msg, "invalid UTF-8", 13) == 0)
		return "utf8";
	if (strncmp(msg, "bad quoting", 11) == 0)
		return "quote";
	if (strncmp(msg, "unterminated quoted field", 25) == 0)
		return "unterminated";
	return msg;
}

/*
 * Everything a reader gives for the stream: "H:a|b" for the header, then
 * "LINE:f1|f2" per record and "ELINE:error" per data error, one a line.
 */
/* Records a dump shows at most: a reader that never ends must not hang the test. */
static int dump_limit = 1000;

static char *
dump_reader(struct ls_reader *r)
{
	struct text t = { 0 };
	struct ls_record rec;
	struct ls_error err;
	char num[32];
	int rc, guard = 0;

	puts_(&t, "H:");
	for (size_t i = 0; i < ls_reader_ncols(r); i++) {
		if (i > 0)
			puts_(&t, "|");
		put_field(&t, &ls_reader_header(r)[i]);
	}
	puts_(&t, "\n");
	while ((rc = ls_reader_next(r, &rec, &err)) != 0 && guard++ < dump_limit) {
		if (rc < 0) {
			snprintf(num, sizeof(num), "E%ld:", err.line);
			puts_(&t, num);
			puts_(&t, short_msg(err.msg));
			puts_(&t, "\n");
			if (err.status != LS_EDATA)
				break;
			/* the record that failed is the one the error names */
			assert_int_equal(rec.line, err.line);
			continue;
		}
		assert_int_equal(rec.nfields, ls_reader_ncols(r));
		snprintf(num, sizeof(num), "%ld:", rec.line);
		puts_(&t, num);
		for (size_t i = 0; i < rec.nfields; i++) {
			if (i > 0)
				puts_(&t, "|");
			put_field(&t, &rec.fields[i]);
		}
		puts_(&t, "\n");
	}
	if (t.p == NULL)
		puts_(&t, "");
	return t.p;
}

static char *
dump_opts(const char *in, size_t n, const struct ls_reader_opts *o)
{
	FILE *fp = input(in, n);
	struct ls_error err;
	struct ls_reader *r = ls_reader_open_fp(fp, "t.csv", o, &err);
	char *d;

	if (r == NULL) {
		struct text t = { 0 };
		char num[32];
		snprintf(num, sizeof(num), "OPEN%ld:", err.line);
		puts_(&t, num);
		puts_(&t, short_msg(err.msg));
		puts_(&t, "\n");
		fclose(fp);
		return t.p;
	}
	d = dump_reader(r);
	ls_reader_free(r);
	fclose(fp);
	return d;
}

static char *
dump(const char *in, size_t n, int all_libcsv)
{
	struct ls_reader_opts o = { 0 };

	o.all_libcsv = all_libcsv;
	return dump_opts(in, n, &o);
}

#define S(s)	s, sizeof(s) - 1

struct rcase {
	const char *what;
	const char *in;
	size_t n;
	const char *want;
};

static void
run_cases(const struct rcase *c, size_t nc, const struct ls_reader_opts *o)
{
	for (size_t i = 0; i < nc; i++) {
		char *got = dump_opts(c[i].in, c[i].n, o);
		if (strcmp(got, c[i].want) != 0)
			print_error("case '%s':\n got:\n%s want:\n%s", c[i].what, got, c[i].want);
		assert_string_equal(got, c[i].want);
		free(got);
	}
}

/* CSV inputs and what the reader makes of them, quoted and not, whatever the path. */
static const struct rcase csv_cases[] = {
	{ "passthrough", S("a,b\n1,2\n3,4\n"), "H:a|b\n2:1|2\n3:3|4\n" },
	{ "quoted CRLF inside a field", S("a,b\r\n\"x\r\ny\",2\r\n3,4\r\n"),
	    "H:a|b\n2:x\\r\\ny|2\n4:3|4\n" },
	{ "quoted LF and delimiter", S("a,b\n\"x,\ny\",\"2\"\n"), "H:a|b\n2:x,\\ny|2\n" },
	{ "BOM before a quoted header", S("\xef\xbb\xbf\"a\",b\n1,2\n"), "H:a|b\n2:1|2\n" },
	{ "BOM before a plain header", S("\xef\xbb\xbf" "a,b\n1,2\n"), "H:a|b\n2:1|2\n" },
	{ "BOM only once", S("\xef\xbb\xbf" "a\n\xef\xbb\xbf\n"), "H:a\n2:\xef\xbb\xbf\n" },
	{ "last record without newline", S("a,b\n1,2"), "H:a|b\n2:1|2\n" },
	{ "last quoted record without newline", S("a,b\n1,\"2\""), "H:a|b\n2:1|2\n" },
	{ "last record ends in CR", S("a,b\n1,2\r"), "H:a|b\n2:1|2\n" },
	{ "blank lines skipped with two columns", S("a,b\n\n1,2\n\r\n\n3,4\n\n"),
	    "H:a|b\n3:1|2\n6:3|4\n" },
	{ "blank lines before the header", S("\n\na,b\n1,2\n"), "H:a|b\n4:1|2\n" },
	{ "blank lines are records with one column", S("a\n\nx\n\r\n"), "H:a\n2:\n3:x\n4:\n" },
	{ "empty quoted field, one column", S("a\n\"\"\n"), "H:a\n2:\n" },
	{ "doubled quotes at field edges", S("a,b,c\n\"\"\"a\"\"\",\"\",\"\"\"\"\n"),
	    "H:a|b|c\n2:\"a\"||\"\n" },
	{ "empty fields", S("a,b,c\n,,\n"), "H:a|b|c\n2:||\n" },
	{ "lone CR line ends", S("a,b\r1,2\r\"x\ry\",3\r4,5\r"), "H:a|b\n2:1|2\n3:x\\ry|3\n5:4|5\n" },
	{ "mixed LF and CRLF", S("a,b\r\n1,2\n3,4\r\n5,6"), "H:a|b\n2:1|2\n3:3|4\n4:5|6\n" },
	{ "CR then LF in separate places", S("a,b\r\r\n1,2\n"), "H:a|b\n3:1|2\n" },
	{ "tabs inside CSV fields", S("a,b\n\tx\t,y\tz\n"), "H:a|b\n2:\\tx\\t|y\\tz\n" },
	{ "spaces kept", S("a , b\n  1 , 2  \n\" q \",r \n"), "H:a | b\n2:  1 | 2  \n3: q |r \n" },
	{ "valid multi-byte UTF-8", S("a,b\n\xd0\x9f\xd1\x80,\xf0\x9f\x98\x80\n"),
	    "H:a|b\n2:\xd0\x9f\xd1\x80|\xf0\x9f\x98\x80\n" },
	{ "invalid UTF-8, then the next record", S("a,b\n1,\xff\n3,4\n"), "H:a|b\nE2:utf8\n3:3|4\n" },
	{ "invalid UTF-8 in a quoted record", S("a,b\n\"x\n\xfe\",1\n3,4\n"), "H:a|b\nE2:utf8\n4:3|4\n" },
	{ "overlong slash", S("a\n\xc0\xaf\nx\n"), "H:a\nE2:utf8\n3:x\n" },
	{ "overlong three bytes", S("a\n\xe0\x80\xaf\nx\n"), "H:a\nE2:utf8\n3:x\n" },
	{ "overlong four bytes", S("a\n\xf0\x80\x80\xaf\nx\n"), "H:a\nE2:utf8\n3:x\n" },
	{ "surrogate", S("a\n\xed\xa0\x80\nx\n"), "H:a\nE2:utf8\n3:x\n" },
	{ "above U+10FFFF", S("a\n\xf4\x90\x80\x80\nx\n"), "H:a\nE2:utf8\n3:x\n" },
	{ "truncated sequence at line end", S("a\nx\xe2\x82\ny\n"), "H:a\nE2:utf8\n3:y\n" },
	{ "lone continuation byte", S("a\n\x80\ny\n"), "H:a\nE2:utf8\n3:y\n" },
	{ "field count after a multi-line record", S("a,b\n\"x\ny\nz\",1\n1,2,3\n4\n5,6\n"),
	    "H:a|b\n2:x\\ny\\nz|1\nE5:expected 2 fields, got 3\nE6:expected 2 fields, got 1\n7:5|6\n" },
	{ "field count of a quoted record", S("a,b\n\"1\n\",2,3\n5,6\n"),
	    "H:a|b\nE2:expected 2 fields, got 3\n4:5|6\n" },
	{ "one field expected", S("a\n1,2\n"), "H:a\nE2:expected 1 field, got 2\n" },
	{ "unterminated quote at EOF", S("a,b\n1,2\n\"x,3\n4,5\n"), "H:a|b\n2:1|2\nE3:unterminated\n" },
	{ "unterminated quote, no newline", S("a,b\n1,\"2"), "H:a|b\nE2:unterminated\n" },
	{ "stray quote, then the next record", S("a,b\nx,a\"b\n3,4\n"), "H:a|b\nE2:quote\n3:3|4\n" },
	{ "text after a closing quote", S("a,b\n\"a\"b,c\n3,4\n"), "H:a|b\nE2:quote\n3:3|4\n" },
	{ "quote after a space", S("a,b\n1, \"x\"\n3,4\n"), "H:a|b\nE2:quote\n3:3|4\n" },
	{ "stray quote on a later line of a record", S("a,b\n\"x\ny\"z,1\n3,4\n"),
	    "H:a|b\nE2:quote\n4:3|4\n" },
	{ "empty file", S(""), "H:\n" },
	{ "only a BOM", S("\xef\xbb\xbf"), "H:\n" },
	{ "header only", S("a,b\n"), "H:a|b\n" },
	{ "header only, no newline", S("a,b"), "H:a|b\n" },
	{ "header with quotes only, then data", S("\"a\",\"b\"\n1,2\n"), "H:a|b\n2:1|2\n" },
	{ "two fields over lines, doubled quotes", S("a,b,c\n\"x\n\"\"y\",\"\nz\n\",3\n4,5,6\n"),
	    "H:a|b|c\n2:x\\n\"y|\\nz\\n|3\n6:4|5|6\n" },
	{ "over lines then bare fields", S("a,b,c\r\n\"x\r\ny\",2,3\r\n4,5,6\r\n"),
	    "H:a|b|c\n2:x\\r\\ny|2|3\n4:4|5|6\n" },
	{ "over lines, lone CR and LF inside", S("a,b\n\"x\r\ry\n\r\",2\n3,4\n"),
	    "H:a|b\n2:x\\r\\ry\\n\\r|2\n7:3|4\n" },
	{ "over lines to the end of the file", S("a,b\n1,\"x\ny\""), "H:a|b\n2:1|x\\ny\n" },
	{ "over lines to a last CR", S("a,b\n1,\"x\ny\"\r"), "H:a|b\n2:1|x\\ny\n" },
	{ "over lines, then a stray quote", S("a,b\n\"x\ny\",1\"\n3,4\n"),
	    "H:a|b\nE2:quote\n4:3|4\n" },
	{ "over lines, field count", S("a,b\n\"x\ny\",1,2\n3,4\n"),
	    "H:a|b\nE2:expected 2 fields, got 3\n4:3|4\n" },
	{ "over lines, invalid UTF-8 on a later line", S("a,b\n\"x\n\xc3\",1\n3,4\n"),
	    "H:a|b\nE2:utf8\n4:3|4\n" },
	{ "a NUL byte is a data error", S("a,b\nx\0y,z\nq,r\n"), "H:a|b\nE2:NUL byte in the data (is this a text file?)\n3:q|r\n" },
};

static void
test_csv_cases(void **state)
{
	(void)state;
	run_cases(csv_cases, sizeof(csv_cases) / sizeof(csv_cases[0]), NULL);
}

/* The same cases with the portable scans forced: LS_SCALAR=1 reads the same. */
static void
test_csv_cases_scalar(void **state)
{
	(void)state;
	ls_scan_force_scalar(1);
	assert_false(ls_scan_simd());
	run_cases(csv_cases, sizeof(csv_cases) / sizeof(csv_cases[0]), NULL);
	ls_scan_force_scalar(0);
}

/* And with SSE2 forced where the CPU has AVX2: LS_SCAN=sse2 reads the same. */
static void
test_csv_cases_sse2(void **state)
{
	(void)state;
	ls_scan_force(LS_SCAN_SSE2);
	assert_true(ls_scan_level() <= LS_SCAN_SSE2);
	run_cases(csv_cases, sizeof(csv_cases) / sizeof(csv_cases[0]), NULL);
	ls_scan_force(0);
}

/*
 * The UTF-8 check gives the same verdict and the same first bad byte with
 * the AVX2, the SSE2 and the portable scans, on text mixing every kind of
 * character, bad bytes and NULs at every offset of their 16- and 32-byte
 * blocks.
 */
static void
test_utf8_paths(void **state)
{
	static const char *const pieces[] = {
		"a", "bcdefgh", "\xd0\x9f", "\xd1\x80\xd0\xb8", "\xc3\xa9", "\xe2\x82\xac", "\xf0\x9f\x98\x80",
		"\xc0\xaf", "\xc1", "\x80", "\xbf", "\xe0\x80\xaf", "\xed\xa0\x80", "\xf4\x90\x80\x80",
		"\xff", "\xdf", "\xe2\x82", "\0", " ", "\n\r",
	};
	const size_t np = sizeof(pieces) / sizeof(pieces[0]);
	unsigned char buf[256];
	uint32_t seed = 12345;
	size_t checked_simd = 0, checked_avx2 = 0;

	(void)state;
	for (int round = 0; round < 200000; round++) {
		size_t n = 0, bad1 = 0, bad2 = 0, bad3 = 0;
		int r1, r2, r3;

		seed = seed * 1103515245u + 12345u;
		size_t count = (seed >> 16) % 40;
		for (size_t k = 0; k < count; k++) {
			seed = seed * 1103515245u + 12345u;
			/* mostly good text, so that the bad byte lands anywhere in a long run */
			size_t pick = (seed >> 16) % (round % 3 == 0 ? np : 7);
			const char *pc = pieces[pick];
			size_t len = pick == 17 ? 1 : strlen(pc);
			if (n + len > sizeof(buf))
				break;
			memcpy(buf + n, pc, len);
			n += len;
		}
		ls_scan_force(LS_SCAN_SCALAR);
		r1 = ls_utf8_valid(buf, n, &bad1);
		ls_scan_force(LS_SCAN_SSE2);
		r2 = ls_utf8_valid(buf, n, &bad2);
		checked_simd += ls_scan_simd();
		ls_scan_force(LS_SCAN_AVX2);
		r3 = ls_utf8_valid(buf, n, &bad3);
		checked_avx2 += ls_scan_level() == LS_SCAN_AVX2;
		/* the check ahead: a prefix the full check accepts, at most a block short of the portable one's */
		size_t pre[3];
		for (int lv = LS_SCAN_SCALAR; lv <= LS_SCAN_AVX2; lv++) {
			size_t b;
			ls_scan_force(lv);
			pre[lv - 1] = ls_utf8_prefix(buf, n);
			assert_true(pre[lv - 1] <= n);
			assert_int_equal(ls_utf8_valid(buf, pre[lv - 1], &b), 1);
			assert_true(pre[lv - 1] <= pre[0] && pre[0] - pre[lv - 1] < 32);
		}
		/* valid text: the portable prefix stops only at a three- or four-byte character */
		if (r1 == 1 && pre[0] < n)
			assert_true(buf[pre[0]] >= 0xe0);
		ls_scan_force(0);
		assert_int_equal(r1, r2);
		assert_int_equal(r1, r3);
		if (r1 <= 0) {
			assert_int_equal(bad1, bad2);
			assert_int_equal(bad1, bad3);
		}
	}
	/* where the CPU has SSE2 (x86-64 always) and AVX2, the comparisons above were made */
#if defined(__x86_64__)
	assert_true(checked_simd > 0);
#endif
	assert_int_equal(checked_avx2 > 0, ls_scan_best() == LS_SCAN_AVX2);
}

/* The same inputs through libcsv alone give the same records: the fast path is only faster. */
static void
test_differential_all_libcsv(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(csv_cases) / sizeof(csv_cases[0]); i++) {
		char *fast = dump(csv_cases[i].in, csv_cases[i].n, 0);
		char *slow = dump(csv_cases[i].in, csv_cases[i].n, 1);
		if (strcmp(fast, slow) != 0)
			print_error("case '%s':\n fast:\n%s libcsv:\n%s", csv_cases[i].what, fast, slow);
		assert_string_equal(fast, slow);
		free(fast);
		free(slow);
	}
}

/*
 * Records whose quoted fields run over lines, many of them straddling the
 * 1 MiB read blocks (where the memchr path hands the record to libcsv): the
 * two paths read the same records with the same line numbers.
 */
static void
test_differential_spanning(void **state)
{
	static const char *const ends[] = { "\n", "\r\n", "\r" };
	struct text t = { 0 };
	char line[128];

	(void)state;
	dump_limit = 100000;
	/* the pads move the block boundaries over every byte of a record */
	for (size_t run = 0; run < 24; run++) {
		size_t e = run % 3;
		t.n = 0;
		puts_(&t, "id,note,x");
		for (size_t k = 0; k < run; k++)
			puts_(&t, "p");
		puts_(&t, ends[e]);
		for (long i = 0; i < 50000; i++) {
			const char *ee = ends[(e + (size_t)i % 3 * (i % 5 == 0)) % 3];
			snprintf(line, sizeof(line), "%ld,\"n%s\"\"q\"\"%s%ld,\",\"%s\"%s", i, ee,
			    i % 4 ? ee : "", i, i % 2 ? "y" : "\"\"", ends[e]);
			puts_(&t, line);
		}
		char *fast = dump(t.p, t.n, 0);
		char *slow = dump(t.p, t.n, 1);
		assert_true(strlen(fast) > 50000 * 10);
		assert_string_equal(fast, slow);
		free(fast);
		free(slow);
	}
	dump_limit = 1000;
	free(t.p);
}

static void
test_error_raw(void **state)
{
	static const struct {
		const char *in;
		size_t n;
		const char *raw;
		long line;
		int all_libcsv;
	} c[] = {
		{ S("a,b\n1,\xff\r\n"), "1,\xff", 2, 0 },
		{ S("a,b\n1,\xff\r\n"), "1,\xff", 2, 1 },
		{ S("a,b\nx,a\"b\r\n"), "x,a\"b", 2, 0 },
		{ S("a,b\n\n\"x\ny\"z,1\n"), "\"x\ny\"z,1", 3, 0 },
		{ S("a,b\n1,2,3\n"), "1,2,3", 2, 0 },
		{ S("a,b\n\"1\r\n\",2,3\r\n"), "\"1\r\n\",2,3", 2, 0 },
		{ S("a,b\n\"x,\ny\n"), "\"x,\ny", 2, 0 },
	};
	struct ls_record rec;
	struct ls_error err;

	(void)state;
	for (size_t i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		struct ls_reader_opts o = { 0 };
		FILE *fp = input(c[i].in, c[i].n);
		struct ls_reader *r;

		o.all_libcsv = c[i].all_libcsv;
		r = ls_reader_open_fp(fp, "raw.csv", &o, &err);
		assert_non_null(r);
		assert_int_equal(ls_reader_next(r, &rec, &err), -1);
		assert_int_equal(err.status, LS_EDATA);
		assert_string_equal(err.file, "raw.csv");
		assert_string_equal(rec.file, "raw.csv");
		assert_int_equal(err.line, c[i].line);
		assert_int_equal(rec.line, c[i].line);
		assert_int_equal(rec.raw.n, strlen(c[i].raw));
		assert_memory_equal(rec.raw.p, c[i].raw, rec.raw.n);
		ls_reader_free(r);
		fclose(fp);
	}
}

/*
 * The UTF-8 check ahead (record.c checks the bytes after a record a chunk at
 * once, ls_utf8_prefix()) against the bad bytes it must leave to the record
 * that holds them: 2.5 MB of Cyrillic lines (three buffer refills, a
 * two-byte character cut by each 1 MiB read), three-byte characters here
 * and there, and bad bytes, a NUL, a lead at a line's end, a bad byte after
 * a three-byte one in the same field; each error on its own line, every
 * good record read whole, under each scan level.
 */
static void
test_utf8_ahead(void **state)
{
	static const char *const bad[] = { "\x80", "\xc0\xaf", "\xd0", "\xe2\x82\xac\xff", "\xed\xa0\x80", "\xff" };
	static const int levels[] = { LS_SCAN_SCALAR, LS_SCAN_SSE2, LS_SCAN_AVX2 };
	struct text t = { 0 };
	char line[160];
	static unsigned char isbad[150000];	/* by line number */
	long nlines = 1, nbad = 0, boundaries = 0;

	(void)state;
	puts_(&t, "id,name\n");
	while (t.n < (size_t)5 << 19) {
		long i = ++nlines;
		size_t next_mb = (t.n / (1u << 20) + 1) << 20;

		assert_true(i < (long)sizeof isbad);
		snprintf(line, sizeof(line), "%ld,", i);
		if (next_mb - t.n < 150 && next_mb - t.n > 16) {
			/* the lead of a two-byte character as the last byte of a 1 MiB read */
			puts_(&t, line);
			while (t.n < next_mb - 1)
				puts_(&t, "z");
			puts_(&t, "\xd0\x96\n");
			boundaries++;
		} else if (i % 97 == 0) {
			puts_(&t, line);
			puts_(&t, "\xd0\x9e\xd0\x9e\xd0\x9e ");
			puts_(&t, bad[(i / 97) % 6]);
			puts_(&t, " x\n");
			isbad[i] = 1;
		} else if (i % 53 == 0) {
			puts_(&t, line);
			puts_(&t, "\xe2\x84\x96 \xd0\xa0\xd0\xbe\xd0\xbc\xd0\xb0\xd1\x88\xd0\xba\xd0\xb0\n");
		} else if (i % 199 == 0) {
			puts_(&t, line);
			put(&t, "a\0b\n", 4);
			isbad[i] = 1;
		} else {
			puts_(&t, line);
			puts_(&t, "\xd0\x9e\xd0\x9e\xd0\x9e \xd0\xa0\xd0\xbe\xd0\xbc\xd0\xb0\xd1\x88\xd0\xba\xd0\xb0 ");
			put(&t, line, strlen(line) - 1);	/* the number again, without its comma */
			puts_(&t, "\n");
		}
		nbad += isbad[i];
	}
	assert_true(boundaries >= 2);
	for (size_t l = 0; l < sizeof levels / sizeof levels[0]; l++) {
		struct ls_error err;
		struct ls_record rec;
		FILE *fp = input(t.p, t.n);
		struct ls_reader *r;
		long want = 2, got_bad = 0;
		int rc;

		ls_scan_force(levels[l]);
		assert_non_null(r = ls_reader_open_fp(fp, "ahead.csv", NULL, &err));
		while ((rc = ls_reader_next(r, &rec, &err)) != 0) {
			if (rc < 0) {
				assert_int_equal(err.status, LS_EDATA);
				assert_int_equal(err.line, want);
				assert_true(isbad[want]);
				got_bad++;
			} else {
				assert_false(isbad[want]);
				assert_int_equal(rec.line, want);
				assert_int_equal(strtol(rec.fields[0].p, NULL, 10), want);
				assert_int_equal(rec.nfields, 2);
			}
			want++;
		}
		assert_int_equal(want, nlines + 1);
		assert_true(nbad > 100);
		assert_int_equal(got_bad, nbad);
		ls_reader_free(r);
		fclose(fp);
	}
	ls_scan_force(0);
	free(t.p);
}

static void
test_invalid_utf8_message(void **state)
{
	char *d;
	FILE *fp = input(S("a\n\xcf\xf0\n"));
	struct ls_error err;
	struct ls_record rec;
	struct ls_reader *r = ls_reader_open_fp(fp, "x.csv", NULL, &err);

	(void)state;
	assert_non_null(r);
	assert_int_equal(ls_reader_next(r, &rec, &err), -1);
	assert_int_equal(err.status, LS_EDATA);
	assert_int_equal(err.line, 2);
	assert_non_null(strstr(err.msg, "--encoding"));
	assert_int_equal(ls_reader_next(r, &rec, &err), 0);
	ls_reader_free(r);
	fclose(fp);
	/* a bad header cannot be gone past: the open fails */
	d = dump(S("\xff,b\n1,2\n"), 0);
	assert_string_equal(d, "OPEN1:utf8\n");
	free(d);
}

static void
test_delimiter(void **state)
{
	static const struct rcase c[] = {
		{ "semicolon", S("a;b\n\"x;y\";1,2\n3;4\n"), "H:a|b\n2:x;y|1,2\n3:3|4\n" },
		{ "comma after a quoted field", S("a;b\n\"x;y\",1\n3;4\n"), "H:a|b\nE2:quote\n3:3|4\n" },
		{ "semicolon count", S("a;b\n1;2;3\n"), "H:a|b\nE2:expected 2 fields, got 3\n" },
	};
	struct ls_reader_opts o = { 0 };

	(void)state;
	o.delim = ';';
	run_cases(c, 3, &o);
	o.all_libcsv = 1;
	run_cases(c, 3, &o);
}

static void
test_tsv(void **state)
{
	static const struct rcase c[] = {
		{ "escapes", S("a\tb\nx\\ty\\\\z\\n\tq\\r\\q\n"), "H:a|b\n2:x\\ty\\z\\n|q\\r\\q\n" },
		{ "quotes are data", S("a\tb\n\"x\"\t\"\n"), "H:a|b\n2:\"x\"|\"\n" },
		{ "commas are data", S("a\tb\n1,2\t3\n"), "H:a|b\n2:1,2|3\n" },
		{ "trailing backslash", S("a\tb\nx\\\ty\\\n"), "H:a|b\n2:x\\|y\\\n" },
		{ "literal backslash-t", S("a\n\\\\t\n"), "H:a\n2:\\t\n" },
		{ "escaped header", S("a\\tb\tc\n1\t2\n"), "H:a\\tb|c\n2:1|2\n" },
		{ "count", S("a\tb\n1\n"), "H:a|b\nE2:expected 2 fields, got 1\n" },
		{ "CRLF", S("a\tb\r\n1\t2\r\n"), "H:a|b\n2:1|2\n" },
	};
	struct ls_reader_opts o = { 0 };

	(void)state;
	o.format = LS_FMT_TSV;
	run_cases(c, sizeof(c) / sizeof(c[0]), &o);
}

/* A temp folder and files in it; paths live until free_dir(). */
struct dir {
	char path[64];
	char *files[8];
	size_t n;
};

static const char *
add_file(struct dir *d, const char *name, const char *data, size_t n)
{
	char *p = malloc(strlen(d->path) + strlen(name) + 2);
	FILE *fp;

	assert_non_null(p);
	sprintf(p, "%s/%s", d->path, name);
	assert_non_null(fp = fopen(p, "wb"));
	if (n > 0)
		assert_int_equal(fwrite(data, 1, n, fp), n);
	assert_int_equal(fclose(fp), 0);
	d->files[d->n++] = p;
	return p;
}

static void
new_dir(struct dir *d)
{
	memset(d, 0, sizeof(*d));
	strcpy(d->path, "/tmp/test_record.XXXXXX");
	assert_non_null(mkdtemp(d->path));
}

/* Names in the folder, sorted, space-separated ("" for none). */
static char *
list_dir(const char *path)
{
	struct dirent **ents;
	struct text t = { 0 };
	int n = scandir(path, &ents, NULL, alphasort);

	assert_true(n >= 0);
	puts_(&t, "");
	for (int i = 0; i < n; i++) {
		if (strcmp(ents[i]->d_name, ".") != 0 && strcmp(ents[i]->d_name, "..") != 0) {
			if (t.n > 0)
				puts_(&t, " ");
			const char *tmp = strstr(ents[i]->d_name, ".tmp");
			/* temporaries are TARGET.tmpXXXXXX: show the pattern, not the random part */
			if (tmp && strlen(tmp) == 10) {
				char name[300];
				snprintf(name, sizeof(name), "%.*s.tmp*", (int)(tmp - ents[i]->d_name), ents[i]->d_name);
				puts_(&t, name);
			} else
				puts_(&t, ents[i]->d_name);
		}
		free(ents[i]);
	}
	free(ents);
	return t.p;
}

static void
free_dir(struct dir *d)
{
	char *left;

	for (size_t i = 0; i < d->n; i++) {
		unlink(d->files[i]);
		free(d->files[i]);
	}
	left = list_dir(d->path);
	assert_string_equal(left, "");
	free(left);
	assert_int_equal(rmdir(d->path), 0);
}

static char *
slurp(const char *path)
{
	FILE *fp = fopen(path, "rb");
	struct text t = { 0 };
	char buf[4096];
	size_t got;

	if (fp == NULL)
		return NULL;
	puts_(&t, "");
	while ((got = fread(buf, 1, sizeof(buf), fp)) > 0)
		put(&t, buf, got);
	fclose(fp);
	return t.p;
}

static void
test_tsv_by_name(void **state)
{
	struct dir d;
	const char *paths[2];
	struct ls_error err;
	struct ls_reader *r;
	char *got;

	(void)state;
	new_dir(&d);
	paths[0] = add_file(&d, "x.tsv", S("a\tb\n1,2\t\\t\n"));
	paths[1] = add_file(&d, "y.tab", S("a\tb\n3\t4\n"));
	assert_non_null(r = ls_reader_open(paths, 2, NULL, &err));
	assert_int_equal(ls_reader_format(r), LS_FMT_TSV);
	assert_int_equal(ls_reader_delim(r), '\t');
	got = dump_reader(r);
	assert_string_equal(got, "H:a|b\n2:1,2|\\t\n2:3|4\n");
	free(got);
	ls_reader_free(r);
	/* any other name is CSV */
	paths[0] = add_file(&d, "x.tsv.csv", S("a\tb,c\n1\t2,3\n"));
	assert_non_null(r = ls_reader_open(paths, 1, NULL, &err));
	assert_int_equal(ls_reader_format(r), LS_FMT_CSV);
	assert_int_equal(ls_reader_ncols(r), 2);
	ls_reader_free(r);
	free_dir(&d);
}

static void
test_several_files(void **state)
{
	struct dir d;
	const char *p[4];
	struct ls_error err;
	struct ls_record rec;
	struct ls_reader *r;

	(void)state;
	new_dir(&d);
	p[0] = add_file(&d, "one.csv", S("\xef\xbb\xbf" "a,b\n1,2\n\"x\ny\",3\n"));
	p[1] = add_file(&d, "empty.csv", S(""));
	p[2] = add_file(&d, "two.csv", S("a,b\r\n4,5\r\n6\r\n7,8\r\n"));
	p[3] = add_file(&d, "hdr.csv", S("a,b\n"));
	assert_non_null(r = ls_reader_open(p, 4, NULL, &err));
	assert_int_equal(ls_reader_ncols(r), 2);
	assert_int_equal(ls_reader_next(r, &rec, &err), 1);
	assert_string_equal(rec.file, p[0]);
	assert_int_equal(rec.line, 2);
	assert_int_equal(ls_reader_next(r, &rec, &err), 1);
	assert_int_equal(rec.line, 3);
	assert_string_equal(rec.fields[0].p, "x\ny");
	/* the second file's header is not a record; its lines count from 1 */
	assert_int_equal(ls_reader_next(r, &rec, &err), 1);
	assert_string_equal(rec.file, p[2]);
	assert_string_equal(ls_reader_file(r), p[2]);
	assert_int_equal(rec.line, 2);
	assert_string_equal(rec.fields[0].p, "4");
	assert_int_equal(ls_reader_next(r, &rec, &err), -1);
	assert_int_equal(err.status, LS_EDATA);
	assert_string_equal(err.file, p[2]);
	assert_int_equal(err.line, 3);
	assert_int_equal(ls_reader_next(r, &rec, &err), 1);
	assert_int_equal(rec.line, 4);
	assert_int_equal(ls_reader_next(r, &rec, &err), 0);
	ls_reader_free(r);

	/* an empty first file gives its place to the next one's header */
	assert_non_null(r = ls_reader_open(p + 1, 2, NULL, &err));
	assert_int_equal(ls_reader_ncols(r), 2);
	assert_int_equal(ls_reader_next(r, &rec, &err), 1);
	assert_string_equal(rec.file, p[2]);
	ls_reader_free(r);
	/* ... and when the next one cannot be opened, that is the error */
	{
		const char *q[2] = { p[1], "/nonexistent-dir/next.csv" };

		memset(&err, 0, sizeof err);
		assert_null(r = ls_reader_open(q, 2, NULL, &err));
		assert_int_equal(err.status, LS_EIO);
		assert_string_equal(err.file, q[1]);
		assert_string_equal(err.msg, "No such file or directory");
	}
	/* a CSV delimiter that would be a quote or a line end */
	{
		static const char bad[] = { '"', '\n', '\r' };

		for (size_t i = 0; i < sizeof bad; i++) {
			struct ls_reader_opts o = { .format = LS_FMT_CSV, .delim = bad[i] };

			assert_null(r = ls_reader_open(p, 1, &o, &err));
			assert_int_equal(err.status, LS_EUSAGE);
			assert_string_equal(err.msg, "bad delimiter");
		}
	}
	free_dir(&d);
}

static void
test_header_mismatch(void **state)
{
	struct dir d;
	const char *p[3];
	struct ls_error err;
	struct ls_record rec;
	struct ls_reader *r;

	(void)state;
	new_dir(&d);
	p[0] = add_file(&d, "one.csv", S("a,b\n1,2\n"));
	p[1] = add_file(&d, "two.csv", S("a,c\n3,4\n"));
	p[2] = add_file(&d, "hdr.csv", S("a,b\n"));
	assert_non_null(r = ls_reader_open(p, 2, NULL, &err));
	assert_int_equal(ls_reader_next(r, &rec, &err), 1);
	assert_int_equal(ls_reader_next(r, &rec, &err), -1);
	assert_string_equal(err.file, p[1]);
	assert_int_equal(err.line, 1);
	assert_string_equal(err.msg, "header differs from the first input's");
	/* final: not a record to reject and go on from */
	assert_int_not_equal(err.status, LS_EDATA);
	assert_int_equal(ls_exit_status(err.status), 1);
	assert_int_equal(ls_reader_next(r, &rec, &err), -1);
	ls_reader_free(r);
	/* a header-only first file, then another header: found while opening */
	assert_non_null(r = ls_reader_open(p + 1, 2, NULL, &err));
	assert_int_equal(ls_reader_next(r, &rec, &err), 1);
	assert_int_equal(ls_reader_next(r, &rec, &err), -1);
	assert_int_not_equal(err.status, LS_EDATA);
	ls_reader_free(r);
	/* a missing file */
	p[1] = "/nonexistent/x.csv";
	assert_non_null(r = ls_reader_open(p, 2, NULL, &err));
	assert_int_equal(ls_reader_next(r, &rec, &err), 1);
	assert_int_equal(ls_reader_next(r, &rec, &err), -1);
	assert_int_equal(err.status, LS_EIO);
	assert_string_equal(err.file, "/nonexistent/x.csv");
	ls_reader_free(r);
	assert_null(ls_reader_open(p + 1, 1, NULL, &err));
	assert_int_equal(err.status, LS_EIO);
	free_dir(&d);
}

static void
test_big_fields(void **state)
{
	const size_t big = (1u << 20) + 12345;	/* crosses the 1 MiB read block */
	struct text t = { 0 };
	char *x = malloc(big);

	(void)state;
	assert_non_null(x);
	for (int all = 0; all <= 1; all++) {
		struct ls_reader_opts o = { 0 };
		struct ls_error err;
		struct ls_record rec;
		FILE *fp;
		struct ls_reader *r;
		long nl;

		t.n = 0;
		puts_(&t, "a,b\n1,2\n");
		memset(x, 'x', big);
		put(&t, x, big);
		puts_(&t, ",u\n\"");
		for (size_t i = 0; i < big; i++)
			x[i] = i % 1000 == 999 ? '\n' : i % 1000 == 500 ? '"' : 'y';
		nl = 0;
		for (size_t i = 0; i < big; i++) {
			nl += x[i] == '\n';
			put(&t, x + i, 1);
			if (x[i] == '"')
				put(&t, "\"", 1);
		}
		puts_(&t, "\",q\r\n");
		/* a record of three unquoted big fields ending the file without a newline */
		memset(x, 'z', big);
		for (int k = 0; k < 3; k++) {
			put(&t, x, big);
			puts_(&t, k < 2 ? "," : "");
		}
		fp = input(t.p, t.n);
		o.all_libcsv = all;
		assert_non_null(r = ls_reader_open_fp(fp, "big.csv", &o, &err));
		assert_int_equal(ls_reader_next(r, &rec, &err), 1);
		assert_int_equal(rec.line, 2);
		assert_int_equal(ls_reader_next(r, &rec, &err), 1);
		assert_int_equal(rec.line, 3);
		assert_int_equal(rec.fields[0].n, big);
		assert_int_equal(strspn(rec.fields[0].p, "x"), big);
		assert_string_equal(rec.fields[1].p, "u");
		assert_int_equal(ls_reader_next(r, &rec, &err), 1);
		assert_int_equal(rec.line, 4);
		assert_int_equal(rec.fields[0].n, big);
		for (size_t i = 0; i < big; i++)
			if (rec.fields[0].p[i] != (i % 1000 == 999 ? '\n' : i % 1000 == 500 ? '"' : 'y'))
				fail_msg("quoted big field differs at %zu", i);
		assert_string_equal(rec.fields[1].p, "q");
		/* the next record starts after all the line breaks of the big one */
		assert_int_equal(ls_reader_next(r, &rec, &err), -1);
		assert_int_equal(err.line, 4 + nl + 1);
		assert_string_equal(err.msg, "expected 2 fields, got 3");
		assert_int_equal(ls_reader_next(r, &rec, &err), 0);
		ls_reader_free(r);
		fclose(fp);
	}
	free(x);
	free(t.p);
}

/* Many short lines in each line-end style: block boundaries fall everywhere. */
static void
test_many_lines(void **state)
{
	static const char *const ends[] = { "\n", "\r\n", "\r" };
	struct text t = { 0 };
	char line[64];

	(void)state;
	for (size_t e = 0; e < 3; e++) {
		struct ls_error err;
		struct ls_record rec;
		FILE *fp;
		struct ls_reader *r;
		long n = 0;

		t.n = 0;
		puts_(&t, "id,text");
		puts_(&t, ends[e]);
		for (long i = 0; i < 200000; i++) {
			if (i % 7 == 3)
				snprintf(line, sizeof(line), "%ld,\"q%s%ld\"%s", i, ends[e], i, ends[e]);
			else
				snprintf(line, sizeof(line), "%ld,t%ld%s", i, i, ends[e]);
			puts_(&t, line);
		}
		fp = input(t.p, t.n);
		assert_non_null(r = ls_reader_open_fp(fp, "many.csv", NULL, &err));
		long want_line = 2;
		while (ls_reader_next(r, &rec, &err) == 1) {
			char want[64];
			if (n % 7 == 3)
				snprintf(want, sizeof(want), "q\n%ld", n);
			else
				snprintf(want, sizeof(want), "t%ld", n);
			if (n % 7 == 3 && e == 1)
				snprintf(want, sizeof(want), "q\r\n%ld", n);
			if (n % 7 == 3 && e == 2)
				snprintf(want, sizeof(want), "q\r%ld", n);
			assert_int_equal(rec.line, want_line);
			assert_string_equal(rec.fields[1].p, want);
			want_line += n % 7 == 3 ? 2 : 1;
			n++;
		}
		assert_int_equal(n, 200000);
		ls_reader_free(r);
		fclose(fp);
	}
	free(t.p);
}

static void
test_encoding_cp1251(void **state)
{
	struct ls_reader_opts o = { 0 };
	char *d;

	(void)state;
	o.encoding = "cp1251";
	d = dump_opts(S("name,x\n\xcf\xf0\xe8\xe2\xe5\xf2,\"\xe0\n\xe1\"\n"), &o);
	assert_string_equal(d, "H:name|x\n2:Привет|а\\nб\n");
	free(d);
	o.encoding = "UTF-8";
	d = dump_opts(S("a\n\xd0\x9f\n"), &o);
	assert_string_equal(d, "H:a\n2:П\n");
	free(d);
}

/* Bytes the named encoding does not have: a final error naming the line they are on. */
static void
test_encoding_errors(void **state)
{
	struct ls_reader_opts o = { 0 };
	struct ls_error err;
	struct ls_record rec;
	struct ls_reader *r;
	FILE *fp;

	(void)state;
	o.encoding = "no-such-encoding";
	fp = input(S("a\n"));
	assert_null(ls_reader_open_fp(fp, "x.csv", &o, &err));
	assert_int_equal(err.status, LS_EUSAGE);
	assert_non_null(strstr(err.msg, "no-such-encoding"));
	fclose(fp);

	o.encoding = "ASCII";
	fp = input(S("a,b\n1,2\n3,4\n5,\xe9\n7,8\n"));
	assert_non_null(r = ls_reader_open_fp(fp, "x.csv", &o, &err));
	assert_int_equal(ls_reader_next(r, &rec, &err), 1);
	assert_int_equal(ls_reader_next(r, &rec, &err), 1);
	assert_int_equal(rec.line, 3);
	assert_int_equal(ls_reader_next(r, &rec, &err), -1);
	assert_int_equal(err.line, 4);
	assert_non_null(strstr(err.msg, "not valid ASCII"));
	assert_int_not_equal(err.status, LS_EDATA);
	assert_int_equal(ls_exit_status(err.status), 1);
	assert_int_equal(ls_reader_next(r, &rec, &err), -1);
	ls_reader_free(r);
	fclose(fp);

	/* a file cut inside a character of a two-byte encoding: the last record's line named */
	o.encoding = "UTF-16LE";
	fp = input(S("a\0,\0b\0\n\0" "1\0,\0" "2"));
	assert_non_null(r = ls_reader_open_fp(fp, "x.csv", &o, &err));
	memset(&err, 0, sizeof err);
	assert_int_equal(ls_reader_next(r, &rec, &err), -1);
	assert_int_equal(err.status, LS_EIO);
	assert_int_equal(err.line, 2);
	assert_string_equal(err.msg, "input ends inside a UTF-16LE character");
	ls_reader_free(r);
	fclose(fp);
}

/* What the writer makes of one row. */
static char *
write_row(const struct ls_writer_opts *o, const struct ls_str *f, size_t n)
{
	char *out = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&out, &len);	/* in memory: the tests write rows by the hundred thousand */
	struct ls_error err;
	struct ls_writer *w;

	assert_non_null(fp);
	assert_non_null(w = ls_writer_open(NULL, fp, o, &err));
	assert_int_equal(ls_writer_row(w, f, n), 0);
	assert_int_equal(ls_writer_flush(w, &err), 0);
	ls_writer_free(w);
	assert_int_equal(fclose(fp), 0);
	assert_non_null(out);
	return out;
}

static void
test_writer_quoting(void **state)
{
	static const struct {
		enum ls_format fmt;
		char delim;
		const char *in;
		const char *out;
	} c[] = {
		{ LS_FMT_CSV, 0, "plain", "plain\n" },
		{ LS_FMT_CSV, 0, "", "\"\"\n" },	/* a blank line would be skipped: "" */
		{ LS_FMT_CSV, 0, " spaced ", " spaced \n" },
		{ LS_FMT_CSV, 0, "tab\there", "tab\there\n" },
		{ LS_FMT_CSV, 0, "semi;colon", "semi;colon\n" },
		{ LS_FMT_CSV, 0, "Привет", "Привет\n" },
		{ LS_FMT_CSV, 0, "a,b", "\"a,b\"\n" },
		{ LS_FMT_CSV, 0, "say \"hi\"", "\"say \"\"hi\"\"\"\n" },
		{ LS_FMT_CSV, 0, "\"", "\"\"\"\"\n" },
		{ LS_FMT_CSV, 0, "cr\r", "\"cr\r\"\n" },
		{ LS_FMT_CSV, 0, "lf\nlf", "\"lf\nlf\"\n" },
		{ LS_FMT_CSV, 0, "back\\slash", "back\\slash\n" },
		{ LS_FMT_CSV, ';', "a,b", "a,b\n" },
		{ LS_FMT_CSV, ';', "a;b", "\"a;b\"\n" },
		{ LS_FMT_TSV, 0, "plain \"q\" a,b", "plain \"q\" a,b\n" },
		{ LS_FMT_TSV, 0, "t\tn\nr\rb\\", "t\\tn\\nr\\rb\\\\\n" },
		{ LS_FMT_TSV, 0, "\\t", "\\\\t\n" },
		{ LS_FMT_TSV, 0, "", "\n" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		struct ls_writer_opts o = { 0 };
		struct ls_str f = { c[i].in, strlen(c[i].in) };
		char *got;

		o.format = c[i].fmt;
		o.delim = c[i].delim;
		got = write_row(&o, &f, 1);
		assert_string_equal(got, c[i].out);
		free(got);
	}
}

/* The reference the fast paths must agree with: a byte at a time. */
static void
ref_field(enum ls_format fmt, char delim, const char *p, size_t n, char *out)
{
	size_t i, o = 0;
	int q = 0;

	if (fmt == LS_FMT_TSV) {
		for (i = 0; i < n; i++) {
			char c = p[i];
			if (c == '\t' || c == '\n' || c == '\r' || c == '\\') {
				out[o++] = '\\';
				out[o++] = c == '\t' ? 't' : c == '\n' ? 'n' : c == '\r' ? 'r' : '\\';
			} else
				out[o++] = c;
		}
		out[o] = '\0';
		return;
	}
	for (i = 0; i < n; i++)
		if (p[i] == delim || p[i] == '"' || p[i] == '\n' || p[i] == '\r')
			q = 1;
	if (q)
		out[o++] = '"';
	for (i = 0; i < n; i++) {
		if (p[i] == '"')
			out[o++] = '"';
		out[o++] = p[i];
	}
	if (q)
		out[o++] = '"';
	out[o] = '\0';
}

/* Every special byte at every place of fields up to 40 bytes, alone and in rows. */
static void
test_writer_every_position(void **state)
{
	static const struct {
		enum ls_format fmt;
		char delim;
	} fmts[] = { { LS_FMT_CSV, ',' }, { LS_FMT_CSV, ';' }, { LS_FMT_CSV, '|' }, { LS_FMT_TSV, '\t' } };
	static const char specials[] = { ',', ';', '|', '"', '\n', '\r', '\t', '\\', '\001', ' ', '\x0d' + 1 };

	(void)state;
	/* each scan level (the writer keeps SSE2 under AVX2), over fields of one to four steps of sixteen and more */
	for (int level = LS_SCAN_SCALAR; level <= LS_SCAN_AVX2; level++)
	for (size_t k = 0; k < sizeof(fmts) / sizeof(fmts[0]); k++) {
		struct ls_writer_opts o = { 0 };
		ls_scan_force(level);
		o.format = fmts[k].fmt;
		o.delim = fmts[k].fmt == LS_FMT_CSV ? fmts[k].delim : 0;
		for (size_t n = 1; n <= 70; n++)
			for (size_t at = 0; at < n; at++)
				for (size_t c = 0; c < sizeof(specials); c++) {
					char in[71], want[256], row[320];
					struct ls_str f[3];
					char *got;

					memset(in, 'x', n);
					in[at] = specials[c];
					f[0] = (struct ls_str){ in, n };
					ref_field(o.format, fmts[k].delim, in, n, want);
					strcat(want, "\n");
					got = write_row(&o, f, 1);
					assert_string_equal(got, want);
					free(got);
					/* the same field between others, through ls_writer_fields() */
					f[1] = f[0];
					f[0] = (struct ls_str){ "ab", 2 };
					f[2] = (struct ls_str){ "0123456789", 10 };
					ref_field(o.format, fmts[k].delim, in, n, want);
					snprintf(row, sizeof(row), "ab%c%s%c0123456789\n", fmts[k].delim, want,
					    fmts[k].delim);
					got = write_row(&o, f, 3);
					assert_string_equal(got, row);
					free(got);
				}
	}
	ls_scan_force_scalar(0);
}

/* With readahead, every case reads as without it. */
static void
test_readahead_cases(void **state)
{
	struct ls_reader_opts plain = { 0 }, ra = { 0 };

	(void)state;
	ra.readahead = 1;
	/* batches holding data errors alone (found by fuzz_reader) */
	{
		static const char *const only_bad[] = { "\x9eid\r\"\xbb\n4,", "id,v\n1\n2\n", "id\n\"x\n" };
		for (size_t i = 0; i < sizeof(only_bad) / sizeof(only_bad[0]); i++) {
			char *a = dump_opts(only_bad[i], strlen(only_bad[i]), &plain);
			char *b = dump_opts(only_bad[i], strlen(only_bad[i]), &ra);
			assert_string_equal(a, b);
			free(a);
			free(b);
		}
	}
	for (size_t i = 0; i < sizeof(csv_cases) / sizeof(csv_cases[0]); i++) {
		char *a = dump_opts(csv_cases[i].in, csv_cases[i].n, &plain);
		char *b = dump_opts(csv_cases[i].in, csv_cases[i].n, &ra);
		if (strcmp(a, b) != 0)
			print_error("case '%s':\n direct:\n%s readahead:\n%s", csv_cases[i].what, a, b);
		assert_string_equal(a, b);
		free(a);
		free(b);
	}
}

/* A big stream with bad records among good ones: two readers in step, one with readahead. */
static void
test_readahead_lockstep(void **state)
{
	struct text t = { 0 };
	char line[128];
	FILE *fa, *fb;
	struct ls_reader *a, *b;
	struct ls_reader_opts oa = { 0 }, ob = { 0 };
	struct ls_error ea, eb;
	struct ls_record ra, rb;
	long n = 0, bad = 0;
	int ca, cb;

	(void)state;
	puts_(&t, "id,text,more\n");
	for (long i = 0; i < 120000; i++) {
		if (i % 1000 == 7)
			snprintf(line, sizeof(line), "%ld,ragged\n", i);
		else if (i % 1000 == 9)
			snprintf(line, sizeof(line), "%ld,\xff\xfe,bad utf-8\n", i);
		else if (i % 1000 == 11)
			snprintf(line, sizeof(line), "%ld,x\"y,stray quote\n", i);
		else if (i % 5 == 0)
			snprintf(line, sizeof(line), "%ld,\"two\nlines, \"\"q\"\"\",m%ld\n", i, i);
		else
			snprintf(line, sizeof(line), "%ld,\"t%ld\",%s\n", i, i, i % 3 ? "" : "\"Привет, мир\"");
		puts_(&t, line);
	}
	fa = input(t.p, t.n);
	fb = input(t.p, t.n);
	ob.readahead = 1;
	assert_non_null(a = ls_reader_open_fp(fa, "big.csv", &oa, &ea));
	assert_non_null(b = ls_reader_open_fp(fb, "big.csv", &ob, &eb));
	do {
		ca = ls_reader_next(a, &ra, &ea);
		cb = ls_reader_next(b, &rb, &eb);
		assert_int_equal(ca, cb);
		if (ca == 0)
			break;
		assert_int_equal(ra.line, rb.line);
		assert_string_equal(ra.file, rb.file);
		assert_string_equal(ls_reader_file(a), ls_reader_file(b));
		if (ca < 0) {
			assert_int_equal(ea.status, LS_EDATA);
			assert_int_equal(eb.status, LS_EDATA);
			assert_string_equal(ea.msg, eb.msg);
			assert_int_equal(ea.line, eb.line);
			assert_int_equal(ra.raw.n, rb.raw.n);
			assert_memory_equal(ra.raw.p, rb.raw.p, ra.raw.n);
			bad++;
			continue;
		}
		assert_int_equal(ra.nfields, rb.nfields);
		for (size_t i = 0; i < ra.nfields; i++) {
			assert_int_equal(ra.fields[i].n, rb.fields[i].n);
			assert_memory_equal(ra.fields[i].p, rb.fields[i].p, ra.fields[i].n + 1);
		}
		n++;
	} while (1);
	assert_int_equal(bad, 360);
	assert_int_equal(n, 120000 - 360);
	/* the end stays the end */
	assert_int_equal(ls_reader_next(b, &rb, &eb), 0);
	ls_reader_free(a);
	ls_reader_free(b);
	fclose(fa);
	fclose(fb);
	free(t.p);
}

/* A prepare function for the tests: the first field's length, and the first field doubled. */
struct prep_ctx {
	char twice[64];
	char len[16];
	long hinted, prepared, fail_at;
};

static int
prep_fn(void *ctx, const struct ls_record *rec, struct ls_str *x, struct ls_error *err)
{
	struct prep_ctx *c = ctx;

	if (++c->prepared == c->fail_at)
		return ls_error_set(err, LS_ENOMEM, NULL, 0, 0, "prepare failed"), -1;
	snprintf(c->len, sizeof(c->len), "%zu", rec->fields[0].n);
	snprintf(c->twice, sizeof(c->twice), "%s%s", rec->fields[0].p, rec->fields[0].p);
	x[0] = (struct ls_str){ c->len, strlen(c->len) };
	x[1] = (struct ls_str){ c->twice, strlen(c->twice) };
	return 0;
}

static void
hint_fn(void *ctx, const struct ls_record *rec)
{
	(void)rec;
	((struct prep_ctx *)ctx)->hinted++;
}

/* detach(): the reader tells the hooks' owner it has let go. */
static void
detach_fn(void *ctx)
{
	((struct prep_ctx *)ctx)->fail_at = -1;
}

/*
 * An early stop on an input of many batches: the thread is joined and
 * the hooks dropped before the caller frees what they touch (ASan sees a
 * use after free otherwise), in either order of stop and free, and the
 * reader ends quietly afterwards.
 */
static void
test_readahead_early_stop(void **state)
{
	struct text t = { 0 };
	char line[64];

	(void)state;
	puts_(&t, "id,v\n");
	for (long i = 0; i < 150000; i++) {
		snprintf(line, sizeof(line), "%ld,v\n", i);
		puts_(&t, line);
	}
	for (int thread = 0; thread < 2; thread++)
		for (int how = 0; how < 2; how++) {
			struct ls_reader_opts o = { .readahead = thread };
			struct prep_ctx *c = calloc(1, sizeof(*c));
			struct ls_error err;
			struct ls_record rec;
			struct ls_reader *r;
			FILE *fp = input(t.p, t.n);

			assert_non_null(c);
			assert_non_null(r = ls_reader_open_fp(fp, "big.csv", &o, &err));
			assert_int_equal(ls_reader_prepare(r, prep_fn, hint_fn, detach_fn, c, 2), 0);
			for (int i = 0; i < 10; i++)
				assert_int_equal(ls_reader_next(r, &rec, &err), 1);
			if (how == 0) {
				/* the owner stops the reader, then frees its context, then the reader goes */
				ls_reader_stop(r);
				assert_int_equal(c->fail_at, -1);
				free(c);
				assert_int_equal(ls_reader_next(r, &rec, &err), 0);
				ls_reader_stop(r);
				ls_reader_free(r);
			} else {
				/* the reader goes first and lets go of c */
				ls_reader_free(r);
				assert_int_equal(c->fail_at, -1);
				assert_true(c->prepared >= 10);
				free(c);
			}
			fclose(fp);
		}
	free(t.p);
}

/* A hook failing deep in a big input ends the stream there with its error, threaded or not. */
static void
test_readahead_hook_fails_late(void **state)
{
	struct text t = { 0 };
	char line[64];

	(void)state;
	puts_(&t, "id,v\n");
	for (long i = 0; i < 120000; i++) {
		snprintf(line, sizeof(line), "%ld,v\n", i);
		puts_(&t, line);
	}
	for (int thread = 0; thread < 2; thread++) {
		struct ls_reader_opts o = { .readahead = thread };
		struct prep_ctx c = { .fail_at = 100000 };
		struct ls_error err;
		struct ls_record rec;
		struct ls_reader *r;
		FILE *fp = input(t.p, t.n);
		long n = 0;
		int rc;

		assert_non_null(r = ls_reader_open_fp(fp, "big.csv", &o, &err));
		assert_int_equal(ls_reader_prepare(r, prep_fn, NULL, NULL, &c, 2), 0);
		while ((rc = ls_reader_next(r, &rec, &err)) > 0)
			n++;
		assert_int_equal(rc, -1);
		assert_int_equal(err.status, LS_ENOMEM);
		assert_string_equal(err.msg, "prepare failed");
		assert_int_equal(n, 99999);
		ls_reader_free(r);
		fclose(fp);
	}
	free(t.p);
}

/*
 * Prepared values come with their record, with or without the thread; peek
 * sees what comes next either way (without the thread, from a batch read on
 * the caller's own).
 */
static void
test_readahead_prepare(void **state)
{
	struct text t = { 0 };
	char line[64];

	(void)state;
	puts_(&t, "id,v\n");
	for (long i = 0; i < 30000; i++) {
		snprintf(line, sizeof(line), i % 100 == 5 ? "%ld\n" : "%ld,v\n", i * 7);
		puts_(&t, line);
	}
	for (int thread = 0; thread < 2; thread++)
		for (long fail_at = 0; fail_at <= 20000; fail_at += 20000) {
			struct ls_reader_opts o = { 0 };
			struct prep_ctx c = { .fail_at = fail_at };
			struct ls_error err;
			struct ls_record rec, ahead;
			struct ls_reader *r;
			FILE *fp = input(t.p, t.n);
			long n = 0, bad = 0, peeked = 0;
			int rc;
			char want[64];

			o.readahead = thread;
			assert_non_null(r = ls_reader_open_fp(fp, "p.csv", &o, &err));
			assert_int_equal(ls_reader_prepare(r, prep_fn, hint_fn, NULL, &c, 2), 0);
			while ((rc = ls_reader_next(r, &rec, &err)) != 0) {
				if (rc < 0 && err.status == LS_EDATA) {
					bad++;
					continue;
				}
				if (rc < 0)
					break;
				assert_int_equal(rec.nfields, 2);
				snprintf(want, sizeof(want), "%zu", rec.fields[0].n);
				assert_string_equal(rec.fields[2].p, want);
				snprintf(want, sizeof(want), "%s%s", rec.fields[0].p, rec.fields[0].p);
				assert_string_equal(rec.fields[3].p, want);
				if (ls_reader_peek(r, 1, &ahead)) {
					peeked++;
					assert_int_equal(ahead.nfields, 2);
					assert_int_equal(strtol(ahead.fields[0].p, NULL, 10),
					    strtol(rec.fields[0].p, NULL, 10) + (strtol(rec.fields[0].p, NULL, 10) / 7 % 100 == 4 ? 14 : 7));
					snprintf(want, sizeof(want), "%s%s", ahead.fields[0].p, ahead.fields[0].p);
					assert_string_equal(ahead.fields[3].p, want);
				}
				n++;
			}
			if (fail_at) {
				/* a failing prepare ends the stream there, with its error */
				assert_int_equal(rc, -1);
				assert_string_equal(err.msg, "prepare failed");
				assert_int_equal(n, fail_at - 1);
				assert_int_equal(ls_reader_next(r, &rec, &err), -1);
			} else {
				assert_int_equal(n, 30000 - 300);
				assert_int_equal(bad, 300);
				assert_int_equal(c.prepared, n);
			}
			assert_true(peeked > n / 2);
			assert_true(c.hinted >= n);
			/* too late to change it once reading has begun in batches */
			assert_int_equal(ls_reader_prepare(r, NULL, NULL, NULL, NULL, 0), LS_EUSAGE);
			ls_reader_free(r);
			fclose(fp);
		}
	free(t.p);
}

static void
on_alarm(int sig)
{
	(void)sig;
	static const char msg[] = "test_readahead_cancel: ls_reader_free() hung\n";
	(void)!write(2, msg, sizeof(msg) - 1);
	_exit(1);
}

/* Freeing a reader whose thread waits on a pipe that stays open does not hang. */
static void
test_readahead_cancel(void **state)
{
	int fds[2];
	pid_t pid;
	FILE *fp;
	struct ls_reader_opts o = { 0 };
	struct ls_error err;
	struct ls_record rec;
	struct ls_reader *r;

	(void)state;
	assert_int_equal(pipe(fds), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		char line[32];
		FILE *w = fdopen(fds[1], "w");
		close(fds[0]);
		fputs("id,v\n", w);
		for (long i = 0; i < 300000; i++) {
			snprintf(line, sizeof(line), "%ld,value\n", i);
			fputs(line, w);
		}
		fflush(w);
		pause();	/* the pipe stays open until the test kills us */
		_exit(0);
	}
	close(fds[1]);
	fp = fdopen(fds[0], "r");
	o.readahead = 1;
	assert_non_null(r = ls_reader_open_fp(fp, "pipe", &o, &err));
	assert_int_equal(ls_reader_next(r, &rec, &err), 1);
	assert_string_equal(rec.fields[0].p, "0");
	/* let the thread read on and block */
	usleep(200000);
	signal(SIGALRM, on_alarm);
	alarm(20);
	ls_reader_free(r);
	alarm(0);
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	fclose(fp);
}

/* ls_reader_lookahead(): peek without a thread and without hooks; too late once reading began. */
static void
test_lookahead(void **state)
{
	struct text t = { 0 };
	char line[32];
	struct ls_error err;
	struct ls_record rec, ahead;
	struct ls_reader *r;
	FILE *fp;
	long n = 0, peeked = 0;

	(void)state;
	puts_(&t, "id\n");
	for (long i = 0; i < 3000; i++) {
		snprintf(line, sizeof(line), "%ld\n", i);
		puts_(&t, line);
	}
	fp = input(t.p, t.n);
	assert_non_null(r = ls_reader_open_fp(fp, "k.csv", NULL, &err));
	assert_int_equal(ls_reader_lookahead(r), 0);
	while (ls_reader_next(r, &rec, &err) > 0) {
		assert_int_equal(strtol(rec.fields[0].p, NULL, 10), n);
		if (ls_reader_peek(r, 3, &ahead)) {
			assert_int_equal(strtol(ahead.fields[0].p, NULL, 10), n + 3);
			peeked++;
		}
		n++;
	}
	assert_int_equal(n, 3000);
	assert_true(peeked > 2000);
	assert_int_equal(ls_reader_lookahead(r), LS_EUSAGE);
	ls_reader_free(r);
	fclose(fp);
	free(t.p);
}

/* The record estimate: near the truth for a file, 0 for a pipe. */
static void
test_estimate(void **state)
{
	struct text t = { 0 };
	char line[64];
	struct ls_error err;
	struct ls_reader *r;
	FILE *fp;
	size_t est;
	int fds[2];

	(void)state;
	puts_(&t, "id,name,note\n");
	for (long i = 0; i < 50000; i++) {
		snprintf(line, sizeof(line), "%ld,name %ld,%s\n", i, i * 31 % 1000, i % 2 ? "odd" : "even one");
		puts_(&t, line);
	}
	fp = input(t.p, t.n);
	assert_non_null(r = ls_reader_open_fp(fp, "e.csv", NULL, &err));
	est = ls_reader_estimate(r);
	assert_true(est > 45000 && est < 55000);
	ls_reader_free(r);
	fclose(fp);
	free(t.p);

	assert_int_equal(pipe(fds), 0);
	assert_int_equal(write(fds[1], "a,b\n1,2\n", 8), 8);
	close(fds[1]);
	fp = fdopen(fds[0], "r");
	assert_non_null(r = ls_reader_open_fp(fp, "pipe", NULL, &err));
	assert_int_equal(ls_reader_estimate(r), 0);
	ls_reader_free(r);
	fclose(fp);
}

static void
test_writer_rows(void **state)
{
	struct ls_writer_opts o = { 0 };
	struct ls_str f[3] = { { "a", 1 }, { "", 0 }, { "c,d", 3 } };
	char *got;

	(void)state;
	got = write_row(&o, f, 3);
	assert_string_equal(got, "a,,\"c,d\"\n");
	free(got);
	o.format = LS_FMT_TSV;
	got = write_row(&o, f, 3);
	assert_string_equal(got, "a\t\tc,d\n");
	free(got);
	/* a field bigger than the writer's buffer */
	{
		size_t n = 3u << 20;
		char *big = malloc(n);
		struct ls_str bf = { big, n };
		assert_non_null(big);
		memset(big, '"', n);
		o.format = LS_FMT_CSV;
		got = write_row(&o, &bf, 1);
		assert_int_equal(strlen(got), 2 * n + 3);
		assert_int_equal(strspn(got, "\""), 2 * n + 2);
		free(got);
		free(big);
	}
}

/* Rows written and read back are the rows written. */
static void
test_round_trip(void **state)
{
	static const char *const rows[][3] = {
		{ "id", "text", "note" },
		{ "1", "plain", "" },
		{ "2", "a,b", "say \"hi\"" },
		{ "3", "line\nbreak", "crlf\r\nend" },
		{ "4", " spaced ", "\ttab" },
		{ "5", "\"", "\"\"" },
		{ "6", "back\\slash", "\\t\\n" },
		{ "7", "cr\r", "semi;colon" },
		{ "8", "Привет", "\r" },
		{ "", "", "" },
	};
	const size_t nrows = sizeof(rows) / sizeof(rows[0]);
	static const struct {
		enum ls_format fmt;
		char delim;
		int all_libcsv;
	} fmts[] = { { LS_FMT_CSV, 0, 0 }, { LS_FMT_CSV, 0, 1 }, { LS_FMT_CSV, ';', 0 }, { LS_FMT_TSV, 0, 0 } };

	(void)state;
	for (size_t k = 0; k < sizeof(fmts) / sizeof(fmts[0]); k++) {
		struct ls_writer_opts wo = { 0 };
		struct ls_reader_opts ro = { 0 };
		struct ls_error err;
		struct ls_record rec;
		FILE *fp = tmpfile();
		struct ls_writer *w;
		struct ls_reader *r;

		assert_non_null(fp);
		wo.format = ro.format = fmts[k].fmt;
		wo.delim = ro.delim = fmts[k].delim;
		ro.all_libcsv = fmts[k].all_libcsv;
		assert_non_null(w = ls_writer_open("-", fp, &wo, &err));
		for (size_t i = 0; i < nrows; i++) {
			for (size_t j = 0; j < 3; j++)
				ls_writer_cstr(w, rows[i][j]);
			ls_writer_end(w);
		}
		assert_int_equal(ls_writer_commit(w, &err), 0);
		ls_writer_free(w);
		rewind(fp);
		assert_non_null(r = ls_reader_open_fp(fp, "rt", &ro, &err));
		assert_int_equal(ls_reader_ncols(r), 3);
		for (size_t i = 1; i < nrows; i++) {
			assert_int_equal(ls_reader_next(r, &rec, &err), 1);
			for (size_t j = 0; j < 3; j++)
				assert_string_equal(rec.fields[j].p, rows[i][j]);
		}
		assert_int_equal(ls_reader_next(r, &rec, &err), 0);
		ls_reader_free(r);
		fclose(fp);
	}
}

static void
test_writer_temp_and_rename(void **state)
{
	struct ls_writer_opts o = { 0 };
	struct ls_error err;
	struct ls_writer *w;
	struct dir d;
	const char *path;
	char *s;

	(void)state;
	new_dir(&d);
	path = add_file(&d, "out.csv", S("old\n"));

	/* without commit: no temp left, the old file untouched */
	assert_non_null(w = ls_writer_open(path, NULL, &o, &err));
	ls_writer_cstr(w, "new");
	ls_writer_end(w);
	assert_int_equal(ls_writer_flush(w, &err), 0);
	s = list_dir(d.path);
	assert_string_equal(s, "out.csv out.csv.tmp*");
	free(s);
	ls_writer_free(w);
	s = list_dir(d.path);
	assert_string_equal(s, "out.csv");
	free(s);
	s = slurp(path);
	assert_string_equal(s, "old\n");
	free(s);

	/* commit replaces the file; the old one is there until then */
	assert_non_null(w = ls_writer_open(path, NULL, &o, &err));
	ls_writer_cstr(w, "a,b");
	ls_writer_end(w);
	s = slurp(path);
	assert_string_equal(s, "old\n");
	free(s);
	assert_int_equal(ls_writer_commit(w, &err), 0);
	ls_writer_free(w);
	s = list_dir(d.path);
	assert_string_equal(s, "out.csv");
	free(s);
	s = slurp(path);
	assert_string_equal(s, "\"a,b\"\n");
	free(s);

	/* a new file in a missing folder: an error naming it, nothing created */
	{
		char missing[128];
		snprintf(missing, sizeof(missing), "%s/no/out.csv", d.path);
		assert_null(ls_writer_open(missing, NULL, &o, &err));
		assert_int_equal(err.status, LS_EIO);
		assert_string_equal(err.file, missing);
	}
	ls_writer_free(NULL);
	free_dir(&d);
}

static void
test_writer_full(void **state)
{
	struct ls_writer_opts o = { 0 };
	struct ls_error err;
	struct ls_writer *w;
	FILE *fp = fopen("/dev/full", "wb");

	(void)state;
	if (fp == NULL)
		skip();
	assert_non_null(w = ls_writer_open(NULL, fp, &o, &err));
	for (int i = 0; i < 100000; i++) {
		ls_writer_cstr(w, "0123456789");
		ls_writer_end(w);
	}
	assert_int_equal(ls_writer_commit(w, &err), LS_EIO);
	assert_non_null(strstr(err.msg, "write error"));
	ls_writer_free(w);
	fclose(fp);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_csv_cases),
		cmocka_unit_test(test_differential_all_libcsv),
		cmocka_unit_test(test_csv_cases_scalar),
		cmocka_unit_test(test_csv_cases_sse2),
		cmocka_unit_test(test_utf8_paths),
		cmocka_unit_test(test_differential_spanning),
		cmocka_unit_test(test_error_raw),
		cmocka_unit_test(test_invalid_utf8_message),
		cmocka_unit_test(test_utf8_ahead),
		cmocka_unit_test(test_delimiter),
		cmocka_unit_test(test_tsv),
		cmocka_unit_test(test_tsv_by_name),
		cmocka_unit_test(test_several_files),
		cmocka_unit_test(test_header_mismatch),
		cmocka_unit_test(test_big_fields),
		cmocka_unit_test(test_many_lines),
		cmocka_unit_test(test_encoding_cp1251),
		cmocka_unit_test(test_encoding_errors),
		cmocka_unit_test(test_estimate),
		cmocka_unit_test(test_readahead_cases),
		cmocka_unit_test(test_readahead_lockstep),
		cmocka_unit_test(test_readahead_prepare),
		cmocka_unit_test(test_readahead_cancel),
		cmocka_unit_test(test_lookahead),
		cmocka_unit_test(test_writer_quoting),
		cmocka_unit_test(test_writer_every_position),
		cmocka_unit_test(test_writer_rows),
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_writer_temp_and_rename),
		cmocka_unit_test(test_writer_full),
		cmocka_unit_test(test_readahead_early_stop),
		cmocka_unit_test(test_readahead_hook_fails_late),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
