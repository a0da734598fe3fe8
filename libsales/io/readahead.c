/*
 * readahead.c - a reading thread and a ring of record batches.
 *
 * The thread copies each record's fields into the batch it is filling;
 * when the batch is full it passes it on and takes a free one.  A ring of
 * NBATCH batches bounds how far it runs ahead (about NBATCH * BATCH_BYTES
 * of fields), so memory stays flat whatever the input's size.  The caller
 * holds one batch at a time and hands it back when it asks past its end.
 *
 * Without a thread (ls_readahead_batches()) one smaller batch is filled on
 * the caller's own thread when it asks past the end: the records still come
 * a batch at a time, so the hint hook runs ahead of prepare and peek sees
 * the records to come, which is what lets their memory loads overlap.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "readahead.h"
#include "util.h"

#define NBATCH		8
#define BATCH_BYTES	((size_t)256 << 10)
#define BATCH_ITEMS	4096
/* on the caller's thread: small enough that a batch is still in the cache when it is read */
#define SYNC_BYTES	((size_t)64 << 10)
#define SYNC_ITEMS	256

struct item {
	int rc;			/* 1: a record; -1: a data error, errs[err] */
	size_t field, nfields;	/* fields[field .. field + nfields) */
	const char *file;
	long line;
	size_t raw, rawlen;	/* data offset of an error's text */
	size_t err;
};

struct batch {
	struct item *items;
	size_t nitems, icap;
	struct ls_str *fields;		/* each record's fields, then room for its prepared values */
	size_t nfields, fcap;
	char *data;
	size_t dlen, dcap;
	char *xdata;			/* the prepared values' bytes */
	size_t xlen, xcap;
	size_t *xoff;			/* per slot of fields: where its prepared value is in xdata */
	size_t xoffcap;
	struct ls_error *errs;
	size_t nerrs, ecap;
	int last;		/* nothing follows: the source ended or failed */
	int last_rc;		/* 0 at the end, -1 after a final error, in last_err */
	struct ls_error last_err;
};

struct ls_readahead {
	ls_readahead_fn *next;
	int nothread;		/* the caller's thread fills b[0] when it has read it all */
	void *src;
	size_t max_items, max_bytes;
	ls_prepare_fn *prep;
	ls_hint_fn *hint;
	void *ctx;
	size_t nextra;
	pthread_t tid;
	pthread_mutex_t mu;
	pthread_cond_t filled, freed;
	struct batch b[NBATCH];
	size_t nfull;		/* batches filled and not yet handed back */
	size_t wi, ri;		/* next batch to fill; the batch being read */
	atomic_int stop;	/* the caller is gone: stop filling, even inside a batch */
	int done;		/* the thread has returned */

	/* the caller's side, written each record: a cache line of its own */
	char pad_[64];
	struct batch *cur;
	size_t at;		/* next item of cur */
	int final_told;		/* a final error was handed out */
	char pad_end_[64];
};

/* Room for n more bytes of data; fields already copied are moved with it. */
static int
reserve(struct batch *b, size_t n)
{
	char *nd;
	size_t cap;

	if (b->dcap - b->dlen >= n)
		return 0;
	cap = b->dcap ? b->dcap : 2 * BATCH_BYTES;
	while (cap - b->dlen < n)
		cap *= 2;
	/* not realloc: the old block must still be there to move the field pointers */
	if ((nd = malloc(cap)) == NULL)
		return -1;
	if (b->dlen > 0)
		memcpy(nd, b->data, b->dlen);
	/* prepared values are not there yet (NULL) while records are copied in */
	for (size_t i = 0; i < b->nfields; i++)
		if (b->fields[i].p != NULL)
			b->fields[i].p = nd + (b->fields[i].p - b->data);
	free(b->data);
	b->data = nd;
	b->dcap = cap;
	return 0;
}

/* Copy one record, or one data error with its text, into b. */
static int
add(struct batch *b, int rc, const struct ls_record *rec, size_t nextra, const struct ls_error *err)
{
	struct item *it;
	size_t need = 0, nf = rc > 0 ? rec->nfields : 0;
	uintptr_t lo = (uintptr_t)rec->raw.p, hi = lo + rec->raw.n;
	int inside = rc > 0 && rec->raw.p != NULL;

	if ((b->nitems + 1 > b->icap &&
	    ls_grow(&b->items, &b->icap, b->nitems + 1, sizeof(*b->items)) < 0) ||
	    (b->nfields + nf + nextra > b->fcap &&
	    ls_grow(&b->fields, &b->fcap, b->nfields + nf + nextra, sizeof(*b->fields)) < 0))
		return -1;
	/*
	 * Fields split in place lie in the record's own text, each with its
	 * NUL (the last one's on the line end): one copy of the text carries
	 * them all.  Fields libcsv built elsewhere are copied one by one.
	 * The reader's fields are either all split in place, in order, or all
	 * built by libcsv in an arena of its own: the first and the last tell.
	 */
	if (inside && nf > 0) {
		uintptr_t p0 = (uintptr_t)rec->fields[0].p, pn = (uintptr_t)rec->fields[nf - 1].p;
		inside = p0 >= lo && p0 <= hi && pn >= lo && pn + rec->fields[nf - 1].n <= hi;
	}
	if (inside)
		need = rec->raw.n + 1;
	else
		for (size_t i = 0; i < nf; i++)
			need += rec->fields[i].n + 1;
	if (rc < 0)
		need += rec->raw.n + 1;
	if (reserve(b, need) < 0)
		return -1;
	it = &b->items[b->nitems];
	it->rc = rc;
	it->field = b->nfields;
	it->nfields = rc > 0 ? rec->nfields : 0;
	it->file = rec->file;
	it->line = rec->line;
	if (inside) {
		char *d = b->data + b->dlen;
		memcpy(d, rec->raw.p, rec->raw.n + 1);
		for (size_t i = 0; i < nf; i++)
			b->fields[b->nfields++] = (struct ls_str){
				d + ((uintptr_t)rec->fields[i].p - lo), rec->fields[i].n
			};
		b->dlen += rec->raw.n + 1;
	} else {
		for (size_t i = 0; i < nf; i++) {
			char *d = b->data + b->dlen;
			memcpy(d, rec->fields[i].p, rec->fields[i].n);
			d[rec->fields[i].n] = '\0';
			b->fields[b->nfields++] = (struct ls_str){ d, rec->fields[i].n };
			b->dlen += rec->fields[i].n + 1;
		}
	}
	for (size_t k = 0; rc > 0 && k < nextra; k++)
		b->fields[b->nfields++] = (struct ls_str){ NULL, 0 };
	if (rc < 0) {
		if (ls_grow(&b->errs, &b->ecap, b->nerrs + 1, sizeof(*b->errs)) < 0)
			return -1;
		it->err = b->nerrs;
		b->errs[b->nerrs++] = *err;
		it->raw = b->dlen;
		it->rawlen = rec->raw.n;
		if (rec->raw.n > 0)
			memcpy(b->data + b->dlen, rec->raw.p, rec->raw.n);
		b->data[b->dlen + rec->raw.n] = '\0';
		b->dlen += rec->raw.n + 1;
	}
	b->nitems++;
	return 0;
}

/* The record of item i, as ls_reader_next() hands it out. */
static void
record_of(const struct batch *b, size_t i, struct ls_record *rec)
{
	const struct item *it = &b->items[i];

	rec->nfields = it->nfields;
	rec->fields = b->fields + it->field;
	rec->file = it->file;
	rec->line = it->line;
	rec->raw = (struct ls_str){ "", 0 };
}

/*
 * d = s, n bytes, for the short values records are prepared with (a phone,
 * an e-mail, a struct of facts): two overlapping copies of a fixed size
 * each, which the compiler makes a pair of moves, not a call to memcpy.
 */
static inline void
copy_short(char *d, const char *s, size_t n)
{
	if (n >= 32 && n <= 64) {
		memcpy(d, s, 32);
		memcpy(d + n - 32, s + n - 32, 32);
	} else if (n >= 16 && n < 32) {
		memcpy(d, s, 16);
		memcpy(d + n - 16, s + n - 16, 16);
	} else if (n >= 8 && n < 16) {
		memcpy(d, s, 8);
		memcpy(d + n - 8, s + n - 8, 8);
	} else if (n >= 4 && n < 8) {
		memcpy(d, s, 4);
		memcpy(d + n - 4, s + n - 4, 4);
	} else if (n > 0 && n < 4) {
		d[0] = s[0];
		d[n / 2] = s[n / 2];
		d[n - 1] = s[n - 1];
	} else if (n > 64) {
		memcpy(d, s, n);
	}
}

/* Keep a record's n prepared values: their bytes go to xdata, their places to xoff from slot on. */
static int
keep(struct batch *b, size_t slot, const struct ls_str *v, size_t n)
{
	size_t need = 0;

	for (size_t k = 0; k < n; k++)
		need += v[k].n + 1;
	if ((b->xlen + need > b->xcap && ls_grow(&b->xdata, &b->xcap, b->xlen + need, 1) < 0) ||
	    (slot + n > b->xoffcap && ls_grow(&b->xoff, &b->xoffcap, slot + n, sizeof(*b->xoff)) < 0))
		return -1;
	for (size_t k = 0; k < n; k++) {
		copy_short(b->xdata + b->xlen, v[k].p, v[k].n);
		b->xdata[b->xlen + v[k].n] = '\0';
		b->xoff[slot + k] = b->xlen;
		b->fields[slot + k].n = v[k].n;
		b->xlen += v[k].n + 1;
	}
	return 0;
}

/*
 * Run the caller's per-record work over a filled batch, hinting a few
 * records ahead so that the memory it will read is on its way.  A failure
 * ends the stream at that record.
 */
#define AHEAD	16
static void
prepare_batch(struct ls_readahead *ra, struct batch *b)
{
	struct ls_str x[16], *xv = ra->nextra <= 16 ? x : NULL;
	struct ls_record rec;
	struct ls_error err;
	size_t i;

	if (xv == NULL && (xv = calloc(ra->nextra, sizeof(*xv))) == NULL) {
		ls_error_set(&err, LS_ENOMEM, NULL, 0, 0, "out of memory");
		i = 0;
		goto fail;
	}
	b->xlen = 0;
	for (i = 0; ra->hint && i < AHEAD && i < b->nitems; i++)
		if (b->items[i].rc > 0) {
			record_of(b, i, &rec);
			ra->hint(ra->ctx, &rec);
		}
	for (i = 0; i < b->nitems; i++) {
		const struct item *it = &b->items[i];
		/* the caller is going away, and with it what ctx points to */
		if (atomic_load_explicit(&ra->stop, memory_order_relaxed)) {
			b->nitems = i;
			b->last = 1;
			b->last_rc = 0;
			break;
		}
		if (ra->hint && i + AHEAD < b->nitems && b->items[i + AHEAD].rc > 0) {
			record_of(b, i + AHEAD, &rec);
			ra->hint(ra->ctx, &rec);
		}
		if (it->rc <= 0)
			continue;
		record_of(b, i, &rec);
		if (ra->prep(ra->ctx, &rec, xv, &err) < 0)
			goto fail;
		if (keep(b, it->field + it->nfields, xv, ra->nextra) < 0) {
			ls_error_set(&err, LS_ENOMEM, NULL, 0, 0, "out of memory");
			goto fail;
		}
	}
	goto fixup;
fail:
	b->nitems = i;
	b->last = 1;
	b->last_rc = -1;
	b->last_err = err;
fixup:
	/* xdata has stopped moving: offsets become pointers */
	for (i = 0; i < b->nitems; i++) {
		const struct item *it = &b->items[i];
		for (size_t k = 0; it->rc > 0 && k < ra->nextra; k++) {
			size_t slot = it->field + it->nfields + k;
			b->fields[slot].p = b->xdata + b->xoff[slot];
		}
	}
	if (xv != x)
		free(xv);
}

/*
 * Fill b from the source.  Cancellation is allowed only here, where a read
 * may wait on a quiet pipe and no lock is held: the cancellation points
 * inside are the source's reads, and what a cancel leaves half-built is
 * freed by ls_readahead_free() all the same.
 */
static void
fill(struct ls_readahead *ra, struct batch *b)
{
	struct ls_record rec;
	struct ls_error err;
	int rc, old;

	b->nitems = b->nfields = b->dlen = b->nerrs = 0;
	if (!ra->nothread)
		pthread_setcancelstate(PTHREAD_CANCEL_ENABLE, &old);
	while (b->nitems < ra->max_items && b->dlen < ra->max_bytes) {
		if (atomic_load_explicit(&ra->stop, memory_order_relaxed)) {
			b->last = 1;
			b->last_rc = 0;
			break;
		}
		rc = ra->next(ra->src, &rec, &err);
		if (rc == 0 || (rc < 0 && err.status != LS_EDATA)) {
			b->last = 1;
			b->last_rc = rc;
			if (rc < 0)
				b->last_err = err;
			break;
		}
		if (add(b, rc, &rec, ra->prep ? ra->nextra : 0, &err) < 0) {
			b->last = 1;
			b->last_rc = -1;
			ls_error_set(&b->last_err, LS_ENOMEM, NULL, 0, 0, "out of memory");
			break;
		}
	}
	if (!ra->nothread)
		pthread_setcancelstate(PTHREAD_CANCEL_DISABLE, &old);
}

static void *
run(void *arg)
{
	struct ls_readahead *ra = arg;
	struct batch *b;
	int old, last;

	pthread_setcancelstate(PTHREAD_CANCEL_DISABLE, &old);
	do {
		pthread_mutex_lock(&ra->mu);
		while (ra->nfull == NBATCH && !ra->stop)
			pthread_cond_wait(&ra->freed, &ra->mu);
		if (ra->stop) {
			pthread_mutex_unlock(&ra->mu);
			return NULL;
		}
		b = &ra->b[ra->wi];
		pthread_mutex_unlock(&ra->mu);

		fill(ra, b);
		if (ra->prep)
			prepare_batch(ra, b);
		last = b->last;

		pthread_mutex_lock(&ra->mu);
		ra->wi = (ra->wi + 1) % NBATCH;
		ra->nfull++;
		pthread_cond_signal(&ra->filled);
		pthread_mutex_unlock(&ra->mu);
	} while (!last);
	return NULL;
}

/* A reader of batches of the given size, with no thread yet: NULL when memory is short. */
static struct ls_readahead *
new_readahead(ls_readahead_fn *next, void *src, ls_prepare_fn *prep, ls_hint_fn *hint,
    void *ctx, size_t nextra, size_t max_items, size_t max_bytes)
{
	struct ls_readahead *ra = calloc(1, sizeof(*ra));

	if (ra == NULL)
		return NULL;
	ra->next = next;
	ra->src = src;
	ra->max_items = max_items;
	ra->max_bytes = max_bytes;
	ra->prep = prep;
	ra->hint = hint;
	ra->ctx = ctx;
	ra->nextra = prep ? nextra : 0;
	return ra;
}

struct ls_readahead *
ls_readahead_start(ls_readahead_fn *next, void *src, ls_prepare_fn *prep, ls_hint_fn *hint,
    void *ctx, size_t nextra)
{
	struct ls_readahead *ra = new_readahead(next, src, prep, hint, ctx, nextra, BATCH_ITEMS,
	    BATCH_BYTES);

	if (ra == NULL)
		return NULL;
	if (pthread_mutex_init(&ra->mu, NULL) != 0) {
		free(ra);
		return NULL;
	}
	if (pthread_cond_init(&ra->filled, NULL) != 0) {
		pthread_mutex_destroy(&ra->mu);
		free(ra);
		return NULL;
	}
	if (pthread_cond_init(&ra->freed, NULL) != 0) {
		pthread_cond_destroy(&ra->filled);
		pthread_mutex_destroy(&ra->mu);
		free(ra);
		return NULL;
	}
	if (pthread_create(&ra->tid, NULL, run, ra) != 0) {
		ra->done = 1;
		ls_readahead_free(ra);
		return NULL;
	}
	return ra;
}

struct ls_readahead *
ls_readahead_batches(ls_readahead_fn *next, void *src, ls_prepare_fn *prep, ls_hint_fn *hint,
    void *ctx, size_t nextra)
{
	struct ls_readahead *ra = new_readahead(next, src, prep, hint, ctx, nextra, SYNC_ITEMS,
	    SYNC_BYTES);

	if (ra == NULL)
		return NULL;
	ra->nothread = 1;
	ra->done = 1;		/* no thread to stop or join */
	return ra;
}

int
ls_readahead_next(struct ls_readahead *ra, struct ls_record *rec, struct ls_error *err)
{
	for (;;) {
		struct batch *b = ra->cur;

		if (b != NULL && ra->at < b->nitems) {
			const struct item *it = &b->items[ra->at++];
			rec->nfields = it->nfields;
			/* a batch of data errors alone has no fields array */
			rec->fields = b->fields != NULL ? b->fields + it->field : NULL;
			rec->file = it->file;
			rec->line = it->line;
			if (it->rc > 0) {
				rec->raw = (struct ls_str){ "", 0 };
				return 1;
			}
			rec->raw = (struct ls_str){ b->data + it->raw, it->rawlen };
			if (err != NULL)
				*err = b->errs[it->err];
			return -1;
		}
		if (b != NULL && b->last) {
			if (b->last_rc == 0)
				return 0;
			if (ra->final_told)
				return ls_error_set(err, LS_EUSAGE, NULL, 0, 0,
				    "reader used after a fatal error"), -1;
			ra->final_told = 1;
			if (err != NULL)
				*err = b->last_err;
			return -1;
		}
		if (ra->nothread) {
			b = ra->cur = &ra->b[0];
			b->last = 0;
			fill(ra, b);
			if (ra->prep)
				prepare_batch(ra, b);
			ra->at = 0;
			continue;
		}
		pthread_mutex_lock(&ra->mu);
		if (b != NULL) {
			ra->ri = (ra->ri + 1) % NBATCH;
			ra->nfull--;
			pthread_cond_signal(&ra->freed);
		}
		while (ra->nfull == 0)
			pthread_cond_wait(&ra->filled, &ra->mu);
		ra->cur = &ra->b[ra->ri];
		ra->at = 0;
		pthread_mutex_unlock(&ra->mu);
	}
}

int
ls_readahead_peek(const struct ls_readahead *ra, size_t k, struct ls_record *rec)
{
	const struct batch *b = ra->cur;
	size_t i;

	if (b == NULL || k == 0 || ra->at == 0 || (i = ra->at - 1 + k) >= b->nitems ||
	    b->items[i].rc <= 0)
		return 0;
	record_of(b, i, rec);
	return 1;
}

void
ls_readahead_free(struct ls_readahead *ra)
{
	if (ra == NULL)
		return;
	if (ra->nothread)
		goto batches;
	if (!ra->done) {
		pthread_mutex_lock(&ra->mu);
		atomic_store(&ra->stop, 1);
		pthread_cond_signal(&ra->freed);
		pthread_mutex_unlock(&ra->mu);
		/* a thread still inside the source may wait on input nobody will send */
		pthread_cancel(ra->tid);
		pthread_join(ra->tid, NULL);
	}
	pthread_cond_destroy(&ra->freed);
	pthread_cond_destroy(&ra->filled);
	pthread_mutex_destroy(&ra->mu);
batches:
	for (size_t i = 0; i < NBATCH; i++) {
		free(ra->b[i].items);
		free(ra->b[i].fields);
		free(ra->b[i].data);
		free(ra->b[i].errs);
		free(ra->b[i].xdata);
		free(ra->b[i].xoff);
	}
	free(ra);
}
