/*
 * json.h - the small JSON (RFC 8259) the tools need to speak to a
 * browser's DevTools protocol (cdp.h): a strict parser into a read-only
 * tree, and the string escaping a writer needs.  No dependency: the
 * messages are small and few, and a parser this size can be read whole
 * and fuzzed (tests/fuzz/fuzz_json.c).
 *
 * The parser takes the whole text: exactly one value, blanks around it;
 * strings must be valid UTF-8 without raw control characters, \u escapes
 * are decoded to UTF-8 (a surrogate pair to one code point, a lone
 * surrogate and \u0000 refused: the strings are handed on as C strings),
 * numbers must have JSON's shape (their text is kept: ls_json_int() reads
 * the integers the protocol uses), nesting is limited to LS_JSON_MAXDEPTH.
 * A bad text is LS_EDATA with err's col the 1-based byte offset of the
 * fault and line 1.  Pure functions over their arguments: any thread.
 */
#ifndef LS_JSON_H
#define LS_JSON_H

#include <stddef.h>

#include "buf.h"
#include "error.h"

#define LS_JSON_MAXDEPTH	64

enum ls_json_type {
	LS_JSON_NULL, LS_JSON_FALSE, LS_JSON_TRUE, LS_JSON_NUMBER, LS_JSON_STRING, LS_JSON_ARRAY,
	LS_JSON_OBJECT
};

/*
 * A value of the tree.  s[0..n) is a string's decoded bytes (NUL-terminated,
 * no NUL inside) or a number's text; an array's or object's members are
 * kid, then each one's next; a member of an object has its decoded key in
 * key[0..keyn).  Everything is owned by the struct ls_json_doc.
 */
struct ls_json {
	enum ls_json_type type;
	const char *s, *key;
	size_t n, keyn;
	const struct ls_json *kid, *next;
};

struct ls_json_doc;

/*
 * Parse p[0..n) whole.  NULL with err filled (LS_EDATA, LS_ENOMEM) on
 * failure; free with ls_json_free() (NULL: no-op).
 */
struct ls_json_doc *ls_json_parse(const char *p, size_t n, struct ls_error *err);
/* The top value; valid until ls_json_free(). */
const struct ls_json *ls_json_root(const struct ls_json_doc *d);
void ls_json_free(struct ls_json_doc *d);

/* The member key of object v (the first one: duplicates are not merged), or NULL (v not an object, or NULL). */
const struct ls_json *ls_json_get(const struct ls_json *v, const char *key);
/* v's string as a C string, or NULL when v is NULL or not a string. */
const char *ls_json_str(const struct ls_json *v);
/* v as a whole number in [-2^53, 2^53]: 0, or -1 (NULL, not a number, a fraction, out of range). */
int ls_json_int(const struct ls_json *v, long long *out);

/*
 * Append s[0..n) to b as a JSON string with its quotes: '"', '\\' and
 * control characters escaped (\n, \t, ... or \u00XX), other bytes as they
 * are.  s must be valid UTF-8 for the result to be JSON (the caller's
 * to check).  0 or LS_ENOMEM.
 */
int ls_json_put_str(struct ls_buf *b, const char *s, size_t n);

#endif
