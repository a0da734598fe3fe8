/*
 * zone_compile.c - time zones, second half: TZif files (RFC 8536) and POSIX
 * TZ strings compiled into the lookup tables of zone_int.h, the rule's
 * changes worked out once for the years the tools see.  Files are
 * untrusted: every count is checked against the size and capped.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "civil.h"
#include "zone_int.h"

/* Caps that keep a hostile file's counts from asking for absurd memory. */
#define MAX_TIMES	(1u << 20)
#define MAX_TYPES	256u
#define MAX_CHARS	(1u << 16)
#define MAX_FILE	(1 << 20)

/* Tabulate the rule's spans over [ext_lo, ext_hi), merging spans that do not differ. */
static int
extend(struct ls_zone *z)
{
	struct ls_zone_span sp;
	size_t cap = 0;
	int64_t t;
	void *p;

	z->ext_lo = ls_civil_days(EXT_FROM_YEAR, 1, 1) * 86400;
	z->ext_hi = ls_civil_days(EXT_TO_YEAR, 1, 1) * 86400;
	if (z->rule_from > z->ext_lo)
		z->ext_lo = z->rule_from;
	for (t = z->ext_lo; t < z->ext_hi; t = sp.end) {
		ls_zone_rule_span(&z->rule, t, &sp);
		if (z->next > 0 && z->ext_off[z->next - 1] == sp.off &&
		    z->ext_dst[z->next - 1] == sp.isdst)
			continue;
		if (z->next == cap) {
			cap = cap ? cap * 2 : 64;
			if ((p = realloc(z->ext_at, cap * sizeof(*z->ext_at))) == NULL)
				return LS_ENOMEM;
			z->ext_at = p;
			if ((p = realloc(z->ext_off, cap * sizeof(*z->ext_off))) == NULL)
				return LS_ENOMEM;
			z->ext_off = p;
			if ((p = realloc(z->ext_dst, cap)) == NULL)
				return LS_ENOMEM;
			z->ext_dst = p;
		}
		z->ext_at[z->next] = t;
		z->ext_off[z->next] = (int32_t)sp.off;
		z->ext_dst[z->next] = (unsigned char)sp.isdst;
		z->next++;
	}
	return 0;
}

/* POSIX TZ strings. */

struct scan {
	const char *p, *end;
	const char *why;
};

/* Up to max digits (at least one) as a number, or -1. */
static long
number(struct scan *s, int max)
{
	long v = 0;
	int k = 0;

	while (s->p < s->end && *s->p >= '0' && *s->p <= '9' && k < max) {
		v = v * 10 + (*s->p++ - '0');
		k++;
	}
	return k == 0 ? -1 : v;
}

static int
scan_name(struct scan *s)
{
	const char *b = s->p;

	if (s->p < s->end && *s->p == '<') {
		for (b = ++s->p; s->p < s->end && *s->p != '>'; s->p++)
			if (!((*s->p >= 'A' && *s->p <= 'Z') || (*s->p >= 'a' && *s->p <= 'z') ||
			    (*s->p >= '0' && *s->p <= '9') || *s->p == '+' || *s->p == '-')) {
				s->why = "bad character in a <quoted> zone name";
				return -1;
			}
		if (s->p == s->end) {
			s->why = "unterminated <quoted> zone name";
			return -1;
		}
		if (s->p++ - b < 3) {
			s->why = "zone name shorter than 3 characters";
			return -1;
		}
		return 0;
	}
	while (s->p < s->end && ((*s->p >= 'A' && *s->p <= 'Z') || (*s->p >= 'a' && *s->p <= 'z')))
		s->p++;
	if (s->p - b < 3) {
		s->why = "expected a zone name of 3 letters or more";
		return -1;
	}
	return 0;
}

/* [+-]hh[:mm[:ss]] with hh up to maxh, as signed seconds; 0 or -1. */
static int
hms(struct scan *s, long maxh, long *secs, const char *what)
{
	long h, m = 0, sec = 0, sign = 1;

	if (s->p < s->end && (*s->p == '+' || *s->p == '-'))
		sign = *s->p++ == '-' ? -1 : 1;
	if ((h = number(s, maxh > 99 ? 3 : 2)) < 0 || h > maxh)
		goto bad;
	if (s->p < s->end && *s->p == ':') {
		s->p++;
		if ((m = number(s, 2)) < 0 || m > 59)
			goto bad;
		if (s->p < s->end && *s->p == ':') {
			s->p++;
			if ((sec = number(s, 2)) < 0 || sec > 59)
				goto bad;
		}
	}
	*secs = sign * (h * 3600 + m * 60 + sec);
	return 0;
bad:
	s->why = what;
	return -1;
}

static int
when(struct scan *s, struct ls_zone_when *w)
{
	long v;

	memset(w, 0, sizeof(*w));
	if (s->p < s->end && *s->p == 'M') {
		s->p++;
		w->kind = 'M';
		if ((v = number(s, 2)) < 1 || v > 12 || s->p == s->end || *s->p++ != '.')
			goto bad;
		w->day = (int)v;
		if ((v = number(s, 1)) < 1 || v > 5 || s->p == s->end || *s->p++ != '.')
			goto bad;
		w->week = (int)v;
		if ((v = number(s, 1)) < 0 || v > 6)
			goto bad;
		w->wday = (int)v;
	} else if (s->p < s->end && *s->p == 'J') {
		s->p++;
		w->kind = 'J';
		if ((v = number(s, 3)) < 1 || v > 365)
			goto bad;
		w->day = (int)v;
	} else {
		w->kind = 'n';
		if ((v = number(s, 3)) < 0 || v > 365)
			goto bad;
		w->day = (int)v;
	}
	w->secs = 7200;
	if (s->p < s->end && *s->p == '/') {
		s->p++;
		return hms(s, 167, &w->secs, "bad time of the change (expected [+-]hh[:mm[:ss]], hh up to 167)");
	}
	return 0;
bad:
	s->why = "bad date of the change (expected Jn, n or Mm.w.d)";
	return -1;
}

int
ls_zone_rule_parse(const char *str, size_t n, struct ls_zone_rule *r,
    struct ls_error *err)
{
	struct scan s = { str, str + n, NULL };
	struct ls_zone_rule z;
	long w;

	memset(&z, 0, sizeof(z));
	if (scan_name(&s) != 0)
		goto bad;
	if (hms(&s, 24, &w, "bad UTC offset (expected [+-]hh[:mm[:ss]], hh up to 24)") != 0)
		goto bad;
	z.std_off = -w;
	if (s.p < s.end) {
		if (scan_name(&s) != 0)
			goto bad;
		z.has_dst = 1;
		z.dst_off = z.std_off + 3600;
		if (s.p < s.end && *s.p != ',') {
			if (hms(&s, 24, &w, "bad DST offset (expected [+-]hh[:mm[:ss]], hh up to 24)") != 0)
				goto bad;
			z.dst_off = -w;
		}
		if (s.p == s.end) {
			/* No rule: POSIX leaves it to the system; the US one is the usual choice. */
			z.start = (struct ls_zone_when){ 'M', 3, 2, 0, 7200 };
			z.end = (struct ls_zone_when){ 'M', 11, 1, 0, 7200 };
		} else {
			if (*s.p++ != ',') {
				s.why = "unexpected text after the rule";
				goto bad;
			}
			if (when(&s, &z.start) != 0)
				goto bad;
			if (s.p == s.end || *s.p++ != ',') {
				s.why = "expected ',' and the end of DST";
				goto bad;
			}
			if (when(&s, &z.end) != 0)
				goto bad;
		}
	}
	if (s.p != s.end) {
		s.why = "unexpected text after the rule";
		goto bad;
	}
	*r = z;
	return 0;
bad:
	return ls_error_set(err, LS_EDATA, NULL, 0, 0, "bad TZ string '%.*s': %s",
	    (int)(n > 60 ? 60 : n), str, s.why);
}

static struct ls_zone *
from_rule(const struct ls_zone_rule *r, int64_t from, struct ls_zone *z,
    struct ls_error *err)
{
	z->has_rule = 1;
	z->rule = *r;
	z->rule_from = from;
	if (extend(z) != 0) {
		ls_zone_free(z);
		ls_error_set(err, LS_ENOMEM, NULL, 0, 0, "out of memory");
		return NULL;
	}
	return z;
}

struct ls_zone *
ls_zone_posix(const char *s, size_t n, struct ls_error *err)
{
	struct ls_zone_rule r;
	struct ls_zone *z;

	if (ls_zone_rule_parse(s, n, &r, err) != 0)
		return NULL;
	if ((z = calloc(1, sizeof(*z))) == NULL) {
		ls_error_set(err, LS_ENOMEM, NULL, 0, 0, "out of memory");
		return NULL;
	}
	z->off0 = r.std_off;
	return from_rule(&r, INT64_MIN, z, err);
}

/* TZif. */

struct header {
	int version;		/* 0 for version 1, else the byte ('2', '3', '4') */
	uint32_t isutcnt, isstdcnt, leapcnt, timecnt, typecnt, charcnt;
};

static uint32_t
be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static int64_t
be64(const unsigned char *p)
{
	uint64_t v = (uint64_t)be32(p) << 32 | be32(p + 4);

	/* Two's complement without relying on a conversion the standard leaves open. */
	return v <= INT64_MAX ? (int64_t)v : -(int64_t)(~v) - 1;
}

static int64_t
s32(const unsigned char *p)
{
	uint32_t v = be32(p);

	return v <= INT32_MAX ? (int64_t)v : (int64_t)v - INT64_C(4294967296);
}

static const char *
read_header(const unsigned char *p, size_t left, struct header *h)
{
	if (left < 44)
		return "truncated header";
	if (memcmp(p, "TZif", 4) != 0)
		return "not a TZif file";
	if (p[4] != 0 && (p[4] < '2' || p[4] > '9'))
		return "unknown TZif version";
	h->version = p[4];
	h->isutcnt = be32(p + 20);
	h->isstdcnt = be32(p + 24);
	h->leapcnt = be32(p + 28);
	h->timecnt = be32(p + 32);
	h->typecnt = be32(p + 36);
	h->charcnt = be32(p + 40);
	if (h->typecnt == 0 || h->typecnt > MAX_TYPES)
		return "bad count of local time types";
	if (h->charcnt == 0 || h->charcnt > MAX_CHARS)
		return "bad count of designation characters";
	if (h->timecnt > MAX_TIMES)
		return "too many transitions";
	if (h->leapcnt > MAX_TIMES)
		return "too many leap second records";
	if ((h->isutcnt != 0 && h->isutcnt != h->typecnt) ||
	    (h->isstdcnt != 0 && h->isstdcnt != h->typecnt))
		return "bad count of standard/UT indicators";
	return NULL;
}

/* Bytes of the data block after header h, with times of tsize bytes. */
static uint64_t
block_size(const struct header *h, int tsize)
{
	return (uint64_t)h->timecnt * (uint64_t)(tsize + 1) + (uint64_t)h->typecnt * 6 +
	    h->charcnt + (uint64_t)h->leapcnt * (uint64_t)(tsize + 4) + h->isstdcnt +
	    h->isutcnt;
}

static const char *
read_block(const unsigned char *p, const struct header *h, int tsize,
    struct ls_zone *z)
{
	const unsigned char *idx = p + (size_t)h->timecnt * (size_t)tsize;
	const unsigned char *tt = idx + h->timecnt, *ind;
	int32_t type_off[MAX_TYPES];
	unsigned char type_dst[MAX_TYPES];
	uint32_t i;

	if (h->leapcnt != 0)
		return "leap second records (a right/ zone): instants here count no leap seconds";
	for (i = 0; i < h->typecnt; i++, tt += 6) {
		int64_t o = s32(tt);

		if (o < -LS_ZONE_MAXOFF || o > LS_ZONE_MAXOFF)
			return "UT offset out of range";
		if (tt[4] > 1)
			return "bad DST flag";
		if (tt[5] >= h->charcnt)
			return "designation index out of range";
		type_off[i] = (int32_t)o;
		type_dst[i] = tt[4];
	}
	ind = tt + h->charcnt;
	for (i = 0; i < h->isstdcnt + h->isutcnt; i++)
		if (ind[i] > 1)
			return "bad standard/UT indicator";
	z->n = h->timecnt;
	if (z->n > 0) {
		z->at = malloc(z->n * sizeof(*z->at));
		z->off = malloc(z->n * sizeof(*z->off));
		z->dst = malloc(z->n);
		if (z->at == NULL || z->off == NULL || z->dst == NULL)
			return "";
	}
	for (i = 0; i < h->timecnt; i++) {
		z->at[i] = tsize == 8 ? be64(p + (size_t)i * 8) : s32(p + (size_t)i * 4);
		if (i > 0 && z->at[i] <= z->at[i - 1])
			return "transition times out of order";
		if (idx[i] >= h->typecnt)
			return "transition type index out of range";
		z->off[i] = type_off[idx[i]];
		z->dst[i] = type_dst[idx[i]];
	}
	z->off0 = type_off[0];
	z->dst0 = type_dst[0];
	return NULL;
}

struct ls_zone *
ls_zone_tzif(const void *data, size_t n, struct ls_error *err)
{
	const unsigned char *p = data, *end = p + n, *nl;
	struct ls_zone_rule r;
	struct ls_zone *z;
	struct header h;
	const char *why;
	uint64_t size;
	int tsize = 4;

	if ((z = calloc(1, sizeof(*z))) == NULL)
		goto nomem;
	if ((why = read_header(p, n, &h)) != NULL)
		goto bad;
	size = block_size(&h, 4);
	if (size > (uint64_t)(end - p) - 44) {
		why = "truncated data (counts larger than the file)";
		goto bad;
	}
	if (h.version != 0) {
		/* Version 2 and later repeat the data with 64-bit times; only those are read. */
		p += 44 + size;
		if ((why = read_header(p, (size_t)(end - p), &h)) != NULL)
			goto bad;
		if (h.version == 0) {
			why = "second header is version 1";
			goto bad;
		}
		tsize = 8;
		size = block_size(&h, 8);
		if (size > (uint64_t)(end - p) - 44) {
			why = "truncated 64-bit data (counts larger than the file)";
			goto bad;
		}
	}
	if ((why = read_block(p + 44, &h, tsize, z)) != NULL) {
		if (why[0] == '\0')
			goto nomem;
		goto bad;
	}
	if (h.version == 0)
		return z;
	p += 44 + size;
	if (p == end || *p != '\n' ||
	    (nl = memchr(p + 1, '\n', (size_t)(end - p - 1))) == NULL) {
		why = "missing or unterminated TZ string footer";
		goto bad;
	}
	if (nl == p + 1)
		return z;	/* an empty footer: the last type holds for ever */
	if (ls_zone_rule_parse((const char *)p + 1, (size_t)(nl - p - 1), &r, err) != 0) {
		ls_zone_free(z);
		return NULL;
	}
	if (z->n > 0 && z->at[z->n - 1] == INT64_MAX)
		return z;	/* no instant follows the last transition */
	return from_rule(&r, z->n > 0 ? z->at[z->n - 1] + 1 : INT64_MIN, z, err);
bad:
	ls_zone_free(z);
	ls_error_set(err, LS_EDATA, NULL, 0, 0, "%s%s",
	    strcmp(why, "not a TZif file") == 0 ? "" : "bad TZif data: ", why);
	return NULL;
nomem:
	ls_zone_free(z);
	ls_error_set(err, LS_ENOMEM, NULL, 0, 0, "out of memory");
	return NULL;
}

struct ls_zone *
ls_zone_load(const char *path, struct ls_error *err)
{
	unsigned char *buf;
	struct ls_zone *z;
	size_t n;
	FILE *fp;

	if ((fp = fopen(path, "rb")) == NULL) {
		if (errno == ENOENT || errno == ENOTDIR) {
			ls_error_set(err, LS_ECONFIG, path, 0, 0, "no such zone file");
			return NULL;
		}
		goto ioerr;
	}
	if ((buf = malloc(MAX_FILE + 1)) == NULL) {
		fclose(fp);
		ls_error_set(err, LS_ENOMEM, NULL, 0, 0, "out of memory");
		return NULL;
	}
	n = fread(buf, 1, MAX_FILE + 1, fp);
	if (ferror(fp)) {
		free(buf);
		fclose(fp);
		goto ioerr;
	}
	fclose(fp);
	if (n > MAX_FILE) {
		free(buf);
		ls_error_set(err, LS_EDATA, NULL, 0, 0, "bad TZif data: file larger than 1 MiB");
		return NULL;
	}
	z = ls_zone_tzif(buf, n, err);
	free(buf);
	return z;
ioerr:
	ls_error_set(err, LS_EIO, path, 0, 0, "cannot read the zone file: %s", strerror(errno));
	return NULL;
}
