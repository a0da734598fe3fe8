/*
 * kpi_format.c - the KPI table as CSV, TSV, an aligned table, Markdown,
 * JSON Lines or one self-contained HTML page.  See kpi.h.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "escape.h"
#include "kpi_human.h"
#include "money.h"
#include "writer.h"

/*
 * The text being rendered and whether an append failed: the renderers go
 * on to the end and the failure is told once, by ls_kpi_render().
 */
struct out {
	struct ls_buf *b;
	int oom;
};

static void
add(struct out *b, const char *p, size_t n)
{
	if (!b->oom && ls_buf_put(b->b, p, n) != 0)
		b->oom = 1;
}

static void
put(struct out *b, const char *s)
{
	add(b, s, strlen(s));
}

static void
putf(struct out *b, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

static void
putf(struct out *b, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	if (!b->oom && ls_buf_vprintf(b->b, fmt, ap) != 0)
		b->oom = 1;
	va_end(ap);
}

static void
pad(struct out *b, size_t n)
{
	while (n-- > 0)
		add(b, " ", 1);
}

size_t
ls_kpi_width(const char *s)
{
	size_t w = 0;

	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if ((*p & 0xc0) == 0x80)
			continue;	/* continuation byte */
		/* U+0300..U+036F combining marks take no column */
		if (p[0] == 0xcc || (p[0] == 0xcd && p[1] >= 0x80 && p[1] <= 0xaf))
			continue;
		w++;
	}
	return w;
}

int
ls_kpi_format_parse(const char *s, enum ls_kpi_format *f, struct ls_error *err)
{
	static const char *const names[] = { "csv", "tsv", "table", "md", "json", "html", "xlsx" };

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(s, names[i]) == 0) {
			*f = (enum ls_kpi_format)i;
			return 0;
		}
	return ls_error_set(err, LS_EUSAGE, NULL, 0, 0,
	    "unknown format '%s' (expected csv, tsv, table, md, json, html or xlsx)", s);
}

/* ---- csv, tsv ---- */

/*
 * Through the toolkit's one writer (writer.h), into memory: the report is
 * built whole before anything is written, so that --fail-under is checked
 * first.  Its quoting is libsales-formats(5)'s, the same as every other
 * CSV/TSV the tools write.
 */
static void
render_sv(const struct ls_kpi_table *t, int tsv, int excel, struct out *b)
{
	/* the BOM is the caller's, the formula guard (writer.h) goes with it */
	struct ls_writer_opts wo = { .format = tsv ? LS_FMT_TSV : LS_FMT_CSV, .formula_guard = excel };
	struct ls_error err;
	struct ls_writer *w;
	char *text = NULL;
	size_t len = 0;
	FILE *fp;

	if (b->oom || (fp = open_memstream(&text, &len)) == NULL) {
		b->oom = 1;
		return;
	}
	if ((w = ls_writer_open(NULL, fp, &wo, &err)) == NULL) {
		b->oom = 1;
		fclose(fp);
		free(text);
		return;
	}
	for (size_t r = 0; r <= t->nrows; r++) {
		char **row = r == 0 ? t->names : t->cells[r - 1];

		for (size_t c = 0; c < t->ncols; c++)
			ls_writer_cstr(w, row[c]);
		ls_writer_end(w);
	}
	if (ls_writer_flush(w, &err) != 0)
		b->oom = 1;
	ls_writer_free(w);
	if (fclose(fp) != 0)
		b->oom = 1;
	add(b, text, len);
	free(text);
}

/* ---- table, md ---- */

static void
render_table(const struct ls_kpi_table *t, struct out *b)
{
	size_t *w = calloc(t->ncols ? t->ncols : 1, sizeof(*w));

	if (w == NULL) {
		b->oom = 1;
		return;
	}
	for (size_t r = 0; r <= t->nrows; r++) {
		char **row = r == 0 ? t->names : t->cells[r - 1];

		for (size_t c = 0; c < t->ncols; c++) {
			size_t x = ls_kpi_width(row[c]);

			w[c] = x > w[c] ? x : w[c];
		}
	}
	for (size_t r = 0; r <= t->nrows; r++) {
		char **row = r == 0 ? t->names : t->cells[r - 1];

		for (size_t c = 0; c < t->ncols; c++) {
			size_t x = ls_kpi_width(row[c]);
			int left = t->col_kpi[c] < 0;

			if (c > 0)
				put(b, "  ");
			if (!left)
				pad(b, w[c] - x);
			put(b, row[c]);
			if (left && c + 1 < t->ncols)
				pad(b, w[c] - x);
		}
		put(b, "\n");
	}
	free(w);
}

static void
md_cell(struct out *b, const char *s)
{
	for (; *s; s++) {
		if (*s == '|' || *s == '\\' || *s == '*' || *s == '<' || *s == '`')
			put(b, "\\");
		if (*s == '\n' || *s == '\r')
			put(b, " ");
		else
			add(b, s, 1);
	}
}

static void
render_md(const struct ls_kpi_table *t, struct out *b)
{
	for (size_t r = 0; r <= t->nrows; r++) {
		char **row = r == 0 ? t->names : t->cells[r - 1];
		int bold = r > 0 && t->total[r - 1];

		put(b, "|");
		for (size_t c = 0; c < t->ncols; c++) {
			put(b, " ");
			if (bold && row[c][0])
				put(b, "**");
			md_cell(b, row[c]);
			if (bold && row[c][0])
				put(b, "**");
			put(b, " |");
		}
		put(b, "\n");
		if (r == 0) {
			put(b, "|");
			for (size_t c = 0; c < t->ncols; c++)
				put(b, t->col_kpi[c] < 0 ? " --- |" : " ---: |");
			put(b, "\n");
		}
	}
}

/* ---- json ---- */

static void
json_str(struct out *b, const char *s)
{
	put(b, "\"");
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\') {
			put(b, "\\");
			add(b, s, 1);
		} else if (c < 0x20) {
			putf(b, "\\u%04x", c);
		} else {
			add(b, s, 1);
		}
	}
	put(b, "\"");
}

static void
render_json(const struct ls_kpi_table *t, struct out *b)
{
	for (size_t r = 0; r < t->nrows; r++) {
		put(b, "{");
		for (size_t c = 0; c < t->ncols; c++) {
			const char *v = t->cells[r][c];

			if (c > 0)
				put(b, ",");
			json_str(b, t->names[c]);
			put(b, ":");
			if (t->col_kpi[c] < 0)
				json_str(b, v);
			else
				put(b, v[0] ? v : "null");
		}
		put(b, "}\n");
	}
}

/* ---- html ---- */

static void
html_text(struct out *b, const char *s)
{
	if (!b->oom && ls_escape_put(b->b, s, strlen(s), LS_ESC_HTML) != 0)
		b->oom = 1;
}

/* A printed value at scale 3 for drawing; 0 for an empty or odd one. */
static int64_t
milli(const char *s)
{
	int64_t v = 0;

	if (s[0] == '\0' || ls_money_parse(s, strlen(s), 3, LS_MONEY_ROUND, &v, NULL) != 0)
		return 0;
	return v;
}

#define RED_BG	"#fde0e0"
#define RED	"#b71c1c"
#define GREEN_BG	"#e3f4e4"
#define GREEN	"#1b5e20"

static long
fact_col(const struct ls_kpi_table *t, int kpi, int kind)
{
	for (size_t c = 0; c < t->ncols; c++)
		if (t->col_kpi[c] == kpi && t->col_kind[c] == kind)
			return (long)c;
	return -1;
}

/* After a percentage: Russian sets the sign apart, with a no-break space ("93,8 %"). */
static const char *
pct_sign(const struct ls_kpi_table *t)
{
	return t->lang == LS_KPI_LANG_RU ? "\xc2\xa0%" : "%";
}

/* One horizontal bar chart: plan (grey, with a marker) against fact, per row of a period. */
static void
html_chart(const struct ls_kpi_table *t, const struct ls_kpi_table *s, struct out *b, size_t r0, size_t r1,
    int kpi)
{
	long fc = fact_col(t, kpi, 0), pc = fact_col(t, kpi, 1), qc = fact_col(t, kpi, 2);
	/* Russian money is longer: "750 000,50 ₽ / 800 000,00 ₽ (93,8%)" */
	const int label = 150, bar = 360, text = t->lang == LS_KPI_LANG_RU ? 280 : 190, rowh = 24, top = 8;
	int64_t max = 1;
	size_t n = 0;
	int width = label + bar + text, height;

	if (fc < 0 || pc < 0)
		return;
	for (size_t r = r0; r < r1; r++) {
		int64_t f = milli(t->cells[r][fc]), p = milli(t->cells[r][pc]);

		if (t->total[r])
			continue;
		n++;
		max = f > max ? f : max;
		max = p > max ? p : max;
	}
	if (n == 0)
		return;
	height = top * 2 + (int)n * rowh;
	put(b, "<div class=\"chart\"><h3>");
	html_text(b, s->names[fc]);
	html_text(b, ls_kpi_text(t, LS_T_CHART));
	put(b, "</h3>\n");
	putf(b, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" "
	    "role=\"img\" font-family=\"Arial, Helvetica, sans-serif\" font-size=\"12\">\n",
	    width, height, width, height);
	put(b, "<title>");
	html_text(b, s->names[fc]);
	html_text(b, ls_kpi_text(t, LS_T_CHART));
	put(b, "</title>\n");
	n = 0;
	for (size_t r = r0; r < r1; r++) {
		int64_t f, p;
		int y, fw, pw;
		const char *color = "#1565c0";
		int has_plan;

		if (t->total[r])
			continue;
		f = milli(t->cells[r][fc]);
		p = milli(t->cells[r][pc]);
		has_plan = t->cells[r][pc][0] != '\0';
		y = top + (int)n * rowh;
		fw = f <= 0 ? 0 : (int)(f * bar / max);
		pw = p <= 0 ? 0 : (int)(p * bar / max);
		if (has_plan)
			color = f >= p ? "#2e7d32" : "#c62828";
		putf(b, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">", label - 6, y + 16);
		html_text(b, s->cells[r][1]);
		put(b, "</text>\n");
		if (has_plan)
			putf(b, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"18\" fill=\"#e0e0e0\"/>\n",
			    label, y + 2, pw > 0 ? pw : 1);
		putf(b, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"12\" fill=\"%s\"/>\n",
		    label, y + 5, fw, color);
		if (has_plan)
			putf(b, "<rect x=\"%d\" y=\"%d\" width=\"2\" height=\"22\" fill=\"#212121\"/>\n",
			    label + pw - (pw > 0 ? 1 : 0), y + 0);
		putf(b, "<text x=\"%d\" y=\"%d\" fill=\"%s\">", label + bar + 8, y + 16,
		    has_plan && f < p ? RED : "#212121");
		html_text(b, s->cells[r][fc][0] ? s->cells[r][fc] : "-");
		if (has_plan) {
			put(b, " / ");
			html_text(b, s->cells[r][pc]);
			if (qc >= 0 && s->cells[r][qc][0]) {
				put(b, " (");
				html_text(b, s->cells[r][qc]);
				put(b, pct_sign(t));
				put(b, ")");
			}
		}
		put(b, "</text>\n");
		n++;
	}
	put(b, "</svg></div>\n");
}

/* The label of KPI k's column, in t's language. */
static void
kpi_label(const struct ls_kpi_table *t, struct out *b, int k)
{
	struct ls_buf l = { 0 };

	if (ls_kpi_label((enum ls_kpi_lang)t->lang, ls_kpi_name((enum ls_kpi_id)k), &l) != 0)
		b->oom = 1;
	else
		html_text(b, l.p ? l.p : "");
	ls_buf_free(&l);
}

/* Is the percentage cell below 100? */
static int
below(const char *pct)
{
	return pct[0] != '\0' && milli(pct) < 100000;
}

static void
render_html(const struct ls_kpi_table *t, const struct ls_kpi_table *s, struct out *b)
{
	/* t's cells for comparing and drawing, s's (ls_kpi_table_shown()) for reading */
	const char *first = t->nrows ? s->cells[0][0] : "", *last = t->nrows ? s->cells[t->nrows - 1][0] : "";
	/* the funnel's table has no plan: nobody is behind one, and it says what it is */
	const char *title = ls_kpi_text(t, t->funnel ? LS_T_TITLE_FUNNEL : LS_T_TITLE_KPI);
	size_t nbehind = 0;

	put(b, t->lang == LS_KPI_LANG_RU ? "<!DOCTYPE html>\n<html lang=\"ru\">\n<head>" : "<!DOCTYPE html>\n<html>\n<head>");
	put(b, "\n<meta charset=\"utf-8\">\n"
	    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>");
	put(b, title);
	html_text(b, first);
	if (strcmp(first, last) != 0) {
		put(b, " – ");
		html_text(b, last);
	}
	put(b, "</title>\n<style>\n"
	    "body{font-family:Arial,Helvetica,sans-serif;color:#212121;margin:16px;font-size:14px}\n"
	    "h1{font-size:20px;margin:0 0 4px}h2{font-size:16px;margin:18px 0 6px}h3{font-size:13px;margin:10px 0 2px}\n"
	    "table{border-collapse:collapse;font-size:12px}\n"
	    "th,td{border:1px solid #bdbdbd;padding:3px 6px;white-space:nowrap}\n"
	    "th{background:#eeeeee;text-align:center;white-space:normal}td.n{text-align:right}\n"
	    "tr.total td{font-weight:bold;background:#f5f5f5}\n"
	    ".behind{color:" RED "}.ok{color:" GREEN "}.meta{color:#616161;font-size:12px}\n"
	    ".chart{page-break-inside:avoid;break-inside:avoid}.wide{overflow-x:auto}\n"
	    "@media print{@page{size:A4 landscape;margin:10mm}body{margin:0;font-size:11px}"
	    "table{font-size:7pt}th,td{padding:1px 2px}h2{page-break-after:avoid}.wide{overflow:visible}}\n"
	    "</style>\n</head>\n<body>\n<h1>");
	put(b, title);
	html_text(b, first);
	if (strcmp(first, last) != 0) {
		put(b, " – ");
		html_text(b, last);
	}
	put(b, "</h1>\n<p class=\"meta\">");
	html_text(b, ls_kpi_text(t, LS_T_ZONE));
	html_text(b, t->zone ? t->zone : "");
	html_text(b, ls_kpi_text(t, t->funnel ? LS_T_META_FUNNEL : LS_T_META_KPI));
	put(b, "</p>\n");

	/* who is behind: the first thing the head of sales reads */
	if (!t->funnel)
		putf(b, "<h2>%s</h2>\n", ls_kpi_text(t, LS_T_BEHIND));
	for (size_t r = 0; r < t->nrows && !t->funnel; r++) {
		int any = 0;

		if (t->total[r])
			continue;
		for (size_t c = 0; c < t->ncols; c++) {
			if (t->col_kind[c] != 2 || !below(t->cells[r][c]))
				continue;
			if (!any) {
				put(b, nbehind == 0 ? "<ul>\n" : "");
				put(b, "<li><b class=\"behind\" style=\"color:" RED "\">");
				html_text(b, s->cells[r][1]);
				put(b, "</b>");
				if (strcmp(first, last) != 0) {
					put(b, " (");
					html_text(b, s->cells[r][0]);
					put(b, ")");
				}
				put(b, ": ");
				nbehind++;
			} else {
				put(b, ", ");
			}
			any = 1;
			kpi_label(t, b, t->col_kpi[c]);
			put(b, " ");
			html_text(b, s->cells[r][c]);
			put(b, pct_sign(t));
		}
		if (any)
			put(b, "</li>\n");
	}
	if (nbehind)
		put(b, "</ul>\n");
	else if (!t->funnel)
		putf(b, "<p class=\"ok\" style=\"color:" GREEN "\">%s</p>\n", ls_kpi_text(t, LS_T_NOBODY));

	/* the percentages alone: a narrow table that fits any screen or mail */
	{
		size_t npct = 0;

		for (size_t c = 0; c < t->ncols; c++)
			npct += t->col_kind[c] == 2;
		if (npct > 0) {
			putf(b, "<h2>%s</h2>\n<table>\n<thead><tr><th>", ls_kpi_text(t, LS_T_REACHED));
			html_text(b, s->names[0]);
			put(b, "</th><th>");
			html_text(b, s->names[1]);
			put(b, "</th>");
			for (size_t c = 0; c < t->ncols; c++)
				if (t->col_kind[c] == 2) {
					put(b, "<th>");
					kpi_label(t, b, t->col_kpi[c]);
					put(b, "</th>");
				}
			put(b, "</tr></thead>\n<tbody>\n");
			for (size_t r = 0; r < t->nrows; r++) {
				put(b, t->total[r] ? "<tr class=\"total\"><td>" : "<tr><td>");
				html_text(b, s->cells[r][0]);
				put(b, "</td><td>");
				html_text(b, s->cells[r][1]);
				put(b, "</td>");
				for (size_t c = 0; c < t->ncols; c++) {
					const char *v = t->cells[r][c];

					if (t->col_kind[c] != 2)
						continue;
					if (v[0] == '\0')
						put(b, "<td class=\"n\">");
					else
						put(b, below(v) ? "<td class=\"n\" style=\"background:" RED_BG ";color:" RED "\">" :
						    "<td class=\"n\" style=\"background:" GREEN_BG ";color:" GREEN "\">");
					html_text(b, s->cells[r][c]);
					put(b, "</td>");
				}
				put(b, "</tr>\n");
			}
			put(b, "</tbody>\n</table>\n");
		}
	}

	putf(b, "<h2>%s</h2>\n<div class=\"wide\"><table>\n<thead><tr>", ls_kpi_text(t, LS_T_FIGURES));
	for (size_t c = 0; c < t->ncols; c++) {
		put(b, "<th>");
		html_text(b, s->names[c]);
		put(b, "</th>");
	}
	put(b, "</tr></thead>\n<tbody>\n");
	for (size_t r = 0; r < t->nrows; r++) {
		put(b, t->total[r] ? "<tr class=\"total\">" : "<tr>");
		for (size_t c = 0; c < t->ncols; c++) {
			const char *v = t->cells[r][c];

			if (t->col_kpi[c] < 0)
				put(b, "<td>");
			else if (t->col_kind[c] == 2 && v[0])
				put(b, below(v) ? "<td class=\"n\" style=\"background:" RED_BG ";color:" RED "\">" :
				    "<td class=\"n\" style=\"background:" GREEN_BG ";color:" GREEN "\">");
			else
				put(b, "<td class=\"n\">");
			/* --compare's change: which way it went first, then by how much */
			if (t->col_kind[c] == 4 && v[0]) {
				const char *hv = s->cells[r][c];

				put(b, v[0] == '-' ? "\xe2\x86\x93\xc2\xa0" : strspn(v, "0.") == strlen(v) ?
				    "\xe2\x86\x92\xc2\xa0" : "\xe2\x86\x91\xc2\xa0");
				/* the arrow says the sign: a hyphen-minus, or the Russian page's U+2212 */
				hv += hv[0] == '-' ? 1 : strncmp(hv, "\xe2\x88\x92", 3) == 0 ? 3 : 0;
				html_text(b, hv);
				put(b, "%</td>");
				continue;
			}
			html_text(b, s->cells[r][c]);
			put(b, "</td>");
		}
		put(b, "</tr>\n");
	}
	put(b, "</tbody>\n</table></div>\n");

	/* charts: per period, one per KPI with a plan */
	for (size_t r0 = 0; r0 < t->nrows;) {
		size_t r1 = r0;
		int header = 0;

		while (r1 < t->nrows && strcmp(t->cells[r1][0], t->cells[r0][0]) == 0)
			r1++;
		for (size_t c = 0; c < t->ncols; c++) {
			if (t->col_kind[c] != 1)
				continue;
			if (!header) {
				putf(b, "<h2>%s", ls_kpi_text(t, LS_T_PAF));
				html_text(b, s->cells[r0][0]);
				putf(b, "</h2>\n<p class=\"meta\">%s</p>\n", ls_kpi_text(t, LS_T_PAF_LEGEND));
				header = 1;
			}
			html_chart(t, s, b, r0, r1, t->col_kpi[c]);
		}
		r0 = r1;
	}
	/* a funnel's table draws its funnel (kpi_funnel_html.c) */
	if (t->funnel && !b->oom && ls_kpi_funnel_svg(t, s, b->b) != 0)
		b->oom = 1;
	/* a report over several periods: each manager's course (kpi_trend_html.c) */
	if (!t->funnel && !b->oom && ls_kpi_trend_svg(t, s, b->b) != 0)
		b->oom = 1;
	put(b, "</body>\n</html>\n");
}

static int
render(const struct ls_kpi_table *t, enum ls_kpi_format f, int excel, struct ls_buf *out,
    struct ls_error *err)
{
	struct out o = { out, 0 }, *b = &o;
	struct ls_kpi_table *s = NULL;

	if (f == LS_KPI_XLSX)	/* a workbook of its own: kpi_xlsx.c */
		return ls_kpi_render_xlsx(t, out, err);
	/* the human formats speak the table's language; CSV, TSV and JSON are an interface */
	if ((f == LS_KPI_TABLE || f == LS_KPI_MD || f == LS_KPI_HTML) && (s = ls_kpi_table_shown(t)) == NULL)
		return ls_error_set(err, LS_ENOMEM, NULL, 0, 0, "out of memory");
	switch (f) {
	case LS_KPI_CSV: render_sv(t, 0, excel, b); break;
	case LS_KPI_TSV: render_sv(t, 1, excel, b); break;
	case LS_KPI_TABLE: render_table(s, b); break;
	case LS_KPI_MD: render_md(s, b); break;
	case LS_KPI_JSON: render_json(t, b); break;
	case LS_KPI_HTML: render_html(t, s, b); break;
	case LS_KPI_XLSX: break;
	}
	ls_kpi_table_free(s);
	if (b->oom)
		return ls_error_set(err, LS_ENOMEM, NULL, 0, 0, "out of memory");
	return 0;
}

int
ls_kpi_render(const struct ls_kpi_table *t, enum ls_kpi_format f, struct ls_buf *out,
    struct ls_error *err)
{
	return render(t, f, 0, out, err);
}

int
ls_kpi_render_excel(const struct ls_kpi_table *t, enum ls_kpi_format f, struct ls_buf *out,
    struct ls_error *err)
{
	return render(t, f, 1, out, err);
}
