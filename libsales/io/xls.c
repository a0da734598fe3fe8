/*
 * xls.c - a legacy Excel workbook (.xls, BIFF5 and BIFF8, as 1C and older
 * Excel still write) as the source of an .xlsx reader's rows.
 *
 * FreeXL does the reading: it parses the whole compound file at open and
 * hands out cells by row and column, with text already in UTF-8 (from the
 * workbook's code page: cp1251 in Russian BIFF5 files) and dates, date-times
 * and times already formatted as YYYY-MM-DD, YYYY-MM-DD HH:MM:SS and
 * HH:MM:SS.  Here its cells become the rows xlsx.c turns into records, so
 * the header row, --sheet, --header-row, padding, cells beyond the header
 * and --rejects behave the same as for an .xlsx file.  What FreeXL cannot
 * tell apart is documented in libsales-formats(5): booleans and error
 * cells come out as integers (TRUE as 1).
 *
 * FreeXL runs in a child process.  Fuzzing Debian's FreeXL 1.0.6 through
 * this file found a stack buffer overflow in its text conversion within
 * seconds (tests/fuzz/regress/fuzz_xls/): a lead file from outside must
 * not be able to do that to the tool that reads it.  So the child opens the
 * workbook and sends the sheet's cells up a pipe, and the parent believes
 * nothing it is told unchecked: rows rise, columns rise within a row and
 * stay under BIFF's 256, text is UTF-8 without NUL and at most
 * LS_XLSX_MAX_CELL bytes.  A child that dies is an error that says so; it
 * never takes the tool down.
 *
 * The pipe's messages, in the machine's byte order (one machine):
 *   'S' len name			the sheet read (first, once)
 *   'R' row ncells {col len text}...	a row with cells, rows 1-based and rising
 *   'Z'				the sheet's end
 *   'E' status len text		an error; the child exits after it
 */
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <freexl.h>

#include "utf8.h"
#include "util.h"
#include "xlsx.h"
#include "xlsx_impl.h"

/* FreeXL's error codes as words a user can act on. */
static const char *
xls_strerror(int rc)
{
	switch (rc) {
	case FREEXL_FILE_NOT_FOUND:
		return "cannot open it";
	case FREEXL_INSUFFICIENT_MEMORY:
		return "out of memory";
	case FREEXL_INVALID_CFBF_HEADER:
	case FREEXL_CFBF_INVALID_SIGNATURE:
		return "not an .xls workbook (no compound file header)";
	case FREEXL_BIFF_WORKBOOK_NOT_FOUND:
		return "not an .xls workbook (no Workbook stream)";
	case FREEXL_UNSUPPORTED_CHARSET:
	case FREEXL_INVALID_CHARACTER:
		return "text in a code page that cannot be converted to UTF-8";
	case FREEXL_CRAFTED_FILE:
		return "a broken or crafted file (refused by FreeXL)";
	default:
		return "a broken .xls file";
	}
}

int
ls_xls_sniff(const char *path, struct ls_error *err)
{
	static const unsigned char cfbf[8] = { 0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1 };
	unsigned char b[512];
	size_t n, i;
	FILE *fp;

	if ((fp = fopen(path, "rb")) == NULL)
		return ls_error_set(err, LS_EIO, path, 0, 0, "%s", strerror(errno)), -1;
	n = fread(b, 1, sizeof(b), fp);
	fclose(fp);
	if (n >= 8 && memcmp(b, cfbf, 8) == 0)
		return 1;
	/* Excel opens a renamed .xlsx without a word; so does this */
	if (n >= 4 && memcmp(b, "PK\3\4", 4) == 0)
		return 0;
	/* CRM "Excel" exports (Bitrix24's among them) are HTML tables named .xls */
	for (i = 0; i < n && (b[i] == ' ' || b[i] == '\t' || b[i] == '\r' || b[i] == '\n' || b[i] >= 0xEF); i++)
		;
	if (i < n && b[i] == '<')
		return ls_error_set(err, LS_EIO, path, 0, 0, "not an .xls workbook but an HTML page named .xls "
		    "(a CRM's \"Excel\" export): export CSV, or open it in Excel and save it as .xlsx"), -1;
	return ls_error_set(err, LS_EIO, path, 0, 0, "not an .xls workbook (it does not start as one; "
	    "is it CSV or text named .xls?)"), -1;
}

/* One cell's value as text at the end of the arena; 0 or LS_ENOMEM. */
static int
put_cell(struct ls_buf *a, const FreeXL_CellValue *v)
{
	char num[32];

	switch (v->type) {
	case FREEXL_CELL_INT:
		snprintf(num, sizeof(num), "%d", v->value.int_value);
		return ls_buf_puts(a, num);
	case FREEXL_CELL_DOUBLE:
		/* %.17g reads back to the same double; put_number makes it the shortest such */
		snprintf(num, sizeof(num), "%.17g", v->value.double_value);
		return ls_xlsx_put_number(a, num) == LS_ENOMEM ? LS_ENOMEM : 0;
	case FREEXL_CELL_TEXT:
	case FREEXL_CELL_SST_TEXT:
	case FREEXL_CELL_DATE:
	case FREEXL_CELL_DATETIME:
	case FREEXL_CELL_TIME:
		return v->value.text_value ? ls_buf_puts(a, v->value.text_value) : 0;
	default:
		return 0;
	}
}

/* ---- the child: FreeXL, the only code that parses the workbook's bytes ---- */

static void
put_u32(FILE *fp, uint32_t v)
{
	fwrite(&v, sizeof(v), 1, fp);
}

static void
put_text(FILE *fp, const char *s, size_t n)
{
	put_u32(fp, (uint32_t)n);
	fwrite(s, 1, n, fp);
}

static int
child_error(FILE *fp, int status, const char *msg)
{
	fputc('E', fp);
	put_u32(fp, (uint32_t)status);
	put_text(fp, msg, strlen(msg));
	return 1;
}

static int
child_fail(FILE *fp, int rc)
{
	char msg[200];

	snprintf(msg, sizeof(msg), "%s (FreeXL error %d)", xls_strerror(rc), rc);
	return child_error(fp, rc == FREEXL_INSUFFICIENT_MEMORY ? LS_ENOMEM : LS_EIO, msg);
}

/* The name of sheet i (0-based), or NULL. */
static const char *
sheet_name(const void *h, unsigned int i)
{
	const char *s = NULL;

	return freexl_get_worksheet_name(h, (unsigned short)i, &s) == FREEXL_OK ? s : NULL;
}

/* No sheet named want: the message lists those there are. */
static int
child_no_sheet(FILE *fp, const void *h, unsigned int nsheets, const char *want)
{
	char msg[600];
	size_t o;
	const char *name;
	int first = 1;

	o = (size_t)snprintf(msg, sizeof(msg), "no sheet '%.100s' (the workbook has ", want);
	for (unsigned int k = 0; k < nsheets && o < 400; k++)
		if ((name = sheet_name(h, k)) != NULL) {
			o += (size_t)snprintf(msg + o, sizeof(msg) - o, "%s'%.60s'", first ? "" : ", ", name);
			first = 0;
		}
	snprintf(msg + o, sizeof(msg) - o, ")");
	return child_error(fp, LS_EUSAGE, msg);
}

static int
child_sheet(FILE *fp, const void *h, const char *want, struct ls_buf *b)
{
	unsigned int nsheets = 0, rows = 0, i = 0;
	unsigned short cols = 0;
	const char *name;
	int rc;

	if ((rc = freexl_get_info(h, FREEXL_BIFF_SHEET_COUNT, &nsheets)) != FREEXL_OK)
		return child_fail(fp, rc);
	if (nsheets == 0)
		return child_error(fp, LS_EIO, "the workbook holds no sheet");
	if (want) {
		for (i = 0; i < nsheets && ((name = sheet_name(h, i)) == NULL || strcmp(name, want) != 0); i++)
			;
		if (i == nsheets)
			return child_no_sheet(fp, h, nsheets, want);
	}
	if ((name = sheet_name(h, i)) == NULL)
		name = "";
	if ((rc = freexl_select_active_worksheet(h, (unsigned short)i)) != FREEXL_OK ||
	    (rc = freexl_worksheet_dimensions(h, &rows, &cols)) != FREEXL_OK)
		return child_fail(fp, rc);
	fputc('S', fp);
	put_text(fp, name, strlen(name));
	for (unsigned int r = 0; r < rows; r++) {
		uint32_t n = 0;

		/* the row's cells into b first, each after room for its column and length */
		b->n = 0;
		for (unsigned int c = 0; c < cols; c++) {
			FreeXL_CellValue v;
			size_t at = b->n;
			uint32_t col = c, len;

			if ((rc = freexl_get_cell_value(h, r, (unsigned short)c, &v)) != FREEXL_OK)
				return child_fail(fp, rc);
			if (ls_buf_put(b, "\0\0\0\0\0\0\0\0", 8) != 0 || put_cell(b, &v) != 0)
				return child_error(fp, LS_ENOMEM, "out of memory");
			if (b->n == at + 8) {
				b->n = at;
				continue;
			}
			len = (uint32_t)(b->n - at - 8);
			memcpy(b->p + at, &col, 4);
			memcpy(b->p + at + 4, &len, 4);
			n++;
		}
		if (n == 0)
			continue;
		fputc('R', fp);
		put_u32(fp, r + 1);
		put_u32(fp, n);
		fwrite(b->p, 1, b->n, fp);
	}
	fputc('Z', fp);
	return 0;
}

/*
 * The child ends with _exit(): the parent's atexit handlers (lock.c's
 * clean-up list) are not the child's to run.  A coverage build (make
 * coverage defines LS_COVERAGE) writes the child's gcov counters first,
 * which _exit() skips: the lines only the child runs would otherwise count
 * as never run.
 */
#ifdef LS_COVERAGE
void __gcov_dump(void);
#endif
static _Noreturn void
child_exit(int rc)
{
#ifdef LS_COVERAGE
	__gcov_dump();
#endif
	_exit(rc);
}

static void
child(int fd, const char *path, const char *want)
{
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP, SIGPIPE };
	struct ls_buf b = { 0 };
	const void *h = NULL;
	FILE *fp;
	int rc;

	/* the parent's clean-up handlers are the parent's: its output file is not the child's to remove */
	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		signal(sigs[i], SIG_DFL);
	if ((fp = fdopen(fd, "w")) == NULL)
		child_exit(1);
	if ((rc = freexl_open(path, &h)) != FREEXL_OK)
		rc = child_fail(fp, rc);
	else
		rc = child_sheet(fp, h, want, &b);
	if (fflush(fp) != 0)
		rc = 1;
	/* freed though the process ends here: valgrind checks the child too */
	if (h)
		freexl_close(h);
	ls_buf_free(&b);
	fclose(fp);
	child_exit(rc);
}

/* ---- the parent: reads what the child says, and keeps only what checks out ---- */

static int
get(struct ls_xlsx *x, void *p, size_t n)
{
	return fread(p, 1, n, x->xls_in) == n ? 0 : -1;
}

/* Reap the child; -1 with err set when it died of a signal. */
static int
reap(struct ls_xlsx *x, struct ls_error *err)
{
	int st = 0;
	pid_t pid = x->xls_pid;

	if (pid <= 0)
		return 0;
	x->xls_pid = 0;
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return 0;
	if (WIFSIGNALED(st))
		return ls_error_set(err, LS_EIO, x->name, 0, 0, "FreeXL died reading it (signal %d): "
		    "a broken or hostile .xls file; open it in Excel and save it as .xlsx", WTERMSIG(st)), -1;
	return 0;
}

/* The pipe ended early or broke a rule: the child's death names the cause when there is one. */
static int
broken(struct ls_xlsx *x, struct ls_error *err, const char *what)
{
	if (reap(x, err) != 0)
		return -1;
	return ls_error_set(err, LS_EIO, x->name, 0, 0, "a broken .xls file (%s)", what), -1;
}

/* An 'E' message: the child's own error, final. */
static int
child_said(struct ls_xlsx *x, struct ls_error *err)
{
	uint32_t st, n;
	char msg[600];

	if (get(x, &st, 4) != 0 || get(x, &n, 4) != 0 || n >= sizeof(msg) || get(x, msg, n) != 0)
		return broken(x, err, "its reader stopped");
	msg[n] = '\0';
	reap(x, NULL);
	if (st != LS_ENOMEM && st != LS_EUSAGE)
		st = LS_EIO;
	return ls_error_set(err, (int)st, x->name, 0, 0, "%s", msg), -1;
}

int
ls_xls_open_sheet(struct ls_xlsx *x, const char *path, struct ls_error *err)
{
	int fd[2], c;
	uint32_t n;

	if (pipe(fd) != 0)
		return ls_error_set(err, LS_EIO, x->name, 0, 0, "pipe: %s", strerror(errno));
	fflush(NULL);	/* what stdio holds must not be written twice */
	if ((x->xls_pid = fork()) < 0) {
		close(fd[0]);
		close(fd[1]);
		return ls_error_set(err, LS_EIO, x->name, 0, 0, "fork: %s", strerror(errno));
	}
	if (x->xls_pid == 0) {
		close(fd[0]);
		child(fd[1], path, x->want_sheet);
	}
	close(fd[1]);
	if ((x->xls_in = fdopen(fd[0], "r")) == NULL) {
		close(fd[0]);
		return ls_error_set(err, LS_ENOMEM, x->name, 0, 0, "out of memory");
	}
	if ((c = fgetc(x->xls_in)) == 'E')
		return child_said(x, err);
	if (c != 'S' || get(x, &n, 4) != 0 || n > 1024)
		return broken(x, err, "its reader stopped");
	if ((x->sheet = malloc(n + 1)) == NULL)
		return ls_error_set(err, LS_ENOMEM, x->name, 0, 0, "out of memory");
	if (get(x, x->sheet, n) != 0)
		return broken(x, err, "its reader stopped");
	x->sheet[n] = '\0';
	if (ls_utf8_valid((const unsigned char *)x->sheet, n, NULL) != 1)
		return broken(x, err, "a sheet name that is not UTF-8");
	return 0;
}

int
ls_xls_pump(struct ls_xlsx *x, struct ls_error *err)
{
	uint32_t row, n, col, len;
	long last = -1;
	int c;

	if ((c = fgetc(x->xls_in)) == 'Z')
		return reap(x, err) == 0 ? 0 : -1;
	if (c == 'E')
		return child_said(x, err);
	if (c != 'R' || get(x, &row, 4) != 0 || get(x, &n, 4) != 0)
		return broken(x, err, "its reader stopped");
	if ((long)row <= x->row || row > 65536 || n == 0 || n > 256)
		return broken(x, err, "rows out of order");
	x->arena.n = 0;
	x->ncells = 0;
	x->row_err = 0;
	x->row = (long)row;
	for (uint32_t i = 0; i < n; i++) {
		size_t start = x->arena.n;

		if (get(x, &col, 4) != 0 || get(x, &len, 4) != 0)
			return broken(x, err, "its reader stopped");
		if ((long)col <= last || col >= 256 || len == 0 || len > LS_XLSX_MAX_CELL)
			return broken(x, err, "cells out of order");
		last = (long)col;
		if (ls_grow(&x->arena.p, &x->arena.cap, start + len + 1, 1) != 0 ||
		    ls_grow(&x->cells, &x->ccap, x->ncells + 1, sizeof(*x->cells)) != 0)
			return ls_error_set(err, LS_ENOMEM, x->name, 0, 0, "out of memory"), -1;
		if (get(x, x->arena.p + start, len) != 0)
			return broken(x, err, "its reader stopped");
		if (ls_utf8_valid((const unsigned char *)x->arena.p + start, len, NULL) != 1)
			return broken(x, err, "text that is not UTF-8");
		x->arena.p[start + len] = '\0';
		x->arena.n = start + len + 1;
		x->cells[x->ncells++] = (struct cell){ (long)col, start, len };
	}
	return 1;
}

void
ls_xls_close(struct ls_xlsx *x)
{
	if (x->xls_in)
		fclose(x->xls_in);
	x->xls_in = NULL;
	/* stopped before the end (ls_reader_stop(), an error): the child need not finish */
	if (x->xls_pid > 0) {
		kill(x->xls_pid, SIGKILL);
		reap(x, NULL);
	}
}

int
ls_xls_is_path(const char *path)
{
	size_t n = path ? strlen(path) : 0;

	return n > 4 && strcasecmp(path + n - 4, ".xls") == 0;
}
