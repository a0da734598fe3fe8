/* ticket_env.c - ticket-log's log, SLA, zone and clock; see ticket_env.h. */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "clock.h"
#include "ticket.h"
#include "ticket_env.h"
#include "util.h"

const char *
ls_ticket_env_log(const char *flag)
{
	const char *env;

	if (flag != NULL)
		return flag;
	return (env = getenv("TICKET_LOG")) != NULL && env[0] != '\0' ? env : "tickets.csv";
}

char *
ls_ticket_env_beside(const char *log, struct ls_error *err)
{
	const char *slash = strrchr(log, '/');
	size_t dir = slash ? (size_t)(slash - log) + 1 : 0;
	char *p = malloc(dir + sizeof("sla.yaml"));

	if (p == NULL) {
		ls_error_set(err, LS_ENOMEM, NULL, 0, 0, "out of memory");
		return NULL;
	}
	memcpy(p, log, dir);
	memcpy(p + dir, "sla.yaml", sizeof("sla.yaml"));
	return p;
}

int
ls_ticket_env_open(struct ls_ticket_env *e, const char *log, const char *sla_path,
    struct ls_error *err)
{
	char *beside = NULL;
	const char *env;
	struct stat st;
	int64_t t = 0;

	memset(e, 0, sizeof(*e));
	e->log = log = ls_ticket_env_log(log);
	if (sla_path == NULL) {
		if ((beside = ls_ticket_env_beside(log, err)) == NULL)
			return LS_ENOMEM;
		/* an SLA is optional: only one that is there is read */
		if (stat(beside, &st) == 0)
			sla_path = beside;
	}
	if (sla_path != NULL && (e->sla = ls_sla_load(sla_path, err)) == NULL) {
		free(beside);
		return err->status;
	}
	free(beside);
	if (e->sla != NULL)
		e->tz = ls_sla_tz(e->sla);
	else if ((e->tz = e->own_tz = ls_tz_open(NULL, err)) == NULL)
		return err->status;
	/* a fixed clock for tests and for replaying a day's commands, in the log's own words */
	if ((env = getenv("TICKET_LOG_NOW")) != NULL && env[0] != '\0') {
		struct ls_error why = { 0 };

		if (ls_tlog_parse_time(env, e->tz, ls_clock_now(), &t, &why) != 0)
			return ls_error_set(err, LS_EUSAGE, NULL, 0, 0, "TICKET_LOG_NOW: %s", why.msg);
		ls_clock_set(t);
	}
	e->now = ls_clock_now();
	return 0;
}

int
ls_ticket_env_channel(const struct ls_ticket_env *e, const char *ch, int status,
    struct ls_error *err)
{
	char list[LS_CHANNEL_MAX * 8];

	if (ch == NULL || ls_sla_channel(e->sla, ch, strlen(ch)))
		return 0;
	ls_sla_channel_list(e->sla, list, sizeof(list));
	return ls_error_set(err, status, NULL, 0, 0, "unknown channel '%.64s' (expected %s%s)", ch, list,
	    ls_sla_channels_own(e->sla) ? ": the SLA file's channels" :
	    "; channels: in the SLA file lists others");
}

void
ls_ticket_env_free(struct ls_ticket_env *e)
{
	ls_sla_free(e->sla);
	ls_tz_free(e->own_tz);
	e->sla = NULL;
	e->tz = e->own_tz = NULL;
}
