/* test_qualify.c - lead-qualify's logic: status precedence, reasons, de-duplication, calls. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lead_status.h"
#include "cli_list.h"
#include "qualify.h"
#include "qualify_int.h"
#include "qualify_rules.h"

static char tmpdir[] = "/tmp/test_qualify.XXXXXX";

static const char *
write_file(const char *name, const char *text)
{
	static char path[8][256];
	static int k;
	char *p = path[k++ % 8];
	FILE *fp;

	snprintf(p, 256, "%s/%s", tmpdir, name);
	fp = fopen(p, "w");
	assert_non_null(fp);
	fputs(text, fp);
	fclose(fp);
	return p;
}

struct run {
	struct ls_rules *rules;
	struct ls_qualifier *q;
	struct ls_reader *in;
	struct ls_error err;
};

/* Open leads text with rules text (NULL: no rules file) and optional calls/known texts. */
static int
run_open(struct run *r, const char *rules, const char *leads, const char *calls, const char *known)
{
	const char *path;

	memset(r, 0, sizeof(*r));
	r->rules = ls_rules_load(rules ? write_file("rules.yaml", rules) : NULL, &r->err);
	if (r->rules == NULL)
		return r->err.status;
	path = write_file("leads.csv", leads);
	r->in = ls_reader_open(&path, 1, NULL, &r->err);
	assert_non_null(r->in);
	r->q = ls_qualifier_new(r->rules, ls_reader_header(r->in), ls_reader_ncols(r->in), &r->err);
	if (r->q == NULL)
		return r->err.status;
	if (calls) {
		const char *cp = write_file("calls.csv", calls);
		struct ls_reader *c = ls_reader_open(&cp, 1, NULL, &r->err);
		assert_non_null(c);
		int rc = ls_qualifier_load_calls(r->q, c, &r->err);
		ls_reader_free(c);
		if (rc)
			return rc;
	}
	if (known) {
		const char *kp = write_file("known.csv", known);
		struct ls_reader *k = ls_reader_open(&kp, 1, NULL, &r->err);
		assert_non_null(k);
		int rc = ls_qualifier_load_known(r->q, k, &r->err);
		ls_reader_free(k);
		if (rc)
			return rc;
	}
	return 0;
}

static void
run_close(struct run *r)
{
	ls_qualifier_free(r->q);
	ls_reader_free(r->in);
	ls_rules_free(r->rules);
}

/* Qualify every lead and compare "status reasons" per line with want. */
static void
expect_run(const char *rules, const char *leads, const char *calls, const char *known,
    const char *const *want)
{
	struct run r;
	struct ls_record rec;
	struct ls_lead lead;
	char got[512];
	size_t i = 0;

	assert_int_equal(run_open(&r, rules, leads, calls, known), 0);
	while (ls_reader_next(r.in, &rec, &r.err) > 0) {
		assert_int_equal(ls_qualify(r.q, &rec, &lead, &r.err), 0);
		snprintf(got, sizeof(got), "%s %ld %.*s", ls_lead_status_name(lead.status), lead.score,
		    (int)lead.reasons.n, lead.reasons.p);
		assert_non_null(want[i]);
		assert_string_equal(got, want[i]);
		i++;
	}
	assert_null(want[i]);
	run_close(&r);
}

static const char rules_std[] =
    "threshold: 30\n"
    "rules:\n"
    "  - {name: big, if: \"employees >= 50\", score: 20}\n"
    "  - {name: retail, if: \"industry in [retail, logistics]\", score: 15}\n"
    "  - {name: hot, if: \"call_outcome == interested\", score: 40}\n"
    "  - {name: dnc, if: \"call_outcome == do_not_call\", status: rejected}\n";

static void
test_precedence(void **state)
{
	(void)state;
	static const char leads[] =
	    "lead_id,phone,email,employees,industry\n"
	    "L1,,,500,retail\n"				/* invalid beats everything */
	    "L2,+79161234567,a@x.ru,500,retail\n"	/* qualified */
	    "L3,89161234567,b@x.ru,500,retail\n"	/* duplicate beats qualified */
	    "L4,+79160000004,c@x.ru,500,retail\n"	/* rejected beats qualified */
	    "L5,+79160000005,d@x.ru,5,it\n"		/* callback: no_answer */
	    "L6,+79160000006,e@x.ru,5,it\n"		/* unqualified */
	    "L7,+79160000007,f@x.ru,5,it\n";		/* callback: callback */
	static const char calls[] =
	    "lead_id,manager,started_at,duration_s,outcome\n"
	    "L4,m,2026-11-26T10:00:00+03:00,5,do_not_call\n"
	    "L5,m,2026-11-26T10:00:00+03:00,0,no_answer\n"
	    "L6,m,2026-11-26T10:00:00+03:00,50,not_interested\n"
	    "L7,m,2026-11-26T10:00:00+03:00,50,callback\n";
	static const char *const want[] = {
		"invalid 35 no_contact;big;retail",
		"qualified 35 big;retail",
		"duplicate 35 duplicate_of=L2;big;retail",
		"rejected 35 big;retail;dnc",
		"callback 0 ",
		"unqualified 0 ",
		"callback 0 ",
		NULL
	};
	expect_run(rules_std, leads, calls, NULL, want);
}

static void
test_bad_contacts(void **state)
{
	(void)state;
	static const char leads[] =
	    "lead_id,phone,email\n"
	    "L1,n/a,a@x.ru\n"				/* bad phone, good email: valid lead */
	    "L2,+79161234567,not an email\n"
	    "L3,+7 916 123-45-67 доп. 5,nope@\n"	/* both bad (no extension word): invalid */
	    "L4,,\n";
	static const char *const want[] = {
		"qualified 0 bad_phone",
		"qualified 0 bad_email",
		"invalid 0 bad_phone;bad_email",
		"invalid 0 no_contact",
		NULL
	};
	expect_run(NULL, leads, NULL, NULL, want);
}

static void
test_dedup_email_tag(void **state)
{
	(void)state;
	static const char leads[] =
	    "lead_id,phone,email\n"
	    "L1,,Ivan+promo@Example.com\n"
	    "L2,, ivan@example.com \n"
	    "L3,+79161234567,other@example.com\n"
	    "L4,+79161234567,new@example.com\n"	/* duplicate by phone */
	    "L5,,new@example.com\n";			/* its email now points at L3 */
	static const char *const want[] = {
		"qualified 0 ",
		"duplicate 0 duplicate_of=L1",
		"qualified 0 ",
		"duplicate 0 duplicate_of=L3",
		"duplicate 0 duplicate_of=L3",
		NULL
	};
	expect_run(NULL, leads, NULL, NULL, want);
}

/* A duplicate by e-mail lends its new phone to the lead it repeats, not to itself. */
static void
test_dedup_chain(void **state)
{
	(void)state;
	static const char leads[] =
	    "lead_id,phone,email\n"
	    "A,,a@x.ru\n"
	    "B,+79161234567,a+1@x.ru\n"
	    "C,89161234567,\n";
	static const char *const want[] = {
		"qualified 0 ",
		"duplicate 0 duplicate_of=A",
		"duplicate 0 duplicate_of=A",
		NULL
	};
	expect_run(NULL, leads, NULL, NULL, want);
}

static void
test_against(void **state)
{
	(void)state;
	static const char leads[] =
	    "lead_id,phone,email\n"
	    "L1,8 (913) 000-11-22,x@y.ru\n"
	    "L2,,OLD@client.ru\n"
	    "L3,+79130009999,fresh@y.ru\n";
	static const char known[] =
	    "client_id,phone,email\n"
	    "C-1,+7 913 000 11 22,\n"
	    "C-2,,old+crm@client.ru\n";
	static const char *const want[] = {
		"duplicate 0 duplicate_of=C-1",
		"duplicate 0 duplicate_of=C-2",
		"qualified 0 ",
		NULL
	};
	expect_run(NULL, leads, NULL, known, want);
}

static void
test_latest_call(void **state)
{
	(void)state;
	struct run r;
	struct ls_record rec;
	struct ls_lead lead;
	static const char calls[] =
	    "lead_id,manager,started_at,duration_s,outcome\n"
	    "L1,m,2026-11-26T12:00:00+03:00,5,interested\n"
	    "L1,m,2026-11-26T08:00:00Z,5,no_answer\n"	/* 11:00+03: earlier despite coming later */
	    "L1,m,2026-11-25T12:00:00+03:00,5,callback\n";

	assert_int_equal(run_open(&r, rules_std, "lead_id,phone,email,employees,industry\nL1,+79161234567,,1,it\nL2,+79161234568,,1,it\n",
	    calls, NULL), 0);
	assert_int_equal(ls_reader_next(r.in, &rec, &r.err), 1);
	assert_int_equal(ls_qualify(r.q, &rec, &lead, &r.err), 0);
	assert_int_equal(lead.status, LS_LEAD_QUALIFIED);
	assert_string_equal(lead.call_outcome.p, "interested");
	assert_string_equal(lead.call_count.p, "3");
	assert_memory_equal(lead.last_call_at.p, "2026-11-26T12:00:00+03:00", 25);
	assert_int_equal(ls_reader_next(r.in, &rec, &r.err), 1);
	assert_int_equal(ls_qualify(r.q, &rec, &lead, &r.err), 0);
	assert_int_equal(lead.call_outcome.n, 0);
	assert_string_equal(lead.call_count.p, "0");
	assert_int_equal(lead.status, LS_LEAD_UNQUALIFIED);
	run_close(&r);
}

/* last_call_at gives started_at back as written, whether kept as an instant or as text */
static void
test_call_time_spellings(void **state)
{
	(void)state;
	static const char *const ts[] = {
		"2026-11-26T12:00:00+03:00", "2026-11-26T12:00:00-05:30", "2026-11-26T12:00:00Z",
		"2026-11-26T12:00:00+00:00", "2026-11-26T12:00:00-00:00", "2026-11-26t12:00:00+03:00",
		"2026-11-26 12:00:00+03:00", "2026-11-26T12:00:00.250+03:00", "2026-11-26T12:00:00z",
		"2026-12-31T23:59:60+03:00", "2026-11-26T12:00:00+14:00", "2026-11-26T00:30:00+05:45",
		"2026-11-26T12:00:00.1234567890123456789012345678+03:00",
		NULL
	};

	for (size_t i = 0; ts[i]; i++) {
		for (int attach = 0; attach < 2; attach++) {
			struct run r;
			struct ls_record rec;
			struct ls_lead lead;
			char calls[256];

			snprintf(calls, sizeof(calls),
			    "lead_id,started_at,outcome\nL1,2020-01-01T00:00:00Z,a\nL1,%s,b\n", ts[i]);
			assert_int_equal(run_open(&r, NULL, "lead_id,phone,email\nL1,+79161234567,\n",
			    calls, NULL), 0);
			if (attach)
				assert_int_equal(ls_qualifier_attach(r.q, r.in), 0);
			assert_int_equal(ls_reader_next(r.in, &rec, &r.err), 1);
			assert_int_equal(ls_qualify(r.q, &rec, &lead, &r.err), 0);
			assert_int_equal(lead.last_call_at.n, strlen(ts[i]));
			assert_memory_equal(lead.last_call_at.p, ts[i], lead.last_call_at.n);
			assert_string_equal(lead.call_outcome.p, "b");
			assert_string_equal(lead.call_count.p, "2");
			run_close(&r);
		}
	}
}

/* Unusual spellings kept as text: a later winner reuses or outgrows the place, a loser leaves it. */
static void
test_call_time_texts(void **state)
{
	(void)state;
	static const char calls[] =
	    "lead_id,started_at,outcome\n"
	    "L1,2026-11-26 12:00:00+03:00,a\n"
	    "L2,2026-11-26 12:00:00.123456+03:00,x\n"
	    "L1,2026-11-26 13:00:00.5+03:00,b\n"		/* longer: a new place */
	    "L1,2026-11-26 09:00:00.25+03:00,c\n"		/* earlier: loses, changes nothing */
	    "L2,2026-11-26T12:30:00Z,y\n"			/* canonical after text */
	    "L1,2026-11-26 14:00:00+03:00,d\n";		/* shorter: the old place */
	static const char *const want[][3] = {
		{ "2026-11-26 14:00:00+03:00", "d", "4" },
		{ "2026-11-26T12:30:00Z", "y", "2" },
	};
	struct run r;
	struct ls_record rec;
	struct ls_lead lead;

	assert_int_equal(run_open(&r, NULL, "lead_id,phone,email\nL1,+79161234567,\nL2,+79161234568,\n",
	    calls, NULL), 0);
	for (size_t i = 0; i < 2; i++) {
		assert_int_equal(ls_reader_next(r.in, &rec, &r.err), 1);
		assert_int_equal(ls_qualify(r.q, &rec, &lead, &r.err), 0);
		assert_int_equal(lead.last_call_at.n, strlen(want[i][0]));
		assert_memory_equal(lead.last_call_at.p, want[i][0], lead.last_call_at.n);
		assert_string_equal(lead.call_outcome.p, want[i][1]);
		assert_string_equal(lead.call_count.p, want[i][2]);
	}
	run_close(&r);
}

static void
test_normalised_in_place(void **state)
{
	(void)state;
	struct run r;
	struct ls_record rec;
	struct ls_lead lead;

	assert_int_equal(run_open(&r, NULL, "lead_id,phone,email,x\nL1,8 916 123 45 67, A@B.RU ,keep \n",
	    NULL, NULL), 0);
	assert_int_equal(ls_reader_next(r.in, &rec, &r.err), 1);
	assert_int_equal(ls_qualify(r.q, &rec, &lead, &r.err), 0);
	assert_int_equal(lead.nfields, 4);
	assert_string_equal(lead.fields[1].p, "+79161234567");
	assert_memory_equal(lead.fields[2].p, "a@b.ru", 6);
	assert_int_equal(lead.fields[2].n, 6);
	assert_string_equal(lead.fields[3].p, "keep ");
	run_close(&r);
}

/*
 * The words around a phone's number come as phone_note, de-duplication sees
 * the number alone, and a re-run keeps the note its input has.
 */
static void
test_phone_note(void **state)
{
	(void)state;
	static const char *const want[][3] = {
		{ "+79161234567", "Иван", "qualified" },
		{ "+79161234567", "доб. 12", "duplicate" },
		{ "+79167654321", "kept", "qualified" },	/* E.164 already: the input's note */
		{ "8 916 123 45 67 доп. 5", "kept too", "invalid" },
		{ "+79160000000", "", "qualified" },
	};
	struct run r;
	struct ls_record rec;
	struct ls_lead lead;
	size_t i;

	assert_int_equal(run_open(&r, NULL, "lead_id,phone,email,phone_note\n"
	    "L1,тел. 8 916 123 45 67 (Иван),,\n"
	    "L2,+7 916 123-45-67 доб. 12,,old\n"
	    "L3,+79167654321,,kept\n"
	    "L4,8 916 123 45 67 доп. 5,,kept too\n"
	    "L5,+79160000000,,\n", NULL, NULL), 0);
	for (i = 0; ls_reader_next(r.in, &rec, &r.err) > 0; i++) {
		assert_true(i < sizeof(want) / sizeof(want[0]));
		assert_int_equal(ls_qualify(r.q, &rec, &lead, &r.err), 0);
		assert_memory_equal(lead.fields[1].p, want[i][0], strlen(want[i][0]));
		assert_int_equal(lead.fields[1].n, strlen(want[i][0]));
		assert_int_equal(lead.phone_note.n, strlen(want[i][1]));
		assert_memory_equal(lead.phone_note.p, want[i][1], lead.phone_note.n);
		assert_string_equal(ls_lead_status_name(lead.status), want[i][2]);
	}
	assert_int_equal(i, 5);
	run_close(&r);
}

static void
test_config_errors(void **state)
{
	(void)state;
	static const struct {
		const char *rules, *leads, *msg;
		long line;
	} cases[] = {
		{ "threshold: 1\nrulez: []\n", "lead_id,phone,email\n", "unknown key 'rulez'", 2 },
		{ "rules:\n  - {name: a, if: \"x >= 1\", score: 1}\n", "lead_id,phone,email\n",
		  "unknown column 'x'", 2 },
		{ "rules:\n  - {name: a, if: \"phone empty\"}\n", "lead_id,phone,email\n",
		  "needs either 'score' or 'status: rejected'", 2 },
		{ "rules:\n  - {name: a, if: \"phone empty\", status: qualified}\n", "lead_id,phone,email\n",
		  "can only be 'rejected'", 2 },
		{ "rules:\n  - {name: a, if: \"phone empty\", score: 1}\n  - {name: a, if: \"email empty\", score: 1}\n",
		  "lead_id,phone,email\n", "used twice", 3 },
		{ "default_country: XX\n", "lead_id,phone,email\n", "unknown country 'XX'", 1 },
		{ "threshold: many\n", "lead_id,phone,email\n", "expected an integer", 1 },
		{ "columns: {phone: tel}\n", "lead_id,phone,email\n", "input has no column 'tel'", 0 },
		{ NULL, "lead_id,email\n", "input has no column 'phone'", 0 },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct run r;
		int rc = run_open(&r, cases[i].rules, cases[i].leads, NULL, NULL);
		assert_int_equal(rc, LS_ECONFIG);
		if (strstr(r.err.msg, cases[i].msg) == NULL)
			fail_msg("case %zu: '%s' lacks '%s'", i, r.err.msg, cases[i].msg);
		assert_int_equal(r.err.line, cases[i].line);
		run_close(&r);
	}
}

static void
test_status_names(void **state)
{
	(void)state;
	struct ls_error err;
	unsigned mask = 7;

	for (int i = 0; i < LS_LEAD_NSTATUS; i++)
		assert_string_equal(ls_lead_status_name(i), ls_lead_status_names[i]);
	assert_null(ls_lead_status_names[LS_LEAD_NSTATUS]);
	assert_string_equal(ls_lead_status_name(LS_LEAD_NSTATUS), "?");
	/* --only's list: one bit per status named */
	assert_int_equal(ls_cli_list_parse("qualified,callback", ls_lead_status_names, "status", &mask, &err), 0);
	assert_int_equal(mask, (1u << LS_LEAD_QUALIFIED) | (1u << LS_LEAD_CALLBACK));
	assert_int_equal(ls_cli_list_parse("qualifie", ls_lead_status_names, "status", &mask, &err), LS_EUSAGE);
	assert_string_equal(err.msg, "unknown status 'qualifie' (expected invalid, duplicate, rejected, "
	    "qualified, callback or unqualified)");
	assert_int_equal(mask, (1u << LS_LEAD_QUALIFIED) | (1u << LS_LEAD_CALLBACK));	/* unchanged */
}

static int
setup(void **state)
{
	(void)state;
	return mkdtemp(tmpdir) ? 0 : -1;
}

static int
teardown(void **state)
{
	char cmd[300];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	return system(cmd) == 0 ? 0 : -1;
}

/*
 * Outcomes are interned by comparing them in turn while they are few and
 * through an index past a dozen: calls naming twenty outcomes, the ones
 * the rules test seen again both before and after the dozen.
 */
static void
test_many_outcomes(void **state)
{
	static const char leads[] =
	    "lead_id,phone,email,employees,industry\n"
	    "L1,+79160000001,a@x.ru,5,it\n"
	    "L2,+79160000002,b@x.ru,5,it\n"
	    "L3,+79160000003,c@x.ru,5,it\n";
	static const char *const want[] = {
		"qualified 40 hot",
		"rejected 0 dnc",
		"unqualified 0 ",
		NULL,
	};
	char calls[4096];
	size_t n;

	(void)state;
	n = (size_t)snprintf(calls, sizeof(calls), "lead_id,manager,started_at,duration_s,outcome\n"
	    "L1,m,2026-11-26T10:00:00+03:00,5,interested\n"
	    "L2,m,2026-11-26T10:00:00+03:00,5,do_not_call\n");
	for (int k = 1; k <= 20; k++)
		n += (size_t)snprintf(calls + n, sizeof(calls) - n,
		    "L3,m,2026-11-26T%02d:00:00+03:00,5,outcome_%d\n", k, k);
	/* the last call of each lead decides; these come after the twenty */
	n += (size_t)snprintf(calls + n, sizeof(calls) - n,
	    "L2,m,2026-11-27T10:00:00+03:00,5,interested\n"
	    "L2,m,2026-11-27T11:00:00+03:00,5,do_not_call\n"
	    "L1,m,2026-11-27T10:00:00+03:00,5,outcome_7\n"
	    "L1,m,2026-11-27T11:00:00+03:00,5,interested\n"
	    "L3,m,2026-11-27T10:00:00+03:00,5,outcome_3\n");
	assert_true(n < sizeof(calls));
	expect_run(rules_std, leads, calls, NULL, want);
}

/*
 * The word encodings of the dense tables (qualify_int.h) are one-to-one
 * where they accept, and refuse what does not fit; what they refuse takes
 * the text tables, with the same answers.
 */
static void
test_key_encodings(void **state)
{
	uint64_t a = 0, b = 0;

	(void)state;
	assert_true(ls_qualify_phone_key("+70", 3, &a));
	assert_true(ls_qualify_phone_key("+700", 4, &b));
	assert_true(a != b);
	assert_true(ls_qualify_phone_key("+7", 2, &a));
	assert_true(ls_qualify_phone_key("+07", 3, &b));
	assert_true(a != b && a != 0 && b != 0);
	assert_true(ls_qualify_phone_key("+999999999999999999", 19, &a));	/* 18 digits */
	assert_true(a == 1999999999999999999ULL);
	assert_false(ls_qualify_phone_key("+1000000000000000000", 20, &a));	/* 19: text */
	assert_false(ls_qualify_phone_key("+", 1, &a));
	assert_false(ls_qualify_phone_key("79161234567", 11, &a));
	assert_false(ls_qualify_phone_key("+7916x234567", 12, &a));

	assert_true(ls_qualify_id_key("L1", 2, &a));
	assert_true(ls_qualify_id_key("L10", 3, &b));
	assert_true(a != b && a != 0);
	assert_true(ls_qualify_id_key("L0000008", 8, &a));
	assert_false(ls_qualify_id_key("L00000009", 9, &a));
	assert_false(ls_qualify_id_key("", 0, &a));
	assert_false(ls_qualify_id_key("L1\0", 3, &a));	/* would be L1's word */
}

/* A phone of 19 digits or more is kept as text; its holder is found the same way. */
static void
test_long_phone_path(void **state)
{
	struct run r;
	struct facts fa = { 0 };
	struct ls_str ph = { "+1000000000000000000", 20 }, other = { "+1000000000000000001", 20 };
	uint32_t ref = 99, got = 0;

	(void)state;
	assert_int_equal(run_open(&r, NULL, "lead_id,phone,email\n", NULL, NULL), 0);
	assert_false(ls_qualify_phone_key(ph.p, ph.n, &fa.phone_k));
	fa.phone_h = ls_keyset_hash(ph.p, ph.n);
	assert_int_equal(ls_qualify_phone_owner(r.q, &ph, &fa, &got), 0);
	assert_int_equal(ls_qualify_keep_id(r.q, "lead-long-1", 11, &ref), 0);
	assert_int_equal(ls_qualify_phone_put(r.q, &ph, &fa, ref), 0);
	assert_int_equal(ls_qualify_phone_owner(r.q, &ph, &fa, &got), 1);
	assert_int_equal(got, ref);
	struct ls_str id = ls_qualify_id_at(r.q, got);
	assert_int_equal(id.n, 11);
	assert_memory_equal(id.p, "lead-long-1", 11);
	fa.phone_h = ls_keyset_hash(other.p, other.n);
	assert_int_equal(ls_qualify_phone_owner(r.q, &other, &fa, &got), 0);
	assert_int_equal(ls_intmap_count(r.q->phones), 0);	/* none went to the number table */
	run_close(&r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_precedence),
		cmocka_unit_test(test_many_outcomes),
		cmocka_unit_test(test_bad_contacts),
		cmocka_unit_test(test_dedup_email_tag),
		cmocka_unit_test(test_dedup_chain),
		cmocka_unit_test(test_against),
		cmocka_unit_test(test_latest_call),
		cmocka_unit_test(test_call_time_spellings),
		cmocka_unit_test(test_call_time_texts),
		cmocka_unit_test(test_normalised_in_place),
		cmocka_unit_test(test_phone_note),
		cmocka_unit_test(test_config_errors),
		cmocka_unit_test(test_status_names),
		cmocka_unit_test(test_key_encodings),
		cmocka_unit_test(test_long_phone_path),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
