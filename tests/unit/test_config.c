/* test_config.c - YAML configs: the tree, positions, and every error a user can make. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"

static struct ls_config *
load(const char *text, struct ls_error *err)
{
	memset(err, 0, sizeof(*err));
	return ls_config_load_mem("t.yaml", text, strlen(text), err);
}

/* Loading text must fail with msg at line:col. */
static void
load_fails(const char *text, long line, long col, const char *msg)
{
	struct ls_error err;
	struct ls_config *c;

	c = load(text, &err);
	if (c != NULL) {
		ls_config_free(c);
		fail_msg("'%s' loaded", text);
	}
	if (err.status != LS_ECONFIG || err.line != line || err.col != col ||
	    strncmp(err.msg, msg, strlen(msg)) != 0)
		fail_msg("'%s': got %d %ld:%ld '%s', want %ld:%ld '%s'", text, err.status,
		    err.line, err.col, err.msg, line, col, msg);
	assert_string_equal(err.file, "t.yaml");
}

static const char rules_yaml[] =
    "# rules.yaml - lead-qualify\n"
    "default_country: RU\n"
    "countries: [RU, KZ, BY, UA]\n"
    "columns: {phone: tel}\n"
    "threshold: 30\n"
    "rules:\n"
    "  - {name: big_company, if: \"employees >= 50\", score: 20}\n"
    "  - {name: hot, if: \"call_outcome == interested\", score: 40}\n"
    "  - {name: do_not_call, if: \"call_outcome == do_not_call\", status: rejected}\n";

static void
test_good_file(void **state)
{
	static const char *const top[] = {
		"default_country", "countries", "columns", "threshold", "rules", NULL
	};
	static const char *const rule[] = { "name", "if", "score", "status", NULL };
	const struct ls_node *root, *n, *r;
	struct ls_error err;
	struct ls_config *c;
	const char *s;
	long long v;
	size_t i;

	(void)state;
	c = load(rules_yaml, &err);
	assert_non_null(c);
	assert_string_equal(ls_config_file(c), "t.yaml");
	root = ls_config_root(c);
	assert_int_equal(root->type, LS_NODE_MAP);
	assert_int_equal(root->len, 5);
	assert_int_equal(ls_node_check_keys(c, root, top, &err), 0);
	assert_int_equal(ls_node_str(c, ls_node_get(root, "default_country"), &s, &err), 0);
	assert_string_equal(s, "RU");
	assert_int_equal(ls_node_int(c, ls_node_get(root, "threshold"), &v, &err), 0);
	assert_int_equal(v, 30);
	n = ls_node_get(root, "countries");
	assert_int_equal(ls_node_expect(c, n, LS_NODE_SEQ, &err), 0);
	assert_int_equal(n->len, 4);
	assert_string_equal(n->items[3]->value, "UA");
	n = ls_node_get(ls_node_get(root, "columns"), "phone");
	assert_non_null(n);
	assert_string_equal(n->value, "tel");
	n = ls_node_get(root, "rules");
	assert_int_equal(n->len, 3);
	for (i = 0; i < n->len; i++)
		assert_int_equal(ls_node_check_keys(c, n->items[i], rule, &err), 0);
	r = n->items[1];
	assert_string_equal(ls_node_get(r, "if")->value, "call_outcome == interested");
	assert_int_equal(ls_node_get(r, "if")->quoted, 1);
	assert_int_equal(ls_node_get(r, "name")->quoted, 0);
	assert_null(ls_node_get(r, "status"));
	assert_null(ls_node_get(root, "nope"));
	ls_config_free(c);
}

static void
test_nested(void **state)
{
	static const char text[] =
	    "managers:\n"
	    "  - id: ivanov\n"
	    "    name: Иван Иванов\n"
	    "    regions: [msk, spb]\n"
	    "    away:\n"
	    "      - 2026-12-20..2027-01-08\n"
	    "  - {id: lee, active: false}\n"
	    "seller: {name: \"ООО «Ромашка»\", bank: {name: ПАО Банк, bik: \"044525000\"}}\n";
	const struct ls_node *root, *m, *b;
	struct ls_error err;
	struct ls_config *c;
	int on = 1;

	(void)state;
	c = load(text, &err);
	assert_non_null(c);
	root = ls_config_root(c);
	m = ls_node_get(root, "managers");
	assert_int_equal(m->type, LS_NODE_SEQ);
	assert_int_equal(m->len, 2);
	assert_string_equal(ls_node_get(m->items[0], "name")->value, "Иван Иванов");
	assert_int_equal(ls_node_get(m->items[0], "regions")->len, 2);
	assert_string_equal(ls_node_get(m->items[0], "away")->items[0]->value,
	    "2026-12-20..2027-01-08");
	assert_int_equal(ls_node_bool(c, ls_node_get(m->items[1], "active"), &on, &err), 0);
	assert_int_equal(on, 0);
	b = ls_node_get(ls_node_get(root, "seller"), "bank");
	assert_string_equal(ls_node_get(b, "bik")->value, "044525000");
	assert_string_equal(ls_node_get(b, "name")->value, "ПАО Банк");
	/* keys keep file order */
	assert_string_equal(m->items[0]->keys[0]->value, "id");
	assert_string_equal(m->items[0]->keys[3]->value, "away");
	ls_config_free(c);
}

static void
test_positions(void **state)
{
	static const char text[] =
	    "a: 1\n"
	    "list:\n"
	    "  - x\n"
	    "  - [p, q]\n"
	    "map: {k: 'v'}\n";
	const struct ls_node *root, *l, *m;
	struct ls_error err;
	struct ls_config *c;

	(void)state;
	c = load(text, &err);
	assert_non_null(c);
	root = ls_config_root(c);
	assert_int_equal(root->line, 1);
	assert_int_equal(root->col, 1);
	assert_int_equal(root->keys[0]->line, 1);
	assert_int_equal(root->keys[0]->col, 1);
	assert_int_equal(root->items[0]->col, 4);
	l = ls_node_get(root, "list");
	assert_int_equal(l->line, 3);
	assert_int_equal(l->col, 3);
	assert_int_equal(l->items[0]->line, 3);
	assert_int_equal(l->items[0]->col, 5);
	assert_int_equal(l->items[1]->col, 5);
	assert_int_equal(l->items[1]->items[1]->line, 4);
	assert_int_equal(l->items[1]->items[1]->col, 9);
	m = ls_node_get(root, "map");
	assert_int_equal(m->line, 5);
	assert_int_equal(m->col, 6);
	assert_int_equal(m->keys[0]->col, 7);
	assert_int_equal(m->items[0]->col, 10);	/* the opening quote */
	ls_config_free(c);
}

static void
test_syntax_errors(void **state)
{
	(void)state;
	load_fails("a: b: c\n", 1, 5, "mapping values are not allowed");
	load_fails("a: 1\nb: [1, 2\nc: 3\n", 3, 2, "did not find expected ',' or ']' (while parsing a flow sequence at line 2, column 4)");
	load_fails("a: 1\nb: \"abc\n", 3, 1, "found unexpected end of stream");
	load_fails("a:\n  - 1\n - 2\n", 3, 2, "did not find expected key");
	load_fails("a: \t@x\n", 1, 5, "found character that cannot start any token");
}

static void
test_invalid_utf8(void **state)
{
	(void)state;
	load_fails("a: 1\nb: \xff\n", 2, 4, "invalid");
}

static void
test_unknown_key(void **state)
{
	static const char *const allowed[] = { "threshold", "rules", "countries", NULL };
	static const char *const none[] = { NULL };
	struct ls_error err;
	struct ls_config *c;
	char buf[1100];

	(void)state;
	c = load("rules: []\ntreshold: 30\n", &err);
	assert_non_null(c);
	assert_int_equal(ls_node_check_keys(c, ls_config_root(c), allowed, &err), LS_ECONFIG);
	assert_string_equal(ls_error_format(&err, buf, sizeof(buf)),
	    "t.yaml:2:1: unknown key 'treshold' (expected one of: threshold, rules, countries)");
	assert_int_equal(ls_node_check_keys(c, ls_config_root(c), none, &err), LS_ECONFIG);
	assert_string_equal(err.msg, "unknown key 'rules' (no keys are allowed here)");
	/* an absent section is not an error; a scalar where a map belongs is */
	assert_int_equal(ls_node_check_keys(c, NULL, allowed, &err), 0);
	assert_int_equal(ls_node_check_keys(c, ls_node_get(ls_config_root(c), "treshold"),
	    allowed, &err), LS_ECONFIG);
	assert_string_equal(err.msg, "expected a mapping, got '30'");
	ls_config_free(c);
}

static void
test_unknown_key_long_list(void **state)
{
	static const char *const allowed[] = {
		"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
		"bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb",
		"cccccccccccccccccccccccccccccccccccccccccccccccc",
		"dddddddddddddddddddddddddddddddddddddddddddddddd",
		"eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee",
		"ffffffffffffffffffffffffffffffffffffffffffffffff",
		"gggggggggggggggggggggggggggggggggggggggggggggggg",
		"hhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhh",
		"iiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiii",
		"jjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjj",
		NULL
	};
	struct ls_error err;
	struct ls_config *c;

	(void)state;
	c = load("x: 1\n", &err);
	assert_non_null(c);
	assert_int_equal(ls_node_check_keys(c, ls_config_root(c), allowed, &err), LS_ECONFIG);
	assert_non_null(strstr(err.msg, ", ...)"));
	ls_config_free(c);
}

struct typecase {
	const char *value;	/* YAML text after "v: " */
	char kind;		/* i int, n num, b bool, s str, m map */
	const char *msg;	/* NULL: must succeed */
};

static void
test_wrong_types(void **state)
{
	static const struct typecase t[] = {
		{ "abc", 'i', "expected an integer, got 'abc'" },
		{ "12x", 'i', "expected an integer, got '12x'" },
		{ "1.5", 'i', "expected an integer, got '1.5'" },
		{ "\" 5\"", 'i', "expected an integer, got ' 5'" },
		{ "\"\"", 'i', "expected an integer, got ''" },
		{ "0x10", 'i', "expected an integer, got '0x10'" },
		{ "99999999999999999999", 'i', "integer out of range: '99999999999999999999'" },
		{ "[1]", 'i', "expected an integer, got a sequence" },
		{ "{a: 1}", 'i', "expected an integer, got a mapping" },
		{ "1,5", 'n', "expected a number, got '1,5'" },
		{ "inf", 'n', "expected a number, got 'inf'" },
		{ "0x1p3", 'n', "expected a number, got '0x1p3'" },
		{ "1e999", 'n', "number out of range: '1e999'" },
		/* only the characters of a number, but not one: strtod() stops before the end */
		{ "1-2", 'n', "expected a number, got '1-2'" },
		{ "1.2.3", 'n', "expected a number, got '1.2.3'" },
		{ "5e", 'n', "expected a number, got '5e'" },
		{ "{a: 1}", 'n', "expected a number, got a mapping" },
		{ "maybe", 'b', "expected true or false, got 'maybe'" },
		{ "1", 'b', "expected true or false, got '1'" },
		{ "{a: 1}", 's', "expected a string, got a mapping" },
		{ "[a]", 's', "expected a string, got a sequence" },
		{ "x", 'm', "expected a mapping, got 'x'" },
		{ "[x]", 'm', "expected a mapping, got a sequence" },
	};
	const struct ls_node *n;
	struct ls_error err;
	struct ls_config *c;
	char text[100];
	const char *s;
	long long iv;
	double dv;
	size_t i;
	int bv, rc = 0;

	(void)state;
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		snprintf(text, sizeof(text), "k: 1\nv: %s\n", t[i].value);
		c = load(text, &err);
		assert_non_null(c);
		n = ls_node_get(ls_config_root(c), "v");
		switch (t[i].kind) {
		case 'i': rc = ls_node_int(c, n, &iv, &err); break;
		case 'n': rc = ls_node_num(c, n, &dv, &err); break;
		case 'b': rc = ls_node_bool(c, n, &bv, &err); break;
		case 's': rc = ls_node_str(c, n, &s, &err); break;
		case 'm': rc = ls_node_expect(c, n, LS_NODE_MAP, &err); break;
		}
		if (rc != LS_ECONFIG || strcmp(err.msg, t[i].msg) != 0 || err.line != 2 ||
		    err.col != 4 || strcmp(err.file, "t.yaml") != 0)
			fail_msg("case %zu '%s': rc %d %ld:%ld '%s', want 2:4 '%s'", i, t[i].value,
			    rc, err.line, err.col, err.msg, t[i].msg);
		ls_config_free(c);
	}
}

static void
test_good_values(void **state)
{
	static const struct { const char *v; long long want; } ints[] = {
		{ "-5", -5 }, { "+7", 7 }, { "0", 0 }, { "\"42\"", 42 },
		{ "9223372036854775807", INT64_MAX }, { "-9223372036854775808", INT64_MIN },
	};
	static const struct { const char *v; double want; } nums[] = {
		{ "1.5", 1.5 }, { "-0.25", -0.25 }, { "1e3", 1000 }, { "20", 20 }, { ".5", 0.5 },
	};
	static const struct { const char *v; int want; } bools[] = {
		{ "true", 1 }, { "false", 0 }, { "yes", 1 }, { "no", 0 }, { "True", 1 }, { "NO", 0 },
	};
	const struct ls_node *n;
	struct ls_error err;
	struct ls_config *c;
	char text[100];
	long long iv;
	double dv;
	size_t i;
	int bv;

	(void)state;
	for (i = 0; i < sizeof(ints) / sizeof(ints[0]); i++) {
		snprintf(text, sizeof(text), "v: %s\n", ints[i].v);
		assert_non_null(c = load(text, &err));
		n = ls_node_get(ls_config_root(c), "v");
		assert_int_equal(ls_node_int(c, n, &iv, &err), 0);
		assert_true(iv == ints[i].want);
		ls_config_free(c);
	}
	for (i = 0; i < sizeof(nums) / sizeof(nums[0]); i++) {
		snprintf(text, sizeof(text), "v: %s\n", nums[i].v);
		assert_non_null(c = load(text, &err));
		n = ls_node_get(ls_config_root(c), "v");
		assert_int_equal(ls_node_num(c, n, &dv, &err), 0);
		assert_true(dv == nums[i].want);
		ls_config_free(c);
	}
	for (i = 0; i < sizeof(bools) / sizeof(bools[0]); i++) {
		snprintf(text, sizeof(text), "v: %s\n", bools[i].v);
		assert_non_null(c = load(text, &err));
		n = ls_node_get(ls_config_root(c), "v");
		assert_int_equal(ls_node_bool(c, n, &bv, &err), 0);
		assert_int_equal(bv, bools[i].want);
		ls_config_free(c);
	}
}

static void
test_duplicate_key(void **state)
{
	(void)state;
	load_fails("a: 1\nb: 2\na: 3\n", 3, 1, "duplicate key 'a' (first at line 1)");
	load_fails("x: {k: 1, j: 2, k: 3}\n", 1, 17, "duplicate key 'k' (first at line 1)");
	/* of several duplicates the first in the file is named */
	load_fails("b: 1\na: 1\nb: 2\na: 2\nb: 3\n", 3, 1, "duplicate key 'b' (first at line 1)");
	/* the same key in different maps is fine */
	{
		struct ls_error err;
		struct ls_config *c = load("a: {k: 1}\nb: {k: 2}\n", &err);

		assert_non_null(c);
		ls_config_free(c);
	}
}

static void
test_aliases_refused(void **state)
{
	(void)state;
	load_fails("a: &x 1\nb: *x\n", 1, 4, "anchors (&name) are not allowed");
	load_fails("b: *x\n", 1, 4, "aliases (*name) are not allowed");
	load_fails("base: &b {k: 1}\nc:\n  <<: *b\n", 1, 7, "anchors (&name) are not allowed");
}

static void
test_empty_file(void **state)
{
	static const char *const texts[] = { "", "# only a comment\n", "---\n", "\n\n" };
	struct ls_error err;
	struct ls_config *c;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		c = load(texts[i], &err);
		assert_non_null(c);
		assert_int_equal(ls_config_root(c)->type, LS_NODE_MAP);
		assert_int_equal(ls_config_root(c)->len, 0);
		assert_null(ls_node_get(ls_config_root(c), "x"));
		ls_config_free(c);
	}
	c = ls_config_load_mem("t.yaml", NULL, 0, &err);
	assert_non_null(c);
	ls_config_free(c);
}

static void
test_root_must_be_map(void **state)
{
	(void)state;
	load_fails("- a\n- b\n", 1, 1, "expected a mapping (key: value lines) at the top, got a sequence");
	load_fails("hello\n", 1, 1, "expected a mapping (key: value lines) at the top, got a scalar");
	load_fails("a: 1\n---\nb: 2\n", 2, 1, "a config file holds one YAML document");
}

static void
test_key_must_be_scalar(void **state)
{
	(void)state;
	load_fails("? [a, b]\n: 1\n", 1, 3, "a mapping key must be a scalar, not a sequence");
	load_fails("{{x: 1}: 2}\n", 1, 2, "a mapping key must be a scalar, not a mapping");
}

static void
test_load_file(void **state)
{
	char path[] = "/tmp/test_config.XXXXXX";
	struct ls_error err;
	struct ls_config *c;
	FILE *fp;
	int fd;

	(void)state;
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_non_null(fp = fdopen(fd, "w"));
	fputs(rules_yaml, fp);
	fclose(fp);
	c = ls_config_load(path, &err);
	assert_non_null(c);
	assert_string_equal(ls_config_file(c), path);
	assert_int_equal(ls_node_get(ls_config_root(c), "rules")->len, 3);
	ls_config_free(c);
	unlink(path);
	c = ls_config_load(path, &err);
	assert_null(c);
	assert_int_equal(err.status, LS_ECONFIG);
	assert_string_equal(err.file, path);
	assert_string_equal(err.msg, "cannot open: No such file or directory");
}

static void
test_many_keys(void **state)
{
	size_t cap = 20000 * 16, off = 0, i;
	struct ls_error err;
	struct ls_config *c;
	char *text = malloc(cap);

	(void)state;
	assert_non_null(text);
	for (i = 0; i < 20000; i++)
		off += (size_t)snprintf(text + off, cap - off, "k%zu: %zu\n", i, i);
	c = ls_config_load_mem("big.yaml", text, off, &err);
	assert_non_null(c);
	assert_int_equal(ls_config_root(c)->len, 20000);
	assert_string_equal(ls_node_get(ls_config_root(c), "k19999")->value, "19999");
	ls_config_free(c);
	/* one duplicate at the very end */
	off += (size_t)snprintf(text + off, cap - off, "k7: x\n");
	c = ls_config_load_mem("big.yaml", text, off, &err);
	assert_null(c);
	assert_int_equal(err.line, 20001);
	assert_string_equal(err.msg, "duplicate key 'k7' (first at line 8)");
	free(text);
}

static void
test_node_error_and_nulls(void **state)
{
	struct ls_error err;
	struct ls_config *c;
	char buf[1100];

	(void)state;
	ls_config_free(NULL);
	assert_null(ls_node_get(NULL, "a"));
	c = load("a: [1]\n", &err);
	assert_non_null(c);
	assert_null(ls_node_get(ls_node_get(ls_config_root(c), "a"), "x"));	/* not a map */
	assert_int_equal(ls_node_error(c, ls_node_get(ls_config_root(c), "a"), &err,
	    "pool must name %d managers", 2), LS_ECONFIG);
	assert_string_equal(ls_error_format(&err, buf, sizeof(buf)),
	    "t.yaml:1:4: pool must name 2 managers");
	assert_int_equal(ls_node_error(c, NULL, NULL, "x"), LS_ECONFIG);
	/* a key that is not there: what was expected, with the file and no position */
	assert_int_equal(ls_node_num(c, ls_node_get(ls_config_root(c), "b"), &(double){0}, &err),
	    LS_ECONFIG);
	assert_string_equal(ls_error_format(&err, buf, sizeof(buf)), "t.yaml: expected a number");
	ls_config_free(c);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good_file),
		cmocka_unit_test(test_nested),
		cmocka_unit_test(test_positions),
		cmocka_unit_test(test_syntax_errors),
		cmocka_unit_test(test_invalid_utf8),
		cmocka_unit_test(test_unknown_key),
		cmocka_unit_test(test_unknown_key_long_list),
		cmocka_unit_test(test_wrong_types),
		cmocka_unit_test(test_good_values),
		cmocka_unit_test(test_duplicate_key),
		cmocka_unit_test(test_aliases_refused),
		cmocka_unit_test(test_empty_file),
		cmocka_unit_test(test_root_must_be_map),
		cmocka_unit_test(test_key_must_be_scalar),
		cmocka_unit_test(test_load_file),
		cmocka_unit_test(test_many_keys),
		cmocka_unit_test(test_node_error_and_nulls),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
