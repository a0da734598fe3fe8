/*
 * doc_render.c - one doc-render run (document.h's ls_render_*): the
 * template and the --name pattern parsed once, then per row its context,
 * the document, its file name, both checked for uniqueness, the file
 * written and its draft row added to the manifest.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "clock.h"
#include "doc_int.h"
#include "sha256.h"
#include "util.h"

struct ls_render {
	const char *tpath, *dir, *id_col;
	const char *ext;		/* the template's extension, for default names */
	char extbuf[256];
	int force;
	struct ls_mustache *tpl, *name_tpl;
	struct ls_doc_docx *docx;	/* a .docx template (doc_docx.c), instead of tpl */
	struct ls_docs *docs;
	const struct ls_str *hdr;	/* the rows' header */
	struct ls_writer *manifest;	/* borrowed: where the draft rows go */
	struct ls_doc_rules *rules;	/* the context's approval rules (doc_rules.c), or NULL */
	struct ls_doc_target *target;	/* -m: the manifest file rendered into (doc_target.c), or NULL */
	long id;			/* doc_id's column */
	struct ls_keyset *ids, *names;	/* value: the line that had it first */
	struct ls_buf doc, name;
	char rendered_at[LS_TIME_BUFSZ];
	char **written;			/* paths, for ls_render_sync() */
	size_t nwritten, capwritten;
	unsigned long kept;
};

/* The template's own extension without ".mustache": ".html" for invoice.html.mustache. */
static const char *
template_ext(const char *path, char *buf, size_t size)
{
	const char *base = strrchr(path, '/');
	size_t n;

	base = base ? base + 1 : path;
	snprintf(buf, size, "%s", base);
	n = strlen(buf);
	if (n > 9 && strcmp(buf + n - 9, ".mustache") == 0)
		buf[n - 9] = '\0';
	base = strrchr(buf, '.');
	return base && base != buf ? base : "";
}

static void *
oom(struct ls_error *err)
{
	ls_error_set(err, LS_ENOMEM, NULL, 0, 0, "out of memory");
	return NULL;
}

struct ls_render *
ls_render_open(const struct ls_render_opts *o, struct ls_error *err)
{
	struct ls_doc_opts dopt = o->doc;
	struct ls_render *r;

	if ((r = calloc(1, sizeof *r)) == NULL)
		return oom(err);
	r->tpath = o->template_path;
	r->dir = o->dir;
	r->id_col = o->id_col;
	r->force = o->force;
	r->ext = template_ext(o->template_path, r->extbuf, sizeof r->extbuf);
	dopt.now = ls_clock_now();
	dopt.template_path = o->template_path;
	if (ls_doc_now_text(r->rendered_at, err) != 0)
		goto fail;
	if (ls_doc_is_docx(o->template_path)) {
		if ((r->docx = ls_doc_docx_open(o->template_path, &o->mustache, err)) == NULL)
			goto fail;
	} else if ((r->tpl = ls_mustache_load(o->template_path, &o->mustache, err)) == NULL)
		goto fail;
	if (o->name_pattern) {
		/* a file name is never escaped, and a missing value must not make a name shorter */
		struct ls_mustache_opts no = o->mustache;

		no.escape = LS_ESC_NONE;
		no.strict = 1;
		no.load = NULL;
		if ((r->name_tpl = ls_mustache_parse("--name", o->name_pattern, strlen(o->name_pattern),
		    &no, err)) == NULL)
			goto fail;
	}
	if ((r->docs = ls_docs_open(&dopt, err)) == NULL)
		goto fail;
	if (ls_doc_rules_load(r->docs->cfg, &r->rules, err) != 0)
		goto fail;
	if ((r->ids = ls_keyset_new()) == NULL || (r->names = ls_keyset_new()) == NULL) {
		oom(err);
		goto fail;
	}
	/* made last: a template or config refused leaves no empty folder behind */
	if (o->dir) {
		struct stat st;

		if (stat(o->dir, &st) != 0 && (errno != ENOENT || mkdir(o->dir, 0777) != 0)) {
			ls_error_set(err, LS_EIO, o->dir, 0, 0, "%s", strerror(errno));
			goto fail;
		}
	}
	return r;
fail:
	ls_render_free(r);
	return NULL;
}

int
ls_render_start(struct ls_render *r, struct ls_reader *in, struct ls_writer *manifest,
    struct ls_error *err)
{
	size_t ncols = ls_reader_ncols(in);
	int rc;

	r->hdr = ls_reader_header(in);
	r->manifest = manifest;
	/* a document's terms are journaled with its hash, or the rules could be walked around */
	if (r->target == NULL && ls_doc_rules_any(r->rules))
		return ls_error_set(err, LS_EUSAGE, NULL, 0, 0, "the context has approval_rules: "
		    "render with -m MANIFEST, so that each document's amount and kind are journaled");
	if ((rc = ls_docs_header(r->docs, r->hdr, ncols, ls_reader_file(in), err)) != 0)
		return rc;
	if (r->id_col && (r->id = ls_header_find(r->hdr, ncols, r->id_col, strlen(r->id_col))) < 0)
		return ls_error_set(err, LS_EUSAGE, NULL, 0, 0,
		    "input has no column '%s' (needed by --id)", r->id_col);
	/* a write error shows where the stream checks its output (ls_stream_next()) */
	if (r->target == NULL)
		ls_manifest_write_header(manifest);
	return 0;
}

/* err's message with " (row FILE:LINE)": the template or file named first, then the row. */
static int
row_error(struct ls_error *err, const char *file, long line)
{
	if (err) {
		size_t n = strlen(err->msg);

		snprintf(err->msg + n, sizeof err->msg - n, " (row %s:%ld)", file, line);
		return err->status;
	}
	return LS_EDATA;
}

/* Whether dir/name is there (anything, a link included): a document that will be kept. */
static int
exists_in(const char *dir, const char *name)
{
	char *path = ls_doc_join(dir ? dir : ".", name);
	struct stat st;
	int there = path != NULL && lstat(path, &st) == 0;

	free(path);
	return there;
}

/* Remember key (a doc_id or a file name) from line; *dup gets the earlier line's number, or NULL. */
static int
once(struct ls_keyset *s, const char *key, size_t n, long line, const char **dup,
    struct ls_error *err)
{
	char linebuf[24];

	snprintf(linebuf, sizeof linebuf, "%ld", line);
	if (ls_keyset_put(s, key, n, linebuf, strlen(linebuf), dup) != 0)
		return ls_error_set(err, LS_ENOMEM, NULL, 0, 0, "out of memory");
	return 0;
}

int
ls_render_row(struct ls_render *r, const struct ls_record *rec, int *kept, struct ls_error *err)
{
	const struct ls_str *idv = &rec->fields[r->id];
	struct ls_mval stack[3];
	char hex[LS_SHA256_HEX], *path = NULL, *copy = NULL;
	const char *dup;
	int depth, exists, force, rc;

	*kept = 0;
	if (idv->n == 0)
		return ls_error_set(err, LS_EDATA, rec->file, rec->line, 0, "empty doc_id (column %s)",
		    r->id_col ? r->id_col : r->hdr[0].p);
	if ((rc = once(r->ids, idv->p, idv->n, rec->line, &dup, err)) != 0)
		return rc;
	if (dup)
		return ls_error_set(err, LS_EDATA, rec->file, rec->line, 0,
		    "doc_id '%.*s' repeats the one of line %s", (int)idv->n, idv->p, dup);
	if ((depth = ls_docs_row(r->docs, rec->fields, rec->nfields, rec->file, rec->line, stack,
	    err)) < 0)
		return err ? err->status : LS_EDATA;
	ls_doc_number_begin(r->docs, idv->p, idv->n);
	r->doc.n = 0;
	if ((r->docx ? ls_doc_docx_render(r->docx, stack, (size_t)depth, &r->doc, err) :
	    ls_mustache_render(r->tpl, stack, (size_t)depth, &r->doc, err)) != 0 ||
	    ls_doc_payment_error(r->docs, err) != 0 || ls_doc_number_error(r->docs, err) != 0)
		return row_error(err, rec->file, rec->line);
	r->name.n = 0;
	if (r->name_tpl) {
		if (ls_mustache_render(r->name_tpl, stack, (size_t)depth, &r->name, err) != 0 ||
		    ls_doc_number_error(r->docs, err) != 0)
			return row_error(err, rec->file, rec->line);
	} else if (ls_buf_put(&r->name, idv->p, idv->n) || ls_buf_puts(&r->name, r->ext))
		return ls_error_set(err, LS_ENOMEM, NULL, 0, 0, "out of memory");
	if ((rc = once(r->names, r->name.p, r->name.n, rec->line, &dup, err)) != 0)
		return rc;
	if (dup)
		return ls_error_set(err, LS_EDATA, rec->file, rec->line, 0,
		    "document name '%s' is the one of line %s", r->name.p, dup);
	force = r->force;
	if (r->target) {
		char *file = ls_doc_join(r->dir ? r->dir : ".", r->name.p);

		if (file == NULL)
			return ls_error_set(err, LS_ENOMEM, NULL, 0, 0, "out of memory");
		/* -m: the manifest says whether this document is new, unchanged, released or replaced */
		ls_sha256_hex(r->doc.p, r->doc.n, hex);
		rc = ls_doc_target_plan(r->target, idv->p, idv->n, r->dir, r->name.p, file, hex,
		    r->doc.p, r->doc.n, err);
		free(file);
		switch (rc) {
		case LS_TGT_KEEP:
			return 0;
		case LS_TGT_RELEASED:
			ls_error_set(err, LS_EDATA, rec->file, rec->line, 0, "%.*s changed, and its "
			    "document is released: kept as released", (int)idv->n, idv->p);
			r->kept++;
			*kept = 1;
			return 0;
		case LS_TGT_REPLACE:
			force = 1;
			break;
		case LS_TGT_NEW:
			break;
		default:
			return rc;
		}
	}
	/*
	 * The document rendered: its number, if it asked for one, is recorded
	 * now, durably, before the file that prints it exists -- unless the
	 * file is there and kept, when ls_doc_write() below says so and no
	 * number is taken for a document not written.
	 */
	if (force || !exists_in(r->dir, r->name.p)) {
		if ((rc = ls_doc_number_commit(r->docs, r->rendered_at, err)) != 0)
			return row_error(err, rec->file, rec->line);
	}
	if ((rc = ls_doc_write(r->dir, r->name.p, r->doc.p, r->doc.n, force, &path, &exists,
	    err)) != 0) {
		if (!exists)
			return row_error(err, rec->file, rec->line);
		/* kept: a warning naming the row, not a stop */
		if (err) {
			snprintf(err->file, sizeof err->file, "%s", rec->file);
			err->line = rec->line;
		}
		r->kept++;
		*kept = 1;
		return 0;
	}
	if (ls_grow(&r->written, &r->capwritten, r->nwritten + 2, sizeof *r->written) != 0) {
		free(path);
		return ls_error_set(err, LS_ENOMEM, NULL, 0, 0, "out of memory");
	}
	r->written[r->nwritten++] = path;
	/* what approve compares the draft with: the bytes as rendered, beside it */
	if ((rc = ls_doc_keep_rendered(path, r->doc.p, r->doc.n, &copy, err)) != 0)
		return row_error(err, rec->file, rec->line);
	r->written[r->nwritten++] = copy;
	ls_sha256_hex(r->doc.p, r->doc.n, hex);
	if (r->target)
		return ls_doc_target_row(r->target, idv->p, idv->n, path, r->tpath, hex, r->rendered_at,
		    r->docs->has_items, r->docs->total_minor, err);
	ls_manifest_write_draft(r->manifest, idv->p, idv->n, path, r->tpath, hex, r->rendered_at);
	return 0;
}

int
ls_render_sync(struct ls_render *r, struct ls_error *err)
{
	int rc = r->nwritten ? ls_doc_sync(r->written, r->nwritten, err) : 0;

	for (size_t i = 0; i < r->nwritten; i++)
		free(r->written[i]);
	r->nwritten = 0;
	return rc;
}

unsigned long
ls_render_kept(const struct ls_render *r)
{
	return r->kept;
}

size_t
ls_render_unmatched(const struct ls_render *r, long *first_line, const char **first_key)
{
	return ls_docs_unmatched(r->docs, first_line, first_key);
}

int
ls_render_summary(const struct ls_render *r, const char *items_path, const char *key,
    struct ls_buf *out)
{
	long line = 0;
	const char *first = NULL;
	size_t n = ls_render_unmatched(r, &line, &first);
	unsigned long k = ls_render_kept(r);

	if (n && ls_buf_printf(out, "%s: %zu item%s matched no document (first: line %ld, %s '%s')\n",
	    items_path, n, n == 1 ? "" : "s", line, key, first) != 0)
		return -1;
	if (k && ls_buf_printf(out, "%lu document%s kept as %s (--force replaces %s)\n", k,
	    k == 1 ? "" : "s", k == 1 ? "it was" : "they were", k == 1 ? "it" : "them") != 0)
		return -1;
	return k != 0;
}

int
ls_render_into(struct ls_render *r, const char *manifest, struct ls_error *err)
{
	if ((r->target = ls_doc_target_open(manifest, r->rules, err)) == NULL)
		return err ? err->status : LS_EIO;
	return 0;
}

int
ls_render_commit(struct ls_render *r, struct ls_error *err)
{
	return r->target ? ls_doc_target_finish(r->target, err) : 0;
}

void
ls_render_free(struct ls_render *r)
{
	if (r == NULL)
		return;
	ls_doc_target_free(r->target);
	ls_doc_rules_free(r->rules);
	for (size_t i = 0; i < r->nwritten; i++)
		free(r->written[i]);
	free(r->written);
	ls_keyset_free(r->ids);
	ls_keyset_free(r->names);
	ls_buf_free(&r->doc);
	ls_buf_free(&r->name);
	ls_docs_free(r->docs);
	ls_mustache_free(r->name_tpl);
	ls_mustache_free(r->tpl);
	ls_doc_docx_free(r->docx);
	free(r);
}
