/*
 * qualify.h - the sales officer's pass over a cold base (lead-qualify(1)):
 * normalise contacts, de-duplicate, join call outcomes, score by rules,
 * and give each lead one status.
 *
 * Use: ls_rules_load() the rules file (or NULL for the defaults), open the
 * leads, ls_qualifier_new() against their header (expressions are compiled
 * there: an unknown column is a config error), optionally
 * ls_qualifier_load_calls() and ls_qualifier_load_known(), then
 * ls_qualify() each record.
 *
 * The rules file is qualify_rules.h's (ls_rules_*), the statuses
 * lead_status.h's (ls_lead_status_*); both are included here.
 *
 * Threads: a qualifier is used by one thread, the one that made it, except
 * for the work it hands to the leads' reading thread through
 * ls_qualifier_attach() (and to the calls reader's, during
 * ls_qualifier_load_calls()), which it joins before it returns or frees.
 */
#ifndef LS_QUALIFY_H
#define LS_QUALIFY_H

#include <stddef.h>

#include "error.h"
#include "lead_status.h"
#include "qualify_rules.h"
#include "record.h"

struct ls_rules;

struct ls_qualifier;

/*
 * Compile the rules against the leads' header hdr[0..ncols).  Rules may use
 * the call_outcome, call_count and last_call_at fields whether calls are
 * loaded or not (empty, 0 and empty for a lead never called).  rules must
 * outlive the qualifier.  NULL with err filled (LS_ECONFIG for a rule
 * naming a column the input lacks, or a missing lead_id/phone/email column).
 */
struct ls_qualifier *ls_qualifier_new(const struct ls_rules *rules, const struct ls_str *hdr,
    size_t ncols, struct ls_error *err);

/*
 * Read a calls stream (lead_id, started_at, outcome) and keep, per lead, the
 * latest call's outcome and time and the number of calls.  A bad started_at
 * is a data error naming the calls file and line.  The reader is read to its
 * end but not freed.
 */
int ls_qualifier_load_calls(struct ls_qualifier *q, struct ls_reader *calls, struct ls_error *err);

/*
 * Preload de-duplication keys from a stream of known clients or leads
 * (columns phone and/or email, renamed as in the rules; the id shown in
 * duplicate_of= is the lead_id column, else client_id, else the first).
 */
int ls_qualifier_load_known(struct ls_qualifier *q, struct ls_reader *known, struct ls_error *err);

/* The outcome of one lead.  Views are owned by the qualifier, valid until the next ls_qualify(). */
struct ls_lead {
	enum ls_lead_status status;
	long score;
	struct ls_str reasons;		/* "bad_email;duplicate_of=L1;big_company" */
	struct ls_str score_text;
	/* the words the phone's cell held around the number ("Иван", "доб. 12"), or the input's own phone_note */
	struct ls_str phone_note;
	struct ls_str call_outcome, call_count, last_call_at;
	/* the record's fields with phone and email normalised in place of the originals */
	const struct ls_str *fields;
	size_t nfields;
};

/*
 * Have the leads reader do the costly part of qualifying that depends on
 * one lead alone (contacts and the latest call) as it reads, on its
 * readahead thread when it has one, and size the de-duplication tables from
 * the reader's estimate.  Call it before the first record is read (before
 * the calls are loaded, it sizes the call index for the leads too); every
 * record given to ls_qualify() must then come from that reader.  The
 * reader and q may then be freed in either
 * order: ls_qualifier_free() stops the reader's thread first, and a reader
 * freed first lets go of q.  Returns 0, or LS_ENOMEM / LS_EUSAGE from
 * ls_reader_prepare(); without it ls_qualify() does all the work itself.
 */
int ls_qualifier_attach(struct ls_qualifier *q, struct ls_reader *leads);

/* Qualify one record of the leads stream.  Returns 0 or LS_ENOMEM. */
int ls_qualify(struct ls_qualifier *q, const struct ls_record *rec, struct ls_lead *out,
    struct ls_error *err);

/* Distinct de-duplication keys held, and bytes they take (for -v). */
size_t ls_qualifier_keys(const struct ls_qualifier *q, size_t *bytes);

/* Free; NULL is a no-op. */
void ls_qualifier_free(struct ls_qualifier *q);

#endif
