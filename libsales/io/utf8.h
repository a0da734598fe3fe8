/*
 * utf8.h - the UTF-8 check every record read goes through (utf8.c).
 * Pure functions: any thread.
 */
#ifndef LS_UTF8_H
#define LS_UTF8_H

#include <stddef.h>

/*
 * Whether s[0..n) is text the reader accepts: 1 for valid UTF-8 without NUL,
 * 0 for invalid UTF-8 (overlongs and surrogates included) or -1 for a NUL,
 * with *bad the offset of the first offending byte.
 */
int ls_utf8_valid(const unsigned char *s, size_t n, size_t *bad);

/*
 * How many bytes at the start of s[0..n) are ASCII (no NUL) and two-byte
 * characters (Latin, Cyrillic), ending on a character boundary: the part
 * that ls_utf8_valid() would surely accept.  It may stop short of the first
 * other character (the vector scans stop at the block holding it).  The
 * reader checks its buffer ahead in one call of this, and each record
 * with ls_utf8_valid() only where this stopped.
 */
size_t ls_utf8_prefix(const unsigned char *s, size_t n);

#endif
