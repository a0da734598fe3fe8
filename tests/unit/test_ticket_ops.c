/* test_ticket_ops.c - checked appends, replay, and the all-or-nothing import. */
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

static void
test_import(void **state)
{
	struct ls_ticket_ops_cut cut;
	struct ls_error err;
	struct ls_reader *in;
	long *opened, ntk;
	long long nev;
	size_t nopened;
	int refused;

	(void)state;
	/* row 4 refers to a ticket nobody opened: nothing of the three goes in */
	in = csv("event,ticket_id,client,subject,status,text\n"
	    "open,a,Beta,late delivery,,\nstatus,a,,,pending,\nnote,T-000099,,,,x\n");
	assert_int_equal(ls_ticket_ops_import(logp, NULL, NOW, in, "in.csv", &opened, &nopened, &refused,
	    &cut, &err), LS_EDATA);
	done(in);
	assert_true(refused);
	assert_null(opened);
	assert_string_equal(err.file, "in.csv");
	assert_int_equal(err.line, 4);
	count(&nev, &ntk);
	assert_int_equal(nev, 3);
	/* the same without the bad row: both rows, the reference resolved */
	in = csv("event,ticket_id,client,subject,status,text\n"
	    "open,a,Beta,late delivery,,\nstatus,a,,,pending,\n");
	assert_int_equal(ls_ticket_ops_import(logp, NULL, NOW, in, "in.csv", &opened, &nopened, &refused,
	    &cut, &err), 0);
	done(in);
	assert_int_equal(nopened, 1);
	assert_int_equal(opened[0], 3);
	free(opened);
	count(&nev, &ntk);
	assert_int_equal(nev, 5);
	assert_int_equal(ntk, 3);
	/* no event column: a usage error */
	in = csv("ticket_id\nT-000001\n");
	assert_int_equal(ls_ticket_ops_import(logp, NULL, NOW, in, "in.csv", &opened, &nopened, &refused,
	    &cut, &err), LS_EUSAGE);
	done(in);
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
	return rmdir(dir);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_append),
		cmocka_unit_test(test_import),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
