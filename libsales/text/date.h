/*
 * date.h - calendar dates, RFC 3339 timestamps, time zones, report periods,
 * durations.
 *
 * An instant is int64_t seconds since 1970-01-01T00:00:00Z (leap seconds
 * not counted, as in POSIX).  A calendar date is a struct ls_date, which
 * knows nothing of zones; a zone turns one into the other.  Supported
 * instants run from 0001-01-01 to 9999-12-31 UTC; outside that, calls fail
 * with LS_EDATA instead of overflowing.
 *
 * Zones are read once, when opened: the TZif file of an IANA name is
 * compiled (zone.h) into its transitions and the rule of its TZ string for
 * the years after them.  Every call that converts (struct ls_tz * taken
 * const) is then a pure function of that table: no TZ switch, no tzset(),
 * nothing shared that changes, so any thread may convert with the same
 * zone, a reader's prepare hook included.  Only ls_tz_open() reads the
 * environment (TZ, TZDIR).  Everywhere a struct ls_tz * is taken, NULL
 * means UTC.
 *
 * Errors fill err->msg only (err may be NULL); file and line are the
 * caller's to add.
 *
 * Who implements what: dates, timestamps, durations, weekdays and clock
 * times are date.c's; the ls_tz_* zone calls zone.c's (over the compiled
 * zones of zone.h, built by zone_compile.c); the ls_period_* calls
 * period.c's.  All three share civil.h's day arithmetic.
 */
#ifndef LS_DATE_H
#define LS_DATE_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "error.h"

struct ls_tz;

struct ls_date {
	int year;		/* 1..9999 */
	int month;		/* 1..12 */
	int day;		/* 1..31 */
};

/* Buffer sizes that always suffice for the formatters below. */
#define LS_DATE_BUFSZ	11	/* "2026-11-26" */
#define LS_TIME_BUFSZ	26	/* "2026-11-26T14:03:00+03:00" */
#define LS_PERIOD_BUFSZ	11	/* "2026-11-26", "2026-W48", "2026-11" */

/* 1 for a Gregorian leap year, else 0. */
int ls_is_leap(int year);

/* Days in month (1..12) of year, or 0 for a bad month. */
int ls_days_in_month(int year, int month);

/* 1 when d names a real day in 1..9999, else 0. */
int ls_date_valid(const struct ls_date *d);

/*
 * Days from 1970-01-01 to d, negative before.  Fields out of range are
 * carried (day 0 is the last day of the previous month, month 13 is
 * January of the next year), so date arithmetic is "d.day += n" and a
 * round trip through ls_date_from_days().
 */
int64_t ls_date_to_days(const struct ls_date *d);

/* The date days after 1970-01-01: 0, or LS_EDATA outside 0001-01-01..9999-12-31. */
int ls_date_from_days(int64_t days, struct ls_date *d);

/* Day of the week of d as in struct tm: 0 Sunday .. 6 Saturday. */
int ls_date_weekday(const struct ls_date *d);

/*
 * Parse exactly "YYYY-MM-DD", or the Russian "DD.MM.YYYY" (n bytes at p),
 * into *d, checking that the day exists (2026-02-29 does not).  Returns 0 or LS_EDATA; *d is unchanged
 * on error.
 */
int ls_date_parse(const char *p, size_t n, struct ls_date *d,
    struct ls_error *err);

/*
 * Like ls_date_parse(), and also the words the tools accept where a date is
 * asked for, taken relative to the instant now in zone tz: "today",
 * "yesterday", "tomorrow", "-Nd" (N days before today) and "+Nd"
 * (N up to 999999).  Words are lower case.  Returns 0 or LS_EDATA.
 */
int ls_date_parse_rel(const char *p, size_t n, const struct ls_tz *tz, int64_t now,
    struct ls_date *d, struct ls_error *err);

/* Write d as "YYYY-MM-DD" into buf: 0, or LS_EUSAGE for a short buf or a year outside 1..9999. */
int ls_date_format(const struct ls_date *d, char *buf, size_t size);

/* Flags for ls_time_parse(). */
#define LS_TIME_DATE	0x01	/* "YYYY-MM-DD" alone: local midnight in tz */
#define LS_TIME_LOCAL	0x02	/* no offset ("2026-11-26 14:03:00"): local time in tz */

/*
 * Parse an RFC 3339 timestamp, "2026-11-26T14:03:00+03:00", into *t: 'T'
 * or 't' or one space between date and time, seconds required, an
 * optional fraction (".5", any number of digits; dropped, so instants are
 * whole seconds), then 'Z', 'z' or "+HH:MM"/"-HH:MM".  Fields are range
 * checked (the day against its month, leap years included); second 60 is
 * accepted and read as 59, so that a leap second stays in its minute and
 * day.  Flags widen what is accepted, both using tz (NULL: UTC): see
 * above.  A local time that does not exist (skipped by a DST change) is
 * moved forward by the gap; one that happens twice is the earlier.
 * The Russian (Excel, 1C) spelling "DD.MM.YYYY HH:MM[:SS]" is read too,
 * always as local time in tz, and "DD.MM.YYYY" alone with LS_TIME_DATE.
 * Returns 0 or LS_EDATA; *t unchanged on error.
 */
int ls_time_parse(const char *p, size_t n, const struct ls_tz *tz, unsigned flags,
    int64_t *t, struct ls_error *err);

/*
 * Write t as RFC 3339 in zone tz: "2026-11-26T14:03:00+03:00", or with
 * "Z" when tz is NULL.  Returns 0, LS_EDATA for t out of range, LS_EUSAGE
 * if size < LS_TIME_BUFSZ.
 */
int ls_time_format(const struct ls_tz *tz, int64_t t, char *buf, size_t size);

/* ---- time zones: zone.c ---- */

/*
 * A time zone.  ls_tz_open() takes an IANA name ("Europe/Moscow",
 * "America/New_York", "UTC") and reads its TZif file under $TZDIR, else
 * /usr/share/zoneinfo.  A name that is not such a file is LS_ECONFIG
 * "unknown time zone 'X'", with the reason added when the file is there
 * but broken (names with ".." or a leading '/' are never opened, and POSIX
 * rule strings such as "MSK-3" are refused: configs name zones).
 *
 * NULL or "" means the process's zone, read once, now, from TZ as the C
 * library reads it: unset, /etc/localtime; empty, UTC; else, after an
 * optional ':', a zone file (name or absolute path) or else a POSIX TZ
 * string ("MSK-3", "EST5EDT,M3.2.0,M11.1.0").  A TZ that is none of these
 * is UTC, as in the C library.  Changing TZ later does not change the zone.
 *
 * NULL on error: LS_ENOMEM; LS_EIO when the zone's file is there but cannot
 * be read (err's file is the zone file, the message says why; for the
 * process's zone too: its times would otherwise be silently UTC's); for a
 * name, LS_ECONFIG when it names no zone.
 *
 * The caller frees the zone with ls_tz_free(); ls_tz_free(NULL) is a
 * no-op.  The functions below only read the zone.
 */
struct ls_tz *ls_tz_open(const char *name, struct ls_error *err);
void ls_tz_free(struct ls_tz *tz);

/* The name given to ls_tz_open() ("" for the process zone, "UTC" for NULL); owned by tz. */
const char *ls_tz_name(const struct ls_tz *tz);

/*
 * Break t down into local time in tz, like localtime_r(): tm_year,
 * tm_mon, tm_mday, tm_hour, tm_min, tm_sec, tm_wday, tm_yday and tm_isdst
 * are set; other members (tm_gmtoff, tm_zone where they exist) are zero.
 * Returns 0 or LS_EDATA for t out of range.
 */
int ls_tz_local(const struct ls_tz *tz, int64_t t, struct tm *tm);

/* The zone's offset from UTC at t, in seconds east (+10800 for Moscow).  0 or LS_EDATA. */
int ls_tz_offset(const struct ls_tz *tz, int64_t t, long *off);

/*
 * The inverse, like mktime(): the instant of local time *tm in tz.
 * Out-of-range fields are carried (tm_mday 32, tm_hour -1) and *tm is
 * rewritten normalised.  tm_isdst is ignored: a time skipped by a DST
 * change is moved forward by the gap, a repeated one is the earlier.
 * Returns 0 or LS_EDATA.
 */
int ls_tz_mktime(const struct ls_tz *tz, struct tm *tm, int64_t *t);

/* The date at t in tz.  0 or LS_EDATA. */
int ls_tz_date(const struct ls_tz *tz, int64_t t, struct ls_date *d);

/*
 * The first instant of date d in tz: local midnight, or the first time
 * after it on a day whose midnight a DST change skips.  0 or LS_EDATA.
 */
int ls_tz_midnight(const struct ls_tz *tz, const struct ls_date *d, int64_t *t);

/* ---- report periods: period.c ---- */

enum ls_period {
	LS_PERIOD_DAY,		/* "2026-11-26" */
	LS_PERIOD_WEEK,		/* ISO 8601 week, Monday first: "2026-W48" */
	LS_PERIOD_MONTH		/* "2026-11" */
};

/* Parse "day", "week" or "month".  0 or LS_EUSAGE. */
int ls_period_parse(const char *p, size_t n, enum ls_period *per,
    struct ls_error *err);

/*
 * The key of the period holding date d.  Weeks use the ISO week-year, which
 * differs from the calendar year around 1 January: 2027-01-01 is in
 * "2026-W53" and 2024-12-30 in "2025-W01".  Returns 0, or LS_EUSAGE when
 * size < LS_PERIOD_BUFSZ or d is out of range.
 */
int ls_period_key_date(enum ls_period per, const struct ls_date *d,
    char *buf, size_t size);

/* The key of the period holding instant t in tz.  0, LS_EDATA (t out of range) or LS_EUSAGE. */
int ls_period_key(const struct ls_tz *tz, enum ls_period per, int64_t t,
    char *buf, size_t size);

/* First day of the period holding d, and the first day of the next period. */
void ls_period_days(enum ls_period per, const struct ls_date *d,
    struct ls_date *first, struct ls_date *next);

/*
 * The instants [*start, *end) of the period holding t in tz: local midnight
 * of its first day up to that of the next period's.  A period's length
 * follows the zone: a day with a DST change lasts 23 or 25 hours.  Iterate
 * with t = *end.  0 or LS_EDATA.
 */
int ls_period_range(const struct ls_tz *tz, enum ls_period per, int64_t t,
    int64_t *start, int64_t *end);

/*
 * The instants [*start, *end) of the period named by key ("2026-11-26",
 * "2026-W48", "2026-11", of kind per) in tz.  A week that the year lacks
 * ("2026-W54", "2025-W53") is an error.  0 or LS_EDATA.
 */
int ls_period_key_range(const struct ls_tz *tz, enum ls_period per,
    const char *key, size_t n, int64_t *start, int64_t *end,
    struct ls_error *err);

/* ---- durations, weekdays, clock times: date.c ---- */

/*
 * Parse a duration: one or more <digits><unit> with units d (86400 s),
 * h, m, s, each at most once and largest first: "30m", "4h", "2d",
 * "1h30m", "1d12h".  *secs gets the total.  Returns 0 or LS_EDATA (also
 * for totals above 100 years).
 */
int ls_duration_parse(const char *p, size_t n, int64_t *secs,
    struct ls_error *err);

/*
 * The same, keeping days apart: "1d4h" gives *days 1 and *secs 14400.  SLA
 * clocks in business time count "1d" as a business day, not 24 hours.
 */
int ls_duration_split(const char *p, size_t n, int64_t *days, int64_t *secs,
    struct ls_error *err);

/*
 * Parse a weekday name, "mon".."sun" or "monday".."sunday", any case, into
 * *wday as in struct tm (0 Sunday .. 6 Saturday).  0 or LS_EDATA.
 */
int ls_weekday_parse(const char *p, size_t n, int *wday, struct ls_error *err);

/*
 * Parse a time of day "H:MM", "HH:MM" or "HH:MM:SS" into seconds after
 * midnight; "24:00" is accepted as the end of a day (business hours
 * "to: 24:00").  0 or LS_EDATA.
 */
int ls_clock_parse(const char *p, size_t n, int *secs, struct ls_error *err);

#endif
