/*
 * reader_split.c - the fast path: records split in place in the read
 * buffer, fields NUL-terminated where they lie, no copy; and the same
 * split of one record held in memory (ls_csv_split_record(), record.h).
 */
#include <string.h>

#if defined(__SSE2__) && defined(__GNUC__)
#include <emmintrin.h>
#define SPLIT_SSE2 1
#endif

#include "util.h"
#include "reader_impl.h"
#include "scan.h"

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

/* Split [s, s+n) on sep into r->f without touching the bytes; returns the field count or -1. */
long
ls_rd_split_line(struct ls_reader *r, char *s, size_t n, char sep)
{
	size_t nf = 0;
	char *p = s, *e = s + n;
	const char *lim = r->buf + r->end;
	int simd = ls_scan_simd();

	for (;;) {
		char *d = find2(p, e, lim, sep, sep, simd);
		if (nf == r->fcap && ls_grow(&r->f, &r->fcap, nf + 1, sizeof(*r->f)) < 0)
			return -1;
		r->f[nf].p = p;
		r->f[nf].n = (size_t)((d ? d : e) - p);
		nf++;
		if (d == NULL)
			break;
		p = d + 1;
	}
	return (long)nf;
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

/*
 * The split both readers share, the stream's (ls_rd_split_quoted()) and
 * the one in memory (ls_csv_split_record()), so that they cannot read a
 * record two ways.  s is the record's first line, n bytes long; a quoted
 * field may run on over line breaks as long as its closing quote is in
 * [s, st->limit).  Quoted fields are "...", a doubled quote inside being
 * text, then the delimiter or the line's end.  Fields go into *fp (grown,
 * *fcap its size) as views that exclude the quotes, so the closing quote is
 * where the caller puts the NUL; the bytes are not touched, so the stream
 * can still hand a refused record to libcsv.  Returns the field count, or
 * SPLIT_*: a quote in a bare field, text after a closing quote, a quote
 * that never closes (st->bad on the byte), SPLIT_MORE when bytes past
 * limit are needed to tell, SPLIT_OOM.  Inlined in each caller by force:
 * it is the stream's hot path, and gcc -O2 leaves it out of line, with a
 * call and the state spilled on every quoted record.  The fields are
 * written through *fp, not a local copy of it: the copy costs a spilled
 * register per field (valgrind counts 0.5% more instructions per record).
 */
#if defined(__GNUC__)
__attribute__((always_inline))
#endif
static inline long
split_quoted(struct ls_str **fp, size_t *fcap, char *s, size_t n, char sep, struct split_state *st)
{
	size_t nf = 0;
	char *p = s, *e = s + n, *limit = st->limit;
	long br = 0;
	int simd = ls_scan_simd();

	*st->nesc = 0;
	*st->escm = 0;
	for (;;) {
		if (nf == *fcap && ls_grow(fp, fcap, nf + 1, sizeof(**fp)) < 0)
			return SPLIT_OOM;
		if (p < e && *p == '"') {
			char *q = find_quote(p + 1, limit, simd);
			int esc = 0;

			/* most quoted fields: no "" inside, the delimiter right after, all on this line */
			if (q != NULL && q + 1 < e && q[1] == sep) {
				(*fp)[nf].p = p + 1;
				(*fp)[nf].n = (size_t)(q - p - 1);
				nf++;
				p = q + 2;
				continue;
			}
			/* "" inside: a quote, collapsed by ls_rd_unquote_field() once the record is known good */
			while (q != NULL && q + 1 < limit && q[1] == '"') {
				esc = 1;
				q = q + 2 < limit ? memchr(q + 2, '"', (size_t)(limit - q - 2)) : NULL;
			}
			/* what follows the closing quote must be there to be judged */
			if (q == NULL || (q + 1 == limit && !st->eof)) {
				st->bad = p;
				return st->eof ? SPLIT_OPEN : SPLIT_MORE;
			}
			if (q >= e) {
				/* the field runs on past the line: find the line its quote closes on */
				char *lf, *cr;
				br += count_breaks(e, q);
				lf = memchr(q + 1, '\n', (size_t)(limit - q - 1));
				cr = memchr(q + 1, '\r', (size_t)((lf ? lf : limit) - q - 1));
				e = cr ? cr : lf ? lf : limit;
				/* a CR as the last byte there is may be half of a CR LF */
				if ((e == limit || e + 1 == limit) && !st->eof)
					return SPLIT_MORE;
			}
			if (q + 1 < e && q[1] != sep) {
				st->bad = q + 1;
				return SPLIT_TEXT;
			}
			(*fp)[nf].p = p + 1;
			(*fp)[nf].n = (size_t)(q - p - 1);
			*st->nesc += esc;
			if (esc && nf < 64)
				*st->escm |= UINT64_C(1) << nf;
			nf++;
			if (q + 1 >= e)
				break;
			p = q + 2;
			continue;
		}
		char *d = find2(p, e, limit, sep, '"', simd);
		if (d != NULL && *d == '"') {
			st->bad = d;
			return SPLIT_QUOTE;
		}
		char *fe = d ? d : e;
		(*fp)[nf].p = p;
		(*fp)[nf].n = (size_t)(fe - p);
		nf++;
		if (d == NULL)
			break;
		p = d + 1;
	}
	st->end = e;
	st->breaks = br;
	return (long)nf;
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
