/*
 * doc_manifest.c - the manifest of document.h: its columns, reading it
 * with every consistency check, writing it (whole, or a draft row at a
 * time as doc-render renders), and approval.  Release is doc_release.c's.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "clock.h"
#include "columns.h"
#include "doc_int.h"
#include "keyset.h"
#include "lock.h"
#include "sha256.h"
#include "util.h"

const char *const ls_manifest_cols[] = { "doc_id", "file", "template", "status", "sha256",
	"rendered_at", "approved_by", "approved_at", NULL };

void
ls_manifest_free(struct ls_manifest *m)
{
	if (m == NULL)
		return;
	for (size_t i = 0; i < m->n; i++) {
		for (int k = 0; k < LS_MF_NCOLS; k++)
			free(m->rows[i].f[k]);
		free(m->rows[i].why);
		free(m->rows[i].pdf_why);
	}
	free(m->rows);
	free(m->path);
	free(m->dir);
	ls_journal_close(m->journal);
	ls_lock_release(m->lock);
	free(m);
}

struct ls_manifest *
ls_manifest_open(const char *path, struct ls_error *err)
{
	struct ls_manifest *m;
	struct ls_lock *lock;

	/* a manifest we could not rewrite is refused before anyone waits for its lock */
	if (access(path, R_OK | W_OK) != 0) {
		ls_error_set(err, LS_EIO, path, 0, 0, "%s", strerror(errno));
		return NULL;
	}
	if ((lock = ls_lock_acquire(path, LS_LOCK_EX, err)) == NULL)
		return NULL;
	if ((m = ls_manifest_load(path, err)) == NULL) {
		ls_lock_release(lock);
		return NULL;
	}
	m->lock = lock;
	if ((m->journal = ls_journal_open(path, 1, err)) == NULL) {
		ls_manifest_free(m);
		return NULL;
	}
	return m;
}

size_t
ls_manifest_count(const struct ls_manifest *m)
{
	return m->n;
}

const char *
ls_manifest_get(const struct ls_manifest *m, size_t i, int k)
{
	return i < m->n && k >= 0 && k < LS_MF_NCOLS ? m->rows[i].f[k] : NULL;
}

int
ls_manifest_row_set(struct ls_manifest_row *r, int k, const char *s)
{
	char *c = strdup(s);

	if (c == NULL)
		return LS_ENOMEM;
	free(r->f[k]);
	r->f[k] = c;
	return 0;
}

int
ls_manifest_set(struct ls_manifest *m, size_t i, int k, const char *s)
{
	if (i >= m->n || k < 0 || k >= LS_MF_NCOLS)
		return LS_EUSAGE;
	return ls_manifest_row_set(&m->rows[i], k, s);
}

int
ls_manifest_approved_now(const struct ls_manifest *m, size_t i)
{
	return i < m->n && m->rows[i].touched > 0;
}

int
ls_doc_now_text(char buf[LS_TIME_BUFSZ], struct ls_error *err)
{
	int64_t now = ls_clock_now();
	struct ls_error e = { 0 };
	/* the process zone: memory, or its zone file unread (LS_EIO) */
	struct ls_tz *tz = ls_tz_open(NULL, &e);

	if (tz == NULL) {
		if (err != NULL)
			*err = e;
		return (int)e.status;
	}
	if (ls_time_format(tz, now, buf, LS_TIME_BUFSZ) != 0)
		ls_time_format(NULL, now, buf, LS_TIME_BUFSZ);
	ls_tz_free(tz);
	return 0;
}

int
ls_manifest_write_header(struct ls_writer *w)
{
	for (int k = 0; k < LS_MF_NCOLS; k++)
		ls_writer_cstr(w, ls_manifest_cols[k]);
	ls_writer_end(w);
	return ls_writer_status(w);
}

int
ls_manifest_write_draft(struct ls_writer *w, const char *id, size_t idn, const char *file,
    const char *template, const char *sha256, const char *rendered_at)
{
	/* in ls_manifest_cols' order: a draft has no approver yet */
	ls_writer_field(w, id, idn);
	ls_writer_cstr(w, file);
	ls_writer_cstr(w, template);
	ls_writer_cstr(w, "draft");
	ls_writer_cstr(w, sha256);
	ls_writer_cstr(w, rendered_at);
	ls_writer_cstr(w, "");
	ls_writer_cstr(w, "");
	ls_writer_end(w);
	return ls_writer_status(w);
}

static int
is_hex64(const char *s)
{
	size_t i;

	for (i = 0; s[i]; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return 0;
	return i == 64;
}

static int
check_row(const struct ls_manifest *m, const struct ls_manifest_row *r, struct ls_error *err)
{
	const char *st = r->f[LS_MF_STATUS];
	int approved = !strcmp(st, "approved") || !strcmp(st, "released");

	if (r->f[LS_MF_DOC_ID][0] == '\0')
		return ls_error_set(err, LS_EDATA, m->path, r->line, 0, "inconsistent manifest: empty doc_id");
	if (r->f[LS_MF_FILE][0] == '\0')
		return ls_error_set(err, LS_EDATA, m->path, r->line, 0,
		    "inconsistent manifest: %s has no file", r->f[LS_MF_DOC_ID]);
	if (!approved && strcmp(st, "draft") != 0)
		return ls_error_set(err, LS_EDATA, m->path, r->line, 0,
		    "inconsistent manifest: %s has status '%s' (expected draft, approved or released)",
		    r->f[LS_MF_DOC_ID], st);
	if (r->f[LS_MF_SHA256][0] && !is_hex64(r->f[LS_MF_SHA256]))
		return ls_error_set(err, LS_EDATA, m->path, r->line, 0,
		    "inconsistent manifest: %s has a sha256 that is not 64 hex digits", r->f[LS_MF_DOC_ID]);
	if (approved && (!r->f[LS_MF_SHA256][0] || !r->f[LS_MF_APPROVED_BY][0] ||
	    !r->f[LS_MF_APPROVED_AT][0]))
		return ls_error_set(err, LS_EDATA, m->path, r->line, 0,
		    "inconsistent manifest: %s is %s without approved_by, approved_at and sha256",
		    r->f[LS_MF_DOC_ID], st);
	if (!approved && (r->f[LS_MF_APPROVED_BY][0] || r->f[LS_MF_APPROVED_AT][0]))
		return ls_error_set(err, LS_EDATA, m->path, r->line, 0,
		    "inconsistent manifest: %s is a draft but names an approver", r->f[LS_MF_DOC_ID]);
	return 0;
}

struct ls_manifest *
ls_manifest_load(const char *path, struct ls_error *err)
{
	struct ls_manifest *m;
	struct ls_reader_opts ro = { 0 };
	const char *paths[1] = { path };
	struct ls_reader *r;
	struct ls_record rec;
	struct ls_keyset *ids = NULL;
	long col[LS_MF_NCOLS];
	size_t cap = 0, nh;
	const struct ls_str *h;
	int got, rc = 0;

	ro.format = LS_FMT_CSV;
	if ((m = calloc(1, sizeof *m)) == NULL || (m->path = strdup(path)) == NULL ||
	    (m->dir = strdup(path)) == NULL) {
		if (m)
			free(m->path);
		free(m);
		ls_error_set(err, LS_ENOMEM, NULL, 0, 0, "out of memory");
		return NULL;
	}
	{
		/* file cells are relative to the manifest's folder */
		char *slash = strrchr(m->dir, '/');

		if (slash == NULL)
			strcpy(m->dir, ".");
		else
			slash[slash == m->dir] = '\0';
	}
	if ((r = ls_reader_open(paths, 1, &ro, err)) == NULL) {
		ls_manifest_free(m);
		return NULL;
	}
	h = ls_reader_header(r);
	nh = ls_reader_ncols(r);
	for (int k = 0; k < LS_MF_NCOLS; k++)
		if ((col[k] = ls_header_find(h, nh, ls_manifest_cols[k], strlen(ls_manifest_cols[k]))) < 0) {
			rc = ls_error_set(err, LS_EDATA, path, 1, 0,
			    "not a manifest: no column '%s'", ls_manifest_cols[k]);
			goto out;
		}
	if (nh != LS_MF_NCOLS) {
		rc = ls_error_set(err, LS_EDATA, path, 1, 0,
		    "not a manifest: %zu columns, expected the %d of doc-render", nh, LS_MF_NCOLS);
		goto out;
	}
	if ((ids = ls_keyset_new()) == NULL) {
		rc = ls_error_set(err, LS_ENOMEM, NULL, 0, 0, "out of memory");
		goto out;
	}
	while ((got = ls_reader_next(r, &rec, err)) == 1) {
		struct ls_manifest_row *row;
		const char *dup;

		if (ls_grow(&m->rows, &cap, m->n + 1, sizeof *m->rows) != 0) {
			rc = ls_error_set(err, LS_ENOMEM, NULL, 0, 0, "out of memory");
			goto out;
		}
		row = &m->rows[m->n++];
		memset(row, 0, sizeof *row);
		row->line = rec.line;
		for (int k = 0; k < LS_MF_NCOLS; k++)
			if ((row->f[k] = strndup(rec.fields[col[k]].p, rec.fields[col[k]].n)) == NULL) {
				rc = ls_error_set(err, LS_ENOMEM, NULL, 0, 0, "out of memory");
				goto out;
			}
		if ((rc = check_row(m, row, err)) != 0)
			goto out;
		if (ls_keyset_put(ids, row->f[LS_MF_DOC_ID], strlen(row->f[LS_MF_DOC_ID]), "", 0, &dup) != 0) {
			rc = ls_error_set(err, LS_ENOMEM, NULL, 0, 0, "out of memory");
			goto out;
		}
		if (dup) {
			rc = ls_error_set(err, LS_EDATA, path, rec.line, 0,
			    "inconsistent manifest: doc_id %s appears twice", row->f[LS_MF_DOC_ID]);
			goto out;
		}
	}
	if (got < 0)
		rc = err->status;
out:
	ls_keyset_free(ids);
	ls_reader_free(r);
	if (rc != 0) {
		ls_manifest_free(m);
		return NULL;
	}
	return m;
}

int
ls_manifest_save(const struct ls_manifest *m, struct ls_error *err)
{
	struct ls_writer_opts wo = { 0 };
	struct ls_writer *w;
	struct ls_error e = { 0 };
	int rc = 0;

	wo.format = LS_FMT_CSV;
	if ((w = ls_writer_open(m->path, NULL, &wo, &e)) == NULL)
		rc = e.status;
	else {
		ls_manifest_write_header(w);
		for (size_t i = 0; i < m->n; i++) {
			for (int k = 0; k < LS_MF_NCOLS; k++)
				ls_writer_cstr(w, m->rows[i].f[k]);
			ls_writer_end(w);
		}
		if (ls_writer_flush(w, &e) != 0 || ls_writer_commit(w, &e) != 0)
			rc = e.status;
		ls_writer_free(w);
	}
	if (rc && err)
		*err = e;
	return rc;
}

const char *
ls_manifest_refusal(const struct ls_manifest *m, size_t i)
{
	return i < m->n && m->rows[i].touched < 0 ? m->rows[i].why : NULL;
}

/* Row r refused: why (printf-style) kept for the caller and recorded in the journal. */
static int
refuse(struct ls_manifest *m, struct ls_manifest_row *r, const struct ls_approve_opts *o,
    const char *when, const char *sha, struct ls_error *err, const char *fmt, ...)
{
	char why[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof why, fmt, ap);
	va_end(ap);
	free(r->why);
	if ((r->why = strdup(why)) == NULL)
		return ls_error_set(err, LS_ENOMEM, NULL, 0, 0, "out of memory");
	r->touched = -1;
	return ls_journal_add(m->journal, when, "refused", r->f[LS_MF_DOC_ID], sha, o->by, o->login,
	    why, err);
}

/*
 * One row: read once, compare with what was rendered, record the outcome.
 * The hash the rendered copy must have is the manifest's for a draft (what
 * rendering wrote) and the journal's last approval for an approved row:
 * comparing an approved row's draft with its copy alone let a copy that
 * is a hard link of the draft (every edit of one is an edit of the other)
 * carry an edited draft through a second approval without a diff.
 */
static int
approve_row(struct ls_manifest *m, struct ls_manifest_row *r, const struct ls_approve_opts *o,
    const char *when, struct ls_error *err)
{
	struct ls_error e = { 0 };
	char hex[LS_SHA256_HEX], rhex[LS_SHA256_HEX] = "", *buf = NULL, *copy = NULL, *cname;
	const char *file = r->f[LS_MF_FILE], *want = r->f[LS_MF_SHA256];
	struct stat st, cst;
	size_t n = 0, cn = 0;
	int missing, same, rc;

	if ((rc = ls_doc_read_in(m->dir, file, &buf, &n, &missing, &st, &e)) != 0) {
		if (rc == LS_ENOMEM)
			return ls_error_set(err, LS_ENOMEM, NULL, 0, 0, "out of memory");
		/* a file that could not be read is the run's failure, not the document's refusal */
		if (rc == LS_EIO) {
			if (err != NULL)
				*err = e;
			return rc;
		}
		return refuse(m, r, o, when, "", err, "%s", e.msg);
	}
	ls_sha256_hex(buf, n, hex);
	if (strcmp(r->f[LS_MF_STATUS], "draft") != 0) {
		const struct ls_jdoc *d = ls_journal_doc(m->journal, r->f[LS_MF_DOC_ID]);

		if (d == NULL || d->by == NULL || strcmp(d->sha, want) != 0) {
			rc = refuse(m, r, o, when, hex, err, "approved in the manifest (sha256 %.12s...) "
			    "but not so in the journal: doc-render verify says more", want);
			free(buf);
			return rc;
		}
		want = d->sha;
	}
	if ((cname = ls_doc_rendered_name(file)) == NULL) {
		free(buf);
		return ls_error_set(err, LS_ENOMEM, NULL, 0, 0, "out of memory");
	}
	if ((rc = ls_doc_read_in(m->dir, cname, &copy, &cn, &missing, &cst, &e)) == LS_ENOMEM) {
		/* not "no rendered copy": the copy may well be there */
		rc = ls_error_set(err, LS_ENOMEM, NULL, 0, 0, "out of memory");
		goto out;
	}
	if (rc == LS_EIO) {
		/* nor is it "no rendered copy": the copy may well be there */
		if (err != NULL)
			*err = e;
		goto out;
	}
	if (rc == 0) {
		if (cst.st_nlink > 1 || (cst.st_ino == st.st_ino && cst.st_dev == st.st_dev)) {
			/* rendering writes the copy anew: another name for it is someone's doing */
			rc = refuse(m, r, o, when, hex, err, "%s: the rendered copy %s has other "
			    "names (a hard link%s): refused", file, cname,
			    cst.st_ino == st.st_ino ? " to the draft itself" : "");
			goto out;
		}
		ls_sha256_hex(copy, cn, rhex);
	}
	/* a copy missing (rendered by an older doc-render) counts as changed: nothing vouches for it */
	same = copy != NULL && cn == n && memcmp(copy, buf, n) == 0 && !strcmp(rhex, want);
	if (!same && !o->accept_changes) {
		if (copy == NULL)
			rc = refuse(m, r, o, when, hex, err, "%s: no rendered copy (%s) to compare it "
			    "with: render it again, or approve with --accept-changes after reading it",
			    file, cname);
		else if (strcmp(rhex, want) != 0 && !strcmp(hex, rhex))
			rc = refuse(m, r, o, when, hex, err, "%s and its rendered copy both changed "
			    "(sha256 %.12s..., %s %.12s...): render it again, or see the difference "
			    "with --accept-changes", file, hex, strcmp(r->f[LS_MF_STATUS], "draft") ?
			    "approved" : "rendered", want);
		else
			rc = refuse(m, r, o, when, hex, err, "%s changed since it was rendered (sha256 "
			    "%.12s..., rendered %.12s...): render it again, or see the difference with "
			    "--accept-changes", file, hex, rhex);
		goto out;
	}
	if (!same && o->show_change)
		o->show_change(o->arg, r->f[LS_MF_DOC_ID], file, copy ? copy : "", copy ? cn : 0, buf, n);
	if ((rc = ls_journal_add(m->journal, when, same ? "approved" : "accepted", r->f[LS_MF_DOC_ID],
	    hex, o->by, o->login, same ? "" : "changes since rendering accepted after the diff",
	    err)) != 0)
		goto out;
	if (ls_manifest_row_set(r, LS_MF_STATUS, "approved") || ls_manifest_row_set(r, LS_MF_SHA256, hex) ||
	    ls_manifest_row_set(r, LS_MF_APPROVED_BY, o->by) ||
	    ls_manifest_row_set(r, LS_MF_APPROVED_AT, when)) {
		rc = ls_error_set(err, LS_ENOMEM, NULL, 0, 0, "out of memory");
		goto out;
	}
	r->touched = 1;
out:
	free(cname);
	free(copy);
	free(buf);
	return rc;
}

int
ls_manifest_approve(struct ls_manifest *m, const struct ls_approve_opts *o, char *const *ids,
    size_t nids, size_t *napproved, size_t *nrefused, struct ls_error *err)
{
	char when[LS_TIME_BUFSZ];
	size_t i, k;
	int rc;

	if ((rc = ls_doc_now_text(when, err)) != 0)
		return rc;
	for (i = 0; i < m->n; i++)
		m->rows[i].touched = 0;

	*napproved = *nrefused = 0;
	if (m->journal == NULL)
		return ls_error_set(err, LS_EUSAGE, m->path, 0, 0, "approve needs ls_manifest_open()");
	for (k = 0; k < nids; k++) {
		for (i = 0; i < m->n; i++)
			if (!strcmp(m->rows[i].f[LS_MF_DOC_ID], ids[k]))
				break;
		if (i == m->n)
			return ls_error_set(err, LS_EDATA, m->path, 0, 0, "no document '%s' in the manifest",
			    ids[k]);
		if (!strcmp(m->rows[i].f[LS_MF_STATUS], "released"))
			return ls_error_set(err, LS_EDATA, m->path, m->rows[i].line, 0,
			    "%s is released already", ids[k]);
	}
	for (i = 0; i < m->n; i++) {
		struct ls_manifest_row *r = &m->rows[i];

		if (nids == 0) {
			if (strcmp(r->f[LS_MF_STATUS], "draft") != 0)
				continue;
		} else {
			for (k = 0; k < nids; k++)
				if (!strcmp(r->f[LS_MF_DOC_ID], ids[k]))
					break;
			if (k == nids)
				continue;
		}
		if ((rc = approve_row(m, r, o, when, err)) != 0)
			return rc;
		if (r->touched > 0)
			(*napproved)++;
		else
			(*nrefused)++;
	}
	/* the journal first: a manifest saying approved without it is not released */
	return ls_journal_commit(m->journal, err);
}
