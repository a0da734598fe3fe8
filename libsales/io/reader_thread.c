/*
 * reader_thread.c - handing records out: directly, through the readahead
 * thread, or in batches on the caller's thread, with the caller's prepare
 * and hint hooks.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "readahead.h"
#include "reader_impl.h"

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
		rc = ls_rd_read_record(r, rec, r->ncols, err);
		if (rc > 0)
			return r->prep ? prepare(r, rec, err) : 1;
		if (rc < 0) {
			if (err == NULL || err->status != LS_EDATA)
				r->failed = 1;
			return -1;
		}
		if ((rc = ls_rd_next_file(r, err)) <= 0)
			return rc;
	}
}

int
ls_reader_next(struct ls_reader *r, struct ls_record *rec, struct ls_error *err)
{
	int rc;

	if (r->stopped)
		return 0;
	/*
	 * Hooks that prefetch need records ahead of the one handed out: without
	 * a thread they come in batches read on this one.
	 */
	if (!r->want_ra && r->ra == NULL && (r->hint != NULL || r->want_batches) && r->ncols > 0 &&
	    !r->failed) {
		ls_prepare_fn *prep = r->prep;
		r->prep = NULL;
		r->ra = ls_readahead_batches(next_direct, r, prep, r->hint, r->prep_ctx,
		    r->nextra);
		if (r->ra == NULL)
			r->prep = prep;
	}
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

int
ls_reader_lookahead(struct ls_reader *r)
{
	if (r->ra != NULL || r->stopped)
		return LS_EUSAGE;
	r->want_batches = 1;
	return 0;
}

int
ls_reader_peek(const struct ls_reader *r, size_t k, struct ls_record *rec)
{
	return r->ra != NULL && ls_readahead_peek(r->ra, k, rec);
}
