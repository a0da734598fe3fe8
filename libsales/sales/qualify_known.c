/*
 * qualify_known.c - contacts: a lead's phone and e-mail normalised, with the
 * e-mail's de-duplication key, and the known clients and leads that
 * --against preloads into the de-duplication tables.
 */
#include <string.h>

#include "email.h"
#include "qualify_int.h"
#include "util.h"

/* Normalise a phone and an e-mail into c; -1 when memory is short. */
int
ls_qualify_contacts(const struct ls_phone_opts *po, struct contact *c, const struct ls_str *ph,
    const struct ls_str *em)
{
	struct ls_phone_span at;

	c->pok = ph->n > 0 && ls_phone_parse(ph->p, ph->n, po, c->phone, sizeof(c->phone), &at) == 0;
	c->phone_len = c->pok ? strlen(c->phone) : 0;
	/* words only where the number did not take the whole cell: plain cells skip this */
	c->note_len = 0;
	c->note[0] = '\0';
	if (c->pok && (at.start > 0 || at.end < ph->n))
		c->note_len = ls_phone_note(ph->p, ph->n, &at, c->note, sizeof(c->note));
	c->eok = 0;
	c->email_len = c->ekey_len = 0;
	if (em->n == 0)
		return 0;
	if (ls_grow(&c->email, &c->email_cap, em->n + 1, 1) < 0 ||
	    ls_grow(&c->ekey, &c->ekey_cap, em->n + 1, 1) < 0)
		return -1;
	if (ls_email_normalize(em->p, em->n, c->email, c->email_cap) == 0) {
		c->email_len = strlen(c->email);
		if (ls_email_dedup_key(c->email, c->email_len, c->ekey, c->ekey_cap, &c->ekey_len) != 0)
			return -1;
		c->eok = 1;
	}
	return 0;
}

int
ls_qualifier_load_known(struct ls_qualifier *q, struct ls_reader *in, struct ls_error *err)
{
	const char *pn = ls_rules_column(q->rules, "phone"), *en = ls_rules_column(q->rules, "email");
	long c_ph = ls_reader_col(in, pn), c_em = ls_reader_col(in, en);
	long c_id = ls_reader_col(in, ls_rules_column(q->rules, "lead_id"));
	struct contact *c = &q->known;
	struct ls_record rec;
	int rc;

	if (c_id < 0)
		c_id = ls_reader_col(in, "client_id");
	if (c_id < 0)
		c_id = 0;
	if (c_ph < 0 && c_em < 0)
		return ls_error_set(err, LS_ECONFIG, ls_reader_file(in), 0, 0,
		    "known input has neither a '%s' nor an '%s' column (needed by --against)", pn, en);
	while ((rc = ls_reader_next(in, &rec, err)) > 0) {
		static const struct ls_str none = { "", 0 };
		const struct ls_str *id = &rec.fields[c_id];

		if (ls_qualify_contacts(&q->popts, c, c_ph >= 0 ? &rec.fields[c_ph] : &none,
		    c_em >= 0 ? &rec.fields[c_em] : &none) < 0)
			goto oom;
		if (c->pok && ls_keyset_put(q->phones, c->phone, c->phone_len, id->p, id->n, NULL))
			goto oom;
		if (c->eok && ls_keyset_put(q->emails, c->ekey, c->ekey_len, id->p, id->n, NULL))
			goto oom;
	}
	return rc < 0 ? err->status : 0;
oom:
	return ls_error_set(err, LS_ENOMEM, NULL, 0, 0, "out of memory");
}
