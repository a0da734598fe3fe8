/* email.c - e-mail addresses; the rule is in email.h. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "error.h"
#include "email.h"

#define LABEL_MAX	63

/*
 * Byte classes, by table: every lead's address is checked, and a strchr()
 * per byte showed in profiles.  Bytes from 0x80 are in no class.
 */
#define C_ALNUM	1		/* ASCII letter or digit */
#define C_LOCAL	2		/* allowed in the local part */
#define C_LABEL	4		/* allowed inside a domain label: alnum or '-' */
static const unsigned char cls[256] = {
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 2, 0, 2, 2, 2, 2, 2, 0, 0, 2, 2, 0, 6, 2, 2,
	7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 0, 0, 0, 2, 0, 2,
	0, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7,
	7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 0, 0, 0, 2, 2,
	2, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7,
	7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 2, 2, 2, 2, 0,
};

static int
is_alnum(unsigned char c)
{
	return cls[c] & C_ALNUM;
}

/* WHATWG's ASCII whitespace: tab, LF, FF, CR, space. */
static int
is_space(unsigned char c)
{
	return c == '\t' || c == '\n' || c == '\f' || c == '\r' || c == ' ';
}

static int
is_local(unsigned char c)
{
	return cls[c] & C_LOCAL;
}

static int
valid(const unsigned char *s, size_t n)
{
	size_t i = 0, label;

	while (i < n && is_local(s[i]))
		i++;
	if (i == 0 || i == n || s[i] != '@')
		return 0;
	i++;
	for (;;) {
		label = 0;
		if (i == n || !is_alnum(s[i]))
			return 0;
		while (i < n && (cls[s[i]] & C_LABEL)) {
			i++;
			label++;
		}
		if (label > LABEL_MAX || s[i - 1] == '-')
			return 0;
		if (i == n)
			return 1;
		if (s[i] != '.')
			return 0;
		i++;
	}
}

/*
 * Eight bytes lower-cased at once: a byte below 0x80 gets 0x20 when it is
 * at least 'A' and not past 'Z', which the high bit of the byte plus 0x3F
 * and plus 0x25 tell.  No sum carries into the next byte.
 */
static uint64_t
lower8(uint64_t x)
{
	uint64_t t = x & 0x7f7f7f7f7f7f7f7full;
	uint64_t from_a = t + 0x3f3f3f3f3f3f3f3full, past_z = t + 0x2525252525252525ull;

	return x | (((from_a ^ past_z) & ~x & 0x8080808080808080ull) >> 2);
}

int
ls_email_normalize(const char *in, size_t n, char *out, size_t outsz)
{
	const unsigned char *s = (const unsigned char *)in;
	size_t b = 0, e = n, i;

	/* NBSP is C2 A0 in UTF-8; office programs paste it around addresses. */
	for (;;) {
		if (b < e && is_space(s[b]))
			b++;
		else if (e - b >= 2 && s[b] == 0xc2 && s[b + 1] == 0xa0)
			b += 2;
		else
			break;
	}
	for (;;) {
		if (e > b && is_space(s[e - 1]))
			e--;
		else if (e - b >= 2 && s[e - 2] == 0xc2 && s[e - 1] == 0xa0)
			e -= 2;
		else
			break;
	}
	if (out == NULL || outsz < e - b + 1)
		return LS_EUSAGE;
	/* Forward copy: out may be in, and out[i] never passes s[b + i]. */
	for (i = 0; i + 8 <= e - b; i += 8) {
		uint64_t x;

		memcpy(&x, s + b + i, 8);
		x = lower8(x);
		memcpy(out + i, &x, 8);
	}
	for (; i < e - b; i++) {
		unsigned char c = s[b + i];

		out[i] = (char)(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
	}
	out[e - b] = '\0';
	return valid((const unsigned char *)out, e - b) ? 0 : LS_EDATA;
}

int
ls_email_dedup_key(const char *email, size_t n, char *out, size_t outsz,
    size_t *keylen)
{
	const char *at, *plus;
	size_t head, tail;

	if (out == NULL || outsz < n + 1)
		return LS_EUSAGE;
	at = memchr(email, '@', n);
	plus = at != NULL ? memchr(email, '+', (size_t)(at - email)) : NULL;
	if (plus == NULL || plus == email) {
		memmove(out, email, n);
		out[n] = '\0';
		if (keylen != NULL)
			*keylen = n;
		return 0;
	}
	head = (size_t)(plus - email);
	tail = n - (size_t)(at - email);
	memmove(out, email, head);
	memmove(out + head, at, tail);
	out[head + tail] = '\0';
	if (keylen != NULL)
		*keylen = head + tail;
	return 0;
}
