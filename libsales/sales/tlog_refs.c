/*
 * tlog_refs.c - the ticket log's reference store, LOG.refs: read whole,
 * looked up through a keyset, appended through recfile.h.  See tlog_refs.h.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "keyset.h"
#include "recfile.h"
#include "ticket.h"
#include "tlog_refs.h"
#include "util.h"

struct ls_trefs {
	char *path;			/* log + ".refs" */
	long long logseq;
	struct ls_keyset *ks;		/* reference -> "T-000001" */
	size_t count;
	off_t good_end;			/* after the last line that counts (0: no store yet) */
	off_t size;			/* the file's size as read */
	struct ls_buf pend;		/* queued lines, escaped */
	off_t undo_end;			/* good_end before the last commit, for ls_trefs_undo() */
	int undo_created;		/* the last commit made the file */
	int undo;			/* a commit to undo */
};

static char *
refs_path(const char *log, struct ls_error *err)
{
	char *p = ls_concat(log, ".refs");

	if (p == NULL)
		ls_error_set(err, LS_ENOMEM, log, 0, 0, "out of memory");
	return p;
}

/* Read all of fd into a malloc'ed buffer; -1 with errno on failure. */
static int
slurp(int fd, char **buf, size_t *len)
{
	size_t cap = 0, n = 0;
	char *b = NULL;
	ssize_t got;

	for (;;) {
		if (cap - n < 65536 && ls_grow(&b, &cap, n + 65536, 1) != 0) {
			free(b);
			errno = ENOMEM;
			return -1;
		}
		do
			got = pread(fd, b + n, cap - n, (off_t)n);
		while (got < 0 && errno == EINTR);
		if (got < 0) {
			free(b);
			return -1;
		}
		if (got == 0)
			break;
		n += (size_t)got;
	}
	*buf = b;
	*len = n;
	return 0;
}

/* A whole decimal number in s, 1 to 18 digits.  0 or -1. */
static int
number(const char *s, size_t n, long long *v)
{
	*v = 0;
	if (n == 0 || n > 18)
		return -1;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		*v = *v * 10 + (s[i] - '0');
	}
	return 0;
}

/* Read the lines of mem[0..len) into r: those up to r->logseq count; r->good_end after the last. */
static int
parse(struct ls_trefs *r, const char *mem, size_t len, struct ls_error *err)
{
	struct ls_recfile_lines L = { .mem = mem, .memlen = len };
	struct ls_str f[4];
	char *line;
	size_t n;
	int rc, ver;

	while ((rc = ls_recfile_next(&L, &line, &n)) > 0) {
		long long seq;
		long id;
		int nf;

		if (L.torn)
			break;	/* a write cut short: never counted, cut by the next writer */
		if (L.line == 1) {
			if (ls_recfile_head_check(line, n, LS_TREFS_MAGIC, LS_TREFS_VERSION,
			    "a ticket-log refs file", r->path, &ver, err) != 0)
				goto fail;
			r->good_end = (off_t)L.memoff;
			continue;
		}
		if (memchr(line, '\0', n) != NULL || (nf = ls_tsv_split(line, n, f, 4)) != 3 ||
		    f[0].n == 0 || number(f[1].p, f[1].n, &seq) != 0 || seq == 0 ||
		    ls_ticket_id_parse(f[2].p, f[2].n, &id) != 0) {
			ls_error_set(err, LS_EDATA, r->path, L.line, 0,
			    "expected a reference, a seq and a ticket id, tab-separated");
			goto fail;
		}
		/* lines are in seq order: past the log's end, the rest never reached it */
		if (seq > r->logseq)
			break;
		if (ls_keyset_put(r->ks, f[0].p, f[0].n, f[2].p, f[2].n, NULL) != 0) {
			ls_error_set(err, LS_ENOMEM, r->path, 0, 0, "out of memory");
			goto fail;
		}
		r->count++;
		r->good_end = (off_t)L.memoff;
	}
	if (rc < 0) {
		ls_error_set(err, LS_ENOMEM, r->path, 0, 0, "out of memory");
		goto fail;
	}
	ls_recfile_lines_free(&L);
	return 0;
fail:
	ls_recfile_lines_free(&L);
	return -1;
}

struct ls_trefs *
ls_trefs_open(const char *log, long long logseq, struct ls_error *err)
{
	struct ls_trefs *r = calloc(1, sizeof(*r));
	char *mem = NULL;
	size_t len = 0;
	int fd;

	if (r == NULL || (r->ks = ls_keyset_create(err)) == NULL) {
		free(r);
		ls_error_set(err, LS_ENOMEM, log, 0, 0, "out of memory");
		return NULL;
	}
	r->logseq = logseq;
	if ((r->path = refs_path(log, err)) == NULL)
		goto fail;
	if ((fd = open(r->path, O_RDONLY | O_CLOEXEC)) < 0) {
		if (errno == ENOENT)
			return r;
		ls_error_set(err, LS_EIO, r->path, 0, 0, "cannot open: %s", strerror(errno));
		goto fail;
	}
	if (slurp(fd, &mem, &len) != 0) {
		ls_error_set(err, errno == ENOMEM ? LS_ENOMEM : LS_EIO, r->path, 0, 0, "read error: %s",
		    strerror(errno));
		close(fd);
		goto fail;
	}
	close(fd);
	r->size = (off_t)len;
	if (parse(r, mem, len, err) != 0)
		goto fail;
	free(mem);
	return r;
fail:
	free(mem);
	ls_trefs_free(r);
	return NULL;
}

long
ls_trefs_get(const struct ls_trefs *r, const char *ref, size_t n)
{
	const char *v;
	long id;

	if (r == NULL || n == 0 || (v = ls_keyset_get(r->ks, ref, n)) == NULL ||
	    ls_ticket_id_parse(v, strlen(v), &id) != 0)
		return 0;
	return id;
}

int
ls_trefs_add(struct ls_trefs *r, const char *ref, size_t n, long long seq, long id,
    struct ls_error *err)
{
	char idb[16], num[32];
	const char *had;

	if (n == 0 || n > LS_TREFS_MAX || memchr(ref, '\0', n) != NULL)
		return ls_error_set(err, LS_EDATA, NULL, 0, 0,
		    "ref: %s (1 to %d bytes, no NUL)", n == 0 ? "empty" : "bad reference",
		    LS_TREFS_MAX);
	ls_ticket_id_format(id, idb, sizeof(idb));
	if (ls_keyset_put(r->ks, ref, n, idb, strlen(idb), &had) != 0)
		return ls_error_set(err, LS_ENOMEM, r->path, 0, 0, "out of memory");
	if (had != NULL)
		return 0;
	snprintf(num, sizeof(num), "\t%lld\t", seq);
	if (ls_tsv_put_buf(&r->pend, ref, n) != 0 || ls_buf_puts(&r->pend, num) != 0 ||
	    ls_buf_puts(&r->pend, idb) != 0 || ls_buf_puts(&r->pend, "\n") != 0)
		return ls_error_set(err, LS_ENOMEM, r->path, 0, 0, "out of memory");
	r->count++;
	return 0;
}

size_t
ls_trefs_count(const struct ls_trefs *r)
{
	return r ? r->count : 0;
}

/* Cut fd back to at when it is longer (what a failed commit left), and fsync.  0 or LS_EIO. */
static int
cut_back(int fd, off_t at, off_t size, const char *path, struct ls_error *err)
{
	if (size <= at)
		return 0;
	if (ftruncate(fd, at) != 0 || fsync(fd) != 0)
		return ls_error_set(err, LS_EIO, path, 0, 0, "cannot cut what a failed write left: %s",
		    strerror(errno));
	return 0;
}

int
ls_trefs_commit(struct ls_trefs *r, struct ls_error *err)
{
	struct ls_buf out = { 0 };
	struct stat st;
	int fd, rc, created = 0, made = 0;

	if (r->pend.n == 0)
		return 0;
	/* made: the file is this commit's (O_EXCL), and goes whole when the commit fails */
	if ((fd = open(r->path, O_RDWR | O_CLOEXEC)) < 0 && errno == ENOENT &&
	    (fd = open(r->path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0666)) >= 0)
		made = 1;
	if (fd < 0)
		return ls_error_set(err, LS_EIO, r->path, 0, 0, "cannot open: %s", strerror(errno));
	if (fstat(fd, &st) != 0) {
		rc = ls_error_set(err, LS_EIO, r->path, 0, 0, "cannot stat: %s", strerror(errno));
		goto done;
	}
	/* a store made since it was read (it was not there) would be a writer without the lock */
	if (r->good_end == 0) {
		char head[48];

		snprintf(head, sizeof(head), "%s%d\n", LS_TREFS_MAGIC, LS_TREFS_VERSION);
		created = st.st_size == 0;
		if (ls_buf_puts(&out, head) != 0) {
			rc = ls_error_set(err, LS_ENOMEM, r->path, 0, 0, "out of memory");
			goto done;
		}
	}
	if (ls_buf_put(&out, r->pend.p, r->pend.n) != 0) {
		rc = ls_error_set(err, LS_ENOMEM, r->path, 0, 0, "out of memory");
		goto done;
	}
	/* a failed append cuts the file back to r->good_end itself (ls_recfile_append()) */
	if ((rc = cut_back(fd, r->good_end, st.st_size, r->path, err)) != 0 ||
	    (rc = ls_recfile_append(fd, r->good_end, out.p, out.n, r->path, err)) != 0)
		goto done;
	if (created)
		ls_recfile_sync_dir(r->path);
	r->undo_end = r->good_end;
	r->undo_created = made;
	r->undo = 1;
	r->good_end += (off_t)out.n;
	r->size = r->good_end;
	r->pend.n = 0;
done:
	close(fd);
	/* a store made by this commit and not written leaves no empty file behind */
	if (rc != 0 && made)
		unlink(r->path);
	ls_buf_free(&out);
	return rc;
}

void
ls_trefs_undo(struct ls_trefs *r)
{
	struct ls_error scratch = { 0 };
	int fd;

	if (r == NULL || !r->undo)
		return;
	r->undo = 0;
	/* a store this commit made goes whole: the log's failure leaves no new file behind */
	if (r->undo_created) {
		if (unlink(r->path) == 0)
			ls_recfile_sync_dir(r->path);
	} else if ((fd = open(r->path, O_RDWR | O_CLOEXEC)) >= 0) {
		(void)cut_back(fd, r->undo_end, r->good_end, r->path, &scratch);
		close(fd);
	}
	r->good_end = r->size = r->undo_end;
}

int
ls_trefs_trim(const char *log, long long logseq, struct ls_error *err)
{
	struct ls_trefs *r;
	char *path, tail[64];
	struct stat st;
	off_t at;
	ssize_t n;
	int fd, rc;

	if ((path = refs_path(log, err)) == NULL)
		return LS_ENOMEM;
	fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		rc = errno == ENOENT ? 0 : ls_error_set(err, LS_EIO, path, 0, 0, "cannot open: %s",
		    strerror(errno));
		free(path);
		return rc;
	}
	free(path);
	if (fstat(fd, &st) != 0 || st.st_size == 0) {
		close(fd);
		return 0;
	}
	/* the usual case: the last line whole, its seq the log's or before it */
	at = st.st_size > (off_t)sizeof(tail) ? st.st_size - (off_t)sizeof(tail) : 0;
	n = pread(fd, tail, sizeof(tail), at);
	if (n > 1 && tail[n - 1] == '\n') {
		char *e = tail + n - 1, *t2 = e, *t1;
		long long seq;

		/* within the last line only: a line without its two tabs is not read from the one before */
		while (t2 > tail && t2[-1] != '\t' && t2[-1] != '\n')
			t2--;
		t1 = t2 > tail ? t2 - 1 : tail;
		while (t1 > tail && t1[-1] != '\t' && t1[-1] != '\n')
			t1--;
		if (t2 > tail && t2[-1] == '\t' && t1 > tail && t1[-1] == '\t' &&
		    number(t1, (size_t)(t2 - 1 - t1), &seq) == 0 && seq <= logseq) {
			close(fd);
			return 0;
		}
	}
	close(fd);
	/* else read it whole, as a writer with references would, and cut */
	if ((r = ls_trefs_open(log, logseq, err)) == NULL)
		return err->status;
	rc = 0;
	if (r->size > r->good_end) {
		if ((fd = open(r->path, O_RDWR | O_CLOEXEC)) < 0)
			rc = ls_error_set(err, LS_EIO, r->path, 0, 0, "cannot open: %s", strerror(errno));
		else {
			rc = cut_back(fd, r->good_end, r->size, r->path, err);
			close(fd);
		}
	}
	ls_trefs_free(r);
	return rc;
}

void
ls_trefs_free(struct ls_trefs *r)
{
	if (r == NULL)
		return;
	free(r->path);
	ls_keyset_free(r->ks);
	ls_buf_free(&r->pend);
	free(r);
}
