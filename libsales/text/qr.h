/*
 * qr.h - a QR code as inline SVG, for documents printed from HTML (the
 * payment code of an invoice).  libqrencode makes the symbol; this draws
 * it.  Nothing here prints or exits.
 */
#ifndef LS_QR_H
#define LS_QR_H

#include <stddef.h>

#include "buf.h"
#include "error.h"

/*
 * Append to out an <svg> element drawing data[0..n) as a QR code: byte
 * mode (UTF-8 text goes as it is), error correction level M (15% of the
 * symbol may be lost: a stamp or a fold on paper), the smallest version
 * that holds it, a quiet zone of four modules, and size_mm millimetres a
 * side when printed.  Dark modules are one <path> of horizontal runs, so
 * the element stays small (about 6 KB for a 300-byte payment string).
 * Returns 0, or LS_EDATA when data is longer than a QR code holds (2331
 * bytes at level M) or empty, or LS_ENOMEM; err names the reason.
 */
int ls_qr_svg(const char *data, size_t n, int size_mm, struct ls_buf *out, struct ls_error *err);

#endif
