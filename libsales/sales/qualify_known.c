/*
 * qualify_known.c - contacts: a lead's phone and e-mail normalised, with the
 * e-mail's de-duplication key, and the known clients and leads that
 * --against preloads into the de-duplication tables.
 */
#include <stdint.h>
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
ls_qualify_keep_id(struct ls_qualifier *q, const char *id, size_t n, uint32_t *ref)
{
	unsigned char hdr[10];
	size_t hl = 0, k;

	/* ids were kept as C strings before: one with a NUL byte is shown up to it, as then */
	for (k = 0; k < n; k++)
		if (id[k] == '\0')
			break;
	n = k;
	do {
		hdr[hl++] = (unsigned char)((k & 0x7f) | (k > 0x7f ? 0x80 : 0));
		k >>= 7;
	} while (k > 0);
	if (q->ids_len > UINT32_MAX || n > SIZE_MAX - hl - q->ids_len ||
	    ls_grow(&q->ids, &q->ids_cap, q->ids_len + hl + n, 1) < 0)
		return -1;
	*ref = (uint32_t)q->ids_len;
	memcpy(q->ids + q->ids_len, hdr, hl);
	if (n > 0)
		memcpy(q->ids + q->ids_len + hl, id, n);
	q->ids_len += hl + n;
	return 0;
}

int
ls_qualify_phone_owner(const struct ls_qualifier *q, const struct ls_str *ph, const struct facts *fa,
    uint32_t *ref)
{
	const void *v = fa->phone_k != 0 ? ls_intmap_get(q->phones, fa->phone_k) :
	    ls_keyset_get_h(q->phones_long, ph->p, ph->n, fa->phone_h);

	if (v == NULL)
		return 0;
	memcpy(ref, v, sizeof(*ref));
	return 1;
}

int
ls_qualify_phone_put(struct ls_qualifier *q, const struct ls_str *ph, const struct facts *fa,
    uint32_t ref)
{
	void *v;
	int created, st;

	if (fa->phone_k == 0)
		return ls_keyset_put_h(q->phones_long, ph->p, ph->n, fa->phone_h, (const char *)&ref,
		    sizeof(ref), NULL) != 0 ? -1 : 0;
	if ((v = ls_intmap_upsert(q->phones, fa->phone_k, &created, &st)) == NULL)
		return -1;
	if (created)
		memcpy(v, &ref, sizeof(ref));
	return 0;
}

int
ls_qualify_email_owner(const struct ls_qualifier *q, const struct ls_str *ekey, uint32_t h,
    uint32_t *ref)
{
	const char *v = ls_keyset_get_h(q->emails, ekey->p, ekey->n, h);

	if (v == NULL)
		return 0;
	memcpy(ref, v, sizeof(*ref));
	return 1;
}

int
ls_qualify_email_put(struct ls_qualifier *q, const struct ls_str *ekey, uint32_t h, uint32_t ref)
{
	return ls_keyset_put_h(q->emails, ekey->p, ekey->n, h, (const char *)&ref, sizeof(ref),
	    NULL) != 0 ? -1 : 0;
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
		struct ls_str ph, ek;
		struct facts fa = { 0 };
		uint32_t ref, other;
		int kept = 0;

		if (ls_qualify_contacts(&q->popts, c, c_ph >= 0 ? &rec.fields[c_ph] : &none,
		    c_em >= 0 ? &rec.fields[c_em] : &none) < 0)
			goto oom;
		ph = (struct ls_str){ c->phone, c->phone_len };
		ek = (struct ls_str){ c->ekey, c->ekey_len };
		if (c->pok && !ls_qualify_phone_key(ph.p, ph.n, &fa.phone_k))
			fa.phone_h = ls_keyset_hash(ph.p, ph.n);
		if (c->eok)
			fa.ekey_h = ls_keyset_hash(ek.p, ek.n);
		/* each key keeps its first holder; the id is kept once, when one of its keys is new */
		if (c->pok && !ls_qualify_phone_owner(q, &ph, &fa, &other)) {
			if (ls_qualify_keep_id(q, id->p, id->n, &ref) < 0 ||
			    ls_qualify_phone_put(q, &ph, &fa, ref) < 0)
				goto oom;
			kept = 1;
		}
		if (c->eok && !ls_qualify_email_owner(q, &ek, fa.ekey_h, &other)) {
			if ((!kept && ls_qualify_keep_id(q, id->p, id->n, &ref) < 0) ||
			    ls_qualify_email_put(q, &ek, fa.ekey_h, ref) < 0)
				goto oom;
		}
	}
	return rc < 0 ? err->status : 0;
oom:
	return ls_error_set(err, LS_ENOMEM, NULL, 0, 0, "out of memory");
}
