/*
 * fuzz_calendar.c - libFuzzer target for calendar files: load any input,
 * and when it loads, check the arithmetic against itself: the business time
 * up to ls_cal_add()'s deadline is what was added, and N working days
 * forward then back from a working day return to it.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "calendar.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const int64_t secs[] = { 1, 1800, 3600 * 4, 86400, 86400 * 30 };
	struct ls_error err;
	struct ls_cal *cal = ls_cal_load_mem("calendar.yaml", (const char *)data, size, &err);
	int64_t t = 1795690980;		/* 2026-11-26T11:03:00Z */
	int64_t day = 20418, there, back;	/* 2025-11-26 */

	if (cal == NULL)
		return 0;
	for (size_t i = 0; i < sizeof(secs) / sizeof(secs[0]); i++) {
		int64_t due = ls_cal_add(cal, t, secs[i]);

		if (due >= 0 && ls_cal_business(cal, t, due) != secs[i])
			abort();
	}
	for (int k = 0; k < 40; k++, day += 17)
		if (ls_cal_is_workday(cal, day) && ls_cal_add_days(cal, day, k, &there) == 0 &&
		    (ls_cal_add_days(cal, there, -k, &back) != 0 || back != day))
			abort();
	(void)ls_cal_business(cal, t - 86400 * 400, t);
	ls_cal_free(cal);
	return 0;
}
