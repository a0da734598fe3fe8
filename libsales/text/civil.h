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

#endif
