/*
 * docx.c - the .docx container (docx.h): the package read whole through
 * libzip, every part inflated within the limits (a zip bomb stops at a
 * part's bound), and written back as a new zip whose entries keep their
 * order and names, stamped with one time so that the same template and
 * data make the same bytes.  The XML of the text parts is docx_xml.c's.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <zip.h>

#include "docx.h"
#include "util.h"

struct part {
	char *name;
	char *data;
	size_t n;
	int dir;			/* a folder entry */
	time_t mtime;			/* as read */
};

struct ls_docx {
	struct part *parts;
	size_t n, cap;
};

static void *
fail_null(struct ls_error *err, enum ls_status st, const char *file, const char *fmt, const char *a,
    const char *b)
{
	ls_error_set(err, st, file, 0, 0, fmt, a, b);
	return NULL;
}

static struct ls_docx *
read_all(const char *file, zip_t *z, struct ls_error *err)
{
	struct ls_docx *d = calloc(1, sizeof *d);
	zip_int64_t ne = zip_get_num_entries(z, 0);
	size_t total = 0;
	int has_doc = 0;

	if (d == NULL)
		return fail_null(err, LS_ENOMEM, NULL, "out of memory%s%s", "", "");
	if (ne < 0 || (zip_uint64_t)ne > LS_DOCX_PARTS_MAX) {
		ls_docx_free(d);
		return fail_null(err, LS_ECONFIG, file, "%s%s: too many parts in the package", "", "");
	}
	for (zip_uint64_t i = 0; i < (zip_uint64_t)ne; i++) {
		const char *name = zip_get_name(z, i, 0);
		struct part *pt;
		zip_stat_t st;
		zip_file_t *zf;
		zip_int64_t got;
		size_t len;

		zip_stat_init(&st);
		if (name == NULL || zip_stat_index(z, i, 0, &st) != 0) {
			ls_error_set(err, LS_ECONFIG, file, 0, 0, "broken archive: %s", zip_strerror(z));
			goto fail;
		}
		if (ls_grow(&d->parts, &d->cap, d->n + 1, sizeof *d->parts) != 0 ||
		    (d->parts[d->n].name = strdup(name)) == NULL) {
			ls_error_set(err, LS_ENOMEM, NULL, 0, 0, "out of memory");
			goto fail;
		}
		pt = &d->parts[d->n++];
		pt->data = NULL;
		pt->n = 0;
		pt->mtime = (st.valid & ZIP_STAT_MTIME) ? st.mtime : 315532800;
		len = strlen(name);
		pt->dir = len > 0 && name[len - 1] == '/';
		if (strcmp(name, "word/document.xml") == 0)
			has_doc = 1;
		if (pt->dir)
			continue;
		if ((st.valid & ZIP_STAT_SIZE) && st.size > LS_DOCX_PART_MAX) {
			ls_error_set(err, LS_ECONFIG, file, 0, 0, "%s: more than %zu MiB uncompressed "
			    "(a zip bomb?)", name, LS_DOCX_PART_MAX >> 20);
			goto fail;
		}
		if ((pt->data = malloc(LS_DOCX_PART_MAX + 1)) == NULL) {
			ls_error_set(err, LS_ENOMEM, NULL, 0, 0, "out of memory");
			goto fail;
		}
		if ((zf = zip_fopen_index(z, i, 0)) == NULL) {
			ls_error_set(err, LS_ECONFIG, file, 0, 0, "%s: cannot read it: %s", name,
			    zip_strerror(z));
			goto fail;
		}
		/* the header's size is not trusted: at most one byte over the bound is inflated */
		while (pt->n <= LS_DOCX_PART_MAX &&
		    (got = zip_fread(zf, pt->data + pt->n, LS_DOCX_PART_MAX + 1 - pt->n)) > 0)
			pt->n += (size_t)got;
		if (got < 0) {
			ls_error_set(err, LS_ECONFIG, file, 0, 0, "%s: broken archive: %s", name,
			    zip_file_strerror(zf));
			zip_fclose(zf);
			goto fail;
		}
		zip_fclose(zf);
		if (pt->n > LS_DOCX_PART_MAX || (total += pt->n) > LS_DOCX_TOTAL_MAX) {
			ls_error_set(err, LS_ECONFIG, file, 0, 0, "%s: more than %zu MiB uncompressed "
			    "(a zip bomb?)", name, (pt->n > LS_DOCX_PART_MAX ? LS_DOCX_PART_MAX :
			    LS_DOCX_TOTAL_MAX) >> 20);
			goto fail;
		}
		{
			char *shrunk = realloc(pt->data, pt->n ? pt->n : 1);

			if (shrunk)
				pt->data = shrunk;
		}
	}
	if (!has_doc) {
		ls_error_set(err, LS_ECONFIG, file, 0, 0, "not a Word document: no word/document.xml "
		    "in the package");
		goto fail;
	}
	return d;
fail:
	ls_docx_free(d);
	return NULL;
}

static struct ls_docx *
open_error(const char *file, int code, struct ls_error *err)
{
	zip_error_t ze;

	if (code == ZIP_ER_NOZIP || code == ZIP_ER_INCONS)
		return fail_null(err, LS_ECONFIG, file, "not a .docx file (%s%s)", code == ZIP_ER_NOZIP ?
		    "not a zip archive" : "a broken zip archive", "");
	if (code == ZIP_ER_MEMORY)
		return fail_null(err, LS_ENOMEM, NULL, "out of memory%s%s", "", "");
	zip_error_init_with_code(&ze, code);
	ls_error_set(err, code == ZIP_ER_OPEN || code == ZIP_ER_READ || code == ZIP_ER_NOENT ?
	    LS_EIO : LS_ECONFIG, file, 0, 0, "%s", zip_error_strerror(&ze));
	zip_error_fini(&ze);
	return NULL;
}

struct ls_docx *
ls_docx_open(const char *path, struct ls_error *err)
{
	struct ls_docx *d;
	int code = 0;
	zip_t *z;

	if ((z = zip_open(path, ZIP_RDONLY | ZIP_CHECKCONS, &code)) == NULL)
		return open_error(path, code, err);
	d = read_all(path, z, err);
	zip_discard(z);
	return d;
}

struct ls_docx *
ls_docx_open_mem(const char *name, const void *data, size_t n, struct ls_error *err)
{
	zip_error_t ze;
	zip_source_t *src;
	struct ls_docx *d;
	zip_t *z;
	int code;

	zip_error_init(&ze);
	if ((src = zip_source_buffer_create(data, n, 0, &ze)) == NULL ||
	    (z = zip_open_from_source(src, ZIP_RDONLY | ZIP_CHECKCONS, &ze)) == NULL) {
		code = zip_error_code_zip(&ze);
		zip_error_fini(&ze);
		if (src)
			zip_source_free(src);
		return open_error(name, code, err);
	}
	zip_error_fini(&ze);
	d = read_all(name, z, err);
	zip_discard(z);
	return d;
}

size_t
ls_docx_nparts(const struct ls_docx *d)
{
	return d->n;
}

const char *
ls_docx_part_name(const struct ls_docx *d, size_t i)
{
	return i < d->n ? d->parts[i].name : NULL;
}

const char *
ls_docx_part_data(const struct ls_docx *d, size_t i, size_t *n)
{
	*n = i < d->n ? d->parts[i].n : 0;
	return i < d->n && d->parts[i].data ? d->parts[i].data : "";
}

/* word/PREFIXsomething.xml, with no folder below word/ */
static int
text_part(const char *name, const char *prefix)
{
	size_t pl = strlen(prefix), n = strlen(name);

	return strncmp(name, prefix, pl) == 0 && n > pl + 4 && strcmp(name + n - 4, ".xml") == 0 &&
	    memchr(name + pl, '/', n - pl) == NULL;
}

int
ls_docx_part_templated(const struct ls_docx *d, size_t i)
{
	const char *name;

	if (i >= d->n || d->parts[i].dir)
		return 0;
	name = d->parts[i].name;
	return strcmp(name, "word/document.xml") == 0 || text_part(name, "word/header") ||
	    text_part(name, "word/footer");
}

/* zip's times start in 1980 */
static time_t
stamp(time_t t)
{
	return t < 315532800 ? 315532800 : t;
}

static int
zip_fail(zip_t *z, zip_source_t *keep, struct ls_error *err, const char *what)
{
	int rc = ls_error_set(err, LS_EIO, NULL, 0, 0, "writing the .docx: %s: %s", what,
	    z ? zip_strerror(z) : "cannot start");

	if (z)
		zip_discard(z);
	if (keep)
		zip_source_free(keep);
	return rc;
}

int
ls_docx_write(const struct ls_docx *d, const struct ls_buf *parts, int64_t mtime,
    struct ls_buf *out, struct ls_error *err)
{
	zip_error_t ze;
	zip_source_t *mem, *s;
	zip_stat_t st;
	zip_t *z;

	zip_error_init(&ze);
	if ((mem = zip_source_buffer_create(NULL, 0, 0, &ze)) == NULL) {
		zip_error_fini(&ze);
		return ls_error_set(err, LS_ENOMEM, NULL, 0, 0, "out of memory");
	}
	zip_source_keep(mem);
	if ((z = zip_open_from_source(mem, ZIP_TRUNCATE, &ze)) == NULL) {
		zip_error_fini(&ze);
		zip_source_free(mem);
		return zip_fail(NULL, NULL, err, "open");
	}
	zip_error_fini(&ze);
	for (size_t i = 0; i < d->n; i++) {
		const struct part *pt = &d->parts[i];
		const char *data = pt->data ? pt->data : "";
		size_t n = pt->n;
		zip_int64_t idx;

		if (pt->dir) {
			if ((idx = zip_dir_add(z, pt->name, ZIP_FL_ENC_UTF_8)) < 0)
				return zip_fail(z, mem, err, pt->name);
		} else {
			if (ls_docx_part_templated(d, i)) {
				data = parts[i].n ? parts[i].p : "";
				n = parts[i].n;
			}
			if ((s = zip_source_buffer(z, data, n, 0)) == NULL)
				return zip_fail(z, mem, err, pt->name);
			if ((idx = zip_file_add(z, pt->name, s, ZIP_FL_ENC_UTF_8)) < 0) {
				zip_source_free(s);
				return zip_fail(z, mem, err, pt->name);
			}
			if (zip_set_file_compression(z, (zip_uint64_t)idx, ZIP_CM_DEFLATE, 6) != 0)
				return zip_fail(z, mem, err, pt->name);
		}
		if (zip_file_set_mtime(z, (zip_uint64_t)idx, stamp(mtime < 0 ? pt->mtime : (time_t)mtime),
		    0) != 0)
			return zip_fail(z, mem, err, pt->name);
	}
	if (zip_close(z) != 0)
		return zip_fail(z, mem, err, "close");
	zip_stat_init(&st);
	if (zip_source_stat(mem, &st) != 0 || zip_source_open(mem) != 0) {
		zip_source_free(mem);
		return ls_error_set(err, LS_EIO, NULL, 0, 0, "writing the .docx: cannot read it back");
	}
	for (;;) {
		char chunk[65536];
		zip_int64_t got = zip_source_read(mem, chunk, sizeof chunk);

		if (got < 0) {
			zip_source_close(mem);
			zip_source_free(mem);
			return ls_error_set(err, LS_EIO, NULL, 0, 0, "writing the .docx: cannot read it back");
		}
		if (got == 0)
			break;
		if (ls_buf_put(out, chunk, (size_t)got) != 0) {
			zip_source_close(mem);
			zip_source_free(mem);
			return ls_error_set(err, LS_ENOMEM, NULL, 0, 0, "out of memory");
		}
	}
	zip_source_close(mem);
	zip_source_free(mem);
	return 0;
}

void
ls_docx_free(struct ls_docx *d)
{
	if (d == NULL)
		return;
	for (size_t i = 0; i < d->n; i++) {
		free(d->parts[i].name);
		free(d->parts[i].data);
	}
	free(d->parts);
	free(d);
}
