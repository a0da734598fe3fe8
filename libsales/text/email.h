/*
 * email.h - e-mail addresses: trimmed, lower-cased, checked.
 *
 * The check is the WHATWG HTML "valid email address" production, the rule a
 * browser applies to <input type=email>:
 *
 *	local  = 1*( ALPHA / DIGIT / "!#$%&'*+/=?^_`{|}~.-" )
 *	label  = ALPHA / DIGIT, then up to 62 of ALPHA / DIGIT / "-",
 *	         not ending with "-" (1 to 63 characters)
 *	domain = label *( "." label )
 *	address = local "@" domain
 *
 * Taken as written: dots may lead, trail or repeat in the local part, and a
 * single-label domain ("ivan@localhost") is valid.  A base that wants a dot
 * in the domain says so with a rule, if: 'not (email ~ "@.+[.]")'.  No length
 * limit other than the labels' is applied, as WHATWG applies none.
 * Non-ASCII (internationalised) addresses are not valid by this rule.
 */
#ifndef LS_EMAIL_H
#define LS_EMAIL_H

#include <stddef.h>

/*
 * Normalise in[0..n) into out, NUL-terminated: leading and trailing ASCII
 * whitespace and U+00A0 no-break spaces (pasted from office programs) are
 * dropped and ASCII letters lower-cased.  out may be in itself; it belongs
 * to the caller and needs n + 1 bytes at most.  Returns 0 for a valid
 * address, LS_EDATA for an invalid one (out then holds the trimmed,
 * lower-cased text all the same, so the caller may show it), or LS_EUSAGE
 * when outsz cannot hold the result.  Allocates nothing.
 */
int ls_email_normalize(const char *in, size_t n, char *out, size_t outsz);

/*
 * The de-duplication key of a normalised address email[0..n): the address
 * with a "+tag" dropped from its local part, so that "ivan+promo@example.com"
 * and "ivan@example.com" match.  A local part that starts with '+' is kept
 * whole, since dropping the tag would leave nothing of it.  Writes a
 * NUL-terminated key to out (which may be email itself) and its length to
 * *keylen when keylen is not NULL.  Returns 0, or LS_EUSAGE when outsz is
 * below n + 1.
 */
int ls_email_dedup_key(const char *email, size_t n, char *out, size_t outsz,
    size_t *keylen);

#endif
