/*
 * civil.h - proleptic Gregorian arithmetic on 64-bit years and days, shared
 * by the calendar (date.c) and the zone compiler (zone.c), whose rules run
 * past year 9999.  Private to text/: not part of the library's interface.
 */
#ifndef LS_CIVIL_H
#define LS_CIVIL_H

#include <stdint.h>

/* a / b rounded toward minus infinity (b != 0). */
static inline int64_t
ls_floordiv(int64_t a, int64_t b)
{
	int64_t q = a / b;

	if (a % b != 0 && (a < 0) != (b < 0))
		q--;
	return q;
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

/* Days from 1970-01-01 to 1 January of year y: 365 a year plus the leap days between (477 before 1970). */
static inline int64_t
ls_year_days(int64_t y)
{
	int64_t p = y - 1;

	return 365 * (y - 1970) + ls_floordiv(p, 4) - ls_floordiv(p, 100) + ls_floordiv(p, 400) - 477;
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

#endif
