/*
 * kpi.c - the KPI config, sums per (period, manager), partial sums and the
 * KPI table of kpi-report(1).  See kpi.h.
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "columns.h"
#include "keyset.h"
#include "kpi.h"
#include "recfile.h"
#include "money.h"
#include "util.h"

/* Exact ratios need more than 64 bits: revenue (minor units) times 10^8 for a percentage of plan. */
__extension__ typedef __int128 i128;

#define PLAN_SCALE	6		/* plans are kept as decimals with 6 places */
#define PLAN_ONE	1000000
#define MAX_PERIODS	10000		/* periods a report may span: 27 years of days */
#define MONEY_SCALE	2
#define NO_TEAM		"(no team)"
#define NO_MANAGER	"(none)"

/* ---- the KPIs ---- */

enum sum_id {
	S_CALLS, S_CONNECTED, S_TALK, S_INTERESTED, S_LEADS, S_WON, S_LOST,
	S_REVENUE, S_TICKETS, S_SLA_MET, NSUMS
};

static const char *const sum_names[NSUMS] = {
	"calls", "connected", "talk_s", "interested", "leads", "won", "lost",
	"revenue_minor", "tickets", "sla_met"
};

static const struct {
	const char *name;
	int decimals;
	int additive;		/* a TOTAL's or team's plan is the sum of its managers' */
} kpis[LS_KPI_COUNT] = {
	[LS_KPI_CALLS] = { "calls", 0, 1 },
	[LS_KPI_CONNECTED] = { "connected", 0, 1 },
	[LS_KPI_CONNECT_RATE] = { "connect_rate", 3, 0 },
	[LS_KPI_TALK_TIME] = { "talk_time_s", 0, 1 },
	[LS_KPI_AVG_CALL] = { "avg_call_s", 1, 0 },
	[LS_KPI_INTERESTED] = { "interested", 0, 1 },
	[LS_KPI_LEADS] = { "leads_assigned", 0, 1 },
	[LS_KPI_WON] = { "deals_won", 0, 1 },
	[LS_KPI_LOST] = { "deals_lost", 0, 1 },
	[LS_KPI_WIN_RATE] = { "win_rate", 3, 0 },
	[LS_KPI_REVENUE] = { "revenue", 2, 1 },
	[LS_KPI_AVG_DEAL] = { "avg_deal", 2, 0 },
	[LS_KPI_TICKETS] = { "tickets_handled", 0, 1 },
	[LS_KPI_SLA_MET] = { "sla_met_pct", 1, 0 },
};

const char *
ls_kpi_name(enum ls_kpi_id k)
{
	return kpis[k].name;
}

int
ls_kpi_decimals(enum ls_kpi_id k)
{
	return kpis[k].decimals;
}

int
ls_kpi_additive(enum ls_kpi_id k)
{
	return kpis[k].additive;
}

int
ls_kpi_lookup(const char *name, size_t n)
{
	for (int k = 0; k < LS_KPI_COUNT; k++)
		if (strlen(kpis[k].name) == n && memcmp(kpis[k].name, name, n) == 0)
			return k;
	return -1;
}

/*
 * A KPI as the exact ratio *num / *den of sums; 0 when the denominator is
 * empty.  The formulas of kpi-report(1)'s COLUMNS section.
 */
static int
kpi_value(int k, const int64_t *s, i128 *num, i128 *den)
{
	*den = 1;
	switch (k) {
	case LS_KPI_CALLS: *num = s[S_CALLS]; break;
	case LS_KPI_CONNECTED: *num = s[S_CONNECTED]; break;
	case LS_KPI_CONNECT_RATE: *num = s[S_CONNECTED]; *den = s[S_CALLS]; break;
	case LS_KPI_TALK_TIME: *num = s[S_TALK]; break;
	case LS_KPI_AVG_CALL: *num = s[S_TALK]; *den = s[S_CALLS]; break;
	case LS_KPI_INTERESTED: *num = s[S_INTERESTED]; break;
	case LS_KPI_LEADS: *num = s[S_LEADS]; break;
	case LS_KPI_WON: *num = s[S_WON]; break;
	case LS_KPI_LOST: *num = s[S_LOST]; break;
	case LS_KPI_WIN_RATE: *num = s[S_WON]; *den = (i128)s[S_WON] + s[S_LOST]; break;
	case LS_KPI_REVENUE: *num = s[S_REVENUE]; *den = 100; break;
	case LS_KPI_AVG_DEAL: *num = s[S_REVENUE]; *den = (i128)s[S_WON] * 100; break;
	case LS_KPI_TICKETS: *num = s[S_TICKETS]; break;
	case LS_KPI_SLA_MET: *num = (i128)s[S_SLA_MET] * 100; *den = s[S_TICKETS]; break;
	default: return 0;
	}
	return *den != 0;
}

/* num / den rounded half away from zero to dec decimals, written as text into buf. */
static void
format_ratio(i128 num, i128 den, int dec, char *buf, size_t size)
{
	i128 q, r, scale = 1;
	int neg = 0;
	char digits[64];
	size_t nd = 0, o = 0;

	for (int i = 0; i < dec; i++)
		scale *= 10;
	if (den < 0) {
		num = -num;
		den = -den;
	}
	if (num < 0) {
		neg = 1;
		num = -num;
	}
	num *= scale;
	q = num / den;
	r = num % den;
	if (r * 2 >= den)
		q++;
	if (q == 0)
		neg = 0;
	do {
		digits[nd++] = (char)('0' + (int)(q % 10));
		q /= 10;
	} while (q > 0 || nd <= (size_t)dec);
	if (neg && o + 1 < size)
		buf[o++] = '-';
	while (nd > 0 && o + 2 < size) {
		if (nd == (size_t)dec)
			buf[o++] = '.';
		buf[o++] = digits[--nd];
	}
	buf[o] = '\0';
}

/* ---- the config ---- */

enum col_id {
	C_MANAGER, C_STARTED_AT, C_DURATION, C_OUTCOME, C_STAGE, C_AMOUNT, C_CLOSED_AT,
	C_CREATED_AT, C_ASSIGN_REASON, C_AGENT, C_STATUS, C_UPDATED_AT, C_SLA, NCOLS
};

static const char *const col_names[NCOLS + 1] = {
	"manager", "started_at", "duration_s", "outcome", "stage", "amount", "closed_at",
	"created_at", "assign_reason", "agent", "status", "updated_at", "sla", NULL
};

static const char *const outcomes[] = {
	"interested", "not_interested", "no_answer", "callback", "wrong_number", "do_not_call"
};
#define NOUTCOMES (sizeof(outcomes) / sizeof(outcomes[0]))

struct target {
	const char *who;		/* "default", a team or a manager */
	int64_t plan[LS_KPI_COUNT];	/* PLAN_SCALE decimals */
	unsigned char has[LS_KPI_COUNT];
};

struct team {
	const char *name;
	const struct ls_node *members;	/* SEQ of scalars */
};

struct ls_kpi_config {
	struct ls_config *cfg;
	struct ls_tz *tz;
	const char *connected[32];	/* outcome names counted as connected */
	size_t nconnected;
	struct team *teams;
	size_t nteams;
	struct target *targets;
	size_t ntargets;
	long def;			/* index of targets' default, -1 */
	unsigned char targeted[LS_KPI_COUNT];
	const char *col[NCOLS];
	uint64_t fingerprint;
};

static uint64_t
fnv1a(const void *p, size_t n, uint64_t h)
{
	const unsigned char *s = p;

	for (size_t i = 0; i < n; i++) {
		h ^= s[i];
		h *= 0x100000001b3ULL;
	}
	return h;
}

static int
file_fingerprint(const char *path, uint64_t *out, struct ls_error *err)
{
	FILE *fp = fopen(path, "rb");
	char buf[8192];
	uint64_t h = 0xcbf29ce484222325ULL;
	size_t n;

	if (fp == NULL)
		return ls_error_set(err, LS_ECONFIG, path, 0, 0, "cannot read the config");
	while ((n = fread(buf, 1, sizeof(buf), fp)) > 0)
		h = fnv1a(buf, n, h);
	if (ferror(fp)) {
		fclose(fp);
		return ls_error_set(err, LS_ECONFIG, path, 0, 0, "cannot read the config");
	}
	fclose(fp);
	*out = h;
	return 0;
}

static int
load_targets(struct ls_kpi_config *kc, const struct ls_node *tn, struct ls_error *err)
{
	static const char *allowed[LS_KPI_COUNT + 1];
	const struct ls_config *c = kc->cfg;

	for (int k = 0; k < LS_KPI_COUNT; k++)
		allowed[k] = kpis[k].name;
	allowed[LS_KPI_COUNT] = NULL;
	if (tn == NULL)
		return 0;
	if (ls_node_expect(c, tn, LS_NODE_MAP, err))
		return LS_ECONFIG;
	if ((kc->targets = calloc(tn->len ? tn->len : 1, sizeof(*kc->targets))) == NULL)
		return ls_error_set(err, LS_ENOMEM, NULL, 0, 0, "out of memory");
	for (size_t i = 0; i < tn->len; i++) {
		const struct ls_node *m = tn->items[i];
		struct target *t = &kc->targets[kc->ntargets++];

		t->who = tn->keys[i]->value;
		if (strcmp(t->who, "default") == 0)
			kc->def = (long)i;
		if (ls_node_check_keys(c, m, allowed, err))
			return LS_ECONFIG;
		if (ls_node_expect(c, m, LS_NODE_MAP, err))
			return LS_ECONFIG;
		for (size_t j = 0; j < m->len; j++) {
			const struct ls_node *v = m->items[j];
			int k = ls_kpi_lookup(m->keys[j]->value, m->keys[j]->len);
			int64_t p;

			if (ls_node_expect(c, v, LS_NODE_SCALAR, err))
				return LS_ECONFIG;
			if (ls_money_parse(v->value, v->len, PLAN_SCALE, LS_MONEY_ROUND, &p, NULL) != 0 || p < 0)
				return ls_node_error(c, v, err, "expected a plan (a number >= 0) for %s, got '%s'",
				    kpis[k].name, v->value);
			t->plan[k] = p;
			t->has[k] = 1;
			kc->targeted[k] = 1;
		}
	}
	return 0;
}

struct ls_kpi_config *
ls_kpi_config_load(const char *path, struct ls_error *err)
{
	static const char *const keys[] = {
		"timezone", "connected_outcomes", "teams", "targets", "columns", NULL
	};
	struct ls_kpi_config *kc;
	const struct ls_node *root, *n;
	const struct ls_config *c;
	const char *s;

	if ((kc = calloc(1, sizeof(*kc))) == NULL) {
		ls_error_set(err, LS_ENOMEM, NULL, 0, 0, "out of memory");
		return NULL;
	}
	kc->def = -1;
	memcpy(kc->col, col_names, sizeof(kc->col));
	if ((kc->cfg = ls_config_load(path, err)) == NULL)
		goto fail;
	c = kc->cfg;
	root = ls_config_root(c);
	if (file_fingerprint(path, &kc->fingerprint, err) != 0 ||
	    ls_node_check_keys(c, root, keys, err) != 0)
		goto fail;

	s = NULL;
	if ((n = ls_node_get(root, "timezone")) != NULL && ls_node_str(c, n, &s, err) != 0)
		goto fail;
	if ((kc->tz = ls_tz_open(s, err)) == NULL) {
		if (n != NULL) {
			char msg[sizeof(err->msg)];

			snprintf(msg, sizeof(msg), "%s", err->msg);
			ls_node_error(c, n, err, "%s", msg);
		}
		goto fail;
	}

	if ((n = ls_node_get(root, "connected_outcomes")) != NULL) {
		if (ls_node_expect(c, n, LS_NODE_SEQ, err) != 0)
			goto fail;
		if (n->len > sizeof(kc->connected) / sizeof(kc->connected[0])) {
			ls_node_error(c, n, err, "too many connected_outcomes (at most 32)");
			goto fail;
		}
		for (size_t i = 0; i < n->len; i++) {
			if (ls_node_str(c, n->items[i], &s, err) != 0)
				goto fail;
			kc->connected[kc->nconnected++] = s;
		}
	} else {
		/* the default: every outcome but no_answer and wrong_number */
		for (size_t i = 0; i < NOUTCOMES; i++)
			if (strcmp(outcomes[i], "no_answer") != 0 && strcmp(outcomes[i], "wrong_number") != 0)
				kc->connected[kc->nconnected++] = outcomes[i];
	}

	if ((n = ls_node_get(root, "teams")) != NULL) {
		if (ls_node_expect(c, n, LS_NODE_MAP, err) != 0)
			goto fail;
		if ((kc->teams = calloc(n->len ? n->len : 1, sizeof(*kc->teams))) == NULL) {
			ls_error_set(err, LS_ENOMEM, NULL, 0, 0, "out of memory");
			goto fail;
		}
		for (size_t i = 0; i < n->len; i++) {
			const struct ls_node *m = n->items[i];

			if (ls_node_expect(c, m, LS_NODE_SEQ, err) != 0)
				goto fail;
			for (size_t j = 0; j < m->len; j++)
				if (ls_node_str(c, m->items[j], &s, err) != 0)
					goto fail;
			kc->teams[kc->nteams].name = n->keys[i]->value;
			kc->teams[kc->nteams++].members = m;
		}
	}

	if (load_targets(kc, ls_node_get(root, "targets"), err) != 0)
		goto fail;

	if ((n = ls_node_get(root, "columns")) != NULL) {
		if (ls_node_check_keys(c, n, col_names, err) != 0)
			goto fail;
		for (size_t i = 0; i < n->len; i++) {
			for (int j = 0; j < NCOLS; j++)
				if (strcmp(n->keys[i]->value, col_names[j]) == 0 &&
				    ls_node_str(c, n->items[i], &kc->col[j], err) != 0)
					goto fail;
		}
	}
	return kc;
fail:
	ls_kpi_config_free(kc);
	return NULL;
}

void
ls_kpi_config_free(struct ls_kpi_config *kc)
{
	if (kc == NULL)
		return;
	ls_tz_free(kc->tz);
	free(kc->teams);
	free(kc->targets);
	ls_config_free(kc->cfg);
	free(kc);
}

struct ls_tz *
ls_kpi_config_tz(const struct ls_kpi_config *c)
{
	return c->tz;
}

uint64_t
ls_kpi_config_fingerprint(const struct ls_kpi_config *c)
{
	return c->fingerprint;
}

/* The first team listing manager id, or -1. */
static long
team_of(const struct ls_kpi_config *kc, const char *id)
{
	for (size_t i = 0; i < kc->nteams; i++) {
		const struct ls_node *m = kc->teams[i].members;

		for (size_t j = 0; j < m->len; j++)
			if (strcmp(m->items[j]->value, id) == 0)
				return (long)i;
	}
	return -1;
}

static const struct target *
target_of(const struct ls_kpi_config *kc, const char *who)
{
	for (size_t i = 0; i < kc->ntargets; i++)
		if (strcmp(kc->targets[i].who, who) == 0)
			return &kc->targets[i];
	return NULL;
}

/* A manager's plan for KPI k: their own entry, else their team's, else default.  0 when none. */
static int
manager_plan(const struct ls_kpi_config *kc, const char *id, int k, int64_t *plan)
{
	const struct target *t;
	long team;

	if (strcmp(id, NO_MANAGER) == 0)
		return 0;
	if ((t = target_of(kc, id)) != NULL && t->has[k])
		return *plan = t->plan[k], 1;
	if ((team = team_of(kc, id)) >= 0 && (t = target_of(kc, kc->teams[team].name)) != NULL &&
	    t->has[k])
		return *plan = t->plan[k], 1;
	if (kc->def >= 0 && kc->targets[kc->def].has[k])
		return *plan = kc->targets[kc->def].plan[k], 1;
	return 0;
}

/* ---- sums ---- */

struct mgr {
	char *name;
	size_t len;
};

struct group {
	int64_t day;			/* first day of the period, days since 1970-01-01 */
	size_t mgr;
	int64_t s[NSUMS];
};

struct binding {
	int bound;
	long col[NCOLS];		/* input column of each spec column, -1 */
};

struct ls_kpi {
	const struct ls_kpi_config *kc;
	struct ls_kpi_opts o;
	int have_opts;			/* merge: period and range known from a partial */
	int64_t lo, hi;			/* the range in local days, when has_from / has_to */
	int64_t lead_day;
	struct mgr *m;
	size_t nm, capm;
	struct ls_keyset *mset;		/* manager name -> uint32_t index into m */
	struct group *g;
	size_t ng, capg;
	struct ls_keyset *gset;		/* struct gkey -> uint32_t index into g */
	size_t last_g;			/* cache: the group of the previous record */
	int have_last;
	struct binding b[LS_KPI_NINPUTS];
	unsigned char connected_known[32];
	unsigned long unknown;
	char *unknown_outcome, *unknown_file;
	long unknown_line;
	unsigned long nmerged;
	int64_t ps_day, ps_start;	/* cache: the last local day's period start */
	int have_ps;
	/* cache of the last timestamp's date part: the same day is not converted again */
	int64_t ts_day_start, ts_day_end, ts_day;
};

/* Keys of the group table: a (day, manager) pair, padding-free. */
struct gkey {
	int64_t day;
	uint64_t mgr;
};

/* The index of manager name[0..n), added when new; -1 when out of memory. */
static long
intern(struct ls_kpi *k, const char *name, size_t n)
{
	uint32_t h, idx;
	const char *v;
	void *nv;
	int created, status;

	if (n == 0) {
		name = NO_MANAGER;
		n = strlen(NO_MANAGER);
	}
	h = ls_keyset_hash(name, n);
	if ((v = ls_keyset_get_h(k->mset, name, n, h)) != NULL) {
		memcpy(&idx, v, sizeof(idx));
		return (long)idx;
	}
	if (ls_grow(&k->m, &k->capm, k->nm + 1, sizeof(*k->m)) != 0 ||
	    (k->m[k->nm].name = malloc(n + 1)) == NULL)
		return -1;
	if ((nv = ls_keyset_upsert_h(k->mset, name, n, h, sizeof(idx), &created, &status)) == NULL) {
		free(k->m[k->nm].name);
		return -1;
	}
	memcpy(k->m[k->nm].name, name, n);
	k->m[k->nm].name[n] = '\0';
	k->m[k->nm].len = n;
	idx = (uint32_t)k->nm++;
	memcpy(nv, &idx, sizeof(idx));
	return (long)idx;
}

/* The sums of (day, mgr), created zero when new; NULL when out of memory. */
static int64_t *
group(struct ls_kpi *k, int64_t day, size_t mgr)
{
	struct gkey key = { day, (uint64_t)mgr };
	uint32_t h, idx;
	const char *v;
	void *nv;
	int created, status;

	if (k->have_last && k->g[k->last_g].day == day && k->g[k->last_g].mgr == mgr)
		return k->g[k->last_g].s;
	h = ls_keyset_hash(&key, sizeof(key));
	if ((v = ls_keyset_get_h(k->gset, &key, sizeof(key), h)) != NULL) {
		memcpy(&idx, v, sizeof(idx));
	} else {
		if (ls_grow(&k->g, &k->capg, k->ng + 1, sizeof(*k->g)) != 0 ||
		    (nv = ls_keyset_upsert_h(k->gset, &key, sizeof(key), h, sizeof(idx), &created,
		    &status)) == NULL)
			return NULL;
		memset(&k->g[k->ng], 0, sizeof(k->g[k->ng]));
		k->g[k->ng].day = day;
		k->g[k->ng].mgr = mgr;
		idx = (uint32_t)k->ng++;
		memcpy(nv, &idx, sizeof(idx));
	}
	k->last_g = idx;
	k->have_last = 1;
	return k->g[idx].s;
}

static int64_t
day_number(const struct ls_date *d)
{
	return ls_date_to_days(d);
}

/* The first day of the period holding local day `day`. */
static int64_t
period_start(enum ls_period per, int64_t day)
{
	struct ls_date d, first, next;

	ls_date_from_days(day, &d);
	ls_period_days(per, &d, &first, &next);
	return day_number(&first);
}

static int64_t
period_next(enum ls_period per, int64_t start)
{
	struct ls_date d, first, next;

	ls_date_from_days(start, &d);
	ls_period_days(per, &d, &first, &next);
	return day_number(&next);
}

/* period_start() for records: days repeat, so the last answer is kept */
static int64_t
record_period(struct ls_kpi *k, int64_t day)
{
	if (!k->have_ps || k->ps_day != day) {
		k->ps_day = day;
		k->ps_start = period_start(k->o.period, day);
		k->have_ps = 1;
	}
	return k->ps_start;
}

static void
set_range(struct ls_kpi *k)
{
	k->lo = k->o.has_from ? day_number(&k->o.from) : INT64_MIN;
	k->hi = k->o.has_to ? day_number(&k->o.to) : INT64_MAX;
	k->lead_day = day_number(&k->o.lead_day);
}

static struct ls_kpi *
kpi_alloc(const struct ls_kpi_config *c, struct ls_error *err)
{
	struct ls_kpi *k = calloc(1, sizeof(*k));

	if (k == NULL) {
		ls_error_set(err, LS_ENOMEM, NULL, 0, 0, "out of memory");
		return NULL;
	}
	k->kc = c;
	k->ts_day_start = k->ts_day_end = 0;
	if ((k->mset = ls_keyset_new()) == NULL || (k->gset = ls_keyset_new()) == NULL) {
		ls_kpi_free(k);
		ls_error_set(err, LS_ENOMEM, NULL, 0, 0, "out of memory");
		return NULL;
	}
	return k;
}

struct ls_kpi *
ls_kpi_new(const struct ls_kpi_config *c, const struct ls_kpi_opts *o, struct ls_error *err)
{
	struct ls_kpi *k = kpi_alloc(c, err);

	if (k == NULL)
		return NULL;
	k->o = *o;
	k->have_opts = 1;
	set_range(k);
	return k;
}

struct ls_kpi *
ls_kpi_new_merge(const struct ls_kpi_config *c, struct ls_error *err)
{
	return kpi_alloc(c, err);
}

void
ls_kpi_free(struct ls_kpi *k)
{
	if (k == NULL)
		return;
	for (size_t i = 0; i < k->nm; i++)
		free(k->m[i].name);
	free(k->m);
	ls_keyset_free(k->mset);
	free(k->g);
	ls_keyset_free(k->gset);
	free(k->unknown_outcome);
	free(k->unknown_file);
	free(k);
}

int
ls_kpi_bind(struct ls_kpi *k, enum ls_kpi_input in, const struct ls_str *hdr, size_t ncols,
    const char *file, struct ls_error *err)
{
	static const int need[LS_KPI_NINPUTS][5] = {
		[LS_KPI_IN_CALLS] = { C_MANAGER, C_STARTED_AT, C_DURATION, C_OUTCOME, -1 },
		[LS_KPI_IN_DEALS] = { C_MANAGER, C_STAGE, C_AMOUNT, C_CLOSED_AT, -1 },
		[LS_KPI_IN_LEADS] = { C_MANAGER, -1 },
		[LS_KPI_IN_TICKETS] = { C_AGENT, C_STATUS, C_UPDATED_AT, C_SLA, -1 },
	};
	static const char *const flag[LS_KPI_NINPUTS] = { "--calls", "--deals", "--leads", "--tickets" };
	struct binding *b = &k->b[in];

	for (int j = 0; j < NCOLS; j++) {
		const char *name = k->kc->col[j];

		b->col[j] = ls_header_find(hdr, ncols, name, strlen(name));
	}
	for (int i = 0; i < 5 && need[in][i] >= 0; i++) {
		int j = need[in][i];

		if (b->col[j] < 0) {
			struct ls_error e;

			ls_col_need(hdr, ncols, k->kc->col[j], flag[in], &b->col[j], &e);
			/* exit status 1, as before: the input, not the config, lacks it */
			return ls_error_set(err, LS_EDATA, file, 0, 0, "%s", e.msg);
		}
	}
	b->bound = 1;
	return 0;
}

static int
all_digits(const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] < '0' || p[i] > '9')
			return 0;
	return n > 0;
}

/*
 * The local day of a timestamp: RFC 3339, a local "YYYY-MM-DD HH:MM:SS",
 * a date alone, or the Russian "DD.MM.YYYY[ HH:MM[:SS]]".  Instants of the
 * day last converted cost two comparisons.
 */
static int
local_day(struct ls_kpi *k, const char *p, size_t n, int64_t *day, struct ls_error *err)
{
	char alt[32];
	struct ls_date d;
	int64_t t;

	if (n >= 10 && p[2] == '.' && p[5] == '.' && all_digits(p, 2) && all_digits(p + 3, 2) &&
	    all_digits(p + 6, 4) && (n == 10 || n == 16 || n == 19) && (n == 10 || p[10] == ' ')) {
		/* DD.MM.YYYY[ HH:MM[:SS]]: local time in the zone */
		memcpy(alt, p + 6, 4);
		alt[4] = '-';
		memcpy(alt + 5, p + 3, 2);
		alt[7] = '-';
		memcpy(alt + 8, p, 2);
		if (n == 10) {
			n = 10;
		} else {
			memcpy(alt + 10, p + 10, n - 10);
			if (n == 16)
				memcpy(alt + n, ":00", 3), n += 3;
		}
		alt[n] = '\0';
		p = alt;
	}
	if (n == 10) {
		if (ls_date_parse(p, n, &d, err) != 0)
			return LS_EDATA;
		*day = day_number(&d);
		return 0;
	}
	if (ls_time_parse(p, n, k->kc->tz, LS_TIME_LOCAL, &t, err) != 0)
		return LS_EDATA;
	if (k->ts_day_end > k->ts_day_start && t >= k->ts_day_start && t < k->ts_day_end) {
		*day = k->ts_day;
		return 0;
	}
	if (ls_tz_date(k->kc->tz, t, &d) != 0)
		return ls_error_set(err, LS_EDATA, NULL, 0, 0, "timestamp out of range");
	*day = day_number(&d);
	if (ls_period_range(k->kc->tz, LS_PERIOD_DAY, t, &k->ts_day_start, &k->ts_day_end) == 0)
		k->ts_day = *day;
	else
		k->ts_day_start = k->ts_day_end = 0;
	return 0;
}

static const struct ls_str *
field(const struct ls_kpi *k, enum ls_kpi_input in, const struct ls_record *rec, int c)
{
	static const struct ls_str empty = { "", 0 };
	long i = k->b[in].col[c];

	return i >= 0 && (size_t)i < rec->nfields ? &rec->fields[i] : &empty;
}

static int
rec_error(const struct ls_record *rec, struct ls_error *err, const char *what, const struct ls_str *v,
    const char *detail)
{
	char shown[64], why[256] = "";
	size_t n = v->n > 40 ? 40 : v->n;
	const char *cut;

	/* the value as it reads on one line */
	for (size_t i = 0; i < n; i++)
		shown[i] = (unsigned char)v->p[i] < 0x20 ? '?' : v->p[i];
	shown[n] = '\0';
	/* a library message "bad timestamp 'X': why" is told by its why; it may live in err itself */
	if (detail != NULL) {
		snprintf(why, sizeof(why), "%s", (cut = strstr(detail, "': ")) != NULL ? cut + 3 : detail);
	}
	return ls_error_set(err, LS_EDATA, rec->file, rec->line, 0, "%s '%s%s'%s%s", what, shown,
	    v->n > n ? "..." : "", why[0] ? ": " : "", why);
}

static int
eq(const struct ls_str *v, const char *s)
{
	size_t n = strlen(s);

	return v->n == n && memcmp(v->p, s, n) == 0;
}

static int
checked_add(int64_t *a, int64_t b, const struct ls_record *rec, struct ls_error *err)
{
	if (__builtin_add_overflow(*a, b, a))
		return ls_error_set(err, LS_EDATA, rec ? rec->file : NULL, rec ? rec->line : 0, 0,
		    "sum overflow");
	return 0;
}

/* The period's sums for a record dated at column c, or *s NULL when outside the range. */
static int
dated_group(struct ls_kpi *k, enum ls_kpi_input in, const struct ls_record *rec, int c,
    const char *what, int64_t **s, struct ls_error *err)
{
	const struct ls_str *v = field(k, in, rec, c);
	int64_t day = 0;	/* set by local_day() on success; gcc's PGO build without LTO cannot tell */
	long m;

	*s = NULL;
	if (local_day(k, v->p, v->n, &day, err) != 0)
		return rec_error(rec, err, what, v, err->msg[0] ? err->msg : NULL);
	if (day < k->lo || day > k->hi)
		return 0;
	const struct ls_str *mv = field(k, in, rec, in == LS_KPI_IN_TICKETS ? C_AGENT : C_MANAGER);
	if ((m = intern(k, mv->p, mv->n)) < 0 || (*s = group(k, record_period(k, day), (size_t)m)) == NULL)
		return ls_error_set(err, LS_ENOMEM, NULL, 0, 0, "out of memory");
	return 0;
}

static int
add_call(struct ls_kpi *k, const struct ls_record *rec, struct ls_error *err)
{
	const struct ls_str *dur = field(k, LS_KPI_IN_CALLS, rec, C_DURATION);
	const struct ls_str *out = field(k, LS_KPI_IN_CALLS, rec, C_OUTCOME);
	int64_t secs = 0, *s;
	int connected = 0, known = 0;
	size_t i;

	/* validate everything before the record counts anywhere */
	if (dur->n > 0 && dur->p[0] == '-' && all_digits(dur->p + 1, dur->n - 1))
		return rec_error(rec, err, "negative duration_s", dur, NULL);
	if (dur->n > 0) {
		if (!all_digits(dur->p, dur->n) || dur->n > 12)
			return rec_error(rec, err, "bad duration_s", dur, "expected whole seconds");
		for (i = 0; i < dur->n; i++)
			secs = secs * 10 + (dur->p[i] - '0');
	}
	for (i = 0; i < k->kc->nconnected; i++)
		if (eq(out, k->kc->connected[i])) {
			connected = known = 1;
			break;
		}
	for (i = 0; !known && i < NOUTCOMES; i++)
		if (eq(out, outcomes[i]))
			known = 1;
	if (dated_group(k, LS_KPI_IN_CALLS, rec, C_STARTED_AT, "bad started_at", &s, err) != 0)
		return LS_EDATA;
	if (s == NULL)
		return 0;
	if (!known && k->unknown++ == 0) {
		k->unknown_outcome = strndup(out->p, out->n > 60 ? 60 : out->n);
		k->unknown_file = strdup(rec->file ? rec->file : "");
		k->unknown_line = rec->line;
	}
	s[S_CALLS]++;
	s[S_CONNECTED] += connected;
	s[S_INTERESTED] += eq(out, "interested");
	return checked_add(&s[S_TALK], secs, rec, err);
}

static int
add_deal(struct ls_kpi *k, const struct ls_record *rec, struct ls_error *err)
{
	const struct ls_str *stage = field(k, LS_KPI_IN_DEALS, rec, C_STAGE);
	const struct ls_str *amt = field(k, LS_KPI_IN_DEALS, rec, C_AMOUNT);
	int won = eq(stage, "won"), lost = eq(stage, "lost");
	int64_t minor = 0, *s;
	struct ls_error e = { 0 };

	if (!won && !lost)
		return 0;	/* open deals (and any other CRM stage) are not closed yet */
	if (won && ls_money_parse(amt->p, amt->n, MONEY_SCALE, k->o.money_flags, &minor, &e) != 0)
		return rec_error(rec, err, "deal amount is not money:", amt, e.msg[0] ? e.msg : NULL);
	if (dated_group(k, LS_KPI_IN_DEALS, rec, C_CLOSED_AT, "bad closed_at", &s, err) != 0)
		return LS_EDATA;
	if (s == NULL)
		return 0;
	if (won) {
		s[S_WON]++;
		return checked_add(&s[S_REVENUE], minor, rec, err);
	}
	s[S_LOST]++;
	return 0;
}

static int
add_lead(struct ls_kpi *k, const struct ls_record *rec, struct ls_error *err)
{
	const struct ls_str *mv = field(k, LS_KPI_IN_LEADS, rec, C_MANAGER);
	const struct ls_str *why = field(k, LS_KPI_IN_LEADS, rec, C_ASSIGN_REASON);
	const struct ls_str *at = field(k, LS_KPI_IN_LEADS, rec, C_CREATED_AT);
	int64_t day = k->lead_day, *s;
	long m;

	/* an empty manager was not dealt; already_assigned was counted by the run that dealt it */
	if (mv->n == 0 || eq(why, "already_assigned"))
		return 0;
	if (at->n > 0 && local_day(k, at->p, at->n, &day, err) != 0)
		return rec_error(rec, err, "bad created_at", at, err->msg[0] ? err->msg : NULL);
	if (day < k->lo || day > k->hi)
		return 0;
	if ((m = intern(k, mv->p, mv->n)) < 0 || (s = group(k, record_period(k, day), (size_t)m)) == NULL)
		return ls_error_set(err, LS_ENOMEM, NULL, 0, 0, "out of memory");
	s[S_LEADS]++;
	return 0;
}

static int
add_ticket(struct ls_kpi *k, const struct ls_record *rec, struct ls_error *err)
{
	const struct ls_str *st = field(k, LS_KPI_IN_TICKETS, rec, C_STATUS);
	const struct ls_str *sla = field(k, LS_KPI_IN_TICKETS, rec, C_SLA);
	const struct ls_str *agent = field(k, LS_KPI_IN_TICKETS, rec, C_AGENT);
	int64_t *s;

	/* handled: solved or closed, by the agent, on the day of its last update */
	if (!(eq(st, "solved") || eq(st, "closed")) || agent->n == 0)
		return 0;
	if (dated_group(k, LS_KPI_IN_TICKETS, rec, C_UPDATED_AT, "bad updated_at", &s, err) != 0)
		return LS_EDATA;
	if (s == NULL)
		return 0;
	s[S_TICKETS]++;
	s[S_SLA_MET] += eq(sla, "met") || eq(sla, "ok");
	return 0;
}

int
ls_kpi_add(struct ls_kpi *k, enum ls_kpi_input in, const struct ls_record *rec, struct ls_error *err)
{
	struct ls_error local;

	/* the record's messages are built in err: a caller that wants none still needs one */
	if (err == NULL)
		err = &local;
	err->msg[0] = '\0';
	switch (in) {
	case LS_KPI_IN_CALLS: return add_call(k, rec, err);
	case LS_KPI_IN_DEALS: return add_deal(k, rec, err);
	case LS_KPI_IN_LEADS: return add_lead(k, rec, err);
	case LS_KPI_IN_TICKETS: return add_ticket(k, rec, err);
	default: return ls_error_set(err, LS_EUSAGE, NULL, 0, 0, "bad input kind");
	}
}

unsigned long
ls_kpi_unknown_outcomes(const struct ls_kpi *k, const char **outcome, const char **file, long *line)
{
	if (k->unknown) {
		*outcome = k->unknown_outcome ? k->unknown_outcome : "";
		*file = k->unknown_file ? k->unknown_file : "";
		*line = k->unknown_line;
	}
	return k->unknown;
}

/* ---- partials ---- */

#define PARTIAL_PREFIX	"kpi-partial,"	/* then the version */
#define PARTIAL_VERSION	1

static const char *const period_names[] = { "day", "week", "month" };

static void
put_name(FILE *fp, const char *s)
{
	/* names are percent-encoded where they would break the line format */
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '%' || c == ',' || c < 0x20 || c == 0x7f)
			fprintf(fp, "%%%02X", c);
		else
			putc(c, fp);
	}
}

static void
put_date(FILE *fp, int has, const struct ls_date *d)
{
	char buf[LS_DATE_BUFSZ];

	if (has && ls_date_format(d, buf, sizeof(buf)) == 0)
		fputs(buf, fp);
}

int
ls_kpi_write_partial(const struct ls_kpi *k, FILE *fp, struct ls_error *err)
{
	char buf[LS_DATE_BUFSZ];
	struct ls_date d;

	fprintf(fp, "%s%d\nconfig,%016llx\nperiod,%s\nrange,", PARTIAL_PREFIX, PARTIAL_VERSION,
	    (unsigned long long)k->kc->fingerprint, period_names[k->o.period]);
	put_date(fp, k->o.has_from, &k->o.from);
	putc(',', fp);
	put_date(fp, k->o.has_to, &k->o.to);
	fprintf(fp, "\ntickets,%d\nsums,day,manager", k->o.tickets ? 1 : 0);
	for (int i = 0; i < NSUMS; i++)
		fprintf(fp, ",%s", sum_names[i]);
	putc('\n', fp);
	for (size_t i = 0; i < k->ng; i++) {
		const struct group *g = &k->g[i];

		ls_date_from_days(g->day, &d);
		ls_date_format(&d, buf, sizeof(buf));
		fprintf(fp, "g,%s,", buf);
		put_name(fp, k->m[g->mgr].name);
		for (int j = 0; j < NSUMS; j++)
			fprintf(fp, ",%lld", (long long)g->s[j]);
		putc('\n', fp);
	}
	fprintf(fp, "end,%zu\n", k->ng);
	errno = 0;
	if (fflush(fp) != 0 || ferror(fp)) {
		if (errno == EPIPE)
			return ls_error_set(err, LS_EPIPE, NULL, 0, 0, "write error: %s", strerror(errno));
		/* an earlier failed write leaves its errno long gone: say only what is known */
		if (errno == 0)
			return ls_error_set(err, LS_EIO, NULL, 0, 0, "write error");
		return ls_error_set(err, LS_EIO, NULL, 0, 0, "write error: %s", strerror(errno));
	}
	return 0;
}

/* Line reading over a buffer. */
struct lines {
	const char *p, *end, *name;
	long line;
};

static int
next_line(struct lines *L, const char **s, size_t *n)
{
	const char *e;

	if (L->p >= L->end)
		return 0;
	e = memchr(L->p, '\n', (size_t)(L->end - L->p));
	if (e == NULL)
		e = L->end;
	*s = L->p;
	*n = (size_t)(e - L->p);
	if (*n > 0 && (*s)[*n - 1] == '\r')
		(*n)--;
	L->p = e < L->end ? e + 1 : e;
	L->line++;
	return 1;
}

/* Split s[0..n) at commas into f (at most max); returns the count. */
static size_t
split(const char *s, size_t n, struct ls_str *f, size_t max)
{
	size_t nf = 0, start = 0;

	for (size_t i = 0; i <= n && nf < max; i++)
		if (i == n || s[i] == ',') {
			f[nf].p = s + start;
			f[nf].n = i - start;
			nf++;
			start = i + 1;
		}
	return nf;
}

static int
lerr(const struct lines *L, struct ls_error *err, const char *msg)
{
	return ls_error_set(err, LS_EDATA, L->name, L->line, 0, "%s", msg);
}

static int
parse_i64(const struct ls_str *f, int64_t *v)
{
	const char *p = f->p;
	size_t n = f->n;
	int neg = 0;
	int64_t x = 0;

	if (n > 0 && *p == '-')
		neg = 1, p++, n--;
	if (!all_digits(p, n) || n > 18)
		return -1;
	for (size_t i = 0; i < n; i++)
		x = x * 10 + (p[i] - '0');
	*v = neg ? -x : x;
	return 0;
}

static int
parse_opt_date(const struct ls_str *f, int *has, struct ls_date *d)
{
	*has = f->n > 0;
	return f->n == 0 ? 0 : ls_date_parse(f->p, f->n, d, NULL);
}

static int
unescape(const struct ls_str *f, char *out, size_t *n)
{
	size_t o = 0;

	for (size_t i = 0; i < f->n; i++) {
		if (f->p[i] == '%') {
			unsigned v = 0;

			if (i + 2 >= f->n)
				return -1;
			for (int j = 1; j <= 2; j++) {
				char c = f->p[i + j];

				v = v * 16 + (unsigned)(c >= '0' && c <= '9' ? c - '0' :
				    c >= 'A' && c <= 'F' ? c - 'A' + 10 : c >= 'a' && c <= 'f' ? c - 'a' + 10 : 99);
			}
			if (v > 255)
				return -1;
			out[o++] = (char)v;
			i += 2;
		} else {
			out[o++] = f->p[i];
		}
	}
	*n = o;
	return 0;
}

/* One partial record from L: its header is checked against k, its groups added. */
static int
merge_one(struct ls_kpi *k, struct lines *L, struct ls_error *err)
{
	struct ls_str f[NSUMS + 4];
	struct ls_kpi_opts o = { 0 };
	const char *s;
	size_t n, nf, ngroups = 0;
	char want[64];
	int i;

	/* "kpi-partial,1" was read by the caller */
	if (!next_line(L, &s, &n) || (nf = split(s, n, f, 3)) != 2 || !eq(&f[0], "config"))
		return lerr(L, err, "bad partial: expected 'config,FINGERPRINT'");
	snprintf(want, sizeof(want), "%016llx", (unsigned long long)k->kc->fingerprint);
	if (!eq(&f[1], want))
		return lerr(L, err, "partial made with another config (its fingerprint differs from -c's)");
	if (!next_line(L, &s, &n) || (nf = split(s, n, f, 3)) != 2 || !eq(&f[0], "period"))
		return lerr(L, err, "bad partial: expected 'period,day|week|month'");
	for (i = 0; i < 3; i++)
		if (eq(&f[1], period_names[i]))
			break;
	if (i == 3)
		return lerr(L, err, "bad partial: unknown period kind");
	o.period = (enum ls_period)i;
	if (!next_line(L, &s, &n) || (nf = split(s, n, f, 4)) != 3 || !eq(&f[0], "range") ||
	    parse_opt_date(&f[1], &o.has_from, &o.from) != 0 || parse_opt_date(&f[2], &o.has_to, &o.to) != 0)
		return lerr(L, err, "bad partial: expected 'range,FROM,TO'");
	if (!next_line(L, &s, &n) || (nf = split(s, n, f, 3)) != 2 || !eq(&f[0], "tickets") ||
	    (!eq(&f[1], "0") && !eq(&f[1], "1")))
		return lerr(L, err, "bad partial: expected 'tickets,0|1'");
	o.tickets = eq(&f[1], "1");
	if (!next_line(L, &s, &n) || (nf = split(s, n, f, NSUMS + 4)) != NSUMS + 3 || !eq(&f[0], "sums"))
		return lerr(L, err, "bad partial: its sums are not this version's");
	for (i = 0; i < NSUMS; i++)
		if (!eq(&f[3 + i], sum_names[i]))
			return lerr(L, err, "bad partial: its sums are not this version's");
	if (!k->have_opts) {
		o.lead_day = o.has_to ? o.to : o.from;
		k->o = o;
		k->have_opts = 1;
		set_range(k);
	} else {
		if (o.period != k->o.period || o.has_from != k->o.has_from || o.has_to != k->o.has_to ||
		    (o.has_from && day_number(&o.from) != day_number(&k->o.from)) ||
		    (o.has_to && day_number(&o.to) != day_number(&k->o.to)))
			return lerr(L, err, "partial of another period or date range than the first partial's");
		k->o.tickets |= o.tickets;
	}
	for (;;) {
		struct ls_date d;
		char name[1024];
		int64_t v[NSUMS], *gs;
		long m;

		if (!next_line(L, &s, &n))
			return lerr(L, err, "truncated partial: no 'end' line (was the run that wrote it stopped?)");
		nf = split(s, n, f, NSUMS + 4);
		if (nf == 2 && eq(&f[0], "end")) {
			int64_t cnt;

			if (parse_i64(&f[1], &cnt) != 0 || cnt < 0 || (size_t)cnt != ngroups)
				return lerr(L, err, "truncated partial: its 'end' line counts other groups");
			break;
		}
		if (nf != NSUMS + 3 || !eq(&f[0], "g") || ls_date_parse(f[1].p, f[1].n, &d, NULL) != 0 ||
		    f[2].n >= sizeof(name) || unescape(&f[2], name, &n) != 0)
			return lerr(L, err, "bad partial: expected 'g,DAY,MANAGER,SUMS...'");
		for (i = 0; i < NSUMS; i++)
			if (parse_i64(&f[3 + i], &v[i]) != 0)
				return lerr(L, err, "bad partial: a sum is not an integer");
		/* a group the table would never show must not be taken in silently */
		if (period_start(k->o.period, day_number(&d)) != day_number(&d) ||
		    (k->o.has_from && day_number(&d) < period_start(k->o.period, k->lo)) ||
		    (k->o.has_to && day_number(&d) > k->hi))
			return lerr(L, err, "bad partial: a group's day is not the start of a period in its range");
		if ((m = intern(k, name, n)) < 0 || (gs = group(k, day_number(&d), (size_t)m)) == NULL)
			return ls_error_set(err, LS_ENOMEM, NULL, 0, 0, "out of memory");
		for (i = 0; i < NSUMS; i++)
			if (__builtin_add_overflow(gs[i], v[i], &gs[i]))
				return lerr(L, err, "sum overflow");
		ngroups++;
	}
	k->nmerged++;
	return 0;
}

int
ls_kpi_merge(struct ls_kpi *k, const char *buf, size_t n, const char *name, struct ls_error *err)
{
	struct lines L = { buf, buf + n, name, 0 };
	const char *s;
	size_t len;
	int ver;

	while (next_line(&L, &s, &len)) {
		if (len == 0)
			continue;
		/* partials come concatenated: each section starts with its own first line */
		if (ls_recfile_head_check(s, len, PARTIAL_PREFIX, PARTIAL_VERSION,
		    "a partial of kpi-report --partial", L.name, &ver, err) != 0) {
			if (err)
				err->line = L.line;
			return LS_EDATA;
		}
		if (merge_one(k, &L, err) != 0)
			return LS_EDATA;
	}
	return 0;
}

unsigned long
ls_kpi_merged(const struct ls_kpi *k)
{
	return k->nmerged;
}

/* ---- the table ---- */

struct row {
	int64_t day;
	const char *who;
	int64_t s[NSUMS];
	int64_t plan[LS_KPI_COUNT];
	unsigned char has_plan[LS_KPI_COUNT];
	int total;
};

static int
cmp_row(const void *a, const void *b)
{
	const struct row *x = a, *y = b;

	if (x->day != y->day)
		return x->day < y->day ? -1 : 1;
	if (x->total != y->total)
		return x->total - y->total;
	return strcmp(x->who, y->who);
}

/* qsort has no context argument; the table is made on one thread */
static const struct group *sort_groups;

static int
cmp_group_day(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;

	if (sort_groups[x].day != sort_groups[y].day)
		return sort_groups[x].day < sort_groups[y].day ? -1 : 1;
	return x < y ? -1 : x > y;
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The names of every manager the config knows (team members, target keys that are not teams). */
static int
roster(const struct ls_kpi *k, const char ***out, size_t *nout)
{
	const struct ls_kpi_config *kc = k->kc;
	const char **r = NULL;
	size_t n = 0, cap = 0;

	for (size_t i = 0; i < kc->nteams; i++)
		for (size_t j = 0; j < kc->teams[i].members->len; j++) {
			if (ls_grow(&r, &cap, n + 1, sizeof(*r)) != 0)
				goto oom;
			r[n++] = kc->teams[i].members->items[j]->value;
		}
	for (size_t i = 0; i < kc->ntargets; i++) {
		const char *w = kc->targets[i].who;
		int team = 0;

		for (size_t j = 0; j < kc->nteams; j++)
			team |= strcmp(kc->teams[j].name, w) == 0;
		if (team || strcmp(w, "default") == 0)
			continue;
		if (ls_grow(&r, &cap, n + 1, sizeof(*r)) != 0)
			goto oom;
		r[n++] = w;
	}
	if (n > 1)
		qsort(r, n, sizeof(*r), cmp_str);
	/* a name listed twice (two teams, a team and a target) is one manager */
	if (n > 1) {
		size_t o = 1;

		for (size_t i = 1; i < n; i++)
			if (strcmp(r[i], r[o - 1]) != 0)
				r[o++] = r[i];
		n = o;
	}
	*out = r;
	*nout = n;
	return 0;
oom:
	free(r);
	return -1;
}

static void
table_free_cells(struct ls_kpi_table *t)
{
	if (t->cells)
		for (size_t r = 0; r < t->nrows; r++) {
			if (t->cells[r])
				for (size_t c = 0; c < t->ncols; c++)
					free(t->cells[r][c]);
			free(t->cells[r]);
		}
	free(t->cells);
}

void
ls_kpi_table_free(struct ls_kpi_table *t)
{
	if (t == NULL)
		return;
	table_free_cells(t);
	if (t->names)
		for (size_t c = 0; c < t->ncols; c++)
			free(t->names[c]);
	free(t->names);
	free(t->total);
	free(t->col_kpi);
	free(t->col_kind);
	free(t);
}

long
ls_kpi_table_col(const struct ls_kpi_table *t, const char *name, size_t n)
{
	for (size_t c = 0; c < t->ncols; c++)
		if (strlen(t->names[c]) == n && memcmp(t->names[c], name, n) == 0)
			return (long)c;
	return -1;
}

/* Find or add the row (day, who) among rows[from..*n). */
static struct row *
row_at(struct row **rows, size_t *n, size_t *cap, struct ls_keyset *idx, int64_t day, const char *who)
{
	size_t len = strlen(who);
	uint32_t i;
	void *v;
	int created, status;

	/*
	 * Each name's latest row, found by name (a linear search made 100k
	 * managers take half a minute); a row of an earlier period is stale.
	 */
	if ((v = ls_keyset_upsert(idx, who, len, sizeof(i), &created, &status)) == NULL)
		return NULL;
	if (!created) {
		memcpy(&i, v, sizeof(i));
		if ((*rows)[i].day == day)
			return &(*rows)[i];
	}
	if (ls_grow(rows, cap, *n + 1, sizeof(**rows)) != 0)
		return NULL;
	i = (uint32_t)*n;
	memcpy(v, &i, sizeof(i));
	memset(&(*rows)[*n], 0, sizeof(**rows));
	(*rows)[*n].day = day;
	(*rows)[*n].who = who;
	return &(*rows)[(*n)++];
}

/* What a group of --by shows a manager under. */
static const char *
shown_as(const struct ls_kpi *k, enum ls_kpi_by by, const char *id)
{
	long t;

	if (by == LS_KPI_BY_MANAGER)
		return id;
	t = team_of(k->kc, id);
	return t >= 0 ? k->kc->teams[t].name : NO_TEAM;
}

/* Add a manager's sums and plans into row r. */
static int
add_into(const struct ls_kpi *k, struct row *r, const char *id, const int64_t *s)
{
	for (int i = 0; i < NSUMS; i++)
		if (s && __builtin_add_overflow(r->s[i], s[i], &r->s[i]))
			return -1;
	for (int q = 0; id != NULL && q < LS_KPI_COUNT; q++) {
		int64_t p;

		if (!kpis[q].additive || !k->kc->targeted[q] || !manager_plan(k->kc, id, q, &p))
			continue;
		if (__builtin_add_overflow(r->plan[q], p, &r->plan[q]))
			return -1;
		r->has_plan[q] = 1;
	}
	return 0;
}

static char *
cell_ratio(i128 num, i128 den, int dec)
{
	char buf[96];

	format_ratio(num, den, dec, buf, sizeof(buf));
	return strdup(buf);
}

static char *
xstrdup(const char *s)
{
	return strdup(s);
}

/* Fill one row's cells. */
static int
fill_row(const struct ls_kpi *k, struct ls_kpi_table *t, size_t ri, const struct row *r,
    enum ls_kpi_by by)
{
	struct ls_date d;
	char key[LS_PERIOD_BUFSZ];
	char **cells = calloc(t->ncols, sizeof(*cells));
	size_t c = 0;

	if (cells == NULL)
		return -1;
	t->cells[ri] = cells;
	ls_date_from_days(r->day, &d);
	ls_period_key_date(k->o.period, &d, key, sizeof(key));
	cells[c++] = xstrdup(key);
	cells[c++] = xstrdup(r->total ? "TOTAL" : r->who);
	for (int q = 0; q < LS_KPI_COUNT; q++) {
		i128 num, den;

		if ((q == LS_KPI_TICKETS || q == LS_KPI_SLA_MET) && !k->o.tickets)
			continue;
		cells[c++] = kpi_value(q, r->s, &num, &den) ? cell_ratio(num, den, kpis[q].decimals) : xstrdup("");
	}
	for (int q = 0; q < LS_KPI_COUNT; q++) {
		i128 num, den;
		int64_t plan = 0;
		int has;

		if (!k->kc->targeted[q])
			continue;
		if (kpis[q].additive) {
			has = r->has_plan[q];
			plan = r->plan[q];
		} else {
			/* a rate's plan: the manager's (or team's, or default) own figure, not a sum */
			const struct target *tg;

			has = 0;
			if (r->total) {
				if (k->kc->def >= 0 && k->kc->targets[k->kc->def].has[q])
					has = 1, plan = k->kc->targets[k->kc->def].plan[q];
			} else if (by == LS_KPI_BY_TEAM) {
				if ((tg = target_of(k->kc, r->who)) != NULL && tg->has[q])
					has = 1, plan = tg->plan[q];
				else if (k->kc->def >= 0 && k->kc->targets[k->kc->def].has[q])
					has = 1, plan = k->kc->targets[k->kc->def].plan[q];
			} else {
				has = manager_plan(k->kc, r->who, q, &plan);
			}
		}
		cells[c++] = has ? cell_ratio(plan, PLAN_ONE, kpis[q].decimals) : xstrdup("");
		if (has && plan > 0 && kpi_value(q, r->s, &num, &den))
			cells[c++] = cell_ratio(num * PLAN_ONE * 100, den * plan, 1);
		else
			cells[c++] = xstrdup("");
	}
	for (size_t i = 0; i < c; i++)
		if (cells[i] == NULL)
			return -1;
	t->total[ri] = (unsigned char)r->total;
	return 0;
}

static int
table_header(const struct ls_kpi *k, struct ls_kpi_table *t, enum ls_kpi_by by)
{
	size_t n = 2, c = 0;

	for (int q = 0; q < LS_KPI_COUNT; q++) {
		if ((q == LS_KPI_TICKETS || q == LS_KPI_SLA_MET) && !k->o.tickets)
			continue;
		n++;
	}
	for (int q = 0; q < LS_KPI_COUNT; q++)
		n += k->kc->targeted[q] ? 2 : 0;
	t->ncols = n;
	if ((t->names = calloc(n, sizeof(*t->names))) == NULL ||
	    (t->col_kpi = calloc(n, sizeof(*t->col_kpi))) == NULL ||
	    (t->col_kind = calloc(n, sizeof(*t->col_kind))) == NULL)
		return -1;
	t->col_kpi[c] = -1;
	t->names[c++] = xstrdup("period");
	t->col_kpi[c] = -1;
	t->names[c++] = xstrdup(by == LS_KPI_BY_TEAM ? "team" : "manager");
	for (int q = 0; q < LS_KPI_COUNT; q++) {
		if ((q == LS_KPI_TICKETS || q == LS_KPI_SLA_MET) && !k->o.tickets)
			continue;
		t->col_kpi[c] = q;
		t->names[c++] = xstrdup(kpis[q].name);
	}
	for (int q = 0; q < LS_KPI_COUNT; q++) {
		if (!k->kc->targeted[q])
			continue;
		t->col_kpi[c] = q;
		t->col_kind[c] = 1;
		t->names[c++] = ls_concat("plan_", kpis[q].name);
		t->col_kpi[c] = q;
		t->col_kind[c] = 2;
		t->names[c++] = ls_concat(kpis[q].name, "_pct");
	}
	for (size_t i = 0; i < n; i++)
		if (t->names[i] == NULL)
			return -1;
	return 0;
}

struct ls_kpi_table *
ls_kpi_table(const struct ls_kpi *k, enum ls_kpi_by by, struct ls_error *err)
{
	struct ls_kpi_table *t = calloc(1, sizeof(*t));
	const char **ros = NULL;
	struct row *rows = NULL;
	size_t nros = 0, nrows = 0, caprows = 0;
	int64_t lo = INT64_MAX, hi = INT64_MIN, day;
	size_t *bymgr = NULL;
	struct ls_keyset *rowidx = NULL;

	if (t == NULL || roster(k, &ros, &nros) != 0 || table_header(k, t, by) != 0)
		goto oom;
	t->zone = ls_tz_name(k->kc->tz);
	/* the periods shown: the range given, its open ends closed by the data */
	for (size_t i = 0; i < k->ng; i++) {
		lo = k->g[i].day < lo ? k->g[i].day : lo;
		hi = k->g[i].day > hi ? k->g[i].day : hi;
	}
	if (k->have_opts && k->o.has_from)
		lo = period_start(k->o.period, k->lo);
	if (k->have_opts && k->o.has_to)
		hi = period_start(k->o.period, k->hi);
	if (lo <= hi) {
		size_t np = 0;

		for (day = lo; day <= hi; day = period_next(k->o.period, day))
			if (++np > MAX_PERIODS) {
				ls_error_set(err, LS_EUSAGE, NULL, 0, 0, "the report would span more than %d periods",
				    MAX_PERIODS);
				goto fail;
			}
	}
	/* groups sorted by day, so that each period's rows are made together */
	if (k->ng > 0 && (bymgr = malloc(k->ng * sizeof(*bymgr))) == NULL)
		goto oom;
	for (size_t i = 0; i < k->ng; i++)
		bymgr[i] = i;
	sort_groups = k->g;
	if (k->ng > 1)
		qsort(bymgr, k->ng, sizeof(*bymgr), cmp_group_day);
	if ((rowidx = ls_keyset_new()) == NULL)
		goto oom;
	{
		size_t gi = 0;

		for (day = lo; lo <= hi && day <= hi; day = period_next(k->o.period, day)) {
			size_t first = nrows;
			struct row *tot, *r;

			while (gi < k->ng && k->g[bymgr[gi]].day < day)
				gi++;
			/* everyone on the roster shows, even without a call: they are the ones behind plan */
			for (size_t i = 0; i < nros; i++) {
				if ((r = row_at(&rows, &nrows, &caprows, rowidx, day, shown_as(k, by, ros[i]))) == NULL)
					goto oom;
				if (add_into(k, r, ros[i], NULL) != 0)
					goto overflow;
			}
			/* a roster manager's plan is in already: only the sums are added */
			for (; gi < k->ng && k->g[bymgr[gi]].day == day; gi++) {
				const struct group *g = &k->g[bymgr[gi]];
				const char *id = k->m[g->mgr].name;
				int known = 0;

				for (size_t i = 0; i < nros && !known; i++)
					known = strcmp(ros[i], id) == 0;
				if ((r = row_at(&rows, &nrows, &caprows, rowidx, day, shown_as(k, by, id))) == NULL)
					goto oom;
				if (add_into(k, r, known ? NULL : id, g->s) != 0)
					goto overflow;
			}
			if (ls_grow(&rows, &caprows, nrows + 1, sizeof(*rows)) != 0)
				goto oom;
			tot = &rows[nrows];
			memset(tot, 0, sizeof(*tot));
			tot->day = day;
			tot->who = "TOTAL";
			tot->total = 1;
			for (size_t i = first; i < nrows; i++) {
				for (int s = 0; s < NSUMS; s++)
					if (__builtin_add_overflow(tot->s[s], rows[i].s[s], &tot->s[s]))
						goto overflow;
				for (int q = 0; q < LS_KPI_COUNT; q++)
					if (rows[i].has_plan[q]) {
						if (__builtin_add_overflow(tot->plan[q], rows[i].plan[q], &tot->plan[q]))
							goto overflow;
						tot->has_plan[q] = 1;
					}
			}
			nrows++;
			if (day >= hi)
				break;
		}
	}
	if (nrows > 1)
		qsort(rows, nrows, sizeof(*rows), cmp_row);
	t->nrows = nrows;
	if ((t->cells = calloc(nrows ? nrows : 1, sizeof(*t->cells))) == NULL ||
	    (t->total = calloc(nrows ? nrows : 1, 1)) == NULL)
		goto oom;
	for (size_t i = 0; i < nrows; i++)
		if (fill_row(k, t, i, &rows[i], by) != 0)
			goto oom;
	free(bymgr);
	free(rows);
	free(ros);
	ls_keyset_free(rowidx);
	return t;
overflow:
	ls_error_set(err, LS_EDATA, NULL, 0, 0, "sum overflow");
	goto fail;
oom:
	ls_error_set(err, LS_ENOMEM, NULL, 0, 0, "out of memory");
fail:
	free(bymgr);
	free(rows);
	free(ros);
	ls_keyset_free(rowidx);
	ls_kpi_table_free(t);
	return NULL;
}
