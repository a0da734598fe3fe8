/*
 * sha256.c - SHA-256 as FIPS 180-4 describes it (sha256.h): a portable
 * compression function, and on x86-64 CPUs with the SHA extensions one
 * written with them, chosen once at run time.
 */
#include <errno.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sha256.h"

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define LS_SHA_NI	1
#include <cpuid.h>
#include <immintrin.h>
#else
#define LS_SHA_NI	0
#endif

static const uint32_t K[64] = {
	0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
	0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
	0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
	0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
	0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
	0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
	0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
	0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2
};

#define ROR(x, n)	(((x) >> (n)) | ((x) << (32 - (n))))

/*
 * The sigma functions with the rotations nested: ROR(x, 2) ^ ROR(x, 13) ^
 * ROR(x, 22) is ROR(x ^ ROR(x ^ ROR(x, 9), 11), 2).  The same value, but x86's
 * rotate overwrites its operand, and three rotations of one x cost three
 * copies of it where the nested form needs one (callgrind, 27 KB documents:
 * 4,030 instructions a block before, with the unrolling below 3,030).
 */
#define S0(x)	ROR((x) ^ ROR((x) ^ ROR(x, 9), 11), 2)
#define S1(x)	ROR((x) ^ ROR((x) ^ ROR(x, 14), 5), 6)
#define G0(x)	(ROR((x) ^ ROR(x, 11), 7) ^ ((x) >> 3))
#define G1(x)	(ROR((x) ^ ROR(x, 2), 17) ^ ((x) >> 10))
/* One round with the eight working variables renamed instead of moved. */
#define ROUND(a, b, c, d, e, f, g, h, i) do { \
	uint32_t t1 = h + S1(e) + (g ^ (e & (f ^ g))) + K[i] + w[(i) & 15]; \
	d += t1; \
	h = t1 + S0(a) + ((a & b) | (c & (a | b))); \
} while (0)
#define SCHED(i)	(w[(i) & 15] += G1(w[((i) - 2) & 15]) + w[((i) - 7) & 15] + G0(w[((i) - 15) & 15]))
/*
 * Eight rounds (and eight words of the schedule) at constant indices: as a
 * loop over i, gcc -O2 kept w[] on the stack and computed each index.
 */
#define S8(i)	do { SCHED(i); SCHED((i) + 1); SCHED((i) + 2); SCHED((i) + 3); \
	SCHED((i) + 4); SCHED((i) + 5); SCHED((i) + 6); SCHED((i) + 7); } while (0)
#define R8(i)	do { \
	ROUND(a, b, c, d, e, f, g, h, (i)); ROUND(h, a, b, c, d, e, f, g, (i) + 1); \
	ROUND(g, h, a, b, c, d, e, f, (i) + 2); ROUND(f, g, h, a, b, c, d, e, (i) + 3); \
	ROUND(e, f, g, h, a, b, c, d, (i) + 4); ROUND(d, e, f, g, h, a, b, c, (i) + 5); \
	ROUND(c, d, e, f, g, h, a, b, (i) + 6); ROUND(b, c, d, e, f, g, h, a, (i) + 7); \
} while (0)

static void
blocks_portable(uint32_t st[8], const unsigned char *p, size_t nblocks)
{
	for (; nblocks > 0; nblocks--, p += 64) {
		uint32_t w[16], a, b, c, d, e, f, g, h;

		for (int i = 0; i < 16; i++)
			w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 |
			    (uint32_t)p[4 * i + 2] << 8 | p[4 * i + 3];
		a = st[0], b = st[1], c = st[2], d = st[3];
		e = st[4], f = st[5], g = st[6], h = st[7];
		R8(0); R8(8);
		S8(16); R8(16); S8(24); R8(24); S8(32); R8(32);
		S8(40); R8(40); S8(48); R8(48); S8(56); R8(56);
		st[0] += a, st[1] += b, st[2] += c, st[3] += d;
		st[4] += e, st[5] += f, st[6] += g, st[7] += h;
	}
}

#if LS_SHA_NI
/*
 * The same compression with the SHA extensions, from Intel's description of
 * the instructions (Intel 64 and IA-32 Architectures Software Developer's
 * Manual, vol. 2: SHA256RNDS2, SHA256MSG1, SHA256MSG2):
 *
 * - SHA256RNDS2 runs two rounds.  It takes the state split in two registers,
 *   one holding A, B, E, F (A in the top lane) and the other C, D, G, H,
 *   and the two rounds' W+K in the low two lanes of its third operand; it
 *   returns the new A, B, E, F.  The old A, B, E, F are then the new C, D,
 *   G, H, so the two registers simply swap roles every two rounds.
 * - SHA256MSG1(Wi-16..Wi-13, Wi-12..) adds sigma0 of the next word to
 *   each of the four, and SHA256MSG2(that + Wi-7..Wi-4, Wi-4..Wi-1)
 *   adds sigma1 of the word two back: the schedule's next four words.
 *
 * The state is kept in those registers across all the blocks of a call.
 */
/* rounds 4i..4i+3 with m, which holds W[4i..4i+3] */
#define NI4(i, m)	do { \
	wk = _mm_add_epi32(m, _mm_loadu_si128((const __m128i *)(const void *)(K + 4 * (i)))); \
	cdgh = _mm_sha256rnds2_epu32(cdgh, abef, wk); \
	abef = _mm_sha256rnds2_epu32(abef, cdgh, _mm_shuffle_epi32(wk, 0x0e)); \
} while (0)
/* a = W[i-16..], b = W[i-12..], c = W[i-8..], d = W[i-4..]: a becomes W[i..i+3] */
#define NEXT(a, b, c, d)	((a) = _mm_sha256msg2_epu32(_mm_add_epi32(_mm_sha256msg1_epu32(a, b), \
	_mm_alignr_epi8(d, c, 4)), d))
/* rounds 4i..4i+15, the schedule made four words ahead of them */
#define NI16(i)	do { \
	NEXT(m0, m1, m2, m3); NI4(i, m0); NEXT(m1, m2, m3, m0); NI4((i) + 1, m1); \
	NEXT(m2, m3, m0, m1); NI4((i) + 2, m2); NEXT(m3, m0, m1, m2); NI4((i) + 3, m3); \
} while (0)

__attribute__((target("sha,sse4.1,ssse3")))
static void
blocks_shani(uint32_t st[8], const unsigned char *p, size_t nblocks)
{
	/* each 32-bit word's bytes reversed: the message is big-endian */
	const __m128i bswap = _mm_set_epi64x(0x0c0d0e0f08090a0bLL, 0x0405060700010203LL);
	__m128i abcd = _mm_loadu_si128((const __m128i *)(const void *)st);
	__m128i efgh = _mm_loadu_si128((const __m128i *)(const void *)(st + 4));
	__m128i abef, cdgh, t;

	/* lanes low to high: abcd is a b c d, efgh e f g h; wanted: abef f e b a, cdgh h g d c */
	t = _mm_shuffle_epi32(abcd, 0xb1);		/* b a d c */
	efgh = _mm_shuffle_epi32(efgh, 0x1b);		/* h g f e */
	abef = _mm_alignr_epi8(t, efgh, 8);		/* f e b a */
	cdgh = _mm_blend_epi16(efgh, t, 0xf0);		/* h g d c */
	for (; nblocks > 0; nblocks--, p += 64) {
		__m128i m0, m1, m2, m3, save_abef = abef, save_cdgh = cdgh, wk;

		m0 = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(const void *)p), bswap);
		m1 = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(const void *)(p + 16)), bswap);
		m2 = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(const void *)(p + 32)), bswap);
		m3 = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(const void *)(p + 48)), bswap);
		NI4(0, m0); NI4(1, m1); NI4(2, m2); NI4(3, m3);
		NI16(4); NI16(8); NI16(12);
		abef = _mm_add_epi32(abef, save_abef);
		cdgh = _mm_add_epi32(cdgh, save_cdgh);
	}
	t = _mm_shuffle_epi32(abef, 0x1b);		/* a b e f */
	cdgh = _mm_shuffle_epi32(cdgh, 0xb1);		/* g h c d */
	abcd = _mm_blend_epi16(t, cdgh, 0xf0);		/* a b c d */
	efgh = _mm_alignr_epi8(cdgh, t, 8);		/* e f g h */
	_mm_storeu_si128((__m128i *)(void *)st, abcd);
	_mm_storeu_si128((__m128i *)(void *)(st + 4), efgh);
}

/* SHA (CPUID.7.0:EBX bit 29), SSE4.1 (CPUID.1:ECX bit 19) and SSSE3 (bit 9) */
static int
cpu_has_shani(void)
{
	unsigned a, b, c, d;

	if (__get_cpuid_max(0, NULL) < 7 || !__get_cpuid(1, &a, &b, &c, &d) ||
	    !(c & (1u << 19)) || !(c & (1u << 9)))
		return 0;
	__cpuid_count(7, 0, a, b, c, d);
	return (b & (1u << 29)) != 0;
}
#endif

/* 0: not chosen yet; 1: portable; 2: SHA extensions.  Relaxed: every thread chooses the same. */
static atomic_int impl;

/*
 * The CPU's SHA extensions when it has them, unless LS_SCALAR (set, not
 * "0") or LS_SCAN=scalar asks for the portable code, as for io/scan.c's
 * byte scans (libsales-formats(5)): one switch to compare the two.
 */
static int
choose(void)
{
	const char *env = getenv("LS_SCALAR");
	int best = 1;

#if LS_SHA_NI
	if (cpu_has_shani())
		best = 2;
#endif
	if ((env != NULL && env[0] != '\0' && strcmp(env, "0") != 0) ||
	    ((env = getenv("LS_SCAN")) != NULL && strcmp(env, "scalar") == 0))
		best = 1;
	atomic_store_explicit(&impl, best, memory_order_relaxed);
	return best;
}

int
ls_sha256_accelerated(void)
{
	int m = atomic_load_explicit(&impl, memory_order_relaxed);

	return (m ? m : choose()) == 2;
}

void
ls_sha256_force_portable(int on)
{
	if (on)
		atomic_store_explicit(&impl, 1, memory_order_relaxed);
	else
		choose();
}

static void
compress(uint32_t st[8], const unsigned char *p, size_t nblocks)
{
#if LS_SHA_NI
	if (ls_sha256_accelerated()) {
		blocks_shani(st, p, nblocks);
		return;
	}
#endif
	blocks_portable(st, p, nblocks);
}

void
ls_sha256_init(struct ls_sha256 *s)
{
	static const uint32_t iv[8] = { 0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
		0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19 };

	memcpy(s->h, iv, sizeof iv);
	s->len = 0;
	s->nbuf = 0;
}

void
ls_sha256_update(struct ls_sha256 *s, const void *data, size_t n)
{
	const unsigned char *p = data;

	s->len += n;
	if (s->nbuf) {
		size_t k = 64 - s->nbuf < n ? 64 - s->nbuf : n;

		memcpy(s->buf + s->nbuf, p, k);
		s->nbuf += k;
		p += k;
		n -= k;
		if (s->nbuf < 64)
			return;
		compress(s->h, s->buf, 1);
		s->nbuf = 0;
	}
	/*
	 * A block at a time, as before the SHA extensions came: handing
	 * compress() every block at once made gcc 12's LTO, inlining this
	 * into ls_chain_hash(), see a read before its 24-byte buffer and fail
	 * the release build (-Wstringop-overread); the cost is a reload of
	 * the state per block.
	 */
	for (; n >= 64; p += 64, n -= 64)
		compress(s->h, p, 1);
	memcpy(s->buf, p, n);
	s->nbuf = n;
}

void
ls_sha256_final(struct ls_sha256 *s, unsigned char out[32])
{
	uint64_t bits = s->len * 8;
	int i;

	s->buf[s->nbuf++] = 0x80;
	if (s->nbuf > 56) {
		memset(s->buf + s->nbuf, 0, 64 - s->nbuf);
		compress(s->h, s->buf, 1);
		s->nbuf = 0;
	}
	memset(s->buf + s->nbuf, 0, 56 - s->nbuf);
	for (i = 0; i < 8; i++)
		s->buf[56 + i] = (unsigned char)(bits >> (56 - 8 * i));
	compress(s->h, s->buf, 1);
	for (i = 0; i < 8; i++) {
		out[4 * i] = (unsigned char)(s->h[i] >> 24);
		out[4 * i + 1] = (unsigned char)(s->h[i] >> 16);
		out[4 * i + 2] = (unsigned char)(s->h[i] >> 8);
		out[4 * i + 3] = (unsigned char)s->h[i];
	}
}

static void
to_hex(const unsigned char d[32], char hex[LS_SHA256_HEX])
{
	static const char digits[] = "0123456789abcdef";

	for (int i = 0; i < 32; i++) {
		hex[2 * i] = digits[d[i] >> 4];
		hex[2 * i + 1] = digits[d[i] & 15];
	}
	hex[64] = '\0';
}

void
ls_sha256_final_hex(struct ls_sha256 *s, char hex[LS_SHA256_HEX])
{
	unsigned char d[32];

	ls_sha256_final(s, d);
	to_hex(d, hex);
}

void
ls_sha256_hex(const void *p, size_t n, char hex[LS_SHA256_HEX])
{
	struct ls_sha256 s;
	unsigned char d[32];

	ls_sha256_init(&s);
	ls_sha256_update(&s, p, n);
	ls_sha256_final(&s, d);
	to_hex(d, hex);
}

int
ls_sha256_file(const char *path, char hex[LS_SHA256_HEX], struct ls_error *err)
{
	FILE *fp = fopen(path, "rb");
	struct ls_sha256 s;
	unsigned char buf[65536], d[32];
	size_t n;

	if (fp == NULL)
		return ls_error_set(err, LS_EIO, path, 0, 0, "%s", strerror(errno));
	ls_sha256_init(&s);
	while ((n = fread(buf, 1, sizeof buf, fp)) > 0)
		ls_sha256_update(&s, buf, n);
	if (ferror(fp)) {
		int e = errno;

		fclose(fp);
		return ls_error_set(err, LS_EIO, path, 0, 0, "%s", strerror(e));
	}
	fclose(fp);
	ls_sha256_final(&s, d);
	to_hex(d, hex);
	return 0;
}
