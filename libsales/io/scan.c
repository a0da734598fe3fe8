/* scan.c - the run-time choice between the AVX2, SSE2 and portable byte scans. */
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "scan.h"

/* Relaxed: every thread chooses the same. */
atomic_int ls_scan_mode;

int
ls_scan_best(void)
{
#if LS_SCAN_X86
	/* libgcc's check also asks the OS (XGETBV) whether it saves the 256-bit registers */
	if (__builtin_cpu_supports("avx2"))
		return LS_SCAN_AVX2;
#if defined(__x86_64__)
	return LS_SCAN_SSE2;	/* part of x86-64 itself */
#else
	return __builtin_cpu_supports("sse2") ? LS_SCAN_SSE2 : LS_SCAN_SCALAR;
#endif
#else
	return LS_SCAN_SCALAR;
#endif
}

static int
choose(void)
{
	const char *env = getenv("LS_SCALAR");
	int best = ls_scan_best(), want = best;

	if (env != NULL && env[0] != '\0' && strcmp(env, "0") != 0)
		return LS_SCAN_SCALAR;
	if ((env = getenv("LS_SCAN")) != NULL) {
		if (strcmp(env, "scalar") == 0)
			want = LS_SCAN_SCALAR;
		else if (strcmp(env, "sse2") == 0)
			want = LS_SCAN_SSE2;
		else if (strcmp(env, "avx2") == 0)
			want = LS_SCAN_AVX2;
	}
	return want < best ? want : best;
}

int
ls_scan_choose(void)
{
	int m = choose();

	atomic_store_explicit(&ls_scan_mode, m, memory_order_relaxed);
	return m;
}

void
ls_scan_force(int mode)
{
	int best = ls_scan_best();

	if (mode < 0 || mode > LS_SCAN_AVX2)
		mode = 0;
	atomic_store_explicit(&ls_scan_mode, mode > best ? best : mode, memory_order_relaxed);
}

void
ls_scan_force_scalar(int on)
{
	ls_scan_force(on ? LS_SCAN_SCALAR : 0);
}
