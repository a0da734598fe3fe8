/* test_buf.c - the growable string: appends, NUL termination, growth, a copy of itself. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "buf.h"

static void
test_put(void **state)
{
	struct ls_buf b = { 0 };

	(void)state;
	assert_int_equal(ls_buf_put(&b, "", 0), 0);
	assert_non_null(b.p);
	assert_string_equal(b.p, "");	/* terminated even when empty */
	assert_int_equal(ls_buf_puts(&b, "Счёт "), 0);
	assert_int_equal(ls_buf_put(&b, "D-0001xyz", 6), 0);
	assert_int_equal(b.n, strlen("Счёт D-0001"));
	assert_string_equal(b.p, "Счёт D-0001");
	ls_buf_free(&b);
	assert_null(b.p);
	assert_int_equal(b.n, 0);
	ls_buf_free(&b);	/* twice is harmless */
	ls_buf_free(NULL);
}

/* Growth past many doublings keeps every byte. */
static void
test_grow(void **state)
{
	struct ls_buf b = { 0 };
	char want[10001];

	(void)state;
	for (int i = 0; i < 10000; i++) {
		want[i] = (char)('a' + i % 26);
		assert_int_equal(ls_buf_put(&b, &want[i], 1), 0);
	}
	want[10000] = '\0';
	assert_int_equal(b.n, 10000);
	assert_true(b.cap > b.n);
	assert_string_equal(b.p, want);
	ls_buf_free(&b);
}

/* Appending the buffer's own text to itself survives the realloc (found by ASan in test_kpi_partial). */
static void
test_self_append(void **state)
{
	struct ls_buf b = { 0 };

	(void)state;
	assert_int_equal(ls_buf_puts(&b, "abc"), 0);
	for (int i = 0; i < 8; i++)
		assert_int_equal(ls_buf_put(&b, b.p, b.n), 0);
	assert_int_equal(b.n, 3 * 256);
	for (size_t i = 0; i < b.n; i += 3)
		assert_memory_equal(b.p + i, "abc", 3);
	assert_int_equal(ls_buf_put(&b, b.p + 1, 2), 0);	/* a part of itself */
	assert_memory_equal(b.p + b.n - 2, "bc", 2);
	ls_buf_free(&b);
}

/* printf-style appends, short (the stack buffer) and long (a second pass), never cut. */
static void
test_printf(void **state)
{
	struct ls_buf b = { 0 };
	char want[1200];

	(void)state;
	assert_int_equal(ls_buf_printf(&b, "g,%s,%lld", "2026-11-26", -5LL), 0);
	assert_string_equal(b.p, "g,2026-11-26,-5");
	memset(want, 'x', 1000);
	want[1000] = '\0';
	assert_int_equal(ls_buf_printf(&b, "[%s]", want), 0);
	assert_int_equal(b.n, strlen("g,2026-11-26,-5") + 1002);
	assert_memory_equal(b.p + b.n - 1002, "[", 1);
	assert_memory_equal(b.p + b.n - 1001, want, 1000);
	assert_string_equal(b.p + b.n - 1, "]");
	ls_buf_free(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_put),
		cmocka_unit_test(test_grow),
		cmocka_unit_test(test_self_append),
		cmocka_unit_test(test_printf),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
