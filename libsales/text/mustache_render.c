/*
 * mustache_render.c - rendering a parsed template (mustache.h,
 * mustache_int.h): the tree walked with a context stack of struct ls_mval,
 * filters applied through fmt.h, HTML or LaTeX escaping through escape.h,
 * partials fetched from the shared cache, and a chain of the parent tags
 * being expanded (outermost first) so that a block finds its override.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mustache_int.h"

/* A parent tag being expanded, and the template it is written in (whose blocks override). */
struct link {
	const struct node *nd;
	const struct ls_mustache *t;
};

struct render {
	struct env *env;
	struct ls_mval *stack;
	size_t depth, cap;
	struct link *chain;	/* parents being expanded, outermost first */
	size_t nchain, capchain;
	struct ls_buf tmp[2];	/* filter results */
	struct ls_error *err;
	int level;
};

static int
push(struct render *r, const struct ls_mval *v)
{
	if (r->depth == r->cap) {
		size_t c = r->cap ? r->cap * 2 : 16;
		struct ls_mval *s = realloc(r->stack, c * sizeof *s);

		if (s == NULL)
			return LS_ENOMEM;
		r->stack = s;
		r->cap = c;
	}
	r->stack[r->depth++] = *v;
	return 0;
}

static void
lookup(const struct render *r, const struct node *nd, struct ls_mval *out)
{
	size_t i, k;

	out->kind = LS_MV_MISSING;
	if (nd->nseg == 0) {
		if (r->depth)
			*out = r->stack[r->depth - 1];
		return;
	}
	for (i = r->depth; i-- > 0;) {
		const struct ls_mval *v = &r->stack[i];

		if (v->kind == LS_MV_MAP && v->ops->get(v->obj, nd->seg[0].p, nd->seg[0].n, out))
			break;
	}
	if (i == (size_t)-1) {
		out->kind = LS_MV_MISSING;
		return;
	}
	for (k = 1; k < nd->nseg; k++) {
		struct ls_mval next;

		if (out->kind != LS_MV_MAP ||
		    !out->ops->get(out->obj, nd->seg[k].p, nd->seg[k].n, &next)) {
			out->kind = LS_MV_MISSING;
			return;
		}
		*out = next;
	}
}

static int
truthy(const struct ls_mval *v)
{
	switch (v->kind) {
	case LS_MV_MISSING:
	case LS_MV_NULL:
	case LS_MV_FALSE:
		return 0;
	case LS_MV_STR:
		return v->n > 0;
	case LS_MV_LIST:
		return v->ops->len(v->obj) > 0;
	default:
		return 1;
	}
}

static int
render_error(struct render *r, int status, const char *file, const struct node *nd,
    const char *fmt, const char *a, size_t an, const char *b)
{
	char msg[512];

	snprintf(msg, sizeof msg, fmt, (int)(an > 80 ? 80 : an), a, b ? b : "");
	return ls_error_set(r->err, status, file, nd->line, nd->col, "%s", msg);
}

static int
apply_filter(struct render *r, const char *file, const struct node *nd, int f,
    const char *s, size_t n, struct ls_buf *out)
{
	struct ls_error e = { 0 };
	int64_t v;
	int rc;

	out->n = 0;
	if (ls_buf_put(out, "", 0))
		return LS_ENOMEM;
	if (n == 0)
		return 0;
	switch (f) {
	case F_MONEY:
	case F_WORDS_RU:
	case F_WORDS_EN:
		if (ls_fmt_parse_amount(s, n, &v, &e) != 0)
			return render_error(r, LS_EDATA, file, nd, "'%.*s' is not an amount (filter %s)",
			    s, n, ls_mustache_filter_names[f]);
		rc = f == F_MONEY ? ls_fmt_money(out, v, r->env->o.locale) :
		    f == F_WORDS_RU ? ls_fmt_words_ru(out, v) : ls_fmt_words_en(out, v);
		break;
	case F_DATE_RU:
	case F_DATE_EN:
		if ((rc = ls_fmt_date(out, s, n, f == F_DATE_RU ? LS_LOCALE_RU : LS_LOCALE_EN, &e)) == LS_EDATA)
			return render_error(r, LS_EDATA, file, nd, "'%.*s' is not a date (filter %s)",
			    s, n, ls_mustache_filter_names[f]);
		break;
	case F_NUMBER:
		if ((rc = ls_fmt_number(out, s, n, r->env->o.locale, &e)) == LS_EDATA)
			return render_error(r, LS_EDATA, file, nd, "'%.*s' is not a number (filter %s)",
			    s, n, ls_mustache_filter_names[f]);
		break;
	case F_UPPER:
		rc = ls_fmt_case(out, s, n, 'U');
		break;
	case F_LOWER:
		rc = ls_fmt_case(out, s, n, 'L');
		break;
	default:
		rc = ls_fmt_case(out, s, n, 'C');
		break;
	}
	return rc ? ls_error_set(r->err, LS_ENOMEM, NULL, 0, 0, "out of memory") : 0;
}

static int render_nodes(struct render *r, const struct ls_mustache *t, const struct node *kids,
    size_t n, struct ls_buf *out);

static int
render_var(struct render *r, const struct ls_mustache *t, const struct node *nd,
    struct ls_buf *out)
{
	struct ls_mval v;
	const char *s = "";
	size_t n = 0;
	int i;

	lookup(r, nd, &v);
	switch (v.kind) {
	case LS_MV_MISSING:
		if (r->env->o.strict)
			return render_error(r, LS_EDATA, t->name, nd, "no value for '%.*s'%s",
			    nd->text, nd->len, NULL);
		break;
	case LS_MV_STR:
		s = v.s;
		n = v.n;
		break;
	case LS_MV_TRUE:
		s = "true";
		n = 4;
		break;
	case LS_MV_FALSE:
		s = "false";
		n = 5;
		break;
	default:
		break;
	}
	for (i = 0; i < nd->nfilter; i++) {
		struct ls_buf *b = &r->tmp[i & 1];
		int rc = apply_filter(r, t->name, nd, nd->filter[i], s, n, b);

		if (rc)
			return rc;
		s = b->p;
		n = b->n;
	}
	if (ls_escape_put(out, s, n, nd->escape ? r->env->o.escape : LS_ESC_NONE))
		return ls_error_set(r->err, LS_ENOMEM, NULL, 0, 0, "out of memory");
	return 0;
}

/* The partial or parent a tag names (by a context value when dynamic). */
static int
tag_template(struct render *r, const struct node *nd, struct ls_mustache **out)
{
	const char *name = nd->text;
	size_t n = nd->len;

	if (nd->dynamic) {
		struct ls_mval v;

		lookup(r, nd, &v);
		if (v.kind != LS_MV_STR) {
			*out = NULL;
			return 0;
		}
		name = v.s;
		n = v.n;
		if (memchr(name, '\0', n)) {
			*out = NULL;
			return 0;
		}
	}
	return ls_mustache_partial(r->env, name, n, nd->indent ? nd->indent : "", nd->indent ? nd->indent_len : 0,
	    out, r->err);
}

/* The override of block b, and in *owner the template it is written in (for errors' names). */
static const struct node *
find_override(const struct render *r, const struct node *b, const struct ls_mustache **owner)
{
	for (size_t i = 0; i < r->nchain; i++) {
		const struct node *p = r->chain[i].nd;

		for (size_t k = 0; k < p->nkids; k++)
			if (p->kids[k].type == N_BLOCK && p->kids[k].len == b->len &&
			    memcmp(p->kids[k].text, b->text, b->len) == 0) {
				*owner = r->chain[i].t;
				return &p->kids[k];
			}
	}
	return NULL;
}

/*
 * Put an override's rendered text where block b stands: the indentation it
 * had where it was written goes, b's goes on (every line when b stands
 * alone, else the lines after the first).
 */
static int
reindent(struct ls_buf *out, const char *s, size_t n, const struct node *o,
    const struct node *b)
{
	const char *strip = o->standalone ? o->indent : "";
	size_t nstrip = o->standalone ? o->indent_len : 0;
	const char *add = b->indent ? b->indent : "";
	size_t nadd = b->indent ? b->indent_len : 0, i = 0;
	int first = 1;

	while (i < n) {
		const char *nl = memchr(s + i, '\n', n - i);
		size_t e = nl ? (size_t)(nl - s) + 1 : n;

		if (nstrip && e - i >= nstrip && memcmp(s + i, strip, nstrip) == 0)
			i += nstrip;
		if ((b->standalone || !first) && ls_buf_put(out, add, nadd))
			return LS_ENOMEM;
		if (ls_buf_put(out, s + i, e - i))
			return LS_ENOMEM;
		first = 0;
		i = e;
	}
	return 0;
}

static int
render_block(struct render *r, const struct ls_mustache *t, const struct node *nd,
    struct ls_buf *out)
{
	const struct ls_mustache *ot = t;
	const struct node *o = find_override(r, nd, &ot);
	struct ls_buf tmp = { 0 };
	int rc;

	if (o == NULL || o == nd)
		return render_nodes(r, t, nd->kids, nd->nkids, out);
	/* the override's lines are its own template's: errors name that file */
	if ((rc = render_nodes(r, ot, o->kids, o->nkids, &tmp)) == 0 && tmp.n &&
	    reindent(out, tmp.p, tmp.n, o, nd) != 0)
		rc = ls_error_set(r->err, LS_ENOMEM, NULL, 0, 0, "out of memory");
	ls_buf_free(&tmp);
	return rc;
}

static int
render_nodes(struct render *r, const struct ls_mustache *t, const struct node *kids, size_t n,
    struct ls_buf *out)
{
	for (size_t i = 0; i < n; i++) {
		const struct node *nd = &kids[i];
		struct ls_mustache *p = NULL;
		struct ls_mval v;
		int rc = 0;

		switch (nd->type) {
		case N_TEXT:
			if (ls_buf_put(out, nd->text, nd->len))
				rc = ls_error_set(r->err, LS_ENOMEM, NULL, 0, 0, "out of memory");
			break;
		case N_VAR:
			rc = render_var(r, t, nd, out);
			break;
		case N_SECTION:
			lookup(r, nd, &v);
			if (!truthy(&v))
				break;
			if (v.kind == LS_MV_LIST) {
				size_t len = v.ops->len(v.obj);

				for (size_t k = 0; k < len && rc == 0; k++) {
					struct ls_mval item;

					v.ops->at(v.obj, k, &item);
					if ((rc = push(r, &item)) != 0)
						break;
					rc = render_nodes(r, t, nd->kids, nd->nkids, out);
					r->depth--;
				}
			} else if ((rc = push(r, &v)) == 0) {
				rc = render_nodes(r, t, nd->kids, nd->nkids, out);
				r->depth--;
			}
			break;
		case N_INVERTED:
			lookup(r, nd, &v);
			if (!truthy(&v))
				rc = render_nodes(r, t, nd->kids, nd->nkids, out);
			break;
		case N_PARTIAL:
		case N_PARENT:
			if ((rc = tag_template(r, nd, &p)) != 0)
				break;
			if (p == NULL) {
				/* a misspelled partial would drop the letterhead silently */
				if (r->env->o.strict)
					rc = ls_error_set(r->err, LS_EDATA, t->name, nd->line, nd->col,
					    "no %s '%.*s'", nd->type == N_PARENT ? "parent" : "partial",
					    (int)(nd->len > 80 ? 80 : nd->len), nd->text);
				break;
			}
			if (r->level >= MAX_DEPTH) {
				rc = render_error(r, LS_EDATA, t->name, nd,
				    "partials nested too deep at '%.*s'%s", nd->text, nd->len, NULL);
				break;
			}
			if (nd->type == N_PARENT) {
				if (r->nchain == r->capchain) {
					size_t c = r->capchain ? r->capchain * 2 : 8;
					struct link *ch = realloc(r->chain, c * sizeof *ch);

					if (ch == NULL) {
						rc = ls_error_set(r->err, LS_ENOMEM, NULL, 0, 0, "out of memory");
						break;
					}
					r->chain = ch;
					r->capchain = c;
				}
				r->chain[r->nchain].nd = nd;
				r->chain[r->nchain++].t = t;
			}
			r->level++;
			rc = render_nodes(r, p, p->root.kids, p->root.nkids, out);
			r->level--;
			if (nd->type == N_PARENT)
				r->nchain--;
			break;
		case N_BLOCK:
			rc = render_block(r, t, nd, out);
			break;
		}
		if (rc)
			return rc;
	}
	return 0;
}

int
ls_mustache_render(struct ls_mustache *t, const struct ls_mval *stack, size_t depth,
    struct ls_buf *out, struct ls_error *err)
{
	struct render r;
	int rc = 0;

	memset(&r, 0, sizeof r);
	r.env = t->env;
	r.err = err;
	for (size_t i = 0; i < depth && rc == 0; i++)
		rc = push(&r, &stack[i]);
	if (ls_buf_put(out, "", 0))
		rc = LS_ENOMEM;
	if (rc == 0)
		rc = render_nodes(&r, t, t->root.kids, t->root.nkids, out);
	/* some inner paths return LS_ENOMEM without a message: a caller must not see a stale one */
	if (rc == LS_ENOMEM)
		ls_error_set(err, LS_ENOMEM, NULL, 0, 0, "out of memory");
	free(r.stack);
	free(r.chain);
	ls_buf_free(&r.tmp[0]);
	ls_buf_free(&r.tmp[1]);
	return rc;
}
