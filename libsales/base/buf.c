/* buf.c - the growable string (buf.h). */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "error.h"

int
ls_buf_put(struct ls_buf *b, const char *s, size_t n)
{
	if (n > SIZE_MAX / 2 - b->n - 1)
		return LS_ENOMEM;
	if (b->n + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 64;
		/* s may lie in the text itself (appending a copy of it): keep its offset across realloc() */
		uintptr_t a = (uintptr_t)s, lo = (uintptr_t)b->p;
		int inside = b->p != NULL && a >= lo && a < lo + b->cap;
		size_t off = inside ? (size_t)(a - lo) : 0;
		char *p;

		while (cap < b->n + n + 1)
			cap *= 2;
		if ((p = realloc(b->p, cap)) == NULL)
			return LS_ENOMEM;
		b->p = p;
		b->cap = cap;
		if (inside)
			s = p + off;
	}
	if (n)
		memcpy(b->p + b->n, s, n);
	b->n += n;
	b->p[b->n] = '\0';
	return 0;
}

int
ls_buf_puts(struct ls_buf *b, const char *s)
{
	return ls_buf_put(b, s, strlen(s));
}

int
ls_buf_vprintf(struct ls_buf *b, const char *fmt, va_list ap)
{
	char small[256], *big;
	va_list again;
	int n, rc;

	/* most appends are short: one pass into a stack buffer, a second only for long text */
	va_copy(again, ap);
	n = vsnprintf(small, sizeof(small), fmt, ap);
	if (n < 0)
		rc = LS_EUSAGE;
	else if ((size_t)n < sizeof(small))
		rc = ls_buf_put(b, small, (size_t)n);
	else if ((big = malloc((size_t)n + 1)) == NULL)
		rc = LS_ENOMEM;
	else {
		vsnprintf(big, (size_t)n + 1, fmt, again);
		rc = ls_buf_put(b, big, (size_t)n);
		free(big);
	}
	va_end(again);
	return rc;
}

int
ls_buf_printf(struct ls_buf *b, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = ls_buf_vprintf(b, fmt, ap);
	va_end(ap);
	return rc;
}

void
ls_buf_free(struct ls_buf *b)
{
	if (b == NULL)
		return;
	free(b->p);
	b->p = NULL;
	b->n = b->cap = 0;
}
