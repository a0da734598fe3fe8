/*
 * mustache.c - the Mustache engine's front (mustache.h): parse, load and
 * free a template, the node tree, and partials.
 *
 * Parsing is three passes over the source: the lexer cuts it into tokens
 * (mustache_lex.c), a pass matches closing tags with their openers and
 * applies the standalone-line rules (mustache_line.c), and the last,
 * here, builds the node tree.  Rendering is mustache_render.c's.
 * mustache_int.h says what the four files share.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mustache_int.h"
#include "util.h"

const char *const ls_mustache_filter_names[] = { "money", "words_ru", "words_en", "date_ru",
	"date_en", "upper", "lower", "capitalize", "number", NULL };

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
		for (f = 0; ls_mustache_filter_names[f]; f++)
			if (strlen(ls_mustache_filter_names[f]) == wn && memcmp(ls_mustache_filter_names[f], w, wn) == 0)
				break;
		if (ls_mustache_filter_names[f] == NULL)
			return ls_mustache_lex_error(lx, t->line, t->col, wn ? "unknown filter '%.*s' (expected money, "
			    "words_ru, words_en, date_ru, date_en, upper, lower, capitalize or number)" :
			    "empty filter%.*s", w, wn);
		if (nd->nfilter == MAX_FILTERS)
			return ls_mustache_lex_error(lx, t->line, t->col, "too many filters%.*s", "", 0);
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
	if ((rc = ls_mustache_lex(&lx)) == 0 && (rc = ls_mustache_match(&lx)) == 0) {
		ls_mustache_standalone(&lx);
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
int
ls_mustache_partial(struct env *env, const char *name, size_t n, const char *indent, size_t ilen,
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
