/*
 * qualify_rules.c - reading lead-qualify's rules file (qualify_rules.h).
 * The rules are compiled against the leads' header in qualify.c.
 */
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "qualify_int.h"

const char *const ls_qualify_spec_cols[NSPEC + 1] = {
	"lead_id", "company", "contact_name", "phone", "email", "region", "industry",
	"employees", "source", "created_at", NULL
};
#define spec_cols ls_qualify_spec_cols

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
