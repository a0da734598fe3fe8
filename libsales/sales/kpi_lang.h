/*
 * kpi_lang.h - the language kpi-report's human formats speak (kpi_lang.c):
 * the labels of the report's columns, the page's texts, and values as a
 * reader of that language expects them (digit groups, decimal comma, the
 * currency sign, talk time as h:mm, dates as DD.MM.YYYY).
 *
 * The machine formats (CSV, TSV, JSON, partials) never go through here:
 * their column names and numbers are an interface.  Everything is
 * appended to the caller's struct ls_buf; the functions return 0 or
 * LS_ENOMEM and keep no state, so any thread may call them.
 */
#ifndef LS_KPI_LANG_H
#define LS_KPI_LANG_H

#include <stddef.h>

#include "buf.h"
#include "error.h"

/* en: the column names and the values as CSV prints them; ru: Russian. */
enum ls_kpi_lang { LS_KPI_LANG_EN, LS_KPI_LANG_RU };

/* Parse "en" or "ru".  0, or LS_EUSAGE with err saying what is expected. */
int ls_kpi_lang_parse(const char *s, enum ls_kpi_lang *l, struct ls_error *err);

/*
 * The language the config names (kpi.yaml's lang:, en when absent), and
 * the one a table's human formats speak, with the config's currency
 * (kpi-report: --lang wins over lang:).  ls_kpi_config_load() checks lang:.
 */
struct ls_kpi_config;
struct ls_kpi_table;
enum ls_kpi_lang ls_kpi_config_lang(const struct ls_kpi_config *kc);
void ls_kpi_table_lang(struct ls_kpi_table *t, const struct ls_kpi_config *kc, enum ls_kpi_lang l);

/*
 * The label of the report's column named name in language l, appended to
 * out: en (and any name with no label of l) gives name itself, so that a
 * column added later still prints; ru gives the table's label, and for
 * plan_X and X_pct "План: x" and "% плана: x" from X's.
 */
int ls_kpi_label(enum ls_kpi_lang l, const char *name, struct ls_buf *out);

/*
 * Values as the tools print them ("-1234567.5": an optional '-', digits,
 * optionally '.' and digits) for a Russian reader.  Text that is not such
 * a number, and "", are appended unchanged.
 *
 * ls_kpi_fmt_number(): digit groups of three (U+202F, a narrow no-break
 * space) from four digits on, a decimal comma, U+2212 for the minus:
 * "−1 234 567,5".
 * ls_kpi_fmt_money(): the same with a no-break space and the currency:
 * "₽" for RUB, else its code ("1 234,50 ₽", "99,00 EUR").
 * ls_kpi_fmt_hmm(): seconds as hours and minutes, rounded half up to the
 * minute, the hours not wrapped at 24 ("0:00", "25:00", "−0:05").
 */
int ls_kpi_fmt_number(struct ls_buf *out, const char *v);
int ls_kpi_fmt_money(struct ls_buf *out, const char *v, const char *currency);
int ls_kpi_fmt_hmm(struct ls_buf *out, const char *seconds);

/*
 * A period's name (kpi-report(1): 2026-11-26, 2026-W48, 2026-11) in
 * Russian: "26.11.2026", "48-я неделя 2026", "ноябрь 2026"; anything else
 * unchanged.
 */
int ls_kpi_fmt_period(struct ls_buf *out, const char *key);

#endif
