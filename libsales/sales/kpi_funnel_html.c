/*
 * kpi_funnel_html.c - the funnel as a picture for the HTML page: per
 * period, one inline SVG of the TOTAL row's steps, each bar as long as its
 * share of the leads assigned.  kpi_format.c's HTML calls it for a table
 * of ls_kpi_funnel_table(); no script, no outside link, like the rest of
 * the page.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "escape.h"
#include "kpi_human.h"
#include "money.h"

static const char *const steps[] = { "assigned", "called", "connected", "interested", "won" };
#define NSTEPS (sizeof(steps) / sizeof(steps[0]))

/* The count in a cell ("" or odd: 0). */
static int64_t
count(const char *s)
{
	int64_t v = 0;

	if (s[0] == '\0' || ls_money_parse(s, strlen(s), 0, 0, &v, NULL) != 0)
		return 0;
	return v;
}

/* Step i's name on the chart: the column's name in English (as before), its label in Russian. */
static int
step_label(const struct ls_kpi_table *t, size_t i, struct ls_buf *out)
{
	struct ls_buf l = { 0 };
	int rc;

	if (t->lang != LS_KPI_LANG_RU)
		return ls_buf_puts(out, steps[i]);
	rc = ls_kpi_label(LS_KPI_LANG_RU, steps[i], &l);
	rc |= ls_escape_put(out, l.p ? l.p : "", l.n, LS_ESC_HTML);
	ls_buf_free(&l);
	return rc;
}

static int
one_chart(const struct ls_kpi_table *t, const struct ls_kpi_table *s, size_t r, const long *col,
    struct ls_buf *out)
{
	const int label = 110, bar = 420, text = 170, rowh = 26, top = 8;
	const int width = label + bar + text, height = top * 2 + (int)NSTEPS * rowh;
	int64_t all = count(t->cells[r][col[0]]);
	int rc = 0;

	rc |= ls_buf_printf(out, "<div class=\"chart\"><h3>%s", ls_kpi_text(t, LS_T_FUNNEL_OF));
	rc |= ls_escape_put(out, s->cells[r][0], strlen(s->cells[r][0]), LS_ESC_HTML);
	rc |= ls_buf_printf(out, "</h3>\n<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
	    "viewBox=\"0 0 %d %d\" role=\"img\" font-family=\"Arial, Helvetica, sans-serif\" font-size=\"12\">\n"
	    "<title>%s", width, height, width, height, ls_kpi_text(t, LS_T_FUNNEL_OF));
	rc |= ls_escape_put(out, s->cells[r][0], strlen(s->cells[r][0]), LS_ESC_HTML);
	rc |= ls_buf_puts(out, "</title>\n");
	for (size_t i = 0; i < NSTEPS; i++) {
		int64_t n = count(t->cells[r][col[i]]);
		int y = top + (int)i * rowh;
		/* centred, as funnels are drawn: the narrowing is the point */
		int w = all > 0 ? (int)(n * bar / all) : 0;

		rc |= ls_buf_printf(out, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">", label - 6, y + 17);
		rc |= step_label(t, i, out);
		rc |= ls_buf_puts(out, "</text>\n");
		rc |= ls_buf_printf(out, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"20\" fill=\"#1565c0\"/>\n",
		    label + (bar - w) / 2, y + 2, w);
		rc |= ls_buf_printf(out, "<text x=\"%d\" y=\"%d\">", label + bar + 8, y + 17);
		rc |= ls_escape_put(out, s->cells[r][col[i]], strlen(s->cells[r][col[i]]), LS_ESC_HTML);
		if (i > 0 && col[NSTEPS + i] >= 0 && t->cells[r][col[NSTEPS + i]][0] != '\0') {
			/* the table's rate (0.833) as people read it on a chart: 83.3% */
			char *end;
			double rate = strtod(t->cells[r][col[NSTEPS + i]], &end);

			if (*end == '\0' && t->lang == LS_KPI_LANG_RU) {
				char pct[32];

				/* Russian: a decimal comma and a space before the sign */
				snprintf(pct, sizeof(pct), "%.1f", rate * 100.0);
				pct[strcspn(pct, ".")] = ',';
				rc |= ls_buf_printf(out, " (%s\xc2\xa0%% %s)", pct, ls_kpi_text(t, LS_T_OF_ASSIGNED));
			} else if (*end == '\0') {
				rc |= ls_buf_printf(out, " (%.1f%% %s)", rate * 100.0, ls_kpi_text(t, LS_T_OF_ASSIGNED));
			}
		}
		rc |= ls_buf_puts(out, "</text>\n");
	}
	rc |= ls_buf_puts(out, "</svg></div>\n");
	return rc != 0 ? LS_ENOMEM : 0;
}

int
ls_kpi_funnel_svg(const struct ls_kpi_table *t, const struct ls_kpi_table *s, struct ls_buf *out)
{
	long col[NSTEPS * 2];
	char name[64];

	for (size_t i = 0; i < NSTEPS; i++) {
		if ((col[i] = ls_kpi_table_col(t, steps[i], strlen(steps[i]))) < 0)
			return 0;	/* not a funnel's table */
		snprintf(name, sizeof(name), "%s_of_assigned", steps[i]);
		col[NSTEPS + i] = i == 1 ? ls_kpi_table_col(t, "called_rate", 11) :
		    ls_kpi_table_col(t, name, strlen(name));
	}
	if (ls_buf_printf(out, "<h2>%s</h2>\n", ls_kpi_text(t, LS_T_FUNNEL)) != 0)
		return LS_ENOMEM;
	for (size_t r = 0; r < t->nrows; r++)
		if (t->total[r] && one_chart(t, s, r, col, out) != 0)
			return LS_ENOMEM;
	return 0;
}
