/*
 * json.c - json.h's strict parser and string writer.  The tree lives in
 * two allocations: the nodes (an array, linked by index while it grows,
 * by pointer once whole) and the decoded strings (one buffer sized from
 * the text, so that nothing moves while the nodes point into it).
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "utf8.h"

struct slot {
	struct ls_json v;
	size_t kid, next;	/* 1-based indices while parsing; 0: none */
};

struct ls_json_doc {
	struct slot *s;
	size_t ns, caps;
	char *sb;		/* decoded strings and numbers' text, each NUL-terminated */
	size_t sbn;
};

struct parser {
	const char *p;
	size_t n, i;
	struct ls_json_doc *d;
	struct ls_error *err;
};

static int
fail(struct parser *P, size_t at, const char *msg)
{
	return ls_error_set(P->err, LS_EDATA, NULL, 1, (long)at + 1, "%s", msg);
}

static void
blanks(struct parser *P)
{
	while (P->i < P->n && (P->p[P->i] == ' ' || P->p[P->i] == '\t' || P->p[P->i] == '\n' ||
	    P->p[P->i] == '\r'))
		P->i++;
}

/* A new node of type t: its 1-based index, or 0 when out of memory (err filled). */
static size_t
node(struct parser *P, enum ls_json_type t)
{
	struct ls_json_doc *d = P->d;

	if (d->ns == d->caps) {
		size_t cap = d->caps ? d->caps * 2 : 16;
		struct slot *s = realloc(d->s, cap * sizeof *s);

		if (s == NULL) {
			ls_error_set(P->err, LS_ENOMEM, NULL, 0, 0, "out of memory");
			return 0;
		}
		d->s = s;
		d->caps = cap;
	}
	memset(&d->s[d->ns], 0, sizeof d->s[d->ns]);
	d->s[d->ns].v.type = t;
	return ++d->ns;
}

static int
hex4(const char *p, unsigned *out)
{
	unsigned v = 0;

	for (int k = 0; k < 4; k++) {
		char c = p[k];

		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= (unsigned)(c - '0');
		else if (c >= 'a' && c <= 'f')
			v |= (unsigned)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			v |= (unsigned)(c - 'A' + 10);
		else
			return -1;
	}
	*out = v;
	return 0;
}

static size_t
put_utf8(char *o, unsigned cp)
{
	if (cp < 0x80) {
		o[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		o[0] = (char)(0xc0 | (cp >> 6));
		o[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		o[0] = (char)(0xe0 | (cp >> 12));
		o[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		o[2] = (char)(0x80 | (cp & 0x3f));
		return 3;
	}
	o[0] = (char)(0xf0 | (cp >> 18));
	o[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
	o[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
	o[3] = (char)(0x80 | (cp & 0x3f));
	return 4;
}

/* The string at P->i (its opening quote) decoded into the string buffer: its start and length. */
static int
string(struct parser *P, const char **out, size_t *len)
{
	struct ls_json_doc *d = P->d;
	char *o = d->sb + d->sbn, *start = o;
	size_t open = P->i++;

	for (;;) {
		unsigned char c;

		if (P->i >= P->n)
			return fail(P, open, "a string without its closing quote");
		c = (unsigned char)P->p[P->i];
		if (c == '"')
			break;
		if (c < 0x20)
			return fail(P, P->i, "a control character inside a string (escape it)");
		if (c == '\\') {
			unsigned cp, lo;

			if (P->i + 1 >= P->n)
				return fail(P, P->i, "a string without its closing quote");
			switch (P->p[P->i + 1]) {
			case '"': *o++ = '"'; break;
			case '\\': *o++ = '\\'; break;
			case '/': *o++ = '/'; break;
			case 'b': *o++ = '\b'; break;
			case 'f': *o++ = '\f'; break;
			case 'n': *o++ = '\n'; break;
			case 'r': *o++ = '\r'; break;
			case 't': *o++ = '\t'; break;
			case 'u':
				if (P->n - P->i < 6 || hex4(P->p + P->i + 2, &cp) != 0)
					return fail(P, P->i, "\\u wants four hex digits");
				if (cp == 0)
					return fail(P, P->i, "\\u0000: a NUL inside a string");
				if (cp >= 0xdc00 && cp <= 0xdfff)
					return fail(P, P->i, "a low surrogate without its high one");
				if (cp >= 0xd800 && cp <= 0xdbff) {
					if (P->n - P->i < 12 || P->p[P->i + 6] != '\\' || P->p[P->i + 7] != 'u' ||
					    hex4(P->p + P->i + 8, &lo) != 0 || lo < 0xdc00 || lo > 0xdfff)
						return fail(P, P->i, "a high surrogate without its low one");
					cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
					P->i += 6;
				}
				o += put_utf8(o, cp);
				P->i += 4;
				break;
			default:
				return fail(P, P->i, "an unknown escape");
			}
			P->i += 2;
			continue;
		}
		if (c < 0x80) {
			*o++ = (char)c;
			P->i++;
			continue;
		}
		{
			/* one UTF-8 sequence, checked whole (overlongs and surrogates refused) */
			size_t k = c >= 0xc2 && c <= 0xdf ? 2 : c >= 0xe0 && c <= 0xef ? 3 :
			    c >= 0xf0 && c <= 0xf4 ? 4 : 0, bad;

			if (k == 0 || P->n - P->i < k ||
			    ls_utf8_valid((const unsigned char *)P->p + P->i, k, &bad) != 1)
				return fail(P, P->i, "invalid UTF-8 inside a string");
			memcpy(o, P->p + P->i, k);
			o += k;
			P->i += k;
		}
	}
	P->i++;
	*o = '\0';
	*out = start;
	*len = (size_t)(o - start);
	d->sbn += *len + 1;
	return 0;
}

static int
digits(struct parser *P)
{
	size_t from = P->i;

	while (P->i < P->n && P->p[P->i] >= '0' && P->p[P->i] <= '9')
		P->i++;
	return P->i > from ? 0 : fail(P, P->i, "a number wants a digit here");
}

static int
number(struct parser *P, size_t k)
{
	struct ls_json_doc *d = P->d;
	size_t from = P->i;
	int rc;

	if (P->p[P->i] == '-')
		P->i++;
	if (P->i < P->n && P->p[P->i] == '0')
		P->i++;
	else if ((rc = digits(P)) != 0)
		return rc;
	if (P->i < P->n && P->p[P->i] == '.') {
		P->i++;
		if ((rc = digits(P)) != 0)
			return rc;
	}
	if (P->i < P->n && (P->p[P->i] == 'e' || P->p[P->i] == 'E')) {
		P->i++;
		if (P->i < P->n && (P->p[P->i] == '+' || P->p[P->i] == '-'))
			P->i++;
		if ((rc = digits(P)) != 0)
			return rc;
	}
	d->s[k - 1].v.s = d->sb + d->sbn;
	d->s[k - 1].v.n = P->i - from;
	memcpy(d->sb + d->sbn, P->p + from, P->i - from);
	d->sb[d->sbn + P->i - from] = '\0';
	d->sbn += P->i - from + 1;
	return 0;
}

static int
literal(struct parser *P, const char *word, size_t len)
{
	if (P->n - P->i < len || memcmp(P->p + P->i, word, len) != 0)
		return fail(P, P->i, "expected a value");
	P->i += len;
	return 0;
}

/* The value at P->i into *out (a 1-based node index). */
static int
value(struct parser *P, int depth, size_t *out)
{
	size_t k, last = 0;
	char c, close;
	int rc;

	blanks(P);
	if (P->i >= P->n)
		return fail(P, P->i, "expected a value, found the end");
	if (depth > LS_JSON_MAXDEPTH)
		return fail(P, P->i, "nested too deep");
	c = P->p[P->i];
	switch (c) {
	case '"':
		if ((k = node(P, LS_JSON_STRING)) == 0)
			return LS_ENOMEM;
		if ((rc = string(P, &P->d->s[k - 1].v.s, &P->d->s[k - 1].v.n)) != 0)
			return rc;
		*out = k;
		return 0;
	case 't': case 'f': case 'n':
		if ((k = node(P, c == 't' ? LS_JSON_TRUE : c == 'f' ? LS_JSON_FALSE : LS_JSON_NULL)) == 0)
			return LS_ENOMEM;
		*out = k;
		return literal(P, c == 't' ? "true" : c == 'f' ? "false" : "null", c == 'f' ? 5 : 4);
	case '[': case '{':
		break;
	default:
		if (c != '-' && (c < '0' || c > '9'))
			return fail(P, P->i, "expected a value");
		if ((k = node(P, LS_JSON_NUMBER)) == 0)
			return LS_ENOMEM;
		*out = k;
		return number(P, k);
	}
	if ((k = node(P, c == '[' ? LS_JSON_ARRAY : LS_JSON_OBJECT)) == 0)
		return LS_ENOMEM;
	*out = k;
	close = c == '[' ? ']' : '}';
	P->i++;
	blanks(P);
	if (P->i < P->n && P->p[P->i] == close) {
		P->i++;
		return 0;
	}
	for (;;) {
		const char *key = NULL;
		size_t keyn = 0, kid;

		if (close == '}') {
			blanks(P);
			if (P->i >= P->n || P->p[P->i] != '"')
				return fail(P, P->i, "expected a member's name in quotes");
			if ((rc = string(P, &key, &keyn)) != 0)
				return rc;
			blanks(P);
			if (P->i >= P->n || P->p[P->i] != ':')
				return fail(P, P->i, "expected ':' after a member's name");
			P->i++;
		}
		if ((rc = value(P, depth + 1, &kid)) != 0)
			return rc;
		/* the array may have moved: indices, not pointers, until the end */
		P->d->s[kid - 1].v.key = key;
		P->d->s[kid - 1].v.keyn = keyn;
		if (last)
			P->d->s[last - 1].next = kid;
		else
			P->d->s[k - 1].kid = kid;
		last = kid;
		blanks(P);
		if (P->i < P->n && P->p[P->i] == ',') {
			P->i++;
			continue;
		}
		if (P->i < P->n && P->p[P->i] == close) {
			P->i++;
			return 0;
		}
		return fail(P, P->i, close == ']' ? "expected ',' or ']'" : "expected ',' or '}'");
	}
}

struct ls_json_doc *
ls_json_parse(const char *p, size_t n, struct ls_error *err)
{
	struct ls_json_doc *d = calloc(1, sizeof *d);
	struct parser P = { .p = p, .n = n, .d = d, .err = err };
	size_t root;

	/* a string decodes to at most its text less the quotes; a number's text gains a NUL */
	if (d == NULL || n > SIZE_MAX / 2 - 1 || (d->sb = malloc(2 * n + 1)) == NULL) {
		ls_json_free(d);
		ls_error_set(err, LS_ENOMEM, NULL, 0, 0, "out of memory");
		return NULL;
	}
	if (value(&P, 0, &root) != 0) {
		ls_json_free(d);
		return NULL;
	}
	blanks(&P);
	if (P.i != n) {
		fail(&P, P.i, "text after the value");
		ls_json_free(d);
		return NULL;
	}
	/* the root is node 1 (made first); the links become pointers now that nothing moves */
	for (size_t i = 0; i < d->ns; i++) {
		d->s[i].v.kid = d->s[i].kid ? &d->s[d->s[i].kid - 1].v : NULL;
		d->s[i].v.next = d->s[i].next ? &d->s[d->s[i].next - 1].v : NULL;
	}
	return d;
}

const struct ls_json *
ls_json_root(const struct ls_json_doc *d)
{
	return &d->s[0].v;
}

void
ls_json_free(struct ls_json_doc *d)
{
	if (d == NULL)
		return;
	free(d->s);
	free(d->sb);
	free(d);
}

const struct ls_json *
ls_json_get(const struct ls_json *v, const char *key)
{
	size_t n = strlen(key);

	if (v == NULL || v->type != LS_JSON_OBJECT)
		return NULL;
	for (const struct ls_json *k = v->kid; k; k = k->next)
		if (k->keyn == n && memcmp(k->key, key, n) == 0)
			return k;
	return NULL;
}

const char *
ls_json_str(const struct ls_json *v)
{
	return v && v->type == LS_JSON_STRING ? v->s : NULL;
}

int
ls_json_int(const struct ls_json *v, long long *out)
{
	char *end;
	long long x;

	if (v == NULL || v->type != LS_JSON_NUMBER || strpbrk(v->s, ".eE") != NULL ||
	    v->n > 17)
		return -1;
	errno = 0;
	x = strtoll(v->s, &end, 10);
	if (errno != 0 || *end != '\0' || x > (1LL << 53) || x < -(1LL << 53))
		return -1;
	*out = x;
	return 0;
}

int
ls_json_put_str(struct ls_buf *b, const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	size_t from = 0;
	int rc = ls_buf_put(b, "\"", 1);

	for (size_t i = 0; i < n && rc == 0; i++) {
		unsigned char c = (unsigned char)s[i];
		char esc[7] = "\\u00";
		size_t en = 2;

		if (c >= 0x20 && c != '"' && c != '\\')
			continue;
		rc |= ls_buf_put(b, s + from, i - from);
		from = i + 1;
		switch (c) {
		case '"': esc[1] = '"'; break;
		case '\\': esc[1] = '\\'; break;
		case '\n': esc[1] = 'n'; break;
		case '\r': esc[1] = 'r'; break;
		case '\t': esc[1] = 't'; break;
		case '\b': esc[1] = 'b'; break;
		case '\f': esc[1] = 'f'; break;
		default:
			esc[4] = hex[c >> 4];
			esc[5] = hex[c & 15];
			en = 6;
		}
		rc |= ls_buf_put(b, esc, en);
	}
	if (rc == 0)
		rc = ls_buf_put(b, s + from, n - from);
	if (rc == 0)
		rc = ls_buf_put(b, "\"", 1);
	return rc ? LS_ENOMEM : 0;
}
