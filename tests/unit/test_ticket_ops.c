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
	    "open,a,Gamma,refund,\nnote,T-000099,,,x\nnote,a\nopen,b,,,\nnote,b,,,y\nnote,a,,,z\n",
	    rej, &err), 0);
	assert_int_equal(im.nrejected, 4);
	assert_int_equal(im.nopened, 1);
	free(im.opened);
	assert_string_equal(slurp(rej), "raw,line,error,file\n"
	    "\"note,T-000099,,,x\",3,no ticket T-000099,in.csv\n"
	    "\"note,a\",4,\"expected 5 fields, got 2\",in.csv\n"
	    "\"open,b,,,\",5,open: the client is empty,in.csv\n"
	    "\"note,b,,,y\",6,\"unknown ticket 'b' (a T-000001 id, or the ticket_id of an open row above)\","
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
		cmocka_unit_test(test_import_rejects),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
