/* test_scan.c - the choice between the SSE2 and the portable scans: LS_SCALAR, forcing, re-choosing. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>

#include "scan.h"

#if defined(__SSE2__)
#define SIMD_MODE	2
#else
#define SIMD_MODE	1
#endif

static const struct {
	const char *env;	/* LS_SCALAR, NULL: unset */
	int mode;		/* ls_scan_choose()'s answer */
} choices[] = {
	{ NULL, SIMD_MODE },
	{ "", SIMD_MODE },
	{ "0", SIMD_MODE },
	{ "1", 1 },
	{ "yes", 1 },
	{ "00", 1 },		/* only "0" itself means no */
	{ " ", 1 },
};

static void
test_choose_from_environment(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof choices / sizeof choices[0]; i++) {
		if (choices[i].env == NULL)
			unsetenv("LS_SCALAR");
		else
			setenv("LS_SCALAR", choices[i].env, 1);
		ls_scan_force_scalar(0);	/* choose again */
		assert_int_equal(atomic_load(&ls_scan_mode), 0);
		if (ls_scan_choose() != choices[i].mode)
			fail_msg("LS_SCALAR=%s: mode %d, expected %d", choices[i].env ? choices[i].env : "(unset)",
			    ls_scan_choose(), choices[i].mode);
		assert_int_equal(atomic_load(&ls_scan_mode), choices[i].mode);
		ls_scan_force_scalar(0);
		assert_int_equal(ls_scan_simd(), choices[i].mode == 2);
	}
	unsetenv("LS_SCALAR");
}

/* Forcing wins over the environment until it is lifted; lifting reads the environment again. */
static void
test_force(void **state)
{
	(void)state;
	unsetenv("LS_SCALAR");
	ls_scan_force_scalar(1);
	assert_int_equal(atomic_load(&ls_scan_mode), 1);
	assert_false(ls_scan_simd());
	assert_false(ls_scan_simd());	/* the choice stays made */
	ls_scan_force_scalar(0);
	assert_int_equal(atomic_load(&ls_scan_mode), 0);
	assert_int_equal(ls_scan_simd(), SIMD_MODE == 2);
	assert_int_equal(atomic_load(&ls_scan_mode), SIMD_MODE);
	/* once chosen, a later change of LS_SCALAR is not seen until the choice is made again */
	setenv("LS_SCALAR", "1", 1);
	assert_int_equal(ls_scan_simd(), SIMD_MODE == 2);
	ls_scan_force_scalar(0);
	assert_false(ls_scan_simd());
	unsetenv("LS_SCALAR");
	ls_scan_force_scalar(0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_choose_from_environment),
		cmocka_unit_test(test_force),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
