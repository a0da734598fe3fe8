/*
 * record.c - the record reader: opening the stream, its header, and the
 * records read from it.
 *
 * Input is read in big blocks into one buffer (reader_input.c) and cut into
 * physical lines (reader_lines.c).  A record whose quoted fields are all
 * simple is split in place (reader_split.c): no copy, no allocation.  Any
 * other record with a quote goes to libcsv line by line until libcsv reports
 * the end of the row (reader_libcsv.c), which keeps the line count exact
 * across quoted line breaks and leaves libcsv to decide where such a record
 * ends.  Records are handed out directly, through the readahead thread, or
 * in batches read on the caller's thread (reader_thread.c).
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
#include "reader_impl.h"
#include "utf8.h"

/* bytes checked as UTF-8 ahead of a record at once: a few records' worth, still in the cache when split */
#define U8_AHEAD	((size_t)64 << 10)

/*
 * Read one record, header or data.  Returns 1, 0 at end of file, -1 on
 * error.  On a data error the record is consumed and rec describes it.
 */
int
ls_rd_read_record(struct ls_reader *r, struct ls_record *rec, size_t want, struct ls_error *err)
{
	size_t len, term, start;
	int rc, valid = 1;

	if (r->xlsx)
		return ls_rd_read_xlsx(r, rec, err);
	for (;;) {
		start = r->pos;
		if ((rc = ls_rd_next_line(r, &start, &len, &term, err)) <= 0)
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

	/* a record that opens with a quote needs no search for one (every line of an all-quoted export) */
	size_t q = len > 0 && r->buf[start] == '"' ? start :
	    ls_rd_find_cached(r, &r->q_at, &r->q_scan, start, '"');
	long nf = 0, breaks = 0;
	int quoted = q < start + len && r->fmt == LS_FMT_CSV && len > 0;
	size_t span = len, spterm = term;

	/* a record whose quoted fields are all simple is split here too; the rest go to libcsv */
	if (quoted && !r->all_libcsv &&
	    (nf = ls_rd_split_quoted(r, r->buf + start, len, r->delim, &span, &spterm, &breaks)) < 0)
		return ls_error_set(err, LS_ENOMEM, r->name, rec->line, 0, "out of memory"), -1;
	/* an empty line goes here even for all_libcsv: libcsv skips empty rows */
	if (!quoted ? (len == 0 || !r->all_libcsv || r->fmt == LS_FMT_TSV) : nf > 0) {
		char *s = r->buf + start;
		size_t bad;

		r->pos += span + spterm;
		r->line += 1 + breaks;
		rec->raw.p = s;
		rec->raw.n = span;
		/*
		 * The UTF-8 check: most records lie in bytes already vouched for.
		 * Else the bytes from here on are checked ahead, a chunk at once
		 * (one call in place of one per record), and the record itself
		 * only from where that stopped: a NUL, a bad byte or a three- or
		 * four-byte character, which ls_utf8_valid() judges and places.
		 */
		if (start < r->u8_from || start + span > r->u8_to) {
			size_t ahead = r->end - start < U8_AHEAD ? r->end - start : U8_AHEAD;
			r->u8_from = start;
			r->u8_to = start + ls_utf8_prefix((unsigned char *)s, ahead);
			if (r->u8_to < start + span) {
				size_t ok = r->u8_to - start;
				if ((valid = ls_utf8_valid((unsigned char *)s + ok, span - ok, &bad)) <= 0)
					goto bad_utf8;
			}
		}
		if (!quoted && (nf = ls_rd_split_line(r, s, len, r->fmt == LS_FMT_TSV ? '\t' : r->delim)) < 0)
			return ls_error_set(err, LS_ENOMEM, r->name, rec->line, 0, "out of memory"), -1;
		r->nf = (size_t)nf;
		if (want && r->nf != want)
			goto bad_count;
		struct ls_str *f = r->f;
		size_t nfl = r->nf;
		if (r->fmt == LS_FMT_TSV) {
			for (size_t i = 0; i < nfl; i++)
				f[i].n = ls_rd_tsv_unescape((char *)f[i].p, f[i].n);
		} else if (quoted && r->nesc > 0) {
			for (size_t i = 0; i < nfl; i++) {
				char *p = (char *)f[i].p;
				if (i < 64 ? (r->escm >> i) & 1 : p > s && p[-1] == '"')
					f[i].n = ls_rd_unquote_field(p, f[i].n);
			}
		}
		/* most records: each field's NUL, nothing else */
		for (size_t i = 0; i < nfl; i++)
			((char *)f[i].p)[f[i].n] = '\0';
		rec->nfields = r->nf;
		rec->fields = r->f;
		return 1;
	}
	return ls_rd_read_libcsv(r, rec, start, len, term, want, err);

bad_count:
	return ls_rd_bad_count(r, rec->line, want, err);
bad_utf8:
	return ls_rd_bad_utf8(r, rec->line, valid, err);
}

int
ls_rd_bad_count(struct ls_reader *r, long line, size_t want, struct ls_error *err)
{
	return ls_error_set(err, LS_EDATA, r->name, line, 0,
	    "expected %zu field%s, got %zu", want, want == 1 ? "" : "s", r->nf), -1;
}

int
ls_rd_bad_utf8(struct ls_reader *r, long line, int valid, struct ls_error *err)
{
	if (valid < 0)
		return ls_error_set(err, LS_EDATA, r->name, line, 0,
		    "NUL byte in the data (is this a text file?)"), -1;
	return ls_error_set(err, LS_EDATA, r->name, line, 0,
	    "invalid UTF-8 (if the file is in another encoding, name it with %s, e.g. %s cp1251)",
	    r->encoding_flag, r->encoding_flag), -1;
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
		if (ls_rd_fill(r, r->pos, err) < 0)
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

	if (r->detect && r->fmt == LS_FMT_CSV && !r->xlsx && detect_delim(r, err) < 0)
		return -1;
	rc = ls_rd_read_record(r, &rec, 0, err);

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
	r->sheet = opts ? opts->sheet : NULL;
	r->header_row = opts ? opts->header_row : 0;
	r->encoding_flag = opts && opts->encoding_flag ? opts->encoding_flag : "--encoding";
	if (r->fmt == LS_FMT_AUTO)
		r->fmt = ls_rd_is_tsv_name(first_name) ? LS_FMT_TSV : LS_FMT_CSV;
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
			/* which option: doc-render's items have their own */
			ls_error_set(err, LS_EUSAGE, NULL, 0, 0, "%s: unknown encoding '%s'",
			    r->encoding_flag, opts->encoding);
			ls_reader_free(r);
			return NULL;
		}
	}
	if (ls_rd_csv_setup(r) < 0) {
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
int
ls_rd_next_file(struct ls_reader *r, struct ls_error *err)
{
	int rc;

	while (r->cur + 1 < r->npaths) {
		ls_rd_close_file(r);
		r->cur++;
		if (ls_rd_open_path(r, r->paths[r->cur], err) != 0) {
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
	if (ls_rd_open_path(r, npaths ? r->paths[0] : NULL, err) != 0) {
		ls_reader_free(r);
		return NULL;
	}
	/* an empty first file lends its place to the next one's header */
	for (;;) {
		rc = read_header(r, err);
		if (rc != 0 || r->cur + 1 >= r->npaths)
			break;
		ls_rd_close_file(r);
		r->cur++;
		if (ls_rd_open_path(r, r->paths[r->cur], err) != 0) {
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
	ls_rd_start_file(r, fp, 0, name);
	if (read_header(r, err) < 0) {
		ls_reader_free(r);
		return NULL;
	}
	opened(r);
	return r;
}

size_t
ls_reader_estimate(const struct ls_reader *r)
{
	return r->estimate;
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
	ls_rd_close_file(r);
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
