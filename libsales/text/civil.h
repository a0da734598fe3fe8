/*
 * civil.h - proleptic Gregorian arithmetic on 64-bit years and days, and
 * the digit reading and writing of dates, shared by the calendar (date.c),
 * periods (period.c), the time zones (zone.c, zone_compile.c), whose rules
 * run past year 9999, and the dates in words of fmt.c.  One copy of the
 * leap-year rule, of day numbers and of weekdays.  Private to text/: not
 * part of the library's interface.
 */
#ifndef LS_CIVIL_H
#define LS_CIVIL_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "date.h"

/* 0001-01-01T00:00:00Z and 9999-12-31T23:59:59Z, date.h's supported range, in seconds and days. */
#define LS_CIVIL_TIME_MIN	INT64_C(-62135596800)
#define LS_CIVIL_TIME_MAX	INT64_C(253402300799)
#define LS_CIVIL_DAYS_MIN	INT64_C(-719162)
#define LS_CIVIL_DAYS_MAX	INT64_C(2932896)

/* Bytes of a bad input quoted back in an error message. */
#define LS_CIVIL_SHOW	40

/* a / b rounded toward minus infinity (b != 0). */
static inline int64_t
ls_floordiv(int64_t a, int64_t b)
{
	int64_t q = a / b;

	if (a % b != 0 && (a < 0) != (b < 0))
		q--;
	return q;
}

/* a mod b, of b's sign (b != 0). */
static inline int64_t
ls_floormod(int64_t a, int64_t b)
{
	return a - ls_floordiv(a, b) * b;
}

/* 1 for a leap year. */
static inline int
ls_civil_leap(int64_t y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* Days in the months before month m (1..13) of a common year. */
static inline int
ls_cumdays(int m)
{
	static const int t[13] = { 0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334, 365 };

	return t[m - 1];
}

/* Days in month m (1..12) of year y. */
static inline int
ls_civil_mdays(int64_t y, int m)
{
	return ls_cumdays(m + 1) - ls_cumdays(m) + (m == 2 && ls_civil_leap(y));
}

/*
 * Days since 1970-01-01 of y-m-d (m 1..12; d may run past the month), the
 * inverse of ls_civil_from_days(): years counted from 1 March, so the
 * leap day is the last of its year, in cycles of 400 years.
 */
static inline int64_t
ls_civil_days(int64_t y, int m, int64_t d)
{
	int64_t era, yoe, doy;

	y -= m <= 2;
	era = ls_floordiv(y, 400);
	yoe = y - era * 400;
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	return era * 146097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719468;
}

/* Day of the week of day `days` since 1970-01-01: 0 Sunday .. 6 Saturday (1970-01-01 was a Thursday). */
static inline int
ls_civil_weekday(int64_t days)
{
	return (int)ls_floormod(days + 4, 7);
}

/*
 * The date of day `days` since 1970-01-01, with no loop: counted from
 * 0000-03-01, each year ends on its leap day, the 400-year cycle ("era")
 * has 146097 days, a year of the cycle falls out of one division once the
 * cycle's 100- and 4-year leap days are taken back, and the months from
 * March come in fives of 153 days (31 30 31 30 31).  *yday: days since
 * 1 January.
 */
static inline void
ls_civil_from_days(int64_t days, int64_t *y, int *m, int *d, int *yday)
{
	int64_t z = days + 719468;	/* 0000-03-01 to 1970-01-01 */
	int64_t era = ls_floordiv(z, 146097), doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);	/* from 1 March */
	int64_t mp = (5 * doy + 2) / 153;

	*d = (int)(doy - (153 * mp + 2) / 5) + 1;
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = yoe + era * 400 + (*m <= 2);
	/* March 1 is day 59 of a common year, 60 of a leap one */
	*yday = (int)(mp < 10 ? doy + 59 + ls_civil_leap(*y) : doy - 306);
}

/* ls_civil_from_days() into a struct ls_date: days within LS_CIVIL_DAYS_MIN..MAX. */
static inline void
ls_civil_date(int64_t days, struct ls_date *d, int *yday)
{
	int64_t y;

	ls_civil_from_days(days, &y, &d->month, &d->day, yday);
	d->year = (int)y;
}

/* The n decimal digits at p as a number, or -1 when one is not a digit. */
static inline int
ls_civil_digits(const char *p, int n)
{
	int v = 0, i;

	for (i = 0; i < n; i++) {
		if (p[i] < '0' || p[i] > '9')
			return -1;
		v = v * 10 + (p[i] - '0');
	}
	return v;
}

/* Whether p[0..n) is the word w. */
static inline int
ls_civil_word(const char *p, size_t n, const char *w)
{
	return n == strlen(w) && memcmp(p, w, n) == 0;
}

/* v (0..99) as two digits: one copy from a table, no division. */
static inline void
ls_civil_put2(char *b, int v)
{
	static const char pairs[201] =
	    "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
	    "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
	    "8081828384858687888990919293949596979899";

	memcpy(b, pairs + 2 * v, 2);
}

/* v (0..9999) as four digits. */
static inline void
ls_civil_put4(char *b, int v)
{
	ls_civil_put2(b, v / 100);
	ls_civil_put2(b + 2, v % 100);
}

#endif
