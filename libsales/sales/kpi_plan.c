/*
 * kpi_plan.c - plans that follow the calendar and the team file: a target
 * is per working day, a manager's plan for a period is the target times the
 * working days they are held to in it (the calendar's working days less
 * their away days, in the window the report counts), and the windows
 * --compare holds a period against.  See kpi_int.h and kpi-report(1), PLANS.
 */
#include <string.h>

#include "kpi_int.h"
#include "util.h"

long
ls_kpi_member(const struct ls_kpi_config *kc, const char *id)
{
	for (size_t i = 0; i < kc->nmembers; i++)
		if (strcmp(kc->members[i].id, id) == 0)
			return (long)i;
	return -1;
}

const struct ls_tz *
ls_kpi_zone_of(const struct ls_kpi_config *kc, const char *id)
{
	long i = ls_kpi_member(kc, id);

	return i >= 0 && kc->members[i].tz != NULL ? kc->members[i].tz : kc->tz;
}

int
ls_kpi_workday(const struct ls_kpi_config *kc, int64_t dn)
{
	struct ls_date d;

	ls_date_from_days(dn, &d);
	return ls_kpi_is_workday(kc, &d);
}

int64_t
ls_kpi_plan_days(const struct ls_kpi_config *kc, const char *id, int64_t from, int64_t to)
{
	long m;
	int64_t n = 0;

	if (!kc->per_workday)
		return -1;
	if (strcmp(id, NO_MANAGER) == 0)
		return 0;
	m = ls_kpi_member(kc, id);
	for (int64_t d = from; d <= to; d++)
		if (ls_kpi_workday(kc, d) && !(m >= 0 && ls_team_is_away(kc->team, kc->members[m].ti, d)))
			n++;
	return n;
}

void
ls_kpi_window(const struct ls_kpi *k, int64_t start, int64_t *lo, int64_t *hi)
{
	int64_t end = ls_kpi_period_next(k->o.period, start) - 1;

	*lo = k->lo > start ? k->lo : start;
	*hi = k->hi < end ? k->hi : end;
}

/* The working day before day dn (within a year; else the day before): a Monday's is Friday. */
static int64_t
prev_workday(const struct ls_kpi_config *kc, int64_t dn)
{
	for (int64_t d = dn - 1; d >= dn - 366; d--)
		if (ls_kpi_workday(kc, d))
			return d;
	return dn - 1;
}

/*
 * The previous period's window: for a day, the working day before it (a
 * Monday is held against Friday, not Sunday); else the period before, from
 * as many days after its start as the window is after this one's, for as
 * many days, but never past its own end: a month to the 7th is held
 * against the month before to its 7th, a whole week against the whole week
 * before.
 */
void
ls_kpi_prev_window(const struct ls_kpi *k, int64_t start, int64_t *lo, int64_t *hi)
{
	int64_t wlo, whi, pstart = ls_kpi_period_start(k->o.period, start - 1);

	if (k->o.period == LS_PERIOD_DAY) {
		*lo = *hi = prev_workday(k->kc, start);
		return;
	}
	ls_kpi_window(k, start, &wlo, &whi);
	*lo = pstart + (wlo - start);
	*hi = pstart + (whi - start);
	if (*hi > start - 1)
		*hi = start - 1;
}

int64_t
ls_kpi_prev_key(const struct ls_kpi *k, int64_t start)
{
	return k->o.period == LS_PERIOD_DAY ? prev_workday(k->kc, start) : start;
}

/* Keys of the previous windows' sums, as kpi_sums.c's groups: padding-free. */
struct pkey {
	int64_t day;
	uint64_t mgr;
};

int64_t *
ls_kpi_prev_group(struct ls_kpi *k, int64_t start, size_t mgr)
{
	struct pkey key = { start, (uint64_t)mgr };
	uint32_t idx;
	const char *v;
	void *nv;
	int created, status;

	if ((v = ls_keyset_get(k->pgset, &key, sizeof(key))) != NULL) {
		memcpy(&idx, v, sizeof(idx));
		return k->pg[idx].s;
	}
	if (ls_grow(&k->pg, &k->cappg, k->npg + 1, sizeof(*k->pg)) != 0 ||
	    (nv = ls_keyset_upsert(k->pgset, &key, sizeof(key), sizeof(idx), &created, &status)) == NULL)
		return NULL;
	memset(&k->pg[k->npg], 0, sizeof(k->pg[k->npg]));
	k->pg[k->npg].day = start;
	k->pg[k->npg].mgr = mgr;
	idx = (uint32_t)k->npg++;
	memcpy(nv, &idx, sizeof(idx));
	return k->pg[idx].s;
}
