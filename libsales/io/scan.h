/*
 * scan.h - which byte scans the reader and the writer use: AVX2 or SSE2
 * where the CPU has them, or the portable ones.  All give the same results
 * (the tests and the fuzzer compare them); the choice is made once, at the
 * first scan.  scan.c owns the choice; each scan's file owns its forms.
 */
#ifndef LS_SCAN_H
#define LS_SCAN_H

#include <stdatomic.h>

/*
 * LS_SCAN_X86: this build has the SSE2 scans, and the AVX2 ones compiled
 * for that target alone (__attribute__((target("avx2")))), so the binary
 * still runs on any x86-64; which of them run is chosen at run time.
 */
#if defined(__SSE2__) && defined(__GNUC__) && (defined(__x86_64__) || defined(__i386__))
#define LS_SCAN_X86	1
#define LS_AVX2		__attribute__((target("avx2")))
#else
#define LS_SCAN_X86	0
#endif

/* The scans, weakest first. */
enum {
	LS_SCAN_SCALAR = 1,	/* portable C */
	LS_SCAN_SSE2 = 2,	/* 16 bytes a step */
	LS_SCAN_AVX2 = 3	/* 32 bytes a step where it pays (libsales-formats(5)), SSE2 elsewhere */
};

/* The choice: 0 not made yet, else an LS_SCAN_*.  Only scan.c writes it. */
extern atomic_int ls_scan_mode;

/* Make the choice (once the environment is read) and return it. */
int ls_scan_choose(void);

/*
 * The scans in use, LS_SCAN_*: the best the CPU has, unless the
 * environment says otherwise -- LS_SCALAR set to a non-empty value other
 * than "0" forces the portable scans; LS_SCAN=scalar, sse2 or avx2 asks
 * for one (a form the CPU or the build lacks gives the best it has below
 * it; any other value is as if unset).  Inline: it is asked for every
 * record.
 */
static inline int
ls_scan_level(void)
{
	int m = atomic_load_explicit(&ls_scan_mode, memory_order_relaxed);

	return m != 0 ? m : ls_scan_choose();
}

/* 1 when SSE2 (or better) scans are in use. */
static inline int
ls_scan_simd(void)
{
	return ls_scan_level() >= LS_SCAN_SSE2;
}

/* The best scans this CPU and build have, whatever the environment says. */
int ls_scan_best(void);

/*
 * For tests and the fuzzer: force LS_SCAN_* (capped at ls_scan_best()),
 * or 0 to let the CPU and the environment decide again.  Not while
 * another thread reads.
 */
void ls_scan_force(int mode);

/* ls_scan_force(LS_SCAN_SCALAR) when on, else ls_scan_force(0). */
void ls_scan_force_scalar(int on);

#endif
