/*
 * test_writer.c - the record writer's refusals and failures: an unknown
 * output encoding, nothing to write to, devices written in place, a full
 * device, text that another encoding cannot hold, a first field that
 * would read back as a BOM; the bigger buffer of a pipe written to; the
 * formula guard of output meant for Excel; and rows whose fields lie
 * together, copied in spans, byte for byte as field by field.
 */
#define _GNU_SOURCE		/* F_GETPIPE_SZ */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <fcntl.h>
#include <unistd.h>

#include "record.h"
#include "writer.h"

static void
test_open_refused(void **state)
{
	struct ls_writer_opts o = { 0 };
	struct ls_error e = { 0 };

	(void)state;
	o.encoding = "no-such-encoding";
	assert_null(ls_writer_open(NULL, stdout, &o, &e));
	assert_int_equal(e.status, LS_EUSAGE);
	assert_string_equal(e.msg, "unknown output encoding 'no-such-encoding'");
	assert_null(ls_writer_open(NULL, NULL, NULL, &e));
	assert_string_equal(e.msg, "no file to write to");
	assert_null(ls_writer_open("-", NULL, NULL, &e));
	assert_int_equal(e.status, LS_EUSAGE);
	ls_writer_free(NULL);
}

/* A device is written in place, not replaced: /dev/null takes it all, /dev/full fails with the reason. */
static void
test_devices(void **state)
{
	struct ls_writer_opts o = { 0 };
	struct ls_error e = { 0 };
	struct ls_writer *w;
	char big[10000];

	(void)state;
	memset(big, 'a', sizeof(big));
	assert_non_null(w = ls_writer_open("/dev/null", NULL, NULL, &e));
	ls_writer_cstr(w, "x");
	ls_writer_end(w);
	assert_int_equal(ls_writer_commit(w, &e), 0);
	ls_writer_free(w);
	assert_non_null(w = ls_writer_open("/dev/null", NULL, NULL, &e));
	ls_writer_free(w);	/* never committed: closed all the same */
	for (int enc = 0; enc < 2; enc++) {
		o.encoding = enc ? "CP1251" : NULL;
		assert_non_null(w = ls_writer_open("/dev/full", NULL, &o, &e));
		for (int i = 0; i < 100; i++) {
			ls_writer_field(w, big, sizeof(big));
			ls_writer_end(w);
		}
		memset(&e, 0, sizeof(e));
		assert_int_equal(ls_writer_commit(w, &e), LS_EIO);
		assert_string_equal(e.msg, "write error: No space left on device");
		assert_int_equal(ls_writer_status(w), LS_EIO);
		/* after a failure every call says so and writes nothing */
		assert_int_equal(ls_writer_field(w, "x", 1), LS_EIO);
		assert_int_equal(ls_writer_fields(w, NULL, 0), LS_EIO);
		ls_writer_free(w);
	}
}

/* Text that is not UTF-8, cut inside a character, cannot be converted: said, not written half. */
static void
test_encoding_cut_character(void **state)
{
	struct ls_writer_opts o = { 0 };
	struct ls_error e = { 0 };
	struct ls_writer *w;
	FILE *fp = tmpfile();

	(void)state;
	assert_non_null(fp);
	o.encoding = "CP1251";
	assert_non_null(w = ls_writer_open(NULL, fp, &o, &e));
	ls_writer_field(w, "\xd0", 1);	/* the first byte of "Ж" and nothing after */
	assert_int_equal(ls_writer_flush(w, &e), LS_EIO);
	assert_non_null(strstr(e.msg, "has no equivalent in CP1251"));
	ls_writer_free(w);
	fclose(fp);
}

/* A first field starting with the bytes of a BOM is quoted, so that a reader keeps them as data. */
static void
test_bom_like_first_field(void **state)
{
	static const char f0[] = "\xef\xbb\xbf" "a\"b";
	const struct ls_str row[] = { { f0, sizeof(f0) - 1 }, { "c", 1 } };
	struct ls_error e = { 0 };
	struct ls_writer *w;
	FILE *fp = tmpfile();
	char out[64];
	size_t n;

	(void)state;
	assert_non_null(fp);
	for (int how = 0; how < 2; how++) {
		rewind(fp);
		assert_non_null(w = ls_writer_open(NULL, fp, NULL, &e));
		if (how == 0)
			ls_writer_row(w, row, 2);
		else {
			ls_writer_field(w, row[0].p, row[0].n);
			ls_writer_field(w, row[1].p, row[1].n);
			ls_writer_end(w);
		}
		assert_int_equal(ls_writer_flush(w, &e), 0);
		ls_writer_free(w);
		rewind(fp);
		n = fread(out, 1, sizeof(out) - 1, fp);
		out[n] = '\0';
		assert_string_equal(out, "\"\xef\xbb\xbf" "a\"\"b\",c\n");
	}
	fclose(fp);
}

/* The whole of what fp holds, NUL-terminated, in a new buffer; *n its length. */
static char *
slurp(FILE *fp, size_t *n)
{
	long end;
	char *b;

	assert_int_equal(fseek(fp, 0, SEEK_END), 0);
	assert_true((end = ftell(fp)) >= 0);
	rewind(fp);
	assert_non_null(b = malloc((size_t)end + 1));
	assert_int_equal(fread(b, 1, (size_t)end, fp), (size_t)end);
	b[end] = '\0';
	*n = (size_t)end;
	return b;
}

static uint32_t
next_rand(uint32_t *x)
{
	*x = *x * 1664525u + 1013904223u;
	return *x >> 8;
}

/*
 * ls_writer_span() and ls_writer_tail() against ls_writer_field() on each field, on rows laid out as the
 * reader leaves an unquoted line (fields one NUL apart in one block),
 * some fields moved elsewhere (a quoted field, a normalised phone), some
 * holding a byte that needs quoting or escaping, of every length around
 * the sixteen-byte steps; CSV with ',' and ';', TSV, the formula guard,
 * and the first row (a BOM-like first field is quoted only there); tails
 * the same row after row, changed in the same buffers, and longer than
 * ls_writer_tail() keeps.  The bytes written must be the same.
 */
static void
test_span_same_bytes(void **state)
{
	static const char alphabet[] = "abcXYZ019 .-@+=\xd0\x96";
	static const char specials[] = ",;\"\n\r\t\\";
	static const struct ls_writer_opts how[] = {
		{ LS_FMT_CSV, ',', NULL, 0, 0, 0 }, { LS_FMT_CSV, ';', NULL, 0, 0, 0 },
		{ LS_FMT_TSV, 0, NULL, 0, 0, 0 }, { LS_FMT_CSV, ',', NULL, 1, 0, 0 },
		{ LS_FMT_CSV, ',', NULL, 0, 0, 1 },
	};
	uint32_t seed = 31;
	char block[2048], elsewhere[2048];
	struct ls_str f[24];
	const struct ls_str extra[] = { { "solo", 4 }, { "round_robin", 11 }, { "", 0 } };
	char mut[3][48];	/* a tail in buffers reused with other bytes, as lead-assign's skip reason is */
	struct ls_str mf[5] = { { mut[0], 0 }, { mut[1], 0 }, { mut[2], 0 }, { "x", 1 }, { "y,z", 3 } };

	(void)state;
	for (size_t h = 0; h < sizeof(how) / sizeof(how[0]); h++) {
		struct ls_error e = { 0 };
		FILE *fa = tmpfile(), *fb = tmpfile();
		struct ls_writer *wa, *wb;
		char *a, *b;
		size_t na, nb;

		assert_non_null(fa);
		assert_non_null(fb);
		assert_non_null(wa = ls_writer_open(NULL, fa, &how[h], &e));
		assert_non_null(wb = ls_writer_open(NULL, fb, &how[h], &e));
		for (int row = 0; row < 3000; row++) {
			size_t nf = 1 + next_rand(&seed) % 20, at = 0, ea = 0;
			uint32_t kind = next_rand(&seed) % 8;

			for (size_t i = 0; i < nf; i++) {
				/* lengths 0-40 mostly; a long one now and then */
				size_t n = next_rand(&seed) % 8 == 0 ? next_rand(&seed) % 90 : next_rand(&seed) % 41;
				int moved = kind > 0 && next_rand(&seed) % 6 == 0;
				char *d = moved ? elsewhere + ea : block + at;

				/* the first row: a BOM-like first field, which only it quotes */
				for (size_t k = 0; k < n; k++)
					d[k] = alphabet[next_rand(&seed) % (sizeof(alphabet) - 1)];
				if (row == 0 && i == 0 && n >= 3)
					memcpy(d, "\xef\xbb\xbf", 3);
				if (n > 0 && kind == 1 && next_rand(&seed) % 10 == 0)
					d[next_rand(&seed) % n] = specials[next_rand(&seed) % (sizeof(specials) - 1)];
				d[n] = '\0';
				f[i] = (struct ls_str){ d, n };
				if (moved)
					ea += n + 1;
				else
					at += n + 1;
			}
			/* the tail: mostly the same values, or the reused buffers changed, or more fields than it keeps */
			const struct ls_str *tail = extra;
			size_t nt = row % 2 ? 3 : 0;
			uint32_t tk = next_rand(&seed) % 10;
			if (tk >= 7) {
				for (size_t i = 0; i < 3; i++) {
					size_t n = tk == 9 ? next_rand(&seed) % 48 : next_rand(&seed) % 3;
					for (size_t k = 0; k < n; k++)
						mut[i][k] = next_rand(&seed) % 12 == 0 ?
						    specials[next_rand(&seed) % (sizeof(specials) - 1)] :
						    alphabet[next_rand(&seed) % (sizeof(alphabet) - 1)];
					mf[i].n = n;
				}
				tail = mf;
				nt = tk == 8 ? 5 : 3;
			}
			for (size_t i = 0; i < nf; i++)
				ls_writer_field(wa, f[i].p, f[i].n);
			ls_writer_fields(wa, tail, nt);
			ls_writer_end(wa);
			ls_writer_span(wb, f, nf);
			ls_writer_tail(wb, tail, nt);
			ls_writer_end(wb);
			/* a row of tail alone: its first field goes the usual way (a BOM, the guard) */
			if (row % 97 == 0) {
				ls_writer_fields(wa, extra, 3);
				ls_writer_end(wa);
				ls_writer_tail(wb, extra, 3);
				ls_writer_end(wb);
			}
		}
		assert_int_equal(ls_writer_flush(wa, &e), 0);
		assert_int_equal(ls_writer_flush(wb, &e), 0);
		ls_writer_free(wa);
		ls_writer_free(wb);
		a = slurp(fa, &na);
		b = slurp(fb, &nb);
		if (na != nb || memcmp(a, b, na) != 0) {
			size_t k = 0;
			while (k < na && k < nb && a[k] == b[k])
				k++;
			fail_msg("options %zu: by rows %zu bytes, by fields %zu; first difference at byte %zu",
			    h, nb, na, k);
		}
		assert_true(na > 100000);
		free(a);
		free(b);
		fclose(fa);
		fclose(fb);
	}
}

/*
 * A writer on a pipe asks for a 1 MB buffer (Linux), where the kernel
 * allows that much; the rows still arrive whole.
 */
static void
test_pipe_grown(void **state)
{
#if defined(F_GETPIPE_SZ)
	struct ls_error e = { 0 };
	struct ls_writer *w;
	const struct ls_str f[2] = { { "a", 1 }, { "b,c", 3 } };
	char buf[32] = { 0 };
	long cap = 0;
	int fd[2];
	FILE *fp, *mx;

	(void)state;
	assert_int_equal(pipe(fd), 0);
	assert_true(fcntl(fd[1], F_GETPIPE_SZ) < (1 << 20));
	assert_non_null(fp = fdopen(fd[1], "w"));
	assert_non_null(w = ls_writer_open(NULL, fp, NULL, &e));
	if ((mx = fopen("/proc/sys/fs/pipe-max-size", "r")) != NULL) {
		if (fscanf(mx, "%ld", &cap) != 1)
			cap = 0;
		fclose(mx);
	}
	/* root may go past pipe-max-size; anyone may go up to it */
	if (cap >= (1 << 20) || geteuid() == 0)
		assert_int_equal(fcntl(fd[1], F_GETPIPE_SZ), 1 << 20);
	assert_int_equal(ls_writer_row(w, f, 2), 0);
	assert_int_equal(ls_writer_flush(w, &e), 0);
	ls_writer_free(w);
	fclose(fp);
	assert_int_equal(read(fd[0], buf, sizeof(buf) - 1), 8);
	assert_string_equal(buf, "a,\"b,c\"\n");
	close(fd[0]);
#else
	(void)state;
	skip();
#endif
}

/* Which fields Excel would run as formulas (OWASP's CSV injection), and which are data it reads as such. */
static void
test_formula_risk(void **state)
{
	static const char *const risky[] = {
		"=HYPERLINK(\"http://x\";\"y\")", "=1+1", "@SUM(A1)", "+7 916 123-45-67", "-5 дней",
		"+", "-", "=", "\tTAB", "\rCR", "+79161234567x", "-1e", "--5", "-1-2",
		"-cmd|' /C calc'!A0", "+7 (916) 123"
	};
	static const char *const safe[] = {
		"", "ООО Ромашка", "5", "-5", "+5", "-0.5", "-0,5", "+3.5e2", "-1E-7", "-12.5%", "+79161234567",
		"+12345678", "+123456789012345", "+0123456789", "+1234567", "a=b", " =1", "'=1"
	};

	(void)state;
	for (size_t i = 0; i < sizeof(risky) / sizeof(risky[0]); i++)
		if (!ls_writer_formula_risk(risky[i], strlen(risky[i])))
			fail_msg("'%s' not guarded", risky[i]);
	for (size_t i = 0; i < sizeof(safe) / sizeof(safe[0]); i++)
		if (ls_writer_formula_risk(safe[i], strlen(safe[i])))
			fail_msg("'%s' guarded", safe[i]);
}

/* What a writer makes of the same row: guarded with a BOM, an encoding or the flag; not without, nor with keep_formulas. */
static void
test_formula_guard(void **state)
{
	static const struct ls_str row[] = { { "=A1", 3 }, { "-5", 2 }, { "@x,\"y\"", 6 }, { "ok", 2 } };
	static const char guarded[] = "'=A1,-5,\"'@x,\"\"y\"\"\",ok\n";
	static const char plain[] = "=A1,-5,\"@x,\"\"y\"\"\",ok\n";
	struct {
		struct ls_writer_opts o;
		const char *want;
	} cases[] = {
		{ { .bom = 1 }, guarded },
		{ { .encoding = "cp1251" }, guarded },
		{ { .formula_guard = 1 }, guarded },
		{ { .bom = 1, .keep_formulas = 1 }, plain },
		{ { 0 }, plain },
		{ { .encoding = "UTF-8" }, plain },
	};

	(void)state;
	for (size_t k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
		struct ls_error e = { 0 };
		struct ls_writer *w;
		char *text = NULL;
		size_t len = 0, skip = cases[k].o.bom ? 3 : 0;
		FILE *fp = open_memstream(&text, &len);

		assert_non_null(fp);
		assert_non_null(w = ls_writer_open(NULL, fp, &cases[k].o, &e));
		/* both doors: one field at a time, and a row at once */
		for (int i = 0; i < 4; i++)
			ls_writer_field(w, row[i].p, row[i].n);
		ls_writer_end(w);
		ls_writer_row(w, row, 4);
		assert_int_equal(ls_writer_flush(w, &e), 0);
		ls_writer_free(w);
		fclose(fp);
		assert_int_equal(len, skip + 2 * strlen(cases[k].want));
		assert_memory_equal(text + skip, cases[k].want, strlen(cases[k].want));
		assert_memory_equal(text + skip + strlen(cases[k].want), cases[k].want, strlen(cases[k].want));
		free(text);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_open_refused),
		cmocka_unit_test(test_devices),
		cmocka_unit_test(test_encoding_cut_character),
		cmocka_unit_test(test_bom_like_first_field),
		cmocka_unit_test(test_pipe_grown),
		cmocka_unit_test(test_formula_risk),
		cmocka_unit_test(test_formula_guard),
		cmocka_unit_test(test_span_same_bytes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
