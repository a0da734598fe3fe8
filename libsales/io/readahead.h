/*
 * readahead.h - records read on a second thread, a few batches ahead of
 * the caller, so that reading and splitting the input overlaps the
 * caller's own work on the records already read.
 *
 * Internal to libsales: ls_reader_next() uses it for readers opened with
 * ls_reader_opts.readahead set, and without a thread
 * (ls_readahead_batches()) for readers with a hint or a lookahead.  The
 * records come out exactly as the direct reader gives them, data errors
 * included and in their place.
 */
#ifndef LS_READAHEAD_H
#define LS_READAHEAD_H

#include "record.h"

/* The direct source: ls_reader_next()'s contract, called on the reading thread only. */
typedef int ls_readahead_fn(void *src, struct ls_record *rec, struct ls_error *err);

struct ls_readahead;

/*
 * Start a thread that calls next(src, ...) until it returns 0 or a final
 * (not LS_EDATA) error.  When prep is not NULL, the thread also runs
 * prep(ctx, ...) on each good record (hint a few records before it) and
 * keeps its nextra values after the record's fields (ls_reader_prepare()).
 * From then on src and ctx belong to that thread until ls_readahead_free()
 * returns.  NULL when no thread could be started: the caller then reads
 * src itself.
 */
struct ls_readahead *ls_readahead_start(ls_readahead_fn *next, void *src, ls_prepare_fn *prep,
    ls_hint_fn *hint, void *ctx, size_t nextra);

/*
 * The same batches without a thread: each is filled on the caller's thread
 * inside ls_readahead_next() once the one before is used up, prep and hint
 * run over it, and peek sees the rest of it.  src and ctx stay the
 * caller's.  NULL when memory is short.
 */
struct ls_readahead *ls_readahead_batches(ls_readahead_fn *next, void *src, ls_prepare_fn *prep,
    ls_hint_fn *hint, void *ctx, size_t nextra);

/*
 * The next record or error, with ls_reader_next()'s return values.  The
 * record's fields belong to ra and stay valid until the next call; raw is
 * kept only for data errors (the text for --rejects).
 */
int ls_readahead_next(struct ls_readahead *ra, struct ls_record *rec, struct ls_error *err);

/* ls_reader_peek(), within the batch being read. */
int ls_readahead_peek(const struct ls_readahead *ra, size_t k, struct ls_record *rec);

/*
 * Stop the thread (a read blocked on a quiet pipe is cancelled) and free
 * everything.  NULL is a no-op.
 */
void ls_readahead_free(struct ls_readahead *ra);

#endif
