/*
 * utf8.c - the UTF-8 check every record read goes through.
 *
 * The SSE2 scan vouches for 16 bytes at a time (the AVX2 one for 32) when
 * they are ASCII and two-byte characters only (Latin and Cyrillic text)
 * and hands anything else -- a NUL, a three- or four-byte character, a bad
 * byte -- to the portable check, which finds and names the first bad byte.
 * So the three agree by construction on where input goes bad: the vector
 * scans only ever skip bytes that are valid.
 */
#include <stdint.h>
#include <string.h>

#include "record.h"
#include "scan.h"

#if LS_SCAN_X86
#include <immintrin.h>
#elif defined(__SSE2__)
#include <emmintrin.h>
#endif
#include "utf8.h"

#define BYTES8	0x0101010101010101ull
/* non-zero when some byte of v is zero */
#define HASZERO(v)	(((v) - BYTES8) & ~(v) & 0x8080808080808080ull)

/*
 * The portable check of s[*at..] up to stop (<= n; the character at stop
 * may end past it): 1 with *at after the last character checked, else as
 * ls_utf8_valid().
 */
static int
scalar_run(const unsigned char *s, size_t n, size_t *at, size_t stop, size_t *bad)
{
	size_t i = *at;

	while (i < stop) {
		/* eight ASCII bytes at a time: the common case for CRM exports */
		while (i + 8 <= stop) {
			uint64_t w;
			memcpy(&w, s + i, 8);
			if ((w & 0x8080808080808080ull) || HASZERO(w))
				break;
			i += 8;
		}
		if (i >= stop)
			break;
		unsigned c = s[i];
		if (c == 0) {
			/* valid UTF-8, but no text field holds one, and C strings end there */
			*bad = i;
			return -1;
		}
		if (c < 0x80) {
			i++;
			continue;
		}
		/* two-byte sequences (Cyrillic, most of Latin-1) without the general path */
		if (c >= 0xc2 && c <= 0xdf && i + 1 < n && (s[i + 1] & 0xc0) == 0x80) {
			i += 2;
			while (i + 1 < stop && s[i] >= 0xc2 && s[i] <= 0xdf && (s[i + 1] & 0xc0) == 0x80)
				i += 2;
			continue;
		}
		size_t len;
		unsigned min;
		if (c >= 0xc2 && c <= 0xdf) {
			len = 2; min = 0x80;
		} else if (c >= 0xe0 && c <= 0xef) {
			len = 3; min = 0x800;
		} else if (c >= 0xf0 && c <= 0xf4) {
			len = 4; min = 0x10000;
		} else {
			*bad = i;
			return 0;
		}
		if (i + len > n) {
			*bad = i;
			return 0;
		}
		unsigned cp = c & (0x7f >> len);
		for (size_t k = 1; k < len; k++) {
			if ((s[i + k] & 0xc0) != 0x80) {
				*bad = i;
				return 0;
			}
			cp = (cp << 6) | (s[i + k] & 0x3f);
		}
		if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) {
			*bad = i;
			return 0;
		}
		i += len;
	}
	*at = i;
	return 1;
}

#if defined(__SSE2__)
/*
 * Where the run of valid UTF-8 made of ASCII (no NUL) and two-byte
 * characters that starts at s[i] (a character boundary) ends, 16 bytes at
 * a time; stops at the first block holding anything else, and always at a
 * character boundary.  In a block, every continuation byte (10xxxxxx) must
 * follow a lead byte C2..DF and every such lead must be followed by one:
 * the lead mask shifted by one, with the previous block's last lead
 * carried in, must equal the continuation mask.
 */
static size_t
sse2_run(const unsigned char *s, size_t n, size_t i)
{
	const __m128i zero = _mm_setzero_si128();
	const __m128i lt_cont = _mm_set1_epi8((char)0xc0);	/* signed: 80..BF are below C0 */
	const __m128i gt_lead = _mm_set1_epi8((char)0xc1);
	const __m128i lt_lead = _mm_set1_epi8((char)0xe0);
	unsigned carry = 0;

	while (i + 16 <= n) {
		__m128i v = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
		unsigned high = (unsigned)_mm_movemask_epi8(v);
		unsigned cont, lead;

		if (_mm_movemask_epi8(_mm_cmpeq_epi8(v, zero)) != 0)
			break;
		if (high == 0) {
			if (carry)
				break;
			i += 16;
			continue;
		}
		cont = (unsigned)_mm_movemask_epi8(_mm_cmplt_epi8(v, lt_cont));
		lead = (unsigned)_mm_movemask_epi8(_mm_and_si128(_mm_cmpgt_epi8(v, gt_lead),
		    _mm_cmplt_epi8(v, lt_lead)));
		/* C0, C1, E0..FF: three- and four-byte characters and bad bytes go to the portable check */
		if ((cont | lead) != high || (((lead << 1) | carry) & 0xffffu) != cont)
			break;
		carry = lead >> 15;
		i += 16;
	}
	if (i + 16 > n && i < n && n >= 16 && !carry) {
		/*
		 * The last bytes, fewer than 16: the block ending at n, with the
		 * bytes before i (whole characters, already checked) masked off.
		 * Its last byte must not be a lead.
		 */
		unsigned keep = (0xffffu << (i - (n - 16))) & 0xffffu, high, cont, lead;
		__m128i v = _mm_loadu_si128((const __m128i *)(const void *)(s + n - 16));

		high = (unsigned)_mm_movemask_epi8(v) & keep;
		cont = (unsigned)_mm_movemask_epi8(_mm_cmplt_epi8(v, lt_cont)) & keep;
		lead = (unsigned)_mm_movemask_epi8(_mm_and_si128(_mm_cmpgt_epi8(v, gt_lead),
		    _mm_cmplt_epi8(v, lt_lead))) & keep;
		if (((unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, zero)) & keep) == 0 &&
		    (cont | lead) == high && ((lead << 1) & 0xffffu) == cont && !(lead & 0x8000u))
			return n;
		return i;
	}
	/* a block ending on a lead byte: its character is checked again from the lead */
	return carry ? i - 1 : i;
}
#endif

#if LS_SCAN_X86
/*
 * sse2_run() 32 bytes at a time, for the AVX2 processors, with the same
 * masks 32 bits wide, and the same last block: the 32 bytes ending at n.
 * Called only with 32 bytes or more left (fewer go to sse2_run()).  A
 * separate function, not inlined into ls_utf8_valid(): code built for
 * AVX2 may run only when the CPU has it.  It calls nothing: a call from
 * here to code built for any x86-64 (sse2_run() was, at first) went with
 * the upper halves of the 256-bit registers still dirty (gcc 12 put no
 * VZEROUPPER before the tail call), and the SSE2 code after it ran 60%
 * slower (bench/RESULTS.md, "Issue 31: AVX2").
 */
LS_AVX2 static size_t
avx2_run(const unsigned char *s, size_t n, size_t i)
{
	const __m256i zero = _mm256_setzero_si256();
	const __m256i max_cont = _mm256_set1_epi8((char)0xbf);	/* signed: 80..BF are the lowest */
	const __m256i gt_lead = _mm256_set1_epi8((char)0xc1);
	const __m256i max_lead = _mm256_set1_epi8((char)0xdf);
	unsigned carry = 0, high, cont, lead;
	__m256i v;

	while (i + 32 <= n) {
		v = _mm256_loadu_si256((const __m256i *)(const void *)(s + i));
		high = (unsigned)_mm256_movemask_epi8(v);
		if (_mm256_movemask_epi8(_mm256_cmpeq_epi8(v, zero)) != 0)
			break;
		if (high == 0) {
			if (carry)
				break;
			i += 32;
			continue;
		}
		/* AVX2 compares only by greater-than: a continuation byte is one not above BF */
		cont = ~(unsigned)_mm256_movemask_epi8(_mm256_cmpgt_epi8(v, max_cont));
		lead = (unsigned)_mm256_movemask_epi8(_mm256_andnot_si256(_mm256_cmpgt_epi8(v, max_lead),
		    _mm256_cmpgt_epi8(v, gt_lead)));
		if ((cont | lead) != high || ((lead << 1) | carry) != cont)
			break;
		carry = lead >> 31;
		i += 32;
	}
	if (i + 32 > n && i < n && !carry) {
		/* as in sse2_run(): the block ending at n, the bytes before i masked off; no lead last */
		unsigned keep = 0xffffffffu << (i - (n - 32));

		v = _mm256_loadu_si256((const __m256i *)(const void *)(s + n - 32));
		high = (unsigned)_mm256_movemask_epi8(v) & keep;
		cont = ~(unsigned)_mm256_movemask_epi8(_mm256_cmpgt_epi8(v, max_cont)) & keep;
		lead = (unsigned)_mm256_movemask_epi8(_mm256_andnot_si256(_mm256_cmpgt_epi8(v, max_lead),
		    _mm256_cmpgt_epi8(v, gt_lead))) & keep;
		if (((unsigned)_mm256_movemask_epi8(_mm256_cmpeq_epi8(v, zero)) & keep) == 0 &&
		    (cont | lead) == high && (lead << 1) == cont && !(lead & 0x80000000u))
			return n;
		return i;
	}
	/* a block ending on a lead byte: its character is checked again from the lead */
	return carry ? i - 1 : i;
}
#endif

/*
 * The portable ls_utf8_prefix(): ASCII (no NUL) eight bytes at a time, and
 * two-byte characters; a lead byte whose continuation is not there yet (the
 * last byte of the bytes given) is left out.
 */
static size_t
scalar_prefix(const unsigned char *s, size_t n)
{
	size_t i = 0;

	while (i < n) {
		while (i + 8 <= n) {
			uint64_t w;
			memcpy(&w, s + i, 8);
			if ((w & 0x8080808080808080ull) || HASZERO(w))
				break;
			i += 8;
		}
		if (i >= n)
			break;
		unsigned c = s[i];
		if (c != 0 && c < 0x80)
			i++;
		else if (c >= 0xc2 && c <= 0xdf && i + 1 < n && (s[i + 1] & 0xc0) == 0x80)
			i += 2;
		else
			break;
	}
	return i;
}

size_t
ls_utf8_prefix(const unsigned char *s, size_t n)
{
#if defined(__SSE2__)
	int level = ls_scan_level();

	if (level >= LS_SCAN_SSE2) {
		size_t i;
#if LS_SCAN_X86
		i = level == LS_SCAN_AVX2 && n >= 32 ? avx2_run(s, n, 0) : sse2_run(s, n, 0);
#else
		i = sse2_run(s, n, 0);
#endif
		/* fewer than 16 bytes (no block to load), or the block the run stopped in: the portable way */
		return i + scalar_prefix(s + i, n - i < 16 ? n - i : 16);
	}
#endif
	return scalar_prefix(s, n);
}

int
ls_utf8_valid(const unsigned char *s, size_t n, size_t *bad)
{
	size_t i = 0;

#if defined(__SSE2__)
	int level = ls_scan_level();

	if (level >= LS_SCAN_SSE2) {
		int rc;

		while (i < n) {
#if LS_SCAN_X86
			i = level == LS_SCAN_AVX2 && n - i >= 32 ? avx2_run(s, n, i) : sse2_run(s, n, i);
#else
			i = sse2_run(s, n, i);
#endif
			if (i >= n)
				break;
			/* past what the vector scan left, then back to it */
			if ((rc = scalar_run(s, n, &i, i + 16 < n ? i + 16 : n, bad)) <= 0)
				return rc;
		}
		return 1;
	}
#endif
	return scalar_run(s, n, &i, n, bad);
}
