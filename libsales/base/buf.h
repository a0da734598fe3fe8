/*
 * buf.h - the one growable string of the library.
 *
 * The caller owns a struct ls_buf (start it zeroed) and frees its text
 * with ls_buf_free(); every append keeps the text NUL-terminated, so b->p
 * can be handed to a C string function after any append.
 */
#ifndef LS_BUF_H
#define LS_BUF_H

#include <stddef.h>

struct ls_buf {
	char *p;		/* NUL-terminated when n > 0 or after any append */
	size_t n, cap;
};

/* Append s[0..n), which may lie in b's own text.  0 or LS_ENOMEM (the text is then unchanged). */
int ls_buf_put(struct ls_buf *b, const char *s, size_t n);
/* Append the C string s.  0 or LS_ENOMEM. */
int ls_buf_puts(struct ls_buf *b, const char *s);
/* Free the text; the buffer is then empty and may be reused.  NULL-safe. */
void ls_buf_free(struct ls_buf *b);

#endif
