/* calendar.c - the working calendar of calendar.h: its YAML and its business-time arithmetic. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "calendar.h"
#include "util.h"
#include "zone.h"

#define MAX_DAYS	36600	/* how far a search for business time looks: 100 years */
#define MAX_RANGE	3660	/* days in one date range */
#define CACHE_SIZE	64

const char *const ls_cal_keys[] = { "calendar", "timezone", "hours", "business_hours", "lunch",
	"holidays", "workdays", "shortened", "shorten_by", "shorten_before_holidays", NULL };

/* One local day as business time: up to two spans (lunch splits the day). */
struct day {
	int64_t day;		/* days since 1970-01-01; INT64_MIN: empty slot */
	int n;			/* spans: 0 on a day off */
	int64_t start[2], end[2];
};

struct ls_cal {
	struct ls_tz *tz;
	int alltime;			/* no hours: every second counts */
	int from[7], to[7];		/* per tm weekday, seconds after midnight; from == to: off */
	int def_from, def_to;		/* a worked weekend day's: the days/from/to form's; equal: none */
	int lunch_from, lunch_to;	/* equal: no lunch */
	int shorten;			/* seconds a shortened day ends earlier */
	int before_holidays;		/* shorten every working day before a holiday */
	int64_t *holidays, *workdays, *shortened;	/* sorted day numbers */
	size_t nholidays, nworkdays, nshortened;
	struct day cache[CACHE_SIZE];
	/*
	 * Business seconds of whole days, summed: cum[i] is that of the days
	 * cum_lo .. cum_lo + i - 1, so that a clock open for months (a ticket
	 * list's oldest tickets, read as of now) costs two lookups, not a walk
	 * over its days.  Grown on demand.
	 */
	int64_t cum_lo;
	int64_t *cum;
	size_t ncum;			/* entries in cum: days covered + 1 */
	/*
	 * day_of()'s last answer: the instants [day_lo, day_hi) are on day
	 * day_dn.  A ticket list's clocks start and stop on few days: most
	 * instants asked are on the day asked before (a zone lookup each was a
	 * tenth of list --overdue).  Empty while day_lo == day_hi.
	 */
	int64_t day_lo, day_hi, day_dn;
};

static int
cmp_day(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

static int
has_day(const int64_t *v, size_t n, int64_t d)
{
	return n > 0 && bsearch(&d, v, n, sizeof(*v), cmp_day) != NULL;
}

static int
node_day(const struct ls_config *c, const struct ls_node *n, const char *p, size_t len,
    int64_t *day, struct ls_error *err)
{
	struct ls_date d;

	if (ls_date_parse(p, len, &d, NULL) != 0)
		return ls_node_error(c, n, err, "expected a date YYYY-MM-DD or a range A..B, got '%s'",
		    n->value);
	*day = ls_date_to_days(&d);
	return 0;
}

/* A list of dates and A..B ranges, expanded and sorted. */
static int
parse_dates(const struct ls_config *c, const struct ls_node *n, int64_t **out, size_t *nout,
    struct ls_error *err)
{
	size_t cap = 0, cnt = 0;
	int64_t *v = NULL;

	if (ls_node_expect(c, n, LS_NODE_SEQ, err))
		return LS_ECONFIG;
	for (size_t i = 0; i < n->len; i++) {
		const struct ls_node *one = n->items[i];
		const char *s, *dots;
		int64_t a = 0, b = 0;

		if (ls_node_str(c, one, &s, err))
			goto fail;
		if ((dots = strstr(s, "..")) == NULL) {
			if (node_day(c, one, s, strlen(s), &a, err))
				goto fail;
			b = a;
		} else if (node_day(c, one, s, (size_t)(dots - s), &a, err) ||
		    node_day(c, one, dots + 2, strlen(dots + 2), &b, err))
			goto fail;
		if (b < a || b - a >= MAX_RANGE) {
			ls_node_error(c, one, err, "date range '%s' %s", s,
			    b < a ? "ends before it starts" : "is longer than 10 years");
			goto fail;
		}
		if (ls_grow(&v, &cap, cnt + (size_t)(b - a) + 1, sizeof(*v)) != 0) {
			ls_error_set(err, LS_ENOMEM, NULL, 0, 0, "out of memory");
			goto fail;
		}
		for (int64_t d = a; d <= b; d++)
			v[cnt++] = d;
	}
	if (cnt > 1)
		qsort(v, cnt, sizeof(*v), cmp_day);
	free(*out);
	*out = v;
	*nout = cnt;
	return 0;
fail:
	free(v);
	return LS_ECONFIG;
}

static int
parse_clock(const struct ls_config *c, const struct ls_node *n, int *secs, struct ls_error *err)
{
	const char *s;

	if (ls_node_str(c, n, &s, err))
		return LS_ECONFIG;
	if (ls_clock_parse(s, strlen(s), secs, NULL) != 0)
		return ls_node_error(c, n, err, "expected a time of day HH:MM, got '%s'", s);
	return 0;
}

/* "09:00-18:00" into *from, *to (from < to). */
static int
parse_span(const struct ls_config *c, const struct ls_node *n, int *from, int *to,
    struct ls_error *err)
{
	const char *s, *dash;

	if (ls_node_str(c, n, &s, err))
		return LS_ECONFIG;
	if ((dash = strchr(s, '-')) == NULL ||
	    ls_clock_parse(s, (size_t)(dash - s), from, NULL) != 0 ||
	    ls_clock_parse(dash + 1, strlen(dash + 1), to, NULL) != 0)
		return ls_node_error(c, n, err, "expected hours HH:MM-HH:MM, got '%s'", s);
	if (*to <= *from)
		return ls_node_error(c, n, err, "hours '%s' end before they start", s);
	return 0;
}

/* ticket-log's first form: {days: [mon, ...], from: "09:00", to: "18:00"}. */
static int
parse_hours_days(struct ls_cal *cal, const struct ls_config *c, const struct ls_node *n,
    struct ls_error *err)
{
	static const char *const keys[] = { "days", "from", "to", NULL };
	const struct ls_node *v;
	unsigned days = 0x7f;
	int from = 0, to = 86400;

	if (ls_node_check_keys(c, n, keys, err))
		return LS_ECONFIG;
	if ((v = ls_node_get(n, "days")) != NULL) {
		if (ls_node_expect(c, v, LS_NODE_SEQ, err))
			return LS_ECONFIG;
		days = 0;
		for (size_t i = 0; i < v->len; i++) {
			const char *name;
			int wd;

			if (ls_node_str(c, v->items[i], &name, err))
				return LS_ECONFIG;
			if (ls_weekday_parse(name, strlen(name), &wd, NULL) != 0)
				return ls_node_error(c, v->items[i], err,
				    "expected a weekday (mon .. sun), got '%s'", name);
			days |= 1u << wd;
		}
	}
	if (((v = ls_node_get(n, "from")) && parse_clock(c, v, &from, err)) ||
	    ((v = ls_node_get(n, "to")) && parse_clock(c, v, &to, err)))
		return LS_ECONFIG;
	if (to <= from)
		return ls_node_error(c, n, err, "business hours end before they start");
	for (int wd = 0; wd < 7; wd++)
		if (days >> wd & 1u) {
			cal->from[wd] = from;
			cal->to[wd] = to;
		}
	cal->def_from = from;
	cal->def_to = to;
	return 0;
}

/* "mon", "monday" or "mon-thu" (Monday first, no wrapping) into a bit per tm weekday. */
static int
parse_weekdays(const char *s, unsigned *days)
{
	const char *dash = strchr(s, '-');
	int a, b;

	if (dash == NULL) {
		if (ls_weekday_parse(s, strlen(s), &a, NULL) != 0)
			return -1;
		*days = 1u << a;
		return 0;
	}
	if (ls_weekday_parse(s, (size_t)(dash - s), &a, NULL) != 0 ||
	    ls_weekday_parse(dash + 1, strlen(dash + 1), &b, NULL) != 0)
		return -1;
	a = (a + 6) % 7;	/* Monday first */
	b = (b + 6) % 7;
	if (b < a)
		return -1;
	*days = 0;
	for (int m = a; m <= b; m++)
		*days |= 1u << ((m + 1) % 7);
	return 0;
}

/* The per-weekday form: {mon-thu: "09:00-18:00", fri: "09:00-16:45"}. */
static int
parse_hours_week(struct ls_cal *cal, const struct ls_config *c, const struct ls_node *n,
    struct ls_error *err)
{
	unsigned seen = 0;

	for (size_t i = 0; i < n->len; i++) {
		unsigned days;
		int from, to;

		if (parse_weekdays(n->keys[i]->value, &days) != 0)
			return ls_node_error(c, n->keys[i], err, "expected weekdays such as mon, "
			    "mon-thu or days/from/to, got '%s'", n->keys[i]->value);
		if (days & seen)
			return ls_node_error(c, n->keys[i], err,
			    "'%s' names a weekday given hours before", n->keys[i]->value);
		seen |= days;
		if (parse_span(c, n->items[i], &from, &to, err))
			return LS_ECONFIG;
		for (int wd = 0; wd < 7; wd++)
			if (days >> wd & 1u) {
				cal->from[wd] = from;
				cal->to[wd] = to;
			}
	}
	return 0;
}

static int
parse_hours(struct ls_cal *cal, const struct ls_config *c, const struct ls_node *n,
    struct ls_error *err)
{
	if (ls_node_expect(c, n, LS_NODE_MAP, err))
		return LS_ECONFIG;
	cal->alltime = 0;
	if (ls_node_get(n, "days") || ls_node_get(n, "from") || ls_node_get(n, "to"))
		return parse_hours_days(cal, c, n, err);
	return parse_hours_week(cal, c, n, err);
}

static int
parse_shorten(struct ls_cal *cal, const struct ls_config *c, const struct ls_node *n,
    struct ls_error *err)
{
	const char *s;
	int64_t secs;

	if (ls_node_str(c, n, &s, err))
		return LS_ECONFIG;
	if (ls_duration_parse(s, strlen(s), &secs, NULL) != 0 || secs <= 0 || secs >= 86400)
		return ls_node_error(c, n, err, "expected a duration under a day such as 1h, got '%s'", s);
	cal->shorten = (int)secs;
	return 0;
}

static int
build(struct ls_cal *cal, const struct ls_config *c, const struct ls_node *map,
    struct ls_error *err)
{
	const struct ls_node *v, *h = ls_node_get(map, "hours"), *bh = ls_node_get(map, "business_hours");
	const char *zone = NULL;

	if ((v = ls_node_get(map, "timezone")) && ls_node_str(c, v, &zone, err))
		return LS_ECONFIG;
	if ((cal->tz = ls_tz_open(zone, err)) == NULL) {
		/* memory that ran short, a zone file unread, are not a zone the config got wrong */
		if (err != NULL && (err->status == LS_ENOMEM || err->status == LS_EIO))
			return (int)err->status;
		return v ? ls_node_error(c, v, err, "unknown time zone '%s'", zone) : LS_ECONFIG;
	}
	if (h && bh)
		return ls_node_error(c, bh, err, "hours and business_hours both given: keep one");
	if ((h || (h = bh)) && parse_hours(cal, c, h, err))
		return LS_ECONFIG;
	if ((v = ls_node_get(map, "lunch")) != NULL) {
		if (parse_span(c, v, &cal->lunch_from, &cal->lunch_to, err))
			return LS_ECONFIG;
		if (cal->alltime)
			return ls_node_error(c, v, err, "lunch needs working hours (hours:)");
	}
	if (((v = ls_node_get(map, "holidays")) &&
	    parse_dates(c, v, &cal->holidays, &cal->nholidays, err)) ||
	    ((v = ls_node_get(map, "workdays")) &&
	    parse_dates(c, v, &cal->workdays, &cal->nworkdays, err)) ||
	    ((v = ls_node_get(map, "shortened")) &&
	    parse_dates(c, v, &cal->shortened, &cal->nshortened, err)) ||
	    ((v = ls_node_get(map, "shorten_by")) && parse_shorten(cal, c, v, err)) ||
	    ((v = ls_node_get(map, "shorten_before_holidays")) &&
	    ls_node_bool(c, v, &cal->before_holidays, err)))
		return LS_ECONFIG;
	if (!cal->alltime && cal->nworkdays == 0) {
		int any = 0;

		for (int wd = 0; wd < 7; wd++)
			any |= cal->to[wd] > cal->from[wd];
		if (!any)
			return ls_node_error(c, h, err, "%s lists no days: no clock could ever run",
			    h == bh ? "business_hours" : "hours");
	}
	return 0;
}

static struct ls_cal *
cal_new(struct ls_error *err)
{
	struct ls_cal *cal = calloc(1, sizeof(*cal));

	if (cal == NULL) {
		ls_error_set(err, LS_ENOMEM, NULL, 0, 0, "out of memory");
		return NULL;
	}
	cal->alltime = 1;
	cal->shorten = 3600;
	for (int i = 0; i < CACHE_SIZE; i++)
		cal->cache[i].day = INT64_MIN;
	return cal;
}

static struct ls_cal *
from_map(const struct ls_config *c, const struct ls_node *map, struct ls_error *err)
{
	struct ls_cal *cal;

	if ((cal = cal_new(err)) == NULL)
		return NULL;
	if (build(cal, c, map, err) != 0) {
		ls_cal_free(cal);
		return NULL;
	}
	return cal;
}

static struct ls_cal *
from_file(struct ls_config *c, struct ls_error *err)
{
	const struct ls_node *root = ls_config_root(c);
	struct ls_cal *cal = NULL;

	if (ls_node_expect(c, root, LS_NODE_MAP, err) == 0 &&
	    ls_node_check_keys(c, root, ls_cal_keys + 1, err) == 0)	/* no "calendar" in a calendar */
		cal = from_map(c, root, err);
	ls_config_free(c);
	return cal;
}

struct ls_cal *
ls_cal_load(const char *path, struct ls_error *err)
{
	struct ls_config *c = ls_config_load(path, err);

	return c ? from_file(c, err) : NULL;
}

struct ls_cal *
ls_cal_load_mem(const char *name, const char *buf, size_t len, struct ls_error *err)
{
	struct ls_config *c = ls_config_load_mem(name, buf, len, err);

	return c ? from_file(c, err) : NULL;
}

struct ls_cal *
ls_cal_config(const struct ls_config *c, const struct ls_node *map, struct ls_error *err)
{
	const struct ls_node *v = ls_node_get(map, "calendar");

	if (v == NULL)
		return from_map(c, map, err);
	for (const char *const *k = ls_cal_keys + 1; *k; k++)
		if (ls_node_get(map, *k) != NULL) {
			ls_node_error(c, ls_node_get(map, *k), err,
			    "'%s' beside calendar: the calendar file holds it", *k);
			return NULL;
		}
	return ls_cal_config_file(c, v, err);
}

struct ls_cal *
ls_cal_config_file(const struct ls_config *c, const struct ls_node *v, struct ls_error *err)
{
	const char *name, *file, *slash;
	struct ls_cal *cal;
	char *path;

	if (ls_node_str(c, v, &name, err))
		return NULL;
	if (name[0] == '\0') {
		ls_node_error(c, v, err, "calendar: expected a file name");
		return NULL;
	}
	/* relative to the config that names it, as a user reading that file expects */
	file = ls_config_file(c);
	slash = strrchr(file, '/');
	if (name[0] == '/' || slash == NULL)
		path = strdup(name);
	else if ((path = malloc((size_t)(slash - file) + strlen(name) + 2)) != NULL)
		sprintf(path, "%.*s/%s", (int)(slash - file), file, name);
	if (path == NULL) {
		ls_error_set(err, LS_ENOMEM, NULL, 0, 0, "out of memory");
		return NULL;
	}
	cal = ls_cal_load(path, err);
	free(path);
	return cal;
}

void
ls_cal_free(struct ls_cal *cal)
{
	if (cal == NULL)
		return;
	ls_tz_free(cal->tz);
	free(cal->holidays);
	free(cal->workdays);
	free(cal->shortened);
	free(cal->cum);
	free(cal);
}

struct ls_tz *
ls_cal_tz(const struct ls_cal *cal)
{
	return cal->tz;
}

int
ls_cal_has_hours(const struct ls_cal *cal)
{
	return !cal->alltime;
}

/* Seconds of the local span [from, to) less lunch. */
static int64_t
net_length(const struct ls_cal *cal, int from, int to)
{
	int lo = cal->lunch_from > from ? cal->lunch_from : from;
	int hi = cal->lunch_to < to ? cal->lunch_to : to;

	return to - from - (hi > lo ? hi - lo : 0);
}

int64_t
ls_cal_day_length(const struct ls_cal *cal)
{
	int64_t best = 0;

	if (cal->alltime)
		return 86400;
	if (cal->def_to > cal->def_from)
		best = net_length(cal, cal->def_from, cal->def_to);
	for (int wd = 0; wd < 7; wd++)
		if (cal->to[wd] > cal->from[wd] && net_length(cal, cal->from[wd], cal->to[wd]) > best)
			best = net_length(cal, cal->from[wd], cal->to[wd]);
	return best;
}

static int
weekday_of(int64_t dn)
{
	return (int)(((dn % 7) + 11) % 7);	/* 1970-01-01 was a Thursday */
}

static int
is_workday(const struct ls_cal *cal, int64_t dn)
{
	int wd = weekday_of(dn);

	if (cal->alltime)
		return 1;
	if (has_day(cal->workdays, cal->nworkdays, dn))
		return 1;
	return cal->to[wd] > cal->from[wd] && !has_day(cal->holidays, cal->nholidays, dn);
}

int
ls_cal_is_workday(struct ls_cal *cal, int64_t dn)
{
	return is_workday(cal, dn);
}

int
ls_cal_add_days(struct ls_cal *cal, int64_t dn, int64_t n, int64_t *out)
{
	int step = n < 0 ? -1 : 1;

	for (int64_t k = 0; n != 0; k++) {
		if (k >= MAX_DAYS)
			return LS_EDATA;
		dn += step;
		if (is_workday(cal, dn))
			n -= step;
	}
	*out = dn;
	return 0;
}

int
ls_cal_add_date(struct ls_cal *cal, const struct ls_date *d, int64_t n, struct ls_date *out)
{
	int64_t dn;

	if (ls_cal_add_days(cal, ls_date_to_days(d), n, &dn) != 0)
		return LS_EDATA;
	return ls_date_from_days(dn, out) != 0 ? LS_EDATA : 0;
}

/* The instant of local time secs after midnight of date d. */
static int
local_instant(const struct ls_cal *cal, const struct ls_date *d, int secs, int64_t *t)
{
	struct tm tm;

	memset(&tm, 0, sizeof(tm));
	tm.tm_year = d->year - 1900;
	tm.tm_mon = d->month - 1;
	tm.tm_mday = d->day;
	tm.tm_sec = secs;	/* 24:00 carries to the next midnight */
	return ls_tz_mktime(cal->tz, &tm, t);
}

/*
 * The local day's hours.  A transferred working day on a weekday without
 * hours works the days/from/to form's hours, or in the per-weekday form
 * those of the first weekday that has some, Monday on: a decree's working
 * Saturday stands in for a weekday.
 */
static void
day_hours(const struct ls_cal *cal, int64_t dn, int *from, int *to)
{
	int wd = weekday_of(dn);

	if (cal->to[wd] <= cal->from[wd] && cal->def_to > cal->def_from) {
		*from = cal->def_from;
		*to = cal->def_to;
	} else {
		for (int k = 0; cal->to[wd] <= cal->from[wd] && k < 7; k++)
			wd = (k + 1) % 7;
		*from = cal->from[wd];
		*to = cal->to[wd];
	}
	if (has_day(cal->shortened, cal->nshortened, dn) ||
	    (cal->before_holidays && has_day(cal->holidays, cal->nholidays, dn + 1)))
		*to = *to - cal->shorten > *from ? *to - cal->shorten : *from;
}

/*
 * Day number dn as business time.  The instants come from the zone, so a
 * day with a DST change is as long as the clock says (a day around the
 * clock lasts 23 or 25 hours then).  A small cache keeps ticket lists,
 * whose clocks mostly run over the same few days, off the zone code.
 */
static int
get_day(struct ls_cal *cal, int64_t dn, struct day **out)
{
	struct day *c = &cal->cache[(uint64_t)dn % CACHE_SIZE];
	struct ls_date d;
	int span[2][2], n = 0, from, to;

	if (c->day == dn) {
		*out = c;
		return 0;
	}
	if (ls_date_from_days(dn, &d) != 0)
		return -1;
	if (cal->alltime) {
		span[n][0] = 0;
		span[n++][1] = 86400;
	} else if (is_workday(cal, dn)) {
		day_hours(cal, dn, &from, &to);
		if (cal->lunch_to > from && cal->lunch_from < to && cal->lunch_to > cal->lunch_from) {
			if (cal->lunch_from > from) {
				span[n][0] = from;
				span[n++][1] = cal->lunch_from;
			}
			if (cal->lunch_to < to) {
				span[n][0] = cal->lunch_to;
				span[n++][1] = to;
			}
		} else if (to > from) {
			span[n][0] = from;
			span[n++][1] = to;
		}
	}
	for (int i = 0; i < n; i++)
		if (local_instant(cal, &d, span[i][0], &c->start[i]) != 0 ||
		    local_instant(cal, &d, span[i][1], &c->end[i]) != 0)
			return -1;
	c->n = n;
	c->day = dn;
	*out = c;
	return 0;
}

static int
day_of(struct ls_cal *cal, int64_t t, int64_t *dn)
{
	if (t < cal->day_lo || t >= cal->day_hi) {
		int64_t lo, hi, d;

		if (ls_tz_day(cal->tz, t, &d, &lo, &hi) != 0)
			return -1;
		cal->day_lo = lo;
		cal->day_hi = hi;
		cal->day_dn = d;
	}
	*dn = cal->day_dn;
	return 0;
}

static int64_t
overlap(const struct day *d, int64_t a, int64_t b)
{
	int64_t sum = 0;

	for (int i = 0; i < d->n; i++) {
		int64_t lo = d->start[i] > a ? d->start[i] : a;
		int64_t hi = d->end[i] < b ? d->end[i] : b;

		if (hi > lo)
			sum += hi - lo;
	}
	return sum;
}

/*
 * Make cum cover the days lo .. hi - 1.  A table grows to the union of what
 * it covered and what is asked, with room on both sides, so that a list's
 * clocks, which start on scattered days but mostly end now, rebuild it a
 * few times at most.  -1 (the caller walks the days) when out of memory or
 * the zone fails.
 */
static int
cover(struct ls_cal *cal, int64_t lo, int64_t hi)
{
	int64_t nlo, nhi, *v;
	size_t n;

	if (cal->cum && lo >= cal->cum_lo && hi <= cal->cum_lo + (int64_t)cal->ncum - 1)
		return 0;
	nlo = lo, nhi = hi;
	if (cal->cum) {
		nlo = nlo < cal->cum_lo ? nlo : cal->cum_lo;
		nhi = nhi > cal->cum_lo + (int64_t)cal->ncum - 1 ? nhi :
		    cal->cum_lo + (int64_t)cal->ncum - 1;
	}
	nlo -= (nhi - nlo) / 2 + 32;
	nhi += (nhi - nlo) / 4 + 32;
	n = (size_t)(nhi - nlo) + 1;
	if ((v = malloc(n * sizeof(*v))) == NULL)
		return -1;
	v[0] = 0;
	for (size_t i = 1; i < n; i++) {
		struct day *d;

		if (get_day(cal, nlo + (int64_t)i - 1, &d) != 0) {
			free(v);
			return -1;
		}
		v[i] = v[i - 1];
		for (int k = 0; k < d->n; k++)
			v[i] += d->end[k] - d->start[k];
	}
	free(cal->cum);
	cal->cum = v;
	cal->cum_lo = nlo;
	cal->ncum = n;
	return 0;
}

int64_t
ls_cal_business(struct ls_cal *cal, int64_t a, int64_t b)
{
	int64_t da = 0, db = 0, sum = 0;
	struct day *d;

	if (b <= a)
		return 0;
	if (day_of(cal, a, &da) != 0 || day_of(cal, b, &db) != 0)
		return 0;
	/* a clock over many days: its first and last days, and the sum between */
	if (db - da > 8 && db - da < MAX_DAYS && cover(cal, da + 1, db) == 0) {
		sum = cal->cum[db - cal->cum_lo] - cal->cum[da + 1 - cal->cum_lo];
		if (get_day(cal, da, &d) == 0)
			sum += overlap(d, a, b);
		if (get_day(cal, db, &d) == 0)
			sum += overlap(d, a, b);
		return sum;
	}
	for (int64_t dn = da; dn <= db; dn++) {
		if (get_day(cal, dn, &d) != 0)
			break;
		sum += overlap(d, a, b);
	}
	return sum;
}

int64_t
ls_cal_add(struct ls_cal *cal, int64_t a, int64_t secs)
{
	int64_t da;

	if (secs <= 0)
		return a;
	if (day_of(cal, a, &da) != 0)
		return -1;
	for (int64_t dn = da; dn < da + MAX_DAYS; dn++) {
		struct day *d;

		if (get_day(cal, dn, &d) != 0)
			return -1;
		for (int i = 0; i < d->n; i++) {
			int64_t lo;

			if (d->end[i] <= a)
				continue;
			lo = d->start[i] > a ? d->start[i] : a;
			if (d->end[i] - lo >= secs)
				return lo + secs;
			secs -= d->end[i] - lo;
		}
	}
	return -1;
}
