/*
 * ticket_int.h - what ticket_ops.c (a command's event, import) and
 * ticket_mail.c (mail) share inside the library: one event checked and
 * queued in the log, the torn tail's warning, and the commit that writes
 * the reference store (tlog_refs.h) before the log.  Not installed; see
 * ticket_ops.h for the calls the tools make.
 */
#ifndef LS_TICKET_INT_H
#define LS_TICKET_INT_H

#include "queue.h"
#include "ticket.h"
#include "ticket_ops.h"
#include "tlog_refs.h"

/* A ticket's state before an event: from the replayed queue.  Strings are the queue's. */
struct ls_tcur {
	enum ls_tstatus status;
	enum ls_priority priority;
	const char *client, *agent;
};

/*
 * The state of ticket e->id in q at e->ts into *t, which is returned; NULL
 * when q has no such ticket (or e is an open).
 */
const struct ls_tcur *ls_ticket_ops_cur(struct ls_queue *q, const struct ls_tevent_req *e,
    struct ls_tcur *t);

/*
 * Check e against the ticket's state t (NULL: no such ticket), queue it in
 * l and, when q is not NULL, apply it to q.  An open takes id next_id.
 * Returns 0, or LS_EDATA with err saying why (no such ticket, a move the
 * lifecycle forbids); *id gets the ticket's number and *seq (when not
 * NULL) the event's seq once committed.
 */
int ls_ticket_ops_add(struct ls_tlog *l, struct ls_queue *q, struct ls_tz *tz, long next_id,
    const struct ls_tcur *t, const struct ls_tevent_req *e, long *id, long long *seq,
    struct ls_error *err);

/*
 * The torn tail after l's last whole record into *t, with the warning a
 * user sees: cut, by the commit about to be made; else skipped, by a reader.
 */
void ls_ticket_ops_torn(const struct ls_tlog *l, int cut, struct ls_ticket_ops_cut *t);

/*
 * Commit what is queued in l (opened for writing, read to its end): refs'
 * queued references first (refs NULL: the store beside the log only cut
 * back to the log's end, ls_trefs_trim()), then the log.  0 or LS_* with
 * err filled; when the log's write fails after the store's, the store's
 * new lines are past the log's end and so do not count (tlog_refs.h).
 */
int ls_ticket_ops_commit(struct ls_tlog *l, struct ls_trefs *refs, struct ls_error *err);

#endif
