/* test_expr.c - the condition language: parsing, precedence, comparison, errors. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "expr.h"

#define NSLOTS 9

static const char *const names[NSLOTS] = {
	"a", "b", "c", "phone", "email", "employees", "industry", "x", "город"
};

static long
resolve(void *ctx, const char *name, size_t len)
{
	size_t i;

	(void)ctx;
	for (i = 0; i < NSLOTS; i++)
		if (strlen(names[i]) == len && memcmp(names[i], name, len) == 0)
			return (long)i;
	return -1;
}

/* A row: values by slot, NULL meaning a missing (NULL p) slot. */
struct evcase {
	const char *src;
	const char *v[NSLOTS];
	int want;
};

static int
eval_row(const char *src, const char *const *v, size_t nslots)
{
	struct ls_str slots[NSLOTS];
	struct ls_error err;
	struct ls_expr *e;
	size_t i;
	int r;

	memset(&err, 0, sizeof(err));
	for (i = 0; i < NSLOTS; i++) {
		slots[i].p = v[i];
		slots[i].n = v[i] ? strlen(v[i]) : 0;
	}
	e = ls_expr_parse(src, resolve, NULL, &err);
	if (e == NULL)
		fail_msg("parse '%s': col %ld: %s", src, err.col, err.msg);
	r = ls_expr_eval(e, slots, nslots);
	ls_expr_free(e);
	return r;
}

static void
run_table(const struct evcase *t, size_t n)
{
	size_t i;
	int got;

	for (i = 0; i < n; i++) {
		got = eval_row(t[i].src, t[i].v, NSLOTS);
		if (got != t[i].want)
			fail_msg("case %zu: '%s' gave %d, want %d", i, t[i].src, got, t[i].want);
	}
}

#define RUN(t) run_table(t, sizeof(t) / sizeof(t[0]))

static void
test_precedence_and_over_or(void **state)
{
	static const struct evcase t[] = {
		/* a == 1 or (b == 2 and c == 3) */
		{ "a == 1 or b == 2 and c == 3", { "1", "0", "0" }, 1 },
		{ "a == 1 or b == 2 and c == 3", { "0", "2", "0" }, 0 },
		{ "a == 1 or b == 2 and c == 3", { "0", "2", "3" }, 1 },
		{ "a == 1 and b == 2 or c == 3", { "0", "0", "3" }, 1 },
		{ "a == 1 and b == 2 or c == 3", { "1", "0", "0" }, 0 },
	};

	(void)state;
	RUN(t);
}

static void
test_not_binds_tighter_than_and(void **state)
{
	static const struct evcase t[] = {
		{ "not a == 1", { "1" }, 0 },
		{ "not a == 1", { "2" }, 1 },
		/* (not a == 1) and b == 2 */
		{ "not a == 1 and b == 2", { "2", "2" }, 1 },
		{ "not a == 1 and b == 2", { "1", "3" }, 0 },
		{ "not a == 1 or b == 2", { "1", "2" }, 1 },
		{ "not not a == 1", { "1" }, 1 },
	};

	(void)state;
	RUN(t);
}

static void
test_parentheses(void **state)
{
	static const struct evcase t[] = {
		{ "(a == 1 or b == 2) and c == 3", { "1", "0", "0" }, 0 },
		{ "(a == 1 or b == 2) and c == 3", { "0", "2", "3" }, 1 },
		{ "((a == 1))", { "1" }, 1 },
		{ "not (a == 1 or b == 2)", { "0", "0" }, 1 },
		{ "not (a == 1 or b == 2)", { "0", "2" }, 0 },
		{ "not (phone empty) or email ~ \"@example\\.com$\"", { 0 }, 0 },
		{ "not (phone empty) or email ~ \"@example\\.com$\"",
		    { "", "", "", "", "x@example.com" }, 1 },
		{ "not(phone empty)", { "", "", "", "1" }, 1 },
	};

	(void)state;
	RUN(t);
}

static void
test_numeric_compare(void **state)
{
	static const struct evcase t[] = {
		{ "a > 9", { "10" }, 1 },
		{ "a < 9", { "10" }, 0 },
		{ "a > \"9\"", { "10" }, 1 },	/* quoting makes a literal, not a string type */
		{ "a == 50", { "50.0" }, 1 },
		{ "a == 1e2", { "100" }, 1 },
		{ "a >= -5", { "-4.5" }, 1 },
		{ "a < -5", { "-4.5" }, 0 },
		{ "a == 0.1", { "0.10" }, 1 },
		{ "a == 3", { "+3" }, 1 },
		{ "a == 0.5", { ".5" }, 1 },
		{ "a == 1", { "1." }, 1 },
		{ "a != 1", { "1.0" }, 0 },
		{ "employees >= 50", { "", "", "", "", "", "1000" }, 1 },
		{ "employees >= 50", { "", "", "", "", "", "49" }, 0 },
		/* whole numbers of up to 15 digits take a shorter path: its edges */
		{ "a == 7", { "007" }, 1 },
		{ "a == 999999999999999", { "999999999999999" }, 1 },
		{ "a < 1000000000000000", { "999999999999999" }, 1 },
		{ "a > 999999999999999", { "1000000000000000" }, 1 },	/* 16 digits: the long path */
		{ "a == 12", { "12a" }, 0 },
		{ "a >= 50", { "5 0" }, 0 },		/* no number: bytes, ' ' < '0' */
		{ "a == 0", { "0" }, 1 },
		{ "a == 0", { "-0" }, 1 },
	};

	(void)state;
	RUN(t);
}

static void
test_string_compare(void **state)
{
	static const struct evcase t[] = {
		{ "a < abd", { "abc" }, 1 },
		{ "a > ab", { "abc" }, 1 },		/* a prefix sorts first */
		{ "a <= abc", { "abc" }, 1 },
		{ "a > 9", { "10a" }, 0 },		/* not a number: bytes, '1' < '9' */
		{ "a == 5", { " 5" }, 0 },		/* blanks are data, not a number */
		{ "a == \" 5\"", { " 5" }, 1 },
		{ "a == 16", { "0x10" }, 0 },
		{ "a == 1", { "1e" }, 0 },
		{ "a != inf", { "inf" }, 0 },
		{ "a == retail", { "retail" }, 1 },
		{ "a == Retail", { "retail" }, 0 },	/* byte-wise, case matters */
		{ "a == 2026-01-01", { "2026-01-01" }, 1 },
		{ "a < 2026-02-01", { "2026-01-31" }, 1 },
		{ "a == \"c d\"", { "c d" }, 1 },
		{ "a == 'c d'", { "c d" }, 1 },
		{ "a == bob@example.com", { "bob@example.com" }, 1 },
		{ "a == +79161234567", { "+79161234567" }, 1 },
	};

	(void)state;
	RUN(t);
}

static void
test_long_numbers(void **state)
{
	static const struct evcase t[] = {
		/* past the exact fast path: strtod decides */
		{ "a == 12345678901234567890.0", { "12345678901234567890" }, 1 },
		{ "a == 1", { "1.00000000000000000000001" }, 1 },
		{ "a > 1e30", { "2e30" }, 1 },
		{ "a < 1e-30", { "0.5e-30" }, 1 },
		{ "a == 1e400", { "1e400" }, 1 },
		/* 64 bytes and more never count as numbers */
		{ "a == 1", { "1.000000000000000000000000000000000000000000000000000000000000000" }, 0 },
	};

	(void)state;
	RUN(t);
}

static void
test_numbers_ignore_locale(void **state)
{
	static const char *const try[] = { "ru_RU.UTF-8", "de_DE.UTF-8", "fr_FR.UTF-8", NULL };
	static const struct evcase t[] = {
		{ "a == 1.5", { "1.50" }, 1 },
		{ "a == 1", { "1.00000000000000000000001" }, 1 },
		{ "a > 1.25", { "1.3" }, 1 },
	};
	size_t i;

	(void)state;
	for (i = 0; try[i] != NULL; i++)
		if (setlocale(LC_NUMERIC, try[i]) != NULL)
			break;
	RUN(t);
	setlocale(LC_NUMERIC, "C");
	if (try[i] == NULL)
		skip();
}

static void
test_slot_against_slot(void **state)
{
	static const struct evcase t[] = {
		{ "a == b", { "5", "5.0" }, 1 },	/* b is a known name: a slot */
		{ "a < b", { "abc", "abd" }, 1 },
		{ "a == b", { "b", "x" }, 0 },
		{ "a == zzz", { "zzz" }, 1 },		/* unknown bare word: a literal */
		{ "a == \"b\"", { "b", "x" }, 1 },	/* quoted: always a literal */
		{ "a == b", { "5", "abc" }, 0 },
	};

	(void)state;
	RUN(t);
}

static void
test_in_list(void **state)
{
	static const struct evcase t[] = {
		{ "industry in [retail, logistics]", { "", "", "", "", "", "", "retail" }, 1 },
		{ "industry in [retail, logistics]", { "", "", "", "", "", "", "logistics" }, 1 },
		{ "industry in [retail, logistics]", { "", "", "", "", "", "", "it" }, 0 },
		{ "a in [1, 2, \"c d\"]", { "c d" }, 1 },
		{ "a in [1, 2, \"c d\"]", { "2.0" }, 1 },	/* items compare like == */
		{ "a in [1, 2, 'c d']", { "3" }, 0 },
		{ "a in [x, 10]", { "1e1" }, 1 },		/* a number after words */
		{ "a in [x, 10]", { "10x" }, 0 },
		{ "a in [10, x]", { "x" }, 1 },		/* a word after a number */
		{ "a in [007, x]", { "7" }, 1 },
		{ "a == 'x'", { "x" }, 1 },
		{ "a == 'x'", { "xx" }, 0 },
		{ "a == 7", { "7.000" }, 1 },
		{ "a != 'x'", { "7" }, 1 },
		{ "a < 'b'", { "a" }, 1 },		/* words sort as bytes */
		{ "a < 'b'", { "ba" }, 0 },
		{ "a >= 10", { "9" }, 0 },		/* numbers as numbers */
		{ "a >= 10", { "9x" }, 1 },		/* else as bytes */
		{ "a in []", { "" }, 0 },
		{ "a in [\"\"]", { "" }, 1 },
		{ "a in [b]", { "b", "zzz" }, 1 },		/* items are always literals */
		{ "a in ['and', \"or\"]", { "or" }, 1 },
		/* word-only leaves under and/or/not */
		{ "a == x or b != y", { "z", "y" }, 0 },
		{ "a == x or b != y", { "z", "q" }, 1 },
		{ "not a in [x, y] and b == z", { "q", "z" }, 1 },
		{ "a in [x, y] and b not in [p]", { "y", "p" }, 0 },
	};

	(void)state;
	RUN(t);
}

static void
test_not_in_list(void **state)
{
	static const struct evcase t[] = {
		{ "a not in [x, y]", { "x" }, 0 },
		{ "a not in [x, y]", { "z" }, 1 },
		{ "a not in []", { "z" }, 1 },
		{ "not a in [x, y]", { "z" }, 1 },
		{ "a not in [1] and b in [2]", { "3", "2" }, 1 },
	};

	(void)state;
	RUN(t);
}

static void
test_regex(void **state)
{
	static const struct evcase t[] = {
		{ "email ~ \"@example\\.com$\"", { "", "", "", "", "bob@example.com" }, 1 },
		{ "email ~ \"@example\\.com$\"", { "", "", "", "", "bob@exampleXcom" }, 0 },
		{ "email ~ \"@example\\.com$\"", { "", "", "", "", "bob@example.com.ru" }, 0 },
		{ "a ~ \"^(retail|it)$\"", { "it" }, 1 },
		{ "a ~ '^[0-9]+$'", { "123" }, 1 },
		{ "a ~ '^[0-9]+$'", { "12a" }, 0 },
		{ "a ~ abc", { "xabcx" }, 1 },		/* a bare word is regex text */
		{ "a ~ b", { "abc", "zzz" }, 1 },	/* even one that names a column */
		{ "a ~ b", { "zzz", "zzz" }, 0 },
		{ "a ~ \"\"", { "" }, 1 },
		{ "not a ~ x", { "abc" }, 1 },
	};

	(void)state;
	RUN(t);
}

static void
test_string_escapes(void **state)
{
	static const struct evcase t[] = {
		{ "a == \"say \\\"hi\\\"\"", { "say \"hi\"" }, 1 },
		{ "a == 'it\\'s'", { "it's" }, 1 },
		{ "a == \"it's\"", { "it's" }, 1 },
		{ "a == 'a\\\\b'", { "a\\b" }, 1 },
		{ "a == 'a\\nb'", { "a\\nb" }, 1 },		/* other escapes stay as written */
		{ "a ~ \"^a\\\\\\\\b$\"", { "a\\b" }, 1 },	/* "\\\\" is the regex \\ */
		{ "a ~ \"^a\\.b$\"", { "aXb" }, 0 },		/* \. reaches regcomp */
		{ "a ~ \"^a\\.b$\"", { "a.b" }, 1 },
	};

	(void)state;
	RUN(t);
}

static void
test_regex_value_without_nul(void **state)
{
	struct ls_error err;
	struct ls_expr *e;
	struct ls_str s = { "abcdef", 3 };	/* "abc", not NUL-terminated */

	(void)state;
	e = ls_expr_parse("a ~ \"c$\"", resolve, NULL, &err);
	assert_non_null(e);
	assert_int_equal(ls_expr_eval(e, &s, 1), 1);
	ls_expr_free(e);
	e = ls_expr_parse("a ~ d", resolve, NULL, &err);
	assert_non_null(e);
	assert_int_equal(ls_expr_eval(e, &s, 1), 0);
	ls_expr_free(e);
}

static void
test_empty(void **state)
{
	static const struct evcase t[] = {
		{ "phone empty", { "", "", "", "" }, 1 },
		{ "phone empty", { "", "", "", "+7916" }, 0 },
		{ "phone empty", { "", "", "", " " }, 0 },	/* blanks are data */
		{ "phone empty", { 0 }, 1 },			/* NULL p */
		{ "email not empty", { "", "", "", "", "x@y.z" }, 1 },
		{ "email not empty", { 0 }, 0 },
		{ "phone empty and email empty", { 0 }, 1 },
		{ "not phone empty", { "", "", "", "1" }, 1 },
	};

	(void)state;
	RUN(t);
}

static void
test_missing_slots(void **state)
{
	static const char *const v[NSLOTS] = { "1", "2", "3" };
	struct ls_error err;
	struct ls_expr *e;

	(void)state;
	/* slots past nslots read as empty */
	assert_int_equal(eval_row("c empty", v, 2), 1);
	assert_int_equal(eval_row("c == 3", v, 2), 0);
	assert_int_equal(eval_row("c == \"\"", v, 2), 1);
	assert_int_equal(eval_row("a == 1 and c empty", v, 1), 1);
	assert_int_equal(eval_row("a == b", v, 0), 1);
	assert_int_equal(eval_row("c in [\"\"]", v, 0), 1);
	assert_int_equal(eval_row("c ~ \"^$\"", v, 0), 1);
	e = ls_expr_parse("a empty", resolve, NULL, &err);
	assert_non_null(e);
	assert_int_equal(ls_expr_eval(e, NULL, 0), 1);
	assert_int_equal(ls_expr_eval(e, NULL, 5), 1);
	ls_expr_free(e);
}

static void
test_utf8_words(void **state)
{
	static const struct evcase t[] = {
		{ "город == Москва", { "", "", "", "", "", "", "", "", "Москва" }, 1 },
		{ "город in [Москва, Казань]", { "", "", "", "", "", "", "", "", "Казань" }, 1 },
		{ "город == 'Санкт-Петербург'", { "", "", "", "", "", "", "", "", "Москва" }, 0 },
	};

	(void)state;
	RUN(t);
}

static void
test_whitespace(void **state)
{
	static const struct evcase t[] = {
		{ "a==1", { "1" }, 1 },
		{ "\ta  ==\n 1 ", { "1" }, 1 },
		{ "a in[x,y]", { "y" }, 1 },
		{ "(a==1)or(b==2)", { "0", "2" }, 1 },
		{ "a<-5", { "-6" }, 1 },
	};

	(void)state;
	RUN(t);
}

/* 500 terms: the evaluator walks or/and chains in a loop, not by recursion. */
static void
test_long_chains(void **state)
{
	static const char *const hit[NSLOTS] = { "500" }, *const miss[NSLOTS] = { "0" };
	size_t cap = 500 * 20, off = 0;
	char *src = malloc(cap);
	int i;

	(void)state;
	assert_non_null(src);
	for (i = 1; i <= 500; i++)
		off += (size_t)snprintf(src + off, cap - off, "%sa == %d", i > 1 ? " or " : "", i);
	assert_int_equal(eval_row(src, hit, NSLOTS), 1);
	assert_int_equal(eval_row(src, miss, NSLOTS), 0);
	for (i = 1, off = 0; i <= 500; i++)
		off += (size_t)snprintf(src + off, cap - off, "%sa != %d", i > 1 ? " and " : "", i);
	assert_int_equal(eval_row(src, hit, NSLOTS), 0);
	assert_int_equal(eval_row(src, miss, NSLOTS), 1);
	free(src);
}

struct errcase {
	const char *src;
	const char *msg;
	long col;
};

static void
test_syntax_errors(void **state)
{
	static const struct errcase t[] = {
		{ "", "unexpected end of expression", 1 },
		{ "a", "unexpected end of expression", 2 },
		{ "a ==", "unexpected end of expression", 5 },
		{ "a == 1 and", "unexpected end of expression", 11 },
		{ "not", "unexpected end of expression", 4 },
		{ "a = 1", "unexpected '='", 3 },
		{ "a ! b", "unexpected '!'", 3 },
		{ "a & b", "unexpected '&'", 3 },
		{ "a == 1 b", "unexpected 'b'", 8 },
		{ "a not b", "unexpected 'b'", 7 },
		{ "\"a\" == 1", "unexpected '\"a\"'", 1 },
		{ "a == and", "unexpected 'and'", 6 },
		{ "a == 1)", "unexpected ')'", 7 },
		{ "a == 1 or or", "unexpected 'or'", 11 },
		{ "a == [1]", "unexpected '['", 6 },
		{ "a ~ (", "unexpected '('", 5 },
		{ "a in [1,]", "unexpected ']'", 9 },
		{ "a in [1, [2]]", "unexpected '['", 10 },
		{ "a in 1", "expected '[' after 'in'", 6 },
		{ "a in [1, 2", "expected ']'", 11 },
		{ "a in [1 2]", "expected ',' or ']'", 9 },
		{ "(a == 1", "expected ')'", 8 },
		{ "(a == 1 b", "expected ')'", 9 },
		{ "a == \"abc", "unterminated string", 6 },
		{ "a == 'abc\\'", "unterminated string", 6 },
		{ "a in [\"x", "unterminated string", 7 },
		{ "a in [x \"y", "unterminated string", 9 },	/* after a member */
		{ "(a == 1 \"", "unterminated string", 9 },
	};
	struct ls_error err;
	struct ls_expr *e;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		memset(&err, 0, sizeof(err));
		e = ls_expr_parse(t[i].src, resolve, NULL, &err);
		if (e != NULL) {
			ls_expr_free(e);
			fail_msg("case %zu: '%s' compiled", i, t[i].src);
		}
		if (err.status != LS_ECONFIG || strcmp(err.msg, t[i].msg) != 0 || err.col != t[i].col)
			fail_msg("case %zu: '%s': got status %d col %ld '%s', want col %ld '%s'",
			    i, t[i].src, err.status, err.col, err.msg, t[i].col, t[i].msg);
		assert_string_equal(err.file, "");
		assert_int_equal(err.line, 0);
	}
}

static void
test_unknown_column(void **state)
{
	static const struct errcase t[] = {
		{ "foo == 1", "unknown column 'foo'", 1 },
		{ "a == 1 and foo empty", "unknown column 'foo'", 12 },
		{ "(a == 1 or (zz in [1]))", "unknown column 'zz'", 13 },
		{ "50 <= employees", "unknown column '50'", 1 },
	};
	struct ls_error err;
	struct ls_expr *e;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		e = ls_expr_parse(t[i].src, resolve, NULL, &err);
		assert_null(e);
		assert_int_equal(err.status, LS_ECONFIG);
		assert_string_equal(err.msg, t[i].msg);
		assert_int_equal(err.col, t[i].col);
	}
	/* without a resolver every name is unknown */
	e = ls_expr_parse("a == 1", NULL, NULL, &err);
	assert_null(e);
	assert_string_equal(err.msg, "unknown column 'a'");
}

static void
test_bad_regex(void **state)
{
	struct ls_error err;
	struct ls_expr *e;

	(void)state;
	e = ls_expr_parse("a == 1 and b ~ \"(x\"", resolve, NULL, &err);
	assert_null(e);
	assert_int_equal(err.status, LS_ECONFIG);
	assert_int_equal(err.col, 16);
	assert_memory_equal(err.msg, "bad regular expression: ", 24);
	e = ls_expr_parse("b ~ x[", resolve, NULL, &err);
	assert_null(e);
	assert_int_equal(err.col, 6);	/* x[: the word ends at '[' */
}

/* Found by fuzz_expr: stacked repeats made glibc's regcomp take gigabytes. */
static void
test_regex_size_limit(void **state)
{
	static const struct { const char *src; int ok; } t[] = {
		{ "a ~ 666666++++++++++++++++++++++++++++++++++++++++++++++++++76666666666", 0 },
		{ "a ~ \"((x{100}){100}){100}\"", 0 },
		{ "a ~ \"(x{100}){100}\"", 0 },
		{ "a ~ \"x{1,32767}\"", 0 },
		{ "a ~ \"(x{10}|y{10}){1000}\"", 0 },
		{ "a ~ \"^[a-z]{2,64}@[a-z]{2,64}\\.[a-z]{2,10}$\"", 1 },
		{ "a ~ \"^\\+7[0-9]{10}$\"", 1 },
		{ "a ~ \"^[0-9]{4}-[0-9]{2}-[0-9]{2}$\"", 1 },
		{ "a ~ \"(x{50}){50}\"", 1 },
		{ "a ~ \"[{]{9999999}\"", 0 },	/* a bracket is one atom, then repeated */
		{ "a ~ \"[]{]+\"", 1 },
		{ "a ~ \"x++++++++++++++++++++++++++++++[\"", 0 },	/* regcomp repeats before it fails */
		{ "a ~ \"x++++++++++++++++++++++++++++++[[:al\"", 0 },
		{ "a ~ \"[[:digit:]]{3}\"", 1 },
		/* found by fuzz_expr: minutes in glibc's closure work, no memory */
		{ "a ~ \"x *+++++++++++++,++++y\"", 0 },
		{ "a ~ \"x*{2}\"", 0 },
		{ "a ~ \"x?+\"", 0 },
		{ "a ~ \"(x+)+y\"", 1 },
		{ "a ~ \"x\\++\"", 1 },	/* an escaped plus is an atom */
		{ "a ~ \"[+*]+\"", 1 },
	};
	struct ls_error err;
	struct ls_expr *e;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		e = ls_expr_parse(t[i].src, resolve, NULL, &err);
		if ((e != NULL) != t[i].ok)
			fail_msg("case %zu '%s': %s", i, t[i].src, e ? "compiled" : err.msg);
		if (e == NULL && strcmp(err.msg, "bad regular expression: repetitions too large") != 0 &&
		    strcmp(err.msg, "bad regular expression: a repetition of a repetition (like a++ or a*{2})") != 0)
			fail_msg("case %zu '%s': %s", i, t[i].src, err.msg);
		ls_expr_free(e);
	}
}

/* Patterns the size check lets through to regcomp, which judges them: its own message. */
static void
test_regex_to_regcomp(void **state)
{
	static const struct { const char *src; const char *msg; } t[] = {
		{ "a ~ \"[^]x]{3}\"", NULL },		/* ] first in a negated bracket is a member */
		/* not a bound: weighed as text, refused by glibc's regcomp */
		{ "a ~ \"x{a}\"", "bad regular expression: Invalid content of \\{\\}" },
		{ "a ~ \"[[:alpha:]]{2}[[.-.]]\"", NULL },
		{ "a ~ \"x[ab\"", "bad regular expression: Unmatched [, [^, [:, [., or [=" },
		{ "a ~ \"[[:al:pha:]]\"", "bad regular expression: Invalid character class name" },
		{ "a ~ \"[[:alpha\"", "bad regular expression: Unmatched [, [^, [:, [., or [=" },
	};
	struct ls_error err;
	struct ls_expr *e;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		memset(&err, 0, sizeof(err));
		e = ls_expr_parse(t[i].src, resolve, NULL, &err);
		if (t[i].msg == NULL && e == NULL)
			fail_msg("case %zu '%s': %s", i, t[i].src, err.msg);
		if (t[i].msg != NULL && (e != NULL || strcmp(err.msg, t[i].msg) != 0))
			fail_msg("case %zu '%s': %s, want '%s'", i, t[i].src, e ? "compiled" : err.msg, t[i].msg);
		if (e == NULL)
			assert_int_equal(err.col, 5);
		ls_expr_free(e);
	}
}

static void
test_nesting_limit(void **state)
{
	char src[512];
	static const char *const v[NSLOTS] = { "1" };
	struct ls_error err;
	struct ls_expr *e;
	size_t i, n = 0;

	(void)state;
	for (i = 0; i < 60; i++)
		src[n++] = '(';
	memcpy(src + n, "a == 1", 6);
	n += 6;
	for (i = 0; i < 60; i++)
		src[n++] = ')';
	src[n] = '\0';
	assert_int_equal(eval_row(src, v, NSLOTS), 1);

	for (i = 0, n = 0; i < 100; i++, n += 4)
		memcpy(src + n, "not ", 4);
	memcpy(src + n, "a == 1", 7);
	e = ls_expr_parse(src, resolve, NULL, &err);
	assert_null(e);
	assert_string_equal(err.msg, "expression nested too deeply");
	assert_int_equal(err.col, 64 * 4 + 1);

	/* parentheses: 64 deep at most, the 65th named */
	for (i = 0, n = 0; i < 65; i++)
		src[n++] = '(';
	memcpy(src + n, "a == 1", 6);
	n += 6;
	for (i = 0; i < 65; i++)
		src[n++] = ')';
	src[n] = '\0';
	assert_null(e = ls_expr_parse(src, resolve, NULL, &err));
	assert_string_equal(err.msg, "expression nested too deeply");
	assert_int_equal(err.col, 65);
	/* a regular expression's groups likewise, before regcomp would recurse into them */
	memcpy(src, "a ~ \"", 5);
	for (i = 0, n = 5; i < 65; i++)
		src[n++] = '(';
	src[n++] = 'x';
	for (i = 0; i < 65; i++)
		src[n++] = ')';
	src[n++] = '"';
	src[n] = '\0';
	assert_null(e = ls_expr_parse(src, resolve, NULL, &err));
	assert_string_equal(err.msg, "bad regular expression: repetitions too large");
	for (i = 0, n = 5; i < 64; i++)
		src[n++] = '(';
	src[n++] = 'x';
	for (i = 0; i < 64; i++)
		src[n++] = ')';
	src[n++] = '"';
	src[n] = '\0';
	assert_non_null(e = ls_expr_parse(src, resolve, NULL, &err));
	ls_expr_free(e);
}

static void
test_parse_at_offsets(void **state)
{
	struct ls_error err;
	struct ls_expr *e;
	char buf[600];

	(void)state;
	e = ls_expr_parse_at("a == 1 and foo empty", "rules.yaml", 7, 10, resolve, NULL, &err);
	assert_null(e);
	assert_string_equal(err.file, "rules.yaml");
	assert_int_equal(err.line, 7);
	assert_int_equal(err.col, 21);
	assert_string_equal(ls_error_format(&err, buf, sizeof(buf)),
	    "rules.yaml:7:21: unknown column 'foo'");
	e = ls_expr_parse_at("a == 1", "rules.yaml", 7, 10, resolve, NULL, &err);
	assert_non_null(e);
	ls_expr_free(e);
	e = ls_expr_parse_at("a ==", "rules.yaml", 2, 1, resolve, NULL, NULL);
	assert_null(e);
}

static void
test_null_handling(void **state)
{
	(void)state;
	ls_expr_free(NULL);
	assert_int_equal(ls_expr_eval(NULL, NULL, 0), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_precedence_and_over_or),
		cmocka_unit_test(test_not_binds_tighter_than_and),
		cmocka_unit_test(test_parentheses),
		cmocka_unit_test(test_numeric_compare),
		cmocka_unit_test(test_string_compare),
		cmocka_unit_test(test_long_numbers),
		cmocka_unit_test(test_numbers_ignore_locale),
		cmocka_unit_test(test_slot_against_slot),
		cmocka_unit_test(test_in_list),
		cmocka_unit_test(test_not_in_list),
		cmocka_unit_test(test_regex),
		cmocka_unit_test(test_string_escapes),
		cmocka_unit_test(test_regex_value_without_nul),
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_missing_slots),
		cmocka_unit_test(test_utf8_words),
		cmocka_unit_test(test_whitespace),
		cmocka_unit_test(test_long_chains),
		cmocka_unit_test(test_syntax_errors),
		cmocka_unit_test(test_unknown_column),
		cmocka_unit_test(test_bad_regex),
		cmocka_unit_test(test_regex_size_limit),
		cmocka_unit_test(test_regex_to_regcomp),
		cmocka_unit_test(test_nesting_limit),
		cmocka_unit_test(test_parse_at_offsets),
		cmocka_unit_test(test_null_handling),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
