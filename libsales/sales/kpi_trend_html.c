/*
 * kpi_trend_html.c - the HTML page's trend section (kpi_human.h): when a
 * report spans several periods (--from/--to), one row per manager and the
 * TOTAL, one inline SVG sparkline per KPI of calls, deals_won and revenue:
 * the fact per period as a solid line, the plan dashed where the
 * manager has one, the last period's figure beside it.  No script, no
 * outside link, like the rest of the page.
 *
 * The points are the table's own printed values ("0,5 1,3 2,7": period
 * index, value), drawn through a transform that maps them onto the
 * picture, so what the page draws is what the CSV says, and a test can
 * read it back.  One scale per KPI for the managers, so that their lines
 * compare; the TOTAL, larger, has its own.
 */
#include <stdlib.h>
#include <string.h>

#include "escape.h"
#include "kpi_human.h"
#include "money.h"

/* The sparkline's box: the lines in W x H, a margin of M around them. */
enum { W = 150, H = 30, M = 4 };

/* A printed value at scale 3 ("" or odd: 0): only for the scale and the last point's dot. */
static int64_t
milli(const char *s)
{
	int64_t v = 0;

	if (s[0] == '\0' || ls_money_parse(s, strlen(s), 3, LS_MONEY_ROUND, &v, NULL) != 0 || v < 0)
		return 0;
	return v;
}

/* num / den with six decimals, without the locale's or floating point's say in the digits. */
static int
fixed(struct ls_buf *out, int64_t num, int64_t den)
{
	i128 q = (i128)num * 1000000 / den;

	return ls_buf_printf(out, "%llu.%06llu", (unsigned long long)(q / 1000000),
	    (unsigned long long)(q % 1000000));
}

static long
col_of(const struct ls_kpi_table *t, int kpi, int kind)
{
	for (size_t c = 0; c < t->ncols; c++)
		if (t->col_kpi[c] == kpi && t->col_kind[c] == kind)
			return (long)c;
	return -1;
}

/*
 * One sparkline: pts[0..n) are manager's rows (sorted by period), np the
 * periods, fc and pc the fact and plan columns (pc -1: no plan), max the
 * scale (milli).
 */
static int
spark(const struct ls_kpi_table *t, const struct ls_kpi_table *s, const struct ls_kpi_trend_pt *pts, size_t n,
    size_t np, long fc, long pc, int64_t max, struct ls_buf *out)
{
	const char *last = "0";
	int64_t lastv = 0;
	size_t j;
	int rc = 0;

	rc |= ls_buf_printf(out, "<td><svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" "
	    "height=\"%d\" viewBox=\"0 0 %d %d\" role=\"img\" style=\"vertical-align:middle\"><title>",
	    W + 2 * M, H + 2 * M, W + 2 * M, H + 2 * M);
	rc |= ls_escape_put(out, s->cells[pts[0].row][1], strlen(s->cells[pts[0].row][1]), LS_ESC_HTML);
	rc |= ls_buf_puts(out, ", ");
	rc |= ls_escape_put(out, s->names[fc], strlen(s->names[fc]), LS_ESC_HTML);
	rc |= ls_buf_printf(out, "</title>\n<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#e0e0e0\"/>\n",
	    M, M + H, M + W, M + H);
	/* x: the period's index, (np - 1) of them across W; y: the value, max of it up H */
	rc |= ls_buf_printf(out, "<g transform=\"translate(%d %d) scale(", M, M + H);
	rc |= fixed(out, W, (int64_t)np - 1);
	rc |= ls_buf_puts(out, " -");
	rc |= fixed(out, (int64_t)H * 1000, max);
	rc |= ls_buf_puts(out, ")\">\n");
	if (pc >= 0) {
		int any = 0;

		for (j = 0; j < n; j++)
			any |= t->cells[pts[j].row][pc][0] != '\0';
		if (any) {
			const char *sep = "";

			rc |= ls_buf_puts(out, "<polyline class=\"plan\" points=\"");
			for (j = 0; j < n; j++) {
				const char *v = t->cells[pts[j].row][pc];

				if (v[0] != '\0') {
					rc |= ls_buf_printf(out, "%s%zu,%s", sep, pts[j].per, v);
					sep = " ";
				}
			}
			rc |= ls_buf_puts(out, "\" fill=\"none\" stroke=\"#757575\" stroke-width=\"1\" "
			    "stroke-dasharray=\"4 3\" vector-effect=\"non-scaling-stroke\"/>\n");
		}
	}
	/* a period without the manager's row: nothing of theirs was counted in it */
	rc |= ls_buf_puts(out, "<polyline class=\"fact\" points=\"");
	j = 0;
	for (size_t p = 0; p < np; p++) {
		const char *v = "0";

		if (j < n && pts[j].per == p) {
			v = t->cells[pts[j].row][fc][0] ? t->cells[pts[j].row][fc] : "0";
			if (p + 1 == np)
				last = s->cells[pts[j].row][fc], lastv = milli(t->cells[pts[j].row][fc]);
			j++;
		}
		rc |= ls_buf_printf(out, "%s%zu,%s", p ? " " : "", p, v);
	}
	rc |= ls_buf_puts(out, "\" fill=\"none\" stroke=\"#1565c0\" stroke-width=\"1.5\" "
	    "vector-effect=\"non-scaling-stroke\"/>\n</g>\n");
	/* the last period's dot, where the figure beside it belongs (tenths of a pixel) */
	{
		int64_t y10 = (int64_t)(M + H) * 10 - (int64_t)((i128)lastv * H * 10 / max);

		rc |= ls_buf_printf(out, "<circle cx=\"%d\" cy=\"%lld.%lld\" r=\"2\" fill=\"#1565c0\"/>\n</svg></td>"
		    "<td class=\"n\">",
		    M + W, (long long)(y10 / 10), (long long)(y10 % 10));
	}
	rc |= ls_escape_put(out, last, strlen(last), LS_ESC_HTML);
	rc |= ls_buf_puts(out, "</td>\n");
	return rc;
}

int
ls_kpi_trend_svg(const struct ls_kpi_table *t, const struct ls_kpi_table *s, struct ls_buf *out)
{
	long fc[LS_KPI_NTREND], pc[LS_KPI_NTREND];
	int64_t max[LS_KPI_NTREND][2];
	struct ls_kpi_trend tr;
	const struct ls_kpi_trend_pt *pts;
	size_t np, k, i;
	int rc = 0;

	if (ls_kpi_trend(t, &tr) != 0)
		return LS_ENOMEM;
	if ((np = tr.np) == 0)
		return 0;
	pts = tr.pts;
	for (k = 0; k < LS_KPI_NTREND; k++) {
		fc[k] = col_of(t, ls_kpi_trend_kpis[k], 0);
		pc[k] = col_of(t, ls_kpi_trend_kpis[k], 1);
		max[k][0] = max[k][1] = 1;
	}
	for (size_t r = 0; r < t->nrows; r++)
		for (k = 0; k < LS_KPI_NTREND; k++) {
			int64_t f = fc[k] >= 0 ? milli(t->cells[r][fc[k]]) : 0;
			int64_t p = pc[k] >= 0 ? milli(t->cells[r][pc[k]]) : 0;
			int64_t *mx = &max[k][t->total[r] != 0];

			*mx = f > *mx ? f : *mx;
			*mx = p > *mx ? p : *mx;
		}

	rc |= ls_buf_printf(out, "<h2 id=\"trend\">%s, ", ls_kpi_text(t, LS_T_TREND));
	rc |= ls_escape_put(out, s->cells[0][0], strlen(s->cells[0][0]), LS_ESC_HTML);
	rc |= ls_buf_puts(out, " – ");
	rc |= ls_escape_put(out, s->cells[t->nrows - 1][0], strlen(s->cells[t->nrows - 1][0]), LS_ESC_HTML);
	rc |= ls_buf_printf(out, "</h2>\n<p class=\"meta\">%s</p>\n<table class=\"trend\">\n<thead><tr><th>",
	    ls_kpi_text(t, LS_T_TREND_LEGEND));
	rc |= ls_escape_put(out, s->names[1], strlen(s->names[1]), LS_ESC_HTML);
	rc |= ls_buf_puts(out, "</th>");
	for (k = 0; k < LS_KPI_NTREND; k++)
		if (fc[k] >= 0) {
			rc |= ls_buf_puts(out, "<th colspan=\"2\">");
			rc |= ls_escape_put(out, s->names[fc[k]], strlen(s->names[fc[k]]), LS_ESC_HTML);
			rc |= ls_buf_puts(out, "</th>");
		}
	rc |= ls_buf_puts(out, "</tr></thead>\n<tbody>\n");
	for (i = 0; i < t->nrows && rc == 0;) {
		size_t j = i;

		while (j < t->nrows && pts[j].mgr == pts[i].mgr)
			j++;
		rc |= ls_buf_puts(out, t->total[pts[i].row] ? "<tr class=\"total\" style=\"break-inside:avoid\"><td>" :
		    "<tr style=\"break-inside:avoid\"><td>");
		rc |= ls_escape_put(out, s->cells[pts[i].row][1], strlen(s->cells[pts[i].row][1]), LS_ESC_HTML);
		rc |= ls_buf_puts(out, "</td>");
		for (k = 0; k < LS_KPI_NTREND; k++)
			if (fc[k] >= 0)
				rc |= spark(t, s, pts + i, j - i, np, fc[k], pc[k], max[k][t->total[pts[i].row] != 0], out);
		rc |= ls_buf_puts(out, "</tr>\n");
		i = j;
	}
	rc |= ls_buf_puts(out, "</tbody>\n</table>\n");
	ls_kpi_trend_free(&tr);
	return rc != 0 ? LS_ENOMEM : 0;
}
