/*
 * queue.h - the tickets as the event log (ticket.h) makes them: each
 * ticket's state and its SLA clocks, replayed event by event, and the
 * "tickets" stream row that ticket-log list prints.
 *
 * SLA clocks (sla.h): the first-response clock runs from the open until
 * the first reply, the resolution clock from the open until the ticket is
 * solved or closed (again after a reopen); both stop while the status is
 * one of the SLA's pause statuses.  Time counts only in business hours.
 * A clock is breached once its business time reaches the target, and a
 * ticket is breached, open or not, once any of its clocks was: a first
 * response given late stays breached while the resolution's clock runs.
 */
#ifndef LS_QUEUE_H
#define LS_QUEUE_H

#include <stddef.h>
#include <stdint.h>

#include "date.h"
#include "error.h"
#include "lifecycle.h"
#include "record.h"
#include "sla.h"
#include "ticket.h"

struct ls_clock {
	int64_t used;		/* business seconds in the intervals that ended */
	int64_t since;		/* start of the running interval, or -1 when stopped */
	int64_t crossed;	/* when used reached the target, or -1 */
};

/* One ticket.  Strings are owned by the queue. */
struct ls_ticket {
	long id;
	char *client, *subject, *agent, *channel;
	enum ls_tstatus status;
	enum ls_priority priority;
	int64_t opened_at, first_response_at, updated_at;	/* first_response_at -1: no reply yet */
	long nevents;
	struct ls_clock fr, res;
};

/* The columns of the tickets stream, NULL-terminated. */
enum { LS_TK_NCOLS = 11 };
extern const char *const ls_tickets_columns[LS_TK_NCOLS + 1];

struct ls_queue;

/*
 * An empty queue; sla (may be NULL: no clocks) is borrowed and must outlive
 * it.  NULL with err filled (LS_ENOMEM) when out of memory.  A queue is
 * single-threaded: one thread applies events and reads rows.
 */
struct ls_queue *ls_queue_new(struct ls_sla *sla, struct ls_error *err);
void ls_queue_free(struct ls_queue *q);

/*
 * Apply one event (as read from the log, or as about to be appended).  An
 * open must carry a higher id than any before it (the next one, but when
 * list --at left an opening out), any other event an opened ticket's, and
 * a time no earlier than the ticket's opening (else LS_EDATA naming both
 * times).  A ticket's events count in the order of their times, equal
 * times in the order they are applied: an event older than the ticket's
 * last replays the ticket again from its opening, with the event in its
 * place (the log stays append-only; a late import or a backdated note is
 * not an error).  With strict, each event's status must be the one the
 * lifecycle gives (lifecycle.h) from the status before it in time, else
 * LS_EDATA naming the line; a late event that breaks a later one's status
 * is refused so, and the queue is left as it was.  file names the log in
 * messages.  0 or an ls_status.
 */
int ls_queue_apply(struct ls_queue *q, const struct ls_tlog_rec *r, int strict,
    const char *file, struct ls_error *err);

/*
 * The highest ticket id applied, and ticket id (1-based), or NULL when
 * there is none (or its opening was not applied).
 */
long ls_queue_count(const struct ls_queue *q);
struct ls_ticket *ls_queue_get(struct ls_queue *q, long id);

/*
 * Ticket id's status and priority after its last event at or before ts
 * (the priority is that of its last open or priority event: the others'
 * rows say what it was when they were written)
 * (its opening's when ts is earlier): what an event dated ts starts from.
 * 0, or -1 when there is no such ticket.
 */
int ls_queue_state_at(struct ls_queue *q, long id, int64_t ts, enum ls_tstatus *status,
    enum ls_priority *priority);

/* The SLA state of t at now: the next deadline (-1 when none) and one of ok, at_risk, breached, paused, met, or "" without a target. */
const char *ls_queue_sla(struct ls_queue *q, const struct ls_ticket *t, int64_t now, int64_t *due);

/* A tickets stream row; f[] points into the struct and the ticket. */
struct ls_ticket_row {
	char id[16], opened[LS_TIME_BUFSZ], first[LS_TIME_BUFSZ], updated[LS_TIME_BUFSZ],
	    due[LS_TIME_BUFSZ];
	const char *sla;
	struct ls_str f[LS_TK_NCOLS];
};

/* Fill row for t as of now, times written in zone tz (NULL: UTC). */
void ls_queue_row(struct ls_queue *q, const struct ls_ticket *t, int64_t now, struct ls_tz *tz,
    struct ls_ticket_row *row);

/*
 * Which tickets ticket-log list writes.  Zero fields select everything;
 * strings are the caller's and compared exactly.
 */
struct ls_queue_filter {
	unsigned statuses;		/* bit (1u << status) per status wanted, 0: any status; and
					   LS_QF_AT_RISK: only tickets whose sla is at_risk */
	const char *client, *agent;	/* NULL: any */
	int overdue;			/* only breached tickets not solved or closed */
};

/*
 * The words list --status takes: the statuses in enum order, then
 * "at_risk" (bit LS_TS_COUNT, LS_QF_AT_RISK), NULL-terminated.  at_risk is
 * an SLA state, not a status: with statuses beside it a ticket must be in
 * one of them and at risk too, as --overdue narrows --status.
 */
#define LS_QF_AT_RISK	(1u << LS_TS_COUNT)
extern const char *const ls_queue_status_words[LS_TS_COUNT + 2];

/*
 * Whether ticket id passes f as of now: 1 with *row filled (times in zone
 * tz, as ls_queue_row()), 0 when it does not or there is no such ticket.
 * Iterate id from 1 to ls_queue_count() for the tickets stream in id order.
 */
int ls_queue_select(struct ls_queue *q, long id, const struct ls_queue_filter *f, int64_t now,
    struct ls_tz *tz, struct ls_ticket_row *row);

#endif
