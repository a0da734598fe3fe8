/*
 * fuzz_sla.c - libFuzzer target for SLA files: load any input, and when it
 * loads, run the business-time arithmetic over a few instants.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "sla.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ls_error err;
	struct ls_sla *s = ls_sla_load_mem("sla.yaml", (const char *)data, size, &err);
	int64_t t = 1795690980, f, r;	/* 2026-11-26T11:03:00Z */

	if (s == NULL)
		return 0;
	for (int p = 0; p < LS_PRIO_COUNT; p++) {
		ls_sla_targets(s, (enum ls_priority)p, &f, &r);
		if (f >= 0) {
			int64_t due = ls_sla_add(s, t, f);
			/* the business time up to the deadline is the target */
			if (due >= 0 && ls_sla_business(s, t, due) != f)
				abort();
		}
	}
	(void)ls_sla_business(s, t - 86400 * 40, t);
	ls_sla_free(s);
	return 0;
}
