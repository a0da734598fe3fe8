/*
 * mustache.c - the Mustache engine (mustache.h).
 *
 * Parsing is three passes over the source: the lexer cuts it into tokens
 * (text split after each newline, and tags), a pass matches closing tags
 * with their openers and applies the standalone-line rules (a line of
 * whitespace and one block-ish tag disappears, remembering its
 * indentation), and the last builds the node tree.  Rendering walks the
 * tree with a context stack of struct ls_mval and a chain of the parent
 * tags being expanded (for block overrides, outermost first).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mustache.h"
#include "util.h"

#define MAX_DELIM	16
#define MAX_FILTERS	8
#define MAX_DEPTH	200
#define MAX_NEST	500	/* sections in sections */	/* nested partials and parents: stops {{>self}} loops */

enum ntype { N_TEXT, N_VAR, N_SECTION, N_INVERTED, N_PARTIAL, N_BLOCK, N_PARENT };

enum filter { F_MONEY, F_WORDS_RU, F_WORDS_EN, F_DATE_RU, F_DATE_EN, F_UPPER, F_LOWER,
	F_CAPITALIZE, F_NUMBER };

static const char *const filter_names[] = { "money", "words_ru", "words_en", "date_ru",
	"date_en", "upper", "lower", "capitalize", "number", NULL };

struct seg {
	const char *p;
	size_t n;
};

struct node {
	enum ntype type;
	const char *text;		/* TEXT: the text; tags: the name as written */
	size_t len;
	struct seg *seg;		/* dotted name split; nseg 0 for "." */
	size_t nseg;
	int escape;			/* VAR */
	int dynamic;			/* PARTIAL, PARENT: {{>*name}} */
	unsigned char filter[MAX_FILTERS];
	int nfilter;
	int standalone;			/* BLOCK: its opening tag stood alone on its line */
	const char *indent;		/* PARTIAL, PARENT: standalone indentation; BLOCK: standalone,
					   its content's indentation, else the blanks before it */
	size_t indent_len;
	struct node *kids;
	size_t nkids;
	long line, col;
};

struct pcache {
	char *key;			/* name, NUL, indentation */
	size_t klen;
	struct ls_mustache *t;		/* NULL: no such partial */
};

/* What a template and all its partials share; owned by the top template. */
struct env {
	struct ls_mustache_opts o;
	char *dir;			/* file loader: the template's folder and extensions */
	char *ext;
	struct pcache *cache;
	size_t ncache, capcache;
};

struct ls_mustache {
	char *name;
	char *src;
	size_t n;
	struct node root;
	struct env *env;
	int owns_env;
};

struct ls_mval
ls_mval_str(const char *s, size_t n)
{
	struct ls_mval v = { LS_MV_STR, s, n, NULL, NULL };

	return v;
}

struct ls_mval
ls_mval_obj(enum ls_mval_kind kind, const struct ls_mval_ops *ops, const void *obj)
{
	struct ls_mval v = { kind, NULL, 0, ops, obj };

	return v;
}

const char *
ls_mustache_name(const struct ls_mustache *t)
{
	return t->name;
}

/* ---- lexer ---- */

enum { T_TEXT = 0 };	/* tags are typed by their sigil: '#', '^', '/', ... ; 'v' variable */

struct tok {
	int type;
	const char *p;		/* TEXT: text; tag: name (trimmed) */
	size_t n;
	const char *filt;	/* variable: text after the first '|' */
	size_t nfilt;
	int escape, dynamic;
	long line, col;
	int removed;		/* standalone line: whitespace or newline text dropped */
	int standalone;
	int closes;		/* '/': the sigil of the tag it closes */
	const char *indent;
	size_t indent_len;
	const char *next_ws;	/* blanks starting the line after this one */
	size_t next_ws_len;
};

struct lexer {
	const char *name, *src, *end, *p;
	long line;
	const char *line_start;
	char open[MAX_DELIM + 1], close[MAX_DELIM + 1];
	size_t nopen, nclose;
	struct tok *t;
	size_t nt, capt;
	struct ls_error *err;
};

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

static int
is_blank(char c)
{
	return c == ' ' || c == '\t';
}

static int
is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
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

static int
lex_error(struct lexer *lx, long line, long col, const char *msg, const char *a, size_t an)
{
	return ls_error_set(lx->err, LS_ECONFIG, lx->name, line, col, msg, (int)an, a);
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

static void
trim(const char **p, size_t *n)
{
	while (*n && is_space(**p))
		(*p)++, (*n)--;
	while (*n && is_space((*p)[*n - 1]))
		(*n)--;
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
		return lex_error(lx, line, col, "bad delimiter change '%.*s'", p, n);
	memcpy(lx->open, a, an);
	lx->nopen = an;
	memcpy(lx->close, b, bn);
	lx->nclose = bn;
	return 0;
}

static int
lex(struct lexer *lx)
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
			return lex_error(lx, line, col, "unclosed tag '%.*s'", o,
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
			return lex_error(lx, line, col, "empty tag%.*s", "", 0);
		if (t->type != '!' && t->type != '=')
			for (size_t i = 0; i < t->n; i++)
				if (is_space(t->p[i]))
					return lex_error(lx, line, col, "bad tag name '%.*s'", t->p, t->n);
		advance(lx, stop);
	}
	return 0;
}

/* ---- matching and standalone lines ---- */

static int
match_tags(struct lexer *lx)
{
	size_t *stack = NULL, depth = 0, i;
	int rc = 0;

	for (i = 0; i < lx->nt && rc == 0; i++) {
		struct tok *t = &lx->t[i];

		if (t->type == '#' || t->type == '^' || t->type == '$' || t->type == '<') {
			size_t *ns;

			/* building and rendering recurse once per level */
			if (depth == MAX_NEST) {
				rc = lex_error(lx, t->line, t->col, "sections nested deeper than 500 at '%.*s'",
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
				rc = lex_error(lx, t->line, t->col, "closing tag '%.*s' has no opening tag",
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

		rc = lex_error(lx, o->line, o->col, "unclosed section '%.*s'", o->p, o->n);
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

static void
standalone(struct lexer *lx)
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

/* ---- tree ---- */

static void
free_nodes(struct node *kids, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(kids[i].seg);
		free_nodes(kids[i].kids, kids[i].nkids);
	}
	free(kids);
}

static int
add_node(struct node **kids, size_t *n, size_t *cap, const struct node *nd)
{
	if (*n == *cap) {
		size_t c = *cap ? *cap * 2 : 8;
		struct node *k = realloc(*kids, c * sizeof *k);

		if (k == NULL)
			return LS_ENOMEM;
		*kids = k;
		*cap = c;
	}
	(*kids)[(*n)++] = *nd;
	return 0;
}

static int
split_name(struct node *nd)
{
	size_t k = 1, i, start = 0;

	nd->nseg = 0;
	if (nd->len == 1 && nd->text[0] == '.')
		return 0;
	for (i = 0; i < nd->len; i++)
		if (nd->text[i] == '.')
			k++;
	if ((nd->seg = malloc(k * sizeof *nd->seg)) == NULL)
		return LS_ENOMEM;
	for (i = 0; i <= nd->len; i++)
		if (i == nd->len || nd->text[i] == '.') {
			nd->seg[nd->nseg].p = nd->text + start;
			nd->seg[nd->nseg].n = i - start;
			nd->nseg++;
			start = i + 1;
		}
	return 0;
}

static int
parse_filters(struct lexer *lx, const struct tok *t, struct node *nd)
{
	const char *p = t->filt, *e = t->filt + t->nfilt;

	while (p <= e) {
		const char *bar = memchr(p, '|', (size_t)(e - p));
		const char *w = p;
		size_t wn = (size_t)((bar ? bar : e) - p);
		int f;

		trim(&w, &wn);
		for (f = 0; filter_names[f]; f++)
			if (strlen(filter_names[f]) == wn && memcmp(filter_names[f], w, wn) == 0)
				break;
		if (filter_names[f] == NULL)
			return lex_error(lx, t->line, t->col, wn ? "unknown filter '%.*s' (expected money, "
			    "words_ru, words_en, date_ru, date_en, upper, lower, capitalize or number)" :
			    "empty filter%.*s", w, wn);
		if (nd->nfilter == MAX_FILTERS)
			return lex_error(lx, t->line, t->col, "too many filters%.*s", "", 0);
		nd->filter[nd->nfilter++] = (unsigned char)f;
		if (bar == NULL)
			break;
		p = bar + 1;
	}
	return 0;
}

/* Build the nodes of tokens [*i, ...) up to the closing tag of the caller's section. */
static int
build(struct lexer *lx, size_t *i, struct node **kids, size_t *nkids)
{
	size_t cap = 0;
	int rc;

	*kids = NULL;
	*nkids = 0;
	while (*i < lx->nt) {
		struct tok *t = &lx->t[(*i)++];
		struct node nd;

		memset(&nd, 0, sizeof nd);
		nd.line = t->line;
		nd.col = t->col;
		nd.text = t->p;
		nd.len = t->n;
		switch (t->type) {
		case T_TEXT:
			if (t->removed)
				continue;
			if (*nkids && (*kids)[*nkids - 1].type == N_TEXT &&
			    (*kids)[*nkids - 1].text + (*kids)[*nkids - 1].len == t->p) {
				(*kids)[*nkids - 1].len += t->n;
				continue;
			}
			nd.type = N_TEXT;
			break;
		case '!':
		case '=':
			continue;
		case '/':
			return 0;
		case 'v':
			nd.type = N_VAR;
			nd.escape = t->escape;
			if (t->filt && (rc = parse_filters(lx, t, &nd)) != 0)
				return rc;
			if ((rc = split_name(&nd)) != 0)
				return rc;
			break;
		case '>':
			nd.type = N_PARTIAL;
			nd.dynamic = t->dynamic;
			if (t->standalone) {
				nd.indent = t->indent;
				nd.indent_len = t->indent_len;
			}
			if (nd.dynamic && (rc = split_name(&nd)) != 0)
				return rc;
			break;
		case '#':
		case '^':
		case '$':
		case '<':
			nd.type = t->type == '#' ? N_SECTION : t->type == '^' ? N_INVERTED :
			    t->type == '$' ? N_BLOCK : N_PARENT;
			nd.dynamic = t->dynamic;
			if (t->type == '$') {
				nd.standalone = t->standalone;
				nd.indent = t->standalone ? t->next_ws : t->indent;
				nd.indent_len = t->standalone ? t->next_ws_len : t->indent_len;
			} else if (t->type == '<' && t->standalone) {
				nd.indent = t->indent;
				nd.indent_len = t->indent_len;
			}
			if ((t->type == '#' || t->type == '^' || nd.dynamic) &&
			    (rc = split_name(&nd)) != 0)
				return rc;
			rc = build(lx, i, &nd.kids, &nd.nkids);
			if (rc == 0 && (rc = add_node(kids, nkids, &cap, &nd)) == 0)
				continue;
			free(nd.seg);
			free_nodes(nd.kids, nd.nkids);
			return rc;
		}
		if ((rc = add_node(kids, nkids, &cap, &nd)) != 0) {
			free(nd.seg);
			return rc;
		}
	}
	return 0;
}

static struct ls_mustache *
parse(const char *name, char *src, size_t n, struct env *env, struct ls_error *err)
{
	struct ls_mustache *t = calloc(1, sizeof *t);
	struct lexer lx;
	size_t i = 0;
	int rc;

	if (t == NULL || (t->name = strdup(name)) == NULL) {
		free(t);
		free(src);
		ls_error_set(err, LS_ENOMEM, name, 0, 0, "out of memory");
		return NULL;
	}
	t->src = src;
	t->n = n;
	t->env = env;
	memset(&lx, 0, sizeof lx);
	lx.name = name;
	lx.src = lx.p = lx.line_start = src;
	lx.end = src + n;
	lx.line = 1;
	lx.err = err;
	memcpy(lx.open, "{{", 3);
	memcpy(lx.close, "}}", 3);
	lx.nopen = lx.nclose = 2;
	if ((rc = lex(&lx)) == 0 && (rc = match_tags(&lx)) == 0) {
		standalone(&lx);
		rc = build(&lx, &i, &t->root.kids, &t->root.nkids);
	}
	free(lx.t);
	if (rc != 0) {
		if (rc == LS_ENOMEM)
			ls_error_set(err, LS_ENOMEM, name, 0, 0, "out of memory");
		ls_mustache_free(t);
		return NULL;
	}
	return t;
}

static void
free_env(struct env *env)
{
	if (env == NULL)
		return;
	for (size_t i = 0; i < env->ncache; i++) {
		free(env->cache[i].key);
		ls_mustache_free(env->cache[i].t);
	}
	free(env->cache);
	free(env->dir);
	free(env->ext);
	free(env);
}

void
ls_mustache_free(struct ls_mustache *t)
{
	if (t == NULL)
		return;
	free_nodes(t->root.kids, t->root.nkids);
	if (t->owns_env)
		free_env(t->env);
	free(t->src);
	free(t->name);
	free(t);
}

static struct ls_mustache *
parse_top(const char *name, const char *src, size_t n, const struct ls_mustache_opts *o,
    const char *path, struct ls_error *err)
{
	struct env *env = calloc(1, sizeof *env);
	struct ls_mustache *t;
	char *copy = malloc(n + 1);

	if (env == NULL || copy == NULL) {
		free(env);
		free(copy);
		ls_error_set(err, LS_ENOMEM, name, 0, 0, "out of memory");
		return NULL;
	}
	memcpy(copy, src, n);
	copy[n] = '\0';
	if (o)
		env->o = *o;
	if (path && env->o.load == NULL) {
		const char *slash = strrchr(path, '/');
		const char *base = slash ? slash + 1 : path;
		const char *dot = strchr(base, '.');

		env->dir = slash ? strndup(path, (size_t)(slash - path + 1)) : strdup("");
		env->ext = strdup(dot ? dot : "");
		if (env->dir == NULL || env->ext == NULL) {
			free_env(env);
			free(copy);
			ls_error_set(err, LS_ENOMEM, name, 0, 0, "out of memory");
			return NULL;
		}
	}
	if ((t = parse(name, copy, n, env, err)) == NULL) {
		free_env(env);
		return NULL;
	}
	t->owns_env = 1;
	return t;
}

struct ls_mustache *
ls_mustache_parse(const char *name, const char *src, size_t n,
    const struct ls_mustache_opts *o, struct ls_error *err)
{
	return parse_top(name, src, n, o, NULL, err);
}


struct ls_mustache *
ls_mustache_load(const char *path, const struct ls_mustache_opts *o, struct ls_error *err)
{
	struct ls_mustache *t;
	size_t n;
	char *src = ls_read_file(path, &n, err);

	if (src == NULL) {
		if (err && err->status == LS_EIO)
			err->status = LS_ECONFIG;	/* a template is part of the configuration: exit 2 */
		return NULL;
	}
	t = parse_top(path, src, n, o, path, err);
	free(src);
	return t;
}

/* The file loader: dir + name + ext, dir + name + ".mustache", dir + name. */
static char *
load_file(struct env *env, const char *name, size_t *len)
{
	const char *tries[3];
	char *path, *text = NULL;
	size_t i;

	if (name[0] == '/' || strstr(name, "..") != NULL)
		return NULL;
	tries[0] = env->ext;
	tries[1] = ".mustache";
	tries[2] = "";
	for (i = 0; i < 3 && text == NULL; i++) {
		size_t n = strlen(env->dir) + strlen(name) + strlen(tries[i]) + 1;

		if ((path = malloc(n)) == NULL)
			return NULL;
		snprintf(path, n, "%s%s%s", env->dir, name, tries[i]);
		text = ls_read_file(path, len, NULL);
		free(path);
	}
	return text;
}

/*
 * The partial name[0..n), indented by indent, parsed on first use.  *out is
 * NULL when there is no such partial.
 */
static int
get_partial(struct env *env, const char *name, size_t n, const char *indent, size_t ilen,
    struct ls_mustache **out, struct ls_error *err)
{
	struct pcache *pc;
	char *key, *src, *isrc;
	size_t slen, i, k, lines;

	for (i = 0; i < env->ncache; i++) {
		pc = &env->cache[i];
		if (pc->klen == n + 1 + ilen && memcmp(pc->key, name, n) == 0 &&
		    pc->key[n] == '\0' && memcmp(pc->key + n + 1, indent, ilen) == 0) {
			*out = pc->t;
			return 0;
		}
	}
	if (env->ncache == env->capcache) {
		size_t c = env->capcache ? env->capcache * 2 : 8;
		struct pcache *nc = realloc(env->cache, c * sizeof *nc);

		if (nc == NULL)
			return ls_error_set(err, LS_ENOMEM, NULL, 0, 0, "out of memory");
		env->cache = nc;
		env->capcache = c;
	}
	if ((key = malloc(n + 1 + ilen + 1)) == NULL)
		return ls_error_set(err, LS_ENOMEM, NULL, 0, 0, "out of memory");
	memcpy(key, name, n);
	key[n] = '\0';
	memcpy(key + n + 1, indent, ilen);
	key[n + 1 + ilen] = '\0';
	if (env->o.load)
		src = env->o.load(env->o.load_ctx, key, &slen);
	else if (env->dir)
		src = load_file(env, key, &slen);
	else
		src = NULL;
	*out = NULL;
	if (src != NULL) {
		/* the indentation goes before every line of the partial's text (the spec's rule) */
		for (i = 0, lines = 1; i < slen; i++)
			lines += src[i] == '\n';
		if ((isrc = malloc(slen + lines * ilen + 1)) == NULL) {
			free(src);
			free(key);
			return ls_error_set(err, LS_ENOMEM, NULL, 0, 0, "out of memory");
		}
		for (i = 0, k = 0; i < slen; i++) {
			if (ilen && (i == 0 || src[i - 1] == '\n')) {
				memcpy(isrc + k, indent, ilen);
				k += ilen;
			}
			isrc[k++] = src[i];
		}
		isrc[k] = '\0';
		free(src);
		if ((*out = parse(key, isrc, k, env, err)) == NULL) {
			free(key);
			return err ? err->status : LS_ECONFIG;
		}
	}
	pc = &env->cache[env->ncache++];
	pc->key = key;
	pc->klen = n + 1 + ilen;
	pc->t = *out;
	return 0;
}

/* ---- rendering ---- */

struct render {
	struct env *env;
	struct ls_mval *stack;
	size_t depth, cap;
	const struct node **chain;	/* parents being expanded, outermost first */
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
			    s, n, filter_names[f]);
		rc = f == F_MONEY ? ls_fmt_money(out, v, r->env->o.locale) :
		    f == F_WORDS_RU ? ls_fmt_words_ru(out, v) : ls_fmt_words_en(out, v);
		break;
	case F_DATE_RU:
	case F_DATE_EN:
		if ((rc = ls_fmt_date(out, s, n, f == F_DATE_RU ? LS_LOCALE_RU : LS_LOCALE_EN, &e)) == LS_EDATA)
			return render_error(r, LS_EDATA, file, nd, "'%.*s' is not a date (filter %s)",
			    s, n, filter_names[f]);
		break;
	case F_NUMBER:
		if ((rc = ls_fmt_number(out, s, n, r->env->o.locale, &e)) == LS_EDATA)
			return render_error(r, LS_EDATA, file, nd, "'%.*s' is not a number (filter %s)",
			    s, n, filter_names[f]);
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
	return get_partial(r->env, name, n, nd->indent ? nd->indent : "", nd->indent ? nd->indent_len : 0,
	    out, r->err);
}

static const struct node *
find_override(const struct render *r, const struct node *b)
{
	for (size_t i = 0; i < r->nchain; i++) {
		const struct node *p = r->chain[i];

		for (size_t k = 0; k < p->nkids; k++)
			if (p->kids[k].type == N_BLOCK && p->kids[k].len == b->len &&
			    memcmp(p->kids[k].text, b->text, b->len) == 0)
				return &p->kids[k];
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
	const struct node *o = find_override(r, nd);
	struct ls_buf tmp = { 0 };
	int rc;

	if (o == NULL || o == nd)
		return render_nodes(r, t, nd->kids, nd->nkids, out);
	if ((rc = render_nodes(r, t, o->kids, o->nkids, &tmp)) == 0 && tmp.n &&
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
			if ((rc = tag_template(r, nd, &p)) != 0 || p == NULL)
				break;
			if (r->level >= MAX_DEPTH) {
				rc = render_error(r, LS_EDATA, t->name, nd,
				    "partials nested too deep at '%.*s'%s", nd->text, nd->len, NULL);
				break;
			}
			if (nd->type == N_PARENT) {
				if (r->nchain == r->capchain) {
					size_t c = r->capchain ? r->capchain * 2 : 8;
					const struct node **ch = realloc(r->chain, c * sizeof *ch);

					if (ch == NULL) {
						rc = ls_error_set(r->err, LS_ENOMEM, NULL, 0, 0, "out of memory");
						break;
					}
					r->chain = ch;
					r->capchain = c;
				}
				r->chain[r->nchain++] = nd;
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
	else
		ls_error_set(err, LS_ENOMEM, NULL, 0, 0, "out of memory");
	free(r.stack);
	free(r.chain);
	ls_buf_free(&r.tmp[0]);
	ls_buf_free(&r.tmp[1]);
	return rc;
}
