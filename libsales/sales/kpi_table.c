/*
 * kpi_table.c - the KPI table: one row per (period, manager or team) and a
 * TOTAL per period, with plans and percentages of plan.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "kpi_int.h"
#include "util.h"

struct row {
	int64_t day;
	const char *who;
	int64_t s[NSUMS];
	int64_t ps[NSUMS];		/* --compare: the previous period's window */
	int64_t plan[LS_KPI_COUNT];
	unsigned char has_plan[LS_KPI_COUNT];
	long workers;			/* managers held to a plan in the period (not away all of it) */
	int total;
};

/*
 * Whether KPI q has plan columns: a target names it and its input was
 * given (inputs 0: a caller that did not say, every input).
 */
static int
planned(const struct ls_kpi *k, int q)
{
	return k->kc->targeted[q] && (k->o.inputs == 0 || (k->o.inputs & (1u << ls_kpi_input_of(q))));
}

static int
shown_kpi(const struct ls_kpi *k, int q)
{
	return !((q == LS_KPI_TICKETS || q == LS_KPI_SLA_MET) && !k->o.tickets);
}

/* Whether KPI q gets --compare's columns: shown, and its input given (last week's revenue needs --deals). */
static int
compared(const struct ls_kpi *k, int q)
{
	return k->o.compare && shown_kpi(k, q) &&
	    (k->o.inputs == 0 || (k->o.inputs & (1u << ls_kpi_input_of(q))));
}

static int
cmp_row(const void *a, const void *b)
{
	const struct row *x = a, *y = b;

	if (x->day != y->day)
		return x->day < y->day ? -1 : 1;
	if (x->total != y->total)
		return x->total - y->total;
	return strcmp(x->who, y->who);
}

/* qsort has no context argument; the table is made on one thread */
static const struct group *sort_groups;

static int
cmp_group_day(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;

	if (sort_groups[x].day != sort_groups[y].day)
		return sort_groups[x].day < sort_groups[y].day ? -1 : 1;
	return x < y ? -1 : x > y;
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The names of every manager the config knows (team members, target keys that are not teams). */
int
ls_kpi_roster(const struct ls_kpi *k, const char ***out, size_t *nout)
{
	const struct ls_kpi_config *kc = k->kc;
	const char **r = NULL;
	size_t n = 0, cap = 0;

	for (size_t i = 0; i < kc->nteams; i++)
		for (size_t j = 0; j < kc->teams[i].nids; j++) {
			if (ls_grow(&r, &cap, n + 1, sizeof(*r)) != 0)
				goto oom;
			r[n++] = kc->teams[i].ids[j];
		}
	for (size_t i = 0; i < kc->ntargets; i++) {
		const char *w = kc->targets[i].who;
		int team = 0;

		for (size_t j = 0; j < kc->nteams; j++)
			team |= strcmp(kc->teams[j].name, w) == 0;
		if (team || strcmp(w, "default") == 0)
			continue;
		if (ls_grow(&r, &cap, n + 1, sizeof(*r)) != 0)
			goto oom;
		r[n++] = w;
	}
	/* the team file's managers, but those who left (active: false) */
	for (size_t i = 0; i < kc->nmembers; i++) {
		if (!kc->members[i].active)
			continue;
		if (ls_grow(&r, &cap, n + 1, sizeof(*r)) != 0)
			goto oom;
		r[n++] = kc->members[i].id;
	}
	if (n > 1)
		qsort(r, n, sizeof(*r), cmp_str);
	/* a name listed twice (two teams, a team and a target) is one manager */
	if (n > 1) {
		size_t o = 1;

		for (size_t i = 1; i < n; i++)
			if (strcmp(r[i], r[o - 1]) != 0)
				r[o++] = r[i];
		n = o;
	}
	*out = r;
	*nout = n;
	return 0;
oom:
	free(r);
	return -1;
}

static void
table_free_cells(struct ls_kpi_table *t)
{
	if (t->cells)
		for (size_t r = 0; r < t->nrows; r++) {
			if (t->cells[r])
				for (size_t c = 0; c < t->ncols; c++)
					free(t->cells[r][c]);
			free(t->cells[r]);
		}
	free(t->cells);
}

void
ls_kpi_table_free(struct ls_kpi_table *t)
{
	if (t == NULL)
		return;
	table_free_cells(t);
	if (t->names)
		for (size_t c = 0; c < t->ncols; c++)
			free(t->names[c]);
	free(t->names);
	free(t->total);
	free(t->col_kpi);
	free(t->col_kind);
	free(t);
}

long
ls_kpi_table_col(const struct ls_kpi_table *t, const char *name, size_t n)
{
	for (size_t c = 0; c < t->ncols; c++)
		if (strlen(t->names[c]) == n && memcmp(t->names[c], name, n) == 0)
			return (long)c;
	return -1;
}

size_t
ls_kpi_table_rows(const struct ls_kpi_table *t)
{
	return t->nrows;
}

size_t
ls_kpi_table_cols(const struct ls_kpi_table *t)
{
	return t->ncols;
}

const char *
ls_kpi_table_name(const struct ls_kpi_table *t, size_t c)
{
	return t->names[c];
}

const char *
ls_kpi_table_cell(const struct ls_kpi_table *t, size_t r, size_t c)
{
	return t->cells[r][c];
}

int
ls_kpi_table_total(const struct ls_kpi_table *t, size_t r)
{
	return t->total[r];
}

/* Find or add the row (day, who) among rows[from..*n). */
static struct row *
row_at(struct row **rows, size_t *n, size_t *cap, struct ls_keyset *idx, int64_t day, const char *who)
{
	size_t len = strlen(who);
	uint32_t i;
	void *v;
	int created, status;

	/*
	 * Each name's latest row, found by name (a linear search made 100k
	 * managers take half a minute); a row of an earlier period is stale.
	 */
	if ((v = ls_keyset_upsert(idx, who, len, sizeof(i), &created, &status)) == NULL)
		return NULL;
	if (!created) {
		memcpy(&i, v, sizeof(i));
		if ((*rows)[i].day == day)
			return &(*rows)[i];
	}
	if (ls_grow(rows, cap, *n + 1, sizeof(**rows)) != 0)
		return NULL;
	i = (uint32_t)*n;
	memcpy(v, &i, sizeof(i));
	memset(&(*rows)[*n], 0, sizeof(**rows));
	(*rows)[*n].day = day;
	(*rows)[*n].who = who;
	return &(*rows)[(*n)++];
}

/* What a group of --by shows a manager under. */
const char *
ls_kpi_row_of(const struct ls_kpi *k, enum ls_kpi_by by, const char *id)
{
	long t;

	if (by == LS_KPI_BY_MANAGER)
		return id;
	t = ls_kpi_team_of(k->kc, id);
	return t >= 0 ? k->kc->teams[t].name : NO_TEAM;
}

/*
 * Add a manager's sums and plans into row r: the plan of a count, a time or
 * revenue is the target times the working days the manager is held to in
 * the period's window (kpi_plan.c); none at all for 0 such days.
 */
static int
add_into(const struct ls_kpi *k, struct row *r, const char *id, const int64_t *s)
{
	int64_t days = -1, lo, hi;

	for (int i = 0; i < NSUMS; i++)
		if (s && __builtin_add_overflow(r->s[i], s[i], &r->s[i]))
			return -1;
	if (id == NULL)
		return 0;
	if (k->kc->per_workday) {
		ls_kpi_window(k, r->day, &lo, &hi);
		if ((days = ls_kpi_plan_days(k->kc, id, lo, hi)) == 0)
			return 0;	/* away, or no working day: no plan, never behind it */
	}
	r->workers++;
	for (int q = 0; q < LS_KPI_COUNT; q++) {
		int64_t p;

		if (!ls_kpi_additive(q) || !planned(k, q) || !ls_kpi_manager_plan(k->kc, id, q, &p))
			continue;
		if ((days > 0 && __builtin_mul_overflow(p, days, &p)) ||
		    __builtin_add_overflow(r->plan[q], p, &r->plan[q]))
			return -1;
		r->has_plan[q] = 1;
	}
	return 0;
}

/*
 * Whether the previous period's window of the period starting at day is in
 * the data: the data begin no later than its first working day.  Data that
 * begin later would compare against a period half seen, or not at all.
 */
static int
prev_covered(const struct ls_kpi *k, int64_t day)
{
	int64_t lo, hi, first;

	ls_kpi_prev_window(k, day, &lo, &hi);
	if (lo > hi || k->first_day == INT64_MAX)
		return 0;
	for (first = lo; first < hi && !ls_kpi_workday(k->kc, first); first++)
		;
	return k->first_day <= first;
}

/* 100 x (now - before) / before of KPI q over sums s and ps, into cells; "" when either is empty or before is 0 */
static char *
cell_change(int q, const int64_t *s, const int64_t *ps)
{
	i128 n1, d1, n2, d2;
	char buf[96];

	if (!ls_kpi_value(q, s, &n1, &d1) || !ls_kpi_value(q, ps, &n2, &d2) || n2 == 0)
		return strdup("");
	ls_kpi_ratio((n1 * d2 - n2 * d1) * 100, d1 * n2, 1, buf, sizeof(buf));
	return strdup(buf);
}

static char *
cell_ratio(i128 num, i128 den, int dec)
{
	char buf[96];

	ls_kpi_ratio(num, den, dec, buf, sizeof(buf));
	return strdup(buf);
}

static char *
xstrdup(const char *s)
{
	return strdup(s);
}

/* Fill one row's cells. */
static int
fill_row(const struct ls_kpi *k, struct ls_kpi_table *t, size_t ri, const struct row *r,
    enum ls_kpi_by by)
{
	struct ls_date d;
	char key[LS_PERIOD_BUFSZ];
	char **cells = calloc(t->ncols, sizeof(*cells));
	size_t c = 0;

	if (cells == NULL)
		return -1;
	t->cells[ri] = cells;
	ls_date_from_days(r->day, &d);
	ls_period_key_date(k->o.period, &d, key, sizeof(key));
	cells[c++] = xstrdup(key);
	cells[c++] = xstrdup(r->total ? "TOTAL" : by == LS_KPI_BY_MANAGER ? ls_kpi_shown(k, r->who) : r->who);
	for (int q = 0; q < LS_KPI_COUNT; q++) {
		i128 num, den;

		if (!shown_kpi(k, q))
			continue;
		cells[c++] = ls_kpi_value(q, r->s, &num, &den) ? cell_ratio(num, den, ls_kpi_decimals(q)) : xstrdup("");
	}
	for (int q = 0; q < LS_KPI_COUNT; q++) {
		i128 num, den;
		int64_t plan = 0;
		int has;

		if (!planned(k, q))
			continue;
		if (ls_kpi_additive(q)) {
			has = r->has_plan[q];
			plan = r->plan[q];
		} else {
			/* a rate's plan: the manager's (or team's, or default) own figure, not a sum */
			const struct target *tg;

			has = 0;
			if (r->total) {
				if (k->kc->def >= 0 && k->kc->targets[k->kc->def].has[q])
					has = 1, plan = k->kc->targets[k->kc->def].plan[q];
			} else if (by == LS_KPI_BY_TEAM) {
				if ((tg = ls_kpi_target_of(k->kc, r->who)) != NULL && tg->has[q])
					has = 1, plan = tg->plan[q];
				else if (k->kc->def >= 0 && k->kc->targets[k->kc->def].has[q])
					has = 1, plan = k->kc->targets[k->kc->def].plan[q];
			} else {
				has = ls_kpi_manager_plan(k->kc, r->who, q, &plan);
			}
			/* nobody of the row works in the period: a holiday, a vacation */
			if (k->kc->per_workday && r->workers == 0)
				has = 0;
		}
		cells[c++] = has ? cell_ratio(plan, PLAN_ONE, ls_kpi_decimals(q)) : xstrdup("");
		if (has && plan > 0 && ls_kpi_value(q, r->s, &num, &den))
			cells[c++] = cell_ratio(num * PLAN_ONE * 100, den * plan, 1);
		else
			cells[c++] = xstrdup("");
	}
	for (int q = 0, covered = k->o.compare && prev_covered(k, r->day); k->o.compare && q < LS_KPI_COUNT; q++) {
		i128 num, den;

		if (!compared(k, q))
			continue;
		cells[c++] = covered && ls_kpi_value(q, r->ps, &num, &den) ?
		    cell_ratio(num, den, ls_kpi_decimals(q)) : xstrdup("");
		cells[c++] = covered ? cell_change(q, r->s, r->ps) : xstrdup("");
	}
	for (size_t i = 0; i < c; i++)
		if (cells[i] == NULL)
			return -1;
	t->total[ri] = (unsigned char)r->total;
	return 0;
}

static int
table_header(const struct ls_kpi *k, struct ls_kpi_table *t, enum ls_kpi_by by)
{
	size_t n = 2, c = 0;

	for (int q = 0; q < LS_KPI_COUNT; q++) {
		if (shown_kpi(k, q))
			n += compared(k, q) ? 3 : 1;
	}
	for (int q = 0; q < LS_KPI_COUNT; q++)
		n += planned(k, q) ? 2 : 0;
	t->ncols = n;
	if ((t->names = calloc(n, sizeof(*t->names))) == NULL ||
	    (t->col_kpi = calloc(n, sizeof(*t->col_kpi))) == NULL ||
	    (t->col_kind = calloc(n, sizeof(*t->col_kind))) == NULL)
		return -1;
	t->col_kpi[c] = -1;
	t->names[c++] = xstrdup("period");
	t->col_kpi[c] = -1;
	t->names[c++] = xstrdup(by == LS_KPI_BY_TEAM ? "team" : "manager");
	for (int q = 0; q < LS_KPI_COUNT; q++) {
		if (!shown_kpi(k, q))
			continue;
		t->col_kpi[c] = q;
		t->names[c++] = xstrdup(ls_kpi_name(q));
	}
	for (int q = 0; q < LS_KPI_COUNT; q++) {
		if (!planned(k, q))
			continue;
		t->col_kpi[c] = q;
		t->col_kind[c] = 1;
		t->names[c++] = ls_concat("plan_", ls_kpi_name(q));
		t->col_kpi[c] = q;
		t->col_kind[c] = 2;
		t->names[c++] = ls_concat(ls_kpi_name(q), "_pct");
	}
	/* --compare: the previous period's figure and the change, named as plan_ and _pct are */
	for (int q = 0; k->o.compare && q < LS_KPI_COUNT; q++) {
		if (!compared(k, q))
			continue;
		t->col_kpi[c] = q;
		t->col_kind[c] = 3;
		t->names[c++] = ls_concat("prev_", ls_kpi_name(q));
		t->col_kpi[c] = q;
		t->col_kind[c] = 4;
		t->names[c++] = ls_concat(ls_kpi_name(q), "_change_pct");
	}
	for (size_t i = 0; i < n; i++)
		if (t->names[i] == NULL)
			return -1;
	return 0;
}

struct ls_kpi_table *
ls_kpi_table(const struct ls_kpi *k, enum ls_kpi_by by, struct ls_error *err)
{
	struct ls_kpi_table *t = calloc(1, sizeof(*t));
	const char **ros = NULL;
	struct row *rows = NULL;
	size_t nros = 0, nrows = 0, caprows = 0;
	int64_t lo = INT64_MAX, hi = INT64_MIN, day;
	size_t *bymgr = NULL, *byprev = NULL;
	struct ls_keyset *rowidx = NULL;

	if (t == NULL || ls_kpi_roster(k, &ros, &nros) != 0 || table_header(k, t, by) != 0)
		goto oom;
	t->zone = ls_tz_name(k->kc->tz);
	/* the periods shown: the range given, its open ends closed by the data */
	for (size_t i = 0; i < k->ng; i++) {
		lo = k->g[i].day < lo ? k->g[i].day : lo;
		hi = k->g[i].day > hi ? k->g[i].day : hi;
	}
	if (k->have_opts && k->o.has_from)
		lo = ls_kpi_period_start(k->o.period, k->lo);
	if (k->have_opts && k->o.has_to)
		hi = ls_kpi_period_start(k->o.period, k->hi);
	if (lo <= hi) {
		size_t np = 0;

		for (day = lo; day <= hi; day = ls_kpi_period_next(k->o.period, day))
			if (++np > MAX_PERIODS) {
				ls_error_set(err, LS_EUSAGE, NULL, 0, 0, "the report would span more than %d periods",
				    MAX_PERIODS);
				goto fail;
			}
	}
	/* groups sorted by day, so that each period's rows are made together */
	if (k->ng > 0 && (bymgr = malloc(k->ng * sizeof(*bymgr))) == NULL)
		goto oom;
	for (size_t i = 0; i < k->ng; i++)
		bymgr[i] = i;
	sort_groups = k->g;
	if (k->ng > 1)
		qsort(bymgr, k->ng, sizeof(*bymgr), cmp_group_day);
	/* --compare's previous windows, likewise */
	if (k->npg > 0 && (byprev = malloc(k->npg * sizeof(*byprev))) == NULL)
		goto oom;
	for (size_t i = 0; i < k->npg; i++)
		byprev[i] = i;
	sort_groups = k->pg;
	if (k->npg > 1)
		qsort(byprev, k->npg, sizeof(*byprev), cmp_group_day);
	if ((rowidx = ls_keyset_new()) == NULL)
		goto oom;
	{
		size_t gi = 0, pi;

		for (day = lo; lo <= hi && day <= hi; day = ls_kpi_period_next(k->o.period, day)) {
			size_t first = nrows;
			struct row *tot, *r;

			while (gi < k->ng && k->g[bymgr[gi]].day < day)
				gi++;
			/* everyone on the roster shows, even without a call: they are the ones behind plan */
			for (size_t i = 0; i < nros; i++) {
				if ((r = row_at(&rows, &nrows, &caprows, rowidx, day, ls_kpi_row_of(k, by, ros[i]))) == NULL)
					goto oom;
				if (add_into(k, r, ros[i], NULL) != 0)
					goto overflow;
			}
			/* a roster manager's plan is in already: only the sums are added */
			for (; gi < k->ng && k->g[bymgr[gi]].day == day; gi++) {
				const struct group *g = &k->g[bymgr[gi]];
				const char *id = k->m[g->mgr].name;
				int known = 0;

				for (size_t i = 0; i < nros && !known; i++)
					known = strcmp(ros[i], id) == 0;
				if ((r = row_at(&rows, &nrows, &caprows, rowidx, day, ls_kpi_row_of(k, by, id))) == NULL)
					goto oom;
				if (add_into(k, r, known ? NULL : id, g->s) != 0)
					goto overflow;
			}
			/* what the rows are compared with; a manager seen only then has a row without a plan */
			/* the sums of the previous window are kept under ls_kpi_prev_key()'s day: the first such */
			{
				int64_t key = ls_kpi_prev_key(k, day);
				size_t a = 0, z = k->npg;

				while (a < z) {
					size_t mid = a + (z - a) / 2;

					if (k->pg[byprev[mid]].day < key)
						a = mid + 1;
					else
						z = mid;
				}
				pi = a;
			}
			for (; pi < k->npg && k->pg[byprev[pi]].day == ls_kpi_prev_key(k, day); pi++) {
				const struct group *g = &k->pg[byprev[pi]];

				if ((r = row_at(&rows, &nrows, &caprows, rowidx, day,
				    ls_kpi_row_of(k, by, k->m[g->mgr].name))) == NULL)
					goto oom;
				for (int s = 0; s < NSUMS; s++)
					if (__builtin_add_overflow(r->ps[s], g->s[s], &r->ps[s]))
						goto overflow;
			}
			if (ls_grow(&rows, &caprows, nrows + 1, sizeof(*rows)) != 0)
				goto oom;
			tot = &rows[nrows];
			memset(tot, 0, sizeof(*tot));
			tot->day = day;
			tot->who = "TOTAL";
			tot->total = 1;
			for (size_t i = first; i < nrows; i++) {
				for (int s = 0; s < NSUMS; s++)
					if (__builtin_add_overflow(tot->s[s], rows[i].s[s], &tot->s[s]) ||
					    __builtin_add_overflow(tot->ps[s], rows[i].ps[s], &tot->ps[s]))
						goto overflow;
				tot->workers += rows[i].workers;
				for (int q = 0; q < LS_KPI_COUNT; q++)
					if (rows[i].has_plan[q]) {
						if (__builtin_add_overflow(tot->plan[q], rows[i].plan[q], &tot->plan[q]))
							goto overflow;
						tot->has_plan[q] = 1;
					}
			}
			nrows++;
			if (day >= hi)
				break;
		}
	}
	if (nrows > 1)
		qsort(rows, nrows, sizeof(*rows), cmp_row);
	t->nrows = nrows;
	if ((t->cells = calloc(nrows ? nrows : 1, sizeof(*t->cells))) == NULL ||
	    (t->total = calloc(nrows ? nrows : 1, 1)) == NULL)
		goto oom;
	for (size_t i = 0; i < nrows; i++)
		if (fill_row(k, t, i, &rows[i], by) != 0)
			goto oom;
	free(bymgr);
	free(byprev);
	free(rows);
	free(ros);
	ls_keyset_free(rowidx);
	return t;
overflow:
	ls_error_set(err, LS_EDATA, NULL, 0, 0, "sum overflow");
	goto fail;
oom:
	ls_error_set(err, LS_ENOMEM, NULL, 0, 0, "out of memory");
fail:
	free(bymgr);
	free(byprev);
	free(rows);
	free(ros);
	ls_keyset_free(rowidx);
	ls_kpi_table_free(t);
	return NULL;
}
