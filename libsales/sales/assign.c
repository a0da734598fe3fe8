/*
 * assign.c - the assigner of lead-assign(1): eligibility, the three
 * strategies, sticky owners and the leads already dealt.  The team file is
 * read by assign_team.c, the state kept by assign_state.c.  See assign.h.
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "assign_int.h"
#include "clock.h"
#include "columns.h"
#include "util.h"

#define DEALT_AHEAD	24		/* records: how far ahead the set of leads dealt is prefetched */

/* ---- the assigner: ids, owners ---- */

long
ls_assign_id_index(const struct ls_assigner *a, const char *id, size_t n)
{
	for (size_t i = 0; i < a->nids; i++)
		if (strlen(a->ids[i]) == n && memcmp(a->ids[i], id, n) == 0)
			return (long)i;
	return -1;
}

/* The index of id, added (with zero counts) when new; -1 when memory is short. */
long
ls_assign_id_add(struct ls_assigner *a, const char *id, size_t n)
{
	long i = ls_assign_id_index(a, id, n);

	if (i >= 0)
		return i;
	if (a->nids == a->capids) {
		size_t cap = a->capids ? 2 * a->capids : 16;
		char **ids = realloc(a->ids, cap * sizeof(*ids));
		long long *l, *s, *c;

		if (ids == NULL)
			return -1;
		a->ids = ids;
		if ((l = realloc(a->load, cap * sizeof(*l))) == NULL)
			return -1;
		a->load = l;
		if ((s = realloc(a->assigned, cap * sizeof(*s))) == NULL)
			return -1;
		a->assigned = s;
		if ((c = realloc(a->cur, cap * sizeof(*c))) == NULL)
			return -1;
		a->cur = c;
		a->capids = cap;
	}
	if ((a->ids[a->nids] = strndup(id, n)) == NULL)
		return -1;
	a->load[a->nids] = a->assigned[a->nids] = a->cur[a->nids] = 0;
	return (long)a->nids++;
}

/*
 * The sticky value as compared and stored: «Ромашка», "РОМАШКА" and
 * „ромашка“ with stray spaces are one company.  Lower case for ASCII and
 * Cyrillic (the alphabets of the exports seen), runs of white space (and
 * no-break spaces) as one space, none at the ends, every quote character
 * as '"'.  The result is never longer than the value.  Returns 0 with
 * *out in a->keybuf (valid until the next call), 1 for a value not kept
 * (empty, or over STICKY_MAX), or LS_ENOMEM.
 */
static size_t
normalise_sticky(unsigned char *out, const unsigned char *p, size_t n)
{
	const unsigned char *e = p + n;
	unsigned char *o = out;
	int space = 0;

	while (p < e) {
		unsigned c = *p, w = 1, q = 0;
		unsigned char b1 = p + 1 < e ? p[1] : 0, b2 = p + 2 < e ? p[2] : 0;

		if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || (c == 0xc2 && b1 == 0xa0)) {
			space = o != out;
			p += c == 0xc2 ? 2 : 1;
			continue;
		}
		if (space)
			*o++ = ' ';
		space = 0;
		if (c == '"' || c == '\'')
			q = 1;
		else if (c == 0xc2 && (b1 == 0xab || b1 == 0xbb))
			q = 1, w = 2;
		else if (c == 0xe2 && b1 == 0x80 && (b2 == 0x9e || b2 == 0x9c || b2 == 0x9d ||
		    b2 == 0x98 || b2 == 0x99))
			q = 1, w = 3;
		if (q) {
			*o++ = '"';
			p += w;
			continue;
		}
		if (c >= 'A' && c <= 'Z') {
			*o++ = (unsigned char)(c + 32);
		} else if (c == 0xd0 && b1 >= 0x90 && b1 <= 0x9f) {		/* А..П */
			*o++ = 0xd0, *o++ = (unsigned char)(b1 + 0x20), p++;
		} else if (c == 0xd0 && b1 >= 0xa0 && b1 <= 0xaf) {		/* Р..Я */
			*o++ = 0xd1, *o++ = (unsigned char)(b1 - 0x20), p++;
		} else if (c == 0xd0 && b1 == 0x81) {				/* Ё */
			*o++ = 0xd1, *o++ = 0x91, p++;
		} else
			*o++ = (unsigned char)c;
		p++;
	}
	return (size_t)(o - out);
}

int
ls_assign_sticky_key(struct ls_assigner *a, struct ls_str v, struct ls_str *out)
{
	if (v.n == 0 || v.n > STICKY_MAX)
		return 1;
	if (a->keycap < v.n + 1) {
		char *nb = realloc(a->keybuf, v.n + 1);
		if (nb == NULL)
			return LS_ENOMEM;
		a->keybuf = nb;
		a->keycap = v.n + 1;
	}
	out->p = a->keybuf;
	out->n = normalise_sticky((unsigned char *)a->keybuf, (const unsigned char *)v.p, v.n);
	return out->n == 0;
}

/* The ids index of the owner of the normalised value p[0..n), or -1. */
static long
owner_of(const struct ls_assigner *a, const char *p, size_t n)
{
	const char *v = ls_keyset_get(a->owners, p, n);
	uint32_t w;

	if (v == NULL)
		return -1;
	memcpy(&w, v, sizeof(w));
	return (long)w;
}

int
ls_assign_owner_set(struct ls_assigner *a, const char *p, size_t n, size_t who)
{
	uint32_t w = (uint32_t)who;
	int created, status;
	void *v = ls_keyset_upsert(a->owners, p, n, sizeof(w), &created, &status);

	if (v == NULL)
		return status;
	memcpy(v, &w, sizeof(w));
	return 0;
}

/* ls_assign_remember() for an id whose ls_keyset_hash() is known: h */
static int
remember_h(struct ls_assigner *a, struct ls_str id, uint32_t h, long who, int64_t at)
{
	uint32_t w = (uint32_t)who;
	int created, status;
	char *v = ls_keyset_upsert_h(a->dealt, id.p, id.n, h, DEALT_SIZE, &created, &status);

	if (v == NULL)
		return status;
	memcpy(v, &w, sizeof(w));
	memcpy(v + sizeof(w), &at, sizeof(at));
	return 0;
}

int
ls_assign_remember(struct ls_assigner *a, struct ls_str id, long who, int64_t at)
{
	return remember_h(a, id, ls_keyset_hash(id.p, id.n), who, at);
}

void
ls_assign_dealt_get(const void *v, struct dealt_val *out)
{
	memcpy(&out->who, v, sizeof(out->who));
	memcpy(&out->at, (const char *)v + sizeof(out->who), sizeof(out->at));
}

/* A keyset cannot be emptied: a fresh one replaces it (NULL when out of memory, checked by the callers' next use). */
static void
renew(struct ls_keyset **k)
{
	if (*k && ls_keyset_count(*k) > 0) {
		ls_keyset_free(*k);
		*k = ls_keyset_create(NULL);
	}
}

void
ls_assign_state_clear(struct ls_assigner *a)
{
	for (size_t i = a->t->nm; i < a->nids; i++)
		free(a->ids[i]);
	a->nids = a->t->nm;
	for (size_t i = 0; i < a->nids; i++)
		a->load[i] = a->assigned[i] = a->cur[i] = 0;
	a->cursor = -1;
	renew(&a->owners);
	renew(&a->dealt);
}

static int format_at(struct ls_assigner *a, int64_t at);

static long
header_col(const struct ls_assigner *a, const char *name)
{
	return ls_header_find(a->header, a->ncols, name, strlen(name));
}

static long
resolve_col(void *ctx, const char *name, size_t len)
{
	const struct ls_assigner *a = ctx;

	return ls_header_find(a->header, a->ncols, name, len);
}

static int
need_col(const struct ls_assigner *a, const char *name, const char *why, const char *arg,
    long *col, struct ls_error *err)
{
	char need[200];

	snprintf(need, sizeof(need), "%s%s", why, arg);
	return ls_col_need(a->header, a->ncols, name, need, col, err);
}

struct ls_assigner *
ls_assigner_new(const struct ls_team *t, const struct ls_str *header, size_t ncols,
    const struct ls_assign_opts *opts, struct ls_error *err)
{
	struct ls_assigner *a = calloc(1, sizeof(*a));
	struct ls_date d;
	int64_t now;

	if (a == NULL) {
		ls_error_set(err, LS_ENOMEM, NULL, 0, 0, "out of memory");
		return NULL;
	}
	a->t = t;
	a->header = header;
	a->ncols = ncols;
	a->cursor = -1;
	a->from_idx = -1;
	a->sticky_col = a->date_col = a->region_col = a->skill_col = -1;
	a->mgr_col = a->reason_col = -1;
	a->id_col = header_col(a, t->id_column);
	a->at_col = header_col(a, "assigned_at");
	a->status_col = header_col(a, "status");
	if ((a->dealt = ls_keyset_create(err)) == NULL || (a->owners = ls_keyset_create(err)) == NULL)
		goto fail;
	for (size_t i = 0; i < t->nm; i++)
		if (ls_assign_id_add(a, t->m[i].id, strlen(t->m[i].id)) < 0)
			goto nomem;
	if ((a->dealt_now = calloc(t->nm, sizeof(*a->dealt_now))) == NULL)
		goto nomem;
	a->st.dealt = a->dealt_now;
	if ((a->cand = calloc(t->nm, 1)) == NULL ||
	    (t->nr && (a->cond = calloc(t->nr, sizeof(*a->cond))) == NULL))
		goto nomem;
	if (t->sticky && need_col(a, t->sticky, "sticky: ", t->sticky, &a->sticky_col, err))
		goto fail;
	a->date_col = header_col(a, t->date_column);
	if (t->skill_column && need_col(a, t->skill_column, "skill_column: ", t->skill_column,
	    &a->skill_col, err))
		goto fail;
	if (t->region_explicit) {
		if (need_col(a, t->region_column, "region_column: ", t->region_column,
		    &a->region_col, err))
			goto fail;
	} else
		a->region_col = header_col(a, t->region_column);
	if (opts && opts->reassign_from) {
		a->from_id = opts->reassign_from;
		a->from_idx = ls_team_index(t, a->from_id);
		if (a->from_idx < 0) {
			ls_error_set(err, LS_EUSAGE, ls_config_file(t->cfg), 0, 0,
			    "--reassign-from: no manager '%s' in the team", a->from_id);
			goto fail;
		}
		if (need_col(a, "manager", "--reassign-from", "", &a->mgr_col, err) ||
		    need_col(a, "assign_reason", "--reassign-from", "", &a->reason_col, err))
			goto fail;
		if ((a->from_reason = ls_concat("reassigned_from:", a->from_id)) == NULL)
			goto nomem;
	}
	for (size_t i = 0; i < t->nr; i++) {
		const struct ls_node *v = t->r[i].cond;
		a->cond[i] = ls_expr_parse_at(v->value, ls_config_file(t->cfg), v->line,
		    v->col + (v->quoted ? 1 : 0), resolve_col, a, err);
		if (a->cond[i] == NULL)
			goto fail;
	}
	now = opts && opts->now ? opts->now : ls_clock_now();
	a->now = now;
	/* every lead dealt in this run is assigned_at the same instant: its text is made once, not per lead */
	a->now_ok = format_at(a, now) == 0;
	if (a->now_ok)
		memcpy(a->now_text, a->at_text, sizeof(a->now_text));
	if (t->has_away) {
		if (ls_tz_date(t->tz, now, &d) != 0) {
			ls_error_set(err, LS_EDATA, NULL, 0, 0, "cannot tell today's date");
			goto fail;
		}
		a->today = ls_date_to_days(&d);
	}
	return a;
nomem:
	ls_error_set(err, LS_ENOMEM, NULL, 0, 0, "out of memory");
fail:
	ls_assigner_free(a);
	return NULL;
}

void
ls_assigner_free(struct ls_assigner *a)
{
	if (a == NULL)
		return;
	for (size_t i = 0; i < a->nids; i++)
		free(a->ids[i]);
	for (size_t i = 0; a->cond && i < a->t->nr; i++)
		ls_expr_free(a->cond[i]);
	free(a->cond);
	ls_keyset_free(a->owners);
	free(a->ids);
	free(a->load);
	free(a->assigned);
	free(a->cur);
	free(a->from_reason);
	free(a->cand);
	ls_keyset_free(a->dealt);
	free(a->dealt_now);
	free(a->skip_reason);
	free(a->keybuf);
	free(a);
}

/* ---- deciding ---- */

/*
 * at as assigned_at into a->at_text: in the team's zone when it names one,
 * so that a manager reads their own clock; else in UTC, never the
 * machine's zone, so that the same run gives the same file anywhere.
 */
static int
format_at(struct ls_assigner *a, int64_t at)
{
	return ls_time_format(a->t->tz_named ? a->t->tz : NULL, at, a->at_text, sizeof(a->at_text));
}

static struct ls_str
field(const struct ls_record *rec, long col)
{
	struct ls_str s = { "", 0 };

	if (col >= 0 && (size_t)col < rec->nfields)
		s = rec->fields[col];
	return s;
}

static int
in_list(const struct ls_node *list, struct ls_str v)
{
	for (size_t i = 0; i < list->len; i++)
		if (list->items[i]->len == v.n && memcmp(list->items[i]->value, v.p, v.n) == 0)
			return 1;
	return 0;
}

/* The lead's day for away: the date column's date (a timestamp's date as written), else today. */
static int
lead_day(const struct ls_assigner *a, const struct ls_record *rec, int64_t *day,
    struct ls_error *err)
{
	struct ls_str v = field(rec, a->date_col);
	struct ls_date d;

	if (v.n == 0) {
		*day = a->today;
		return 0;
	}
	if ((v.n == 10 || (v.n > 10 && (v.p[10] == 'T' || v.p[10] == 't' || v.p[10] == ' '))) &&
	    ls_date_parse(v.p, 10, &d, NULL) == 0) {
		*day = ls_date_to_days(&d);
		return 0;
	}
	return ls_error_set(err, LS_EDATA, rec->file, rec->line, 0,
	    "bad date '%.*s' in column %s (expected YYYY-MM-DD, DD.MM.YYYY or an RFC 3339 time)",
	    (int)(v.n > 40 ? 40 : v.n), v.p, a->t->date_column);
}

/*
 * Mark in a->cand the managers who may take the lead with 1 (inactive,
 * away, uncovered region or skill, the manager being reassigned from: 0;
 * at capacity but otherwise eligible: 2).  Returns the number marked 1.
 */
static size_t
candidates(struct ls_assigner *a, const struct ls_record *rec, int64_t day)
{
	const struct ls_team *t = a->t;
	struct ls_str region = field(rec, a->region_col), skill = field(rec, a->skill_col);
	size_t n = 0;

	for (size_t i = 0; i < t->nm; i++) {
		const struct manager *m = &t->m[i];
		int ok = m->active && (long)i != a->from_idx;

		for (size_t k = 0; ok && k < m->naway; k++)
			if (day >= m->away[k].from && day <= m->away[k].to)
				ok = 0;
		if (ok && m->regions && region.n && !in_list(m->regions, region))
			ok = 0;
		if (ok && m->skills && skill.n && !in_list(m->skills, skill))
			ok = 0;
		if (ok && m->capacity >= 0 && a->load[i] >= m->capacity)
			ok = 2;
		a->cand[i] = (unsigned char)ok;
		n += ok == 1;
	}
	return n;
}

/* The strategy's pick among cand[i] && (pool == NULL || pool[i]); -1 when none. */
/*
 * la / wa < lb / wb, by cross products: loads (up to MAX_COUNT) times
 * weights (thousandths up to 1e9) need more than 64 bits.
 */
static int
load_less(long long la, long long wa, long long lb, long long wb)
{
#ifdef __SIZEOF_INT128__
	__extension__ typedef __int128 wide;
	return (wide)la * wb < (wide)lb * wa;
#else
	return (long double)la * wb < (long double)lb * wa;
#endif
}

static long
pick(struct ls_assigner *a, const unsigned char *pool)
{
	const struct ls_team *t = a->t;
	long best = -1;
	long long total = 0;

	switch (t->strategy) {
	case LS_RR: {
		size_t start = a->cursor >= 0 && (size_t)a->cursor < t->nm ? (size_t)a->cursor + 1 : 0;
		for (size_t k = 0; k < t->nm; k++) {
			size_t i = (start + k) % t->nm;
			if (a->cand[i] == 1 && (pool == NULL || pool[i])) {
				a->cursor = (long)i;
				return (long)i;
			}
		}
		return -1;
	}
	case LS_WEIGHTED:
		/* smooth weighted round robin: shares stay within one lead of the weights */
		for (size_t i = 0; i < t->nm; i++) {
			if (a->cand[i] != 1 || (pool && !pool[i]))
				continue;
			a->cur[i] += t->m[i].weight;
			total += t->m[i].weight;
			if (best < 0 || a->cur[i] > a->cur[best])
				best = (long)i;
		}
		if (best >= 0)
			a->cur[best] -= total;
		return best;
	case LS_LEAST_LOADED:
		/* least load per unit of weight; ties go to the earlier manager */
		for (size_t i = 0; i < t->nm; i++) {
			if (a->cand[i] != 1 || (pool && !pool[i]))
				continue;
			if (best < 0 || load_less(a->load[i], t->m[i].weight, a->load[best], t->m[best].weight))
				best = (long)i;
		}
		return best;
	}
	return -1;
}

static void
give(struct ls_assigner *a, long i)
{
	if (a->load[i] < MAX_COUNT)
		a->load[i]++;
	a->assigned[i]++;
}

int
ls_assigner_next(struct ls_assigner *a, const struct ls_record *rec,
    struct ls_assign_result *res, struct ls_error *err)
{
	const struct ls_team *t = a->t;
	const unsigned char *pool = NULL;
	const char *reason = ls_assign_strategy_names[t->strategy];
	struct ls_str raw = field(rec, a->sticky_col), key = { "", 0 }, id;
	long o;
	const char *v;
	int kr;
	size_t n;
	int busy = 0;
	int64_t day = a->today;
	long who = -1;
	int keep_owner = 0;
	uint32_t id_h = 0;

	res->changed = 1;
	res->assigned_at = "";
	a->st.read++;
	if (a->from_id) {
		struct ls_str m = field(rec, a->mgr_col);
		if (m.n != strlen(a->from_id) || memcmp(m.p, a->from_id, m.n) != 0) {
			res->manager = m.p;
			res->reason = field(rec, a->reason_col).p;
			res->assigned_at = field(rec, a->at_col).p;
			res->changed = 0;
			a->st.passed++;
			return 0;
		}
	}
	/* a stream of qualified leads and the rest: only the statuses named are dealt */
	if (a->status_col >= 0) {
		struct ls_str st = field(rec, a->status_col);
		if (t->statuses ? !in_list(t->statuses, st) : !(st.n == 9 && memcmp(st.p, "qualified", 9) == 0)) {
			if (a->skip_cap < st.n + 9) {
				char *nb = realloc(a->skip_reason, st.n + 9);
				if (nb == NULL)
					return ls_error_set(err, LS_ENOMEM, NULL, 0, 0, "out of memory");
				a->skip_reason = nb;
				a->skip_cap = st.n + 9;
			}
			memcpy(a->skip_reason, "skipped:", 8);
			memcpy(a->skip_reason + 8, st.p, st.n);
			a->skip_reason[8 + st.n] = '\0';
			res->manager = "";
			res->reason = a->skip_reason;
			a->st.skipped++;
			return 0;
		}
	}
	id = field(rec, a->id_col);
	if (a->in != NULL) {
		/* the set of leads dealt misses the cache in big runs: load a later lead's slot now */
		struct ls_record ahead;
		if (ls_reader_peek(a->in, DEALT_AHEAD, &ahead)) {
			struct ls_str ai = field(&ahead, a->id_col);
			ls_keyset_prefetch_h(a->dealt, ls_keyset_hash(ai.p, ai.n));
		}
	}
	id_h = id.n > 0 ? ls_keyset_hash(id.p, id.n) : 0;
	if (!a->from_id && id.n > 0 && (v = ls_keyset_get_h(a->dealt, id.p, id.n, id_h)) != NULL) {
		struct dealt_val dv;
		ls_assign_dealt_get(v, &dv);
		res->manager = a->ids[dv.who];
		res->reason = "already_assigned";
		/* the first deal's time; a v1 state forgot it, a row of an assigned stream may still say */
		if (dv.at == LS_ASSIGN_NO_TIME || format_at(a, dv.at) != 0)
			res->assigned_at = field(rec, a->at_col).p;
		else
			res->assigned_at = a->at_text;
		a->st.already++;
		return 0;
	}
	if (a->from_id) {
		/* the leads leave the departing manager */
		long f = ls_assign_id_index(a, a->from_id, strlen(a->from_id));
		if (f >= 0 && a->load[f] > 0)
			a->load[f]--;
	}
	if (t->has_away && lead_day(a, rec, &day, err))
		return LS_EDATA;
	n = candidates(a, rec, day);
	if ((kr = ls_assign_sticky_key(a, raw, &key)) == LS_ENOMEM)
		return ls_error_set(err, LS_ENOMEM, NULL, 0, 0, "out of memory");
	if (kr == 0 && (o = owner_of(a, key.p, key.n)) >= 0) {
		size_t w = (size_t)o;
		if (w < t->nm && a->cand[w] == 1) {
			who = (long)w;
			reason = a->from_id ? a->from_reason : "sticky";
			goto dealt;
		}
		/* away or full: cover the lead, the company stays theirs */
		if (w < t->nm && t->m[w].active && (long)w != a->from_idx)
			keep_owner = 1;
	}
	for (size_t r = 0; r < t->nr; r++) {
		if (ls_expr_eval(a->cond[r], rec->fields, rec->nfields)) {
			pool = t->r[r].in_pool;
			reason = t->r[r].reason;
			break;
		}
	}
	if (n > 0)
		who = pick(a, pool);
	if (who < 0) {
		/* is anyone in the pool merely full? */
		for (size_t i = 0; i < t->nm; i++)
			if (a->cand[i] == 2 && (pool == NULL || pool[i]))
				busy = 1;
		res->manager = "";
		res->reason = busy ? "all_at_capacity" : "no_eligible_manager";
		if (busy)
			a->st.at_capacity++;
		else
			a->st.no_eligible++;
		return 0;
	}
	/* ls_assign_sticky_key() was the last to use keybuf: key is still the lead's */
	if (kr == 0 && !keep_owner && ls_assign_owner_set(a, key.p, key.n, (size_t)who))
		return ls_error_set(err, LS_ENOMEM, NULL, 0, 0, "out of memory");
	if (a->from_id)
		reason = a->from_reason;
dealt:
	give(a, who);
	a->dealt_now[who]++;
	if (id.n > 0 && remember_h(a, id, id_h, who, a->now) != 0)
		return ls_error_set(err, LS_ENOMEM, NULL, 0, 0, "out of memory");
	res->manager = t->m[who].id;
	res->reason = reason;
	res->assigned_at = a->now_ok ? a->now_text : "";
	return 0;
}

int
ls_assigner_attach(struct ls_assigner *a, struct ls_reader *in, struct ls_error *err)
{
	if (a->dealt == NULL ||
	    ls_keyset_reserve(a->dealt, ls_keyset_count(a->dealt) + ls_reader_estimate(in)) != 0)
		return ls_error_set(err, LS_ENOMEM, NULL, 0, 0, "out of memory");
	/* without a thread there is nothing to peek at unless the reader reads ahead */
	(void)ls_reader_lookahead(in);
	a->in = in;
	return 0;
}

const struct ls_assign_stats *
ls_assigner_stats(const struct ls_assigner *a)
{
	return &a->st;
}

long long
ls_assigner_load(const struct ls_assigner *a, const char *id)
{
	long i = ls_assign_id_index(a, id, strlen(id));

	return i < 0 ? -1 : a->load[i];
}

long long
ls_assigner_assigned(const struct ls_assigner *a, const char *id)
{
	long i = ls_assign_id_index(a, id, strlen(id));

	return i < 0 ? -1 : a->assigned[i];
}

const char *
ls_assigner_owner(const struct ls_assigner *a, const char *value, size_t n)
{
	unsigned char key[STICKY_MAX];
	long o;

	if (n == 0 || n > STICKY_MAX)
		return NULL;
	o = owner_of(a, (const char *)key, normalise_sticky(key, (const unsigned char *)value, n));
	return o >= 0 ? a->ids[o] : NULL;
}

