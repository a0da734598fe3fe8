/*
 * scan.h - which byte scans the reader uses: SSE2 where the CPU has it, or
 * the portable ones.  Both give the same results (the tests and the
 * fuzzer compare them); the choice is made once, at the first scan.
 */
#ifndef LS_SCAN_H
#define LS_SCAN_H

#include <stdatomic.h>

/* The choice: 0 not made yet, 1 the portable scans, 2 SSE2.  Only scan.c writes it. */
extern atomic_int ls_scan_mode;

/* Make the choice (once the environment is read) and return it. */
int ls_scan_choose(void);

/*
 * 1 when the SSE2 scans are in use: the CPU has SSE2 and LS_SCALAR is not
 * set to a non-empty value other than "0" in the environment.  Inline: it
 * is asked for every record.
 */
static inline int
ls_scan_simd(void)
{
	int m = atomic_load_explicit(&ls_scan_mode, memory_order_relaxed);

	return (m != 0 ? m : ls_scan_choose()) == 2;
}

/*
 * For tests and the fuzzer: 1 forces the portable scans, 0 lets the CPU
 * and LS_SCALAR decide again.  Not while another thread reads.
 */
void ls_scan_force_scalar(int on);

#endif
