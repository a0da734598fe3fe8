/*
 * chain.c - the hash chain of chain.h over recfile.h's lines, escapes and
 * durable appends.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "chain.h"
#include "recfile.h"
#include "sha256.h"

const char ls_chain_zeros[65] = "0000000000000000000000000000000000000000000000000000000000000000";

struct ls_chain {
	char *path;
	int fd;			/* -1: a missing file read as an empty chain */
	size_t nfields;
	off_t end;		/* after the last whole record */
	long count;
	char last[65];		/* the last record's hash, pending ones included */
	char committed[65];	/* ... and without them */
	struct ls_buf pending;
	const char *prefix;	/* for the first line of a new file */
	int write;		/* opened with LS_CHAIN_WRITE: holds the exclusive lock */
	int created;		/* this open made the file */
};

void
ls_chain_hash(const struct ls_str *f, size_t n, char hex[65])
{
	struct ls_sha256 s;
	char len[24];

	/* length-prefixed: "ab","c" and "a","bc" must not hash alike */
	ls_sha256_init(&s);
	for (size_t i = 0; i < n; i++) {
		int k = snprintf(len, sizeof len, "%zu:", f[i].n);

		ls_sha256_update(&s, len, (size_t)k);
		ls_sha256_update(&s, f[i].p, f[i].n);
	}
	ls_sha256_final_hex(&s, hex);
}

int
ls_chain_follows(const struct ls_str *f, size_t n, const char *last)
{
	return n > 0 && f[n - 1].n == 64 && memcmp(f[n - 1].p, last, 64) == 0;
}

void
ls_chain_close(struct ls_chain *c)
{
	if (c == NULL)
		return;
	/*
	 * A file this writer made and put no record in goes
	 * again, under the lock still held: a failed first run leaves no empty
	 * file where there was none.
	 */
	if (c->fd >= 0 && c->write && c->created && c->end == 0) {
		struct stat st;

		if (fstat(c->fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size == 0)
			unlink(c->path);
	}
	if (c->fd >= 0)
		close(c->fd);	/* drops the flock */
	ls_buf_free(&c->pending);
	free(c->path);
	free(c);
}

const char *
ls_chain_last(const struct ls_chain *c)
{
	return c->last;
}

long
ls_chain_count(const struct ls_chain *c)
{
	return c->count;
}

/* Read and check every record of c's file, from its first line. */
static int
read_all(struct ls_chain *c, const char *prefix, const char *what, int mode, ls_chain_fn fn,
    void *arg, struct ls_error *err)
{
	struct ls_recfile_lines L = { 0 };
	struct ls_str f[LS_CHAIN_MAXF + 2];
	char *p, hex[65];
	size_t n;
	off_t pos = 0;
	int got, ver, rc = 0, dfd = dup(c->fd);

	if (dfd < 0 || (L.fp = fdopen(dfd, "r")) == NULL) {
		if (dfd >= 0)
			close(dfd);
		return ls_error_set(err, LS_EIO, c->path, 0, 0, "%s", strerror(errno));
	}
	rewind(L.fp);
	while ((got = ls_recfile_next(&L, &p, &n)) == 1) {
		int k;

		if (L.torn) {
			/* a writer killed mid-record: not part of the chain */
			if (mode == LS_CHAIN_WRITE)
				rc = ls_recfile_cut_torn(c->fd, pos, n, c->path, err);
			break;
		}
		if (L.line == 1) {
			if ((rc = ls_recfile_head_check(p, n, prefix, 1, what, c->path, &ver, err)) != 0)
				break;
			pos += (off_t)n + 1;
			continue;
		}
		if (memchr(p, 0, n) != NULL) {
			rc = ls_error_set(err, LS_EDATA, c->path, L.line, 0, "a NUL byte in a record");
			break;
		}
		k = ls_tsv_split(p, n, f, (int)c->nfields + 1);
		if (k != (int)c->nfields + 1) {
			rc = ls_error_set(err, LS_EDATA, c->path, L.line, 0,
			    k == -1 ? "a bad escape in the record" :
			    "expected %zu fields and the previous record's hash, got %d fields", c->nfields,
			    k < 0 ? (int)c->nfields + 2 : k);
			break;
		}
		if (!ls_chain_follows(f, c->nfields + 1, c->last)) {
			rc = ls_error_set(err, LS_EDATA, c->path, L.line, 0,
			    "the record does not follow the one before it (hash of the previous record "
			    "differs): a record up to here was edited, removed or moved");
			break;
		}
		ls_chain_hash(f, c->nfields + 1, hex);
		memcpy(c->last, hex, 65);
		c->count++;
		pos += (off_t)n + 1;
		if (fn && (rc = fn(arg, f, c->nfields, L.line, err)) != 0)
			break;
	}
	if (got < 0 && rc == 0)
		rc = ls_error_set(err, LS_EIO, c->path, 0, 0, "%s", strerror(errno));
	ls_recfile_lines_free(&L);
	fclose(L.fp);
	c->end = pos;
	memcpy(c->committed, c->last, 65);
	return rc;
}

struct ls_chain *
ls_chain_open(const char *path, const char *prefix, const char *what, size_t nfields, int mode,
    ls_chain_fn fn, void *arg, struct ls_error *err)
{
	struct ls_chain *c;

	if (nfields == 0 || nfields > LS_CHAIN_MAXF) {
		ls_error_set(err, LS_EUSAGE, path, 0, 0, "a chain record holds 1 to %d fields",
		    LS_CHAIN_MAXF);
		return NULL;
	}
	if ((c = calloc(1, sizeof *c)) == NULL || (c->path = strdup(path)) == NULL) {
		free(c);
		ls_error_set(err, LS_ENOMEM, NULL, 0, 0, "out of memory");
		return NULL;
	}
	c->nfields = nfields;
	c->prefix = prefix;
	memcpy(c->last, ls_chain_zeros, 65);
	memcpy(c->committed, ls_chain_zeros, 65);
	/*
	 * Not through a symbolic link: a link would carry the records to a
	 * file elsewhere (another manifest's journal, one its owner rewrote),
	 * and neither a FIFO nor a device is a chain.
	 */
	c->write = mode == LS_CHAIN_WRITE;
again:
	if (mode == LS_CHAIN_WRITE) {
		/* made here (O_EXCL tells) or there before: only a file made here is removed again */
		c->created = 0;
		c->fd = open(path, O_RDWR | O_APPEND | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
		if (c->fd < 0 && errno == ENOENT) {
			c->fd = open(path, O_RDWR | O_APPEND | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW |
			    O_NONBLOCK, 0666);
			if (c->fd < 0 && errno == EEXIST)
				goto again;
			c->created = c->fd >= 0;
		}
	} else
		c->fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
	if (c->fd < 0) {
		if (mode != LS_CHAIN_WRITE && errno == ENOENT)
			return c;
		if (errno == ELOOP)
			ls_error_set(err, LS_EDATA, path, 0, 0, "a symbolic link: refused");
		else
			ls_error_set(err, LS_EIO, path, 0, 0, "%s", strerror(errno));
		ls_chain_close(c);
		return NULL;
	}
	{
		struct stat st;

		if (fstat(c->fd, &st) != 0 || !S_ISREG(st.st_mode)) {
			ls_error_set(err, LS_EDATA, path, 0, 0, "not a regular file: refused");
			ls_chain_close(c);
			return NULL;
		}
	}
	while (flock(c->fd, mode == LS_CHAIN_WRITE ? LOCK_EX : LOCK_SH) != 0)
		if (errno != EINTR) {
			ls_error_set(err, LS_EIO, path, 0, 0, "lock: %s", strerror(errno));
			ls_chain_close(c);
			return NULL;
		}
	/*
	 * A writer that made the file and then failed removes it again under
	 * its lock (ls_chain_close()): one that was waiting for that lock holds
	 * a file no longer there, and opens the path again.
	 */
	{
		struct stat st;

		if (fstat(c->fd, &st) == 0 && st.st_nlink == 0) {
			close(c->fd);
			c->fd = -1;
			goto again;
		}
	}
	if (read_all(c, prefix, what, mode, fn, arg, err) != 0) {
		ls_chain_close(c);
		return NULL;
	}
	return c;
}

int
ls_chain_add(struct ls_chain *c, const struct ls_str *f, struct ls_error *err)
{
	struct ls_str all[LS_CHAIN_MAXF + 1];
	size_t i;
	int rc = 0;

	if (c->fd < 0)
		return ls_error_set(err, LS_EUSAGE, c->path, 0, 0, "the chain is open for reading");
	for (i = 0; i < c->nfields; i++) {
		if (memchr(f[i].p, 0, f[i].n) != NULL)
			return ls_error_set(err, LS_EUSAGE, c->path, 0, 0, "a NUL byte in a field");
		all[i] = f[i];
	}
	all[i].p = c->last;
	all[i].n = 64;
	if (c->end == 0 && c->pending.n == 0) {
		/* a new file: its first line */
		rc |= ls_buf_puts(&c->pending, c->prefix);
		rc |= ls_buf_puts(&c->pending, "1\n");
	}
	for (i = 0; i <= c->nfields && rc == 0; i++) {
		rc |= ls_tsv_put_buf(&c->pending, all[i].p, all[i].n);
		rc |= ls_buf_put(&c->pending, i < c->nfields ? "\t" : "\n", 1);
	}
	if (rc != 0)
		return ls_error_set(err, LS_ENOMEM, NULL, 0, 0, "out of memory");
	ls_chain_hash(all, c->nfields + 1, c->last);
	return 0;
}

int
ls_chain_commit(struct ls_chain *c, struct ls_error *err)
{
	int rc;
	long added = 0;

	if (c->pending.n == 0)
		return 0;
	for (size_t i = 0; i < c->pending.n; i++)
		added += c->pending.p[i] == '\n';
	if (c->end == 0)
		added--;	/* the first line is not a record */
	rc = ls_recfile_append(c->fd, c->end, c->pending.p, c->pending.n, c->path, err);
	if (rc == 0) {
		if (c->end == 0)
			ls_recfile_sync_dir(c->path);
		c->end += (off_t)c->pending.n;
		c->count += added;
		memcpy(c->committed, c->last, 65);
	} else
		memcpy(c->last, c->committed, 65);
	c->pending.n = 0;
	return rc;
}
