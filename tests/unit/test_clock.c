/* test_clock.c - the one clock: SOURCE_DATE_EPOCH, its errors, and a command's pin. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "clock.h"

/* The tests run in this order: the clock is process state, pinned for good once set. */
/*
 * The first question may come before ls_clock_init(): it reads the
 * environment then (run first, unset: a pin would hold for the tests after).
 */
static void
test_pinned_before_init(void **state)
{
	time_t before = time(NULL);

	(void)state;
	unsetenv("SOURCE_DATE_EPOCH");
	assert_false(ls_clock_pinned());
	assert_true(ls_clock_now() >= before && ls_clock_now() <= time(NULL));
}

static void
test_unset_is_time(void **state)
{
	struct ls_error err;
	time_t before = time(NULL);

	(void)state;
	unsetenv("SOURCE_DATE_EPOCH");
	assert_int_equal(ls_clock_init(&err), 0);
	assert_false(ls_clock_pinned());
	assert_true(ls_clock_now() >= before && ls_clock_now() <= time(NULL));
	setenv("SOURCE_DATE_EPOCH", "", 1);	/* empty is unset, as reproducible-builds.org says */
	assert_int_equal(ls_clock_init(&err), 0);
	assert_false(ls_clock_pinned());
}

static void
test_bad_values(void **state)
{
	static const char *const bad[] = { "-1", "12x", " 12", "1.5", "2026-11-26", "99999999999999999999" };
	struct ls_error err;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		setenv("SOURCE_DATE_EPOCH", bad[i], 1);
		assert_int_equal(ls_clock_init(&err), LS_EUSAGE);
		assert_non_null(strstr(err.msg, "SOURCE_DATE_EPOCH: expected whole seconds since 1970"));
		assert_false(ls_clock_pinned());
	}
}

static void
test_source_date_epoch(void **state)
{
	struct ls_error err;

	(void)state;
	setenv("SOURCE_DATE_EPOCH", "1764151200", 1);
	assert_int_equal(ls_clock_init(&err), 0);
	assert_true(ls_clock_pinned());
	assert_int_equal(ls_clock_now(), 1764151200);
	assert_int_equal(ls_clock_now(), 1764151200);	/* it does not move */
}

/* A command's own pin (ticket-log's TICKET_LOG_NOW) wins over the environment's. */
static void
test_set_wins(void **state)
{
	struct ls_error err;

	(void)state;
	ls_clock_set(1000);
	setenv("SOURCE_DATE_EPOCH", "2000", 1);
	assert_int_equal(ls_clock_init(&err), 0);
	assert_int_equal(ls_clock_now(), 1000);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pinned_before_init),
		cmocka_unit_test(test_unset_is_time),
		cmocka_unit_test(test_bad_values),
		cmocka_unit_test(test_source_date_epoch),
		cmocka_unit_test(test_set_wins),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
