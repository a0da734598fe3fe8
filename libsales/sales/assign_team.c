/*
 * assign_team.c - the team file of lead-assign(1): managers, weights,
 * capacities, absences, regions, skills and routing rules.  See assign.h.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "assign_int.h"
#include "columns.h"
#include "util.h"

const char *const ls_assign_strategy_names[] = { "round_robin", "weighted", "least_loaded" };

static long
any_name(void *ctx, const char *name, size_t len)
{
	(void)ctx;
	(void)name;
	(void)len;
	return 0;
}

long
ls_team_index(const struct ls_team *t, const char *id)
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
		"regions", "skills", "away", "active", "timezone", NULL };
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
	if (ls_team_index(t, m->id) >= 0)
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
	/* the manager's own zone: kpi-report places their calls on their local day */
	if ((v = ls_node_get(n, "timezone")) != NULL) {
		if (ls_node_str(c, v, &s, err))
			return LS_ECONFIG;
		if (s[0] == '\0')
			return ls_node_error(c, v, err, "timezone of '%s' must name a zone (Asia/Vladivostok)", m->id);
		if ((m->tz = ls_tz_open(s, err)) == NULL) {
			if (!(err && (err->status == LS_ENOMEM || err->status == LS_EIO)))
				ls_node_error(c, v, err, "%s", err ? err->msg : "bad time zone");
			return err ? err->status : LS_ECONFIG;
		}
	}
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
		long i = ls_team_index(t, pool->value);
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
		if ((i = ls_team_index(t, id)) < 0)
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
	const char *s, *state = NULL, *tz_name = NULL;
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
		for (i = 0; i < 3 && strcmp(s, ls_assign_strategy_names[i]) != 0; i++)
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
	    ((v = ls_node_get(root, "timezone")) && ls_node_str(cfg, v, &tz_name, err)))
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
	t->tz_named = tz_name != NULL && tz_name[0] != '\0';
	if (t->has_away || tz_name) {
		if ((t->tz = ls_tz_open(tz_name, err)) == NULL) {
			v = ls_node_get(root, "timezone");
			/* out of memory, a zone file unread stay so (exit 1): only a zone's own fault points into the config */
			if (v && !(err && (err->status == LS_ENOMEM || err->status == LS_EIO)))
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
	for (size_t i = 0; i < t->mcap; i++) {
		free(t->m[i].away);
		ls_tz_free(t->m[i].tz);
	}
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


int
ls_team_manager_active(const struct ls_team *t, size_t i)
{
	return i < t->nm && t->m[i].active;
}

int
ls_team_is_away(const struct ls_team *t, size_t i, int64_t day)
{
	for (size_t k = 0; i < t->nm && k < t->m[i].naway; k++)
		if (day >= t->m[i].away[k].from && day <= t->m[i].away[k].to)
			return 1;
	return 0;
}

const struct ls_tz *
ls_team_manager_tz(const struct ls_team *t, size_t i)
{
	return i < t->nm ? t->m[i].tz : NULL;
}
