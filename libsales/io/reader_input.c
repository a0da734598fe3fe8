/*
 * reader_input.c - the reader's input: opening each file, reading it in
 * big blocks, converting it from its encoding with iconv.
 */
#include <errno.h>
#include <iconv.h>
#include <stdlib.h>
#include <string.h>

#include <csv.h>

#include "pipe.h"
#include "reader_impl.h"
#include "xlsx.h"

static int
set_io_error(struct ls_reader *r, struct ls_error *err, const char *what)
{
	r->failed = 1;
	return ls_error_set(err, LS_EIO, r->name, 0, 0, "%s: %s", what, strerror(errno));
}

/* Read more input into buf after end, keeping [keep, end).  Returns bytes added, 0 at EOF, -1 on error. */
long
ls_rd_fill(struct ls_reader *r, size_t keep, struct ls_error *err)
{
	size_t live = r->end - keep;

	if (r->file_eof)
		return 0;
	if (keep > 0) {
		memmove(r->buf, r->buf + keep, live);
		r->pos -= keep;
		ls_rd_shift_caches(r, keep);
		r->end = live;
	}
	/* one spare byte: the last field of the last line is NUL-terminated in place */
	if (r->cap - r->end < BLOCK + 1) {
		size_t ncap = r->cap ? r->cap * 2 : 2 * BLOCK + 1;
		while (ncap - r->end < BLOCK + 1)
			ncap *= 2;
		char *nb = realloc(r->buf, ncap);
		if (nb == NULL)
			return ls_error_set(err, LS_ENOMEM, r->name, r->line, 0, "out of memory"), -1;
		r->buf = nb;
		r->cap = ncap;
	}
	if (r->cd == (iconv_t)-1) {
		size_t got = fread(r->buf + r->end, 1, BLOCK, r->fp);
		if (got == 0) {
			if (ferror(r->fp))
				return set_io_error(r, err, "read error"), -1;
			r->file_eof = 1;
			return 0;
		}
		r->end += got;
		return (long)got;
	}
	for (;;) {
		size_t got = fread(r->ibuf + r->ilen, 1, BLOCK - r->ilen, r->fp);
		if (got == 0 && ferror(r->fp))
			return set_io_error(r, err, "read error"), -1;
		int last = got == 0;
		r->ilen += got;
		char *in = r->ibuf, *out = r->buf + r->end;
		size_t inleft = r->ilen, outleft = r->cap - r->end - 1;
		size_t rc = iconv(r->cd, &in, &inleft, &out, &outleft);
		size_t made = (size_t)(out - (r->buf + r->end));
		/*
		 * The text before a bad byte is handed out first, so that the
		 * error comes when the record holding the byte is read, with its
		 * line.  Not an LS_EDATA error: the reader cannot go on past it.
		 */
		if (rc == (size_t)-1 && errno == EILSEQ && made == 0) {
			r->failed = 1;
			return ls_error_set(err, LS_EIO, r->name, r->line, 0,
			    "input is not valid %s", r->encoding), -1;
		}
		if (rc == (size_t)-1 && errno == EINVAL && last && made == 0) {
			r->failed = 1;
			return ls_error_set(err, LS_EIO, r->name, r->line, 0,
			    "input ends inside a %s character", r->encoding), -1;
		}
		memmove(r->ibuf, in, inleft);
		r->ilen = inleft;
		r->end += made;
		if (made > 0)
			return (long)made;
		if (last) {
			r->file_eof = 1;
			return 0;
		}
		if (rc == (size_t)-1 && errno == E2BIG) {
			/* output full with nothing made cannot happen: BLOCK bytes are free */
			return ls_error_set(err, LS_EIO, r->name, r->line, 0, "iconv: buffer too small"), -1;
		}
	}
}

int
ls_rd_is_tsv_name(const char *path)
{
	size_t n = path ? strlen(path) : 0;

	return (n > 4 && (strcmp(path + n - 4, ".tsv") == 0 || strcmp(path + n - 4, ".tab") == 0));
}

/* Start reading fp as a new file: fresh line count, BOM check, libcsv reset. */
void
ls_rd_start_file(struct ls_reader *r, FILE *fp, int own, const char *name)
{
	r->fp = fp;
	r->own_fp = own;
	r->name = name;
	r->file_eof = 0;
	r->pos = r->end = 0;
	r->q_at = r->q_scan = r->cr_at = r->cr_scan = 0;
	r->u8_from = r->u8_to = 0;
	r->line = 1;
	r->at_file_start = 1;
	r->ilen = 0;
	if (r->cd != (iconv_t)-1)
		iconv(r->cd, NULL, NULL, NULL, NULL);
}

int
ls_rd_open_path(struct ls_reader *r, const char *path, struct ls_error *err)
{
	FILE *fp;

	if (ls_xlsx_is_path(path))
		return ls_rd_open_xlsx(r, path, err);
	if (path == NULL || strcmp(path, "-") == 0) {
		ls_pipe_grow(fileno(stdin));
		ls_rd_start_file(r, stdin, 0, "stdin");
		return 0;
	}
	if ((fp = fopen(path, "rb")) == NULL)
		return ls_error_set(err, LS_EIO, path, 0, 0, "%s", strerror(errno));
	ls_pipe_grow(fileno(fp));
	ls_rd_start_file(r, fp, 1, path);
	if (r->auto_fmt) {
		r->fmt = ls_rd_is_tsv_name(path) ? LS_FMT_TSV : LS_FMT_CSV;
		r->delim = r->fmt == LS_FMT_TSV ? '\t' : r->csv_delim;
		csv_set_delim(&r->csv, (unsigned char)r->delim);
	}
	return 0;
}

void
ls_rd_close_file(struct ls_reader *r)
{
	if (r->fp && r->own_fp)
		fclose(r->fp);
	r->fp = NULL;
	ls_xlsx_free(r->xlsx);
	r->xlsx = NULL;
}
