/* test_json.c - json.h: the DevTools messages' shapes, RFC 8259's edges, and the strings written back. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"

static struct ls_json_doc *
parse(const char *s)
{
	struct ls_error err = { 0 };

	return ls_json_parse(s, strlen(s), &err);
}

/* A reply and an event as Chromium sends them over --remote-debugging-pipe. */
static void
test_protocol_messages(void **state)
{
	struct ls_json_doc *d;
	const struct ls_json *r, *v;
	long long id;

	(void)state;
	d = parse("{\"id\":7,\"result\":{\"targetId\":\"A1B2\",\"list\":[1, 2 ,3]},\"sessionId\":\"S\"}");
	assert_non_null(d);
	r = ls_json_root(d);
	assert_int_equal(r->type, LS_JSON_OBJECT);
	assert_int_equal(ls_json_int(ls_json_get(r, "id"), &id), 0);
	assert_int_equal(id, 7);
	assert_string_equal(ls_json_str(ls_json_get(ls_json_get(r, "result"), "targetId")), "A1B2");
	assert_string_equal(ls_json_str(ls_json_get(r, "sessionId")), "S");
	v = ls_json_get(ls_json_get(r, "result"), "list");
	assert_int_equal(v->type, LS_JSON_ARRAY);
	id = 0;
	for (const struct ls_json *k = v->kid; k; k = k->next) {
		long long x;

		assert_int_equal(ls_json_int(k, &x), 0);
		id = id * 10 + x;
	}
	assert_int_equal(id, 123);
	assert_null(ls_json_get(r, "missing"));
	assert_null(ls_json_get(v, "id"));	/* an array has no members by name */
	assert_null(ls_json_str(ls_json_get(r, "id")));
	ls_json_free(d);

	d = parse(" {\"method\":\"Page.loadEventFired\",\"params\":{\"timestamp\":1234.5},"
	    "\"sessionId\":\"S\"} \n");
	assert_non_null(d);
	r = ls_json_root(d);
	assert_string_equal(ls_json_str(ls_json_get(r, "method")), "Page.loadEventFired");
	v = ls_json_get(ls_json_get(r, "params"), "timestamp");
	assert_int_equal(v->type, LS_JSON_NUMBER);
	assert_string_equal(v->s, "1234.5");
	assert_int_equal(ls_json_int(v, &id), -1);	/* not a whole number */
	assert_null(ls_json_get(r, "id"));
	ls_json_free(d);
}

/* Escapes decoded: the short ones, \u in the BMP, a surrogate pair, raw UTF-8 kept. */
static void
test_strings(void **state)
{
	struct ls_json_doc *d;
	const struct ls_json *r;

	(void)state;
	d = parse("\"a\\\"b\\\\c\\/d\\b\\f\\n\\r\\t\\u0041\\u00e9\\u20AC\\ud83d\\ude00 \xd0\xa1\xd1\x87\"");
	assert_non_null(d);
	r = ls_json_root(d);
	assert_int_equal(r->type, LS_JSON_STRING);
	assert_string_equal(r->s, "a\"b\\c/d\b\f\n\r\tA\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80 \xd0\xa1\xd1\x87");
	assert_int_equal(r->n, strlen(r->s));
	ls_json_free(d);

	d = parse("{\"k\\u0065y\":true,\"n\":null,\"f\":false,\"e\":{},\"a\":[]}");
	assert_non_null(d);
	r = ls_json_root(d);
	assert_int_equal(ls_json_get(r, "key")->type, LS_JSON_TRUE);
	assert_int_equal(ls_json_get(r, "n")->type, LS_JSON_NULL);
	assert_int_equal(ls_json_get(r, "f")->type, LS_JSON_FALSE);
	assert_null(ls_json_get(r, "e")->kid);
	assert_null(ls_json_get(r, "a")->kid);
	ls_json_free(d);
}

/* Numbers: JSON's shapes and ls_json_int()'s range. */
static void
test_numbers(void **state)
{
	static const struct { const char *in; int ok; long long v; } t[] = {
		{ "0", 0, 0 }, { "-0", 0, 0 }, { "42", 0, 42 }, { "-17", 0, -17 },
		{ "9007199254740992", 0, 9007199254740992LL }, { "9007199254740993", -1, 0 },
		{ "-9007199254740992", 0, -9007199254740992LL }, { "1e3", -1, 0 }, { "2.0", -1, 0 },
		{ "123456789012345678901234567890", -1, 0 },
		/* an exponent's sign */
		{ "1e+3", -1, 0 }, { "-2.5E-3", -1, 0 },
	};
	static const char *const bad[] = { "01", "-", "1.", ".5", "1e", "+1", "0x10", "1.e5", "--1", "NaN", "Infinity" };

	(void)state;
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		struct ls_json_doc *d = parse(t[i].in);
		long long v = 0;

		assert_non_null(d);
		assert_int_equal(ls_json_root(d)->type, LS_JSON_NUMBER);
		assert_string_equal(ls_json_root(d)->s, t[i].in);
		assert_int_equal(ls_json_int(ls_json_root(d), &v), t[i].ok);
		if (t[i].ok == 0)
			assert_true(v == t[i].v);
		ls_json_free(d);
	}
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		struct ls_error err = { 0 };

		assert_null(ls_json_parse(bad[i], strlen(bad[i]), &err));
		assert_int_equal(err.status, LS_EDATA);
	}
}

/* Bad texts: refused with the offset of the fault. */
static void
test_refused(void **state)
{
	static const struct { const char *in; size_t len; long col; const char *msg; } t[] = {
		{ "", 0, 1, "found the end" },
		{ "{\"a\":1", 6, 7, "expected ',' or '}'" },
		{ "[1,]", 4, 4, "expected a value" },
		{ "{\"a\" 1}", 7, 6, "expected ':'" },
		{ "{1:2}", 5, 2, "member's name" },
		{ "\"abc", 4, 1, "closing quote" },
		{ "\"a\tb\"", 5, 3, "control character" },
		{ "\"\\x\"", 4, 2, "unknown escape" },
		{ "\"\\u12\"", 6, 2, "four hex digits" },
		{ "\"\\u0000\"", 8, 2, "NUL" },
		{ "\"\\ud800\"", 8, 2, "high surrogate" },
		{ "\"\\ud800\\u0041\"", 14, 2, "high surrogate" },
		{ "\"\\udc00\"", 8, 2, "low surrogate" },
		{ "\"\xc3\"", 3, 2, "invalid UTF-8" },
		{ "\"\xc0\xaf\"", 4, 2, "invalid UTF-8" },	/* overlong */
		{ "\"\xed\xa0\x80\"", 5, 2, "invalid UTF-8" },	/* a surrogate in UTF-8 */
		{ "\"\xff\"", 3, 2, "invalid UTF-8" },
		{ "true false", 10, 6, "text after the value" },
		{ "tru", 3, 1, "expected a value" },
		{ "nul", 3, 1, "expected a value" },
		{ "[1]\0", 4, 4, "text after the value" },
		/* a \u escape's digits that are not hex; a member's name that is no string */
		{ "\"\\u12G4\"", 8, 2, "four hex digits" },
		{ "{\"a\\q\":1}", 9, 4, "unknown escape" },
		{ "1e+", 3, 4, "a number wants a digit here" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		struct ls_error err = { 0 };

		assert_null(ls_json_parse(t[i].in, t[i].len, &err));
		assert_int_equal(err.status, LS_EDATA);
		if (err.col != t[i].col)
			fail_msg("%zu: column %ld, not %ld (%s)", i, err.col, (long)t[i].col, err.msg);
		if (strstr(err.msg, t[i].msg) == NULL)
			fail_msg("%zu: '%s' does not say '%s'", i, err.msg, t[i].msg);
	}
}

/* Nesting deeper than LS_JSON_MAXDEPTH is refused, not recursed into. */
static void
test_depth(void **state)
{
	char deep[2 * (LS_JSON_MAXDEPTH + 2) + 1];
	size_t k = LS_JSON_MAXDEPTH + 2;
	struct ls_error err = { 0 };
	struct ls_json_doc *d;

	(void)state;
	memset(deep, '[', k);
	memset(deep + k, ']', k);
	assert_null(ls_json_parse(deep, 2 * k, &err));
	assert_non_null(strstr(err.msg, "nested too deep"));
	k = LS_JSON_MAXDEPTH + 1;	/* the root at depth 0, the innermost at 64 */
	memset(deep, '[', k);
	memset(deep + k, ']', k);
	d = ls_json_parse(deep, 2 * k, &err);
	assert_non_null(d);
	ls_json_free(d);
	ls_json_free(NULL);
}

/* Strings written and read back: every byte below 0x20, quotes, backslashes, UTF-8. */
static void
test_put_round_trip(void **state)
{
	struct ls_buf b = { 0 };
	struct ls_json_doc *d;
	char in[64 + 16];
	size_t n = 0;

	(void)state;
	for (int c = 1; c < 0x20; c++)
		in[n++] = (char)c;
	memcpy(in + n, "\"\\/ \xd0\xaf\xe2\x82\xac", 9);
	n += 9;
	assert_int_equal(ls_json_put_str(&b, in, n), 0);
	assert_non_null(strstr(b.p, "\\u0001"));
	assert_non_null(strstr(b.p, "\\n"));
	assert_non_null(strstr(b.p, "\\\""));
	d = ls_json_parse(b.p, b.n, NULL);
	assert_non_null(d);
	assert_int_equal(ls_json_root(d)->n, n);
	assert_memory_equal(ls_json_root(d)->s, in, n);
	ls_json_free(d);
	ls_buf_free(&b);
	assert_int_equal(ls_json_put_str(&b, "", 0), 0);
	assert_string_equal(b.p, "\"\"");
	ls_buf_free(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_protocol_messages),
		cmocka_unit_test(test_strings),
		cmocka_unit_test(test_numbers),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_depth),
		cmocka_unit_test(test_put_round_trip),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
