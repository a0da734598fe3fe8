/*
 * kpi_funnel_table.c - the funnel's table (--report funnel): one row per
 * (period, manager or team) of the cohort of leads assigned in the period,
 * a TOTAL per period, in the struct ls_kpi_table every format prints.
 * The columns are declared once, below; kpi-report(1)'s FUNNEL section
 * describes them in the same order.
 */
#include <stdlib.h>
#include <string.h>

#include "kpi_funnel.h"
#include "util.h"

/* The sums kept per row; every column is a ratio of them, or a percentile. */
enum { N_ASSIGNED, N_CALLED, N_CONNECTED, N_INTERESTED, N_WON, N_REVENUE, N_NOT_CALLED, N_WITHIN, NN };

enum { V_RATIO, V_MEDIAN, V_P90 };

static const struct fcol {
	const char *name;
	int how;		/* V_RATIO: num / (den * mul); V_MEDIAN, V_P90: of the waits, in minutes */
	int num, den;		/* sums; den -1: 1 */
	int mul;		/* the denominator's scale: 100 for money in minor units */
	int dec;
	int target;		/* only with speed_to_lead: in the config */
} fcols[] = {
	{ "assigned", V_RATIO, N_ASSIGNED, -1, 1, 0, 0 },
	{ "called", V_RATIO, N_CALLED, -1, 1, 0, 0 },
	{ "called_rate", V_RATIO, N_CALLED, N_ASSIGNED, 1, 3, 0 },
	{ "connected", V_RATIO, N_CONNECTED, -1, 1, 0, 0 },
	{ "connected_rate", V_RATIO, N_CONNECTED, N_CALLED, 1, 3, 0 },
	{ "connected_of_assigned", V_RATIO, N_CONNECTED, N_ASSIGNED, 1, 3, 0 },
	{ "interested", V_RATIO, N_INTERESTED, -1, 1, 0, 0 },
	{ "interested_rate", V_RATIO, N_INTERESTED, N_CONNECTED, 1, 3, 0 },
	{ "interested_of_assigned", V_RATIO, N_INTERESTED, N_ASSIGNED, 1, 3, 0 },
	{ "won", V_RATIO, N_WON, -1, 1, 0, 0 },
	{ "won_rate", V_RATIO, N_WON, N_INTERESTED, 1, 3, 0 },
	{ "won_of_assigned", V_RATIO, N_WON, N_ASSIGNED, 1, 3, 0 },
	{ "revenue", V_RATIO, N_REVENUE, -1, 100, 2, 0 },
	{ "revenue_per_lead", V_RATIO, N_REVENUE, N_ASSIGNED, 100, 2, 0 },
	{ "not_called", V_RATIO, N_NOT_CALLED, -1, 1, 0, 0 },
	{ "speed_median_min", V_MEDIAN, 0, 0, 60, 1, 0 },
	{ "speed_p90_min", V_P90, 0, 0, 60, 1, 0 },
	{ "within_target", V_RATIO, N_WITHIN, -1, 1, 0, 1 },
	{ "within_target_rate", V_RATIO, N_WITHIN, N_ASSIGNED, 1, 3, 1 },
};
#define NFCOLS (sizeof(fcols) / sizeof(fcols[0]))

enum ls_kpi_funnel_unit
ls_kpi_funnel_unit(const char *name, int *dec)
{
	for (size_t j = 0; j < NFCOLS; j++) {
		const struct fcol *f = &fcols[j];

		if (strcmp(f->name, name) != 0)
			continue;
		*dec = f->dec;
		if (f->how != V_RATIO)
			return LS_KPI_FU_MINUTES;
		if (f->mul == 100)
			return LS_KPI_FU_MONEY;
		return f->den < 0 ? LS_KPI_FU_COUNT : LS_KPI_FU_RATIO;
	}
	*dec = 0;
	return LS_KPI_FU_COUNT;
}

struct frow {
	int64_t day;		/* first day of the period */
	const char *who;	/* normalised manager id, team, or "TOTAL" */
	int total;
	int64_t s[NN];
	size_t s0, ns;		/* its waits in the sorted array */
};

/* One called lead's wait, filed under a row (its manager's or team's, and its period's TOTAL). */
struct wait {
	uint32_t row;
	int64_t secs;
};

struct build {
	const struct ls_kpi *k;
	struct frow *rows;
	size_t nrows, caprows;
	struct ls_keyset *idx;		/* day, total flag, who -> uint32_t row */
	struct ls_buf key;
	struct wait *w;
	size_t nw, capw;
};

static int
cmp_frow(const void *a, const void *b)
{
	const struct frow *x = a, *y = b;

	if (x->day != y->day)
		return x->day < y->day ? -1 : 1;
	if (x->total != y->total)
		return x->total - y->total;
	return strcmp(x->who, y->who);
}

static int
cmp_wait(const void *a, const void *b)
{
	const struct wait *x = a, *y = b;

	if (x->row != y->row)
		return x->row < y->row ? -1 : 1;
	return (x->secs > y->secs) - (x->secs < y->secs);
}

/* The row (day, who) or its period's TOTAL, made when new; -1 when out of memory. */
static long
row_at(struct build *b, int64_t day, const char *who, int total)
{
	char kb[sizeof(day) + 1];
	uint32_t i;
	void *v;
	int created, status;

	memcpy(kb, &day, sizeof(day));
	kb[sizeof(day)] = (char)total;
	b->key.n = 0;
	if (ls_buf_put(&b->key, kb, sizeof(kb)) != 0 ||
	    ls_buf_puts(&b->key, who) != 0 ||
	    ls_grow(&b->rows, &b->caprows, b->nrows + 1, sizeof(*b->rows)) != 0 ||
	    (v = ls_keyset_upsert(b->idx, b->key.p, b->key.n, sizeof(i), &created, &status)) == NULL)
		return -1;
	if (!created) {
		memcpy(&i, v, sizeof(i));
		return (long)i;
	}
	i = (uint32_t)b->nrows++;
	memcpy(v, &i, sizeof(i));
	memset(&b->rows[i], 0, sizeof(b->rows[i]));
	b->rows[i].day = day;
	b->rows[i].who = who;
	b->rows[i].total = total;
	return (long)i;
}

static int
add_wait(struct build *b, long row, int64_t secs)
{
	if (ls_grow(&b->w, &b->capw, b->nw + 1, sizeof(*b->w)) != 0)
		return -1;
	b->w[b->nw].row = (uint32_t)row;
	b->w[b->nw++].secs = secs;
	return 0;
}

/* One lead of the cohort into its row and its period's TOTAL.  0, -1 out of memory, 1 overflow. */
static int
add_lead(struct build *b, const struct flead *l, int64_t period, enum ls_kpi_by by)
{
	const struct ls_kpi *k = b->k;
	int64_t add[NN] = { 0 }, secs = 0;
	long r[2];

	if ((r[0] = row_at(b, period, ls_kpi_row_of(k, by, k->m[l->mgr].name), 0)) < 0 ||
	    (r[1] = row_at(b, period, "TOTAL", 1)) < 0)
		return -1;
	add[N_ASSIGNED] = 1;
	add[N_CALLED] = l->first != FL_NO_CALL;
	add[N_NOT_CALLED] = !add[N_CALLED];
	add[N_CONNECTED] = (l->flags & FL_CONNECTED) != 0;
	add[N_INTERESTED] = (l->flags & FL_INTERESTED) != 0;
	add[N_WON] = l->nwon > 0;
	add[N_REVENUE] = l->revenue;
	if (add[N_CALLED]) {
		secs = ls_kpi_speed_secs(k->kc, l->at, l->first);
		add[N_WITHIN] = k->kc->speed_target >= 0 && secs <= k->kc->speed_target;
	}
	for (int j = 0; j < 2; j++) {
		for (int s = 0; s < NN; s++)
			if (__builtin_add_overflow(b->rows[r[j]].s[s], add[s], &b->rows[r[j]].s[s]))
				return 1;
		if (add[N_CALLED] && add_wait(b, r[j], secs) != 0)
			return -1;
	}
	return 0;
}

static char *
ratio_cell(i128 num, i128 den, int dec)
{
	char buf[96];

	if (den == 0)
		return strdup("");
	ls_kpi_ratio(num, den, dec, buf, sizeof(buf));
	return strdup(buf);
}

static int
fill(const struct ls_kpi *k, struct ls_kpi_table *t, size_t ri, const struct frow *r,
    const int64_t *secs, enum ls_kpi_by by)
{
	char key[LS_PERIOD_BUFSZ];
	struct ls_date d;
	char **cells = calloc(t->ncols, sizeof(*cells));
	size_t c = 0;

	if ((t->cells[ri] = cells) == NULL)
		return -1;
	t->total[ri] = (unsigned char)r->total;
	ls_date_from_days(r->day, &d);
	ls_period_key_date(k->o.period, &d, key, sizeof(key));
	cells[c++] = strdup(key);
	cells[c++] = strdup(r->total || by == LS_KPI_BY_TEAM ? r->who : ls_kpi_shown(k, r->who));
	for (size_t j = 0; j < NFCOLS; j++) {
		const struct fcol *f = &fcols[j];
		i128 den = f->den < 0 ? 1 : r->s[f->den];

		if (f->target && k->kc->speed_target < 0)
			continue;
		if (f->how != V_RATIO)
			cells[c++] = r->ns == 0 ? strdup("") : ratio_cell(ls_kpi_percentile(secs + r->s0,
			    r->ns, f->how == V_MEDIAN ? 50 : 90), f->mul, f->dec);
		else
			cells[c++] = ratio_cell(r->s[f->num], den * f->mul, f->dec);
	}
	for (size_t i = 0; i < c; i++)
		if (cells[i] == NULL)
			return -1;
	return 0;
}

static int
header(const struct ls_kpi *k, struct ls_kpi_table *t, enum ls_kpi_by by)
{
	size_t c = 0;

	t->ncols = 2;
	for (size_t j = 0; j < NFCOLS; j++)
		t->ncols += !fcols[j].target || k->kc->speed_target >= 0;
	if ((t->names = calloc(t->ncols, sizeof(*t->names))) == NULL ||
	    (t->col_kpi = calloc(t->ncols, sizeof(*t->col_kpi))) == NULL ||
	    (t->col_kind = calloc(t->ncols, sizeof(*t->col_kind))) == NULL)
		return -1;
	t->col_kpi[c] = -1;
	t->names[c++] = strdup("period");
	t->col_kpi[c] = -1;
	t->names[c++] = strdup(by == LS_KPI_BY_TEAM ? "team" : "manager");
	for (size_t j = 0; j < NFCOLS; j++) {
		if (fcols[j].target && k->kc->speed_target < 0)
			continue;
		t->col_kpi[c] = LS_KPI_COUNT;
		t->names[c++] = strdup(fcols[j].name);
	}
	for (size_t i = 0; i < t->ncols; i++)
		if (t->names[i] == NULL)
			return -1;
	return 0;
}

/* The cohort's periods: the range given, its open ends closed by the leads assigned. */
static int
periods(const struct ls_kpi *k, int64_t *lo, int64_t *hi, struct ls_error *err)
{
	const struct ls_kpi_funnel *f = k->fun;
	size_t np = 0;

	*lo = INT64_MAX;
	*hi = INT64_MIN;
	for (size_t i = 0; i < f->nlead; i++) {
		const struct flead *l = &f->lead[i];

		if (!l->assigned || l->day < k->lo || l->day > k->hi)
			continue;
		*lo = l->day < *lo ? l->day : *lo;
		*hi = l->day > *hi ? l->day : *hi;
	}
	if (*lo <= *hi) {
		*lo = ls_kpi_period_start(k->o.period, *lo);
		*hi = ls_kpi_period_start(k->o.period, *hi);
	}
	if (k->o.has_from)
		*lo = ls_kpi_period_start(k->o.period, k->lo);
	if (k->o.has_to)
		*hi = ls_kpi_period_start(k->o.period, k->hi);
	for (int64_t day = *lo; *lo <= *hi && day <= *hi; day = ls_kpi_period_next(k->o.period, day))
		if (++np > MAX_PERIODS)
			return ls_error_set(err, LS_EUSAGE, NULL, 0, 0,
			    "the report would span more than %d periods", MAX_PERIODS);
	return 0;
}

/* Rows of every period: the roster's first, so that a manager dealt nothing shows. */
static int
gather(struct build *b, enum ls_kpi_by by, int64_t lo, int64_t hi)
{
	const struct ls_kpi *k = b->k;
	const struct ls_kpi_funnel *f = k->fun;
	const char **ros = NULL;
	size_t nros = 0;
	int64_t last_day = INT64_MIN, last_start = 0;
	int rc = -1;

	if (ls_kpi_roster(k, &ros, &nros) != 0)
		return -1;
	for (int64_t day = lo; lo <= hi && day <= hi; day = ls_kpi_period_next(k->o.period, day)) {
		for (size_t i = 0; i < nros; i++)
			if (row_at(b, day, ls_kpi_row_of(k, by, ros[i]), 0) < 0)
				goto done;
		if (row_at(b, day, "TOTAL", 1) < 0)
			goto done;
	}
	for (size_t i = 0; i < f->nlead; i++) {
		const struct flead *l = &f->lead[i];

		if (!l->assigned || l->day < k->lo || l->day > k->hi)
			continue;
		/* leads of one day come together in lead-assign's output: its period is kept */
		if (l->day != last_day) {
			last_day = l->day;
			last_start = ls_kpi_period_start(k->o.period, l->day);
		}
		if ((rc = add_lead(b, l, last_start, by)) != 0)
			goto done;
	}
	rc = 0;
done:
	free(ros);
	return rc;
}

struct ls_kpi_table *
ls_kpi_funnel_table(const struct ls_kpi *k, enum ls_kpi_by by, struct ls_error *err)
{
	struct ls_kpi_table *t = calloc(1, sizeof(*t));
	struct build b = { .k = k };
	int64_t lo, hi;
	int64_t *secs = NULL;
	int rc;

	if (k->fun == NULL) {
		ls_error_set(err, LS_EUSAGE, NULL, 0, 0, "the funnel was not asked for before reading");
		goto fail;
	}
	if (t == NULL || (b.idx = ls_keyset_create(NULL)) == NULL || header(k, t, by) != 0)
		goto oom;
	t->zone = ls_tz_name(k->kc->tz);
	t->funnel = 1;
	if (periods(k, &lo, &hi, err) != 0)
		goto fail;
	if ((rc = gather(&b, by, lo, hi)) != 0) {
		if (rc < 0)
			goto oom;
		ls_error_set(err, LS_EDATA, NULL, 0, 0, "sum overflow");
		goto fail;
	}
	/* each row's waits together and in order: a percentile is then one index */
	if (b.nw > 1)
		qsort(b.w, b.nw, sizeof(*b.w), cmp_wait);
	for (size_t i = 0; i < b.nw;) {
		size_t j = i;

		while (j < b.nw && b.w[j].row == b.w[i].row)
			j++;
		b.rows[b.w[i].row].s0 = i;
		b.rows[b.w[i].row].ns = j - i;
		i = j;
	}
	/* the waits alone, in that order: a row's are secs[s0 .. s0 + ns), sorted */
	if (b.nw > 0 && (secs = malloc(b.nw * sizeof(*secs))) == NULL)
		goto oom;
	for (size_t i = 0; i < b.nw; i++)
		secs[i] = b.w[i].secs;
	free(b.w);
	b.w = NULL;
	if (b.nrows > 1)
		qsort(b.rows, b.nrows, sizeof(*b.rows), cmp_frow);
	t->nrows = b.nrows;
	if ((t->cells = calloc(b.nrows ? b.nrows : 1, sizeof(*t->cells))) == NULL ||
	    (t->total = calloc(b.nrows ? b.nrows : 1, 1)) == NULL)
		goto oom;
	for (size_t i = 0; i < b.nrows; i++)
		if (fill(k, t, i, &b.rows[i], secs, by) != 0)
			goto oom;
	free(secs);
	free(b.rows);
	free(b.w);
	ls_buf_free(&b.key);
	ls_keyset_free(b.idx);
	return t;
oom:
	ls_error_set(err, LS_ENOMEM, NULL, 0, 0, "out of memory");
fail:
	free(secs);
	free(b.rows);
	free(b.w);
	ls_buf_free(&b.key);
	ls_keyset_free(b.idx);
	ls_kpi_table_free(t);
	return NULL;
}
