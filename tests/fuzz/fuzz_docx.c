/*
 * fuzz_docx.c - libFuzzer target for a .docx text part's XML
 * (io/docx.h's ls_docx_prepare()): any input is prepared; when it is, the
 * template made of it is parsed and rendered with no values, as doc-render
 * would, and the same input must prepare to the same bytes again.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "docx.h"
#include "mustache.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ls_mustache_opts o = { .escape = LS_ESC_WORDML };
	struct ls_buf a = { 0 }, b = { 0 }, out = { 0 };
	struct ls_error err;
	struct ls_mustache *t;

	if (ls_docx_prepare("f.docx", "word/document.xml", (const char *)data, size, &a, &err) != 0) {
		ls_buf_free(&a);
		return 0;
	}
	if (ls_docx_prepare("f.docx", "word/document.xml", (const char *)data, size, &b, &err) != 0 ||
	    a.n != b.n || (a.n && memcmp(a.p, b.p, a.n) != 0))
		abort();
	if ((t = ls_mustache_parse("f", a.n ? a.p : "", a.n, &o, &err)) != NULL) {
		(void)ls_mustache_render(t, NULL, 0, &out, &err);
		ls_mustache_free(t);
	}
	ls_buf_free(&a);
	ls_buf_free(&b);
	ls_buf_free(&out);
	return 0;
}
