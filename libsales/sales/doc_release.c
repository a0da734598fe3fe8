/*
 * doc_release.c - release (document.h): approved documents whose bytes are
 * still the approved ones are copied to the outbox; everything else is
 * refused with a reason.  The reasons' words live here, beside the enum.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "doc_int.h"
#include "lock.h"
#include "sha256.h"
#include "util.h"

static const char *const reasons[] = {
	[LS_REL_RELEASED] = "released",
	[LS_REL_ALREADY] = "released before",
	[LS_REL_UNAPPROVED] = "not approved",
	[LS_REL_CHANGED] = "changed after approval (sha256 differs)",
	[LS_REL_MISSING] = "file missing",
	[LS_REL_CONFLICT] = "the outbox holds another file of that name",
	[LS_REL_UNSAFE] = "not a regular file inside the manifest's folder",
	[LS_REL_UNJOURNALED] = "approved in the manifest but not in the journal: an approval is "
	    "made with doc-render approve",
	[LS_REL_RULES] = "the approval rules want another approval",
};

const char *
ls_release_reason(enum ls_release_result r)
{
	return (size_t)r < sizeof reasons / sizeof reasons[0] ? reasons[r] : "?";
}

int
ls_release_refused(enum ls_release_result r)
{
	return r != LS_REL_RELEASED && r != LS_REL_ALREADY;
}

enum ls_release_result
ls_manifest_release_result(const struct ls_manifest *m, size_t i)
{
	return m->rows[i].rel;
}

const char *
ls_manifest_release_why(const struct ls_manifest *m, size_t i)
{
	return m->rows[i].why ? m->rows[i].why : ls_release_reason(m->rows[i].rel);
}

int
ls_release_write_report(struct ls_writer *w, const struct ls_manifest *m)
{
	ls_writer_cstr(w, "doc_id");
	ls_writer_cstr(w, "file");
	ls_writer_cstr(w, "result");
	ls_writer_cstr(w, "reason");
	if (m->printed) {
		ls_writer_cstr(w, "pdf");
		ls_writer_cstr(w, "pdf_reason");
	}
	ls_writer_end(w);
	for (size_t i = 0; i < m->n; i++) {
		enum ls_release_result r = m->rows[i].rel;
		int bad = ls_release_refused(r);

		ls_writer_cstr(w, m->rows[i].f[LS_MF_DOC_ID]);
		ls_writer_cstr(w, m->rows[i].f[LS_MF_FILE]);
		ls_writer_cstr(w, bad ? "refused" : r == LS_REL_RELEASED ? "released" :
		    "already_released");
		ls_writer_cstr(w, bad ? ls_manifest_release_why(m, i) : "");
		if (m->printed) {
			ls_writer_cstr(w, ls_pdf_word(m->rows[i].pdf));
			ls_writer_cstr(w, m->rows[i].pdf_why ? m->rows[i].pdf_why : "");
		}
		ls_writer_end(w);
	}
	return ls_writer_status(w);
}

/* Row r refused with words of its own (naming its file). */
static int
refuse_why(struct ls_manifest_row *r, enum ls_release_result why, const char *msg)
{
	r->rel = why;
	free(r->why);
	return (r->why = strdup(msg)) == NULL ? LS_ENOMEM : 0;
}

/* One approved row: 0 (r->rel says what happened), or an error that stops the run. */
static int
release_row(struct ls_manifest *m, struct ls_manifest_row *r, const char *outbox,
    char **target_out, struct ls_error *err)
{
	const struct ls_jdoc *d = ls_journal_doc(m->journal, r->f[LS_MF_DOC_ID]);
	struct ls_error e = { 0 };
	const char *base;
	char hex[LS_SHA256_HEX], *buf, *target, *old = NULL;
	size_t n, on;
	int missing, rc;

	*target_out = NULL;
	/* the journal's approval, not the manifest's cells, lets a document out */
	if (d == NULL || d->by == NULL || strcmp(d->sha, r->f[LS_MF_SHA256]) != 0 ||
	    strcmp(d->by, r->f[LS_MF_APPROVED_BY]) != 0) {
		r->rel = LS_REL_UNJOURNALED;
		return 0;
	}
	/* the rules as the journal fixed them at rendering, met by the journal's approvals of this hash */
	{
		struct ls_buf miss = { 0 };
		int k = ls_journal_rules_missing(d, &miss);

		if (k != 0) {
			char why[600];

			if (k > 0)
				snprintf(why, sizeof why, "awaits %s", miss.p);
			ls_buf_free(&miss);
			if (k < 0 || refuse_why(r, LS_REL_RULES, why) != 0)
				return ls_error_set(err, LS_ENOMEM, NULL, 0, 0, "out of memory");
			return 0;
		}
		ls_buf_free(&miss);
	}
	/* read once: the bytes checked are the bytes copied */
	if ((rc = ls_doc_read_in(m->dir, r->f[LS_MF_FILE], &buf, &n, &missing, NULL, &e)) != 0) {
		if (rc == LS_ENOMEM || rc == LS_EIO) {
			*err = e;
			return rc;
		}
		if (missing) {
			r->rel = LS_REL_MISSING;
			return 0;
		}
		return refuse_why(r, LS_REL_UNSAFE, e.msg) ? ls_error_set(err, LS_ENOMEM, NULL, 0, 0,
		    "out of memory") : 0;
	}
	ls_sha256_hex(buf, n, hex);
	if (strcmp(hex, d->sha) != 0) {
		r->rel = LS_REL_CHANGED;
		free(buf);
		return 0;
	}
	base = strrchr(r->f[LS_MF_FILE], '/');
	base = base ? base + 1 : r->f[LS_MF_FILE];
	/*
	 * What the outbox holds under that name is read the way drafts are
	 * (no link followed, a FIFO not waited on).  The same bytes are
	 * written again all the same: a hard link of the draft put there
	 * beforehand would otherwise stay one, and an edit of the draft after
	 * the release would be an edit of the released document.
	 */
	rc = ls_doc_read_in(outbox, base, &old, &on, &missing, NULL, &e);
	if (rc == LS_EIO) {	/* what the outbox holds is not known: nothing written over it */
		free(buf);
		*err = e;
		return rc;
	}
	if (rc == LS_ENOMEM || (rc != 0 && !missing) ||
	    (rc == 0 && (on != n || memcmp(old, buf, n) != 0))) {
		free(old);
		free(buf);
		if (rc == LS_ENOMEM)
			return ls_error_set(err, LS_ENOMEM, NULL, 0, 0, "out of memory");
		r->rel = LS_REL_CONFLICT;
		return 0;
	}
	free(old);
	rc = ls_doc_put_staged(outbox, base, buf, n, &target, &e);
	free(buf);
	if (rc == LS_EDATA) {	/* a link planted where it writes: refused, the run goes on */
		char why[sizeof e.file + sizeof e.msg + 2];

		snprintf(why, sizeof why, "%s: %s", e.file, e.msg);
		return refuse_why(r, LS_REL_UNSAFE, why) ? ls_error_set(err, LS_ENOMEM, NULL, 0, 0,
		    "out of memory") : 0;
	}
	if (rc != 0) {
		*err = e;
		return rc;
	}
	if (ls_manifest_row_set(r, LS_MF_STATUS, "released") != 0) {
		free(target);
		return ls_error_set(err, LS_ENOMEM, NULL, 0, 0, "out of memory");
	}
	r->rel = LS_REL_RELEASED;
	*target_out = target;
	return 0;
}

int
ls_manifest_release(struct ls_manifest *m, const char *outbox, struct ls_error *err)
{
	struct stat st;
	char **copied = NULL, when[LS_TIME_BUFSZ], login[64];
	size_t ncopied = 0, cap = 0;
	int rc = 0;

	/* rows after an I/O error are left as not approved: none of them was copied */
	for (size_t i = 0; i < m->n; i++) {
		m->rows[i].rel = LS_REL_UNAPPROVED;
		free(m->rows[i].why);
		m->rows[i].why = NULL;
	}
	if (m->journal == NULL)
		return ls_error_set(err, LS_EUSAGE, m->path, 0, 0, "release needs ls_manifest_open()");
	if (stat(outbox, &st) != 0) {
		if (errno != ENOENT || mkdir(outbox, 0777) != 0)
			return ls_error_set(err, LS_EIO, outbox, 0, 0, "%s", strerror(errno));
	} else if (!S_ISDIR(st.st_mode))
		return ls_error_set(err, LS_EIO, outbox, 0, 0, "not a folder");
	if ((rc = ls_doc_stage_clean(outbox, 0, err)) != 0)
		return rc;
	if ((rc = ls_doc_now_text(when, err)) != 0)
		return rc;
	ls_doc_login(login);
	for (size_t i = 0; i < m->n && rc == 0; i++) {
		struct ls_manifest_row *r = &m->rows[i];
		char *target;

		if (!strcmp(r->f[LS_MF_STATUS], "released")) {
			r->rel = LS_REL_ALREADY;
			continue;
		}
		if (strcmp(r->f[LS_MF_STATUS], "approved") != 0)
			continue;
		if ((rc = release_row(m, r, outbox, &target, err)) != 0)
			break;
		if (r->rel != LS_REL_RELEASED)
			continue;
		if (ls_grow(&copied, &cap, ncopied + 1, sizeof *copied) != 0) {
			free(target);
			rc = ls_error_set(err, LS_ENOMEM, NULL, 0, 0, "out of memory");
			break;
		}
		copied[ncopied++] = target;
	}
	/*
	 * What was copied is made durable in one go (an fdatasync per copy,
	 * a few at once, and an fsync of the outbox: durable.h), then recorded in the journal in one
	 * write, even after a later copy failed; the caller then saves the
	 * manifest.  A crash before the journal's write leaves copies the
	 * manifest still calls approved: the next release finds them in the
	 * outbox with the same bytes, writes them again and records them.
	 */
	{
		struct ls_error e2 = { 0 };
		int src = 0;

		if (ncopied && (src = ls_doc_sync(copied, ncopied, &e2)) != 0 && rc == 0) {
			*err = e2;
			rc = src;
		}
		for (size_t i = 0; i < m->n && src == 0; i++)
			if (m->rows[i].rel == LS_REL_RELEASED &&
			    (src = ls_journal_add(m->journal, when, "released", m->rows[i].f[LS_MF_DOC_ID],
			    m->rows[i].f[LS_MF_SHA256], m->rows[i].f[LS_MF_APPROVED_BY], login, "", &e2)) != 0)
				break;
		if (src == 0)
			src = ls_journal_commit(m->journal, &e2);
		if (src != 0 && rc == 0) {
			*err = e2;
			rc = src;
		}
		for (size_t k = 0; k < ncopied; k++)
			free(copied[k]);
		if (rc == 0)
			(void)ls_doc_stage_clean(outbox, 1, NULL);	/* done: what stays is only hidden */
		free(copied);
	}
	return rc;
}

int
ls_release_report(const struct ls_manifest *m, const char *path, FILE *out, struct ls_buf *warn,
    size_t *refused)
{
	struct ls_writer_opts wo = { .format = LS_FMT_CSV };
	struct ls_writer *w = ls_writer_open(NULL, out, &wo, NULL);
	size_t n = 0;
	int bad = w == NULL;

	/* a write error on out is the caller's to see (ferror); memory is only seen here */
	if (w != NULL) {
		ls_release_write_report(w, m);
		if (ls_writer_flush(w, NULL) == LS_ENOMEM)
			bad = 1;
		ls_writer_free(w);
	}
	for (size_t i = 0; i < ls_manifest_count(m); i++)
		if (ls_release_refused(ls_manifest_release_result(m, i))) {
			if (ls_buf_printf(warn, "%s: %s refused: %s\n", path,
			    ls_manifest_get(m, i, LS_MF_DOC_ID), ls_manifest_release_why(m, i)) != 0)
				bad = 1;
			n++;
		}
	if (n && ls_buf_printf(warn, "%zu document%s refused\n", n, n == 1 ? "" : "s") != 0)
		bad = 1;
	*refused = n;
	return bad ? LS_ENOMEM : 0;
}

size_t
ls_approve_report(const struct ls_manifest *m, const char *path, FILE *out, struct ls_buf *warn)
{
	struct ls_buf miss = { 0 };
	size_t waiting = 0;

	for (size_t i = 0; i < ls_manifest_count(m); i++)
		if (ls_manifest_approved_now(m, i)) {
			const char *id = ls_manifest_get(m, i, LS_MF_DOC_ID);
			const struct ls_jdoc *d = ls_journal_doc(m->journal, id);

			fprintf(out, "approved %s %s\n", id, ls_manifest_get(m, i, LS_MF_SHA256));
			/* recorded, and not yet releasable: the approver is told who else must approve */
			if (d && ls_journal_rules_missing(d, &miss) > 0) {
				ls_buf_printf(warn, "%s: %s awaits %s\n", path, id, miss.p);
				waiting++;
			}
		} else if (ls_manifest_refusal(m, i))
			ls_buf_printf(warn, "%s: %s refused: %s\n", path, ls_manifest_get(m, i, LS_MF_DOC_ID),
			    ls_manifest_refusal(m, i));
	ls_buf_free(&miss);
	return waiting;
}
