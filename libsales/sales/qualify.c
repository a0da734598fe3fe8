/*
 * qualify.c - the qualifier: the rules compiled against the leads' header,
 * the de-duplication tables, the part of qualifying done where a lead is
 * read (prepare(), on the reading thread when there is one), and the
 * scoring and status precedence of libsales-formats(5) (ls_qualify()).
 * The rules file is read in qualify_rules.c, the calls in qualify_calls.c,
 * the known contacts in qualify_known.c; qualify_int.h holds what they share.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "columns.h"
#include "qualify_int.h"
#include "util.h"

static const char *const extra_names[NEXTRA] = { "call_outcome", "call_count", "last_call_at" };

struct resolve_ctx {
	const struct ls_rules *rules;
	const struct ls_str *hdr;
	size_t ncols;
};

/* Input columns first, then renamed spec names, then lead-qualify's own fields. */
static long
resolve(void *vctx, const char *name, size_t n)
{
	struct resolve_ctx *c = vctx;
	long i = ls_header_find(c->hdr, c->ncols, name, n);

	if (i >= 0)
		return i;
	for (size_t k = 0; ls_qualify_spec_cols[k]; k++) {
		if (c->rules->rename[k] && strlen(ls_qualify_spec_cols[k]) == n && memcmp(ls_qualify_spec_cols[k], name, n) == 0) {
			const char *to = c->rules->rename[k];
			return ls_header_find(c->hdr, c->ncols, to, strlen(to));
		}
	}
	for (size_t k = 0; k < NEXTRA; k++)
		if (strlen(extra_names[k]) == n && memcmp(extra_names[k], name, n) == 0)
			return (long)(c->ncols + k);
	return -1;
}

static int
need_col(const struct ls_qualifier *q, const struct ls_str *hdr, const char *spec, long *out,
    struct ls_error *err)
{
	const char *name = ls_rules_column(q->rules, spec);
	char why[200];

	if (strcmp(name, spec) != 0)
		snprintf(why, sizeof(why), "columns: {%s: %s}", spec, name);
	else
		snprintf(why, sizeof(why), "lead-qualify; rename one with columns: {%s: NAME} in the rules", spec);
	return ls_col_need(hdr, q->ncols, name, why, out, err);
}

struct ls_qualifier *
ls_qualifier_new(const struct ls_rules *rules, const struct ls_str *hdr, size_t ncols,
    struct ls_error *err)
{
	struct ls_qualifier *q = calloc(1, sizeof(*q));
	struct resolve_ctx rc = { rules, hdr, ncols };

	if (q == NULL)
		goto oom;
	q->rules = rules;
	q->ncols = ncols;
	if (need_col(q, hdr, "lead_id", &q->c_id, err) || need_col(q, hdr, "phone", &q->c_phone, err) ||
	    need_col(q, hdr, "email", &q->c_email, err))
		goto fail;
	q->c_note = ls_header_find(hdr, ncols, "phone_note", 10);
	q->popts.default_country = rules->country;
	q->popts.countries = rules->countries;
	q->popts.ncountries = rules->ncountries;
	if ((q->phones = ls_intmap_create(sizeof(uint32_t), err)) == NULL ||
	    (q->phones_long = ls_keyset_create(err)) == NULL || (q->emails = ls_keyset_create(err)) == NULL ||
	    (q->call_idx = ls_intmap_create(PACKED_CALL, err)) == NULL ||
	    (q->call_text = ls_intmap_create(sizeof(uint32_t), err)) == NULL ||
	    (q->call_long = ls_keyset_create(err)) == NULL || (q->outcome_idx = ls_keyset_create(err)) == NULL)
		goto fail;
	q->slots = calloc(ncols + NEXTRA, sizeof(*q->slots));
	q->rules_c = calloc(rules->nrules ? rules->nrules : 1, sizeof(*q->rules_c));
	if ((q->prep = aligned_alloc(64, (sizeof(*q->prep) + 63) & ~(size_t)63)) == NULL)
		goto oom;
	memset(q->prep, 0, sizeof(*q->prep));
	if (!q->slots || !q->rules_c)
		goto oom;
	for (size_t i = 0; i < rules->nrules; i++) {
		struct rule *ru = &q->rules_c[i];
		*ru = rules->rules[i];
		ru->expr = ls_expr_parse_at(ru->src, ru->file, ru->line, ru->col, resolve, &rc, err);
		if (ru->expr == NULL)
			goto fail;
	}
	return q;
oom:
	ls_error_set(err, LS_ENOMEM, NULL, 0, 0, "out of memory");
fail:
	ls_qualifier_free(q);
	return NULL;
}

void
ls_qualifier_free(struct ls_qualifier *q)
{
	if (q == NULL)
		return;
	/* join the leads reader's thread before what its hooks touch goes (detach() clears q->leads) */
	if (q->leads != NULL)
		ls_reader_stop(q->leads);
	if (q->rules_c)
		for (size_t i = 0; i < q->rules->nrules; i++)
			ls_expr_free(q->rules_c[i].expr);
	free(q->rules_c);
	ls_intmap_free(q->phones);
	ls_keyset_free(q->phones_long);
	ls_keyset_free(q->emails);
	free(q->ids);
	ls_intmap_free(q->call_idx);
	ls_intmap_free(q->call_text);
	ls_keyset_free(q->call_long);
	for (size_t i = 0; i < q->noutcomes; i++)
		free((char *)q->outcomes[i].p);
	free(q->outcomes);
	ls_keyset_free(q->outcome_idx);
	free(q->texts);
	free(q->slots);
	if (q->prep) {
		free(q->prep->ct.email);
		free(q->prep->ct.ekey);
		free(q->prep);
	}
	free(q->known.email);
	free(q->known.ekey);
	free(q->reasons);
	free(q);
}

/* Decimal text of v in buf (32 bytes); snprintf per row shows in profiles. */
static struct ls_str
fmt_long(char *buf, long v)
{
	char tmp[24], *p = tmp + sizeof(tmp);
	unsigned long u = v < 0 ? 0UL - (unsigned long)v : (unsigned long)v;
	size_t n;

	do
		*--p = (char)('0' + u % 10);
	while ((u /= 10) != 0);
	if (v < 0)
		*--p = '-';
	n = (size_t)(tmp + sizeof(tmp) - p);
	memcpy(buf, p, n);
	buf[n] = '\0';
	return (struct ls_str){ buf, n };
}

static int
add_reason(struct ls_qualifier *q, const char *s, size_t n, const char *s2, size_t n2)
{
	if (ls_grow(&q->reasons, &q->reasons_cap, q->reasons_len + n + n2 + 2, 1) < 0)
		return -1;
	if (q->reasons_len > 0)
		q->reasons[q->reasons_len++] = ';';
	memcpy(q->reasons + q->reasons_len, s, n);
	q->reasons_len += n;
	if (n2) {
		memcpy(q->reasons + q->reasons_len, s2, n2);
		q->reasons_len += n2;
	}
	q->reasons[q->reasons_len] = '\0';
	return 0;
}

/*
 * The part of qualifying that depends on one lead alone and costs most:
 * contacts and the latest call.  It may run on the reading thread, so it
 * reads only what is fixed before the leads are read (call index, outcome
 * names) and writes only q->prep.  The rules, though they depend on one
 * lead alone too, are left to ls_qualify(): that evens out the two threads
 * (measured with bench/rules.yaml).
 */
static int
prepare(void *ctx, const struct ls_record *rec, struct ls_str *x, struct ls_error *err)
{
	struct ls_qualifier *q = ctx;
	struct prep *p = q->prep;
	struct contact *c = &p->ct;
	const struct ls_str *f = rec->fields, *id = &f[q->c_id];
	struct facts fa = { 0 };
	const void *v = NULL;
	uint64_t k;

	if (ls_qualify_contacts(&q->popts, c, &f[q->c_phone], &f[q->c_email]) < 0)
		return ls_error_set(err, LS_ENOMEM, NULL, 0, 0, "out of memory"), -1;
	x[P_PHONE] = (struct ls_str){ c->phone, c->phone_len };
	x[P_EMAIL] = (struct ls_str){ c->eok ? c->email : "", c->email_len };
	x[P_EKEY] = (struct ls_str){ c->eok ? c->ekey : "", c->ekey_len };
	x[P_NOTE] = (struct ls_str){ c->note, c->note_len };
	if (c->pok && !ls_qualify_phone_key(c->phone, c->phone_len, &fa.phone_k))
		fa.phone_h = ls_keyset_hash(c->phone, c->phone_len);
	if (c->eok)
		fa.ekey_h = ls_keyset_hash(c->ekey, c->ekey_len);

	if (ls_qualify_id_key(id->p, id->n, &k)) {
		if ((v = ls_intmap_get(q->call_idx, k)) != NULL)
			ls_qualify_call_unpack(q, k, v, &fa.call);
	} else if (id->n > 0 && (v = ls_keyset_get(q->call_long, id->p, id->n)) != NULL) {
		memcpy(&fa.call, v, CALL_SIZE);
	}
	fa.called = v != NULL;
	memcpy(p->facts, &fa, sizeof(fa));
	x[P_FACTS] = (struct ls_str){ (const char *)p->facts, sizeof(fa) };
	return 0;
}

/*
 * The call index misses the cache in big bases: prepare() will look this
 * lead up soon.  A packed id's slot holds its call and is loaded now.  A
 * long id's slot is loaded now, and the entry of the long id hinted
 * HINT_LAG calls ago, whose slot should have arrived by now.
 */
static void
hint(void *ctx, const struct ls_record *rec)
{
	struct ls_qualifier *q = ctx;
	struct prep *p = q->prep;
	const struct ls_str *id = &rec->fields[q->c_id];
	size_t at = p->nhints++ % HINT_LAG;
	uint64_t k;
	uint32_t h = 0;

	if (ls_qualify_id_key(id->p, id->n, &k))
		ls_intmap_prefetch(q->call_idx, k);
	else if (id->n > 0)
		ls_keyset_prefetch_h(q->call_long, h = ls_keyset_hash(id->p, id->n));
	if (p->lag_len[at])
		ls_keyset_prefetch_value_h(q->call_long, p->lag[at], p->lag_len[at] + CALL_SIZE);
	p->lag[at] = h;
	p->lag_len[at] = h != 0 ? id->n : 0;
}

/* The leads reader let go of q (stopped or freed): ls_qualify() does all the work itself from now on. */
static void
detach(void *ctx)
{
	struct ls_qualifier *q = ctx;

	q->attached = 0;
	q->leads = NULL;
}

int
ls_qualifier_attach(struct ls_qualifier *q, struct ls_reader *leads)
{
	size_t n = ls_reader_estimate(leads);
	int rc;

	/* one table each from the start: growing one at 3/4 of a million keys stalls a run */
	if (ls_intmap_reserve(q->phones, ls_intmap_count(q->phones) + n) != 0 ||
	    ls_keyset_reserve(q->emails, ls_keyset_count(q->emails) + n) != 0)
		return LS_ENOMEM;
	rc = ls_reader_prepare(leads, prepare, hint, detach, q, NPREP);

	if (rc == 0) {
		q->attached = 1;
		q->leads = leads;
	}
	return rc;
}

#define DEDUP_AHEAD	24

int
ls_qualify(struct ls_qualifier *q, const struct ls_record *rec, struct ls_lead *out,
    struct ls_error *err)
{
	const struct ls_str *f = rec->fields, *x;
	const struct ls_str *ph = &f[q->c_phone], *em = &f[q->c_email];
	uint32_t ph_ref = 0, em_ref = 0, ref;
	int ph_dup = 0, em_dup = 0;
	struct ls_str dup = { NULL, 0 };
	struct ls_str *sl = q->slots;
	struct facts fa;
	int pok, eok, rejected = 0;
	long score = 0;

	if (q->attached)
		x = f + rec->nfields;
	else if (prepare(q, rec, q->own, err) == 0)
		x = q->own;
	else
		return err->status;
	memcpy(&fa, x[P_FACTS].p, sizeof(fa));
	pok = x[P_PHONE].n > 0;
	eok = x[P_EMAIL].n > 0;

	/* the de-duplication tables miss the cache in big bases: load a later lead's slots now */
	{
		struct ls_record ahead;
		struct facts af;
		const struct ls_str *ax;
		if (q->attached && ls_reader_peek(q->leads, DEDUP_AHEAD, &ahead)) {
			ax = ahead.fields + ahead.nfields;
			memcpy(&af, ax[P_FACTS].p, sizeof(af));
			if (af.phone_k != 0)
				ls_intmap_prefetch(q->phones, af.phone_k);
			else if (ax[P_PHONE].n > 0)
				ls_keyset_prefetch_h(q->phones_long, af.phone_h);
			if (ax[P_EMAIL].n > 0)
				ls_keyset_prefetch_h(q->emails, af.ekey_h);
		}
		/* in cache already unless this lead is among the first of a batch */
		if (fa.phone_k != 0)
			ls_intmap_prefetch(q->phones, fa.phone_k);
		else if (pok)
			ls_keyset_prefetch_h(q->phones_long, fa.phone_h);
		if (eok)
			ls_keyset_prefetch_h(q->emails, fa.ekey_h);
	}

	q->reasons_len = 0;
	if (q->reasons)
		q->reasons[0] = '\0';
	if (ph->n == 0 && em->n == 0 && add_reason(q, "no_contact", 10, NULL, 0) < 0)
		goto oom;
	if (!pok && ph->n > 0 && add_reason(q, "bad_phone", 9, NULL, 0) < 0)
		goto oom;
	if (!eok && em->n > 0 && add_reason(q, "bad_email", 9, NULL, 0) < 0)
		goto oom;

	/* a valid contact replaces the original in the output, an invalid one stays */
	memcpy(q->slots, f, q->ncols * sizeof(*f));
	if (pok)
		q->slots[q->c_phone] = x[P_PHONE];
	if (eok)
		q->slots[q->c_email] = x[P_EMAIL];

	/*
	 * De-duplication.  Both keys are looked up before either is stored,
	 * so that a duplicate's new keys point at the lead it repeats, whichever
	 * key matched: a third lead sharing them is then a duplicate of the first.
	 */
	if (pok)
		ph_dup = ls_qualify_phone_owner(q, &x[P_PHONE], &fa, &ph_ref);
	if (eok)
		em_dup = ls_qualify_email_owner(q, &x[P_EKEY], fa.ekey_h, &em_ref);
	if ((pok && !ph_dup) || (eok && !em_dup)) {
		/* a new key points at the lead it repeats, or at this lead, whose id is kept once for both */
		const struct ls_str *id = &f[q->c_id];
		if (ph_dup || em_dup)
			ref = ph_dup ? ph_ref : em_ref;
		else if (ls_qualify_keep_id(q, id->p, id->n, &ref) < 0)
			goto oom;
		if (pok && !ph_dup && ls_qualify_phone_put(q, &x[P_PHONE], &fa, ref) < 0)
			goto oom;
		if (eok && !em_dup && ls_qualify_email_put(q, &x[P_EKEY], fa.ekey_h, ref) < 0)
			goto oom;
	}
	if (ph_dup || em_dup) {
		dup = ls_qualify_id_at(q, ph_dup ? ph_ref : em_ref);
		if (add_reason(q, "duplicate_of=", 13, dup.p, dup.n) < 0)
			goto oom;
	}

	/* the rules see valid contacts normalised, and call_count 0 for a lead never called */
	if (fa.called) {
		sl[q->ncols + X_OUTCOME] = q->outcomes[fa.call.outcome];
		sl[q->ncols + X_COUNT] = fmt_long(q->count_buf, fa.call.count);
		sl[q->ncols + X_LAST] = ls_qualify_call_time(q, &fa.call, q->ts_buf);
	} else {
		sl[q->ncols + X_OUTCOME] = (struct ls_str){ "", 0 };
		sl[q->ncols + X_COUNT] = (struct ls_str){ "0", 1 };
		sl[q->ncols + X_LAST] = (struct ls_str){ "", 0 };
	}
	for (size_t i = 0; i < q->rules->nrules; i++) {
		const struct rule *ru = &q->rules_c[i];
		if (!ls_expr_eval(ru->expr, sl, q->ncols + NEXTRA))
			continue;
		if (ru->reject)
			rejected = 1;
		else
			score += ru->score;
		if (add_reason(q, ru->name, ru->name_len, NULL, 0) < 0)
			goto oom;
	}
	/*
	 * The words around this run's number; a phone already in E.164 form
	 * has none, and then a re-run keeps the note the first run wrote.
	 */
	if (x[P_NOTE].n > 0 || q->c_note < 0)
		out->phone_note = x[P_NOTE];
	else
		out->phone_note = f[q->c_note];
	out->call_outcome = sl[q->ncols + X_OUTCOME];
	out->call_count = sl[q->ncols + X_COUNT];
	out->last_call_at = sl[q->ncols + X_LAST];

	/* the status: the first that applies */
	const struct ls_str *oc = &out->call_outcome;
	if (!pok && !eok)
		out->status = LS_LEAD_INVALID;
	else if (ph_dup || em_dup)
		out->status = LS_LEAD_DUPLICATE;
	else if (rejected)
		out->status = LS_LEAD_REJECTED;
	else if (score >= q->rules->threshold)
		out->status = LS_LEAD_QUALIFIED;
	else if ((oc->n == 8 && memcmp(oc->p, "callback", 8) == 0) ||
	    (oc->n == 9 && memcmp(oc->p, "no_answer", 9) == 0))
		out->status = LS_LEAD_CALLBACK;
	else
		out->status = LS_LEAD_UNQUALIFIED;

	out->score = score;
	out->score_text = fmt_long(q->score_buf, score);
	out->reasons = (struct ls_str){ q->reasons ? q->reasons : "", q->reasons_len };
	out->fields = q->slots;
	out->nfields = q->ncols;
	return 0;
oom:
	return ls_error_set(err, LS_ENOMEM, NULL, 0, 0, "out of memory");
}

size_t
ls_qualifier_keys(const struct ls_qualifier *q, size_t *bytes)
{
	if (bytes)
		*bytes = ls_intmap_memory(q->phones) + ls_keyset_memory(q->phones_long) +
		    ls_keyset_memory(q->emails) + q->ids_cap + ls_intmap_memory(q->call_idx) +
		    ls_intmap_memory(q->call_text) +
		    ls_keyset_memory(q->call_long);
	return ls_intmap_count(q->phones) + ls_keyset_count(q->phones_long) + ls_keyset_count(q->emails);
}
