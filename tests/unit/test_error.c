/* test_error.c - the error record: filling, formatting, and the exit status of each code. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "error.h"

static void
test_set_null_err(void **state)
{
	(void)state;
	/* a caller that does not want the details still gets the status */
	assert_int_equal(ls_error_set(NULL, LS_EDATA, "f", 1, 2, "x %d", 1), LS_EDATA);
}

static void
test_set_fills(void **state)
{
	struct ls_error e;

	(void)state;
	memset(&e, 0x55, sizeof(e));
	assert_int_equal(ls_error_set(&e, LS_ECONFIG, NULL, 3, 4, "bad %s", "key"), LS_ECONFIG);
	assert_int_equal(e.status, LS_ECONFIG);
	assert_string_equal(e.file, "");
	assert_int_equal(e.line, 3);
	assert_int_equal(e.col, 4);
	assert_string_equal(e.msg, "bad key");
}

static void
test_format_parts(void **state)
{
	struct ls_error e;
	char buf[128];

	(void)state;
	ls_error_set(&e, LS_EDATA, "a.csv", 3, 7, "expected %d fields", 2);
	assert_string_equal(ls_error_format(&e, buf, sizeof(buf)), "a.csv:3:7: expected 2 fields");
	ls_error_set(&e, LS_EDATA, "a.csv", 3, 0, "m");
	assert_string_equal(ls_error_format(&e, buf, sizeof(buf)), "a.csv:3: m");
	ls_error_set(&e, LS_EIO, "a.csv", 0, 5, "m");
	assert_string_equal(ls_error_format(&e, buf, sizeof(buf)), "a.csv: m");
	ls_error_set(&e, LS_EIO, NULL, 9, 9, "m");
	assert_string_equal(ls_error_format(&e, buf, sizeof(buf)), "m");
	/* no message: the status says what it can */
	ls_error_set(&e, LS_ENOMEM, "x", 0, 0, "%s", "");
	assert_string_equal(ls_error_format(&e, buf, sizeof(buf)), "x: out of memory");
}

/* A buffer too small cuts the text, NUL-terminated; a file name longer than the buffer too. */
static void
test_format_truncated(void **state)
{
	struct ls_error e;
	char buf[8], one[1] = { 'z' };

	(void)state;
	ls_error_set(&e, LS_EDATA, "file.csv", 12, 0, "message");
	assert_string_equal(ls_error_format(&e, buf, sizeof(buf)), "file.cs");
	ls_error_set(&e, LS_EDATA, "f", 1, 0, "message");
	assert_string_equal(ls_error_format(&e, buf, sizeof(buf)), "f:1: me");
	assert_ptr_equal(ls_error_format(&e, one, 0), one);
	assert_int_equal(one[0], 'z');	/* n == 0: nothing written */
	assert_string_equal(ls_error_format(&e, one, 1), "");
}

static void
test_strerror_and_exit(void **state)
{
	static const struct { int st, code; const char *s; } t[] = {
		{ LS_OK, 0, "success" },
		{ LS_EDATA, 1, "bad input data" },
		{ LS_EIO, 1, "input/output error" },
		{ LS_ENOMEM, 1, "out of memory" },
		{ LS_ECONFIG, 2, "configuration error" },
		{ LS_EUSAGE, 2, "usage error" },
		{ LS_EPIPE, 0, "output closed" },
		{ 99, 1, "unknown error" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		assert_string_equal(ls_strerror(t[i].st), t[i].s);
		assert_int_equal(ls_exit_status(t[i].st), t[i].code);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_set_null_err),
		cmocka_unit_test(test_set_fills),
		cmocka_unit_test(test_format_parts),
		cmocka_unit_test(test_format_truncated),
		cmocka_unit_test(test_strerror_and_exit),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
