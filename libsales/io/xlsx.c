/*
 * xlsx.c - an .xlsx sheet as a record stream: the workbook opened (its
 * parts read by xlsx_part.c), then the sheet parsed by expat a chunk at a
 * time into rows, and rows into records.
 *
 * expat pushes; the reader is pulled.  The sheet's parser is suspended
 * (XML_StopParser(p, XML_TRUE)) at each </row> and resumed at the next
 * ls_xlsx_next(), so one row is built at a time whatever the chunk held:
 * memory is the chunk, one row and the shared strings.
 *
 * Every part goes through the same door (ls_xlsx_part_read()), which counts what
 * it inflates against LS_XLSX_MAX_PART and LS_XLSX_MAX_RATIO, and every
 * parser refuses a DOCTYPE: OOXML never has one, and entities are how XML
 * bombs (billion laughs, external files) get in.
 */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <expat.h>
#include <zip.h>

#include "xlsx.h"
#include "xlsx_impl.h"


static const struct ls_str empty = { "", 0 };

/* ---- the sheet ---- */

static void
row_error(struct ls_xlsx *x, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/* The row's first error is the one told; the row is still read to its end. */
static void
row_error(struct ls_xlsx *x, const char *fmt, ...)
{
	va_list ap;

	if (x->row_err)
		return;
	x->row_err = 1;
	va_start(ap, fmt);
	vsnprintf(x->row_msg, sizeof(x->row_msg), fmt, ap);
	va_end(ap);
}

static void
cell_name(const struct ls_xlsx *x, char *out, size_t n)
{
	char col[8];

	ls_xlsx_colname(x->col, col);
	snprintf(out, n, "%s%ld", col, x->row);
}

/* The sheet's elements this reader acts on, by local name (any prefix). */
enum sh_el { E_OTHER, E_C, E_V, E_F, E_IS, E_RPH, E_T, E_ROW, E_SD };

/*
 * Called for every element of the sheet, twice: one pass over the name and
 * a switch, rather than a strrchr and a chain of strcmp (a quarter of the
 * reader's own time on a million-row sheet).
 */
static enum sh_el
sh_kind(const char *name)
{
	const char *l = name;

	/* <c> and <v>, unprefixed, are four of a cell's five elements: told before any scan */
	if (name[0] != '\0' && name[1] == '\0')
		return name[0] == 'c' ? E_C : name[0] == 'v' ? E_V : name[0] == 'f' ? E_F :
		    name[0] == 't' ? E_T : E_OTHER;
	/* </row> ends every row: told without the scan for a prefix */
	if (name[0] == 'r' && name[1] == 'o' && name[2] == 'w' && name[3] == '\0')
		return E_ROW;
	for (const char *p = name; *p; p++)
		if (*p == ':')
			l = p + 1;
	switch (l[0]) {
	case 'c':
		return l[1] == '\0' ? E_C : E_OTHER;
	case 'v':
		return l[1] == '\0' ? E_V : E_OTHER;
	case 'f':
		return l[1] == '\0' ? E_F : E_OTHER;
	case 't':
		return l[1] == '\0' ? E_T : E_OTHER;
	case 'i':
		return l[1] == 's' && l[2] == '\0' ? E_IS : E_OTHER;
	case 'r':
		return strcmp(l, "row") == 0 ? E_ROW : strcmp(l, "rPh") == 0 ? E_RPH : E_OTHER;
	case 's':
		return strcmp(l, "sheetData") == 0 ? E_SD : E_OTHER;
	default:
		return E_OTHER;
	}
}

/*
 * A row number or a style index written as plain digits, without
 * strtol's locale and sign handling: -1 for anything else (more than max
 * digits, a sign, a space), which the caller reads as it always did.
 */
static long
digits(const char *s, int max)
{
	long v = 0;
	int n = 0;

	for (; *s >= '0' && *s <= '9'; s++)
		if (++n > max)
			return -1;
		else
			v = v * 10 + (*s - '0');
	return *s == '\0' && n > 0 ? v : -1;
}

/* A cell's r, s and t attributes, in one pass over them. */
static void
cell_attrs(const char **atts, const char **r, const char **s, const char **t)
{
	*r = *s = *t = NULL;
	for (size_t i = 0; atts[i] != NULL; i += 2) {
		const char *l = atts[i];

		for (const char *p = atts[i]; *p; p++)
			if (*p == ':')
				l = p + 1;
		if (l[0] == '\0' || l[1] != '\0')
			continue;
		if (l[0] == 'r')
			*r = atts[i + 1];
		else if (l[0] == 's')
			*s = atts[i + 1];
		else if (l[0] == 't')
			*t = atts[i + 1];
	}
}

static void XMLCALL
sh_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
	struct ls_xlsx *x = ud;
	enum sh_el k = sh_kind(name);
	const char *r;

	if (x->in_c) {
		if (k == E_V)
			x->in_v = x->has_v = 1;
		else if (k == E_F)
			x->has_f = 1;
		else if (k == E_IS)
			x->in_is = x->has_v = 1;
		else if (k == E_RPH)
			x->in_rph = 1;
		else if (k == E_T && x->in_is && !x->in_rph)
			x->in_t = 1;
	} else if (k == E_C && x->in_row) {
		long row;
		const char *t, *s;
		size_t tn;

		cell_attrs(atts, &r, &s, &t);
		x->in_c = 1;
		x->has_f = x->has_v = x->skip_cell = 0;
		x->text.n = 0;
		x->col = x->next_col;
		/* short types are copied by hand: this runs for every cell */
		if (t == NULL)
			x->ctype[0] = 'n', x->ctype[1] = '\0';
		else if ((tn = strlen(t)) < sizeof(x->ctype))
			memcpy(x->ctype, t, tn + 1);
		else
			x->ctype[0] = '?', x->ctype[1] = '\0';
		x->style = s == NULL ? 0 : digits(s, 9);
		if (x->style < 0)
			x->style = atol(s);
		if (r != NULL && ls_xlsx_cellref(r, &x->col, &row) < 0) {
			row_error(x, "cell reference '%.40s' beyond XFD1048576", r);
			x->skip_cell = 1;
		} else if (x->col >= LS_XLSX_MAXCOL) {
			row_error(x, "more than 16384 columns (XFD)");
			x->skip_cell = 1;
		}
	} else if (k == E_ROW && x->in_sd) {
		x->in_row = 1;
		x->ncells = x->next_col = 0;
		x->arena.n = 0;
		x->row_err = 0;
		x->row = x->last_row + 1;
		if ((r = ls_xlsx_attr(atts, "r")) != NULL) {
			char *end = (char *)"";
			long v = digits(r, 8);

			if (v < 0)
				v = strtol(r, &end, 10);
			if (*end != '\0' || v < 1 || v > LS_XLSX_MAXROW)
				row_error(x, "row number '%.20s' outside 1..1048576", r);
			else
				x->row = v;
		}
		if (x->row > LS_XLSX_MAXROW) {
			x->row = LS_XLSX_MAXROW;
			row_error(x, "more than 1048576 rows");
		}
	} else if (k == E_SD) {
		x->in_sd = 1;
	}
}

static void XMLCALL
sh_text(void *ud, const XML_Char *s, int len)
{
	struct ls_xlsx *x = ud;
	struct ls_buf *b = &x->text;

	if (!(x->in_v || (x->in_t && !x->in_rph)) || x->skip_cell)
		return;
	/*
	 * The common case in place: expat hands an inline string's every
	 * character reference (&#1054;) over as a call of its own, a byte or
	 * two, so the call into ls_buf_put() and memcpy() was most of the cost.
	 */
	if (b->p != NULL && b->n + (size_t)len < b->cap && b->n + (size_t)len <= LS_XLSX_MAX_CELL) {
		char *o = b->p + b->n;

		if (len <= 8)
			for (int i = 0; i < len; i++)
				o[i] = s[i];
		else
			memcpy(o, s, (size_t)len);
		b->n += (size_t)len;
		b->p[b->n] = '\0';
		return;
	}
	if (x->text.n + (size_t)len > LS_XLSX_MAX_CELL) {
		char c[24];
		cell_name(x, c, sizeof(c));
		row_error(x, "cell %s longer than 1 MiB", c);
		x->skip_cell = 1;
		return;
	}
	if (ls_buf_put(&x->text, s, (size_t)len) != 0)
		ls_xlsx_abort(x, LS_ENOMEM, "out of memory");
}

/* Whether the cell's type t is the one-letter c (a strcmp() per type tried was 1% of the time). */
static int
type_is(const char *t, char c)
{
	return t[0] == c && t[1] == '\0';
}

/* The cell just closed, as text at the end of the row's arena. */
static void
end_cell(struct ls_xlsx *x)
{
	struct ls_buf *a = &x->arena;
	size_t start = a->n;
	const char *v = x->text.p && x->text.n ? x->text.p : "";
	const char *t = x->ctype;
	char c[24];
	int rc = 0;

	if (x->skip_cell)
		return;
	/* the cell's name is for messages only: made on the error paths */
	c[0] = '\0';
	/* an empty <v/> is no value either, except as a formula's empty text (t="str") */
	if (x->has_f && (!x->has_v || (x->text.n == 0 && strcmp(t, "str") != 0))) {
		cell_name(x, c, sizeof(c));
		row_error(x, "cell %s holds a formula without a cached value "
		    "(open and save the file in Excel or LibreOffice to compute it)", c);
		return;
	}
	if (x->text.n == 0)
		return;
	x->text.p[x->text.n] = '\0';	/* a value with a NUL in it cannot come from expat */
	if (t[0] == 's' && t[1] == '\0') {
		long d = digits(v, 10);
		unsigned long i = (unsigned long)d;
		size_t len;

		if (d < 0) {
			/* not plain digits: read as strtoul reads it, as before (" 7" is string 7) */
			char *end;

			i = strtoul(v, &end, 10);
			if (*end != '\0' || end == v)
				i = ULONG_MAX;
		}
		if (i >= x->nsst) {
			cell_name(x, c, sizeof(c));
			row_error(x, "cell %s: no shared string %.20s (the table holds %zu)", c, v, x->nsst);
			return;
		}
		/* each string ends in its NUL, the next starts after it: no strlen() */
		len = i + 1 < x->nsst ? x->sst_off[i + 1] - x->sst_off[i] - 1 : strlen(x->sst.p + x->sst_off[i]);
		/*
		 * Copied in place with its NUL when the arena has room (it mostly
		 * has: it is reused row after row): ls_buf_put() twice per cell
		 * was the costliest part of a shared-string cell.
		 */
		if (len > 0 && a->n + len + 2 <= a->cap) {
			memcpy(a->p + a->n, x->sst.p + x->sst_off[i], len + 1);
			a->n += len + 1;
			a->p[a->n] = '\0';
			goto add;
		}
		rc = ls_buf_put(a, x->sst.p + x->sst_off[i], len);
	} else if (type_is(t, 'b')) {
		rc = ls_buf_puts(a, strcmp(v, "1") == 0 ? "TRUE" : strcmp(v, "0") == 0 ? "FALSE" : v);
	} else if (type_is(t, 'd')) {
		rc = ls_xlsx_put_iso(a, v);
	} else if (type_is(t, 'n')) {
		enum ls_xlsx_kind k = x->style >= 0 && (size_t)x->style < x->nxf ?
		    (enum ls_xlsx_kind)x->xf_kind[x->style] : LS_XK_NUMBER;
		rc = k == LS_XK_NUMBER ? ls_xlsx_put_number(a, v) : ls_xlsx_put_date(a, v, k, x->date1904);
		if (rc == LS_EDATA) {
			cell_name(x, c, sizeof(c));
			row_error(x, "cell %s: '%.40s' is not a number", c, v);
			a->n = start;
			return;
		}
	} else {
		/* inlineStr, str (a formula's text), e (#N/A) and anything newer: the text itself */
		size_t n = ls_xlsx_unescape(x->text.p, x->text.n);
		rc = ls_buf_put(a, x->text.p, n);
	}
	/* the value's NUL, kept as its end: ls_buf_put() left one at a->p[a->n] */
	if (rc == 0 && a->n > start) {
		if (a->n + 1 < a->cap)
			a->p[++a->n] = '\0';
		else
			rc = ls_buf_put(a, "", 1);
	}
	if (rc != 0) {
		ls_xlsx_abort(x, LS_ENOMEM, "out of memory");
		return;
	}
	if (a->n == start)
		return;
add:
	if (x->ncells == x->ccap) {
		size_t cap = x->ccap ? x->ccap * 2 : 64;
		struct cell *nc = realloc(x->cells, cap * sizeof(*nc));
		if (nc == NULL) {
			ls_xlsx_abort(x, LS_ENOMEM, "out of memory");
			return;
		}
		x->cells = nc;
		x->ccap = cap;
	}
	x->cells[x->ncells++] = (struct cell){ x->col, start, a->n - start - 1 };
}

static void XMLCALL
sh_end(void *ud, const XML_Char *name)
{
	struct ls_xlsx *x = ud;
	enum sh_el k = sh_kind(name);

	if (x->in_c) {
		if (k == E_V) {
			x->in_v = 0;
		} else if (k == E_T) {
			x->in_t = 0;
		} else if (k == E_RPH) {
			x->in_rph = 0;
		} else if (k == E_IS) {
			x->in_is = 0;
		} else if (k == E_C) {
			end_cell(x);
			x->in_c = x->in_v = x->in_is = x->in_t = x->in_rph = 0;
			x->next_col = x->col + 1;
		}
	} else if (k == E_ROW && x->in_row) {
		x->in_row = 0;
		x->last_row = x->row;
		x->row_ready = 1;
		/* hand the row out; the parser goes on from here at the next call */
		XML_StopParser(x->p, XML_TRUE);
	} else if (k == E_SD) {
		x->in_sd = 0;
	}
}

/* Parse on until a row is complete: 1, 0 at the sheet's end, -1 with err filled. */
static int
pump(struct ls_xlsx *x, struct ls_error *err)
{
	if (x->xls_in)
		return ls_xls_pump(x, err);
	while (!x->row_ready) {
		enum XML_Status st;
		if (x->done)
			return 0;
		if (x->suspended) {
			x->suspended = 0;
			st = XML_ResumeParser(x->p);
		} else {
			void *buf = XML_GetBuffer(x->p, LS_XLSX_CHUNK);
			long n;
			if (buf == NULL)
				return ls_error_set(err, LS_ENOMEM, x->name, 0, 0, "out of memory"), -1;
			if ((n = ls_xlsx_part_read(x, buf, LS_XLSX_CHUNK, err)) < 0)
				return -1;
			x->final_fed = n == 0;
			st = XML_ParseBuffer(x->p, (int)n, n == 0);
		}
		if (st == XML_STATUS_SUSPENDED)
			x->suspended = 1;
		else if (st == XML_STATUS_ERROR)
			return ls_xlsx_xml_error(x, err);
		else if (x->final_fed)
			x->done = 1;
	}
	x->row_ready = 0;
	return 1;
}

static int
open_sheet(struct ls_xlsx *x, const char *wbpath, struct ls_error *err)
{
	size_t i = 0;
	const struct rel *rel;
	char *path;

	if (x->nsheets == 0)
		return ls_xlsx_fail(x, err, LS_EIO, "%s: the workbook lists no sheet", wbpath);
	if (x->want_sheet) {
		for (i = 0; i < x->nsheets && strcmp(x->sheet_names[i], x->want_sheet) != 0; i++)
			;
		if (i == x->nsheets) {
			char list[400] = "";
			size_t o = 0;
			for (size_t k = 0; k < x->nsheets && o < sizeof(list) - 1; k++) {
				int n = snprintf(list + o, sizeof(list) - o, "%s'%s'", k ? ", " : "",
				    x->sheet_names[k]);
				if (n > 0)
					o += (size_t)n;
			}
			return ls_xlsx_fail(x, err, LS_EUSAGE, "no sheet '%s' (the workbook has %s)", x->want_sheet,
			    list);
		}
	}
	if ((x->sheet = strdup(x->sheet_names[i])) == NULL)
		return ls_error_set(err, LS_ENOMEM, x->name, 0, 0, "out of memory");
	if ((rel = ls_xlsx_find_rel(x, NULL, x->sheet_rids[i])) == NULL)
		return ls_xlsx_fail(x, err, LS_EIO, "sheet '%s': no relationship %s in the workbook's rels",
		    x->sheet, x->sheet_rids[i]);
	if ((path = ls_xlsx_resolve(wbpath, rel->target)) == NULL)
		return ls_error_set(err, LS_ENOMEM, x->name, 0, 0, "out of memory");
	/* the part's name must outlive messages: keep it as the rels' target */
	free(rel->target);
	((struct rel *)rel)->target = path;
	if (ls_xlsx_part_open(x, path, LS_XLSX_MAX_PART, err) != 0 ||
	    ls_xlsx_new_parser(x, sh_start, sh_end, sh_text, err) != 0)
		return -1;
	x->kind = P_SHEET;
	return 0;
}

static struct ls_xlsx *
xlsx_new(const char *name, const struct ls_xlsx_opts *o, struct ls_error *err)
{
	struct ls_xlsx *x = calloc(1, sizeof(*x));

	if (x == NULL || (x->name = strdup(name)) == NULL ||
	    (x->fields = calloc(LS_XLSX_MAXCOL + 1, sizeof(*x->fields))) == NULL ||
	    (o && o->sheet && (x->want_sheet = strdup(o->sheet)) == NULL)) {
		ls_xlsx_free(x);
		ls_error_set(err, LS_ENOMEM, name, 0, 0, "out of memory");
		return NULL;
	}
	x->header_row = o ? o->header_row : 0;
	return x;
}

static struct ls_xlsx *
finish_open(struct ls_xlsx *x, struct ls_error *err)
{
	char *wb;
	int rc = ls_xlsx_load(x, &wb, err);

	if (rc == 0)
		rc = open_sheet(x, wb, err);
	free(wb);
	if (rc != 0) {
		ls_xlsx_free(x);
		return NULL;
	}
	return x;
}

static void
zip_fail(struct ls_xlsx *x, zip_error_t *ze, struct ls_error *err)
{
	char msg[300];

	if (zip_error_code_zip(ze) == ZIP_ER_NOZIP || zip_error_code_zip(ze) == ZIP_ER_INCONS)
		snprintf(msg, sizeof(msg), "not an .xlsx workbook (%s)", zip_error_strerror(ze));
	else
		snprintf(msg, sizeof(msg), "%s", zip_error_strerror(ze));
	ls_error_set(err, LS_EIO, x->name, 0, 0, "%s", msg);
}

struct ls_xlsx *
ls_xlsx_open(const char *path, const struct ls_xlsx_opts *o, struct ls_error *err)
{
	struct ls_xlsx *x = xlsx_new(path, o, err);
	zip_error_t ze;
	int code = 0;

	if (x == NULL)
		return NULL;
	if (ls_xls_is_path(path) && (code = ls_xls_sniff(path, err)) != 0) {
		if (code < 0 || ls_xls_open_sheet(x, path, err) != 0) {
			ls_xlsx_free(x);
			return NULL;
		}
		return x;
	}
	if ((x->zip = zip_open(path, ZIP_RDONLY, &code)) == NULL) {
		zip_error_init_with_code(&ze, code);
		zip_fail(x, &ze, err);
		zip_error_fini(&ze);
		ls_xlsx_free(x);
		return NULL;
	}
	return finish_open(x, err);
}

struct ls_xlsx *
ls_xlsx_open_mem(const void *data, size_t size, const char *name, const struct ls_xlsx_opts *o,
    struct ls_error *err)
{
	struct ls_xlsx *x = xlsx_new(name, o, err);
	zip_source_t *src;
	zip_error_t ze;

	if (x == NULL)
		return NULL;
	zip_error_init(&ze);
	if ((src = zip_source_buffer_create(data, size, 0, &ze)) == NULL ||
	    (x->zip = zip_open_from_source(src, ZIP_RDONLY, &ze)) == NULL) {
		zip_fail(x, &ze, err);
		zip_source_free(src);
		zip_error_fini(&ze);
		ls_xlsx_free(x);
		return NULL;
	}
	zip_error_fini(&ze);
	return finish_open(x, err);
}

/* The row's fields in place (width columns at least); raw is the row joined as CSV. */
static size_t
place(struct ls_xlsx *x, size_t width)
{
	size_t n = width;

	for (size_t i = 0; i < x->ncells; i++)
		if ((size_t)x->cells[i].col + 1 > n)
			n = (size_t)x->cells[i].col + 1;
	for (size_t i = 0; i < n; i++)
		x->fields[i] = empty;
	for (size_t i = 0; i < x->ncells; i++)
		x->fields[x->cells[i].col] = (struct ls_str){ x->arena.p + x->cells[i].off, x->cells[i].n };
	return n;
}

/*
 * rec->raw: the row as one CSV line.  Written straight into the buffer,
 * grown once to the most the row can take (every byte a doubled quote):
 * a call to ls_buf_put() per field and per comma was a tenth of the
 * reader's own time.
 */
static int
make_raw(struct ls_xlsx *x, size_t n)
{
	struct ls_buf *b = &x->raw;
	size_t need = 1;
	char *o;

	for (size_t i = 0; i < n; i++)
		need += 2 * x->fields[i].n + 3;
	if (need > b->cap) {
		char *p = realloc(b->p, need);

		if (p == NULL)
			return LS_ENOMEM;
		b->p = p;
		b->cap = need;
	}
	o = b->p;
	for (size_t i = 0; i < n; i++) {
		const struct ls_str *f = &x->fields[i];

		if (i > 0)
			*o++ = ',';
		if (strpbrk(f->p, ",\"\r\n") == NULL) {
			memcpy(o, f->p, f->n);
			o += f->n;
			continue;
		}
		*o++ = '"';
		/* span by span between the quotes to double: a note with a comma is quoted whole */
		for (const char *q = f->p, *e = f->p + f->n; q < e;) {
			const char *dq = memchr(q, '"', (size_t)(e - q));
			size_t k = (size_t)((dq ? dq + 1 : e) - q);

			memcpy(o, q, k);
			o += k;
			if (dq)
				*o++ = '"';
			q += k;
		}
		*o++ = '"';
	}
	*o = '\0';
	b->n = (size_t)(o - b->p);
	return 0;
}

static int
keep_header(struct ls_xlsx *x, size_t n)
{
	size_t total = 0;
	char *p;

	/*
	 * The header ends at its last non-empty cell: fields[n - 1] is one,
	 * as end_cell() keeps no empty cell and place() reaches no further.
	 */
	for (size_t i = 0; i < n; i++)
		total += x->fields[i].n + 1;
	if ((x->hdrmem = malloc(total + 1)) == NULL || (x->hdr = calloc(n + 1, sizeof(*x->hdr))) == NULL)
		return -1;
	p = x->hdrmem;
	for (size_t i = 0; i < n; i++) {
		memcpy(p, x->fields[i].p, x->fields[i].n + 1);
		x->hdr[i] = (struct ls_str){ p, x->fields[i].n };
		p += x->fields[i].n + 1;
	}
	x->ncols = n;
	x->have_header = 1;
	return 0;
}

/* A final error: kept, and told again by every later call. */
static int
header_fail(struct ls_xlsx *x, struct ls_error *err, int status, const char *fmt, ...)
{
	char msg[sizeof(err->msg)];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	ls_error_set(&x->fatal, status, x->name, 0, 0, "%s", msg);
	if (err)
		*err = x->fatal;
	return -1;
}

int
ls_xlsx_next(struct ls_xlsx *x, struct ls_record *rec, struct ls_error *err)
{
	int rc;

	if (x->fatal.status != LS_OK) {
		if (err)
			*err = x->fatal;
		return -1;
	}
	for (;;) {
		/* set field by field: zeroing its 1 KiB for every row was a visible cost */
		struct ls_error e;

		e.status = LS_OK;
		e.file[0] = e.msg[0] = '\0';
		e.line = e.col = 0;
		if ((rc = pump(x, &e)) <= 0) {
			if (rc == 0 && !x->have_header && x->header_row > 0) {
				ls_xlsx_fail(x, &e, LS_EIO, "sheet '%s': no row %ld (the sheet ends before it)",
				    x->sheet, x->header_row);
				rc = -1;
			}
			if (rc < 0) {
				x->fatal = e;
				if (err)
					*err = e;
			}
			return rc;
		}
		if (!x->have_header && x->header_row > 0 && x->row < x->header_row)
			continue;	/* title rows above the header (1C's reports) */
		/* blank rows are skipped, as blank lines are in CSV; not the header row asked for */
		if (x->ncells == 0 && !x->row_err && (x->have_header || x->header_row == 0))
			continue;
		size_t n = place(x, x->have_header ? x->ncols : 0);
		if (make_raw(x, n) != 0)
			return header_fail(x, err, LS_ENOMEM, "out of memory");
		rec->file = x->name;
		rec->line = x->row;
		rec->raw = (struct ls_str){ x->raw.p, x->raw.n };
		rec->fields = x->fields;
		if (!x->have_header) {
			/* no header, no stream: an error here is final */
			if (x->header_row > 0 && (x->row > x->header_row || x->ncells == 0))
				return header_fail(x, err, LS_EIO, "sheet '%s': header row %ld is empty",
				    x->sheet, x->header_row);
			if (x->row_err)
				return header_fail(x, err, LS_EIO, "sheet '%s' row %ld: %s", x->sheet, x->row,
				    x->row_msg);
			if (keep_header(x, n) != 0)
				return header_fail(x, err, LS_ENOMEM, "out of memory");
			rec->nfields = x->ncols;
			rec->fields = x->hdr;
			return 1;
		}
		rec->nfields = x->ncols;
		if (!x->row_err && n > x->ncols) {
			/* fields[n - 1] is a cell (see keep_header()): the last one is told */
			char c[8];

			ls_xlsx_colname((long)n - 1, c);
			row_error(x, "cell %s%ld beyond the header's %zu column%s", c, x->row, x->ncols,
			    x->ncols == 1 ? "" : "s");
		}
		if (x->row_err)
			return ls_error_set(err, LS_EDATA, x->name, 0, 0, "sheet '%s' row %ld: %s", x->sheet,
			    x->row, x->row_msg), -1;
		return 1;
	}
}

size_t
ls_xlsx_ncols(const struct ls_xlsx *x)
{
	return x->ncols;
}

int
ls_xlsx_is_path(const char *path)
{
	size_t n = path ? strlen(path) : 0;

	return (n > 5 && strcasecmp(path + n - 5, ".xlsx") == 0) || ls_xls_is_path(path);
}

void
ls_xlsx_free(struct ls_xlsx *x)
{
	if (x == NULL)
		return;
	ls_xls_close(x);
	ls_xlsx_part_close(x);
	if (x->zip)
		zip_discard(x->zip);
	ls_xlsx_free_rels(x);
	for (size_t i = 0; i < x->nsheets; i++) {
		free(x->sheet_names[i]);
		free(x->sheet_rids[i]);
	}
	free(x->sheet_names);
	free(x->sheet_rids);
	free(x->fmt_id);
	free(x->fmt_kind);
	free(x->xf_fmt);
	free(x->xf_kind);
	ls_buf_free(&x->sst);
	free(x->sst_off);
	ls_buf_free(&x->text);
	ls_buf_free(&x->arena);
	ls_buf_free(&x->raw);
	free(x->cells);
	free(x->hdr);
	free(x->hdrmem);
	free(x->fields);
	free(x->want_sheet);
	free(x->sheet);
	free(x->name);
	free(x);
}
