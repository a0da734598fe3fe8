/*
 * reader_xlsx.c - an .xlsx input in the record reader: a path ending in
 * .xlsx is read through xlsx.h instead of as text, and its records go
 * through the reader's own hand-out (readahead thread, hooks, --rejects)
 * like a CSV file's.  The sheet and header row come from ls_reader_opts.
 */
#include <stdio.h>
#include <string.h>

#include "reader_impl.h"
#include "xlsx.h"

int
ls_rd_open_xlsx(struct ls_reader *r, const char *path, struct ls_error *err)
{
	struct ls_xlsx_opts o = { .sheet = r->sheet, .header_row = r->header_row };
	struct ls_xlsx *x = ls_xlsx_open(path, &o, err);

	if (x == NULL)
		return -1;
	/* no bytes for the text side: what it would look at is empty and at its end */
	ls_rd_start_file(r, NULL, 0, path);
	r->file_eof = 1;
	r->xlsx = x;
	/* the output of a CSV tool keeps its delimiter (-d, else ','); the cells need no other */
	r->fmt = LS_FMT_CSV;
	r->delim = r->csv_delim;
	return 0;
}

int
ls_rd_read_xlsx(struct ls_reader *r, struct ls_record *rec, struct ls_error *err)
{
	int rc = ls_xlsx_next(r->xlsx, rec, err);

	if (rc < 0 && err != NULL && err->status != LS_EDATA)
		r->failed = 1;
	return rc;
}
