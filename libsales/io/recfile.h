/*
 * recfile.h - what the files the tools keep between runs have in common.
 *
 * lead-assign's state, the ticket log, kpi-report's partials and
 * doc-render's manifest each have a format of their own (libsales-formats(5)),
 * but the same needs, met here once:
 *
 *  - a versioned first line, "PREFIX" followed by a version number
 *    ("# lead-assign state v1", "# ticket-log v1", "# kpi-partial v2"): a
 *    file that is not one, or that a newer build wrote, is refused by name;
 *  - one escape for tab-separated records: TAB, LF, CR and backslash as
 *    \t \n \r \\, every other byte as it is (UTF-8 stays readable);
 *  - lines read with their physical numbers, from a stream or from bytes
 *    already in memory, a last line without its line feed reported as torn
 *    (a writer died in the middle of it);
 *  - durable appends: one pwrite at the end of the last whole record, then
 *    fsync; on failure the file is cut back, so a reader never meets half a
 *    record; a torn tail is saved to FILE.torn before it is cut off;
 *  - whole-file replacement through ls_atomic_open() (lock.h), and the
 *    exclusive flock(2) beside the file through ls_lock_acquire().
 *
 * Nothing here prints or exits; errors fill err with the file's name.
 */
#ifndef LS_RECFILE_H
#define LS_RECFILE_H

#include <stdio.h>
#include <sys/types.h>

#include "buf.h"
#include "error.h"
#include "record.h"

/*
 * Check a first line (without its line end) against prefix and a version
 * number from 1 to maxver; what names the kind of file in messages ("a
 * lead-assign state file").  Returns 0 with *ver set, or LS_EDATA with err
 * filled (path, line 1): not such a file, or a version newer than maxver.
 */
int ls_recfile_head_check(const char *line, size_t n, const char *prefix, int maxver,
    const char *what, const char *path, int *ver, struct ls_error *err);

/* The bytes ls_tsv_put() writes for p[0..n): at most 2n. */
size_t ls_tsv_escaped_len(const char *p, size_t n);

/* Escape p[0..n) into out (room for ls_tsv_escaped_len()); returns the bytes written. */
size_t ls_tsv_escape(char *out, const char *p, size_t n);

/* Write p[0..n) escaped to fp.  Returns 0, or EOF on a write error. */
int ls_tsv_put(FILE *fp, const char *p, size_t n);

/*
 * Append p[0..n), which must not lie in b's own text, escaped to b.
 * Returns 0, or LS_ENOMEM with b as it was.
 */
int ls_tsv_put_buf(struct ls_buf *b, const char *p, size_t n);

/*
 * Split line[0..n) at tabs into at most max fields, unescaping in place
 * (the fields point into line and are NUL-terminated there).  Returns the
 * number of fields, -1 for an unknown escape or a lone trailing backslash,
 * -2 for more than max fields.
 */
int ls_tsv_split(char *line, size_t n, struct ls_str *f, int max);

/*
 * Lines with their numbers, of a stream (fill with { .fp = fp }) or of bytes
 * in memory (fp NULL, { .mem = p, .memlen = n }); keep zeroed otherwise.
 * The bytes in memory are not owned and never written to: each line is
 * copied to buf, so that a caller may split it in place (ls_tsv_split())
 * however its input was given to it (a file read whole, a const string).
 */
struct ls_recfile_lines {
	FILE *fp;		/* read from here; not owned */
	char *buf;		/* the current line, owned: free with ls_recfile_lines_free() */
	size_t cap;
	long line;		/* physical line of the current line, 1-based */
	int torn;		/* the last line read had no line feed */
	const char *mem;	/* with fp NULL: read mem[0..memlen); not owned */
	size_t memlen;
	size_t memoff;		/* where the next line starts in mem */
};

/*
 * The next line, without its LF (a CR before it is kept: formats that allow
 * CR LF strip it themselves), in *p[0..*n) and NUL-terminated there, valid
 * until the next call.  A line may hold NUL bytes: callers that want text
 * check memchr(p, 0, n).  Returns 1, 0 at the end, or -1 on a read error
 * (errno names it: ENOMEM when a line of memory found no room).
 */
int ls_recfile_next(struct ls_recfile_lines *L, char **p, size_t *n);

/* Free the line buffer; the stream stays open.  NULL is a no-op. */
void ls_recfile_lines_free(struct ls_recfile_lines *L);

/*
 * Append buf[0..n) to the file open as fd at offset at (the end of its
 * last whole record), then fsync.  The caller holds the file's exclusive
 * lock.  On a failed write or fsync the file is cut back to at, so it
 * holds what it held before; returns 0 or LS_EIO with err filled (path).
 */
int ls_recfile_append(int fd, off_t at, const void *buf, size_t n, const char *path,
    struct ls_error *err);

/*
 * A torn tail: the bytes fd holds from good_end on (torn bytes of them)
 * are appended to path + ".torn" with a line feed and fsynced, then fd is
 * cut to good_end and fsynced.  Nothing is lost: a torn record can be read
 * back from the .torn file.  Returns 0 or LS_EIO/LS_ENOMEM with err filled.
 */
int ls_recfile_cut_torn(int fd, off_t good_end, size_t torn, const char *path,
    struct ls_error *err);

/* fsync the folder holding path, so that a new file's name is durable.  Errors are ignored: not every file system can. */
void ls_recfile_sync_dir(const char *path);

#endif
