/*
 * document.c - document contexts with invoice maths, safe output names,
 * and the manifest's approval gate (document.h).
 */
#if defined(__linux__) && !defined(_GNU_SOURCE)
#define _GNU_SOURCE		/* syncfs(2) */
#endif
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "date.h"
#include "columns.h"
#include "document.h"
#include "fmt.h"
#include "keyset.h"
#include "lock.h"
#include "sha256.h"
#include "util.h"
#include "writer.h"

/* ---- invoice maths ---- */

int
ls_invoice_compute(struct ls_invoice_line *lines, size_t n, enum ls_vat_mode mode,
    int64_t *subtotal, int64_t *vat, int64_t *total, struct ls_error *err)
{
	int64_t sum = 0, vsum = 0;
	int rc;

	for (size_t i = 0; i < n; i++) {
		struct ls_invoice_line *l = &lines[i];

		if ((rc = ls_money_mul(l->price, l->qty, LS_INVOICE_QTY_SCALE, &l->total, err)) != 0)
			return rc;
		l->vat = 0;
		if (!l->vat_none &&
		    (rc = ls_money_vat(l->total, l->rate, 2, mode, &l->vat, err)) != 0)
			return rc;
		if ((rc = ls_money_add(sum, l->total, &sum, err)) != 0 ||
		    (rc = ls_money_add(vsum, l->vat, &vsum, err)) != 0)
			return rc;
	}
	*vat = vsum;
	if (mode == LS_VAT_ADDED) {
		*subtotal = sum;
		return ls_money_add(sum, vsum, total, err);
	}
	*total = sum;
	return ls_money_add(sum, -vsum, subtotal, err);
}

/* ---- YAML nodes as mustache values ---- */

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

/* ---- the documents ---- */

struct item {
	char *buf;		/* the fields' text, in f's allocation */
	struct ls_str *f;
	long line;
	int64_t qty, price, rate;
	int has_rate, vat_none;
	long next;		/* next item of the same key, or -1 */
	uint32_t group;		/* index into groups */
};

struct group {
	long head, tail;
	int used;
};

struct vat_step {
	int64_t from;		/* days since 1970 */
	int64_t rate;		/* scale 2 */
};

struct dline {
	const struct ls_docs *d;
	const struct item *it;
	char total[LS_MONEY_BUFSZ], vat[LS_MONEY_BUFSZ], with_vat[LS_MONEY_BUFSZ];
	char n[24], rate[LS_MONEY_BUFSZ];
	int vat_none;
};

struct row {
	const struct ls_str *hdr, *f;
	size_t n;
};

struct ls_docs {
	struct ls_config *cfg;
	const struct ls_node *root;
	enum ls_vat_mode mode;
	int vat_none;			/* vat: none */
	struct vat_step *vat;
	size_t nvat;
	const char *date_col;
	const char *key;
	struct ls_date today;

	char *items_file;
	struct ls_str *ihdr;
	char *ihdr_buf;
	size_t nicols;
	long icol_key, icol_qty, icol_price, icol_rate;
	struct item *items;
	size_t nitems;
	struct ls_keyset *index;	/* key -> group number */
	struct group *groups;
	size_t ngroups, capgroups;

	const struct ls_str *hdr;	/* the document stream's */
	size_t ncols;
	long col_key, col_date;

	/* the current document */
	struct row row;
	int has_items;
	struct dline *lines;
	struct ls_invoice_line *inv;
	size_t nlines, caplines, capinv;
	char subtotal[LS_MONEY_BUFSZ], vat_total[LS_MONEY_BUFSZ], total[LS_MONEY_BUFSZ];
	char rate[LS_MONEY_BUFSZ], date[LS_DATE_BUFSZ], count[24];
	int doc_vat_none;
};

static int
streq(const char *a, size_t an, const char *b)
{
	return strlen(b) == an && memcmp(a, b, an) == 0;
}

/* A rate as people write it: "20", "10.5". */
static void
format_rate(int64_t rate, char *buf, size_t size)
{
	size_t n;

	ls_money_format(rate, 2, buf, size);
	n = strlen(buf);
	if (n > 3 && strcmp(buf + n - 3, ".00") == 0)
		buf[n - 3] = '\0';
	else if (n > 1 && buf[n - 1] == '0' && strchr(buf, '.'))
		buf[n - 1] = '\0';
}

static int
parse_rate(const char *s, size_t n, int64_t *rate)
{
	if (ls_money_parse(s, n, 2, 0, rate, NULL) != 0 &&
	    ls_money_parse(s, n, 2, LS_MONEY_DECIMAL_COMMA, rate, NULL) != 0)
		return LS_EDATA;
	return *rate < 0 || *rate > 10000 ? LS_EDATA : 0;
}

static int
is_none(const char *s, size_t n)
{
	struct ls_buf b = { 0 };
	int r;

	while (n && (*s == ' ' || *s == '\t'))
		s++, n--;
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	if (ls_fmt_case(&b, s, n, 'L') != 0)
		return 0;
	r = b.n && (!strcmp(b.p, "none") || !strcmp(b.p, "без ндс") || !strcmp(b.p, "-"));
	ls_buf_free(&b);
	return r;
}

static int
vat_cmp(const void *a, const void *b)
{
	const struct vat_step *x = a, *y = b;

	return x->from < y->from ? -1 : x->from > y->from;
}

static int
load_context(struct ls_docs *d, const char *path, struct ls_error *err)
{
	const struct ls_node *n;
	const char *s;

	if ((d->cfg = ls_config_load(path, err)) == NULL)
		return err->status;
	d->root = ls_config_root(d->cfg);
	if (d->root->type != LS_NODE_MAP)
		return ls_node_error(d->cfg, d->root, err, "expected a mapping");
	if ((n = ls_node_get(d->root, "vat_mode")) != NULL) {
		if (ls_node_str(d->cfg, n, &s, err) != 0)
			return err->status;
		if (!strcmp(s, "added"))
			d->mode = LS_VAT_ADDED;
		else if (!strcmp(s, "included"))
			d->mode = LS_VAT_INCLUDED;
		else
			return ls_node_error(d->cfg, n, err,
			    "vat_mode must be added or included, not '%s'", s);
	}
	if ((n = ls_node_get(d->root, "date_column")) != NULL &&
	    ls_node_str(d->cfg, n, &d->date_col, err) != 0)
		return err->status;
	if ((n = ls_node_get(d->root, "vat")) == NULL)
		return 0;
	if (n->type == LS_NODE_SCALAR) {
		int64_t r;

		if (is_none(n->value, n->len)) {
			d->vat_none = 1;
			return 0;
		}
		if (parse_rate(n->value, n->len, &r) != 0)
			return ls_node_error(d->cfg, n, err, "vat: expected none, a rate or a list of "
			    "{from: DATE, rate: PERCENT}, got '%s'", n->value);
		if ((d->vat = calloc(1, sizeof *d->vat)) == NULL)
			return ls_error_set(err, LS_ENOMEM, NULL, 0, 0, "out of memory");
		d->vat[0].from = INT64_MIN;
		d->vat[0].rate = r;
		d->nvat = 1;
		return 0;
	}
	if (ls_node_expect(d->cfg, n, LS_NODE_SEQ, err) != 0)
		return err->status;
	if ((d->vat = calloc(n->len + 1, sizeof *d->vat)) == NULL)
		return ls_error_set(err, LS_ENOMEM, NULL, 0, 0, "out of memory");
	for (size_t i = 0; i < n->len; i++) {
		static const char *const keys[] = { "from", "rate", NULL };
		const struct ls_node *e = n->items[i], *from, *rate;
		struct ls_date dt;

		if (ls_node_check_keys(d->cfg, e, keys, err) != 0)
			return err->status;
		if ((from = ls_node_get(e, "from")) == NULL || (rate = ls_node_get(e, "rate")) == NULL)
			return ls_node_error(d->cfg, e, err, "a vat entry needs from and rate");
		if (ls_node_str(d->cfg, from, &s, err) != 0)
			return err->status;
		if (ls_date_parse(s, strlen(s), &dt, NULL) != 0)
			return ls_node_error(d->cfg, from, err, "expected a date YYYY-MM-DD, got '%s'", s);
		d->vat[i].from = ls_date_to_days(&dt);
		if (ls_node_str(d->cfg, rate, &s, err) != 0)
			return err->status;
		if (parse_rate(s, strlen(s), &d->vat[i].rate) != 0)
			return ls_node_error(d->cfg, rate, err, "expected a percent 0..100, got '%s'", s);
	}
	d->nvat = n->len;
	qsort(d->vat, d->nvat, sizeof *d->vat, vat_cmp);
	return 0;
}

static long
find_col(const struct ls_str *hdr, size_t n, const char *name)
{
	return name ? ls_header_find(hdr, n, name, strlen(name)) : -1;
}

static int
load_items(struct ls_docs *d, const char *path, struct ls_error *err)
{
	struct ls_reader_opts ro = { 0 };
	const char *paths[1] = { path };
	struct ls_reader *r;
	struct ls_record rec;
	const struct ls_str *h;
	size_t cap = 0, len;
	int rc = 0, got;
	char *p;

	if ((d->items_file = strdup(path)) == NULL)
		return ls_error_set(err, LS_ENOMEM, NULL, 0, 0, "out of memory");
	if ((r = ls_reader_open(paths, 1, &ro, err)) == NULL)
		return err->status;
	d->nicols = ls_reader_ncols(r);
	h = ls_reader_header(r);
	for (size_t i = len = 0; i < d->nicols; i++)
		len += h[i].n + 1;
	d->ihdr = calloc(d->nicols + 1, sizeof *d->ihdr);
	d->ihdr_buf = malloc(len + 1);
	if (d->ihdr == NULL || d->ihdr_buf == NULL) {
		ls_reader_free(r);
		return ls_error_set(err, LS_ENOMEM, NULL, 0, 0, "out of memory");
	}
	for (size_t i = 0, k = 0; i < d->nicols; i++) {
		memcpy(d->ihdr_buf + k, h[i].p, h[i].n);
		d->ihdr_buf[k + h[i].n] = '\0';
		d->ihdr[i].p = d->ihdr_buf + k;
		d->ihdr[i].n = h[i].n;
		k += h[i].n + 1;
	}
	d->icol_rate = find_col(d->ihdr, d->nicols, "vat_rate");
	if (ls_col_need(d->ihdr, d->nicols, d->key, "--key", &d->icol_key, err) ||
	    ls_col_need(d->ihdr, d->nicols, "qty", "--items", &d->icol_qty, err) ||
	    ls_col_need(d->ihdr, d->nicols, "price", "--items", &d->icol_price, err)) {
		ls_reader_free(r);
		if (err != NULL)
			snprintf(err->file, sizeof(err->file), "%s", path);
		return LS_ECONFIG;
	}
	if ((d->index = ls_keyset_new()) == NULL) {
		ls_reader_free(r);
		return ls_error_set(err, LS_ENOMEM, NULL, 0, 0, "out of memory");
	}
	while ((got = ls_reader_next(r, &rec, err)) == 1) {
		struct item *it;
		const struct ls_str *key;
		uint32_t g;
		int created, st;
		void *slot;

		if (ls_grow(&d->items, &cap, d->nitems + 1, sizeof *d->items) != 0) {
			rc = ls_error_set(err, LS_ENOMEM, NULL, 0, 0, "out of memory");
			break;
		}
		it = &d->items[d->nitems];
		memset(it, 0, sizeof *it);
		for (size_t i = len = 0; i < rec.nfields; i++)
			len += rec.fields[i].n + 1;
		/* one allocation per item: the views, then their text */
		it->f = malloc((rec.nfields + 1) * sizeof *it->f + len + 1);
		if (it->f == NULL) {
			rc = ls_error_set(err, LS_ENOMEM, NULL, 0, 0, "out of memory");
			break;
		}
		it->buf = (char *)(it->f + rec.nfields + 1);
		d->nitems++;
		p = it->buf;
		for (size_t i = 0; i < rec.nfields; i++) {
			memcpy(p, rec.fields[i].p, rec.fields[i].n);
			p[rec.fields[i].n] = '\0';
			it->f[i].p = p;
			it->f[i].n = rec.fields[i].n;
			p += rec.fields[i].n + 1;
		}
		it->line = rec.line;
		it->next = -1;
		if (ls_money_parse(it->f[d->icol_qty].p, it->f[d->icol_qty].n, LS_INVOICE_QTY_SCALE, 0,
		    &it->qty, NULL) != 0 &&
		    ls_money_parse(it->f[d->icol_qty].p, it->f[d->icol_qty].n, LS_INVOICE_QTY_SCALE,
		    LS_MONEY_DECIMAL_COMMA, &it->qty, NULL) != 0) {
			rc = ls_error_set(err, LS_EDATA, rec.file, rec.line, 0,
			    "qty '%.*s' is not a number with at most %d decimals",
			    (int)(it->f[d->icol_qty].n > 40 ? 40 : it->f[d->icol_qty].n),
			    it->f[d->icol_qty].p, LS_INVOICE_QTY_SCALE);
			break;
		}
		if (ls_money_parse(it->f[d->icol_price].p, it->f[d->icol_price].n, 2, 0, &it->price, NULL) != 0 &&
		    ls_money_parse(it->f[d->icol_price].p, it->f[d->icol_price].n, 2,
		    LS_MONEY_DECIMAL_COMMA, &it->price, NULL) != 0) {
			rc = ls_error_set(err, LS_EDATA, rec.file, rec.line, 0,
			    "price '%.*s' is not an amount with at most 2 decimals",
			    (int)(it->f[d->icol_price].n > 40 ? 40 : it->f[d->icol_price].n),
			    it->f[d->icol_price].p);
			break;
		}
		if (d->icol_rate >= 0 && it->f[d->icol_rate].n > 0) {
			const struct ls_str *v = &it->f[d->icol_rate];

			if (is_none(v->p, v->n))
				it->vat_none = 1;
			else if (parse_rate(v->p, v->n, &it->rate) == 0)
				it->has_rate = 1;
			else {
				rc = ls_error_set(err, LS_EDATA, rec.file, rec.line, 0,
				    "vat_rate '%.*s' is not a percent 0..100 or none",
				    (int)(v->n > 40 ? 40 : v->n), v->p);
				break;
			}
		}
		key = &it->f[d->icol_key];
		if ((slot = ls_keyset_upsert(d->index, key->p, key->n, sizeof g, &created, &st)) == NULL) {
			rc = ls_error_set(err, st, NULL, 0, 0, "out of memory");
			break;
		}
		if (created) {
			if (ls_grow(&d->groups, &d->capgroups, d->ngroups + 1, sizeof *d->groups) != 0) {
				rc = ls_error_set(err, LS_ENOMEM, NULL, 0, 0, "out of memory");
				break;
			}
			g = (uint32_t)d->ngroups++;
			memcpy(slot, &g, sizeof g);
			d->groups[g].head = d->groups[g].tail = (long)(d->nitems - 1);
			d->groups[g].used = 0;
		} else {
			memcpy(&g, slot, sizeof g);
			d->items[d->groups[g].tail].next = (long)(d->nitems - 1);
			d->groups[g].tail = (long)(d->nitems - 1);
		}
		it->group = g;
	}
	if (got < 0 && rc == 0)
		rc = err->status;
	ls_reader_free(r);
	return rc;
}

struct ls_docs *
ls_docs_open(const struct ls_doc_opts *o, struct ls_error *err)
{
	struct ls_docs *d = calloc(1, sizeof *d);
	int64_t now = o->now;

	if (d == NULL) {
		ls_error_set(err, LS_ENOMEM, NULL, 0, 0, "out of memory");
		return NULL;
	}
	d->key = o->key;
	d->date_col = "date";
	d->mode = LS_VAT_ADDED;
	{
		/* "today" is the local date (TZ), else UTC's */
		struct ls_tz *tz = ls_tz_open(NULL, NULL);

		if (tz == NULL || ls_tz_date(tz, now, &d->today) != 0)
			ls_tz_date(NULL, now, &d->today);
		ls_tz_free(tz);
	}
	if (o->context_path && load_context(d, o->context_path, err) != 0)
		goto fail;
	if (o->items_path) {
		if (o->key == NULL) {
			ls_error_set(err, LS_EUSAGE, NULL, 0, 0, "--items needs --key COL");
			goto fail;
		}
		if (!d->vat_none && d->nvat == 0) {
			ls_error_set(err, LS_ECONFIG, o->context_path, 0, 0,
			    "no 'vat' in the context: give a dated table (vat: [{from: 2026-01-01, "
			    "rate: 22}]) or vat: none");
			goto fail;
		}
		d->has_items = 1;
		if (load_items(d, o->items_path, err) != 0)
			goto fail;
	}
	return d;
fail:
	ls_docs_free(d);
	return NULL;
}

void
ls_docs_free(struct ls_docs *d)
{
	if (d == NULL)
		return;
	for (size_t i = 0; i < d->nitems; i++)
		free(d->items[i].f);
	free(d->items);
	free(d->groups);
	ls_keyset_free(d->index);
	free(d->ihdr);
	free(d->ihdr_buf);
	free(d->items_file);
	free(d->vat);
	free(d->lines);
	free(d->inv);
	ls_config_free(d->cfg);
	free(d);
}

int
ls_docs_header(struct ls_docs *d, const struct ls_str *hdr, size_t ncols, const char *file,
    struct ls_error *err)
{
	d->hdr = hdr;
	d->ncols = ncols;
	d->col_date = find_col(hdr, ncols, d->date_col);
	if (!d->has_items) {
		d->col_key = find_col(hdr, ncols, d->key);
		return 0;
	}
	(void)file;
	return ls_col_need(hdr, ncols, d->key, "--key", &d->col_key, err);
}

/* ---- values of the three contexts ---- */

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
	if (streq(name, n, "n"))
		return cstr(l->n, out);
	if (streq(name, n, "vat_rate"))
		return cstr(l->rate, out);
	if (streq(name, n, "vat_none")) {
		out->kind = l->vat_none ? LS_MV_TRUE : LS_MV_FALSE;
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
doc_get(const void *obj, const char *name, size_t n, struct ls_mval *out)
{
	const struct ls_docs *d = obj;

	if (streq(name, n, "date"))
		return cstr(d->date, out);
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
		if (d->doc_vat_none || d->nvat == 0)
			return 0;
		return cstr(d->rate, out);
	}
	if (!d->has_items)
		return 0;
	if (streq(name, n, "items")) {
		*out = ls_mval_obj(LS_MV_LIST, &lines_ops, d);
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
	return 0;
}

static const struct ls_mval_ops doc_ops = { doc_get, NULL, NULL };

int
ls_docs_row(struct ls_docs *d, const struct ls_str *fields, size_t n, const char *file, long line,
    struct ls_mval stack[3], struct ls_error *err)
{
	struct ls_date date = d->today;
	int64_t days, rate = 0, sub = 0, vat = 0, tot = 0;
	int rc;

	d->row.hdr = d->hdr;
	d->row.f = fields;
	d->row.n = n < d->ncols ? n : d->ncols;
	if (d->col_date >= 0 && (size_t)d->col_date < n && fields[d->col_date].n > 0 &&
	    ls_fmt_parse_date(fields[d->col_date].p, fields[d->col_date].n, &date.year, &date.month,
	    &date.day) != 0) {
		ls_error_set(err, LS_EDATA, file, line, 0, "%s '%.*s' is not a date", d->date_col,
		    (int)(fields[d->col_date].n > 40 ? 40 : fields[d->col_date].n), fields[d->col_date].p);
		return -1;
	}
	ls_date_format(&date, d->date, sizeof d->date);
	days = ls_date_to_days(&date);
	d->doc_vat_none = d->vat_none;
	if (!d->vat_none && d->nvat) {
		size_t i;

		for (i = d->nvat; i-- > 0;)
			if (d->vat[i].from <= days)
				break;
		if (i == (size_t)-1) {
			if (d->has_items) {
				ls_error_set(err, LS_EDATA, file, line, 0,
				    "no VAT rate for the date %s in the context's vat table", d->date);
				return -1;
			}
		} else
			rate = d->vat[i].rate;
		format_rate(rate, d->rate, sizeof d->rate);
	}
	d->nlines = 0;
	if (d->has_items) {
		const struct ls_str *key = &fields[d->col_key];
		const char *slot = ls_keyset_get(d->index, key->p, key->n);
		int all_none = 1;

		if (slot) {
			uint32_t g;

			memcpy(&g, slot, sizeof g);
			d->groups[g].used = 1;
			for (long i = d->groups[g].head; i >= 0; i = d->items[i].next) {
				if (ls_grow(&d->lines, &d->caplines, d->nlines + 1, sizeof *d->lines) != 0 ||
				    ls_grow(&d->inv, &d->capinv, d->nlines + 1, sizeof *d->inv) != 0) {
					ls_error_set(err, LS_ENOMEM, NULL, 0, 0, "out of memory");
					return -1;
				}
				struct ls_invoice_line *il = &d->inv[d->nlines];
				struct dline *dl = &d->lines[d->nlines++];

				dl->d = d;
				dl->it = &d->items[i];
				il->price = d->items[i].price;
				il->qty = d->items[i].qty;
				il->vat_none = d->doc_vat_none || d->items[i].vat_none;
				il->rate = d->items[i].has_rate ? d->items[i].rate : rate;
				dl->vat_none = il->vat_none;
				all_none &= dl->vat_none;
			}
		}
		if ((rc = ls_invoice_compute(d->inv, d->nlines, d->mode, &sub, &vat, &tot, NULL)) != 0) {
			ls_error_set(err, rc, file, line, 0, "the invoice's amounts overflow");
			return -1;
		}
		for (size_t i = 0; i < d->nlines; i++) {
			struct dline *dl = &d->lines[i];
			int64_t wv = d->mode == LS_VAT_ADDED ? d->inv[i].total + d->inv[i].vat :
			    d->inv[i].total;

			ls_money_format(d->inv[i].total, 2, dl->total, sizeof dl->total);
			ls_money_format(d->inv[i].vat, 2, dl->vat, sizeof dl->vat);
			ls_money_format(wv, 2, dl->with_vat, sizeof dl->with_vat);
			snprintf(dl->n, sizeof dl->n, "%zu", i + 1);
			if (dl->vat_none)
				snprintf(dl->rate, sizeof dl->rate, "%s", "");
			else
				format_rate(d->inv[i].rate, dl->rate, sizeof dl->rate);
		}
		if (d->nlines && all_none)
			d->doc_vat_none = 1;
		ls_money_format(sub, 2, d->subtotal, sizeof d->subtotal);
		ls_money_format(vat, 2, d->vat_total, sizeof d->vat_total);
		ls_money_format(tot, 2, d->total, sizeof d->total);
		snprintf(d->count, sizeof d->count, "%zu", d->nlines);
	}
	stack[0] = ls_mval_obj(LS_MV_MAP, &doc_ops, d);
	if (d->root)
		stack[1] = node_val(d->root);
	else
		stack[1].kind = LS_MV_NULL;
	stack[2] = ls_mval_obj(LS_MV_MAP, &row_ops, &d->row);
	return 3;
}

size_t
ls_docs_unmatched(const struct ls_docs *d, long *first_line, const char **first_key)
{
	size_t n = 0;

	for (size_t i = 0; i < d->nitems; i++)
		if (!d->groups[d->items[i].group].used) {
			if (n++ == 0) {
				*first_line = d->items[i].line;
				*first_key = d->items[i].f[d->icol_key].p;
			}
		}
	return n;
}

/* ---- output names ---- */

static char *
join(const char *dir, const char *name)
{
	size_t dn = strlen(dir);
	char *p;

	while (dn > 1 && dir[dn - 1] == '/')
		dn--;
	if (dn == 1 && dir[0] == '.')
		return strdup(name);
	if ((p = malloc(dn + strlen(name) + 2)) == NULL)
		return NULL;
	memcpy(p, dir, dn);
	p[dn] = '/';
	strcpy(p + dn + 1, name);
	return p;
}

/*
 * path's content replaced by buf[0..n) through a temporary file and a
 * rename, so a reader sees the old file or the new one.  Not fsynced here:
 * a run writes thousands of documents, and ls_doc_sync() makes them all
 * durable at once at the end (one journal commit instead of one per file).
 */
static int
write_replace(const char *path, const void *buf, size_t n, struct ls_error *err)
{
	size_t len = strlen(path);
	char *tmp = malloc(len + 32);
	const char *p = buf;
	int fd, e, tries = 0;

	if (tmp == NULL)
		return ls_error_set(err, LS_ENOMEM, NULL, 0, 0, "out of memory");
	/* a name of our own beside path: one open, and the umask's mode without a chmod */
	snprintf(tmp, len + 32, "%s.tmp%ld", path, (long)getpid());
	while ((fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666)) < 0) {
		e = errno;
		if (e != EEXIST || tries++ > 0 || unlink(tmp) != 0) {
			free(tmp);
			return ls_error_set(err, LS_EIO, path, 0, 0, "%s", strerror(e));
		}
	}
	while (n > 0) {
		ssize_t w = write(fd, p, n);

		if (w < 0) {
			if (errno == EINTR)
				continue;
			goto fail;
		}
		p += w;
		n -= (size_t)w;
	}
	if (close(fd) != 0) {
		fd = -1;
		goto fail;
	}
	fd = -1;
	if (rename(tmp, path) != 0)
		goto fail;
	free(tmp);
	return 0;
fail:
	e = errno;
	if (fd >= 0)
		close(fd);
	unlink(tmp);
	free(tmp);
	return ls_error_set(err, LS_EIO, path, 0, 0, "%s", strerror(e));
}

int
ls_doc_sync(char *const *paths, size_t n, struct ls_error *err)
{
	if (n == 0)
		return 0;
#ifdef __linux__
	{
		/*
		 * One syncfs() of the documents' file system: an fsync per
		 * file costs a disk cache flush each (4 ms here), which made
		 * durability most of the run's time.
		 */
		int fd = open(paths[0], O_RDONLY), rc = 0;

		if (fd < 0 || syncfs(fd) != 0)
			rc = ls_error_set(err, LS_EIO, paths[0], 0, 0, "%s", strerror(errno));
		if (fd >= 0)
			close(fd);
		if (rc == 0)
			return 0;
		/* fall back to a file at a time (a document folder spanning file systems) */
	}
#endif
	char *last_dir = NULL;
	int rc = 0;

	for (size_t i = 0; i < n && rc == 0; i++) {
		char *dir = strdup(paths[i]), *slash;
		int fd;

		if (dir == NULL)
			return ls_error_set(err, LS_ENOMEM, NULL, 0, 0, "out of memory");
		if ((fd = open(paths[i], O_RDONLY)) < 0 || fsync(fd) != 0)
			rc = ls_error_set(err, LS_EIO, paths[i], 0, 0, "%s", strerror(errno));
		if (fd >= 0)
			close(fd);
		slash = strrchr(dir, '/');
		if (slash)
			slash[slash == dir] = '\0';
		else
			strcpy(dir, ".");
		if (rc == 0 && (last_dir == NULL || strcmp(last_dir, dir) != 0)) {
			if ((fd = open(dir, O_RDONLY)) >= 0) {
				fsync(fd);
				close(fd);
			}
			free(last_dir);
			last_dir = dir;
			dir = NULL;
		}
		free(dir);
	}
	free(last_dir);
	return rc;
}

int
ls_doc_write(const char *dir, const char *name, const void *buf, size_t n, int force,
    char **path_out, int *exists, struct ls_error *err)
{
	char rdir[PATH_MAX], rparent[PATH_MAX], *path, *parent, *slash;
	const char *c;
	struct stat st;
	int rc;

	*path_out = NULL;
	*exists = 0;
	if (dir == NULL)
		dir = ".";
	if (name[0] == '\0')
		return ls_error_set(err, LS_EDATA, NULL, 0, 0, "the document name is empty");
	if (name[0] == '/')
		return ls_error_set(err, LS_EDATA, NULL, 0, 0,
		    "document name '%s' is absolute: it would leave %s", name, dir);
	for (c = name; *c; c++)
		if ((unsigned char)*c < 0x20 || *c == 0x7f)
			return ls_error_set(err, LS_EDATA, NULL, 0, 0,
			    "document name '%s' holds a control character", name);
	for (c = name; c; c = strchr(c, '/')) {
		if (*c == '/')
			c++;
		if (c[0] == '.' && c[1] == '.' && (c[2] == '/' || c[2] == '\0'))
			return ls_error_set(err, LS_EDATA, NULL, 0, 0,
			    "document name '%s' holds '..': it would leave %s", name, dir);
	}
	if (name[strlen(name) - 1] == '/')
		return ls_error_set(err, LS_EDATA, NULL, 0, 0, "document name '%s' names a folder", name);
	if ((path = join(dir, name)) == NULL || (parent = strdup(path)) == NULL) {
		free(path);
		return ls_error_set(err, LS_ENOMEM, NULL, 0, 0, "out of memory");
	}
	/* a name with a folder in it: that folder must resolve inside dir */
	if (strchr(name, '/') != NULL) {
		if (realpath(dir, rdir) == NULL) {
			rc = ls_error_set(err, LS_EIO, dir, 0, 0, "%s", strerror(errno));
			goto out;
		}
		slash = strrchr(parent, '/');
		*slash = '\0';
		if (realpath(parent[0] ? parent : "/", rparent) == NULL) {
			rc = ls_error_set(err, LS_EIO, NULL, 0, 0, "%s: %s", parent, strerror(errno));
			goto out;
		}
		if (strcmp(rparent, rdir) != 0 &&
		    !(strncmp(rparent, rdir, strlen(rdir)) == 0 &&
		    (rparent[strlen(rdir)] == '/' || strcmp(rdir, "/") == 0))) {
			rc = ls_error_set(err, LS_EDATA, NULL, 0, 0,
			    "document name '%s' leads out of %s through a symbolic link", name, dir);
			goto out;
		}
	}
	if (lstat(path, &st) == 0) {
		if (S_ISLNK(st.st_mode)) {
			rc = ls_error_set(err, LS_EDATA, NULL, 0, 0,
			    "%s is a symbolic link: refused", path);
			goto out;
		}
		if (!S_ISREG(st.st_mode)) {
			rc = ls_error_set(err, LS_EDATA, NULL, 0, 0, "%s is not a regular file", path);
			goto out;
		}
		if (!force) {
			*exists = 1;
			rc = ls_error_set(err, LS_EDATA, NULL, 0, 0,
			    "%s exists: kept (--force replaces it)", path);
			goto out;
		}
	}
	if ((rc = write_replace(path, buf, n, err)) != 0)
		goto out;
	*path_out = path;
	path = NULL;
out:
	free(path);
	free(parent);
	return rc;
}

/* ---- manifest ---- */

const char *const ls_manifest_cols[] = { "doc_id", "file", "template", "status", "sha256",
	"rendered_at", "approved_by", "approved_at", NULL };

void
ls_manifest_free(struct ls_manifest *m)
{
	if (m == NULL)
		return;
	for (size_t i = 0; i < m->n; i++)
		for (int k = 0; k < LS_MF_NCOLS; k++)
			free(m->rows[i].f[k]);
	free(m->rows);
	free(m->path);
	memset(m, 0, sizeof *m);
}

int
ls_manifest_set(struct ls_manifest_row *r, int k, const char *s)
{
	char *c = strdup(s);

	if (c == NULL)
		return LS_ENOMEM;
	free(r->f[k]);
	r->f[k] = c;
	return 0;
}

static int
is_hex64(const char *s)
{
	size_t i;

	for (i = 0; s[i]; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return 0;
	return i == 64;
}

static int
check_row(const struct ls_manifest *m, const struct ls_manifest_row *r, struct ls_error *err)
{
	const char *st = r->f[LS_MF_STATUS];
	int approved = !strcmp(st, "approved") || !strcmp(st, "released");

	if (r->f[LS_MF_DOC_ID][0] == '\0')
		return ls_error_set(err, LS_EDATA, m->path, r->line, 0, "inconsistent manifest: empty doc_id");
	if (r->f[LS_MF_FILE][0] == '\0')
		return ls_error_set(err, LS_EDATA, m->path, r->line, 0,
		    "inconsistent manifest: %s has no file", r->f[LS_MF_DOC_ID]);
	if (!approved && strcmp(st, "draft") != 0)
		return ls_error_set(err, LS_EDATA, m->path, r->line, 0,
		    "inconsistent manifest: %s has status '%s' (expected draft, approved or released)",
		    r->f[LS_MF_DOC_ID], st);
	if (r->f[LS_MF_SHA256][0] && !is_hex64(r->f[LS_MF_SHA256]))
		return ls_error_set(err, LS_EDATA, m->path, r->line, 0,
		    "inconsistent manifest: %s has a sha256 that is not 64 hex digits", r->f[LS_MF_DOC_ID]);
	if (approved && (!r->f[LS_MF_SHA256][0] || !r->f[LS_MF_APPROVED_BY][0] ||
	    !r->f[LS_MF_APPROVED_AT][0]))
		return ls_error_set(err, LS_EDATA, m->path, r->line, 0,
		    "inconsistent manifest: %s is %s without approved_by, approved_at and sha256",
		    r->f[LS_MF_DOC_ID], st);
	if (!approved && (r->f[LS_MF_APPROVED_BY][0] || r->f[LS_MF_APPROVED_AT][0]))
		return ls_error_set(err, LS_EDATA, m->path, r->line, 0,
		    "inconsistent manifest: %s is a draft but names an approver", r->f[LS_MF_DOC_ID]);
	return 0;
}

int
ls_manifest_load(const char *path, struct ls_manifest *m, struct ls_error *err)
{
	struct ls_reader_opts ro = { 0 };
	const char *paths[1] = { path };
	struct ls_reader *r;
	struct ls_record rec;
	struct ls_keyset *ids = NULL;
	long col[LS_MF_NCOLS];
	size_t cap = 0, nh;
	const struct ls_str *h;
	int got, rc = 0;

	memset(m, 0, sizeof *m);
	ro.format = LS_FMT_CSV;
	if ((m->path = strdup(path)) == NULL)
		return ls_error_set(err, LS_ENOMEM, NULL, 0, 0, "out of memory");
	if ((r = ls_reader_open(paths, 1, &ro, err)) == NULL) {
		ls_manifest_free(m);
		return err->status;
	}
	h = ls_reader_header(r);
	nh = ls_reader_ncols(r);
	for (int k = 0; k < LS_MF_NCOLS; k++)
		if ((col[k] = ls_header_find(h, nh, ls_manifest_cols[k], strlen(ls_manifest_cols[k]))) < 0) {
			rc = ls_error_set(err, LS_EDATA, path, 1, 0,
			    "not a manifest: no column '%s'", ls_manifest_cols[k]);
			goto out;
		}
	if (nh != LS_MF_NCOLS) {
		rc = ls_error_set(err, LS_EDATA, path, 1, 0,
		    "not a manifest: %zu columns, expected the %d of doc-render", nh, LS_MF_NCOLS);
		goto out;
	}
	if ((ids = ls_keyset_new()) == NULL) {
		rc = ls_error_set(err, LS_ENOMEM, NULL, 0, 0, "out of memory");
		goto out;
	}
	while ((got = ls_reader_next(r, &rec, err)) == 1) {
		struct ls_manifest_row *row;
		const char *dup;

		if (ls_grow(&m->rows, &cap, m->n + 1, sizeof *m->rows) != 0) {
			rc = ls_error_set(err, LS_ENOMEM, NULL, 0, 0, "out of memory");
			goto out;
		}
		row = &m->rows[m->n++];
		memset(row, 0, sizeof *row);
		row->line = rec.line;
		for (int k = 0; k < LS_MF_NCOLS; k++)
			if ((row->f[k] = strndup(rec.fields[col[k]].p, rec.fields[col[k]].n)) == NULL) {
				rc = ls_error_set(err, LS_ENOMEM, NULL, 0, 0, "out of memory");
				goto out;
			}
		if ((rc = check_row(m, row, err)) != 0)
			goto out;
		if (ls_keyset_put(ids, row->f[LS_MF_DOC_ID], strlen(row->f[LS_MF_DOC_ID]), "", 0, &dup) != 0) {
			rc = ls_error_set(err, LS_ENOMEM, NULL, 0, 0, "out of memory");
			goto out;
		}
		if (dup) {
			rc = ls_error_set(err, LS_EDATA, path, rec.line, 0,
			    "inconsistent manifest: doc_id %s appears twice", row->f[LS_MF_DOC_ID]);
			goto out;
		}
	}
	if (got < 0)
		rc = err->status;
out:
	ls_keyset_free(ids);
	ls_reader_free(r);
	if (rc != 0)
		ls_manifest_free(m);
	return rc;
}

int
ls_manifest_save(const struct ls_manifest *m, struct ls_error *err)
{
	struct ls_writer_opts wo = { 0 };
	struct ls_writer *w;
	struct ls_error e = { 0 };
	int rc = 0;

	wo.format = LS_FMT_CSV;
	if ((w = ls_writer_open(m->path, NULL, &wo, &e)) == NULL)
		rc = e.status;
	else {
		for (int k = 0; k < LS_MF_NCOLS; k++)
			ls_writer_cstr(w, ls_manifest_cols[k]);
		ls_writer_end(w);
		for (size_t i = 0; i < m->n; i++) {
			for (int k = 0; k < LS_MF_NCOLS; k++)
				ls_writer_cstr(w, m->rows[i].f[k]);
			ls_writer_end(w);
		}
		if (ls_writer_flush(w, &e) != 0 || ls_writer_commit(w, &e) != 0)
			rc = e.status;
		ls_writer_free(w);
	}
	if (rc && err)
		*err = e;
	return rc;
}


int
ls_manifest_release(struct ls_manifest *m, const char *outbox, enum ls_release_result *res,
    struct ls_error *err)
{
	struct stat st;

	if (stat(outbox, &st) != 0) {
		if (errno != ENOENT || mkdir(outbox, 0777) != 0)
			return ls_error_set(err, LS_EIO, outbox, 0, 0, "%s", strerror(errno));
	} else if (!S_ISDIR(st.st_mode))
		return ls_error_set(err, LS_EIO, outbox, 0, 0, "not a folder");
	for (size_t i = 0; i < m->n; i++) {
		struct ls_manifest_row *r = &m->rows[i];
		const char *base;
		char hex[LS_SHA256_HEX], *buf, *target;
		size_t n, on;
		int rc;

		if (!strcmp(r->f[LS_MF_STATUS], "released")) {
			res[i] = LS_REL_ALREADY;
			continue;
		}
		if (strcmp(r->f[LS_MF_STATUS], "approved") != 0) {
			res[i] = LS_REL_UNAPPROVED;
			continue;
		}
		/* read once: the bytes checked are the bytes copied */
		if ((buf = ls_read_file(r->f[LS_MF_FILE], &n, NULL)) == NULL) {
			if (errno == ENOENT) {
				res[i] = LS_REL_MISSING;
				continue;
			}
			return ls_error_set(err, LS_EIO, r->f[LS_MF_FILE], 0, 0, "%s", strerror(errno));
		}
		ls_sha256_hex(buf, n, hex);
		if (strcmp(hex, r->f[LS_MF_SHA256]) != 0) {
			res[i] = LS_REL_CHANGED;
			free(buf);
			continue;
		}
		base = strrchr(r->f[LS_MF_FILE], '/');
		base = base ? base + 1 : r->f[LS_MF_FILE];
		if ((target = join(outbox, base)) == NULL) {
			free(buf);
			return ls_error_set(err, LS_ENOMEM, NULL, 0, 0, "out of memory");
		}
		if (lstat(target, &st) == 0) {
			char *old = S_ISREG(st.st_mode) ? ls_read_file(target, &on, NULL) : NULL;
			int same = old && on == n && memcmp(old, buf, n) == 0;

			free(old);
			if (!same) {
				res[i] = LS_REL_CONFLICT;
				free(buf);
				free(target);
				continue;
			}
			rc = 0;
		} else
			rc = ls_atomic_write(target, buf, n, err);
		free(buf);
		free(target);
		if (rc != 0)
			return rc;
		if (ls_manifest_set(r, LS_MF_STATUS, "released") != 0)
			return ls_error_set(err, LS_ENOMEM, NULL, 0, 0, "out of memory");
		res[i] = LS_REL_RELEASED;
	}
	return 0;
}

int
ls_manifest_approve(struct ls_manifest *m, const char *by, char *const *ids, size_t nids,
    const char *when, size_t *napproved, struct ls_error *err)
{
	struct ls_error e = { 0 };
	char hex[LS_SHA256_HEX];
	size_t i, k;

	*napproved = 0;
	for (k = 0; k < nids; k++) {
		for (i = 0; i < m->n; i++)
			if (!strcmp(m->rows[i].f[LS_MF_DOC_ID], ids[k]))
				break;
		if (i == m->n)
			return ls_error_set(err, LS_EDATA, m->path, 0, 0, "no document '%s' in the manifest",
			    ids[k]);
		if (!strcmp(m->rows[i].f[LS_MF_STATUS], "released"))
			return ls_error_set(err, LS_EDATA, m->path, m->rows[i].line, 0,
			    "%s is released already", ids[k]);
	}
	for (i = 0; i < m->n; i++) {
		struct ls_manifest_row *r = &m->rows[i];

		if (nids == 0) {
			if (strcmp(r->f[LS_MF_STATUS], "draft") != 0)
				continue;
		} else {
			for (k = 0; k < nids; k++)
				if (!strcmp(r->f[LS_MF_DOC_ID], ids[k]))
					break;
			if (k == nids)
				continue;
		}
		if (ls_sha256_file(r->f[LS_MF_FILE], hex, &e) != 0)
			return ls_error_set(err, LS_EDATA, m->path, r->line, 0, "%s: %s: %s",
			    r->f[LS_MF_DOC_ID], r->f[LS_MF_FILE], e.msg);
		if (ls_manifest_set(r, LS_MF_STATUS, "approved") || ls_manifest_set(r, LS_MF_SHA256, hex) ||
		    ls_manifest_set(r, LS_MF_APPROVED_BY, by) ||
		    ls_manifest_set(r, LS_MF_APPROVED_AT, when))
			return ls_error_set(err, LS_ENOMEM, NULL, 0, 0, "out of memory");
		r->touched = 1;
		(*napproved)++;
	}
	return 0;
}
