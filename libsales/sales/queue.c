/* queue.c - tickets replayed from their events, with SLA clocks (queue.h). */
#include <stdlib.h>
#include <string.h>

#include "queue.h"
#include "util.h"

const char *const ls_tickets_columns[LS_TK_NCOLS + 1] = {
	"ticket_id", "client", "subject", "status", "priority", "agent", "opened_at",
	"first_response_at", "updated_at", "due_at", "sla", NULL
};

const char *const ls_queue_status_words[LS_TS_COUNT + 2] = {
	"new", "open", "pending", "solved", "closed", "at_risk", NULL
};

/* One event of a ticket as replay needs it again when an older one arrives late. */
struct hev {
	int64_t ts;
	long line;
	unsigned char event, status, priority;
};

/* A ticket's events in time order (equal times in the order they came), and its opening as written. */
struct hist {
	struct hev *e;
	size_t n, cap;
	char *opened;
	size_t nclient, nagent;		/* strlen() of the ticket's client and agent */
};

/*
 * The tickets' strings, one after the other in big blocks freed with the
 * queue: a list of 100k tickets made and freed five strings a ticket, a
 * tenth of list's instructions in malloc and free.  A client or agent that
 * changes takes a new copy; the old bytes stay until the queue goes.
 */
struct pool {
	struct pool *next;
	size_t used, cap;
	char b[];
};

#define POOL_BLOCK	65536

struct ls_queue {
	struct ls_sla *sla;
	struct pool *pool;		/* the newest block first */
	struct ls_ticket *t;		/* slot id - 1; id 0: not opened (yet: list --at) */
	struct hist *h;			/* beside t */
	size_t n, cap, hcap;
};

struct ls_queue *
ls_queue_new(struct ls_sla *sla, struct ls_error *err)
{
	struct ls_queue *q = calloc(1, sizeof(*q));

	if (q == NULL) {
		ls_error_set(err, LS_ENOMEM, NULL, 0, 0, "out of memory");
		return NULL;
	}
	q->sla = sla;
	return q;
}

void
ls_queue_free(struct ls_queue *q)
{
	if (q == NULL)
		return;
	for (size_t i = 0; i < q->n; i++)
		free(q->h[i].e);
	while (q->pool) {
		struct pool *next = q->pool->next;

		free(q->pool);
		q->pool = next;
	}
	free(q->t);
	free(q->h);
	free(q);
}

long
ls_queue_count(const struct ls_queue *q)
{
	return (long)q->n;
}

struct ls_ticket *
ls_queue_get(struct ls_queue *q, long id)
{
	return id >= 1 && (size_t)id <= q->n && q->t[id - 1].id != 0 ? &q->t[id - 1] : NULL;
}

/* A copy of s[0..n) in q's pool, NUL-terminated; NULL when out of memory. */
static char *
pool_copy(struct ls_queue *q, const char *s, size_t n)
{
	struct pool *b = q->pool;
	char *c;

	if (b == NULL || b->cap - b->used < n + 1) {
		size_t cap = n + 1 > POOL_BLOCK / 4 ? n + 1 : POOL_BLOCK - sizeof(*b);

		/* a long string gets a block of its own, behind the current one, which goes on filling */
		if ((b = malloc(sizeof(*b) + cap)) == NULL)
			return NULL;
		b->used = 0;
		b->cap = cap;
		if (cap == n + 1 && q->pool) {
			b->next = q->pool->next;
			q->pool->next = b;
		} else {
			b->next = q->pool;
			q->pool = b;
		}
	}
	c = b->b + b->used;
	b->used += n + 1;
	if (n > 0)
		memcpy(c, s, n);
	c[n] = '\0';
	return c;
}

/*
 * Point *dst (*len bytes long, when len is not NULL) at a copy of s[0..n)
 * unless it holds that already.  0 or -1 (out of memory).  With the length
 * kept, the client and agent every event repeats cost a memcmp, not a
 * strlen too.
 */
static int
set_str(struct ls_queue *q, char **dst, size_t *len, const struct ls_str *s)
{
	char *c;

	if (*dst && (len ? *len : strlen(*dst)) == s->n && memcmp(*dst, s->p, s->n) == 0)
		return 0;
	if ((c = pool_copy(q, s->p, s->n)) == NULL)
		return -1;
	*dst = c;
	if (len)
		*len = s->n;
	return 0;
}

static int
stopped_status(enum ls_tstatus s)
{
	return s == LS_TS_SOLVED || s == LS_TS_CLOSED;
}

static int
fr_runs(const struct ls_queue *q, const struct ls_ticket *t)
{
	return t->first_response_at < 0 && !stopped_status(t->status) &&
	    !ls_sla_pauses(q->sla, t->status);
}

static int
res_runs(const struct ls_queue *q, const struct ls_ticket *t)
{
	return !stopped_status(t->status) && !ls_sla_pauses(q->sla, t->status);
}

/* Start or stop clock c at ts, noting when it reached target. */
static void
clock_set(struct ls_queue *q, struct ls_clock *c, int run, int64_t ts, int64_t target)
{
	if (run && c->since < 0)
		c->since = ts;
	else if (!run && c->since >= 0) {
		int64_t before = c->used;

		c->used += ls_sla_business(q->sla, c->since, ts);
		if (target >= 0 && c->crossed < 0 && before < target && c->used >= target)
			c->crossed = ls_sla_add(q->sla, c->since, target - before);
		c->since = -1;
	}
}

/*
 * The priority changes at ts from target old to target new (-1: none).  A
 * target missed under the old priority stays missed: a downgrade does not
 * undo a broken promise.  Else the time the clock used since the opening
 * counts against the new target, and a clock still owed (live: not
 * stopped for good by a reply or a solve) that has used it up already is
 * breached at the change.
 */
static void
clock_retarget(struct ls_queue *q, struct ls_clock *c, int live, int64_t ts, int64_t old,
    int64_t new)
{
	int64_t used = c->used;

	if (c->crossed >= 0)
		return;
	if (c->since >= 0 && ts > c->since)
		used += ls_sla_business(q->sla, c->since, ts);
	if (old >= 0 && used >= old)
		c->crossed = c->since >= 0 && c->used < old ?
		    ls_sla_add(q->sla, c->since, old - c->used) : ts;
	else if (live && new >= 0 && used >= new)
		c->crossed = ts;
}

/*
 * Ticket t after event e: status, priority, first response, clocks.  With
 * strict, the event's status must be the lifecycle's, checked before
 * anything changes.  The strings are the caller's business.
 */
static int
step(struct ls_queue *q, struct ls_ticket *t, const struct hev *e, int strict, const char *file,
    struct ls_error *err)
{
	int fr0 = 0, res0 = 0;

	if (e->event == LS_EV_OPEN) {
		t->opened_at = e->ts;
		t->first_response_at = -1;
		t->fr.since = t->res.since = -1;
		t->fr.crossed = t->res.crossed = -1;
		t->fr.used = t->res.used = 0;
		t->status = LS_TS_NEW;
		t->nevents = 0;
	} else if (q->sla) {
		fr0 = fr_runs(q, t);
		res0 = res_runs(q, t);
	}
	if (strict) {
		enum ls_tstatus to;
		char id[16];

		ls_ticket_id_format(t->id, id, sizeof(id));
		if (ls_lifecycle_event(id, e->event, t->status, e->status, &to, err) != 0) {
			err->line = e->line;
			snprintf(err->file, sizeof(err->file), "%s", file ? file : "");
			return LS_EDATA;
		}
		if (to != e->status)
			return ls_error_set(err, LS_EDATA, file, e->line, 0,
			    "%s %s gives status %s, but the log says %s", id,
			    ls_tevent_name(e->event), ls_tstatus_name(to), ls_tstatus_name(e->status));
		/* a change to the priority the ticket has is no change: a late one may make a later one so */
		if (e->event == LS_EV_PRIORITY && e->priority == t->priority)
			return ls_error_set(err, LS_EDATA, file, e->line, 0, "%s is %s already", id,
			    ls_priority_name(t->priority));
	}
	/*
	 * Only an open and a priority event set the priority: another event's
	 * row says the priority when it was written, which a priority change
	 * written late (dated before it) has made stale.
	 */
	if (q->sla && e->event == LS_EV_PRIORITY && e->priority != t->priority) {
		int64_t of, orr, nf, nr;

		ls_sla_targets(q->sla, t->priority, &of, &orr);
		ls_sla_targets(q->sla, (enum ls_priority)e->priority, &nf, &nr);
		clock_retarget(q, &t->fr, t->first_response_at < 0 && !stopped_status(t->status),
		    e->ts, of, nf);
		clock_retarget(q, &t->res, !stopped_status(t->status), e->ts, orr, nr);
	}
	t->status = e->status;
	if (e->event == LS_EV_OPEN || e->event == LS_EV_PRIORITY)
		t->priority = e->priority;
	if (e->event == LS_EV_REPLY && t->first_response_at < 0)
		t->first_response_at = e->ts;
	t->updated_at = e->ts;
	t->nevents++;
	if (q->sla) {
		int64_t tf, tr;

		ls_sla_targets(q->sla, t->priority, &tf, &tr);
		if (fr0 != fr_runs(q, t))
			clock_set(q, &t->fr, !fr0, e->ts, tf);
		if (res0 != res_runs(q, t))
			clock_set(q, &t->res, !res0, e->ts, tr);
	}
	return 0;
}

/* Ticket t replayed again from its events h, as after a late event was put in its place. */
static int
rebuild(struct ls_queue *q, struct ls_ticket *t, const struct hist *h, int strict,
    const char *file, struct ls_error *err)
{
	for (size_t k = 0; k < h->n; k++)
		if (step(q, t, &h->e[k], strict, file, err) != 0)
			return LS_EDATA;
	return 0;
}

int
ls_queue_apply(struct ls_queue *q, const struct ls_tlog_rec *r, int strict, const char *file,
    struct ls_error *err)
{
	struct ls_ticket *t;
	struct hist *h;
	struct hev e = { r->ts, r->line, (unsigned char)r->event, (unsigned char)r->status,
		(unsigned char)r->priority };
	size_t at;

	if (r->event == LS_EV_OPEN) {
		/* ids come in order; one may be missing when list --at left its opening out */
		if (r->id < 1 || (size_t)r->id <= q->n)
			return ls_error_set(err, LS_EDATA, file, r->line, 0,
			    "%s opened out of order (expected T-%06zu)", r->f[LS_TC_ID].p, q->n + 1);
		if (ls_grow(&q->t, &q->cap, (size_t)r->id, sizeof(*q->t)) != 0 ||
		    ls_grow(&q->h, &q->hcap, (size_t)r->id, sizeof(*q->h)) != 0)
			return ls_error_set(err, LS_ENOMEM, file, 0, 0, "out of memory");
		memset(q->t + q->n, 0, ((size_t)r->id - q->n) * sizeof(*q->t));
		memset(q->h + q->n, 0, ((size_t)r->id - q->n) * sizeof(*q->h));
		q->n = (size_t)r->id;
		t = &q->t[r->id - 1];
		h = &q->h[r->id - 1];
		t->id = r->id;
		if ((h->opened = pool_copy(q, r->f[LS_TC_TS].p, r->f[LS_TC_TS].n)) == NULL ||
		    set_str(q, &t->subject, NULL, &r->f[LS_TC_SUBJECT]) != 0 ||
		    set_str(q, &t->channel, NULL, &r->f[LS_TC_CHANNEL]) != 0)
			return ls_error_set(err, LS_ENOMEM, file, 0, 0, "out of memory");
	} else {
		if ((t = ls_queue_get(q, r->id)) == NULL)
			return ls_error_set(err, LS_EDATA, file, r->line, 0,
			    "event for %s, which was never opened", r->f[LS_TC_ID].p);
		h = &q->h[r->id - 1];
		if (r->ts < t->opened_at)
			return ls_error_set(err, LS_EDATA, file, r->line, 0,
			    "%s for %s dated %s, before the ticket was opened (%s)",
			    ls_tevent_name(r->event), r->f[LS_TC_ID].p, r->f[LS_TC_TS].p, h->opened);
	}
	if (ls_grow(&h->e, &h->cap, h->n + 1, sizeof(*h->e)) != 0)
		return ls_error_set(err, LS_ENOMEM, file, 0, 0, "out of memory");
	/* a ticket's events count in the order of their times; equal times in the order they came */
	for (at = h->n; at > 0 && h->e[at - 1].ts > r->ts; at--)
		;
	memmove(h->e + at + 1, h->e + at, (h->n - at) * sizeof(*h->e));
	h->e[at] = e;
	h->n++;
	if (at + 1 < h->n) {
		/* a late event: the ticket again from its opening; its last event, and so its strings, stay */
		if (rebuild(q, t, h, strict, file, err) != 0) {
			if (err && err->line != r->line) {
				char why[sizeof(err->msg)];
				long at_line = err->line;

				snprintf(why, sizeof(why), "%s", err->msg);
				ls_error_set(err, LS_EDATA, file, r->line, 0,
				    "%s for %s dated %s would break the later event on line %ld (%s)",
				    ls_tevent_name(r->event), r->f[LS_TC_ID].p, r->f[LS_TC_TS].p,
				    at_line, why);
			}
			/* refused: as it was before (import --rejects goes on with it) */
			memmove(h->e + at, h->e + at + 1, (h->n - at - 1) * sizeof(*h->e));
			h->n--;
			rebuild(q, t, h, 0, file, NULL);
			return LS_EDATA;
		}
		return 0;
	}
	if (step(q, t, &e, strict, file, err) != 0) {
		h->n--;
		if (r->event == LS_EV_OPEN)
			t->id = 0;
		return LS_EDATA;
	}
	if (set_str(q, &t->client, &h->nclient, &r->f[LS_TC_CLIENT]) != 0 ||
	    set_str(q, &t->agent, &h->nagent, &r->f[LS_TC_AGENT]) != 0)
		return ls_error_set(err, LS_ENOMEM, file, 0, 0, "out of memory");
	return 0;
}

int
ls_queue_state_at(struct ls_queue *q, long id, int64_t ts, enum ls_tstatus *status,
    enum ls_priority *priority)
{
	const struct hist *h;
	size_t k;

	if (ls_queue_get(q, id) == NULL)
		return -1;
	h = &q->h[id - 1];
	for (k = h->n; k > 1 && h->e[k - 1].ts > ts; k--)
		;
	*status = (enum ls_tstatus)h->e[k - 1].status;
	/* the priority of the last open or priority event (step() says why) */
	while (k > 1 && h->e[k - 1].event != LS_EV_OPEN && h->e[k - 1].event != LS_EV_PRIORITY)
		k--;
	*priority = (enum ls_priority)h->e[k - 1].priority;
	return 0;
}

/* Business time used by c at now, and its deadline (-1 when stopped short of it). */
static int64_t
clock_at(struct ls_queue *q, const struct ls_clock *c, int64_t now, int64_t target, int64_t *due)
{
	int64_t used = c->used;

	if (c->since >= 0 && now > c->since)
		used += ls_sla_business(q->sla, c->since, now);
	if (c->crossed >= 0)
		*due = c->crossed;
	else if (c->since >= 0)
		*due = ls_sla_add(q->sla, c->since, target - c->used);
	else
		*due = -1;
	return used;
}

const char *
ls_queue_sla(struct ls_queue *q, const struct ls_ticket *t, int64_t now, int64_t *due)
{
	int64_t tf, tr, used;
	const struct ls_clock *c;
	int64_t target;
	int late;

	*due = -1;
	if (q->sla == NULL)
		return "";
	ls_sla_targets(q->sla, t->priority, &tf, &tr);
	/*
	 * A clock stopped for good (the first reply; solved, closed) was graded
	 * when it stopped, against the target then in force (clock_set()): a
	 * later priority change does not grade it again.  crossed also holds a
	 * target missed under an earlier priority (clock_retarget()).
	 */
	if (stopped_status(t->status)) {
		int any = 0;
		if ((tf >= 0 || t->fr.crossed >= 0) && t->first_response_at >= 0) {
			any = 1;
			if (t->fr.crossed >= 0)
				return "breached";
		}
		if (tr >= 0 || t->res.crossed >= 0) {
			any = 1;
			if (t->res.crossed >= 0)
				return "breached";
		}
		return any ? "met" : "";
	}
	/* a first response given late is a promise broken, whatever the resolution's clock says */
	late = t->first_response_at >= 0 && t->fr.crossed >= 0;
	if (t->first_response_at < 0 && (tf >= 0 || t->fr.crossed >= 0)) {
		c = &t->fr;
		target = tf;
	} else if (tr >= 0 || t->res.crossed >= 0) {
		c = &t->res;
		target = tr;
	} else
		return late ? "breached" : "";
	used = clock_at(q, c, now, target, due);
	if (c->crossed >= 0 || used >= target || late)
		return "breached";
	if (ls_sla_pauses(q->sla, t->status))
		return "paused";
	if ((target - used) * 100 < target * ls_sla_at_risk(q->sla))
		return "at_risk";
	return "ok";
}

static struct ls_str
view(const char *s)
{
	struct ls_str v = { s ? s : "", s ? strlen(s) : 0 };
	return v;
}

static const char *
fmt_time(struct ls_tz *tz, int64_t t, char *buf)
{
	if (t < 0 || ls_time_format(tz, t, buf, LS_TIME_BUFSZ) != 0)
		buf[0] = '\0';
	return buf;
}

/* Row of ticket t, its SLA state sla and deadline due (ls_queue_sla()) given. */
static void
fill_row(const struct ls_ticket *t, const char *sla, int64_t due, struct ls_tz *tz,
    struct ls_ticket_row *row)
{
	row->sla = sla;
	ls_ticket_id_format(t->id, row->id, sizeof(row->id));
	row->f[0] = view(row->id);
	row->f[1] = view(t->client);
	row->f[2] = view(t->subject);
	row->f[3] = view(ls_tstatus_name(t->status));
	row->f[4] = view(ls_priority_name(t->priority));
	row->f[5] = view(t->agent);
	row->f[6] = view(fmt_time(tz, t->opened_at, row->opened));
	row->f[7] = view(fmt_time(tz, t->first_response_at, row->first));
	row->f[8] = view(fmt_time(tz, t->updated_at, row->updated));
	row->f[9] = view(fmt_time(tz, due, row->due));
	row->f[10] = view(row->sla);
}

void
ls_queue_row(struct ls_queue *q, const struct ls_ticket *t, int64_t now, struct ls_tz *tz,
    struct ls_ticket_row *row)
{
	int64_t due;
	const char *sla = ls_queue_sla(q, t, now, &due);

	fill_row(t, sla, due, tz, row);
}

int
ls_queue_select(struct ls_queue *q, long id, const struct ls_queue_filter *f, int64_t now,
    struct ls_tz *tz, struct ls_ticket_row *row)
{
	const struct ls_ticket *t = ls_queue_get(q, id);
	unsigned st = f->statuses & (LS_QF_AT_RISK - 1);
	const char *sla;
	int64_t due;

	if (t == NULL)
		return 0;
	if ((st && !(st >> t->status & 1u)) ||
	    (f->client && strcmp(f->client, t->client) != 0) ||
	    (f->agent && strcmp(f->agent, t->agent) != 0))
		return 0;
	/* overdue: a promise broken and still owed; a solved ticket owes nothing more */
	if (f->overdue && stopped_status(t->status))
		return 0;
	/* the clocks before the row's times are written: a ticket the filter drops costs no formatting */
	sla = ls_queue_sla(q, t, now, &due);
	if (f->overdue && strcmp(sla, "breached") != 0)
		return 0;
	if ((f->statuses & LS_QF_AT_RISK) && strcmp(sla, "at_risk") != 0)
		return 0;
	fill_row(t, sla, due, tz, row);
	return 1;
}
