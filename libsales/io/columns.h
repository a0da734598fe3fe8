/*
 * columns.h - binding a stream's columns by name, and saying well what is
 * missing.  Every tool finds its required columns here before it reads a
 * record, so that a missing one stops the run with one message naming the
 * column, what needs it, and the header that was actually read.
 */
#ifndef LS_COLUMNS_H
#define LS_COLUMNS_H

#include <stddef.h>

#include "error.h"
#include "record.h"

/* The index of name among hdr[0..ncols), or -1. */
long ls_col_find(const struct ls_str *hdr, size_t ncols, const char *name);

/*
 * Find the required column name; *col gets its index.  When it is missing,
 * returns LS_ECONFIG with err->msg "input has no column 'NAME' (needed by
 * WHY); its header is: a, b, c", and when the header is one column that
 * holds ';', '|', a tab or ',', a hint to give -d.  why may be NULL.
 */
int ls_col_need(const struct ls_str *hdr, size_t ncols, const char *name, const char *why,
    long *col, struct ls_error *err);

/* ls_col_need()'s message tail for an input: "; its header is: ..." into buf of size n. */
void ls_col_describe(const struct ls_str *hdr, size_t ncols, char *buf, size_t n);

#endif
