/* test_util.c - ls_grow() and ls_concat(). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

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

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_grow_doubles),
		cmocka_unit_test(test_grow_overflow),
		cmocka_unit_test(test_concat),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
