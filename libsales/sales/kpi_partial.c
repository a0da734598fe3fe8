/*
 * kpi_partial.c - the partial sums of kpi-report --partial, written and
 * merged back: a record file (recfile.h) whose records are given in
 * kpi-report(1), PARTIALS.
 */
#include <stdio.h>
#include <string.h>

#include "kpi_int.h"
#include "recfile.h"

/* a group record's fields after its kind, as the 'sums' record names them */
static const char *const columns[2 + NSUMS] = {
	"day", "manager",
	"calls", "connected", "talk_s", "interested", "leads", "won", "lost",
	"revenue_minor", "tickets", "sla_met"
};

#define PARTIAL_PREFIX	"# kpi-partial v"	/* then the version */
#define PARTIAL_VERSION	3	/* v3: inputs (which inputs were given) replaces v2's tickets */
#define PARTIAL_WHAT	"a partial of kpi-report --partial"
/* v1's first line was "kpi-partial,1" (comma-separated records, names %XX-encoded) */
#define PARTIAL_V1_PREFIX "kpi-partial,"

static const char *const period_names[] = { "day", "week", "month" };
/* the inputs record's names, in enum ls_kpi_input's order */
static const char *const input_names[LS_KPI_NINPUTS] = { "calls", "deals", "leads", "tickets" };

static int
put_date(struct ls_buf *out, int has, const struct ls_date *d)
{
	char buf[LS_DATE_BUFSZ];

	if (has && ls_date_format(d, buf, sizeof(buf)) == 0)
		return ls_buf_puts(out, buf);
	return 0;
}

int
ls_kpi_write_partial(const struct ls_kpi *k, struct ls_buf *out, struct ls_error *err)
{
	char buf[LS_DATE_BUFSZ];
	struct ls_date d;
	int rc;

	rc = ls_buf_printf(out, "%s%d\nconfig\t%016llx\nperiod\t%s\nrange\t", PARTIAL_PREFIX,
	    PARTIAL_VERSION, (unsigned long long)k->kc->fingerprint, period_names[k->o.period]);
	rc |= put_date(out, k->o.has_from, &k->o.from);
	rc |= ls_buf_puts(out, "\t");
	rc |= put_date(out, k->o.has_to, &k->o.to);
	/* a KPI of an input not given has no plan: the merge must know which were */
	rc |= ls_buf_puts(out, "\ninputs");
	for (int i = 0; i < LS_KPI_NINPUTS; i++)
		if (k->o.inputs & (1u << i))
			rc |= ls_buf_printf(out, "\t%s", input_names[i]);
	rc |= ls_buf_puts(out, "\nsums");
	for (int i = 0; i < 2 + NSUMS; i++)
		rc |= ls_buf_printf(out, "\t%s", columns[i]);
	rc |= ls_buf_puts(out, "\n");
	for (size_t i = 0; i < k->ng && rc == 0; i++) {
		const struct group *g = &k->g[i];
		const char *name = k->m[g->mgr].shown ? k->m[g->mgr].shown : k->m[g->mgr].name;

		ls_date_from_days(g->day, &d);
		ls_date_format(&d, buf, sizeof(buf));
		rc |= ls_buf_printf(out, "g\t%s\t", buf);
		/* the spelling, not the id: a merge normalises it again and keeps how it was shown */
		rc |= ls_tsv_put_buf(out, name, strlen(name));
		for (int j = 0; j < NSUMS; j++)
			rc |= ls_buf_printf(out, "\t%lld", (long long)g->s[j]);
		rc |= ls_buf_puts(out, "\n");
	}
	rc |= ls_buf_printf(out, "end\t%zu\n", k->ng);
	if (rc != 0)
		return ls_error_set(err, LS_ENOMEM, NULL, 0, 0, "out of memory");
	return 0;
}

/* The lines of one buffer of partials, and its name for messages. */
struct part {
	struct ls_recfile_lines L;
	const char *name;
};

static int
perr(const struct part *P, struct ls_error *err, const char *msg)
{
	return ls_error_set(err, LS_EDATA, P->name, P->L.line, 0, "%s", msg);
}

/*
 * The next line of P in *s[0..*n) (*s NULL at the end), a CR before its
 * line feed dropped (an editor's; a CR in a name is written \r).  Returns 0
 * or LS_EDATA/LS_ENOMEM with err filled: a last line cut short, a NUL byte.
 */
static int
next_line(struct part *P, char **s, size_t *n, struct ls_error *err)
{
	int got = ls_recfile_next(&P->L, s, n);

	if (got < 0)
		return ls_error_set(err, LS_ENOMEM, P->name, 0, 0, "out of memory");
	if (got == 0) {
		*s = NULL;
		return 0;
	}
	/* the writer ends every line: one without its line feed was cut */
	if (P->L.torn)
		return perr(P, err,
		    "truncated partial: its last line has no line end (was the run that wrote it stopped?)");
	if (memchr(*s, '\0', *n) != NULL)
		return perr(P, err, "bad partial: a NUL byte");
	if (*n > 0 && (*s)[*n - 1] == '\r')
		(*s)[--*n] = '\0';
	return 0;
}

/*
 * The next line of P split at tabs into f[0..max), unescaped, with *nf its
 * number of fields: 0 at the end, max + 1 for more than max (no record kind
 * takes that many).  Returns 0 or a status with err filled.
 */
static int
next_rec(struct part *P, struct ls_str *f, int max, int *nf, struct ls_error *err)
{
	char *s;
	size_t n;
	int rc;

	*nf = 0;
	if ((rc = next_line(P, &s, &n, err)) != 0 || s == NULL)
		return rc;
	if ((*nf = ls_tsv_split(s, n, f, max)) == -1)
		return perr(P, err, "bad partial: a bad escape (a backslash not before t, n, r or another backslash)");
	if (*nf == -2)
		*nf = max + 1;
	return 0;
}

/* The next record, of kind and nf fields, into f; else LS_EDATA saying what was wanted. */
static int
expect_rec(struct part *P, struct ls_str *f, const char *kind, int nf, const char *want,
    struct ls_error *err)
{
	int got, rc;

	if ((rc = next_rec(P, f, nf, &got, err)) != 0)
		return rc;
	if (got != nf || !kpi_eq(&f[0], kind))
		return perr(P, err, want);
	return 0;
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

/* The records after a partial's first line, up to its period's agreement with k's. */
static int
merge_head(struct ls_kpi *k, struct part *P, struct ls_error *err)
{
	struct ls_str f[NSUMS + 3];
	struct ls_kpi_opts o = { 0 };
	char want[64];
	int i, nf, rc;

	if ((rc = expect_rec(P, f, "config", 2, "bad partial: expected 'config\\tFINGERPRINT'", err)) != 0)
		return rc;
	snprintf(want, sizeof(want), "%016llx", (unsigned long long)k->kc->fingerprint);
	if (!kpi_eq(&f[1], want))
		return perr(P, err, "partial made with another config (its fingerprint differs from -c's)");
	if ((rc = expect_rec(P, f, "period", 2, "bad partial: expected 'period\\tday|week|month'", err)) != 0)
		return rc;
	for (i = 0; i < 3; i++)
		if (kpi_eq(&f[1], period_names[i]))
			break;
	if (i == 3)
		return perr(P, err, "bad partial: unknown period kind");
	o.period = (enum ls_period)i;
	if ((rc = expect_rec(P, f, "range", 3, "bad partial: expected 'range\\tFROM\\tTO'", err)) != 0)
		return rc;
	if (parse_opt_date(&f[1], &o.has_from, &o.from) != 0 || parse_opt_date(&f[2], &o.has_to, &o.to) != 0)
		return perr(P, err, "bad partial: expected 'range\\tFROM\\tTO'");
	if ((rc = next_rec(P, f, NSUMS + 3, &nf, err)) != 0)
		return rc;
	if (nf < 1 || !kpi_eq(&f[0], "inputs") || nf > 1 + LS_KPI_NINPUTS)
		return perr(P, err, "bad partial: expected 'inputs\\tNAME...' (calls, deals, leads, tickets)");
	for (i = 1; i < nf; i++) {
		int j;

		for (j = 0; j < LS_KPI_NINPUTS && !kpi_eq(&f[i], input_names[j]); j++)
			;
		if (j == LS_KPI_NINPUTS)
			return perr(P, err, "bad partial: expected 'inputs\\tNAME...' (calls, deals, leads, tickets)");
		o.inputs |= 1u << j;
	}
	o.tickets = (o.inputs >> LS_KPI_IN_TICKETS) & 1;
	if ((rc = expect_rec(P, f, "sums", NSUMS + 3, "bad partial: its sums are not this version's",
	    err)) != 0)
		return rc;
	for (i = 0; i < 2 + NSUMS; i++)
		if (!kpi_eq(&f[1 + i], columns[i]))
			return perr(P, err, "bad partial: its sums are not this version's");
	if (!k->have_opts) {
		o.lead_day = o.has_to ? o.to : o.from;
		k->o = o;
		k->have_opts = 1;
		ls_kpi_set_range(k);
	} else {
		if (o.period != k->o.period || o.has_from != k->o.has_from || o.has_to != k->o.has_to ||
		    (o.has_from && kpi_day(&o.from) != kpi_day(&k->o.from)) ||
		    (o.has_to && kpi_day(&o.to) != kpi_day(&k->o.to)))
			return perr(P, err, "partial of another period or date range than the first partial's");
		k->o.tickets |= o.tickets;
		k->o.inputs |= o.inputs;
	}
	return 0;
}

/* One partial from P, after its first line: its head is checked against k, its groups added. */
static int
merge_one(struct ls_kpi *k, struct part *P, struct ls_error *err)
{
	struct ls_str f[NSUMS + 3];
	size_t ngroups = 0;
	int i, nf, rc;

	if ((rc = merge_head(k, P, err)) != 0)
		return rc;
	for (;;) {
		struct ls_date d;
		int64_t v[NSUMS], *gs;
		long m;

		if ((rc = next_rec(P, f, NSUMS + 3, &nf, err)) != 0)
			return rc;
		if (nf == 0)
			return perr(P, err, "truncated partial: no 'end' line (was the run that wrote it stopped?)");
		if (nf == 2 && kpi_eq(&f[0], "end")) {
			int64_t cnt;

			if (parse_i64(&f[1], &cnt) != 0 || cnt < 0 || (size_t)cnt != ngroups)
				return perr(P, err, "truncated partial: its 'end' line counts other groups");
			break;
		}
		if (nf != NSUMS + 3 || !kpi_eq(&f[0], "g") || ls_date_parse(f[1].p, f[1].n, &d, NULL) != 0)
			return perr(P, err, "bad partial: expected 'g\\tDAY\\tMANAGER\\tSUMS...'");
		for (i = 0; i < NSUMS; i++)
			if (parse_i64(&f[3 + i], &v[i]) != 0)
				return perr(P, err, "bad partial: a sum is not an integer");
		/* a group the table would never show must not be taken in silently */
		if (ls_kpi_period_start(k->o.period, kpi_day(&d)) != kpi_day(&d) ||
		    (k->o.has_from && kpi_day(&d) < ls_kpi_period_start(k->o.period, k->lo)) ||
		    (k->o.has_to && kpi_day(&d) > k->hi))
			return perr(P, err, "bad partial: a group's day is not the start of a period in its range");
		if ((m = ls_kpi_intern(k, f[2].p, f[2].n)) < 0 ||
		    (gs = ls_kpi_group(k, kpi_day(&d), (size_t)m)) == NULL)
			return ls_error_set(err, LS_ENOMEM, NULL, 0, 0, "out of memory");
		for (i = 0; i < NSUMS; i++)
			if (__builtin_add_overflow(gs[i], v[i], &gs[i]))
				return perr(P, err, "sum overflow");
		ngroups++;
	}
	k->nmerged++;
	return 0;
}

/*
 * A partial's first line: this version's, or LS_EDATA naming what it is
 * instead.  An older partial is refused rather than read: partials are
 * made and merged in one job, so making them again costs less than a
 * reader of every past format.
 */
static int
check_head(const struct part *P, const char *s, size_t n, struct ls_error *err)
{
	int ver;

	if (n >= strlen(PARTIAL_V1_PREFIX) && memcmp(s, PARTIAL_V1_PREFIX, strlen(PARTIAL_V1_PREFIX)) == 0)
		ver = 1;
	else if (ls_recfile_head_check(s, n, PARTIAL_PREFIX, PARTIAL_VERSION, PARTIAL_WHAT, P->name,
	    &ver, err) != 0) {
		if (err)
			err->line = P->L.line;	/* the head of a partial after others */
		return LS_EDATA;
	}
	if (ver < PARTIAL_VERSION)
		return ls_error_set(err, LS_EDATA, P->name, P->L.line, 0,
		    "a partial written by an older kpi-report (format v%d; this one reads v%d): "
		    "make it again with this kpi-report --partial", ver, PARTIAL_VERSION);
	return 0;
}

int
ls_kpi_merge(struct ls_kpi *k, const char *buf, size_t n, const char *name, struct ls_error *err)
{
	struct part P = { .L = { .mem = buf, .memlen = n }, .name = name };
	char *s;
	size_t len;
	int rc;

	/* partials come concatenated: each starts with its own first line */
	while ((rc = next_line(&P, &s, &len, err)) == 0 && s != NULL)
		if (len > 0 && ((rc = check_head(&P, s, len, err)) != 0 || (rc = merge_one(k, &P, err)) != 0))
			break;
	ls_recfile_lines_free(&P.L);
	return rc;
}

unsigned long
ls_kpi_merged(const struct ls_kpi *k)
{
	return k->nmerged;
}
