/*
 * doc_invoice.c - the invoice maths of document.h: line totals and VAT in
 * exact minor units, and the VAT rates as written in contexts and items.
 */
#include <string.h>

#include "buf.h"
#include "doc_int.h"
#include "fmt.h"

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

int
ls_invoice_groups(const struct ls_invoice_line *lines, size_t n, enum ls_vat_mode mode,
    struct ls_vat_group *g, size_t *ng, struct ls_error *err)
{
	size_t k = 0;
	int rc;

	for (size_t i = 0; i < n; i++) {
		const struct ls_invoice_line *l = &lines[i];
		int64_t rate = l->vat_none ? 0 : l->rate;
		size_t j;

		/* insertion keeps the groups sorted: few rates, so a scan is enough */
		for (j = 0; j < k; j++)
			if (g[j].vat_none == l->vat_none && g[j].rate == rate)
				break;
		if (j == k) {
			for (j = 0; j < k; j++)
				if (l->vat_none ? 0 : (g[j].vat_none || g[j].rate > rate))
					break;
			memmove(&g[j + 1], &g[j], (k - j) * sizeof *g);
			memset(&g[j], 0, sizeof *g);
			g[j].rate = rate;
			g[j].vat_none = l->vat_none;
			k++;
		}
		g[j].nlines++;
		if ((rc = ls_money_add(g[j].vat, l->vat, &g[j].vat, err)) != 0)
			return rc;
		/* the line's total is what was written: without VAT when added, with it when included */
		if (mode == LS_VAT_ADDED)
			rc = ls_money_add(g[j].base, l->total, &g[j].base, err);
		else
			rc = ls_money_add(g[j].total, l->total, &g[j].total, err);
		if (rc != 0)
			return rc;
	}
	for (size_t j = 0; j < k; j++) {
		if (mode == LS_VAT_ADDED)
			rc = ls_money_add(g[j].base, g[j].vat, &g[j].total, err);
		else
			rc = ls_money_add(g[j].total, -g[j].vat, &g[j].base, err);
		if (rc != 0)
			return rc;
	}
	*ng = k;
	return 0;
}

void
ls_invoice_rate_format(int64_t rate, char *buf, size_t size)
{
	size_t n;

	ls_money_format(rate, 2, buf, size);
	n = strlen(buf);
	if (n > 3 && strcmp(buf + n - 3, ".00") == 0)
		buf[n - 3] = '\0';
	else if (n > 1 && buf[n - 1] == '0' && strchr(buf, '.'))
		buf[n - 1] = '\0';
}

int
ls_invoice_rate_parse(const char *s, size_t n, int64_t *rate)
{
	if (ls_money_parse(s, n, 2, 0, rate, NULL) != 0 &&
	    ls_money_parse(s, n, 2, LS_MONEY_DECIMAL_COMMA, rate, NULL) != 0)
		return LS_EDATA;
	return *rate < 0 || *rate > 10000 ? LS_EDATA : 0;
}

int
ls_invoice_is_none(const char *s, size_t n)
{
	struct ls_buf b = { 0 };
	int r;

	while (n && (*s == ' ' || *s == '\t'))
		s++, n--;
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	if (ls_fmt_case(&b, s, n, 'L') != 0) {
		ls_buf_free(&b);
		return -1;	/* out of memory: not "not none", which would call the rate bad */
	}
	r = b.n && (!strcmp(b.p, "none") || !strcmp(b.p, "без ндс") || !strcmp(b.p, "-"));
	ls_buf_free(&b);
	return r;
}
