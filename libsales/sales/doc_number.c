/*
 * doc_number.c - the invoice number series of doc-render (doc_number.h).
 *
 * In memory a run keeps two kinds of keys in one set: "S" SELLER TAB SERIES
 * TAB YEAR -> the last number of that series, and "D" SELLER TAB SERIES TAB
 * YEAR TAB DEAL -> the deal's number.  The tags keep a deal that happens to
 * be called like a year from meeting a series' key.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "doc_number.h"
#include "keyset.h"
#include "lock.h"
#include "recfile.h"
#include "util.h"

#define NUM_PREFIX	"# doc-render numbers v"
#define NUM_VERSION	1
#define NUM_COLS	"# seller\tseries\tyear\tnumber\tdeal\tdate\tissued"
#define NUM_FIELDS	7
#define NUM_MAX		999999999999LL	/* far above any year's invoices; keeps sums in range */

struct ls_numbers {
	char *path;
	struct ls_lock *lock;
	int fd;				/* read and appended to; -1 before the first lookup */
	off_t end;			/* the end of the last whole record */
	struct ls_keyset *set;		/* see above */
	struct ls_buf key, rec;
	struct ls_error failed;		/* the first lookup's failure, given again to later ones */
};

struct ls_numbers *
ls_numbers_new(const char *path)
{
	struct ls_numbers *nb = calloc(1, sizeof *nb);

	if (nb == NULL || (nb->path = strdup(path)) == NULL) {
		free(nb);
		return NULL;
	}
	nb->fd = -1;
	return nb;
}

void
ls_numbers_free(struct ls_numbers *nb)
{
	if (nb == NULL)
		return;
	if (nb->fd >= 0)
		close(nb->fd);
	ls_lock_release(nb->lock);
	ls_keyset_free(nb->set);
	ls_buf_free(&nb->key);
	ls_buf_free(&nb->rec);
	free(nb->path);
	free(nb);
}

/* nb->key := TAG SELLER TAB SERIES TAB YEAR [TAB DEAL]. */
static int
make_key(struct ls_numbers *nb, char tag, const char *seller, size_t sn, const char *series,
    size_t rn, int year, const char *deal, size_t dn)
{
	nb->key.n = 0;
	if (ls_buf_printf(&nb->key, "%c%.*s\t%.*s\t%d", tag, (int)sn, seller, (int)rn, series,
	    year) != 0)
		return -1;
	if (deal && (ls_buf_put(&nb->key, "\t", 1) != 0 || ls_buf_put(&nb->key, deal, dn) != 0))
		return -1;
	return 0;
}

static int
put_number(struct ls_numbers *nb, long long v)
{
	int created, st;
	void *slot = ls_keyset_upsert(nb->set, nb->key.p, nb->key.n, sizeof v, &created, &st);

	if (slot == NULL)
		return -1;
	memcpy(slot, &v, sizeof v);
	return 0;
}

static long long
get_number(const struct ls_numbers *nb)
{
	const char *slot = ls_keyset_get(nb->set, nb->key.p, nb->key.n);
	long long v = 0;

	if (slot)
		memcpy(&v, slot, sizeof v);
	return v;
}

/* A decimal without sign or leading zero, 1..max; -1 otherwise. */
static long long
parse_pos(const char *s, size_t n, long long max)
{
	long long v = 0;

	if (n == 0 || n > 12 || s[0] == '0')
		return -1;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v <= max ? v : -1;
}

/* One record of line L: its series must go on by one, its deal be new there. */
static int
load_record(struct ls_numbers *nb, char *line, size_t n, long lno, struct ls_error *err)
{
	struct ls_str f[NUM_FIELDS];
	long long year, num, last;
	int nf;

	if (memchr(line, '\0', n) != NULL)
		return ls_error_set(err, LS_EDATA, nb->path, lno, 0, "a NUL byte: not a counter file's line");
	if ((nf = ls_tsv_split(line, n, f, NUM_FIELDS)) != NUM_FIELDS)
		return ls_error_set(err, LS_EDATA, nb->path, lno, 0,
		    "expected %d tab-separated fields (seller, series, year, number, deal, date, issued)",
		    NUM_FIELDS);
	if ((year = parse_pos(f[2].p, f[2].n, 9999)) < 0)
		return ls_error_set(err, LS_EDATA, nb->path, lno, 0, "year '%.*s' is not 1..9999",
		    (int)(f[2].n > 20 ? 20 : f[2].n), f[2].p);
	if ((num = parse_pos(f[3].p, f[3].n, NUM_MAX)) < 0)
		return ls_error_set(err, LS_EDATA, nb->path, lno, 0, "number '%.*s' is not a whole "
		    "number from 1", (int)(f[3].n > 20 ? 20 : f[3].n), f[3].p);
	if (f[0].n == 0 || f[4].n == 0)
		return ls_error_set(err, LS_EDATA, nb->path, lno, 0, "an empty %s",
		    f[0].n == 0 ? "seller" : "deal");
	if (make_key(nb, 'S', f[0].p, f[0].n, f[1].p, f[1].n, (int)year, NULL, 0) != 0)
		goto nomem;
	last = get_number(nb);
	/* the accountant's rule, checked on every read: a gap or a repeat is damage to report */
	if (num != last + 1)
		return ls_error_set(err, LS_EDATA, nb->path, lno, 0,
		    "number %lld of %s/%s/%lld follows %lld: the series must go on by one", num,
		    f[0].p, f[1].p, year, last);
	if (put_number(nb, num) != 0)
		goto nomem;
	if (make_key(nb, 'D', f[0].p, f[0].n, f[1].p, f[1].n, (int)year, f[4].p, f[4].n) != 0)
		goto nomem;
	if ((last = get_number(nb)) != 0)
		return ls_error_set(err, LS_EDATA, nb->path, lno, 0,
		    "deal '%.*s' numbered again (it has number %lld in %s/%s/%lld)",
		    (int)(f[4].n > 40 ? 40 : f[4].n), f[4].p, last, f[0].p, f[1].p, year);
	if (put_number(nb, num) != 0)
		goto nomem;
	return 0;
nomem:
	return ls_error_set(err, LS_ENOMEM, NULL, 0, 0, "out of memory");
}

/* Lock, open and read the whole file; a torn last line is cut off (kept in FILE.torn). */
static int
load(struct ls_numbers *nb, struct ls_error *err)
{
	struct ls_recfile_lines L = { 0 };
	struct stat st;
	char *buf = NULL, *line;
	size_t n, len = 0;
	int rc = 0, got, ver;

	if ((nb->set = ls_keyset_new()) == NULL)
		return ls_error_set(err, LS_ENOMEM, NULL, 0, 0, "out of memory");
	if ((nb->lock = ls_lock_acquire(nb->path, LS_LOCK_EX, err)) == NULL)
		return err ? err->status : LS_EIO;
	if ((nb->fd = open(nb->path, O_RDWR | O_CREAT | O_CLOEXEC, 0666)) < 0 || fstat(nb->fd, &st) != 0)
		return ls_error_set(err, LS_EIO, nb->path, 0, 0, "%s", strerror(errno));
	if (!S_ISREG(st.st_mode))
		return ls_error_set(err, LS_EDATA, nb->path, 0, 0, "not a regular file");
	if (st.st_size == 0)
		return 0;
	if ((buf = malloc((size_t)st.st_size)) == NULL)
		return ls_error_set(err, LS_ENOMEM, NULL, 0, 0, "out of memory");
	while (len < (size_t)st.st_size) {
		ssize_t k = pread(nb->fd, buf + len, (size_t)st.st_size - len, (off_t)len);

		if (k <= 0) {
			rc = ls_error_set(err, LS_EIO, nb->path, 0, 0, "read error: %s",
			    k == 0 ? "the file shrank" : strerror(errno));
			goto out;
		}
		len += (size_t)k;
	}
	L.mem = buf;
	L.memlen = len;
	while ((got = ls_recfile_next(&L, &line, &n)) > 0) {
		if (L.torn) {
			/* its fsync never returned, so its number was never printed: not a gap */
			size_t good = len - n;

			if (L.line == 1) {
				rc = ls_error_set(err, LS_EDATA, nb->path, 1, 0,
				    "not a counter file (its first line should be '%s%d')", NUM_PREFIX,
				    NUM_VERSION);
				goto out;
			}
			if ((rc = ls_recfile_cut_torn(nb->fd, (off_t)good, n, nb->path, err)) != 0)
				goto out;
			len = good;
			break;
		}
		if (L.line == 1) {
			if ((rc = ls_recfile_head_check(line, n, NUM_PREFIX, NUM_VERSION,
			    "a doc-render counter file", nb->path, &ver, err)) != 0)
				goto out;
			continue;
		}
		if (n == 0 || line[0] == '#')
			continue;
		if ((rc = load_record(nb, line, n, L.line, err)) != 0)
			goto out;
	}
	if (got < 0)
		rc = ls_error_set(err, LS_ENOMEM, NULL, 0, 0, "out of memory");
	nb->end = (off_t)len;
out:
	ls_recfile_lines_free(&L);
	free(buf);
	return rc;
}

int
ls_numbers_peek(struct ls_numbers *nb, const struct ls_number_key *k, long long *number,
    int *issued, struct ls_error *err)
{
	size_t sn = strlen(k->seller), rn = strlen(k->series);
	int rc;

	*number = 0;
	*issued = 0;
	if (nb->failed.status != LS_OK) {
		/* every later lookup fails the same way rather than numbering from a half read */
		if (err)
			*err = nb->failed;
		return nb->failed.status;
	}
	if (nb->set == NULL && (rc = load(nb, &nb->failed)) != 0) {
		if (nb->failed.status == LS_OK)
			nb->failed.status = rc;
		if (err)
			*err = nb->failed;
		return rc;
	}
	if (make_key(nb, 'D', k->seller, sn, k->series, rn, k->year, k->deal, k->dealn) != 0)
		return ls_error_set(err, LS_ENOMEM, NULL, 0, 0, "out of memory");
	if ((*number = get_number(nb)) != 0) {
		*issued = 1;
		return 0;
	}
	if (make_key(nb, 'S', k->seller, sn, k->series, rn, k->year, NULL, 0) != 0)
		return ls_error_set(err, LS_ENOMEM, NULL, 0, 0, "out of memory");
	if ((*number = get_number(nb) + 1) > NUM_MAX)
		return ls_error_set(err, LS_EDATA, nb->path, 0, 0, "the series %s/%s/%d is full",
		    k->seller, k->series, k->year);
	return 0;
}

int
ls_numbers_take(struct ls_numbers *nb, const struct ls_number_key *k, const char *date,
    const char *when, long long *number, struct ls_error *err)
{
	char num[24], year[16];
	int issued, rc;

	if ((rc = ls_numbers_peek(nb, k, number, &issued, err)) != 0 || issued)
		return rc;
	snprintf(num, sizeof num, "%lld", *number);
	snprintf(year, sizeof year, "%d", k->year);
	nb->rec.n = 0;
	if ((nb->end == 0 && ls_buf_printf(&nb->rec, "%s%d\n%s\n", NUM_PREFIX, NUM_VERSION,
	    NUM_COLS) != 0) ||
	    ls_tsv_put_buf(&nb->rec, k->seller, strlen(k->seller)) || ls_buf_put(&nb->rec, "\t", 1) ||
	    ls_tsv_put_buf(&nb->rec, k->series, strlen(k->series)) || ls_buf_put(&nb->rec, "\t", 1) ||
	    ls_buf_puts(&nb->rec, year) || ls_buf_put(&nb->rec, "\t", 1) ||
	    ls_buf_puts(&nb->rec, num) || ls_buf_put(&nb->rec, "\t", 1) ||
	    ls_tsv_put_buf(&nb->rec, k->deal, k->dealn) || ls_buf_put(&nb->rec, "\t", 1) ||
	    ls_tsv_put_buf(&nb->rec, date, strlen(date)) || ls_buf_put(&nb->rec, "\t", 1) ||
	    ls_tsv_put_buf(&nb->rec, when, strlen(when)) || ls_buf_put(&nb->rec, "\n", 1))
		return ls_error_set(err, LS_ENOMEM, NULL, 0, 0, "out of memory");
	/* durable before the number is printed anywhere: a crash after this keeps it the deal's */
	if ((rc = ls_recfile_append(nb->fd, nb->end, nb->rec.p, nb->rec.n, nb->path, err)) != 0)
		return rc;
	if (nb->end == 0)
		ls_recfile_sync_dir(nb->path);
	nb->end += (off_t)nb->rec.n;
	/* the keys as peek left them: the series last, the deal before it */
	if (put_number(nb, *number) != 0 ||
	    make_key(nb, 'D', k->seller, strlen(k->seller), k->series, strlen(k->series), k->year,
	    k->deal, k->dealn) != 0 || put_number(nb, *number) != 0)
		return ls_error_set(err, LS_ENOMEM, NULL, 0, 0, "out of memory");
	return 0;
}

int
ls_number_format(const char *fmt, const char *series, int year, long long n, char *buf,
    size_t size, const char **why)
{
	/* into buf directly: no allocation, so a number cannot fail for memory */
	size_t at = 0;
	int nn = 0, bad = 0, over = 0;

	*why = NULL;
	for (const char *p = fmt; *p && !bad; p++) {
		char piece[64];
		const char *add = piece;
		int width = 0, k;

		if (*p != '%') {
			piece[0] = *p;
			piece[1] = '\0';
		} else {
			p++;
			if (*p >= '1' && *p <= '9')
				width = *p++ - '0';
			switch (*p) {
			case 'S': bad = width != 0; add = series; break;
			case 'Y': bad = width != 0; snprintf(piece, sizeof piece, "%04d", year); break;
			case 'y': bad = width != 0; snprintf(piece, sizeof piece, "%02d", year % 100); break;
			case 'N': nn++; snprintf(piece, sizeof piece, "%0*lld", width, n); break;
			case '%': bad = width != 0; piece[0] = '%'; piece[1] = '\0'; break;
			default: bad = 1; p--; break;
			}
			if (bad)
				break;
		}
		k = (int)strlen(add);
		if (at + (size_t)k + 1 > size)
			over = 1;
		else {
			memcpy(buf + at, add, (size_t)k);
			at += (size_t)k;
		}
	}
	if (bad)
		*why = "a % not followed by S, Y, y, N, a width and N, or %";
	else if (nn != 1)
		*why = "it must hold %N exactly once, or numbers would repeat";
	else if (over)
		*why = "the number it makes is too long";
	if (size > 0)
		buf[*why ? 0 : at] = '\0';
	return *why ? -1 : 0;
}
