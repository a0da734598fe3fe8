/*
 * ticket_env.h - where ticket-log(1) finds its things before any command
 * runs: the log (-f, $TICKET_LOG, ./tickets.csv), the SLA (--sla, else
 * sla.yaml beside the log when there is one), the zone timestamps are
 * written in (the SLA's, else the process's), and "now" (TICKET_LOG_NOW,
 * ticket-log's own way of pinning the clock, over clock.h's).
 *
 * Main thread only: ls_ticket_env_open() may pin the process-wide clock
 * (ls_clock_set()).
 */
#ifndef LS_TICKET_ENV_H
#define LS_TICKET_ENV_H

#include <stdint.h>

#include "date.h"
#include "error.h"
#include "sla.h"

struct ls_ticket_env {
	const char *log;		/* borrowed from the caller */
	struct ls_sla *sla;		/* owned; NULL: no SLA, no clocks */
	struct ls_tz *tz;		/* the SLA's zone (owned by sla), else own_tz */
	struct ls_tz *own_tz;		/* owned */
	int64_t now;			/* ls_clock_now() after TICKET_LOG_NOW */
};

/* The log to use: flag (-f) when not NULL, else $TICKET_LOG when set and not empty, else "tickets.csv". */
const char *ls_ticket_env_log(const char *flag);

/*
 * The SLA file beside log ("dir/sla.yaml" for "dir/x.csv", "sla.yaml" for
 * "x.csv") in a string the caller frees, whether it exists or not; NULL
 * with err filled (LS_ENOMEM) when out of memory.
 */
char *ls_ticket_env_beside(const char *log, struct ls_error *err);

/*
 * Fill e for the log at log (NULL: ls_ticket_env_log(NULL), the default
 * one; e->log says which): load sla_path, or when it is NULL the SLA
 * beside the log if there is one (LS_ECONFIG and friends from sla.h on a
 * bad file); open the zone; and read TICKET_LOG_NOW (RFC 3339, or a date
 * and HH:MM as ls_tlog_parse_time() reads it, in the zone, relative words
 * anchored at ls_clock_now()), which then pins the clock: it wins over
 * SOURCE_DATE_EPOCH.  A bad TICKET_LOG_NOW is LS_EUSAGE, "TICKET_LOG_NOW:
 * bad time ...".  0, or a status with err filled; free e with
 * ls_ticket_env_free() either way.
 */
int ls_ticket_env_open(struct ls_ticket_env *e, const char *log, const char *sla_path,
    struct ls_error *err);

/*
 * 0 when channel ch (NULL or empty: none) is one e's SLA file lists (its
 * channels key; without the key or the file, phone, email and chat): what
 * a writer (an event, an import row) may put in the log.  Else status with
 * err->msg naming ch and the channels there are.
 */
int ls_ticket_env_channel(const struct ls_ticket_env *e, const char *ch, int status,
    struct ls_error *err);

/* Free what e owns; e may then be opened again.  A zeroed e is a no-op. */
void ls_ticket_env_free(struct ls_ticket_env *e);

#endif
