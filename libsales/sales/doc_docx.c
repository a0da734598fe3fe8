/*
 * doc_docx.c - doc-render's .docx templates (doc_int.h's ls_doc_docx_*):
 * the package read once (io/docx.h), each text part's XML made a Mustache
 * template (ls_docx_prepare()) and parsed with the run's options but
 * Word's escaping (escape.h's LS_ESC_WORDML) and no partials; per document
 * each part rendered with the row's context stack and the package written
 * back (ls_docx_write()) with the template's own entry times, so that the
 * same template and data make the same bytes, hash included.
 */
#include <stdlib.h>
#include <string.h>

#include "docx.h"
#include "doc_int.h"

struct ls_doc_docx {
	struct ls_docx *pkg;
	struct ls_mustache **tpl;	/* per part; NULL for a part copied as read */
	struct ls_buf *out;		/* per part: the rendered XML */
	size_t n;
};

int
ls_doc_is_docx(const char *path)
{
	size_t n = strlen(path);

	return n > 5 && strcmp(path + n - 5, ".docx") == 0;
}

struct ls_doc_docx *
ls_doc_docx_open(const char *path, const struct ls_mustache_opts *o, struct ls_error *err)
{
	struct ls_doc_docx *x = calloc(1, sizeof *x);
	struct ls_mustache_opts mo = *o;
	struct ls_buf xml = { 0 }, name = { 0 };

	if (x == NULL) {
		ls_error_set(err, LS_ENOMEM, NULL, 0, 0, "out of memory");
		return NULL;
	}
	if ((x->pkg = ls_docx_open(path, err)) == NULL)
		goto fail;
	x->n = ls_docx_nparts(x->pkg);
	if ((x->tpl = calloc(x->n ? x->n : 1, sizeof *x->tpl)) == NULL ||
	    (x->out = calloc(x->n ? x->n : 1, sizeof *x->out)) == NULL) {
		ls_error_set(err, LS_ENOMEM, NULL, 0, 0, "out of memory");
		goto fail;
	}
	/* values are text in a run, whatever --escape says; a {{>partial}} renders nothing */
	mo.escape = LS_ESC_WORDML;
	mo.load = NULL;
	mo.load_ctx = NULL;
	for (size_t i = 0; i < x->n; i++) {
		const char *part = ls_docx_part_name(x->pkg, i), *data;
		size_t dn;

		if (!ls_docx_part_templated(x->pkg, i))
			continue;
		data = ls_docx_part_data(x->pkg, i, &dn);
		xml.n = name.n = 0;
		if (ls_docx_prepare(path, part, data, dn, &xml, err) != 0)
			goto fail;
		if (ls_buf_printf(&name, "%s:%s", path, part) != 0) {
			ls_error_set(err, LS_ENOMEM, NULL, 0, 0, "out of memory");
			goto fail;
		}
		if ((x->tpl[i] = ls_mustache_parse(name.p, xml.n ? xml.p : "", xml.n, &mo, err)) == NULL)
			goto fail;
	}
	ls_buf_free(&xml);
	ls_buf_free(&name);
	return x;
fail:
	ls_buf_free(&xml);
	ls_buf_free(&name);
	ls_doc_docx_free(x);
	return NULL;
}

int
ls_doc_docx_render(struct ls_doc_docx *x, const struct ls_mval *stack, size_t depth,
    struct ls_buf *out, struct ls_error *err)
{
	int rc;

	for (size_t i = 0; i < x->n; i++) {
		if (x->tpl[i] == NULL)
			continue;
		x->out[i].n = 0;
		if ((rc = ls_mustache_render(x->tpl[i], stack, depth, &x->out[i], err)) != 0)
			return rc;
	}
	return ls_docx_write(x->pkg, x->out, -1, out, err);
}

void
ls_doc_docx_free(struct ls_doc_docx *x)
{
	if (x == NULL)
		return;
	for (size_t i = 0; i < x->n; i++) {
		if (x->tpl)
			ls_mustache_free(x->tpl[i]);
		if (x->out)
			ls_buf_free(&x->out[i]);
	}
	free(x->tpl);
	free(x->out);
	ls_docx_free(x->pkg);
	free(x);
}
