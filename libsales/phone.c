/* phone.c - telephone numbers to E.164; the rules are in phone.h. */
#include <stddef.h>
#include <string.h>

#include "error.h"
#include "phone.h"

/* E.164 allows 15 digits; "00" or "810" and a trunk prefix may come on top. */
#define MAXDIGITS	20
#define E164_MIN	8
#define E164_MAX	15

static const struct ls_phone_plan plans[] = {
	{ "RU", "7",   "8",  "810", "3489",      10, 10 },
	{ "KZ", "7",   "8",  "810", "67",        10, 10 },
	{ "BY", "375", "80", "810", "123456789",  9,  9 },
	{ "UA", "380", "0",  "",    "123456789",  9,  9 },
	{ "US", "1",   "1",  "011", "23456789",  10, 10 },
	{ "CA", "1",   "1",  "011", "23456789",  10, 10 },
	{ "DE", "49",  "0",  "",    "123456789",  6, 13 },
	{ "GB", "44",  "0",  "",    "1235789",    9, 10 },
};
#define NPLANS	(sizeof(plans) / sizeof(plans[0]))

/*
 * Calling-code prefixes that ITU keeps spare.  Only those that catch real
 * mistakes are listed: "+8 9xx" and "+8 3xx" for Russian 8 9xx / 8 3xx
 * numbers written with a '+', and 28x; the rest of an unknown code is
 * taken on trust.
 */
static const char *const spare[] = { "0", "28", "83", "89" };

/*
 * The plans' strings are a few bytes long, and every lead's number goes
 * through these tests several times: loops, not strlen(), strcmp() and
 * strchr() calls, which showed in profiles.
 */
static int
has_prefix(const char *s, size_t n, const char *pre)
{
	size_t k;

	for (k = 0; pre[k] != '\0'; k++)
		if (k >= n || s[k] != pre[k])
			return 0;
	return k > 0;
}

static int
same(const char *a, const char *b)
{
	while (*a != '\0' && *a == *b)
		a++, b++;
	return *a == *b;
}

static int
has_digit(const char *set, char c)
{
	for (; *set != '\0'; set++)
		if (*set == c)
			return 1;
	return 0;
}

static size_t
len(const char *s)
{
	size_t n = 0;

	while (s[n] != '\0')
		n++;
	return n;
}

static int
checked(const struct ls_phone_plan *p, const struct ls_phone_opts *o)
{
	size_t i;

	if (o == NULL || o->ncountries == 0)
		return 1;
	for (i = 0; i < o->ncountries; i++)
		if (o->countries[i] == p)
			return 1;
	return 0;
}

static int
plan_ok(const struct ls_phone_plan *p, const char *nsn, size_t n)
{
	if ((int)n < p->nsn_min || (int)n > p->nsn_max)
		return 0;
	if (!has_digit(p->first, nsn[0]))
		return 0;
	/* NANP: the exchange code (fourth digit) cannot start with 0 or 1 either. */
	if (same(p->cc, "1") && (nsn[3] == '0' || nsn[3] == '1'))
		return 0;
	/* GB: only some 01 areas and 0800 numbers are one digit short. */
	if (same(p->cc, "44") && n == 9 && nsn[0] != '1' && nsn[0] != '8')
		return 0;
	return 1;
}

/*
 * Check the international digits d[0..n).  A national form (national != 0)
 * must follow the plans of its calling code whether or not they are checked.
 */
static int
e164_ok(const char *d, size_t n, const struct ls_phone_opts *o, int national)
{
	const char *cc = NULL, *nsn;
	size_t i, ccl = 0, nn;
	int owned = 0, any_checked = 0;

	if (n < E164_MIN || n > E164_MAX)
		return 0;
	for (i = 0; i < sizeof(spare) / sizeof(spare[0]); i++)
		if (has_prefix(d, n, spare[i]))
			return 0;
	/* Calling codes are a prefix code, so the first match is the only one. */
	for (i = 0; i < NPLANS && cc == NULL; i++)
		if (has_prefix(d, n, plans[i].cc))
			cc = plans[i].cc;
	if (cc == NULL)
		return !national;
	ccl = len(cc);
	nsn = d + ccl;
	nn = n - ccl;
	if (nn == 0)
		return 0;

	/*
	 * Plans sharing a code split it by leading digit (KZ owns +7 6 and
	 * +7 7); a digit that no plan owns (+7 0) belongs to all of them and
	 * fails each.
	 */
	for (i = 0; i < NPLANS; i++)
		if (same(plans[i].cc, cc) && has_digit(plans[i].first, nsn[0]))
			owned = 1;
	for (i = 0; i < NPLANS; i++) {
		if (!same(plans[i].cc, cc))
			continue;
		if (owned && !has_digit(plans[i].first, nsn[0]))
			continue;
		if (!national && !checked(&plans[i], o))
			continue;
		any_checked = 1;
		if (plan_ok(&plans[i], nsn, nn))
			return 1;
	}
	/* National forms have no "unchecked" way out: see phone.h. */
	if (national)
		return 0;
	return !any_checked;
}

/*
 * Length of a separator at s[0..n), or 0.  The no-break spaces come from
 * Excel and Word, which put them between digit groups.
 */
static size_t
separator(const unsigned char *s, size_t n)
{
	switch (s[0]) {
	case ' ': case '\t': case '-': case '.': case '(': case ')': case '/':
		return 1;
	case 0xc2:
		return n >= 2 && s[1] == 0xa0 ? 2 : 0;
	case 0xe2:
		return n >= 3 && s[1] == 0x80 && s[2] == 0xaf ? 3 : 0;
	}
	return 0;
}

static int
emit(const char *d, size_t n, char *out)
{
	out[0] = '+';
	memcpy(out + 1, d, n);
	out[n + 1] = '\0';
	return 0;
}

/* Try the national digits nsn[0..n) under the default plan's calling code. */
static int
try_national(const struct ls_phone_plan *p, const char *nsn, size_t n,
    const struct ls_phone_opts *o, char *out)
{
	char e[MAXDIGITS + 4];
	size_t ccl = len(p->cc);

	if (n == 0 || ccl + n > E164_MAX)
		return 0;
	memcpy(e, p->cc, ccl);
	memcpy(e + ccl, nsn, n);
	if (!e164_ok(e, ccl + n, o, 1))
		return 0;
	emit(e, ccl + n, out);
	return 1;
}

int
ls_phone_normalize(const char *in, size_t n, const struct ls_phone_opts *o,
    char *out, size_t outsz)
{
	const unsigned char *s = (const unsigned char *)in;
	const struct ls_phone_plan *p;
	char d[MAXDIGITS];
	size_t i, k, nd = 0, skip;
	int plus = 0;

	if (out == NULL || outsz < LS_PHONE_MAX)
		return LS_EUSAGE;
	out[0] = '\0';
	for (i = 0; i < n; ) {
		if (s[i] >= '0' && s[i] <= '9') {
			if (nd == MAXDIGITS)
				return LS_EDATA;
			d[nd++] = (char)s[i++];
		} else if (s[i] == '+' && nd == 0 && !plus) {
			plus = 1;
			i++;
		} else if ((k = separator(s + i, n - i)) > 0) {
			i += k;
		} else
			return LS_EDATA;
	}
	if (nd == 0)
		return LS_EDATA;

	p = o != NULL ? o->default_country : NULL;
	skip = 0;
	if (!plus && has_prefix(d, nd, "00"))
		skip = 2;
	else if (!plus && p != NULL && has_prefix(d, nd, p->intl))
		skip = len(p->intl);
	if (plus || skip > 0) {
		if (!e164_ok(d + skip, nd - skip, o, 0))
			return LS_EDATA;
		return emit(d + skip, nd - skip, out);
	}
	if (p == NULL)
		return LS_EDATA;

	/*
	 * Trunk first ("8 916..." in RU), then the calling code without '+'
	 * ("7 916..."), then the bare national number ("916...").  A reading
	 * that breaks the plan falls through to the next one.
	 */
	if (has_prefix(d, nd, p->trunk) &&
	    try_national(p, d + len(p->trunk), nd - len(p->trunk), o, out))
		return 0;
	if (has_prefix(d, nd, p->cc) &&
	    try_national(p, d + len(p->cc), nd - len(p->cc), o, out))
		return 0;
	if (try_national(p, d, nd, o, out))
		return 0;
	out[0] = '\0';
	return LS_EDATA;
}

const struct ls_phone_plan *
ls_phone_country(const char *alpha2)
{
	size_t i;
	char u[3];

	if (alpha2 == NULL || strlen(alpha2) != 2)
		return NULL;
	for (i = 0; i < 2; i++)
		u[i] = alpha2[i] >= 'a' && alpha2[i] <= 'z' ? alpha2[i] - 'a' + 'A' : alpha2[i];
	u[2] = '\0';
	for (i = 0; i < NPLANS; i++)
		if (strcmp(plans[i].alpha2, u) == 0)
			return &plans[i];
	return NULL;
}

const struct ls_phone_plan *
ls_phone_plan_at(size_t i)
{
	return i < NPLANS ? &plans[i] : NULL;
}
