/*
 * xlsx_table.c - a stream the toolkit wrote (TSV, in memory) made into a
 * one-sheet workbook: how the stream commands (ticket-log list and show)
 * get --format xlsx without a second writing path through their library
 * code, which writes every row through writer.h.  See xlsx_write.h.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xlsx_write.h"

/* The declared type of the column named h, or text. */
static struct ls_xlsxw_col
typed(const struct ls_str *h, const struct ls_xlsxw_col *types)
{
	struct ls_xlsxw_col c = { NULL, LS_XLSXW_TEXT, 0 };

	for (size_t i = 0; types && types[i].name; i++)
		if (strlen(types[i].name) == h->n && memcmp(types[i].name, h->p, h->n) == 0)
			c = types[i];
	return c;
}

int
ls_xlsxw_sheet_tsv(struct ls_xlsxw *w, const char *sheet, const char *tsv, size_t n,
    const struct ls_xlsxw_col *types, struct ls_error *err)
{
	struct ls_reader_opts ro = { .format = LS_FMT_TSV };
	struct ls_xlsxw_col *cols = NULL;
	struct ls_reader *r = NULL;
	struct ls_record rec;
	const struct ls_str *h;
	FILE *fp;
	size_t ncols;
	int rc = 0, got;

	/* fmemopen() of nothing fails: a sheet of no columns is no sheet */
	if (n == 0)
		return 0;
	if ((fp = fmemopen((void *)(uintptr_t)tsv, n, "r")) == NULL)
		return ls_error_set(err, LS_ENOMEM, NULL, 0, 0, "out of memory");
	if ((r = ls_reader_open_fp(fp, sheet, &ro, err)) == NULL) {
		fclose(fp);
		return err->status;
	}
	h = ls_reader_header(r);
	if ((ncols = ls_reader_ncols(r)) > 0 && (cols = calloc(ncols, sizeof(*cols))) == NULL)
		rc = ls_error_set(err, LS_ENOMEM, NULL, 0, 0, "out of memory");
	for (size_t c = 0; c < ncols && rc == 0; c++) {
		cols[c] = typed(&h[c], types);
		/* the header's views end at the field, not at a NUL: the copy made by ls_xlsxw_sheet() needs one */
		if ((cols[c].name = strndup(h[c].p, h[c].n)) == NULL)
			rc = ls_error_set(err, LS_ENOMEM, NULL, 0, 0, "out of memory");
	}
	if (rc == 0 && ncols > 0)
		rc = ls_xlsxw_sheet(w, sheet, cols, ncols, err);
	while (rc == 0 && ncols > 0 && (got = ls_reader_next(r, &rec, err)) != 0)
		rc = got < 0 ? (int)err->status : ls_xlsxw_row(w, rec.fields, rec.nfields, err);
	for (size_t c = 0; cols && c < ncols; c++)
		free((char *)(uintptr_t)cols[c].name);
	free(cols);
	ls_reader_free(r);
	fclose(fp);
	return rc;
}

int
ls_xlsxw_table(const char *sheet, const char *tsv, size_t n, const struct ls_xlsxw_col *types,
    struct ls_buf *out, struct ls_error *err)
{
	struct ls_xlsxw *w;
	int rc;

	if ((w = ls_xlsxw_new(err)) == NULL)
		return err->status;
	if ((rc = ls_xlsxw_sheet_tsv(w, sheet, tsv, n, types, err)) == 0)
		rc = ls_xlsxw_close(w, out, err);
	ls_xlsxw_free(w);
	return rc;
}
