/*
 * sha256.c - SHA-256 as FIPS 180-4 describes it (sha256.h).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "sha256.h"

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

#define S0(x)	(ROR(x, 2) ^ ROR(x, 13) ^ ROR(x, 22))
#define S1(x)	(ROR(x, 6) ^ ROR(x, 11) ^ ROR(x, 25))
#define G0(x)	(ROR(x, 7) ^ ROR(x, 18) ^ ((x) >> 3))
#define G1(x)	(ROR(x, 17) ^ ROR(x, 19) ^ ((x) >> 10))
/* One round with the eight working variables renamed instead of moved. */
#define ROUND(a, b, c, d, e, f, g, h, i) do { \
	uint32_t t1 = h + S1(e) + (g ^ (e & (f ^ g))) + K[i] + w[(i) & 15]; \
	d += t1; \
	h = t1 + S0(a) + ((a & b) | (c & (a | b))); \
} while (0)
#define SCHED(i)	(w[(i) & 15] += G1(w[((i) - 2) & 15]) + w[((i) - 7) & 15] + G0(w[((i) - 15) & 15]))

static void
block(struct ls_sha256 *s, const unsigned char *p)
{
	uint32_t w[16], a, b, c, d, e, f, g, h;
	int i;

	for (i = 0; i < 16; i++)
		w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 |
		    (uint32_t)p[4 * i + 2] << 8 | p[4 * i + 3];
	a = s->h[0], b = s->h[1], c = s->h[2], d = s->h[3];
	e = s->h[4], f = s->h[5], g = s->h[6], h = s->h[7];
	for (i = 0; i < 64; i += 8) {
		if (i >= 16) {
			SCHED(i); SCHED(i + 1); SCHED(i + 2); SCHED(i + 3);
			SCHED(i + 4); SCHED(i + 5); SCHED(i + 6); SCHED(i + 7);
		}
		ROUND(a, b, c, d, e, f, g, h, i);
		ROUND(h, a, b, c, d, e, f, g, i + 1);
		ROUND(g, h, a, b, c, d, e, f, i + 2);
		ROUND(f, g, h, a, b, c, d, e, i + 3);
		ROUND(e, f, g, h, a, b, c, d, i + 4);
		ROUND(d, e, f, g, h, a, b, c, i + 5);
		ROUND(c, d, e, f, g, h, a, b, i + 6);
		ROUND(b, c, d, e, f, g, h, a, i + 7);
	}
	s->h[0] += a, s->h[1] += b, s->h[2] += c, s->h[3] += d;
	s->h[4] += e, s->h[5] += f, s->h[6] += g, s->h[7] += h;
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
		block(s, s->buf);
		s->nbuf = 0;
	}
	for (; n >= 64; p += 64, n -= 64)
		block(s, p);
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
		block(s, s->buf);
		s->nbuf = 0;
	}
	memset(s->buf + s->nbuf, 0, 56 - s->nbuf);
	for (i = 0; i < 8; i++)
		s->buf[56 + i] = (unsigned char)(bits >> (56 - 8 * i));
	block(s, s->buf);
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
