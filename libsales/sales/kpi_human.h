/*
 * kpi_human.h - private to kpi-report's human formats (kpi_format.c's
 * table, Markdown and HTML, kpi_funnel_html.c, kpi_trend_html.c,
 * kpi_xlsx.c's header and Trend sheet): the table as a reader of its
 * language sees it, the page's texts, and the trend's series (kpi_trend.c,
 * shared by the page and the workbook).  Made and used on one thread, like
 * the table.
 */
#ifndef LS_KPI_HUMAN_H
#define LS_KPI_HUMAN_H

#include "kpi_int.h"
#include "kpi_lang.h"

/* The texts of the HTML page, each in every language of kpi_lang.h. */
enum ls_kpi_text {
	LS_T_TITLE_KPI, LS_T_TITLE_FUNNEL, LS_T_ZONE, LS_T_META_KPI, LS_T_META_FUNNEL, LS_T_BEHIND,
	LS_T_NOBODY, LS_T_REACHED, LS_T_FIGURES, LS_T_PAF, LS_T_PAF_LEGEND, LS_T_CHART,
	LS_T_FUNNEL, LS_T_FUNNEL_OF, LS_T_OF_ASSIGNED, LS_T_TREND, LS_T_TREND_LEGEND, LS_T_TOTAL,
	LS_T_COUNT
};

/* Text id in the table's language (t->lang). */
const char *ls_kpi_text(const struct ls_kpi_table *t, enum ls_kpi_text id);

/*
 * A copy of t for reading: the same shape, rows and column kinds, its
 * names the labels of t->lang, its cells the values as that language
 * writes them (kpi_lang.h; en: the same text as t's).  Geometry and
 * colours go on reading t's own cells.  NULL when out of memory; the
 * caller frees it with ls_kpi_table_free().
 */
struct ls_kpi_table *ls_kpi_table_shown(const struct ls_kpi_table *t);

/*
 * kpi_trend.c: a report over several periods as series, one per manager.
 * The KPIs a trend shows are ls_kpi_trend_kpis[] (calls, deals_won,
 * revenue).
 */
#define LS_KPI_NTREND	3
extern const int ls_kpi_trend_kpis[LS_KPI_NTREND];

struct ls_kpi_trend_pt {
	size_t mgr;			/* the manager's index: sorted by id, the TOTAL last */
	size_t per;			/* the period's index, 0..np) */
	size_t row;			/* the table's row */
};

struct ls_kpi_trend {
	size_t np;			/* periods; 0: no trend (one period, a funnel, no rows) */
	size_t n;			/* pts[0..n): every row, by manager, then period */
	struct ls_kpi_trend_pt *pts;
	size_t *per_row;		/* [np]: a row of each period (its label in cells[][0]) */
};

/* Fill tr from t (tr->np == 0: no trend).  0 or LS_ENOMEM; free with ls_kpi_trend_free(). */
int ls_kpi_trend(const struct ls_kpi_table *t, struct ls_kpi_trend *tr);
void ls_kpi_trend_free(struct ls_kpi_trend *tr);

/*
 * kpi_trend_html.c: the HTML page's trend section, appended to out: per
 * manager (and TOTAL) a sparkline of calls, deals_won and revenue over the
 * report's periods, the plan dashed where it has one; nothing for one
 * period, or for a funnel's table.  t has the values, s = ls_kpi_table_shown(t)
 * the words.  0 or LS_ENOMEM.
 */
int ls_kpi_trend_svg(const struct ls_kpi_table *t, const struct ls_kpi_table *s, struct ls_buf *out);

#endif
