/*
 * phone.h - telephone numbers to E.164 ("+79161234567").
 *
 * A number is read as international when it starts with '+' or "00" (or the
 * default country's own international prefix: 8 10 in RU, KZ and BY, 011 in
 * US/CA), else as a national number of the default country: its trunk prefix
 * (RU/KZ 8, BY 8 0, UA/DE/GB 0, US/CA 1) or its calling code may lead, or
 * neither ("9161234567" in RU).  Formatting is dropped: spaces, tabs, '-',
 * '.', '(', ')', '/', and the no-break spaces U+00A0 and U+202F that office
 * programs insert.  Anything else (letters, "ext 12", "доб. 12", "x12",
 * "n/a", ',', '#', a second '+') makes the value invalid: a number with an
 * extension is reported, not guessed at.
 *
 * Plans.  The module knows these countries:
 *
 *	RU +7     10 digits, first 3, 4, 8 or 9 (+7 6xx/7xx is KZ)
 *	KZ +7     10 digits, first 6 or 7
 *	BY +375    9 digits
 *	UA +380    9 digits
 *	US, CA +1 10 digits, NANP: area code and exchange start with 2-9
 *	DE +49    6 to 13 digits (open numbering: 3-digit service numbers
 *	          aside, the shortest subscriber numbers give 6, E.164's 15
 *	          digits give 13)
 *	GB +44    10 digits, or 9 for the few 01 areas and 0800 numbers
 *	          that have them
 *
 * A national significant number never starts with 0 in these plans.  A
 * number whose country is in the checked list must follow its plan.  Any
 * other number (an unchecked plan, or a calling code this module has no
 * plan for, such as +33) is accepted when it has a plausible E.164 length,
 * 8 to 15 digits with the calling code, and does not start with a spare
 * calling-code prefix (0, 28, 83, 89: "+8 916 ..." is a common mistake for
 * +7 and is reported, not kept).  National forms are always read with the
 * default country's plan, checked or not: without it there is nothing to
 * tell "9161234567" from a number of any length.
 *
 * US and CA share +1 and cannot be told apart without an area-code list;
 * a +1 number is checked when either is in the checked list.
 */
#ifndef LS_PHONE_H
#define LS_PHONE_H

#include <stddef.h>

/* Output size that always suffices: '+', 15 digits, NUL. */
#define LS_PHONE_MAX 17

/* A country's numbering plan.  Entries are static; never free them. */
struct ls_phone_plan {
	const char *alpha2;	/* ISO 3166-1 alpha-2, upper case */
	const char *cc;		/* country calling code, digits */
	const char *trunk;	/* national trunk prefix, "" when none */
	const char *intl;	/* international prefix besides "00", "" when none */
	const char *first;	/* digits a national significant number may start with */
	int nsn_min, nsn_max;	/* national significant number length */
};

struct ls_phone_opts {
	/* Country of numbers written without '+'; NULL accepts international forms only. */
	const struct ls_phone_plan *default_country;
	/*
	 * Plans whose rules are checked, as returned by ls_phone_country()
	 * (compared by address); ncountries == 0 checks every known plan.
	 * The array is the caller's and is only read.
	 */
	const struct ls_phone_plan *const *countries;
	size_t ncountries;
};

/*
 * The plan for an ISO alpha-2 code ("RU", case-insensitive), or NULL when the
 * module has none: the config loader turns NULL into "unknown country".
 */
const struct ls_phone_plan *ls_phone_country(const char *alpha2);

/* The i-th known plan, or NULL when i is past the end (to list them in messages). */
const struct ls_phone_plan *ls_phone_plan_at(size_t i);

/*
 * Normalise in[0..n) (UTF-8, not necessarily NUL-terminated) into out as a
 * NUL-terminated E.164 string.  opts may be NULL (no default country, every
 * plan checked).  Returns 0, LS_EDATA when the value is not a valid number
 * (out is then an empty string when outsz > 0), or LS_EUSAGE when outsz is
 * below LS_PHONE_MAX.  Allocates nothing and keeps no state; out belongs to
 * the caller.
 */
int ls_phone_normalize(const char *in, size_t n, const struct ls_phone_opts *opts,
    char *out, size_t outsz);

#endif
