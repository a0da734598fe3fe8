/*
 * lead_status.h - the statuses lead-qualify gives a lead, in the order of
 * precedence of libsales-formats(5), and their names as written in the
 * status column and taken by --only.  Static tables: any thread.
 */
#ifndef LS_LEAD_STATUS_H
#define LS_LEAD_STATUS_H

#include <stddef.h>

/* Statuses in order of precedence: the first that applies wins. */
enum ls_lead_status {
	LS_LEAD_INVALID,
	LS_LEAD_DUPLICATE,
	LS_LEAD_REJECTED,
	LS_LEAD_QUALIFIED,
	LS_LEAD_CALLBACK,
	LS_LEAD_UNQUALIFIED,
	LS_LEAD_NSTATUS
};

/* "invalid", "duplicate", ...; static strings ("?" for a value out of range). */
const char *ls_lead_status_name(enum ls_lead_status s);
/* The names in the enum's order, then NULL: for ls_cli_list_parse() (--only). */
extern const char *const ls_lead_status_names[LS_LEAD_NSTATUS + 1];

#endif
