/*
 * xlsx_impl.h - the .xlsx reader's insides, shared by xlsx.c (the
 * container, the workbook's parts, the sheet's stream) and xlsx_cell.c
 * (what a cell's value becomes as text).  Not a public header.
 */
#ifndef LS_XLSX_IMPL_H
#define LS_XLSX_IMPL_H

#include <stddef.h>

#include "buf.h"

#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#include <expat.h>
#include <zip.h>

#include "error.h"
#include "record.h"

#define LS_XLSX_CHUNK	(64u << 10)	/* bytes of XML given to expat at a time */

struct rel {
	char *id, *target, *type;
};

struct cell {
	long col;
	size_t off, n;
};

enum part_kind { P_RELS, P_WORKBOOK, P_STYLES, P_SST, P_SHEET };

struct ls_xlsx {
	char *name;			/* the file, for messages */
	zip_t *zip;
	int date1904;
	long header_row;
	char *want_sheet;
	char *sheet;			/* the sheet read */

	/* the part being read */
	enum part_kind kind;
	zip_file_t *zf;
	const char *part;		/* its name, for messages */
	uint64_t inflated, comp;
	size_t limit;
	XML_Parser p;
	int hostile;			/* a DOCTYPE or entity was seen: parsing aborted */
	int aborted;			/* a handler stopped the parser with x->fatal set */
	struct ls_error fatal;

	/* relationships and the workbook's sheets, while opening */
	struct rel *rels;
	size_t nrels;
	char **sheet_names, **sheet_rids;
	size_t nsheets;
	int in_sheets;

	/* styles: each cellXfs entry's kind of number */
	long *fmt_id;
	unsigned char *fmt_kind;
	size_t nfmt;
	long *xf_fmt;
	unsigned char *xf_kind;
	size_t nxf;
	int in_numfmts, in_cellxfs;

	/* shared strings: NUL-terminated, one after another */
	struct ls_buf sst;
	size_t *sst_off;
	size_t nsst, sst_cap;
	size_t si_start;
	int in_si, in_t, in_rph;

	/* the sheet */
	int in_sd, in_row, in_c, in_v, in_is, has_f, has_v, skip_cell;
	int suspended, final_fed, done, row_ready;
	char ctype[12];
	long style;
	long row, last_row, col, next_col;
	struct ls_buf text;		/* the cell's value as written */
	struct ls_buf arena;		/* the row's values as text */
	struct cell *cells;
	size_t ncells, ccap;
	int row_err;
	char row_msg[400];

	/* records */
	int have_header;
	size_t ncols;
	struct ls_str *hdr;
	char *hdrmem;
	struct ls_str *fields;		/* LS_XLSX_MAXCOL + 1 */
	struct ls_buf raw;

	/* an .xls workbook (xls.c): the child reading it, and the pipe from it */
	pid_t xls_pid;
	FILE *xls_in;
};

/*
 * xls.c: an .xls workbook through FreeXL.  ls_xls_sniff() tells from
 * the first bytes a compound file (1) from a zip, an .xlsx renamed (0), and
 * refuses anything else (-1, err set: an HTML "Excel" export is named as
 * such).  ls_xls_open_sheet() starts the child that reads path and
 * the sheet x->want_sheet names (the first without one), and sets
 * x->sheet; ls_xls_pump() puts the next row's cells in x->cells and
 * x->arena as the sheet's parser does (1, 0 at the end, -1 with err set);
 * ls_xls_close() ends the child.
 */
int ls_xls_sniff(const char *path, struct ls_error *err);
int ls_xls_open_sheet(struct ls_xlsx *x, const char *path, struct ls_error *err);
int ls_xls_pump(struct ls_xlsx *x, struct ls_error *err);
void ls_xls_close(struct ls_xlsx *x);

/* xlsx_part.c: the package's parts */
int ls_xlsx_fail(struct ls_xlsx *x, struct ls_error *err, int status, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;
const char *ls_xlsx_local(const char *name);
const char *ls_xlsx_attr(const char **atts, const char *want);
/* Stop x->p for good from inside a handler; the error waits in x->fatal. */
void ls_xlsx_abort(struct ls_xlsx *x, int status, const char *msg);
int ls_xlsx_part_open(struct ls_xlsx *x, const char *name, size_t limit, struct ls_error *err);
long ls_xlsx_part_read(struct ls_xlsx *x, void *buf, size_t n, struct ls_error *err);
void ls_xlsx_part_close(struct ls_xlsx *x);
int ls_xlsx_new_parser(struct ls_xlsx *x, XML_StartElementHandler start, XML_EndElementHandler end,
    XML_CharacterDataHandler text, struct ls_error *err);
int ls_xlsx_xml_error(struct ls_xlsx *x, struct ls_error *err);
const struct rel *ls_xlsx_find_rel(const struct ls_xlsx *x, const char *suffix, const char *id);
char *ls_xlsx_resolve(const char *from, const char *target);
void ls_xlsx_free_rels(struct ls_xlsx *x);
/* Read everything but the sheet; *wbpath (the caller frees it) names the workbook part. */
int ls_xlsx_load(struct ls_xlsx *x, char **wbpath, struct ls_error *err);

/* Excel's own bounds (XFD1048576): a reference past them is not a sheet Excel could have written. */
#define LS_XLSX_MAXCOL	16384
#define LS_XLSX_MAXROW	1048576L

/* What a cell's number format makes of a number. */
enum ls_xlsx_kind {
	LS_XK_NUMBER = 0,
	LS_XK_DATE,		/* YYYY-MM-DD */
	LS_XK_DATETIME,		/* YYYY-MM-DD HH:MM:SS */
	LS_XK_TIME		/* HH:MM:SS */
};

/* The kind of built-in number format id (ECMA-376 part 1, 18.8.30). */
enum ls_xlsx_kind ls_xlsx_builtin_kind(long id);

/* The kind of a custom format code: d/m/y/h/s tokens outside quotes and brackets. */
enum ls_xlsx_kind ls_xlsx_format_kind(const char *code);

/*
 * A cell's number text v (as in <v>) as the double strtod makes of it,
 * spaces around it allowed; 0, or -1 when it is no finite decimal (inf,
 * nan and hex refused).  The common spellings are read without strtod.
 */
int ls_xlsx_parse_double(const char *v, double *d);

/*
 * Append number text v (as in <v>) to b: the shortest decimal that reads
 * back to the same double, never in exponent form.  Returns 0, LS_ENOMEM,
 * or LS_EDATA when v is not a number.
 */
int ls_xlsx_put_number(struct ls_buf *b, const char *v);

/*
 * Append the serial number v as a date, date-time or time (kind) in the
 * 1900 (date1904 == 0) or 1904 system.  A serial outside 0..9999-12-31 is
 * written as a number.  Returns as ls_xlsx_put_number().
 */
int ls_xlsx_put_date(struct ls_buf *b, const char *v, enum ls_xlsx_kind kind, int date1904);

/* A t="d" cell's ISO 8601 text as YYYY-MM-DD or YYYY-MM-DD HH:MM:SS. */
int ls_xlsx_put_iso(struct ls_buf *b, const char *v);

/*
 * Decode Excel's _xHHHH_ escapes (a character XML cannot carry, such as
 * _x000D_ for CR; _x005F_ escapes the underscore itself) in s[0..n) in
 * place; returns the new length.  _x0000_ and surrogates stay as written.
 */
size_t ls_xlsx_unescape(char *s, size_t n);

/*
 * Parse a cell reference such as "K12": *col 0-based, *row 1-based.
 * 0, or -1 when it is not one or lies beyond XFD1048576.
 */
int ls_xlsx_cellref(const char *s, long *col, long *row);

/* Write column col (0-based) as letters into out (at least 8 bytes). */
void ls_xlsx_colname(long col, char *out);

#endif
