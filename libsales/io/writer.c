/*
 * writer.c - the record writer: CSV with minimal quoting, or TSV with
 * escapes, through one big buffer; -o files go to a temporary beside the
 * target and are renamed into place only by ls_writer_commit().
 */
#include <errno.h>
#include <fcntl.h>
#include <iconv.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lock.h"
#include "pipe.h"
#include "record.h"
#include "scan.h"
#include "util.h"
#include "writer.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#define WBUF	(256u << 10)
#define SPAN_FIELDS	3	/* ls_writer_span(): fields lying together copied at once from this many */
#define BYTES8	0x0101010101010101ull
/* non-zero when some byte of v is zero */
#define HASZERO(v)	(((v) - BYTES8) & ~(v) & 0x8080808080808080ull)

/* ls_writer_tail() remembers up to this many fields of this many bytes in all */
#define TAIL_FIELDS	4
#define TAIL_BYTES	128

struct ls_writer {
	FILE *fp;
	int own;			/* fp is a device opened here */
	struct ls_atomic *atomic;	/* -o FILE: the temporary that commit renames */
	enum ls_format fmt;
	char delim;
	char *buf;
	size_t len, cap;
	size_t nf;			/* fields in the current row */
	int status;			/* first error: LS_EIO or LS_EPIPE */
	int saved_errno;
	size_t row_bytes;		/* bytes of the current row's fields so far */
	int started;			/* a field was written: a BOM-like first field is quoted only before */
	iconv_t cd;			/* --oencoding, or (iconv_t)-1 */
	const char *encoding;
	char *obuf;			/* converted bytes */
	size_t ocap;
	int unmappable;			/* a character has no equivalent in the output encoding */
	unsigned char special[256];	/* bytes that force quoting (CSV) or escaping (TSV) */
	uint64_t pat[2];		/* the delimiter and the quote (or backslash), eight times each */
	int simd;			/* ls_scan_simd() at open */
	unsigned char v16[2][16];	/* SSE2: the delimiter and the quote (or backslash), sixteen times */
	char *path;			/* the file named to write to, for messages; NULL: the stream given */
	int guard;			/* the formula guard is on (writer.h) */
	char *gbuf;			/* a guarded field with its ' */
	size_t gcap;
	/*
	 * ls_writer_tail(): the last tail's values (their bytes one after the
	 * other, tlen[i] each) and their output, the delimiter before each
	 * field included; tn 0 when there is none to reuse.
	 */
	size_t tn, tlen[TAIL_FIELDS], traw, tout;
	char tbuf[TAIL_BYTES], tenc[2 * TAIL_BYTES + 3 * TAIL_FIELDS];
};

static void set_failed(struct ls_writer *w, int e);

/*
 * Convert buf[0..len) to the output encoding and write it.  A character
 * cut at the end of the buffer stays at its start for the next time.
 */
static int
convert_out(struct ls_writer *w)
{
	char *in = w->buf, *out;
	size_t inleft = w->len, outleft, rc;

	if (w->ocap < 4 * w->len + 16) {
		char *nb = realloc(w->obuf, 4 * w->len + 16);
		if (nb == NULL) {
			w->saved_errno = ENOMEM;
			return w->status = LS_EIO;
		}
		w->obuf = nb;
		w->ocap = 4 * w->len + 16;
	}
	out = w->obuf;
	outleft = w->ocap;
	rc = iconv(w->cd, &in, &inleft, &out, &outleft);
	if (rc == (size_t)-1 && errno == EILSEQ) {
		w->unmappable = 1;
		w->saved_errno = EILSEQ;
		return w->status = LS_EIO;
	}
	if (fwrite(w->obuf, 1, (size_t)(out - w->obuf), w->fp) != (size_t)(out - w->obuf)) {
		set_failed(w, errno);
		return w->status;
	}
	memmove(w->buf, in, inleft);
	w->len = inleft;
	return 0;
}

/*
 * Standard output is the process's, and so is this: set when a writer on
 * stdout saw EPIPE, so that the final check of stdout can tell the
 * reader's leaving (status 0) from a write error, whatever errno says then.
 */
static volatile int stdout_closed;

int
ls_writer_stdout_closed(void)
{
	return stdout_closed;
}

static void
set_failed(struct ls_writer *w, int e)
{
	w->saved_errno = e;
	w->status = e == EPIPE ? LS_EPIPE : LS_EIO;
	if (e == EPIPE && w->fp == stdout)
		stdout_closed = 1;
}

static int
wflush(struct ls_writer *w)
{
	if (w->status || w->len == 0) {
		w->len = 0;
		return w->status;
	}
	if (w->cd != (iconv_t)-1)
		return convert_out(w);
	if (fwrite(w->buf, 1, w->len, w->fp) != w->len)
		set_failed(w, errno);
	w->len = 0;
	return w->status;
}

/* Make room for n more bytes. */
static int
reserve(struct ls_writer *w, size_t n)
{
	if (w->cap - w->len >= n)
		return 0;
	if (wflush(w))
		return w->status;
	/* after a conversion, a cut character's first bytes may still be there */
	if (w->cap - w->len < n) {
		char *nb = realloc(w->buf, w->len + n);
		if (nb == NULL) {
			w->saved_errno = ENOMEM;
			return w->status = LS_EIO;
		}
		w->buf = nb;
		w->cap = w->len + n;
	}
	return 0;
}

/*
 * Devices and FIFOs (/dev/stdout among them, through its link) are written
 * in place: there is no file to replace.  Anything else goes through a
 * temporary file renamed into place (lock.h), links resolved first.
 */
static int
is_device(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && !S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode);
}

struct ls_writer *
ls_writer_open(const char *path, FILE *fp, const struct ls_writer_opts *opts, struct ls_error *err)
{
	struct ls_writer *w = calloc(1, sizeof(*w));

	if (w == NULL || (w->buf = malloc(WBUF)) == NULL) {
		free(w);
		ls_error_set(err, LS_ENOMEM, NULL, 0, 0, "out of memory");
		return NULL;
	}
	w->cap = WBUF;
	w->cd = (iconv_t)-1;
	if (opts && opts->encoding && strcasecmp(opts->encoding, "UTF-8") != 0 &&
	    strcasecmp(opts->encoding, "UTF8") != 0) {
		if ((w->cd = iconv_open(opts->encoding, "UTF-8")) == (iconv_t)-1) {
			ls_error_set(err, LS_EUSAGE, NULL, 0, 0, "unknown output encoding '%s'", opts->encoding);
			free(w->buf);
			free(w);
			return NULL;
		}
		w->encoding = opts->encoding;
	}
	if (opts && opts->bom) {
		/* Excel reads UTF-8 only after a BOM; another encoding has none */
		if (w->cd == (iconv_t)-1)
			memcpy(w->buf, "\xef\xbb\xbf", 3), w->len = 3;
	}
	w->guard = opts && (opts->bom || w->cd != (iconv_t)-1 || opts->formula_guard) && !opts->keep_formulas;
	w->fmt = opts && opts->format == LS_FMT_TSV ? LS_FMT_TSV : LS_FMT_CSV;
	w->delim = w->fmt == LS_FMT_TSV ? '\t' : (opts && opts->delim) ? opts->delim : ',';
	w->special[(unsigned char)w->delim] = 1;
	w->special['\n'] = w->special['\r'] = 1;
	w->special[w->fmt == LS_FMT_TSV ? '\\' : '"'] = 1;
	w->pat[0] = BYTES8 * (unsigned char)w->delim;
	w->pat[1] = BYTES8 * (unsigned char)(w->fmt == LS_FMT_TSV ? '\\' : '"');
	/*
	 * SSE2 under LS_SCAN=avx2 too: a 32-byte form of copy16() was measured
	 * and saved 0.3% of ls-cat's instructions (bench/RESULTS.md, "Issue 31:
	 * AVX2"), most fields being shorter than 32 bytes.
	 */
	w->simd = ls_scan_simd();
	memset(w->v16[0], (unsigned char)w->delim, 16);
	memset(w->v16[1], w->fmt == LS_FMT_TSV ? '\\' : '"', 16);
	w->fp = fp;
	if (path == NULL || strcmp(path, "-") == 0) {
		if (fp == NULL) {
			ls_error_set(err, LS_EUSAGE, NULL, 0, 0, "no file to write to");
			ls_writer_free(w);
			return NULL;
		}
		ls_pipe_grow(fileno(fp));
		return w;
	}
	if ((w->path = strdup(path)) == NULL) {
		ls_error_set(err, LS_ENOMEM, NULL, 0, 0, "out of memory");
		ls_writer_free(w);
		return NULL;
	}
	if (is_device(path)) {
		if ((w->fp = fopen(path, "wb")) == NULL) {
			ls_error_set(err, LS_EIO, path, 0, 0, "%s", strerror(errno));
			ls_writer_free(w);
			return NULL;
		}
		w->own = 1;
		ls_pipe_grow(fileno(w->fp));
		return w;
	}
	if ((w->atomic = ls_atomic_open(path, err)) == NULL) {
		ls_writer_free(w);
		return NULL;
	}
	w->fp = ls_atomic_file(w->atomic);
	return w;
}

/*
 * Non-zero when a word of eight bytes may hold a special byte: the
 * delimiter, the quote (backslash for TSV), or a control byte below 0x0e,
 * which takes in LF, CR and TAB.  Other control bytes are false alarms
 * that the exact scan after it clears.
 */
#define HASLESS(v, c)	(((v) - BYTES8 * (c)) & ~(v) & 0x8080808080808080ull)
#define SPECIAL8(w, x)	(HASZERO((x) ^ (w)->pat[0]) | HASZERO((x) ^ (w)->pat[1]) | HASLESS((x), 0x0e))
/* SPECIAL8() on four bytes, for fields of four to seven */
static inline uint32_t
special4(const struct ls_writer *w, uint32_t x)
{
	uint32_t d = x ^ (uint32_t)w->pat[0], q = x ^ (uint32_t)w->pat[1];

	return (((d - 0x01010101u) & ~d) | ((q - 0x01010101u) & ~q) | ((x - 0x0e0e0e0eu) & ~x)) &
	    0x80808080u;
}

#if defined(__SSE2__)
/* Bit i set where byte i of x is the delimiter, the quote (backslash for TSV), LF or CR. */
static inline unsigned
special16(const struct ls_writer *w, __m128i x)
{
	const __m128i d = _mm_loadu_si128((const __m128i *)(const void *)w->v16[0]);
	const __m128i q = _mm_loadu_si128((const __m128i *)(const void *)w->v16[1]);

	return (unsigned)_mm_movemask_epi8(_mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(x, d),
	    _mm_cmpeq_epi8(x, q)), _mm_or_si128(_mm_cmpeq_epi8(x, _mm_set1_epi8('\n')),
	    _mm_cmpeq_epi8(x, _mm_set1_epi8('\r')))));
}

/*
 * Sixteen bytes a step: the delimiter, the quote (backslash for TSV), LF
 * and CR, exactly.  Loads and stores stay inside the field (n >= 16): the
 * last sixteen bytes are taken again from n - 16, overlapping.  Returns 1
 * when the field was copied whole, 0 when it holds a special byte.
 */
static inline int
copy16(const struct ls_writer *w, char *o, const char *p, size_t n)
{
	__m128i x;
	size_t i = 0;

	for (;;) {
		if (i + 16 > n)
			i = n - 16;
		x = _mm_loadu_si128((const __m128i *)(const void *)(p + i));
		if (special16(w, x) != 0)
			return 0;
		_mm_storeu_si128((__m128i *)(void *)(o + i), x);
		if (i + 16 == n)
			return 1;
		i += 16;
	}
}
#endif


/*
 * Write field p[0..n) at o, quoted or escaped as needed, and return the
 * end.  o has room for 2 * n + 2 bytes.  Most fields need nothing and are
 * copied in the one pass that checks them: three bytes by table for fields
 * of one to three; two words, overlapping, for fields of four to sixteen
 * (checked together in one SSE2 compare, or word by word); sixteen bytes a
 * step (SSE2, or words of eight) for longer ones.  A step that may hold a
 * special byte sends the field to the exact scan.
 */
#if defined(__GNUC__)
__attribute__((always_inline))
#endif
static inline char *
put_field(const struct ls_writer *w, char *o, const char *p, size_t n)
{
	size_t i = 0;
	uint64_t x, y;
	uint32_t a, b;

	if (n < 4) {
		/* one to three bytes: the first, middle and last cover them all, without a loop */
		if (n == 0)
			return o;
		unsigned char c0 = (unsigned char)p[0], c1 = (unsigned char)p[n / 2],
		    c2 = (unsigned char)p[n - 1];
		if (w->special[c0] | w->special[c1] | w->special[c2])
			goto scan;
		o[0] = (char)c0;
		o[n / 2] = (char)c1;
		o[n - 1] = (char)c2;
		return o + n;
	}
	if (n < 8) {
		memcpy(&a, p, 4);
		memcpy(&b, p + n - 4, 4);
#if defined(__SSE2__)
		if (w->simd) {
			if (special16(w, _mm_unpacklo_epi32(_mm_cvtsi32_si128((int)a),
			    _mm_cvtsi32_si128((int)b))) & 0xffu)
				goto scan;
		} else
#endif
		if (special4(w, a) | special4(w, b))
			goto scan;
		memcpy(o, &a, 4);
		memcpy(o + n - 4, &b, 4);
		return o + n;
	}
	if (n <= 16) {
		memcpy(&x, p, 8);
		memcpy(&y, p + n - 8, 8);
#if defined(__SSE2__)
		if (w->simd) {
			if (special16(w, _mm_unpacklo_epi64(_mm_loadl_epi64((const __m128i *)(const void *)p),
			    _mm_loadl_epi64((const __m128i *)(const void *)(p + n - 8)))))
				goto scan;
		} else
#endif
		if (SPECIAL8(w, x) | SPECIAL8(w, y))
			goto scan;
		memcpy(o, &x, 8);
		memcpy(o + n - 8, &y, 8);
		return o + n;
	}
	if (n > 16) {
#if defined(__SSE2__)
		if (w->simd) {
			if (copy16(w, o, p, n))
				return o + n;
			goto scan;
		}
#endif
		for (; i + 8 <= n; i += 8) {
			memcpy(&x, p + i, 8);
			if (SPECIAL8(w, x))
				goto scan;
			memcpy(o + i, &x, 8);
		}
		/* the tail as the last eight bytes, overlapping what is already out */
		if (i < n) {
			memcpy(&x, p + n - 8, 8);
			if (SPECIAL8(w, x))
				goto scan;
			memcpy(o + n - 8, &x, 8);
		}
		return o + n;
	}
scan:
	i = 0;
	for (; i < n; i++) {
		if (w->special[(unsigned char)p[i]])
			break;
		o[i] = p[i];
	}
	if (i == n)
		return o + n;
	if (w->fmt == LS_FMT_TSV) {
		o += i;
		for (; i < n; i++) {
			char c = p[i];
			if (c == '\t' || c == '\n' || c == '\r' || c == '\\') {
				*o++ = '\\';
				*o++ = c == '\t' ? 't' : c == '\n' ? 'n' : c == '\r' ? 'r' : '\\';
			} else
				*o++ = c;
		}
		return o;
	}
	/* the clean prefix is already out: shift it right for the opening quote */
	memmove(o + 1, o, i);
	*o = '"';
	o += i + 1;
	for (; i < n; i++) {
		if (p[i] == '"')
			*o++ = '"';
		*o++ = p[i];
	}
	*o++ = '"';
	return o;
}

/*
 * The first field of the output starting with U+FEFF: every reader would
 * take those bytes for a BOM and drop them.  Quoted, they are data.
 */
static int
looks_like_bom(const struct ls_writer *w, const char *p, size_t n)
{
	return !w->started && w->fmt == LS_FMT_CSV && n >= 3 && memcmp(p, "\xef\xbb\xbf", 3) == 0;
}

static char *
put_quoted(char *o, const char *p, size_t n)
{
	*o++ = '"';
	for (size_t i = 0; i < n; i++) {
		if (p[i] == '"')
			*o++ = '"';
		*o++ = p[i];
	}
	*o++ = '"';
	return o;
}

/* A plain number: [+-]digits[.digits][e[+-]digits], or digits after the point only. */
static int
plain_number(const char *p, size_t n)
{
	size_t i = 0, d = 0;

	if (i < n && (p[i] == '+' || p[i] == '-'))
		i++;
	for (; i < n && p[i] >= '0' && p[i] <= '9'; i++)
		d++;
	if (i < n && (p[i] == '.' || p[i] == ','))
		for (i++; i < n && p[i] >= '0' && p[i] <= '9'; i++)
			d++;
	if (d > 0 && i < n && (p[i] == 'e' || p[i] == 'E')) {
		size_t e = 0;
		if (++i < n && (p[i] == '+' || p[i] == '-'))
			i++;
		for (; i < n && p[i] >= '0' && p[i] <= '9'; i++)
			e++;
		if (e == 0)
			return 0;
	}
	/* -12.5% is a number to Excel too */
	if (d > 0 && i + 1 == n && p[i] == '%')
		i++;
	return d > 0 && i == n;
}

int
ls_writer_formula_risk(const char *p, size_t n)
{
	size_t i;

	if (n == 0 || (p[0] != '=' && p[0] != '+' && p[0] != '-' && p[0] != '@' && p[0] != '\t' &&
	    p[0] != '\r'))
		return 0;
	if (plain_number(p, n))
		return 0;
	/* E.164: + then 8 to 15 digits, the first not 0; up to 20 where a plan allows them (phone.h) */
	if (p[0] == '+' && n >= 9 && n <= 21 && p[1] != '0') {
		for (i = 1; i < n && p[i] >= '0' && p[i] <= '9'; i++)
			;
		if (i == n)
			return 0;
	}
	return 1;
}

/* The field as Excel must get it: with a ' before it when it could run as a formula. */
static int
guarded(struct ls_writer *w, const char **p, size_t *n)
{
	if (!ls_writer_formula_risk(*p, *n))
		return 0;
	if (ls_grow(&w->gbuf, &w->gcap, *n + 1, 1) != 0) {
		w->saved_errno = ENOMEM;
		return w->status = LS_EIO;
	}
	w->gbuf[0] = '\'';
	memcpy(w->gbuf + 1, *p, *n);
	*p = w->gbuf;
	(*n)++;
	return 0;
}

#if defined(__SSE2__)
/*
 * Copy p[0..n) (n >= 16) to o sixteen bytes a step while no byte needs
 * quoting or escaping: 1 when all of it went, 0 at the first that does
 * (o then holds a part, which the caller writes over).  The bytes between
 * fields pass whatever they are (the reader's NULs): the caller puts the
 * delimiters there.
 */
static int
copy_clean(const struct ls_writer *w, char *o, const char *p, size_t n)
{
	size_t i = 0;

	for (; i + 16 <= n; i += 16) {
		__m128i x = _mm_loadu_si128((const __m128i *)(const void *)(p + i));
		if (special16(w, x) != 0)
			return 0;
		_mm_storeu_si128((__m128i *)(void *)(o + i), x);
	}
	return i == n || copy16(w, o + n - 16, p + n - 16, 16);
}
#endif

int
ls_writer_field(struct ls_writer *w, const char *p, size_t n)
{
	char *o;

	if (w->status)
		return w->status;
	if (w->guard && guarded(w, &p, &n))
		return w->status;
	if (reserve(w, 2 * n + 3))
		return w->status;
	o = w->buf + w->len;
	if (w->nf++ > 0)
		*o++ = w->delim;
	w->len = (size_t)((looks_like_bom(w, p, n) ? put_quoted(o, p, n) : put_field(w, o, p, n)) - w->buf);
	w->row_bytes += n;
	w->started = 1;
	return 0;
}

int
ls_writer_fields(struct ls_writer *w, const struct ls_str *f, size_t n)
{
	size_t bytes = 0;
	char *o;
	const char delim = w->delim;

	if (w->status)
		return w->status;
	if (n == 0)
		return 0;
	if (w->guard) {
		/* Excel's output: one field at a time, each looked at */
		for (size_t i = 0; i < n; i++)
			if (ls_writer_field(w, f[i].p, f[i].n) != 0)
				return w->status;
		return 0;
	}
	for (size_t i = 0; i < n; i++)
		bytes += f[i].n;
	/* each field quoted with every byte doubled at worst, and its delimiter */
	if (reserve(w, 2 * bytes + 3 * n))
		return w->status;
	o = w->buf + w->len;
	if (w->nf > 0)
		*o++ = delim;
	w->nf += n;
	w->row_bytes += bytes;
	if (looks_like_bom(w, f[0].p, f[0].n)) {
		o = put_quoted(o, f[0].p, f[0].n);
		*o++ = delim;
		f++;
		n--;
	}
	/* a delimiter after every field, the last one taken back */
	for (size_t i = 0; i < n; i++) {
		o = put_field(w, o, f[i].p, f[i].n);
		*o++ = delim;
	}
	w->len = (size_t)(o - 1 - w->buf);
	w->started = 1;
	return 0;
}

int
ls_writer_tail(struct ls_writer *w, const struct ls_str *f, size_t n)
{
	size_t bytes = 0, before;

	if (w->status)
		return w->status;
	/* the first field of a row (a BOM to quote) and the formula guard: the usual way */
	if (n == 0 || n > TAIL_FIELDS || w->nf == 0 || w->guard)
		return ls_writer_fields(w, f, n);
	if (n == w->tn) {
		const char *t = w->tbuf;
		size_t i;

		for (i = 0; i < n; t += f[i].n, i++)
			if (f[i].n != w->tlen[i] || memcmp(f[i].p, t, f[i].n) != 0)
				break;
		if (i == n) {
			if (reserve(w, w->tout))
				return w->status;
			memcpy(w->buf + w->len, w->tenc, w->tout);
			w->len += w->tout;
			w->nf += n;
			w->row_bytes += w->traw;
			return 0;
		}
	}
	for (size_t i = 0; i < n; i++)
		bytes += f[i].n;
	w->tn = 0;
	before = w->len;
	/* ls_writer_fields() flushes first unless this much room is left: then its output is all in buf */
	int stays = w->cap - w->len >= 2 * bytes + 3 * n;
	if (ls_writer_fields(w, f, n) != 0)
		return w->status;
	if (stays && bytes <= TAIL_BYTES && w->len - before <= sizeof(w->tenc)) {
		char *t = w->tbuf;
		for (size_t i = 0; i < n; t += f[i].n, i++) {
			memcpy(t, f[i].p, f[i].n);
			w->tlen[i] = f[i].n;
		}
		w->tout = w->len - before;
		memcpy(w->tenc, w->buf + before, w->tout);
		w->traw = bytes;
		w->tn = n;
	}
	return 0;
}

int
ls_writer_span(struct ls_writer *w, const struct ls_str *f, size_t n)
{
#if defined(__SSE2__)
	size_t i = 0, from = 0;		/* f[from .. i) wait to go field by field */

	/* the formula guard and the BOM check look at each field: the usual way */
	if (w->status || w->guard || !w->started || !w->simd)
		return ls_writer_fields(w, f, n);
	while (i < n) {
		const char *base = f[i].p, *x = base + f[i].n + 1;
		size_t j = i + 1, len;
		char *o;

		while (j < n && f[j].p == x) {
			x += f[j].n + 1;
			j++;
		}
		len = (size_t)(x - 1 - base);
		/*
		 * A field alone (quoted in the input, or made anew) or a short
		 * run goes with its neighbours, field by field, in one call:
		 * each call more costs more than the copy saves.
		 */
		if (j - i < SPAN_FIELDS || len < 16) {
			i = j;
			continue;
		}
		if ((from < i && ls_writer_fields(w, f + from, i - from) != 0) || reserve(w, len + 1) != 0)
			return w->status;
		o = w->buf + w->len;
		if (w->nf > 0)
			*o++ = w->delim;
		if (!copy_clean(w, o, base, len)) {
			/* a byte to quote or escape somewhere: each field is looked at */
			if (ls_writer_fields(w, f + i, j - i) != 0)
				return w->status;
		} else {
			for (size_t k = i; k + 1 < j; k++)
				o[f[k].p + f[k].n - base] = w->delim;
			w->len = (size_t)(o + len - w->buf);
			w->nf += j - i;
			w->row_bytes += len - (j - i - 1);
		}
		from = i = j;
	}
	return from < n ? ls_writer_fields(w, f + from, n - from) : w->status;
#else
	return ls_writer_fields(w, f, n);
#endif
}

int
ls_writer_cstr(struct ls_writer *w, const char *s)
{
	return ls_writer_field(w, s ? s : "", s ? strlen(s) : 0);
}

int
ls_writer_end(struct ls_writer *w)
{
	if (w->status || reserve(w, 3))
		return w->status;
	/* a row of one empty field is "": a blank line would be skipped by the next reader */
	if (w->nf == 1 && w->row_bytes == 0 && w->fmt == LS_FMT_CSV) {
		w->buf[w->len++] = '"';
		w->buf[w->len++] = '"';
	}
	w->buf[w->len++] = '\n';
	w->nf = 0;
	w->row_bytes = 0;
	return 0;
}

int
ls_writer_row(struct ls_writer *w, const struct ls_str *f, size_t n)
{
	ls_writer_fields(w, f, n);
	return ls_writer_end(w);
}

static int
report(struct ls_writer *w, struct ls_error *err)
{
	if (w->status == LS_EPIPE)
		return ls_error_set(err, LS_EPIPE, w->path, 0, 0, "output closed");
	if (w->unmappable)
		return ls_error_set(err, LS_EIO, w->path, 0, 0,
		    "a character of the output has no equivalent in %s (write UTF-8, or another encoding)",
		    w->encoding);
	/*
	 * The writer's own buffers, or a memory stream's (--split's sheets are
	 * written to memory first), that could not grow: out of memory, as any
	 * other allocation says, not a write error of a file
	 */
	if (w->status && w->saved_errno == ENOMEM)
		return ls_error_set(err, LS_ENOMEM, NULL, 0, 0, "out of memory");
	if (w->status)
		return ls_error_set(err, LS_EIO, w->path, 0, 0,
		    "write error: %s", strerror(w->saved_errno));
	return 0;
}

int
ls_writer_status(const struct ls_writer *w)
{
	return w->status;
}

int
ls_writer_flush(struct ls_writer *w, struct ls_error *err)
{
	if (wflush(w) == 0 && w->len > 0) {
		/* converted output ending inside a character: the text was not UTF-8 */
		w->unmappable = 1;
		w->saved_errno = EILSEQ;
		w->status = LS_EIO;
	}
	if (w->status == 0 && fflush(w->fp) != 0)
		set_failed(w, errno);
	return report(w, err);
}

int
ls_writer_commit(struct ls_writer *w, struct ls_error *err)
{
	int rc;

	if (ls_writer_flush(w, err))
		return w->status;
	if (w->atomic) {
		w->fp = NULL;
		rc = ls_atomic_commit(w->atomic, err);
		ls_atomic_free(w->atomic);
		w->atomic = NULL;
		return w->status = rc;
	}
	if (w->own) {
		rc = fclose(w->fp);
		w->fp = NULL;
		w->own = 0;
		if (rc != 0) {
			w->saved_errno = errno;
			w->status = LS_EIO;
			return report(w, err);
		}
	}
	return 0;
}

void
ls_writer_free(struct ls_writer *w)
{
	if (w == NULL)
		return;
	if (w->own && w->fp)
		fclose(w->fp);
	/* an uncommitted temporary is removed: the target stays as it was */
	ls_atomic_free(w->atomic);
	if (w->cd != (iconv_t)-1)
		iconv_close(w->cd);
	free(w->obuf);
	free(w->buf);
	free(w->gbuf);
	free(w->path);
	free(w);
}

enum ls_format
ls_output_format(enum ls_format oformat, const struct ls_reader *r)
{
	if (oformat != LS_FMT_AUTO)
		return oformat;
	return r ? ls_reader_format(r) : LS_FMT_CSV;
}
