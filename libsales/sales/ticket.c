/*
 * ticket.c - the ticket event log of ticket.h as a file: where its records
 * start and end, to the byte (a torn one must be cut exactly), the lock,
 * torn tails and batches, the hash chain read and the append that links to
 * it.  What a record's bytes say, and how an event is written, is
 * tlog_codec.c's; reading back from the end, tlog_find.c's; the repair and
 * the upgrade, tlog_rewrite.c's.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "date.h"
#include "chain.h"
#include "recfile.h"
#include "tlog_int.h"
#include "util.h"

#define CHUNK	LS_TLOG_CHUNK

const char *const ls_tlog_columns[LS_TC_NCOLS + 1] = {
	"seq", "ts", "ticket_id", "event", "status", "client", "agent", "priority", "text",
	"subject", "channel", "batch", NULL
};
const char ls_tlog_prev_column[] = "prev_hash";


int
ls_channel_valid(const char *p, size_t n)
{
	if (n > LS_CHANNEL_MAX || (n > 0 && (p[0] < 'a' || p[0] > 'z')))
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!((p[i] >= 'a' && p[i] <= 'z') || (p[i] >= '0' && p[i] <= '9') || p[i] == '_' ||
		    p[i] == '-'))
			return 0;
	return 1;
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

	l->quoted = 0;
	for (;;) {
		/* line by line: a line feed ends the record when the quotes before it pair up */
		while (i < l->len) {
			const char *nl = memchr(l->buf + i, '\n', l->len - i);
			const char *q = l->buf + i, *stop = nl ? nl : l->buf + l->len;

			while ((q = memchr(q, '"', (size_t)(stop - q))) != NULL) {
				inq = !inq;
				l->quoted = 1;
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
count_lines(const char *p, size_t n)
{
	int c = 0;

	for (const char *q = p; (q = memchr(q, '\n', n - (size_t)(q - p))) != NULL; q++)
		c++;
	return c;
}

/* The head of version v matches at the start of buf, with LF ends (0) or CR LF (1)?  Its length in the file, else 0. */
static size_t
head_match(const struct ls_tlog *l, int v, int crlf)
{
	const char *want = l->head[v - 1].p;
	size_t wn = l->head[v - 1].n;
	const char *nl1 = memchr(want, '\n', wn);
	size_t n1 = (size_t)(nl1 - want);

	if (!crlf)
		return l->len >= wn && memcmp(l->buf, want, wn) == 0 ? wn : 0;
	return l->len >= wn + 2 && memcmp(l->buf, want, n1) == 0 &&
	    memcmp(l->buf + n1, "\r\n", 2) == 0 &&
	    memcmp(l->buf + n1 + 2, want + n1 + 1, wn - n1 - 2) == 0 &&
	    memcmp(l->buf + wn, "\r\n", 2) == 0 ? wn + 2 : 0;
}

/*
 * Check the first two lines, a v2 or a v1 log's; a file with less than
 * them is torn (a new log that never got its header out) or foreign.
 */
static int
read_head(struct ls_tlog *l, struct ls_error *err)
{
	size_t most = l->head[1].n > l->head[0].n ? l->head[1].n : l->head[0].n;
	int rc = 0;

	/* enough for either head with CR LF ends (a log saved by a Windows editor) */
	while (l->len < most + 3 && (rc = refill(l, err)) > 0)
		;
	if (rc < 0 && !l->eof)
		return err->status;
	for (int crlf = 0; crlf <= 1; crlf++)
		for (int v = LS_TLOG_VERSION; v >= 1; v--) {
			size_t n = head_match(l, v, crlf);

			if (n == 0)
				continue;
			l->version = v;
			l->crlf_head = crlf;
			l->ncrlf = crlf ? 2 : 0;
			l->pos = n;
			l->line = 3;
			l->good_end = (off_t)n;
			return 0;
		}
	/* empty, or the first commit's head torn: nothing was ever committed (a new log is v2) */
	l->version = LS_TLOG_VERSION;
	for (int v = LS_TLOG_VERSION; v >= 1; v--)
		if (l->eof && l->len < l->head[v - 1].n && memcmp(l->buf, l->head[v - 1].p, l->len) == 0) {
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
	const char *nl = memchr(l->buf, '\n', l->len), *want, *hdr;
	int ver;

	if ((rc = ls_recfile_head_check(l->buf, nl ? (size_t)(nl - l->buf) : l->len, LS_TLOG_MAGIC,
	    LS_TLOG_VERSION, "a ticket log", l->path, &ver, err)) != 0)
		return rc;
	want = l->head[ver - 1].p;
	hdr = (const char *)memchr(want, '\n', l->head[ver - 1].n) + 1;	/* its second line */
	return ls_error_set(err, LS_EDATA, l->path, 2, 0,
	    "not a ticket log: line 2 should be the header '%.*s'",
	    (int)(want + l->head[ver - 1].n - 1 - hdr), hdr);
}

int
ls_tlog_rewind(struct ls_tlog *l, struct ls_error *err)
{
	if (lseek(l->fd, 0, SEEK_SET) != 0)
		return ls_error_set(err, LS_EIO, l->path, 0, 0, "cannot seek: %s", strerror(errno));
	l->off = 0;
	l->len = l->pos = 0;
	l->eof = l->torn = 0;
	l->line = 1;
	l->seq = 0;
	l->maxid = 0;
	l->ncrlf = l->nblank = 0;
	l->last_line = 0;
	l->last_at = 0;
	l->last_n = 0;
	memcpy(l->chain, ls_chain_zeros, 65);
	return read_head(l, err);
}

int
ls_tlog_version(const struct ls_tlog *l)
{
	return l->version;
}

void
ls_tlog_verify(struct ls_tlog *l)
{
	l->verify = 1;
}

const char *
ls_tlog_last_hash(const struct ls_tlog *l)
{
	return l->version >= 2 && l->verify ? l->chain : NULL;
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
		/* only a log already there is opened instead: any other failure is the answer */
		if (l->fd < 0 && errno != EEXIST) {
			ls_error_set(err, LS_EIO, path, 0, 0, "cannot create: %s", strerror(errno));
			goto fail;
		}
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
	memcpy(l->chain, ls_chain_zeros, 65);
	if (ls_tlog_codec_head(1, &l->head[0], err) != 0 ||
	    ls_tlog_codec_head(2, &l->head[1], err) != 0 || read_head(l, err) != 0)
		goto fail;
	return l;
fail:
	ls_tlog_close(l);
	return NULL;
}

/* CR LF inside field f (a view into sc) to LF, in place; *n (when not NULL) counts them. */
static void
crlf_to_lf(struct ls_tlog_codec_scratch *sc, struct ls_str *f, long *n)
{
	char *p;
	size_t o = 0;

	if (f->n == 0 || memchr(f->p, '\r', f->n) == NULL)
		return;
	p = sc->p + (f->p - sc->p);
	for (size_t k = 0; k < f->n; k++)
		if (p[k] != '\r' || k + 1 >= f->n || p[k + 1] != '\n')
			p[o++] = p[k];
		else if (n)
			(*n)++;
	p[o] = '\0';
	f->n = o;
}

/*
 * ls_tlog_verify()'s check of r, read at line, against the hash of the
 * record before it: the first link that is wrong names the line to look
 * at.  A record out of seq order was removed before it or moved here; else
 * the record before it was edited (or this one's prev hash: the chain
 * cannot tell the two apart).  0, or -1 with err filled.
 */
static int
chain_next(struct ls_tlog *l, const struct ls_tlog_rec *r, long line, struct ls_error *err)
{
	if (!ls_chain_follows(r->f, LS_TC_NCOLS + 1, l->chain)) {
		if (r->seq != l->seq + 1)
			return ls_error_set(err, LS_EDATA, l->path, line, 0,
			    "hash chain broken: seq %lld where %lld was expected, and its prev_hash is not "
			    "the hash of the record before it: a record was removed here, or this one moved",
			    r->seq, l->seq + 1), -1;
		if (l->last_line == 0)
			return ls_error_set(err, LS_EDATA, l->path, line, 0,
			    "hash chain broken: the first record's prev_hash is not 64 zeros: it was edited"), -1;
		return ls_error_set(err, LS_EDATA, l->path, l->last_line, 0,
		    "hash chain broken: this record was edited after it was written (line %ld holds the "
		    "hash of other content; or that line's prev_hash was edited)", line), -1;
	}
	ls_tlog_codec_hash(r, l->chain);
	return 0;
}

int
ls_tlog_next(struct ls_tlog *l, struct ls_tlog_rec *r, struct ls_error *err)
{
	size_t end;
	long line;
	int rc, nf, want = l->version >= 2 ? LS_TC_NCOLS + 1 : LS_TC_NCOLS;
	long long bi, bn;
	off_t at;

	if (l->torn || l->found_mode)
		return 0;
again:
	if ((rc = find_end(l, &end, err)) < 0)
		return -1;
	if (rc == 1 && (end == l->pos || (end == l->pos + 1 && l->buf[l->pos] == '\r'))) {
		/* a blank line (a hand edit's, often the last): nothing, and ls_tlog_repair() drops it */
		l->nblank++;
		l->line++;
		l->pos = end + 1;
		l->good_end = l->off + (off_t)l->pos;
		goto again;
	}
	if (rc == 1 && end > l->pos && l->buf[end - 1] == '\r')
		l->ncrlf++;
	if (rc == 0) {
		if (l->pos < l->len) {
			l->torn = 1;
			l->torn_line = l->line;
			l->torn_bytes = l->len - l->pos;
		}
		return 0;
	}
	line = l->line;
	nf = ls_tlog_codec_split(l->buf + l->pos, end - l->pos, &l->sc, r);
	if (nf == -1)
		return ls_error_set(err, LS_ENOMEM, l->path, 0, 0, "out of memory"), -1;
	if (nf == want && ls_tlog_codec_batch(&r->f[LS_TC_BATCH], &bi, &bn) == 0 && bi == 1) {
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
	at = l->off + (off_t)l->pos;
	/* a line feed inside a record is inside quotes: none to count in a record without them */
	l->line += 1 + (l->quoted ? count_lines(l->buf + l->pos, end - l->pos) : 0);
	l->pos = end + 1;
	l->good_end = l->off + (off_t)l->pos;
	/* the editor that made the line ends CR LF made those inside quoted fields so too */
	for (int i = 0; l->crlf_head && i < nf && i < want; i++)
		crlf_to_lf(&l->sc, &r->f[i], &l->ncrlf);
	if (ls_tlog_codec_check(l->path, l->version, nf, line, &l->sc, r, err) != 0)
		return -1;
	if (l->verify && l->version >= 2 && chain_next(l, r, line, err) != 0)
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
	/* where the last whole record is: the next commit links to it (tail_hash()) */
	l->last_line = line;
	l->last_at = at;
	l->last_n = end - (size_t)(at - l->off);
	l->tail_known = l->verify;
	if (l->verify)
		memcpy(l->tail, l->chain, 65);
	return 1;
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

long long
ls_tlog_add(struct ls_tlog *l, const struct ls_str f[LS_TC_NCOLS], struct ls_error *err)
{
	size_t old = l->plen, *at;

	if (!(l->mode & 1) || !(l->torn || l->eof)) {
		ls_error_set(err, LS_EUSAGE, l->path, 0, 0, "log not read to its end for writing");
		return -1;
	}
	if (ls_grow(&l->pfld, &l->pfcap, (l->pcount + 1) * LS_TC_NCOLS * 2, sizeof(*l->pfld)) != 0)
		goto nomem;
	at = l->pfld + l->pcount * LS_TC_NCOLS * 2;
	for (int i = 0; i < LS_TC_NCOLS; i++) {
		/* seq and batch are the commit's to fill in */
		size_t n = i == LS_TC_SEQ || i == LS_TC_BATCH || f[i].p == NULL ? 0 : f[i].n;

		if (ls_grow(&l->pend, &l->pcap, l->plen + n + 1, 1) != 0) {
			l->plen = old;
			goto nomem;
		}
		if (n > 0)
			memcpy(l->pend + l->plen, f[i].p, n);
		at[2 * i] = l->plen;
		at[2 * i + 1] = n;
		l->plen += n;
	}
	l->pcount++;
	return l->seq + (long long)l->pcount;
nomem:
	ls_error_set(err, LS_ENOMEM, l->path, 0, 0, "out of memory");
	return -1;
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

/* Drop the queued events. */
static void
drop_queued(struct ls_tlog *l)
{
	l->plen = 0;
	l->pcount = 0;
}

/*
 * The hash of the last whole record into l->tail: that record only, read
 * again from where ls_tlog_next() or ls_tlog_find() saw it, so an append
 * costs the same on any size of log.  Its fields as a reader takes them
 * (CR LF inside quoted fields of a log saved so read as LF), as check
 * hashes them.  0, or LS_* with err filled.
 */
static int
tail_hash(struct ls_tlog *l, struct ls_error *err)
{
	struct ls_tlog_codec_scratch sc = { 0 };
	struct ls_tlog_rec r;
	char *b;
	ssize_t n;
	int nf, rc = 0;

	if ((b = malloc(l->last_n + 1)) == NULL)
		return ls_error_set(err, LS_ENOMEM, l->path, 0, 0, "out of memory");
	do
		n = pread(l->fd, b, l->last_n, l->last_at);
	while (n < 0 && errno == EINTR);
	if (n != (ssize_t)l->last_n) {
		free(b);
		return ls_error_set(err, LS_EIO, l->path, 0, 0, "read error: %s",
		    n < 0 ? strerror(errno) : "the log is shorter than it was");
	}
	nf = ls_tlog_codec_split(b, l->last_n, &sc, &r);
	if (nf == -1)
		rc = ls_error_set(err, LS_ENOMEM, l->path, 0, 0, "out of memory");
	else if (nf != LS_TC_NCOLS + 1)
		/* it was read as a whole record a moment ago, under the same lock */
		rc = ls_error_set(err, LS_EDATA, l->path, l->last_line, 0,
		    "the last record changed while the log was locked");
	else {
		for (int i = 0; l->crlf_head && i <= LS_TC_PREV; i++)
			crlf_to_lf(&sc, &r.f[i], NULL);
		ls_tlog_codec_hash(&r, l->tail);
		l->tail_known = 1;
	}
	ls_tlog_codec_scratch_free(&sc);
	free(b);
	return rc;
}

int
ls_tlog_commit(struct ls_tlog *l, struct ls_error *err)
{
	struct ls_tlog_codec_buf out = { NULL, 0 };
	struct ls_str *f;
	char chain[65];
	int rc;

	if (l->pcount == 0)
		return 0;
	if ((rc = cut_torn(l, err)) != 0)
		return rc;
	if ((f = calloc(l->pcount * LS_TC_NCOLS, sizeof(*f))) == NULL)
		return ls_error_set(err, LS_ENOMEM, l->path, 0, 0, "out of memory");
	for (size_t k = 0; k < l->pcount * LS_TC_NCOLS; k++) {
		f[k].p = l->pend + l->pfld[2 * k];
		f[k].n = l->pfld[2 * k + 1];
	}
	/* a new log gets its head in the same write as its first records */
	if (l->good_end == 0 || l->seq == 0)
		memcpy(l->tail, ls_chain_zeros, 65);	/* the first record */
	else if (l->version >= 2 && !l->tail_known && tail_hash(l, err) != 0) {
		free(f);
		return err->status;
	}
	/* on a copy: a write that fails leaves tail the hash of the record still last */
	memcpy(chain, l->tail, 65);
	rc = ls_tlog_codec_rows(l->version, l->good_end == 0, l->seq + 1, f, l->pcount, chain, &out,
	    err);
	free(f);
	if (rc == 0)
		rc = ls_recfile_append(l->fd, l->good_end, out.p, out.n, l->path, err);
	if (rc != 0) {
		/* the log is as it was; the queued records are dropped */
		free(out.p);
		drop_queued(l);
		return rc;
	}
	memcpy(l->tail, chain, 65);	/* the last row's hash, from the codec */
	l->tail_known = 1;
	if (l->good_end == 0)
		ls_recfile_sync_dir(l->path);
	l->good_end += (off_t)out.n;
	l->seq += (long long)l->pcount;
	free(out.p);
	drop_queued(l);
	return 0;
}

void
ls_tlog_edits(const struct ls_tlog *l, long *crlf, long *blank)
{
	*crlf = l->ncrlf;
	*blank = l->nblank;
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
	ls_tlog_codec_scratch_free(&l->sc);
	free(l->pend);
	free(l->pfld);
	free(l->head[0].p);
	free(l->head[1].p);
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
