/*
 * test_period.c - report periods (period.c): keys of days, ISO weeks and
 * months, their first days, and their ranges of instants across DST.
 */
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

struct bucket_case {
	const char *zone;
	int64_t t;
	const char *day;
};

static const struct bucket_case buckets[] = {
	{ "Europe/Berlin", BERLIN_SPRING - 1, "2026-03-29" },		/* 01:59:59 CET */
	{ "Europe/Berlin", BERLIN_SPRING, "2026-03-29" },		/* 03:00:00 CEST */
	{ "Europe/Berlin", INT64_C(1774738799), "2026-03-28" },		/* 23:59:59 CET */
	{ "Europe/Berlin", INT64_C(1774738800), "2026-03-29" },		/* 00:00:00 CET */
	{ "Europe/Berlin", INT64_C(1774821599), "2026-03-29" },		/* 23:59:59 CEST */
	{ "Europe/Berlin", INT64_C(1774821600), "2026-03-30" },
	{ "Europe/Berlin", BERLIN_FALL - 1, "2026-10-25" },
	{ "Europe/Berlin", BERLIN_FALL, "2026-10-25" },
	{ "Europe/Berlin", INT64_C(1792879200), "2026-10-25" },		/* 00:00 CEST */
	{ "Europe/Berlin", INT64_C(1792879199), "2026-10-24" },
	{ "Europe/Berlin", INT64_C(1792969199), "2026-10-25" },		/* 23:59:59 CET */
	{ "Europe/Berlin", INT64_C(1792969200), "2026-10-26" },
	{ "America/New_York", NY_SPRING - 1, "2026-03-08" },
	{ "America/New_York", NY_SPRING, "2026-03-08" },
	{ "America/New_York", INT64_C(1772946000), "2026-03-08" },	/* 00:00 EST */
	{ "America/New_York", INT64_C(1772945999), "2026-03-07" },
	{ "America/New_York", NY_FALL - 1, "2026-11-01" },
	{ "America/New_York", NY_FALL, "2026-11-01" },
	{ "America/New_York", INT64_C(1793505600), "2026-11-01" },	/* 00:00 EDT */
	{ "America/New_York", INT64_C(1793505599), "2026-10-31" },
	{ "America/New_York", INT64_C(1793595599), "2026-11-01" },	/* 23:59:59 EST */
	{ "America/New_York", INT64_C(1793595600), "2026-11-02" },
	{ "Europe/Moscow", INT64_C(1795640399), "2026-11-25" },
	{ "Europe/Moscow", INT64_C(1795640400), "2026-11-26" },
	{ "UTC", INT64_C(1795640400), "2026-11-25" },
};

static void
test_day_buckets_dst(void **state)
{
	char buf[LS_PERIOD_BUFSZ];
	struct ls_tz *z;
	size_t i;

	(void)state;
	for (i = 0; i < NELEM(buckets); i++) {
		z = tz(buckets[i].zone);
		assert_int_equal(ls_period_key(z, LS_PERIOD_DAY, buckets[i].t,
		    buf, sizeof(buf)), 0);
		if (strcmp(buf, buckets[i].day) != 0)
			fail_msg("%s %lld: %s, want %s", buckets[i].zone,
			    (long long)buckets[i].t, buf, buckets[i].day);
		ls_tz_free(z);
	}
}

struct range_case {
	const char *zone;
	const char *key;
	enum ls_period per;
	int64_t start;
	int64_t hours;
};

static const struct range_case ranges[] = {
	{ "Europe/Berlin", "2026-03-29", LS_PERIOD_DAY, INT64_C(1774738800), 23 },
	{ "Europe/Berlin", "2026-03-28", LS_PERIOD_DAY, INT64_C(1774652400), 24 },
	{ "Europe/Berlin", "2026-10-25", LS_PERIOD_DAY, INT64_C(1792879200), 25 },
	{ "America/New_York", "2026-03-08", LS_PERIOD_DAY, INT64_C(1772946000), 23 },
	{ "America/New_York", "2026-11-01", LS_PERIOD_DAY, INT64_C(1793505600), 25 },
	{ "America/New_York", "2026-11-02", LS_PERIOD_DAY, INT64_C(1793595600), 24 },
	{ "Europe/Berlin", "2026-03", LS_PERIOD_MONTH, INT64_C(1772319600), 31 * 24 - 1 },
	{ "Europe/Berlin", "2026-W13", LS_PERIOD_WEEK, INT64_C(1774220400), 7 * 24 - 1 },
	{ "Europe/Moscow", "2026-W53", LS_PERIOD_WEEK, INT64_C(1798405200), 7 * 24 },
	{ "Europe/Moscow", "2024-02", LS_PERIOD_MONTH, INT64_C(1706734800), 29 * 24 },
	{ "UTC", "2026-02", LS_PERIOD_MONTH, INT64_C(1769904000), 28 * 24 },
	{ "UTC", "2020-W53", LS_PERIOD_WEEK, INT64_C(1609113600), 7 * 24 },
	{ "UTC", "2025-W01", LS_PERIOD_WEEK, INT64_C(1735516800), 7 * 24 },
};

static void
test_period_ranges_dst(void **state)
{
	char buf[LS_PERIOD_BUFSZ];
	struct ls_error err;
	struct ls_tz *z;
	int64_t a, b, a2, b2;
	size_t i;

	(void)state;
	for (i = 0; i < NELEM(ranges); i++) {
		z = tz(ranges[i].zone);
		memset(&err, 0, sizeof(err));
		if (ls_period_key_range(z, ranges[i].per, ranges[i].key,
		    strlen(ranges[i].key), &a, &b, &err) != 0)
			fail_msg("%s: %s", ranges[i].key, err.msg);
		if (a != ranges[i].start || b - a != ranges[i].hours * 3600)
			fail_msg("%s %s: [%lld, +%lld h), want [%lld, +%lld h)",
			    ranges[i].zone, ranges[i].key, (long long)a,
			    (long long)((b - a) / 3600), (long long)ranges[i].start,
			    (long long)ranges[i].hours);
		/* The key of any instant in the range is the range's key... */
		assert_int_equal(ls_period_key(z, ranges[i].per, a, buf, sizeof(buf)), 0);
		assert_string_equal(buf, ranges[i].key);
		assert_int_equal(ls_period_key(z, ranges[i].per, b - 1, buf, sizeof(buf)), 0);
		assert_string_equal(buf, ranges[i].key);
		/* ...and the range of any instant in it is the same range. */
		assert_int_equal(ls_period_range(z, ranges[i].per, (a + b) / 2, &a2, &b2), 0);
		assert_int_equal(a2, a);
		assert_int_equal(b2, b);
		ls_tz_free(z);
	}
}

/* --from/--to: walking days with t = end crosses DST without gaps or overlaps. */
static void
test_period_iteration(void **state)
{
	static const char *const want[] = {
		"2026-10-23", "2026-10-24", "2026-10-25", "2026-10-26", "2026-10-27"
	};
	static const int hours[] = { 24, 24, 25, 24, 24 };
	struct ls_tz *z = tz("Europe/Berlin");
	char buf[LS_PERIOD_BUFSZ];
	int64_t t, a, b;
	size_t i;

	(void)state;
	assert_int_equal(ls_time_parse("2026-10-23", 10, z, LS_TIME_DATE, &t, NULL), 0);
	for (i = 0; i < NELEM(want); i++) {
		assert_int_equal(ls_period_range(z, LS_PERIOD_DAY, t, &a, &b), 0);
		assert_int_equal(a, t);
		assert_int_equal(ls_period_key(z, LS_PERIOD_DAY, a, buf, sizeof(buf)), 0);
		assert_string_equal(buf, want[i]);
		assert_int_equal((b - a) / 3600, hours[i]);
		t = b;
	}
	ls_tz_free(z);
}

static void
test_period_key_range_bad(void **state)
{
	static const struct { enum ls_period per; const char *key; } c[] = {
		{ LS_PERIOD_WEEK, "2026-W54" }, { LS_PERIOD_WEEK, "2025-W53" },
		{ LS_PERIOD_WEEK, "2026-W00" }, { LS_PERIOD_WEEK, "2026-48" },
		{ LS_PERIOD_WEEK, "2026-w48" }, { LS_PERIOD_MONTH, "2026-13" },
		{ LS_PERIOD_MONTH, "2026-1" }, { LS_PERIOD_MONTH, "2026-11-01" },
		{ LS_PERIOD_DAY, "2026-11" }, { LS_PERIOD_DAY, "2026-02-29" },
	};
	struct ls_error err;
	int64_t a = 1, b = 2;
	size_t i;

	(void)state;
	for (i = 0; i < NELEM(c); i++) {
		memset(&err, 0, sizeof(err));
		if (ls_period_key_range(NULL, c[i].per, c[i].key, strlen(c[i].key),
		    &a, &b, &err) != LS_EDATA)
			fail_msg("'%s' accepted", c[i].key);
		assert_true(err.msg[0] != '\0');
	}
	assert_int_equal(a, 1);
	ls_period_key_range(NULL, LS_PERIOD_WEEK, "2025-W53", 8, &a, &b, &err);
	assert_string_equal(err.msg, "2025 has no week 53");
	{
		/* an instant past year 9999 has no period: the key left empty, the range untouched */
		char buf[LS_PERIOD_BUFSZ] = "x";

		assert_int_equal(ls_period_key(NULL, LS_PERIOD_MONTH, INT64_C(300000000000), buf, sizeof(buf)),
		    LS_EDATA);
		assert_string_equal(buf, "");
		assert_int_equal(ls_period_range(NULL, LS_PERIOD_WEEK, INT64_C(-70000000000), &a, &b), LS_EDATA);
		assert_int_equal(a, 1);
		assert_int_equal(b, 2);
	}
}

static void
test_iso_weeks(void **state)
{
	static const struct { const char *date, *week; } c[] = {
		{ "2020-12-31", "2020-W53" }, { "2021-01-03", "2020-W53" },
		{ "2021-01-04", "2021-W01" }, { "2024-12-30", "2025-W01" },
		{ "2026-12-31", "2026-W53" }, { "2027-01-01", "2026-W53" },
		{ "2027-01-04", "2027-W01" }, { "2026-11-26", "2026-W48" },
		{ "2008-12-29", "2009-W01" }, { "2010-01-03", "2009-W53" },
		{ "2026-01-01", "2026-W01" }, { "2025-12-29", "2026-W01" },
		{ "2019-12-30", "2020-W01" }, { "2015-12-31", "2015-W53" },
		{ "2016-01-03", "2015-W53" },
	};
	char buf[LS_PERIOD_BUFSZ];
	struct ls_date d;
	size_t i;

	(void)state;
	for (i = 0; i < NELEM(c); i++) {
		assert_int_equal(ls_date_parse(c[i].date, 10, &d, NULL), 0);
		assert_int_equal(ls_period_key_date(LS_PERIOD_WEEK, &d, buf, sizeof(buf)), 0);
		if (strcmp(buf, c[i].week) != 0)
			fail_msg("%s: %s, want %s", c[i].date, buf, c[i].week);
	}
	assert_int_equal(ls_period_key_date(LS_PERIOD_MONTH, &d, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "2016-01");
	assert_int_equal(ls_period_key_date(LS_PERIOD_DAY, &d, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "2016-01-03");
	assert_int_equal(ls_period_key_date(LS_PERIOD_DAY, &d, buf, 10), LS_EUSAGE);
}

static void
test_period_parse(void **state)
{
	enum ls_period p;

	(void)state;
	assert_int_equal(ls_period_parse("day", 3, &p, NULL), 0);
	assert_int_equal(p, LS_PERIOD_DAY);
	assert_int_equal(ls_period_parse("week", 4, &p, NULL), 0);
	assert_int_equal(p, LS_PERIOD_WEEK);
	assert_int_equal(ls_period_parse("month", 5, &p, NULL), 0);
	assert_int_equal(p, LS_PERIOD_MONTH);
	assert_int_equal(ls_period_parse("year", 4, &p, NULL), LS_EUSAGE);
	assert_int_equal(ls_period_parse("days", 4, &p, NULL), LS_EUSAGE);
}

/* The first day of the period holding a date, and the first of the next: weeks from Monday. */
static void
test_period_days(void **state)
{
	static const struct {
		enum ls_period per;
		const char *date, *first, *next;
	} c[] = {
		{ LS_PERIOD_DAY, "2026-11-26", "2026-11-26", "2026-11-27" },
		{ LS_PERIOD_DAY, "2026-12-31", "2026-12-31", "2027-01-01" },
		{ LS_PERIOD_DAY, "2024-02-28", "2024-02-28", "2024-02-29" },
		{ LS_PERIOD_WEEK, "2026-11-26", "2026-11-23", "2026-11-30" },	/* a Thursday */
		{ LS_PERIOD_WEEK, "2026-11-23", "2026-11-23", "2026-11-30" },	/* a Monday */
		{ LS_PERIOD_WEEK, "2026-11-29", "2026-11-23", "2026-11-30" },	/* a Sunday */
		{ LS_PERIOD_WEEK, "2027-01-01", "2026-12-28", "2027-01-04" },	/* across the year */
		{ LS_PERIOD_MONTH, "2026-11-26", "2026-11-01", "2026-12-01" },
		{ LS_PERIOD_MONTH, "2026-12-05", "2026-12-01", "2027-01-01" },
		{ LS_PERIOD_MONTH, "2024-02-29", "2024-02-01", "2024-03-01" },
		{ LS_PERIOD_MONTH, "2026-02-01", "2026-02-01", "2026-03-01" },
	};
	char a[LS_DATE_BUFSZ], b[LS_DATE_BUFSZ];
	struct ls_date d, first, next;
	size_t i;

	(void)state;
	for (i = 0; i < NELEM(c); i++) {
		assert_int_equal(ls_date_parse(c[i].date, 10, &d, NULL), 0);
		ls_period_days(c[i].per, &d, &first, &next);
		assert_int_equal(ls_date_format(&first, a, sizeof(a)), 0);
		assert_int_equal(ls_date_format(&next, b, sizeof(b)), 0);
		if (strcmp(a, c[i].first) != 0 || strcmp(b, c[i].next) != 0)
			fail_msg("%s: [%s, %s), want [%s, %s)", c[i].date, a, b, c[i].first, c[i].next);
	}
}

/* kpi-report's --period names what it refuses. */
static void
test_period_parse_message(void **state)
{
	struct ls_error err;
	enum ls_period p = LS_PERIOD_DAY;

	(void)state;
	memset(&err, 0, sizeof(err));
	assert_int_equal(ls_period_parse("quarter", 7, &p, &err), LS_EUSAGE);
	assert_string_equal(err.msg, "unknown period 'quarter' (expected day, week or month)");
	assert_int_equal(p, LS_PERIOD_DAY);
}

/*
 * The calendar's ends: 0001-01-01 is a Monday, so year 1's first week and
 * month start in range; the period after one ending with 9999 starts on
 * 10000-01-01, which is said (not left unset) though no date can hold it,
 * and asking for its instants is refused naming the period.
 */
static void
test_period_calendar_ends(void **state)
{
	static const struct {
		enum ls_period per;
		const char *date, *key;
	} c[] = {
		{ LS_PERIOD_DAY, "9999-12-31", "9999-12-31" },
		{ LS_PERIOD_WEEK, "9999-12-31", "9999-W52" },
		{ LS_PERIOD_MONTH, "9999-12-15", "9999-12" },
	};
	char buf[LS_PERIOD_BUFSZ], a[LS_DATE_BUFSZ];
	struct ls_date d, first, next, bad = { 2026, 2, 30 };
	struct ls_error err;
	int64_t s = 1, e = 2;

	(void)state;
	for (size_t i = 0; i < NELEM(c); i++) {
		assert_int_equal(ls_date_parse(c[i].date, 10, &d, NULL), 0);
		assert_int_equal(ls_period_key_date(c[i].per, &d, buf, sizeof(buf)), 0);
		assert_string_equal(buf, c[i].key);
		ls_period_days(c[i].per, &d, &first, &next);
		assert_int_equal(next.year, 10000);
		assert_int_equal(next.month, 1);
		assert_int_equal(next.day, 1);
		memset(&err, 0, sizeof(err));
		assert_int_equal(ls_period_key_range(NULL, c[i].per, c[i].key, strlen(c[i].key), &s, &e,
		    &err), LS_EDATA);
		assert_non_null(strstr(err.msg, "out of range"));
		assert_non_null(strstr(err.msg, c[i].key));
	}
	assert_int_equal(s, 1);
	assert_int_equal(ls_date_parse("0001-01-01", 10, &d, NULL), 0);
	ls_period_days(LS_PERIOD_WEEK, &d, &first, &next);
	assert_int_equal(ls_date_format(&first, a, sizeof(a)), 0);
	assert_string_equal(a, "0001-01-01");
	assert_int_equal(ls_period_key_date(LS_PERIOD_WEEK, &d, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "0001-W01");
	/* a date that is none: nothing written but an empty key */
	assert_int_equal(ls_period_key_date(LS_PERIOD_MONTH, &bad, buf, sizeof(buf)), LS_EUSAGE);
	assert_string_equal(buf, "");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_day_buckets_dst),
		cmocka_unit_test(test_period_ranges_dst),
		cmocka_unit_test(test_period_iteration),
		cmocka_unit_test(test_period_key_range_bad),
		cmocka_unit_test(test_iso_weeks),
		cmocka_unit_test(test_period_parse),
		cmocka_unit_test(test_period_days),
		cmocka_unit_test(test_period_parse_message),
		cmocka_unit_test(test_period_calendar_ends),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
