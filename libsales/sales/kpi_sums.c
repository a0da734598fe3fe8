/*
 * kpi_sums.c - the sums per (period, manager) over the four inputs: binding
 * an input's columns, reading a record's local day, adding it.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "columns.h"
#include "kpi_int.h"
#include "money.h"
#include "util.h"

/* Keys of the group table: a (day, manager) pair, padding-free. */
struct gkey {
	int64_t day;
	uint64_t mgr;
};

/* The index of manager name[0..n) exactly as given, added when new; -1 when out of memory. */
static long
intern_exact(struct ls_kpi *k, const char *name, size_t n)
{
	uint32_t h, idx;
	const char *v;
	void *nv;
	int created, status;

	h = ls_keyset_hash(name, n);
	if ((v = ls_keyset_get_h(k->mset, name, n, h)) != NULL) {
		memcpy(&idx, v, sizeof(idx));
		return (long)idx;
	}
	if (ls_grow(&k->m, &k->capm, k->nm + 1, sizeof(*k->m)) != 0 ||
	    (k->m[k->nm].name = malloc(n + 1)) == NULL)
		return -1;
	if ((nv = ls_keyset_upsert_h(k->mset, name, n, h, sizeof(idx), &created, &status)) == NULL) {
		free(k->m[k->nm].name);
		return -1;
	}
	memcpy(k->m[k->nm].name, name, n);
	k->m[k->nm].name[n] = '\0';
	k->m[k->nm].len = n;
	k->m[k->nm].shown = NULL;
	k->m[k->nm].tz = ls_kpi_zone_of(k->kc, k->m[k->nm].name);
	idx = (uint32_t)k->nm++;
	memcpy(nv, &idx, sizeof(idx));
	return (long)idx;
}

/*
 * Manager m was spelt name[0..n) (a spelling seen for the first time): it
 * is shown by the byte-smallest trimmed spelling, so that the report does
 * not depend on which input or partial came first.
 */
static int
show_as(struct ls_kpi *k, size_t m, const char *name, size_t n)
{
	struct mgr *g = &k->m[m];
	char *s;

	ls_kpi_trim(&name, &n);
	if (n == 0)
		return 0;
	if (g->shown != NULL) {
		size_t l = strlen(g->shown);
		int c = memcmp(name, g->shown, n < l ? n : l);

		if (c > 0 || (c == 0 && n >= l))
			return 0;
	}
	if ((s = strndup(name, n)) == NULL)
		return -1;
	free(g->shown);
	g->shown = s;
	return 0;
}

/*
 * The index of manager name[0..n) as normalised (ls_kpi_norm_id()), added
 * when new; -1 when out of memory.  k->mset maps every spelling seen to
 * its manager, so a record pays for the normalising only the first time
 * its spelling turns up: a normalised id is its own spelling.
 */
long
ls_kpi_intern(struct ls_kpi *k, const char *name, size_t n)
{
	struct ls_buf id = { 0 };
	const char *v;
	uint32_t idx;
	void *nv;
	long m;
	int created, status;

	if (n > 0 && (v = ls_keyset_get(k->mset, name, n)) != NULL) {
		memcpy(&idx, v, sizeof(idx));
		return (long)idx;
	}
	if (n > 0 && ls_kpi_norm_id(k->kc, name, n, &id) != 0)
		return -1;
	if (id.n == 0)
		m = intern_exact(k, NO_MANAGER, strlen(NO_MANAGER));
	else
		m = intern_exact(k, id.p, id.n);
	if (m >= 0 && n > 0 && (id.n != n || memcmp(id.p, name, n) != 0)) {
		if ((nv = ls_keyset_upsert(k->mset, name, n, sizeof(idx), &created, &status)) == NULL)
			m = -1;
		else {
			idx = (uint32_t)m;
			memcpy(nv, &idx, sizeof(idx));
		}
	}
	ls_buf_free(&id);
	return m >= 0 && n > 0 && show_as(k, (size_t)m, name, n) != 0 ? -1 : m;
}

/* The sums of (day, mgr), created zero when new; NULL when out of memory. */
int64_t *
ls_kpi_group(struct ls_kpi *k, int64_t day, size_t mgr)
{
	struct gkey key = { day, (uint64_t)mgr };
	uint32_t h, idx;
	const char *v;
	void *nv;
	int created, status;

	if (k->have_last && k->g[k->last_g].day == day && k->g[k->last_g].mgr == mgr)
		return k->g[k->last_g].s;
	h = ls_keyset_hash(&key, sizeof(key));
	if ((v = ls_keyset_get_h(k->gset, &key, sizeof(key), h)) != NULL) {
		memcpy(&idx, v, sizeof(idx));
	} else {
		if (ls_grow(&k->g, &k->capg, k->ng + 1, sizeof(*k->g)) != 0 ||
		    (nv = ls_keyset_upsert_h(k->gset, &key, sizeof(key), h, sizeof(idx), &created,
		    &status)) == NULL)
			return NULL;
		memset(&k->g[k->ng], 0, sizeof(k->g[k->ng]));
		k->g[k->ng].day = day;
		k->g[k->ng].mgr = mgr;
		idx = (uint32_t)k->ng++;
		memcpy(nv, &idx, sizeof(idx));
	}
	k->last_g = idx;
	k->have_last = 1;
	return k->g[idx].s;
}

/* The first day of the period holding local day `day`. */
int64_t
ls_kpi_period_start(enum ls_period per, int64_t day)
{
	struct ls_date d, first, next;

	ls_date_from_days(day, &d);
	ls_period_days(per, &d, &first, &next);
	return kpi_day(&first);
}

int64_t
ls_kpi_period_next(enum ls_period per, int64_t start)
{
	struct ls_date d, first, next;

	ls_date_from_days(start, &d);
	ls_period_days(per, &d, &first, &next);
	return kpi_day(&next);
}

/* ls_kpi_period_start() for records: days repeat, so the last answer is kept */
static int64_t
record_period(struct ls_kpi *k, int64_t day)
{
	if (!k->have_ps || k->ps_day != day) {
		k->ps_day = day;
		k->ps_start = ls_kpi_period_start(k->o.period, day);
		k->have_ps = 1;
	}
	return k->ps_start;
}

void
ls_kpi_set_range(struct ls_kpi *k)
{
	k->lo = k->o.has_from ? kpi_day(&k->o.from) : INT64_MIN;
	k->hi = k->o.has_to ? kpi_day(&k->o.to) : INT64_MAX;
	k->lead_day = kpi_day(&k->o.lead_day);
}

static struct ls_kpi *
kpi_alloc(const struct ls_kpi_config *c, struct ls_error *err)
{
	struct ls_kpi *k = calloc(1, sizeof(*k));

	if (k == NULL) {
		ls_error_set(err, LS_ENOMEM, NULL, 0, 0, "out of memory");
		return NULL;
	}
	k->kc = c;
	k->ts_day_start = k->ts_day_end = 0;
	k->first_day = INT64_MAX;
	if ((k->mset = ls_keyset_new()) == NULL || (k->gset = ls_keyset_new()) == NULL ||
	    (k->pgset = ls_keyset_new()) == NULL || (k->leads_seen = ls_keyset_new()) == NULL) {
		ls_kpi_free(k);
		ls_error_set(err, LS_ENOMEM, NULL, 0, 0, "out of memory");
		return NULL;
	}
	return k;
}

struct ls_kpi *
ls_kpi_new(const struct ls_kpi_config *c, const struct ls_kpi_opts *o, struct ls_error *err)
{
	struct ls_kpi *k = kpi_alloc(c, err);

	if (k == NULL)
		return NULL;
	k->o = *o;
	k->have_opts = 1;
	ls_kpi_set_range(k);
	if (o->funnel && (k->fun = ls_kpi_funnel_new()) == NULL) {
		ls_kpi_free(k);
		ls_error_set(err, LS_ENOMEM, NULL, 0, 0, "out of memory");
		return NULL;
	}
	return k;
}

struct ls_kpi *
ls_kpi_new_merge(const struct ls_kpi_config *c, struct ls_error *err)
{
	return kpi_alloc(c, err);
}

void
ls_kpi_free(struct ls_kpi *k)
{
	if (k == NULL)
		return;
	for (size_t i = 0; i < k->nm; i++) {
		free(k->m[i].name);
		free(k->m[i].shown);
	}
	free(k->m);
	ls_keyset_free(k->mset);
	free(k->g);
	ls_keyset_free(k->gset);
	free(k->pg);
	ls_keyset_free(k->pgset);
	ls_keyset_free(k->leads_seen);
	ls_kpi_funnel_free(k->fun);
	free(k->unknown_outcome);
	free(k->unknown_file);
	free(k->unknown_stage);
	free(k->unknown_st_file);
	free(k);
}

/* The columns list[] (ending -1) of an input, each needed by why: LS_EDATA naming file for the first missing. */
static int
need_cols(const struct binding *b, const int *list, const struct ls_str *hdr, size_t ncols,
    const struct ls_kpi_config *kc, const char *why, const char *file, struct ls_error *err)
{
	for (size_t i = 0; list[i] >= 0; i++) {
		struct ls_error e;
		long col;

		if (b->col[list[i]] >= 0)
			continue;
		ls_col_need(hdr, ncols, kc->col[list[i]], why, &col, &e);
		/* exit status 1, as before: the input, not the config, lacks it */
		return ls_error_set(err, LS_EDATA, file, 0, 0, "%s", e.msg);
	}
	return 0;
}

int
ls_kpi_bind(struct ls_kpi *k, enum ls_kpi_input in, const struct ls_str *hdr, size_t ncols,
    const char *file, struct ls_error *err)
{
	static const int need[LS_KPI_NINPUTS][5] = {
		[LS_KPI_IN_CALLS] = { C_MANAGER, C_STARTED_AT, C_DURATION, C_OUTCOME, -1 },
		[LS_KPI_IN_DEALS] = { C_MANAGER, C_STAGE, C_AMOUNT, C_CLOSED_AT, -1 },
		[LS_KPI_IN_LEADS] = { C_MANAGER, -1 },
		[LS_KPI_IN_TICKETS] = { C_AGENT, C_STATUS, C_UPDATED_AT, C_SLA, -1 },
	};
	/* the funnel joins on lead_id, and dates a lead by its assignment */
	static const int need_funnel[LS_KPI_NINPUTS][3] = {
		[LS_KPI_IN_CALLS] = { C_LEAD_ID, -1 },
		[LS_KPI_IN_DEALS] = { C_LEAD_ID, -1 },
		[LS_KPI_IN_LEADS] = { C_LEAD_ID, C_ASSIGNED_AT, -1 },
		[LS_KPI_IN_TICKETS] = { -1 },
	};
	static const char *const flag[LS_KPI_NINPUTS] = { "--calls", "--deals", "--leads", "--tickets" };
	struct binding *b = &k->b[in];

	for (int j = 0; j < NCOLS; j++) {
		const char *name = k->kc->col[j];

		b->col[j] = ls_header_find(hdr, ncols, name, strlen(name));
	}
	if (need_cols(b, need[in], hdr, ncols, k->kc, flag[in], file, err) != 0 ||
	    (k->fun && need_cols(b, need_funnel[in], hdr, ncols, k->kc, "--report funnel", file, err) != 0))
		return LS_EDATA;
	b->bound = 1;
	return 0;
}

/*
 * The local day of a timestamp: RFC 3339, a local "YYYY-MM-DD HH:MM:SS",
 * a date alone, or the Russian "DD.MM.YYYY[ HH:MM[:SS]]" (ls_date_parse()
 * and ls_time_parse() read it as local time).  Instants of the day last
 * converted cost two comparisons.
 */
static int
local_day(struct ls_kpi *k, const struct ls_tz *tz, const char *p, size_t n, int64_t *day,
    struct ls_error *err)
{
	struct ls_date d;
	int64_t t;

	if (n == 10) {
		if (ls_date_parse(p, n, &d, err) != 0)
			return LS_EDATA;
		*day = kpi_day(&d);
		goto seen;
	}
	/* a local time without an offset is the manager's: 06:30 in Vladivostok is there */
	if (ls_time_parse(p, n, tz, LS_TIME_LOCAL, &t, err) != 0)
		return LS_EDATA;
	if (k->ts_tz == tz && k->ts_day_end > k->ts_day_start && t >= k->ts_day_start && t < k->ts_day_end) {
		*day = k->ts_day;
		goto seen;
	}
	if (ls_tz_date(tz, t, &d) != 0)
		return ls_error_set(err, LS_EDATA, NULL, 0, 0, "timestamp out of range");
	*day = kpi_day(&d);
	k->ts_tz = tz;
	if (ls_period_range(tz, LS_PERIOD_DAY, t, &k->ts_day_start, &k->ts_day_end) == 0)
		k->ts_day = *day;
	else
		k->ts_day_start = k->ts_day_end = 0;
seen:
	/* where the data begins: a previous period before it is not in the data (--compare) */
	if (*day < k->first_day)
		k->first_day = *day;
	return 0;
}

/*
 * The key (ls_kpi_prev_key()) of the previous window holding day, or
 * INT64_MIN: only the period after day's can hold it, and only when its
 * own window is in the report; for days, a working day is the window of
 * the days up to the next working day.
 */
static int64_t
compared_with(struct ls_kpi *k, int64_t day)
{
	int64_t q, lo, hi, *out;
	size_t slot = (size_t)(day & 63);

	if (k->have_pp[slot] && k->pp_day[slot] == day)
		return k->pp_for[slot];
	out = &k->pp_for[slot];
	*out = INT64_MIN;
	if (k->o.period == LS_PERIOD_DAY) {
		int64_t next = day + 1;

		while (next < day + 366 && !ls_kpi_workday(k->kc, next))
			next++;
		if (ls_kpi_workday(k->kc, day) && day + 1 <= k->hi && next >= k->lo)
			*out = day;
	} else {
		q = ls_kpi_period_next(k->o.period, ls_kpi_period_start(k->o.period, day));
		ls_kpi_window(k, q, &lo, &hi);
		if (lo <= hi) {
			ls_kpi_prev_window(k, q, &lo, &hi);
			if (day >= lo && day <= hi)
				*out = q;
		}
	}
	k->pp_day[slot] = day;
	k->have_pp[slot] = 1;
	return *out;
}

/*
 * The sums a record of manager m on local day counts in: s[0] its period's
 * when the day is in the range, s[1] with --compare the previous window's
 * of the period after (NULL each when none).  -1 when out of memory.
 */
static int
day_sums(struct ls_kpi *k, size_t m, int64_t day, int64_t *s[2])
{
	int64_t q;

	s[0] = s[1] = NULL;
	if (day >= k->lo && day <= k->hi && (s[0] = ls_kpi_group(k, record_period(k, day), m)) == NULL)
		return -1;
	if (k->o.compare && (q = compared_with(k, day)) != INT64_MIN &&
	    (s[1] = ls_kpi_prev_group(k, q, m)) == NULL)
		return -1;
	return 0;
}

static const struct ls_str *
field(const struct ls_kpi *k, enum ls_kpi_input in, const struct ls_record *rec, int c)
{
	static const struct ls_str empty = { "", 0 };
	long i = k->b[in].col[c];

	return i >= 0 && (size_t)i < rec->nfields ? &rec->fields[i] : &empty;
}

static int
rec_error(const struct ls_record *rec, struct ls_error *err, const char *what, const struct ls_str *v,
    const char *detail)
{
	char shown[64], why[256] = "";
	size_t n = v->n > 40 ? 40 : v->n;
	const char *cut;

	/* the value as it reads on one line */
	for (size_t i = 0; i < n; i++)
		shown[i] = (unsigned char)v->p[i] < 0x20 ? '?' : v->p[i];
	shown[n] = '\0';
	/* a library message "bad timestamp 'X': why" is told by its why; it may live in err itself */
	if (detail != NULL) {
		snprintf(why, sizeof(why), "%s", (cut = strstr(detail, "': ")) != NULL ? cut + 3 : detail);
	}
	return ls_error_set(err, LS_EDATA, rec->file, rec->line, 0, "%s '%s%s'%s%s", what, shown,
	    v->n > n ? "..." : "", why[0] ? ": " : "", why);
}

static int
checked_add(int64_t *a, int64_t b, const struct ls_record *rec, struct ls_error *err)
{
	if (__builtin_add_overflow(*a, b, a))
		return ls_error_set(err, LS_EDATA, rec ? rec->file : NULL, rec ? rec->line : 0, 0,
		    "sum overflow");
	return 0;
}

/*
 * The sums for a record dated at column c (day_sums()), its day placed in
 * its manager's zone; *mz that zone.
 */
static int
dated_group(struct ls_kpi *k, enum ls_kpi_input in, const struct ls_record *rec, int c,
    const char *what, int64_t *s[2], const struct ls_tz **mz, struct ls_error *err)
{
	const struct ls_str *v = field(k, in, rec, c);
	const struct ls_str *mv = field(k, in, rec, in == LS_KPI_IN_TICKETS ? C_AGENT : C_MANAGER);
	int64_t day = 0;	/* set by local_day() on success; gcc's PGO build without LTO cannot tell */
	long m;

	s[0] = s[1] = NULL;
	/* the manager first: their zone decides the day */
	if ((m = ls_kpi_intern(k, mv->p, mv->n)) < 0)
		return ls_error_set(err, LS_ENOMEM, NULL, 0, 0, "out of memory");
	*mz = k->m[m].tz;
	if (local_day(k, *mz, v->p, v->n, &day, err) != 0)
		return rec_error(rec, err, what, v, err->msg[0] ? err->msg : NULL);
	if (day_sums(k, (size_t)m, day, s) != 0)
		return ls_error_set(err, LS_ENOMEM, NULL, 0, 0, "out of memory");
	return 0;
}

/* The instant of a timestamp local_day() has read, for the funnel: LS_EDATA naming the record. */
static int
funnel_instant(struct ls_kpi *k, const struct ls_tz *tz, const struct ls_record *rec, const struct ls_str *v,
    const char *what, int64_t *t, struct ls_error *err)
{
	(void)k;
	if (ls_time_parse(v->p, v->n, tz, LS_TIME_LOCAL | LS_TIME_DATE, t, err) != 0)
		return rec_error(rec, err, what, v, err->msg[0] ? err->msg : NULL);
	return 0;
}

static int
add_call(struct ls_kpi *k, const struct ls_record *rec, struct ls_error *err)
{
	const struct ls_str *dur = field(k, LS_KPI_IN_CALLS, rec, C_DURATION);
	const struct ls_str *out = field(k, LS_KPI_IN_CALLS, rec, C_OUTCOME);
	int64_t secs = 0, *s[2];
	const struct ls_tz *mz = NULL;
	int connected = 0, known = 0, interested;
	size_t i;

	/* validate everything before the record counts anywhere */
	if (dur->n > 0 && dur->p[0] == '-' && kpi_digits(dur->p + 1, dur->n - 1))
		return rec_error(rec, err, "negative duration_s", dur, NULL);
	if (dur->n > 0) {
		if (!kpi_digits(dur->p, dur->n) || dur->n > 12)
			return rec_error(rec, err, "bad duration_s", dur, "expected whole seconds");
		for (i = 0; i < dur->n; i++)
			secs = secs * 10 + (dur->p[i] - '0');
	}
	interested = ls_kpi_named(&k->kc->interested, out);
	if (ls_kpi_named(&k->kc->connected, out) || (interested && k->kc->interested_connects))
		connected = known = 1;
	known |= interested || ls_kpi_named(&k->kc->not_connected, out);
	for (i = 0; !known && i < NOUTCOMES; i++)
		if (kpi_eq(out, ls_kpi_outcomes[i]))
			known = 1;
	if (dated_group(k, LS_KPI_IN_CALLS, rec, C_STARTED_AT, "bad started_at", s, &mz, err) != 0)
		return err->status;
	/* the funnel takes a cohort's calls whenever they came, in --from/--to or after */
	if (k->fun != NULL) {
		int64_t t;

		if (funnel_instant(k, mz, rec, field(k, LS_KPI_IN_CALLS, rec, C_STARTED_AT), "bad started_at",
		    &t, err) != 0 || ls_kpi_funnel_call(k, field(k, LS_KPI_IN_CALLS, rec, C_LEAD_ID), t,
		    connected, interested, err) != 0)
			return err->status;
	}
	if (s[0] == NULL && s[1] == NULL)
		return 0;
	if (s[0] != NULL && !known && k->unknown++ == 0) {
		k->unknown_outcome = strndup(out->p, out->n > 60 ? 60 : out->n);
		k->unknown_file = strdup(rec->file ? rec->file : "");
		k->unknown_line = rec->line;
	}
	for (i = 0; i < 2; i++) {
		if (s[i] == NULL)
			continue;
		s[i][S_CALLS]++;
		s[i][S_CONNECTED] += connected;
		s[i][S_INTERESTED] += interested;
		if (checked_add(&s[i][S_TALK], secs, rec, err) != 0)
			return LS_EDATA;
	}
	return 0;
}

/* The currency cell v as the config's: equal ignoring ASCII case, or empty (the default). */
static int
same_currency(const struct ls_str *v, const char *cur)
{
	size_t n = strlen(cur);

	if (v->n == 0)
		return 1;
	if (v->n != n)
		return 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char a = (unsigned char)v->p[i], b = (unsigned char)cur[i];
		if ((a >= 'a' && a <= 'z' ? a - 32 : a) != (b >= 'a' && b <= 'z' ? b - 32 : b))
			return 0;
	}
	return 1;
}

static int
add_deal(struct ls_kpi *k, const struct ls_record *rec, struct ls_error *err)
{
	const struct ls_str *stage = field(k, LS_KPI_IN_DEALS, rec, C_STAGE);
	const struct ls_str *amt = field(k, LS_KPI_IN_DEALS, rec, C_AMOUNT);
	const struct ls_str *cur = field(k, LS_KPI_IN_DEALS, rec, C_CURRENCY);
	int won = ls_kpi_named(&k->kc->won, stage), lost = !won && ls_kpi_named(&k->kc->lost, stage);
	int64_t minor = 0, *s[2];
	const struct ls_tz *mz = NULL;
	struct ls_error e = { 0 };

	if (!won && !lost) {
		/* open deals are not closed yet; a stage nobody named may be a won deal in the CRM's words */
		if (!ls_kpi_named(&k->kc->open, stage) && k->unknown_st++ == 0) {
			k->unknown_stage = strndup(stage->p, stage->n > 60 ? 60 : stage->n);
			k->unknown_st_file = strdup(rec->file ? rec->file : "");
			k->unknown_st_line = rec->line;
		}
		return 0;
	}
	if (won && ls_money_parse(amt->p, amt->n, MONEY_SCALE, k->o.money_flags, &minor, &e) != 0) {
		/* "1 234,50" is a decimal comma more often than a typo: name the option that reads it */
		if (!(k->o.money_flags & LS_MONEY_DECIMAL_COMMA) && memchr(amt->p, ',', amt->n) != NULL) {
			size_t l = strlen(e.msg);
			snprintf(e.msg + l, sizeof(e.msg) - l, " (a decimal comma? use --decimal-comma)");
		}
		return rec_error(rec, err, "deal amount is not money:", amt, e.msg[0] ? e.msg : NULL);
	}
	/* a refund or a typo: either way not revenue, and summing it would hide it */
	if (won && minor < 0)
		return rec_error(rec, err, "negative amount on a won deal:", amt, NULL);
	/* rubles and euros do not add up: without a rate table, another currency is refused */
	if (won && !same_currency(cur, k->kc->currency)) {
		char why[160];

		snprintf(why, sizeof(why), "the report sums %s only (currency: in the config; "
		    "rate tables are not supported yet)", k->kc->currency);
		return rec_error(rec, err, "deal in another currency:", cur, why);
	}
	if (dated_group(k, LS_KPI_IN_DEALS, rec, C_CLOSED_AT, "bad closed_at", s, &mz, err) != 0)
		return err->status;
	/* a cohort's won deals count whenever they closed */
	if (won && k->fun != NULL && ls_kpi_funnel_deal(k, field(k, LS_KPI_IN_DEALS, rec, C_LEAD_ID), minor,
	    err) != 0)
		return err->status;
	for (int i = 0; i < 2; i++) {
		if (s[i] == NULL)
			continue;
		s[i][won ? S_WON : S_LOST]++;
		if (won && checked_add(&s[i][S_REVENUE], minor, rec, err) != 0)
			return LS_EDATA;
	}
	return 0;
}

/*
 * A lead of lead-assign's output with assigned_at: counted on that day,
 * already_assigned rows too (they carry the first deal's time), each
 * lead_id once however many rows and files repeat it.  *done is 0 when the
 * row has no assigned_at and the older rule decides.
 */
/* One lead dealt to manager m on day (a local day number): counted when the day is in range. */
static int
count_lead(struct ls_kpi *k, size_t m, int64_t day, struct ls_error *err)
{
	int64_t *s[2];

	if (day_sums(k, m, day, s) != 0)
		return ls_error_set(err, LS_ENOMEM, NULL, 0, 0, "out of memory");
	for (int i = 0; i < 2; i++)
		if (s[i] != NULL)
			s[i][S_LEADS]++;
	return 0;
}

static int
lead_assigned_at(struct ls_kpi *k, const struct ls_record *rec, size_t m,
    int *done, struct ls_error *err)
{
	const struct ls_str *at = field(k, LS_KPI_IN_LEADS, rec, C_ASSIGNED_AT);
	const struct ls_str *id = field(k, LS_KPI_IN_LEADS, rec, C_LEAD_ID);
	int64_t day = 0;
	int created = 1, status;

	*done = 0;
	if (k->b[LS_KPI_IN_LEADS].col[C_ASSIGNED_AT] < 0 || at->n == 0)
		return 0;
	*done = 1;
	if (local_day(k, k->m[m].tz, at->p, at->n, &day, err) != 0)
		return rec_error(rec, err, "bad assigned_at", at, err->msg[0] ? err->msg : NULL);
	if (k->fun != NULL) {
		int64_t t;

		if (funnel_instant(k, k->m[m].tz, rec, at, "bad assigned_at", &t, err) != 0)
			return LS_EDATA;
		if (ls_kpi_funnel_lead(k, rec, id, m, t, day, err) != 0)
			return err->status;
	}
	/* the first row of a lead decides, in range or not: a repeat never counts again */
	if (id->n > 0 && ls_keyset_upsert(k->leads_seen, id->p, id->n, 0, &created, &status) == NULL)
		return ls_error_set(err, LS_ENOMEM, NULL, 0, 0, "out of memory");
	if (!created)
		return 0;
	return count_lead(k, m, day, err);
}

static int
blank(const struct ls_str *v)
{
	for (size_t i = 0; i < v->n; i++)
		if (v->p[i] != ' ' && v->p[i] != '\t')
			return 0;
	return 1;
}

static int
add_lead(struct ls_kpi *k, const struct ls_record *rec, struct ls_error *err)
{
	const struct ls_str *mv = field(k, LS_KPI_IN_LEADS, rec, C_MANAGER);
	const struct ls_str *why = field(k, LS_KPI_IN_LEADS, rec, C_ASSIGN_REASON);
	const struct ls_str *at = field(k, LS_KPI_IN_LEADS, rec, C_CREATED_AT);
	int64_t day = k->lead_day;
	int done, rc;
	long m;

	/* an empty (or blank) manager was not dealt */
	if (blank(mv))
		return 0;
	if ((m = ls_kpi_intern(k, mv->p, mv->n)) < 0)
		return ls_error_set(err, LS_ENOMEM, NULL, 0, 0, "out of memory");
	if ((rc = lead_assigned_at(k, rec, (size_t)m, &done, err)) != 0 || done)
		return rc;
	/* without assigned_at: already_assigned was counted by the run that dealt it */
	if (kpi_eq(why, "already_assigned"))
		return 0;
	if (at->n > 0 && local_day(k, k->m[m].tz, at->p, at->n, &day, err) != 0)
		return rec_error(rec, err, "bad created_at", at, err->msg[0] ? err->msg : NULL);
	return count_lead(k, (size_t)m, day, err);
}

static int
add_ticket(struct ls_kpi *k, const struct ls_record *rec, struct ls_error *err)
{
	const struct ls_str *st = field(k, LS_KPI_IN_TICKETS, rec, C_STATUS);
	const struct ls_str *sla = field(k, LS_KPI_IN_TICKETS, rec, C_SLA);
	const struct ls_tz *mz = NULL;
	int64_t *s[2];

	/* handled: solved or closed, by the agent (none: under (none)), on the day of its last update */
	if (!(kpi_eq(st, "solved") || kpi_eq(st, "closed")))
		return 0;
	if (dated_group(k, LS_KPI_IN_TICKETS, rec, C_UPDATED_AT, "bad updated_at", s, &mz, err) != 0)
		return err->status;
	for (int i = 0; i < 2; i++)
		if (s[i] != NULL) {
			s[i][S_TICKETS]++;
			s[i][S_SLA_MET] += kpi_eq(sla, "met") || kpi_eq(sla, "ok");
		}
	return 0;
}

int
ls_kpi_add(struct ls_kpi *k, enum ls_kpi_input in, const struct ls_record *rec, struct ls_error *err)
{
	struct ls_error local;

	/* the record's messages are built in err: a caller that wants none still needs one */
	if (err == NULL)
		err = &local;
	err->msg[0] = '\0';
	switch (in) {
	case LS_KPI_IN_CALLS: return add_call(k, rec, err);
	case LS_KPI_IN_DEALS: return add_deal(k, rec, err);
	case LS_KPI_IN_LEADS: return add_lead(k, rec, err);
	case LS_KPI_IN_TICKETS: return add_ticket(k, rec, err);
	default: return ls_error_set(err, LS_EUSAGE, NULL, 0, 0, "bad input kind");
	}
}

unsigned long
ls_kpi_unknown_outcomes(const struct ls_kpi *k, const char **outcome, const char **file, long *line)
{
	if (k->unknown) {
		*outcome = k->unknown_outcome ? k->unknown_outcome : "";
		*file = k->unknown_file ? k->unknown_file : "";
		*line = k->unknown_line;
	}
	return k->unknown;
}

unsigned long
ls_kpi_unknown_stages(const struct ls_kpi *k, const char **stage, const char **file, long *line)
{
	if (k->unknown_st) {
		*stage = k->unknown_stage ? k->unknown_stage : "";
		*file = k->unknown_st_file ? k->unknown_st_file : "";
		*line = k->unknown_st_line;
	}
	return k->unknown_st;
}
