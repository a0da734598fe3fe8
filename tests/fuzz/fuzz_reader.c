/*
 * fuzz_reader.c - libFuzzer target for the record reader and writer.
 *
 * The first byte picks the format (CSV, TSV or CSV with ';'); the rest is
 * the input.  Every record is read, data errors are gone past as --rejects
 * does, and what is read is written to /dev/null.  CSV input is read twice,
 * through the memchr path and through libcsv alone, and the two must agree.
 * When bit 4 of the first byte is set, the input is read twice more, with
 * readahead (the reading thread) and in batches on this thread
 * (ls_reader_lookahead()), each of which must agree with the direct read.
 * Every input is also read with the SSE2 and the portable scans forced
 * (LS_SCAN=sse2, LS_SCALAR), which must agree with the best the CPU has
 * (AVX2 where it has it), and the input is checked for UTF-8 all three
 * ways, verdict and first bad byte alike.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "record.h"
#include "scan.h"
#include "utf8.h"
#include "writer.h"

#define MAX_RECORDS	100000

/* What one read gave, kept to compare the two paths. */
struct result {
	char *p;
	size_t n, cap;
};

static void
add(struct result *res, const void *p, size_t n)
{
	if (res->n + n > res->cap) {
		size_t cap = res->cap ? res->cap : 4096;
		while (cap < res->n + n)
			cap *= 2;
		if ((res->p = realloc(res->p, cap)) == NULL)
			abort();
		res->cap = cap;
	}
	memcpy(res->p + res->n, p, n);
	res->n += n;
}

static void
add_long(struct result *res, long v)
{
	add(res, &v, sizeof(v));
}

static void
read_all(const uint8_t *data, size_t size, const struct ls_reader_opts *o, struct ls_writer *w,
    struct result *res, int batches)
{
	FILE *fp = fmemopen((void *)data, size, "rb");
	struct ls_error err;
	struct ls_record rec;
	struct ls_reader *r;
	int rc, n = 0;

	if (fp == NULL)
		abort();
	if ((r = ls_reader_open_fp(fp, "fuzz", o, &err)) == NULL) {
		add_long(res, -1);
		add_long(res, err.status);
		add_long(res, err.line);
		fclose(fp);
		return;
	}
	if (batches && ls_reader_lookahead(r) != 0)
		abort();
	add_long(res, (long)ls_reader_ncols(r));
	for (size_t i = 0; i < ls_reader_ncols(r); i++) {
		const struct ls_str *h = &ls_reader_header(r)[i];
		if (h->p[h->n] != '\0')
			abort();
		add_long(res, (long)h->n);
		add(res, h->p, h->n);
		ls_writer_field(w, h->p, h->n);
	}
	ls_writer_end(w);
	while ((rc = ls_reader_next(r, &rec, &err)) != 0 && n++ < MAX_RECORDS) {
		if (rc < 0) {
			add_long(res, -1);
			add_long(res, err.status);
			add_long(res, err.line);
			if (err.status != LS_EDATA)
				break;
			if (rec.line != err.line || rec.raw.n > size)
				abort();
			add_long(res, (long)rec.raw.n);
			add(res, rec.raw.p, rec.raw.n);
			continue;
		}
		if (rec.nfields != ls_reader_ncols(r))
			abort();
		add_long(res, rec.line);
		for (size_t i = 0; i < rec.nfields; i++) {
			if (rec.fields[i].p[rec.fields[i].n] != '\0')
				abort();
			add_long(res, (long)rec.fields[i].n);
			add(res, rec.fields[i].p, rec.fields[i].n);
		}
		ls_writer_row(w, rec.fields, rec.nfields);
	}
	ls_reader_free(r);
	fclose(fp);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static FILE *devnull;
	struct ls_reader_opts o = { 0 };
	struct ls_writer_opts wo = { 0 };
	struct ls_writer *w;
	struct ls_error err;
	struct result fast = { 0 }, slow = { 0 }, ahead = { 0 }, scalar = { 0 }, sse2 = { 0 };
	size_t bad1 = 0, bad2 = 0, bad3 = 0;
	int v1, v2, v3;
	int with_ra;

	if (devnull == NULL && (devnull = fopen("/dev/null", "wb")) == NULL)
		abort();
	if (size < 2)
		return 0;
	switch (data[0] % 3) {
	case 0: o.format = LS_FMT_CSV; break;
	case 1: o.format = LS_FMT_TSV; break;
	case 2: o.format = LS_FMT_CSV; o.delim = ';'; break;
	}
	with_ra = data[0] & 0x10;
	data++;
	size--;
	wo.format = o.format;
	wo.delim = o.delim;
	if ((w = ls_writer_open(NULL, devnull, &wo, &err)) == NULL)
		abort();
	read_all(data, size, &o, w, &fast, 0);
	ls_scan_force(LS_SCAN_SCALAR);
	read_all(data, size, &o, w, &scalar, 0);
	v1 = ls_utf8_valid(data, size, &bad1);
	ls_scan_force(LS_SCAN_SSE2);
	read_all(data, size, &o, w, &sse2, 0);
	v3 = ls_utf8_valid(data, size, &bad3);
	ls_scan_force(0);
	v2 = ls_utf8_valid(data, size, &bad2);
	if (fast.n != scalar.n || memcmp(fast.p, scalar.p, fast.n) != 0)
		abort();	/* the best scans (AVX2 or SSE2) and the portable ones disagree */
	if (fast.n != sse2.n || memcmp(fast.p, sse2.p, fast.n) != 0)
		abort();	/* the best scans and the SSE2 ones disagree */
	if (v1 != v2 || (v1 <= 0 && bad1 != bad2) || v1 != v3 || (v1 <= 0 && bad1 != bad3))
		abort();	/* the UTF-8 checks disagree */
	if (with_ra) {
		o.readahead = 1;
		read_all(data, size, &o, w, &ahead, 0);
		o.readahead = 0;
		if (fast.n != ahead.n || memcmp(fast.p, ahead.p, fast.n) != 0)
			abort();	/* the reading thread changed what is read */
		ahead.n = 0;
		read_all(data, size, &o, w, &ahead, 1);
		if (fast.n != ahead.n || memcmp(fast.p, ahead.p, fast.n) != 0)
			abort();	/* reading in batches changed what is read */
	}
	if (o.format == LS_FMT_CSV) {
		o.all_libcsv = 1;
		read_all(data, size, &o, w, &slow, 0);
		if (fast.n != slow.n || memcmp(fast.p, slow.p, fast.n) != 0)
			abort();	/* the memchr path and libcsv disagree */
	}
	if (ls_writer_flush(w, &err) != 0)
		abort();
	ls_writer_free(w);
	free(fast.p);
	free(slow.p);
	free(ahead.p);
	free(scalar.p);
	free(sse2.p);
	return 0;
}
