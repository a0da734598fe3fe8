/*
 * reader_impl.h - the record reader's insides, shared by the files that
 * make it up (record.c, reader_*.c).  Not a public header: nothing outside
 * the reader includes it.
 */
#ifndef LS_READER_IMPL_H
#define LS_READER_IMPL_H

#include <iconv.h>
#include <stddef.h>
#include <stdint.h>

#include <csv.h>

#include "record.h"

#define BLOCK	(1u << 20)	/* bytes asked of read() at a time */

struct ls_reader {
	char **paths;			/* the reader's own copy: the thread reads it */
	size_t npaths, cur;
	FILE *fp;
	int own_fp;
	const char *name;		/* of the current file, for messages */
	int file_eof;			/* no more bytes from fp */

	enum ls_format fmt;
	char delim;
	int auto_fmt;			/* each file's name tells CSV from TSV */
	char csv_delim;
	int detect;			/* no -d: each CSV file's delimiter is found from its header line */
	int lazy_quotes;		/* a quote inside an unquoted field is text */
	const char *encoding_flag;	/* the option the invalid-UTF-8 message suggests */
	int all_libcsv;

	/* iconv: raw bytes wait in ibuf until converted into buf */
	iconv_t cd;
	const char *encoding;
	char *ibuf;
	size_t ilen;

	/* the buffer: [pos, end) not yet consumed */
	char *buf;
	size_t cap, pos, end;
	/* next '"' and '\r' at or after a past query; == *_scan when none before *_scan */
	size_t q_at, q_scan, cr_at, cr_scan;
	/* [u8_from, u8_to): bytes ls_utf8_prefix() vouched for, a record start to a character boundary */
	size_t u8_from, u8_to;
	long line;			/* physical line number of buf[pos] */
	int at_file_start;		/* BOM check pending */

	/* the current record's fields */
	struct ls_str *f;
	size_t fcap, nf;
	size_t nesc;			/* quoted fields holding "" on the line split_quoted() took */
	uint64_t escm;			/* of those, bit i: field i (< 64) */

	/* libcsv path */
	struct csv_parser csv;
	char *arena;
	size_t alen, acap;
	size_t *foff;			/* field offsets into arena while collecting */
	size_t focap;
	int row_done, csv_oom;

	int failed;			/* a final error happened */
	struct ls_xlsx *xlsx;		/* the current file is an .xlsx sheet (reader_xlsx.c), else NULL */
	const char *sheet;		/* ls_reader_opts' sheet and header_row, for each .xlsx file */
	long header_row;

	/*
	 * With readahead the thread owns everything above once it starts and
	 * writes it all the time; the caller's side sees only what follows,
	 * fixed at open or written seldom.  The pads keep the two on separate
	 * cache lines: a line both use would travel between cores each record.
	 */
	char pad_[64];

	/* header of the first file */
	size_t ncols;
	struct ls_str *hdr;
	char *hdrmem;

	int want_ra;
	int want_batches;		/* ls_reader_lookahead() */
	struct ls_readahead *ra;
	const char *shown;		/* file of the last record handed out */

	ls_prepare_fn *prep;		/* NULL also once the readahead thread does it */
	ls_hint_fn *hint;
	ls_detach_fn *detach;
	void *prep_ctx;
	int stopped;			/* ls_reader_stop(): no more records */
	size_t nextra;
	struct ls_str *xf;		/* the record's fields and the prepared values after them */
	enum ls_format first_fmt;
	char first_delim;
	size_t estimate;
	char pad_end_[64];
};

/* reader_input.c: the files */
long ls_rd_fill(struct ls_reader *r, size_t keep, struct ls_error *err);
int ls_rd_is_tsv_name(const char *path);
void ls_rd_start_file(struct ls_reader *r, FILE *fp, int own, const char *name);
int ls_rd_open_path(struct ls_reader *r, const char *path, struct ls_error *err);
void ls_rd_close_file(struct ls_reader *r);

/* reader_lines.c: physical lines */
void ls_rd_shift_caches(struct ls_reader *r, size_t by);
size_t ls_rd_find_cached(const struct ls_reader *r, size_t *at, size_t *scan, size_t from, char c);
int ls_rd_next_line(struct ls_reader *r, size_t *keep, size_t *len, size_t *term,
    struct ls_error *err);

/* reader_split.c: the in-place split */
size_t ls_rd_tsv_unescape(char *p, size_t n);
long ls_rd_split_line(struct ls_reader *r, char *s, size_t n, char sep);
long ls_rd_split_quoted(struct ls_reader *r, char *s, size_t n, char sep, size_t *span,
    size_t *term, long *breaks);
size_t ls_rd_unquote_field(char *p, size_t n);

/* reader_libcsv.c: libcsv */
int ls_rd_csv_setup(struct ls_reader *r);
int ls_rd_read_libcsv(struct ls_reader *r, struct ls_record *rec, size_t start, size_t len,
    size_t term, size_t want, struct ls_error *err);

/* reader_xlsx.c: .xlsx files, their records from xlsx.c */
int ls_rd_open_xlsx(struct ls_reader *r, const char *path, struct ls_error *err);
int ls_rd_read_xlsx(struct ls_reader *r, struct ls_record *rec, struct ls_error *err);

/* record.c: records and files */
int ls_rd_read_record(struct ls_reader *r, struct ls_record *rec, size_t want, struct ls_error *err);
int ls_rd_next_file(struct ls_reader *r, struct ls_error *err);
int ls_rd_bad_count(struct ls_reader *r, long line, size_t want, struct ls_error *err);
int ls_rd_bad_utf8(struct ls_reader *r, long line, int valid, struct ls_error *err);

#endif
