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

/* The sheet from r's header and records, and the workbook closed into out while cols still live. */
static int
fill(struct ls_xlsxw *w, const char *sheet, struct ls_reader *r, const struct ls_xlsxw_col *types,
    struct ls_buf *out, struct ls_error *err)
{
	const struct ls_str *h = ls_reader_header(r);
	size_t ncols = ls_reader_ncols(r);
	struct ls_xlsxw_col *cols;
	char **names;
	struct ls_record rec;
	int rc = 0, got;

	cols = calloc(ncols, sizeof(*cols));
	names = calloc(ncols, sizeof(*names));
	if (cols == NULL || names == NULL) {
		rc = ls_error_set(err, LS_ENOMEM, NULL, 0, 0, "out of memory");
		goto done;
	}
	for (size_t c = 0; c < ncols && rc == 0; c++) {
		cols[c] = typed(&h[c], types);
		if ((names[c] = malloc(h[c].n + 1)) == NULL)
			rc = ls_error_set(err, LS_ENOMEM, NULL, 0, 0, "out of memory");
		else {
			memcpy(names[c], h[c].p, h[c].n);
			names[c][h[c].n] = '\0';
			cols[c].name = names[c];
		}
	}
	if (rc == 0)
		rc = ls_xlsxw_sheet(w, sheet, cols, ncols, err);
	while (rc == 0 && (got = ls_reader_next(r, &rec, err)) != 0)
		rc = got < 0 ? (int)err->status : ls_xlsxw_row(w, rec.fields, rec.nfields, err);
	if (rc == 0)
		rc = ls_xlsxw_close(w, out, err);
done:
	if (names)
		for (size_t c = 0; c < ncols; c++)
			free(names[c]);
	free(names);
	free(cols);
	return rc;
}

int
ls_xlsxw_table(const char *sheet, const char *tsv, size_t n, const struct ls_xlsxw_col *types,
    struct ls_buf *out, struct ls_error *err)
{
	struct ls_reader_opts ro = { .format = LS_FMT_TSV };
	struct ls_reader *r = NULL;
	struct ls_xlsxw *w;
	FILE *fp = NULL;
	int rc = 0;

	if ((w = ls_xlsxw_new(err)) == NULL)
		return err->status;
	/* nothing at all (not even a header): an empty sheet */
	if (n > 0 && ((fp = fmemopen((void *)(uintptr_t)tsv, n, "r")) == NULL ||
	    (r = ls_reader_open_fp(fp, sheet, &ro, err)) == NULL))
		rc = fp == NULL ? ls_error_set(err, LS_ENOMEM, NULL, 0, 0, "out of memory") : (int)err->status;
	if (rc == 0)
		rc = r != NULL && ls_reader_ncols(r) > 0 ? fill(w, sheet, r, types, out, err) :
		    ls_xlsxw_close(w, out, err);
	ls_reader_free(r);
	if (fp)
		fclose(fp);
	ls_xlsxw_free(w);
	return rc;
}
