/* scan.c - the run-time choice between the SSE2 and the portable byte scans. */
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "scan.h"

/* Relaxed: every thread chooses the same. */
atomic_int ls_scan_mode;

static int
choose(void)
{
	const char *env = getenv("LS_SCALAR");

	if (env != NULL && env[0] != '\0' && strcmp(env, "0") != 0)
		return 1;
#if defined(__SSE2__) && (defined(__x86_64__) || defined(_M_X64))
	return 2;		/* part of x86-64 itself */
#elif defined(__SSE2__) && defined(__GNUC__)
	return __builtin_cpu_supports("sse2") ? 2 : 1;
#else
	return 1;
#endif
}

int
ls_scan_choose(void)
{
	int m = choose();

	atomic_store_explicit(&ls_scan_mode, m, memory_order_relaxed);
	return m;
}

void
ls_scan_force_scalar(int on)
{
	atomic_store_explicit(&ls_scan_mode, on ? 1 : 0, memory_order_relaxed);
}
