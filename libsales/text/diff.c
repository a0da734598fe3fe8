/* diff.c - one readable hunk between two texts (diff.h). */
#include <stdlib.h>
#include <string.h>

#include "diff.h"
#include "error.h"

struct line {
	const char *p;
	size_t n;
};

/* The lines of p[0..n) (without their LF) into a new array; NULL when out of memory. */
static struct line *
split(const char *p, size_t n, size_t *count)
{
	size_t k = 0, cap = 1;
	struct line *v;

	for (size_t i = 0; i < n; i++)
		cap += p[i] == '\n';
	if ((v = calloc(cap, sizeof *v)) == NULL)
		return NULL;
	for (size_t pos = 0; pos < n;) {
		const char *nl = memchr(p + pos, '\n', n - pos);
		size_t len = nl ? (size_t)(nl - (p + pos)) : n - pos;

		v[k].p = p + pos;
		v[k++].n = len;
		pos += len + (nl != NULL);
	}
	*count = k;
	return v;
}

static int
same(const struct line *x, const struct line *y)
{
	return x->n == y->n && memcmp(x->p, y->p, x->n) == 0;
}

int
ls_diff_hunk(struct ls_buf *out, const char *a, size_t an, const char *b, size_t bn)
{
	size_t na = 0, nb = 0, pre = 0, suf = 0;
	struct line *va = split(a, an, &na), *vb = split(b, bn, &nb);
	int rc = 0;

	if (va == NULL || vb == NULL) {
		free(va);
		free(vb);
		return LS_ENOMEM;
	}
	while (pre < na && pre < nb && same(&va[pre], &vb[pre]))
		pre++;
	while (suf < na - pre && suf < nb - pre && same(&va[na - 1 - suf], &vb[nb - 1 - suf]))
		suf++;
	rc = ls_buf_printf(out, "@@ -%zu,%zu +%zu,%zu @@\n", pre + 1, na - pre - suf, pre + 1,
	    nb - pre - suf);
	for (size_t k = pre; rc == 0 && k < na - suf; k++)
		rc = ls_buf_printf(out, "-%.*s\n", (int)va[k].n, va[k].p);
	for (size_t k = pre; rc == 0 && k < nb - suf; k++)
		rc = ls_buf_printf(out, "+%.*s\n", (int)vb[k].n, vb[k].p);
	free(va);
	free(vb);
	return rc;
}
