/*
 * reader_libcsv.c - the slow path: a record the split path leaves alone is
 * fed to libcsv line by line until libcsv ends the row; its fields are
 * copied into an arena reused for every record.
 */
#include <stdlib.h>
#include <string.h>

#include <csv.h>

#include "utf8.h"
#include "util.h"
#include "reader_impl.h"

static void
csv_field_cb(void *s, size_t n, void *data)
{
	struct ls_reader *r = data;

	if (r->csv_oom)
		return;
	if (ls_grow(&r->arena, &r->acap, r->alen + n + 1, 1) < 0 ||
	    ls_grow(&r->foff, &r->focap, r->nf + 1, sizeof(size_t)) < 0) {
		r->csv_oom = 1;
		return;
	}
	r->foff[r->nf++] = r->alen;
	if (n > 0)
		memcpy(r->arena + r->alen, s, n);
	r->alen += n;
	r->arena[r->alen++] = '\0';
}

static void
csv_row_cb(int c, void *data)
{
	struct ls_reader *r = data;

	(void)c;
	r->row_done = 1;
}

/* Spaces are data here: libcsv would trim them otherwise. */
static int
no_space(unsigned char c)
{
	(void)c;
	return 0;
}

int
ls_rd_csv_setup(struct ls_reader *r)
{
	/* lazy: libcsv keeps a quote inside an unquoted field as text (not strict) */
	if (csv_init(&r->csv, (r->lazy_quotes ? 0 : CSV_STRICT) | CSV_STRICT_FINI) != 0)
		return -1;
	csv_set_space_func(&r->csv, no_space);
	csv_set_delim(&r->csv, (unsigned char)r->delim);
	return 0;
}

/*
 * The rest of a record whose first line, len bytes and term bytes of line
 * end at r->pos, has quotes the split path left alone: libcsv decides where
 * the record ends, and the lines it spans are counted here.  start is where
 * the record's text begins (after a BOM).  Returns as ls_rd_read_record().
 */
int
ls_rd_read_libcsv(struct ls_reader *r, struct ls_record *rec, size_t start, size_t len,
    size_t term, size_t want, struct ls_error *err)
{
	int rc, valid;

	long first = r->line;
	r->nf = 0;
	r->alen = 0;
	r->row_done = 0;
	r->csv_oom = 0;
	for (;;) {
		size_t fed = len + term;
		if (csv_parse(&r->csv, r->buf + r->pos, fed, csv_field_cb, csv_row_cb, r) != fed) {
			if (csv_error(&r->csv) != CSV_EPARSE)
				return ls_error_set(err, LS_ENOMEM, r->name, first, 0, "out of memory"), -1;
			/* strict mode stops at a stray quote; the record ends with this line */
			r->pos += fed;
			r->line++;
			rec->raw.p = r->buf + start;
			rec->raw.n = r->pos - start - term;
			csv_free(&r->csv);
			if (ls_rd_csv_setup(r) < 0)
				return ls_error_set(err, LS_ENOMEM, r->name, first, 0, "out of memory"), -1;
			return ls_error_set(err, LS_EDATA, r->name, first, 0,
			    "bad quoting: a quote inside a field that is not quoted, or after a closing quote "
			    "(quote the whole field and double the quote: \"5\"\" screen\"; or give --lazy-quotes "
			    "to keep such quotes as text)"), -1;
		}
		r->pos += fed;
		r->line++;
		if (r->row_done || term == 0)
			break;
		size_t keep = start;
		if ((rc = ls_rd_next_line(r, &keep, &len, &term, err)) < 0)
			return -1;
		if (keep != start)
			start = keep;
		if (rc == 0)
			break;
	}
	rec->raw.p = r->buf + start;
	rec->raw.n = r->pos - start;
	while (rec->raw.n > 0 && (rec->raw.p[rec->raw.n - 1] == '\n' || rec->raw.p[rec->raw.n - 1] == '\r'))
		rec->raw.n--;
	if (!r->row_done) {
		if (csv_fini(&r->csv, csv_field_cb, csv_row_cb, r) != 0) {
			/* libcsv leaves its state dirty after a failed fini */
			csv_free(&r->csv);
			if (ls_rd_csv_setup(r) < 0)
				return ls_error_set(err, LS_ENOMEM, r->name, first, 0, "out of memory"), -1;
			return ls_error_set(err, LS_EDATA, r->name, first, 0,
			    "unterminated quoted field (opened on this line)"), -1;
		}
	}
	if (r->csv_oom)
		return ls_error_set(err, LS_ENOMEM, r->name, first, 0, "out of memory"), -1;
	{
		size_t bad;
		if ((valid = ls_utf8_valid((unsigned char *)rec->raw.p, rec->raw.n, &bad)) <= 0)
			return ls_rd_bad_utf8(r, first, valid, err);
	}
	if (ls_grow(&r->f, &r->fcap, r->nf, sizeof(*r->f)) < 0)
		return ls_error_set(err, LS_ENOMEM, r->name, first, 0, "out of memory"), -1;
	for (size_t i = 0; i < r->nf; i++) {
		size_t end = i + 1 < r->nf ? r->foff[i + 1] - 1 : r->alen - 1;
		r->f[i].p = r->arena + r->foff[i];
		r->f[i].n = end - r->foff[i];
	}
	if (want && r->nf != want)
		return ls_rd_bad_count(r, first, want, err);
	rec->nfields = r->nf;
	rec->fields = r->f;
	return 1;
}
