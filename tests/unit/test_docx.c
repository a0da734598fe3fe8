/*
 * test_docx.c - .docx templates: the XML step (io/docx.h's
 * ls_docx_prepare(): split tags joined, row and paragraph sections
 * widened), rendering it with Word's escaping, the container read and
 * written back (the same bytes twice), and the errors.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <zip.h>

#include "docx.h"
#include "mustache.h"

#define P(x)	"<w:p>" x "</w:p>"
#define R(t)	"<w:r><w:t>" t "</w:t></w:r>"
#define DOC(x)	"<?xml version=\"1.0\"?><w:document><w:body>" x "</w:body></w:document>"

/* The template ls_docx_prepare() makes of xml. */
static char *
prep(const char *xml, int want_rc, struct ls_error *err)
{
	struct ls_buf out = { 0 };
	int rc = ls_docx_prepare("t.docx", "word/document.xml", xml, strlen(xml), &out, err);

	assert_int_equal(rc, want_rc);
	if (rc != 0) {
		ls_buf_free(&out);
		return NULL;
	}
	return out.p ? out.p : strdup("");
}

/* A map of string values: "k=v" pairs, then a list "items" of maps of "n". */
struct kv {
	const char *const *pairs;
};

static int
kv_get(const void *obj, const char *name, size_t n, struct ls_mval *out)
{
	const struct kv *m = obj;

	for (size_t i = 0; m->pairs[i]; i++) {
		const char *eq = strchr(m->pairs[i], '=');

		if ((size_t)(eq - m->pairs[i]) == n && memcmp(m->pairs[i], name, n) == 0) {
			*out = ls_mval_str(eq + 1, strlen(eq + 1));
			return 1;
		}
	}
	return 0;
}

static const struct ls_mval_ops kv_ops = { kv_get, NULL, NULL };

static const char *const item_pairs[][2] = { { "n=1", NULL }, { "n=2", NULL } };
static const struct kv items[] = { { item_pairs[0] }, { item_pairs[1] } };

static size_t
list_len(const void *obj)
{
	(void)obj;
	return 2;
}

static void
list_at(const void *obj, size_t i, struct ls_mval *out)
{
	(void)obj;
	*out = ls_mval_obj(LS_MV_MAP, &kv_ops, &items[i]);
}

static const struct ls_mval_ops list_ops = { NULL, list_len, list_at };

static int
top_get(const void *obj, const char *name, size_t n, struct ls_mval *out)
{
	if (n == 5 && memcmp(name, "items", 5) == 0) {
		*out = ls_mval_obj(LS_MV_LIST, &list_ops, NULL);
		return 1;
	}
	return kv_get(obj, name, n, out);
}

static const struct ls_mval_ops top_ops = { top_get, NULL, NULL };

/* xml prepared and rendered with Word's escaping. */
static char *
render(const char *xml)
{
	static const char *const pairs[] = { "client=ООО «Б & К» <x>", "addr=a\nb", "name=Z", NULL };
	struct kv top = { pairs };
	struct ls_mval v = ls_mval_obj(LS_MV_MAP, &top_ops, &top);
	struct ls_mustache_opts o = { .escape = LS_ESC_WORDML };
	struct ls_error err = { 0 };
	struct ls_buf out = { 0 };
	struct ls_mustache *t;
	char *tpl = prep(xml, 0, &err);

	t = ls_mustache_parse("t", tpl, strlen(tpl), &o, &err);
	assert_non_null(t);
	assert_int_equal(ls_mustache_render(t, &v, 1, &out, &err), 0);
	ls_mustache_free(t);
	free(tpl);
	return out.p ? out.p : strdup("");
}

/* Word's split: the tag's text goes to the run where it starts, proofErr and bookmarks kept. */
static void
test_split_tag(void **state)
{
	struct ls_error err = { 0 };
	char *t;

	(void)state;
	t = prep(DOC(P(R("Дата: {{cli") "<w:proofErr w:type=\"spellStart\"/><w:bookmarkStart w:id=\"0\"/>"
	    "<w:r><w:rPr><w:b/></w:rPr><w:t>ent</w:t></w:r>" R("}} и {{na") R("me}}."))), 0, &err);
	assert_string_equal(t, DOC(P("<w:r><w:t xml:space=\"preserve\">Дата: {{client}}</w:t></w:r>"
	    "<w:proofErr w:type=\"spellStart\"/><w:bookmarkStart w:id=\"0\"/>"
	    "<w:r><w:rPr><w:b/></w:rPr><w:t></w:t></w:r>"
	    "<w:r><w:t xml:space=\"preserve\"> и {{name}}</w:t></w:r>" R("."))));
	free(t);
}

/* A text box's paragraph inside a paragraph: each paragraph's tags are its own. */
static void
test_text_box(void **state)
{
	struct ls_error err = { 0 };
	char *t;

	(void)state;
	t = prep(DOC(P(R("{{a") "<w:r><w:pict><w:txbxContent>" P(R("{{b}}")) "</w:txbxContent></w:pict></w:r>"
	    R("}}!"))), 0, &err);
	assert_string_equal(t, DOC(P("<w:r><w:t xml:space=\"preserve\">{{a}}</w:t></w:r>"
	    "<w:r><w:pict><w:txbxContent>" P("<w:r><w:t xml:space=\"preserve\">{{b}}</w:t></w:r>")
	    "</w:txbxContent></w:pict></w:r>" R("!"))));
	free(t);
}

/* A section in one table row repeats the row; values escaped, a newline a <w:br/>. */
static void
test_row_loop(void **state)
{
	char *t;

	(void)state;
	t = render(DOC("<w:tbl><w:tr><w:tc>" P(R("{{#items}}{{n}}")) "</w:tc><w:tc>" P(R("{{name}}{{/items}}"))
	    "</w:tc></w:tr></w:tbl>" P(R("{{client}}|{{addr}}"))));
	assert_string_equal(t, DOC("<w:tbl>"
	    "<w:tr><w:tc>" P("<w:r><w:t xml:space=\"preserve\">1</w:t></w:r>") "</w:tc><w:tc>"
	    P("<w:r><w:t xml:space=\"preserve\">Z</w:t></w:r>") "</w:tc></w:tr>"
	    "<w:tr><w:tc>" P("<w:r><w:t xml:space=\"preserve\">2</w:t></w:r>") "</w:tc><w:tc>"
	    P("<w:r><w:t xml:space=\"preserve\">Z</w:t></w:r>") "</w:tc></w:tr>"
	    "</w:tbl>"
	    P("<w:r><w:t xml:space=\"preserve\">ООО «Б &amp; К» &lt;x&gt;|a</w:t><w:br/>"
	    "<w:t xml:space=\"preserve\">b</w:t></w:r>")));
	free(t);
}

/* A section from one row to a later row of the same table repeats those rows together. */
static void
test_rows_loop(void **state)
{
	char *t;

	(void)state;
	t = render(DOC("<w:tbl><w:tr><w:tc>" P(R("head")) "</w:tc></w:tr>"
	    "<w:tr><w:tc>" P(R("{{#items}}№ {{n}}")) "</w:tc></w:tr>"
	    "<w:tr><w:tc>" P(R("{{name}}{{/items}}")) "</w:tc></w:tr>"
	    "<w:tr><w:tc>" P(R("total")) "</w:tc></w:tr></w:tbl>"));
	assert_string_equal(t, DOC("<w:tbl><w:tr><w:tc>" P(R("head")) "</w:tc></w:tr>"
	    "<w:tr><w:tc>" P("<w:r><w:t xml:space=\"preserve\">№ 1</w:t></w:r>") "</w:tc></w:tr>"
	    "<w:tr><w:tc>" P("<w:r><w:t xml:space=\"preserve\">Z</w:t></w:r>") "</w:tc></w:tr>"
	    "<w:tr><w:tc>" P("<w:r><w:t xml:space=\"preserve\">№ 2</w:t></w:r>") "</w:tc></w:tr>"
	    "<w:tr><w:tc>" P("<w:r><w:t xml:space=\"preserve\">Z</w:t></w:r>") "</w:tc></w:tr>"
	    "<w:tr><w:tc>" P(R("total")) "</w:tc></w:tr></w:tbl>"));
	free(t);
}

/* Paragraphs between a section's tags repeat; the tags' own paragraphs go. */
static void
test_paragraph_loop(void **state)
{
	char *t;

	(void)state;
	t = render(DOC(P(R("{{#items}}")) P(R("Строка {{n}}")) P(R("{{/items}}")) P(R("{{^items}}нет{{/items}}"))));
	assert_string_equal(t, DOC(P("<w:r><w:t xml:space=\"preserve\">Строка 1</w:t></w:r>")
	    P("<w:r><w:t xml:space=\"preserve\">Строка 2</w:t></w:r>")
	    P("<w:r><w:t xml:space=\"preserve\"></w:t></w:r>")));
	free(t);
}

static void
want_error(const char *xml, const char *msg)
{
	struct ls_error err = { 0 };

	assert_null(prep(xml, LS_ECONFIG, &err));
	if (strstr(err.msg, msg) == NULL)
		fail_msg("'%s' does not hold '%s'", err.msg, msg);
	assert_string_equal(err.file, "t.docx");
}

static void
test_errors(void **state)
{
	(void)state;
	want_error(DOC(P(R("{{#items}}")) P(R("x"))), "word/document.xml: section {{#items}} is not closed");
	want_error(DOC(P(R("Клиент {{cli")) P(R("ent}}"))), "tag not closed by the end of its paragraph: '{{cli'");
	want_error(DOC(P(R("{{/items}}"))), "{{/items}} closes no section");
	want_error(DOC(P(R("{{#a}}{{/b}}"))), "{{/b}} closes {{#a}}");
	want_error("<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY a \"aaaa\">]><w:document/>",
	    "DOCTYPE or entity declaration: refused");
	want_error(DOC(P(R("x"))"</w:p>"), "malformed XML");
	want_error(DOC("<w:tbl><w:tr><w:tc>" P(R("{{#a}}")) "</w:tc></w:tr></w:tbl>" P(R("{{/a}}"))),
	    "section {{#a}} opens and closes in different places");
	want_error(DOC(P(R("{{=&lt;% %&gt;=}}"))), "delimiter changes are not supported");
	want_error(DOC(P(R("{{&gt; letterhead}}"))), "{{> letterhead}}: partials are not supported");
	/* rows of two tables: no row range to repeat */
	want_error(DOC("<w:tbl><w:tr><w:tc>" P(R("{{#a}}")) "</w:tc></w:tr></w:tbl>"
	    "<w:tbl><w:tr><w:tc>" P(R("{{/a}}")) "</w:tc></w:tr></w:tbl>"),
	    "section {{#a}} opens and closes in different places");
	/* a field code's instruction and an attribute are not run text */
	want_error(DOC(P("<w:r><w:instrText> HYPERLINK \"{{url}}\" </w:instrText></w:r>" R("site"))),
	    "a tag outside the text of a run (in a field code or an attribute): not supported (byte");
	want_error(DOC("<w:p w:rsidR=\"{{x}}\">" R("a") "</w:p>"), "a tag outside the text of a run");
}

/* A zip of the given name/content pairs, in memory. */
static struct ls_buf
make_zip(const char *const *files)
{
	struct ls_buf out = { 0 };
	zip_error_t ze;
	zip_source_t *mem;
	zip_t *z;

	zip_error_init(&ze);
	mem = zip_source_buffer_create(NULL, 0, 0, &ze);
	zip_source_keep(mem);
	z = zip_open_from_source(mem, ZIP_TRUNCATE, &ze);
	assert_non_null(z);
	for (size_t i = 0; files[i]; i += 2) {
		zip_source_t *s = zip_source_buffer(z, files[i + 1], strlen(files[i + 1]), 0);

		assert_true(zip_file_add(z, files[i], s, 0) >= 0);
	}
	assert_int_equal(zip_close(z), 0);
	assert_int_equal(zip_source_open(mem), 0);
	for (;;) {
		char b[4096];
		zip_int64_t got = zip_source_read(mem, b, sizeof b);

		if (got <= 0)
			break;
		assert_int_equal(ls_buf_put(&out, b, (size_t)got), 0);
	}
	zip_source_close(mem);
	zip_source_free(mem);
	zip_error_fini(&ze);
	return out;
}

/* Parts other than the text ones come back byte for byte; the output is the same twice. */
static void
test_container(void **state)
{
	static const char *const files[] = {
		"[Content_Types].xml", "<Types/>",
		"word/document.xml", DOC(P(R("{{x}}"))),
		"word/header1.xml", "<w:hdr/>",
		"word/media/image1.png", "\x89PNG bytes",
		NULL
	};
	struct ls_buf zip = make_zip(files), parts[4] = { { 0 } }, a = { 0 }, b = { 0 };
	struct ls_error err = { 0 };
	struct ls_docx *d, *back;
	size_t n;

	(void)state;
	d = ls_docx_open_mem("t.docx", zip.p, zip.n, &err);
	assert_non_null(d);
	assert_int_equal(ls_docx_nparts(d), 4);
	assert_true(ls_docx_part_templated(d, 1));
	assert_true(ls_docx_part_templated(d, 2));
	assert_false(ls_docx_part_templated(d, 3));
	ls_buf_puts(&parts[1], "NEW");
	ls_buf_puts(&parts[2], "HDR");
	assert_int_equal(ls_docx_write(d, parts, -1, &a, &err), 0);
	assert_int_equal(ls_docx_write(d, parts, -1, &b, &err), 0);
	assert_int_equal(a.n, b.n);
	assert_memory_equal(a.p, b.p, a.n);
	back = ls_docx_open_mem("out.docx", a.p, a.n, &err);
	assert_non_null(back);
	assert_string_equal(ls_docx_part_name(back, 0), "[Content_Types].xml");
	assert_memory_equal(ls_docx_part_data(back, 1, &n), "NEW", 3);
	assert_memory_equal(ls_docx_part_data(back, 3, &n), "\x89PNG bytes", n);
	assert_int_equal(n, 10);
	ls_docx_free(back);
	ls_docx_free(d);
	for (int i = 0; i < 4; i++)
		ls_buf_free(&parts[i]);
	ls_buf_free(&a);
	ls_buf_free(&b);
	ls_buf_free(&zip);
}

static void
test_container_errors(void **state)
{
	static const char *const nodoc[] = { "[Content_Types].xml", "<Types/>", NULL };
	struct ls_buf zip = make_zip(nodoc);
	struct ls_error err = { 0 };

	(void)state;
	assert_null(ls_docx_open_mem("a.docx", "PK not really", 13, &err));
	assert_int_equal(err.status, LS_ECONFIG);
	assert_non_null(strstr(err.msg, "not a .docx file"));
	assert_null(ls_docx_open_mem("b.docx", zip.p, zip.n, &err));
	assert_string_equal(err.file, "b.docx");
	assert_non_null(strstr(err.msg, "no word/document.xml"));
	ls_buf_free(&zip);
}

/* A part inflating past the bound is refused, whatever its header says. */
static void
test_zip_bomb(void **state)
{
	size_t big = LS_DOCX_PART_MAX + 10;
	char *zeros = calloc(1, big + 1);
	const char *files[] = { "word/document.xml", NULL, NULL };
	struct ls_error err = { 0 };
	struct ls_buf zip;

	(void)state;
	assert_non_null(zeros);
	memset(zeros, ' ', big);
	files[1] = zeros;
	zip = make_zip(files);
	free(zeros);
	assert_true(zip.n < 1 << 20);
	assert_null(ls_docx_open_mem("bomb.docx", zip.p, zip.n, &err));
	assert_non_null(strstr(err.msg, "word/document.xml: more than 64 MiB uncompressed"));
	ls_buf_free(&zip);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_split_tag),
		cmocka_unit_test(test_text_box),
		cmocka_unit_test(test_row_loop),
		cmocka_unit_test(test_rows_loop),
		cmocka_unit_test(test_paragraph_loop),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_container),
		cmocka_unit_test(test_container_errors),
		cmocka_unit_test(test_zip_bomb),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
