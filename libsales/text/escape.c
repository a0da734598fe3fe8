/* escape.c - escaping for HTML, LaTeX and Word's run text (escape.h). */
#include <string.h>

#include "error.h"
#include "escape.h"

int
ls_escape_put(struct ls_buf *out, const char *s, size_t n, enum ls_escape esc)
{
	size_t i, start = 0;

	if (esc == LS_ESC_NONE)
		return ls_buf_put(out, s, n);
	for (i = 0; i < n; i++) {
		const char *rep = NULL;
		char c = s[i];

		if (esc == LS_ESC_WORDML) {
			/* inside a w:t (docx.h): a line break or tab ends the text, breaks, starts another */
			switch (c) {
			case '&': rep = "&amp;"; break;
			case '<': rep = "&lt;"; break;
			case '>': rep = "&gt;"; break;
			case '"': rep = "&quot;"; break;
			case '\'': rep = "&apos;"; break;
			case '\r': rep = ""; break;
			case '\n': rep = "</w:t><w:br/><w:t xml:space=\"preserve\">"; break;
			case '\t': rep = "</w:t><w:tab/><w:t xml:space=\"preserve\">"; break;
			default: continue;
			}
		} else if (esc == LS_ESC_HTML) {
			switch (c) {
			case '&': rep = "&amp;"; break;
			case '<': rep = "&lt;"; break;
			case '>': rep = "&gt;"; break;
			case '"': rep = "&quot;"; break;
			case '\'': rep = "&#39;"; break;
			default: continue;
			}
		} else {
			switch (c) {
			case '\\': rep = "\\textbackslash{}"; break;
			case '{': rep = "\\{"; break;
			case '}': rep = "\\}"; break;
			case '$': rep = "\\$"; break;
			case '&': rep = "\\&"; break;
			case '#': rep = "\\#"; break;
			case '%': rep = "\\%"; break;
			case '_': rep = "\\_"; break;
			case '~': rep = "\\textasciitilde{}"; break;
			case '^': rep = "\\textasciicircum{}"; break;
			default: continue;
			}
		}
		if (ls_buf_put(out, s + start, i - start) || ls_buf_put(out, rep, strlen(rep)))
			return LS_ENOMEM;
		start = i + 1;
	}
	return ls_buf_put(out, s + start, n - start);
}

enum ls_escape
ls_escape_for_path(const char *path)
{
	const char *base = strrchr(path, '/'), *dot = NULL;
	size_t n;

	base = base ? base + 1 : path;
	n = strlen(base);
	if (n > 9 && strcmp(base + n - 9, ".mustache") == 0)
		n -= 9;
	/* the last dot before the end, not the name's first byte (".html" alone is a name) */
	for (size_t i = n; i-- > 1;)
		if (base[i] == '.') {
			dot = base + i;
			break;
		}
	if (dot == NULL)
		return LS_ESC_NONE;
	n -= (size_t)(dot - base);
	if ((n == 5 && memcmp(dot, ".html", 5) == 0) || (n == 4 && memcmp(dot, ".htm", 4) == 0))
		return LS_ESC_HTML;
	if (n == 4 && memcmp(dot, ".tex", 4) == 0)
		return LS_ESC_LATEX;
	if (n == 5 && memcmp(dot, ".docx", 5) == 0)
		return LS_ESC_WORDML;
	return LS_ESC_NONE;
}

int
ls_escape_parse(const char *word, enum ls_escape *out)
{
	if (strcmp(word, "html") == 0)
		*out = LS_ESC_HTML;
	else if (strcmp(word, "latex") == 0)
		*out = LS_ESC_LATEX;
	else if (strcmp(word, "none") == 0)
		*out = LS_ESC_NONE;
	else
		return -1;
	return 0;
}
