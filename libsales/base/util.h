/*
 * util.h - the two allocation helpers every module wanted a copy of.
 */
#ifndef LS_UTIL_H
#define LS_UTIL_H

#include <stddef.h>

/*
 * Make the array *p (of *cap elements of elem bytes) hold at least need
 * elements, doubling.  Returns 0, or -1 with *p and *cap unchanged when out
 * of memory or when need * elem does not fit in a size_t.  p is a pointer to the array pointer, passed as void * so that
 * any element type goes without a cast.
 */
int ls_grow(void *p, size_t *cap, size_t need, size_t elem);

/*
 * The whole of the file at path, NUL-terminated (*len bytes before the
 * NUL), in a buffer the caller frees; NULL with errno set when it cannot
 * be opened or read, or memory is short.
 */
char *ls_read_file(const char *path, size_t *len);

/* a then b in a new string the caller frees; NULL when out of memory. */
char *ls_concat(const char *a, const char *b);

#endif
