/* test_ticket_ops.c - checked appends, replay, the import (all or nothing, or with rejects), list, show and check. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ticket_ops.h"

static char dir[] = "/tmp/test_ticket_opsXXXXXX";
static char logp[64];
#define NOW 1796000000

/* Events and tickets in the log, by a replay. */
static void
count(long long *nev, long *ntk)
{
	struct ls_error err;
	struct ls_queue *q = ls_queue_new(NULL, NULL);
	struct ls_tlog *l = ls_tlog_open(logp, LS_TLOG_READ, &err);

	assert_non_null(q);
	assert_non_null(l);
	assert_int_equal(ls_ticket_ops_replay(l, q, 1, -1, nev, &err), 0);
	*ntk = ls_queue_count(q);
	ls_tlog_close(l);
	ls_queue_free(q);
}

static FILE *csv_fp;

/* A reader over text; done() frees both. */
static struct ls_reader *
csv(const char *text)
{
	struct ls_reader_opts o = { 0 };
	struct ls_error err;
	FILE *fp = fmemopen((void *)text, strlen(text), "r");
	struct ls_reader *r;

	assert_non_null(fp);
	r = ls_reader_open_fp(fp, "in.csv", &o, &err);
	assert_non_null(r);
	csv_fp = fp;
	return r;
}

static void
done(struct ls_reader *r)
{
	ls_reader_free(r);
	fclose(csv_fp);
}

static void
test_append(void **state)
{
	struct ls_tevent_req e = { .ev = LS_EV_OPEN, .priority = LS_PRIO_HIGH, .client = "Acme",
		.subject = "no invoice", .ts = NOW };
	struct ls_ticket_ops_cut cut;
	struct ls_error err;
	long id = 0, ntk;
	long long nev;

	(void)state;
	assert_int_equal(ls_ticket_ops_append(logp, NULL, &e, &id, &cut, &err), 0);
	assert_int_equal(id, 1);
	assert_int_equal(cut.line, 0);
	assert_int_equal(ls_ticket_ops_append(logp, NULL, &e, &id, &cut, &err), 0);
	assert_int_equal(id, 2);
	/* a ticket that does not exist, a move the lifecycle forbids: refused, nothing written */
	struct ls_tevent_req n = { .ev = LS_EV_NOTE, .id = 7, .text = "hello", .ts = NOW + 60 };
	assert_int_equal(ls_ticket_ops_append(logp, NULL, &n, &id, &cut, &err), LS_EDATA);
	assert_string_equal(err.msg, "no ticket T-000007");
	struct ls_tevent_req r = { .ev = LS_EV_REOPEN, .id = 1, .ts = NOW + 60 };
	assert_int_equal(ls_ticket_ops_append(logp, NULL, &r, &id, &cut, &err), LS_EDATA);
	n.id = 1;
	assert_int_equal(ls_ticket_ops_append(logp, NULL, &n, &id, &cut, &err), 0);
	assert_int_equal(id, 1);
	count(&nev, &ntk);
	assert_int_equal(nev, 3);
	assert_int_equal(ntk, 2);
}

/* An import of text into the log, rejects to rej (NULL: all or nothing). */
static int
import(struct ls_ticket_ops_import *im, const char *text, const char *rej, struct ls_error *err)
{
	int rc;

	static struct ls_ticket_env env;

	env.log = logp;
	env.now = NOW;
	memset(im, 0, sizeof(*im));
	im->env = &env;
	im->in = csv(text);
	im->inname = "in.csv";
	im->rejects = rej;
	rc = ls_ticket_ops_import(im, err);
	done(im->in);
	return rc;
}

static void
test_import(void **state)
{
	struct ls_ticket_ops_import im;
	struct ls_error err;
	long ntk;
	long long nev;

	(void)state;
	/* row 4 refers to a ticket nobody opened: nothing of the three goes in */
	assert_int_equal(import(&im, "event,ticket_id,client,subject,status,text\n"
	    "open,a,Beta,late delivery,,\nstatus,a,,,pending,\nnote,T-000099,,,,x\n", NULL, &err),
	    LS_EDATA);
	assert_true(im.refused);
	assert_null(im.opened);
	assert_string_equal(err.file, "in.csv");
	assert_int_equal(err.line, 4);
	count(&nev, &ntk);
	assert_int_equal(nev, 3);
	/* the same without the bad row: both rows, the reference resolved */
	assert_int_equal(import(&im, "event,ticket_id,client,subject,status,text\n"
	    "open,a,Beta,late delivery,,\nstatus,a,,,pending,\n", NULL, &err), 0);
	assert_int_equal(im.nopened, 1);
	assert_int_equal(im.opened[0], 3);
	free(im.opened);
	count(&nev, &ntk);
	assert_int_equal(nev, 5);
	assert_int_equal(ntk, 3);
	/* the export's name is kept (LOG.refs): the same open again is skipped, a later row finds it */
	assert_int_equal(import(&im, "event,ticket_id,client,subject,status,text\n"
	    "open,a,Beta,late delivery,,\nnote,a,,,,later\n", NULL, &err), 0);
	assert_int_equal(im.nopened, 0);
	assert_int_equal(im.nskipped, 1);
	count(&nev, &ntk);
	assert_int_equal(nev, 6);
	assert_int_equal(ntk, 3);
	/* no event column: a usage error */
	assert_int_equal(import(&im, "ticket_id\nT-000001\n", NULL, &err), LS_EUSAGE);
}

/* The whole of file path, in a static buffer. */
static const char *
slurp(const char *path)
{
	static char buf[4096];
	FILE *fp = fopen(path, "r");
	size_t n;

	assert_non_null(fp);
	n = fread(buf, 1, sizeof(buf) - 1, fp);
	buf[n] = '\0';
	fclose(fp);
	return buf;
}

static void
test_import_rejects(void **state)
{
	struct ls_ticket_ops_import im;
	struct ls_error err;
	char rej[96];
	long long nev, before;
	long ntk;

	(void)state;
	snprintf(rej, sizeof(rej), "%s/rej.csv", dir);
	count(&before, &ntk);
	/* a row the log refuses, one the reader refuses, a row on a rejected open: the rest goes in */
	assert_int_equal(import(&im, "event,ticket_id,client,subject,text\n"
	    "open,g,Gamma,refund,\nnote,T-000099,,,x\nnote,g\nopen,b,,,\nnote,b,,,y\nnote,g,,,z\n",
	    rej, &err), 0);
	assert_int_equal(im.nrejected, 4);
	assert_int_equal(im.nopened, 1);
	free(im.opened);
	assert_string_equal(slurp(rej), "raw,line,error,file\n"
	    "\"note,T-000099,,,x\",3,no ticket T-000099,in.csv\n"
	    "\"note,g\",4,\"expected 5 fields, got 2\",in.csv\n"
	    "\"open,b,,,\",5,open: the client is empty,in.csv\n"
	    "\"note,b,,,y\",6,\"unknown ticket 'b' (a T-000001 id, the ticket_id of an open row or a ref imported "
	    "before)\","
	    "in.csv\n");
	count(&nev, &ntk);
	assert_int_equal(nev, before + 2);
	/* nothing good: nothing appended, the rejects file written all the same */
	assert_int_equal(import(&im, "event,ticket_id\nreopen,T-000001\n", rej, &err), 0);
	assert_int_equal(im.nrejected, 1);
	assert_int_equal(im.nopened, 0);
	count(&nev, &ntk);
	assert_int_equal(nev, before + 2);
	unlink(rej);
}

/* A log of its own at dir/name, with two tickets: T-000001 (Acme, pending) and T-000002 (Beta). */
static void
two_tickets(char *path, size_t size, const char *name)
{
	struct ls_tevent_req o1 = { .ev = LS_EV_OPEN, .client = "Acme", .subject = "no invoice, again",
		.priority = LS_PRIO_NORMAL, .ts = NOW };
	struct ls_tevent_req o2 = { .ev = LS_EV_OPEN, .client = "Beta", .subject = "late",
		.priority = LS_PRIO_HIGH, .ts = NOW + 60 };
	struct ls_tevent_req st = { .ev = LS_EV_STATUS, .id = 1, .want = LS_TS_PENDING, .ts = NOW + 120 };
	struct ls_ticket_ops_cut cut;
	struct ls_error err;
	long id;

	snprintf(path, size, "%s/%s", dir, name);
	assert_int_equal(ls_ticket_ops_append(path, NULL, &o1, &id, &cut, &err), 0);
	assert_int_equal(ls_ticket_ops_append(path, NULL, &o2, &id, &cut, &err), 0);
	assert_int_equal(ls_ticket_ops_append(path, NULL, &st, &id, &cut, &err), 0);
}

/* Remove path and what the log leaves beside it. */
static void
rm_log(const char *path)
{
	static const char *const ext[] = { "", ".lock", ".bak", ".torn", NULL };
	char p[160];

	for (int i = 0; ext[i]; i++) {
		snprintf(p, sizeof(p), "%s%s", path, ext[i]);
		unlink(p);
	}
}

static void
test_list_show(void **state)
{
	struct ls_ticket_env env = { .now = NOW + 180 };
	struct ls_queue_filter f = { .statuses = 1u << LS_TS_PENDING };
	struct ls_ticket_ops_query q = { .f = &f };
	struct ls_writer_opts wo = { 0 };
	struct ls_ticket_ops_cut torn;
	struct ls_error err;
	char log[96], out[96];
	long ids[] = { 2 };

	(void)state;
	two_tickets(log, sizeof(log), "ls.csv");
	env.log = log;
	snprintf(out, sizeof(out), "%s/out.csv", dir);
	/* list: the pending ones, as of now */
	assert_int_equal(ls_ticket_ops_write(&env, &q, out, NULL, &wo, &torn, &err), 0);
	assert_int_equal(torn.line, 0);
	assert_string_equal(slurp(out),
	    "ticket_id,client,subject,status,priority,agent,opened_at,first_response_at,updated_at,"
	    "due_at,sla\n"
	    "T-000001,Acme,\"no invoice, again\",pending,normal,,2026-11-30T00:53:20Z,,"
	    "2026-11-30T00:55:20Z,,\n");
	/* as of before the status move: T-000001 was new then */
	q.at = "2026-11-30T00:54:00Z";
	f.statuses = 1u << LS_TS_NEW;
	assert_int_equal(ls_ticket_ops_write(&env, &q, out, NULL, &wo, &torn, &err), 0);
	assert_non_null(strstr(slurp(out), "T-000001,Acme"));
	assert_null(strstr(slurp(out), "T-000002"));
	/* a bad --at: LS_EUSAGE, and the output is left as it was */
	q.at = "tomorrowish";
	assert_int_equal(ls_ticket_ops_write(&env, &q, out, NULL, &wo, &torn, &err), LS_EUSAGE);
	assert_string_equal(err.msg, "--at: bad time 'tomorrowish' (expected RFC 3339, or a date and HH:MM)");
	assert_non_null(strstr(slurp(out), "T-000001,Acme"));
	/* show: T-000002's records as in the log, with the log's columns */
	q.show = 1;
	q.ids = ids;
	q.nids = 1;
	assert_int_equal(ls_ticket_ops_write(&env, &q, out, NULL, &wo, &torn, &err), 0);
	assert_string_equal(slurp(out),
	    "seq,ts,ticket_id,event,status,client,agent,priority,text,subject,channel,batch\n"
	    "2,2026-11-30T00:54:20Z,T-000002,open,new,Beta,,high,,late,,\n");
	/* a ticket above the last: LS_EDATA after the rows */
	ids[0] = 9;
	assert_int_equal(ls_ticket_ops_write(&env, &q, out, NULL, &wo, &torn, &err), LS_EDATA);
	assert_string_equal(err.msg, "no ticket T-000009");
	unlink(out);
	rm_log(log);
}

static void
test_check(void **state)
{
	struct ls_ticket_ops_check r;
	struct ls_error err;
	char log[96], bak[112];
	FILE *fp;

	(void)state;
	two_tickets(log, sizeof(log), "check.csv");
	assert_int_equal(ls_ticket_ops_check(log, 0, &r, &err), 0);
	assert_int_equal(r.nevents, 3);
	assert_int_equal(r.ntickets, 2);
	assert_int_equal(r.torn.line, 0);
	/* a write cut short: the check names the line, the repair keeps a backup and cuts it */
	assert_non_null(fp = fopen(log, "a"));
	fputs("4,2026-11-30T00:56:20+00:00,T-0000", fp);
	fclose(fp);
	assert_int_equal(ls_ticket_ops_check(log, 0, &r, &err), LS_EDATA);
	assert_int_equal(err.line, 6);
	assert_int_equal(r.torn.bytes, 34);
	assert_int_equal(ls_ticket_ops_check(log, 1, &r, &err), 0);
	assert_true(r.repaired);
	assert_int_equal(r.nevents, 3);
	snprintf(bak, sizeof(bak), "%s.bak", log);
	assert_non_null(strstr(slurp(bak), "\n4,2026-11-30T00:56:20+00:00,T-0000"));
	assert_int_equal(ls_ticket_ops_check(log, 0, &r, &err), 0);
	assert_false(r.repaired);
	/* strict: a status the lifecycle does not give is an error naming its line */
	assert_non_null(fp = fopen(log, "a"));
	fputs("4,2026-11-30T00:56:20+00:00,T-000002,note,closed,Beta,,normal,hi,,,\n", fp);
	fclose(fp);
	assert_int_equal(ls_ticket_ops_check(log, 0, &r, &err), LS_EDATA);
	assert_int_equal(err.line, 6);
	rm_log(log);
}

static int
setup(void **state)
{
	(void)state;
	if (mkdtemp(dir) == NULL)
		return -1;
	snprintf(logp, sizeof(logp), "%s/tickets.csv", dir);
	return 0;
}

static int
teardown(void **state)
{
	char p[96];

	(void)state;
	unlink(logp);
	snprintf(p, sizeof(p), "%s.lock", logp);
	unlink(p);
	/* test_import's references */
	snprintf(p, sizeof(p), "%s.refs", logp);
	unlink(p);
	return rmdir(dir);
}

/* What a log may hold: UTF-8 text, tab and line feed the only control characters. */
static void
test_text(void **state)
{
	static const struct {
		const char *s, *msg;
	} cases[] = {
		{ "Где мой заказ?", NULL },
		{ "a\tb\nc", NULL },
		{ "", NULL },
		{ "\xff\xfe", "text: not UTF-8 (byte 1 is 0xff)" },
		{ "ab\xd0", "text: not UTF-8 (byte 3 is 0xd0)" },
		{ "a\x01", "text: control character U+0001 at byte 2" },
		{ "a\r\n", "text: control character U+000D at byte 2" },
		{ "\x7f", "text: control character U+007F at byte 1" },
		{ "я\xc2\x9b", "text: control character U+009B at byte 3" },
		{ "\xc2\xa0", NULL },	/* a no-break space is text */
	};
	struct ls_error err;

	(void)state;
	assert_int_equal(ls_ticket_ops_text("text", NULL, LS_EDATA, &err), 0);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		memset(&err, 0, sizeof(err));
		assert_int_equal(ls_ticket_ops_text("text", cases[i].s, LS_EDATA, &err),
		    cases[i].msg ? LS_EDATA : 0);
		if (cases[i].msg)
			assert_string_equal(err.msg, cases[i].msg);
	}
}

/* show's ticket ids: each parsed, the first that is not one refused by name, nothing left allocated. */
static void
test_ids(void **state)
{
	static char g1[] = "T-000001", g2[] = "T-000042", b2[] = "42", b3[] = "T-x";
	char *good[] = { g1, g2 }, *bad[] = { g1, b2, b3 };
	struct ls_error err = { 0 };
	long *ids;

	(void)state;
	assert_int_equal(ls_ticket_ops_ids(good, 2, &ids, &err), 0);
	assert_int_equal(ids[0], 1);
	assert_int_equal(ids[1], 42);
	free(ids);
	assert_int_equal(ls_ticket_ops_ids(good, 0, &ids, &err), 0);
	assert_null(ids);
	assert_int_equal(ls_ticket_ops_ids(bad, 3, &ids, &err), LS_EUSAGE);
	assert_string_equal(err.msg, "'42' is not a ticket id (T-000001)");
	assert_null(ids);
}

/* upgrade reads the reference store too: a bad one stops it, the v1 log as it was and no backup made. */
static void
test_upgrade_bad_refs(void **state)
{
	static const char v1[] = "# ticket-log v1\nseq,ts,ticket_id,event,status,client,agent,priority,text,subject,channel,batch\n"
	    "1,2026-11-26T09:00:00Z,T-000001,open,new,c,,normal,a,s,,\n";
	struct ls_ticket_ops_upgrade res;
	struct ls_error err = { 0 };
	char log[96], refs[112], v1bak[112];
	FILE *fp;

	(void)state;
	snprintf(log, sizeof(log), "%s/up.csv", dir);
	snprintf(refs, sizeof(refs), "%s.refs", log);
	snprintf(v1bak, sizeof(v1bak), "%s.v1", log);
	assert_non_null(fp = fopen(log, "w"));
	fputs(v1, fp);
	fclose(fp);
	assert_non_null(fp = fopen(refs, "w"));
	fputs("# ticket-log refs v1\n<a@b>\t1\n", fp);
	fclose(fp);
	assert_int_equal(ls_ticket_ops_upgrade(log, &res, &err), LS_EDATA);
	assert_string_equal(err.file, refs);
	assert_int_equal(err.line, 2);
	assert_string_equal(slurp(log), v1);
	assert_int_equal(access(v1bak, F_OK), -1);
	/* the store mended: upgraded */
	assert_non_null(fp = fopen(refs, "w"));
	fputs("# ticket-log refs v1\n<a@b>\t1\tT-000001\n", fp);
	fclose(fp);
	assert_int_equal(ls_ticket_ops_upgrade(log, &res, &err), 0);
	assert_int_equal(res.nevents, 1);
	assert_int_equal(res.ntickets, 1);
	assert_string_equal(slurp(v1bak), v1);
	unlink(refs);
	unlink(v1bak);
	rm_log(log);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_append),
		cmocka_unit_test(test_import),
		cmocka_unit_test(test_import_rejects),
		cmocka_unit_test(test_list_show),
		cmocka_unit_test(test_check),
		cmocka_unit_test(test_text),
		cmocka_unit_test(test_ids),
		cmocka_unit_test(test_upgrade_bad_refs),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
