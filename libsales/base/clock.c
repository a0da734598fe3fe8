/* clock.c - the one clock (clock.h). */
#include <errno.h>
#include <stdlib.h>
#include <time.h>

#include "clock.h"

static int inited;
static int pinned;
static int64_t pin;

int
ls_clock_init(struct ls_error *err)
{
	const char *s = getenv("SOURCE_DATE_EPOCH");
	char *end;
	long long v;

	inited = 1;
	if (pinned || s == NULL || *s == '\0')
		return 0;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (*end != '\0' || v < 0 || errno != 0 || !(*s >= '0' && *s <= '9'))
		return ls_error_set(err, LS_EUSAGE, NULL, 0, 0,
		    "SOURCE_DATE_EPOCH: expected whole seconds since 1970, got '%s'", s);
	pinned = 1;
	pin = v;
	return 0;
}

int64_t
ls_clock_now(void)
{
	if (!inited)
		(void)ls_clock_init(NULL);
	return pinned ? pin : (int64_t)time(NULL);
}

void
ls_clock_set(int64_t t)
{
	inited = 1;
	pinned = 1;
	pin = t;
}

int
ls_clock_pinned(void)
{
	if (!inited)
		(void)ls_clock_init(NULL);
	return pinned;
}
