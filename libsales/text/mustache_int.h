/*
 * mustache_int.h - what the files of the Mustache engine share, and nothing
 * outside them sees.  A template goes through four files in order:
 *
 *   mustache_lex.c     the lexer: source to tokens (text cut after every
 *                      newline, tags typed by their sigil), delimiter changes
 *   mustache_line.c    closing tags matched with their openers, then the
 *                      standalone-line rules (a line of blanks and one
 *                      block-ish tag disappears, keeping its indentation)
 *   mustache.c         the node tree, the public parse/load/free, partials
 *                      (loaded, indented and parsed on first use, cached in
 *                      the top template's struct env)
 *   mustache_render.c  rendering: the context stack, filters, parents and
 *                      blocks
 *
 * Tokens point into the template's source; nodes point into it too, so a
 * struct ls_mustache owns its src and every node lives as long as it.
 */
#ifndef LS_MUSTACHE_INT_H
#define LS_MUSTACHE_INT_H

#include <stddef.h>

#include "mustache.h"

#define MAX_DELIM	16	/* bytes of a delimiter set by {{=<% %>=}} */
#define MAX_FILTERS	8	/* filters on one variable tag */
#define MAX_DEPTH	200	/* nested partials and parents while rendering: stops {{>self}} loops */
#define MAX_NEST	500	/* sections in sections: building and rendering recurse once per level */

enum ntype { N_TEXT, N_VAR, N_SECTION, N_INVERTED, N_PARTIAL, N_BLOCK, N_PARENT };

enum filter { F_MONEY, F_WORDS_RU, F_WORDS_EN, F_DATE_RU, F_DATE_EN, F_UPPER, F_LOWER,
	F_CAPITALIZE, F_NUMBER };

/* Filter names, indexed by enum filter, NULL-terminated (mustache.c). */
extern const char *const ls_mustache_filter_names[];

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

static inline int
is_blank(char c)
{
	return c == ' ' || c == '\t';
}

static inline int
is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Drop the spaces (newlines included) around *p[0..*n). */
static inline void
trim(const char **p, size_t *n)
{
	while (*n && is_space(**p))
		(*p)++, (*n)--;
	while (*n && is_space((*p)[*n - 1]))
		(*n)--;
}

/* LS_ECONFIG at name:line:col; msg has one "%.*s", filled with a[0..an). */
static inline int
ls_mustache_lex_error(struct lexer *lx, long line, long col, const char *msg, const char *a,
    size_t an)
{
	return ls_error_set(lx->err, LS_ECONFIG, lx->name, line, col, msg, (int)an, a);
}

/* Cut lx->src into lx->t (mustache_lex.c).  0, LS_ECONFIG with lx->err filled, or LS_ENOMEM. */
int ls_mustache_lex(struct lexer *lx);

/* Match each closing tag with its opener (mustache_line.c).  0, LS_ECONFIG or LS_ENOMEM. */
int ls_mustache_match(struct lexer *lx);

/* Apply the standalone-line rules to the matched tokens (mustache_line.c). */
void ls_mustache_standalone(struct lexer *lx);

/*
 * The partial name[0..n), indented by indent, parsed on first use and
 * cached in env (mustache.c): *out is NULL when there is no such partial,
 * else owned by env.  0, or LS_ECONFIG / LS_ENOMEM with err filled.
 */
int ls_mustache_partial(struct env *env, const char *name, size_t n, const char *indent,
    size_t ilen, struct ls_mustache **out, struct ls_error *err);

#endif
