/* test_durable.c - a list of files and their folders made durable (durable.h). */
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

#include "durable.h"
#include "error.h"

static char dir[64];

static int
setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/test_durable.XXXXXX");
	return mkdtemp(dir) ? 0 : -1;
}

static int
teardown(void **state)
{
	char cmd[128];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

/* dir/sub/name, made with its content; the path is malloc'ed */
static char *
make(const char *sub, const char *name)
{
	char *p = malloc(256);
	FILE *fp;

	assert_non_null(p);
	snprintf(p, 256, "%s/%s", dir, sub);
	mkdir(p, 0755);
	snprintf(p, 256, "%s/%s/%s", dir, sub, name);
	fp = fopen(p, "w");
	assert_non_null(fp);
	fprintf(fp, "%s\n", name);
	assert_int_equal(fclose(fp), 0);
	return p;
}

static void
free_all(char **p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(p[i]);
}

static void
test_nothing(void **state)
{
	struct ls_error err = { 0 };

	(void)state;
	assert_int_equal(ls_durable_sync(NULL, 0, &err), 0);
}

/* more files than threads, over three folders (interleaved, as a run's documents and their copies are) */
static void
test_many(void **state)
{
	struct ls_error err = { 0 };
	char *p[50], name[32];
	const char *subs[] = { "a", "a/.rendered", "b" };

	(void)state;
	for (size_t i = 0; i < 50; i++) {
		snprintf(name, sizeof(name), "D-%zu.html", i);
		p[i] = make(subs[i % 3], name);
	}
	assert_int_equal(ls_durable_sync(p, 50, &err), 0);
	assert_int_equal(ls_durable_sync(p, 1, &err), 0);	/* one file: no thread */
	free_all(p, 50);
}

/* a bare name is in the current folder */
static void
test_bare_name(void **state)
{
	struct ls_error err = { 0 };
	char cwd[512], *p[2];

	(void)state;
	assert_non_null(getcwd(cwd, sizeof(cwd)));
	free(make("c", "x"));
	free(make("c", "y"));
	{
		char sub[128];

		snprintf(sub, sizeof(sub), "%s/c", dir);
		assert_int_equal(chdir(sub), 0);
	}
	p[0] = strdup("x");
	p[1] = strdup("y");
	assert_int_equal(ls_durable_sync(p, 2, &err), 0);
	assert_int_equal(chdir(cwd), 0);
	free_all(p, 2);
}

/* files that are not there: LS_EIO naming the first one in the list, the others synced all the same */
static void
test_missing(void **state)
{
	struct ls_error err = { 0 };
	char *p[20], name[32];

	(void)state;
	for (size_t i = 0; i < 20; i++) {
		snprintf(name, sizeof(name), "m-%zu", i);
		p[i] = make("d", name);
	}
	assert_int_equal(unlink(p[7]), 0);
	assert_int_equal(unlink(p[15]), 0);
	assert_int_equal(ls_durable_sync(p, 20, &err), LS_EIO);
	assert_string_equal(err.file, p[7]);
	assert_string_equal(err.msg, "No such file or directory");
	free_all(p, 20);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_nothing),
		cmocka_unit_test(test_many),
		cmocka_unit_test(test_bare_name),
		cmocka_unit_test(test_missing),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
