/*
 * qualify.c - lead-qualify's logic: rules file, call index, de-duplication,
 * scoring and the status precedence of libsales-formats(5).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "date.h"
#include "email.h"
#include "expr.h"
#include "keyset.h"
#include "phone.h"
#include "columns.h"
#include "qualify.h"
#include "util.h"

#define SCORE_MAX	1000000

static const char *const status_names[LS_LEAD_NSTATUS] = {
	"invalid", "duplicate", "rejected", "qualified", "callback", "unqualified"
};

/* Fields lead-qualify gives to rules besides the record's own. */
enum { X_OUTCOME, X_COUNT, X_LAST, NEXTRA };
static const char *const extra_names[NEXTRA] = { "call_outcome", "call_count", "last_call_at" };

/* Spec column names that the rules file may rename. */
static const char *const spec_cols[] = {
	"lead_id", "company", "contact_name", "phone", "email", "region", "industry",
	"employees", "source", "created_at", NULL
};

struct rule {
	const char *name;
	size_t name_len;
	const char *src;		/* expression text, owned by the config */
	const char *file;
	long line, col;
	long score;
	int reject;
	struct ls_expr *expr;
};

struct ls_rules {
	struct ls_config *cfg;
	const struct ls_phone_plan *country;
	const struct ls_phone_plan **countries;
	size_t ncountries;
	const char *rename[sizeof(spec_cols) / sizeof(spec_cols[0])];
	long threshold;
	struct rule *rules;
	size_t nrules;
};

/*
 * The latest call of one lead, kept as the call index's value: beside its
 * key, so that a lead's lookup touches one place in memory.  started_at is
 * kept as the instant and its offset when printing them gives back the
 * text as written (nearly always); other spellings are kept as text.
 */
#define OFF_Z		INT16_MIN	/* written with "Z" */
#define OFF_TEXT	INT16_MAX	/* written otherwise: texts + text */
struct call {
	int64_t at;
	uint32_t count;
	uint32_t text;			/* OFF_TEXT: offset of the text in texts */
	uint16_t outcome;		/* index into the interned outcome names */
	int16_t off;			/* minutes east of UTC, or OFF_Z, OFF_TEXT */
};

/* What the calls reader works out for a call (call_prepare()). */
struct call_facts {
	uint32_t id_h;
};

/* A lead's phone and e-mail, normalised, and the e-mail's de-duplication key. */
struct contact {
	int pok, eok;
	char phone[LS_PHONE_MAX];
	size_t phone_len;
	char *email, *ekey;
	size_t email_len, ekey_len, email_cap, ekey_cap;
};

/*
 * What a lead's own fields and the call index decide, worked out by
 * prepare() where the lead is read: the reading thread when there is one.
 * It travels as the last prepared value.  The rest is done in
 * ls_qualify(), in input order: de-duplication needs the leads before.
 */
enum { P_PHONE, P_EMAIL, P_EKEY, P_FACTS, NPREP };
struct facts {
	uint32_t phone_h, ekey_h;	/* keyset hashes of the de-duplication keys */
	int called;
	struct call call;
};

#define HINT_LAG	8		/* see hint() */

/*
 * prepare()'s and call_prepare()'s scratch, touched by the reading thread
 * only; a block of its own, so that its writes do not keep taking cache
 * lines away from the main thread.
 */
struct prep {
	struct call_facts cf;
	struct contact ct;
	unsigned char facts[sizeof(struct facts)];
	uint32_t lag[HINT_LAG];		/* hint()'s last call index hashes */
	size_t lag_len[HINT_LAG];	/* and their ids' lengths, 0 for none */
	size_t nhints;
};

struct ls_qualifier {
	/* read by the reading threads too (prepare(), call_prepare()): set before they start */
	const struct ls_rules *rules;
	size_t ncols;
	long c_id, c_phone, c_email;
	long cc_id, cc_at, cc_out;	/* the calls input's columns */
	struct ls_phone_opts popts;
	struct ls_keyset *call_idx;	/* lead_id -> struct call; filled before the leads are read */
	struct prep *prep;
	/*
	 * What follows the main thread writes as it goes: kept off the cache
	 * lines above, which would otherwise travel between the cores.
	 */
	char pad_[64];

	struct rule *rules_c;		/* compiled copies (expressions bound to this header) */
	struct ls_keyset *phones, *emails;
	char *texts;			/* started_at values kept as written: a length byte, the text */
	size_t texts_len, texts_cap;
	struct ls_keyset *outcome_idx;
	struct ls_str *outcomes;
	size_t noutcomes, outcomes_cap, last_outcome;

	struct ls_reader *leads;	/* records come prepared by this reader: ls_qualifier_attach() */
	int attached;
	struct ls_str own[NPREP];	/* prepared values when they do not */
	struct contact known;		/* ls_qualifier_load_known()'s scratch */

	/* per-record scratch of ls_qualify() */
	struct ls_str *slots;
	char *reasons;
	size_t reasons_len, reasons_cap;
	char score_buf[32], count_buf[32], ts_buf[LS_TIME_BUFSZ];
};

const char *
ls_lead_status_name(enum ls_lead_status s)
{
	return (unsigned)s < LS_LEAD_NSTATUS ? status_names[s] : "?";
}

int
ls_lead_status_parse(const char *s, size_t n)
{
	for (int i = 0; i < LS_LEAD_NSTATUS; i++)
		if (strlen(status_names[i]) == n && memcmp(status_names[i], s, n) == 0)
			return i;
	return -1;
}

static int
load_countries(struct ls_rules *r, const struct ls_node *root, struct ls_error *err)
{
	const struct ls_config *c = r->cfg;
	const struct ls_node *n;
	const char *s;

	r->country = ls_phone_country("RU");
	if ((n = ls_node_get(root, "default_country")) != NULL) {
		if (ls_node_str(c, n, &s, err))
			return LS_ECONFIG;
		if ((r->country = ls_phone_country(s)) == NULL)
			return ls_node_error(c, n, err, "unknown country '%s' (an ISO 3166 alpha-2 code, such as RU)", s);
	}
	if ((n = ls_node_get(root, "countries")) != NULL) {
		if (ls_node_expect(c, n, LS_NODE_SEQ, err))
			return LS_ECONFIG;
		if ((r->countries = calloc(n->len + 1, sizeof(*r->countries))) == NULL)
			return ls_error_set(err, LS_ENOMEM, NULL, 0, 0, "out of memory");
		for (size_t i = 0; i < n->len; i++) {
			if (ls_node_str(c, n->items[i], &s, err))
				return LS_ECONFIG;
			if ((r->countries[i] = ls_phone_country(s)) == NULL)
				return ls_node_error(c, n->items[i], err,
				    "unknown country '%s' (an ISO 3166 alpha-2 code, such as RU)", s);
		}
		r->ncountries = n->len;
	}
	return 0;
}

static int
load_columns(struct ls_rules *r, const struct ls_node *root, struct ls_error *err)
{
	const struct ls_node *n = ls_node_get(root, "columns");

	if (n == NULL)
		return 0;
	if (ls_node_expect(r->cfg, n, LS_NODE_MAP, err) ||
	    ls_node_check_keys(r->cfg, n, spec_cols, err))
		return LS_ECONFIG;
	for (size_t i = 0; spec_cols[i]; i++) {
		const struct ls_node *v = ls_node_get(n, spec_cols[i]);
		if (v && ls_node_str(r->cfg, v, &r->rename[i], err))
			return LS_ECONFIG;
	}
	return 0;
}

static long
any_name(void *ctx, const char *name, size_t n)
{
	(void)ctx;
	(void)name;
	(void)n;
	return 0;
}

static int
load_rules(struct ls_rules *r, const struct ls_node *root, struct ls_error *err)
{
	static const char *const rule_keys[] = { "name", "if", "score", "status", NULL };
	const struct ls_config *c = r->cfg;
	const struct ls_node *n = ls_node_get(root, "rules");
	long long v;

	if ((n = ls_node_get(root, "threshold")) != NULL) {
		if (ls_node_int(c, n, &v, err))
			return LS_ECONFIG;
		r->threshold = (long)v;
	}
	if ((n = ls_node_get(root, "rules")) == NULL)
		return 0;
	if (ls_node_expect(c, n, LS_NODE_SEQ, err))
		return LS_ECONFIG;
	if ((r->rules = calloc(n->len ? n->len : 1, sizeof(*r->rules))) == NULL)
		return ls_error_set(err, LS_ENOMEM, NULL, 0, 0, "out of memory");
	r->nrules = n->len;
	for (size_t i = 0; i < n->len; i++) {
		const struct ls_node *m = n->items[i], *x;
		struct rule *ru = &r->rules[i];

		if (ls_node_expect(c, m, LS_NODE_MAP, err) || ls_node_check_keys(c, m, rule_keys, err))
			return LS_ECONFIG;
		if ((x = ls_node_get(m, "name")) == NULL)
			return ls_node_error(c, m, err, "rule has no name");
		if (ls_node_str(c, x, &ru->name, err))
			return LS_ECONFIG;
		ru->name_len = strlen(ru->name);
		if (ru->name[0] == '\0' || strpbrk(ru->name, ";=") != NULL)
			return ls_node_error(c, x, err, "rule name must be non-empty, without ';' or '='");
		for (size_t k = 0; k < i; k++)
			if (strcmp(r->rules[k].name, ru->name) == 0)
				return ls_node_error(c, x, err, "rule name '%s' is used twice", ru->name);
		if ((x = ls_node_get(m, "if")) == NULL)
			return ls_node_error(c, m, err, "rule '%s' has no 'if'", ru->name);
		if (ls_node_str(c, x, &ru->src, err))
			return LS_ECONFIG;
		ru->file = ls_config_file(c);
		ru->line = x->line;
		ru->col = x->col + (x->quoted ? 1 : 0);
		/* syntax now, names later against the input's header: a bad rule fails even on empty input */
		struct ls_expr *e = ls_expr_parse_at(ru->src, ru->file, ru->line, ru->col, any_name, NULL, err);
		if (e == NULL)
			return LS_ECONFIG;
		ls_expr_free(e);
		const struct ls_node *sc = ls_node_get(m, "score"), *st = ls_node_get(m, "status");
		if ((sc == NULL) == (st == NULL))
			return ls_node_error(c, m, err, "rule '%s' needs either 'score' or 'status: rejected'", ru->name);
		if (sc) {
			if (ls_node_int(c, sc, &v, err))
				return LS_ECONFIG;
			/* sums of many rules must stay far from overflow */
			if (v < -SCORE_MAX || v > SCORE_MAX)
				return ls_node_error(c, sc, err, "score out of range (%d..%d)", -SCORE_MAX, SCORE_MAX);
			ru->score = (long)v;
		} else {
			const char *s;
			if (ls_node_str(c, st, &s, err))
				return LS_ECONFIG;
			if (strcmp(s, "rejected") != 0)
				return ls_node_error(c, st, err, "a rule's status can only be 'rejected', not '%s'", s);
			ru->reject = 1;
		}
	}
	return 0;
}

struct ls_rules *
ls_rules_load(const char *path, struct ls_error *err)
{
	static const char *const keys[] = {
		"default_country", "countries", "columns", "threshold", "rules", NULL
	};
	struct ls_rules *r = calloc(1, sizeof(*r));
	const struct ls_node *root;

	if (r == NULL) {
		ls_error_set(err, LS_ENOMEM, NULL, 0, 0, "out of memory");
		return NULL;
	}
	if (path == NULL) {
		r->country = ls_phone_country("RU");
		return r;
	}
	if ((r->cfg = ls_config_load(path, err)) == NULL)
		goto fail;
	root = ls_config_root(r->cfg);
	if (ls_node_check_keys(r->cfg, root, keys, err) || load_countries(r, root, err) ||
	    load_columns(r, root, err) || load_rules(r, root, err))
		goto fail;
	return r;
fail:
	ls_rules_free(r);
	return NULL;
}

void
ls_rules_free(struct ls_rules *r)
{
	if (r == NULL)
		return;
	free(r->rules);
	free(r->countries);
	ls_config_free(r->cfg);
	free(r);
}

const char *
ls_rules_column(const struct ls_rules *r, const char *spec_name)
{
	for (size_t i = 0; spec_cols[i]; i++)
		if (strcmp(spec_cols[i], spec_name) == 0)
			return r->rename[i] ? r->rename[i] : spec_name;
	return spec_name;
}

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
	for (size_t k = 0; spec_cols[k]; k++) {
		if (c->rules->rename[k] && strlen(spec_cols[k]) == n && memcmp(spec_cols[k], name, n) == 0) {
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
	q->popts.default_country = rules->country;
	q->popts.countries = rules->countries;
	q->popts.ncountries = rules->ncountries;
	q->phones = ls_keyset_new();
	q->emails = ls_keyset_new();
	q->call_idx = ls_keyset_new();
	q->outcome_idx = ls_keyset_new();
	q->slots = calloc(ncols + NEXTRA, sizeof(*q->slots));
	q->rules_c = calloc(rules->nrules ? rules->nrules : 1, sizeof(*q->rules_c));
	if ((q->prep = aligned_alloc(64, (sizeof(*q->prep) + 63) & ~(size_t)63)) == NULL)
		goto oom;
	memset(q->prep, 0, sizeof(*q->prep));
	if (!q->phones || !q->emails || !q->call_idx || !q->outcome_idx || !q->slots || !q->rules_c)
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
	ls_keyset_free(q->phones);
	ls_keyset_free(q->emails);
	ls_keyset_free(q->call_idx);
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

/* started_at of c as it was written, in buf (LS_TIME_BUFSZ bytes) when made anew */
static struct ls_str
call_time(const struct ls_qualifier *q, const struct call *c, char *buf)
{
	if (c->off == OFF_TEXT) {
		const unsigned char *t = (const unsigned char *)q->texts + c->text;
		return (struct ls_str){ (const char *)t + 1, t[0] };
	}
	if (c->off == OFF_Z) {
		ls_time_format(NULL, c->at, buf, LS_TIME_BUFSZ);
		return (struct ls_str){ buf, 20 };
	}
	int a = abs(c->off);		/* under 100 hours: canonical_offset() read two digits */
	ls_time_format(NULL, c->at + c->off * 60, buf, LS_TIME_BUFSZ);
	buf[19] = c->off < 0 ? '-' : '+';
	buf[20] = (char)('0' + a / 600);
	buf[21] = (char)('0' + a / 60 % 10);
	buf[22] = ':';
	buf[23] = (char)('0' + a % 60 / 10);
	buf[24] = (char)('0' + a % 10);
	buf[25] = '\0';
	return (struct ls_str){ buf, 25 };
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
static int
merge_call(struct ls_qualifier *q, const char *id, size_t idlen, uint32_t h, const struct call *nc,
    const char *ts, size_t tslen)
{
	int created, st;
	void *v = ls_keyset_upsert_h(q->call_idx, id, idlen, h, sizeof(struct call), &created, &st);
	struct call c, old;

	if (v == NULL)
		return -1;
	memcpy(&old, v, sizeof(old));
	c = old;
	if (created || nc->at >= old.at) {
		c = *nc;
		c.count = created ? 0 : old.count;
		if (c.off == OFF_TEXT && keep_text(q, ts, tslen, created ? NULL : &old, &c) < 0)
			return -1;
	}
	c.count++;
	memcpy(v, &c, sizeof(c));
	return 0;
}

static int
flush_calls(struct ls_qualifier *q, struct pending *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		ls_keyset_prefetch_h(q->call_idx, p[i].h);
	for (size_t i = 0; i < n; i++)
		ls_keyset_prefetch_value_h(q->call_idx, p[i].h, p[i].idlen + sizeof(struct call));
	for (size_t i = 0; i < n; i++)
		if (merge_call(q, p[i].id, p[i].idlen, p[i].h, &p[i].c, p[i].ts, p[i].tslen) < 0)
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
		    ls_keyset_reserve(q->call_idx, ls_keyset_count(q->call_idx) + (nl < n ? nl : n)) != 0)
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
			    merge_call(q, id->p, id->n, cf.id_h, &c, ts->p, ts->n) < 0)
				goto oom;
			nb = 0;
			continue;
		}
		batch[nb].c = c;
		batch[nb].h = cf.id_h;
		batch[nb].idlen = id->n;
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
	free(batch);
	ls_tz_free(tz);
	return rc < 0 ? err->status : 0;
oom:
	free(batch);
oom_early:
	ls_tz_free(tz);
	return ls_error_set(err, LS_ENOMEM, NULL, 0, 0, "out of memory");
}

/* Normalise a phone and an e-mail into c; -1 when memory is short. */
static int
contacts(const struct ls_phone_opts *po, struct contact *c, const struct ls_str *ph,
    const struct ls_str *em)
{
	c->pok = ph->n > 0 && ls_phone_normalize(ph->p, ph->n, po, c->phone, sizeof(c->phone)) == 0;
	c->phone_len = c->pok ? strlen(c->phone) : 0;
	c->eok = 0;
	c->email_len = c->ekey_len = 0;
	if (em->n == 0)
		return 0;
	if (ls_grow(&c->email, &c->email_cap, em->n + 1, 1) < 0 ||
	    ls_grow(&c->ekey, &c->ekey_cap, em->n + 1, 1) < 0)
		return -1;
	if (ls_email_normalize(em->p, em->n, c->email, c->email_cap) == 0) {
		c->email_len = strlen(c->email);
		if (ls_email_dedup_key(c->email, c->email_len, c->ekey, c->ekey_cap, &c->ekey_len) != 0)
			return -1;
		c->eok = 1;
	}
	return 0;
}

int
ls_qualifier_load_known(struct ls_qualifier *q, struct ls_reader *in, struct ls_error *err)
{
	const char *pn = ls_rules_column(q->rules, "phone"), *en = ls_rules_column(q->rules, "email");
	long c_ph = ls_reader_col(in, pn), c_em = ls_reader_col(in, en);
	long c_id = ls_reader_col(in, ls_rules_column(q->rules, "lead_id"));
	struct contact *c = &q->known;
	struct ls_record rec;
	int rc;

	if (c_id < 0)
		c_id = ls_reader_col(in, "client_id");
	if (c_id < 0)
		c_id = 0;
	if (c_ph < 0 && c_em < 0)
		return ls_error_set(err, LS_ECONFIG, ls_reader_file(in), 0, 0,
		    "known input has neither a '%s' nor an '%s' column (needed by --against)", pn, en);
	while ((rc = ls_reader_next(in, &rec, err)) > 0) {
		static const struct ls_str none = { "", 0 };
		const struct ls_str *id = &rec.fields[c_id];

		if (contacts(&q->popts, c, c_ph >= 0 ? &rec.fields[c_ph] : &none,
		    c_em >= 0 ? &rec.fields[c_em] : &none) < 0)
			goto oom;
		if (c->pok && ls_keyset_put(q->phones, c->phone, c->phone_len, id->p, id->n, NULL))
			goto oom;
		if (c->eok && ls_keyset_put(q->emails, c->ekey, c->ekey_len, id->p, id->n, NULL))
			goto oom;
	}
	return rc < 0 ? err->status : 0;
oom:
	return ls_error_set(err, LS_ENOMEM, NULL, 0, 0, "out of memory");
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
	const char *v;

	if (contacts(&q->popts, c, &f[q->c_phone], &f[q->c_email]) < 0)
		return ls_error_set(err, LS_ENOMEM, NULL, 0, 0, "out of memory"), -1;
	x[P_PHONE] = (struct ls_str){ c->phone, c->phone_len };
	x[P_EMAIL] = (struct ls_str){ c->eok ? c->email : "", c->email_len };
	x[P_EKEY] = (struct ls_str){ c->eok ? c->ekey : "", c->ekey_len };
	if (c->pok)
		fa.phone_h = ls_keyset_hash(c->phone, c->phone_len);
	if (c->eok)
		fa.ekey_h = ls_keyset_hash(c->ekey, c->ekey_len);

	if (id->n && (v = ls_keyset_get(q->call_idx, id->p, id->n)) != NULL) {
		memcpy(&fa.call, v, sizeof(fa.call));
		fa.called = 1;
	}
	memcpy(p->facts, &fa, sizeof(fa));
	x[P_FACTS] = (struct ls_str){ (const char *)p->facts, sizeof(fa) };
	return 0;
}

/*
 * The call index misses the cache in big bases: prepare() will look this
 * lead up soon.  Its slot is loaded now, and the entry of the lead hinted
 * HINT_LAG calls ago, whose slot should have arrived by now.
 */
static void
hint(void *ctx, const struct ls_record *rec)
{
	struct ls_qualifier *q = ctx;
	struct prep *p = q->prep;
	const struct ls_str *id = &rec->fields[q->c_id];
	uint32_t h = id->n > 0 ? ls_keyset_hash(id->p, id->n) : 0;
	size_t at = p->nhints++ % HINT_LAG;

	if (id->n > 0)
		ls_keyset_prefetch_h(q->call_idx, h);
	if (p->lag_len[at])
		ls_keyset_prefetch_value_h(q->call_idx, p->lag[at], p->lag_len[at] + sizeof(struct call));
	p->lag[at] = h;
	p->lag_len[at] = id->n;
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
	if (ls_keyset_reserve(q->phones, ls_keyset_count(q->phones) + n) != 0 ||
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
	const char *dup, *ph_owner = NULL, *em_owner = NULL;
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
			if (ax[P_PHONE].n > 0)
				ls_keyset_prefetch_h(q->phones, af.phone_h);
			if (ax[P_EMAIL].n > 0)
				ls_keyset_prefetch_h(q->emails, af.ekey_h);
		}
		/* in cache already unless this lead is among the first of a batch */
		if (pok)
			ls_keyset_prefetch_h(q->phones, fa.phone_h);
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
		ph_owner = ls_keyset_get_h(q->phones, x[P_PHONE].p, x[P_PHONE].n, fa.phone_h);
	if (eok)
		em_owner = ls_keyset_get_h(q->emails, x[P_EKEY].p, x[P_EKEY].n, fa.ekey_h);
	dup = ph_owner ? ph_owner : em_owner;
	{
		const struct ls_str *id = &f[q->c_id];
		const char *owner = dup ? dup : id->p;
		size_t olen = dup ? strlen(dup) : id->n;
		if (pok && !ph_owner && ls_keyset_put_h(q->phones, x[P_PHONE].p, x[P_PHONE].n,
		    fa.phone_h, owner, olen, NULL))
			goto oom;
		if (eok && !em_owner && ls_keyset_put_h(q->emails, x[P_EKEY].p, x[P_EKEY].n,
		    fa.ekey_h, owner, olen, NULL))
			goto oom;
	}
	if (dup && add_reason(q, "duplicate_of=", 13, dup, strlen(dup)) < 0)
		goto oom;

	/* the rules see valid contacts normalised, and call_count 0 for a lead never called */
	if (fa.called) {
		sl[q->ncols + X_OUTCOME] = q->outcomes[fa.call.outcome];
		sl[q->ncols + X_COUNT] = fmt_long(q->count_buf, fa.call.count);
		sl[q->ncols + X_LAST] = call_time(q, &fa.call, q->ts_buf);
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
	out->call_outcome = sl[q->ncols + X_OUTCOME];
	out->call_count = sl[q->ncols + X_COUNT];
	out->last_call_at = sl[q->ncols + X_LAST];

	/* the status: the first that applies */
	const struct ls_str *oc = &out->call_outcome;
	if (!pok && !eok)
		out->status = LS_LEAD_INVALID;
	else if (dup)
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
		*bytes = ls_keyset_memory(q->phones) + ls_keyset_memory(q->emails) +
		    ls_keyset_memory(q->call_idx);
	return ls_keyset_count(q->phones) + ls_keyset_count(q->emails);
}
