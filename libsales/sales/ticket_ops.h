/*
 * ticket_ops.h - the work behind ticket-log(1)'s commands: an event checked
 * against the lifecycle and appended to the log, the whole log replayed
 * into a queue, and an import that appends every row of a CSV or none.
 *
 * The log (ticket.h) is opened, locked, written and closed inside each
 * call: a caller never holds the lock between calls.  Each call is
 * single-threaded; calls on different logs may run on different threads.
 */
#ifndef LS_TICKET_OPS_H
#define LS_TICKET_OPS_H

#include <stdint.h>

#include "date.h"
#include "error.h"
#include "queue.h"
#include "record.h"
#include "ticket.h"

/* One event to append, as a command or an import row asks for it.  Strings are the caller's. */
struct ls_tevent_req {
	enum ls_tevent ev;
	long id;			/* the ticket; not for open */
	enum ls_tstatus want;		/* status */
	enum ls_priority priority;	/* open */
	const char *client, *subject;	/* open */
	const char *agent;		/* open, assign; NULL: keep */
	const char *channel, *text;	/* NULL: empty */
	int64_t ts;
};

/* A torn tail that a write found and cut (saved to LOG.torn first); line 0: none. */
struct ls_ticket_ops_cut {
	long line;
	size_t bytes;
};

/*
 * Read the rest of l into q, skipping events after until when until >= 0;
 * strict: a record the lifecycle forbids is an error, not taken as it is.
 * *nev (when not NULL) gets the number of events read.  Returns 0 or the
 * LS_* status with err filled.
 */
int ls_ticket_ops_replay(struct ls_tlog *l, struct ls_queue *q, int strict, int64_t until,
    long long *nev, struct ls_error *err);

/*
 * Append e to the log at path (created for an open), stamped e->ts and
 * written in zone tz: only the ticket's last record is read (from the end
 * of the log), so an append costs about the same on a big log.  On success
 * *id is the ticket's number (a new one for open).  *cut tells a torn tail
 * cut on the way, success or not.  Returns 0 or LS_* with err filled: no
 * such ticket, a move the lifecycle forbids, a write error (the log is then
 * as it was).
 */
int ls_ticket_ops_append(const char *path, struct ls_tz *tz, const struct ls_tevent_req *e,
    long *id, struct ls_ticket_ops_cut *cut, struct ls_error *err);

/*
 * Import: every record of in (read whole first, so that a slow pipe holds
 * no lock), each row an event (columns event, and optionally ts, ticket_id,
 * status, client, agent, priority, text, subject, channel; a row's
 * ticket_id may name an open row above it), checked against the replayed
 * log, then appended in one commit, or nothing at all.  Times without a
 * zone are read in tz, a row without ts is stamped now.  inname names the
 * input in messages.  On success *opened (malloc'ed, the caller frees it,
 * NULL when none) holds the numbers of the tickets opened, *nopened their
 * count.  *refused is set when the input itself was refused (a bad row or
 * record: "nothing imported"), *cut as above.  Returns 0 or LS_* with err
 * naming the input's file and line.
 */
int ls_ticket_ops_import(const char *path, struct ls_tz *tz, int64_t now, struct ls_reader *in,
    const char *inname, long **opened, size_t *nopened, int *refused, struct ls_ticket_ops_cut *cut,
    struct ls_error *err);

/* 1 when s is NULL or holds only spaces, tabs and line ends: no client, no text. */
int ls_ticket_ops_blank(const char *s);

#endif
