/*
 * fuzz_mustache.c - libFuzzer target for the Mustache engine: parse any
 * input as a template (partials come from the input too: the text after a
 * NUL byte is the partial of every name), and when it parses, render it
 * against a small context with a list, a map, strings and booleans.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mustache.h"

struct kv {
	const char *k;
	struct ls_mval v;
};

static int
map_get(const void *obj, const char *name, size_t n, struct ls_mval *out)
{
	for (const struct kv *p = obj; p->k; p++)
		if (strlen(p->k) == n && memcmp(p->k, name, n) == 0) {
			*out = p->v;
			return 1;
		}
	return 0;
}

static size_t
list_len(const void *obj)
{
	(void)obj;
	return 3;
}

static struct kv items[4];
static const struct ls_mval_ops map_ops = { map_get, NULL, NULL };

static void
list_at(const void *obj, size_t i, struct ls_mval *out)
{
	(void)obj;
	*out = i == 2 ? ls_mval_str("x", 1) : ls_mval_obj(LS_MV_MAP, &map_ops, items);
}

static const struct ls_mval_ops list_ops = { NULL, list_len, list_at };

static const char *partial_text;
static size_t partial_len;

static char *
load(void *ctx, const char *name, size_t *len)
{
	char *p;

	(void)ctx;
	if (partial_text == NULL || strcmp(name, "none") == 0)
		return NULL;
	if ((p = malloc(partial_len + 1)) == NULL)
		return NULL;
	memcpy(p, partial_text, partial_len);
	*len = partial_len;
	return p;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct kv root[8];
	struct ls_mustache_opts o = { 0 };
	struct ls_error err;
	struct ls_buf out = { 0 };
	struct ls_mustache *t;
	struct ls_mval ctx;
	const char *nul = memchr(data, 0, size);
	size_t tlen = nul ? (size_t)(nul - (const char *)data) : size;

	items[0] = (struct kv){ "price", ls_mval_str("1234.5", 6) };
	items[1] = (struct kv){ "name", ls_mval_str("<a&b>", 5) };
	items[2] = (struct kv){ "date", ls_mval_str("2026-11-26", 10) };
	items[3] = (struct kv){ NULL, { 0 } };
	root[0] = (struct kv){ "items", ls_mval_obj(LS_MV_LIST, &list_ops, NULL) };
	root[1] = (struct kv){ "total", ls_mval_str("-99999999.99", 12) };
	root[2] = (struct kv){ "yes", { LS_MV_TRUE, NULL, 0, NULL, NULL } };
	root[3] = (struct kv){ "no", { LS_MV_FALSE, NULL, 0, NULL, NULL } };
	root[4] = (struct kv){ "map", ls_mval_obj(LS_MV_MAP, &map_ops, items) };
	root[5] = (struct kv){ "p", ls_mval_str("part", 4) };
	root[6] = (struct kv){ "s", ls_mval_str("Ёлка ÄÖ", 12) };
	root[7] = (struct kv){ NULL, { 0 } };
	partial_text = nul ? nul + 1 : NULL;
	partial_len = nul ? size - tlen - 1 : 0;
	o.escape = (enum ls_escape)(size % 3);
	o.strict = size % 5 == 0;
	o.load = load;
	if ((t = ls_mustache_parse("fuzz", (const char *)data, tlen, &o, &err)) == NULL)
		return 0;
	ctx = ls_mval_obj(LS_MV_MAP, &map_ops, root);
	ls_mustache_render(t, &ctx, 1, &out, &err);
	ls_mustache_render(t, &ctx, 1, &out, &err);
	ls_buf_free(&out);
	ls_mustache_free(t);
	return 0;
}
