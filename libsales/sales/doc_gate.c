/*
 * doc_gate.c - what the approval gate (document.h) stands on: documents
 * read only from inside the manifest's folder, the approval journal (a
 * chain.h hash chain beside the manifest), who may approve (company.yaml's
 * approvers:) and doc-render verify.
 */
#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "chain.h"
#include "diff.h"
#include "doc_int.h"
#include "keyset.h"
#include "lock.h"
#include "util.h"

#define JOURNAL_PREFIX	"# doc-render journal v"

/*
 * name is walked a folder at a time with openat(O_NOFOLLOW) from the
 * folder base: a symbolic link anywhere on the way, "..", an absolute name
 * or something that is not a regular file at the end is refused, and the
 * bytes hashed and copied later are the ones read here from the one
 * descriptor checked (a file swapped after the check is not read).
 */
int
ls_doc_read_in(const char *base, const char *name, char **buf, size_t *len, int *missing,
    struct stat *stp, struct ls_error *err)
{
	char *copy, *part, *next;
	struct stat st;
	int fd, nfd, e, rc;

	*buf = NULL;
	*missing = 0;
	if (name[0] == '\0')
		return ls_error_set(err, LS_EDATA, NULL, 0, 0, "the file name is empty");
	if (name[0] == '/')
		return ls_error_set(err, LS_EDATA, NULL, 0, 0,
		    "%s is an absolute path: documents are named inside the manifest's folder", name);
	if ((copy = strdup(name)) == NULL)
		return ls_error_set(err, LS_ENOMEM, NULL, 0, 0, "out of memory");
	if ((fd = open(base, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0) {
		e = errno;
		free(copy);
		return ls_error_set(err, LS_EIO, base, 0, 0, "%s", strerror(e));
	}
	for (part = copy; part; part = next) {
		int last;

		if ((next = strchr(part, '/')) != NULL)
			*next++ = '\0';
		last = next == NULL || *next == '\0';
		if (part[0] == '\0' || !strcmp(part, "."))
			continue;
		if (!strcmp(part, "..")) {
			close(fd);
			free(copy);
			return ls_error_set(err, LS_EDATA, NULL, 0, 0,
			    "%s holds '..': documents are named inside the manifest's folder", name);
		}
		nfd = openat(fd, part, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY |
		    (last ? O_NONBLOCK : O_DIRECTORY));
		e = errno;
		close(fd);
		fd = nfd;
		if (fd < 0) {
			if (e == ENOENT) {
				*missing = 1;
				rc = ls_error_set(err, LS_EDATA, NULL, 0, 0, "%s: file missing", name);
			} else if (e == ELOOP || (e == ENOTDIR && !last))
				rc = ls_error_set(err, LS_EDATA, NULL, 0, 0,
				    "%s: %s is a symbolic link or not a folder: refused", name, part);
			else if (e == EACCES || e == EPERM || e == ENXIO || e == ENODEV || e == EISDIR ||
			    e == ENOTDIR || e == ENAMETOOLONG || e == ETXTBSY)
				rc = ls_error_set(err, LS_EDATA, NULL, 0, 0, "%s: %s", name, strerror(e));
			else	/* EIO, EMFILE, ...: the system's fault, not the file's */
				rc = ls_error_set(err, LS_EIO, NULL, 0, 0, "%s: %s", name, strerror(e));
			free(copy);
			return rc;
		}
		if (last)
			break;
	}
	free(copy);
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return ls_error_set(err, LS_EDATA, NULL, 0, 0, "%s is not a regular file: refused", name);
	}
	if (stp)
		*stp = st;
	{
		size_t cap = (size_t)st.st_size + 1, n = 0;
		char *b = malloc(cap);
		ssize_t got;

		while (b != NULL) {
			if (n == cap) {
				char *nb = realloc(b, cap *= 2);

				if (nb == NULL) {
					free(b);
					b = NULL;
					break;
				}
				b = nb;
			}
			if ((got = read(fd, b + n, cap - n)) > 0)
				n += (size_t)got;
			else if (got == 0)
				break;
			else if (errno != EINTR) {
				e = errno;
				free(b);
				close(fd);
				return ls_error_set(err, LS_EIO, NULL, 0, 0, "%s: %s", name, strerror(e));
			}
		}
		close(fd);
		if (b == NULL)
			return ls_error_set(err, LS_ENOMEM, NULL, 0, 0, "out of memory");
		*buf = b;
		*len = n;
	}
	return 0;
}

char *
ls_doc_rendered_name(const char *file)
{
	const char *slash = strrchr(file, '/');
	size_t dn = slash ? (size_t)(slash - file) + 1 : 0;
	char *p = malloc(strlen(file) + sizeof LS_DOC_RENDERED + 1);

	if (p == NULL)
		return NULL;
	memcpy(p, file, dn);
	strcpy(p + dn, LS_DOC_RENDERED "/");
	strcat(p, file + dn);
	return p;
}

void
ls_doc_login(char buf[64])
{
	struct passwd *pw = getpwuid(geteuid());

	if (pw && pw->pw_name)
		snprintf(buf, 64, "%s", pw->pw_name);
	else
		snprintf(buf, 64, "uid %ld", (long)geteuid());
}

/* ---- the journal ---- */

static struct ls_jdoc *
jdoc(struct ls_journal *j, const char *id, size_t n, int create)
{
	size_t *slot, idx;
	int created = 0, st = 0;

	if (!create) {
		const char *v = ls_keyset_get(j->index, id, n);

		if (v == NULL)
			return NULL;
		memcpy(&idx, v, sizeof idx);
		return &j->docs[idx];
	}
	if ((slot = ls_keyset_upsert(j->index, id, n, sizeof idx, &created, &st)) == NULL)
		return NULL;
	if (!created) {
		memcpy(&idx, slot, sizeof idx);
		return &j->docs[idx];
	}
	if (ls_grow(&j->docs, &j->cap, j->n + 1, sizeof *j->docs) != 0)
		return NULL;
	memset(&j->docs[j->n], 0, sizeof *j->docs);
	idx = j->n++;
	memcpy(slot, &idx, sizeof idx);
	return &j->docs[idx];
}

/* How many of p[0..n) are in set. */
static size_t
strspn_n(const char *p, size_t n, const char *set)
{
	size_t i = 0;

	while (i < n && p[i] != '\0' && strchr(set, p[i]) != NULL)
		i++;
	return i;
}

int
ls_journal_printed_why(struct ls_buf *buf, const char *pdf_sha, const char *name)
{
	buf->n = 0;
	return ls_buf_printf(buf, LS_J_PRINTED_WHY "%s file=%s", pdf_sha, name) ? LS_ENOMEM : 0;
}

/* What a record tells about its document: every approval, the last release, the last rendering's terms. */
static int
note(struct ls_journal *j, const struct ls_str *f, long line, struct ls_error *err)
{
	struct ls_jdoc *d;
	const struct ls_str *ev = &f[LS_J_EVENT];
	int appr = (ev->n == 8 && !memcmp(ev->p, "approved", 8)) ||
	    (ev->n == 8 && !memcmp(ev->p, "accepted", 8));
	int rel = ev->n == 8 && !memcmp(ev->p, "released", 8);
	int ren = ev->n == 8 && !memcmp(ev->p, "rendered", 8);
	int prn = ev->n == 7 && !memcmp(ev->p, "printed", 7);

	if (!appr && !rel && !ren && !prn)
		return 0;	/* a kind this version does not know is kept and skipped */
	if ((d = jdoc(j, f[LS_J_DOC].p, f[LS_J_DOC].n, 1)) == NULL)
		return ls_error_set(err, LS_ENOMEM, NULL, 0, 0, "out of memory");
	if (f[LS_J_SHA].n != 64)
		return ls_error_set(err, LS_EDATA, j->path, line, 0, "the sha256 field is not 64 hex digits");
	if (prn) {
		/* a PDF of the hash released last, its own hash in the why: anything else is out of place */
		const struct ls_str *w = &f[LS_J_WHY];
		size_t k = sizeof LS_J_PRINTED_WHY - 1;

		if (!d->released || memcmp(d->rel_sha, f[LS_J_SHA].p, 64) != 0)
			return ls_error_set(err, LS_EDATA, j->path, line, 0, "%.*s printed from sha256 "
			    "%.12s..., which the journal did not release last", (int)f[LS_J_DOC].n,
			    f[LS_J_DOC].p, f[LS_J_SHA].p);
		if (w->n < k + 64 || memcmp(w->p, LS_J_PRINTED_WHY, k) != 0 ||
		    strspn_n(w->p + k, 64, "0123456789abcdef") != 64 || (w->n > k + 64 && w->p[k + 64] != ' '))
			return ls_error_set(err, LS_EDATA, j->path, line, 0,
			    "a printed record without '" LS_J_PRINTED_WHY "' and 64 hex digits");
		memcpy(d->pdf_sha, w->p + k, 64);
		d->pdf_sha[64] = '\0';
		d->printed = 1;
	} else if (ren) {
		char *t = strndup(f[LS_J_WHY].p, f[LS_J_WHY].n);

		if (t == NULL)
			return ls_error_set(err, LS_ENOMEM, NULL, 0, 0, "out of memory");
		free(d->terms);
		d->terms = t;
		memcpy(d->terms_sha, f[LS_J_SHA].p, 64);
		d->terms_sha[64] = '\0';
		d->terms_line = line;
	} else if (appr) {
		char *by = strndup(f[LS_J_BY].p, f[LS_J_BY].n), *by2 = strdup(by ? by : "");
		struct ls_jappr *a;

		if (by == NULL || by2 == NULL ||
		    ls_grow(&d->appr, &d->capappr, d->nappr + 1, sizeof *d->appr) != 0) {
			free(by);
			free(by2);
			return ls_error_set(err, LS_ENOMEM, NULL, 0, 0, "out of memory");
		}
		a = &d->appr[d->nappr++];
		a->by = by2;
		memcpy(a->sha, f[LS_J_SHA].p, 64);
		a->sha[64] = '\0';
		free(d->by);
		d->by = by;
		memcpy(d->sha, f[LS_J_SHA].p, 64);
		d->sha[64] = '\0';
		d->line = line;
		d->released = 0;
		d->printed = 0;
	} else {
		memcpy(d->rel_sha, f[LS_J_SHA].p, 64);
		d->rel_sha[64] = '\0';
		d->released = 1;
		d->printed = 0;
	}
	return 0;
}

int
ls_journal_rules_missing(const struct ls_jdoc *d, struct ls_buf *missing)
{
	const char **have = NULL;
	size_t nhave = 0, cap = 0;
	int rc;

	/* the approvals of the hash approved last, each person once: an older hash's do not count */
	for (size_t i = 0; i < d->nappr; i++) {
		size_t k;

		if (strcmp(d->appr[i].sha, d->sha) != 0)
			continue;
		for (k = 0; k < nhave && strcmp(have[k], d->appr[i].by) != 0; k++)
			;
		if (k < nhave)
			continue;
		if (ls_grow(&have, &cap, nhave + 1, sizeof *have) != 0) {
			free(have);
			return -1;
		}
		have[nhave++] = d->appr[i].by;
	}
	rc = ls_doc_terms_missing(d->terms, have, nhave, missing);
	free(have);
	return rc;
}

static int
note_cb(void *arg, const struct ls_str *f, size_t n, long line, struct ls_error *err)
{
	(void)n;
	return note(arg, f, line, err);
}

struct ls_journal *
ls_journal_open(const char *manifest, int write, struct ls_error *err)
{
	struct ls_journal *j = calloc(1, sizeof *j);

	if (j == NULL || (j->path = malloc(strlen(manifest) + 9)) == NULL ||
	    (j->index = ls_keyset_new()) == NULL) {
		ls_journal_close(j);
		ls_error_set(err, LS_ENOMEM, NULL, 0, 0, "out of memory");
		return NULL;
	}
	strcpy(j->path, manifest);
	strcat(j->path, ".journal");
	if ((j->c = ls_chain_open(j->path, JOURNAL_PREFIX, "a doc-render journal", LS_J_NFIELDS,
	    write ? LS_CHAIN_WRITE : LS_CHAIN_READ, note_cb, j, err)) == NULL) {
		ls_journal_close(j);
		return NULL;
	}
	return j;
}

const struct ls_jdoc *
ls_journal_doc(const struct ls_journal *j, const char *id)
{
	return jdoc((struct ls_journal *)j, id, strlen(id), 0);
}

int
ls_journal_add(struct ls_journal *j, const char *when, const char *event, const char *id,
    const char *sha, const char *by, const char *login, const char *why, struct ls_error *err)
{
	const char *v[LS_J_NFIELDS] = { when, event, id, sha, by, login, why };
	struct ls_str f[LS_J_NFIELDS];
	int rc;

	for (int i = 0; i < LS_J_NFIELDS; i++) {
		f[i].p = v[i] ? v[i] : "";
		f[i].n = strlen(f[i].p);
	}
	if ((rc = ls_chain_add(j->c, f, err)) != 0)
		return rc;
	return note(j, f, 0, err);
}

int
ls_journal_commit(struct ls_journal *j, struct ls_error *err)
{
	return ls_chain_commit(j->c, err);
}

void
ls_journal_close(struct ls_journal *j)
{
	if (j == NULL)
		return;
	for (size_t i = 0; i < j->n; i++) {
		free(j->docs[i].by);
		free(j->docs[i].terms);
		for (size_t k = 0; k < j->docs[i].nappr; k++)
			free(j->docs[i].appr[k].by);
		free(j->docs[i].appr);
	}
	free(j->docs);
	ls_keyset_free(j->index);
	ls_chain_close(j->c);
	free(j->path);
	free(j);
}

/* ---- who may approve ---- */

int
ls_approver_check(const char *context_path, const char *by, const char *login, int *verified,
    struct ls_error *err)
{
	struct ls_config *cfg;
	const struct ls_node *root, *list, *e;
	int rc = 0;

	*verified = 0;
	for (const char *c = by; *c; c++)
		if ((unsigned char)*c < 0x20)
			return ls_error_set(err, LS_EUSAGE, NULL, 0, 0, "--by holds a control character");
	if (context_path == NULL)
		return 0;
	if ((cfg = ls_config_load(context_path, err)) == NULL)
		return err->status;
	root = ls_config_root(cfg);
	if (root == NULL || root->type != LS_NODE_MAP || (list = ls_node_get(root, "approvers")) == NULL)
		goto out;	/* not configured: any name, not verified */
	if (list->type == LS_NODE_SEQ) {
		for (size_t i = 0; i < list->len; i++) {
			const char *s;

			if ((rc = ls_node_str(cfg, list->items[i], &s, err)) != 0)
				goto out;
			if (!strcmp(s, by))
				goto out;
		}
	} else if (list->type == LS_NODE_MAP) {
		if ((e = ls_node_get(list, by)) != NULL) {
			const struct ls_node *ln = e->type == LS_NODE_MAP ? ls_node_get(e, "login") : NULL;
			const char *want;

			if (ln == NULL)
				goto out;	/* a name without a login: not verified */
			if ((rc = ls_node_str(cfg, ln, &want, err)) != 0)
				goto out;
			if (strcmp(want, login) != 0)
				rc = ls_error_set(err, LS_EUSAGE, NULL, 0, 0,
				    "--by %s: the approver's login is %s, and this is %s's: approve as yourself",
				    by, want, login);
			else
				*verified = 1;
			goto out;
		}
	} else {
		rc = ls_node_error(cfg, list, err, "approvers: expected a list of names or a mapping "
		    "of names to {login: LOGIN}");
		goto out;
	}
	rc = ls_error_set(err, LS_EUSAGE, NULL, 0, 0, "--by %s: not an approver in %s (approvers:)",
	    by, context_path);
out:
	ls_config_free(cfg);
	return rc;
}

/* ---- verify ---- */

int
ls_manifest_verify(const char *path, char last[65], long *records, struct ls_error *err)
{
	struct ls_lock *lock;
	struct ls_manifest *m = NULL;
	struct ls_journal *j = NULL;
	int rc = 0;

	if ((lock = ls_lock_acquire(path, LS_LOCK_SH, err)) == NULL)
		return err->status;
	if ((m = ls_manifest_load(path, err)) == NULL || (j = ls_journal_open(path, 0, err)) == NULL) {
		rc = err->status;
		goto out;
	}
	memcpy(last, ls_chain_last(j->c), 65);
	*records = ls_chain_count(j->c);
	for (size_t i = 0; i < m->n && rc == 0; i++) {
		const struct ls_manifest_row *r = &m->rows[i];
		const char *id = r->f[LS_MF_DOC_ID], *st = r->f[LS_MF_STATUS];
		const struct ls_jdoc *d = ls_journal_doc(j, id);

		if (!strcmp(st, "draft"))
			continue;
		if (d == NULL || d->by == NULL)
			rc = ls_error_set(err, LS_EDATA, path, r->line, 0,
			    "%s is %s in the manifest, and the journal has no approval of it", id, st);
		else if (strcmp(d->sha, r->f[LS_MF_SHA256]) != 0 || strcmp(d->by, r->f[LS_MF_APPROVED_BY]) != 0)
			rc = ls_error_set(err, LS_EDATA, path, r->line, 0,
			    "%s: the manifest says approved by %s (sha256 %.12s...), the journal's line %ld "
			    "by %s (sha256 %.12s...)", id, r->f[LS_MF_APPROVED_BY], r->f[LS_MF_SHA256],
			    d->line, d->by, d->sha);
		else if (!strcmp(st, "released") && (!d->released || strcmp(d->rel_sha, d->sha) != 0))
			rc = ls_error_set(err, LS_EDATA, path, r->line, 0,
			    "%s is released in the manifest, and the journal has no release of it", id);
	}
out:
	ls_journal_close(j);
	ls_manifest_free(m);
	ls_lock_release(lock);
	return rc;
}

/*
 * The difference as the approver's terminal will show it: a carriage
 * return, an escape sequence or a bidirectional override inside a draft
 * would let the screen show other text than the bytes approved (a line
 * drawn over, an account number reversed).  Those are written as visible
 * escapes: \r, \x1b, <U+202E>; tabs and line ends stay.
 */
static void
put_visible(FILE *fp, const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)p[i];

		if (c == '\n' || c == '\t')
			putc(c, fp);
		else if (c == '\r')
			fputs("\\r", fp);
		else if (c < 0x20 || c == 0x7f)
			fprintf(fp, "\\x%02x", c);
		else if (c == 0xe2 && i + 2 < n && (((unsigned char)p[i + 1] == 0x80 &&
		    (((unsigned char)p[i + 2] >= 0x8e && (unsigned char)p[i + 2] <= 0x8f) ||
		    ((unsigned char)p[i + 2] >= 0xaa && (unsigned char)p[i + 2] <= 0xae))) ||
		    ((unsigned char)p[i + 1] == 0x81 && (unsigned char)p[i + 2] >= 0xa6 &&
		    (unsigned char)p[i + 2] <= 0xa9))) {
			/* U+200E-200F, U+202A-202E, U+2066-2069 */
			unsigned cp = ((c & 0x0fu) << 12) | (((unsigned char)p[i + 1] & 0x3fu) << 6) |
			    ((unsigned char)p[i + 2] & 0x3fu);

			fprintf(fp, "<U+%04X>", cp);
			i += 2;
		} else
			putc(c, fp);
	}
}

void
ls_approve_print_change(void *fp, const char *id, const char *file, const char *old, size_t on,
    const char *now, size_t nn)
{
	struct ls_buf b = { 0 };

	fprintf(fp, "--- %s (as rendered)\n+++ %s (to approve)\n", id, file);
	/* a .docx (a zip) or another binary document: its bytes as lines would mean nothing */
	if ((on && memchr(old, '\0', on)) || (nn && memchr(now, '\0', nn))) {
		fprintf(fp, "binary file changed (%zu bytes as rendered, %zu bytes to approve)\n", on, nn);
		return;
	}
	if (ls_diff_hunk(&b, old, on, now, nn) == 0)
		put_visible(fp, b.p, b.n);
	ls_buf_free(&b);
}
