/*
 * reader_lines.c - cutting the buffer into physical lines (LF, CR LF or a
 * lone CR), each byte searched once for quotes and CRs.
 */
#include <string.h>

#include "reader_impl.h"

static void
shift_cache(size_t *at, size_t *scan, size_t by)
{
	if (*at < by || *scan < by) {
		*at = *scan = 0;
		return;
	}
	*at -= by;
	*scan -= by;
}

/* The buffer moved down by bytes: the caches of the next quote and CR, and the UTF-8 checked, follow it. */
void
ls_rd_shift_caches(struct ls_reader *r, size_t by)
{
	shift_cache(&r->q_at, &r->q_scan, by);
	shift_cache(&r->cr_at, &r->cr_scan, by);
	shift_cache(&r->u8_from, &r->u8_to, by);
}

/*
 * The first c at or after from, or end.  Each byte is searched once however
 * many lines ask, so a quote-free buffer costs one memchr for '"' in all.
 */
size_t
ls_rd_find_cached(const struct ls_reader *r, size_t *at, size_t *scan, size_t from, char c)
{
	size_t start;
	char *hit;

	if (*at >= from && *at < *scan)
		return *at;
	start = (*at >= from && *at == *scan) ? *scan : from;
	if (start < r->end && (hit = memchr(r->buf + start, c, r->end - start)) != NULL)
		*at = (size_t)(hit - r->buf);
	else
		*at = r->end;
	*scan = r->end;
	return *at;
}

/*
 * Find the physical line at pos: *len bytes of text then *term bytes of line
 * end (0 for a last line without one).  Returns 1, 0 at end of file, -1 on
 * error.  keep is the offset that must survive a refill (the record's start);
 * it is updated when the buffer moves.
 */
int
ls_rd_next_line(struct ls_reader *r, size_t *keep, size_t *len, size_t *term, struct ls_error *err)
{
	for (;;) {
		char *b = r->buf ? r->buf + r->pos : NULL;	/* NULL + 0 is undefined before the first fill */
		size_t avail = r->end - r->pos;
		size_t cr = ls_rd_find_cached(r, &r->cr_at, &r->cr_scan, r->pos, '\r') - r->pos;
		/* no LF search past the next CR: a CR-only file would rescan the whole buffer per line */
		char *nl = avail ? memchr(b, '\n', cr < avail ? cr : avail) : NULL;
		size_t lim = nl ? (size_t)(nl - b) : avail;

		if (cr < lim) {
			/* a CR before any LF: CRLF, or a lone CR (old Mac files) */
			if (cr + 1 < avail || r->file_eof) {
				*len = cr;
				*term = (cr + 1 < avail && b[cr + 1] == '\n') ? 2 : 1;
				return 1;
			}
		} else if (nl) {
			*len = lim;
			*term = 1;
			return 1;
		} else if (r->file_eof) {
			if (avail == 0)
				return 0;
			*len = avail;
			*term = 0;
			return 1;
		}
		size_t k = *keep;
		long got = ls_rd_fill(r, k, err);
		if (got < 0)
			return -1;
		*keep = 0;
	}
}
