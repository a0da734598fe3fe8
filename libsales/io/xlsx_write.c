/*
 * xlsx_write.c - tables as an .xlsx workbook over libxlsxwriter.  See
 * xlsx_write.h.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <xlsxwriter.h>

#include "clock.h"
#include "lock.h"
#include "xlsx_write.h"

/* a column's width in characters: enough for the longest cell, within these */
#define MIN_WIDTH	6
#define MAX_WIDTH	60

/* the number formats (numfmts[] below, 0: none) and the looks (LS_XLSXW_BOLD | BEHIND | AHEAD) */
#define NNUMFMTS	16
#define LOOKS		(LS_XLSXW_BOLD | LS_XLSXW_BEHIND | LS_XLSXW_AHEAD)

struct ls_xlsxw {
	lxw_workbook *wb;
	int fd;			/* the unlinked temporary libxlsxwriter writes the file to */
	char fdpath[64];	/* its name for libxlsxwriter: /dev/fd/N */
	lxw_worksheet *ws;	/* the current sheet */
	struct ls_xlsxw_col *cols;	/* the current sheet's, names copied */
	size_t ncols;
	size_t *width;		/* [ncols]: widest cell so far, in characters */
	size_t row;		/* the current row's index (the header is row 0) */
	int row_used;		/* a cell went to the current row */
	char **names;		/* [nsheets]: the sheets' names, for Excel's case-blind uniqueness */
	size_t nsheets;
	const char *name;	/* the current sheet's, for messages */
	/*
	 * the formats made so far: one per (number format, look), every pair
	 * with a place (a fixed table of 64 filled up past 64 pairs, and the
	 * next cell failed as "out of memory")
	 */
	lxw_format *fmts[NNUMFMTS][LOOKS + 1];
	int closed;
};

static int
lxw_fail(lxw_error e, const char *what, struct ls_error *err)
{
	/* lxw_strerror's text ends in '.', which our messages do not */
	const char *m = lxw_strerror(e);
	size_t n = strlen(m);

	if (n > 0 && m[n - 1] == '.')
		n--;
	return ls_error_set(err, e == LXW_ERROR_MEMORY_MALLOC_FAILED ? LS_ENOMEM : LS_EIO, NULL, 0, 0,
	    "xlsx: %s: %.*s", what, (int)n, m);
}

struct ls_xlsxw *
ls_xlsxw_new(struct ls_error *err)
{
	/* Debian's libxlsxwriter (1.1.4) writes to a file name only, never to memory or a stream */
	lxw_workbook_options o = { .constant_memory = LXW_TRUE, .tmpdir = NULL, .use_zip64 = LXW_FALSE };
	lxw_doc_properties props = { 0 };
	const char *dir = getenv("TMPDIR");
	char tmp[4096];
	struct ls_xlsxw *w;

	if ((w = calloc(1, sizeof(*w))) == NULL) {
		ls_error_set(err, LS_ENOMEM, NULL, 0, 0, "out of memory");
		return NULL;
	}
	snprintf(tmp, sizeof(tmp), "%s/libsales-xlsx-XXXXXX", dir && dir[0] ? dir : "/tmp");
	/*
	 * The file is unlinked at once, so that nothing is left behind by a
	 * crash, and reached by libxlsxwriter through /dev/fd/N, which opens
	 * the same file again.
	 */
	if ((w->fd = mkstemp(tmp)) < 0) {
		ls_error_set(err, LS_EIO, tmp, 0, 0, "%s", strerror(errno));
		free(w);
		return NULL;
	}
	unlink(tmp);
	snprintf(w->fdpath, sizeof(w->fdpath), "/dev/fd/%d", w->fd);
	if (access(w->fdpath, W_OK) != 0)
		snprintf(w->fdpath, sizeof(w->fdpath), "/proc/self/fd/%d", w->fd);
	/* constant_memory: each row goes to a temporary file once the next starts, so memory stays flat */
	if ((w->wb = workbook_new_opt(w->fdpath, &o)) == NULL) {
		ls_error_set(err, LS_ENOMEM, NULL, 0, 0, "xlsx: cannot start a workbook");
		close(w->fd);
		free(w);
		return NULL;
	}
	/*
	 * The creation time stamped inside is the toolkit's clock, so that
	 * SOURCE_DATE_EPOCH makes the same bytes every run (clock.h)
	 */
	props.created = (time_t)ls_clock_now();
	if (workbook_set_properties(w->wb, &props) != LXW_NO_ERROR) {
		ls_error_set(err, LS_ENOMEM, NULL, 0, 0, "out of memory");
		ls_xlsxw_free(w);
		return NULL;
	}
	return w;
}

static void
free_cols(struct ls_xlsxw *w)
{
	for (size_t c = 0; w->cols && c < w->ncols; c++)
		free((char *)(uintptr_t)w->cols[c].name);
	free(w->cols);
	w->cols = NULL;
	w->ncols = 0;
}

void
ls_xlsxw_free(struct ls_xlsxw *w)
{
	if (w == NULL)
		return;
	if (!w->closed)
		workbook_close(w->wb);	/* libxlsxwriter frees a workbook only by closing it */
	close(w->fd);
	for (size_t i = 0; i < w->nsheets; i++)
		free(w->names[i]);
	free(w->names);
	free_cols(w);
	free(w->width);
	free(w);
}

/* ---- formats ---- */

static const char *const numfmts[NNUMFMTS] = {
	NULL,
	"#,##0", "#,##0.0", "#,##0.00", "#,##0.000", "#,##0.0000", "#,##0.00000", "#,##0.000000",
	"0%", "0.0%", "0.00%", "0.000%", "0.0000%",
	"yyyy-mm-dd", "yyyy-mm-dd hh:mm:ss", "[h]:mm"
};
enum { NF_NUMBER = 1, NF_PCT = 8, NF_DATE = 13, NF_DATETIME = 14, NF_DURATION = 15 };

/* The number format index of a column: its type and decimals. */
static int
numfmt_of(const struct ls_xlsxw_col *c)
{
	int d = c->decimals < 0 ? 0 : c->decimals > 6 ? 6 : c->decimals;

	switch (c->type) {
	case LS_XLSXW_NUMBER: return NF_NUMBER + d;
	case LS_XLSXW_MONEY: return NF_NUMBER + 2;
	case LS_XLSXW_RATIO: return NF_PCT + (d >= 2 ? (d - 2 > 4 ? 4 : d - 2) : 0);
	case LS_XLSXW_PERCENT: return NF_PCT + (d > 4 ? 4 : d);
	case LS_XLSXW_DATE: return NF_DATE;
	case LS_XLSXW_DATETIME: return NF_DATETIME;
	case LS_XLSXW_DURATION: return NF_DURATION;
	case LS_XLSXW_TEXT: break;
	}
	return 0;
}

/* The format for (numfmt, look), made on first use; NULL for neither.  *oom on failure. */
static lxw_format *
format(struct ls_xlsxw *w, int nf, unsigned look, int *oom)
{
	lxw_format *f;

	look &= LOOKS;
	if (nf == 0 && look == 0)
		return NULL;
	if (w->fmts[nf][look] != NULL)
		return w->fmts[nf][look];
	if ((f = workbook_add_format(w->wb)) == NULL) {
		*oom = 1;
		return NULL;
	}
	if (nf)
		format_set_num_format(f, numfmts[nf]);
	if (look & LS_XLSXW_BOLD)
		format_set_bold(f);
	/* the colours of kpi-report's HTML (kpi_format.c): RED on RED_BG, GREEN on GREEN_BG */
	if (look & LS_XLSXW_BEHIND) {
		format_set_font_color(f, 0xb71c1c);
		format_set_bg_color(f, 0xfde0e0);
	} else if (look & LS_XLSXW_AHEAD) {
		format_set_font_color(f, 0x1b5e20);
		format_set_bg_color(f, 0xe3f4e4);
	}
	w->fmts[nf][look] = f;
	return f;
}

/* ---- values ---- */

/* Characters (code points) of UTF-8 text. */
static size_t
chars(const char *p, size_t n)
{
	size_t c = 0;

	for (size_t i = 0; i < n; i++)
		c += ((unsigned char)p[i] & 0xc0) != 0x80;
	return c;
}

/*
 * A plain decimal as the tools print it, -?D+(.D+)?, at most 17 digits,
 * into *v.  Exact to the double nearest the decimal: the digits make an
 * exact integer, divided once by an exact power of ten.  Anything else
 * (digit groups, exponents, a note) is text.
 */
static int
decimal(const char *p, size_t n, int shift, double *v)
{
	int64_t m = 0;
	int neg = 0, digits = 0, scale = 0, point = 0;
	double d;

	if (n > 0 && p[0] == '-') {
		neg = 1;
		p++;
		n--;
	}
	if (n == 0 || p[0] < '0' || p[0] > '9')
		return -1;
	for (size_t i = 0; i < n; i++) {
		if (p[i] == '.' && !point && i + 1 < n) {
			point = 1;
			continue;
		}
		if (p[i] < '0' || p[i] > '9' || ++digits > 17)
			return -1;
		m = m * 10 + (p[i] - '0');
		scale += point;
	}
	scale += shift;
	/* 10^19 at most, exact in a double as every power of ten up to 10^22 is */
	for (d = 1; scale > 0; scale--)
		d *= 10;
	d = (double)m / d;
	*v = neg ? -d : d;
	return 0;
}

static int
num2(const char *p)
{
	if (p[0] < '0' || p[0] > '9' || p[1] < '0' || p[1] > '9')
		return -1;
	return (p[0] - '0') * 10 + (p[1] - '0');
}

/* YYYY-MM-DD, then (time) [T ]HH:MM[:SS] and anything after (an offset): dropped. */
static int
datetime(const char *p, size_t n, int time, lxw_datetime *dt)
{
	static const int mdays[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int y1, y2;

	memset(dt, 0, sizeof(*dt));
	if (n < 10 || p[4] != '-' || p[7] != '-' || (y1 = num2(p)) < 0 || (y2 = num2(p + 2)) < 0 ||
	    (dt->month = num2(p + 5)) < 1 || dt->month > 12 || (dt->day = num2(p + 8)) < 1)
		return -1;
	dt->year = y1 * 100 + y2;
	if (dt->year < 1900 || dt->day > mdays[dt->month - 1] ||
	    (dt->month == 2 && dt->day == 29 && (dt->year % 4 || (dt->year % 100 == 0 && dt->year % 400))))
		return -1;
	if (!time)
		return n == 10 ? 0 : -1;
	if (n < 16 || (p[10] != 'T' && p[10] != ' ') || p[13] != ':' ||
	    (dt->hour = num2(p + 11)) < 0 || dt->hour > 23 || (dt->min = num2(p + 14)) < 0 || dt->min > 59)
		return -1;
	if (n >= 19 && p[16] == ':') {
		int s = num2(p + 17);

		if (s < 0 || s > 59)
			return -1;
		dt->sec = s;
	}
	return 0;
}

/* ---- sheets ---- */

/* The current sheet's widths and autofilter, once its rows are all in. */
static int
finish_sheet(struct ls_xlsxw *w, struct ls_error *err)
{
	lxw_error e;

	if (w->ws == NULL || w->ncols == 0)
		return 0;
	for (size_t c = 0; c < w->ncols; c++) {
		/* two for the filter's button beside the header's name */
		size_t wd = w->width[c] + 2;

		wd = wd < MIN_WIDTH ? MIN_WIDTH : wd > MAX_WIDTH ? MAX_WIDTH : wd;
		if ((e = worksheet_set_column(w->ws, (lxw_col_t)c, (lxw_col_t)c, (double)wd, NULL)) != LXW_NO_ERROR)
			return lxw_fail(e, "column width", err);
	}
	e = worksheet_autofilter(w->ws, 0, 0, (lxw_row_t)(w->row - !w->row_used), (lxw_col_t)(w->ncols - 1));
	return e != LXW_NO_ERROR ? lxw_fail(e, "autofilter", err) : 0;
}

/* The lower case of a two-byte Cyrillic letter (lead byte, second byte) as one number. */
static unsigned
cyr_lower(unsigned char lead, unsigned char next)
{
	unsigned c = (unsigned)lead << 8 | next;

	if (c >= 0xd090 && c <= 0xd09f)		/* А-П */
		return c + 0x20;
	if (c >= 0xd0a0 && c <= 0xd0af)		/* Р-Я */
		return c + 0xe0;
	return c == 0xd081 ? 0xd191 : c;	/* Ё */
}

int
ls_xlsxw_same_name(const char *a, const char *b)
{
	size_t na = strlen(a), nb = strlen(b);

	if (na != nb)
		return 0;
	for (size_t i = 0; i < na; i++) {
		unsigned char x = (unsigned char)a[i], y = (unsigned char)b[i];

		/* Cyrillic letters: two bytes each, compared whole */
		if ((x == 0xd0 || x == 0xd1) && (y == 0xd0 || y == 0xd1) && i + 1 < na) {
			if (cyr_lower(x, (unsigned char)a[i + 1]) != cyr_lower(y, (unsigned char)b[i + 1]))
				return 0;
			i++;
			continue;
		}
		if (x == y || ((x | 0x20) == (y | 0x20) && (x | 0x20) >= 'a' && (x | 0x20) <= 'z'))
			continue;
		return 0;
	}
	return 1;
}

/* Does name break Excel's rules for a sheet's name? */
static const char *
bad_sheet_name(const char *name)
{
	size_t n = strlen(name);

	if (n == 0)
		return "empty";
	if (chars(name, n) > 31)
		return "longer than 31 characters";
	if (strpbrk(name, "[]:*?/\\") != NULL)
		return "holds one of []:*?/\\";
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)name[i] < 0x20)
			return "holds a control character";
	if (name[0] == '\'' || name[n - 1] == '\'')
		return "starts or ends with '";
	return NULL;
}

int
ls_xlsxw_sheet(struct ls_xlsxw *w, const char *name, const struct ls_xlsxw_col *cols, size_t n,
    struct ls_error *err)
{
	const char *why;
	lxw_format *bold;
	size_t *width;
	struct ls_xlsxw_col *copy;
	char **names, *nm;
	int oom = 0;

	if (w->closed)
		return ls_error_set(err, LS_EUSAGE, NULL, 0, 0, "xlsx: the workbook is closed");
	if ((why = bad_sheet_name(name)) != NULL)
		return ls_error_set(err, LS_EUSAGE, NULL, 0, 0, "xlsx: sheet name '%s': %s", name, why);
	if (n == 0 || n > LS_XLSXW_MAX_COLS)
		return ls_error_set(err, LS_EUSAGE, NULL, 0, 0,
		    "xlsx: sheet '%s': %zu columns (a sheet holds 1 to %d)", name, n, LS_XLSXW_MAX_COLS);
	if (finish_sheet(w, err) != 0)
		return err->status;
	for (size_t i = 0; i < w->nsheets; i++)
		if (ls_xlsxw_same_name(w->names[i], name))
			return ls_error_set(err, LS_EUSAGE, NULL, 0, 0, strcmp(w->names[i], name) == 0 ?
			    "xlsx: two sheets named '%s'" : "xlsx: sheet names '%s' and '%s' differ only in case",
			    w->names[i], name);
	if ((names = realloc(w->names, (w->nsheets + 1) * sizeof(*names))) == NULL)
		return ls_error_set(err, LS_ENOMEM, NULL, 0, 0, "out of memory");
	w->names = names;
	/* the name is the workbook's (freed with it) once its sheet is added, below: till then, ours */
	if ((nm = strdup(name)) == NULL)
		return ls_error_set(err, LS_ENOMEM, NULL, 0, 0, "out of memory");
	if ((width = calloc(n, sizeof(*width))) == NULL || (copy = calloc(n, sizeof(*copy))) == NULL) {
		free(width);
		free(nm);
		return ls_error_set(err, LS_ENOMEM, NULL, 0, 0, "out of memory");
	}
	free_cols(w);
	free(w->width);
	w->width = width;
	w->cols = copy;
	w->ncols = n;
	for (size_t c = 0; c < n; c++) {
		copy[c] = cols[c];
		if ((copy[c].name = strdup(cols[c].name ? cols[c].name : "")) == NULL) {
			w->ncols = c;
			free(nm);
			return ls_error_set(err, LS_ENOMEM, NULL, 0, 0, "out of memory");
		}
	}
	if ((w->ws = workbook_add_worksheet(w->wb, name)) == NULL) {
		free(nm);
		return ls_error_set(err, LS_ENOMEM, NULL, 0, 0, "xlsx: cannot add sheet '%s'", name);
	}
	w->names[w->nsheets] = nm;
	w->name = w->names[w->nsheets++];
	w->row = 0;
	w->row_used = 0;
	bold = format(w, 0, LS_XLSXW_BOLD, &oom);
	if (oom)
		return ls_error_set(err, LS_ENOMEM, NULL, 0, 0, "out of memory");
	for (size_t c = 0; c < n; c++) {
		lxw_error e = worksheet_write_string(w->ws, 0, (lxw_col_t)c, copy[c].name, bold);

		if (e != LXW_NO_ERROR)
			return lxw_fail(e, "header", err);
		/* bold is about a character wider every eight */
		w->width[c] = chars(copy[c].name, strlen(copy[c].name)) * 9 / 8 + 1;
	}
	worksheet_freeze_panes(w->ws, 1, 0);
	w->row = 1;
	return 0;
}

size_t
ls_xlsxw_rows(const struct ls_xlsxw *w)
{
	return w->ws == NULL ? 0 : w->row - 1 + (size_t)w->row_used;
}

void
ls_xlsxw_end(struct ls_xlsxw *w)
{
	if (w->row_used)
		w->row++;
	w->row_used = 0;
}

/* The characters a number takes on screen: its text and a digit group separator every three. */
static size_t
num_width(const struct ls_xlsxw_col *c, size_t n, const char *p)
{
	const char *dot = memchr(p, '.', n);
	size_t ints = dot ? (size_t)(dot - p) : n;

	if (c->type == LS_XLSXW_RATIO || c->type == LS_XLSXW_PERCENT)
		return n + 3;
	return n + (ints > 3 ? (ints - 1) / 3 : 0);
}

int
ls_xlsxw_cell(struct ls_xlsxw *w, size_t col, const char *p, size_t n, unsigned look,
    struct ls_error *err)
{
	const struct ls_xlsxw_col *c;
	lxw_row_t row = (lxw_row_t)w->row;
	lxw_col_t lc = (lxw_col_t)col;
	lxw_format *f;
	lxw_datetime dt;
	lxw_error e = LXW_NO_ERROR;
	size_t nc;
	double v;
	int oom = 0, nf;
	char *s;

	if (w->ws == NULL || w->closed || col >= w->ncols)
		return ls_error_set(err, LS_EUSAGE, NULL, 0, 0, "xlsx: a cell outside the sheet's columns");
	if (w->row >= LS_XLSXW_MAX_ROWS)
		return ls_error_set(err, LS_EDATA, NULL, 0, 0,
		    "xlsx: sheet '%s': more than %d rows (a sheet's most)", w->name, LS_XLSXW_MAX_ROWS - 1);
	c = &w->cols[col];
	w->row_used = 1;
	if (n == 0) {
		if (look == 0)
			return 0;
		f = format(w, 0, look, &oom);
		e = oom ? LXW_ERROR_MEMORY_MALLOC_FAILED : worksheet_write_blank(w->ws, row, lc, f);
		return e != LXW_NO_ERROR ? lxw_fail(e, "cell", err) : 0;
	}
	nf = numfmt_of(c);
	switch (c->type) {
	case LS_XLSXW_NUMBER: case LS_XLSXW_MONEY: case LS_XLSXW_RATIO: case LS_XLSXW_PERCENT:
		if (decimal(p, n, c->type == LS_XLSXW_PERCENT ? 2 : 0, &v) != 0)
			break;
		f = format(w, nf, look, &oom);
		e = oom ? LXW_ERROR_MEMORY_MALLOC_FAILED : worksheet_write_number(w->ws, row, lc, v, f);
		nc = num_width(c, n, p);
		goto written;
	case LS_XLSXW_DURATION:
		/* a spreadsheet's time is a fraction of a day; [h]:mm goes past 24 hours */
		if (decimal(p, n, 0, &v) != 0)
			break;
		f = format(w, nf, look, &oom);
		e = oom ? LXW_ERROR_MEMORY_MALLOC_FAILED : worksheet_write_number(w->ws, row, lc, v / 86400.0, f);
		nc = n;
		goto written;
	case LS_XLSXW_DATE: case LS_XLSXW_DATETIME:
		/* a date alone in a date-time column is a date */
		if (c->type == LS_XLSXW_DATETIME && n == 10)
			nf = NF_DATE;
		if (datetime(p, n, nf == NF_DATETIME, &dt) != 0)
			break;
		f = format(w, nf, look, &oom);
		e = oom ? LXW_ERROR_MEMORY_MALLOC_FAILED : worksheet_write_datetime(w->ws, row, lc, &dt, f);
		nc = nf == NF_DATE ? 10 : 19;
		goto written;
	case LS_XLSXW_TEXT:
		break;
	}
	/* text, and a typed column's cell that is not of its type: a string, never a formula */
	if ((nc = chars(p, n)) > LS_XLSXW_MAX_CELL)
		return ls_error_set(err, LS_EDATA, NULL, 0, 0,
		    "xlsx: sheet '%s', row %zu, column '%s': %zu characters (a cell holds %d)",
		    w->name, w->row + 1, c->name, nc, LS_XLSXW_MAX_CELL);
	if ((s = malloc(n + 1)) == NULL)
		return ls_error_set(err, LS_ENOMEM, NULL, 0, 0, "out of memory");
	memcpy(s, p, n);
	s[n] = '\0';
	f = format(w, 0, look, &oom);
	e = oom ? LXW_ERROR_MEMORY_MALLOC_FAILED : worksheet_write_string(w->ws, row, lc, s, f);
	free(s);
written:
	if (e != LXW_NO_ERROR)
		return lxw_fail(e, "cell", err);
	if (nc > w->width[col])
		w->width[col] = nc;
	return 0;
}

int
ls_xlsxw_row(struct ls_xlsxw *w, const struct ls_str *f, size_t n, struct ls_error *err)
{
	for (size_t c = 0; c < n && c < w->ncols; c++)
		if (ls_xlsxw_cell(w, c, f[c].p, f[c].n, 0, err) != 0)
			return err->status;
	/* a row of empty cells still takes its line, as a CSV's would */
	w->row_used = 1;
	ls_xlsxw_end(w);
	return 0;
}

int
ls_xlsxw_close(struct ls_xlsxw *w, struct ls_buf *out, struct ls_error *err)
{
	char chunk[65536];
	lxw_error e;
	ssize_t got;

	if (w->closed)
		return ls_error_set(err, LS_EUSAGE, NULL, 0, 0, "xlsx: the workbook is closed");
	if (w->nsheets == 0 && workbook_add_worksheet(w->wb, NULL) == NULL)
		return ls_error_set(err, LS_ENOMEM, NULL, 0, 0, "xlsx: cannot add a sheet");
	if (finish_sheet(w, err) != 0)
		return err->status;
	w->closed = 1;
	if ((e = workbook_close(w->wb)) != LXW_NO_ERROR)
		return lxw_fail(e, "writing the workbook", err);
	if (lseek(w->fd, 0, SEEK_SET) != 0)
		return ls_error_set(err, LS_EIO, NULL, 0, 0, "xlsx: %s", strerror(errno));
	while ((got = read(w->fd, chunk, sizeof(chunk))) != 0) {
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0)
			return ls_error_set(err, LS_EIO, NULL, 0, 0, "xlsx: %s", strerror(errno));
		if (ls_buf_put(out, chunk, (size_t)got) != 0)
			return ls_error_set(err, LS_ENOMEM, NULL, 0, 0, "out of memory");
	}
	return 0;
}

/* ---- names and where the file goes ---- */

void
ls_xlsxw_sheet_name(const char *s, size_t n, const char *const *used, size_t nused, char *buf)
{
	size_t o = 0, nc = 0, cut[32];

	/* the characters Excel refuses become '_'; at most 31 characters */
	while (n > 0 && s[0] == '\'') {
		s++;
		n--;
	}
	while (n > 0 && s[n - 1] == '\'')
		n--;
	for (size_t i = 0; i < n && nc < 31;) {
		unsigned char c = (unsigned char)s[i];
		size_t len = c < 0x80 ? 1 : c < 0xe0 ? 2 : c < 0xf0 ? 3 : 4;

		if (i + len > n)
			break;
		cut[nc++] = o;
		if (c < 0x20 || c == 0x7f || strchr("[]:*?/\\", c) != NULL) {
			buf[o++] = '_';
		} else {
			memcpy(buf + o, s + i, len);
			o += len;
		}
		i += len;
	}
	if (o == 0) {
		cut[nc++] = 0;
		buf[o++] = '_';
	}
	buf[o] = '\0';
	/* taken (case aside): NAME~2, NAME~3... within the 31 characters */
	for (unsigned k = 2;; k++) {
		char suffix[16];
		size_t ns, keep;
		int taken = 0;

		for (size_t i = 0; i < nused && !taken; i++)
			taken = ls_xlsxw_same_name(used[i], buf);
		if (!taken)
			return;
		ns = (size_t)snprintf(suffix, sizeof(suffix), "~%u", k);
		keep = nc + ns > 31 ? cut[31 - ns] : o;
		memcpy(buf + keep, suffix, ns + 1);
	}
}

int
ls_xlsxw_path(const char *path)
{
	size_t n = path ? strlen(path) : 0;

	return n > 5 && strcasecmp(path + n - 5, ".xlsx") == 0;
}

int
ls_xlsxw_output_check(const char *path, FILE *fp, struct ls_error *err)
{
	if ((path == NULL || strcmp(path, "-") == 0) && isatty(fileno(fp)))
		return ls_error_set(err, LS_EUSAGE, NULL, 0, 0,
		    "an .xlsx workbook is not for a terminal: give -o FILE.xlsx or redirect the output");
	return 0;
}

int
ls_xlsxw_output(const char *path, FILE *fp, const char *buf, size_t n, struct ls_error *err)
{
	if (path != NULL && strcmp(path, "-") != 0)
		return ls_atomic_write(path, buf, n, err);
	if (fwrite(buf, 1, n, fp) != n || fflush(fp) != 0)
		return ls_error_set(err, errno == EPIPE ? LS_EPIPE : LS_EIO, "stdout", 0, 0, "%s",
		    strerror(errno));
	return 0;
}
