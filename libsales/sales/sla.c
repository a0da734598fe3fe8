/* sla.c - business-time arithmetic and the SLA file of sla.h. */
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "sla.h"

#define MAX_DAYS	36600	/* how far ls_sla_add() looks: 100 years */
#define MAX_RANGE	3660	/* days in one holiday range */
#define CACHE_SIZE	64

static const char *const prio_names[LS_PRIO_COUNT + 1] = { "low", "normal", "high", "urgent", NULL };

/* One local day as business time: [start, end), or none. */
struct day {
	int64_t day;		/* days since 1970-01-01; INT64_MIN: empty slot */
	int business;
	int64_t start, end;
};

struct ls_sla {
	struct ls_tz *tz;
	int alltime;			/* no business_hours: every second counts */
	unsigned days;			/* bit per weekday, 0 Sunday */
	int from, to;			/* seconds after local midnight */
	int64_t *holidays, *workdays;	/* sorted day numbers */
	size_t nholidays, nworkdays;
	unsigned pause;			/* bit per enum ls_tstatus */
	int at_risk;
	int64_t first[LS_PRIO_COUNT], resolution[LS_PRIO_COUNT];
	struct day cache[CACHE_SIZE];
};

const char *
ls_priority_name(enum ls_priority p)
{
	return (unsigned)p < LS_PRIO_COUNT ? prio_names[p] : NULL;
}

int
ls_priority_parse(const char *p, size_t n, enum ls_priority *pr)
{
	for (int i = 0; i < LS_PRIO_COUNT; i++)
		if (strlen(prio_names[i]) == n && memcmp(prio_names[i], p, n) == 0) {
			*pr = (enum ls_priority)i;
			return 0;
		}
	return -1;
}

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
		for (int64_t d = a; d <= b; d++) {
			if (cnt == cap) {
				size_t ncap = cap ? 2 * cap : 16;
				int64_t *nv = realloc(v, ncap * sizeof(*v));
				if (nv == NULL) {
					ls_error_set(err, LS_ENOMEM, NULL, 0, 0, "out of memory");
					goto fail;
				}
				v = nv;
				cap = ncap;
			}
			v[cnt++] = d;
		}
	}
	if (cnt > 1)
		qsort(v, cnt, sizeof(*v), cmp_day);
	*out = v;
	*nout = cnt;
	return 0;
fail:
	free(v);
	return err ? err->status : LS_ECONFIG;
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

static int
parse_hours(struct ls_sla *s, const struct ls_config *c, const struct ls_node *n,
    struct ls_error *err)
{
	static const char *const keys[] = { "days", "from", "to", NULL };
	const struct ls_node *v;

	if (ls_node_expect(c, n, LS_NODE_MAP, err) || ls_node_check_keys(c, n, keys, err))
		return LS_ECONFIG;
	s->alltime = 0;
	s->from = 0;
	s->to = 86400;
	if ((v = ls_node_get(n, "days")) != NULL) {
		if (ls_node_expect(c, v, LS_NODE_SEQ, err))
			return LS_ECONFIG;
		s->days = 0;
		for (size_t i = 0; i < v->len; i++) {
			const char *name;
			int wd;

			if (ls_node_str(c, v->items[i], &name, err))
				return LS_ECONFIG;
			if (ls_weekday_parse(name, strlen(name), &wd, NULL) != 0)
				return ls_node_error(c, v->items[i], err,
				    "expected a weekday (mon .. sun), got '%s'", name);
			s->days |= 1u << wd;
		}
	}
	if (((v = ls_node_get(n, "from")) && parse_clock(c, v, &s->from, err)) ||
	    ((v = ls_node_get(n, "to")) && parse_clock(c, v, &s->to, err)))
		return LS_ECONFIG;
	if (s->to <= s->from)
		return ls_node_error(c, n, err, "business hours end before they start");
	return 0;
}

static int
parse_duration(const struct ls_sla *s, const struct ls_config *c, const struct ls_node *n,
    int64_t *secs, struct ls_error *err)
{
	const char *str;
	int64_t days, rest;

	if (ls_node_str(c, n, &str, err))
		return LS_ECONFIG;
	if (ls_duration_split(str, strlen(str), &days, &rest, NULL) != 0)
		return ls_node_error(c, n, err,
		    "expected a duration such as 30m, 4h, 2d or 1d4h, got '%s'", str);
	*secs = days * (s->alltime ? 86400 : s->to - s->from) + rest;
	if (*secs <= 0)
		return ls_node_error(c, n, err, "a target must be longer than 0");
	return 0;
}

static int
parse_targets(struct ls_sla *s, const struct ls_config *c, const struct ls_node *n,
    struct ls_error *err)
{
	static const char *const keys[] = { "first_response", "resolution", NULL };

	if (ls_node_expect(c, n, LS_NODE_MAP, err) || ls_node_check_keys(c, n, prio_names, err))
		return LS_ECONFIG;
	for (size_t i = 0; i < n->len; i++) {
		const struct ls_node *t = n->items[i], *v;
		enum ls_priority p = LS_PRIO_LOW;

		ls_priority_parse(n->keys[i]->value, n->keys[i]->len, &p);
		if (ls_node_expect(c, t, LS_NODE_MAP, err) || ls_node_check_keys(c, t, keys, err))
			return LS_ECONFIG;
		if (((v = ls_node_get(t, "first_response")) &&
		    parse_duration(s, c, v, &s->first[p], err)) ||
		    ((v = ls_node_get(t, "resolution")) &&
		    parse_duration(s, c, v, &s->resolution[p], err)))
			return LS_ECONFIG;
	}
	return 0;
}

static int
parse_pause(struct ls_sla *s, const struct ls_config *c, const struct ls_node *n,
    struct ls_error *err)
{
	if (ls_node_expect(c, n, LS_NODE_SEQ, err))
		return LS_ECONFIG;
	s->pause = 0;
	for (size_t i = 0; i < n->len; i++) {
		const char *name;
		enum ls_tstatus st;

		if (ls_node_str(c, n->items[i], &name, err))
			return LS_ECONFIG;
		if (ls_tstatus_parse(name, strlen(name), &st) != 0)
			return ls_node_error(c, n->items[i], err,
			    "unknown status '%s' (expected new, open, pending, solved or closed)", name);
		s->pause |= 1u << st;
	}
	return 0;
}

static int
parse_at_risk(struct ls_sla *s, const struct ls_config *c, const struct ls_node *n,
    struct ls_error *err)
{
	const char *str;
	char *end;
	long v;

	if (ls_node_str(c, n, &str, err))
		return LS_ECONFIG;
	v = strtol(str, &end, 10);
	if (end == str || str[0] == '-' || str[0] == '+' || (*end != '\0' && strcmp(end, "%") != 0) ||
	    v > 100)
		return ls_node_error(c, n, err, "expected a percentage 0%% .. 100%%, got '%s'", str);
	s->at_risk = (int)v;
	return 0;
}

static struct ls_sla *
build(struct ls_config *c, struct ls_error *err)
{
	static const char *const keys[] = { "timezone", "business_hours", "holidays", "workdays",
		"pause_statuses", "at_risk", "targets", NULL };
	const struct ls_node *root = ls_config_root(c), *v;
	const char *zone = NULL;
	struct ls_sla *s;

	if ((s = calloc(1, sizeof(*s))) == NULL) {
		ls_error_set(err, LS_ENOMEM, NULL, 0, 0, "out of memory");
		return NULL;
	}
	s->alltime = 1;
	s->days = 0x7f;
	s->to = 86400;
	s->pause = 1u << LS_TS_PENDING;
	s->at_risk = 20;
	for (int i = 0; i < LS_PRIO_COUNT; i++)
		s->first[i] = s->resolution[i] = -1;
	for (int i = 0; i < CACHE_SIZE; i++)
		s->cache[i].day = INT64_MIN;
	if (ls_node_expect(c, root, LS_NODE_MAP, err) || ls_node_check_keys(c, root, keys, err))
		goto fail;
	if ((v = ls_node_get(root, "timezone")) && ls_node_str(c, v, &zone, err))
		goto fail;
	if ((s->tz = ls_tz_open(zone, err)) == NULL) {
		if (v)
			ls_node_error(c, v, err, "unknown time zone '%s'", zone);
		goto fail;
	}
	/* business_hours first: the targets' days are business days of its length */
	if (((v = ls_node_get(root, "business_hours")) && parse_hours(s, c, v, err)) ||
	    ((v = ls_node_get(root, "holidays")) &&
	    parse_dates(c, v, &s->holidays, &s->nholidays, err)) ||
	    ((v = ls_node_get(root, "workdays")) &&
	    parse_dates(c, v, &s->workdays, &s->nworkdays, err)) ||
	    ((v = ls_node_get(root, "pause_statuses")) && parse_pause(s, c, v, err)) ||
	    ((v = ls_node_get(root, "at_risk")) && parse_at_risk(s, c, v, err)) ||
	    ((v = ls_node_get(root, "targets")) && parse_targets(s, c, v, err)))
		goto fail;
	if (s->days == 0 && s->nworkdays == 0) {
		ls_error_set(err, LS_ECONFIG, ls_config_file(c), 0, 0,
		    "business_hours lists no days: no clock could ever run");
		goto fail;
	}
	ls_config_free(c);
	return s;
fail:
	ls_config_free(c);
	ls_sla_free(s);
	return NULL;
}

struct ls_sla *
ls_sla_load(const char *path, struct ls_error *err)
{
	struct ls_config *c = ls_config_load(path, err);

	return c ? build(c, err) : NULL;
}

struct ls_sla *
ls_sla_load_mem(const char *name, const char *buf, size_t len, struct ls_error *err)
{
	struct ls_config *c = ls_config_load_mem(name, buf, len, err);

	return c ? build(c, err) : NULL;
}

void
ls_sla_free(struct ls_sla *s)
{
	if (s == NULL)
		return;
	ls_tz_free(s->tz);
	free(s->holidays);
	free(s->workdays);
	free(s);
}

struct ls_tz *
ls_sla_tz(struct ls_sla *s)
{
	return s->tz;
}

void
ls_sla_targets(const struct ls_sla *s, enum ls_priority p, int64_t *first_response,
    int64_t *resolution)
{
	int ok = (unsigned)p < LS_PRIO_COUNT;

	*first_response = ok ? s->first[p] : -1;
	*resolution = ok ? s->resolution[p] : -1;
}

int
ls_sla_pauses(const struct ls_sla *s, enum ls_tstatus st)
{
	return (unsigned)st < LS_TS_COUNT && (s->pause >> st & 1u);
}

int
ls_sla_at_risk(const struct ls_sla *s)
{
	return s->at_risk;
}

/*
 * Day number dn as business time.  The local instants of from and to come
 * from the zone, so a day with a DST change is as long as the clock says
 * (a 24/7 day lasts 23 or 25 hours then).  A small cache keeps ticket
 * lists, whose clocks mostly run over the same few days, off the C
 * library's zone code.
 */
static int
get_day(struct ls_sla *s, int64_t dn, struct day **out)
{
	struct day *c = &s->cache[(uint64_t)dn % CACHE_SIZE];
	struct ls_date d;
	struct tm tm;
	int wd;

	if (c->day == dn) {
		*out = c;
		return 0;
	}
	if (ls_date_from_days(dn, &d) != 0)
		return -1;
	wd = ls_date_weekday(&d);
	/*
	 * A desk without business hours works around the clock (24/7): its
	 * holidays are staffed like any day, so every second counts; holidays
	 * and workdays move business days, which only business_hours has.
	 */
	c->business = s->alltime || has_day(s->workdays, s->nworkdays, dn) ||
	    ((s->days >> wd & 1u) && !has_day(s->holidays, s->nholidays, dn));
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = d.year - 1900;
	tm.tm_mon = d.month - 1;
	tm.tm_mday = d.day;
	tm.tm_sec = s->from;
	if (ls_tz_mktime(s->tz, &tm, &c->start) != 0)
		return -1;
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = d.year - 1900;
	tm.tm_mon = d.month - 1;
	tm.tm_mday = d.day;
	tm.tm_sec = s->to;	/* 24:00 carries to the next midnight */
	if (ls_tz_mktime(s->tz, &tm, &c->end) != 0)
		return -1;
	c->day = dn;
	*out = c;
	return 0;
}

static int
day_of(struct ls_sla *s, int64_t t, int64_t *dn)
{
	struct ls_date d;

	if (ls_tz_date(s->tz, t, &d) != 0)
		return -1;
	*dn = ls_date_to_days(&d);
	return 0;
}

int64_t
ls_sla_business(struct ls_sla *s, int64_t a, int64_t b)
{
	int64_t da = 0, db = 0, sum = 0;

	if (b <= a)
		return 0;
	if (day_of(s, a, &da) != 0 || day_of(s, b, &db) != 0)
		return 0;
	for (int64_t dn = da; dn <= db; dn++) {
		struct day *d;
		int64_t lo, hi;

		if (get_day(s, dn, &d) != 0)
			break;
		if (!d->business)
			continue;
		lo = d->start > a ? d->start : a;
		hi = d->end < b ? d->end : b;
		if (hi > lo)
			sum += hi - lo;
	}
	return sum;
}

int64_t
ls_sla_add(struct ls_sla *s, int64_t a, int64_t secs)
{
	int64_t da;

	if (secs <= 0)
		return a;
	if (day_of(s, a, &da) != 0)
		return -1;
	for (int64_t dn = da; dn < da + MAX_DAYS; dn++) {
		struct day *d;
		int64_t lo;

		if (get_day(s, dn, &d) != 0)
			return -1;
		if (!d->business || d->end <= a)
			continue;
		lo = d->start > a ? d->start : a;
		if (d->end - lo >= secs)
			return lo + secs;
		secs -= d->end - lo;
	}
	return -1;
}
