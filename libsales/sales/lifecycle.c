/* lifecycle.c - the ticket status table of lifecycle.h. */
#include <string.h>

#include "lifecycle.h"

const char *const ls_tstatus_names[LS_TS_COUNT + 1] = {
	"new", "open", "pending", "solved", "closed", NULL
};
#define status_names ls_tstatus_names

static const char *const event_names[LS_EV_COUNT] = {
	"open", "note", "reply", "status", "assign", "close", "reopen", "priority"
};

/* allowed[from][to]: the table in lifecycle.h, and in ticket-log(1) */
static const unsigned char allowed[LS_TS_COUNT][LS_TS_COUNT] = {
	/*              new open pend solv clos */
	[LS_TS_NEW] =     { 0, 1, 1, 1, 1 },
	[LS_TS_OPEN] =    { 0, 0, 1, 1, 1 },
	[LS_TS_PENDING] = { 0, 1, 0, 1, 1 },
	[LS_TS_SOLVED] =  { 0, 1, 0, 0, 1 },
	[LS_TS_CLOSED] =  { 0, 1, 0, 0, 0 },
};

const char *
ls_tstatus_name(enum ls_tstatus s)
{
	return (unsigned)s < LS_TS_COUNT ? status_names[s] : NULL;
}

const char *
ls_tevent_name(enum ls_tevent e)
{
	return (unsigned)e < LS_EV_COUNT ? event_names[e] : NULL;
}

static int
lookup(const char *const *names, int count, const char *p, size_t n)
{
	/* the first byte first: read for every record of the log, strlen() on each name was 3% of list */
	for (int i = 0; i < count && n > 0; i++)
		if (names[i][0] == p[0] && strlen(names[i]) == n && memcmp(names[i], p, n) == 0)
			return i;
	return -1;
}

int
ls_tstatus_parse(const char *p, size_t n, enum ls_tstatus *s)
{
	int i = lookup(status_names, LS_TS_COUNT, p, n);

	if (i < 0)
		return -1;
	*s = (enum ls_tstatus)i;
	return 0;
}

int
ls_tevent_parse(const char *p, size_t n, enum ls_tevent *e)
{
	int i = lookup(event_names, LS_EV_COUNT, p, n);

	if (i < 0)
		return -1;
	*e = (enum ls_tevent)i;
	return 0;
}

int
ls_lifecycle_allowed(enum ls_tstatus from, enum ls_tstatus to)
{
	if ((unsigned)from >= LS_TS_COUNT || (unsigned)to >= LS_TS_COUNT)
		return 0;
	return allowed[from][to];
}

static int
refuse(const char *id, enum ls_tstatus from, enum ls_tstatus to, struct ls_error *err)
{
	if (from == to)
		return ls_error_set(err, LS_EDATA, NULL, 0, 0, "%s is %s already",
		    id, status_names[from]);
	return ls_error_set(err, LS_EDATA, NULL, 0, 0, "%s is %s: cannot move to %s",
	    id, status_names[from], status_names[to]);
}

int
ls_lifecycle_event(const char *id, enum ls_tevent ev, enum ls_tstatus from,
    enum ls_tstatus want, enum ls_tstatus *to, struct ls_error *err)
{
	if ((unsigned)from >= LS_TS_COUNT)
		return ls_error_set(err, LS_EUSAGE, NULL, 0, 0, "bad status");
	switch (ev) {
	case LS_EV_OPEN:
		*to = LS_TS_NEW;
		return 0;
	case LS_EV_NOTE:
		*to = from;
		return 0;
	case LS_EV_REPLY:
	case LS_EV_ASSIGN:
	case LS_EV_PRIORITY:
		if (from == LS_TS_CLOSED)
			return ls_error_set(err, LS_EDATA, NULL, 0, 0,
			    "%s is closed: cannot %s (reopen it first)", id,
			    ev == LS_EV_PRIORITY ? "change its priority" : event_names[ev]);
		/* a new priority is triage, not work on the ticket: a new ticket stays new */
		*to = from == LS_TS_NEW && ev != LS_EV_PRIORITY ? LS_TS_OPEN : from;
		return 0;
	case LS_EV_STATUS:
		if ((unsigned)want >= LS_TS_COUNT)
			return ls_error_set(err, LS_EUSAGE, NULL, 0, 0, "bad status");
		if (!allowed[from][want])
			return refuse(id, from, want, err);
		*to = want;
		return 0;
	case LS_EV_CLOSE:
		if (!allowed[from][LS_TS_CLOSED])
			return refuse(id, from, LS_TS_CLOSED, err);
		*to = LS_TS_CLOSED;
		return 0;
	case LS_EV_REOPEN:
		if (from != LS_TS_SOLVED && from != LS_TS_CLOSED)
			return ls_error_set(err, LS_EDATA, NULL, 0, 0,
			    "%s is %s: only a solved or closed ticket can be reopened",
			    id, status_names[from]);
		*to = LS_TS_OPEN;
		return 0;
	default:
		return ls_error_set(err, LS_EUSAGE, NULL, 0, 0, "bad event");
	}
}
