/*
 * doc_requisites.c - the seller's payment requisites in the company config
 * checked before any document with items (an invoice, an act) is made:
 * an invoice with a mistyped account is paid to nobody, or to somebody.
 * The rules are text/requisites.h's; the words name the config's
 * file:line:col.  See doc-render(1), "Requisites".
 */
#include <string.h>

#include "doc_int.h"
#include "requisites.h"

const struct ls_node *
ls_doc_seller_field(const struct ls_node *seller, const char *a, const char *b)
{
	const struct ls_node *n = seller && seller->type == LS_NODE_MAP ? ls_node_get(seller, a) : NULL;

	if (n && b)
		n = n->type == LS_NODE_MAP ? ls_node_get(n, b) : NULL;
	return n && n->type == LS_NODE_SCALAR && n->len > 0 ? n : NULL;
}

static int
missing(const struct ls_config *c, const char *what, struct ls_error *err)
{
	return ls_error_set(err, LS_ECONFIG, ls_config_file(c), 0, 0, "%s missing: a document with items "
	    "names the requisites to pay by (or list the template under requisites_unchecked)", what);
}

static int
bad(const struct ls_config *c, const struct ls_node *n, const char *what, enum ls_req_fault f,
    struct ls_error *err)
{
	return ls_node_error(c, n, err, "%s '%s': %s", what, n->value, ls_req_why(f));
}

/* Whether the template's file name is in requisites_unchecked. */
static int
unchecked(const struct ls_node *root, const char *template_path)
{
	const struct ls_node *l = ls_node_get(root, "requisites_unchecked");
	const char *base;

	if (l == NULL || l->type != LS_NODE_SEQ || template_path == NULL)
		return 0;
	base = strrchr(template_path, '/') ? strrchr(template_path, '/') + 1 : template_path;
	for (size_t i = 0; i < l->len; i++)
		if (l->items[i]->type == LS_NODE_SCALAR && strcmp(l->items[i]->value, base) == 0)
			return 1;
	return 0;
}

int
ls_doc_requisites_check(const struct ls_config *c, const char *template_path, struct ls_error *err)
{
	const struct ls_node *root = ls_config_root(c), *seller, *inn, *kpp, *bik, *acc, *corr;
	enum ls_req_fault f;

	if (unchecked(root, template_path))
		return 0;
	/* no seller at all: a calculation, not a document anyone pays by */
	if ((seller = ls_node_get(root, "seller")) == NULL)
		return 0;
	if (seller->type != LS_NODE_MAP)
		return ls_node_error(c, seller, err, "seller: expected a mapping of the requisites");
	if ((inn = ls_doc_seller_field(seller, "inn", NULL)) == NULL)
		return missing(c, "seller.inn", err);
	if ((f = ls_inn_check(inn->value, inn->len)) != LS_REQ_OK)
		return bad(c, inn, "seller.inn", f, err);
	kpp = ls_doc_seller_field(seller, "kpp", NULL);
	/* an organisation (10 digits) has a KPP; an entrepreneur (12) has none */
	if (inn->len == 10 && kpp == NULL)
		return missing(c, "seller.kpp (an organisation's INN has 10 digits)", err);
	if (inn->len == 12 && kpp != NULL)
		return ls_node_error(c, kpp, err, "seller.kpp '%s': an entrepreneur (a 12-digit INN) has "
		    "no KPP", kpp->value);
	if (kpp && (f = ls_kpp_check(kpp->value, kpp->len)) != LS_REQ_OK)
		return bad(c, kpp, "seller.kpp", f, err);
	if ((bik = ls_doc_seller_field(seller, "bank", "bik")) == NULL)
		return missing(c, "seller.bank.bik", err);
	if ((f = ls_bik_check(bik->value, bik->len)) != LS_REQ_OK)
		return bad(c, bik, "seller.bank.bik", f, err);
	if ((acc = ls_doc_seller_field(seller, "bank", "account")) == NULL)
		return missing(c, "seller.bank.account", err);
	if ((f = ls_account_check(bik->value, acc->value, acc->len, 0)) != LS_REQ_OK)
		return bad(c, acc, f == LS_REQ_CHECK ? "seller.bank.account (with the BIK)" :
		    "seller.bank.account", f, err);
	if ((corr = ls_doc_seller_field(seller, "bank", "corr_account")) == NULL)
		return missing(c, "seller.bank.corr_account", err);
	if ((f = ls_account_check(bik->value, corr->value, corr->len, 1)) != LS_REQ_OK)
		return bad(c, corr, f == LS_REQ_CHECK ? "seller.bank.corr_account (with the BIK)" :
		    "seller.bank.corr_account", f, err);
	return 0;
}
