/*
 * sha256.h - SHA-256 (FIPS 180-4), small and dependency-free: doc-render
 * binds a manager's approval to the document's bytes with it.  On x86-64
 * CPUs with the SHA extensions the blocks are compressed with them (about
 * 15 times fewer instructions than the portable code), chosen once per
 * process; LS_SCALAR=1 or LS_SCAN=scalar forces the portable code.
 * Thread-safe: a context belongs to its caller, the choice is made alike by
 * every thread.
 */
#ifndef LS_SHA256_H
#define LS_SHA256_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"

#define LS_SHA256_HEX	65	/* 64 hex digits and a NUL */

struct ls_sha256 {
	uint32_t h[8];
	uint64_t len;		/* bytes hashed so far */
	unsigned char buf[64];
	size_t nbuf;
};

void ls_sha256_init(struct ls_sha256 *s);
void ls_sha256_update(struct ls_sha256 *s, const void *p, size_t n);
/* The digest, 32 bytes; s must be initialised again before reuse. */
void ls_sha256_final(struct ls_sha256 *s, unsigned char out[32]);

/* 1 when the SHA extensions compress the blocks, 0 for the portable code (choosing now if not yet). */
int ls_sha256_accelerated(void);
/*
 * on: the portable code from now on; 0: the choice made again (the CPU's
 * and the environment's).  For tests comparing the two; not while another
 * thread hashes.
 */
void ls_sha256_force_portable(int on);

/* The hex digest (lower case) of p[0..n) into hex. */
void ls_sha256_hex(const void *p, size_t n, char hex[LS_SHA256_HEX]);
/* ls_sha256_final() written as lower-case hex (64 digits and a NUL). */
void ls_sha256_final_hex(struct ls_sha256 *s, char hex[LS_SHA256_HEX]);

/* The hex digest of the file at path: 0, or LS_EIO with err filled. */
int ls_sha256_file(const char *path, char hex[LS_SHA256_HEX], struct ls_error *err);

#endif
