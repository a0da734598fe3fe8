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
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

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
	/* the XML itself: each way of leaving a construct open, named */
	want_error(DOC(P(R("x"))) "<?pi", "unclosed processing instruction");
	want_error(DOC(P(R("x"))) "<!-- note", "unclosed comment");
	want_error(DOC(P("<w:r><w:t><![CDATA[x</w:t></w:r>")), "unclosed CDATA section");
	want_error(DOC(P(R("a < b"))), "malformed XML: '<' not starting a tag");
	want_error(DOC(P(R("x"))) "<w:p attr=\"v", "malformed XML: unclosed tag");
	want_error("<?xml version=\"1.0\"?><w:document><w:body>" P(R("x")), "an element is not closed");
	/* an unclosed triple tag, cut where a UTF-8 character begins, not inside it */
	want_error(DOC(P(R("Клиент {{{клиент_полное_наименование_организации"))),
	    "tag not closed by the end of its paragraph: '{{{клиент_полное_наиме'");
}

/* Comments, processing instructions and CDATA are passed over; a triple tag split across runs is joined. */
static void
test_xml_passed_over(void **state)
{
	char *out;

	(void)state;
	out = render(DOC("<!-- a <w:p> in a comment -->" "<?mso-application progid=\"Word.Document\"?>"
	    P(R("[{{{na") R("me}}}]") "<w:r><w:t><![CDATA[a<b]]></w:t></w:r>")));
	assert_non_null(strstr(out, "<!-- a <w:p> in a comment -->"));
	assert_non_null(strstr(out, "<?mso-application progid=\"Word.Document\"?>"));
	assert_non_null(strstr(out, "[Z"));
	assert_null(strstr(out, "{{"));
	assert_non_null(strstr(out, "<![CDATA[a<b]]>"));
	free(out);
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
		size_t n = strlen(files[i]);
		zip_source_t *s;

		/* a name ending in '/' is a folder entry, as Word's packages may hold */
		if (n > 0 && files[i][n - 1] == '/') {
			assert_true(zip_dir_add(z, files[i], 0) >= 0);
			continue;
		}
		s = zip_source_buffer(z, files[i + 1], strlen(files[i + 1]), 0);
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

/* A part whose bytes were spoiled in the archive: refused with the part's name and libzip's word. */
static void
test_broken_part(void **state)
{
	/* a few bytes that deflate does not shrink: libzip stores them as they are */
	static const char *const files[] = {
		"word/document.xml", DOC(P(R("x"))), "word/media/x.bin", "SPOIL#q7Zk", NULL
	};
	struct ls_buf zip = make_zip(files);
	struct ls_error err = { 0 };
	char *p;

	(void)state;
	for (p = zip.p; p + 5 <= zip.p + zip.n && memcmp(p, "SPOIL", 5) != 0; p++)
		;
	assert_true(p + 5 <= zip.p + zip.n);
	p[0] = 'Z';
	assert_null(ls_docx_open_mem("t.docx", zip.p, zip.n, &err));
	assert_int_equal(err.status, LS_ECONFIG);
	assert_string_equal(err.file, "t.docx");
	assert_string_equal(err.msg, "word/media/x.bin: broken archive: CRC error");
	ls_buf_free(&zip);
}

/*
 * A section's tags with blanks inside ({{# items }}) are moved out of
 * their paragraphs like any, the text beside them going with the paragraph
 * (before the opening one, after the closing one: inside the section);
 * "{{ #items}}" is a variable to Mustache (its sigil must follow the
 * braces), so it stays where it is; a section tag longer than any name is
 * refused.
 */
static void
test_section_tags(void **state)
{
	struct ls_error err = { 0 };
	char *t, *big;
	size_t n = 5000;

	(void)state;
	t = prep(DOC(P(R("Items: {{# items }}")) P(R("{{n}}")) P(R("{{/ items }} end"))), 0, &err);
	assert_string_equal(t, "<?xml version=\"1.0\"?><w:document><w:body>{{# items }}"
	    P(R("Items: ")) P("<w:r><w:t xml:space=\"preserve\">{{n}}</w:t></w:r>") P(R(" end"))
	    "{{/ items }}</w:body></w:document>");
	free(t);
	t = prep(DOC(P(R("Items: {{ #items}}"))), 0, &err);
	assert_string_equal(t, DOC(P("<w:r><w:t xml:space=\"preserve\">Items: {{ #items}}</w:t></w:r>")));
	free(t);
	{
		struct ls_buf b = { 0 };

		assert_non_null(big = malloc(n + 1));
		memset(big, 'a', n);
		big[n] = '\0';
		assert_int_equal(ls_buf_printf(&b, DOC(P(R("{{#%s}}")) P(R("{{/%s}}"))), big, big), 0);
		want_error(b.p, "tag too long");
		ls_buf_free(&b);
		free(big);
	}
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

/* The modification time of part i of the zip in buf, as libzip reads it. */
static time_t
part_mtime(const struct ls_buf *buf, zip_uint64_t i)
{
	zip_error_t ze;
	zip_source_t *src;
	zip_stat_t st;
	zip_t *z;

	zip_error_init(&ze);
	src = zip_source_buffer_create(buf->p, buf->n, 0, &ze);
	assert_non_null(src);
	z = zip_open_from_source(src, ZIP_RDONLY, &ze);
	assert_non_null(z);
	zip_stat_init(&st);
	assert_int_equal(zip_stat_index(z, i, 0, &st), 0);
	assert_true(st.valid & ZIP_STAT_MTIME);
	zip_discard(z);
	zip_error_fini(&ze);
	return st.mtime;
}

/*
 * A folder entry is kept as a folder (no data, never templated); the
 * parts' times are the one given, and never before 1980, zip's first year.
 */
static void
test_container_folders_and_times(void **state)
{
	static const char *const files[] = {
		"word/", "",
		"word/document.xml", DOC(P(R("{{x}}"))),
		NULL
	};
	struct ls_buf zip = make_zip(files), parts[2] = { { 0 } }, a = { 0 }, b = { 0 };
	struct ls_error err = { 0 };
	struct ls_docx *d, *back;
	size_t n = 99;

	(void)state;
	d = ls_docx_open_mem("t.docx", zip.p, zip.n, &err);
	assert_non_null(d);
	assert_int_equal(ls_docx_nparts(d), 2);
	assert_string_equal(ls_docx_part_name(d, 0), "word/");
	assert_false(ls_docx_part_templated(d, 0));
	assert_string_equal(ls_docx_part_data(d, 0, &n), "");
	assert_int_equal(n, 0);
	assert_null(ls_docx_part_name(d, 2));
	assert_false(ls_docx_part_templated(d, 2));
	assert_string_equal(ls_docx_part_data(d, 2, &n), "");
	assert_int_equal(n, 0);
	ls_buf_puts(&parts[1], "NEW");
	/* 2026-12-01T00:00:00Z, and 1970, which zip cannot say: 1980-01-01 */
	assert_int_equal(ls_docx_write(d, parts, 1796083200, &a, &err), 0);
	assert_int_equal(ls_docx_write(d, parts, 0, &b, &err), 0);
	back = ls_docx_open_mem("out.docx", a.p, a.n, &err);
	assert_non_null(back);
	assert_int_equal(ls_docx_nparts(back), 2);
	assert_string_equal(ls_docx_part_name(back, 0), "word/");
	assert_false(ls_docx_part_templated(back, 0));
	assert_memory_equal(ls_docx_part_data(back, 1, &n), "NEW", 3);
	/* zip keeps local time in 2-second steps: compared within a day */
	assert_true(labs((long)(part_mtime(&a, 1) - 1796083200)) <= 86400);
	assert_true(labs((long)(part_mtime(&b, 1) - 315532800)) <= 86400);
	ls_docx_free(back);
	ls_docx_free(d);
	ls_buf_free(&parts[1]);
	ls_buf_free(&a);
	ls_buf_free(&b);
	ls_buf_free(&zip);
}

/* More parts than a package may hold, and parts whose sum passes the bound, are refused. */
static void
test_container_limits(void **state)
{
	size_t np = LS_DOCX_PARTS_MAX + 1, big = 60u << 20;
	const char **files = calloc(2 * np + 1, sizeof *files);
	char (*names)[24] = calloc(np, sizeof *names);
	char *spaces = malloc(big + 1);
	struct ls_error err = { 0 };
	struct ls_buf zip;

	(void)state;
	assert_non_null(files);
	assert_non_null(names);
	assert_non_null(spaces);
	files[0] = "word/document.xml";
	files[1] = DOC(P(R("x")));
	for (size_t i = 1; i < np; i++) {
		snprintf(names[i], sizeof names[i], "word/media/%zu.txt", i);
		files[2 * i] = names[i];
		files[2 * i + 1] = "x";
	}
	zip = make_zip(files);
	assert_null(ls_docx_open_mem("many.docx", zip.p, zip.n, &err));
	assert_int_equal(err.status, LS_ECONFIG);
	assert_string_equal(err.file, "many.docx");
	assert_non_null(strstr(err.msg, "too many parts in the package"));
	ls_buf_free(&zip);

	/* five parts of 60 MiB: each under the part's bound, 300 MiB together */
	memset(spaces, ' ', big);
	spaces[big] = '\0';
	for (size_t i = 1; i <= 5; i++)
		files[2 * i + 1] = spaces;
	files[12] = NULL;
	zip = make_zip(files);
	assert_null(ls_docx_open_mem("big.docx", zip.p, zip.n, &err));
	assert_int_equal(err.status, LS_ECONFIG);
	assert_non_null(strstr(err.msg, "word/media/5.txt: more than 256 MiB uncompressed (a zip bomb?)"));
	ls_buf_free(&zip);
	free(spaces);
	free(names);
	free(files);
}

/* A template that is missing or no zip, read from its path. */
static void
test_open_file_errors(void **state)
{
	char dir[] = "/tmp/test_docx.XXXXXX", path[64];
	struct ls_error err = { 0 };
	FILE *fp;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/none.docx", dir);
	assert_null(ls_docx_open(path, &err));
	assert_int_equal(err.status, LS_EIO);
	assert_string_equal(err.file, path);
	snprintf(path, sizeof path, "%s/text.docx", dir);
	fp = fopen(path, "w");
	assert_non_null(fp);
	fputs("Договор поставки\n", fp);
	fclose(fp);
	assert_null(ls_docx_open(path, &err));
	assert_int_equal(err.status, LS_ECONFIG);
	assert_non_null(strstr(err.msg, "not a .docx file (not a zip archive)"));
	unlink(path);
	rmdir(dir);
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
		cmocka_unit_test(test_xml_passed_over),
		cmocka_unit_test(test_container),
		cmocka_unit_test(test_container_errors),
		cmocka_unit_test(test_zip_bomb),
		cmocka_unit_test(test_section_tags),
		cmocka_unit_test(test_broken_part),
		cmocka_unit_test(test_container_folders_and_times),
		cmocka_unit_test(test_container_limits),
		cmocka_unit_test(test_open_file_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
