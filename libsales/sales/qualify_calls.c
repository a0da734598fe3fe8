/*
 * qualify_calls.c - the call index: per lead, the latest call's outcome
 * and started_at and the number of calls (ls_qualifier_load_calls()).
 * Filled before the leads are read; prepare() (qualify.c) looks leads up
 * in it, on the leads' reading thread when there is one.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "qualify_int.h"
#include "util.h"

/*
 * Outcomes are few ("interested", "no_answer", ...): each name is kept
 * once, with an index.  The last one found is tried first: a call sheet
 * often repeats an outcome, and hashing every call's showed in profiles.
 * Then, while they are few, each is compared in turn; past that, the index.
 */
#define OUTCOMES_SCANNED	12
static long
intern_outcome(struct ls_qualifier *q, const struct ls_str *s)
{
	const char *v;
	uint32_t i = (uint32_t)q->noutcomes;
	char *name;

	if (q->last_outcome < q->noutcomes && q->outcomes[q->last_outcome].n == s->n &&
	    memcmp(q->outcomes[q->last_outcome].p, s->p, s->n) == 0)
		return (long)q->last_outcome;
	/* a dozen outcomes are compared faster than one is hashed */
	if (q->noutcomes <= OUTCOMES_SCANNED) {
		for (uint32_t k = 0; k < q->noutcomes; k++)
			if (q->outcomes[k].n == s->n && q->outcomes[k].p[0] == (s->n ? s->p[0] : '\0') &&
			    memcmp(q->outcomes[k].p, s->p, s->n) == 0) {
				q->last_outcome = k;
				return (long)k;
			}
	} else if ((v = ls_keyset_get(q->outcome_idx, s->p, s->n)) != NULL) {
		memcpy(&i, v, sizeof(i));
		q->last_outcome = i;
		return (long)i;
	}
	if (ls_grow(&q->outcomes, &q->outcomes_cap, q->noutcomes + 1, sizeof(*q->outcomes)) < 0 ||
	    (name = malloc(s->n + 1)) == NULL)
		return -1;
	memcpy(name, s->p, s->n);
	name[s->n] = '\0';
	q->outcomes[i] = (struct ls_str){ name, s->n };
	q->noutcomes++;
	if (ls_keyset_put(q->outcome_idx, s->p, s->n, (const char *)&i, sizeof(i), NULL) != 0)
		return -1;
	q->last_outcome = i;
	return (long)i;
}

/*
 * The offset of a started_at (parsed: its digits and ranges are valid)
 * whose text is what call_time() prints for its instant in that offset,
 * "...T14:03:00+03:00" or "...T11:03:00Z"; else OFF_TEXT.  A lower-case
 * t or z, a space for the T, a fraction, a leap second (read as :59) and
 * -00:00 keep their text.
 */
static int16_t
canonical_offset(const char *p, size_t n)
{
	int off;

	if ((n != 20 && n != 25) || p[10] != 'T' || (p[17] == '6' && p[18] == '0'))
		return OFF_TEXT;
	if (n == 20)
		return p[19] == 'Z' ? OFF_Z : OFF_TEXT;
	if ((p[19] != '+' && p[19] != '-') || p[22] != ':' || p[23] > '5' ||
	    (p[19] == '-' && memcmp(p + 20, "00:00", 5) == 0))
		return OFF_TEXT;
	off = ((p[20] - '0') * 10 + (p[21] - '0')) * 60 + (p[23] - '0') * 10 + (p[24] - '0');
	return (int16_t)(p[19] == '-' ? -off : off);
}


/*
 * The calls reader's share of loading a call, on its thread when it has
 * one: the hash of the lead's id, which the merge needs first.  The rest
 * stays on the main thread, which would otherwise wait on this one.
 */
static int
call_prepare(void *ctx, const struct ls_record *rec, struct ls_str *x, struct ls_error *err)
{
	struct ls_qualifier *q = ctx;
	const struct ls_str *id = &rec->fields[q->cc_id];
	struct call_facts *cf = &q->prep->cf;

	(void)err;
	cf->id_k = 0;
	cf->id_h = 0;
	if (!ls_qualify_id_key(id->p, id->n, &cf->id_k))
		cf->id_h = ls_keyset_hash(id->p, id->n);
	x[0] = (struct ls_str){ (const char *)cf, sizeof(*cf) };
	return 0;
}

/* A call read but not yet merged: calls are merged in batches whose lookups are prefetched together. */
#define BATCH	32
#define ID_MAX	64
#define TEXT_MAX	255		/* started_at texts kept longer are cut */
struct pending {
	struct call c;			/* at, outcome and spelling of this call */
	uint64_t k;			/* the packed id, or 0: id and h name it in call_long */
	uint32_t h;
	size_t idlen, tslen;
	char id[ID_MAX];
	char ts[TEXT_MAX];		/* started_at, when its spelling is kept as text */
};

/*
 * Keep the text of a winning call's started_at for c.  A lead's earlier
 * winner's text is overwritten when the new one fits in its place: texts
 * of one file share a spelling, so an unusual one costs one place per
 * lead, not one per call.
 */
static int
keep_text(struct ls_qualifier *q, const char *ts, size_t n, const struct call *old, struct call *c)
{
	if (n > TEXT_MAX)
		n = TEXT_MAX;
	if (old != NULL && old->off == OFF_TEXT && (unsigned char)q->texts[old->text] >= n) {
		c->text = old->text;
	} else {
		if (q->texts_len + n + 1 > UINT32_MAX ||
		    ls_grow(&q->texts, &q->texts_cap, q->texts_len + n + 1, 1) < 0)
			return -1;
		c->text = (uint32_t)q->texts_len;
		q->texts_len += n + 1;
	}
	q->texts[c->text] = (char)n;
	memcpy(q->texts + c->text + 1, ts, n);
	return 0;
}

/*
 * Merge one call into the lead's latest; ties go to the later row (a call
 * sheet lists calls in the order made).  ts[0..tslen) is its started_at,
 * kept when its spelling is.
 */
void
ls_qualify_call_pack(void *v, const struct call *c)
{
	unsigned char *b = v;
	uint64_t w = (uint64_t)c->at << 16 | (uint16_t)c->off;

	memcpy(b, &w, 8);
	memcpy(b + 8, &c->count, 4);
	memcpy(b + 12, &c->outcome, 2);
}

void
ls_qualify_call_unpack(const struct ls_qualifier *q, uint64_t k, const void *v, struct call *c)
{
	const unsigned char *b = v;
	const void *t;
	uint64_t w;

	memcpy(&w, b, 8);
	/* the top 48 bits, sign and all: shifted as unsigned, then the sign put back */
	c->at = (int64_t)(w >> 16);
	if (c->at >= (int64_t)1 << 47)
		c->at -= (int64_t)1 << 48;
	c->off = (int16_t)(uint16_t)(w & 0xffff);
	memcpy(&c->count, b + 8, 4);
	memcpy(&c->outcome, b + 12, 2);
	c->text = 0;
	if (c->off == OFF_TEXT && (t = ls_intmap_get(q->call_text, k)) != NULL)
		memcpy(&c->text, t, sizeof(c->text));
}

static int
merge_call(struct ls_qualifier *q, uint64_t k, const char *id, size_t idlen, uint32_t h,
    const struct call *nc, const char *ts, size_t tslen)
{
	int created, st;
	void *v = k != 0 ? ls_intmap_upsert(q->call_idx, k, &created, &st) :
	    ls_keyset_upsert_h(q->call_long, id, idlen, h, CALL_SIZE, &created, &st);
	struct call c = { 0 }, old = { 0 };

	if (v == NULL)
		return -1;
	if (k != 0)
		ls_qualify_call_unpack(q, k, v, &old);
	else
		memcpy(&old, v, CALL_SIZE);
	c = old;
	if (created || nc->at >= old.at) {
		c = *nc;
		c.count = created ? 0 : old.count;
		if (c.off == OFF_TEXT && keep_text(q, ts, tslen, created ? NULL : &old, &c) < 0)
			return -1;
	}
	c.count++;
	if (k == 0) {
		memcpy(v, &c, CALL_SIZE);
		return 0;
	}
	ls_qualify_call_pack(v, &c);
	if (c.off == OFF_TEXT && c.text != old.text) {
		void *t = ls_intmap_upsert(q->call_text, k, &created, &st);
		if (t == NULL)
			return -1;
		memcpy(t, &c.text, sizeof(c.text));
	}
	return 0;
}

static int
flush_calls(struct ls_qualifier *q, struct pending *p, size_t n)
{
	/* a packed id's slot holds its call: one load each; a long id's entry is behind its slot */
	for (size_t i = 0; i < n; i++)
		if (p[i].k != 0)
			ls_intmap_prefetch(q->call_idx, p[i].k);
		else
			ls_keyset_prefetch_h(q->call_long, p[i].h);
	for (size_t i = 0; i < n; i++)
		if (p[i].k == 0)
			ls_keyset_prefetch_value_h(q->call_long, p[i].h, p[i].idlen + CALL_SIZE);
	for (size_t i = 0; i < n; i++)
		if (merge_call(q, p[i].k, p[i].id, p[i].idlen, p[i].h, &p[i].c, p[i].ts, p[i].tslen) < 0)
			return -1;
	return 0;
}

static int load_calls(struct ls_qualifier *q, struct ls_reader *in, struct ls_error *err);

int
ls_qualifier_load_calls(struct ls_qualifier *q, struct ls_reader *in, struct ls_error *err)
{
	int rc = load_calls(q, in, err);

	/* the reader's thread may still be preparing calls with q: it ends here, whatever happened */
	ls_reader_stop(in);
	return rc;
}

static int
load_calls(struct ls_qualifier *q, struct ls_reader *in, struct ls_error *err)
{
	struct pending *batch;
	size_t nb = 0;
	struct ls_record rec;
	struct ls_tz *tz = NULL;
	int rc, prepared;

	q->cc_id = ls_reader_col(in, "lead_id");
	q->cc_at = ls_reader_col(in, "started_at");
	q->cc_out = ls_reader_col(in, "outcome");
	if (q->cc_id < 0 || q->cc_at < 0 || q->cc_out < 0)
		return ls_error_set(err, LS_ECONFIG, ls_reader_file(in), 0, 0,
		    "calls input has no column '%s' (needed by --calls)",
		    q->cc_id < 0 ? "lead_id" : q->cc_at < 0 ? "started_at" : "outcome");
	if ((tz = ls_tz_open(NULL, err)) == NULL)
		return err ? (int)err->status : LS_ECONFIG;
	/*
	 * Sized at once, not doubled as the calls come, when the leads are a
	 * file of known size (the leads reader attached already): there are no
	 * more leads called than calls, nor than leads.  The calls alone are
	 * no bound: a year of calls over a small base would reserve a table for
	 * every call where the base needs one for its leads.
	 */
	{
		size_t n = ls_reader_estimate(in), nl = q->leads ? ls_reader_estimate(q->leads) : 0;
		if (nl > 0 && n > 0 &&
		    ls_intmap_reserve(q->call_idx, ls_intmap_count(q->call_idx) + (nl < n ? nl : n)) != 0)
			goto oom_early;
	}
	/* when reading has begun, the calls are prepared here instead */
	prepared = ls_reader_prepare(in, call_prepare, NULL, NULL, q, 1) == 0;
	if ((batch = malloc(BATCH * sizeof(*batch))) == NULL)
		goto oom;
	while ((rc = ls_reader_next(in, &rec, err)) > 0) {
		const struct ls_str *id = &rec.fields[q->cc_id], *ts = &rec.fields[q->cc_at];
		const struct ls_str *out = &rec.fields[q->cc_out];
		struct call_facts cf;
		struct call c = { 0 };
		long oc;

		if (!prepared) {
			struct ls_str x;
			call_prepare(q, &rec, &x, err);
		}
		memcpy(&cf, prepared ? rec.fields[rec.nfields].p : (const char *)&q->prep->cf, sizeof(cf));
		if (id->n == 0)
			continue;
		/* an RFC 3339 time carries its offset; DD.MM.YYYY HH:MM is local time (TZ) */
		if (ls_time_parse(ts->p, ts->n, tz, 0, &c.at, NULL) != 0) {
			free(batch);
			ls_tz_free(tz);
			return ls_error_set(err, LS_EDATA, rec.file, rec.line, 0,
			    "started_at '%.*s' is not a time (expected 2026-11-26T14:03:00+03:00 "
			    "or 26.11.2026 14:03)", (int)(ts->n > 40 ? 40 : ts->n), ts->p);
		}
		if ((oc = intern_outcome(q, out)) < 0)
			goto oom;
		if (oc > UINT16_MAX) {
			free(batch);
			ls_tz_free(tz);
			return ls_error_set(err, LS_EDATA, rec.file, rec.line, 0,
			    "more than %d different outcomes: is '%.*s' really an outcome column?",
			    UINT16_MAX + 1, (int)(out->n > 40 ? 40 : out->n), out->p);
		}
		c.outcome = (uint16_t)oc;
		c.off = canonical_offset(ts->p, ts->n);
		if (id->n > ID_MAX) {
			/* a long id does not fit a batch slot: merge in order, now */
			if (flush_calls(q, batch, nb) < 0 ||
			    merge_call(q, 0, id->p, id->n, cf.id_h, &c, ts->p, ts->n) < 0)
				goto oom;
			nb = 0;
			continue;
		}
		batch[nb].c = c;
		batch[nb].k = cf.id_k;
		batch[nb].h = cf.id_h;
		batch[nb].idlen = id->n;
		if (cf.id_k == 0)
			memcpy(batch[nb].id, id->p, id->n);
		batch[nb].tslen = 0;
		if (c.off == OFF_TEXT) {
			batch[nb].tslen = ts->n > TEXT_MAX ? TEXT_MAX : ts->n;
			memcpy(batch[nb].ts, ts->p, batch[nb].tslen);
		}
		if (++nb == BATCH) {
			if (flush_calls(q, batch, nb) < 0)
				goto oom;
			nb = 0;
		}
	}
	if (rc == 0 && flush_calls(q, batch, nb) < 0)
		goto oom;
	/*
	 * Sized for as many leads called as there are leads (or calls), the
	 * index is often a fifth or more empty: moved now to a table its size,
	 * before the leads' tables fill, it costs no more at the peak.  When
	 * memory is too short for the move the index stays as it is: only its
	 * size is lost.
	 */
	if (rc == 0)
		(void)ls_intmap_fit(q->call_idx);
	free(batch);
	ls_tz_free(tz);
	return rc < 0 ? err->status : 0;
oom:
	free(batch);
oom_early:
	ls_tz_free(tz);
	return ls_error_set(err, LS_ENOMEM, NULL, 0, 0, "out of memory");
}
