/*
 * tlog_find.c - ls_tlog_find() of ticket.h: an append that reads the log
 * back from its end, as far as the record it needs, instead of the whole
 * log; a tail that is not whole records in seq order is read forward, as
 * ls_tlog_next() reads it.  It notes where the last whole record is, so that
 * the commit takes that record's hash (ticket.c) without reading more.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tlog_int.h"
#include "util.h"

#define CHUNK	LS_TLOG_CHUNK

/* Copy r's fields into l->found, so that r stays valid after more reading. */
static int
keep_found(struct ls_tlog *l, struct ls_tlog_rec *r, struct ls_error *err)
{
	size_t n = 0, o = 0;

	for (int i = 0; i < LS_TC_NCOLS; i++)
		n += r->f[i].n + 1;
	if (ls_grow(&l->found, &l->fcap, n, 1) != 0)
		return ls_error_set(err, LS_ENOMEM, l->path, 0, 0, "out of memory"), -1;
	for (int i = 0; i < LS_TC_NCOLS; i++) {
		memcpy(l->found + o, r->f[i].p, r->f[i].n);
		l->found[o + r->f[i].n] = '\0';
		r->f[i].p = l->found + o;
		o += r->f[i].n + 1;
	}
	return 0;
}

/* ls_tlog_find() the slow way: every record, forward (and torn tails found as ls_tlog_next() finds them). */
static int
find_forward(struct ls_tlog *l, long id, struct ls_tlog_rec *r, struct ls_error *err)
{
	struct ls_tlog_rec cur;
	int rc, found = 0;

	while ((rc = ls_tlog_next(l, &cur, err)) > 0)
		if ((id > 0 && cur.id == id) || (id == 0 && cur.event == LS_EV_OPEN)) {
			*r = cur;
			if (keep_found(l, r, err) != 0)
				return -1;
			found = 1;
		}
	return rc < 0 ? -1 : found;
}

/*
 * Make buf hold the file's bytes [*start, size), reading the chunk before
 * *start (at least CHUNK bytes, down to lo).  0, or -1 on a read error or
 * when there is nothing before.
 */
static int
extend_back(struct ls_tlog *l, char **buf, size_t *cap, off_t *start, off_t size, off_t lo)
{
	off_t want = *start - lo, have = size - *start;
	ssize_t n;

	if (want <= 0)
		return -1;
	if (want > (have > CHUNK ? have : CHUNK))
		want = have > CHUNK ? have : CHUNK;
	if (ls_grow(buf, cap, (size_t)(have + want), 1) != 0)
		return -1;
	memmove(*buf + want, *buf, (size_t)have);
	do
		n = pread(l->fd, *buf, (size_t)want, *start - want);
	while (n < 0 && errno == EINTR);
	if (n != want)
		return -1;
	*start -= want;
	return 0;
}

int
ls_tlog_find(struct ls_tlog *l, long id, struct ls_tlog_rec *r, struct ls_error *err)
{
	off_t hdr = l->good_end, size, start, e, p;
	char *b = NULL;
	size_t cap = 0;
	long long want_seq = -1;
	long maxseen = 0;
	int found = 0, early = 0, rc = -1;
	struct stat st;

	if (l->seq != 0 || l->found_mode || !(l->mode & 1))
		return ls_error_set(err, LS_EUSAGE, l->path, 0, 0, "ls_tlog_find() after reading"), -1;
	/* an empty log, a torn head: nothing to read back */
	if (hdr == 0 || l->torn || fstat(l->fd, &st) != 0 || st.st_size <= hdr ||
	    l->pos != (size_t)hdr || l->off != 0)
		return find_forward(l, id, r, err);
	size = st.st_size;
	start = size;
	/* a tail that is not one whole record after another goes the slow way, which knows torn tails */
	if (extend_back(l, &b, &cap, &start, size, hdr) != 0 || b[size - start - 1] != '\n')
		goto slow;
	for (e = size; e > hdr; e = p) {
		struct ls_tlog_rec cur;
		long long bi, bn;
		int q = 0, nf;

		/* the record's start: a line feed with the quotes after it paired (record ends pair theirs) */
		for (p = e - 2; ; p--) {
			/* only [start, e) is kept: what lies after this record is done with */
			if (p < start && (p < hdr || extend_back(l, &b, &cap, &start, e, hdr) != 0)) {
				if (p >= hdr)
					goto slow;
				break;
			}
			char c = b[p - start];
			if (c == '"')
				q = !q;
			else if (c == '\n' && !q)
				break;
		}
		p++;	/* the record is [p, e - 1), its line feed at e - 1 */
		if (q)
			goto slow;
		nf = ls_tlog_codec_split(b + (p - start), (size_t)(e - 1 - p), &l->sc, &cur);
		if (nf == -1) {
			ls_error_set(err, LS_ENOMEM, l->path, 0, 0, "out of memory");
			goto done;
		}
		if (ls_tlog_codec_check(l->path, l->version, nf, 0, &l->sc, &cur, err) != 0)
			goto slow;
		ls_tlog_codec_batch(&cur.f[LS_TC_BATCH], &bi, &bn);
		if (want_seq < 0) {
			if (bi < bn)
				goto slow;	/* the last commit is not all there */
			l->seq = cur.seq;
			/* the last whole record: the next commit links to it */
			l->last_at = p;
			l->last_n = (size_t)(e - 1 - p);
		} else if (cur.seq != want_seq)
			goto slow;
		want_seq = cur.seq - 1;
		if (cur.id > maxseen)
			maxseen = cur.id;
		if ((id > 0 && cur.id == id) || (id == 0 && cur.event == LS_EV_OPEN)) {
			*r = cur;
			if (keep_found(l, r, err) != 0)
				goto done;
			found = 1;
			break;
		}
		/* ids are opened in order: past the open of a lower id, id was never opened */
		if (id > 0 && cur.event == LS_EV_OPEN && cur.id < id) {
			early = 1;
			break;
		}
	}
	if (!found && !early && want_seq != 0)
		goto slow;	/* the first record must be seq 1 */
	l->maxid = found && id == 0 ? r->id : maxseen;
	l->good_end = size;
	l->eof = 1;
	l->found_mode = 1;
	rc = found;
	goto done;
slow:
	l->seq = 0;
	free(b);
	return find_forward(l, id, r, err);
done:
	free(b);
	return rc;
}
