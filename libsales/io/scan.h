/*
 * scan.h - which byte scans the reader uses: SSE2 where the CPU has it, or
 * the portable ones.  Both give the same results (the tests and the
 * fuzzer compare them); the choice is made once, at the first scan.
 */
#ifndef LS_SCAN_H
#define LS_SCAN_H

/*
 * 1 when the SSE2 scans are in use: the CPU has SSE2 and LS_SCALAR is not
 * set to a non-empty value other than "0" in the environment.
 */
int ls_scan_simd(void);

/*
 * For tests and the fuzzer: 1 forces the portable scans, 0 lets the CPU
 * and LS_SCALAR decide again.  Not while another thread reads.
 */
void ls_scan_force_scalar(int on);

#endif
