/*
 * date.c - calendar dates, RFC 3339 timestamps, durations, weekdays and
 * clock times (date.h).  Time zones are zone.c's and report periods
 * period.c's; the day arithmetic all three use is civil.h.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "error.h"
#include "civil.h"
#include "date.h"
#include "zone.h"

int
ls_is_leap(int year)
{
	return ls_civil_leap(year);
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

int64_t
ls_date_to_days(const struct ls_date *d)
{
	/* Carry months too, so that a bad month is never an index out of the table. */
	int64_t m = (int64_t)d->month - 1;

	return ls_civil_days(d->year + ls_floordiv(m, 12), (int)ls_floormod(m, 12) + 1,
	    d->day);
}

int
ls_date_from_days(int64_t days, struct ls_date *d)
{
	int yday;

	if (days < LS_CIVIL_DAYS_MIN || days > LS_CIVIL_DAYS_MAX)
		return LS_EDATA;
	ls_civil_date(days, d, &yday);
	return 0;
}

int
ls_date_weekday(const struct ls_date *d)
{
	/* 1970-01-01 was a Thursday. */
	return (int)ls_civil_weekday(ls_date_to_days(d));
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
		t.day = ls_civil_digits(p, 2);
		t.month = ls_civil_digits(p + 3, 2);
		t.year = ls_civil_digits(p + 6, 4);
	} else {
		if (p[4] != '-' || p[7] != '-')
			return "expected YYYY-MM-DD";
		t.year = ls_civil_digits(p, 4);
		t.month = ls_civil_digits(p + 5, 2);
		t.day = ls_civil_digits(p + 8, 2);
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
	    (int)(n > LS_CIVIL_SHOW ? LS_CIVIL_SHOW : n), p, n > LS_CIVIL_SHOW ? "..." : "", why);
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
	if (ls_civil_word(p, n, "today"))
		delta = 0;
	else if (ls_civil_word(p, n, "yesterday"))
		delta = -1;
	else if (ls_civil_word(p, n, "tomorrow"))
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
	    (int)(n > LS_CIVIL_SHOW ? LS_CIVIL_SHOW : n), p, n > LS_CIVIL_SHOW ? "..." : "");
}

int
ls_date_format(const struct ls_date *d, char *buf, size_t size)
{
	if (size > 0)
		buf[0] = '\0';
	if (size < LS_DATE_BUFSZ || d->year < 1 || d->year > 9999 ||
	    d->month < 1 || d->month > 12 || d->day < 1 || d->day > 31)
		return LS_EUSAGE;
	ls_civil_put4(buf, d->year);
	buf[4] = '-';
	ls_civil_put2(buf + 5, d->month);
	buf[7] = '-';
	ls_civil_put2(buf + 8, d->day);
	buf[10] = '\0';
	return 0;
}

/* Timestamps. */

static int
badtime(struct ls_error *err, const char *p, size_t n, const char *why)
{
	return ls_error_set(err, LS_EDATA, NULL, 0, 0, "bad timestamp '%.*s'%s: %s",
	    (int)(n > LS_CIVIL_SHOW ? LS_CIVIL_SHOW : n), p, n > LS_CIVIL_SHOW ? "..." : "", why);
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
		days = ls_civil_days(d.year, mo, da);
		memcpy(last_day.ymd, p, 10);
		last_day.days = days;
	}
	off = (long)oh * 3600 + om * 60;
	r = days * 86400 + h * 3600 + mi * 60 + s - (p[19] == '-' ? -off : off);
	if (r < LS_CIVIL_TIME_MIN || r > LS_CIVIL_TIME_MAX)
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
		h = ls_civil_digits(p + 11, 2);
		mi = ls_civil_digits(p + 14, 2);
		s = n == 19 ? ls_civil_digits(p + 17, 2) : 0;
		if (h < 0 || mi < 0 || s < 0 || h > 23 || mi > 59 || s > 59)
			return badtime(err, p, n, "expected DD.MM.YYYY HH:MM[:SS]");
		if (ls_tz_utc(tz, ls_date_to_days(&d) * 86400 + h * 3600 + mi * 60 + s, &r) != 0)
			return badtime(err, p, n, "out of range");
		*t = r;
		return 0;
	}
	if (n < 19 || (p[10] != 'T' && p[10] != 't' && p[10] != ' ') ||
	    p[13] != ':' || p[16] != ':')
		return badtime(err, p, n, shape);
	h = ls_civil_digits(p + 11, 2);
	mi = ls_civil_digits(p + 14, 2);
	s = ls_civil_digits(p + 17, 2);
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
		if (ls_tz_utc(tz, L, &r) != 0)
			return badtime(err, p, n, "out of range");
		*t = r;
		return 0;
	}
	if ((p[i] == 'Z' || p[i] == 'z') && i + 1 == n)
		off = 0;
	else if ((p[i] == '+' || p[i] == '-') && n - i == 6 && p[i + 3] == ':') {
		oh = ls_civil_digits(p + i + 1, 2);
		om = ls_civil_digits(p + i + 4, 2);
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
	if (r < LS_CIVIL_TIME_MIN || r > LS_CIVIL_TIME_MAX)
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
	if ((rc = ls_tz_at(tz, t, &off, &isdst)) != 0)
		return rc;
	days = ls_floordiv(t + off, 86400);
	sec = t + off - days * 86400;
	/* a local time past year 9999 (or before year 1) has no four-digit year */
	if (days < LS_CIVIL_DAYS_MIN || days > LS_CIVIL_DAYS_MAX)
		return LS_EDATA;
	ls_civil_date(days, &d, &yday);
	ls_civil_put4(buf, d.year);
	buf[4] = '-';
	ls_civil_put2(buf + 5, d.month);
	buf[7] = '-';
	ls_civil_put2(buf + 8, d.day);
	buf[10] = 'T';
	ls_civil_put2(buf + 11, (int)(sec / 3600));
	buf[13] = ':';
	ls_civil_put2(buf + 14, (int)(sec / 60 % 60));
	buf[16] = ':';
	ls_civil_put2(buf + 17, (int)(sec % 60));
	if (tz == NULL) {
		buf[19] = 'Z';
		buf[20] = '\0';
		return 0;
	}
	/* RFC 3339 offsets have no seconds; only pre-1900 local mean times do. */
	a = off < 0 ? -off : off;
	buf[19] = off < 0 ? '-' : '+';
	ls_civil_put2(buf + 20, (int)(a / 3600));
	buf[22] = ':';
	ls_civil_put2(buf + 23, (int)(a / 60 % 60));
	buf[25] = '\0';
	return 0;
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
	    (int)(n > LS_CIVIL_SHOW ? LS_CIVIL_SHOW : n), p, n > LS_CIVIL_SHOW ? "..." : "");
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
	    (int)(n > LS_CIVIL_SHOW ? LS_CIVIL_SHOW : n), p);
}

int
ls_clock_parse(const char *p, size_t n, int *secs, struct ls_error *err)
{
	size_t hl = n > 1 && p[1] == ':' ? 1 : 2;
	int h, m, s = 0;

	if (n != hl + 3 && n != hl + 6)
		goto bad;
	if ((h = ls_civil_digits(p, (int)hl)) < 0 || p[hl] != ':' ||
	    (m = ls_civil_digits(p + hl + 1, 2)) < 0)
		goto bad;
	if (n == hl + 6 && (p[hl + 3] != ':' || (s = ls_civil_digits(p + hl + 4, 2)) < 0))
		goto bad;
	if (m > 59 || s > 59 || h > 24 || (h == 24 && (m != 0 || s != 0)))
		goto bad;
	*secs = h * 3600 + m * 60 + s;
	return 0;
bad:
	return ls_error_set(err, LS_EDATA, NULL, 0, 0,
	    "bad time of day '%.*s' (expected HH:MM)",
	    (int)(n > LS_CIVIL_SHOW ? LS_CIVIL_SHOW : n), p);
}
