/*
 * test_calendar.c - the working calendar (calendar.h): per-weekday hours,
 * lunch, holidays, transferred and shortened days, business-day counts,
 * the file's errors, "calendar:" named by another config, and many random
 * queries checked against cal_oracle.py, an independent reading of the
 * rules in Python.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "calendar.h"

#define H	INT64_C(3600)

static const char russia[] =
	"timezone: Europe/Moscow\n"
	"hours: {mon-thu: \"09:00-18:00\", fri: \"09:00-16:45\"}\n"
	"lunch: \"13:00-14:00\"\n"
	"holidays: [2026-11-04, 2026-12-31, 2027-01-01..2027-01-08]\n"
	"workdays: [2027-01-09]\n"
	"shortened: [2026-11-03]\n";

static struct ls_cal *
load(const char *text)
{
	struct ls_error err;
	struct ls_cal *cal;

	memset(&err, 0, sizeof(err));
	cal = ls_cal_load_mem("calendar.yaml", text, strlen(text), &err);
	if (cal == NULL)
		fail_msg("load: %s:%ld:%ld: %s", err.file, err.line, err.col, err.msg);
	return cal;
}

static int64_t
T(const char *s)
{
	struct ls_tz *utc = ls_tz_open("UTC", NULL);
	int64_t t = 0;

	assert_int_equal(ls_time_parse(s, strlen(s), utc, 0, &t, NULL), 0);
	ls_tz_free(utc);
	return t;
}

static int64_t
D(const char *s)
{
	struct ls_date d;

	assert_int_equal(ls_date_parse(s, strlen(s), &d, NULL), 0);
	return ls_date_to_days(&d);
}

static void
test_days(void **state)
{
	struct ls_cal *cal = load(russia);
	int64_t out;

	(void)state;
	assert_true(ls_cal_has_hours(cal));
	assert_int_equal(ls_cal_day_length(cal), 8 * H);
	assert_true(ls_cal_is_workday(cal, D("2026-11-03")));
	assert_false(ls_cal_is_workday(cal, D("2026-11-04")));	/* a holiday */
	assert_false(ls_cal_is_workday(cal, D("2026-11-07")));	/* Saturday */
	assert_true(ls_cal_is_workday(cal, D("2027-01-09")));	/* a Saturday worked */
	/* next and previous working day */
	assert_int_equal(ls_cal_add_days(cal, D("2026-11-03"), 1, &out), 0);
	assert_int_equal(out, D("2026-11-05"));
	assert_int_equal(ls_cal_add_days(cal, D("2026-11-09"), -1, &out), 0);
	assert_int_equal(out, D("2026-11-06"));
	assert_int_equal(ls_cal_add_days(cal, D("2026-11-07"), 0, &out), 0);
	assert_int_equal(out, D("2026-11-07"));
	/* 5 business days from Wednesday 30 December: 9, 11, 12, 13, 14 January */
	assert_int_equal(ls_cal_add_days(cal, D("2026-12-30"), 5, &out), 0);
	assert_int_equal(out, D("2027-01-14"));
	ls_cal_free(cal);
}

static void
test_seconds(void **state)
{
	struct ls_cal *cal = load(russia);
	int64_t mon = T("2026-11-02T12:00:00+03:00");

	(void)state;
	/* lunch is no business time: 12:00 + 2h is 15:00 */
	assert_int_equal(ls_cal_add(cal, mon, 2 * H), T("2026-11-02T15:00:00+03:00"));
	/* a deadline at lunch's start is that start */
	assert_int_equal(ls_cal_add(cal, mon, 1 * H), T("2026-11-02T13:00:00+03:00"));
	assert_int_equal(ls_cal_business(cal, mon, T("2026-11-02T14:30:00+03:00")), H + H / 2);
	/* Tuesday 3 November is shortened: 17:00; the 4th a holiday */
	assert_int_equal(ls_cal_business(cal, T("2026-11-03T00:00:00+03:00"),
	    T("2026-11-05T00:00:00+03:00")), 7 * H);
	assert_int_equal(ls_cal_add(cal, T("2026-11-03T16:00:00+03:00"), 2 * H),
	    T("2026-11-05T10:00:00+03:00"));
	/* Friday ends at 16:45 */
	assert_int_equal(ls_cal_add(cal, T("2026-11-06T16:00:00+03:00"), H),
	    T("2026-11-09T09:15:00+03:00"));
	/* the worked Saturday takes Monday's hours */
	assert_int_equal(ls_cal_business(cal, T("2027-01-09T00:00:00+03:00"),
	    T("2027-01-10T00:00:00+03:00")), 8 * H);
	assert_int_equal(ls_cal_business(cal, mon, mon), 0);
	assert_int_equal(ls_cal_add(cal, mon, 0), mon);
	ls_cal_free(cal);
}

static void
test_forms(void **state)
{
	struct ls_cal *cal;

	(void)state;
	/* ticket-log's form, and the rule for days before holidays */
	cal = load("timezone: Europe/Moscow\n"
	    "business_hours: {days: [mon, tue, wed, thu, fri], from: \"09:00\", to: \"18:00\"}\n"
	    "holidays: [2026-11-04]\nshorten_before_holidays: yes\nshorten_by: 2h\n");
	assert_int_equal(ls_cal_day_length(cal), 9 * H);
	assert_int_equal(ls_cal_business(cal, T("2026-11-03T00:00:00+03:00"),
	    T("2026-11-04T00:00:00+03:00")), 7 * H);
	ls_cal_free(cal);
	/* only transferred days worked: the days/from/to form's hours */
	cal = load("timezone: UTC\nbusiness_hours: {days: [], from: \"10:00\", to: \"12:00\"}\n"
	    "workdays: [2026-11-07]\n");
	assert_int_equal(ls_cal_day_length(cal), 2 * H);
	assert_int_equal(ls_cal_business(cal, T("2026-11-01T00:00:00Z"), T("2026-11-30T00:00:00Z")),
	    2 * H);
	ls_cal_free(cal);
	/* no hours: around the clock, holidays not used */
	cal = load("timezone: UTC\nholidays: [2026-11-04]\n");
	assert_false(ls_cal_has_hours(cal));
	assert_true(ls_cal_is_workday(cal, D("2026-11-04")));
	assert_int_equal(ls_cal_day_length(cal), 24 * H);
	assert_int_equal(ls_cal_business(cal, T("2026-11-03T12:00:00Z"), T("2026-11-05T12:00:00Z")),
	    48 * H);
	ls_cal_free(cal);
	/* a day with a DST change lasts as long as the clock says */
	cal = load("timezone: Europe/Berlin\n");
	assert_int_equal(ls_cal_business(cal, T("2026-03-29T00:00:00+01:00"),
	    T("2026-03-30T00:00:00+02:00")), 23 * H);
	ls_cal_free(cal);
}

static void
test_bad_files(void **state)
{
	static const struct {
		const char *text, *msg;
	} cases[] = {
		{ "hours: {mon-thu: \"09:00-18:00\", fry: \"09:00-16:00\"}\n",
		  "calendar.yaml:1:33: expected weekdays such as mon, mon-thu or days/from/to, got 'fry'" },
		{ "hours: {mon: \"18:00-09:00\"}\n", "calendar.yaml:1:14: hours '18:00-09:00' end before they start" },
		{ "hours: {mon: \"9 to 6\"}\n", "calendar.yaml:1:14: expected hours HH:MM-HH:MM, got '9 to 6'" },
		{ "hours: {fri-mon: \"09:00-18:00\"}\n", "calendar.yaml:1:9: expected weekdays" },
		{ "hours: {mon-fri: \"09:00-18:00\", wed: \"10:00-12:00\"}\n",
		  "calendar.yaml:1:33: 'wed' names a weekday given hours before" },
		{ "hours: {mon: \"09:00-18:00\"}\nbusiness_hours: {from: \"09:00\"}\n",
		  "calendar.yaml:2:17: hours and business_hours both given" },
		{ "lunch: \"13:00-14:00\"\n", "calendar.yaml:1:8: lunch needs working hours" },
		{ "hours: {mon: \"09:00-18:00\"}\nlunch: 13\n", "calendar.yaml:2:8: expected hours HH:MM-HH:MM" },
		{ "shorten_by: 25h\n", "calendar.yaml:1:13: expected a duration under a day" },
		{ "shorten_before_holidays: maybe\n", "calendar.yaml:1:26: expected" },
		{ "shortened: [2026-02-30]\n", "calendar.yaml:1:13: expected a date YYYY-MM-DD" },
		{ "calendar: other.yaml\n", "calendar.yaml:1:1: unknown key 'calendar'" },
		{ "timezone: Mars/Olympus\n", "calendar.yaml:1:11: unknown time zone 'Mars/Olympus'" },
		{ "hours: {days: []}\n", "calendar.yaml:1:8: hours lists no days" },
		{ "hours: {mon: {from: 9}}\n", "calendar.yaml:1:14: expected a string, got a mapping" },
		{ "hours: {mon-xyz: \"09:00-18:00\"}\n", "calendar.yaml:1:9: expected weekdays" },
		{ "business_hours: {days: [mon], form: \"09:00\"}\n",
		  "calendar.yaml:1:31: unknown key 'form' (expected one of: days, from, to)" },
		{ "shorten_by: [1h]\n", "calendar.yaml:1:13: expected a string, got a sequence" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct ls_error err;
		char buf[1200];

		memset(&err, 0, sizeof(err));
		assert_null(ls_cal_load_mem("calendar.yaml", cases[i].text, strlen(cases[i].text), &err));
		assert_int_equal(err.status, LS_ECONFIG);
		ls_error_format(&err, buf, sizeof(buf));
		if (strncmp(buf, cases[i].msg, strlen(cases[i].msg)) != 0)
			fail_msg("case %zu: got '%s', want '%s...'", i, buf, cases[i].msg);
	}
}

static void
write_file(const char *path, const char *text)
{
	FILE *fp = fopen(path, "w");

	assert_non_null(fp);
	fputs(text, fp);
	fclose(fp);
}

/* "calendar: FILE" in another config: relative to that config's folder. */
static void
test_named(void **state)
{
	char dir[] = "/tmp/test_calendar.XXXXXX", cfg[64], calf[64];
	struct ls_config *c;
	struct ls_error err;
	struct ls_cal *cal;
	int64_t out;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(cfg, sizeof cfg, "%s/company.yaml", dir);
	snprintf(calf, sizeof calf, "%s/cal.yaml", dir);
	write_file(calf, russia);
	write_file(cfg, "payment_days: 5\ncalendar: cal.yaml\n");
	memset(&err, 0, sizeof(err));
	assert_non_null(c = ls_config_load(cfg, &err));
	assert_non_null(cal = ls_cal_config(c, ls_config_root(c), &err));
	assert_int_equal(ls_cal_add_days(cal, D("2026-11-03"), 1, &out), 0);
	assert_int_equal(out, D("2026-11-05"));
	ls_cal_free(cal);
	ls_config_free(c);
	/* inline keys beside calendar: refused */
	write_file(cfg, "calendar: cal.yaml\nholidays: [2026-11-04]\n");
	assert_non_null(c = ls_config_load(cfg, &err));
	assert_null(ls_cal_config(c, ls_config_root(c), &err));
	assert_int_equal(err.line, 2);
	assert_non_null(strstr(err.msg, "beside calendar"));
	ls_config_free(c);
	/* a bad calendar file names its own file, line and column */
	write_file(calf, "timezone: Europe/Moscow\nholidays: [2026-13-01]\n");
	write_file(cfg, "calendar: cal.yaml\n");
	assert_non_null(c = ls_config_load(cfg, &err));
	assert_null(ls_cal_config(c, ls_config_root(c), &err));
	assert_int_equal(err.status, LS_ECONFIG);
	assert_string_equal(err.file, calf);
	assert_int_equal(err.line, 2);
	assert_int_equal(err.col, 12);
	ls_config_free(c);
	/* calendar: names a file, or is refused where it stands */
	write_file(cfg, "calendar: \"\"\n");
	assert_non_null(c = ls_config_load(cfg, &err));
	assert_null(ls_cal_config(c, ls_config_root(c), &err));
	assert_int_equal(err.status, LS_ECONFIG);
	assert_string_equal(err.msg, "calendar: expected a file name");
	assert_int_equal(err.line, 1);
	assert_int_equal(err.col, 11);
	ls_config_free(c);
	write_file(cfg, "calendar: [cal.yaml]\n");
	assert_non_null(c = ls_config_load(cfg, &err));
	assert_null(ls_cal_config(c, ls_config_root(c), &err));
	assert_int_equal(err.status, LS_ECONFIG);
	assert_string_equal(err.msg, "expected a string, got a sequence");
	ls_config_free(c);
	unlink(calf);
	unlink(cfg);
	rmdir(dir);
}

/* A calendar whose working days run out: a search gives up after 100 years, saying so. */
static void
test_no_more_workdays(void **state)
{
	struct ls_cal *cal;
	struct ls_date d;
	int64_t out;

	(void)state;
	cal = load("timezone: UTC\nbusiness_hours: {days: [], from: \"10:00\", to: \"12:00\"}\n"
	    "workdays: [2026-11-07]\n");
	assert_int_equal(ls_cal_add_days(cal, D("2026-11-01"), 1, &out), 0);
	assert_int_equal(out, D("2026-11-07"));
	out = -1;
	assert_int_equal(ls_cal_add_days(cal, D("2026-11-07"), 1, &out), LS_EDATA);
	assert_int_equal(out, -1);	/* untouched */
	assert_int_equal(ls_cal_add_days(cal, D("2026-11-07"), -1, &out), LS_EDATA);
	assert_int_equal(ls_date_parse("2026-11-08", 10, &d, NULL), 0);
	assert_int_equal(ls_cal_add_date(cal, &d, 1, &d), LS_EDATA);
	ls_cal_free(cal);
}

/* Many random calendars and queries against cal_oracle.py's answers. */
static void
test_oracle(void **state)
{
	char cmd[512], line[4096], *yaml = NULL;
	size_t ylen = 0, ycap = 0;
	const char *seed = getenv("CAL_ORACLE_SEED");
	struct ls_cal *cal = NULL;
	long checked = 0, ncal = 0;
	int in_cal = 0;
	FILE *p;

	(void)state;
	if (access("/usr/bin/python3", X_OK) != 0) {
		printf("skipped: /usr/bin/python3 not installed\n");
		skip();
	}
	/* the script sits beside this file; tests run from the checkout's top */
	snprintf(cmd, sizeof cmd, "/usr/bin/python3 %.*scal_oracle.py %s 40 60",
	    (int)(strrchr(__FILE__, '/') ? strrchr(__FILE__, '/') - __FILE__ + 1 : 0), __FILE__,
	    seed ? seed : "29");
	assert_non_null(p = popen(cmd, "r"));
	while (fgets(line, sizeof line, p) != NULL) {
		long long a, b, c;
		int64_t got;

		if (in_cal) {
			if (strcmp(line, "END\n") == 0) {
				in_cal = 0;
				ls_cal_free(cal);
				cal = load(yaml);
				ncal++;
				continue;
			}
			while (ylen + strlen(line) + 1 > ycap) {
				ycap = ycap ? 2 * ycap : 4096;
				assert_non_null(yaml = realloc(yaml, ycap));
			}
			memcpy(yaml + ylen, line, strlen(line) + 1);
			ylen += strlen(line);
			continue;
		}
		if (strcmp(line, "CAL\n") == 0) {
			in_cal = 1;
			ylen = 0;
			continue;
		}
		assert_non_null(cal);
		if (sscanf(line, "W %lld %lld", &a, &b) == 2)
			got = ls_cal_is_workday(cal, a), c = b;
		else if (sscanf(line, "D %lld %lld %lld", &a, &b, &c) == 3)
			assert_int_equal(ls_cal_add_days(cal, a, b, &got), 0);
		else if (sscanf(line, "B %lld %lld %lld", &a, &b, &c) == 3)
			got = ls_cal_business(cal, a, b);
		else if (sscanf(line, "A %lld %lld %lld", &a, &b, &c) == 3)
			got = ls_cal_add(cal, a, b);
		else
			fail_msg("oracle: unreadable line '%s'", line);
		if (got != c)
			fail_msg("calendar %ld:\n%squery %sgot %lld", ncal, yaml, line, (long long)got);
		checked++;
	}
	assert_int_equal(pclose(p), 0);
	ls_cal_free(cal);
	free(yaml);
	assert_true(ncal == 40 && checked == 40 * 60 * 4);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_days),
		cmocka_unit_test(test_seconds),
		cmocka_unit_test(test_forms),
		cmocka_unit_test(test_bad_files),
		cmocka_unit_test(test_named),
		cmocka_unit_test(test_no_more_workdays),
		cmocka_unit_test(test_oracle),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
