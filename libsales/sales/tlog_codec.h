/*
 * tlog_codec.h - one record of the ticket log (ticket.h) as bytes: the two
 * lines the log starts with and the event rows, written through the
 * library's CSV writer (record.h) so that the log is quoted as every other
 * CSV the tools write; and a record's text split into its fields and
 * checked.  Where records start and end in the file, locks, torn tails and
 * batches are ticket.c's.
 *
 * No state of its own: calls on different buffers may run on different
 * threads.
 */
#ifndef LS_TLOG_CODEC_H
#define LS_TLOG_CODEC_H

#include <stddef.h>

#include "error.h"
#include "ticket.h"
#include "writer.h"

/* Bytes the codec wrote: p[0..n), malloc'ed, the caller frees p. */
struct ls_tlog_codec_buf {
	char *p;
	size_t n;
};

/*
 * The head of a log of format version (1 or 2), "# ticket-log vN" then
 * the header row (ls_tlog_columns, and ls_tlog_prev_column for v2), each
 * with its line feed, into *out.  0, or LS_ENOMEM with err filled.
 */
int ls_tlog_codec_head(int version, struct ls_tlog_codec_buf *out, struct ls_error *err);

/*
 * The rows of one commit to a log of format version: row k (0 <= k <
 * nrows) is seq first + k, then fields[k * LS_TC_NCOLS + LS_TC_TS ..
 * LS_TC_CHANNEL] (the seq and batch entries are not read), then the batch
 * "K+1/NROWS" when nrows > 1, else empty; in v2, then the prev hash: chain
 * (64 hex digits, the log's last record's hash) for the first row, each
 * row's hash for the next, and chain gets the last row's hash.  Each row
 * quoted as the library's writer quotes CSV.  With head, the log's head
 * goes first.  Into *out; 0, or LS_ENOMEM with err filled (chain then as
 * it was).
 */
int ls_tlog_codec_rows(int version, int head, long long first, const struct ls_str *fields,
    size_t nrows, char chain[65], struct ls_tlog_codec_buf *out, struct ls_error *err);

/*
 * One v2 row to w: f[0..LS_TC_NCOLS) as they are (seq and batch too), then
 * chain as its prev hash; chain gets the row's hash (ls_chain_hash() of
 * the row's fields, the prev hash last).  w's errors are w's.
 */
void ls_tlog_codec_put(struct ls_writer *w, const struct ls_str *f, char chain[65]);

/* The hash of a record read from a v2 log, r->f[0..LS_TC_PREV] (the prev hash included), into hex. */
void ls_tlog_codec_hash(const struct ls_tlog_rec *r, char hex[65]);

/*
 * The caller's scratch for ls_tlog_codec_split(), reused from record to
 * record: zero it before the first use, free it with
 * ls_tlog_codec_scratch_free().
 */
struct ls_tlog_codec_scratch {
	char *p;		/* the record's text, split in place */
	size_t cap;
	struct ls_str *f;	/* its fields, views into p */
	size_t fcap;
	size_t bad;		/* after a refusal: p[bad] is the byte at fault */
};

/* Free what the scratch holds and zero it.  NULL is a no-op. */
void ls_tlog_codec_scratch_free(struct ls_tlog_codec_scratch *s);

/*
 * Split a record's text p[0..n) (without its line feed; a CR before it is
 * dropped) into r->f as RFC 4180 CSV, strictly, the way the library's
 * reader reads CSV (ls_csv_split_record(), record.h): the text is copied
 * into s and split there, so p is not touched, and the fields are
 * NUL-terminated views into s->p, valid until the next call with the same
 * scratch.  Returns the number of fields, -1 when out of memory, or a
 * negative LS_CSV_* code of record.h for bad quoting or a CR outside
 * quotes, s->bad then naming the byte.
 */
int ls_tlog_codec_split(const char *p, size_t n, struct ls_tlog_codec_scratch *s,
    struct ls_tlog_rec *r);

/*
 * Check and convert the fields of a record of a log of format version
 * split into r, nf of them (or the refusal of ls_tlog_codec_split(),
 * reported at the line and column of the byte s names): field count (12
 * in v1, 13 in v2), seq, ts, event, status, priority, channel, ticket id,
 * batch, and in v2 the prev hash's form (64 hex digits, lower case).  The
 * order of seqs and ids, and the chain, are the log's to check.  line is
 * the record's first physical line (0: unknown).  0, or -1 with err
 * (LS_EDATA) naming path and line.
 */
int ls_tlog_codec_check(const char *path, int version, int nf, long line,
    const struct ls_tlog_codec_scratch *s, struct ls_tlog_rec *r, struct ls_error *err);

/* The batch column: "" (0, 0) or "I/N" with 1 <= I <= N, 2 <= N.  0 or -1. */
int ls_tlog_codec_batch(const struct ls_str *b, long long *i, long long *n);

#endif
