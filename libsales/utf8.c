/* utf8.c - the UTF-8 check every record read goes through. */
#include <stdint.h>
#include <string.h>

#include "record.h"

#define BYTES8	0x0101010101010101ull
/* non-zero when some byte of v is zero */
#define HASZERO(v)	(((v) - BYTES8) & ~(v) & 0x8080808080808080ull)

int
ls_utf8_valid(const unsigned char *s, size_t n, size_t *bad)
{
	size_t i = 0;

	while (i < n) {
		/* eight ASCII bytes at a time: the common case for CRM exports */
		while (i + 8 <= n) {
			uint64_t w;
			memcpy(&w, s + i, 8);
			if ((w & 0x8080808080808080ull) || HASZERO(w))
				break;
			i += 8;
		}
		if (i >= n)
			break;
		unsigned c = s[i];
		if (c == 0) {
			/* valid UTF-8, but no text field holds one, and C strings end there */
			*bad = i;
			return -1;
		}
		if (c < 0x80) {
			i++;
			continue;
		}
		/* two-byte sequences (Cyrillic, most of Latin-1) without the general path */
		if (c >= 0xc2 && c <= 0xdf && i + 1 < n && (s[i + 1] & 0xc0) == 0x80) {
			i += 2;
			while (i + 1 < n && s[i] >= 0xc2 && s[i] <= 0xdf && (s[i + 1] & 0xc0) == 0x80)
				i += 2;
			continue;
		}
		size_t len;
		unsigned min;
		if (c >= 0xc2 && c <= 0xdf) {
			len = 2; min = 0x80;
		} else if (c >= 0xe0 && c <= 0xef) {
			len = 3; min = 0x800;
		} else if (c >= 0xf0 && c <= 0xf4) {
			len = 4; min = 0x10000;
		} else {
			*bad = i;
			return 0;
		}
		if (i + len > n) {
			*bad = i;
			return 0;
		}
		unsigned cp = c & (0x7f >> len);
		for (size_t k = 1; k < len; k++) {
			if ((s[i + k] & 0xc0) != 0x80) {
				*bad = i;
				return 0;
			}
			cp = (cp << 6) | (s[i + k] & 0x3f);
		}
		if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) {
			*bad = i;
			return 0;
		}
		i += len;
	}
	return 1;
}
