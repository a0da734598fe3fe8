/*
 * kpi_floors.c - kpi-report --fail-under: floors read once from the
 * command line, before any input, and compared with the table's printed
 * values once it is made.  See kpi.h.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "kpi_int.h"
#include "money.h"
#include "util.h"

struct floor {
	const char *name, *text;	/* into spec: the column, the floor as given */
	size_t nname, ntext;
	int64_t v;			/* scale 6, as the values are compared */
};

struct ls_kpi_floors {
	char *spec;
	struct floor *f;
	size_t n, cap;
};

void
ls_kpi_floors_free(struct ls_kpi_floors *f)
{
	if (f == NULL)
		return;
	free(f->spec);
	free(f->f);
	free(f);
}

int
ls_kpi_floors_parse(const char *spec, struct ls_kpi_floors **out, struct ls_error *err)
{
	struct ls_kpi_floors *fl = calloc(1, sizeof(*fl));
	const char *p;

	*out = NULL;
	if (fl == NULL || (fl->spec = strdup(spec)) == NULL) {
		ls_kpi_floors_free(fl);
		return ls_error_set(err, LS_ENOMEM, NULL, 0, 0, "out of memory");
	}
	for (p = fl->spec; ; p++) {
		const char *e = strchr(p, ','), *eqs = strchr(p, '=');
		size_t len = e ? (size_t)(e - p) : strlen(p);
		struct floor f;

		if (eqs == NULL || eqs == p || eqs >= p + len ||
		    ls_money_parse(eqs + 1, (size_t)(p + len - eqs - 1), 6, 0, &f.v, NULL) != 0) {
			ls_error_set(err, LS_EUSAGE, NULL, 0, 0,
			    "--fail-under: expected KPI=N[,KPI=N...], got '%.*s'", (int)len, p);
			ls_kpi_floors_free(fl);
			return LS_EUSAGE;
		}
		f.name = p;
		f.nname = (size_t)(eqs - p);
		f.text = eqs + 1;
		f.ntext = (size_t)(p + len - eqs - 1);
		if (ls_grow(&fl->f, &fl->cap, fl->n + 1, sizeof(*fl->f)) != 0) {
			ls_kpi_floors_free(fl);
			return ls_error_set(err, LS_ENOMEM, NULL, 0, 0, "out of memory");
		}
		fl->f[fl->n++] = f;
		if (e == NULL)
			break;
		p = e;
	}
	*out = fl;
	return 0;
}

long
ls_kpi_floors_check(const struct ls_kpi_table *t, const struct ls_kpi_floors *fl,
    struct ls_buf *out, struct ls_error *err)
{
	long misses = 0;
	int oom = 0;

	for (size_t i = 0; i < fl->n; i++) {
		const struct floor *f = &fl->f[i];
		long c = ls_kpi_table_col(t, f->name, f->nname);
		int64_t v;

		/* the columns are known only now: --tickets and the targets add some */
		if (c < 0 || t->col_kpi[c] < 0)
			return ls_error_set(err, LS_EUSAGE, NULL, 0, 0,
			    "--fail-under: no column '%.*s' in this report", (int)f->nname, f->name), -1;
		for (size_t r = 0; r < t->nrows; r++) {
			const char *cell = t->cells[r][c];

			if (t->total[r] || cell[0] == '\0' ||
			    ls_money_parse(cell, strlen(cell), 6, 0, &v, NULL) != 0 || v >= f->v)
				continue;
			oom |= ls_buf_puts(out, t->cells[r][0]) | ls_buf_puts(out, " ") |
			    ls_buf_puts(out, t->cells[r][1]) | ls_buf_puts(out, ": ") |
			    ls_buf_puts(out, t->names[c]) | ls_buf_puts(out, " ") | ls_buf_puts(out, cell) |
			    ls_buf_puts(out, " < ") | ls_buf_put(out, f->text, f->ntext) | ls_buf_puts(out, "\n");
			misses++;
		}
	}
	if (oom)
		return ls_error_set(err, LS_ENOMEM, NULL, 0, 0, "out of memory"), -1;
	return misses;
}
