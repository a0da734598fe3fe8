/*
 * kpi_config.c - kpi.yaml: zone, connected outcomes, teams, targets and
 * column renames, checked once at load; the plans a manager or team is held to.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kpi_int.h"
#include "money.h"

static const char *const col_names[NCOLS + 1] = {
	"manager", "started_at", "duration_s", "outcome", "stage", "amount", "closed_at",
	"created_at", "assign_reason", "agent", "status", "updated_at", "sla", "assigned_at",
	"lead_id", "currency", NULL
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
		allowed[k] = ls_kpi_name(k);
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
				    ls_kpi_name(k), v->value);
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
		"timezone", "connected_outcomes", "teams", "targets", "columns", "currency", NULL
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

	kc->currency = "RUB";
	if ((n = ls_node_get(root, "currency")) != NULL) {
		if (ls_node_str(c, n, &kc->currency, err) != 0)
			goto fail;
		if (kc->currency[0] == '\0') {
			ls_node_error(c, n, err, "currency must name one (RUB, EUR, ...)");
			goto fail;
		}
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
			if (strcmp(ls_kpi_outcomes[i], "no_answer") != 0 && strcmp(ls_kpi_outcomes[i], "wrong_number") != 0)
				kc->connected[kc->nconnected++] = ls_kpi_outcomes[i];
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
long
ls_kpi_team_of(const struct ls_kpi_config *kc, const char *id)
{
	for (size_t i = 0; i < kc->nteams; i++) {
		const struct ls_node *m = kc->teams[i].members;

		for (size_t j = 0; j < m->len; j++)
			if (strcmp(m->items[j]->value, id) == 0)
				return (long)i;
	}
	return -1;
}

const struct target *
ls_kpi_target_of(const struct ls_kpi_config *kc, const char *who)
{
	for (size_t i = 0; i < kc->ntargets; i++)
		if (strcmp(kc->targets[i].who, who) == 0)
			return &kc->targets[i];
	return NULL;
}

/* A manager's plan for KPI k: their own entry, else their team's, else default.  0 when none. */
int
ls_kpi_manager_plan(const struct ls_kpi_config *kc, const char *id, int k, int64_t *plan)
{
	const struct target *t;
	long team;

	if (strcmp(id, NO_MANAGER) == 0)
		return 0;
	if ((t = ls_kpi_target_of(kc, id)) != NULL && t->has[k])
		return *plan = t->plan[k], 1;
	if ((team = ls_kpi_team_of(kc, id)) >= 0 && (t = ls_kpi_target_of(kc, kc->teams[team].name)) != NULL &&
	    t->has[k])
		return *plan = t->plan[k], 1;
	if (kc->def >= 0 && kc->targets[kc->def].has[k])
		return *plan = kc->targets[kc->def].plan[k], 1;
	return 0;
}

