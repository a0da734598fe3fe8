/*
 * doc_target.c - rendering into a manifest file (doc-render -m MANIFEST)
 * rather than onto standard output: the manifest's lock held for the run,
 * each document's "rendered" record (its hash and its approval terms,
 * doc_rules.c) added to the journal beside it, and at the end the
 * documents synced, the journal written, then the manifest replaced
 * atomically, keeping the rows of documents this run did not render.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "doc_int.h"
#include "keyset.h"
#include "lock.h"
#include "util.h"

struct ls_doc_target {
	char *path;
	char *dir;			/* the manifest's folder, "" for the current one, else with a '/' */
	struct ls_lock *lock;
	struct ls_journal *journal;
	struct ls_manifest *old;	/* the manifest as it was, or NULL: none */
	struct ls_writer *w;		/* the new one, a temporary until ls_doc_target_finish() */
	struct ls_doc_rules *rules;	/* borrowed from the run */
	struct ls_keyset *ids;		/* doc_ids rendered now -> index into rows */
	struct ls_manifest_row *rows;	/* their draft rows, in the order rendered */
	size_t nrows, caprows;
	int broken;			/* a row's record failed half way: finish keeps nothing */
	struct ls_keyset *old_ids;	/* doc_id -> its row in old (a size_t) */
	struct ls_buf terms;
	char login[64], when[LS_TIME_BUFSZ];
};

void
ls_doc_target_free(struct ls_doc_target *t)
{
	if (t == NULL)
		return;
	ls_writer_free(t->w);		/* without commit: the temporary removed, the manifest as it was */
	ls_journal_close(t->journal);	/* pending records dropped */
	ls_manifest_free(t->old);
	ls_keyset_free(t->ids);
	for (size_t i = 0; i < t->nrows; i++)
		for (int k = 0; k < LS_MF_NCOLS; k++)
			free(t->rows[i].f[k]);
	free(t->rows);
	ls_keyset_free(t->old_ids);
	ls_buf_free(&t->terms);
	ls_lock_release(t->lock);
	free(t->path);
	free(t->dir);
	free(t);
}

struct ls_doc_target *
ls_doc_target_open(const char *path, struct ls_doc_rules *rules, struct ls_error *err)
{
	struct ls_writer_opts wo = { .format = LS_FMT_CSV };
	struct ls_doc_target *t = calloc(1, sizeof *t);

	if (t == NULL || (t->path = strdup(path)) == NULL || (t->ids = ls_keyset_new()) == NULL ||
	    (t->old_ids = ls_keyset_new()) == NULL) {
		ls_doc_target_free(t);
		ls_error_set(err, LS_ENOMEM, NULL, 0, 0, "out of memory");
		return NULL;
	}
	t->rules = rules;
	if ((t->dir = strdup(path)) == NULL) {
		ls_doc_target_free(t);
		ls_error_set(err, LS_ENOMEM, NULL, 0, 0, "out of memory");
		return NULL;
	}
	{
		char *slash = strrchr(t->dir, '/');

		if (slash)
			slash[1] = '\0';
		if (slash == NULL || !strcmp(t->dir, "./"))
			t->dir[0] = '\0';
	}
	ls_doc_login(t->login);
	if (ls_doc_now_text(t->when, err) != 0) {
		ls_doc_target_free(t);
		return NULL;
	}
	/*
	 * A manifest that is a link would be written where it points (the
	 * atomic writer replaces the file, not the link) while its journal is
	 * named after the link: the two would part.
	 */
	{
		struct stat st;

		if (lstat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
			ls_error_set(err, LS_EDATA, path, 0, 0, "%s: refused",
			    S_ISLNK(st.st_mode) ? "a symbolic link" : "not a regular file");
			goto fail;
		}
	}
	/* approve and release take the same lock: none of them sees a manifest half-merged */
	if ((t->lock = ls_lock_acquire(path, LS_LOCK_EX, err)) == NULL)
		goto fail;
	if (access(path, F_OK) == 0 && (t->old = ls_manifest_load(path, err)) == NULL)
		goto fail;
	for (size_t i = 0; t->old && i < t->old->n; i++) {
		const char *id = t->old->rows[i].f[LS_MF_DOC_ID], *dup;

		if (ls_keyset_put(t->old_ids, id, strlen(id), (const char *)&i, sizeof i, &dup) != 0) {
			ls_error_set(err, LS_ENOMEM, NULL, 0, 0, "out of memory");
			goto fail;
		}
	}
	if ((t->journal = ls_journal_open(path, 1, err)) == NULL)
		goto fail;
	if ((t->w = ls_writer_open(path, NULL, &wo, err)) == NULL)
		goto fail;
	return t;
fail:
	ls_doc_target_free(t);
	return NULL;
}

/* A document's path as the manifest names it: relative to the manifest's folder, or NULL when outside it. */
static const char *
rel(const struct ls_doc_target *t, const char *file)
{
	size_t n = strlen(t->dir);

	if (n == 0)
		return file[0] == '/' ? NULL : file;
	return strncmp(file, t->dir, n) == 0 ? file + n : NULL;
}

int
ls_doc_target_plan(struct ls_doc_target *t, const char *id, size_t idn, const char *dir,
    const char *name, const char *file, const char *sha, const char *doc, size_t n,
    struct ls_error *err)
{
	const char *v = ls_keyset_get(t->old_ids, id, idn), *fr = rel(t, file);
	struct ls_error e = { 0 };
	char *buf = NULL;
	size_t i, bn;
	int missing, same, rc;

	/* release reads a file cell from the manifest's folder, and from nowhere else */
	if (fr == NULL)
		return ls_error_set(err, LS_EUSAGE, NULL, 0, 0, "%s is not inside the folder of %s: "
		    "-o names a folder under the manifest's", file, t->path);
	if (v != NULL) {
		const struct ls_manifest_row *r;

		memcpy(&i, v, sizeof i);
		r = &t->old->rows[i];
		if (!strcmp(r->f[LS_MF_SHA256], sha) && !strcmp(r->f[LS_MF_FILE], fr))
			return LS_TGT_KEEP;
		if (!strcmp(r->f[LS_MF_STATUS], "released"))
			return LS_TGT_RELEASED;
		/* the manifest's own draft, changed: its approvals were of the old hash */
		return LS_TGT_REPLACE;
	}
	/*
	 * A file of that name the manifest does not list: what a render killed
	 * before writing the manifest leaves.  The same bytes are taken in;
	 * other bytes are someone's, kept unless --force.
	 */
	if ((rc = ls_doc_read_in(dir ? dir : ".", name, &buf, &bn, &missing, NULL, &e)) != 0) {
		if (rc == LS_EIO) {	/* unread, it is neither new nor the same */
			if (err != NULL)
				*err = e;
			return rc;
		}
		return rc == LS_ENOMEM ? ls_error_set(err, LS_ENOMEM, NULL, 0, 0, "out of memory") :
		    LS_TGT_NEW;
	}
	same = bn == n && memcmp(buf, doc, n) == 0;
	free(buf);
	return same ? LS_TGT_REPLACE : LS_TGT_NEW;
}

/* Forget the last row of t, not yet in its keyset or journal. */
static void
drop_last(struct ls_doc_target *t)
{
	struct ls_manifest_row *r = &t->rows[--t->nrows];

	for (int k = 0; k < LS_MF_NCOLS; k++)
		free(r->f[k]);
	memset(r, 0, sizeof *r);
}

int
ls_doc_target_row(struct ls_doc_target *t, const char *id, size_t idn, const char *file,
    const char *template_path, const char *sha, const char *rendered_at, int has_amount,
    int64_t amount, struct ls_error *err)
{
	struct ls_manifest_row *r;
	const char *dup, *fr = rel(t, file);
	size_t i = t->nrows;
	int rc;

	if (fr == NULL)		/* ls_doc_target_plan() said so first */
		return ls_error_set(err, LS_EUSAGE, NULL, 0, 0, "%s is not inside the folder of %s",
		    file, t->path);
	if (ls_grow(&t->rows, &t->caprows, t->nrows + 1, sizeof *t->rows) != 0)
		return ls_error_set(err, LS_ENOMEM, NULL, 0, 0, "out of memory");
	r = &t->rows[t->nrows++];
	memset(r, 0, sizeof *r);
	/* in ls_manifest_cols' order: a draft has no approver yet */
	if ((r->f[LS_MF_DOC_ID] = strndup(id, idn)) == NULL || ls_manifest_row_set(r, LS_MF_FILE, fr) ||
	    ls_manifest_row_set(r, LS_MF_TEMPLATE, template_path) ||
	    ls_manifest_row_set(r, LS_MF_STATUS, "draft") || ls_manifest_row_set(r, LS_MF_SHA256, sha) ||
	    ls_manifest_row_set(r, LS_MF_RENDERED_AT, rendered_at) ||
	    ls_manifest_row_set(r, LS_MF_APPROVED_BY, "") || ls_manifest_row_set(r, LS_MF_APPROVED_AT, "") ||
	    ls_doc_rules_terms(t->rules, template_path, has_amount, amount, &t->terms) != 0) {
		/* a row half made is no row: the rows before it still go in */
		drop_last(t);
		return ls_error_set(err, LS_ENOMEM, NULL, 0, 0, "out of memory");
	}
	if ((rc = ls_journal_add(t->journal, t->when, "rendered", r->f[LS_MF_DOC_ID], sha, "", t->login,
	    t->terms.p, err)) != 0) {
		/* the journal's pending records may hold part of it: nothing of the run is kept */
		drop_last(t);
		t->broken = 1;
		return rc;
	}
	if (ls_keyset_put(t->ids, id, idn, (const char *)&i, sizeof i, &dup) != 0) {
		t->broken = 1;
		return ls_error_set(err, LS_ENOMEM, NULL, 0, 0, "out of memory");
	}
	return 0;
}

static void
put_row(struct ls_writer *w, const struct ls_manifest_row *r)
{
	for (int k = 0; k < LS_MF_NCOLS; k++)
		ls_writer_cstr(w, r->f[k] ? r->f[k] : "");
	ls_writer_end(w);
}

int
ls_doc_target_finish(struct ls_doc_target *t, struct ls_error *err)
{
	size_t i;
	int rc;

	/*
	 * The manifest's rows in their order, each replaced by its new version
	 * when rendered again; then the documents new to it, in the order
	 * rendered.
	 */
	/*
	 * Nothing rendered into no manifest: none is made (a run that failed
	 * at its first row).  A run whose record of a row failed half way
	 * keeps nothing: the manifest and its journal stay as they were.
	 */
	if ((t->old == NULL && t->nrows == 0) || t->broken)
		return 0;
	ls_manifest_write_header(t->w);
	for (i = 0; t->old && i < t->old->n; i++) {
		const struct ls_manifest_row *r = &t->old->rows[i];
		const char *v = ls_keyset_get(t->ids, r->f[LS_MF_DOC_ID], strlen(r->f[LS_MF_DOC_ID]));
		size_t k;

		if (v == NULL) {
			put_row(t->w, r);
			continue;
		}
		memcpy(&k, v, sizeof k);
		put_row(t->w, &t->rows[k]);
		t->rows[k].touched = 1;
	}
	for (i = 0; i < t->nrows; i++)
		if (!t->rows[i].touched)
			put_row(t->w, &t->rows[i]);
	/* the documents are synced by the caller first; then the journal, then the manifest */
	if ((rc = ls_journal_commit(t->journal, err)) != 0)
		return rc;
	if ((rc = ls_writer_flush(t->w, err)) != 0 || (rc = ls_writer_commit(t->w, err)) != 0)
		return rc;
	return 0;
}
