/*
 * assign.c - the team file, eligibility, the three strategies, sticky
 * owners and the state file of lead-assign(1).  See assign.h.
 */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "assign.h"
#include "columns.h"
#include "keyset.h"
#include "config.h"
#include "date.h"
#include "expr.h"
#include "lock.h"
#include "util.h"

#define MAX_WEIGHT	1000000.0	/* weights are kept in thousandths */
#define MAX_COUNT	1000000000000LL	/* loads and counts read from files */
#define MAX_CURRENT	1000000000000000LL

struct away {
	int64_t from, to;		/* days since 1970-01-01, inclusive */
};

struct manager {
	const char *id;
	long long weight;		/* thousandths, >= 1 */
	long long capacity;		/* -1: unlimited */
	int active;
	const struct ls_node *regions, *skills;	/* SEQ of scalars or NULL */
	struct away *away;
	size_t naway;
};

struct rule {
	char *reason;			/* "rule:NAME" */
	const struct ls_node *cond;	/* the if: scalar */
	unsigned char *in_pool;		/* [nmanagers] */
};

struct ls_team {
	struct ls_config *cfg;
	char *state_path;
	enum ls_strategy strategy;
	const char *sticky, *date_column, *region_column, *skill_column, *id_column;
	const struct ls_node *statuses;	/* SEQ of the statuses dealt, or NULL: [qualified] */
	int region_explicit;
	struct ls_tz *tz;
	int has_away, has_regions, has_skills;
	struct manager *m;
	size_t nm, mcap;		/* managers read; entries allocated */
	struct rule *r;
	size_t nr;
};

/* Sticky owners: value -> index into ids, an open-addressing table over entries. */
struct owner {
	char *key;
	size_t klen;
	size_t who;
};

struct ls_assigner {
	const struct ls_team *t;
	char **ids;			/* team ids first, then ids only the state knows */
	long long *load, *assigned, *cur;
	size_t nids, capids;
	long cursor;			/* ids index of the last round_robin pick, -1 none */
	struct owner *own;
	size_t nown, capown;
	size_t *slots;			/* entry index + 1, 0 empty */
	size_t nslots;
	struct ls_expr **cond;		/* compiled routing conditions */
	const struct ls_str *header;
	size_t ncols;
	long sticky_col, date_col, region_col, skill_col, mgr_col, reason_col;
	long from_idx;			/* team index of --reassign-from, -1 */
	const char *from_id;
	char *from_reason;
	int64_t today;
	unsigned char *cand;		/* [nm] scratch */
	long id_col, status_col;	/* the lead's id (already dealt?), its status (dealt at all?) */
	struct ls_keyset *dealt;	/* lead id -> manager id, every lead ever dealt */
	char *skip_reason;		/* "skipped:STATUS" of the last row */
	size_t skip_cap;
	char *keybuf;			/* the sticky value, normalised */
	size_t keycap;
	struct ls_assign_stats st;
	unsigned long *dealt_now;	/* [nm] */
};

#define STICKY_MAX	1024		/* longer sticky values are not kept: no company name is that long */

static const char *const strategy_names[] = { "round_robin", "weighted", "least_loaded" };

/* ---- the team file ---- */

static long
any_name(void *ctx, const char *name, size_t len)
{
	(void)ctx;
	(void)name;
	(void)len;
	return 0;
}

static long
team_index(const struct ls_team *t, const char *id)
{
	for (size_t i = 0; i < t->nm; i++)
		if (strcmp(t->m[i].id, id) == 0)
			return (long)i;
	return -1;
}

static int
parse_list(const struct ls_config *c, const struct ls_node *n, const struct ls_node **out,
    struct ls_error *err)
{
	if (ls_node_expect(c, n, LS_NODE_SEQ, err))
		return LS_ECONFIG;
	for (size_t i = 0; i < n->len; i++)
		if (ls_node_expect(c, n->items[i], LS_NODE_SCALAR, err))
			return LS_ECONFIG;
	*out = n;
	return 0;
}

static int
parse_day(const struct ls_config *c, const struct ls_node *n, const char *p, size_t len,
    int64_t *day, struct ls_error *err)
{
	struct ls_date d;
	struct ls_error e;

	if (ls_date_parse(p, len, &d, &e) != 0)
		return ls_node_error(c, n, err, "bad date '%.*s' in away (expected YYYY-MM-DD..YYYY-MM-DD)",
		    (int)(len > 40 ? 40 : len), p);
	*day = ls_date_to_days(&d);
	return 0;
}

static int
parse_away(struct ls_team *t, struct manager *m, const struct ls_node *n, struct ls_error *err)
{
	const struct ls_config *c = t->cfg;
	const struct ls_node *one = n;
	size_t cnt = 1;

	if (n->type == LS_NODE_SEQ)
		cnt = n->len;
	else if (ls_node_expect(c, n, LS_NODE_SCALAR, err))
		return LS_ECONFIG;
	if (cnt == 0)
		return 0;
	if ((m->away = calloc(cnt, sizeof(*m->away))) == NULL)
		return ls_error_set(err, LS_ENOMEM, NULL, 0, 0, "out of memory");
	for (size_t i = 0; i < cnt; i++) {
		const char *s, *dots;
		struct away *a = &m->away[i];

		if (n->type == LS_NODE_SEQ)
			one = n->items[i];
		if (ls_node_str(c, one, &s, err))
			return LS_ECONFIG;
		if ((dots = strstr(s, "..")) == NULL) {
			if (parse_day(c, one, s, strlen(s), &a->from, err))
				return LS_ECONFIG;
			a->to = a->from;
		} else if (parse_day(c, one, s, (size_t)(dots - s), &a->from, err) ||
		    parse_day(c, one, dots + 2, strlen(dots + 2), &a->to, err))
			return LS_ECONFIG;
		if (a->to < a->from)
			return ls_node_error(c, one, err, "away range '%s' ends before it starts", s);
		m->naway++;
	}
	t->has_away = 1;
	return 0;
}

static int
parse_manager(struct ls_team *t, struct manager *m, const struct ls_node *n, struct ls_error *err)
{
	static const char *const keys[] = { "id", "name", "email", "weight", "capacity",
		"regions", "skills", "away", "active", NULL };
	const struct ls_config *c = t->cfg;
	const struct ls_node *v;
	const char *s;

	if (ls_node_expect(c, n, LS_NODE_MAP, err) || ls_node_check_keys(c, n, keys, err))
		return LS_ECONFIG;
	if ((v = ls_node_get(n, "id")) == NULL)
		return ls_node_error(c, n, err, "manager without an id");
	if (ls_node_str(c, v, &m->id, err))
		return LS_ECONFIG;
	if (m->id[0] == '\0' || strlen(m->id) != v->len)
		return ls_node_error(c, v, err, "manager id must not be empty");
	if (team_index(t, m->id) >= 0)
		return ls_node_error(c, v, err, "duplicate manager id '%s'", m->id);
	if (((v = ls_node_get(n, "name")) && ls_node_str(c, v, &s, err)) ||
	    ((v = ls_node_get(n, "email")) && ls_node_str(c, v, &s, err)))
		return LS_ECONFIG;
	m->weight = 1000;
	if ((v = ls_node_get(n, "weight")) != NULL) {
		double w;
		struct ls_error e;

		if (ls_node_num(c, v, &w, &e) != 0 || !(w > 0) || w > MAX_WEIGHT ||
		    llround(w * 1000) < 1)
			return ls_node_error(c, v, err,
			    "weight of '%s' must be a positive number (0.001 to 1000000), not '%s'",
			    m->id, v->type == LS_NODE_SCALAR ? v->value : "a list or map");
		m->weight = llround(w * 1000);
	}
	m->capacity = -1;
	if ((v = ls_node_get(n, "capacity")) != NULL) {
		struct ls_error e;

		if (ls_node_int(c, v, &m->capacity, &e) != 0 || m->capacity < 0)
			return ls_node_error(c, v, err,
			    "capacity of '%s' must be a whole number of leads, 0 or more", m->id);
	}
	m->active = 1;
	if ((v = ls_node_get(n, "active")) && ls_node_bool(c, v, &m->active, err))
		return LS_ECONFIG;
	if ((v = ls_node_get(n, "regions")) != NULL) {
		if (parse_list(c, v, &m->regions, err))
			return LS_ECONFIG;
		t->has_regions = 1;
	}
	if ((v = ls_node_get(n, "skills")) != NULL) {
		if (parse_list(c, v, &m->skills, err))
			return LS_ECONFIG;
		t->has_skills = 1;
	}
	if ((v = ls_node_get(n, "away")) && parse_away(t, m, v, err))
		return LS_ECONFIG;
	return 0;
}

static int
parse_rule(struct ls_team *t, struct rule *r, size_t idx, const struct ls_node *n,
    struct ls_error *err)
{
	static const char *const keys[] = { "name", "if", "pool", NULL };
	const struct ls_config *c = t->cfg;
	const struct ls_node *v, *pool;
	const char *name = NULL;
	char num[32];
	struct ls_expr *e;

	if (ls_node_expect(c, n, LS_NODE_MAP, err) || ls_node_check_keys(c, n, keys, err))
		return LS_ECONFIG;
	if ((v = ls_node_get(n, "name")) && ls_node_str(c, v, &name, err))
		return LS_ECONFIG;
	if (name == NULL || name[0] == '\0') {
		snprintf(num, sizeof(num), "%zu", idx + 1);
		name = num;
	}
	if ((r->reason = ls_concat("rule:", name)) == NULL ||
	    (r->in_pool = calloc(t->nm ? t->nm : 1, 1)) == NULL)
		return ls_error_set(err, LS_ENOMEM, NULL, 0, 0, "out of memory");
	if ((v = ls_node_get(n, "if")) == NULL)
		return ls_node_error(c, n, err, "routing rule '%s' has no 'if'", name);
	if (ls_node_expect(c, v, LS_NODE_SCALAR, err))
		return LS_ECONFIG;
	r->cond = v;
	/* syntax now, before any input is read; names are bound to columns later */
	e = ls_expr_parse_at(v->value, ls_config_file(c), v->line, v->col + (v->quoted ? 1 : 0),
	    any_name, NULL, err);
	if (e == NULL)
		return LS_ECONFIG;
	ls_expr_free(e);
	if ((pool = ls_node_get(n, "pool")) == NULL)
		return ls_node_error(c, n, err, "routing rule '%s' has no 'pool'", name);
	if (pool->type == LS_NODE_SCALAR) {
		long i = team_index(t, pool->value);
		if (i < 0)
			return ls_node_error(c, pool, err, "routing rule '%s': unknown manager '%s'",
			    name, pool->value);
		r->in_pool[i] = 1;
		return 0;
	}
	if (ls_node_expect(c, pool, LS_NODE_SEQ, err))
		return LS_ECONFIG;
	if (pool->len == 0)
		return ls_node_error(c, pool, err, "routing rule '%s' has an empty pool", name);
	for (size_t k = 0; k < pool->len; k++) {
		const char *id;
		long i;

		if (ls_node_str(c, pool->items[k], &id, err))
			return LS_ECONFIG;
		if ((i = team_index(t, id)) < 0)
			return ls_node_error(c, pool->items[k], err,
			    "routing rule '%s': unknown manager '%s'", name, id);
		r->in_pool[i] = 1;
	}
	return 0;
}

static char *
default_state_path(const char *team_path, const char *state)
{
	const char *slash;
	char *dir, *p;

	if (state == NULL)
		return ls_concat(team_path, ".state");
	if (state[0] == '/' || (slash = strrchr(team_path, '/')) == NULL)
		return ls_concat(state, "");
	if ((dir = strndup(team_path, (size_t)(slash - team_path) + 1)) == NULL)
		return NULL;
	p = ls_concat(dir, state);
	free(dir);
	return p;
}

static struct ls_team *
team_build(struct ls_config *cfg, struct ls_error *err)
{
	static const char *const keys[] = { "strategy", "state", "sticky", "date_column",
		"region_column", "skill_column", "id_column", "statuses", "timezone", "managers",
		"routing", NULL };
	const struct ls_node *root = ls_config_root(cfg), *v, *mgrs;
	const char *s, *state = NULL, *tzname = NULL;
	struct ls_team *t;

	if ((t = calloc(1, sizeof(*t))) == NULL) {
		ls_config_free(cfg);
		ls_error_set(err, LS_ENOMEM, NULL, 0, 0, "out of memory");
		return NULL;
	}
	t->cfg = cfg;
	t->date_column = "created_at";
	t->region_column = "region";
	t->id_column = "lead_id";
	if (ls_node_expect(cfg, root, LS_NODE_MAP, err) || ls_node_check_keys(cfg, root, keys, err))
		goto fail;
	if ((v = ls_node_get(root, "strategy")) != NULL) {
		size_t i;

		if (ls_node_str(cfg, v, &s, err))
			goto fail;
		for (i = 0; i < 3 && strcmp(s, strategy_names[i]) != 0; i++)
			;
		if (i == 3) {
			ls_node_error(cfg, v, err, "unknown strategy '%s' (expected round_robin, weighted or least_loaded)", s);
			goto fail;
		}
		t->strategy = (enum ls_strategy)i;
	}
	if (((v = ls_node_get(root, "state")) && ls_node_str(cfg, v, &state, err)) ||
	    ((v = ls_node_get(root, "sticky")) && ls_node_str(cfg, v, &t->sticky, err)) ||
	    ((v = ls_node_get(root, "date_column")) && ls_node_str(cfg, v, &t->date_column, err)) ||
	    ((v = ls_node_get(root, "skill_column")) && ls_node_str(cfg, v, &t->skill_column, err)) ||
	    ((v = ls_node_get(root, "id_column")) && ls_node_str(cfg, v, &t->id_column, err)) ||
	    ((v = ls_node_get(root, "statuses")) && parse_list(cfg, v, &t->statuses, err)) ||
	    ((v = ls_node_get(root, "timezone")) && ls_node_str(cfg, v, &tzname, err)))
		goto fail;
	if ((v = ls_node_get(root, "region_column")) != NULL) {
		if (ls_node_str(cfg, v, &t->region_column, err))
			goto fail;
		t->region_explicit = 1;
	}
	if (t->sticky && t->sticky[0] == '\0')
		t->sticky = NULL;
	if (state && state[0] == '\0') {
		ls_node_error(cfg, ls_node_get(root, "state"), err, "state must name a file");
		goto fail;
	}
	if ((mgrs = ls_node_get(root, "managers")) == NULL) {
		ls_node_error(cfg, root, err, "no managers");
		goto fail;
	}
	if (ls_node_expect(cfg, mgrs, LS_NODE_SEQ, err))
		goto fail;
	if (mgrs->len == 0) {
		ls_node_error(cfg, mgrs, err, "no managers");
		goto fail;
	}
	if ((t->m = calloc(mgrs->len, sizeof(*t->m))) == NULL) {
		ls_error_set(err, LS_ENOMEM, NULL, 0, 0, "out of memory");
		goto fail;
	}
	t->mcap = mgrs->len;
	for (size_t i = 0; i < mgrs->len; i++) {
		if (parse_manager(t, &t->m[i], mgrs->items[i], err))
			goto fail;
		t->nm++;
	}
	if ((v = ls_node_get(root, "routing")) != NULL) {
		if (ls_node_expect(cfg, v, LS_NODE_SEQ, err))
			goto fail;
		if (v->len && (t->r = calloc(v->len, sizeof(*t->r))) == NULL) {
			ls_error_set(err, LS_ENOMEM, NULL, 0, 0, "out of memory");
			goto fail;
		}
		for (size_t i = 0; i < v->len; i++) {
			t->nr++;
			if (parse_rule(t, &t->r[i], i, v->items[i], err))
				goto fail;
		}
	}
	if (t->has_away || tzname) {
		if ((t->tz = ls_tz_open(tzname, err)) == NULL) {
			v = ls_node_get(root, "timezone");
			if (v)
				ls_node_error(cfg, v, err, "%s", err ? err->msg : "bad time zone");
			goto fail;
		}
	}
	if ((t->state_path = default_state_path(ls_config_file(cfg), state)) == NULL) {
		ls_error_set(err, LS_ENOMEM, NULL, 0, 0, "out of memory");
		goto fail;
	}
	return t;
fail:
	ls_team_free(t);
	return NULL;
}

struct ls_team *
ls_team_load(const char *path, struct ls_error *err)
{
	struct ls_config *cfg = ls_config_load(path, err);

	return cfg ? team_build(cfg, err) : NULL;
}

struct ls_team *
ls_team_load_mem(const char *name, const char *buf, size_t len, struct ls_error *err)
{
	struct ls_config *cfg = ls_config_load_mem(name, buf, len, err);

	return cfg ? team_build(cfg, err) : NULL;
}

void
ls_team_free(struct ls_team *t)
{
	if (t == NULL)
		return;
	for (size_t i = 0; i < t->mcap; i++)
		free(t->m[i].away);
	for (size_t i = 0; i < t->nr; i++) {
		free(t->r[i].reason);
		free(t->r[i].in_pool);
	}
	free(t->m);
	free(t->r);
	free(t->state_path);
	ls_tz_free(t->tz);
	ls_config_free(t->cfg);
	free(t);
}

const char *
ls_team_state_path(const struct ls_team *t)
{
	return t->state_path;
}

const char *
ls_team_sticky(const struct ls_team *t)
{
	return t->sticky;
}

size_t
ls_team_nmanagers(const struct ls_team *t)
{
	return t->nm;
}

size_t
ls_team_nactive(const struct ls_team *t)
{
	size_t n = 0;

	for (size_t i = 0; i < t->nm; i++)
		n += t->m[i].active != 0;
	return n;
}

const char *
ls_team_manager_id(const struct ls_team *t, size_t i)
{
	return i < t->nm ? t->m[i].id : NULL;
}

/* ---- the assigner: ids, owners ---- */

static long
id_index(const struct ls_assigner *a, const char *id, size_t n)
{
	for (size_t i = 0; i < a->nids; i++)
		if (strlen(a->ids[i]) == n && memcmp(a->ids[i], id, n) == 0)
			return (long)i;
	return -1;
}

/* The index of id, added (with zero counts) when new; -1 when memory is short. */
static long
id_add(struct ls_assigner *a, const char *id, size_t n)
{
	long i = id_index(a, id, n);

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

static size_t
hash(const char *p, size_t n)
{
	uint64_t h = 1469598103934665603ULL;

	for (size_t i = 0; i < n; i++) {
		h ^= (unsigned char)p[i];
		h *= 1099511628211ULL;
	}
	return (size_t)(h ^ (h >> 29));
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

static int
sticky_key(struct ls_assigner *a, struct ls_str v, struct ls_str *out)
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

static struct owner *
owner_find(const struct ls_assigner *a, const char *p, size_t n)
{
	size_t mask, i;

	if (a->nslots == 0)
		return NULL;
	mask = a->nslots - 1;
	for (i = hash(p, n) & mask; a->slots[i]; i = (i + 1) & mask) {
		struct owner *o = &a->own[a->slots[i] - 1];
		if (o->klen == n && memcmp(o->key, p, n) == 0)
			return o;
	}
	return NULL;
}

static int
owner_grow(struct ls_assigner *a)
{
	size_t n = a->nslots ? 2 * a->nslots : 1024, mask = n - 1;
	size_t *s = calloc(n, sizeof(*s));

	if (s == NULL)
		return LS_ENOMEM;
	for (size_t k = 0; k < a->nown; k++) {
		size_t i = hash(a->own[k].key, a->own[k].klen) & mask;
		while (s[i])
			i = (i + 1) & mask;
		s[i] = k + 1;
	}
	free(a->slots);
	a->slots = s;
	a->nslots = n;
	return 0;
}

/* Make who the owner of p[0..n). */
static int
owner_set(struct ls_assigner *a, const char *p, size_t n, size_t who)
{
	struct owner *o = owner_find(a, p, n);
	size_t i, mask;

	if (o) {
		o->who = who;
		return 0;
	}
	if ((a->nown + 1) * 4 > a->nslots * 3 && owner_grow(a))
		return LS_ENOMEM;
	if (a->nown == a->capown) {
		size_t cap = a->capown ? 2 * a->capown : 256;
		struct owner *no = realloc(a->own, cap * sizeof(*no));
		if (no == NULL)
			return LS_ENOMEM;
		a->own = no;
		a->capown = cap;
	}
	/* keys are bytes with a length: a copy that stopped at a NUL would be short */
	if ((a->own[a->nown].key = malloc(n + 1)) == NULL)
		return LS_ENOMEM;
	memcpy(a->own[a->nown].key, p, n);
	a->own[a->nown].key[n] = '\0';
	a->own[a->nown].klen = n;
	a->own[a->nown].who = who;
	mask = a->nslots - 1;
	for (i = hash(p, n) & mask; a->slots[i]; i = (i + 1) & mask)
		;
	a->slots[i] = ++a->nown;
	return 0;
}

static void
state_clear(struct ls_assigner *a)
{
	for (size_t i = 0; i < a->nown; i++)
		free(a->own[i].key);
	a->nown = 0;
	if (a->slots)
		memset(a->slots, 0, a->nslots * sizeof(*a->slots));
	for (size_t i = a->t->nm; i < a->nids; i++)
		free(a->ids[i]);
	a->nids = a->t->nm;
	for (size_t i = 0; i < a->nids; i++)
		a->load[i] = a->assigned[i] = a->cur[i] = 0;
	a->cursor = -1;
	if (a->dealt && ls_keyset_count(a->dealt) > 0) {
		ls_keyset_free(a->dealt);
		a->dealt = ls_keyset_new();
	}
}

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
	a->status_col = header_col(a, "status");
	if ((a->dealt = ls_keyset_new()) == NULL)
		goto nomem;
	for (size_t i = 0; i < t->nm; i++)
		if (id_add(a, t->m[i].id, strlen(t->m[i].id)) < 0)
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
		a->from_idx = team_index(t, a->from_id);
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
	now = opts && opts->now ? opts->now : (int64_t)time(NULL);
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
	for (size_t i = 0; i < a->nown; i++)
		free(a->own[i].key);
	for (size_t i = 0; i < a->nids; i++)
		free(a->ids[i]);
	for (size_t i = 0; a->cond && i < a->t->nr; i++)
		ls_expr_free(a->cond[i]);
	free(a->cond);
	free(a->own);
	free(a->slots);
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

/* ---- the state file ---- */

/* Split line (no line end) at tabs into f[0..max), unescaping in place.  Returns the count, or -1 on a bad escape / too many. */
static int
split_tabs(char *line, char **f, size_t *len, int max)
{
	int n = 0;
	char *p = line, *o;

	for (;;) {
		if (n == max)
			return -1;
		f[n] = o = p;
		for (; *p && *p != '\t'; p++) {
			if (*p != '\\') {
				*o++ = *p;
				continue;
			}
			switch (*++p) {
			case 't': *o++ = '\t'; break;
			case 'n': *o++ = '\n'; break;
			case 'r': *o++ = '\r'; break;
			case '\\': *o++ = '\\'; break;
			default: return -1;
			}
		}
		len[n] = (size_t)(o - f[n]);
		n++;
		if (*p == '\0') {
			*o = '\0';
			return n;
		}
		*o = '\0';
		p++;
	}
}

static int
parse_count(const char *s, long long lo, long long hi, long long *out)
{
	char *end;
	long long v;

	if (!((s[0] >= '0' && s[0] <= '9') || (s[0] == '-' && s[1] >= '0' && s[1] <= '9')))
		return -1;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (*end || errno || v < lo || v > hi)
		return -1;
	*out = v;
	return 0;
}

/* Lead id was dealt to ids[who]. */
static int
remember(struct ls_assigner *a, struct ls_str id, long who)
{
	uint32_t w = (uint32_t)who;
	int created, status;
	void *v = ls_keyset_upsert(a->dealt, id.p, id.n, sizeof(w), &created, &status);

	if (v == NULL)
		return status;
	memcpy(v, &w, sizeof(w));
	return 0;
}

int
ls_assigner_read_state(struct ls_assigner *a, const char *path, struct ls_error *err)
{
	FILE *fp;
	char *line = NULL, *f[6];
	size_t cap = 0, len[6];
	ssize_t n;
	long lineno = 0;
	int rc = 0, nf;

	if ((fp = fopen(path, "r")) == NULL) {
		if (errno == ENOENT)
			return 0;
		return ls_error_set(err, LS_EIO, path, 0, 0, "cannot read state: %s", strerror(errno));
	}
	state_clear(a);
	while ((n = getline(&line, &cap, fp)) >= 0) {
		lineno++;
		if (n > 0 && line[n - 1] == '\n')
			line[--n] = '\0';
		if ((size_t)n != strlen(line)) {
			rc = ls_error_set(err, LS_ECONFIG, path, lineno, 0, "malformed state file: NUL byte");
			break;
		}
		if (lineno == 1) {
			if (strcmp(line, LS_ASSIGN_STATE_MAGIC) != 0) {
				rc = ls_error_set(err, LS_ECONFIG, path, 1, 0,
				    "not a lead-assign state file (its first line should be '%s')",
				    LS_ASSIGN_STATE_MAGIC);
				break;
			}
			continue;
		}
		if (line[0] == '#')
			continue;
		if ((nf = split_tabs(line, f, len, 6)) < 0) {
			rc = ls_error_set(err, LS_ECONFIG, path, lineno, 0,
			    "malformed state file: bad escape or too many fields");
			break;
		}
		if (strcmp(f[0], "cursor") == 0 && nf == 2) {
			long i = id_add(a, f[1], len[1]);
			if (i < 0)
				goto nomem;
			a->cursor = i;
		} else if (strcmp(f[0], "manager") == 0 && nf == 5) {
			long long l, s, c;
			long i;

			if (len[1] == 0 || parse_count(f[2], 0, MAX_COUNT, &l) ||
			    parse_count(f[3], 0, MAX_COUNT, &s) ||
			    parse_count(f[4], -MAX_CURRENT, MAX_CURRENT, &c)) {
				rc = ls_error_set(err, LS_ECONFIG, path, lineno, 0,
				    "malformed state file: bad manager record");
				break;
			}
			if ((i = id_add(a, f[1], len[1])) < 0)
				goto nomem;
			a->load[i] = l;
			a->assigned[i] = s;
			a->cur[i] = c;
		} else if (strcmp(f[0], "sticky") == 0 && nf == 3 && len[2] > 0) {
			long i = id_add(a, f[2], len[2]);
			struct ls_str k;
			int r;
			/* an older file may hold a value as written: it joins its normalised twin */
			if (i < 0 || (r = sticky_key(a, (struct ls_str){ f[1], len[1] }, &k)) < 0 ||
			    r == LS_ENOMEM || (r == 0 && owner_set(a, k.p, k.n, (size_t)i)))
				goto nomem;
		} else if (strcmp(f[0], "lead") == 0 && nf == 3 && len[1] > 0 && len[2] > 0) {
			long i = id_add(a, f[2], len[2]);
			if (i < 0 || remember(a, (struct ls_str){ f[1], len[1] }, i))
				goto nomem;
		} else {
			rc = ls_error_set(err, LS_ECONFIG, path, lineno, 0,
			    "malformed state file: unknown record '%.40s' with %d fields", f[0], nf);
			break;
		}
	}
	if (rc == 0 && ferror(fp))
		rc = ls_error_set(err, LS_EIO, path, 0, 0, "cannot read state: %s", strerror(errno));
	if (rc == 0 && lineno == 0)
		rc = ls_error_set(err, LS_ECONFIG, path, 0, 0,
		    "not a lead-assign state file (empty; its first line should be '%s')",
		    LS_ASSIGN_STATE_MAGIC);
	free(line);
	fclose(fp);
	if (rc)
		state_clear(a);
	return rc;
nomem:
	free(line);
	fclose(fp);
	state_clear(a);
	return ls_error_set(err, LS_ENOMEM, path, 0, 0, "out of memory");
}

static void
put_escaped(FILE *fp, const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		switch (p[i]) {
		case '\t': fputs("\\t", fp); break;
		case '\n': fputs("\\n", fp); break;
		case '\r': fputs("\\r", fp); break;
		case '\\': fputs("\\\\", fp); break;
		default: putc(p[i], fp);
		}
	}
}

int
ls_assigner_write_state(const struct ls_assigner *a, FILE *fp, struct ls_error *err)
{
	const char *key, *val;

	fprintf(fp, "%s\n", LS_ASSIGN_STATE_MAGIC);
	if (a->cursor >= 0) {
		fputs("cursor\t", fp);
		put_escaped(fp, a->ids[a->cursor], strlen(a->ids[a->cursor]));
		putc('\n', fp);
	}
	for (size_t i = 0; i < a->nids; i++) {
		fputs("manager\t", fp);
		put_escaped(fp, a->ids[i], strlen(a->ids[i]));
		fprintf(fp, "\t%lld\t%lld\t%lld\n", a->load[i], a->assigned[i], a->cur[i]);
	}
	for (size_t i = 0; i < a->nown; i++) {
		fputs("sticky\t", fp);
		put_escaped(fp, a->own[i].key, a->own[i].klen);
		putc('\t', fp);
		put_escaped(fp, a->ids[a->own[i].who], strlen(a->ids[a->own[i].who]));
		putc('\n', fp);
	}
	for (size_t pos = 0, klen; ls_keyset_next(a->dealt, &pos, &key, &klen, &val);) {
		uint32_t w;
		memcpy(&w, val, sizeof(w));
		fputs("lead\t", fp);
		put_escaped(fp, key, klen);
		putc('\t', fp);
		put_escaped(fp, a->ids[w], strlen(a->ids[w]));
		putc('\n', fp);
	}
	if (fflush(fp) != 0 || ferror(fp))
		return ls_error_set(err, LS_EIO, NULL, 0, 0, "write error: %s", strerror(errno));
	return 0;
}

int
ls_assigner_save_state(const struct ls_assigner *a, const char *path, struct ls_error *err)
{
	struct ls_atomic *at = ls_atomic_open(path, err);
	int rc;

	if (at == NULL)
		return err ? err->status : LS_EIO;
	if ((rc = ls_assigner_write_state(a, ls_atomic_file(at), err)) != 0) {
		if (err) {
			/* the message moves into a record that also names the file */
			char msg[sizeof(err->msg)];
			memcpy(msg, err->msg, sizeof(msg));
			ls_error_set(err, LS_EIO, path, 0, 0, "%s", msg);
		}
		ls_atomic_free(at);
		return rc;
	}
	rc = ls_atomic_commit(at, err);
	ls_atomic_free(at);
	return rc;
}

int
ls_assigner_read_load(struct ls_assigner *a, const char *path, struct ls_error *err)
{
	struct ls_reader_opts o = { 0 };
	struct ls_reader *r = ls_reader_open(&path, 1, &o, err);
	struct ls_record rec;
	long mc, lc;
	int rc;

	if (r == NULL)
		return err ? err->status : LS_EIO;
	if ((mc = ls_reader_col(r, "manager")) < 0 || (lc = ls_reader_col(r, "open_leads")) < 0) {
		ls_reader_free(r);
		return ls_error_set(err, LS_ECONFIG, path, 1, 0,
		    "no column '%s' (a load file has columns manager,open_leads)",
		    mc < 0 ? "manager" : "open_leads");
	}
	for (size_t i = 0; i < a->nids; i++)
		a->load[i] = 0;
	while ((rc = ls_reader_next(r, &rec, err)) > 0) {
		const struct ls_str *m = &rec.fields[mc], *l = &rec.fields[lc];
		long long v;
		long i;

		if (parse_count(l->p, 0, MAX_COUNT, &v) || l->p[0] == '-') {
			rc = ls_error_set(err, LS_EDATA, rec.file, rec.line, 0,
			    "open_leads must be a whole number, not '%.40s'", l->p);
			break;
		}
		/* managers outside the team are someone else's business */
		if ((i = id_index(a, m->p, m->n)) >= 0 && (size_t)i < a->t->nm &&
		    (a->load[i] += v) > MAX_COUNT)
			a->load[i] = MAX_COUNT;
	}
	ls_reader_free(r);
	if (rc < 0)
		return err ? (int)err->status : LS_EDATA;
	return rc;
}

/* ---- deciding ---- */

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
	const char *reason = strategy_names[t->strategy];
	struct ls_str raw = field(rec, a->sticky_col), key = { "", 0 }, id;
	struct owner *o = NULL;
	const char *v;
	int kr;
	size_t n;
	int busy = 0;
	int64_t day = a->today;
	long who = -1;
	int keep_owner = 0;

	res->changed = 1;
	a->st.read++;
	if (a->from_id) {
		struct ls_str m = field(rec, a->mgr_col);
		if (m.n != strlen(a->from_id) || memcmp(m.p, a->from_id, m.n) != 0) {
			res->manager = m.p;
			res->reason = field(rec, a->reason_col).p;
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
	if (!a->from_id && id.n > 0 && (v = ls_keyset_get(a->dealt, id.p, id.n)) != NULL) {
		uint32_t w;
		memcpy(&w, v, sizeof(w));
		res->manager = a->ids[w];
		res->reason = "already_assigned";
		a->st.already++;
		return 0;
	}
	if (a->from_id) {
		/* the leads leave the departing manager */
		long f = id_index(a, a->from_id, strlen(a->from_id));
		if (f >= 0 && a->load[f] > 0)
			a->load[f]--;
	}
	if (t->has_away && lead_day(a, rec, &day, err))
		return LS_EDATA;
	n = candidates(a, rec, day);
	if ((kr = sticky_key(a, raw, &key)) == LS_ENOMEM)
		return ls_error_set(err, LS_ENOMEM, NULL, 0, 0, "out of memory");
	if (kr == 0 && (o = owner_find(a, key.p, key.n)) != NULL) {
		size_t w = o->who;
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
	/* sticky_key() was the last to use keybuf: key is still the lead's */
	if (kr == 0 && !keep_owner && owner_set(a, key.p, key.n, (size_t)who))
		return ls_error_set(err, LS_ENOMEM, NULL, 0, 0, "out of memory");
	if (a->from_id)
		reason = a->from_reason;
dealt:
	give(a, who);
	a->dealt_now[who]++;
	if (id.n > 0 && remember(a, id, who) != 0)
		return ls_error_set(err, LS_ENOMEM, NULL, 0, 0, "out of memory");
	res->manager = t->m[who].id;
	res->reason = reason;
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
	long i = id_index(a, id, strlen(id));

	return i < 0 ? -1 : a->load[i];
}

long long
ls_assigner_assigned(const struct ls_assigner *a, const char *id)
{
	long i = id_index(a, id, strlen(id));

	return i < 0 ? -1 : a->assigned[i];
}

const char *
ls_assigner_owner(const struct ls_assigner *a, const char *value, size_t n)
{
	unsigned char key[STICKY_MAX];
	const struct owner *o;

	if (n == 0 || n > STICKY_MAX)
		return NULL;
	o = owner_find(a, (const char *)key, normalise_sticky(key, (const unsigned char *)value, n));
	return o ? a->ids[o->who] : NULL;
}
