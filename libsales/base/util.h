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

/*
 * A hash table's slots: n bytes, zeroed, NULL when out of memory; freed by
 * ls_table_free() with the same n (NULL is a no-op).  From 2 MB on the
 * block is mapped, not malloc'd: its pages come zeroed from the kernel as
 * they are first touched (calloc's memset would write every byte once
 * more), and it goes straight back when freed.  glibc raises its mmap
 * threshold to the size of any mapped block it frees, so a table moved
 * with malloc would send later blocks to the heap, where a realloc copies
 * and the old copy stays resident.  Huge pages where the kernel gives them
 * on request: a lookup is one random access, and with 4 KB pages nearly
 * each would miss the TLB too.  Used by keyset.c and intmap.c.
 */
void *ls_table_alloc(size_t n);
void ls_table_free(void *p, size_t n);

#endif
