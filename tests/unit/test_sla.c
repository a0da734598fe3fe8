/*
 * test_sla.c - business-time arithmetic (weekends, holidays, transferred
 * workdays, DST), the SLA file's errors, and SLA clocks replayed from
 * events (pauses over a night, replay to an instant, met and breached).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "queue.h"
#include "sla.h"
#include "ticket.h"

#define H	INT64_C(3600)

static const char moscow[] =
	"timezone: Europe/Moscow\n"
	"business_hours: {days: [mon, tue, wed, thu, fri], from: \"09:00\", to: \"18:00\"}\n"
	"holidays: [2026-12-31, 2027-01-01]\n"
	"pause_statuses: [pending]\n"
	"targets:\n"
	"  urgent: {first_response: 30m, resolution: 4h}\n"
	"  high:   {first_response: 1h,  resolution: 1d}\n"
	"  normal: {first_response: 4h,  resolution: 3d}\n"
	"  low:    {first_response: 1d,  resolution: 10d}\n";

static struct ls_sla *
load(const char *text)
{
	struct ls_error err;
	struct ls_sla *s;

	memset(&err, 0, sizeof(err));
	s = ls_sla_load_mem("sla.yaml", text, strlen(text), &err);
	if (s == NULL)
		fail_msg("load: %s", err.msg);
	return s;
}

/* The instant of an RFC 3339 timestamp. */
static int64_t
T(const char *s)
{
	int64_t t;

	if (ls_time_parse(s, strlen(s), NULL, 0, &t, NULL) != 0)
		fail_msg("bad time %s", s);
	return t;
}

static void
test_targets(void **state)
{
	struct ls_sla *s = load(moscow);
	int64_t f, r;

	(void)state;
	ls_sla_targets(s, LS_PRIO_URGENT, &f, &r);
	assert_int_equal(f, 30 * 60);
	assert_int_equal(r, 4 * H);
	/* a target's day is a business day: 9 hours here */
	ls_sla_targets(s, LS_PRIO_HIGH, &f, &r);
	assert_int_equal(r, 9 * H);
	ls_sla_targets(s, LS_PRIO_LOW, &f, &r);
	assert_int_equal(f, 9 * H);
	assert_int_equal(r, 90 * H);
	assert_int_equal(ls_sla_at_risk(s), 20);
	assert_true(ls_sla_pauses(s, LS_TS_PENDING));
	assert_false(ls_sla_pauses(s, LS_TS_OPEN));
	ls_sla_free(s);
	/* no business_hours: every second counts, a day is 24 hours */
	s = load("targets: {low: {resolution: 1d4h}}\nat_risk: 35%\n");
	ls_sla_targets(s, LS_PRIO_LOW, &f, &r);
	assert_int_equal(f, -1);
	assert_int_equal(r, 28 * H);
	ls_sla_targets(s, LS_PRIO_NORMAL, &f, &r);
	assert_int_equal(r, -1);
	assert_int_equal(ls_sla_at_risk(s), 35);
	ls_sla_free(s);
}

/* Friday 17:00 + 4 business hours: one hour on Friday, three on Monday. */
static void
test_weekend(void **state)
{
	struct ls_sla *s = load(moscow);
	int64_t fri = T("2026-11-27T17:00:00+03:00");

	(void)state;
	assert_int_equal(ls_sla_add(s, fri, 4 * H), T("2026-11-30T12:00:00+03:00"));
	assert_int_equal(ls_sla_business(s, fri, T("2026-11-30T12:00:00+03:00")), 4 * H);
	assert_int_equal(ls_sla_business(s, fri, T("2026-11-29T23:59:59+03:00")), 1 * H);
	/* a deadline at the end of a day is that evening, not the next morning */
	assert_int_equal(ls_sla_add(s, fri, 1 * H), T("2026-11-27T18:00:00+03:00"));
	/* from outside business hours the clock starts next morning */
	assert_int_equal(ls_sla_add(s, T("2026-11-28T10:00:00+03:00"), 30 * 60),
	    T("2026-11-30T09:30:00+03:00"));
	assert_int_equal(ls_sla_add(s, T("2026-11-30T07:00:00+03:00"), 0), T("2026-11-30T07:00:00+03:00"));
	/* a whole week is 45 business hours */
	assert_int_equal(ls_sla_business(s, T("2026-11-23T00:00:00+03:00"),
	    T("2026-11-30T00:00:00+03:00")), 45 * H);
	assert_int_equal(ls_sla_business(s, fri, fri), 0);
	assert_int_equal(ls_sla_business(s, fri + H, fri), 0);
	ls_sla_free(s);
}

static void
test_holidays(void **state)
{
	struct ls_sla *s = load(moscow);
	int64_t wed = T("2026-12-30T16:00:00+03:00");

	(void)state;
	/* 31 Dec and 1 Jan are holidays, then the weekend: Monday 4 January */
	assert_int_equal(ls_sla_add(s, wed, 4 * H), T("2027-01-04T11:00:00+03:00"));
	assert_int_equal(ls_sla_business(s, wed, T("2027-01-04T11:00:00+03:00")), 4 * H);
	ls_sla_free(s);
	/* the Russian January holidays as a range, and a Saturday worked instead of a Friday */
	s = load("timezone: Europe/Moscow\n"
	    "business_hours: {days: [mon, tue, wed, thu, fri], from: \"09:00\", to: \"18:00\"}\n"
	    "holidays: [2026-12-31, 2027-01-01..2027-01-08]\n"
	    "workdays: [2027-01-09]\n");
	assert_int_equal(ls_sla_add(s, wed, 4 * H), T("2027-01-09T11:00:00+03:00"));
	assert_int_equal(ls_sla_add(s, wed, 12 * H), T("2027-01-11T10:00:00+03:00"));
	assert_int_equal(ls_sla_business(s, T("2027-01-01T00:00:00+03:00"),
	    T("2027-01-09T00:00:00+03:00")), 0);
	ls_sla_free(s);
	/* without business_hours the desk works 24/7: holidays are days like any other (issue 29) */
	s = load("timezone: Europe/Moscow\n"
	    "holidays: [2026-12-31, 2027-01-01..2027-01-08]\n"
	    "workdays: [2027-01-09]\n");
	assert_int_equal(ls_sla_add(s, wed, 4 * H), T("2026-12-30T20:00:00+03:00"));
	assert_int_equal(ls_sla_add(s, wed, 24 * H), T("2026-12-31T16:00:00+03:00"));
	assert_int_equal(ls_sla_business(s, T("2027-01-01T00:00:00+03:00"),
	    T("2027-01-09T00:00:00+03:00")), 8 * 24 * H);
	ls_sla_free(s);
}

/* Berlin changes to summer time on Sunday 29 March 2026 and back on 25 October. */
static void
test_dst(void **state)
{
	struct ls_sla *s;

	(void)state;
	s = load("timezone: Europe/Berlin\n"
	    "business_hours: {days: [mon, tue, wed, thu, fri], from: \"09:00\", to: \"18:00\"}\n");
	/* Friday 17:00 CET + 4h = Monday 12:00 CEST: 10:00 UTC, not 11:00 */
	assert_int_equal(ls_sla_add(s, T("2026-03-27T17:00:00+01:00"), 4 * H),
	    T("2026-03-30T10:00:00Z"));
	assert_int_equal(ls_sla_add(s, T("2026-10-23T17:00:00+02:00"), 4 * H),
	    T("2026-10-26T11:00:00Z"));
	ls_sla_free(s);
	/* every day, all day: the spring Sunday has 23 hours, the autumn one 25 */
	s = load("timezone: Europe/Berlin\n"
	    "business_hours: {days: [mon, tue, wed, thu, fri, sat, sun], from: \"00:00\", to: \"24:00\"}\n");
	assert_int_equal(ls_sla_business(s, T("2026-03-29T00:00:00+01:00"),
	    T("2026-03-30T00:00:00+02:00")), 23 * H);
	assert_int_equal(ls_sla_business(s, T("2026-10-25T00:00:00+02:00"),
	    T("2026-10-26T00:00:00+01:00")), 25 * H);
	/* 24 business hours from Saturday noon end at Sunday 13:00 local */
	assert_int_equal(ls_sla_add(s, T("2026-03-28T12:00:00+01:00"), 24 * H),
	    T("2026-03-29T13:00:00+02:00"));
	ls_sla_free(s);
}

static void
test_bad_files(void **state)
{
	static const struct {
		const char *text, *msg;
	} cases[] = {
		{ "timezone: Europe/Moscow\ntargts: {}\n", "sla.yaml:2:1: unknown key 'targts'" },
		{ "targets:\n  normal: {first_response: 4x}\n", "sla.yaml:2:28: expected a duration" },
		{ "targets:\n  normal: {first_response: 4h, resolve: 1d}\n", "sla.yaml:2:32: unknown key 'resolve'" },
		{ "targets:\n  critical: {first_response: 4h}\n", "sla.yaml:2:3: unknown key 'critical'" },
		{ "pause_statuses: [waiting]\n", "sla.yaml:1:18: unknown status 'waiting'" },
		{ "timezone: Mars/Olympus\n", "sla.yaml:1:11: unknown time zone 'Mars/Olympus'" },
		{ "business_hours: {days: [mon, fri], from: \"18:00\", to: \"09:00\"}\n",
		  "sla.yaml:1:17: business hours end before they start" },
		{ "business_hours: {days: [mon, frieday]}\n", "sla.yaml:1:30: expected a weekday" },
		{ "holidays: [2026-02-30]\n", "sla.yaml:1:12: expected a date" },
		{ "at_risk: 120%\n", "sla.yaml:1:10: expected a percentage" },
		{ "business_hours: {days: []}\n", "sla.yaml:1:17: business_hours lists no days" },
		/* every part of the file, each of its wrong shapes */
		{ "- a\n",
		  "sla.yaml:1:1: expected a mapping (key: value lines) at the top, got a sequence" },
		{ "timezone: [a]\n",
		  "sla.yaml:1:11: expected a string, got a sequence" },
		{ "holidays: {a: 1}\n",
		  "sla.yaml:1:11: expected a sequence, got a mapping" },
		{ "holidays: [[a]]\n",
		  "sla.yaml:1:12: expected a string, got a sequence" },
		{ "holidays: [2026-12-31..2026-12-01]\n",
		  "sla.yaml:1:12: date range '2026-12-31..2026-12-01' ends before it starts" },
		{ "holidays: [2020-01-01..2031-01-01]\n",
		  "sla.yaml:1:12: date range '2020-01-01..2031-01-01' is longer than 10 years" },
		{ "holidays: [2026-01-01..2026-13-01]\n",
		  "sla.yaml:1:12: expected a date YYYY-MM-DD or a range A..B, got '2026-01-01..2026-13-01'" },
		{ "workdays: [x]\n",
		  "sla.yaml:1:12: expected a date YYYY-MM-DD or a range A..B, got 'x'" },
		{ "business_hours: [a]\n",
		  "sla.yaml:1:17: expected a mapping, got a sequence" },
		{ "business_hours: {days: mon}\n",
		  "sla.yaml:1:24: expected a sequence, got 'mon'" },
		{ "business_hours: {days: [[mon]]}\n",
		  "sla.yaml:1:25: expected a string, got a sequence" },
		{ "business_hours: {from: 9am}\n",
		  "sla.yaml:1:24: expected a time of day HH:MM, got '9am'" },
		{ "business_hours: {from: [9]}\n",
		  "sla.yaml:1:24: expected a string, got a sequence" },
		{ "targets: [a]\n",
		  "sla.yaml:1:10: expected a mapping, got a sequence" },
		{ "targets:\n  normal: 4h\n",
		  "sla.yaml:2:11: expected a mapping, got '4h'" },
		{ "targets:\n  normal: {first_response: 0m}\n",
		  "sla.yaml:2:28: a target must be longer than 0" },
		{ "targets:\n  normal: {first_response: [4h]}\n",
		  "sla.yaml:2:28: expected a string, got a sequence" },
		{ "pause_statuses: pending\n",
		  "sla.yaml:1:17: expected a sequence, got 'pending'" },
		{ "pause_statuses: [[x]]\n",
		  "sla.yaml:1:18: expected a string, got a sequence" },
		{ "at_risk: [1]\n",
		  "sla.yaml:1:10: expected a string, got a sequence" },
		{ "business_hours: {to: \"25:00\"}\n",
		  "sla.yaml:1:22: expected a time of day HH:MM, got '25:00'" },		{ "channels: [phone, Telegram]\n",
		  "sla.yaml:1:19: bad channel name 'Telegram' (1 to 32 of a-z, 0-9, _ and -, a letter first)" },
		{ "channels: [phone, chat, phone]\n", "sla.yaml:1:25: channel 'phone' listed twice" },
		{ "channels: []\n", "sla.yaml:1:11: channels: the list is empty" },
		{ "channels: telegram\n", "sla.yaml:1:11: expected a sequence, got 'telegram'" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct ls_error err;
		char buf[1200];

		memset(&err, 0, sizeof(err));
		assert_null(ls_sla_load_mem("sla.yaml", cases[i].text, strlen(cases[i].text), &err));
		assert_int_equal(err.status, LS_ECONFIG);
		ls_error_format(&err, buf, sizeof(buf));
		if (strncmp(buf, cases[i].msg, strlen(cases[i].msg)) != 0)
			fail_msg("case %zu: got '%s', want '%s...'", i, buf, cases[i].msg);
	}
}

/* Build and apply one event to q. */
static void
apply(struct ls_queue *q, const char *ts, long id, enum ls_tevent ev, enum ls_tstatus st,
    enum ls_priority pr)
{
	static long long seq;
	struct ls_tlog_rec r;
	struct ls_error err;
	char idb[16];

	memset(&r, 0, sizeof(r));
	memset(&err, 0, sizeof(err));
	ls_ticket_id_format(id, idb, sizeof(idb));
	for (int i = 0; i < LS_TC_NCOLS; i++) {
		r.f[i].p = "";
		r.f[i].n = 0;
	}
	r.f[LS_TC_ID].p = idb;
	r.f[LS_TC_ID].n = strlen(idb);
	r.f[LS_TC_CLIENT].p = "ООО Ромашка";
	r.f[LS_TC_CLIENT].n = strlen(r.f[LS_TC_CLIENT].p);
	r.seq = ++seq;
	r.ts = T(ts);
	r.id = id;
	r.event = ev;
	r.status = st;
	r.priority = pr;
	assert_non_null(q);	/* ls_queue_new() ran out of memory (make check-oom-unit) */
	if (ls_queue_apply(q, &r, 1, "tickets.csv", &err) != 0)
		fail_msg("apply: %s", err.msg);
}

static const char *
sla_at(struct ls_queue *q, long id, const char *now, int64_t *due)
{
	return ls_queue_sla(q, ls_queue_get(q, id), T(now), due);
}

/* pending from Monday 16:00 to Tuesday 11:00 stops the resolution clock over the night and Tuesday morning */
static void
test_pause_over_night(void **state)
{
	struct ls_sla *s = load(moscow);
	struct ls_queue *q = ls_queue_new(s, NULL);
	int64_t due;

	(void)state;
	apply(q, "2026-11-30T10:00:00+03:00", 1, LS_EV_OPEN, LS_TS_NEW, LS_PRIO_NORMAL);
	/* first response due 14:00 (4h) */
	assert_string_equal(sla_at(q, 1, "2026-11-30T10:30:00+03:00", &due), "ok");
	assert_int_equal(due, T("2026-11-30T14:00:00+03:00"));
	apply(q, "2026-11-30T10:30:00+03:00", 1, LS_EV_REPLY, LS_TS_OPEN, LS_PRIO_NORMAL);
	/* then resolution: 3d = 27 business hours from Monday 10:00 = Thursday 10:00 */
	assert_string_equal(sla_at(q, 1, "2026-11-30T12:00:00+03:00", &due), "ok");
	assert_int_equal(due, T("2026-12-03T10:00:00+03:00"));
	apply(q, "2026-11-30T16:00:00+03:00", 1, LS_EV_STATUS, LS_TS_PENDING, LS_PRIO_NORMAL);
	assert_string_equal(sla_at(q, 1, "2026-12-01T10:00:00+03:00", &due), "paused");
	assert_int_equal(due, -1);
	apply(q, "2026-12-01T11:00:00+03:00", 1, LS_EV_STATUS, LS_TS_OPEN, LS_PRIO_NORMAL);
	/* 6h used Monday, 21h left from Tuesday 11:00: 7 + 9 + 5 -> Thursday 14:00 */
	assert_string_equal(sla_at(q, 1, "2026-12-01T12:00:00+03:00", &due), "ok");
	assert_int_equal(due, T("2026-12-03T14:00:00+03:00"));
	/* at_risk with less than 20% of 27h (5.4h) left: after Wednesday 17:36 (6 + 7 + 8.6 used) */
	assert_string_equal(sla_at(q, 1, "2026-12-02T17:36:00+03:00", &due), "ok");
	assert_string_equal(sla_at(q, 1, "2026-12-02T17:36:01+03:00", &due), "at_risk");
	assert_string_equal(sla_at(q, 1, "2026-12-03T08:00:00+03:00", &due), "at_risk");
	assert_string_equal(sla_at(q, 1, "2026-12-03T14:00:00+03:00", &due), "breached");
	/* solved before the deadline: met, however late it is asked */
	apply(q, "2026-12-03T13:00:00+03:00", 1, LS_EV_STATUS, LS_TS_SOLVED, LS_PRIO_NORMAL);
	assert_string_equal(sla_at(q, 1, "2026-12-10T12:00:00+03:00", &due), "met");
	assert_int_equal(due, -1);
	ls_queue_free(q);
	ls_sla_free(s);
}

/* The queue at an instant: only the events up to it, the clocks read at it. */
static void
test_replay_at(void **state)
{
	static const struct {
		const char *ts;
		enum ls_tevent ev;
		enum ls_tstatus st;
	} evs[] = {
		{ "2026-11-26T09:05:00+03:00", LS_EV_OPEN, LS_TS_NEW },
		{ "2026-11-26T09:33:00+03:00", LS_EV_REPLY, LS_TS_OPEN },
		{ "2026-11-26T12:00:00+03:00", LS_EV_STATUS, LS_TS_SOLVED },
	};
	static const struct {
		const char *at, *sla, *due;
		enum ls_tstatus st;
	} cases[] = {
		{ "2026-11-26T09:20:00+03:00", "ok", "2026-11-26T09:35:00+03:00", LS_TS_NEW },
		{ "2026-11-26T09:30:00+03:00", "at_risk", "2026-11-26T09:35:00+03:00", LS_TS_NEW },
		/* had the reply not come: breached at 09:35 */
		{ "2026-11-26T09:40:00+03:00", "ok", "2026-11-26T13:05:00+03:00", LS_TS_OPEN },
		{ "2026-11-26T12:30:00+03:00", "met", NULL, LS_TS_SOLVED },
	};
	struct ls_sla *s = load(moscow);

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct ls_queue *q = ls_queue_new(s, NULL);
		int64_t at = T(cases[i].at), due;

		for (size_t k = 0; k < sizeof(evs) / sizeof(evs[0]); k++)
			if (T(evs[k].ts) <= at)
				apply(q, evs[k].ts, 1, evs[k].ev, evs[k].st, LS_PRIO_URGENT);
		assert_int_equal(ls_queue_get(q, 1)->status, cases[i].st);
		assert_string_equal(ls_queue_sla(q, ls_queue_get(q, 1), at, &due), cases[i].sla);
		assert_int_equal(due, cases[i].due ? T(cases[i].due) : -1);
		ls_queue_free(q);
	}
	/* no reply at all: breached from 09:35, and the deadline stays 09:35 */
	struct ls_queue *q = ls_queue_new(s, NULL);
	int64_t due;
	apply(q, evs[0].ts, 1, LS_EV_OPEN, LS_TS_NEW, LS_PRIO_URGENT);
	assert_string_equal(sla_at(q, 1, "2026-11-26T09:35:00+03:00", &due), "breached");
	assert_string_equal(sla_at(q, 1, "2026-11-27T09:35:00+03:00", &due), "breached");
	assert_int_equal(due, T("2026-11-26T09:35:00+03:00"));
	/* a late first reply leaves the solved ticket breached */
	apply(q, "2026-11-26T10:00:00+03:00", 1, LS_EV_REPLY, LS_TS_OPEN, LS_PRIO_URGENT);
	apply(q, "2026-11-26T10:30:00+03:00", 1, LS_EV_CLOSE, LS_TS_CLOSED, LS_PRIO_URGENT);
	assert_string_equal(sla_at(q, 1, "2026-11-26T11:00:00+03:00", &due), "breached");
	ls_queue_free(q);
	ls_sla_free(s);
}

/* at_risk is configurable */
static void
test_at_risk_key(void **state)
{
	struct ls_sla *s = load("targets: {urgent: {first_response: 30m}}\nat_risk: 50%\n");
	struct ls_queue *q = ls_queue_new(s, NULL);
	int64_t due;

	(void)state;
	apply(q, "2026-11-26T09:00:00Z", 1, LS_EV_OPEN, LS_TS_NEW, LS_PRIO_URGENT);
	assert_string_equal(sla_at(q, 1, "2026-11-26T09:15:00Z", &due), "ok");
	assert_string_equal(sla_at(q, 1, "2026-11-26T09:15:01Z", &due), "at_risk");
	/* a priority without targets has no SLA */
	apply(q, "2026-11-26T09:00:00Z", 2, LS_EV_OPEN, LS_TS_NEW, LS_PRIO_LOW);
	assert_string_equal(sla_at(q, 2, "2026-11-26T09:15:00Z", &due), "");
	assert_int_equal(due, -1);
	ls_queue_free(q);
	ls_sla_free(s);
}

/* channels: the file's list, else phone, email and chat; no channel is always fine */
static void
test_channels(void **state)
{
	struct ls_sla *s = load("channels: [phone, email, chat, telegram, whatsapp]\n");
	char buf[128];

	(void)state;
	assert_true(ls_sla_channels_own(s));
	assert_true(ls_sla_channel(s, "telegram", 8));
	assert_true(ls_sla_channel(s, "whatsapp", 8));
	assert_true(ls_sla_channel(s, "", 0));
	assert_false(ls_sla_channel(s, "fax", 3));
	assert_false(ls_sla_channel(s, "tele", 4));
	ls_sla_channel_list(s, buf, sizeof(buf));
	assert_string_equal(buf, "phone, email, chat, telegram or whatsapp");
	ls_sla_free(s);
	/* a file without the key, and no file at all */
	s = load(moscow);
	assert_false(ls_sla_channels_own(s));
	assert_true(ls_sla_channel(s, "chat", 4));
	assert_false(ls_sla_channel(s, "telegram", 8));
	ls_sla_free(s);
	assert_false(ls_sla_channels_own(NULL));
	assert_true(ls_sla_channel(NULL, "email", 5));
	assert_false(ls_sla_channel(NULL, "telegram", 8));
	ls_sla_channel_list(NULL, buf, sizeof(buf));
	assert_string_equal(buf, "phone, email or chat");
	/* one channel alone; a list cut to the buffer stays a string */
	s = load("channels: [telegram]\n");
	ls_sla_channel_list(s, buf, sizeof(buf));
	assert_string_equal(buf, "telegram");
	assert_false(ls_sla_channel(s, "phone", 5));
	ls_sla_free(s);
	ls_sla_channel_list(NULL, buf, 8);
	assert_string_equal(buf, "phone, ");
}

/*
 * A priority change: the clocks count from the opening against the new
 * priority's targets; a target missed under the old one stays missed.
 * Monday 30 November 2026, Moscow, 09:00-18:00; first response: normal
 * 4h, urgent 30m, low 1d (9h).
 */
static void
test_priority_change(void **state)
{
	struct ls_sla *s = load(moscow);
	struct ls_queue *q = ls_queue_new(s, NULL);
	struct ls_queue_filter f = { .statuses = LS_QF_AT_RISK };
	struct ls_ticket_row row;
	int64_t due;

	(void)state;
	/* escalated at 10:10 with 10 minutes used: 20 left, due 10:30 */
	apply(q, "2026-11-30T10:00:00+03:00", 1, LS_EV_OPEN, LS_TS_NEW, LS_PRIO_NORMAL);
	assert_int_equal((sla_at(q, 1, "2026-11-30T10:05:00+03:00", &due), due),
	    T("2026-11-30T14:00:00+03:00"));
	apply(q, "2026-11-30T10:10:00+03:00", 1, LS_EV_PRIORITY, LS_TS_NEW, LS_PRIO_URGENT);
	assert_string_equal(sla_at(q, 1, "2026-11-30T10:20:00+03:00", &due), "ok");
	assert_int_equal(due, T("2026-11-30T10:30:00+03:00"));
	assert_false(ls_queue_select(q, 1, &f, T("2026-11-30T10:20:00+03:00"), NULL, &row));
	/* less than 20% of 30 minutes left: at_risk, and --status at_risk lists it, not with open */
	assert_string_equal(sla_at(q, 1, "2026-11-30T10:25:00+03:00", &due), "at_risk");
	assert_true(ls_queue_select(q, 1, &f, T("2026-11-30T10:25:00+03:00"), NULL, &row));
	f.statuses |= 1u << LS_TS_NEW;
	assert_true(ls_queue_select(q, 1, &f, T("2026-11-30T10:25:00+03:00"), NULL, &row));
	f.statuses = LS_QF_AT_RISK | 1u << LS_TS_OPEN;
	assert_false(ls_queue_select(q, 1, &f, T("2026-11-30T10:25:00+03:00"), NULL, &row));
	assert_string_equal(sla_at(q, 1, "2026-11-30T10:30:00+03:00", &due), "breached");

	/* escalated at 11:00, past the urgent target already: breached at the change */
	apply(q, "2026-11-30T10:00:00+03:00", 2, LS_EV_OPEN, LS_TS_NEW, LS_PRIO_NORMAL);
	apply(q, "2026-11-30T11:00:00+03:00", 2, LS_EV_PRIORITY, LS_TS_NEW, LS_PRIO_URGENT);
	assert_string_equal(sla_at(q, 2, "2026-11-30T11:00:00+03:00", &due), "breached");
	assert_int_equal(due, T("2026-11-30T11:00:00+03:00"));

	/* lowered before the deadline: the low target from the opening, 9 business hours */
	apply(q, "2026-11-30T10:00:00+03:00", 3, LS_EV_OPEN, LS_TS_NEW, LS_PRIO_URGENT);
	apply(q, "2026-11-30T10:20:00+03:00", 3, LS_EV_PRIORITY, LS_TS_NEW, LS_PRIO_LOW);
	assert_string_equal(sla_at(q, 3, "2026-11-30T12:00:00+03:00", &due), "ok");
	assert_int_equal(due, T("2026-12-01T10:00:00+03:00"));

	/* lowered after the deadline: the broken promise stays broken, also once solved */
	apply(q, "2026-11-30T10:00:00+03:00", 4, LS_EV_OPEN, LS_TS_NEW, LS_PRIO_URGENT);
	apply(q, "2026-11-30T10:40:00+03:00", 4, LS_EV_PRIORITY, LS_TS_NEW, LS_PRIO_LOW);
	assert_string_equal(sla_at(q, 4, "2026-11-30T10:45:00+03:00", &due), "breached");
	assert_int_equal(due, T("2026-11-30T10:30:00+03:00"));
	apply(q, "2026-11-30T11:00:00+03:00", 4, LS_EV_REPLY, LS_TS_OPEN, LS_PRIO_LOW);
	apply(q, "2026-11-30T12:00:00+03:00", 4, LS_EV_STATUS, LS_TS_SOLVED, LS_PRIO_LOW);
	assert_string_equal(sla_at(q, 4, "2026-11-30T12:00:00+03:00", &due), "breached");

	/* a first response given in time is not graded again; the resolution's clock is */
	apply(q, "2026-11-30T10:00:00+03:00", 5, LS_EV_OPEN, LS_TS_NEW, LS_PRIO_NORMAL);
	apply(q, "2026-11-30T11:00:00+03:00", 5, LS_EV_REPLY, LS_TS_OPEN, LS_PRIO_NORMAL);
	apply(q, "2026-11-30T11:30:00+03:00", 5, LS_EV_PRIORITY, LS_TS_OPEN, LS_PRIO_URGENT);
	assert_string_equal(sla_at(q, 5, "2026-11-30T12:00:00+03:00", &due), "ok");
	assert_int_equal(due, T("2026-11-30T14:00:00+03:00"));
	apply(q, "2026-11-30T13:00:00+03:00", 5, LS_EV_STATUS, LS_TS_SOLVED, LS_PRIO_URGENT);
	assert_string_equal(sla_at(q, 5, "2026-11-30T13:00:00+03:00", &due), "met");

	/* a change written late takes its place in time: the same clocks as ticket 1 */
	apply(q, "2026-11-30T10:00:00+03:00", 6, LS_EV_OPEN, LS_TS_NEW, LS_PRIO_NORMAL);
	/* the note's row says normal, as it was when written: the late change still holds after it */
	apply(q, "2026-11-30T10:20:00+03:00", 6, LS_EV_NOTE, LS_TS_NEW, LS_PRIO_NORMAL);
	apply(q, "2026-11-30T10:10:00+03:00", 6, LS_EV_PRIORITY, LS_TS_NEW, LS_PRIO_URGENT);
	assert_int_equal(ls_queue_get(q, 6)->priority, LS_PRIO_URGENT);
	assert_string_equal(sla_at(q, 6, "2026-11-30T10:25:00+03:00", &due), "at_risk");
	assert_int_equal(due, T("2026-11-30T10:30:00+03:00"));
	{
		enum ls_tstatus st;
		enum ls_priority pr;

		/* what an event dated 10:15 or 10:25 starts from: urgent; one at 10:05: normal */
		assert_int_equal(ls_queue_state_at(q, 6, T("2026-11-30T10:25:00+03:00"), &st, &pr), 0);
		assert_int_equal(pr, LS_PRIO_URGENT);
		ls_queue_state_at(q, 6, T("2026-11-30T10:15:00+03:00"), &st, &pr);
		assert_int_equal(pr, LS_PRIO_URGENT);
		ls_queue_state_at(q, 6, T("2026-11-30T10:05:00+03:00"), &st, &pr);
		assert_int_equal(pr, LS_PRIO_NORMAL);
	}
	ls_queue_free(q);
	ls_sla_free(s);
}

/* A priority event that changes nothing is refused by a strict replay (check). */
static void
test_priority_strict(void **state)
{
	struct ls_queue *q = ls_queue_new(NULL, NULL);
	struct ls_tlog_rec r;
	struct ls_error err;

	(void)state;
	apply(q, "2026-11-26T09:00:00Z", 1, LS_EV_OPEN, LS_TS_NEW, LS_PRIO_HIGH);
	memset(&r, 0, sizeof(r));
	memset(&err, 0, sizeof(err));
	for (int i = 0; i < LS_TC_NCOLS; i++)
		r.f[i].p = "";
	r.f[LS_TC_ID].p = "T-000001";
	r.f[LS_TC_ID].n = 8;
	r.id = 1;
	r.event = LS_EV_PRIORITY;
	r.status = LS_TS_NEW;
	r.priority = LS_PRIO_HIGH;
	r.line = 4;
	r.ts = T("2026-11-26T10:00:00Z");
	assert_int_equal(ls_queue_apply(q, &r, 1, "tickets.csv", &err), LS_EDATA);
	assert_string_equal(err.msg, "T-000001 is high already");
	assert_int_equal(err.line, 4);
	r.priority = LS_PRIO_URGENT;
	assert_int_equal(ls_queue_apply(q, &r, 1, "tickets.csv", &err), 0);
	assert_int_equal(ls_queue_get(q, 1)->priority, LS_PRIO_URGENT);
	assert_int_equal(ls_queue_get(q, 1)->status, LS_TS_NEW);
	ls_queue_free(q);
}

/* The replay refuses events the lifecycle does not allow, and an id opened twice. */
static void
test_queue_strict(void **state)
{
	struct ls_queue *q = ls_queue_new(NULL, NULL);
	struct ls_tlog_rec r;
	struct ls_error err;

	(void)state;
	apply(q, "2026-11-26T09:00:00Z", 1, LS_EV_OPEN, LS_TS_NEW, LS_PRIO_LOW);
	apply(q, "2026-11-26T09:00:00Z", 1, LS_EV_CLOSE, LS_TS_CLOSED, LS_PRIO_LOW);
	memset(&r, 0, sizeof(r));
	memset(&err, 0, sizeof(err));
	for (int i = 0; i < LS_TC_NCOLS; i++)
		r.f[i].p = "";
	r.f[LS_TC_ID].p = "T-000001";
	r.f[LS_TC_ID].n = 8;
	r.id = 1;
	r.event = LS_EV_STATUS;
	r.status = LS_TS_PENDING;
	r.line = 9;
	/* at the opening's time: an earlier one is refused before the lifecycle is asked */
	assert_int_equal(ls_time_parse("2026-11-26T09:00:00Z", 20, NULL, 0, &r.ts, NULL), 0);
	assert_int_equal(ls_queue_apply(q, &r, 1, "tickets.csv", &err), LS_EDATA);
	assert_string_equal(err.msg, "T-000001 is closed: cannot move to pending");
	assert_int_equal(err.line, 9);
	r.event = LS_EV_NOTE;
	r.status = LS_TS_OPEN;
	assert_int_equal(ls_queue_apply(q, &r, 1, "tickets.csv", &err), LS_EDATA);
	assert_string_equal(err.msg, "T-000001 note gives status closed, but the log says open");
	/* not strict: the log's status is taken as it is */
	assert_int_equal(ls_queue_apply(q, &r, 0, "tickets.csv", &err), 0);
	assert_int_equal(ls_queue_get(q, 1)->status, LS_TS_OPEN);
	/* ids in order are the log reader's to check; the queue takes a gap (list --at left an opening out) */
	r.event = LS_EV_OPEN;
	r.status = LS_TS_NEW;
	r.id = 3;
	r.f[LS_TC_ID].p = "T-000003";
	assert_int_equal(ls_queue_apply(q, &r, 0, "tickets.csv", &err), 0);
	assert_null(ls_queue_get(q, 2));
	assert_non_null(ls_queue_get(q, 3));
	/* but not an id opened already */
	r.id = 1;
	r.f[LS_TC_ID].p = "T-000001";
	assert_int_equal(ls_queue_apply(q, &r, 0, "tickets.csv", &err), LS_EDATA);
	assert_string_equal(err.msg, "T-000001 opened out of order (expected T-000004)");
	ls_queue_free(q);
}

static void
test_ids(void **state)
{
	char buf[16];
	long id;

	(void)state;
	assert_int_equal(ls_ticket_id_parse("T-000001", 8, &id), 0);
	assert_int_equal(id, 1);
	assert_int_equal(ls_ticket_id_parse("T-1234567", 9, &id), 0);
	assert_int_equal(id, 1234567);
	assert_int_equal(ls_ticket_id_parse("T-000000", 8, &id), -1);
	assert_int_equal(ls_ticket_id_parse("t-000001", 8, &id), -1);
	assert_int_equal(ls_ticket_id_parse("T-", 2, &id), -1);
	assert_int_equal(ls_ticket_id_parse("T-12a", 5, &id), -1);
	assert_int_equal(ls_ticket_id_parse("T-1234567890", 12, &id), -1);
	ls_ticket_id_format(42, buf, sizeof(buf));
	assert_string_equal(buf, "T-000042");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_targets),
		cmocka_unit_test(test_weekend),
		cmocka_unit_test(test_holidays),
		cmocka_unit_test(test_dst),
		cmocka_unit_test(test_bad_files),
		cmocka_unit_test(test_pause_over_night),
		cmocka_unit_test(test_replay_at),
		cmocka_unit_test(test_at_risk_key),
		cmocka_unit_test(test_queue_strict),
		cmocka_unit_test(test_ids),
		cmocka_unit_test(test_channels),
		cmocka_unit_test(test_priority_change),
		cmocka_unit_test(test_priority_strict),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
