/*
 * escape.h - the one place that escapes text for a document format: HTML
 * (Mustache's {{x}} in an .html template, kpi-report's HTML page) and LaTeX
 * (.tex templates) and the XML text of a Word run (.docx templates).  Appends to the caller's struct ls_buf.
 */
#ifndef LS_ESCAPE_H
#define LS_ESCAPE_H

#include <stddef.h>

#include "buf.h"

enum ls_escape {
	LS_ESC_HTML = 0,	/* & < > " ' */
	LS_ESC_LATEX,		/* \ { } $ & # % _ ~ ^ */
	LS_ESC_NONE,
	LS_ESC_WORDML		/* & < > " ' as entities; a newline a <w:br/>, a tab a <w:tab/> */
};

/* Append s[0..n) escaped for esc.  0 or LS_ENOMEM. */
int ls_escape_put(struct ls_buf *out, const char *s, size_t n, enum ls_escape esc);

/*
 * The escaping a template's file name asks for: its extension, after a
 * trailing ".mustache" is dropped (invoice.html.mustache is HTML): .html and
 * .htm are LS_ESC_HTML, .tex LS_ESC_LATEX, .docx LS_ESC_WORDML, anything
 * else LS_ESC_NONE.
 */
enum ls_escape ls_escape_for_path(const char *path);

/* "html", "latex" or "none" (--escape's words) to *out: 0, or -1 for another word. */
int ls_escape_parse(const char *word, enum ls_escape *out);

#endif
