/*
 * fuzz_json.c - libFuzzer target for json.h, the parser of what a browser
 * sends over the DevTools pipe: any input parses or is refused with an
 * offset inside it; a tree parsed holds strings without NUL whose length
 * is their n, and each string written back with ls_json_put_str() parses
 * to the same bytes.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
walk(const struct ls_json *v, int depth)
{
	if (depth > LS_JSON_MAXDEPTH + 1)
		abort();
	for (; v; v = v->next) {
		if (v->key && strlen(v->key) != v->keyn)
			abort();
		if (v->type == LS_JSON_STRING) {
			struct ls_buf b = { 0 };
			struct ls_json_doc *d;

			if (strlen(v->s) != v->n || ls_json_str(v) != v->s)
				abort();
			if (ls_json_put_str(&b, v->s, v->n) != 0)
				abort();
			if ((d = ls_json_parse(b.p, b.n, NULL)) == NULL || ls_json_root(d)->n != v->n ||
			    memcmp(ls_json_root(d)->s, v->s, v->n) != 0)
				abort();
			ls_json_free(d);
			ls_buf_free(&b);
		} else if (v->type == LS_JSON_NUMBER) {
			long long x;

			if (v->n == 0 || strlen(v->s) != v->n)
				abort();
			(void)ls_json_int(v, &x);
		}
		walk(v->kid, depth + 1);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ls_error err = { 0 };
	struct ls_json_doc *d = ls_json_parse((const char *)data, size, &err);

	if (d == NULL) {
		if (err.status == LS_EDATA && (err.col < 1 || (size_t)err.col > size + 1))
			abort();
		return 0;
	}
	walk(ls_json_root(d), 0);
	(void)ls_json_get(ls_json_root(d), "id");
	ls_json_free(d);
	return 0;
}
