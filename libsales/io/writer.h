/*
 * writer.h - the record writer: CSV with minimal quoting, or TSV with
 * escapes, through one big buffer, to a stream or to a file replaced
 * atomically (lock.h's ls_atomic_* temporaries) at ls_writer_commit().
 *
 * Threads: a writer is used by one thread.  Whether stdout's reader went
 * away (ls_writer_stdout_closed()) is process-wide: set by any writer on
 * stdout, read by the final check of stdout (cli.h's ls_finish_output()).
 */
#ifndef LS_WRITER_H
#define LS_WRITER_H

#include <stdio.h>
#include <stddef.h>

#include "error.h"
#include "record.h"

struct ls_writer_opts {
	enum ls_format format;	/* CSV (default) or TSV */
	char delim;		/* CSV delimiter; 0 means ',' */
	const char *encoding;	/* iconv(3) name to write; NULL: UTF-8 */
	int bom;		/* start UTF-8 output with a BOM (for Excel) */
	int keep_formulas;	/* with bom or encoding: no formula guard (below) */
	int formula_guard;	/* the guard without either (output made in parts, the BOM elsewhere) */
};

/*
 * The formula guard ("CSV injection", OWASP).  Output meant for Excel, that
 * is with a BOM or in another encoding than UTF-8, never lets a cell from
 * the data become a formula: a field starting with '=', '+', '-', '@', a
 * tab or a CR is written with a ' before it, which Excel shows as text and
 * does not display, unless the field is a plain number (-5, +3.5, 1e6,
 * -12.5%, -0,5) or an E.164 phone (+79161234567).  keep_formulas turns it
 * off.  ls_writer_formula_risk() says whether p[0..n) gets the '.
 */
int ls_writer_formula_risk(const char *p, size_t n);

struct ls_writer;

/*
 * A buffered writer on fp (not closed by the writer), or, when path is not
 * NULL and not "-", on a temporary file beside path that ls_writer_commit()
 * renames over it; ls_writer_free() without commit removes the temporary.
 */
struct ls_writer *ls_writer_open(const char *path, FILE *fp,
    const struct ls_writer_opts *opts, struct ls_error *err);

/* Append one field to the current row; quoting/escaping is done here. */
int ls_writer_field(struct ls_writer *w, const char *p, size_t n);
/* Append f[0..n) to the current row: ls_writer_field() for each, with one check for room. */
int ls_writer_fields(struct ls_writer *w, const struct ls_str *f, size_t n);
/*
 * ls_writer_fields() for fields the reader split in place: where three or
 * more lie in one block of memory one byte apart (f[i + 1].p == f[i].p +
 * f[i].n + 1, as the reader leaves the fields of an unquoted line), the
 * block is copied whole and the byte between each two becomes the
 * delimiter, when no byte of it needs quoting or escaping; the rest go
 * field by field.  The same bytes as ls_writer_fields(), with fewer
 * branches on each field's length, which rows of mixed fields mispredict.
 */
int ls_writer_span(struct ls_writer *w, const struct ls_str *f, size_t n);
/*
 * ls_writer_fields() for the last fields of a row that are often the same
 * values row after row (lead-assign's manager, reason and time): when
 * f[0..n) holds the same bytes as the last call's, the bytes written then
 * are copied again; otherwise written as ls_writer_fields() writes them,
 * and remembered (four fields and 128 bytes at most).  Never the row's
 * first field.
 */
int ls_writer_tail(struct ls_writer *w, const struct ls_str *f, size_t n);
/* Convenience for NUL-terminated text. */
int ls_writer_cstr(struct ls_writer *w, const char *s);
/* End the current row. */
int ls_writer_end(struct ls_writer *w);
/* Write a whole row of n fields. */
int ls_writer_row(struct ls_writer *w, const struct ls_str *f, size_t n);

/*
 * Status of all writes so far: 0, or LS_EIO / LS_EPIPE with err filled.
 * Writes after an error are dropped, so callers may check once at the end.
 */
int ls_writer_flush(struct ls_writer *w, struct ls_error *err);

/* 0 while every write went through, else LS_EIO or LS_EPIPE (details come with ls_writer_flush()). */
int ls_writer_status(const struct ls_writer *w);

/* Flush, fsync and rename the temporary file into place (a no-op rename for streams). */
int ls_writer_commit(struct ls_writer *w, struct ls_error *err);

/* Free; an uncommitted temporary file is removed.  NULL is a no-op. */
void ls_writer_free(struct ls_writer *w);

/*
 * 1 once a writer on stdout saw EPIPE: the output's reader went away.  The
 * one copy of that fact: ls_finish_output() asks it to end quietly.
 */
int ls_writer_stdout_closed(void);

/* The format a writer should use: oformat if set, else the reader's. */
enum ls_format ls_output_format(enum ls_format oformat, const struct ls_reader *r);

#endif
