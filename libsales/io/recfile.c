/*
 * recfile.c - versioned first lines, the tab escape, numbered lines and
 * durable appends shared by the files the tools keep.  See recfile.h.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "recfile.h"
#include "util.h"

int
ls_recfile_head_check(const char *line, size_t n, const char *prefix, int maxver,
    const char *what, const char *path, int *ver, struct ls_error *err)
{
	size_t pl = strlen(prefix), i;
	long v = 0;

	if (n > pl && memcmp(line, prefix, pl) == 0) {
		for (i = pl; i < n && line[i] >= '0' && line[i] <= '9' && v <= 1000000; i++)
			v = v * 10 + (line[i] - '0');
		if (i == n && i > pl && line[pl] != '0') {
			if (v > maxver)
				return ls_error_set(err, LS_EDATA, path, 1, 0,
				    "written by a newer version (format v%ld; this one reads up to v%d)",
				    v, maxver);
			*ver = (int)v;
			return 0;
		}
	}
	return ls_error_set(err, LS_EDATA, path, 1, 0,
	    "not %s (its first line should be '%s%d')", what, prefix, maxver);
}

static int
escape_of(unsigned char c)
{
	switch (c) {
	case '\t': return 't';
	case '\n': return 'n';
	case '\r': return 'r';
	case '\\': return '\\';
	default: return 0;
	}
}

size_t
ls_tsv_escaped_len(const char *p, size_t n)
{
	size_t len = n;

	for (size_t i = 0; i < n; i++)
		len += escape_of((unsigned char)p[i]) != 0;
	return len;
}

size_t
ls_tsv_escape(char *out, const char *p, size_t n)
{
	char *o = out;

	for (size_t i = 0; i < n; i++) {
		int e = escape_of((unsigned char)p[i]);

		if (e) {
			*o++ = '\\';
			*o++ = (char)e;
		} else
			*o++ = p[i];
	}
	return (size_t)(o - out);
}

int
ls_tsv_put(FILE *fp, const char *p, size_t n)
{
	size_t from = 0;

	/* runs without escapes go out in one fwrite */
	for (size_t i = 0; i < n; i++) {
		int e = escape_of((unsigned char)p[i]);

		if (e == 0)
			continue;
		if (fwrite(p + from, 1, i - from, fp) != i - from || putc('\\', fp) == EOF ||
		    putc(e, fp) == EOF)
			return EOF;
		from = i + 1;
	}
	if (fwrite(p + from, 1, n - from, fp) != n - from)
		return EOF;
	return 0;
}

int
ls_tsv_put_buf(struct ls_buf *b, const char *p, size_t n)
{
	size_t from = 0, was = b->n;
	char esc[2] = { '\\', 0 };

	for (size_t i = 0; i < n; i++) {
		if ((esc[1] = (char)escape_of((unsigned char)p[i])) == 0)
			continue;
		if (ls_buf_put(b, p + from, i - from) != 0 || ls_buf_put(b, esc, 2) != 0)
			goto nomem;
		from = i + 1;
	}
	if (ls_buf_put(b, p + from, n - from) == 0)
		return 0;
nomem:
	if (b->p != NULL) {
		b->n = was;
		b->p[was] = '\0';
	}
	return LS_ENOMEM;
}

int
ls_tsv_split(char *line, size_t n, struct ls_str *f, int max)
{
	char *p = line, *e = line + n, *o;
	int nf = 0;

	for (;;) {
		if (nf == max)
			return -2;
		f[nf].p = o = p;
		for (; p < e && *p != '\t'; p++) {
			if (*p != '\\') {
				*o++ = *p;
				continue;
			}
			if (++p == e)
				return -1;
			switch (*p) {
			case 't': *o++ = '\t'; break;
			case 'n': *o++ = '\n'; break;
			case 'r': *o++ = '\r'; break;
			case '\\': *o++ = '\\'; break;
			default: return -1;
			}
		}
		f[nf].n = (size_t)(o - f[nf].p);
		nf++;
		if (p == e) {
			*o = '\0';
			return nf;
		}
		/* the tab becomes this field's terminator; o never passes p */
		*o = '\0';
		p++;
	}
}

/* ls_recfile_next() over L->mem: the line is copied, the bytes stay as given. */
static int
next_in_memory(struct ls_recfile_lines *L, char **p, size_t *n)
{
	const char *s, *lf;
	size_t left, len;

	if (L->mem == NULL || L->memoff >= L->memlen)
		return 0;
	s = L->mem + L->memoff;
	left = L->memlen - L->memoff;
	lf = memchr(s, '\n', left);
	len = lf != NULL ? (size_t)(lf - s) : left;
	if (len >= L->cap) {
		size_t cap = L->cap ? L->cap : 128;
		char *nb;

		while (cap <= len)
			cap *= 2;
		if ((nb = realloc(L->buf, cap)) == NULL) {
			errno = ENOMEM;
			return -1;
		}
		L->buf = nb;
		L->cap = cap;
	}
	memcpy(L->buf, s, len);
	L->buf[len] = '\0';
	L->memoff += len + (lf != NULL);
	L->line++;
	L->torn = lf == NULL;
	*p = L->buf;
	*n = len;
	return 1;
}

int
ls_recfile_next(struct ls_recfile_lines *L, char **p, size_t *n)
{
	ssize_t got;

	if (L->fp == NULL)
		return next_in_memory(L, p, n);
	errno = 0;
	if ((got = getline(&L->buf, &L->cap, L->fp)) < 0) {
		if (ferror(L->fp))
			return -1;
		return 0;
	}
	L->line++;
	L->torn = 0;
	if (got > 0 && L->buf[got - 1] == '\n')
		got--;
	else
		L->torn = 1;
	L->buf[got] = '\0';
	*p = L->buf;
	*n = (size_t)got;
	return 1;
}

void
ls_recfile_lines_free(struct ls_recfile_lines *L)
{
	if (L == NULL)
		return;
	free(L->buf);
	L->buf = NULL;
	L->cap = 0;
}

static int
write_all(int fd, const char *p, size_t n, off_t at)
{
	while (n > 0) {
		ssize_t w = pwrite(fd, p, n, at);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			if (w == 0)
				errno = ENOSPC;
			return -1;
		}
		p += w;
		n -= (size_t)w;
		at += w;
	}
	return 0;
}

int
ls_recfile_append(int fd, off_t at, const void *buf, size_t n, const char *path,
    struct ls_error *err)
{
	int e;

	if (write_all(fd, buf, n, at) == 0 && fsync(fd) == 0)
		return 0;
	e = errno;
	/* leave the file as it was: no partial record for the next reader */
	if (ftruncate(fd, at) == 0)
		fsync(fd);
	return ls_error_set(err, LS_EIO, path, 0, 0, "write error: %s", strerror(e));
}

int
ls_recfile_cut_torn(int fd, off_t good_end, size_t torn, const char *path,
    struct ls_error *err)
{
	char *tp, *bytes;
	int tfd, e;

	if ((tp = ls_concat(path, ".torn")) == NULL || (bytes = malloc(torn + 1)) == NULL) {
		free(tp);
		return ls_error_set(err, LS_ENOMEM, path, 0, 0, "out of memory");
	}
	if (pread(fd, bytes, torn, good_end) != (ssize_t)torn) {
		e = errno;
		free(tp);
		free(bytes);
		return ls_error_set(err, LS_EIO, path, 0, 0, "read error: %s", strerror(e));
	}
	bytes[torn] = '\n';
	tfd = open(tp, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0666);
	if (tfd < 0 || write_all(tfd, bytes, torn + 1, lseek(tfd, 0, SEEK_END)) != 0 ||
	    fsync(tfd) != 0) {
		e = errno;
		if (tfd >= 0)
			close(tfd);
		ls_error_set(err, LS_EIO, tp, 0, 0, "cannot save the torn record: %s", strerror(e));
		free(tp);
		free(bytes);
		return LS_EIO;
	}
	close(tfd);
	free(tp);
	free(bytes);
	if (ftruncate(fd, good_end) != 0 || fsync(fd) != 0)
		return ls_error_set(err, LS_EIO, path, 0, 0, "cannot cut the torn record: %s",
		    strerror(errno));
	return 0;
}

void
ls_recfile_sync_dir(const char *path)
{
	const char *slash = strrchr(path, '/');
	char *dir;
	int fd;

	if (slash == NULL)
		dir = ls_concat(".", "");
	else if (slash == path)
		dir = ls_concat("/", "");
	else if ((dir = malloc((size_t)(slash - path) + 1)) != NULL) {
		memcpy(dir, path, (size_t)(slash - path));
		dir[slash - path] = '\0';
	}
	if (dir == NULL)
		return;
	if ((fd = open(dir, O_RDONLY | O_CLOEXEC)) >= 0) {
		fsync(fd);
		close(fd);
	}
	free(dir);
}
