/*
 * zone_int.h - what the two files of the time-zone module share, and
 * nothing outside them sees: the compiled zone.
 *
 *   zone.c          struct ls_tz (date.h's zones: opening by name, local
 *                   time both ways) and the lookups in a compiled zone
 *   zone_compile.c  compiling: POSIX TZ strings, TZif files, the rule's
 *                   changes tabulated for the years the tools see
 *
 * A struct ls_zone is written only while it is compiled, then only read.
 */
#ifndef LS_ZONE_INT_H
#define LS_ZONE_INT_H

#include <stddef.h>
#include <stdint.h>

#include "zone.h"

/*
 * The years for which a rule's changes are worked out once, when the zone
 * is built, so that lookups of the times the tools see are one binary
 * search; before and after, the rule is worked out per lookup.
 */
#define EXT_FROM_YEAR	1900
#define EXT_TO_YEAR	2101	/* exclusive */

/* Rule arithmetic stays on instants within this bound (about a million years). */
#define RULE_T_MAX	(INT64_C(1) << 45)

struct ls_zone {
	/* The file's transitions: from at[i], offset off[i] and flag dst[i]. */
	size_t n;
	int64_t *at;
	int32_t *off;
	unsigned char *dst;
	long off0;		/* before at[0] (RFC 8536: time type 0) */
	int dst0;
	/* From rule_from on, the rule holds; ext tabulates it for [ext_lo, ext_hi). */
	int has_rule;
	struct ls_zone_rule rule;
	int64_t rule_from;
	size_t next;
	int64_t *ext_at;
	int32_t *ext_off;
	unsigned char *ext_dst;
	int64_t ext_lo, ext_hi;
};

/* The span of t under rule r alone (zone.c): what the table of a zone's rule is made of. */
void ls_zone_rule_span(const struct ls_zone_rule *r, int64_t t, struct ls_zone_span *sp);

#endif
