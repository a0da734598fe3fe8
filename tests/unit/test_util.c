/* test_util.c - ls_grow(), ls_concat() and ls_read_file(). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <errno.h>
#include <stdio.h>
#include <unistd.h>

#include "util.h"

static void
test_grow_doubles(void **state)
{
	int *a = NULL;
	size_t cap = 0;

	(void)state;
	assert_int_equal(ls_grow(&a, &cap, 1, sizeof(*a)), 0);
	assert_int_equal(cap, 8);
	assert_int_equal(ls_grow(&a, &cap, 9, sizeof(*a)), 0);
	assert_int_equal(cap, 16);
	assert_int_equal(ls_grow(&a, &cap, 100, sizeof(*a)), 0);
	assert_int_equal(cap, 128);
	a[127] = 1;
	assert_int_equal(ls_grow(&a, &cap, 5, sizeof(*a)), 0);
	assert_int_equal(cap, 128);
	free(a);
}

/* A size that cannot be represented is refused, not wrapped into a small block. */
static void
test_grow_overflow(void **state)
{
	char *a = NULL;
	size_t cap = 0;

	(void)state;
	assert_int_equal(ls_grow(&a, &cap, SIZE_MAX / 2 + 2, 2), -1);
	assert_null(a);
	assert_int_equal(cap, 0);
	assert_int_equal(ls_grow(&a, &cap, 1, 0), -1);
}

static void
test_concat(void **state)
{
	char *s = ls_concat("team.yaml", ".state");

	(void)state;
	assert_string_equal(s, "team.yaml.state");
	free(s);
}

/* A file read whole, NUL-terminated, across the growth of the buffer; empty is "" of length 0. */
static void
test_read_file(void **state)
{
	char path[] = "/tmp/test_util.XXXXXX";
	int fd = mkstemp(path);
	size_t n = 7, big = 200001;
	char *buf, *data = malloc(big);
	FILE *fp;

	(void)state;
	assert_true(fd >= 0 && data != NULL);
	close(fd);
	buf = ls_read_file(path, &n, NULL);
	assert_non_null(buf);
	assert_int_equal(n, 0);
	assert_string_equal(buf, "");
	free(buf);
	for (size_t i = 0; i < big; i++)
		data[i] = (char)('a' + i % 26);
	assert_non_null(fp = fopen(path, "wb"));
	assert_int_equal(fwrite(data, 1, big, fp), big);
	assert_int_equal(fclose(fp), 0);
	buf = ls_read_file(path, &n, NULL);
	assert_non_null(buf);
	assert_int_equal(n, big);
	assert_memory_equal(buf, data, big);
	assert_int_equal(buf[big], '\0');
	free(buf);
	free(data);
	unlink(path);
}

/* What cannot be read is NULL with errno saying why: missing, or a folder (a read error). */
static void
test_read_file_errors(void **state)
{
	size_t n = 7;
	struct ls_error err;

	(void)state;
	errno = 0;
	assert_null(ls_read_file("/nonexistent/x", &n, &err));
	assert_int_equal(errno, ENOENT);
	assert_int_equal(err.status, LS_EIO);
	assert_string_equal(err.file, "/nonexistent/x");
	assert_string_equal(err.msg, "cannot open: No such file or directory");
	errno = 0;
	assert_null(ls_read_file("/tmp", &n, &err));
	assert_int_equal(errno, EISDIR);
	assert_string_equal(err.msg, "cannot read: Is a directory");
	assert_int_equal(n, 7);	/* untouched on failure */
	errno = 0;
	assert_null(ls_read_file("/tmp", &n, NULL));	/* err may be NULL */
	assert_int_equal(errno, EISDIR);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_grow_doubles),
		cmocka_unit_test(test_grow_overflow),
		cmocka_unit_test(test_concat),
		cmocka_unit_test(test_read_file),
		cmocka_unit_test(test_read_file_errors),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
