/* columns.c - required columns found by name, and the message when one is missing. */
#include <stdio.h>
#include <string.h>

#include "columns.h"

long
ls_col_find(const struct ls_str *hdr, size_t ncols, const char *name)
{
	return ls_header_find(hdr, ncols, name, strlen(name));
}

void
ls_col_describe(const struct ls_str *hdr, size_t ncols, char *buf, size_t n)
{
	static const char seps[] = ";|\t,";
	size_t used;

	if (n == 0)
		return;
	if (ncols == 0) {
		snprintf(buf, n, "; the input has no header");
		return;
	}
	used = (size_t)snprintf(buf, n, "; its header is: ");
	for (size_t i = 0; i < ncols && used + 1 < n; i++) {
		int w = snprintf(buf + used, n - used, "%s%.*s", i ? ", " : "",
		    (int)(hdr[i].n > 60 ? 60 : hdr[i].n), hdr[i].p);
		if (w < 0)
			break;
		used += (size_t)w;
	}
	if (used >= n)
		return;
	/* one column that holds a separator: the file is split by another character than the one read */
	if (ncols == 1)
		for (const char *s = seps; *s; s++)
			if (memchr(hdr[0].p, *s, hdr[0].n) != NULL) {
				snprintf(buf + used, n - used,
				    " (one column: if the file is separated by '%s', give -d '%s')",
				    *s == '\t' ? "\\t" : (char[]){ *s, 0 }, *s == '\t' ? "\\t" : (char[]){ *s, 0 });
				break;
			}
}

int
ls_col_need(const struct ls_str *hdr, size_t ncols, const char *name, const char *why,
    long *col, struct ls_error *err)
{
	char tail[300];

	if ((*col = ls_col_find(hdr, ncols, name)) >= 0)
		return 0;
	ls_col_describe(hdr, ncols, tail, sizeof(tail));
	return ls_error_set(err, LS_ECONFIG, NULL, 0, 0, "input has no column '%s'%s%s%s%s", name,
	    why ? " (needed by " : "", why ? why : "", why ? ")" : "", tail);
}
