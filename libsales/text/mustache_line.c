/*
 * mustache_line.c - the pass between lexing and the tree (mustache_int.h):
 * closing tags matched with their openers, then the spec's standalone-line
 * rules: a line holding only blanks and one block-ish tag (section,
 * inverted, closing, partial, comment, delimiter change, parent, block)
 * disappears from the output, and a partial's or block's indentation is
 * remembered for the text it brings in.
 */
#include <stdlib.h>
#include <string.h>

#include "mustache_int.h"

int
ls_mustache_match(struct lexer *lx)
{
	size_t *stack = NULL, depth = 0, i;
	int rc = 0;

	for (i = 0; i < lx->nt && rc == 0; i++) {
		struct tok *t = &lx->t[i];

		if (t->type == '#' || t->type == '^' || t->type == '$' || t->type == '<') {
			size_t *ns;

			/* building and rendering recurse once per level */
			if (depth == MAX_NEST) {
				rc = ls_mustache_lex_error(lx, t->line, t->col, "sections nested deeper than 500 at '%.*s'",
				    t->p, t->n);
				break;
			}
			ns = realloc(stack, (depth + 1) * sizeof *ns);

			if (ns == NULL) {
				rc = LS_ENOMEM;
				break;
			}
			stack = ns;
			stack[depth++] = i;
		} else if (t->type == '/') {
			struct tok *o;

			if (depth == 0) {
				rc = ls_mustache_lex_error(lx, t->line, t->col, "closing tag '%.*s' has no opening tag",
				    t->p, t->n);
				break;
			}
			o = &lx->t[stack[depth - 1]];
			if (o->n != t->n || memcmp(o->p, t->p, t->n) != 0) {
				rc = ls_error_set(lx->err, LS_ECONFIG, lx->name, t->line, t->col,
				    "closing tag '%.*s' does not match '%.*s' opened at %ld:%ld",
				    (int)(t->n > 64 ? 64 : t->n), t->p, (int)(o->n > 64 ? 64 : o->n), o->p,
				    o->line, o->col);
				break;
			}
			t->closes = o->type;
			depth--;
		}
	}
	if (rc == 0 && depth > 0) {
		struct tok *o = &lx->t[stack[depth - 1]];

		rc = ls_mustache_lex_error(lx, o->line, o->col, "unclosed section '%.*s'", o->p, o->n);
	}
	free(stack);
	return rc;
}

static int
standalone_kind(const struct tok *t)
{
	return t->type != T_TEXT && t->type != 'v';
}

/* A parent tag may share its line with other parent and block tags and still stand alone. */
static int
inherit_kind(const struct tok *t)
{
	return t->type == '<' || t->type == '$' ||
	    (t->type == '/' && (t->closes == '<' || t->closes == '$'));
}

static int
parent_kind(const struct tok *t)
{
	return t->type == '<' || (t->type == '/' && t->closes == '<');
}

static int
blank_text(const struct tok *t, int last)
{
	size_t n = t->n;

	if (last && n && t->p[n - 1] == '\n') {
		n--;
		if (n && t->p[n - 1] == '\r')
			n--;
	}
	for (size_t i = 0; i < n; i++)
		if (!is_blank(t->p[i]))
			return 0;
	return 1;
}

void
ls_mustache_standalone(struct lexer *lx)
{
	size_t a = 0;

	while (a < lx->nt) {
		size_t b = a, i, ntag = 0, first = 0;
		int ok = 1, inherit = 1, parent = 0;

		while (b < lx->nt && !(lx->t[b].type == T_TEXT && lx->t[b].n &&
		    lx->t[b].p[lx->t[b].n - 1] == '\n'))
			b++;
		if (b == lx->nt)
			b--;
		for (i = a; i <= b && ok; i++) {
			struct tok *t = &lx->t[i];

			if (t->type == T_TEXT)
				ok = blank_text(t, i == b);
			else {
				if (ntag++ == 0)
					first = i;
				ok = standalone_kind(t);
				inherit &= inherit_kind(t);
				parent |= parent_kind(t);
			}
		}
		if (ok && (ntag == 1 || (ntag > 1 && inherit && parent))) {
			struct tok *ft = &lx->t[first];
			const char *np;

			if (first > a) {
				ft->indent = lx->t[a].p;
				ft->indent_len = lx->t[a].n;
			} else {
				ft->indent = "";
			}
			for (i = a; i <= b; i++) {
				if (lx->t[i].type == T_TEXT)
					lx->t[i].removed = 1;
				else
					lx->t[i].standalone = 1;
			}
			/* the blanks starting the next line: a block's own indentation */
			np = lx->t[b].type == T_TEXT ? lx->t[b].p + lx->t[b].n : lx->end;
			if (b + 1 < lx->nt && lx->t[b + 1].type != T_TEXT)
				np = lx->end;
			for (i = first; i <= b; i++)
				if (lx->t[i].type == '$') {
					size_t k = 0;

					while (np + k < lx->end && is_blank(np[k]))
						k++;
					lx->t[i].next_ws = np;
					lx->t[i].next_ws_len = k;
				}
		} else {
			/* a block not standing alone: the blanks before it, for reindenting overrides */
			for (i = a; i <= b; i++)
				if (lx->t[i].type != T_TEXT) {
					if (lx->t[i].type == '$' && i == a + 1 &&
					    blank_text(&lx->t[a], 0)) {
						lx->t[i].indent = lx->t[a].p;
						lx->t[i].indent_len = lx->t[a].n;
					}
					break;
				}
		}
		a = b + 1;
	}
}
