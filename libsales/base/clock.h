/*
 * clock.h - the one clock of the library and the five tools.
 *
 * "Now" is SOURCE_DATE_EPOCH (seconds since 1970, UTC) when the environment
 * sets it: tests, reproducible documents and replays of a day all pin the
 * clock the same way, whatever the tool.  Otherwise it is time(2).  A
 * command may pin it itself with ls_clock_set() (ticket-log's
 * TICKET_LOG_NOW, which wins over SOURCE_DATE_EPOCH); the library reads it
 * only through ls_clock_now().
 *
 * Process-wide state: set it on the main thread before any other thread
 * starts (the commands do it while parsing options).
 */
#ifndef LS_CLOCK_H
#define LS_CLOCK_H

#include <stdint.h>

#include "error.h"

/*
 * Read SOURCE_DATE_EPOCH.  0, or LS_EUSAGE with err filled ("SOURCE_DATE_EPOCH:
 * expected whole seconds since 1970, got 'x'") when it is set, not empty, and not a
 * non-negative whole number: a mistyped pin must not fall back to the real
 * clock unseen.  Called by ls_clock_now() on first use; commands call it
 * early to report the error.
 */
int ls_clock_init(struct ls_error *err);

/* Now, in seconds since 1970 (UTC): the pinned instant, or time(2). */
int64_t ls_clock_now(void);

/* Pin the clock at t (seconds since 1970) for the rest of the run. */
void ls_clock_set(int64_t t);

/* Whether the clock is pinned (SOURCE_DATE_EPOCH or ls_clock_set()). */
int ls_clock_pinned(void);

#endif
