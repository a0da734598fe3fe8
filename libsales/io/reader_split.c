/*
 * reader_split.c - the fast path: records split in place in the read
 * buffer, fields NUL-terminated where they lie, no copy; and the same
 * split of one record held in memory (ls_csv_split_record(), record.h).
 */
#include <string.h>

#include "util.h"
#include "reader_impl.h"
#include "scan.h"

#if LS_SCAN_X86
#include <immintrin.h>
#endif
#if defined(__SSE2__) && defined(__GNUC__)
#include <emmintrin.h>
#define SPLIT_SSE2 1
#else
#define SPLIT_SSE2 0	/* -Wundef: said, not left to default */
#endif

/*
 * The first byte of [p, e) equal to a or to b, or NULL.  Most fields are
 * short: with SSE2 the first 32 bytes are looked at 16 at a time, in
 * place of one or two memchr calls each costing more than the field; past
 * them memchr takes over.  Loads may read up to lim (>= e, inside the
 * buffer) and ignore what lies past e.
 */
static inline char *
find2(char *p, char *e, const char *lim, char a, char b, int simd)
{
	char *x, *y;

#if SPLIT_SSE2
	if (simd) {
		const __m128i va = _mm_set1_epi8(a), vb = _mm_set1_epi8(b);
		for (int k = 0; k < 2 && p < e && lim - p >= 16; k++, p += 16) {
			__m128i v = _mm_loadu_si128((const __m128i *)(const void *)p);
			unsigned m = (unsigned)_mm_movemask_epi8(_mm_or_si128(_mm_cmpeq_epi8(v, va),
			    _mm_cmpeq_epi8(v, vb)));
			if (e - p < 16)
				m &= (1u << (e - p)) - 1;
			if (m != 0)
				return p + __builtin_ctz(m);
			if (e - p <= 16)
				return NULL;
		}
		/*
		 * Fewer than 16 bytes left before lim: the end of a record held in
		 * memory (the stream's buffer rarely ends there).  A byte loop
		 * costs less than the two memchr calls.
		 */
		if (lim - p < 16) {
			for (; p < e; p++)
				if (*p == a || *p == b)
					return p;
			return NULL;
		}
	}
#else
	(void)lim;
	(void)simd;
#endif
	if (p >= e)
		return NULL;
	x = memchr(p, a, (size_t)(e - p));
	if (a != b && (y = memchr(p, b, (size_t)((x ? x : e) - p))) != NULL)
		x = y;
	return x;
}

/* The first quote in [p, lim), or NULL: find2() for a quoted field's closing quote. */
static inline char *
find_quote(char *p, const char *lim, int simd)
{
#if SPLIT_SSE2
	if (simd && lim - p >= 32) {
		const __m128i vq = _mm_set1_epi8('"');
		unsigned m = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(
		    _mm_loadu_si128((const __m128i *)(const void *)p), vq));
		if (m != 0)
			return p + __builtin_ctz(m);
		m = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(
		    _mm_loadu_si128((const __m128i *)(const void *)(p + 16)), vq));
		if (m != 0)
			return p + 16 + __builtin_ctz(m);
		p += 32;
	} else if (simd) {
		/* as in find2(): the last bytes of a record in memory */
		for (; p < lim; p++)
			if (*p == '"')
				return p;
		return NULL;
	}
#else
	(void)simd;
#endif
	return p < lim ? memchr(p, '"', (size_t)(lim - p)) : NULL;
}

#if LS_SCAN_X86
/*
 * find2() for the AVX2 processors: a field's first 32 bytes in one step,
 * then memchr as find2() does.  Within 32 bytes of lim (the end of a
 * record held in memory), find2()'s SSE2 form.
 */
LS_AVX2 __attribute__((always_inline)) static inline char *
find2_avx2(char *p, char *e, const char *lim, char a, char b)
{
	char *x, *y;

	if (lim - p < 32)
		return find2(p, e, lim, a, b, 1);
	if (p < e) {
		__m256i v = _mm256_loadu_si256((const __m256i *)(const void *)p);
		unsigned m = (unsigned)_mm256_movemask_epi8(_mm256_or_si256(_mm256_cmpeq_epi8(v,
		    _mm256_set1_epi8(a)), _mm256_cmpeq_epi8(v, _mm256_set1_epi8(b))));
		if (e - p < 32)
			m &= (1u << (e - p)) - 1;
		if (m != 0)
			return p + __builtin_ctz(m);
		if (e - p <= 32)
			return NULL;
		p += 32;
	}
	if (p >= e)
		return NULL;
	x = memchr(p, a, (size_t)(e - p));
	if (a != b && (y = memchr(p, b, (size_t)((x ? x : e) - p))) != NULL)
		x = y;
	return x;
}

/* find_quote() for the AVX2 processors: 32 bytes in one step, then memchr. */
LS_AVX2 __attribute__((always_inline)) static inline char *
find_quote_avx2(char *p, const char *lim)
{
	if (lim - p < 32)
		return find_quote(p, lim, 1);
	unsigned m = (unsigned)_mm256_movemask_epi8(_mm256_cmpeq_epi8(
	    _mm256_loadu_si256((const __m256i *)(const void *)p), _mm256_set1_epi8('"')));
	if (m != 0)
		return p + __builtin_ctz(m);
	p += 32;
	return p < lim ? memchr(p, '"', (size_t)(lim - p)) : NULL;
}
#endif

/* Unescape TSV's \t \n \r \\ in place; other backslashes stay as they are. */
size_t
ls_rd_tsv_unescape(char *p, size_t n)
{
	char *bs = memchr(p, '\\', n);
	size_t i, o;

	if (bs == NULL)
		return n;
	for (i = o = (size_t)(bs - p); i < n; i++) {
		if (p[i] == '\\' && i + 1 < n) {
			char c = p[i + 1];
			char u = c == 't' ? '\t' : c == 'n' ? '\n' : c == 'r' ? '\r' : c == '\\' ? '\\' : 0;
			if (u) {
				p[o++] = u;
				i++;
				continue;
			}
		}
		p[o++] = p[i];
	}
	return o;
}

/* Line breaks in [p, e) as ls_rd_next_line() counts them: CR LF once, a lone CR or LF once each. */
static long
count_breaks(const char *p, const char *e)
{
	long n = 0;
	const char *x;

	for (x = p; x < e && (x = memchr(x, '\n', (size_t)(e - x))) != NULL; x++)
		n += !(x > p && x[-1] == '\r');
	for (x = p; x < e && (x = memchr(x, '\r', (size_t)(e - x))) != NULL; x++)
		n++;
	return n;
}

/* Why split_quoted() stopped short of a record; the public codes where there is one. */
enum {
	SPLIT_OOM = -1,
	SPLIT_QUOTE = LS_CSV_EQUOTE,
	SPLIT_TEXT = LS_CSV_ETEXT,
	SPLIT_OPEN = LS_CSV_EOPEN,
	SPLIT_MORE = -100		/* the record may go on past the bytes there are */
};

/* What split_quoted() is given besides the record, and what it finds out. */
struct split_state {
	char *limit;		/* the bytes there are end here */
	int eof;		/* and none come after them */
	char *end;		/* the record's text ends here, before its line end */
	long breaks;		/* line breaks inside quoted fields */
	size_t *nesc;		/* gets the count of quoted fields holding "" */
	uint64_t *escm;		/* and of those, bit i: field i (< 64) */
	char *bad;		/* on a refusal: the quote, or the text after one, it is about */
};

/* The splitting loops: the SSE2 and portable form, inlined in the functions below by force. */
#define SPLIT_FN(name)	name##_base
#if defined(__GNUC__)
#define SPLIT_ATTR	__attribute__((always_inline))
#else
#define SPLIT_ATTR
#endif
#define FIND2(p, e, lim, a, b)	find2(p, e, lim, a, b, simd)
#define FIND_QUOTE(p, lim)	find_quote(p, lim, simd)
#include "reader_split_body.h"
#undef SPLIT_FN
#undef SPLIT_ATTR
#undef FIND2
#undef FIND_QUOTE

#if LS_SCAN_X86
/* and the AVX2 form, out of line: built for AVX2, it may run only when the CPU has it */
#define SPLIT_FN(name)	name##_avx2
#define SPLIT_ATTR	LS_AVX2
#define FIND2(p, e, lim, a, b)	find2_avx2(p, e, lim, a, b)
#define FIND_QUOTE(p, lim)	find_quote_avx2(p, lim)
#include "reader_split_body.h"
#undef SPLIT_FN
#undef SPLIT_ATTR
#undef FIND2
#undef FIND_QUOTE
#endif

/* Split [s, s+n) on sep into r->f without touching the bytes; returns the field count or -1. */
long
ls_rd_split_line(struct ls_reader *r, char *s, size_t n, char sep)
{
	int level = ls_scan_level();

#if LS_SCAN_X86
	if (level == LS_SCAN_AVX2)
		return split_line_avx2(r, s, n, sep, 1);
#endif
	return split_line_base(r, s, n, sep, level >= LS_SCAN_SSE2);
}

/* split_quoted() in the form the scan level asks for. */
#if defined(__GNUC__)
__attribute__((always_inline))
#endif
static inline long
split_quoted(struct ls_str **fp, size_t *fcap, char *s, size_t n, char sep, struct split_state *st)
{
	int level = ls_scan_level();

#if LS_SCAN_X86
	if (level == LS_SCAN_AVX2)
		return split_quoted_avx2(fp, fcap, s, n, sep, st, 1);
#endif
	return split_quoted_base(fp, fcap, s, n, sep, st, level >= LS_SCAN_SSE2);
}

/*
 * Split a record with quotes when every quoted field is simple (see
 * split_quoted()).  Returns the field count, 0 when the record needs libcsv
 * (a quote in a bare field, text after a closing quote, a quote that does
 * not close inside the buffer), or -1 when out of memory.  When a field ran
 * over line breaks, *span gets the record's length without its line end,
 * *term the length of that line end and *breaks the line breaks inside;
 * otherwise they are left alone.  What this accepts, libcsv in strict mode
 * reads the same way (the differential tests check it).
 */
long
ls_rd_split_quoted(struct ls_reader *r, char *s, size_t n, char sep, size_t *span, size_t *term,
    long *breaks)
{
	struct split_state st;
	char *limit = r->buf + r->end, *e;
	long nf;

	st.limit = limit;
	st.eof = r->file_eof;
	st.nesc = &r->nesc;
	st.escm = &r->escm;
	nf = split_quoted(&r->f, &r->fcap, s, n, sep, &st);
	if (nf < 0)
		return nf == SPLIT_OOM ? -1 : 0;
	if ((e = st.end) != s + n) {
		*span = (size_t)(e - s);
		*term = e == limit ? 0 : *e == '\n' ? 1 : (e + 1 < limit && e[1] == '\n') ? 2 : 1;
		*breaks = st.breaks;
	}
	return nf;
}

/* split_plain(): field [a, b) of p, grown into *fp as needed */
#define PLAIN_FIELD(a, b)								\
	do {										\
		if (nf == *fcap && ls_grow(fp, fcap, nf + 1, sizeof(**fp)) != 0)	\
			return -1;							\
		(*fp)[nf].p = p + (a);							\
		(*fp)[nf].n = (b) - (a);						\
		nf++;									\
	} while (0)

/*
 * ls_csv_split_record()'s usual record (a ticket log's, a state file's): no
 * quote, CR or LF, so its fields are the bytes between the delimiters,
 * found in one pass in place of the full split's three (a CR and a LF
 * looked for, then the quoted split).  The field count, 0 when the record
 * holds a quote, CR or LF (the full split's business: no byte is written
 * then), or -1 when out of memory.  The SSE2 form 16 bytes a step (the
 * fields are short: AVX2 would not pay), the portable one a byte a step;
 * test_csv_split and fuzz_ticket compare them.
 */
static long
split_plain(char *p, size_t n, char sep, struct ls_str **fp, size_t *fcap)
{
	size_t nf = 0, a = 0, i = 0;

#if SPLIT_SSE2
	if (ls_scan_simd()) {
		const __m128i vs = _mm_set1_epi8(sep), vq = _mm_set1_epi8('"');
		const __m128i vr = _mm_set1_epi8('\r'), vn = _mm_set1_epi8('\n');

		for (; i + 16 <= n; i += 16) {
			__m128i v = _mm_loadu_si128((const __m128i *)(const void *)(p + i));
			unsigned m = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, vs));

			if (_mm_movemask_epi8(_mm_or_si128(_mm_cmpeq_epi8(v, vq),
			    _mm_or_si128(_mm_cmpeq_epi8(v, vr), _mm_cmpeq_epi8(v, vn)))) != 0)
				return 0;
			for (; m != 0; m &= m - 1) {
				size_t k = i + (size_t)__builtin_ctz(m);
				PLAIN_FIELD(a, k);
				a = k + 1;
			}
		}
	}
#endif
	for (; i < n; i++) {
		char c = p[i];

		if (c == '"' || c == '\r' || c == '\n')
			return 0;
		if (c == sep) {
			PLAIN_FIELD(a, i);
			a = i + 1;
		}
	}
	PLAIN_FIELD(a, n);
	/* known good: now the fields are ended */
	for (size_t k = 0; k < nf; k++)
		((char *)(*fp)[k].p)[(*fp)[k].n] = '\0';
	return (long)nf;
}
#undef PLAIN_FIELD

long
ls_csv_split_record(char *p, size_t n, char sep, struct ls_str **f, size_t *fcap, size_t *bad)
{
	struct split_state st;
	char *cr, *lf;
	size_t first, nesc;
	uint64_t escm;
	long nf;

	if (sep == '"' || sep == '\n' || sep == '\r')
		return LS_CSV_ESEP;
	if ((nf = split_plain(p, n, sep, f, fcap)) != 0)
		return nf < 0 ? LS_CSV_ENOMEM : nf;
	/* the first line, as the stream cuts it: up to the first CR or LF */
	cr = n ? memchr(p, '\r', n) : NULL;
	lf = n ? memchr(p, '\n', cr ? (size_t)(cr - p) : n) : NULL;
	first = lf ? (size_t)(lf - p) : cr ? (size_t)(cr - p) : n;
	st.limit = p + n;
	st.eof = 1;
	st.bad = p;
	st.nesc = &nesc;
	st.escm = &escm;
	if ((nf = split_quoted(f, fcap, p, first, sep, &st)) < 0) {
		if (bad != NULL && nf != SPLIT_OOM)
			*bad = (size_t)(st.bad - p);
		return nf == SPLIT_OOM ? LS_CSV_ENOMEM : nf;
	}
	/* a line break outside quotes: the stream would end the record there */
	if (st.end != p + n) {
		if (bad != NULL)
			*bad = (size_t)(st.end - p);
		return LS_CSV_EBREAK;
	}
	struct ls_str *v = *f;
	for (long i = 0; i < nf; i++) {
		char *fp = (char *)v[i].p;
		if (nesc > 0 && (i < 64 ? (escm >> i) & 1 : fp > p && fp[-1] == '"'))
			v[i].n = ls_rd_unquote_field(fp, v[i].n);
		fp[v[i].n] = '\0';
	}
	return nf;
}

/*
 * Collapse each "" of a quoted field to one quote, in place; returns the new
 * length.  The field holds quotes only in pairs (ls_rd_split_quoted() saw to it),
 * so the text between pairs moves in whole runs.
 */
size_t
ls_rd_unquote_field(char *p, size_t n)
{
	char *q = memchr(p, '"', n), *e = p + n, *o, *i;

	if (q == NULL)
		return n;
	o = q + 1;		/* keep the first quote of the pair */
	for (i = q + 2; i < e;) {
		char *nq = memchr(i, '"', (size_t)(e - i));
		size_t run = (size_t)((nq ? nq + 1 : e) - i);
		memmove(o, i, run);
		o += run;
		if (nq == NULL)
			break;
		i = nq + 2;
	}
	return (size_t)(o - p);
}
