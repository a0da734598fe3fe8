/*
 * doc_payment.c - the GOST R 56042-2014 payment string of an invoice.
 * See doc_payment.h.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "doc_payment.h"
#include "doc_int.h"
#include "qr.h"

/* Append "|KEY=value"; a value must not break the string apart. */
static int
field(struct ls_buf *out, const char *key, const char *what, const char *v, size_t n, int required,
    struct ls_error *err)
{
	if (v == NULL || n == 0) {
		if (!required)
			return 0;
		return ls_error_set(err, LS_EDATA, NULL, 0, 0, "the payment QR code needs %s in the company "
		    "config", what);
	}
	if (memchr(v, '|', n) || memchr(v, '\n', n) || memchr(v, '\r', n))
		return ls_error_set(err, LS_EDATA, NULL, 0, 0, "%s holds a '|' or a line break, which the "
		    "payment QR code cannot carry", what);
	if (ls_buf_printf(out, "|%s=", key) != 0 || ls_buf_put(out, v, n) != 0)
		return ls_error_set(err, LS_ENOMEM, NULL, 0, 0, "out of memory");
	return 0;
}

/* seller.a[.b] as KEY */
static int
node_field(struct ls_buf *out, const char *key, const struct ls_node *seller, const char *a,
    const char *b, int required, struct ls_error *err)
{
	const struct ls_node *n = ls_doc_seller_field(seller, a, b);
	char what[96];

	snprintf(what, sizeof(what), "seller.%s%s%s", a, b ? "." : "", b ? b : "");
	return field(out, key, what, n ? n->value : NULL, n ? n->len : 0, required, err);
}

int
ls_doc_payment_text(const struct ls_node *company, const char *number, const char *date,
    int64_t total, const struct ls_vat_group *g, size_t ng, struct ls_buf *out, struct ls_error *err)
{
	const struct ls_node *seller = company ? ls_node_get(company, "seller") : NULL;
	struct ls_buf purpose = { 0 };
	char sum[32], money[LS_MONEY_BUFSZ];
	int rc;

	if (total <= 0) {
		ls_money_format(total, 2, money, sizeof(money));
		return ls_error_set(err, LS_EDATA, NULL, 0, 0, "no payment QR code for a total of %s", money);
	}
	if (ls_buf_puts(out, "ST00012") != 0)
		return ls_error_set(err, LS_ENOMEM, NULL, 0, 0, "out of memory");
	if ((rc = node_field(out, "Name", seller, "name", NULL, 1, err)) != 0 ||
	    (rc = node_field(out, "PersonalAcc", seller, "bank", "account", 1, err)) != 0 ||
	    (rc = node_field(out, "BankName", seller, "bank", "name", 1, err)) != 0 ||
	    (rc = node_field(out, "BIC", seller, "bank", "bik", 1, err)) != 0 ||
	    (rc = node_field(out, "CorrespAcc", seller, "bank", "corr_account", 1, err)) != 0 ||
	    (rc = node_field(out, "PayeeINN", seller, "inn", NULL, 0, err)) != 0 ||
	    (rc = node_field(out, "KPP", seller, "kpp", NULL, 0, err)) != 0)
		return rc;
	snprintf(sum, sizeof(sum), "%" PRId64, total);
	if ((rc = field(out, "Sum", "the total", sum, strlen(sum), 1, err)) != 0)
		return rc;
	/* what the payer's bank shows and the seller's accountant matches: the invoice and its VAT */
	rc = ls_buf_printf(&purpose, "Оплата по счёту № %s от %s", number ? number : "", date ? date : "");
	for (size_t i = 0; i < ng && rc == 0; i++) {
		char rate[LS_MONEY_BUFSZ];

		if (g[i].vat_none) {
			rc = ls_buf_printf(&purpose, ", без НДС");
			continue;
		}
		ls_invoice_rate_format(g[i].rate, rate, sizeof(rate));
		ls_money_format(g[i].vat, 2, money, sizeof(money));
		rc = ls_buf_printf(&purpose, ", в т.ч. НДС %s%% %s", rate, money);
	}
	if (rc != 0) {
		ls_buf_free(&purpose);
		return ls_error_set(err, LS_ENOMEM, NULL, 0, 0, "out of memory");
	}
	rc = field(out, "Purpose", "the deal id or date", purpose.p, purpose.n, 1, err);
	ls_buf_free(&purpose);
	return rc;
}

/* ---- {{{payment_qr}}} ---- */

struct ls_doc_qr {
	int state;		/* 0: not made for this document, 1: made, -1: failed */
	struct ls_buf text, svg;
	struct ls_error err;
};

int
ls_doc_payment_qr(const struct ls_docs *d, struct ls_mval *out)
{
	struct ls_doc_qr *q = d->qr;
	const struct ls_str *key;
	struct ls_mval nv;
	char number[128], date[16];

	if (!d->has_items || q == NULL)
		return 0;
	if (q->state == 0) {
		q->text.n = q->svg.n = 0;
		key = d->col_key >= 0 && (size_t)d->col_key < d->row.n ? &d->row.f[d->col_key] : NULL;
		/* the invoice's number when the context numbers them, as the page prints it */
		if (ls_doc_number_get(d, &nv))
			snprintf(number, sizeof(number), "%.*s", (int)(nv.n > 100 ? 100 : nv.n), nv.s);
		else
			snprintf(number, sizeof(number), "%.*s", key ? (int)(key->n > 100 ? 100 : key->n) : 0,
			    key ? key->p : "");
		/* YYYY-MM-DD as a Russian bank shows a date */
		snprintf(date, sizeof(date), "%.2s.%.2s.%.4s", d->date + 8, d->date + 5, d->date);
		q->state = ls_doc_payment_text(d->root, number, date, d->total_minor, d->vg, d->nvg, &q->text,
		    &q->err) == 0 && ls_qr_svg(q->text.p, q->text.n, 24, &q->svg, &q->err) == 0 &&
		    ls_buf_put(&q->svg, "", 1) == 0 ? 1 : -1;
		if (q->state < 0 && q->err.status == LS_OK)
			ls_error_set(&q->err, LS_ENOMEM, NULL, 0, 0, "out of memory");
	}
	if (q->state < 0)
		return 0;
	*out = ls_mval_str(q->svg.p, q->svg.n - 1);
	return 1;
}

struct ls_doc_qr *
ls_doc_payment_new(void)
{
	return calloc(1, sizeof(struct ls_doc_qr));
}

void
ls_doc_payment_reset(struct ls_docs *d)
{
	d->qr->state = 0;
	memset(&d->qr->err, 0, sizeof(d->qr->err));
}

int
ls_doc_payment_error(const struct ls_docs *d, struct ls_error *err)
{
	if (d->qr == NULL || d->qr->state >= 0)
		return 0;
	if (err)
		*err = d->qr->err;
	return d->qr->err.status;
}

void
ls_doc_payment_free(struct ls_docs *d)
{
	if (d->qr == NULL)
		return;
	ls_buf_free(&d->qr->text);
	ls_buf_free(&d->qr->svg);
	free(d->qr);
	d->qr = NULL;
}
