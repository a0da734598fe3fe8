/*
 * document.c - the documents' context and invoice lines (document.h): the
 * context YAML with its VAT table, the items file indexed by --key, and
 * each row's computed sums.  The values a template sees are doc_values.c's,
 * the maths doc_invoice.c's.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "columns.h"
#include "doc_int.h"
#include "fmt.h"
#include "util.h"
#include "writer.h"

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
	/* due_date needs both: payment_days counted over the calendar's working days */
	if (ls_node_get(d->root, "calendar") != NULL) {
		long long days;

		if ((d->cal = ls_cal_config(d->cfg, d->root, err)) == NULL)
			return err->status;
		if ((n = ls_node_get(d->root, "payment_days")) != NULL) {
			if (ls_node_int(d->cfg, n, &days, err) != 0)
				return err->status;
			if (days < 0 || days > 3650)
				return ls_node_error(d->cfg, n, err,
				    "payment_days must be 0 .. 3650 business days, not %lld", days);
			d->payment_days = days;
		}
		/* a proposal's validity counts the same working days as an invoice's due date */
		if ((n = ls_node_get(d->root, "proposal_days")) != NULL) {
			if (ls_node_int(d->cfg, n, &days, err) != 0)
				return err->status;
			if (days < 0 || days > 3650)
				return ls_node_error(d->cfg, n, err,
				    "proposal_days must be 0 .. 3650 business days, not %lld", days);
			d->proposal_days = days;
		}
	}
	if ((n = ls_node_get(d->root, "upd_status")) != NULL) {
		long long st;

		if (ls_node_int(d->cfg, n, &st, err) != 0)
			return err->status;
		if (st != 1 && st != 2)
			return ls_node_error(d->cfg, n, err, "upd_status must be 1 (счёт-фактура and "
			    "transfer document) or 2 (transfer document only), not %lld", st);
		d->upd_status = (int)st;
	}
	if ((n = ls_node_get(d->root, "numbering")) != NULL &&
	    ls_doc_number_config(d, n, err) != 0)
		return err->status;
	if ((n = ls_node_get(d->root, "vat")) == NULL)
		return 0;
	if (n->type == LS_NODE_SCALAR) {
		int64_t r;

		int none = ls_invoice_is_none(n->value, n->len);

		if (none < 0)
			return ls_error_set(err, LS_ENOMEM, NULL, 0, 0, "out of memory");
		if (none) {
			d->vat_none = 1;
			return 0;
		}
		if (ls_invoice_rate_parse(n->value, n->len, &r) != 0)
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
		if (ls_invoice_rate_parse(s, strlen(s), &d->vat[i].rate) != 0)
			return ls_node_error(d->cfg, rate, err, "expected a percent 0..100, got '%s'", s);
	}
	d->nvat = n->len;
	qsort(d->vat, d->nvat, sizeof *d->vat, vat_cmp);
	return 0;
}

/*
 * A unit's price without VAT, base / qty (qty at LS_INVOICE_QTY_SCALE) to
 * kopecks, rounded half away from zero as the lines are: the УПД's column 4
 * when prices hold VAT.  -1 when it would overflow.
 */
static int
unit_price(int64_t base, int64_t qty, int64_t *out)
{
	const int64_t scale = 1000;
	int neg = base < 0;
	int64_t b, q, r, m, rem;

	if (qty <= 0 || base == INT64_MIN || qty > INT64_MAX / (2 * scale))
		return -1;
	b = neg ? -base : base;
	q = b / qty;
	r = b % qty;
	if (q > (INT64_MAX - scale) / scale)
		return -1;
	m = r * scale / qty;
	rem = r * scale % qty;
	if (2 * rem >= qty)
		m++;
	*out = (neg ? -1 : 1) * (q * scale + m);
	return 0;
}

static long
find_col(const struct ls_str *hdr, size_t n, const char *name)
{
	return name ? ls_header_find(hdr, n, name, strlen(name)) : -1;
}

static int
load_items(struct ls_docs *d, const char *path, int lazy_quotes, const char *encoding,
    struct ls_error *err)
{
	struct ls_reader_opts ro = { 0 };
	const char *paths[1] = { path };
	struct ls_reader *r;
	struct ls_record rec;
	const struct ls_str *h;
	size_t cap = 0, len;
	int rc = 0, got;
	char *p;

	ro.lazy_quotes = lazy_quotes;
	ro.encoding = encoding;
	ro.encoding_flag = "--items-encoding";	/* --encoding is the rows' */
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

			int none = ls_invoice_is_none(v->p, v->n);

			if (none < 0) {
				rc = ls_error_set(err, LS_ENOMEM, NULL, 0, 0, "out of memory");
				break;
			}
			if (none)
				it->vat_none = 1;
			else if (ls_invoice_rate_parse(v->p, v->n, &it->rate) == 0)
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
	if ((d->qr = ls_doc_payment_new()) == NULL) {
		free(d);
		ls_error_set(err, LS_ENOMEM, NULL, 0, 0, "out of memory");
		return NULL;
	}
	d->key = o->key;
	d->date_col = "date";
	d->mode = LS_VAT_ADDED;
	d->payment_days = -1;
	d->proposal_days = -1;
	d->upd_status = 1;
	{
		/* "today" is the local date (TZ), else UTC's */
		struct ls_tz *tz = ls_tz_open(NULL, err);

		/* the process zone: memory or its zone file unread make it fail, and UTC's date may be another day */
		if (tz == NULL)
			goto fail;
		if (ls_tz_date(tz, now, &d->today) != 0)
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
		/* a document to be paid names whom to pay: those requisites must hold */
		if (d->cfg && ls_doc_requisites_check(d->cfg, o->template_path, err) != 0)
			goto fail;
		if (load_items(d, o->items_path, o->lazy_quotes, o->items_encoding, err) != 0)
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
	ls_cal_free(d->cal);
	free(d->vat);
	free(d->lines);
	free(d->inv);
	free(d->vg);
	free(d->groups_txt);
	ls_doc_payment_free(d);
	ls_doc_number_free(d);
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
	d->col_upd = find_col(hdr, ncols, "upd_status");
	if (!d->has_items) {
		d->col_key = find_col(hdr, ncols, d->key);
		return 0;
	}
	(void)file;
	return ls_col_need(hdr, ncols, d->key, "--key", &d->col_key, err);
}


int
ls_docs_row(struct ls_docs *d, const struct ls_str *fields, size_t n, const char *file, long line,
    struct ls_mval stack[3], struct ls_error *err)
{
	struct ls_date date = d->today;
	int64_t days, rate = 0, sub = 0, vat = 0, tot = 0;
	int rc;

	ls_doc_payment_reset(d);
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
	d->due[0] = '\0';
	if (d->cal && d->payment_days >= 0) {
		struct ls_date due;

		if (ls_cal_add_date(d->cal, &date, d->payment_days, &due) != 0) {
			ls_error_set(err, LS_EDATA, file, line, 0,
			    "no working day %lld business days after %s in the calendar",
			    (long long)d->payment_days, d->date);
			return -1;
		}
		ls_date_format(&due, d->due, sizeof d->due);
	}
	d->valid[0] = '\0';
	if (d->cal && d->proposal_days >= 0) {
		struct ls_date until;

		if (ls_cal_add_date(d->cal, &date, d->proposal_days, &until) != 0) {
			ls_error_set(err, LS_EDATA, file, line, 0,
			    "no working day %lld business days after %s in the calendar",
			    (long long)d->proposal_days, d->date);
			return -1;
		}
		ls_date_format(&until, d->valid, sizeof d->valid);
	}
	/* the deal's own status wins over the context's; an empty cell takes the context's */
	d->doc_upd = d->upd_status;
	if (d->col_upd >= 0 && (size_t)d->col_upd < n && fields[d->col_upd].n > 0) {
		const struct ls_str *u = &fields[d->col_upd];

		if (u->n != 1 || (u->p[0] != '1' && u->p[0] != '2')) {
			ls_error_set(err, LS_EDATA, file, line, 0,
			    "upd_status '%.*s' must be 1 (счёт-фактура and transfer document) or 2 "
			    "(transfer document only)", (int)(u->n > 40 ? 40 : u->n), u->p);
			return -1;
		}
		d->doc_upd = u->p[0] - '0';
	}
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
		ls_invoice_rate_format(rate, d->rate, sizeof d->rate);
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
		/*
		 * An invoice for nothing, or for a negative amount, would be
		 * rendered in good faith («Минус сто двадцать два рубля») and
		 * signed by someone: stop it here.
		 */
		if (d->nlines == 0) {
			ls_error_set(err, LS_EDATA, file, line, 0, "%s '%.*s' has no lines in %s", d->key,
			    (int)(key->n > 40 ? 40 : key->n), key->p, d->items_file);
			return -1;
		}
		if (tot <= 0) {
			char t[LS_MONEY_BUFSZ];

			ls_money_format(tot, 2, t, sizeof t);
			ls_error_set(err, LS_EDATA, file, line, 0, "%s '%.*s': the total %s is not above zero",
			    d->key, (int)(key->n > 40 ? 40 : key->n), key->p, t);
			return -1;
		}
		if (ls_grow(&d->vg, &d->capvg, d->nlines, sizeof *d->vg) != 0 ||
		    ls_grow(&d->groups_txt, &d->capgtxt, d->nlines, sizeof *d->groups_txt) != 0) {
			ls_error_set(err, LS_ENOMEM, NULL, 0, 0, "out of memory");
			return -1;
		}
		if ((rc = ls_invoice_groups(d->inv, d->nlines, d->mode, d->vg, &d->nvg, NULL)) != 0) {
			ls_error_set(err, rc, file, line, 0, "the invoice's amounts overflow");
			return -1;
		}
		for (size_t i = 0; i < d->nvg; i++) {
			struct dgroup *t = &d->groups_txt[i];

			t->vat_none = d->vg[i].vat_none;
			if (t->vat_none) {
				t->rate[0] = '\0';
				snprintf(t->label, sizeof t->label, "%s", "Без НДС");
			} else {
				ls_invoice_rate_format(d->vg[i].rate, t->rate, sizeof t->rate);
				snprintf(t->label, sizeof t->label, "НДС %s%%", t->rate);
			}
			ls_money_format(d->vg[i].base, 2, t->base, sizeof t->base);
			ls_money_format(d->vg[i].vat, 2, t->vat, sizeof t->vat);
			ls_money_format(d->vg[i].total, 2, t->total, sizeof t->total);
		}
		for (size_t i = 0; i < d->nlines; i++) {
			struct dline *dl = &d->lines[i];
			int64_t wv = d->mode == LS_VAT_ADDED ? d->inv[i].total + d->inv[i].vat :
			    d->inv[i].total;

			ls_money_format(d->inv[i].total, 2, dl->total, sizeof dl->total);
			ls_money_format(d->inv[i].vat, 2, dl->vat, sizeof dl->vat);
			ls_money_format(wv, 2, dl->with_vat, sizeof dl->with_vat);
			if (d->mode == LS_VAT_ADDED) {
				ls_money_format(d->inv[i].total, 2, dl->base, sizeof dl->base);
				ls_money_format(d->inv[i].price, 2, dl->price_base, sizeof dl->price_base);
			} else {
				int64_t base = d->inv[i].total - d->inv[i].vat, unit;

				ls_money_format(base, 2, dl->base, sizeof dl->base);
				/* a line of no quantity has no unit price: its written one stands */
				if (d->inv[i].qty == 0)
					unit = d->inv[i].price;
				else if (unit_price(base, d->inv[i].qty, &unit) != 0) {
					ls_error_set(err, LS_EDATA, file, line, 0,
					    "the invoice's amounts overflow");
					return -1;
				}
				ls_money_format(unit, 2, dl->price_base, sizeof dl->price_base);
			}
			snprintf(dl->n, sizeof dl->n, "%zu", i + 1);
			if (dl->vat_none)
				snprintf(dl->rate, sizeof dl->rate, "%s", "");
			else
				ls_invoice_rate_format(d->inv[i].rate, dl->rate, sizeof dl->rate);
		}
		if (d->nlines && all_none)
			d->doc_vat_none = 1;
		ls_money_format(sub, 2, d->subtotal, sizeof d->subtotal);
		ls_money_format(vat, 2, d->vat_total, sizeof d->vat_total);
		ls_money_format(tot, 2, d->total, sizeof d->total);
		d->total_minor = tot;
		snprintf(d->count, sizeof d->count, "%zu", d->nlines);
	}
	ls_doc_values_stack(d, stack);
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

