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

#include <stdint.h>
#include <stdlib.h>

#include "date.h"
#include "expr.h"
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

/* What the calls reader works out for a call (call_prepare()). */
struct call_facts {
	uint32_t id_h;
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
	uint32_t phone_h, ekey_h;	/* keyset hashes of the de-duplication keys */
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
	struct ls_keyset *call_idx;	/* lead_id -> struct call; filled before the leads are read */
	struct prep *prep;
	/*
	 * What follows the main thread writes as it goes: kept off the cache
	 * lines above, which would otherwise travel between the cores.
	 */
	char pad_[64];

	struct rule *rules_c;		/* compiled copies (expressions bound to this header) */
	struct ls_keyset *phones, *emails;
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
