/*
 * assign.h - hand qualified leads to managers: the team file, the
 * strategies, eligibility, sticky owners and the state file that carries
 * all of it from one run to the next (lead-assign(1)).
 *
 * Use:
 *     team = ls_team_load("team.yaml", &err);           config errors: LS_ECONFIG
 *     a = ls_assigner_new(team, header, ncols, &opts, &err);   columns, expressions
 *     ls_assigner_read_state(a, ls_team_state_path(team), &err);
 *     ls_assigner_read_load(a, "open.csv", &err);        optional (--load)
 *     for each record: ls_assigner_next(a, &rec, &res, &err);
 *     ls_assigner_save_state(a, path, &err);             atomic; not with --dry-run
 *
 * Locking is the caller's (lock.h): hold an exclusive lock on the state
 * path from reading the state to saving it.
 *
 * Eligibility of a manager for a lead: active, not away on the lead's date,
 * load below capacity, region covered (when the manager lists regions and
 * the lead has one), skill covered (likewise, with skill_column).  Order of
 * decisions: the sticky owner when eligible; else the first routing rule
 * whose condition holds narrows the pool; else the whole team; then the
 * strategy picks among the pool's eligible managers.
 *
 * State file, a text file, one record per line, fields separated by tabs
 * (tab, line feed, carriage return and backslash in a field written as
 * \t \n \r \\):
 *
 *     # lead-assign state v2
 *     cursor	ID                      last manager given a lead by round_robin
 *     manager	ID	LOAD	ASSIGNED	CURRENT
 *     sticky	VALUE	ID              VALUE of the sticky column belongs to ID
 *     lead	LEAD_ID	ID	AT      the lead LEAD_ID was dealt to ID at AT
 *
 * AT is the instant the lead was first dealt, in seconds since 1970 (UTC):
 * what a later run writes as the lead's assigned_at when it meets the lead
 * again (already_assigned).  Version 1 had no AT: its lead lines (three
 * fields) are still read, the time unknown, and written back so.  A v2 file
 * is refused by a v1 lead-assign with "written by a newer version".
 *
 * Sticky values are kept normalised (sticky_key()): lower case (Latin and
 * Cyrillic), runs of white space as one space, none at the ends, and the
 * quotes « » „ “ ” ‘ ’ " ' all as ".  A value over 1 KB is never stored.
 * One lead line is kept per lead ever dealt (when the input has the id
 * column, lead_id by default), so that a retried run deals nothing twice:
 * the file grows by about 30 bytes a lead.
 *
 * LOAD is the manager's open leads as far as lead-assign knows, ASSIGNED
 * the number of leads it ever handed them, CURRENT the smooth weighted
 * round robin's current weight (in thousandths).  Other lines starting
 * with '#' are comments.  Records of managers no longer in the team are
 * kept as they are.
 */
#ifndef LS_ASSIGN_H
#define LS_ASSIGN_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "error.h"
#include "record.h"

#define LS_ASSIGN_STATE_PREFIX "# lead-assign state v"	/* then the version */
#define LS_ASSIGN_STATE_VERSION 2
#define LS_ASSIGN_NO_TIME INT64_MIN	/* a lead dealt by a v1 lead-assign: when is not known */

enum ls_strategy { LS_RR = 0, LS_WEIGHTED, LS_LEAST_LOADED };

struct ls_team;
struct ls_tz;

/*
 * Load and validate a team file: unknown keys, duplicate or unknown
 * manager ids, weights that are not positive numbers, bad dates in away,
 * expression syntax in routing.  Returns NULL with err filled (LS_ECONFIG,
 * file:line:col) on failure.  Free with ls_team_free().
 */
struct ls_team *ls_team_load(const char *path, struct ls_error *err);
/* The same from a buffer; name is used in messages and as the team file's path. */
struct ls_team *ls_team_load_mem(const char *name, const char *buf, size_t len,
    struct ls_error *err);
void ls_team_free(struct ls_team *t);

/* The state file: the team's "state:" relative to the team file's folder, else "TEAM.state".  Owned by t. */
const char *ls_team_state_path(const struct ls_team *t);
/* The sticky column, or NULL. */
const char *ls_team_sticky(const struct ls_team *t);
size_t ls_team_nmanagers(const struct ls_team *t);
/* Managers with active: true (the default). */
size_t ls_team_nactive(const struct ls_team *t);
/* Id of manager i (team order). */
const char *ls_team_manager_id(const struct ls_team *t, size_t i);
/* Whether manager i is active (active: true, the default); 0 past the last. */
int ls_team_manager_active(const struct ls_team *t, size_t i);
/* Whether manager i is away (a vacation, a sick leave) on day, days since 1970-01-01. */
int ls_team_is_away(const struct ls_team *t, size_t i, int64_t day);
/*
 * Manager i's own zone (timezone: of the member), or NULL when the member
 * names none; owned by t.  lead-assign only checks it; kpi-report counts the
 * manager's records on their local days in it.
 */
const struct ls_tz *ls_team_manager_tz(const struct ls_team *t, size_t i);

struct ls_assign_opts {
	const char *reassign_from;	/* re-deal this manager's rows of an assigned stream */
	int64_t now;			/* the instant that decides "today" and assigned_at; 0: ls_clock_now() */
};

struct ls_assign_result {
	const char *manager;		/* "" when no one could take the lead */
	const char *reason;		/* sticky, rule:NAME, round_robin, ..., reassigned_from:ID */
	int changed;			/* 0: a row passed through unchanged (--reassign-from, another manager) */
	/*
	 * When the lead was dealt, RFC 3339 in the team's timezone: (or UTC,
	 * "Z", when the team names none): the run's instant for a lead dealt
	 * now, the first deal's for already_assigned (the state remembers it;
	 * a v1 state does not, and then the row's own assigned_at is kept),
	 * the row's own for a row passed through; "" for a lead not dealt.
	 */
	const char *assigned_at;
};

/* What a run did, for -v and for the warnings (ls_assigner_stats()). */
struct ls_assign_stats {
	unsigned long read;		/* rows given to ls_assigner_next() */
	unsigned long skipped;		/* status not dealt: skipped:STATUS */
	unsigned long already;		/* dealt in an earlier run: already_assigned */
	unsigned long passed;		/* --reassign-from: rows of other managers */
	unsigned long no_eligible, at_capacity;
	const unsigned long *dealt;	/* [ls_team_nmanagers()]: leads dealt to each in this run */
};

struct ls_assigner;

/*
 * Bind team to an input whose header is header[0..ncols): resolves the
 * sticky, date, region, skill columns and compiles the routing conditions.
 * A needed column that is missing is LS_ECONFIG with the message "input has
 * no column 'company' (needed by sticky: company)"; in reassign mode the
 * input must have manager and assign_reason.  team must outlive the result.
 */
struct ls_assigner *ls_assigner_new(const struct ls_team *team, const struct ls_str *header,
    size_t ncols, const struct ls_assign_opts *opts, struct ls_error *err);
void ls_assigner_free(struct ls_assigner *a);

/*
 * Read a state file into a (before the first lead).  A missing file is an
 * empty state (a first run).  A file that is not a lead-assign state, or
 * has a malformed line, is LS_ECONFIG naming file and line; a read error
 * LS_EIO.  On error the state in a is emptied (as before a first run), never
 * left half read; the caller is expected to stop.
 */
int ls_assigner_read_state(struct ls_assigner *a, const char *path, struct ls_error *err);

/*
 * Replace the loads with those of a CSV of open leads per manager (columns
 * manager, open_leads; several rows of one manager add up; managers not in
 * the file have no open leads; ids not in the team are ignored).  Bad
 * numbers are LS_EDATA at file:line, missing columns LS_ECONFIG.
 */
int ls_assigner_read_load(struct ls_assigner *a, const char *path, struct ls_error *err);

/*
 * The leads will come from in (the reader whose header a was made with):
 * the set of leads dealt is sized for them at once, and each lookup in it
 * is loaded a few records ahead.  Optional; call after the state is read
 * and before the first record.  in must outlive the ls_assigner_next()
 * calls.  0 or LS_ENOMEM (err set).
 */
int ls_assigner_attach(struct ls_assigner *a, struct ls_reader *in, struct ls_error *err);

/*
 * Decide the lead rec (fields in header order).  res->manager and
 * res->reason stay valid until the next call.  In reassign mode a row of
 * another manager gives that row's own manager and reason with changed 0.
 * Returns 0, or LS_EDATA (a bad date in the date column) with err naming
 * the record's file and line.
 */
int ls_assigner_next(struct ls_assigner *a, const struct ls_record *rec,
    struct ls_assign_result *res, struct ls_error *err);

/* Write the state (format above) to fp.  0 or LS_EIO. */
int ls_assigner_write_state(const struct ls_assigner *a, FILE *fp, struct ls_error *err);
/* Replace path with the state atomically (lock.h).  0 or LS_EIO with err filled. */
int ls_assigner_save_state(const struct ls_assigner *a, const char *path, struct ls_error *err);

/* The counts of the run so far; owned by a, valid until ls_assigner_free(). */
const struct ls_assign_stats *ls_assigner_stats(const struct ls_assigner *a);

/* Manager id's load, leads handed out, and whether the team knows it (-1 loads when not). */
long long ls_assigner_load(const struct ls_assigner *a, const char *id);
long long ls_assigner_assigned(const struct ls_assigner *a, const char *id);
/* The sticky owner of value[0..n) (compared normalised), or NULL. */
const char *ls_assigner_owner(const struct ls_assigner *a, const char *value, size_t n);

/*
 * lead-assign --split PATH (assign_split.c over split.h): the output's rows
 * of header hdr[0..ncols) by manager, into PATH/MANAGER.csv (.tsv), written
 * as wo says (the main output's options), or, when PATH ends in .xlsx, into
 * that workbook with a sheet per manager, assigned_at and created_at as
 * dates.  Free with ls_split_free().
 */
struct ls_split;
struct ls_writer_opts;
struct ls_split *ls_assign_split_new(const char *path, const struct ls_writer_opts *wo,
    const struct ls_str *hdr, size_t ncols, struct ls_error *err);

#endif
