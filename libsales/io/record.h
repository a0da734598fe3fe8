/*
 * record.h - CSV/TSV record streams: the pull reader, and the string view
 * and record every stream module shares.  The writer is writer.h's, the
 * UTF-8 check utf8.h's, the pipe buffer pipe.h's.
 *
 * The reader follows the stream rules of libsales-formats(5): a header row,
 * an optional UTF-8 BOM, LF/CRLF/CR line ends, RFC 4180 quoting, spaces kept,
 * TSV escapes, several files with one header read as one stream, physical
 * line numbers, and data errors that name file and line.
 *
 * Records are split by the reader itself when a line holds no quote
 * character (memchr over a big buffer), or when its quoted fields are all
 * well formed; other lines with quotes go through libcsv.  The same split
 * reads one record already in memory: ls_csv_split_record().
 */
/*
 * Threads: a reader is used by one thread at a time, the one that opened
 * it; with readahead it starts a thread of its own that it joins at
 * ls_reader_stop() or ls_reader_free() (see ls_reader_opts.readahead and
 * ls_reader_prepare() for what that thread touches).
 */
#ifndef LS_RECORD_H
#define LS_RECORD_H

#include <stdio.h>
#include <stddef.h>

#include "error.h"

/* A borrowed string view.  Reader fields are always NUL-terminated (p[n] == 0). */
struct ls_str {
	const char *p;
	size_t n;
};

enum ls_format { LS_FMT_AUTO = 0, LS_FMT_CSV, LS_FMT_TSV };

struct ls_reader_opts {
	enum ls_format format;	/* AUTO: TSV for *.tsv / *.tab names, else CSV */
	char delim;		/* CSV delimiter; 0: each file's is found from its header
				 * line (the most frequent of , ; tab | outside quotes) */
	int lazy_quotes;	/* a quote inside an unquoted field is kept as text */
	const char *encoding;	/* iconv(3) name of the input; NULL or "UTF-8": none */
	const char *encoding_flag; /* the option that sets it, for the invalid-UTF-8 message;
				 * NULL: "--encoding" (side inputs have their own) */
	int all_libcsv;		/* tests: send every CSV line through libcsv, not the memchr path */
	int readahead;		/* read and split on a second thread, a few batches ahead:
				 * the thread owns the reader's input side until
				 * ls_reader_stop() or ls_reader_free() joins it */
	const char *sheet;	/* .xlsx inputs: the sheet's name, NULL for the first; lives as long as the reader */
	long header_row;	/* .xlsx inputs: the header's row number, 0 for the first non-empty row */
};

/* One record.  Everything in it is owned by the reader and valid until the next ls_reader_next(). */
struct ls_record {
	size_t nfields;
	const struct ls_str *fields;
	const char *file;	/* the name given for the file ("-" shown as "stdin") */
	long line;		/* physical line where the record starts (1-based) */
	struct ls_str raw;	/* the record's text as read, without its line end (kept for data errors) */
};

struct ls_reader;

/*
 * Open paths[0..npaths-1] (npaths == 0, or a path "-", means standard input)
 * and read the header of the first.  Later files must have the same header.
 * The reader keeps its own copy of the paths: the array and its strings may
 * be freed as soon as this returns.
 * Returns NULL with err filled on failure.  Free with ls_reader_free().
 */
struct ls_reader *ls_reader_open(const char *const *paths, size_t npaths,
    const struct ls_reader_opts *opts, struct ls_error *err);

/* Like ls_reader_open() for an already open stream; name is used in messages.  fp is not closed. */
struct ls_reader *ls_reader_open_fp(FILE *fp, const char *name,
    const struct ls_reader_opts *opts, struct ls_error *err);

/*
 * Read the next record into *rec.  Returns 1 with a record, 0 at the end of
 * all input, or -1 on error with err filled.  A data error (err->status ==
 * LS_EDATA: field count, unterminated quote, invalid UTF-8) leaves rec->raw,
 * rec->file and rec->line describing the bad record, and the reader may be
 * called again to go on with the next record (for --rejects); other errors
 * are final.
 */
int ls_reader_next(struct ls_reader *r, struct ls_record *rec, struct ls_error *err);

/*
 * Work done on each good record where it is read: on the readahead thread
 * when there is one, else inside ls_reader_next(), so the caller must not
 * share fn's state with its own work.  fn sets extra[0..nextra) to values
 * of its own (views valid until its next call); the reader hands them out
 * with the record as rec->fields[rec->nfields .. rec->nfields + nextra).
 * fn returns 0, or -1 with err set for a final error.  Set it before the
 * first ls_reader_next(); NULL fn removes it.  Returns 0, LS_ENOMEM, or
 * LS_EUSAGE once a readahead thread has started reading.
 */
typedef int ls_prepare_fn(void *ctx, const struct ls_record *rec, struct ls_str *extra,
    struct ls_error *err);
/*
 * hint (may be NULL) is called with a record a few records before fn is,
 * on the same thread, so that it can start loading memory fn will read
 * (a prefetch); it must change nothing fn depends on.  Records ahead are
 * needed for that: with a hint and no readahead thread, the reader reads
 * small batches on the caller's thread and runs fn and hint over each.
 *
 * detach (may be NULL) is called once, on the caller's thread, when the
 * reader has let go of ctx for good: at ls_reader_stop(), at
 * ls_reader_free(), or when a later ls_reader_prepare() replaces the hooks.
 * By then the reading thread has been joined, so ctx may be freed from
 * detach on.  An object that attached hooks calls ls_reader_stop() from its
 * own free function (its detach having forgotten the reader if the reader
 * went first), so the two may be freed in either order.
 */
typedef void ls_hint_fn(void *ctx, const struct ls_record *rec);
typedef void ls_detach_fn(void *ctx);
int ls_reader_prepare(struct ls_reader *r, ls_prepare_fn *fn, ls_hint_fn *hint,
    ls_detach_fn *detach, void *ctx, size_t nextra);

/*
 * Stop reading for good: a readahead thread is told to stop (between
 * records, even inside a batch; a read blocked on a quiet pipe is
 * cancelled) and joined, and the hooks are dropped (detach called).
 * Afterwards ls_reader_next() returns 0 and the header stays readable.
 * Called by ls_reader_free(); safe to call twice; NULL is a no-op.
 */
void ls_reader_stop(struct ls_reader *r);

/*
 * The good record k places after the one ls_reader_next() handed out last,
 * when it has been read already (by the readahead thread, or in the
 * batch of a reader with a hint): 1, else 0.  For prefetching what that record will need: it is the
 * same record ls_reader_next() will hand out, prepared values included,
 * valid until the next ls_reader_next().
 */
int ls_reader_peek(const struct ls_reader *r, size_t k, struct ls_record *rec);

/*
 * The caller will peek: without a readahead thread, read in small batches
 * on the caller's thread, as for a hint.  Call before the first record is
 * read.  0, or LS_EUSAGE once reading in batches has begun.
 */
int ls_reader_lookahead(struct ls_reader *r);

/*
 * About how many records the input holds, worked out at open from the
 * files' sizes and the lines in the first block: for sizing tables, never
 * exact; 0 when the input is a pipe.
 */
size_t ls_reader_estimate(const struct ls_reader *r);

/* The header: column names, valid until ls_reader_free(). */
size_t ls_reader_ncols(const struct ls_reader *r);
const struct ls_str *ls_reader_header(const struct ls_reader *r);

/* The index of column name, or -1. */
long ls_reader_col(const struct ls_reader *r, const char *name);

/* The index of name[0..len) among hdr[0..ncols) (the first when repeated), or -1. */
long ls_header_find(const struct ls_str *hdr, size_t ncols, const char *name, size_t len);

/* The format of the first file read (CSV or TSV) and its delimiter. */
enum ls_format ls_reader_format(const struct ls_reader *r);
char ls_reader_delim(const struct ls_reader *r);

/* The file name of the record last read (with readahead: last handed out), as shown in messages. */
const char *ls_reader_file(const struct ls_reader *r);

/* Close files the reader opened and free it.  NULL is a no-op. */
void ls_reader_free(struct ls_reader *r);

/* Why ls_csv_split_record() refused a record. */
enum {
	LS_CSV_ENOMEM = -1,
	LS_CSV_EQUOTE = -2,	/* a quote inside a field that is not quoted: 5" screen */
	LS_CSV_ETEXT = -3,	/* text after a closing quote: "a"b */
	LS_CSV_EOPEN = -4,	/* a quoted field that never closes */
	LS_CSV_EBREAK = -5,	/* a CR or LF outside quotes: the stream would end the record there */
	LS_CSV_ESEP = -6	/* sep is a quote, CR or LF */
};

/*
 * Split one CSV record held in memory, p[0..n), without its line end (it
 * may hold line breaks inside quoted fields), in place: read exactly as the
 * reader reads a record in strict mode (no lazy quotes), by the same code
 * (a record with no quote, CR or LF is cut at its delimiters in one pass
 * of its own: the same fields, which test_csv_split compares).
 * sep is the delimiter.  The caller owns p, which must have n + 1 bytes:
 * each field is unquoted ("" collapsed to ") and NUL-terminated where it
 * lies, so the record's text is gone afterwards.  The fields go into *f
 * (grown with realloc as needed, *fcap its size in entries; the caller
 * frees *f) as views into p, valid while p is.  Returns the number of
 * fields (at least 1: an empty record is one empty field), or a negative
 * LS_CSV_* code, with *bad (when bad is not NULL) set to the offset of
 * the byte at fault for EQUOTE, ETEXT, EOPEN (the opening quote) and
 * EBREAK; p is then untouched.  Neither UTF-8 nor NUL bytes are checked:
 * that is the caller's (utf8.h).  No state: calls may run on any thread.
 */
long ls_csv_split_record(char *p, size_t n, char sep, struct ls_str **f, size_t *fcap, size_t *bad);

#endif
