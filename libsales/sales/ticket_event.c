/*
 * ticket_event.c - one event checked against its ticket and the lifecycle
 * and queued in the log, and the commit that writes the reference store
 * before the log: the steps every writer of ticket_ops.c and ticket_mail.c
 * takes.  See ticket_int.h.
 */
#include <string.h>

#include "lifecycle.h"
#include "ticket_int.h"

static struct ls_str
sv(const char *s)
{
	struct ls_str v = { s ? s : "", s ? strlen(s) : 0 };
	return v;
}

int
ls_ticket_ops_add(struct ls_tlog *l, struct ls_queue *q, struct ls_tz *tz, long next_id,
    const struct ls_tcur *t, const struct ls_tevent_req *e, long *id, long long *seq,
    struct ls_error *err)
{
	struct ls_tlog_rec r;
	enum ls_tstatus from = LS_TS_NEW;
	char idb[16], tsb[LS_TIME_BUFSZ];
	long long at;

	memset(&r, 0, sizeof(r));
	r.ts = e->ts;
	r.event = e->ev;
	if (e->ev == LS_EV_OPEN) {
		r.id = next_id;
		r.priority = e->priority;
		r.f[LS_TC_CLIENT] = sv(e->client);
		r.f[LS_TC_AGENT] = sv(e->agent);
		r.f[LS_TC_SUBJECT] = sv(e->subject);
	} else {
		ls_ticket_id_format(e->id, idb, sizeof(idb));
		if (t == NULL)
			return ls_error_set(err, LS_EDATA, ls_tlog_path(l), 0, 0, "no ticket %s", idb);
		r.id = e->id;
		from = t->status;
		r.priority = t->priority;
		if (e->ev == LS_EV_PRIORITY && e->priority == t->priority)
			return ls_error_set(err, LS_EDATA, NULL, 0, 0, "%s is %s already", idb,
			    ls_priority_name(t->priority));
		if (e->ev == LS_EV_PRIORITY)
			r.priority = e->priority;
		r.f[LS_TC_CLIENT] = sv(t->client);
		r.f[LS_TC_AGENT] = sv(e->agent ? e->agent : t->agent);
	}
	ls_ticket_id_format(r.id, idb, sizeof(idb));
	if (ls_lifecycle_event(idb, e->ev, from, e->want, &r.status, err) != 0)
		return LS_EDATA;
	if (ls_time_format(tz, e->ts, tsb, sizeof(tsb)) != 0)
		return ls_error_set(err, LS_EDATA, NULL, 0, 0, "time out of range");
	r.f[LS_TC_TS] = sv(tsb);
	r.f[LS_TC_ID] = sv(idb);
	r.f[LS_TC_EVENT] = sv(ls_tevent_name(e->ev));
	r.f[LS_TC_STATUS] = sv(ls_tstatus_name(r.status));
	r.f[LS_TC_PRIORITY] = sv(ls_priority_name(r.priority));
	r.f[LS_TC_TEXT] = sv(e->text);
	r.f[LS_TC_CHANNEL] = sv(e->channel);
	/*
	 * the queue first: a row it refuses must not be left queued in the log
	 * (import --rejects); strictly, as check replays it: a late event must
	 * leave the ticket's later events what the log says they were
	 */
	if (q && ls_queue_apply(q, &r, 1, ls_tlog_path(l), err) != 0)
		return err->status;
	if ((at = ls_tlog_add(l, r.f, err)) < 0)
		return err->status;
	*id = r.id;
	if (seq)
		*seq = at;
	return 0;
}

void
ls_ticket_ops_torn(const struct ls_tlog *l, int cut, struct ls_ticket_ops_cut *t)
{
	memset(t, 0, sizeof(*t));
	if (!ls_tlog_torn(l, &t->line, &t->bytes))
		t->line = 0;
	else if (cut)
		ls_error_set(&t->warning, LS_OK, ls_tlog_path(l), t->line, 0,
		    "torn tail cut (%zu bytes of a write cut short, saved to %s.torn)", t->bytes,
		    ls_tlog_path(l));
	else
		ls_error_set(&t->warning, LS_OK, ls_tlog_path(l), t->line, 0,
		    "torn tail skipped (%zu bytes of a write cut short; ticket-log check --repair cuts it)",
		    t->bytes);
}


const struct ls_tcur *
ls_ticket_ops_cur(struct ls_queue *q, const struct ls_tevent_req *e, struct ls_tcur *t)
{
	struct ls_ticket *tk;

	if (e->ev == LS_EV_OPEN || (tk = ls_queue_get(q, e->id)) == NULL)
		return NULL;
	/* a late event starts from the ticket as it was at its time */
	ls_queue_state_at(q, e->id, e->ts, &t->status, &t->priority);
	t->client = tk->client;
	t->agent = tk->agent;
	return t;
}

int
ls_ticket_ops_commit(struct ls_tlog *l, struct ls_trefs *refs, struct ls_error *err)
{
	int rc;

	/* the store first: a reference counts only once its event is in the log */
	rc = refs ? ls_trefs_commit(refs, err) : ls_trefs_trim(ls_tlog_path(l), ls_tlog_seq(l), err);
	if (rc != 0)
		return rc;
	if ((rc = ls_tlog_commit(l, err)) != 0)
		ls_trefs_undo(refs);
	return rc;
}
