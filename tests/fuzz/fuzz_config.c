/*
 * fuzz_config.c - libFuzzer target for YAML config loading: load any input,
 * and when it loads, walk the tree through the typed getters.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
walk(const struct ls_config *c, const struct ls_node *n, int depth)
{
	static const char *const allowed[] = { "a", "rules", NULL };
	struct ls_error err;
	const char *s;
	long long i;
	double d;
	int b;
	size_t k;

	if (depth > 200)
		return;
	switch (n->type) {
	case LS_NODE_SCALAR:
		(void)ls_node_str(c, n, &s, &err);
		(void)ls_node_int(c, n, &i, &err);
		(void)ls_node_num(c, n, &d, &err);
		(void)ls_node_bool(c, n, &b, &err);
		break;
	case LS_NODE_MAP:
		(void)ls_node_check_keys(c, n, allowed, &err);
		(void)ls_node_get(n, "a");
		for (k = 0; k < n->len; k++) {
			if (n->keys[k]->type != LS_NODE_SCALAR)
				abort();	/* the loader promises scalar keys */
			walk(c, n->items[k], depth + 1);
		}
		break;
	case LS_NODE_SEQ:
		for (k = 0; k < n->len; k++)
			walk(c, n->items[k], depth + 1);
		break;
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ls_error err;
	struct ls_config *c;

	c = ls_config_load_mem("fuzz.yaml", (const char *)data, size, &err);
	if (c != NULL) {
		if (ls_config_root(c)->type != LS_NODE_MAP)
			abort();
		walk(c, ls_config_root(c), 0);
	} else if (err.msg[0] == '\0') {
		abort();
	}
	ls_config_free(c);
	return 0;
}
