/*
 * doc_rules.c - approval rules by kind and amount (doc-render(1),
 * APPROVAL RULES): company.yaml's kinds: (template file -> kind) and
 * approval_rules: read once at rendering, turned into each document's
 * terms (its kind, its amount as computed, who must approve and how many
 * people), which go into the journal's "rendered" record beside the hash
 * rendered; approve and release read the terms back from the journal and
 * say whose approval is still missing.  Nothing here trusts a manifest
 * cell: the terms are fixed when the bytes are.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "doc_int.h"
#include "money.h"
#include "util.h"

#define MAX_APPROVALS	100

struct rule {
	const char *kind;	/* NULL: any kind */
	int64_t over;		/* kopecks; used when has_over */
	int has_over;
	const char **need;	/* approvers who must each approve */
	size_t nneed;
	long approvals;		/* different approvers, at least */
};

struct ls_doc_rules {
	const struct ls_config *cfg;	/* borrowed: the strings point into it */
	const struct ls_node *kinds;	/* a map, or NULL */
	struct rule *rules;
	size_t n;
};

/* A kind or approver name as the terms carry it: no blank, ',', '=' or control byte. */
static int
word_ok(const char *s)
{
	if (*s == '\0')
		return 0;
	for (; *s; s++)
		if ((unsigned char)*s <= 0x20 || *s == ',' || *s == '=' || *s == 0x7f)
			return 0;
	return 1;
}

/* Whether name is one of approvers: (a list of names or a map); any name when absent. */
static int
is_approver(const struct ls_config *cfg, const char *name)
{
	const struct ls_node *list = ls_node_get(ls_config_root(cfg), "approvers");

	if (list == NULL)
		return 1;
	if (list->type == LS_NODE_MAP)
		return ls_node_get(list, name) != NULL;
	if (list->type == LS_NODE_SEQ)
		for (size_t i = 0; i < list->len; i++)
			if (list->items[i]->type == LS_NODE_SCALAR && !strcmp(list->items[i]->value, name))
				return 1;
	return 0;
}

/* Whether some template of kinds: has kind k. */
static int
kind_known(const struct ls_doc_rules *r, const char *k)
{
	if (r->kinds)
		for (size_t i = 0; i < r->kinds->len; i++)
			if (r->kinds->items[i]->type == LS_NODE_SCALAR && !strcmp(r->kinds->items[i]->value, k))
				return 1;
	return 0;
}

static int
rule_load(struct ls_doc_rules *r, const struct ls_node *n, struct rule *ru, struct ls_error *err)
{
	static const char *const keys[] = { "kind", "over", "need", "approvals", NULL };
	const struct ls_config *c = r->cfg;
	const struct ls_node *k;
	int rc;

	memset(ru, 0, sizeof *ru);
	if ((rc = ls_node_check_keys(c, n, keys, err)) != 0)
		return rc;
	if ((k = ls_node_get(n, "kind")) != NULL) {
		if ((rc = ls_node_str(c, k, &ru->kind, err)) != 0)
			return rc;
		if (!kind_known(r, ru->kind))
			return ls_node_error(c, k, err, "kind '%s' is no template's (kinds: maps template "
			    "files to kinds)", ru->kind);
	}
	if ((k = ls_node_get(n, "over")) != NULL) {
		if ((rc = ls_node_expect(c, k, LS_NODE_SCALAR, err)) != 0)
			return rc;
		if (ls_money_parse(k->value, k->len, 2, 0, &ru->over, NULL) != 0 || ru->over < 0)
			return ls_node_error(c, k, err, "over: expected an amount such as 1000000 or "
			    "1000000.50, got '%s'", k->value);
		ru->has_over = 1;
	}
	if ((k = ls_node_get(n, "need")) != NULL) {
		if ((rc = ls_node_expect(c, k, LS_NODE_SEQ, err)) != 0)
			return rc;
		if (k->len == 0)
			return ls_node_error(c, k, err, "need: names no approver");
		if ((ru->need = calloc(k->len, sizeof *ru->need)) == NULL)
			return ls_error_set(err, LS_ENOMEM, NULL, 0, 0, "out of memory");
		for (size_t i = 0; i < k->len; i++) {
			const char *s;

			if ((rc = ls_node_str(c, k->items[i], &s, err)) != 0)
				return rc;
			if (!word_ok(s))
				return ls_node_error(c, k->items[i], err, "need: '%s' is not an approver's "
				    "name (no blanks, ',' or '=')", s);
			if (!is_approver(c, s))
				return ls_node_error(c, k->items[i], err, "need: %s is not among approvers:", s);
			ru->need[ru->nneed++] = s;
		}
	}
	if ((k = ls_node_get(n, "approvals")) != NULL) {
		long long v;

		if ((rc = ls_node_int(c, k, &v, err)) != 0)
			return rc;
		if (v < 1 || v > MAX_APPROVALS)
			return ls_node_error(c, k, err, "approvals: expected 1 to %d different approvers",
			    MAX_APPROVALS);
		ru->approvals = (long)v;
	}
	if (ru->nneed == 0 && ru->approvals == 0)
		return ls_node_error(c, n, err, "a rule says who approves: need: [NAME, ...], "
		    "approvals: N or both");
	return 0;
}

void
ls_doc_rules_free(struct ls_doc_rules *r)
{
	if (r == NULL)
		return;
	for (size_t i = 0; i < r->n; i++)
		free(r->rules[i].need);
	free(r->rules);
	free(r);
}

int
ls_doc_rules_load(const struct ls_config *cfg, struct ls_doc_rules **out, struct ls_error *err)
{
	const struct ls_node *root = cfg ? ls_config_root(cfg) : NULL;
	const struct ls_node *kinds, *list;
	struct ls_doc_rules *r;
	int rc;

	*out = NULL;
	if (root == NULL || root->type != LS_NODE_MAP)
		return 0;
	kinds = ls_node_get(root, "kinds");
	list = ls_node_get(root, "approval_rules");
	if (kinds == NULL && list == NULL)
		return 0;
	if ((r = calloc(1, sizeof *r)) == NULL)
		return ls_error_set(err, LS_ENOMEM, NULL, 0, 0, "out of memory");
	r->cfg = cfg;
	if (kinds) {
		if ((rc = ls_node_expect(cfg, kinds, LS_NODE_MAP, err)) != 0)
			goto fail;
		for (size_t i = 0; i < kinds->len; i++) {
			const char *s;

			if ((rc = ls_node_str(cfg, kinds->items[i], &s, err)) != 0)
				goto fail;
			if (!word_ok(s)) {
				rc = ls_node_error(cfg, kinds->items[i], err, "kinds: '%s' is not a kind "
				    "(a word: no blanks, ',' or '=')", s);
				goto fail;
			}
		}
		r->kinds = kinds;
	}
	if (list) {
		if ((rc = ls_node_expect(cfg, list, LS_NODE_SEQ, err)) != 0)
			goto fail;
		if (list->len && (r->rules = calloc(list->len, sizeof *r->rules)) == NULL) {
			rc = ls_error_set(err, LS_ENOMEM, NULL, 0, 0, "out of memory");
			goto fail;
		}
		for (size_t i = 0; i < list->len; i++, r->n++)
			if ((rc = rule_load(r, list->items[i], &r->rules[i], err)) != 0) {
				r->n++;		/* its need list is freed with the rest */
				goto fail;
			}
	}
	*out = r;
	return 0;
fail:
	ls_doc_rules_free(r);
	return rc;
}

int
ls_doc_rules_any(const struct ls_doc_rules *r)
{
	return r != NULL && r->n > 0;
}

/* The kind of the template at path: kinds:' entry for its file name, with or without ".mustache". */
static const char *
kind_of(const struct ls_doc_rules *r, const char *path)
{
	const char *base = strrchr(path, '/');
	const struct ls_node *k;
	char buf[256];
	size_t n;

	base = base ? base + 1 : path;
	if (r->kinds == NULL)
		return NULL;
	if ((k = ls_node_get(r->kinds, base)) != NULL)
		return k->value;
	n = strlen(base);
	if (n > 9 && n - 9 < sizeof buf && !strcmp(base + n - 9, ".mustache")) {
		memcpy(buf, base, n - 9);
		buf[n - 9] = '\0';
		if ((k = ls_node_get(r->kinds, buf)) != NULL)
			return k->value;
	}
	return NULL;
}

int
ls_doc_rules_terms(const struct ls_doc_rules *r, const char *template_path, int has_amount,
    int64_t amount, struct ls_buf *out)
{
	const char *kind = r ? kind_of(r, template_path) : NULL;
	const char **need = NULL;
	size_t nneed = 0, capneed = 0;
	long approvals = 1;
	char a[LS_MONEY_BUFSZ];
	int rc = 0;

	out->n = 0;
	for (size_t i = 0; r && i < r->n; i++) {
		const struct rule *ru = &r->rules[i];

		if (ru->kind && (kind == NULL || strcmp(kind, ru->kind) != 0))
			continue;
		/* a document without items has no amount: only rules without over: hold for it */
		if (ru->has_over && (!has_amount || amount <= ru->over))
			continue;
		if (ru->approvals > approvals)
			approvals = ru->approvals;
		for (size_t k = 0; k < ru->nneed; k++) {
			size_t j;

			for (j = 0; j < nneed && strcmp(need[j], ru->need[k]) != 0; j++)
				;
			if (j < nneed)
				continue;
			if (ls_grow(&need, &capneed, nneed + 1, sizeof *need) != 0) {
				free(need);
				return LS_ENOMEM;
			}
			need[nneed++] = ru->need[k];
		}
	}
	if (kind)
		rc |= ls_buf_printf(out, "kind=%s ", kind);
	if (has_amount) {
		ls_money_format(amount, 2, a, sizeof a);
		rc |= ls_buf_printf(out, "amount=%s ", a);
	}
	rc |= ls_buf_printf(out, "approvals=%ld", approvals);
	for (size_t k = 0; k < nneed; k++)
		rc |= ls_buf_printf(out, "%s%s", k ? "," : " need=", need[k]);
	free(need);
	return rc ? LS_ENOMEM : 0;
}

/* The value of key in terms ("key=value" words), as a pointer and length; NULL when absent. */
static const char *
term(const char *terms, const char *key, size_t *len)
{
	size_t kn = strlen(key);

	for (const char *p = terms; p && *p; p = strchr(p, ' '), p = p ? p + 1 : NULL)
		if (!strncmp(p, key, kn) && p[kn] == '=') {
			*len = strcspn(p + kn + 1, " ");
			return p + kn + 1;
		}
	return NULL;
}

/* Whether name (n bytes) is among the approvers have[0..nhave). */
static int
among(const char *name, size_t n, const char *const *have, size_t nhave)
{
	for (size_t i = 0; i < nhave; i++)
		if (strlen(have[i]) == n && !memcmp(have[i], name, n))
			return 1;
	return 0;
}

int
ls_doc_terms_missing(const char *terms, const char *const *have, size_t nhave, struct ls_buf *out)
{
	const char *v, *p, *e;
	size_t len, nmissing = 0, covered = nhave;
	long approvals = 1, more;
	int rc = 0;

	out->n = 0;
	if (terms == NULL)
		terms = "";
	if ((v = term(terms, "approvals", &len)) != NULL)
		approvals = strtol(v, NULL, 10);
	if ((v = term(terms, "need", &len)) != NULL)
		for (p = v, e = v + len; p < e; p += strcspn(p, ",") + 1) {
			size_t n = strcspn(p, ", ");

			if (n == 0 || among(p, n, have, nhave))
				continue;
			rc |= ls_buf_printf(out, "%s%.*s", nmissing ? ", " : "approval by ", (int)n, p);
			nmissing++;
			covered++;
		}
	more = approvals > (long)covered ? approvals - (long)covered : 0;
	if (more && approvals == 1)
		rc |= ls_buf_puts(out, "an approval");
	else if (more) {
		rc |= ls_buf_printf(out, "%s%ld %sapprover%s (%ld different people", nmissing ? " and " : "",
		    more, nmissing || nhave ? "more " : "", more == 1 ? "" : "s", approvals);
		for (size_t i = 0; i < nhave; i++)
			rc |= ls_buf_printf(out, "%s%s", i ? ", " : "; so far ", have[i]);
		rc |= ls_buf_puts(out, ")");
	}
	if (rc)
		return -1;
	return nmissing || more;
}
