/*
 * xlsx.h - one sheet of an .xlsx workbook read as a stream of records.
 *
 * The workbook is a zip (libzip) of XML parts (expat).  The shared-strings
 * table and the styles are read into memory once at open; the sheet itself
 * is parsed in chunks as records are asked for, so memory stays flat over
 * a sheet of any length.  Cell values become text by the rules of
 * libsales-formats(5), ".xlsx input": numbers as the shortest decimal that
 * reads back to the same double, never in exponent form; dates, date-times
 * and times by the cell's number format (1900 and 1904 systems); booleans
 * as TRUE and FALSE; errors as their text (#N/A); a formula as its cached
 * value.
 *
 * Records are struct ls_record (record.h), as the CSV reader hands them
 * out: the first is the header row, every later one has exactly as many
 * fields as the header (short rows padded with empty fields), line is the
 * sheet's row number, and raw is the row joined again as one CSV line (for
 * --rejects).  Rows without a non-empty cell are skipped, as blank lines
 * are in CSV.
 *
 * Hostile workbooks are refused with a message, never a crash or a hang:
 * a part larger than LS_XLSX_MAX_PART bytes (or, past 64 MiB, inflating
 * more than LS_XLSX_MAX_RATIO times its compressed size), a DOCTYPE or
 * entity declaration in any part, cells beyond XFD1048576, a broken zip or
 * XML, parts that are missing.
 */
#ifndef LS_XLSX_H
#define LS_XLSX_H

#include <stddef.h>

#include "error.h"
#include "record.h"

#define LS_XLSX_MAX_PART	((size_t)2 << 30)	/* uncompressed bytes read from one part */
#define LS_XLSX_MAX_RATIO	200			/* uncompressed / compressed, past 64 MiB (real sheets: 5-50) */
#define LS_XLSX_MAX_CELL	((size_t)1 << 20)	/* bytes of one cell's text (Excel: 32767 characters) */

struct ls_xlsx_opts {
	const char *sheet;	/* the sheet's name (exact), or NULL for the first in workbook order */
	long header_row;	/* the header's row number, or 0 for the first non-empty row */
};

struct ls_xlsx;

/*
 * Open the workbook at path and the sheet o asks for (o may be NULL); the
 * shared strings and styles are read here.  path is copied.  Returns NULL
 * with err filled (LS_EIO: cannot open, not a workbook, hostile;
 * LS_EUSAGE: no such sheet; LS_ENOMEM).  Free with ls_xlsx_free().
 */
struct ls_xlsx *ls_xlsx_open(const char *path, const struct ls_xlsx_opts *o, struct ls_error *err);

/*
 * The same over data[0..size) in memory (the fuzz target's door); name is
 * used in messages.  data must stay valid and unchanged until ls_xlsx_free().
 */
struct ls_xlsx *ls_xlsx_open_mem(const void *data, size_t size, const char *name,
    const struct ls_xlsx_opts *o, struct ls_error *err);

/*
 * The next record: the header on the first call, then the data rows.
 * Returns 1 with a record, 0 at the end of the sheet, -1 with err filled.
 * rec and all it points to belong to x and are valid until the next call.
 * A data error in one row (LS_EDATA: a non-empty cell beyond the header's
 * columns, a formula without a cached value, a bad shared-string index, a
 * cell reference beyond XFD1048576) leaves rec describing the row, and x
 * may be called again to go on with the next; any other error is final and
 * every later call returns it again.
 */
int ls_xlsx_next(struct ls_xlsx *x, struct ls_record *rec, struct ls_error *err);

/* The number of columns of the header read by the first ls_xlsx_next() (0 before it). */
size_t ls_xlsx_ncols(const struct ls_xlsx *x);

/* Close the archive and free everything.  NULL is a no-op. */
void ls_xlsx_free(struct ls_xlsx *x);

/*
 * Whether path names a workbook this reads, by its ending in any case:
 * .xlsx, or .xls (ls_xls_is_path()), which ls_xlsx_open() reads through
 * FreeXL into the same records (libsales-formats(5), ".xls input").
 */
int ls_xlsx_is_path(const char *path);
int ls_xls_is_path(const char *path);

#endif
