/*
 * lifecycle.h - a ticket's statuses and the moves between them, as one
 * table (ticket-log(1) prints the same table).
 *
 *   from \ to   new  open  pending  solved  closed
 *   new          -    yes    yes      yes     yes
 *   open         -     -     yes      yes     yes
 *   pending      -    yes     -       yes     yes
 *   solved       -    yes     -        -      yes
 *   closed       -    yes     -        -       -
 *
 * Nothing goes back to new; solved and closed leave only to open (a
 * reopen); a move to the status a ticket has already is refused too.
 * Commands other than "status" move a ticket as ls_lifecycle_event() says.
 */
#ifndef LS_LIFECYCLE_H
#define LS_LIFECYCLE_H

#include <stddef.h>

#include "error.h"

enum ls_tstatus {
	LS_TS_NEW,
	LS_TS_OPEN,
	LS_TS_PENDING,
	LS_TS_SOLVED,
	LS_TS_CLOSED,
	LS_TS_COUNT
};

/* What happened to a ticket: the "event" column of the log. */
enum ls_tevent {
	LS_EV_OPEN,
	LS_EV_NOTE,
	LS_EV_REPLY,
	LS_EV_STATUS,
	LS_EV_ASSIGN,
	LS_EV_CLOSE,
	LS_EV_REOPEN,
	LS_EV_PRIORITY,		/* the row's priority is the new one (ticket-log priority) */
	LS_EV_COUNT
};

/* Names as written in the log ("new", "open", ...); NULL for a bad value. */
const char *ls_tstatus_name(enum ls_tstatus s);
/* The status names in enum order, NULL-terminated (for list options: cli_list.h). */
extern const char *const ls_tstatus_names[LS_TS_COUNT + 1];
const char *ls_tevent_name(enum ls_tevent e);

/* Parse n bytes at p (exact, lower case).  0, or -1 when p names none. */
int ls_tstatus_parse(const char *p, size_t n, enum ls_tstatus *s);
int ls_tevent_parse(const char *p, size_t n, enum ls_tevent *e);

/* 1 when the table allows the move from -> to, else 0. */
int ls_lifecycle_allowed(enum ls_tstatus from, enum ls_tstatus to);

/*
 * The status a ticket in status from has after event ev; for LS_EV_STATUS,
 * want is the status asked for (ignored otherwise).  open gives new;
 * note and priority keep the status; reply and assign move new to open and
 * keep the others (reply, assign and priority are refused on a closed
 * ticket: nothing is owed on it any more); close is a move
 * to closed, reopen one to open from solved or closed only.  Returns 0
 * with *to set, or LS_EDATA with err->msg naming the current and the
 * requested status ("T-000001 is closed: cannot move to pending").  id is
 * used in the message only.
 */
int ls_lifecycle_event(const char *id, enum ls_tevent ev, enum ls_tstatus from,
    enum ls_tstatus want, enum ls_tstatus *to, struct ls_error *err);

#endif
