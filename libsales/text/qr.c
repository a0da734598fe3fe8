/*
 * qr.c - a QR code as inline SVG: libqrencode's symbol, drawn as one path.
 * See qr.h.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <qrencode.h>

#include "qr.h"

#define QUIET	4	/* modules of white around the symbol (ISO/IEC 18004) */

/* "n" in decimal at p (0 <= n < 1000: a symbol is at most 177 modules wide, 185 with its margin); the end */
static char *
put_num(char *p, int n)
{
	if (n >= 100)
		*p++ = (char)('0' + n / 100);
	if (n >= 10)
		*p++ = (char)('0' + n / 10 % 10);
	*p++ = (char)('0' + n % 10);
	return p;
}

/*
 * "Mx yhRv1h-Rz": a run of R dark modules from (x, y), at p; the end.
 * Formatted here, not by printf: a symbol has a few hundred runs, and
 * vsnprintf's cost for each was as much as libqrencode's for the whole
 * symbol (callgrind, the example invoice).
 */
static char *
put_run(char *p, int x, int y, int run)
{
	*p++ = 'M';
	p = put_num(p, x);
	*p++ = ' ';
	p = put_num(p, y);
	*p++ = 'h';
	p = put_num(p, run);
	memcpy(p, "v1h-", 4);
	p = put_num(p + 4, run);
	*p++ = 'z';
	return p;
}

int
ls_qr_svg(const char *data, size_t n, int size_mm, struct ls_buf *out, struct ls_error *err)
{
	QRcode *q;
	int w, side, rc = 0;

	if (n == 0 || n > 2331)
		return ls_error_set(err, LS_EDATA, NULL, 0, 0, "%s for a QR code (%zu bytes; at most 2331)",
		    n == 0 ? "nothing to put" : "too long", n);
	errno = 0;
	if ((q = QRcode_encodeData((int)n, (const unsigned char *)data, 0, QR_ECLEVEL_M)) == NULL)
		return errno == ENOMEM ? ls_error_set(err, LS_ENOMEM, NULL, 0, 0, "out of memory") :
		    ls_error_set(err, LS_EDATA, NULL, 0, 0, "cannot make a QR code of it (%zu bytes)", n);
	w = q->width;
	side = w + 2 * QUIET;
	rc |= ls_buf_printf(out, "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"qr\" width=\"%dmm\" "
	    "height=\"%dmm\" viewBox=\"0 0 %d %d\" shape-rendering=\"crispEdges\">"
	    "<rect width=\"%d\" height=\"%d\" fill=\"#fff\"/><path fill=\"#000\" d=\"",
	    size_mm, size_mm, side, side, side, side);
	/*
	 * A row's runs are formatted into line[] and appended at once: one
	 * ls_buf_put() a row, not one a run (a row of w <= 177 modules, version
	 * 40's, has at most (w + 1) / 2 runs, each at most 20 bytes: "M" 3 " " 3
	 * "h" 3 "v1h-" 3 "z").
	 */
	for (int y = 0; y < w && rc == 0; y++) {
		const unsigned char *row = q->data + (size_t)y * (size_t)w;
		char line[(177 + 1) / 2 * 20], *p = line;

		for (int x = 0; x < w; x++) {
			int run = 0;

			/* bit 0 of each byte: the module is dark */
			while (x + run < w && (row[x + run] & 1))
				run++;
			if (run > 0) {
				/* never reached with libqrencode's symbols: line[] holds a whole row */
				if (line + sizeof line - p < 20) {
					rc |= ls_buf_put(out, line, (size_t)(p - line));
					p = line;
				}
				p = put_run(p, x + QUIET, y + QUIET, run);
				x += run;
			}
		}
		rc |= ls_buf_put(out, line, (size_t)(p - line));
	}
	rc |= ls_buf_printf(out, "\"/></svg>");
	QRcode_free(q);
	return rc != 0 ? ls_error_set(err, LS_ENOMEM, NULL, 0, 0, "out of memory") : 0;
}
