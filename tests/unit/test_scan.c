/*
 * test_scan.c - the choice between the AVX2, SSE2 and portable scans
 * (LS_SCALAR, LS_SCAN, forcing, re-choosing), and the reader's split under
 * each with every special byte at every position of the 16- and 32-byte
 * steps.
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

static const int levels[] = { LS_SCAN_SCALAR, LS_SCAN_SSE2, LS_SCAN_AVX2 };

static int
least(int a, int b)
{
	return a < b ? a : b;
}

/* The CPU's best: SSE2 at least on x86-64; AVX2 exactly when the CPU has it. */
static void
test_best(void **state)
{
	(void)state;
#if defined(__x86_64__)
	assert_true(ls_scan_best() >= LS_SCAN_SSE2);
#endif
#if LS_SCAN_X86
	assert_int_equal(ls_scan_best() == LS_SCAN_AVX2, __builtin_cpu_supports("avx2") != 0);
#else
	assert_int_equal(ls_scan_best(), LS_SCAN_SCALAR);
#endif
}

static void
test_choose_from_environment(void **state)
{
	const int best = ls_scan_best();
	const struct {
		const char *scalar;	/* LS_SCALAR, NULL: unset */
		const char *scan;	/* LS_SCAN, NULL: unset */
		int mode;		/* ls_scan_choose()'s answer */
	} choices[] = {
		{ NULL, NULL, best },
		{ "", NULL, best },
		{ "0", NULL, best },
		{ "1", NULL, LS_SCAN_SCALAR },
		{ "yes", NULL, LS_SCAN_SCALAR },
		{ "00", NULL, LS_SCAN_SCALAR },		/* only "0" itself means no */
		{ " ", NULL, LS_SCAN_SCALAR },
		{ NULL, "scalar", LS_SCAN_SCALAR },
		{ NULL, "sse2", least(LS_SCAN_SSE2, best) },
		{ NULL, "avx2", least(LS_SCAN_AVX2, best) },
		{ "0", "sse2", least(LS_SCAN_SSE2, best) },
		{ "1", "avx2", LS_SCAN_SCALAR },	/* LS_SCALAR wins */
		{ "1", "sse2", LS_SCAN_SCALAR },
		{ NULL, "", best },			/* anything else: as if unset */
		{ NULL, "AVX2", best },
		{ NULL, "sse", best },
		{ NULL, "avx512", best },
		{ NULL, "scalar ", best },
	};

	(void)state;
	for (size_t i = 0; i < sizeof choices / sizeof choices[0]; i++) {
		if (choices[i].scalar == NULL)
			unsetenv("LS_SCALAR");
		else
			setenv("LS_SCALAR", choices[i].scalar, 1);
		if (choices[i].scan == NULL)
			unsetenv("LS_SCAN");
		else
			setenv("LS_SCAN", choices[i].scan, 1);
		ls_scan_force(0);	/* choose again */
		assert_int_equal(atomic_load(&ls_scan_mode), 0);
		if (ls_scan_choose() != choices[i].mode)
			fail_msg("LS_SCALAR=%s LS_SCAN=%s: mode %d, expected %d",
			    choices[i].scalar ? choices[i].scalar : "(unset)",
			    choices[i].scan ? choices[i].scan : "(unset)", ls_scan_choose(), choices[i].mode);
		assert_int_equal(atomic_load(&ls_scan_mode), choices[i].mode);
		ls_scan_force(0);
		assert_int_equal(ls_scan_level(), choices[i].mode);
		assert_int_equal(ls_scan_simd(), choices[i].mode >= LS_SCAN_SSE2);
	}
	unsetenv("LS_SCALAR");
	unsetenv("LS_SCAN");
	ls_scan_force(0);
}

/* Forcing wins over the environment until it is lifted; lifting reads the environment again. */
static void
test_force(void **state)
{
	const int best = ls_scan_best();

	(void)state;
	unsetenv("LS_SCALAR");
	unsetenv("LS_SCAN");
	ls_scan_force_scalar(1);
	assert_int_equal(atomic_load(&ls_scan_mode), LS_SCAN_SCALAR);
	assert_false(ls_scan_simd());
	assert_false(ls_scan_simd());	/* the choice stays made */
	ls_scan_force_scalar(0);
	assert_int_equal(atomic_load(&ls_scan_mode), 0);
	assert_int_equal(ls_scan_level(), best);
	assert_int_equal(atomic_load(&ls_scan_mode), best);
	/* once chosen, a later change of LS_SCALAR is not seen until the choice is made again */
	setenv("LS_SCALAR", "1", 1);
	assert_int_equal(ls_scan_level(), best);
	ls_scan_force(0);
	assert_false(ls_scan_simd());
	unsetenv("LS_SCALAR");
	/* each level, capped at what the CPU has; forcing beats LS_SCAN */
	setenv("LS_SCAN", "scalar", 1);
	for (size_t i = 0; i < sizeof levels / sizeof levels[0]; i++) {
		ls_scan_force(levels[i]);
		assert_int_equal(ls_scan_level(), least(levels[i], best));
	}
	/* a level that is none: as 0, choose again */
	ls_scan_force(LS_SCAN_AVX2 + 1);
	assert_int_equal(atomic_load(&ls_scan_mode), 0);
	assert_int_equal(ls_scan_level(), LS_SCAN_SCALAR);
	ls_scan_force(-1);
	assert_int_equal(atomic_load(&ls_scan_mode), 0);
	unsetenv("LS_SCAN");
	ls_scan_force(0);
	assert_int_equal(ls_scan_level(), best);
	ls_scan_force(0);
}

/* "x" * n */
static void
fill(char *o, char c, size_t n)
{
	memset(o, c, n);
}

/*
 * A record in memory (ls_csv_split_record(), its bytes ending where the
 * record ends, so the vector scans meet the end of what they may load):
 * the delimiter, a stray quote and a closing quote at every position of
 * records of 1 to 80 bytes, at every alignment of 0 to 31, under each scan.
 */
static void
test_split_every_position(void **state)
{
	char *buf = malloc(160);
	struct ls_str *f = NULL;
	size_t fcap = 0;

	(void)state;
	assert_non_null(buf);
	for (size_t li = 0; li < sizeof levels / sizeof levels[0]; li++) {
		ls_scan_force(levels[li]);
		for (size_t align = 0; align < 32; align++)
		for (size_t n = 1; n <= 80; n++)
		for (size_t at = 0; at < n; at++) {
			char *p = buf + align;
			size_t bad = 0;
			long nf;

			/* the delimiter at 'at': two bare fields */
			fill(p, 'x', n);
			p[at] = ',';
			nf = ls_csv_split_record(p, n, ',', &f, &fcap, &bad);
			if (nf != 2 || f[0].n != at || f[1].n != n - at - 1 || f[1].p != p + at + 1)
				fail_msg("level %d align %zu n %zu: ',' at %zu: %ld fields", levels[li], align, n, at, nf);
			/* a stray quote at 'at' (not first): bad quoting, found where it is */
			if (at > 0) {
				fill(p, 'x', n);
				p[at] = '"';
				nf = ls_csv_split_record(p, n, ',', &f, &fcap, &bad);
				if (nf != LS_CSV_EQUOTE || bad != at)
					fail_msg("level %d align %zu n %zu: '\"' at %zu: %ld, bad %zu", levels[li],
					    align, n, at, nf, bad);
			}
			/* a quoted field closing at 'at' (>= 1), then the delimiter and a bare field */
			if (at >= 1 && at + 1 < n) {
				fill(p, 'q', n);
				p[0] = '"';
				p[at] = '"';
				p[at + 1] = ',';
				nf = ls_csv_split_record(p, n, ',', &f, &fcap, &bad);
				if (nf != 2 || f[0].n != at - 1 || f[0].p != p + 1 || f[1].n != n - at - 2)
					fail_msg("level %d align %zu n %zu: closing quote at %zu: %ld fields",
					    levels[li], align, n, at, nf);
			}
		}
	}
	ls_scan_force(0);
	free(f);
	free(buf);
}

/*
 * The stream's split (the read buffer goes on past the line, so the vector
 * scans take their full steps): lines of every length up to 90 with the
 * delimiter, the closing quote of a first field, a doubled quote and the
 * line end (LF, CR LF, lone CR) at every position, the lines packed one
 * after another so that they start at every offset of a 32-byte step.
 * Every scan reads the fields the lines were made of.
 */
static void
test_stream_every_position(void **state)
{
	char *text = NULL, *want = NULL;
	size_t tn = 0, wn = 0;
	FILE *t = open_memstream(&text, &tn), *w = open_memstream(&want, &wn);

	(void)state;
	assert_non_null(t);
	assert_non_null(w);
	fputs("h1,h2\n", t);
	for (int k = 0; k < 90; k++) {
		static const char *const ends[] = { "\n", "\r\n", "\r" };
		int m = (k * 7) % 37;
		const char *end = ends[k % 3];

		/* bare, bare */
		fprintf(t, "%.*s,%.*s%s", k, "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
		    m, "yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy", end);
		fprintf(w, "%d|%d\n", k, m);
		/* quoted, bare */
		fprintf(t, "\"%.*s\",%.*s%s", k, "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb",
		    m, "ccccccccccccccccccccccccccccccccccccccccccccc", end);
		fprintf(w, "%d|%d\n", k, m);
		/* quoted with "" after k bytes, bare */
		fprintf(t, "\"%.*s\"\"dd\",%.*s%s", k, "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb",
		    m, "ccccccccccccccccccccccccccccccccccccccccccccc", end);
		fprintf(w, "%d|%d\n", k + 3, m);
	}
	assert_int_equal(fclose(t), 0);
	assert_int_equal(fclose(w), 0);
	for (size_t li = 0; li < sizeof levels / sizeof levels[0]; li++) {
		struct ls_reader_opts o = { .format = LS_FMT_CSV, .delim = ',' };
		struct ls_error err;
		struct ls_record rec;
		struct ls_reader *r;
		char *got = NULL;
		size_t gn = 0;
		FILE *g = open_memstream(&got, &gn), *in = fmemopen(text, tn, "rb");
		int rc;

		assert_non_null(g);
		assert_non_null(in);
		ls_scan_force(levels[li]);
		assert_non_null(r = ls_reader_open_fp(in, "t.csv", &o, &err));
		while ((rc = ls_reader_next(r, &rec, &err)) > 0) {
			assert_int_equal(rec.nfields, 2);
			fprintf(g, "%zu|%zu\n", rec.fields[0].n, rec.fields[1].n);
			/* the bytes too: the doubled quote collapsed, the rest as written */
			for (size_t c = 0; c < rec.fields[0].n; c++)
				if (rec.fields[0].p[c] != 'x' && rec.fields[0].p[c] != 'b' &&
				    !(rec.fields[0].p[c] == '"' && c + 3 == rec.fields[0].n) &&
				    !(rec.fields[0].p[c] == 'd' && c + 3 > rec.fields[0].n))
					fail_msg("level %d line %ld: byte %zu of the first field is %c", levels[li],
					    rec.line, c, rec.fields[0].p[c]);
		}
		if (rc < 0)
			fail_msg("level %d: %s", levels[li], err.msg);
		ls_reader_free(r);
		fclose(in);
		assert_int_equal(fclose(g), 0);
		assert_string_equal(got, want);
		free(got);
	}
	ls_scan_force(0);
	free(text);
	free(want);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_best),
		cmocka_unit_test(test_choose_from_environment),
		cmocka_unit_test(test_force),
		cmocka_unit_test(test_split_every_position),
		cmocka_unit_test(test_stream_every_position),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
