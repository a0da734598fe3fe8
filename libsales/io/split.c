/*
 * split.c - rows split by a key into a file (or a sheet) each.  See split.h.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "lock.h"
#include "split.h"

struct part {
	char *key;
	char *name;		/* the file's (CSV/TSV) or the sheet's (xlsx) */
	struct ls_writer *w;	/* to the file's temporary, or (xlsx) to text in memory */
	FILE *mem;		/* xlsx: the memory stream, its text in text[0..len) */
	char *text;
	size_t len;
	unsigned long rows;
};

struct ls_split {
	struct ls_split_opts o;
	char *dir;		/* the folder, or (xlsx) the workbook */
	char **hdr;		/* the header, copied */
	struct ls_str *hv;	/* views of it */
	size_t ncols;
	struct part *parts;
	size_t nparts, cap;
	const char **names;	/* the names taken so far, for uniqueness */
};

void
ls_split_file_name(const char *s, size_t n, const char *ext, const char *const *used, size_t nused,
    char *buf)
{
	size_t o = 0, max = 200;

	for (size_t i = 0; i < n;) {
		unsigned char c = (unsigned char)s[i];
		size_t len = c < 0x80 ? 1 : c < 0xe0 ? 2 : c < 0xf0 ? 3 : 4;

		if (i + len > n || o + len > max)
			break;
		/* no way out of the folder, no hidden file, nothing Windows refuses (the files are mailed) */
		if (c < 0x20 || c == 0x7f || strchr("/\\<>:\"|?*", c) != NULL || (o == 0 && c == '.')) {
			buf[o++] = '_';
		} else {
			memcpy(buf + o, s + i, len);
			o += len;
		}
		i += len;
	}
	if (o == 0)
		buf[o++] = '_';
	snprintf(buf + o, LS_SPLIT_NAME - o, "%s", ext);
	for (unsigned k = 2;; k++) {
		int taken = 0;

		for (size_t i = 0; i < nused && !taken; i++)
			taken = ls_xlsxw_same_name(used[i], buf);
		if (!taken)
			return;
		snprintf(buf + o, LS_SPLIT_NAME - o, "~%u%s", k, ext);
	}
}

struct ls_split *
ls_split_new(const struct ls_split_opts *o, const struct ls_str *hdr, size_t ncols,
    struct ls_error *err)
{
	struct ls_split *sp;

	if (!o->xlsx && mkdir(o->path, 0777) != 0 && errno != EEXIST) {
		ls_error_set(err, LS_EIO, o->path, 0, 0, "%s", strerror(errno));
		return NULL;
	}
	if ((sp = calloc(1, sizeof(*sp))) == NULL ||
	    (sp->dir = strdup(o->path)) == NULL ||
	    (sp->hdr = calloc(ncols + 1, sizeof(*sp->hdr))) == NULL ||
	    (sp->hv = calloc(ncols + 1, sizeof(*sp->hv))) == NULL)
		goto oom;
	sp->o = *o;
	sp->o.path = sp->dir;
	sp->ncols = ncols;
	for (size_t c = 0; c < ncols; c++) {
		if ((sp->hdr[c] = strndup(hdr[c].p, hdr[c].n)) == NULL)
			goto oom;
		sp->hv[c].p = sp->hdr[c];
		sp->hv[c].n = hdr[c].n;
	}
	return sp;
oom:
	ls_split_free(sp);
	ls_error_set(err, LS_ENOMEM, NULL, 0, 0, "out of memory");
	return NULL;
}

/* The part of key[0..n), made (its file opened, its header written) on its first row. */
static struct part *
part(struct ls_split *sp, const char *key, size_t n, struct ls_error *err)
{
	struct ls_writer_opts tsv = { .format = LS_FMT_TSV };
	char name[LS_SPLIT_NAME];
	struct part *p;
	char *path;

	for (size_t i = 0; i < sp->nparts; i++)
		if (strlen(sp->parts[i].key) == n && memcmp(sp->parts[i].key, key, n) == 0)
			return &sp->parts[i];
	if (sp->nparts == sp->cap) {
		size_t cap = sp->cap ? sp->cap * 2 : 16;
		struct part *np = realloc(sp->parts, cap * sizeof(*np));
		const char **nn = np ? realloc(sp->names, cap * sizeof(*nn)) : NULL;

		if (np)
			sp->parts = np;
		if (nn == NULL) {
			ls_error_set(err, LS_ENOMEM, NULL, 0, 0, "out of memory");
			return NULL;
		}
		sp->names = nn;
		sp->cap = cap;
	}
	if (sp->o.xlsx)
		ls_xlsxw_sheet_name(key, n, sp->names, sp->nparts, name);
	else
		ls_split_file_name(key, n, sp->o.wo.format == LS_FMT_TSV ? ".tsv" : ".csv",
		    sp->names, sp->nparts, name);
	p = &sp->parts[sp->nparts];
	memset(p, 0, sizeof(*p));
	if ((p->key = strndup(key, n)) == NULL || (p->name = strdup(name)) == NULL) {
		free(p->key);
		ls_error_set(err, LS_ENOMEM, NULL, 0, 0, "out of memory");
		return NULL;
	}
	if (sp->o.xlsx) {
		/* the sheets are made at the commit, one whole sheet after another */
		if ((p->mem = open_memstream(&p->text, &p->len)) == NULL)
			p->w = NULL;
		else
			p->w = ls_writer_open(NULL, p->mem, &tsv, err);
	} else if ((path = malloc(strlen(sp->dir) + strlen(name) + 2)) != NULL) {
		sprintf(path, "%s/%s", sp->dir, name);
		p->w = ls_writer_open(path, NULL, &sp->o.wo, err);
		free(path);
	}
	if (p->w == NULL) {
		if (p->mem == NULL || err->msg[0] == '\0')
			ls_error_set(err, LS_ENOMEM, NULL, 0, 0, "out of memory");
		if (p->mem)
			fclose(p->mem);
		free(p->text);
		free(p->key);
		free(p->name);
		return NULL;
	}
	sp->names[sp->nparts++] = p->name;
	ls_writer_row(p->w, sp->hv, sp->ncols);
	return p;
}

int
ls_split_row(struct ls_split *sp, const char *key, size_t n, const struct ls_str *row,
    struct ls_error *err)
{
	struct part *p;

	err->msg[0] = '\0';
	if ((p = part(sp, key, n, err)) == NULL)
		return err->status;
	p->rows++;
	/* a write error stays in the writer until the commit */
	return ls_writer_row(p->w, row, sp->ncols);
}

/* The workbook: a sheet per key, in the order of their first rows. */
static int
commit_xlsx(struct ls_split *sp, struct ls_error *err)
{
	struct ls_buf out = { 0 };
	struct ls_xlsxw *x;
	int rc = 0;

	for (size_t i = 0; i < sp->nparts && rc == 0; i++) {
		rc = ls_writer_flush(sp->parts[i].w, err);
		if (rc == 0 && fflush(sp->parts[i].mem) != 0)
			rc = ls_error_set(err, LS_ENOMEM, NULL, 0, 0, "out of memory");
	}
	if (rc != 0 || sp->nparts == 0)
		return rc;
	if ((x = ls_xlsxw_new(err)) == NULL)
		return err->status;
	for (size_t i = 0; i < sp->nparts && rc == 0; i++)
		rc = ls_xlsxw_sheet_tsv(x, sp->parts[i].name, sp->parts[i].text, sp->parts[i].len,
		    sp->o.types, err);
	if (rc == 0)
		rc = ls_xlsxw_close(x, &out, err);
	ls_xlsxw_free(x);
	if (rc == 0)
		rc = ls_atomic_write(sp->dir, out.p ? out.p : "", out.n, err);
	ls_buf_free(&out);
	return rc;
}

int
ls_split_commit(struct ls_split *sp, struct ls_error *err)
{
	if (sp->o.xlsx)
		return commit_xlsx(sp, err);
	for (size_t i = 0; i < sp->nparts; i++)
		if (ls_writer_commit(sp->parts[i].w, err) != 0)
			return err->status;
	return 0;
}

size_t
ls_split_count(const struct ls_split *sp)
{
	return sp->nparts;
}

const char *
ls_split_key(const struct ls_split *sp, size_t i)
{
	return sp->parts[i].key;
}

const char *
ls_split_name(const struct ls_split *sp, size_t i)
{
	return sp->parts[i].name;
}

unsigned long
ls_split_rows(const struct ls_split *sp, size_t i)
{
	return sp->parts[i].rows;
}

void
ls_split_free(struct ls_split *sp)
{
	if (sp == NULL)
		return;
	for (size_t i = 0; i < sp->nparts; i++) {
		struct part *p = &sp->parts[i];

		ls_writer_free(p->w);
		if (p->mem)
			fclose(p->mem);
		free(p->text);
		free(p->key);
		free(p->name);
	}
	for (size_t c = 0; sp->hdr && c < sp->ncols; c++)
		free(sp->hdr[c]);
	free(sp->hdr);
	free(sp->hv);
	free(sp->parts);
	free((void *)(uintptr_t)sp->names);
	free(sp->dir);
	free(sp);
}
