/*
 * test_escape.c - escape.h: each format's characters and only those, a
 * run of plain text kept whole between them, the escaping a template's file
 * name asks for, and --escape's words.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "escape.h"

static void
expect(enum ls_escape esc, const char *in, const char *want)
{
	struct ls_buf b = { 0 };

	assert_int_equal(ls_escape_put(&b, in, strlen(in), esc), 0);
	assert_int_equal(ls_buf_put(&b, "", 0), 0);	/* terminated even when nothing was added */
	assert_string_equal(b.p, want);
	ls_buf_free(&b);
}

static void
test_formats(void **state)
{
	(void)state;
	expect(LS_ESC_HTML, "a&b<c>d\"e'f\\g{h}", "a&amp;b&lt;c&gt;d&quot;e&#39;f\\g{h}");
	expect(LS_ESC_LATEX, "\\{}$&#%_~^<>\"'", "\\textbackslash{}\\{\\}\\$\\&\\#\\%\\_"
	    "\\textasciitilde{}\\textasciicircum{}<>\"'");
	expect(LS_ESC_NONE, "<&>\n\t", "<&>\n\t");
	/* Word's run text: entities as XML wants them; a line break and a tab are their own elements */
	expect(LS_ESC_WORDML, "«ООО \"Альфа\" & Co's»\r\nул. Ленина\t5 <a>",
	    "«ООО &quot;Альфа&quot; &amp; Co&apos;s»</w:t><w:br/><w:t xml:space=\"preserve\">"
	    "ул. Ленина</w:t><w:tab/><w:t xml:space=\"preserve\">5 &lt;a&gt;");
	expect(LS_ESC_WORDML, "", "");
	expect(LS_ESC_HTML, "plain", "plain");
}

static void
test_for_path(void **state)
{
	static const struct { const char *path; enum ls_escape want; } c[] = {
		{ "invoice.html", LS_ESC_HTML },
		{ "dir.x/invoice.htm", LS_ESC_HTML },
		{ "invoice.html.mustache", LS_ESC_HTML },
		{ "templates/contract.tex.mustache", LS_ESC_LATEX },
		{ "contract.docx", LS_ESC_WORDML },
		{ "contract.md", LS_ESC_NONE },
		{ "contract.mustache", LS_ESC_NONE },	/* nothing left after .mustache but a name */
		{ ".mustache", LS_ESC_NONE },
		{ ".html", LS_ESC_NONE },		/* a name that starts with a dot, no extension */
		{ "dir.html/README", LS_ESC_NONE },	/* a folder's dot is not the file's */
		{ "a.HTML", LS_ESC_NONE },
		{ "a.htmlx", LS_ESC_NONE },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		enum ls_escape got = ls_escape_for_path(c[i].path);

		if (got != c[i].want)
			fail_msg("'%s': %d, want %d", c[i].path, (int)got, (int)c[i].want);
	}
}

static void
test_parse(void **state)
{
	enum ls_escape e = LS_ESC_WORDML;

	(void)state;
	assert_int_equal(ls_escape_parse("html", &e), 0);
	assert_int_equal(e, LS_ESC_HTML);
	assert_int_equal(ls_escape_parse("latex", &e), 0);
	assert_int_equal(e, LS_ESC_LATEX);
	assert_int_equal(ls_escape_parse("none", &e), 0);
	assert_int_equal(e, LS_ESC_NONE);
	/* docx is chosen by the template's name only, never by the word */
	assert_int_equal(ls_escape_parse("docx", &e), -1);
	assert_int_equal(ls_escape_parse("HTML", &e), -1);
	assert_int_equal(ls_escape_parse("", &e), -1);
	assert_int_equal(e, LS_ESC_NONE);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_formats),
		cmocka_unit_test(test_for_path),
		cmocka_unit_test(test_parse),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
