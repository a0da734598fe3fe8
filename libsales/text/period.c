/*
 * period.c - report periods (date.h): a day, an ISO 8601 week or a month,
 * named by its key ("2026-11-26", "2026-W48", "2026-11"), and its range of
 * instants in a zone, as kpi-report's --period and --date use them.  Pure
 * functions of their arguments; the day arithmetic is civil.h's.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "error.h"
#include "civil.h"
#include "date.h"

int
ls_period_parse(const char *p, size_t n, enum ls_period *per,
    struct ls_error *err)
{
	if (ls_civil_word(p, n, "day"))
		*per = LS_PERIOD_DAY;
	else if (ls_civil_word(p, n, "week"))
		*per = LS_PERIOD_WEEK;
	else if (ls_civil_word(p, n, "month"))
		*per = LS_PERIOD_MONTH;
	else
		return ls_error_set(err, LS_EUSAGE, NULL, 0, 0,
		    "unknown period '%.*s' (expected day, week or month)",
		    (int)(n > LS_CIVIL_SHOW ? LS_CIVIL_SHOW : n), p);
	return 0;
}

/* ISO 8601: weeks start on Monday and belong to the year of their Thursday. */
static int64_t
iso_thursday(int64_t days)
{
	int64_t wd = ls_floormod(days + 3, 7);	/* 0 Monday .. 6 Sunday */

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
	*week = (int)((thu - ls_civil_days(td.year, 1, 1)) / 7) + 1;
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
		ls_civil_put4(buf, y);
		memcpy(buf + 4, "-W", 2);
		ls_civil_put2(buf + 6, w);
		buf[8] = '\0';
		return 0;
	case LS_PERIOD_MONTH:
		ls_civil_put4(buf, d->year);
		buf[4] = '-';
		ls_civil_put2(buf + 5, d->month);
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
		a = ls_civil_days(d->year, d->month, 1);
		b = a + ls_days_in_month(d->year, d->month);
		break;
	default:
		a = days;
		b = days + 1;
		break;
	}
	/* Year 1 and 9999 edges: clamp rather than leave the structs unset. */
	if (ls_date_from_days(a, first) != 0)
		ls_date_from_days(LS_CIVIL_DAYS_MIN, first);
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
		if (n != 7 || key[4] != '-' || (d.year = ls_civil_digits(key, 4)) < 1 ||
		    (d.month = ls_civil_digits(key + 5, 2)) < 1 || d.month > 12)
			goto bad;
		break;
	case LS_PERIOD_WEEK:
		if (n != 8 || key[4] != '-' || key[5] != 'W' ||
		    (y = ls_civil_digits(key, 4)) < 1 || (w = ls_civil_digits(key + 6, 2)) < 1)
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
	    (int)(n > LS_CIVIL_SHOW ? LS_CIVIL_SHOW : n), key,
	    per == LS_PERIOD_WEEK ? "YYYY-Www" : "YYYY-MM");
}
