/*
 * kpi_trend.c - the trend of a report over several periods (kpi_human.h):
 * the table's rows grouped per manager (sorted, the TOTAL last), each
 * group in period order, with the period's index.  The HTML page's
 * sparklines (kpi_trend_html.c) and the workbook's Trend sheet
 * (kpi_xlsx.c) both read it, so that they show the same series.
 */
#include <stdlib.h>
#include <string.h>

#include "kpi_human.h"

const int ls_kpi_trend_kpis[LS_KPI_NTREND] = { LS_KPI_CALLS, LS_KPI_WON, LS_KPI_REVENUE };

/* qsort has no context: the table is rendered on one thread (kpi.h) */
static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static int
cmp_point(const void *a, const void *b)
{
	const struct ls_kpi_trend_pt *x = a, *y = b;

	if (x->mgr != y->mgr)
		return x->mgr < y->mgr ? -1 : 1;
	return x->per < y->per ? -1 : x->per > y->per;
}

int
ls_kpi_trend(const struct ls_kpi_table *t, struct ls_kpi_trend *tr)
{
	const char **names = NULL;
	size_t nm = 0, k, i;

	memset(tr, 0, sizeof(*tr));
	if (t->funnel || t->nrows == 0)
		return 0;
	/* the rows come period by period, as the table is made: a new first cell is a new period */
	for (size_t r = 0; r < t->nrows; r++)
		tr->np += r == 0 || strcmp(t->cells[r][0], t->cells[r - 1][0]) != 0;
	if (tr->np < 2) {
		tr->np = 0;
		return 0;	/* a trend needs two points; one period's figures are in the table */
	}
	if ((names = malloc(t->nrows * sizeof(*names))) == NULL ||
	    (tr->pts = malloc(t->nrows * sizeof(*tr->pts))) == NULL ||
	    (tr->per_row = malloc(tr->np * sizeof(*tr->per_row))) == NULL)
		goto oom;
	/* the managers, sorted and each once; the TOTAL after them */
	for (size_t r = 0; r < t->nrows; r++)
		if (!t->total[r])
			names[nm++] = t->cells[r][1];
	if (nm > 1)
		qsort(names, nm, sizeof(*names), cmp_str);
	for (i = 0, k = 0; i < nm; i++)
		if (k == 0 || strcmp(names[i], names[k - 1]) != 0)
			names[k++] = names[i];
	nm = k;
	for (size_t r = 0, per = 0; r < t->nrows; r++) {
		const char **m;

		if (r == 0)
			tr->per_row[0] = 0;
		else if (strcmp(t->cells[r][0], t->cells[r - 1][0]) != 0)
			tr->per_row[++per] = r;
		tr->pts[r].per = per;
		tr->pts[r].row = r;
		if (t->total[r]) {
			tr->pts[r].mgr = nm;
		} else {
			m = bsearch(&t->cells[r][1], names, nm, sizeof(*names), cmp_str);
			tr->pts[r].mgr = (size_t)(m - names);
		}
	}
	qsort(tr->pts, t->nrows, sizeof(*tr->pts), cmp_point);
	tr->n = t->nrows;
	free(names);
	return 0;
oom:
	free(names);
	ls_kpi_trend_free(tr);
	return LS_ENOMEM;
}

void
ls_kpi_trend_free(struct ls_kpi_trend *tr)
{
	free(tr->pts);
	free(tr->per_row);
	memset(tr, 0, sizeof(*tr));
}
