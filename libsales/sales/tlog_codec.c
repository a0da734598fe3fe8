/*
 * tlog_codec.c - the ticket log's records as bytes: written through the
 * library's CSV writer, split by its reader's split (ls_csv_split_record())
 * and checked on the way in.  See tlog_codec.h.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#if defined(__SSE2__) && defined(__GNUC__)
#include <emmintrin.h>
#define CODEC_SSE2 1
#endif

#include "chain.h"
#include "date.h"
#include "record.h"
#include "tlog_codec.h"
#include "scan.h"
#include "writer.h"
#include "util.h"

/*
 * A writer on memory: the log's records go out in one write(2) (ticket.h),
 * so they are made whole in memory first, by the same writer, and quoted by
 * the same rules, as any CSV output of the tools.
 */
struct memw {
	FILE *fp;
	struct ls_writer *w;
	struct ls_tlog_codec_buf *out;
};

static int
memw_open(struct memw *m, struct ls_tlog_codec_buf *out, struct ls_error *err)
{
	struct ls_writer_opts wo = { .format = LS_FMT_CSV, .delim = ',' };

	m->out = out;
	out->p = NULL;
	out->n = 0;
	m->w = NULL;
	if ((m->fp = open_memstream(&out->p, &out->n)) == NULL)
		return ls_error_set(err, LS_ENOMEM, NULL, 0, 0, "out of memory");
	if ((m->w = ls_writer_open(NULL, m->fp, &wo, err)) == NULL) {
		fclose(m->fp);
		free(out->p);
		out->p = NULL;
		return err->status;
	}
	return 0;
}

/* Flush and close; on failure (rc != 0, or a failed write) out is freed.  0 or LS_ENOMEM. */
static int
memw_close(struct memw *m, int rc, struct ls_error *err)
{
	if (rc == 0 && ls_writer_flush(m->w, NULL) != 0)
		rc = ls_error_set(err, LS_ENOMEM, NULL, 0, 0, "out of memory");
	ls_writer_free(m->w);
	if (fclose(m->fp) != 0 && rc == 0)
		rc = ls_error_set(err, LS_ENOMEM, NULL, 0, 0, "out of memory");
	if (rc != 0) {
		free(m->out->p);
		m->out->p = NULL;
		m->out->n = 0;
	}
	return rc;
}

/* The head's two lines; the magic line is not CSV, it goes out as it is. */
static void
put_head(struct memw *m, int version)
{
	char magic[32];

	snprintf(magic, sizeof(magic), "%s%d", LS_TLOG_MAGIC, version);
	ls_writer_field(m->w, magic, strlen(magic));
	ls_writer_end(m->w);
	for (int i = 0; i < LS_TC_NCOLS; i++)
		ls_writer_cstr(m->w, ls_tlog_columns[i]);
	if (version >= 2)
		ls_writer_cstr(m->w, ls_tlog_prev_column);
	ls_writer_end(m->w);
}

int
ls_tlog_codec_head(int version, struct ls_tlog_codec_buf *out, struct ls_error *err)
{
	struct memw m;
	int rc;

	if ((rc = memw_open(&m, out, err)) != 0)
		return rc;
	put_head(&m, version);
	return memw_close(&m, 0, err);
}

void
ls_tlog_codec_put(struct ls_writer *w, const struct ls_str *f, char chain[65])
{
	struct ls_str all[LS_TC_NCOLS + 1];

	memcpy(all, f, LS_TC_NCOLS * sizeof(all[0]));
	all[LS_TC_PREV].p = chain;
	all[LS_TC_PREV].n = 64;
	ls_writer_row(w, all, LS_TC_NCOLS + 1);
	/* the fields as a reader will parse them: the writer's quoting is not hashed */
	ls_chain_hash(all, LS_TC_NCOLS + 1, chain);
}

void
ls_tlog_codec_hash(const struct ls_tlog_rec *r, char hex[65])
{
	ls_chain_hash(r->f, LS_TC_NCOLS + 1, hex);
}

int
ls_tlog_codec_rows(int version, int head, long long first, const struct ls_str *fields,
    size_t nrows, char chain[65], struct ls_tlog_codec_buf *out, struct ls_error *err)
{
	struct memw m;
	char h[65];
	int rc;

	if ((rc = memw_open(&m, out, err)) != 0)
		return rc;
	if (head)
		put_head(&m, version);
	if (version >= 2)
		memcpy(h, chain, 65);
	for (size_t k = 0; k < nrows && ls_writer_status(m.w) == 0; k++) {
		struct ls_str f[LS_TC_NCOLS];
		char seq[32], batch[48];

		memcpy(f, fields + k * LS_TC_NCOLS, sizeof(f));
		f[LS_TC_SEQ].p = seq;
		f[LS_TC_SEQ].n = (size_t)snprintf(seq, sizeof(seq), "%lld", first + (long long)k);
		/* each record of a commit says "I/N": a reader can tell one cut short from either end */
		f[LS_TC_BATCH].p = batch;
		f[LS_TC_BATCH].n = nrows < 2 ? 0 :
		    (size_t)snprintf(batch, sizeof(batch), "%zu/%zu", k + 1, nrows);
		if (version >= 2)
			ls_tlog_codec_put(m.w, f, h);
		else
			ls_writer_row(m.w, f, LS_TC_NCOLS);
	}
	if ((rc = memw_close(&m, 0, err)) == 0 && version >= 2)
		memcpy(chain, h, 65);
	return rc;
}

int
ls_tlog_codec_split(const char *p, size_t n, struct ls_tlog_codec_scratch *s, struct ls_tlog_rec *r)
{
	long nf;

	if (n > 0 && p[n - 1] == '\r')
		n--;
	/* split in a copy, so the log's buffer keeps its bytes (a record without quotes: the library's short way) */
	if (ls_grow(&s->p, &s->cap, n + 1, 1) != 0)
		return -1;
	if (n > 0)
		memcpy(s->p, p, n);
	nf = ls_csv_split_record(s->p, n, ',', &s->f, &s->fcap, &s->bad);
	if (nf < 0)
		return nf == LS_CSV_ENOMEM ? -1 : (int)nf;
	/* a whole v2 record (the size known: the copy is inlined), or what there is */
	if (nf >= LS_TC_NCOLS + 1)
		memcpy(r->f, s->f, sizeof(r->f));
	else {
		memcpy(r->f, s->f, (size_t)nf * sizeof(r->f[0]));
		r->f[LS_TC_PREV] = (struct ls_str){ "", 0 };
	}
	return nf > INT_MAX ? INT_MAX : (int)nf;
}

void
ls_tlog_codec_scratch_free(struct ls_tlog_codec_scratch *s)
{
	if (s == NULL)
		return;
	free(s->p);
	free(s->f);
	memset(s, 0, sizeof(*s));
}

/* A refused record's error, at the line and column (in characters) of the byte at fault. */
static int
bad_quoting(const char *path, int nf, long line, const struct ls_tlog_codec_scratch *s,
    struct ls_error *err)
{
	const char *p = s->p, *b = s->p + s->bad, *ls = p;
	const char *what;

	/* line 0: no line known (ls_tlog_find() reading back), none made up */
	if (line > 0)
		for (const char *q = p; q < b && (q = memchr(q, '\n', (size_t)(b - q))) != NULL; ls = ++q)
			line++;
	switch (nf) {
	case LS_CSV_EQUOTE:
		what = "bad quoting: a quote inside a field that is not quoted (a field with quotes is "
		    "quoted whole, its quotes doubled: \"5\"\" screen\")";
		break;
	case LS_CSV_ETEXT:
		what = "bad quoting: text after a closing quote (a quoted field must end at a comma or "
		    "the line end)";
		break;
	case LS_CSV_EOPEN:
		what = "unterminated quoted field (opened here)";
		break;
	default:
		what = *b == '\r' ? "a carriage return outside quotes (a line break inside a field "
		    "must be quoted)" : "a line feed outside quotes (a line break inside a field must be quoted)";
		break;
	}
	/* columns count characters, as in the config files' messages: the log is UTF-8 */
	long col = 1;
	for (const char *q = ls; q < b; q++)
		col += ((unsigned char)*q & 0xc0) != 0x80;
	return ls_error_set(err, LS_EDATA, path, line, line > 0 ? col : 0, "%s", what);
}

int
ls_tlog_codec_batch(const struct ls_str *b, long long *i, long long *n)
{
	long long v[2] = { 0, 0 };
	size_t k = 0;
	int part = 0, digits = 0;

	*i = *n = 0;
	if (b->n == 0)
		return 0;
	for (k = 0; k < b->n; k++) {
		char c = b->p[k];
		if (c == '/' && part == 0 && digits > 0) {
			part = 1;
			digits = 0;
		} else if (c >= '0' && c <= '9' && digits < 12) {
			v[part] = v[part] * 10 + (c - '0');
			digits++;
		} else
			return -1;
	}
	if (part != 1 || digits == 0 || v[1] < 2 || v[0] < 1 || v[0] > v[1])
		return -1;
	*i = v[0];
	*n = v[1];
	return 0;
}

/*
 * 1 when h is 64 lower-case hex digits, the writer's spelling: any other is
 * a hand edit, as any other bytes are.  It is asked of every record of
 * every read of a v2 log: a loop that stopped at the first bad byte was a
 * third of list's time, one without a branch per byte still a fifth; with
 * SSE2, 16 bytes a step.
 */
static int
hex64(const struct ls_str *h)
{
	unsigned bad = 0;
	size_t i = 0;

	if (h->n != 64)
		return 0;
#if CODEC_SSE2
	if (ls_scan_simd()) {
		/* c - '0' <= 9 or c - 'a' <= 5, as unsigned bytes: a saturating subtract leaves 0 */
		const __m128i d0 = _mm_set1_epi8('0'), a0 = _mm_set1_epi8('a');
		const __m128i d9 = _mm_set1_epi8(9), a5 = _mm_set1_epi8(5), z = _mm_setzero_si128();

		for (; i < 64; i += 16) {
			__m128i v = _mm_loadu_si128((const __m128i *)(const void *)(h->p + i));
			__m128i dig = _mm_cmpeq_epi8(_mm_subs_epu8(_mm_sub_epi8(v, d0), d9), z);
			__m128i let = _mm_cmpeq_epi8(_mm_subs_epu8(_mm_sub_epi8(v, a0), a5), z);

			bad |= (unsigned)_mm_movemask_epi8(_mm_or_si128(dig, let)) ^ 0xffffu;
		}
	}
#endif
	for (; i < 64; i++) {
		unsigned char c = (unsigned char)h->p[i];

		bad |= (unsigned)((unsigned char)(c - '0') > 9) & (unsigned)((unsigned char)(c - 'a') > 5);
	}
	return bad == 0;
}

int
ls_tlog_codec_check(const char *path, int version, int nf, long line,
    const struct ls_tlog_codec_scratch *sc, struct ls_tlog_rec *r, struct ls_error *err)
{
	const struct ls_str *s = &r->f[LS_TC_SEQ];
	long long v = 0, bi, bn;
	size_t i;
	int want = version >= 2 ? LS_TC_NCOLS + 1 : LS_TC_NCOLS;

	r->line = line;
	if (nf < 0)
		return bad_quoting(path, nf, line, sc, err), -1;
	if (nf != want)
		return ls_error_set(err, LS_EDATA, path, line, 0, "expected %d fields, got %d",
		    want, nf), -1;
	if (version >= 2 && !hex64(&r->f[LS_TC_PREV]))
		return ls_error_set(err, LS_EDATA, path, line, 0,
		    "bad prev_hash '%s' (expected 64 hex digits)", r->f[LS_TC_PREV].p), -1;
	for (i = 0; i < s->n && i < 18 && s->p[i] >= '0' && s->p[i] <= '9'; i++)
		v = v * 10 + (s->p[i] - '0');
	if (s->n == 0 || i != s->n || v == 0)
		return ls_error_set(err, LS_EDATA, path, line, 0, "bad seq '%s'", s->p), -1;
	r->seq = v;
	if (ls_time_parse(r->f[LS_TC_TS].p, r->f[LS_TC_TS].n, NULL, 0, &r->ts, NULL) != 0)
		return ls_error_set(err, LS_EDATA, path, line, 0,
		    "bad ts '%s' (expected RFC 3339)", r->f[LS_TC_TS].p), -1;
	if (ls_tevent_parse(r->f[LS_TC_EVENT].p, r->f[LS_TC_EVENT].n, &r->event) != 0)
		return ls_error_set(err, LS_EDATA, path, line, 0, "unknown event '%s'",
		    r->f[LS_TC_EVENT].p), -1;
	if (ls_tstatus_parse(r->f[LS_TC_STATUS].p, r->f[LS_TC_STATUS].n, &r->status) != 0)
		return ls_error_set(err, LS_EDATA, path, line, 0, "unknown status '%s'",
		    r->f[LS_TC_STATUS].p), -1;
	if (ls_priority_parse(r->f[LS_TC_PRIORITY].p, r->f[LS_TC_PRIORITY].n, &r->priority) != 0)
		return ls_error_set(err, LS_EDATA, path, line, 0, "unknown priority '%s'",
		    r->f[LS_TC_PRIORITY].p), -1;
	if (!ls_channel_valid(r->f[LS_TC_CHANNEL].p, r->f[LS_TC_CHANNEL].n))
		return ls_error_set(err, LS_EDATA, path, line, 0,
		    "bad channel '%s' (1 to 32 of a-z, 0-9, _ and -, a letter first)",
		    r->f[LS_TC_CHANNEL].p), -1;
	if (ls_ticket_id_parse(r->f[LS_TC_ID].p, r->f[LS_TC_ID].n, &r->id) != 0)
		return ls_error_set(err, LS_EDATA, path, line, 0, "bad ticket id '%s'",
		    r->f[LS_TC_ID].p), -1;
	if (ls_tlog_codec_batch(&r->f[LS_TC_BATCH], &bi, &bn) != 0)
		return ls_error_set(err, LS_EDATA, path, line, 0, "bad batch '%s'",
		    r->f[LS_TC_BATCH].p), -1;
	return 0;
}
