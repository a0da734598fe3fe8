/*
 * util.h - the two allocation helpers every module wanted a copy of.
 */
#ifndef LS_UTIL_H
#define LS_UTIL_H

#include <stddef.h>

#include "error.h"

/*
 * Make the array *p (of *cap elements of elem bytes) hold at least need
 * elements, doubling.  Returns 0, or -1 with *p and *cap unchanged when out
 * of memory or when need * elem does not fit in a size_t.  p is a pointer to the array pointer, passed as void * so that
 * any element type goes without a cast.
 */
int ls_grow(void *p, size_t *cap, size_t need, size_t elem);

/*
 * The whole of the file at path ("-": standard input, left open),
 * NUL-terminated (*len bytes before the NUL), in a buffer the caller
 * frees.  NULL when it cannot be opened or read, or memory is short: err
 * (which may be NULL) then holds LS_EIO or LS_ENOMEM, the path, and "cannot
 * open: REASON" or "cannot read: REASON", and errno is the cause (ENOENT for
 * a missing file), for callers that tell cases apart.  The one whole-file
 * reader of the library: configs, templates, partials, drafts, partials of
 * KPI sums.
 */
char *ls_read_file(const char *path, size_t *len, struct ls_error *err);

/* a then b in a new string the caller frees; NULL when out of memory. */
char *ls_concat(const char *a, const char *b);

#endif
