/* test_columns.c - required columns by name, and the message naming what was read instead. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "columns.h"

#define S(x) { x, sizeof(x) - 1 }

static void
test_found(void **state)
{
	const struct ls_str h[] = { S("lead_id"), S("phone"), S("email") };
	struct ls_error e;
	long col = -5;

	(void)state;
	assert_int_equal(ls_col_find(h, 3, "email"), 2);
	assert_int_equal(ls_col_find(h, 3, "Email"), -1);
	assert_int_equal(ls_col_need(h, 3, "phone", "rules", &col, &e), 0);
	assert_int_equal(col, 1);
}

static void
test_missing_names_header(void **state)
{
	const struct ls_str h[] = { S("lead_id"), S("tel") };
	struct ls_error e;
	long col;

	(void)state;
	assert_int_equal(ls_col_need(h, 2, "phone", "--calls", &col, &e), LS_ECONFIG);
	assert_int_equal(col, -1);
	assert_string_equal(e.msg, "input has no column 'phone' (needed by --calls); its header is: lead_id, tel");
	assert_int_equal(ls_col_need(h, 2, "phone", NULL, &col, &e), LS_ECONFIG);
	assert_string_equal(e.msg, "input has no column 'phone'; its header is: lead_id, tel");
	assert_int_equal(ls_col_need(NULL, 0, "phone", NULL, &col, &e), LS_ECONFIG);
	assert_string_equal(e.msg, "input has no column 'phone'; the input has no header");
}

/* One column holding a separator: the hint names the delimiter to give, a tab written \t. */
static void
test_one_column_hint(void **state)
{
	const struct ls_str semi[] = { S("lead_id;phone") }, tab[] = { S("lead_id\tphone") },
	    plain[] = { S("lead_id") };
	char buf[300];

	(void)state;
	ls_col_describe(semi, 1, buf, sizeof(buf));
	assert_string_equal(buf, "; its header is: lead_id;phone "
	    "(one column: if the file is separated by ';', give -d ';')");
	ls_col_describe(tab, 1, buf, sizeof(buf));
	assert_non_null(strstr(buf, "separated by '\\t', give -d '\\t')"));
	ls_col_describe(plain, 1, buf, sizeof(buf));
	assert_string_equal(buf, "; its header is: lead_id");
}

/* A long header is cut to the buffer, each name to 60 bytes, and never overruns. */
static void
test_describe_bounded(void **state)
{
	char longname[100], buf[40], big[400];
	struct ls_str h[3];

	(void)state;
	memset(longname, 'x', sizeof(longname));
	for (int i = 0; i < 3; i++)
		h[i] = (struct ls_str){ longname, sizeof(longname) };
	ls_col_describe(h, 3, buf, sizeof(buf));
	assert_int_equal(strlen(buf), sizeof(buf) - 1);
	ls_col_describe(h, 3, big, sizeof(big));
	assert_int_equal(strlen(big), strlen("; its header is: ") + 3 * 60 + 2 * 2);
	buf[0] = 'k';
	ls_col_describe(h, 3, buf, 0);
	assert_int_equal(buf[0], 'k');
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_found),
		cmocka_unit_test(test_missing_names_header),
		cmocka_unit_test(test_one_column_hint),
		cmocka_unit_test(test_describe_bounded),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
