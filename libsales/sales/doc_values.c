/*
 * doc_values.c - the values a template sees (document.h's context stack):
 * the YAML context as Mustache values, the row's columns, the invoice lines
 * and the document's computed sums.  Every value is a view into struct
 * ls_docs, valid until its next ls_docs_row().
 */
#include <string.h>

#include "doc_int.h"

static struct ls_mval node_val(const struct ls_node *nd);

static int
node_get(const void *obj, const char *name, size_t n, struct ls_mval *out)
{
	const struct ls_node *m = obj;

	for (size_t i = 0; i < m->len; i++)
		if (m->keys[i]->len == n && memcmp(m->keys[i]->value, name, n) == 0) {
			*out = node_val(m->items[i]);
			return 1;
		}
	return 0;
}

static size_t
node_len(const void *obj)
{
	return ((const struct ls_node *)obj)->len;
}

static void
node_at(const void *obj, size_t i, struct ls_mval *out)
{
	*out = node_val(((const struct ls_node *)obj)->items[i]);
}

static const struct ls_mval_ops node_ops = { node_get, node_len, node_at };

static struct ls_mval
node_val(const struct ls_node *nd)
{
	struct ls_mval v = { 0 };

	if (nd->type == LS_NODE_MAP)
		return ls_mval_obj(LS_MV_MAP, &node_ops, nd);
	if (nd->type == LS_NODE_SEQ)
		return ls_mval_obj(LS_MV_LIST, &node_ops, nd);
	if (!nd->quoted) {
		if (!strcmp(nd->value, "true"))
			v.kind = LS_MV_TRUE;
		else if (!strcmp(nd->value, "false"))
			v.kind = LS_MV_FALSE;
		else if (!strcmp(nd->value, "null") || !strcmp(nd->value, "~") || nd->len == 0)
			v.kind = LS_MV_NULL;
		if (v.kind != LS_MV_MISSING)
			return v;
	}
	return ls_mval_str(nd->value, nd->len);
}

/* ---- the row, the lines and the sums ---- */

static int
streq(const char *a, size_t an, const char *b)
{
	return strlen(b) == an && memcmp(a, b, an) == 0;
}

static int
row_get(const void *obj, const char *name, size_t n, struct ls_mval *out)
{
	const struct row *r = obj;
	long c = ls_header_find(r->hdr, r->n, name, n);

	if (c < 0)
		return 0;
	*out = ls_mval_str(r->f[c].p, r->f[c].n);
	return 1;
}

static const struct ls_mval_ops row_ops = { row_get, NULL, NULL };

static int
cstr(const char *s, struct ls_mval *out)
{
	*out = ls_mval_str(s, strlen(s));
	return 1;
}

static int
line_get(const void *obj, const char *name, size_t n, struct ls_mval *out)
{
	const struct dline *l = obj;
	const struct ls_docs *d = l->d;
	long c;

	if (streq(name, n, "line_total"))
		return cstr(l->total, out);
	if (streq(name, n, "line_vat"))
		return cstr(l->vat, out);
	if (streq(name, n, "line_total_vat"))
		return cstr(l->with_vat, out);
	if (streq(name, n, "line_base"))
		return cstr(l->base, out);
	if (streq(name, n, "price_base"))
		return cstr(l->price_base, out);
	if (streq(name, n, "n"))
		return cstr(l->n, out);
	if (streq(name, n, "vat_rate"))
		return cstr(l->rate, out);
	if (streq(name, n, "vat_none")) {
		out->kind = l->vat_none ? LS_MV_TRUE : LS_MV_FALSE;
		return 1;
	}
	/* the last line opens the block that keeps it with the totals on one printed page */
	if (streq(name, n, "last")) {
		out->kind = l == &d->lines[d->nlines - 1] ? LS_MV_TRUE : LS_MV_FALSE;
		return 1;
	}
	if ((c = ls_header_find(d->ihdr, d->nicols, name, n)) < 0)
		return 0;
	*out = ls_mval_str(l->it->f[c].p, l->it->f[c].n);
	return 1;
}

static const struct ls_mval_ops line_ops = { line_get, NULL, NULL };

static size_t
lines_len(const void *obj)
{
	return ((const struct ls_docs *)obj)->nlines;
}

static void
lines_at(const void *obj, size_t i, struct ls_mval *out)
{
	*out = ls_mval_obj(LS_MV_MAP, &line_ops, &((const struct ls_docs *)obj)->lines[i]);
}

static const struct ls_mval_ops lines_ops = { NULL, lines_len, lines_at };

static int
group_get(const void *obj, const char *name, size_t n, struct ls_mval *out)
{
	const struct dgroup *g = obj;

	if (streq(name, n, "label"))
		return cstr(g->label, out);
	if (streq(name, n, "vat_rate"))
		return cstr(g->rate, out);
	if (streq(name, n, "base"))
		return cstr(g->base, out);
	if (streq(name, n, "vat"))
		return cstr(g->vat, out);
	if (streq(name, n, "total"))
		return cstr(g->total, out);
	if (streq(name, n, "vat_none")) {
		out->kind = g->vat_none ? LS_MV_TRUE : LS_MV_FALSE;
		return 1;
	}
	return 0;
}

static const struct ls_mval_ops group_ops = { group_get, NULL, NULL };

static size_t
groups_len(const void *obj)
{
	return ((const struct ls_docs *)obj)->nvg;
}

static void
groups_at(const void *obj, size_t i, struct ls_mval *out)
{
	*out = ls_mval_obj(LS_MV_MAP, &group_ops, &((const struct ls_docs *)obj)->groups_txt[i]);
}

static const struct ls_mval_ops groups_ops = { NULL, groups_len, groups_at };

static int
doc_get(const void *obj, const char *name, size_t n, struct ls_mval *out)
{
	const struct ls_docs *d = obj;

	if (streq(name, n, "date"))
		return cstr(d->date, out);
	if (streq(name, n, "number"))
		return ls_doc_number_get(d, out);
	if (streq(name, n, "due_date"))
		return d->due[0] ? cstr(d->due, out) : 0;
	if (streq(name, n, "valid_until"))
		return d->valid[0] ? cstr(d->valid, out) : 0;
	if (streq(name, n, "upd_invoice")) {
		out->kind = d->doc_upd == 1 ? LS_MV_TRUE : LS_MV_FALSE;
		return 1;
	}
	if (streq(name, n, "vat_none")) {
		out->kind = d->doc_vat_none ? LS_MV_TRUE : LS_MV_FALSE;
		return 1;
	}
	if (streq(name, n, "vat_included")) {
		out->kind = d->mode == LS_VAT_INCLUDED ? LS_MV_TRUE : LS_MV_FALSE;
		return 1;
	}
	if (streq(name, n, "vat_mode"))
		return cstr(d->mode == LS_VAT_INCLUDED ? "included" : "added", out);
	if (streq(name, n, "vat_rate")) {
		/* the date's rate even when every line is none (doc-render(1)); vat: none has none */
		if (d->vat_none || d->nvat == 0)
			return 0;
		return cstr(d->rate, out);
	}
	if (!d->has_items)
		return 0;
	if (streq(name, n, "items")) {
		*out = ls_mval_obj(LS_MV_LIST, &lines_ops, d);
		return 1;
	}
	if (streq(name, n, "vat_groups")) {
		*out = ls_mval_obj(LS_MV_LIST, &groups_ops, d);
		return 1;
	}
	if (streq(name, n, "subtotal"))
		return cstr(d->subtotal, out);
	if (streq(name, n, "vat_total"))
		return cstr(d->vat_total, out);
	if (streq(name, n, "total"))
		return cstr(d->total, out);
	if (streq(name, n, "items_count"))
		return cstr(d->count, out);
	if (streq(name, n, "payment_qr"))
		return ls_doc_payment_qr(d, out);
	return 0;
}

static const struct ls_mval_ops doc_ops = { doc_get, NULL, NULL };


void
ls_doc_values_stack(struct ls_docs *d, struct ls_mval stack[3])
{
	stack[0] = ls_mval_obj(LS_MV_MAP, &doc_ops, d);
	if (d->root)
		stack[1] = node_val(d->root);
	else
		stack[1].kind = LS_MV_NULL;
	stack[2] = ls_mval_obj(LS_MV_MAP, &row_ops, &d->row);
}
