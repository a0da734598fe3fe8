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

/* Bytes the codec wrote: p[0..n), malloc'ed, the caller frees p. */
struct ls_tlog_codec_buf {
	char *p;
	size_t n;
};

/*
 * The log's head, "# ticket-log v1" then the header row of
 * ls_tlog_columns, each with its line feed, into *out.  0, or LS_ENOMEM
 * with err filled.
 */
int ls_tlog_codec_head(struct ls_tlog_codec_buf *out, struct ls_error *err);

/*
 * The rows of one commit: row k (0 <= k < nrows) is seq first + k, then
 * fields[k * LS_TC_NCOLS + LS_TC_TS .. LS_TC_CHANNEL] (the seq and batch
 * entries are not read), then the batch "K+1/NROWS" when nrows > 1, else
 * empty; each row quoted as the library's writer quotes CSV.  With head,
 * the log's head goes first.  Into *out; 0, or LS_ENOMEM with err filled.
 */
int ls_tlog_codec_rows(int head, long long first, const struct ls_str *fields, size_t nrows,
    struct ls_tlog_codec_buf *out, struct ls_error *err);

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
 * Check and convert the fields of a record split into r, nf of them (or
 * the refusal of ls_tlog_codec_split(), reported at the line and column of
 * the byte s names): field count, seq, ts, event, status, priority,
 * channel, ticket id, batch.  The order of seqs and ids is the log's to
 * check.  line is the record's first physical line (0: unknown).  0, or -1
 * with err (LS_EDATA) naming path and line.
 */
int ls_tlog_codec_check(const char *path, int nf, long line, const struct ls_tlog_codec_scratch *s,
    struct ls_tlog_rec *r, struct ls_error *err);

/* The batch column: "" (0, 0) or "I/N" with 1 <= I <= N, 2 <= N.  0 or -1. */
int ls_tlog_codec_batch(const struct ls_str *b, long long *i, long long *n);

#endif
