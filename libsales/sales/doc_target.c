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
#include <unistd.h>

#include "doc_int.h"
#include "keyset.h"
#include "lock.h"
#include "util.h"

struct ls_doc_target {
	char *path;
	struct ls_lock *lock;
	struct ls_journal *journal;
	struct ls_manifest *old;	/* the manifest as it was, or NULL: none */
	struct ls_writer *w;		/* the new one, a temporary until ls_doc_target_finish() */
	struct ls_doc_rules *rules;	/* borrowed from the run */
	struct ls_keyset *ids;		/* doc_ids rendered now */
	struct ls_keyset *released;	/* doc_ids the old manifest calls released */
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
	ls_keyset_free(t->released);
	ls_buf_free(&t->terms);
	ls_lock_release(t->lock);
	free(t->path);
	free(t);
}

struct ls_doc_target *
ls_doc_target_open(const char *path, struct ls_doc_rules *rules, struct ls_error *err)
{
	struct ls_writer_opts wo = { .format = LS_FMT_CSV };
	struct ls_doc_target *t = calloc(1, sizeof *t);

	if (t == NULL || (t->path = strdup(path)) == NULL || (t->ids = ls_keyset_new()) == NULL ||
	    (t->released = ls_keyset_new()) == NULL) {
		ls_doc_target_free(t);
		ls_error_set(err, LS_ENOMEM, NULL, 0, 0, "out of memory");
		return NULL;
	}
	t->rules = rules;
	ls_doc_login(t->login);
	ls_doc_now_text(t->when);
	/* approve and release take the same lock: none of them sees a manifest half-merged */
	if ((t->lock = ls_lock_acquire(path, LS_LOCK_EX, err)) == NULL)
		goto fail;
	if (access(path, F_OK) == 0 && (t->old = ls_manifest_load(path, err)) == NULL)
		goto fail;
	for (size_t i = 0; t->old && i < t->old->n; i++) {
		const char *id = t->old->rows[i].f[LS_MF_DOC_ID], *dup;

		if (!strcmp(t->old->rows[i].f[LS_MF_STATUS], "released") &&
		    ls_keyset_put(t->released, id, strlen(id), "", 0, &dup) != 0) {
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

struct ls_writer *
ls_doc_target_writer(const struct ls_doc_target *t)
{
	return t->w;
}

int
ls_doc_target_released(const struct ls_doc_target *t, const char *id, size_t idn)
{
	return ls_keyset_get(t->released, id, idn) != NULL;
}

int
ls_doc_target_row(struct ls_doc_target *t, const char *id, size_t idn, const char *sha,
    const char *template_path, int has_amount, int64_t amount, struct ls_error *err)
{
	const char *dup;
	char *cid;
	int rc;

	if (ls_keyset_put(t->ids, id, idn, "", 0, &dup) != 0 || (cid = strndup(id, idn)) == NULL)
		return ls_error_set(err, LS_ENOMEM, NULL, 0, 0, "out of memory");
	if (ls_doc_rules_terms(t->rules, template_path, has_amount, amount, &t->terms) != 0) {
		free(cid);
		return ls_error_set(err, LS_ENOMEM, NULL, 0, 0, "out of memory");
	}
	rc = ls_journal_add(t->journal, t->when, "rendered", cid, sha, "", t->login, t->terms.p, err);
	free(cid);
	return rc;
}

int
ls_doc_target_finish(struct ls_doc_target *t, struct ls_error *err)
{
	int rc;

	/* the rows this run did not render stay, as they were, after the new ones */
	for (size_t i = 0; t->old && i < t->old->n; i++) {
		const struct ls_manifest_row *r = &t->old->rows[i];

		if (ls_keyset_get(t->ids, r->f[LS_MF_DOC_ID], strlen(r->f[LS_MF_DOC_ID])) != NULL)
			continue;
		for (int k = 0; k < LS_MF_NCOLS; k++)
			ls_writer_cstr(t->w, r->f[k]);
		ls_writer_end(t->w);
	}
	/* the documents are synced by the caller first; then the journal, then the manifest */
	if ((rc = ls_journal_commit(t->journal, err)) != 0)
		return rc;
	if ((rc = ls_writer_flush(t->w, err)) != 0 || (rc = ls_writer_commit(t->w, err)) != 0)
		return rc;
	return 0;
}
