/*
 * calendar.h - the toolkit's one working calendar: working hours per
 * weekday, a lunch break, holidays, transferred working days, shortened
 * pre-holiday days and the time zone they are read in (libsales-formats(5),
 * CALENDAR).  ticket-log's SLA clocks, doc-render's due dates and
 * kpi-report's speed to lead all count business time through it.
 *
 *   timezone: Europe/Moscow
 *   hours: {mon-thu: "09:00-18:00", fri: "09:00-16:45"}
 *   lunch: "13:00-14:00"
 *   holidays: [2026-12-31, 2027-01-01..2027-01-08]
 *   workdays: [2027-01-09]            # weekend days worked (transferred)
 *   shortened: [2026-04-30]           # pre-holiday days, one hour shorter
 *   shorten_by: 1h
 *   shorten_before_holidays: no       # yes: also every working day before a holiday
 *
 * hours may also be ticket-log's older form, under the name business_hours
 * (or hours): {days: [mon, ..., fri], from: "09:00", to: "18:00"}.  A
 * calendar with no hours at all works around the clock: every day is a
 * working day and every second counts; holidays, workdays and shortened days
 * are then not used (a desk that never closes has no days off).
 *
 * A calendar is its own YAML file (ls_cal_load()) or a tool's config names
 * it: "calendar: calendar.yaml", relative to that config's folder, or the
 * keys above written inline in the config (ls_cal_config()).
 *
 * Errors are LS_ECONFIG naming file:line:col.  Day numbers are days since
 * 1970-01-01 (ls_date_to_days()).  A struct ls_cal keeps a cache of the
 * days its calls have looked at: one thread at a time per calendar; the
 * queries are otherwise pure.
 */
#ifndef LS_CALENDAR_H
#define LS_CALENDAR_H

#include <stdint.h>

#include "config.h"
#include "date.h"
#include "error.h"

struct ls_cal;

/* The keys a calendar reads from a mapping, NULL-terminated, for a caller's ls_node_check_keys(). */
extern const char *const ls_cal_keys[];

/* Load a calendar file; unknown keys are refused.  NULL with err filled on failure.  Free with ls_cal_free(). */
struct ls_cal *ls_cal_load(const char *path, struct ls_error *err);
/* The same from a buffer; name is used in messages. */
struct ls_cal *ls_cal_load_mem(const char *name, const char *buf, size_t len, struct ls_error *err);

/*
 * The calendar of map, a mapping inside config c: the file its "calendar"
 * key names (relative to c's folder), else its ls_cal_keys written inline
 * (none of them: the process's zone, around the clock).  Keys of map that
 * are not the calendar's are left to the caller to check; "calendar" with
 * inline calendar keys beside it is an error.  NULL with err filled.
 */
struct ls_cal *ls_cal_config(const struct ls_config *c, const struct ls_node *map,
    struct ls_error *err);

/*
 * The calendar file that node v of config c names (a string), relative to
 * c's folder: for a config whose own keys (kpi.yaml's timezone) would
 * clash with the calendar's if they were read inline.  NULL with err filled.
 */
struct ls_cal *ls_cal_config_file(const struct ls_config *c, const struct ls_node *v,
    struct ls_error *err);

/* NULL is a no-op. */
void ls_cal_free(struct ls_cal *cal);

/* The calendar's zone (the process zone when it names none); owned by cal. */
struct ls_tz *ls_cal_tz(const struct ls_cal *cal);

/* 1 when the calendar has working hours, 0 when it works around the clock. */
int ls_cal_has_hours(const struct ls_cal *cal);

/*
 * The business seconds of one full working day: the longest weekday's
 * hours less lunch (86400 around the clock).  "1d" of an SLA target.
 */
int64_t ls_cal_day_length(const struct ls_cal *cal);

/* 1 when day number dn is a working day, else 0. */
int ls_cal_is_workday(struct ls_cal *cal, int64_t dn);

/*
 * The n-th working day after day dn (n > 0), before it (n < 0), or dn
 * itself (n == 0).  "Five business days from Friday" is n = 5: the day
 * itself is not counted.  0, or LS_EDATA when no such day lies within 100
 * years.  next/previous working day are n = 1 and n = -1.
 */
int ls_cal_add_days(struct ls_cal *cal, int64_t dn, int64_t n, int64_t *out);

/* The same over struct ls_date. */
int ls_cal_add_date(struct ls_cal *cal, const struct ls_date *d, int64_t n, struct ls_date *out);

/* Business seconds in [a, b) (Unix times); 0 when b <= a. */
int64_t ls_cal_business(struct ls_cal *cal, int64_t a, int64_t b);

/*
 * The instant at which secs business seconds have passed since a: the
 * first t >= a with ls_cal_business(cal, a, t) == secs (a itself for secs
 * <= 0).  A deadline falling at the end of working hours is that end
 * (18:00 or the start of lunch), not the next start.  -1 when the calendar
 * has no business time left within 100 years.
 */
int64_t ls_cal_add(struct ls_cal *cal, int64_t a, int64_t secs);

#endif
