/*
 * test_doc_number.c - the invoice number series (doc_number.h): the
 * format's codes and refusals, numbers per seller, series and year, a deal
 * keeping its number across runs, and what a damaged counter file is told.
 * Concurrency and kill -9 are the CLI cases' (tests/cli/doc-render/
 * numbering-concurrent, numbering-kill).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "doc_number.h"
#include "util.h"

static void
test_format(void **state)
{
	static const struct { const char *fmt, *want; } ok[] = {
		{ "%N", "7" },
		{ "%S-%N", "СЧ-7" },
		{ "%S-%Y-%4N", "СЧ-2026-0007" },
		{ "%y/%N", "26/7" },
		{ "100%% %N", "100% 7" },
		{ "%9N", "000000007" },
	};
	static const char *const bad[] = { "%S-%Y", "%N%N", "%N%d", "%N%", "%4S%N", "%0N", "" };
	const char *why;
	char buf[64];

	(void)state;
	for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
		assert_int_equal(ls_number_format(ok[i].fmt, "СЧ", 2026, 7, buf, sizeof buf, &why), 0);
		assert_string_equal(buf, ok[i].want);
	}
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		assert_int_equal(ls_number_format(bad[i], "СЧ", 2026, 7, buf, sizeof buf, &why), -1);
		assert_non_null(why);
	}
	/* too long for the buffer: refused, not cut */
	assert_int_equal(ls_number_format("%S%N", "СЧСЧСЧСЧ", 2026, 7, buf, 8, &why), -1);
}

static char *
tmp_path(void)
{
	char *p = strdup("/tmp/test_doc_numberXXXXXX");

	assert_non_null(p);
	assert_non_null(mkdtemp(p));
	return p;
}

static long long
take(const char *path, const char *seller, const char *series, int year, const char *deal)
{
	struct ls_numbers *nb = ls_numbers_new(path);
	struct ls_number_key k = { seller, series, year, deal, strlen(deal) };
	struct ls_error e = { 0 };
	long long n = 0;

	assert_non_null(nb);
	assert_int_equal(ls_numbers_take(nb, &k, "2026-03-02", "2026-03-02T10:00:00Z", &n, &e), 0);
	ls_numbers_free(nb);
	return n;
}

static void
test_series(void **state)
{
	char *dir = tmp_path(), *path = ls_concat(dir, "/n.rec");
	struct ls_numbers *nb;
	struct ls_number_key k = { "7701234560", "СЧ", 2026, "D-9", 3 };
	struct ls_error e = { 0 };
	long long n;
	int issued;

	(void)state;
	assert_non_null(path);
	assert_int_equal(take(path, "7701234560", "СЧ", 2026, "D-1"), 1);
	assert_int_equal(take(path, "7701234560", "СЧ", 2026, "D-2"), 2);
	assert_int_equal(take(path, "7701234560", "СЧ", 2026, "D-1"), 1);	/* kept */
	assert_int_equal(take(path, "7701234560", "СЧ", 2027, "D-1"), 1);	/* a year of its own */
	assert_int_equal(take(path, "7701234560", "", 2026, "D-3"), 1);	/* a series of its own */
	assert_int_equal(take(path, "500100732259", "СЧ", 2026, "D-3"), 1);	/* a seller of its own */
	/* a deal with a tab in its id is escaped in the file and read back as it was */
	assert_int_equal(take(path, "7701234560", "СЧ", 2026, "D\t4"), 3);
	assert_int_equal(take(path, "7701234560", "СЧ", 2026, "D\t4"), 3);
	/* peek: the next one is free, and stays so while nb lives */
	assert_non_null(nb = ls_numbers_new(path));
	assert_int_equal(ls_numbers_peek(nb, &k, &n, &issued, &e), 0);
	assert_int_equal(n, 4);
	assert_int_equal(issued, 0);
	assert_int_equal(ls_numbers_peek(nb, &k, &n, &issued, &e), 0);
	assert_int_equal(n, 4);
	ls_numbers_free(nb);
	/* nothing was recorded by peeking */
	assert_int_equal(take(path, "7701234560", "СЧ", 2026, "D-5"), 4);
	unlink(path);
	free(path);
	path = ls_concat(dir, "/n.rec.lock");
	assert_non_null(path);
	unlink(path);
	free(path);
	rmdir(dir);
	free(dir);
}

/* A counter file holding text, and the error its first lookup gets. */
static int
open_damaged(const char *path, const char *text, struct ls_error *e)
{
	struct ls_numbers *nb;
	struct ls_number_key k = { "7701234560", "", 2026, "X", 1 };
	long long n;
	int issued, rc, rc2;
	FILE *fp = fopen(path, "w");

	assert_non_null(fp);
	fputs(text, fp);
	fclose(fp);
	assert_non_null(nb = ls_numbers_new(path));
	rc = ls_numbers_peek(nb, &k, &n, &issued, e);
	/* a later lookup fails the same way: nothing is numbered from a half-read file */
	if (rc != 0) {
		struct ls_error e2 = { 0 };

		rc2 = ls_numbers_peek(nb, &k, &n, &issued, &e2);
		assert_int_equal(rc2, rc);
		assert_string_equal(e2.msg, e->msg);
	}
	ls_numbers_free(nb);
	return rc;
}

static void
test_damaged(void **state)
{
	static const char head[] = "# doc-render numbers v1\n";
	static const struct { const char *body; long line; const char *says; } bad[] = {
		{ "7701234560\t\t2026\t2\tA\td\tw\n", 2, "follows 0" },
		{ "7701234560\t\t2026\t1\tA\td\tw\n7701234560\t\t2026\t1\tB\td\tw\n", 3, "follows 1" },
		{ "7701234560\t\t2026\t1\tA\td\tw\n7701234560\t\t2026\t2\tA\td\tw\n", 3, "numbered again" },
		{ "7701234560\t\t2026\t-1\tA\td\tw\n", 2, "not a whole number" },
		{ "7701234560\t\t2026\t1\tA\td\n", 2, "7 tab-separated" },
		{ "7701234560\t\t20x6\t1\tA\td\tw\n", 2, "year" },
		{ "\t\t2026\t1\tA\td\tw\n", 2, "empty seller" },
		{ "7701234560\t\t2026\t1\tA\\q\td\tw\n", 2, "7 tab-separated" },
	};
	char *dir = tmp_path(), *path = ls_concat(dir, "/n.rec"), *torn;
	struct ls_error e;
	char text[256];

	(void)state;
	assert_non_null(path);
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		memset(&e, 0, sizeof e);
		snprintf(text, sizeof text, "%s%s", head, bad[i].body);
		assert_int_equal(open_damaged(path, text, &e), LS_EDATA);
		assert_int_equal(e.line, bad[i].line);
		assert_non_null(strstr(e.msg, bad[i].says));
	}
	memset(&e, 0, sizeof e);
	assert_int_equal(open_damaged(path, "deal_id,number\n", &e), LS_EDATA);
	assert_int_equal(e.line, 1);
	assert_int_equal(open_damaged(path, "# doc-render numbers v9\n", &e), LS_EDATA);
	assert_non_null(strstr(e.msg, "newer version"));
	/* a torn last line is cut off and kept: its number is free again */
	snprintf(text, sizeof text, "%s7701234560\t\t2026\t1\tA\td\tw\n7701234560\t\t2026\t2\tB", head);
	assert_int_equal(open_damaged(path, text, &e), 0);
	assert_int_equal(take(path, "7701234560", "", 2026, "C"), 2);
	torn = ls_concat(path, ".torn");
	assert_non_null(torn);
	assert_int_equal(access(torn, F_OK), 0);
	unlink(torn);
	free(torn);
	torn = ls_concat(path, ".lock");
	assert_non_null(torn);
	unlink(torn);
	free(torn);
	unlink(path);
	free(path);
	rmdir(dir);
	free(dir);
}

/*
 * What is not a counter file at all: a NUL byte in a line, a first line cut
 * short (the header a killed first run began), and a FIFO at the path.
 */
static void
test_not_a_counter_file(void **state)
{
	static const char nul[] = "# doc-render numbers v1\n7701234560\t\t2026\t1\tA\0B\td\tw\n";
	char *dir = tmp_path(), *path = ls_concat(dir, "/n.rec"), *lock = ls_concat(path, ".lock");
	struct ls_number_key k = { "7701234560", "", 2026, "X", 1 };
	struct ls_numbers *nb;
	struct ls_error e = { 0 };
	long long n;
	int issued;
	FILE *fp;

	(void)state;
	fp = fopen(path, "w");
	assert_non_null(fp);
	assert_int_equal(fwrite(nul, 1, sizeof nul - 1, fp), sizeof nul - 1);
	fclose(fp);
	assert_non_null(nb = ls_numbers_new(path));
	assert_int_equal(ls_numbers_peek(nb, &k, &n, &issued, &e), LS_EDATA);
	assert_int_equal(e.line, 2);
	assert_string_equal(e.msg, "a NUL byte: not a counter file's line");
	ls_numbers_free(nb);

	memset(&e, 0, sizeof e);
	assert_int_equal(open_damaged(path, "# doc-render num", &e), LS_EDATA);
	assert_int_equal(e.line, 1);
	assert_string_equal(e.msg, "not a counter file (its first line should be '# doc-render numbers v1')");
	unlink(path);

	memset(&e, 0, sizeof e);
	assert_int_equal(mkfifo(path, 0600), 0);
	assert_non_null(nb = ls_numbers_new(path));
	assert_int_equal(ls_numbers_peek(nb, &k, &n, &issued, &e), LS_EDATA);
	assert_string_equal(e.msg, "not a regular file");
	ls_numbers_free(nb);
	unlink(path);
	unlink(lock);
	rmdir(dir);
	free(lock);
	free(path);
	free(dir);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_format),
		cmocka_unit_test(test_series),
		cmocka_unit_test(test_damaged),
		cmocka_unit_test(test_not_a_counter_file),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
