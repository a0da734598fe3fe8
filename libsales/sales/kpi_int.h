/*
 * kpi_int.h - what the files of kpi-report's library share, and nothing
 * outside them sees: the definitions of the KPIs and sums (kpi.c), the
 * config as read (kpi_config.c), the sums per (period, manager)
 * (kpi_sums.c), their partial files (kpi_partial.c) and the table made of
 * them (kpi_table.c).  A struct ls_kpi is used by one thread at a time.
 */
#ifndef LS_KPI_INT_H
#define LS_KPI_INT_H

#include <stdint.h>
#include <string.h>

#include "assign.h"
#include "calendar.h"
#include "config.h"
#include "date.h"
#include "keyset.h"
#include "kpi.h"

/* Exact ratios need more than 64 bits: revenue (minor units) times 10^8 for a percentage of plan. */
__extension__ typedef __int128 i128;

#define PLAN_SCALE	6		/* plans are kept as decimals with 6 places */
#define PLAN_ONE	1000000
#define MAX_PERIODS	10000		/* periods a report may span: 27 years of days */
#define MONEY_SCALE	2
#define NO_TEAM		"(no team)"
#define NO_MANAGER	"(none)"

/* The sums kept per (period, manager); a KPI is a ratio of them (ls_kpi_value()). */
enum sum_id {
	S_CALLS, S_CONNECTED, S_TALK, S_INTERESTED, S_LEADS, S_WON, S_LOST,
	S_REVENUE, S_TICKETS, S_SLA_MET, NSUMS
};

/* The input columns kpi-report reads, renamed by the config's columns: */
enum col_id {
	C_MANAGER, C_STARTED_AT, C_DURATION, C_OUTCOME, C_STAGE, C_AMOUNT, C_CLOSED_AT,
	C_CREATED_AT, C_ASSIGN_REASON, C_AGENT, C_STATUS, C_UPDATED_AT, C_SLA, C_ASSIGNED_AT,
	C_LEAD_ID, C_CURRENCY, NCOLS
};

/* The six outcomes of the calls stream (libsales-formats(5)). */
#define NOUTCOMES 6
extern const char *const ls_kpi_outcomes[NOUTCOMES];

struct target {
	const char *who;		/* "default", a team or a manager (normalised) */
	int64_t plan[LS_KPI_COUNT];	/* PLAN_SCALE decimals */
	unsigned char has[LS_KPI_COUNT];
};

struct team {
	const char *name;
	const char **ids;		/* members, normalised (ls_kpi_norm_id()); owned by the config */
	size_t nids;
};

/* A list of names from kpi.yaml (outcomes, stages); the strings are the config tree's. */
#define MAX_NAMES 32
struct names {
	const char *v[MAX_NAMES];
	size_t n;
};

/* A manager id the config names: normalised, and as the config spells it (trimmed) for the report. */
struct spelling {
	char *id, *shown;
};

/* aliases: entry: both sides normalised, owned by the config */
struct alias {
	char *from, *to;
};

/* A manager of the team file (team:): their normalised id, zone and index there. */
struct member {
	const char *id;			/* owned by the config (own_id()) */
	const struct ls_tz *tz;		/* their timezone:, else NULL (the config's) */
	size_t ti;			/* index in the team file, for ls_team_is_away() */
	int active;
};

struct ls_kpi_config {
	struct ls_config *cfg;
	struct ls_team *team;		/* team:, lead-assign's team file, or NULL */
	struct member *members;
	size_t nmembers;
	int per_workday;		/* calendar: or team: named: a target is per working day */
	struct ls_tz *tz;
	struct ls_cal *cal;		/* calendar:, for --date last-workday; NULL: Monday to Friday */
	struct names connected;		/* outcomes counted as connected */
	struct names interested;	/* outcomes counted as interested (interested_connects: also connected) */
	struct names not_connected;	/* outcomes known not to connect: no warning */
	int interested_connects;	/* outcomes: given, not the older connected_outcomes */
	struct names won, lost, open;	/* stages: closed won, closed lost, not closed yet */
	struct alias *aliases;
	size_t naliases;
	struct spelling *owned;		/* the ids teams, targets and aliases name, as normalised and as written */
	size_t nowned, capowned;
	struct team *teams;
	size_t nteams;
	struct target *targets;
	size_t ntargets;
	long def;			/* index of targets' default, -1 */
	unsigned char targeted[LS_KPI_COUNT];
	const char *col[NCOLS];
	const char *currency;		/* currency:, "RUB" by default: the only one summed */
	int lang;			/* lang:, an enum ls_kpi_lang (kpi_lang.h) */
	int64_t speed_target;		/* speed_to_lead:, seconds (business ones over cal); -1: none */
	uint64_t fingerprint;
};

struct mgr {
	char *name;			/* the normalised id: the manager's identity */
	size_t len;
	char *shown;			/* the byte-smallest trimmed spelling seen in the data */
	const struct ls_tz *tz;		/* the zone their records' days are in (ls_kpi_zone_of()) */
};

struct group {
	int64_t day;			/* first day of the period, days since 1970-01-01 */
	size_t mgr;
	int64_t s[NSUMS];
};

struct ls_kpi_funnel;		/* kpi_funnel.c's join on lead_id, for --report funnel */

struct binding {
	int bound;
	long col[NCOLS];		/* input column of each spec column, -1 */
};

struct ls_kpi {
	const struct ls_kpi_config *kc;
	struct ls_kpi_opts o;
	int have_opts;			/* merge: period and range known from a partial */
	int64_t lo, hi;			/* the range in local days, when has_from / has_to */
	int64_t lead_day;
	struct ls_keyset *leads_seen;	/* lead ids counted by assigned_at: each lead once */
	struct ls_kpi_funnel *fun;	/* with o.funnel: the leads, their calls and won deals */
	struct mgr *m;
	size_t nm, capm;
	struct ls_keyset *mset;		/* manager name -> uint32_t index into m */
	struct group *g;
	size_t ng, capg;
	struct ls_keyset *gset;		/* struct gkey -> uint32_t index into g */
	/* --compare: sums of the previous period's window, keyed by the period they are compared with */
	struct group *pg;
	size_t npg, cappg;
	struct ls_keyset *pgset;
	int64_t first_day;		/* the earliest local day of any record read, INT64_MAX: none */
	/* cache of compared_with(), by day mod 64: records of a month come in any order of days */
	int64_t pp_day[64], pp_for[64];
	unsigned char have_pp[64];
	size_t last_g;			/* cache: the group of the previous record */
	int have_last;
	struct binding b[LS_KPI_NINPUTS];
	unsigned long unknown;
	char *unknown_outcome, *unknown_file;
	long unknown_line;
	unsigned long unknown_st;	/* deals of a stage stages: does not name */
	char *unknown_stage, *unknown_st_file;
	long unknown_st_line;
	unsigned long nmerged;
	int64_t ps_day, ps_start;	/* cache: the last local day's period start */
	int have_ps;
	/* cache of the last timestamp's date part: the same day is not converted again */
	int64_t ts_day_start, ts_day_end, ts_day;
	const struct ls_tz *ts_tz;	/* the zone that cache is in */
};

/* The table of kpi_table.c, read by kpi_format.c and kpi_floors.c. */
struct ls_kpi_table {
	size_t ncols, nrows;
	char **names;
	char ***cells;			/* [nrows][ncols], NUL-terminated */
	unsigned char *total;		/* [nrows]: a TOTAL row */
	int *col_kpi;			/* [ncols]: the KPI of column c, -1 for period and manager,
					   LS_KPI_COUNT for a funnel table's figures (no KPI of kpi.c) */
	unsigned char *col_kind;	/* [ncols]: 0 fact, 1 plan, 2 percentage of plan,
					   3 the previous period's fact, 4 the change from it, % (--compare) */
	const char *zone;		/* the config's zone name */
	int funnel;			/* made by ls_kpi_funnel_table(): no plans, its own title */
	int lang;			/* enum ls_kpi_lang of the human formats (kpi_lang.c); 0: en */
	const char *currency;		/* the config's currency, for money in them; NULL: RUB */
};

/*
 * A KPI as the exact ratio *num / *den of the sums s; 0 when the
 * denominator is empty.  The formulas of kpi-report(1)'s COLUMNS section.
 */
int ls_kpi_value(int k, const int64_t *s, i128 *num, i128 *den);
/* num / den rounded half away from zero to dec decimals, written as text into buf. */
void ls_kpi_ratio(i128 num, i128 den, int dec, char *buf, size_t size);

/*
 * A manager id as the report counts it, appended to out: spaces (and
 * no-break spaces) trimmed at both ends, lower-cased (ASCII, Latin-1,
 * Cyrillic), then replaced by its aliases: entry.  "ivanov ", "IVANOV" and
 * (with aliases: {Иванов: ivanov}) "Иванов" are one manager.  Blank gives
 * "".  0 or LS_ENOMEM.
 */
int ls_kpi_norm_id(const struct ls_kpi_config *kc, const char *s, size_t n, struct ls_buf *out);
/*
 * How the report shows manager id: as the config spells it when the config
 * names it, else as the data spells it (ls_kpi_intern()); id itself when
 * neither.  Deterministic whatever the order of the inputs or partials.
 */
const char *ls_kpi_shown(const struct ls_kpi *k, const char *id);
/* *s, *n without the spaces, tabs and no-break spaces at either end. */
void ls_kpi_trim(const char **s, size_t *n);
/* Whether v is one of the names l. */
int ls_kpi_named(const struct names *l, const struct ls_str *v);

/*
 * kpi_plan.c: plans that follow the calendar.  ls_kpi_member() is the
 * team file's entry of a normalised id (-1); ls_kpi_zone_of() the zone of
 * its records (its own timezone:, else the config's); ls_kpi_workday()
 * whether day dn is a working day (calendar:, else Monday to Friday);
 * ls_kpi_plan_days() the days manager id is held to a plan in [from, to]:
 * the working days they are not away on (every day when the config names
 * neither calendar: nor team:, the older behaviour: -1 then, the target
 * applying to the period as it stands).
 */
long ls_kpi_member(const struct ls_kpi_config *kc, const char *id);
const struct ls_tz *ls_kpi_zone_of(const struct ls_kpi_config *kc, const char *id);
int ls_kpi_workday(const struct ls_kpi_config *kc, int64_t dn);
int64_t ls_kpi_plan_days(const struct ls_kpi_config *kc, const char *id, int64_t from, int64_t to);
/*
 * The window of the period starting at start that the report counts
 * (clipped by --from/--to: a month to date), and the window of the period
 * before it that --compare holds it against: as many days from its start.
 */
void ls_kpi_window(const struct ls_kpi *k, int64_t start, int64_t *lo, int64_t *hi);
void ls_kpi_prev_window(const struct ls_kpi *k, int64_t start, int64_t *lo, int64_t *hi);
/*
 * The sums of a previous window, created zero; NULL when out of memory.
 * They are kept under ls_kpi_prev_key(k, start) of the period start they
 * are compared with: that start itself, but for days the working day
 * compared with, which Saturday, Sunday and Monday share.
 */
int64_t *ls_kpi_prev_group(struct ls_kpi *k, int64_t key, size_t mgr);
int64_t ls_kpi_prev_key(const struct ls_kpi *k, int64_t start);

/* The first team of the config listing manager id, or -1; the team named name, or -1. */
long ls_kpi_team_index(const struct ls_kpi_config *kc, const char *name);
long ls_kpi_team_of(const struct ls_kpi_config *kc, const char *id);
/* The targets entry of who ("default", a team or a manager), or NULL. */
const struct target *ls_kpi_target_of(const struct ls_kpi_config *kc, const char *who);
/* A manager's plan for KPI k: their own entry, else their team's, else default.  0 when none. */
int ls_kpi_manager_plan(const struct ls_kpi_config *kc, const char *id, int k, int64_t *plan);

/* The index of manager name[0..n) in k->m, added when new; -1 when out of memory. */
long ls_kpi_intern(struct ls_kpi *k, const char *name, size_t n);
/* The sums of (day, mgr), created zero when new; NULL when out of memory. */
int64_t *ls_kpi_group(struct ls_kpi *k, int64_t day, size_t mgr);
/* The first day of the period holding local day `day`, and of the period after the one starting at start. */
int64_t ls_kpi_period_start(enum ls_period per, int64_t day);
int64_t ls_kpi_period_next(enum ls_period per, int64_t start);
/* Work out k->lo, k->hi and k->lead_day from k->o. */
void ls_kpi_set_range(struct ls_kpi *k);

/*
 * kpi_table.c's, shared with the funnel's table: the managers the config
 * knows, sorted, each once (*out is the caller's to free, the names the
 * config's), and the row a manager's figures go to under --by (the id
 * itself, their team, or NO_TEAM).  -1 when out of memory.
 */
int ls_kpi_roster(const struct ls_kpi *k, const char ***out, size_t *nout);
const char *ls_kpi_row_of(const struct ls_kpi *k, enum ls_kpi_by by, const char *id);

/*
 * kpi_funnel_html.c: for the HTML page of a funnel's table, per period an
 * inline SVG of its TOTAL's steps, appended to out; s is the table as
 * shown (kpi_human.h), for the words.  0 or LS_ENOMEM.
 */
int ls_kpi_funnel_svg(const struct ls_kpi_table *t, const struct ls_kpi_table *s, struct ls_buf *out);

/*
 * kpi_funnel_table.c: what a funnel table's column named name holds, as
 * its formats need to know it, and its decimals in *dec (a name it does
 * not declare: a count, 0).
 */
enum ls_kpi_funnel_unit { LS_KPI_FU_COUNT, LS_KPI_FU_RATIO, LS_KPI_FU_MONEY, LS_KPI_FU_MINUTES };
enum ls_kpi_funnel_unit ls_kpi_funnel_unit(const char *name, int *dec);

/*
 * The hooks of kpi_funnel.c into kpi_sums.c's records, each called once a
 * record is known good enough to count (its dates parsed), whatever
 * --from/--to say: a cohort's calls and deals may come after its period.
 * id is the record's lead_id, mgr the lead's manager (ls_kpi_intern()),
 * at an instant, day at's local day.  A lead without a lead_id is LS_EDATA
 * naming the record (it could never be joined); 0 or LS_ENOMEM otherwise.
 */
struct ls_kpi_funnel *ls_kpi_funnel_new(void);
void ls_kpi_funnel_free(struct ls_kpi_funnel *f);
int ls_kpi_funnel_lead(struct ls_kpi *k, const struct ls_record *rec, const struct ls_str *id,
    size_t mgr, int64_t at, int64_t day, struct ls_error *err);
int ls_kpi_funnel_call(struct ls_kpi *k, const struct ls_str *id, int64_t t, int connected,
    int interested, struct ls_error *err);
int ls_kpi_funnel_deal(struct ls_kpi *k, const struct ls_str *id, int64_t minor,
    struct ls_error *err);

static inline int64_t
kpi_day(const struct ls_date *d)
{
	return ls_date_to_days(d);
}

static inline int
kpi_digits(const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] < '0' || p[i] > '9')
			return 0;
	return n > 0;
}

static inline int
kpi_eq(const struct ls_str *v, const char *s)
{
	size_t n = strlen(s);

	return v->n == n && memcmp(v->p, s, n) == 0;
}

#endif
