/*
 * qualify_int.h - what the files of the qualifier share, and nothing outside
 * them sees: the rules as read (qualify_rules.c), the call index
 * (qualify_calls.c), the known contacts and the normalising of a contact
 * (qualify_known.c), and the qualifier's tables and scoring (qualify.c).
 *
 * Threads: prepare() and the calls' call_prepare() may run on a reader's
 * thread; they read only what is fixed before that thread starts (the
 * fields above ls_qualifier's pad_) and write only q->prep.  Everything else
 * is the main thread's.
 */
#ifndef LS_QUALIFY_INT_H
#define LS_QUALIFY_INT_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "expr.h"
#include "intmap.h"
#include "keyset.h"
#include "phone.h"
#include "qualify.h"

#define SCORE_MAX	1000000

/* Fields lead-qualify gives to rules besides the record's own. */
enum { X_OUTCOME, X_COUNT, X_LAST, NEXTRA };

/* Spec column names that the rules file may rename (NULL-terminated; qualify_rules.c). */
extern const char *const ls_qualify_spec_cols[];
#define NSPEC	10

struct rule {
	const char *name;
	size_t name_len;
	const char *src;		/* expression text, owned by the config */
	const char *file;
	long line, col;
	long score;
	int reject;
	struct ls_expr *expr;
};

struct ls_rules {
	struct ls_config *cfg;
	const struct ls_phone_plan *country;
	const struct ls_phone_plan **countries;
	size_t ncountries;
	const char *rename[NSPEC + 1];
	long threshold;
	struct rule *rules;
	size_t nrules;
};

/*
 * The latest call of one lead, kept as the call index's value: beside its
 * key, so that a lead's lookup touches one place in memory.  started_at is
 * kept as the instant and its offset when printing them gives back the
 * text as written (nearly always); other spellings are kept as text.
 */
#define OFF_Z		INT16_MIN	/* written with "Z" */
#define OFF_TEXT	INT16_MAX	/* written otherwise: texts + text */
struct call {
	int64_t at;
	uint32_t count;
	uint32_t text;			/* OFF_TEXT: offset of the text in texts */
	uint16_t outcome;		/* index into the interned outcome names */
	int16_t off;			/* minutes east of UTC, or OFF_Z, OFF_TEXT */
};
/* The bytes of a struct call that hold its fields: call_long keeps these, not its padding. */
#define CALL_SIZE	20
_Static_assert(offsetof(struct call, off) + sizeof(int16_t) == CALL_SIZE, "struct call's layout");
/*
 * call_idx keeps a call in 14 bytes (ls_qualify_call_pack()): at and off
 * in one word (at has 48 bits there: ls_time_parse() reads four-digit
 * years, within +-2^38 seconds), count, outcome.  The text of an OFF_TEXT
 * call is rare enough to live in a map of its own, call_text.
 */
#define PACKED_CALL	14
void ls_qualify_call_pack(void *v, const struct call *c);
void ls_qualify_call_unpack(const struct ls_qualifier *q, uint64_t k, const void *v, struct call *c);

/*
 * Keys that fit a word go to the integer maps (intmap.h), where a key and
 * its value are one slot, not a slot and an arena entry.  Both encodings
 * are one-to-one, so two different keys never share a word; a key that
 * does not fit goes, as text, to a keyset beside the map.
 *
 * A phone "+" and 1 to 18 digits (E.164 has 15 at most; a few plans allow
 * up to 20, which take the text path): the number with a 1 put before its
 * digits, so that "+70" and "+700" differ.
 */
static inline int
ls_qualify_phone_key(const char *p, size_t n, uint64_t *k)
{
	uint64_t v = 1;

	if (n < 2 || n > 19 || p[0] != '+')
		return 0;
	for (size_t i = 1; i < n; i++) {
		if (p[i] < '0' || p[i] > '9')
			return 0;
		v = v * 10 + (uint64_t)(p[i] - '0');
	}
	*k = v;
	return 1;
}

/*
 * A lead id of 1 to 8 bytes, none of them NUL: its bytes, zero-padded.
 * Two such ids differ in a byte the shorter one has as padding, which is
 * 0 in its word and not in the other's; no id gives 0.
 */
static inline int
ls_qualify_id_key(const char *p, size_t n, uint64_t *k)
{
	uint64_t v = 0;

	if (n == 0 || n > 8)
		return 0;
	/* eight bytes at most: a loop, not a call to memchr for every lead and call */
	for (size_t i = 0; i < n; i++)
		if (p[i] == '\0')
			return 0;
	memcpy(&v, p, n);
	*k = v;
	return 1;
}

/* What the calls reader works out for a call (call_prepare()). */
struct call_facts {
	uint64_t id_k;			/* ls_qualify_id_key(), or 0: the id is in call_long */
	uint32_t id_h;			/* the id's keyset hash when id_k is 0 */
};

/*
 * A lead's phone and e-mail, normalised, the e-mail's de-duplication key,
 * and the words the phone's cell held around the number (phone_note).
 */
struct contact {
	int pok, eok;
	char phone[LS_PHONE_MAX];
	size_t phone_len;
	char note[LS_PHONE_NOTE_MAX];
	size_t note_len;
	char *email, *ekey;
	size_t email_len, ekey_len, email_cap, ekey_cap;
};

/*
 * What a lead's own fields and the call index decide, worked out by
 * prepare() where the lead is read: the reading thread when there is one.
 * It travels as the last prepared value.  The rest is done in
 * ls_qualify(), in input order: de-duplication needs the leads before.
 */
enum { P_PHONE, P_EMAIL, P_EKEY, P_NOTE, P_FACTS, NPREP };
struct facts {
	uint64_t phone_k;		/* ls_qualify_phone_key(), or 0: the phone is in phones_long */
	uint32_t phone_h, ekey_h;	/* keyset hashes of the de-duplication keys (phone_h: when phone_k is 0) */
	int called;
	struct call call;
};

#define HINT_LAG	8		/* see hint() */

/*
 * prepare()'s and call_prepare()'s scratch, touched by the reading thread
 * only; a block of its own, so that its writes do not keep taking cache
 * lines away from the main thread.
 */
struct prep {
	struct call_facts cf;
	struct contact ct;
	unsigned char facts[sizeof(struct facts)];
	uint32_t lag[HINT_LAG];		/* hint()'s last call index hashes */
	size_t lag_len[HINT_LAG];	/* and their ids' lengths, 0 for none */
	size_t nhints;
};

struct ls_qualifier {
	/* read by the reading threads too (prepare(), call_prepare()): set before they start */
	const struct ls_rules *rules;
	size_t ncols;
	long c_id, c_phone, c_email;
	long c_note;			/* the input's own phone_note column (a re-run), or -1 */
	long cc_id, cc_at, cc_out;	/* the calls input's columns */
	struct ls_phone_opts popts;
	/* lead_id -> struct call (CALL_SIZE bytes); filled before the leads are read */
	struct ls_intmap *call_idx;	/* ids that ls_qualify_id_key() packs, PACKED_CALL bytes */
	struct ls_intmap *call_text;	/* their OFF_TEXT calls' text offsets (uint32_t) */
	struct ls_keyset *call_long;	/* the others, as text */
	struct prep *prep;
	/*
	 * What follows the main thread writes as it goes: kept off the cache
	 * lines above, which would otherwise travel between the cores.
	 */
	char pad_[64];

	struct rule *rules_c;		/* compiled copies (expressions bound to this header) */
	/*
	 * De-duplication: each key's value is the 4-byte offset in ids of the
	 * lead that holds it, whose id is kept once however many keys point at
	 * it: a varint length, then the id.
	 */
	struct ls_intmap *phones;	/* phones that ls_qualify_phone_key() packs */
	struct ls_keyset *phones_long;	/* the others, as text */
	struct ls_keyset *emails;	/* de-duplication keys of the e-mails */
	unsigned char *ids;
	size_t ids_len, ids_cap;
	char *texts;			/* started_at values kept as written: a length byte, the text */
	size_t texts_len, texts_cap;
	struct ls_keyset *outcome_idx;
	struct ls_str *outcomes;
	size_t noutcomes, outcomes_cap, last_outcome;

	struct ls_reader *leads;	/* records come prepared by this reader: ls_qualifier_attach() */
	int attached;
	struct ls_str own[NPREP];	/* prepared values when they do not */
	struct contact known;		/* ls_qualifier_load_known()'s scratch */

	/* per-record scratch of ls_qualify() */
	struct ls_str *slots;
	char *reasons;
	size_t reasons_len, reasons_cap;
	char score_buf[32], count_buf[32], ts_buf[LS_TIME_BUFSZ];
};

/*
 * The de-duplication tables (qualify_known.c).  The lookups return 1 and the
 * holder's offset in q->ids when the key is there, else 0; the puts store a
 * key that is not there yet with the holder ref and return 0, or -1 when
 * memory is short.  A phone comes with its facts (phone_k, phone_h), an
 * e-mail's key with its hash.
 */
int ls_qualify_phone_owner(const struct ls_qualifier *q, const struct ls_str *ph,
    const struct facts *fa, uint32_t *ref);
int ls_qualify_phone_put(struct ls_qualifier *q, const struct ls_str *ph, const struct facts *fa,
    uint32_t ref);
int ls_qualify_email_owner(const struct ls_qualifier *q, const struct ls_str *ekey, uint32_t h,
    uint32_t *ref);
int ls_qualify_email_put(struct ls_qualifier *q, const struct ls_str *ekey, uint32_t h, uint32_t ref);
/* Keep id[0..n) in q->ids; *ref gets its offset.  -1 when memory is short or ids passed 4 GB. */
int ls_qualify_keep_id(struct ls_qualifier *q, const char *id, size_t n, uint32_t *ref);

/* The id kept at ref by ls_qualify_keep_id(); valid until the qualifier is freed or keeps another. */
static inline struct ls_str
ls_qualify_id_at(const struct ls_qualifier *q, uint32_t ref)
{
	const unsigned char *e = q->ids + ref;
	size_t n = 0;
	int shift = 0;

	do {
		n |= (size_t)(*e & 0x7f) << shift;
		shift += 7;
	} while (*e++ & 0x80);
	return (struct ls_str){ (const char *)e, n };
}

/* Normalise a phone and an e-mail into c; -1 when memory is short (qualify_known.c). */
int ls_qualify_contacts(const struct ls_phone_opts *po, struct contact *c, const struct ls_str *ph,
    const struct ls_str *em);

/*
 * started_at of c as it was written, in buf (LS_TIME_BUFSZ bytes) when
 * made anew.  Inline: ls_qualify() calls it for every lead called, and the
 * call index (qualify_calls.c) decides the spellings it reads.
 */
static inline struct ls_str
ls_qualify_call_time(const struct ls_qualifier *q, const struct call *c, char *buf)
{
	if (c->off == OFF_TEXT) {
		const unsigned char *t = (const unsigned char *)q->texts + c->text;
		return (struct ls_str){ (const char *)t + 1, t[0] };
	}
	if (c->off == OFF_Z) {
		ls_time_format(NULL, c->at, buf, LS_TIME_BUFSZ);
		return (struct ls_str){ buf, 20 };
	}
	int a = abs(c->off);		/* under 100 hours: canonical_offset() read two digits */
	ls_time_format(NULL, c->at + c->off * 60, buf, LS_TIME_BUFSZ);
	buf[19] = c->off < 0 ? '-' : '+';
	buf[20] = (char)('0' + a / 600);
	buf[21] = (char)('0' + a / 60 % 10);
	buf[22] = ':';
	buf[23] = (char)('0' + a % 60 / 10);
	buf[24] = (char)('0' + a % 10);
	buf[25] = '\0';
	return (struct ls_str){ buf, 25 };
}

#endif
