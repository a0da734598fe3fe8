/*
 * tlog_rewrite.c - the ticket log written again whole, under its
 * exclusive lock and atomically (lock.h): check --repair's copy and mended
 * line ends, and the upgrade of a v1 log to v2.  See ticket.h.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "chain.h"
#include "tlog_int.h"
#include "writer.h"

/* Copy the log's bytes as they are to backup, atomically. */
static int
copy_to(struct ls_tlog *l, const char *backup, struct ls_error *err)
{
	struct ls_atomic *a;
	char *b;
	off_t at = 0;
	ssize_t n;
	int rc;

	if ((a = ls_atomic_open(backup, err)) == NULL)
		return err->status;
	if ((b = malloc(LS_TLOG_CHUNK)) == NULL) {
		ls_atomic_free(a);
		return ls_error_set(err, LS_ENOMEM, l->path, 0, 0, "out of memory");
	}
	/* a short fwrite shows again in ls_atomic_commit()'s flush and is its error */
	while ((n = pread(l->fd, b, LS_TLOG_CHUNK, at)) > 0) {
		if (fwrite(b, 1, (size_t)n, ls_atomic_file(a)) != (size_t)n)
			break;
		at += n;
	}
	free(b);
	if (n < 0) {
		ls_atomic_free(a);
		return ls_error_set(err, LS_EIO, l->path, 0, 0, "read error: %s", strerror(errno));
	}
	rc = ls_atomic_commit(a, err);
	ls_atomic_free(a);
	return rc;
}

/*
 * The log's whole records [0, good_end) again with LF line ends (inside
 * quoted fields too) and without blank lines, over the log (atomically).
 */
static int
rewrite(struct ls_tlog *l, struct ls_error *err)
{
	struct ls_atomic *a;
	FILE *fp;
	char *b;
	off_t at = 0;
	ssize_t n = 0;
	int inq = 0, cr = 0, bol = 1, rc;

	if ((a = ls_atomic_open(l->path, err)) == NULL)
		return err->status;
	if ((b = malloc(LS_TLOG_CHUNK)) == NULL) {
		ls_atomic_free(a);
		return ls_error_set(err, LS_ENOMEM, l->path, 0, 0, "out of memory");
	}
	fp = ls_atomic_file(a);
	while (at < l->good_end && (n = pread(l->fd, b, LS_TLOG_CHUNK, at)) > 0) {
		for (ssize_t i = 0; i < n && at + i < l->good_end; i++) {
			char c = b[i];

			if (cr && c != '\n')
				putc('\r', fp);
			cr = 0;
			if (c == '\r') {
				cr = 1;
				continue;
			}
			if (c == '"')
				inq = !inq;
			if (c == '\n' && !inq && bol)
				continue;
			putc(c, fp);
			bol = c == '\n' && !inq;
		}
		at += n;
	}
	free(b);
	if (n < 0) {
		ls_atomic_free(a);
		return ls_error_set(err, LS_EIO, l->path, 0, 0, "read error: %s", strerror(errno));
	}
	rc = ls_atomic_commit(a, err);
	ls_atomic_free(a);
	return rc;
}

int
ls_tlog_repair(struct ls_tlog *l, const char *backup, struct ls_error *err)
{
	int rc;

	if (!l->torn && l->ncrlf == 0 && l->nblank == 0)
		return 0;
	if (!(l->mode & 1))
		return ls_error_set(err, LS_EUSAGE, l->path, 0, 0, "log not opened for writing");
	if ((rc = copy_to(l, backup, err)) != 0)
		return rc;
	/*
	 * Neither mend changes a record's parsed fields (CR LF inside quoted
	 * fields was read as LF already), so a v2 log's chain holds as it was.
	 */
	if (l->ncrlf > 0 || l->nblank > 0) {
		if ((rc = rewrite(l, err)) != 0)
			return rc;
		l->torn = 0;
		return 0;
	}
	if (ftruncate(l->fd, l->good_end) != 0 || fsync(l->fd) != 0)
		return ls_error_set(err, LS_EIO, l->path, 0, 0, "cannot cut the torn record: %s",
		    strerror(errno));
	l->torn = 0;
	return 0;
}

int
ls_tlog_upgrade(struct ls_tlog *l, const char *backup, long long *n, char last[65],
    struct ls_error *err)
{
	struct ls_writer_opts wo = { .format = LS_FMT_CSV, .delim = ',' };
	struct ls_tlog_codec_buf head = { NULL, 0 };
	struct ls_tlog_rec r;
	struct ls_atomic *a = NULL;
	struct ls_writer *w = NULL;
	char h[65];
	int rc;

	*n = 0;
	if (!(l->mode & 1) || !l->eof || l->found_mode)
		return ls_error_set(err, LS_EUSAGE, l->path, 0, 0, "log not read to its end for writing");
	if (l->version != 1)
		return ls_error_set(err, LS_EUSAGE, l->path, 0, 0, "a v%d log: nothing to upgrade",
		    l->version);
	if (l->torn)
		return ls_error_set(err, LS_EDATA, l->path, l->torn_line, 0,
		    "torn tail: not upgraded (check --repair cuts it first)");
	if ((rc = copy_to(l, backup, err)) != 0)
		return rc;
	/* read again from the start, each record written as it is read: the log is never held in memory */
	if ((rc = ls_tlog_rewind(l, err)) != 0 || (rc = ls_tlog_codec_head(2, &head, err)) != 0)
		goto done;
	if ((a = ls_atomic_open(l->path, err)) == NULL) {
		rc = err->status;
		goto done;
	}
	if (fwrite(head.p, 1, head.n, ls_atomic_file(a)) != head.n) {
		rc = ls_error_set(err, LS_EIO, l->path, 0, 0, "write error: %s", strerror(errno));
		goto done;
	}
	if ((w = ls_writer_open(NULL, ls_atomic_file(a), &wo, err)) == NULL) {
		rc = err->status;
		goto done;
	}
	memcpy(h, ls_chain_zeros, 65);
	while ((rc = ls_tlog_next(l, &r, err)) > 0 && ls_writer_status(w) == 0) {
		ls_tlog_codec_put(w, r.f, h);
		++*n;
	}
	if (rc < 0) {
		rc = err->status;
		goto done;
	}
	if (ls_writer_flush(w, err) != 0 || (rc = ls_atomic_commit(a, err)) != 0) {
		rc = err->status ? err->status : LS_EIO;
		goto done;
	}
	memcpy(last, h, 65);
	rc = 0;
done:
	ls_writer_free(w);
	ls_atomic_free(a);
	free(head.p);
	return rc;
}

