/*
 * phone_data.h - the tables phone.c reads, generated into phone_data.c by
 * tools/gen-phone-data.py from libphonenumber's metadata.  Private to
 * phone.c (and its unit test): not part of the library's interface.
 *
 * The valid national significant numbers (NSN) of all calling codes are one
 * minimal acyclic DFA over the digits: from a calling code's start state,
 * each digit moves to ls_phone_next[state][digit] (0 is the dead state), and
 * the state after the NSN's last digit accepts when ls_phone_accept[state]
 * is non-zero, naming the region (its index in ls_phone_plans, plus one).
 */
#ifndef LS_PHONE_DATA_H
#define LS_PHONE_DATA_H

#include <stddef.h>
#include <stdint.h>

#include "phone.h"

struct ls_phone_cc {
	const char *cc;		/* calling code, digits */
	uint32_t start;		/* DFA state before the NSN's first digit */
	uint16_t reg_off;	/* its regions: ls_phone_cc_regions[reg_off..+nreg) */
	uint16_t nreg;
};

/* An E.164 prefix that libphonenumber's leading digits give to a region. */
struct ls_phone_lead {
	const char *prefix;
	uint16_t region;
};

extern const char ls_phone_data_version[];

/* Regions: ls_phone_ngeo geographic ones sorted by alpha-2, then "001" (+800 ...). */
extern const struct ls_phone_plan ls_phone_plans[];
extern const size_t ls_phone_nplans, ls_phone_ngeo;

extern const struct ls_phone_cc ls_phone_ccs[];
extern const size_t ls_phone_nccs;
extern const uint16_t ls_phone_cc_regions[];
/* calling code slot (1 digit: 0-9, 2 digits: 10-109, 3: 110-1109) -> ls_phone_ccs index + 1 */
extern const uint16_t ls_phone_cc_slot[1110];

/* Sorted by prefix; only calling codes shared by several regions have any. */
extern const struct ls_phone_lead ls_phone_leads[];
extern const size_t ls_phone_nleads;

extern const uint16_t ls_phone_accept[];
extern const uint16_t ls_phone_next[][10];
extern const size_t ls_phone_nstates;

#endif
