/*
 * zone.c - time zones, first half: struct ls_tz of date.h (a zone opened
 * by name, local time to and from instants) over the lookups in a compiled
 * zone (zone.h: the span holding an instant).  Compiling TZ strings and
 * TZif files is zone_compile.c's; zone_int.h is what the two share.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "error.h"
#include "civil.h"
#include "date.h"
#include "zone_int.h"

/*
 * A zone is its compiled table (zone.h), read only after ls_tz_open():
 * every conversion is a pure function of it, callable from any thread.
 */
struct ls_tz {
	char *name;		/* as given; "" for the process zone */
	struct ls_zone *zone;	/* NULL: UTC */
};

static const char *
tzdir(void)
{
	const char *d = getenv("TZDIR");

	return d != NULL && d[0] != '\0' ? d : "/usr/share/zoneinfo";
}

/*
 * Whether name may name a zone file: a relative path with no "." at the
 * start of a part, so that "../../etc/passwd" or "/etc/shadow" are never
 * opened, from the characters of IANA names.
 */
static int
zone_name_ok(const char *name)
{
	const char *s;

	if (name[0] == '/' || name[0] == '\0' || strlen(name) > 255)
		return 0;
	for (s = name; *s != '\0'; s++) {
		if (!((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') ||
		    (*s >= '0' && *s <= '9') || strchr("/_-+.", *s) != NULL))
			return 0;
		if (*s == '.' && (s == name || s[-1] == '/'))
			return 0;
	}
	return 1;
}

/* The zone file name under $TZDIR, or NULL with LS_ECONFIG/LS_EIO/LS_EDATA/LS_ENOMEM in err. */
static struct ls_zone *
zone_file(const char *name, struct ls_error *err)
{
	char path[1024];

	if (!zone_name_ok(name) ||
	    snprintf(path, sizeof(path), "%s/%s", tzdir(), name) >= (int)sizeof(path)) {
		ls_error_set(err, LS_ECONFIG, NULL, 0, 0, "bad zone name");
		return NULL;
	}
	return ls_zone_load(path, err);
}

/*
 * The process's zone, as the C library reads TZ: unset, /etc/localtime;
 * empty, UTC; else, after an optional ':', a zone file (a name under
 * $TZDIR or an absolute path) or failing that a POSIX TZ string such as
 * "MSK-3".  A zone file that is not there or is no zone is UTC, as in the
 * C library; one that is there but cannot be read (an I/O error) is an
 * error: the times would be another zone's.  *z is NULL for UTC.  0, or
 * LS_ENOMEM or LS_EIO (then in err).
 */
static int
process_zone(struct ls_zone **z, struct ls_error *err)
{
	const char *v = getenv("TZ");
	struct ls_error e;

	*z = NULL;
	memset(&e, 0, sizeof(e));
	if (v == NULL)
		*z = ls_zone_load("/etc/localtime", &e);
	else {
		if (v[0] == ':')
			v++;
		if (v[0] == '\0')
			return 0;
		if (v[0] == '/')
			*z = ls_zone_load(v, &e);
		else if (zone_name_ok(v))
			*z = zone_file(v, &e);
		if (*z == NULL && e.status != LS_ENOMEM && e.status != LS_EIO)
			*z = ls_zone_posix(v, strlen(v), &e);
	}
	if (*z != NULL || (e.status != LS_ENOMEM && e.status != LS_EIO))
		return 0;
	if (err != NULL)
		*err = e;
	return e.status;
}

static char *
dupstr(const char *s)
{
	size_t n = strlen(s) + 1;
	char *r = malloc(n);

	if (r != NULL)
		memcpy(r, s, n);
	return r;
}

struct ls_tz *
ls_tz_open(const char *name, struct ls_error *err)
{
	struct ls_error e;
	struct ls_tz *tz;

	if (name == NULL)
		name = "";
	if ((tz = calloc(1, sizeof(*tz))) == NULL || (tz->name = dupstr(name)) == NULL)
		goto nomem;
	if (name[0] == '\0') {
		if (process_zone(&tz->zone, err) == 0)
			return tz;
		ls_tz_free(tz);
		return NULL;
	}
	if (strcmp(name, "UTC") == 0 || strcmp(name, "Etc/UTC") == 0)
		return tz;
	memset(&e, 0, sizeof(e));
	if ((tz->zone = zone_file(name, &e)) != NULL)
		return tz;
	if (e.status == LS_ENOMEM)
		goto nomem;
	ls_tz_free(tz);
	/* A file that cannot be read is an I/O error: the file and strerror. */
	if (e.status == LS_EIO) {
		if (err != NULL)
			*err = e;
		return NULL;
	}
	/* A file that is there but broken says why; anything else is unknown. */
	if (e.status == LS_EDATA)
		ls_error_set(err, LS_ECONFIG, NULL, 0, 0,
		    "unknown time zone '%s' (%s)", name, e.msg);
	else
		ls_error_set(err, LS_ECONFIG, NULL, 0, 0,
		    "unknown time zone '%s'", name);
	return NULL;
nomem:
	ls_tz_free(tz);
	ls_error_set(err, LS_ENOMEM, NULL, 0, 0, "out of memory");
	return NULL;
}

void
ls_tz_free(struct ls_tz *tz)
{
	if (tz == NULL)
		return;
	ls_zone_free(tz->zone);
	free(tz->name);
	free(tz);
}

const char *
ls_tz_name(const struct ls_tz *tz)
{
	return tz == NULL ? "UTC" : tz->name;
}

/* Fill tm from local seconds L (seconds since 1970 as if the zone were UTC). */
static void
fill_tm(int64_t L, int isdst, struct tm *tm)
{
	struct ls_date d;
	int64_t days = ls_floordiv(L, 86400), s = L - days * 86400;
	int yday;

	/* Callers keep L within a day of the supported range. */
	if (days >= LS_CIVIL_DAYS_MIN && days <= LS_CIVIL_DAYS_MAX)
		ls_civil_date(days, &d, &yday);
	else {
		d.year = days < 0 ? 0 : 10000;
		d.month = days < 0 ? 12 : 1;
		d.day = days < 0 ? 31 : 1;
		yday = days < 0 ? 365 : 0;	/* year 0 was leap */
	}
	memset(tm, 0, sizeof(*tm));
	tm->tm_year = d.year - 1900;
	tm->tm_mon = d.month - 1;
	tm->tm_mday = d.day;
	tm->tm_hour = (int)(s / 3600);
	tm->tm_min = (int)(s / 60 % 60);
	tm->tm_sec = (int)(s % 60);
	tm->tm_wday = (int)ls_civil_weekday(days);
	tm->tm_yday = yday;
	tm->tm_isdst = isdst;
}

/* Offset and DST flag at t. */
int
ls_tz_at(const struct ls_tz *tz, int64_t t, long *off, int *isdst)
{
	struct ls_zone_span sp;

	if (t < LS_CIVIL_TIME_MIN || t > LS_CIVIL_TIME_MAX)
		return LS_EDATA;
	if (tz == NULL || tz->zone == NULL) {
		*off = 0;
		*isdst = 0;
		return 0;
	}
	ls_zone_span(tz->zone, t, &sp);
	*off = sp.off;
	*isdst = sp.isdst;
	return 0;
}

int
ls_tz_day(const struct ls_tz *tz, int64_t t, int64_t *dn, int64_t *lo, int64_t *hi)
{
	struct ls_zone_span sp = { INT64_MIN, INT64_MAX, 0, 0 };
	int64_t L, s;

	if (t < LS_CIVIL_TIME_MIN || t > LS_CIVIL_TIME_MAX)
		return LS_EDATA;
	if (tz != NULL && tz->zone != NULL)
		ls_zone_span(tz->zone, t, &sp);
	L = t + sp.off;
	*dn = ls_floordiv(L, 86400);
	s = L - *dn * 86400;	/* seconds since the local midnight */
	*lo = t - s;
	*hi = t - s + 86400;
	/* the offset holds over the span only, and the answer over date.h's range only */
	if (*lo < sp.start)
		*lo = sp.start;
	if (*hi > sp.end)
		*hi = sp.end;
	if (*lo < LS_CIVIL_TIME_MIN)
		*lo = LS_CIVIL_TIME_MIN;
	if (*hi > LS_CIVIL_TIME_MAX + 1)
		*hi = LS_CIVIL_TIME_MAX + 1;
	return 0;
}

int
ls_tz_offset(const struct ls_tz *tz, int64_t t, long *off)
{
	int isdst;

	return ls_tz_at(tz, t, off, &isdst);
}

int
ls_tz_local(const struct ls_tz *tz, int64_t t, struct tm *tm)
{
	long off;
	int isdst, rc;

	if ((rc = ls_tz_at(tz, t, &off, &isdst)) != 0)
		return rc;
	fill_tm(t + off, isdst, tm);
	return 0;
}

/*
 * The instant of local seconds L.  Each span of one offset o that could
 * hold it (those within the largest offset of L) is tried in time order:
 * L - o is a solution when it falls in its span.  The first is the
 * earliest, so a repeated time is the earlier.  With none, L was skipped
 * by a change: the offset in force before it moves L forward by the gap.
 */
int
ls_tz_utc(const struct ls_tz *tz, int64_t L, int64_t *t)
{
	struct ls_zone_span sp, nx;
	int64_t c, r = 0;
	int found = 0, gap = 0;

	if (L < LS_CIVIL_TIME_MIN - 86400 || L > LS_CIVIL_TIME_MAX + 86400)
		return LS_EDATA;
	if (tz == NULL || tz->zone == NULL) {
		*t = L;
		return L < LS_CIVIL_TIME_MIN || L > LS_CIVIL_TIME_MAX ? LS_EDATA : 0;
	}
	ls_zone_span(tz->zone, L - LS_ZONE_MAXOFF, &sp);
	for (;;) {
		c = L - sp.off;
		if (c >= sp.start && c < sp.end) {
			r = c;
			found = 1;
			break;
		}
		if (sp.end == INT64_MAX || sp.end > L + LS_ZONE_MAXOFF)
			break;
		ls_zone_span(tz->zone, sp.end, &nx);
		if (!gap && c >= sp.end && L - nx.off < nx.start) {
			r = c;
			gap = 1;
		}
		sp = nx;
	}
	if (!found && !gap)
		r = L - sp.off;		/* unreachable for a zone whose spans tile time */
	*t = r;
	return r < LS_CIVIL_TIME_MIN || r > LS_CIVIL_TIME_MAX ? LS_EDATA : 0;
}

int
ls_tz_mktime(const struct ls_tz *tz, struct tm *tm, int64_t *t)
{
	int64_t y, L, r;
	int rc;

	/* Bound every field so that the arithmetic below cannot overflow. */
	if (tm->tm_year < -3000 || tm->tm_year > 10000 ||
	    tm->tm_mon < -120000 || tm->tm_mon > 120000 ||
	    tm->tm_mday < -4000000 || tm->tm_mday > 4000000 ||
	    tm->tm_hour < -100000000 || tm->tm_hour > 100000000 ||
	    tm->tm_min < -1000000000 || tm->tm_min > 1000000000)
		return LS_EDATA;
	y = (int64_t)tm->tm_year + 1900 + ls_floordiv(tm->tm_mon, 12);
	L = ls_civil_days(y, (int)ls_floormod(tm->tm_mon, 12) + 1, tm->tm_mday) *
	    86400 + (int64_t)tm->tm_hour * 3600 + (int64_t)tm->tm_min * 60 +
	    tm->tm_sec;
	if ((rc = ls_tz_utc(tz, L, &r)) != 0)
		return rc;
	if ((rc = ls_tz_local(tz, r, tm)) != 0)
		return rc;
	*t = r;
	return 0;
}

int
ls_tz_date(const struct ls_tz *tz, int64_t t, struct ls_date *d)
{
	struct tm tm;
	int rc;

	if ((rc = ls_tz_local(tz, t, &tm)) != 0)
		return rc;
	d->year = tm.tm_year + 1900;
	d->month = tm.tm_mon + 1;
	d->day = tm.tm_mday;
	return 0;
}

int
ls_tz_midnight(const struct ls_tz *tz, const struct ls_date *d, int64_t *t)
{
	return ls_tz_utc(tz, ls_date_to_days(d) * 86400, t);
}

/* Lookups in a compiled zone. */

/* The year (UTC) holding t; |t| <= RULE_T_MAX. */
static int64_t
year_of(int64_t t)
{
	int64_t y;
	int m, d, yday;

	ls_civil_from_days(ls_floordiv(t, 86400), &y, &m, &d, &yday);
	return y;
}

/* Days since 1970 of the day w names in year y. */
static int64_t
when_day(const struct ls_zone_when *w, int64_t y)
{
	int64_t first, d;
	int dim, wd;

	switch (w->kind) {
	case 'J':
		return ls_civil_days(y, 1, 1) + w->day - 1 + (ls_civil_leap(y) && w->day >= 60);
	case 'n':
		return ls_civil_days(y, 1, 1) + w->day;
	default:
		first = ls_civil_days(y, w->day, 1);
		dim = ls_civil_mdays(y, w->day);
		wd = ls_civil_weekday(first);
		d = first + (w->wday - wd + 7) % 7 + 7 * (w->week - 1);
		while (d >= first + dim)
			d -= 7;
		return d;
	}
}

/*
 * The span of t under rule r alone.  The changes of five years around t's
 * are ordered (a change's local day and time may put it in the year before
 * or after its own); the last one at or before t decides.  At a tie the
 * start of DST wins, so that "DST from 1 January 00:00 to 31 December
 * 25:00" is DST all year, as RFC 8536 means it.
 */
void
ls_zone_rule_span(const struct ls_zone_rule *r, int64_t t, struct ls_zone_span *sp)
{
	struct { int64_t at; int start; } ev[10], tmp;
	int64_t y, tc = t;
	int i, j, k = 0, last = -1;

	/* Far instants keep the state at the edge, so that spans still tile time. */
	if (tc > RULE_T_MAX)
		tc = RULE_T_MAX;
	if (tc < -RULE_T_MAX)
		tc = -RULE_T_MAX;

	sp->start = INT64_MIN;
	sp->end = INT64_MAX;
	sp->off = r->std_off;
	sp->isdst = 0;
	if (!r->has_dst)
		return;
	y = year_of(tc);
	for (i = -2; i <= 2; i++) {
		ev[k].at = when_day(&r->start, y + i) * 86400 + r->start.secs - r->std_off;
		ev[k++].start = 1;
		ev[k].at = when_day(&r->end, y + i) * 86400 + r->end.secs - r->dst_off;
		ev[k++].start = 0;
	}
	for (i = 1; i < k; i++)
		for (j = i; j > 0 && (ev[j - 1].at > ev[j].at ||
		    (ev[j - 1].at == ev[j].at && ev[j - 1].start > ev[j].start)); j--) {
			tmp = ev[j];
			ev[j] = ev[j - 1];
			ev[j - 1] = tmp;
		}
	for (i = 0; i < k; i++)
		if (ev[i].at <= tc)
			last = i;
	if (last >= 0) {
		sp->start = ev[last].at;
		if (ev[last].start) {
			sp->off = r->dst_off;
			sp->isdst = 1;
		}
	} else if (ev[0].start == 0) {
		/* Only a rule whose changes all fall far from their year lands here. */
		sp->off = r->dst_off;
		sp->isdst = 1;
	}
	for (i = 0; i < k; i++)
		if (ev[i].at > tc) {
			sp->end = ev[i].at;
			break;
		}
	if (sp->start < -RULE_T_MAX)
		sp->start = -RULE_T_MAX;
	if (sp->end > RULE_T_MAX)
		sp->end = RULE_T_MAX;
	if (tc == RULE_T_MAX) {
		sp->start = RULE_T_MAX;
		sp->end = INT64_MAX;
	} else if (t < -RULE_T_MAX) {
		sp->start = INT64_MIN;
		sp->end = -RULE_T_MAX;
	}
}

/* Index of the last entry of at[0..n) at or before t, or -1. */
static long
search(const int64_t *at, size_t n, int64_t t)
{
	size_t lo = 0, hi = n, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (at[mid] <= t)
			lo = mid + 1;
		else
			hi = mid;
	}
	return (long)lo - 1;
}

void
ls_zone_span(const struct ls_zone *z, int64_t t, struct ls_zone_span *sp)
{
	long i;

	if (!z->has_rule || t < z->rule_from) {
		i = search(z->at, z->n, t);
		if (i < 0) {
			sp->start = INT64_MIN;
			sp->off = z->off0;
			sp->isdst = z->dst0;
		} else {
			sp->start = z->at[i];
			sp->off = z->off[i];
			sp->isdst = z->dst[i];
		}
		sp->end = (size_t)(i + 1) < z->n ? z->at[i + 1] : INT64_MAX;
		if (z->has_rule && sp->end > z->rule_from)
			sp->end = z->rule_from;
		return;
	}
	if (z->next > 0 && t >= z->ext_lo && t < z->ext_hi) {
		i = search(z->ext_at, z->next, t);
		sp->start = z->ext_at[i];
		sp->off = z->ext_off[i];
		sp->isdst = z->ext_dst[i];
		sp->end = (size_t)(i + 1) < z->next ? z->ext_at[i + 1] : z->ext_hi;
		return;
	}
	ls_zone_rule_span(&z->rule, t, sp);
	if (sp->start < z->rule_from)
		sp->start = z->rule_from;
	if (z->next > 0) {
		if (t < z->ext_lo && sp->end > z->ext_lo)
			sp->end = z->ext_lo;
		if (t >= z->ext_hi && sp->start < z->ext_hi)
			sp->start = z->ext_hi;
	}
}

void
ls_zone_free(struct ls_zone *z)
{
	if (z == NULL)
		return;
	free(z->at);
	free(z->off);
	free(z->dst);
	free(z->ext_at);
	free(z->ext_off);
	free(z->ext_dst);
	free(z);
}
