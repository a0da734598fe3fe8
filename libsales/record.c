/*
 * record.c - the record reader.
 *
 * Input is read in big blocks into one buffer and cut into physical lines
 * (LF, CRLF or a lone CR).  A line that holds no quote character is split on
 * the delimiter with memchr and its fields are NUL-terminated in place: no
 * copy, no allocation.  A line with a quote is handed to libcsv, line by
 * line, until libcsv reports the end of the row; the fields libcsv delivers
 * are copied into an arena that is reused for every record.  Feeding libcsv
 * whole physical lines keeps the line count exact across quoted line breaks
 * and leaves libcsv to decide where a quoted record ends.
 */
#include <errno.h>
#include <iconv.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include <csv.h>

#include "readahead.h"
#include "record.h"
#include "util.h"

#define BLOCK	(1u << 20)	/* bytes asked of read() at a time */
#define BYTES8	0x0101010101010101ull
/* non-zero when some byte of v is zero */
#define HASZERO(v)	(((v) - BYTES8) & ~(v) & 0x8080808080808080ull)

struct ls_reader {
	char **paths;			/* the reader's own copy: the thread reads it */
	size_t npaths, cur;
	FILE *fp;
	int own_fp;
	const char *name;		/* of the current file, for messages */
	int file_eof;			/* no more bytes from fp */

	enum ls_format fmt;
	char delim;
	int auto_fmt;			/* each file's name tells CSV from TSV */
	char csv_delim;
	int detect;			/* no -d: each CSV file's delimiter is found from its header line */
	int lazy_quotes;		/* a quote inside an unquoted field is text */
	const char *encoding_flag;	/* the option the invalid-UTF-8 message suggests */
	int all_libcsv;

	/* iconv: raw bytes wait in ibuf until converted into buf */
	iconv_t cd;
	const char *encoding;
	char *ibuf;
	size_t ilen;

	/* the buffer: [pos, end) not yet consumed */
	char *buf;
	size_t cap, pos, end;
	/* next '"' and '\r' at or after a past query; == *_scan when none before *_scan */
	size_t q_at, q_scan, cr_at, cr_scan;
	long line;			/* physical line number of buf[pos] */
	int at_file_start;		/* BOM check pending */

	/* the current record's fields */
	struct ls_str *f;
	size_t fcap, nf;
	size_t nesc;			/* quoted fields holding "" on the line split_quoted() took */

	/* libcsv path */
	struct csv_parser csv;
	char *arena;
	size_t alen, acap;
	size_t *foff;			/* field offsets into arena while collecting */
	size_t focap;
	int row_done, csv_oom;

	int failed;			/* a final error happened */

	/*
	 * With readahead the thread owns everything above once it starts and
	 * writes it all the time; the caller's side sees only what follows,
	 * fixed at open or written seldom.  The pads keep the two on separate
	 * cache lines: a line both use would travel between cores each record.
	 */
	char pad_[64];

	/* header of the first file */
	size_t ncols;
	struct ls_str *hdr;
	char *hdrmem;

	int want_ra;
	struct ls_readahead *ra;
	const char *shown;		/* file of the last record handed out */

	ls_prepare_fn *prep;		/* NULL also once the readahead thread does it */
	ls_hint_fn *hint;
	ls_detach_fn *detach;
	void *prep_ctx;
	int stopped;			/* ls_reader_stop(): no more records */
	size_t nextra;
	struct ls_str *xf;		/* the record's fields and the prepared values after them */
	enum ls_format first_fmt;
	char first_delim;
	size_t estimate;
	char pad_end_[64];
};

int
ls_utf8_valid(const unsigned char *s, size_t n, size_t *bad)
{
	size_t i = 0;

	while (i < n) {
		/* eight ASCII bytes at a time: the common case for CRM exports */
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
			while (i + 1 < n && s[i] >= 0xc2 && s[i] <= 0xdf && (s[i + 1] & 0xc0) == 0x80)
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
	return 1;
}

static int
set_io_error(struct ls_reader *r, struct ls_error *err, const char *what)
{
	r->failed = 1;
	return ls_error_set(err, LS_EIO, r->name, 0, 0, "%s: %s", what, strerror(errno));
}

static void
shift_cache(size_t *at, size_t *scan, size_t by)
{
	if (*at < by || *scan < by) {
		*at = *scan = 0;
		return;
	}
	*at -= by;
	*scan -= by;
}

/*
 * The first c at or after from, or end.  Each byte is searched once however
 * many lines ask, so a quote-free buffer costs one memchr for '"' in all.
 */
static size_t
find_cached(const struct ls_reader *r, size_t *at, size_t *scan, size_t from, char c)
{
	size_t start;
	char *hit;

	if (*at >= from && *at < *scan)
		return *at;
	start = (*at >= from && *at == *scan) ? *scan : from;
	if (start < r->end && (hit = memchr(r->buf + start, c, r->end - start)) != NULL)
		*at = (size_t)(hit - r->buf);
	else
		*at = r->end;
	*scan = r->end;
	return *at;
}

/* Read more input into buf after end, keeping [keep, end).  Returns bytes added, 0 at EOF, -1 on error. */
static long
fill(struct ls_reader *r, size_t keep, struct ls_error *err)
{
	size_t live = r->end - keep;

	if (r->file_eof)
		return 0;
	if (keep > 0) {
		memmove(r->buf, r->buf + keep, live);
		r->pos -= keep;
		shift_cache(&r->q_at, &r->q_scan, keep);
		shift_cache(&r->cr_at, &r->cr_scan, keep);
		r->end = live;
	}
	/* one spare byte: the last field of the last line is NUL-terminated in place */
	if (r->cap - r->end < BLOCK + 1) {
		size_t ncap = r->cap ? r->cap * 2 : 2 * BLOCK + 1;
		while (ncap - r->end < BLOCK + 1)
			ncap *= 2;
		char *nb = realloc(r->buf, ncap);
		if (nb == NULL)
			return ls_error_set(err, LS_ENOMEM, r->name, r->line, 0, "out of memory"), -1;
		r->buf = nb;
		r->cap = ncap;
	}
	if (r->cd == (iconv_t)-1) {
		size_t got = fread(r->buf + r->end, 1, BLOCK, r->fp);
		if (got == 0) {
			if (ferror(r->fp))
				return set_io_error(r, err, "read error"), -1;
			r->file_eof = 1;
			return 0;
		}
		r->end += got;
		return (long)got;
	}
	for (;;) {
		size_t got = fread(r->ibuf + r->ilen, 1, BLOCK - r->ilen, r->fp);
		if (got == 0 && ferror(r->fp))
			return set_io_error(r, err, "read error"), -1;
		int last = got == 0;
		r->ilen += got;
		char *in = r->ibuf, *out = r->buf + r->end;
		size_t inleft = r->ilen, outleft = r->cap - r->end - 1;
		size_t rc = iconv(r->cd, &in, &inleft, &out, &outleft);
		size_t made = (size_t)(out - (r->buf + r->end));
		/*
		 * The text before a bad byte is handed out first, so that the
		 * error comes when the record holding the byte is read, with its
		 * line.  Not an LS_EDATA error: the reader cannot go on past it.
		 */
		if (rc == (size_t)-1 && errno == EILSEQ && made == 0) {
			r->failed = 1;
			return ls_error_set(err, LS_EIO, r->name, r->line, 0,
			    "input is not valid %s", r->encoding), -1;
		}
		if (rc == (size_t)-1 && errno == EINVAL && last && made == 0) {
			r->failed = 1;
			return ls_error_set(err, LS_EIO, r->name, r->line, 0,
			    "input ends inside a %s character", r->encoding), -1;
		}
		memmove(r->ibuf, in, inleft);
		r->ilen = inleft;
		r->end += made;
		if (made > 0)
			return (long)made;
		if (last) {
			r->file_eof = 1;
			return 0;
		}
		if (rc == (size_t)-1 && errno == E2BIG) {
			/* output full with nothing made cannot happen: BLOCK bytes are free */
			return ls_error_set(err, LS_EIO, r->name, r->line, 0, "iconv: buffer too small"), -1;
		}
	}
}

/*
 * Find the physical line at pos: *len bytes of text then *term bytes of line
 * end (0 for a last line without one).  Returns 1, 0 at end of file, -1 on
 * error.  keep is the offset that must survive a refill (the record's start);
 * it is updated when the buffer moves.
 */
static int
next_line(struct ls_reader *r, size_t *keep, size_t *len, size_t *term, struct ls_error *err)
{
	for (;;) {
		char *b = r->buf ? r->buf + r->pos : NULL;	/* NULL + 0 is undefined before the first fill */
		size_t avail = r->end - r->pos;
		size_t cr = find_cached(r, &r->cr_at, &r->cr_scan, r->pos, '\r') - r->pos;
		/* no LF search past the next CR: a CR-only file would rescan the whole buffer per line */
		char *nl = avail ? memchr(b, '\n', cr < avail ? cr : avail) : NULL;
		size_t lim = nl ? (size_t)(nl - b) : avail;

		if (cr < lim) {
			/* a CR before any LF: CRLF, or a lone CR (old Mac files) */
			if (cr + 1 < avail || r->file_eof) {
				*len = cr;
				*term = (cr + 1 < avail && b[cr + 1] == '\n') ? 2 : 1;
				return 1;
			}
		} else if (nl) {
			*len = lim;
			*term = 1;
			return 1;
		} else if (r->file_eof) {
			if (avail == 0)
				return 0;
			*len = avail;
			*term = 0;
			return 1;
		}
		size_t k = *keep;
		long got = fill(r, k, err);
		if (got < 0)
			return -1;
		*keep = 0;
	}
}

static void
csv_field_cb(void *s, size_t n, void *data)
{
	struct ls_reader *r = data;

	if (r->csv_oom)
		return;
	if (ls_grow(&r->arena, &r->acap, r->alen + n + 1, 1) < 0 ||
	    ls_grow(&r->foff, &r->focap, r->nf + 1, sizeof(size_t)) < 0) {
		r->csv_oom = 1;
		return;
	}
	r->foff[r->nf++] = r->alen;
	if (n > 0)
		memcpy(r->arena + r->alen, s, n);
	r->alen += n;
	r->arena[r->alen++] = '\0';
}

static void
csv_row_cb(int c, void *data)
{
	struct ls_reader *r = data;

	(void)c;
	r->row_done = 1;
}

/* Spaces are data here: libcsv would trim them otherwise. */
static int
no_space(unsigned char c)
{
	(void)c;
	return 0;
}

static int
csv_setup(struct ls_reader *r)
{
	/* lazy: libcsv keeps a quote inside an unquoted field as text (not strict) */
	if (csv_init(&r->csv, (r->lazy_quotes ? 0 : CSV_STRICT) | CSV_STRICT_FINI) != 0)
		return -1;
	csv_set_space_func(&r->csv, no_space);
	csv_set_delim(&r->csv, (unsigned char)r->delim);
	return 0;
}

/* Unescape TSV's \t \n \r \\ in place; other backslashes stay as they are. */
static size_t
tsv_unescape(char *p, size_t n)
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
static long
split_line(struct ls_reader *r, char *s, size_t n, char sep)
{
	size_t nf = 0;
	char *p = s, *e = s + n;

	for (;;) {
		char *d = p < e ? memchr(p, sep, (size_t)(e - p)) : NULL;
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

/* Line breaks in [p, e) as next_line() counts them: CR LF once, a lone CR or LF once each. */
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

/*
 * Split a record with quotes when every quoted field is simple: "..."
 * holding no lone quote (a doubled one is text), then the delimiter or the
 * line's end.  A quoted field may run on over line breaks as long as its
 * closing quote is already in the buffer.  s is the record's first line, n
 * bytes long.  Returns the field count, 0 when the record needs libcsv (a
 * quote in a bare field, text after a closing quote, a quote that does not
 * close inside the buffer), or -1 when out of memory.  When a field ran
 * over line breaks, *span gets the record's length without its line end,
 * *term the length of that line end and *breaks the line breaks inside;
 * otherwise they are left alone.  The bytes are not touched, so libcsv can
 * still take the record; the field views exclude the quotes, so the closing
 * quote is where the caller puts the NUL.  What this accepts, libcsv in
 * strict mode reads the same way (the differential tests check it).
 */
static long
split_quoted(struct ls_reader *r, char *s, size_t n, char sep, size_t *span, size_t *term,
    long *breaks)
{
	size_t nf = 0;
	char *p = s, *e = s + n, *limit = r->buf + r->end;
	long br = 0;
	int spanned = 0;

	r->nesc = 0;
	for (;;) {
		if (nf == r->fcap && ls_grow(&r->f, &r->fcap, nf + 1, sizeof(*r->f)) < 0)
			return -1;
		if (p < e && *p == '"') {
			char *q = memchr(p + 1, '"', (size_t)(limit - p - 1));
			int esc = 0;
			/* "" inside: a quote, collapsed by unquote_field() once the record is known good */
			while (q != NULL && q + 1 < limit && q[1] == '"') {
				esc = 1;
				q = q + 2 < limit ? memchr(q + 2, '"', (size_t)(limit - q - 2)) : NULL;
			}
			/* what follows the closing quote must be in the buffer to be judged */
			if (q == NULL || (q + 1 == limit && !r->file_eof))
				return 0;
			if (q >= e) {
				/* the field runs on past the line: find the line its quote closes on */
				char *lf, *cr;
				br += count_breaks(e, q);
				lf = memchr(q + 1, '\n', (size_t)(limit - q - 1));
				cr = memchr(q + 1, '\r', (size_t)((lf ? lf : limit) - q - 1));
				e = cr ? cr : lf ? lf : limit;
				/* a CR as the buffer's last byte may be half of a CR LF */
				if ((e == limit || e + 1 == limit) && !r->file_eof)
					return 0;
				spanned = 1;
			}
			if (q + 1 < e && q[1] != sep)
				return 0;
			r->f[nf].p = p + 1;
			r->f[nf].n = (size_t)(q - p - 1);
			r->nesc += esc;
			nf++;
			if (q + 1 >= e)
				break;
			p = q + 2;
			continue;
		}
		char *d = p < e ? memchr(p, sep, (size_t)(e - p)) : NULL;
		char *fe = d ? d : e;
		if (fe > p && memchr(p, '"', (size_t)(fe - p)) != NULL)
			return 0;
		r->f[nf].p = p;
		r->f[nf].n = (size_t)(fe - p);
		nf++;
		if (d == NULL)
			break;
		p = d + 1;
	}
	if (spanned) {
		*span = (size_t)(e - s);
		*term = e == limit ? 0 : *e == '\n' ? 1 : (e + 1 < limit && e[1] == '\n') ? 2 : 1;
		*breaks = br;
	}
	return (long)nf;
}

/*
 * Collapse each "" of a quoted field to one quote, in place; returns the new
 * length.  The field holds quotes only in pairs (split_quoted() saw to it),
 * so the text between pairs moves in whole runs.
 */
static size_t
unquote_field(char *p, size_t n)
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

/*
 * Read one record, header or data.  Returns 1, 0 at end of file, -1 on
 * error.  On a data error the record is consumed and rec describes it.
 */
static int
read_record(struct ls_reader *r, struct ls_record *rec, size_t want, struct ls_error *err)
{
	size_t len, term, start;
	int rc, valid = 1;

	for (;;) {
		start = r->pos;
		if ((rc = next_line(r, &start, &len, &term, err)) <= 0)
			return rc;
		start = r->pos;
		if (r->at_file_start) {
			r->at_file_start = 0;
			if (len >= 3 && memcmp(r->buf + r->pos, "\xef\xbb\xbf", 3) == 0) {
				r->pos += 3;
				len -= 3;
				start = r->pos;
				/* a BOM and nothing else (Excel's empty sheet): an empty input */
				if (len == 0 && term == 0)
					return 0;
			}
		}
		/* a blank line is a record only where a record may be one empty field */
		if (len == 0 && term > 0 && want != 1) {
			r->pos += term;
			r->line++;
			continue;
		}
		break;
	}
	rec->file = r->name;
	rec->line = r->line;

	size_t q = find_cached(r, &r->q_at, &r->q_scan, start, '"');
	long nf = 0, breaks = 0;
	int quoted = q < start + len && r->fmt == LS_FMT_CSV && len > 0;
	size_t span = len, spterm = term;

	/* a record whose quoted fields are all simple is split here too; the rest go to libcsv */
	if (quoted && !r->all_libcsv &&
	    (nf = split_quoted(r, r->buf + start, len, r->delim, &span, &spterm, &breaks)) < 0)
		return ls_error_set(err, LS_ENOMEM, r->name, rec->line, 0, "out of memory"), -1;
	/* an empty line goes here even for all_libcsv: libcsv skips empty rows */
	if (!quoted ? (len == 0 || !r->all_libcsv || r->fmt == LS_FMT_TSV) : nf > 0) {
		char *s = r->buf + start;
		size_t bad;

		r->pos += span + spterm;
		r->line += 1 + breaks;
		rec->raw.p = s;
		rec->raw.n = span;
		if ((valid = ls_utf8_valid((unsigned char *)s, span, &bad)) <= 0)
			goto bad_utf8;
		if (!quoted && (nf = split_line(r, s, len, r->fmt == LS_FMT_TSV ? '\t' : r->delim)) < 0)
			return ls_error_set(err, LS_ENOMEM, r->name, rec->line, 0, "out of memory"), -1;
		r->nf = (size_t)nf;
		if (want && r->nf != want)
			goto bad_count;
		for (size_t i = 0; i < r->nf; i++) {
			char *p = (char *)r->f[i].p;
			if (r->fmt == LS_FMT_TSV)
				r->f[i].n = tsv_unescape(p, r->f[i].n);
			else if (quoted && r->nesc > 0 && p > s && p[-1] == '"')
				r->f[i].n = unquote_field(p, r->f[i].n);
			p[r->f[i].n] = '\0';
		}
		rec->nfields = r->nf;
		rec->fields = r->f;
		return 1;
	}

	/* quoted: libcsv decides where the record ends; we count the lines it spans */
	long first = r->line;
	r->nf = 0;
	r->alen = 0;
	r->row_done = 0;
	r->csv_oom = 0;
	for (;;) {
		size_t fed = len + term;
		if (csv_parse(&r->csv, r->buf + r->pos, fed, csv_field_cb, csv_row_cb, r) != fed) {
			if (csv_error(&r->csv) != CSV_EPARSE)
				return ls_error_set(err, LS_ENOMEM, r->name, first, 0, "out of memory"), -1;
			/* strict mode stops at a stray quote; the record ends with this line */
			r->pos += fed;
			r->line++;
			rec->raw.p = r->buf + start;
			rec->raw.n = r->pos - start - term;
			csv_free(&r->csv);
			if (csv_setup(r) < 0)
				return ls_error_set(err, LS_ENOMEM, r->name, first, 0, "out of memory"), -1;
			return ls_error_set(err, LS_EDATA, r->name, first, 0,
			    "bad quoting: a quote inside a field that is not quoted, or after a closing quote "
			    "(quote the whole field and double the quote: \"5\"\" screen\"; or give --lazy-quotes "
			    "to keep such quotes as text)"), -1;
		}
		r->pos += fed;
		r->line++;
		if (r->row_done || term == 0)
			break;
		size_t keep = start;
		if ((rc = next_line(r, &keep, &len, &term, err)) < 0)
			return -1;
		if (keep != start)
			start = keep;
		if (rc == 0)
			break;
	}
	rec->raw.p = r->buf + start;
	rec->raw.n = r->pos - start;
	while (rec->raw.n > 0 && (rec->raw.p[rec->raw.n - 1] == '\n' || rec->raw.p[rec->raw.n - 1] == '\r'))
		rec->raw.n--;
	if (!r->row_done) {
		if (csv_fini(&r->csv, csv_field_cb, csv_row_cb, r) != 0) {
			/* libcsv leaves its state dirty after a failed fini */
			csv_free(&r->csv);
			if (csv_setup(r) < 0)
				return ls_error_set(err, LS_ENOMEM, r->name, first, 0, "out of memory"), -1;
			return ls_error_set(err, LS_EDATA, r->name, first, 0,
			    "unterminated quoted field (opened on this line)"), -1;
		}
	}
	if (r->csv_oom)
		return ls_error_set(err, LS_ENOMEM, r->name, first, 0, "out of memory"), -1;
	{
		size_t bad;
		if ((valid = ls_utf8_valid((unsigned char *)rec->raw.p, rec->raw.n, &bad)) <= 0)
			goto bad_utf8;
	}
	if (ls_grow(&r->f, &r->fcap, r->nf, sizeof(*r->f)) < 0)
		return ls_error_set(err, LS_ENOMEM, r->name, first, 0, "out of memory"), -1;
	for (size_t i = 0; i < r->nf; i++) {
		size_t end = i + 1 < r->nf ? r->foff[i + 1] - 1 : r->alen - 1;
		r->f[i].p = r->arena + r->foff[i];
		r->f[i].n = end - r->foff[i];
	}
	if (want && r->nf != want)
		goto bad_count;
	rec->nfields = r->nf;
	rec->fields = r->f;
	return 1;

bad_count:
	return ls_error_set(err, LS_EDATA, r->name, rec->line, 0,
	    "expected %zu field%s, got %zu", want, want == 1 ? "" : "s", r->nf), -1;
bad_utf8:
	if (valid < 0)
		return ls_error_set(err, LS_EDATA, r->name, rec->line, 0,
		    "NUL byte in the data (is this a text file?)"), -1;
	return ls_error_set(err, LS_EDATA, r->name, rec->line, 0,
	    "invalid UTF-8 (if the file is in another encoding, name it with %s, e.g. %s cp1251)",
	    r->encoding_flag, r->encoding_flag), -1;
}

static int
is_tsv_name(const char *path)
{
	size_t n = path ? strlen(path) : 0;

	return (n > 4 && (strcmp(path + n - 4, ".tsv") == 0 || strcmp(path + n - 4, ".tab") == 0));
}

/* Start reading fp as a new file: fresh line count, BOM check, libcsv reset. */
static void
start_file(struct ls_reader *r, FILE *fp, int own, const char *name)
{
	r->fp = fp;
	r->own_fp = own;
	r->name = name;
	r->file_eof = 0;
	r->pos = r->end = 0;
	r->q_at = r->q_scan = r->cr_at = r->cr_scan = 0;
	r->line = 1;
	r->at_file_start = 1;
	r->ilen = 0;
	if (r->cd != (iconv_t)-1)
		iconv(r->cd, NULL, NULL, NULL, NULL);
}

static int
open_path(struct ls_reader *r, const char *path, struct ls_error *err)
{
	FILE *fp;

	if (path == NULL || strcmp(path, "-") == 0) {
		start_file(r, stdin, 0, "stdin");
		return 0;
	}
	if ((fp = fopen(path, "rb")) == NULL)
		return ls_error_set(err, LS_EIO, path, 0, 0, "%s", strerror(errno));
	start_file(r, fp, 1, path);
	if (r->auto_fmt) {
		r->fmt = is_tsv_name(path) ? LS_FMT_TSV : LS_FMT_CSV;
		r->delim = r->fmt == LS_FMT_TSV ? '\t' : r->csv_delim;
		csv_set_delim(&r->csv, (unsigned char)r->delim);
	}
	return 0;
}

static void
close_file(struct ls_reader *r)
{
	if (r->fp && r->own_fp)
		fclose(r->fp);
	r->fp = NULL;
}

/* Read the current file's header; the first one becomes the stream's, later ones must match it. */
/*
 * The delimiter of a CSV file given without -d: of ',', ';', tab and '|',
 * the one found most often outside quotes in the header line (',' on a
 * tie or when none is there); tabs make the file TSV.  A header is names, so a separator inside
 * one is rare, and Excel's regional exports (';') are told from the rest.
 */
static int
detect_delim(struct ls_reader *r, struct ls_error *err)
{
	static const char cand[] = ",;\t|";
	size_t count[4] = { 0 }, i, best = 0;
	const char *b, *e;
	int inq = 0;

	for (;;) {
		b = r->buf ? r->buf + r->pos : NULL;
		if (b != NULL && (memchr(b, '\n', r->end - r->pos) || memchr(b, '\r', r->end - r->pos)))
			break;
		if (r->file_eof || r->end - r->pos > ((size_t)1 << 20))
			break;
		if (fill(r, r->pos, err) < 0)
			return -1;
	}
	if (b == NULL)
		return 0;
	e = r->buf + r->end;
	if (e - b >= 3 && memcmp(b, "\xef\xbb\xbf", 3) == 0)
		b += 3;
	for (; b < e && (inq || (*b != '\n' && *b != '\r')); b++) {
		if (*b == '"')
			inq = !inq;
		else if (!inq)
			for (i = 0; i < 4; i++)
				count[i] += *b == cand[i];
	}
	for (i = 1; i < 4; i++)
		if (count[i] > count[best])
			best = i;
	/* a tab-separated file is TSV, with its escapes (what ticket-log list -t writes) */
	if (cand[best] == '\t')
		r->fmt = LS_FMT_TSV;
	r->delim = cand[best];
	csv_set_delim(&r->csv, (unsigned char)r->delim);
	return 0;
}

static int
read_header(struct ls_reader *r, struct ls_error *err)
{
	struct ls_record rec;
	int rc;

	if (r->detect && r->fmt == LS_FMT_CSV && detect_delim(r, err) < 0)
		return -1;
	rc = read_record(r, &rec, 0, err);

	if (rc < 0)
		return -1;
	if (rc == 0) {
		/* an empty file adds nothing; an empty first file leaves a stream without columns */
		return 0;
	}
	if (r->hdr == NULL) {
		size_t total = 0;
		for (size_t i = 0; i < rec.nfields; i++)
			total += rec.fields[i].n + 1;
		r->hdrmem = malloc(total ? total : 1);
		r->hdr = calloc(rec.nfields, sizeof(*r->hdr));
		if (r->hdrmem == NULL || r->hdr == NULL)
			return ls_error_set(err, LS_ENOMEM, r->name, 1, 0, "out of memory"), -1;
		char *p = r->hdrmem;
		for (size_t i = 0; i < rec.nfields; i++) {
			memcpy(p, rec.fields[i].p, rec.fields[i].n + 1);
			r->hdr[i].p = p;
			r->hdr[i].n = rec.fields[i].n;
			p += rec.fields[i].n + 1;
		}
		r->ncols = rec.nfields;
		return 1;
	}
	int same = rec.nfields == r->ncols;
	for (size_t i = 0; same && i < r->ncols; i++)
		same = rec.fields[i].n == r->hdr[i].n &&
		    memcmp(rec.fields[i].p, r->hdr[i].p, r->hdr[i].n) == 0;
	if (!same) {
		/* final, so not LS_EDATA: there is no record for --rejects to keep and go on from */
		r->failed = 1;
		return ls_error_set(err, LS_EIO, r->name, rec.line, 0,
		    "header differs from the first input's"), -1;
	}
	return 1;
}

static struct ls_reader *
reader_new(const struct ls_reader_opts *opts, const char *first_name, struct ls_error *err)
{
	struct ls_reader *r = calloc(1, sizeof(*r));

	if (r == NULL) {
		ls_error_set(err, LS_ENOMEM, NULL, 0, 0, "out of memory");
		return NULL;
	}
	r->cd = (iconv_t)-1;
	r->all_libcsv = opts ? opts->all_libcsv : 0;
	r->want_ra = opts ? opts->readahead : 0;
	r->fmt = opts ? opts->format : LS_FMT_AUTO;
	r->auto_fmt = r->fmt == LS_FMT_AUTO;
	r->csv_delim = (opts && opts->delim) ? opts->delim : ',';
	r->detect = !(opts && opts->delim);
	r->lazy_quotes = opts ? opts->lazy_quotes : 0;
	r->encoding_flag = opts && opts->encoding_flag ? opts->encoding_flag : "--encoding";
	if (r->fmt == LS_FMT_AUTO)
		r->fmt = is_tsv_name(first_name) ? LS_FMT_TSV : LS_FMT_CSV;
	r->delim = r->fmt == LS_FMT_TSV ? '\t' : r->csv_delim;
	if (r->fmt == LS_FMT_CSV && (r->delim == '"' || r->delim == '\n' || r->delim == '\r')) {
		ls_error_set(err, LS_EUSAGE, NULL, 0, 0, "bad delimiter");
		free(r);
		return NULL;
	}
	if (opts && opts->encoding && strcasecmp(opts->encoding, "UTF-8") != 0 &&
	    strcasecmp(opts->encoding, "UTF8") != 0) {
		r->encoding = opts->encoding;
		r->cd = iconv_open("UTF-8", opts->encoding);
		r->ibuf = malloc(BLOCK);
		if (r->cd == (iconv_t)-1 || r->ibuf == NULL) {
			ls_error_set(err, LS_EUSAGE, NULL, 0, 0, "unknown encoding '%s'", opts->encoding);
			ls_reader_free(r);
			return NULL;
		}
	}
	if (csv_setup(r) < 0) {
		ls_error_set(err, LS_ENOMEM, NULL, 0, 0, "out of memory");
		if (r->cd != (iconv_t)-1)
			iconv_close(r->cd);
		free(r->ibuf);
		free(r);
		return NULL;
	}
	return r;
}

/* Go to the next file whose header is read; returns 1, 0 when none is left, -1 on error. */
static int
next_file(struct ls_reader *r, struct ls_error *err)
{
	int rc;

	while (r->cur + 1 < r->npaths) {
		close_file(r);
		r->cur++;
		if (open_path(r, r->paths[r->cur], err) != 0) {
			r->failed = 1;
			return -1;
		}
		if ((rc = read_header(r, err)) != 0)
			return rc;
	}
	return 0;
}

/*
 * Records still to come, guessed from the size of the inputs and the line
 * ends in the block already read: for sizing tables, never exact (quoted
 * line breaks, iconv and uneven lines all blur it).  0 for pipes.
 */
static size_t
estimate(const struct ls_reader *r)
{
	struct stat st;
	uintmax_t bytes = 0;
	size_t lines = 0, span = r->end - r->pos;
	const char *p, *e;

	if (r->fp == NULL || fstat(fileno(r->fp), &st) != 0 || !S_ISREG(st.st_mode) || span == 0)
		return 0;
	for (size_t i = r->cur + 1; i < r->npaths; i++) {
		struct stat o;
		if (stat(r->paths[i], &o) != 0 || !S_ISREG(o.st_mode))
			return 0;
		bytes += (uintmax_t)o.st_size;
	}
	bytes += (uintmax_t)st.st_size;
	for (p = r->buf + r->pos, e = r->buf + r->end; (p = memchr(p, '\n', (size_t)(e - p))) != NULL; p++)
		lines++;
	if (lines == 0)
		return 1;
	/* all the files' bytes at the bytes per line of the block read (the header is one more) */
	return (size_t)(bytes / (span / lines + 1));
}

/* What the caller may ask once a thread reads: the first file's format and name, the estimate. */
static void
opened(struct ls_reader *r)
{
	r->first_fmt = r->fmt;
	r->first_delim = r->delim;
	r->shown = r->name;
	r->estimate = estimate(r);
}

struct ls_reader *
ls_reader_open(const char *const *paths, size_t npaths, const struct ls_reader_opts *opts,
    struct ls_error *err)
{
	struct ls_reader *r = reader_new(opts, npaths ? paths[0] : NULL, err);
	int rc;

	if (r == NULL)
		return NULL;
	if (npaths > 0) {
		if ((r->paths = calloc(npaths, sizeof(*r->paths))) == NULL) {
			ls_error_set(err, LS_ENOMEM, NULL, 0, 0, "out of memory");
			ls_reader_free(r);
			return NULL;
		}
		r->npaths = npaths;
		for (size_t i = 0; i < npaths; i++)
			if ((r->paths[i] = strdup(paths[i])) == NULL) {
				ls_error_set(err, LS_ENOMEM, NULL, 0, 0, "out of memory");
				ls_reader_free(r);
				return NULL;
			}
	}
	if (open_path(r, npaths ? r->paths[0] : NULL, err) != 0) {
		ls_reader_free(r);
		return NULL;
	}
	/* an empty first file lends its place to the next one's header */
	for (;;) {
		rc = read_header(r, err);
		if (rc != 0 || r->cur + 1 >= r->npaths)
			break;
		close_file(r);
		r->cur++;
		if (open_path(r, r->paths[r->cur], err) != 0) {
			rc = -1;
			break;
		}
	}
	if (rc < 0) {
		ls_reader_free(r);
		return NULL;
	}
	opened(r);
	return r;
}

struct ls_reader *
ls_reader_open_fp(FILE *fp, const char *name, const struct ls_reader_opts *opts,
    struct ls_error *err)
{
	struct ls_reader *r = reader_new(opts, name, err);

	if (r == NULL)
		return NULL;
	start_file(r, fp, 0, name);
	if (read_header(r, err) < 0) {
		ls_reader_free(r);
		return NULL;
	}
	opened(r);
	return r;
}

/* The caller's per-record work; its values go after the record's own fields. */
static int
prepare(struct ls_reader *r, struct ls_record *rec, struct ls_error *err)
{
	struct ls_error local;

	memcpy(r->xf, rec->fields, rec->nfields * sizeof(*r->xf));
	if (r->prep(r->prep_ctx, rec, r->xf + rec->nfields, err ? err : &local) < 0) {
		r->failed = 1;
		return -1;
	}
	rec->fields = r->xf;
	return 1;
}

/* The reader itself, on whichever thread reads. */
static int
next_direct(void *src, struct ls_record *rec, struct ls_error *err)
{
	struct ls_reader *r = src;
	int rc;

	if (r->failed)
		return ls_error_set(err, LS_EUSAGE, r->name, 0, 0, "reader used after a fatal error"), -1;
	if (r->ncols == 0)
		return 0;
	for (;;) {
		rc = read_record(r, rec, r->ncols, err);
		if (rc > 0)
			return r->prep ? prepare(r, rec, err) : 1;
		if (rc < 0) {
			if (err == NULL || err->status != LS_EDATA)
				r->failed = 1;
			return -1;
		}
		if ((rc = next_file(r, err)) <= 0)
			return rc;
	}
}

int
ls_reader_next(struct ls_reader *r, struct ls_record *rec, struct ls_error *err)
{
	int rc;

	if (r->stopped)
		return 0;
	/* started at the first read, when the header is known and nothing else will touch r */
	if (r->want_ra && r->ncols > 0 && !r->failed) {
		r->want_ra = 0;
		ls_prepare_fn *prep = r->prep;
		/* the thread prepares whole batches itself: the reader under it must not */
		r->prep = NULL;
		r->ra = ls_readahead_start(next_direct, r, prep, r->hint, r->prep_ctx, r->nextra);
		if (r->ra == NULL)
			r->prep = prep;
	}
	if (r->ra == NULL)
		return next_direct(r, rec, err);
	rc = ls_readahead_next(r->ra, rec, err);
	if ((rc > 0 || (rc < 0 && err != NULL && err->status == LS_EDATA)) && r->shown != rec->file)
		r->shown = rec->file;
	return rc;
}

/* Forget the hooks, telling their owner: from here on nothing calls them. */
static void
drop_hooks(struct ls_reader *r)
{
	ls_detach_fn *detach = r->detach;
	void *ctx = r->prep_ctx;

	r->prep = NULL;
	r->hint = NULL;
	r->detach = NULL;
	r->prep_ctx = NULL;
	r->nextra = 0;
	if (detach != NULL)
		detach(ctx);
}

void
ls_reader_stop(struct ls_reader *r)
{
	if (r == NULL)
		return;
	/* join first: the thread may be inside a hook at this moment */
	ls_readahead_free(r->ra);
	r->ra = NULL;
	r->want_ra = 0;
	r->stopped = 1;
	drop_hooks(r);
}

int
ls_reader_prepare(struct ls_reader *r, ls_prepare_fn *fn, ls_hint_fn *hint,
    ls_detach_fn *detach, void *ctx, size_t nextra)
{
	struct ls_str *xf;

	if (r->ra != NULL || r->stopped || nextra > SIZE_MAX / sizeof(*xf) - r->ncols)
		return LS_EUSAGE;
	if ((xf = calloc(r->ncols + nextra + 1, sizeof(*xf))) == NULL)
		return LS_ENOMEM;
	drop_hooks(r);
	free(r->xf);
	r->xf = xf;
	r->prep = fn;
	r->hint = hint;
	r->detach = fn ? detach : NULL;
	r->prep_ctx = ctx;
	r->nextra = fn ? nextra : 0;
	return 0;
}

size_t
ls_reader_estimate(const struct ls_reader *r)
{
	return r->estimate;
}

int
ls_reader_peek(const struct ls_reader *r, size_t k, struct ls_record *rec)
{
	return r->ra != NULL && ls_readahead_peek(r->ra, k, rec);
}

size_t
ls_reader_ncols(const struct ls_reader *r)
{
	return r->ncols;
}

const struct ls_str *
ls_reader_header(const struct ls_reader *r)
{
	return r->hdr;
}

long
ls_header_find(const struct ls_str *hdr, size_t ncols, const char *name, size_t len)
{
	for (size_t i = 0; i < ncols; i++)
		if (hdr[i].n == len && memcmp(hdr[i].p, name, len) == 0)
			return (long)i;
	return -1;
}

long
ls_reader_col(const struct ls_reader *r, const char *name)
{
	return ls_header_find(r->hdr, r->ncols, name, strlen(name));
}

enum ls_format
ls_reader_format(const struct ls_reader *r)
{
	return r->first_fmt;
}

char
ls_reader_delim(const struct ls_reader *r)
{
	return r->first_delim;
}

const char *
ls_reader_file(const struct ls_reader *r)
{
	return r->ra ? r->shown : r->name;
}

void
ls_reader_free(struct ls_reader *r)
{
	if (r == NULL)
		return;
	ls_reader_stop(r);	/* first: the thread may be using all the rest */
	close_file(r);
	csv_free(&r->csv);
	if (r->cd != (iconv_t)-1)
		iconv_close(r->cd);
	free(r->ibuf);
	free(r->buf);
	free(r->hdr);
	free(r->hdrmem);
	free(r->f);
	free(r->arena);
	free(r->foff);
	free(r->xf);
	for (size_t i = 0; i < r->npaths; i++)
		free(r->paths[i]);
	free(r->paths);
	free(r);
}
