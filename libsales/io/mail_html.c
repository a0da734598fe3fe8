/*
 * mail_html.c - the text of an HTML-only letter (Yandex's and Mail.ru's web
 * mail send many): not an HTML parser, a reading of what mail HTML holds,
 * tags, entities and white space, into lines a person would read.  See
 * mail.h.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "mail.h"

/* Elements whose start and end are line ends. */
static const char *const blocks[] = {
	"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote",
	"table", "hr", "ul", "ol", "pre", "address", "dt", "dd", "section", "article",
	"header", "footer", "title", NULL
};
/* Elements whose content is not text. */
static const char *const hidden[] = { "head", "script", "style", "title", NULL };

/* Named entities a letter carries; the rest are kept as written. */
static const struct {
	const char *name;
	const char *utf8;
} entities[] = {
	{ "amp", "&" }, { "lt", "<" }, { "gt", ">" }, { "quot", "\"" }, { "apos", "'" },
	{ "nbsp", " " }, { "laquo", "\xc2\xab" }, { "raquo", "\xc2\xbb" },
	{ "mdash", "\xe2\x80\x94" }, { "ndash", "\xe2\x80\x93" }, { "hellip", "\xe2\x80\xa6" },
	{ "copy", "\xc2\xa9" }, { "reg", "\xc2\xae" }, { "trade", "\xe2\x84\xa2" },
	{ "euro", "\xe2\x82\xac" }, { "bull", "\xe2\x80\xa2" }, { "middot", "\xc2\xb7" },
	{ "ldquo", "\xe2\x80\x9c" }, { "rdquo", "\xe2\x80\x9d" }, { "lsquo", "\xe2\x80\x98" },
	{ "rsquo", "\xe2\x80\x99" }, { "bdquo", "\xe2\x80\x9e" }, { "numero", "\xe2\x84\x96" },
	{ "shy", "" }, { "zwnj", "" }, { "zwj", "" },
};

static int
in_list(const char *const *list, const char *p, size_t n)
{
	for (size_t i = 0; list[i]; i++)
		if (strlen(list[i]) == n && strncasecmp(list[i], p, n) == 0)
			return 1;
	return 0;
}

/* Append code point c as UTF-8 (a bad one as U+FFFD). */
static int
put_cp(struct ls_buf *b, unsigned long c)
{
	char u[4];
	size_t n;

	if (c == 0 || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		c = 0xfffd;
	if (c < 0x80) {
		u[0] = (char)c;
		n = 1;
	} else if (c < 0x800) {
		u[0] = (char)(0xc0 | (c >> 6));
		u[1] = (char)(0x80 | (c & 0x3f));
		n = 2;
	} else if (c < 0x10000) {
		u[0] = (char)(0xe0 | (c >> 12));
		u[1] = (char)(0x80 | ((c >> 6) & 0x3f));
		u[2] = (char)(0x80 | (c & 0x3f));
		n = 3;
	} else {
		u[0] = (char)(0xf0 | (c >> 18));
		u[1] = (char)(0x80 | ((c >> 12) & 0x3f));
		u[2] = (char)(0x80 | ((c >> 6) & 0x3f));
		u[3] = (char)(0x80 | (c & 0x3f));
		n = 4;
	}
	return ls_buf_put(b, u, n);
}

/*
 * The output so far ends how: white space is written lazily, so that runs
 * of it become one space and a line end swallows the spaces around it.
 */
struct out {
	struct ls_buf b;
	int space;		/* a space is owed before the next text */
	int nl;			/* line ends owed (at most 2: one blank line) */
};

static int
emit(struct out *o, const char *p, size_t n)
{
	if (n == 0)
		return 0;
	if (o->b.n > 0 && o->nl > 0) {
		if (ls_buf_put(&o->b, "\n\n", (size_t)(o->nl > 2 ? 2 : o->nl)) != 0)
			return -1;
	} else if (o->b.n > 0 && o->space && ls_buf_put(&o->b, " ", 1) != 0)
		return -1;
	o->nl = o->space = 0;
	return ls_buf_put(&o->b, p, n);
}

/* An entity at p[0..n) (after the '&'): its text into o, *used the bytes read.  0 or -1. */
static int
entity(struct out *o, const char *p, size_t n, size_t *used)
{
	struct ls_buf tmp = { 0 };
	size_t k = 0;
	int rc;

	if (n > 1 && p[0] == '#') {
		unsigned long c = 0;
		int hex = p[1] == 'x' || p[1] == 'X', digits = 0;

		for (k = hex ? 2 : 1; k < n && k < 12; k++, digits++) {
			char d = p[k];
			int v = d >= '0' && d <= '9' ? d - '0' : hex && d >= 'a' && d <= 'f' ? d - 'a' + 10 :
			    hex && d >= 'A' && d <= 'F' ? d - 'A' + 10 : -1;

			if (v < 0)
				break;
			c = c * (hex ? 16 : 10) + (unsigned long)v;
		}
		if (digits > 0) {
			*used = k + (k < n && p[k] == ';');
			if (c == 0xa0 || c == ' ')
				return o->space = 1, 0;
			if (put_cp(&tmp, c) != 0)
				return -1;
			rc = emit(o, tmp.p, tmp.n);
			ls_buf_free(&tmp);
			return rc;
		}
	}
	while (k < n && k < 10 && ((p[k] >= 'a' && p[k] <= 'z') || (p[k] >= 'A' && p[k] <= 'Z')))
		k++;
	for (size_t i = 0; i < sizeof(entities) / sizeof(entities[0]); i++)
		if (strlen(entities[i].name) == k && memcmp(entities[i].name, p, k) == 0) {
			*used = k + (k < n && p[k] == ';');
			if (strcmp(entities[i].name, "nbsp") == 0)
				return o->space = 1, 0;
			return emit(o, entities[i].utf8, strlen(entities[i].utf8));
		}
	*used = 0;
	return emit(o, "&", 1);
}

int
ls_mail_html_text(const char *p, size_t n, char **out, size_t *len)
{
	struct out o = { { NULL, 0, 0 }, 0, 0 };
	const char *hide = NULL;	/* inside this hidden element: its name */
	size_t hlen = 0, i = 0;
	int pre = 0;

	while (i < n) {
		char c = p[i];

		if (c == '<') {
			size_t j = i + 1, s;
			int end = 0;

			if (n - j >= 3 && memcmp(p + j, "!--", 3) == 0) {
				const char *e = NULL;

				for (size_t k = j + 3; k + 2 < n; k++)
					if (memcmp(p + k, "-->", 3) == 0) {
						e = p + k;
						break;
					}
				i = e ? (size_t)(e - p) + 3 : n;
				continue;
			}
			if (j < n && p[j] == '/') {
				end = 1;
				j++;
			}
			s = j;
			/* a tag's name starts with a letter: "<3" is text */
			while (j < n && ((p[j] >= 'a' && p[j] <= 'z') || (p[j] >= 'A' && p[j] <= 'Z') ||
			    (j > s && p[j] >= '0' && p[j] <= '9')))
				j++;
			if (j == s && !end && (j >= n || p[j] != '!')) {
				/* a '<' that starts no tag is text */
				if (hide == NULL && emit(&o, "<", 1) != 0)
					goto nomem;
				i++;
				continue;
			}
			const char *gt = memchr(p + j, '>', n - j);
			size_t next = gt ? (size_t)(gt - p) + 1 : n;

			if (hide != NULL) {
				if (end && j - s == hlen && strncasecmp(p + s, hide, hlen) == 0)
					hide = NULL;
			} else if (!end && in_list(hidden, p + s, j - s)) {
				hide = p + s;
				hlen = j - s;
				if (gt && gt > p && gt[-1] == '/')
					hide = NULL;	/* <style/> */
			} else if (in_list(blocks, p + s, j - s)) {
				int want = (j - s == 1 && (p[s] == 'p' || p[s] == 'P')) ? 2 : 1;

				if (j - s == 2 && strncasecmp(p + s, "br", 2) == 0)
					want = 1;
				if (o.b.n > 0 && o.nl < want)
					o.nl = want;
				o.space = 0;
				if (j - s == 3 && strncasecmp(p + s, "pre", 3) == 0)
					pre = !end;
			}
			i = next;
			continue;
		}
		if (hide != NULL) {
			i++;
			continue;
		}
		if (c == '&') {
			size_t used;

			if (entity(&o, p + i + 1, n - i - 1, &used) != 0)
				goto nomem;
			i += 1 + used;
			continue;
		}
		if (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f') {
			if (pre && c == '\n') {
				if (o.b.n > 0 && o.nl < 2)
					o.nl++;
			} else
				o.space = 1;
			i++;
			continue;
		}
		size_t k = i;

		while (k < n && p[k] != '<' && p[k] != '&' && p[k] != ' ' && p[k] != '\t' &&
		    p[k] != '\r' && p[k] != '\n' && p[k] != '\f')
			k++;
		if (emit(&o, p + i, k - i) != 0)
			goto nomem;
		i = k;
	}
	if (o.b.n > 0 && ls_buf_put(&o.b, "", 0) != 0)
		goto nomem;
	if (*out == NULL) {
		*out = o.b.p ? o.b.p : calloc(1, 1);
		*len = o.b.n;
		return *out ? 0 : -1;
	}
	if (o.b.n > 0) {
		char *nb = realloc(*out, *len + o.b.n + 1);

		if (nb == NULL)
			goto nomem;
		memcpy(nb + *len, o.b.p, o.b.n + 1);
		*out = nb;
		*len += o.b.n;
	}
	ls_buf_free(&o.b);
	return 0;
nomem:
	ls_buf_free(&o.b);
	return -1;
}
