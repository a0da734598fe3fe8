/* test_lifecycle.c - the ticket status table, every pair, and every event from every status. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "lifecycle.h"

/*
 * The table as ticket-log(1) prints it, written out again here by hand
 * (rows: from; columns: to, in the order new open pending solved closed).
 */
static const char *const table[LS_TS_COUNT] = {
	/* new     */ "-YYYY",
	/* open    */ "--YYY",
	/* pending */ "-Y-YY",
	/* solved  */ "-Y--Y",
	/* closed  */ "-Y---",
};

static void
test_names(void **state)
{
	static const char *const st[] = { "new", "open", "pending", "solved", "closed" };
	static const char *const ev[] = { "open", "note", "reply", "status", "assign", "close", "reopen",
		"priority" };
	enum ls_tstatus s;
	enum ls_tevent e;

	(void)state;
	for (int i = 0; i < LS_TS_COUNT; i++) {
		assert_string_equal(ls_tstatus_name((enum ls_tstatus)i), st[i]);
		assert_int_equal(ls_tstatus_parse(st[i], strlen(st[i]), &s), 0);
		assert_int_equal(s, i);
	}
	for (int i = 0; i < LS_EV_COUNT; i++) {
		assert_string_equal(ls_tevent_name((enum ls_tevent)i), ev[i]);
		assert_int_equal(ls_tevent_parse(ev[i], strlen(ev[i]), &e), 0);
		assert_int_equal(e, i);
	}
	assert_null(ls_tstatus_name(LS_TS_COUNT));
	assert_int_equal(ls_tstatus_parse("Open", 4, &s), -1);
	assert_int_equal(ls_tstatus_parse("opened", 6, &s), -1);
	assert_int_equal(ls_tstatus_parse("ope", 3, &s), -1);
	assert_int_equal(ls_tstatus_parse("", 0, &s), -1);
	assert_int_equal(ls_tevent_parse("comment", 7, &e), -1);
}

/* Every (from, to) pair, through ls_lifecycle_allowed() and the status event. */
static void
test_status_pairs(void **state)
{
	(void)state;
	for (int f = 0; f < LS_TS_COUNT; f++)
		for (int t = 0; t < LS_TS_COUNT; t++) {
			struct ls_error err;
			enum ls_tstatus to = LS_TS_COUNT;
			int want = table[f][t] == 'Y';
			int rc;

			memset(&err, 0, sizeof(err));
			assert_int_equal(ls_lifecycle_allowed((enum ls_tstatus)f, (enum ls_tstatus)t), want);
			rc = ls_lifecycle_event("T-000007", LS_EV_STATUS, (enum ls_tstatus)f,
			    (enum ls_tstatus)t, &to, &err);
			if (want) {
				assert_int_equal(rc, 0);
				assert_int_equal(to, t);
			} else {
				assert_int_equal(rc, LS_EDATA);
				/* the message names the ticket, its status and the one asked for */
				assert_non_null(strstr(err.msg, "T-000007"));
				assert_non_null(strstr(err.msg, ls_tstatus_name((enum ls_tstatus)f)));
				assert_non_null(strstr(err.msg, ls_tstatus_name((enum ls_tstatus)t)));
			}
		}
}

/* Every other event from every status: the resulting status, or 'x' for refused. */
static void
test_events(void **state)
{
	static const struct {
		enum ls_tevent ev;
		const char *res;	/* per from status: n o p s c, or x */
	} cases[] = {
		{ LS_EV_OPEN,   "nnnnn" },	/* a new ticket starts new, whatever was passed */
		{ LS_EV_NOTE,   "nopsc" },
		{ LS_EV_REPLY,  "oopsx" },
		{ LS_EV_ASSIGN, "oopsx" },
		{ LS_EV_CLOSE,  "ccccx" },
		{ LS_EV_REOPEN, "xxxoo" },
		{ LS_EV_PRIORITY, "nopsx" },	/* triage: a new ticket stays new */
	};
	static const char letters[] = "nopsc";

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		for (int f = 0; f < LS_TS_COUNT; f++) {
			struct ls_error err;
			enum ls_tstatus to = LS_TS_COUNT;
			char want = cases[i].res[f];
			int rc;

			memset(&err, 0, sizeof(err));
			rc = ls_lifecycle_event("T-000001", cases[i].ev, (enum ls_tstatus)f, LS_TS_COUNT,
			    &to, &err);
			if (want == 'x') {
				assert_int_equal(rc, LS_EDATA);
				assert_non_null(strstr(err.msg, ls_tstatus_name((enum ls_tstatus)f)));
			} else {
				assert_int_equal(rc, 0);
				assert_int_equal(letters[to], want);
			}
		}
}

static void
test_messages(void **state)
{
	struct ls_error err;
	enum ls_tstatus to;

	(void)state;
	memset(&err, 0, sizeof(err));
	ls_lifecycle_event("T-000001", LS_EV_STATUS, LS_TS_CLOSED, LS_TS_PENDING, &to, &err);
	assert_string_equal(err.msg, "T-000001 is closed: cannot move to pending");
	ls_lifecycle_event("T-000001", LS_EV_STATUS, LS_TS_OPEN, LS_TS_OPEN, &to, &err);
	assert_string_equal(err.msg, "T-000001 is open already");
	ls_lifecycle_event("T-000002", LS_EV_REOPEN, LS_TS_PENDING, 0, &to, &err);
	assert_string_equal(err.msg, "T-000002 is pending: only a solved or closed ticket can be reopened");
	ls_lifecycle_event("T-000003", LS_EV_REPLY, LS_TS_CLOSED, 0, &to, &err);
	assert_string_equal(err.msg, "T-000003 is closed: cannot reply (reopen it first)");
	ls_lifecycle_event("T-000003", LS_EV_PRIORITY, LS_TS_CLOSED, 0, &to, &err);
	assert_string_equal(err.msg, "T-000003 is closed: cannot change its priority (reopen it first)");
	assert_int_equal(ls_lifecycle_event("T-1", LS_EV_STATUS, LS_TS_NEW, LS_TS_COUNT, &to, &err),
	    LS_EUSAGE);
	/* a caller's own mistakes, out of the enums' ranges: refused, *to untouched, never an index */
	to = LS_TS_PENDING;
	assert_int_equal(ls_lifecycle_event("T-1", LS_EV_NOTE, LS_TS_COUNT, LS_TS_OPEN, &to, &err),
	    LS_EUSAGE);
	assert_string_equal(err.msg, "bad status");
	assert_int_equal(ls_lifecycle_event("T-1", LS_EV_COUNT, LS_TS_OPEN, LS_TS_OPEN, &to, &err),
	    LS_EUSAGE);
	assert_string_equal(err.msg, "bad event");
	assert_int_equal(to, LS_TS_PENDING);
	assert_int_equal(ls_lifecycle_allowed(LS_TS_COUNT, LS_TS_OPEN), 0);
	assert_int_equal(ls_lifecycle_allowed(LS_TS_OPEN, LS_TS_COUNT), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_status_pairs),
		cmocka_unit_test(test_events),
		cmocka_unit_test(test_messages),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
