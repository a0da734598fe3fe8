/*
 * rejects.c - rows of the rejects file, escaped so that it stays UTF-8.
 * See rejects.h.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rejects.h"
#include "utf8.h"
#include "util.h"
#include "writer.h"

static const char *const cols[] = { "raw", "line", "error", "file" };

struct ls_writer *
ls_rejects_open(const char *path, struct ls_error *err)
{
	/* UTF-8 CSV whatever the main output's options: the file is for the tools to read back */
	struct ls_writer_opts o = { 0 };
	struct ls_writer *w;

	o.format = LS_FMT_CSV;
	if ((w = ls_writer_open(path, NULL, &o, err)) == NULL)
		return NULL;
	for (size_t i = 0; i < sizeof(cols) / sizeof(cols[0]); i++)
		ls_writer_cstr(w, cols[i]);
	ls_writer_end(w);
	return w;
}

/* raw[0..n) as a field, each byte outside valid UTF-8 (and NUL) as \xHH. */
static int
raw_field(struct ls_writer *w, const char *raw, size_t n)
{
	const unsigned char *p = (const unsigned char *)raw;
	size_t i = 0, bad, o = 0;
	char *buf;
	int rc;

	if (ls_utf8_valid(p, n, &bad) > 0)
		return ls_writer_field(w, raw, n);
	if (n > (SIZE_MAX - 1) / 4 || (buf = malloc(4 * n + 1)) == NULL)
		return LS_ENOMEM;
	/* the valid run before each bad byte as it is, the byte escaped */
	while (i < n) {
		if (ls_utf8_valid(p + i, n - i, &bad) > 0)
			bad = n - i;
		memcpy(buf + o, p + i, bad);
		o += bad;
		i += bad;
		if (i < n) {
			snprintf(buf + o, 5, "\\x%02X", p[i]);
			o += 4;
			i++;
		}
	}
	rc = ls_writer_field(w, buf, o);
	free(buf);
	return rc;
}

static int
rest(struct ls_writer *w, long line, const char *msg, const char *file)
{
	char num[24];

	snprintf(num, sizeof(num), "%ld", line);
	ls_writer_cstr(w, num);
	ls_writer_cstr(w, msg);
	ls_writer_cstr(w, file ? file : "");
	return ls_writer_end(w);
}

int
ls_rejects_add(struct ls_writer *w, const char *raw, size_t n, long line, const char *msg,
    const char *file)
{
	int rc;

	if ((rc = raw_field(w, raw, n)) != 0)
		return rc;
	return rest(w, line, msg, file);
}

int
ls_rejects_add_fields(struct ls_writer *w, const struct ls_str *f, size_t nf, long line,
    const char *msg, const char *file)
{
	char *buf = NULL;
	size_t len = 0, cap = 0;
	int rc;

	for (size_t i = 0; i < nf; i++) {
		int q = memchr(f[i].p, ',', f[i].n) || memchr(f[i].p, '"', f[i].n) ||
		    memchr(f[i].p, '\n', f[i].n) || memchr(f[i].p, '\r', f[i].n);

		/* at worst every byte doubled, two quotes and a comma */
		if (ls_grow(&buf, &cap, len + 2 * f[i].n + 4, 1) != 0) {
			free(buf);
			return LS_ENOMEM;
		}
		if (i > 0)
			buf[len++] = ',';
		if (q)
			buf[len++] = '"';
		for (size_t j = 0; j < f[i].n; j++) {
			if (q && f[i].p[j] == '"')
				buf[len++] = '"';
			buf[len++] = f[i].p[j];
		}
		if (q)
			buf[len++] = '"';
	}
	rc = ls_rejects_add(w, buf ? buf : "", len, line, msg, file);
	free(buf);
	return rc;
}
