/* test_chain.c - the hash chain: appends link, an edited, removed or moved record is found by line. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "chain.h"
#include "util.h"

static char path[64];

static int
count(void *arg, const struct ls_str *f, size_t n, long line, struct ls_error *err)
{
	(void)f, (void)line, (void)err;
	assert_int_equal(n, 2);
	(*(int *)arg)++;
	return 0;
}

static struct ls_chain *
open_rw(struct ls_error *e)
{
	return ls_chain_open(path, "# t v", "a test chain", 2, LS_CHAIN_WRITE, NULL, NULL, e);
}

static void
add2(struct ls_chain *c, const char *a, const char *b)
{
	struct ls_str f[2] = { { a, strlen(a) }, { b, strlen(b) } };
	struct ls_error e;

	assert_int_equal(ls_chain_add(c, f, &e), 0);
}

/* Replace the file with text. */
static void
put(const char *text)
{
	FILE *fp = fopen(path, "w");

	assert_non_null(fp);
	fputs(text, fp);
	fclose(fp);
}

static void
test_chain(void **state)
{
	struct ls_error e = { 0 };
	struct ls_chain *c;
	char *text, *edited, last[65], *p;
	size_t n;
	int seen = 0;

	(void)state;
	strcpy(path, "/tmp/test_chain.XXXXXX");
	close(mkstemp(path));
	unlink(path);
	/* a missing chain reads as empty */
	assert_non_null(c = ls_chain_open(path, "# t v", "a test chain", 2, LS_CHAIN_READ, NULL, NULL, &e));
	assert_int_equal(ls_chain_count(c), 0);
	assert_string_equal(ls_chain_last(c), "0000000000000000000000000000000000000000000000000000000000000000");
	ls_chain_close(c);

	assert_non_null(c = open_rw(&e));
	add2(c, "a", "tab\there");
	add2(c, "b", "line\nfeed");
	assert_int_equal(ls_chain_commit(c, &e), 0);
	add2(c, "c", "");
	assert_int_equal(ls_chain_commit(c, &e), 0);
	assert_int_equal(ls_chain_count(c), 3);
	strcpy(last, ls_chain_last(c));
	ls_chain_close(c);

	assert_non_null(c = ls_chain_open(path, "# t v", "a test chain", 2, LS_CHAIN_READ, count, &seen, &e));
	assert_int_equal(seen, 3);
	assert_string_equal(ls_chain_last(c), last);
	ls_chain_close(c);

	/* length-prefixed fields: "ab","c" and "a","bc" differ */
	{
		struct ls_str x[2] = { { "ab", 2 }, { "c", 1 } }, y[2] = { { "a", 1 }, { "bc", 2 } };
		char hx[65], hy[65];

		ls_chain_hash(x, 2, hx);
		ls_chain_hash(y, 2, hy);
		assert_string_not_equal(hx, hy);
	}

	assert_non_null(text = ls_read_file(path, &n, &e));
	/* a field edited: the next record's link breaks, on line 3 */
	assert_non_null(edited = strdup(text));
	assert_non_null(p = strstr(edited, "\tline"));
	p[1] = 'L';
	put(edited);
	assert_null(open_rw(&e));
	assert_int_equal(e.status, LS_EDATA);
	assert_int_equal(e.line, 4);
	assert_non_null(strstr(e.msg, "does not follow"));
	/* the first record removed: line 2 no longer links to nothing */
	strcpy(edited, text);
	p = strchr(edited, '\n') + 1;
	memmove(p, strchr(p, '\n') + 1, strlen(strchr(p, '\n') + 1) + 1);
	put(edited);
	assert_null(open_rw(&e));
	assert_int_equal(e.line, 2);
	/* a torn last record is cut off on writing, kept in .torn */
	put(text);
	{
		FILE *fp = fopen(path, "a");

		fputs("d\thalf", fp);
		fclose(fp);
	}
	assert_non_null(c = open_rw(&e));
	assert_int_equal(ls_chain_count(c), 3);
	add2(c, "d", "whole");
	assert_int_equal(ls_chain_commit(c, &e), 0);
	ls_chain_close(c);
	assert_non_null(c = open_rw(&e));
	assert_int_equal(ls_chain_count(c), 4);
	ls_chain_close(c);
	/* not a chain */
	put("# other v1\n");
	assert_null(open_rw(&e));
	assert_int_equal(e.line, 1);
	free(text);
	free(edited);
	unlink(path);
	{
		char torn[80];

		snprintf(torn, sizeof torn, "%s.torn", path);
		unlink(torn);
	}
}

/*
 * What a chain refuses: a record with a NUL byte, too few fields or a bad
 * escape (by line); a field with a NUL byte to add; adding to a chain
 * open for reading; a record of no fields, or of more than it can hold.
 */
static void
test_refused(void **state)
{
	static const struct { const char *text; long line; const char *msg; } bad[] = {
		{ "# t v1\na\tb\0c\t0\n", 2, "a NUL byte in a record" },
		{ "# t v1\na\tb\n", 2, "expected 2 fields and the previous record's hash, got 2 fields" },
		{ "# t v1\na\tb\tc\td\n", 2, "expected 2 fields and the previous record's hash, got 4 fields" },
		{ "# t v1\na\\q\tb\tc\n", 2, "a bad escape in the record" },
	};
	struct ls_error e = { 0 };
	struct ls_chain *c;
	struct ls_str nul[2] = { { "a\0b", 3 }, { "c", 1 } };

	(void)state;
	snprintf(path, sizeof path, "/tmp/test_chain_bad.%ld", (long)getpid());
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		/* (the first's text goes on past its NUL: "\0c\t0\n", 5 bytes) */
		FILE *fp = fopen(path, "w");

		assert_non_null(fp);
		assert_int_equal(fwrite(bad[i].text, 1, strlen(bad[i].text) + (i == 0 ? 5 : 0), fp),
		    strlen(bad[i].text) + (i == 0 ? 5 : 0));
		fclose(fp);
		memset(&e, 0, sizeof e);
		assert_null(ls_chain_open(path, "# t v", "a test chain", 2, LS_CHAIN_READ, NULL, NULL, &e));
		assert_int_equal(e.status, LS_EDATA);
		assert_string_equal(e.file, path);
		assert_int_equal(e.line, bad[i].line);
		if (strcmp(e.msg, bad[i].msg) != 0)
			fail_msg("case %zu: '%s'", i, e.msg);
	}
	unlink(path);
	/* read only: nothing can be added */
	assert_non_null(c = ls_chain_open(path, "# t v", "a test chain", 2, LS_CHAIN_READ, NULL, NULL, &e));
	assert_int_equal(ls_chain_add(c, nul + 1, &e), LS_EUSAGE);
	assert_string_equal(e.msg, "the chain is open for reading");
	ls_chain_close(c);
	assert_non_null(c = open_rw(&e));
	assert_int_equal(ls_chain_add(c, nul, &e), LS_EUSAGE);
	assert_string_equal(e.msg, "a NUL byte in a field");
	assert_int_equal(ls_chain_commit(c, &e), 0);	/* nothing pending: nothing written */
	ls_chain_close(c);
	for (size_t nf = 0; nf <= LS_CHAIN_MAXF + 1; nf += LS_CHAIN_MAXF + 1) {
		assert_null(ls_chain_open(path, "# t v", "a test chain", nf, LS_CHAIN_WRITE, NULL, NULL, &e));
		assert_int_equal(e.status, LS_EUSAGE);
		assert_non_null(strstr(e.msg, "a chain record holds 1 to "));
	}
	unlink(path);
}

/* A chain is a regular file reached without a symbolic link: a link or a FIFO is refused. */
static void
test_not_through_links(void **state)
{
	char target[80], fifo[80];
	struct ls_error e = { 0 };
	struct ls_chain *c;

	(void)state;
	snprintf(path, sizeof path, "/tmp/test_chain_ln.%ld", (long)getpid());
	snprintf(target, sizeof target, "%s.target", path);
	snprintf(fifo, sizeof fifo, "%s.fifo", path);
	assert_int_equal(symlink(target, path), 0);
	assert_null(open_rw(&e));
	assert_int_equal(e.status, LS_EDATA);
	assert_non_null(strstr(e.msg, "symbolic link"));
	assert_int_equal(access(target, F_OK), -1);	/* nothing created through it */
	assert_null(ls_chain_open(path, "# t v", "a test chain", 2, LS_CHAIN_READ, NULL, NULL, &e));
	unlink(path);
	assert_int_equal(mkfifo(fifo, 0600), 0);
	memcpy(path, fifo, sizeof path);
	assert_null(c = open_rw(&e));	/* and it did not wait for a writer */
	assert_non_null(strstr(e.msg, "not a regular file"));
	unlink(fifo);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_chain),
		cmocka_unit_test(test_not_through_links),
		cmocka_unit_test(test_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
