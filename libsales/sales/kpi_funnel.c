/*
 * kpi_funnel.c - the funnel's join on lead_id (--report funnel): every lead
 * of --leads with its assigned_at, manager and cohort day, and what its
 * calls and won deals did after it was assigned.  kpi_sums.c calls the
 * hooks below for each good record; kpi_funnel_table.c makes the table.
 *
 * One entry per lead_id, found through a keyset (base/keyset.h), so that a
 * million leads and two million calls cost one hash lookup a record and no
 * search.  Inputs come in any order: a call read before its lead's row
 * cannot yet tell whether it came after the assignment, so it waits on its
 * lead's list of pending calls and is settled when the row comes (or never:
 * then it names no assigned lead).  With --leads first, as lead-assign's
 * output usually is, nothing waits.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "kpi_funnel.h"
#include "util.h"

#define NO_PEND	UINT32_MAX

struct ls_kpi_funnel *
ls_kpi_funnel_new(void)
{
	struct ls_kpi_funnel *f = calloc(1, sizeof(*f));

	if (f != NULL && (f->ids = ls_keyset_create(NULL)) == NULL) {
		free(f);
		return NULL;
	}
	return f;
}

void
ls_kpi_funnel_free(struct ls_kpi_funnel *f)
{
	if (f == NULL)
		return;
	ls_keyset_free(f->ids);
	free(f->lead);
	free(f->pend);
	free(f);
}

/* The entry of lead_id id, made empty when new; NULL when out of memory or past 2^32 leads. */
static struct flead *
lead_of(struct ls_kpi_funnel *f, const struct ls_str *id)
{
	uint32_t idx;
	void *v;
	int created, status;

	/* room first: a key once in the set must have its entry */
	if (f->nlead >= UINT32_MAX - 1 || ls_grow(&f->lead, &f->caplead, f->nlead + 1, sizeof(*f->lead)) != 0 ||
	    (v = ls_keyset_upsert(f->ids, id->p, id->n, sizeof(idx), &created, &status)) == NULL)
		return NULL;
	if (!created) {
		memcpy(&idx, v, sizeof(idx));
		return &f->lead[idx];
	}
	idx = (uint32_t)f->nlead++;
	memcpy(v, &idx, sizeof(idx));
	memset(&f->lead[idx], 0, sizeof(f->lead[idx]));
	f->lead[idx].assigned = 0;
	f->lead[idx].first = FL_NO_CALL;
	f->lead[idx].pend = NO_PEND;
	return &f->lead[idx];
}

/* A call at t of an assigned lead: it counts when it came at or after the assignment. */
static void
settle(struct flead *l, int64_t t, unsigned flags)
{
	if (t < l->at)
		return;		/* the lead's earlier life, another manager's perhaps */
	if (t < l->first)
		l->first = t;
	l->flags |= (unsigned char)flags;
}

static int
oom(struct ls_error *err)
{
	return ls_error_set(err, LS_ENOMEM, NULL, 0, 0, "out of memory");
}

int
ls_kpi_funnel_lead(struct ls_kpi *k, const struct ls_record *rec, const struct ls_str *id,
    size_t mgr, int64_t at, int64_t day, struct ls_error *err)
{
	struct ls_kpi_funnel *f = k->fun;
	struct flead *l;

	if (id->n == 0)
		return ls_error_set(err, LS_EDATA, rec->file, rec->line, 0,
		    "assigned lead without a lead_id: the funnel cannot join its calls and deals");
	if ((l = lead_of(f, id)) == NULL)
		return oom(err);
	/* the first row with a time decides, as for leads_assigned: later days repeat it */
	if (l->assigned)
		return 0;
	l->assigned = 1;
	l->at = at;
	l->day = day;
	l->mgr = (uint32_t)mgr;
	for (uint32_t p = l->pend; p != NO_PEND; p = f->pend[p].next)
		settle(l, f->pend[p].t, f->pend[p].flags);
	l->pend = NO_PEND;
	l->npend = 0;
	return 0;
}

int
ls_kpi_funnel_call(struct ls_kpi *k, const struct ls_str *id, int64_t t, int connected,
    int interested, struct ls_error *err)
{
	struct ls_kpi_funnel *f = k->fun;
	unsigned flags = (connected ? FL_CONNECTED : 0) | (interested ? FL_INTERESTED : 0);
	struct flead *l;

	if (id->n == 0) {
		f->calls_no_id++;
		return 0;
	}
	if ((l = lead_of(f, id)) == NULL)
		return oom(err);
	if (l->assigned) {
		settle(l, t, flags);
		return 0;
	}
	if (f->npend >= NO_PEND - 1 || ls_grow(&f->pend, &f->cappend, f->npend + 1, sizeof(*f->pend)) != 0)
		return oom(err);
	f->pend[f->npend].t = t;
	f->pend[f->npend].flags = (unsigned char)flags;
	f->pend[f->npend].next = l->pend;
	l->pend = (uint32_t)f->npend++;
	l->npend++;
	return 0;
}

int
ls_kpi_funnel_deal(struct ls_kpi *k, const struct ls_str *id, int64_t minor, struct ls_error *err)
{
	struct ls_kpi_funnel *f = k->fun;
	struct flead *l;

	if (id->n == 0) {
		f->deals_no_id++;
		return 0;
	}
	if ((l = lead_of(f, id)) == NULL)
		return oom(err);
	if (__builtin_add_overflow(l->revenue, minor, &l->revenue))
		return ls_error_set(err, LS_EDATA, NULL, 0, 0, "sum overflow");
	l->nwon++;
	return 0;
}

unsigned long
ls_kpi_funnel_unmatched(const struct ls_kpi *k, unsigned long *calls, unsigned long *deals,
    const char **first, size_t *nfirst)
{
	const struct ls_kpi_funnel *f = k->fun;
	const char *key, *val;
	size_t pos = 0, klen;

	*calls = *deals = 0;
	*first = "";
	*nfirst = 0;
	if (f == NULL)
		return 0;
	*calls = f->calls_no_id;
	*deals = f->deals_no_id;
	while (ls_keyset_next(f->ids, &pos, &key, &klen, &val)) {
		const struct flead *l;
		uint32_t idx;
		int c;

		memcpy(&idx, val, sizeof(idx));
		l = &f->lead[idx];
		if (l->assigned || (l->npend == 0 && l->nwon == 0))
			continue;
		*calls += l->npend;
		*deals += l->nwon;
		/* the byte-smallest: the same whatever order the table keeps */
		c = memcmp(key, *first, klen < *nfirst ? klen : *nfirst);
		if (*nfirst == 0 || c < 0 || (c == 0 && klen < *nfirst)) {
			*first = key;
			*nfirst = klen;
		}
	}
	return *calls + *deals;
}
