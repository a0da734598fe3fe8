/* test_date.c - dates, RFC 3339, zones and DST, relative dates, durations (periods: test_period.c). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "date.h"

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

/* DST switches in 2026, as UTC instants (checked against Python's zoneinfo). */
#define BERLIN_SPRING	INT64_C(1774746000)	/* 2026-03-29T01:00:00Z: 02:00 CET -> 03:00 CEST */
#define BERLIN_FALL	INT64_C(1792890000)	/* 2026-10-25T01:00:00Z: 03:00 CEST -> 02:00 CET */
#define NY_SPRING	INT64_C(1772953200)	/* 2026-03-08T07:00:00Z: 02:00 EST -> 03:00 EDT */
#define NY_FALL		INT64_C(1793512800)	/* 2026-11-01T06:00:00Z: 02:00 EDT -> 01:00 EST */
#define NOW		INT64_C(1795690980)	/* 2026-11-26T14:03:00+03:00 */

static struct ls_tz *
tz(const char *name)
{
	struct ls_error err;
	struct ls_tz *z;

	memset(&err, 0, sizeof(err));
	if ((z = ls_tz_open(name, &err)) == NULL)
		fail_msg("ls_tz_open(%s): %s", name, err.msg);
	return z;
}

static void
test_leap_years(void **state)
{
	static const struct { int y, leap; } c[] = {
		{ 2024, 1 }, { 2026, 0 }, { 2000, 1 }, { 1900, 0 }, { 2100, 0 },
		{ 2400, 1 }, { 4, 1 }, { 1, 0 },
	};
	size_t i;

	(void)state;
	for (i = 0; i < NELEM(c); i++) {
		assert_int_equal(ls_is_leap(c[i].y), c[i].leap);
		assert_int_equal(ls_days_in_month(c[i].y, 2), 28 + c[i].leap);
	}
	assert_int_equal(ls_days_in_month(2026, 4), 30);
	assert_int_equal(ls_days_in_month(2026, 12), 31);
	assert_int_equal(ls_days_in_month(2026, 13), 0);
	assert_int_equal(ls_days_in_month(2026, 0), 0);
}

struct date_case {
	const char *in;
	int ok;
	int y, m, d;
};

static const struct date_case dates[] = {
	{ "2026-11-26", 1, 2026, 11, 26 },
	{ "2024-02-29", 1, 2024, 2, 29 },
	{ "2000-02-29", 1, 2000, 2, 29 },
	{ "0001-01-01", 1, 1, 1, 1 },
	{ "9999-12-31", 1, 9999, 12, 31 },
	{ "2026-02-29", 0, 0, 0, 0 },
	{ "1900-02-29", 0, 0, 0, 0 },
	{ "2026-04-31", 0, 0, 0, 0 },
	{ "2026-13-01", 0, 0, 0, 0 },
	{ "2026-00-10", 0, 0, 0, 0 },
	{ "2026-01-00", 0, 0, 0, 0 },
	{ "2026-01-32", 0, 0, 0, 0 },
	{ "0000-01-01", 0, 0, 0, 0 },
	{ "2026-1-26", 0, 0, 0, 0 },
	{ "2026/11/26", 0, 0, 0, 0 },
	{ "26-11-2026", 0, 0, 0, 0 },
	{ "2026-11-26 ", 0, 0, 0, 0 },
	{ "2026-11-2x", 0, 0, 0, 0 },
	{ "", 0, 0, 0, 0 },
	{ "today", 0, 0, 0, 0 },
};

static void
test_date_parse(void **state)
{
	struct ls_error err;
	struct ls_date d;
	size_t i;
	int rc;

	(void)state;
	for (i = 0; i < NELEM(dates); i++) {
		memset(&err, 0, sizeof(err));
		d.year = d.month = d.day = -1;
		rc = ls_date_parse(dates[i].in, strlen(dates[i].in), &d, &err);
		if (dates[i].ok) {
			if (rc != 0)
				fail_msg("'%s': %s", dates[i].in, err.msg);
			assert_int_equal(d.year, dates[i].y);
			assert_int_equal(d.month, dates[i].m);
			assert_int_equal(d.day, dates[i].d);
		} else {
			if (rc != LS_EDATA)
				fail_msg("'%s' accepted", dates[i].in);
			assert_int_equal(d.year, -1);
			assert_true(err.msg[0] != '\0');
		}
	}
	assert_int_equal(ls_date_parse("2026-02-30", 10, &d, &err), LS_EDATA);
	assert_string_equal(err.msg, "bad date '2026-02-30': day out of range");
	/* the Russian spelling of Excel and 1C exports */
	assert_int_equal(ls_date_parse("26.11.2026", 10, &d, &err), 0);
	assert_int_equal(d.year, 2026);
	assert_int_equal(d.month, 11);
	assert_int_equal(d.day, 26);
	assert_int_equal(ls_date_parse("29.02.2028", 10, &d, &err), 0);
	assert_int_equal(ls_date_parse("29.02.2026", 10, &d, &err), LS_EDATA);
	assert_int_equal(ls_date_parse("26.13.2026", 10, &d, &err), LS_EDATA);
	assert_int_equal(ls_date_parse("6.11.2026", 9, &d, &err), LS_EDATA);
	assert_int_equal(ls_date_parse("26/11/2026", 10, &d, &err), LS_EDATA);
}

/*
 * Every third day of the supported range (so every day of the year in
 * some years, leap or not) at a moving time of day, against the C
 * library's gmtime_r() as the oracle: ls_tz_local() in UTC (the day of the
 * year too) and ls_time_format()'s text.
 */
static void
test_utc_against_libc(void **state)
{
	char want[80], got[LS_TIME_BUFSZ];
	struct tm a, b;
	int64_t day;

	(void)state;
	for (day = -719162; day <= 2932896; day += 3) {
		int64_t t = day * 86400 + ((day * 7919) % 86400 + 86400) % 86400;
		time_t tt = (time_t)t;

		assert_non_null(gmtime_r(&tt, &b));
		assert_int_equal(ls_tz_local(NULL, t, &a), 0);
		if (a.tm_year != b.tm_year || a.tm_mon != b.tm_mon || a.tm_mday != b.tm_mday ||
		    a.tm_hour != b.tm_hour || a.tm_min != b.tm_min || a.tm_sec != b.tm_sec ||
		    a.tm_wday != b.tm_wday || a.tm_yday != b.tm_yday)
			fail_msg("day %lld: %d-%d-%d yday %d vs libc %d-%d-%d yday %d", (long long)day,
			    a.tm_year, a.tm_mon, a.tm_mday, a.tm_yday, b.tm_year, b.tm_mon, b.tm_mday,
			    b.tm_yday);
		snprintf(want, sizeof(want), "%04d-%02d-%02dT%02d:%02d:%02dZ", b.tm_year + 1900,
		    b.tm_mon + 1, b.tm_mday, b.tm_hour, b.tm_min, b.tm_sec);
		assert_int_equal(ls_time_format(NULL, t, got, sizeof(got)), 0);
		if (strcmp(got, want) != 0)
			fail_msg("day %lld: %s vs libc %s", (long long)day, got, want);
	}
}

static void
test_days_and_weekdays(void **state)
{
	static const struct { struct ls_date d; int64_t days; int wday; } c[] = {
		{ { 1970, 1, 1 }, 0, 4 },
		{ { 1969, 12, 31 }, -1, 3 },
		{ { 2000, 3, 1 }, 11017, 3 },
		{ { 2026, 11, 26 }, 20783, 4 },
		{ { 1, 1, 1 }, -719162, 1 },
		{ { 9999, 12, 31 }, 2932896, 5 },
	};
	struct ls_date d, carry = { 2026, 3, 0 };
	char buf[LS_DATE_BUFSZ];
	int64_t n;
	size_t i;

	(void)state;
	for (i = 0; i < NELEM(c); i++) {
		assert_int_equal(ls_date_to_days(&c[i].d), c[i].days);
		assert_int_equal(ls_date_weekday(&c[i].d), c[i].wday);
		assert_int_equal(ls_date_from_days(c[i].days, &d), 0);
		assert_memory_equal(&d, &c[i].d, sizeof(d));
	}
	/* Every day of the supported range survives a round trip. */
	for (n = -719162; n <= 2932896; n++) {
		assert_int_equal(ls_date_from_days(n, &d), 0);
		if (!ls_date_valid(&d) || ls_date_to_days(&d) != n)
			fail_msg("day %lld", (long long)n);
	}
	assert_int_equal(ls_date_from_days(-719163, &d), LS_EDATA);
	assert_int_equal(ls_date_from_days(2932897, &d), LS_EDATA);
	/* Day 0 is the last day of the month before. */
	assert_int_equal(ls_date_from_days(ls_date_to_days(&carry), &d), 0);
	assert_int_equal(ls_date_format(&d, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "2026-02-28");
	carry.month = 14;
	carry.day = 1;
	assert_int_equal(ls_date_from_days(ls_date_to_days(&carry), &d), 0);
	assert_int_equal(ls_date_format(&d, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "2027-02-01");
	carry.month = 0;
	assert_int_equal(ls_date_from_days(ls_date_to_days(&carry), &d), 0);
	assert_int_equal(ls_date_format(&d, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "2025-12-01");
	assert_int_equal(ls_date_format(&d, buf, 10), LS_EUSAGE);
}

struct time_case {
	const char *in;
	int64_t want;
};

static const struct time_case times[] = {
	{ "2026-11-26T14:03:00+03:00", NOW },
	{ "2026-11-26T11:03:00Z", NOW },
	{ "2026-11-26t11:03:00z", NOW },
	{ "2026-11-26 11:03:00Z", NOW },
	{ "2026-11-26T11:03:00+00:00", NOW },
	{ "2026-11-26T11:03:00-00:00", NOW },
	{ "2026-11-26T14:03:00.123456+03:00", NOW },
	{ "2026-11-26T14:03:00.9+03:00", NOW },
	{ "2026-11-26T01:33:00-09:30", NOW },
	{ "2024-02-29T23:59:59-05:00", 1709269199 },
	{ "1970-01-01T00:00:00Z", 0 },
	{ "1969-12-31T23:59:59Z", -1 },
	{ "2016-12-31T23:59:60Z", 1483228799 },	/* leap second kept in its minute */
	{ "0001-01-01T00:00:00Z", INT64_C(-62135596800) },
	{ "9999-12-31T23:59:59Z", INT64_C(253402300799) },
};

static const char *const bad_times[] = {
	"",
	"2026-11-26",				/* a date needs LS_TIME_DATE */
	"2026-11-26T14:03:00",			/* no offset needs LS_TIME_LOCAL */
	"2026-11-26T14:03+03:00",		/* seconds required */
	"2026-11-26T24:00:00Z",
	"2026-11-26T23:60:00Z",
	"2026-11-26T23:59:61Z",
	"2026-02-29T10:00:00Z",
	"2026-11-26X14:03:00Z",
	"2026-11-26T14:03:00+3:00",
	"2026-11-26T14:03:00+0300",
	"2026-11-26T14:03:00+24:00",
	"2026-11-26T14:03:00+03:60",
	"2026-11-26T14:03:00.Z",
	"2026-11-26T14:03:00Z ",
	"2026-11-26T14:03:00ZZ",
	"2026-11-26T14:03:00 +03:00",
	"2026-11-26T14:03:00UTC",
	"2026-11-26  14:03:00Z",
	"0001-01-01T00:00:00+01:00",		/* before year 1 in UTC */
	"9999-12-31T23:59:59-01:00",
};

static void
test_time_parse(void **state)
{
	struct ls_error err;
	int64_t t;
	size_t i;

	(void)state;
	for (i = 0; i < NELEM(times); i++) {
		memset(&err, 0, sizeof(err));
		if (ls_time_parse(times[i].in, strlen(times[i].in), NULL, 0, &t, &err) != 0)
			fail_msg("'%s': %s", times[i].in, err.msg);
		if (t != times[i].want)
			fail_msg("'%s': %lld, want %lld", times[i].in,
			    (long long)t, (long long)times[i].want);
	}
}

static void
test_time_parse_bad(void **state)
{
	struct ls_error err;
	int64_t t = 42;
	size_t i;

	(void)state;
	for (i = 0; i < NELEM(bad_times); i++) {
		memset(&err, 0, sizeof(err));
		if (ls_time_parse(bad_times[i], strlen(bad_times[i]), NULL, 0,
		    &t, &err) != LS_EDATA)
			fail_msg("'%s' accepted", bad_times[i]);
		assert_int_equal(t, 42);
		assert_true(err.msg[0] != '\0');
	}
	ls_time_parse("2026-11-26T25:00:00Z", 20, NULL, 0, &t, &err);
	assert_string_equal(err.msg, "bad timestamp '2026-11-26T25:00:00Z': hour out of range");
	{
		/* local times east of UTC on 1 January of year 1 fall before date.h's first instant */
		static const char *const early[] = { "0001-01-01", "01.01.0001 00:00", "0001-01-01T05:00:00" };
		struct ls_tz *tokyo = tz("Asia/Tokyo");

		for (i = 0; i < NELEM(early); i++) {
			char want[80];

			t = 42;
			assert_int_equal(ls_time_parse(early[i], strlen(early[i]), tokyo,
			    LS_TIME_LOCAL | LS_TIME_DATE, &t, &err), LS_EDATA);
			assert_int_equal(t, 42);
			snprintf(want, sizeof(want), "bad timestamp '%s': out of range", early[i]);
			assert_string_equal(err.msg, want);
		}
		/* the same times in UTC are the first instants */
		assert_int_equal(ls_time_parse("0001-01-01T05:00:00", 19, NULL, LS_TIME_LOCAL, &t, &err), 0);
		ls_tz_free(tokyo);
	}
}

static void
test_time_date_and_local(void **state)
{
	struct ls_tz *msk = tz("Europe/Moscow"), *ber = tz("Europe/Berlin");
	int64_t t;

	(void)state;
	assert_int_equal(ls_time_parse("2026-11-26", 10, msk, LS_TIME_DATE, &t, NULL), 0);
	assert_int_equal(t, INT64_C(1795640400));		/* 2026-11-25T21:00:00Z */
	assert_int_equal(ls_time_parse("2026-11-26", 10, NULL, LS_TIME_DATE, &t, NULL), 0);
	assert_int_equal(t, INT64_C(1795651200));
	assert_int_equal(ls_time_parse("2026-11-26 14:03:00", 19, msk, LS_TIME_LOCAL, &t, NULL), 0);
	assert_int_equal(t, NOW);
	/* An explicit offset wins over the zone. */
	assert_int_equal(ls_time_parse("2026-11-26T11:03:00Z", 20, ber, LS_TIME_LOCAL, &t, NULL), 0);
	assert_int_equal(t, NOW);
	/* 02:30 does not exist in Berlin on 2026-03-29: moved forward to 03:30 CEST. */
	assert_int_equal(ls_time_parse("2026-03-29 02:30:00", 19, ber, LS_TIME_LOCAL, &t, NULL), 0);
	assert_int_equal(t, BERLIN_SPRING + 1800);
	/* 02:30 happens twice on 2026-10-25: the first, in CEST. */
	assert_int_equal(ls_time_parse("2026-10-25 02:30:00", 19, ber, LS_TIME_LOCAL, &t, NULL), 0);
	assert_int_equal(t, BERLIN_FALL - 1800);
	/* DD.MM.YYYY HH:MM[:SS]: local in the zone, with or without LS_TIME_LOCAL */
	assert_int_equal(ls_time_parse("26.11.2026 14:03:00", 19, msk, 0, &t, NULL), 0);
	assert_int_equal(t, NOW);
	assert_int_equal(ls_time_parse("26.11.2026 14:03", 16, msk, 0, &t, NULL), 0);
	assert_int_equal(t, NOW);
	assert_int_equal(ls_time_parse("26.11.2026", 10, msk, LS_TIME_DATE, &t, NULL), 0);
	assert_int_equal(t, INT64_C(1795640400));
	assert_int_equal(ls_time_parse("26.11.2026", 10, msk, 0, &t, NULL), LS_EDATA);
	assert_int_equal(ls_time_parse("26.11.2026T14:03", 16, msk, 0, &t, NULL), LS_EDATA);
	assert_int_equal(ls_time_parse("26.11.2026 24:03", 16, msk, 0, &t, NULL), LS_EDATA);
	assert_int_equal(ls_time_parse("26.11.2026 14:03+03:00", 22, msk, 0, &t, NULL), LS_EDATA);
	ls_tz_free(msk);
	ls_tz_free(ber);
}

static void
test_time_format(void **state)
{
	struct ls_tz *msk = tz("Europe/Moscow"), *ny = tz("America/New_York");
	char buf[LS_TIME_BUFSZ];

	(void)state;
	assert_int_equal(ls_time_format(NULL, NOW, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "2026-11-26T11:03:00Z");
	assert_int_equal(ls_time_format(msk, NOW, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "2026-11-26T14:03:00+03:00");
	assert_int_equal(ls_time_format(ny, NOW, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "2026-11-26T06:03:00-05:00");
	assert_int_equal(ls_time_format(ny, NY_FALL - 1, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "2026-11-01T01:59:59-04:00");
	assert_int_equal(ls_time_format(ny, NY_FALL, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "2026-11-01T01:00:00-05:00");
	assert_int_equal(ls_time_format(msk, NOW, buf, 25), LS_EUSAGE);
	assert_int_equal(ls_time_format(NULL, INT64_C(253402300800), buf, sizeof(buf)), LS_EDATA);
	ls_tz_free(msk);
	ls_tz_free(ny);
}

static void
test_tz_unknown(void **state)
{
	static const char *const names[] = {
		"Mars/Olympus", "Europe/Moskva", "../../etc/passwd", "/etc/localtime",
		"zone.tab", "Europe/../Europe/Berlin", "MSK-3", "Europe/Berlin ",
	};
	struct ls_error err;
	size_t i;

	(void)state;
	for (i = 0; i < NELEM(names); i++) {
		memset(&err, 0, sizeof(err));
		if (ls_tz_open(names[i], &err) != NULL)
			fail_msg("'%s' accepted", names[i]);
		assert_int_equal(err.status, LS_ECONFIG);
	}
	ls_tz_open("Mars/Olympus", &err);
	assert_string_equal(err.msg, "unknown time zone 'Mars/Olympus'");
	ls_tz_free(NULL);
}

static void
test_tz_names(void **state)
{
	struct ls_tz *u = tz("UTC"), *p = tz(NULL), *m = tz("Europe/Moscow");
	long off;

	(void)state;
	assert_string_equal(ls_tz_name(u), "UTC");
	assert_string_equal(ls_tz_name(p), "");
	assert_string_equal(ls_tz_name(m), "Europe/Moscow");
	assert_string_equal(ls_tz_name(NULL), "UTC");
	assert_int_equal(ls_tz_offset(m, NOW, &off), 0);
	assert_int_equal(off, 10800);
	assert_int_equal(ls_tz_offset(u, NOW, &off), 0);
	assert_int_equal(off, 0);
	/* Moscow was UTC+4 all year from 2011 to 2014. */
	assert_int_equal(ls_tz_offset(m, INT64_C(1356998400), &off), 0);
	assert_int_equal(off, 14400);
	ls_tz_free(u);
	ls_tz_free(p);
	ls_tz_free(m);
}

/* Converting in a zone never touches TZ, set or not; the process zone is TZ as opened. */
static void
test_tz_restores_env(void **state)
{
	struct ls_tz *m = tz("Europe/Moscow"), *p;
	struct tm tm;
	time_t tt = (time_t)NOW;

	(void)state;
	setenv("TZ", "America/New_York", 1);
	tzset();
	assert_int_equal(ls_tz_local(m, NOW, &tm), 0);
	assert_int_equal(tm.tm_hour, 14);
	assert_string_equal(getenv("TZ"), "America/New_York");
	localtime_r(&tt, &tm);
	assert_int_equal(tm.tm_hour, 6);
	/* The process zone follows TZ. */
	p = tz(NULL);
	assert_int_equal(ls_tz_local(p, NOW, &tm), 0);
	assert_int_equal(tm.tm_hour, 6);
	ls_tz_free(p);

	unsetenv("TZ");
	assert_int_equal(ls_tz_local(m, NOW + 86400 * 3, &tm), 0);
	assert_int_equal(tm.tm_hour, 14);
	assert_null(getenv("TZ"));
	ls_tz_free(m);
}

static void
check_pass(const char *name, int64_t from, int64_t to, int64_t step, int mode)
{
	char tzval[64];
	struct ls_tz *z = tz(name);
	struct tm a, b;
	time_t tt;
	int64_t t, u;

	snprintf(tzval, sizeof(tzval), ":%s", name);
	setenv("TZ", tzval, 1);
	tzset();
	for (t = from; t < to; t += step) {
		/* Mode 1: every third probe jumps elsewhere; 2: backwards. */
		if (mode == 2)
			u = from + (to - t);
		else
			u = mode == 1 && (t / step) % 3 == 0 ? from + (to - t) : t;
		tt = (time_t)u;
		localtime_r(&tt, &b);
		assert_int_equal(ls_tz_local(z, u, &a), 0);
		if (a.tm_year != b.tm_year || a.tm_mon != b.tm_mon ||
		    a.tm_mday != b.tm_mday || a.tm_hour != b.tm_hour ||
		    a.tm_min != b.tm_min || a.tm_sec != b.tm_sec ||
		    a.tm_wday != b.tm_wday || a.tm_yday != b.tm_yday ||
		    a.tm_isdst != (b.tm_isdst > 0))
			fail_msg("%s at %lld: %d-%d-%d %d:%d:%d vs libc %d-%d-%d %d:%d:%d",
			    name, (long long)u, a.tm_year, a.tm_mon, a.tm_mday,
			    a.tm_hour, a.tm_min, a.tm_sec, b.tm_year, b.tm_mon,
			    b.tm_mday, b.tm_hour, b.tm_min, b.tm_sec);
	}
	unsetenv("TZ");
	tzset();
	ls_tz_free(z);
}

/*
 * Conversions must agree with the C library second for second, whatever
 * the order of the lookups: walk a zone's years in odd steps, in order,
 * backwards and jumping about (test_zone.c compares every zone).
 */
static void
check_against_libc(const char *name, int64_t from, int64_t to, int64_t step)
{
	check_pass(name, from, to, step, 0);
	check_pass(name, from, to, step, 1);
	check_pass(name, from, to, step, 2);
}

static void
test_tz_matches_libc(void **state)
{
	(void)state;
	/* 2025-2027, a probe every 61 minutes 7 seconds. */
	check_against_libc("Europe/Berlin", INT64_C(1735689600), INT64_C(1798761600), 3667);
	check_against_libc("America/New_York", INT64_C(1735689600), INT64_C(1798761600), 3667);
	/* Moscow 2010-2015: the end of DST, then UTC+4, then back to +3. */
	check_against_libc("Europe/Moscow", INT64_C(1262304000), INT64_C(1451606400), 7207);
	check_against_libc("Australia/Lord_Howe", INT64_C(1735689600), INT64_C(1767225600), 1801);
}

/* The offset changes exactly at the change, probed from either side in any order. */
static void
test_tz_transition_seconds(void **state)
{
	static const struct { const char *zone; int64_t at; long before, after; } c[] = {
		{ "Europe/Berlin", BERLIN_SPRING, 3600, 7200 },
		{ "Europe/Berlin", BERLIN_FALL, 7200, 3600 },
		{ "America/New_York", NY_SPRING, -18000, -14400 },
		{ "America/New_York", NY_FALL, -14400, -18000 },
	};
	static const int64_t probes[][2] = {
		{ -1, 0 }, { 0, -1 }, { -3600, -1 }, { 3600, 0 }, { 0, -3600 },
		{ -1, 3600 },
	};
	struct ls_tz *z;
	size_t i, k, j;
	int64_t t;
	long off;

	(void)state;
	for (i = 0; i < NELEM(c); i++) {
		for (k = 0; k < NELEM(probes); k++) {
			z = tz(c[i].zone);
			for (j = 0; j < 2; j++) {
				t = c[i].at + probes[k][j];
				assert_int_equal(ls_tz_offset(z, t, &off), 0);
				if (off != (t < c[i].at ? c[i].before : c[i].after))
					fail_msg("%s at %+lld (probe %zu): offset %ld",
					    c[i].zone, (long long)(t - c[i].at), k, off);
			}
			ls_tz_free(z);
		}
	}
}

struct rel_case {
	const char *zone;
	const char *in;
	const char *want;	/* NULL: refused */
};

static const struct rel_case rels[] = {
	{ "Europe/Moscow", "today", "2026-11-26" },
	{ "Europe/Moscow", "yesterday", "2026-11-25" },
	{ "Europe/Moscow", "tomorrow", "2026-11-27" },
	{ "Europe/Moscow", "-7d", "2026-11-19" },
	{ "Europe/Moscow", "-0d", "2026-11-26" },
	{ "Europe/Moscow", "+5d", "2026-12-01" },
	{ "Europe/Moscow", "-30d", "2026-10-27" },
	{ "Europe/Moscow", "-365d", "2025-11-26" },
	{ "Europe/Moscow", "2024-02-29", "2024-02-29" },
	/* 11:03Z is 06:03 in New York and already the 27th at UTC+14. */
	{ "America/New_York", "today", "2026-11-26" },
	{ "Pacific/Kiritimati", "today", "2026-11-27" },	/* UTC+14 */
	{ "Europe/Moscow", "Today", NULL },
	{ "Europe/Moscow", "7d", NULL },
	{ "Europe/Moscow", "-7", NULL },
	{ "Europe/Moscow", "-d", NULL },
	{ "Europe/Moscow", "-7w", NULL },
	{ "Europe/Moscow", "-1234567d", NULL },
	{ "Europe/Moscow", "- 7d", NULL },
	{ "Europe/Moscow", "", NULL },
	{ "Europe/Moscow", "2026-02-30", NULL },
};

static void
test_relative_dates(void **state)
{
	char buf[LS_DATE_BUFSZ];
	struct ls_error err;
	struct ls_date d;
	struct ls_tz *z;
	size_t i;
	int rc;

	(void)state;
	for (i = 0; i < NELEM(rels); i++) {
		z = tz(rels[i].zone);
		memset(&err, 0, sizeof(err));
		rc = ls_date_parse_rel(rels[i].in, strlen(rels[i].in), z, NOW, &d, &err);
		if (rels[i].want == NULL) {
			if (rc != LS_EDATA)
				fail_msg("'%s' accepted", rels[i].in);
		} else {
			if (rc != 0)
				fail_msg("'%s': %s", rels[i].in, err.msg);
			assert_int_equal(ls_date_format(&d, buf, sizeof(buf)), 0);
			if (strcmp(buf, rels[i].want) != 0)
				fail_msg("%s '%s': %s, want %s", rels[i].zone,
				    rels[i].in, buf, rels[i].want);
		}
		ls_tz_free(z);
	}
	/* Just after midnight in Moscow, UTC still has yesterday. */
	assert_int_equal(ls_date_parse_rel("yesterday", 9, NULL, INT64_C(1795640400), &d, NULL), 0);
	assert_int_equal(ls_date_format(&d, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "2026-11-24");
	/* -Nd before year 1, and a clock outside date.h's years: refused, saying which */
	memset(&err, 0, sizeof(err));
	assert_int_equal(ls_date_parse_rel("-999999d", 8, NULL, INT64_C(-62000000000), &d, &err), LS_EDATA);
	assert_string_equal(err.msg, "date '-999999d' out of range");
	assert_int_equal(ls_date_parse_rel("today", 5, NULL, INT64_C(300000000000), &d, &err), LS_EDATA);
	assert_string_equal(err.msg, "current time out of range");
}

static void
test_mktime(void **state)
{
	struct ls_tz *ber = tz("Europe/Berlin");
	struct tm tm;
	int64_t t;

	(void)state;
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = 2026 - 1900;
	tm.tm_mon = 2;
	tm.tm_mday = 29;
	tm.tm_hour = 2;
	tm.tm_min = 30;
	assert_int_equal(ls_tz_mktime(ber, &tm, &t), 0);
	assert_int_equal(t, BERLIN_SPRING + 1800);
	assert_int_equal(tm.tm_hour, 3);			/* normalised */
	assert_int_equal(tm.tm_isdst, 1);
	/* Carrying: 2026-12-32 25:00 is 2027-01-02 01:00. */
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = 2026 - 1900;
	tm.tm_mon = 11;
	tm.tm_mday = 32;
	tm.tm_hour = 25;
	assert_int_equal(ls_tz_mktime(ber, &tm, &t), 0);
	assert_int_equal(tm.tm_year, 2027 - 1900);
	assert_int_equal(tm.tm_mon, 0);
	assert_int_equal(tm.tm_mday, 2);
	assert_int_equal(tm.tm_hour, 1);
	assert_int_equal(tm.tm_wday, 6);
	assert_int_equal(tm.tm_yday, 1);
	/* Fold: 02:30 on 2026-10-25 is first the CEST one. */
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = 2026 - 1900;
	tm.tm_mon = 9;
	tm.tm_mday = 25;
	tm.tm_hour = 2;
	tm.tm_min = 30;
	assert_int_equal(ls_tz_mktime(ber, &tm, &t), 0);
	assert_int_equal(t, BERLIN_FALL - 1800);
	assert_int_equal(tm.tm_isdst, 1);
	tm.tm_year = 20000;
	assert_int_equal(ls_tz_mktime(ber, &tm, &t), LS_EDATA);
	ls_tz_free(ber);
}

static void
test_durations(void **state)
{
	static const struct { const char *in; int64_t secs; } good[] = {
		{ "30m", 1800 }, { "4h", 14400 }, { "2d", 172800 },
		{ "1h30m", 5400 }, { "1d12h", 129600 }, { "90s", 90 },
		{ "1d2h3m4s", 93784 }, { "0m", 0 }, { "36h", 129600 },
		{ "36500d", INT64_C(3153600000) },
	};
	static const char *const bad[] = {
		"", "30", "m", "30x", "30M", "1h1h", "30m1h", "1.5h", "-1h",
		"1h 30m", " 1h", "1h ", "h30", "36700d", "99999999999999999999s",
	};
	struct ls_error err;
	int64_t s, d;
	size_t i;

	(void)state;
	for (i = 0; i < NELEM(good); i++) {
		if (ls_duration_parse(good[i].in, strlen(good[i].in), &s, NULL) != 0)
			fail_msg("'%s' refused", good[i].in);
		assert_int_equal(s, good[i].secs);
	}
	for (i = 0; i < NELEM(bad); i++) {
		memset(&err, 0, sizeof(err));
		if (ls_duration_parse(bad[i], strlen(bad[i]), &s, &err) != LS_EDATA)
			fail_msg("'%s' accepted", bad[i]);
	}
	assert_string_equal(err.msg,
	    "bad duration '99999999999999999999s' (expected e.g. 30m, 4h, 2d, 1h30m)");
	assert_int_equal(ls_duration_split("1d4h", 4, &d, &s, NULL), 0);
	assert_int_equal(d, 1);
	assert_int_equal(s, 14400);
}

static void
test_weekdays(void **state)
{
	static const struct { const char *in; int wday; } c[] = {
		{ "mon", 1 }, { "tue", 2 }, { "wed", 3 }, { "thu", 4 },
		{ "fri", 5 }, { "sat", 6 }, { "sun", 0 }, { "Monday", 1 },
		{ "SUNDAY", 0 }, { "Thu", 4 }, { "wednesday", 3 },
		{ "mo", -1 }, { "mond", -1 }, { "", -1 }, { "xyz", -1 },
		{ "sundays", -1 }, { "пн", -1 },
	};
	int w;
	size_t i;

	(void)state;
	for (i = 0; i < NELEM(c); i++) {
		w = -2;
		if (c[i].wday < 0)
			assert_int_equal(ls_weekday_parse(c[i].in, strlen(c[i].in), &w, NULL),
			    LS_EDATA);
		else {
			assert_int_equal(ls_weekday_parse(c[i].in, strlen(c[i].in), &w, NULL), 0);
			assert_int_equal(w, c[i].wday);
		}
	}
}

static void
test_clock(void **state)
{
	static const struct { const char *in; int secs; } c[] = {
		{ "09:00", 32400 }, { "9:00", 32400 }, { "18:30", 66600 },
		{ "00:00", 0 }, { "24:00", 86400 }, { "23:59:59", 86399 },
		{ "24:01", -1 }, { "25:00", -1 }, { "12:60", -1 }, { "12", -1 },
		{ "12:0", -1 }, { "", -1 }, { "1:2:3", -1 }, { "09:00 ", -1 },
		{ "ab:cd", -1 }, { "123:00", -1 },
		/* seconds: after a second ':', two digits, up to 59 */
		{ "09:00-00", -1 }, { "09:00:5x", -1 }, { "09:00:60", -1 }, { "9:05:07", 32707 },
	};
	int s;
	size_t i;

	(void)state;
	for (i = 0; i < NELEM(c); i++) {
		if (c[i].secs < 0) {
			if (ls_clock_parse(c[i].in, strlen(c[i].in), &s, NULL) != LS_EDATA)
				fail_msg("'%s' accepted", c[i].in);
		} else {
			assert_int_equal(ls_clock_parse(c[i].in, strlen(c[i].in), &s, NULL), 0);
			assert_int_equal(s, c[i].secs);
		}
	}
}

/*
 * YYYY-MM-DDTHH:MM:SS+HH:MM has a fast path; the general parser reads the
 * same text with a lower-case 't' (which the fast path leaves to it), so
 * each must give what the other gives: the instant, or a refusal.  Now and
 * then one byte of a is replaced by a byte of the alphabet first.  Returns
 * 1 when a was accepted.
 */
static int
fast_path_agrees(char *a, unsigned long seed, unsigned long break_one_in)
{
	static const char alphabet[] = "0123456789 +-:xT";
	char b[32];
	int64_t ta = 0, tb = 0;
	int ra, rb;

	if ((seed >> 56) % break_one_in == 0)
		a[(seed >> 20) % 25] = alphabet[(seed >> 8) % (sizeof(alphabet) - 1)];
	memcpy(b, a, sizeof(b));
	b[10] = a[10] == 'T' ? 't' : a[10];
	ra = ls_time_parse(a, strlen(a), NULL, 0, &ta, NULL);
	rb = ls_time_parse(b, strlen(b), NULL, 0, &tb, NULL);
	if (ra != rb || (ra == 0 && ta != tb))
		fail_msg("'%s': %d %lld, '%s': %d %lld", a, ra, (long long)ta, b, rb, (long long)tb);
	return ra == 0;
}

static unsigned long
next_seed(unsigned long seed)
{
	return seed * 6364136223846793005UL + 1442695040888963407UL;
}

/*
 * The fast path against the general parser on random fields, many out of
 * range (month 13, 30 February, hour 24, second 60, year 0000, offset
 * +24:00), some bytes no digit.
 */
static void
test_time_fast_path_oracle(void **state)
{
	unsigned long seed = 12345;
	long accepted = 0;

	(void)state;
	for (long k = 0; k < 300000; k++) {
		char a[32];

		seed = next_seed(seed);
		snprintf(a, sizeof(a), "%04lu-%02lu-%02luT%02lu:%02lu:%02lu%c%02lu:%02lu",
		    seed % 10000 < 9000 ? 1900 + seed % 300 : seed % 10000, (seed >> 14) % 14,
		    (seed >> 18) % 33, (seed >> 24) % 26, (seed >> 30) % 61, (seed >> 36) % 62,
		    (seed >> 42) & 1 ? '+' : '-', (seed >> 43) % 26, (seed >> 48) % 61);
		accepted += fast_path_agrees(a, seed, 8);
	}
	/* both sides of the checks were tried */
	assert_true(accepted > 30000 && accepted < 270000);
}

/*
 * The fast path keeps the day of the time before (call logs come in time
 * order): the same oracle over runs of times on one day, the day's bytes
 * now and then broken or changed, so that a kept day is used only for the
 * very same ten bytes and a refused day is never kept.
 */
static void
test_time_fast_path_same_day(void **state)
{
	unsigned long seed = 777;
	char prev[32] = "2026-02-28";
	long accepted = 0, reused = 0;

	(void)state;
	for (long k = 0; k < 200000; k++) {
		char a[32];

		seed = next_seed(seed);
		snprintf(a, sizeof(a), "%04lu-%02lu-%02luT%02lu:%02lu:%02lu%c%02lu:%02lu",
		    2023 + seed % 5, 1 + (seed >> 14) % 12, 27 + (seed >> 18) % 6, (seed >> 24) % 25,
		    (seed >> 30) % 61, (seed >> 36) % 61, (seed >> 42) & 1 ? '+' : '-',
		    (seed >> 43) % 25, (seed >> 48) % 60);
		if ((seed >> 52) % 8 != 0) {
			memcpy(a, prev, 10);
			reused++;
		}
		accepted += fast_path_agrees(a, seed, 16);
		memcpy(prev, a, 10);
	}
	assert_true(reused > 150000);
	assert_true(accepted > 50000 && accepted < 195000);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_leap_years),
		cmocka_unit_test(test_date_parse),
		cmocka_unit_test(test_days_and_weekdays),
		cmocka_unit_test(test_utc_against_libc),
		cmocka_unit_test(test_time_parse),
		cmocka_unit_test(test_time_parse_bad),
		cmocka_unit_test(test_time_date_and_local),
		cmocka_unit_test(test_time_format),
		cmocka_unit_test(test_tz_unknown),
		cmocka_unit_test(test_tz_names),
		cmocka_unit_test(test_tz_restores_env),
		cmocka_unit_test(test_tz_matches_libc),
		cmocka_unit_test(test_tz_transition_seconds),
		cmocka_unit_test(test_relative_dates),
		cmocka_unit_test(test_mktime),
		cmocka_unit_test(test_durations),
		cmocka_unit_test(test_weekdays),
		cmocka_unit_test(test_clock),
		cmocka_unit_test(test_time_fast_path_oracle),
		cmocka_unit_test(test_time_fast_path_same_day),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
