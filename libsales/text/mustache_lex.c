/*
 * mustache_lex.c - the Mustache lexer (mustache_int.h): the source cut into
 * tokens, text split after each newline so that the standalone pass
 * (mustache_line.c) sees whole lines, and tags typed by their sigil.
 * Delimiter changes ({{=<% %>=}}) are applied here, as the text is read.
 */
#include <stdlib.h>
#include <string.h>

#include "mustache_int.h"

static long
col_of(const char *line_start, const char *p)
{
	long c = 1;

	for (; line_start < p; line_start++)
		if ((*line_start & 0xC0) != 0x80)
			c++;
	return c;
}

static void
advance(struct lexer *lx, const char *to)
{
	for (; lx->p < to; lx->p++)
		if (*lx->p == '\n') {
			lx->line++;
			lx->line_start = lx->p + 1;
		}
}

static struct tok *
push_tok(struct lexer *lx)
{
	struct tok *t;

	if (lx->nt == lx->capt) {
		size_t cap = lx->capt ? lx->capt * 2 : 64;
		struct tok *nt = realloc(lx->t, cap * sizeof *nt);

		if (nt == NULL)
			return NULL;
		lx->t = nt;
		lx->capt = cap;
	}
	t = &lx->t[lx->nt++];
	memset(t, 0, sizeof *t);
	return t;
}

static const char *
find(const char *p, const char *end, const char *s, size_t n)
{
	for (; p + n <= end; p++) {
		p = memchr(p, s[0], (size_t)(end - p));
		if (p == NULL || p + n > end)
			return NULL;
		if (memcmp(p, s, n) == 0)
			return p;
	}
	return NULL;
}

/* Text up to `to`, one token per line so that the standalone pass sees lines. */
static int
lex_text(struct lexer *lx, const char *to)
{
	while (lx->p < to) {
		const char *nl = memchr(lx->p, '\n', (size_t)(to - lx->p));
		const char *e = nl ? nl + 1 : to;
		struct tok *t = push_tok(lx);

		if (t == NULL)
			return LS_ENOMEM;
		t->type = T_TEXT;
		t->p = lx->p;
		t->n = (size_t)(e - lx->p);
		t->line = lx->line;
		advance(lx, e);
	}
	return 0;
}

static int
set_delims(struct lexer *lx, const char *p, size_t n, long line, long col)
{
	const char *a, *b;
	size_t an, bn;

	trim(&p, &n);
	a = p;
	for (an = 0; an < n && !is_space(p[an]); an++)
		;
	b = p + an;
	bn = n - an;
	trim(&b, &bn);
	for (size_t i = 0; i < bn; i++)
		if (is_space(b[i]))
			bn = 0;
	if (an == 0 || bn == 0 || an > MAX_DELIM || bn > MAX_DELIM ||
	    memchr(a, '=', an) || memchr(b, '=', bn))
		return ls_mustache_lex_error(lx, line, col, "bad delimiter change '%.*s'", p, n);
	memcpy(lx->open, a, an);
	lx->nopen = an;
	memcpy(lx->close, b, bn);
	lx->nclose = bn;
	return 0;
}

int
ls_mustache_lex(struct lexer *lx)
{
	int rc;

	while (lx->p < lx->end) {
		const char *o = find(lx->p, lx->end, lx->open, lx->nopen);
		const char *q, *c, *stop;
		long line, col;
		int sigil;
		struct tok *t;

		if (o == NULL)
			return lex_text(lx, lx->end);
		if ((rc = lex_text(lx, o)) != 0)
			return rc;
		line = lx->line;
		col = col_of(lx->line_start, o);
		q = o + lx->nopen;
		sigil = q < lx->end ? *q : 0;
		if (sigil == '{') {
			char cl[MAX_DELIM + 2] = "}";

			memcpy(cl + 1, lx->close, lx->nclose);
			c = find(q + 1, lx->end, cl, lx->nclose + 1);
			stop = c ? c + lx->nclose + 1 : NULL;
		} else if (sigil == '=') {
			char cl[MAX_DELIM + 2] = "=";

			memcpy(cl + 1, lx->close, lx->nclose);
			c = find(q + 1, lx->end, cl, lx->nclose + 1);
			stop = c ? c + lx->nclose + 1 : NULL;
		} else {
			c = find(q, lx->end, lx->close, lx->nclose);
			stop = c ? c + lx->nclose : NULL;
		}
		if (c == NULL)
			return ls_mustache_lex_error(lx, line, col, "unclosed tag '%.*s'", o,
			    (size_t)(lx->end - o > 20 ? 20 : lx->end - o));
		if (sigil == '=') {
			if ((rc = set_delims(lx, q + 1, (size_t)(c - q - 1), line, col)) != 0)
				return rc;
		}
		if ((t = push_tok(lx)) == NULL)
			return LS_ENOMEM;
		t->line = line;
		t->col = col;
		t->escape = 1;
		switch (sigil) {
		case '#': case '^': case '/': case '>': case '<': case '$': case '!': case '=':
		case '&':
			t->type = sigil;
			q++;
			break;
		case '{':
			t->type = 'v';
			t->escape = 0;
			q++;
			break;
		default:
			t->type = 'v';
		}
		if (t->type == '&')
			t->type = 'v', t->escape = 0;
		t->p = q;
		t->n = (size_t)(c - q);
		trim(&t->p, &t->n);
		if (t->type == 'v') {
			const char *bar = memchr(t->p, '|', t->n);

			if (bar) {
				t->filt = bar + 1;
				t->nfilt = (size_t)(t->p + t->n - bar - 1);
				t->n = (size_t)(bar - t->p);
				trim(&t->p, &t->n);
			}
		}
		if ((t->type == '>' || t->type == '<' || t->type == '/') && t->n && t->p[0] == '*') {
			t->dynamic = t->type != '/';
			t->p++, t->n--;
			trim(&t->p, &t->n);
		}
		if (t->type != '!' && t->type != '=' && t->n == 0)
			return ls_mustache_lex_error(lx, line, col, "empty tag%.*s", "", 0);
		if (t->type != '!' && t->type != '=')
			for (size_t i = 0; i < t->n; i++)
				if (is_space(t->p[i]))
					return ls_mustache_lex_error(lx, line, col, "bad tag name '%.*s'", t->p, t->n);
		advance(lx, stop);
	}
	return 0;
}
