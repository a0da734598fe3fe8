/*
 * lead_status.c - names of the lead statuses (lead_status.h).
 */
#include "lead_status.h"

const char *const ls_lead_status_names[LS_LEAD_NSTATUS + 1] = {
	"invalid", "duplicate", "rejected", "qualified", "callback", "unqualified", NULL
};

const char *
ls_lead_status_name(enum ls_lead_status s)
{
	return (unsigned)s < LS_LEAD_NSTATUS ? ls_lead_status_names[s] : "?";
}
