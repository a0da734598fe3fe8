/*
 * buf.h - the one growable string of the library.
 *
 * The caller owns a struct ls_buf (start it zeroed) and frees its text
 * with ls_buf_free(); every append keeps the text NUL-terminated, so b->p
 * can be handed to a C string function after any append.
 */
#ifndef LS_BUF_H
#define LS_BUF_H

#include <stdarg.h>
#include <stddef.h>

struct ls_buf {
	char *p;		/* NUL-terminated when n > 0 or after any append */
	size_t n, cap;
};

/* Append s[0..n), which may lie in b's own text.  0 or LS_ENOMEM (the text is then unchanged). */
int ls_buf_put(struct ls_buf *b, const char *s, size_t n);
/* Append the C string s.  0 or LS_ENOMEM. */
int ls_buf_puts(struct ls_buf *b, const char *s);
/*
 * Append printf-style text, whatever its length.  0, LS_ENOMEM, or
 * LS_EUSAGE when the format cannot be converted; the text is then unchanged.
 */
int ls_buf_printf(struct ls_buf *b, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
int ls_buf_vprintf(struct ls_buf *b, const char *fmt, va_list ap)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 0)))
#endif
    ;
/* Free the text; the buffer is then empty and may be reused.  NULL-safe. */
void ls_buf_free(struct ls_buf *b);

#endif
