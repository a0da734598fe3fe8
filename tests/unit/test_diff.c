/* test_diff.c - the one hunk doc-render's approve shows for an edited draft. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "diff.h"

static void
check(const char *a, const char *b, const char *want)
{
	struct ls_buf out = { 0 };

	assert_int_equal(ls_diff_hunk(&out, a, strlen(a), b, strlen(b)), 0);
	assert_string_equal(out.p ? out.p : "", want);
	ls_buf_free(&out);
}

/* An edited account number: the lines around it are left out. */
static void
test_changed_line(void **state)
{
	(void)state;
	check("Счёт 1\nБанк\nр/с 40702810900000000001\nИтого 100\n",
	    "Счёт 1\nБанк\nр/с 40702810900000000666\nИтого 100\n",
	    "@@ -3,1 +3,1 @@\n-р/с 40702810900000000001\n+р/с 40702810900000000666\n");
}

/* Lines added at the end and one taken out of the middle. */
static void
test_added_removed(void **state)
{
	(void)state;
	check("a\nb\n", "a\nb\nc\nd\n", "@@ -3,0 +3,2 @@\n+c\n+d\n");
	check("a\nb\nc\n", "a\nc\n", "@@ -2,1 +2,0 @@\n-b\n");
	check("", "x\n", "@@ -1,0 +1,1 @@\n+x\n");
}

/* Bytes that differ only in the last line's end: an empty hunk, still shown. */
static void
test_last_newline(void **state)
{
	(void)state;
	check("a\nb", "a\nb\n", "@@ -3,0 +3,0 @@\n");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_changed_line),
		cmocka_unit_test(test_added_removed),
		cmocka_unit_test(test_last_newline),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
