/*
 * kpi_partial.c - the partial sums of kpi-report --partial, written and
 * merged back (the format is in libsales-formats(5)).
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "kpi_int.h"
#include "recfile.h"

static const char *const sum_names[NSUMS] = {
	"calls", "connected", "talk_s", "interested", "leads", "won", "lost",
	"revenue_minor", "tickets", "sla_met"
};

#define PARTIAL_PREFIX	"kpi-partial,"	/* then the version */
#define PARTIAL_VERSION	1

static const char *const period_names[] = { "day", "week", "month" };

static int
put_name(struct ls_buf *out, const char *s)
{
	int rc = 0;

	/* names are percent-encoded where they would break the line format */
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '%' || c == ',' || c < 0x20 || c == 0x7f)
			rc |= ls_buf_printf(out, "%%%02X", c);
		else
			rc |= ls_buf_put(out, s, 1) != 0 ? -1 : 0;
	}
	return rc;
}

static int
put_date(struct ls_buf *out, int has, const struct ls_date *d)
{
	char buf[LS_DATE_BUFSZ];

	if (has && ls_date_format(d, buf, sizeof(buf)) == 0)
		return ls_buf_printf(out, "%s", buf);
	return 0;
}

int
ls_kpi_write_partial(const struct ls_kpi *k, struct ls_buf *out, struct ls_error *err)
{
	char buf[LS_DATE_BUFSZ];
	struct ls_date d;
	int rc;

	rc = ls_buf_printf(out, "%s%d\nconfig,%016llx\nperiod,%s\nrange,", PARTIAL_PREFIX, PARTIAL_VERSION,
	    (unsigned long long)k->kc->fingerprint, period_names[k->o.period]);
	rc |= put_date(out, k->o.has_from, &k->o.from);
	rc |= ls_buf_printf(out, ",");
	rc |= put_date(out, k->o.has_to, &k->o.to);
	rc |= ls_buf_printf(out, "\ntickets,%d\nsums,day,manager", k->o.tickets ? 1 : 0);
	for (int i = 0; i < NSUMS; i++)
		rc |= ls_buf_printf(out, ",%s", sum_names[i]);
	rc |= ls_buf_printf(out, "\n");
	for (size_t i = 0; i < k->ng && rc == 0; i++) {
		const struct group *g = &k->g[i];

		ls_date_from_days(g->day, &d);
		ls_date_format(&d, buf, sizeof(buf));
		rc |= ls_buf_printf(out, "g,%s,", buf);
		/* the spelling, not the id: a merge normalises it again and keeps how it was shown */
		rc |= put_name(out, k->m[g->mgr].shown ? k->m[g->mgr].shown : k->m[g->mgr].name);
		for (int j = 0; j < NSUMS; j++)
			rc |= ls_buf_printf(out, ",%lld", (long long)g->s[j]);
		rc |= ls_buf_printf(out, "\n");
	}
	rc |= ls_buf_printf(out, "end,%zu\n", k->ng);
	if (rc != 0)
		return ls_error_set(err, LS_ENOMEM, NULL, 0, 0, "out of memory");
	return 0;
}

/* Line reading over a buffer. */
struct lines {
	const char *p, *end, *name;
	long line;
};

static int
next_line(struct lines *L, const char **s, size_t *n)
{
	const char *e;

	if (L->p >= L->end)
		return 0;
	e = memchr(L->p, '\n', (size_t)(L->end - L->p));
	if (e == NULL)
		e = L->end;
	*s = L->p;
	*n = (size_t)(e - L->p);
	if (*n > 0 && (*s)[*n - 1] == '\r')
		(*n)--;
	L->p = e < L->end ? e + 1 : e;
	L->line++;
	return 1;
}

/* Split s[0..n) at commas into f (at most max); returns the count. */
static size_t
split(const char *s, size_t n, struct ls_str *f, size_t max)
{
	size_t nf = 0, start = 0;

	for (size_t i = 0; i <= n && nf < max; i++)
		if (i == n || s[i] == ',') {
			f[nf].p = s + start;
			f[nf].n = i - start;
			nf++;
			start = i + 1;
		}
	return nf;
}

static int
lerr(const struct lines *L, struct ls_error *err, const char *msg)
{
	return ls_error_set(err, LS_EDATA, L->name, L->line, 0, "%s", msg);
}

static int
parse_i64(const struct ls_str *f, int64_t *v)
{
	const char *p = f->p;
	size_t n = f->n;
	int neg = 0;
	int64_t x = 0;

	if (n > 0 && *p == '-')
		neg = 1, p++, n--;
	if (!kpi_digits(p, n) || n > 18)
		return -1;
	for (size_t i = 0; i < n; i++)
		x = x * 10 + (p[i] - '0');
	*v = neg ? -x : x;
	return 0;
}

static int
parse_opt_date(const struct ls_str *f, int *has, struct ls_date *d)
{
	*has = f->n > 0;
	return f->n == 0 ? 0 : ls_date_parse(f->p, f->n, d, NULL);
}

static int
unescape(const struct ls_str *f, char *out, size_t *n)
{
	size_t o = 0;

	for (size_t i = 0; i < f->n; i++) {
		if (f->p[i] == '%') {
			unsigned v = 0;

			if (i + 2 >= f->n)
				return -1;
			for (int j = 1; j <= 2; j++) {
				char c = f->p[i + j];

				v = v * 16 + (unsigned)(c >= '0' && c <= '9' ? c - '0' :
				    c >= 'A' && c <= 'F' ? c - 'A' + 10 : c >= 'a' && c <= 'f' ? c - 'a' + 10 : 99);
			}
			if (v > 255)
				return -1;
			out[o++] = (char)v;
			i += 2;
		} else {
			out[o++] = f->p[i];
		}
	}
	*n = o;
	return 0;
}

/* One partial record from L: its header is checked against k, its groups added. */
static int
merge_one(struct ls_kpi *k, struct lines *L, struct ls_error *err)
{
	struct ls_str f[NSUMS + 4];
	struct ls_kpi_opts o = { 0 };
	const char *s;
	size_t n, nf, ngroups = 0;
	char want[64];
	int i;

	/* "kpi-partial,1" was read by the caller */
	if (!next_line(L, &s, &n) || (nf = split(s, n, f, 3)) != 2 || !kpi_eq(&f[0], "config"))
		return lerr(L, err, "bad partial: expected 'config,FINGERPRINT'");
	snprintf(want, sizeof(want), "%016llx", (unsigned long long)k->kc->fingerprint);
	if (!kpi_eq(&f[1], want))
		return lerr(L, err, "partial made with another config (its fingerprint differs from -c's)");
	if (!next_line(L, &s, &n) || (nf = split(s, n, f, 3)) != 2 || !kpi_eq(&f[0], "period"))
		return lerr(L, err, "bad partial: expected 'period,day|week|month'");
	for (i = 0; i < 3; i++)
		if (kpi_eq(&f[1], period_names[i]))
			break;
	if (i == 3)
		return lerr(L, err, "bad partial: unknown period kind");
	o.period = (enum ls_period)i;
	if (!next_line(L, &s, &n) || (nf = split(s, n, f, 4)) != 3 || !kpi_eq(&f[0], "range") ||
	    parse_opt_date(&f[1], &o.has_from, &o.from) != 0 || parse_opt_date(&f[2], &o.has_to, &o.to) != 0)
		return lerr(L, err, "bad partial: expected 'range,FROM,TO'");
	if (!next_line(L, &s, &n) || (nf = split(s, n, f, 3)) != 2 || !kpi_eq(&f[0], "tickets") ||
	    (!kpi_eq(&f[1], "0") && !kpi_eq(&f[1], "1")))
		return lerr(L, err, "bad partial: expected 'tickets,0|1'");
	o.tickets = kpi_eq(&f[1], "1");
	if (!next_line(L, &s, &n) || (nf = split(s, n, f, NSUMS + 4)) != NSUMS + 3 || !kpi_eq(&f[0], "sums"))
		return lerr(L, err, "bad partial: its sums are not this version's");
	for (i = 0; i < NSUMS; i++)
		if (!kpi_eq(&f[3 + i], sum_names[i]))
			return lerr(L, err, "bad partial: its sums are not this version's");
	if (!k->have_opts) {
		o.lead_day = o.has_to ? o.to : o.from;
		k->o = o;
		k->have_opts = 1;
		ls_kpi_set_range(k);
	} else {
		if (o.period != k->o.period || o.has_from != k->o.has_from || o.has_to != k->o.has_to ||
		    (o.has_from && kpi_day(&o.from) != kpi_day(&k->o.from)) ||
		    (o.has_to && kpi_day(&o.to) != kpi_day(&k->o.to)))
			return lerr(L, err, "partial of another period or date range than the first partial's");
		k->o.tickets |= o.tickets;
	}
	for (;;) {
		struct ls_date d;
		char name[1024];
		int64_t v[NSUMS], *gs;
		long m;

		if (!next_line(L, &s, &n))
			return lerr(L, err, "truncated partial: no 'end' line (was the run that wrote it stopped?)");
		nf = split(s, n, f, NSUMS + 4);
		if (nf == 2 && kpi_eq(&f[0], "end")) {
			int64_t cnt;

			if (parse_i64(&f[1], &cnt) != 0 || cnt < 0 || (size_t)cnt != ngroups)
				return lerr(L, err, "truncated partial: its 'end' line counts other groups");
			break;
		}
		if (nf != NSUMS + 3 || !kpi_eq(&f[0], "g") || ls_date_parse(f[1].p, f[1].n, &d, NULL) != 0 ||
		    f[2].n >= sizeof(name) || unescape(&f[2], name, &n) != 0)
			return lerr(L, err, "bad partial: expected 'g,DAY,MANAGER,SUMS...'");
		for (i = 0; i < NSUMS; i++)
			if (parse_i64(&f[3 + i], &v[i]) != 0)
				return lerr(L, err, "bad partial: a sum is not an integer");
		/* a group the table would never show must not be taken in silently */
		if (ls_kpi_period_start(k->o.period, kpi_day(&d)) != kpi_day(&d) ||
		    (k->o.has_from && kpi_day(&d) < ls_kpi_period_start(k->o.period, k->lo)) ||
		    (k->o.has_to && kpi_day(&d) > k->hi))
			return lerr(L, err, "bad partial: a group's day is not the start of a period in its range");
		if ((m = ls_kpi_intern(k, name, n)) < 0 || (gs = ls_kpi_group(k, kpi_day(&d), (size_t)m)) == NULL)
			return ls_error_set(err, LS_ENOMEM, NULL, 0, 0, "out of memory");
		for (i = 0; i < NSUMS; i++)
			if (__builtin_add_overflow(gs[i], v[i], &gs[i]))
				return lerr(L, err, "sum overflow");
		ngroups++;
	}
	k->nmerged++;
	return 0;
}

int
ls_kpi_merge(struct ls_kpi *k, const char *buf, size_t n, const char *name, struct ls_error *err)
{
	struct lines L = { buf, buf + n, name, 0 };
	const char *s;
	size_t len;
	int ver;

	while (next_line(&L, &s, &len)) {
		if (len == 0)
			continue;
		/* partials come concatenated: each section starts with its own first line */
		if (ls_recfile_head_check(s, len, PARTIAL_PREFIX, PARTIAL_VERSION,
		    "a partial of kpi-report --partial", L.name, &ver, err) != 0) {
			if (err)
				err->line = L.line;
			return LS_EDATA;
		}
		if (merge_one(k, &L, err) != 0)
			return LS_EDATA;
	}
	return 0;
}

unsigned long
ls_kpi_merged(const struct ls_kpi *k)
{
	return k->nmerged;
}
