/*
 * fuzz_expr.c - libFuzzer target for the expression language: compile any
 * input, and when it compiles, evaluate it on a few rows.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "expr.h"

static const char *const names[] = { "a", "b", "phone", "email" };

static long
resolve(void *ctx, const char *name, size_t len)
{
	size_t i;

	(void)ctx;
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strlen(names[i]) == len && memcmp(names[i], name, len) == 0)
			return (long)i;
	return -1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct ls_str rows[][4] = {
		{ { "1", 1 }, { "2", 1 }, { "+79161234567", 12 }, { "bob@example.com", 15 } },
		{ { "", 0 }, { "abc", 3 }, { NULL, 0 }, { "x", 1 } },
		{ { "-5.5e3", 6 }, { "retail", 6 }, { "", 0 }, { "a\0b", 3 } },
	};
	struct ls_error err;
	struct ls_expr *e;
	char *src;
	size_t i;

	if ((src = malloc(size + 1)) == NULL)
		return 0;
	memcpy(src, data, size);
	src[size] = '\0';
	e = ls_expr_parse(src, resolve, NULL, &err);
	if (e != NULL) {
		for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
			ls_expr_eval(e, rows[i], 4);
			ls_expr_eval(e, rows[i], i);	/* missing slots */
		}
		ls_expr_free(e);
	} else if (err.msg[0] == '\0' || err.col < 1 || (size_t)err.col > size + 1) {
		abort();	/* every error has a message and a column inside the input */
	}
	free(src);
	return 0;
}
