/*
 * lead_status.c - names of the lead statuses (lead_status.h).
 */
#include <string.h>

#include "lead_status.h"

static const char *const status_names[LS_LEAD_NSTATUS] = {
	"invalid", "duplicate", "rejected", "qualified", "callback", "unqualified"
};

const char *
ls_lead_status_name(enum ls_lead_status s)
{
	return (unsigned)s < LS_LEAD_NSTATUS ? status_names[s] : "?";
}

int
ls_lead_status_parse(const char *s, size_t n)
{
	for (int i = 0; i < LS_LEAD_NSTATUS; i++)
		if (strlen(status_names[i]) == n && memcmp(status_names[i], s, n) == 0)
			return i;
	return -1;
}
