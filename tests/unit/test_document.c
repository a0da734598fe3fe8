/* test_document.c - invoice maths (VAT added and included), safe document names, the manifest's checks. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "doc_int.h"
#include "document.h"

struct line_case {
	int64_t price, qty, rate;
	int none;
	int64_t total, vat;
};

static void
check(enum ls_vat_mode mode, const struct line_case *c, size_t n, int64_t sub, int64_t vat,
    int64_t tot)
{
	struct ls_invoice_line l[8];
	int64_t s, v, t;

	for (size_t i = 0; i < n; i++) {
		memset(&l[i], 0, sizeof l[i]);
		l[i].price = c[i].price;
		l[i].qty = c[i].qty;
		l[i].rate = c[i].rate;
		l[i].vat_none = c[i].none;
	}
	assert_int_equal(ls_invoice_compute(l, n, mode, &s, &v, &t, NULL), 0);
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(l[i].total, c[i].total);
		assert_int_equal(l[i].vat, c[i].vat);
	}
	assert_int_equal(s, sub);
	assert_int_equal(v, vat);
	assert_int_equal(t, tot);
}

/* The invoice: 135.00 VAT at 10% and 44.00 at 22% were printed as one «НДС (22%): 179.00». */
static void
test_vat_groups(void **state)
{
	struct ls_invoice_line l[6];
	struct ls_vat_group g[6];
	/* price, qty (scale 3), rate (scale 2), none */
	static const int64_t in[6][4] = {
		{ 100000, 1000, 1000, 0 },	/* 1000.00 at 10%: 100.00 */
		{ 35000, 1000, 1000, 0 },	/* 350.00 at 10%: 35.00 */
		{ 20000, 1000, 2200, 0 },	/* 200.00 at 22%: 44.00 */
		{ 70000, 1000, 0, 0 },		/* 700.00 at 0% */
		{ 9000, 1000, 2200, 1 },	/* 90.00 none: not the 0% group */
		{ 3000, 2000, 2000, 0 },	/* 60.00 at an overridden 20%: 12.00 */
	};
	int64_t s, v, t, gs, gv, gt;
	size_t ng;

	(void)state;
	for (int mode = 0; mode < 2; mode++) {
		enum ls_vat_mode m = mode ? LS_VAT_INCLUDED : LS_VAT_ADDED;

		memset(l, 0, sizeof l);
		for (size_t i = 0; i < 6; i++) {
			l[i].price = in[i][0];
			l[i].qty = in[i][1];
			l[i].rate = in[i][2];
			l[i].vat_none = (int)in[i][3];
		}
		assert_int_equal(ls_invoice_compute(l, 6, m, &s, &v, &t, NULL), 0);
		assert_int_equal(ls_invoice_groups(l, 6, m, g, &ng, NULL), 0);
		assert_int_equal(ng, 5);
		/* rate order, «Без НДС» last */
		assert_int_equal(g[0].rate, 0);
		assert_false(g[0].vat_none);
		assert_int_equal(g[1].rate, 1000);
		assert_int_equal(g[1].nlines, 2);
		assert_int_equal(g[2].rate, 2000);
		assert_int_equal(g[3].rate, 2200);
		assert_true(g[4].vat_none);
		assert_int_equal(g[4].vat, 0);
		gs = gv = gt = 0;
		for (size_t i = 0; i < ng; i++) {
			assert_int_equal(g[i].base + g[i].vat, g[i].total);
			gs += g[i].base, gv += g[i].vat, gt += g[i].total;
		}
		assert_int_equal(gs, s);
		assert_int_equal(gv, v);
		assert_int_equal(gt, t);
		if (m == LS_VAT_ADDED) {
			assert_int_equal(g[1].vat, 13500);
			assert_int_equal(g[1].base, 135000);
			assert_int_equal(g[3].vat, 4400);
			assert_int_equal(g[3].total, 24400);
			assert_int_equal(g[2].vat, 1200);
			assert_int_equal(v, 13500 + 4400 + 1200);
		} else {
			/* included: 1350.00 holds 122.73 (100000*10/110 = 90.91, 35000: 31.82), 200.00 holds 36.07 */
			assert_int_equal(g[1].total, 135000);
			assert_int_equal(g[1].vat, 9091 + 3182);
			assert_int_equal(g[3].vat, 3607);
			assert_int_equal(g[4].base, 9000);
		}
	}
}

static void
test_vat_added(void **state)
{
	/* price kopecks, qty at scale 3, rate at scale 2 */
	static const struct line_case c[] = {
		{ 100000, 2000, 2200, 0, 200000, 44000 },	/* 1000.00 x 2 at 22% */
		{ 89040, 3500, 2200, 0, 311640, 68561 },	/* 3116.40: VAT 685.608 -> 685.61 */
		{ 50000, 1000, 1000, 0, 50000, 5000 },		/* an item's own 10% */
		{ 333333, 1500, 2200, 1, 500000, 0 },		/* 4999.995 -> 5000.00, no VAT */
		{ 35, 3000, 2000, 0, 105, 21 },			/* 1.05 at 20%: 0.21 */
		{ 1, 500, 2000, 0, 1, 0 },			/* 0.005 -> 0.01; VAT 0.002 -> 0 */
	};

	(void)state;
	check(LS_VAT_ADDED, c, 6, 200000 + 311640 + 50000 + 500000 + 105 + 1,
	    44000 + 68561 + 5000 + 21, 1061746 + 117582);
}

static void
test_vat_included(void **state)
{
	static const struct line_case c[] = {
		{ 100000, 1000, 2000, 0, 100000, 16667 },	/* 1000.00 incl. 20%: 166.666 -> 166.67 */
		{ 100000, 2000, 2200, 0, 200000, 36066 },	/* 2000 x 22/122 = 360.655 -> 360.66 */
		{ 50000, 1000, 1000, 0, 50000, 4545 },		/* 45.4545 -> 45.45 */
		{ 10000, 1000, 0, 1, 10000, 0 },
	};

	(void)state;
	check(LS_VAT_INCLUDED, c, 4, 360000 - 57278, 57278, 360000);
}

static void
test_vat_negative_and_empty(void **state)
{
	static const struct line_case c[] = {
		{ -1000, 1000, 2000, 0, -1000, -200 },		/* a discount line */
		{ 5, 1000, 1000, 0, 5, 1 },			/* 0.005 -> 0.01 half away from zero */
		{ -5, 1000, 1000, 0, -5, -1 },
	};
	struct ls_invoice_line none[1];
	int64_t s = 1, v = 1, t = 1;

	(void)state;
	check(LS_VAT_ADDED, c, 3, -1000, -200, -1200);
	assert_int_equal(ls_invoice_compute(none, 0, LS_VAT_ADDED, &s, &v, &t, NULL), 0);
	assert_int_equal(s, 0);
	assert_int_equal(v, 0);
	assert_int_equal(t, 0);
}

static void
test_vat_overflow(void **state)
{
	struct ls_invoice_line l[2] = { { INT64_MAX / 2, 1000, 2000, 0, 0, 0 },
		{ INT64_MAX / 2, 1000, 2000, 0, 0, 0 } };
	struct ls_error err = { 0 };
	int64_t s, v, t;

	(void)state;
	assert_int_equal(ls_invoice_compute(l, 2, LS_VAT_ADDED, &s, &v, &t, &err), LS_EDATA);
}

/* A VAT rate as people write it: no ".00", no trailing zero; and read back with a point or a comma. */
static void
test_rate_format(void **state)
{
	static const struct { int64_t rate; const char *want; } t[] = {
		{ 2000, "20" }, { 1250, "12.5" }, { 1025, "10.25" }, { 0, "0" }, { 10000, "100" }, { 5, "0.05" },
		{ 50, "0.5" },
	};
	char buf[32];
	int64_t r;

	(void)state;
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		ls_invoice_rate_format(t[i].rate, buf, sizeof(buf));
		assert_string_equal(buf, t[i].want);
		assert_int_equal(ls_invoice_rate_parse(buf, strlen(buf), &r), 0);
		assert_int_equal(r, t[i].rate);
	}
	assert_int_equal(ls_invoice_rate_parse("12,5", 4, &r), 0);
	assert_int_equal(r, 1250);
}

static void
test_doc_write_names(void **state)
{
	char dir[] = "/tmp/test_document.XXXXXX", out[512], *path;
	static const char *const bad[] = { "", "/etc/x", "../x", "a/../../x", "a/..", "x\ny",
		"link/x", "sub/", NULL };
	int exists;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(out, sizeof out, "%s/out", dir);
	assert_int_equal(mkdir(out, 0777), 0);
	snprintf(out, sizeof out, "%s/out/link", dir);
	assert_int_equal(symlink("..", out), 0);
	snprintf(out, sizeof out, "%s/out", dir);
	for (int i = 0; bad[i]; i++) {
		path = NULL;
		assert_int_equal(ls_doc_write(out, bad[i], "x", 1, 1, &path, &exists, NULL), LS_EDATA);
		assert_null(path);
	}
	assert_int_equal(ls_doc_write(out, "a.txt", "hello", 5, 0, &path, &exists, NULL), 0);
	assert_non_null(strstr(path, "/out/a.txt"));
	free(path);
	assert_int_equal(ls_doc_write(out, "a.txt", "again", 5, 0, &path, &exists, NULL), LS_EDATA);
	assert_int_equal(exists, 1);
	assert_int_equal(ls_doc_write(out, "a.txt", "again", 5, 1, &path, &exists, NULL), 0);
	free(path);
	/* "./a.txt" and "dir/./x" stay inside */
	assert_int_equal(ls_doc_write(out, "./b.txt", "b", 1, 0, &path, &exists, NULL), 0);
	free(path);
	snprintf(out, sizeof out, "rm -rf %s", dir);
	assert_int_equal(system(out), 0);
}

/* ---- the context file, the rows' stacks, and the manifest's refusals ---- */

static char tmpdir[64];

static const char *
write_tmp(const char *name, const char *text)
{
	static char path[160];
	FILE *fp;

	if (tmpdir[0] == '\0') {
		strcpy(tmpdir, "/tmp/test_document.XXXXXX");
		assert_non_null(mkdtemp(tmpdir));
	}
	snprintf(path, sizeof(path), "%s/%s", tmpdir, name);
	assert_non_null(fp = fopen(path, "wb"));
	fputs(text, fp);
	assert_int_equal(fclose(fp), 0);
	return path;
}

/* Open a context (and items when given) and return the status; err's message is kept. */
static int
open_ctx(const char *yaml, const char *items, struct ls_error *err)
{
	struct ls_doc_opts o = { 0 };
	struct ls_docs *d;

	memset(err, 0, sizeof(*err));
	o.context_path = yaml ? strdup(write_tmp("ctx.yaml", yaml)) : NULL;
	o.items_path = items ? strdup(write_tmp("items.csv", items)) : NULL;
	o.key = "deal_id";
	o.now = 1795690980;
	d = ls_docs_open(&o, err);
	free((char *)o.context_path);
	free((char *)o.items_path);
	if (d != NULL) {
		ls_docs_free(d);
		return 0;
	}
	assert_true(err->status != 0 && err->msg[0] != '\0');
	return err->status;
}

static void
test_context_refused(void **state)
{
	static const struct { const char *yaml, *msg; } t[] = {
		{ "- a\n", "expected a mapping" },
		{ "vat_mode: [a]\n", "expected a string" },
		{ "vat_mode: sometimes\n", "vat_mode must be added or included, not 'sometimes'" },
		{ "date_column: {a: 1}\n", "expected a string" },
		{ "vat: lots\n", "vat: expected none, a rate or a list of {from: DATE, rate: PERCENT}, got 'lots'" },
		{ "vat: 101\n", "vat: expected none" },
		{ "vat: {from: 2020-01-01}\n", "expected a sequence" },
		{ "vat: [{from: 2020-01-01}]\n", "a vat entry needs from and rate" },
		{ "vat: [{rate: 20}]\n", "a vat entry needs from and rate" },
		{ "vat: [{from: 2020-01-01, rate: 20, to: 2021-01-01}]\n", "unknown key 'to'" },
		{ "vat: [{from: [2020], rate: 20}]\n", "expected a string" },
		{ "vat: [{from: 2020-02-30, rate: 20}]\n", "expected a date YYYY-MM-DD, got '2020-02-30'" },
		{ "vat: [{from: 2020-01-01, rate: {a: 1}}]\n", "expected a string" },
		{ "vat: [{from: 2020-01-01, rate: -1}]\n", "expected a percent 0..100, got '-1'" },
		{ "vat: [a, b]\n", "expected a mapping" },
		/* numbering: each key's own refusal, before the seller is looked at */
		{ "numbering: {file: [a]}\n", "expected a string" },
		{ "numbering: {file: ''}\n", "numbering: file: expected a file name" },
		{ "numbering: {file: n.rec, series: [a]}\n", "expected a string" },
		{ "numbering: {file: n.rec, series: \"a/b\"}\n", "numbering: series holds a control character or '/'" },
		{ "numbering: {file: n.rec, format: [a]}\n", "expected a string" },
		{ "numbering: {file: n.rec}\n", "numbering: needs seller.inn: a series is per seller" },
	};
	struct ls_error e;

	(void)state;
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		assert_int_equal(open_ctx(t[i].yaml, NULL, &e), LS_ECONFIG);
		if (strstr(e.msg, t[i].msg) == NULL)
			fail_msg("%s: got '%s', expected '%s'", t[i].yaml, e.msg, t[i].msg);
		assert_true(e.line > 0);
	}
	assert_int_equal(open_ctx("vat: none\n", NULL, &e), 0);
	assert_int_equal(open_ctx("vat: Без НДС\n", NULL, &e), 0);
	assert_int_equal(open_ctx("vat: \" - \"\n", NULL, &e), 0);
	assert_int_equal(open_ctx("vat: 20\nvat_mode: included\n", NULL, &e), 0);
	assert_int_equal(open_ctx("vat: \"12,5\"\n", NULL, &e), 0);
}

/* Items need --key, a context with vat, and their key, qty and price columns; bad values name the line. */
static void
test_items_refused(void **state)
{
	static const char ctx[] = "vat: [{from: 2019-01-01, rate: 20}]\n";
	struct ls_doc_opts o = { 0 };
	struct ls_error e;

	(void)state;
	o.items_path = write_tmp("i.csv", "deal_id,qty,price\n");
	assert_null(ls_docs_open(&o, &e));
	assert_int_equal(e.status, LS_EUSAGE);
	assert_int_equal(open_ctx("currency: RUB\n", "deal_id,qty,price\nD,1,1\n", &e), LS_ECONFIG);
	assert_non_null(strstr(e.msg, "no 'vat' in the context"));
	assert_int_equal(open_ctx(ctx, "deal_id,qty\nD,1\n", &e), LS_ECONFIG);
	assert_non_null(strstr(e.msg, "input has no column 'price' (needed by --items)"));
	assert_non_null(strstr(e.file, "items.csv"));
	assert_int_equal(open_ctx(ctx, "id,qty,price\nD,1,1\n", &e), LS_ECONFIG);
	assert_non_null(strstr(e.msg, "no column 'deal_id' (needed by --key)"));
	assert_int_equal(open_ctx(ctx, "deal_id,qty,price\nD,1,1\nD,x,1\n", &e), LS_EDATA);
	assert_int_equal(e.line, 3);
	assert_string_equal(e.msg, "qty 'x' is not a number with at most 3 decimals");
	assert_int_equal(open_ctx(ctx, "deal_id,qty,price\nD,1,1.005\n", &e), LS_EDATA);
	assert_string_equal(e.msg, "price '1.005' is not an amount with at most 2 decimals");
	assert_int_equal(open_ctx(ctx, "deal_id,qty,price,vat_rate\nD,1,1,200\n", &e), LS_EDATA);
	assert_string_equal(e.msg, "vat_rate '200' is not a percent 0..100 or none");
	assert_int_equal(open_ctx(ctx, "deal_id,qty,price\nD,1,1\nD,1,1\n\"D\",2,3\n", &e), 0);
	assert_int_equal(open_ctx(ctx, "deal_id,qty,price,vat_rate\nD,\"1,5\",\"2,50\",none\nE,1,1,10\n", &e), 0);
	assert_int_equal(open_ctx(ctx, "deal_id,qty,price\nD,1\n", &e), LS_EDATA);
	assert_int_equal(e.line, 2);
}

/* A YAML context seen from a template: booleans, null and "~" are values, quoted they are text. */
static void
test_context_values(void **state)
{
	static const char tpl[] = "{{#flag}}yes{{/flag}}|{{^off}}off{{/off}}|{{^nothing}}null{{/nothing}}|"
	    "{{^tilde}}~{{/tilde}}|{{^empty}}e{{/empty}}|{{q}}|{{#list}}[{{.}}]{{/list}}|{{m.k}}|{{client}}";
	struct ls_doc_opts o = { 0 };
	struct ls_mustache_opts mo = { 0 };
	struct ls_mustache *t;
	struct ls_buf out = { 0 };
	struct ls_mval stack[3];
	struct ls_error e;
	struct ls_docs *d;
	const struct ls_str hdr[] = { { "deal_id", 7 }, { "client", 6 } },
	    row[] = { { "D-1", 3 }, { "Acme", 4 } };

	(void)state;
	o.context_path = write_tmp("v.yaml", "flag: true\noff: false\nnothing: null\ntilde: ~\nempty:\n"
	    "q: \"true\"\nlist: [1, b]\nm: {k: v}\n");
	o.now = 1795690980;
	assert_non_null(d = ls_docs_open(&o, &e));
	assert_int_equal(ls_docs_header(d, hdr, 2, "deals.csv", &e), 0);
	assert_int_equal(ls_docs_row(d, row, 2, "deals.csv", 2, stack, &e), 3);
	assert_non_null(t = ls_mustache_parse("t", tpl, sizeof(tpl) - 1, &mo, &e));
	assert_int_equal(ls_mustache_render(t, stack, 3, &out, &e), 0);
	assert_string_equal(out.p, "yes|off|null|~|e|true|[1][b]|v|Acme");
	ls_buf_free(&out);
	ls_mustache_free(t);
	ls_docs_free(d);
}

/* A row dated before the first VAT step, or with a date that does not parse, is refused with its line. */
static void
test_row_dates(void **state)
{
	struct ls_doc_opts o = { 0 };
	struct ls_mval stack[3];
	struct ls_error e;
	struct ls_docs *d;
	const struct ls_str hdr[] = { { "deal_id", 7 }, { "date", 4 } },
	    early[] = { { "D", 1 }, { "2018-12-31", 10 } }, bad[] = { { "D", 1 }, { "31.02.2026", 10 } },
	    ok[] = { { "D", 1 }, { "26.11.2026", 10 } };

	(void)state;
	o.context_path = strdup(write_tmp("r.yaml", "vat: [{from: 2026-01-01, rate: 22}, {from: 2019-01-01, rate: 20}]\n"));
	o.items_path = strdup(write_tmp("r.csv", "deal_id,qty,price\nD,2,10.50\n"));
	o.key = "deal_id";
	o.now = 1795690980;
	assert_non_null(d = ls_docs_open(&o, &e));
	assert_int_equal(ls_docs_header(d, hdr, 2, "deals.csv", &e), 0);
	assert_int_equal(ls_docs_row(d, early, 2, "deals.csv", 2, stack, &e), -1);
	assert_int_equal(e.status, LS_EDATA);
	assert_int_equal(e.line, 2);
	assert_int_equal(ls_docs_row(d, bad, 2, "deals.csv", 3, stack, &e), -1);
	assert_int_equal(e.line, 3);
	assert_non_null(strstr(e.msg, "31.02.2026"));
	assert_int_equal(ls_docs_row(d, ok, 2, "deals.csv", 4, stack, &e), 3);
	ls_docs_free(d);
	free((char *)o.context_path);
	free((char *)o.items_path);
}

static const char mf_head[] = "doc_id,file,template,status,sha256,rendered_at,approved_by,approved_at\n";
static const char sha[] = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

static int
load_mf(const char *body, struct ls_error *err)
{
	struct ls_manifest *m;
	char text[1024];

	snprintf(text, sizeof(text), "%s%s", strncmp(body, "doc_id", 6) == 0 ? "" : mf_head, body);
	/* freed on failure: nothing for the caller to free (valgrind and ASan check) */
	if ((m = ls_manifest_load(write_tmp("m.csv", text), err)) == NULL)
		return err->status;
	ls_manifest_free(m);
	return 0;
}

static void
test_manifest_refused(void **state)
{
	char ok[300], body[700];
	struct ls_error e;

	(void)state;
	snprintf(ok, sizeof(ok), "A,a.md,t.md,approved,%s,2026-11-26T10:00:00Z,ivanov,2026-11-26T11:00:00Z\n", sha);
	assert_int_equal(load_mf(ok, &e), 0);
	assert_int_equal(load_mf("doc_id,file\nA,a.md\n", &e), LS_EDATA);
	assert_string_equal(e.msg, "not a manifest: no column 'template'");
	snprintf(body, sizeof(body), "%.*s,extra\nA,a.md,t.md,draft,,,,,x\n", (int)strlen(mf_head) - 1, mf_head);
	assert_int_equal(load_mf(body, &e), LS_EDATA);
	assert_string_equal(e.msg, "not a manifest: 9 columns, expected the 8 of doc-render");
	assert_int_equal(load_mf(",a.md,t.md,draft,,,,\n", &e), LS_EDATA);
	assert_string_equal(e.msg, "inconsistent manifest: empty doc_id");
	assert_int_equal(load_mf("A,,t.md,draft,,,,\n", &e), LS_EDATA);
	assert_string_equal(e.msg, "inconsistent manifest: A has no file");
	assert_int_equal(load_mf("A,a.md,t.md,sent,,,,\n", &e), LS_EDATA);
	assert_non_null(strstr(e.msg, "has status 'sent'"));
	assert_int_equal(load_mf("A,a.md,t.md,draft,abc,,,\n", &e), LS_EDATA);
	assert_non_null(strstr(e.msg, "not 64 hex digits"));
	/* 64 digits, one of them upper case (sha256sum writes lower case, and so does doc-render) */
	snprintf(body, sizeof(body), "A,a.md,t.md,draft,E%s,,,\n", sha + 1);
	assert_int_equal(load_mf(body, &e), LS_EDATA);
	assert_non_null(strstr(e.msg, "not 64 hex digits"));
	assert_int_equal(load_mf("A,a.md,t.md,approved,,,,\n", &e), LS_EDATA);
	assert_non_null(strstr(e.msg, "A is approved without approved_by"));
	assert_int_equal(load_mf("A,a.md,t.md,draft,,,ivanov,\n", &e), LS_EDATA);
	assert_non_null(strstr(e.msg, "is a draft but names an approver"));
	assert_int_equal(e.line, 2);
	snprintf(body, sizeof(body), "%s%s", ok, ok);
	assert_int_equal(load_mf(body, &e), LS_EDATA);
	assert_string_equal(e.msg, "inconsistent manifest: doc_id A appears twice");
	assert_int_equal(e.line, 3);
	assert_int_equal(load_mf("A,a.md,t.md,draft,,,,,\n", &e), LS_EDATA);
	/* a manifest that cannot be read: the error, and nothing left allocated (valgrind found the path leaked) */
	assert_null(ls_manifest_load("/nonexistent/m.csv", &e));
	assert_int_equal(e.status, LS_EIO);
	assert_null(ls_manifest_load(tmpdir, &e));
	assert_int_equal(e.status, LS_EIO);
}

static void
test_manifest_set(void **state)
{
	struct ls_manifest *m;
	struct ls_error e;

	(void)state;
	assert_non_null(m = ls_manifest_load(write_tmp("m.csv",
	    "doc_id,file,template,status,sha256,rendered_at,approved_by,approved_at\n"
	    "A,a.md,t.md,draft,,2026-11-26T10:00:00Z,,\n"), &e));
	assert_int_equal(ls_manifest_count(m), 1);
	assert_string_equal(ls_manifest_get(m, 0, LS_MF_FILE), "a.md");
	assert_int_equal(ls_manifest_set(m, 0, LS_MF_STATUS, "draft"), 0);
	assert_int_equal(ls_manifest_set(m, 0, LS_MF_STATUS, "approved"), 0);
	assert_string_equal(ls_manifest_get(m, 0, LS_MF_STATUS), "approved");
	/* out of range: refused, not a write past the rows */
	assert_int_equal(ls_manifest_set(m, 1, LS_MF_STATUS, "x"), LS_EUSAGE);
	assert_int_equal(ls_manifest_set(m, 0, LS_MF_NCOLS, "x"), LS_EUSAGE);
	assert_null(ls_manifest_get(m, 1, LS_MF_DOC_ID));
	assert_null(ls_manifest_get(m, 0, -1));
	assert_int_equal(ls_manifest_approved_now(m, 0), 0);
	ls_manifest_free(m);
	ls_manifest_free(NULL);
}

static int
cleanup(void **state)
{
	char cmd[128];

	(void)state;
	if (tmpdir[0] != '\0') {
		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
		if (system(cmd) != 0)
			return -1;
	}
	return 0;
}

/* What the approver's terminal is given: no control character, no direction override, raw. */
static void
test_change_shown_escaped(void **state)
{
	static const char old[] = "total 100\n";
	static const char now[] = "total 100\nacct 666\r\033[2Kacct 001 \342\200\256abc\t\001\n";
	FILE *fp = tmpfile();
	char out[512];
	size_t n;

	(void)state;
	assert_non_null(fp);
	ls_approve_print_change(fp, "D-1", "d/D-1.txt", old, sizeof old - 1, now, sizeof now - 1);
	rewind(fp);
	n = fread(out, 1, sizeof out - 1, fp);
	out[n] = '\0';
	fclose(fp);
	assert_non_null(strstr(out, "+acct 666\\r\\x1b[2Kacct 001 <U+202E>abc\t\\x01\n"));
	assert_null(strchr(out, '\r'));
	assert_null(strchr(out, '\033'));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_vat_groups),
		cmocka_unit_test(test_vat_added),
		cmocka_unit_test(test_vat_included),
		cmocka_unit_test(test_vat_negative_and_empty),
		cmocka_unit_test(test_vat_overflow),
		cmocka_unit_test(test_rate_format),
		cmocka_unit_test(test_doc_write_names),
		cmocka_unit_test(test_context_refused),
		cmocka_unit_test(test_items_refused),
		cmocka_unit_test(test_context_values),
		cmocka_unit_test(test_row_dates),
		cmocka_unit_test(test_manifest_refused),
		cmocka_unit_test(test_manifest_set),
		cmocka_unit_test(test_change_shown_escaped),
	};
	return cmocka_run_group_tests(tests, NULL, cleanup);
}
