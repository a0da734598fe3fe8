/*
 * diff.h - what changed between two versions of a text, for a person to
 * read: doc-render's approve shows it before an approver accepts an edited
 * draft.  Appends to the caller's struct ls_buf.
 */
#ifndef LS_DIFF_H
#define LS_DIFF_H

#include <stddef.h>

#include "buf.h"

/*
 * One unified hunk ("@@ -a,n +b,m @@", then "-" and "+" lines) around what
 * lies between the lines both texts begin and end with: enough to read an
 * edited account number or amount, not a minimal diff.  Lines end at LF
 * (texts that differ only in a last line end give an empty hunk).  0 or
 * LS_ENOMEM.
 */
int ls_diff_hunk(struct ls_buf *out, const char *a, size_t an, const char *b, size_t bn);

#endif
