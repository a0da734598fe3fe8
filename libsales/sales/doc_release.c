/*
 * doc_release.c - release (document.h): approved documents whose bytes are
 * still the approved ones are copied to the outbox; everything else is
 * refused with a reason.  The reasons' words live here, beside the enum.
 */
#include <errno.h>
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

int
ls_release_write_report(struct ls_writer *w, const struct ls_manifest *m)
{
	ls_writer_cstr(w, "doc_id");
	ls_writer_cstr(w, "file");
	ls_writer_cstr(w, "result");
	ls_writer_cstr(w, "reason");
	ls_writer_end(w);
	for (size_t i = 0; i < m->n; i++) {
		enum ls_release_result r = m->rows[i].rel;
		int bad = ls_release_refused(r);

		ls_writer_cstr(w, m->rows[i].f[LS_MF_DOC_ID]);
		ls_writer_cstr(w, m->rows[i].f[LS_MF_FILE]);
		ls_writer_cstr(w, bad ? "refused" : r == LS_REL_RELEASED ? "released" :
		    "already_released");
		ls_writer_cstr(w, bad ? reasons[r] : "");
		ls_writer_end(w);
	}
	return ls_writer_status(w);
}

int
ls_manifest_release(struct ls_manifest *m, const char *outbox, struct ls_error *err)
{
	struct stat st;

	/* rows after an I/O error are left as not approved: none of them was copied */
	for (size_t i = 0; i < m->n; i++)
		m->rows[i].rel = LS_REL_UNAPPROVED;

	if (stat(outbox, &st) != 0) {
		if (errno != ENOENT || mkdir(outbox, 0777) != 0)
			return ls_error_set(err, LS_EIO, outbox, 0, 0, "%s", strerror(errno));
	} else if (!S_ISDIR(st.st_mode))
		return ls_error_set(err, LS_EIO, outbox, 0, 0, "not a folder");
	for (size_t i = 0; i < m->n; i++) {
		struct ls_manifest_row *r = &m->rows[i];
		const char *base;
		char hex[LS_SHA256_HEX], *buf, *target;
		size_t n, on;
		int rc;

		if (!strcmp(r->f[LS_MF_STATUS], "released")) {
			r->rel = LS_REL_ALREADY;
			continue;
		}
		if (strcmp(r->f[LS_MF_STATUS], "approved") != 0) {
			r->rel = LS_REL_UNAPPROVED;
			continue;
		}
		/* read once: the bytes checked are the bytes copied */
		if ((buf = ls_read_file(r->f[LS_MF_FILE], &n, NULL)) == NULL) {
			if (errno == ENOENT) {
				r->rel = LS_REL_MISSING;
				continue;
			}
			return ls_error_set(err, LS_EIO, r->f[LS_MF_FILE], 0, 0, "%s", strerror(errno));
		}
		ls_sha256_hex(buf, n, hex);
		if (strcmp(hex, r->f[LS_MF_SHA256]) != 0) {
			r->rel = LS_REL_CHANGED;
			free(buf);
			continue;
		}
		base = strrchr(r->f[LS_MF_FILE], '/');
		base = base ? base + 1 : r->f[LS_MF_FILE];
		if ((target = ls_doc_join(outbox, base)) == NULL) {
			free(buf);
			return ls_error_set(err, LS_ENOMEM, NULL, 0, 0, "out of memory");
		}
		if (lstat(target, &st) == 0) {
			char *old = S_ISREG(st.st_mode) ? ls_read_file(target, &on, NULL) : NULL;
			int same = old && on == n && memcmp(old, buf, n) == 0;

			free(old);
			if (!same) {
				r->rel = LS_REL_CONFLICT;
				free(buf);
				free(target);
				continue;
			}
			rc = 0;
		} else
			rc = ls_atomic_write(target, buf, n, err);
		free(buf);
		free(target);
		if (rc != 0)
			return rc;
		if (ls_manifest_row_set(r, LS_MF_STATUS, "released") != 0)
			return ls_error_set(err, LS_ENOMEM, NULL, 0, 0, "out of memory");
		r->rel = LS_REL_RELEASED;
	}
	return 0;
}

