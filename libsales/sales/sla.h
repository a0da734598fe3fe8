/*
 * sla.h - service-level targets in business time (ticket-log's sla.yaml).
 *
 *   timezone: Europe/Moscow
 *   business_hours: {days: [mon, tue, wed, thu, fri], from: "09:00", to: "18:00"}
 *   holidays: [2026-12-31, 2027-01-01..2027-01-08]
 *   workdays: [2027-01-09]          # weekend days worked (transferred days)
 *   pause_statuses: [pending]
 *   at_risk: 20%                    # "at_risk" when less than this share is left
 *   channels: [phone, email, chat, telegram]   # default: phone, email, chat
 *   targets:
 *     urgent: {first_response: 30m, resolution: 4h}
 *
 * Business time is the working calendar's (calendar.h): its keys written
 * inline as above (hours per weekday, lunch, shortened days too), or
 * "calendar: calendar.yaml" naming a calendar file beside sla.yaml.
 * Without hours every second counts (24/7): holidays and workdays are then
 * not used, a desk that never closes has no days off.  A target's days are
 * business days: "1d" is one whole working day (the longest weekday's
 * hours less lunch: 9 hours above), so "1d4h" is 13 business hours there.
 * Targets are kept in business seconds.
 *
 * Loading errors are LS_ECONFIG naming file:line:col.  The calendar keeps
 * a cache of business days that the calls below fill: one thread at a time
 * per ls_sla.
 */
#ifndef LS_SLA_H
#define LS_SLA_H

#include <stddef.h>
#include <stdint.h>

#include "date.h"
#include "error.h"
#include "lifecycle.h"

/* The priorities a ticket can have, lowest first. */
enum ls_priority { LS_PRIO_LOW, LS_PRIO_NORMAL, LS_PRIO_HIGH, LS_PRIO_URGENT, LS_PRIO_COUNT };

/* "low", "normal", "high", "urgent"; NULL for a bad value. */
const char *ls_priority_name(enum ls_priority p);
/* Parse n bytes at p exactly.  0, or -1 when p names no priority. */
int ls_priority_parse(const char *p, size_t n, enum ls_priority *pr);

struct ls_sla;
struct ls_cal;

/* Load an SLA file.  NULL with err filled (LS_ECONFIG, file:line:col) on failure.  Free with ls_sla_free(). */
struct ls_sla *ls_sla_load(const char *path, struct ls_error *err);
/* The same from a buffer; name is used in messages. */
struct ls_sla *ls_sla_load_mem(const char *name, const char *buf, size_t len, struct ls_error *err);
/* NULL is a no-op. */
void ls_sla_free(struct ls_sla *s);

/* The SLA's zone (the process zone when the file names none); owned by s. */
struct ls_tz *ls_sla_tz(struct ls_sla *s);

/*
 * The targets of priority p in business seconds: *first_response and
 * *resolution, each -1 when the file sets none.
 */
void ls_sla_targets(const struct ls_sla *s, enum ls_priority p,
    int64_t *first_response, int64_t *resolution);

/* 1 when status st stops the clocks (pause_statuses; default: pending). */
int ls_sla_pauses(const struct ls_sla *s, enum ls_tstatus st);

/* The at_risk threshold in percent of the target (default 20). */
int ls_sla_at_risk(const struct ls_sla *s);

/*
 * The channels a ticket or a reply may come through (the file's
 * "channels: [phone, email, chat, telegram]"; without the key, and
 * without an SLA at all (s NULL), phone, email and chat).  A name is 1 to
 * LS_CHANNEL_MAX of a-z, 0-9, '_' and '-', a letter first
 * (ls_channel_valid(), ticket.h): the list is what a writer accepts, a
 * reader takes any such name, so that a log stays readable without the
 * file that allowed it.  ls_sla_channel(): 1 when p[0..n) is listed, or
 * empty (no channel); else 0.  ls_sla_channel_list(): the list as a
 * message says it, "phone, email or chat", into buf (cut to size).
 */
#define LS_CHANNEL_MAX	32
int ls_sla_channel(const struct ls_sla *s, const char *p, size_t n);
void ls_sla_channel_list(const struct ls_sla *s, char *buf, size_t size);
/* 1 when s lists its own channels (the key is there), 0 for the default three. */
int ls_sla_channels_own(const struct ls_sla *s);

/* Business seconds in [a, b); 0 when b <= a. */
int64_t ls_sla_business(struct ls_sla *s, int64_t a, int64_t b);

/*
 * The instant at which secs business seconds have passed since a: the
 * first t >= a with ls_sla_business(s, a, t) == secs (a itself for secs
 * <= 0).  A deadline falling at the end of a business day is that end
 * (18:00, or lunch's start), not the next start.  -1 when the calendar has
 * no business time left within 100 years.
 */
int64_t ls_sla_add(struct ls_sla *s, int64_t a, int64_t secs);

#endif
