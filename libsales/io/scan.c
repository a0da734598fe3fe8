/* scan.c - the run-time choice between the SSE2 and the portable byte scans. */
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "scan.h"

/* 0: not chosen yet, 1: portable, 2: SSE2.  Relaxed: every thread chooses the same. */
static atomic_int mode;

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
ls_scan_simd(void)
{
	int m = atomic_load_explicit(&mode, memory_order_relaxed);

	if (m == 0) {
		m = choose();
		atomic_store_explicit(&mode, m, memory_order_relaxed);
	}
	return m == 2;
}

void
ls_scan_force_scalar(int on)
{
	atomic_store_explicit(&mode, on ? 1 : 0, memory_order_relaxed);
}
