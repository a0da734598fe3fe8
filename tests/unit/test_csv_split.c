/*
 * test_csv_split.c - ls_csv_split_record(): one record in memory, split the
 * way the stream reader splits it.  Table cases, then the same bytes read
 * both ways: records the library's writer wrote, and random bytes with
 * quotes, delimiters and line breaks in bad places.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "record.h"
#include "scan.h"
#include "writer.h"

/* mode >> 1 of the loops below: the scan each read is made with (capped at what the CPU has) */
static const int scan_levels[] = { LS_SCAN_AVX2, LS_SCAN_SCALAR, LS_SCAN_SSE2 };

/* Split a copy of s (n + 1 bytes, as the function asks) and return the copy; *nf gets the result. */
static char *
split(const char *s, size_t n, char sep, struct ls_str **f, size_t *fcap, long *nf, size_t *bad)
{
	char *p = malloc(n + 1);

	assert_non_null(p);
	memcpy(p, s, n);
	p[n] = 'X';	/* the NUL of the last field goes here: nothing may read it before */
	*nf = ls_csv_split_record(p, n, sep, f, fcap, bad);
	return p;
}

/* Fields as "a|b|c", each checked for its NUL; or "E-2@5" for a refusal at byte 5. */
static void
show(char *out, size_t size, long nf, const struct ls_str *f, size_t bad)
{
	size_t o = 0;

	if (nf < 0) {
		snprintf(out, size, "E%ld@%zu", nf, bad);
		return;
	}
	out[0] = '\0';
	for (long i = 0; i < nf; i++) {
		assert_int_equal(f[i].p[f[i].n], '\0');
		o += (size_t)snprintf(out + o, size - o, "%s%.*s", i ? "|" : "", (int)f[i].n, f[i].p);
		assert_true(o < size);
	}
}

static void
test_cases(void **state)
{
	static const struct {
		const char *in, *want;
	} cases[] = {
		{ "", "" },
		{ "a", "a" },
		{ "a,b,c", "a|b|c" },
		{ ",", "|" },
		{ "a,", "a|" },
		{ ",,", "||" },
		{ " a , b ", " a | b " },		/* spaces are data */
		{ "\"a\",b", "a|b" },
		{ "\"\"", "" },
		{ "\"\",\"\"", "|" },
		{ "\"a,b\",c", "a,b|c" },
		{ "\"a\"\"b\"", "a\"b" },
		{ "\"\"\"\"", "\"" },
		{ "\"\"\"a\"\"\",x", "\"a\"|x" },
		{ "\"a\nb\",c", "a\nb|c" },		/* a line break inside quotes is text */
		{ "\"a\r\nb\",\"c\rd\"", "a\r\nb|c\rd" },
		{ "x,\"a\n\"\"b\"\"\n\",y", "x|a\n\"b\"\n|y" },
		{ "\xd0\x96,\"\xe2\x82\xac\"", "\xd0\x96|\xe2\x82\xac" },
		{ "a\"b", "E-2@1" },			/* a quote in a bare field */
		{ "a,b\"", "E-2@3" },
		{ " \"a\"", "E-2@1" },			/* a space first: the field is bare */
		{ "\"a\"b", "E-3@3" },			/* text after the closing quote */
		{ "\"a\" ,b", "E-3@3" },
		{ "x,\"a\nb\"c", "E-3@7" },
		{ "\"a", "E-4@0" },			/* never closed: the opening quote */
		{ "x,\"a\"\"", "E-4@2" },
		{ "x,\"a\nb", "E-4@2" },
		{ "a\nb", "E-5@1" },			/* a break outside quotes: two records */
		{ "a\rb", "E-5@1" },
		{ "\"a\"\r\n", "E-5@3" },
		{ "\"a\nb\",c\nd", "E-5@7" },
		{ "a\"b\nc", "E-2@1" },			/* the first fault is the one told */
	};
	struct ls_str *f = NULL;
	size_t fcap = 0;

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char got[256];
		size_t n = strlen(cases[i].in), bad = 9999;
		long nf;
		char *p = split(cases[i].in, n, ',', &f, &fcap, &nf, &bad);

		show(got, sizeof(got), nf, f, bad);
		if (strcmp(got, cases[i].want) != 0)
			fail_msg("case %zu: got '%s', want '%s'", i, got, cases[i].want);
		/* a refusal leaves the bytes as they were */
		if (nf < 0)
			assert_memory_equal(p, cases[i].in, n);
		free(p);
	}
	free(f);
}

/* Another delimiter, a bad one, no *bad, and fields past 64 (the "" mask's end) with "" in them. */
static void
test_delims_and_many_fields(void **state)
{
	struct ls_str *f = NULL;
	size_t fcap = 0, bad;
	char buf[64], big[4096];
	long nf;
	size_t o = 0;

	(void)state;
	strcpy(buf, "a;\"b;c\";d,e");
	assert_int_equal(ls_csv_split_record(buf, strlen(buf), ';', &f, &fcap, NULL), 3);
	assert_string_equal(f[1].p, "b;c");
	assert_string_equal(f[2].p, "d,e");
	strcpy(buf, "a\tb");
	assert_int_equal(ls_csv_split_record(buf, strlen(buf), '\t', &f, &fcap, NULL), 2);
	assert_int_equal(ls_csv_split_record(buf, strlen(buf), '"', &f, &fcap, &bad), LS_CSV_ESEP);
	assert_int_equal(ls_csv_split_record(buf, strlen(buf), '\n', &f, &fcap, &bad), LS_CSV_ESEP);
	strcpy(buf, "a\"b");
	assert_int_equal(ls_csv_split_record(buf, strlen(buf), ',', &f, &fcap, NULL), LS_CSV_EQUOTE);

	for (int i = 0; i < 200; i++)
		o += (size_t)snprintf(big + o, sizeof(big) - o, "%s%s", i ? "," : "",
		    i % 3 == 0 ? "\"q\"\"\"" : i % 3 == 1 ? "\"p\"" : "b");
	nf = ls_csv_split_record(big, o, ',', &f, &fcap, &bad);
	assert_int_equal(nf, 200);
	assert_true(fcap >= 200);
	for (int i = 0; i < 200; i++)
		assert_string_equal(f[i].p, i % 3 == 0 ? "q\"" : i % 3 == 1 ? "p" : "b");
	free(f);
}

/* Random text from pieces that matter to CSV; UTF-8 whole, no NUL (the reader refuses those). */
static size_t
random_text(char *out, size_t max, unsigned *seed, int bad_places)
{
	static const char *const good[] = { "a", "b", " ", ",", ";", "\"", "\n", "\r", "\r\n",
	    "\xc3\xa9", "\xe2\x82\xac", "\xf0\x9f\x98\x80", "\"\"", "=", "\t" };
	size_t n = 0, k = (size_t)(rand_r(seed) % (bad_places ? 12 : 9));

	for (size_t i = 0; i < k; i++) {
		const char *piece = good[rand_r(seed) % (sizeof(good) / sizeof(good[0]))];
		size_t len = strlen(piece);
		if (n + len >= max)
			break;
		memcpy(out + n, piece, len);
		n += len;
	}
	return n;
}

/*
 * Records the writer writes, read by the stream reader (fast path and
 * libcsv, SIMD and portable scans) and split from each record's raw text:
 * the same fields, and the ones written.
 */
static void
test_differential_writer(void **state)
{
	enum { ROWS = 400, MAXC = 9 };
	struct ls_str *f = NULL;
	size_t fcap = 0;
	unsigned seed = 25;

	(void)state;
	for (int round = 0; round < 24; round++) {
		char sep = round % 3 == 2 ? ';' : ',';
		size_t ncols = 2 + (size_t)(rand_r(&seed) % (MAXC - 1));
		static char text[ROWS][MAXC][64];
		static size_t len[ROWS][MAXC];
		long off[ROWS + 1];
		char *all;
		struct ls_writer_opts wo = { .format = LS_FMT_CSV, .delim = sep };
		struct ls_error err;
		struct ls_writer *w;
		FILE *fp = tmpfile();

		assert_non_null(fp);
		assert_non_null(w = ls_writer_open(NULL, fp, &wo, &err));
		for (size_t c = 0; c < ncols; c++) {
			char name[32];
			snprintf(name, sizeof(name), "c%zu", c);
			ls_writer_cstr(w, name);
		}
		ls_writer_end(w);
		for (int i = 0; i < ROWS; i++) {
			/* where each row starts: the reader's split leaves its raw text split too */
			assert_int_equal(ls_writer_flush(w, &err), 0);
			off[i] = ftell(fp);
			for (size_t c = 0; c < ncols; c++) {
				len[i][c] = random_text(text[i][c], sizeof(text[i][c]), &seed, 0);
				ls_writer_field(w, text[i][c], len[i][c]);
			}
			ls_writer_end(w);
		}
		assert_int_equal(ls_writer_flush(w, &err), 0);
		off[ROWS] = ftell(fp);
		ls_writer_free(w);
		assert_non_null(all = malloc((size_t)off[ROWS]));
		rewind(fp);
		assert_int_equal(fread(all, 1, (size_t)off[ROWS], fp), (size_t)off[ROWS]);

		for (int mode = 0; mode < 6; mode++) {
			struct ls_reader_opts ro = { .format = LS_FMT_CSV, .delim = sep,
			    .all_libcsv = mode & 1 };
			struct ls_reader *r;
			struct ls_record rec;
			int rc, i = 0;

			ls_scan_force(scan_levels[mode >> 1]);
			rewind(fp);
			assert_non_null(r = ls_reader_open_fp(fp, "t.csv", &ro, &err));
			while ((rc = ls_reader_next(r, &rec, &err)) > 0) {
				size_t bad = 0;
				long nf;
				char *p;

				assert_true(i < ROWS);
				/* the row's bytes without their line feed; as long as the reader took */
				assert_int_equal(rec.raw.n, (size_t)(off[i + 1] - off[i] - 1));
				p = split(all + off[i], rec.raw.n, sep, &f, &fcap, &nf, &bad);
				if (nf != (long)rec.nfields)
					fail_msg("round %d mode %d row %d: split %ld fields (bad %zu), reader %zu",
					    round, mode, i, nf, bad, rec.nfields);
				for (size_t c = 0; c < rec.nfields; c++) {
					assert_int_equal(f[c].n, rec.fields[c].n);
					assert_memory_equal(f[c].p, rec.fields[c].p, f[c].n);
					assert_int_equal(f[c].n, len[i][c]);
					assert_memory_equal(f[c].p, text[i][c], f[c].n);
				}
				free(p);
				i++;
			}
			if (rc < 0)
				fail_msg("round %d mode %d: %s", round, mode, err.msg);
			assert_int_equal(i, ROWS);
			ls_reader_free(r);
		}
		ls_scan_force(0);
		fclose(fp);
		free(all);
	}
	free(f);
}

/*
 * Random bytes, quotes and breaks anywhere, as one file: the reader's first
 * record (its header) against the split of all the bytes.  One record with
 * nothing after it: the same fields.  A data error in it: the same fault.
 * More records after it: the split finds the break outside quotes.
 */
static void
test_differential_random(void **state)
{
	struct ls_str *f = NULL;
	size_t fcap = 0;
	unsigned seed = 4180;
	int agree[4] = { 0 };

	(void)state;
	for (int round = 0; round < 6000; round++) {
		char text[256], sep = round % 5 == 4 ? ';' : ',';
		size_t n = random_text(text, sizeof(text), &seed, 1), bad = 0;
		long nf;
		char *p;

		/* blank lines before the first record are skipped by the stream, a line end after it is not the record's */
		if (n == 0)
			continue;
		if (text[0] == '\n' || text[0] == '\r')
			text[0] = 'x';
		if (text[n - 1] == '\n' || text[n - 1] == '\r')
			text[n - 1] = 'y';
		p = split(text, n, sep, &f, &fcap, &nf, &bad);
		for (int mode = 0; mode < 6; mode++) {
			struct ls_reader_opts ro = { .format = LS_FMT_CSV, .delim = sep,
			    .all_libcsv = mode & 1 };
			struct ls_error err;
			struct ls_reader *r;
			struct ls_record rec;
			FILE *fp = tmpfile();
			int rc;

			assert_non_null(fp);
			assert_int_equal(fwrite(text, 1, n, fp), n);
			rewind(fp);
			ls_scan_force(scan_levels[mode >> 1]);
			r = ls_reader_open_fp(fp, "t.csv", &ro, &err);
			if (r == NULL) {
				int quoting = strncmp(err.msg, "bad quoting", 11) == 0;
				int open = strncmp(err.msg, "unterminated", 12) == 0;

				assert_int_equal(err.status, LS_EDATA);
				if (!(quoting && (nf == LS_CSV_EQUOTE || nf == LS_CSV_ETEXT)) &&
				    !(open && nf == LS_CSV_EOPEN))
					fail_msg("round %d mode %d '%.*s': reader '%s', split %ld", round, mode,
					    (int)n, text, err.msg, nf);
				agree[0]++;
			} else if ((rc = ls_reader_next(r, &rec, &err)) != 0) {
				if (nf != LS_CSV_EBREAK)
					fail_msg("round %d mode %d '%.*s': reader reads on, split %ld", round,
					    mode, (int)n, text, nf);
				agree[1]++;
			} else {
				const struct ls_str *h = ls_reader_header(r);

				if (nf != (long)ls_reader_ncols(r))
					fail_msg("round %d mode %d '%.*s': reader %zu fields, split %ld", round,
					    mode, (int)n, text, ls_reader_ncols(r), nf);
				for (long c = 0; c < nf; c++) {
					assert_int_equal(f[c].n, h[c].n);
					assert_memory_equal(f[c].p, h[c].p, f[c].n);
				}
				agree[2]++;
			}
			ls_reader_free(r);
			fclose(fp);
		}
		free(p);
	}
	ls_scan_force(0);
	/* each kind was met often: the generator did not drift into one */
	for (int k = 0; k < 3; k++)
		assert_true(agree[k] > 1000);
	free(f);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cases),
		cmocka_unit_test(test_delims_and_many_fields),
		cmocka_unit_test(test_differential_writer),
		cmocka_unit_test(test_differential_random),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
