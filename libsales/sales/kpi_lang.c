/*
 * kpi_lang.c - kpi-report's human formats in the reader's language: the
 * column labels, the page's texts, values with digit groups, money with
 * its currency, talk time as h:mm, periods as Russians write them.  See
 * kpi_lang.h and kpi_human.h.
 */
#include <stdlib.h>
#include <string.h>

#include "kpi_human.h"

/* U+202F NARROW NO-BREAK SPACE: the Russian digit group, never broken across lines */
#define GROUP	"\xe2\x80\xaf"
/* U+00A0 between an amount and its currency */
#define NBSP	"\xc2\xa0"
/* U+2212 MINUS SIGN: a hyphen is too short next to digits in a proportional font */
#define MINUS	"\xe2\x88\x92"

int
ls_kpi_lang_parse(const char *s, enum ls_kpi_lang *l, struct ls_error *err)
{
	if (strcmp(s, "en") == 0)
		*l = LS_KPI_LANG_EN;
	else if (strcmp(s, "ru") == 0)
		*l = LS_KPI_LANG_RU;
	else
		return ls_error_set(err, LS_EUSAGE, NULL, 0, 0, "--lang: expected en or ru, got '%s'", s);
	return 0;
}

enum ls_kpi_lang
ls_kpi_config_lang(const struct ls_kpi_config *kc)
{
	return (enum ls_kpi_lang)kc->lang;
}

void
ls_kpi_table_lang(struct ls_kpi_table *t, const struct ls_kpi_config *kc, enum ls_kpi_lang l)
{
	t->lang = (int)l;
	t->currency = kc->currency;
}

/*
 * Russian labels, keyed by the column's name: the label as a header shows
 * it, and the same words inside "План: ..." and "% плана: ...".  A column
 * not listed prints its name (a column added later is still readable).
 */
static const struct label {
	const char *name, *ru, *inner;
} labels[] = {
	{ "period", "Период", "период" },
	{ "manager", "Менеджер", "менеджер" },
	{ "team", "Команда", "команда" },
	{ "calls", "Звонки", "звонки" },
	{ "connected", "Дозвоны", "дозвоны" },
	{ "connect_rate", "Доля дозвонов", "доля дозвонов" },
	{ "talk_time_s", "Время разговоров", "время разговоров" },
	{ "avg_call_s", "Средний звонок, с", "средний звонок" },
	{ "interested", "Заинтересованы", "заинтересованы" },
	{ "leads_assigned", "Лиды назначены", "лиды назначены" },
	{ "deals_won", "Сделки выиграны", "сделки выиграны" },
	{ "deals_lost", "Сделки проиграны", "сделки проиграны" },
	{ "win_rate", "Доля выигранных", "доля выигранных" },
	{ "revenue", "Выручка", "выручка" },
	{ "avg_deal", "Средняя сделка", "средняя сделка" },
	{ "tickets_handled", "Обращения", "обращения" },
	{ "sla_met_pct", "SLA соблюдён, %", "SLA соблюдён" },
	/* the funnel's (kpi_funnel_table.c) */
	{ "assigned", "Назначено", "назначено" },
	{ "called", "Позвонили", "позвонили" },
	{ "called_rate", "Доля позвонённых", "доля позвонённых" },
	{ "connected_rate", "Доля дозвонов", "доля дозвонов" },
	{ "connected_of_assigned", "Дозвоны от назначенных", "дозвоны от назначенных" },
	{ "interested_rate", "Доля заинтересованных", "доля заинтересованных" },
	{ "interested_of_assigned", "Заинтересованы от назначенных", "заинтересованы от назначенных" },
	{ "won", "Выиграны", "выиграны" },
	{ "won_rate", "Выиграны от заинтересованных", "выиграны от заинтересованных" },
	{ "won_of_assigned", "Выиграны от назначенных", "выиграны от назначенных" },
	{ "revenue_per_lead", "Выручка на лид", "выручка на лид" },
	{ "not_called", "Без звонка", "без звонка" },
	{ "speed_median_min", "Скорость: медиана, мин", "скорость: медиана" },
	{ "speed_p90_min", "Скорость: 90-й перцентиль, мин", "скорость: 90-й перцентиль" },
	{ "within_target", "В пределах цели", "в пределах цели" },
	{ "within_target_rate", "Доля в пределах цели", "доля в пределах цели" },
};

static const struct label *
label_of(const char *name, size_t n)
{
	for (size_t i = 0; i < sizeof(labels) / sizeof(labels[0]); i++)
		if (strlen(labels[i].name) == n && memcmp(labels[i].name, name, n) == 0)
			return &labels[i];
	return NULL;
}

int
ls_kpi_label(enum ls_kpi_lang l, const char *name, struct ls_buf *out)
{
	size_t n = strlen(name);
	const struct label *x;

	if (l == LS_KPI_LANG_RU) {
		if ((x = label_of(name, n)) != NULL)
			return ls_buf_puts(out, x->ru) != 0 ? LS_ENOMEM : 0;
		if (n > 5 && memcmp(name, "plan_", 5) == 0 && (x = label_of(name + 5, n - 5)) != NULL)
			return ls_buf_printf(out, "План: %s", x->inner) != 0 ? LS_ENOMEM : 0;
		/* --compare's columns, named after their KPI as plan_ and _pct are */
		if (n > 5 && memcmp(name, "prev_", 5) == 0 && (x = label_of(name + 5, n - 5)) != NULL)
			return ls_buf_printf(out, "Прошлый период: %s", x->inner) != 0 ? LS_ENOMEM : 0;
		if (n > 11 && memcmp(name + n - 11, "_change_pct", 11) == 0 && (x = label_of(name, n - 11)) != NULL)
			return ls_buf_printf(out, "Изменение, %%: %s", x->inner) != 0 ? LS_ENOMEM : 0;
		if (n > 4 && memcmp(name + n - 4, "_pct", 4) == 0 && (x = label_of(name, n - 4)) != NULL)
			return ls_buf_printf(out, "%% плана: %s", x->inner) != 0 ? LS_ENOMEM : 0;
	}
	return ls_buf_puts(out, name) != 0 ? LS_ENOMEM : 0;
}

static const char *const texts[LS_T_COUNT][2] = {
	[LS_T_TITLE_KPI] = { "KPI report ", "Отчёт KPI " },
	[LS_T_TITLE_FUNNEL] = { "Funnel and speed to lead ", "Воронка и скорость реакции " },
	[LS_T_ZONE] = { "Days in time zone ", "Дни по часовому поясу " },
	[LS_T_META_KPI] = { ". Percentages are fact against plan; red is below plan.",
	    ". Проценты — факт к плану; красным — ниже плана." },
	[LS_T_META_FUNNEL] = { ". Leads counted in the period they were assigned in.",
	    ". Лиды учтены в периоде, в котором их назначили." },
	[LS_T_BEHIND] = { "Behind plan", "Отстают от плана" },
	[LS_T_NOBODY] = { "Nobody is behind plan.", "Никто не отстаёт от плана." },
	[LS_T_REACHED] = { "Plan reached, %", "Выполнение плана, %" },
	[LS_T_FIGURES] = { "Figures", "Показатели" },
	[LS_T_PAF] = { "Plan against fact, ", "План и факт, " },
	[LS_T_PAF_LEGEND] = { "Coloured bar: fact (green at or above plan, red below); grey bar and black line: plan.",
	    "Цветная полоса — факт (зелёная — план выполнен, красная — ниже плана); серая полоса и чёрная черта — план." },
	[LS_T_CHART] = { ": plan against fact", ": план и факт" },
	[LS_T_FUNNEL] = { "The funnel of each period's leads", "Воронка лидов каждого периода" },
	[LS_T_FUNNEL_OF] = { "Funnel, ", "Воронка, " },
	[LS_T_OF_ASSIGNED] = { "of assigned", "от назначенных" },
	[LS_T_TREND] = { "Trend over the periods", "Динамика по периодам" },
	[LS_T_TREND_LEGEND] = { "Solid line: fact per period; dashed: plan; the figure: the last period's.",
	    "Сплошная линия — факт по периодам, пунктир — план; число — за последний период." },
	[LS_T_TOTAL] = { "TOTAL", "Итого" },
};

const char *
ls_kpi_text(const struct ls_kpi_table *t, enum ls_kpi_text id)
{
	return texts[id][t->lang == LS_KPI_LANG_RU];
}

/* ---- values ---- */

/* v as [-]digits[.digits]: *neg, the integer digits [*ip, *ip + *in), the decimals after '.' (*dp, *dn). */
static int
split_number(const char *v, int *neg, const char **ip, size_t *in, const char **dp, size_t *dn)
{
	const char *p = v;

	*neg = *p == '-';
	p += *neg;
	*ip = p;
	while (*p >= '0' && *p <= '9')
		p++;
	*in = (size_t)(p - *ip);
	*dp = NULL;
	*dn = 0;
	if (*p == '.') {
		*dp = ++p;
		while (*p >= '0' && *p <= '9')
			p++;
		*dn = (size_t)(p - *dp);
		if (*dn == 0)
			return -1;
	}
	return *in > 0 && *p == '\0' ? 0 : -1;
}

int
ls_kpi_fmt_number(struct ls_buf *out, const char *v)
{
	const char *ip, *dp;
	size_t in, dn;
	int neg, rc = 0;

	if (split_number(v, &neg, &ip, &in, &dp, &dn) != 0)
		return ls_buf_puts(out, v) != 0 ? LS_ENOMEM : 0;
	/* "-0.0" is what a ratio rounded to nothing may print: no sign on a zero */
	if (neg && strspn(ip, "0.") != in + (dp ? dn + 1 : 0))
		rc |= ls_buf_puts(out, MINUS);
	for (size_t i = 0; i < in; i++) {
		/* groups only from four digits on: "1 234", "999" */
		if (i > 0 && in > 3 && (in - i) % 3 == 0)
			rc |= ls_buf_puts(out, GROUP);
		rc |= ls_buf_put(out, ip + i, 1);
	}
	if (dp) {
		rc |= ls_buf_puts(out, ",");
		rc |= ls_buf_put(out, dp, dn);
	}
	return rc != 0 ? LS_ENOMEM : 0;
}

int
ls_kpi_fmt_money(struct ls_buf *out, const char *v, const char *currency)
{
	const char *ip, *dp;
	size_t in, dn;
	int neg;

	if (split_number(v, &neg, &ip, &in, &dp, &dn) != 0)
		return ls_buf_puts(out, v) != 0 ? LS_ENOMEM : 0;
	if (ls_kpi_fmt_number(out, v) != 0 || ls_buf_puts(out, NBSP) != 0)
		return LS_ENOMEM;
	if (currency == NULL || strcmp(currency, "RUB") == 0)
		currency = "₽";
	return ls_buf_puts(out, currency) != 0 ? LS_ENOMEM : 0;
}

int
ls_kpi_fmt_hmm(struct ls_buf *out, const char *seconds)
{
	const char *ip, *dp;
	size_t in, dn;
	int neg;
	int64_t s = 0, m;

	/* 18 digits are beyond any sum kpi-report keeps (int64_t seconds) */
	if (split_number(seconds, &neg, &ip, &in, &dp, &dn) != 0 || in > 18)
		return ls_buf_puts(out, seconds) != 0 ? LS_ENOMEM : 0;
	for (size_t i = 0; i < in; i++)
		s = s * 10 + (ip[i] - '0');
	if (dp && dp[0] >= '5')
		s++;	/* half a second up, then half a minute up: 29.5 s is 0:01, as 30 s is */
	m = (s + 30) / 60;
	if (ls_buf_printf(out, "%s%lld:%02lld", neg && m > 0 ? MINUS : "", (long long)(m / 60),
	    (long long)(m % 60)) != 0)
		return LS_ENOMEM;
	return 0;
}

static int
digits(const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] < '0' || p[i] > '9')
			return 0;
	return 1;
}

int
ls_kpi_fmt_period(struct ls_buf *out, const char *key)
{
	static const char *const months[12] = {
		"январь", "февраль", "март", "апрель", "май", "июнь", "июль", "август", "сентябрь",
		"октябрь", "ноябрь", "декабрь"
	};
	size_t n = strlen(key);
	int rc;

	if (n == 10 && key[4] == '-' && key[7] == '-' && digits(key, 4) && digits(key + 5, 2) &&
	    digits(key + 8, 2))
		rc = ls_buf_printf(out, "%.2s.%.2s.%.4s", key + 8, key + 5, key);
	else if (n == 8 && key[4] == '-' && key[5] == 'W' && digits(key, 4) && digits(key + 6, 2))
		rc = ls_buf_printf(out, "%d-я неделя %.4s", atoi(key + 6), key);
	else if (n == 7 && key[4] == '-' && digits(key, 4) && digits(key + 5, 2) && atoi(key + 5) >= 1 &&
	    atoi(key + 5) <= 12)
		rc = ls_buf_printf(out, "%s %.4s", months[atoi(key + 5) - 1], key);
	else
		rc = ls_buf_puts(out, key);
	return rc != 0 ? LS_ENOMEM : 0;
}

/* ---- the table as its reader sees it ---- */

/* What column c's values are, for a Russian reader. */
enum unit { U_NUMBER, U_MONEY, U_HMM };

static enum unit
unit_of(const struct ls_kpi_table *t, size_t c)
{
	int dec;

	if (t->col_kind[c] == 2 || t->col_kind[c] == 4)
		return U_NUMBER;	/* a percentage of plan, or --compare's change, whatever its KPI */
	if (t->col_kpi[c] == LS_KPI_COUNT)
		return ls_kpi_funnel_unit(t->names[c], &dec) == LS_KPI_FU_MONEY ? U_MONEY : U_NUMBER;
	switch (t->col_kpi[c]) {
	case LS_KPI_REVENUE: case LS_KPI_AVG_DEAL: return U_MONEY;
	case LS_KPI_TALK_TIME: return U_HMM;
	default: return U_NUMBER;
	}
}

/* The text of row r, column c in t->lang, into b (emptied first). */
static int
shown_cell(const struct ls_kpi_table *t, size_t r, size_t c, struct ls_buf *b)
{
	const char *v = t->cells[r][c];

	b->n = 0;
	if (t->lang != LS_KPI_LANG_RU || v[0] == '\0')
		return ls_buf_puts(b, v) != 0 ? LS_ENOMEM : 0;
	if (c == 0)
		return ls_kpi_fmt_period(b, v);
	if (t->col_kpi[c] < 0) {
		if (t->total[r])
			v = ls_kpi_text(t, LS_T_TOTAL);
		else if (strcmp(v, NO_MANAGER) == 0)
			v = "(не указан)";
		else if (strcmp(v, NO_TEAM) == 0)
			v = "(без команды)";
		return ls_buf_puts(b, v) != 0 ? LS_ENOMEM : 0;
	}
	switch (unit_of(t, c)) {
	case U_MONEY: return ls_kpi_fmt_money(b, v, t->currency);
	case U_HMM: return ls_kpi_fmt_hmm(b, v);
	case U_NUMBER: break;
	}
	return ls_kpi_fmt_number(b, v);
}

static char *
take(struct ls_buf *b)
{
	char *s = malloc(b->n + 1);

	if (s != NULL) {
		memcpy(s, b->p ? b->p : "", b->n);
		s[b->n] = '\0';
	}
	return s;
}

struct ls_kpi_table *
ls_kpi_table_shown(const struct ls_kpi_table *t)
{
	struct ls_kpi_table *s = calloc(1, sizeof(*s));
	struct ls_buf b = { 0 };
	size_t nc = t->ncols ? t->ncols : 1, nr = t->nrows ? t->nrows : 1;

	if (s == NULL)
		return NULL;
	s->ncols = t->ncols;
	s->zone = t->zone;
	s->funnel = t->funnel;
	s->lang = t->lang;
	s->currency = t->currency;
	if ((s->names = calloc(nc, sizeof(*s->names))) == NULL ||
	    (s->col_kpi = calloc(nc, sizeof(*s->col_kpi))) == NULL ||
	    (s->col_kind = calloc(nc, 1)) == NULL || (s->total = calloc(nr, 1)) == NULL ||
	    (s->cells = calloc(nr, sizeof(*s->cells))) == NULL)
		goto oom;
	memcpy(s->col_kpi, t->col_kpi, t->ncols * sizeof(*s->col_kpi));
	memcpy(s->col_kind, t->col_kind, t->ncols);
	memcpy(s->total, t->total, t->nrows);
	for (size_t c = 0; c < t->ncols; c++) {
		b.n = 0;
		if (ls_kpi_label((enum ls_kpi_lang)t->lang, t->names[c], &b) != 0 ||
		    (s->names[c] = take(&b)) == NULL)
			goto oom;
	}
	for (size_t r = 0; r < t->nrows; r++) {
		/* rows are counted as they come, so that a failure frees only what was made */
		if ((s->cells[r] = calloc(nc, sizeof(**s->cells))) == NULL)
			goto oom;
		s->nrows = r + 1;
		for (size_t c = 0; c < t->ncols; c++)
			if (shown_cell(t, r, c, &b) != 0 || (s->cells[r][c] = take(&b)) == NULL)
				goto oom;
	}
	s->nrows = t->nrows;
	ls_buf_free(&b);
	return s;
oom:
	ls_buf_free(&b);
	ls_kpi_table_free(s);
	return NULL;
}
