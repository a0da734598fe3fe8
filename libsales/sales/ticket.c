/*
 * ticket.c - the ticket event log of ticket.h: its own small CSV reader
 * (it must know where the last whole record ends, to the byte, to cut a
 * torn one) and the locked append.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "date.h"
#include "lock.h"
#include "recfile.h"
#include "ticket.h"
#include "util.h"

#define CHUNK	65536

const char *const ls_tlog_columns[LS_TC_NCOLS + 1] = {
	"seq", "ts", "ticket_id", "event", "status", "client", "agent", "priority", "text",
	"subject", "channel", "batch", NULL
};

struct ls_tlog {
	char *path;
	int fd, mode;
	int created;			/* this open made the file: removed again when nothing was committed */
	struct ls_lock *lock;
	char *buf;			/* file bytes [off, off + len) */
	size_t cap, len, pos;		/* pos: next record's start in buf */
	off_t off;
	int eof;
	long line;			/* physical line at pos */
	off_t good_end;			/* file offset after the last whole record (or the header) */
	int torn;
	long torn_line;
	size_t torn_bytes;
	char *scratch;			/* the current record's fields, unescaped, NUL-terminated */
	size_t scap;
	long long seq;
	long maxid;
	char *pend;			/* queued records */
	size_t plen, pcap;
	long long pseq;
	size_t pcount;			/* records queued */
	size_t *pends;			/* offset of each queued record's line feed */
	size_t pecap;
	int found_mode;			/* ls_tlog_find() read the tail only */
	char *found;			/* ls_tlog_find()'s record, kept */
	size_t fcap;
};

static const char *
header_line(void)
{
	static char h[256];

	if (h[0] == '\0') {
		size_t n = 0;
		for (int i = 0; i < LS_TC_NCOLS; i++)
			n += (size_t)snprintf(h + n, sizeof(h) - n, "%s%s", i ? "," : "",
			    ls_tlog_columns[i]);
	}
	return h;
}

int
ls_channel_valid(const char *p, size_t n)
{
	static const char *const ch[] = { "phone", "email", "chat", NULL };

	if (n == 0)
		return 1;
	for (int i = 0; ch[i]; i++)
		if (strlen(ch[i]) == n && memcmp(ch[i], p, n) == 0)
			return 1;
	return 0;
}

int
ls_ticket_id_parse(const char *p, size_t n, long *id)
{
	long v = 0;

	if (n < 3 || n > 11 || p[0] != 'T' || p[1] != '-')
		return -1;
	for (size_t i = 2; i < n; i++) {
		if (p[i] < '0' || p[i] > '9')
			return -1;
		v = v * 10 + (p[i] - '0');
	}
	if (v <= 0)
		return -1;
	*id = v;
	return 0;
}

void
ls_ticket_id_format(long id, char *buf, size_t size)
{
	snprintf(buf, size, "T-%06ld", id);
}

/* Read more of the file into buf, keeping buf[pos..len).  1 when bytes came, 0 at EOF, -1 on error. */
static int
refill(struct ls_tlog *l, struct ls_error *err)
{
	ssize_t n;

	if (l->eof)
		return 0;
	if (l->pos > 0) {
		memmove(l->buf, l->buf + l->pos, l->len - l->pos);
		l->off += (off_t)l->pos;
		l->len -= l->pos;
		l->pos = 0;
	}
	if (l->cap - l->len < CHUNK && ls_grow(&l->buf, &l->cap, l->len + CHUNK, 1) != 0)
		return ls_error_set(err, LS_ENOMEM, l->path, 0, 0, "out of memory"), -1;
	do
		n = read(l->fd, l->buf + l->len, l->cap - l->len);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return ls_error_set(err, LS_EIO, l->path, 0, 0, "read error: %s", strerror(errno)), -1;
	if (n == 0) {
		l->eof = 1;
		return 0;
	}
	l->len += (size_t)n;
	return 1;
}

/*
 * Find the end of the record at pos: the first line feed outside quotes.
 * Returns 1 with *end (index of the '\n' in buf), 0 when the file ends
 * first, -1 on a read error.
 */
static int
find_end(struct ls_tlog *l, size_t *end, struct ls_error *err)
{
	size_t i = l->pos;
	int inq = 0, rc;

	for (;;) {
		/* line by line: a line feed ends the record when the quotes before it pair up */
		while (i < l->len) {
			const char *nl = memchr(l->buf + i, '\n', l->len - i);
			const char *q = l->buf + i, *stop = nl ? nl : l->buf + l->len;

			while ((q = memchr(q, '"', (size_t)(stop - q))) != NULL) {
				inq = !inq;
				q++;
			}
			if (nl == NULL) {
				i = l->len;
				break;
			}
			if (!inq) {
				*end = (size_t)(nl - l->buf);
				return 1;
			}
			i = (size_t)(nl - l->buf) + 1;
		}
		i -= l->pos;	/* refill moves the record to buf[0] */
		if ((rc = refill(l, err)) <= 0)
			return rc;
		i += l->pos;
	}
}

/*
 * 1 when need whole records follow offset at in the file, 0 when it ends
 * first, -1 on a read error.  Read with pread: the batch may be far
 * bigger than the buffer, which is not disturbed.
 */
static int
batch_whole(struct ls_tlog *l, off_t at, long long need, struct ls_error *err)
{
	char b[CHUNK];
	int inq = 0;
	ssize_t n;

	while (need > 0) {
		do
			n = pread(l->fd, b, sizeof(b), at);
		while (n < 0 && errno == EINTR);
		if (n < 0)
			return ls_error_set(err, LS_EIO, l->path, 0, 0, "read error: %s", strerror(errno)), -1;
		if (n == 0)
			return 0;
		for (ssize_t i = 0; i < n && need > 0; i++) {
			if (b[i] == '"')
				inq = !inq;
			else if (b[i] == '\n' && !inq)
				need--;
		}
		at += n;
	}
	return 1;
}

static int
parse_error(struct ls_tlog *l, long line, struct ls_error *err, const char *what)
{
	return ls_error_set(err, LS_EDATA, l->path, line, 0, "%s", what);
}

/* Split buf[s..e) (no line end) into r->f; returns the number of fields, or -1 for bad quoting. */
static int
split(struct ls_tlog *l, const char *p, const char *end, struct ls_tlog_rec *r, struct ls_error *err)
{
	size_t nf = 0, o = 0;
	size_t start[LS_TC_NCOLS + 1], len[LS_TC_NCOLS + 1];

	if (end > p && end[-1] == '\r')
		end--;
	if (ls_grow(&l->scratch, &l->scap, (size_t)(end - p) + LS_TC_NCOLS + 2, 1) != 0)
		return ls_error_set(err, LS_ENOMEM, l->path, 0, 0, "out of memory"), -1;
	for (;;) {
		size_t fs = o;
		if (p < end && *p == '"') {
			p++;
			for (;;) {
				if (p >= end)
					return -2;
				if (*p == '"') {
					if (p + 1 < end && p[1] == '"') {
						l->scratch[o++] = '"';
						p += 2;
						continue;
					}
					p++;
					break;
				}
				l->scratch[o++] = *p++;
			}
			if (p < end && *p != ',')
				return -2;
		} else {
			/* p <= end here; said so, gcc's profile-guided build stops guessing a negative bound */
			const char *c = p < end ? memchr(p, ',', (size_t)(end - p)) : NULL;

			if (c == NULL)
				c = end;
			memcpy(l->scratch + o, p, (size_t)(c - p));
			o += (size_t)(c - p);
			p = c;
		}
		if (nf <= LS_TC_NCOLS) {
			start[nf] = fs;
			len[nf] = o - fs;
		}
		l->scratch[o++] = '\0';
		nf++;
		if (p >= end)
			break;
		p++;	/* the comma */
	}
	for (size_t i = 0; i < nf && i < LS_TC_NCOLS; i++) {
		r->f[i].p = l->scratch + start[i];
		r->f[i].n = len[i];
	}
	return (int)nf;
}

static int
count_lines(const char *p, size_t n)
{
	int c = 0;

	for (const char *q = p; (q = memchr(q, '\n', n - (size_t)(q - p))) != NULL; q++)
		c++;
	return c;
}

/* Check the first two lines; a file with less than them is torn (a new log that never got its header out) or foreign. */
static int
read_head(struct ls_tlog *l, struct ls_error *err)
{
	char want[512];
	size_t wn;
	int rc = 0;

	wn = (size_t)snprintf(want, sizeof(want), "%s%d\n%s\n", LS_TLOG_MAGIC, LS_TLOG_VERSION,
	    header_line());
	while (l->len < wn + 1 && (rc = refill(l, err)) > 0)
		;
	if (rc < 0 && !l->eof)
		return err->status;
	if (l->len >= wn && memcmp(l->buf, want, wn) == 0) {
		l->pos = wn;
		l->line = 3;
		l->good_end = (off_t)wn;
		return 0;
	}
	if (l->eof && l->len < wn && memcmp(l->buf, want, l->len) == 0) {
		/* empty, or the first commit's head torn: nothing was ever committed */
		l->good_end = 0;
		if (l->len > 0) {
			l->torn = 1;
			l->torn_line = 1;
			l->torn_bytes = l->len;
		}
		l->pos = l->len;
		return 0;
	}
	/* which line is wrong, and how */
	const char *nl = memchr(l->buf, '\n', l->len);
	int ver;

	if ((rc = ls_recfile_head_check(l->buf, nl ? (size_t)(nl - l->buf) : l->len, LS_TLOG_MAGIC,
	    LS_TLOG_VERSION, "a ticket log", l->path, &ver, err)) != 0)
		return rc;
	return ls_error_set(err, LS_EDATA, l->path, 2, 0,
	    "not a ticket log: line 2 should be the header '%s'", header_line());
}

struct ls_tlog *
ls_tlog_open(const char *path, int mode, struct ls_error *err)
{
	struct ls_tlog *l = calloc(1, sizeof(*l));
	int flags;

	if (l == NULL || (l->path = ls_concat(path, "")) == NULL) {
		free(l);
		ls_error_set(err, LS_ENOMEM, path, 0, 0, "out of memory");
		return NULL;
	}
	l->fd = -1;
	l->mode = mode;
	/* a missing log is reported before any lock file is made beside it */
	if (mode != LS_TLOG_CREATE && access(path, F_OK) != 0 && errno == ENOENT) {
		ls_error_set(err, LS_EIO, path, 0, 0, "no ticket log here (ticket-log open starts one)");
		goto fail;
	}
	if ((l->lock = ls_lock_acquire(path, (mode & 1) ? LS_LOCK_EX : LS_LOCK_SH, err)) == NULL)
		goto fail;
	flags = ((mode & 1) ? O_RDWR : O_RDONLY) | O_CLOEXEC;
	if (mode == LS_TLOG_CREATE) {
		l->fd = open(path, flags | O_CREAT | O_EXCL, 0666);
		l->created = l->fd >= 0;
	}
	if (l->fd < 0 && (l->fd = open(path, flags, 0666)) < 0) {
		if (errno == ENOENT)
			ls_error_set(err, LS_EIO, path, 0, 0,
			    "no ticket log here (ticket-log open starts one)");
		else
			ls_error_set(err, LS_EIO, path, 0, 0, "cannot open: %s", strerror(errno));
		goto fail;
	}
	l->line = 1;
	if (read_head(l, err) != 0)
		goto fail;
	return l;
fail:
	ls_tlog_close(l);
	return NULL;
}

/* The batch column: "" (0, 0) or "I/N" with 1 <= I <= N, 2 <= N.  0 or -1. */
static int
parse_batch(const struct ls_str *b, long long *i, long long *n)
{
	long long v[2] = { 0, 0 };
	size_t k = 0;
	int part = 0, digits = 0;

	*i = *n = 0;
	if (b->n == 0)
		return 0;
	for (k = 0; k < b->n; k++) {
		char c = b->p[k];
		if (c == '/' && part == 0 && digits > 0) {
			part = 1;
			digits = 0;
		} else if (c >= '0' && c <= '9' && digits < 12) {
			v[part] = v[part] * 10 + (c - '0');
			digits++;
		} else
			return -1;
	}
	if (part != 1 || digits == 0 || v[1] < 2 || v[0] < 1 || v[0] > v[1])
		return -1;
	*i = v[0];
	*n = v[1];
	return 0;
}

/* Check and convert the fields of a record split into r (all but the order of seq and ids).  0 or -1. */
static int
check_fields(struct ls_tlog *l, int nf, long line, struct ls_tlog_rec *r, struct ls_error *err)
{
	const struct ls_str *s = &r->f[LS_TC_SEQ];
	long long v = 0, bi, bn;
	size_t i;

	r->line = line;
	if (nf == -2)
		return parse_error(l, line, err, "bad quoting (a quoted field must end at a comma or the line end)"), -1;
	if (nf != LS_TC_NCOLS)
		return ls_error_set(err, LS_EDATA, l->path, line, 0, "expected %d fields, got %d",
		    LS_TC_NCOLS, nf), -1;
	for (i = 0; i < s->n && i < 18 && s->p[i] >= '0' && s->p[i] <= '9'; i++)
		v = v * 10 + (s->p[i] - '0');
	if (s->n == 0 || i != s->n || v == 0)
		return ls_error_set(err, LS_EDATA, l->path, line, 0, "bad seq '%s'", s->p), -1;
	r->seq = v;
	if (ls_time_parse(r->f[LS_TC_TS].p, r->f[LS_TC_TS].n, NULL, 0, &r->ts, NULL) != 0)
		return ls_error_set(err, LS_EDATA, l->path, line, 0,
		    "bad ts '%s' (expected RFC 3339)", r->f[LS_TC_TS].p), -1;
	if (ls_tevent_parse(r->f[LS_TC_EVENT].p, r->f[LS_TC_EVENT].n, &r->event) != 0)
		return ls_error_set(err, LS_EDATA, l->path, line, 0, "unknown event '%s'",
		    r->f[LS_TC_EVENT].p), -1;
	if (ls_tstatus_parse(r->f[LS_TC_STATUS].p, r->f[LS_TC_STATUS].n, &r->status) != 0)
		return ls_error_set(err, LS_EDATA, l->path, line, 0, "unknown status '%s'",
		    r->f[LS_TC_STATUS].p), -1;
	if (ls_priority_parse(r->f[LS_TC_PRIORITY].p, r->f[LS_TC_PRIORITY].n, &r->priority) != 0)
		return ls_error_set(err, LS_EDATA, l->path, line, 0, "unknown priority '%s'",
		    r->f[LS_TC_PRIORITY].p), -1;
	if (!ls_channel_valid(r->f[LS_TC_CHANNEL].p, r->f[LS_TC_CHANNEL].n))
		return ls_error_set(err, LS_EDATA, l->path, line, 0, "unknown channel '%s'",
		    r->f[LS_TC_CHANNEL].p), -1;
	if (ls_ticket_id_parse(r->f[LS_TC_ID].p, r->f[LS_TC_ID].n, &r->id) != 0)
		return ls_error_set(err, LS_EDATA, l->path, line, 0, "bad ticket id '%s'",
		    r->f[LS_TC_ID].p), -1;
	if (parse_batch(&r->f[LS_TC_BATCH], &bi, &bn) != 0)
		return ls_error_set(err, LS_EDATA, l->path, line, 0, "bad batch '%s'",
		    r->f[LS_TC_BATCH].p), -1;
	return 0;
}

int
ls_tlog_next(struct ls_tlog *l, struct ls_tlog_rec *r, struct ls_error *err)
{
	size_t end;
	long line;
	int rc, nf;
	long long bi, bn;

	if (l->torn || l->found_mode)
		return 0;
	if ((rc = find_end(l, &end, err)) < 0)
		return -1;
	if (rc == 0) {
		if (l->pos < l->len) {
			l->torn = 1;
			l->torn_line = l->line;
			l->torn_bytes = l->len - l->pos;
		}
		return 0;
	}
	line = l->line;
	nf = split(l, l->buf + l->pos, l->buf + end, r, err);
	if (nf == -1)
		return -1;
	if (nf == LS_TC_NCOLS && parse_batch(&r->f[LS_TC_BATCH], &bi, &bn) == 0 && bi == 1) {
		if ((rc = batch_whole(l, l->off + (off_t)end + 1, bn - 1, err)) < 0)
			return -1;
		if (rc == 0) {
			struct stat st;

			/* the rest of the file is one commit cut short: none of it counts */
			if (fstat(l->fd, &st) != 0)
				return ls_error_set(err, LS_EIO, l->path, 0, 0, "cannot stat: %s",
				    strerror(errno)), -1;
			l->torn = 1;
			l->torn_line = line;
			l->torn_bytes = (size_t)(st.st_size - (l->off + (off_t)l->pos));
			return 0;
		}
	}
	l->line += 1 + count_lines(l->buf + l->pos, end - l->pos);
	l->pos = end + 1;
	l->good_end = l->off + (off_t)l->pos;
	if (check_fields(l, nf, line, r, err) != 0)
		return -1;
	if (r->seq != l->seq + 1)
		return ls_error_set(err, LS_EDATA, l->path, line, 0,
		    "seq %lld out of order (expected %lld)", r->seq, l->seq + 1), -1;
	if (r->event == LS_EV_OPEN) {
		if (r->id != l->maxid + 1)
			return ls_error_set(err, LS_EDATA, l->path, line, 0,
			    "%s opened out of order (expected T-%06ld)", r->f[LS_TC_ID].p,
			    l->maxid + 1), -1;
		l->maxid = r->id;
	} else if (r->id > l->maxid)
		return ls_error_set(err, LS_EDATA, l->path, line, 0,
		    "event for %s, which was never opened", r->f[LS_TC_ID].p), -1;
	l->seq = r->seq;
	return 1;
}

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
		nf = split(l, b + (p - start), b + (e - 1 - start), &cur, err);
		if (nf == -1)
			goto done;
		if (check_fields(l, nf, 0, &cur, err) != 0)
			goto slow;
		parse_batch(&cur.f[LS_TC_BATCH], &bi, &bn);
		if (want_seq < 0) {
			if (bi < bn)
				goto slow;	/* the last commit is not all there */
			l->seq = cur.seq;
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

int
ls_tlog_torn(const struct ls_tlog *l, long *line, size_t *bytes)
{
	if (!l->torn)
		return 0;
	if (line)
		*line = l->torn_line;
	if (bytes)
		*bytes = l->torn_bytes;
	return 1;
}

long long
ls_tlog_seq(const struct ls_tlog *l)
{
	return l->seq;
}

long
ls_tlog_maxid(const struct ls_tlog *l)
{
	return l->maxid;
}

const char *
ls_tlog_path(const struct ls_tlog *l)
{
	return l->path;
}

static int
put(struct ls_tlog *l, const char *p, size_t n)
{
	if (ls_grow(&l->pend, &l->pcap, l->plen + n + 1, 1) != 0)
		return -1;
	memcpy(l->pend + l->plen, p, n);
	l->plen += n;
	return 0;
}

static int
put_field(struct ls_tlog *l, const char *p, size_t n)
{
	if (memchr(p, ',', n) == NULL && memchr(p, '"', n) == NULL &&
	    memchr(p, '\n', n) == NULL && memchr(p, '\r', n) == NULL)
		return put(l, p, n);
	if (put(l, "\"", 1) != 0)
		return -1;
	for (size_t i = 0; i < n; i++)
		if ((p[i] == '"' && put(l, "\"", 1) != 0) || put(l, p + i, 1) != 0)
			return -1;
	return put(l, "\"", 1);
}

long long
ls_tlog_add(struct ls_tlog *l, const struct ls_str f[LS_TC_NCOLS], struct ls_error *err)
{
	char num[32];
	size_t old = l->plen;
	int bad = 0;

	if (!(l->mode & 1) || !(l->torn || l->eof)) {
		ls_error_set(err, LS_EUSAGE, l->path, 0, 0, "log not read to its end for writing");
		return -1;
	}
	if (l->pseq == 0)
		l->pseq = l->seq;
	snprintf(num, sizeof(num), "%lld", l->pseq + 1);
	bad |= put(l, num, strlen(num));
	for (int i = 1; i < LS_TC_BATCH; i++)
		bad |= put(l, ",", 1) | put_field(l, f[i].p ? f[i].p : "", f[i].p ? f[i].n : 0);
	bad |= put(l, ",", 1);	/* batch: filled in by the commit */
	if (ls_grow(&l->pends, &l->pecap, l->pcount + 1, sizeof(*l->pends)) != 0)
		bad = 1;
	else
		l->pends[l->pcount] = l->plen;
	bad |= put(l, "\n", 1);
	if (bad) {
		l->plen = old;
		ls_error_set(err, LS_ENOMEM, l->path, 0, 0, "out of memory");
		return -1;
	}
	l->pcount++;
	return ++l->pseq;
}

/* Save the torn bytes to path.torn, then cut them off. */
static int
cut_torn(struct ls_tlog *l, struct ls_error *err)
{
	int rc;

	if (!l->torn)
		return 0;
	if ((rc = ls_recfile_cut_torn(l->fd, l->good_end, l->torn_bytes, l->path, err)) == 0)
		l->torn = 0;
	return rc;
}

int
ls_tlog_commit(struct ls_tlog *l, struct ls_error *err)
{
	char head[512];
	size_t hn = 0;
	int rc;

	if (l->plen == 0)
		return 0;
	if ((rc = cut_torn(l, err)) != 0)
		return rc;
	if (l->pcount > 1) {
		/* each record of the commit says "I/N": a reader can tell one cut short from either end */
		size_t extra = 0, o = 0, from = 0;
		char num[48], *nb;

		for (size_t i = 0; i < l->pcount; i++)
			extra += (size_t)snprintf(num, sizeof(num), "%zu/%zu", i + 1, l->pcount);
		if ((nb = malloc(l->plen + extra + 1)) == NULL)
			return ls_error_set(err, LS_ENOMEM, l->path, 0, 0, "out of memory");
		for (size_t i = 0; i < l->pcount; i++) {
			size_t upto = l->pends[i], nn;

			memcpy(nb + o, l->pend + from, upto - from);
			o += upto - from;
			nn = (size_t)snprintf(num, sizeof(num), "%zu/%zu", i + 1, l->pcount);
			memcpy(nb + o, num, nn);
			o += nn;
			from = upto;
		}
		memcpy(nb + o, l->pend + from, l->plen - from);
		o += l->plen - from;
		free(l->pend);
		l->pend = nb;
		l->pcap = o + 1;
		l->plen = o;
	}
	if (l->good_end == 0)
		hn = (size_t)snprintf(head, sizeof(head), "%s%d\n%s\n", LS_TLOG_MAGIC,
		    LS_TLOG_VERSION, header_line());
	if (hn > 0) {
		/* one write: the head goes in front of the records */
		if (ls_grow(&l->pend, &l->pcap, l->plen + hn, 1) != 0)
			return ls_error_set(err, LS_ENOMEM, l->path, 0, 0, "out of memory");
		memmove(l->pend + hn, l->pend, l->plen);
		memcpy(l->pend, head, hn);
		l->plen += hn;
	}
	if ((rc = ls_recfile_append(l->fd, l->good_end, l->pend, l->plen, l->path, err)) != 0) {
		/* the log is as it was; the queued records are dropped */
		l->plen = 0;
		l->pseq = 0;
		l->pcount = 0;
		return rc;
	}
	if (hn > 0)
		ls_recfile_sync_dir(l->path);
	l->good_end += (off_t)l->plen;
	l->seq = l->pseq;
	l->plen = 0;
	l->pseq = 0;
	l->pcount = 0;
	return 0;
}

int
ls_tlog_repair(struct ls_tlog *l, const char *backup, struct ls_error *err)
{
	struct ls_atomic *a;
	char *b;
	off_t at = 0;
	ssize_t n;
	int rc;

	if (!l->torn)
		return 0;
	if (!(l->mode & 1))
		return ls_error_set(err, LS_EUSAGE, l->path, 0, 0, "log not opened for writing");
	if ((a = ls_atomic_open(backup, err)) == NULL)
		return err->status;
	if ((b = malloc(CHUNK)) == NULL) {
		ls_atomic_free(a);
		return ls_error_set(err, LS_ENOMEM, l->path, 0, 0, "out of memory");
	}
	while ((n = pread(l->fd, b, CHUNK, at)) > 0) {
		if (fwrite(b, 1, (size_t)n, ls_atomic_file(a)) != (size_t)n)
			break;
		at += n;
	}
	free(b);
	if (n < 0) {
		ls_atomic_free(a);
		return ls_error_set(err, LS_EIO, l->path, 0, 0, "read error: %s", strerror(errno));
	}
	rc = ls_atomic_commit(a, err);
	ls_atomic_free(a);
	if (rc != 0)
		return rc;
	if (ftruncate(l->fd, l->good_end) != 0 || fsync(l->fd) != 0)
		return ls_error_set(err, LS_EIO, l->path, 0, 0, "cannot cut the torn record: %s",
		    strerror(errno));
	l->torn = 0;
	return 0;
}

void
ls_tlog_close(struct ls_tlog *l)
{
	if (l == NULL)
		return;
	/* a log this open created and nothing went into: as if never opened (still under the lock) */
	if (l->created && l->good_end == 0 && !l->torn)
		unlink(l->path);
	if (l->fd >= 0)
		close(l->fd);
	ls_lock_release(l->lock);
	free(l->path);
	free(l->buf);
	free(l->scratch);
	free(l->pend);
	free(l->pends);
	free(l->found);
	free(l);
}

int
ls_tlog_parse_time(const char *s, struct ls_tz *tz, int64_t now, int64_t *t,
    struct ls_error *err)
{
	size_t n = strlen(s), dn;
	const char *sp;
	struct ls_date d;
	struct tm tm;
	int secs = 0;

	if (ls_time_parse(s, n, tz, 0, t, NULL) == 0)
		return 0;
	sp = strchr(s, ' ');
	dn = sp ? (size_t)(sp - s) : n;
	/* ls_date_parse_rel() reads DD.MM.YYYY (Excel, 1C) as well as ISO dates and the words */
	if (ls_date_parse_rel(s, dn, tz, now, &d, NULL) != 0)
		goto bad;
	if (sp && ls_clock_parse(sp + 1, strlen(sp + 1), &secs, NULL) != 0)
		goto bad;
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = d.year - 1900;
	tm.tm_mon = d.month - 1;
	tm.tm_mday = d.day;
	tm.tm_sec = secs;
	if (ls_tz_mktime(tz, &tm, t) != 0)
		goto bad;
	return 0;
bad:
	return ls_error_set(err, LS_EDATA, NULL, 0, 0,
	    "bad time '%s' (expected RFC 3339, or a date and HH:MM)", s);
}
