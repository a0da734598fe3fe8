/*
 * kpi.h - kpi-report(1)'s library: the KPI config, per (period, manager)
 * sums over calls, deals, assigned leads and tickets, partial sums that
 * merge exactly, and the KPI table the formats (kpi_format.c) print.
 *
 * Every sum is an int64_t (counts, seconds, money in minor units at scale
 * 2); nothing goes through floating point.  A KPI is a ratio of sums worked
 * out only when the table is made, rounded half away from zero to the
 * column's fixed decimals, and an empty field when its denominator is 0.
 * A merge therefore only adds integers: any split of the inputs, merged
 * in any order and grouping, gives the same table, byte for byte.
 *
 * Files: kpi.c (the KPIs), kpi_config.c, kpi_sums.c, kpi_input.c (dates,
 * reading an input), kpi_plan.c (plans per working day, --compare's
 * windows), kpi_partial.c, kpi_table.c, kpi_format.c,
 * kpi_floors.c, kpi_xlsx.c, kpi_lang.c and kpi_trend_html.c (the human formats' language
 * and the HTML's trend, kpi_lang.h, kpi_human.h), and the funnel's kpi_funnel.c (the join on lead_id),
 * kpi_funnel_table.c and kpi_speed.c, over the private kpi_int.h.  Nothing here is shared
 * between threads: a config, a set of sums and a table are each used by
 * one thread at a time (ls_kpi_table() sorts with a static comparator
 * context, so tables are made on one thread).  Text is appended to the
 * caller's struct ls_buf, which the caller frees.
 */
#ifndef LS_KPI_H
#define LS_KPI_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "buf.h"
#include "date.h"
#include "error.h"
#include "record.h"

/* The KPI columns, in the order they are printed (after period and manager). */
enum ls_kpi_id {
	LS_KPI_CALLS,
	LS_KPI_CONNECTED,
	LS_KPI_CONNECT_RATE,
	LS_KPI_TALK_TIME,
	LS_KPI_AVG_CALL,
	LS_KPI_INTERESTED,
	LS_KPI_LEADS,
	LS_KPI_WON,
	LS_KPI_LOST,
	LS_KPI_WIN_RATE,
	LS_KPI_REVENUE,
	LS_KPI_AVG_DEAL,
	LS_KPI_TICKETS,		/* with --tickets only */
	LS_KPI_SLA_MET,		/* with --tickets only */
	LS_KPI_COUNT
};

/* The column name of a KPI ("connect_rate"), its decimals, and whether its plans add up over managers. */
const char *ls_kpi_name(enum ls_kpi_id k);
int ls_kpi_decimals(enum ls_kpi_id k);
int ls_kpi_additive(enum ls_kpi_id k);
/* The KPI named name[0..n), or -1. */
int ls_kpi_lookup(const char *name, size_t n);

/* The four inputs. */
enum ls_kpi_input { LS_KPI_IN_CALLS, LS_KPI_IN_DEALS, LS_KPI_IN_LEADS, LS_KPI_IN_TICKETS, LS_KPI_NINPUTS };

/* The input a KPI is counted from (calls for connect_rate, deals for revenue). */
enum ls_kpi_input ls_kpi_input_of(enum ls_kpi_id k);

/* ---- the config (kpi.yaml) ---- */

struct ls_kpi_config;

/*
 * Load and check a KPI config: timezone, connected_outcomes or outcomes
 * (connected, interested, not_connected: lists of outcome names), stages
 * (won, lost, open: lists of stage names), aliases (a map of manager id to
 * manager id), teams, targets (default, per team, per manager; each a map
 * of KPI name to a non-negative plan), columns (renames), currency,
 * calendar (a file), speed_to_lead (a duration: the funnel's target),
 * team (lead-assign's team file, read by ls_team_load(): away days and
 * managers' zones; with calendar: it makes targets per working day).
 * Manager ids in teams and targets are normalised as the data's are
 * (kpi_int.h's ls_kpi_norm_id()).  An unknown key or an unknown KPI, a
 * name under two lists of one section, an alias to an alias is
 * LS_ECONFIG naming file:line:col.  The caller frees it with
 * ls_kpi_config_free(); NULL is a no-op.
 */
struct ls_kpi_config *ls_kpi_config_load(const char *path, struct ls_error *err);
void ls_kpi_config_free(struct ls_kpi_config *c);
/* The config's zone (owned by c). */
struct ls_tz *ls_kpi_config_tz(const struct ls_kpi_config *c);
/* A 64-bit fingerprint of the config file's bytes: partials record it. */
uint64_t ls_kpi_config_fingerprint(const struct ls_kpi_config *c);

/* ---- sums ---- */

struct ls_kpi_opts {
	enum ls_period period;
	int has_from, has_to;
	struct ls_date from, to;	/* inclusive local dates, when has_* */
	struct ls_date lead_day;	/* the day of an assigned lead without created_at */
	unsigned money_flags;		/* LS_MONEY_DECIMAL_COMMA for deal amounts */
	int tickets;			/* print tickets_handled and sla_met_pct */
	int funnel;			/* also join leads, calls and deals on lead_id (--report funnel) */
	unsigned inputs;		/* 1 << enum ls_kpi_input of every input given: a KPI of an input
					   not given has no plan (nobody is behind plan on revenue without --deals) */
	int compare;			/* --compare: prev_<kpi> and <kpi>_change_pct against the previous period */
	int mtd;			/* --period mtd: the month of --date up to that day (period is month) */
};

struct ls_kpi;

/* An empty set of sums for a run over inputs.  c must outlive it.  NULL with err on failure. */
struct ls_kpi *ls_kpi_new(const struct ls_kpi_config *c, const struct ls_kpi_opts *o,
    struct ls_error *err);
/* An empty set of sums for --merge: period, range and flags come from the first partial read. */
struct ls_kpi *ls_kpi_new_merge(const struct ls_kpi_config *c, struct ls_error *err);
void ls_kpi_free(struct ls_kpi *k);

/*
 * Set o's range from the command line's --date D (the whole period of
 * o->period holding D), --from D and --to D (each NULL when not given), D
 * being YYYY-MM-DD, DD.MM.YYYY, today, yesterday, -Nd or last-workday (the
 * working day before today over the config's calendar:, Monday to Friday
 * without one) in the config's zone at the instant now; o->lead_day (the day of a lead without
 * created_at) becomes D, --to's day or today.  LS_EUSAGE naming the option
 * for a date that does not parse or --from after --to.
 */
int ls_kpi_opts_dates(struct ls_kpi_opts *o, const struct ls_kpi_config *c, int64_t now,
    const char *date, const char *from, const char *to, struct ls_error *err);

/*
 * 1 when day d is a working day over the config's calendar:, Monday to
 * Friday without one (the days last-workday steps over), else 0: what a
 * cron job asks before it mails (kpi-report --is-workday).
 */
int ls_kpi_is_workday(const struct ls_kpi_config *c, const struct ls_date *d);

/*
 * Read the input at path ("-": standard input) as input in and add every
 * record: the reader is opened with ro (its delimiter found from the
 * header unless ro names one), an empty input adds nothing.  A record
 * refused with LS_EDATA goes to rej (rejects.h) when rej is not NULL,
 * counted in *nrej, and reading goes on; without rej it ends the read.
 * Returns 0 or the status with err filled.
 */
struct ls_writer;
int ls_kpi_read(struct ls_kpi *k, enum ls_kpi_input in, const char *path,
    const struct ls_reader_opts *ro, struct ls_writer *rej, unsigned long *nrej,
    struct ls_error *err);

/*
 * Bind the columns of an input's header (hdr[0..ncols), read from file).
 * A required column missing is LS_EDATA "FILE: input has no column 'X'
 * (needed by --calls)".  Call once per input before its records.
 */
int ls_kpi_bind(struct ls_kpi *k, enum ls_kpi_input in, const struct ls_str *hdr, size_t ncols,
    const char *file, struct ls_error *err);

/*
 * Add one record of input in.  Returns 0, or LS_EDATA with err naming the
 * record's file and line (timestamp that does not parse, amount that is
 * not money, bad or negative duration); nothing of a refused record is
 * counted, so the caller may reject it and go on.
 */
int ls_kpi_add(struct ls_kpi *k, enum ls_kpi_input in, const struct ls_record *rec,
    struct ls_error *err);

/*
 * Calls whose outcome is neither one of the six of the calls stream nor
 * in connected_outcomes: they count as calls, not connected.  Returns the
 * count and, when it is not 0, the first such outcome and where it was.
 */
unsigned long ls_kpi_unknown_outcomes(const struct ls_kpi *k, const char **outcome,
    const char **file, long *line);

/*
 * Deals whose stage is under none of stages: won, lost, open: skipped
 * (wherever their closed_at falls), counted here.  Returns the count and,
 * when it is not 0, the first such stage and where it was.
 */
unsigned long ls_kpi_unknown_stages(const struct ls_kpi *k, const char **stage,
    const char **file, long *line);

/*
 * Append the partial sums to out as a record file (recfile.h): the first
 * line "# kpi-partial v2", then tab-separated records: the config's
 * fingerprint, period kind and date range, one record per group, a closing
 * "end" record counting them (kpi-report(1)), for the caller to write where
 * it wants (atomically: ls_atomic_write()).  Returns 0 or LS_ENOMEM.
 */
int ls_kpi_write_partial(const struct ls_kpi *k, struct ls_buf *out, struct ls_error *err);

/*
 * Add every partial in buf[0..n) (one or more, concatenated; name for
 * messages); buf is only read.  Anything that is not a whole partial of
 * this version (an older one is told to be made again), or a partial of
 * another config, period kind or date range, is LS_EDATA naming name:line.
 */
int ls_kpi_merge(struct ls_kpi *k, const char *buf, size_t n, const char *name,
    struct ls_error *err);
/* Number of partial records merged so far. */
unsigned long ls_kpi_merged(const struct ls_kpi *k);

/* ---- the table ---- */

enum ls_kpi_by { LS_KPI_BY_MANAGER, LS_KPI_BY_TEAM };

/*
 * The KPI table: a header of ls_kpi_table_cols() names, then
 * ls_kpi_table_rows() rows of as many cells ("" for an empty field).
 * Column 0 is the period, column 1 the manager (or team); then the KPIs,
 * then plan_<kpi> and <kpi>_pct for every targeted KPI whose input was
 * given, then with o.compare prev_<kpi> and <kpi>_change_pct for every KPI
 * whose input was given; each period ends with its TOTAL row.  Every string is owned by the table and lives until
 * ls_kpi_table_free().
 */
struct ls_kpi_table;

/* Build the table; the caller frees it with ls_kpi_table_free(). */
struct ls_kpi_table *ls_kpi_table(const struct ls_kpi *k, enum ls_kpi_by by, struct ls_error *err);
void ls_kpi_table_free(struct ls_kpi_table *t);

/* The column named name, or -1. */
long ls_kpi_table_col(const struct ls_kpi_table *t, const char *name, size_t n);
size_t ls_kpi_table_rows(const struct ls_kpi_table *t);
size_t ls_kpi_table_cols(const struct ls_kpi_table *t);
/* The name of column c (< cols). */
const char *ls_kpi_table_name(const struct ls_kpi_table *t, size_t c);
/* The cell of row r (< rows), column c (< cols). */
const char *ls_kpi_table_cell(const struct ls_kpi_table *t, size_t r, size_t c);
/* Whether row r is a period's TOTAL. */
int ls_kpi_table_total(const struct ls_kpi_table *t, size_t r);

/* ---- the funnel (kpi_funnel.c, kpi_funnel_table.c, kpi_speed.c) ---- */

/*
 * With o.funnel, ls_kpi_bind() also needs lead_id in every input and
 * assigned_at in --leads, and the records are joined on lead_id: the
 * cohort of a period is the leads whose assigned_at falls in it (the first
 * row with an assigned_at decides, as for leads_assigned); a lead's calls
 * at or after its assigned_at and its won deals count whenever they are.
 *
 * ls_kpi_funnel_table() makes the funnel's table, in the shape of
 * ls_kpi_table()'s (the same accessors, formats and --fail-under): period,
 * manager (or team), then the columns of kpi-report(1)'s FUNNEL section,
 * a TOTAL per period.  Speed to lead is in business time over the
 * config's calendar (its cache is used: one thread).  NULL with err when
 * out of memory, on a sum overflow, or past MAX_PERIODS periods (LS_EUSAGE).
 */
struct ls_kpi_table *ls_kpi_funnel_table(const struct ls_kpi *k, enum ls_kpi_by by,
    struct ls_error *err);

/*
 * Calls and won deals the funnel could not join: their lead_id is empty or
 * names no lead of --leads with an assigned_at.  They are in no cohort.
 * Returns calls + deals; first[0..*nfirst) is the byte-smallest such
 * lead_id (empty when only empty ones), owned by k.
 */
unsigned long ls_kpi_funnel_unmatched(const struct ls_kpi *k, unsigned long *calls,
    unsigned long *deals, const char **first, size_t *nfirst);

/* ---- output (kpi_format.c) ---- */

enum ls_kpi_format { LS_KPI_CSV, LS_KPI_TSV, LS_KPI_TABLE, LS_KPI_MD, LS_KPI_JSON, LS_KPI_HTML, LS_KPI_XLSX };

/* Parse a --format name.  0 or LS_EUSAGE. */
int ls_kpi_format_parse(const char *s, enum ls_kpi_format *f, struct ls_error *err);

/* Render t in format f, appended to out (LS_KPI_XLSX: ls_kpi_render_xlsx()).  0 or LS_ENOMEM. */
int ls_kpi_render(const struct ls_kpi_table *t, enum ls_kpi_format f, struct ls_buf *out,
    struct ls_error *err);
/*
 * The same for Excel (--bom): CSV and TSV cells go through the writer's
 * formula guard (writer.h), so a manager named "=HYPERLINK(...)" in the
 * data is text in the workbook.  The BOM is the caller's to write.
 */
int ls_kpi_render_excel(const struct ls_kpi_table *t, enum ls_kpi_format f, struct ls_buf *out,
    struct ls_error *err);

/*
 * The .xlsx workbook (kpi_xlsx.c, over xlsx_write.h): the table on a sheet
 * "KPI", numbers typed and formatted, percentages of plan coloured as the
 * HTML colours them, the header frozen; over several periods a second
 * sheet "Trend" (per manager and period: calls, deals_won, revenue and
 * their plans); its bytes appended to out.  0 or the status with err filled.
 */
int ls_kpi_render_xlsx(const struct ls_kpi_table *t, struct ls_buf *out, struct ls_error *err);

/*
 * --fail-under, parsed once (kpi_floors.c): a list "KPI=N,..." (N a
 * decimal).  ls_kpi_floors_parse() checks its form before any input is
 * read: LS_EUSAGE "--fail-under: expected KPI=N[,KPI=N...], got 'X'".
 * The caller frees the result with ls_kpi_floors_free() (NULL: no-op).
 */
struct ls_kpi_floors;
int ls_kpi_floors_parse(const char *spec, struct ls_kpi_floors **out, struct ls_error *err);
void ls_kpi_floors_free(struct ls_kpi_floors *f);
/*
 * Compare every non-TOTAL row's printed value of each floor's column
 * (empty values are not compared) and append one line per miss to out:
 * "PERIOD MANAGER: KPI VALUE < N".  Returns the number of misses, or -1
 * with err (LS_EUSAGE) for a column the table does not have, or LS_ENOMEM.
 */
long ls_kpi_floors_check(const struct ls_kpi_table *t, const struct ls_kpi_floors *f,
    struct ls_buf *out, struct ls_error *err);

/* Display width of UTF-8 text: code points, combining marks not counted. */
size_t ls_kpi_width(const char *s);

#endif
