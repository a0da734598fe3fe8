/*
 * kpi_xlsx.c - the KPI table as an .xlsx workbook (kpi-report --format
 * xlsx), through xlsx_write.h: real numbers with number formats, the
 * percentages of plan coloured as the HTML page colours them
 * (kpi_format.c: red below 100%, green at or above), TOTAL rows bold, the
 * header frozen; over several periods a second sheet, Trend, with the
 * series the HTML page draws as sparklines (kpi_trend.c).  See kpi.h.
 */
#include <stdlib.h>
#include <string.h>

#include "kpi_human.h"
#include "money.h"
#include "xlsx_write.h"

/* A funnel table's figure (kpi-report(1) FUNNEL), typed as kpi_funnel_table.c declares it. */
static struct ls_xlsxw_col
funnel_column(const char *name)
{
	struct ls_xlsxw_col x = { name, LS_XLSXW_NUMBER, 0 };

	switch (ls_kpi_funnel_unit(name, &x.decimals)) {
	case LS_KPI_FU_RATIO: x.type = LS_XLSXW_RATIO; break;
	case LS_KPI_FU_MONEY: x.type = LS_XLSXW_MONEY; break;
	case LS_KPI_FU_COUNT: case LS_KPI_FU_MINUTES: break;
	}
	return x;
}

/* How column c's cells are typed: the KPI's own unit, a percentage of plan, or text. */
static struct ls_xlsxw_col
column(const struct ls_kpi_table *t, size_t c)
{
	struct ls_xlsxw_col x = { t->names[c], LS_XLSXW_TEXT, 0 };
	int k = t->col_kpi[c];

	if (k < 0) {
		/* a day's period is a date; a week's (2026-W48) and a month's (2026-11) stay text */
		x.type = c == 0 ? LS_XLSXW_DATE : LS_XLSXW_TEXT;
		return x;
	}
	if (k == LS_KPI_COUNT)
		return funnel_column(t->names[c]);
	x.decimals = ls_kpi_decimals((enum ls_kpi_id)k);
	if (t->col_kind[c] == 2 || t->col_kind[c] == 4) {
		x.type = LS_XLSXW_PERCENT;	/* <kpi>_pct, <kpi>_change_pct: "93.8" per cent */
		x.decimals = 1;
	} else if (k == LS_KPI_CONNECT_RATE || k == LS_KPI_WIN_RATE) {
		x.type = LS_XLSXW_RATIO;	/* 0.667 */
	} else if (k == LS_KPI_SLA_MET) {
		x.type = LS_XLSXW_PERCENT;
	} else if (k == LS_KPI_TALK_TIME && t->lang == LS_KPI_LANG_RU) {
		x.type = LS_XLSXW_DURATION;	/* seconds as [h]:mm, as the Russian page shows them */
	} else if (k == LS_KPI_REVENUE || k == LS_KPI_AVG_DEAL) {
		x.type = LS_XLSXW_MONEY;
	} else {
		x.type = LS_XLSXW_NUMBER;
	}
	return x;
}

/* The look of a cell: bold in a TOTAL row; a percentage of plan red below 100, else green. */
static unsigned
look(const struct ls_kpi_table *t, size_t r, size_t c)
{
	const char *v = t->cells[r][c];
	unsigned l = t->total[r] ? LS_XLSXW_BOLD : 0;
	int64_t milli;

	if (t->col_kind[c] != 2 || v[0] == '\0')
		return l;
	if (ls_money_parse(v, strlen(v), 3, LS_MONEY_ROUND, &milli, NULL) != 0)
		return l;
	return l | (milli < 100000 ? LS_XLSXW_BEHIND : LS_XLSXW_AHEAD);
}

/*
 * The Trend sheet: per manager (sorted, the TOTAL last) one row per
 * period, the fact and plan of calls, deals_won and revenue, typed as
 * the KPI sheet types them.  A period without the manager's row had
 * nothing of theirs counted: its facts are 0 and its plans empty, as the
 * HTML page draws it.
 */
static int
trend_sheet(struct ls_xlsxw *w, const struct ls_kpi_table *t, const struct ls_kpi_table *s,
    const struct ls_kpi_trend *tr, struct ls_error *err)
{
	struct ls_xlsxw_col cols[2 + 2 * LS_KPI_NTREND];
	size_t src[2 + 2 * LS_KPI_NTREND];	/* the KPI table's column of each */
	int fact[2 + 2 * LS_KPI_NTREND];
	size_t n = 0, i, j, c;
	int rc;

	/* manager, period, then each KPI's fact and plan where the table has them */
	src[n] = 1, fact[n++] = 0;
	src[n] = 0, fact[n++] = 0;
	for (size_t k = 0; k < LS_KPI_NTREND; k++)
		for (int kind = 0; kind < 2; kind++)
			for (c = 0; c < t->ncols; c++)
				if (t->col_kpi[c] == ls_kpi_trend_kpis[k] && t->col_kind[c] == kind) {
					src[n] = c, fact[n++] = kind == 0;
					break;
				}
	for (c = 0; c < n; c++) {
		cols[c] = column(t, src[c]);
		cols[c].name = s->names[src[c]];
	}
	if ((rc = ls_xlsxw_sheet(w, "Trend", cols, n, err)) != 0)
		return rc;
	for (i = 0; i < tr->n && rc == 0; i = j) {
		size_t row = tr->pts[i].row;
		unsigned l = t->total[row] ? LS_XLSXW_BOLD : 0;

		for (j = i; j < tr->n && tr->pts[j].mgr == tr->pts[i].mgr; j++)
			;
		for (size_t p = 0, q = i; p < tr->np && rc == 0; p++) {
			int have = q < j && tr->pts[q].per == p;
			size_t r = have ? tr->pts[q].row : tr->per_row[p];

			for (c = 0; c < n && rc == 0; c++) {
				const char *v = t->cells[r][src[c]];

				if (c == 0)
					v = t->cells[row][1];
				else if (!have && c > 1)
					v = fact[c] ? "0" : "";
				rc = ls_xlsxw_cell(w, c, v, strlen(v), l, err);
			}
			ls_xlsxw_end(w);
			q += have;
		}
	}
	return rc;
}

int
ls_kpi_render_xlsx(const struct ls_kpi_table *t, struct ls_buf *out, struct ls_error *err)
{
	struct ls_xlsxw_col *cols;
	struct ls_kpi_table *s;
	struct ls_xlsxw *w;
	int rc = 0;

	/* the header speaks the table's language (kpi_lang.c); the cells stay numbers */
	if ((s = ls_kpi_table_shown(t)) == NULL ||
	    (cols = calloc(t->ncols ? t->ncols : 1, sizeof(*cols))) == NULL) {
		ls_kpi_table_free(s);
		return ls_error_set(err, LS_ENOMEM, NULL, 0, 0, "out of memory");
	}
	for (size_t c = 0; c < t->ncols; c++) {
		cols[c] = column(t, c);
		cols[c].name = s->names[c];
	}
	if ((w = ls_xlsxw_new(err)) == NULL) {
		free(cols);
		ls_kpi_table_free(s);
		return err->status;
	}
	if (ls_xlsxw_sheet(w, "KPI", cols, t->ncols, err) != 0)
		rc = err->status;
	for (size_t r = 0; r < t->nrows && rc == 0; r++) {
		for (size_t c = 0; c < t->ncols && rc == 0; c++)
			rc = ls_xlsxw_cell(w, c, t->cells[r][c], strlen(t->cells[r][c]), look(t, r, c), err);
		ls_xlsxw_end(w);
	}
	if (rc == 0) {
		struct ls_kpi_trend tr;

		if (ls_kpi_trend(t, &tr) != 0)
			rc = ls_error_set(err, LS_ENOMEM, NULL, 0, 0, "out of memory");
		else if (tr.np > 0)
			rc = trend_sheet(w, t, s, &tr, err);
		ls_kpi_trend_free(&tr);
	}
	if (rc == 0)
		rc = ls_xlsxw_close(w, out, err);
	ls_xlsxw_free(w);
	free(cols);
	ls_kpi_table_free(s);
	return rc;
}
