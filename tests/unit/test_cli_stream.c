/*
 * test_cli_stream.c - the commands' record stream (cli.h's struct
 * ls_stream): good rows out with the extra columns, a bad record to the
 * rejects file and counted, the outputs in place only once committed.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

static char dir[] = "/tmp/test_cli_streamXXXXXX";

static const char *
path(const char *name)
{
	static char buf[4][256];
	static int k;
	char *p = buf[k++ % 4];

	snprintf(p, 256, "%s/%s", dir, name);
	return p;
}

static void
put(const char *name, const char *text)
{
	FILE *fp = fopen(path(name), "w");

	assert_non_null(fp);
	fputs(text, fp);
	assert_int_equal(fclose(fp), 0);
}

/* The file's text (empty when missing), in a static buffer. */
static const char *
slurp(const char *name)
{
	static char buf[4096];
	FILE *fp = fopen(path(name), "r");
	size_t n = 0;

	if (fp != NULL) {
		n = fread(buf, 1, sizeof(buf) - 1, fp);
		fclose(fp);
	}
	buf[n] = '\0';
	return buf;
}

static int
setup(void **state)
{
	(void)state;
	return mkdtemp(dir) == NULL ? -1 : 0;
}

static int
teardown(void **state)
{
	char cmd[300];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

/* Stream in.csv to out.csv with a score column, bad records to rej.csv; the stream's close status. */
static int
run(struct ls_stream *s, int commit_only)
{
	static const char *const extra[] = { "score", NULL };
	struct ls_stream_opts o = { 0 };
	struct ls_record rec;
	char in[256], *argv[] = { in, NULL };
	int rc, status;

	snprintf(in, sizeof(in), "%s", path("in.csv"));
	o.output = path("out.csv");
	o.rejects = path("rej.csv");
	assert_int_equal(ls_stream_open(s, &o, argv, 1), 0);
	assert_int_equal(ls_reader_ncols(ls_stream_reader(s)), 2);
	assert_int_equal(ls_stream_header(s, extra), 0);
	while ((rc = ls_stream_next(s, &rec)) > 0) {
		const struct ls_str score = { rec.fields[0].p, rec.fields[0].n };	/* the id, as a score */
		assert_int_equal(ls_stream_row(s, rec.fields, rec.nfields, &score), 0);
	}
	assert_int_equal(rc, 0);
	assert_int_equal(s->end, LS_STREAM_EOF);
	/* nothing is in place before the commit: -o and --rejects are atomic */
	assert_string_equal(slurp("out.csv"), "");
	assert_string_equal(slurp("rej.csv"), "");
	status = commit_only ? ls_stream_commit(s) : ls_stream_close(s);
	return status;
}

static void
test_rows_and_rejects(void **state)
{
	struct ls_stream s;

	(void)state;
	put("in.csv", "id,name\n1,a\n2,b,c\n3,\"d, e\"\n");
	assert_int_equal(run(&s, 0), 0);
	assert_int_equal(s.nrejected, 1);
	assert_int_equal(s.end, LS_STREAM_EOF);
	ls_stream_free(&s);
	assert_string_equal(slurp("out.csv"), "id,name,score\n1,a,1\n3,\"d, e\",3\n");
	{
		static const char head[] = "raw,line,error,file\n\"2,b,c\",3,\"expected 2 fields, got 3\",";
		const char *rej = slurp("rej.csv");
		char want[512];

		snprintf(want, sizeof(want), "%s%s\n", head, path("in.csv"));
		assert_string_equal(rej, want);
	}
}

/* ls_stream_commit(): the same files, and the stream still says the rows are whole. */
static void
test_commit(void **state)
{
	struct ls_stream s;

	(void)state;
	unlink(path("out.csv"));
	unlink(path("rej.csv"));
	/* a second run over the tool's own output: score is replaced in place, not repeated */
	put("in.csv", "id,score\n7,x\n8,y,z\n9,\n");
	assert_int_equal(run(&s, 1), 0);
	assert_int_equal(s.end, LS_STREAM_EOF);
	assert_int_equal(s.nrejected, 1);
	ls_stream_free(&s);
	assert_string_equal(slurp("out.csv"), "id,score\n7,7\n9,9\n");
	assert_non_null(strstr(slurp("rej.csv"), "\"8,y,z\",3,\"expected 2 fields, got 3\""));
}

/* Freed without a commit: no output file, no rejects file, no temporary left. */
static void
test_free_uncommitted(void **state)
{
	static const char *const extra[] = { "score", NULL };
	struct ls_stream_opts o = { 0 };
	struct ls_stream s;
	struct ls_record rec;
	char in[256], *argv[] = { in, NULL };

	(void)state;
	unlink(path("out.csv"));
	unlink(path("rej.csv"));
	snprintf(in, sizeof(in), "%s", path("in.csv"));
	o.output = path("out.csv");
	o.rejects = path("rej.csv");
	assert_int_equal(ls_stream_open(&s, &o, argv, 1), 0);
	assert_int_equal(ls_stream_header(&s, extra), 0);
	assert_int_equal(ls_stream_next(&s, &rec), 1);
	ls_stream_free(&s);
	assert_int_equal(access(path("out.csv"), F_OK), -1);
	assert_int_equal(access(path("rej.csv"), F_OK), -1);
	assert_string_equal(slurp("in.csv"), "id,score\n7,x\n8,y,z\n9,\n");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rows_and_rejects),
		cmocka_unit_test(test_commit),
		cmocka_unit_test(test_free_uncommitted),
	};

	ls_cli_init("test_cli_stream");
	return cmocka_run_group_tests(tests, setup, teardown);
}
