/* date.c - dates, RFC 3339 timestamps, zones, periods, durations; see date.h. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "error.h"
#include "civil.h"
#include "date.h"
#include "zone.h"

/* 0001-01-01T00:00:00Z and 9999-12-31T23:59:59Z. */
#define TIME_MIN	INT64_C(-62135596800)
#define TIME_MAX	INT64_C(253402300799)
#define DAYS_MIN	INT64_C(-719162)
#define DAYS_MAX	INT64_C(2932896)

#define SHOW	40

static int64_t
floormod(int64_t a, int64_t b)
{
	return a - ls_floordiv(a, b) * b;
}

int
ls_is_leap(int year)
{
	return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

int
ls_days_in_month(int year, int month)
{
	if (month < 1 || month > 12)
		return 0;
	if (month == 2 && ls_is_leap(year))
		return 29;
	return ls_cumdays(month + 1) - ls_cumdays(month);
}

int
ls_date_valid(const struct ls_date *d)
{
	return d->year >= 1 && d->year <= 9999 && d->month >= 1 &&
	    d->month <= 12 && d->day >= 1 &&
	    d->day <= ls_days_in_month(d->year, d->month);
}

/*
 * Days since 1970-01-01 of y-m-d (m 1..12; d may run past the month), the
 * inverse of ls_civil_from_days(): years counted from 1 March, so the
 * leap day is the last of its year, in cycles of 400 years.
 */
static int64_t
civil_days(int64_t y, int m, int64_t d)
{
	int64_t era, yoe, doy;

	y -= m <= 2;
	era = ls_floordiv(y, 400);
	yoe = y - era * 400;
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	return era * 146097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719468;
}

int64_t
ls_date_to_days(const struct ls_date *d)
{
	/* Carry months too, so that a bad month is never an index out of the table. */
	int64_t m = (int64_t)d->month - 1;

	return civil_days(d->year + ls_floordiv(m, 12), (int)floormod(m, 12) + 1,
	    d->day);
}

/* ls_civil_from_days() into a struct ls_date: days within DAYS_MIN..DAYS_MAX. */
static void
civil_from_days(int64_t days, struct ls_date *d, int *yday)
{
	int64_t y;

	ls_civil_from_days(days, &y, &d->month, &d->day, yday);
	d->year = (int)y;
}

int
ls_date_from_days(int64_t days, struct ls_date *d)
{
	int yday;

	if (days < DAYS_MIN || days > DAYS_MAX)
		return LS_EDATA;
	civil_from_days(days, d, &yday);
	return 0;
}

int
ls_date_weekday(const struct ls_date *d)
{
	/* 1970-01-01 was a Thursday. */
	return (int)floormod(ls_date_to_days(d) + 4, 7);
}

static int
digits(const char *p, int n)
{
	int v = 0, i;

	for (i = 0; i < n; i++) {
		if (p[i] < '0' || p[i] > '9')
			return -1;
		v = v * 10 + (p[i] - '0');
	}
	return v;
}

/* The Russian spelling DD.MM.YYYY at p (10 bytes available)? */
static int
is_ru_date(const char *p)
{
	return p[2] == '.' && p[5] == '.';
}

/*
 * "YYYY-MM-DD", or the Russian (Excel, 1C) "DD.MM.YYYY", at p (10 bytes
 * available): 0, or a static reason.
 */
static const char *
scan_date(const char *p, struct ls_date *d)
{
	struct ls_date t;

	if (is_ru_date(p)) {
		t.day = digits(p, 2);
		t.month = digits(p + 3, 2);
		t.year = digits(p + 6, 4);
	} else {
		if (p[4] != '-' || p[7] != '-')
			return "expected YYYY-MM-DD";
		t.year = digits(p, 4);
		t.month = digits(p + 5, 2);
		t.day = digits(p + 8, 2);
	}
	if (t.year < 0 || t.month < 0 || t.day < 0)
		return "expected YYYY-MM-DD";
	if (t.year < 1)
		return "year out of range";
	if (t.month < 1 || t.month > 12)
		return "month out of range";
	if (t.day < 1 || t.day > ls_days_in_month(t.year, t.month))
		return "day out of range";
	*d = t;
	return NULL;
}

int
ls_date_parse(const char *p, size_t n, struct ls_date *d, struct ls_error *err)
{
	const char *why = "expected YYYY-MM-DD";

	if (n == 10 && (why = scan_date(p, d)) == NULL)
		return 0;
	return ls_error_set(err, LS_EDATA, NULL, 0, 0, "bad date '%.*s'%s: %s",
	    (int)(n > SHOW ? SHOW : n), p, n > SHOW ? "..." : "", why);
}

static int
word(const char *p, size_t n, const char *w)
{
	return n == strlen(w) && memcmp(p, w, n) == 0;
}

int
ls_date_parse_rel(const char *p, size_t n, const struct ls_tz *tz, int64_t now,
    struct ls_date *d, struct ls_error *err)
{
	struct ls_date today;
	int64_t delta = 0;
	size_t i;
	int rc;

	if (n == 10 && (p[4] == '-' || is_ru_date(p)))
		return ls_date_parse(p, n, d, err);
	if (word(p, n, "today"))
		delta = 0;
	else if (word(p, n, "yesterday"))
		delta = -1;
	else if (word(p, n, "tomorrow"))
		delta = 1;
	else if (n >= 3 && n <= 8 && (p[0] == '-' || p[0] == '+') &&
	    p[n - 1] == 'd') {
		for (i = 1; i < n - 1; i++) {
			if (p[i] < '0' || p[i] > '9')
				break;
			delta = delta * 10 + (p[i] - '0');
		}
		if (i != n - 1)
			goto bad;
		if (p[0] == '-')
			delta = -delta;
	} else
		goto bad;
	if ((rc = ls_tz_date(tz, now, &today)) != 0)
		return ls_error_set(err, rc, NULL, 0, 0, "current time out of range");
	if (ls_date_from_days(ls_date_to_days(&today) + delta, d) != 0)
		return ls_error_set(err, LS_EDATA, NULL, 0, 0,
		    "date '%.*s' out of range", (int)n, p);
	return 0;
bad:
	return ls_error_set(err, LS_EDATA, NULL, 0, 0,
	    "bad date '%.*s'%s: expected YYYY-MM-DD, today, yesterday, tomorrow or -Nd",
	    (int)(n > SHOW ? SHOW : n), p, n > SHOW ? "..." : "");
}

static const char pairs[201] =
    "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
    "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
    "8081828384858687888990919293949596979899";

/* v (0..99) as two digits: one copy from the table, no division */
static inline void
put2(char *b, int v)
{
	memcpy(b, pairs + 2 * v, 2);
}

/* v (0..9999) as four digits */
static inline void
put4(char *b, int v)
{
	put2(b, v / 100);
	put2(b + 2, v % 100);
}

int
ls_date_format(const struct ls_date *d, char *buf, size_t size)
{
	if (size > 0)
		buf[0] = '\0';
	if (size < LS_DATE_BUFSZ || d->year < 1 || d->year > 9999 ||
	    d->month < 1 || d->month > 12 || d->day < 1 || d->day > 31)
		return LS_EUSAGE;
	put4(buf, d->year);
	buf[4] = '-';
	put2(buf + 5, d->month);
	buf[7] = '-';
	put2(buf + 8, d->day);
	buf[10] = '\0';
	return 0;
}

/* Time zones. */

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
 * "MSK-3".  Whatever cannot be read is UTC, as in the C library.  *z is
 * NULL for UTC.  0, or LS_ENOMEM.
 */
static int
process_zone(struct ls_zone **z)
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
		if (*z == NULL && e.status != LS_ENOMEM)
			*z = ls_zone_posix(v, strlen(v), &e);
	}
	return *z == NULL && e.status == LS_ENOMEM ? LS_ENOMEM : 0;
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
		if (process_zone(&tz->zone) != 0)
			goto nomem;
		return tz;
	}
	if (strcmp(name, "UTC") == 0 || strcmp(name, "Etc/UTC") == 0)
		return tz;
	memset(&e, 0, sizeof(e));
	if ((tz->zone = zone_file(name, &e)) != NULL)
		return tz;
	if (e.status == LS_ENOMEM)
		goto nomem;
	ls_tz_free(tz);
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
	if (days >= DAYS_MIN && days <= DAYS_MAX)
		civil_from_days(days, &d, &yday);
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
	tm->tm_wday = (int)floormod(days + 4, 7);
	tm->tm_yday = yday;
	tm->tm_isdst = isdst;
}

/* Offset and DST flag at t. */
static int
zone_at(const struct ls_tz *tz, int64_t t, long *off, int *isdst)
{
	struct ls_zone_span sp;

	if (t < TIME_MIN || t > TIME_MAX)
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
ls_tz_offset(const struct ls_tz *tz, int64_t t, long *off)
{
	int isdst;

	return zone_at(tz, t, off, &isdst);
}

int
ls_tz_local(const struct ls_tz *tz, int64_t t, struct tm *tm)
{
	long off;
	int isdst, rc;

	if ((rc = zone_at(tz, t, &off, &isdst)) != 0)
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
static int
local_to_utc(const struct ls_tz *tz, int64_t L, int64_t *t)
{
	struct ls_zone_span sp, nx;
	int64_t c, r = 0;
	int found = 0, gap = 0;

	if (L < TIME_MIN - 86400 || L > TIME_MAX + 86400)
		return LS_EDATA;
	if (tz == NULL || tz->zone == NULL) {
		*t = L;
		return L < TIME_MIN || L > TIME_MAX ? LS_EDATA : 0;
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
	return r < TIME_MIN || r > TIME_MAX ? LS_EDATA : 0;
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
	L = civil_days(y, (int)floormod(tm->tm_mon, 12) + 1, tm->tm_mday) *
	    86400 + (int64_t)tm->tm_hour * 3600 + (int64_t)tm->tm_min * 60 +
	    tm->tm_sec;
	if ((rc = local_to_utc(tz, L, &r)) != 0)
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
	return local_to_utc(tz, ls_date_to_days(d) * 86400, t);
}

/* Timestamps. */

static int
badtime(struct ls_error *err, const char *p, size_t n, const char *why)
{
	return ls_error_set(err, LS_EDATA, NULL, 0, 0, "bad timestamp '%.*s'%s: %s",
	    (int)(n > SHOW ? SHOW : n), p, n > SHOW ? "..." : "", why);
}

/* Two digits at p as a number, or a negative number when either is no digit. */
static inline int
two(const char *p)
{
	unsigned a = (unsigned)(unsigned char)p[0] - '0', b = (unsigned)(unsigned char)p[1] - '0';

	return a > 9 || b > 9 ? -1 : (int)(a * 10 + b);
}

/* rfc3339_offset()'s last day, per thread: see there */
static _Thread_local struct {
	char ymd[10];		/* YYYY-MM-DD; all NUL (no date) at first */
	int64_t days;
} last_day;

/*
 * YYYY-MM-DDTHH:MM:SS+HH:MM, the spelling call logs and exports write
 * millions of, in one pass: 1 with *t set when p is that spelling and
 * valid, 0 to leave it to the general parser, which also has the messages.
 * Gives what the general parser gives.
 */
static int
rfc3339_offset(const char *p, size_t n, int64_t *t)
{
	int y1, y2, mo, da, h, mi, s, oh, om;
	struct ls_date d;
	int64_t r, days;
	long off;

	if (n != 25 || p[4] != '-' || p[7] != '-' || p[10] != 'T' || p[13] != ':' ||
	    p[16] != ':' || (p[19] != '+' && p[19] != '-') || p[22] != ':')
		return 0;
	h = two(p + 11);
	mi = two(p + 14);
	s = two(p + 17);
	oh = two(p + 20);
	om = two(p + 23);
	if ((h | mi | s | oh | om) < 0 || h > 23 || mi > 59 || s > 59 || oh > 23 || om > 59)
		return 0;
	/*
	 * Call logs come in time order, so most times fall on the day of the
	 * time before: that day's number is kept, per thread, with the ten
	 * bytes it was read from (which passed the checks below then).
	 */
	if (memcmp(p, last_day.ymd, 10) == 0)
		days = last_day.days;
	else {
		y1 = two(p);
		y2 = two(p + 2);
		mo = two(p + 5);
		da = two(p + 8);
		if ((y1 | y2 | mo | da) < 0 || mo < 1 || mo > 12 || da < 1)
			return 0;
		d.year = y1 * 100 + y2;
		d.month = mo;
		d.day = da;
		if (d.year < 1 || da > ls_days_in_month(d.year, mo))
			return 0;
		/* the month is 1..12 here: no carry to take, as ls_date_to_days() does */
		days = civil_days(d.year, mo, da);
		memcpy(last_day.ymd, p, 10);
		last_day.days = days;
	}
	off = (long)oh * 3600 + om * 60;
	r = days * 86400 + h * 3600 + mi * 60 + s - (p[19] == '-' ? -off : off);
	if (r < TIME_MIN || r > TIME_MAX)
		return 0;
	*t = r;
	return 1;
}

int
ls_time_parse(const char *p, size_t n, const struct ls_tz *tz, unsigned flags,
    int64_t *t, struct ls_error *err)
{
	static const char shape[] = "expected YYYY-MM-DDTHH:MM:SS+HH:MM";
	struct ls_date d;
	const char *why;
	int64_t L, r;
	size_t i;
	int h, mi, s, oh, om, rc;
	long off = 0;

	if (rfc3339_offset(p, n, t))
		return 0;
	if (n < 10)
		return badtime(err, p, n, shape);
	if ((why = scan_date(p, &d)) != NULL)
		return badtime(err, p, n, why);
	if (n == 10) {
		if (!(flags & LS_TIME_DATE))
			return badtime(err, p, n, "expected a time after the date");
		if ((rc = ls_tz_midnight(tz, &d, &r)) != 0)
			return badtime(err, p, n, "out of range");
		*t = r;
		return 0;
	}
	if (is_ru_date(p)) {
		/* "DD.MM.YYYY HH:MM[:SS]": never an offset, so always local time in tz */
		if ((n != 16 && n != 19) || p[10] != ' ' || p[13] != ':' || (n == 19 && p[16] != ':'))
			return badtime(err, p, n, "expected DD.MM.YYYY HH:MM[:SS]");
		h = digits(p + 11, 2);
		mi = digits(p + 14, 2);
		s = n == 19 ? digits(p + 17, 2) : 0;
		if (h < 0 || mi < 0 || s < 0 || h > 23 || mi > 59 || s > 59)
			return badtime(err, p, n, "expected DD.MM.YYYY HH:MM[:SS]");
		if (local_to_utc(tz, ls_date_to_days(&d) * 86400 + h * 3600 + mi * 60 + s, &r) != 0)
			return badtime(err, p, n, "out of range");
		*t = r;
		return 0;
	}
	if (n < 19 || (p[10] != 'T' && p[10] != 't' && p[10] != ' ') ||
	    p[13] != ':' || p[16] != ':')
		return badtime(err, p, n, shape);
	h = digits(p + 11, 2);
	mi = digits(p + 14, 2);
	s = digits(p + 17, 2);
	if (h < 0 || mi < 0 || s < 0)
		return badtime(err, p, n, shape);
	if (h > 23)
		return badtime(err, p, n, "hour out of range");
	if (mi > 59)
		return badtime(err, p, n, "minute out of range");
	if (s > 60)
		return badtime(err, p, n, "second out of range");
	if (s == 60)
		s = 59;
	i = 19;
	if (i < n && p[i] == '.') {
		if (++i == n || p[i] < '0' || p[i] > '9')
			return badtime(err, p, n, "expected digits after '.'");
		while (i < n && p[i] >= '0' && p[i] <= '9')
			i++;
	}
	L = ls_date_to_days(&d) * 86400 + h * 3600 + mi * 60 + s;
	if (i == n) {
		if (!(flags & LS_TIME_LOCAL))
			return badtime(err, p, n, "missing UTC offset (Z or +HH:MM)");
		if (local_to_utc(tz, L, &r) != 0)
			return badtime(err, p, n, "out of range");
		*t = r;
		return 0;
	}
	if ((p[i] == 'Z' || p[i] == 'z') && i + 1 == n)
		off = 0;
	else if ((p[i] == '+' || p[i] == '-') && n - i == 6 && p[i + 3] == ':') {
		oh = digits(p + i + 1, 2);
		om = digits(p + i + 4, 2);
		if (oh < 0 || om < 0)
			return badtime(err, p, n, shape);
		if (oh > 23 || om > 59)
			return badtime(err, p, n, "UTC offset out of range");
		off = (long)oh * 3600 + om * 60;
		if (p[i] == '-')
			off = -off;
	} else
		return badtime(err, p, n, shape);
	r = L - off;
	if (r < TIME_MIN || r > TIME_MAX)
		return badtime(err, p, n, "out of range");
	*t = r;
	return 0;
}

int
ls_time_format(const struct ls_tz *tz, int64_t t, char *buf, size_t size)
{
	struct ls_date d;
	int64_t days, sec;
	long off = 0, a;
	int isdst, yday, rc;

	if (size > 0)
		buf[0] = '\0';
	if (size < LS_TIME_BUFSZ)
		return LS_EUSAGE;
	if ((rc = zone_at(tz, t, &off, &isdst)) != 0)
		return rc;
	days = ls_floordiv(t + off, 86400);
	sec = t + off - days * 86400;
	/* a local time past year 9999 (or before year 1) has no four-digit year */
	if (days < DAYS_MIN || days > DAYS_MAX)
		return LS_EDATA;
	civil_from_days(days, &d, &yday);
	put4(buf, d.year);
	buf[4] = '-';
	put2(buf + 5, d.month);
	buf[7] = '-';
	put2(buf + 8, d.day);
	buf[10] = 'T';
	put2(buf + 11, (int)(sec / 3600));
	buf[13] = ':';
	put2(buf + 14, (int)(sec / 60 % 60));
	buf[16] = ':';
	put2(buf + 17, (int)(sec % 60));
	if (tz == NULL) {
		buf[19] = 'Z';
		buf[20] = '\0';
		return 0;
	}
	/* RFC 3339 offsets have no seconds; only pre-1900 local mean times do. */
	a = off < 0 ? -off : off;
	buf[19] = off < 0 ? '-' : '+';
	put2(buf + 20, (int)(a / 3600));
	buf[22] = ':';
	put2(buf + 23, (int)(a / 60 % 60));
	buf[25] = '\0';
	return 0;
}

/* Periods. */

int
ls_period_parse(const char *p, size_t n, enum ls_period *per,
    struct ls_error *err)
{
	if (word(p, n, "day"))
		*per = LS_PERIOD_DAY;
	else if (word(p, n, "week"))
		*per = LS_PERIOD_WEEK;
	else if (word(p, n, "month"))
		*per = LS_PERIOD_MONTH;
	else
		return ls_error_set(err, LS_EUSAGE, NULL, 0, 0,
		    "unknown period '%.*s' (expected day, week or month)",
		    (int)(n > SHOW ? SHOW : n), p);
	return 0;
}

/* ISO 8601: weeks start on Monday and belong to the year of their Thursday. */
static int64_t
iso_thursday(int64_t days)
{
	int64_t wd = floormod(days + 3, 7);	/* 0 Monday .. 6 Sunday */

	return days - wd + 3;
}

static void
iso_week(const struct ls_date *d, int *year, int *week)
{
	struct ls_date td;
	int64_t thu = iso_thursday(ls_date_to_days(d));

	if (ls_date_from_days(thu, &td) != 0) {
		/* Only the first days of year 1 and the last of 9999 land here. */
		td.year = d->year;
		*year = td.year;
		*week = thu < 0 ? 1 : 52;
		return;
	}
	*year = td.year;
	*week = (int)((thu - civil_days(td.year, 1, 1)) / 7) + 1;
}

int
ls_period_key_date(enum ls_period per, const struct ls_date *d, char *buf,
    size_t size)
{
	int y, w;

	if (size > 0)
		buf[0] = '\0';
	if (size < LS_PERIOD_BUFSZ || !ls_date_valid(d))
		return LS_EUSAGE;
	switch (per) {
	case LS_PERIOD_DAY:
		return ls_date_format(d, buf, size);
	case LS_PERIOD_WEEK:
		iso_week(d, &y, &w);
		if (y < 1 || y > 9999)
			return LS_EUSAGE;
		put4(buf, y);
		memcpy(buf + 4, "-W", 2);
		put2(buf + 6, w);
		buf[8] = '\0';
		return 0;
	case LS_PERIOD_MONTH:
		put4(buf, d->year);
		buf[4] = '-';
		put2(buf + 5, d->month);
		buf[7] = '\0';
		return 0;
	}
	return LS_EUSAGE;
}

int
ls_period_key(const struct ls_tz *tz, enum ls_period per, int64_t t, char *buf,
    size_t size)
{
	struct ls_date d;
	int rc;

	if (size > 0)
		buf[0] = '\0';
	if ((rc = ls_tz_date(tz, t, &d)) != 0)
		return rc;
	return ls_period_key_date(per, &d, buf, size);
}

void
ls_period_days(enum ls_period per, const struct ls_date *d,
    struct ls_date *first, struct ls_date *next)
{
	int64_t days = ls_date_to_days(d), a, b;

	switch (per) {
	case LS_PERIOD_WEEK:
		a = iso_thursday(days) - 3;
		b = a + 7;
		break;
	case LS_PERIOD_MONTH:
		a = civil_days(d->year, d->month, 1);
		b = a + ls_days_in_month(d->year, d->month);
		break;
	default:
		a = days;
		b = days + 1;
		break;
	}
	/* Year 1 and 9999 edges: clamp rather than leave the structs unset. */
	if (ls_date_from_days(a, first) != 0)
		ls_date_from_days(DAYS_MIN, first);
	if (ls_date_from_days(b, next) != 0) {
		next->year = 10000;
		next->month = 1;
		next->day = 1;
	}
}

static int
range_of(const struct ls_tz *tz, enum ls_period per, const struct ls_date *d,
    int64_t *start, int64_t *end)
{
	struct ls_date first, next;
	int64_t a, b;
	int rc;

	ls_period_days(per, d, &first, &next);
	if ((rc = ls_tz_midnight(tz, &first, &a)) != 0 ||
	    (rc = ls_tz_midnight(tz, &next, &b)) != 0)
		return rc;
	*start = a;
	*end = b;
	return 0;
}

int
ls_period_range(const struct ls_tz *tz, enum ls_period per, int64_t t,
    int64_t *start, int64_t *end)
{
	struct ls_date d;
	int rc;

	if ((rc = ls_tz_date(tz, t, &d)) != 0)
		return rc;
	return range_of(tz, per, &d, start, end);
}

int
ls_period_key_range(const struct ls_tz *tz, enum ls_period per, const char *key,
    size_t n, int64_t *start, int64_t *end, struct ls_error *err)
{
	struct ls_date d = { 0, 0, 1 }, jan4;
	int64_t mon;
	int w, y;

	switch (per) {
	case LS_PERIOD_DAY:
		if (ls_date_parse(key, n, &d, err) != 0)
			return LS_EDATA;
		break;
	case LS_PERIOD_MONTH:
		if (n != 7 || key[4] != '-' || (d.year = digits(key, 4)) < 1 ||
		    (d.month = digits(key + 5, 2)) < 1 || d.month > 12)
			goto bad;
		break;
	case LS_PERIOD_WEEK:
		if (n != 8 || key[4] != '-' || key[5] != 'W' ||
		    (y = digits(key, 4)) < 1 || (w = digits(key + 6, 2)) < 1)
			goto bad;
		/* Week 1 is the week holding 4 January. */
		jan4.year = y;
		jan4.month = 1;
		jan4.day = 4;
		mon = iso_thursday(ls_date_to_days(&jan4)) - 3 + 7 * (int64_t)(w - 1);
		if (ls_date_from_days(mon + 3, &d) != 0 || d.year != y)
			return ls_error_set(err, LS_EDATA, NULL, 0, 0,
			    "%d has no week %d", y, w);
		break;
	}
	if (range_of(tz, per, &d, start, end) != 0)
		return ls_error_set(err, LS_EDATA, NULL, 0, 0,
		    "period '%.*s' out of range", (int)n, key);
	return 0;
bad:
	return ls_error_set(err, LS_EDATA, NULL, 0, 0,
	    "bad %s '%.*s' (expected %s)", per == LS_PERIOD_WEEK ? "week" : "month",
	    (int)(n > SHOW ? SHOW : n), key,
	    per == LS_PERIOD_WEEK ? "YYYY-Www" : "YYYY-MM");
}

/* Durations, weekdays, clock times. */

int
ls_duration_split(const char *p, size_t n, int64_t *days, int64_t *secs,
    struct ls_error *err)
{
	static const char units[] = "dhms";
	static const int64_t mult[] = { 86400, 3600, 60, 1 };
	/* A century: far beyond any SLA, far below overflow. */
	const int64_t limit = INT64_C(100) * 366 * 86400;
	int64_t dd = 0, ss = 0, v;
	const char *u;
	size_t i = 0, start;
	int last = -1;

	if (n == 0)
		goto bad;
	while (i < n) {
		start = i;
		for (v = 0; i < n && p[i] >= '0' && p[i] <= '9'; i++) {
			v = v * 10 + (p[i] - '0');
			if (v > limit)
				goto bad;
		}
		if (i == start || i == n || (u = strchr(units, p[i])) == NULL ||
		    p[i] == '\0')
			goto bad;
		/* Largest unit first, each once: "1h30m", not "30m1h" or "1h1h". */
		if ((int)(u - units) <= last)
			goto bad;
		last = (int)(u - units);
		if (last == 0)
			dd = v;
		else
			ss += v * mult[last];
		i++;
	}
	if (dd * 86400 + ss > limit)
		goto bad;
	*days = dd;
	*secs = ss;
	return 0;
bad:
	return ls_error_set(err, LS_EDATA, NULL, 0, 0,
	    "bad duration '%.*s'%s (expected e.g. 30m, 4h, 2d, 1h30m)",
	    (int)(n > SHOW ? SHOW : n), p, n > SHOW ? "..." : "");
}

int
ls_duration_parse(const char *p, size_t n, int64_t *secs, struct ls_error *err)
{
	int64_t d, s;
	int rc;

	if ((rc = ls_duration_split(p, n, &d, &s, err)) != 0)
		return rc;
	*secs = d * 86400 + s;
	return 0;
}

int
ls_weekday_parse(const char *p, size_t n, int *wday, struct ls_error *err)
{
	static const char *const names[] = {
		"sunday", "monday", "tuesday", "wednesday", "thursday",
		"friday", "saturday"
	};
	char low[10];
	size_t i;
	int k;

	if (n >= 3 && n < sizeof(low)) {
		for (i = 0; i < n; i++)
			low[i] = (char)(p[i] >= 'A' && p[i] <= 'Z' ?
			    p[i] - 'A' + 'a' : p[i]);
		for (k = 0; k < 7; k++) {
			if ((n == 3 || n == strlen(names[k])) &&
			    memcmp(low, names[k], n) == 0) {
				*wday = k;
				return 0;
			}
		}
	}
	return ls_error_set(err, LS_EDATA, NULL, 0, 0,
	    "bad weekday '%.*s' (expected mon, tue, wed, thu, fri, sat or sun)",
	    (int)(n > SHOW ? SHOW : n), p);
}

int
ls_clock_parse(const char *p, size_t n, int *secs, struct ls_error *err)
{
	size_t hl = n > 1 && p[1] == ':' ? 1 : 2;
	int h, m, s = 0;

	if (n != hl + 3 && n != hl + 6)
		goto bad;
	if ((h = digits(p, (int)hl)) < 0 || p[hl] != ':' ||
	    (m = digits(p + hl + 1, 2)) < 0)
		goto bad;
	if (n == hl + 6 && (p[hl + 3] != ':' || (s = digits(p + hl + 4, 2)) < 0))
		goto bad;
	if (m > 59 || s > 59 || h > 24 || (h == 24 && (m != 0 || s != 0)))
		goto bad;
	*secs = h * 3600 + m * 60 + s;
	return 0;
bad:
	return ls_error_set(err, LS_EDATA, NULL, 0, 0,
	    "bad time of day '%.*s' (expected HH:MM)",
	    (int)(n > SHOW ? SHOW : n), p);
}
