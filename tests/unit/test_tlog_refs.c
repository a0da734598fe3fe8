/* test_tlog_refs.c - the ticket log's reference store: lookups, commits, lines past the log's end. */
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

#include "tlog_refs.h"

static char dir[] = "/tmp/test_tlog_refsXXXXXX";
static char logp[64], refp[80];

static int
setup(void **state)
{
	(void)state;
	if (mkdtemp(dir) == NULL)
		return -1;
	snprintf(logp, sizeof(logp), "%s/t.csv", dir);
	snprintf(refp, sizeof(refp), "%s.refs", logp);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	unlink(refp);
	rmdir(dir);
	return 0;
}

static void
put(const char *text)
{
	FILE *fp = fopen(refp, "w");

	assert_non_null(fp);
	fputs(text, fp);
	fclose(fp);
}

static char *
slurp(void)
{
	static char b[4096];
	FILE *fp = fopen(refp, "r");
	size_t n;

	assert_non_null(fp);
	n = fread(b, 1, sizeof(b) - 1, fp);
	b[n] = '\0';
	fclose(fp);
	return b;
}

static void
test_add_commit(void **state)
{
	struct ls_error err = { 0 };
	struct ls_trefs *r;

	(void)state;
	unlink(refp);
	/* no store: empty, and nothing written until a commit */
	r = ls_trefs_open(logp, 0, &err);
	assert_non_null(r);
	assert_int_equal(ls_trefs_get(r, "a", 1), 0);
	assert_int_equal(ls_trefs_commit(r, &err), 0);
	assert_int_equal(access(refp, F_OK), -1);
	assert_int_equal(ls_trefs_add(r, "<a\tb@x>", 7, 1, 1, &err), 0);
	assert_int_equal(ls_trefs_add(r, "c", 1, 2, 2, &err), 0);
	assert_int_equal(ls_trefs_add(r, "c", 1, 3, 1, &err), 0);	/* the first keeps it */
	assert_int_equal(ls_trefs_get(r, "<a\tb@x>", 7), 1);
	assert_int_equal(ls_trefs_get(r, "c", 1), 2);
	assert_int_equal(ls_trefs_add(r, "", 0, 4, 1, &err), LS_EDATA);
	assert_int_equal(ls_trefs_add(r, "a\0b", 3, 4, 1, &err), LS_EDATA);
	assert_int_equal(ls_trefs_count(r), 2);
	assert_int_equal(ls_trefs_commit(r, &err), 0);
	ls_trefs_free(r);
	assert_string_equal(slurp(), "# ticket-log refs v1\n<a\\tb@x>\t1\tT-000001\nc\t2\tT-000002\n");
	/* read back, the tab unescaped */
	r = ls_trefs_open(logp, 2, &err);
	assert_non_null(r);
	assert_int_equal(ls_trefs_get(r, "<a\tb@x>", 7), 1);
	assert_int_equal(ls_trefs_get(r, "c", 1), 2);
	ls_trefs_free(r);
}

static void
test_past_the_log(void **state)
{
	struct ls_error err = { 0 };
	struct ls_trefs *r;

	(void)state;
	put("# ticket-log refs v1\na\t1\tT-000001\nb\t2\tT-000001\nc\t3\tT-000002\nd\t3");
	/* the log ends at seq 2: c never reached it, d is cut short */
	r = ls_trefs_open(logp, 2, &err);
	assert_non_null(r);
	assert_int_equal(ls_trefs_get(r, "b", 1), 1);
	assert_int_equal(ls_trefs_get(r, "c", 1), 0);
	assert_int_equal(ls_trefs_count(r), 2);
	/* a commit writes after b, cutting what followed */
	assert_int_equal(ls_trefs_add(r, "e", 1, 3, 2, &err), 0);
	assert_int_equal(ls_trefs_commit(r, &err), 0);
	ls_trefs_free(r);
	assert_string_equal(slurp(), "# ticket-log refs v1\na\t1\tT-000001\nb\t2\tT-000001\ne\t3\tT-000002\n");
	/* trim: nothing to cut, then a line past the log */
	assert_int_equal(ls_trefs_trim(logp, 3, &err), 0);
	assert_string_equal(slurp(), "# ticket-log refs v1\na\t1\tT-000001\nb\t2\tT-000001\ne\t3\tT-000002\n");
	assert_int_equal(ls_trefs_trim(logp, 2, &err), 0);
	assert_string_equal(slurp(), "# ticket-log refs v1\na\t1\tT-000001\nb\t2\tT-000001\n");
	put("# ticket-log refs v1\na\t1\tT-000001\nb\t2");
	assert_int_equal(ls_trefs_trim(logp, 5, &err), 0);
	assert_string_equal(slurp(), "# ticket-log refs v1\na\t1\tT-000001\n");
	/* no store: nothing to do */
	unlink(refp);
	assert_int_equal(ls_trefs_trim(logp, 5, &err), 0);
	assert_int_equal(access(refp, F_OK), -1);
}

static void
test_bad(void **state)
{
	static const struct {
		const char *text, *msg;
		long line;
	} cases[] = {
		{ "# ticket-log refs v2\n", "written by a newer version", 1 },
		{ "a\t1\tT-000001\n", "not a ticket-log refs file", 1 },
		{ "# ticket-log refs v1\na\t1\n", "expected a reference, a seq and a ticket id", 2 },
		{ "# ticket-log refs v1\na\tx\tT-000001\n", "expected a reference", 2 },
		{ "# ticket-log refs v1\na\t1\tT-0\n", "expected a reference", 2 },
		{ "# ticket-log refs v1\n\t1\tT-000001\n", "expected a reference", 2 },
		{ "# ticket-log refs v1\na\\q\t1\tT-000001\n", "expected a reference", 2 },
		/* a seq of 19 digits is past what a log holds, and past a long long's reach */
		{ "# ticket-log refs v1\na\t1234567890123456789\tT-000001\n", "expected a reference", 2 },
		{ "# ticket-log refs v1\na\t0\tT-000001\n", "expected a reference", 2 },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct ls_error err = { 0 };

		put(cases[i].text);
		assert_null(ls_trefs_open(logp, 9, &err));
		assert_int_equal(err.status, LS_EDATA);
		assert_int_equal(err.line, cases[i].line);
		assert_string_equal(err.file, refp);
		if (strstr(err.msg, cases[i].msg) == NULL)
			fail_msg("case %zu: '%s' lacks '%s'", i, err.msg, cases[i].msg);
	}
	/* the next writer's trim reads a store whose last line is not a good one whole: the same error */
	{
		struct ls_error err = { 0 };

		put("# ticket-log refs v1\na\t1\tT-000001\nbad line\n");
		assert_int_equal(ls_trefs_trim(logp, 9, &err), LS_EDATA);
		assert_int_equal(err.line, 3);
		assert_string_equal(err.file, refp);
		assert_string_equal(slurp(), "# ticket-log refs v1\na\t1\tT-000001\nbad line\n");
	}
	unlink(refp);
}

/* The log's commit failed after the store's: the store goes back to what it was. */
static void
test_undo(void **state)
{
	struct ls_error err = { 0 };
	struct ls_trefs *r;

	(void)state;
	ls_trefs_undo(NULL);
	/* a store this commit made goes whole */
	unlink(refp);
	r = ls_trefs_open(logp, 0, &err);
	assert_non_null(r);
	ls_trefs_undo(r);	/* nothing committed: nothing to undo */
	assert_int_equal(ls_trefs_add(r, "a", 1, 1, 1, &err), 0);
	assert_int_equal(ls_trefs_commit(r, &err), 0);
	assert_int_equal(access(refp, F_OK), 0);
	ls_trefs_undo(r);
	assert_int_equal(access(refp, F_OK), -1);
	ls_trefs_undo(r);	/* once only */
	assert_int_equal(access(refp, F_OK), -1);
	ls_trefs_free(r);
	/* a store that was there is cut back to its lines before the commit */
	put("# ticket-log refs v1\na\t1\tT-000001\n");
	r = ls_trefs_open(logp, 1, &err);
	assert_non_null(r);
	assert_int_equal(ls_trefs_add(r, "b", 1, 2, 1, &err), 0);
	assert_int_equal(ls_trefs_commit(r, &err), 0);
	assert_string_equal(slurp(), "# ticket-log refs v1\na\t1\tT-000001\nb\t2\tT-000001\n");
	ls_trefs_undo(r);
	assert_string_equal(slurp(), "# ticket-log refs v1\na\t1\tT-000001\n");
	/* the next commit of the same handle writes where the undone one did */
	assert_int_equal(ls_trefs_add(r, "c", 1, 2, 2, &err), 0);
	assert_int_equal(ls_trefs_commit(r, &err), 0);
	assert_string_equal(slurp(), "# ticket-log refs v1\na\t1\tT-000001\nc\t2\tT-000002\n");
	ls_trefs_free(r);
	unlink(refp);
}

/* An empty store, or one whose header was cut short, is written from its header on. */
static void
test_empty_store(void **state)
{
	struct ls_error err = { 0 };
	struct ls_trefs *r;

	(void)state;
	put("");
	assert_int_equal(ls_trefs_trim(logp, 3, &err), 0);
	r = ls_trefs_open(logp, 3, &err);
	assert_non_null(r);
	assert_int_equal(ls_trefs_count(r), 0);
	assert_int_equal(ls_trefs_add(r, "a", 1, 1, 1, &err), 0);
	assert_int_equal(ls_trefs_commit(r, &err), 0);
	ls_trefs_free(r);
	assert_string_equal(slurp(), "# ticket-log refs v1\na\t1\tT-000001\n");
	put("# ticket-lo");
	r = ls_trefs_open(logp, 3, &err);
	assert_non_null(r);
	assert_int_equal(ls_trefs_add(r, "b", 1, 2, 4, &err), 0);
	assert_int_equal(ls_trefs_commit(r, &err), 0);
	ls_trefs_free(r);
	assert_string_equal(slurp(), "# ticket-log refs v1\nb\t2\tT-000004\n");
	/* trim of a store that is only its header: read whole, nothing to cut */
	put("# ticket-log refs v1\n");
	assert_int_equal(ls_trefs_trim(logp, 3, &err), 0);
	assert_string_equal(slurp(), "# ticket-log refs v1\n");
	/* a reference longer than RFC 5322's line */
	r = ls_trefs_open(logp, 3, &err);
	assert_non_null(r);
	{
		static char big[LS_TREFS_MAX + 1];

		memset(big, 'x', sizeof(big));
		assert_int_equal(ls_trefs_add(r, big, sizeof(big), 1, 1, &err), LS_EDATA);
		assert_non_null(strstr(err.msg, "bad reference"));
		assert_int_equal(ls_trefs_add(r, big, LS_TREFS_MAX, 1, 1, &err), 0);
	}
	ls_trefs_free(r);
	unlink(refp);
}

/* A store that cannot be read or written (here a directory in its place) is an I/O error naming it. */
static void
test_unreadable(void **state)
{
	struct ls_error err = { 0 };
	struct ls_trefs *r;

	(void)state;
	unlink(refp);
	r = ls_trefs_open(logp, 0, &err);
	assert_non_null(r);
	assert_int_equal(ls_trefs_add(r, "a", 1, 1, 1, &err), 0);
	assert_int_equal(mkdir(refp, 0700), 0);
	assert_int_equal(ls_trefs_commit(r, &err), LS_EIO);
	assert_string_equal(err.file, refp);
	assert_non_null(strstr(err.msg, "cannot open: "));
	ls_trefs_free(r);
	memset(&err, 0, sizeof(err));
	assert_null(ls_trefs_open(logp, 0, &err));
	assert_int_equal(err.status, LS_EIO);
	assert_string_equal(err.file, refp);
	assert_string_equal(err.msg, "read error: Is a directory");
	memset(&err, 0, sizeof(err));
	assert_int_equal(ls_trefs_trim(logp, 0, &err), LS_EIO);
	assert_string_equal(err.file, refp);
	assert_string_equal(err.msg, "cannot open: Is a directory");
	assert_int_equal(rmdir(refp), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_add_commit),
		cmocka_unit_test(test_past_the_log),
		cmocka_unit_test(test_bad),
		cmocka_unit_test(test_undo),
		cmocka_unit_test(test_empty_store),
		cmocka_unit_test(test_unreadable),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
