/* test_queue.c - tickets replayed into a queue: filters, id order, the SLA columns; and the list parser. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "cli_list.h"
#include "clock.h"
#include "lifecycle.h"
#include "queue.h"
#include "ticket_env.h"

/* Apply one event built from its fields (ts in UTC). */
static void
ev(struct ls_queue *q, long long seq, const char *ts, long id, enum ls_tevent e, enum ls_tstatus st,
    const char *client, const char *agent)
{
	struct ls_tlog_rec r = { 0 };
	char idb[16];

	r.seq = seq;
	assert_int_equal(ls_time_parse(ts, strlen(ts), NULL, 0, &r.ts, NULL), 0);
	r.id = id;
	r.event = e;
	r.status = st;
	r.priority = LS_PRIO_NORMAL;
	ls_ticket_id_format(id, idb, sizeof(idb));
	r.f[LS_TC_ID] = (struct ls_str){ idb, strlen(idb) };
	r.f[LS_TC_TS] = (struct ls_str){ ts, strlen(ts) };
	r.f[LS_TC_CLIENT] = (struct ls_str){ client, strlen(client) };
	r.f[LS_TC_AGENT] = (struct ls_str){ agent, strlen(agent) };
	r.f[LS_TC_SUBJECT] = (struct ls_str){ "s", 1 };
	r.f[LS_TC_CHANNEL] = (struct ls_str){ "", 0 };
	r.f[LS_TC_STATUS] = (struct ls_str){ ls_tstatus_name(st), strlen(ls_tstatus_name(st)) };
	r.line = (long)seq + 2;
	assert_int_equal(ls_queue_apply(q, &r, 0, "log", NULL), 0);
}

static struct ls_queue *
three(void)
{
	struct ls_error err;
	struct ls_queue *q = ls_queue_new(NULL, &err);

	assert_non_null(q);
	ev(q, 1, "2026-11-26T09:00:00Z", 1, LS_EV_OPEN, LS_TS_NEW, "Альфа", "");
	ev(q, 2, "2026-11-26T09:05:00Z", 2, LS_EV_OPEN, LS_TS_NEW, "Бета", "ivan");
	ev(q, 3, "2026-11-26T09:10:00Z", 3, LS_EV_OPEN, LS_TS_NEW, "Альфа", "ivan");
	ev(q, 4, "2026-11-26T10:00:00Z", 2, LS_EV_STATUS, LS_TS_PENDING, "Бета", "ivan");
	return q;
}

/* The ids that pass f, in order, as "1,3". */
static void
selected(struct ls_queue *q, const struct ls_queue_filter *f, const char *want)
{
	char got[64] = "";
	struct ls_ticket_row row;

	for (long id = 1; id <= ls_queue_count(q) + 1; id++)
		if (ls_queue_select(q, id, f, 1764151200, NULL, &row)) {
			snprintf(got + strlen(got), sizeof(got) - strlen(got), "%s%ld", got[0] ? "," : "", id);
			assert_string_equal(row.f[0].p, row.id);
		}
	assert_string_equal(got, want);
}

static void
test_filters(void **state)
{
	struct ls_queue *q = three();
	struct ls_queue_filter f = { 0 };

	(void)state;
	assert_non_null(q);
	selected(q, &f, "1,2,3");
	f.client = "Альфа";
	selected(q, &f, "1,3");
	f.agent = "ivan";
	selected(q, &f, "3");
	f = (struct ls_queue_filter){ .statuses = 1u << LS_TS_PENDING };
	selected(q, &f, "2");
	f.statuses |= 1u << LS_TS_NEW;
	f.agent = "";
	selected(q, &f, "1");
	/* no SLA: nothing is ever breached, so --overdue selects nothing */
	f = (struct ls_queue_filter){ .overdue = 1 };
	selected(q, &f, "");
	ls_queue_free(q);
}

static void
test_row(void **state)
{
	struct ls_queue *q = three();
	struct ls_ticket_row row;
	struct ls_queue_filter f = { 0 };

	(void)state;
	assert_int_equal(ls_queue_select(q, 2, &f, 1764151200, NULL, &row), 1);
	assert_string_equal(row.f[0].p, "T-000002");
	assert_string_equal(row.f[1].p, "Бета");
	assert_string_equal(row.f[3].p, "pending");
	assert_string_equal(row.f[6].p, "2026-11-26T09:05:00Z");
	assert_string_equal(row.f[8].p, "2026-11-26T10:00:00Z");
	assert_string_equal(row.sla, "");	/* no SLA: no target, no state */
	assert_int_equal(ls_queue_select(q, 4, &f, 0, NULL, &row), 0);
	assert_int_equal(ls_queue_select(q, 0, &f, 0, NULL, &row), 0);
	assert_string_equal(ls_tickets_columns[9], "due_at");
	ls_queue_free(q);
}

static void
test_list_parse(void **state)
{
	struct ls_error err = { 0 };
	unsigned m = 99;

	(void)state;
	assert_int_equal(ls_cli_list_parse("open", ls_tstatus_names, "status", &m, &err), 0);
	assert_int_equal(m, 1u << LS_TS_OPEN);
	assert_int_equal(ls_cli_list_parse("closed,new,open", ls_tstatus_names, "status", &m, &err), 0);
	assert_int_equal(m, 1u << LS_TS_CLOSED | 1u << LS_TS_NEW | 1u << LS_TS_OPEN);
	assert_int_equal(ls_cli_list_parse("open,Solved", ls_tstatus_names, "status", &m, &err), LS_EUSAGE);
	assert_int_equal(m, 1u << LS_TS_CLOSED | 1u << LS_TS_NEW | 1u << LS_TS_OPEN);	/* unchanged */
	assert_string_equal(err.msg, "unknown status 'Solved' (expected new, open, pending, solved or closed)");
	assert_int_equal(ls_cli_list_parse("open,", ls_tstatus_names, "status", &m, &err), LS_EUSAGE);
	assert_string_equal(err.msg, "unknown status '' (expected new, open, pending, solved or closed)");
	static const char *const two[] = { "a", "b", NULL };
	assert_int_equal(ls_cli_list_parse("", two, "word", &m, &err), LS_EUSAGE);
	assert_string_equal(err.msg, "unknown word '' (expected a or b)");
}

static void
test_env(void **state)
{
	struct ls_error err = { 0 };
	char *p;

	(void)state;
	assert_string_equal(ls_ticket_env_log("x.csv"), "x.csv");
	unsetenv("TICKET_LOG");
	assert_string_equal(ls_ticket_env_log(NULL), "tickets.csv");
	setenv("TICKET_LOG", "", 1);
	assert_string_equal(ls_ticket_env_log(NULL), "tickets.csv");
	setenv("TICKET_LOG", "/srv/t.csv", 1);
	assert_string_equal(ls_ticket_env_log(NULL), "/srv/t.csv");
	assert_non_null(p = ls_ticket_env_beside("/srv/desk/t.csv", &err));
	assert_string_equal(p, "/srv/desk/sla.yaml");
	free(p);
	assert_non_null(p = ls_ticket_env_beside("t.csv", &err));
	assert_string_equal(p, "sla.yaml");
	free(p);
}

static void
test_env_clock(void **state)
{
	struct ls_ticket_env e;
	struct ls_error err = { 0 };

	(void)state;
	setenv("TZ", "UTC", 1);
	setenv("TICKET_LOG_NOW", "26.11.2026 10:30", 1);
	assert_int_equal(ls_ticket_env_open(&e, "/nonexistent/t.csv", NULL, &err), 0);
	assert_null(e.sla);
	assert_int_equal(e.now, 1795689000);
	assert_int_equal(ls_clock_now(), 1795689000);
	ls_ticket_env_free(&e);
	setenv("TICKET_LOG_NOW", "noon", 1);
	assert_int_equal(ls_ticket_env_open(&e, "t.csv", NULL, &err), LS_EUSAGE);
	assert_string_equal(err.msg, "TICKET_LOG_NOW: bad time 'noon' (expected RFC 3339, or a date and HH:MM)");
	ls_ticket_env_free(&e);
	assert_int_equal(ls_ticket_env_open(&e, "t.csv", "/nonexistent/sla.yaml", &err), LS_ECONFIG);
	ls_ticket_env_free(&e);
	unsetenv("TICKET_LOG_NOW");
}

/* A late event takes its place by time; an opening left out (list --at) leaves a gap; nothing before an opening. */
static void
test_time_order(void **state)
{
	struct ls_error err = { 0 };
	struct ls_queue *q = ls_queue_new(NULL, &err);
	struct ls_tlog_rec r = { 0 };
	enum ls_tstatus st;
	enum ls_priority pr;
	char idb[16] = "T-000002", ts[] = "2026-11-26T08:00:00Z";

	(void)state;
	assert_non_null(q);
	ev(q, 1, "2026-11-26T09:00:00Z", 2, LS_EV_OPEN, LS_TS_NEW, "Бета", "");
	assert_int_equal(ls_queue_count(q), 2);
	assert_null(ls_queue_get(q, 1));
	ev(q, 2, "2026-11-26T11:00:00Z", 2, LS_EV_STATUS, LS_TS_PENDING, "Бета", "");
	ev(q, 3, "2026-11-26T10:00:00Z", 2, LS_EV_REPLY, LS_TS_OPEN, "Бета", "");
	assert_int_equal(ls_queue_get(q, 2)->status, LS_TS_PENDING);
	assert_int_equal(ls_queue_get(q, 2)->nevents, 3);
	assert_int_equal(ls_queue_get(q, 2)->first_response_at, 1795687200);
	assert_int_equal(ls_queue_get(q, 2)->updated_at, 1795690800);
	assert_int_equal(ls_queue_state_at(q, 2, 1795687200, &st, &pr), 0);
	assert_int_equal(st, LS_TS_OPEN);
	assert_int_equal(ls_queue_state_at(q, 2, 0, &st, &pr), 0);
	assert_int_equal(st, LS_TS_NEW);
	assert_int_equal(ls_queue_state_at(q, 1, 0, &st, &pr), -1);
	/* before the opening */
	assert_int_equal(ls_time_parse(ts, strlen(ts), NULL, 0, &r.ts, NULL), 0);
	r.id = 2;
	r.event = LS_EV_NOTE;
	r.line = 9;
	r.f[LS_TC_ID] = (struct ls_str){ idb, strlen(idb) };
	r.f[LS_TC_TS] = (struct ls_str){ ts, strlen(ts) };
	assert_int_equal(ls_queue_apply(q, &r, 0, "log", &err), LS_EDATA);
	assert_string_equal(err.msg,
	    "note for T-000002 dated 2026-11-26T08:00:00Z, before the ticket was opened (2026-11-26T09:00:00Z)");
	assert_int_equal(err.line, 9);
	/* a late close that the later reply cannot follow: refused strictly, the ticket as it was */
	r.ts += 3600 + 1800;
	r.event = LS_EV_CLOSE;
	r.status = LS_TS_CLOSED;
	assert_int_equal(ls_queue_apply(q, &r, 1, "log", &err), LS_EDATA);
	assert_int_equal(ls_queue_get(q, 2)->status, LS_TS_PENDING);
	assert_int_equal(ls_queue_get(q, 2)->nevents, 3);
	ls_queue_free(q);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_filters),
		cmocka_unit_test(test_row),
		cmocka_unit_test(test_list_parse),
		cmocka_unit_test(test_env),
		cmocka_unit_test(test_env_clock),
		cmocka_unit_test(test_time_order),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
