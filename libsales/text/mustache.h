/*
 * mustache.h - Mustache templates: parsed once, rendered many times.
 *
 * The engine follows the Mustache specification (interpolation, sections,
 * inverted sections, comments, partials, set-delimiter tags, the
 * standalone-line rules) and its optional modules ~inheritance (parent and
 * block tags) and ~dynamic-names ({{>*name}}); lambdas are not supported.
 * It adds filters to variable tags: {{amount | money}}, {{total |
 * words_ru}}, {{date | date_ru | upper}}, applied left to right (fmt.h):
 *
 *	money		"1 234 567,89" (ru, U+00A0 groups) or "1,234,567.89" (en)
 *	words_ru	"одна тысяча двести рублей 05 копеек"
 *	words_en	"one thousand two hundred and 05/100"
 *	date_ru		"26 ноября 2026 г."
 *	date_en		"November 26, 2026"
 *	upper, lower	UTF-8 aware (Cyrillic included)
 *	capitalize	first letter upper case
 *	number		a quantity: "1 234,5" (ru) or "1,234.5" (en)
 *
 * An unknown filter is a parse error.
 *
 * Data is seen through an abstract value, struct ls_mval: a string, a
 * boolean, null, a list or a map, where lists and maps are any object with
 * a struct ls_mval_ops (a CSV row, a YAML node, computed invoice lines).
 * The engine never copies data; values handed out by ops must stay valid
 * while the object they came from does.
 *
 * Files: mustache.c (parse, load, free, partials) over mustache_lex.c (the
 * lexer), mustache_line.c (tag matching, standalone lines) and
 * mustache_render.c; mustache_int.h is what they share.
 */
#ifndef LS_MUSTACHE_H
#define LS_MUSTACHE_H

#include <stddef.h>

#include "error.h"
#include "escape.h"
#include "fmt.h"

enum ls_mval_kind {
	LS_MV_MISSING = 0,	/* not found: renders empty, an error under strict */
	LS_MV_NULL,
	LS_MV_FALSE,
	LS_MV_TRUE,
	LS_MV_STR,		/* s[0..n); "" is falsy in sections (an empty CSV field) */
	LS_MV_LIST,
	LS_MV_MAP
};

struct ls_mval;

struct ls_mval_ops {
	/* MAP: look name[0..n) up in obj; 1 with *out set when found, else 0. */
	int (*get)(const void *obj, const char *name, size_t n, struct ls_mval *out);
	/* LIST: the number of items and item i. */
	size_t (*len)(const void *obj);
	void (*at)(const void *obj, size_t i, struct ls_mval *out);
};

struct ls_mval {
	enum ls_mval_kind kind;
	const char *s;			/* STR */
	size_t n;
	const struct ls_mval_ops *ops;	/* LIST, MAP */
	const void *obj;
};

/* Shorthands for building values. */
struct ls_mval ls_mval_str(const char *s, size_t n);
struct ls_mval ls_mval_obj(enum ls_mval_kind kind, const struct ls_mval_ops *ops, const void *obj);

/*
 * Where partials (and parents) come from.  Returns a malloc'ed text the
 * engine frees, with *len set, or NULL when there is no such partial
 * (which then renders empty, as the spec says).
 */
typedef char *ls_mustache_loader(void *ctx, const char *name, size_t *len);

struct ls_mustache_opts {
	enum ls_escape escape;
	enum ls_locale locale;		/* of the money filter */
	int strict;			/* a variable that is not found is an error */
	ls_mustache_loader *load;	/* NULL: no partials (they render empty) */
	void *load_ctx;
};

struct ls_mustache;

/*
 * Parse src[0..n) (name is used in messages, "invoice.html:12:5: ...").
 * The options are copied.  Returns NULL with err filled (LS_ECONFIG, with
 * line and column) for a syntax error: an unclosed tag or section, a
 * mismatched closing tag, a bad delimiter change, an unknown filter.
 */
struct ls_mustache *ls_mustache_parse(const char *name, const char *src, size_t n,
    const struct ls_mustache_opts *o, struct ls_error *err);

/*
 * Read and parse the file at path.  When o->load is NULL, partials are
 * read from path's folder: {{>x}} tries x + the template's extensions
 * ("x.html.mustache" for "invoice.html.mustache"), then x.mustache, then
 * x; names that are absolute or hold ".." are not found.
 */
struct ls_mustache *ls_mustache_load(const char *path, const struct ls_mustache_opts *o,
    struct ls_error *err);

/*
 * Render t with the context stack stack[0..depth) (stack[depth-1] is
 * looked at first), appending to out.  Partials are parsed on first use
 * and kept in t, so t is not const.  Returns 0, or LS_EDATA with err
 * naming the template, line and column (a missing variable under strict,
 * a value a filter cannot read), LS_ECONFIG for a partial that does not
 * parse, LS_ENOMEM.  out may hold part of the document after an error.
 */
int ls_mustache_render(struct ls_mustache *t, const struct ls_mval *stack, size_t depth,
    struct ls_buf *out, struct ls_error *err);

/* Free t and its partials; NULL is a no-op. */
void ls_mustache_free(struct ls_mustache *t);

#endif
