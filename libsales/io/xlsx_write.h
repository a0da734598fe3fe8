/*
 * xlsx_write.h - tables written as an .xlsx workbook, through libxlsxwriter.
 *
 * A workbook holds one or more sheets; each sheet is a header row (bold,
 * frozen, with an autofilter) and rows of cells typed by their column: a
 * column declared a number, money, ratio or percentage gets numbers with
 * a number format, a date or date-time column gets dates; a cell of such
 * a column that does not read as one (a note typed into an amount) and
 * every cell of a text column is written as a STRING.  Nothing from the
 * data ever becomes a formula: a company named "=HYPERLINK(...)" or
 * "@SUM(...)" is text in the workbook (OWASP's "CSV injection"; the
 * writer's formula guard is for CSV, writer.h).  Column widths follow the
 * longest cell, within bounds.  The rules are libsales-formats(5)'s
 * ".xlsx output".
 *
 * The workbook is built in memory and in libxlsxwriter's own temporary
 * files; ls_xlsxw_close() hands the finished file's bytes to the caller,
 * who writes them atomically (lock.h's ls_atomic_write()) or to standard
 * output (ls_xlsxw_output()).  Errors of libxlsxwriter become ls_error
 * messages.  A workbook is used by one thread.
 */
#ifndef LS_XLSX_WRITE_H
#define LS_XLSX_WRITE_H

#include <stddef.h>
#include <stdio.h>

#include "buf.h"
#include "error.h"
#include "record.h"

/* What a column's cells are (values as the tools print them: "1234.5", "2026-11-26"). */
enum ls_xlsxw_type {
	LS_XLSXW_TEXT = 0,	/* a string, always */
	LS_XLSXW_NUMBER,	/* a decimal, shown with decimals places and digit groups */
	LS_XLSXW_MONEY,		/* a decimal, shown as 1,234,567.89 */
	LS_XLSXW_RATIO,		/* 0.412 shown as 41.2% (decimals: of the printed value) */
	LS_XLSXW_PERCENT,	/* 41.2 (already per cent) written as 0.412, shown as 41.2% */
	LS_XLSXW_DATE,		/* YYYY-MM-DD */
	LS_XLSXW_DATETIME,	/* YYYY-MM-DD[T ]HH:MM[:SS] (an offset after it dropped), or a date alone */
	LS_XLSXW_DURATION	/* seconds (a decimal), written as days, shown as [h]:mm: 90000 is 25:00 */
};

struct ls_xlsxw_col {
	const char *name;		/* the header cell */
	enum ls_xlsxw_type type;
	int decimals;			/* NUMBER, RATIO, PERCENT: 0..6 */
};

/* A cell's look, or'ed: a TOTAL row's bold, the plan colours of kpi-report's HTML. */
enum {
	LS_XLSXW_BOLD = 1,
	LS_XLSXW_BEHIND = 2,	/* red text on light red: below plan */
	LS_XLSXW_AHEAD = 4	/* green text on light green: at or above plan */
};

#define LS_XLSXW_MAX_ROWS	1048576		/* Excel's, the header included */
#define LS_XLSXW_MAX_COLS	16384
#define LS_XLSXW_MAX_CELL	32767		/* characters of a cell's text */

struct ls_xlsxw;

/* A new, empty workbook.  NULL with err filled on failure.  Free with ls_xlsxw_free(). */
struct ls_xlsxw *ls_xlsxw_new(struct ls_error *err);

/*
 * Start a new sheet named name (Excel's rules: 1..31 characters, none of
 * []:*?/\, not starting or ending with ', unique without regard to case;
 * ls_xlsxw_sheet_name() makes one) and write its header from cols[0..n)
 * (copied).  The rows that follow go to this sheet.  0, or LS_EUSAGE for a bad name
 * or more than LS_XLSXW_MAX_COLS columns, LS_ENOMEM, with err filled.
 */
int ls_xlsxw_sheet(struct ls_xlsxw *w, const char *name, const struct ls_xlsxw_col *cols,
    size_t n, struct ls_error *err);

/*
 * The cell of column col in the current row, as cols[col] types it, with
 * look (LS_XLSXW_BOLD ...).  p[0..n) must be valid UTF-8 (what the readers
 * hand out).  An empty cell is written only when it has a look.  0, or
 * LS_EDATA past LS_XLSXW_MAX_ROWS rows or for a text longer than
 * LS_XLSXW_MAX_CELL characters, LS_ENOMEM, with err filled (a message
 * naming the sheet's row and column).
 */
int ls_xlsxw_cell(struct ls_xlsxw *w, size_t col, const char *p, size_t n, unsigned look,
    struct ls_error *err);
/* A whole row: f[0..n) in columns 0..n), no look; then ls_xlsxw_end(). */
int ls_xlsxw_row(struct ls_xlsxw *w, const struct ls_str *f, size_t n, struct ls_error *err);
/* End the current row: the next cells go to the row below. */
void ls_xlsxw_end(struct ls_xlsxw *w);
/* Rows written to the current sheet so far, the header not counted. */
size_t ls_xlsxw_rows(const struct ls_xlsxw *w);

/*
 * Finish the workbook (a workbook with no sheet gets an empty one, as
 * Excel needs at least one) and append its bytes to out.  0, or the status
 * with err filled.  The workbook takes no more rows afterwards.
 */
int ls_xlsxw_close(struct ls_xlsxw *w, struct ls_buf *out, struct ls_error *err);

/*
 * A stream written by the toolkit's writer as TSV, tsv[0..n) (header
 * first), as a workbook of one sheet named sheet, its bytes appended to
 * out: each column typed by the entry of types (a list ending with a NULL
 * name; NULL: none) of its name, text when none names it (xlsx_table.c).
 * No header (n == 0) gives an empty sheet.  0, or the status with err.
 */
int ls_xlsxw_table(const char *sheet, const char *tsv, size_t n, const struct ls_xlsxw_col *types,
    struct ls_buf *out, struct ls_error *err);
/* The same as one more sheet of w (nothing for n == 0).  0, or the status with err. */
int ls_xlsxw_sheet_tsv(struct ls_xlsxw *w, const char *sheet, const char *tsv, size_t n,
    const struct ls_xlsxw_col *types, struct ls_error *err);

/* Free; NULL is a no-op. */
void ls_xlsxw_free(struct ls_xlsxw *w);

/*
 * Make a sheet name from s[0..n) (a manager id, say): the characters Excel
 * refuses ([]:*?/\ and control characters) become '_', a leading or
 * trailing ' is dropped, an empty name becomes "_", the name is cut to 31
 * characters (whole UTF-8 characters); when it is one of used[0..nused)
 * (case aside), "~2", "~3"... replaces its end.  Written into buf (size at
 * least LS_XLSXW_SHEET_NAME).
 */
#define LS_XLSXW_SHEET_NAME	128
void ls_xlsxw_sheet_name(const char *s, size_t n, const char *const *used, size_t nused,
    char *buf);

/*
 * Whether a and b are the same name in Excel's eyes (and a case-blind
 * file system's): equal but for ASCII and Cyrillic case.
 */
int ls_xlsxw_same_name(const char *a, const char *b);

/* Whether path names an .xlsx file (ends in ".xlsx", any case): -o FILE.xlsx chooses the format. */
int ls_xlsxw_path(const char *path);

/*
 * Where a workbook may go: to path (not NULL and not "-"), or to fp (the
 * standard output) only when fp is not a terminal: binary on a screen
 * helps nobody.  0, or LS_EUSAGE with err filled.  Check before any work.
 */
int ls_xlsxw_output_check(const char *path, FILE *fp, struct ls_error *err);

/*
 * Write the workbook's bytes buf[0..n) to path, replaced atomically
 * (lock.h), or when path is NULL or "-" to fp.  0, or LS_EIO / LS_EPIPE
 * with err filled.
 */
int ls_xlsxw_output(const char *path, FILE *fp, const char *buf, size_t n,
    struct ls_error *err);

#endif
