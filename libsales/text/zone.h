/*
 * zone.h - time zone rules compiled for lookups: TZif files (RFC 8536,
 * versions 1 to 4) and POSIX TZ strings ("CET-1CEST,M3.5.0,M10.5.0/3",
 * "<+03>-3", "MSK-3").  struct ls_tz of date.h is built on these.
 * Compiling is zone_compile.c's, lookups and struct ls_tz zone.c's.
 *
 * A struct ls_zone is built once and only read after that: every lookup
 * is a pure function of it (a binary search over the transitions, or the
 * TZ string's rule worked out for the year), so any number of threads may
 * share one zone without locks, and no process-wide state (TZ, tzset) is
 * read or changed.
 *
 * Instants are int64_t seconds since 1970 without leap seconds; a TZif
 * file with leap second records is refused rather than read wrongly.
 * Errors fill err->msg only (err may be NULL).
 */
#ifndef LS_ZONE_H
#define LS_ZONE_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"

/*
 * The largest UT offset taken, either way, in seconds: RFC 8536's range
 * (-89999..93599) rounded out.  Local-to-UTC searches look this far.
 */
#define LS_ZONE_MAXOFF	93599

/* When a TZ string's DST starts or ends: a day of the year, then a local time of day. */
struct ls_zone_when {
	char kind;		/* 'J' (Jn: 1..365, 29 February never counted),
				   'n' (0..365, counted) or 'M' (Mm.w.d) */
	int day;		/* J, n: the day; M: the month, 1..12 */
	int week;		/* M: 1..5, 5 meaning the last in the month */
	int wday;		/* M: 0 Sunday .. 6 Saturday */
	long secs;		/* local time of day, -167h..167h (RFC 8536 version 3) */
};

/* A POSIX TZ string, parsed.  Offsets are seconds east of UTC (the string counts west). */
struct ls_zone_rule {
	long std_off;
	long dst_off;		/* meaningful when has_dst */
	int has_dst;
	struct ls_zone_when start;	/* DST starts, in standard local time */
	struct ls_zone_when end;	/* DST ends, in DST local time */
};

/* The stretch [start, end) around an instant over which offset and DST flag hold. */
struct ls_zone_span {
	int64_t start;		/* INT64_MIN when open */
	int64_t end;		/* INT64_MAX when open */
	long off;		/* seconds east of UTC */
	int isdst;
};

struct ls_zone;

/*
 * Parse the n bytes at s as a POSIX TZ string: std offset [dst [offset]
 * [,start[/time],end[/time]]], names alphabetic or quoted in <>, with
 * RFC 8536's version 3 times (-167..167 hours).  A DST name without a rule
 * takes the US rule, M3.2.0,M11.1.0.  0, or LS_EDATA with the reason.
 */
int ls_zone_rule_parse(const char *s, size_t n, struct ls_zone_rule *r,
    struct ls_error *err);

/*
 * Compile the n bytes of a TZif file at data (the caller keeps them).
 * NULL on error: LS_EDATA with what is wrong (bad magic, counts that do
 * not fit the size, transitions out of order, a bad footer, leap seconds),
 * or LS_ENOMEM.  The caller frees the zone with ls_zone_free().
 */
struct ls_zone *ls_zone_tzif(const void *data, size_t n, struct ls_error *err);

/* Compile a zone that is a POSIX TZ string alone (TZ=MSK-3).  As above. */
struct ls_zone *ls_zone_posix(const char *s, size_t n, struct ls_error *err);

/*
 * Read the TZif file at path (at most 1 MiB) and compile it.  NULL on
 * error: LS_ECONFIG when there is no such file (ENOENT, ENOTDIR), LS_EIO
 * when it cannot be opened or read (err's file the path, its message with
 * strerror), else as ls_zone_tzif().
 */
struct ls_zone *ls_zone_load(const char *path, struct ls_error *err);

/* ls_zone_free(NULL) is a no-op. */
void ls_zone_free(struct ls_zone *z);

/*
 * The span holding t.  Pure: reads z only.  A span may end where the
 * offset does not change (where the file's table hands over to its rule);
 * callers must not take every span end for a transition.
 */
void ls_zone_span(const struct ls_zone *z, int64_t t, struct ls_zone_span *sp);

/*
 * For date.c's timestamps, the two steps of date.h's struct ls_tz
 * conversions (zone.c); tz NULL is UTC.
 *
 * ls_tz_at(): the offset (seconds east) and DST flag at instant t.
 * ls_tz_utc(): the instant of local seconds L (seconds since 1970 as if
 * the zone were UTC); a time a change skips is moved forward by the gap,
 * a repeated one is the earlier.  Both 0, or LS_EDATA outside date.h's
 * range.
 */
struct ls_tz;
int ls_tz_at(const struct ls_tz *tz, int64_t t, long *off, int *isdst);
int ls_tz_utc(const struct ls_tz *tz, int64_t L, int64_t *t);

/*
 * The local day of instant t as a day number (days since 1970-01-01, as
 * ls_date_to_days() counts them), and the instants [*lo, *hi) around t that
 * are on that day at the same offset: a caller may keep the answer for
 * them (calendar.c does, for the SLA clocks' many instants on one day).
 * 0, or LS_EDATA outside date.h's range.
 */
int ls_tz_day(const struct ls_tz *tz, int64_t t, int64_t *dn, int64_t *lo, int64_t *hi);

#endif
