/*
 * fuzz_text.c - libFuzzer target for the small text parsers: money, dates
 * and times (ISO and DD.MM.YYYY, relative words), durations, phone numbers
 * and e-mail addresses.  The first byte picks the parser; each result is
 * also checked for what the parser promises (a parsed amount formats back
 * and parses to the same value; a valid phone is E.164 and normalises to
 * itself, found inside the cell, its note shorter than the cell; a valid
 * e-mail is a fixed point).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "email.h"
#include "money.h"
#include "phone.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *p = (const char *)data + 1;
	size_t n = size > 0 ? size - 1 : 0;
	char buf[LS_MONEY_BUFSZ], out[256];
	struct ls_date d;
	int64_t v, w, t, days, secs;

	if (size == 0)
		return 0;
	switch (data[0] % 6) {
	case 0:
		for (int scale = 0; scale <= 4; scale++)
			for (unsigned fl = 0; fl < 4; fl++)
				if (ls_money_parse(p, n, scale, fl, &v, NULL) == 0) {
					if (ls_money_format(v, scale, buf, sizeof(buf)) != 0 ||
					    ls_money_parse(buf, strlen(buf), scale, 0, &w, NULL) != 0 || w != v)
						abort();
				}
		break;
	case 1:
		if (ls_date_parse(p, n, &d, NULL) == 0 && !ls_date_valid(&d))
			abort();
		(void)ls_date_parse_rel(p, n, NULL, 1795640400, &d, NULL);
		for (unsigned fl = 0; fl < 4; fl++)
			(void)ls_time_parse(p, n, NULL, fl, &t, NULL);
		break;
	case 2:
		if (ls_duration_parse(p, n, &secs, NULL) == 0 && secs < 0)
			abort();
		(void)ls_duration_split(p, n, &days, &secs, NULL);
		break;
	case 3:
	case 4: {
		struct ls_phone_opts o = { 0 };
		char again[256];

		struct ls_phone_span at;
		char note[LS_PHONE_NOTE_MAX];

		o.default_country = ls_phone_country(data[0] % 6 == 3 ? "RU" : "DE");
		if (ls_phone_parse(p, n, &o, out, sizeof(out), &at) == 0) {
			if (out[0] != '+' || ls_phone_normalize(out, strlen(out), &o, again, sizeof(again)) != 0 ||
			    strcmp(out, again) != 0)
				abort();
			/* the number lies in the cell, and its words fit the note buffer */
			if (at.start > at.end || at.end > n ||
			    ls_phone_note(p, n, &at, note, sizeof(note)) >= n || strlen(note) >= n)
				abort();
		}
		break;
	}
	default:
		if (n < sizeof(out) && ls_email_normalize(p, n, out, sizeof(out)) == 0) {
			char again[256];
			if (ls_email_normalize(out, strlen(out), again, sizeof(again)) != 0 ||
			    strcmp(out, again) != 0)
				abort();
		}
		break;
	}
	return 0;
}
