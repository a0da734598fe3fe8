/*
 * expr.c - the condition language of expr.h, first half: a tokenizer and a
 * recursive-descent parser into a flat array of nodes (expr_int.h), and
 * ls_expr_free().  The evaluator is expr_eval.c.
 */
#include <locale.h>
#include <regex.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "expr_int.h"
#include "util.h"

/* Bounds parser and evaluator recursion, so a hostile config cannot smash the stack. */
#define MAXDEPTH	64
/* Copies of atoms a regex may expand to in regcomp (see regex_too_big). */
#define REMAX		10000UL

enum tok {
	T_EOF, T_WORD, T_STR, T_LP, T_RP, T_LB, T_RB, T_COMMA,
	T_EQ, T_NE, T_LT, T_LE, T_GT, T_GE, T_MATCH,
	T_AND, T_OR, T_NOT, T_IN, T_EMPTY,
	T_BAD,		/* a byte that starts no token */
	T_UNTERM	/* a quote without its closing quote */
};

struct token {
	enum tok type;
	size_t off, len;	/* in the source, quotes included */
};

struct parser {
	const char *src;
	size_t pos;
	struct token tok;	/* the lookahead */
	ls_expr_resolver resolve;
	void *ctx;
	struct ls_expr *e;
	struct ls_error *err;
	int depth;
	int failed;
};

static int
isword(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c >= 0x80 || strchr("_.-@+/:", c) != NULL;
}

static void
lex(struct parser *p)
{
	const char *s = p->src;
	size_t i = p->pos;
	struct token *t = &p->tok;
	static const struct { const char *w; enum tok t; } kws[] = {
		{ "and", T_AND }, { "or", T_OR }, { "not", T_NOT },
		{ "in", T_IN }, { "empty", T_EMPTY }
	};
	size_t k;
	char q;

	while (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r')
		i++;
	t->off = i;
	t->len = 1;
	switch (s[i]) {
	case '\0': t->type = T_EOF; t->len = 0; break;
	case '(': t->type = T_LP; break;
	case ')': t->type = T_RP; break;
	case '[': t->type = T_LB; break;
	case ']': t->type = T_RB; break;
	case ',': t->type = T_COMMA; break;
	case '~': t->type = T_MATCH; break;
	case '=':
		if (s[i + 1] == '=') {
			t->type = T_EQ;
			t->len = 2;
		} else
			t->type = T_BAD;
		break;
	case '!':
		if (s[i + 1] == '=') {
			t->type = T_NE;
			t->len = 2;
		} else
			t->type = T_BAD;
		break;
	case '<':
	case '>':
		if (s[i + 1] == '=') {
			t->type = s[i] == '<' ? T_LE : T_GE;
			t->len = 2;
		} else
			t->type = s[i] == '<' ? T_LT : T_GT;
		break;
	case '"':
	case '\'':
		q = s[i];
		for (k = i + 1; s[k] != '\0' && s[k] != q; k++)
			if (s[k] == '\\' && s[k + 1] != '\0')
				k++;
		if (s[k] == '\0') {
			t->type = T_UNTERM;
			t->len = k - i;
		} else {
			t->type = T_STR;
			t->len = k + 1 - i;
		}
		break;
	default:
		if (!isword((unsigned char)s[i])) {
			t->type = T_BAD;
			break;
		}
		for (k = i; s[k] != '\0' && isword((unsigned char)s[k]); k++)
			;
		t->type = T_WORD;
		t->len = k - i;
		for (k = 0; k < sizeof(kws) / sizeof(kws[0]); k++)
			if (strlen(kws[k].w) == t->len && memcmp(kws[k].w, s + i, t->len) == 0)
				t->type = kws[k].t;
		break;
	}
	p->pos = t->off + t->len;
}

#if defined(__GNUC__)
__attribute__((format(printf, 4, 5)))
#endif
static long
fail(struct parser *p, const struct token *t, enum ls_status st, const char *fmt, ...)
{
	char msg[sizeof(p->err->msg)];
	va_list ap;

	/* The first error is the one to show; later ones are its consequences. */
	if (!p->failed) {
		va_start(ap, fmt);
		vsnprintf(msg, sizeof(msg), fmt, ap);
		va_end(ap);
		ls_error_set(p->err, st, NULL, 0, t ? (long)t->off + 1 : 0, "%s", msg);
		p->failed = 1;
	}
	return -1;
}

static long
nomem(struct parser *p)
{
	return fail(p, NULL, LS_ENOMEM, "out of memory");
}

/* The error for a token the grammar has no place for. */
static long
unexpected(struct parser *p)
{
	const struct token *t = &p->tok;

	if (t->type == T_EOF)
		return fail(p, t, LS_ECONFIG, "unexpected end of expression");
	if (t->type == T_UNTERM)
		return fail(p, t, LS_ECONFIG, "unterminated string");
	return fail(p, t, LS_ECONFIG, "unexpected '%.*s'",
	    (int)(t->len > 40 ? 40 : t->len), p->src + t->off);
}

static long
newnode(struct parser *p, enum op op)
{
	struct ls_expr *e = p->e;
	struct node *n;

	if (ls_grow(&e->nodes, &e->capnodes, e->nnodes + 1, sizeof(*e->nodes)) == -1)
		return nomem(p);
	n = &e->nodes[e->nnodes];
	memset(n, 0, sizeof(*n));
	n->op = op;
	return (long)e->nnodes++;
}

/*
 * Store the literal of token t.  Quoted text loses its quotes, and \" \' \\
 * become " ' \; any other backslash stays, so that "\." reaches regcomp.
 */
static long
newlit(struct parser *p, const struct token *t)
{
	struct ls_expr *e = p->e;
	const char *s = p->src + t->off;
	size_t n = t->len, i, start;
	struct lit *l;
	char *d;

	if (t->type == T_STR) {
		s++;
		n -= 2;
	}
	if (ls_grow(&e->lits, &e->caplits, e->nlits + 1, sizeof(*e->lits)) == -1 ||
	    ls_grow(&e->pool, &e->cappool, e->npool + n + 1, 1) == -1)
		return nomem(p);
	start = e->npool;
	d = e->pool + start;
	for (i = 0; i < n; i++) {
		if (t->type == T_STR && s[i] == '\\' && i + 1 < n &&
		    (s[i + 1] == '"' || s[i + 1] == '\'' || s[i + 1] == '\\'))
			i++;
		*d++ = s[i];
	}
	*d = '\0';
	l = &e->lits[e->nlits];
	l->off = start;
	l->len = (size_t)(d - (e->pool + start));
	e->npool = start + l->len + 1;
	l->isnum = ls_expr_num(e->pool + start, l->len, &l->num);
	return (long)e->nlits++;
}

static long
lookup(struct parser *p, const struct token *t)
{
	long i;

	if (p->resolve == NULL)
		return -1;
	i = p->resolve(p->ctx, p->src + t->off, t->len);
	return i < 0 ? -1 : i;
}

static long parse_or(struct parser *p);

/* '[' item, ... ']' after in / not in; items are always literals. */
static long
parse_list(struct parser *p, long n)
{
	long l;
	size_t first = p->e->nlits, count = 0;

	if (p->tok.type != T_LB)
		return fail(p, &p->tok, LS_ECONFIG, "expected '[' after 'in'");
	lex(p);
	if (p->tok.type == T_RB) {
		lex(p);
		goto done;
	}
	for (;;) {
		if (p->tok.type != T_WORD && p->tok.type != T_STR)
			return unexpected(p);
		if ((l = newlit(p, &p->tok)) == -1)
			return -1;
		count++;
		lex(p);
		if (p->tok.type == T_RB) {
			lex(p);
			break;
		}
		if (p->tok.type == T_EOF)
			return fail(p, &p->tok, LS_ECONFIG, "expected ']'");
		if (p->tok.type == T_UNTERM)
			return unexpected(p);
		if (p->tok.type != T_COMMA)
			return fail(p, &p->tok, LS_ECONFIG, "expected ',' or ']'");
		lex(p);
	}
done:
	p->e->nodes[n].a = first;
	p->e->nodes[n].b = count;
	return n;
}

static unsigned long
sat_add(unsigned long a, unsigned long b)
{
	return a + b > REMAX ? REMAX + 1 : a + b;
}

static unsigned long
sat_mul(unsigned long a, unsigned long b)
{
	return b != 0 && a > (REMAX + 1) / b ? REMAX + 1 : a * b;
}

/*
 * glibc's regcomp copies an atom once per bound of a repeat, and again for
 * a repeat of a repeat: "x+++++++++++++++++++++++++++++" or
 * "((x{100}){100}){100}" take gigabytes.  Weigh the pattern the same way
 * (an atom counts 1, a group the sum of its atoms, a{m,n} multiplies by
 * n+1, a+ by 2) and refuse it past REMAX, before regcomp sees it.
 * Returns 0 when the pattern may go to regcomp, 1 when it is too big,
 * 2 for a repeat of a repeat.
 */
static int
regex_too_big(const char *s)
{
	unsigned long acc[MAXDEPTH + 1], last = 0, m, k;
	size_t i = 0, j;
	int d = 0, prev_rep = 0;

	acc[0] = 0;
	while (s[i] != '\0') {
		/*
		 * A repeat of a repeat ("a++", "a*{2}") is undefined in POSIX
		 * ERE; glibc nests them, and its closure work doubles with each.
		 */
		if ((s[i] == '*' || s[i] == '?' || s[i] == '+' || s[i] == '{') && prev_rep)
			return 2;
		prev_rep = s[i] == '*' || s[i] == '?' || s[i] == '+';
		switch (s[i]) {
		case '*':
		case '?':
			i++;
			continue;
		case '+':
			last = sat_mul(last, 2);
			i++;
			continue;
		case '{':
			for (j = i + 1, m = 0; s[j] >= '0' && s[j] <= '9'; j++)
				m = m > REMAX ? m : m * 10 + (unsigned long)(s[j] - '0');
			if (s[j] == ',')
				for (j++, k = 0; s[j] >= '0' && s[j] <= '9'; j++) {
					k = k > REMAX ? k : k * 10 + (unsigned long)(s[j] - '0');
					m = k > m ? k : m;
				}
			if (j > i + 1 && s[j] == '}') {
				last = sat_mul(last, m + 1);
				i = j + 1;
				prev_rep = 1;
				continue;
			}
			break;
		default:
			break;
		}
		acc[d] = sat_add(acc[d], last);
		last = 1;
		switch (s[i]) {
		case '\\':
			i += s[i + 1] != '\0' ? 2 : 1;
			break;
		case '[':
			/* A bracket expression is one atom; ] first is a member. */
			j = i + 1;
			if (s[j] == '^')
				j++;
			if (s[j] == ']')
				j++;
			while (s[j] != '\0' && s[j] != ']') {
				if (s[j] == '[' && (s[j + 1] == ':' || s[j + 1] == '=' || s[j + 1] == '.')) {
					const char *e = strchr(s + j + 2, s[j + 1]);

					while (e != NULL && e[1] != ']')
						e = strchr(e + 1, s[j + 1]);
					if (e == NULL)
						goto end;	/* regcomp refuses it, maybe after the repeats */
					j = (size_t)(e - s) + 2;
				} else
					j++;
			}
			if (s[j] == '\0')
				goto end;
			i = j + 1;
			break;
		case '(':
			if (d == MAXDEPTH)
				return 1;
			acc[++d] = 0;
			last = 0;
			i++;
			break;
		case ')':
			if (d > 0)
				last = acc[d--] > 0 ? acc[d + 1] : 1;
			i++;
			break;
		case '|':
			last = 0;
			i++;
			break;
		default:
			i++;
			break;
		}
	}
end:
	while (d > 0) {
		acc[d] = sat_add(acc[d], last);
		last = acc[d--];
	}
	return sat_add(acc[0], last) > REMAX;
}

static long
parse_regex(struct parser *p, long n)
{
	struct ls_expr *e = p->e;
	struct token t = p->tok;
	char msg[160];
	regex_t *re;
	long l;
	int rc;

	if (t.type != T_WORD && t.type != T_STR)
		return unexpected(p);
	if ((l = newlit(p, &t)) == -1)
		return -1;
	switch (regex_too_big(e->pool + e->lits[l].off)) {
	case 1:
		return fail(p, &t, LS_ECONFIG, "bad regular expression: repetitions too large");
	case 2:
		return fail(p, &t, LS_ECONFIG,
		    "bad regular expression: a repetition of a repetition (like a++ or a*{2})");
	}
	if (ls_grow(&e->res, &e->capres, e->nres + 1, sizeof(*e->res)) == -1 ||
	    (re = malloc(sizeof(*re))) == NULL)
		return nomem(p);
	if ((rc = regcomp(re, e->pool + e->lits[l].off, REG_EXTENDED | REG_NOSUB)) != 0) {
		regerror(rc, re, msg, sizeof(msg));
		free(re);
		return fail(p, &t, LS_ECONFIG, "bad regular expression: %s", msg);
	}
	e->res[e->nres] = re;
	e->nodes[n].a = e->nres++;
	lex(p);
	return n;
}

/* A comparison, or a parenthesised expression. */
static long
parse_cmp(struct parser *p)
{
	static const struct { enum tok t; enum op op; } cmps[] = {
		{ T_EQ, OP_EQ }, { T_NE, OP_NE }, { T_LT, OP_LT },
		{ T_LE, OP_LE }, { T_GT, OP_GT }, { T_GE, OP_GE }
	};
	struct token name;
	long slot, n, l;
	size_t i;

	if (p->tok.type == T_LP) {
		if (++p->depth > MAXDEPTH)
			return fail(p, &p->tok, LS_ECONFIG, "expression nested too deeply");
		lex(p);
		if ((n = parse_or(p)) == -1)
			return -1;
		if (p->tok.type != T_RP) {
			if (p->tok.type == T_UNTERM)
				return unexpected(p);
			return fail(p, &p->tok, LS_ECONFIG, "expected ')'");
		}
		p->depth--;
		lex(p);
		return n;
	}
	if (p->tok.type != T_WORD)
		return unexpected(p);
	name = p->tok;
	if ((slot = lookup(p, &name)) == -1)
		return fail(p, &name, LS_ECONFIG, "unknown column '%.*s'",
		    (int)(name.len > 60 ? 60 : name.len), p->src + name.off);
	lex(p);
	for (i = 0; i < sizeof(cmps) / sizeof(cmps[0]); i++) {
		if (p->tok.type != cmps[i].t)
			continue;
		if ((n = newnode(p, cmps[i].op)) == -1)
			return -1;
		p->e->nodes[n].slot = slot;
		lex(p);
		if (p->tok.type == T_WORD && (l = lookup(p, &p->tok)) != -1) {
			p->e->nodes[n].rslot = 1;
			p->e->nodes[n].r = l;
		} else if (p->tok.type == T_WORD || p->tok.type == T_STR) {
			if ((l = newlit(p, &p->tok)) == -1)
				return -1;
			p->e->nodes[n].a = (size_t)l;
		} else
			return unexpected(p);
		lex(p);
		return n;
	}
	switch (p->tok.type) {
	case T_MATCH:
		if ((n = newnode(p, OP_MATCH)) == -1)
			return -1;
		p->e->nodes[n].slot = slot;
		lex(p);
		return parse_regex(p, n);
	case T_IN:
		if ((n = newnode(p, OP_IN)) == -1)
			return -1;
		p->e->nodes[n].slot = slot;
		lex(p);
		return parse_list(p, n);
	case T_EMPTY:
		if ((n = newnode(p, OP_EMPTY)) == -1)
			return -1;
		p->e->nodes[n].slot = slot;
		lex(p);
		return n;
	case T_NOT:
		lex(p);
		if (p->tok.type == T_IN) {
			if ((n = newnode(p, OP_NOTIN)) == -1)
				return -1;
			p->e->nodes[n].slot = slot;
			lex(p);
			return parse_list(p, n);
		}
		if (p->tok.type == T_EMPTY) {
			if ((n = newnode(p, OP_NOTEMPTY)) == -1)
				return -1;
			p->e->nodes[n].slot = slot;
			lex(p);
			return n;
		}
		return unexpected(p);
	default:
		return unexpected(p);
	}
}

static long
parse_not(struct parser *p)
{
	long n, k;

	if (p->tok.type != T_NOT)
		return parse_cmp(p);
	if (++p->depth > MAXDEPTH)
		return fail(p, &p->tok, LS_ECONFIG, "expression nested too deeply");
	lex(p);
	if ((k = parse_not(p)) == -1 || (n = newnode(p, OP_NOT)) == -1)
		return -1;
	p->depth--;
	p->e->nodes[n].a = (size_t)k;
	return n;
}

/*
 * term (OP term)*, built leaning right, OP(t1, OP(t2, t3)), so that the
 * evaluator walks a chain of any length in a loop rather than by recursion.
 */
static long
parse_chain(struct parser *p, enum tok t, enum op op, long (*term)(struct parser *))
{
	long first, last = -1, n, k;

	if ((first = term(p)) == -1)
		return -1;
	while (p->tok.type == t) {
		lex(p);
		if ((k = term(p)) == -1 || (n = newnode(p, op)) == -1)
			return -1;
		p->e->nodes[n].b = (size_t)k;
		if (last == -1) {
			p->e->nodes[n].a = (size_t)first;
			first = n;
		} else {
			p->e->nodes[n].a = p->e->nodes[last].b;
			p->e->nodes[last].b = (size_t)n;
		}
		last = n;
	}
	return first;
}

static long
parse_and(struct parser *p)
{
	return parse_chain(p, T_AND, OP_AND, parse_not);
}

static long
parse_or(struct parser *p)
{
	return parse_chain(p, T_OR, OP_OR, parse_and);
}

/* The leaves whose literals hold no number: their values are never parsed as numbers. */
static void
mark_bytes(struct ls_expr *e)
{
	for (size_t i = 0; i < e->nnodes; i++) {
		struct node *nd = &e->nodes[i];
		size_t k = 0;

		if ((nd->op == OP_EQ || nd->op == OP_NE) && !nd->rslot)
			nd->bytes = !e->lits[nd->a].isnum;
		else if (nd->op == OP_IN || nd->op == OP_NOTIN) {
			while (k < nd->b && !e->lits[nd->a + k].isnum)
				k++;
			nd->bytes = k == nd->b;
		}
	}
}

struct ls_expr *
ls_expr_parse(const char *src, ls_expr_resolver resolve, void *ctx, struct ls_error *err)
{
	struct parser p;
	long root;

	memset(&p, 0, sizeof(p));
	p.src = src ? src : "";
	p.resolve = resolve;
	p.ctx = ctx;
	p.err = err;
	if ((p.e = calloc(1, sizeof(*p.e))) == NULL) {
		ls_error_set(err, LS_ENOMEM, NULL, 0, 0, "out of memory");
		return NULL;
	}
	lex(&p);
	root = parse_or(&p);
	if (root != -1 && p.tok.type != T_EOF)
		root = unexpected(&p);
	if (root == -1) {
		ls_expr_free(p.e);
		return NULL;
	}
	p.e->root = (size_t)root;
	mark_bytes(p.e);
	return p.e;
}

struct ls_expr *
ls_expr_parse_at(const char *src, const char *file, long line, long col,
    ls_expr_resolver resolve, void *ctx, struct ls_error *err)
{
	struct ls_expr *e;

	if ((e = ls_expr_parse(src, resolve, ctx, err)) != NULL || err == NULL)
		return e;
	snprintf(err->file, sizeof(err->file), "%s", file ? file : "");
	err->line = line;
	if (err->col > 0 && col > 0)
		err->col = col + err->col - 1;
	return NULL;
}


void
ls_expr_free(struct ls_expr *e)
{
	size_t i;

	if (e == NULL)
		return;
	for (i = 0; i < e->nres; i++) {
		regfree(e->res[i]);
		free(e->res[i]);
	}
	free(e->res);
	free(e->nodes);
	free(e->lits);
	free(e->pool);
	free(e);
}
